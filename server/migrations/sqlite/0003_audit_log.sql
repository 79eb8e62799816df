-- shiming-server, schema 3 (SQLite): the audit log, an append-only record of every admin and lifecycle action: when,
-- who (admin, account, server), what, which account (its server id, r_…), never personal data. 网络安全法 asks that
-- network logs be kept at least six months: the triggers refuse any change to a record, and the deletion of one younger
-- than 180 days, whatever the server's flags say (the server prunes older ones only past --audit-retention-days).
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  account TEXT,
  detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_kept_six_months BEFORE DELETE ON audit_log
WHEN old.at > CAST(strftime('%s', 'now') AS INTEGER) * 1000 - 15552000000
BEGIN
  SELECT RAISE(ABORT, 'audit records are kept at least 180 days');
END;
