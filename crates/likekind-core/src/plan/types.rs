//! What the planner returns: the plan, each strategy and what it costs, the QOF side.

use crate::amount::Amount;
use crate::explain::Step;
use crate::findings::Finding;
use crate::money::{serialize_money, serialize_opt_money};
use crate::oz::forms::OzForms;
use crate::oz::regime::Inclusion;
use crate::oz::window::Window;
use crate::plan::assumptions::Assumptions;
use jiff::civil::Date;
use serde::Serialize;

/// Where the exchange stands as of the plan date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeStatus {
    /// Replacement received; no gain recognized beyond what the report shows.
    Complete,
    /// Replacement received, with boot: part of the gain is recognized.
    Partial,
    /// The periods are still running and nothing is received yet.
    InProgress,
    /// No valid identification, or no replacement received in time.
    Failed,
}

impl ExchangeStatus {
    /// The status in words, for the planner's explanations.
    pub fn words(self) -> &'static str {
        match self {
            ExchangeStatus::Complete => "complete",
            ExchangeStatus::Partial => "partial: boot is recognized",
            ExchangeStatus::InProgress => "in progress",
            ExchangeStatus::Failed => "failed",
        }
    }
}

/// One path and what it costs.
#[derive(Debug, Clone, Serialize)]
pub struct Strategy {
    /// Stable identifier: `complete_1031`, `partial_1031_boot_to_qof`,
    /// `failed_1031_gain_to_qof`, `sell_pay_tax`, `installment_sale`, `dst_fallback`.
    pub name: String,
    pub title: String,
    pub eligible: bool,
    /// Why it is or is not available.
    pub eligibility: String,
    /// True when availability rests on a reading with no direct authority.
    pub relies_on_no_direct_authority: bool,
    /// Not available as things stand, yet figured: the figures are what the path would give
    /// on the condition its `eligibility` states (the exchange failing, or no boot taken).
    /// Written only when true, so the tables can say the figures are hypothetical instead of
    /// showing a plain "no" beside tax figures (QA12 D9).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hypothetical: bool,
    /// Rough tax on the gain recognized now.
    #[serde(serialize_with = "serialize_money")]
    pub tax_now: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub gain_recognized_now: Amount,
    /// Gain deferred (by §1031, a QOF or the installment method).
    #[serde(serialize_with = "serialize_money")]
    pub deferred: Amount,
    /// `none`, `indefinite`, `temporary`.
    pub deferral: &'static str,
    /// When the temporarily deferred gain (`deferred_temporarily`: the QOF investment or the
    /// installment gain) is recognized (null: indefinite, or nothing deferred). Gain deferred
    /// under §1031 (`deferred_indefinitely`) has no such date.
    pub recognition_date: Option<Date>,
    /// The part of `deferred` deferred under §1031, with no end date (IRC §1031(a)).
    #[serde(serialize_with = "serialize_money")]
    pub deferred_indefinitely: Amount,
    /// The part of `deferred` deferred only until `recognition_date`: the gain invested in a
    /// QOF (IRC §1400Z-2(a)-(b)) or reported on the installment method.
    #[serde(serialize_with = "serialize_money")]
    pub deferred_temporarily: Amount,
    /// Each amount with what happens to it, in words: "$700,000.00 deferred indefinitely
    /// under §1031; $200,000.00 invested in the QOF deferred until 2032-01-01; $300,000.00
    /// taxed now".
    pub deferred_label: String,
    #[serde(serialize_with = "serialize_money")]
    pub basis_step_up: Amount,
    /// Rough tax when the deferral ends (at the horizon for §1031 with a sale).
    #[serde(serialize_with = "serialize_money")]
    pub tax_when_deferral_ends: Amount,
    /// Every tax the after-tax value subtracts after now, at face value: the deferred gain's
    /// tax when its deferral ends plus the tax on selling everything at the horizon (the
    /// growth's included); zero when held until death, except a QOF's deferred gain.
    #[serde(serialize_with = "serialize_money")]
    pub tax_later: Amount,
    /// After-tax wealth at the horizon (null when the path does not apply at all).
    #[serde(serialize_with = "serialize_opt_money")]
    pub after_tax_value: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qof: Option<QofPlan>,
    /// Trade-offs and caveats, in words.
    pub notes: Vec<String>,
}

impl Strategy {
    /// A path not (yet) available: nothing taxed, deferred or projected; the caller says why.
    pub(crate) fn not_available(name: &str, title: &str) -> Strategy {
        Strategy {
            deferred_indefinitely: Amount::ZERO,
            deferred_temporarily: Amount::ZERO,
            deferred_label: String::new(),
            name: name.into(),
            title: title.into(),
            eligible: false,
            eligibility: String::new(),
            relies_on_no_direct_authority: false,
            hypothetical: false,
            tax_now: Amount::ZERO,
            gain_recognized_now: Amount::ZERO,
            deferred: Amount::ZERO,
            deferral: "none",
            recognition_date: None,
            basis_step_up: Amount::ZERO,
            tax_when_deferral_ends: Amount::ZERO,
            tax_later: Amount::ZERO,
            after_tax_value: None,
            qof: None,
            notes: Vec::new(),
        }
    }
}

/// The QOF investment a strategy assumes.
#[derive(Debug, Clone, Serialize)]
pub struct QofPlan {
    pub investment_date: Date,
    /// The dates that give the same treatment.
    pub invest_from: Date,
    pub invest_to: Date,
    #[serde(serialize_with = "serialize_money")]
    pub amount: Amount,
    /// The part of the investment paid with money of the investor's own, beyond the money
    /// the file shows (the sale's net cash, or the boot's), on the investment date: zero
    /// unless that money does not even pay the tax that falls due. A QOF defers gain up to
    /// the amount invested, from whatever money (IRC §1400Z-2(a)(1)(A)).
    #[serde(
        serialize_with = "serialize_money",
        skip_serializing_if = "Amount::is_zero"
    )]
    pub outside_cash: Amount,
    pub advice: String,
    pub inclusion: Inclusion,
    pub forms: OzForms,
}

/// The OZ side of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct OzSummary {
    /// Gain recognized if the exchange fails (the engine's figure for a taxable sale).
    #[serde(serialize_with = "serialize_money")]
    pub gain_if_failed: Amount,
    /// Ordinary recapture in it: never eligible.
    #[serde(serialize_with = "serialize_money")]
    pub ordinary_recapture_not_eligible: Amount,
    /// A dealer's gain in it (property held for sale to customers, IRC §1221(a)(1)):
    /// ordinary income, never eligible (Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)).
    #[serde(
        serialize_with = "serialize_money",
        skip_serializing_if = "Amount::is_zero"
    )]
    pub dealer_income_not_eligible: Amount,
    /// Gain in it on depreciable or business property held one year or less (Form 4797 Part
    /// II): ordinary income, neither capital gain nor §1231 gain (IRC §§1221(a)(2), 1231(b)(1)),
    /// so never eligible (Treas. Reg. §1.1400Z2(a)-1(b)(11)(i)(A)).
    #[serde(
        serialize_with = "serialize_money",
        skip_serializing_if = "Amount::is_zero"
    )]
    pub short_held_ordinary_not_eligible: Amount,
    #[serde(serialize_with = "serialize_money")]
    pub eligible_gain_if_failed: Amount,
    /// Eligible gain the file as entered recognizes (boot gain).
    #[serde(serialize_with = "serialize_money")]
    pub eligible_gain_as_entered: Amount,
    pub windows: Vec<Window>,
    /// Other gains of the year (`[[plan.other_gains]]`) and their QOF option.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_gains: Vec<OtherGainPlan>,
}

/// A gain outside the exchange and the QOF investment that could defer it.
#[derive(Debug, Clone, Serialize)]
pub struct OtherGainPlan {
    pub description: String,
    #[serde(serialize_with = "serialize_money")]
    pub gain: Amount,
    /// The best investment, or why there is none.
    pub advice: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inclusion: Option<Inclusion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forms: Option<OzForms>,
}

/// The recommended path and why.
#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub strategy: String,
    pub reason: String,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub plan_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<String>,
    pub as_of: Date,
    pub status: ExchangeStatus,
    pub status_reason: String,
    pub horizon_date: Date,
    /// Net cash from the sale (sale price less liabilities and costs): the money compared.
    #[serde(serialize_with = "serialize_money")]
    pub equity: Amount,
    /// The gain a sale with no exchange realizes (the paths start from it); when the exchange
    /// as entered realizes another figure (Form 8824 line 19), a finding says both.
    #[serde(serialize_with = "serialize_money")]
    pub realized_gain: Amount,
    pub recommended: Option<Recommendation>,
    pub strategies: Vec<Strategy>,
    pub oz: OzSummary,
    pub assumptions: Assumptions,
    pub findings: Vec<Finding>,
    pub explanation: Vec<Step>,
}

impl Plan {
    /// A strategy's name for people, given its key (`strategies[].name`, the
    /// recommendation's `strategy`): its title in this plan, or the words of the key when
    /// the plan has no such strategy. Never the key itself.
    pub fn strategy_title(&self, key: &str) -> String {
        self.strategies
            .iter()
            .find(|s| s.name == key)
            .map_or_else(|| crate::words::code(key), |s| s.title.clone())
    }
}
