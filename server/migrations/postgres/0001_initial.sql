-- shiming-server, schema 1 (PostgreSQL). Personal data only in the *_enc columns (AES-256-GCM, see
-- src/keys.rs); identity_index is an HMAC blind index, so that uniqueness is a constraint.
CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Consent receipts as posted (they hold references, never personal data).
CREATE TABLE receipts (
  seq BIGSERIAL PRIMARY KEY,
  receipt_id TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  digest TEXT NOT NULL,
  consent_kind TEXT NOT NULL,
  doc_kind TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  doc_version TEXT NOT NULL,
  withdraws TEXT,
  server_time BIGINT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX receipts_subject ON receipts (subject);
-- Withdrawals only (most receipts withdraw nothing).
CREATE INDEX receipts_withdraws ON receipts (withdraws) WHERE withdraws IS NOT NULL;

CREATE TABLE registrations (
  id TEXT PRIMARY KEY,
  registration_id TEXT NOT NULL UNIQUE,
  identity_index BYTEA NOT NULL UNIQUE,
  content_mac BYTEA NOT NULL,
  token_hash BYTEA NOT NULL UNIQUE,
  token_salt BYTEA NOT NULL,
  kind TEXT NOT NULL,
  age_band TEXT,
  is_minor BIGINT,
  birth_date_source TEXT,
  consents TEXT NOT NULL,
  client_time BIGINT,
  created_at BIGINT NOT NULL,
  name_enc BYTEA NOT NULL,
  id_number_enc BYTEA NOT NULL,
  phone_enc BYTEA NOT NULL,
  profile_enc BYTEA NOT NULL
);
CREATE INDEX registrations_created ON registrations (created_at, id);

-- Idempotency records: the keyed hash of the body, never the body.
CREATE TABLE idempotency (
  key TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  body_mac BYTEA NOT NULL,
  status BIGINT NOT NULL,
  body TEXT NOT NULL,
  account_ref TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX idempotency_account ON idempotency (account_ref);
-- Records of refused requests, which are pruned by age and count.
CREATE INDEX idempotency_rejected ON idempotency (created_at) WHERE status >= 400;

-- Cancelled accounts: the keyed hash of their registrationId, so that old requests cannot recreate them.
CREATE TABLE tombstones (
  registration_mac BYTEA PRIMARY KEY,
  deleted_at BIGINT NOT NULL
);
