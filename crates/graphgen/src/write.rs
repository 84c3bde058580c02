//! Write: put generated files on disk, touching only what changed.
//!
//! The generator owns its output folder: it writes files whose contents differ, removes
//! generated files it no longer produces (only files that carry the generated header or
//! are listed as generated), and in check mode writes nothing and reports what is stale.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The files a run produces: path relative to the output folder → contents.
pub type FileSet = BTreeMap<PathBuf, String>;

/// What a write (or check) did to one file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A new file.
    Created(PathBuf),
    /// An existing file with new contents.
    Updated(PathBuf),
    /// A generated file that is no longer produced.
    Removed(PathBuf),
}

impl Change {
    /// The file concerned.
    pub fn path(&self) -> &Path {
        match self {
            Change::Created(p) | Change::Updated(p) | Change::Removed(p) => p,
        }
    }
}

/// Compares `files` with the output folder and, unless `check`, brings it up to date.
/// `owned` says which existing files are generated (and so may be removed).
/// Returns the changes (made, or that would be made in check mode), sorted.
pub fn sync(
    output: &Path,
    files: &FileSet,
    owned: impl Fn(&Path, &str) -> bool,
    check: bool,
) -> std::io::Result<Vec<Change>> {
    // For the test that a run stopped midway leaves no half-written file: the environment
    // can make the run fail after a number of writes, as if it were killed.
    let fail_after: Option<usize> = std::env::var("GRAPHGEN_FAIL_AFTER_WRITES")
        .ok()
        .and_then(|n| n.parse().ok());
    let writes = std::sync::atomic::AtomicUsize::new(0);
    // Files are independent: compare and write them in parallel.
    let written: std::io::Result<Vec<Option<Change>>> = files
        .par_iter()
        .map(|(relative, contents)| {
            let path = output.join(relative);
            let contents = normalize_newlines(contents);
            let change = match std::fs::read(&path) {
                Ok(old) if old == contents.as_bytes() => return Ok(None),
                Ok(_) => Change::Updated(relative.clone()),
                Err(_) => Change::Created(relative.clone()),
            };
            if !check {
                let done = writes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if fail_after.is_some_and(|limit| done >= limit) {
                    return Err(std::io::Error::other(format!(
                        "stopped after {limit} writes (GRAPHGEN_FAIL_AFTER_WRITES)",
                        limit = fail_after.unwrap_or_default()
                    )));
                }
                write_atomic(&path, contents.as_bytes())?;
            }
            Ok(Some(change))
        })
        .collect();
    let mut changes: Vec<Change> = written?.into_iter().flatten().collect();
    for relative in existing_files(output)? {
        if files.contains_key(&relative) {
            continue;
        }
        let path = output.join(&relative);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if owned(&relative, &text) {
            changes.push(Change::Removed(relative));
            if !check {
                std::fs::remove_file(&path)?;
            }
        }
    }
    changes.sort();
    Ok(changes)
}

/// Whether a file's text on disk is `generated`, as [`sync`] would write it.
pub fn same_text(on_disk: &str, generated: &str) -> bool {
    on_disk == generated || on_disk == normalize_newlines(generated)
}

fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n")
    } else {
        s.to_string()
    }
}

/// Writes through a temporary file in the same folder and renames it into place, so that
/// an interrupted run leaves either the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    std::fs::write(&temp, contents)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// A file of an output folder as the file system describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Relative to the folder.
    pub path: PathBuf,
    /// Size in bytes.
    pub len: u64,
    /// Modification time, in nanoseconds since the epoch (0 where the OS does not tell).
    pub modified: u128,
}

/// Every file below `root` that [`sync`] would consider, sorted, with its size and
/// modification time.
pub fn listing(root: &Path) -> std::io::Result<Vec<Listed>> {
    existing_files(root)?
        .into_iter()
        .map(|path| {
            let meta = std::fs::metadata(root.join(&path))?;
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            Ok(Listed {
                path,
                len: meta.len(),
                modified,
            })
        })
        .collect()
}

/// Every file below `root`, relative to it, skipping `target` folders and dot files.
fn existing_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if root.is_dir() {
        collect(root, root, &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name == "target" {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_path_buf());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("graphgen-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn unchanged_file_is_not_rewritten() {
        let dir = temp_dir("unchanged");
        let mut files = FileSet::new();
        files.insert(PathBuf::from("a/b.rs"), "fn main() {}\n".into());
        let first = sync(&dir, &files, |_, _| true, false).unwrap();
        assert_eq!(first, [Change::Created(PathBuf::from("a/b.rs"))]);
        let modified = std::fs::metadata(dir.join("a/b.rs"))
            .unwrap()
            .modified()
            .unwrap();
        let second = sync(&dir, &files, |_, _| true, false).unwrap();
        assert!(second.is_empty());
        let again = std::fs::metadata(dir.join("a/b.rs"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(modified, again);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn check_mode_writes_nothing_and_names_stale_files() {
        let dir = temp_dir("check");
        std::fs::write(dir.join("old.rs"), "// @generated\n").unwrap();
        std::fs::write(dir.join("mine.rs"), "hand written\n").unwrap();
        let mut files = FileSet::new();
        files.insert(PathBuf::from("new.rs"), "x".into());
        let owned = |_: &Path, text: &str| text.starts_with("// @generated");
        let changes = sync(&dir, &files, owned, true).unwrap();
        assert_eq!(
            changes,
            [
                Change::Created(PathBuf::from("new.rs")),
                Change::Removed(PathBuf::from("old.rs")),
            ]
        );
        assert!(!dir.join("new.rs").exists());
        assert!(dir.join("old.rs").exists());
        sync(&dir, &files, owned, false).unwrap();
        assert!(!dir.join("old.rs").exists());
        assert!(dir.join("mine.rs").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
