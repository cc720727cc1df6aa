//! The purchase form drawn on the page (the `record` answers it): apart from `record` so that
//! the page does not import the files that answer back to it.

use super::place::place_field;
use super::state::Loaded;
use crate::layout::{Refused, csrf, field_in, mark, refused_box};
use crate::session::Web;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PurchaseForm {
    #[serde(default, rename = "_csrf")]
    pub csrf: String,
    #[serde(default)]
    pub rid: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub received: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub liabilities: String,
    #[serde(default)]
    pub expenses: String,
}

/// The purchase (replacement) form.
pub fn purchase_form(w: &Web, l: &Loaded, f: &PurchaseForm, err: Option<&Refused>) -> Markup {
    let rid = mark(err, "rid", "f-rid", None);
    // Nothing to choose: said, with the way to identify, not an empty list to submit.
    let none = html! {
        p #purchase-none { "No replacement property is identified yet. A purchase is recorded for property identified as replacement property: "
            a href={ "/exchanges/" (l.ex.id) "/identify" } { "identify replacement property" } " first." }
    };
    if l.file.identified.is_empty() && err.is_none() {
        return html! {
            div.card #purchase {
                h3 { "A purchase closed" }
                (none)
            }
        };
    }
    html! {
        form.card #purchase method="post" action={ "/exchanges/" (l.ex.id) "/purchase" } {
            h3 { "A purchase closed" }
            @if let Some(e) = err { (refused_box(e)) }
            (csrf(w))
            @if l.file.identified.is_empty() {
                // A refused purchase sent without a choice (nothing identified): what was sent
                // is kept, the reason said.
                input type="hidden" name="rid" value=(f.rid);
                (none)
            } @else {
                div.field.invalid[rid.invalid.is_some()] {
                    label for="f-rid" { "Property (as identified)" }
                    select #f-rid name="rid" aria-invalid=[rid.invalid] aria-describedby=[rid.described] {
                        @for i in &l.file.identified { option value=(i.id) selected[f.rid == i.id] { (i.id) ": " (i.description) } }
                    }
                    (rid.problem)
                }
            }
            (place_field(err, "location", &f.location))
            (field_in(err, "Closing date", "received", "date", &f.received, None))
            (field_in(err, "Price", "price", "text", &f.price, Some("In dollars, e.g. 1,250,000.00")))
            (field_in(err, "New debt on the property", "liabilities", "text", &f.liabilities, None))
            (field_in(err, "Exchange expenses at this closing", "expenses", "text", &f.expenses, None))
            button type="submit" { "Record the purchase" }
        }
    }
}
