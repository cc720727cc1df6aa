-- Notifications (issue 15): the firm's calendar day and reminder lead times, per-person
-- preferences, webhook endpoints, and the durable outbox.
--
-- notify_events: one row per thing that happened (written in the same transaction as the
-- change that causes it) or per scheduled reminder; idem_key is unique, so a reminder enqueued
-- again by another scheduler run or another server process is not enqueued twice.
-- outbox: one row per delivery (an e-mail to one person, a POST to one endpoint), fanned out
-- from an event in one transaction; idem_key (unique) is the e-mail's Message-ID and the
-- webhook's id header. A worker claims due rows with a lease (lease_until, unix ms), delivers,
-- and marks them delivered; failures are retried with exponential backoff until the retry
-- window ends, then the row is dead (dead-lettered) until someone retries it.
ALTER TABLE firms ADD COLUMN time_zone TEXT;
ALTER TABLE firms ADD COLUMN reminder_days TEXT NOT NULL DEFAULT '30,14,7,2,1,0';
CREATE TABLE notify_prefs (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    firm_id TEXT NOT NULL REFERENCES firms(id),
    events TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('immediate', 'digest', 'off')),
    updated_at TEXT NOT NULL
);
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    secret TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_firm ON webhook_endpoints(firm_id, id);
CREATE TABLE notify_events (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    exchange_id TEXT,
    kind TEXT NOT NULL,
    idem_key TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL,
    expanded BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX notify_events_pending ON notify_events(expanded, id);
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    event_id TEXT NOT NULL REFERENCES notify_events(id),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    target TEXT NOT NULL,
    idem_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    digest BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL,
    next_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    last_error TEXT,
    delivered_at TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_at);
CREATE INDEX outbox_firm ON outbox(firm_id, status, id);
-- Secrets the server processes share (the key that signs unsubscribe links).
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
