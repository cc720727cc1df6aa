-- Firm scale (issue 17): the reminder scheduler's related-party scan reads only the exchanges
-- whose file names a related party (a partial index on the very condition it asks), not the
-- file of every exchange transferred in the last three years.
CREATE INDEX exchanges_related_party ON exchanges(firm_id, first_transfer)
    WHERE file LIKE '%related_party%';
