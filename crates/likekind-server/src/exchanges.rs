//! Exchanges: each holds its exchange file (the contract's JSON, the same the CLI reads) and
//! its tracker state; the analysis is the engine's report, byte for byte what
//! `likekind analyze --format json` prints for the same file and date.

use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Auth, JsonBody, P, Q};
use crate::{AppState, Page, PageQuery};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use likekind_core::model::ExchangeFile;
use likekind_store::{
    AuditEntry, Event, ExchangeRow, ExchangeUpdate, NewEvent, Party, Phase, Role,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Roles that work on every exchange of the firm.
pub const STAFF: &[Role] = &[Role::Admin, Role::Coordinator, Role::Preparer];
/// Roles that handle money and the exchange's course.
pub const QI: &[Role] = &[Role::Admin, Role::Coordinator];

/// Loads an exchange the caller may see: any of the firm's for staff, only their own for a
/// client. Anything else is "not found", so ids of other firms and clients reveal nothing.
///
/// # Errors
/// 404.
pub async fn load(state: &AppState, auth: &Auth, id: &str) -> ApiResult<ExchangeRow> {
    let ex = state.store.get_exchange(auth.firm(), id).await?;
    if auth.role() == Role::Client && ex.client_id.as_deref() != Some(auth.user.id.as_str()) {
        return Err(ApiError::not_found());
    }
    Ok(ex)
}

/// The stored exchange file (validated when it was written).
///
/// # Errors
/// 500 if the stored JSON no longer reads (it was validated on write).
pub fn file_of(ex: &ExchangeRow) -> ApiResult<ExchangeFile> {
    serde_json::from_str(&ex.file).map_err(|e| {
        eprintln!(
            "likekind-server: stored exchange {} does not parse: {e}",
            ex.id
        );
        ApiError::internal()
    })
}

/// Reads and validates an exchange file from a request, prefixing error paths with `prefix`.
///
/// # Errors
/// 422 with every problem the engine's input checks find.
pub fn parse_file(v: &serde_json::Value, prefix: &str) -> ApiResult<ExchangeFile> {
    likekind_core::parse_exchange(&v.to_string(), likekind_core::Format::Json)
        .map(likekind_core::Exchange::into_file)
        .map_err(|e| {
            let fields: Vec<FieldError> = e
                .errors
                .into_iter()
                .map(|x| FieldError {
                    path: if x.path.is_empty() {
                        prefix.to_string()
                    } else {
                        format!("{prefix}.{}", x.path)
                    },
                    rule: x.rule,
                    message: x.message,
                })
                .collect();
            ApiError::fields("the exchange file is not valid", fields)
        })
}

fn file_json(f: &ExchangeFile) -> ApiResult<String> {
    serde_json::to_string(f).map_err(|_| ApiError::internal())
}

/// Where an exchange stands today: the stored phase, refined by its deadlines.
pub fn status_of(ex: &ExchangeRow, file: Option<&ExchangeFile>, today: Date) -> &'static str {
    match ex.phase {
        Phase::Draft => "draft",
        Phase::Completed => "completed",
        Phase::Failed => "failed",
        Phase::RelinquishedClosed => {
            let d = file.and_then(|f| {
                likekind_core::deadlines::inputs_of(f).map(|i| likekind_core::deadlines::dates(&i))
            });
            match d {
                Some(d) if today <= d.first_transfer => "relinquished_closed",
                Some(d) if today <= d.identification_end => "identification_period",
                Some(_) => "acquisition",
                None => "relinquished_closed",
            }
        }
    }
}

/// An exchange as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangeView {
    pub id: String,
    pub name: String,
    pub client_id: Option<String>,
    /// `draft`, `relinquished_closed`, `identification_period`, `acquisition`, `completed`,
    /// `failed`.
    pub status: String,
    /// Funds held for the exchange (decimal string).
    pub balance: String,
    /// Send it back as `version` when changing the exchange.
    pub version: i64,
    /// Deadlines from the engine, when the file has a transfer.
    #[schema(value_type = Option<Object>)]
    pub deadlines: Option<likekind_core::deadlines::Deadlines>,
    /// The exchange file (contract JSON); omitted in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub file: Option<serde_json::Value>,
    pub created_at: String,
    pub updated_at: String,
}

/// Builds the view of an exchange.
///
/// # Errors
/// 500 when the stored file does not read.
pub fn view(ex: &ExchangeRow, today: Date, with_file: bool) -> ApiResult<ExchangeView> {
    let f = file_of(ex)?;
    let deadlines =
        likekind_core::deadlines::inputs_of(&f).map(|i| likekind_core::deadlines::dates(&i));
    Ok(ExchangeView {
        id: ex.id.clone(),
        name: ex.name.clone(),
        client_id: ex.client_id.clone(),
        status: status_of(ex, Some(&f), today).to_string(),
        balance: crate::money::show(ex.balance_cents),
        version: ex.version,
        deadlines,
        file: if with_file {
            serde_json::to_value(&f).ok()
        } else {
            None
        },
        created_at: ex.created_at.clone(),
        updated_at: ex.updated_at.clone(),
    })
}

/// Opens an exchange.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Oak Street to Elm Plaza", "file": {
    "taxpayer": {"entity": "individual"},
    "relinquished": [{"id": "oak", "location": "CA", "acquired": "2015-06-01", "transferred": "2026-03-02",
        "sale_price": "1000000", "adjusted_basis": "400000", "liabilities_relieved": "300000", "exchange_expenses": "30000"}],
    "identified": [{"id": "elm", "fmv": "600000", "identified_on": "2026-04-10"}],
    "replacement": [{"id": "elm", "location": "TX", "received": "2026-06-15", "price": "600000", "liabilities_assumed": "250000"}]
}}))]
pub struct NewExchangeReq {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    /// A user of the firm with the `client` role: the exchanger.
    pub client_id: Option<String>,
    /// The exchange file (contract JSON, as `likekind analyze` reads it).
    #[schema(value_type = Object)]
    pub file: serde_json::Value,
}

async fn check_client(state: &AppState, auth: &Auth, id: &str) -> ApiResult<()> {
    match state.store.get_user(auth.firm(), id).await {
        Ok(u) if u.role == Role::Client => Ok(()),
        Ok(_) => Err(ApiError::field(
            "client_id",
            "role",
            "the user is not a client",
        )),
        Err(likekind_store::StoreError::NotFound) => Err(ApiError::field(
            "client_id",
            "exists",
            "no such user in your firm",
        )),
        Err(e) => Err(e.into()),
    }
}

fn check_exchange_name(s: &str) -> ApiResult<String> {
    crate::rules::text("name", s, 200)
}

/// Opens an exchange (admin, coordinator, preparer).
#[utoipa::path(post, path = "/api/exchanges", tag = "exchanges", request_body = NewExchangeReq,
    responses((status = 201, body = ExchangeView), (status = 403, body = crate::error::ErrorBody, description = "A client cannot open exchanges"),
        (status = 422, body = crate::error::ErrorBody, description = "The name, the client or the exchange file breaks a rule")))]
pub async fn create_exchange(
    State(state): State<AppState>,
    auth: Auth,
    JsonBody(req): JsonBody<NewExchangeReq>,
) -> ApiResult<(StatusCode, Json<ExchangeView>)> {
    auth.require(STAFF, "open exchanges")?;
    let name = check_exchange_name(&req.name)?;
    let file = parse_file(&req.file, "file")?;
    if let Some(c) = &req.client_id {
        check_client(&state, &auth, c).await?;
    }
    let ex = state
        .store
        .create_exchange(
            &auth.actor(),
            &name,
            req.client_id.as_deref(),
            &file_json(&file)?,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view(&ex, state.today(), true)?)))
}

/// The exchanges the caller may see (a client: their own), oldest first.
#[utoipa::path(get, path = "/api/exchanges", tag = "exchanges", params(PageQuery),
    responses((status = 200, body = Page<ExchangeView>)))]
pub async fn list_exchanges(
    State(state): State<AppState>,
    auth: Auth,
    Q(page): Q<PageQuery>,
) -> ApiResult<Json<Page<ExchangeView>>> {
    let p = page.req()?;
    let client = (auth.role() == Role::Client).then_some(auth.user.id.as_str());
    let rows = state.store.list_exchanges(auth.firm(), client, p).await?;
    let today = state.today();
    let items = rows
        .iter()
        .map(|r| view(r, today, false))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(Page::of(items, p.limit, |v| v.id.clone())))
}

/// One exchange with its file.
#[utoipa::path(get, path = "/api/exchanges/{id}", tag = "exchanges", params(("id" = String, Path)),
    responses((status = 200, body = ExchangeView), (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn get_exchange(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Json<ExchangeView>> {
    let ex = load(&state, &auth, &id).await?;
    Ok(Json(view(&ex, state.today(), true)?))
}

/// Changes an exchange; `version` must be the one you read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchExchangeReq {
    pub version: i64,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    pub client_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub file: Option<serde_json::Value>,
}

/// Changes an exchange's name, client or file (admin, coordinator, preparer).
#[utoipa::path(patch, path = "/api/exchanges/{id}", tag = "exchanges", params(("id" = String, Path)),
    request_body = PatchExchangeReq,
    responses((status = 200, body = ExchangeView), (status = 403, body = crate::error::ErrorBody, description = "A client cannot change exchanges"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 409, body = crate::error::ErrorBody, description = "The exchange changed since you read it (version)"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn patch_exchange(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    JsonBody(req): JsonBody<PatchExchangeReq>,
) -> ApiResult<Json<ExchangeView>> {
    auth.require(STAFF, "change exchanges")?;
    load(&state, &auth, &id).await?;
    let name = req.name.as_deref().map(check_exchange_name).transpose()?;
    let file = match &req.file {
        Some(v) => Some(file_json(&parse_file(v, "file")?)?),
        None => None,
    };
    if let Some(c) = &req.client_id {
        check_client(&state, &auth, c).await?;
    }
    let ex = state
        .store
        .update_exchange(
            &auth.actor(),
            &id,
            req.version,
            ExchangeUpdate {
                name,
                client_id: req.client_id.map(Some),
                file,
            },
        )
        .await?;
    Ok(Json(view(&ex, state.today(), true)?))
}

/// The engine's report for the exchange as of today (the file's own `as_of` wins): the same
/// JSON as `likekind analyze --format json`.
#[utoipa::path(get, path = "/api/exchanges/{id}/analysis", tag = "exchanges", params(("id" = String, Path)),
    responses((status = 200, description = "The engine's JSON analysis report", content_type = "application/json", body = Object),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn analysis(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Response> {
    let ex = load(&state, &auth, &id).await?;
    let report = likekind_core::analyze(&file_of(&ex)?, state.today());
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        likekind_render::json(&report),
    )
        .into_response())
}

/// The lifecycle events an exchange takes.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The sale of the relinquished property closed: the 45/180-day clock runs.
    RelinquishedClosed,
    /// A replacement property closed.
    ReplacementClosed,
    /// Every replacement received and the funds reconciled to zero.
    Completed,
    /// The exchange failed (no valid identification, or nothing bought in time); the funds
    /// must first be released to zero.
    Failed,
    /// A dated note.
    Note,
}

impl EventKind {
    fn as_str(self) -> &'static str {
        match self {
            EventKind::RelinquishedClosed => "relinquished_closed",
            EventKind::ReplacementClosed => "replacement_closed",
            EventKind::Completed => "completed",
            EventKind::Failed => "failed",
            EventKind::Note => "note",
        }
    }
}

/// A dated event.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventReq {
    pub kind: EventKind,
    /// `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date)]
    pub on_date: Date,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

/// Records a lifecycle event and moves the exchange on (admin, coordinator).
#[utoipa::path(post, path = "/api/exchanges/{id}/events", tag = "exchanges", params(("id" = String, Path)),
    request_body = EventReq,
    responses((status = 201, body = ExchangeView), (status = 403, body = crate::error::ErrorBody, description = "Only an admin or a coordinator records events"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 409, body = crate::error::ErrorBody, description = "The event does not apply in the exchange's phase, or funds are still held"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_event(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    JsonBody(req): JsonBody<EventReq>,
) -> ApiResult<(StatusCode, Json<ExchangeView>)> {
    auth.require(QI, "record lifecycle events")?;
    let ex = load(&state, &auth, &id).await?;
    let open = matches!(ex.phase, Phase::Draft | Phase::RelinquishedClosed);
    let (phase, zero) = match req.kind {
        EventKind::RelinquishedClosed if ex.phase == Phase::Draft => {
            (Some(Phase::RelinquishedClosed), false)
        }
        EventKind::ReplacementClosed if ex.phase == Phase::RelinquishedClosed => (None, false),
        EventKind::Completed if ex.phase == Phase::RelinquishedClosed => {
            (Some(Phase::Completed), true)
        }
        EventKind::Failed if open => (Some(Phase::Failed), true),
        EventKind::Note => (None, false),
        k => {
            return Err(ApiError::conflict(format!(
                "a {} event does not apply to an exchange in phase {}",
                k.as_str(),
                ex.phase.as_str()
            )));
        }
    };
    if req.note.chars().count() > 2000 {
        return Err(ApiError::field("note", "length", "at most 2000 characters"));
    }
    let (_ev, ex) = state
        .store
        .add_event(
            &auth.actor(),
            &id,
            NewEvent {
                kind: req.kind.as_str(),
                on_date: &req.on_date.to_string(),
                note: &req.note,
                phase,
                require_zero_balance: zero,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view(&ex, state.today(), false)?)))
}

/// The exchange's lifecycle events.
#[utoipa::path(get, path = "/api/exchanges/{id}/events", tag = "exchanges", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Event>), (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn list_events(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Json<Vec<Event>>> {
    load(&state, &auth, &id).await?;
    Ok(Json(state.store.list_events(auth.firm(), &id).await?))
}

/// A party to the exchange.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyReq {
    /// e.g. `buyer`, `seller`, `escrow`, `lender`, `attorney`, `exchanger`.
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub role: String,
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    pub email: Option<String>,
}

/// Adds a party (admin, coordinator, preparer).
#[utoipa::path(post, path = "/api/exchanges/{id}/parties", tag = "exchanges", params(("id" = String, Path)),
    request_body = PartyReq, responses((status = 201, body = Party), (status = 403, body = crate::error::ErrorBody, description = "A client cannot add parties"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_party(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    JsonBody(req): JsonBody<PartyReq>,
) -> ApiResult<(StatusCode, Json<Party>)> {
    auth.require(STAFF, "add parties")?;
    load(&state, &auth, &id).await?;
    for (path, v) in [("role", &req.role), ("name", &req.name)] {
        crate::rules::text(path, v, 200)?;
    }
    let p = state
        .store
        .add_party(
            &auth.actor(),
            &id,
            req.role.trim(),
            req.name.trim(),
            req.email.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// The parties of the exchange.
#[utoipa::path(get, path = "/api/exchanges/{id}/parties", tag = "exchanges", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Party>), (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn list_parties(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Json<Vec<Party>>> {
    load(&state, &auth, &id).await?;
    Ok(Json(state.store.list_parties(auth.firm(), &id).await?))
}

/// Who did what to the exchange, when, with before and after (not for clients).
#[utoipa::path(get, path = "/api/exchanges/{id}/audit", tag = "exchanges", params(("id" = String, Path), PageQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 403, body = crate::error::ErrorBody, description = "A client cannot read the audit log"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn audit_log(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    Q(page): Q<PageQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    auth.require(STAFF, "read the audit log")?;
    load(&state, &auth, &id).await?;
    let p = page.req()?;
    let items = state.store.list_audit(auth.firm(), &id, p).await?;
    Ok(Json(Page::of(items, p.limit, |a| a.id.clone())))
}
