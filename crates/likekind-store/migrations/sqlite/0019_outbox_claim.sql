-- Firm scale (issue 17): a worker claims due deliveries every second. One without a mail
-- server claims webhooks only, and read every pending e-mail to find them: after the first
-- reminder run on a book of 1,000,000, about 290,000 e-mails wait out their retry window, so
-- each poll read them all (and sorted them by `id`). These indexes hold the claim's order,
-- with the channel for the webhook-only claim, so a claim reads only what it takes.
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(status, next_at, id);
CREATE INDEX outbox_claim ON outbox(status, channel, next_at, id);
