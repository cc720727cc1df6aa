-- Exchanges loaded in bulk by `likekind import BOOK`: one row per book entry imported, keyed
-- by a hash of the entry's place in the book and its text, so that an interrupted import
-- run again skips what it already stored and never makes a duplicate.
CREATE TABLE exchange_imports (
    firm_id TEXT NOT NULL REFERENCES firms(id),
    import_key TEXT NOT NULL,
    exchange_id TEXT NOT NULL REFERENCES exchanges(id),
    PRIMARY KEY (firm_id, import_key)
);
