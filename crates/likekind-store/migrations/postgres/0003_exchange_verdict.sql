-- The engine's qualification verdict and recognized gain, stored with the summary of each
-- exchange (likekind-store/src/summary.rs) so that the tracker tells the same story as the
-- engine and the planner: 'exchange', 'partial_exchange' or 'taxable_sale', and the gain as a
-- decimal string of dollars. NULL until the summary is computed (the store back-fills it).
ALTER TABLE exchanges ADD COLUMN verdict TEXT;
ALTER TABLE exchanges ADD COLUMN recognized_gain TEXT;
