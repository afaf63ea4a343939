//! Publishing a corpus folder to the shared store: `copydesk index --corpus DIR --store URL`.
//!
//! Incremental as the embedded index's refresh: a file whose path, size and modification time
//! match the last version's is not read; a file read whose content hash is already stored
//! (unchanged, renamed, copied) adds only its row to the new version; new content is written a
//! batch per transaction with `COPY`. Deleted files are simply not in the new version. The last
//! transaction lists the version's documents, counts its terms and marks it complete, so
//! readers see the old version or the new one, never a mix; a publish that fails halfway
//! leaves its batches behind for the rerun to skip. The three newest versions are kept (a
//! reader pinned to an older one reopens), and content no version lists is deleted.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use futures_util::SinkExt;
use rayon::prelude::*;
use tokio_postgres::Client;

use super::connect::{describe, Pool, Role, Target};
use super::reader::format_label;
use super::{blob_key, PgError, MIGRATIONS, PART_BITS, POSTING_BYTES};
use crate::corpus::{list_files, read_file, sentence_terms, CorpusNote, Document, Fingerprint, Limits, ListedFile, Progress, BUILD};

/// How many measure words a stored figure's `concept` names (as `copydesk extract`).
const CONCEPT_WORDS: usize = 4;
/// Files read and written per transaction.
const BATCH: usize = 256;
/// Versions kept for readers still pinned to one.
const KEPT_VERSIONS: i64 = 3;
/// How long one statement of a publish may take.
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(600);

/// What a publish did.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub version: i32,
    pub documents: usize,
    pub sentences: u64,
    /// Bytes of text in the version.
    pub bytes: u64,
    /// Bytes of new content written.
    pub written_bytes: u64,
    pub new_documents: usize,
    /// New documents whose content was already stored (by an unfinished earlier publish, or a
    /// copy earlier in this one).
    pub resumed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub notes: Vec<CorpusNote>,
    pub skipped: usize,
}

/// One document of the version being written.
#[derive(Debug, Clone)]
struct Entry {
    path: String,
    disk_path: Option<String>,
    format: String,
    title: String,
    url: Option<String>,
    publisher: Option<String>,
    date: Option<String>,
    author: Option<String>,
    fingerprint: Fingerprint,
    sentences: u64,
    total_length: u64,
}

fn q(err: tokio_postgres::Error, what: &str) -> PgError {
    PgError::Query { what: what.to_string(), message: describe(&err) }
}

/// Publishes the files under `paths` as a new corpus version of the store at `url` (the
/// read-write primary of its hosts).
pub fn publish(url: &str, paths: &[PathBuf], limits: &Limits, progress: Option<Progress>) -> Result<Published, PgError> {
    let target = Target::parse(url, Role::Write)?;
    let pool = Pool::new(target, Role::Write)?;
    let listing = list_files(paths, limits)?;
    let mut out = Published { notes: listing.notes.clone(), skipped: listing.skipped, ..Published::default() };
    pool.with_client(async |client: &mut Client| {
        client.batch_execute(&format!("set statement_timeout = {}", STATEMENT_TIMEOUT.as_millis())).await.map_err(|e| q(e, "setting the statement timeout"))?;
        migrate(client).await?;
        // One publisher at a time: a second waits rather than interleave its versions.
        client.batch_execute("select pg_advisory_lock(7133501)").await.map_err(|e| q(e, "taking the publish lock"))?;
        let previous = previous_documents(client).await?;
        let entries = write_content(client, &listing.files, &previous, progress, &mut out).await?;
        let listed: HashSet<&str> = entries.iter().map(|e| e.path.as_str()).collect();
        out.removed = previous.keys().filter(|p| !listed.contains(p.as_str())).count();
        commit_version(client, &entries, &mut out).await?;
        collect_garbage(client).await?;
        client.batch_execute("select pg_advisory_unlock(7133501)").await.map_err(|e| q(e, "releasing the publish lock"))?;
        Ok(())
    })?;
    Ok(out)
}

/// Applies the migrations the store lacks, each in its own transaction.
async fn migrate(client: &mut Client) -> Result<(), PgError> {
    client
        .batch_execute("create table if not exists copydesk_schema (version integer primary key, applied timestamptz not null default now())")
        .await
        .map_err(|e| q(e, "creating the schema table"))?;
    for &(version, sql) in MIGRATIONS {
        let tx = client.transaction().await.map_err(|e| q(e, "starting a migration"))?;
        tx.batch_execute("lock table copydesk_schema in exclusive mode").await.map_err(|e| q(e, "locking the schema table"))?;
        let applied = tx.query_opt("select 1 from copydesk_schema where version = $1", &[&version]).await.map_err(|e| q(e, "reading the schema version"))?;
        if applied.is_none() {
            tx.batch_execute(sql).await.map_err(|e| q(e, &format!("applying migration {version}")))?;
            tx.execute("insert into copydesk_schema (version) values ($1)", &[&version]).await.map_err(|e| q(e, "recording the migration"))?;
        }
        tx.commit().await.map_err(|e| q(e, "committing a migration"))?;
    }
    Ok(())
}

/// The documents of the newest complete version this build published, by path (another
/// build's reading of the same files is not reused: see the migration 0002).
async fn previous_documents(client: &Client) -> Result<HashMap<String, Entry>, PgError> {
    let rows = client
        .query(
            "select d.path, d.disk_path, d.format, d.title, d.url, d.publisher, d.date, d.author, d.size, d.mtime_ns, d.content, b.sentences, b.total_length
             from copydesk_documents d join copydesk_blobs b on b.hash = d.hash
             where d.version = (select max(id) from copydesk_versions where completed is not null and build = $1)",
            &[&BUILD],
        )
        .await
        .map_err(|e| q(e, "reading the last version"))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let entry = Entry {
                path: row.get(0),
                disk_path: row.get(1),
                format: row.get(2),
                title: row.get(3),
                url: row.get(4),
                publisher: row.get(5),
                date: row.get(6),
                author: row.get(7),
                fingerprint: Fingerprint { size: row.get::<_, i64>(8) as u64, mtime_ns: row.get::<_, i64>(9) as u64, hash: row.get::<_, i64>(10) as u64 },
                sentences: row.get::<_, i32>(11) as u64,
                total_length: row.get::<_, i64>(12) as u64,
            };
            (entry.path.clone(), entry)
        })
        .collect())
}

/// The rows of one new document's content, in COPY's text format.
#[derive(Default)]
struct Rows {
    blobs: String,
    postings: String,
    passages: String,
    figures: String,
    quotations: String,
}

/// Escapes a value for COPY's text format (PostgreSQL text cannot hold NUL).
fn esc(out: &mut String, value: &str) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Writes an optional value for COPY's text format.
fn esc_opt(out: &mut String, value: Option<&str>) {
    match value {
        Some(value) => esc(out, value),
        None => out.push_str("\\N"),
    }
}

/// The rows of a document's content stored under `hash` (its [`blob_key`]).
fn content_rows(doc: &Document, hash: i64, size: u64, rows: &mut Rows) -> (u64, u64) {
    use std::fmt::Write;
    let terms = sentence_terms(doc);
    let total_length: u64 = terms.iter().map(|(_, length, _)| *length as u64).sum();
    let _ = write!(rows.blobs, "{hash}\t{size}\t");
    esc(&mut rows.blobs, &doc.text);
    let _ = write!(rows.blobs, "\t{}\t{total_length}\t\\\\x", terms.len());
    for (_, length, _) in &terms {
        let _ = write!(rows.blobs, "{length:08x}");
    }
    rows.blobs.push('\n');
    for (sentence, (_, length, counts)) in terms.iter().enumerate() {
        for &(term, tf) in counts {
            let _ = writeln!(rows.postings, "{}\t{hash}\t{sentence}\t{}\t{length}", term as i64, tf.min(127));
        }
    }
    let text = doc.prose_text();
    // The frames of the document's figures, read sentence by sentence as `copydesk extract`
    // reads a draft's.
    let figures: Vec<crate::claims::figures::Quantity> = (0..doc.prose.paragraphs.len()).flat_map(|i| doc.paragraph_quantities(i).iter().cloned()).collect();
    let sentences: Vec<crate::position::Span> = doc.prose.sentences.iter().map(|s| s.span).collect();
    let frames = crate::claims::frame::frames_of(text, &sentences, &figures);
    let mut frame_of = frames.iter();
    for (i, paragraph) in doc.prose.paragraphs.iter().enumerate() {
        let _ = write!(rows.passages, "{hash}\t{i}\t");
        esc(&mut rows.passages, paragraph.slice(text));
        rows.passages.push('\n');
        for quotation in &doc.paragraph_quotes(i).quotes {
            let words: Vec<&str> = quotation.parts.iter().map(|p| p.slice(text)).collect();
            let _ = write!(rows.quotations, "{hash}\t{i}\t{}\t{}\t", quotation.span.start, quotation.span.end);
            esc(&mut rows.quotations, &words.join(" ... "));
            rows.quotations.push('\t');
            let speaker = quotation.speaker.as_ref();
            esc_opt(&mut rows.quotations, speaker.map(|s| s.text.as_str()));
            rows.quotations.push('\t');
            esc_opt(&mut rows.quotations, speaker.map(|s| format!("{:?}", s.kind).to_lowercase()).as_deref());
            let _ = writeln!(rows.quotations, "\t{}", speaker.is_some_and(|s| s.follows && !s.continued));
        }
        for figure in doc.paragraph_quantities(i) {
            let frame = frame_of.next().and_then(Option::as_ref);
            let high = figure.high.map_or("\\N".to_string(), |h| h.to_string());
            let _ = write!(rows.figures, "{hash}\t{i}\t{}\t{}\t{}\t{high}\t", figure.span.start, figure.span.end, figure.value);
            // As `copydesk extract` names them: `USD`, `percent`, `year`; `approx`, `at-least`.
            esc(&mut rows.figures, &figure.unit.name().unwrap_or_default());
            rows.figures.push('\t');
            esc(&mut rows.figures, figure.bound.name());
            rows.figures.push('\t');
            esc(&mut rows.figures, figure.span.slice(text));
            rows.figures.push('\t');
            esc(&mut rows.figures, &frame.map(|f| f.concept(text, CONCEPT_WORDS).join(" ")).unwrap_or_default());
            rows.figures.push('\t');
            esc(&mut rows.figures, &frame.map(|f| f.periods.iter().map(|(p, _)| p.label()).collect::<Vec<_>>().join(",")).unwrap_or_default());
            rows.figures.push('\n');
        }
    }
    (terms.len() as u64, total_length)
}

async fn copy(client: &tokio_postgres::Transaction<'_>, sql: &str, data: String) -> Result<(), PgError> {
    if data.is_empty() {
        return Ok(());
    }
    let sink = client.copy_in::<_, bytes::Bytes>(sql).await.map_err(|e| q(e, sql))?;
    let mut sink = std::pin::pin!(sink);
    sink.send(bytes::Bytes::from(data)).await.map_err(|e| q(e, sql))?;
    sink.finish().await.map_err(|e| q(e, sql))?;
    Ok(())
}

/// Reads the files that changed and writes the content not stored yet; returns every
/// document of the new version, in path order.
async fn write_content(client: &mut Client, files: &[ListedFile], previous: &HashMap<String, Entry>, progress: Option<Progress<'_>>, out: &mut Published) -> Result<Vec<Entry>, PgError> {
    let mut entries = Vec::with_capacity(files.len());
    let previous_hashes: HashSet<u64> = previous.values().map(|e| e.fingerprint.hash).collect();
    let mut done = 0;
    for chunk in files.chunks(BATCH) {
        // Unchanged by size and time: the last version's row, no read.
        let unchanged = |file: &ListedFile| {
            previous.get(&file.path.display().to_string()).filter(|e| e.fingerprint.size == file.size && e.fingerprint.mtime_ns == file.mtime_ns && file.mtime_ns != 0)
        };
        let read: Vec<Option<crate::corpus::ReadFile>> = chunk.par_iter().map(|file| unchanged(file).is_none().then(|| read_file(&file.path))).collect();
        let hashes: Vec<i64> = read.iter().flatten().filter_map(|r| r.document.as_ref()).map(|(_, _, f)| blob_key(f.hash)).collect();
        let stored: HashSet<i64> = client
            .query("select hash from copydesk_blobs where hash = any($1)", &[&hashes])
            .await
            .map_err(|e| q(e, "looking up stored content"))?
            .into_iter()
            .map(|row| row.get(0))
            .collect();
        // New content, each once however many files hold it.
        let mut fresh: Vec<(&Document, i64, u64)> = Vec::new();
        let mut seen = HashSet::new();
        for r in read.iter().flatten() {
            if let Some((doc, _, f)) = &r.document {
                let key = blob_key(f.hash);
                if !stored.contains(&key) && seen.insert(key) {
                    fresh.push((doc, key, f.size));
                }
            }
        }
        let counted: Vec<(Rows, (u64, u64))> = fresh
            .par_iter()
            .map(|&(doc, hash, size)| {
                let mut rows = Rows::default();
                let counts = content_rows(doc, hash, size, &mut rows);
                (rows, counts)
            })
            .collect();
        let mut sentences_of: HashMap<u64, (u64, u64)> = HashMap::new();
        if !counted.is_empty() {
            let mut all = Rows::default();
            for ((rows, counts), &(doc, hash, _)) in counted.into_iter().zip(&fresh) {
                all.blobs.push_str(&rows.blobs);
                all.postings.push_str(&rows.postings);
                all.passages.push_str(&rows.passages);
                all.figures.push_str(&rows.figures);
                all.quotations.push_str(&rows.quotations);
                out.written_bytes += doc.text.len() as u64;
                sentences_of.insert(hash as u64, counts);
            }
            let tx = client.transaction().await.map_err(|e| q(e, "starting a batch"))?;
            copy(&tx, "copy copydesk_blobs (hash, size, text, sentences, total_length, lengths) from stdin", all.blobs).await?;
            copy(&tx, "copy copydesk_postings (term, blob, sentence, tf, length) from stdin", all.postings).await?;
            copy(&tx, "copy copydesk_passages (blob, paragraph, text) from stdin", all.passages).await?;
            copy(&tx, "copy copydesk_figures (blob, paragraph, start_byte, end_byte, value, high, unit, bound, mention, concept, periods) from stdin", all.figures).await?;
            copy(&tx, "copy copydesk_quotations (blob, paragraph, start_byte, end_byte, words, speaker, speaker_kind, sure) from stdin", all.quotations).await?;
            tx.commit().await.map_err(|e| q(e, "committing a batch"))?;
        }
        // Content stored before: its counts, for the documents' sentence ids.
        let known: Vec<i64> = read
            .iter()
            .flatten()
            .filter_map(|r| r.document.as_ref())
            .map(|(_, _, f)| blob_key(f.hash))
            .filter(|h| !sentences_of.contains_key(&(*h as u64)))
            .collect();
        if !known.is_empty() {
            for row in client
                .query("select hash, sentences, total_length from copydesk_blobs where hash = any($1)", &[&known])
                .await
                .map_err(|e| q(e, "reading stored content"))?
            {
                sentences_of.insert(row.get::<_, i64>(0) as u64, (row.get::<_, i32>(1) as u64, row.get::<_, i64>(2) as u64));
            }
        }
        for (file, r) in chunk.iter().zip(read) {
            match r {
                None => {
                    let entry = unchanged(file).expect("unread files are unchanged").clone();
                    out.unchanged += 1;
                    entries.push(entry);
                }
                Some(r) => {
                    let Some((doc, format, fingerprint)) = r.document else {
                        out.notes.extend(r.note);
                        continue;
                    };
                    out.notes.extend(r.note);
                    let key = blob_key(fingerprint.hash);
                    let (sentences, total_length) = sentences_of.get(&(key as u64)).copied().unwrap_or_default();
                    if previous.get(&doc.path).is_none_or(|e| e.fingerprint.hash != fingerprint.hash) {
                        out.new_documents += 1;
                        if stored.contains(&key) && !previous_hashes.contains(&fingerprint.hash) {
                            out.resumed += 1;
                        }
                    } else {
                        out.unchanged += 1;
                    }
                    entries.push(Entry {
                        path: doc.path.clone(),
                        disk_path: doc.disk_path.as_ref().map(|p| p.to_string_lossy().into_owned()),
                        format: format_label(format).to_string(),
                        title: doc.title.clone(),
                        url: doc.url.clone(),
                        publisher: doc.publisher.clone(),
                        date: doc.date.clone(),
                        author: doc.author.clone(),
                        fingerprint,
                        sentences,
                        total_length,
                    });
                }
            }
        }
        done += chunk.len();
        if let Some(progress) = progress {
            progress(done, files.len());
        }
    }
    Ok(entries)
}

/// Writes the version's document list and term counts and marks it complete, in one
/// transaction.
async fn commit_version(client: &mut Client, entries: &[Entry], out: &mut Published) -> Result<(), PgError> {
    use std::fmt::Write;
    let tx = client.transaction().await.map_err(|e| q(e, "starting the version"))?;
    let version: i32 = tx.query_one("insert into copydesk_versions (build) values ($1) returning id", &[&BUILD]).await.map_err(|e| q(e, "creating the version"))?.get(0);
    let mut rows = String::new();
    let (mut first, mut length, mut bytes) = (0u64, 0u64, 0u64);
    for (id, e) in entries.iter().enumerate() {
        let _ = write!(rows, "{version}\t{id}\t");
        esc(&mut rows, &e.path);
        for field in [e.disk_path.as_deref(), Some(e.format.as_str()), Some(e.title.as_str()), e.url.as_deref(), e.publisher.as_deref(), e.date.as_deref(), e.author.as_deref()] {
            rows.push('\t');
            match field {
                Some(value) => esc(&mut rows, value),
                None => rows.push_str("\\N"),
            }
        }
        let _ = writeln!(rows, "\t{}\t{}\t{}\t{}\t{first}", e.fingerprint.size as i64, e.fingerprint.mtime_ns as i64, blob_key(e.fingerprint.hash), e.fingerprint.hash as i64);
        first += e.sentences;
        length += e.total_length;
        bytes += e.fingerprint.size;
    }
    copy(&tx, "copy copydesk_documents (version, id, path, disk_path, format, title, url, publisher, date, author, size, mtime_ns, hash, content, first_sentence) from stdin", rows).await?;
    // Each term's postings over the version, packed (see the migration 0002 for the layout),
    // then its document frequency from them.
    tx.execute(
        &format!(
            "insert into copydesk_term_postings (version, term, part, postings)
             select $1, p.term, ((d.first_sentence + p.sentence) >> {PART_BITS})::int4,
                    string_agg(substring(int8send(d.first_sentence + p.sentence) from 5) || int2send(p.tf) || int4send(p.length), ''::bytea)
             from copydesk_documents d join copydesk_postings p on p.blob = d.hash
             where d.version = $1 group by 2, 3"
        ),
        &[&version],
    )
    .await
    .map_err(|e| q(e, "packing the version's postings"))?;
    tx.execute(
        &format!(
            "insert into copydesk_terms (version, term, df)
             select $1, term, sum(length(postings) / {POSTING_BYTES})::int4 from copydesk_term_postings where version = $1 group by term"
        ),
        &[&version],
    )
    .await
    .map_err(|e| q(e, "counting the version's terms"))?;
    let documents = entries.len() as i32;
    tx.execute(
        "update copydesk_versions set completed = now(), documents = $2, sentences = $3, total_length = $4, bytes = $5 where id = $1",
        &[&version, &documents, &(first as i64), &(length as i64), &(bytes as i64)],
    )
    .await
    .map_err(|e| q(e, "completing the version"))?;
    tx.commit().await.map_err(|e| q(e, "committing the version"))?;
    out.version = version;
    out.documents = entries.len();
    out.sentences = first;
    out.bytes = bytes;
    Ok(())
}

/// Drops versions past the newest few and the content none of the rest lists, then refreshes
/// the planner's statistics.
async fn collect_garbage(client: &mut Client) -> Result<(), PgError> {
    client
        .execute(
            "delete from copydesk_versions where id not in (select id from copydesk_versions where completed is not null order by id desc limit $1)",
            &[&KEPT_VERSIONS],
        )
        .await
        .map_err(|e| q(e, "dropping old versions"))?;
    client
        .execute("delete from copydesk_blobs b where not exists (select 1 from copydesk_documents d where d.hash = b.hash)", &[])
        .await
        .map_err(|e| q(e, "dropping unlisted content"))?;
    // Fresh statistics and visibility maps: searches read the postings' index alone.
    // One statement each: several in one string would run as one transaction, which VACUUM
    // refuses.
    for table in ["copydesk_postings", "copydesk_documents", "copydesk_terms", "copydesk_term_postings", "copydesk_blobs"] {
        client.batch_execute(&format!("vacuum analyze {table}")).await.map_err(|e| q(e, "vacuuming"))?;
    }
    Ok(())
}
