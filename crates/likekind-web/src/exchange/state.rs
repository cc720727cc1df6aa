//! What the exchange page is drawn from (its loaded records) and what a form posted from it
//! came to (the errors to show where that form is). Kept apart from the page
//! ([`super::page`]) so that the identification and document parts of the page use them
//! without importing the page back.

use jiff::civil::Date;
use likekind_core::Report;
use likekind_core::model::ExchangeFile;
use likekind_server::error::{ApiError, ApiResult};
use likekind_store::{ExchangeRow, NoticeRow, PostingRow};
use maud::Markup;

/// Everything the exchange page shows: the exchange as read for this request (under the
/// tenancy rule), and the rest as kept for the data revision ([`Reads`], read through).
pub struct Loaded {
    pub ex: ExchangeRow,
    pub today: Date,
    /// The largest document upload accepted, in bytes.
    pub upload_limit: usize,
    pub reads: std::sync::Arc<Reads>,
}

impl std::ops::Deref for Loaded {
    type Target = Reads;
    fn deref(&self) -> &Reads {
        &self.reads
    }
}

/// What the exchange page reads besides the exchange itself: the same for every member of
/// the firm's staff (or every client) who may see it, on one day, at one data revision.
pub struct Reads {
    pub file: ExchangeFile,
    pub report: Report,
    pub postings: Vec<PostingRow>,
    pub notices: Vec<NoticeRow>,
    /// The exchange's documents with the name of who uploaded each.
    pub documents: Vec<(likekind_store::Document, String)>,
    /// The assigned coordinator (id, name).
    pub coordinator: Option<(String, String)>,
    /// Who may be assigned (staff only see it): the firm's active administrators and
    /// coordinators (id, name).
    pub coordinators: Vec<(String, String)>,
    /// Money the ledger released to the taxpayer that the exchange file does not account for
    /// (the comparison that refuses closing as completed): warned of before anyone closes.
    pub unaccounted: Option<likekind_server::reconcile::UnaccountedRelease>,
}

/// A refused form: the refusal (to mark its inputs) and more words for its box.
pub type Refusal = (crate::layout::Refused, Markup);

/// Errors of a refused form, shown where that form is on the exchange page.
#[derive(Default)]
pub struct Flash {
    /// A refused upload: the kind of document chosen and the refusal.
    pub documents: Option<(String, crate::layout::Refused)>,
    /// A refused revocation: the notice's id and the refusal.
    pub revoke: Option<(String, Refusal)>,
    /// A refused record of the sale's closing.
    pub sale: Option<crate::layout::Refused>,
    /// A refused closing or reopening.
    pub close: Option<crate::layout::Refused>,
    /// A refused signature: the notice's id and the reason.
    pub sign: Option<(String, Markup)>,
    /// A refused coordinator assignment.
    pub coordinator: Option<crate::layout::Refused>,
}

/// What a form posted from the exchange page came to: where on the page to go back to, and
/// when it was refused, the refusal and the errors to show where the form is.
pub struct Posted {
    pub id: String,
    pub anchor: &'static str,
    pub refused: Option<(ApiError, Flash)>,
}

impl Posted {
    /// From the answer of the API's operation and how its refusal reads on the page.
    pub fn of<T>(
        id: &str,
        anchor: &'static str,
        done: ApiResult<T>,
        flash: impl FnOnce(&ApiError) -> Flash,
    ) -> Posted {
        Posted {
            id: id.to_string(),
            anchor,
            refused: done.err().map(|e| {
                let f = flash(&e);
                (e, f)
            }),
        }
    }
}
