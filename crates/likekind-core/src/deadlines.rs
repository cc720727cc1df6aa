//! Day 45, day 180 and the return-due-date cap (IRC §1031(a)(3); Reg. 1.1031(k)-1(b)).
//!
//! Day 1 is the day after the transfer: the deadlines are plain date additions
//! (Reg. 1.1031(k)-1(b)(3) example: 1992-11-16 + 45 = 1992-12-31, + 180 = 1993-05-15, a
//! Saturday the regulation does not move). Neither day 45 nor day 180 rolls over a weekend or
//! holiday; the minority view that IRC §7503 applies (SSRN 4697117) is shown as an
//! alternative with a warning (rules.md §3.3, \[U\]).

use crate::calendar::{YearEnd, add_days};
use crate::disaster::{self, DisasterFacts, DisasterOutcome};
use crate::due_date::{self, DueDate};
use crate::explain::Trace;
use crate::findings::{Findings, Severity};
use crate::holidays::{roll_7503, why_closed};
use crate::model::{Entity, ExchangeFile, ExchangeType};
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
    /// The earliest transfer: the start of both periods (Reg. 1.1031(k)-1(b)(2)(iii)).
    pub first_transfer: Date,
    /// The end of the identification period (day 45, or later under a disaster postponement).
    pub identification_end: Date,
    pub day_180: Date,
    /// The due date of the return for the year of the first transfer, with the extension
    /// when `extension_filed` (the statutory date: the conservative cap).
    pub return_due_date: Date,
    pub exchange_end: Date,
    pub exchange_end_rule: ExchangeEndRule,
    // --- added keys (issue 3) ---
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
    /// The exchange period end without an extension, and with one.
    pub exchange_end_without_extension: Date,
    pub exchange_end_with_extension: Date,
    /// The exchange period end if §7503 moved the due-date cap (\[U\] alternative).
    pub exchange_end_if_7503_applies: Date,
    /// Why day 45 is not a business day ("Saturday", "Presidents' Day"...), if it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identification_end_closed: Option<String>,
    /// Day 45 moved to the next business day (the minority §7503 view, \[U\]).
    pub identification_end_if_7503_applies: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_180_closed: Option<String>,
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

/// Computes every date of an exchange. Pure and allocation-light: the `deadlines` command
/// and the benchmark call it directly; [`explain`] adds the explanation.
pub fn dates(i: &DeadlineInputs) -> Deadlines {
    let (d45, d180) = periods(i.first_transfer);
    let due: DueDate = due_date::return_due_date(i.entity, i.year_end, i.first_transfer);
    let applicable = due.applicable(i.extension_filed);
    let (mut end, mut rule) = exchange_end(d180, applicable);
    let mut id_end = d45;
    let disaster = i.disaster.as_ref().map(|f| disaster::apply(f, d45, d180));
    if let Some(o) = &disaster {
        if let Some(p) = o.postponed_identification_end {
            id_end = p;
        }
        if let Some(p) = o.postponed_day_180 {
            // The postponed day 180 still meets the (unpostponed) return due date cap; the
            // interaction is [U] and reported as a finding.
            let (e, r) = exchange_end(p, applicable);
            end = e;
            rule = if r == ExchangeEndRule::Day180 {
                ExchangeEndRule::DisasterPostponement
            } else {
                r
            };
        }
    }
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
        exchange_end_without_extension: exchange_end(d180, due.original).0,
        exchange_end_with_extension: exchange_end(d180, due.extended).0,
        exchange_end_if_7503_applies: exchange_end(d180, due.applicable_7503(i.extension_filed)).0,
        identification_end_closed: why_closed(d45),
        identification_end_if_7503_applies: roll_7503(d45),
        day_180_closed: why_closed(d180),
        day_180_if_7503_applies: roll_7503(d180),
        return_due_date_authority: due.authority,
        return_due_date_caveat: due.caveat,
        disaster,
    }
}

/// The inputs of an exchange file, or `None` without a relinquished property. Validation
/// has already checked the tax-year end and the disaster dates.
pub fn inputs_of(f: &ExchangeFile) -> Option<DeadlineInputs> {
    let first = f.relinquished.iter().map(|r| r.transferred).min()?;
    let year_end = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let disaster = f.disaster.as_ref().and_then(|d| {
        let start = match (&f.reverse, f.exchange.kind) {
            (Some(r), ExchangeType::Reverse) => r.qualified_indicia_transferred.unwrap_or(first),
            _ => first,
        };
        Some(DisasterFacts {
            disaster_date: d.disaster_date?,
            postponement_date: d.postponement_date?,
            affected_taxpayer: d.affected_taxpayer,
            difficulty: d.difficulty.as_ref().is_some_and(|s| !s.trim().is_empty()),
            start,
        })
    });
    Some(DeadlineInputs {
        first_transfer: first,
        entity: f.taxpayer.entity,
        year_end,
        extension_filed: f.taxpayer.extension_filed,
        disaster,
    })
}

/// Computes the deadlines of an exchange file with their explanation and findings.
pub fn compute(f: &ExchangeFile, t: &mut Trace, fx: &mut Findings) -> Option<Deadlines> {
    let i = inputs_of(f)?;
    let d = dates(&i);
    explain(&d, &i, t, fx);
    Some(d)
}

/// The explanation steps and findings of the deadlines.
pub fn explain(d: &Deadlines, i: &DeadlineInputs, t: &mut Trace, fx: &mut Findings) {
    let first = crate::explain::Input::new("first transfer", d.first_transfer);
    t.add(
        "deadlines.day_45",
        "Identification period: 45 days after the earliest transfer (day 1 is the day after the transfer; plain date addition, no weekend or holiday roll)",
        d.day_45,
        "IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(b)(2)(i), (iii), (b)(3) example",
        vec![first.clone()],
    );
    t.add(
        "deadlines.day_180",
        "Day 180 after the earliest transfer (plain date addition, no roll)",
        d.day_180,
        "IRC §1031(a)(3)(B)(i); Treas. Reg. §1.1031(k)-1(b)(2)(ii)",
        vec![first],
    );
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
    t.add(
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
        t.add(
            "deadlines.return_due_date_7503",
            "The due date falls on a weekend or DC legal holiday: under IRC §7503 the return is timely on the next business day. Whether that also moves the §1031(a)(3)(B)(ii) cap is unsettled [U]; the statutory date is used as the cap",
            d.return_due_date_7503,
            "IRC §7503; Treas. Reg. §301.7503-1; verification.md §6.2 [U]",
            vec![crate::explain::Input::new("statutory due date", d.return_due_date)],
        );
    }
    if let Some(o) = &d.disaster {
        t.add(
            "deadlines.disaster",
            format!(
                "Disaster postponement under Rev. Proc. 2018-58 §17: {}; conditions: {}",
                if o.section17_eligible {
                    "applies"
                } else {
                    "does not apply"
                },
                o.conditions.join("; ")
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
    t.add(
        "deadlines.identification_end",
        "End of the identification period (day 45, unless a disaster postponed it)",
        d.identification_end,
        "IRC §1031(a)(3)(A); Treas. Reg. §1.1031(k)-1(b)(2)(i)",
        vec![crate::explain::Input::new("day 45", d.day_45)],
    );
    t.add(
        "deadlines.exchange_end",
        "Exchange period ends on the earlier of day 180 (postponed if a disaster applies) and the return due date (with extensions if filed)",
        d.exchange_end,
        "IRC §1031(a)(3)(B); Treas. Reg. §1.1031(k)-1(b)(2)(ii)",
        vec![
            crate::explain::Input::new("day 180", d.day_180),
            crate::explain::Input::new("return due date", d.return_due_date),
        ],
    );

    if d.exchange_end_rule == ExchangeEndRule::ReturnDueDate {
        let lost = crate::calendar::days_between(d.exchange_end, d.day_180);
        let fix = if i.extension_filed {
            "The extended due date still comes first".to_string()
        } else if d.return_due_date_extended >= d.day_180 {
            format!(
                "File the extension (Form 4868 / 7004) by {} to get the full 180 days",
                d.return_due_date_original
            )
        } else {
            format!(
                "Even with the extension the period ends on {}",
                d.return_due_date_extended
            )
        };
        fx.add(
            "exchange_period_cut_by_return_due_date",
            Severity::Warning,
            format!(
                "The exchange period ends on the return due date {} instead of day 180 ({}): {lost} days are lost. {fix}; filing the return early ends the period too.",
                d.exchange_end, d.day_180
            ),
            "IRC §1031(a)(3)(B)(ii); Treas. Reg. §1.1031(k)-1(b)(2)(ii), (b)(3) example",
        );
    }
    if d.exchange_end_if_7503_applies != d.exchange_end
        && d.exchange_end_rule == ExchangeEndRule::ReturnDueDate
    {
        fx.add(
            "return_due_date_on_weekend_or_holiday",
            Severity::Warning,
            format!(
                "The return due date {} is a weekend or DC legal holiday; the return may be filed on {} (IRC §7503), but whether that also extends the exchange period is unsettled [U]. The engine keeps {} as the end of the exchange period; an extension makes the question moot.",
                d.return_due_date, d.return_due_date_7503, d.exchange_end
            ),
            "IRC §7503; IRC §1031(a)(3)(B)(ii); verification.md §6.2 [U]",
        );
    }
    if let Some(o) = &d.disaster {
        if !o.section17_eligible {
            fx.add_at(
                "disaster_postponement_not_available",
                Severity::Warning,
                "disaster",
                format!(
                    "Rev. Proc. 2018-58 §17 does not postpone this exchange's deadlines: {}",
                    o.conditions.join("; ")
                ),
                disaster::AUTHORITY,
            );
        } else if o.postponed_day_180.is_none() && o.postponed_identification_end.is_none() {
            fx.add_at(
                "disaster_postponement_not_available",
                Severity::Info,
                "disaster",
                "Both deadlines fell before the disaster date: nothing is postponed",
                disaster::AUTHORITY,
            );
        } else {
            fx.add_at(
                "disaster_postponement",
                Severity::Info,
                "disaster",
                format!(
                    "Rev. Proc. 2018-58 §17 postpones {}{}: to the later of 120 days after the deadline and the postponement date {} (capped here at one year, [U]). Relief requires an IRS notice or news release for this disaster referring to Rev. Proc. 2018-58; §17's text and any upper limit were not verified.",
                    o.postponed_identification_end
                        .map(|p| format!("day 45 ({}) to {p}", d.day_45))
                        .unwrap_or_default(),
                    o.postponed_day_180
                        .map(|p| format!(
                            "{}day 180 ({}) to {p}",
                            if o.postponed_identification_end.is_some() { " and " } else { "" },
                            d.day_180
                        ))
                        .unwrap_or_default(),
                    o.postponement_date
                ),
                disaster::AUTHORITY,
            );
            if let Some(p) = o.postponed_day_180
                && d.return_due_date < p
            {
                fx.add_at(
                        "disaster_postponement_cut_by_return_due_date",
                        Severity::Warning,
                        "disaster",
                        format!(
                            "The postponed day 180 ({p}) is after the return due date {}: whether §17 also carries the exchange period past the due date is unsettled [U], so the engine ends it on {}. File the extension (and check whether the IRS notice also postpones the filing deadline).",
                            d.return_due_date, d.exchange_end
                        ),
                        disaster::AUTHORITY,
                    );
            }
        }
    }
}

/// Flags day 45 and (when it ends the period) day 180 falling on a weekend or DC legal
/// holiday, unless the action was already done (`met_45`, `met_180`): the deadline does not
/// move (Reg. 1.1031(k)-1(b)(3) example), but a minority view applies §7503 (\[U\]).
pub fn weekend_findings(d: &Deadlines, met_45: bool, met_180: bool, fx: &mut Findings) {
    for (key, date, closed, alt, what) in [
        (
            "day_45",
            d.day_45,
            &d.identification_end_closed,
            d.identification_end_if_7503_applies,
            "identification period",
        ),
        (
            "day_180",
            d.day_180,
            &d.day_180_closed,
            d.day_180_if_7503_applies,
            "exchange period (day 180)",
        ),
    ] {
        let binding = if key == "day_45" {
            !met_45 && d.identification_end == d.day_45
        } else {
            d.exchange_end == d.day_180 && !met_180
        };
        if let (Some(why), true) = (closed, binding) {
            fx.add(
                "deadline_on_weekend_or_holiday",
                Severity::Warning,
                format!(
                    "The last day of the {what}, {date}, falls on {why}: the deadline does not move. Practitioners and the Reg. 1.1031(k)-1(b)(3) example count calendar days with no roll; a minority view (Tax Notes Federal 2023, SSRN 4697117) would apply §7503 and allow {alt} [U]. Act by the last business day before {date}."
                ),
                "IRC §1031(a)(3); Treas. Reg. §1.1031(k)-1(b)(3) example; IRC §7503 [U]",
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
            proptest::prop_assert_eq!(crate::calendar::days_between(t, d.day_45), 45);
            proptest::prop_assert_eq!(crate::calendar::days_between(t, d.day_180), 180);
            proptest::prop_assert!(d.tax_year_begin <= t && t <= d.tax_year_end);
            proptest::prop_assert!(d.return_due_date_original > d.tax_year_end);
            proptest::prop_assert!(d.return_due_date_extended > d.return_due_date_original);
            proptest::prop_assert_eq!(d.exchange_end, d.day_180.min(d.return_due_date));
            proptest::prop_assert!(d.exchange_end_with_extension >= d.exchange_end_without_extension);
            proptest::prop_assert!(d.exchange_end_if_7503_applies >= d.exchange_end);
            proptest::prop_assert!(d.return_due_date_7503 >= d.return_due_date);
            proptest::prop_assert!(!crate::holidays::is_weekend(d.return_due_date_7503)
                && crate::holidays::dc_legal_holiday(d.return_due_date_7503).is_none());
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
        let d = compute(&f, &mut Trace::default(), &mut Findings::default())
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
}
