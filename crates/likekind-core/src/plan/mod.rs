//! The strategy planner: for one exchange file (planned, partial or failed), what each path
//! costs now, what it defers and until when, and what is left after tax at a horizon.
//!
//! The planner reuses the engine's [`crate::Report`] (realized and recognized gain, ordinary
//! recapture, unrecaptured §1250 gain, boot, deadlines); it never recomputes Form 8824. The
//! "failed" figures are the engine's own analysis of the same file with no replacement
//! property. Assumptions are inputs with stated defaults ([`Assumptions`]); the tax it
//! computes from them is a rough estimate for comparing paths, never a return.
//!
//! [`plan`] only orchestrates: [`status`] says where the exchange stands, [`strategies`] holds
//! one file per path (full §1031, partial §1031 as entered or with the boot's gain in a QOF,
//! failed §1031 with the gain in a QOF, sell and pay, installment sale, DST), [`qof`] the fund
//! investment they share, [`compare`] the labels and the recommendation, [`findings`] what
//! the planner notices.

pub mod assumptions;
pub mod compare;
pub mod context;
pub mod findings;
pub mod gains;
pub mod payments;
pub mod qof;
pub mod status;
pub mod strategies;
pub mod tax;
pub mod types;

pub use assumptions::{
    Assumptions, HoldUntil, MAX_HORIZON_YEARS, OtherGain, OtherGainKind, Overrides, PlanBlock,
    defaults, resolve, validate_block,
};
pub use status::failed_view;
pub use types::{
    ExchangeStatus, OtherGainPlan, OzSummary, Plan, QofPlan, Recommendation, Strategy,
};

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::findings::Findings;
use crate::input::errors::InputErrors;
use crate::inputs;
use crate::law::cite;
use crate::model::ExchangeFile;
use crate::oz::check_no_double_deferral;
use crate::oz::regime::add_years;
use crate::oz::window::{Window, exchange_gain_windows};
use crate::plan::context::{Ctx, PLAN_AUTH};
use crate::plan::gains::{Gains, gains_of};
use crate::plan::tax::Rates;
use crate::report::Report;
use crate::timing::calendar::YearEnd;
use crate::timing::deadlines::Deadlines;

/// Builds the plan for `f`, whose engine report is `report`.
///
/// # Errors
/// A planned QOF investment date outside every window, or, for an exchange that defers gain
/// under §1031, a QOF amount larger than the eligible gain actually recognized (no dollar of
/// gain is deferred twice).
pub fn plan(f: &ExchangeFile, report: &Report, a: &Assumptions) -> Result<Plan, InputErrors> {
    let as_of = report.exchange.as_of;
    let mut t = Trace::default();
    let mut fx = Findings::default();
    let Some(d) = report.deadlines.clone() else {
        return Err(InputErrors::one(
            "relinquished",
            "required",
            "a plan needs at least one relinquished property with its transfer date",
        ));
    };
    let ye = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let failed = status::failed_view(f, as_of);
    let (status, status_reason) = status::status_of(f, report, &d, as_of);
    let equity = status::equity_of(f);
    explain_start(status, &status_reason, as_of, &d, equity, &mut t);
    let horizon_date = add_years(as_of, i16::try_from(a.horizon_years).unwrap_or(100));

    // The failed exchange, per the engine, and the file as entered.
    let fg = &failed.gain;
    let gains = gains_of(f, &failed, report, &mut t);
    let failed_gain =
        status::recognition_if_failed(report, &failed, &d, ye, f.exchange.funds_released_on);
    let failed_release = failed_gain.received;
    let split = payments::split(&gains.failed, fg.ordinary_recapture, &failed_gain, &d)
        .filter(|_| !f.exchange.elect_out_installment);
    let (mut windows, partial_windows) = windows_of(
        f,
        (report, &d),
        (status, failed_release),
        (split.as_ref(), gains.eligible_failed),
        ye,
        &mut t,
    );
    check_planned_qof(a, (status, report), &gains, &windows, &partial_windows)?;

    let ctx = Ctx {
        a,
        rates: Rates::from(a),
        as_of,
        horizon_date,
        equity,
        deadlines: &d,
        status,
        transfer_long_term: status::long_term(f),
        year_end: ye,
        failed_gain_year: failed_gain.tax_year,
        entered_gain_year: status::recognition_as_entered(report, &d, ye).tax_year,
        related_buyer: f.related_party.as_ref().is_some_and(|r| r.is_buyer()),
        elect_out_installment: f.exchange.elect_out_installment,
        failed_split: split,
        funds_at_closing: report
            .qualification
            .taxpayer_received_funds()
            .map(|r| r.text.clone()),
    };
    let mut strategies = every_strategy(
        &ctx,
        report,
        &gains,
        &windows,
        &partial_windows,
        failed_release,
        &mut t,
    );
    explain_after_tax_values(&strategies, horizon_date, &mut t);
    let recommended = compare::recommend(&strategies, a);
    findings::findings(
        &mut fx,
        &ctx,
        f,
        &strategies,
        &windows,
        &partial_windows,
        fg.ordinary_recapture,
        (fg.realized, report.gain.realized),
    );
    windows.extend(partial_windows);
    let other_gains = qof::other_gain_plans(&ctx, &mut windows, &mut t);
    strategies.iter_mut().for_each(|s| s.notes.dedup());
    Ok(Plan {
        plan_version: 1,
        exchange: f.exchange.name.clone(),
        as_of,
        status,
        status_reason,
        horizon_date,
        equity,
        realized_gain: fg.realized,
        recommended,
        strategies,
        oz: oz_summary(fg, &gains, windows, other_gains),
        assumptions: a.clone(),
        findings: fx.0,
        explanation: t.steps,
    })
}

/// The OZ side of the plan: the failed exchange's gain `fg`, what of it is not eligible and
/// why, the eligible gain, and every window.
fn oz_summary(
    fg: &crate::report::Gain,
    gains: &Gains,
    windows: Vec<Window>,
    other_gains: Vec<OtherGainPlan>,
) -> OzSummary {
    OzSummary {
        gain_if_failed: fg.recognized,
        ordinary_recapture_not_eligible: fg.ordinary_recapture,
        dealer_income_not_eligible: gains.dealer_failed,
        short_held_ordinary_not_eligible: gains.short_held_failed,
        eligible_gain_if_failed: gains.eligible_failed,
        eligible_gain_as_entered: gains.eligible_entered,
        windows,
        other_gains,
    }
}

/// The first steps: where the exchange stands, and the money every path starts with.
fn explain_start(
    status: ExchangeStatus,
    status_reason: &str,
    as_of: jiff::civil::Date,
    d: &Deadlines,
    equity: Amount,
    t: &mut Trace,
) {
    crate::step!(
        t,
        "plan.status",
        status_reason.to_string(),
        status.words(),
        cite!(IRC_1031 "(a)(3)"; REG_1_1031_K_1 "(b), (c)"),
        inputs!["as of" => as_of, "exchange end" => d.exchange_end],
    );
    crate::step!(
        t,
        "plan.equity",
        "Net cash from the sale: sale price less liabilities relieved, exchange expenses and other closing costs (the money each path starts with)",
        m(equity),
        PLAN_AUTH,
        vec![],
    );
}

/// The 180-day windows of the gain if the exchange fails, and of the boot's gain when it is
/// partial. The QI-release start is kept only where the funds come back after the tax year
/// of the transfer: only then does Treas. Reg. §1.1031(k)-1(j)(2) report the gain under §453,
/// the footing of the installment reading ((b)(11)(viii)(B) of Treas. Reg. §1.1400Z2(a)-1);
/// in the same tax year nothing supports it, so only the transfer-date window is offered.
/// Nor is it kept when the taxpayer elected out of the installment method: "Subsection (a)
/// shall not apply to any disposition if the taxpayer elects" (IRC §453(d)(1)), so the gain
/// is reported in the year of the transfer and (b)(11)(viii)(B), which covers only gain
/// reported on the installment method, gives no later start.
///
/// The failed exchange's windows are then paired with the payment each is for, with a
/// pass-through taxpayer's owners' windows ([`payments::finish_windows`]).
fn windows_of(
    f: &ExchangeFile,
    (report, d): (&Report, &Deadlines),
    (status, failed_release): (ExchangeStatus, jiff::civil::Date),
    (split, eligible): (Option<&payments::Split>, Amount),
    ye: YearEnd,
    t: &mut Trace,
) -> (Vec<Window>, Vec<Window>) {
    // Investment land or other capital assets give capital gain, §1231 property §1231 gain:
    // the same start, different paragraphs of Treas. Reg. §1.1400Z2(a)-1 to cite.
    let section_1231 = crate::gain::character::is_section_1231(f);
    // A release in the same tax year is dropped before its window is computed, so the
    // explanation records no step for a window the plan does not offer.
    let year_end = ye.year_end_containing(d.first_transfer);
    let elected_out = f.exchange.elect_out_installment;
    let later_year = |r: Option<jiff::civil::Date>| r.filter(|r| *r > year_end && !elected_out);
    let sale = report.qualification.taxpayer_received_funds().is_some();
    let gain = payments::failed_gain_words(status, sale);
    let mut windows = exchange_gain_windows(
        gain,
        d.first_transfer,
        later_year(Some(failed_release)),
        ye,
        section_1231,
        t,
    );
    if sale {
        if let Some(w) = windows.first_mut() {
            w.note = payments::SALE_START.into();
        }
    }
    payments::finish_windows(
        &mut windows,
        (split, gain),
        (f.taxpayer.entity, ye),
        (d.first_transfer, eligible),
        t,
    );
    let partial_windows = if status == ExchangeStatus::Partial {
        exchange_gain_windows(
            "boot gain of the partial exchange",
            d.first_transfer,
            later_year(status::partial_release(report, d)),
            ye,
            section_1231,
            t,
        )
    } else {
        Vec::new()
    };
    (windows, partial_windows)
}

/// A planned QOF investment the law does not allow: a date outside every window, or more
/// than the eligible gain recognized by an exchange that defers gain under §1031 (complete
/// or partial, with gain deferred in `report`).
fn check_planned_qof(
    a: &Assumptions,
    (status, report): (ExchangeStatus, &Report),
    gains: &Gains,
    windows: &[Window],
    partial_windows: &[Window],
) -> Result<(), InputErrors> {
    if let Some(date) = a.qof_investment_date {
        let all: Vec<&Window> = windows.iter().chain(partial_windows.iter()).collect();
        if !all.iter().any(|w| w.contains(date)) {
            return Err(InputErrors::one(
                "plan.qof_investment_date",
                "oz_180_day_window",
                format!(
                    "{date} is outside every 180-day window of this exchange's gain ({}): a QOF investment defers gain only if made within the 180-day period beginning on the day the gain is recognized (IRC §1400Z-2(a)(1)(A); Treas. Reg. §1.1400Z2(a)-1(b)(7))",
                    all.iter()
                        .map(|w| format!("{} to {}", w.start, w.end))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ));
        }
    }
    // An exchange that failed (or may yet fail), or whose boot takes the whole gain, has no
    // §1031 deferral to protect: an amount above its eligible gain is capped by the strategy,
    // the excess a non-qualifying investment (Treas. Reg. §1.1400Z2(a)-1(c)(6)(i)); only an
    // exchange that defers gain under §1031 refuses it, since no dollar of gain is deferred
    // twice.
    let deferred_by_1031 = match status {
        ExchangeStatus::Complete | ExchangeStatus::Partial => report.gain.deferred,
        ExchangeStatus::Failed | ExchangeStatus::InProgress => Amount::ZERO,
    };
    if let Some(q) = a.qof_amount
        && let Err(e) = check_no_double_deferral(q, gains.eligible_entered, deferred_by_1031)
    {
        return Err(InputErrors::one(
            "plan.qof_amount",
            "no_double_deferral",
            format!(
                "{e} (the exchange is {}; IRC §§1031(a), 1400Z-2(a)(1); Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(B))",
                status.words()
            ),
        ));
    }
    Ok(())
}

/// Every strategy, in the order the plan lists them, each deferred amount labelled.
fn every_strategy(
    ctx: &Ctx,
    report: &Report,
    gains: &Gains,
    windows: &[Window],
    partial_windows: &[Window],
    failed_release: jiff::civil::Date,
    t: &mut Trace,
) -> Vec<types::Strategy> {
    let mut all = vec![
        strategies::complete_1031(ctx, report, &gains.failed),
        strategies::partial_boot_to_qof(
            ctx,
            report,
            &gains.entered,
            gains.eligible_entered,
            partial_windows,
            t,
        ),
        strategies::failed_gain_to_qof(
            ctx,
            &gains.failed,
            (gains.eligible_failed, gains.recapture_failed),
            windows,
            t,
        ),
    ];
    if ctx.status == ExchangeStatus::Partial {
        all.insert(
            1,
            strategies::partial_as_entered(ctx, report, &gains.entered),
        );
    }
    all.extend([
        strategies::sell_pay_tax(ctx, &gains.failed),
        strategies::installment_sale(ctx, &gains.failed, failed_release, ctx.year_end),
        strategies::dst_fallback(ctx, &gains.failed),
    ]);
    all.iter_mut().for_each(compare::label_deferrals);
    all
}

/// One explanation step per strategy: its tax now, what it defers and its after-tax value.
fn explain_after_tax_values(
    all: &[types::Strategy],
    horizon_date: jiff::civil::Date,
    t: &mut Trace,
) {
    for s in all {
        crate::step!(
            t,
            format!("plan.{}.after_tax_value", s.name),
            format!(
                "{}: tax now {}, deferred {}, after-tax value at {horizon_date}",
                s.title,
                m(s.tax_now),
                m(s.deferred)
            ),
            s.after_tax_value
                .map_or(crate::explain::Val::from("n/a"), m),
            PLAN_AUTH,
            vec![],
        );
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::oz::window::sale_window;
    use crate::plan::qof::choose;
    use crate::plan::{Overrides, resolve};
    use crate::{Format, parse_exchange};
    use jiff::civil::date;

    const FAILED: &str = r#"
    [exchange]
    as_of = "2026-11-25"
    [taxpayer]
    entity = "individual"
    [[relinquished]]
    id = "a"
    location = "CA"
    acquired = "2012-01-01"
    transferred = "2026-08-01"
    sale_price = "1600000"
    adjusted_basis = "600000"
    depreciation_allowed = "300000"
    section1245_depreciation = "50000"
    "#;

    fn ctx_plan(text: &str) -> Plan {
        let f = parse_exchange(text, Format::Toml).expect("file");
        let r = crate::analyze(&f, date(2026, 11, 25));
        let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
        plan(&f, &r, &a).expect("plan")
    }

    /// Every step of a plan cites the law, never our own tool, and the status step reads in
    /// words, not as the enum's name.
    #[test]
    fn plan_steps_cite_the_law_and_read_in_words() {
        let p = ctx_plan(include_str!("../../../../examples/seed000-boot-500k.toml"));
        assert!(!p.explanation.is_empty());
        for s in &p.explanation {
            assert!(
                !s.authority.to_lowercase().contains("likekind"),
                "{}: {}",
                s.key,
                s.authority
            );
        }
        let st = p
            .explanation
            .iter()
            .find(|s| s.key == "plan.status")
            .expect("the status step");
        let said = serde_json::to_string(&st.value).unwrap();
        assert!(said.contains(p.status.words()), "{said}");
    }

    /// A strategy is named by its title, and by the words of its key when the plan does not
    /// list it (a recommendation read against another plan): never by the key.
    #[test]
    fn a_strategy_is_named_in_words() {
        let mut p = ctx_plan(FAILED);
        for s in p.strategies.clone() {
            assert_eq!(p.strategy_title(&s.name), s.title);
        }
        p.strategies.retain(|s| s.name != "failed_1031_gain_to_qof");
        assert_eq!(
            p.strategy_title("failed_1031_gain_to_qof"),
            "Failed 1031, gain into a QOF"
        );
    }

    #[test]
    fn failed_view_is_a_taxable_sale() {
        let f = parse_exchange(FAILED, Format::Toml).expect("file");
        let r = failed_view(&f, date(2026, 11, 25));
        assert_eq!(r.gain.recognized, Amount::from(1_000_000));
        assert_eq!(r.gain.ordinary_recapture, Amount::from(50_000));
    }

    #[test]
    fn nothing_identified_is_failed_and_recapture_stays_out_of_the_qof() {
        let p = ctx_plan(FAILED);
        assert_eq!(p.status, ExchangeStatus::Failed);
        assert_eq!(p.oz.eligible_gain_if_failed, Amount::from(950_000));
        let q = p
            .strategies
            .iter()
            .find(|s| s.name == "failed_1031_gain_to_qof")
            .expect("strategy");
        assert_eq!(q.deferred, Amount::from(950_000));
        assert_eq!(q.gain_recognized_now, Amount::from(50_000));
        // 50,000 of recapture at 37% + 3.8%.
        assert_eq!(q.tax_now, Amount::from(20_400));
        // Invested on 2027-01-04, the first business day of 2027 (January 1 is a holiday).
        assert_eq!(q.recognition_date, Some(date(2032, 1, 4)));
    }

    /// The 2027-regime finding names the year of this sale's gain: a 2025 sale is not called
    /// a 2026 gain (P.L. 119-21 §70421(c)(5)(A); Notice 2026-40 §4.02(2)).
    #[test]
    fn the_2027_regime_finding_names_the_year_of_the_gain() {
        // A December 2025 sale whose funds come back in 2026: its 180 days may start on the
        // last day of 2026 and run into 2027.
        for (sold, said) in [("2025-12-15", "2025"), ("2026-08-01", "2026")] {
            let p = ctx_plan(&FAILED.replace("2026-08-01", sold));
            let f = p
                .findings
                .iter()
                .find(|f| f.code == "oz_2027_regime")
                .expect("a QOF investment in 2027");
            assert!(
                f.message.contains(&format!("even for this {said} gain"))
                    || f.message
                        .contains(&format!("even for the gain of this {said} sale")),
                "{sold}: {}",
                f.message
            );
            let other = if said == "2025" { "2026" } else { "2025" };
            assert!(
                !f.message.contains(&format!("this {other} ")),
                "{}",
                f.message
            );
        }
    }

    /// The default investment date would be 2027-01-01 (the amended regime's first day),
    /// New Year's Day: the plan invests on the first business day after it and says why
    /// (a fund takes money only on a business day; no rule moves the 180 days).
    #[test]
    fn a_default_investment_date_on_a_holiday_moves_to_a_business_day() {
        let p = ctx_plan(FAILED);
        let q = p
            .strategies
            .iter()
            .find_map(|s| s.qof.as_ref())
            .expect("a QOF path");
        assert_eq!(q.investment_date, date(2027, 1, 4));
        assert!(
            q.advice
                .contains("2027-01-01 is a federal holiday (New Year's Day)"),
            "{}",
            q.advice
        );
    }

    /// Rules verified against Notice 2026-40 carry no "unverified" warning; the zone dates and
    /// the one remaining caveat (Treas. Reg. §1.1400Z2(a)-1(b)(10)) are stated.
    #[test]
    fn verified_oz_rules_carry_no_unverified_warning() {
        let p = ctx_plan(FAILED);
        let codes: Vec<&str> = p.findings.iter().map(|f| f.code.as_ref()).collect();
        assert!(!codes.contains(&"oz_2027_regime_unverified"), "{codes:?}");
        assert!(!codes.contains(&"oz_zone_end_date_unverified"), "{codes:?}");
        let zones = p.findings.iter().find(|f| f.code == "oz_zone_dates");
        assert!(
            zones.is_some_and(|f| f.message.contains("2028-12-31")
                && f.message.contains("Puerto Rico through 2027-12-31")
                && f.message.contains("2036-12-31")),
            "{zones:?}"
        );
        let caveat = p
            .findings
            .iter()
            .find(|f| f.code == "oz_election_regulation_caveat");
        assert!(
            caveat.is_some_and(|f| f.message.contains("made before January 1, 2027")
                && f.authority.contains("(b)(10)")),
            "{caveat:?}"
        );
        let texts = p
            .findings
            .iter()
            .filter(|f| f.code != "oz_failed_1031_start_no_authority")
            .map(|f| format!("{} {}", f.message, f.authority))
            .chain(p.strategies.iter().flat_map(|s| s.notes.clone()))
            .chain(
                p.explanation
                    .iter()
                    .map(|s| format!("{} {}", s.step, s.authority)),
            );
        for t in texts {
            assert!(
                !t.contains("unverified") && !t.contains("unread") && !t.contains("not retrieved"),
                "{t}"
            );
            if t.contains("1400Z") || t.contains("QOF") {
                assert!(!t.contains("[U]"), "{t}");
            }
        }
        let q = p
            .strategies
            .iter()
            .find(|s| s.name == "failed_1031_gain_to_qof")
            .and_then(|s| s.qof.as_ref())
            .map(|q| q.forms.form_8949.clone());
        assert!(q.is_some_and(|r| r.code == "Z"
            && r.column_b == date(2027, 1, 4)
            && r.columns_c_to_e_blank
            && r.section_1231_row == "QOF INVESTMENT FROM FORM 4797"
            && r.section_1231_row_column_h == -r.column_g_adjustment));
    }

    /// Only the gain put in the QOF is deferred until the inclusion date: the §1031 part has
    /// no end date and the rest of the boot's gain is taxed now.
    #[test]
    fn each_deferred_amount_is_labelled_with_its_own_treatment() {
        let text = include_str!("../../../../examples/seed000-boot-500k.toml")
            .replace("[plan]", "[plan]\nqof_amount = \"200000\"");
        let p = ctx_plan(&text);
        let s = p
            .strategies
            .iter()
            .find(|s| s.name == "partial_1031_boot_to_qof")
            .expect("strategy");
        assert_eq!(s.deferred, Amount::from(900_000));
        assert_eq!(s.deferred_indefinitely, Amount::from(700_000));
        assert_eq!(s.deferred_temporarily, Amount::from(200_000));
        assert_eq!(s.recognition_date, Some(date(2032, 1, 4)));
        assert_eq!(
            s.deferred_label,
            "$700,000.00 deferred indefinitely under §1031; $200,000.00 invested in the QOF deferred until 2032-01-04; $300,000.00 taxed now"
        );
        let r = p.recommended.as_ref().expect("recommended");
        assert_eq!(r.strategy, "partial_1031_boot_to_qof");
        assert!(!r.reason.contains("$900,000.00 deferred"), "{}", r.reason);
        assert!(r.reason.contains(&s.deferred_label), "{}", r.reason);
        let f = p
            .strategies
            .iter()
            .find(|s| s.name == "failed_1031_gain_to_qof")
            .expect("strategy");
        assert_eq!(f.deferred_indefinitely, Amount::ZERO);
        assert_eq!(f.deferred_temporarily, Amount::from(200_000));
        assert!(
            f.deferred_label.ends_with("taxed now"),
            "{}",
            f.deferred_label
        );
        let c = p
            .strategies
            .iter()
            .find(|s| s.name == "complete_1031")
            .expect("strategy");
        assert_eq!(c.deferred_temporarily, Amount::ZERO);
        assert_eq!(c.deferred_indefinitely, c.deferred);
    }

    #[test]
    fn in_progress_before_day_45() {
        let p = ctx_plan(&FAILED.replace("2026-11-25", "2026-08-20"));
        assert_eq!(p.status, ExchangeStatus::InProgress);
        let dst = p
            .strategies
            .iter()
            .find(|s| s.name == "dst_fallback")
            .expect("dst");
        assert!(dst.eligible);
    }

    /// Judged after day 45 with property identified in time and nothing received yet: the
    /// identification period is over, so the plan never offers identifying as still possible.
    #[test]
    fn after_day_45_identification_is_not_offered_as_still_possible() {
        let text = include_str!("../../../../examples/weekend-day-45.toml")
            .replace("as_of = \"2027-01-20\"", "as_of = \"2027-03-01\"")
            .replace("# [[identified]]", "[[identified]]")
            .replace("# id = \"spruce\"", "id = \"spruce\"")
            .replace("# description = \"Spruce", "description = \"Spruce")
            .replace("# fmv = ", "fmv = ")
            .replace("# identified_on = ", "identified_on = ");
        let p = ctx_plan(&text);
        assert_eq!(p.status, ExchangeStatus::InProgress, "{}", p.status_reason);
        assert!(
            !p.status_reason.contains("identify by"),
            "{}",
            p.status_reason
        );
        let c = p
            .strategies
            .iter()
            .find(|s| s.name == "complete_1031")
            .expect("strategy");
        assert!(c.eligible);
        assert!(
            !c.eligibility.contains("identify replacement property")
                && c.eligibility
                    .contains("the identification period ended on 2027-02-13"),
            "{}",
            c.eligibility
        );
    }

    /// The QI's release of a failed exchange's funds falls in the tax year of the transfer:
    /// the plan offers no window from it, so its explanation records no step for one; a
    /// release in the next tax year keeps both the window and its step.
    #[test]
    fn a_dropped_same_year_release_window_leaves_no_step() {
        use crate::oz::window::StartRule;
        let p = ctx_plan(FAILED);
        let released = |p: &Plan| {
            (
                p.oz.windows
                    .iter()
                    .any(|w| w.start_rule == StartRule::ExchangeFundsReleased),
                p.explanation
                    .iter()
                    .any(|s| s.key == "oz.window.exchange_funds_released"),
            )
        };
        assert_eq!(released(&p), (false, false));
        let late = ctx_plan(&FAILED.replace("2026-08-01", "2026-11-20"));
        assert_eq!(released(&late), (true, true));
    }

    #[test]
    fn choice_prefers_2027_inside_a_straddling_window() {
        let a = resolve(None, &Overrides::default()).expect("defaults");
        let f = parse_exchange(FAILED, Format::Toml).expect("file");
        let d = crate::timing::deadlines::compute(
            &f,
            None,
            &mut Trace::default(),
            &mut Default::default(),
        )
        .expect("deadlines");
        assert_eq!(d.first_transfer, date(2026, 8, 1));
        let c = Ctx {
            a: &a,
            rates: Rates::from(&a),
            as_of: date(2026, 11, 25),
            horizon_date: date(2036, 11, 25),
            equity: Amount::ZERO,
            deadlines: &d,
            status: ExchangeStatus::Failed,
            transfer_long_term: true,
            year_end: YearEnd::CALENDAR,
            failed_gain_year: 2026,
            entered_gain_year: 2026,
            related_buyer: false,
            elect_out_installment: false,
            failed_split: None,
            funds_at_closing: None,
        };
        let w = vec![sale_window("g", date(2026, 8, 1), &mut Trace::default())];
        let ch = choose(&w, &c, true).expect("open");
        // 2027-01-01 is New Year's Day: the first business day of 2027 in the window, said
        // in words; the window's last day, a Wednesday, needs no word.
        assert_eq!((ch.from, ch.to), (date(2027, 1, 4), date(2027, 1, 27)));
        assert!(
            ch.advice.contains("2027-01-01 is a federal holiday (New Year's Day), so the plan invests on 2027-01-04"),
            "{}",
            ch.advice
        );
        assert!(!ch.advice.contains("not extended"), "{}", ch.advice);
        // A window ending on Sunday 2027-01-31: invest by Friday 2027-01-29.
        let w = vec![sale_window("g", date(2026, 8, 5), &mut Trace::default())];
        let ch = choose(&w, &c, true).expect("open");
        assert_eq!(w[0].end, date(2027, 1, 31));
        assert!(
            ch.advice
                .contains("the last day, 2027-01-31, is a Sunday: the 180 days are not extended")
                && ch.advice.contains("so invest by 2027-01-29"),
            "{}",
            ch.advice
        );
        let w = vec![sale_window("g", date(2026, 5, 1), &mut Trace::default())];
        assert!(choose(&w, &c, true).is_none(), "closed on 2026-10-27");
    }

    /// The plan of `text` judged on `as_of`.
    fn plan_at(text: &str, as_of: jiff::civil::Date) -> Plan {
        let f = parse_exchange(text, Format::Toml).expect("file");
        let r = crate::analyze(&f, as_of);
        let a = resolve(f.plan.as_ref(), &Overrides::default()).expect("assumptions");
        plan(&f, &r, &a).expect("plan")
    }

    fn strategy<'p>(p: &'p Plan, name: &str) -> &'p Strategy {
        p.strategies
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    const SEED_FAILED: &str = include_str!("../../../../examples/seed000-failed-1m.toml");

    /// IRC §1400Z-2(a)(1) defers only gain "from the sale to, or exchange with, an unrelated
    /// person": a sale to a brother (§267(b)(1), (c)(4), at 20% under (e)(2)) has no QOF
    /// path, no figures for one, and the plan recommends selling and paying the tax. When the
    /// file says the related party did not buy the relinquished property, the path is back.
    #[test]
    fn a_sale_to_a_related_person_has_no_qof_path() {
        let related =
            format!("{SEED_FAILED}\n[related_party]\nname = \"Pat\"\nrelationship = \"sibling\"\n");
        let p = plan_at(&related, date(2026, 12, 7));
        let q = strategy(&p, "failed_1031_gain_to_qof");
        assert!(!q.eligible && q.after_tax_value.is_none() && q.qof.is_none());
        assert!(
            q.eligibility.contains("unrelated person"),
            "{}",
            q.eligibility
        );
        assert!(
            q.eligibility.contains("IRC §1400Z-2(a)(1)"),
            "{}",
            q.eligibility
        );
        let r = p.recommended.as_ref().expect("recommended");
        assert_eq!(r.strategy, "sell_pay_tax");
        assert!(r.reason.contains("tax now $253,000.00"), "{}", r.reason);
        let f = p
            .findings
            .iter()
            .find(|f| f.code == "oz_related_party_gain")
            .expect("finding");
        assert!(f.message.starts_with("No QOF path"), "{}", f.message);
        let seller_only = related.replace(
            "relationship = \"sibling\"\n",
            "relationship = \"sibling\"\nbought_relinquished = false\n",
        );
        let p = plan_at(&seller_only, date(2026, 12, 7));
        assert!(strategy(&p, "failed_1031_gain_to_qof").eligible);
        assert_eq!(
            p.recommended.as_ref().map(|r| r.strategy.as_str()),
            Some("failed_1031_gain_to_qof")
        );
    }

    /// A failed exchange defers nothing under §1031 (IRC §1031(a)(3); Treas. Reg.
    /// §1.1031(k)-1(b)): the complete-exchange and DST rows have no figures at all.
    #[test]
    fn a_failed_exchange_shows_no_1031_deferral() {
        let p = plan_at(SEED_FAILED, date(2026, 12, 7));
        assert_eq!(p.status, ExchangeStatus::Failed);
        for name in ["complete_1031", "dst_fallback"] {
            let s = strategy(&p, name);
            assert!(!s.eligible, "{name}");
            assert_eq!(s.after_tax_value, None, "{name}");
            assert_eq!(s.deferred, Amount::ZERO, "{name}");
            assert_eq!(s.deferral, "none", "{name}");
            assert!(
                s.eligibility.starts_with("Not available"),
                "{}",
                s.eligibility
            );
        }
    }

    /// The original rules include a 2026 investment on 2026-12-31 (IRC §1400Z-2(b)(1) as
    /// enacted), in the same tax year as a 2026 sale: the tax is due now, nothing is
    /// deferred. The money outside the fund pays it, so the fund takes only what is left
    /// after the tax: $1,200,000 of net cash less $253,000 = $947,000, never $1,000,000 with
    /// $53,000 the taxpayer does not have; and no tax comes out below the inclusion's.
    #[test]
    fn a_same_year_inclusion_is_taxed_now_and_never_spends_money_not_there() {
        let text = SEED_FAILED.replace("2026-08-01", "2026-07-05");
        let p = plan_at(&text, date(2026, 12, 7));
        let s = strategy(&p, "failed_1031_gain_to_qof");
        let q = s.qof.as_ref().expect("a QOF");
        assert_eq!(q.inclusion.inclusion_date, date(2026, 12, 31));
        assert_eq!(q.amount, Amount::from(947_000));
        assert_eq!(s.tax_now, Amount::from(253_000));
        assert_eq!(s.deferred, Amount::ZERO);
        assert_eq!(s.deferral, "none");
        assert_eq!(s.tax_when_deferral_ends, Amount::ZERO);
        assert!(s.tax_later >= Amount::ZERO);
        assert!(
            s.deferred_label
                .contains("in the same tax year as the gain: not deferred"),
            "{}",
            s.deferred_label
        );
        assert!(
            s.notes.iter().any(|n| n.contains("not $1,000,000.00")
                && n.contains("$53,000.00 more of it now")),
            "{:?}",
            s.notes
        );
        // The 5-year deferral from 2027 leaves the money outside enough to pay the
        // inclusion's tax in 2032 at 4% growth: the whole gain goes in.
        let p = plan_at(SEED_FAILED, date(2026, 12, 7));
        let s = strategy(&p, "failed_1031_gain_to_qof");
        assert_eq!(
            s.qof.as_ref().map(|q| q.amount),
            Some(Amount::from(1_000_000))
        );
        assert_eq!(s.deferral, "temporary");
        assert!(s.tax_later >= s.tax_when_deferral_ends);
    }

    /// A fall in the market is a capital loss: IRC §1211(b) limits an individual's net
    /// capital loss deduction to $3,000 a year, and the plan ignores losses, so no path has a
    /// tax below zero (before: sell and pay the tax, −$146,798.76 at −10% growth).
    #[test]
    fn a_falling_market_gives_no_negative_tax() {
        let text = SEED_FAILED.replace("growth_pct = \"4\"", "growth_pct = \"-10\"");
        let p = plan_at(&text, date(2026, 12, 7));
        for s in &p.strategies {
            assert!(s.tax_later >= Amount::ZERO, "{}: {}", s.name, s.tax_later);
            assert!(s.tax_later >= s.tax_when_deferral_ends, "{}", s.name);
        }
    }

    /// With the election out of the installment method (IRC §453(d)(1)) the gain is reported
    /// in the year of the transfer: no installment path, and no 180-day start that rests on
    /// installment reporting (Treas. Reg. §1.1400Z2(a)-1(b)(11)(viii)(B)); only the window
    /// from the transfer, 2026-10-30 to 2027-04-27.
    #[test]
    fn electing_out_of_the_installment_method_leaves_only_the_transfer_window() {
        use crate::oz::window::StartRule;
        let straddle = include_str!("../../../../examples/special-straddle.toml");
        let out = straddle.replace(
            "bona_fide_intent = true",
            "bona_fide_intent = true\nelect_out_installment = true",
        );
        let late = |p: &Plan| {
            p.oz.windows.iter().any(|w| {
                matches!(
                    w.start_rule,
                    StartRule::ExchangeFundsReleased | StartRule::ExchangeFundsReleasedYearEnd
                )
            })
        };
        let p = plan_at(straddle, date(2027, 3, 1));
        assert!(late(&p), "the installment starts without the election");
        assert!(strategy(&p, "installment_sale").eligible);
        let p = plan_at(&out, date(2027, 3, 1));
        assert!(!late(&p));
        assert_eq!(p.oz.windows.len(), 1);
        assert_eq!(
            (p.oz.windows[0].start, p.oz.windows[0].end),
            (date(2026, 10, 30), date(2027, 4, 27))
        );
        let i = strategy(&p, "installment_sale");
        assert!(!i.eligible && i.after_tax_value.is_none());
        assert!(i.eligibility.contains("§453(d)(1)"), "{}", i.eligibility);
    }

    /// Forms are labelled by the year the tax year begins: the gain of a fiscal year from
    /// 2026-07-01 to 2027-06-30 is deferred on the 2026 Form 8949.
    #[test]
    fn a_fiscal_year_files_the_form_of_the_year_it_begins() {
        let text = SEED_FAILED.replace(
            "entity = \"individual\"",
            "entity = \"s_corporation\"\ntax_year_end = \"06-30\"",
        );
        let p = plan_at(&text, date(2026, 12, 7));
        let q = strategy(&p, "failed_1031_gain_to_qof")
            .qof
            .as_ref()
            .expect("a QOF");
        assert_eq!(q.forms.form_8949.tax_year, 2026);
        assert_eq!(qof::form_year(YearEnd::CALENDAR, 2026), 2026);
    }
}
