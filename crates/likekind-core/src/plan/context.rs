//! The facts every strategy reads: the assumptions, the rates, the dates and the status.

use crate::amount::Amount;
use crate::law::cite;
use crate::oz::regime::whole_years;
use crate::plan::assumptions::Assumptions;
use crate::plan::tax::Rates;
use crate::plan::types::ExchangeStatus;
use crate::timing::calendar::YearEnd;
use crate::timing::deadlines::Deadlines;
use jiff::civil::Date;

/// The law behind the planner's tax figures: the capital gain rates (IRC §1(h)), the net
/// investment income tax (§1411) and the basis of property from a decedent (§1014), applied
/// to the stated assumptions; an estimate for comparing paths, never a return.
pub(crate) const PLAN_AUTH: &str = cite!([IRC_1 "(h)", IRC_1411, IRC_1014] " (the rates applied to the stated assumptions: an estimate, not a return)");

pub(crate) struct Ctx<'a> {
    pub(crate) a: &'a Assumptions,
    pub(crate) rates: Rates,
    pub(crate) as_of: Date,
    pub(crate) horizon_date: Date,
    pub(crate) equity: Amount,
    pub(crate) deadlines: &'a Deadlines,
    pub(crate) status: ExchangeStatus,
    pub(crate) transfer_long_term: bool,
    pub(crate) year_end: YearEnd,
    /// The tax year whose return reports the gain of the exchange if it fails, and carries its
    /// QOF deferral election (the analysis's year of recognition, Treas. Reg.
    /// §1.1031(k)-1(j)(2); Instructions for Form 8949, code Z).
    pub(crate) failed_gain_year: i16,
    /// The same for the gain of the exchange as entered (the boot of a partial exchange).
    pub(crate) entered_gain_year: i16,
    /// The relinquished property was sold to a related person ([`crate::model::RelatedParty::is_buyer`]):
    /// its gain cannot be deferred in a QOF (IRC §1400Z-2(a)(1), (e)(2)).
    pub(crate) related_buyer: bool,
    /// The taxpayer elected out of the installment method (IRC §453(d)(1)): the gain is
    /// reported in the year of the transfer, and no 180-day start rests on installment
    /// reporting (Treas. Reg. §1.1400Z2(a)-1(b)(11)(viii)(B) covers only gain reported on
    /// the installment method).
    pub(crate) elect_out_installment: bool,
    /// The failed exchange's gain in the two tax years the installment method reports it in,
    /// as the analysis splits it (Treas. Reg. §1.1031(k)-1(j)(2); IRC §453(c)); None when one
    /// tax year reports it all.
    pub(crate) failed_split: Option<crate::plan::payments::Split>,
    /// The verdict finds the taxpayer had the sale's money at the closing (it took it, or a
    /// disqualified intermediary held it as its agent: Treas. Reg. §1.1031(k)-1(f), (k)):
    /// the verdict's reason in words. No qualified intermediary held anything, so no
    /// installment reporting under (j)(2) and no 180-day start on a release
    /// ([`crate::eligibility::qualification::Qualification::taxpayer_received_funds`]).
    pub(crate) funds_at_closing: Option<String>,
}

impl Ctx<'_> {
    pub(crate) fn years_to(&self, d: Date) -> u32 {
        u32::try_from(whole_years(self.as_of, d)).unwrap_or(0)
    }
}
