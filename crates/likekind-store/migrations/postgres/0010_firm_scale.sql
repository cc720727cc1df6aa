-- Firm scale (issue 17): what the dashboard and the alerts read is bounded by what they show,
-- not by how many exchanges were ever stored.
--
-- Idle funds apply only while the ledger holds a balance: each idle-funds milestone carries
-- whether its exchange holds one (`held`), kept in the same transaction as every ledger posting
-- and every summary write (likekind-store/src/ledger.rs, summary.rs), so the alerts read only
-- the milestones of exchanges that hold funds (the partial index below), never those of the
-- empty ones. Back-filled here from the balances.
ALTER TABLE exchange_milestones ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
UPDATE exchange_milestones SET held = 1
    WHERE kind = 'idle_funds' AND exchange_id IN (SELECT id FROM exchanges WHERE balance_cents > 0);
-- (kind and held are key columns too, so that both planners prefer this index to the one on
-- (firm_id, kind, active_from), which would read the milestones of every exchange.)
CREATE INDEX exchange_milestones_idle_held ON exchange_milestones(firm_id, kind, held, active_from)
    WHERE kind = 'idle_funds' AND held = 1;
-- Counts by status without reading every exchange: each exchange's status is a step function
-- of the day (likekind-store/src/counts.rs); the steps are summed per firm, status and first
-- day in exchange_status_days, so the number in a status on a day is the sum of the rows up to
-- that day (bounded by the number of days on which a status changes, not by exchanges).
-- `counted_phase` is the phase the exchange's steps were counted with (NULL: not counted yet),
-- so that the next write takes back exactly what was counted. Back-fill: the summary version
-- goes up with this migration, and the store recomputes (and counts) every summary when it
-- opens. Rows changed outside the store (counted_phase set back to NULL and the firm's count
-- rows cleared) are counted again when it opens, found by the partial index below.
ALTER TABLE exchanges ADD COLUMN counted_phase TEXT;
CREATE TABLE exchange_status_days (
    firm_id TEXT NOT NULL REFERENCES firms(id),
    from_day TEXT NOT NULL,
    status TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (firm_id, from_day, status)
);
CREATE INDEX exchanges_uncounted ON exchanges(id) WHERE counted_phase IS NULL;
-- What lists and the exchange endpoint show without running the engine per row: the verdict's
-- sentence and the deadlines as JSON, stored with the summary (recomputed when the store opens:
-- the summary version goes up with this migration).
ALTER TABLE exchanges ADD COLUMN verdict_summary TEXT;
ALTER TABLE exchanges ADD COLUMN deadlines_json TEXT;
