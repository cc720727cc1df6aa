//! `likekind deadlines`: the quick calculator. Every date of a delayed exchange from one
//! transfer date, without writing an exchange file.

use crate::{OutputFormat, UsageError, today};
use clap::{Args as ClapArgs, ValueEnum};
use likekind_core::calendar::YearEnd;
use likekind_core::deadlines::{self, DeadlineInputs, ExchangeEndRule};
use likekind_core::explain::Trace;
use likekind_core::findings::Findings;
use likekind_core::model::Entity;
use likekind_core::status;
use likekind_core::timeline::deadline_milestones;
use std::fmt::Write as _;
use std::process::ExitCode;

/// The kind of taxpayer (the names of the exchange file's `taxpayer.entity`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityArg {
    /// Form 1040: due April 15 (calendar year), extension 6 months.
    #[value(name = "individual")]
    Individual,
    /// Form 1065: due the 15th day of the 3rd month, extension 6 months.
    #[value(name = "partnership")]
    Partnership,
    /// Form 1120-S: due the 15th day of the 3rd month, extension 6 months.
    #[value(name = "s_corporation")]
    SCorporation,
    /// Form 1120: due the 15th day of the 4th month (3rd for a June-30 year beginning
    /// before 2026, with a 7-month extension), extension 6 months.
    #[value(name = "c_corporation")]
    CCorporation,
    /// Form 1041: due the 15th day of the 4th month, extension 5½ months (unverified).
    #[value(name = "trust")]
    Trust,
    /// Form 1041, as a trust.
    #[value(name = "estate")]
    Estate,
}

impl From<EntityArg> for Entity {
    fn from(e: EntityArg) -> Entity {
        match e {
            EntityArg::Individual => Entity::Individual,
            EntityArg::Partnership => Entity::Partnership,
            EntityArg::SCorporation => Entity::SCorporation,
            EntityArg::CCorporation => Entity::CCorporation,
            EntityArg::Trust => Entity::Trust,
            EntityArg::Estate => Entity::Estate,
        }
    }
}

/// The arguments of `likekind deadlines` (the help text is on the subcommand).
#[derive(ClapArgs, Debug)]
#[command(
    after_long_help = "EXAMPLES:\n  likekind deadlines --transferred 2026-10-30\n  likekind deadlines --transferred 2026-10-30 --extension\n  likekind deadlines --transferred 2026-06-20 --entity c_corporation --tax-year-end 06-30\n  likekind deadlines --transferred 2026-12-30 --format ics > exchange.ics\n\nThe ICS file has all-day events with reminders 30, 14, 7 and 1 days before; importing it\nagain updates the same events."
)]
pub struct Args {
    /// Date the (first) relinquished property was transferred (YYYY-MM-DD). With several
    /// relinquished properties, give the earliest transfer.
    #[arg(long, value_name = "DATE", value_parser = crate::date_arg)]
    pub transferred: jiff::civil::Date,
    /// The kind of taxpayer, which sets the return due date that can cut the exchange period.
    #[arg(long, value_enum, default_value = "individual", value_name = "KIND")]
    pub entity: EntityArg,
    /// The last day of the taxpayer's tax year, as MM-DD (12-31 for a calendar year).
    #[arg(long, default_value = "12-31", value_name = "MM-DD")]
    pub tax_year_end: String,
    /// The return for the year of the transfer is (or will be) extended: the due-date cap
    /// moves to the extended due date.
    #[arg(long)]
    pub extension: bool,
    /// Output format: text for people, json for programs, ics for a calendar.
    #[arg(long, value_enum, default_value = "text")]
    pub format: OutputFormat,
    /// Count the days left from this date (YYYY-MM-DD) instead of today; also the DTSTAMP of
    /// the calendar.
    #[arg(long, value_name = "DATE", value_parser = crate::date_arg)]
    pub as_of: Option<jiff::civil::Date>,
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let year_end =
        YearEnd::parse(&a.tax_year_end).map_err(|m| UsageError(format!("--tax-year-end: {m}")))?;
    let entity: Entity = a.entity.into();
    // a transfer whose deadlines fall off the calendar is refused, never clamped.
    likekind_core::validate::check_transfer_date(entity, year_end, a.transferred)
        .map_err(|m| UsageError(format!("--transferred: [date_range] {m}")))?;
    let i = DeadlineInputs {
        first_transfer: a.transferred,
        entity,
        year_end,
        extension_filed: a.extension,
        disaster: None,
    };
    let d = deadlines::dates(&i);
    let mut t = Trace::default();
    let mut fx = Findings::default();
    deadlines::explain(&d, &i, &mut t, &mut fx);
    deadlines::weekend_findings(&d, false, false, &mut fx);
    let as_of = a.as_of.unwrap_or_else(today);
    let ms = deadline_milestones(&d, None);
    let st = status::status(ms.clone(), as_of, status::Settled::Open);
    let out = match a.format {
        OutputFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
            "deadlines": d,
            "status": st,
            "findings": fx.0,
            "explanation": t.steps,
        }))?,
        OutputFormat::Ics => likekind_render::ics::calendar(
            &format!("1031 exchange, transfer {}", a.transferred),
            &format!(
                "transfer-{}-{}",
                a.transferred,
                entity.as_str().replace('_', "-")
            ),
            &ms,
            as_of,
        ),
        OutputFormat::Text => text(&d, entity, &st, &fx, &t),
    };
    crate::emit(&out, a.format != OutputFormat::Ics)?;
    Ok(ExitCode::SUCCESS)
}

fn text(
    d: &deadlines::Deadlines,
    entity: Entity,
    st: &status::Status,
    fx: &Findings,
    t: &Trace,
) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "1031 exchange deadlines ({}, transfer {})",
        entity.as_str(),
        d.first_transfer
    );
    let _ = writeln!(o);
    let row = |o: &mut String, k: &str, v: String| {
        let _ = writeln!(o, "  {k:<44} {v}");
    };
    row(
        &mut o,
        "Identification period ends (day 45)",
        with_day(d.identification_end, &d.identification_end_closed),
    );
    row(&mut o, "Day 180", with_day(d.day_180, &d.day_180_closed));
    row(
        &mut o,
        "Tax year of the transfer",
        format!("{} to {}", d.tax_year_begin, d.tax_year_end),
    );
    row(
        &mut o,
        "Return due date (statutory)",
        d.return_due_date_original.to_string(),
    );
    row(
        &mut o,
        "Return due date with extension",
        d.return_due_date_extended.to_string(),
    );
    if d.return_due_date_7503 != d.return_due_date {
        row(
            &mut o,
            "Due date moved by §7503 [U]",
            d.return_due_date_7503.to_string(),
        );
    }
    row(
        &mut o,
        "Exchange period ends",
        format!(
            "{} ({}{})",
            d.exchange_end,
            match d.exchange_end_rule {
                ExchangeEndRule::Day180 => "day 180",
                ExchangeEndRule::ReturnDueDate => "return due date",
                ExchangeEndRule::DisasterPostponement => "disaster postponement",
            },
            if d.extension_filed {
                ", extension filed"
            } else {
                ", no extension"
            }
        ),
    );
    row(
        &mut o,
        "  without extension",
        d.exchange_end_without_extension.to_string(),
    );
    row(
        &mut o,
        "  with extension",
        d.exchange_end_with_extension.to_string(),
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "Status as of {}:", st.as_of);
    for it in &st.items {
        let when = match it.days_left {
            0 => "today".to_string(),
            n if n > 0 => format!("{n} days left"),
            n => format!("passed {} days ago", -n),
        };
        let _ = writeln!(
            o,
            "  {:<60} {} {when}",
            it.milestone.title, it.milestone.date
        );
    }
    if let (Some(k), Some(dd)) = (&st.next, st.next_date) {
        // The milestone's title, as in the list above (the key is for programs).
        let title = st
            .items
            .iter()
            .find(|i| i.milestone.key == *k)
            .map_or_else(|| k.to_string(), |i| i.milestone.title.to_string());
        let _ = writeln!(o, "  Next: {title} on {dd}");
    }
    if !fx.0.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "Notes:");
        for f in &fx.0 {
            let _ = writeln!(
                o,
                "  [{}] {}: {}\n      ({})",
                serde_json::to_value(f.severity)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                likekind_core::words::title(&f.code).unwrap_or(&f.code),
                f.message,
                f.authority
            );
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "How each date was computed:");
    for s in &t.steps {
        // The step's words, not its key: a person reads what the date is and how it was
        // counted (the key is the report's field, for programs).
        let _ = writeln!(
            o,
            "  {}: {}\n      ({})",
            likekind_core::words::message(&s.step),
            s.value,
            s.authority
        );
    }
    o.trim_end().to_string()
}

fn with_day(d: jiff::civil::Date, closed: &Option<likekind_core::explain::Text>) -> String {
    match closed {
        Some(w) => format!("{d} ({w}: no roll)"),
        None => format!("{d} ({:?})", d.weekday()),
    }
}
