//! The papers as PDF (`application/pdf`), from the same engine run as their JSON: the
//! exchange report (as `GET /api/exchanges/{id}/analysis`), the identification notice for
//! signature, the intermediary's statement of the exchange account (as the ledger), and the
//! plan (as the planner page). Whoever may read the JSON may read the PDF, nobody else.
//!
//! The PDF is made off the async runtime (typesetting takes some milliseconds of CPU).

use crate::AppState;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::exchanges::{judged_file, load};
use crate::extract::{Auth, P, Q};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use likekind_core::model::ExchangeFile;
use likekind_core::plan::{HoldUntil, Overrides, resolve};
use likekind_store::{PageReq, PostingKind, PostingRow};
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::IntoParams;

/// A PDF answer, named for saving.
fn pdf_response(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Runs the typesetting off the runtime; a paper the facts cannot support is a 409.
async fn make(
    f: impl FnOnce() -> Result<Vec<u8>, likekind_pdf::PdfError> + Send + 'static,
) -> ApiResult<Vec<u8>> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(b)) => Ok(b),
        Ok(Err(likekind_pdf::PdfError::NotApplicable(m))) => {
            Err(ApiError::new(StatusCode::CONFLICT, "not_applicable", m))
        }
        Ok(Err(e)) => {
            eprintln!("likekind-server: PDF failed: {e}");
            Err(ApiError::internal())
        }
        Err(e) => {
            eprintln!("likekind-server: PDF task failed: {e}");
            Err(ApiError::internal())
        }
    }
}

/// The file as the papers print it: titled with the tracker's name of the exchange when the
/// file has none, and signed in the name of the exchange's client (the taxpayer's login)
/// when the file names no taxpayer. Neither is a fact any figure reads.
async fn for_print(
    state: &AppState,
    ex: &likekind_store::ExchangeRow,
) -> ApiResult<likekind_core::ExchangeFile> {
    let mut f = named(judged_file(ex)?, &ex.name);
    if f.taxpayer.name.trim().is_empty()
        && let Some(c) = &ex.client_id
    {
        match state.store.get_user(&ex.firm_id, c).await {
            Ok(u) => f.taxpayer.name = u.name,
            Err(likekind_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(f)
}

/// The tracker's name of the exchange titles its papers when the file has none (a name is no
/// fact of the exchange: no figure changes).
fn named(mut f: likekind_core::ExchangeFile, name: &str) -> likekind_core::ExchangeFile {
    if f.exchange
        .name
        .as_deref()
        .is_none_or(|n| n.trim().is_empty())
    {
        f.exchange.name = Some(name.to_string());
    }
    f
}

/// A file name from the exchange's name: letters, digits and dashes only.
fn slug(name: &str, what: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let s: String = s.chars().take(60).collect();
    if s.is_empty() {
        format!("{what}.pdf")
    } else {
        format!("{s}-{what}.pdf")
    }
}

/// The exchange report as a PDF: the figures of `GET /api/exchanges/{id}/analysis` on the
/// same day, laid out for the CPA's file and the client (Form 8824 worksheet, basis,
/// character, findings with their authority, every figure explained).
#[utoipa::path(get, path = "/api/exchanges/{id}/report.pdf", tag = "exchanges", params(("id" = String, Path)),
    responses((status = 200, description = "The exchange report", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn report(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Response> {
    let ex = load(&state, &auth, &id).await?;
    let file = for_print(&state, &ex).await?;
    let today = state.today();
    let bytes = make(move || {
        let report = likekind_core::analyze(&file, today);
        likekind_pdf::exchange_report(&file, &report)
    })
    .await?;
    Ok(pdf_response(bytes, &slug(&ex.name, "report")))
}

/// The identification notice for the taxpayer's signature (Treas. Reg. §1.1031(k)-1(c)(2)–(3)):
/// the properties identified in the exchange file (the signed notices of the tracker are part
/// of it), addressed to the firm as intermediary, with the last day to deliver it and the
/// engine's judgment of the list.
#[utoipa::path(get, path = "/api/exchanges/{id}/notice.pdf", tag = "notices", params(("id" = String, Path)),
    responses((status = 200, description = "The identification notice", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 409, body = crate::error::ErrorBody, description = "Nothing is identified yet, or nothing has been given up")))]
pub async fn notice(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Response> {
    let ex = load(&state, &auth, &id).await?;
    let file = for_print(&state, &ex).await?;
    let firm = state.store.get_firm(auth.firm()).await?.name;
    let today = state.today();
    let bytes = make(move || {
        let report = likekind_core::analyze(&file, today);
        likekind_pdf::identification_notice(&file, &report, Some(&firm))
    })
    .await?;
    Ok(pdf_response(
        bytes,
        &slug(&ex.name, "identification-notice"),
    ))
}

fn movement(k: PostingKind) -> likekind_pdf::Movement {
    match k {
        PostingKind::Receipt => likekind_pdf::Movement::Receipt,
        PostingKind::Disbursement => likekind_pdf::Movement::Disbursement,
        PostingKind::Fee => likekind_pdf::Movement::Fee,
        PostingKind::Interest => likekind_pdf::Movement::Interest,
        PostingKind::Release => likekind_pdf::Movement::Release,
    }
}

/// A ledger posting as the statement shows it; a payment to a purchase closing names the
/// closing it paid, in words, from the exchange's `file`.
///
/// # Errors
/// 500 when a stored date does not read (they are written by the server).
pub fn posting_of(p: &PostingRow, file: &ExchangeFile) -> ApiResult<likekind_pdf::Posting> {
    let date = |s: &str| {
        s.parse::<jiff::civil::Date>().map_err(|e| {
            eprintln!(
                "likekind-server: stored posting {} has a bad date: {e}",
                p.id
            );
            ApiError::internal()
        })
    };
    Ok(likekind_pdf::Posting {
        date: date(&p.posted_on)?,
        value_date: p.value_date.as_deref().map(date).transpose()?,
        movement: movement(p.kind),
        memo: p.memo.clone(),
        amount: Decimal::new(p.amount_cents, 2).into(),
        balance_after: Decimal::new(p.balance_after_cents, 2).into(),
        made_by: p
            .created_by_name
            .clone()
            .unwrap_or_else(|| "A former user".into()),
        approved_by: p.approved_by.as_ref().map(|_| {
            p.approved_by_name
                .clone()
                .unwrap_or_else(|| "A former user".into())
        }),
        override_reason: p.override_reason.clone(),
        closing: p.property_id.as_deref().map(|id| file.closing_words(id)),
    })
}

/// The whole ledger of an exchange, in order.
///
/// # Errors
/// As the store.
pub async fn all_postings(state: &AppState, firm: &str, id: &str) -> ApiResult<Vec<PostingRow>> {
    let mut out: Vec<PostingRow> = Vec::new();
    loop {
        let after = out.last().map(|r| r.seq.to_string());
        let page = state
            .store
            .list_postings(
                firm,
                id,
                PageReq {
                    after: after.as_deref(),
                    limit: 500,
                },
            )
            .await?;
        let n = page.len();
        out.extend(page);
        if n < 500 {
            return Ok(out);
        }
    }
}

/// The intermediary's statement of the exchange account: the ledger's postings (as
/// `GET /api/exchanges/{id}/ledger`) with their running balance, who made and who approved
/// each, the interest, the (g)(6) release date and what was released when.
#[utoipa::path(get, path = "/api/exchanges/{id}/statement.pdf", tag = "ledger", params(("id" = String, Path)),
    responses((status = 200, description = "The statement of the exchange account", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see")))]
pub async fn statement(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
) -> ApiResult<Response> {
    let ex = load(&state, &auth, &id).await?;
    let file = for_print(&state, &ex).await?;
    let firm = state.store.get_firm(auth.firm()).await?.name;
    let postings = all_postings(&state, auth.firm(), &id)
        .await?
        .iter()
        .map(|p| posting_of(p, &file))
        .collect::<ApiResult<Vec<_>>>()?;
    let today = state.today();
    let bytes = make(move || {
        let report = likekind_core::analyze(&file, today);
        let st = likekind_pdf::Statement {
            intermediary: firm,
            postings,
            source: "The postings are the intermediary's ledger of this exchange account, as recorded in the tracker.".into(),
        };
        likekind_pdf::qi_statement(&file, &report, &st)
    })
    .await?;
    Ok(pdf_response(bytes, &slug(&ex.name, "statement")))
}

/// What the plan compares (the planner page's choices).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    /// Years to the comparison date, 1 to 100 (default: the file's, or 10).
    #[param(minimum = 1, maximum = 100)]
    pub horizon_years: Option<i64>,
    /// Yearly growth in percent, above -100 and at most 100 (default: the file's, or 4).
    pub growth_pct: Option<String>,
    /// `sale` or `death` at the horizon (default: the file's, or sale).
    #[param(inline)]
    pub hold_until: Option<HoldArg>,
}

/// What ends the comparison at the horizon.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HoldArg {
    Sale,
    Death,
}

fn plan_error(e: &likekind_core::InputErrors) -> ApiError {
    ApiError::fields(
        "the plan's assumptions are not usable",
        e.errors
            .iter()
            .map(|x| FieldError {
                path: x.path.clone(),
                rule: x.rule.clone(),
                message: x.message.clone(),
            })
            .collect(),
    )
}

/// The plan: the strategies side by side, the recommendation, the after-tax value over the
/// horizon, every assumption and the Form 8949 / Form 8997 figures of each opportunity-fund
/// path (as the planner page, with the same choices).
#[utoipa::path(get, path = "/api/exchanges/{id}/plan.pdf", tag = "exchanges", params(("id" = String, Path), PlanQuery),
    responses((status = 200, description = "The plan", content_type = "application/pdf", body = Vec<u8>),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody, description = "No such exchange you may see"),
        (status = 422, body = crate::error::ErrorBody, description = "A choice breaks a rule, or the exchange cannot be planned")))]
pub async fn plan(
    State(state): State<AppState>,
    auth: Auth,
    P(id): P<String>,
    Q(q): Q<PlanQuery>,
) -> ApiResult<Response> {
    let ex = load(&state, &auth, &id).await?;
    let file = for_print(&state, &ex).await?;
    let growth_pct = match q.growth_pct.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(s.trim_end_matches('%').parse::<Decimal>().map_err(|_| {
            ApiError::field("growth_pct", "syntax", "a percentage such as 4 or -2.5")
        })?),
    };
    let ov = Overrides {
        horizon_years: q.horizon_years,
        growth_pct: growth_pct.map(Into::into),
        hold_until: q.hold_until.map(|h| match h {
            HoldArg::Sale => HoldUntil::Sale,
            HoldArg::Death => HoldUntil::Death,
        }),
        qof_investment_date: None,
    };
    let assumptions = resolve(file.plan.as_ref(), &ov).map_err(|e| plan_error(&e))?;
    likekind_core::validate::check_plan_growth(
        assumptions.growth_pct,
        i64::from(assumptions.horizon_years),
    )
    .map_err(|m| ApiError::field("growth_pct", "growth_range", m))?;
    let today = state.today();
    let report = likekind_core::analyze(&file, today);
    let plan =
        likekind_core::plan::plan(&file, &report, &assumptions).map_err(|e| plan_error(&e))?;
    let bytes = make(move || likekind_pdf::plan(&file, &report, &assumptions, &plan)).await?;
    Ok(pdf_response(bytes, &slug(&ex.name, "plan")))
}
