-- The dashboard's search, filters and sorting (issue 13), at firm scale (issue 17): every
-- list is read in an index's order, a page at a time (keyset), never by sorting the book.
--
-- An assigned coordinator per exchange (a staff action, audited).
ALTER TABLE exchanges ADD COLUMN coordinator_id TEXT REFERENCES users(id);
CREATE INDEX exchanges_by_name ON exchanges(firm_id, name, id);
CREATE INDEX exchanges_by_coordinator ON exchanges(firm_id, coordinator_id, name, id);
CREATE INDEX exchanges_by_funds ON exchanges(firm_id, balance_cents, id);
CREATE INDEX exchanges_by_created ON exchanges(firm_id, created_at, id);
CREATE INDEX exchanges_by_end ON exchanges(firm_id, (COALESCE(exchange_end, '9999-12-31')), name, id);
-- The words people search by (the exchange's name, the client's and taxpayer's names, the
-- properties' names and descriptions), lower-cased, one row per word: a search reads the
-- range of words that start with what was typed. Written with the summary (summary.rs); the
-- summary version goes up with this migration, so the store fills it when it opens.
CREATE TABLE exchange_terms (
    firm_id TEXT NOT NULL,
    term TEXT NOT NULL,
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    PRIMARY KEY (firm_id, term, exchange_id)
);
CREATE INDEX exchange_terms_exchange ON exchange_terms(exchange_id);
