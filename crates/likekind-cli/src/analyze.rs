//! `likekind analyze FILE`.

use crate::{OutputFormat, UsageError, read_input, today};
use clap::Args as ClapArgs;
use likekind_core::analyze::{Options, analyze_with};
use likekind_core::money::format_usd;
use likekind_core::{Format, Report, parse_exchange};
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
    #[arg(long, value_name = "DATE")]
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
        file.exchange.as_of = Some(d);
    }
    let report = analyze_with(
        &file,
        today(),
        Options {
            depreciation_years: a.depreciation,
        },
    );
    let out = match a.format {
        OutputFormat::Text => {
            let mut s = likekind_render::text::render(&report, a.explain);
            s.push_str(&special_text(&report));
            s
        }
        OutputFormat::Json => likekind_render::json(&report),
        OutputFormat::Ics => likekind_render::ics::report(&report),
    };
    if a.format == OutputFormat::Ics {
        print!("{out}");
    } else {
        println!("{out}");
    }
    Ok(if report.has_error() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Text for the special-situation sections (issue 4): the (j)-1 statement, the routing of
/// each amount, the year(s) of recognition, the depreciation table and the step-up.
fn special_text(r: &Report) -> String {
    let mut s = String::new();
    if let Some(ma) = &r.multi_asset {
        s.push_str("\n\nMulti-asset exchange (Treas. Reg. §1.1031(j)-1)\n");
        s.push_str(&ma.statement);
    }
    if !r.character.routing.is_empty() {
        s.push_str("\n\nCharacter and where each amount is reported\n");
        for x in &r.character.routing {
            s.push_str(&format!(
                "  {:<55} {:>16}  {}\n",
                x.what,
                format_usd(x.amount),
                x.reported_on
            ));
        }
        let c = &r.character;
        let carried = [
            (
                "Unrecaptured §1250 gain carried into the replacement",
                c.unrecaptured_1250_carried_to_replacement,
            ),
            (
                "§1245 depreciation carried into the replacement",
                c.section1245_carried_to_replacement,
            ),
            (
                "§1250 additional depreciation carried into the replacement",
                c.additional_depreciation_carried_to_replacement,
            ),
        ];
        for (what, v) in carried {
            if !v.is_zero() {
                s.push_str(&format!("  {what:<55} {:>16}\n", format_usd(v)));
            }
        }
    }
    if let Some(y) = &r.recognition_years {
        s.push_str(&format!(
            "\n\nYear of recognition ({}installment method)\n  {}\n",
            if y.installment_method { "" } else { "no " },
            y.why
        ));
        for a in &y.years {
            s.push_str(&format!(
                "  {}: gain {} (recapture {}, unrecaptured §1250 {}) - {}\n",
                a.tax_year,
                format_usd(a.gain),
                format_usd(a.recapture_income),
                format_usd(a.unrecaptured_1250),
                a.reported_on
            ));
        }
        if !y.gain_reported_as_note_payments_received.is_zero() {
            s.push_str(&format!(
                "  as note payments are received: {}\n",
                format_usd(y.gain_reported_as_note_payments_received)
            ));
        }
    }
    for d in &r.depreciation {
        let x = &d.result;
        s.push_str(&format!(
            "\n\nDepreciation of {} (Treas. Reg. §1.168(i)-6{})\n  exchanged basis {} over {} years remaining ({} {}), excess basis {} as new property; time of replacement {}\n",
            d.replacement,
            if x.elect_out { ", election out under (i)" } else { "" },
            format_usd(x.exchanged_basis),
            x.remaining_recovery_years.round_dp(4).normalize(),
            x.exchanged_basis_method.as_str(),
            x.exchanged_basis_convention.as_str(),
            format_usd(x.excess_basis),
            x.time_of_replacement
        ));
        s.push_str(&format!(
            "  {:<6} {:>16} {:>16} {:>16} {:>16}\n",
            "year", "relinquished", "exchanged basis", "excess basis", "total"
        ));
        for y in &x.schedule {
            s.push_str(&format!(
                "  {:<6} {:>16} {:>16} {:>16} {:>16}\n",
                y.year,
                format_usd(y.relinquished),
                format_usd(y.exchanged_basis),
                format_usd(y.excess_basis),
                format_usd(y.total)
            ));
        }
        if let Some(n) = &x.note {
            s.push_str(&format!("  note: {n}\n"));
        }
    }
    if let Some(d) = &r.death {
        s.push_str(&format!(
            "\n\nStep-up at death ({})\n  heirs' basis {} ({}); deferred gain eliminated {}\n",
            d.date_of_death,
            format_usd(d.heir_basis),
            d.valuation,
            format_usd(d.deferred_gain_eliminated)
        ));
    }
    s
}
