//! An installment sale: the gain reported as the payments come in.

use crate::amount::Amount;
use crate::plan::context::Ctx;
use crate::plan::tax::{GainParts, Holdings, project, tax_on};
use crate::plan::types::{ExchangeStatus, Strategy};
use crate::timing::calendar::YearEnd;
use jiff::civil::Date;

/// Installment reporting of a failed exchange's gain (Treas. Reg. §1.1031(k)-1(j)(2)). Not
/// available when the taxpayer elected out: "Subsection (a) shall not apply to any
/// disposition if the taxpayer elects to have subsection (a) not apply" (IRC §453(d)(1)), so
/// the gain is reported in the year of the transfer; the path then has no figures. Nor when
/// the verdict finds the taxpayer had the money at the closing: (j)(2) needs a qualified
/// intermediary, qualified escrow or qualified trust to hold it ((j)(2)(i)-(ii)), a
/// disqualified person is none ((k)), and a price received in the year of the sale makes no
/// installment sale (IRC §453(b)(1)). Where the funds count as received in the tax year of
/// the sale, the path gives no deferral and shows no figures either (QA12 D9: a row marked
/// unavailable still showed the tax of selling).
pub(crate) fn installment_sale(c: &Ctx, parts: &GainParts, release: Date, ye: YearEnd) -> Strategy {
    let transfer = c.deadlines.first_transfer;
    if let Some(why) = &c.funds_at_closing {
        return Strategy {
            eligibility: format!(
                "Not available: {why}. No qualified intermediary or qualified escrow held the money, so the installment rule of Treas. Reg. §1.1031(k)-1(j)(2) does not apply, and the whole price was received in the year of the sale, so there is no installment sale (IRC §453(b)(1)): the gain is reported for the tax year of the transfer on {transfer}."
            ),
            ..Strategy::not_available("installment_sale", "Installment reporting (failed 1031)")
        };
    }
    if c.elect_out_installment {
        return Strategy {
            eligibility: format!(
                "Not available: you elected out of the installment method, so the whole gain is reported for the tax year of the transfer on {transfer}, not when the funds are received (IRC §453(d)(1); Treas. Reg. §1.1031(k)-1(j)(2))."
            ),
            ..Strategy::not_available("installment_sale", "Installment reporting (failed 1031)")
        };
    }
    let year_end = ye.year_end_containing(transfer);
    let straddles = release > year_end;
    if !straddles {
        return Strategy {
            eligibility: format!(
                "Not available: if the exchange fails the funds count as received on {release}, in the same tax year as the sale (which ends {year_end}), so Reg. 1.1031(k)-1(j)(2) gives no deferral."
            ),
            ..Strategy::not_available("installment_sale", "Installment reporting (failed 1031)")
        };
    }
    let applies = matches!(
        c.status,
        ExchangeStatus::Failed | ExchangeStatus::InProgress
    );
    // The analysis's own split when it reports the gain in two tax years: the §453(i)
    // recapture and the gain of the payments at the closing (IRC §453(c)) in the year of the
    // sale, the rest on receipt. Without it, §453(i) recapture in the year of sale and the rest
    // when the funds are received.
    let (now, later) = if let Some(sp) = c.failed_split {
        (sp.at_closing, sp.release)
    } else {
        (
            GainParts {
                ordinary: parts.ordinary,
                ..GainParts::default()
            },
            GainParts {
                ordinary: Amount::ZERO,
                ..*parts
            },
        )
    };
    let tax_now = tax_on(&now, &c.rates);
    let tax_later = tax_on(&later, &c.rates);
    let p = project(
        &Holdings {
            taxable: c.equity - tax_now,
            later_taxes: vec![(c.years_to(release), tax_later)],
            ..Holdings::default()
        },
        c.a,
    );
    let eligible = applies;
    let why = if !applies {
        format!(
            "Hypothetical: applies only if the exchange fails (status: {}); the funds would count as received on {release}, after the tax year ending {year_end}.",
            c.status.words()
        )
    } else {
        format!(
            "The funds count as received on {release} (the QI's release, or the end of the exchange period if the QI still holds them then: Reg. 1.1031(k)-1(j)(2)(iii)(B)), after the tax year of the sale (ending {year_end}): with a QI and a bona fide intent to exchange at the start, the gain is reported under §453 when received (Reg. 1.1031(k)-1(j)(2)); §453(i) recapture stays in the year of sale.{}",
            closing_words(c, &now, year_end)
        )
    };
    Strategy {
        deferred_indefinitely: Amount::ZERO,
        deferred_temporarily: Amount::ZERO,
        deferred_label: String::new(),
        name: "installment_sale".into(),
        title: "Installment reporting (failed 1031)".into(),
        eligible,
        eligibility: why,
        relies_on_no_direct_authority: false,
        hypothetical: !applies,
        tax_now,
        gain_recognized_now: now.total(),
        deferred: later.total(),
        deferral: if later.total() > Amount::ZERO { "temporary" } else { "none" },
        recognition_date: Some(release),
        basis_step_up: Amount::ZERO,
        tax_when_deferral_ends: tax_later,
        tax_later: p.later_taxes_face + p.tax_at_horizon,
        after_tax_value: Some(p.after_tax_value),
        qof: None,
        notes: vec![
            "Defers the tax about one year only; the same tax is paid when the funds are received.".into(),
            "Requires a bona fide intent to exchange when the period began; §453A interest can apply above $5M of obligations; you may elect out (§453(d)); dealer property is excluded.".into(),
            "Can be combined with a QOF only through the installment starts of the 180 days (the day the funds are received, or the last day of that tax year: Reg. 1.1400Z2(a)-1(b)(11)(viii)(B)), which have no direct authority for failed-§1031 gain.".into(),
        ],
    }
}

/// The gain the installment method reports for the year of the sale beyond the recapture:
/// the payments at the closing (debt paid off, expenses paid from the sale) are payments of
/// that year, and "the income recognized for any taxable year from a disposition is that
/// proportion of the payments received in that year which the gross profit … bears to the
/// total contract price" (IRC §453(c)); the figure is the analysis's own (its recognition
/// years, Form 6252).
fn closing_words(c: &Ctx, now: &GainParts, year_end: Date) -> String {
    if c.failed_split.is_none() {
        return String::new();
    }
    format!(
        " The payments at the closing (debt paid off, expenses paid from the sale) are payments of the tax year ending {year_end}, so {} of gain, recapture included, is reported for that year (IRC §453(c); the analysis's recognition years and Form 6252) and only the rest is deferred until the funds are received.",
        crate::money::format_usd(now.total())
    )
}
