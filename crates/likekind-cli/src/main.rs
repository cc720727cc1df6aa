//! `likekind`: the command line of the likekind engine. A thin shell: it parses arguments,
//! reads files, calls the engine and prints what the renderer made.
//!
//! Exit codes: 0 analysed; 1 analysed and an `error` finding (the exchange fails as
//! entered); 2 unusable input (bad file, bad arguments).
//!
//! Output goes through [`emit`]: when the reader closes the pipe early
//! (`likekind analyze FILE | head -1`), the command stops writing and exits quietly with the
//! status it would have had anyway (0, or 1 for an error finding), never a panic. It does
//! not die of SIGPIPE (status 141): a reader that wanted only the first lines got what it
//! asked for, and `set -o pipefail` scripts should not fail because of it.

mod analyze;
mod check;
mod deadlines;
mod folder;
mod import;
mod init;
mod output;
mod plan;
mod report;
mod serve;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: an analysis makes a few hundred small
/// allocations (the report's strings and lists), and the tracker serves many analyses at
/// once; BENCHMARKS.md shows the difference.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// likekind — the engine, tracker and planner for US §1031 like-kind exchanges of real
/// estate, with their Opportunity Zone backup.
///
/// Every figure comes with its explanation and the authority behind it (IRC section,
/// Treasury regulation, revenue procedure, form instruction). likekind is not tax advice:
/// it computes what the law and Form 8824 say from the facts you give it.
#[derive(Parser, Debug)]
#[command(
    name = "likekind",
    version,
    about,
    long_about,
    propagate_version = true
)]
#[command(
    after_long_help = "EXAMPLES:\n  likekind init my-exchange.toml\n  likekind analyze my-exchange.toml --explain\n  likekind analyze my-exchange.toml --format json\n  likekind deadlines --transferred 2026-03-02 --entity partnership\n\nEXIT CODES:\n  0  analysed\n  1  analysed, and an error finding says the exchange fails as entered\n  2  unusable input (a bad file or bad arguments)\n\nA reader that closes the output early (likekind analyze FILE | head -1) ends the command\nquietly with the status it would have had."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyse an exchange file: deadlines, identification, boot, gain, basis and Form 8824.
    ///
    /// FILE is TOML (`.toml`) or JSON (`.json`) in the structure of the exchange-file
    /// contract (run `likekind init` for a commented example). The text report is for
    /// people; `--format json` is the stable machine-readable report.
    Analyze(analyze::Args),
    /// Check a whole book of exchanges: a folder of exchange files or a JSON Lines file.
    ///
    /// Every exchange is analysed as `likekind analyze` would, in parallel on every core.
    /// Writes JSON Lines in the book's order (a summary per exchange: verdict, errors,
    /// realized, recognized and deferred gain, deadlines and the next one; `--full` for the
    /// whole report), then a closing table of verdicts, recognized gain, the next deadlines
    /// and the unusable entries. A progress bar shows on a terminal only. An unusable entry
    /// is reported by file (and line) and the rest is still checked.
    #[command(
        after_long_help = "EXAMPLES:\n  likekind check my-book/ -o book.jsonl\n  likekind check book.jsonl --as-of 2026-12-31 > summaries.jsonl\n  likekind check my-book/ --parse-only\n\nEXIT CODES:\n  0  every exchange analysed, no error finding\n  1  an error finding says some exchange fails as entered\n  2  some entry is unusable (the rest were still checked), or the book cannot be read"
    )]
    Check(check::Args),
    /// Write a commented example exchange file to start from.
    Init(init::Args),
    /// Compute the deadlines of an exchange from a transfer date, without a file.
    ///
    /// Day 45 (end of the identification period) and day 180 are counted from the day after
    /// the transfer and never move for weekends or holidays. The exchange period also ends on
    /// the due date of the return for the year of the transfer unless that return is extended
    /// (--extension); the due date depends on the kind of taxpayer (--entity) and its tax year
    /// (--tax-year-end). A due date on a weekend or holiday is shown with its IRC §7503
    /// alternative and a warning, because the law is unsettled there. The status counts the
    /// days left from --as-of (default today); --format ics writes calendar reminders.
    Deadlines(deadlines::Args),
    /// Compare strategies for an exchange: complete 1031, partial 1031 + QOF, failed 1031 →
    /// QOF, sell and pay the tax.
    ///
    /// Reads an exchange file (planned, partial or failed), runs the engine on it and on the
    /// same file with no replacement (the exchange as if it failed), and compares the paths:
    /// complete the 1031 exchange; a partial exchange as entered, boot taxed (when the file
    /// has boot); a partial 1031 with the boot's gain in a Qualified
    /// Opportunity Fund (QOF); a failed 1031 with the gain in a QOF; sell and pay the tax;
    /// installment reporting when the QI releases the funds in a later tax year (Reg.
    /// 1.1031(k)-1(j)(2)); a Delaware statutory trust interest as a fallback replacement.
    ///
    /// For each: available or not and why, tax now, gain deferred and until when, basis
    /// step-ups, tax when the deferral ends, after-tax value at the horizon, and the
    /// trade-offs. The QOF paths use the 180-day windows (the start date is day 1) and the
    /// regime of the investment date: before 2027-01-01 the gain is included on 2026-12-31;
    /// from 2027-01-01 it is deferred up to 5 years with a 10% (rural fund 30%) step-up.
    /// Unsettled points of law are printed as findings, never hidden.
    ///
    /// Assumptions come from the file's optional [plan] block (horizon_years, growth_pct,
    /// yield_pct, federal_capital_gain_rate, ordinary_rate, unrecaptured_1250_rate, niit_rate,
    /// state_rate, hold_until = "sale" | "death", qof_investment_date, qof_amount, qrof, and
    /// [[plan.other_gains]] for gains outside the exchange that could go to a QOF instead);
    /// flags override the block; every default is stated in the output. The tax is a rough
    /// estimate for comparing paths, never a return.
    #[command(
        after_long_help = "EXAMPLES:\n  likekind plan examples/seed000-failed-1m.toml\n  likekind plan my-exchange.toml --horizon-years 15 --growth 5 --format json\n  likekind plan my-exchange.toml --hold-until death --invest-on 2027-01-04\n\nEXIT CODES:\n  0  planned\n  2  unusable input: a bad file, a horizon outside 1-100 years, a growth rate of -100% or less,\n     a tax rate above 100%, a QOF date outside every window, a QOF amount above the gain\n     actually recognized (the error names the field and the rule)"
    )]
    Plan(plan::Args),
    /// Write a PDF: the exchange report (parties and properties, the timeline, the money
    /// closing by closing, a Form 8824 worksheet in line order, the basis of each property
    /// received, where each amount is reported, the findings with their authority and every
    /// figure's explanation), or with --kind the identification notice for signature, the
    /// intermediary's statement of the exchange account, or the plan. Same figures as
    /// `analyze --format json` and `plan --format json`.
    #[command(
        after_long_help = "EXAMPLES:\n  likekind report my-exchange.toml -o report.pdf\n  likekind report my-exchange.toml -o report.pdf --as-of 2026-12-31 --depreciation 5\n  likekind report my-exchange.toml -o notice.pdf --kind notice --intermediary \"Acme Exchange LLC\"\n  likekind report my-exchange.toml -o statement.pdf --kind statement\n  likekind report my-exchange.toml -o plan.pdf --kind plan\n\nEXIT CODES:\n  0  written\n  1  the exchange report was written, and an error finding says the exchange fails as entered\n  2  unusable input, or a paper the file cannot support (a notice with nothing identified)"
    )]
    Report(report::Args),
    /// Run the tracker server (HTTP API and web application).
    Serve(serve::Args),
    /// Load a book of exchanges into the tracker in bulk (a folder or a JSON Lines file).
    ///
    /// Every entry is validated as the API validates one and stored with the same summary
    /// and audit entry, in batches of one transaction each, opened by the staff member named
    /// with --as. An interrupted import run again resumes without duplicates (each exchange
    /// is remembered by a hash of its name and file). Unusable entries (not read as an
    /// exchange file) and refused ones (read, but recording a purchase closing after the
    /// firm's today, which the tracker refuses) are counted apart, named by file (and line)
    /// with why, and skipped; the exit code is then 2.
    #[command(
        after_long_help = "EXAMPLES:\n  likekind import my-book/ --as coordinator@firm.example\n  likekind import book.jsonl --db postgres://likekind@db/likekind --as admin@firm.example\n\nEXIT CODES:\n  0  every entry imported (or already there)\n  2  some entries were refused, unusable or named as an exchange already in the firm (the rest were imported), or bad arguments"
    )]
    Import(import::Args),
}

/// Output formats shared by the commands.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// A report for people.
    Text,
    /// The machine-readable report (contract v1).
    Json,
    /// An iCalendar file of the deadlines (RFC 5545).
    Ics,
}

/// Today's civil date in the system's time zone (the engine never reads the clock).
///
/// Called only when a command needs it (a file without `as_of`, no `--as-of`). Without a
/// `TZ` variable the zone is `/etc/localtime`, read as one TZif file: asking jiff for the
/// system zone by name would first list the whole time-zone database (two dozen folders),
/// which costs more than an analysis. With `TZ` set, jiff resolves it.
pub fn today() -> jiff::civil::Date {
    let now = jiff::Timestamp::now();
    if std::env::var_os("TZ").is_none() {
        if let Some(tz) = std::fs::read("/etc/localtime")
            .ok()
            .and_then(|b| jiff::tz::TimeZone::tzif("localtime", &b).ok())
        {
            return now.to_zoned_datetime(tz).date();
        }
    }
    jiff::ZonedDateTime::now().date()
}

/// A date given on the command line (YYYY-MM-DD), read as the exchange file's dates are: a
/// date that does not exist is refused in words ("February 2026 has no day 30"), not in the
/// date parser's own terms.
pub fn date_arg(s: &str) -> Result<jiff::civil::Date, String> {
    s.trim()
        .parse::<jiff::civil::Date>()
        .map_err(|e| likekind_core::input::in_words(&e.to_string()))
}

/// A failure of the user's input: printed and turned into exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Reads a file named on the command line, as a usage error when it cannot be read.
pub fn read_input(path: &PathBuf) -> Result<String, UsageError> {
    std::fs::read(path)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))
        .and_then(|bytes| {
            likekind_core::input::text::utf8(bytes)
                .map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))
        })
}

/// Writes `text` (and a newline when `newline`) to standard output through one locked,
/// flushed handle. A closed pipe (`BrokenPipe`) is not an error: the reader has what it
/// wanted, so the rest is dropped silently (`println!` would panic there).
///
/// # Errors
/// Any other write error (a full disk, a closed descriptor), as a usage error naming stdout.
pub fn emit(text: &str, newline: bool) -> Result<(), UsageError> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let r = out
        .write_all(text.as_bytes())
        .and_then(|()| {
            if newline {
                out.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| out.flush());
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(UsageError(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Writes a line to standard error, ignoring a closed stderr (`eprintln!` would panic).
pub fn emit_err(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(a) => analyze::run(a),
        Command::Check(a) => check::run(a),
        Command::Init(a) => init::run(a),
        Command::Deadlines(a) => deadlines::run(a),
        Command::Plan(a) => plan::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Report(a) => report::run(a),
        Command::Import(a) => import::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if e.downcast_ref::<UsageError>().is_some() {
                emit_err(&format!("error: {e}"));
                ExitCode::from(2)
            } else {
                emit_err(&format!("error: {e:#}"));
                ExitCode::from(2)
            }
        }
    }
}
