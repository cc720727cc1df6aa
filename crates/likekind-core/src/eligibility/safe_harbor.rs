//! Whether the exchange funds stayed out of the taxpayer's reach: the qualified intermediary
//! safe harbor and the release of the funds (Treas. Reg. §1.1031(k)-1(f), (g)(4), (g)(6)).
//!
//! A deferred exchange defers gain only if the taxpayer is not in actual or constructive
//! receipt of the money before receiving the replacement property ((f)(1)-(2)). The safe
//! harbors of (g) settle that question when a qualified intermediary (or a qualified escrow
//! account or trust) holds the funds under an agreement that keeps them from the taxpayer
//! until a (g)(6) event. Outside them, the question is one of fact the engine cannot decide:
//! it says so, with the rule, instead of deferring the gain in silence.

use crate::eligibility::qualification::Qualification;
use crate::findings::{Findings, Severity};
use crate::law::cite;
use crate::model::{ExchangeFile, ExchangeType};
use crate::money::format_date;
use crate::timing::constructive_receipt::ReleaseDates;

/// The authority for both findings: actual and constructive receipt, the qualified
/// intermediary safe harbor and the limits on the taxpayer's rights to the funds.
const AUTHORITY: &str = cite!(REG_1_1031_K_1 "(f)(1)-(2), (g)(4), (g)(6)");

/// The authority for who may hold the funds under a safe harbor and for the limits on their
/// release: the qualified escrow account or trust and the qualified intermediary, who is
/// neither the taxpayer nor a disqualified person, and the (g)(6) limits their agreement
/// must set.
pub const HOLDER_AUTHORITY: &str =
    cite!(REG_1_1031_K_1 "(g)(3), (g)(4)(i), (g)(4)(iii)(A), (g)(6), (k)");

/// Why no qualified intermediary, qualified escrow account or qualified trust held the
/// exchange funds, in words; `None` when one did, or is assumed to (a deferred, improvement
/// or reverse exchange whose file does not say otherwise).
///
/// The (g)(6) dates limit only the rights of a taxpayer whose funds such a holder keeps under
/// the (g)(3) or (g)(4) safe harbor: the qualified intermediary is then not the taxpayer's
/// agent (Treas. Reg. §1.1031(k)-1(g)(4)(i)), and the taxpayer is not in receipt of the money
/// until a (g)(6) event. There is none to wait for when:
///
/// - the verdict finds that the taxpayer had the money at the closing
///   ([`Qualification::taxpayer_received_funds`]): it took the money itself ((f)(1)-(2)), or
///   the "intermediary" holding it is a disqualified person ((k)), who cannot be a qualified
///   intermediary ((g)(4)(iii)(A)) and holds the money as the taxpayer's agent;
/// - the file says no such holder held the funds (`qualified_intermediary = false`);
/// - a simultaneous swap names no intermediary: none is assumed, so none held any funds.
///
/// The timeline (no release milestone, no release dates in the report) and the year of
/// recognition (no installment rule of (j)(2)) read this one answer.
pub fn no_qualified_holder(f: &ExchangeFile, q: &Qualification) -> Option<&'static str> {
    if let Some(r) = q.taxpayer_received_funds() {
        return Some(if r.code == "disqualified_intermediary" {
            "the intermediary holding the funds is a disqualified person, so it holds them as the taxpayer's agent and the taxpayer is treated as having received the money at the closing"
        } else {
            "the taxpayer received the money of the sale at the closing, so nobody held it for the exchange"
        });
    }
    match f.exchange.qualified_intermediary {
        Some(true) => None,
        Some(false) => Some(
            "the exchange file says no qualified intermediary, qualified escrow account or qualified trust held the funds",
        ),
        None if f.exchange.kind == ExchangeType::Simultaneous => Some(
            "this is a simultaneous swap and the exchange file names no qualified intermediary, so none is assumed to hold any funds",
        ),
        None => None,
    }
}

/// Whether a qualified intermediary (or a qualified escrow account or trust) held the
/// exchange funds: [`no_qualified_holder`] finds no reason it did not.
pub fn qualified_holder(f: &ExchangeFile, q: &Qualification) -> bool {
    no_qualified_holder(f, q).is_none()
}

/// The findings on the funds of a deferred exchange that otherwise qualifies (a taxable sale
/// is taxed whatever happened to its money): no qualified intermediary, or else funds
/// released before the earliest date (g)(6) allows (a date that binds only a qualified
/// holder's agreement, so never both).
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
        // The (g)(6) dates limit only a qualified holder's agreement: with none, there is no
        // date before which a release was early, and the warning above already says that
        // receipt is decided on the facts ((f)(2), (g)(4)(i)).
        return;
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
