//! The papers people file, sign and keep, as PDF: the exchange report for the CPA's file and
//! the client (the identification notice, the QI's statement and the plan follow the same
//! path).
//!
//! Typesetting is Typst, used as a library: the layout is a Typst template compiled into the
//! binary, the fonts are Typst's own embedded fonts, and nothing is fetched at build or run
//! time. The figures come from the engine's report only: [`view`] turns the report (and the
//! file it was made from) into words, formatted money and dates, and the template lays them
//! out. The same report and as-of date give byte-identical PDFs: the document date is the
//! report's as-of date and the PDF identifier is derived from the content.

mod view;

use likekind_core::{ExchangeFile, Report};
use std::sync::OnceLock;
use typst::foundations::{Dict, IntoValue, Str};
use typst::layout::PagedDocument;
use typst_as_lib::TypstEngine;

/// What can go wrong while making a PDF. Never the user's input: the report is already
/// validated, so an error here is a defect of the template, reported with Typst's words.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the report could not be prepared for printing: {0}")]
    View(String),
    #[error("the PDF could not be typeset: {0}")]
    Typeset(String),
}

const REPORT_TEMPLATE: &str = include_str!("../templates/report.typ");
const COMMON_TEMPLATE: &str = include_str!("../templates/common.typ");

/// The compiled-in template engine with its fonts, built once per process (loading the
/// fonts is the expensive part).
fn engine() -> &'static TypstEngine<typst_as_lib::TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<typst_as_lib::TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(REPORT_TEMPLATE)
            .with_static_source_file_resolver([("common.typ", COMMON_TEMPLATE)])
            .fonts(typst_assets::fonts())
            .build()
    })
}

/// The exchange report: parties and properties, the timeline, the money closing by closing,
/// Form 8824 Parts I–III as a worksheet in the form's line order, the basis of each property
/// received, character and where each amount is reported, the findings with their
/// authority, and every figure's explanation as an appendix.
///
/// # Errors
/// [`PdfError`] when the template fails (a defect, not bad input).
pub fn exchange_report(file: &ExchangeFile, report: &Report) -> Result<Vec<u8>, PdfError> {
    let data = view::report(file, report).map_err(PdfError::View)?;
    typeset(&data)
}

fn typeset(data: &serde_json::Value) -> Result<Vec<u8>, PdfError> {
    let json = serde_json::to_string(data).map_err(|e| PdfError::View(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert(Str::from("data"), json.as_str().into_value());
    let doc: PagedDocument = engine()
        .compile_with_input(inputs)
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
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|e| PdfError::Typeset(format!("{e:?}")))
}
