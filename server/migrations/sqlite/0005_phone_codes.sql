-- shiming-server, schema 5 (SQLite): phone ownership by a one-time code (src/phone_codes.rs). Every row is keyed by
-- the phone's blind index (HMAC-SHA256 of the E.164 number under the index key): never the number, never the code
-- (only its keyed MAC). Rows are pruned a day after their last send; a confirmation is consumed by the registration
-- that uses it, or pruned once it has lapsed.

-- The code in force for a number (at most one), its wrong tries, and the send times of the last day (rate limits).
CREATE TABLE phone_codes (
  phone_index BLOB PRIMARY KEY,
  -- HMAC of the index and the code; NULL once it was used, voided by too many wrong tries, or never sent.
  code_mac BLOB,
  expires_at BIGINT NOT NULL,
  attempts BIGINT NOT NULL,
  -- The send times (Unix ms) of the last 24 hours, comma-separated, oldest first.
  sent_at TEXT NOT NULL,
  last_sent_at BIGINT NOT NULL,
  -- Bumped by every change: a change is made only against the revision it read (several instances, one database).
  rev BIGINT NOT NULL
);
CREATE INDEX phone_codes_last_sent ON phone_codes (last_sent_at);

-- A number confirmed by its code and not yet used by a registration.
CREATE TABLE phone_confirmations (
  phone_index BLOB PRIMARY KEY,
  confirmed_at BIGINT NOT NULL,
  valid_until BIGINT NOT NULL
);
CREATE INDEX phone_confirmations_valid ON phone_confirmations (valid_until);

-- When a registration's phone was confirmed is registrations.phone_confirmed_at (migration 0004).
