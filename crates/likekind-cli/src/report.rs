//! `likekind report FILE -o report.pdf`: the exchange report as a PDF for the CPA's file and
//! the client, from the same engine run as `analyze` (the same figures as its JSON report).

use crate::{UsageError, read_input, today};
use clap::Args as ClapArgs;
use likekind_core::analyze::analyze;
use likekind_core::{Format, parse_exchange};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The exchange file (.toml or .json).
    pub file: PathBuf,
    /// Where to write the PDF.
    #[arg(long, short = 'o', value_name = "PDF")]
    pub output: PathBuf,
    /// Judge the exchange as of this date (YYYY-MM-DD) instead of the file's `as_of` or today.
    /// The PDF carries this date, and the same file and date give the same bytes.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<jiff::civil::Date>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let text = read_input(&a.file)?;
    let path = a.file.to_string_lossy();
    let mut file = parse_exchange(&text, Format::from_path(&path)).map_err(|e| {
        UsageError(format!(
            "{} is not a usable exchange file:\n{}",
            a.file.display(),
            e.errors
                .iter()
                .map(|x| format!("  {x}"))
                .collect::<Vec<_>>()
                .join("\n")
        ))
    })?;
    if let Some(d) = a.as_of {
        file.set_as_of(d);
    }
    // The report's as-of date is the file's, or today's once; the PDF shows it on every page.
    let as_of = file.exchange.as_of.unwrap_or_else(today);
    file.set_as_of(as_of);
    let report = analyze(&file, as_of);
    let pdf = likekind_pdf::exchange_report(&file, &report)?;
    std::fs::write(&a.output, pdf)
        .map_err(|e| UsageError(format!("cannot write {}: {e}", a.output.display())))?;
    Ok(if report.has_error() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
