//! `likekind check BOOK`: a whole book of exchanges in one command.
//!
//! A book is a folder of exchange files (`.toml` / `.json`, searched recursively) or one
//! JSON Lines file (an exchange file in JSON per line). Every exchange goes through the same
//! engine as `likekind analyze`, in parallel on every core, in batches so a book of a
//! million exchanges never sits in memory at once. The output is JSON Lines in the book's
//! order (a summary per exchange, or the whole report with `--full`), then a closing table of
//! verdicts, recognized gain and the next deadlines. An unusable entry is reported by name
//! (and line) and the rest is still checked.

mod line;

use crate::{UsageError, emit_err, today};
use clap::Args as ClapArgs;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::civil::Date;
use likekind_core::Amount;
use likekind_core::Exchange;
use likekind_core::analyze::{analyze, figures};
use likekind_core::qualification::Outcome;
use likekind_core::{Format, InputError, Report, parse_exchange};
use line::{Next, Summary};
use rayon::prelude::*;
use serde::Serialize;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, OnceLock};

/// Entries handed to the workers at once: large enough to keep every core busy, small
/// enough that a batch's reports stay a few megabytes.
pub(crate) const BATCH: usize = 2048;

/// How many of the soonest deadlines and unusable entries the closing table lists.
const LISTED: usize = 10;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// A folder of exchange files (.toml, .json; searched recursively) or a JSON Lines file
    /// with one exchange file in JSON per line.
    pub book: PathBuf,
    /// Write the JSON Lines here instead of standard output; the closing table then goes to
    /// standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write each exchange's whole report (the `analyze --format json` report) instead of its
    /// summary.
    #[arg(long)]
    pub full: bool,
    /// Only read and validate the files (no analysis): finds every unusable entry fast.
    #[arg(long, conflicts_with = "full")]
    pub parse_only: bool,
    /// Judge every exchange as of this date (YYYY-MM-DD) instead of its file's `as_of` or
    /// today.
    #[arg(long, value_name = "DATE", value_parser = crate::date_arg)]
    pub as_of: Option<Date>,
}

/// One entry of the book: where it came from (for messages) and its text.
pub(crate) struct Entry {
    pub(crate) source: String,
    /// The text, or why it could not be read (an unusable entry like any other).
    pub(crate) text: Result<String, String>,
    pub(crate) format: Format,
}

/// What checking one entry gave.
enum Checked {
    /// The whole report (`--full`).
    Report(Box<Report>),
    Parsed,
    Unusable {
        /// Each problem as the engine writes it, `path: [rule] message`: the JSON Lines'
        /// `errors`, which other programs read.
        errors: Vec<String>,
        /// The first problem in words, for the closing table people read (no field path,
        /// no rule code).
        first: String,
    },
}

impl Checked {
    /// An unusable entry for a reason already in words (a file that cannot be read, text
    /// that is not UTF-8): the same words in the JSON Lines and the closing table.
    fn unusable(reason: &str) -> Checked {
        Checked::Unusable {
            errors: vec![reason.to_string()],
            first: reason.to_string(),
        }
    }
}

impl Checked {
    fn report(&self) -> Option<&Report> {
        match self {
            Checked::Report(r) => Some(r),
            Checked::Parsed | Checked::Unusable { .. } => None,
        }
    }
}

/// What the closing table needs of one entry: the report itself is dropped by the worker
/// that made it (freeing it on another thread costs more than the analysis saves).
enum Tally {
    Unusable(String),
    Parsed,
    Analysed {
        outcome: Outcome,
        /// `qualification.settled`: false while receiving identified property in time can
        /// still change the outcome (IRC §1031(a)(3)).
        settled: bool,
        error: bool,
        recognized: Amount,
        deferred: Amount,
        /// The next deadline: its date, and its title and the exchange's name unless the
        /// date can no longer enter the closing table's list (see [`Cutoff`]).
        next: Option<(Date, Option<(String, String)>)>,
    },
}

impl Tally {
    fn of(c: &Checked, cutoff: &Cutoff) -> Tally {
        if let Checked::Unusable { first, .. } = c {
            return Tally::Unusable(first.clone());
        }
        match c.report() {
            None => Tally::Parsed,
            Some(r) => Tally::analysed(r, cutoff),
        }
    }

    fn analysed(r: &Report, cutoff: &Cutoff) -> Tally {
        Tally::Analysed {
            outcome: r.qualification.outcome,
            settled: r.qualification.settled,
            error: r.has_error(),
            recognized: r.gain.recognized,
            deferred: r.gain.deferred,
            next: next_deadline(r).map(|n| {
                let words = cutoff.admits(n.date).then(|| {
                    let name = r
                        .exchange
                        .name
                        .clone()
                        .unwrap_or_else(|| r.exchange.taxpayer.clone());
                    (n.title.to_string(), name)
                });
                (n.date, words)
            }),
        }
    }
}

/// The date from which a deadline can no longer enter the closing table's list of the
/// [`LISTED`] soonest: once the list is full, a deadline on or after its last date is left
/// out (the earlier entry in the book keeps its place). The writer lowers it as the list
/// fills; the workers read it to skip copying the title and name of a deadline the list
/// would leave out anyway (a million copies for ten kept). It only ever falls, so a
/// deadline it turns away could never have entered: the table is the same whatever the
/// timing of the threads.
struct Cutoff(AtomicI32);

impl Default for Cutoff {
    fn default() -> Cutoff {
        Cutoff(AtomicI32::new(i32::MAX))
    }
}

impl Cutoff {
    /// A date as a number in the dates' order.
    fn key(d: Date) -> i32 {
        i32::from(d.year()) * 512 + i32::from(d.month()) * 32 + i32::from(d.day())
    }

    /// Whether a deadline on `d` may still enter the list.
    fn admits(&self, d: Date) -> bool {
        Cutoff::key(d) < self.0.load(Ordering::Relaxed)
    }

    /// The list is full and its last deadline falls on `d`.
    fn lower_to(&self, d: Date) {
        self.0.fetch_min(Cutoff::key(d), Ordering::Relaxed);
    }
}

/// The line written for one exchange (`--full` writes `report` instead of the figures).
#[derive(Serialize)]
struct Line<'a> {
    source: &'a str,
    #[serde(flatten)]
    body: Body<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    /// A summary line as serde writes it: [`line::write`] writes the same bytes faster, and
    /// its test compares the two.
    #[cfg(test)]
    Summary(Summary<'a>),
    Full {
        report: &'a Report,
    },
    Unusable {
        unusable: bool,
        errors: &'a [String],
    },
    Valid {
        valid: bool,
    },
}

/// The next deadline that still matters, as the report's status says: none once the verdict
/// settles the exchange as a taxable sale (its deadlines no longer apply) or nothing is open.
fn next_deadline(r: &Report) -> Option<Next<'_>> {
    let s = r.status.as_ref()?;
    let key = s.next.as_deref()?;
    let item = s.items.iter().find(|i| i.milestone.key == key)?;
    Some(Next {
        key,
        title: &item.milestone.title,
        date: item.milestone.date,
        days_left: item.days_left,
    })
}

fn summary(r: &Report) -> Summary<'_> {
    use likekind_core::findings::Severity;
    let count = |sev: Severity| r.findings.iter().filter(|f| f.severity == sev).count();
    Summary {
        name: r.exchange.name.as_deref(),
        taxpayer: &r.exchange.taxpayer,
        as_of: r.exchange.as_of,
        outcome: r.qualification.outcome,
        settled: r.qualification.settled,
        verdict: r.qualification.outcome.words(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        realized_gain: r.gain.realized,
        recognized_gain: r.gain.recognized,
        deferred_gain: r.gain.deferred,
        identification_end: r.deadlines.as_ref().map(|d| d.identification_end),
        exchange_end: r.deadlines.as_ref().map(|d| d.exchange_end),
        next_deadline: next_deadline(r),
    }
}

/// Totals for the closing table, gathered in the book's order.
#[derive(Default)]
struct Totals {
    entries: usize,
    exchange: usize,
    partial: usize,
    /// Exchanges (whole or partial) that still recognize gain: boot (IRC §1031(b)). Counted
    /// apart so that "every property qualifies" is not read as "nothing is taxed".
    with_boot: usize,
    taxable: usize,
    /// Not settled yet (see [`Tally::Analysed`]): counted and summed apart, since their
    /// figures are as entered and can still change.
    in_progress: usize,
    recognized_open: Amount,
    deferred_open: Amount,
    with_error: usize,
    unusable: usize,
    recognized: Amount,
    /// Deferred gains, and deferred losses apart (IRC §1031(c) defers a loss too: netted
    /// together they would understate the gain deferred).
    deferred: Amount,
    deferred_loss: Amount,
    /// The soonest open deadlines: (date, title, exchange, source).
    soonest: Vec<(Date, String, String, String)>,
    unusable_sources: Vec<(String, String)>,
    /// Shared with the workers, lowered as `soonest` fills.
    cutoff: Arc<Cutoff>,
}

impl Totals {
    fn add(&mut self, source: &str, t: Tally) {
        self.entries += 1;
        match t {
            Tally::Unusable(first) => {
                self.unusable += 1;
                if self.unusable_sources.len() < LISTED {
                    self.unusable_sources.push((source.to_string(), first));
                }
            }
            Tally::Parsed => {}
            Tally::Analysed {
                outcome,
                settled,
                error,
                recognized,
                deferred,
                next,
            } => {
                if error {
                    self.with_error += 1;
                }
                if !settled {
                    self.in_progress += 1;
                    self.recognized_open += recognized;
                    self.deferred_open += deferred;
                } else {
                    self.settled(outcome, recognized, deferred);
                }
                // Without words the date is at or after a cutoff already set: it cannot enter.
                if let Some((date, Some((title, name)))) = next {
                    self.keep_soonest(date, title, name, source);
                }
            }
        }
    }

    /// Counts and sums an exchange the verdict has settled.
    fn settled(&mut self, outcome: Outcome, recognized: Amount, deferred: Amount) {
        match outcome {
            Outcome::Exchange => self.exchange += 1,
            Outcome::PartialExchange => self.partial += 1,
            Outcome::TaxableSale => self.taxable += 1,
        }
        if outcome != Outcome::TaxableSale && recognized > Amount::ZERO {
            self.with_boot += 1;
        }
        self.recognized += recognized;
        if deferred < Amount::ZERO {
            self.deferred_loss -= deferred;
        } else {
            self.deferred += deferred;
        }
    }

    /// Keeps the [`LISTED`] soonest deadlines without holding the whole book's.
    fn keep_soonest(&mut self, date: Date, title: String, name: String, source: &str) {
        if self.soonest.len() == LISTED && self.soonest.last().is_some_and(|l| l.0 <= date) {
            return;
        }
        let at = self.soonest.partition_point(|x| x.0 <= date);
        self.soonest
            .insert(at, (date, title, name, source.to_string()));
        self.soonest.truncate(LISTED);
        if self.soonest.len() == LISTED
            && let Some(last) = self.soonest.last()
        {
            self.cutoff.lower_to(last.0);
        }
    }

    fn exit_code(&self) -> ExitCode {
        if self.unusable > 0 {
            ExitCode::from(2)
        } else if self.with_error > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// The closing table, in words.
    fn table(&self, parse_only: bool) -> String {
        use std::fmt::Write as _;
        let usd = likekind_core::money::format_usd;
        let n = |x: usize| group(x);
        let mut o = String::new();
        let usable = self.entries - self.unusable;
        let _ = writeln!(
            o,
            "Checked {} {} ({} usable, {} unusable)",
            n(self.entries),
            if self.entries == 1 {
                "exchange"
            } else {
                "exchanges"
            },
            n(usable),
            n(self.unusable)
        );
        if !parse_only {
            let rows = [
                ("Exchanges (every property qualifies)", self.exchange),
                ("Partial exchanges", self.partial),
                ("  of these, with boot taxed (§1031(b))", self.with_boot),
                ("Taxable sales (nothing qualifies)", self.taxable),
                ("In progress (periods still open)", self.in_progress),
                ("With an error finding", self.with_error),
            ];
            for (label, v) in rows {
                let _ = writeln!(o, "  {label:<38} {:>12}", n(v));
            }
            let money = [
                ("Recognized gain", self.recognized),
                ("Deferred gain", self.deferred),
                ("Deferred loss", self.deferred_loss),
            ];
            for (label, v) in money {
                if label != "Deferred loss" || !v.is_zero() {
                    let _ = writeln!(o, "  {label:<38} {:>12}", usd(v));
                }
            }
            if self.in_progress > 0 {
                let _ = writeln!(
                    o,
                    "  Not counted above: the exchanges in progress, as entered today, recognize {} and defer {}; receiving identified property in time can still change that (IRC §1031(a)(3)).",
                    usd(self.recognized_open),
                    usd(self.deferred_open)
                );
            }
            if !self.soonest.is_empty() {
                let _ = writeln!(o, "Next deadlines:");
                for (date, title, name, source) in &self.soonest {
                    let _ = writeln!(o, "  {:<13} {title}: {name} ({source})", words(*date));
                }
            }
        }
        if !self.unusable_sources.is_empty() {
            let _ = writeln!(o, "Unusable entries:");
            for (source, first) in &self.unusable_sources {
                let _ = writeln!(o, "  {source}: {first}");
            }
            if self.unusable > self.unusable_sources.len() {
                let more = self.unusable - self.unusable_sources.len();
                let _ = writeln!(o, "  … and {} more (see the JSON Lines)", n(more));
            }
        }
        o
    }
}

/// `1,234,567`.
pub(crate) fn group(x: usize) -> String {
    let s = x.to_string();
    let mut o = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            o.push(',');
        }
        o.push(c);
    }
    o
}

/// `Mar 2, 2026`.
fn words(d: Date) -> String {
    likekind_core::money::format_date(d)
}

/// Where the entries come from, read lazily batch by batch.
pub(crate) enum Source {
    Files(std::vec::IntoIter<PathBuf>),
    Lines {
        name: String,
        reader: BufReader<std::fs::File>,
        line: usize,
    },
}

impl Source {
    pub(crate) fn open(book: &Path) -> Result<(Source, u64), UsageError> {
        let meta = std::fs::metadata(book)
            .map_err(|e| UsageError(format!("cannot read {}: {e}", book.display())))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            collect(book, &mut files)?;
            files.sort();
            if files.is_empty() {
                return Err(UsageError(format!(
                    "{} holds no exchange files (.toml or .json)",
                    book.display()
                )));
            }
            let n = files.len() as u64;
            Ok((Source::Files(files.into_iter()), n))
        } else {
            let f = std::fs::File::open(book)
                .map_err(|e| UsageError(format!("cannot read {}: {e}", book.display())))?;
            Ok((
                Source::Lines {
                    name: book.display().to_string(),
                    reader: BufReader::with_capacity(1 << 20, f),
                    line: 0,
                },
                meta.len(),
            ))
        }
    }

    /// The next batch, and how far it moved the progress (files, or bytes of a JSON Lines
    /// file). An empty batch is the end of the book.
    pub(crate) fn batch(&mut self) -> Result<(Vec<Entry>, u64), UsageError> {
        let mut out = Vec::with_capacity(BATCH);
        let mut progress = 0;
        match self {
            Source::Files(files) => {
                for path in files.by_ref().take(BATCH) {
                    progress += 1;
                    let source = path.display().to_string();
                    let format = Format::from_path(&source);
                    // An unreadable file is an unusable entry, reported with the others.
                    let text = std::fs::read(&path)
                        .map_err(|e| format!("cannot read the file: {e}"))
                        .and_then(likekind_core::input::text::utf8);
                    out.push(Entry {
                        source,
                        text,
                        format,
                    });
                }
            }
            Source::Lines { name, reader, line } => {
                while out.len() < BATCH {
                    let mut bytes = Vec::new();
                    let n = reader
                        .read_until(b'\n', &mut bytes)
                        .map_err(|e| UsageError(format!("cannot read {name}: {e}")))?;
                    if n == 0 {
                        break;
                    }
                    progress += n as u64;
                    *line += 1;
                    if *line == 1
                        && let Some(which) = likekind_core::input::text::utf16(&bytes)
                    {
                        // Every line would be unreadable: one message for the book.
                        return Err(UsageError(format!(
                            "cannot read {name}: it is {which} text, not UTF-8 (JSON Lines \
                             is UTF-8): save it as UTF-8 and check it again"
                        )));
                    }
                    // A line that is not UTF-8 is an unusable entry; the rest is still read.
                    let text = likekind_core::input::text::utf8_line(bytes);
                    if text.as_deref().is_ok_and(|t| t.trim().is_empty()) {
                        continue;
                    }
                    out.push(Entry {
                        source: format!("{name}:{line}"),
                        text,
                        format: Format::Json,
                    });
                }
            }
        }
        Ok((out, progress))
    }
}

/// A progress bar on a terminal (files, or bytes of a JSON Lines file); nothing otherwise.
pub(crate) fn progress(source: &Source, len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let template = match source {
        Source::Files(_) => "{bar:40} {pos}/{len} files  {elapsed} (about {eta} left)",
        Source::Lines { .. } => "{bar:40} {bytes}/{total_bytes}  {elapsed} (about {eta} left)",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    // Drawn at once: a short book would otherwise finish before the first redraw.
    bar.tick();
    bar
}

/// Every `.toml` and `.json` file under `dir`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), UsageError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| UsageError(format!("cannot read the folder {}: {e}", dir.display())))?;
    for entry in entries {
        let entry = entry
            .map_err(|e| UsageError(format!("cannot read the folder {}: {e}", dir.display())))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| UsageError(format!("cannot read the folder {}: {e}", dir.display())))?;
        if kind.is_dir() {
            collect(&path, out)?;
        } else if crate::folder::is_exchange_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads one entry: the exchange and the date it is judged at, or what checking it gave
/// already (unusable, or only parsed). The analysis is the caller's, so that the figures are
/// read where they were made instead of being moved into a box.
fn prepare(e: &Entry, as_of: Option<Date>, parse_only: bool) -> Result<(Exchange, Date), Checked> {
    let text = match &e.text {
        Ok(t) => t,
        Err(reason) => return Err(Checked::unusable(reason)),
    };
    match parse_exchange(text, e.format) {
        Err(errs) => Err(Checked::Unusable {
            errors: errs.errors.iter().map(ToString::to_string).collect(),
            first: errs
                .errors
                .first()
                .map(InputError::words)
                .unwrap_or_default(),
        }),
        Ok(_) if parse_only => Err(Checked::Parsed),
        Ok(mut x) => {
            if let Some(d) = as_of {
                x.set_as_of(d);
            }
            // The file's own date (or --as-of) judges it; the clock only when it has none.
            let today = x.exchange.as_of.unwrap_or_else(today_once);
            Ok((x, today))
        }
    }
}

/// Today's date, read from the clock and the time zone once, and only when an exchange has
/// no `as_of` of its own.
fn today_once() -> Date {
    static TODAY: OnceLock<Date> = OnceLock::new();
    *TODAY.get_or_init(today)
}

/// One entry checked by a worker: its tally and its JSON line, ready to write. The same
/// parse and analysis as `likekind analyze`.
/// How many entries a worker reads before it analyses them. Reading and analysing run
/// through different code (the parser's, then every rule's): done one entry at a time, the
/// two take turns in the processor's branch predictor. A run of entries through each phase
/// in turn mispredicts fewer branches (callgrind's branch simulation: 16% fewer; see
/// BENCHMARKS.md, twenty-second pass); the run's exchanges (about a kilobyte each) stay in the
/// data cache.
const RUN: usize = 32;

/// A run of entries checked: each one's tally, and their JSON lines one after the other in
/// one buffer (one allocation for the run instead of one for each line, freed by the writer).
pub(crate) struct Run {
    tallies: Vec<Tally>,
    lines: Vec<u8>,
}

/// Checks a run of entries: all of them read, then each analysed and written (see [`RUN`]).
/// Each exchange is analysed where it was read into the run's list, not moved out of it.
fn work_run(run: &[Entry], a: &Args, cutoff: &Cutoff) -> Run {
    let prepared: Vec<_> = run
        .iter()
        .map(|e| prepare(e, a.as_of, a.parse_only))
        .collect();
    let per_line = if a.full { 32 * 1024 } else { 512 };
    let mut lines = Vec::with_capacity(per_line * run.len());
    let tallies = run
        .iter()
        .zip(&prepared)
        .map(|(e, p)| work(e, p, a, cutoff, &mut lines))
        .collect();
    Run { tallies, lines }
}

/// Checks one entry: writes its JSON line at the end of `out` and returns its tally.
fn work(
    e: &Entry,
    prepared: &Result<(Exchange, Date), Checked>,
    a: &Args,
    cutoff: &Cutoff,
    out: &mut Vec<u8>,
) -> Tally {
    let start = out.len();
    let (written, tally) = match prepared {
        Ok((x, today)) if !a.full => {
            let f = figures(x, *today);
            let written = line::write(out, &e.source, &summary(&f));
            (written, Tally::analysed(&f, cutoff))
        }
        Ok((x, today)) => {
            let c = Checked::Report(Box::new(analyze(x, *today)));
            (write_line(out, &e.source, &c), Tally::of(&c, cutoff))
        }
        Err(c) => (write_line(out, &e.source, c), Tally::of(c, cutoff)),
    };
    if written.is_err() {
        // Serializing into memory fails only on a value JSON cannot hold; say so in the line.
        out.truncate(start);
        let why = Checked::unusable("the report could not be written as JSON");
        let _ = write_line(out, &e.source, &why);
    }
    tally
}

fn write_line(out: &mut Vec<u8>, source: &str, c: &Checked) -> std::io::Result<()> {
    let body = match c {
        Checked::Unusable { errors, .. } => Body::Unusable {
            unusable: true,
            errors,
        },
        Checked::Parsed => Body::Valid { valid: true },
        Checked::Report(r) => Body::Full { report: r },
    };
    serde_json::to_writer(&mut *out, &Line { source, body })?;
    out.write_all(b"\n")
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    if let Some(p) = &a.output {
        crate::output::not_over_the_input(&a.book, p)?;
    }
    let (source, len) = Source::open(&a.book)?;
    let bar = progress(&source, len);
    let out: Box<dyn Write + Send> = match &a.output {
        Some(p) => Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(p)
                .map_err(|e| UsageError(format!("cannot write {}: {e}", p.display())))?,
        )),
        None => Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::io::stdout(),
        )),
    };
    let totals = Totals::default();
    let cutoff = Arc::clone(&totals.cutoff);
    let totals = pipeline(source, out, &bar, totals, |run| work_run(run, &a, &cutoff))?;
    bar.finish_and_clear();
    if totals.entries == 0 {
        // As a folder without exchange files: nothing was checked, which is never a success.
        return Err(empty_book(&a.book).into());
    }
    let table = totals.table(a.parse_only);
    if a.output.is_some() {
        crate::emit(&table, false)?;
    } else {
        for line in table.lines() {
            emit_err(line);
        }
    }
    Ok(totals.exit_code())
}

/// A JSON Lines book with no exchange in it (empty, or only blank lines).
pub(crate) fn empty_book(book: &Path) -> UsageError {
    UsageError(format!(
        "{} holds no exchanges: the file is empty or has only blank lines (a JSON Lines book \
         has one exchange file in JSON per line)",
        book.display()
    ))
}

/// A batch read from the book, with how far it moved the progress.
type ReadBatch = (Vec<Entry>, u64);
/// A batch checked: the entries, their runs checked (tallies and JSON lines), and the progress.
type CheckedBatch = (Vec<Entry>, Vec<Run>, u64);

/// Reading, checking and writing overlap: one thread reads the next batch and one writes the
/// last while every core checks the current one (in the book's order). Run one after the
/// other, the reading and the writing left the cores idle half of the time.
fn pipeline(
    mut source: Source,
    mut out: Box<dyn Write + Send>,
    bar: &ProgressBar,
    mut totals: Totals,
    check: impl Fn(&[Entry]) -> Run + Sync,
) -> anyhow::Result<Totals> {
    use std::sync::mpsc::sync_channel;
    let (read_tx, read_rx) = sync_channel::<ReadBatch>(2);
    let (done_tx, done_rx) = sync_channel::<CheckedBatch>(2);
    std::thread::scope(|s| {
        let reader = s.spawn(move || -> Result<(), UsageError> {
            loop {
                let (batch, moved) = source.batch()?;
                // The checker stops taking batches only when the writer failed.
                if batch.is_empty() || read_tx.send((batch, moved)).is_err() {
                    return Ok(());
                }
            }
        });
        let writer = s.spawn(move || -> Result<Totals, UsageError> {
            let mut closed = false;
            for (batch, checked, moved) in done_rx {
                let mut entries = batch.iter();
                for run in checked {
                    // The run's tallies first: zipped the other way round, the end of the run
                    // would take one entry of the next.
                    for (tally, e) in run.tallies.into_iter().zip(entries.by_ref()) {
                        totals.add(&e.source, tally);
                    }
                    if closed {
                        continue;
                    }
                    if let Err(err) = out.write_all(&run.lines) {
                        if err.kind() != std::io::ErrorKind::BrokenPipe {
                            return Err(UsageError(format!("cannot write the JSON Lines: {err}")));
                        }
                        // The reader has what it wanted; the table still counts the rest.
                        closed = true;
                    }
                }
                bar.inc(moved);
            }
            if !closed {
                if let Err(err) = out.flush() {
                    if err.kind() != std::io::ErrorKind::BrokenPipe {
                        return Err(UsageError(format!("cannot write the JSON Lines: {err}")));
                    }
                }
            }
            Ok(totals)
        });
        for (batch, moved) in read_rx {
            let checked: Vec<Run> = batch.par_chunks(RUN).map(&check).collect();
            if done_tx.send((batch, checked, moved)).is_err() {
                break;
            }
        }
        drop(done_tx);
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the JSON Lines writer stopped unexpectedly"))?;
        let read = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the book reader stopped unexpectedly"))?;
        let totals = written?;
        read?;
        Ok(totals)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QA8 4: an exchange still in progress (its periods open, a taxable sale only as
    /// entered) is counted apart, and its gain is not added to the book's recognized gain.
    #[test]
    fn exchanges_in_progress_are_counted_apart() {
        let mut t = Totals::default();
        let analysed = |settled: bool, outcome: Outcome, recognized: i64| Tally::Analysed {
            outcome,
            settled,
            error: false,
            recognized: Amount::from(recognized),
            deferred: Amount::ZERO,
            next: None,
        };
        t.add("open.toml", analysed(false, Outcome::TaxableSale, 600_000));
        t.add("sold.toml", analysed(true, Outcome::TaxableSale, 100_000));
        let table = t.table(false);
        let row = |label: &str| {
            table
                .lines()
                .find(|l| l.trim_start().starts_with(label))
                .and_then(|l| l.split_whitespace().last())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(row("Taxable sales"), "1", "{table}");
        assert_eq!(row("In progress"), "1", "{table}");
        assert_eq!(row("Recognized gain"), "$100,000.00", "{table}");
        assert!(
            table.contains("as entered today, recognize $600,000.00"),
            "{table}"
        );
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1_234_567), "1,234,567");
    }

    #[test]
    fn dates_in_words() {
        assert_eq!(words(jiff::civil::date(2026, 11, 15)), "Nov 15, 2026");
    }

    #[test]
    fn the_cutoff_keys_follow_the_dates() {
        let days = [
            (2026, 12, 31),
            (2027, 1, 1),
            (2027, 1, 31),
            (2027, 2, 1),
            (9999, 12, 31),
        ];
        let keys: Vec<i32> = days
            .iter()
            .map(|&(y, m, d)| Cutoff::key(jiff::civil::date(y, m, d)))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert!(Cutoff::default().admits(jiff::civil::date(9999, 12, 31)));
    }

    /// Feeds deadlines to the closing table as the workers would (the title and name left
    /// out once the cutoff turns a date away), `lag` entries behind the writer's cutoff.
    fn soonest_of(dates: &[Date], lag: usize) -> Vec<(Date, String, String, String)> {
        let mut totals = Totals::default();
        let cutoff = Arc::clone(&totals.cutoff);
        let mut pending = std::collections::VecDeque::new();
        for (k, &date) in dates.iter().enumerate() {
            let words = cutoff
                .admits(date)
                .then(|| (format!("deadline {k}"), format!("exchange {k}")));
            pending.push_back((
                format!("book:{k}"),
                Tally::Analysed {
                    outcome: Outcome::Exchange,
                    settled: true,
                    error: false,
                    recognized: Amount::ZERO,
                    deferred: Amount::ZERO,
                    next: Some((date, words)),
                },
            ));
            while pending.len() > lag {
                if let Some((source, t)) = pending.pop_front() {
                    totals.add(&source, t);
                }
            }
        }
        for (source, t) in pending {
            totals.add(&source, t);
        }
        totals.soonest
    }

    proptest::proptest! {
        /// The list is the ten soonest deadlines, the earlier entry first on the same day,
        /// however far the workers run ahead of the writer.
        #[test]
        fn the_cutoff_leaves_the_list_as_it_was(
            days in proptest::collection::vec(0i32..60, 0..80),
            lag in 0usize..20,
        ) {
            let start = jiff::civil::date(2026, 1, 1);
            let dates: Vec<Date> = days
                .iter()
                .map(|&d| likekind_core::calendar::add_days(start, d))
                .collect();
            let mut expected: Vec<(Date, usize)> =
                dates.iter().copied().enumerate().map(|(k, d)| (d, k)).collect();
            expected.sort_by_key(|&(d, k)| (d, k));
            expected.truncate(LISTED);
            let got: Vec<(Date, String)> = soonest_of(&dates, lag)
                .into_iter()
                .map(|(d, _, _, source)| (d, source))
                .collect();
            let want: Vec<(Date, String)> =
                expected.into_iter().map(|(d, k)| (d, format!("book:{k}"))).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// What serde_json writes for the derived form of the same line.
    fn by_serde(source: &str, s: Summary) -> Vec<u8> {
        let mut v = Vec::new();
        let line = Line {
            source,
            body: Body::Summary(s),
        };
        serde_json::to_writer(&mut v, &line).unwrap_or_else(|e| panic!("{e}"));
        v.push(b'\n');
        v
    }

    fn summary<'a>(
        name: Option<&'a str>,
        taxpayer: &'a str,
        dates: [Date; 3],
        money: [Amount; 3],
        next: Option<Next<'a>>,
    ) -> Summary<'a> {
        Summary {
            name,
            taxpayer,
            as_of: dates[0],
            outcome: Outcome::PartialExchange,
            settled: next.is_none(),
            verdict: Outcome::PartialExchange.words(),
            errors: 3,
            warnings: 12_345,
            realized_gain: money[0],
            recognized_gain: money[1],
            deferred_gain: money[2],
            identification_end: Some(dates[1]),
            exchange_end: Some(dates[2]),
            next_deadline: next,
        }
    }

    #[test]
    fn the_same_bytes_as_the_derived_form() {
        let odd = "Smith \"Jr.\" \\ tab\there\nline — café \u{1}\u{7f} 🏠";
        let dates = [
            [
                jiff::civil::date(2026, 12, 3),
                jiff::civil::date(2026, 1, 9),
                jiff::civil::date(2099, 10, 31),
            ],
            [Date::MIN, jiff::civil::date(-1, 12, 31), Date::MAX],
            [
                jiff::civil::date(0, 1, 1),
                jiff::civil::date(9999, 12, 31),
                jiff::civil::date(1000, 6, 5),
            ],
        ];
        let money = [
            [
                likekind_core::amt!(1250000),
                likekind_core::amt!(-5),
                likekind_core::amt!(0.005),
            ],
            [
                likekind_core::amt!(-0.004),
                likekind_core::amt!(99999999999.999),
                likekind_core::amt!(0.1),
            ],
            [
                likekind_core::amt!(-1234.5),
                likekind_core::amt!(0),
                likekind_core::amt!(-0.005),
            ],
            [Amount::MAX, Amount::MIN, Amount::from(dec!(1e-28))],
        ];
        let next = [
            None,
            Some(Next {
                key: "exchange_end",
                title: odd,
                date: jiff::civil::date(2027, 2, 28),
                days_left: -7,
            }),
            Some(Next {
                key: "identification_end",
                title: "1031: identification period ends (day 45)",
                date: Date::MAX,
                days_left: i32::MAX,
            }),
        ];
        let mut n = 0;
        for name in [None, Some("Exchange 1"), Some(odd)] {
            for d in dates {
                for m in money {
                    for x in &next {
                        let s = || summary(name, odd, d, m, x.clone());
                        let mut mine = Vec::new();
                        line::write(&mut mine, odd, &s()).unwrap_or_else(|e| panic!("{e}"));
                        assert_eq!(
                            String::from_utf8_lossy(&mine),
                            String::from_utf8_lossy(&by_serde(odd, s())),
                        );
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 108);
    }
}
