-- Firm scale (issue 17): a server with no mail server, every ten minutes, marks each pending
-- e-mail once with why it waits, and dead-letters those past their retry window. Both
-- statements read every pending e-mail to find them: on a book of 1,000,000 about 290,000, in
-- the one writing connection (0.14 s each on SQLite, every other write waiting). These partial
-- indexes hold only the rows each statement looks for: e-mails not yet marked (new ones), and
-- pending e-mails in the order they were made (the oldest reach the end of their window
-- first), so a run reads what it changes and little more. The status and channel lead each
-- index as they lead `outbox_claim`, so the planner, which cannot see how few rows a partial
-- index holds until the tables are analysed, still finds these the cheaper (no sort).
CREATE INDEX outbox_email_unmarked ON outbox(status, channel, id)
    WHERE channel = 'email' AND status = 'pending' AND last_error IS NULL;
CREATE INDEX outbox_email_pending ON outbox(status, channel, created_ms, id)
    WHERE channel = 'email' AND status = 'pending';
