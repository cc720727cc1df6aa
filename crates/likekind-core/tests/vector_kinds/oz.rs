//! `oz_window`, `oz_1031`, `oz_incl`, `oz_incl_cases`, `oz_pship`: Opportunity Zone windows
//! and inclusion, through `likekind_core::oz`.

use super::{m, money};
use jiff::civil::Date;
use likekind_core::calendar::YearEnd;
use likekind_core::explain::Trace;
use likekind_core::oz::eligible_gain;
use likekind_core::oz::regime::{InclusionInputs, inclusion, whole_years};
use likekind_core::oz::window::{
    StartRule, exchange_gain_windows, last_day, last_day_counted_like_1031, passthrough_windows,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

fn date(i: &Map<String, Value>, key: &str) -> Result<Date, String> {
    i.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{key}: missing date"))?
        .parse()
        .map_err(|e| format!("{key}: {e}"))
}

fn s(d: Date) -> Value {
    Value::String(d.to_string())
}

pub fn oz_window(i: &Map<String, Value>) -> Result<BTreeMap<String, Value>, String> {
    let sale = date(i, "sale_date")?;
    let mut out = BTreeMap::new();
    out.insert("last_day_conservative".into(), s(last_day(sale)));
    out.insert(
        "last_day_if_counted_like_1031".into(),
        s(last_day_counted_like_1031(sale)),
    );
    Ok(out)
}

pub fn oz_1031(i: &Map<String, Value>) -> Result<BTreeMap<String, Value>, String> {
    let mut out = BTreeMap::new();
    let mut t = Trace::default();
    if let Some(Value::Object(c)) = i.get("same_year_case") {
        let transfer = date(c, "relinquished_transfer_date")?;
        let release = date(c, "boot_released_date")?;
        let w = exchange_gain_windows(
            "boot gain",
            transfer,
            Some(release),
            YearEnd::CALENDAR,
            c.get("character").and_then(Value::as_str) != Some("capital"),
            &mut t,
        );
        let cons = w
            .iter()
            .find(|w| w.start_rule == StartRule::ExchangeTransferDate)
            .ok_or("no conservative window")?;
        let alt = w
            .iter()
            .find(|w| w.start_rule == StartRule::ExchangeFundsReleased && !w.direct_authority)
            .ok_or("no alternative window")?;
        out.insert("same_year_case.conservative_last_day".into(), s(cons.end));
        out.insert("same_year_case.aggressive_last_day_U".into(), s(alt.end));
        out.insert(
            "same_year_case.window_already_closed_at_release_if_conservative".into(),
            Value::Bool(!cons.contains(release)),
        );
    }
    if let Some(Value::Object(c)) = i.get("straddle_case") {
        let transfer = date(c, "relinquished_transfer_date")?;
        let release = date(c, "funds_released_date")?;
        let gain = money(c, "gain")?;
        let recapture = money(c, "ordinary_recapture")?;
        out.insert(
            "straddle_case.oz_eligible_gain".into(),
            m(eligible_gain(gain, recapture, &mut t)),
        );
        let w = exchange_gain_windows(
            "gain",
            transfer,
            Some(release),
            YearEnd::CALENDAR,
            true,
            &mut t,
        );
        let cons = w
            .iter()
            .find(|w| w.start_rule == StartRule::ExchangeTransferDate)
            .ok_or("no conservative window")?;
        let alt = w
            .iter()
            .find(|w| w.start_rule == StartRule::ExchangeFundsReleased && !w.direct_authority)
            .ok_or("no alternative window")?;
        out.insert("straddle_case.conservative_last_day".into(), s(cons.end));
        out.insert(
            "straddle_case.installment_inference_last_day_U".into(),
            s(alt.end),
        );
    }
    Ok(out)
}

pub fn oz_incl(i: &Map<String, Value>) -> Result<BTreeMap<String, Value>, String> {
    let deferred = money(i, "deferred_gain")?;
    let invested = date(i, "investment_date")?;
    let fmv = money(i, "fmv_at_inclusion")?;
    let mut t = Trace::default();
    let run = |qrof: bool, t: &mut Trace| {
        inclusion(
            &InclusionInputs {
                deferred_gain: deferred,
                investment_date: invested,
                qrof,
                fmv_at_inclusion: fmv,
                disposed_on: None,
            },
            t,
        )
    };
    let inc = run(false, &mut t);
    // The vector names the regime; the engine derives it from the investment date.
    let named = i.get("regime").and_then(Value::as_str).unwrap_or("");
    let derived = match inc.regime {
        likekind_core::oz::regime::Regime::Original => "original",
        likekind_core::oz::regime::Regime::Obbba => "OBBBA",
    };
    if !named.is_empty() && !named.eq_ignore_ascii_case(derived) {
        return Err(format!(
            "regime {named} but the investment date gives {derived}"
        ));
    }
    let mut out = BTreeMap::new();
    out.insert("inclusion_date".into(), s(inc.inclusion_date));
    out.insert("basis_step_up".into(), m(inc.basis_step_up));
    out.insert("amount_included".into(), m(inc.amount_included));
    out.insert("earliest_10_year_date".into(), s(inc.earliest_10_year_date));
    if let Some(d) = inc.thirty_year_basis_cap_date {
        out.insert("thirty_year_basis_cap_date".into(), s(d));
    }
    if i.contains_key("gain_sale_date") {
        let sale = date(i, "gain_sale_date")?;
        let w = likekind_core::oz::window::sale_window("gain", sale, &mut t);
        out.insert(
            "within_180_day_window".into(),
            Value::Bool(w.contains(invested)),
        );
    }
    if i.get("qrof_variant").and_then(Value::as_bool) == Some(true) {
        let q = run(true, &mut t);
        out.insert("qrof_basis_step_up".into(), m(q.basis_step_up));
        out.insert("qrof_amount_included".into(), m(q.amount_included));
    }
    Ok(out)
}

pub fn oz_incl_cases(i: &Map<String, Value>) -> Result<BTreeMap<String, Value>, String> {
    let deferred = money(i, "deferred_gain")?;
    let invested = date(i, "investment_date")?;
    let incl = date(i, "inclusion_date")?;
    let mut t = Trace::default();
    let mut out = BTreeMap::new();
    out.insert(
        "years_held_at_inclusion".into(),
        Value::from(whole_years(invested, incl)),
    );
    let cases = i
        .get("cases")
        .and_then(Value::as_array)
        .ok_or("cases: missing")?;
    for c in cases {
        let c = c.as_object().ok_or("case: not an object")?;
        let fmv = money(c, "fmv")?;
        let inc = inclusion(
            &InclusionInputs {
                deferred_gain: deferred,
                investment_date: invested,
                qrof: false,
                fmv_at_inclusion: fmv,
                disposed_on: Some(incl),
            },
            &mut t,
        );
        if inc.inclusion_date != incl {
            return Err(format!("inclusion date {} not {incl}", inc.inclusion_date));
        }
        out.insert("basis_after_step_ups".into(), m(inc.basis_step_up));
        out.insert(
            format!("included.{}", likekind_core::money::format_money(fmv)),
            m(inc.amount_included),
        );
    }
    Ok(out)
}

pub fn oz_pship(i: &Map<String, Value>) -> Result<BTreeMap<String, Value>, String> {
    let mut t = Trace::default();
    let w = passthrough_windows(
        date(i, "partnership_sale_date")?,
        date(i, "partnership_tax_year_end")?,
        date(i, "partnership_return_due_without_extension")?,
        &mut t,
    );
    let mut out = BTreeMap::new();
    out.insert("last_day_option_sale_date".into(), s(w[0].end));
    out.insert("last_day_option_year_end".into(), s(w[1].end));
    out.insert("last_day_option_return_due_date".into(), s(w[2].end));
    Ok(out)
}
