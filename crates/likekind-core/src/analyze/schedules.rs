//! Wires the special situations into the analysis: the Treas. Reg. §1.1031(j)-1
//! statement, the character and routing of the gain, the year(s) of recognition of a failed
//! or straddle exchange, the Treas. Reg. §1.168(i)-6 depreciation schedule and the §1014 step-up.
//! Each computation lives in its own module; this one only maps the exchange file onto them.

use crate::after::death::{self, DeathInputs, StepUp};
use crate::after::depreciation::{self, RelinquishedMacrs, ReplacementMacrs};
use crate::after::macrs::{Convention, Method};
use crate::after::straddle::{self, SaleFigures, Straddle, StraddleInputs};
use crate::amount::Amount;
use crate::eligibility::qualification::Qualification;
use crate::explain::Trace;
use crate::findings::{Findings, Severity};
use crate::gain::balance::Balance;
use crate::gain::basis::PropertyBasis;
use crate::gain::character::{self, Character, CharacterInputs};
use crate::gain::form8824::{Form8824Inputs, Form8824Result};
use crate::gain::multi_asset::{
    self, AssetClass, Given, GroupInput, MultiAssetInputs, MultiAssetResult, Received,
};
use crate::law::cite;
use crate::model::{ExchangeFile, LocationKind, Relinquished, Replacement, Use};
use crate::money::format_usd;
use crate::report::{MultiAsset, ReplacementDepreciation};
use crate::timing::calendar::YearEnd;
use crate::timing::constructive_receipt::{ReleaseDates, ReleaseRule};
use crate::timing::deadlines::Deadlines;
use jiff::civil::Date;

/// What an analysis computes beyond the default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Years of the Treas. Reg. §1.168(i)-6 depreciation schedule (`--depreciation YEARS`).
    pub depreciation_years: Option<u16>,
}

/// What the main analysis already computed.
pub struct Context<'a> {
    pub bal: &'a Balance,
    pub inputs: &'a Form8824Inputs,
    pub result: &'a Form8824Result,
    pub deadlines: Option<&'a Deadlines>,
    pub replacement_basis: &'a [PropertyBasis],
    pub unrecaptured: crate::gain::recapture::Unrecaptured,
    /// Line 22 split by property given up (empty with one: never split).
    pub shares: &'a [character::Line22Share],
    /// The verdict every computation follows.
    pub qualification: &'a Qualification,
    /// The timeline's (g)(6) release dates: the one judgement of what was validly identified,
    /// which the report, the ledger and the inferred release date all read.
    pub release: Option<&'a ReleaseDates>,
}

/// The issue-4 sections of the report.
pub struct Special {
    pub multi_asset: Option<MultiAsset>,
    pub character: Character,
    pub recognition_years: Option<Straddle>,
    pub depreciation: Vec<ReplacementDepreciation>,
    pub death: Option<StepUp>,
}

/// Runs every special-situation computation that applies to `f`.
pub fn run(
    f: &ExchangeFile,
    (c, multi_asset, entered): (&Context<'_>, Option<MultiAssetResult>, bool),
    opts: Options,
    t: &mut Trace,
    fx: &mut Findings,
) -> Special {
    let multi = multi_asset_section(f, c, multi_asset, t, fx).map(|m| MultiAsset {
        enters_lines_19_to_25: entered,
        ..m
    });
    let recognition_years = straddle_section(f, c, t, fx);
    let rc = &c.result.recapture;
    let l = &c.result.lines;
    let ch = character::compute(
        f,
        &CharacterInputs {
            section1245_depreciation: c.inputs.recapture.section1245_depreciation,
            section1250_additional: c.inputs.recapture.section1250_additional,
            straight_line_1250: c.inputs.recapture.straight_line_1250,
            section1245_recapture: rc.section1245,
            section1250_recapture: rc.section1250,
            line_21: l.line_21,
            line_22: l.line_22,
            unrecaptured_1250: c.unrecaptured.long_term,
            straight_line_recognized: c.unrecaptured.recognized,
            line_14: l.line_14,
            line_14_section1245: character::other_property_section1245(f),
            installment: recognition_years
                .as_ref()
                .is_some_and(|s| s.installment_method),
            fmv_1250_received: c.inputs.recapture.fmv_1250_received,
            fmv_1245_received: c.inputs.recapture.fmv_1245_received,
            deferred: l.line_24,
            shares: c.shares.to_vec(),
        },
    );
    split_findings(c, &ch, fx);
    let depreciation = match opts.depreciation_years {
        Some(y) => depreciation_section(f, c, y, t, fx),
        None => vec![],
    };
    let death = f.death.as_ref().map(|d| {
        let s = death::step_up(
            &DeathInputs {
                date_of_death: d.date,
                basis_at_death: l.line_25,
                deferred_gain: l.line_24,
                fmv_at_death: d.fmv_at_death,
                alternate_valuation: d.alternate_valuation,
                community_property: d.community_property,
            },
            t,
        );
        death_finding(d.date, (&s, l.line_24), fx);
        s
    });
    Special {
        multi_asset: multi,
        character: ch,
        recognition_years,
        depreciation,
        death,
    }
}

/// The basis at death in words (IRC §1014(a), (b)(6); §2032): a step-up eliminates the
/// deferred gain still built in at death; a value below the decedent's basis is a step-down,
/// and the loss built in is lost.
fn death_finding(died: Date, (s, deferred): (&StepUp, Amount), fx: &mut Findings) {
    let usd = format_usd;
    if s.total_gain_eliminated < Amount::ZERO {
        crate::finding!(
            fx,
            "step_down_at_death",
            Severity::Info,
            format!(
                "The owner died on {died} when the property was worth {}, less than the decedent's basis: the heirs' basis steps down to that value, and the {} loss built in at death can never be deducted. None of the {} of gain deferred by the exchange is left to be taxed: it went with the fall in value, not with the basis at death",
                usd(s.heir_basis),
                usd(-s.total_gain_eliminated),
                usd(deferred)
            ),
            cite!(IRC_1014 "(a), (b)(6)"; IRC_2032),
        );
        return;
    }
    let rest = if s.deferred_gain_eliminated < deferred {
        format!(
            "; of the {} of gain deferred by the exchange, the rest went with the fall in value",
            usd(deferred)
        )
    } else {
        String::new()
    };
    crate::finding!(
        fx,
        "step_up_at_death",
        Severity::Info,
        format!(
            "The owner died on {died}: the heirs' basis is {} and the {} of gain deferred by the exchange (including deferred recapture and unrecaptured §1250 gain) still built in at death is never taxed{rest}",
            usd(s.heir_basis),
            usd(s.deferred_gain_eliminated)
        ),
        cite!(IRC_1014 "(a), (b)(6)"; IRC_2032),
    );
}

/// Line 22 by property given up: the properties whose gain it holds are those given up in the
/// exchange (all of them in a taxable sale), each with its part of line 21 (`line_21`, from
/// [`crate::gain::recapture::Recapture::by_property`], in the same order); see
/// [`character::line_22_shares`]. Empty when there is only one: its line 22 is never split,
/// so nothing is computed.
pub fn line_22_shares(
    f: &ExchangeFile,
    q: &Qualification,
    line_22: Amount,
    line_21: &[crate::gain::recapture::PropertyLine21],
) -> Vec<character::Line22Share> {
    let in_line_22: Vec<usize> = in_line_22(f, q).collect();
    if in_line_22.len() < 2 {
        return vec![];
    }
    character::line_22_shares(f, &in_line_22, line_22, line_21)
}

/// The properties given up whose gain line 22 holds (indices): those given up in the exchange,
/// all of them in a taxable sale.
fn in_line_22<'a>(f: &'a ExchangeFile, q: &'a Qualification) -> impl Iterator<Item = usize> + 'a {
    let sale = q.is_taxable_sale();
    (0..f.relinquished.len()).filter(move |k| sale || q.eligible_at(*k))
}

/// Whether the straight-line depreciation line 22 recognizes is unrecaptured §1250 gain:
/// every property whose gain line 22 holds was held more than a year (IRC §1222) and none
/// is a dealer's property, whose gain is ordinary (IRC §§1221(a)(1), 1231(b)(1)(B)); that
/// gain is a part of long-term capital gain only (IRC §1(h)(6)(A);
/// [`character::holds_unrecaptured_1250`]).
pub fn line_22_holds_unrecaptured_1250(f: &ExchangeFile, q: &Qualification) -> bool {
    in_line_22(f, q)
        .filter_map(|k| f.relinquished.get(k))
        .all(character::holds_unrecaptured_1250)
}

/// The [U] findings of the engine's split of line 22 among several properties given up: when
/// their parts go to different places (holding period or character), and when counting
/// unrecaptured §1250 gain property by property gives less than putting the recognized gain
/// on the depreciated property first. Authority: IRC §§1(h)(6)(A), 1222, 1231(b);
/// Instructions for Form 8824, line 22; Treas. Reg. §1.1031(j)-1(b)(3).
fn split_findings(c: &Context<'_>, ch: &Character, fx: &mut Findings) {
    if !ch.line_22_by_property.is_empty() {
        let parts = || -> String {
            let each = ch.line_22_by_property.iter().map(|s| {
                format!(
                    "{} {} ({})",
                    s.property,
                    format_usd(s.amount),
                    s.reported_on
                )
            });
            each.collect::<Vec<_>>().join("; ")
        };
        // With recapture, each part is the property's share of line 20 less its own line 21.
        let less = if ch.form_4797_line_16 > Amount::ZERO {
            " (of the gain recognized, line 20), less its own recapture on line 21"
        } else {
            ""
        };
        crate::finding!(
            fx,
            "line_22_split_by_property",
            Severity::Warning,
            format!(
                "[U] The properties given up differ in holding period or character, so the recognized gain other than recapture (line 22, {}) is split among them by each one's share of the realized gain{less}: {}. This is the engine's allocation: neither §1031 nor Reg. 1.1031(j)-1 says how the gain recognized in one exchange group is divided among the properties given up in it (a split by the FMV given up would also be defensible). Each part is reported where its own property's holding period and character send it.",
                format_usd(ch.line_22),
                parts()
            ),
            cite!(FORM_8824 ", line 22"; IRC_1222; IRC_1231 "(b)"; REG_1_1031_J_1 "(b)(3)"),
        );
    }
    let first = crate::gain::recapture::unrecaptured_1250(
        c.inputs.recapture.straight_line_1250,
        c.result.lines.line_22,
    );
    // Compared only when every part is long-term: a short-term part has none (IRC
    // §1(h)(6)(A)), whatever the split.
    let all_long = c
        .shares
        .iter()
        .all(|s| s.unrecaptured_1250 == s.straight_line_recognized);
    let several = !c.shares.is_empty();
    if several && all_long && first != c.unrecaptured.long_term {
        crate::finding!(
            fx,
            "unrecaptured_1250_split_by_property",
            Severity::Warning,
            format!(
                "[U] Unrecaptured §1250 gain (25% maximum rate) is counted property by property: each property's own straight-line depreciation, up to its part of line 22 (split by share of the realized gain): {}. Putting the recognized gain on the depreciated property first would make it {}. The law read here does not settle how gain recognized in one exchange is divided among the properties given up; confirm the position taken.",
                format_usd(c.unrecaptured.long_term),
                format_usd(first)
            ),
            cite!(IRC_1 "(h)(6)(A)"; REG_1_1031_J_1 "(b)(3)"),
        );
    }
}

/// Builds the (j)-1 inputs from the file: one exchange group per like kind of real property
/// (US / foreign, §1031(h)); personal property and other property outside the groups;
/// exchange expenses passed on as such (the regulation is silent on them;
/// [`multi_asset::compute`] treats them as the Instructions for Form 8824, lines 15 and 18, do:
/// they reduce the amount realized). Money received counts the expenses paid out of the
/// exchange's money and liabilities assumed are those given as consideration, both as on the
/// form, so that the FMVs balance.
pub fn multi_asset_inputs(
    f: &ExchangeFile,
    bal: &Balance,
    exp: Amount,
    q: &Qualification,
) -> MultiAssetInputs {
    let mut other = OtherProperty::of(f);
    other.add_excluded(f, q);
    let groups = real_property_groups(f, q, &mut other);
    MultiAssetInputs {
        groups,
        liabilities_assumed: bal.liabilities_assumed_as_consideration(),
        liabilities_relieved: f.relinquished.iter().map(|r| r.liabilities_relieved).sum(),
        cash_received: bal.cash_received_total(),
        cash_paid: bal.cash_paid_to_other_party(),
        exchange_expenses: exp,
        other_given: other.given,
        other_received: other.received,
    }
}

/// Property outside the exchange groups of Treas. Reg. §1.1031(j)-1(b)(2), given and
/// received.
struct OtherProperty {
    given: Vec<Given>,
    received: Vec<Received>,
}

impl OtherProperty {
    /// The file's other property given and received, and the personal property received with
    /// each replacement (asset class III).
    fn of(f: &ExchangeFile) -> Self {
        let given = f
            .other_property_given
            .iter()
            .enumerate()
            .map(|(k, o)| Given {
                name: name_or(&o.description, &format!("other_property_given[{k}]")),
                fmv: o.fmv,
                adjusted_basis: o.adjusted_basis,
                class: o.asset_class.unwrap_or_default(),
            })
            .collect();
        let mut received: Vec<Received> = f
            .other_property_received
            .iter()
            .enumerate()
            .map(|(k, o)| Received {
                name: name_or(&o.description, &format!("other_property_received[{k}]")),
                fmv: o.fmv,
                class: o.asset_class.unwrap_or_default(),
            })
            .collect();
        for r in f
            .replacement
            .iter()
            .filter(|r| !r.personal_property.is_zero())
        {
            received.push(Received {
                name: format!("personal property received with {}", r.id),
                fmv: r.personal_property,
                class: AssetClass::III,
            });
        }
        Self { given, received }
    }

    /// Property the verdict excludes stays outside the exchange groups: given up, it is sold;
    /// received, it is other property
    /// (Treas. Reg. §1.1031(j)-1(b)(2); §1.1031(k)-1(a)).
    fn add_excluded(&mut self, f: &ExchangeFile, q: &Qualification) {
        for (k, r) in f.relinquished.iter().enumerate() {
            if !q.eligible_at(k) {
                self.given.push(Given {
                    name: r.id.to_string(),
                    fmv: r.sale_price,
                    adjusted_basis: r.adjusted_basis,
                    class: AssetClass::III,
                });
            }
        }
        for (k, r) in f.replacement.iter().enumerate() {
            if !q.like_kind_at(k) {
                self.received.push(Received {
                    name: r.id.to_string(),
                    fmv: r.price,
                    class: AssetClass::III,
                });
            }
        }
    }
}

/// One exchange group per like kind of real property the verdict admits, US and foreign
/// (IRC §1031(h)), when property of that kind is both given and received; property of a kind
/// found on one side only joins the other property.
fn real_property_groups(
    f: &ExchangeFile,
    q: &Qualification,
    other: &mut OtherProperty,
) -> Vec<GroupInput> {
    let is_us = |s: &str| LocationKind::of(s).is_none_or(LocationKind::is_us);
    let mut groups = Vec::new();
    for (us, id, desc) in [
        (
            true,
            "real_property_us",
            "US real property (all of a like kind)",
        ),
        (
            false,
            "real_property_foreign",
            "real property outside the United States (§1031(h), §7701(a)(9))",
        ),
    ] {
        let given: Vec<Given> = f
            .relinquished
            .iter()
            .enumerate()
            .filter(|(k, r)| q.eligible_at(*k) && is_us(&r.location) == us)
            .map(|(_, r)| Given {
                name: r.id.to_string(),
                fmv: r.sale_price,
                adjusted_basis: r.adjusted_basis,
                class: AssetClass::III,
            })
            .collect();
        let received: Vec<Received> = f
            .replacement
            .iter()
            .enumerate()
            .filter(|(k, r)| q.like_kind_at(*k) && is_us(&r.location) == us)
            .map(|(_, r)| Received {
                name: r.id.to_string(),
                fmv: r.like_kind_price(),
                class: AssetClass::III,
            })
            .collect();
        // Improvements not in place when received are services, not like-kind property
        // (Treas. Reg. §1.1031(k)-1(e)(4)): other property received.
        other.received.extend(
            f.replacement
                .iter()
                .enumerate()
                .filter(|(k, r)| {
                    q.like_kind_at(*k)
                        && is_us(&r.location) == us
                        && !r.improvements_not_in_place().is_zero()
                })
                .map(|(_, r)| Received {
                    name: format!("improvements to {} built after it was received", r.id),
                    fmv: r.improvements_not_in_place(),
                    class: AssetClass::III,
                }),
        );
        if !given.is_empty() && !received.is_empty() {
            groups.push(GroupInput {
                id: id.into(),
                description: desc.into(),
                given,
                received,
            });
        } else {
            other.given.extend(given);
            other.received.extend(received);
        }
    }
    groups
}

/// The shape [`real_property_groups`] would give, without building it: how many exchange
/// groups, and whether any property ends up outside them (a kind found on one side only, or
/// improvements not in place when received). What [`multi_asset_case`] needs for every
/// exchange, at the cost of a few comparisons.
fn group_shape(f: &ExchangeFile, q: &Qualification) -> (usize, bool) {
    let is_us = |s: &str| LocationKind::of(s).is_none_or(LocationKind::is_us);
    let mut given = [false; 2];
    for (k, r) in f.relinquished.iter().enumerate() {
        if q.eligible_at(k) {
            given[usize::from(!is_us(&r.location))] = true;
        }
    }
    let (mut received, mut improvements) = ([false; 2], false);
    for (k, r) in f.replacement.iter().enumerate() {
        if q.like_kind_at(k) {
            received[usize::from(!is_us(&r.location))] = true;
            improvements |= !r.improvements_not_in_place().is_zero();
        }
    }
    let groups = (0..2).filter(|&i| given[i] && received[i]).count();
    let outside = (0..2).any(|i| given[i] != received[i]) || improvements;
    (groups, outside)
}

fn name_or(d: &str, fallback: &str) -> String {
    if d.is_empty() {
        fallback.to_string()
    } else {
        d.to_string()
    }
}

/// How the Form 8824 instructions treat the exchange (their "Multi-asset exchanges").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultiAssetCase {
    /// One property given up for one received, no other property received.
    NotMultiAsset,
    /// Several properties in one group of like-kind property and no cash or other property:
    /// lines 12-25 are completed as usual.
    OneGroupOnly,
    /// More than one group of like-kind properties, or cash or other (not like-kind) property:
    /// lines 12-18 are replaced by the (j)-1 statement. `one_group`: only the cash or other
    /// property makes it so (the engine's reading of the instructions, [U]).
    StatementInsteadOfLines { one_group: bool },
}

/// The Instructions for Form 8824 call an exchange "multi-asset" when more than one property
/// is given up or received (several properties within one group included, as Treas. Reg.
/// §1.1031(j)-1(a)(1) has it), or other property is received. Other property only given up is
/// reported on lines 12-14 and does not make it one.
pub fn is_multi_asset(f: &ExchangeFile, i: &Form8824Inputs) -> bool {
    f.relinquished.len() > 1 || f.replacement.len() > 1 || !i.other_property_received_fmv.is_zero()
}

/// Which [`MultiAssetCase`] the exchange is: for a multi-asset exchange, "if you transferred
/// and received (a) more than one group of like-kind properties or (b) cash or other (not
/// like-kind) property, don't complete lines 12 through 18" but attach a statement. Cash
/// counts when money changed hands: cash to the taxpayer, other costs paid with exchange money,
/// cash paid to the other party, or boot left on line 15 (net debt relief included); exchange
/// expenses paid out of the proceeds alone do not (line 15 nets them away). Authority:
/// Instructions for Form 8824, "Multi-asset exchanges"; Treas. Reg. §1.1031(j)-1(a)(1),
/// (b)(2).
pub fn multi_asset_case(
    f: &ExchangeFile,
    bal: &Balance,
    q: &Qualification,
    i: &Form8824Inputs,
    line_15: Amount,
) -> MultiAssetCase {
    let zero = Amount::ZERO;
    if !is_multi_asset(f, i) || f.relinquished.is_empty() || q.is_taxable_sale() {
        return MultiAssetCase::NotMultiAsset;
    }
    let (groups, outside) = group_shape(f, q);
    let money_or_other = line_15 > zero
        || bal.cash_in_hand() > zero
        || bal.other_costs_paid_with_exchange_money() > zero
        || bal.cash_paid_to_other_party() > zero
        || !i.other_property_received_fmv.is_zero()
        || !i.other_property_given_fmv.is_zero()
        || outside;
    match (groups > 1, money_or_other) {
        (true, _) => MultiAssetCase::StatementInsteadOfLines { one_group: false },
        (false, true) => MultiAssetCase::StatementInsteadOfLines {
            one_group: groups == 1
                && i.other_property_received_fmv.is_zero()
                && i.other_property_given_fmv.is_zero()
                && !outside,
        },
        (false, false) => MultiAssetCase::OneGroupOnly,
    }
}

/// The (j)-1 computation, when the Form 8824 instructions replace lines 12-18 with the
/// statement, or personal or other property is given or received with the real property, or
/// the verdict excludes property (where (j)-1 and the lines may differ). Otherwise (several
/// properties in one group, no money) the lines are the (j)-1 result and nothing is computed
/// twice. Made once, before lines 19-25 are settled ([`crate::analyze`] enters them from it
/// where the instructions say so), and shown by [`run`]. Authority: Instructions for Form
/// 8824, "Multi-asset exchanges"; Treas. Reg. §1.1031(j)-1.
pub fn multi_asset_computation(
    f: &ExchangeFile,
    (bal, q): (&Balance, &Qualification),
    inputs: &Form8824Inputs,
    line_15: Amount,
    t: &mut Trace,
) -> Option<MultiAssetResult> {
    let replaces_lines = matches!(
        multi_asset_case(f, bal, q, inputs, line_15),
        MultiAssetCase::StatementInsteadOfLines { .. }
    );
    let applies = f
        .replacement
        .iter()
        .any(|r| !r.personal_property.is_zero() || !r.improvements_not_in_place().is_zero())
        || !f.other_property_given.is_empty()
        || !f.other_property_received.is_empty()
        || replaces_lines
        || !q.all_qualify();
    if !applies || f.relinquished.is_empty() || q.is_taxable_sale() {
        return None;
    }
    let i = multi_asset_inputs(f, bal, inputs.exchange_expenses, q);
    Some(multi_asset::compute(&i, t))
}

/// Why the (j)-1 statement's total and the line arithmetic shown differ, in words that fit
/// the facts: money that changed hands (netted by the residual group, not by the closings,
/// Treas. Reg. §1.1031(k)-1(j)(3) Example 2) is said only when it did, and a statement that
/// recognizes more than the lines is said to mean the lines may understate the gain.
fn j1_differs_words(bal: &Balance, j1: Amount, lines: Amount) -> String {
    let head = format!(
        "Treas. Reg. §1.1031(j)-1 recognizes {} in total; the Form 8824 line arithmetic shown here recognizes {}. For a multi-asset exchange the instructions say to skip lines 12-18 and enter lines 19-25 from the (j)-1 statement: property received outside the exchange group is not simply boot against the whole gain, and property given up is taxed only on its own gain.",
        format_usd(j1),
        format_usd(lines)
    );
    let money = bal.cash_in_hand()
        + bal.other_costs_paid_with_exchange_money()
        + bal.cash_paid_to_other_party()
        > Amount::ZERO;
    let why = match (money, j1 > lines) {
        (true, false) => {
            " Money changed hands in this exchange, and the (j)-1 figure nets money received against money paid (the residual group holds money on one side only), whereas in a deferred exchange which closing's money paid for what decides boot (cash taken out at a sale closing is not offset by own cash added at a purchase closing, Treas. Reg. §1.1031(k)-1(j)(3) Example 2). The lines shown here keep the line arithmetic; whether the statement's lower figure applies to these facts is uncertain [U]: review it with the (j)-1 statement before filing."
        }
        (true, true) => {
            " Money changed hands in this exchange, which the (j)-1 residual group nets and the closings do not (Treas. Reg. §1.1031(k)-1(j)(3) Example 2), but the statement recognizes more than the lines: the lines shown here may understate the gain (for example, property given up with nothing of its kind received is taxed on its own gain). Review it with the (j)-1 statement before filing; do not file these lines as they are."
        }
        (false, _) if j1 > lines => {
            " The statement recognizes more than the lines: the lines shown here may understate the gain (for example, property given up with nothing of its kind received is taxed on its own gain, as if sold). Review it with the (j)-1 statement before filing; do not file these lines as they are."
        }
        (false, _) => {
            " The lines shown here keep the line arithmetic; review them with the (j)-1 statement before filing."
        }
    };
    head + why
}

/// The (j)-1 section of the report: the computation of [`multi_asset_computation`], its
/// findings and its statement. Authority: Instructions for Form 8824, "Multi-asset
/// exchanges"; Treas. Reg. §1.1031(j)-1; Treas. Reg. §1.1031(k)-1(j)(3) Example 2.
fn multi_asset_section(
    f: &ExchangeFile,
    c: &Context<'_>,
    computed: Option<MultiAssetResult>,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<MultiAsset> {
    let r = computed?;
    let q = c.qualification;
    let replaces_lines = matches!(
        multi_asset_case(f, c.bal, q, c.inputs, c.result.lines.line_15),
        MultiAssetCase::StatementInsteadOfLines { .. }
    );
    let l = &c.result.lines;
    let form_total = l.line_23 + l.line_14;
    if r.total_recognized != form_total {
        crate::finding!(
            fx,
            "multi_asset_j1_differs",
            Severity::Warning,
            j1_differs_words(c.bal, r.total_recognized, form_total),
            cite!(FORM_8824 ", Multi-asset exchanges"; REG_1_1031_J_1 "(b)"; REG_1_1031_K_1 "(j)(3) Example 2"),
        );
    }
    if r.residual_group.unfilled > Amount::ZERO {
        crate::finding!(
            fx,
            "multi_asset_fmv_unbalanced",
            Severity::Warning,
            format!(
                "The FMVs given and received do not balance: {} of the residual group could not be filled with money or other property. Treas. Reg. §1.1031(j)-1(a)(2)(ii) assumes an arm's-length exchange of equal values; check the prices.",
                format_usd(r.residual_group.unfilled)
            ),
            cite!(REG_1_1031_J_1 "(a)(2)(ii), (b)(2)(iii)"),
        );
    }
    // The statement is words: written only when the explanation is kept (not for figures).
    let statement = if t.records() {
        multi_asset::statement(&r, replaces_lines)
    } else {
        String::new()
    };
    Some(MultiAsset {
        computation: r,
        statement,
        enters_lines_19_to_25: false,
    })
}

/// The year(s) of recognition when the exchange fails or leaves cash released to the
/// taxpayer. Authority: Treas. Reg. §1.1031(k)-1(j)(2), (g)(6); IRC §453.
fn straddle_section(
    f: &ExchangeFile,
    c: &Context<'_>,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<Straddle> {
    let d = c.deadlines?;
    // Only `exchange_end` and `identification_end` are read from the deadlines.
    let first_transfer = f.first_transfer()?;
    // A failed exchange: no like-kind property received (the verdict), whatever was bought.
    let failed = c.qualification.is_taxable_sale();
    let note = installment_note(f);
    let l = &c.result.lines;
    if !recognition_years_apply(f, c, failed, note) || l.line_23 <= Amount::ZERO {
        return None;
    }
    // Nobody qualified held the money (the taxpayer had it at the closing, a disqualified
    // intermediary held it as the taxpayer's agent, or the file names no qualified holder):
    // nothing kept it from the taxpayer, since the (g)(3)-(4) safe harbors and (j)(2) apply
    // only to such a holder, so it counts as received at the transfer and no release date is
    // inferred (Treas. Reg. §1.1031(k)-1(f)(1)-(2), (g)(3)-(4), (j)(2)(i)).
    let held = intermediary_held_funds(f, c.qualification);
    let release = if !held {
        Release {
            date: first_transfer,
            inferred: None,
        }
    } else {
        funds_release(f, d, failed, c.release)
    };
    let year_end = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    // the split is checked; an overflow is an error finding, never a panic.
    let s = match straddle::compute(
        &straddle_inputs(f, c, first_transfer, release.date, year_end, note),
        t,
    ) {
        Ok(s) => s,
        Err(e) => {
            crate::finding!(
                fx,
                "arithmetic_overflow",
                Severity::Error,
                e.to_string(),
                cite!(REG_1_1031_K_1 "(j)(2)"),
            );
            return None;
        }
    };
    let later = straddle::tax_year(year_end, s.received_on) > s.year_of_transfer;
    // Inferred only where a qualified holder releases the funds (see `release`).
    if let Some(why) = release.inferred {
        release_inferred_finding((release.date, s.received_on), why, fx);
    }
    received_at_exchange_end_finding(&s, release.date, c.qualification.settled, fx);
    year_end_boundary_finding(&s, d.exchange_end, release.date, year_end, fx);
    judgement_findings(f, later && held, fx);
    if s.installment_method {
        installment_finding(&s, failed, l.line_21, fx);
        if failed {
            closing_payments_finding(&s, first_transfer, fx);
            debt_reading_finding(f, c, &s, fx);
        }
    }
    Some(s)
}

/// The funds are released after the exchange period, where Treas. Reg.
/// §1.1031(k)-1(j)(2)(iii)(B) stops the installment rule while the intermediary still holds
/// them: the year of recognition counts them as received at the end of the period, the date
/// `recognition_years.received_on` gives, and the finding says so next to the release date:
/// in the past tense only once the exchange period is over (`settled`), not for a failure
/// still ahead.
fn received_at_exchange_end_finding(
    s: &Straddle,
    released: Date,
    settled: bool,
    fx: &mut Findings,
) {
    if s.received_on >= released {
        return;
    }
    crate::finding!(
        fx,
        "funds_treated_as_received",
        Severity::Info,
        format!(
            "The intermediary releases the funds on {released}, after the exchange period {} on {received}. The installment rule of Reg. 1.1031(k)-1(j)(2) stops at the end of the exchange period while the intermediary still holds the money, so the year of recognition counts the funds as received on {received}, not on {released}.",
            if settled { "ended" } else { "ends" },
            received = s.received_on
        ),
        cite!(REG_1_1031_K_1 "(j)(2)(iii)(B)"),
    );
}

/// A failed exchange under the installment method: the price the sale closing paid out (debt
/// paid off, selling expenses, other costs) never reached the intermediary, and Form 6252
/// counts it as a payment of the year of sale (Instructions for Form 6252, line 21; Temp.
/// Treas. Reg. §15a.453-1(b)(3)(i)). Treas. Reg. §1.1031(k)-1(j)(2) defers only what a QI or
/// qualified escrow holds; no authority applies the line 21 rule to a failed exchange
/// directly, so the finding says the reading is uncertain.
fn closing_payments_finding(s: &Straddle, transferred: Date, fx: &mut Findings) {
    let Some(form) = &s.form_6252 else {
        return;
    };
    let Some(paid) = form.payments_year_of_sale.filter(|p| *p > Amount::ZERO) else {
        return;
    };
    let gain = s
        .years
        .first()
        .map_or(Amount::ZERO, |y| y.gain - y.recapture_income);
    crate::finding!(
        fx,
        "installment_payment_at_closing",
        Severity::Warning,
        format!(
            "{} of the price was paid out at the {transferred} closing (debt paid off, selling expenses and other costs withheld from the proceeds) and never reached the intermediary. Form 6252 counts amounts withheld to pay off a mortgage or other debt, or to pay broker and legal fees, as payments: this is a payment received in {}, so {} of the gain (gross profit percentage {}) is reported in that year. [U] Reg. 1.1031(k)-1(j)(2) defers only the money a QI or qualified escrow holds, and no regulation, ruling or case applies the Form 6252 rule to a failed exchange directly: confirm with a tax adviser before filing.",
            format_usd(paid),
            s.year_of_transfer,
            format_usd(gain),
            form.gross_profit_percentage
        ),
        cite!(FORM_6252 ", line 21"; REG_15A_453_1 "(b)(3)(i)"; REG_1_1031_K_1 "(j)(2)"),
    );
}

/// Whether the buyer assumed the relinquished property's debt (Form 6252 line 6) or it was
/// paid off at the closing (a payment, line 21) is the file's `liabilities_assumed_by_buyer`;
/// where a property does not say, the report reads its debt as paid off, says so, and gives
/// the figures of the other reading. Authority:
/// Instructions for Form 6252, lines 5-7, 17-18 and 21; Temp. Treas. Reg.
/// §15a.453-1(b)(2)(ii)-(iii), (b)(3)(i).
fn debt_reading_finding(f: &ExchangeFile, c: &Context<'_>, s: &Straddle, fx: &mut Findings) {
    let Some(form) = &s.form_6252 else {
        return;
    };
    // Only debt whose reading the file leaves open has two readings to show.
    let debt: Amount = f
        .relinquished
        .iter()
        .filter(|r| r.liabilities_assumed_by_buyer.is_none())
        .map(|r| r.liabilities_relieved)
        .sum();
    if debt <= Amount::ZERO {
        return;
    }
    let Ok(alt) = straddle::sale_form_6252(
        &failed_sale(f, c, true),
        form.gross_profit,
        form.recapture_income_year_of_sale,
        installment_note(f),
    ) else {
        return;
    };
    let alt_paid = alt.payments_year_of_sale.unwrap_or(Amount::ZERO);
    let alt_gain = crate::money::mul_div(form.gross_profit, alt_paid, alt.contract_price)
        .map_or(Amount::ZERO, crate::money::round_cents);
    crate::finding!(
        fx,
        "form_6252_debt_reading",
        Severity::Warning,
        format!(
            "[U] The exchange file does not say whether the buyer assumed the {} of debt on the relinquished property (or took the property subject to it) or the debt was paid off at the closing. This report reads it as paid off at the closing: Form 6252 line 6 is {}, the contract price {}{}, the gross profit percentage {}, and the payoff is a payment of {}. If the buyer assumed it instead: line 6 {}, contract price {}, gross profit percentage {}, and only {} paid at the closing is a payment of {} ({} of the gain). Check the closing statement and give the part of the debt the buyer assumed in the exchange file before filing Form 6252.",
            format_usd(debt),
            format_usd(form.debt_assumed_by_buyer.unwrap_or(Amount::ZERO)),
            format_usd(form.contract_price),
            if form.debt_assumed_by_buyer.unwrap_or(Amount::ZERO).is_zero() {
                " (the selling price)"
            } else {
                ""
            },
            form.gross_profit_percentage,
            s.year_of_transfer,
            format_usd(alt.debt_assumed_by_buyer.unwrap_or(Amount::ZERO)),
            format_usd(alt.contract_price),
            alt.gross_profit_percentage,
            format_usd(alt_paid),
            s.year_of_transfer,
            format_usd(alt_gain),
        ),
        cite!(FORM_6252 ", lines 5-7, 17-18 and 21"; REG_15A_453_1 "(b)(2)(ii)-(iii), (b)(3)(i)"),
    );
}

/// The FMV of the installment obligations (buyers' notes) received: their gain is reported
/// as the notes are paid (IRC §453).
fn installment_note(f: &ExchangeFile) -> Amount {
    f.other_property_received
        .iter()
        .filter(|o| o.installment_obligation)
        .map(|o| o.fmv)
        .sum()
}

/// Whether the year of recognition needs deciding (Treas. Reg. §1.1031(k)-1(j)(2)): the
/// exchange failed, cash came back to the taxpayer, the funds were released, or a note was
/// received.
fn recognition_years_apply(f: &ExchangeFile, c: &Context<'_>, failed: bool, note: Amount) -> bool {
    failed
        || c.bal.returned_to_taxpayer > Amount::ZERO
        || f.exchange.funds_released_on.is_some()
        || note > Amount::ZERO
}

/// When the intermediary released the funds and, when the file does not say, why that date.
struct Release {
    date: Date,
    /// The reason and the authority of an inferred date; `None` when the file gives it.
    inferred: Option<(&'static str, &'static str)>,
}

/// The date the funds reach the taxpayer: the file's `funds_released_on`, or, when it is not
/// given, the earliest date Treas. Reg. §1.1031(k)-1(g)(6) lets them be released (the same
/// date as the report's release dates: a period ends at midnight on its last day, so a
/// release tied to its end comes the next day). Non-qualifying property bought with the
/// funds is a payment when received.
fn funds_release(
    f: &ExchangeFile,
    d: &Deadlines,
    failed: bool,
    timeline: Option<&ReleaseDates>,
) -> Release {
    if let Some(date) = f.exchange.funds_released_on {
        return Release {
            date,
            inferred: None,
        };
    }
    let first_bought = f.replacement.iter().map(|r| r.received).min();
    let (date, why, authority) = match (first_bought, timeline) {
        (Some(date), _) if failed => (
            date,
            "the receipt of the first property bought with the funds, a payment when received",
            cite!(REG_1_1031_K_1 "(j)(2)"),
        ),
        // The timeline's date: a late or revoked identification is no identification
        // ((g)(6)(ii) reads "has not identified replacement property").
        (None, Some(rd)) if failed => {
            let r = &rd.earliest;
            let why = match r.rule {
                ReleaseRule::NothingIdentified => {
                    "the day after the identification period, nothing having been identified in time (the earliest the exchange agreement may allow)"
                }
                _ => {
                    "the day after the exchange period (the earliest the exchange agreement may allow)"
                }
            };
            (r.earliest, why, r.authority)
        }
        // The timeline's date: the funds may be released on receipt of the last replacement
        // property only when every property identified has been received ((g)(6)(iii)(A));
        // with identified property still to come, not before the exchange period ends
        // ((g)(6)(i)), whatever was bought.
        (_, Some(rd)) if !failed => {
            let r = &rd.earliest;
            let why = match r.rule {
                ReleaseRule::NothingIdentified => {
                    "the day after the identification period, nothing having been identified in time (the earliest the exchange agreement may allow)"
                }
                ReleaseRule::AllIdentifiedReceived => {
                    "the receipt of the last replacement property identified (the earliest the exchange agreement may allow)"
                }
                // The identification period ends with the exchange period (a postponed day
                // 45 cut to it): the restrictions end then, identified or not ((g)(6)(i)).
                ReleaseRule::ExchangePeriodEnd
                    if rd.if_nothing_identified >= rd.after_exchange_period =>
                {
                    "the day after the exchange period, when the restrictions on the funds end (the identification period ends with it here; the earliest the exchange agreement may allow)"
                }
                ReleaseRule::ExchangePeriodEnd => {
                    "the day after the exchange period, because not every property identified was received (the earliest the exchange agreement may allow)"
                }
            };
            (r.earliest, why, r.authority)
        }
        _ => (
            f.replacement
                .iter()
                .map(|r| r.received)
                .max()
                .unwrap_or(d.exchange_end),
            "the receipt of the last replacement property (the earliest the exchange agreement may allow)",
            cite!(REG_1_1031_K_1 "(g)(6)(iii)(A)"),
        ),
    };
    Release {
        date,
        inferred: Some((why, authority)),
    }
}

/// The facts of the file that decide the year of recognition (Treas. Reg. §1.1031(k)-1(j)(2)):
/// a qualified intermediary is assumed in a deferred exchange unless the
/// file says otherwise; dealer property is disqualified property ((j)(2)(v)).
fn straddle_inputs(
    f: &ExchangeFile,
    c: &Context<'_>,
    transferred: Date,
    funds_released: Date,
    year_end: YearEnd,
    note: Amount,
) -> StraddleInputs {
    let l = &c.result.lines;
    let qi = intermediary_held_funds(f, c.qualification);
    StraddleInputs {
        transferred,
        funds_released,
        exchange_end: c.deadlines.map(|d| d.exchange_end),
        year_end,
        qi_or_qualified_escrow: qi,
        taxpayer_received_funds: c.qualification.taxpayer_received_funds().is_some(),
        reported_on: if character::line_22_kind(f) == character::Kind::Dealer {
            straddle::DEALER_ORDINARY_INCOME
        } else {
            straddle::FORM_4797_OR_SCHEDULE_D
        },
        bona_fide_intent: f.exchange.bona_fide_intent.unwrap_or(false),
        bona_fide_intent_given: f.exchange.bona_fide_intent.is_some(),
        disqualified_property: f.relinquished.iter().any(|r| r.use_ == Use::Dealer),
        elect_out_of_installment: f.exchange.elect_out_installment,
        gain: l.line_23,
        recapture_income: l.line_21,
        // The unrecaptured §1250 gain line 22 holds (long-term only, split by property when
        // several were given up): the straddle takes it first from the gain as paid.
        straight_line_depreciation: c.unrecaptured.long_term,
        cash: (l.line_15 - note).max(Amount::ZERO),
        installment_note: note,
        // No like-kind property received (the verdict): no Form 8824 to file.
        form_8824_filed: !c.qualification.is_taxable_sale(),
        sale: c
            .qualification
            .is_taxable_sale()
            .then(|| failed_sale(f, c, false)),
    }
}

/// A qualified intermediary (or qualified escrow or trust) held the exchange funds: the file's
/// `qualified_intermediary`, else assumed in a deferred exchange and not in a simultaneous one
/// (Treas. Reg. §1.1031(k)-1(g)(3)-(4), (j)(2)(i)-(ii)); never when the verdict finds the
/// taxpayer had the money at the closing: a disqualified person cannot be a qualified
/// intermediary ((g)(4)(iii)(A), (k)), and money the taxpayer took was held by nobody
/// ((f)(1)-(2); [`Qualification::taxpayer_received_funds`]). QA12 D1/D6: the flag alone was
/// read, so a disqualified intermediary's funds were reported under (j)(2). The timeline's
/// release dates read the same answer ([`crate::eligibility::safe_harbor::qualified_holder`]).
fn intermediary_held_funds(f: &ExchangeFile, q: &Qualification) -> bool {
    crate::eligibility::safe_harbor::qualified_holder(f, q)
}

/// The sale of a failed exchange for Form 6252: the debt the buyer assumed is the file's
/// `liabilities_assumed_by_buyer`; where a property does not say, the caller chooses the
/// reading (`unstated_assumed`), and [`debt_reading_finding`] says which one the report uses.
fn failed_sale(f: &ExchangeFile, c: &Context<'_>, unstated_assumed: bool) -> SaleFigures {
    SaleFigures {
        selling_price: f.relinquished.iter().map(|r| r.sale_price).sum(),
        liabilities_relieved: f.relinquished.iter().map(|r| r.liabilities_relieved).sum(),
        debt_assumed_by_buyer: f
            .relinquished
            .iter()
            .map(|r| match r.liabilities_assumed_by_buyer {
                Some(a) => a,
                None if unstated_assumed => r.liabilities_relieved,
                None => Amount::ZERO,
            })
            .sum(),
        to_intermediary: c.bal.sales.iter().map(|s| s.to_exchange_funds).sum(),
    }
}

/// The release date was not given: says which date Treas. Reg. §1.1031(k)-1(g)(6) gave it,
/// and, when the year of recognition counts the funds as received earlier (at the end of the
/// exchange period, (j)(2)(iii)(B)), that date too, so the finding and `recognition_years`
/// agree.
fn release_inferred_finding(
    (released, received): (Date, Date),
    (why, authority): (&'static str, &'static str),
    fx: &mut Findings,
) {
    let counted = if received < released {
        format!(
            "; for the year of recognition they count as received on {received}, the end of the exchange period, when the installment rule stops"
        )
    } else {
        String::new()
    };
    crate::finding!(
        fx,
        "funds_release_date_inferred",
        Severity::Info,
        format!(
            "The date the intermediary released the funds is not given: they are taken as released on {released}, {why}{counted}. Give the intermediary's actual release date.",
        ),
        authority,
    );
}

/// Funds still held when an exchange period ends on the last day of the tax year: Treas.
/// Reg. §1.1031(k)-1(j)(2)(iii)(B) stops the deferral "at the end of the exchange period",
/// which ends at midnight ((b)(2)), while the agreement may release them only after it
/// ((g)(6)(i)). Whether they are received in the year that ends or the next is not settled:
/// the report keeps the last day and says so.
fn year_end_boundary_finding(
    s: &Straddle,
    exchange_end: Date,
    released: Date,
    year_end: YearEnd,
    fx: &mut Findings,
) {
    if released <= exchange_end
        || s.received_on != exchange_end
        || year_end.year_end_containing(exchange_end) != exchange_end
    {
        return;
    }
    crate::finding!(
        fx,
        "exchange_period_ends_with_tax_year",
        Severity::Warning,
        format!(
            "The exchange period ends at midnight on {exchange_end}, the last day of your tax year, and the intermediary still held the funds then. The regulation stops the installment deferral at the end of the exchange period without saying whether funds that may only be released after it are received in the year that ends or in the next: this report treats them as received on {exchange_end} [U]. Reporting the gain in the next year is arguable; ask a tax adviser before filing."
        ),
        cite!(REG_1_1031_K_1 "(j)(2)(iii)(B), (g)(6)(i), (b)(2)"),
    );
}

/// The funds come back in a later tax year: the judgements the engine cannot make, bona fide
/// intent ((j)(2)(iv)) and who held the funds ((g)(3)-(4), (j)(2)(i)-(ii)), asked for when
/// the file does not give them.
fn judgement_findings(f: &ExchangeFile, later: bool, fx: &mut Findings) {
    if later && f.exchange.bona_fide_intent.is_none() {
        crate::finding_at!(
            fx,
            "bona_fide_intent_needed",
            Severity::Warning,
            "exchange.bona_fide_intent",
            "The funds come back in a later tax year than the transfer. If, on the facts at the start of the exchange period, it was reasonable to believe replacement property would be acquired in time, you had a bona fide intent and the gain can be reported in the later year under the installment method. The engine cannot judge this: set exchange.bona_fide_intent = true or false. Until then the gain is shown in the year of the transfer.",
            cite!(REG_1_1031_K_1 "(j)(2)(iv)"),
        );
    }
    if f.exchange.qualified_intermediary.is_none() && later {
        crate::finding_at!(
            fx,
            "qualified_intermediary_assumed",
            Severity::Info,
            "exchange.qualified_intermediary",
            "Assumed that a qualified intermediary (or qualified escrow/trust) held the funds, as in most delayed exchanges; set exchange.qualified_intermediary to say otherwise",
            cite!(REG_1_1031_K_1 "(g)(3)-(4), (j)(2)(i)-(ii)"),
        );
    }
}

/// The gain is reported under the installment method: the years, the forms, and the
/// recapture that stays in the year of the sale. Authority: Treas. Reg. §1.1031(k)-1(j)(2);
/// IRC §453(d), (i).
fn installment_finding(s: &Straddle, failed: bool, recapture: Amount, fx: &mut Findings) {
    crate::finding!(
        fx,
        "installment_reporting",
        Severity::Info,
        format!(
            "Installment reporting: {}. This rests on your statement that you had a bona fide intent to exchange at the start of the exchange period (a judgement the engine cannot make) and that a QI or qualified escrow held the funds. File {} for {}; recapture income of {} stays in that year (§453(i)). You may elect out of the installment method (§453(d)).",
            s.years
                .iter()
                .map(|y| format!("{} in {}", format_usd(y.gain), y.tax_year))
                .collect::<Vec<_>>()
                .join(", "),
            if failed {
                "Form 6252 (no Form 8824: no like-kind property was received)"
            } else {
                "Form 8824 and Form 6252"
            },
            s.year_of_transfer,
            format_usd(recapture)
        ),
        cite!(REG_1_1031_K_1 "(j)(2)"; IRC_453 "(d), (i)"; FORM_6252),
    );
}

/// The Treas. Reg. §1.168(i)-6 schedule per replacement: the relinquished building's adjusted
/// depreciable basis is split over the replacements' buildings by their depreciable basis.
fn depreciation_section(
    f: &ExchangeFile,
    c: &Context<'_>,
    years: u16,
    t: &mut Trace,
    fx: &mut Findings,
) -> Vec<ReplacementDepreciation> {
    let Some(rel) = one_relinquished_building(f, fx) else {
        return vec![];
    };
    let Some(building) = relinquished_building(rel, fx) else {
        return vec![];
    };
    let parts = replacement_buildings(f, c, fx);
    let total_building: Amount = parts.iter().filter(|p| p.like_kind).map(|p| p.basis).sum();
    let out: Vec<ReplacementDepreciation> = parts
        .into_iter()
        .map(|part| {
            let share = if total_building.is_zero() || !part.like_kind {
                Amount::ZERO
            } else {
                part.basis / total_building
            };
            replacement_schedule(f, rel, &building, &part, share, years, t)
        })
        .collect();
    check_depreciation_allowed(rel, &out, fx);
    out
}

/// The schedule is computed for one relinquished building only (Treas. Reg. §1.168(i)-6);
/// a file with several (or none) gets a finding instead.
fn one_relinquished_building<'f>(
    f: &'f ExchangeFile,
    fx: &mut Findings,
) -> Option<&'f Relinquished> {
    match f.relinquished.as_slice() {
        [one] => Some(one),
        _ => {
            crate::finding!(
                fx,
                "depreciation_not_computed",
                Severity::Info,
                "The Reg. 1.168(i)-6 schedule is computed for an exchange with one relinquished building; this file has several",
                cite!(REG_1_168_I_6),
            );
            None
        }
    }
}

/// The relinquished building's depreciation as the file gives it.
struct RelinquishedBuilding {
    placed_in_service: Date,
    unadjusted_basis: Amount,
    recovery_years: Amount,
    /// The records' adjusted depreciable basis, when depreciation allowed is given.
    records_adb: Option<Amount>,
}

/// The relinquished building's placed-in-service date, depreciable basis and recovery
/// period, without which there is no Treas. Reg. §1.168(i)-6 schedule (a finding says so),
/// and its adjusted depreciable basis in the records: its cost less the depreciation allowed
/// or allowable on it (the §1245 components are separate property).
fn relinquished_building(rel: &Relinquished, fx: &mut Findings) -> Option<RelinquishedBuilding> {
    let rel_years = rel
        .recovery_years
        .or(rel.property_class.map(|c| c.recovery_years()));
    let (Some(pis), Some(ub), Some(ry)) = (rel.placed_in_service, rel.depreciable_basis, rel_years)
    else {
        crate::finding_at!(
            fx,
            "depreciation_not_computed",
            Severity::Info,
            "relinquished[0]",
            "The depreciation schedule needs relinquished placed_in_service, depreciable_basis and property_class (or recovery_years); see docs/exchange-file-extensions.md",
            cite!(REG_1_168_I_6),
        );
        return None;
    };
    let records_adb = if rel.depreciation_allowed.is_zero() {
        None
    } else {
        Some((ub - (rel.depreciation_allowed - rel.section1245_depreciation)).max(Amount::ZERO))
    };
    Some(RelinquishedBuilding {
        placed_in_service: pis,
        unadjusted_basis: ub,
        recovery_years: ry,
        records_adb,
    })
}

/// The building part of one replacement's basis.
struct ReplacementBuilding<'f> {
    replacement: &'f Replacement,
    basis: Amount,
    /// Property that is not like-kind property is a new purchase: no exchanged basis
    /// continues into it (Treas. Reg. §1.168(i)-6(b)(7), (c)).
    like_kind: bool,
}

/// The building part of each replacement's basis: its price less land and §1245 components,
/// in proportion. Land is never depreciable (IRC §167; Treas. Reg. §1.167(a)-2): a
/// replacement without `land_value` gets a finding.
fn replacement_buildings<'f>(
    f: &'f ExchangeFile,
    c: &Context<'_>,
    fx: &mut Findings,
) -> Vec<ReplacementBuilding<'f>> {
    let mut parts = Vec::new();
    for (rp, b) in f.replacement.iter().zip(c.replacement_basis) {
        let land = rp.land_value.unwrap_or_default();
        if rp.land_value.is_none() {
            crate::finding_at!(
                fx,
                "land_value_missing",
                Severity::Warning,
                format!("replacement[{}].land_value", parts.len()),
                format!(
                    "{} has no land_value: the whole basis is depreciated here, but land is not depreciable; give land_value",
                    rp.id
                ),
                cite!(IRC_167; REG_1_167_A_2),
            );
        }
        // The like-kind part of the price (improvements built after receipt are not in it).
        let price = if b.like_kind {
            rp.like_kind_price()
        } else {
            rp.price
        };
        let basis = if price.is_zero() {
            Amount::ZERO
        } else {
            b.basis * (price - land - rp.section1245_value).max(Amount::ZERO) / price
        };
        parts.push(ReplacementBuilding {
            replacement: rp,
            basis,
            like_kind: b.like_kind,
        });
    }
    parts
}

/// One replacement's Treas. Reg. §1.168(i)-6 schedule: its `share` of the relinquished
/// building continues straight-line mid-month over the relinquished recovery period and the
/// rest of its building basis is depreciated as newly bought property (all of it as new
/// property when the file elects out, `elect_out_168i6`).
fn replacement_schedule(
    f: &ExchangeFile,
    rel: &Relinquished,
    building: &RelinquishedBuilding,
    part: &ReplacementBuilding<'_>,
    share: Amount,
    years: u16,
    t: &mut Trace,
) -> ReplacementDepreciation {
    let rp = part.replacement;
    let rep_years = rp
        .recovery_years
        .or(rp.property_class.map(|c| c.recovery_years()))
        .unwrap_or(building.recovery_years);
    let r = depreciation::compute(
        &RelinquishedMacrs {
            unadjusted_basis: building.unadjusted_basis * share,
            recovery_years: building.recovery_years,
            method: Method::StraightLine,
            convention: Convention::MidMonth,
            placed_in_service: building.placed_in_service,
            disposed: rel.transferred,
            adjusted_basis_at_disposition: building.records_adb.map(|a| a * share),
        },
        &ReplacementMacrs {
            recovery_years: rep_years,
            method: Method::StraightLine,
            convention: Convention::MidMonth,
            placed_in_service: rp.placed_in_service.unwrap_or(rp.received),
            depreciable_basis: Some(part.basis),
            excess_basis: Amount::ZERO,
        },
        f.exchange.elect_out_168i6,
        years,
        t,
    );
    ReplacementDepreciation {
        replacement: rp.id.clone(),
        result: r,
    }
}

/// The engine's own schedule against the file's `depreciation_allowed`: a difference of more
/// than a dollar is shown (IRC §167(c); IRC §168(b)(3), (d)(2); IRC §1016(a)(2)).
fn check_depreciation_allowed(
    rel: &Relinquished,
    out: &[ReplacementDepreciation],
    fx: &mut Findings,
) {
    let Some(first) = out.first() else {
        return;
    };
    let engine_total: Amount = out
        .iter()
        .map(|d| {
            d.result
                .relinquished_by_year
                .iter()
                .map(|x| x.amount)
                .sum::<Amount>()
        })
        .sum();
    let diff = (engine_total - (rel.depreciation_allowed - rel.section1245_depreciation)).abs();
    if diff > Amount::ONE && !first.result.relinquished_by_year.is_empty() {
        crate::finding_at!(
            fx,
            "depreciation_allowed_differs",
            Severity::Info,
            "relinquished[0].depreciation_allowed",
            format!(
                "Straight-line mid-month depreciation of the building from placed_in_service to the transfer comes to {}, but depreciation_allowed (less section1245_depreciation) is {}: the exchanged basis uses the file's figure (basis less depreciation allowed or allowable), the relinquished rows of the schedule show the computed one; check the depreciation actually allowed or allowable",
                format_usd(engine_total),
                format_usd(rel.depreciation_allowed - rel.section1245_depreciation)
            ),
            cite!([IRC_167 "(c)", IRC_168 "(b)(3), (d)(2)"]; IRC_1016 "(a)(2)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{Format, analyze, parse_exchange};

    /// [`super::group_shape`] is what [`super::real_property_groups`] builds, for every
    /// example and verdict file (one group, two, foreign, improvements, taxable sales).
    #[test]
    fn the_group_shape_is_the_groups_built() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dirs = [
            root.join("examples"),
            root.join("crates/likekind-cli/tests/verdict_files"),
        ];
        let mut seen = 0;
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                panic!("{}", dir.display());
            };
            for p in entries.flatten().map(|e| e.path()) {
                if p.extension().is_none_or(|x| x != "toml") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                let Ok(x) = parse_exchange(&text, Format::Toml) else {
                    continue;
                };
                let f = x.file();
                let q = analyze(f, jiff::civil::date(2027, 6, 1)).qualification;
                let mut other = super::OtherProperty {
                    given: Vec::new(),
                    received: Vec::new(),
                };
                let groups = super::real_property_groups(f, &q, &mut other).len();
                let outside = !other.given.is_empty() || !other.received.is_empty();
                assert_eq!(
                    super::group_shape(f, &q),
                    (groups, outside),
                    "{}",
                    p.display()
                );
                seen += 1;
            }
        }
        assert!(seen > 30, "{seen} files");
    }

    /// A failed exchange with a qualified intermediary and a bona fide intent, no release
    /// date given: `transferred` and what was identified decide when the funds may come back.
    fn failed(transferred: &str, identified: &str) -> crate::Report {
        let text = format!(
            r#"
[exchange]
as_of = "2027-06-30"
qualified_intermediary = true
bona_fide_intent = true
[taxpayer]
entity = "individual"
[[relinquished]]
id = "rel"
location = "NV"
use = "business"
acquired = "2014-01-10"
transferred = "{transferred}"
sale_price = "1000000"
adjusted_basis = "400000"
{identified}
"#
        );
        let f = parse_exchange(&text, Format::Toml);
        let Ok(f) = f else {
            panic!("valid file rejected: {f:?}");
        };
        analyze(&f, jiff::civil::date(2027, 6, 30))
    }

    fn message<'r>(r: &'r crate::Report, code: &str) -> Option<&'r str> {
        r.findings
            .iter()
            .find(|x| x.code == code)
            .map(|x| x.message.as_ref())
    }

    /// Two properties identified, one received in December with cash left over, a QI and a
    /// bona fide intent, no release date given: the funds may not come back on the receipt of
    /// the one property while the other is still to come ((g)(6)(iii)(A) needs all the
    /// property identified), only after the exchange period ((g)(6)(i)), so the boot is the
    /// next year's under the installment method ((j)(2)(iii)(B)), as the report's release
    /// dates say. Both received: the release is the last receipt, and the boot this year's.
    #[test]
    fn release_waits_for_every_property_identified() {
        let text = r#"
[exchange]
type = "delayed"
as_of = "2026-12-06"
bona_fide_intent = true
[taxpayer]
entity = "individual"
[[relinquished]]
id = "oak"
location = "CA"
acquired = "2015-06-01"
transferred = "2026-11-20"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "elm"
fmv = "800000"
identified_on = "2026-12-01"
[[identified]]
id = "pine"
fmv = "700000"
identified_on = "2026-12-01"
[[replacement]]
id = "elm"
location = "TX"
received = "2026-12-04"
price = "800000"
"#;
        let d = crate::Amount::from;
        let r = analyze(&parse_ok(text), jiff::civil::date(2026, 12, 6));
        let Some(s) = &r.recognition_years else {
            panic!("no recognition years");
        };
        assert_eq!(s.received_on, jiff::civil::date(2027, 4, 15));
        assert!(s.installment_method);
        let gain_in = |y: i16| -> crate::Amount {
            s.years
                .iter()
                .filter(|x| x.tax_year == y)
                .map(|x| x.gain)
                .sum()
        };
        assert_eq!((gain_in(2026), gain_in(2027)), (d(0), d(200_000)));
        let said = message(&r, "funds_release_date_inferred").unwrap_or_default();
        assert!(said.contains("released on 2027-04-16"), "{said}");
        let both = text.replace("price = \"800000\"\n", "price = \"800000\"\n[[replacement]]\nid = \"pine\"\nlocation = \"TX\"\nreceived = \"2026-12-05\"\nprice = \"100000\"\n");
        // Pine, identified at $700,000, received at $100,000: in doubt that it is the
        // property identified ((d)(1)), so its receipt does not release the funds either.
        let r = analyze(&parse_ok(&both), jiff::civil::date(2026, 12, 6));
        let Some(s) = &r.recognition_years else {
            panic!("no recognition years");
        };
        assert_eq!(s.received_on, jiff::civil::date(2027, 4, 15));
        let Some(c) = &r.constructive_receipt else {
            panic!("no release dates");
        };
        assert_eq!(c.earliest.earliest, jiff::civil::date(2027, 4, 16));
        assert_eq!(c.receipts_in_doubt, vec![crate::id::Id::from("pine")]);
        let said = message(&r, "replacement_not_substantially_same").unwrap_or_default();
        assert!(said.contains("(g)(6)(iii)(A)"), "{said}");
        // Identified at $120,000, its receipt at $100,000 is not in doubt: the release is the
        // last receipt, and the boot this year's.
        let sure = both.replace("fmv = \"700000\"", "fmv = \"120000\"");
        let r = analyze(&parse_ok(&sure), jiff::civil::date(2026, 12, 6));
        let Some(s) = &r.recognition_years else {
            panic!("no recognition years");
        };
        assert_eq!(s.received_on, jiff::civil::date(2026, 12, 5));
        assert!(!s.installment_method);
        assert!(
            r.constructive_receipt
                .as_ref()
                .is_some_and(|c| c.receipts_in_doubt.is_empty())
        );
    }

    /// Nothing identified and the identification period ends on December 31: the funds may
    /// come back only after it ((g)(6)(ii)), on January 1, so the gain is the next year's
    /// under the installment method ((j)(2); the pattern of (j)(2)(vi) Example 3).
    #[test]
    fn nothing_identified_by_december_31_is_received_on_january_1() {
        let r = failed("2026-11-16", "");
        let Some(s) = &r.recognition_years else {
            panic!("no recognition years");
        };
        assert_eq!(s.received_on, jiff::civil::date(2027, 1, 1));
        assert!(s.installment_method);
        let gain_in = |y: i16| {
            s.years
                .iter()
                .filter(|x| x.tax_year == y)
                .map(|x| x.gain)
                .sum::<crate::Amount>()
        };
        assert_eq!(gain_in(2026), crate::Amount::ZERO);
        assert_eq!(gain_in(2027), crate::Amount::from(600_000));
        let said = message(&r, "funds_release_date_inferred").unwrap_or_default();
        assert!(
            said.contains("released on 2027-01-01, the day after the identification period"),
            "{said}"
        );
        assert!(message(&r, "exchange_period_ends_with_tax_year").is_none());
    }

    /// Property identified, never bought, the exchange period ending on December 31: the
    /// release comes the day after ((g)(6)(i)), the deferral stops at the end of the period
    /// ((j)(2)(iii)(B)); the year the report keeps is marked uncertain.
    #[test]
    fn an_exchange_period_ending_december_31_is_marked_uncertain() {
        let r = failed(
            "2026-07-04",
            "[[identified]]\nid = \"x\"\nfmv = \"1000000\"\nidentified_on = \"2026-08-01\"",
        );
        let said = message(&r, "funds_release_date_inferred").unwrap_or_default();
        assert!(
            said.contains("released on 2027-01-01, the day after the exchange period"),
            "{said}"
        );
        let Some(boundary) = message(&r, "exchange_period_ends_with_tax_year") else {
            panic!("the year-end boundary is not said");
        };
        assert!(boundary.contains("[U]"), "{boundary}");
        // An exchange period ending any other day: no such finding.
        let r = failed(
            "2026-07-03",
            "[[identified]]\nid = \"x\"\nfmv = \"1000000\"\nidentified_on = \"2026-08-01\"",
        );
        assert!(message(&r, "exchange_period_ends_with_tax_year").is_none());
    }

    /// Identified only after day 45 and nothing bought: a late identification is no
    /// identification, so the funds may come back the day after the identification period
    /// ((g)(6)(ii)), the same day as the report's release dates and the ledger's guard, not
    /// after the exchange period. A sale on 2026-08-01 ends its 45 days on 2026-09-15: the
    /// release and the gain fall in 2026.
    #[test]
    fn a_late_identification_releases_the_funds_after_day_45() {
        let r = failed(
            "2026-08-01",
            "[[identified]]\nid = \"x\"\nfmv = \"1000000\"\nidentified_on = \"2026-09-20\"",
        );
        let Some(s) = &r.recognition_years else {
            panic!("no recognition years");
        };
        let release = r.constructive_receipt.as_ref().map(|c| c.earliest.earliest);
        assert_eq!(release, Some(jiff::civil::date(2026, 9, 16)));
        assert_eq!(Some(s.received_on), release);
        let said = message(&r, "funds_release_date_inferred").unwrap_or_default();
        assert!(
            said.contains("released on 2026-09-16, the day after the identification period"),
            "{said}"
        );
        let in_2026: crate::Amount = s
            .years
            .iter()
            .filter(|x| x.tax_year == 2026)
            .map(|x| x.gain)
            .sum();
        assert_eq!(in_2026, crate::Amount::from(600_000));
    }

    /// Furniture given up and furniture received: the line arithmetic would recognize 130,000,
    /// Treas. Reg. §1.1031(j)-1 recognizes 80,000 (vector
    /// derived-1031j-residual-group-personal-property); lines 19-25 are entered from the
    /// statement (Instructions for Form 8824, Multi-asset exchanges), so nothing differs.
    #[test]
    fn lines_19_to_25_follow_the_j1_statement() {
        let f = parse_exchange(
            r#"
[exchange]
as_of = "2026-11-25"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2010-01-01"
transferred = "2026-03-02"
sale_price = "900000"
adjusted_basis = "400000"
[[identified]]
id = "b"
fmv = "950000"
identified_on = "2026-03-10"
[[replacement]]
id = "b"
location = "TX"
received = "2026-05-01"
price = "950000"
personal_property = "50000"
[[other_property_given]]
description = "furniture"
fmv = "100000"
adjusted_basis = "20000"
"#,
            Format::Toml,
        );
        let Ok(f) = f else {
            panic!("valid file rejected: {f:?}");
        };
        let r = analyze(&f, jiff::civil::date(2026, 11, 25));
        assert_eq!(r.gain.total_recognized, crate::Amount::from(80000));
        assert_eq!(r.form_8824.line_25, crate::Amount::from(450000));
        let Some(ma) = &r.multi_asset else {
            panic!("no multi_asset section");
        };
        assert_eq!(ma.computation.total_recognized, crate::Amount::from(80000));
        assert_eq!(
            ma.computation.groups[0].basis_received,
            crate::Amount::from(450000)
        );
        assert!(
            !r.findings
                .iter()
                .any(|x| x.code == "multi_asset_j1_differs")
        );
    }

    /// Two for two with cash out at a sale, own cash in at a purchase, debt down and 35,000 of
    /// exchange expenses (QA file multi-two-for-two-boot-both-ways): the (j)-1 statement treats
    /// the expenses as the form does, so its realized and recognized gain are lines 19 and 23,
    /// and the FMVs balance (no unfilled residual group, no difference to report).
    #[test]
    fn j1_statement_treats_exchange_expenses_as_the_form_does() {
        let f = parse_exchange(TWO_FOR_TWO, Format::Toml);
        let Ok(f) = f else {
            panic!("valid file rejected: {f:?}");
        };
        let r = analyze(&f, jiff::civil::date(2026, 12, 6));
        let d = crate::Amount::from;
        assert_eq!(r.form_8824.line_19, d(615_000));
        assert_eq!(r.form_8824.line_23, d(165_000));
        let Some(ma) = &r.multi_asset else {
            panic!("no multi_asset section");
        };
        let g = &ma.computation.groups[0];
        assert_eq!(g.exchange_expenses, d(35_000));
        assert_eq!(g.gain_realized, r.form_8824.line_19);
        assert_eq!(ma.computation.total_recognized, r.form_8824.line_23);
        assert_eq!(g.basis_received, r.form_8824.line_25);
        assert_eq!(ma.computation.residual_group.unfilled, d(0));
        for code in ["multi_asset_fmv_unbalanced", "multi_asset_j1_differs"] {
            assert!(message(&r, code).is_none(), "{code} raised");
        }
    }

    const TWO_FOR_TWO: &str = r#"
[exchange]
type = "delayed"
as_of = "2026-12-06"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2010-01-04"
transferred = "2026-03-02"
sale_price = "600000"
adjusted_basis = "200000"
depreciation_allowed = "100000"
liabilities_relieved = "250000"
exchange_expenses = "20000"
cash_received = "30000"
[[relinquished]]
id = "b"
location = "TX"
acquired = "2012-01-04"
transferred = "2026-03-12"
sale_price = "400000"
adjusted_basis = "150000"
exchange_expenses = "10000"
[[identified]]
id = "x"
fmv = "500000"
identified_on = "2026-04-01"
[[identified]]
id = "y"
fmv = "300000"
identified_on = "2026-04-01"
[[replacement]]
id = "x"
location = "TX"
received = "2026-06-01"
price = "500000"
liabilities_assumed = "200000"
cash_paid = "20000"
exchange_expenses = "5000"
[[replacement]]
id = "y"
location = "TX"
received = "2026-07-01"
price = "300000"
"#;

    /// The multi-asset finding and the report agree: where the finding points to the report's
    /// multi-asset section, there is one, and its statement says lines 12-18 are not
    /// completed; one building for two with only exchange expenses (QA file
    /// multi-one-for-two-expenses-only) is told to complete lines 12-25, and has no statement.
    #[test]
    fn multi_asset_finding_matches_the_report() {
        let one_for_two = parse_exchange(ONE_FOR_TWO_EXPENSES_ONLY, Format::Toml);
        let two_for_one = parse_exchange(TWO_FOR_ONE_CASH, Format::Toml);
        let (Ok(one_for_two), Ok(two_for_one)) = (one_for_two, two_for_one) else {
            panic!("valid file rejected");
        };
        let day = jiff::civil::date(2026, 12, 6);
        let r = analyze(&one_for_two, day);
        let Some(msg) = message(&r, "multi_asset_exchange") else {
            panic!("no multi_asset_exchange finding");
        };
        assert!(msg.contains("Complete lines 12-25"), "{msg}");
        assert!(!msg.contains("multi-asset section"), "{msg}");
        assert!(r.multi_asset.is_none());
        for f in [&two_for_one, &parse_ok(TWO_FOR_TWO)] {
            let r = analyze(f, day);
            let Some(msg) = message(&r, "multi_asset_exchange") else {
                panic!("no multi_asset_exchange finding");
            };
            assert!(
                msg.contains("multi-asset section is that statement"),
                "{msg}"
            );
            assert!(msg.starts_with("[U] "), "{msg}");
            let Some(ma) = &r.multi_asset else {
                panic!("the finding points to a multi-asset section the report lacks");
            };
            assert!(ma.statement.contains("lines 12-18 not completed"));
        }
    }

    fn parse_ok(s: &str) -> crate::Exchange {
        match parse_exchange(s, Format::Toml) {
            Ok(f) => f,
            Err(e) => panic!("valid file rejected: {e:?}"),
        }
    }

    const ONE_FOR_TWO_EXPENSES_ONLY: &str = r#"
[exchange]
type = "delayed"
as_of = "2026-12-06"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2010-01-04"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
exchange_expenses = "40000"
[[identified]]
id = "x"
fmv = "560000"
identified_on = "2026-04-01"
[[identified]]
id = "y"
fmv = "400000"
identified_on = "2026-04-01"
[[replacement]]
id = "x"
location = "TX"
received = "2026-06-01"
price = "560000"
[[replacement]]
id = "y"
location = "TX"
received = "2026-07-01"
price = "400000"
"#;

    /// Two lots given up, one held six months (QA file multi-short-and-long-term-boot).
    const TWO_FOR_ONE_CASH: &str = r#"
[exchange]
type = "delayed"
as_of = "2026-12-06"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "short"
location = "TX"
acquired = "2025-09-01"
transferred = "2026-03-02"
sale_price = "500000"
adjusted_basis = "300000"
[[relinquished]]
id = "long"
location = "TX"
acquired = "2016-01-04"
transferred = "2026-03-02"
sale_price = "500000"
adjusted_basis = "100000"
[[identified]]
id = "x"
fmv = "800000"
identified_on = "2026-04-01"
[[replacement]]
id = "x"
location = "TX"
received = "2026-06-01"
price = "800000"
"#;

    /// Building A (depreciated 100,000; realized gain 400,000 less 20,000 expenses) and lot B
    /// (a capital asset; gain 240,000), line 22 165,000: A's part goes to Form 4797, B's to
    /// Schedule D, with a [U] finding; unrecaptured §1250 gain is A's depreciation up to A's
    /// part (here all of it, so no second finding).
    #[test]
    fn line_22_split_between_building_and_lot() {
        let r = analyze(&parse_ok(TWO_FOR_TWO), jiff::civil::date(2026, 12, 6));
        let d = crate::Amount::from;
        let parts = &r.character.line_22_by_property;
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].amount + parts[1].amount, d(165_000));
        assert!(parts[0].reported_on.starts_with("Form 4797, Part I"));
        assert!(parts[1].reported_on.contains("long-term capital gain"));
        assert_eq!(r.gain.unrecaptured_1250, d(100_000));
        assert!(message(&r, "line_22_split_by_property").is_some_and(|m| m.starts_with("[U] ")));
        assert!(message(&r, "unrecaptured_1250_split_by_property").is_none());
        // Y bought for 60,000 more, less boot: A's part (about 61% of line 22) is below its
        // depreciation.
        let less = TWO_FOR_TWO.replace("price = \"300000\"", "price = \"360000\"");
        let r = analyze(&parse_ok(&less), jiff::civil::date(2026, 12, 6));
        let a = &r.character.line_22_by_property[0];
        assert!(a.amount < d(100_000), "{a:?}");
        assert_eq!(r.gain.unrecaptured_1250, a.unrecaptured_1250);
        assert!(message(&r, "unrecaptured_1250_split_by_property").is_some());
    }

    /// Two lots, one held six months, 200,000 of cash boot, in either order (QA files
    /// multi-short-and-long-term-boot, multi-long-first-short-second-boot): a third of the
    /// recognized gain is short-term, two thirds long-term, whatever the order.
    #[test]
    fn short_and_long_term_parts_whatever_the_order() {
        let at = |s: &str, pat: &str| s.find(pat).unwrap_or(0);
        let text = TWO_FOR_ONE_CASH;
        let (short_at, long_at) = (
            at(text, "[[relinquished]]"),
            at(text, "[[relinquished]]\nid = \"long\""),
        );
        let id_at = at(text, "[[identified]]");
        let reversed = format!(
            "{}{}{}{}",
            &text[..short_at],
            &text[long_at..id_at],
            &text[short_at..long_at],
            &text[id_at..]
        );
        assert_ne!(reversed, text);
        for text in [text, reversed.as_str()] {
            let r = analyze(&parse_ok(text), jiff::civil::date(2026, 12, 6));
            let on = |place: &str| -> crate::Amount {
                r.character
                    .routing
                    .iter()
                    .filter(|x| x.reported_on == place)
                    .map(|x| x.amount)
                    .sum()
            };
            let short_term = on("Schedule D / Form 8949: short-term capital gain");
            let long_term = on("Schedule D / Form 8949: long-term capital gain");
            assert_eq!(short_term + long_term, crate::Amount::from(200_000));
            let third = crate::Amount::new(6_666_667, 2);
            assert!(
                (short_term - third).abs() <= crate::Amount::new(1, 2),
                "{short_term}"
            );
            assert!(message(&r, "line_22_split_by_property").is_some());
        }
    }

    /// A rental building held ten months, depreciated 12,000, given up for a smaller one with
    /// 50,000 of cash boot: held one year or less, all its 12,000 of depreciation is additional
    /// depreciation (IRC §1250(b)(1)), recaptured on line 21 within the 50,000 recognized
    /// (§1250(d)(4)); the other 38,000 is ordinary gain (Form 4797 Part II), none of it
    /// unrecaptured §1250 gain, which is long-term gain only (IRC §1(h)(6)(A)), and nothing
    /// stays with the replacement. Held more than a year, the same exchange has no line 21,
    /// 12,000 of unrecaptured §1250 gain and the same nothing carried.
    #[test]
    fn no_unrecaptured_1250_gain_on_property_held_a_year_or_less() {
        let text = r#"
[exchange]
type = "delayed"
as_of = "2026-12-06"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "duplex"
use = "business"
location = "TX"
acquired = "2025-05-01"
transferred = "2026-03-02"
sale_price = "500000"
adjusted_basis = "300000"
depreciation_allowed = "12000"
[[identified]]
id = "x"
fmv = "450000"
identified_on = "2026-04-01"
[[replacement]]
id = "x"
location = "TX"
received = "2026-06-01"
price = "450000"
"#;
        let d = crate::Amount::from;
        let r = analyze(&parse_ok(text), jiff::civil::date(2026, 12, 6));
        assert_eq!(r.form_8824.line_21, d(12_000), "{:?}", r.form_8824);
        assert_eq!(r.form_8824.line_22, d(38_000), "{:?}", r.form_8824);
        assert!(r.character.line_22_reported_on.contains("Part II"));
        assert_eq!(
            r.character.additional_depreciation_carried_to_replacement,
            d(0)
        );
        assert_eq!(r.gain.unrecaptured_1250, d(0));
        assert_eq!(r.character.unrecaptured_1250_recognized, d(0));
        assert_eq!(r.gain.unrecaptured_1250_deferred, d(0));
        assert!(
            !r.character
                .routing
                .iter()
                .any(|x| x.what.contains("unrecaptured"))
        );
        let long = text.replace("2025-05-01", "2016-05-01");
        let r = analyze(&parse_ok(&long), jiff::civil::date(2026, 12, 6));
        assert_eq!(r.form_8824.line_21, d(0));
        assert_eq!(r.gain.unrecaptured_1250, d(12_000));
        assert_eq!(r.gain.unrecaptured_1250_deferred, d(0));
        // Less boot than depreciation: 5,000 recognized; the other 7,000 stays with the
        // replacement whether or not the property was held a year: as additional
        // depreciation when it was held one year or less (5,000 recaptured on line 21), as
        // unrecaptured §1250 gain when it was held longer.
        for (acquired, additional, unrecaptured) in [
            ("2025-05-01", d(7_000), d(0)),
            ("2016-05-01", d(0), d(7_000)),
        ] {
            let t = text
                .replace("2025-05-01", acquired)
                .replace("\"450000\"", "\"495000\"");
            let r = analyze(&parse_ok(&t), jiff::civil::date(2026, 12, 6));
            assert_eq!(
                r.gain.unrecaptured_1250_deferred, unrecaptured,
                "{acquired}"
            );
            assert_eq!(
                r.character.additional_depreciation_carried_to_replacement, additional,
                "{acquired}"
            );
            assert_eq!(r.form_8824.line_23, d(5_000), "{acquired}");
        }
    }

    /// Two properties given up, the depreciated one held six months: its part of line 22 has
    /// no unrecaptured §1250 gain (IRC §1(h)(6)(A)).
    #[test]
    fn short_term_part_of_a_split_line_22_has_no_unrecaptured_1250() {
        let text = TWO_FOR_ONE_CASH.replace(
            "adjusted_basis = \"300000\"",
            "adjusted_basis = \"300000\"\nuse = \"business\"\ndepreciation_allowed = \"5000\"",
        );
        let r = analyze(&parse_ok(&text), jiff::civil::date(2026, 12, 6));
        let parts = &r.character.line_22_by_property;
        assert_eq!(parts.len(), 2, "{:?}", r.character);
        let short = parts.iter().find(|p| p.property.as_str() == "short");
        assert!(short.is_some_and(|p| p.amount > crate::Amount::from(5_000)));
        assert!(short.is_some_and(|p| p.unrecaptured_1250.is_zero()));
        assert_eq!(r.gain.unrecaptured_1250, crate::Amount::ZERO);
        assert!(message(&r, "unrecaptured_1250_split_by_property").is_none());
    }
}
