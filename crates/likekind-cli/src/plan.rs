//! `likekind plan`: the strategy planner (issue 5, in progress).

use crate::UsageError;
use clap::Args as ClapArgs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// The exchange file (.toml or .json).
    pub file: PathBuf,
}

pub fn run(_a: Args) -> anyhow::Result<ExitCode> {
    Err(UsageError("`likekind plan` is not available in this build yet".into()).into())
}
