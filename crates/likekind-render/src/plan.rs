//! The plan as text: the recommended path and its reason first, then a side-by-side table
//! of every strategy, the reasons and trade-offs, the QOF windows, the reporting figures,
//! the findings and the assumptions (defaults marked).

use likekind_core::Amount;
use likekind_core::plan::{HoldUntil, Plan};
use likekind_core::words::{self, message};
use std::fmt::Write;

/// Dollars and cents, half-up, as every other report, the JSON and the PDF give them
/// (`$1,250,000.00`): the table never rounds a figure differently from the JSON beside it.
fn usd(d: Amount) -> String {
    likekind_core::money::format_usd(d)
}

/// The JSON plan, pretty-printed.
pub fn json(p: &Plan) -> String {
    serde_json::to_string_pretty(p).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Renders the plan for people.
pub fn render(p: &Plan, explain: bool) -> String {
    let mut o = String::new();
    header(&mut o, p);
    recommendation(&mut o, p);
    side_by_side(&mut o, p);
    trade_offs(&mut o, p);
    oz_windows(&mut o, p);
    qof_reporting(&mut o, p);
    findings(&mut o, p);
    assumptions(&mut o, &p.assumptions);
    if explain {
        explanation(&mut o, p);
    }
    o
}

/// The title, the status and the terms of the comparison.
fn header(o: &mut String, p: &Plan) {
    let title = format!(
        "Plan: {}",
        p.exchange.clone().unwrap_or_else(|| "exchange".to_string())
    );
    let _ = writeln!(o, "{title}\n{}", "=".repeat(title.chars().count()));
    let _ = writeln!(
        o,
        "As of {}: {}",
        words::date(p.as_of),
        message(&p.status_reason)
    );
    let a = &p.assumptions;
    let _ = writeln!(
        o,
        "Compared at {} ({} years), growth {}%/yr, {} at the horizon. Net cash from the sale {}; gain realized on a sale with no exchange {}.",
        words::date(p.horizon_date),
        a.horizon_years,
        a.growth_pct,
        match a.hold_until {
            HoldUntil::Sale => "sold",
            HoldUntil::Death => "held until death",
        },
        usd(p.equity),
        usd(p.realized_gain)
    );
    let _ = writeln!(
        o,
        "A rough estimate from the assumptions below, never a return or advice.\n"
    );
}

/// The recommended path and its next step.
fn recommendation(o: &mut String, p: &Plan) {
    match &p.recommended {
        Some(r) => {
            let _ = writeln!(o, "RECOMMENDED: {}", message(&r.reason));
            if let Some(q) = p
                .strategies
                .iter()
                .find(|s| s.name == r.strategy)
                .and_then(|s| s.qof.as_ref())
            {
                let _ = writeln!(o, "  Next step: {}.", message(&q.advice));
            }
        }
        None => {
            let _ = writeln!(o, "RECOMMENDED: none of the paths is available as entered.");
        }
    }
    let _ = writeln!(o);
}

/// The strategies side by side.
fn side_by_side(o: &mut String, p: &Plan) {
    section(o, "Side by side");
    let _ = writeln!(
        o,
        "{:<38} {:<6} {:>14} {:>14} {:>12} {:>14} {:>15}",
        "Strategy", "Avail", "Tax now", "Deferred", "Until", "Tax later", "After tax"
    );
    // A row that defers some gain indefinitely (§1031) and some only until a date (a QOF)
    // has no single "until": its amounts are labelled one by one under the table.
    let mixed = |s: &likekind_core::plan::Strategy| {
        !s.deferred_indefinitely.is_zero() && !s.deferred_temporarily.is_zero()
    };
    for s in &p.strategies {
        let until = match (s.deferral, s.recognition_date) {
            _ if mixed(s) => "see below".to_string(),
            ("indefinite", _) => "indefinite".to_string(),
            ("none", _) => "-".to_string(),
            (_, Some(d)) => words::date(d),
            _ => "-".to_string(),
        };
        // A path not available as things stand, yet figured on a condition (the exchange
        // failing, no boot taken): the legend says its figures are hypothetical.
        let avail = match (s.eligible, s.relies_on_no_direct_authority) {
            (true, false) => "yes",
            (true, true) => "yes[U]",
            _ if s.hypothetical => "no[H]",
            _ => "no",
        };
        // A path that does not apply at all (no after-tax value) has no figures: every cell
        // says n/a, never a deferral or a tax it cannot have.
        let (tax_now, deferred, until, tax_later, after) = match s.after_tax_value {
            Some(v) => (
                usd(s.tax_now),
                usd(s.deferred),
                until,
                usd(s.tax_later),
                usd(v),
            ),
            None => {
                let na = || "n/a".to_string();
                (na(), na(), na(), na(), na())
            }
        };
        let _ = writeln!(
            o,
            "{:<38} {:<6} {:>14} {:>14} {:>12} {:>14} {:>15}",
            s.title, avail, tax_now, deferred, until, tax_later, after
        );
    }
    for s in p.strategies.iter().filter(|s| mixed(s)) {
        let _ = writeln!(o, "  {}: {}.", s.title, message(&s.deferred_label));
    }
    let if_fails = if p.strategies.iter().any(|s| s.hypothetical) {
        " no[H] = not available as things stand: the figures are what the path would give on the condition stated under \"Why\" below."
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "  yes[U] = available only on a reading with no direct authority.{if_fails} Tax later = every tax After tax subtracts after now (the deferred gain's and the growth's), at face value. After tax = wealth at {}.\n",
        words::date(p.horizon_date)
    );
}

/// Why each strategy is or is not available, and its trade-offs.
fn trade_offs(o: &mut String, p: &Plan) {
    section(o, "Why, and the trade-offs");
    for s in &p.strategies {
        let _ = writeln!(
            o,
            "{} — {}",
            s.title,
            if s.eligible {
                "available"
            } else if s.hypothetical {
                "not available as things stand (figures hypothetical)"
            } else {
                "not available"
            }
        );
        let _ = writeln!(o, "  {}", message(&s.eligibility));
        if !s.basis_step_up.is_zero() {
            let _ = writeln!(o, "  Basis step-up: {}.", usd(s.basis_step_up));
        }
        for n in &s.notes {
            let _ = writeln!(o, "  - {}", message(n));
        }
    }
    let _ = writeln!(o);
}

/// The Opportunity Zone windows of the gain.
fn oz_windows(o: &mut String, p: &Plan) {
    section(o, "Opportunity Zone windows (180 days, day 1 = the start)");
    let dealer = if p.oz.dealer_income_not_eligible.is_zero() {
        String::new()
    } else {
        format!(
            " and {} of a dealer's ordinary income",
            usd(p.oz.dealer_income_not_eligible)
        )
    };
    let _ = writeln!(
        o,
        "Eligible gain if the exchange fails: {} ({} of ordinary recapture{dealer} can never go to a QOF).",
        usd(p.oz.eligible_gain_if_failed),
        usd(p.oz.ordinary_recapture_not_eligible)
    );
    for w in &p.oz.windows {
        let _ = writeln!(
            o,
            "  {} to {}  {}{}",
            words::date(w.start),
            words::date(w.end),
            message(&w.gain),
            if w.direct_authority {
                ""
            } else {
                "  [no direct authority]"
            }
        );
        let _ = writeln!(
            o,
            "      (start + 180 = {} is not relied on) {}",
            words::date(w.end_if_counted_like_1031),
            words::authority(&w.authority)
        );
    }
    let _ = writeln!(o);
}

/// The QOF figures of Forms 8949 and 8997, strategy by strategy.
fn qof_reporting(o: &mut String, p: &Plan) {
    let qofs: Vec<_> = p
        .strategies
        .iter()
        .filter_map(|s| s.qof.as_ref().map(|q| (s, q)))
        .collect();
    if !qofs.is_empty() {
        section(o, "QOF reporting (Form 8949 code Z, Form 8997)");
        for (s, q) in qofs {
            let f = &q.forms;
            let _ = writeln!(
                o,
                "  {}: {} Form 8949, code {}, column (g) {} ({}); Form 8997: {} invested in {}, {} included in {} (inclusion date {}, {}).",
                s.title,
                f.form_8949.tax_year,
                f.form_8949.code,
                usd(f.form_8949.column_g_adjustment),
                if f.form_8949.long_term {
                    "long-term"
                } else {
                    "short-term"
                },
                usd(f.form_8997.deferred_gain_invested),
                f.form_8997.investment_year,
                usd(f.form_8997.gain_included),
                f.form_8997.inclusion_year,
                words::date(q.inclusion.inclusion_date),
                q.inclusion.regime.as_str()
            );
        }
        let _ = writeln!(o);
    }
}

/// Each finding with its authority.
fn findings(o: &mut String, p: &Plan) {
    section(o, "Findings");
    for f in &p.findings {
        let sev = match f.severity {
            likekind_core::findings::Severity::Error => "ERROR",
            likekind_core::findings::Severity::Warning => "warning",
            likekind_core::findings::Severity::Info => "info",
        };
        let _ = writeln!(
            o,
            "  [{sev}] {}: {}",
            words::code(&f.code),
            message(&f.message)
        );
        let _ = writeln!(o, "      Authority: {}", words::authority(&f.authority));
    }
    let _ = writeln!(o);
}

/// The assumptions by their names, the defaults marked.
fn assumptions(o: &mut String, a: &likekind_core::plan::Assumptions) {
    section(
        o,
        "Assumptions (* = default; set them in the plan section of the file or by flag)",
    );
    let d = |name: &str| {
        if a.defaults_used
            .iter()
            .any(|x| x.starts_with(&format!("{name} =")))
        {
            "*"
        } else {
            ""
        }
    };
    let pct = |x: Amount| format!("{}%", x.normalize());
    let rows = [
        (
            "horizon_years",
            "Horizon",
            format!("{} years", a.horizon_years),
        ),
        (
            "growth_pct",
            "Growth of what is invested, a year",
            pct(a.growth_pct),
        ),
        ("yield_pct", "Yield paid out, a year", pct(a.yield_pct)),
        (
            "federal_capital_gain_rate",
            "Federal capital gain rate",
            pct(a.federal_capital_gain_rate),
        ),
        (
            "ordinary_rate",
            "Ordinary income rate",
            pct(a.ordinary_rate),
        ),
        (
            "unrecaptured_1250_rate",
            "Unrecaptured section 1250 gain rate",
            pct(a.unrecaptured_1250_rate),
        ),
        (
            "niit_rate",
            "Net investment income tax rate",
            pct(a.niit_rate),
        ),
        ("state_rate", "State rate", pct(a.state_rate)),
        (
            "hold_until",
            "At the horizon",
            match a.hold_until {
                HoldUntil::Sale => "everything is sold and the tax paid".to_string(),
                HoldUntil::Death => "held until death".to_string(),
            },
        ),
        (
            "qrof",
            "Qualified rural opportunity fund",
            if a.qrof { "yes" } else { "no" }.to_string(),
        ),
    ];
    for (k, label, v) in rows {
        let _ = writeln!(o, "  {label:<38} {v}{}", d(k));
    }
    if let Some(q) = a.qof_investment_date {
        let _ = writeln!(o, "  {:<38} {}", "Fund investment date", words::date(q));
    }
    if let Some(q) = a.qof_amount {
        let _ = writeln!(o, "  {:<38} {}", "Amount invested in the fund", usd(q));
    }
}

/// Every step of the explanation with its inputs and authority.
fn explanation(o: &mut String, p: &Plan) {
    let _ = writeln!(o);
    section(o, "Explanation");
    for (k, s) in p.explanation.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {:>3}. {}: {}",
            k + 1,
            message(&s.step),
            crate::text::named_val_words(&s.step, &s.value)
        );
        if !s.inputs.is_empty() {
            let _ = writeln!(o, "       from: {}", crate::text::inputs_words(&s.inputs));
        }
        let _ = writeln!(o, "       authority: {}", words::authority(&s.authority));
    }
}

fn section(o: &mut String, name: &str) {
    let _ = writeln!(o, "{name}\n{}", "-".repeat(name.chars().count()));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Cents, and half-up at the cent as the JSON rounds: $250,965.495 is $250,965.50, never
    /// $250,965 (half-even to whole dollars) beside a JSON $250,965.50.
    #[test]
    fn dollars_and_cents_half_up() {
        assert_eq!(usd(Amount::new(123456789, 2)), "$1,234,567.89");
        assert_eq!(usd(Amount::new(250_965_495, 3)), "$250,965.50");
        assert_eq!(usd(Amount::new(-5000, 0)), "-$5,000.00");
        assert_eq!(usd(Amount::ZERO), "$0.00");
    }
}
