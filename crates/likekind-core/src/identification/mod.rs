//! Identification and receipt of replacement property (Treas. Reg. §1.1031(k)-1(c), (d), (e)).
//!
//! A property counts as like-kind replacement property only if it was identified before the
//! end of the identification period (or received within it, which identifies it) and received
//! before the end of the exchange period. More than three properties must meet the 200% rule;
//! otherwise nothing is identified except property received within the identification period,
//! unless the 95% rule rescues the whole identification.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::findings::{Findings, Severity};
use crate::inputs;
use crate::law::cite;
use crate::model::{ExchangeFile, ExchangeType};
use crate::money::format_usd as usd;
use crate::money::serialize_money;
use crate::timing::deadlines::Deadlines;
use jiff::civil::Date;
use serde::Serialize;

/// Which identification rule the exchange meets (contract values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdRule {
    ThreeProperty,
    TwoHundredPercent,
    NinetyFivePercent,
    #[serde(rename = "received_within_45_days")]
    ReceivedWithin45Days,
    None,
}

/// One potential replacement property: identified, received, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: crate::id::Id,
    /// FMV at the end of the identification period (estimated completed FMV for property to be
    /// produced, (e)(2)(ii)).
    pub fmv: Amount,
    /// FMV when received (or on the last day of the exchange period), for the 95% rule:
    /// improvements identified and not in place when received are not in it ((c)(4)(ii),
    /// (e)(4)).
    pub fmv_at_receipt: Option<Amount>,
    /// The improvements identified and not in place when received, left out of
    /// `fmv_at_receipt` (kept to say what the 95% rule would be at the identified price).
    pub not_in_place: Amount,
    pub identified_on: Option<Date>,
    pub revoked_on: Option<Date>,
    /// A written revocation sent to the same person ((c)(6)); an oral one is void.
    pub revocation_written: bool,
    pub received_on: Option<Date>,
    /// FMV of incidental personal property included in `fmv` ((c)(5)).
    pub incidental: Amount,
}

/// The facts the identification is judged on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdFacts {
    /// Aggregate FMV of the relinquished properties when transferred.
    pub relinquished_fmv: Amount,
    pub identification_end: Date,
    pub exchange_end: Date,
    pub candidates: Vec<Candidate>,
}

/// Why a property counts or does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Identified (or received within 45 days) and received in time: like-kind property.
    Qualifies,
    /// Identified and not (yet) received.
    NotReceived,
    /// Identified after the identification period.
    IdentifiedLate,
    /// Identification revoked before the period ended.
    Revoked,
    /// Received after the end of the exchange period.
    ReceivedLate,
    /// Received, but never identified.
    NotIdentified,
    /// Over-identification without the 95% rescue: treated as not identified.
    OverIdentified,
}

/// The verdict on one property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyVerdict {
    pub id: crate::id::Id,
    pub standing: Standing,
    /// Counted among the identified properties at the end of the identification period.
    pub in_force: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub received_on: Option<Date>,
    /// (c)(5): the incidental property is not a separate property.
    pub incidental_not_separate: bool,
    /// Received, but at under 75% of the value identified: in doubt that it is the property
    /// identified ((d)(1); see [`receipt_in_doubt`]). In the report only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub receipt_in_doubt: bool,
    /// Its receipt is dated after the report date: a closing still to come, not a receipt
    /// that happened. While the exchange period is open it can still be moved, so a failure
    /// it decides is not settled (IRC §1031(a)(3)(B); Treas. Reg. §1.1031(k)-1(b)(2)(ii)).
    /// Not in the report (its words only).
    #[serde(skip)]
    pub scheduled: bool,
}

/// The verdict on the identification (contract keys `valid`, `rule`, then added keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identification {
    pub valid: bool,
    pub rule: IdRule,
    // --- added keys ---
    /// Properties identified (or received within 45 days) and not revoked at the end of the
    /// identification period, in order.
    pub remaining: Vec<crate::id::Id>,
    /// Properties counted for the three-property rule (incidental property over 15% counts
    /// as a separate property).
    pub properties_counted: usize,
    #[serde(serialize_with = "serialize_money")]
    pub relinquished_fmv: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub aggregate_identified_fmv: Amount,
    pub three_property_rule: bool,
    pub two_hundred_percent_rule: bool,
    /// FMV of identified property received in time is at least 95% of all identified.
    pub ninety_five_percent_rule: bool,
    #[serde(serialize_with = "serialize_money")]
    pub threshold_95: Amount,
    /// FMV of the identified property received in time, whether or not it qualifies: what
    /// the 95% rule measures ((c)(4)(ii)(B)). Not in the report (its words only).
    #[serde(skip)]
    pub identified_fmv_received: Amount,
    /// Of the identified property received in time, the improvements identified and not in
    /// place when received: left out of the 95% rule's values ((c)(4)(ii), (e)(4)). Not in
    /// the report (its words only).
    #[serde(skip)]
    pub not_in_place_95: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub like_kind_fmv_received: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub non_like_kind_fmv_received: Amount,
    pub qualifying_properties: Vec<crate::id::Id>,
    pub additional_properties_allowed_three_property_rule: usize,
    #[serde(serialize_with = "serialize_money")]
    pub additional_fmv_allowed_200_percent_rule: Amount,
    pub properties: Vec<PropertyVerdict>,
    /// The identification period is still open on the report date: `valid = false` then
    /// means "not yet", not "failed".
    pub period_open: bool,
}

/// (c)(5): incidental property is not a separate property when its aggregate FMV is at most
/// 15% of the FMV of the larger item (the larger item alone: the (c)(5) example prices a
/// $1,500 kit against a $10,000 truck).
pub fn incidental_not_separate(larger_item_fmv: Amount, incidental_fmv: Amount) -> bool {
    if incidental_fmv.is_zero() {
        // The same comparison without the two products (most notices have no incidental
        // property, and every notice is asked).
        return larger_item_fmv >= Amount::ZERO;
    }
    incidental_fmv * Amount::from(100) <= larger_item_fmv * Amount::from(15)
}

/// (c)(6): an identification stays in force unless revoked in writing before the end of the
/// identification period.
fn revoked(c: &Candidate, id_end: Date) -> bool {
    c.revocation_written && c.revoked_on.is_some_and(|r| r <= id_end)
}

/// Judges the identification and receipt of every candidate.
///
/// Treas. Reg. §1.1031(k)-1(c)(1) (received within the period = identified), (c)(4)(i) (3
/// properties or 200%), (c)(4)(ii) (over-identification: nothing identified except property
/// received within the period, unless the 95% rule is met), (c)(4)(iii) and (c)(6)
/// (revocation), (c)(5) (incidental property), (d)(1) (receipt by the end of the exchange
/// period).
pub fn judge_facts(f: &IdFacts) -> Identification {
    let p = Periods {
        identification_end: f.identification_end,
        exchange_end: f.exchange_end,
    };
    let n = in_force_count(f, p);
    let three = n.counted <= 3;
    let two_hundred = n.aggregate <= f.relinquished_fmv * Amount::TWO;
    let (threshold_95, received_95, ninety_five) =
        ninety_five_percent(f, p, !n.remaining.is_empty());
    let not_in_place_95 = f
        .candidates
        .iter()
        .filter(|c| p.in_force(c) && p.received_in_time(c))
        .map(|c| c.not_in_place)
        .sum();
    let all_received_early = f
        .candidates
        .iter()
        .filter(|c| p.in_force(c))
        .all(|c| p.received_early(c));
    let (valid, rule) = if n.remaining.is_empty() {
        (false, IdRule::None)
    } else if all_received_early {
        (true, IdRule::ReceivedWithin45Days)
    } else if three {
        (true, IdRule::ThreeProperty)
    } else if two_hundred {
        (true, IdRule::TwoHundredPercent)
    } else if ninety_five {
        (true, IdRule::NinetyFivePercent)
    } else {
        (false, IdRule::None)
    };
    let v = verdicts(f, p, valid);
    Identification {
        valid,
        rule,
        remaining: n.remaining,
        properties_counted: n.counted,
        relinquished_fmv: f.relinquished_fmv,
        aggregate_identified_fmv: n.aggregate,
        three_property_rule: three,
        two_hundred_percent_rule: two_hundred,
        ninety_five_percent_rule: ninety_five,
        threshold_95,
        identified_fmv_received: received_95,
        not_in_place_95,
        like_kind_fmv_received: v.like_kind_fmv,
        non_like_kind_fmv_received: v.non_like_kind_fmv,
        qualifying_properties: v.qualifying,
        additional_properties_allowed_three_property_rule: 3usize.saturating_sub(n.counted),
        additional_fmv_allowed_200_percent_rule: (f.relinquished_fmv * Amount::TWO - n.aggregate)
            .max(Amount::ZERO),
        properties: v.properties,
        period_open: false,
    }
}

/// The two periods a candidate is judged against.
#[derive(Clone, Copy)]
struct Periods {
    identification_end: Date,
    exchange_end: Date,
}

impl Periods {
    /// Received within the identification period, which identifies it ((c)(1)).
    fn received_early(self, c: &Candidate) -> bool {
        c.received_on.is_some_and(|r| r <= self.identification_end)
    }

    /// Received by the end of the exchange period ((d)(1)).
    fn received_in_time(self, c: &Candidate) -> bool {
        c.received_on.is_some_and(|r| r <= self.exchange_end)
    }

    /// Identified by the end of the identification period ((c)(1)).
    fn timely(self, c: &Candidate) -> bool {
        c.identified_on
            .is_some_and(|d| d <= self.identification_end)
    }

    /// Counted among the identified properties at the end of the identification period:
    /// received within it, or identified in time and not revoked ((c)(6)).
    fn in_force(self, c: &Candidate) -> bool {
        self.received_early(c) || (self.timely(c) && !revoked(c, self.identification_end))
    }
}

/// The properties identified at the end of the identification period.
struct InForce {
    remaining: Vec<crate::id::Id>,
    /// Properties counted for the three-property rule.
    counted: usize,
    /// Their aggregate FMV, for the 200% rule.
    aggregate: Amount,
}

/// The properties in force, counted for the three-property rule ((c)(4)(i)(A)) with
/// incidental property over 15% as a separate property ((c)(5)), and their aggregate FMV for
/// the 200% rule ((c)(4)(i)(B)).
fn in_force_count(f: &IdFacts, p: Periods) -> InForce {
    let mut n = InForce {
        remaining: Vec::new(),
        counted: 0,
        aggregate: Amount::ZERO,
    };
    for c in f.candidates.iter().filter(|c| p.in_force(c)) {
        n.remaining.push(c.id.clone());
        n.counted += 1;
        if !c.incidental.is_zero() && !incidental_not_separate(c.fmv - c.incidental, c.incidental) {
            n.counted += 1;
        }
        n.aggregate += c.fmv;
    }
    n
}

/// A property's value for the 95% rule: its FMV when received ("determined as of the earlier
/// of the date the property is received ... or the last day of the exchange period",
/// (c)(4)(ii)), else at identification. The estimated value when finished counts only for the
/// 200% and incidental-property tests ((e)(2)(ii)); improvements built after receipt are not
/// property received ((e)(4)).
fn value_95(c: &Candidate) -> Amount {
    c.fmv_at_receipt.unwrap_or(c.fmv)
}

/// The 95% rule ((c)(4)(ii)(B)): the threshold, and whether the identified property received
/// in time reaches 95% of the aggregate FMV of all identified property.
fn ninety_five_percent(f: &IdFacts, p: Periods, any_identified: bool) -> (Amount, Amount, bool) {
    let aggregate_95: Amount = f
        .candidates
        .iter()
        .filter(|c| p.in_force(c))
        .map(value_95)
        .sum();
    let received_95: Amount = f
        .candidates
        .iter()
        .filter(|c| p.in_force(c) && p.received_in_time(c))
        .map(value_95)
        .sum();
    let threshold_95 = aggregate_95 * Amount::new(95, 2);
    (
        threshold_95,
        received_95,
        any_identified && received_95 >= threshold_95,
    )
}

/// Why one candidate counts or does not: identified late, revoked ((c)(6)), never identified,
/// over-identified ((c)(4)(ii)), received in time ((d)(1)), late, or not yet.
fn standing(c: &Candidate, p: Periods, valid: bool) -> Standing {
    let id_end = p.identification_end;
    if !p.in_force(c) {
        if c.identified_on.is_some_and(|d| d > id_end) {
            Standing::IdentifiedLate
        } else if c.identified_on.is_some() && revoked(c, id_end) {
            Standing::Revoked
        } else {
            Standing::NotIdentified
        }
    } else if !valid && !p.received_early(c) {
        Standing::OverIdentified
    } else if p.received_in_time(c) {
        Standing::Qualifies
    } else if c.received_on.is_some() {
        Standing::ReceivedLate
    } else {
        Standing::NotReceived
    }
}

/// The verdict on every candidate, and the value received as like-kind and as other property.
struct Verdicts {
    properties: Vec<PropertyVerdict>,
    qualifying: Vec<crate::id::Id>,
    like_kind_fmv: Amount,
    non_like_kind_fmv: Amount,
}

/// Each candidate's standing; property received adds its value to the like-kind property
/// received when it qualifies, to the other property received when not.
fn verdicts(f: &IdFacts, p: Periods, valid: bool) -> Verdicts {
    let mut v = Verdicts {
        properties: Vec::new(),
        qualifying: Vec::new(),
        like_kind_fmv: Amount::ZERO,
        non_like_kind_fmv: Amount::ZERO,
    };
    for c in &f.candidates {
        let standing = standing(c, p, valid);
        if c.received_on.is_some() {
            if standing == Standing::Qualifies {
                v.like_kind_fmv += value_95(c);
                v.qualifying.push(c.id.clone());
            } else {
                v.non_like_kind_fmv += value_95(c);
            }
        }
        v.properties.push(PropertyVerdict {
            id: c.id.clone(),
            standing,
            in_force: p.in_force(c),
            received_on: c.received_on,
            incidental_not_separate: c.incidental.is_zero()
                || incidental_not_separate(c.fmv - c.incidental, c.incidental),
            receipt_in_doubt: false,
            scheduled: false,
        });
    }
    v
}

/// The candidates of an exchange file: every `[[identified]]` notice, matched by id with the
/// `[[replacement]]` received, then every replacement never identified.
pub fn facts_of(f: &ExchangeFile, d: &Deadlines) -> IdFacts {
    let mut candidates: Vec<Candidate> = f
        .identified
        .iter()
        .map(|i| {
            let r = f.replacement.iter().find(|r| r.id == i.id);
            Candidate {
                id: i.id.clone(),
                fmv: i.fmv,
                fmv_at_receipt: r.map(|r| r.like_kind_price() + r.personal_property),
                not_in_place: r.map_or(Amount::ZERO, |r| r.improvements_not_in_place()),
                identified_on: Some(i.identified_on),
                revoked_on: i.revoked_on,
                revocation_written: i.revocation_written,
                received_on: r.map(|r| r.received),
                incidental: i.incidental_personal_property,
            }
        })
        .collect();
    for r in &f.replacement {
        if !f.identified.iter().any(|i| i.id == r.id) {
            candidates.push(Candidate {
                id: r.id.clone(),
                fmv: r.price + r.personal_property,
                fmv_at_receipt: Some(r.like_kind_price() + r.personal_property),
                not_in_place: r.improvements_not_in_place(),
                identified_on: None,
                revoked_on: None,
                revocation_written: true,
                received_on: Some(r.received),
                incidental: r.personal_property,
            });
        }
    }
    IdFacts {
        relinquished_fmv: f.relinquished_fmv(),
        identification_end: d.identification_end,
        exchange_end: d.exchange_end,
        candidates,
    }
}

const C4: &str = cite!(REG_1_1031_K_1 "(c)(4)");

/// Judges the identification of an exchange file as of `as_of`, with explanation and
/// findings. Before the end of a period nothing is reported as failed that can still be done.
pub fn judge(
    f: &ExchangeFile,
    d: &Deadlines,
    as_of: Date,
    t: &mut Trace,
    fx: &mut Findings,
) -> Identification {
    let facts = facts_of(f, d);
    let mut v = judge_facts(&facts);
    mark_receipts_in_doubt(f, &mut v);
    for p in &mut v.properties {
        p.scheduled = p.received_on.is_some_and(|r| r > as_of);
    }
    let id_over = as_of > d.identification_end;
    v.period_open = !id_over;
    let ex_over = as_of > d.exchange_end;
    explain_verdict(f, &v, t);
    identified_findings(f, d, fx);
    rule_findings(&v, d, id_over, ex_over, fx);
    replacement_findings(f, d, &v, (ex_over, as_of), t, fx);
    v
}

/// The steps of the verdict: what is identified, which rule it meets, what was received.
fn explain_verdict(f: &ExchangeFile, v: &Identification, t: &mut Trace) {
    crate::step!(
        t,
        "identification.aggregate_identified_fmv",
        "FMV of the properties identified (or received within the identification period) and not revoked in writing, at the end of the identification period",
        m(v.aggregate_identified_fmv),
        cite!(REG_1_1031_K_1 "(c)(1), (c)(4)(i), (c)(4)(iii), (c)(6)"),
        vec![crate::explain::Input::new(
            "in force",
            f.properties_words(&v.remaining)
        )],
    );
    crate::step!(
        t,
        "identification.rule",
        format!(
            "Identification rule: {} properties counted (three-property rule {}), {} against 200% of {} (200% rule {}), 95% rule {}",
            v.properties_counted,
            if v.three_property_rule {
                "met"
            } else {
                "not met"
            },
            m(v.aggregate_identified_fmv),
            m(v.relinquished_fmv),
            if v.two_hundred_percent_rule {
                "met"
            } else {
                "not met"
            },
            if v.ninety_five_percent_rule {
                "met"
            } else {
                "not met"
            }
        ),
        serde_plain(&v.rule),
        C4,
        {
            let mut i = inputs!["threshold 95%" => m(v.threshold_95), "received in time" => m(v.like_kind_fmv_received)];
            if !v.not_in_place_95.is_zero() {
                // Valued when received ((c)(4)(ii)): later construction is not in it ((e)(4)).
                i.push(crate::explain::Input::new(
                    "improvements not in place when received (left out)",
                    m(v.not_in_place_95),
                ));
            }
            i
        },
    );
    crate::step!(
        t,
        "identification.like_kind_fmv_received",
        "FMV of replacement property that was identified (or received within 45 days) and received by the end of the exchange period",
        m(v.like_kind_fmv_received),
        cite!(IRC_1031 "(a)(3)"; REG_1_1031_K_1 "(c)(4)(ii), (d)(1)"),
        vec![crate::explain::Input::new(
            "qualifying",
            f.properties_words(&v.qualifying_properties)
        )],
    );
}

/// Each identification made late, revoked without effect, or with incidental property that
/// counts as a separate property.
fn identified_findings(f: &ExchangeFile, d: &Deadlines, fx: &mut Findings) {
    for (k, i) in f.identified.iter().enumerate() {
        let received = f.replacement.iter().any(|r| r.id == i.id);
        if i.identified_on > d.identification_end {
            crate::finding_at!(
                fx,
                "identification_late",
                if received {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                format!("identified[{k}].identified_on"),
                format!(
                    "{} was identified on {}, after the identification period ended on {}: it is not identified{}",
                    i.id,
                    i.identified_on,
                    d.identification_end,
                    if received {
                        " and is not like-kind replacement property"
                    } else {
                        ""
                    }
                ),
                cite!(IRC_1031 "(a)(3)(A)"; REG_1_1031_K_1 "(b)(2)(i), (c)(7) Example 1"),
            );
        }
        if let Some(r) = i.revoked_on
            && (r > d.identification_end || !i.revocation_written)
        {
            crate::finding_at!(
                fx,
                "identification_revocation_ineffective",
                Severity::Warning,
                format!("identified[{k}].revoked_on"),
                format!(
                    "The revocation of {} {}: the identification stays in force and counts toward the three-property and 200% rules",
                    i.id,
                    if i.revocation_written {
                        format!(
                            "on {r} came after the identification period ended on {}",
                            d.identification_end
                        )
                    } else {
                        "was not a signed written document (revocation_written = false)".to_string()
                    }
                ),
                cite!(REG_1_1031_K_1 "(c)(6), (c)(7) Example 7"),
            );
        }
        if !incidental_not_separate(
            i.fmv - i.incidental_personal_property,
            i.incidental_personal_property,
        ) {
            crate::finding_at!(
                fx,
                "incidental_property_separate",
                Severity::Warning,
                format!("identified[{k}].incidental_personal_property"),
                format!(
                    "The incidental personal property identified with {} ({}) is more than 15% of the real property ({}): it counts as a separate property for the three-property rule",
                    i.id,
                    m(i.incidental_personal_property),
                    m(i.fmv - i.incidental_personal_property)
                ),
                cite!(REG_1_1031_K_1 "(c)(5)"),
            );
        }
    }
}

/// Too many properties identified: rescued by the 95% rule, or the identification fails;
/// nothing identified at all.
fn rule_findings(
    v: &Identification,
    d: &Deadlines,
    id_over: bool,
    ex_over: bool,
    fx: &mut Findings,
) {
    let over_identified = !v.three_property_rule && !v.two_hundred_percent_rule;
    if over_identified && v.valid && v.rule == IdRule::NinetyFivePercent {
        crate::finding!(
            fx,
            "identification_rescued_by_95_percent",
            Severity::Info,
            format!(
                "{} properties worth {} were identified, more than the three-property and 200% rules allow, but property worth {} (at least 95%: {}) was received in time, so the identification stands{}",
                v.properties_counted,
                usd(v.aggregate_identified_fmv),
                usd(v.like_kind_fmv_received),
                usd(v.threshold_95),
                valued_when_received(v)
            ),
            cite!(REG_1_1031_K_1 "(c)(4)(ii)(B)"),
        );
    } else if over_identified && v.rule != IdRule::ReceivedWithin45Days {
        crate::finding!(
            fx,
            "identification_invalid",
            // Property received within the identification period still counts ((c)(4)(ii)
            // (A)): the exchange is then partial, not failed, and the rest is other property.
            if ex_over && v.qualifying_properties.is_empty() {
                Severity::Error
            } else {
                Severity::Warning
            },
            {
                let saved = v.qualifying_properties.join(", ");
                format!(
                    "{} properties worth {} were identified: more than three and more than 200% of the relinquished {}. The taxpayer is treated as having identified nothing{}; the 95% rule needs {} of identified property received by the end of the exchange period (received so far: {}){}.",
                    v.properties_counted,
                    usd(v.aggregate_identified_fmv),
                    usd(v.relinquished_fmv),
                    if saved.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " except property received within the identification period ({saved})"
                        )
                    },
                    usd(v.threshold_95),
                    usd(v.identified_fmv_received),
                    valued_when_received(v)
                )
            },
            cite!(REG_1_1031_K_1 "(c)(4)(ii), (c)(7) Example 7"),
        );
    } else if v.remaining.is_empty() && id_over {
        crate::finding!(
            fx,
            "identification_invalid",
            Severity::Error,
            format!(
                "No replacement property was identified by {} (and none was received by then): the exchange fails and the exchange funds may be released after that day",
                d.identification_end
            ),
            cite!(IRC_1031 "(a)(3)(A)"; REG_1_1031_K_1 "(c)(1), (g)(6)(ii)"),
        );
    }
}

/// What the 95% rule's values leave out: the improvements identified and not in place when
/// the property was received, each property being valued when received ((c)(4)(ii)); the
/// estimate of the finished value counts only for the 200% and incidental-property tests
/// ((e)(2)(ii)), and later construction is not property received ((e)(4)). Says when the rule
/// would have been met at the identified price, so that the reader sees why it is not.
fn valued_when_received(v: &Identification) -> String {
    let left_out = v.not_in_place_95;
    if left_out.is_zero() {
        return String::new();
    }
    let full_threshold = v.threshold_95 + left_out * Amount::new(95, 2);
    let met_at_full = v.identified_fmv_received + left_out >= full_threshold;
    format!(
        ", each property valued when received: the {} of identified improvements not in place when received are left out, since the estimate of the finished value counts only for the 200% rule and the incidental-property test, and construction after receipt is not property received (Treas. Reg. §1.1031(k)-1(c)(4)(ii), (e)(2)(ii), (e)(4)){}",
        usd(left_out),
        if met_at_full && !v.ninety_five_percent_rule {
            "; at the identified price, with those improvements, the rule would have been met"
        } else {
            ""
        }
    )
}

/// Each replacement received late or never identified, not substantially what was
/// identified, or improved after the exchange period; personal property over 15%; nothing
/// received at all.
fn replacement_findings(
    f: &ExchangeFile,
    d: &Deadlines,
    v: &Identification,
    (ex_over, as_of): (bool, Date),
    t: &mut Trace,
    fx: &mut Findings,
) {
    for (k, r) in f.replacement.iter().enumerate() {
        if f.exchange.kind == ExchangeType::Reverse {
            continue;
        }
        let pv = v.properties.iter().find(|p| p.id == r.id);
        if r.received > d.exchange_end {
            late_finding(k, f, r, d, (ex_over, as_of), fx);
        } else if pv.is_some_and(|p| p.standing == Standing::NotIdentified) {
            crate::finding_at!(
                fx,
                "replacement_not_identified",
                Severity::Error,
                format!("replacement[{k}].id"),
                format!(
                    "{} was received on {}, after the identification period ended on {}, and was never identified (no [[identified]] with id {:?}): it is not like-kind replacement property",
                    r.id, r.received, d.identification_end, r.id
                ),
                cite!(IRC_1031 "(a)(3)(A)"; REG_1_1031_K_1 "(c)(1)-(2)"),
            );
        }
        if let Some(i) = f.identified.iter().find(|i| i.id == r.id) {
            substantially_same(k, (r, i), pv.is_some_and(|p| p.in_force), fx);
        }
        improvements(k, r, f.exchange.kind, d, t, fx);
    }
    let real: Amount = f.replacement.iter().map(|r| r.price).sum();
    let personal: Amount = f.replacement.iter().map(|r| r.personal_property).sum();
    if personal > Amount::ZERO
        && !incidental_not_separate(real, personal)
        && d.first_transfer > jiff::civil::date(2020, 12, 2)
    {
        crate::finding!(
            fx,
            "incidental_property_over_15_percent",
            Severity::Warning,
            format!(
                "Personal property received with the replacement real property ({}) is more than 15% of that real property ({}): its receipt is not disregarded under the qualified intermediary safe harbor rules, which may put the taxpayer in constructive receipt. It is boot either way.",
                m(personal),
                m(real)
            ),
            cite!(REG_1_1031_K_1 "(g)(7)(iii), (g)(9)"),
        );
    }
    if f.replacement.is_empty() && ex_over && f.exchange.kind != ExchangeType::Reverse {
        crate::finding!(
            fx,
            "replacement_late",
            Severity::Error,
            format!(
                "No replacement property was received by the end of the exchange period {}: the exchange failed",
                d.exchange_end
            ),
            cite!(IRC_1031 "(a)(3)(B)"),
        );
    }
}

/// A replacement received after the exchange period ended, or whose closing is scheduled
/// after it: "any property received by the taxpayer ... after ... the end of the exchange
/// period" is not like-kind property (IRC §1031(a)(3)(B); Treas. Reg.
/// §1.1031(k)-1(b)(2)(ii), (d)(1)). While the period is still open and the closing still to
/// come, the failure is not settled: the exchange will fail unless the property is received
/// by the end of the period, or the extension that moves a due-date cut is filed in time
/// (IRC §1031(a)(3)(B)(ii), "due date (determined with regard to extension)").
fn late_finding(
    k: usize,
    f: &ExchangeFile,
    r: &crate::model::Replacement,
    d: &Deadlines,
    (ex_over, as_of): (bool, Date),
    fx: &mut Findings,
) {
    let ahead = r.received > as_of;
    let (severity, text) = if ahead && !ex_over {
        (
            Severity::Warning,
            format!(
                "{} is scheduled to be received on {}, after the exchange period ends on {}: as entered it is not like-kind replacement property, and the exchange will fail unless it is received by {}{}",
                r.id,
                r.received,
                d.exchange_end,
                d.exchange_end,
                crate::timing::deadlines::extension_clause(d, f.taxpayer.entity, as_of, r.received)
                    .map(|c| format!(", or {c}"))
                    .unwrap_or_default()
            ),
        )
    } else if ahead {
        (
            Severity::Error,
            format!(
                "{} is to be received on {}, after the exchange period ended on {}: it is not like-kind replacement property (taxable exchange for it)",
                r.id, r.received, d.exchange_end
            ),
        )
    } else {
        (
            Severity::Error,
            format!(
                "{} was received on {}, after the exchange period ended on {}: it is not like-kind replacement property (taxable exchange for it)",
                r.id, r.received, d.exchange_end
            ),
        )
    };
    crate::finding_at!(
        fx,
        "replacement_late",
        severity,
        format!("replacement[{k}].received"),
        text,
        cite!(IRC_1031 "(a)(3)(B)"; REG_1_1031_K_1 "(b)(2)(ii), (d)(1)"),
    );
}

/// Whether the engine doubts that `r` is the property `i` identified: Treas. Reg.
/// §1.1031(k)-1(d)(1) asks for substantially the same property, and the regulation gives
/// examples, not a threshold ((d)(2) Ex. 4: 1½ of 2 acres at 75% of the FMV is substantially
/// the same; Ex. 3: the barn without the land is not), so a received value under 75% of the
/// identified FMV is in doubt (\[U\]). Unfinished property is compared at its completed
/// value ((e)(3)(iii)): the price, which includes the improvements as identified.
pub fn receipt_in_doubt(r: &crate::model::Replacement, i: &crate::model::Identified) -> bool {
    (r.price + r.personal_property) * Amount::from(100) < i.fmv * Amount::from(75)
}

/// Marks the properties received whose receipt is in doubt ([`receipt_in_doubt`]).
fn mark_receipts_in_doubt(f: &ExchangeFile, v: &mut Identification) {
    // A reverse exchange's property is received before the sale: its funds are not held.
    if f.exchange.kind == ExchangeType::Reverse {
        return;
    }
    for p in v.properties.iter_mut().filter(|p| p.received_on.is_some()) {
        let r = f.replacement.iter().find(|r| r.id == p.id);
        let i = f.identified.iter().find(|i| i.id == p.id);
        p.receipt_in_doubt = r.zip(i).is_some_and(|(r, i)| receipt_in_doubt(r, i));
    }
}

/// (d)(1): the property received must be substantially the same as the property identified;
/// a receipt in doubt ([`receipt_in_doubt`]) is flagged for review (\[U\]). While the doubt
/// stands it does not count as receiving the property for the (g)(6)(iii)(A) release.
fn substantially_same(
    k: usize,
    (r, i): (&crate::model::Replacement, &crate::model::Identified),
    in_force: bool,
    fx: &mut Findings,
) {
    // (e)(3)(iii): unfinished property is substantially the same if it would be once
    // completed, so compare the completed value: the price, which includes the improvements
    // as identified (see `improvements`).
    let completed = r.price + r.personal_property;
    if receipt_in_doubt(r, i) {
        crate::finding_at!(
            fx,
            "replacement_not_substantially_same",
            Severity::Warning,
            format!("replacement[{k}].price"),
            format!(
                "{} was identified at {} but what was received is worth {} (under 75%): check that it is substantially the same property as identified. The regulation has no numeric test; its example treats 75% of the value (1½ of 2 acres) as substantially the same [U]{}",
                r.id,
                usd(i.fmv),
                usd(completed),
                if in_force {
                    ". While this is in doubt, the receipt does not count as receiving all the replacement property the taxpayer is entitled to, so the earliest release of the exchange funds is after the exchange period ((g)(6)(iii)(A), (g)(6)(i))"
                } else {
                    ""
                }
            ),
            cite!(REG_1_1031_K_1 "(d)(1), (d)(2) Examples 3-4, (e)(3)(iii), (g)(6)(iii)(A)"),
        );
    }
}

/// (e)(3)-(4): only the improvements in place when the property is received (by the end of
/// the exchange period) are like-kind property; "any additional production ... after the
/// property is received ... will not be treated as the receipt of property of a like kind"
/// ((e)(4); (e)(5) Example (iii)). The price is taken to include the improvements as
/// identified; the figures take those not in place out of the like-kind property received
/// and count them as other property received (boot under IRC §1031(b), basis their value
/// under §1031(d)), the reading of (e)(4) with (a) that the value of construction paid for
/// with the exchange after receipt is not received as like-kind property.
/// Authority: Treas. Reg. §1.1031(k)-1(a), (e)(3)(iii), (e)(4), (e)(5) Example; IRC §1031(b),
/// (d).
fn improvements(
    k: usize,
    r: &crate::model::Replacement,
    kind: ExchangeType,
    d: &Deadlines,
    t: &mut Trace,
    fx: &mut Findings,
) {
    let Some(planned) = r.improvements_identified else {
        return;
    };
    let in_place = r.improvements_in_place.unwrap_or(Amount::ZERO);
    let missing = r.improvements_not_in_place();
    crate::step!(
        t,
        format!("improvements.{}.like_kind", r.id),
        format!(
            "Improvements to {} in place when received ({}): like-kind property; the rest of its price is construction after receipt, other property received (boot)",
            r.id, r.received
        ),
        m(in_place.min(planned)),
        cite!(REG_1_1031_K_1 "(e)(3)(iii), (e)(4), (e)(5) Example"; IRC_1031 "(b), (d)"),
        inputs!["price" => m(r.price), "identified improvements" => m(planned), "in place" => m(in_place), "like-kind part of the price" => m(r.like_kind_price()), "other property received" => m(missing)],
    );
    if in_place > planned {
        crate::finding_at!(
            fx,
            "improvements_in_place_exceed_identified",
            Severity::Warning,
            format!("replacement[{k}].improvements_in_place"),
            format!(
                "The improvements in place when {} was received ({}) are worth more than the improvements identified for it ({}). The figures count only the improvements identified as property of a like kind: property to be produced is received as identified only if it is substantially the same as the property described in the identification ((e)(3)(iii)), and the regulation gives no measure of how much more may be built. Check both figures; if more was built than identified, whether the excess is like-kind property is uncertain.",
                r.id,
                usd(in_place),
                usd(planned),
            ),
            cite!(REG_1_1031_K_1 "(e)(2), (e)(3)(iii)"),
        );
    }
    if missing > Amount::ZERO {
        crate::finding_at!(
            fx,
            "improvements_not_in_place",
            Severity::Warning,
            format!("replacement[{k}].improvements_in_place"),
            format!(
                "{} of the {} of improvements identified for {} were not in place when it was received ({}; the exchange period ends {}): they are not property of a like kind. Construction after receipt is services, so the figures count {} of the price of {} as other property received (boot, taxable up to the gain) instead of like-kind property, and give those improvements a basis of {}. The price is read as including the improvements as identified, and their value as the identified estimate less what was in place (the regulation gives no measure); if your own money rather than the exchange funds paid for them, they may not be boot (uncertain).{}",
                usd(missing),
                usd(planned),
                r.id,
                r.received,
                d.exchange_end,
                usd(missing),
                usd(r.price),
                usd(missing),
                if kind == ExchangeType::Improvement {
                    ""
                } else {
                    " The file does not call this an improvement exchange."
                }
            ),
            cite!(REG_1_1031_K_1 "(a), (e)(3)(iii), (e)(4), (e)(5) Example"; IRC_1031 "(b), (d)"),
        );
    }
}

fn serde_plain<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;
    use jiff::civil::date;

    fn c(id: &str, fmv: Amount, received: Option<Date>) -> Candidate {
        Candidate {
            id: id.into(),
            fmv,
            fmv_at_receipt: None,
            not_in_place: Amount::ZERO,
            identified_on: Some(date(2026, 3, 10)),
            revoked_on: None,
            revocation_written: true,
            received_on: received,
            incidental: Amount::ZERO,
        }
    }

    fn facts(cs: Vec<Candidate>) -> IdFacts {
        IdFacts {
            relinquished_fmv: amt!(100000),
            identification_end: date(2026, 4, 15),
            exchange_end: date(2026, 8, 28),
            candidates: cs,
        }
    }

    #[test]
    fn four_properties_over_200_percent_fail_unless_95_percent() {
        let late = Some(date(2026, 6, 1));
        let v = judge_facts(&facts(vec![
            c("L", amt!(30000), Some(date(2026, 4, 1))),
            c("M", amt!(40000), late),
            c("N", amt!(50000), late),
            c("P", amt!(90000), None),
        ]));
        assert!(!v.valid);
        assert_eq!(v.qualifying_properties, vec!["L"]);
        assert_eq!(v.like_kind_fmv_received, amt!(30000));
        assert_eq!(v.non_like_kind_fmv_received, amt!(90000));
        let v = judge_facts(&facts(vec![
            c("L", amt!(30000), late),
            c("M", amt!(40000), late),
            c("N", amt!(50000), late),
            c("P", amt!(90000), late),
        ]));
        assert_eq!((v.valid, v.rule), (true, IdRule::NinetyFivePercent));
    }

    #[test]
    fn written_revocation_within_period_removes_a_property() {
        let mut d = c("D", amt!(70000), None);
        d.revoked_on = Some(date(2026, 4, 10));
        let v = judge_facts(&facts(vec![
            c("A", amt!(60000), None),
            c("B", amt!(70000), None),
            c("C", amt!(50000), None),
            d.clone(),
        ]));
        assert_eq!((v.valid, v.rule), (true, IdRule::ThreeProperty));
        d.revocation_written = false;
        let v = judge_facts(&facts(vec![
            c("A", amt!(60000), None),
            c("B", amt!(70000), None),
            c("C", amt!(50000), None),
            d,
        ]));
        assert!(!v.valid);
    }

    #[test]
    fn late_identification_and_unidentified_receipt() {
        let mut x = c("X", amt!(100000), Some(date(2026, 6, 1)));
        x.identified_on = Some(date(2026, 4, 16));
        let mut y = c("Y", amt!(50000), Some(date(2026, 6, 1)));
        y.identified_on = None;
        let v = judge_facts(&facts(vec![x, y]));
        assert_eq!(v.properties[0].standing, Standing::IdentifiedLate);
        assert_eq!(v.properties[1].standing, Standing::NotIdentified);
        assert_eq!(v.like_kind_fmv_received, Amount::ZERO);
        assert!(!v.valid);
    }

    #[test]
    fn received_late_is_not_like_kind() {
        let v = judge_facts(&facts(vec![c("A", amt!(100000), Some(date(2026, 8, 29)))]));
        assert!(v.valid);
        assert_eq!(v.properties[0].standing, Standing::ReceivedLate);
        assert_eq!(v.non_like_kind_fmv_received, amt!(100000));
    }

    #[test]
    fn rule_names_are_the_contract_names() {
        let names: Vec<String> = [
            IdRule::ThreeProperty,
            IdRule::TwoHundredPercent,
            IdRule::NinetyFivePercent,
            IdRule::ReceivedWithin45Days,
            IdRule::None,
        ]
        .iter()
        .map(serde_plain)
        .collect();
        assert_eq!(
            names,
            [
                "three_property",
                "two_hundred_percent",
                "ninety_five_percent",
                "received_within_45_days",
                "none"
            ]
        );
    }

    #[test]
    fn incidental_property_boundary() {
        assert!(incidental_not_separate(amt!(10000), amt!(1500)));
        assert!(!incidental_not_separate(amt!(10000), amt!(1501)));
        // No incidental property: the shortcut answers as the products do.
        for larger in [amt!(-0.01), amt!(0), amt!(0.00), amt!(10000)] {
            assert_eq!(
                incidental_not_separate(larger, Amount::ZERO),
                Amount::ZERO * Amount::from(100) <= larger * Amount::from(15),
                "{larger}"
            );
        }
    }
}
