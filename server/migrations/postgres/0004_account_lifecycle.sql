-- shiming-server, schema 4 (postgres): an account's verification against an authoritative source, its phone's
-- confirmation, and its lifecycle (issue 16). Nothing personal in clear: the provider's answer (its provider,
-- time, code and reference, e.g. the NPPA pi) is encrypted like the profile.
-- 'unverified' (no provider: recorded honestly), 'pending' (asked, no verdict yet), 'verified', 'failed'.
ALTER TABLE registrations ADD COLUMN verification_state TEXT NOT NULL DEFAULT 'unverified';
ALTER TABLE registrations ADD COLUMN verification_enc BYTEA;
-- When the server's verifier looks at a pending account again (NULL: nothing to do).
ALTER TABLE registrations ADD COLUMN verify_after BIGINT;
ALTER TABLE registrations ADD COLUMN verify_attempts BIGINT NOT NULL DEFAULT 0;
-- When the phone was confirmed by a one-time code (NULL: not confirmed).
ALTER TABLE registrations ADD COLUMN phone_confirmed_at BIGINT;
-- Frozen by the admin (or by the server when a pending verification fails): when, and a reason code from a fixed
-- list (never free text, which could carry personal data).
ALTER TABLE registrations ADD COLUMN frozen_at BIGINT;
ALTER TABLE registrations ADD COLUMN frozen_reason TEXT;
-- The account's last use of its own token (a day's precision), and when it was told it is unused.
ALTER TABLE registrations ADD COLUMN last_seen_at BIGINT;
ALTER TABLE registrations ADD COLUMN unused_notified_at BIGINT;
CREATE INDEX registrations_verify_after ON registrations (verify_after) WHERE verify_after IS NOT NULL;

-- The periodic account audit's reports: counts, and account numbers (r_…) with band or state changes; never
-- personal data.
CREATE TABLE account_audits (
  seq BIGSERIAL PRIMARY KEY,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  trigger_kind TEXT NOT NULL,
  report TEXT NOT NULL
);
