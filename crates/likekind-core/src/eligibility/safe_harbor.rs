//! Whether the exchange funds stayed out of the taxpayer's reach: the qualified intermediary
//! safe harbor and the release of the funds (Treas. Reg. §1.1031(k)-1(f), (g)(4), (g)(6)).
//!
//! A deferred exchange defers gain only if the taxpayer is not in actual or constructive
//! receipt of the money before receiving the replacement property ((f)(1)-(2)). The safe
//! harbors of (g) settle that question when a qualified intermediary (or a qualified escrow
//! account or trust) holds the funds under an agreement that keeps them from the taxpayer
//! until a (g)(6) event. Outside them, the question is one of fact the engine cannot decide:
//! it says so, with the rule, instead of deferring the gain in silence.

use crate::findings::{Findings, Severity};
use crate::law::cite;
use crate::model::{ExchangeFile, ExchangeType};
use crate::money::format_date;
use crate::timing::constructive_receipt::ReleaseDates;

/// The authority for both findings: actual and constructive receipt, the qualified
/// intermediary safe harbor and the limits on the taxpayer's rights to the funds.
const AUTHORITY: &str = cite!(REG_1_1031_K_1 "(f)(1)-(2), (g)(4), (g)(6)");

/// The findings on the funds of a deferred exchange that otherwise qualifies (a taxable sale
/// is taxed whatever happened to its money): no qualified intermediary, or funds released
/// before the earliest date (g)(6) allows.
pub fn findings(f: &ExchangeFile, release: &ReleaseDates, taxable_sale: bool, fx: &mut Findings) {
    if taxable_sale
        || !matches!(
            f.exchange.kind,
            ExchangeType::Delayed | ExchangeType::Improvement
        )
    {
        return;
    }
    if f.exchange.qualified_intermediary == Some(false) {
        crate::finding_at!(
            fx,
            "no_qualified_intermediary",
            Severity::Warning,
            "exchange.qualified_intermediary",
            "The file says no qualified intermediary, qualified escrow account or qualified trust held the exchange funds. Without one of those safe harbors, whether you were in constructive receipt of the money before you received the replacement property is decided on the facts: money held by your agent (your attorney, broker or employee of the last two years) counts as yours, and money you could draw on at any time makes the transfer a sale. [U] uncertain: the engine defers the gain as entered; have the exchange agreement and who held the money reviewed before you file.",
            AUTHORITY,
        );
    }
    let earliest = &release.earliest;
    if let Some(d) = f.exchange.funds_released_on
        && d < earliest.earliest
    {
        crate::finding_at!(
            fx,
            "funds_released_early",
            Severity::Warning,
            "exchange.funds_released_on",
            format!(
                "The file says the exchange funds were released to you on {}, before the earliest date the exchange agreement may allow, {} (when {}). The qualified intermediary safe harbor holds only if the agreement keeps the money from you until then; an agreement that let it go earlier does not, and then you may have been in constructive receipt of all the exchange funds from the sale, which makes the transfer a sale. Money you actually received before the replacement property is taxable boot at least. [U] uncertain: a written, material and substantial contingency beyond your control, occurring after the identification period, may allow an earlier release ((g)(6)(iii)(B)); so may an error in the date. The engine defers the gain as entered; check the date and the agreement.",
                format_date(d),
                format_date(earliest.earliest),
                earliest.rule.words()
            ),
            AUTHORITY,
        );
    }
}
