//! Running the core check on a snapshot of a buffer, off the async runtime.
//!
//! A check runs in `spawn_blocking` on a copy of the buffer's text, made there too. Its result is kept only if
//! the buffer still has the version that was checked and the corpus has not been reloaded
//! meanwhile; a panic inside the check is caught (as a `JoinError`), logged, and yields nothing.
//! At most one check of a buffer runs at a time. A corpus whose index files changed on disk under
//! the server is not used for a check (reading a shortened file would kill the server): the
//! damage is logged and the corpus reloaded.

use std::sync::Arc;

use tower_lsp_server::lsp_types::Uri;

use super::state::{lock, Analysis, Shared};
use crate::check::check_with_cache;
use crate::position::LineIndex;

/// The analysis of the buffer's current text, computing it if needed. With `want`, gives up
/// unless the buffer is still at that version. None when the buffer is unknown, the corpus is
/// not loaded yet, the buffer is a corpus file, or the check panicked.
pub async fn analyze(shared: &Arc<Shared>, uri: &Uri, want: Option<i32>) -> Option<Arc<Analysis>> {
    // One check per buffer at a time: the permit moves into the blocking task, so a check whose
    // waiter was cancelled still holds it until it finishes, and checks cannot pile up while
    // the user types. Whoever waited then finds the buffer's newest text (or a cached result).
    let gate = lock(&shared.docs).get(uri)?.gate.clone();
    let permit = gate.lock_owned().await;
    let sources = shared.sources()?;
    let (rope, format, version) = {
        let docs = lock(&shared.docs);
        let doc = docs.get(uri)?;
        if want.is_some_and(|v| v != doc.version) {
            return None;
        }
        if doc.path.as_ref().is_some_and(|p| sources.contains(p)) {
            return None;
        }
        if let Some(analysis) = &doc.analysis {
            if analysis.version == doc.version && analysis.sources.generation == sources.generation {
                return Some(analysis.clone());
            }
        }
        // A rope clone shares its chunks: the text is copied out in the blocking task, not
        // under the documents lock that every edit and request takes.
        (doc.rope.clone(), doc.format, doc.version)
    };
    if reload_if_damaged(shared, &sources.corpus) {
        return None;
    }
    if rope.len_bytes() > crate::check::MAX_DRAFT_BYTES {
        shared.log.warn(format!(
            "{} is {} MB: copydesk checks drafts up to {} MB, so it is not checked",
            uri.as_str(),
            rope.len_bytes() / 1_000_000,
            crate::check::MAX_DRAFT_BYTES / 1_000_000
        ));
        return None;
    }
    let delay = shared.options.check_delay;
    let panic_marker = shared.options.panic_marker.clone();
    let checked_sources = sources.clone();
    // The project file's options, with the editor's severities on top.
    let mut options = sources.options.clone();
    options.severity.extend(lock(&shared.settings).severity.clone());
    let joined = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let text = String::from(&rope);
        drop(rope);
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        if panic_marker.as_deref().is_some_and(|m| text.contains(m)) {
            panic!("test hook: panic marker found in draft");
        }
        let (report, _trace) = check_with_cache(&text, format, &checked_sources.corpus, &options, Some(&checked_sources.cache));
        let lines = LineIndex::new(&text);
        Analysis { version, text, lines, report, sources: checked_sources }
    })
    .await;
    let analysis = match joined {
        Ok(analysis) => Arc::new(analysis),
        Err(err) if err.is_panic() => {
            let payload = err.into_panic();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            shared.log.error(format!("check of {} (version {version}) panicked: {message}", uri.as_str()));
            return None;
        }
        Err(err) => {
            shared.log.debug(format!("check of {} cancelled: {err}", uri.as_str()));
            return None;
        }
    };
    // A change found during the check left some of its searches empty: the result is wrong.
    if reload_if_damaged(shared, &analysis.sources.corpus) {
        return None;
    }
    if !store_answered(shared, &analysis.sources.corpus) {
        return None;
    }
    let current = shared.sources().map(|s| s.generation);
    let mut docs = lock(&shared.docs);
    let doc = docs.get_mut(uri)?;
    if doc.version != version || current != Some(sources.generation) {
        shared.log.debug(format!(
            "discarding the check of {} version {version}: the buffer is at version {}",
            uri.as_str(),
            doc.version
        ));
        return None;
    }
    doc.analysis = Some(analysis.clone());
    Some(analysis)
}

/// Whether a shared store answered the whole check. When it did not (PostgreSQL down or
/// slow), the check's findings are not published: the buffer keeps its last diagnostics,
/// the user is told once that the corpus is unavailable, and the open buffers are checked
/// again after a pause (the store's pool reconnects with a backoff that doubles).
fn store_answered(shared: &Arc<Shared>, corpus: &crate::corpus::Corpus) -> bool {
    use std::sync::atomic::Ordering;
    match corpus.take_unavailable() {
        None => {
            if shared.corpus_unavailable.swap(false, Ordering::Relaxed) {
                shared.log.info("corpus available again");
                let shared = shared.clone();
                tokio::spawn(async move {
                    shared.client.show_message(tower_lsp_server::lsp_types::MessageType::INFO, "copydesk: corpus available again").await;
                });
            }
            true
        }
        Some(why) => {
            shared.log.warn(format!("{why}; diagnostics kept from the last complete check"));
            let first = !shared.corpus_unavailable.swap(true, Ordering::Relaxed);
            let shared = shared.clone();
            tokio::spawn(async move {
                if first {
                    shared.client.show_message(tower_lsp_server::lsp_types::MessageType::WARNING, "copydesk: corpus unavailable; retrying").await;
                }
                tokio::time::sleep(STORE_RETRY).await;
                super::diagnostics::schedule_all(&shared);
            });
            false
        }
    }
}

/// How long after a check the store could not answer the open buffers are checked again.
const STORE_RETRY: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether the corpus's index files changed on disk since they were mapped; the first time this
/// finds it, the damage is logged and the corpus reloaded (the reload rebuilds a damaged index).
fn reload_if_damaged(shared: &Arc<Shared>, corpus: &crate::corpus::Corpus) -> bool {
    if corpus.index.check_files().is_ok() {
        return false;
    }
    if let Some(why) = corpus.index.take_damage() {
        shared.log.warn(format!("{why}; reloading the corpus"));
        let shared = shared.clone();
        tokio::spawn(async move {
            super::sources::reload(&shared, "the index changed on disk").await;
        });
    }
    true
}
