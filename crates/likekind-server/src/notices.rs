//! Identification notices (Treas. Reg. §1.1031(k)-1(c)): submitted, judged by the engine on
//! submission (which rule they meet, or why they fail), signed by the exchanger (only then
//! do they enter the exchange file's `identified` list), and revoked in writing.

use crate::AppState;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::exchanges::{QI, file_of, load};
use crate::extract::{Auth, JsonBody, P};
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
            fmv: money(&format!("properties[{k}].fmv"), &p.fmv)?,
            identified_on: on,
            revoked_on: None,
            incidental_personal_property: match &p.incidental_personal_property {
                Some(s) => money(&format!("properties[{k}].incidental_personal_property"), s)?,
                None => Decimal::ZERO,
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
            "the identification period ended on {end}: a notice made now cannot identify replacement property, whatever date it bears ({IDENTIFICATION_AUTHORITY}); only a signed paper notice delivered to the intermediary on or before {end} can still be recorded, by the intermediary's staff"
        ),
    )
    .with_details(serde_json::json!({
        "identification_end": end.to_string(),
        "authority": IDENTIFICATION_AUTHORITY,
    }))
}

/// Submits a notice (the exchanger, or QI staff on their behalf); the engine judges it now.
///
/// A notice made here takes effect today: after the identification period (day 45) it is
/// refused (422, rule `identification_period_ended`, with `identification_end` and
/// `authority` in `details`), whatever date it bears; a notice dated after today is refused
/// too. A signed paper notice delivered in time is recorded by staff instead
/// (`POST /api/exchanges/{id}/notices/paper`).
#[utoipa::path(post, path = "/api/exchanges/{id}/notices", tag = "notices", params(("id" = String, Path)),
    request_body = NoticeReq, responses((status = 201, body = NoticeView), (status = 403, body = crate::error::ErrorBody, description = "A preparer cannot submit notices"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 422, body = crate::error::ErrorBody, description = "A field breaks a rule, or the notice does not fit the exchange file")))]
pub async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    JsonBody(req): JsonBody<NoticeReq>,
) -> ApiResult<(StatusCode, Json<NoticeView>)> {
    auth.require(
        &[Role::Admin, Role::Coordinator, Role::Client],
        "submit identification notices",
    )?;
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
/// engine accepted. Its properties then enter the exchange file as identified.
#[utoipa::path(post, path = "/api/exchanges/{id}/notices/{notice_id}/sign", tag = "notices",
    params(("id" = String, Path), ("notice_id" = String, Path)),
    responses((status = 200, body = NoticeView), (status = 403, body = crate::error::ErrorBody, description = "Only the exchange's client signs"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange or notice"),
        (status = 409, body = crate::error::ErrorBody, description = "Not accepted by the engine, not waiting for signature, too late, or the exchange changed"),
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
    let judgement: serde_json::Value = serde_json::from_str(&n.judgement).unwrap_or_default();
    if judgement.get("accepted") != Some(&serde_json::Value::Bool(true)) {
        return Err(ApiError::conflict(
            "the engine did not accept this notice (see its judgement): submit a corrected one",
        ));
    }
    // An electronic signature after day 45 would date the identification too early: the
    // notice must be signed and delivered within the identification period.
    let current = file_of(&ex)?;
    if let Some(end) = identification_end(&current)
        && state.today() > end
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "identification_period_ended",
            format!(
                "the identification period ended on {end}: a notice signed now is too late and cannot identify replacement property ({IDENTIFICATION_AUTHORITY}); only a signed paper notice delivered to the intermediary on or before {end} can still be recorded, by the intermediary's staff"
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
    let f = with_notice(&current, &props, on)?;
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
            },
        )
        .await?;
    Ok(Json(n.into()))
}

/// A written revocation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeReq {
    /// `YYYY-MM-DD`: the date of the written revocation.
    #[schema(value_type = String, format = Date)]
    pub revoked_on: Date,
}

/// Revokes a notice: a signed one (its properties stop being identified) or one still waiting
/// for signature (withdrawn). The exchanger, or QI staff recording the written revocation.
///
/// An identification is revoked only by a written document signed by the taxpayer and
/// delivered before the end of the identification period (Treas. Reg. §1.1031(k)-1(c)(6)):
/// a revocation dated after day 45 (or after today, or before the notice) is refused (422 on
/// `revoked_on`, with the period's end in `details`).
#[utoipa::path(post, path = "/api/exchanges/{id}/notices/{notice_id}/revoke", tag = "notices",
    params(("id" = String, Path), ("notice_id" = String, Path)), request_body = RevokeReq,
    responses((status = 200, body = NoticeView), (status = 403, body = crate::error::ErrorBody, description = "A preparer cannot revoke notices"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange or notice"),
        (status = 409, body = crate::error::ErrorBody, description = "The notice is already revoked, or the exchange changed"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    auth: Auth,
    P((id, nid)): P<(String, String)>,
    JsonBody(req): JsonBody<RevokeReq>,
) -> ApiResult<Json<NoticeView>> {
    let ex = load(&state, &auth, &id).await?;
    if auth.role() != Role::Client {
        auth.require(QI, "revoke identification notices")?;
    }
    let n = state.store.get_notice(auth.firm(), &id, &nid).await?;
    if n.status != "signed" && n.status != "submitted" {
        return Err(ApiError::conflict(format!(
            "the notice is {}: only a submitted or signed notice can be revoked",
            n.status
        )));
    }
    // A client revokes here and now: only staff record the date of a written revocation
    // delivered earlier (on paper), and that is in the audit log under their name. Otherwise
    // a client could undo an identification after day 45 by dating the revocation back.
    if auth.role() == Role::Client && req.revoked_on != state.today() {
        return Err(ApiError::field(
            "revoked_on",
            "client_dates_today",
            format!(
                "a revocation made in the client portal is dated the day it is made ({}); a written revocation delivered earlier is recorded by the intermediary",
                state.today()
            ),
        ));
    }
    let mut f = file_of(&ex)?;
    revocation_allowed(&f, &n, req.revoked_on, state.today())?;
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
            },
        )
        .await?;
    Ok(Json(n.into()))
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
            format!("a revocation cannot be dated before the notice it revokes ({identified})"),
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
    auth: Auth,
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
    auth.require(QI, "record paper identification notices")?;
    let ex = load(state, auth, id).await?;
    let today = state.today();
    let current = file_of(&ex)?;
    check_paper(&current, &req, today)?;
    // The exchange's client (the exchanger's account) is the taxpayer too.
    let client = match ex.client_id.as_deref() {
        Some(c) => match state.store.get_user(auth.firm(), c).await {
            Ok(u) => Some(u.name),
            Err(likekind_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    check_not_received_by_taxpayer(
        &req.received_by,
        [
            current.taxpayer.name.as_str(),
            client.as_deref().unwrap_or(""),
        ],
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
        None => {
            let docs = state.store.list_documents(auth.firm(), id).await?;
            match docs.iter().find(|d| d.id == req.document_id.trim()) {
                Some(d) if d.kind == "identification_notice" => {
                    likekind_store::PaperDocument::Existing(d.id.clone())
                }
                Some(_) => {
                    return Err(ApiError::field(
                        "document_id",
                        "identification_notice",
                        "the attached document must be the signed identification notice (a document of the kind identification notice)",
                    ));
                }
                None => {
                    return Err(ApiError::field(
                        "document_id",
                        "document_of_exchange",
                        "attach the scanned signed notice: upload it among this exchange's documents first",
                    ));
                }
            }
        }
    };
    let f = with_notice(&current, &req.properties, req.delivered_on)?;
    let judgement = judge(&f, today);
    if judgement.get("accepted") != Some(&serde_json::Value::Bool(true)) {
        let why: Vec<String> = judgement["problems"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| p["message"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        return Err(ApiError::field(
            "properties",
            "valid_identification",
            if why.is_empty() {
                "the engine does not accept this notice as a valid identification (Treas. Reg. §1.1031(k)-1(c))".to_string()
            } else {
                format!(
                    "the engine does not accept this notice as a valid identification: {}",
                    why.join("; ")
                )
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

/// A notice identifies property only when it is delivered to a person involved in the
/// exchange other than the taxpayer or a disqualified person (Treas. Reg.
/// §1.1031(k)-1(c)(2); the intermediary qualifies): a notice "received by" the taxpayer is
/// one the taxpayer kept. `received_by` is compared with each of `taxpayer_names` (the
/// exchange file's taxpayer, the exchange's client), ignoring case and spacing.
///
/// # Errors
/// 422 on `received_by`, rule `not_the_taxpayer`.
pub fn check_not_received_by_taxpayer<'a>(
    received_by: &str,
    taxpayer_names: impl IntoIterator<Item = &'a str>,
) -> ApiResult<()> {
    let norm = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let who = norm(received_by);
    if who.is_empty() {
        return Ok(());
    }
    if let Some(name) = taxpayer_names
        .into_iter()
        .find(|n| !norm(n).is_empty() && norm(n) == who)
    {
        return Err(ApiError::field(
            "received_by",
            "not_the_taxpayer",
            format!(
                "{} is the taxpayer: an identification notice must be delivered to a person involved in the exchange other than the taxpayer or a disqualified person, such as the qualified intermediary ({DELIVERY_AUTHORITY}); name the person who received it for the intermediary",
                name.trim()
            ),
        )
        .with_details(serde_json::json!({ "authority": DELIVERY_AUTHORITY })));
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
    let who = req.received_by.trim();
    if who.is_empty() || who.chars().count() > 200 {
        return Err(ApiError::field(
            "received_by",
            "required",
            "name the person who received the notice (1 to 200 characters)",
        ));
    }
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
                "the identification period ended on {end}: a notice delivered after that day does not identify replacement property ({IDENTIFICATION_AUTHORITY})"
            ),
        )
        .with_details(serde_json::json!({
            "identification_end": end.to_string(),
            "authority": IDENTIFICATION_AUTHORITY,
        })));
    }
    Ok(())
}
