-- Releases to the taxpayer above the firm's threshold wait for a second person's approval
-- exactly as disbursements do; an administrator's (g)(6) override given with the request is
-- kept with it and carried to the posting when it is approved. NULL when none was given.
ALTER TABLE approvals ADD COLUMN override_reason TEXT;
