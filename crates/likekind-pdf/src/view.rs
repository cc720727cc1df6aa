//! The report in words for the page: money as $1,234.56, dates as Mar 2, 2026, verdicts and
//! severities in words, Form 8824 lines with the form's captions. Figures are read from the
//! engine's JSON report (the very figures `analyze --format json` writes), never recomputed.

use likekind_core::Amount;
use likekind_core::explain::{Input, Val};
use likekind_core::{ExchangeFile, Report};
use serde_json::{Value, json};
use std::str::FromStr;

/// The marks around a person's own text (a name, a description, a memo) in the data given to a
/// template: [`humanize`] leaves what is between them as written and takes the marks away.
const OWN_START: char = '\u{E000}';
const OWN_END: char = '\u{E001}';

/// A person's own text, kept as written by [`humanize`].
pub(crate) fn own(s: &str) -> String {
    format!("{OWN_START}{s}{OWN_END}")
}

/// The taxpayer's name as the file gives it (the tracker fills it from the exchange's
/// client), or words saying it is missing: a notice or a statement never reads "From , the
/// taxpayer".
fn taxpayer_name(file: &ExchangeFile, r: &Report) -> String {
    let named = [file.taxpayer.name.as_str(), r.exchange.taxpayer.as_str()]
        .into_iter()
        .map(str::trim)
        .find(|n| !n.is_empty());
    named.map_or_else(|| "(the taxpayer's name is not given)".to_string(), own)
}

/// A property's description and its place beside it, for a table whose other column names
/// the property: with no description, the place alone (never ", California").
fn described(description: &str, location: &str) -> (String, String) {
    if description.trim().is_empty() {
        (
            own(&likekind_core::words::location(location)),
            String::new(),
        )
    } else {
        (own(description), place_beside(description, location))
    }
}

/// A property's place in words beside its description, or nothing when the description
/// already ends with it ("12 Oak St, Sacramento CA" is not followed by ", California").
fn place_beside(description: &str, location: &str) -> String {
    if likekind_core::words::ends_with_place(description, location) {
        String::new()
    } else {
        likekind_core::words::location(location)
    }
}

/// A property's name as people read it, marked as the user's own text: a name the program
/// made up (`property-3`) reads "Property 3" ([`likekind_core::words::name`]).
fn called(id: &str) -> String {
    own(&likekind_core::words::name(id))
}

/// A property as a label or a sentence names it, marked as the user's own text: its
/// description, else its name ([`likekind_core::words::property`]). The same words on every
/// paper ("Sold: Duplex, 12 Oak St, Fresno CA", never "Sold: oak").
fn property_called(id: &str, description: &str) -> String {
    own(&likekind_core::words::property(id, description))
}

/// A property of the file by its id, as [`property_called`] names it: the description of
/// the property given up, identified or received under that id, else its name.
fn property_in(file: &ExchangeFile, id: &str) -> String {
    let description = file
        .relinquished
        .iter()
        .filter(|x| x.id == id)
        .map(|x| x.description.as_str())
        .chain(
            file.replacement
                .iter()
                .filter(|x| x.id == id)
                .map(|x| x.description.as_str()),
        )
        .chain(
            file.identified
                .iter()
                .filter(|x| x.id == id)
                .map(|x| x.description.as_str()),
        )
        .find(|d| !d.trim().is_empty())
        .unwrap_or("");
    property_called(id, description)
}

/// `Mar 2, 2026`: the one formatter of dates for people.
pub(crate) fn date_words(d: jiff::civil::Date) -> String {
    likekind_core::money::format_date(d)
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
        .and_then(|s| Amount::from_str(s).ok())
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
        Val::Text(t) => likekind_core::words::message(t),
        other => other.to_string(),
    }
}

/// A step's result as a person reads it: a count of days with its unit and its thousands
/// grouped ("4,175 days", not "4175"), any other figure as [`val`] writes it. The engine's
/// whole numbers are days, counts and years (a tax year must stay "2026"), so only a step
/// that says it counts days ([`likekind_core::words::counts_days`]) gets the unit.
fn step_value(step: &str, v: &Val) -> String {
    match v {
        Val::Int(n) if likekind_core::words::counts_days(step) => likekind_core::words::days(*n),
        other => val(other),
    }
}

/// The figures a step was computed from, each named in words: `sale price: $800,000.00`.
fn inputs(l: &[Input]) -> String {
    l.iter()
        .map(|i| {
            let name = if i.name.contains('_') {
                likekind_core::words::code(&i.name).to_lowercase()
            } else {
                likekind_core::words::name(&i.name)
            };
            format!("{name}: {}", step_value(&name, &i.value))
        })
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
    (
        "3",
        "Date like-kind property given up was originally acquired",
    ),
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
        (
            d.identification_end,
            "Day 45: identification ends".into(),
            "deadline",
        ),
        (d.day_180, "Day 180".into(), "deadline"),
        (d.return_due_date, "Return due date".into(), "deadline"),
    ];
    if d.exchange_end != d.day_180 {
        marks.push((d.exchange_end, "Exchange period ends".into(), "deadline"));
    }
    for x in &file.relinquished {
        marks.push((
            x.transferred,
            format!("Sold: {}", property_called(&x.id, &x.description)),
            "event",
        ));
    }
    for x in &file.identified {
        marks.push((
            x.identified_on,
            format!("Identified: {}", property_called(&x.id, &x.description)),
            "event",
        ));
    }
    for x in &file.replacement {
        marks.push((
            x.received,
            format!("Received: {}", property_called(&x.id, &x.description)),
            "event",
        ));
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
    let name = own(&r
        .exchange
        .name
        .clone()
        .unwrap_or_else(|| "Exchange".to_string()));

    let given: Vec<Value> = file
        .relinquished
        .iter()
        .map(|x| {
            let eligible = r
                .qualification
                .given
                .iter()
                .find(|g| g.id == x.id)
                .map(|g| {
                    let why = g.reason.as_ref().or(g.caution.as_ref());
                    (g.eligible, why.map(|w| w.text.to_string()))
                });
            json!({
                "id": called(&x.id),
                "description": described(&x.description, &x.location).0,
                "location": described(&x.description, &x.location).1,
                "acquired": date_words(x.acquired),
                "transferred": date_words(x.transferred),
                "price": likekind_core::money::format_usd(x.sale_price),
                "basis": likekind_core::money::format_usd(x.adjusted_basis),
                "eligible": eligible.as_ref().is_none_or(|e| e.0),
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
                        "id": called(id),
                        "description": f.map_or_else(|| own(""), |x| described(&x.description, &x.location).0),
                        "location": f.map(|x| described(&x.description, &x.location).1).unwrap_or_default(),
                        "received": f.map(|x| date_words(x.received)).unwrap_or_default(),
                        "fmv": usd_of(&b["fmv"]),
                        "basis": usd_of(&b["basis"]),
                        "like_kind": b["like_kind"].as_bool().unwrap_or(false),
                        "reason": b["reason"]["text"].as_str().map(str::to_string).or_else(|| {
                            // Like-kind as entered but doubtful on the facts: said beside it.
                            r.qualification
                                .received
                                .iter()
                                .find(|q| q.id == id)
                                .and_then(|q| q.caution.as_ref())
                                .map(|c| c.text.to_string())
                        }).unwrap_or_default(),
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
                        "id": property_in(file, s["id"].as_str().unwrap_or_default()),
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
                        "id": property_in(file, p["id"].as_str().unwrap_or_default()),
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
        [
            "Into the exchange funds",
            usd_of(&money["exchange_funds_in"])
        ],
        [
            "Out of the exchange funds",
            usd_of(&money["exchange_funds_out"])
        ],
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
    let part_ii = j
        .get("form_8824_part_ii")
        .filter(|v| !v.is_null())
        .map(|p| {
            p.as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| {
                            let text = match v {
                                Value::String(s) => {
                                    if Amount::from_str(s).is_ok() && s.contains('.') {
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
                "message": likekind_core::words::message(&f.message),
                "authority": f.authority,
            })
        })
        .collect();

    let steps: Vec<Value> = r
        .explanation
        .iter()
        .map(|s| {
            json!({
                "step": likekind_core::words::message(&s.step),
                "value": step_value(&s.step, &s.value),
                "inputs": inputs(&s.inputs),
                "authority": s.authority,
            })
        })
        .collect();

    let gain = &j["gain"];
    let depreciation: Vec<Value> = r
        .depreciation
        .iter()
        .map(|d| {
            let what = file
                .replacement
                .iter()
                .find(|x| x.id == d.replacement)
                .map(|x| x.description.clone())
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| likekind_core::words::name(&d.replacement));
            let what = own(&what);
            let res = &d.result;
            json!({
                "what": what,
                "summary": format!(
                    "Exchanged basis {} recovered over the remaining {} years of the property given up; excess basis {} as newly purchased property{}.",
                    usd(res.exchanged_basis),
                    res.remaining_recovery_years.normalize(),
                    usd(res.excess_basis),
                    if res.elect_out { " (election out of Treas. Reg. §1.168(i)-6(i): all of it as newly purchased)" } else { "" }
                ),
                "rows": res.schedule.iter().map(|y| json!([
                    y.year.to_string(), usd(y.relinquished), usd(y.exchanged_basis), usd(y.excess_basis), usd(y.total)
                ])).collect::<Vec<_>>(),
                "note": res.note.clone().unwrap_or_default(),
            })
        })
        .collect();
    let other_basis: Vec<Value> = r
        .other_property_basis
        .iter()
        .map(|o| {
            json!([
                format!(
                    "{} (other property: basis is its value, IRC §1031(d))",
                    own(&o.description)
                ),
                usd(o.basis)
            ])
        })
        .collect();
    let mut assumptions = vec![format!(
        "The figures are the facts in the exchange file as entered, judged as of {}; amounts are not checked against closing statements.",
        date_words(r.exchange.as_of)
    )];
    // An intermediary the verdict finds to be a disqualified person is never called
    // qualified (Treas. Reg. §1.1031(k)-1(k)): the report says what it is.
    let disqualified = r
        .qualification
        .exchange_reason
        .as_ref()
        .is_some_and(|x| x.code == "disqualified_intermediary");
    // Nor is one assumed when the verdict finds the taxpayer had the money at the closing
    // (it took it, or a disqualified person held it: Treas. Reg. §1.1031(k)-1(f), (k)).
    if file.exchange.qualified_intermediary.is_none()
        && file.exchange.kind == likekind_core::model::ExchangeType::Delayed
        && r.qualification.taxpayer_received_funds().is_none()
    {
        assumptions.push("A qualified intermediary held the exchange funds: the file does not say otherwise (Treas. Reg. §1.1031(k)-1(g)(4)).".into());
    }
    if file.exchange.bona_fide_intent.is_none() {
        assumptions.push("Bona fide intent to make a deferred exchange is not stated: it is not relied on for reporting a failed exchange on the installment method (Treas. Reg. §1.1031(k)-1(j)(2)(iv)).".into());
    }
    if r.depreciation.is_empty() {
        assumptions.push("No depreciation schedule was asked for.".into());
    }
    let mut parties = vec![json!([
        "Taxpayer",
        format!(
            "{} ({})",
            taxpayer_name(file, r),
            entity_words(file.taxpayer.entity)
        )
    ])];
    if let Some(q) = file
        .qualified_intermediary
        .as_ref()
        .filter(|q| !q.name.trim().is_empty())
    {
        if disqualified {
            parties.push(json!([
                "Intermediary",
                format!(
                    "{} (a disqualified person: not a qualified intermediary)",
                    own(&q.name)
                )
            ]));
        } else {
            parties.push(json!(["Qualified intermediary", own(&q.name)]));
        }
    } else if file.exchange.qualified_intermediary == Some(true) {
        parties.push(json!([
            "Qualified intermediary",
            "Named in the exchange agreement (not in the file)"
        ]));
    }
    if let Some(rp) = &file.related_party {
        parties.push(json!([
            "Related party",
            format!("{} ({})", own(&rp.name), own(&rp.relationship))
        ]));
    }
    Ok(json!({
        "parties": parties,
        "assumptions": assumptions,
        "multi_asset": r.multi_asset.as_ref().map(|m| m.statement.clone()),
        "depreciation": depreciation,
        "other_basis": other_basis,
        "title": format!("1031 exchange report: {name}"),
        "name": name,
        "taxpayer": own(&r.exchange.taxpayer),
        "as_of": date_words(r.exchange.as_of),
        "as_of_iso": r.exchange.as_of.to_string(),
        "verdict": {
            "outcome": r.qualification.outcome.words(),
            "summary": q["summary"],
            "reported_on": q["reported_on"],
            "filed": filed,
            // A taxable sale as entered that a date still ahead decides: not failed yet.
            "pending": r.qualification.unless.is_some() && !r.qualification.settled,
        },
        "gain": gain_rows(r, gain),
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

/// The gain table. When a disposition within the two years after a related-party exchange
/// takes the deferred gain into account (IRC §1031(f)(1)), a row says so next to the deferred
/// gain, as the text report does (QA12 D2).
fn gain_rows(r: &Report, gain: &Value) -> Vec<Value> {
    let mut rows = vec![
        json!(["Realized gain or (loss)", usd_of(&gain["realized"])]),
        json!(["Recognized gain or (loss)", usd_of(&gain["recognized"])]),
        json!(["Deferred gain or (loss)", usd_of(&gain["deferred"])]),
    ];
    if let Some(d) = r
        .form_8824_part_ii
        .as_ref()
        .and_then(|p| p.disposition.as_ref())
        .filter(|d| !d.recognized.is_zero())
        && let Some(on) = d.recognized_on
    {
        rows.push(json!([
            format!(
                "Deferred gain taken into account {} (IRC §1031(f)(1))",
                date_words(on)
            ),
            usd(d.recognized)
        ]));
    }
    rows.push(json!([
        "Ordinary income under recapture rules",
        usd_of(&gain["ordinary_recapture"])
    ]));
    rows.push(json!([
        "Unrecaptured section 1250 gain recognized",
        usd_of(&gain["unrecaptured_1250"])
    ]));
    rows
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

fn entity_words(e: likekind_core::model::Entity) -> &'static str {
    use likekind_core::model::Entity as E;
    match e {
        E::Individual => "individual",
        E::Partnership => "partnership",
        E::SCorporation => "S corporation",
        E::CCorporation => "C corporation",
        E::Trust => "trust",
        E::Estate => "estate",
    }
}

fn usd(d: Amount) -> String {
    likekind_core::money::format_usd(d)
}

/// A percentage as people write it: `4%`, `3.8%`.
fn pct(d: Amount) -> String {
    format!("{}%", d.normalize())
}

// ---------------------------------------------------------------------------------------
// The identification notice
// ---------------------------------------------------------------------------------------

/// How a revoked identification is named: its description, else its street address or
/// legal description, else its name ("Property 3" for a name the program made up).
fn revoked_words(x: &likekind_core::model::Identified) -> String {
    [
        Some(x.description.as_str()),
        x.address.as_deref(),
        x.legal_description.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .find(|t| !t.is_empty())
    .map_or_else(|| likekind_core::words::name(&x.id), str::to_string)
}

/// The data of `templates/notice.typ`: the taxpayer's signed designation of replacement
/// property, sent to the intermediary (Treas. Reg. §1.1031(k)-1(c)(2)), each property described
/// as (c)(3) asks. It says only what the taxpayer identifies: the engine's judgment of the
/// list (which rule it meets, whether it is valid) is the preparer's, shown on the report,
/// not a statement the taxpayer signs and the intermediary receives; and a property's
/// location code is not a description of it (the street address or legal description is).
pub(crate) fn notice(
    file: &ExchangeFile,
    r: &Report,
    intermediary: Option<&str>,
) -> Result<Value, crate::PdfError> {
    if file.identified.is_empty() {
        return Err(crate::PdfError::NotApplicable(
            "the exchange file identifies no replacement property: there is nothing to put on an identification notice (add the properties to identify first)".into(),
        ));
    }
    let d = r.deadlines.as_ref().ok_or_else(|| {
        crate::PdfError::NotApplicable(
            "no relinquished property has been transferred yet: the identification period has not started".into(),
        )
    })?;
    let name = own(&r
        .exchange
        .name
        .clone()
        .unwrap_or_else(|| "Exchange".to_string()));
    let props: Vec<Value> = file
        .identified
        .iter()
        .filter(|x| x.revoked_on.is_none())
        .enumerate()
        .map(|(i, x)| {
            let described = x.is_described();
            let text = |o: &Option<String>| o.as_deref().map(str::trim).unwrap_or("").to_string();
            json!({
                "n": i + 1,
                "description": own(&x.description),
                "address": own(&text(&x.address)),
                "legal": own(&text(&x.legal_description)),
                "described": described,
                "fmv": usd(x.fmv),
                "incidental": if x.incidental_personal_property.is_zero() { String::new() } else { usd(x.incidental_personal_property) },
                "identified_on": date_words(x.identified_on),
            })
        })
        .collect();
    let revoked: Vec<Value> = file
        .identified
        .iter()
        .filter_map(|x| {
            x.revoked_on.map(|on| {
                json!({
                    "description": own(&revoked_words(x)),
                    "revoked_on": date_words(on),
                })
            })
        })
        .collect();
    let given: Vec<Value> = file
        .relinquished
        .iter()
        .map(|x| {
            json!({
                "description": own(&likekind_core::words::property(&x.id, &x.description)),
                "location": place_beside(&x.description, &x.location),
                "transferred": date_words(x.transferred),
                "price": usd(x.sale_price),
            })
        })
        .collect();
    let taxpayer = taxpayer_name(file, r);
    let addressee = intermediary
        .map(str::to_string)
        .or_else(|| file.qualified_intermediary.as_ref().map(|q| q.name.clone()))
        .unwrap_or_default();
    let disqualified = addressed_to_disqualified(file, r, &addressee);
    let mut warnings = Vec::new();
    if disqualified {
        warnings.push(disqualified_warning(&addressee, d.identification_end));
    }
    if let Some(w) = r
        .identification
        .as_ref()
        .and_then(|i| over_identified_warning(i, d))
    {
        warnings.push(w);
    }
    Ok(json!({
        "title": format!("Identification of replacement property: {name}"),
        "as_of": date_words(r.exchange.as_of),
        "as_of_iso": r.exchange.as_of.to_string(),
        "intermediary": if addressee.trim().is_empty() { String::new() } else { own(&addressee) },
        "disqualified": disqualified,
        "warnings": warnings,
        "taxpayer": taxpayer,
        "name": name,
        "first_transfer": date_words(d.first_transfer),
        "last_day": date_words(d.identification_end),
        "exchange_end": date_words(d.exchange_end),
        "given": given,
        "properties": props,
        "revoked": revoked,
    }))
}

/// Whether the notice is addressed to the intermediary the engine finds a disqualified person
/// (Treas. Reg. §1.1031(k)-1(k)): the file's intermediary, when the notice is addressed to it
/// (no other name is given, or the same name).
fn addressed_to_disqualified(file: &ExchangeFile, r: &Report, addressee: &str) -> bool {
    let found = r.findings.iter().any(|f| f.code == "disqualified_person");
    let judged = file
        .qualified_intermediary
        .as_ref()
        .map_or("", |q| q.name.trim());
    found
        && (judged.is_empty()
            || addressee.trim().is_empty()
            || judged.eq_ignore_ascii_case(addressee.trim()))
}

/// The warning before signing a notice addressed to a disqualified person: delivered only to
/// it, the notice does not identify anything. Treas. Reg. §1.1031(k)-1(c)(2) wants it sent to
/// the person obligated to transfer the replacement property to the taxpayer (even if that
/// person is disqualified), or to another person involved in the exchange other than the
/// taxpayer or a disqualified person.
fn disqualified_warning(addressee: &str, last_day: jiff::civil::Date) -> String {
    let who = if addressee.trim().is_empty() {
        "the intermediary".to_string()
    } else {
        own(addressee.trim())
    };
    format!(
        "Do not deliver this notice only to {who}: the analysis of the exchange file finds it a disqualified person (Treas. Reg. §1.1031(k)-1(k)), so it cannot be a qualified intermediary and a notice delivered only to it does not identify the property. By {}, deliver the signed notice to the seller of each replacement property (the person obligated to transfer it to you), or to another person involved in the exchange who is neither you nor a disqualified person, such as an independent escrow or title company (Treas. Reg. §1.1031(k)-1(c)(2)).",
        date_words(last_day)
    )
}

/// The warning before signing a notice that lists more than the three-property rule and the
/// 200% rule allow (Treas. Reg. §1.1031(k)-1(c)(4)(i)): the taxpayer is then treated as having
/// identified nothing, except property received within the identification period, unless
/// identified property worth at least 95% of all the property identified is received by the
/// end of the exchange period ((c)(4)(ii)). The figures are the engine's verdict. `None` when
/// either rule is met.
fn over_identified_warning(
    i: &likekind_core::identification::Identification,
    d: &likekind_core::timing::deadlines::Deadlines,
) -> Option<String> {
    if i.three_property_rule || i.two_hundred_percent_rule || i.remaining.is_empty() {
        return None;
    }
    Some(format!(
        "This notice identifies {} properties worth {} in all: more than the three-property rule (at most three properties) and the 200% rule (properties worth at most twice the {} value of the property given up) allow (Treas. Reg. §1.1031(k)-1(c)(4)(i)). Unless identified property worth at least {} (95% of the value identified) is received by {}, you are treated as having identified no replacement property, except property received by {} (Treas. Reg. §1.1031(k)-1(c)(4)(ii)). To stay within the rules, identify at most three properties, or properties worth at most twice the value of the property given up.",
        i.properties_counted,
        usd(i.aggregate_identified_fmv),
        usd(i.relinquished_fmv),
        usd(i.threshold_95),
        date_words(d.exchange_end),
        date_words(d.identification_end),
    ))
}

// ---------------------------------------------------------------------------------------
// The intermediary's statement
// ---------------------------------------------------------------------------------------

/// What a posting did to the exchange account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// Proceeds of a sale received (+).
    Receipt,
    /// Paid to a replacement closing (−).
    Disbursement,
    /// The intermediary's fee (−).
    Fee,
    /// Interest earned (+).
    Interest,
    /// Paid to the taxpayer (−), limited by Treas. Reg. §1.1031(k)-1(g)(6).
    Release,
}

impl Movement {
    fn words(self) -> &'static str {
        match self {
            Movement::Receipt => "Sale proceeds received",
            Movement::Disbursement => "Paid to a replacement closing",
            Movement::Fee => "Intermediary's fee",
            Movement::Interest => "Interest earned",
            Movement::Release => "Released to the taxpayer",
        }
    }
}

/// One posting of the exchange account.
#[derive(Debug, Clone)]
pub struct Posting {
    pub date: jiff::civil::Date,
    /// The bank's value date, when it differs from the posting date.
    pub value_date: Option<jiff::civil::Date>,
    pub movement: Movement,
    pub memo: String,
    /// Signed: positive in, negative out.
    pub amount: Amount,
    pub balance_after: Amount,
    pub made_by: String,
    /// The second person's approval, when there was one.
    pub approved_by: Option<String>,
    /// An administrator's written reason for releasing before the (g)(6) date.
    pub override_reason: Option<String>,
    /// For a payment to a purchase closing: the closing it paid, in words (the replacement
    /// property and the closing's date).
    pub closing: Option<String>,
}

/// The exchange account: who holds it and its postings, in order.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The intermediary's name.
    pub intermediary: String,
    pub postings: Vec<Posting>,
    /// Where the postings come from, in words (the tracker's ledger, or the closings of the
    /// exchange file).
    pub source: String,
}

/// The account as the exchange file's closings make it, for the CLI: each sale's proceeds
/// in on its transfer date, each purchase's share out on its receipt date, and what is
/// returned to the taxpayer on the file's release date (or, when the file gives none, the
/// earliest date Treas. Reg. §1.1031(k)-1(g)(6) allows; with neither, on no date: it is said
/// to be still held). Nobody is recorded as approving.
///
/// A statement as of a date shows only what happened on or before it: a closing or a release
/// dated later (the release the engine assumes at the end of an open exchange, for the Form
/// 8824 figures) is not a posting. What is still held and when it may go to the taxpayer is
/// said apart, in words ([`statement`]'s `expected`), since the funds cannot go out before the
/// (g)(6) events (Treas. Reg. §1.1031(k)-1(g)(6)).
pub fn statement_from_file(file: &ExchangeFile, r: &Report) -> Statement {
    let mut rows: Vec<(jiff::civil::Date, Movement, String, Amount)> = Vec::new();
    for s in &r.money.sales {
        if s.to_exchange_funds.is_zero() {
            continue;
        }
        let (on, what) = file
            .relinquished
            .iter()
            .find(|x| x.id == s.id)
            .map(|x| {
                (
                    x.transferred,
                    likekind_core::words::property(&x.id, &x.description),
                )
            })
            .unwrap_or((r.exchange.as_of, likekind_core::words::name(&s.id)));
        rows.push((
            on,
            Movement::Receipt,
            format!("Sale of {what}"),
            s.to_exchange_funds,
        ));
    }
    for p in &r.money.purchases {
        if p.from_exchange_funds.is_zero() {
            continue;
        }
        let (on, what) = file
            .replacement
            .iter()
            .find(|x| x.id == p.id)
            .map(|x| {
                (
                    x.received,
                    likekind_core::words::property(&x.id, &x.description),
                )
            })
            .unwrap_or((r.exchange.as_of, likekind_core::words::name(&p.id)));
        rows.push((
            on,
            Movement::Disbursement,
            format!("Purchase of {what}"),
            -p.from_exchange_funds,
        ));
    }
    if !r.money.returned_to_taxpayer.is_zero() {
        // With no release date in the file and none from (g)(6) (no qualified holder, so no
        // limits), no date is known: the money stays in the balance and the statement says so
        // in words ([`expected_words`]) instead of posting it on a date nobody gave.
        let release = match (file.exchange.funds_released_on, &r.constructive_receipt) {
            (Some(d), _) => Some((d, "Exchange funds left over".to_string())),
            (None, Some(c)) => Some((
                c.earliest.earliest,
                "Exchange funds left over; the file gives no release date, shown on the earliest date allowed".to_string(),
            )),
            (None, None) => None,
        };
        if let Some((on, memo)) = release {
            rows.push((on, Movement::Release, memo, -r.money.returned_to_taxpayer));
        }
    }
    rows.retain(|x| x.0 <= r.exchange.as_of);
    rows.sort_by_key(|x| x.0);
    let mut balance = Amount::ZERO;
    let postings = rows
        .into_iter()
        .map(|(date, movement, memo, amount)| {
            balance += amount;
            Posting {
                date,
                value_date: None,
                movement,
                memo,
                amount,
                balance_after: balance,
                made_by: "From the exchange file".into(),
                approved_by: None,
                override_reason: None,
                // The memo names the purchase.
                closing: None,
            }
        })
        .collect();
    Statement {
        intermediary: String::new(),
        postings,
        source: "The postings are the exchange file's closings: what each sale put into the exchange funds, what each purchase took from them, and what was left over for the taxpayer.".into(),
    }
}

fn release_rule_words(rule: likekind_core::constructive_receipt::ReleaseRule) -> &'static str {
    use likekind_core::constructive_receipt::ReleaseRule as R;
    match rule {
        R::NothingIdentified => {
            "nothing was identified: the funds may go to the taxpayer after the identification period"
        }
        R::AllIdentifiedReceived => {
            "all the replacement property the taxpayer is entitled to has been received"
        }
        R::ExchangePeriodEnd => "after the end of the exchange period",
    }
}

/// When the funds may go on receipt of all the identified property (Treas. Reg.
/// §1.1031(k)-1(g)(6)(iii)(A)), as a line of the statement: "from" that day once it has come,
/// otherwise why there is no such day (a date, never "from not yet received").
fn if_all_received_words(file: &ExchangeFile, on: Option<jiff::civil::Date>) -> String {
    match on {
        Some(d) => format!("from {}", date_words(d)),
        None if file.identified.iter().all(|x| x.revoked_on.is_some())
            && file.replacement.is_empty() =>
        {
            "does not apply: nothing was identified".into()
        }
        None => "none yet: not all the identified property has been received in time".into(),
    }
}

/// A posting's memo with the administrator's override of the (g)(6) release date said in
/// words after it (alone when the memo is empty, with no stray ". " before it).
fn with_override(memo: String, reason: &str) -> String {
    let released = format!(
        "Released before the date Treas. Reg. §1.1031(k)-1(g)(6) allows, by an administrator's override: {}",
        own(reason.trim())
    );
    if memo.is_empty() {
        released
    } else {
        format!("{}. {released}", memo.trim_end_matches('.'))
    }
}

/// The data of `templates/statement.typ`.
pub(crate) fn statement(
    file: &ExchangeFile,
    r: &Report,
    st: &Statement,
) -> Result<Value, crate::PdfError> {
    let name = own(&r
        .exchange
        .name
        .clone()
        .unwrap_or_else(|| "Exchange".to_string()));
    let shown = as_of_statement_date(&st.postings, r.exchange.as_of);
    let postings: Vec<Value> = shown
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut memo = if p.memo.trim().is_empty() {
                String::new()
            } else {
                own(p.memo.trim())
            };
            if let Some(c) = &p.closing {
                memo = if memo.is_empty() {
                    format!("Toward the purchase of {}", own(c))
                } else {
                    format!("{memo}. Toward the purchase of {}", own(c))
                };
            }
            if let Some(v) = p.value_date.filter(|v| *v != p.date) {
                memo = format!("{memo} (bank value date {})", date_words(v));
            }
            if let Some(o) = &p.override_reason {
                memo = with_override(memo, o);
            }
            json!({
                "n": i + 1,
                "date": date_words(p.date),
                "what": p.movement.words(),
                "memo": memo,
                "made_by": own(&p.made_by),
                "approved_by": p.approved_by.as_deref().map_or_else(|| "—".into(), own),
                "in": if p.amount.is_sign_positive() && !p.amount.is_zero() { usd(p.amount) } else { String::new() },
                "out": if p.amount.is_sign_negative() { usd(-p.amount) } else { String::new() },
                "balance": usd(p.balance_after),
            })
        })
        .collect();
    let sum = |m: Movement| -> Amount {
        shown
            .iter()
            .filter(|p| p.movement == m)
            .map(|p| p.amount.abs())
            .sum()
    };
    let released: Vec<Value> = shown
        .iter()
        .filter(|p| p.movement == Movement::Release)
        .map(|p| json!({ "date": date_words(p.date), "amount": usd(-p.amount) }))
        .collect();
    let balance = shown.last().map_or(Amount::ZERO, |p| p.balance_after);
    let expected = expected_words(r, balance);
    let release = r.constructive_receipt.as_ref().map(|c| {
        json!({
            "earliest": date_words(c.earliest.earliest),
            "why": release_rule_words(c.earliest.rule),
            "authority": c.earliest.authority,
            "if_nothing": format!("from {}", date_words(c.if_nothing_identified)),
            "if_all": if_all_received_words(file, c.if_all_identified_received),
            "after_period": format!("from {}", date_words(c.after_exchange_period)),
        })
    });
    let taxpayer = taxpayer_name(file, r);
    // Whether a qualified intermediary, escrow or trust held the funds: the (g)(6) limits
    // are theirs alone (Treas. Reg. §1.1031(k)-1(g)(3), (g)(4)(i), (g)(6)).
    let holder = likekind_core::eligibility::safe_harbor::qualified_holder(file, &r.qualification);
    Ok(json!({
        "title": format!("Statement of the exchange account: {name}"),
        "as_of": date_words(r.exchange.as_of),
        "as_of_iso": r.exchange.as_of.to_string(),
        "intermediary": statement_intermediary(file, &st.intermediary, holder),
        "note": if holder {
            "The exchange account as recorded. Releases are limited by Treas. Reg. §1.1031(k)-1(g)(6)."
        } else {
            "The exchange account as recorded."
        },
        "taxpayer": taxpayer,
        "name": name,
        "source": st.source,
        "postings": postings,
        "totals": [
            ["Sale proceeds received", usd(sum(Movement::Receipt))],
            ["Interest earned", usd(sum(Movement::Interest))],
            ["Paid to replacement closings", usd(sum(Movement::Disbursement))],
            ["Intermediary's fees", usd(sum(Movement::Fee))],
            ["Released to the taxpayer", usd(sum(Movement::Release))],
            ["Balance held", usd(balance)],
        ],
        "released": released,
        "release": release,
        "no_release": no_release_words(file, r),
        "expected": expected,
        "later": later_words(st.postings.len() - shown.len()),
    }))
}

/// Who holds the account, in words: the name the statement gives (the tracker's firm, or
/// the CLI's `--intermediary`), else the file's intermediary; with no name, "the qualified
/// intermediary" only when one held the funds. When the file says nobody qualified held them
/// (Treas. Reg. §1.1031(k)-1(g)(3), (g)(4)(i)), the statement does not name one.
fn statement_intermediary(file: &ExchangeFile, given: &str, holder: bool) -> String {
    let named = [
        given,
        file.qualified_intermediary
            .as_ref()
            .map_or("", |q| q.name.as_str()),
    ]
    .into_iter()
    .map(str::trim)
    .find(|n| !n.is_empty());
    match named {
        Some(n) => own(n),
        None if holder => "The qualified intermediary".into(),
        None => "None named (no qualified intermediary held the funds)".into(),
    }
}

/// The postings of a statement as of `as_of`: those dated on or before it, in order. When a
/// posting dated later is left out, the running balance of the rest is counted again from
/// their amounts (the recorded balances would include it).
fn as_of_statement_date(postings: &[Posting], as_of: jiff::civil::Date) -> Vec<Posting> {
    let shown: Vec<Posting> = postings
        .iter()
        .filter(|p| p.date <= as_of)
        .cloned()
        .collect();
    if shown.len() == postings.len() {
        return shown;
    }
    let mut balance = Amount::ZERO;
    shown
        .into_iter()
        .map(|mut p| {
            balance += p.amount;
            p.balance_after = balance;
            p
        })
        .collect()
}

/// Why the statement gives no release date, in words: no property given up yet, or no
/// qualified intermediary, qualified escrow account or qualified trust held the funds, so the
/// (g)(6) limits of their safe harbors do not apply (Treas. Reg. §1.1031(k)-1(g)(3),
/// (g)(4)(i), (g)(6), (k)): the report then has no release dates.
fn no_release_words(file: &ExchangeFile, r: &Report) -> String {
    if r.deadlines.is_none() {
        return "No property has been given up yet: no release date applies.".into();
    }
    let why = likekind_core::eligibility::safe_harbor::no_qualified_holder(file, &r.qualification)
        .unwrap_or(
            "no qualified intermediary, qualified escrow account or qualified trust held the funds",
        );
    format!(
        "No release date applies: {why}. The limits on when the funds may go to the taxpayer are those of a qualified intermediary's (or a qualified escrow account's or trust's) safe harbor ({}).",
        likekind_core::words::authority(likekind_core::eligibility::safe_harbor::HOLDER_AUTHORITY)
    )
}

/// What is still held on the statement date and when it may go to the taxpayer, in words:
/// the funds cannot be released before the events of Treas. Reg. §1.1031(k)-1(g)(6)(ii)–(iii),
/// so a release that is only expected is said, never posted. Empty when nothing is held.
fn expected_words(r: &Report, balance: Amount) -> String {
    if balance <= Amount::ZERO {
        return String::new();
    }
    match &r.constructive_receipt {
        Some(c) if c.earliest.earliest > r.exchange.as_of => format!(
            "Not yet released: {} is held on {}. The funds may go to the taxpayer on or after {} ({}; Treas. Reg. §1.1031(k)-1(g)(6)).",
            usd(balance),
            date_words(r.exchange.as_of),
            date_words(c.earliest.earliest),
            release_rule_words(c.earliest.rule),
        ),
        Some(c) => format!(
            "Not yet released: {} is held on {}. The funds may go to the taxpayer from {} (Treas. Reg. §1.1031(k)-1(g)(6)).",
            usd(balance),
            date_words(r.exchange.as_of),
            date_words(c.earliest.earliest),
        ),
        // No (g)(6) dates: nothing was given up yet, or no qualified holder (whose limits
        // alone give them). The file gives no release date either, or it would be posted.
        None => format!(
            "Not yet released: {} is held on {}. The exchange file gives no date on which it went to the taxpayer, so no release is shown.",
            usd(balance),
            date_words(r.exchange.as_of),
        ),
    }
}

/// Words saying that postings dated after the statement date are left out (empty when none).
fn later_words(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => "One posting dated after the statement date is not shown.".into(),
        n => format!("{n} postings dated after the statement date are not shown."),
    }
}

// ---------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------

/// Strategies in display order: the recommended one first, then as the engine lists them.
fn ordered(p: &likekind_core::plan::Plan) -> Vec<&likekind_core::plan::Strategy> {
    let rec = p.recommended.as_ref().map(|r| r.strategy.as_str());
    let mut v: Vec<_> = p.strategies.iter().collect();
    v.sort_by_key(|s| Some(s.name.as_str()) != rec);
    v
}

fn deferral_words(s: &likekind_core::plan::Strategy) -> String {
    if !s.deferred_indefinitely.is_zero() && !s.deferred_temporarily.is_zero() {
        return s.deferred_label.clone();
    }
    match s.deferral {
        "none" => "None".into(),
        "indefinite" => "Indefinite".into(),
        _ => format!(
            "Until {}",
            s.recognition_date.map(date_words).unwrap_or_default()
        ),
    }
}

/// The data of `templates/plan.typ`.
pub(crate) fn plan(
    file: &ExchangeFile,
    r: &Report,
    a: &likekind_core::plan::Assumptions,
    p: &likekind_core::plan::Plan,
) -> Result<Value, crate::PdfError> {
    use likekind_core::plan::HoldUntil;
    use rust_decimal::prelude::ToPrimitive;
    let name = p
        .exchange
        .clone()
        .or_else(|| r.exchange.name.clone())
        .unwrap_or_else(|| "Exchange".to_string());
    let strategies = ordered(p);
    let rec = p.recommended.as_ref().map(|x| x.strategy.as_str());
    let rows: Vec<Value> = strategies
        .iter()
        .map(|s| {
            // A path that does not apply at all (no after-tax value) has no figures: every
            // cell says so, as the text table does, never a deferral it cannot have.
            let fig = |d: Amount| {
                if s.after_tax_value.is_some() {
                    usd(d)
                } else {
                    "Not available".to_string()
                }
            };
            json!({
                "title": s.title,
                "recommended": Some(s.name.as_str()) == rec,
                // A path not available as things stand, yet figured on a condition (the
                // exchange failing, no boot taken): the cell says the figures are hypothetical.
                "available": if s.eligible { "Yes" } else if s.hypothetical { "No (figures hypothetical)" } else { "No" },
                "eligibility": likekind_core::words::message(&s.eligibility),
                "tax_now": fig(s.tax_now),
                "gain_now": fig(s.gain_recognized_now),
                "deferred": fig(s.deferred),
                "deferral": if s.after_tax_value.is_some() { deferral_words(s) } else { "Not available".to_string() },
                "tax_deferral_ends": fig(s.tax_when_deferral_ends),
                // What the after-tax value subtracts after now: the deferred gain's tax and
                // the horizon sale's, at face value (the column that makes the row add up).
                "tax_later": fig(s.tax_later),
                "after_tax": s.after_tax_value.map(usd).unwrap_or_else(|| "Not available".into()),
                "notes": s.notes.iter().map(|n| likekind_core::words::message(n)).collect::<Vec<_>>(),
            })
        })
        .collect();

    // The chart: each year the engine's own plan at that horizon.
    let years = a.horizon_years.clamp(1, 40);
    let per_year: Vec<likekind_core::plan::Plan> = (1..=years)
        .filter_map(|y| {
            let mut ay = a.clone();
            ay.horizon_years = y;
            likekind_core::plan::plan(file, r, &ay).ok()
        })
        .collect();
    let shown: Vec<&&likekind_core::plan::Strategy> = strategies
        .iter()
        .filter(|s| s.eligible && s.after_tax_value.is_some())
        .collect();
    let series: Vec<(String, Vec<(u32, Amount)>)> = shown
        .iter()
        .map(|s| {
            let pts = per_year
                .iter()
                .filter_map(|pp| {
                    let v = pp
                        .strategies
                        .iter()
                        .find(|x| x.name == s.name)?
                        .after_tax_value?;
                    Some((pp.assumptions.horizon_years, v))
                })
                .collect();
            (s.title.clone(), pts)
        })
        .collect();
    let all: Vec<f64> = series
        .iter()
        .flat_map(|(_, v)| {
            v.iter()
                .filter_map(|(_, d)| rust_decimal::Decimal::from(*d).to_f64())
        })
        .collect();
    let lo = all.iter().copied().fold(0.0_f64, f64::min);
    let hi = all.iter().copied().fold(lo + 1.0, f64::max);
    let chart: Vec<Value> = series
        .iter()
        .map(|(n, pts)| {
            json!({
                "name": n,
                // x and y from 0 to 1 of the plot area.
                "points": pts.iter().filter_map(|(y, v)| {
                    let v = rust_decimal::Decimal::from(*v).to_f64()?;
                    Some([f64::from(*y) / f64::from(years), (v - lo) / (hi - lo)])
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let ticks: Vec<Value> = (0..=4)
        .map(|k| {
            let v = lo + (hi - lo) * f64::from(k) / 4.0;
            json!({ "at": f64::from(k) / 4.0, "label": short_usd(v) })
        })
        .collect();
    let table: Vec<Value> = (1..=years)
        .map(|y| {
            let mut row = vec![json!(y.to_string())];
            for (_, pts) in &series {
                row.push(json!(
                    pts.iter()
                        .find(|(yy, _)| *yy == y)
                        .map(|(_, d)| usd(*d))
                        .unwrap_or_default()
                ));
            }
            Value::Array(row)
        })
        .collect();

    let default = |field: &str| a.defaults_used.iter().any(|d| d.starts_with(field));
    let mark = |field: &str, s: String| {
        if default(field) {
            format!("{s} (default)")
        } else {
            s
        }
    };
    let mut assumptions = vec![
        json!(["Judged as of", date_words(p.as_of)]),
        json!([
            "Horizon",
            mark(
                "horizon_years",
                format!(
                    "{} years (to {})",
                    a.horizon_years,
                    date_words(p.horizon_date)
                )
            )
        ]),
        json!([
            "Growth of what is invested, a year",
            mark("growth_pct", pct(a.growth_pct))
        ]),
        json!([
            "Yield paid out, a year",
            mark("yield_pct", pct(a.yield_pct))
        ]),
        json!([
            "Federal capital gain rate",
            mark(
                "federal_capital_gain_rate",
                pct(a.federal_capital_gain_rate)
            )
        ]),
        json!([
            "Ordinary income rate",
            mark("ordinary_rate", pct(a.ordinary_rate))
        ]),
        json!([
            "Unrecaptured section 1250 gain rate",
            mark("unrecaptured_1250_rate", pct(a.unrecaptured_1250_rate))
        ]),
        json!([
            "Net investment income tax rate",
            mark("niit_rate", pct(a.niit_rate))
        ]),
        json!(["State rate", mark("state_rate", pct(a.state_rate))]),
        json!([
            "At the horizon",
            mark(
                "hold_until",
                match a.hold_until {
                    HoldUntil::Sale => "Everything is sold and the tax paid".to_string(),
                    HoldUntil::Death =>
                        "Held until death: the heirs take a basis equal to value (IRC §1014)"
                            .to_string(),
                }
            )
        ]),
        json!([
            "Qualified opportunity fund investment date",
            a.qof_investment_date
                .map(date_words)
                .unwrap_or_else(|| "The best date the windows allow".into())
        ]),
        json!([
            "Amount invested in the fund",
            a.qof_amount
                .map(usd)
                .unwrap_or_else(|| "All the eligible gain".into())
        ]),
        json!([
            "Qualified rural opportunity fund",
            if a.qrof { "Yes" } else { "No" }
        ]),
    ];
    for g in &a.other_gains {
        assumptions.push(json!([
            format!("Other gain: {}", own(&g.description)),
            format!(
                "{} recognized on {}",
                usd(g.gain),
                date_words(g.recognized_on)
            )
        ]));
    }

    let qof: Vec<Value> = strategies
        .iter()
        .filter_map(|s| {
            let q = s.qof.as_ref()?;
            let f = &q.forms;
            Some(json!({
                "title": s.title,
                "invest": format!("{} on {} (the same treatment from {} to {})", usd(q.amount), date_words(q.investment_date), date_words(q.invest_from), date_words(q.invest_to)),
                "advice": q.advice,
                "f8949": [
                    ["Tax year", f.form_8949.tax_year.to_string()],
                    ["Part", if f.form_8949.long_term { "Part II (long-term)" } else { "Part I (short-term)" }.to_string()],
                    ["Column (a)", f.form_8949.column_a.to_string()],
                    ["Column (b): date of the investment", date_words(f.form_8949.column_b)],
                    ["Columns (c) to (e)", if f.form_8949.columns_c_to_e_blank { "Left blank" } else { "Filled in" }.to_string()],
                    ["Column (f): code", f.form_8949.code.to_string()],
                    ["Column (g): adjustment", format!("({})", usd(f.form_8949.column_g_adjustment.abs()))],
                    ["Section 1231 gain row", if f.form_8949.section_1231_row.is_empty() { "None".to_string() } else { format!("{}: {}", f.form_8949.section_1231_row, usd(f.form_8949.section_1231_row_column_h)) }],
                ],
                "f8997": [
                    ["Year of the investment", f.form_8997.investment_year.to_string()],
                    ["Deferred gain invested (Part II)", usd(f.form_8997.deferred_gain_invested)],
                    ["Year of the inclusion", f.form_8997.inclusion_year.to_string()],
                    ["Gain included (Part III)", usd(f.form_8997.gain_included)],
                    ["Deferred gain held at the end of the investment year", usd(f.form_8997.deferred_gain_held_end_of_investment_year)],
                    ["Filed every year the investment is held", if f.form_8997.file_every_year_held { "Yes" } else { "No" }.to_string()],
                ],
                "authority": f.authority,
            }))
        })
        .collect();

    let findings: Vec<Value> = p
        .findings
        .iter()
        .map(|f| {
            let sev = serde_json::to_value(f.severity)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            json!({ "severity": severity_words(&sev), "message": likekind_core::words::message(&f.message), "authority": f.authority })
        })
        .collect();
    let steps: Vec<Value> = p
        .explanation
        .iter()
        .map(|s| {
            json!({ "step": likekind_core::words::message(&s.step), "value": step_value(&s.step, &s.value), "inputs": inputs(&s.inputs), "authority": s.authority })
        })
        .collect();
    let recommended = p.recommended.as_ref().map(|x| {
        json!({
            "title": p.strategy_title(&x.strategy),
            "reason": likekind_core::words::message(&x.reason),
        })
    });
    Ok(json!({
        "title": format!("Plan: {name}"),
        "as_of": date_words(p.as_of),
        "as_of_iso": p.as_of.to_string(),
        "status": likekind_core::words::message(&p.status_reason),
        "recommended": recommended,
        "equity": usd(p.equity),
        "realized": usd(p.realized_gain),
        "horizon": format!("{} years (to {})", a.horizon_years, date_words(p.horizon_date)),
        "strategies": rows,
        "chart": { "series": chart, "ticks": ticks, "years": years },
        "chart_names": series.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
        "chart_table": table,
        "assumptions": assumptions,
        "qof": qof,
        "oz": oz_rows(&p.oz),
        "findings": findings,
        "steps": steps,
    }))
}

/// The Opportunity Zone figures of a plan, a dealer's ordinary income only when there is some.
fn oz_rows(oz: &likekind_core::plan::OzSummary) -> Vec<[String; 2]> {
    let mut rows = vec![
        [
            "Gain recognized if the exchange fails".to_string(),
            usd(oz.gain_if_failed),
        ],
        [
            "Ordinary recapture in it (never eligible)".to_string(),
            usd(oz.ordinary_recapture_not_eligible),
        ],
    ];
    if !oz.dealer_income_not_eligible.is_zero() {
        rows.push([
            "A dealer's ordinary income in it (never eligible)".to_string(),
            usd(oz.dealer_income_not_eligible),
        ]);
    }
    rows.extend([
        [
            "Eligible gain if the exchange fails".to_string(),
            usd(oz.eligible_gain_if_failed),
        ],
        [
            "Eligible gain the exchange recognizes as entered".to_string(),
            usd(oz.eligible_gain_as_entered),
        ],
    ]);
    rows
}

fn short_usd(v: f64) -> String {
    let a = v.abs();
    let s = if a >= 1e6 {
        format!("${:.1}M", a / 1e6)
    } else if a >= 1e3 {
        format!("${:.0}K", a / 1e3)
    } else {
        format!("${a:.0}")
    };
    if v < 0.0 { format!("-{s}") } else { s }
}

/// Engine sentences for people: ISO dates (`2027-01-01`) become `Jan 1, 2027`, bare
/// amounts (`50000.00`) become `$50,000.00` and the marks of how far an authority was
/// checked become words ([`likekind_core::words::authority`]), everywhere in the data given
/// to a template except the machine-only keys (`as_of_iso`).
pub(crate) fn humanize(v: &mut Value) {
    match v {
        Value::String(s) => {
            let h = humanize_str(s);
            if h != *s {
                *s = h;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(humanize),
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if k != "as_of_iso" {
                    humanize(x);
                }
            }
        }
        _ => {}
    }
}

/// One string of the data: the engine's words humanized, a person's own text (between the
/// marks of [`own`]) as written, the marks taken away.
fn humanize_str(s: &str) -> String {
    // Field names in engine sentences (`growth_pct`) read as words.
    let engine = |t: &str| humanize_text(&likekind_core::words::authority(t)).replace('_', " ");
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(OWN_START) {
        out.push_str(&engine(&rest[..i]));
        let after = &rest[i + OWN_START.len_utf8()..];
        let end = after.find(OWN_END).unwrap_or(after.len());
        out.push_str(&after[..end]);
        rest = after.get(end + OWN_END.len_utf8()..).unwrap_or("");
    }
    out.push_str(&engine(rest));
    out
}

fn humanize_text(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    while i < b.len() {
        let starts_token = i == 0
            || !(b[i - 1].is_ascii_alphanumeric()
                || b[i - 1] == b'.'
                || b[i - 1] == b','
                || b[i - 1] == b'$'
                || b[i - 1] == b'-'
                || b[i - 1] == b'/'
                || b[i - 1] >= 0x80);
        if starts_token && digit(i) {
            // An ISO date: dddd-dd-dd not followed by a digit.
            if i + 10 <= b.len()
                && (0..4).all(|k| digit(i + k))
                && b[i + 4] == b'-'
                && digit(i + 5)
                && digit(i + 6)
                && b[i + 7] == b'-'
                && digit(i + 8)
                && digit(i + 9)
                && !digit(i + 10)
                && let Ok(d) = s[i..i + 10].parse::<jiff::civil::Date>()
            {
                out.push_str(&date_words(d));
                i += 10;
                continue;
            }
            // A bare amount: digits, a point and exactly two digits, not a percentage.
            let mut j = i;
            while digit(j) {
                j += 1;
            }
            if b.get(j) == Some(&b'.')
                && digit(j + 1)
                && digit(j + 2)
                && !digit(j + 3)
                && b.get(j + 3) != Some(&b'%')
                && !(b.get(j + 3) == Some(&b' ') && b.get(j + 4) == Some(&b'%'))
                && let Ok(d) = Amount::from_str(&s[i..j + 3])
            {
                out.push_str(&likekind_core::money::format_usd(d));
                i = j + 3;
                continue;
            }
            out.push_str(&s[i..j]);
            i = j;
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{humanize, humanize_text, inputs, own};
    use likekind_core::explain::{Input, Val};
    use serde_json::json;

    /// QA: a release by an administrator's override printed ". Released before the (g)(6)
    /// date by an administrator: x" (a stray ". " before it when the posting had no memo, and
    /// the rule as a code).
    #[test]
    fn an_override_reads_in_words() {
        use super::with_override;
        assert_eq!(
            with_override(String::new(), "court order of Dec 1"),
            format!(
                "Released before the date Treas. Reg. §1.1031(k)-1(g)(6) allows, by an administrator's override: {}",
                own("court order of Dec 1")
            )
        );
        assert_eq!(
            with_override("Refund.".to_string(), "court order of Dec 1"),
            format!(
                "Refund. Released before the date Treas. Reg. §1.1031(k)-1(g)(6) allows, by an administrator's override: {}",
                own("court order of Dec 1")
            )
        );
    }

    /// A count of days reads with its unit and grouped thousands; a year stays a year.
    #[test]
    fn a_count_of_days_reads_as_days() {
        use super::step_value;
        use likekind_core::words::count as grouped;
        assert_eq!(
            step_value("Days oak was held before it was given up", &Val::Int(4175)),
            "4,175 days"
        );
        assert_eq!(
            step_value(
                "Days the replacement would be held before the planned sale",
                &Val::Int(1)
            ),
            "1 day"
        );
        assert_eq!(step_value("Tax year of the gain", &Val::Int(2026)), "2026");
        assert_eq!(step_value("Co-owners counted", &Val::Int(38)), "38");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(-1000), "-1,000");
        assert_eq!(grouped(999), "999");
    }

    /// A step's figures read as labels with their values, never `name = value`.
    #[test]
    fn a_steps_figures_are_labelled() {
        let l = [
            Input::new(
                "sale_price",
                Val::Money(likekind_core::Amount::new(80_000_000, 2)),
            ),
            Input::new("first transfer", Val::Date(jiff::civil::date(2026, 1, 5))),
        ];
        assert_eq!(
            inputs(&l),
            "sale price: $800,000.00; first transfer: Jan 5, 2026"
        );
    }

    /// A person's own text is shown as written: the marks of uncertain law, ISO dates, bare
    /// amounts and underscores are turned into words only in the engine's sentences.
    #[test]
    fn a_persons_own_text_is_kept_as_written() {
        let mut v = json!({
            "title": format!("Plan: {}", own("Oak_lot [U] 2026-03-02 #1500.00")),
            "memo": own("wire ref ACME_2026 [S]"),
            "authority": "IRC §7503 [U]; due 2027-04-15, basis 50000.00, growth_pct",
        });
        humanize(&mut v);
        assert_eq!(v["title"], "Plan: Oak_lot [U] 2026-03-02 #1500.00");
        assert_eq!(v["memo"], "wire ref ACME_2026 [S]");
        assert_eq!(
            v["authority"],
            "IRC §7503 (uncertain); due Apr 15, 2027, basis $50,000.00, growth pct"
        );
    }

    /// The steps are said in words like the page's: the engine's note of a fact it assumed
    /// (`extension_filed = false`) reads as a sentence, not as a field set to false.
    #[test]
    fn the_steps_say_assumed_facts_in_words() {
        let text = include_str!("../../../examples/contract-example.toml");
        let Ok(f) = likekind_core::parse_exchange(text, likekind_core::Format::Toml) else {
            panic!("the example reads");
        };
        let r = likekind_core::analyze(&f, jiff::civil::date(2026, 12, 6));
        let Ok(mut v) = super::report(&f, &r) else {
            panic!("the report's data");
        };
        humanize(&mut v);
        let steps = v["steps"].to_string();
        assert!(!steps.contains("extension filed = false"), "{steps}");
        assert!(!steps.contains("extension_filed"), "{steps}");
    }

    #[test]
    fn engine_sentences_read_as_words() {
        assert_eq!(
            humanize_text(
                "deferred until 2032-01-01; basis = 50000.00; rate 3.80%; §1.1031(k)-1, §4.02 and $1,000.00"
            ),
            "deferred until Jan 1, 2032; basis = $50,000.00; rate 3.80%; §1.1031(k)-1, §4.02 and $1,000.00"
        );
        assert_eq!(
            humanize_text("Rev. Proc. 2008-16, 12.5 years"),
            "Rev. Proc. 2008-16, 12.5 years"
        );
    }

    /// The exchange of QA pass 8's defect 2 (`tbook/h-id14.toml`): sold Nov 5, 2026 for
    /// $1,250,000 into the exchange funds, a property identified, nothing bought yet.
    fn open_exchange() -> (likekind_core::ExchangeFile, likekind_core::Report) {
        let text = r#"
[exchange]
name = "H: identified, nothing bought yet"
as_of = "2026-12-06"
[taxpayer]
name = "Hal Hunt"
entity = "individual"
[[relinquished]]
id = "oak"
description = "Duplex, 12 Oak St, Fresno CA"
location = "CA"
acquired = "2012-03-01"
transferred = "2026-11-05"
sale_price = "1250000"
adjusted_basis = "500000"
[[identified]]
id = "elm"
description = "Office building, 9 Elm St, Reno NV"
fmv = "1300000"
identified_on = "2026-11-10"
"#;
        let mut f = likekind_core::parse_exchange(text, likekind_core::Format::Toml)
            .unwrap()
            .into_file();
        let as_of = jiff::civil::date(2026, 12, 6);
        f.exchange.as_of = Some(as_of);
        let r = likekind_core::analyze(&f, as_of);
        (f, r)
    }

    /// QA8 defect 2: the release the engine assumes at the end of the exchange period (for
    /// the Form 8824 figures) is not a posting of a statement dated before it; the balance
    /// held is what is held, and the expected release is said in words (Treas. Reg.
    /// §1.1031(k)-1(g)(6)).
    #[test]
    fn a_statement_shows_no_release_after_its_date() {
        let (f, r) = open_exchange();
        let st = super::statement_from_file(&f, &r);
        assert_eq!(st.postings.len(), 1, "{st:?}");
        assert_eq!(st.postings[0].movement, super::Movement::Receipt);
        let d = super::statement(&f, &r, &st).unwrap();
        let totals = d["totals"].to_string();
        assert!(
            totals.contains(r#"["Balance held","$1,250,000.00"]"#),
            "{totals}"
        );
        assert!(
            totals.contains(r#"["Released to the taxpayer","$0.00"]"#),
            "{totals}"
        );
        assert_eq!(d["released"], json!([]));
        let expected = d["expected"].as_str().unwrap();
        assert!(
            expected.starts_with("Not yet released: $1,250,000.00 is held on Dec 6, 2026."),
            "{expected}"
        );
        assert!(expected.contains("on or after Apr 16, 2027"), "{expected}");
        assert!(expected.contains("§1.1031(k)-1(g)(6)"), "{expected}");
        // No name in the file or the request: the qualified intermediary the exchange assumes.
        assert_eq!(d["intermediary"], "The qualified intermediary");
        assert!(d["note"].as_str().unwrap().contains("(g)(6)"));
    }

    /// Money left over with no release date in the file and no qualified holder (so no
    /// (g)(6) date either: Treas. Reg. §1.1031(k)-1(g)(3), (g)(4)(i), (g)(6)) is not posted
    /// on a date nobody gave (it was posted on the statement date): it stays in the balance,
    /// and the words say the file gives no date for it.
    #[test]
    fn money_left_over_with_no_date_is_not_posted() {
        let text = r#"
[exchange]
name = "No intermediary"
as_of = "2026-11-25"
qualified_intermediary = false
[taxpayer]
entity = "individual"
[[relinquished]]
id = "lot"
description = "Lot, 4 Pine Rd, Akron OH"
location = "OH"
acquired = "2010-01-04"
transferred = "2026-05-01"
sale_price = "400000"
adjusted_basis = "150000"
[[identified]]
id = "bldg"
fmv = "300000"
identified_on = "2026-05-20"
[[replacement]]
id = "bldg"
description = "Store, 8 Main St, Akron OH"
location = "OH"
received = "2026-08-01"
price = "300000"
"#;
        let f = likekind_core::parse_exchange(text, likekind_core::Format::Toml)
            .unwrap()
            .into_file();
        let as_of = jiff::civil::date(2026, 11, 25);
        let r = likekind_core::analyze(&f, as_of);
        assert!(r.constructive_receipt.is_none(), "no (g)(6) dates");
        assert!(!r.money.returned_to_taxpayer.is_zero(), "money left over");
        let st = super::statement_from_file(&f, &r);
        let kinds: Vec<_> = st.postings.iter().map(|p| p.movement).collect();
        assert_eq!(
            kinds,
            [super::Movement::Receipt, super::Movement::Disbursement],
            "{st:?}"
        );
        let d = super::statement(&f, &r, &st).unwrap();
        let totals = d["totals"].to_string();
        assert!(
            totals.contains(r#"["Balance held","$100,000.00"]"#),
            "{totals}"
        );
        assert_eq!(d["released"], json!([]));
        let expected = d["expected"].as_str().unwrap();
        assert_eq!(
            expected,
            "Not yet released: $100,000.00 is held on Nov 25, 2026. The exchange file gives no date on which it went to the taxpayer, so no release is shown."
        );
        assert!(
            d["no_release"]
                .as_str()
                .unwrap()
                .contains("no qualified intermediary"),
            "{}",
            d["no_release"]
        );
        // Nobody qualified held the funds: none is named, and no (g)(6) limit is claimed.
        assert_eq!(
            d["intermediary"],
            "None named (no qualified intermediary held the funds)"
        );
        assert_eq!(d["note"], "The exchange account as recorded.");
    }

    /// QA8 defect 2, the tracker's ledger: a posting dated after the statement date is left
    /// out, and the balances are those of the postings shown.
    #[test]
    fn a_ledger_posting_after_the_statement_date_is_left_out() {
        let (f, r) = open_exchange();
        let posting = |date, movement, amount: i64, balance: i64| super::Posting {
            date,
            value_date: None,
            movement,
            memo: String::new(),
            amount: likekind_core::Amount::from(amount),
            balance_after: likekind_core::Amount::from(balance),
            made_by: "Ada Admin".into(),
            approved_by: None,
            override_reason: None,
            closing: None,
        };
        let st = super::Statement {
            intermediary: "Acme Exchange LLC".into(),
            postings: vec![
                posting(
                    jiff::civil::date(2026, 11, 5),
                    super::Movement::Receipt,
                    1_250_000,
                    1_250_000,
                ),
                posting(
                    jiff::civil::date(2027, 4, 16),
                    super::Movement::Release,
                    -1_250_000,
                    0,
                ),
            ],
            source: "The ledger.".into(),
        };
        let d = super::statement(&f, &r, &st).unwrap();
        assert_eq!(d["postings"].as_array().unwrap().len(), 1);
        assert!(
            d["totals"]
                .to_string()
                .contains(r#"["Balance held","$1,250,000.00"]"#)
        );
        assert_eq!(d["released"], json!([]));
        assert_eq!(
            d["later"],
            json!("One posting dated after the statement date is not shown.")
        );
    }

    /// QA8 defect 10: a property is called by its description, its id only when it has none.
    #[test]
    fn a_property_is_called_by_its_description() {
        let (f, _) = open_exchange();
        assert_eq!(
            super::property_in(&f, "oak"),
            own("Duplex, 12 Oak St, Fresno CA")
        );
        assert_eq!(super::property_in(&f, "ash"), own("ash"));
        assert_eq!(super::property_in(&f, "property-3"), own("Property 3"));
    }

    fn example(text: &str) -> (likekind_core::ExchangeFile, likekind_core::Report) {
        let f = likekind_core::parse_exchange(text, likekind_core::Format::Toml)
            .unwrap()
            .into_file();
        let as_of = f.exchange.as_of.unwrap_or(jiff::civil::date(2026, 11, 25));
        let r = likekind_core::analyze(&f, as_of);
        (f, r)
    }

    /// QA8 defect 3: a notice addressed to an intermediary the engine finds a disqualified
    /// person does not call it qualified, and warns before signing where the notice may go
    /// instead (Treas. Reg. §1.1031(k)-1(c)(2)).
    #[test]
    fn a_notice_to_a_disqualified_intermediary_warns() {
        let (f, r) = example(include_str!(
            "../../../examples/disqualified-intermediary.toml"
        ));
        let d = super::notice(&f, &r, None).unwrap();
        assert_eq!(d["disqualified"], json!(true));
        let w = d["warnings"][0].as_str().unwrap();
        assert!(w.contains("disqualified person"), "{w}");
        assert!(w.contains("§1.1031(k)-1(c)(2)"), "{w}");
        assert!(w.contains("escrow or title company"), "{w}");
        // Another firm named as the addressee is not the one judged.
        let d = super::notice(&f, &r, Some("Acme Exchange LLC")).unwrap();
        assert_eq!(d["disqualified"], json!(false));
        assert_eq!(d["warnings"], json!([]));
    }

    /// QA8 defect 7: a notice listing more than the three-property and 200% rules allow warns
    /// of the 95% rule with its figure (Treas. Reg. §1.1031(k)-1(c)(4)(ii)).
    #[test]
    fn an_over_identifying_notice_warns_of_the_95_percent_rule() {
        let (f, r) = example(include_str!(
            "../../../examples/over-identification-95-percent.toml"
        ));
        let d = super::notice(&f, &r, None).unwrap();
        let w = d["warnings"][0].as_str().unwrap();
        assert!(w.contains("4 properties worth $2,100,000.00"), "{w}");
        assert!(w.contains("at most twice the $1,000,000.00 value"), "{w}");
        assert!(w.contains("at least $1,995,000.00"), "{w}");
        assert!(w.contains("§1.1031(k)-1(c)(4)(ii)"), "{w}");
        // Three properties: no warning.
        let (f, r) = open_exchange();
        let d = super::notice(&f, &r, None).unwrap();
        assert_eq!(d["warnings"], json!([]));
    }
}
