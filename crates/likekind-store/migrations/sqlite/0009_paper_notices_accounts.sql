-- Paper identification notices recorded by staff (Treas. Reg. §1.1031(k)-1(c)): how the
-- notice came (electronic in the portal, or paper delivered by hand/post), the day it was
-- delivered, who received it, and the scanned signed notice among the exchange's documents.
ALTER TABLE notices ADD COLUMN kind TEXT NOT NULL DEFAULT 'electronic' CHECK (kind IN ('electronic', 'paper'));
ALTER TABLE notices ADD COLUMN delivered_on TEXT;
ALTER TABLE notices ADD COLUMN received_by TEXT;
ALTER TABLE notices ADD COLUMN document_id TEXT REFERENCES documents(id);
-- Accounts: a deactivated user cannot log in, and their sessions and tokens end at once.
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
-- One-time password-reset links, kept by the SHA-256 of their token.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    firm_id TEXT NOT NULL REFERENCES firms(id),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets(user_id);
