//! The on-disk corpus index: build it once, then open it in milliseconds and bring it up to
//! date by re-reading only the sources that were added, changed or removed.
//!
//! An index folder (by default `.copydesk/index/` beside `copydesk.toml` or the corpus root)
//! holds one subfolder per set of corpus roots (see [`super::folder`]: which folders copydesk
//! may write into, and how old sets are pruned). Each subfolder holds immutable segment files (`seg-NNNNNN.cdi`, see [`super::segment`]) and a
//! `manifest.json` naming the live segments, the documents removed from them since, the notes
//! on files that could not be indexed, and the roots, limits and copydesk build it was built
//! for. A refresh writes a small new segment with the added and changed files and marks the
//! old versions removed; past eight segments it merges every segment but the first (the bulk
//! of the corpus) into one, and when a quarter of the first segment's documents are removed,
//! or a quarter of the corpus changed, it rebuilds the index from scratch.
//!
//! Safety under faults:
//! - every file is written under a temporary name, flushed to disk and renamed into place, and
//!   the manifest is renamed last, so a crash or kill mid-write leaves the previous index whole
//!   (the temporary files are removed by the next writer);
//! - a segment's header and sections carry checksums, verified whenever a segment is opened
//!   unless this process wrote or verified that very file version (see [`super::mapped`]; a
//!   size and time can survive a copy or a restore, so they prove nothing), and the manifest
//!   records each segment's size and header checksum: a damaged, truncated or foreign file, or
//!   an index from another format or copydesk build, is reported and rebuilt;
//! - readers hold a shared lock on `lock` while they read the manifest and map the segments,
//!   and a writer holds it exclusively, so two processes never write at once and never read a
//!   half-made index. Segments are never modified once written: a reader's memory map stays
//!   valid after a writer replaces them (and a file another program shortens under the map is
//!   noticed before it is read, see [`super::index::Index::check_files`]).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::folder;
use super::index::{Bytes, Segment};
use super::mapped::{self, FileStamp, MappedFile};
use super::segment::{self, Fingerprint, FORMAT_VERSION};
use super::{index_files, list_files, read_file, Corpus, CorpusError, CorpusNote, Limits, ListedFile, Listing, Progress, BUILTIN_SEEDS};
use crate::prose::Format;

/// Where the index lives, relative to the folder it serves.
pub const DIR_NAME: &str = ".copydesk/index";
const MANIFEST: &str = "manifest.json";
const LOCK: &str = "lock";
/// Past this many segments a refresh merges all but the first.
const MAX_SEGMENTS: usize = 8;

/// Which sources an index covers.
#[derive(Debug, Clone, Copy)]
pub enum Sources<'a> {
    /// Files and folders on disk.
    Paths(&'a [PathBuf]),
    /// The seed articles built into copydesk.
    Builtin,
}

/// The build an index belongs to: the version and a fingerprint of the source (`build.rs`).
/// Where paragraphs and sentences fall is this build's reading of the prose; another build,
/// even of the same version, may read it differently, and must not pair the index's offsets
/// with its own sentences.
pub(crate) const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("COPYDESK_SOURCE_HASH"));

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    copydesk: String,
    roots: Vec<String>,
    max_file_bytes: u64,
    max_files: usize,
    generation: u64,
    segments: Vec<SegmentEntry>,
    /// Documents (global ids, in segment order) removed or replaced since their segment.
    removed: Vec<u32>,
    /// Notes on files as they were when last read: files that could not be indexed, and
    /// indexed files with a caveat.
    file_notes: Vec<FileNote>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SegmentEntry {
    file: String,
    bytes: u64,
    checksum: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FileNote {
    path: String,
    size: u64,
    mtime_ns: u64,
    message: String,
    /// Whether the file is in the index (a caveat) or left out.
    indexed: bool,
}

/// What opening an index did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refresh {
    /// The folder of this set of roots inside the index folder.
    pub dir: PathBuf,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Whether the index was built from scratch (rather than refreshed with a new segment).
    pub full: bool,
    /// Why an existing index could not be refreshed and was rebuilt (another copydesk
    /// version, other roots or limits, damage).
    pub rebuilt: Option<String>,
    /// Whether anything was written.
    pub wrote: bool,
    pub segments: usize,
    /// Bytes of index files.
    pub index_bytes: u64,
}

/// An index that could be read, with what its documents are keyed by.
struct State {
    manifest: Manifest,
    segments: Vec<Segment>,
    documents: Vec<super::DocumentInfo>,
}

enum Unusable {
    /// No index yet.
    Missing,
    /// Built for other roots, limits or another copydesk: rebuilt without complaint.
    Stale(String),
    /// Unreadable or damaged: rebuilt, and the user is told.
    Damaged(String),
}

/// What a refresh has to do.
#[derive(Default)]
struct Plan {
    added: Vec<ListedFile>,
    /// Changed files and the id of their indexed version.
    changed: Vec<(ListedFile, u32)>,
    removed: Vec<u32>,
    /// Notes still true of unchanged files.
    kept_notes: Vec<FileNote>,
}

impl Plan {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

fn index_error(dir: &Path, err: impl std::fmt::Display) -> CorpusError {
    CorpusError::Index { path: dir.display().to_string(), message: err.to_string() }
}

/// The default index directory for a corpus: beside the project file when there is one, else
/// in the first corpus folder (or the folder of the first corpus file).
pub fn default_dir(config_file: Option<&Path>, roots: &[PathBuf]) -> Option<PathBuf> {
    if let Some(config) = config_file {
        return Some(config.parent().unwrap_or(Path::new(".")).join(DIR_NAME));
    }
    let root = roots.first()?;
    let folder = if root.is_dir() { root.clone() } else { root.parent().map(Path::to_path_buf).unwrap_or_default() };
    Some(if folder.as_os_str().is_empty() { PathBuf::from(DIR_NAME) } else { folder.join(DIR_NAME) })
}

/// The index directory for the built-in seeds, in the user's cache directory.
pub fn builtin_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("copydesk").join("index").join(format!("builtin-{}", env!("CARGO_PKG_VERSION"))))
}

/// Opens the index in `dir` for `sources`, building or refreshing it first when the sources
/// changed. Errors only when the sources cannot be listed or the directory cannot be written;
/// a damaged index is rebuilt and the returned corpus notes say so.
pub fn open(dir: &Path, sources: Sources, limits: &Limits, progress: Option<Progress>) -> Result<(Corpus, Refresh), CorpusError> {
    open_inner(dir, sources, limits, progress, None)
}

/// [`open`] after the files in `changed` were created, changed or deleted (as a file watcher
/// reports them): every other file is taken to be as indexed, so the corpus is not walked.
/// Without a readable index this is a full [`open`].
pub fn open_after_changes(dir: &Path, sources: Sources, limits: &Limits, changed: &[PathBuf]) -> Result<(Corpus, Refresh), CorpusError> {
    open_inner(dir, sources, limits, None, Some(changed))
}

fn open_inner(index_dir: &Path, sources: Sources, limits: &Limits, progress: Option<Progress>, changed: Option<&[PathBuf]>) -> Result<(Corpus, Refresh), CorpusError> {
    // Every root must exist and be allowed before anything is written.
    let (roots, set) = match sources {
        Sources::Paths(paths) => {
            let resolved = super::check_roots(paths)?;
            let set = folder::set_name(paths, &resolved);
            (resolved.iter().map(|p| p.to_string_lossy().into_owned()).collect::<Vec<_>>(), set)
        }
        Sources::Builtin => (vec!["<built-in seeds>".to_string()], folder::BUILTIN_SET.to_string()),
    };
    let shown: Vec<String> = match sources {
        Sources::Paths(paths) => paths.iter().map(|p| p.display().to_string()).collect(),
        Sources::Builtin => roots.clone(),
    };
    folder::claim(index_dir)?;
    let set_dir = index_dir.join(set);
    let dir = set_dir.as_path();
    std::fs::create_dir_all(dir).map_err(|e| index_error(dir, e))?;
    let lock = File::options().create(true).truncate(false).read(true).write(true).open(dir.join(LOCK)).map_err(|e| index_error(dir, e))?;
    lock.lock_shared().map_err(|e| index_error(dir, e))?;
    folder::touch(&lock);
    let state = read_state(dir, &roots, limits);
    // With the watcher's list of changed files and a readable index, only those files are
    // looked at; otherwise the corpus is walked.
    let hint = match (sources, &state, changed) {
        (Sources::Paths(paths), Ok(_), Some(changed)) => Some((paths, changed)),
        _ => None,
    };
    let mut listing = match (sources, hint) {
        (_, Some(_)) => Listing::default(),
        (Sources::Builtin, None) => builtin_listing(),
        (Sources::Paths(paths), None) => list_files(paths, limits)?,
    };
    let plan_for = |state: &State, listing: &Listing| match hint {
        Some((paths, changed)) => hinted_plan(state, paths, limits, changed),
        None => diff(state, listing, matches!(sources, Sources::Builtin)),
    };
    let mut refresh = Refresh { dir: dir.to_path_buf(), ..Default::default() };
    let state = match state {
        Ok(state) => {
            let plan = plan_for(&state, &listing);
            if plan.is_empty() {
                return finish(state, plan, listing, refresh, &shown);
            }
            Ok(state)
        }
        Err(unusable) => Err(unusable),
    };
    // Something to write: wait for the writer's lock, then look again, since another process
    // may have brought the index up to date meanwhile (the state read before is kept when the
    // manifest did not change).
    lock.unlock().map_err(|e| index_error(dir, e))?;
    lock.lock().map_err(|e| index_error(dir, e))?;
    let state = match state {
        Ok(state) if manifest_unchanged(dir, &state.manifest) => Ok(state),
        _ => read_state(dir, &roots, limits),
    };
    let plan = match &state {
        Ok(state) => plan_for(state, &listing),
        Err(_) => Plan::default(),
    };
    let state = match state {
        Ok(state) if plan.is_empty() => return finish(state, plan, listing, refresh, &shown),
        Ok(state) => {
            // Rebuilt whole when a quarter of the first (largest) segment is gone or the change
            // is a quarter of the corpus; else refreshed with a new segment.
            let base = state.segments.first().map_or(0, |s| s.documents());
            let in_base = |id: &u32| *id < base;
            let removed_base = state.manifest.removed.iter().filter(|id| in_base(id)).count()
                + plan.removed.iter().filter(|id| in_base(id)).count()
                + plan.changed.iter().filter(|(_, id)| in_base(id)).count();
            let documents: usize = state.segments.iter().map(|s| s.documents() as usize).sum();
            let delta = plan.added.len() + plan.changed.len();
            if removed_base * 4 > (base as usize).max(1) || delta * 4 > documents.max(1) {
                None
            } else {
                Some(state)
            }
        }
        Err(Unusable::Missing) => None,
        Err(Unusable::Stale(why)) => {
            refresh.rebuilt = Some(why);
            None
        }
        Err(Unusable::Damaged(why)) => {
            refresh.rebuilt = Some(format!("the index was damaged ({why})"));
            None
        }
    };
    let (manifest, previous) = match state {
        Some(state) => {
            let manifest = write_delta(dir, &state, plan, &mut refresh, progress)?;
            (manifest, Some(state))
        }
        None => {
            refresh.full = true;
            if let (Some(_), Sources::Paths(paths)) = (hint, sources) {
                listing = list_files(paths, limits)?;
            }
            (write_full(dir, &listing, roots, limits, &mut refresh, progress)?, None)
        }
    };
    refresh.wrote = true;
    remove_unlisted(dir, &manifest);
    if refresh.full {
        folder::prune(index_dir, dir);
    }
    let segments = open_segments(dir, &manifest).map_err(|e| index_error(dir, e))?;
    let documents = reuse_documents(&manifest, &segments, previous.as_ref()).map_err(|e| index_error(dir, e))?;
    let state = State { manifest, segments, documents };
    let kept = Plan { kept_notes: state.manifest.file_notes.clone(), ..Default::default() };
    finish(state, kept, listing, refresh, &shown)
}

/// The documents of `segments`, taken from the previous state for the segments it already
/// had (by file name) and read from the segment for new ones.
fn reuse_documents(manifest: &Manifest, segments: &[Segment], previous: Option<&State>) -> Result<Vec<super::DocumentInfo>, segment::SegmentError> {
    let mut documents = Vec::new();
    for (entry, segment) in manifest.segments.iter().zip(segments) {
        let old = previous.and_then(|p| {
            let at = p.manifest.segments.iter().position(|e| e.file == entry.file)?;
            let start: usize = p.segments[..at].iter().map(|s| s.documents() as usize).sum();
            p.documents.get(start..start + p.segments[at].documents() as usize)
        });
        match old {
            Some(old) => documents.extend(old.iter().cloned().map(|mut d| {
                d.live = true;
                d
            })),
            None => documents.extend(Corpus::segment_documents(std::slice::from_ref(segment))?),
        }
    }
    Ok(documents)
}

/// Whether the manifest on disk is still the one `manifest` was read from.
fn manifest_unchanged(dir: &Path, manifest: &Manifest) -> bool {
    let Ok(text) = std::fs::read(dir.join(MANIFEST)) else { return false };
    let Ok(current) = serde_json::from_slice::<Manifest>(&text) else { return false };
    current.generation == manifest.generation
        && current.segments.len() == manifest.segments.len()
        && current.segments.iter().zip(&manifest.segments).all(|(a, b)| a.file == b.file && a.checksum == b.checksum)
        && current.removed == manifest.removed
}

/// A corpus from an index state, with the listing's notes and the notes kept for its files.
/// `shown` names the roots in messages.
fn finish(state: State, plan: Plan, listing: Listing, mut refresh: Refresh, shown: &[String]) -> Result<(Corpus, Refresh), CorpusError> {
    let mut notes = listing.notes;
    if let Some(why) = refresh.rebuilt.as_ref().filter(|w| w.starts_with("the index was damaged")) {
        notes.push(CorpusNote { path: refresh.dir.display().to_string(), message: format!("{why}; rebuilt") });
    }
    notes.extend(plan.kept_notes.into_iter().map(|n| CorpusNote { path: n.path, message: n.message }));
    refresh.segments = state.segments.len();
    refresh.index_bytes = state.segments.iter().map(|s| s.len() as u64).sum();
    let corpus = Corpus::from_segments(state.segments, state.documents, &state.manifest.removed, notes, listing.skipped);
    if corpus.live_count() == 0 {
        return Err(CorpusError::empty(shown, &corpus.notes));
    }
    Ok((corpus, refresh))
}

/// What to do for the files a watcher reported changed, the rest taken to be as indexed. A
/// changed path is put in the form the walk of its root gives (the root as the user named it,
/// then the path inside it), so that it matches the indexed document it replaces.
fn hinted_plan(state: &State, roots: &[PathBuf], limits: &Limits, changed: &[PathBuf]) -> Plan {
    let removed: std::collections::HashSet<u32> = state.manifest.removed.iter().copied().collect();
    let canonical_roots: Vec<(PathBuf, &PathBuf)> = roots.iter().filter_map(|r| Some((std::fs::canonicalize(r).ok()?, r))).collect();
    let mut plan = Plan::default();
    let mut touched: Vec<PathBuf> = Vec::new();
    for path in changed {
        // A deleted file cannot be resolved itself: resolve its folder.
        let real = std::fs::canonicalize(path)
            .ok()
            .or_else(|| Some(std::fs::canonicalize(path.parent()?).ok()?.join(path.file_name()?)));
        let Some(real) = real else { continue };
        let Some(listed) = canonical_roots.iter().find_map(|(canonical, given)| {
            let inside = real.strip_prefix(canonical).ok()?;
            // Hidden folders (such as the index's own) are not walked.
            if inside.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')) {
                return None;
            }
            Some(if inside.as_os_str().is_empty() { (*given).clone() } else { given.join(inside) })
        }) else {
            continue;
        };
        if touched.contains(&listed) {
            continue;
        }
        touched.push(listed.clone());
        let indexed = state
            .documents
            .iter()
            .enumerate()
            .find(|(id, d)| d.disk_path.as_ref() == Some(&listed) && !removed.contains(&(*id as u32)))
            .map(|(id, d)| (id as u32, d.fingerprint));
        let usable = crate::prose::Format::from_path(&listed.to_string_lossy()).is_some();
        let file = std::fs::metadata(&listed)
            .ok()
            .filter(|m| usable && m.is_file() && m.len() <= limits.max_file_bytes)
            .map(|m| ListedFile { size: m.len(), mtime_ns: super::mtime_ns(&m), path: listed.clone() });
        match (file, indexed) {
            (Some(file), Some((id, fingerprint))) => {
                if still_indexed(&fingerprint, &file, true) {
                    touched.pop();
                } else {
                    plan.changed.push((file, id));
                }
            }
            (Some(file), None) => plan.added.push(file),
            (None, Some((id, _))) => plan.removed.push(id),
            (None, None) => {}
        }
    }
    // Notes on files looked at again are replaced by what reading them says now.
    plan.kept_notes = state.manifest.file_notes.iter().filter(|n| !touched.iter().any(|t| t.to_string_lossy() == n.path)).cloned().collect();
    plan
}

fn builtin_listing() -> Listing {
    let files = BUILTIN_SEEDS
        .iter()
        .map(|(path, text)| ListedFile { path: PathBuf::from(path), size: text.len() as u64, mtime_ns: 0 })
        .collect();
    Listing { files, notes: Vec::new(), skipped: 0 }
}

fn read_state(dir: &Path, roots: &[String], limits: &Limits) -> Result<State, Unusable> {
    let text = match std::fs::read(dir.join(MANIFEST)) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(err) => return Err(Unusable::Damaged(format!("{MANIFEST}: {err}"))),
    };
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| Unusable::Damaged(format!("{MANIFEST}: {e}")))?;
    if manifest.format != FORMAT_VERSION || manifest.copydesk != BUILD {
        return Err(Unusable::Stale(format!(
            "the index was written by copydesk {} (index format {}), this is {BUILD} (format {FORMAT_VERSION})",
            manifest.copydesk, manifest.format
        )));
    }
    if manifest.roots != roots {
        return Err(Unusable::Stale(format!("the index was built for {}", manifest.roots.join(", "))));
    }
    if manifest.max_file_bytes != limits.max_file_bytes || manifest.max_files != limits.max_files {
        return Err(Unusable::Stale("the corpus limits changed".into()));
    }
    let segments = open_segments(dir, &manifest).map_err(Unusable::Damaged)?;
    let documents: u64 = segments.iter().map(|s| s.documents() as u64).sum();
    if manifest.removed.iter().any(|&id| id as u64 >= documents) {
        return Err(Unusable::Damaged(format!("{MANIFEST}: a removed document id is out of range")));
    }
    let documents = Corpus::segment_documents(&segments).map_err(|e| Unusable::Damaged(e.to_string()))?;
    Ok(State { manifest, segments, documents })
}

/// Maps the manifest's segments, each verified in full unless this process wrote or verified
/// that very file version.
fn open_segments(dir: &Path, manifest: &Manifest) -> Result<Vec<Segment>, String> {
    let mut segments = Vec::with_capacity(manifest.segments.len());
    for entry in &manifest.segments {
        if entry.file.contains(['/', '\\']) || entry.file.starts_with('.') {
            return Err(format!("{MANIFEST}: bad segment name {:?}", entry.file));
        }
        let path = dir.join(&entry.file);
        let file = File::open(&path).map_err(|e| format!("{}: {e}", entry.file))?;
        let mapped = MappedFile::open(file).map_err(|e| format!("{}: {e}", entry.file))?;
        if mapped.len() as u64 != entry.bytes {
            return Err(format!("{}: {} bytes, the manifest says {}", entry.file, mapped.len(), entry.bytes));
        }
        if segment::header_checksum(&mapped) != Some(entry.checksum) {
            return Err(format!("{}: not the segment the manifest names", entry.file));
        }
        let stamp = mapped.stamp();
        let verify = !mapped::is_trusted(&stamp);
        let segment = Segment::open(Bytes::Mapped(mapped), verify).map_err(|e| format!("{}: {e}", entry.file))?;
        if verify {
            mapped::trust(stamp);
        }
        segments.push(segment);
    }
    Ok(segments)
}

/// The key a document is known by across refreshes: its file, or its name for the built-in
/// seeds.
fn key_of(path: &str, disk_path: Option<&Path>) -> String {
    disk_path.map_or_else(|| path.to_string(), |p| p.to_string_lossy().into_owned())
}

fn diff(state: &State, listing: &Listing, builtin: bool) -> Plan {
    let removed: std::collections::HashSet<u32> = state.manifest.removed.iter().copied().collect();
    let mut indexed: HashMap<String, (u32, Fingerprint)> = HashMap::with_capacity(state.documents.len());
    for (id, doc) in state.documents.iter().enumerate() {
        if !removed.contains(&(id as u32)) {
            indexed.insert(key_of(&doc.path, doc.disk_path.as_deref()), (id as u32, doc.fingerprint));
        }
    }
    let notes: HashMap<&str, &FileNote> = state.manifest.file_notes.iter().map(|n| (n.path.as_str(), n)).collect();
    let mut plan = Plan::default();
    for file in &listing.files {
        let key = file.path.to_string_lossy().into_owned();
        let note = notes.get(key.as_str()).filter(|n| n.size == file.size && n.mtime_ns == file.mtime_ns);
        match indexed.remove(&key) {
            Some((id, fingerprint)) => {
                if still_indexed(&fingerprint, file, !builtin) {
                    if let Some(note) = note.filter(|n| n.indexed) {
                        plan.kept_notes.push((*note).clone());
                    }
                } else {
                    plan.changed.push((file.clone(), id));
                }
            }
            None => match note.filter(|n| !n.indexed) {
                Some(note) => plan.kept_notes.push((*note).clone()),
                None => plan.added.push(file.clone()),
            },
        }
    }
    let mut gone: Vec<u32> = indexed.into_values().map(|(id, _)| id).collect();
    gone.sort_unstable();
    plan.removed = gone;
    plan
}

/// Whether `file` is the version that was indexed: same size and time, or (when `on_disk`, for a
/// file touched but not changed) same size and contents.
fn still_indexed(fingerprint: &Fingerprint, file: &ListedFile, on_disk: bool) -> bool {
    fingerprint.size == file.size
        && (fingerprint.mtime_ns == file.mtime_ns
            || (on_disk && std::fs::read(&file.path).is_ok_and(|b| xxhash_rust::xxh3::xxh3_64(&b) == fingerprint.hash)))
}

fn read_listed(file: &ListedFile) -> super::ReadFile {
    match BUILTIN_SEEDS.iter().find(|(p, _)| Path::new(p) == file.path) {
        Some((path, text)) if !file.path.is_absolute() => super::ReadFile {
            document: Some((
                super::Document::new(path.to_string(), None, text.to_string(), Format::PlainText),
                Format::PlainText,
                Fingerprint::of_bytes(text.as_bytes(), 0),
            )),
            note: None,
        },
        _ => read_file(&file.path),
    }
}

fn note_of(file: &ListedFile, message: String, indexed: bool) -> FileNote {
    FileNote { path: file.path.to_string_lossy().into_owned(), size: file.size, mtime_ns: file.mtime_ns, message, indexed }
}

/// Writes a segment of `files` under the next name; `None` when no file could be indexed.
fn write_segment(dir: &Path, generation: u64, files: &[ListedFile], notes: &mut Vec<FileNote>, progress: Option<Progress>) -> Result<Option<SegmentEntry>, CorpusError> {
    let indexed = index_files(files, false, progress, &read_listed);
    for (file, note) in indexed.unusable {
        notes.push(note_of(&file, note.message, false));
    }
    for note in indexed.notes {
        if let Some(file) = files.iter().find(|f| f.path.to_string_lossy() == note.path) {
            notes.push(note_of(file, note.message, true));
        }
    }
    if indexed.infos.is_empty() {
        return Ok(None);
    }
    let name = format!("seg-{generation:06}.cdi");
    let mut checksum = 0;
    let bytes = write_atomically(dir, &name, |out| {
        checksum = indexed.builder.write_to(out)?.1;
        Ok(())
    })?;
    // The version just written needs no verifying when this process opens it.
    if let Ok(meta) = std::fs::metadata(dir.join(&name)) {
        mapped::trust(FileStamp::of(&meta));
    }
    Ok(Some(SegmentEntry { file: name, bytes, checksum }))
}

/// Writes `name` in `dir` through a temporary file that is flushed to disk and renamed.
fn write_atomically(dir: &Path, name: &str, write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>) -> Result<u64, CorpusError> {
    let temporary = dir.join(format!("{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&temporary)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        let len = file.metadata()?.len();
        std::fs::rename(&temporary, dir.join(name))?;
        Ok(len)
    })();
    result.map_err(|e: std::io::Error| {
        let _ = std::fs::remove_file(&temporary);
        index_error(dir, e)
    })
}

fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), CorpusError> {
    let json = serde_json::to_vec_pretty(manifest).map_err(|e| index_error(dir, e))?;
    write_atomically(dir, MANIFEST, |out| out.write_all(&json))?;
    // The rename itself must reach the disk before older segments are removed.
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

fn write_full(dir: &Path, listing: &Listing, roots: Vec<String>, limits: &Limits, refresh: &mut Refresh, progress: Option<Progress>) -> Result<Manifest, CorpusError> {
    let generation = next_generation(dir);
    let mut file_notes = Vec::new();
    let entry = write_segment(dir, generation, &listing.files, &mut file_notes, progress)?;
    refresh.added = listing.files.len();
    let manifest = Manifest {
        format: FORMAT_VERSION,
        copydesk: BUILD.into(),
        roots,
        max_file_bytes: limits.max_file_bytes,
        max_files: limits.max_files,
        generation,
        segments: entry.into_iter().collect(),
        removed: Vec::new(),
        file_notes,
    };
    write_manifest(dir, &manifest)?;
    Ok(manifest)
}

/// Writes the added and changed files as a new segment and marks the old versions removed.
/// When that would make too many segments, the segments after the first are merged into the
/// new one instead: their live documents are read again with the changes (the first segment,
/// which holds most of the corpus, is left as it is).
fn write_delta(dir: &Path, state: &State, plan: Plan, refresh: &mut Refresh, progress: Option<Progress>) -> Result<Manifest, CorpusError> {
    let mut manifest = state.manifest.clone();
    let generation = manifest.generation.max(next_generation(dir).saturating_sub(1)) + 1;
    let mut files: Vec<ListedFile> = plan.added.clone();
    files.extend(plan.changed.iter().map(|(f, _)| f.clone()));
    refresh.added = plan.added.len();
    refresh.changed = plan.changed.len();
    refresh.removed = plan.removed.len();
    manifest.removed.extend(plan.removed);
    manifest.removed.extend(plan.changed.iter().map(|(_, id)| *id));
    manifest.removed.sort_unstable();
    manifest.removed.dedup();
    let merge = manifest.segments.len() >= MAX_SEGMENTS;
    if merge {
        let base = state.segments[0].documents();
        for (id, doc) in state.documents.iter().enumerate().skip(base as usize) {
            if manifest.removed.binary_search(&(id as u32)).is_err() {
                if let Some(path) = &doc.disk_path {
                    files.push(ListedFile { path: path.clone(), size: doc.fingerprint.size, mtime_ns: doc.fingerprint.mtime_ns });
                }
            }
        }
        manifest.removed.retain(|id| *id < base);
        manifest.segments.truncate(1);
    }
    files.sort_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    let mut file_notes = plan.kept_notes;
    let entry = write_segment(dir, generation, &files, &mut file_notes, progress)?;
    if merge {
        // The merged files' caveats were noted again as they were read.
        let mut seen = std::collections::HashSet::new();
        file_notes.retain(|n| seen.insert((n.path.clone(), n.message.clone())));
    }
    manifest.segments.extend(entry);
    manifest.generation = generation;
    manifest.file_notes = file_notes;
    write_manifest(dir, &manifest)?;
    Ok(manifest)
}

/// One past the highest generation of any segment file in `dir`, so a new segment never
/// reuses the name of one a reader may still have mapped.
fn next_generation(dir: &Path) -> u64 {
    let mut next = 1;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if let Some(n) = name.strip_prefix("seg-").and_then(|r| r.split('.').next()).and_then(|n| n.parse::<u64>().ok()) {
                next = next.max(n + 1);
            }
        }
    }
    next
}

/// Removes segment files the manifest no longer names and temporary files left by writers that
/// were killed (the caller holds the writer's lock, so none is in progress).
fn remove_unlisted(dir: &Path, manifest: &Manifest) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale_segment = name.starts_with("seg-") && !manifest.segments.iter().any(|s| s.file == name);
        if stale_segment || name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Where [`load`] keeps the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexLocation {
    /// The default place: beside the project file, else in the first corpus folder, or the
    /// user cache directory for the built-in seeds. When it cannot be written, the corpus is
    /// indexed in memory with a note.
    Auto { config_file: Option<PathBuf> },
    /// A directory the user named: failing to use it is an error.
    Dir(PathBuf),
    /// No index on disk: read and index the corpus in memory.
    Off,
}

/// Loads the corpus under `paths` (the built-in seeds when empty) through its on-disk index,
/// building or refreshing the index as needed. Returns what the index did, when one was used.
pub fn load(paths: &[PathBuf], limits: &Limits, location: &IndexLocation, progress: Option<Progress>) -> Result<(Corpus, Option<Refresh>), CorpusError> {
    load_inner(paths, limits, location, progress, None)
}

/// [`load`] after a file watcher reported `changed` files: see [`open_after_changes`].
pub fn load_after_changes(paths: &[PathBuf], limits: &Limits, location: &IndexLocation, changed: &[PathBuf]) -> Result<(Corpus, Option<Refresh>), CorpusError> {
    load_inner(paths, limits, location, None, Some(changed))
}

fn load_inner(
    paths: &[PathBuf],
    limits: &Limits,
    location: &IndexLocation,
    progress: Option<Progress>,
    changed: Option<&[PathBuf]>,
) -> Result<(Corpus, Option<Refresh>), CorpusError> {
    if let Some(url) = super::store_url(paths)? {
        // A shared store: nothing is indexed here.
        return Ok((super::postgres::open(url)?, None));
    }
    let sources = if paths.is_empty() { Sources::Builtin } else { Sources::Paths(paths) };
    let dir = match location {
        IndexLocation::Off => None,
        IndexLocation::Dir(dir) => Some(dir.clone()),
        IndexLocation::Auto { config_file } => match sources {
            Sources::Builtin => builtin_dir(),
            Sources::Paths(paths) => default_dir(config_file.as_deref(), paths),
        },
    };
    let mut fallback_note = None;
    if let Some(dir) = dir {
        match open_inner(&dir, sources, limits, progress, changed) {
            Ok((corpus, refresh)) => return Ok((corpus, Some(refresh))),
            Err(CorpusError::Index { path, message }) if matches!(location, IndexLocation::Auto { .. }) => {
                fallback_note = Some(CorpusNote { path, message: format!("the index could not be written ({message}); the corpus was indexed in memory") });
            }
            Err(err) => return Err(err),
        }
    }
    let mut corpus = match sources {
        Sources::Builtin => Corpus::builtin(),
        Sources::Paths(paths) => Corpus::load_with(paths, limits, progress)?,
    };
    corpus.notes.extend(fallback_note);
    Ok((corpus, None))
}
