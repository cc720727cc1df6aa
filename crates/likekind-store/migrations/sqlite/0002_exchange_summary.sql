-- The stored summary of each exchange, derived from the engine whenever its file or phase is
-- written (likekind-store/src/summary.rs): its deadline dates on the exchange row, and the
-- dated inputs of its alerts in exchange_milestones, so the dashboard and the alerts are
-- queries, not an engine run per exchange. summary_version 0 = not computed yet: the store
-- computes it when it opens the database (back-fill of existing rows, nothing is lost).
-- Dates are TEXT 'YYYY-MM-DD'; '0000-01-01' and '9999-12-31' stand for "no bound".
ALTER TABLE exchanges ADD COLUMN summary_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exchanges ADD COLUMN first_transfer TEXT;
ALTER TABLE exchanges ADD COLUMN identification_end TEXT;
ALTER TABLE exchanges ADD COLUMN exchange_end TEXT;
CREATE TABLE exchange_milestones (
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    seq INTEGER NOT NULL,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    kind TEXT NOT NULL CHECK (kind IN ('deadline_upcoming', 'deadline_missed', 'identification_problem', 'idle_funds')),
    milestone TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    on_date TEXT,
    active_from TEXT NOT NULL,
    active_to TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (exchange_id, seq)
);
CREATE INDEX exchange_milestones_upcoming ON exchange_milestones(firm_id, kind, on_date);
CREATE INDEX exchange_milestones_active ON exchange_milestones(firm_id, kind, active_from);
-- The dashboard's deadline list: open exchanges by their next deadline (the identification
-- end while it runs, then the exchange end), merged from these two orders.
CREATE INDEX exchanges_open_identification_end ON exchanges(firm_id, identification_end, name, id)
    WHERE phase IN ('draft', 'relinquished_closed');
CREATE INDEX exchanges_open_exchange_end ON exchanges(firm_id, exchange_end, name, id)
    WHERE phase IN ('draft', 'relinquished_closed');
-- Counts by status (phase refined by the dates) without reading the files.
CREATE INDEX exchanges_status ON exchanges(firm_id, phase, first_transfer, identification_end);
