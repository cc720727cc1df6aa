//! The reports of every example, byte for byte: the JSON report, the text report with its
//! explanation and the plan (JSON) of every file in `examples/` and in `tests/verdict_files/`,
//! as of a fixed date, compared with the files in `tests/reports/`.
//!
//! A refactoring of the engine must leave every byte of these as it was. A change that means
//! to change a report regenerates them and shows the difference in review:
//! `LIKEKIND_BLESS=1 cargo test -p likekind-cli --test reports`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The report date of every run: fixed, so the status lines do not age.
const AS_OF: &str = "2026-11-25";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every example file, as a path from the workspace root.
fn files() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["examples", "crates/likekind-cli/tests/verdict_files"] {
        for e in std::fs::read_dir(root().join(dir)).expect("read dir") {
            let name = e.expect("entry").file_name().to_string_lossy().to_string();
            if name.ends_with(".toml") || name.ends_with(".json") {
                out.push(format!("{dir}/{name}"));
            }
        }
    }
    out.sort();
    out
}

/// What the binary writes for `args`, with its exit status on a last line.
fn output(args: &[&str]) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_likekind"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run likekind");
    let mut out = o.stdout;
    out.extend_from_slice(format!("-- exit {:?}\n", o.status.code()).as_bytes());
    out
}

#[test]
fn every_report_is_as_recorded() {
    let bless = std::env::var_os("LIKEKIND_BLESS").is_some();
    let dir = root().join("crates/likekind-cli/tests/reports");
    let mut differ = Vec::new();
    let files = files();
    assert!(
        files.len() >= 30,
        "expected the examples, found {}",
        files.len()
    );
    for file in &files {
        let stem = Path::new(file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let runs: [(&str, Vec<&str>); 3] = [
            (
                "json",
                vec!["analyze", file, "--as-of", AS_OF, "--format", "json"],
            ),
            ("txt", vec!["analyze", file, "--as-of", AS_OF, "--explain"]),
            (
                "plan.json",
                vec!["plan", file, "--as-of", AS_OF, "--format", "json"],
            ),
        ];
        for (ext, args) in runs {
            let got = output(&args);
            let path = dir.join(format!("{stem}.{ext}"));
            if bless {
                std::fs::write(&path, &got).expect("write");
                continue;
            }
            match std::fs::read(&path) {
                Ok(want) if want == got => {}
                Ok(_) => differ.push(format!(
                    "{} differs from `likekind {}`",
                    path.display(),
                    args.join(" ")
                )),
                Err(_) => differ.push(format!("{} is missing", path.display())),
            }
        }
    }
    assert!(
        differ.is_empty(),
        "reports changed:\n{}\nIf the change is meant, regenerate with LIKEKIND_BLESS=1 cargo test -p likekind-cli --test reports and review the diff.",
        differ.join("\n")
    );
}
