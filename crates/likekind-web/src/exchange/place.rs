//! Where a property is, on the exchange forms: typed or picked in words ("California",
//! "Mexico"; a State's two letters too), stored in the exchange file's `location` format (a
//! State or territory code, or `foreign:XX`), which people never have to type or read.

use crate::layout::{Refused, mark};
use likekind_core::words;
use likekind_server::error::{ApiError, ApiResult};
use maud::{Markup, html};

/// The label of a place input (and the name its problems go by).
pub const PLACE_LABEL: &str = "State or country";

/// What a place input takes, in words.
const PLACE_HINT: &str = "A US state by its name or its two letters (California or CA), Washington DC, a US territory (Puerto Rico) or another country (Mexico). Suggestions appear as you type.";

/// A place input (element id `f-{name}`) with its suggestions (every State, territory and
/// country, in words) and its problem after a refused form. A value that names a place is
/// shown as its name ("foreign:MX" and "mx" read "Mexico").
pub fn place_field(r: Option<&Refused>, name: &str, value: &str) -> Markup {
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let list_id = format!("{id}-places");
    let m = mark(r, name, &id, Some(&hint_id));
    let shown =
        words::location_code(value).map_or_else(|| value.to_string(), |c| words::place_name(&c));
    html! {
        div.field.invalid[m.invalid.is_some()] {
            label for=(id) { (PLACE_LABEL) }
            input id=(id) name=(name) type="text" list=(list_id) autocomplete="off" value=(shown) aria-describedby=[m.described] aria-invalid=[m.invalid];
            datalist id=(list_id) { @for n in words::place_names() { option value=(n) {} } }
            (m.problem)
            small id=(hint_id) { (PLACE_HINT) }
        }
    }
}

/// The exchange file's `location` code of a place typed in a form (the API's field `path`
/// names the problem): a State or DC, a US territory (its own code: outside the United
/// States for §1031(h), IRC §7701(a)(9)), or another country (`foreign:XX`).
///
/// # Errors
/// Nothing typed, or words that name no State, territory or country, said in words.
pub fn place_code(path: &str, typed: &str) -> ApiResult<String> {
    if typed.trim().is_empty() {
        return Err(ApiError::field(
            path,
            "required",
            "enter the state or country, e.g. California or Mexico",
        ));
    }
    words::location_code(typed).ok_or_else(|| {
        let whole_country = ["us", "usa", "united states", "united states of america"]
            .contains(&typed.trim().replace('.', "").to_lowercase().as_str());
        let m = if whole_country {
            "name the state, e.g. California: the United States as a whole is not a place a property can be in".to_string()
        } else {
            format!(
                "“{}” is not a US state, US territory or country: type a state's name or its two letters (California or CA), or a country's name (Mexico)",
                typed.trim()
            )
        };
        ApiError::field(path, "location", m)
    })
}
