//! Eligibility screens: is what was exchanged real property, of like kind, held for
//! investment or business, and owned in a form §1031 accepts (fee, TIC, DST)?
//!
//! After 2017 only real property qualifies (§1031(a)(1)); US and foreign real property are
//! not of like kind (§1031(h)); property held primarily for sale is excluded (§1031(a)(2)).
//! Intent to hold is a question of fact: where the engine cannot judge, the finding says so.

use crate::explain::Trace;
use crate::findings::{Findings, Severity};
use crate::inputs;
use crate::law::cite;
use crate::model::{DstQuestionnaire, ExchangeFile, Interest, TicQuestionnaire, Use};
use crate::timing::calendar::{add_months, days_between};
use jiff::civil::Date;
use serde::Serialize;

/// Runs every eligibility screen on the file.
pub fn screen(f: &ExchangeFile, t: &mut Trace, fx: &mut Findings) {
    foreign(f, fx);
    use_findings(f, fx);
    interests(f, fx);
    holding_periods(f, t, fx);
    for (i, q) in f.dst.iter().enumerate() {
        dst_findings(i, q, t, fx);
    }
    for (i, q) in f.tic.iter().enumerate() {
        tic_findings(i, q, t, fx);
    }
}

/// The place a territory code names, for the messages.
fn territory_name(code: &str) -> &str {
    match code {
        "PR" => "Puerto Rico",
        "GU" => "Guam",
        "VI" => "the US Virgin Islands",
        "AS" => "American Samoa",
        "MP" => "the Northern Mariana Islands",
        "UM" => "the US Minor Outlying Islands",
        other => other,
    }
}

/// Real property in the United States and real property outside it are not of like kind.
/// "United States" means only the States and the District of Columbia, so Puerto Rico and the
/// other territories and possessions are outside it. Bona fide residents of the US Virgin
/// Islands, Guam and the Northern Mariana Islands have special rules, and how they apply here
/// is uncertain, so the finding says so. Authority: IRC §1031(h); IRC §7701(a)(9); IRC §§932, 935.
fn foreign(f: &ExchangeFile, fx: &mut Findings) {
    use crate::model::LocationKind;
    let loc = LocationKind::of;
    let rel_us = f
        .relinquished
        .iter()
        .filter_map(|r| loc(&r.location))
        .any(|l| l.is_us());
    let rel_foreign = f
        .relinquished
        .iter()
        .filter_map(|r| loc(&r.location))
        .any(|l| !l.is_us());
    let place = |code: &str, l: LocationKind| match l {
        LocationKind::State => {
            "US real property (in a State or the District of Columbia)".to_string()
        }
        LocationKind::Territory => format!(
            "real property in {}, a US territory or possession and so outside the United States for §1031(h) (the United States is only the States and DC, §7701(a)(9))",
            territory_name(code)
        ),
        LocationKind::Foreign => "foreign real property".to_string(),
    };
    for (k, r) in f.replacement.iter().enumerate() {
        if let Some(l) = loc(&r.location)
            && ((l.is_us() && rel_foreign && !rel_us) || (!l.is_us() && rel_us))
        {
            crate::finding_at!(
                fx,
                "not_like_kind_foreign",
                Severity::Error,
                format!("replacement[{k}].location"),
                format!(
                    "{} is {} but the property given up is {}: real property in the United States and real property outside it are not of like kind",
                    r.id,
                    place(&r.location, l),
                    if l.is_us() {
                        "outside the United States"
                    } else {
                        "in the United States"
                    }
                ),
                if l == LocationKind::Territory {
                    cite!(IRC_1031 "(h)"; IRC_7701 "(a)(9)")
                } else {
                    cite!(IRC_1031 "(h)")
                },
            );
        }
    }
    if rel_us && rel_foreign {
        crate::finding!(
            fx,
            "not_like_kind_foreign",
            Severity::Error,
            "Real property in the United States (the States and DC) and real property outside it (a foreign country, or a US territory or possession) were both given up: they are not of like kind to each other and must be treated as separate exchange groups",
            cite!(IRC_1031 "(h)"; IRC_7701 "(a)(9)"; REG_1_1031_J_1),
        );
    }
    let props = f
        .relinquished
        .iter()
        .enumerate()
        .map(|(k, r)| {
            (
                crate::input::errors::Item("relinquished", k),
                &r.id,
                &r.location,
            )
        })
        .chain(f.replacement.iter().enumerate().map(|(k, r)| {
            (
                crate::input::errors::Item("replacement", k),
                &r.id,
                &r.location,
            )
        }));
    for (path, id, code) in props {
        if loc(code) != Some(LocationKind::Territory) {
            continue;
        }
        crate::finding_at!(
            fx,
            "territory_property_uncertain",
            Severity::Warning,
            format!("{path}.location"),
            format!(
                "{id} is in {}. For §1031(h) the United States is only the States and the District of Columbia (§7701(a)(9)), so the engine treats this property as outside the United States: of like kind only to other real property outside the United States (practice relies on private letter rulings for this reading). [U] uncertain: the special rules for bona fide residents of the US Virgin Islands (§932), Guam and the Northern Mariana Islands (§935) may change where the gain is taxed and reported; the engine does not apply them. Have a tax adviser review the result.",
                territory_name(code)
            ),
            cite!(IRC_1031 "(h)"; IRC_7701 "(a)(9)"; [IRC_932, IRC_935]),
        );
    }
}

/// Held for investment or business, not for sale or personal use.
/// Authority: IRC §1031(a)(1)-(2); Rev. Proc. 2008-16 for dwellings.
fn use_findings(f: &ExchangeFile, fx: &mut Findings) {
    let home_sale = f.home_sale.as_ref();
    let props = f
        .relinquished
        .iter()
        .enumerate()
        .map(|(k, r)| {
            (
                crate::input::errors::Item("relinquished", k),
                &r.id,
                r.use_,
                !r.usage.is_empty(),
            )
        })
        .chain(f.replacement.iter().enumerate().map(|(k, r)| {
            (
                crate::input::errors::Item("replacement", k),
                &r.id,
                r.use_,
                !r.usage.is_empty(),
            )
        }));
    for (path, id, use_, has_usage) in props {
        match use_ {
            Use::Dealer => crate::finding_at!(
                fx,
                "dealer_property",
                Severity::Error,
                format!("{path}.use"),
                format!(
                    "{id} is held primarily for sale (dealer property or a flip): it is excluded from §1031"
                ),
                cite!(IRC_1031 "(a)(1)-(2)"),
            ),
            Use::PersonalResidence => {
                let split =
                    home_sale.is_some_and(|h| &h.property == id && h.business_part.is_some());
                if split {
                    crate::finding_at!(
                        fx,
                        "not_held_for_investment",
                        Severity::Info,
                        format!("{path}.use"),
                        format!(
                            "{id} is partly a home: only its business part can be exchanged under §1031; the home part is covered by the §121 exclusion, applied before §1031 (the report's section on §121 with §1031 works out both)"
                        ),
                        cite!([IRC_121, IRC_1031 "(a)(1)"]; REV_PROC_2005_14),
                    );
                } else {
                    crate::finding_at!(
                        fx,
                        "not_held_for_investment",
                        Severity::Error,
                        format!("{path}.use"),
                        format!(
                            "{id} is a personal residence, not held for investment or business use: it cannot be part of a §1031 exchange (a home sale may qualify for the §121 exclusion instead)"
                        ),
                        cite!(IRC_1031 "(a)(1)"; IRC_121),
                    );
                }
            }
            // With usage days the Rev. Proc. 2008-16 test in `homes` judges the dwelling.
            Use::VacationHome if has_usage => {}
            Use::VacationHome => crate::finding_at!(
                fx,
                "not_held_for_investment",
                Severity::Warning,
                format!("{path}.use"),
                format!(
                    "{id} is a vacation home: it is held for investment only if it is rented at fair rent and personal use is limited (Rev. Proc. 2008-16 safe harbor: owned 24 months, rented 14+ days and personal use no more than the greater of 14 days or 10% of rental days in each 12-month period). Give `usage` days to check the safe harbor."
                ),
                cite!(IRC_1031 "(a)(1)"; REV_PROC_2008_16),
            ),
            Use::Investment | Use::Business => {}
        }
    }
    if let Some(e) = &f.eligibility {
        if e.intent_to_hold_replacement == Some(false) {
            crate::finding_at!(
                fx,
                "not_held_for_investment",
                Severity::Error,
                "eligibility.intent_to_hold_replacement",
                "You did not intend, at the time of the exchange, to hold the replacement for investment or business use: property acquired to be resold or used personally is not exchanged for property \"to be held\" for investment or business, so §1031 does not apply",
                cite!(IRC_1031 "(a)(1)"),
            );
        }
        if e.relinquished_acquired_to_resell == Some(true) {
            crate::finding_at!(
                fx,
                "dealer_property",
                Severity::Warning,
                "eligibility.relinquished_acquired_to_resell",
                "The property given up was acquired to be resold (a flip): real property held primarily for sale is excluded from §1031. Whether it was held primarily for sale at the time of the exchange is a question of facts and circumstances the engine cannot decide; if the intent changed to investment before the exchange, keep the evidence (leases, rental income, time held).",
                cite!(IRC_1031 "(a)(2)"),
            );
        }
    }
}

/// Only real property qualifies after 2017; a partnership interest is not real property.
/// Authority: IRC §1031(a)(1) (as amended by P.L. 115-97 §13303); Treas. Reg. §1.1031(a)-3.
fn interests(f: &ExchangeFile, fx: &mut Findings) {
    let props = f
        .relinquished
        .iter()
        .enumerate()
        .map(|(k, r)| {
            (
                crate::input::errors::Item("relinquished", k),
                &r.id,
                r.interest,
            )
        })
        .chain(f.replacement.iter().enumerate().map(|(k, r)| {
            (
                crate::input::errors::Item("replacement", k),
                &r.id,
                r.interest,
            )
        }));
    for (path, id, interest) in props {
        match interest {
            Interest::PartnershipInterest => crate::finding_at!(
                fx,
                "partnership_interest_excluded",
                Severity::Error,
                format!("{path}.interest"),
                format!(
                    "{id} is an interest in a partnership: it is not real property, so §1031 does not apply to it (an exchange of the partnership's own real property, or a distribution of it to the partners as tenants in common before the exchange, is the usual route; an election out of subchapter K under §761(a) is treated differently, §1031(e) [P-mem])"
                ),
                cite!(IRC_1031 "(a)(1), (e)"; REG_1_1031_A_3),
            ),
            Interest::PersonalProperty => crate::finding_at!(
                fx,
                "not_real_property",
                Severity::Error,
                format!("{path}.interest"),
                format!(
                    "{id} is personal property: after 2017 only real property can be exchanged under §1031; personal property given up is a taxable sale and personal property received is boot"
                ),
                cite!(IRC_1031 "(a)(1)"; REG_1_1031_A_3; "T.D. 9935"),
            ),
            Interest::Dst if !f.dst.iter().any(|q| &q.property == id) => crate::finding_at!(
                fx,
                "dst_questionnaire_missing",
                Severity::Info,
                format!("{path}.interest"),
                format!(
                    "{id} is a DST interest: it is like-kind real property only if the trust is an investment trust whose trustee lacks the powers listed in Rev. Rul. 2004-86 (the \"seven deadly sins\"). Add a [[dst]] block for {id} to check them."
                ),
                cite!(REV_RUL_2004_86 ", 2004-33 I.R.B. 191"; REG_301_7701_4 "(c)"),
            ),
            Interest::Tic if !f.tic.iter().any(|q| &q.property == id) => crate::finding_at!(
                fx,
                "tic_questionnaire_missing",
                Severity::Info,
                format!("{path}.interest"),
                format!(
                    "{id} is a tenancy-in-common interest: it is real property only if the co-ownership is not a partnership. Add a [[tic]] block for {id} to check the Rev. Proc. 2002-22 conditions."
                ),
                cite!(REV_PROC_2002_22 ", 2002-1 C.B. 733"),
            ),
            _ => {}
        }
    }
}

/// How long a property was or will be held, in whole days, for holding-period advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Hold {
    pub from: Date,
    pub to: Date,
    pub days: i32,
    /// Held at least 12 months.
    pub one_year: bool,
    /// Held at least 24 months.
    pub two_years: bool,
}

/// Measures a hold. There is no statutory minimum holding period in §1031; the measure is
/// used only as evidence of intent. Authority: IRC §1031(a)(1) ("held for").
pub fn hold(from: Date, to: Date) -> Hold {
    Hold {
        from,
        to,
        days: days_between(from, to),
        one_year: to >= add_months(from, 12),
        two_years: to >= add_months(from, 24),
    }
}

const INTENT: &str = "§1031 has no minimum holding period: what counts is the intent, at the time of the exchange, to hold the property for investment or business use, judged on all the facts and circumstances. A short hold is evidence against that intent; holding one to two years is common practitioner advice [S], not a rule.";

/// Holding-period advice for the property given up and a planned sale of the replacement.
/// Authority: IRC §1031(a)(1); facts and circumstances.
fn holding_periods(f: &ExchangeFile, t: &mut Trace, fx: &mut Findings) {
    for (k, r) in f.relinquished.iter().enumerate() {
        let h = hold(r.acquired, r.transferred);
        crate::step!(
            t,
            format!("eligibility.hold.{}", r.id),
            format!(
                "Days {} was held before it was given up",
                f.property_words(&r.id)
            ),
            h.days,
            cite!(IRC_1031 "(a)(1) (held for investment or business)"; "no statutory minimum"),
            inputs!["acquired" => r.acquired, "transferred" => r.transferred],
        );
        if !h.two_years {
            crate::finding_at!(
                fx,
                "short_holding_period",
                if h.one_year {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                format!("relinquished[{k}].acquired"),
                format!(
                    "{} was held {} days (less than {}) before it was given up. {INTENT}",
                    r.id,
                    h.days,
                    if h.one_year { "two years" } else { "one year" }
                ),
                cite!(IRC_1031 "(a)(1)"),
            );
        }
    }
    let planned = f
        .eligibility
        .as_ref()
        .and_then(|e| e.planned_sale_of_replacement);
    if let (Some(sale), Some(received)) = (planned, f.replacement.iter().map(|r| r.received).max())
    {
        let h = hold(received, sale);
        crate::step!(
            t,
            "eligibility.hold.replacement_planned",
            "Days the replacement would be held before the planned sale",
            h.days,
            cite!(IRC_1031 "(a)(1) (to be held for investment or business)"; "no statutory minimum"),
            inputs!["received" => received, "planned sale" => sale],
        );
        if !h.two_years {
            crate::finding_at!(
                fx,
                "short_holding_period",
                if h.one_year {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                "eligibility.planned_sale_of_replacement",
                format!(
                    "The replacement would be sold after {} days (less than {}). {INTENT}",
                    h.days,
                    if h.one_year { "two years" } else { "one year" }
                ),
                cite!(IRC_1031 "(a)(1)"),
            );
        }
    }
}

/// The trustee powers Rev. Rul. 2004-86 forbids, as answered (`None` = not answered).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DstPowers {
    pub accept_new_contributions: Option<bool>,
    pub renegotiate_leases_or_loans: Option<bool>,
    pub reinvest_sale_proceeds: Option<bool>,
    pub capital_improvements_beyond_minor: Option<bool>,
    pub hold_cash_other_than_short_term_debt: Option<bool>,
    /// Required: all cash other than reserves is distributed currently.
    pub distribute_cash_currently: Option<bool>,
    pub other_power_to_vary_investment: Option<bool>,
}

impl From<&DstQuestionnaire> for DstPowers {
    fn from(q: &DstQuestionnaire) -> Self {
        DstPowers {
            accept_new_contributions: q.accept_new_contributions,
            renegotiate_leases_or_loans: q.renegotiate_leases_or_loans,
            reinvest_sale_proceeds: q.reinvest_sale_proceeds,
            capital_improvements_beyond_minor: q.capital_improvements_beyond_minor,
            hold_cash_other_than_short_term_debt: q.hold_cash_other_than_short_term_debt,
            distribute_cash_currently: q.distribute_cash_currently,
            other_power_to_vary_investment: q.other_power_to_vary_investment,
        }
    }
}

/// How a DST is classified for §1031.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DstClass {
    /// Investment trust (grantor trust): the interest is like-kind real property.
    GrantorTrust,
    /// The trustee may vary the investment: a business entity (partnership), not real property.
    BusinessEntity { powers: Vec<&'static str> },
    /// Some answers are missing: the engine cannot classify it.
    Unconfirmed { missing: Vec<&'static str> },
}

impl DstClass {
    /// True when the interest is treated as like-kind real property.
    pub fn is_like_kind_real_property(&self) -> bool {
        matches!(self, DstClass::GrantorTrust)
    }
    /// One-line consequence, as the report states it.
    pub fn summary(&self) -> &'static str {
        match self {
            DstClass::GrantorTrust => "grantor trust -> undivided interest in real property",
            DstClass::BusinessEntity { .. } => {
                "business entity (partnership) -> not like-kind real property"
            }
            DstClass::Unconfirmed { .. } => "unconfirmed: questionnaire incomplete",
        }
    }
}

/// Classifies a DST from its trustee's powers: any of the forbidden powers (or not
/// distributing cash currently) makes the trust a business entity whose interests are not
/// real property. Authority: Rev. Rul. 2004-86; Treas. Reg. §301.7701-4(c) [P-mem].
pub fn classify_dst(p: &DstPowers) -> DstClass {
    let forbidden = [
        ("accept_new_contributions", p.accept_new_contributions),
        ("renegotiate_leases_or_loans", p.renegotiate_leases_or_loans),
        ("reinvest_sale_proceeds", p.reinvest_sale_proceeds),
        (
            "capital_improvements_beyond_minor",
            p.capital_improvements_beyond_minor,
        ),
        (
            "hold_cash_other_than_short_term_debt",
            p.hold_cash_other_than_short_term_debt,
        ),
        (
            "other_power_to_vary_investment",
            p.other_power_to_vary_investment,
        ),
    ];
    let mut powers: Vec<&'static str> = forbidden
        .iter()
        .filter(|(_, v)| *v == Some(true))
        .map(|(n, _)| *n)
        .collect();
    if p.distribute_cash_currently == Some(false) {
        powers.push("not distribute_cash_currently");
    }
    if !powers.is_empty() {
        return DstClass::BusinessEntity { powers };
    }
    // The catch-all power is optional: the six named answers decide.
    let mut missing: Vec<&'static str> = forbidden[..5]
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    if p.distribute_cash_currently.is_none() {
        missing.push("distribute_cash_currently");
    }
    if missing.is_empty() {
        DstClass::GrantorTrust
    } else {
        DstClass::Unconfirmed { missing }
    }
}

const DST_AUTH: &str = cite!(REV_RUL_2004_86 ", 2004-33 I.R.B. 191"; REG_301_7701_4 "(c) [P-mem]");

fn dst_findings(i: usize, q: &DstQuestionnaire, t: &mut Trace, fx: &mut Findings) {
    let c = classify_dst(&DstPowers::from(q));
    crate::step!(
        t,
        format!("eligibility.dst.{}", q.property),
        format!(
            "Classification of the DST interest {} from the trustee's powers",
            q.property
        ),
        c.summary(),
        DST_AUTH,
        vec![],
    );
    match c {
        DstClass::GrantorTrust => crate::finding_at!(
            fx,
            "dst_grantor_trust",
            Severity::Info,
            format!("dst[{i}]"),
            format!(
                "The DST interest {} passes the Rev. Rul. 2004-86 test as answered: the trust is an investment (grantor) trust and the interest is treated as an undivided interest in its real property",
                q.property
            ),
            DST_AUTH,
        ),
        DstClass::BusinessEntity { powers } => crate::finding_at!(
            fx,
            "dst_business_entity",
            Severity::Error,
            format!("dst[{i}]"),
            format!(
                "The DST {} gives its trustee power to vary the investment ({}): under Rev. Rul. 2004-86 it is a business entity (partnership), and a partnership interest is not like-kind real property",
                q.property,
                powers.join(", ")
            ),
            DST_AUTH,
        ),
        DstClass::Unconfirmed { missing } => crate::finding_at!(
            fx,
            "dst_questionnaire_incomplete",
            Severity::Warning,
            format!("dst[{i}]"),
            format!(
                "The DST {} cannot be classified: unanswered: {}. Read the trust agreement.",
                q.property,
                missing.join(", ")
            ),
            DST_AUTH,
        ),
    }
}

/// Rev. Proc. 2002-22 §6.02: at most 35 co-owners.
pub const TIC_MAX_CO_OWNERS: u32 = 35;

/// Counts co-owners as Rev. Proc. 2002-22 §6.02 does: a married couple counts as one, and
/// persons who acquire interests together by inheritance count as one [P-mem].
pub fn tic_counted_co_owners(
    co_owners: u32,
    married_couples: u32,
    inherited_groups: &[u32],
) -> u32 {
    let inherited: u32 = inherited_groups.iter().map(|g| g.saturating_sub(1)).sum();
    co_owners
        .saturating_sub(married_couples)
        .saturating_sub(inherited)
}

const TIC_AUTH: &str =
    cite!(REV_PROC_2002_22 ", 2002-1 C.B. 733, §6 [P-mem] (ruling guidelines, not a safe harbor)");

fn tic_findings(i: usize, q: &TicQuestionnaire, t: &mut Trace, fx: &mut Findings) {
    let n = tic_counted_co_owners(q.co_owners, q.married_couples, &q.inherited_groups);
    crate::step!(
        t,
        format!("eligibility.tic.{}.co_owners", q.property),
        "Co-owners counted for Rev. Proc. 2002-22 §6.02: persons on title, a married couple as one, heirs who inherited together as one",
        n,
        TIC_AUTH,
        inputs!["co-owners" => q.co_owners, "married couples" => q.married_couples, "inherited groups" => format!("{:?}", q.inherited_groups)],
    );
    let mut failed = Vec::new();
    if n > TIC_MAX_CO_OWNERS {
        failed.push(format!(
            "{n} co-owners counted (more than {TIC_MAX_CO_OWNERS})"
        ));
    }
    let wrong = [
        (
            "files a partnership return",
            q.files_partnership_return == Some(true),
        ),
        (
            "does business under a common name",
            q.business_under_common_name == Some(true),
        ),
        (
            "has no co-ownership agreement",
            q.co_ownership_agreement == Some(false),
        ),
        (
            "lacks unanimous approval of sale, lease, debt and manager",
            q.unanimous_approval_of_sale_lease_debt_manager == Some(false),
        ),
        (
            "restricts transfer or partition",
            q.free_transfer_and_partition == Some(false),
        ),
        (
            "does not share revenue, costs and debt proportionately",
            q.proportionate_sharing == Some(false),
        ),
        (
            "has a management agreement running over one year",
            q.management_agreement_over_one_year == Some(true),
        ),
        (
            "has rent or fees based on income",
            q.income_based_rent_or_fees == Some(true),
        ),
        (
            "has loans from the sponsor or lessee",
            q.loans_from_sponsor_or_lessee == Some(true),
        ),
    ];
    failed.extend(wrong.iter().filter(|(_, b)| *b).map(|(s, _)| s.to_string()));
    if failed.is_empty() {
        crate::finding_at!(
            fx,
            "tic_guidelines_met",
            Severity::Info,
            format!("tic[{i}]"),
            format!(
                "The TIC {} meets the Rev. Proc. 2002-22 conditions answered ({n} co-owners counted). These are conditions for a private letter ruling, not a safe harbor: co-ownership that is really a business can still be a partnership.",
                q.property
            ),
            TIC_AUTH,
        );
    } else {
        crate::finding_at!(
            fx,
            "tic_guidelines_not_met",
            Severity::Warning,
            format!("tic[{i}]"),
            format!(
                "The TIC {} falls outside the Rev. Proc. 2002-22 conditions: {}. The co-ownership risks being treated as a partnership, whose interests are not like-kind real property. The Rev. Proc. states ruling conditions, not a safe harbor: the answer turns on the facts.",
                q.property,
                failed.join("; ")
            ),
            TIC_AUTH,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dst_all_powers_denied_is_grantor_trust() {
        let p = DstPowers {
            accept_new_contributions: Some(false),
            renegotiate_leases_or_loans: Some(false),
            reinvest_sale_proceeds: Some(false),
            capital_improvements_beyond_minor: Some(false),
            hold_cash_other_than_short_term_debt: Some(false),
            distribute_cash_currently: Some(true),
            other_power_to_vary_investment: None,
        };
        assert!(classify_dst(&p).is_like_kind_real_property());
        let bad = DstPowers {
            reinvest_sale_proceeds: Some(true),
            ..p
        };
        assert!(matches!(
            classify_dst(&bad),
            DstClass::BusinessEntity { ref powers } if powers == &["reinvest_sale_proceeds"]
        ));
        let no_dist = DstPowers {
            distribute_cash_currently: Some(false),
            ..p
        };
        assert!(!classify_dst(&no_dist).is_like_kind_real_property());
        let unanswered = DstPowers {
            accept_new_contributions: None,
            ..p
        };
        assert!(matches!(
            classify_dst(&unanswered),
            DstClass::Unconfirmed { .. }
        ));
    }

    #[test]
    fn tic_counts_couples_and_heirs_as_one() {
        assert_eq!(tic_counted_co_owners(37, 2, &[]), 35);
        assert_eq!(tic_counted_co_owners(40, 2, &[3]), 36);
        assert_eq!(tic_counted_co_owners(1, 0, &[]), 1);
    }

    #[test]
    fn hold_measures_years() {
        let h = hold(jiff::civil::date(2025, 3, 1), jiff::civil::date(2026, 3, 1));
        assert!(h.one_year && !h.two_years);
        assert_eq!(h.days, 365);
        let h = hold(jiff::civil::date(2025, 3, 2), jiff::civil::date(2026, 3, 1));
        assert!(!h.one_year);
    }
}
