//! `exchange`: a whole exchange file in `inputs.file`, run through the same path as
//! `likekind analyze --format json` (parse the JSON file, analyze, serialize the report);
//! `expected` keys are dotted paths into the JSON report, with `replacement_basis.<id>` the
//! basis of the entry with that id and `findings_include` the finding codes that must be
//! present.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

pub fn exchange(
    inputs: &Map<String, Value>,
    expected: &Value,
) -> Result<BTreeMap<String, Value>, String> {
    let file = inputs.get("file").ok_or("inputs.file is missing")?;
    let text = serde_json::to_string(file).map_err(|e| e.to_string())?;
    let f = likekind_core::parse_exchange(&text, likekind_core::Format::Json)
        .map_err(|e| e.to_string())?;
    let today = f
        .exchange
        .as_of
        .unwrap_or_else(|| jiff::civil::date(2026, 12, 1));
    let report = likekind_core::analyze(&f, today);
    let json = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    let Some(want) = expected.as_object() else {
        return Ok(out);
    };
    for (key, w) in want {
        if key == "findings_include" {
            let codes: Vec<&str> = json["findings"]
                .as_array()
                .map(|a| a.iter().filter_map(|x| x["code"].as_str()).collect())
                .unwrap_or_default();
            let all = w.as_array().is_some_and(|l| {
                l.iter()
                    .all(|c| c.as_str().is_some_and(|c| codes.contains(&c)))
            });
            out.insert(
                key.clone(),
                if all { w.clone() } else { Value::from(codes) },
            );
            continue;
        }
        if let Some(id) = key.strip_prefix("replacement_basis.") {
            if let Some(b) = json["replacement_basis"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["id"] == id))
            {
                out.insert(key.clone(), b["basis"].clone());
            }
            continue;
        }
        let mut v = &json;
        for part in key.split('.') {
            v = &v[part];
        }
        if !v.is_null() {
            out.insert(key.clone(), v.clone());
        }
    }
    Ok(out)
}
