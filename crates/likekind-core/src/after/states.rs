//! State rules that follow a §1031 exchange across state lines: the California clawback
//! (FTB 3840) and withholding (Form 593), and the clawback-type rules of Oregon,
//! Massachusetts and Montana, which are flagged but not confirmed.
//!
//! The state of each property comes from its `location`.

use crate::amount::Amount;
use crate::explain::Trace;
use crate::explain::money as m;
use crate::findings::{Findings, Severity};
use crate::inputs;
use crate::law::cite;
use crate::model::{ExchangeFile, LocationKind};
use crate::money::{format_usd, round_cents, serialize_money};
use crate::timing::calendar::YearEnd;
use jiff::civil::{Date, date};
use serde::Serialize;

const CA_CLAWBACK: &str =
    cite!([CAL_RTC_18032, CAL_RTC_24953] " (AB 92, 2014)"; FTB_3840 " instructions [S]");
/// The Form 593 instructions are California's, cited by the form's own name (the register's
/// `FORM_593` reads "Instructions for Form 593").
const CA_593: &str = cite!(CAL_RTC_18662 " [P-mem]"; "Form 593 instructions [S]");

/// How long FTB 3840 keeps being filed.
pub const FTB3840_UNTIL: &str = "year deferred CA-source gain is recognized";

/// The state (or territory / foreign country) of one property.
#[derive(Debug, Clone, Serialize)]
pub struct PropertyState {
    pub id: crate::id::Id,
    pub role: &'static str,
    /// Two-letter state or territory code, or `foreign:XX`.
    pub location: String,
}

/// California's annual information return for an exchange out of state.
#[derive(Debug, Clone, Serialize)]
pub struct CaClawback {
    /// FTB 3840 is filed for every tax year from this one (the exchange year).
    pub ftb3840_required_each_year_from: i16,
    pub until: &'static str,
    /// California taxes the deferred California-source gain when the replacement is sold.
    pub ca_taxes_deferred_gain_on_later_sale: bool,
    /// The deferred gain California tracks (federal figures; see the step for the allocation).
    #[serde(serialize_with = "serialize_money")]
    pub california_deferred_gain: Amount,
}

/// Form 593 withholding on one California sale.
#[derive(Debug, Clone, Serialize)]
pub struct Form593 {
    pub id: crate::id::Id,
    #[serde(serialize_with = "serialize_money")]
    pub total_sales_price: Amount,
    /// `None` when the file does not say whether the exchange was certified.
    pub exchange_certified: Option<bool>,
    #[serde(serialize_with = "serialize_money")]
    pub withholding: Amount,
}

/// State consequences of the exchange.
#[derive(Debug, Clone, Serialize)]
pub struct States {
    pub properties: Vec<PropertyState>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub california_clawback: Option<CaClawback>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub form_593: Vec<Form593>,
}

/// The standard Form 593 rate: 3⅓ % of the total sales price.
pub fn ca_593_rate() -> Amount {
    Amount::ONE / Amount::from(30)
}

/// Form 593 withholding: `rate` × total sales price, rounded to the cent (an amount paid
/// over), or nothing when the §1031 exchange is certified on Form 593. Withholding on boot
/// later paid out of the exchange is not computed [U]. Authority: Cal. R&TC §18662; Form 593
/// instructions [S].
pub fn form593_withholding(total_sales_price: Amount, rate: Amount, certified: bool) -> Amount {
    if certified {
        Amount::ZERO
    } else {
        round_cents(total_sales_price * rate)
    }
}

/// [`form593_withholding`] at the standard rate, computed as the price divided by 30 (one
/// exact division instead of multiplying by a 28-digit 1/30), uncertified. Authority: Cal.
/// R&TC §18662; Form 593 instructions [S].
pub fn form593_standard(total_sales_price: Amount) -> Amount {
    round_cents(total_sales_price / Amount::from(30))
}

/// The California clawback applies to an exchange of California real property for property
/// outside California made on or after 2014-01-01. Authority: Cal. R&TC §§18032, 24953 [S].
pub fn ca_clawback_applies(
    relinquished_in_ca: bool,
    replacement_outside_ca: bool,
    first_transfer: Date,
) -> bool {
    relinquished_in_ca && replacement_outside_ca && first_transfer >= date(2014, 1, 1)
}

fn in_state(s: &str, st: &str) -> bool {
    s == st && LocationKind::of(s) == Some(LocationKind::State)
}

/// How the transfer stands: taxed as a sale (as entered), and whether that is settled.
#[derive(Debug, Clone, Copy)]
pub struct Verdict {
    pub taxable_sale: bool,
    pub settled: bool,
}

impl Verdict {
    /// The state rules' reading of the one qualification verdict: whether the transfer is
    /// taxed as a sale (no California clawback follows it, Cal. R&TC §§18032, 24953) and
    /// whether that verdict is settled.
    pub fn of(q: &crate::eligibility::qualification::Qualification) -> Verdict {
        Verdict {
            taxable_sale: q.is_taxable_sale(),
            settled: q.settled,
        }
    }
}

/// Computes the state section, its steps and findings; `deferred` is line 24. A transfer
/// taxed as a sale is no §1031 exchange: nothing for a state to claw back, and once that is
/// settled what the intermediary pays out is not exchange property.
pub fn states(
    f: &ExchangeFile,
    deferred: Amount,
    v: Verdict,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<States> {
    let first = f.first_transfer()?;
    // FTB 3840 is filed for an exchange in which gain or loss went unrecognized under
    // §1031 (Cal. R&TC §§18032, 24953): a transfer taxed as a sale defers nothing.
    let failed = v.taxable_sale && v.settled;
    let clawback = if v.taxable_sale {
        None
    } else {
        ca_clawback(f, first, deferred, t, fx)
    };
    let form_593 = form_593(f, failed, t, fx);
    let flagged = other_state_findings(f, fx);

    // Only exchanges a state rule reaches get a state section.
    if clawback.is_none() && form_593.is_empty() && !flagged {
        return None;
    }
    let properties: Vec<PropertyState> = f
        .relinquished
        .iter()
        .map(|r| PropertyState {
            id: r.id.clone(),
            role: "relinquished",
            location: r.location.clone(),
        })
        .chain(f.replacement.iter().map(|r| PropertyState {
            id: r.id.clone(),
            role: "replacement",
            location: r.location.clone(),
        }))
        .collect();
    Some(States {
        properties,
        california_clawback: clawback,
        form_593,
    })
}

/// California's claw-back of the California-source gain deferred into property outside it
/// (FTB 3840), when it applies.
fn ca_clawback(
    f: &ExchangeFile,
    first: Date,
    deferred: Amount,
    t: &mut Trace,
    fx: &mut Findings,
) -> Option<CaClawback> {
    let total_sale: Amount = f.relinquished_fmv();
    let ca_sale: Amount = f
        .relinquished
        .iter()
        .filter(|r| in_state(&r.location, "CA"))
        .map(|r| r.sale_price)
        .sum();
    let total_repl: Amount = f.replacement.iter().map(|r| r.price).sum();
    let out_repl: Amount = f
        .replacement
        .iter()
        .filter(|r| !in_state(&r.location, "CA"))
        .map(|r| r.price)
        .sum();
    if !ca_clawback_applies(!ca_sale.is_zero(), !out_repl.is_zero(), first) {
        return None;
    }
    let ye = YearEnd::parse(&f.taxpayer.tax_year_end).unwrap_or(YearEnd::CALENDAR);
    let year = ye.year_end_containing(first).year();
    let share = |a: Amount, b: Amount| if b.is_zero() { Amount::ZERO } else { a / b };
    let ca_def = round_cents(
        deferred.max(Amount::ZERO) * share(ca_sale, total_sale) * share(out_repl, total_repl),
    );
    crate::step!(
        t,
        "states.ca.deferred_gain",
        "California-source deferred gain carried into out-of-state replacement property: the deferred gain (line 24) × California share of the property given up (by sale price) × out-of-state share of the property received (by price), rounded to the cent. The allocation between several properties is the engine's assumption [U], and California basis can differ from federal basis (non-conformity adjustments are not applied).",
        m(ca_def),
        CA_CLAWBACK,
        inputs!["line 24" => m(deferred), "CA sale price" => m(ca_sale), "total sale price" => m(total_sale), "out-of-state replacement" => m(out_repl), "total replacement" => m(total_repl)],
    );
    crate::step!(
        t,
        "states.ca.ftb3840_from",
        "FTB 3840 is filed for the tax year of the exchange and every later year until the California-source deferred gain is recognized",
        year,
        CA_CLAWBACK,
        inputs!["first transfer" => first],
    );
    crate::finding!(
        fx,
        "california_clawback",
        Severity::Warning,
        format!(
            "California real property was exchanged for property outside California on or after 2014-01-01: file FTB 3840 for the tax year ending in {year} and every year after it, with the California return or, if none is required, by the date it would be due, until the deferred California-source gain ({}) is recognized. California taxes that gain when the replacement is sold in a taxable transaction, whether or not you still live in California.",
            format_usd(ca_def)
        ),
        CA_CLAWBACK,
    );
    Some(CaClawback {
        ftb3840_required_each_year_from: year,
        until: FTB3840_UNTIL,
        ca_taxes_deferred_gain_on_later_sale: true,
        california_deferred_gain: ca_def,
    })
}

/// California withholding (Form 593) on each California property given up.
fn form_593(f: &ExchangeFile, failed: bool, t: &mut Trace, fx: &mut Findings) -> Vec<Form593> {
    let certified = f
        .california
        .as_ref()
        .and_then(|c| c.form593_exchange_certified);
    let mut form_593 = Vec::new();
    for r in f
        .relinquished
        .iter()
        .filter(|r| in_state(&r.location, "CA"))
    {
        let full = form593_standard(r.sale_price);
        let w = if certified == Some(true) {
            Amount::ZERO
        } else {
            full
        };
        crate::step!(
            t,
            format!("states.ca.form593.{}", r.id),
            "California real-estate withholding: 3⅓% of the total sales price (rounded to the cent), none when the §1031 exchange is certified on Form 593; withholding on boot later paid out of the exchange is not computed [U]",
            m(w),
            CA_593,
            inputs!["total sales price" => m(r.sale_price), "certified" => certified.map(|c| c.to_string()).unwrap_or_else(|| "not given".into())],
        );
        match certified {
            Some(true) if failed => crate::finding!(
                fx,
                "california_withholding",
                Severity::Warning,
                format!(
                    "The §1031 exchange of {} was certified on Form 593, so nothing was withheld at closing, but the transfer is taxed as a sale: California withholding may be due on the funds the intermediary pays out of the failed exchange [U: not computed].",
                    crate::words::property(&r.id, &r.description)
                ),
                CA_593,
            ),
            None if failed => crate::finding!(
                fx,
                "california_withholding",
                Severity::Info,
                format!(
                    "{} is California real property and the transfer is taxed as a sale: the buyer or QI withholds 3⅓% of the total sales price ({}); if a §1031 exchange was certified on Form 593 before closing, withholding may instead be due on the funds the intermediary pays out of the failed exchange, which is not computed here. Record whether the California Form 593 exchange certification was made.",
                    crate::words::property(&r.id, &r.description),
                    format_usd(full)
                ),
                CA_593,
            ),
            Some(true) => crate::finding!(
                fx,
                "california_withholding",
                Severity::Info,
                format!(
                    "The §1031 exchange of {} is certified on Form 593: no withholding at closing. If the exchange later pays out boot, California withholding may apply to it [U: not computed].",
                    crate::words::property(&r.id, &r.description)
                ),
                CA_593,
            ),
            Some(false) => crate::finding!(
                fx,
                "california_withholding",
                Severity::Warning,
                format!(
                    "{} of California withholding (3⅓% of the {} sales price of {}) because the exchange is not certified on Form 593; it is a credit on the California return, but it leaves the exchange funds",
                    format_usd(w),
                    format_usd(r.sale_price),
                    crate::words::property(&r.id, &r.description)
                ),
                CA_593,
            ),
            None => crate::finding!(
                fx,
                "california_withholding",
                Severity::Info,
                format!(
                    "{} is California real property: the buyer or QI withholds 3⅓% of the total sales price ({}) unless the §1031 exchange is certified on Form 593 before closing. Record whether the California Form 593 exchange certification was made.",
                    crate::words::property(&r.id, &r.description),
                    format_usd(full)
                ),
                CA_593,
            ),
        }
        form_593.push(Form593 {
            id: r.id.clone(),
            total_sales_price: r.sale_price,
            exchange_certified: certified,
            withholding: w,
        });
    }
    form_593
}

/// Other states reported to claw back their own-source gain. True when one applies.
///
/// Oregon's Form OR-24 instructions say the form is filed "for the tax year that you
/// transferred property to another party in a like-kind exchange and annually thereafter until
/// the disposition of the like-kind property" when Oregon property is exchanged for property
/// outside Oregon; how each state then taxes the deferred gain is not confirmed against its
/// statutes (\[U\]).
fn other_state_findings(f: &ExchangeFile, fx: &mut Findings) -> bool {
    let mut flagged = false;
    for (st, name) in [("OR", "Oregon"), ("MA", "Massachusetts"), ("MT", "Montana")] {
        let from = f.relinquished.iter().any(|r| in_state(&r.location, st));
        let out = f.replacement.iter().any(|r| !in_state(&r.location, st));
        if !(from && out) {
            continue;
        }
        flagged = true;
        if st == "OR" {
            crate::finding!(
                fx,
                "state_clawback_unconfirmed",
                Severity::Warning,
                "Oregon real property was exchanged for property outside Oregon: file Oregon Form OR-24 with the Oregon return for the tax year of the transfer and every year after until the replacement property is disposed of. Oregon is reported to tax its own-source deferred gain when the replacement is later sold; that part is NOT confirmed against Oregon's statutes [U]: check it with a state tax adviser.".to_string(),
                cite!("Oregon Department of Revenue, Form OR-24 instructions (Oregon Like-Kind Exchanges/Involuntary Conversions)"),
            );
            continue;
        }
        crate::finding!(
            fx,
            "state_clawback_unconfirmed",
            Severity::Warning,
            format!(
                "{name} real property was exchanged for property outside {name}: {name} is reported to tax its own-source deferred gain when the replacement is later sold. The forms, thresholds and statutes are NOT confirmed [U]: check {name}'s current rules with a state tax adviser."
            ),
            cite!("Not confirmed against the state's statutes"),
        );
    }
    flagged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amt;

    #[test]
    fn withholding_is_one_thirtieth() {
        assert_eq!(
            form593_withholding(amt!(2000000), ca_593_rate(), false),
            amt!(66666.67)
        );
        assert_eq!(
            form593_withholding(amt!(2000000), ca_593_rate(), true),
            Amount::ZERO
        );
    }

    #[test]
    fn standard_rate_by_division_agrees() {
        for p in [
            amt!(2000000),
            amt!(1000000.01),
            amt!(333333.33),
            amt!(15),
            amt!(999999999.99),
        ] {
            assert_eq!(
                form593_standard(p),
                form593_withholding(p, ca_593_rate(), false),
                "{p}"
            );
        }
    }

    /// The request for the Form 593 fact says what to provide, not where a file keeps it.
    #[test]
    fn the_form_593_request_says_what_to_provide() {
        let text = r#"
        [exchange]
        as_of = "2026-11-25"
        [taxpayer]
        entity = "individual"
        [[relinquished]]
        id = "oak"
        location = "CA"
        acquired = "2012-01-01"
        transferred = "2026-08-01"
        sale_price = "1000000"
        adjusted_basis = "600000"
        "#;
        let f = crate::parse_exchange(text, crate::Format::Toml).expect("file");
        let r = crate::analyze(&f, date(2026, 11, 25));
        let m = r
            .findings
            .iter()
            .find(|x| x.code == "california_withholding")
            .map(|x| x.message.to_string())
            .unwrap_or_default();
        assert!(
            m.contains("Record whether the California Form 593 exchange certification was made"),
            "{m}"
        );
        assert!(!m.contains('[') && !m.contains('_'), "{m}");
    }

    #[test]
    fn clawback_dates() {
        assert!(ca_clawback_applies(true, true, date(2014, 1, 1)));
        assert!(!ca_clawback_applies(true, true, date(2013, 12, 31)));
        assert!(!ca_clawback_applies(true, false, date(2026, 1, 1)));
    }
}
