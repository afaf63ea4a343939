//! Finding the corpus files under the roots the user named: which roots are refused, and a walk
//! that never leaves them.
//!
//! A root must exist (a mistyped path is an error before anything is written) and must not be
//! the whole file system, the home folder or a system folder: one wrong line in a project file
//! or the editor's settings would otherwise walk the disk. The walk follows symbolic links only
//! while they lead inside the roots (a link to `/` or `/proc/self` is noted and not entered), and
//! it counts every entry it sees, folders and other files included, against a limit, so no tree
//! can keep it going for minutes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::{megabytes, mtime_ns, CorpusError, CorpusNote, Limits, ListedFile, Listing};
use crate::prose::Format;

/// Folders refused as a root and everything under them: their files are made up by the kernel
/// (they never end, or block) or are devices.
#[cfg(unix)]
const PSEUDO_FOLDERS: &[&str] = &["/proc", "/sys", "/dev"];
#[cfg(not(unix))]
const PSEUDO_FOLDERS: &[&str] = &[];

/// Folders refused as a root themselves (a folder below one, such as `/usr/share/doc`, is the
/// user's choice): the system's own files, or every user's.
#[cfg(unix)]
const SYSTEM_FOLDERS: &[&str] = &[
    "/bin", "/boot", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/root", "/run", "/sbin", "/srv", "/usr",
    "/var", "/Applications", "/Library", "/System", "/Users", "/Volumes", "/private",
];
#[cfg(not(unix))]
const SYSTEM_FOLDERS: &[&str] = &[];

/// Entries (files, folders, links) a walk may see for each file `max-files` allows.
pub const ENTRIES_PER_FILE: usize = 10;

/// Checks that every root exists and may be walked, and returns each one's real path (symbolic
/// links resolved). Nothing is written before this passes.
pub fn check_roots(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CorpusError> {
    let home = dirs::home_dir().and_then(|h| std::fs::canonicalize(h).ok());
    paths
        .iter()
        .map(|path| {
            let real = std::fs::canonicalize(path).map_err(|source| match source.kind() {
                std::io::ErrorKind::NotFound => CorpusError::Missing { path: path.display().to_string() },
                _ => CorpusError::Io { path: path.display().to_string(), source },
            })?;
            match refused(&real, home.as_deref()) {
                Some(what) => Err(CorpusError::RefusedRoot { path: path.display().to_string(), what }),
                None => Ok(real),
            }
        })
        .collect()
}

/// Why the folder `real` (a resolved path) cannot be walked for a corpus, if it cannot: the
/// whole file system, the home folder or a system folder.
pub fn refusal(real: &Path) -> Option<&'static str> {
    let home = dirs::home_dir().and_then(|h| std::fs::canonicalize(h).ok());
    refused(real, home.as_deref())
}

fn refused(real: &Path, home: Option<&Path>) -> Option<&'static str> {
    if real.parent().is_none() {
        return Some("the whole file system");
    }
    if home == Some(real) {
        return Some("the home folder");
    }
    let system = PSEUDO_FOLDERS.iter().any(|folder| real.starts_with(folder)) || SYSTEM_FOLDERS.iter().any(|folder| real == Path::new(folder));
    system.then_some("a system folder")
}

/// Lists every supported file under `paths` (files or directories, walked with ignore rules,
/// hidden folders such as `.copydesk/` left out) within `limits`. Files that cannot be used (too
/// large, not regular, behind a symlink that leaves the roots, vanished) are left out with a
/// note; a missing or refused root, too many files or too many entries stop the listing.
pub fn list_files(paths: &[PathBuf], limits: &Limits) -> Result<Listing, CorpusError> {
    let roots = Arc::new(check_roots(paths)?);
    let mut files = Vec::new();
    let mut listing = Listing::default();
    let note = |path: &Path, message: String| CorpusNote { path: path.display().to_string(), message };
    let max_entries = limits.max_files.saturating_mul(ENTRIES_PER_FILE);
    let mut entries = 0usize;
    // Links that lead outside the roots, found as the walk decides whether to follow them.
    let left_out: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    for root in paths {
        if root.is_file() {
            if Format::from_path(&root.to_string_lossy()).is_some() {
                files.push(root.clone());
            } else {
                listing.skipped += 1;
            }
            continue;
        }
        let inside_roots = roots.clone();
        let left_out_here = left_out.clone();
        // Only links cost a system call: the real path of anything else below a folder that
        // is inside the roots is inside them too.
        let walker = ignore::WalkBuilder::new(root)
            .follow_links(true)
            .filter_entry(move |entry| {
                if !entry.path_is_symlink() {
                    return true;
                }
                let inside = std::fs::canonicalize(entry.path()).is_ok_and(|real| inside_roots.iter().any(|r| real.starts_with(r)));
                if !inside {
                    if let Ok(mut left_out) = left_out_here.lock() {
                        left_out.push(entry.path().to_path_buf());
                    }
                }
                inside
            })
            .build();
        for entry in walker {
            entries += 1;
            if entries > max_entries {
                return Err(CorpusError::TooManyEntries { path: root.display().to_string(), limit: max_entries });
            }
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    // Loops, unreadable folders, entries that vanished: note and go on.
                    listing.notes.push(note(root, format!("skipped: {err}")));
                    continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.into_path();
            if Format::from_path(&path.to_string_lossy()).is_none() {
                listing.skipped += 1;
                continue;
            }
            files.push(path);
            if files.len() > limits.max_files {
                return Err(CorpusError::TooManyFiles { path: root.display().to_string(), limit: limits.max_files });
            }
        }
    }
    let mut left_out = std::mem::take(&mut *left_out.lock().unwrap_or_else(|e| e.into_inner()));
    left_out.sort();
    left_out.dedup();
    for path in left_out {
        listing.notes.push(note(&path, "skipped: a symbolic link that leads outside the corpus".into()));
    }
    // Byte order, not path-component order: as deterministic and much cheaper on large trees.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    files.dedup();
    // Stat calls in parallel: on a large archive they are most of a warm start.
    let stats: Vec<(PathBuf, std::io::Result<std::fs::Metadata>)> = files.into_par_iter().map(|path| {
        let meta = std::fs::metadata(&path);
        (path, meta)
    }).collect();
    for (path, meta) in stats {
        match meta {
            Ok(meta) if meta.len() > limits.max_file_bytes => listing.notes.push(note(
                &path,
                format!("skipped: {} MB is over the {} MB file size limit", megabytes(meta.len()), megabytes(limits.max_file_bytes)),
            )),
            Ok(meta) if !meta.is_file() => listing.notes.push(note(&path, "skipped: not a regular file".into())),
            Ok(meta) => listing.files.push(ListedFile { size: meta.len(), mtime_ns: mtime_ns(&meta), path }),
            Err(err) => listing.notes.push(note(&path, format!("skipped: {err}"))),
        }
    }
    Ok(listing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_system_root_home_and_system_folders_are_refused() {
        let home = Path::new("/home/someone");
        assert_eq!(refused(Path::new("/"), Some(home)), Some("the whole file system"));
        assert_eq!(refused(home, Some(home)), Some("the home folder"));
        if cfg!(unix) {
            for folder in ["/proc", "/proc/self", "/sys/class", "/dev", "/dev/zero", "/usr", "/etc", "/bin", "/var", "/home"] {
                assert_eq!(refused(Path::new(folder), Some(home)), Some("a system folder"), "{folder}");
            }
        }
        for folder in ["/home/someone/sources", "/usr/share/doc", "/tmp/corpus", "/srv/www/articles"] {
            assert_eq!(refused(Path::new(folder), Some(home)), None, "{folder}");
        }
    }
}
