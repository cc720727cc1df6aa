-- The phase an exchange reaches by the engine's verdict, stored with its summary
-- (likekind-store/src/summary.rs) on every write: 'completed', 'partly_completed' or 'failed',
-- and the first day it holds ('YYYY-MM-DD'). NULL while the engine cannot settle it (the
-- exchange is then a draft, its sale closed, or in its identification or acquisition period
-- by its dates). The exchange's `phase` column stays what people recorded: the sale closing
-- event, and the coordinator's closing as completed or failed (reopened with a reason).
ALTER TABLE exchanges ADD COLUMN settled_phase TEXT;
ALTER TABLE exchanges ADD COLUMN settled_from TEXT;
