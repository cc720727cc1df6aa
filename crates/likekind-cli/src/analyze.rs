//! `likekind analyze FILE`.

use crate::{OutputFormat, UsageError, read_input, today};
use clap::Args as ClapArgs;
use likekind_core::analyze::{Options, analyze_with};
use likekind_core::{Format, parse_exchange};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The exchange file (.toml or .json).
    pub file: PathBuf,
    /// Output format: text for people, json for the stable report, ics for the deadlines as
    /// calendar events with reminders (re-importing updates them).
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Print every computed figure with its inputs and authority (text), or include the
    /// explanation (json always includes it).
    #[arg(long)]
    pub explain: bool,
    /// Judge the status as of this date (YYYY-MM-DD) instead of the file's `as_of` or today.
    #[arg(long, value_name = "DATE", value_parser = crate::date_arg)]
    pub as_of: Option<jiff::civil::Date>,
    /// Print a Reg. 1.168(i)-6 depreciation schedule of the replacement(s) for this many
    /// years from the year of the exchange (the JSON report gets a `depreciation` key).
    #[arg(long, value_name = "YEARS", value_parser = clap::value_parser!(u16).range(1..=60))]
    pub depreciation: Option<u16>,
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
    // The clock and the time zone are read only when the file has no date of its own.
    let today = file.exchange.as_of.unwrap_or_else(today);
    let report = analyze_with(
        &file,
        today,
        Options {
            depreciation_years: a.depreciation,
        },
    );
    let out = match a.format {
        OutputFormat::Text => likekind_render::text::render(&report, &file, a.explain),
        OutputFormat::Json => likekind_render::json(&report),
        OutputFormat::Ics => likekind_render::ics::report(&report),
    };
    crate::emit(&out, a.format != OutputFormat::Ics)?;
    Ok(if report.has_error() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
