//! The planner page: the engine's strategies side by side (the recommended one first), and a
//! chart of after-tax value over the horizon per strategy. Each point of the chart is the
//! engine's own plan computed with that horizon (`likekind_core::plan`), so the page adds no
//! arithmetic of its own.

use crate::fmt;
use crate::layout::{Refused, field_in, from_api, refused_box, shell};
use crate::session::Web;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use likekind_core::Amount;
use likekind_core::plan::{HoldUntil, Overrides, Plan, resolve};
use likekind_server::AppState;
use likekind_server::exchanges::{judged_file, load};
use maud::{Markup, html};
use rust_decimal::{Decimal, prelude::ToPrimitive};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    pub horizon: String,
    #[serde(default)]
    pub growth: String,
    #[serde(default)]
    pub hold: String,
}

/// The planner's inputs for the engine's paths.
const PLAN_INPUTS: [(&str, &str); 4] = [
    ("plan.horizon_years", "horizon"),
    ("horizon_years", "horizon"),
    ("plan.growth_pct", "growth"),
    ("growth_pct", "growth"),
];

/// The typed horizon and growth, or every problem with them (input, message in words): a
/// horizon of "abc" is refused, not silently read as the default.
/// Problems of a form, as (input name, message in words).
type Problems = Vec<(&'static str, String)>;

fn typed(q: &PlanQuery) -> Result<(Option<i64>, Option<Amount>), Problems> {
    let mut errs = Vec::new();
    let h = q.horizon.trim();
    let horizon = if h.is_empty() {
        None
    } else {
        match h.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errs.push((
                    "horizon",
                    format!("The horizon: \"{h}\" is not a whole number of years; enter e.g. 10"),
                ));
                None
            }
        }
    };
    let g = q.growth.trim().trim_end_matches('%').trim();
    let growth = if g.is_empty() {
        None
    } else {
        match g.parse::<Amount>() {
            Ok(d) => Some(d),
            Err(_) => {
                errs.push((
                    "growth",
                    format!("The growth rate: \"{g}\" is not a percentage; enter e.g. 3 or 3.5"),
                ));
                None
            }
        }
    };
    if errs.is_empty() {
        Ok((horizon, growth))
    } else {
        Err(errs)
    }
}

fn overrides(q: &PlanQuery, horizon: Option<i64>) -> Overrides {
    let (h, g) = typed(q).unwrap_or((None, None));
    Overrides {
        horizon_years: horizon.or(h),
        growth_pct: g,
        hold_until: match q.hold.as_str() {
            "death" => Some(HoldUntil::Death),
            "sale" => Some(HoldUntil::Sale),
            _ => None,
        },
        qof_investment_date: None,
    }
}

/// The engine's problems with the plan's figures, as (input or "", message in words).
fn problems(errors: &[likekind_core::InputError]) -> Problems {
    errors
        .iter()
        .map(|x| {
            let input = PLAN_INPUTS
                .iter()
                .find(|(p, _)| *p == x.path)
                .map_or("", |(_, n)| *n);
            (input, fmt::problem(&x.path, &x.message))
        })
        .collect()
}

fn compute(
    f: &likekind_core::ExchangeFile,
    today: jiff::civil::Date,
    ov: &Overrides,
) -> Result<Plan, Problems> {
    let a = resolve(f.plan.as_ref(), ov).map_err(|e| problems(&e.errors))?;
    let report = likekind_core::analyze(f, today);
    likekind_core::plan::plan(f, &report, &a).map_err(|e| problems(&e.errors))
}

/// Strategies in display order: the recommended one first, then the others as the engine
/// lists them.
/// A figure of a strategy, or n/a when the path does not apply at all (no after-tax value):
/// the page never shows a tax or a deferral a path cannot have, as the text and PDF plans.
fn fig(s: &likekind_core::plan::Strategy, d: Amount) -> String {
    if s.after_tax_value.is_some() {
        fmt::usd(d)
    } else {
        "n/a".to_string()
    }
}

pub fn ordered(p: &Plan) -> Vec<&likekind_core::plan::Strategy> {
    let rec = p.recommended.as_ref().map(|r| r.strategy.as_str());
    let mut v: Vec<_> = p.strategies.iter().collect();
    v.sort_by_key(|s| Some(s.name.as_str()) != rec);
    v
}

const COLORS: [&str; 6] = [
    "#0b4f8a", "#a4161a", "#1d6b35", "#7a4d00", "#5b2a86", "#3d4752",
];
const DASH: [&str; 6] = ["", "8 4", "2 3", "10 3 2 3", "4 4", "1 5"];

/// The chart: one line per eligible strategy, year 1 to the horizon.
fn chart(series: &[(String, Vec<(u32, Amount)>)], years: u32) -> Markup {
    let all: Vec<f64> = series
        .iter()
        .flat_map(|(_, v)| v.iter().filter_map(|(_, d)| Decimal::from(*d).to_f64()))
        .collect();
    if all.is_empty() || years == 0 {
        return html! {};
    }
    let (lo, hi) = all
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let lo = lo.min(0.0);
    let hi = if hi <= lo { lo + 1.0 } else { hi };
    let (w, h, l, r, t, b) = (800.0, 360.0, 110.0, 20.0, 20.0, 40.0);
    let x = |y: u32| l + (w - l - r) * f64::from(y) / f64::from(years);
    let yv = |v: f64| t + (h - t - b) * (1.0 - (v - lo) / (hi - lo));
    let ticks: Vec<f64> = (0..=4)
        .map(|k| lo + (hi - lo) * f64::from(k) / 4.0)
        .collect();
    let desc = series
        .iter()
        .map(|(n, v)| {
            format!(
                "{n}: {} after {} years",
                v.last().map(|(_, d)| fmt::usd(*d)).unwrap_or_default(),
                years
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    html! {
        figure.chart {
            svg viewBox={ "0 0 " (w) " " (h) } role="img" aria-labelledby="pc-title pc-desc" xmlns="http://www.w3.org/2000/svg" {
                title #pc-title { "After-tax value over the horizon, per strategy" }
                desc #pc-desc { (desc) }
                @for v in &ticks {
                    line x1=(l) x2=(w - r) y1=(yv(*v)) y2=(yv(*v)) stroke="#c9ced6" {}
                    text x=(l - 6.0) y=(yv(*v) + 4.0) text-anchor="end" font-size="12" { (short_usd(*v)) }
                }
                @for yr in 0..=years {
                    @if years <= 12 || yr % 5 == 0 {
                        text x=(x(yr)) y=(h - b + 18.0) text-anchor="middle" font-size="12" { (yr) }
                    }
                }
                text x=((l + w - r) / 2.0) y=(h - 4.0) text-anchor="middle" font-size="12" { "Years from the sale" }
                @for (k, (_, pts)) in series.iter().enumerate() {
                    @let d = pts.iter().filter_map(|(yr, v)| Decimal::from(*v).to_f64().map(|v| format!("{:.1},{:.1}", x(*yr), yv(v)))).collect::<Vec<_>>().join(" ");
                    polyline.chart-line points=(d) stroke=(COLORS[k % 6]) stroke-dasharray=(DASH[k % 6]) {}
                }
            }
            figcaption {
                ul.legend { @for (k, (n, _)) in series.iter().enumerate() {
                    li { svg width="36" height="10" aria-hidden="true" { line x1="0" y1="5" x2="36" y2="5" stroke=(COLORS[k % 6]) stroke-width="3" stroke-dasharray=(DASH[k % 6]) {} } " " (n) }
                } }
            }
            details {
                summary { "The chart as a table" }
                div.scroll tabindex="0" role="region" aria-label="The chart as a table" { table.compact {
                    thead { tr { th scope="col" { "Year" } @for (n, _) in series { th.num scope="col" { (n) } } } }
                    tbody { @for yr in 1..=years { tr {
                        th scope="row" { (yr) }
                        @for (_, pts) in series { td.num { (pts.iter().find(|(y, _)| *y == yr).map(|(_, d)| fmt::usd(*d)).unwrap_or_default()) } }
                    } } }
                } }
            }
        }
    }
}

fn short_usd(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 1e6 {
        format!("${:.1}M", a / 1e6)
    } else if a >= 1e3 {
        format!("${:.0}K", a / 1e3)
    } else {
        format!("${a:.0}")
    };
    if v < 0.0 { format!("-{s}") } else { s }
}

/// `GET /exchanges/{id}/plan`.
pub async fn page(
    State(st): State<AppState>,
    w: Web,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Response {
    let ex = match load(&st, &w.auth(), &id).await {
        Ok(ex) => ex,
        Err(e) => return from_api(e),
    };
    let file = match judged_file(&ex) {
        Ok(f) => f,
        Err(e) => return from_api(e),
    };
    let today = st.today();
    let plan = typed(&q).and_then(|_| compute(&file, today, &overrides(&q, None)));
    let refused = plan.as_ref().err().map(|errs| {
        let mut r = Refused::fields(errs.iter().map(|(n, m)| (*n, m.clone())).collect());
        r.headline = format!("the plan cannot be computed. {}", r.headline);
        r
    });
    let status = if refused.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let body = match &plan {
        Err(_) => html! {},
        Ok(p) => {
            let years = p.assumptions.horizon_years.min(40);
            let strategies = ordered(p);
            // The engine's after-tax value for each horizon, per eligible strategy.
            let per_year: Vec<Plan> = (1..=years)
                .filter_map(|y| compute(&file, today, &overrides(&q, Some(i64::from(y)))).ok())
                .collect();
            let series: Vec<(String, Vec<(u32, Amount)>)> = strategies
                .iter()
                .filter(|s| s.eligible && s.after_tax_value.is_some())
                .map(|s| {
                    let pts = per_year
                        .iter()
                        .filter_map(|pp| {
                            let v = pp
                                .strategies
                                .iter()
                                .find(|x| x.name == s.name)?
                                .after_tax_value?;
                            Some((pp.assumptions.horizon_years, v))
                        })
                        .collect();
                    (s.title.clone(), pts)
                })
                .collect();
            html! {
                p.lead { (fmt::words(&p.status_reason)) }
                @if let Some(r) = &p.recommended {
                    div.verdict.ok { h2 { "Recommended: " (p.strategy_title(&r.strategy)) } p { (fmt::words(&r.reason)) } }
                }
                p { "Compared over " (p.assumptions.horizon_years) " years (to " (fmt::date(p.horizon_date)) "), growth " (p.assumptions.growth_pct) "% a year. Net cash from the sale: " strong { (fmt::usd(p.equity)) } "; realized gain on a sale with no exchange " (fmt::usd(p.realized_gain)) ". A rough estimate from stated assumptions, not a return or advice." }
                (plan_link(&id, &q))
                h2 { "Strategies side by side" }
                div.scroll tabindex="0" role="region" aria-label="Strategies side by side, table" { table.plan {
                    thead { tr { th scope="col" { "Figure" } @for s in &strategies { th scope="col" { (s.title) @if p.recommended.as_ref().is_some_and(|r| r.strategy == s.name) { br; span.badge { "Recommended" } } } } } }
                    tbody {
                        tr { th scope="row" { "Available?" } @for s in &strategies { td { @if s.eligible { "Yes" } @else if s.hypothetical { "No (figures hypothetical)" } @else { "No" } br; small { (fmt::words(&s.eligibility)) } } } }
                        tr { th scope="row" { "Tax now" } @for s in &strategies { td.num { (fig(s, s.tax_now)) } } }
                        tr { th scope="row" { "Gain taxed now" } @for s in &strategies { td.num { (fig(s, s.gain_recognized_now)) } } }
                        tr { th scope="row" { "Gain deferred" } @for s in &strategies { td.num { (fig(s, s.deferred)) } } }
                        tr { th scope="row" { "Deferral" } @for s in &strategies { td { @if s.after_tax_value.is_none() { "n/a" } @else if !s.deferred_indefinitely.is_zero() && !s.deferred_temporarily.is_zero() { (fmt::words(&s.deferred_label)) } @else { @match s.deferral { "none" => { "None" }, "indefinite" => { "Indefinite" }, _ => { "Until " (s.recognition_date.map(fmt::date).unwrap_or_default()) } } } } } }
                        tr { th scope="row" { "Tax when the deferral ends" } @for s in &strategies { td.num { (fig(s, s.tax_when_deferral_ends)) } } }
                        tr { th scope="row" { "Every tax after now, at face value" } @for s in &strategies { td.num { (fig(s, s.tax_later)) } } }
                        tr { th scope="row" { "After-tax value at the horizon" } @for s in &strategies { td.num { strong { (s.after_tax_value.map(fmt::usd).unwrap_or_else(|| "n/a".into())) } } } }
                    }
                } }
                p { small { "Every tax after now: the tax on the deferred gain when its deferral ends and the tax on selling everything at the horizon, growth included, at face value. The after-tax value subtracts it." } }
                h2 { "After-tax value over the horizon" }
                (chart(&series, years))
                h2 { "Trade-offs" }
                @for s in &strategies { @if !s.notes.is_empty() {
                    details { summary { (s.title) } ul { @for n in &s.notes { li { (fmt::words(n)) } } } }
                } }
                @if !p.findings.is_empty() {
                    h2 { "Findings" }
                    ul.findings { @for f in &p.findings { li { details { summary { strong { (fmt::code(&f.code)) } ": " (fmt::words(&f.message)) } p { "Authority: " (likekind_core::words::authority(&f.authority)) } } } } }
                }
            }
        }
    };
    let page = shell(
        "Planner",
        Some(&w),
        html! {
            nav.crumbs aria-label="Breadcrumb" { a href="/" { "Dashboard" } " › " a href={ "/exchanges/" (id) } { (ex.name) } " › " span { "Planner" } }
            h1 { "Planner: " (ex.name) }
            @if let Some(r) = &refused { (refused_box(r)) }
            form.card.inline-form method="get" action={ "/exchanges/" (id) "/plan" } {
                div.row {
                    (field_in(refused.as_ref(), "Horizon (years)", "horizon", "text", &q.horizon, None))
                    (field_in(refused.as_ref(), "Growth per year (%)", "growth", "text", &q.growth, None))
                    div.field { label for="f-hold" { "At the horizon" } select #f-hold name="hold" {
                        option value="" selected[q.hold.is_empty()] { "As in the file" }
                        option value="sale" selected[q.hold == "sale"] { "Sell" }
                        option value="death" selected[q.hold == "death"] { "Hold until death" }
                    } }
                }
                button type="submit" { "Compare" }
            }
            (body)
        },
    );
    (status, page).into_response()
}

/// The planner page: the plan with the choices on the page.
pub fn plan_link(id: &str, q: &PlanQuery) -> Markup {
    let mut query: Vec<String> = Vec::new();
    if let Ok(h) = q.horizon.trim().parse::<i64>() {
        query.push(format!("horizon_years={h}"));
    }
    if let Ok(g) = q
        .growth
        .trim()
        .trim_end_matches('%')
        .parse::<likekind_core::Amount>()
    {
        query.push(format!("growth_pct={g}"));
    }
    if q.hold == "sale" || q.hold == "death" {
        query.push(format!("hold_until={}", q.hold));
    }
    let href = if query.is_empty() {
        format!("/api/exchanges/{id}/plan.pdf")
    } else {
        format!("/api/exchanges/{id}/plan.pdf?{}", query.join("&"))
    };
    html! {
        p { a.button.secondary #pdf-plan href=(href) download { "This plan (PDF)" } }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// A failed exchange defers nothing under §1031 (IRC §1031(a)(3)): the page shows n/a in
    /// every figure of the complete-exchange row, as the text and PDF plans, and the figures
    /// of a path that applies.
    #[test]
    fn a_path_that_does_not_apply_shows_no_figures() {
        let text = include_str!("../../../examples/seed000-failed-1m.toml");
        let f = likekind_core::parse_exchange(text, likekind_core::Format::Toml).unwrap();
        let as_of = jiff::civil::date(2026, 12, 7);
        let r = likekind_core::analyze(&f, as_of);
        let a = resolve(f.plan.as_ref(), &Overrides::default()).unwrap();
        let p = likekind_core::plan::plan(&f, &r, &a).unwrap();
        let by = |n: &str| p.strategies.iter().find(|s| s.name == n).unwrap();
        let c = by("complete_1031");
        assert_eq!(fig(c, c.deferred), "n/a");
        assert_eq!(fig(c, c.tax_later), "n/a");
        let s = by("sell_pay_tax");
        assert_eq!(fig(s, s.tax_now), "$253,000.00");
    }
}
