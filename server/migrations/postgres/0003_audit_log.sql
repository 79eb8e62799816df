-- shiming-server, schema 3 (PostgreSQL): the audit log, an append-only record of every admin and lifecycle action:
-- when, who (admin, account, server), what, which account (its server id, r_…), never personal data. 网络安全法 asks
-- that network logs be kept at least six months: the triggers refuse any change to a record, TRUNCATE, and the deletion
-- of one younger than 180 days, whatever the server's flags say.
CREATE TABLE audit_log (
  seq BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  account TEXT,
  detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'the audit log is append-only';
  END IF;
  IF OLD.at > (EXTRACT(EPOCH FROM now()) * 1000)::bigint - 15552000000 THEN
    RAISE EXCEPTION 'audit records are kept at least 180 days';
  END IF;
  RETURN OLD;
END
$$;
CREATE TRIGGER audit_log_rows BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_guard();
CREATE TRIGGER audit_log_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard();
