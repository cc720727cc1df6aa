//! The exchange file (contract v1, `docs/exchange-file.md`) as Rust types.
//!
//! Names here are the contract's names: users and outside tests depend on them, so fields may
//! be added (optional) but never renamed. Unknown fields are rejected (`deny_unknown_fields`)
//! so that a typo cannot silently change a tax result. Syntax (types, dates, enums) is checked
//! while parsing; cross-field rules are checked by [`crate::validate`].

use crate::amount::Amount;
use crate::money::{deserialize_money, deserialize_opt_money};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One §1031 exchange as its user knows it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExchangeFile {
    #[serde(default)]
    pub exchange: ExchangeHeader,
    pub taxpayer: Taxpayer,
    #[serde(default)]
    pub relinquished: Vec<Relinquished>,
    #[serde(default)]
    pub identified: Vec<Identified>,
    #[serde(default)]
    pub replacement: Vec<Replacement>,
    #[serde(default)]
    pub other_property_given: Vec<OtherPropertyGiven>,
    #[serde(default)]
    pub other_property_received: Vec<OtherPropertyReceived>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_party: Option<RelatedParty>,
    // --- optional blocks of the deadlines/identification work ---
    /// `[disaster]`: a federally declared disaster with IRS relief under Rev. Proc. 2018-58.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disaster: Option<Disaster>,
    /// `[reverse]`: the parking arrangement of a reverse exchange (Rev. Proc. 2000-37).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<Reverse>,
    // --- optional blocks of the special situations ---
    // eligibility
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<EligibilityAnswers>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dst: Vec<DstQuestionnaire>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tic: Vec<TicQuestionnaire>,
    // homes
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_sale: Option<HomeSale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence_plan: Option<ResidencePlan>,
    // states
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub california: Option<California>,
    // eligibility (disqualified persons)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualified_intermediary: Option<QualifiedIntermediary>,
    /// Death of the owner after the exchange (§1014 step-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death: Option<Death>,
    // planner
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::plan::assumptions::PlanBlock>,
}

impl ExchangeFile {
    /// The purchase closing a payment went to, in words: the replacement property's description
    /// (else its identification's, else its name in the exchange file) and the closing's date,
    /// e.g. "Elm Plaza, 400 Elm St, Austin TX, closed Jun 15, 2026". A closing no longer recorded
    /// on the exchange is named as the payment recorded it, and said to be so. One wording for
    /// the ledger, its CSV, the funds statement, the approvals and the e-mails.
    pub fn closing_words(&self, property: &str) -> String {
        // A name the program made up ("property-3") is no name to show: "Property 3".
        let named = crate::words::name(property);
        let Some(rep) = self.replacement.iter().find(|r| r.id == *property) else {
            return format!("{named} (a purchase closing no longer recorded on the exchange)");
        };
        let on_notice = self
            .identified
            .iter()
            .filter(|i| i.id == *property)
            .flat_map(|i| {
                [
                    Some(i.description.as_str()),
                    i.address.as_deref(),
                    i.legal_description.as_deref(),
                ]
            })
            .flatten();
        let described = std::iter::once(rep.description.as_str())
            .chain(on_notice)
            .map(str::trim)
            .find(|d| !d.is_empty())
            .map_or(named, str::to_string);
        format!(
            "{described}, closed {}",
            crate::money::format_date(rep.received)
        )
    }

    /// The first transfer of relinquished property: it starts the 45- and 180-day periods
    /// when several properties are given up (IRC §1031(a)(3); Treas. Reg.
    /// §1.1031(k)-1(b)(2)). `None` when nothing is given up.
    pub fn first_transfer(&self) -> Option<Date> {
        self.relinquished.iter().map(|r| r.transferred).min()
    }

    /// The first replacement received after the first transfer of property given up, if any:
    /// the one property the periods counted from the sale apply to in a reverse exchange
    /// (IRC §1031(a)(3): property received "after the date on which the taxpayer transfers
    /// the property relinquished").
    pub fn received_after_sale(&self) -> Option<&Replacement> {
        let sale = self.first_transfer()?;
        self.replacement
            .iter()
            .filter(|r| r.received > sale)
            .min_by_key(|r| r.received)
    }

    /// A property of the file as people read it ([`crate::words::property`]): the
    /// description it has wherever the file describes it (given up, received or identified),
    /// else its name. The id is the file's key, not a name a reader knows it by.
    pub fn property_words(&self, id: &str) -> String {
        let description = self
            .relinquished
            .iter()
            .filter(|r| r.id == *id)
            .map(|r| r.description.as_str())
            .chain(
                self.replacement
                    .iter()
                    .filter(|r| r.id == *id)
                    .map(|r| r.description.as_str()),
            )
            .chain(
                self.identified
                    .iter()
                    .filter(|r| r.id == *id)
                    .map(|r| r.description.as_str()),
            )
            .find(|d| !d.trim().is_empty())
            .unwrap_or("");
        crate::words::property(id, description)
    }

    /// Several properties as people read them ([`Self::property_words`]), joined with
    /// semicolons: descriptions hold commas.
    pub fn properties_words(&self, ids: &[crate::id::Id]) -> String {
        ids.iter()
            .map(|i| self.property_words(i))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The aggregate FMV of the property given up (its sale prices): what the 200% rule
    /// measures against (Treas. Reg. §1.1031(k)-1(c)(4)(i)).
    pub fn relinquished_fmv(&self) -> crate::Amount {
        self.relinquished.iter().map(|r| r.sale_price).sum()
    }
}

/// `[exchange]`: what kind of exchange and the date status is judged at.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExchangeHeader {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: ExchangeType,
    /// The date status is judged at; the CLI defaults it to today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    // depreciation
    /// Election out of Treas. Reg. §1.168(i)-6 for this exchange ((i); made per exchange on Form
    /// 4562).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub elect_out_168i6: bool,
    // straddle
    /// A qualified intermediary or qualified escrow/trust held the exchange funds
    /// (Treas. Reg. §1.1031(k)-1(g)(3)-(4)). Absent: assumed for a delayed exchange.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualified_intermediary: Option<bool>,
    /// The taxpayer's judgement: bona fide intent to do a deferred exchange at the start of
    /// the exchange period (Treas. Reg. §1.1031(k)-1(j)(2)(iv)). Absent: not established.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bona_fide_intent: Option<bool>,
    /// When the QI released the exchange funds left over (or all of them, if the exchange
    /// failed) to the taxpayer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds_released_on: Option<Date>,
    /// Election out of the installment method (§453(d)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub elect_out_installment: bool,
}

/// The four ways an exchange is structured.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeType {
    /// Relinquished first, replacement within 45/180 days (Treas. Reg. §1.1031(k)-1).
    #[default]
    Delayed,
    /// Both properties change hands at once.
    Simultaneous,
    /// Replacement parked with an EAT first (Rev. Proc. 2000-37).
    Reverse,
    /// Replacement improved while held by an EAT or QI (Treas. Reg. §1.1031(k)-1(e)).
    Improvement,
}

crate::spelling::words_enum!(ExchangeType {
    Delayed => "delayed",
    Simultaneous => "simultaneous",
    Reverse => "reverse",
    Improvement => "improvement",
});

/// `[taxpayer]`: who exchanges, which drives the return due date (§1031(a)(3)(B)(ii)).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Taxpayer {
    #[serde(default)]
    pub name: String,
    pub entity: Entity,
    /// `MM-DD`, default `12-31`.
    #[serde(default = "default_year_end")]
    pub tax_year_end: String,
    #[serde(default)]
    pub extension_filed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

fn default_year_end() -> String {
    "12-31".to_string()
}

/// The kind of taxpayer, which fixes the return and its due date (IRC §6072).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Individual,
    Partnership,
    SCorporation,
    CCorporation,
    Trust,
    Estate,
}

crate::spelling::words_enum!(Entity {
    Individual => "individual",
    Partnership => "partnership",
    SCorporation => "s_corporation",
    CCorporation => "c_corporation",
    Trust => "trust",
    Estate => "estate",
});

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Individual => "individual",
            Entity::Partnership => "partnership",
            Entity::SCorporation => "s_corporation",
            Entity::CCorporation => "c_corporation",
            Entity::Trust => "trust",
            Entity::Estate => "estate",
        }
    }
}

/// How the taxpayer held or will hold a property (§1031(a)(1)-(2)).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    #[default]
    Investment,
    Business,
    PersonalResidence,
    VacationHome,
    Dealer,
}

crate::spelling::words_enum!(Use {
    Investment => "investment",
    Business => "business",
    PersonalResidence => "personal_residence",
    VacationHome => "vacation_home",
    Dealer => "dealer",
});

impl Use {
    pub fn as_str(self) -> &'static str {
        match self {
            Use::Investment => "investment",
            Use::Business => "business",
            Use::PersonalResidence => "personal_residence",
            Use::VacationHome => "vacation_home",
            Use::Dealer => "dealer",
        }
    }
}

/// `[[relinquished]]`: property given up.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Relinquished {
    pub id: crate::id::Id,
    #[serde(default)]
    pub description: String,
    pub location: String,
    #[serde(default, rename = "use")]
    pub use_: Use,
    pub acquired: Date,
    pub transferred: Date,
    /// Amount realized before expenses = FMV given up.
    #[serde(deserialize_with = "deserialize_money")]
    pub sale_price: Amount,
    #[serde(deserialize_with = "deserialize_money")]
    pub adjusted_basis: Amount,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub depreciation_allowed: Amount,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub additional_depreciation: Amount,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub section1245_depreciation: Amount,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub liabilities_relieved: Amount,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub exchange_expenses: Amount,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub other_closing_costs: Amount,
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub cash_received: Option<Amount>,
    /// Of `liabilities_relieved`, the part the buyer assumed or took the property subject to;
    /// the rest was paid off at the closing. Read only when a failed exchange's sale is
    /// reported on the installment method: assumed debt is Form 6252 line 6, a payoff at the
    /// closing is a payment in the year of sale (Instructions for Form 6252, lines 6 and 21).
    /// Absent, the report reads all the debt as paid off and says what the other reading gives.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub liabilities_assumed_by_buyer: Option<Amount>,
    // eligibility
    /// What the taxpayer owns: the whole property (`fee`, default), a TIC or DST interest, a
    /// partnership interest or personal property (§1031(a)(1): real property only).
    #[serde(default, skip_serializing_if = "Interest::is_fee")]
    pub interest: Interest,
    // homes
    /// Rental and personal-use days per 12-month period (Rev. Proc. 2008-16 dwelling units).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<UsagePeriod>,
    // depreciation
    /// When the building was placed in service (starts its recovery period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed_in_service: Option<Date>,
    /// `residential` (27.5 years) or `nonresidential` (39 years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_class: Option<crate::after::macrs::RealPropertyClass>,
    /// Recovery period in years, overriding `property_class`.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub recovery_years: Option<Amount>,
    /// Unadjusted depreciable basis of the building (cost without land).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub depreciable_basis: Option<Amount>,
}

impl Relinquished {
    /// What the sale's closing leaves for the exchange funds: the price less the debt
    /// relieved, the expenses and other costs paid at the closing and the cash handed to the
    /// taxpayer (negative when the taxpayer brought cash to the closing). An absent cash
    /// figure is none.
    pub fn net_of_closing(&self) -> Amount {
        self.sale_price
            - self.liabilities_relieved
            - self.exchange_expenses
            - self.other_closing_costs
            - self.cash_received.unwrap_or(Amount::ZERO)
    }
}

/// `[[identified]]`: a written identification notice (Treas. Reg. §1.1031(k)-1(c)).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Identified {
    pub id: crate::id::Id,
    /// How the notice names the property: a distinguishable name, street address or legal
    /// description (Treas. Reg. §1.1031(k)-1(c)(3)).
    #[serde(default)]
    pub description: String,
    /// Extension: the street address, when the notice gives it apart from the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Extension: the legal description (lot, block, plat or metes and bounds) as the notice
    /// gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_description: Option<String>,
    /// FMV at the end of the identification period.
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv: Amount,
    pub identified_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_on: Option<Date>,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub incidental_personal_property: Amount,
    /// Extension: whether the revocation was a written document signed by the taxpayer and
    /// sent to the person the identification went to (Treas. Reg. §1.1031(k)-1(c)(6)); an oral
    /// revocation is no revocation. Default true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub revocation_written: bool,
}

fn yes() -> bool {
    true
}

impl Identified {
    /// Whether the file shows how the notice describes the property: a description, a street
    /// address or a legal description. Real property is unambiguously described by a legal
    /// description, a street address or a distinguishable name (Treas. Reg.
    /// §1.1031(k)-1(c)(3)); whether a given name is distinguishable is for a person to judge.
    pub fn is_described(&self) -> bool {
        let some = |o: &Option<String>| o.as_deref().is_some_and(|s| !s.trim().is_empty());
        !self.description.trim().is_empty() || some(&self.address) || some(&self.legal_description)
    }
}

fn is_true(b: &bool) -> bool {
    *b
}

/// `[[replacement]]`: like-kind property received.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    pub id: crate::id::Id,
    #[serde(default)]
    pub description: String,
    pub location: String,
    #[serde(default, rename = "use")]
    pub use_: Use,
    pub received: Date,
    /// FMV of the real property received.
    #[serde(deserialize_with = "deserialize_money")]
    pub price: Amount,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub liabilities_assumed: Amount,
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub cash_paid: Option<Amount>,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub exchange_expenses: Amount,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub other_closing_costs: Amount,
    /// FMV of non-real property received with it (boot).
    #[serde(default, deserialize_with = "deserialize_money")]
    pub personal_property: Amount,
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub land_value: Option<Amount>,
    /// Extension: FMV of §1245 property (e.g. cost-segregation components) included in
    /// `price`, for the §1245(b)(4) limit on line 21. Default 0.
    #[serde(default, deserialize_with = "deserialize_money")]
    pub section1245_value: Amount,
    // eligibility
    /// What the taxpayer receives: see [`Relinquished::interest`].
    #[serde(default, skip_serializing_if = "Interest::is_fee")]
    pub interest: Interest,
    // homes
    /// Rental and personal-use days per 12-month period after the exchange (Rev. Proc.
    /// 2008-16 §4.03).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<UsagePeriod>,
    // depreciation
    /// When the replacement was placed in service (default: `received`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed_in_service: Option<Date>,
    /// `residential` (27.5 years) or `nonresidential` (39 years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_class: Option<crate::after::macrs::RealPropertyClass>,
    /// Recovery period in years, overriding `property_class`.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub recovery_years: Option<Amount>,
    /// Extension (improvement exchanges): estimated FMV of the improvements to be built on
    /// this property, as identified (Treas. Reg. §1.1031(k)-1(e)(2)); `price` includes them.
    /// Optional.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub improvements_identified: Option<Amount>,
    /// Extension (improvement exchanges): FMV of the improvements in place when the property
    /// was received, at the latest by the end of the exchange period; only these are like-kind
    /// property, the rest is other property received (see
    /// [`Replacement::improvements_not_in_place`]; Treas. Reg. §1.1031(k)-1(e)(3)(iii),
    /// (e)(4)). Optional (default 0).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub improvements_in_place: Option<Amount>,
}

impl Replacement {
    /// The improvements identified for this property that were not in place when it was
    /// received (identified less in place; none in place when that is not given, as the
    /// identification's finding reads it), never more than the price. They are not property
    /// of a like kind: construction after receipt is services, and "any additional production
    /// ... after the property is received ... will not be treated as the receipt of property
    /// of a like kind" (Treas. Reg. §1.1031(k)-1(e)(4); (e)(5) Example (iii)). `price` is
    /// taken to include the improvements as identified.
    pub fn improvements_not_in_place(&self) -> Amount {
        self.improvements_identified
            .map_or(Amount::ZERO, |planned| {
                (planned - self.improvements_in_place.unwrap_or(Amount::ZERO))
                    .max(Amount::ZERO)
                    .min(self.price.max(Amount::ZERO))
            })
    }

    /// The part of `price` received as property of a like kind: the price less the
    /// improvements not in place when received (Treas. Reg. §1.1031(k)-1(e)(3)(iii), (e)(4)).
    pub fn like_kind_price(&self) -> Amount {
        self.price - self.improvements_not_in_place()
    }
}

/// `[[other_property_given]]`: non-like-kind property given up (Form 8824 lines 12-14).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OtherPropertyGiven {
    #[serde(default)]
    pub description: String,
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv: Amount,
    #[serde(deserialize_with = "deserialize_money")]
    pub adjusted_basis: Amount,
    /// Depreciation (or amortization, including a §179 deduction) allowed or allowable on it,
    /// when it is depreciable personal property (§1245 property, such as equipment): its gain
    /// up to this amount is ordinary income, figured in Form 4797 Part III (IRC §1245(a)(1)).
    /// Absent: none is known, and equipment given up at a gain is warned about.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub depreciation_allowed: Option<Amount>,
    // multi-asset
    /// Asset class for the Treas. Reg. §1.1031(j)-1 residual group: `class_ii` (marketable stock,
    /// CDs, foreign currency), `class_iii` (default: all other property), `class_iv`
    /// (goodwill, going-concern value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_class: Option<crate::gain::multi_asset::AssetClass>,
}

/// `[[other_property_received]]`: non-like-kind property received, e.g. a seller note.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OtherPropertyReceived {
    #[serde(default)]
    pub description: String,
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv: Amount,
    // straddle
    /// The property is the buyer's installment note (gain reported as it is paid, §453).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub installment_obligation: bool,
    // multi-asset
    /// Asset class for the Treas. Reg. §1.1031(j)-1 residual group (see `other_property_given`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_class: Option<crate::gain::multi_asset::AssetClass>,
}

/// `[related_party]`: the exchange was with a related party (§1031(f)).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RelatedParty {
    pub name: String,
    pub relationship: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposed_on: Option<Date>,
    // related parties
    /// Who disposed of the property received (Form 8824 line 9 vs line 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposed_by: Option<DisposedBy>,
    /// The §1031(f)(2) exception claimed for the disposition (Form 8824 line 11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<RelatedPartyException>,
    /// Form 8824 line 8: the related party's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Form 8824 line 8: the related party's identifying number (SSN/EIN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifying_number: Option<String>,
    /// Days the two-year period is suspended while a holder's risk of loss is substantially
    /// diminished (§1031(g): puts, short sales...). Default 0.
    #[serde(default)]
    pub suspended_days: u32,
    /// Whether the related party bought (received) the relinquished property. A QOF defers
    /// only gain "from the sale to, or exchange with, an unrelated person" (IRC
    /// §1400Z-2(a)(1), related by §267(b) or §707(b)(1) at 20%, (e)(2)): unless the file says
    /// `false` (the related party only sold the replacement property), the planner takes the
    /// buyer as related and offers no QOF path for the exchange's gain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bought_relinquished: Option<bool>,
    /// When the related party only sold the replacement property (`bought_relinquished =
    /// false`): whether it sold it in a like-kind exchange of its own, its proceeds held by
    /// its own intermediary and reinvested in like-kind property, instead of receiving the
    /// cash. Rev. Rul. 2002-83 denies nonrecognition when "the related party receives cash or
    /// other non-like-kind property for the replacement property" (IRC §1031(f)(4)): unless
    /// this says `true`, the engine takes it that the related party was paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sold_in_own_exchange: Option<bool>,
}

impl RelatedParty {
    /// The gain of the sale is gain from a sale to a related person (IRC §1400Z-2(a)(1),
    /// (e)(2)): the related party bought the relinquished property, or the file does not
    /// say it did not.
    pub fn is_buyer(&self) -> bool {
        self.bought_relinquished != Some(false)
    }
}

// related parties
/// Who disposed of the property received in a related-party exchange.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DisposedBy {
    Taxpayer,
    RelatedParty,
}

crate::spelling::words_enum!(DisposedBy {
    Taxpayer => "taxpayer",
    RelatedParty => "related_party",
});

// related parties
/// The exceptions of §1031(f)(2) (Form 8824 line 11).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RelatedPartyException {
    /// (A) a disposition after the death of the taxpayer or the related person.
    Death,
    /// (B) an involuntary conversion, the exchange having come before its threat.
    InvoluntaryConversion,
    /// (C) neither the exchange nor the disposition had tax avoidance as a principal purpose
    /// (a judgement on the facts the taxpayer must be able to show).
    NoTaxAvoidance,
}

crate::spelling::words_enum!(RelatedPartyException {
    Death => "death",
    InvoluntaryConversion => "involuntary_conversion",
    NoTaxAvoidance => "no_tax_avoidance",
});

impl RelatedPartyException {
    pub fn as_str(self) -> &'static str {
        match self {
            RelatedPartyException::Death => "death",
            RelatedPartyException::InvoluntaryConversion => "involuntary_conversion",
            RelatedPartyException::NoTaxAvoidance => "no_tax_avoidance",
        }
    }
}

// eligibility
/// The kind of ownership interest exchanged.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Interest {
    /// The property itself (fee simple).
    #[default]
    Fee,
    /// An undivided tenancy-in-common interest (Rev. Proc. 2002-22).
    Tic,
    /// A beneficial interest in a Delaware statutory trust (Rev. Rul. 2004-86).
    Dst,
    /// An interest in a partnership or LLC taxed as one: not real property.
    PartnershipInterest,
    /// Personal (non-real) property: outside §1031 after 2017.
    PersonalProperty,
}

crate::spelling::words_enum!(Interest {
    Fee => "fee",
    Tic => "tic",
    Dst => "dst",
    PartnershipInterest => "partnership_interest",
    PersonalProperty => "personal_property",
});

impl Interest {
    pub fn is_fee(&self) -> bool {
        *self == Interest::Fee
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Interest::Fee => "fee",
            Interest::Tic => "tic",
            Interest::Dst => "dst",
            Interest::PartnershipInterest => "partnership_interest",
            Interest::PersonalProperty => "personal_property",
        }
    }
}

// homes
/// One 12-month period of a dwelling's use (Rev. Proc. 2008-16 §§4.02-4.03).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UsagePeriod {
    /// Last day of the 12-month period.
    pub period_ending: Date,
    /// Days rented to another person at a fair rental.
    pub fair_rental_days: u32,
    /// Days of personal use (the taxpayer, co-owners, family, reciprocal or below-fair-rent use).
    pub personal_use_days: u32,
}

// eligibility
/// `[eligibility]`: answers the engine cannot infer from the closings.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EligibilityAnswers {
    /// Did the taxpayer intend, at the time of the exchange, to hold the replacement for
    /// investment or business use? (facts and circumstances)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent_to_hold_replacement: Option<bool>,
    /// Was the relinquished property acquired to be resold (a flip)?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relinquished_acquired_to_resell: Option<bool>,
    /// A planned sale date of the replacement, for holding-period advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_sale_of_replacement: Option<Date>,
}

// eligibility
/// `[[dst]]`: Rev. Rul. 2004-86 questionnaire for a DST interest (`interest = "dst"`).
/// Each power is `true` when the trust agreement gives it to the trustee.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DstQuestionnaire {
    /// Id of the relinquished or replacement property that is the DST interest.
    pub property: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_new_contributions: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renegotiate_leases_or_loans: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reinvest_sale_proceeds: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital_improvements_beyond_minor: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_cash_other_than_short_term_debt: Option<bool>,
    /// Required `true`: all cash other than reserves is distributed currently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribute_cash_currently: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_power_to_vary_investment: Option<bool>,
}

// eligibility
/// `[[tic]]`: Rev. Proc. 2002-22 questionnaire for a TIC interest (`interest = "tic"`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TicQuestionnaire {
    /// Id of the relinquished or replacement property that is the TIC interest.
    pub property: String,
    /// Individual persons and entities on title.
    pub co_owners: u32,
    /// Married couples both on title (each couple counts as one).
    #[serde(default)]
    pub married_couples: u32,
    /// Sizes of groups who acquired their interests together by inheritance (each counts as one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherited_groups: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_partnership_return: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_under_common_name: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_ownership_agreement: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unanimous_approval_of_sale_lease_debt_manager: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_transfer_and_partition: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proportionate_sharing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_agreement_over_one_year: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_based_rent_or_fees: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loans_from_sponsor_or_lessee: Option<bool>,
}

// homes
/// `[home_sale]`: the relinquished property was (part of) the taxpayer's home: §121 applies
/// first, then §1031 (Rev. Proc. 2005-14).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HomeSale {
    /// Id of the relinquished property.
    pub property: String,
    /// Owned and used as the principal residence 2 of the 5 years before the sale (§121(a)).
    pub ownership_and_use_test_met: bool,
    /// §121(b) limit: 250000, or 500000 for a joint return meeting §121(b)(2).
    #[serde(deserialize_with = "deserialize_money")]
    pub exclusion_limit: Amount,
    /// Depreciation allowed after 1997-05-06 (not excludable, §121(d)(6)); default: the
    /// property's `depreciation_allowed`.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub depreciation_after_1997_05_06: Option<Amount>,
    /// The home was itself acquired in a §1031 exchange on this date (§121(d)(10)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquired_in_exchange_on: Option<Date>,
    /// A business or rental part of the property (home office, separate unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_part: Option<BusinessPart>,
    /// Periods the home was owned but not used as the principal residence of the taxpayer or
    /// spouse (rented, vacant, a second home) before its last use as the principal residence:
    /// the gain allocated to them after 2008 is not excluded (§121(b)(5)). Time after the
    /// last use as a residence is not nonqualified use ((b)(5)(C)(ii)(I)): leave it out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nonqualified_use: Vec<DatePeriod>,
}

/// A period from one date to another, counted as the days between them (as a holding period
/// is counted from acquisition to sale).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DatePeriod {
    pub from: Date,
    pub to: Date,
}

// homes
/// The business part of a home (Rev. Proc. 2005-14; Treas. Reg. §1.121-1(e)).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BusinessPart {
    /// Share of the property (amount realized and basis) that is the business part, 0 < x < 1.
    #[serde(deserialize_with = "deserialize_fraction")]
    pub fraction: Amount,
    /// True when the business part is outside the dwelling unit (allocation required).
    pub separate_from_dwelling: bool,
}

// homes
/// A fraction as a decimal string (`"0.333333333333"`) or number: not money, so not limited
/// to cents.
fn deserialize_fraction<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
    crate::money::deserialize_plain_decimal(d)
}

// homes
/// `[residence_plan]`: the taxpayer plans to move into a replacement property later.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ResidencePlan {
    /// Id of the replacement property.
    pub property: String,
    /// Planned move-in date (default: the earliest date the plan allows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub move_in: Option<Date>,
    /// Planned sale date (default: the earliest date §121(d)(10) allows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale: Option<Date>,
}

// eligibility (disqualified persons)
/// `[qualified_intermediary]`: facts to screen the intermediary under Treas. Reg. §1.1031(k)-1(k).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QualifiedIntermediary {
    #[serde(default)]
    pub name: String,
    /// Services the intermediary (or its people) performed for the taxpayer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<QiService>,
    /// A §267(b)(1) family member of the taxpayer.
    #[serde(default)]
    pub family: bool,
    /// Percent of ownership linking it to the taxpayer (§267(b)/§707(b)), e.g. "15".
    #[serde(
        default,
        deserialize_with = "deserialize_opt_fraction",
        skip_serializing_if = "Option::is_none"
    )]
    pub ownership_with_taxpayer_pct: Option<Amount>,
    /// Percent of ownership linking it to a person who is the taxpayer's agent.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_fraction",
        skip_serializing_if = "Option::is_none"
    )]
    pub ownership_with_agent_pct: Option<Amount>,
    /// A bank or bank affiliate related to that agent only through the controlled group of a
    /// broker or investment banker (Treas. Reg. §1.1031(k)-1(k)(4)(ii)).
    #[serde(default)]
    pub bank_affiliate_of_broker_only: bool,
}

// eligibility (disqualified persons)
/// One kind of service and the last day it was performed.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QiService {
    pub kind: QiServiceKind,
    pub last_on: Date,
}

// eligibility (disqualified persons)
/// The services Treas. Reg. §1.1031(k)-1(k)(2) distinguishes.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum QiServiceKind {
    /// Employee, attorney, accountant, investment banker or broker, real-estate agent or
    /// broker on matters other than §1031 exchanges.
    Agent,
    /// Only services for exchanges intended to qualify under §1031.
    ExchangeOnly,
    /// Routine financial, title-insurance, escrow or trust services by a financial
    /// institution, title insurer or escrow company.
    RoutineFinancialTitleEscrow,
}

crate::spelling::words_enum!(QiServiceKind {
    Agent => "agent",
    ExchangeOnly => "exchange_only",
    RoutineFinancialTitleEscrow => "routine_financial_title_escrow",
});

fn deserialize_opt_fraction<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Amount>, D::Error> {
    deserialize_fraction(d).map(Some)
}

// states
/// `[california]`: California withholding (Form 593).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct California {
    /// The §1031 exchange was certified on Form 593 before closing (no withholding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form593_exchange_certified: Option<bool>,
}

/// `[death]`: the owner died holding the replacement (§1014).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Death {
    pub date: Date,
    /// FMV of the replacement property at the date of death.
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv_at_death: Amount,
    /// FMV at the alternate valuation date, if the estate elects it (§2032).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub alternate_valuation: Option<Amount>,
    /// Community property with a surviving spouse (§1014(b)(6)).
    #[serde(default)]
    pub community_property: bool,
}

/// Where a property is: a US state or DC, a US territory or possession, or a foreign country.
///
/// For §1031(h) only the States and the District of Columbia are "the United States"
/// (IRC §7701(a)(9)): property in a territory or possession is located outside the United
/// States.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// One of the 50 states or the District of Columbia.
    State(String),
    /// A US territory or possession (PR, GU, VI, AS, MP, UM): outside the United States for
    /// §1031(h) (IRC §7701(a)(9)).
    Territory(String),
    /// `foreign:XX`, an ISO 3166 country code.
    Foreign(String),
}

const STATES: [&str; 51] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC",
];
const TERRITORIES: [&str; 6] = ["PR", "GU", "VI", "AS", "MP", "UM"];

/// What each two-letter code names, indexed by its letters (`AA` = 0 … `ZZ` = 675): 1 a
/// State (or DC), 2 a territory, 0 nothing. One read instead of a search of both lists.
const KINDS: [u8; 26 * 26] = kinds();

const fn kinds() -> [u8; 26 * 26] {
    let mut out = [0u8; 26 * 26];
    let mut i = 0;
    while i < STATES.len() {
        out[letters(STATES[i].as_bytes())] = 1;
        i += 1;
    }
    let mut i = 0;
    while i < TERRITORIES.len() {
        out[letters(TERRITORIES[i].as_bytes())] = 2;
        i += 1;
    }
    out
}

/// The index of two upper-case letters in [`KINDS`].
const fn letters(b: &[u8]) -> usize {
    (b[0] - b'A') as usize * 26 + (b[1] - b'A') as usize
}

/// Which kind of place a valid `location` code names, read without allocating (the rules
/// ask this of every property several times per analysis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationKind {
    State,
    Territory,
    Foreign,
}

impl LocationKind {
    /// `None` when the code is not valid (validation reports it with its path).
    pub fn of(s: &str) -> Option<LocationKind> {
        let two = |c: &str| match c.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Some(letters(&[*a, *b])),
            _ => None,
        };
        if let Some(cc) = s.strip_prefix("foreign:") {
            return (two(cc).is_some() && cc != "US").then_some(LocationKind::Foreign);
        }
        match KINDS[two(s)?] {
            1 => Some(LocationKind::State),
            2 => Some(LocationKind::Territory),
            _ => None,
        }
    }

    /// True for real property located in the United States for §1031(h) purposes: the States
    /// and the District of Columbia only (IRC §7701(a)(9)); Puerto Rico and the other
    /// territories and possessions are outside it.
    pub fn is_us(self) -> bool {
        self == LocationKind::State
    }
}

impl Location {
    /// Parses `"CA"` or `"foreign:MX"`.
    pub fn parse(s: &str) -> Result<Location, String> {
        if let Some(cc) = s.strip_prefix("foreign:") {
            if cc.len() == 2 && cc.chars().all(|c| c.is_ascii_uppercase()) {
                if cc == "US" {
                    return Err("\"foreign:US\" is not foreign: use the state code".into());
                }
                return Ok(Location::Foreign(cc.to_string()));
            }
            return Err(format!(
                "{s:?}: a foreign location is \"foreign:\" and a two-letter ISO 3166 country code such as \"foreign:MX\""
            ));
        }
        if STATES.contains(&s) {
            Ok(Location::State(s.to_string()))
        } else if TERRITORIES.contains(&s) {
            Ok(Location::Territory(s.to_string()))
        } else {
            Err(format!(
                "{s:?} is not a US state or territory code (e.g. \"CA\", \"DC\", \"PR\") or \"foreign:XX\""
            ))
        }
    }

    /// True for real property located in the United States for §1031(h) purposes: the States
    /// and the District of Columbia only (IRC §7701(a)(9)).
    pub fn is_us(&self) -> bool {
        matches!(self, Location::State(_))
    }

    /// The state code, if in a state or DC.
    pub fn state(&self) -> Option<&str> {
        match self {
            Location::State(s) => Some(s),
            _ => None,
        }
    }
}

/// `[disaster]`: a federally declared disaster for which the IRS granted relief referring to
/// Rev. Proc. 2018-58 (a FEMA declaration alone postpones nothing). The dates are required
/// (they are `Option` only so that a missing one is reported with its path and rule).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Disaster {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The IRS notice or news release granting the relief, e.g. "CA-2026-05".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irs_notice: Option<String>,
    /// The date the disaster began (the "disaster date" of the IRS notice). Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disaster_date: Option<Date>,
    /// The date of the federal declaration. Optional, informative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_on: Option<Date>,
    /// The general postponement date stated in the IRS notice. Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postponement_date: Option<Date>,
    /// The taxpayer is an "affected taxpayer" (Treas. Reg. §301.7508A-1(d)(1)).
    #[serde(default)]
    pub affected_taxpayer: bool,
    /// Otherwise: why the disaster makes the deadline hard to meet (Rev. Proc. 2018-58
    /// §17: property or a party's place of business in the area, a party killed or injured,
    /// documents destroyed, no financing or title insurance because of the disaster).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<String>,
}

/// Which property the accommodation titleholder holds in a reverse exchange.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Parked {
    /// The EAT acquires the replacement first (the usual reverse exchange).
    #[default]
    Replacement,
    /// The EAT takes the relinquished property until it is sold.
    Relinquished,
}

crate::spelling::words_enum!(Parked {
    Replacement => "replacement",
    Relinquished => "relinquished",
});

/// `[reverse]`: the qualified exchange accommodation arrangement (Rev. Proc. 2000-37, as
/// modified by Rev. Proc. 2004-51).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reverse {
    /// The date qualified indicia of ownership were transferred to the EAT. Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualified_indicia_transferred: Option<Date>,
    #[serde(default)]
    pub parked: Parked,
    /// The date the written QEAA was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qeaa_signed: Option<Date>,
    /// The date the relinquished property was identified (replacement parked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relinquished_identified_on: Option<Date>,
    /// The last day the taxpayer owned the parked replacement property before parking it,
    /// if ever (Rev. Proc. 2004-51).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxpayer_last_owned_replacement_on: Option<Date>,
    /// The date the EAT transferred the parked property (to the taxpayer, or to the buyer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eat_transferred_on: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word-valued enum's table spells every value as its serialisation does (the
    /// contract's snake_case), so what is read is what is written back.
    #[test]
    fn words_are_the_contract_spellings() {
        fn check<T: Serialize + Copy + std::fmt::Debug + PartialEq>(words: &[(&str, T)]) {
            for (w, v) in words {
                assert_eq!(
                    serde_json::to_string(v).expect("serialise"),
                    format!("\"{w}\""),
                    "{v:?}"
                );
                let spoken = w.replace('_', " ").to_uppercase();
                let read: T = crate::spelling::find(&spoken, words).expect("spoken");
                assert_eq!(read, *v);
            }
        }
        check(ExchangeType::WORDS);
        check(Entity::WORDS);
        check(Use::WORDS);
        check(DisposedBy::WORDS);
        check(RelatedPartyException::WORDS);
        check(Interest::WORDS);
        check(QiServiceKind::WORDS);
        check(Parked::WORDS);
        assert_eq!(Entity::WORDS.len(), 6);
        assert_eq!(Use::WORDS.len(), 5);
        assert_eq!(Interest::WORDS.len(), 5);
    }

    /// QA: a purchase closing with no description showed the name the program made up
    /// ("property-3") on the ledger, the statement and the e-mails: its notice's address is
    /// used, else "Property 3".
    #[test]
    fn a_closing_is_named_in_words() {
        let file = |identified: &str| -> ExchangeFile {
            #[allow(clippy::expect_used)]
            crate::input::parse_exchange(
                &format!(
                    r#"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "R"
location = "TX"
acquired = "2015-01-10"
transferred = "2026-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "property-3"
fmv = "500000"
identified_on = "2026-03-10"
{identified}
[[replacement]]
id = "property-3"
location = "TX"
received = "2026-04-01"
price = "500000"
"#
                ),
                crate::input::Format::Toml,
            )
            .expect("test file")
            .into_file()
        };
        assert_eq!(
            file("").closing_words("property-3"),
            "Property 3, closed Apr 1, 2026"
        );
        assert_eq!(
            file(r#"address = "9 Pine Rd, Reno NV""#).closing_words("property-3"),
            "9 Pine Rd, Reno NV, closed Apr 1, 2026"
        );
        assert_eq!(
            file("").closing_words("property-7"),
            "Property 7 (a purchase closing no longer recorded on the exchange)"
        );
    }

    /// Every state and DC, every territory, foreign codes, and what is none of them.
    #[test]
    fn location_kinds() {
        for s in STATES {
            assert_eq!(LocationKind::of(s), Some(LocationKind::State), "{s}");
        }
        for s in TERRITORIES {
            assert_eq!(LocationKind::of(s), Some(LocationKind::Territory), "{s}");
        }
        assert_eq!(LocationKind::of("foreign:MX"), Some(LocationKind::Foreign));
        for s in [
            "",
            "C",
            "CAL",
            "ca",
            "Ca",
            "XX",
            "US",
            "foreign:US",
            "foreign:mx",
            "foreign:",
            "é",
        ] {
            assert_eq!(LocationKind::of(s), None, "{s:?}");
        }
    }
}
