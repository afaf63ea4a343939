//! Build script: fingerprints the source so that an on-disk index written by one build of
//! copydesk is never read by another. The index stores where paragraphs and sentences fall and
//! which terms they hold, as this build's extraction reads them; a build that reads prose
//! differently under the same version number would pair those offsets with other sentences.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// FNV-1a, 64 bits: stable across Rust releases, unlike `DefaultHasher`.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src");
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    files.sort();
    let mut hash = Fnv(0xcbf2_9ce4_8422_2325);
    for path in &files {
        hash.write(path.to_string_lossy().as_bytes());
        hash.write(&[0]);
        hash.write(&std::fs::read(path).unwrap_or_default());
        hash.write(&[0]);
    }
    println!("cargo:rustc-env=COPYDESK_SOURCE_HASH={:016x}", hash.finish());
}
