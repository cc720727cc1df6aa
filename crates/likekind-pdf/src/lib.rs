//! The papers people file, sign and keep, as PDF: the exchange report for the CPA's file and
//! the client, the identification notice for the taxpayer's signature, the qualified
//! intermediary's statement of the exchange account, and the plan.
//!
//! Typesetting is Typst, used as a library: the layouts are Typst templates compiled into the
//! binary, the fonts are Typst's own embedded fonts (`typst-assets`), and nothing is fetched
//! at build or run time. The figures come from the engine's output only: [`view`] turns the
//! report, the plan or the ledger into words, formatted money and dates, and the templates lay
//! them out. The same input and as-of date give byte-identical PDFs: the document date is the
//! as-of date (never the clock) and the PDF identifier is derived from the content. The PDFs
//! are tagged (Typst 0.14 writes the structure tree by default), so screen readers can follow
//! headings, tables and reading order.

mod view;

pub use view::{Movement, Posting, Statement, statement_from_file};

use likekind_core::plan::{Assumptions, Plan};
use likekind_core::{ExchangeFile, Report};
use std::sync::OnceLock;
use typst::foundations::{Dict, IntoValue, Str};
use typst::layout::PagedDocument;
use typst_as_lib::{TypstEngine, TypstTemplateCollection};

/// The kinds of paper, for callers that choose one by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Report,
    Notice,
    Statement,
    Plan,
}

/// What can go wrong while making a PDF: a paper the facts cannot support (a notice with
/// nothing identified, a plan the engine refuses), or a defect of a template (reported with
/// Typst's words).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("{0}")]
    NotApplicable(String),
    #[error("the paper could not be prepared for printing: {0}")]
    View(String),
    #[error("the PDF could not be typeset: {0}")]
    Typeset(String),
}

const TEMPLATES: [(&str, &str); 5] = [
    ("common.typ", include_str!("../templates/common.typ")),
    ("report.typ", include_str!("../templates/report.typ")),
    ("notice.typ", include_str!("../templates/notice.typ")),
    ("statement.typ", include_str!("../templates/statement.typ")),
    ("plan.typ", include_str!("../templates/plan.typ")),
];

/// The compiled-in templates with their fonts, built once per process (loading the fonts is
/// the expensive part).
fn engine() -> &'static TypstEngine<TypstTemplateCollection> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateCollection>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .with_static_source_file_resolver(TEMPLATES)
            .fonts(typst_assets::fonts())
            .build()
    })
}

/// The exchange report: parties and properties, the timeline, the money closing by closing,
/// Form 8824 Parts I–III as a worksheet in the form's line order, the basis of each property
/// received, character and where each amount is reported, the (j)-1 statement, the
/// depreciation schedule when the report has one, the findings with their authority, and
/// every figure's explanation as an appendix.
///
/// # Errors
/// [`PdfError`] when the template fails (a defect, not bad input).
pub fn exchange_report(file: &ExchangeFile, report: &Report) -> Result<Vec<u8>, PdfError> {
    let data = view::report(file, report).map_err(PdfError::View)?;
    typeset("report.typ", &data)
}

/// The identification notice for the taxpayer's signature (Treas. Reg. §1.1031(k)-1(c)(2)–(3)),
/// addressed to the intermediary (`intermediary`: its name; the file's own words otherwise).
///
/// # Errors
/// [`PdfError::NotApplicable`] when the file identifies nothing and no property is given up.
pub fn identification_notice(
    file: &ExchangeFile,
    report: &Report,
    intermediary: Option<&str>,
) -> Result<Vec<u8>, PdfError> {
    let data = view::notice(file, report, intermediary)?;
    typeset("notice.typ", &data)
}

/// The intermediary's statement of the exchange account: postings with running balance, who
/// made and approved each, interest, the (g)(6) release date and what was released when.
///
/// # Errors
/// [`PdfError`] when the template fails.
pub fn qi_statement(
    file: &ExchangeFile,
    report: &Report,
    statement: &Statement,
) -> Result<Vec<u8>, PdfError> {
    let data = view::statement(file, report, statement)?;
    typeset("statement.typ", &data)
}

/// The plan: the strategies side by side, the recommendation, the after-tax value over the
/// horizon (each year the engine's own plan at that horizon), every assumption, and the Form
/// 8949 / Form 8997 figures of each QOF path.
///
/// # Errors
/// [`PdfError`] when the template fails.
pub fn plan(
    file: &ExchangeFile,
    report: &Report,
    assumptions: &Assumptions,
    plan: &Plan,
) -> Result<Vec<u8>, PdfError> {
    let data = view::plan(file, report, assumptions, plan)?;
    typeset("plan.typ", &data)
}

fn typeset(main: &str, data: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
    let mut data = data.clone();
    view::humanize(&mut data);
    let data = &data;
    let json = serde_json::to_string(data).map_err(|e| PdfError::View(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert(Str::from("data"), json.as_str().into_value());
    let doc: PagedDocument = engine()
        .compile_with_input(main, inputs)
        .output
        .map_err(|e| PdfError::Typeset(format!("{e:?}")))?;
    let as_of = data
        .get("as_of_iso")
        .and_then(|v| v.as_str())
        .and_then(|s| s.parse::<jiff::civil::Date>().ok());
    let timestamp = as_of.and_then(|d| {
        typst::foundations::Datetime::from_ymd(
            i32::from(d.year()),
            u8::try_from(d.month()).ok()?,
            u8::try_from(d.day()).ok()?,
        )
        .map(typst_pdf::Timestamp::new_utc)
    });
    let options = typst_pdf::PdfOptions {
        // Derived from the document's title and content, not from the clock.
        ident: typst::foundations::Smart::Auto,
        timestamp,
        tagged: true,
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|e| PdfError::Typeset(format!("{e:?}")))
}
