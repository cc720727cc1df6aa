//! `likekind serve`: the tracker server (issue 6, in progress).

use crate::UsageError;
use clap::Args as ClapArgs;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Database URL: sqlite://PATH or postgres://... (default: an embedded SQLite file).
    #[arg(long)]
    pub db: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8031")]
    pub bind: String,
}

pub fn run(_a: Args) -> anyhow::Result<ExitCode> {
    Err(UsageError("`likekind serve` is not available in this build yet".into()).into())
}
