-- A new alert kind, `not_closed`: an exchange whose verdict reads as completed (every identified
-- property received) but that the intermediary has not closed in the tracker once the exchange
-- period is over. Nothing was missed, so it is a warning of its own, no longer a missed
-- deadline (likekind-store/src/summary.rs). SQLite cannot change a CHECK constraint in place:
-- the table is made again with the wider list, its rows copied, and its indexes and triggers
-- made again as migrations 0015 and 0017 left them. The summary version goes up with this
-- change, so every summary is recomputed when the store opens.
CREATE TABLE exchange_milestones_new (
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    seq INTEGER NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    kind TEXT NOT NULL CHECK (kind IN ('deadline_upcoming', 'deadline_missed', 'not_closed', 'identification_problem', 'idle_funds')),
    milestone TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    on_date TEXT,
    active_from TEXT NOT NULL,
    active_to TEXT NOT NULL,
    message TEXT NOT NULL,
    held INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (exchange_id, seq)
);
INSERT INTO exchange_milestones_new
    (exchange_id, seq, firm_id, kind, milestone, severity, on_date, active_from, active_to, message, held)
    SELECT exchange_id, seq, firm_id, kind, milestone, severity, on_date, active_from, active_to, message, held
    FROM exchange_milestones;
DROP TABLE exchange_milestones;
ALTER TABLE exchange_milestones_new RENAME TO exchange_milestones;
CREATE INDEX exchange_milestones_upcoming
    ON exchange_milestones(firm_id, kind, on_date, exchange_id, seq, active_to);
CREATE INDEX exchange_milestones_active
    ON exchange_milestones(firm_id, kind, active_from, active_to);
CREATE INDEX exchange_milestones_idle_held
    ON exchange_milestones(firm_id, kind, held, active_from, active_to)
    WHERE kind = 'idle_funds' AND held = 1;
CREATE TRIGGER exchange_milestones_revised_insert AFTER INSERT ON exchange_milestones BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_milestones_revised_update AFTER UPDATE ON exchange_milestones BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER exchange_milestones_revised_delete AFTER DELETE ON exchange_milestones BEGIN UPDATE data_revision SET n = n + 1 WHERE id = 1; END;
