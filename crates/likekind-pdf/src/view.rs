//! The report in words for the page: money as $1,234.56, dates as Mar 2, 2026, verdicts and
//! severities in words, Form 8824 lines with the form's captions. Figures are read from the
//! engine's JSON report (the very figures `analyze --format json` writes), never recomputed.

use likekind_core::explain::{Input, Val};
use likekind_core::{ExchangeFile, Report};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Mar 2, 2026`.
pub(crate) fn date_words(d: jiff::civil::Date) -> String {
    let m = usize::try_from(d.month() - 1).unwrap_or(0).min(11);
    format!("{} {}, {}", MONTHS[m], d.day(), d.year())
}

/// A JSON date (`2026-03-02`) in words; anything else as it is.
fn date_of(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s
            .parse::<jiff::civil::Date>()
            .map(date_words)
            .unwrap_or_else(|_| s.to_string()),
        None => String::new(),
    }
}

/// A JSON amount (`"570000.00"`) as `$570,000.00`.
fn usd_of(v: &Value) -> String {
    v.as_str()
        .and_then(|s| Decimal::from_str(s).ok())
        .map(likekind_core::money::format_usd)
        .unwrap_or_default()
}

fn val(v: &Val) -> String {
    match v {
        Val::Money(d) => likekind_core::money::format_usd(*d),
        Val::Date(d) => date_words(*d),
        Val::Bool(true) => "yes".into(),
        Val::Bool(false) => "no".into(),
        Val::List(l) => inputs(l),
        other => other.to_string(),
    }
}

fn inputs(l: &[Input]) -> String {
    l.iter()
        .map(|i| format!("{} = {}", i.name, val(&i.value)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Form 8824 Part III, in the form's line order with its captions (Form 8824, Part III).
const PART_III: [(&str, &str); 14] = [
    ("12", "Fair market value (FMV) of other property given up"),
    ("13", "Adjusted basis of other property given up"),
    (
        "14",
        "Gain or (loss) recognized on other property given up (line 12 minus line 13)",
    ),
    (
        "15",
        "Cash received, FMV of other property received, plus net liabilities assumed by the other party, reduced (not below zero) by exchange expenses",
    ),
    ("16", "FMV of like-kind property you received"),
    ("17", "Add lines 15 and 16"),
    (
        "18",
        "Adjusted basis of like-kind property you gave up, net amounts paid to the other party, plus exchange expenses not used on line 15",
    ),
    ("19", "Realized gain or (loss): line 17 minus line 18"),
    (
        "20",
        "The smaller of line 15 or line 19, but not less than zero",
    ),
    (
        "21",
        "Ordinary income under recapture rules (also on Form 4797, line 16)",
    ),
    (
        "22",
        "Line 20 minus line 21, not less than zero (to Schedule D or Form 4797 unless the installment method applies)",
    ),
    ("23", "Recognized gain: add lines 21 and 22"),
    ("24", "Deferred gain or (loss): line 19 minus line 23"),
    (
        "25",
        "Basis of like-kind property received: lines 18 plus 23, minus line 15",
    ),
];

/// Form 8824 Part I captions.
const PART_I: [(&str, &str); 6] = [
    ("1", "Description of like-kind property given up"),
    ("2", "Description of like-kind property received"),
    ("3", "Date like-kind property given up was originally acquired"),
    (
        "4",
        "Date you actually transferred your property to the other party",
    ),
    (
        "5",
        "Date like-kind property you received was identified by written notice to another party",
    ),
    (
        "6",
        "Date you actually received the like-kind property from the other party",
    ),
];

fn severity_words(s: &str) -> &'static str {
    match s {
        "error" => "Fails",
        "warning" => "Warning",
        _ => "Note",
    }
}

/// Where a marker sits on the timeline, from 0 (the first transfer) to 1 (the last date).
fn position(d: jiff::civil::Date, start: jiff::civil::Date, end: jiff::civil::Date) -> f64 {
    let span = (end - start).get_days().max(1);
    let at = (d - start).get_days().clamp(0, span);
    f64::from(at) / f64::from(span)
}

/// The timeline: the first transfer, day 45, day 180, the return due date, the end of the
/// exchange period and each closing, placed along the period.
fn timeline(file: &ExchangeFile, r: &Report) -> Value {
    let Some(d) = r.deadlines.as_ref() else {
        return Value::Null;
    };
    let start = d.first_transfer;
    let mut marks: Vec<(jiff::civil::Date, String, &str)> = vec![
        (start, "First transfer".into(), "deadline"),
        (d.identification_end, "Day 45: identification ends".into(), "deadline"),
        (d.day_180, "Day 180".into(), "deadline"),
        (d.return_due_date, "Return due date".into(), "deadline"),
    ];
    if d.exchange_end != d.day_180 {
        marks.push((d.exchange_end, "Exchange period ends".into(), "deadline"));
    }
    for x in &file.relinquished {
        marks.push((x.transferred, format!("Sold: {}", x.id), "event"));
    }
    for x in &file.identified {
        marks.push((x.identified_on, format!("Identified: {}", x.id), "event"));
    }
    for x in &file.replacement {
        marks.push((x.received, format!("Received: {}", x.id), "event"));
    }
    let end = marks.iter().map(|m| m.0).max().unwrap_or(start);
    marks.sort_by_key(|m| m.0);
    let items: Vec<Value> = marks
        .into_iter()
        .map(|(date, label, kind)| {
            json!({
                "date": date_words(date),
                "label": label,
                "kind": kind,
                "at": position(date, start, end),
            })
        })
        .collect();
    json!({ "start": date_words(start), "end": date_words(end), "marks": items })
}

/// The exchange report's data for `templates/report.typ`.
pub(crate) fn report(file: &ExchangeFile, r: &Report) -> Result<Value, String> {
    let j = serde_json::to_value(r).map_err(|e| e.to_string())?;
    let q = &j["qualification"];
    let filed = q["form_8824_filed"].as_bool().unwrap_or(false);
    let name = r
        .exchange
        .name
        .clone()
        .unwrap_or_else(|| "Exchange".to_string());

    let given: Vec<Value> = file
        .relinquished
        .iter()
        .map(|x| {
            let eligible = r
                .qualification
                .given
                .iter()
                .find(|g| g.id == x.id)
                .map(|g| (g.eligible, g.reason.as_ref().map(|w| w.text.to_string())));
            json!({
                "id": x.id,
                "description": x.description,
                "location": x.location,
                "acquired": date_words(x.acquired),
                "transferred": date_words(x.transferred),
                "price": likekind_core::money::format_usd(x.sale_price),
                "basis": likekind_core::money::format_usd(x.adjusted_basis),
                "eligible": eligible.as_ref().map_or(true, |e| e.0),
                "reason": eligible.and_then(|e| e.1).unwrap_or_default(),
            })
        })
        .collect();

    let received: Vec<Value> = j["replacement_basis"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|b| {
                    let id = b["id"].as_str().unwrap_or_default();
                    let f = file.replacement.iter().find(|x| x.id == id);
                    json!({
                        "id": id,
                        "description": f.map(|x| x.description.clone()).unwrap_or_default(),
                        "location": f.map(|x| x.location.clone()).unwrap_or_default(),
                        "received": f.map(|x| date_words(x.received)).unwrap_or_default(),
                        "fmv": usd_of(&b["fmv"]),
                        "basis": usd_of(&b["basis"]),
                        "like_kind": b["like_kind"].as_bool().unwrap_or(false),
                        "reason": b["reason"]["text"].as_str().unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();

    let money = &j["money"];
    let sales: Vec<Value> = money["sales"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    json!({
                        "id": s["id"],
                        "rows": [
                            ["Sale price", usd_of(&s["sale_price"])],
                            ["Debt paid off at closing", usd_of(&s["liabilities_relieved"])],
                            ["Exchange expenses", usd_of(&s["exchange_expenses"])],
                            ["Other closing costs", usd_of(&s["other_closing_costs"])],
                            ["Cash received by you", usd_of(&s["cash_received"])],
                            ["Cash you brought", usd_of(&s["cash_brought"])],
                            ["To the exchange funds", usd_of(&s["to_exchange_funds"])],
                        ],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let purchases: Vec<Value> = money["purchases"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    json!({
                        "id": p["id"],
                        "rows": [
                            ["Price", usd_of(&p["price"])],
                            ["Debt taken on", usd_of(&p["liabilities_assumed"])],
                            ["Exchange expenses", usd_of(&p["exchange_expenses"])],
                            ["Other closing costs", usd_of(&p["other_closing_costs"])],
                            ["Cash you paid", usd_of(&p["cash_paid"])],
                            ["From the exchange funds", usd_of(&p["from_exchange_funds"])],
                        ],
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let balance = json!([
        ["Into the exchange funds", usd_of(&money["exchange_funds_in"])],
        ["Out of the exchange funds", usd_of(&money["exchange_funds_out"])],
        ["Returned to you", usd_of(&money["returned_to_taxpayer"])],
    ]);

    let p1 = &j["form_8824_part_i"];
    let mut part_i: Vec<Value> = PART_I
        .iter()
        .map(|(line, caption)| {
            let v = &p1[format!("line_{line}")];
            let text = match *line {
                "1" | "2" => v.as_str().unwrap_or_default().to_string(),
                _ => date_of(v),
            };
            json!({ "line": line, "caption": caption, "value": text })
        })
        .collect();
    part_i.push(json!({
        "line": "7",
        "caption": "Was the exchange made with a related party, either directly or indirectly?",
        "value": if p1["line_7_related_party"].as_bool().unwrap_or(false) { "Yes (see Part II)" } else { "No" },
    }));
    let part_iii: Vec<Value> = PART_III
        .iter()
        .map(|(line, caption)| {
            json!({
                "line": line,
                "caption": caption,
                "value": usd_of(&j["form_8824"][format!("line_{line}")]),
            })
        })
        .collect();
    let part_ii = j.get("form_8824_part_ii").filter(|v| !v.is_null()).map(|p| {
        p.as_object()
            .map(|o| {
                o.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| {
                        let text = match v {
                            Value::String(s) => {
                                if Decimal::from_str(s).is_ok() && s.contains('.') {
                                    usd_of(v)
                                } else if s.parse::<jiff::civil::Date>().is_ok() {
                                    date_of(v)
                                } else {
                                    s.clone()
                                }
                            }
                            Value::Bool(true) => "Yes".into(),
                            Value::Bool(false) => "No".into(),
                            other => other.to_string(),
                        };
                        json!([words_of_key(k), text])
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });

    let routing: Vec<Value> = j["character"]["routing"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    json!({
                        "what": x["what"],
                        "amount": usd_of(&x["amount"]),
                        "reported_on": x["reported_on"],
                        "authority": x["authority"],
                    })
                })
                .collect()
        })
        .unwrap_or_default();

    let findings: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let sev = serde_json::to_value(f.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            json!({
                "severity": severity_words(&sev),
                "message": f.message,
                "authority": f.authority,
            })
        })
        .collect();

    let steps: Vec<Value> = r
        .explanation
        .iter()
        .map(|s| {
            json!({
                "step": s.step,
                "value": val(&s.value),
                "inputs": inputs(&s.inputs),
                "authority": s.authority,
            })
        })
        .collect();

    let gain = &j["gain"];
    Ok(json!({
        "title": format!("1031 exchange report: {name}"),
        "name": name,
        "taxpayer": r.exchange.taxpayer,
        "as_of": date_words(r.exchange.as_of),
        "as_of_iso": r.exchange.as_of.to_string(),
        "verdict": {
            "outcome": r.qualification.outcome.words(),
            "summary": q["summary"],
            "reported_on": q["reported_on"],
            "filed": filed,
        },
        "gain": [
            ["Realized gain or (loss)", usd_of(&gain["realized"])],
            ["Recognized gain", usd_of(&gain["recognized"])],
            ["Deferred gain or (loss)", usd_of(&gain["deferred"])],
            ["Ordinary income under recapture rules", usd_of(&gain["ordinary_recapture"])],
            ["Unrecaptured section 1250 gain recognized", usd_of(&gain["unrecaptured_1250"])],
        ],
        "timeline": timeline(file, r),
        "given": given,
        "received": received,
        "sales": sales,
        "purchases": purchases,
        "balance": balance,
        "part_i": part_i,
        "part_ii": part_ii,
        "part_iii": part_iii,
        "routing": routing,
        "line_22_reported_on": gain["line_22_reported_on"],
        "findings": findings,
        "steps": steps,
    }))
}

/// `disposition_date` → `Disposition date`.
fn words_of_key(k: &str) -> String {
    let s = k.replace('_', " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}
