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
    header(&mut o, r);
    summary(&mut o, r);
    if let Some(d) = &r.deadlines {
        dates(&mut o, r, d);
    }
    money(&mut o, r);
    form_8824(&mut o, r);
    basis(&mut o, r);
    findings(&mut o, r);
    o.push_str(&special_sections(r));
    o.push_str(&other_sections(r));
    if explain {
        explanation(&mut o, r);
    }
    o
}

/// The title and who the exchange is for.
fn header(o: &mut String, r: &Report) {
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
}

/// The figures that matter and the verdict.
fn summary(o: &mut String, r: &Report) {
    section(o, "Summary");
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
    money_table(o, &rows);
    if !g.other_property_given.is_zero() {
        money_table(
            o,
            &[(
                "Gain on other property given up (line 14)",
                g.other_property_given,
            )],
        );
    }
    if !g.excluded_121.is_zero() {
        money_table(o, &[("Gain excluded under §121 first", g.excluded_121)]);
    }
    if !g.loss_not_deductible.is_zero() {
        money_table(
            o,
            &[("Loss not deductible (personal use)", g.loss_not_deductible)],
        );
    }
    let q = &r.qualification;
    let _ = writeln!(o, "  Outcome: {}. {}", q.outcome.words(), q.summary);
    let _ = writeln!(o, "  Reported on: {}", q.reported_on);
    if q.form_8824_filed {
        let _ = writeln!(o, "  Line 22 is reported on: {}", g.line_22_reported_on);
    }
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
}

/// The dates: the periods, the due date, a reverse exchange's, the release of the funds
/// and where each stands.
fn dates(o: &mut String, r: &Report, d: &likekind_core::timing::deadlines::Deadlines) {
    section(o, "Dates");
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
            "Last day to identify falls on", d.identification_end_if_7503_applies
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
            "Exchange funds may be released from",
            c.earliest.earliest,
            likekind_core::words::authority(c.earliest.authority)
        );
    }
    if let Some(st) = &r.status {
        status_lines(o, st);
    }
    let _ = writeln!(o);
}

/// Each milestone on the status date, the next one and what is overdue.
fn status_lines(o: &mut String, st: &likekind_core::timing::status::Status) {
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

/// The money of each closing, and the exchange funds in and out.
fn money(o: &mut String, r: &Report) {
    section(o, "Money, closing by closing");
    for s in &r.money.sales {
        let _ = writeln!(o, "  Sale of {}", s.id);
        money_table(
            o,
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
            o,
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
        o,
        &[
            ("Exchange funds in", r.money.exchange_funds_in),
            ("Exchange funds out", r.money.exchange_funds_out),
            ("Returned to you at the end", r.money.returned_to_taxpayer),
        ],
    );
    if !r.money.gap.is_zero() {
        money_table(o, &[("UNBALANCED by", r.money.gap)]);
    }
    let _ = writeln!(o);
}

/// Form 8824, Part III, line by line.
fn form_8824(o: &mut String, r: &Report) {
    section(o, "Form 8824, Part III");
    if !r.qualification.form_8824_filed {
        let _ = writeln!(
            o,
            "  Not filed: there is no like-kind exchange. The lines below show the sale's figures for reference only."
        );
    }
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
}

/// The basis of each property received.
fn basis(o: &mut String, r: &Report) {
    section(o, "Basis of property received");
    for b in &r.replacement_basis {
        let _ = writeln!(
            o,
            "  {:<40} FMV {:>18}   basis {:>18}   {}",
            b.id,
            format_usd(b.fmv),
            format_usd(b.basis),
            match &b.reason {
                None if b.like_kind => "like-kind".to_string(),
                None => "not like-kind".to_string(),
                Some(why) => format!("not like-kind: {why}"),
            }
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
    if let Some(a) = &r.qualification.if_qualified {
        let _ = writeln!(o, "  {}:", a.label);
        money_table(
            o,
            &[
                ("  realized gain", a.realized),
                ("  recognized gain", a.recognized),
                ("  deferred gain", a.deferred),
            ],
        );
    }
    let _ = writeln!(o);
}

/// Each finding with its authority.
fn findings(o: &mut String, r: &Report) {
    section(o, "Findings");
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
        let _ = writeln!(
            o,
            "      Authority: {}",
            likekind_core::words::authority(&f.authority)
        );
    }
}

/// Every step of the explanation with its inputs and authority.
fn explanation(o: &mut String, r: &Report) {
    let _ = writeln!(o);
    section(o, "Explanation");
    for (k, s) in r.explanation.iter().enumerate() {
        let _ = writeln!(o, "  {:>3}. {} = {}", k + 1, s.step, s.value);
        if !s.inputs.is_empty() {
            let _ = writeln!(o, "       from: {}", s.inputs_line());
        }
        let _ = writeln!(
            o,
            "       authority: {}",
            likekind_core::words::authority(&s.authority)
        );
    }
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

/// Text for the special-situation sections: the (j)-1 statement, the routing of
/// each amount, the year(s) of recognition, the depreciation table and the step-up.
fn special_sections(r: &Report) -> String {
    let mut s = String::new();
    if let Some(ma) = &r.multi_asset {
        s.push_str("\n\nMulti-asset exchange (Treas. Reg. §1.1031(j)-1)\n");
        s.push_str(&ma.statement);
    }
    if !r.character.routing.is_empty() {
        s.push_str("\n\nCharacter and where each amount is reported\n");
        for x in &r.character.routing {
            s.push_str(&format!(
                "  {:<55} {:>16}  {}\n",
                x.what,
                format_usd(x.amount),
                x.reported_on
            ));
        }
        let c = &r.character;
        let carried = [
            (
                "Unrecaptured §1250 gain carried into the replacement",
                c.unrecaptured_1250_carried_to_replacement,
            ),
            (
                "§1245 depreciation carried into the replacement",
                c.section1245_carried_to_replacement,
            ),
            (
                "§1250 additional depreciation carried into the replacement",
                c.additional_depreciation_carried_to_replacement,
            ),
        ];
        for (what, v) in carried {
            if !v.is_zero() {
                s.push_str(&format!("  {what:<55} {:>16}\n", format_usd(v)));
            }
        }
    }
    if let Some(y) = &r.recognition_years {
        s.push_str(&format!(
            "\n\nYear of recognition ({}installment method)\n  {}\n",
            if y.installment_method { "" } else { "no " },
            y.why
        ));
        for a in &y.years {
            s.push_str(&format!(
                "  {}: gain {} (recapture {}, unrecaptured §1250 {}) - {}\n",
                a.tax_year,
                format_usd(a.gain),
                format_usd(a.recapture_income),
                format_usd(a.unrecaptured_1250),
                a.reported_on
            ));
        }
        if !y.gain_reported_as_note_payments_received.is_zero() {
            s.push_str(&format!(
                "  as note payments are received: {}\n",
                format_usd(y.gain_reported_as_note_payments_received)
            ));
        }
    }
    for d in &r.depreciation {
        depreciation_table(&mut s, d);
    }
    if let Some(d) = &r.death {
        s.push_str(&format!(
            "\n\nStep-up at death ({})\n  heirs' basis {} ({}); deferred gain eliminated {}\n",
            d.date_of_death,
            format_usd(d.heir_basis),
            d.valuation,
            format_usd(d.deferred_gain_eliminated)
        ));
    }
    s
}

/// The §1.168(i)-6 treatment of one replacement and its schedule, year by year.
fn depreciation_table(s: &mut String, d: &likekind_core::report::ReplacementDepreciation) {
    let x = &d.result;
    s.push_str(&format!(
        "\n\nDepreciation of {} (Treas. Reg. §1.168(i)-6{})\n  exchanged basis {} over {} years remaining ({} {}), excess basis {} as new property; time of replacement {}\n",
        d.replacement,
        if x.elect_out { ", election out under (i)" } else { "" },
        format_usd(x.exchanged_basis),
        x.remaining_recovery_years.round_dp(4).normalize(),
        x.exchanged_basis_method.as_str(),
        x.exchanged_basis_convention.as_str(),
        format_usd(x.excess_basis),
        x.time_of_replacement
    ));
    s.push_str(&format!(
        "  {:<6} {:>16} {:>16} {:>16} {:>16}\n",
        "year", "relinquished", "exchanged basis", "excess basis", "total"
    ));
    for y in &x.schedule {
        s.push_str(&format!(
            "  {:<6} {:>16} {:>16} {:>16} {:>16}\n",
            y.year,
            format_usd(y.relinquished),
            format_usd(y.exchanged_basis),
            format_usd(y.excess_basis),
            format_usd(y.total)
        ));
    }
    if let Some(n) = &x.note {
        s.push_str(&format!("  note: {n}\n"));
    }
}

/// The remaining optional sections (related-party Part II, homes, states, reverse exchange,
/// (g)(6) release dates), printed as an indented outline of the report's own keys so that the
/// text never omits what the JSON says.
fn other_sections(r: &Report) -> String {
    let v = match serde_json::to_value(r) {
        Ok(v) => v,
        Err(_) => return String::new(),
    };
    let mut o = String::new();
    for (key, title) in [
        (
            "constructive_receipt",
            "When the exchange funds may be released (Treas. Reg. §1.1031(k)-1(g)(6))",
        ),
        ("reverse", "Reverse exchange (Rev. Proc. 2000-37, 2004-51)"),
        (
            "form_8824_part_ii",
            "Form 8824, Part II: related party exchange (IRC §1031(f))",
        ),
        (
            "vacation_home_safe_harbor",
            "Vacation homes: Rev. Proc. 2008-16 safe harbor",
        ),
        ("home_sale", "§121 with §1031 (Rev. Proc. 2005-14)"),
        (
            "residence_plan",
            "Moving into a replacement later (§121(d)(10), §121(b)(5))",
        ),
        ("states", "State rules"),
    ] {
        match v.get(key) {
            None | Some(serde_json::Value::Null) => {}
            Some(x) => {
                let _ = writeln!(o, "\n{title}\n{}", "-".repeat(title.chars().count()));
                outline(&mut o, x, 1);
            }
        }
    }
    o
}

fn outline(o: &mut String, v: &serde_json::Value, depth: usize) {
    let pad = "  ".repeat(depth);
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let label = k.replace('_', " ");
                if x.is_object() || x.is_array() {
                    let _ = writeln!(o, "{pad}{label}:");
                    outline(o, x, depth + 1);
                } else {
                    let _ = writeln!(o, "{pad}{label}: {}", scalar(x));
                }
            }
        }
        serde_json::Value::Array(a) => {
            for (k, x) in a.iter().enumerate() {
                if x.is_object() || x.is_array() {
                    let _ = writeln!(o, "{pad}{}.", k + 1);
                    outline(o, x, depth + 1);
                } else {
                    let _ = writeln!(o, "{pad}- {}", scalar(x));
                }
            }
        }
        x => {
            let _ = writeln!(o, "{pad}{}", scalar(x));
        }
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        x => x.to_string(),
    }
}
