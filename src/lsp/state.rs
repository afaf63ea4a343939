//! The server's state: the session negotiated at `initialize`, settings, open documents (a
//! rope per buffer), the loaded corpus, and the last analysis of each draft.
//!
//! Locks are `std::sync::Mutex`/`RwLock` and are never held across an `.await`, so handlers that
//! edit documents run to completion on their first poll, in the order the client sent them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use ropey::Rope;
use tower_lsp_server::lsp_types::Uri;
use tower_lsp_server::Client;

use super::log::Logger;
use super::settings::Settings;
use crate::corpus::Corpus;
use crate::findings::Report;
use crate::position::{LineIndex, PositionEncoding};
use crate::prose::Format;

/// Options fixed when the server starts.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub log_level: super::log::Level,
    /// Where the built-in seeds are written so editors can open them (default:
    /// `dirs::cache_dir()/copydesk/seeds`).
    pub seed_cache: Option<PathBuf>,
    /// Where the corpus index is kept (default: where `copydesk lint` keeps it).
    pub index_dir: Option<PathBuf>,
    /// Test hook: sleep this long inside every check.
    #[doc(hidden)]
    pub check_delay: Duration,
    /// Test hook: a check of a draft containing this text panics.
    #[doc(hidden)]
    pub panic_marker: Option<String>,
    /// Test hook: sleep this long before loading the corpus.
    #[doc(hidden)]
    pub load_delay: Duration,
    /// Test hook: serve [`super::DOCUMENT_REQUEST`], which reveals a buffer's text.
    #[doc(hidden)]
    pub document_request: bool,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            log_level: super::log::Level::Info,
            seed_cache: None,
            index_dir: None,
            check_delay: Duration::ZERO,
            panic_marker: None,
            load_delay: Duration::ZERO,
            document_request: false,
        }
    }
}

/// What the client told us at `initialize`.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub encoding: PositionEncoding,
    pub root: Option<PathBuf>,
    pub link_support: bool,
    pub work_done_progress: bool,
    pub watch_dynamic: bool,
    pub relative_patterns: bool,
    pub related_information: bool,
    /// The client takes versioned `documentChanges` in workspace edits.
    pub document_changes: bool,
}

/// An open buffer.
#[derive(Debug)]
pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub language: String,
    pub format: Format,
    /// The canonical path on disk, for `file:` URIs.
    pub path: Option<PathBuf>,
    /// The pending or running check of this buffer.
    pub task: Option<tokio::task::AbortHandle>,
    pub analysis: Option<Arc<Analysis>>,
    /// Held while a check of this buffer runs.
    pub gate: Arc<tokio::sync::Mutex<()>>,
}

/// The loaded corpus with what the protocol needs about it.
#[derive(Debug)]
pub struct Sources {
    pub corpus: Corpus,
    /// Increases with every load.
    pub generation: u64,
    /// A `file:` URI for each document (None when the file cannot be addressed).
    pub uris: Vec<Option<Uri>>,
    /// Canonical paths of the corpus files.
    pub files: HashSet<PathBuf>,
    /// Canonical corpus roots (files or directories) to watch; empty for the built-in seeds.
    pub roots: Vec<PathBuf>,
    pub description: String,
    /// Verdicts on unchanged sentences, reused from one keystroke's check to the next.
    pub cache: crate::check::SentenceCache,
    /// Check options from the project file (`copydesk.toml` at the workspace root).
    pub options: crate::check::CheckOptions,
}

impl Sources {
    /// Whether a file belongs to the corpus (and so is not linted as a draft).
    pub fn contains(&self, path: &Path) -> bool {
        if self.files.contains(path) {
            return true;
        }
        self.roots.iter().any(|root| path.starts_with(root) && Format::from_path(&path.to_string_lossy()).is_some())
    }
}

/// One check of one version of a draft.
#[derive(Debug)]
pub struct Analysis {
    pub version: i32,
    pub text: String,
    pub lines: LineIndex,
    pub report: Report,
    pub sources: Arc<Sources>,
}

/// Everything handlers share.
#[derive(Debug)]
pub struct Shared {
    pub client: Client,
    /// The server's own way to the client, beside the crate's (see [`super::transport`]).
    pub output: super::transport::Output,
    pub log: Logger,
    pub options: ServerOptions,
    pub session: RwLock<Session>,
    pub settings: Mutex<Settings>,
    pub docs: Mutex<HashMap<Uri, Document>>,
    pub sources: RwLock<Option<Arc<Sources>>>,
    /// Serialises corpus loads.
    pub loading: tokio::sync::Mutex<()>,
    /// Serialises publishing and clearing diagnostics, so a clear on close is never followed
    /// by a late publish for the closed buffer.
    pub publish_gate: tokio::sync::Mutex<()>,
    pub generation: AtomicU64,
    /// The id of the current file-watcher registration, if any.
    pub watch_registration: Mutex<Option<String>>,
    pub shutdown: std::sync::atomic::AtomicBool,
    /// A shared corpus store failed a check and has not answered one in full since.
    pub corpus_unavailable: std::sync::atomic::AtomicBool,
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub fn new(client: Client, options: ServerOptions, output: super::transport::Output) -> Shared {
        let log = Logger::new(options.log_level, client.clone());
        Shared {
            client,
            output,
            log,
            options,
            session: RwLock::new(Session::default()),
            settings: Mutex::new(Settings::default()),
            docs: Mutex::new(HashMap::new()),
            sources: RwLock::new(None),
            loading: tokio::sync::Mutex::new(()),
            publish_gate: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
            watch_registration: Mutex::new(None),
            shutdown: std::sync::atomic::AtomicBool::new(false),
            corpus_unavailable: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn session(&self) -> Session {
        self.session.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn encoding(&self) -> PositionEncoding {
        self.session.read().unwrap_or_else(|p| p.into_inner()).encoding
    }

    pub fn sources(&self) -> Option<Arc<Sources>> {
        self.sources.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_sources(&self, sources: Arc<Sources>) {
        *self.sources.write().unwrap_or_else(|p| p.into_inner()) = Some(sources);
    }

    pub fn debounce(&self) -> Duration {
        lock(&self.settings).debounce
    }
}

/// The draft format of a buffer, from its language id, else from its file extension.
pub fn draft_format(language: &str, uri: &Uri) -> Option<Format> {
    match language {
        "markdown" => return Some(Format::Markdown),
        "plaintext" | "text" => return Some(Format::PlainText),
        _ => {}
    }
    let path = uri.as_str();
    let path = path.split(['?', '#']).next().unwrap_or(path);
    match Format::from_path(path) {
        Some(Format::Html) | None => None,
        Some(format) => Some(format),
    }
}
