//! `deadline`, `disaster`, `ident`, `ident_revoke`, `incidental`, `reverse`,
//! `reverse_2004_51`, `g6`: the dates and identification rules of an exchange.

use super::money;
use jiff::civil::Date;
use likekind_core::Amount;
use likekind_core::calendar::{YearEnd, add_days};
use likekind_core::constructive_receipt::{self, ReleaseFacts};
use likekind_core::deadlines::{self, DeadlineInputs};
use likekind_core::disaster;
use likekind_core::due_date;
use likekind_core::holidays;
use likekind_core::identification::{self, Candidate, IdFacts, IdRule};
use likekind_core::model::Entity;
use likekind_core::reverse;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

type Out = Result<BTreeMap<String, Value>, String>;

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

/// The entity and year end of a vector's free-text `taxpayer_type`, when it is a current-law
/// taxpayer the engine's due-date table covers (the historic examples are not).
fn entity_of(t: &str) -> Option<(Entity, &'static str)> {
    let t = t.to_ascii_lowercase();
    if t.contains("1993") || t.contains("1991") || t.contains("assumed") {
        return None;
    }
    let ye = if t.contains("june 30") {
        "06-30"
    } else {
        "12-31"
    };
    let e = if t.contains("c corporation") {
        Entity::CCorporation
    } else if t.contains("partnership") {
        Entity::Partnership
    } else if t.contains("individual") {
        Entity::Individual
    } else {
        return None;
    };
    Some((e, ye))
}

pub fn deadline(i: &Map<String, Value>) -> Out {
    let transfers: Vec<Date> = i
        .get("relinquished_transfer_dates")
        .and_then(Value::as_array)
        .ok_or("relinquished_transfer_dates missing")?
        .iter()
        .filter_map(|v| v.as_str()?.parse().ok())
        .collect();
    let first = *transfers.iter().min().ok_or("no transfer date")?;
    let due = date(i, "return_due_date")?;
    let ext = date(i, "extended_return_due_date")?;
    let (d45, d180) = deadlines::periods(first);
    let mut out = BTreeMap::new();
    out.insert("identification_period_end".into(), s(d45));
    out.insert("day_180".into(), s(d180));
    out.insert(
        "exchange_period_end_without_extension".into(),
        s(deadlines::exchange_end(d180, due).0),
    );
    out.insert(
        "exchange_period_end_with_extension".into(),
        s(deadlines::exchange_end(d180, ext).0),
    );
    out.insert(
        "identification_rollover_alternative_U".into(),
        s(holidays::roll_7503(d45)),
    );
    out.insert(
        "identification_deadline_is_weekend".into(),
        Value::Bool(holidays::is_weekend(d45)),
    );
    out.insert(
        "alternative_exchange_end_if_7503_applies_to_cap".into(),
        s(deadlines::exchange_end(d180, holidays::roll_7503(due)).0),
    );
    if i.contains_key("identification_date") {
        let idd = date(i, "identification_date")?;
        out.insert("identification_timely".into(), Value::Bool(idd <= d45));
    }
    // The vector's due dates are inputs; for current-law taxpayers the engine's own due-date
    // table must give the same dates, and the full pipeline the same exchange ends.
    let ttype = i.get("taxpayer_type").and_then(Value::as_str).unwrap_or("");
    if let Some((entity, ye)) = entity_of(ttype) {
        let ye = YearEnd::parse(ye).map_err(|e| e.to_string())?;
        let dd = due_date::return_due_date(entity, ye, first);
        // A vector may write a due date already moved by §7503 (the return's filing date).
        let same = |a: Date, rolled: Date, v: Date| v == a || v == rolled;
        if !same(dd.original, dd.original_7503, due) || !same(dd.extended, dd.extended_7503, ext) {
            return Err(format!(
                "engine due dates {} / {} differ from the vector's {due} / {ext}",
                dd.original, dd.extended
            ));
        }
        for (ext_filed, key) in [
            (false, "exchange_period_end_without_extension"),
            (true, "exchange_period_end_with_extension"),
        ] {
            let full = deadlines::dates(&DeadlineInputs {
                first_transfer: first,
                entity,
                year_end: ye,
                extension_filed: ext_filed,
                disaster: None,
            });
            if Some(&s(full.exchange_end)) != out.get(key) {
                return Err(format!("pipeline {key} = {}", full.exchange_end));
            }
        }
    }
    Ok(out)
}

pub fn disaster(i: &Map<String, Value>) -> Out {
    let facts = disaster::DisasterFacts {
        disaster_date: date(i, "disaster_date")?,
        postponement_date: date(i, "general_postponement_date")?,
        affected_taxpayer: i.get("affected_taxpayer") == Some(&Value::Bool(true)),
        difficulty: false,
        start: date(i, "relinquished_transfer_date")?,
    };
    let t = facts.start;
    let (d45, d180) = deadlines::periods(t);
    if d45 != date(i, "original_identification_end")? || d180 != date(i, "original_day_180")? {
        return Err("original deadlines differ from the engine's".into());
    }
    let o = disaster::apply(&facts, d45, d180);
    let mut out = BTreeMap::new();
    out.insert(
        "section17_eligible".into(),
        Value::Bool(o.section17_eligible),
    );
    out.insert(
        "postponed_identification_end".into(),
        s(o.postponed_identification_end.unwrap_or(d45)),
    );
    out.insert(
        "postponed_exchange_end".into(),
        s(o.postponed_day_180.unwrap_or(d180)),
    );
    Ok(out)
}

/// Maps the ident vocabulary onto dated candidates: the transfer on day 0, identification on
/// day 10, receipt within the identification period on day 30, later receipt on day 100.
fn candidates(
    list: &[Value],
    t0: Date,
    revoked: &[String],
    written: bool,
) -> Result<Vec<Candidate>, String> {
    list.iter()
        .map(|p| {
            let o = p.as_object().ok_or("property is not an object")?;
            let name = o
                .get("name")
                .and_then(Value::as_str)
                .ok_or("name")?
                .to_string();
            let received = o.get("received") == Some(&Value::Bool(true));
            let early = o.get("received_before_id_period_end") == Some(&Value::Bool(true));
            Ok(Candidate {
                fmv: money(o, "fmv")?,
                fmv_at_receipt: None,
                not_in_place: Amount::ZERO,
                identified_on: Some(add_days(t0, 10)),
                revoked_on: revoked.contains(&name).then(|| add_days(t0, 40)),
                revocation_written: written,
                received_on: received.then(|| add_days(t0, if early { 30 } else { 100 })),
                incidental: Amount::ZERO,
                id: name.into(),
            })
        })
        .collect()
}

fn ident_values(v: &identification::Identification) -> BTreeMap<String, Value> {
    let m = super::m;
    let rule = serde_json::to_value(v.rule).unwrap_or(Value::Null);
    let mut out = BTreeMap::new();
    out.insert(
        "three_property_rule".into(),
        Value::Bool(v.three_property_rule),
    );
    out.insert(
        "two_hundred_percent_rule".into(),
        Value::Bool(v.two_hundred_percent_rule),
    );
    out.insert(
        "ninety_five_percent_rule".into(),
        Value::Bool(v.ninety_five_percent_rule),
    );
    out.insert("valid_identification".into(), Value::Bool(v.valid));
    out.insert("rule".into(), rule);
    out.insert("remaining".into(), json!(v.remaining));
    out.insert(
        "aggregate_identified_fmv".into(),
        m(v.aggregate_identified_fmv),
    );
    out.insert("threshold_95".into(), m(v.threshold_95));
    out.insert("like_kind_fmv_received".into(), m(v.like_kind_fmv_received));
    out.insert(
        "non_like_kind_fmv_received".into(),
        m(v.non_like_kind_fmv_received),
    );
    out.insert(
        "qualifying_properties".into(),
        json!(v.qualifying_properties),
    );
    out.insert(
        "additional_properties_allowed_three_property_rule".into(),
        json!(v.additional_properties_allowed_three_property_rule),
    );
    out.insert(
        "additional_fmv_allowed_200_percent_rule".into(),
        m(v.additional_fmv_allowed_200_percent_rule),
    );
    out
}

const T0: Date = Date::constant(2026, 3, 2);

fn id_facts(i: &Map<String, Value>, cs: Vec<Candidate>) -> Result<IdFacts, String> {
    let (d45, d180) = deadlines::periods(T0);
    Ok(IdFacts {
        relinquished_fmv: money(i, "relinquished_fmv_total")?,
        identification_end: d45,
        exchange_end: d180,
        candidates: cs,
    })
}

pub fn ident(i: &Map<String, Value>) -> Out {
    let list = i
        .get("identified")
        .and_then(Value::as_array)
        .ok_or("identified")?;
    let f = id_facts(i, candidates(list, T0, &[], true)?)?;
    let v = identification::judge_facts(&f);
    if v.valid != (v.rule != IdRule::None) {
        return Err("valid and rule disagree".into());
    }
    Ok(ident_values(&v))
}

pub fn ident_revoke(i: &Map<String, Value>) -> Out {
    let list = i
        .get("identified_day_10")
        .and_then(Value::as_array)
        .ok_or("identified_day_10")?;
    let revoked: Vec<String> = i
        .get("revoked_day_40")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let written =
        i.get("revocation_written_signed_delivered_to_same_person") != Some(&Value::Bool(false));
    let f = id_facts(i, candidates(list, T0, &revoked, written)?)?;
    Ok(ident_values(&identification::judge_facts(&f)))
}

pub fn incidental(i: &Map<String, Value>) -> Out {
    let mut out = BTreeMap::new();
    for c in i.get("cases").and_then(Value::as_array).ok_or("cases")? {
        let o = c.as_object().ok_or("case")?;
        let name = o.get("case").and_then(Value::as_str).ok_or("case name")?;
        let ok = identification::incidental_not_separate(
            money(o, "real_property_fmv")?,
            money(o, "incidental_fmv")?,
        );
        out.insert(
            format!("results.{name}.incidental_not_separate"),
            Value::Bool(ok),
        );
    }
    Ok(out)
}

pub fn reverse(i: &Map<String, Value>) -> Out {
    let d = reverse::dates(date(i, "qualified_indicia_transferred_to_eat")?);
    let mut out = BTreeMap::new();
    out.insert("qeaa_signed_by".into(), s(d.qeaa_signed_by));
    out.insert(
        "relinquished_identified_by".into(),
        s(d.relinquished_identified_by),
    );
    out.insert("transfers_completed_by".into(), s(d.transfers_completed_by));
    Ok(out)
}

pub fn reverse_2004_51(i: &Map<String, Value>) -> Out {
    let p = reverse::prior_ownership(
        date(i, "taxpayer_last_owned_replacement_on")?,
        date(i, "qualified_indicia_transferred_to_eat")?,
    );
    let mut out = BTreeMap::new();
    out.insert("days_between".into(), json!(p.days_between));
    out.insert(
        "safe_harbor_available".into(),
        Value::Bool(p.safe_harbor_available),
    );
    Ok(out)
}

pub fn g6(i: &Map<String, Value>) -> Out {
    let t = date(i, "relinquished_transfer_date")?;
    let (d45, d180) = deadlines::periods(t);
    let identified = i.get("property_identified") == Some(&Value::Bool(true));
    let r = constructive_receipt::earliest_release(&ReleaseFacts {
        identification_end: d45,
        exchange_end: d180,
        anything_identified: identified,
        all_identified_received_on: None,
    });
    let mut out = BTreeMap::new();
    out.insert("identification_period_end".into(), s(d45));
    out.insert("earliest_permitted_release".into(), s(r.earliest));
    out.insert(
        "tax_year_of_gain".into(),
        json!(constructive_receipt::failed_exchange_gain_year(
            r.earliest,
            YearEnd::CALENDAR
        )),
    );
    Ok(out)
}
