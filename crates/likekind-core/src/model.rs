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
    // issue 5: planner
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::plan::PlanBlock>,
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
}

/// `[[other_property_received]]`: non-like-kind property received, e.g. a seller note.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OtherPropertyReceived {
    #[serde(default)]
    pub description: String,
    #[serde(deserialize_with = "deserialize_money")]
    pub fmv: Decimal,
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
