//! The exchange file (contract v1, `shared/spec/exchange-file.md`) as Rust types.
//!
//! Names here are the contract's names: users and outside tests depend on them, so fields may
//! be added (optional) but never renamed. Unknown fields are rejected (`deny_unknown_fields`)
//! so that a typo cannot silently change a tax result. Syntax (types, dates, enums) is checked
//! while parsing; cross-field rules are checked by [`crate::validate`].

use crate::money::{deserialize_money, deserialize_opt_money};
use jiff::civil::Date;
use rust_decimal::Decimal;
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
    // --- optional blocks of the deadlines/identification work (issue 3) ---
    // --- optional blocks of the special situations (issue 4) ---
    /// issue 4: death of the owner after the exchange (§1014 step-up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death: Option<Death>,
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
    // issue 4: depreciation
    /// Election out of Reg. 1.168(i)-6 for this exchange ((i); made per exchange on Form
    /// 4562).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub elect_out_168i6: bool,
    // issue 4: straddle
    /// A qualified intermediary or qualified escrow/trust held the exchange funds
    /// (Reg. 1.1031(k)-1(g)(3)-(4)). Absent: assumed for a delayed exchange.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualified_intermediary: Option<bool>,
    /// The taxpayer's judgement: bona fide intent to do a deferred exchange at the start of
    /// the exchange period (Reg. 1.1031(k)-1(j)(2)(iv)). Absent: not established.
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
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeType {
    /// Relinquished first, replacement within 45/180 days (Reg. 1.1031(k)-1).
    #[default]
    Delayed,
    /// Both properties change hands at once.
    Simultaneous,
    /// Replacement parked with an EAT first (Rev. Proc. 2000-37).
    Reverse,
    /// Replacement improved while held by an EAT or QI (Reg. 1.1031(k)-1(e)).
    Improvement,
}

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
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Individual,
    Partnership,
    SCorporation,
    CCorporation,
    Trust,
    Estate,
}

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
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Use {
    #[default]
    Investment,
    Business,
    PersonalResidence,
    VacationHome,
    Dealer,
}

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
    pub id: String,
    #[serde(default)]
    pub description: String,
    pub location: String,
    #[serde(default, rename = "use")]
    pub use_: Use,
    pub acquired: Date,
    pub transferred: Date,
    /// Amount realized before expenses = FMV given up.
    #[serde(deserialize_with = "deserialize_money")]
    pub sale_price: Decimal,
    #[serde(deserialize_with = "deserialize_money")]
    pub adjusted_basis: Decimal,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub depreciation_allowed: Decimal,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub additional_depreciation: Decimal,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub section1245_depreciation: Decimal,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub liabilities_relieved: Decimal,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub exchange_expenses: Decimal,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub other_closing_costs: Decimal,
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub cash_received: Option<Decimal>,
    // issue 4: depreciation
    /// When the building was placed in service (starts its recovery period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed_in_service: Option<Date>,
    /// `residential` (27.5 years) or `nonresidential` (39 years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_class: Option<crate::macrs::RealPropertyClass>,
    /// Recovery period in years, overriding `property_class`.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub recovery_years: Option<Decimal>,
    /// Unadjusted depreciable basis of the building (cost without land).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub depreciable_basis: Option<Decimal>,
}

/// `[[identified]]`: a written identification notice (Reg. 1.1031(k)-1(c)).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Identified {
    pub id: String,
    #[serde(default)]
    pub description: String,
    /// FMV at the end of the identification period.
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv: Decimal,
    pub identified_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_on: Option<Date>,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub incidental_personal_property: Decimal,
}

/// `[[replacement]]`: like-kind property received.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Replacement {
    pub id: String,
    #[serde(default)]
    pub description: String,
    pub location: String,
    #[serde(default, rename = "use")]
    pub use_: Use,
    pub received: Date,
    /// FMV of the real property received.
    #[serde(deserialize_with = "deserialize_money")]
    pub price: Decimal,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub liabilities_assumed: Decimal,
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub cash_paid: Option<Decimal>,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub exchange_expenses: Decimal,
    #[serde(default, deserialize_with = "deserialize_money")]
    pub other_closing_costs: Decimal,
    /// FMV of non-real property received with it (boot).
    #[serde(default, deserialize_with = "deserialize_money")]
    pub personal_property: Decimal,
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub land_value: Option<Decimal>,
    /// Extension: FMV of §1245 property (e.g. cost-segregation components) included in
    /// `price`, for the §1245(b)(4) limit on line 21. Default 0.
    #[serde(default, deserialize_with = "deserialize_money")]
    pub section1245_value: Decimal,
    // issue 4: depreciation
    /// When the replacement was placed in service (default: `received`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placed_in_service: Option<Date>,
    /// `residential` (27.5 years) or `nonresidential` (39 years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_class: Option<crate::macrs::RealPropertyClass>,
    /// Recovery period in years, overriding `property_class`.
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub recovery_years: Option<Decimal>,
}

/// `[[other_property_given]]`: non-like-kind property given up (Form 8824 lines 12-14).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OtherPropertyGiven {
    #[serde(default)]
    pub description: String,
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv: Decimal,
    #[serde(deserialize_with = "deserialize_money")]
    pub adjusted_basis: Decimal,
    // issue 4: multi-asset
    /// Asset class for the Reg. 1.1031(j)-1 residual group: `class_ii` (marketable stock,
    /// CDs, foreign currency), `class_iii` (default: all other property), `class_iv`
    /// (goodwill, going-concern value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_class: Option<crate::multi_asset::AssetClass>,
}

/// `[[other_property_received]]`: non-like-kind property received, e.g. a seller note.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OtherPropertyReceived {
    #[serde(default)]
    pub description: String,
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv: Decimal,
    // issue 4: straddle
    /// The property is the buyer's installment note (gain reported as it is paid, §453).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub installment_obligation: bool,
    // issue 4: multi-asset
    /// Asset class for the Reg. 1.1031(j)-1 residual group (see `other_property_given`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset_class: Option<crate::multi_asset::AssetClass>,
}

/// `[related_party]`: the exchange was with a related party (§1031(f)).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RelatedParty {
    pub name: String,
    pub relationship: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disposed_on: Option<Date>,
}

/// `[death]` (issue 4): the owner died holding the replacement (§1014).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Death {
    pub date: Date,
    /// FMV of the replacement property at the date of death.
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv_at_death: Decimal,
    /// FMV at the alternate valuation date, if the estate elects it (§2032).
    #[serde(
        default,
        deserialize_with = "deserialize_opt_money",
        skip_serializing_if = "Option::is_none"
    )]
    pub alternate_valuation: Option<Decimal>,
    /// Community property with a surviving spouse (§1014(b)(6)).
    #[serde(default)]
    pub community_property: bool,
}

/// Where a property is: a US state or territory, or a foreign country (§1031(h)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// One of the 50 states or the District of Columbia.
    State(String),
    /// A US territory or possession (PR, GU, VI, AS, MP, UM).
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

    /// True for real property located in the United States for §1031(h) purposes.
    pub fn is_us(&self) -> bool {
        !matches!(self, Location::Foreign(_))
    }

    /// The state code, if in a state or DC.
    pub fn state(&self) -> Option<&str> {
        match self {
            Location::State(s) => Some(s),
            _ => None,
        }
    }
}
