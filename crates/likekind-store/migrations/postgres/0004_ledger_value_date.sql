-- A posting takes effect the day it is made (`posted_on`, the server's today); the bank's
-- value date, when staff give one, is kept beside it (likekind-server/src/ledger.rs: at most
-- 30 days before `posted_on`, never after it). NULL when none was given.
ALTER TABLE postings ADD COLUMN value_date TEXT;
