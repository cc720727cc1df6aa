//! The records the store keeps, as the API shows them. Money is integer cents here; the
//! server turns it into decimal strings at the edge.

use serde::Serialize;
use utoipa::ToSchema;

/// A firm (tenant): a qualified intermediary or a CPA firm.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Firm {
    pub id: String,
    pub name: String,
    /// Disbursements above this amount (cents) need a second person's approval.
    pub approval_threshold_cents: i64,
    pub created_at: String,
}

/// What a user may do (checked by the server).
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything in the firm, user management, and overrides with a written reason.
    Admin,
    /// Qualified-intermediary staff: exchanges, ledger, notices, documents.
    Coordinator,
    /// CPA: reads and edits exchanges and documents; no ledger writes.
    Preparer,
    /// The exchanger: sees only their own exchanges, submits and signs notices.
    Client,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Preparer => "preparer",
            Role::Client => "client",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "admin" => Role::Admin,
            "coordinator" => Role::Coordinator,
            "preparer" => Role::Preparer,
            "client" => Role::Client,
            _ => return None,
        })
    }
}

/// A user of one firm.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct User {
    pub id: String,
    pub firm_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    /// `false` once an admin deactivated the account: it cannot log in, and its sessions and
    /// API tokens ended then.
    pub active: bool,
}

/// An API token as listed (the secret itself is shown once, at creation).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub revoked: bool,
}

/// Where an exchange stands, from its dated events.
#[derive(Debug, Clone, Copy, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Draft,
    RelinquishedClosed,
    Completed,
    Failed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::RelinquishedClosed => "relinquished_closed",
            Phase::Completed => "completed",
            Phase::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Phase {
        match s {
            "relinquished_closed" => Phase::RelinquishedClosed,
            "completed" => Phase::Completed,
            "failed" => Phase::Failed,
            _ => Phase::Draft,
        }
    }
}

/// One exchange as stored: its exchange file (contract JSON) and its tracker state.
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeRow {
    pub id: String,
    pub firm_id: String,
    pub client_id: Option<String>,
    pub name: String,
    /// The exchange file, serialised as the contract's JSON.
    pub file: String,
    pub phase: Phase,
    pub balance_cents: i64,
    pub ledger_seq: i64,
    /// Bumped by every write to the exchange row (optimistic concurrency).
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// What the stored summary says about an exchange, as lists and the exchange view show it
/// without running the engine ([`crate::summary::Summary`] as written; dates 'YYYY-MM-DD').
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoredView {
    /// [`crate::summary::SUMMARY_VERSION`] when current.
    pub summary_version: i64,
    pub first_transfer: Option<String>,
    pub identification_end: Option<String>,
    pub settled_phase: Option<String>,
    pub settled_from: Option<String>,
    pub verdict: Option<String>,
    pub verdict_summary: Option<String>,
    pub deadlines_json: Option<String>,
}

/// A party to an exchange (buyer, seller, escrow, lender, attorney, ...).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Party {
    pub id: String,
    pub exchange_id: String,
    pub role: String,
    pub name: String,
    pub email: Option<String>,
    pub created_at: String,
}

/// A dated lifecycle event.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Event {
    pub id: String,
    pub exchange_id: String,
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub on_date: String,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
}

/// An identification notice (Reg. 1.1031(k)-1(c)) as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeRow {
    pub id: String,
    pub exchange_id: String,
    pub status: String,
    pub identified_on: String,
    /// JSON array of the properties identified.
    pub properties: String,
    /// JSON: the engine's judgement at submission.
    pub judgement: String,
    pub submitted_by: String,
    pub submitted_at: String,
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
    pub revoked_on: Option<String>,
    pub revoked_at: Option<String>,
    /// `electronic` (submitted and signed in the portal) or `paper` (a signed paper notice
    /// recorded by staff).
    pub kind: String,
    /// A paper notice: the day it was delivered (`YYYY-MM-DD`).
    pub delivered_on: Option<String>,
    /// A paper notice: the person who received it.
    pub received_by: Option<String>,
    /// A paper notice: the scanned notice among the exchange's documents.
    pub document_id: Option<String>,
}

impl NoticeRow {
    /// Signed and not revoked: its properties are identified in the exchange file.
    pub fn in_force(&self) -> bool {
        self.status == "signed"
    }
}

/// A password-reset link's state, as the store sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordReset {
    pub user_id: String,
    pub firm_id: String,
    pub expires_at: i64,
    pub used: bool,
}

/// A document record (the content is fetched separately).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct Document {
    pub id: String,
    pub exchange_id: String,
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    pub size: i64,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

/// What a document is being added with.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub kind: String,
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// The kinds of ledger posting, with the sign each takes on the balance.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PostingKind {
    /// Exchange proceeds received from a sale closing (+).
    Receipt,
    /// Paid to a replacement-property closing (-).
    Disbursement,
    /// The intermediary's fee (-).
    Fee,
    /// Interest earned on the funds (+).
    Interest,
    /// Paid to the taxpayer (-): limited by Reg. 1.1031(k)-1(g)(6).
    Release,
}

impl PostingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostingKind::Receipt => "receipt",
            PostingKind::Disbursement => "disbursement",
            PostingKind::Fee => "fee",
            PostingKind::Interest => "interest",
            PostingKind::Release => "release",
        }
    }

    pub fn parse(s: &str) -> Option<PostingKind> {
        Some(match s {
            "receipt" => PostingKind::Receipt,
            "disbursement" => PostingKind::Disbursement,
            "fee" => PostingKind::Fee,
            "interest" => PostingKind::Interest,
            "release" => PostingKind::Release,
            _ => return None,
        })
    }

    /// +1 for money in, -1 for money out.
    pub fn sign(self) -> i64 {
        match self {
            PostingKind::Receipt | PostingKind::Interest => 1,
            _ => -1,
        }
    }
}

/// A ledger posting: append-only, numbered per exchange.
#[derive(Debug, Clone, PartialEq)]
pub struct PostingRow {
    pub id: String,
    pub exchange_id: String,
    pub seq: i64,
    pub kind: PostingKind,
    /// Signed: positive in, negative out.
    pub amount_cents: i64,
    pub balance_after_cents: i64,
    /// The day the posting was made (the server's today).
    pub posted_on: String,
    /// The bank's value date, when staff gave one.
    pub value_date: Option<String>,
    pub memo: String,
    pub created_by: String,
    pub approved_by: Option<String>,
    pub override_reason: Option<String>,
    /// For a disbursement: the replacement property (its id in the exchange file) whose
    /// purchase closing it paid. `None` for the other kinds (and for disbursements posted
    /// before a disbursement had to name its closing).
    pub property_id: Option<String>,
    pub created_at: String,
    /// The name of the user who made (or requested) the posting.
    pub created_by_name: Option<String>,
    /// The name of the second person who approved it.
    pub approved_by_name: Option<String>,
}

/// A posting to append.
#[derive(Debug, Clone)]
pub struct NewPosting {
    pub kind: PostingKind,
    /// Positive; the kind gives the sign.
    pub amount_cents: i64,
    /// The day the posting is made (the server's today).
    pub posted_on: String,
    /// The bank's value date, when staff gave one.
    pub value_date: Option<String>,
    pub memo: String,
    pub override_reason: Option<String>,
    /// For a disbursement, the purchase closing it pays and what that closing needs from the
    /// exchange funds: the store refuses a disbursement without it, and one that would pay
    /// the closing more than its need (Treas. Reg. §1.1031(k)-1(g)(6)).
    pub closing: Option<ClosingPaid>,
    /// The request's idempotency key, kept with what it made in the same transaction: the
    /// same key again is answered with that, never a second payment.
    pub request: Option<RequestKey>,
}

/// A payment request's idempotency key and what the request asked (its `fingerprint`: the
/// kind, amount, memo, closing, value date and override in one text), so that the same key
/// with a different request is refused rather than answered with the first one's payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestKey {
    pub key: String,
    pub fingerprint: String,
}

/// What an earlier request with the same idempotency key asked and made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptRequest {
    pub fingerprint: String,
    /// The posting it made, when the money moved at once.
    pub posting_id: Option<String>,
    /// The approval it filed, when a second person must approve it.
    pub approval_id: Option<String>,
}

/// The purchase closing a disbursement pays (Treas. Reg. §1.1031(k)-1(g)(6): exchange funds
/// may go to the seller of replacement property, never to the taxpayer, before the allowed
/// date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingPaid {
    /// The replacement property's id in the exchange file.
    pub property_id: String,
    /// All that the closing needs from the exchange funds (the engine's
    /// `from_exchange_funds` for it), in cents; earlier disbursements to the same closing
    /// count against it.
    pub need_cents: i64,
}

/// A disbursement or release waiting for a second person's approval.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalRow {
    pub id: String,
    pub exchange_id: String,
    pub kind: PostingKind,
    pub amount_cents: i64,
    pub posted_on: String,
    pub memo: String,
    pub requested_by: String,
    pub requested_at: String,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub posting_id: Option<String>,
    /// An administrator's (g)(6) override given with a release request.
    pub override_reason: Option<String>,
    /// For a disbursement: the replacement property whose purchase closing it pays (judged
    /// again on the day it is approved).
    pub property_id: Option<String>,
}

/// One audit record: who did what, when, with the state before and after.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct AuditEntry {
    pub id: String,
    pub exchange_id: Option<String>,
    pub actor_id: Option<String>,
    pub at: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// Who is acting, for tenancy and the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub firm_id: String,
    pub user_id: String,
}

/// A page of a list: `after` is the last id of the previous page.
#[derive(Debug, Clone, Copy)]
pub struct PageReq<'a> {
    pub after: Option<&'a str>,
    pub limit: i64,
}
