//! The text report: summary first, then dates, money, Form 8824, findings and basis, each
//! as a table a person can read in a minute.

use likekind_core::Report;
use likekind_core::findings::Severity;
use likekind_core::money::format_usd;
use rust_decimal::Decimal;
use std::fmt::Write;

/// Renders the report; `explain` adds every step with its inputs and authority.
pub fn render(r: &Report, explain: bool) -> String {
    let mut o = String::new();
    let title = r
        .exchange
        .name
        .clone()
        .unwrap_or_else(|| "Like-kind exchange".to_string());
    let _ = writeln!(o, "{title}");
    let _ = writeln!(o, "{}", "=".repeat(title.chars().count()));
    let who = if r.exchange.taxpayer.is_empty() {
        "(taxpayer not named)"
    } else {
        &r.exchange.taxpayer
    };
    let _ = writeln!(
        o,
        "Taxpayer: {who} ({})   Exchange type: {}   Status as of {}",
        r.exchange.entity.as_str(),
        serde_plain(&r.exchange.kind),
        r.exchange.as_of
    );
    let _ = writeln!(o);

    section(&mut o, "Summary");
    let g = &r.gain;
    let rows = [
        ("Realized gain (line 19)", g.realized),
        ("Recognized gain (line 23)", g.recognized),
        (
            "  of which ordinary recapture (line 21)",
            g.ordinary_recapture,
        ),
        (
            "  of which unrecaptured §1250 gain (25%)",
            g.unrecaptured_1250,
        ),
        ("Deferred gain (line 24)", g.deferred),
        (
            "Basis of like-kind property received (line 25)",
            r.form_8824.line_25,
        ),
    ];
    money_table(&mut o, &rows);
    if !g.other_property_given.is_zero() {
        money_table(
            &mut o,
            &[(
                "Gain on other property given up (line 14)",
                g.other_property_given,
            )],
        );
    }
    let _ = writeln!(o, "  Line 22 is reported on: {}", g.line_22_reported_on);
    let errors = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let _ = writeln!(
        o,
        "  Verdict: {}",
        if errors == 0 && r.findings.iter().any(|f| f.code == "exchange_in_progress") {
            "the exchange is IN PROGRESS: the figures assume unspent funds are returned at the end; see Findings".to_string()
        } else if errors > 0 {
            format!(
                "the exchange FAILS as entered ({errors} error(s), {warnings} warning(s)); see Findings"
            )
        } else if warnings > 0 {
            format!("the exchange qualifies as entered, with {warnings} warning(s); see Findings")
        } else {
            "the exchange qualifies as entered".to_string()
        }
    );
    let _ = writeln!(o);

    if let Some(d) = &r.deadlines {
        section(&mut o, "Dates");
        let rows = [
            ("First transfer", d.first_transfer.to_string()),
            (
                "Identification period ends (day 45)",
                d.identification_end.to_string(),
            ),
            ("Day 180", d.day_180.to_string()),
            ("Return due date", d.return_due_date.to_string()),
            (
                "Exchange period ends",
                format!("{} ({})", d.exchange_end, serde_plain(&d.exchange_end_rule)),
            ),
        ];
        for (k, v) in rows {
            let _ = writeln!(o, "  {k:<48} {v}");
        }
        if let Some(i) = &r.identification {
            let _ = writeln!(
                o,
                "  {:<48} {} ({})",
                "Identification",
                if i.valid {
                    "valid"
                } else if i.period_open {
                    "not yet made (period open)"
                } else {
                    "NOT valid"
                },
                serde_plain(&i.rule)
            );
        }
        if d.return_due_date_7503 != d.return_due_date {
            let _ = writeln!(
                o,
                "  {:<48} {} (IRC §7503 [U]; the cap above is used)",
                "Return due date if moved to a business day", d.return_due_date_7503
            );
        }
        if let Some(why) = &d.identification_end_closed {
            let _ = writeln!(
                o,
                "  {:<48} {why}: no roll ({} only if §7503 applied [U])",
                "Day 45 falls on", d.identification_end_if_7503_applies
            );
        }
        if let Some(rv) = &r.reverse {
            for (k, v) in [
                (
                    "Reverse: QEAA signed by (5 business days)",
                    rv.dates.qeaa_signed_by,
                ),
                (
                    "Reverse: relinquished identified by",
                    rv.dates.relinquished_identified_by,
                ),
                (
                    "Reverse: transfers completed by",
                    rv.dates.transfers_completed_by,
                ),
            ] {
                let _ = writeln!(o, "  {k:<48} {v}");
            }
        }
        if let Some(c) = &r.constructive_receipt {
            let _ = writeln!(
                o,
                "  {:<48} {} ({})",
                "Exchange funds may be released from", c.earliest.earliest, c.earliest.authority
            );
        }
        if let Some(st) = &r.status {
            let _ = writeln!(o);
            let _ = writeln!(o, "  Status as of {}:", st.as_of);
            for it in &st.items {
                let state = serde_plain(&it.state).replace('_', " ");
                let when = match it.days_left {
                    0 => "today".to_string(),
                    n if n > 0 => format!("in {n} days"),
                    n => format!("{} days ago", -n),
                };
                let _ = writeln!(
                    o,
                    "    {:<46} {} {:<14} {state}",
                    it.milestone.title, it.milestone.date, when
                );
            }
            if let (Some(k), Some(dd)) = (&st.next, st.next_date) {
                let _ = writeln!(o, "    Next: {k} on {dd}");
            }
            if !st.overdue.is_empty() {
                let _ = writeln!(o, "    OVERDUE: {}", st.overdue.join(", "));
            }
        }
        let _ = writeln!(o);
    }

    section(&mut o, "Money, closing by closing");
    for s in &r.money.sales {
        let _ = writeln!(o, "  Sale of {}", s.id);
        money_table(
            &mut o,
            &[
                ("  Sale price", s.sale_price),
                (
                    "  - debt paid off / assumed by buyer",
                    s.liabilities_relieved,
                ),
                ("  - exchange expenses", s.exchange_expenses),
                ("  - other closing costs (boot)", s.other_closing_costs),
                ("  - cash to you", s.cash_received),
                ("  = to the exchange funds", s.to_exchange_funds),
            ],
        );
    }
    for p in &r.money.purchases {
        let _ = writeln!(o, "  Purchase of {}", p.id);
        money_table(
            &mut o,
            &[
                ("  Price", p.price),
                ("  + personal property", p.personal_property),
                ("  + exchange expenses", p.exchange_expenses),
                ("  + other closing costs", p.other_closing_costs),
                ("  paid by the new loan", p.liabilities_assumed),
                (
                    if p.cash_paid_inferred {
                        "  paid by your own cash (inferred)"
                    } else {
                        "  paid by your own cash"
                    },
                    p.cash_paid,
                ),
                ("  paid by the exchange funds", p.from_exchange_funds),
            ],
        );
    }
    money_table(
        &mut o,
        &[
            ("Exchange funds in", r.money.exchange_funds_in),
            ("Exchange funds out", r.money.exchange_funds_out),
            ("Returned to you at the end", r.money.returned_to_taxpayer),
        ],
    );
    if !r.money.gap.is_zero() {
        money_table(&mut o, &[("UNBALANCED by", r.money.gap)]);
    }
    let _ = writeln!(o);

    section(&mut o, "Form 8824, Part III");
    let l = &r.form_8824;
    let lines = [
        ("12", "FMV of other property given up", l.line_12),
        ("13", "Adjusted basis of other property given up", l.line_13),
        ("14", "Gain or (loss) on other property given up", l.line_14),
        (
            "15",
            "Cash, other property, net liabilities, less expenses",
            l.line_15,
        ),
        ("16", "FMV of like-kind property received", l.line_16),
        ("17", "Add lines 15 and 16", l.line_17),
        (
            "18",
            "Basis given up + expenses not on 15 + net paid",
            l.line_18,
        ),
        ("19", "Realized gain or (loss)", l.line_19),
        ("20", "Smaller of line 15 or 19, not below zero", l.line_20),
        ("21", "Ordinary income under recapture rules", l.line_21),
        ("22", "Line 20 minus line 21", l.line_22),
        ("23", "Recognized gain", l.line_23),
        ("24", "Deferred gain or (loss)", l.line_24),
        ("25", "Basis of like-kind property received", l.line_25),
    ];
    for (n, caption, v) in lines {
        let _ = writeln!(o, "  {n:>3}  {caption:<54} {:>18}", format_usd(v));
    }
    let _ = writeln!(o);

    section(&mut o, "Basis of property received");
    for b in &r.replacement_basis {
        let _ = writeln!(
            o,
            "  {:<40} FMV {:>18}   basis {:>18}",
            b.id,
            format_usd(b.fmv),
            format_usd(b.basis)
        );
    }
    for b in &r.other_property_basis {
        let _ = writeln!(
            o,
            "  {:<40} basis {:>18} (FMV)",
            b.description,
            format_usd(b.basis)
        );
    }
    if r.replacement_basis.is_empty() && r.other_property_basis.is_empty() {
        let _ = writeln!(o, "  (no property received)");
    }
    let _ = writeln!(o);

    section(&mut o, "Findings");
    if r.findings.is_empty() {
        let _ = writeln!(o, "  None.");
    }
    for f in &r.findings {
        let sev = match f.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Info => "info",
        };
        let _ = writeln!(o, "  [{sev}] {} — {}", f.code, f.message);
        let _ = writeln!(o, "      Authority: {}", f.authority);
    }

    if explain {
        let _ = writeln!(o);
        section(&mut o, "Explanation");
        for (k, s) in r.explanation.iter().enumerate() {
            let _ = writeln!(o, "  {:>3}. {} = {}", k + 1, s.step, s.value);
            if !s.inputs.is_empty() {
                let _ = writeln!(o, "       from: {}", s.inputs.join("; "));
            }
            let _ = writeln!(o, "       authority: {}", s.authority);
        }
    }
    o
}

fn section(o: &mut String, name: &str) {
    let _ = writeln!(o, "{name}");
    let _ = writeln!(o, "{}", "-".repeat(name.chars().count()));
}

fn money_table(o: &mut String, rows: &[(&str, Decimal)]) {
    for (k, v) in rows {
        let _ = writeln!(o, "  {k:<48} {:>18}", format_usd(*v));
    }
}

/// The serde name of a unit enum value (e.g. `day_180`).
fn serde_plain<T: serde_json_compatible::Ser>(v: &T) -> String {
    v.plain()
}

mod serde_json_compatible {
    pub trait Ser {
        fn plain(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn plain(&self) -> String {
            match serde_json::to_value(self) {
                Ok(serde_json::Value::String(s)) => s,
                Ok(v) => v.to_string(),
                Err(_) => String::new(),
            }
        }
    }
}
