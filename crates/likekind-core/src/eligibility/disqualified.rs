//! Disqualified persons (Treas. Reg. §1.1031(k)-1(k)): who may not act as the taxpayer's
//! qualified intermediary, because the taxpayer would then be treated as holding the money.
//!
//! (k)(2) agents within the 2 years ending on the first relinquished transfer (not counting
//! §1031 exchange services or routine financial, title-insurance, escrow or trust services
//! by a financial institution, title insurer or escrow company); (k)(3) persons related to
//! the taxpayer under §267(b) or §707(b) with 10 percent in place of 50 percent; (k)(4)(i)
//! persons so related to a (k)(2) agent, except (k)(4)(ii) a bank or bank affiliate related
//! to a broker or investment banker only through the controlled group (transfers on or after
//! 2001-01-17).

use crate::amount::Amount;
use crate::law::cite;
use crate::timing::calendar::add_months;
use jiff::civil::{Date, date};
use serde::Serialize;

/// The kind of service a person performed for the taxpayer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Employee, attorney, accountant, investment banker or broker, real-estate agent or
    /// broker, on matters other than §1031 exchanges.
    Agent,
    /// Services only with respect to exchanges intended to qualify under §1031.
    ExchangeOnly,
    /// Routine financial, title-insurance, escrow or trust services by a financial
    /// institution, title insurance company or escrow company.
    RoutineFinancialTitleEscrow,
}

/// What is known about one candidate intermediary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Candidate {
    /// Services performed for the taxpayer, each with the last day performed.
    pub services: Vec<(Service, Date)>,
    /// A §267(b)(1) family relationship with the taxpayer (no threshold applies).
    pub family: bool,
    /// Percentage of ownership linking the candidate and the taxpayer under §267(b)/§707(b)
    /// (e.g. stock or partnership interest), with constructive ownership.
    pub ownership_with_taxpayer_pct: Option<Amount>,
    /// Percentage of ownership linking the candidate and a (k)(2) agent of the taxpayer.
    pub ownership_with_agent_pct: Option<Amount>,
    /// The candidate is a bank or bank affiliate related to the agent only by being in the
    /// same controlled group as a person who gave investment-banking or brokerage services.
    pub bank_affiliate_of_broker_only: bool,
}

/// Why a candidate is or is not disqualified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub disqualified: bool,
    pub reason: String,
    pub authority: &'static str,
}

/// The 2-year look-back start: services on or after this day count.
pub fn look_back_start(first_transfer: Date) -> Date {
    add_months(first_transfer, -24)
}

/// More than 10 percent (the (k)(3)-(4) substitution of 10 for 50 percent): exactly 10 is
/// not enough (Treas. Reg. §1.1031(k)-1(k)(5) Example 3).
fn over_10(p: Option<Amount>) -> bool {
    p.is_some_and(|p| p > Amount::TEN)
}

/// Judges one candidate. Authority: Treas. Reg. §1.1031(k)-1(k)(1)-(4).
pub fn judge(c: &Candidate, first_transfer: Date) -> Verdict {
    let start = look_back_start(first_transfer);
    let agent = c
        .services
        .iter()
        .any(|(s, last)| *s == Service::Agent && *last >= start && *last <= first_transfer);
    if agent {
        return Verdict {
            disqualified: true,
            reason: format!(
                "acted as the taxpayer's agent on non-§1031 matters within the 2 years ending {first_transfer}"
            ),
            authority: cite!(REG_1_1031_K_1 "(k)(2)"),
        };
    }
    if c.family {
        return Verdict {
            disqualified: true,
            reason: "a family member of the taxpayer under §267(b)(1)".into(),
            authority: cite!(REG_1_1031_K_1 "(k)(3)"; IRC_267 "(b)(1), (c)(4)"),
        };
    }
    if over_10(c.ownership_with_taxpayer_pct) {
        return Verdict {
            disqualified: true,
            reason: "related to the taxpayer through more than 10% ownership".into(),
            authority: cite!(REG_1_1031_K_1 "(k)(3)"; [IRC_267 "(b)", IRC_707 "(b)"] " (10% for 50%)"),
        };
    }
    if over_10(c.ownership_with_agent_pct) {
        if c.bank_affiliate_of_broker_only && first_transfer >= date(2001, 1, 17) {
            return Verdict {
                disqualified: false,
                reason: "a bank or bank affiliate related to the agent only through the controlled group of a broker or investment banker (transfer on or after 2001-01-17)".into(),
                authority: cite!(REG_1_1031_K_1 "(k)(4)(ii)"),
            };
        }
        return Verdict {
            disqualified: true,
            reason:
                "related through more than 10% ownership to a person who is the taxpayer's agent"
                    .into(),
            authority: cite!(REG_1_1031_K_1 "(k)(4)(i)"),
        };
    }
    let reason = if c.services.is_empty() {
        "no agency, family or more-than-10% relationship".to_string()
    } else if c.services.iter().all(|(s, _)| *s != Service::Agent) {
        "only §1031 exchange services or routine financial, title or escrow services, which are not taken into account".to_string()
    } else {
        format!("agency services ended before the 2-year look-back starting {start}")
    };
    Verdict {
        disqualified: false,
        reason,
        authority: cite!(REG_1_1031_K_1 "(k)(2)(i)-(ii)"),
    }
}

/// The verdict on `[qualified_intermediary]`, when the file names one and has a transfer.
/// Authority: Treas. Reg. §1.1031(k)-1(k)(1)-(4).
pub fn verdict_of(f: &crate::model::ExchangeFile) -> Option<Verdict> {
    let (q, first) = qi_and_first(f)?;
    Some(judge(&candidate_of(q), first))
}

fn qi_and_first(
    f: &crate::model::ExchangeFile,
) -> Option<(&crate::model::QualifiedIntermediary, Date)> {
    Some((f.qualified_intermediary.as_ref()?, f.first_transfer()?))
}

fn candidate_of(q: &crate::model::QualifiedIntermediary) -> Candidate {
    use crate::model::QiServiceKind;
    Candidate {
        services: q
            .services
            .iter()
            .map(|s| {
                (
                    match s.kind {
                        QiServiceKind::Agent => Service::Agent,
                        QiServiceKind::ExchangeOnly => Service::ExchangeOnly,
                        QiServiceKind::RoutineFinancialTitleEscrow => {
                            Service::RoutineFinancialTitleEscrow
                        }
                    },
                    s.last_on,
                )
            })
            .collect(),
        family: q.family,
        ownership_with_taxpayer_pct: q.ownership_with_taxpayer_pct,
        ownership_with_agent_pct: q.ownership_with_agent_pct,
        bank_affiliate_of_broker_only: q.bank_affiliate_of_broker_only,
    }
}

/// Screens `[qualified_intermediary]`: a disqualified person cannot be a QI, so money it
/// holds is treated as held by the taxpayer's agent and the exchange becomes a sale.
/// Authority: Treas. Reg. §1.1031(k)-1(g)(4)(iii)(A), (k).
pub fn screen(
    f: &crate::model::ExchangeFile,
    t: &mut crate::explain::Trace,
    fx: &mut crate::findings::Findings,
) {
    use crate::findings::Severity;
    let Some((q, first)) = qi_and_first(f) else {
        return;
    };
    let v = judge(&candidate_of(q), first);
    let who = if q.name.is_empty() {
        "The intermediary"
    } else {
        q.name.as_str()
    };
    crate::step!(
        t,
        "eligibility.qualified_intermediary.disqualified",
        format!(
            "Is {who} a disqualified person? Look-back of 2 years ending on the first transfer (from {}): {}",
            look_back_start(first),
            v.reason
        ),
        if v.disqualified { "yes" } else { "no" },
        v.authority,
        vec![crate::explain::Input::new("first transfer", first)],
    );
    if v.disqualified {
        crate::finding_at!(
            fx,
            "disqualified_person",
            Severity::Error,
            "qualified_intermediary",
            format!(
                "{who} is a disqualified person ({}): it cannot be a qualified intermediary, so the exchange funds it holds are treated as held by your agent — the safe harbor fails and the transfer is a sale. Use an independent intermediary.",
                v.reason
            ),
            cite!(REG_1_1031_K_1 "(g)(4)(iii)(A), (k)"),
        );
    } else {
        crate::finding_at!(
            fx,
            "qualified_intermediary_not_disqualified",
            Severity::Info,
            "qualified_intermediary",
            format!(
                "{who} is not a disqualified person on the facts given: {}",
                v.reason
            ),
            v.authority,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    #[test]
    fn look_back_and_thresholds() {
        let ft = date(2026, 5, 1);
        let agent_recent = Candidate {
            services: vec![(Service::Agent, date(2026, 3, 15))],
            ..Default::default()
        };
        assert!(judge(&agent_recent, ft).disqualified);
        let agent_old = Candidate {
            services: vec![(Service::Agent, date(2023, 12, 31))],
            ..Default::default()
        };
        assert!(!judge(&agent_old, ft).disqualified);
        let ten = Candidate {
            ownership_with_agent_pct: Some(amt!(10)),
            ..Default::default()
        };
        assert!(!judge(&ten, ft).disqualified);
        let eleven = Candidate {
            ownership_with_agent_pct: Some(amt!(11)),
            ..Default::default()
        };
        assert!(judge(&eleven, ft).disqualified);
        let bank = Candidate {
            bank_affiliate_of_broker_only: true,
            ..eleven.clone()
        };
        assert!(!judge(&bank, ft).disqualified);
        assert!(judge(&bank, date(2000, 12, 1)).disqualified);
    }
}
