//! Identification notices (Treas. Reg. §1.1031(k)-1(c)): submitted, judged by the engine on
//! submission (which rule they meet, or why they fail), signed by the exchanger (only then
//! do they enter the exchange file's `identified` list), and revoked in writing.

use crate::AppState;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::exchanges::{file_of, load};
use crate::extract::{Auth, JsonBody, P};
use crate::permit::{Permitted, RecordPaperNotices, RevokeNotices, SubmitNotices};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::civil::Date;
use likekind_core::model::{ExchangeFile, Identified};
use likekind_store::{NoticeChange, NoticeRow, Role};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use utoipa::ToSchema;

/// One property named in a notice.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeProperty {
    /// The id the replacement will have in the exchange file.
    pub id: String,
    /// How the notice names the property: a legal description, a street address or a
    /// distinguishable name (the regulation requires an unambiguous one; at least one of
    /// `description`, `address` and `legal_description` must be given).
    pub description: String,
    /// The street address, when given apart from the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The legal description (lot, block, plat or metes and bounds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_description: Option<String>,
    /// FMV at the end of the identification period, decimal string.
    pub fmv: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidental_personal_property: Option<String>,
}

/// A notice to submit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"identified_on": "2026-04-10", "properties": [
    {"id": "elm", "description": "Elm Plaza, 400 Elm St, Austin TX", "fmv": "600000"}
]}))]
pub struct NoticeReq {
    /// `YYYY-MM-DD`: the date of the written notice.
    #[schema(value_type = String, format = Date)]
    pub identified_on: Date,
    pub properties: Vec<NoticeProperty>,
}

/// A notice as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    pub id: String,
    /// `submitted`, `signed`, `revoked`.
    pub status: String,
    pub identified_on: String,
    #[schema(value_type = Vec<NoticeProperty>)]
    pub properties: serde_json::Value,
    /// The engine's judgement at submission: `accepted`, `identification` (valid, rule) and
    /// `problems` (findings with their authority).
    #[schema(value_type = Object)]
    pub judgement: serde_json::Value,
    pub submitted_by: String,
    pub submitted_at: String,
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
    pub revoked_on: Option<String>,
    pub revoked_at: Option<String>,
    /// `electronic` (submitted and signed here) or `paper` (a signed paper notice recorded by
    /// staff: `submitted_by` and `signed_by` are the staff member who recorded it).
    pub kind: String,
    /// A paper notice: the day it was delivered.
    pub delivered_on: Option<String>,
    /// A paper notice: the person who received it.
    pub received_by: Option<String>,
    /// A paper notice: the scanned notice among the exchange's documents.
    pub document_id: Option<String>,
}

impl From<NoticeRow> for NoticeView {
    fn from(n: NoticeRow) -> Self {
        NoticeView {
            id: n.id,
            status: n.status,
            identified_on: n.identified_on,
            properties: serde_json::from_str(&n.properties).unwrap_or_default(),
            judgement: serde_json::from_str(&n.judgement).unwrap_or_default(),
            submitted_by: n.submitted_by,
            submitted_at: n.submitted_at,
            signed_by: n.signed_by,
            signed_at: n.signed_at,
            revoked_on: n.revoked_on,
            revoked_at: n.revoked_at,
            kind: n.kind,
            delivered_on: n.delivered_on,
            received_by: n.received_by,
            document_id: n.document_id,
        }
    }
}

fn money(path: &str, s: &str) -> ApiResult<Decimal> {
    let d: Decimal = s
        .trim()
        .parse()
        .map_err(|_| ApiError::field(path, "money", format!("{s:?} is not an amount")))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(ApiError::field(
            path,
            "non_negative",
            "the amount cannot be negative",
        ));
    }
    Ok(d)
}

/// The exchange file with the notice's properties added as identified on `on`.
pub fn with_notice(
    file: &ExchangeFile,
    props: &[NoticeProperty],
    on: Date,
) -> ApiResult<ExchangeFile> {
    let mut f = file.clone();
    let existing = f.identified.len();
    for (k, p) in props.iter().enumerate() {
        let text = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let item = Identified {
            id: p.id.trim().into(),
            description: p.description.trim().to_string(),
            address: text(&p.address),
            legal_description: text(&p.legal_description),
            fmv: money(&format!("properties[{k}].fmv"), &p.fmv)?.into(),
            identified_on: on,
            revoked_on: None,
            incidental_personal_property: match &p.incidental_personal_property {
                Some(s) => {
                    money(&format!("properties[{k}].incidental_personal_property"), s)?.into()
                }
                None => Decimal::ZERO.into(),
            },
            revocation_written: true,
        };
        if !item.is_described() {
            return Err(ApiError::field(
                &format!("properties[{k}].description"),
                "unambiguous_description",
                format!(
                    "describe the property by its street address, legal description or a distinguishable name: a notice identifies only property it describes unambiguously ({IDENTIFICATION_DESCRIPTION_AUTHORITY})"
                ),
            ));
        }
        f.identified.push(item);
    }
    likekind_core::validate::validate(&f).map_err(|e| {
        let fields = e
            .errors
            .into_iter()
            .map(|x| FieldError {
                path: renumber(&x.path, existing),
                rule: x.rule,
                message: x.message,
            })
            .collect();
        ApiError::fields("the notice does not fit the exchange file", fields)
    })?;
    Ok(f)
}

/// `identified[5].fmv` → `properties[2].fmv` when 3 were already identified.
fn renumber(path: &str, existing: usize) -> String {
    if let Some(rest) = path.strip_prefix("identified[")
        && let Some((n, tail)) = rest.split_once(']')
        && let Ok(n) = n.parse::<usize>()
        && n >= existing
    {
        return format!("properties[{}]{tail}", n - existing);
    }
    format!("file.{path}")
}

/// The engine's judgement of the exchange's identification with the notice in force, on the
/// tracker's today (the file's own `as_of` does not count).
pub fn judge(f: &ExchangeFile, today: Date) -> serde_json::Value {
    let report = likekind_core::analyze(&likekind_store::summary::tracked(f.clone()), today);
    let problems: Vec<_> = report
        .findings
        .iter()
        .filter(|x| {
            x.code.contains("identif")
                || x.path
                    .as_deref()
                    .is_some_and(|p| p.starts_with("identified"))
        })
        .collect();
    let valid = report.identification.as_ref().is_some_and(|i| i.valid);
    let on_95 = on_the_95_percent_rule(&report, today);
    let accepted = (valid || on_95)
        && !problems
            .iter()
            .any(|p| p.severity == likekind_core::findings::Severity::Error);
    serde_json::json!({
        "accepted": accepted,
        "on_the_95_percent_rule": on_95,
        "identification": report.identification,
        "deadlines": report.deadlines,
        "problems": problems,
    })
}

/// More properties identified than the three-property and 200% rules allow is still a valid
/// identification if the identified property received by the end of the exchange period is
/// worth at least 95% of all of it (Treas. Reg. §1.1031(k)-1(c)(4)(ii)(B)): until the exchange
/// period ends, such a notice can be signed, on that rule, with the engine's warning saying
/// how much must be received. Only over-identification may stand in the way: a property
/// identified late or revoked is judged as before.
fn on_the_95_percent_rule(report: &likekind_core::Report, today: Date) -> bool {
    let Some(i) = report.identification.as_ref() else {
        return false;
    };
    let open = report
        .deadlines
        .as_ref()
        .is_some_and(|d| today <= d.exchange_end);
    open && !i.valid
        && !i.properties.is_empty()
        && i.properties
            .iter()
            .all(|p| p.standing == likekind_core::identification::Standing::OverIdentified)
}

/// The authority for the 45-day identification period and the signed, delivered notice.
pub const IDENTIFICATION_AUTHORITY: &str =
    "IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(b)(2)(i), (c)(2)";

/// The authority for describing each identified property unambiguously.
pub const IDENTIFICATION_DESCRIPTION_AUTHORITY: &str = "Treas. Reg. §1.1031(k)-1(c)(3)";

pub use crate::identification_closed::identification_end;

/// A notice made in the portal takes effect when it is made, so after the identification
/// period no notice made now can identify property, whatever date is typed on it: refused
/// (422 on `identified_on`, rule `identification_period_ended`, `identification_end` and
/// `authority` in `details`). Only a signed paper notice delivered on or before the last day
/// can still be recorded, by the intermediary's staff.
///
/// # Errors
/// The refusal above.
pub fn still_identifying(f: &ExchangeFile, today: Date) -> ApiResult<()> {
    if let Some(end) = identification_end(f)
        && today > end
    {
        return Err(period_ended("identified_on", end));
    }
    Ok(())
}

fn period_ended(path: &str, end: Date) -> ApiError {
    ApiError::field(
        path,
        "identification_period_ended",
        format!(
            "the identification period ended on {end_words}: a notice made now cannot identify replacement property, whatever date it bears ({IDENTIFICATION_AUTHORITY}); only a signed paper notice delivered to the intermediary on or before {end_words} can still be recorded, by the intermediary's staff",
            end_words = likekind_core::money::format_date(end)
        ),
    )
    .with_details(serde_json::json!({
        "identification_end": end.to_string(),
        "authority": IDENTIFICATION_AUTHORITY,
    }))
}

/// The earliest date a notice of this exchange may bear: the first transfer of property
/// given up (the identification period runs from it, Treas. Reg. §1.1031(k)-1(b)(2)), or the
/// day the exchange was opened here when that is earlier. The engine accepts an
/// identification made before the transfer (in the exchange agreement, (c)(2)), so a notice
/// may come before the transfer, but not before the exchange it belongs to existed: a date
/// before both is a mistake (1900-01-01), not a notice.
pub fn earliest_notice_date(ex: &likekind_store::ExchangeRow, f: &ExchangeFile) -> Option<Date> {
    let opened = ex.created_at.get(..10).and_then(|d| d.parse::<Date>().ok());
    let transfer = [
        f.first_transfer(),
        f.reverse
            .as_ref()
            .and_then(|r| r.qualified_indicia_transferred),
    ]
    .into_iter()
    .flatten()
    .min();
    [opened, transfer].into_iter().flatten().min()
}

/// A notice's date (`path`) is not before [`earliest_notice_date`].
///
/// # Errors
/// 422 on `path`, rule `not_before_exchange`, the earliest date in `details`.
pub fn check_not_before_exchange(
    ex: &likekind_store::ExchangeRow,
    f: &ExchangeFile,
    on: Date,
    path: &str,
) -> ApiResult<()> {
    let Some(earliest) = earliest_notice_date(ex, f).filter(|e| on < *e) else {
        return Ok(());
    };
    let words = likekind_core::money::format_date;
    let why = match f.first_transfer() {
        Some(t) if t == earliest => "the day the property given up was transferred: the identification period runs from that transfer (Treas. Reg. §1.1031(k)-1(b)(2)), and this exchange was opened here after it".to_string(),
        t => format!(
            "the day this exchange was opened here: a property may be identified before the transfer of the property given up{} only within the exchange ({DELIVERY_AUTHORITY})",
            t.map_or_else(String::new, |t| format!(" (on {})", words(t)))
        ),
    };
    Err(ApiError::field(
        path,
        "not_before_exchange",
        format!(
            "a notice of this exchange cannot be dated before {}, {why}; {} is before that",
            words(earliest),
            words(on),
        ),
    )
    .with_details(serde_json::json!({
        "earliest": earliest.to_string(),
        "authority": "Treas. Reg. §1.1031(k)-1(b)(2), (c)(2)",
    })))
}

/// Submits a notice (the exchanger, or QI staff on their behalf); the engine judges it now.
///
/// A notice made here takes effect today: after the identification period (day 45) it is
/// refused (422, rule `identification_period_ended`, with `identification_end` and
/// `authority` in `details`), whatever date it bears; a notice dated after today, or before
/// the exchange began (`not_before_exchange`, see [`earliest_notice_date`]), is refused
/// too. A signed paper notice delivered in time is recorded by staff instead
/// (`POST /api/exchanges/{id}/notices/paper`).
#[utoipa::path(post, path = "/api/exchanges/{id}/notices", tag = "notices", params(("id" = String, Path)),
    request_body = NoticeReq, responses((status = 201, body = NoticeView), (status = 403, body = crate::error::ErrorBody, description = "A preparer cannot submit notices"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 422, body = crate::error::ErrorBody, description = "A field breaks a rule, or the notice does not fit the exchange file")))]
pub async fn submit(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<SubmitNotices>,
    P(id): P<String>,
    JsonBody(req): JsonBody<NoticeReq>,
) -> ApiResult<(StatusCode, Json<NoticeView>)> {
    let ex = load(&state, &auth, &id).await?;
    if req.properties.is_empty() {
        return Err(ApiError::field(
            "properties",
            "required",
            "a notice names at least one property",
        ));
    }
    if req.identified_on > state.today() {
        return Err(ApiError::field(
            "identified_on",
            "not_future",
            "a notice cannot be dated after today",
        ));
    }
    let current = file_of(&ex)?;
    still_identifying(&current, state.today())?;
    check_not_before_exchange(&ex, &current, req.identified_on, "identified_on")?;
    let f = with_notice(&current, &req.properties, req.identified_on)?;
    let judgement = judge(&f, state.today());
    let props = serde_json::to_string(&req.properties).map_err(|_| ApiError::internal())?;
    let n = state
        .store
        .create_notice(
            &auth.actor(),
            &id,
            &req.identified_on.to_string(),
            &props,
            &judgement.to_string(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(n.into())))
}

/// The exchange's notices.
#[utoipa::path(get, path = "/api/exchanges/{id}/notices", tag = "notices", operation_id = "list_notices", params(("id" = String, Path)),
    responses((status = 200, body = Vec<NoticeView>), (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Json<Vec<NoticeView>>> {
    load(&state, &auth, &id).await?;
    let rows = state.store.list_notices(auth.firm(), &id).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Signs a notice: only the exchanger (the exchange's client) signs, and only a notice the
/// engine accepted when it was submitted and still accepts with the notices signed since
/// (409 `identification_would_fail` or `identification_changed` otherwise, see
/// [`signable`]). Its properties then enter the exchange file as identified.
#[utoipa::path(post, path = "/api/exchanges/{id}/notices/{notice_id}/sign", tag = "notices",
    params(("id" = String, Path), ("notice_id" = String, Path)),
    responses((status = 200, body = NoticeView), (status = 403, body = crate::error::ErrorBody, description = "Only the exchange's client signs"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange or notice"),
        (status = 409, body = crate::error::ErrorBody, description = "Not accepted by the engine, no longer valid with the notices signed since, not waiting for signature, too late, or the exchange changed"),
        (status = 422, body = crate::error::ErrorBody, description = "The notice no longer fits the exchange file")))]
pub async fn sign(
    State(state): State<AppState>,
    auth: Auth,
    P((id, nid)): P<(String, String)>,
) -> ApiResult<Json<NoticeView>> {
    let ex = load(&state, &auth, &id).await?;
    if ex.client_id.as_deref() != Some(auth.user.id.as_str()) {
        return Err(ApiError::forbidden(
            "only the exchanger (the exchange's client) signs an identification notice (Reg. 1.1031(k)-1(c)(2))",
        ));
    }
    let n = state.store.get_notice(auth.firm(), &id, &nid).await?;
    let f = signable(&file_of(&ex)?, &n, state.today())?;
    let file = serde_json::to_string(&f).map_err(|_| ApiError::internal())?;
    let (n, _) = state
        .store
        .change_notice(
            &auth.actor(),
            &id,
            &nid,
            NoticeChange {
                to_status: "signed".into(),
                from_status: "submitted".into(),
                revoked_on: None,
                file,
                expected_version: ex.version,
                expected_ledger_seq: None,
                record: None,
            },
        )
        .await?;
    Ok(Json(n.into()))
}

/// The exchange file with notice `n` signed on `today`, judged again as the identification
/// would then stand. A notice is judged when it is submitted, but the identification it
/// joins may have grown since (another notice signed), and the identification is judged as a
/// whole (Treas. Reg. §1.1031(k)-1(c)(4)): more than three properties worth more than 200% of
/// the property given up is no identification at all unless 95% of it is received. So a
/// signature is refused (409, in words, with the fresh judgement in `details`) when:
/// - the engine did not accept the notice when it was submitted;
/// - the identification period is over (`identification_period_ended`);
/// - signing would make the identification fail (`identification_would_fail`);
/// - signing would make it stand only on the 95% rule while the notice was judged valid
///   without it (`identification_changed`): the taxpayer submits it again, to be judged with
///   the notices in force (and sign it knowing the 95% rule), or revokes another first.
///
/// # Errors
/// The refusals above; 422 when the notice no longer fits the exchange file.
pub fn signable(current: &ExchangeFile, n: &NoticeRow, today: Date) -> ApiResult<ExchangeFile> {
    let flag = |j: &serde_json::Value, k: &str| j.get(k) == Some(&serde_json::Value::Bool(true));
    let stored: serde_json::Value = serde_json::from_str(&n.judgement).unwrap_or_default();
    if !flag(&stored, "accepted") {
        return Err(ApiError::conflict(
            "the engine did not accept this notice (see its judgement): submit a corrected one",
        ));
    }
    // An electronic signature after day 45 would date the identification too early: the
    // notice must be signed and delivered within the identification period.
    if let Some(end) = identification_end(current)
        && today > end
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "identification_period_ended",
            format!(
                "the identification period ended on {end_words}: a notice signed now is too late and cannot identify replacement property ({IDENTIFICATION_AUTHORITY}); only a signed paper notice delivered to the intermediary on or before {end_words} can still be recorded, by the intermediary's staff",
                end_words = likekind_core::money::format_date(end)
            ),
        )
        .with_details(serde_json::json!({
            "identification_end": end.to_string(),
            "authority": IDENTIFICATION_AUTHORITY,
        })));
    }
    let props: Vec<NoticeProperty> =
        serde_json::from_str(&n.properties).map_err(|_| ApiError::internal())?;
    let on: Date = n.identified_on.parse().map_err(|_| ApiError::internal())?;
    let f = with_notice(current, &props, on)?;
    let fresh = judge(&f, today);
    let (accepted, on_95) = (
        flag(&fresh, "accepted"),
        flag(&fresh, "on_the_95_percent_rule"),
    );
    if accepted && (!on_95 || flag(&stored, "on_the_95_percent_rule")) {
        return Ok(f);
    }
    Err(signing_refused(&f, fresh, accepted))
}

/// The authority for judging the identification as a whole.
pub const IDENTIFICATION_RULES_AUTHORITY: &str = "Treas. Reg. §1.1031(k)-1(c)(4)";

/// Why signing a notice now is refused, in words: what would be identified and the rule.
fn signing_refused(f: &ExchangeFile, fresh: serde_json::Value, accepted: bool) -> ApiError {
    let usd = likekind_core::money::format_usd;
    let in_force: Vec<&Identified> = f
        .identified
        .iter()
        .filter(|i| i.revoked_on.is_none())
        .collect();
    let total: Decimal = in_force.iter().map(|i| Decimal::from(i.fmv)).sum();
    let sold = Decimal::from(f.relinquished_fmv());
    let share = if sold.is_zero() {
        String::new()
    } else {
        format!(
            ", {}% of the {} the property given up sold for",
            (total * Decimal::ONE_HUNDRED / sold).round(),
            usd(sold)
        )
    };
    let count = in_force.len();
    let figures = format!(
        "{count} propert{} would be identified, worth {}{share}",
        if count == 1 { "y" } else { "ies" },
        usd(total)
    );
    let since = "This notice was judged valid on its own when it was submitted, before the notices signed since; it was not signed: submit it again to be judged with the notices in force, or revoke another notice first";
    let (code, message) = if accepted {
        let threshold = fresh["identification"]["threshold_95"]
            .as_str()
            .and_then(|t| t.parse::<Decimal>().ok())
            .map_or_else(|| "95% of their value".to_string(), usd);
        (
            "identification_changed",
            format!(
                "signing this notice now would change the identification: {figures}. That is more than three properties worth more than 200% of the property given up, so it meets neither the three-property rule nor the 200% rule ({IDENTIFICATION_RULES_AUTHORITY}(i)); it would stand only if the properties received by the end of the exchange period are worth at least {threshold} (the 95% rule, {IDENTIFICATION_RULES_AUTHORITY}(ii)(B)), and otherwise nothing would count as identified. {since}."
            ),
        )
    } else {
        (
            "identification_would_fail",
            format!(
                "signing this notice now would make the identification fail, so that nothing counts as identified: {figures}; {} ({IDENTIFICATION_RULES_AUTHORITY}). {since}.",
                problems_in_words(&fresh).unwrap_or_else(|| {
                    "more than three properties worth more than 200% of the property given up meet neither the three-property rule nor the 200% rule".to_string()
                })
            ),
        )
    };
    ApiError::new(StatusCode::CONFLICT, code, message).with_details(serde_json::json!({
        "judgement": fresh,
        "authority": IDENTIFICATION_RULES_AUTHORITY,
    }))
}

/// The engine's problems with a judgement, in words, joined; `None` when it names none.
fn problems_in_words(judgement: &serde_json::Value) -> Option<String> {
    let why: Vec<String> = judgement["problems"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p["message"].as_str().map(likekind_core::words::message))
                .collect()
        })
        .unwrap_or_default();
    (!why.is_empty()).then(|| why.join("; "))
}

/// A written revocation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeReq {
    /// `YYYY-MM-DD`: the date the written revocation was delivered.
    #[schema(value_type = String, format = Date)]
    pub revoked_on: Date,
    /// Staff recording a signed paper revocation: the scanned revocation signed by the
    /// taxpayer, already uploaded among the exchange's documents (kind
    /// `identification_notice`). Required once the identification period is over.
    #[serde(default)]
    pub document_id: Option<String>,
    /// Staff recording a signed paper revocation: the person who received it (the person the
    /// identification was sent to, not the taxpayer or a disqualified person). Required once
    /// the identification period is over.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200)]
    pub received_by: Option<String>,
    /// Admin only: record a paper revocation after the identification period although it lets
    /// the exchange funds go to the taxpayer earlier under Treas. Reg. §1.1031(k)-1(g)(6), for
    /// this written reason (at least 10 characters), kept in the audit log.
    #[serde(default)]
    #[schema(min_length = 10, max_length = 2000, pattern = r"\S[\s\S]{8,}\S")]
    pub override_reason: Option<String>,
}

/// Revokes a notice: a signed one (its properties stop being identified) or one still waiting
/// for signature (withdrawn). The exchanger, or QI staff recording the written revocation.
///
/// An identification is revoked only by a written document signed by the taxpayer and
/// delivered before the end of the identification period (Treas. Reg. §1.1031(k)-1(c)(6)):
/// a revocation dated after day 45 (or after today, or before the notice) is refused (422 on
/// `revoked_on`, with the period's end in `details`). Once the period is over (on the
/// tracker's today), a signed notice's revocation dated within it is recorded only by staff,
/// as a paper record with the evidence a paper notice needs: the scanned signed revocation
/// (`document_id`) and who received it (`received_by`, not the taxpayer); when money is held
/// and the revocation would let it go to the taxpayer earlier under (g)(6), it is refused
/// (422 `release_moved_earlier`) unless an administrator gives `override_reason`, kept in the
/// audit log with the evidence.
#[utoipa::path(post, path = "/api/exchanges/{id}/notices/{notice_id}/revoke", tag = "notices",
    params(("id" = String, Path), ("notice_id" = String, Path)), request_body = RevokeReq,
    responses((status = 200, body = NoticeView), (status = 403, body = crate::error::ErrorBody, description = "A preparer cannot revoke notices; only an admin overrides the (g)(6) rule"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange or notice"),
        (status = 409, body = crate::error::ErrorBody, description = "The notice is already revoked, or the exchange or its ledger changed"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<RevokeNotices>,
    P((id, nid)): P<(String, String)>,
    JsonBody(req): JsonBody<RevokeReq>,
) -> ApiResult<Json<NoticeView>> {
    let ex = load(&state, &auth, &id).await?;
    let n = state.store.get_notice(auth.firm(), &id, &nid).await?;
    if n.status != "signed" && n.status != "submitted" {
        return Err(ApiError::conflict(format!(
            "the notice is {}: only a submitted or signed notice can be revoked",
            n.status
        )));
    }
    let today = state.today();
    // A client revokes here and now: only staff record the date of a written revocation
    // delivered earlier (on paper), and that is in the audit log under their name. Otherwise
    // a client could undo an identification after day 45 by dating the revocation back.
    if auth.role() == Role::Client && req.revoked_on != today {
        return Err(ApiError::field(
            "revoked_on",
            "client_dates_today",
            format!(
                "a revocation made in the client portal is dated the day it is made ({}); a written revocation delivered earlier is recorded by the intermediary",
                likekind_core::money::format_date(today)
            ),
        ));
    }
    let mut f = file_of(&ex)?;
    revocation_allowed(&f, &n, req.revoked_on, today)?;
    // After the period only a signed paper revocation delivered within it can be recorded:
    // an identification in force is not undone on anyone's word (Treas. Reg.
    // §1.1031(k)-1(c)(6)).
    let late = n.status == "signed" && identification_end(&f).is_some_and(|end| today > end);
    let record = revocation_record(&state, &auth, &ex, &f, &req, late).await?;
    // Only a signed notice's properties are in the exchange file; a submitted one is withdrawn.
    if n.status == "signed" {
        let props: Vec<NoticeProperty> =
            serde_json::from_str(&n.properties).map_err(|_| ApiError::internal())?;
        for i in f.identified.iter_mut() {
            if props.iter().any(|p| p.id.trim() == i.id) && i.revoked_on.is_none() {
                i.revoked_on = Some(req.revoked_on);
                i.revocation_written = true;
            }
        }
    }
    if late {
        // The file-edit guard's own judgement: once money is held, a late record that lets
        // it go earlier under (g)(6) needs an administrator's written reason.
        let reason = record.as_ref().and_then(|r| r["override_reason"].as_str());
        crate::exchanges::check_release_not_earlier(&auth, &ex, &f, today, reason)?;
    }
    let file = serde_json::to_string(&f).map_err(|_| ApiError::internal())?;
    let (n, _) = state
        .store
        .change_notice(
            &auth.actor(),
            &id,
            &nid,
            NoticeChange {
                to_status: "revoked".into(),
                from_status: n.status.clone(),
                revoked_on: Some(req.revoked_on.to_string()),
                file,
                expected_version: ex.version,
                expected_ledger_seq: late.then_some(ex.ledger_seq),
                record,
            },
        )
        .await?;
    Ok(Json(n.into()))
}

/// What staff record with a signed paper revocation, for the audit log: the scanned
/// revocation among the exchange's documents and who received it (the rules of a paper
/// notice's document and recipient, Treas. Reg. §1.1031(k)-1(c)(2), (c)(6)), and an
/// administrator's reason. Required when `late` (the period is over); checked when given
/// otherwise; a client gives none (a client's revocation is made here and now).
///
/// # Errors
/// 422 naming each field missing or wrong at once.
async fn revocation_record(
    state: &AppState,
    auth: &Auth,
    ex: &likekind_store::ExchangeRow,
    f: &ExchangeFile,
    req: &RevokeReq,
    late: bool,
) -> ApiResult<Option<serde_json::Value>> {
    let text = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (doc, who) = (text(&req.document_id), text(&req.received_by));
    let reason = crate::rules::override_reason("override_reason", req.override_reason.as_deref())?;
    if !late && doc.is_none() && who.is_none() && reason.is_none() {
        return Ok(None);
    }
    if auth.role() == Role::Client {
        return Err(ApiError::field(
            "document_id",
            "staff_only",
            "a revocation made in the client portal is made here and now; a signed paper revocation is recorded by the intermediary's staff",
        ));
    }
    let end = identification_end(f).map(likekind_core::money::format_date);
    let after = end.map_or_else(String::new, |e| {
        format!("the identification period ended on {e}, so ")
    });
    let document = match &doc {
        Some(d) => signed_document(
            state,
            auth,
            &ex.id,
            d,
            "the revocation signed by the taxpayer",
        )
        .await
        .map(|_| ()),
        None => Err(ApiError::field(
            "document_id",
            "required",
            format!(
                "attach the scanned revocation signed by the taxpayer: {after}an identification is revoked only by a written document signed by the taxpayer and delivered within it ({REVOCATION_AUTHORITY})"
            ),
        )),
    };
    let received = match &who {
        Some(w) => match received_by_length(w) {
            Ok(()) => {
                let names = taxpayer_names(state, auth, ex, f).await?;
                check_delivered_to_other(w, names.iter().map(String::as_str), "a revocation")
            }
            Err(e) => Err(e),
        },
        None => Err(ApiError::field(
            "received_by",
            "required",
            format!(
                "name the person who received the signed revocation: {after}it counts only if delivered within the period to the person the identification was sent to ({REVOCATION_AUTHORITY})"
            ),
        )),
    };
    ApiError::together([document.as_ref().err(), received.as_ref().err()])?;
    Ok(Some(serde_json::json!({
        "revoked_on": req.revoked_on.to_string(),
        "document_id": doc,
        "received_by": who,
        "override_reason": reason,
        "recorded_after_identification_period": late,
    })))
}

/// The authority for revoking an identification.
pub const REVOCATION_AUTHORITY: &str = "Treas. Reg. §1.1031(k)-1(c)(6)";

/// Whether a revocation dated `on` can take effect: not after today, not before the notice,
/// and no later than the last day of the identification period (Treas. Reg.
/// §1.1031(k)-1(c)(6): revoked only by a signed written document delivered before the end of
/// the identification period; later, the identification stays in force).
///
/// # Errors
/// 422 on `revoked_on`; the `within_identification_period` refusal carries
/// `identification_end` and `authority` in `details`.
pub fn revocation_allowed(
    file: &ExchangeFile,
    n: &NoticeRow,
    on: Date,
    today: Date,
) -> ApiResult<()> {
    if on > today {
        return Err(ApiError::field(
            "revoked_on",
            "not_future",
            "a revocation cannot be dated after today",
        ));
    }
    if let Ok(identified) = n.identified_on.parse::<Date>()
        && on < identified
    {
        return Err(ApiError::field(
            "revoked_on",
            "not_before_notice",
            format!(
                "a revocation cannot be dated before the notice it revokes ({})",
                likekind_core::money::format_date(identified)
            ),
        ));
    }
    if let Some(d) =
        likekind_core::deadlines::inputs_of(file).map(|i| likekind_core::deadlines::dates(&i))
        && on > d.identification_end
    {
        return Err(ApiError::field(
            "revoked_on",
            "within_identification_period",
            format!(
                "the identification period ended on {}: an identification can be revoked only by a written document signed by the taxpayer and delivered before the end of the identification period, so it stays in force ({REVOCATION_AUTHORITY})",
                d.identification_end
            ),
        )
        .with_details(serde_json::json!({
            "identification_end": d.identification_end.to_string(),
            "authority": REVOCATION_AUTHORITY,
        })));
    }
    Ok(())
}

/// A signed paper notice that reached the intermediary: recorded by staff.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperNoticeReq {
    /// `YYYY-MM-DD`: the day the signed notice was delivered (on or before the last day of the
    /// identification period, and not after today). The properties are identified that day.
    #[schema(value_type = String, format = Date)]
    pub delivered_on: Date,
    /// The person who received the notice (at the intermediary, or another person involved
    /// in the exchange who is not a disqualified person).
    pub received_by: String,
    /// The scanned signed notice, already uploaded among the exchange's documents (kind
    /// `identification_notice`).
    pub document_id: String,
    pub properties: Vec<NoticeProperty>,
}

/// A file uploaded with a paper notice (the pages' form), stored in the same transaction.
#[derive(Debug, Clone)]
pub struct PaperUpload {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// Records a signed paper notice (admin or coordinator): the notice names the properties, was
/// signed by the exchanger and delivered on `delivered_on` to `received_by`; the scanned
/// notice is one of the exchange's documents. The engine judges it as the identification;
/// one it does not accept, one delivered after the identification period or after today, or
/// one without its document is refused (422, in words). Audited under the staff member's name.
#[utoipa::path(post, path = "/api/exchanges/{id}/notices/paper", tag = "notices",
    params(("id" = String, Path)), request_body = PaperNoticeReq,
    responses((status = 201, body = NoticeView), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn paper(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<RecordPaperNotices>,
    P(id): P<String>,
    JsonBody(req): JsonBody<PaperNoticeReq>,
) -> ApiResult<(StatusCode, Json<NoticeView>)> {
    record_paper(&state, &auth, &id, req, None).await
}

/// What [`paper`] does; the pages pass the scanned notice uploaded with the form.
///
/// # Errors
/// As [`paper`].
pub async fn record_paper(
    state: &AppState,
    auth: &Auth,
    id: &str,
    req: PaperNoticeReq,
    upload: Option<PaperUpload>,
) -> ApiResult<(StatusCode, Json<NoticeView>)> {
    auth.require_right::<RecordPaperNotices>()?;
    let ex = load(state, auth, id).await?;
    let today = state.today();
    let current = file_of(&ex)?;
    check_paper(&current, &req, today)?;
    check_not_before_exchange(&ex, &current, req.delivered_on, "delivered_on")?;
    let names = taxpayer_names(state, auth, &ex, &current).await?;
    check_delivered_to_other(
        &req.received_by,
        names.iter().map(String::as_str),
        "an identification notice",
    )?;
    let document = match upload {
        Some(u) => {
            // The documents' own rules (see `documents::upload`).
            let filename = u.filename.trim().to_string();
            if filename.is_empty()
                || filename.chars().count() > 255
                || filename.contains(['/', '\\', '\0'])
            {
                return Err(ApiError::field(
                    "file",
                    "filename",
                    "the scanned notice needs a plain file name of 1 to 255 characters",
                ));
            }
            if u.content.is_empty() {
                return Err(ApiError::field(
                    "file",
                    "required",
                    "attach the scanned signed notice",
                ));
            }
            likekind_store::PaperDocument::New(likekind_store::NewDocument {
                kind: "identification_notice".into(),
                sha256: crate::auth::hex(&sha2::Sha256::digest(&u.content)),
                filename,
                content_type: u.content_type.chars().take(200).collect(),
                content: u.content,
            })
        }
        None => likekind_store::PaperDocument::Existing(
            signed_document(state, auth, id, &req.document_id, "the signed notice").await?,
        ),
    };
    let f = with_notice(&current, &req.properties, req.delivered_on)?;
    let judgement = judge(&f, today);
    if judgement.get("accepted") != Some(&serde_json::Value::Bool(true)) {
        return Err(ApiError::field(
            "properties",
            "valid_identification",
            match problems_in_words(&judgement) {
                None => "the engine does not accept this notice as a valid identification (Treas. Reg. §1.1031(k)-1(c))".to_string(),
                Some(why) => format!(
                    "the engine does not accept this notice as a valid identification: {why}"
                ),
            },
        )
        .with_details(judgement));
    }
    let props = serde_json::to_string(&req.properties).map_err(|_| ApiError::internal())?;
    let file = serde_json::to_string(&f).map_err(|_| ApiError::internal())?;
    let (n, _) = state
        .store
        .record_paper_notice(
            &auth.actor(),
            id,
            likekind_store::PaperNotice {
                delivered_on: req.delivered_on.to_string(),
                properties: props,
                judgement: judgement.to_string(),
                received_by: req.received_by.trim().to_string(),
                document,
                file,
                expected_version: ex.version,
            },
        )
        .await
        .map_err(|e| match e {
            likekind_store::StoreError::NotFound => ApiError::field(
                "document_id",
                "document_of_exchange",
                "attach the scanned signed notice: upload it among this exchange's documents first",
            ),
            other => other.into(),
        })?;
    Ok((StatusCode::CREATED, Json(n.into())))
}

/// The authority for the person a notice is delivered to.
pub const DELIVERY_AUTHORITY: &str = "Treas. Reg. §1.1031(k)-1(c)(2)";

/// The taxpayer's names for the "received by" rule: the exchange file's taxpayer and the
/// exchange's client (the exchanger's account is the taxpayer too).
///
/// # Errors
/// A database failure.
async fn taxpayer_names(
    state: &AppState,
    auth: &Auth,
    ex: &likekind_store::ExchangeRow,
    f: &ExchangeFile,
) -> ApiResult<Vec<String>> {
    let mut names = vec![f.taxpayer.name.clone()];
    if let Some(c) = ex.client_id.as_deref() {
        match state.store.get_user(auth.firm(), c).await {
            Ok(u) => names.push(u.name),
            Err(likekind_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(names)
}

/// A scanned signed document already among the exchange's documents, of the kind
/// identification notice (a notice, or the revocation of one): its id. `what` names it in
/// the messages ("the signed notice").
///
/// # Errors
/// 422 on `document_id`: `identification_notice` (another kind), `document_of_exchange`.
async fn signed_document(
    state: &AppState,
    auth: &Auth,
    id: &str,
    document_id: &str,
    what: &str,
) -> ApiResult<String> {
    let docs = state.store.list_documents(auth.firm(), id).await?;
    match docs.iter().find(|d| d.id == document_id.trim()) {
        Some(d) if d.kind == "identification_notice" => Ok(d.id.clone()),
        Some(_) => Err(ApiError::field(
            "document_id",
            "identification_notice",
            format!(
                "the attached document must be {what}, uploaded as a document of the kind identification notice"
            ),
        )),
        None => Err(ApiError::field(
            "document_id",
            "document_of_exchange",
            format!("attach the scan of {what}: upload it among this exchange's documents first"),
        )),
    }
}

/// The authority for who is a disqualified person: the taxpayer's family among them.
pub const DISQUALIFIED_AUTHORITY: &str = "Treas. Reg. §1.1031(k)-1(k); IRC §267(b)(1), (c)(4)";

/// The words of a name, in lowercase, whatever the punctuation: `Tom Taxpayer.` → `tom`,
/// `taxpayer`.
fn name_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `s` without what it says in parentheses or brackets: `Tom Taxpayer (owner)` → `Tom Taxpayer `.
fn outside_parentheses(s: &str) -> String {
    let mut depth = 0usize;
    s.chars()
        .filter(|&c| match c {
            '(' | '[' => {
                depth += 1;
                false
            }
            ')' | ']' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// Words naming the taxpayer's family (IRC §267(c)(4): spouse, ancestors, lineal descendants,
/// brothers and sisters), disqualified persons (Treas. Reg. §1.1031(k)-1(k)).
const FAMILY_WORDS: [&str; 9] = [
    "wife", "husband", "spouse", "son", "daughter", "mother", "father", "brother", "sister",
];

/// The last words of a name that are not its family name (an entity's form, a generation).
const NOT_A_FAMILY_NAME: [&str; 14] = [
    "llc", "inc", "corp", "co", "lp", "llp", "ltd", "trust", "company", "partners", "jr", "sr",
    "ii", "iii",
];

/// Who `received_by` names among the taxpayer and the taxpayer's family, if anyone: the
/// taxpayer's name (whatever the case, spacing and punctuation, with or without words in
/// parentheses), the words "the taxpayer", or a family word beside the taxpayer's family name
/// or the word "taxpayer" ("Mrs. Taxpayer (his wife)"). `Some(true)`: the taxpayer;
/// `Some(false)`: family. Kept simple on purpose: ordinary names of the intermediary's staff
/// pass.
fn taxpayer_or_family<'a>(
    received_by: &str,
    taxpayer_names: impl IntoIterator<Item = &'a str>,
) -> Option<bool> {
    let all = name_words(received_by);
    let main = name_words(&outside_parentheses(received_by));
    let plain: Vec<&str> = main
        .iter()
        .map(String::as_str)
        .filter(|w| !matches!(*w, "the" | "a" | "mr" | "mrs" | "ms"))
        .collect();
    let names: Vec<Vec<String>> = taxpayer_names.into_iter().map(name_words).collect();
    let mut family_names = vec!["taxpayer".to_string()];
    family_names.extend(names.iter().filter(|w| w.len() > 1).filter_map(|w| {
        w.iter()
            .rev()
            .find(|w| !NOT_A_FAMILY_NAME.contains(&w.as_str()))
            .cloned()
    }));
    // A family word beside the family name: "Mrs. Taxpayer (his wife)", "the taxpayer's son".
    if all.iter().any(|w| FAMILY_WORDS.contains(&w.as_str()))
        && all.iter().any(|w| family_names.contains(w))
    {
        return Some(false);
    }
    let named = names.iter().any(|words| match words.len() {
        0 => false,
        1 => main == *words,
        n => main.windows(n).any(|w| w == words.as_slice()),
    });
    (named || matches!(plain.as_slice(), ["taxpayer" | "exchanger"])).then_some(true)
}

/// A notice (or a revocation, `what`) counts only when delivered to a person involved in the
/// exchange other than the taxpayer or a disqualified person (Treas. Reg. §1.1031(k)-1(c)(2);
/// the intermediary qualifies): one "received by" the taxpayer is one the taxpayer kept, and
/// the taxpayer's spouse and family are disqualified persons (Treas. Reg.
/// §1.1031(k)-1(k), IRC §267(b)). `received_by` is compared with each of `taxpayer_names`
/// (the exchange file's taxpayer, the exchange's client) as [`taxpayer_or_family`] says.
///
/// # Errors
/// 422 on `received_by`, rule `not_the_taxpayer` or `not_a_disqualified_person`.
pub fn check_delivered_to_other<'a>(
    received_by: &str,
    taxpayer_names: impl IntoIterator<Item = &'a str>,
    what: &str,
) -> ApiResult<()> {
    let who = received_by.split_whitespace().collect::<Vec<_>>().join(" ");
    let rule = format!(
        "{what} must be delivered to a person involved in the exchange other than the taxpayer or a disqualified person, such as the qualified intermediary ({DELIVERY_AUTHORITY}); name the person who received it for the intermediary"
    );
    match taxpayer_or_family(received_by, taxpayer_names) {
        None => Ok(()),
        Some(true) => Err(ApiError::field(
            "received_by",
            "not_the_taxpayer",
            format!("{who} is the taxpayer: {rule}"),
        )
        .with_details(serde_json::json!({ "authority": DELIVERY_AUTHORITY }))),
        Some(false) => Err(ApiError::field(
            "received_by",
            "not_a_disqualified_person",
            format!(
                "{who} is of the taxpayer's family, and the taxpayer's spouse and family are disqualified persons ({DISQUALIFIED_AUTHORITY}), who cannot receive it: {rule}"
            ),
        )
        .with_details(serde_json::json!({ "authority": DELIVERY_AUTHORITY }))),
    }
}

/// The name of the person who received a paper notice or revocation: 1 to 200 characters.
///
/// # Errors
/// 422 on `received_by`, rule `required`.
fn received_by_length(who: &str) -> ApiResult<()> {
    let who = who.trim();
    if who.is_empty() || who.chars().count() > 200 {
        return Err(ApiError::field(
            "received_by",
            "required",
            "name the person who received it (1 to 200 characters)",
        ));
    }
    Ok(())
}

/// The rules of a paper notice that do not need the store.
///
/// # Errors
/// 422 naming the field and the rule in words.
pub fn check_paper(f: &ExchangeFile, req: &PaperNoticeReq, today: Date) -> ApiResult<()> {
    if req.properties.is_empty() {
        return Err(ApiError::field(
            "properties",
            "required",
            "a notice names at least one property",
        ));
    }
    received_by_length(&req.received_by)?;
    if req.delivered_on > today {
        return Err(ApiError::field(
            "delivered_on",
            "not_future",
            "a notice cannot have been delivered after today",
        ));
    }
    if let Some(end) = identification_end(f)
        && req.delivered_on > end
    {
        return Err(ApiError::field(
            "delivered_on",
            "within_identification_period",
            format!(
                "the identification period ended on {end_words}: a notice delivered after that day does not identify replacement property ({IDENTIFICATION_AUTHORITY})",
                end_words = likekind_core::money::format_date(end)
            ),
        )
        .with_details(serde_json::json!({
            "identification_end": end.to_string(),
            "authority": IDENTIFICATION_AUTHORITY,
        })));
    }
    Ok(())
}
