-- likekind tracker schema, PostgreSQL. Money is integer cents, dates are TEXT 'YYYY-MM-DD',
-- instants are TEXT RFC 3339 (UTC), ids are UUID v7 strings (time-ordered).
-- Applied migrations are checksummed: never edit this file, add a new one.
CREATE TABLE firms (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    approval_threshold_cents BIGINT NOT NULL DEFAULT 10000000 CHECK (approval_threshold_cents >= 0),
    created_at TEXT NOT NULL
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'preparer', 'client')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX users_firm ON users(firm_id, id);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, at);
CREATE TABLE exchanges (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL REFERENCES firms(id),
    client_id TEXT REFERENCES users(id),
    name TEXT NOT NULL,
    file TEXT NOT NULL,
    phase TEXT NOT NULL CHECK (phase IN ('draft', 'relinquished_closed', 'completed', 'failed')),
    balance_cents BIGINT NOT NULL DEFAULT 0 CHECK (balance_cents >= 0),
    ledger_seq BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX exchanges_firm ON exchanges(firm_id, id);
CREATE INDEX exchanges_client ON exchanges(client_id, id);
CREATE TABLE parties (
    id TEXT PRIMARY KEY,
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    firm_id TEXT NOT NULL REFERENCES firms(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX parties_exchange ON parties(exchange_id, id);
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    firm_id TEXT NOT NULL REFERENCES firms(id),
    kind TEXT NOT NULL,
    on_date TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX events_exchange ON events(exchange_id, id);
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    firm_id TEXT NOT NULL REFERENCES firms(id),
    status TEXT NOT NULL CHECK (status IN ('submitted', 'signed', 'revoked')),
    identified_on TEXT NOT NULL,
    properties TEXT NOT NULL,
    judgement TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    signed_by TEXT,
    signed_at TEXT,
    revoked_on TEXT,
    revoked_at TEXT
);
CREATE INDEX notices_exchange ON notices(exchange_id, id);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    firm_id TEXT NOT NULL REFERENCES firms(id),
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX documents_exchange ON documents(exchange_id, id);
CREATE TABLE postings (
    id TEXT PRIMARY KEY,
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    firm_id TEXT NOT NULL REFERENCES firms(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'disbursement', 'fee', 'interest', 'release')),
    amount_cents BIGINT NOT NULL,
    balance_after_cents BIGINT NOT NULL CHECK (balance_after_cents >= 0),
    posted_on TEXT NOT NULL,
    memo TEXT NOT NULL,
    created_by TEXT NOT NULL,
    approved_by TEXT,
    override_reason TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (exchange_id, seq)
);
-- The ledger is append-only: the database itself refuses to change or remove a posting.
CREATE FUNCTION likekind_postings_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'postings are append-only'; END; $$;
CREATE TRIGGER postings_no_update BEFORE UPDATE OR DELETE ON postings
FOR EACH ROW EXECUTE FUNCTION likekind_postings_append_only();
CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    firm_id TEXT NOT NULL REFERENCES firms(id),
    kind TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    posted_on TEXT NOT NULL,
    memo TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by TEXT,
    decided_at TEXT,
    posting_id TEXT
);
CREATE INDEX approvals_exchange ON approvals(exchange_id, id);
CREATE TABLE audit (
    id TEXT PRIMARY KEY,
    firm_id TEXT NOT NULL,
    exchange_id TEXT,
    actor_id TEXT,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_exchange ON audit(exchange_id, id);
CREATE INDEX audit_firm ON audit(firm_id, id);
