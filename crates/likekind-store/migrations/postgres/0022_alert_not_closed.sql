-- A new alert kind, `not_closed`: an exchange whose verdict reads as completed (every identified
-- property received) but that the intermediary has not closed in the tracker once the exchange
-- period is over. Nothing was missed, so it is a warning of its own, no longer a missed
-- deadline (likekind-store/src/summary.rs). The summary version goes up with this change, so
-- every summary is recomputed when the store opens.
ALTER TABLE exchange_milestones DROP CONSTRAINT IF EXISTS exchange_milestones_kind_check;
ALTER TABLE exchange_milestones ADD CONSTRAINT exchange_milestones_kind_check
    CHECK (kind IN ('deadline_upcoming', 'deadline_missed', 'not_closed', 'identification_problem', 'idle_funds'));
