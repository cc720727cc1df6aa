-- A disbursement pays a purchase closing recorded on the exchange: it names the replacement
-- property (its id in the exchange file) whose closing it pays, and the ledger never pays a
-- closing more than it needs from the exchange funds (likekind-server/src/ledger.rs; Treas.
-- Reg. §1.1031(k)-1(g)(6): the taxpayer may not receive, pledge, borrow or otherwise obtain
-- the funds before the allowed date). NULL for the other kinds, and for disbursements posted
-- before this rule.
ALTER TABLE postings ADD COLUMN property_id TEXT;
ALTER TABLE approvals ADD COLUMN property_id TEXT;
