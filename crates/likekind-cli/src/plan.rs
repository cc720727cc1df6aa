//! `likekind plan FILE`: compare the strategies for one exchange (complete the 1031, partial
//! 1031 with the boot's gain in a QOF, failed 1031 with the gain in a QOF, sell and pay the
//! tax, installment reporting, a DST fallback).

use crate::{UsageError, read_input, today};
use clap::{Args as ClapArgs, ValueEnum};
use likekind_core::plan::{HoldUntil, Overrides, resolve};
use likekind_core::{Format, analyze, parse_exchange};
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output of `plan`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFormat {
    /// A side-by-side comparison for people, the recommended path first.
    Text,
    /// The machine-readable plan (`strategies[]`, `oz.windows[]`, `assumptions`, `findings`).
    Json,
}

/// What ends the comparison at the horizon.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoldArg {
    /// Everything is sold at the horizon and the tax paid.
    Sale,
    /// Held until death at the horizon: heirs take a FMV basis (IRC §1014).
    Death,
}

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The exchange file (.toml or .json); its optional [plan] block holds the assumptions.
    pub file: PathBuf,
    /// Years from the plan date to the comparison date (1 to 100). Default 10, or
    /// `plan.horizon_years`.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub horizon_years: Option<i64>,
    /// Yearly growth of what is invested, in percent (above -100, at most 100). Default 4,
    /// or `plan.growth_pct`.
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    pub growth: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: PlanFormat,
    /// Sale (default) or death at the horizon; overrides `plan.hold_until`.
    #[arg(long, value_enum)]
    pub hold_until: Option<HoldArg>,
    /// Plan a QOF investment on this date (YYYY-MM-DD); it must fall inside a 180-day window.
    /// Default: the best date the windows allow, or `plan.qof_investment_date`.
    #[arg(long, value_name = "DATE", value_parser = crate::date_arg)]
    pub invest_on: Option<jiff::civil::Date>,
    /// Judge the exchange as of this date instead of the file's `as_of` or today.
    #[arg(long, value_name = "DATE", value_parser = crate::date_arg)]
    pub as_of: Option<jiff::civil::Date>,
    /// Text only: add every computed step with its inputs and authority.
    #[arg(long)]
    pub explain: bool,
}

fn list(e: &likekind_core::InputErrors) -> String {
    e.errors
        .iter()
        .map(|x| format!("  {x}"))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
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
    let growth_pct = match &a.growth {
        None => None,
        Some(s) => Some(s.trim().trim_end_matches('%').parse::<Decimal>().map_err(|_| {
            UsageError(format!(
                "plan.growth_pct (--growth): [syntax] {s:?} is not a percentage such as 4 or -2.5"
            ))
        })?),
    };
    let ov = Overrides {
        horizon_years: a.horizon_years,
        growth_pct: growth_pct.map(Into::into),
        hold_until: a.hold_until.map(|h| match h {
            HoldArg::Sale => HoldUntil::Sale,
            HoldArg::Death => HoldUntil::Death,
        }),
        qof_investment_date: a.invest_on,
    };
    let assumptions = resolve(file.plan.as_ref(), &ov).map_err(|e| {
        UsageError(format!(
            "the plan's assumptions are not usable:\n{}",
            list(&e)
        ))
    })?;
    // the flags can raise the growth or the horizon past what the projection can
    // compute exactly; the file's own block was checked by validation.
    likekind_core::validate::check_plan_growth(
        assumptions.growth_pct,
        i64::from(assumptions.horizon_years),
    )
    .map_err(|m| {
        UsageError(format!(
            "the plan's assumptions are not usable:\n  plan.growth_pct (--growth): [growth_range] {m}"
        ))
    })?;
    // The clock and the time zone are read only when the file has no date of its own.
    let report = analyze(&file, file.exchange.as_of.unwrap_or_else(today));
    let plan = likekind_core::plan::plan(&file, &report, &assumptions)
        .map_err(|e| UsageError(format!("cannot plan this exchange:\n{}", list(&e))))?;
    let out = match a.format {
        PlanFormat::Text => likekind_render::plan::render(&plan, a.explain),
        PlanFormat::Json => likekind_render::plan::json(&plan),
    };
    crate::emit(&out, true)?;
    Ok(ExitCode::SUCCESS)
}
