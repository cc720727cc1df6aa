//! The funds ledger: what the intermediary received and paid for each exchange.
//!
//! Releases to the taxpayer are judged by the engine's (g)(6) rule
//! ([`likekind_core::constructive_receipt::earliest_release`]) on the engine's own dates
//! (the report's deadlines and identification), except that a receipt the engine doubts is the
//! property identified (recorded at under 75% of its identified value, Treas. Reg.
//! §1.1031(k)-1(d)(1)(ii)) does not count toward the release on receipt of all of it
//! ((g)(6)(iii)(A); see [`crate::exchanges::tracker_release`]); an admin may override with a written reason,
//! which is kept on the posting and in the audit log. Disbursements, releases and the
//! intermediary's fees above the firm's threshold wait for a second person's approval (never
//! the requester's own): every way money leaves the funds gets the same four eyes. A release
//! is judged again on the day it is approved.
//!
//! No date in a request moves money around a rule: a posting takes effect the day it is made
//! (the server's today, `posted_on`), and the (g)(6) guard judges that day. Staff may record
//! the bank's **value date** only within [`VALUE_DATE_WINDOW_DAYS`] days before today, never
//! in the future, and for a release never before the first transfer nor before the (g)(6)
//! date (unless an admin overrides); both dates are stored and audited.
//!
//! A **disbursement** ("Paid to a purchase closing") is the other way money leaves the
//! exchange funds, so it is held to the same rule: under Treas. Reg. §1.1031(k)-1(g)(6) the
//! taxpayer may not receive, pledge, borrow or otherwise obtain the funds before the allowed
//! date, and the only money that may leave earlier is money paid to acquire replacement
//! property. A disbursement therefore names the replacement property whose purchase closing it
//! pays ([`closing_paid`]): one that counts as identified (or was received within the 45
//! days), whose closing is recorded on the exchange and not dated after today; and with the
//! earlier disbursements to that closing it may not exceed what the closing needs from the
//! exchange funds (the engine's balance, `from_exchange_funds`), checked by the store in the
//! writing transaction. A disbursement waiting for a second approval is judged again on the
//! day it is approved.

use crate::error::{ApiError, ApiResult};
use crate::exchanges::{TrackerRelease, judged_file, load};
use crate::extract::{Auth, JsonBody, P, Q};
use crate::money::{parse_positive, show};
use crate::permit::{DecideApprovals, Permitted, PostToLedger, ReadApprovals};
use crate::request_key::{self, IdempotencyKey};
use crate::{AppState, PageQuery};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use likekind_core::constructive_receipt::Release;
use likekind_core::identification::Standing;
use likekind_core::model::ExchangeFile;
use likekind_core::money::format_date;
use likekind_store::{
    ApprovalRow, ClosingPaid, Decision, NewPosting, PostingKind, PostingRow, RequestKey, Role,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A posting as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostingView {
    pub id: String,
    /// 1, 2, 3... per exchange.
    pub seq: i64,
    pub kind: PostingKind,
    /// Signed: positive in, negative out.
    pub amount: String,
    pub balance_after: String,
    /// The day the posting was made: the day the money moved on the ledger (the server's
    /// today, never a date from the request).
    pub posted_on: String,
    /// The bank's value date, when staff gave one (at most 30 days before `posted_on`).
    pub value_date: Option<String>,
    pub memo: String,
    pub created_by: String,
    /// The name of the user who made (or requested) the posting.
    pub created_by_name: Option<String>,
    pub approved_by: Option<String>,
    /// The name of the second person who approved it.
    pub approved_by_name: Option<String>,
    /// Set when an admin overrode the (g)(6) release rule.
    pub override_reason: Option<String>,
    /// For a disbursement: the replacement property (its id in the exchange file) whose
    /// purchase closing it paid.
    pub property: Option<String>,
    pub created_at: String,
}

impl From<PostingRow> for PostingView {
    fn from(p: PostingRow) -> Self {
        PostingView {
            id: p.id,
            seq: p.seq,
            kind: p.kind,
            amount: show(p.amount_cents),
            balance_after: show(p.balance_after_cents),
            posted_on: p.posted_on,
            value_date: p.value_date,
            memo: p.memo,
            created_by: p.created_by,
            created_by_name: p.created_by_name,
            approved_by: p.approved_by,
            approved_by_name: p.approved_by_name,
            override_reason: p.override_reason,
            property: p.property_id,
            created_at: p.created_at,
        }
    }
}

/// A disbursement, release or fee waiting for (or given) a second approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalView {
    pub id: String,
    pub kind: PostingKind,
    pub amount: String,
    pub posted_on: String,
    pub memo: String,
    pub requested_by: String,
    pub requested_at: String,
    /// `pending`, `approved`, `rejected`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub posting_id: Option<String>,
    /// An administrator's (g)(6) override given with a release request.
    pub override_reason: Option<String>,
    /// For a disbursement: the replacement property whose purchase closing it pays.
    pub property: Option<String>,
}

impl From<ApprovalRow> for ApprovalView {
    fn from(a: ApprovalRow) -> Self {
        ApprovalView {
            id: a.id,
            kind: a.kind,
            amount: show(a.amount_cents),
            posted_on: a.posted_on,
            memo: a.memo,
            requested_by: a.requested_by,
            requested_at: a.requested_at,
            status: a.status,
            decided_by: a.decided_by,
            decided_at: a.decided_at,
            posting_id: a.posting_id,
            override_reason: a.override_reason,
            property: a.property_id,
        }
    }
}

/// A posting to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "receipt", "amount": "250000.00", "memo": "sale proceeds from escrow"}))]
pub struct PostingReq {
    pub kind: PostingKind,
    /// Positive decimal string, whole cents: `"250000.00"`.
    #[schema(pattern = r"^([1-9][0-9]{0,11}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$")]
    pub amount: String,
    /// Optional `YYYY-MM-DD`: the bank's value date, when the money moved at the bank before
    /// today. At most 30 days before today, never after it; for a release never before the
    /// first transfer nor (without an admin's override) before the (g)(6) date. The posting
    /// itself always takes effect today.
    #[schema(value_type = Option<String>, format = Date)]
    pub value_date: Option<Date>,
    /// Deprecated name of `value_date`, with the same rules (the posting takes effect today
    /// whatever it says).
    #[schema(value_type = Option<String>, format = Date)]
    pub posted_on: Option<Date>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub memo: String,
    /// Admin only: release before the (g)(6) date anyway, for this written reason (at least
    /// 10 characters, not counting the spaces around it).
    #[schema(min_length = 10, max_length = 2000, pattern = r"\S[\s\S]{8,}\S")]
    pub override_reason: Option<String>,
    /// Required for a `disbursement`, refused for the other kinds: the id of the replacement
    /// property whose purchase closing it pays. The property must count as identified (or
    /// have been received within the 45-day identification period), its purchase closing must
    /// be recorded on the exchange and not dated after today, and the amount, with the earlier
    /// disbursements to that closing, may not exceed what the closing needs from the exchange
    /// funds (Treas. Reg. §1.1031(k)-1(g)(6)).
    #[serde(default)]
    pub property: Option<String>,
}

/// The ledger with its balance.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerView {
    pub balance: String,
    pub items: Vec<PostingView>,
    pub next: Option<String>,
}

/// Either the posting, or the approval it now waits for.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostResult {
    pub posting: Option<PostingView>,
    /// Set when the disbursement or release is above the firm's threshold and waits for a
    /// second person.
    pub approval: Option<ApprovalView>,
    pub balance: String,
}

/// The (g)(6) release of an exchange as the ledger applies it: the engine's rule (it lives in
/// `likekind_core::constructive_receipt`), except that a receipt the engine doubts is the
/// property identified does not count toward the release on receipt of all the replacement
/// property ([`crate::exchanges::tracker_release`]).
///
/// # Errors
/// 422 when the file has no transfer yet (no exchange period has started).
pub fn release_of(file: &ExchangeFile, today: Date) -> ApiResult<Release> {
    tracker_release_of(file, today).map(|t| t.release)
}

/// [`release_of`] with the receipts it holds back, for the refusal's words.
fn tracker_release_of(file: &ExchangeFile, today: Date) -> ApiResult<TrackerRelease> {
    crate::exchanges::tracker_release(file, today).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "release_before_allowed",
            "no relinquished property has been transferred: there is no exchange period yet",
        )
    })
}

/// The refusal of a release before the (g)(6) date, with the rule and the date, and why in
/// words when a doubtful receipt holds the release back to the end of the exchange period.
fn early_release(t: &TrackerRelease) -> ApiError {
    let rel = &t.release;
    let message = match t.why() {
        Some(why) => format!(
            "Exchange funds cannot go to the taxpayer before {} (the day after the exchange period ends, {}): {why}",
            format_date(rel.earliest),
            rel.authority
        ),
        None => format!(
            "Exchange funds cannot go to the taxpayer before {} ({}); an administrator may override with a written reason.",
            format_date(rel.earliest),
            rel.authority
        ),
    };
    let mut details = serde_json::json!({
        "earliest_allowed": rel.earliest.to_string(),
        "rule": rel.rule,
        "authority": rel.authority,
    });
    if !t.held_back.is_empty() {
        details["held_back"] =
            serde_json::json!(t.held_back.iter().map(|d| d.id.clone()).collect::<Vec<_>>());
    }
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "release_before_allowed",
        message,
    )
    .with_details(details)
}

/// A refusal of a disbursement's closing: 422 on `path`, the message a sentence in words.
fn closing_refused(path: &str, rule: &str, message: String) -> ApiError {
    ApiError::fields(
        message.clone(),
        vec![crate::error::FieldError {
            path: path.to_string(),
            rule: rule.to_string(),
            message,
        }],
    )
}

/// The (g)(6) citation the disbursement refusals end with.
const G6: &str = "Treas. Reg. §1.1031(k)-1(g)(6): before the allowed date the exchange funds may pay for replacement property, never reach the taxpayer";

/// The purchase closing a disbursement of `amount_cents` may pay, judged on `today` with the
/// stored exchange file: the replacement property `property` must count as identified (or
/// have been received within the 45-day identification period), its purchase closing must be
/// recorded on the exchange and not dated after today, and the closing must need money from
/// the exchange funds (the engine's balance: `from_exchange_funds`, what the price and
/// costs leave after the new loan, the taxpayer's own cash and other property given). The
/// store then refuses the posting if, with the earlier disbursements to the same closing, it
/// would pay more than that need. Exchange funds that go anywhere else before the (g)(6) date
/// are funds the taxpayer obtains (Treas. Reg. §1.1031(k)-1(g)(6)).
///
/// # Errors
/// 422 on `property` (none named, not a recorded closing, closing after today, property not
/// identified in time, nothing needed) or on `amount` (more than the closing needs in all),
/// each in a sentence.
pub fn closing_paid(
    file: &ExchangeFile,
    today: Date,
    property: Option<&str>,
    amount_cents: i64,
) -> ApiResult<ClosingPaid> {
    let Some(id) = property.map(str::trim).filter(|p| !p.is_empty()) else {
        return Err(closing_refused(
            "property",
            "required",
            format!(
                "A payment to a purchase closing must name the property whose recorded purchase closing it pays ({G6})."
            ),
        ));
    };
    let Some(rep) = file.replacement.iter().find(|r| r.id == *id) else {
        let recorded = if file.replacement.is_empty() {
            "no purchase closing is recorded on this exchange yet".to_string()
        } else {
            let ids: Vec<&str> = file.replacement.iter().map(|r| r.id.as_str()).collect();
            format!(
                "the purchase closings recorded are those of {}",
                ids.join(", ")
            )
        };
        return Err(closing_refused(
            "property",
            "closing_recorded",
            format!(
                "The property \"{id}\" has no purchase closing recorded on this exchange ({recorded}): record the purchase first, then pay its closing ({G6})."
            ),
        ));
    };
    if rep.received > today {
        return Err(closing_refused(
            "property",
            "closing_not_after_today",
            format!(
                "{} is recorded for {}, after today ({}): a closing is paid once it has happened ({G6}).",
                capitalized(&closing_words(rep)),
                format_date(rep.received),
                format_date(today)
            ),
        ));
    }
    let report = likekind_core::analyze::figures(file, today);
    let standing = report
        .identification
        .as_ref()
        .and_then(|i| i.properties.iter().find(|p| p.id == *id))
        .map(|p| p.standing);
    let why = match standing {
        Some(Standing::Qualifies) => None,
        Some(Standing::IdentifiedLate) => Some("it was identified after the identification period"),
        Some(Standing::Revoked) => Some("its identification was revoked"),
        Some(Standing::ReceivedLate) => {
            Some("it was received after the end of the exchange period")
        }
        Some(Standing::OverIdentified) => Some(
            "more properties were identified than the identification rules allow, so none counts as identified",
        ),
        Some(Standing::NotIdentified | Standing::NotReceived) | None => Some(
            "it was not identified in writing within the 45-day identification period, nor received within it",
        ),
    };
    if let Some(why) = why {
        return Err(closing_refused(
            "property",
            "identified_replacement",
            format!(
                "{} pays no replacement property of this exchange: {why}. Paying it from the exchange funds would put them at the taxpayer's disposal ({G6}).",
                capitalized(&closing_words(rep))
            ),
        ));
    }
    let need = report
        .money
        .purchases
        .iter()
        .find(|p| p.id == *id)
        .map(|p| likekind_core::money::cents(p.from_exchange_funds))
        .unwrap_or_default();
    let need_cents = i64::try_from(need).map_err(|_| ApiError::internal())?;
    if need_cents <= 0 {
        return Err(closing_refused(
            "property",
            "closing_need",
            format!(
                "{} needs nothing from the exchange funds: the new loan and the taxpayer's own cash pay it, as the exchange file records it ({G6}).",
                capitalized(&closing_words(rep))
            ),
        ));
    }
    if amount_cents > need_cents {
        return Err(closing_refused(
            "amount",
            "closing_need",
            format!(
                "The amount {} is more than {} needs from the exchange funds: {} in all ({G6}).",
                crate::cents::dollars(amount_cents),
                closing_words(rep),
                crate::cents::dollars(need_cents)
            ),
        ));
    }
    Ok(ClosingPaid {
        property_id: id.to_string(),
        need_cents,
    })
}

/// `s` with its first letter a capital, to open a sentence.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A recorded purchase closing in words, for the ledger's refusals: its description (the
/// file's id when it has none) and the day it closed.
pub fn closing_words(rep: &likekind_core::model::Replacement) -> String {
    // Named as the papers and pages name a property: its description, else its name.
    let what = likekind_core::words::property(&rep.id, &rep.description);
    let named = if rep.description.trim().is_empty() {
        format!("the property \"{what}\"")
    } else {
        format!("“{what}”")
    };
    format!(
        "the purchase closing of {named} on {}",
        format_date(rep.received)
    )
}

/// A store refusal in the API's words, a closing paid beyond its need named as `file`
/// records it.
fn in_words(e: likekind_store::StoreError, file: &ExchangeFile) -> ApiError {
    match e {
        likekind_store::StoreError::ClosingOverpaid {
            property_id,
            need_cents,
            paid_cents,
            amount_cents,
        } => match file.replacement.iter().find(|r| r.id == property_id) {
            Some(rep) => crate::error::closing_overpaid(
                &closing_words(rep),
                &property_id,
                [need_cents, paid_cents, amount_cents],
            ),
            None => likekind_store::StoreError::ClosingOverpaid {
                property_id,
                need_cents,
                paid_cents,
                amount_cents,
            }
            .into(),
        },
        other => other.into(),
    }
}

/// How many days before today a bank value date may be.
pub const VALUE_DATE_WINDOW_DAYS: i32 = 30;

/// The value date of a request, and the name of the field it came in.
fn requested_value_date(req: &PostingReq) -> ApiResult<Option<(&'static str, Date)>> {
    match (req.value_date, req.posted_on) {
        (Some(v), Some(p)) if v != p => Err(ApiError::field(
            "value_date",
            "conflict",
            "give the bank value date once: value_date and posted_on (its old name) differ",
        )),
        (Some(v), _) => Ok(Some(("value_date", v))),
        (None, Some(p)) => Ok(Some(("posted_on", p))),
        (None, None) => Ok(None),
    }
}

/// Checks a bank value date against today: within the window, never in the future.
///
/// # Errors
/// 422 naming `field`.
pub fn check_value_date(field: &str, date: Date, today: Date) -> ApiResult<()> {
    if date > today {
        return Err(ApiError::field(
            field,
            "not_after_today",
            format!(
                "a value date cannot be after today ({}): a posting takes effect the day it is made",
                likekind_core::money::format_date(today)
            ),
        ));
    }
    let earliest = today.saturating_sub(jiff::Span::new().days(VALUE_DATE_WINDOW_DAYS));
    if date < earliest {
        return Err(ApiError::field(
            field,
            "value_date_window",
            format!(
                "a value date can be at most {VALUE_DATE_WINDOW_DAYS} days before today: not before {}",
                likekind_core::money::format_date(earliest)
            ),
        ));
    }
    Ok(())
}

/// Adds a posting (admin, coordinator). The posting takes effect today (`posted_on`); an
/// optional bank `value_date` is accepted only within 30 days before today. A release before the (g)(6) date is refused (422,
/// `release_before_allowed`, with the rule and the date) unless an admin gives
/// `override_reason`; a disbursement must name in `property` a recorded purchase closing of
/// replacement property (identified, or received within 45 days; not dated after today) and,
/// with the earlier disbursements to it, may not exceed what that closing needs from the
/// exchange funds (422, Treas. Reg. §1.1031(k)-1(g)(6)); a disbursement, release or fee
/// that, with what already left the exchange without a second approval, would exceed the
/// firm's threshold is filed for a second person's approval (202: the rule cannot be split
/// into payments just under it), and one above the balance is refused at once (422,
/// `insufficient_funds`).
///
/// With an `Idempotency-Key` header, the same request again (a retry after a timeout) is
/// answered with what the first one made and moves no money ([`crate::request_key`]).
#[utoipa::path(post, path = "/api/exchanges/{id}/ledger", tag = "ledger", params(("id" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "1 to 255 visible ASCII characters, new for each payment: the same key with the same request again is answered with the first request's posting or approval (with `Idempotent-Replayed: true`) and moves no money; with a different request it is refused (422 `idempotency_key_reused`).")),
    request_body = PostingReq,
    responses((status = 201, body = PostResult, description = "Posted"), (status = 202, body = PostResult, description = "Filed for a second person's approval"),
        (status = 403, body = crate::error::ErrorBody, description = "Only an admin or a coordinator posts; only an admin overrides"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 409, body = crate::error::ErrorBody, description = "The exchange changed while the release was judged"),
        (status = 422, body = crate::error::ErrorBody, description = "A field breaks a rule, the release is before the (g)(6) date, the disbursement does not pay a recorded closing of replacement property or exceeds its need, or the funds do not cover it")))]
pub async fn post(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<PostToLedger>,
    P(id): P<String>,
    key: IdempotencyKey,
    JsonBody(req): JsonBody<PostingReq>,
) -> ApiResult<Response> {
    let ex = load(&state, &auth, &id).await?;
    let amount_cents = parse_positive("amount", &req.amount)?;
    if req.memo.chars().count() > 2000 {
        return Err(ApiError::field("memo", "length", "at most 2000 characters"));
    }
    let r = post_judged(&state, &auth, &ex, key, &req, amount_cents).await;
    if let Err(e) = &r {
        let asked = serde_json::json!({
            "kind": req.kind.as_str(),
            "amount_cents": amount_cents,
            "memo": req.memo,
            "property_id": req.property,
            "value_date": req.value_date.or(req.posted_on).map(|d| d.to_string()),
            "override_reason": req.override_reason,
        });
        audit_refused(&state, &auth, &ex.id, None, asked, e).await;
    }
    r
}

/// Keeps a payment a rule refused (422) in the audit log, in words: who asked to move what
/// (`asked`: the payment's facts), and why not; with `approval`, the pending approval whose
/// approving was refused. So is a request to override the (g)(6) release rule by someone who
/// may not (403): an attempt to get money out before the date the rule allows. Any other
/// failure (no right, no such exchange, a conflict) is not a rule's refusal of a payment and
/// is not kept. A failure to write it is logged, not answered: the refusal stands either way.
async fn audit_refused(
    state: &AppState,
    auth: &Auth,
    id: &str,
    approval: Option<&str>,
    mut asked: serde_json::Value,
    e: &ApiError,
) {
    let override_refused = e.status == StatusCode::FORBIDDEN && !asked["override_reason"].is_null();
    if e.status != StatusCode::UNPROCESSABLE_ENTITY && !override_refused {
        return;
    }
    // In words: each field's problem with the field named as a person reads it.
    let refusal = if e.detail.fields.is_empty() {
        e.detail.message.clone()
    } else {
        e.detail
            .fields
            .iter()
            .map(|f| likekind_core::words::problem(&f.path, &f.message))
            .collect::<Vec<_>>()
            .join(" ")
    };
    asked["refusal"] = serde_json::Value::String(refusal);
    if let Err(err) = state
        .store
        .audit_refused_payment(&auth.actor(), id, approval, asked)
        .await
    {
        eprintln!("likekind-server: the refused payment was not audited: {err}");
    }
}

/// [`post`] once the request reads: every rule judged, then posted or filed.
async fn post_judged(
    state: &AppState,
    auth: &Auth,
    ex: &likekind_store::ExchangeRow,
    key: IdempotencyKey,
    req: &PostingReq,
    amount_cents: i64,
) -> ApiResult<Response> {
    // A retry is answered with what the first request made, before any rule is judged again
    // against the balance the first one left.
    let request = key.0.map(|k| keyed_request(&k, req, amount_cents));
    if let Some(r) = &request
        && let Some(first) = replay(state, auth, &ex.id, r).await?
    {
        return Ok(first);
    }
    // Only an administrator overrides: anyone else is refused for asking (403) before the
    // reason or the kind is judged (422), so the answers do not let them probe the rule.
    if req.override_reason.is_some() {
        auth.require(&[Role::Admin], "override the (g)(6) release rule")?;
    }
    let override_reason =
        crate::rules::override_reason("override_reason", req.override_reason.as_deref())?;
    if override_reason.is_some() && req.kind != PostingKind::Release {
        return Err(ApiError::field(
            "override_reason",
            "release_only",
            "only a release to the taxpayer can be overridden",
        ));
    }
    let today = state.today();
    let value_date = requested_value_date(req)?;
    let mut expected_version = None;
    // A disbursement pays a recorded purchase closing of replacement property, never more than
    // it needs (Treas. Reg. §1.1031(k)-1(g)(6)); the store checks the need against the earlier
    // disbursements to that closing in the writing transaction.
    let closing = if req.kind == PostingKind::Disbursement {
        let c = closing_paid(
            &judged_file(ex)?,
            today,
            req.property.as_deref(),
            amount_cents,
        )?;
        // The file the closing was judged on must still be the file when the posting lands.
        expected_version = Some(ex.version);
        Some(c)
    } else {
        if req.property.is_some() {
            return Err(closing_refused(
                "property",
                "disbursement_only",
                "Only a payment to a purchase closing names the property whose closing it pays."
                    .to_string(),
            ));
        }
        None
    };
    if req.kind == PostingKind::Release {
        check_release(ex, today, value_date, override_reason.is_some())?;
        // The file the rule was judged on must still be the file when the posting lands.
        expected_version = Some(ex.version);
    } else if let Some((field, date)) = value_date {
        check_value_date(field, date, today)?;
    }
    let posting = NewPosting {
        kind: req.kind,
        amount_cents,
        posted_on: today.to_string(),
        value_date: value_date.map(|(_, d)| d.to_string()),
        memo: req.memo.clone(),
        override_reason: override_reason.clone(),
        closing,
        request,
    };
    post_or_file(state, auth, ex, expected_version, posting, value_date).await
}

/// The (g)(6) guard of a release on the day the money moves (today, never a date from the
/// request), and of its bank value date: never before the first transfer, nor before the
/// allowed date unless an admin overrides.
fn check_release(
    ex: &likekind_store::ExchangeRow,
    today: Date,
    value_date: Option<(&'static str, Date)>,
    overridden: bool,
) -> ApiResult<()> {
    let file = judged_file(ex)?;
    let t = tracker_release_of(&file, today)?;
    if today < t.release.earliest && !overridden {
        return Err(early_release(&t));
    }
    let rel = t.release;
    let Some((field, date)) = value_date else {
        return Ok(());
    };
    check_value_date(field, date, today)?;
    let first = file.relinquished.iter().map(|r| r.transferred).min();
    if let Some(first) = first
        && date < first
    {
        return Err(ApiError::field(
            field,
            "before_transfer",
            format!(
                "a release's value date cannot be before the first transfer of relinquished property ({})",
                format_date(first)
            ),
        ));
    }
    if date < rel.earliest && !overridden {
        return Err(ApiError::field(
            field,
            "release_before_allowed",
            format!(
                "a release's value date cannot be before {} ({}): exchange funds cannot go to the taxpayer earlier",
                format_date(rel.earliest),
                rel.authority
            ),
        ));
    }
    Ok(())
}

/// The refusal of a value date on a payment that waits for a second person: the money moves
/// the day it is approved.
fn no_value_date_when_waiting(field: &str, why: &str) -> ApiError {
    ApiError::field(
        field,
        "awaits_approval",
        format!(
            "{why}: the money moves the day a second person approves it, so it takes no value date"
        ),
    )
}

/// Posts, or files for a second person's approval (202). Every way money leaves the exchange
/// funds (a closing paid, a release, the intermediary's fee) is held to the same four eyes: a
/// fee is no side door. A payment above the firm's threshold waits at once; one below it that,
/// with what already left this exchange without a second approval, would exceed it, is
/// refused by the store in the writing transaction (after the lock its balance check takes, so
/// two requests at once cannot both pass) and is filed instead: the rule cannot be split.
async fn post_or_file(
    state: &AppState,
    auth: &Auth,
    ex: &likekind_store::ExchangeRow,
    expected_version: Option<i64>,
    posting: NewPosting,
    value_date: Option<(&'static str, Date)>,
) -> ApiResult<Response> {
    let amount_cents = posting.amount_cents;
    if matches!(
        posting.kind,
        PostingKind::Disbursement | PostingKind::Release | PostingKind::Fee
    ) {
        // More than is held is refused now, not filed for an approval that must fail.
        if amount_cents > ex.balance_cents {
            return Err(likekind_store::StoreError::InsufficientFunds {
                balance_cents: ex.balance_cents,
                amount_cents,
            }
            .into());
        }
        let firm = state.store.get_firm(auth.firm()).await?;
        if amount_cents > firm.approval_threshold_cents {
            if let Some((field, _)) = value_date {
                return Err(no_value_date_when_waiting(
                    field,
                    "this payment is above the firm's threshold",
                ));
            }
            return file_for_approval(state, auth, ex, posting).await;
        }
    }
    let p = match state
        .store
        .post(&auth.actor(), &ex.id, expected_version, posting.clone())
        .await
    {
        Ok(p) => p,
        Err(likekind_store::StoreError::NeedsApproval {
            threshold_cents,
            unapproved_cents,
            ..
        }) => {
            if let Some((field, _)) = value_date {
                return Err(no_value_date_when_waiting(
                    field,
                    &format!(
                        "{} has already left this exchange without a second approval, and with this payment it would be more than the firm's threshold of {}",
                        crate::cents::dollars(unapproved_cents),
                        crate::cents::dollars(threshold_cents)
                    ),
                ));
            }
            return file_for_approval(state, auth, ex, posting).await;
        }
        Err(likekind_store::StoreError::Repeated(_)) => {
            return repeated(state, auth, &ex.id, &posting).await;
        }
        Err(e) => return Err(in_words(e, &judged_file(ex)?)),
    };
    let balance = show(p.balance_after_cents);
    Ok((
        StatusCode::CREATED,
        Json(PostResult {
            posting: Some(p.into()),
            approval: None,
            balance,
        }),
    )
        .into_response())
}

/// Files a payment for a second person's approval: 202 with the approval.
async fn file_for_approval(
    state: &AppState,
    auth: &Auth,
    ex: &likekind_store::ExchangeRow,
    posting: NewPosting,
) -> ApiResult<Response> {
    let id = ex.id.as_str();
    let ap = match state
        .store
        .request_approval(&auth.actor(), id, posting.clone())
        .await
    {
        Ok(ap) => ap,
        Err(likekind_store::StoreError::Repeated(_)) => {
            return repeated(state, auth, id, &posting).await;
        }
        Err(e) => return Err(in_words(e, &judged_file(ex)?)),
    };
    let ex = state.store.get_exchange(auth.firm(), id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(PostResult {
            posting: None,
            approval: Some(ap.into()),
            balance: show(ex.balance_cents),
        }),
    )
        .into_response())
}

/// The key with what the request asks, in one text: the same key is answered with the first
/// payment only when the request is the same.
pub fn keyed_request(key: &str, req: &PostingReq, amount_cents: i64) -> RequestKey {
    let value_date = req.value_date.or(req.posted_on).map(|d| d.to_string());
    let fingerprint = serde_json::json!([
        req.kind.as_str(),
        amount_cents,
        req.memo,
        req.property,
        value_date,
        req.override_reason.as_deref().map(str::trim),
    ])
    .to_string();
    RequestKey {
        key: key.to_string(),
        fingerprint,
    }
}

/// The answer to a request whose key was already used on this exchange: what the first
/// request made, or a refusal when it asked something else. `None` when the key is new.
///
/// # Errors
/// 422 `idempotency_key_reused` when the key came with a different request; a store failure.
pub async fn replay(
    state: &AppState,
    auth: &Auth,
    exchange_id: &str,
    request: &RequestKey,
) -> ApiResult<Option<Response>> {
    let firm = auth.firm();
    let Some(kept) = state
        .store
        .kept_request(firm, exchange_id, &request.key)
        .await?
    else {
        return Ok(None);
    };
    if kept.fingerprint != request.fingerprint {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "This idempotency key was already used for a different payment on this exchange: nothing was posted. Send a new request with a new key.",
        ));
    }
    let balance = show(
        state
            .store
            .get_exchange(firm, exchange_id)
            .await?
            .balance_cents,
    );
    let (status, result) = match (&kept.posting_id, &kept.approval_id) {
        (Some(id), _) => {
            let p = state.store.get_posting(firm, exchange_id, id).await?;
            (
                StatusCode::CREATED,
                PostResult {
                    posting: Some(p.into()),
                    approval: None,
                    balance,
                },
            )
        }
        (None, Some(id)) => {
            let a = state.store.get_approval(firm, exchange_id, id).await?;
            (
                StatusCode::ACCEPTED,
                PostResult {
                    posting: None,
                    approval: Some(a.into()),
                    balance,
                },
            )
        }
        (None, None) => return Err(request_key::in_progress()),
    };
    let mut r = (status, Json(result)).into_response();
    r.headers_mut()
        .insert("Idempotent-Replayed", HeaderValue::from_static("true"));
    Ok(Some(r))
}

/// The answer to a request whose key another request with the same key claimed while this
/// one was judged (two at once): what that one made.
async fn repeated(
    state: &AppState,
    auth: &Auth,
    id: &str,
    posting: &NewPosting,
) -> ApiResult<Response> {
    let Some(r) = &posting.request else {
        return Err(ApiError::internal());
    };
    replay(state, auth, id, r)
        .await?
        .ok_or_else(request_key::in_progress)
}

/// The exchange's postings in order, with its balance (staff; a client sees their own).
#[utoipa::path(get, path = "/api/exchanges/{id}/ledger", tag = "ledger", operation_id = "list_ledger", params(("id" = String, Path), PageQuery),
    responses((status = 200, body = LedgerView), (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    Q(page): Q<PageQuery>,
) -> ApiResult<Json<LedgerView>> {
    let ex = load(&state, &auth, &id).await?;
    let p = page.req()?;
    let rows = state.store.list_postings(auth.firm(), &id, p).await?;
    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= p.limit;
    let next = if full {
        rows.last().map(|r| r.seq.to_string())
    } else {
        None
    };
    Ok(Json(LedgerView {
        balance: show(ex.balance_cents),
        items: rows.into_iter().map(Into::into).collect(),
        next,
    }))
}

/// The exchange's approvals.
#[utoipa::path(get, path = "/api/exchanges/{id}/approvals", tag = "ledger", params(("id" = String, Path)),
    responses((status = 200, body = Vec<ApprovalView>), (status = 403, body = crate::error::ErrorBody, description = "A client cannot read approvals"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn list_approvals(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<ReadApprovals>,
    P(id): P<String>,
) -> ApiResult<Json<Vec<ApprovalView>>> {
    load(&state, &auth, &id).await?;
    let rows = state.store.list_approvals(auth.firm(), &id).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Decides a pending approval. Approving one that a rule refuses (422: the release still
/// before the (g)(6) date on the day of approval, the closing paid or changed, the funds
/// short) moves no money and is kept in the audit log like a refused payment, against the
/// approval: the second person's attempt is as much a fact as the first person's request.
async fn decide(
    state: AppState,
    Permitted { auth, .. }: Permitted<DecideApprovals>,
    id: String,
    aid: String,
    approve: bool,
) -> ApiResult<Json<PostResult>> {
    let ex = load(&state, &auth, &id).await?;
    let pending = state
        .store
        .list_approvals(auth.firm(), &id)
        .await?
        .into_iter()
        .find(|a| a.id == aid);
    let r = decide_judged(&state, &auth, &ex, &aid, approve, pending.as_ref()).await;
    if let (Err(e), true, Some(a)) = (&r, approve, &pending) {
        let asked = serde_json::json!({
            "kind": a.kind.as_str(),
            "amount_cents": a.amount_cents,
            "memo": a.memo,
            "property_id": a.property_id,
            "override_reason": a.override_reason,
            "requested_by": a.requested_by,
        });
        audit_refused(&state, &auth, &ex.id, Some(&a.id), asked, e).await;
    }
    r
}

/// [`decide`] once the exchange and the approval (`pending`, when it is the exchange's) are
/// read: the rules of the day judged again when approving, then the decision written.
async fn decide_judged(
    state: &AppState,
    auth: &Auth,
    ex: &likekind_store::ExchangeRow,
    aid: &str,
    approve: bool,
    pending: Option<&likekind_store::ApprovalRow>,
) -> ApiResult<Json<PostResult>> {
    let id = ex.id.as_str();
    let today = state.today();
    let mut expected_version = None;
    let mut closing_need_cents = None;
    if approve {
        // A release moves money the day it is approved: the (g)(6) guard judges that day.
        if let Some(a) = pending
            && a.kind == PostingKind::Release
            && a.status == "pending"
        {
            if a.override_reason.is_none() {
                let t = tracker_release_of(&judged_file(ex)?, today)?;
                if today < t.release.earliest {
                    return Err(early_release(&t));
                }
            }
            expected_version = Some(ex.version);
        }
        // So does a disbursement: its closing is judged again on this day, with this file.
        if let Some(a) = pending
            && a.kind == PostingKind::Disbursement
            && a.status == "pending"
        {
            let c = closing_paid(
                &judged_file(ex)?,
                today,
                a.property_id.as_deref(),
                a.amount_cents,
            )?;
            closing_need_cents = Some(c.need_cents);
            expected_version = Some(ex.version);
        }
    }
    let decided_on = today.to_string();
    let decided = state
        .store
        .decide_approval(
            &auth.actor(),
            id,
            aid,
            Decision {
                approve,
                decided_on: &decided_on,
                expected_version,
                closing_need_cents,
            },
        )
        .await;
    let (ap, posting) = match decided {
        Ok(d) => d,
        Err(e) => return Err(in_words(e, &judged_file(ex)?)),
    };
    let ex = state.store.get_exchange(auth.firm(), id).await?;
    Ok(Json(PostResult {
        posting: posting.map(Into::into),
        approval: Some(ap.into()),
        balance: show(ex.balance_cents),
    }))
}

/// Approves a pending disbursement, release or fee: a second person (not the requester) appends
/// it, effective today; a release is judged again by the (g)(6) rule on this day (422).
#[utoipa::path(post, path = "/api/exchanges/{id}/approvals/{approval_id}/approve", tag = "ledger",
    params(("id" = String, Path), ("approval_id" = String, Path)),
    responses((status = 200, body = PostResult), (status = 403, body = crate::error::ErrorBody, description = "Only an admin or a coordinator decides, never the requester"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange or approval"),
        (status = 409, body = crate::error::ErrorBody, description = "Already decided, or the exchange changed"),
        (status = 422, body = crate::error::ErrorBody, description = "The release is before the (g)(6) date, or the funds do not cover it")))]
pub async fn approve(
    State(state): State<AppState>,
    permitted: Permitted<DecideApprovals>,
    P((id, aid)): P<(String, String)>,
) -> ApiResult<Json<PostResult>> {
    decide(state, permitted, id, aid, true).await
}

/// Rejects a pending disbursement, release or fee.
#[utoipa::path(post, path = "/api/exchanges/{id}/approvals/{approval_id}/reject", tag = "ledger",
    params(("id" = String, Path), ("approval_id" = String, Path)),
    responses((status = 200, body = PostResult), (status = 403, body = crate::error::ErrorBody, description = "Only an admin or a coordinator decides"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange or approval"),
        (status = 409, body = crate::error::ErrorBody, description = "Already decided")))]
pub async fn reject(
    State(state): State<AppState>,
    permitted: Permitted<DecideApprovals>,
    P((id, aid)): P<(String, String)>,
) -> ApiResult<Json<PostResult>> {
    decide(state, permitted, id, aid, false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Oak sold; elm's purchase closing recorded with `description`.
    fn file(description: &str) -> ExchangeFile {
        likekind_core::parse_exchange(
            &format!(
                "[taxpayer]\nname = \"P\"\nentity = \"individual\"\n[[relinquished]]\nid = \"oak\"\nlocation = \"CA\"\nacquired = \"2015-06-01\"\ntransferred = \"2026-03-02\"\nsale_price = \"1000000\"\nadjusted_basis = \"400000\"\n[[replacement]]\nid = \"elm\"\ndescription = \"{description}\"\nlocation = \"TX\"\nreceived = \"2026-04-25\"\nprice = \"900000\"\n"
            ),
            likekind_core::Format::Toml,
        )
        .expect("the file reads")
        .into_file()
    }

    /// QA pass 11, defect 6: a closing paid beyond its need is named in words (its
    /// description and the day it closed), not by the file's id.
    #[test]
    fn an_overpaid_closing_is_named_in_words() {
        assert_eq!(
            closing_words(&file("Elm Plaza, 400 Elm St, Austin TX").replacement[0]),
            "the purchase closing of “Elm Plaza, 400 Elm St, Austin TX” on Apr 25, 2026"
        );
        assert_eq!(
            closing_words(&file(" ").replacement[0]),
            "the purchase closing of the property \"elm\" on Apr 25, 2026"
        );
        let overpaid = || likekind_store::StoreError::ClosingOverpaid {
            property_id: "elm".into(),
            need_cents: 60_000_000,
            paid_cents: 60_000_000,
            amount_cents: 500,
        };
        let e = in_words(overpaid(), &file("Elm Plaza"));
        assert_eq!(
            e.detail.message,
            "The amount $5.00 is more than the purchase closing of “Elm Plaza” on Apr 25, 2026 still needs from the exchange funds: it needs $600,000.00 in all, $600,000.00 has already been paid to it, so at most $0.00 may be paid now (Treas. Reg. §1.1031(k)-1(g)(6): before the allowed date the exchange funds may pay for replacement property, never reach the taxpayer)."
        );
        assert_eq!(e.detail.fields[0].path, "amount");
        // A closing no longer in the file: named by its id, in quotes.
        let mut gone = file("Elm Plaza");
        gone.replacement.clear();
        let e = in_words(overpaid(), &gone);
        assert!(
            e.detail
                .message
                .contains("the purchase closing of the property \"elm\" still needs")
        );
    }
}
