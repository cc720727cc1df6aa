//! Eligibility, related parties, homes and states: `rp1031f`, `rp2008_16`, `rp2005_14`, `rp2005_14_split`,
//! `sec121d10`, `ca593`, `tic` and the `qualitative` vectors, run through the public API.

use super::{m, money};
use jiff::civil::Date;
use likekind_core::Amount;
use likekind_core::disqualified::{self, Candidate, Service};
use likekind_core::eligibility::{self, DstClass, DstPowers};
use likekind_core::eligibility::{section121, vacation_home};
use likekind_core::model::RelatedPartyException;
use likekind_core::produced_property::{self, Produced};
use likekind_core::related_party;
use likekind_core::states;
use likekind_core::{Format, analyze, parse_exchange};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::str::FromStr;

type Out = Result<BTreeMap<String, Value>, String>;

fn date(i: &Map<String, Value>, key: &str) -> Result<Date, String> {
    i.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{key}: missing"))?
        .parse::<Date>()
        .map_err(|e| format!("{key}: {e}"))
}

fn dec_str(v: &Value, key: &str) -> Result<Amount, String> {
    match v {
        Value::String(s) => Amount::from_str(s).map_err(|e| format!("{key}: {e}")),
        Value::Number(n) => Amount::from_str(&n.to_string()).map_err(|e| format!("{key}: {e}")),
        _ => Err(format!("{key}: not a number")),
    }
}

fn u32_of(v: &Value, key: &str) -> Result<u32, String> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("{key}: not a count"))
}

/// `rp1031f`: the related-party window and the year the deferred gain is recognized.
pub fn rp1031f(i: &Map<String, Value>) -> Out {
    let last = date(i, "exchange_last_transfer_date")?;
    let deferred = money(i, "deferred_gain")?;
    let mut out = BTreeMap::new();
    out.insert(
        "two_year_end".into(),
        json!(related_party::two_year_end(last, 0).to_string()),
    );
    for s in i
        .get("scenarios")
        .and_then(Value::as_array)
        .ok_or("scenarios: missing")?
    {
        let name = s["name"].as_str().ok_or("scenario name")?;
        let disposed: Date = s["disposition_date"]
            .as_str()
            .ok_or("disposition_date")?
            .parse()
            .map_err(|e| format!("disposition_date: {e}"))?;
        let exception = match s["exception"].as_str() {
            None => None,
            Some("death") => Some(RelatedPartyException::Death),
            Some("involuntary_conversion") => Some(RelatedPartyException::InvoluntaryConversion),
            Some("no_tax_avoidance") => Some(RelatedPartyException::NoTaxAvoidance),
            Some(x) => return Err(format!("exception {x:?}")),
        };
        let o = related_party::disposition(deferred, last, 0, Some(disposed), exception);
        out.insert(format!("results.{name}.recognized"), m(o.recognized));
        out.insert(
            format!("results.{name}.year"),
            o.recognized_on.map_or(Value::Null, |d| json!(d.year())),
        );
    }
    Ok(out)
}

/// `rp2008_16`: the vacation-home safe harbor from months owned and the two periods.
pub fn rp2008_16(i: &Map<String, Value>) -> Out {
    let months = u32_of(&i["months_owned"], "months_owned")?;
    let periods = i
        .get("periods")
        .and_then(Value::as_array)
        .ok_or("periods: missing")?
        .iter()
        .map(|p| {
            Ok((
                u32_of(&p["fair_rental_days"], "fair_rental_days")?,
                u32_of(&p["personal_use_days"], "personal_use_days")?,
            ))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let mut out = BTreeMap::new();
    out.insert(
        "safe_harbor_met".into(),
        json!(vacation_home::safe_harbor_met(months, &periods)),
    );
    Ok(out)
}

/// `rp2005_14`: Example 1, a former residence converted to a rental and exchanged.
pub fn rp2005_14(i: &Map<String, Value>) -> Out {
    let price = money(i, "purchase_price")?;
    let dep = money(i, "depreciation_after_1997_05_06")?;
    let cash = money(i, "cash_received")?;
    let fmv = money(i, "replacement_fmv")?;
    // "2000-2004" residence, "2004-2006" rental: year spans, sale at the end of the rental.
    let span = |k: &str| -> Result<(Date, Date), String> {
        let s = i.get(k).and_then(Value::as_str).ok_or(k.to_string())?;
        let (a, b) = s.split_once('-').ok_or(format!("{k}: span"))?;
        let y = |x: &str| -> Result<Date, String> {
            Ok(jiff::civil::date(
                x.parse::<i16>().map_err(|e| format!("{k}: {e}"))?,
                1,
                1,
            ))
        };
        Ok((y(a)?, y(b)?))
    };
    let residence = span("principal_residence")?;
    let (_, sale) = span("rental")?;
    let limit = if section121::two_of_five_years(&[residence], sale) {
        money(i, "section121_limit")?
    } else {
        Amount::ZERO
    };
    let w = section121::rp2005_14(fmv + cash, price - dep, dep, limit, cash, Amount::ZERO);
    let mut out = BTreeMap::new();
    for (k, v) in [
        ("adjusted_basis", w.adjusted_basis),
        ("amount_realized", w.amount_realized),
        ("realized_gain", w.realized_gain),
        ("excluded_121", w.excluded_121),
        ("deferred_1031", w.deferred_1031),
        ("recognized", w.recognized),
        ("basis_replacement", w.basis_replacement),
    ] {
        out.insert(k.into(), m(v));
    }
    Ok(out)
}

/// `rp2005_14_split`: a business part outside the dwelling unit.
pub fn rp2005_14_split(i: &Map<String, Value>) -> Out {
    let s = section121::rp2005_14_split(
        money(i, "amount_realized")?,
        money(i, "purchase_price")?,
        money(i, "business_fraction")?,
        money(i, "depreciation_business_part")?,
        Amount::from(250_000),
        Amount::ZERO,
        Amount::ZERO,
    );
    let mut out = BTreeMap::new();
    for (k, v) in [
        ("residential_amount_realized", s.residential_amount_realized),
        ("residential_basis", s.residential_basis),
        ("excluded_121", s.excluded_121),
        ("business_amount_realized", s.business_amount_realized),
        ("business_adjusted_basis", s.business_adjusted_basis),
        ("deferred_1031", s.deferred_1031),
        ("recognized", s.recognized),
        ("basis_business_replacement", s.basis_business_replacement),
    ] {
        out.insert(k.into(), m(v));
    }
    // The residential fraction given must be the complement of the business fraction.
    let res = money(i, "residential_fraction")?;
    if (res + money(i, "business_fraction")? - Amount::ONE).abs() > Amount::new(1, 9) {
        return Err("fractions do not add up to 1".into());
    }
    Ok(out)
}

/// `sec121d10`: the five-year rule for a home acquired in an exchange.
pub fn sec121d10(i: &Map<String, Value>) -> Out {
    let acq = date(i, "acquired_in_1031_exchange_on")?;
    let sale = date(i, "proposed_sale_date")?;
    let use_ok = i["meets_2_of_5_use_test"].as_bool().ok_or("use test")?;
    let mut out = BTreeMap::new();
    out.insert(
        "section121_available".into(),
        json!(section121::section121_available(acq, sale, use_ok)),
    );
    out.insert(
        "first_date_outside_5_year_period".into(),
        json!(section121::first_date_outside_5_years(acq).to_string()),
    );
    Ok(out)
}

/// `ca593`: California withholding, and none when the exchange is certified.
pub fn ca593(i: &Map<String, Value>) -> Out {
    let price = money(i, "sales_price")?;
    let rate = money(i, "rate")?;
    let certified = i["exchange_certified_on_593"].as_bool().unwrap_or(false);
    let mut out = BTreeMap::new();
    out.insert(
        "withholding".into(),
        m(states::form593_withholding(price, rate, certified)),
    );
    out.insert(
        "withholding_if_exchange_certified".into(),
        m(states::form593_withholding(price, rate, true)),
    );
    Ok(out)
}

/// `tic`: co-owners counted under Rev. Proc. 2002-22.
pub fn tic(i: &Map<String, Value>) -> Out {
    let n = eligibility::tic_counted_co_owners(
        u32_of(&i["individual_owners"], "individual_owners")?,
        u32_of(&i["married_couples_both_on_title"], "married_couples")?,
        &[],
    );
    let mut out = BTreeMap::new();
    out.insert("counted_co_owners".into(), json!(n));
    out.insert(
        "within_limit".into(),
        json!(n <= eligibility::TIC_MAX_CO_OWNERS),
    );
    Ok(out)
}

/// `qualitative`: dispatched on the vector id.
pub fn qualitative(id: &str, i: &Map<String, Value>) -> Option<Out> {
    Some(match id {
        "ca-ftb3840-annual-filing" => ftb3840(i),
        "derived-disqualified-persons"
        | "reg1031k1-k5-ex1"
        | "reg1031k1-k5-ex2"
        | "reg1031k1-k5-ex3" => disqualified_persons(i),
        "derived-failed-exchange-same-year" => failed_same_year(i),
        "reg1031k1-e5-ex" => produced(i),
        "rr2004-86-dst-classification" => dst(i),
        _ => return None,
    })
}

fn analyze_toml(text: &str, today: Date) -> Result<likekind_core::Report, String> {
    let f = parse_exchange(text, Format::Toml).map_err(|e| e.to_string())?;
    Ok(analyze(&f, today))
}

/// CA relinquished, out-of-state replacement: the full pipeline's state section.
fn ftb3840(i: &Map<String, Value>) -> Out {
    let rel = i["relinquished_state"]
        .as_str()
        .ok_or("relinquished_state")?;
    let rep = i["replacement_state"].as_str().ok_or("replacement_state")?;
    let y = i["exchange_year"].as_i64().ok_or("exchange_year")?;
    let residence = if i["taxpayer_residency"].as_str() == Some("nonresident") {
        rep
    } else {
        rel
    };
    let text = format!(
        r#"[taxpayer]
entity = "individual"
state = "{residence}"
[[relinquished]]
id = "a"
location = "{rel}"
acquired = "2010-01-04"
transferred = "{y}-03-02"
sale_price = "1000000"
adjusted_basis = "400000"
[[identified]]
id = "b"
fmv = "1000000"
identified_on = "{y}-03-20"
[[replacement]]
id = "b"
location = "{rep}"
received = "{y}-06-15"
price = "1000000"
"#
    );
    // A valid exchange (identified by day 45, received by day 180): FTB 3840 follows an
    // exchange whose gain went unrecognized, not a transfer taxed as a sale.
    let r = analyze_toml(&text, jiff::civil::date(2026, 11, 25))?;
    let c = r
        .states
        .and_then(|s| s.california_clawback)
        .ok_or("no California clawback computed")?;
    let mut out = BTreeMap::new();
    out.insert(
        "ftb3840_required_each_year_from".into(),
        json!(c.ftb3840_required_each_year_from),
    );
    out.insert("until".into(), json!(c.until));
    out.insert(
        "ca_taxes_deferred_gain_on_later_sale".into(),
        json!(c.ca_taxes_deferred_gain_on_later_sale),
    );
    Ok(out)
}

/// The relation vocabulary of the disqualified-person vectors, as facts for the engine.
fn candidate(relation: &str, first: Date) -> Result<Candidate, String> {
    let months_before = |n: i32| {
        first
            .checked_add(jiff::Span::new().months(-n))
            .unwrap_or(first)
    };
    Ok(match relation {
        "agent_within_2_years" => Candidate {
            services: vec![(Service::Agent, months_before(2))],
            ..Default::default()
        },
        "agent_more_than_2_years" => Candidate {
            services: vec![(Service::Agent, months_before(29))],
            ..Default::default()
        },
        "exchange_services_only" => Candidate {
            services: vec![(Service::ExchangeOnly, months_before(2))],
            ..Default::default()
        },
        "routine_title_escrow" => Candidate {
            services: vec![(Service::RoutineFinancialTitleEscrow, months_before(2))],
            ..Default::default()
        },
        "family_267b" => Candidate {
            family: true,
            ..Default::default()
        },
        "entity_over_10pct" => Candidate {
            ownership_with_taxpayer_pct: Some(Amount::from(15)),
            ..Default::default()
        },
        "entity_owned_exactly_10pct_by_agent" => Candidate {
            ownership_with_agent_pct: Some(Amount::TEN),
            ..Default::default()
        },
        x => return Err(format!("relation {x:?} unknown")),
    })
}

fn disqualified_persons(i: &Map<String, Value>) -> Out {
    let first = date(i, "first_relinquished_transfer")?;
    let mut out = BTreeMap::new();
    for c in i
        .get("candidates")
        .and_then(Value::as_array)
        .ok_or("candidates")?
    {
        let who = c["who"].as_str().ok_or("who")?;
        let rel = c["relation"].as_str().ok_or("relation")?;
        let v = disqualified::judge(&candidate(rel, first)?, first);
        out.insert(format!("disqualified.{who}"), json!(v.disqualified));
    }
    Ok(out)
}

/// No identification, funds released after day 45 in the same year: a taxable sale.
fn failed_same_year(i: &Map<String, Value>) -> Out {
    let t = date(i, "relinquished_transfer_date")?;
    let released = date(i, "funds_released_date")?;
    let gain = money(i, "realized_gain")?;
    if i["identification_made"].as_bool() != Some(false) {
        return Err("only the no-identification case is mapped".into());
    }
    let basis = Amount::from(100_000);
    let text = format!(
        r#"[exchange]
as_of = "{released}"
[taxpayer]
entity = "individual"
[[relinquished]]
id = "a"
location = "TX"
acquired = "2015-01-05"
transferred = "{t}"
sale_price = "{}"
adjusted_basis = "{basis}"
"#,
        gain + basis
    );
    let r = analyze_toml(&text, released)?;
    let d = r.deadlines.ok_or("no deadlines")?;
    let mut out = BTreeMap::new();
    out.insert(
        "identification_period_end".into(),
        json!(d.identification_end.to_string()),
    );
    // The release falls in the transfer's tax year, so no (j)(2) installment deferral: the
    // gain recognized by the analysis is the year-of-transfer gain.
    if released.year() != t.year() || released <= d.identification_end {
        return Err("only a same-year release after day 45 is mapped".into());
    }
    out.insert(
        format!("recognized_{}", t.year()),
        m(r.gain.total_recognized),
    );
    Ok(out)
}

/// Property to be produced: the (e)(5) Example.
fn produced(i: &Map<String, Value>) -> Out {
    let t = date(i, "relinquished_transfer_date")?;
    let recd = date(i, "replacement_received_on")?;
    let text = format!(
        r#"[taxpayer]
entity = "individual"
[[relinquished]]
id = "x"
location = "TX"
acquired = "1985-01-02"
transferred = "{t}"
sale_price = "100"
adjusted_basis = "100"
[[replacement]]
id = "m"
location = "TX"
received = "{recd}"
price = "100"
"#
    );
    let r = analyze_toml(&text, recd)?;
    let d = r.deadlines.ok_or("no deadlines")?;
    let mut out = BTreeMap::new();
    out.insert(
        "exchange_period_end".into(),
        json!(d.exchange_end.to_string()),
    );
    out.insert("receipt_timely".into(), json!(recd <= d.exchange_end));
    for p in i
        .get("produced_replacements")
        .and_then(Value::as_array)
        .ok_or("produced_replacements")?
    {
        let name = p["name"].as_str().ok_or("name")?;
        let kind = match p["type"].as_str() {
            Some("real") => Produced::Real,
            Some("personal") => Produced::Personal,
            x => return Err(format!("type {x:?}")),
        };
        let pct = dec_str(&p["percent_complete_at_receipt"], "percent")?;
        // Personal property N: the Example says only that it is being produced as identified.
        let same = p["substantially_same_if_completed"]
            .as_bool()
            .unwrap_or(true);
        let res = produced_property::judge(kind, pct, same);
        out.insert(
            format!("results.{name}.substantially_same"),
            json!(res.substantially_same),
        );
        out.insert(
            format!("results.{name}.like_kind_share_of_improvements_percent"),
            json!(res.like_kind_share_of_improvements_percent.to_string()),
        );
        out.insert(
            format!("results.{name}.post_receipt_construction_like_kind"),
            json!(res.post_receipt_construction_like_kind),
        );
        out.insert(format!("results.{name}.like_kind"), json!(res.like_kind));
    }
    Ok(out)
}

/// Rev. Rul. 2004-86: the powers given, then each forbidden power switched on.
fn dst(i: &Map<String, Value>) -> Out {
    let p = &i["trustee_powers"];
    let b = |k: &str| p[k].as_bool();
    let powers = DstPowers {
        accept_new_contributions: b("accept_new_contributions"),
        renegotiate_leases_or_loans: b("renegotiate_leases_or_loans"),
        reinvest_sale_proceeds: b("reinvest_sale_proceeds"),
        capital_improvements_beyond_minor: b("capital_improvements_beyond_minor"),
        hold_cash_other_than_short_term_debt: b("hold_cash_other_than_short_term_debt"),
        distribute_cash_currently: b("distribute_cash_currently"),
        other_power_to_vary_investment: b("other_power_to_vary_investment"),
    };
    let c = eligibility::classify_dst(&powers);
    let mut out = BTreeMap::new();
    out.insert("grantor_trust".into(), json!(c == DstClass::GrantorTrust));
    out.insert(
        "interest_is_like_kind_real_property".into(),
        json!(c.is_like_kind_real_property()),
    );
    let flips = [
        DstPowers {
            accept_new_contributions: Some(true),
            ..powers
        },
        DstPowers {
            renegotiate_leases_or_loans: Some(true),
            ..powers
        },
        DstPowers {
            reinvest_sale_proceeds: Some(true),
            ..powers
        },
        DstPowers {
            capital_improvements_beyond_minor: Some(true),
            ..powers
        },
        DstPowers {
            hold_cash_other_than_short_term_debt: Some(true),
            ..powers
        },
    ];
    let summaries: Vec<&str> = flips
        .iter()
        .map(|f| eligibility::classify_dst(f).summary())
        .collect();
    if summaries.windows(2).any(|w| w[0] != w[1]) {
        return Err(format!(
            "forbidden powers classify differently: {summaries:?}"
        ));
    }
    out.insert("if_any_prohibited_power_true".into(), json!(summaries[0]));
    Ok(out)
}
