-- Firm scale (issue 17): one number that every change to what the dashboard and the alerts
-- show moves forward, in the same transaction as the change. A server keeps a read it repeats
-- (the dashboard, the alerts) for as long as the number has not moved, so a second request
-- costs one indexed read instead of the dashboard's eight statements. Tables that hold no such
-- figure (sessions, tokens, sign-in throttles, password resets, the audit log, the import
-- journal, notification settings and deliveries, server secrets) do not move it.
CREATE TABLE data_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO data_revision (id, n) VALUES (1, 0);
-- The number moves once per transaction, when it commits (a deferred trigger): the row is
-- locked last, after every other lock the transaction takes, so two writers never wait on
-- each other in opposite orders for it.
CREATE FUNCTION likekind_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('likekind.revised', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE data_revision SET n = n + 1 WHERE id = 1;
        PERFORM set_config('likekind.revised', txid_current()::text, true);
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER firms_revised AFTER INSERT OR UPDATE OR DELETE ON firms
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER users_revised AFTER INSERT OR UPDATE OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER exchanges_revised AFTER INSERT OR UPDATE OR DELETE ON exchanges
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER parties_revised AFTER INSERT OR UPDATE OR DELETE ON parties
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER events_revised AFTER INSERT OR UPDATE OR DELETE ON events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER notices_revised AFTER INSERT OR UPDATE OR DELETE ON notices
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER documents_revised AFTER INSERT OR UPDATE OR DELETE ON documents
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER postings_revised AFTER INSERT OR UPDATE OR DELETE ON postings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER approvals_revised AFTER INSERT OR UPDATE OR DELETE ON approvals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER exchange_milestones_revised AFTER INSERT OR UPDATE OR DELETE ON exchange_milestones
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER exchange_status_days_revised AFTER INSERT OR UPDATE OR DELETE ON exchange_status_days
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
CREATE CONSTRAINT TRIGGER exchange_terms_revised AFTER INSERT OR UPDATE OR DELETE ON exchange_terms
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION likekind_bump_revision();
