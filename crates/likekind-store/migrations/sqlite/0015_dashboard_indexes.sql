-- Firm scale (issue 17): every read of the dashboard and the alerts stops after the rows it shows.
--
-- Coming deadlines and identification problems are listed by date, exchange and the order
-- the exchange lists them: with those columns in the index the read is already in the
-- list's order and stops at the limit, where it used to sort every row of the window (and
-- every undated identification problem) first. The last day a deadline is counted down to
-- (`active_to`) is in it too, so that a settled exchange's deadline is skipped in the index.
DROP INDEX exchange_milestones_upcoming;
CREATE INDEX exchange_milestones_upcoming
    ON exchange_milestones(firm_id, kind, on_date, exchange_id, seq, active_to);
-- The bounded counts ("more than 1,000 alerts") test the last day an alert applies in the
-- index itself instead of reading each milestone's row.
DROP INDEX exchange_milestones_active;
CREATE INDEX exchange_milestones_active
    ON exchange_milestones(firm_id, kind, active_from, active_to);
DROP INDEX exchange_milestones_idle_held;
CREATE INDEX exchange_milestones_idle_held
    ON exchange_milestones(firm_id, kind, held, active_from, active_to)
    WHERE kind = 'idle_funds' AND held = 1;
-- The deadline list's arm of exchanges settled after today reads the open exchanges by the end
-- of the exchange period and skips those the verdict has already settled: with the settled day
-- and the end of the identification period in the index, both databases test them there, and a
-- skipped exchange costs an index entry, not a row.
DROP INDEX exchanges_open_exchange_end;
CREATE INDEX exchanges_open_exchange_end
    ON exchanges(firm_id, exchange_end, name, id, settled_from, identification_end)
    WHERE phase IN ('draft', 'relinquished_closed');
-- The exchanges without a settled verdict are read apart (the deadline list's arm for them),
-- from an index of their own: few, and none of the settled ones in it.
CREATE INDEX exchanges_open_unsettled ON exchanges(firm_id, exchange_end, name, id)
    WHERE phase IN ('draft', 'relinquished_closed') AND settled_from IS NULL;
-- The counts by status sum the maintained rows up to today from the index alone.
CREATE INDEX exchange_status_days_sum ON exchange_status_days(firm_id, from_day, status, n);
