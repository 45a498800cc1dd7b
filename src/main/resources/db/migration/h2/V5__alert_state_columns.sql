-- The alert state of a drift fingerprint in columns of its own instead of a JSON document in
-- message_ref: the Slack ts of the alert message, whether it shows the drift open or resolved, when
-- it was posted and when the last reminder went out. Existing rows carry over: message_ref held
-- {"ts":...,"status":...,"createdAt":...,"remindedAt":...} as Jackson writes it (no spaces, ISO-8601
-- instants); a message_ref that is not a JSON object was the bare ts. H2 has no JSON path
-- functions, so the fields are read with regular expressions (PostgreSQL parses the JSON: see
-- db/migration/postgresql). The fingerprint and cluster columns stay as they are.
ALTER TABLE fw_alert_state ADD COLUMN message_ts VARCHAR(64);
ALTER TABLE fw_alert_state ADD COLUMN status VARCHAR(16) DEFAULT 'OPEN' NOT NULL;
ALTER TABLE fw_alert_state ADD COLUMN created_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE fw_alert_state ADD COLUMN reminded_at TIMESTAMP WITH TIME ZONE;

UPDATE fw_alert_state SET
  message_ts = REGEXP_SUBSTR(message_ref, '"ts":"([^"]*)"', 1, 1, '', 1),
  status = COALESCE(REGEXP_SUBSTR(message_ref, '"status":"([A-Z]+)"', 1, 1, '', 1), 'OPEN'),
  created_at = CAST(REGEXP_SUBSTR(message_ref, '"createdAt":"([^"]*)"', 1, 1, '', 1)
                    AS TIMESTAMP WITH TIME ZONE),
  reminded_at = CAST(REGEXP_SUBSTR(message_ref, '"remindedAt":"([^"]*)"', 1, 1, '', 1)
                     AS TIMESTAMP WITH TIME ZONE)
WHERE message_ref LIKE '{%';

UPDATE fw_alert_state SET message_ts = message_ref
WHERE message_ref IS NOT NULL AND message_ref NOT LIKE '{%';

ALTER TABLE fw_alert_state DROP COLUMN message_ref;
