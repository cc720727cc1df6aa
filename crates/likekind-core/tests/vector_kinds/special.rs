//! `j1`, `d168`, `d168_out`, `straddle`, `s1014`: the special situations.

use super::{m, money};
use likekind_core::Amount;
use likekind_core::calendar::YearEnd;
use likekind_core::death::{self, DeathInputs};
use likekind_core::depreciation::{self, RelinquishedMacrs, ReplacementMacrs};
use likekind_core::explain::Trace;
use likekind_core::form8824::{self, Form8824Inputs};
use likekind_core::macrs::{Convention, Method};
use likekind_core::multi_asset::{self, AssetClass, Given, GroupInput, MultiAssetInputs, Received};
use likekind_core::straddle::{self, StraddleInputs};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::str::FromStr;

type Out = Result<BTreeMap<String, Value>, String>;

fn date(i: &Map<String, Value>, key: &str) -> Result<Option<jiff::civil::Date>, String> {
    match i.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => s
            .parse::<jiff::civil::Date>()
            .map(Some)
            .map_err(|e| format!("{key}: {e}")),
        Some(v) => Err(format!("{key}: not a date: {v}")),
    }
}

fn flag(i: &Map<String, Value>, key: &str) -> bool {
    i.get(key) == Some(&Value::Bool(true))
}

fn given_list(v: Option<&Value>) -> Result<Vec<Given>, String> {
    let arr = v.and_then(Value::as_array).cloned().unwrap_or_default();
    arr.iter()
        .map(|x| {
            let o = x.as_object().ok_or("given property is not an object")?;
            Ok(Given {
                name: o["name"].as_str().unwrap_or("?").to_string(),
                fmv: money(o, "fmv")?,
                adjusted_basis: money(o, "ab")?,
                class: AssetClass::III,
            })
        })
        .collect()
}

fn received_list(v: Option<&Value>) -> Result<Vec<Received>, String> {
    let arr = v.and_then(Value::as_array).cloned().unwrap_or_default();
    arr.iter()
        .map(|x| {
            let o = x.as_object().ok_or("received property is not an object")?;
            Ok(Received {
                name: o["name"].as_str().unwrap_or("?").to_string(),
                fmv: money(o, "fmv")?,
                class: AssetClass::III,
            })
        })
        .collect()
}

/// Treas. Reg. §1.1031(j)-1, in the extended (exchange groups) or flat vocabulary.
pub fn j1(i: &Map<String, Value>) -> Out {
    let mut out = BTreeMap::new();
    if let Some(groups) = i.get("exchange_groups").and_then(Value::as_array) {
        let groups = groups
            .iter()
            .map(|g| {
                Ok(GroupInput {
                    id: g["group"].as_str().unwrap_or("?").to_string(),
                    description: g["description"].as_str().unwrap_or("").to_string(),
                    given: given_list(g.get("given"))?,
                    received: received_list(g.get("received"))?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let inp = MultiAssetInputs {
            groups,
            liabilities_assumed: money(i, "L_by_you")?,
            liabilities_relieved: money(i, "L_by_other")?,
            cash_received: money(i, "cash_recd")?,
            cash_paid: money(i, "cash_paid")?,
            exchange_expenses: Amount::ZERO,
            other_given: given_list(i.get("other_property_given"))?,
            other_received: received_list(i.get("other_property_received"))?,
        };
        let r = multi_asset::compute(&inp, &mut Trace::default());
        out.insert(
            "excess_liabilities_assumed".into(),
            m(r.excess_liabilities_assumed),
        );
        out.insert(
            "excess_liabilities_relieved".into(),
            m(r.excess_liabilities_relieved),
        );
        for g in &r.groups {
            let p = format!("groups.{}", g.id);
            for (k, v) in [
                (
                    "excess_liabilities_allocated",
                    g.excess_liabilities_allocated,
                ),
                ("exchange_group_surplus", g.surplus),
                ("exchange_group_deficiency", g.deficiency),
                ("gain_realized", g.gain_realized),
                ("gain_recognized", g.gain_recognized),
                ("basis_received", g.basis_received),
            ] {
                out.insert(format!("{p}.{k}"), m(v));
            }
            for b in &g.basis_by_property {
                out.insert(format!("{p}.basis_by_property.{}", b.id), m(b.basis));
            }
        }
        out.insert("residual_group_fmv".into(), m(r.residual_group.fmv));
        out.insert(
            "residual_group_gain_recognized".into(),
            m(r.residual_group.gain_recognized),
        );
        out.insert(
            "gain_recognized_outside_groups".into(),
            m(r.gain_recognized_outside_groups),
        );
        out.insert("total_recognized".into(), m(r.total_recognized));
        out.insert("deferred_gain".into(), m(r.deferred_gain));
        for b in &r.basis_non_group_property_received {
            out.insert(
                format!("basis_non_group_property_received.{}", b.id),
                m(b.basis),
            );
        }
        return Ok(out);
    }
    // Flat form: one real-property group plus personal property on either side.
    let real_given = Given {
        name: "real given".into(),
        fmv: money(i, "real_given_fmv")?,
        adjusted_basis: money(i, "real_given_ab")?,
        class: AssetClass::III,
    };
    let pg = Given {
        name: "personal given".into(),
        fmv: money(i, "personal_given_fmv")?,
        adjusted_basis: money(i, "personal_given_ab")?,
        class: AssetClass::III,
    };
    let pr = Received {
        name: "personal received".into(),
        fmv: money(i, "personal_recd_fmv")?,
        class: AssetClass::III,
    };
    let inp = MultiAssetInputs {
        groups: vec![GroupInput {
            id: "real".into(),
            description: String::new(),
            given: vec![real_given.clone()],
            received: vec![Received {
                name: "real received".into(),
                fmv: money(i, "real_recd_fmv")?,
                class: AssetClass::III,
            }],
        }],
        other_given: if pg.fmv.is_zero() && pg.adjusted_basis.is_zero() {
            vec![]
        } else {
            vec![pg.clone()]
        },
        other_received: if pr.fmv.is_zero() {
            vec![]
        } else {
            vec![pr.clone()]
        },
        ..Default::default()
    };
    let r = multi_asset::compute(&inp, &mut Trace::default());
    let g = r.groups.first().ok_or("no exchange group")?;
    out.insert("exchange_group_surplus".into(), m(g.surplus));
    out.insert("exchange_group_deficiency".into(), m(g.deficiency));
    out.insert("gain_recognized_real_group".into(), m(g.gain_recognized));
    out.insert(
        "gain_recognized_personal_property_given".into(),
        m(r.residual_group.gain_recognized + r.gain_recognized_outside_groups),
    );
    out.insert("total_recognized".into(), m(r.total_recognized));
    out.insert("basis_real_received".into(), m(g.basis_received));
    out.insert("basis_personal_received".into(), m(pr.fmv));
    out.insert("deferred_gain".into(), m(r.deferred_gain));
    // What mechanically filling lines 12-18 would give (the vector's counter-example).
    let naive = form8824::compute(
        &Form8824Inputs {
            other_property_given_fmv: pg.fmv,
            other_property_given_basis: pg.adjusted_basis,
            other_property_received_fmv: pr.fmv,
            like_kind_received_fmv: money(i, "real_recd_fmv")?,
            like_kind_given_basis: real_given.adjusted_basis,
            ..Default::default()
        },
        &mut Trace::default(),
    );
    out.insert(
        "naive_lines_12_18_recognized_total_WRONG".into(),
        m(naive.lines.line_23 + naive.lines.line_14),
    );
    Ok(out)
}

fn method(i: &Map<String, Value>, key: &str) -> Result<Method, String> {
    match i.get(key).and_then(Value::as_str) {
        None => Ok(Method::StraightLine),
        Some(s) => Method::parse(s).ok_or(format!("{key}: unknown method {s}")),
    }
}

fn convention(i: &Map<String, Value>, key: &str) -> Result<Convention, String> {
    match i.get(key).and_then(Value::as_str) {
        None => Ok(Convention::MidMonth),
        Some(s) => Convention::parse(s).ok_or(format!("{key}: unknown convention {s}")),
    }
}

fn years(i: &Map<String, Value>, key: &str) -> Result<Option<Amount>, String> {
    match i.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Amount::from_str(s)
            .map(Some)
            .map_err(|e| format!("{key}: {e}")),
        Some(v) => Err(format!("{key}: {v}")),
    }
}

/// Treas. Reg. §1.168(i)-6.
pub fn d168(i: &Map<String, Value>) -> Out {
    let mut out = BTreeMap::new();
    let rep_years = years(i, "replacement_recovery_years")?;
    let rep_method = method(i, "replacement_method")?;
    let rep_conv = convention(i, "replacement_convention")?;
    // (d)(1) example: only the bases are given.
    if i.contains_key("relinquished_adjusted_depreciable_basis") {
        let (ex, exc) = depreciation::split_basis(
            money(i, "replacement_basis")?,
            money(i, "relinquished_adjusted_depreciable_basis")?,
        );
        out.insert("exchanged_basis".into(), m(ex));
        out.insert("excess_basis_building".into(), m(exc));
        let pis = date(i, "exchange_and_replacement_date")?.ok_or("date missing")?;
        let sched = depreciation::new_property(
            exc,
            rep_years.ok_or("replacement_recovery_years missing")?,
            rep_method,
            rep_conv,
            pis,
            1,
        )
        .ok_or("declining balance not computed")?;
        out.insert(format!("excess_basis_{}", pis.year()), m(sched[0]));
        return Ok(out);
    }
    let rel_years = years(i, "recovery_years")?.ok_or("recovery_years missing")?;
    let pis = date(i, "placed_in_service")?.ok_or("placed_in_service missing")?;
    let same = date(i, "exchange_and_replacement_date")?;
    let disposed = date(i, "relinquished_disposed")?
        .or(same)
        .ok_or("disposition date missing")?;
    let replaced = date(i, "replacement_placed_in_service")?
        .or(same)
        .ok_or("replacement date missing")?;
    let rel = RelinquishedMacrs {
        unadjusted_basis: money(i, "relinquished_building_basis")?,
        recovery_years: rel_years,
        method: method(i, "relinquished_method")?,
        convention: convention(i, "relinquished_convention")?,
        placed_in_service: pis,
        disposed,
        adjusted_basis_at_disposition: None,
    };
    let rep = ReplacementMacrs {
        recovery_years: rep_years.unwrap_or(rel_years),
        method: if i.contains_key("replacement_method") {
            rep_method
        } else {
            rel.method
        },
        convention: if i.contains_key("replacement_convention") {
            rep_conv
        } else {
            rel.convention
        },
        placed_in_service: replaced,
        depreciable_basis: None,
        excess_basis: money(i, "excess_basis_building")?,
    };
    let r = depreciation::compute(&rel, &rep, flag(i, "elect_out"), 4, &mut Trace::default());
    let yd = disposed.year();
    out.insert(
        "exchanged_basis_recovery_years".into(),
        Value::String(r.exchanged_basis_recovery_years.normalize().to_string()),
    );
    out.insert(
        "exchanged_basis_method".into(),
        Value::String(r.exchanged_basis_method.as_str().into()),
    );
    out.insert(
        "exchanged_basis_convention".into(),
        Value::String(r.exchanged_basis_convention.as_str().into()),
    );
    out.insert(
        "time_of_replacement".into(),
        Value::String(r.time_of_replacement.to_string()),
    );
    out.insert(
        "remaining_recovery_years".into(),
        Value::String(r.remaining_recovery_years.normalize().to_string()),
    );
    out.insert(
        format!("remaining_recovery_months_start_of_{yd}"),
        Value::String(r.exchanged_remaining_months_start.normalize().to_string()),
    );
    out.insert(
        format!(
            "remaining_recovery_months_start_of_{}",
            r.time_of_replacement.year() + 1
        ),
        Value::String(r.remaining_months_start_next_year.normalize().to_string()),
    );
    out.insert(
        format!("relinquished_remaining_recovery_months_start_of_{yd}"),
        Value::String(
            r.relinquished_remaining_months_start
                .normalize()
                .to_string(),
        ),
    );
    out.insert(
        format!("replacement_months_{}", r.time_of_replacement.year()),
        Value::String(r.replacement_months_first_year.normalize().to_string()),
    );
    if let Some(first) = r.relinquished_by_year.first() {
        out.insert(format!("depreciation_{}", first.year), m(first.amount));
    }
    if let Some(last) = r.relinquished_by_year.last().map(|x| &x.amount) {
        let before: Amount = r
            .relinquished_by_year
            .iter()
            .map(|x| x.amount)
            .sum::<Amount>()
            - last;
        out.insert(format!("accumulated_through_{}", yd - 1), m(before));
        out.insert(format!("relinquished_{yd}"), m(*last));
        out.insert(format!("relinquished_{yd}_half_month"), m(*last));
        out.insert(
            "adjusted_basis_at_exchange".into(),
            m(r.adjusted_basis_at_disposition),
        );
    }
    for y in &r.schedule {
        out.insert(format!("exchanged_basis_{}", y.year), m(y.exchanged_basis));
        out.insert(format!("excess_basis_{}", y.year), m(y.excess_basis));
        out.insert(format!("total_{}", y.year), m(y.total));
    }
    if let Some(next) = r
        .schedule
        .iter()
        .find(|y| y.year == r.time_of_replacement.year() + 1)
    {
        out.insert(
            "exchanged_basis_annual_thereafter".into(),
            m(next.exchanged_basis),
        );
    }
    out.insert("exchanged_basis".into(), m(r.exchanged_basis));
    out.insert("excess_basis_building".into(), m(r.excess_basis));
    Ok(out)
}

/// The election out of §1.168(i)-6 ((i)): the whole basis as new property.
pub fn d168_out(i: &Map<String, Value>) -> Out {
    let exchanged = money(i, "exchanged_basis")?;
    let excess = money(i, "excess_basis_building")?;
    let y = years(i, "recovery_years")?.ok_or("recovery_years missing")?;
    let pis = date(i, "replacement_placed_in_service")?.ok_or("date missing")?;
    let whole = exchanged + excess;
    let s =
        depreciation::new_property(whole, y, Method::StraightLine, Convention::MidMonth, pis, 2)
            .ok_or("not computed")?;
    let rel = money(i, &format!("relinquished_{}_half_month", pis.year()))?;
    let mut out = BTreeMap::new();
    out.insert("depreciable_basis".into(), m(whole));
    out.insert("annual".into(), m(s[1]));
    out.insert(format!("replacement_{}", pis.year()), m(s[0]));
    out.insert(format!("total_{}", pis.year()), m(s[0] + rel));
    Ok(out)
}

/// Treas. Reg. §1.1031(k)-1(j)(2): year(s) of recognition.
pub fn straddle(i: &Map<String, Value>, expected: &Value) -> Out {
    let transferred = date(i, "relinquished_transfer_date")?.ok_or("transfer date missing")?;
    let released = date(i, "funds_released_date")?.ok_or("release date missing")?;
    let realized = money(i, "amount_realized")? - money(i, "adjusted_basis")?;
    let note_flag = flag(i, "other_property_received_is_installment_obligation");
    let (gain, cash, note) = if i.contains_key("LK_FMV_recd") {
        let f = form8824::compute(
            &Form8824Inputs {
                cash_received: money(i, "cash_recd")?,
                other_property_received_fmv: money(i, "OR_FMV")?,
                like_kind_received_fmv: money(i, "LK_FMV_recd")?,
                like_kind_given_basis: money(i, "adjusted_basis")?,
                ..Default::default()
            },
            &mut Trace::default(),
        );
        let or = money(i, "OR_FMV")?;
        let note = if note_flag { or } else { Amount::ZERO };
        (f.lines.line_23, money(i, "cash_recd")? + or - note, note)
    } else {
        (realized, money(i, "amount_realized")?, Amount::ZERO)
    };
    let base = StraddleInputs {
        transferred,
        funds_released: released,
        exchange_end: None,
        year_end: YearEnd::CALENDAR,
        qi_or_qualified_escrow: flag(i, "qi_used") || flag(i, "qualified_escrow_used"),
        taxpayer_received_funds: false,
        reported_on: likekind_core::after::straddle::FORM_4797_OR_SCHEDULE_D,
        bona_fide_intent: flag(i, "bona_fide_intent"),
        bona_fide_intent_given: true,
        disqualified_property: false,
        elect_out_of_installment: false,
        gain,
        recapture_income: Amount::ZERO,
        straight_line_depreciation: money(i, "straight_line_depreciation")?,
        cash,
        installment_note: note,
        // With like-kind property received the vector is a partial exchange; without, failed.
        form_8824_filed: i.contains_key("LK_FMV_recd"),
        sale: None,
    };
    let mut out = BTreeMap::new();
    let mut cases = vec![("base_case", base.clone())];
    if expected.get("variant_with_1245_recapture").is_some() {
        let mut v = base.clone();
        v.recapture_income = money(i, "section1245_recapture_variant")?;
        cases.push(("variant_with_1245_recapture", v));
    }
    for (name, c) in cases {
        let s = straddle::compute(&c, &mut Trace::default()).map_err(|e| e.to_string())?;
        for y in &s.years {
            out.insert(format!("{name}.{}", y.tax_year), m(y.gain));
            out.insert(
                format!("{name}.unrecaptured_1250_in_{}", y.tax_year),
                m(y.unrecaptured_1250),
            );
        }
        if name == "base_case" {
            out.insert(
                "gain_reported_as_note_payments_received".into(),
                m(s.gain_reported_as_note_payments_received),
            );
        }
    }
    Ok(out)
}

/// IRC §1014: step-up at death.
pub fn s1014(i: &Map<String, Value>) -> Out {
    let s = death::step_up(
        &DeathInputs {
            date_of_death: jiff::civil::date(2026, 1, 1),
            basis_at_death: money(i, "replacement_basis")?,
            deferred_gain: money(i, "deferred_gain_ledger")?,
            fmv_at_death: money(i, "fmv_at_death")?,
            alternate_valuation: None,
            community_property: false,
        },
        &mut Trace::default(),
    );
    let mut out = BTreeMap::new();
    out.insert("heir_basis".into(), m(s.heir_basis));
    out.insert(
        "deferred_gain_eliminated".into(),
        m(s.deferred_gain_eliminated),
    );
    Ok(out)
}
