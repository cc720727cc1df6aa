//! Day 45, day 180 and the return-due-date cap (IRC §1031(a)(3); Treas. Reg. §1.1031(k)-1(b)).
//!
//! Day 1 is the day after the transfer: the deadlines are plain date additions
//! (Treas. Reg. §1.1031(k)-1(b)(3) example: 1992-11-16 + 45 = 1992-12-31, + 180 = 1993-05-15, a
//! Saturday the regulation does not move). Neither day 45 nor day 180 rolls over a weekend or
//! holiday; the minority view that IRC §7503 applies (SSRN 4697117) is shown as an
//! alternative with a warning (\[U\]: no authority settles it).

use crate::explain::Trace;
use crate::findings::{Findings, Severity};
use crate::law::cite;
use crate::model::{Entity, ExchangeFile, ExchangeType};
use crate::timing::calendar::{YearEnd, add_days};
use crate::timing::disaster::{self, DisasterFacts, DisasterOutcome};
use crate::timing::due_date::{self, DueDate};
use crate::timing::holidays::{roll_7503, why_closed};
use jiff::civil::Date;
use serde::Serialize;

/// Which limit ends the exchange period (contract values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeEndRule {
    #[serde(rename = "day_180")]
    Day180,
    ReturnDueDate,
    DisasterPostponement,
}

/// What the deadlines depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineInputs {
    /// The earliest transfer of relinquished property.
    pub first_transfer: Date,
    pub entity: Entity,
    pub year_end: YearEnd,
    pub extension_filed: bool,
    pub disaster: Option<DisasterFacts>,
}

/// The dates of one exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// The earliest transfer: the start of both periods (Treas. Reg. §1.1031(k)-1(b)(2)(iii)).
    pub first_transfer: Date,
    /// The end of the identification period: day 45, or later under a disaster postponement,
    /// but never after `exchange_end`. An identification period that outlasts the exchange
    /// period has no meaning: property received after the exchange period ends is not
    /// like-kind property, whenever it was identified (IRC §1031(a)(3)(B)); and a
    /// postponement cannot run past the return's due date (Rev. Proc. 2007-56 §17.02, as
    /// quoted by ade1031.com: "in no event may a postponement period extend beyond: (a) the
    /// due date (including extensions) of the taxpayer's tax return for the year of the
    /// transfer"). The postponed date before that cut is `disaster.postponed_identification_end`.
    pub identification_end: Date,
    pub day_180: Date,
    /// The due date of the return for the year of the first transfer, with the extension
    /// when `extension_filed` (the statutory date: the conservative cap).
    pub return_due_date: Date,
    pub exchange_end: Date,
    pub exchange_end_rule: ExchangeEndRule,
    // --- added keys ---
    /// Day 45 itself (equal to `identification_end` unless a disaster postponed it).
    pub day_45: Date,
    pub tax_year_begin: Date,
    pub tax_year_end: Date,
    pub extension_filed: bool,
    /// Statutory due date without extension.
    pub return_due_date_original: Date,
    /// Statutory due date with the automatic extension.
    pub return_due_date_extended: Date,
    /// The applicable due date moved by IRC §7503 (\[U\] whether it moves the cap).
    pub return_due_date_7503: Date,
    /// The exchange period end without an extension, and with one: the earlier of day 180
    /// (as postponed by a disaster, when it is) and the due date. `exchange_end` is one of
    /// them (the one `extension_filed` selects).
    pub exchange_end_without_extension: Date,
    pub exchange_end_with_extension: Date,
    /// The exchange period end if §7503 moved the due-date cap (\[U\] alternative); equal to
    /// `exchange_end` unless the due date ends the period and falls on a weekend or holiday.
    pub exchange_end_if_7503_applies: Date,
    /// Why the last day of the identification period (`identification_end`: day 45, or the
    /// disaster-postponed date) is not a business day ("Saturday", "Presidents' Day"...), if
    /// it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identification_end_closed: Option<crate::explain::Text>,
    /// `identification_end` moved to the next business day (the minority §7503 view, \[U\]).
    pub identification_end_if_7503_applies: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_180_closed: Option<crate::explain::Text>,
    pub day_180_if_7503_applies: Date,
    /// Authority for the due dates of this entity.
    pub return_due_date_authority: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub return_due_date_caveat: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disaster: Option<DisasterOutcome>,
}

/// The end of the exchange period: the earlier of day 180 and the due date (a tie is day 180).
pub fn exchange_end(day_180: Date, due: Date) -> (Date, ExchangeEndRule) {
    if due < day_180 {
        (due, ExchangeEndRule::ReturnDueDate)
    } else {
        (day_180, ExchangeEndRule::Day180)
    }
}

/// Day 45 and day 180 after `transfer` (plain date addition, IRC §1031(a)(3)).
pub fn periods(transfer: Date) -> (Date, Date) {
    (add_days(transfer, 45), add_days(transfer, 180))
}

/// Day 180, or its Rev. Proc. 2018-58 postponement when a disaster postponed it: the
/// date the return due date is compared with.
pub fn effective_day_180(d: &Deadlines) -> Date {
    d.disaster
        .as_ref()
        .and_then(|o| o.postponed_day_180)
        .unwrap_or(d.day_180)
}

impl Deadlines {
    /// The postponed day 45 when it fell after the end of the exchange period and was cut
    /// to it (`identification_end` is then `exchange_end`).
    pub fn identification_cut_from(&self) -> Option<Date> {
        self.disaster
            .as_ref()
            .and_then(|o| o.postponed_identification_end)
            .filter(|p| *p > self.identification_end)
    }

    /// How day 45 became `identification_end`, in words ("" when it is day 45 itself), e.g.
    /// " postponed under Rev. Proc. 2018-58 §17".
    pub fn identification_end_words(&self) -> String {
        let Some((p, under)) = self.disaster.as_ref().and_then(|o| {
            o.postponed_identification_end
                .zip(o.identification_end_postponed_under)
        }) else {
            return String::new();
        };
        match self.identification_cut_from() {
            Some(_) => format!(
                " postponed under {} to {p}, then cut to the end of the exchange period",
                under.words()
            ),
            None => format!(" postponed under {}", under.words()),
        }
    }

    /// The part of Rev. Proc. 2018-58 that postponed day 180, in words, when one did.
    pub fn day_180_relief_words(&self) -> Option<&'static str> {
        self.disaster
            .as_ref()
            .and_then(|o| o.day_180_postponed_under)
            .map(disaster::Relief::words)
    }
}

/// Computes every date of an exchange. Pure and allocation-light: the `deadlines` command
/// and the benchmark call it directly; [`explain`] adds the explanation.
pub fn dates(i: &DeadlineInputs) -> Deadlines {
    let (d45, d180) = periods(i.first_transfer);
    let due: DueDate = due_date::return_due_date(i.entity, i.year_end, i.first_transfer);
    let applicable = due.applicable(i.extension_filed);
    let disaster = i.disaster.as_ref().map(|f| disaster::apply(f, d45, d180));
    let id_postponed = disaster
        .as_ref()
        .and_then(|o| o.postponed_identification_end)
        .unwrap_or(d45);
    // The postponed day 180 still meets the (unpostponed) return due date cap; the
    // interaction is [U] and reported as a finding. Every alternative end below compares the
    // same day 180 (postponed or not) with its due date, so they agree with `exchange_end`.
    let postponed_180 = disaster.as_ref().and_then(|o| o.postponed_day_180);
    let end_180 = postponed_180.unwrap_or(d180);
    let end_with = |due: Date| -> (Date, ExchangeEndRule) {
        match exchange_end(end_180, due) {
            (e, ExchangeEndRule::Day180) if postponed_180.is_some() => {
                (e, ExchangeEndRule::DisasterPostponement)
            }
            x => x,
        }
    };
    let (end, rule) = end_with(applicable);
    // Never after the end of the exchange period (see `Deadlines::identification_end`).
    let id_end = id_postponed.min(end);
    Deadlines {
        first_transfer: i.first_transfer,
        identification_end: id_end,
        day_180: d180,
        return_due_date: applicable,
        exchange_end: end,
        exchange_end_rule: rule,
        day_45: d45,
        tax_year_begin: due.tax_year_begin,
        tax_year_end: due.tax_year_end,
        extension_filed: i.extension_filed,
        return_due_date_original: due.original,
        return_due_date_extended: due.extended,
        return_due_date_7503: due.applicable_7503(i.extension_filed),
        exchange_end_without_extension: end_with(due.original).0,
        exchange_end_with_extension: end_with(due.extended).0,
        exchange_end_if_7503_applies: end_with(due.applicable_7503(i.extension_filed)).0,
        identification_end_closed: why_closed(id_end),
        identification_end_if_7503_applies: roll_7503(id_end),
        day_180_closed: why_closed(d180),
        day_180_if_7503_applies: roll_7503(d180),
        return_due_date_authority: due.authority,
        return_due_date_caveat: due.caveat,
        disaster,
    }
}

/// The inputs of an exchange file, or `None` without a relinquished property. Validation
/// has already checked the tax-year end and the disaster dates.
///
/// The disaster's §17 condition (a) is tested on the first transfer of relinquished
/// property, the transfer the 45-day and 180-day periods run from, in a reverse exchange
/// too: there the transfer of qualified indicia to the EAT qualifies only the Rev. Proc.
/// 2000-37 deadlines counted from it (`reverse`), not the §1031(a)(3) periods of a sale made
/// after the disaster.
pub fn inputs_of(f: &ExchangeFile) -> Option<DeadlineInputs> {
    let first = f.first_transfer()?;
    let year_end = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    Some(DeadlineInputs {
        first_transfer: first,
        entity: f.taxpayer.entity,
        year_end,
        extension_filed: f.taxpayer.extension_filed,
        disaster: disaster_facts(f, first),
    })
}

/// The `[disaster]` facts for deadlines running from the transfer on `start`, or `None`
/// without the block or one of its dates.
pub fn disaster_facts(f: &ExchangeFile, start: Date) -> Option<DisasterFacts> {
    let d = f.disaster.as_ref()?;
    Some(DisasterFacts {
        disaster_date: d.disaster_date?,
        postponement_date: d.postponement_date?,
        affected_taxpayer: d.affected_taxpayer,
        difficulty: d.difficulty.as_ref().is_some_and(|s| !s.trim().is_empty()),
        start,
    })
}

/// Computes the deadlines of an exchange file with their explanation and findings.
/// `as_of` is the report date: advice to file an extension by a due date already past is
/// not given (QA12 D8).
pub fn compute(
    f: &ExchangeFile,
    as_of: Option<Date>,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<Deadlines> {
    let i = inputs_of(f)?;
    let d = dates(&i);
    // A reverse exchange whose replacement was received on or before the sale runs on the
    // Rev. Proc. 2000-37 dates alone: nothing is left to receive in the exchange period
    // counted from the sale, so its being cut short by the return's due date costs nothing.
    let reverse = f.exchange.kind == ExchangeType::Reverse;
    let sale_periods_apply = !reverse || f.received_after_sale().is_some();
    let periods = Periods {
        apply: sale_periods_apply,
        reverse,
        as_of,
    };
    explain_for(&d, &i, periods, t, fx);
    Some(d)
}

/// Whether the 45-day and 180-day periods counted from the sale apply (in a reverse
/// exchange, only to replacement property received after the sale), and whether the
/// exchange is a reverse one (its own deadlines are judged in `reverse`).
#[derive(Debug, Clone, Copy)]
struct Periods {
    apply: bool,
    reverse: bool,
    /// The report date, when there is one.
    as_of: Option<Date>,
}

/// The explanation steps and findings of the deadlines.
pub fn explain(d: &Deadlines, i: &DeadlineInputs, t: &mut Trace, fx: &mut Findings) {
    let periods = Periods {
        apply: true,
        reverse: false,
        as_of: None,
    };
    explain_for(d, i, periods, t, fx);
}

/// [`explain`], without the warnings about the periods counted from the sale (cut short by
/// the return's due date, postponed by a disaster) when those periods do not apply.
fn explain_for(
    d: &Deadlines,
    i: &DeadlineInputs,
    periods: Periods,
    t: &mut Trace,
    fx: &mut Findings,
) {
    // The steps' inputs are words: built only when the steps are kept.
    if t.records() {
        explain_days(d, t);
        explain_due_date(d, i, t);
        explain_disaster(d, t);
        explain_period_ends(d, t);
    }
    if periods.apply {
        let advice = match periods.as_of {
            Some(a) if a > d.return_due_date_original => CutAdvice::DueDatePassed,
            _ => CutAdvice::Ahead,
        };
        cut_by_due_date_finding(d, i, advice, fx);
    }
    due_date_on_weekend_finding(d, fx);
    if periods.apply {
        disaster_findings(d, periods.reverse, fx);
        disaster_cut_finding(d, i, fx);
    }
}

/// Days 45 and 180, plain date addition.
fn explain_days(d: &Deadlines, t: &mut Trace) {
    let first = crate::explain::Input::new("first transfer", d.first_transfer);
    crate::step!(
        t,
        "deadlines.day_45",
        "Identification period: 45 days after the earliest transfer (day 1 is the day after the transfer; plain date addition, no weekend or holiday roll)",
        d.day_45,
        cite!(IRC_1031 "(a)(3)(A)"; REG_1_1031_K_1 "(b)(2)(i), (iii), (b)(3) example"),
        vec![first.clone()],
    );
    crate::step!(
        t,
        "deadlines.day_180",
        "Day 180 after the earliest transfer (plain date addition, no roll)",
        d.day_180,
        cite!(IRC_1031 "(a)(3)(B)(i)"; REG_1_1031_K_1 "(b)(2)(ii)"),
        vec![first],
    );
}

/// The return's due date, and the business day §7503 would move it to.
fn explain_due_date(d: &Deadlines, i: &DeadlineInputs, t: &mut Trace) {
    let mut due_inputs = vec![
        crate::explain::Input::new("entity", i.entity.as_str()),
        crate::explain::Input::new(
            "tax year",
            format!("{} to {}", d.tax_year_begin, d.tax_year_end),
        ),
        crate::explain::Input::new("original due date", d.return_due_date_original),
        crate::explain::Input::new("extended due date", d.return_due_date_extended),
    ];
    if !d.return_due_date_caveat.is_empty() {
        due_inputs.push(crate::explain::Input::new(
            "not settled",
            d.return_due_date_caveat,
        ));
    }
    crate::step!(
        t,
        "deadlines.return_due_date",
        format!(
            "Statutory due date of the {} return for the tax year of the first transfer, {}",
            i.entity.as_str(),
            if i.extension_filed {
                "with the extension filed"
            } else {
                "without extension (extension_filed = false)"
            }
        ),
        d.return_due_date,
        d.return_due_date_authority,
        due_inputs,
    );
    if d.return_due_date_7503 != d.return_due_date {
        crate::step!(
            t,
            "deadlines.return_due_date_7503",
            "The due date falls on a weekend or DC legal holiday: under IRC §7503 the return is timely on the next business day. Whether that also moves the §1031(a)(3)(B)(ii) cap is unsettled [U]; the statutory date is used as the cap",
            d.return_due_date_7503,
            cite!(IRC_7503; REG_301_7503_1; IRC_1031 "(a)(3)(B)(ii) ([U] uncertain: whether §7503 moves the due-date cap)"),
            vec![crate::explain::Input::new(
                "statutory due date",
                d.return_due_date
            )],
        );
    }
}

/// A disaster's postponement of the deadlines.
fn explain_disaster(d: &Deadlines, t: &mut Trace) {
    if let Some(o) = &d.disaster {
        crate::step!(
            t,
            "deadlines.disaster",
            format!(
                "Disaster postponement under Rev. Proc. 2018-58 §17: {}; conditions: {}. Section 6 (general postponement, affected taxpayers only, any transfer date [U]): {}",
                if o.section17_eligible {
                    "applies"
                } else {
                    "does not apply"
                },
                o.conditions.join("; "),
                if o.section6_available {
                    "open"
                } else {
                    "not open"
                }
            ),
            o.postponed_day_180
                .or(o.postponed_identification_end)
                .map(|x| x.to_string())
                .unwrap_or_else(|| "no deadline postponed".into()),
            disaster::AUTHORITY,
            vec![
                crate::explain::Input::new("disaster date", o.disaster_date),
                crate::explain::Input::new("postponement date", o.postponement_date),
                crate::explain::Input::new("day 45", d.day_45),
                crate::explain::Input::new("day 180", d.day_180),
            ],
        );
    }
}

/// The ends of the identification and exchange periods.
fn explain_period_ends(d: &Deadlines, t: &mut Trace) {
    let mut id_inputs = vec![crate::explain::Input::new("day 45", d.day_45)];
    if let Some(p) = d.disaster.as_ref().and_then(|o| {
        o.postponed_identification_end
            .zip(o.identification_end_postponed_under)
    }) {
        id_inputs.push(crate::explain::Input::new(
            format!("day 45 postponed ({})", p.1.words()),
            p.0,
        ));
    }
    if d.identification_cut_from().is_some() {
        id_inputs.push(crate::explain::Input::new(
            "end of the exchange period (the identification period cannot outlast it, IRC §1031(a)(3))",
            d.exchange_end,
        ));
    }
    crate::step!(
        t,
        "deadlines.identification_end",
        "End of the identification period (day 45, unless a disaster postponed it)",
        d.identification_end,
        cite!(IRC_1031 "(a)(3)(A)"; REG_1_1031_K_1 "(b)(2)(i)"),
        id_inputs,
    );
    let end_180 = effective_day_180(d);
    let postponed = end_180 != d.day_180;
    let mut end_inputs = vec![crate::explain::Input::new("day 180", d.day_180)];
    if postponed {
        end_inputs.push(crate::explain::Input::new(
            format!(
                "day 180 postponed ({})",
                d.day_180_relief_words().unwrap_or("Rev. Proc. 2018-58")
            ),
            end_180,
        ));
    }
    end_inputs.push(crate::explain::Input::new(
        "return due date",
        d.return_due_date,
    ));
    crate::step!(
        t,
        "deadlines.exchange_end",
        "Exchange period ends on the earlier of day 180 (postponed if a disaster applies) and the return due date (with extensions if filed)",
        d.exchange_end,
        cite!(IRC_1031 "(a)(3)(B)"; REG_1_1031_K_1 "(b)(2)(ii)"),
        end_inputs,
    );
}

/// The form that extends the entity's return: Form 4868 for an individual
/// (Treas. Reg. §1.6081-4), Form 7004 for the returns of partnerships, corporations, trusts
/// and estates (Treas. Reg. §§1.6081-2, -3, -6; Form 7004 instructions).
fn extension_form(e: Entity) -> &'static str {
    match e {
        Entity::Individual => "Form 4868",
        Entity::Partnership
        | Entity::SCorporation
        | Entity::CCorporation
        | Entity::Trust
        | Entity::Estate => "Form 7004",
    }
}

/// The extension that would still save a receipt due on `needed`, in words ("the extension
/// (Form 4868) is filed by ..., which moves the end of the exchange period to ..."), when the
/// return's due date cuts the exchange period short, no extension is entered, the due date
/// is not yet past on `as_of` and the extended period reaches `needed`. The exchange period
/// ends on "the due date (determined with regard to extension) for the transferor's return"
/// (IRC §1031(a)(3)(B)(ii); Treas. Reg. §1.1031(k)-1(b)(2)(ii)), and the extension is filed
/// by the unextended due date (Treas. Reg. §1.6081-4 for Form 4868).
pub fn extension_clause(
    d: &Deadlines,
    entity: Entity,
    as_of: Date,
    needed: Date,
) -> Option<String> {
    (!d.extension_filed
        && d.exchange_end_rule == ExchangeEndRule::ReturnDueDate
        && as_of <= d.return_due_date_original
        && needed > d.exchange_end
        && needed <= d.exchange_end_with_extension)
        .then(|| {
            format!(
                "the extension ({}) is filed by {}, which moves the end of the exchange period to {} (IRC §1031(a)(3)(B)(ii))",
                extension_form(entity),
                d.return_due_date_original,
                d.exchange_end_with_extension
            )
        })
}

/// What the due-date cut finding can still advise: the extension while its due date is
/// ahead; once the due date has passed, only what the file should say if it was filed; once
/// the exchange is settled as failed for another reason, nothing (QA12 D8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutAdvice {
    Ahead,
    DueDatePassed,
    Failed,
}

/// The return's due date ends the exchange period before day 180: the days lost and how to
/// keep them (IRC §1031(a)(3)(B)(ii): the due date "determined with regard to extension").
fn cut_by_due_date_finding(
    d: &Deadlines,
    i: &DeadlineInputs,
    advice: CutAdvice,
    fx: &mut Findings,
) {
    // The words are written only when the findings keep them.
    if cuts_period(d) {
        crate::finding!(
            fx,
            "exchange_period_cut_by_return_due_date",
            Severity::Warning,
            cut_message(d, i, advice).unwrap_or_default(),
            cite!(IRC_1031 "(a)(3)(B)(ii)"; REG_1_1031_K_1 "(b)(2)(ii), (b)(3) example"),
        );
    }
}

/// Whether the return's due date ends the exchange period before day 180 (as postponed):
/// the days cut off are then a positive count.
fn cuts_period(d: &Deadlines) -> bool {
    d.exchange_end_rule == ExchangeEndRule::ReturnDueDate
        && crate::timing::calendar::days_between(d.exchange_end, effective_day_180(d)) > 0
}

/// The code of the due-date cut finding (written out where it is emitted).
const CUT_CODE: &str = "exchange_period_cut_by_return_due_date";

/// Rewrites the due-date cut finding of an exchange settled as failed: no extension can save
/// it, so the finding gives no advice to file one.
pub fn cut_finding_of_failed(f: &ExchangeFile, d: &Deadlines, fx: &mut Findings) {
    let Some(i) = inputs_of(f) else { return };
    let words = fx.words();
    if let Some(x) = fx.0.iter_mut().find(|x| x.code == CUT_CODE)
        && words
        && let Some(msg) = cut_message(d, &i, CutAdvice::Failed)
    {
        x.message = msg.into();
    }
}

/// The words of the due-date cut finding, or `None` when the due date does not cut the period.
fn cut_message(d: &Deadlines, i: &DeadlineInputs, advice: CutAdvice) -> Option<String> {
    let end_180 = effective_day_180(d);
    let postponed = end_180 != d.day_180;
    // The due date ends the period only when it comes before day 180 (as postponed), so the
    // days cut off are always a positive count.
    let lost = crate::timing::calendar::days_between(d.exchange_end, end_180);
    if !cuts_period(d) {
        return None;
    }
    let full = if postponed {
        format!("the postponed day 180 ({end_180})")
    } else {
        "the full 180 days".to_string()
    };
    let fix = if i.extension_filed {
        "The extended due date still comes first; filing the return early ends the period too."
            .to_string()
    } else if advice == CutAdvice::Failed {
        "The exchange has failed for another reason, so an extension would not save it.".to_string()
    } else if d.return_due_date_extended < end_180 {
        format!(
            "Even with the extension the period ends on {}; filing the return early ends the period too.",
            d.return_due_date_extended
        )
    } else if advice == CutAdvice::DueDatePassed {
        format!(
            "No extension is entered and the due date has passed, so the exchange period ended on {}. If the extension ({}) was filed by {}, say so in the file: the period then runs to {}.",
            d.exchange_end,
            extension_form(i.entity),
            d.return_due_date_original,
            d.exchange_end_with_extension
        )
    } else {
        format!(
            "File the extension ({}) by {} to keep {full}; filing the return early ends the period too.",
            extension_form(i.entity),
            d.return_due_date_original
        )
    };
    let instead = if postponed {
        format!(
            "day 180 as postponed under {} ({end_180}; day 180 itself was {})",
            d.day_180_relief_words().unwrap_or("Rev. Proc. 2018-58"),
            d.day_180
        )
    } else {
        format!("day 180 ({})", d.day_180)
    };
    Some(format!(
        "The exchange period ends on the return due date {} instead of {instead}: {lost} {} lost. {fix}",
        d.exchange_end,
        if lost == 1 { "day is" } else { "days are" }
    ))
}

/// The due date that ends the period falls on a weekend or holiday.
fn due_date_on_weekend_finding(d: &Deadlines, fx: &mut Findings) {
    if d.exchange_end_rule == ExchangeEndRule::ReturnDueDate
        && d.return_due_date_7503 != d.return_due_date
        && d.exchange_end_if_7503_applies != d.exchange_end
    {
        crate::finding!(
            fx,
            "return_due_date_on_weekend_or_holiday",
            Severity::Warning,
            format!(
                "The return due date {} is a weekend or DC legal holiday; the return may be filed on {} (IRC §7503), but whether that also extends the exchange period is unsettled [U]. The engine keeps {} as the end of the exchange period; an extension makes the question moot.",
                d.return_due_date, d.return_due_date_7503, d.exchange_end
            ),
            cite!(IRC_7503; IRC_1031 "(a)(3)(B)(ii) ([U] uncertain: whether §7503 moves the due-date cap)"),
        );
    }
}

/// Whether a disaster postpones the 45-day and 180-day periods counted from the sale, to when
/// and under which part of Rev. Proc. 2018-58.
fn disaster_findings(d: &Deadlines, reverse: bool, fx: &mut Findings) {
    let Some(o) = &d.disaster else {
        return;
    };
    let what = if reverse {
        format!(
            "the 45-day and 180-day periods counted from the sale of the property given up on {} (IRC §1031(a)(3)), which apply because replacement property is received after that sale; §17 is tested on that sale, and the reverse-exchange deadlines counted from the transfer of qualified indicia are judged on their own",
            d.first_transfer
        )
    } else {
        format!(
            "the 45-day and 180-day periods counted from the transfer on {}",
            d.first_transfer
        )
    };
    let scope = disaster::Scope {
        what,
        deadlines: [("day 45", d.day_45), ("day 180", d.day_180)],
    };
    disaster::findings(o, &scope, "disaster", fx);
}

/// A postponement cut short: the postponed day 180 by the return's due date, the postponed
/// day 45 by the end of the exchange period.
fn disaster_cut_finding(d: &Deadlines, i: &DeadlineInputs, fx: &mut Findings) {
    let Some(o) = &d.disaster else {
        return;
    };
    let end_cut = o.postponed_day_180.filter(|p| d.return_due_date < *p);
    let id_cut = d.identification_cut_from();
    if end_cut.is_none() && id_cut.is_none() {
        return;
    }
    let extension = (!i.extension_filed && d.exchange_end_with_extension > d.exchange_end)
        .then(|| (extension_form(i.entity), d.return_due_date_original));
    let mut msg = String::new();
    if let Some(p) = end_cut {
        msg.push_str(&format!(
            "The postponed day 180 ({p}) is after the return due date {}: a postponement does not carry the exchange period past the due date (Rev. Proc. 2007-56 §17.02, the predecessor of §17, as quoted by ade1031.com: \"in no event may a postponement period extend beyond: (a) the due date (including extensions) of the taxpayer's tax return for the year of the transfer\" [U]), so the engine ends it on {}. {} ",
            d.return_due_date,
            d.exchange_end,
            match extension {
                Some((form, by)) => format!(
                    "File the extension ({form}) by {by} (and check whether the IRS notice also postpones the filing deadline)."
                ),
                None if i.extension_filed => "The extended due date is the limit.".into(),
                None => format!(
                    "Even with the extension the period ends on {}.",
                    d.exchange_end_with_extension
                ),
            }
        ));
    }
    if let Some(p) = id_cut {
        msg.push_str(&format!(
            "The postponed identification deadline ({p}: day 45, {}, postponed{}) falls after the end of the exchange period on {}: an identification period cannot outlast the exchange period, since property received after the exchange period ends is not like-kind property whenever it was identified (IRC §1031(a)(3)(B)), so the identification deadline is cut to {}. Identify and receive the replacement property by then.{}",
            d.day_45,
            o.identification_end_postponed_under
                .map(|r| format!(" under {}", r.words()))
                .unwrap_or_default(),
            d.exchange_end,
            d.identification_end,
            match extension {
                Some((form, by)) => format!(
                    " Filing the extension ({form}) by {by} would keep the exchange period to {} and the identification deadline to {}.",
                    d.exchange_end_with_extension,
                    p.min(d.exchange_end_with_extension)
                ),
                None => String::new(),
            }
        ));
    }
    crate::finding_at!(
        fx,
        "disaster_postponement_cut_by_return_due_date",
        Severity::Warning,
        "disaster",
        msg.trim_end().to_string(),
        cite!(IRC_1031 "(a)(3)"; REV_PROC_2018_58 " §17"; IRC_7508A "(a) (text of §17 not verified: [U])"; REV_PROC_2007_56 " §17.02 (the predecessor text, as quoted by a secondary source: [U])"),
    );
}

/// Flags day 45 and (when it ends the period) day 180 falling on a weekend or DC legal
/// holiday, unless the action was already done (`met_45`, `met_180`): the deadline does not
/// move (Treas. Reg. §1.1031(k)-1(b)(3) example), but a minority view applies §7503 (\[U\]).
pub fn weekend_findings(d: &Deadlines, met_45: bool, met_180: bool, fx: &mut Findings) {
    let postponed_45 = d.identification_end != d.day_45;
    // The last day of the exchange period when it is day 180 or its disaster postponement
    // (a due date on a weekend or holiday has its own finding).
    let end_180 = match d.exchange_end_rule {
        ExchangeEndRule::Day180 => Some((
            d.day_180,
            d.day_180_closed.clone(),
            d.day_180_if_7503_applies,
            "exchange period (day 180)",
        )),
        ExchangeEndRule::DisasterPostponement => Some((
            d.exchange_end,
            why_closed(d.exchange_end),
            roll_7503(d.exchange_end),
            match d.disaster.as_ref().and_then(|o| o.day_180_postponed_under) {
                Some(disaster::Relief::Section6) => {
                    "exchange period (day 180 as postponed under Rev. Proc. 2018-58 Section 6)"
                }
                _ => "exchange period (day 180 as postponed under Rev. Proc. 2018-58 §17)",
            },
        )),
        ExchangeEndRule::ReturnDueDate => None,
    };
    let id_what: std::borrow::Cow<str> = if postponed_45 {
        format!(
            "identification period (day 45 as{})",
            d.identification_end_words()
        )
        .into()
    } else {
        "identification period".into()
    };
    let id_end = (
        d.identification_end,
        d.identification_end_closed.clone(),
        d.identification_end_if_7503_applies,
        &*id_what,
    );
    for (date, closed, alt, what) in [(!met_45).then_some(id_end), end_180.filter(|_| !met_180)]
        .into_iter()
        .flatten()
    {
        if let Some(why) = closed {
            crate::finding!(
                fx,
                "deadline_on_weekend_or_holiday",
                Severity::Warning,
                format!(
                    "The last day of the {what}, {date}, falls on {why}: the deadline does not move. Practitioners and the Reg. 1.1031(k)-1(b)(3) example count calendar days with no roll; a minority view (Tax Notes Federal 2023, SSRN 4697117) would apply §7503 and allow {alt} [U]. Act by the last business day before {date}."
                ),
                cite!(IRC_1031 "(a)(3)"; REG_1_1031_K_1 "(b)(3) example"; IRC_7503 " [U]"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn inp(t: Date, e: Entity, ye: &str, ext: bool) -> DeadlineInputs {
        DeadlineInputs {
            first_transfer: t,
            entity: e,
            year_end: YearEnd::parse(ye).unwrap_or_else(|e| panic!("{e}")),
            extension_filed: ext,
            disaster: None,
        }
    }

    proptest::proptest! {
        /// Invariants for any transfer date, entity, tax year and extension.
        #[test]
        fn deadline_invariants(
            days in 0i32..40_000,
            e in 0usize..6,
            ye in 0usize..4,
            ext: bool,
        ) {
            let entities = [Entity::Individual, Entity::Partnership, Entity::SCorporation,
                Entity::CCorporation, Entity::Trust, Entity::Estate];
            let yes = ["12-31", "06-30", "09-30", "02-29"];
            let t = add_days(date(1990, 1, 1), days);
            let d = dates(&inp(t, entities[e], yes[ye], ext));
            proptest::prop_assert_eq!(crate::timing::calendar::days_between(t, d.day_45), 45);
            proptest::prop_assert_eq!(crate::timing::calendar::days_between(t, d.day_180), 180);
            proptest::prop_assert!(d.tax_year_begin <= t && t <= d.tax_year_end);
            proptest::prop_assert!(d.return_due_date_original > d.tax_year_end);
            proptest::prop_assert!(d.return_due_date_extended > d.return_due_date_original);
            proptest::prop_assert_eq!(d.exchange_end, d.day_180.min(d.return_due_date));
            proptest::prop_assert!(d.exchange_end_with_extension >= d.exchange_end_without_extension);
            proptest::prop_assert!(d.exchange_end_if_7503_applies >= d.exchange_end);
            proptest::prop_assert!(d.return_due_date_7503 >= d.return_due_date);
            proptest::prop_assert!(!crate::timing::holidays::is_weekend(d.return_due_date_7503)
                && crate::timing::holidays::dc_legal_holiday(d.return_due_date_7503).is_none());
            proptest::prop_assert_eq!(d.identification_end_closed.is_some(),
                d.identification_end_if_7503_applies != d.day_45);
        }
    }

    #[test]
    fn reg_b3_example_arithmetic() {
        assert_eq!(
            periods(date(1992, 11, 16)),
            (date(1992, 12, 31), date(1993, 5, 15))
        );
        assert_eq!(
            exchange_end(date(1993, 5, 15), date(1993, 3, 15)),
            (date(1993, 3, 15), ExchangeEndRule::ReturnDueDate)
        );
    }

    #[test]
    fn late_year_individual_with_and_without_extension() {
        let d = dates(&inp(date(2026, 10, 30), Entity::Individual, "12-31", false));
        assert_eq!(d.exchange_end, date(2027, 4, 15));
        assert_eq!(d.exchange_end_rule, ExchangeEndRule::ReturnDueDate);
        let d = dates(&inp(date(2026, 10, 30), Entity::Individual, "12-31", true));
        assert_eq!(d.exchange_end, date(2027, 4, 28));
        assert_eq!(d.exchange_end_rule, ExchangeEndRule::Day180);
    }

    #[test]
    fn weekend_day_45_is_flagged_not_moved() {
        let d = dates(&inp(date(2026, 12, 30), Entity::Individual, "12-31", false));
        assert_eq!(d.identification_end, date(2027, 2, 13));
        assert_eq!(d.identification_end_closed.as_deref(), Some("Saturday"));
        assert_eq!(d.identification_end_if_7503_applies, date(2027, 2, 16));
        let mut fx = Findings::default();
        explain(
            &d,
            &inp(date(2026, 12, 30), Entity::Individual, "12-31", false),
            &mut Trace::default(),
            &mut fx,
        );
        assert!(!fx.has("deadline_on_weekend_or_holiday"));
        weekend_findings(&d, true, false, &mut fx);
        assert!(
            !fx.has("deadline_on_weekend_or_holiday"),
            "identified already"
        );
        weekend_findings(&d, false, false, &mut fx);
        assert!(fx.has("deadline_on_weekend_or_holiday"));
        assert!(fx.has("exchange_period_cut_by_return_due_date"));
    }

    #[test]
    fn several_relinquished_properties_run_from_the_earliest_transfer() {
        let text = r#"
[taxpayer]
entity = "partnership"
[[relinquished]]
id = "b"
location = "CA"
acquired = "2015-01-01"
transferred = "2026-05-20"
sale_price = "500000"
adjusted_basis = "100000"
[[relinquished]]
id = "a"
location = "CA"
acquired = "2015-01-01"
transferred = "2026-05-01"
sale_price = "500000"
adjusted_basis = "100000"
"#;
        let f = crate::input::parse_exchange(text, crate::input::Format::Toml)
            .unwrap_or_else(|e| panic!("{e}"));
        let d = compute(&f, None, &mut Trace::default(), &mut Findings::default())
            .unwrap_or_else(|| panic!("deadlines"));
        assert_eq!(d.first_transfer, date(2026, 5, 1));
        assert_eq!(d.identification_end, date(2026, 6, 15));
        assert_eq!(d.day_180, date(2026, 10, 28));
    }

    #[test]
    fn disaster_moves_exchange_end_and_names_the_rule() {
        let mut i = inp(date(2026, 3, 1), Entity::Individual, "12-31", false);
        i.disaster = Some(DisasterFacts {
            disaster_date: date(2026, 8, 1),
            postponement_date: date(2026, 10, 1),
            affected_taxpayer: true,
            difficulty: false,
            start: date(2026, 3, 1),
        });
        let d = dates(&i);
        assert_eq!(d.identification_end, date(2026, 4, 15));
        assert_eq!(d.exchange_end, date(2026, 12, 26));
        assert_eq!(d.exchange_end_rule, ExchangeEndRule::DisasterPostponement);
    }

    fn with_disaster(t: Date, ext: bool, disaster: Date, postponement: Date) -> DeadlineInputs {
        let mut i = inp(t, Entity::Individual, "12-31", ext);
        i.disaster = Some(DisasterFacts {
            disaster_date: disaster,
            postponement_date: postponement,
            affected_taxpayer: true,
            difficulty: false,
            start: t,
        });
        i
    }

    /// Transfer 2026-08-01: day 180 is 2027-01-28, postponed to 2027-05-28; without an
    /// extension the 2027-04-15 due date (a Thursday) ends the period.
    #[test]
    fn disaster_postponement_cut_by_the_unextended_due_date() {
        let i = with_disaster(date(2026, 8, 1), false, date(2026, 9, 1), date(2027, 1, 15));
        let d = dates(&i);
        assert_eq!(d.day_180, date(2027, 1, 28));
        assert_eq!(effective_day_180(&d), date(2027, 5, 28));
        assert_eq!(d.exchange_end, date(2027, 4, 15));
        assert_eq!(d.exchange_end_rule, ExchangeEndRule::ReturnDueDate);
        // The alternatives compare the same (postponed) day 180 with their due dates.
        assert_eq!(d.exchange_end_without_extension, d.exchange_end);
        assert_eq!(d.exchange_end_with_extension, date(2027, 5, 28));
        assert_eq!(d.exchange_end_if_7503_applies, d.exchange_end);
        assert_eq!(d.identification_end, date(2027, 1, 15));
        assert_eq!(d.identification_end_if_7503_applies, d.identification_end);
        let mut fx = Findings::default();
        let mut t = Trace::default();
        explain(&d, &i, &mut t, &mut fx);
        weekend_findings(&d, false, false, &mut fx);
        let cut =
            fx.0.iter()
                .find(|f| f.code == "exchange_period_cut_by_return_due_date")
                .map(|f| f.message.to_string())
                .unwrap_or_default();
        assert!(cut.contains("43 days are lost"), "{cut}");
        assert!(cut.contains("2027-05-28"), "{cut}");
        assert!(!cut.contains(" -"), "{cut}");
        assert!(
            !fx.has("return_due_date_on_weekend_or_holiday"),
            "2027-04-15 is a Thursday"
        );
        assert!(!fx.has("deadline_on_weekend_or_holiday"));
        assert!(fx.has("disaster_postponement_cut_by_return_due_date"));
        // With the extension the postponement ends the period, and nothing is lost.
        let i = with_disaster(date(2026, 8, 1), true, date(2026, 9, 1), date(2027, 1, 15));
        let d = dates(&i);
        assert_eq!(d.exchange_end, date(2027, 5, 28));
        assert_eq!(d.exchange_end_rule, ExchangeEndRule::DisasterPostponement);
        assert_eq!(d.exchange_end_with_extension, d.exchange_end);
        assert_eq!(d.exchange_end_if_7503_applies, d.exchange_end);
        let mut fx = Findings::default();
        explain(&d, &i, &mut Trace::default(), &mut fx);
        assert!(!fx.has("exchange_period_cut_by_return_due_date"));
    }

    /// Weekend flags name the real last day: a postponed day 45 is judged on its own date,
    /// and a postponed day 180 that ends the period is checked too.
    #[test]
    fn weekend_flags_follow_the_postponed_dates() {
        // Transfer 2026-12-30: day 45 = 2027-02-13 (Saturday). Disaster 2027-01-10,
        // postponement 2027-03-01: the later of that and day 45 + 120 days is 2027-06-13, a
        // Sunday.
        let i = with_disaster(
            date(2026, 12, 30),
            true,
            date(2027, 1, 10),
            date(2027, 3, 1),
        );
        let d = dates(&i);
        assert_eq!(d.day_45, date(2027, 2, 13));
        assert_eq!(d.identification_end, date(2027, 6, 13));
        assert_eq!(d.identification_end_closed.as_deref(), Some("Sunday"));
        assert_eq!(d.identification_end_if_7503_applies, date(2027, 6, 14));
        let mut fx = Findings::default();
        weekend_findings(&d, false, true, &mut fx);
        let msgs: Vec<String> = fx.0.iter().map(|f| f.message.to_string()).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0].contains("2027-06-13") && msgs[0].contains("postponed"),
            "{msgs:?}"
        );
        // A postponed date on a weekday is not flagged, even when day 45 itself was a Saturday.
        let i = with_disaster(
            date(2026, 12, 30),
            true,
            date(2027, 1, 10),
            date(2027, 6, 16),
        );
        let d = dates(&i);
        assert_eq!(d.identification_end, date(2027, 6, 16));
        assert!(d.identification_end_closed.is_none());
        let mut fx = Findings::default();
        weekend_findings(&d, false, true, &mut fx);
        assert!(!fx.has("deadline_on_weekend_or_holiday"));
    }

    proptest::proptest! {
        /// With or without a disaster: every alternative end agrees with `exchange_end` and
        /// its rule, no negative day count is printed and weekend flags are true.
        #[test]
        fn disaster_alternatives_agree_with_exchange_end(
            days in 0i32..3_000,
            e in 0usize..6,
            ext: bool,
            disaster_after in -30i32..250,
            postponement_after in 0i32..400,
        ) {
            let entities = [Entity::Individual, Entity::Partnership, Entity::SCorporation,
                Entity::CCorporation, Entity::Trust, Entity::Estate];
            let t = add_days(date(2024, 1, 1), days);
            let dd = add_days(t, disaster_after);
            let mut i = inp(t, entities[e], "12-31", ext);
            i.disaster = Some(DisasterFacts {
                disaster_date: dd,
                postponement_date: add_days(dd, postponement_after),
                affected_taxpayer: true,
                difficulty: false,
                start: t,
            });
            let d = dates(&i);
            let e180 = effective_day_180(&d);
            let chosen = if ext { d.exchange_end_with_extension } else { d.exchange_end_without_extension };
            proptest::prop_assert_eq!(d.exchange_end, chosen);
            proptest::prop_assert_eq!(d.exchange_end, e180.min(d.return_due_date));
            match d.exchange_end_rule {
                ExchangeEndRule::ReturnDueDate => {
                    proptest::prop_assert_eq!(d.exchange_end, d.return_due_date);
                    proptest::prop_assert!(d.return_due_date < e180);
                }
                ExchangeEndRule::Day180 => {
                    proptest::prop_assert_eq!(d.exchange_end, d.day_180);
                    proptest::prop_assert_eq!(e180, d.day_180);
                }
                ExchangeEndRule::DisasterPostponement => {
                    proptest::prop_assert_eq!(Some(d.exchange_end),
                        d.disaster.as_ref().and_then(|o| o.postponed_day_180));
                }
            }
            proptest::prop_assert!(d.exchange_end_if_7503_applies >= d.exchange_end);
            if d.exchange_end_if_7503_applies != d.exchange_end {
                proptest::prop_assert_eq!(d.exchange_end_rule, ExchangeEndRule::ReturnDueDate);
                proptest::prop_assert!(d.return_due_date_7503 != d.return_due_date);
            }
            proptest::prop_assert!(d.identification_end_if_7503_applies >= d.identification_end);
            proptest::prop_assert_eq!(d.identification_end_closed.is_some(),
                crate::timing::holidays::why_closed(d.identification_end).is_some());
            // The identification period never outlasts the exchange period (IRC §1031(a)(3)).
            proptest::prop_assert!(d.identification_end <= d.exchange_end);
            proptest::prop_assert!(d.identification_end >= d.day_45.min(d.exchange_end));
            let mut fx = Findings::default();
            explain(&d, &i, &mut Trace::default(), &mut fx);
            weekend_findings(&d, false, false, &mut fx);
            for f in &fx.0 {
                proptest::prop_assert!(!f.message.contains(": -"), "{}", f.message);
                if f.code == "return_due_date_on_weekend_or_holiday" {
                    proptest::prop_assert!(crate::timing::holidays::why_closed(d.return_due_date).is_some());
                }
            }
        }
    }

    /// The extension named in the finding is the entity's own: Form 7004 for an S
    /// corporation (Form 4868 extends only an individual's return).
    #[test]
    fn the_extension_form_is_the_entitys() {
        for (entity, form, not) in [
            ("s_corporation", "Form 7004", "4868"),
            ("individual", "Form 4868", "7004"),
        ] {
            let text = format!(
                "[exchange]\nas_of = \"2026-11-02\"\n[taxpayer]\nentity = \"{entity}\"\n[[relinquished]]\nid = \"a\"\nlocation = \"TX\"\nacquired = \"2015-01-05\"\ntransferred = \"2026-11-01\"\nsale_price = \"100\"\nadjusted_basis = \"50\"\n"
            );
            let f = crate::parse_exchange(&text, crate::Format::Toml).expect("file");
            let r = crate::analyze(&f, date(2026, 11, 2));
            let m = r
                .findings
                .iter()
                .find(|x| x.code == "exchange_period_cut_by_return_due_date")
                .map(|x| x.message.to_string())
                .unwrap_or_default();
            assert!(m.contains(form) && !m.contains(not), "{entity}: {m}");
        }
    }
}
