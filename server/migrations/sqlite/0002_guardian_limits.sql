-- shiming-server, schema 2 (sqlite): a guardian's own limits for a minor's account (src/minor/limits.rs
-- of the core), encrypted like the profile. One row per account, deleted with the account.
CREATE TABLE guardian_limits (
  id TEXT PRIMARY KEY,
  limits_enc BLOB NOT NULL,
  updated_at BIGINT NOT NULL,
  -- 'account' (the account's own token: only ever tighter) or 'admin' (the platform).
  updated_by TEXT NOT NULL
);
