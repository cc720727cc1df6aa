-- Firm scale (issue 17): the reminder scheduler reads the exchanges whose first transfer is
-- recent enough for a reminder to be due (an Opportunity Zone window still open, a
-- related-party two-year period not yet over), not every exchange of the firm's history.
CREATE INDEX exchanges_first_transfer ON exchanges(firm_id, first_transfer);
