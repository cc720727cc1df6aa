-- A payment request's idempotency key (the `Idempotency-Key` header, or the key the ledger
-- page's form carries): a client that retries after a timeout, or a person who presses "Post"
-- twice, must not move the money twice. The key is kept with what the request asked
-- (`fingerprint`) and what it made (a posting, or an approval when a second person must
-- approve), in the same transaction as the posting or approval; the same key again is
-- answered with what was made, never a second payment (likekind-server/src/ledger.rs).
CREATE TABLE payment_requests (
    firm_id TEXT NOT NULL,
    exchange_id TEXT NOT NULL,
    request_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    posting_id TEXT,
    approval_id TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (firm_id, exchange_id, request_key)
);
