//! Index segment files mapped into memory: which ones need their checksums verified when
//! opened, and noticing a file changed under its map before reading it.
//!
//! A segment copied over, restored or rotted on disk can keep its size and modification time,
//! so those prove nothing: a segment file is verified in full when opened unless this process
//! wrote or verified that very version of it (same device, inode, size, modification time and
//! status-change time; anything that writes to the file or sets its times changes the last).
//!
//! A mapped file that is shortened under the map (another tool truncating or copying over the
//! index) makes any read past the new end fault with SIGBUS, which would kill the process. So
//! before the index is searched, [`MappedFile::changed`] compares the file with what was mapped
//! (one `fstat`), and a changed file is never read again.

use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::sync::Mutex;

/// One version of a file, as far as the file system tells versions apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileStamp {
    device: u64,
    inode: u64,
    size: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

impl FileStamp {
    pub fn of(meta: &Metadata) -> FileStamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileStamp {
                device: meta.dev(),
                inode: meta.ino(),
                size: meta.len(),
                mtime_ns: meta.mtime() as i128 * 1_000_000_000 + meta.mtime_nsec() as i128,
                ctime_ns: meta.ctime() as i128 * 1_000_000_000 + meta.ctime_nsec() as i128,
            }
        }
        #[cfg(not(unix))]
        {
            let mtime_ns = super::mtime_ns(meta) as i128;
            FileStamp { device: 0, inode: 0, size: meta.len(), mtime_ns, ctime_ns: mtime_ns }
        }
    }
}

/// Segment file versions this process wrote or verified.
static TRUSTED: Mutex<Option<HashSet<FileStamp>>> = Mutex::new(None);

/// Records that this process wrote or verified the file version `stamp`.
pub fn trust(stamp: FileStamp) {
    // Without inodes and change times (not Unix) a version cannot be told from a rewrite.
    if cfg!(unix) {
        let mut trusted = TRUSTED.lock().unwrap_or_else(|e| e.into_inner());
        trusted.get_or_insert_with(HashSet::new).insert(stamp);
    }
}

/// Whether this process wrote or verified the file version `stamp`.
pub fn is_trusted(stamp: &FileStamp) -> bool {
    TRUSTED.lock().unwrap_or_else(|e| e.into_inner()).as_ref().is_some_and(|t| t.contains(stamp))
}

/// A read-only memory map of a segment file, with the file kept open to notice changes.
#[derive(Debug)]
pub struct MappedFile {
    map: memmap2::Mmap,
    file: File,
    stamp: FileStamp,
}

impl MappedFile {
    /// Maps `file` whole.
    pub fn open(file: File) -> std::io::Result<MappedFile> {
        let stamp = FileStamp::of(&file.metadata()?);
        // SAFETY: copydesk writes a segment file once, under a temporary name, and never
        // modifies it after the rename. Another program may still shorten or rewrite it: every
        // read of the map is bounds-checked against the length it had when mapped, and the
        // index calls `changed` (which compares the file's size and times with the map's) before
        // searching, so a shortened file is not read.
        let map = unsafe { memmap2::Mmap::map(&file) }?;
        Ok(MappedFile { map, file, stamp })
    }

    pub fn stamp(&self) -> FileStamp {
        self.stamp
    }

    /// Why the file is no longer the version that was mapped, if it is not.
    pub fn changed(&self) -> Option<String> {
        match self.file.metadata() {
            Ok(meta) => {
                let now = FileStamp::of(&meta);
                if now.size != self.stamp.size {
                    Some(format!("its size changed from {} to {} bytes", self.stamp.size, now.size))
                } else if now != self.stamp {
                    Some("it was rewritten".to_string())
                } else {
                    None
                }
            }
            Err(err) => Some(err.to_string()),
        }
    }
}

impl std::ops::Deref for MappedFile {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shortened_or_rewritten_file_is_noticed_and_only_the_trusted_version_is_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        std::fs::write(&path, vec![1u8; 8192]).unwrap();
        let mapped = MappedFile::open(File::open(&path).unwrap()).unwrap();
        assert_eq!(mapped.changed(), None);
        assert!(!is_trusted(&mapped.stamp()));
        trust(mapped.stamp());
        assert_eq!(is_trusted(&mapped.stamp()), cfg!(unix));
        // The same size and time, other bytes: the change time tells.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let time = std::fs::metadata(&path).unwrap().modified().unwrap();
        let file = File::options().write(true).open(&path).unwrap();
        std::io::Write::write_all(&mut &file, &[2u8; 16]).unwrap();
        file.set_modified(time).unwrap();
        if cfg!(unix) {
            assert_eq!(mapped.changed().as_deref(), Some("it was rewritten"));
            assert!(!is_trusted(&FileStamp::of(&std::fs::metadata(&path).unwrap())));
        }
        file.set_len(100).unwrap();
        assert_eq!(mapped.changed().as_deref(), Some("its size changed from 8192 to 100 bytes"));
    }
}
