//! The folder an on-disk index lives in: whether copydesk may write there, and one subfolder
//! per set of corpus roots.
//!
//! copydesk removes and replaces files in its index folder, so it writes only into a folder it
//! made: one that was missing or empty, which it marks with a `copydesk-index` file, or one
//! holding that marker. A folder holding an index of the earlier layout (a manifest and segments
//! at the top) is taken over and those files removed; any other folder is refused, so pointing
//! `--index-dir` at a folder of one's own loses nothing.
//!
//! Inside, each set of roots has a subfolder named by a hash of the roots (as given and as
//! resolved), so that `lint --corpus seeds` and a server reading `seeds` plus an archive keep
//! an index each instead of rebuilding one another's. Each use stamps its subfolder's `lock`
//! file with the time; past [`KEEP_SETS`] subfolders, the least recently used ones that no
//! process holds are removed.

use std::fs::File;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3;

use super::CorpusError;

/// The file that marks a folder as a copydesk index.
pub const MARKER: &str = "copydesk-index";
const MARKER_TEXT: &str = "This folder holds a copydesk corpus index. copydesk removes and rewrites the files in it;\n\
     delete the folder to discard the index (the next run rebuilds it).\n";
/// Root-set subfolders kept in one index folder.
pub const KEEP_SETS: usize = 4;
/// Files of an index set (and of the earlier layout, where they sat at the top).
const MANIFEST: &str = "manifest.json";
const LOCK: &str = "lock";

fn error(dir: &Path, message: impl std::fmt::Display) -> CorpusError {
    CorpusError::Index { path: dir.display().to_string(), message: message.to_string() }
}

/// Makes sure copydesk may write its index in `dir`, creating and marking it when it is
/// missing or empty.
pub fn claim(dir: &Path) -> Result<(), CorpusError> {
    if dir.join(MARKER).is_file() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| error(dir, e))?;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| error(dir, e))?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| error(dir, e))?;
    // Another process may have marked it meanwhile (the marker is made before anything else).
    if names.iter().any(|n| n == MARKER) {
        return Ok(());
    }
    names.sort();
    let legacy = !names.is_empty() && earlier_layout(dir, &names);
    if !names.is_empty() && !legacy {
        let mut shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
        if names.len() > 3 {
            shown.push("…");
        }
        return Err(error(
            dir,
            format!(
                "not an index folder: copydesk writes its index only into an empty folder or one it made (with a `{MARKER}` file), and this one holds {}",
                shown.join(", ")
            ),
        ));
    }
    match File::options().write(true).create_new(true).open(dir.join(MARKER)) {
        Ok(mut file) => std::io::Write::write_all(&mut file, MARKER_TEXT.as_bytes()).map_err(|e| error(dir, e))?,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(err) => return Err(error(dir, err)),
    }
    if legacy {
        for name in names {
            let _ = std::fs::remove_file(dir.join(name));
        }
    }
    Ok(())
}

/// Whether `names` (the entries of `dir`) are an index of the layout before root-set
/// subfolders: a copydesk manifest, segments that start like one, a lock and temporary files.
fn earlier_layout(dir: &Path, names: &[String]) -> bool {
    let manifest = names.iter().any(|n| n == MANIFEST);
    let ours = names.iter().all(|name| {
        let path = dir.join(name);
        match name.as_str() {
            MANIFEST => std::fs::read(&path).ok().and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok()).is_some_and(|v| {
                v.get("copydesk").is_some_and(|c| c.is_string()) && v.get("segments").is_some_and(|s| s.is_array())
            }),
            // A lock alone (a build that failed) must be the empty file copydesk makes.
            LOCK => manifest || std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == 0),
            _ if name.starts_with("seg-") && name.ends_with(".cdi") => {
                let mut magic = [0u8; 8];
                File::open(&path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic)).is_ok() && &magic == super::segment::MAGIC
            }
            _ => (name.starts_with("seg-") || name.starts_with(MANIFEST)) && name.ends_with(".tmp"),
        }
    });
    ours
}

/// The name of the subfolder for one set of roots: a hash of the roots as given (documents are
/// listed under the paths the user gave) and as resolved.
pub fn set_name(given: &[PathBuf], resolved: &[PathBuf]) -> String {
    let mut hash = Xxh3::new();
    for (given, resolved) in given.iter().zip(resolved) {
        hash.update(given.as_os_str().as_encoded_bytes());
        hash.update(&[0]);
        hash.update(resolved.as_os_str().as_encoded_bytes());
        hash.update(&[0]);
    }
    format!("{:016x}", hash.digest())
}

/// The subfolder name for the built-in seeds.
pub const BUILTIN_SET: &str = "builtin";

fn is_set_name(name: &str) -> bool {
    name == BUILTIN_SET || (name.len() == 16 && name.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Stamps a set as used now, through its open lock file.
pub fn touch(lock: &File) {
    let _ = lock.set_modified(std::time::SystemTime::now());
}

/// Removes the least recently used root-set subfolders of `dir` past [`KEEP_SETS`], never
/// `current` and never one another process holds (its lock is taken first).
pub fn prune(dir: &Path, current: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut sets: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) && is_set_name(&e.file_name().to_string_lossy()))
        .map(|e| {
            let used = std::fs::metadata(e.path().join(LOCK)).and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
            (used, e.path())
        })
        .collect();
    if sets.len() <= KEEP_SETS {
        return;
    }
    sets.sort();
    let mut excess = sets.len() - KEEP_SETS;
    for (_, set) in sets {
        if excess == 0 {
            break;
        }
        if set == current {
            continue;
        }
        if remove_set(&set) {
            excess -= 1;
        }
    }
}

/// Removes an index set's files and folder, unless another process holds its lock.
fn remove_set(set: &Path) -> bool {
    let lock = File::options().read(true).write(true).open(set.join(LOCK));
    let _held = match lock {
        Ok(lock) => match lock.try_lock() {
            Ok(()) => Some(lock),
            Err(_) => return false,
        },
        Err(_) => None,
    };
    let Ok(entries) = std::fs::read_dir(set) else { return false };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name == MANIFEST || name == LOCK || name.ends_with(".tmp") || (name.starts_with("seg-") && name.ends_with(".cdi"));
        if ours {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    std::fs::remove_dir(set).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_empty_marked_or_earlier_index_folders_are_claimed() {
        let tmp = tempfile::tempdir().unwrap();
        let fresh = tmp.path().join("a/b");
        claim(&fresh).unwrap();
        assert!(fresh.join(MARKER).is_file());
        claim(&fresh).unwrap();

        let user = tmp.path().join("user");
        std::fs::create_dir(&user).unwrap();
        std::fs::write(user.join("manifest.json"), "{\"name\":\"my app\"}").unwrap();
        std::fs::write(user.join("seg-notes.md"), "keep").unwrap();
        let err = claim(&user).unwrap_err().to_string();
        assert!(err.contains("not an index folder") && err.contains("manifest.json, seg-notes.md"), "{err}");
        assert_eq!(std::fs::read_to_string(user.join("manifest.json")).unwrap(), "{\"name\":\"my app\"}");
        assert!(!user.join(MARKER).exists());

        let old = tmp.path().join("old");
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("manifest.json"), "{\"format\":1,\"copydesk\":\"0.1.0\",\"segments\":[]}").unwrap();
        std::fs::write(old.join("lock"), "").unwrap();
        std::fs::write(old.join("seg-000001.cdi"), super::super::segment::MAGIC).unwrap();
        claim(&old).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(&old).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, vec![MARKER.to_string()]);

        // A segment-like name that is not a segment makes the folder someone else's.
        let mixed = tmp.path().join("mixed");
        std::fs::create_dir(&mixed).unwrap();
        std::fs::write(mixed.join("lock"), "").unwrap();
        std::fs::write(mixed.join("seg-1.cdi"), "not a segment").unwrap();
        assert!(claim(&mixed).is_err());
    }

    #[test]
    fn pruning_keeps_the_recently_used_sets_and_the_current_one() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let mut sets = Vec::new();
        for i in 0..KEEP_SETS + 2 {
            let set = dir.join(format!("{i:016x}"));
            std::fs::create_dir(&set).unwrap();
            let lock = File::create(set.join(LOCK)).unwrap();
            lock.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1000 + i as u64)).unwrap();
            std::fs::write(set.join("seg-000001.cdi"), "x").unwrap();
            sets.push(set);
        }
        // A folder that is not a set is left alone.
        std::fs::create_dir(dir.join("notes")).unwrap();
        // The oldest is in use by this process (current): the next two oldest go.
        prune(dir, &sets[0]);
        let kept: Vec<bool> = sets.iter().map(|s| s.exists()).collect();
        assert_eq!(kept, vec![true, false, false, true, true, true]);
        assert!(dir.join("notes").exists());
    }
}
