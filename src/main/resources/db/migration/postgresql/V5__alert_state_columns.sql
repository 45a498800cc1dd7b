-- The alert state of a drift fingerprint in columns of its own instead of a JSON document in
-- message_ref: the Slack ts of the alert message, whether it shows the drift open or resolved, when
-- it was posted and when the last reminder went out. Existing rows carry over: message_ref held
-- {"ts":...,"status":...,"createdAt":...,"remindedAt":...} (ISO-8601 instants); a message_ref that
-- is not a JSON object was the bare ts. H2 reads the same fields with regular expressions (see
-- db/migration/h2). The fingerprint and cluster columns stay as they are.
ALTER TABLE fw_alert_state ADD COLUMN message_ts VARCHAR(64);
ALTER TABLE fw_alert_state ADD COLUMN status VARCHAR(16) DEFAULT 'OPEN' NOT NULL;
ALTER TABLE fw_alert_state ADD COLUMN created_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE fw_alert_state ADD COLUMN reminded_at TIMESTAMP WITH TIME ZONE;

UPDATE fw_alert_state SET
  message_ts = message_ref::jsonb ->> 'ts',
  status = COALESCE(message_ref::jsonb ->> 'status', 'OPEN'),
  created_at = (message_ref::jsonb ->> 'createdAt')::timestamptz,
  reminded_at = (message_ref::jsonb ->> 'remindedAt')::timestamptz
WHERE message_ref LIKE '{%';

UPDATE fw_alert_state SET message_ts = message_ref
WHERE message_ref IS NOT NULL AND message_ref NOT LIKE '{%';

ALTER TABLE fw_alert_state DROP COLUMN message_ref;
