//! `likekind report FILE -o report.pdf [--kind report|notice|statement|plan]`: the papers
//! people file, sign and keep, as PDF, from the same engine run as `analyze` and `plan` (the
//! same figures as their JSON).

use crate::{UsageError, read_input, today};
use clap::{Args as ClapArgs, ValueEnum};
use likekind_core::analyze::{Options, analyze_with};
use likekind_core::plan::{Overrides, resolve};
use likekind_core::{Format, parse_exchange};
use std::path::PathBuf;
use std::process::ExitCode;

/// Which paper.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The exchange report for the CPA's file and the client (Form 8824 worksheet).
    Report,
    /// The identification notice for the taxpayer's signature (Reg. 1.1031(k)-1(c)).
    Notice,
    /// The intermediary's statement of the exchange account, from the file's closings.
    Statement,
    /// The plan: the strategies side by side, as `likekind plan`.
    Plan,
}

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The exchange file (.toml or .json).
    pub file: PathBuf,
    /// Where to write the PDF.
    #[arg(long, short = 'o', value_name = "PDF")]
    pub output: PathBuf,
    /// Which paper to write.
    #[arg(long, value_enum, default_value = "report")]
    pub kind: Kind,
    /// Judge the exchange as of this date (YYYY-MM-DD) instead of the file's `as_of` or today.
    /// The PDF carries this date, and the same file and date give the same bytes.
    #[arg(long, value_name = "DATE", value_parser = crate::date_arg)]
    pub as_of: Option<jiff::civil::Date>,
    /// Report only: add a Reg. 1.168(i)-6 depreciation schedule for this many years.
    #[arg(long, value_name = "YEARS", value_parser = clap::value_parser!(u16).range(1..=60))]
    pub depreciation: Option<u16>,
    /// Notice only: the intermediary's name the notice is addressed to (default: the file's
    /// `[qualified_intermediary] name`, or a blank line to fill in).
    #[arg(long, value_name = "NAME")]
    pub intermediary: Option<String>,
}

fn list(e: &likekind_core::InputErrors) -> String {
    e.errors
        .iter()
        .map(|x| format!("  {x}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    crate::output::not_over_the_input(&a.file, &a.output)?;
    let text = read_input(&a.file)?;
    let path = a.file.to_string_lossy();
    let mut file = parse_exchange(&text, Format::from_path(&path)).map_err(|e| {
        UsageError(format!(
            "{} is not a usable exchange file:\n{}",
            a.file.display(),
            list(&e)
        ))
    })?;
    if let Some(d) = a.as_of {
        file.set_as_of(d);
    }
    // The as-of date is the file's, or today's once; the PDF shows it on every page.
    let as_of = file.exchange.as_of.unwrap_or_else(today);
    file.set_as_of(as_of);
    let report = analyze_with(
        &file,
        as_of,
        Options {
            depreciation_years: a.depreciation,
        },
    );
    let made = match a.kind {
        Kind::Report => likekind_pdf::exchange_report(&file, &report),
        Kind::Notice => {
            likekind_pdf::identification_notice(&file, &report, a.intermediary.as_deref())
        }
        Kind::Statement => {
            let mut st = likekind_pdf::statement_from_file(&file, &report);
            if let Some(n) = &a.intermediary {
                st.intermediary.clone_from(n);
            }
            likekind_pdf::qi_statement(&file, &report, &st)
        }
        Kind::Plan => {
            let assumptions = resolve(file.plan.as_ref(), &Overrides::default()).map_err(|e| {
                UsageError(format!(
                    "the plan's assumptions are not usable:\n{}",
                    list(&e)
                ))
            })?;
            let plan = likekind_core::plan::plan(&file, &report, &assumptions)
                .map_err(|e| UsageError(format!("cannot plan this exchange:\n{}", list(&e))))?;
            likekind_pdf::plan(&file, &report, &assumptions, &plan)
        }
    };
    let pdf = made.map_err(|e| match e {
        likekind_pdf::PdfError::NotApplicable(m) => anyhow::Error::new(UsageError(m)),
        other => anyhow::Error::new(other),
    })?;
    crate::output::write_whole(&a.output, &pdf)?;
    Ok(if a.kind == Kind::Report && report.has_error() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
