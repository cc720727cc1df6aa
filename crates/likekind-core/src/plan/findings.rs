//! What the planner notices across the strategies.

use crate::amount::Amount;
use crate::findings::{Findings, Severity};
use crate::law::cite;
use crate::model::{Entity, ExchangeFile};
use crate::money::format_usd;
use crate::oz::regime::{
    NEW_ZONES_END, NEW_ZONES_START, OBBBA_START, ORIGINAL_ZONES_END,
    ORIGINAL_ZONES_END_PUERTO_RICO, ZONES_AUTH,
};
use crate::oz::window::Window;
use crate::plan::context::Ctx;
use crate::plan::types::{QofPlan, Strategy};

/// How the plan funds a QOF investment, in words: never more than the sale's money can carry
/// with the taxes that fall due, except a path whose money carries no investment at all,
/// which invests with the investor's own money (`QofPlan::outside_cash`).
fn money_words(s: &[Strategy]) -> &'static str {
    if s.iter()
        .filter_map(|x| x.qof.as_ref())
        .any(|q| q.outside_cash > Amount::ZERO)
    {
        "the plan never invests more in a fund than the sale's money can carry with the taxes that fall due, except where that money does not even pay the tax now: there it invests the gain with money of your own, says how much, and counts that money and its growth as spent"
    } else {
        "the plan never invests more in a fund than the sale's money can carry with the taxes that fall due"
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn findings(
    fx: &mut Findings,
    c: &Ctx,
    f: &ExchangeFile,
    s: &[Strategy],
    windows: &[Window],
    partial_windows: &[Window],
    recapture: Amount,
    (realized, realized_as_entered): (Amount, Amount),
) {
    crate::finding!(
        fx,
        "plan_rough_estimate",
        Severity::Info,
        format!(
            "The taxes and values are a rough estimate from the stated assumptions (defaults used: {}): no brackets, AMT, depreciation of the replacement or discounting, and no losses: a net capital loss when everything is sold at the horizon is taken as no tax, never a refund (an individual deducts at most $3,000 of it a year, $1,500 married filing separately), and {}. Not a return and not advice.",
            if c.a.defaults_used.is_empty() {
                "none".to_string()
            } else {
                c.a.defaults_used.join(", ")
            },
            money_words(s)
        ),
        cite!([IRC_1 "(h)", IRC_1411, IRC_1014, IRC_1211 "(b)"] " (the rates applied to the stated assumptions: an estimate, not a return)"),
    );
    no_gain_findings(fx, c, realized, realized_as_entered);
    if !f.replacement.is_empty() && realized_as_entered != realized {
        crate::finding!(
            fx,
            "plan_realized_gain_as_entered",
            Severity::Info,
            format!(
                "A sale with no exchange realizes {}, the gain the plan starts from; the exchange as entered realizes {} (Form 8824, line 19), because it counts the exchange expenses and the other property of both sides, the purchase's included. The exchange paths defer or tax the exchange's figure.",
                format_usd(realized),
                format_usd(realized_as_entered)
            ),
            cite!(IRC_1001; FORM_8824 ", lines 15-19"),
        );
    }
    // With no gain on either reading there is nothing for a fund's 180 days to count from.
    if realized > Amount::ZERO || realized_as_entered > Amount::ZERO {
        window_findings(c, windows, partial_windows, fx);
    }
    if recapture > Amount::ZERO {
        crate::finding!(
            fx,
            "oz_recapture_not_eligible",
            Severity::Info,
            format!(
                "{} of the gain is §1245/§1250 ordinary recapture: it is taxed now on every path except a §1031 exchange and cannot be deferred in a QOF.",
                format_usd(recapture)
            ),
            crate::oz::ELIGIBLE_GAIN_AUTHORITY,
        );
    }
    qof_findings(c, f, s, fx);
    if matches!(f.taxpayer.entity, Entity::CCorporation) && !c.a.niit_rate.is_zero() {
        crate::finding_at!(
            fx,
            "plan_niit_c_corporation",
            Severity::Warning,
            "plan.niit_rate",
            "A C corporation does not pay the NIIT and has a flat rate: set plan.niit_rate = 0 and the corporate rate in plan.federal_capital_gain_rate and plan.ordinary_rate.",
            cite!([IRC_11 "(b)", IRC_1411 "(a)"]),
        );
    }
}

/// A sale that realizes no gain: nothing to defer, and an amount planned for a fund has nothing
/// to defer either.
fn no_gain_findings(fx: &mut Findings, c: &Ctx, realized: Amount, realized_as_entered: Amount) {
    if realized <= Amount::ZERO {
        crate::finding!(
            fx,
            "plan_no_gain",
            Severity::Info,
            format!(
                "The sale realizes no gain ({}): there is nothing to defer, and a taxable sale lets a loss be deducted where an exchange would defer it.",
                format_usd(realized)
            ),
            cite!([IRC_1001, IRC_1031 "(a)", IRC_165]),
        );
        // A fund defers gain only (IRC §1400Z-2(a)(1)): an amount planned for one here has
        // nothing to defer, which the person planning it should hear, not find by its absence.
        if let Some(q) = c.a.qof_amount.filter(|q| *q > Amount::ZERO)
            && realized_as_entered <= Amount::ZERO
        {
            crate::finding_at!(
                fx,
                "plan_qof_without_gain",
                Severity::Warning,
                "plan.qof_amount",
                format!(
                    "You planned {} in a Qualified Opportunity Fund, but neither a sale nor the exchange as entered realizes a gain ({} and {}): a fund defers only gain, so no path of the plan invests it and nothing would be deferred.",
                    format_usd(q),
                    format_usd(realized),
                    format_usd(realized_as_entered)
                ),
                cite!(IRC_1400Z_2 "(a)(1)"),
            );
        }
    }
}

/// How the QOF window counts its days, a window already closed, and a start with no direct
/// authority.
fn window_findings(c: &Ctx, windows: &[Window], partial_windows: &[Window], fx: &mut Findings) {
    use crate::oz::window::GENERAL;
    if let Some(w) = windows.first() {
        crate::finding!(
            fx,
            "oz_window_day_count",
            Severity::Info,
            format!(
                "The QOF 180 days count the day the gain is recognized as day 1: the window from {} ends {}, with no weekend or holiday extension. Calculators that count like §1031 give {} — not relied on.",
                w.start, w.end, w.end_if_counted_like_1031
            ),
            GENERAL,
        );
        if c.as_of > w.end {
            crate::finding!(
                fx,
                "oz_window_closed",
                Severity::Warning,
                if windows
                    .iter()
                    .skip(1)
                    .any(|x| x.direct_authority && c.as_of <= x.end)
                {
                    format!(
                        "The conservative QOF window (transfer date {}) closed on {}, before {}: the owners' own 180-day periods for their shares of the entity's gain are still open (Treas. Reg. §1.1400Z2(a)-1(c)(8)(iii), (c)(9)); any other QOF path rests on readings with no direct authority.",
                        w.start, w.end, c.as_of
                    )
                } else {
                    format!(
                        "The conservative QOF window (transfer date {}) closed on {}, before {}: a QOF path now rests only on readings with no direct authority.",
                        w.start, w.end, c.as_of
                    )
                },
                GENERAL,
            );
        }
    }
    // The start of the 180 days for failed or partial §1031 gain is uncertain whatever the
    // windows shown; the QI-release start is offered only where the funds come back in a
    // later tax year (Treas. Reg. §1.1031(k)-1(j)(2)), and the finding says which.
    if !windows.is_empty() || !partial_windows.is_empty() {
        let alternative = windows
            .iter()
            .chain(partial_windows)
            .any(|w| !w.direct_authority);
        if !alternative && c.funds_at_closing.is_some() {
            sale_start_finding(fx);
            return;
        }
        crate::finding!(
            fx,
            "oz_failed_1031_start_no_authority",
            Severity::Warning,
            format!(
                "[U] uncertain: no IRS regulation, ruling, FAQ or court decision says when the 180 days start for gain of a failed or partial §1031 exchange. Articles saying IRS guidance gives a workable window after the exchange fails are not supported: the engine relies on the transfer date{}",
                if alternative {
                    " and shows the day the funds count as received (the QI's release, or the end of the exchange period if the QI still holds them then) and the last day of its tax year only as alternatives with no direct authority (the funds come back in a later tax year, where Reg. 1.1031(k)-1(j)(2) reports the gain under §453, and Reg. 1.1400Z2(a)-1(b)(11)(viii)(B) lets installment gain start its 180 days on either date)."
                } else if c.elect_out_installment {
                    ". No window starting on the QI's release or at the end of its tax year is shown: you elected out of the installment method, so the gain is reported in the year of the transfer (IRC §453(d)(1)), and Reg. 1.1400Z2(a)-1(b)(11)(viii)(B) gives those later starts only to gain reported on the installment method."
                } else {
                    ". No window starting on the QI's release is shown: the funds come back in the same tax year as the sale, so Reg. 1.1031(k)-1(j)(2) installment reporting cannot apply and nothing supports a later start."
                }
            ),
            crate::oz::window::FAILED_1031_INFERENCE,
        );
    }
}

/// The 180 days of a sale's gain: the taxpayer had the money at the closing (it took it, or a
/// disqualified intermediary held it as its agent: Treas. Reg. §1.1031(k)-1(f), (k)), so the
/// gain is recognized on the day of the transfer and the period begins that day (IRC
/// §1400Z-2(a)(1)(A); Treas. Reg. §1.1400Z2(a)-1(b)(7)(i)). No qualified intermediary held
/// anything, so the uncertain later starts of a failed exchange's gain (Treas. Reg.
/// §1.1031(k)-1(j)(2) read with §1.1400Z2(a)-1(b)(11)(viii)(B)) are not in question: a
/// plain statement, not the warning that no authority decides the start.
fn sale_start_finding(fx: &mut Findings) {
    crate::finding!(
        fx,
        "oz_sale_gain_start",
        Severity::Info,
        "The 180 days for a QOF investment began on the day of the transfer: the taxpayer had the money of the sale at the closing (it took it, or a disqualified intermediary held it as the taxpayer's agent), so the gain is recognized that day. No qualified intermediary held the money, so no later start, on a release or at the end of a tax year under the installment method, applies.".to_string(),
        SALE_START_AUTHORITY,
    );
}

const SALE_START_AUTHORITY: &str =
    cite!(IRC_1400Z_2 "(a)(1)(A)"; REG_1_1400Z2_A_1 "(b)(7)(i)"; REG_1_1031_K_1 "(f), (j)(2), (k)");

/// The years of the gain a QOF investment made from 2027 on defers, in words: the amended
/// rules apply by the investment date whatever the year of the gain (P.L. 119-21
/// §70421(c)(5)(A); Notice 2026-40 §4.02(2)), worth saying for a sale or a gain before 2027,
/// and naming both years when the gain is recognized after the year of the sale (the
/// installment rule of Treas. Reg. §1.1031(k)-1(j)(2)).
fn regime_years_words(sale_year: i16, recognized: &[i16]) -> String {
    let mut years = recognized.to_vec();
    years.sort_unstable();
    years.dedup();
    let listed = years
        .iter()
        .map(i16::to_string)
        .collect::<Vec<_>>()
        .join(" or ");
    match years.as_slice() {
        [] => String::new(),
        [y] if *y == sale_year && *y < 2027 => format!(", even for this {y} gain"),
        _ if sale_year >= 2027 => String::new(),
        _ if years.iter().all(|y| *y < 2027) => {
            format!(", even for the gain of this {sale_year} sale, recognized in {listed}")
        }
        _ => format!(", here for the gain of this {sale_year} sale, recognized in {listed}"),
    }
}

/// The regime a QOF investment falls under, the zones' dates, and a related buyer.
fn qof_findings(c: &Ctx, f: &ExchangeFile, s: &[Strategy], fx: &mut Findings) {
    let qofs: Vec<&QofPlan> = s.iter().filter_map(|x| x.qof.as_ref()).collect();
    let amended: Vec<i16> = qofs
        .iter()
        .filter(|q| q.investment_date >= OBBBA_START)
        .map(|q| q.forms.form_8949.tax_year)
        .collect();
    if !amended.is_empty() {
        crate::finding!(
            fx,
            "oz_2027_regime",
            Severity::Info,
            format!(
                "A QOF investment made on or after 2027-01-01 uses the amended rules (5-year deferral, 10% or 30% step-up, 30-year basis cap){}: the amendments apply to \"amounts invested in qualified opportunity funds after December 31, 2026\" (P.L. 119-21 §70421(c)(5)(A)), and gain \"realized on, before, or after December 31, 2026\" invested on or after January 1, 2027 within its 180 days may be deferred under them (Notice 2026-40 §4.02(2)).",
                regime_years_words(c.deadlines.first_transfer.year(), &amended)
            ),
            cite!("P.L. 119-21 §70421(c)(5)(A)"; NOTICE_2026_40 " §4.02(2)"; REG_1_1400Z2_A_1 "(b)(7)"),
        );
        crate::finding!(
            fx,
            "oz_election_regulation_caveat",
            Severity::Info,
            "One caveat remains: Treas. Reg. §1.1400Z2(a)-1(b)(10) still says a deferral election is \"made before January 1, 2027\"; Notice 2026-40 announces proposed regulations to change it. This is about the regulation's wording, not doubt about which regime applies.",
            cite!(REG_1_1400Z2_A_1 "(b)(10)"; NOTICE_2026_40),
        );
    }
    if qofs.iter().any(|q| q.investment_date < OBBBA_START) {
        crate::finding!(
            fx,
            "oz_included_2026_12_31",
            Severity::Info,
            "A QOF investment made before 2027-01-01 is included on 2026-12-31: the gain lands on the 2026 return, so it buys almost no deferral (only the 10-year exclusion of the fund's growth).",
            cite!(IRC_1400Z_2 "(b)(1) as enacted by P.L. 115-97"),
        );
    }
    if !qofs.is_empty() {
        crate::finding!(
            fx,
            "oz_zone_dates",
            Severity::Info,
            format!(
                "The 2018 opportunity zones stay designated through {ORIGINAL_ZONES_END} (Puerto Rico through {ORIGINAL_ZONES_END_PUERTO_RICO}); the new zones run from {NEW_ZONES_START} through {NEW_ZONES_END}. The fund must hold property in a zone designated at the time: check the fund."
            ),
            ZONES_AUTH,
        );
    }
    match &f.related_party {
        Some(r) if r.is_buyer() => crate::finding_at!(
            fx,
            "oz_related_party_gain",
            Severity::Warning,
            "related_party",
            "No QOF path for the exchange's gain: the file names a related party and does not say it only sold you the replacement property, so the relinquished property is taken as sold to a related person, and a QOF defers only gain from a sale to, or exchange with, an unrelated person (related means related under IRC §267(b) or §707(b)(1) at 20 percent). If the buyer is unrelated, say in the related party section that the related party did not buy the relinquished property.",
            cite!([IRC_1400Z_2 "(a)(1), (e)(2)", IRC_267 "(b)", IRC_707 "(b)(1)"]),
        ),
        Some(_) if !qofs.is_empty() => crate::finding_at!(
            fx,
            "oz_related_party_gain",
            Severity::Info,
            "related_party",
            "The QOF paths rest on the file's word that the related party did not buy the relinquished property: a QOF defers only gain from a sale to, or exchange with, an unrelated person (related means related under IRC §267(b) or §707(b)(1) at 20 percent).",
            cite!([IRC_1400Z_2 "(a)(1), (e)(2)", IRC_267 "(b)", IRC_707 "(b)(1)"]),
        ),
        _ => {}
    }
}
