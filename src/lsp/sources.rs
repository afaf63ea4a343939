//! The corpus as the server sees it: which paths to load (settings, else `seeds/` at the
//! workspace root, else the built-in seeds), loading in the background with `$/progress`,
//! writing the built-in seeds to the cache directory so editors can open them, and watching
//! the corpus files for changes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tower_lsp_server::lsp_types::{
    self as lsp, request::WorkDoneProgressCreate, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher,
    GlobPattern, OneOf, ProgressToken, Registration, RelativePattern, Unregistration, Uri,
    WorkDoneProgressCreateParams,
};

use super::convert::{from_proto, to_proto};
use super::diagnostics;
use super::state::{lock, Shared, Sources};
use crate::corpus::{Corpus, BUILTIN_SEEDS};

const WATCH_ID: &str = "copydesk-corpus-watch";
/// How long to wait for the client to answer a registration or progress request.
const CLIENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// What to load.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    Paths(Vec<PathBuf>),
    Builtin,
}

/// The project file at the workspace root, if any: its options, its corpus, and a warning or
/// error to log.
fn project_config(shared: &Shared) -> (Option<crate::config::Config>, Vec<String>) {
    let Some(root) = shared.session().root else { return (None, Vec::new()) };
    let Some(path) = crate::config::discover(&root) else { return (None, Vec::new()) };
    match crate::config::load(&path) {
        Ok(config) => {
            let warnings = config.warnings.clone();
            (Some(config), warnings)
        }
        Err(err) => (None, vec![format!("{err}; using the defaults")]),
    }
}

fn plan(shared: &Shared, config: Option<&crate::config::Config>) -> Plan {
    let root = shared.session().root;
    // Editor settings first, then the project file, then seeds/ and the built-in seeds.
    let configured = lock(&shared.settings).corpus.clone();
    if configured.is_none() {
        if let Some(config) = config.filter(|c| !c.corpus.is_empty()) {
            return Plan::Paths(config.corpus.clone());
        }
    }
    if let Some(paths) = configured {
        let resolved = paths
            .iter()
            .map(|p| {
                let path = PathBuf::from(p);
                // A shared store's URL is not a path under the workspace.
                if crate::corpus::postgres::is_store_url(p) {
                    return path;
                }
                match (&root, path.is_absolute()) {
                    (Some(root), false) => root.join(path),
                    _ => path,
                }
            })
            .collect();
        return Plan::Paths(resolved);
    }
    if let Some(seeds) = root.map(|r| r.join("seeds")).filter(|p| p.is_dir()) {
        return Plan::Paths(vec![seeds]);
    }
    Plan::Builtin
}

/// Loads (or reloads) the corpus, then re-checks the open drafts. Returns the number of
/// documents loaded, or None when loading failed (the previous corpus stays in use).
pub async fn reload(shared: &Arc<Shared>, reason: &str) -> Option<usize> {
    reload_with(shared, reason, None).await
}

/// [`reload`] after the file watcher reported these corpus files created, changed or deleted:
/// the index is refreshed for them alone, without walking the corpus.
pub async fn reload_changed(shared: &Arc<Shared>, reason: &str, changed: Vec<PathBuf>) -> Option<usize> {
    reload_with(shared, reason, Some(changed)).await
}

async fn reload_with(shared: &Arc<Shared>, reason: &str, changed: Option<Vec<PathBuf>>) -> Option<usize> {
    let _serial = shared.loading.lock().await;
    let (config, config_messages) = project_config(shared);
    for message in &config_messages {
        shared.log.warn(message.clone());
    }
    if config.is_none() && !config_messages.is_empty() {
        let first = config_messages[0].clone();
        shared.client.show_message(lsp::MessageType::WARNING, format!("copydesk: {first}")).await;
    }
    let options = config
        .as_ref()
        .map(crate::check::CheckOptions::from_config)
        .unwrap_or_else(|| crate::check::CheckOptions { today: crate::check::CheckOptions::today_from_env(), ..Default::default() });
    let limits = config.as_ref().map(crate::config::Config::limits).unwrap_or_default();
    // Watch the project file too, so edits to it apply without a restart.
    let config_file = shared.session().root.map(|r| std::fs::canonicalize(&r).unwrap_or(r).join(crate::config::FILE_NAME));
    let plan = plan(shared, config.as_ref());
    shared.log.info(format!("loading the corpus ({reason}): {}", describe(&plan)));
    let session = shared.session();
    let generation = shared.generation.fetch_add(1, Ordering::SeqCst) + 1;

    // Work-done progress, when the client accepts a server-created token.
    let mut progress = None;
    if session.work_done_progress {
        let token = ProgressToken::String(format!("copydesk/index/{generation}"));
        let created = tokio::time::timeout(
            CLIENT_TIMEOUT,
            shared.client.send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: token.clone() }),
        )
        .await;
        match created {
            Err(_) => shared.log.debug("the client did not answer window/workDoneProgress/create"),
            Ok(Ok(())) => {
                progress = Some(
                    shared
                        .client
                        .progress(token, "copydesk: indexing corpus")
                        .with_message(describe(&plan))
                        .with_percentage(0)
                        .begin()
                        .await,
                );
            }
            Ok(Err(err)) => shared.log.debug(format!("client refused a progress token: {err}")),
        }
    }
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
    let seed_cache = seed_cache_dir(shared);
    let load_plan = plan.clone();
    let changed = changed.filter(|_| matches!(plan, Plan::Paths(_)));
    let index_location = match &shared.options.index_dir {
        Some(dir) => crate::corpus::store::IndexLocation::Dir(dir.clone()),
        None => crate::corpus::store::IndexLocation::Auto { config_file: config.as_ref().and_then(|c| c.path.clone()) },
    };
    let delay = shared.options.load_delay;
    let loader = tokio::task::spawn_blocking(move || -> Result<Sources, String> {
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        let report = move |done: usize, total: usize| {
            let _ = tx.send((done, total));
        };
        match &load_plan {
            Plan::Paths(paths) => {
                let (corpus, _) = match &changed {
                    Some(changed) => crate::corpus::store::load_after_changes(paths, &limits, &index_location, changed),
                    None => crate::corpus::store::load(paths, &limits, &index_location, Some(&report)),
                }
                .map_err(|e| e.to_string())?;
                let mut roots: Vec<PathBuf> = paths.iter().map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())).collect();
                let uris_from: Vec<(PathBuf, PathBuf)> = paths.iter().cloned().zip(roots.iter().cloned()).collect();
                roots.extend(config_file);
                let mut sources = sources_from(corpus, roots, &uris_from, generation, describe(&load_plan));
                sources.options = options;
                Ok(sources)
            }
            Plan::Builtin => {
                let (corpus, _) = crate::corpus::store::load(&[], &crate::corpus::Limits::default(), &index_location, None)
                    .map_err(|e| e.to_string())?;
                let mut sources = sources_from(corpus, config_file.into_iter().collect(), &[], generation, describe(&load_plan));
                sources.options = options;
                write_seeds(&mut sources, seed_cache.as_deref());
                Ok(sources)
            }
        }
    });
    tokio::pin!(loader);
    let joined = loop {
        tokio::select! {
            joined = &mut loader => break joined,
            Some((done, total)) = rx.recv() => {
                if let Some(p) = &progress {
                    let percent = (done * 100).checked_div(total).unwrap_or(100) as u32;
                    p.report_with_message(format!("{done}/{total} files"), percent).await;
                }
            }
        }
    };
    let result = match joined {
        Ok(result) => result,
        Err(err) => Err(format!("the corpus loader panicked: {err}")),
    };
    match result {
        Ok(sources) => {
            let count = sources.corpus.live_count();
            if let Some(p) = progress {
                p.finish_with_message(format!("{count} documents")).await;
            }
            for note in &sources.corpus.notes {
                shared.log.warn(format!("{}: {}", note.path, note.message));
            }
            shared.log.info(format!("corpus ready: {count} documents from {}", sources.description));
            let sources = Arc::new(sources);
            shared.set_sources(sources.clone());
            diagnostics::schedule_all(shared);
            clear_corpus_buffers(shared, &sources).await;
            register_watchers(shared, &sources).await;
            Some(count)
        }
        Err(message) => {
            if let Some(p) = progress {
                p.finish_with_message("failed").await;
            }
            shared.log.error(format!("could not load the corpus: {message}"));
            shared
                .client
                .show_message(lsp::MessageType::ERROR, format!("copydesk: could not load the corpus: {message}"))
                .await;
            None
        }
    }
}

fn describe(plan: &Plan) -> String {
    match plan {
        Plan::Builtin => "the built-in seeds".to_string(),
        // A store's URL is shown without its password: descriptions reach the log.
        Plan::Paths(paths) => paths.iter().map(|p| crate::corpus::postgres::redact(&p.display().to_string())).collect::<Vec<_>>().join(", "),
    }
}

/// `resolved` pairs each corpus path as given with its canonical form: a document found under
/// it is resolved by joining, not by a system call per document (a large archive has tens of
/// thousands).
fn sources_from(corpus: Corpus, roots: Vec<PathBuf>, resolved: &[(PathBuf, PathBuf)], generation: u64, description: String) -> Sources {
    let mut files = HashSet::new();
    let uris = corpus
        .documents
        .iter()
        .map(|doc| {
            let path = doc.disk_path.as_ref().filter(|_| doc.live)?;
            let joined = resolved.iter().find_map(|(given, canonical)| {
                let inside = path.strip_prefix(given).ok()?;
                Some(if inside.as_os_str().is_empty() { canonical.clone() } else { canonical.join(inside) })
            });
            let canonical = joined.unwrap_or_else(|| std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()));
            files.insert(canonical.clone());
            to_proto::file_uri(&canonical)
        })
        .collect();
    Sources {
        corpus,
        generation,
        uris,
        files,
        roots,
        description,
        cache: crate::check::SentenceCache::new(),
        options: crate::check::CheckOptions::default(),
    }
}

fn seed_cache_dir(shared: &Shared) -> Option<PathBuf> {
    shared.options.seed_cache.clone().or_else(|| dirs::cache_dir().map(|d| d.join("copydesk").join("seeds")))
}

/// Writes the built-in seeds to the cache directory (once: a file with the same contents is
/// left alone) and points their URIs there.
fn write_seeds(sources: &mut Sources, dir: Option<&Path>) {
    let Some(dir) = dir else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    for (i, doc) in sources.corpus.documents.iter().enumerate() {
        let name = doc.path.rsplit('/').next().unwrap_or(&doc.path);
        let path = dir.join(name);
        // The embedded text, not the parsed one, so positions computed on the document (which
        // equals the embedded text for the seeds) land on the file.
        let Some(text) = BUILTIN_SEEDS.iter().find(|(p, _)| *p == doc.path).map(|(_, t)| *t) else { continue };
        let same = std::fs::read(&path).is_ok_and(|existing| existing == text.as_bytes());
        if !same && std::fs::write(&path, text).is_err() {
            continue;
        }
        let canonical = std::fs::canonicalize(&path).unwrap_or(path);
        sources.files.insert(canonical.clone());
        if let Some(slot) = sources.uris.get_mut(i) {
            *slot = to_proto::file_uri(&canonical);
        }
    }
}

/// Open corpus files are not drafts: clear what may have been published for them.
async fn clear_corpus_buffers(shared: &Arc<Shared>, sources: &Sources) {
    let corpus_buffers: Vec<Uri> = {
        let docs = lock(&shared.docs);
        let mut uris: Vec<Uri> = docs
            .iter()
            .filter(|(_, d)| d.path.as_ref().is_some_and(|p| sources.contains(p)))
            .map(|(u, _)| u.clone())
            .collect();
        uris.sort();
        uris
    };
    for uri in corpus_buffers {
        diagnostics::clear(shared, &uri);
    }
}

/// (Re-)registers `workspace/didChangeWatchedFiles` for the corpus roots, when the client
/// allows dynamic registration.
async fn register_watchers(shared: &Arc<Shared>, sources: &Sources) {
    let session = shared.session();
    if !session.watch_dynamic {
        return;
    }
    let previous = lock(&shared.watch_registration).take();
    if let Some(id) = previous {
        let unregister = shared
            .client
            .unregister_capability(vec![Unregistration { id, method: "workspace/didChangeWatchedFiles".to_string() }]);
        let _ = tokio::time::timeout(CLIENT_TIMEOUT, unregister).await;
    }
    if sources.roots.is_empty() {
        return;
    }
    let watchers = sources
        .roots
        .iter()
        .map(|root| {
            let glob_pattern = if root.is_dir() {
                match (session.relative_patterns, to_proto::file_uri(root)) {
                    (true, Some(uri)) => GlobPattern::Relative(RelativePattern {
                        base_uri: OneOf::Right(uri),
                        pattern: "**/*".to_string(),
                    }),
                    _ => GlobPattern::String(format!("{}/**/*", root.display())),
                }
            } else {
                GlobPattern::String(root.display().to_string())
            };
            FileSystemWatcher { glob_pattern, kind: None }
        })
        .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    let registration = Registration {
        id: WATCH_ID.to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: serde_json::to_value(options).ok(),
    };
    match tokio::time::timeout(CLIENT_TIMEOUT, shared.client.register_capability(vec![registration])).await {
        Ok(Ok(())) => *lock(&shared.watch_registration) = Some(WATCH_ID.to_string()),
        Ok(Err(err)) => shared.log.warn(format!("could not register file watchers: {err}")),
        Err(_) => shared.log.warn("the client did not answer the file-watcher registration"),
    }
}

/// Whether a changed file is part of the corpus (or could become part of it).
pub fn affects_corpus(shared: &Shared, uri: &Uri) -> bool {
    let Some(sources) = shared.sources() else { return false };
    let Some(path) = from_proto::file_path(uri) else { return false };
    // A deleted file cannot be canonicalised: canonicalise its folder instead.
    let canonical = std::fs::canonicalize(&path).ok().or_else(|| {
        let parent = std::fs::canonicalize(path.parent()?).ok()?;
        Some(parent.join(path.file_name()?))
    });
    let path = canonical.unwrap_or(path);
    sources.files.contains(&path) || sources.roots.iter().any(|root| path.starts_with(root))
}
