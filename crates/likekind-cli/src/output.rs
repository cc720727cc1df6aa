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

/// Whether `a` and `b` name the same existing file: the same device and inode on Unix, so a
/// hard link, a symbolic link or another spelling of the path counts too.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Refuses an output that would destroy what the command reads: the input file itself, or,
/// for a folder of exchange files, a `.toml` / `.json` file inside it (it would be read as
/// one of the book's files, half-written). A user's book is not a scratch file.
///
/// # Errors
/// A usage error naming the output and why.
pub fn not_over_the_input(input: &Path, output: &Path) -> Result<(), UsageError> {
    if same_file(input, output) {
        return Err(UsageError(format!(
            "{} is the file being read: writing there would destroy it; choose another \
             output file",
            output.display()
        )));
    }
    if input.is_dir() && crate::folder::is_exchange_file(output) {
        let dir = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let (Ok(book), Ok(dir)) = (std::fs::canonicalize(input), std::fs::canonicalize(dir))
            && dir.starts_with(&book)
        {
            return Err(UsageError(format!(
                "{} is inside the folder being read and would be read as one of its exchange \
                 files; choose a file outside it, or one not ending in .toml or .json",
                output.display()
            )));
        }
    }
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
    fn the_input_is_never_the_output() {
        let d = tempfile::tempdir().unwrap();
        let book = d.path().join("book.jsonl");
        std::fs::write(&book, b"{}\n").unwrap();
        let spelled = d.path().join(".").join("book.jsonl");
        let e = not_over_the_input(&book, &spelled).unwrap_err();
        assert!(e.0.contains("is the file being read"), "{}", e.0);
        #[cfg(unix)]
        {
            let link = d.path().join("link.jsonl");
            std::os::unix::fs::symlink(&book, &link).unwrap();
            assert!(not_over_the_input(&book, &link).is_err());
        }
        assert!(not_over_the_input(&book, &d.path().join("out.jsonl")).is_ok());

        let folder = d.path().join("folder");
        std::fs::create_dir_all(folder.join("sub")).unwrap();
        let e = not_over_the_input(&folder, &folder.join("sub").join("out.JSON")).unwrap_err();
        assert!(e.0.contains("inside the folder being read"), "{}", e.0);
        assert!(not_over_the_input(&folder, &folder.join("out.jsonl")).is_ok());
        assert!(not_over_the_input(&folder, &d.path().join("out.json")).is_ok());
        assert_eq!(
            std::fs::read(&book).unwrap(),
            b"{}\n",
            "nothing was written"
        );
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
