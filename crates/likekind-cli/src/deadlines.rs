//! `likekind deadlines`: the quick calculator (issue 3, in progress).

use crate::UsageError;
use clap::Args as ClapArgs;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Date the (first) relinquished property was transferred (YYYY-MM-DD).
    #[arg(long)]
    pub transferred: jiff::civil::Date,
}

pub fn run(_a: Args) -> anyhow::Result<ExitCode> {
    Err(UsageError("`likekind deadlines` is not available in this build yet".into()).into())
}
