//! The analysis report: what `likekind analyze --format json` prints and the API returns
//! (contract: `docs/exchange-file.md`, "Report"). Keys may be added, never renamed.

use crate::amount::Amount;
use crate::explain::Step;
use crate::findings::Finding;
use crate::gain::balance::Balance;
use crate::gain::basis::PropertyBasis;
use crate::gain::form8824::Form8824Lines;
use crate::identification::Identification;
use crate::money::serialize_money;
use crate::timing::deadlines::Deadlines;
use jiff::civil::Date;
use serde::Serialize;

/// The whole analysis of one exchange.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Version of this report's shape (the contract version).
    pub report_version: u32,
    pub exchange: ExchangeSummary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadlines: Option<Deadlines>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identification: Option<Identification>,
    /// The one qualification verdict every figure of the report follows.
    pub qualification: crate::eligibility::qualification::Qualification,
    pub form_8824: Form8824Lines,
    pub form_8824_part_i: PartI,
    pub gain: Gain,
    pub boot: Boot,
    pub replacement_basis: Vec<PropertyBasis>,
    pub other_property_basis: Vec<OtherBasis>,
    pub money: Balance,
    pub findings: Vec<Finding>,
    pub explanation: Vec<Step>,
    // related parties
    /// Form 8824 Part II (lines 8-11), when the exchange was with a related party.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form_8824_part_ii: Option<crate::gain::form8824::part_ii::PartII>,
    // homes
    /// Rev. Proc. 2008-16 safe harbor for each dwelling with usage days.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vacation_home_safe_harbor: Vec<crate::eligibility::vacation_home::SafeHarbor>,
    /// §121 with §1031 (Rev. Proc. 2005-14), when `[home_sale]` is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_sale: Option<crate::eligibility::section121::HomeSaleResult>,
    /// The dates of a plan to move into a replacement (`[residence_plan]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence_plan: Option<crate::eligibility::move_in::ResidencePlanResult>,
    // states
    /// State of each property, California clawback and withholding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub states: Option<crate::after::states::States>,
    // --- special situations ---
    /// Treas. Reg. §1.1031(j)-1 computation and the statement that replaces lines 12-18.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multi_asset: Option<MultiAsset>,
    /// Character of each recognized amount and the form line it goes to.
    pub character: crate::gain::character::Character,
    /// Year(s) the gain is reported in (failed or straddle exchange, Treas.
    /// Reg. §1.1031(k)-1(j)(2)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recognition_years: Option<crate::after::straddle::Straddle>,
    /// Treas. Reg. §1.168(i)-6 schedule per replacement (`likekind analyze --depreciation YEARS`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depreciation: Vec<ReplacementDepreciation>,
    /// §1014 step-up when the owner died holding the replacement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub death: Option<crate::after::death::StepUp>,
    // --- added keys ---
    /// Every deadline on the report date: days left, what is overdue, what is next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::timing::status::Status>,
    /// When the exchange funds may be released (Treas. Reg. §1.1031(k)-1(g)(6)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constructive_receipt: Option<crate::timing::constructive_receipt::ReleaseDates>,
    /// The QEAA dates of a reverse exchange (Rev. Proc. 2000-37).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reverse: Option<crate::timing::reverse::ReverseOutcome>,
}

/// The report's `multi_asset` section.
#[derive(Debug, Clone, Serialize)]
pub struct MultiAsset {
    #[serde(flatten)]
    pub computation: crate::gain::multi_asset::MultiAssetResult,
    /// The statement to attach to Form 8824 instead of lines 12-18 (empty in
    /// [`figures`](crate::analyze::figures), which writes no words).
    pub statement: String,
    /// Whether lines 19-25 of the report were entered from this statement (Instructions for
    /// Form 8824, Multi-asset exchanges) instead of computed from lines 12-18. In the report
    /// only when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub enters_lines_19_to_25: bool,
}

/// The depreciation of one replacement.
#[derive(Debug, Clone, Serialize)]
pub struct ReplacementDepreciation {
    pub replacement: crate::id::Id,
    #[serde(flatten)]
    pub result: crate::after::depreciation::DepreciationResult,
}

impl Report {
    /// True when a finding says the exchange fails as entered (CLI exit code 1).
    pub fn has_error(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == crate::findings::Severity::Error)
    }
}

/// Who and what, for the report's header.
#[derive(Debug, Clone, Serialize)]
pub struct ExchangeSummary {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: crate::model::ExchangeType,
    pub taxpayer: String,
    pub entity: crate::model::Entity,
    pub as_of: Date,
}

pub use crate::gain::form8824::part_i::PartI;

/// Realized, recognized and deferred gain, and its character.
#[derive(Debug, Clone, Serialize)]
pub struct Gain {
    /// Line 19.
    #[serde(serialize_with = "serialize_money")]
    pub realized: Amount,
    /// Line 23.
    #[serde(serialize_with = "serialize_money")]
    pub recognized: Amount,
    /// Line 24.
    #[serde(serialize_with = "serialize_money")]
    pub deferred: Amount,
    /// Line 21 (to Form 4797 line 16).
    #[serde(serialize_with = "serialize_money")]
    pub ordinary_recapture: Amount,
    /// Unrecaptured §1250 gain inside line 22 (25% maximum rate).
    #[serde(serialize_with = "serialize_money")]
    pub unrecaptured_1250: Amount,
    /// Straight-line depreciation not recognized now, carried into the replacement (it
    /// becomes unrecaptured §1250 gain when the replacement is sold).
    #[serde(serialize_with = "serialize_money")]
    pub unrecaptured_1250_deferred: Amount,
    /// Line 14: gain or (loss) on other property given up, reported as a sale.
    #[serde(serialize_with = "serialize_money")]
    pub other_property_given: Amount,
    /// Line 23 + line 14.
    #[serde(serialize_with = "serialize_money")]
    pub total_recognized: Amount,
    /// Where line 22 is reported.
    pub line_22_reported_on: crate::explain::Text,
    /// Gain excluded under §121 before §1031 applies (Rev. Proc. 2005-14), shown on its own
    /// line: line 19 stays the whole realized gain and lines 23-25 apply the exclusion.
    #[serde(
        serialize_with = "serialize_money",
        skip_serializing_if = "Amount::is_zero"
    )]
    pub excluded_121: Amount,
    /// A loss realized in a taxable sale of personal-use property: never deductible
    /// (IRC §165(c)); not deferred either.
    #[serde(
        serialize_with = "serialize_money",
        skip_serializing_if = "Amount::is_zero"
    )]
    pub loss_not_deductible: Amount,
}

/// The boot: what was received that is not like-kind property.
#[derive(Debug, Clone, Serialize)]
pub struct Boot {
    /// Cash received, including cash constructively received to pay exchange expenses and
    /// non-exchange costs paid with exchange money.
    #[serde(serialize_with = "serialize_money")]
    pub cash: Amount,
    /// Net liabilities assumed by the other party (mortgage boot).
    #[serde(serialize_with = "serialize_money")]
    pub net_liabilities: Amount,
    /// FMV of other property received (including personal property with the real property).
    #[serde(serialize_with = "serialize_money")]
    pub other_property: Amount,
    /// Exchange expenses that offset the boot on line 15.
    #[serde(serialize_with = "serialize_money")]
    pub exchange_expenses_offset: Amount,
    /// Line 15.
    #[serde(serialize_with = "serialize_money")]
    pub total: Amount,
}

/// Basis of other (not like-kind) property received: its FMV (IRC §1031(d)).
#[derive(Debug, Clone, Serialize)]
pub struct OtherBasis {
    pub description: String,
    #[serde(serialize_with = "serialize_money")]
    pub basis: Amount,
}
