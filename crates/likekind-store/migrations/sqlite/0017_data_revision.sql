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
CREATE TRIGGER firms_revised_insert AFTER INSERT ON firms BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER firms_revised_update AFTER UPDATE ON firms BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER firms_revised_delete AFTER DELETE ON firms BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER users_revised_insert AFTER INSERT ON users BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER users_revised_update AFTER UPDATE ON users BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER users_revised_delete AFTER DELETE ON users BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchanges_revised_insert AFTER INSERT ON exchanges BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchanges_revised_update AFTER UPDATE ON exchanges BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchanges_revised_delete AFTER DELETE ON exchanges BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parties_revised_insert AFTER INSERT ON parties BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parties_revised_update AFTER UPDATE ON parties BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER parties_revised_delete AFTER DELETE ON parties BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_revised_insert AFTER INSERT ON events BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_revised_update AFTER UPDATE ON events BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_revised_delete AFTER DELETE ON events BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER notices_revised_insert AFTER INSERT ON notices BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER notices_revised_update AFTER UPDATE ON notices BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER notices_revised_delete AFTER DELETE ON notices BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER documents_revised_insert AFTER INSERT ON documents BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER documents_revised_update AFTER UPDATE ON documents BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER documents_revised_delete AFTER DELETE ON documents BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER postings_revised_insert AFTER INSERT ON postings BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER postings_revised_update AFTER UPDATE ON postings BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER postings_revised_delete AFTER DELETE ON postings BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER approvals_revised_insert AFTER INSERT ON approvals BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER approvals_revised_update AFTER UPDATE ON approvals BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER approvals_revised_delete AFTER DELETE ON approvals BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_milestones_revised_insert AFTER INSERT ON exchange_milestones BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_milestones_revised_update AFTER UPDATE ON exchange_milestones BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_milestones_revised_delete AFTER DELETE ON exchange_milestones BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_status_days_revised_insert AFTER INSERT ON exchange_status_days BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_status_days_revised_update AFTER UPDATE ON exchange_status_days BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_status_days_revised_delete AFTER DELETE ON exchange_status_days BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_terms_revised_insert AFTER INSERT ON exchange_terms BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_terms_revised_update AFTER UPDATE ON exchange_terms BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_terms_revised_delete AFTER DELETE ON exchange_terms BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
