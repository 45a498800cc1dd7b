-- The key of the keyed hash (HMAC-SHA256) that stands in for Secret values in drift reports.
-- One row, written once on the first start and never changed: every node of an installation
-- reads the same key, so a Secret value has the same hash (and its drift the same fingerprint)
-- across nodes and restarts, while another installation's hashes differ. key_hex is the key in
-- lower-case hex; it is never logged or reported.
CREATE TABLE fw_value_hash_key (
  id         VARCHAR(32)              NOT NULL PRIMARY KEY,
  key_hex    VARCHAR(128)             NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
