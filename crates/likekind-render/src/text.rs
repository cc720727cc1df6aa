//! The text report: summary first, then dates, money, Form 8824, findings and basis, each
//! as a table a person can read in a minute.

use likekind_core::Amount;
use likekind_core::Report;
use likekind_core::findings::Severity;
use likekind_core::model::ExchangeFile;
use likekind_core::money::format_usd;
use likekind_core::words::{self, message};
use std::fmt::Write;

/// Renders the report of the exchange file `f`; `explain` adds every step with its inputs
/// and authority. The file gives the properties' descriptions: a property is named by its
/// description, as the PDFs and pages name it, not by the file's key for it.
pub fn render(r: &Report, f: &ExchangeFile, explain: bool) -> String {
    let mut o = String::new();
    header(&mut o, r);
    summary(&mut o, r);
    if let Some(d) = &r.deadlines {
        dates(&mut o, r, d);
    }
    money(&mut o, r, f);
    form_8824(&mut o, r);
    basis(&mut o, r, f);
    findings(&mut o, r);
    o.push_str(&special_sections(r));
    o.push_str(&other_sections(r, f));
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
        r.exchange.entity.as_str().replace('_', " "),
        serde_plain(&r.exchange.kind).replace('_', " "),
        words::date(r.exchange.as_of)
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
    let ended = deferral_ended(r);
    if let Some((amount, on)) = ended {
        let label = format!("Deferred gain taken into account {}", words::date(on));
        money_table(o, &[(label.as_str(), amount)]);
    }
    if !g.loss_not_deductible.is_zero() {
        money_table(
            o,
            &[("Loss not deductible (personal use)", g.loss_not_deductible)],
        );
    }
    let q = &r.qualification;
    let _ = writeln!(
        o,
        "  Outcome: {}. {}",
        q.outcome.words(),
        message(&q.summary)
    );
    let _ = writeln!(o, "  Reported on: {}", message(&q.reported_on));
    // Nothing on line 22, nothing to say where it goes.
    if q.form_8824_filed && !r.form_8824.line_22.is_zero() {
        let _ = writeln!(
            o,
            "  Line 22 is reported on: {}",
            message(&g.line_22_reported_on)
        );
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
        if let Some(u) = q.unless.as_ref().filter(|_| !q.settled) {
            // Failing as entered on a date still ahead: not failed yet (QA12 D3).
            format!(
                "NOT SETTLED: as entered the exchange will fail unless {} (by {}); see Findings",
                message(&u.text),
                words::date(u.by)
            )
        } else if errors == 0 && r.findings.iter().any(|f| f.code == "exchange_in_progress") {
            "the exchange is IN PROGRESS: the figures assume unspent funds are returned at the end; see Findings".to_string()
        } else if errors > 0 {
            format!(
                "the exchange FAILS as entered ({errors} error(s), {warnings} warning(s)); see Findings"
            )
        } else if let Some((_, on)) = ended {
            format!(
                "the exchange qualified when made, but the related-party disposition ends its deferral on {}; see Findings",
                words::date(on)
            )
        } else if warnings > 0 {
            format!("the exchange qualifies as entered, with {warnings} warning(s); see Findings")
        } else {
            "the exchange qualifies as entered".to_string()
        }
    );
    let _ = writeln!(o);
}

/// The deferred gain a related-party disposition within the two years takes into account,
/// and when (IRC §1031(f)(1); Form 8824 Part II).
fn deferral_ended(r: &Report) -> Option<(Amount, jiff::civil::Date)> {
    let d = r.form_8824_part_ii.as_ref()?.disposition.as_ref()?;
    (!d.recognized.is_zero())
        .then_some(d.recognized_on)
        .flatten()
        .map(|on| (d.recognized, on))
}

/// The dates: the periods, the due date, a reverse exchange's, the release of the funds
/// and where each stands.
fn dates(o: &mut String, r: &Report, d: &likekind_core::timing::deadlines::Deadlines) {
    section(o, "Dates");
    let forward_kept = r.reverse.as_ref().is_none_or(|rv| rv.sale_periods_apply);
    reverse_and_periods(o, r, d, forward_kept);
    let forward = r.reverse.is_none() || forward_kept;
    if let Some(i) = r.identification.as_ref().filter(|_| forward) {
        let _ = writeln!(
            o,
            "  {:<48} {} ({})",
            // A reverse exchange's own identification is of the property given up (Rev. Proc.
            // 2000-37 §4.02(4), in its section below); this one is the sale's (IRC
            // §1031(a)(3)), which governs only what was received after the sale.
            if r.reverse.is_some() {
                "Identification of property received after sale"
            } else {
                "Identification"
            },
            if i.valid {
                "valid"
            } else if i.period_open {
                "not yet made (period open)"
            } else {
                "NOT valid"
            },
            id_rule_words(i.rule)
        );
    }
    if forward && d.return_due_date_7503 != d.return_due_date {
        let _ = writeln!(
            o,
            "  {:<48} {} (IRC §7503, uncertain; the cap above is used)",
            "Return due date if moved to a business day",
            words::date(d.return_due_date_7503)
        );
    }
    if let Some(why) = d.identification_end_closed.as_ref().filter(|_| forward) {
        let _ = writeln!(
            o,
            "  {:<48} {why}: no roll ({} only if §7503 applied, which is uncertain)",
            "Last day to identify falls on",
            words::date(d.identification_end_if_7503_applies)
        );
    }
    if let Some(c) = &r.constructive_receipt {
        let _ = writeln!(
            o,
            "  {:<48} {} ({})",
            "Exchange funds may be released from",
            words::date(c.earliest.earliest),
            likekind_core::words::authority(c.earliest.authority)
        );
    }
    if let Some(st) = &r.status {
        status_lines(o, st);
    }
    let _ = writeln!(o);
}

/// A reverse exchange is timed from the transfer of qualified indicia (Rev. Proc. 2000-37
/// §4.02): its dates come first, and the periods counted from the sale are printed only when
/// the timeline keeps them (a replacement received after the sale).
fn reverse_and_periods(
    o: &mut String,
    r: &Report,
    d: &likekind_core::timing::deadlines::Deadlines,
    forward_kept: bool,
) {
    if let Some(rv) = &r.reverse {
        for (k, v) in [
            (
                "Reverse: accommodation agreement signed by",
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
            let _ = writeln!(o, "  {k:<48} {}", words::date(v));
        }
    }
    let also = if r.reverse.is_some() {
        " (also applies: received after the sale)"
    } else {
        ""
    };
    let _ = writeln!(
        o,
        "  {:<48} {}",
        if r.reverse.is_some() {
            "Sale of the property given up"
        } else {
            "First transfer"
        },
        words::date(d.first_transfer)
    );
    if r.reverse.is_none() || forward_kept {
        let rows = [
            (
                "Identification period ends (day 45)",
                format!("{}{also}", words::date(d.identification_end)),
            ),
            ("Day 180", words::date(d.day_180)),
            ("Return due date", words::date(d.return_due_date)),
            (
                "Exchange period ends",
                format!(
                    "{} ({}){also}",
                    words::date(d.exchange_end),
                    exchange_end_words(d.exchange_end_rule)
                ),
            ),
        ];
        for (k, v) in rows {
            let _ = writeln!(o, "  {k:<48} {v}");
        }
    } else {
        let _ = writeln!(
            o,
            "  The 45-day and 180-day periods counted from the sale do not apply: the replacement\n  was received on or before the sale, so the reverse dates above govern (Rev. Proc. 2000-37)."
        );
    }
}

/// A milestone's state in words. A 1031 deadline passed without the action is missed, not
/// late: nothing done after it counts (IRC §1031(a)(3)).
fn state_words(s: likekind_core::timing::status::State) -> &'static str {
    use likekind_core::timing::status::State;
    match s {
        State::Done => "done",
        State::Upcoming => "upcoming",
        State::DueToday => "due today",
        State::Overdue => "missed",
        State::Passed => "passed",
        State::NoLongerApplies => "no longer applies: the exchange failed",
        State::NotNeeded => "not needed: all the property was received",
    }
}

/// Each milestone on the status date, the next one and what was missed.
fn status_lines(o: &mut String, st: &likekind_core::timing::status::Status) {
    let _ = writeln!(o);
    let _ = writeln!(o, "  Status as of {}:", words::date(st.as_of));
    for it in &st.items {
        let state = state_words(it.state);
        let when = match it.days_left {
            0 => "today".to_string(),
            n if n > 0 => format!("in {}", words::days(i64::from(n))),
            n => format!("{} ago", words::days(-i64::from(n))),
        };
        let _ = writeln!(
            o,
            "    {:<50} {:<12} {:<14} {state}",
            it.milestone.title,
            words::date(it.milestone.date),
            when
        );
    }
    // The milestones by their titles, never by their keys.
    let title = |key: &str| -> String {
        st.items
            .iter()
            .find(|it| it.milestone.key == key)
            .map(|it| it.milestone.title.to_string())
            .unwrap_or_else(|| words::code(key))
    };
    if let (Some(k), Some(dd)) = (&st.next, st.next_date) {
        let _ = writeln!(o, "    Next: {} on {}", title(k), words::date(dd));
    }
    if !st.overdue.is_empty() {
        let _ = writeln!(
            o,
            "    Missed: {}",
            st.overdue
                .iter()
                .map(|k| title(k))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
}

/// The money of each closing, and the exchange funds in and out.
fn money(o: &mut String, r: &Report, f: &ExchangeFile) {
    section(o, "Money, closing by closing");
    for s in &r.money.sales {
        let _ = writeln!(o, "  Sale of {}", f.property_words(&s.id));
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
        let _ = writeln!(o, "  Purchase of {}", f.property_words(&p.id));
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
fn basis(o: &mut String, r: &Report, f: &ExchangeFile) {
    section(o, "Basis of property received");
    for b in &r.replacement_basis {
        let _ = writeln!(
            o,
            "  {:<40} FMV {:>18}   basis {:>18}   {}",
            f.property_words(&b.id),
            format_usd(b.fmv),
            format_usd(b.basis),
            match &b.reason {
                None if b.like_kind => "like-kind".to_string(),
                None => "not like-kind".to_string(),
                Some(why) => format!("not like-kind: {}", message(why)),
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
        let _ = writeln!(o, "  {}:", message(&a.label));
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
        let _ = writeln!(
            o,
            "  [{sev}] {} — {}{}",
            words::code(&f.code),
            message(&f.message),
            where_in_the_file(f)
        );
        let _ = writeln!(
            o,
            "      Authority: {}",
            likekind_core::words::authority(&f.authority)
        );
    }
}

/// For a fact the engine asks for, where the exchange file a command-line user edits keeps it.
fn where_in_the_file(f: &likekind_core::findings::Finding) -> &'static str {
    if f.code == "california_withholding" && f.message.contains("Form 593 exchange certification") {
        " In the exchange file: the Form 593 exchange certification of the California section, true or false."
    } else {
        ""
    }
}

/// Every step of the explanation with its inputs and authority.
fn explanation(o: &mut String, r: &Report) {
    let _ = writeln!(o);
    section(o, "Explanation");
    for (k, s) in r.explanation.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {:>3}. {}: {}",
            k + 1,
            message(&s.step),
            named_val_words(&s.step, &s.value)
        );
        if !s.inputs.is_empty() {
            let _ = writeln!(o, "       from: {}", inputs_words(&s.inputs));
        }
        let _ = writeln!(
            o,
            "       authority: {}",
            likekind_core::words::authority(&s.authority)
        );
    }
}

/// A figure of the explanation in words: dollars, dates in words, yes or no.
pub(crate) fn val_words(v: &likekind_core::explain::Val) -> String {
    use likekind_core::explain::Val;
    match v {
        Val::Money(d) => format_usd(*d),
        Val::Date(d) => words::date(*d),
        Val::Int(n) => n.to_string(),
        Val::Num(d) => d.normalize().to_string(),
        Val::Bool(true) => "yes".to_string(),
        Val::Bool(false) => "no".to_string(),
        Val::Text(t) => message(&t.replace(" = ", ": ")),
        Val::List(l) => inputs_words(l),
    }
}

/// The figure of a step (or an input) named `name`: a count of days as days with its
/// thousands grouped ("5,784 days"), as the pages and the PDFs say it; anything else as
/// [`val_words`].
pub(crate) fn named_val_words(name: &str, v: &likekind_core::explain::Val) -> String {
    match v {
        likekind_core::explain::Val::Int(n) if words::counts_days(name) => words::days(*n),
        other => val_words(other),
    }
}

/// The figures a step was computed from, each named in words.
pub(crate) fn inputs_words(l: &[likekind_core::explain::Input]) -> String {
    l.iter()
        .map(|i| {
            format!(
                "{}: {}",
                message(&i.name),
                named_val_words(&i.name, &i.value)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Which limit ends the exchange period, in words.
fn exchange_end_words(r: likekind_core::timing::deadlines::ExchangeEndRule) -> &'static str {
    use likekind_core::timing::deadlines::ExchangeEndRule as R;
    match r {
        R::Day180 => "day 180: the exchange period ends",
        R::ReturnDueDate => "the return's due date comes first",
        R::DisasterPostponement => "postponed for a federally declared disaster",
    }
}

/// The identification rule met, in words.
fn id_rule_words(r: likekind_core::identification::IdRule) -> &'static str {
    use likekind_core::identification::IdRule;
    match r {
        IdRule::ThreeProperty => "the three-property rule",
        IdRule::TwoHundredPercent => "the 200% rule",
        IdRule::NinetyFivePercent => "the 95% rule",
        IdRule::ReceivedWithin45Days => "property received within the 45 days",
        IdRule::None => "no identification rule is met",
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn section(o: &mut String, name: &str) {
    let _ = writeln!(o, "{name}");
    let _ = writeln!(o, "{}", "-".repeat(name.chars().count()));
}

fn money_table(o: &mut String, rows: &[(&str, Amount)]) {
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
                message(&x.what),
                format_usd(x.amount),
                message(&x.reported_on)
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
            message(y.why)
        ));
        for a in &y.years {
            s.push_str(&format!(
                "  {}: gain {} (recapture {}, unrecaptured §1250 {}) - {}\n",
                a.tax_year,
                format_usd(a.gain),
                format_usd(a.recapture_income),
                format_usd(a.unrecaptured_1250),
                message(&a.reported_on)
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
        let (title, built_in) = if d.total_gain_eliminated < Amount::ZERO {
            (
                "Basis stepped down at death",
                "loss built in at death (lost)",
            )
        } else {
            ("Step-up at death", "gain built in at death (never taxed)")
        };
        s.push_str(&format!(
            "\n\n{title} ({})\n  heirs' basis {} ({}); deferred gain eliminated {}; {built_in} {}\n",
            words::date(d.date_of_death),
            format_usd(d.heir_basis),
            message(&d.valuation),
            format_usd(d.deferred_gain_eliminated),
            format_usd(d.total_gain_eliminated.abs())
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
        x.exchanged_basis_method.as_str().replace('_', " "),
        x.exchanged_basis_convention.as_str().replace('_', " "),
        format_usd(x.excess_basis),
        words::date(x.time_of_replacement)
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
        s.push_str(&format!("  note: {}\n", message(n)));
    }
}

/// The remaining optional sections (the (g)(6) release dates, a reverse exchange,
/// related-party Part II, vacation homes, homes, a later move-in and the state rules), each in
/// sentences a person reads.
fn other_sections(r: &Report, f: &ExchangeFile) -> String {
    let mut o = String::new();
    if let Some(c) = &r.constructive_receipt {
        title(
            &mut o,
            "When the exchange funds may be released (Treas. Reg. §1.1031(k)-1(g)(6))",
        );
        let _ = writeln!(
            o,
            "  Earliest release: {}, because {} ({}).",
            words::date(c.earliest.earliest),
            release_rule_words(c.earliest.rule),
            words::authority(c.earliest.authority)
        );
        let _ = writeln!(
            o,
            "  If nothing had been identified: after the identification period, from {}.",
            words::date(c.if_nothing_identified)
        );
        match c.if_all_identified_received {
            Some(d) => {
                let _ = writeln!(
                    o,
                    "  Once all the identified property is received: from {}.",
                    words::date(d)
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "  Once all the identified property is received: not yet (not all of it is received)."
                );
            }
        }
        let _ = writeln!(
            o,
            "  Otherwise: after the exchange period, from {}.",
            words::date(c.after_exchange_period)
        );
        let _ = writeln!(o, "  Note: {}", message(c.note));
    }
    if let Some(rv) = &r.reverse {
        reverse_section(&mut o, rv);
    }
    if let Some(p) = &r.form_8824_part_ii {
        part_ii_section(&mut o, p);
    }
    if !r.vacation_home_safe_harbor.is_empty() {
        vacation_section(&mut o, &r.vacation_home_safe_harbor, f);
    }
    if let Some(h) = &r.home_sale {
        home_sale_section(&mut o, h);
    }
    if let Some(p) = &r.residence_plan {
        title(
            &mut o,
            "Moving into a replacement later (§121(d)(10), §121(b)(5))",
        );
        let _ = writeln!(o, "  Property: {}", p.property);
        for (k, d) in [
            ("Received", p.received),
            (
                "Held as a rental under the safe harbor until",
                p.rental_safe_harbor_until,
            ),
            ("Moving in", p.move_in),
            (
                "First sale that may use §121 (5 years after the exchange)",
                p.first_section121_sale,
            ),
            ("Planned sale", p.sale),
        ] {
            let _ = writeln!(o, "  {k:<60} {}", words::date(d));
        }
        let _ = writeln!(
            o,
            "  Days lived in it by the sale: {}; the use test {}.",
            p.residence_days_by_sale,
            if p.use_test_met {
                "is met"
            } else {
                "is not met"
            }
        );
        let _ = writeln!(
            o,
            "  Share of the gain from use other than as a residence (not excluded): {}%",
            (p.nonqualified_use_fraction * Amount::ONE_HUNDRED)
                .round_dp(2)
                .normalize()
        );
    }
    if let Some(st) = &r.states {
        states_section(&mut o, st, f);
    }
    o
}

fn title(o: &mut String, t: &str) {
    let _ = writeln!(o, "\n{t}\n{}", "-".repeat(t.chars().count()));
}

fn release_rule_words(rule: likekind_core::constructive_receipt::ReleaseRule) -> &'static str {
    use likekind_core::constructive_receipt::ReleaseRule as R;
    match rule {
        R::NothingIdentified => "nothing was identified",
        R::AllIdentifiedReceived => "all the identified property was received",
        R::ExchangePeriodEnd => "the exchange period has ended",
    }
}

fn timely(t: Option<bool>) -> &'static str {
    match t {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "not yet known",
    }
}

fn reverse_section(o: &mut String, rv: &likekind_core::timing::reverse::ReverseOutcome) {
    use likekind_core::model::Parked;
    title(o, "Reverse exchange (Rev. Proc. 2000-37, 2004-51)");
    let _ = writeln!(
        o,
        "  The accommodation titleholder holds the {} property.",
        match rv.parked {
            Parked::Replacement => "replacement",
            Parked::Relinquished => "relinquished",
        }
    );
    let _ = writeln!(
        o,
        "  {:<60} {}",
        "Ownership transferred to the accommodation titleholder",
        words::date(rv.dates.qualified_indicia_transferred)
    );
    for (k, d, t) in [
        (
            "Qualified exchange accommodation agreement signed by",
            rv.dates.qeaa_signed_by,
            rv.qeaa_timely,
        ),
        (
            "Relinquished property identified by",
            rv.postponed_relinquished_identified_by
                .unwrap_or(rv.dates.relinquished_identified_by),
            rv.relinquished_identification_timely,
        ),
        (
            "Parked property transferred out by",
            rv.postponed_transfers_completed_by
                .unwrap_or(rv.dates.transfers_completed_by),
            rv.transfers_timely,
        ),
    ] {
        let _ = writeln!(o, "  {k:<60} {:<12}   {}", words::date(d), timely(t));
    }
    if let Some(p) = &rv.prior_ownership {
        let _ = writeln!(
            o,
            "  Owned before it was parked: {} between; the safe harbor is {}.",
            words::days(i64::from(p.days_between)),
            if p.safe_harbor_available {
                "available"
            } else {
                "not available"
            }
        );
    }
}

fn part_ii_section(o: &mut String, p: &likekind_core::form8824::part_ii::PartII) {
    title(
        o,
        "Form 8824, Part II: related party exchange (IRC §1031(f))",
    );
    let l = &p.line_8;
    let _ = writeln!(
        o,
        "  Line 8, the related party: {}{}{}; relationship: {}",
        l.name,
        l.address
            .as_deref()
            .map(|a| format!(", {a}"))
            .unwrap_or_default(),
        l.identifying_number
            .as_deref()
            .map(|a| format!(", identifying number {a}"))
            .unwrap_or_default(),
        message(&l.relationship)
    );
    let _ = writeln!(
        o,
        "  Last transfer: {}; the two years end on {}.",
        words::date(p.last_transfer),
        words::date(p.two_year_end)
    );
    let yn = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not known yet",
    };
    for y in &p.years {
        let _ = writeln!(
            o,
            "  Tax year ending {}: line 9 (the related party sold or disposed of the property) {}; line 10 (you sold or disposed of the property) {}{}; gain recognized {}",
            words::date(y.tax_year_end),
            yn(y.line_9),
            yn(y.line_10),
            y.line_11
                .map(|e| format!("; line 11 exception: {}", exception_words(e)))
                .unwrap_or_default(),
            format_usd(y.recognized)
        );
    }
    if let Some(d) = &p.disposition {
        let _ = writeln!(
            o,
            "  The disposition {} within the two years{}; gain taken into account {}{}.",
            if d.within_two_years {
                "falls"
            } else {
                "does not fall"
            },
            d.exception
                .map(|e| format!(", but the exception for {} applies", exception_words(e)))
                .unwrap_or_default(),
            format_usd(d.recognized),
            d.recognized_on
                .map(|x| format!(" on {}", words::date(x)))
                .unwrap_or_default()
        );
    }
}

fn exception_words(e: likekind_core::model::RelatedPartyException) -> &'static str {
    use likekind_core::model::RelatedPartyException as E;
    match e {
        E::Death => "a disposition after a death",
        E::InvoluntaryConversion => "an involuntary conversion",
        E::NoTaxAvoidance => "no tax-avoidance purpose",
    }
}

fn vacation_section(
    o: &mut String,
    v: &[likekind_core::eligibility::vacation_home::SafeHarbor],
    f: &ExchangeFile,
) {
    use likekind_core::eligibility::vacation_home::{Role, Verdict};
    title(o, "Vacation homes: Rev. Proc. 2008-16 safe harbor");
    for h in v {
        let _ = writeln!(
            o,
            "  {} ({} property): the safe harbor is {}; owned 24 months: {}.",
            f.property_words(&h.id),
            match h.role {
                Role::Relinquished => "relinquished",
                Role::Replacement => "replacement",
            },
            match h.verdict {
                Verdict::Met => "met",
                Verdict::NotMet => "NOT met",
                Verdict::Pending => "not settled yet (the periods have not all ended)",
                Verdict::Unconfirmed => "not confirmed (facts missing)",
            },
            yes_no(h.owned_24_months)
        );
        for p in &h.periods {
            let _ = writeln!(
                o,
                "    12 months ending {}: {} days rented at fair rent ({}), {} days of personal use ({})",
                words::date(p.period_ending),
                p.fair_rental_days,
                if p.rental_ok { "enough" } else { "NOT enough" },
                p.personal_use_days,
                if p.personal_ok {
                    "within the limit"
                } else {
                    "OVER the limit"
                }
            );
        }
        let tested: Vec<_> = h.periods.iter().map(|p| p.period_ending).collect();
        for d in h.required_periods.iter().filter(|d| !tested.contains(d)) {
            let _ = writeln!(o, "    12 months ending {}: not given", words::date(*d));
        }
        for why in &h.reasons {
            let _ = writeln!(o, "    {}", message(why));
        }
    }
}

fn home_sale_section(o: &mut String, h: &likekind_core::eligibility::section121::HomeSaleResult) {
    title(o, "§121 with §1031 (Rev. Proc. 2005-14)");
    let _ = writeln!(
        o,
        "  Property: {}; the §121 exclusion is {}.",
        h.property,
        if h.section121_available {
            "available"
        } else {
            "not available"
        }
    );
    if let Some(w) = &h.whole {
        money_table(
            o,
            &[
                ("Amount realized", w.amount_realized),
                ("Adjusted basis", w.adjusted_basis),
                ("Realized gain", w.realized_gain),
                ("Excluded under §121 first", w.excluded_121),
                ("Deferred under §1031", w.deferred_1031),
                ("Recognized", w.recognized),
                ("Basis of the replacement", w.basis_replacement),
            ],
        );
    }
    if let Some(x) = &h.split {
        money_table(
            o,
            &[
                (
                    "Residence part: amount realized",
                    x.residential_amount_realized,
                ),
                ("Residence part: basis", x.residential_basis),
                ("Residence part: excluded under §121", x.excluded_121),
                ("Business part: amount realized", x.business_amount_realized),
                ("Business part: adjusted basis", x.business_adjusted_basis),
                ("Business part: deferred under §1031", x.deferred_1031),
                ("Recognized", x.recognized),
                (
                    "Basis of the business replacement",
                    x.basis_business_replacement,
                ),
            ],
        );
    }
}

fn states_section(o: &mut String, st: &likekind_core::states::States, file: &ExchangeFile) {
    title(o, "State rules");
    for p in &st.properties {
        let _ = writeln!(
            o,
            "  {} ({} property): {}",
            file.property_words(&p.id),
            p.role.replace('_', " "),
            words::location(&p.location)
        );
    }
    if let Some(c) = &st.california_clawback {
        let _ = writeln!(
            o,
            "  California clawback: California's deferred gain of {} {}; file FTB 3840 every year from {} until the {}.",
            format_usd(c.california_deferred_gain),
            if c.ca_taxes_deferred_gain_on_later_sale {
                "is taxed by California when the replacement is sold"
            } else {
                "is not taxed by California on a later sale"
            },
            c.ftb3840_required_each_year_from,
            c.until.replace(
                "year deferred CA-source gain is recognized",
                "year the deferred California-source gain is recognized"
            )
        );
    }
    for f in &st.form_593 {
        let _ = writeln!(
            o,
            "  Form 593 for {}: sales price {}, exchange {}, California withholding {}",
            file.property_words(&f.id),
            format_usd(f.total_sales_price),
            match f.exchange_certified {
                Some(true) => "certified",
                Some(false) => "not certified",
                None => "certification not stated",
            },
            format_usd(f.withholding)
        );
    }
}
