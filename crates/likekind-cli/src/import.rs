//! `likekind import BOOK --db URL --as EMAIL`: loads a book of exchanges into the tracker in
//! bulk. Each entry is validated by the engine as the API validates one, summarized in
//! parallel, and stored in batches (one transaction each) with the same row, summary and
//! audit entry as `POST /api/exchanges`. Each stored exchange is remembered by a hash of its
//! name and validated file, so an interrupted import run again skips what it stored and
//! never makes a duplicate; an entry named as an exchange already in the firm (most often one
//! imported before, with a fact corrected since) is listed and not imported unless
//! `--allow-same-name` says the book means another exchange; a batch another writer got in the way of (a second import of the
//! same book, or a server writing to the same SQLite file) is tried again by the store. Unusable entries (not read as an exchange file) are reported by
//! file (and line) and skipped; an entry that reads but that the tracker refuses by a rule, one
//! recording a purchase closing after today (the firm's today, as the server judges it: a
//! purchase is recorded once it has closed, as the API refuses it), is counted and listed apart
//! as refused, in the API's words, and skipped too.

use crate::check::{BATCH, Entry, Source, group, progress};
use crate::{UsageError, emit_err};
use anyhow::Context;
use clap::Args as ClapArgs;
use jiff::civil::Date;
use likekind_core::parse_exchange;
use likekind_server::exchanges::check_closings_not_after_today;
use likekind_server::notify::zone;
use likekind_store::{Actor, Imported, Role, SameName, Store};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// A folder of exchange files (.toml, .json; searched recursively) or a JSON Lines file
    /// with one exchange file in JSON per line.
    pub book: PathBuf,
    /// Database URL: sqlite://PATH or postgres://... (as `likekind serve --db`; default: the
    /// embedded SQLite file `serve` uses).
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// The e-mail of the staff member (administrator, coordinator or preparer) the exchanges
    /// are opened by, in their firm; the audit log names them.
    #[arg(long = "as", value_name = "EMAIL")]
    pub as_user: String,
    /// Store an entry even when an exchange of the same name is already in the firm (or
    /// earlier in the book), as another exchange. Without it such an entry is listed and not
    /// imported: most often it is an exchange already imported with a fact corrected since,
    /// which stored again would be a second exchange for one sale (correct the first one in
    /// the tracker instead).
    #[arg(long)]
    pub allow_same_name: bool,
}

/// One entry after validation: stored, or why not.
enum Prepared {
    Ready(Box<Imported>),
    /// Read as an exchange file, but refused by a rule of the tracker: why, in words.
    Refused(String),
    /// Not read as an exchange file: why.
    Unusable(String),
}

/// The longest exchange name the tracker takes (as the API's `name` rule).
const NAME_MAX: usize = 200;

fn prepare(e: &Entry, today: Date) -> Prepared {
    let text = match &e.text {
        Ok(t) => t,
        Err(reason) => return Prepared::Unusable(reason.clone()),
    };
    let file = match parse_exchange(text, e.format) {
        Ok(x) => x.into_file(),
        // In words, as the refused ones: no field path, no rule code.
        Err(errs) => {
            let all: Vec<String> = errs.errors.iter().map(|x| sentence(x.words())).collect();
            return Prepared::Unusable(all.join(" "));
        }
    };
    // The API's rule and its words (each names the purchase, its date and today).
    if let Err(refused) = check_closings_not_after_today(None, &file, today) {
        let all: Vec<&str> = refused
            .detail
            .fields
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        return Prepared::Refused(all.join(" "));
    }
    let Ok(json) = serde_json::to_string(&file) else {
        return Prepared::Unusable("the exchange could not be written as JSON".into());
    };
    let name: String = file
        .exchange
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(e.source.as_str())
        .chars()
        .take(NAME_MAX)
        .collect();
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0]);
    h.update(json.as_bytes());
    let key = h
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let summary = likekind_store::summary::summarize(&json, Imported::PHASE);
    Prepared::Ready(Box::new(Imported {
        key,
        name,
        file: json,
        summary,
    }))
}

/// `s` closed as a sentence (a full stop unless it ends with one), so that several read one
/// after the other.
fn sentence(mut s: String) -> String {
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    s
}

/// The firm's today as the server judges it: in the firm's time zone, else the server's
/// (`LIKEKIND_TIME_ZONE`, as `likekind serve` reads it), else UTC.
async fn firm_today(store: &Store, firm_id: &str) -> anyhow::Result<Date> {
    let default = match std::env::var("LIKEKIND_TIME_ZONE") {
        Ok(n) if !n.trim().is_empty() => {
            zone::parse(n.trim()).map_err(|m| UsageError(format!("LIKEKIND_TIME_ZONE: {m}")))?
        }
        _ => jiff::tz::TimeZone::UTC,
    };
    let setting = store.firm_notify_settings(firm_id).await?.time_zone;
    Ok(zone::today_in(&zone::of_setting(
        setting.as_deref(),
        &default,
    )))
}

/// How many entries of each kind not imported the closing summary lists.
const LISTED: usize = 20;

/// Lists entries not imported under `heading`, each by its source (file, and line) with why:
/// the first [`LISTED`], then how many more.
fn listed(out: &mut String, heading: &str, entries: &[(String, String)]) {
    if entries.is_empty() {
        return;
    }
    out.push_str(heading);
    out.push('\n');
    for (source, why) in entries.iter().take(LISTED) {
        out.push_str(&format!("  {source}: {why}\n"));
    }
    if entries.len() > LISTED {
        out.push_str(&format!("  … and {} more\n", group(entries.len() - LISTED)));
    }
}

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    let url = crate::serve::db_url(a.db.as_deref())?;
    let (mut source, len) = Source::open(&a.book)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    rt.block_on(async move {
        let store = Store::open(&url)
            .await
            .with_context(|| format!("cannot open the database {}", crate::serve::redact(&url)))?;
        let email = a.as_user.trim().to_ascii_lowercase();
        let Some((user, _)) = store.user_for_login(&email).await? else {
            return Err(UsageError(format!(
                "--as: no user with the e-mail {} in this database",
                a.as_user
            ))
            .into());
        };
        if !matches!(user.role, Role::Admin | Role::Coordinator | Role::Preparer) {
            return Err(UsageError(format!(
                "--as: {} is a client; exchanges are opened by an administrator, coordinator or preparer",
                a.as_user
            ))
            .into());
        }
        let actor = Actor {
            firm_id: user.firm_id.clone(),
            user_id: user.id.clone(),
        };
        let today = firm_today(&store, &actor.firm_id).await?;
        let bar = progress(&source, len);
        let (mut created, mut skipped) = (0usize, 0usize);
        let (mut refused, mut unusable, mut same) = (Vec::new(), Vec::new(), Vec::new());
        let same_name = if a.allow_same_name {
            SameName::Allow
        } else {
            SameName::Refuse
        };
        loop {
            let (batch, moved) = source.batch()?;
            if batch.is_empty() {
                break;
            }
            let prepared: Vec<Prepared> = batch.par_iter().map(|e| prepare(e, today)).collect();
            let (mut ready, mut sources) = (Vec::with_capacity(BATCH), Vec::with_capacity(BATCH));
            for (e, p) in batch.iter().zip(prepared) {
                match p {
                    Prepared::Ready(i) => {
                        ready.push(*i);
                        sources.push(&e.source);
                    }
                    Prepared::Refused(why) => refused.push((e.source.clone(), why)),
                    Prepared::Unusable(why) => unusable.push((e.source.clone(), why)),
                }
            }
            // Stored in transactions of a few hundred: a crash loses at most the open one,
            // and the next run redoes it.
            for (chunk, from) in ready.chunks(500).zip(sources.chunks(500)) {
                let c = store.import_exchanges(&actor, chunk, same_name).await?;
                created += c.created;
                skipped += c.skipped;
                for place in c.same_name {
                    let name = &chunk[place].name;
                    same.push((
                        from[place].clone(),
                        format!("an exchange named “{name}” is already in the firm"),
                    ));
                }
            }
            bar.inc(moved);
        }
        bar.finish_and_clear();
        if created + skipped + refused.len() + unusable.len() + same.len() == 0 {
            return Err(crate::check::empty_book(&a.book).into());
        }
        let mut out = format!(
            "Imported {} {} into the firm as {} ({} already there, {} refused, {} unusable{})\n",
            group(created),
            if created == 1 { "exchange" } else { "exchanges" },
            a.as_user,
            group(skipped),
            group(refused.len()),
            group(unusable.len()),
            if same.is_empty() {
                String::new()
            } else {
                format!(", {} named as an exchange already in the firm", group(same.len()))
            }
        );
        listed(
            &mut out,
            "Not imported, named as an exchange already in the firm (correct that exchange in the tracker; or, if the book means another exchange of the same name, run the import again with --allow-same-name):",
            &same,
        );
        listed(
            &mut out,
            "Refused (they read, but a rule of the tracker does not take them):",
            &refused,
        );
        listed(
            &mut out,
            "Unusable (they could not be read as exchange files):",
            &unusable,
        );
        crate::emit(&out, false)?;
        let mut why = Vec::new();
        if !same.is_empty() {
            why.push("named as an exchange already in the firm");
        }
        if !refused.is_empty() {
            why.push("refused by the tracker");
        }
        if !unusable.is_empty() {
            why.push("unusable");
        }
        if why.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        emit_err(&format!(
            "error: some entries of the book are {} and were not imported",
            why.join(" or ")
        ));
        Ok(ExitCode::from(2))
    })
}
