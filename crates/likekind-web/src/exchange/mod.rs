//! The exchange: its page (timeline, money, QI ledger, identification, Form 8824, findings,
//! each figure expandable into the engine's explanation and authority) and the forms posted
//! from it, the new-exchange form (which records the sale) and the edit form.
//!
//! The files, in the order the imports flow (each uses only those below it):
//! - `close`, `coordinator`, `record`: the closing / reopening, coordinator, sale-closed and
//!   purchase forms, answered through `answer`;
//! - `answer`: back to the page where a form is, with its refusal shown there (and the page's
//!   answer to the identification and document forms);
//! - `page`: the page and its sections, drawn with `widgets` (the explanation widgets and the
//!   ledger table), `form8824` (Parts I to III) and `purchase` (the purchase form);
//! - `edit`, `new`: the edit and new-exchange forms, with `fields` (form values parsed);
//! - `place`: where a property is, typed in words on the new-exchange and purchase forms;
//! - `load`: the records the page is drawn from; `state`: what the page is drawn from and what
//!   a posted form came to, shared with the identification and document parts of the page.

pub mod answer;
pub mod close;
pub mod coordinator;
pub mod edit;
pub mod fields;
pub mod form8824;
pub mod load;
pub mod new;
pub mod page;
pub mod place;
pub mod purchase;
pub mod record;
pub mod state;
pub mod widgets;

pub use answer::{back, back_to_page, revoke_post, sign_post, upload_post};
pub use close::{CloseForm, ReopenForm, close_post, reopen_post};
pub use coordinator::{CoordinatorForm, coordinator_post};
pub use edit::{EditForm, edit_form, edit_post};
pub use load::load_all;
pub use new::{
    NEW_INPUTS, NewForm, create, entity_select, new_form, new_post, parse_entity, parse_entity_str,
};
pub use page::{page, render, render_with};
pub use purchase::{PurchaseForm, purchase_form};
pub use record::{DateForm, purchase_post, sale_closed_post};
pub use state::{Flash, Loaded, Posted};
pub use widgets::{explained, ledger_table, posting_word, step};
