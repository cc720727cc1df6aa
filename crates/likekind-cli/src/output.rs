//! Files the CLI writes for people to keep: whole or not at all.

use crate::UsageError;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file in the same folder that is flushed to
/// disk and then renamed over `path`, so a full disk or an interrupted run never leaves a
/// half-written paper where the old one was (a rename within one folder is atomic).
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), UsageError> {
    let fail = |e: std::io::Error| UsageError(format!("cannot write {}: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".likekind-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn replaces_the_old_file_whole_and_leaves_no_temporary_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.pdf");
        std::fs::write(&p, b"old paper, longer than the new one").unwrap();
        write_whole(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(d.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the paper remains");
    }

    #[test]
    fn a_missing_folder_is_named_and_nothing_is_written() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("no-such-folder").join("r.pdf");
        let e = write_whole(&p, b"x").unwrap_err();
        assert!(
            e.0.contains("cannot write") && e.0.contains("r.pdf"),
            "{}",
            e.0
        );
        assert!(!p.exists());
    }
}
