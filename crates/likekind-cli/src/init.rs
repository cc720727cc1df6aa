//! `likekind init [PATH]`: writes a commented example exchange file.

use crate::UsageError;
use clap::Args as ClapArgs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Where to write the example (default: exchange.toml). Use `-` for standard output.
    #[arg(default_value = "exchange.toml")]
    pub path: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// The example: the contract's own example exchange, commented field by field.
pub const EXAMPLE: &str = include_str!("../../../examples/contract-example.toml");

pub fn run(a: Args) -> anyhow::Result<ExitCode> {
    if a.path.as_os_str() == "-" {
        crate::emit(EXAMPLE, false)?;
        return Ok(ExitCode::SUCCESS);
    }
    if a.path.exists() && !a.force {
        return Err(UsageError(format!(
            "{} already exists; use --force to overwrite it",
            a.path.display()
        ))
        .into());
    }
    std::fs::write(&a.path, EXAMPLE)
        .map_err(|e| UsageError(format!("cannot write {}: {e}", a.path.display())))?;
    crate::emit_err(&format!(
        "wrote {}; analyse it with: likekind analyze {} --explain",
        a.path.display(),
        a.path.display()
    ));
    Ok(ExitCode::SUCCESS)
}
