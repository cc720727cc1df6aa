//! Exchanges: each holds its exchange file (the contract's JSON, the same the CLI reads) and
//! its tracker state; the analysis is the engine's report, byte for byte what
//! `likekind analyze --format json` prints for the same file and date.

use crate::error::{ApiError, ApiResult, FieldError};
use crate::extract::{Auth, JsonBody, P, Q};
use crate::permit::{
    AddParties, ChangeExchanges, CloseExchanges, OpenExchanges, Permitted, ReadAuditLog,
    RecordEvents, ReopenExchanges,
};
use crate::{AppState, ListQuery, Page, PageQuery, PrettyQuery, json_response};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use likekind_core::constructive_receipt::Release;
use likekind_core::model::ExchangeFile;
use likekind_core::money::{format_date, format_usd};
use likekind_core::qualification::Outcome;
use likekind_store::summary::{Settled, settled_of};
use likekind_store::{
    AuditEntry, Closing, Event, ExchangeRow, ExchangeUpdate, NewEvent, Party, Phase, Role,
    StoredView,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;

pub use crate::permit::{QI, STAFF};

/// Loads an exchange the caller may see: any of the firm's for staff, only their own for a
/// client. Anything else is "not found", so ids of other firms and clients reveal nothing.
///
/// # Errors
/// 404.
pub async fn load(state: &AppState, auth: &Auth, id: &str) -> ApiResult<ExchangeRow> {
    let ex = state.store.get_exchange(auth.firm(), id).await?;
    may_see(auth, &ex)?;
    Ok(ex)
}

/// The tenancy rule on one of the firm's exchanges: staff see any, a client only their own;
/// anything else is "not found".
///
/// # Errors
/// 404.
fn may_see(auth: &Auth, ex: &ExchangeRow) -> ApiResult<()> {
    if auth.role() == Role::Client && ex.client_id.as_deref() != Some(auth.user.id.as_str()) {
        return Err(ApiError::not_found());
    }
    Ok(())
}

/// [`load`] for a request that changes nothing: the exchange's row is kept for the data
/// revision ([`crate::cache`]), per firm and exchange, and the tenancy rule is applied to it
/// on every request. A page or an analysis kept for the same revision is then served with one
/// round trip to the database (the caller and the revision, read together).
///
/// # Errors
/// 404, or a store failure.
pub async fn load_kept(state: &AppState, auth: &Auth, id: &str) -> ApiResult<ExchangeRow> {
    let key = format!("{}\u{1f}{id}", auth.firm());
    let ex = state
        .kept
        .get_or(&state.store, auth.revision, "exchange", key, || async {
            Ok(state.store.get_exchange(auth.firm(), id).await?)
        })
        .await?;
    may_see(auth, &ex)?;
    Ok(ExchangeRow::clone(&ex))
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

/// The stored file as the tracker judges it: the file's own `as_of` set aside, so the
/// exchange is judged on the tracker's today ([`likekind_store::summary::tracked`]). For
/// analyses, verdicts and PDFs; the stored file itself keeps its `as_of`.
///
/// # Errors
/// 500 when the stored file does not read.
pub fn judged_file(ex: &ExchangeRow) -> ApiResult<ExchangeFile> {
    file_of(ex).map(likekind_store::summary::tracked)
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

/// The engine's judgement of an exchange file for the tracker: its verdict (judged once the
/// exchange period is over, or at the file's own date, as the stored summary judges it) and
/// the phase that verdict settles the exchange in.
#[derive(Debug, Clone)]
pub struct Judged {
    pub deadlines: Option<likekind_core::deadlines::Deadlines>,
    pub outcome: Option<Outcome>,
    /// The verdict in a sentence or two, for people.
    pub summary: String,
    pub settled: Option<Settled>,
}

/// Judges a file (see [`Judged`]).
pub fn judge(f: &ExchangeFile) -> Judged {
    let Some(d) =
        likekind_core::deadlines::inputs_of(f).map(|i| likekind_core::deadlines::dates(&i))
    else {
        return Judged {
            deadlines: None,
            outcome: None,
            summary:
                "No relinquished property has been transferred: there is nothing to judge yet."
                    .into(),
            settled: None,
        };
    };
    // Once the exchange period is over: the file's own `as_of` does not count in the tracker.
    let at = likekind_core::calendar::add_days(d.exchange_end, 1);
    // The verdict, its summary and the dates only: no words built that are not shown here.
    let report = likekind_core::analyze::figures(f, at);
    Judged {
        deadlines: report.deadlines.clone(),
        outcome: Some(report.qualification.outcome),
        summary: report.qualification.summary.to_string(),
        settled: settled_of(f, &d, &report),
    }
}

/// The exchange's phase on `today` as the engine's verdict and the recorded events make it
/// (whether or not a coordinator closed it): `draft` until the sale closes (recorded, or
/// the file's first transfer date reached), `relinquished_closed` on the day of the sale,
/// `identification_period` to day 45, `acquisition` after it, and `completed`,
/// `partly_completed` or `failed` from the day the verdict settles it. The same rule as the
/// store's status query.
pub fn phase_of(ex: &ExchangeRow, j: &Judged, today: Date) -> &'static str {
    phase_from(ex.phase, j, today)
}

/// [`phase_of`] for an exchange in its stored `phase`.
pub fn phase_from(phase: Phase, j: &Judged, today: Date) -> &'static str {
    if let Some(s) = j.settled
        && s.from <= today
    {
        return s.phase;
    }
    match &j.deadlines {
        None if phase == Phase::Draft => "draft",
        None => "relinquished_closed",
        Some(d) if phase == Phase::Draft && d.first_transfer > today => "draft",
        Some(d) if d.first_transfer >= today => "relinquished_closed",
        Some(d) if d.identification_end >= today => "identification_period",
        Some(_) => "acquisition",
    }
}

/// Where an exchange stands today: how a coordinator closed it (`completed`, `failed`),
/// else its phase ([`phase_of`]).
pub fn status_of(ex: &ExchangeRow, file: Option<&ExchangeFile>, today: Date) -> &'static str {
    match ex.phase {
        Phase::Completed => "completed",
        Phase::Failed => "failed",
        _ => match file {
            Some(f) => phase_of(ex, &judge(f), today),
            None if ex.phase == Phase::Draft => "draft",
            None => "relinquished_closed",
        },
    }
}

/// The engine's verdict as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerdictView {
    /// `exchange`, `partial_exchange` or `taxable_sale`.
    pub outcome: String,
    /// The outcome in words.
    pub words: String,
    /// The verdict in a sentence or two.
    pub summary: String,
    /// What closing the engine agrees with: `completed`, `failed`.
    pub closes_as: String,
}

fn verdict_view(j: &Judged) -> Option<VerdictView> {
    j.outcome.map(|o| VerdictView {
        outcome: likekind_store::summary::outcome_code(o).to_string(),
        words: o.words().to_string(),
        summary: j.summary.clone(),
        closes_as: if o == Outcome::TaxableSale {
            "failed"
        } else {
            "completed"
        }
        .to_string(),
    })
}

/// An exchange as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExchangeView {
    pub id: String,
    pub name: String,
    pub client_id: Option<String>,
    /// How a coordinator closed it (`completed`, `failed`), else its `phase`.
    pub status: String,
    /// The phase today by the engine's verdict and the recorded events, closed or not:
    /// `draft`, `relinquished_closed`, `identification_period`, `acquisition`, `completed`,
    /// `partly_completed`, `failed`.
    pub phase: String,
    /// Whether a coordinator closed it (as `status` says); reopened with a reason.
    pub closed: bool,
    /// The engine's verdict, when the file has a transfer.
    pub verdict: Option<VerdictView>,
    /// Funds held for the exchange (decimal string).
    pub balance: String,
    /// Send it back as `version` when changing the exchange.
    pub version: i64,
    /// Deadlines from the engine, when the file has a transfer.
    #[schema(value_type = Option<Object>)]
    pub deadlines: Option<Box<RawValue>>,
    /// The exchange file (contract JSON); omitted in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub file: Option<Box<RawValue>>,
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
    let j = judge(&f);
    let phase = phase_of(ex, &j, today);
    let closed = matches!(ex.phase, Phase::Completed | Phase::Failed);
    Ok(ExchangeView {
        id: ex.id.clone(),
        name: ex.name.clone(),
        client_id: ex.client_id.clone(),
        status: if closed { ex.phase.as_str() } else { phase }.to_string(),
        phase: phase.to_string(),
        closed,
        verdict: verdict_view(&j),
        balance: crate::money::show(ex.balance_cents),
        version: ex.version,
        deadlines: deadlines.and_then(|d| serde_json::value::to_raw_value(&d).ok()),
        file: if with_file {
            serde_json::value::to_raw_value(&f).ok()
        } else {
            None
        },
        created_at: ex.created_at.clone(),
        updated_at: ex.updated_at.clone(),
    })
}

/// Builds the view of an exchange from its stored summary (what lists and the exchange
/// endpoint show without running the engine): the same fields as [`view`], which it falls
/// back to while the summary is not current (being recomputed after an upgrade).
///
/// # Errors
/// 500 when the stored file does not read (fallback only).
pub fn view_stored(
    ex: &ExchangeRow,
    sv: &StoredView,
    today: Date,
    with_file: bool,
) -> ApiResult<ExchangeView> {
    if sv.summary_version != likekind_store::summary::SUMMARY_VERSION {
        return view(ex, today, with_file);
    }
    let t = today.to_string();
    // The rule of `phase_of`, on the stored dates ('YYYY-MM-DD' compare as dates).
    let phase = match (&sv.settled_phase, &sv.settled_from) {
        (Some(p), Some(from)) if from.as_str() <= t.as_str() => {
            likekind_store::summary::settled_word(p)
        }
        _ => match (&sv.first_transfer, &sv.identification_end) {
            (Some(f), Some(i)) => {
                if ex.phase == Phase::Draft && f.as_str() > t.as_str() {
                    "draft"
                } else if f.as_str() >= t.as_str() {
                    "relinquished_closed"
                } else if i.as_str() >= t.as_str() {
                    "identification_period"
                } else {
                    "acquisition"
                }
            }
            _ if ex.phase == Phase::Draft => "draft",
            _ => "relinquished_closed",
        },
    };
    let closed = matches!(ex.phase, Phase::Completed | Phase::Failed);
    let outcome = match sv.verdict.as_deref() {
        Some("exchange") => Some(Outcome::Exchange),
        Some("partial_exchange") => Some(Outcome::PartialExchange),
        Some("taxable_sale") => Some(Outcome::TaxableSale),
        _ => None,
    };
    let verdict = outcome.map(|o| VerdictView {
        outcome: likekind_store::summary::outcome_code(o).to_string(),
        words: o.words().to_string(),
        summary: sv.verdict_summary.clone().unwrap_or_default(),
        closes_as: if o == Outcome::TaxableSale {
            "failed"
        } else {
            "completed"
        }
        .to_string(),
    });
    let raw = |s: &str| RawValue::from_string(s.to_string()).map_err(|_| ApiError::internal());
    Ok(ExchangeView {
        id: ex.id.clone(),
        name: ex.name.clone(),
        client_id: ex.client_id.clone(),
        status: if closed { ex.phase.as_str() } else { phase }.to_string(),
        phase: phase.to_string(),
        closed,
        verdict,
        balance: crate::money::show(ex.balance_cents),
        version: ex.version,
        deadlines: sv.deadlines_json.as_deref().map(raw).transpose()?,
        file: if with_file {
            Some(raw(&ex.file)?)
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
    /// Required. Read as optional only so that a request without it is answered with its
    /// other problems in the same 422 (see [`open_exchange`]).
    #[serde(default)]
    #[schema(
        required = true,
        value_type = String,
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    /// A user of the firm with the `client` role: the exchanger.
    pub client_id: Option<String>,
    /// The exchange file (contract JSON, as `likekind analyze` reads it). Required (absent
    /// reads as `null`, reported with the other problems).
    #[serde(default)]
    #[schema(required = true, value_type = Object)]
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

/// A purchase is recorded once it has closed: a replacement property whose closing date
/// (`received`) is after today is refused, every one at once. A closing that has not happened
/// would drive the verdict, Form 8824, the phase and the (g)(6) release date (Treas. Reg.
/// §1.1031(k)-1(g)(6)(iii)(A): the funds may go to the taxpayer once all identified property
/// has been received), and it is what a disbursement to a purchase closing pays. Closings that
/// `old` (the stored file) already had with the same date are left as they were.
///
/// # Errors
/// 422 on `file.replacement[i].received` for each, in words.
pub fn check_closings_not_after_today(
    old: Option<&ExchangeFile>,
    new: &ExchangeFile,
    today: Date,
) -> ApiResult<()> {
    let fields: Vec<FieldError> = new
        .replacement
        .iter()
        .enumerate()
        .filter(|(_, r)| r.received > today)
        .filter(|(_, r)| {
            !old.is_some_and(|o| {
                o.replacement
                    .iter()
                    .any(|x| x.id == r.id && x.received == r.received)
            })
        })
        .map(|(i, r)| {
            closing_after_today(
                format!("file.replacement[{i}].received"),
                Some(&new.property_words(&r.id)),
                r.received,
                today,
            )
        })
        .collect();
    if fields.is_empty() {
        return Ok(());
    }
    let message = fields
        .iter()
        .map(|f| f.message.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Err(ApiError::fields(message, fields))
}

/// The one refusal of a purchase closing dated after today, at `path` (the file's
/// `received`, the event's `on_date`, the form's field), naming the property as people read
/// it: a purchase is recorded once it has closed (see [`check_closings_not_after_today`]).
pub fn closing_after_today(
    path: impl Into<String>,
    property: Option<&str>,
    date: Date,
    today: Date,
) -> FieldError {
    let what = match property {
        Some(name) => format!(
            "The closing date of the purchase of {name}, {},",
            format_date(date)
        ),
        None => format!("The closing date {}", format_date(date)),
    };
    FieldError {
        path: path.into(),
        rule: "not_after_today".to_string(),
        message: format!(
            "{what} is after today ({}): a purchase is recorded once it has closed.",
            format_date(today)
        ),
    }
}

/// The rule of an exchange's name (1 to 200 characters, not blank, no control characters);
/// the name without surrounding spaces.
///
/// # Errors
/// 422 on `name`.
pub fn check_exchange_name(s: &str) -> ApiResult<String> {
    crate::rules::text("name", s, 200)
}

/// Opens an exchange (admin, coordinator, preparer). A purchase closing dated after the
/// server's today is refused (422 on its `received`), as when the file is changed. Every
/// problem of the name, the file (its closings after today included) and the client is
/// reported at once, in one 422.
#[utoipa::path(post, path = "/api/exchanges", tag = "exchanges", request_body = NewExchangeReq,
    responses((status = 201, body = ExchangeView), (status = 403, body = crate::error::ErrorBody, description = "A client cannot open exchanges"),
        (status = 422, body = crate::error::ErrorBody, description = "The name, the client or the exchange file breaks a rule (a purchase closing dated after today included)")))]
pub async fn create_exchange(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<OpenExchanges>,
    JsonBody(req): JsonBody<NewExchangeReq>,
) -> ApiResult<(StatusCode, Json<ExchangeView>)> {
    open_exchange(&state, &auth, req, false).await
}

/// Opens an exchange from an imported exchange file (the web's import): as
/// [`create_exchange`], logged in the audit log as an import.
///
/// # Errors
/// As [`create_exchange`].
pub async fn import_exchange(
    state: &AppState,
    auth: &Auth,
    req: NewExchangeReq,
) -> ApiResult<(StatusCode, Json<ExchangeView>)> {
    open_exchange(state, auth, req, true).await
}

async fn open_exchange(
    state: &AppState,
    auth: &Auth,
    req: NewExchangeReq,
    imported: bool,
) -> ApiResult<(StatusCode, Json<ExchangeView>)> {
    auth.require_right::<OpenExchanges>()?;
    let name = match &req.name {
        Some(n) => check_exchange_name(n),
        None => Err(ApiError::field(
            "name",
            "required",
            "give the exchange a name",
        )),
    };
    let file = if req.file.is_null() {
        Err(ApiError::field(
            "file",
            "required",
            "the exchange file is required",
        ))
    } else {
        parse_file(&req.file, "file")
    };
    // A new exchange is judged on the server's today, whatever its file's `as_of` says.
    let closings = match &file {
        Ok(f) => check_closings_not_after_today(None, f, state.today()),
        Err(_) => Ok(()),
    };
    let client = match &req.client_id {
        Some(c) => check_client(state, auth, c).await,
        None => Ok(()),
    };
    // Every problem at once: the name, the file (or its closings after today) and the client.
    ApiError::together([
        name.as_ref().err(),
        file.as_ref().err(),
        closings.as_ref().err(),
        client.as_ref().err(),
    ])?;
    let (name, file) = (name?, file?);
    let (actor, file) = (auth.actor(), file_json(&file)?);
    let ex = if imported {
        state
            .store
            .import_exchange(&actor, &name, req.client_id.as_deref(), &file)
            .await?
    } else {
        state
            .store
            .create_exchange(&actor, &name, req.client_id.as_deref(), &file)
            .await?
    };
    Ok((StatusCode::CREATED, Json(view(&ex, state.today(), true)?)))
}

/// The exchanges the caller may see (a client: their own), oldest first, from their stored
/// summaries (no engine run per row). Compact JSON unless `?pretty=true`.
#[utoipa::path(get, path = "/api/exchanges", tag = "exchanges", params(ListQuery),
    responses((status = 200, body = Page<ExchangeView>),
        (status = 422, body = crate::error::ErrorBody, description = "`limit` out of range, or a query parameter that does not read")))]
pub async fn list_exchanges(
    State(state): State<AppState>,
    auth: Auth,
    Q(q): Q<ListQuery>,
) -> ApiResult<Response> {
    let p = q.req()?;
    let client = (auth.role() == Role::Client).then_some(auth.user.id.as_str());
    let rows = state
        .store
        .list_exchange_views(auth.firm(), client, p)
        .await?;
    let today = state.today();
    let mut items = Vec::with_capacity(rows.len());
    for (r, sv) in &rows {
        items.push(
            if sv.summary_version == likekind_store::summary::SUMMARY_VERSION {
                view_stored(r, sv, today, false)?
            } else {
                // Not summarised yet (being recomputed after an upgrade): the file, the engine.
                view(&load(&state, &auth, &r.id).await?, today, false)?
            },
        );
    }
    Ok(json_response(
        StatusCode::OK,
        &Page::of(items, p.limit, |v| v.id.clone()),
        q.pretty.unwrap_or(false),
    ))
}

/// One exchange with its file, from its stored summary. Compact JSON unless `?pretty=true`.
#[utoipa::path(get, path = "/api/exchanges/{id}", tag = "exchanges", params(("id" = String, Path), PrettyQuery),
    responses((status = 200, body = ExchangeView), (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 422, body = crate::error::ErrorBody, description = "A query parameter that does not read")))]
pub async fn get_exchange(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    Q(q): Q<PrettyQuery>,
) -> ApiResult<Response> {
    let (ex, sv) = state.store.get_exchange_view(auth.firm(), &id).await?;
    may_see(&auth, &ex)?;
    Ok(json_response(
        StatusCode::OK,
        &view_stored(&ex, &sv, state.today(), true)?,
        q.pretty.unwrap_or(false),
    ))
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
    /// The whole exchange file as it should now read (names, dates, amounts, properties),
    /// checked by the engine as when the exchange was opened.
    #[schema(value_type = Option<Object>)]
    pub file: Option<serde_json::Value>,
    /// Admin only: change the file although the change lets the exchange funds go to the
    /// taxpayer earlier than before under Reg. 1.1031(k)-1(g)(6), or correct the facts the
    /// identification period counts from after it ended (a transfer date, a purchase closing
    /// dated within the period that the ledger does not show paid within it), for this written
    /// reason (at least 10 characters, not counting the spaces around it).
    #[serde(default)]
    #[schema(min_length = 10, max_length = 2000, pattern = r"\S[\s\S]{8,}\S")]
    pub override_reason: Option<String>,
}

/// A receipt the engine doubts is the property identified: its purchase is recorded at less
/// than 75% of the value the identification gave it (the engine's
/// `replacement_not_substantially_same` warning, Treas. Reg. §1.1031(k)-1(d)(1)(ii), (d)(2)
/// Examples 3-4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptInDoubt {
    /// The property's id in the exchange file.
    pub id: String,
    /// The property as people read it: its description, else its name.
    pub name: String,
    /// The value the identification gave it.
    pub identified_fmv: Decimal,
    /// What its purchase records as received (the price with any personal property).
    pub received_value: Decimal,
}

impl ReceiptInDoubt {
    /// The doubt in words, for people.
    pub fn words(&self) -> String {
        format!(
            "{} was identified at {} but its purchase is recorded at {}, less than 75% of that, so it is in doubt that the property received is substantially the same as the property identified (Treas. Reg. §1.1031(k)-1(d)(1)(ii))",
            self.name,
            format_usd(self.identified_fmv),
            format_usd(self.received_value)
        )
    }
}

/// The (g)(6) release as the intermediary's ledger applies it: the engine's date and rule,
/// which do not count a receipt the engine doubts is the property identified toward the
/// release on receipt of all the replacement property the taxpayer is entitled to
/// ((g)(6)(iii)(A)): while that doubt stands, the funds wait for the end of the exchange
/// period ((g)(6)(i)), or an administrator's override with a written reason.
#[derive(Debug, Clone)]
pub struct TrackerRelease {
    pub release: Release,
    /// The receipts in doubt, when they are what holds the release back (every property in
    /// force received; empty otherwise).
    pub held_back: Vec<ReceiptInDoubt>,
}

impl TrackerRelease {
    /// Why the release waits for the end of the exchange period, in words, when a doubtful
    /// receipt holds it back.
    pub fn why(&self) -> Option<String> {
        if self.held_back.is_empty() {
            return None;
        }
        let doubts: Vec<String> = self.held_back.iter().map(ReceiptInDoubt::words).collect();
        Some(format!(
            "{}. Until that is resolved, the receipt does not count as receiving all the replacement property the taxpayer is entitled to (Treas. Reg. §1.1031(k)-1(g)(6)(iii)(A)), so the funds wait for the end of the exchange period. Correct the purchase's figures if they were typed wrong; an administrator may release earlier with a written reason.",
            doubts.join("; ")
        ))
    }
}

/// The (g)(6) release of `f` judged on `today` as the ledger judges it (see
/// [`TrackerRelease`]); `None` when no exchange period has started.
pub fn tracker_release(f: &ExchangeFile, today: Date) -> Option<TrackerRelease> {
    let report = likekind_core::analyze::figures(f, today);
    // The (g)(6) dates whoever holds the funds: the report shows them only under a safe
    // harbor (Treas. Reg. §1.1031(k)-1(g)(4)(i), (k)), the ledger applies them always.
    let c = report.release_limits()?;
    Some(TrackerRelease {
        release: c.earliest.clone(),
        held_back: receipts_in_doubt(f, &report),
    })
}

/// The receipts the engine doubts are the property identified, when the doubt is what keeps
/// the release waiting (the engine names them only then: `receipts_in_doubt`).
fn receipts_in_doubt(
    f: &ExchangeFile,
    report: &likekind_core::analyze::Figures,
) -> Vec<ReceiptInDoubt> {
    let Some(c) = report.release_limits() else {
        return Vec::new();
    };
    c.receipts_in_doubt
        .iter()
        .filter_map(|k| {
            let r = f.replacement.iter().find(|r| r.id == *k)?;
            let i = f.identified.iter().find(|i| i.id == *k)?;
            Some(ReceiptInDoubt {
                id: k.to_string(),
                name: f.property_words(k),
                identified_fmv: i.fmv.into(),
                received_value: (r.price + r.personal_property).into(),
            })
        })
        .collect()
}

/// The earliest day the (g)(6) rule lets the funds go to the taxpayer, judged on `today` as
/// the ledger judges a release ([`tracker_release`]; `None`: no exchange period yet, nothing
/// may go).
fn earliest_release(f: &ExchangeFile, today: Date) -> Option<Date> {
    tracker_release(f, today).map(|t| t.release.earliest)
}

/// Whether `after` lets the funds go earlier than `before` (`None`: nothing may go).
fn is_earlier(after: Option<Date>, before: Option<Date>) -> bool {
    match (after, before) {
        (Some(a), Some(b)) => a < b,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The guard on edits of an exchange that has had money on its ledger: an edit that would
/// let the funds go to the taxpayer earlier than the facts it changes allow is refused, so
/// that changing a date or an identification cannot unlock a release the ledger refused.
/// Recording receipts is how an exchange completes (Treas. Reg. §1.1031(k)-1(g)(6)(iii)(A)),
/// so the edit is judged twice: what it does apart from the receipts (the new file with the
/// stored receipts, against the stored file), and the edit as a whole (the new file, against
/// the stored facts with the new receipts). The second is why taking an identified property
/// out and recording the other one received in the same edit is refused: each alone looks
/// harmless against the other half's stored state. An administrator may make the change
/// anyway with a written reason, kept in the audit log.
pub(crate) fn check_release_not_earlier(
    auth: &Auth,
    ex: &ExchangeRow,
    new: &ExchangeFile,
    today: Date,
    override_reason: Option<&str>,
) -> ApiResult<()> {
    if ex.ledger_seq == 0 {
        return Ok(());
    }
    let old = file_of(ex)?;
    let tracked =
        |f: &ExchangeFile| earliest_release(&likekind_store::summary::tracked(f.clone()), today);
    // Apart from the receipts: the new file with the stored receipts.
    let mut apart = new.clone();
    apart.replacement = old.replacement.clone();
    // As a whole: the stored facts with the new receipts, against the new file.
    let mut receipts_only = old.clone();
    receipts_only.replacement = new.replacement.clone();
    let judged = [
        (tracked(&old), tracked(&apart)),
        (tracked(&receipts_only), tracked(new)),
    ];
    let Some((before, after)) = judged.into_iter().find(|(b, a)| is_earlier(*a, *b)) else {
        return Ok(());
    };
    if override_reason.is_some() {
        return auth.require(&[Role::Admin], "override the (g)(6) release rule");
    }
    let shown = |d: Option<Date>| d.map_or_else(|| "no date yet".to_string(), format_date);
    let message = format!(
        "This change would let the exchange funds go to the taxpayer from {} instead of {} (Treas. Reg. §1.1031(k)-1(g)(6)). While money is held, only recording the receipt of the replacement property identified may do that; an administrator may make the change with a written reason, kept in the audit log.",
        shown(after),
        shown(before)
    );
    let mut e = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "release_moved_earlier",
        message.clone(),
    )
    .with_details(serde_json::json!({
        "earliest_release_before": before.map(|d| d.to_string()),
        "earliest_release_after": after.map(|d| d.to_string()),
    }));
    e.detail.fields.push(FieldError {
        path: "file".to_string(),
        rule: "release_moved_earlier".to_string(),
        message,
    });
    Err(e)
}

/// A purchase closing of the stored file whose need from the exchange funds an edit raises,
/// or that it takes out (`after: None`).
struct NeedRaised {
    /// Its place in the new file (`None`: taken out).
    index: Option<usize>,
    id: String,
    before: i128,
    after: Option<i128>,
    /// The closing as it was when the tracker last stored it, when the stored file no longer
    /// has it (put back after an administrator took it out).
    was: Option<likekind_core::model::Replacement>,
}

/// The purchase closings of the stored file an edit makes need more from the exchange funds,
/// or takes out (a closing taken out and recorded anew could say anything). A closing the
/// stored file does not have is judged by [`recorded_anew`].
fn needs_raised(old: &ExchangeFile, new: &ExchangeFile, today: Date) -> Vec<NeedRaised> {
    let after = crate::closing_history::closing_needs(new, today);
    crate::closing_history::closing_needs(old, today)
        .into_iter()
        .filter_map(
            |(id, before)| match after.iter().position(|(a, _)| *a == id) {
                Some(k) if after[k].1 > before => Some(NeedRaised {
                    index: Some(k),
                    id,
                    before,
                    after: Some(after[k].1),
                    was: None,
                }),
                Some(_) => None,
                None => Some(NeedRaised {
                    index: None,
                    id,
                    before,
                    after: None,
                    was: None,
                }),
            },
        )
        .collect()
}

/// The purchase closings of an edit the stored file does not have (place in the new file, id,
/// need from the exchange funds in cents): one the ledger paid toward was taken out by an
/// administrator, and put back it may not need more than when it was taken out
/// ([`crate::closing_history`]).
fn recorded_anew(
    old: &ExchangeFile,
    new: &ExchangeFile,
    today: Date,
) -> Vec<(usize, String, i128)> {
    if new
        .replacement
        .iter()
        .all(|n| old.replacement.iter().any(|o| o.id == n.id))
    {
        return Vec::new();
    }
    crate::closing_history::closing_needs(new, today)
        .into_iter()
        .enumerate()
        .filter(|(_, (id, _))| !old.replacement.iter().any(|o| o.id.as_str() == id))
        .map(|(k, (id, need))| (k, id, need))
        .collect()
}

/// The guard on what a purchase closing the ledger has paid needs: once a disbursement toward
/// it is posted (by the ledger's own postings, on or before the tracker's today), raising
/// what the closing needs from the exchange funds (its price, its costs, what it says was
/// paid with other money or a new loan), or taking it out to record it anew, would let the
/// same closing, which took place, be paid again, while the funds may otherwise go only to acquire replacement property or to the
/// taxpayer on the (g)(6) date (Treas. Reg. §1.1031(k)-1(g)(6)). Such a correction is an
/// administrator's, with a written reason kept in the audit log. A paid closing an
/// administrator took out and someone puts back is held to what it needed when it was taken
/// out.
///
/// # Errors
/// 422 `closing_paid` on `file.replacement[i].price` (or `file.replacement[i]` when another
/// figure changed, `file.replacement` when it is taken out), in words; 403 when a non-administrator gives an override reason; a store
/// failure.
async fn check_paid_closings_not_raised(
    state: &AppState,
    auth: &Auth,
    ex: &ExchangeRow,
    (old, new): (&ExchangeFile, &ExchangeFile),
    override_reason: Option<&str>,
) -> ApiResult<()> {
    if ex.ledger_seq == 0 {
        return Ok(());
    }
    let today = state.today();
    let mut raised = needs_raised(old, new, today);
    let anew = recorded_anew(old, new, today);
    if raised.is_empty() && anew.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = raised
        .iter()
        .map(|r| r.id.as_str())
        .chain(anew.iter().map(|(_, id, _)| id.as_str()))
        .collect();
    let paid = state
        .store
        .closings_paid_by(&ex.firm_id, &ex.id, &ids, &today.to_string())
        .await?;
    raised.retain(|r| paid.contains(&r.id));
    let anew: Vec<_> = anew.into_iter().filter(|a| paid.contains(&a.1)).collect();
    if !anew.is_empty() {
        let ids: Vec<&str> = anew.iter().map(|(_, id, _)| id.as_str()).collect();
        let was = crate::closing_history::needs_when_last_stored(state, ex, &ids, today).await?;
        raised.extend(anew.into_iter().filter_map(|(k, id, after)| {
            let (closing, before) = was.iter().find(|(w, _)| w.id.as_str() == id)?;
            (after > *before).then(|| NeedRaised {
                index: Some(k),
                id,
                before: *before,
                after: Some(after),
                was: Some(closing.clone()),
            })
        }));
    }
    let fields: Vec<FieldError> = raised
        .iter()
        .map(|r| need_raised_refusal(r, old, new))
        .collect();
    crate::closing_repeated::refuse_closing_paid(
        auth,
        fields,
        override_reason,
        "correct a purchase closing already paid",
    )
}

/// Changes an exchange's name, client or facts (its exchange file) (admin, coordinator,
/// preparer). The file is checked by the engine as on create (422 with every problem); the
/// change is audited with the whole exchange before and after, and its summary (phase,
/// deadlines, verdict, alerts) recomputed in the same transaction. Once money is on the
/// ledger, a change other than recording receipts that lets the funds go earlier under
/// (g)(6) is refused (422, `release_moved_earlier`; the edit is judged as a whole, and taking
/// an identified property out of force counts) unless an admin gives `override_reason`; so is
/// taking out or changing what a signed notice identifies (422, `signed_notice`, Treas. Reg.
/// §1.1031(k)-1(c)(6)), and raising what a purchase closing the ledger paid needs from the
/// exchange funds, taking it out, or recording it again under another id (the same
/// description closing the same day) (422, `closing_paid`).
/// A new or changed purchase closing dated after today is refused (422 on its `received`), in
/// the same answer as a bad name. Once the identification period is over (on the tracker's
/// today), a purchase recorded for the first time dated within it is refused (422
/// `identification_period_ended` on its `received`) unless a disbursement toward it was posted
/// on or before the period's last day, or an admin gives `override_reason` (Treas. Reg.
/// §1.1031(k)-1(c)(1): property received in the period is identified).
#[utoipa::path(patch, path = "/api/exchanges/{id}", tag = "exchanges", params(("id" = String, Path)),
    request_body = PatchExchangeReq,
    responses((status = 200, body = ExchangeView), (status = 403, body = crate::error::ErrorBody, description = "A client cannot change exchanges"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 409, body = crate::error::ErrorBody, description = "The exchange changed since you read it (version)"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn patch_exchange(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<ChangeExchanges>,
    P(id): P<String>,
    JsonBody(req): JsonBody<PatchExchangeReq>,
) -> ApiResult<Json<ExchangeView>> {
    let ex = load(&state, &auth, &id).await?;
    let name = req.name.as_deref().map(check_exchange_name).transpose();
    let file = req.file.as_ref().map(|v| parse_file(v, "file")).transpose();
    let closings = match &file {
        Ok(Some(f)) => check_closings_not_after_today(Some(&file_of(&ex)?), f, state.today()),
        _ => Ok(()),
    };
    let override_reason = override_reason_of(req.override_reason.as_deref());
    let client = match &req.client_id {
        Some(c) => check_client(&state, &auth, c).await,
        None => Ok(()),
    };
    // A bad name, a bad file, a closing after today, a bad override reason and a client that
    // is not one are reported together.
    ApiError::together([
        name.as_ref().err(),
        file.as_ref().err(),
        closings.as_ref().err(),
        override_reason.as_ref().err(),
        client.as_ref().err(),
    ])?;
    let (name, file, override_reason) = (name?, file?, override_reason?);
    if let Some(c) = &req.client_id {
        crate::client_change::check_client_change(
            &state,
            &auth,
            &ex,
            c,
            override_reason.as_deref(),
        )
        .await?;
    }
    let file = match file {
        Some(f) => {
            if ex.version == req.version {
                check_file_edit(&state, &auth, &ex, &f, override_reason.as_deref()).await?;
            }
            Some(file_json(&f)?)
        }
        None => None,
    };
    let ex = state
        .store
        .update_exchange(
            &auth.actor(),
            &id,
            req.version,
            ExchangeUpdate {
                name,
                client_id: req.client_id.map(Some),
                expected_ledger_seq: file.as_ref().map(|_| ex.ledger_seq),
                file,
                override_reason,
            },
        )
        .await?;
    Ok(Json(view(&ex, state.today(), true)?))
}

/// The refusal of raising what a paid closing needs (or taking it out), on the field it
/// changed.
fn need_raised_refusal(r: &NeedRaised, old: &ExchangeFile, new: &ExchangeFile) -> FieldError {
    let dollars = |c: i128| crate::cents::dollars(i64::try_from(c).unwrap_or(i64::MAX));
    let was = r
        .was
        .as_ref()
        .or_else(|| old.replacement.iter().find(|x| x.id.as_str() == r.id));
    let closed = was.map_or_else(String::new, |w| {
        format!(" (it closed on {})", format_date(w.received))
    });
    let paid = format!(
        "The exchange funds already paid toward the purchase closing of {}{closed}, which needed {} from them",
        r.id,
        dollars(r.before)
    );
    let rule = "Treas. Reg. §1.1031(k)-1(g)(6): before the allowed date the exchange funds may only pay for replacement property";
    let (Some(k), Some(after)) = (r.index, r.after) else {
        return FieldError {
            path: "file.replacement".to_string(),
            rule: "closing_paid".to_string(),
            message: format!(
                "{paid}; it cannot be taken out of the exchange by editing the facts, since recorded anew it could be paid again ({rule}). An administrator may take out a closing recorded by mistake, with a written reason, kept in the audit log."
            ),
        };
    };
    let path = match (was, new.replacement.get(k)) {
        (Some(w), Some(is)) if w.price != is.price => format!("file.replacement[{k}].price"),
        _ => format!("file.replacement[{k}]"),
    };
    FieldError {
        path,
        rule: "closing_paid".to_string(),
        message: format!(
            "{paid}; this change would make it need {}, so that the same closing could be paid again. A closing that took place is paid what it needed ({rule}); an administrator may correct its figures with a written reason, kept in the audit log.",
            dollars(after)
        ),
    }
}

/// The guards on an edit of the facts of `ex` (read at the version the edit names), in order:
/// the (g)(6) release not moved earlier, the identification period's end, the identifications
/// kept while it runs, the purchase closings the ledger paid, and those recorded again under
/// another id ([`crate::closing_repeated`]). The ledger as read here is
/// the ledger the change lands on: the store refuses it if a posting came in between
/// (`expected_ledger_seq`).
///
/// # Errors
/// The first guard's refusal (422, or 403 for an override reason given by a non-administrator),
/// or a store failure.
async fn check_file_edit(
    state: &AppState,
    auth: &Auth,
    ex: &ExchangeRow,
    f: &ExchangeFile,
    override_reason: Option<&str>,
) -> ApiResult<()> {
    let today = state.today();
    check_release_not_earlier(auth, ex, f, today, override_reason)?;
    let old = file_of(ex)?;
    let paid = crate::identification_closed::closings_paid_in_period(state, ex, &old, f).await?;
    crate::identification_closed::check_identification_closed(
        auth,
        &old,
        f,
        today,
        &paid,
        override_reason,
    )?;
    let signed = crate::identification_closed::signed_notice_ids(state, ex, &old, f).await?;
    crate::identification_closed::check_identifications_kept(
        auth,
        (&old, f),
        today,
        &signed,
        ex.ledger_seq != 0,
        override_reason,
    )?;
    check_paid_closings_not_raised(state, auth, ex, (&old, f), override_reason).await?;
    crate::closing_repeated::check_paid_closing_not_repeated(
        state,
        auth,
        ex,
        (&old, f),
        override_reason,
    )
    .await
}

/// The written reason of an admin's override (see [`crate::rules::override_reason`]).
fn override_reason_of(r: Option<&str>) -> ApiResult<Option<String>> {
    crate::rules::override_reason("override_reason", r)
}

/// The engine's report for the exchange as of the tracker's today (a date the file carries in
/// `exchange.as_of` does not count: the tracker judges every exchange on its today): the same
/// JSON as `likekind analyze --format json`, compact unless `?pretty=true` (then the CLI's
/// indented text byte for byte). Each server writes it once a day and serves it as written
/// until something the tracker stores changes.
#[utoipa::path(get, path = "/api/exchanges/{id}/analysis", tag = "exchanges", params(("id" = String, Path), PrettyQuery),
    responses((status = 200, description = "The engine's JSON analysis report", content_type = "application/json", body = Object),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 422, body = crate::error::ErrorBody, description = "A query parameter that does not read")))]
pub async fn analysis(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    Q(q): Q<PrettyQuery>,
) -> ApiResult<Response> {
    // The tenancy rule on every request; the report (a pure function of the stored file and
    // the day) is kept for the data revision, as written.
    let ex = load_kept(&state, &auth, &id).await?;
    let today = state.today();
    let pretty = q.pretty.unwrap_or(false);
    let key = format!("{}/{}/{today}/{pretty}", auth.firm(), ex.id);
    let body = state
        .kept
        .get_or(&state.store, auth.revision, "analysis", key, || async {
            let report = likekind_core::analyze(&judged_file(&ex)?, today);
            crate::json_bytes(&report, pretty)
        })
        .await?;
    Ok(crate::json_body(
        StatusCode::OK,
        axum::body::Bytes::clone(&body),
    ))
}

/// The lifecycle events an exchange takes.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The sale of the relinquished property closed: the 45/180-day clock runs.
    RelinquishedClosed,
    /// A replacement property closed.
    ReplacementClosed,
    /// Closes it as completed (like-kind property received, by the engine's verdict); the
    /// funds must first be reconciled to zero.
    Completed,
    /// Closes it as failed (no like-kind exchange by the engine's verdict: no valid
    /// identification, or nothing bought in time); the funds must first be released to zero.
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

/// Records a lifecycle event and moves the exchange on (admin, coordinator). `completed` and
/// `failed` close the exchange under the rules of `POST /api/exchanges/{id}/close` (422
/// `contradicts_verdict` when the engine's verdict disagrees; 409 while funds are held).
#[utoipa::path(post, path = "/api/exchanges/{id}/events", tag = "exchanges", params(("id" = String, Path)),
    request_body = EventReq,
    responses((status = 201, body = ExchangeView), (status = 403, body = crate::error::ErrorBody, description = "Only an admin or a coordinator records events"),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 409, body = crate::error::ErrorBody, description = "The event does not apply in the exchange's phase, or funds are still held"),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_event(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<RecordEvents>,
    P(id): P<String>,
    JsonBody(req): JsonBody<EventReq>,
) -> ApiResult<(StatusCode, Json<ExchangeView>)> {
    let ex = load(&state, &auth, &id).await?;
    let (phase, zero) = match req.kind {
        EventKind::RelinquishedClosed if ex.phase == Phase::Draft => {
            check_sale_closing(&judged_file(&ex)?, req.on_date, state.today())?;
            (Some(Phase::RelinquishedClosed), false)
        }
        EventKind::RelinquishedClosed => return Err(sale_already_recorded(&ex)),
        EventKind::ReplacementClosed if req.on_date > state.today() => {
            let e = closing_after_today("on_date", None, req.on_date, state.today());
            return Err(ApiError::fields(e.message.clone(), vec![e]));
        }
        EventKind::ReplacementClosed if ex.phase == Phase::RelinquishedClosed => (None, false),
        // Closing: the same rules as `POST /api/exchanges/{id}/close`.
        EventKind::Completed | EventKind::Failed => {
            check_close_date(&judged_file(&ex)?, req.on_date, state.today())?;
            let how = if req.kind == EventKind::Completed {
                CloseAs::Completed
            } else {
                CloseAs::Failed
            };
            let note = check_text("note", &req.note, false)?;
            let ex = close_with(&state, &auth, &ex, how, req.on_date, note, ex.version).await?;
            return Ok((StatusCode::CREATED, Json(view(&ex, state.today(), false)?)));
        }
        EventKind::Note => (None, false),
        k => {
            return Err(ApiError::conflict(format!(
                "{} cannot be recorded on an exchange that is {}",
                event_words(k),
                phase_words(ex.phase)
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
                // The sale closing was judged against this file's transfer date.
                expected_version: phase.map(|_| ex.version),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view(&ex, state.today(), false)?)))
}

/// The refusal of a second sale closing (409), in words.
pub fn sale_already_recorded(ex: &ExchangeRow) -> ApiError {
    ApiError::conflict(format!(
        "The sale closing is already recorded: the exchange is “{}”. The date it closed is the transfer date in the exchange file; to correct it, edit the file.",
        status_words(ex.phase.as_str())
    ))
}

/// The rule of the sale closing's date (the `relinquished_closed` event). The 45- and
/// 180-day periods run from the transfer of the relinquished property (Treas. Reg.
/// §1.1031(k)-1(b)(2)), and the engine counts them from the exchange file's transfer dates
/// (the earliest, when several properties were sold): a closing recorded on another day
/// would say one thing while the deadlines say another (a closing recorded on Nov 10 beside
/// a file saying Nov 20 leaves day 45 ten days late on the page: a missed identification).
/// So the date must be the file's first transfer date; to record another, the file is
/// corrected first, through the file edit with its checks and its audit entry (one path
/// changes the dates the deadlines and the (g)(6) release count from, not two). A date after
/// today is refused: the sale is recorded once it has closed.
///
/// # Errors
/// 422 on `on_date`: `not_after_today`, `transfer_date` (what the file says and how to
/// correct it), `no_transfer` (the file names no relinquished property).
/// An event in words, for a refusal.
fn event_words(k: EventKind) -> &'static str {
    match k {
        EventKind::RelinquishedClosed => "The sale's closing",
        EventKind::ReplacementClosed => "A purchase closing",
        EventKind::Completed => "Closing it as completed",
        EventKind::Failed => "Closing it as failed",
        EventKind::Note => "A note",
    }
}

/// Where an exchange stands, in words, for a refusal.
fn phase_words(p: Phase) -> &'static str {
    match p {
        Phase::Draft => "not yet sold (record the sale's closing first)",
        Phase::RelinquishedClosed => "in its exchange period",
        Phase::Completed => "closed as completed",
        Phase::Failed => "closed as failed",
    }
}

/// The date an exchange is closed on (completed or failed) through an event: not after
/// today (a closing is recorded once it happened) and not before its first sale (the
/// exchange starts with it, IRC §1031(a)(3)).
///
/// # Errors
/// 422 on `on_date`.
fn check_close_date(file: &ExchangeFile, on: Date, today: Date) -> ApiResult<()> {
    if on > today {
        return Err(ApiError::field(
            "on_date",
            "not_after_today",
            format!(
                "The date {} is after today ({}): an exchange is closed once it is over, on the day it is closed.",
                format_date(on),
                format_date(today)
            ),
        ));
    }
    match file.relinquished.iter().map(|r| r.transferred).min() {
        Some(first) if on < first => Err(ApiError::field(
            "on_date",
            "before_the_sale",
            format!(
                "The date {} is before the sale of the relinquished property ({}): an exchange cannot be closed before it begins.",
                format_date(on),
                format_date(first)
            ),
        )),
        _ => Ok(()),
    }
}

pub fn check_sale_closing(file: &ExchangeFile, on: Date, today: Date) -> ApiResult<()> {
    if on > today {
        return Err(ApiError::field(
            "on_date",
            "not_after_today",
            format!(
                "The closing date {} is after today ({}): the sale is recorded once it has closed.",
                format_date(on),
                format_date(today)
            ),
        ));
    }
    let Some(first) = file.relinquished.iter().map(|r| r.transferred).min() else {
        return Err(ApiError::field(
            "on_date",
            "no_transfer",
            "The exchange file names no relinquished property: add the property sold, with the date it was transferred, before recording the sale closing.",
        ));
    };
    if on != first {
        let which = if file.relinquished.len() > 1 {
            "the first relinquished property was transferred"
        } else {
            "the relinquished property was transferred"
        };
        return Err(ApiError::field(
            "on_date",
            "transfer_date",
            format!(
                "The closing date {} is not the transfer date in the exchange file: it says {which} on {}, and the 45- and 180-day deadlines count from that day. Record the closing on {}, or, if the sale closed on {}, correct the transfer date in the exchange file first (Edit the facts, on the exchange page).",
                format_date(on),
                format_date(first),
                format_date(first),
                format_date(on)
            ),
        ));
    }
    Ok(())
}

/// How a coordinator closes an exchange.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CloseAs {
    /// Every replacement received: a like-kind exchange (or partly one).
    Completed,
    /// No like-kind exchange: nothing validly identified, or nothing received in time.
    Failed,
}

impl CloseAs {
    fn phase(self) -> Phase {
        match self {
            CloseAs::Completed => Phase::Completed,
            CloseAs::Failed => Phase::Failed,
        }
    }
}

/// Closes an exchange.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseReq {
    /// `completed` or `failed`: must agree with the engine's verdict.
    #[serde(rename = "as")]
    pub as_: CloseAs,
    /// Why, in words (kept with the closing event and in the audit log).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: String,
    /// The version you looked at; refused (409) if the exchange changed since.
    pub version: Option<i64>,
}

/// Reopens a closed exchange.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenReq {
    /// Why it is reopened (required: some words, not only spaces).
    #[schema(min_length = 1, max_length = 2000, pattern = r"\S")]
    pub reason: String,
}

fn check_text<'a>(path: &str, s: &'a str, required: bool) -> ApiResult<&'a str> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(ApiError::field(
            path,
            "required",
            "give the reason in words",
        ));
    }
    // Counted as sent, as the schema's maxLength counts it.
    if s.chars().count() > 2000 {
        return Err(ApiError::field(path, "length", "at most 2000 characters"));
    }
    Ok(t)
}

/// Refuses a closing the engine's verdict contradicts: completed needs like-kind property
/// received for eligible property (an exchange or a partial exchange); failed needs no
/// like-kind exchange at all (a taxable sale, or no sale yet).
///
/// # Errors
/// 422 `contradicts_verdict`, with the verdict in words.
pub fn check_close(how: CloseAs, j: &Judged) -> ApiResult<()> {
    let agrees = match (how, j.outcome) {
        (CloseAs::Completed, Some(o)) => o != Outcome::TaxableSale,
        (CloseAs::Completed, None) => false,
        (CloseAs::Failed, o) => o.is_none_or(|o| o == Outcome::TaxableSale),
    };
    if agrees {
        return Ok(());
    }
    let message = match how {
        CloseAs::Completed => format!(
            "the engine finds no like-kind exchange here ({}): the exchange cannot be closed as completed; close it as failed, or correct its facts first",
            j.summary.trim_end_matches('.')
        ),
        CloseAs::Failed => format!(
            "the engine finds a {} here ({}): the exchange cannot be closed as failed; close it as completed, or correct its facts first",
            j.outcome.map_or("like-kind exchange", Outcome::words),
            j.summary.trim_end_matches('.')
        ),
    };
    Err(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "contradicts_verdict",
        message,
    )
    .with_details(serde_json::json!({
        "verdict": verdict_view(j).map(|v| v.outcome),
    })))
}

/// Closes `ex` as `how` on `on`, after the checks people get words for: not already closed,
/// the engine agrees, no funds held. The store checks the first two again in its
/// transaction, and that the exchange is still at `version`.
async fn close_with(
    state: &AppState,
    auth: &Auth,
    ex: &ExchangeRow,
    how: CloseAs,
    on: Date,
    reason: &str,
    version: i64,
) -> ApiResult<ExchangeRow> {
    if matches!(ex.phase, Phase::Completed | Phase::Failed) {
        return Err(ApiError::conflict(format!(
            "the exchange is already closed as {}: reopen it first",
            ex.phase.as_str()
        )));
    }
    let j = judge(&file_of(ex)?);
    check_close(how, &j)?;
    if ex.balance_cents != 0 {
        return Err(ApiError::conflict(format!(
            "the exchange still holds {} of exchange funds: the ledger must reconcile to zero before it closes",
            crate::money::dollars(ex.balance_cents)
        )));
    }
    if how == CloseAs::Completed {
        let released = state
            .store
            .released_to_taxpayer_cents(auth.firm(), &ex.id)
            .await?;
        crate::reconcile::check_file_accounts_for_releases(
            &judged_file(ex)?,
            state.today(),
            released,
        )?;
    }
    let engine = serde_json::json!({
        "verdict": verdict_view(&j).map(|v| v.outcome),
        "phase": phase_of(ex, &j, state.today()),
    });
    let (_, after) = state
        .store
        .close_exchange(
            &auth.actor(),
            &ex.id,
            Closing {
                expected_version: version,
                phase: how.phase(),
                on_date: &on.to_string(),
                reason,
                verdict: engine,
            },
        )
        .await?;
    Ok(after)
}

/// Closes an exchange as completed or failed (admin, coordinator), today: refused when it
/// is already closed or still holds funds (409), or when the engine's verdict contradicts the
/// choice (422 `contradicts_verdict`: completed needs like-kind property received, failed
/// needs no like-kind exchange). The phase the engine derives is shown beside the closing
/// from then on; reopening needs a reason. Recorded as a dated event and audited.
#[utoipa::path(post, path = "/api/exchanges/{id}/close", tag = "exchanges", params(("id" = String, Path)),
    request_body = CloseReq,
    responses((status = 200, body = ExchangeView),
        (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn close_exchange(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<CloseExchanges>,
    P(id): P<String>,
    JsonBody(req): JsonBody<CloseReq>,
) -> ApiResult<Json<ExchangeView>> {
    let ex = load(&state, &auth, &id).await?;
    let reason = check_text("reason", &req.reason, false)?;
    let today = state.today();
    let ex = close_with(
        &state,
        &auth,
        &ex,
        req.as_,
        today,
        reason,
        req.version.unwrap_or(ex.version),
    )
    .await?;
    Ok(Json(view(&ex, today, true)?))
}

/// Reopens a closed exchange (admin, coordinator) for a written reason: it goes back to
/// its sale closed (or draft) and its phase follows the engine again. 409 when it is not
/// closed. Recorded as a dated event and audited.
#[utoipa::path(post, path = "/api/exchanges/{id}/reopen", tag = "exchanges", params(("id" = String, Path)),
    request_body = ReopenReq,
    responses((status = 200, body = ExchangeView),
        (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn reopen_exchange(
    State(state): State<AppState>,
    Permitted { auth, .. }: Permitted<ReopenExchanges>,
    P(id): P<String>,
    JsonBody(req): JsonBody<ReopenReq>,
) -> ApiResult<Json<ExchangeView>> {
    let ex = load(&state, &auth, &id).await?;
    let reason = check_text("reason", &req.reason, true)?;
    let today = state.today();
    let (_, ex) = state
        .store
        .reopen_exchange(&auth.actor(), &ex.id, &today.to_string(), reason)
        .await?;
    Ok(Json(view(&ex, today, true)?))
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
    Permitted { auth, .. }: Permitted<AddParties>,
    P(id): P<String>,
    JsonBody(req): JsonBody<PartyReq>,
) -> ApiResult<(StatusCode, Json<Party>)> {
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
    Permitted { auth, .. }: Permitted<ReadAuditLog>,
    P(id): P<String>,
    Q(page): Q<PageQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    load(&state, &auth, &id).await?;
    let p = page.req()?;
    let items = state.store.list_audit(auth.firm(), &id, p).await?;
    Ok(Json(Page::of(items, p.limit, |a| a.id.clone())))
}

/// A status in words (the CSV is read by people).
pub fn status_words(s: &str) -> &'static str {
    match s {
        "draft" => "Draft: sale not closed",
        "relinquished_closed" => "Sale closed",
        "identification_period" => "Identification period",
        "acquisition" => "Acquisition period",
        "completed" => "Completed",
        "partly_completed" => "Partly completed",
        "failed" => "Failed",
        _ => "Unknown",
    }
}
