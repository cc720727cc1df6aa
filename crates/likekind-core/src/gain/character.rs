//! Character of the recognized gain and where each amount is reported.
//!
//! Line 21 (ordinary recapture under §1245(b)(4) / §1250(d)(4)) goes to Form 4797 line 16;
//! line 22 goes to Form 4797 line 5 (§1231 property held more than a year), Form 4797 Part II
//! (held a year or less), Schedule D / Form 8949 (a capital asset), or Form 6252 when the
//! installment method applies. Unrecaptured §1250 gain (25% maximum rate) is the part of
//! line 22 due to straight-line depreciation on real property; what is not recognized now
//! stays with the replacement, as does §1245 and additional §1250 depreciation not
//! recaptured (Treas. Reg. §§1.1245-2(a)(4), 1.1250-3(d); Instructions for Form 8824, lines 21-22).

use crate::amount::Amount;
use crate::law::cite;
use crate::model::{ExchangeFile, Relinquished, Use};
use serde::Serialize;

/// One amount and the form line it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    pub what: crate::explain::Text,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub amount: Amount,
    pub reported_on: crate::explain::Text,
    pub authority: crate::explain::Text,
}

/// The report's `character` section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Character {
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub section1245_recapture: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub section1250_recapture: Amount,
    /// Line 21 = Form 4797 line 16.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub form_4797_line_16: Amount,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub line_22: Amount,
    /// Where line 22 goes; when the properties given up go to different places, a summary of
    /// the split (each part in `line_22_by_property` and `routing`); [`NO_LINE_22`] when line
    /// 22 is zero.
    pub line_22_reported_on: crate::explain::Text,
    /// Line 22 split among the properties given up, only when their holding periods or
    /// characters differ (absent otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub line_22_by_property: Vec<Line22Share>,
    /// Unrecaptured §1250 gain within the recognized gain (25% rate).
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub unrecaptured_1250_recognized: Amount,
    /// Of the gain on other property given up (line 14), the ordinary income of §1245
    /// recapture on depreciated personal property, figured in Form 4797 Part III.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub other_property_section1245_recapture: Amount,
    /// Straight-line depreciation not recognized now: unrecaptured §1250 gain carried into
    /// the replacement.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub unrecaptured_1250_carried_to_replacement: Amount,
    /// §1245 depreciation not recaptured now, carried into the replacement.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub section1245_carried_to_replacement: Amount,
    /// §1250 additional depreciation not recaptured now, carried into the replacement: the
    /// depreciation above straight line, and all the depreciation of a building held one year
    /// or less (IRC §1250(b)(1)), less what line 21 recaptured.
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub additional_depreciation_carried_to_replacement: Amount,
    pub routing: Vec<Route>,
    /// Line 22 by property given up, split or not (empty with one property given up): what
    /// the planner reads for the kind of each part. Not in the report's JSON, which shows
    /// `line_22_by_property` only when the parts go to different places.
    #[serde(skip)]
    pub line_22_parts: Vec<Line22Share>,
}

/// One property given up: its part of line 22, where that part is reported, and the
/// unrecaptured §1250 gain within it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line22Share {
    pub property: crate::id::Id,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub amount: Amount,
    pub reported_on: crate::explain::Text,
    #[serde(serialize_with = "crate::money::serialize_money")]
    pub unrecaptured_1250: Amount,
    /// The property's straight-line depreciation its part of line 22 recognizes now, whatever
    /// its holding period: what no longer stays with the replacement. Equal to
    /// `unrecaptured_1250` for a property held more than a year; for one held a year or less
    /// the gain is ordinary and none of it is unrecaptured §1250 gain (IRC §1(h)(6)(A)).
    #[serde(skip)]
    pub straight_line_recognized: Amount,
    /// What the part is ([`Kind`]): the character the route above is chosen by.
    #[serde(skip)]
    pub kind: Kind,
}

/// The depreciation and recapture figures the section is built from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CharacterInputs {
    pub section1245_depreciation: Amount,
    pub section1250_additional: Amount,
    pub straight_line_1250: Amount,
    pub section1245_recapture: Amount,
    pub section1250_recapture: Amount,
    pub line_21: Amount,
    pub line_22: Amount,
    pub unrecaptured_1250: Amount,
    /// Straight-line depreciation line 22 recognizes now, long-term or not: what is carried
    /// into the replacement is the rest (equal to `unrecaptured_1250` when every property
    /// given up was held more than a year).
    pub straight_line_recognized: Amount,
    /// Line 14: gain or (loss) on other property given up.
    pub line_14: Amount,
    /// Of line 14, the §1245 recapture on depreciated personal property given up
    /// ([`other_property_section1245`]).
    pub line_14_section1245: Amount,
    /// The installment method applies to line 22 (a straddle exchange, Treas.
    /// Reg. §1.1031(k)-1(j)(2)).
    pub installment: bool,
    /// FMV of §1250 property (buildings) received, when known (`land_value` given).
    pub fmv_1250_received: Option<Amount>,
    /// FMV of §1245 property received.
    pub fmv_1245_received: Amount,
    /// The gain deferred (line 24, none in a taxable sale): what is carried cannot exceed it.
    pub deferred: Amount,
    /// Line 22 by property given up ([`line_22_shares`]); may be empty with one property
    /// given up, whose line 22 is never split.
    pub shares: Vec<Line22Share>,
}

/// True when the property given up is §1231 property (business use or depreciated real
/// property; IRC §1231(b)), false for a capital asset such as investment land.
pub fn is_section_1231(f: &ExchangeFile) -> bool {
    f.relinquished.iter().any(is_section_1231_property)
}

/// One property given up is §1231 property: used in a business, or depreciated real property
/// (held for the production of rent) (IRC §1231(b)).
pub(crate) fn is_section_1231_property(r: &Relinquished) -> bool {
    r.use_ == Use::Business || !r.depreciation_allowed.is_zero()
}

/// Where line 22 goes: Form 4797 Part I (line 5) for §1231 property held more than a year
/// (business or depreciated real property), Form 4797 Part II when held a year or less,
/// Schedule D / Form 8949 for investment land (a capital asset), ordinary income for a
/// dealer's property ([`DEALER`]). Holding period: more than one year after acquisition.
/// Read over every property given up, it is the place of one property's line 22; with several,
/// [`compute`] takes the place of their parts instead, and names none when line 22 is zero
/// ([`NO_LINE_22`]). Authority: Instructions for Form 8824, line 22; IRC §§1221(a)(1), 1222,
/// 1231(b).
pub fn line_22_destination(f: &ExchangeFile) -> &'static str {
    line_22_kind(f).reported_on()
}

/// What line 22 is when it is not split ([`line_22_destination`] is where it goes): a
/// dealer's ordinary income when every property given up was held for sale to customers,
/// else §1231 or capital gain, long- or short-term by whether every property was held more
/// than a year (IRC §§1221(a)(1), 1222, 1231(b)).
pub fn line_22_kind(f: &ExchangeFile) -> Kind {
    if !f.relinquished.is_empty() && f.relinquished.iter().all(is_dealer) {
        return Kind::Dealer;
    }
    let long = f.relinquished.iter().all(held_long);
    kind(is_section_1231(f), long)
}

/// The character of a part of line 22, from which its route follows. Gain on §1231-type
/// property held one year or less is not §1231 gain (IRC §1231(b)(1) needs property "held for
/// more than 1 year") nor capital gain (a capital asset excludes depreciable or real property
/// used in a business, IRC §1221(a)(2)): it is ordinary (Form 4797 Part II). A dealer's gain is
/// ordinary too (IRC §1221(a)(1)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Kind {
    /// §1231 gain: §1231 property held more than a year (Form 4797 Part I).
    #[default]
    Section1231,
    /// Ordinary gain on §1231-type property held one year or less (Form 4797 Part II).
    ShortHeldOrdinary,
    /// Long-term capital gain (a capital asset held more than a year).
    LongTermCapital,
    /// Short-term capital gain (a capital asset held one year or less, IRC §1222(1)).
    ShortTermCapital,
    /// A dealer's ordinary income ([`DEALER`]).
    Dealer,
}

impl Kind {
    /// Where a part of this kind is reported (Instructions for Form 8824, line 22).
    pub fn reported_on(self) -> &'static str {
        match self {
            Kind::Section1231 => "Form 4797, Part I (line 5): §1231 gain",
            Kind::ShortHeldOrdinary => "Form 4797, Part II: ordinary gain (held one year or less)",
            Kind::LongTermCapital => "Schedule D / Form 8949: long-term capital gain",
            Kind::ShortTermCapital => "Schedule D / Form 8949: short-term capital gain",
            Kind::Dealer => DEALER,
        }
    }

    /// Ordinary income: neither capital gain nor §1231 gain.
    pub fn is_ordinary(self) -> bool {
        matches!(self, Kind::ShortHeldOrdinary | Kind::Dealer)
    }
}

/// Where a dealer's gain goes: property held primarily for sale to customers is neither a
/// capital asset (IRC §1221(a)(1)) nor §1231 property (§1231(b)(1)(B)), so its gain is
/// ordinary income of the business, whatever the holding period. Worded as a place, so it
/// reads after "Report it on" as the other places do (QA12 D9).
pub(crate) const DEALER: &str = "Schedule C or the business's return, as ordinary income (property held for sale to customers is not a capital asset, IRC §1221(a)(1), nor §1231 property, §1231(b)(1)(B))";

pub(crate) fn is_dealer(r: &Relinquished) -> bool {
    r.use_ == crate::model::Use::Dealer
}

/// Whether the straight-line depreciation a property's recognized gain holds is unrecaptured
/// §1250 gain: that is a part of long-term capital gain only (IRC §1(h)(6)(A)), so none on a
/// property held one year or less (short-term, IRC §1222) and none on a dealer's property
/// held for sale to customers, whose whole gain is ordinary income (IRC §§1221(a)(1),
/// 1231(b)(1)(B); QA12 D4).
pub fn holds_unrecaptured_1250(r: &Relinquished) -> bool {
    held_long(r) && !is_dealer(r)
}

/// Held more than one year when given up (IRC §1222).
pub(crate) fn held_long(r: &Relinquished) -> bool {
    r.transferred > crate::timing::calendar::add_months(r.acquired, 12)
}

/// The §1250 "additional depreciation" of a property given up (IRC §1250(b)(1)): "in the
/// case of any property, the depreciation adjustments in respect of such property; except
/// that, in the case of property held more than one year", only those in excess of straight
/// line. Held more than one year ([`held_long`]), the file's `additional_depreciation`; held
/// one year or less, all its depreciation other than that on its §1245 components (which
/// §1245 recaptures), whatever `additional_depreciation` says.
pub fn additional_depreciation_of(r: &Relinquished) -> Amount {
    if held_long(r) {
        r.additional_depreciation
    } else {
        (r.depreciation_allowed - r.section1245_depreciation).max(Amount::ZERO)
    }
}

/// The straight-line depreciation on a property given up that is not additional depreciation
/// (IRC §1250(b)(1), [`additional_depreciation_of`]): the unrecaptured §1250 gain it holds
/// (IRC §1(h)(6)(A)). None on a property held one year or less, all of whose depreciation is
/// additional depreciation.
pub fn straight_line_of(r: &Relinquished) -> Amount {
    (r.depreciation_allowed - additional_depreciation_of(r) - r.section1245_depreciation)
        .max(Amount::ZERO)
}

/// Where one property's part of line 22 goes: [`line_22_destination`] for that property alone
/// (IRC §§1222, 1231(b); Instructions for Form 8824, line 22).
fn property_kind(r: &Relinquished) -> Kind {
    if is_dealer(r) {
        return Kind::Dealer;
    }
    kind(is_section_1231_property(r), held_long(r))
}

fn kind(section1231: bool, long: bool) -> Kind {
    match (section1231, long) {
        (true, true) => Kind::Section1231,
        (true, false) => Kind::ShortHeldOrdinary,
        (false, true) => Kind::LongTermCapital,
        (false, false) => Kind::ShortTermCapital,
    }
}

/// One property given up: its own realized gain or (loss), its sale price (the amount
/// realized before expenses) less its adjusted basis and the exchange expenses at its sale.
/// The one measure of a property's gain the engine splits line 22 by ([`line_22_shares`]) and
/// caps its line 21 recapture with (IRC §§1001(a), 1245(a)(1), 1250(a)(1)(A)).
pub fn realized_gain_of(r: &Relinquished) -> Amount {
    r.sale_price - r.adjusted_basis - r.exchange_expenses
}

/// Splits line 22 among the properties given up whose gain it holds (`in_line_22`, indices into
/// `f.relinquished`). With their parts of line 21 (`line_21`, in the same order, from
/// [`crate::gain::recapture::Recapture::by_property`]), each one takes the gain recognized on
/// it (its share of line 20) less its own recapture, never below zero: the recapture of one
/// property never takes another's part of line 22. Without them (or when that leaves nothing),
/// by each one's share of the realized gain (its sale price less its adjusted basis and the
/// exchange expenses at its sale; a property with no gain takes no part). Each part is rounded
/// to the cent and the last property with a part takes the remainder. This is the engine's
/// allocation: neither IRC §1031 nor Treas. Reg. §1.1031(j)-1 says how the gain recognized in
/// one exchange group is divided among the properties given up in it. Each part keeps its
/// property's holding period and character (IRC §§1222, 1231(b); Instructions for Form 8824,
/// line 22), and the unrecaptured §1250 gain within it is that property's own straight-line
/// depreciation, capped by its part (IRC §1(h)(6)(A) measures it property by property), and
/// none for a property held a year or less: §1(h)(6)(A) counts only long-term gain, and all
/// such a property's depreciation is additional depreciation (IRC §1250(b)(1)).
pub fn line_22_shares(
    f: &ExchangeFile,
    in_line_22: &[usize],
    line_22: Amount,
    line_21: &[crate::gain::recapture::PropertyLine21],
) -> Vec<Line22Share> {
    let zero = Amount::ZERO;
    let props: Vec<&Relinquished> = in_line_22
        .iter()
        .filter_map(|k| f.relinquished.get(*k))
        .collect();
    let gains: Vec<Amount> = props
        .iter()
        .map(|r| realized_gain_of(r).max(zero))
        .collect();
    let left: Vec<Amount> = line_21
        .iter()
        .map(|p| (p.recognized - p.line_21).max(zero))
        .collect();
    let weights = if left.len() == props.len() && left.iter().any(|w| *w > zero) {
        left
    } else {
        gains
    };
    // One property takes the whole line (no split to compute).
    let parts = if weights.len() == 1 {
        vec![line_22.max(zero)]
    } else {
        crate::gain::multi_asset::pro_rata_positive(line_22.max(zero), &weights)
    };
    props
        .iter()
        .zip(parts)
        .map(|(r, amount)| {
            let recognized = straight_line_of(r).min(amount).max(zero);
            Line22Share {
                property: r.id.clone(),
                amount,
                reported_on: property_kind(r).reported_on().into(),
                unrecaptured_1250: if holds_unrecaptured_1250(r) {
                    recognized
                } else {
                    zero
                },
                straight_line_recognized: recognized,
                kind: property_kind(r),
            }
        })
        .collect()
}

/// True when the parts of line 22 go to different places (the split matters). Only the parts
/// with an amount count: a property whose part is nil goes nowhere.
pub fn line_22_is_split(shares: &[Line22Share]) -> bool {
    let mut with_amount = shares.iter().filter(|s| s.amount > Amount::ZERO);
    let first = with_amount.next();
    with_amount.any(|s| first.is_some_and(|f| f.reported_on != s.reported_on))
}

/// The one place line 22 goes when it is not split: where its parts with an amount go (all
/// to one place), or, with one property given up, [`line_22_destination`].
fn one_place(f: &ExchangeFile, shares: &[Line22Share]) -> &'static str {
    shares
        .iter()
        .find(|s| s.amount > Amount::ZERO)
        .map_or_else(|| line_22_destination(f), |s| s.kind.reported_on())
}

/// `line_22_reported_on` when line 22 is zero: there is nothing to report, so no form is named
/// (Instructions for Form 8824, line 22).
pub const NO_LINE_22: &str =
    "nothing to report: line 22 is zero (no recognized gain other than the recapture on line 21)";

/// Whether depreciation of §1250 character can be carried into what was received: land is
/// not §1250 property (IRC §1250(c)) and unrecaptured §1250 gain arises only on §1250
/// property (IRC §1(h)(6)(A)), so when the §1250 property received is known to be worth
/// nothing (only land received) no straight-line depreciation survives as unrecaptured
/// §1250 gain. Unknown (no land value given) is taken as a building received. Authority: IRC
/// §§1(h)(6)(A), 1250(c); Treas. Reg. §1.1250-3(d) (reading not verified against the
/// regulation text).
pub fn carries_1250(fmv_1250_received: Option<Amount>) -> bool {
    !fmv_1250_received.is_some_and(|v| v.is_zero())
}

/// Depreciation not recognized now that stays with the replacement: never more than the gain
/// deferred into it (line 24), so nothing when no gain is deferred (a taxable sale, a loss, or
/// all the gain recognized). Authority: IRC §§1(h)(6), 1031(d); Treas. Reg. §§1.1245-2(a)(4),
/// 1.1250-3(d).
fn carried(not_recognized: Amount, deferred: Amount) -> Amount {
    not_recognized.min(deferred).max(Amount::ZERO)
}

/// Straight-line depreciation carried into the replacement as unrecaptured §1250 gain: what
/// was not recognized now, never more than the gain deferred ([`carried`]), and none in land
/// received ([`carries_1250`]). The gain section's `unrecaptured_1250_deferred` and the
/// character section's `unrecaptured_1250_carried_to_replacement` are this one figure.
/// Authority: IRC §§1(h)(6), 1031(d), 1250(c).
pub fn unrecaptured_1250_carried(
    straight_line_1250: Amount,
    straight_line_recognized: Amount,
    fmv_1250_received: Option<Amount>,
    deferred: Amount,
) -> Amount {
    if carries_1250(fmv_1250_received) {
        carried(straight_line_1250 - straight_line_recognized, deferred)
    } else {
        Amount::ZERO
    }
}

/// Builds the character and routing of every recognized amount. Authority: Instructions for
/// Form 8824, lines 14, 21, 22; IRC §§1(h)(1)(E), 1245(b)(4), 1250(d)(4), 453(i); Treas.
/// Treas. Reg. §§1.1245-2(a)(4), 1.1250-3(d).
pub fn compute(f: &ExchangeFile, i: &CharacterInputs) -> Character {
    let zero = Amount::ZERO;
    let dest = if i.installment && i.line_22 > zero {
        "Form 6252 (installment sale income), then Form 4797 / Schedule D as payments are received"
    } else {
        one_place(f, &i.shares)
    };
    let split = !i.installment && i.line_22 > zero && line_22_is_split(&i.shares);
    let mut routing = Vec::new();
    if i.section1245_recapture > zero {
        routing.push(Route {
            what: "§1245 depreciation recapture (ordinary income)".into(),
            amount: i.section1245_recapture,
            reported_on: "Form 8824 line 21 → Form 4797 line 16 (figured in Form 4797 Part III)"
                .into(),
            authority: cite!(IRC_1245 "(a), (b)(4)"; FORM_8824 ", line 21").into(),
        });
    }
    if i.section1250_recapture > zero {
        routing.push(Route {
            what: "§1250 additional depreciation recapture (ordinary income)".into(),
            amount: i.section1250_recapture,
            reported_on: "Form 8824 line 21 → Form 4797 line 16 (figured in Form 4797 Part III)"
                .into(),
            authority: cite!(IRC_1250 "(a), (b)(1), (d)(4)"; FORM_8824 ", line 21").into(),
        });
    }
    line_22_routes(i, dest, split, &mut routing);
    if i.unrecaptured_1250 > zero {
        routing.push(Route {
            what: "of which unrecaptured §1250 gain (25% maximum rate)".into(),
            amount: i.unrecaptured_1250,
            reported_on: "Schedule D, Unrecaptured Section 1250 Gain Worksheet (line 19)".into(),
            authority: cite!(IRC_1 "(h)(1)(E), (h)(6)").into(),
        });
    }
    routing.extend(line_14_routes(i));
    let no_1250 = !carries_1250(i.fmv_1250_received);
    let no_1245 = i.fmv_1245_received.is_zero();
    let carried_unrec = unrecaptured_1250_carried(
        i.straight_line_1250,
        i.straight_line_recognized,
        i.fmv_1250_received,
        i.deferred,
    );
    let carried_1245 = if no_1245 {
        zero
    } else {
        carried(
            i.section1245_depreciation - i.section1245_recapture,
            i.deferred,
        )
    };
    let carried_add = if no_1250 {
        zero
    } else {
        carried(
            i.section1250_additional - i.section1250_recapture,
            i.deferred,
        )
    };
    if no_1250 && i.straight_line_1250 > i.straight_line_recognized {
        routing.push(Route {
            what: "Straight-line depreciation not recognized, not carried: no §1250 property received (land), so no unrecaptured §1250 gain survives in the replacement".into(),
            amount: i.straight_line_1250 - i.straight_line_recognized,
            reported_on: "nothing now; the deferred gain stays in the land's basis".into(),
            authority: cite!(IRC_1 "(h)(6)(A), §1250(c)"; REG_1_1250_3 "(d) [reading not verified against the regulation text]").into(),
        });
    }
    Character {
        section1245_recapture: i.section1245_recapture,
        section1250_recapture: i.section1250_recapture,
        form_4797_line_16: i.line_21,
        line_22: i.line_22,
        line_22_reported_on: if i.line_22 <= zero {
            NO_LINE_22.into()
        } else if split {
            split_summary(&i.shares).into()
        } else {
            dest.into()
        },
        line_22_by_property: if split { i.shares.clone() } else { vec![] },
        line_22_parts: i.shares.clone(),
        unrecaptured_1250_recognized: i.unrecaptured_1250,
        other_property_section1245_recapture: i.line_14_section1245,
        unrecaptured_1250_carried_to_replacement: carried_unrec,
        section1245_carried_to_replacement: carried_1245,
        additional_depreciation_carried_to_replacement: carried_add,
        routing,
    }
}

/// The §1245 recapture in line 14: for each other property given up with depreciation
/// given, its depreciation capped by its own gain (its FMV less its adjusted basis), never
/// below zero. Authority: IRC §1245(a)(1); Instructions for Form 8824, line 14.
pub fn other_property_section1245(f: &ExchangeFile) -> Amount {
    f.other_property_given
        .iter()
        .filter_map(|o| {
            let gain = (o.fmv - o.adjusted_basis).max(Amount::ZERO);
            o.depreciation_allowed
                .map(|d| d.max(Amount::ZERO).min(gain))
        })
        .sum()
}

/// Line 14's routes: the §1245 recapture on depreciated personal property given up, ordinary
/// income figured in Form 4797 Part III (not line 21: that line is the like-kind property's),
/// and the rest of the gain or (loss), reported as if the property were sold. Authority:
/// IRC §1245(a)(1); Instructions for Form 8824, line 14; Instructions for Form 4797, Part III.
fn line_14_routes(i: &CharacterInputs) -> Vec<Route> {
    let mut out = Vec::new();
    let ordinary = i.line_14_section1245.max(Amount::ZERO);
    if ordinary > Amount::ZERO {
        out.push(Route {
            what: "§1245 depreciation recapture on other property given up (ordinary income, part of line 14)".into(),
            amount: ordinary,
            reported_on: "Form 4797 Part III (ordinary income, carried to Form 4797 line 13), as if sold".into(),
            authority: cite!(IRC_1245 "(a)(1)"; FORM_8824 ", line 14"; FORM_4797 ", Part III").into(),
        });
    }
    let rest = i.line_14 - ordinary;
    if !rest.is_zero() {
        out.push(Route {
            what: if ordinary > Amount::ZERO {
                "Rest of the gain or (loss) on other property given up (line 14, beyond its §1245 recapture)"
            } else {
                "Gain or (loss) on other property given up (line 14)"
            }
            .into(),
            amount: rest,
            reported_on: "Form 4797 (business property) or Schedule D / Form 8949 (capital asset), as if sold".into(),
            authority: cite!(FORM_8824 ", line 14").into(),
        });
    }
    out
}

/// Line 22's route: one, or one per place its parts go when it is split.
fn line_22_routes(i: &CharacterInputs, dest: &'static str, split: bool, out: &mut Vec<Route>) {
    if split {
        out.extend(split_routes(&i.shares));
    } else if i.line_22 > Amount::ZERO {
        out.push(Route {
            what: "Recognized gain other than recapture (line 22)".into(),
            amount: i.line_22,
            reported_on: dest.into(),
            authority: cite!(FORM_8824 ", line 22").into(),
        });
    }
}

/// One route per place line 22 goes, with the properties whose parts go there.
fn split_routes(shares: &[Line22Share]) -> Vec<Route> {
    let mut places: Vec<&str> = Vec::new();
    for s in shares.iter().filter(|s| s.amount > Amount::ZERO) {
        if !places.contains(&&*s.reported_on) {
            places.push(&s.reported_on);
        }
    }
    places
        .into_iter()
        .map(|place| {
            let here: Vec<&Line22Share> = shares
                .iter()
                .filter(|s| s.amount > Amount::ZERO && *s.reported_on == *place)
                .collect();
            Route {
                what: format!(
                    "Recognized gain other than recapture (line 22), part from {} (split by share of the realized gain: the engine's allocation)",
                    here.iter().map(|s| s.property.to_string()).collect::<Vec<_>>().join(", ")
                )
                .into(),
                amount: here.iter().map(|s| s.amount).sum(),
                reported_on: place.to_string().into(),
                authority: cite!(FORM_8824 ", line 22"; IRC_1222; IRC_1231 "(b)").into(),
            }
        })
        .collect()
}

/// `line_22_reported_on` when line 22 is split: every part and where it goes.
fn split_summary(shares: &[Line22Share]) -> String {
    let parts: Vec<String> = shares
        .iter()
        .filter(|s| s.amount > Amount::ZERO)
        .map(|s| {
            format!(
                "{} from {}: {}",
                crate::money::format_usd(s.amount),
                s.property,
                s.reported_on
            )
        })
        .collect();
    format!("Split by property given up: {}", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;
    use crate::{Format, parse_exchange};

    fn file() -> ExchangeFile {
        let f = parse_exchange(
            r#"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2010-01-01"
transferred = "2026-03-02"
sale_price = "900000"
adjusted_basis = "400000"
depreciation_allowed = "100000"
"#,
            Format::Toml,
        );
        match f {
            Ok(f) => f.into(),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn installment_routes_line_22_to_form_6252() {
        let i = CharacterInputs {
            straight_line_1250: amt!(100000),
            line_22: amt!(50000),
            unrecaptured_1250: amt!(50000),
            straight_line_recognized: amt!(50000),
            installment: true,
            fmv_1250_received: Some(amt!(700000)),
            deferred: amt!(450000),
            ..Default::default()
        };
        let c = compute(&file(), &i);
        assert!(c.line_22_reported_on.starts_with("Form 6252"));
        assert_eq!(c.unrecaptured_1250_carried_to_replacement, amt!(50000));
        let c = compute(
            &file(),
            &CharacterInputs {
                installment: false,
                ..i
            },
        );
        assert!(c.line_22_reported_on.contains("Form 4797, Part I"));
    }

    #[test]
    fn land_received_carries_no_1250_depreciation() {
        let i = CharacterInputs {
            straight_line_1250: amt!(100000),
            fmv_1250_received: Some(amt!(0)),
            ..Default::default()
        };
        let c = compute(&file(), &i);
        assert_eq!(c.unrecaptured_1250_carried_to_replacement, amt!(0));
        assert!(c.routing.iter().any(|r| r.amount == amt!(100000)));
    }

    /// Nothing deferred, nothing carried: all the gain recognized (§1245 recapture took it)
    /// leaves no straight-line depreciation in the replacement as unrecaptured §1250 gain,
    /// and a smaller deferred gain caps what is carried.
    #[test]
    fn what_is_carried_never_exceeds_the_gain_deferred() {
        let i = CharacterInputs {
            section1245_depreciation: amt!(80000),
            section1245_recapture: amt!(50000),
            straight_line_1250: amt!(220000),
            fmv_1250_received: Some(amt!(450000)),
            fmv_1245_received: amt!(10000),
            deferred: Amount::ZERO,
            ..Default::default()
        };
        let c = compute(&file(), &i);
        assert_eq!(c.unrecaptured_1250_carried_to_replacement, amt!(0));
        assert_eq!(c.section1245_carried_to_replacement, amt!(0));
        let c = compute(
            &file(),
            &CharacterInputs {
                deferred: amt!(25000),
                ..i
            },
        );
        assert_eq!(c.unrecaptured_1250_carried_to_replacement, amt!(25000));
        assert_eq!(c.section1245_carried_to_replacement, amt!(25000));
    }

    fn two_lots(short_acquired: &str) -> ExchangeFile {
        let text = format!(
            r#"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "short"
location = "TX"
acquired = "{short_acquired}"
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
"#
        );
        match parse_exchange(&text, Format::Toml) {
            Ok(f) => f.into(),
            Err(e) => panic!("{e:?}"),
        }
    }

    /// Two lots, gains 200,000 (held six months) and 400,000 (ten years), 200,000 recognized
    /// (QA file multi-short-and-long-term-boot): a third is short-term, two thirds long-term,
    /// each routed on its own; `line_22_reported_on` says so.
    #[test]
    fn line_22_split_by_holding_period() {
        let f = two_lots("2025-09-01");
        let shares = line_22_shares(&f, &[0, 1], amt!(200000), &[]);
        assert_eq!(shares[0].amount, amt!(66666.67));
        assert_eq!(shares[1].amount, amt!(133333.33));
        let i = CharacterInputs {
            line_22: amt!(200000),
            shares,
            ..Default::default()
        };
        let c = compute(&f, &i);
        let routed = |place: &str| -> Amount {
            c.routing
                .iter()
                .filter(|r| r.reported_on == place)
                .map(|r| r.amount)
                .sum()
        };
        assert_eq!(
            routed("Schedule D / Form 8949: short-term capital gain"),
            amt!(66666.67)
        );
        assert_eq!(
            routed("Schedule D / Form 8949: long-term capital gain"),
            amt!(133333.33)
        );
        assert!(
            c.line_22_reported_on
                .starts_with("Split by property given up")
        );
        assert_eq!(c.line_22_by_property.len(), 2);
        // Both held long: one place, no split, the key as before.
        let f = two_lots("2016-01-04");
        let shares = line_22_shares(&f, &[0, 1], amt!(200000), &[]);
        let c = compute(
            &f,
            &CharacterInputs {
                line_22: amt!(200000),
                shares,
                ..Default::default()
            },
        );
        assert_eq!(
            c.line_22_reported_on,
            "Schedule D / Form 8949: long-term capital gain"
        );
        assert!(c.line_22_by_property.is_empty());
    }
}
