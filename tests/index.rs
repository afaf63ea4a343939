//! The on-disk corpus index: refresh after sources are added, changed and removed; a damaged,
//! foreign or outdated index rebuilt; a build killed part-way leaving a loadable index; several
//! processes sharing one index.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use copydesk::corpus::store::{self, IndexLocation, Refresh, Sources};
use copydesk::corpus::{Corpus, Limits};

fn article(topic: &str, figure: u32) -> String {
    format!(
        "{topic} report\n\nThe {topic} market grew to {figure} million units last year, analysts at Quarry Research said.\n\n\
         \"We expect {topic} demand to keep rising,\" said Dana Whitlock, the firm's chief analyst.\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn open(corpus: &Path, index: &Path) -> (Corpus, Refresh) {
    store::open(index, Sources::Paths(&[corpus.to_path_buf()]), &Limits::default(), None).unwrap()
}

/// The paths of the live documents whose best sentence for `words` is found by search.
fn top_path(corpus: &Corpus, words: &[&str]) -> Option<String> {
    let query: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    let (id, _) = *corpus.index.search(&query, 1).first()?;
    let sentence = corpus.index.sentence(id)?;
    Some(corpus.documents[sentence.doc as usize].path.rsplit('/').next().unwrap().to_string())
}

fn live_names(corpus: &Corpus) -> Vec<String> {
    let mut names: Vec<String> = corpus.live_documents().map(|(_, d)| d.path.rsplit('/').next().unwrap().to_string()).collect();
    names.sort();
    names
}

fn sample_corpus(dir: &Path, count: usize) {
    for i in 0..count {
        write(dir, &format!("a{i:03}.txt"), &article(&format!("topic{i}"), 10 + i as u32));
    }
}

#[test]
fn refresh_reads_only_added_changed_and_removed_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    let index_dir = tmp.path().join("index");
    sample_corpus(&corpus_dir, 12);

    let (corpus, refresh) = open(&corpus_dir, &index_dir);
    assert!(refresh.wrote && refresh.full && refresh.rebuilt.is_none(), "{refresh:?}");
    assert_eq!((corpus.live_count(), refresh.segments), (12, 1));

    let (_, refresh) = open(&corpus_dir, &index_dir);
    assert!(!refresh.wrote, "an unchanged corpus is not rewritten: {refresh:?}");

    // Added: a new segment with one document.
    write(&corpus_dir, "zeppelin.txt", &article("zeppelin", 77));
    let (corpus, refresh) = open(&corpus_dir, &index_dir);
    assert_eq!((refresh.added, refresh.changed, refresh.removed, refresh.segments, refresh.full), (1, 0, 0, 2, false));
    assert_eq!(top_path(&corpus, &["zeppelin", "market"]).as_deref(), Some("zeppelin.txt"));

    // Changed: the old version is gone from search, the new one is found.
    std::thread::sleep(Duration::from_millis(20));
    write(&corpus_dir, "a003.txt", &article("gyroscope", 5));
    let (corpus, refresh) = open(&corpus_dir, &index_dir);
    assert_eq!((refresh.added, refresh.changed, refresh.removed), (0, 1, 0), "{refresh:?}");
    assert_eq!(top_path(&corpus, &["gyroscope", "market"]).as_deref(), Some("a003.txt"));
    assert_ne!(top_path(&corpus, &["topic3", "market"]).as_deref(), Some("a003.txt"));
    let doc = corpus.live_documents().find(|(_, d)| d.path.ends_with("a003.txt")).unwrap().0;
    assert!(corpus.document(doc).unwrap().text.contains("gyroscope"));

    // Removed: no longer listed or found.
    std::fs::remove_file(corpus_dir.join("zeppelin.txt")).unwrap();
    let (corpus, refresh) = open(&corpus_dir, &index_dir);
    assert_eq!((refresh.added, refresh.changed, refresh.removed), (0, 0, 1), "{refresh:?}");
    assert!(!live_names(&corpus).contains(&"zeppelin.txt".to_string()));
    assert_ne!(top_path(&corpus, &["zeppelin", "market"]).as_deref(), Some("zeppelin.txt"));

    // The refreshed index holds what a fresh load of the same files holds.
    let fresh = Corpus::load(std::slice::from_ref(&corpus_dir), None).unwrap();
    assert_eq!(live_names(&corpus), live_names(&fresh));
    for words in [&["gyroscope", "demand"][..], &["topic7", "units"], &["whitlock", "topic11"]] {
        assert_eq!(top_path(&corpus, words), top_path(&fresh, words), "{words:?}");
    }
}

#[test]
fn a_touched_but_unchanged_source_is_not_reindexed() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path(), 3);
    let index_dir = tmp.path().join(".copydesk/index");
    open(tmp.path(), &index_dir);
    std::thread::sleep(Duration::from_millis(20));
    let text = std::fs::read(tmp.path().join("a001.txt")).unwrap();
    std::fs::write(tmp.path().join("a001.txt"), text).unwrap();
    let (_, refresh) = open(tmp.path(), &index_dir);
    assert!(!refresh.wrote, "{refresh:?}");
}

#[test]
fn a_source_changed_after_indexing_is_not_read_as_the_indexed_version() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path(), 3);
    let (corpus, _) = open(tmp.path(), &tmp.path().join("index"));
    write(tmp.path(), "a000.txt", "Entirely different words now.");
    let id = corpus.live_documents().find(|(_, d)| d.path.ends_with("a000.txt")).unwrap().0;
    assert!(corpus.document(id).is_none(), "a changed file must not be read against the old sentence table");
    let other = corpus.live_documents().find(|(_, d)| d.path.ends_with("a001.txt")).unwrap().0;
    assert!(corpus.document(other).is_some());
}

#[test]
fn a_damaged_index_is_reported_and_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 5);
    let index_dir = tmp.path().join("index");
    let (good, refresh) = open(&corpus_dir, &index_dir);
    let expected = live_names(&good);
    // The folder of this set of roots inside the index folder.
    let set_dir = refresh.dir;
    let segment = || {
        std::fs::read_dir(&set_dir).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|e| e == "cdi")).unwrap()
    };
    type Damage<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let damages: Vec<Damage> = vec![
        ("a flipped byte in a segment", Box::new(|| {
            let path = segment();
            let mut bytes = std::fs::read(&path).unwrap();
            let at = bytes.len() / 2;
            bytes[at] ^= 0xff;
            std::fs::write(&path, bytes).unwrap();
        })),
        ("a truncated segment", Box::new(|| {
            let path = segment();
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() - 100]).unwrap();
        })),
        ("a missing segment", Box::new(|| std::fs::remove_file(segment()).unwrap())),
        ("a manifest that is not JSON", Box::new(|| std::fs::write(set_dir.join("manifest.json"), "{ not json").unwrap())),
        ("an empty manifest", Box::new(|| std::fs::write(set_dir.join("manifest.json"), "").unwrap())),
        ("a segment replaced by another file", Box::new(|| std::fs::write(segment(), vec![7u8; 4096]).unwrap())),
    ];
    for (what, damage) in damages {
        damage();
        let (corpus, refresh) = open(&corpus_dir, &index_dir);
        assert!(refresh.full && refresh.rebuilt.as_deref().is_some_and(|w| w.contains("damaged")), "{what}: {refresh:?}");
        assert!(corpus.notes.iter().any(|n| n.message.contains("damaged") && n.message.contains("rebuilt")), "{what}: {:?}", corpus.notes);
        assert_eq!(live_names(&corpus), expected, "{what}");
        let (_, again) = open(&corpus_dir, &index_dir);
        assert!(!again.wrote, "{what}: the rebuilt index is used as is");
    }
}

#[test]
fn an_index_from_another_version_or_build_or_for_other_roots_is_rebuilt_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path(), 3);
    let index_dir = tmp.path().join("index");
    let (_, refresh) = open(tmp.path(), &index_dir);
    let manifest = refresh.dir.join("manifest.json");
    // Another version, and another build of this version (whose reading of the prose, and so
    // the sentence offsets it indexed, may differ): both are rebuilt.
    for other in ["0.0.1".to_string(), format!("{}+0000000000000000", env!("CARGO_PKG_VERSION"))] {
        let text = std::fs::read_to_string(&manifest).unwrap();
        let at = text.find("\"copydesk\": \"").unwrap() + "\"copydesk\": \"".len();
        let end = at + text[at..].find('"').unwrap();
        assert!(text[at..end].starts_with(&format!("{}+", env!("CARGO_PKG_VERSION"))), "{}", &text[at..end]);
        std::fs::write(&manifest, format!("{}{other}{}", &text[..at], &text[end..])).unwrap();
        let (corpus, refresh) = open(tmp.path(), &index_dir);
        assert!(refresh.full && refresh.rebuilt.as_deref().is_some_and(|w| w.contains(&other)), "{refresh:?}");
        assert!(!corpus.notes.iter().any(|n| n.message.contains("damaged")));
    }
    // The same index directory asked to serve another folder builds an index for it beside.
    let other = tempfile::tempdir().unwrap();
    sample_corpus(other.path(), 2);
    let (corpus, refresh) = store::open(&index_dir, Sources::Paths(&[other.path().to_path_buf()]), &Limits::default(), None).unwrap();
    assert!(refresh.full && corpus.live_count() == 2, "{refresh:?}");
    assert_ne!(refresh.dir, manifest.parent().unwrap());
}

#[test]
fn notes_on_unusable_files_survive_a_warm_start() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path(), 2);
    std::fs::write(tmp.path().join("blob.txt"), b"\x00\x01\x02binary").unwrap();
    std::fs::write(tmp.path().join("latin1.txt"), b"Caf\xe9 prices rose 12 percent in 2024, the report said.").unwrap();
    let index_dir = tmp.path().join("index");
    for round in 0..2 {
        let (corpus, refresh) = open(tmp.path(), &index_dir);
        assert_eq!(refresh.wrote, round == 0);
        let notes: Vec<String> = corpus.notes.iter().map(|n| format!("{}: {}", n.path, n.message)).collect();
        assert!(notes.iter().any(|n| n.contains("blob.txt") && n.contains("binary")), "round {round}: {notes:?}");
        assert!(notes.iter().any(|n| n.contains("latin1.txt") && n.contains("UTF-8")), "round {round}: {notes:?}");
        assert_eq!(corpus.live_count(), 3);
    }
}

#[test]
fn an_unwritable_default_location_falls_back_to_memory_but_a_named_one_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    sample_corpus(tmp.path(), 2);
    // A file where the index folder would go makes the folder impossible to create.
    std::fs::write(tmp.path().join(".copydesk"), "not a folder").unwrap();
    let paths = [tmp.path().to_path_buf()];
    let (corpus, refresh) = store::load(&paths, &Limits::default(), &IndexLocation::Auto { config_file: None }, None).unwrap();
    assert!(refresh.is_none());
    assert_eq!(corpus.live_count(), 2);
    assert!(corpus.notes.iter().any(|n| n.message.contains("indexed in memory")), "{:?}", corpus.notes);
    let named = IndexLocation::Dir(tmp.path().join(".copydesk/index"));
    let err = store::load(&paths, &Limits::default(), &named, None).unwrap_err();
    assert!(err.to_string().contains(".copydesk"), "{err}");
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_copydesk"))
}

fn index_command(corpus: &Path, index: &Path) -> Command {
    let mut command = Command::new(bin());
    command.args(["index", "--no-config", "--corpus"]).arg(corpus).arg("--index-dir").arg(index);
    command
}

#[test]
fn a_build_killed_part_way_leaves_a_loadable_index() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    // Large enough that a build takes a while, so kills land at different stages.
    for i in 0..1500 {
        let mut text = article(&format!("subject{i}"), i as u32);
        for j in 0..20 {
            text.push_str(&format!("Paragraph {j} of article {i} discusses subject{i} and figure {} at length.\n\n", i * j));
        }
        write(&corpus_dir, &format!("a{i:04}.txt"), &text);
    }
    let index_dir = tmp.path().join("index");
    let mut previous: Option<Vec<String>> = None;
    for (round, delay_ms) in [5u64, 20, 60, 150, 300, 600].into_iter().enumerate() {
        // From the second round on, a change makes the killed process a refresh, not a build.
        if round > 0 {
            write(&corpus_dir, &format!("new{round}.txt"), &article(&format!("fresh{round}"), round as u32));
        }
        let mut child = index_command(&corpus_dir, &index_dir).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever state the kill left, the next open loads an index that matches the files.
        let (corpus, refresh) = open(&corpus_dir, &index_dir);
        assert!(refresh.rebuilt.is_none() || !refresh.rebuilt.as_deref().unwrap().contains("damaged"), "round {round}: {refresh:?}");
        let set_dir = &refresh.dir;
        let names = live_names(&corpus);
        assert_eq!(names.len(), 1500 + round, "round {round}");
        assert!(round == 0 || names.contains(&format!("new{round}.txt")));
        if let Some(previous) = &previous {
            assert!(previous.iter().all(|n| names.contains(n)));
        }
        previous = Some(names);
        let leftovers: Vec<String> = std::fs::read_dir(set_dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty() || !refresh.wrote, "round {round}: a writer removes what killed writers left: {leftovers:?}");
    }
}

#[test]
fn processes_sharing_an_index_never_corrupt_it() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 300);
    let index_dir = tmp.path().join("index");
    for round in 0..3 {
        write(&corpus_dir, &format!("round{round}.txt"), &article(&format!("round{round}"), round));
        let children: Vec<_> = (0..4).map(|_| index_command(&corpus_dir, &index_dir).output()).collect();
        for child in children {
            let output = child.unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(stdout.contains(&format!("{} documents", 301 + round)), "{stdout}");
        }
        let (corpus, refresh) = open(&corpus_dir, &index_dir);
        assert!(!refresh.wrote, "round {round}: {refresh:?}");
        assert_eq!(corpus.live_count(), 301 + round as usize);
    }
}

#[test]
fn concurrent_opens_in_threads_agree() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 50);
    let index_dir = tmp.path().join("index");
    let counts: Vec<usize> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4).map(|_| scope.spawn(|| open(&corpus_dir, &index_dir).0.live_count())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(counts, vec![50; 4]);
}

#[test]
fn the_index_command_reports_and_lint_uses_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("sources");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 4);
    let out = Command::new(bin()).current_dir(tmp.path()).args(["index", "--corpus", "sources"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("indexed: 4 documents,"), "{stdout}");
    assert!(stdout.contains("sources/.copydesk/index"), "{stdout}");
    let out = Command::new(bin()).current_dir(tmp.path()).args(["index", "--corpus", "sources"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("index is up to date: 4 documents"));
    std::fs::write(tmp.path().join("draft.md"), "The topic2 market grew to 99 million units last year, analysts at Quarry Research said.\n").unwrap();
    let out = Command::new(bin()).current_dir(tmp.path()).args(["lint", "--format", "concise", "--corpus", "sources", "draft.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("number-mismatch"));
    // --no-index reads the same corpus without the index and finds the same thing.
    let out2 = Command::new(bin()).current_dir(tmp.path()).args(["lint", "--no-index", "--format", "concise", "--corpus", "sources", "draft.md"]).output().unwrap();
    assert_eq!(out.stdout, out2.stdout);
}

#[test]
fn a_refresh_for_watched_changes_reads_only_those_files() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 12);
    let index_dir = tmp.path().join("index");
    let roots = [corpus_dir.clone()];
    open(&corpus_dir, &index_dir);
    let after = |changed: &[PathBuf]| store::open_after_changes(&index_dir, Sources::Paths(&roots), &Limits::default(), changed).unwrap();

    // Created, changed and deleted files, as a watcher reports them (canonical paths).
    write(&corpus_dir, "created.txt", &article("hovercraft", 3));
    std::thread::sleep(Duration::from_millis(20));
    write(&corpus_dir, "a002.txt", &article("monorail", 4));
    std::fs::remove_file(corpus_dir.join("a005.txt")).unwrap();
    let canonical = std::fs::canonicalize(&corpus_dir).unwrap();
    let (corpus, refresh) = after(&[canonical.join("created.txt"), canonical.join("a002.txt"), canonical.join("a005.txt")]);
    assert_eq!((refresh.added, refresh.changed, refresh.removed, refresh.full), (1, 1, 1, false), "{refresh:?}");
    assert_eq!(top_path(&corpus, &["hovercraft", "market"]).as_deref(), Some("created.txt"));
    assert_eq!(top_path(&corpus, &["monorail", "market"]).as_deref(), Some("a002.txt"));
    assert!(!live_names(&corpus).contains(&"a005.txt".to_string()));
    // The result equals a full refresh: a walk finds nothing more to do.
    let (full, refresh) = open(&corpus_dir, &index_dir);
    assert!(!refresh.wrote, "{refresh:?}");
    assert_eq!(live_names(&full), live_names(&corpus));

    // Paths outside the roots, in hidden folders or of other types change nothing.
    let outside = tmp.path().join("outside.txt");
    write(tmp.path(), "outside.txt", &article("outside", 1));
    write(&corpus_dir, "notes.docx", "binary-ish");
    let (_, refresh) = after(&[outside, canonical.join(".copydesk/index/manifest.json"), canonical.join("notes.docx")]);
    assert!(!refresh.wrote, "{refresh:?}");
}

/// Words the tokenizer keeps whole (terms with digits are not indexed).
const NATO: [&str; 20] = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo", "lima", "mike", "november",
    "oscar", "papa", "quebec", "romeo", "sierra", "tango",
];

#[test]
fn many_refreshes_merge_the_small_segments_and_keep_the_large_one() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 40);
    let index_dir = tmp.path().join("index");
    let (_, first) = open(&corpus_dir, &index_dir);
    let base = std::fs::read_dir(&first.dir).unwrap().flatten().find(|e| e.file_name().to_string_lossy().ends_with(".cdi")).unwrap().file_name();
    for round in 0..20u32 {
        write(&corpus_dir, &format!("extra{round}.txt"), &article(&format!("extra{round}"), round));
        std::thread::sleep(Duration::from_millis(5));
        // Change the same file often, and another now and then.
        let word = NATO[round as usize];
        write(&corpus_dir, "a001.txt", &article(word, round));
        let (corpus, refresh) = open(&corpus_dir, &index_dir);
        assert!(!refresh.full, "round {round}: {refresh:?}");
        assert!(refresh.segments <= 8, "round {round}: {refresh:?}");
        assert_eq!(corpus.live_count(), 41 + round as usize);
        assert_eq!(top_path(&corpus, &[word, "market"]).as_deref(), Some("a001.txt"), "round {round}: {refresh:?}");
    }
    assert!(first.dir.join(&base).exists(), "the first segment {base:?} ({first:?}) is never rewritten by a merge");
    let (corpus, _) = open(&corpus_dir, &index_dir);
    let fresh = Corpus::load(std::slice::from_ref(&corpus_dir), None).unwrap();
    assert_eq!(live_names(&corpus), live_names(&fresh));
    assert_eq!(corpus.index.live_sentence_count(), fresh.index.live_sentence_count());
}

// Issue 12: the index folder, damage that keeps a segment's size and time, a segment shortened
// under a running process, and indexes for several sets of roots.

/// How many sentences a search for `words` finds (at most 100).
fn search_count(corpus: &Corpus, words: &[&str]) -> usize {
    let query: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    corpus.index.search(&query, 100).len()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn an_index_dir_holding_other_files_is_refused_and_left_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 3);
    let mine = tmp.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    let files = [("manifest.json", "{\"name\":\"my app\"}\n"), ("draft.tmp", "notes\n"), ("seg-notes.md", "keep\n")];
    for (name, text) in files {
        write(&mine, name, text);
    }
    let output = index_command(&corpus_dir, &mine).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("mine") && stderr.contains("only into an empty folder or one it made"), "{stderr}");
    assert_eq!(names_in(&mine), ["draft.tmp", "manifest.json", "seg-notes.md"]);
    for (name, text) in files {
        assert_eq!(std::fs::read_to_string(mine.join(name)).unwrap(), text, "{name}");
    }
    // The library refuses it the same way, whatever the location says.
    let err = store::load(std::slice::from_ref(&corpus_dir), &Limits::default(), &IndexLocation::Dir(mine.clone()), None).unwrap_err();
    assert!(err.to_string().contains("only into an empty folder"), "{err}");

    // An empty folder is taken and marked; the marked folder is used again.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for round in 0..2 {
        let output = index_command(&corpus_dir, &empty).output().unwrap();
        assert!(output.status.success(), "round {round}: {}", String::from_utf8_lossy(&output.stderr));
    }
    assert!(empty.join(copydesk::corpus::folder::MARKER).is_file());
}

#[test]
fn a_damaged_segment_with_its_size_and_time_kept_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 6);
    let index_dir = tmp.path().join("index");
    let (good, refresh) = open(&corpus_dir, &index_dir);
    let expected = live_names(&good);
    let segment = std::fs::read_dir(&refresh.dir).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|e| e == "cdi")).unwrap();
    let time = std::fs::metadata(&segment).unwrap().modified().unwrap();
    // Zero the postings (the last section) in place, then put the time back, as bit rot, a
    // `cp -p` or a restore from backup can leave it.
    let mut bytes = std::fs::read(&segment).unwrap();
    let length = bytes.len();
    bytes[length - 64..].fill(0);
    std::fs::write(&segment, &bytes).unwrap();
    std::fs::File::options().write(true).open(&segment).unwrap().set_modified(time).unwrap();
    assert_eq!(std::fs::metadata(&segment).unwrap().len() as usize, length);

    let (corpus, refresh) = open(&corpus_dir, &index_dir);
    assert!(refresh.full && refresh.rebuilt.as_deref().is_some_and(|w| w.contains("damaged")), "{refresh:?}");
    assert!(corpus.notes.iter().any(|n| n.message.contains("checksum mismatch")), "{:?}", corpus.notes);
    assert_eq!(live_names(&corpus), expected);
    assert_eq!(search_count(&corpus, &["market", "units"]), 6, "the rebuilt index finds every article again");
}

#[test]
fn a_segment_shortened_under_its_map_is_noticed_instead_of_read() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus_dir = tmp.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 6);
    let index_dir = tmp.path().join("index");
    let (corpus, refresh) = open(&corpus_dir, &index_dir);
    assert_eq!(corpus.index.check_files(), Ok(()));
    assert_eq!(search_count(&corpus, &["market", "units"]), 6);
    let segment = std::fs::read_dir(&refresh.dir).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|e| e == "cdi")).unwrap();
    // Reading the shortened map would kill this process with SIGBUS.
    std::fs::File::options().write(true).open(&segment).unwrap().set_len(0).unwrap();
    assert_eq!(search_count(&corpus, &["market", "units"]), 0);
    let damage = corpus.index.check_files().unwrap_err().to_string();
    assert!(damage.contains("changed on disk") && damage.contains("to 0 bytes"), "{damage}");
    assert!(corpus.index.sentence(0).is_none());
    assert_eq!(corpus.index.take_damage().as_deref(), Some(damage.as_str()));
    assert_eq!(corpus.index.take_damage(), None, "given out once, for one reload");
    // Reloading rebuilds the index.
    let (reloaded, refresh) = open(&corpus_dir, &index_dir);
    assert!(refresh.rebuilt.as_deref().is_some_and(|w| w.contains("damaged")), "{refresh:?}");
    assert_eq!(search_count(&reloaded, &["market", "units"]), 6);
}

#[test]
fn alternating_sets_of_roots_never_rebuild_each_others_index() {
    let tmp = tempfile::tempdir().unwrap();
    let seeds = tmp.path().join("seeds");
    let archive = tmp.path().join("archive");
    for dir in [&seeds, &archive] {
        std::fs::create_dir(dir).unwrap();
    }
    sample_corpus(&seeds, 8);
    for i in 0..4 {
        write(&archive, &format!("b{i}.txt"), &article(&format!("archive{i}"), 100 + i));
    }
    // As `lint --corpus seeds` and a server with seeds plus the archive place it: in the first
    // corpus folder.
    let auto = IndexLocation::Auto { config_file: None };
    let alone = [seeds.clone()];
    let both = [seeds.clone(), archive.clone()];
    let load = |paths: &[PathBuf]| {
        let (corpus, refresh) = store::load(paths, &Limits::default(), &auto, None).unwrap();
        (corpus.live_count(), refresh.unwrap())
    };
    let (count, first) = load(&alone);
    assert_eq!((count, first.full), (8, true));
    let (count, second) = load(&both);
    assert_eq!((count, second.full), (12, true));
    assert!(first.dir.starts_with(seeds.join(".copydesk/index")) && second.dir.starts_with(seeds.join(".copydesk/index")));
    for round in 0..3 {
        let (count, refresh) = load(&alone);
        assert!(count == 8 && !refresh.wrote, "round {round}: {refresh:?}");
        let (count, refresh) = load(&both);
        assert!(count == 12 && !refresh.wrote, "round {round}: {refresh:?}");
    }
    // A change to a shared file refreshes each set's index once, when that set is next used.
    write(&seeds, "a001.txt", &article("gyroscope", 5));
    for (round, paths) in [&alone[..], &both[..], &alone[..], &both[..]].into_iter().enumerate() {
        let (_, refresh) = load(paths);
        let first_use = round < 2;
        assert_eq!((refresh.wrote, refresh.changed, refresh.full), (first_use, usize::from(first_use), false), "round {round}: {refresh:?}");
    }
}

#[test]
fn only_the_most_recently_used_sets_of_roots_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let index_dir = tmp.path().join("index");
    let mut folders = Vec::new();
    for i in 0..copydesk::corpus::folder::KEEP_SETS + 2 {
        let dir = tmp.path().join(format!("corpus{i}"));
        std::fs::create_dir(&dir).unwrap();
        sample_corpus(&dir, 2);
        folders.push(dir);
    }
    let mut sets = Vec::new();
    for dir in &folders {
        // The lock file's time says when a set was last used; a second apart keeps the order clear.
        let (_, refresh) = open(dir, &index_dir);
        std::fs::File::options().write(true).open(refresh.dir.join("lock")).unwrap().set_modified(std::time::SystemTime::now() - Duration::from_secs(100 - sets.len() as u64)).unwrap();
        sets.push(refresh.dir);
    }
    let kept: Vec<bool> = sets.iter().map(|s| s.exists()).collect();
    assert_eq!(kept, [false, false, true, true, true, true]);
    let mut names = names_in(&index_dir);
    names.retain(|n| n != copydesk::corpus::folder::MARKER);
    assert_eq!(names.len(), copydesk::corpus::folder::KEEP_SETS);
}

mod support;

#[test]
fn the_server_survives_a_segment_shortened_under_it_and_reloads() {
    use serde_json::json;
    let tmp = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let corpus_dir = root.join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    sample_corpus(&corpus_dir, 6);
    let draft = root.join("draft.md");
    let text = "The topic2 market grew to 99 million units last year, analysts at Quarry Research said.\n";
    std::fs::write(&draft, text).unwrap();
    let mut command = Command::new(bin());
    command.args(["lsp", "--log-level", "info"]);
    let mut lsp = support::LspProcess::spawn(command);
    lsp.initialize(&root, json!({"debounceMs": 0, "corpus": [corpus_dir.display().to_string()]}));
    lsp.wait_for_message("corpus ready: 6 documents");
    let uri = support::file_uri(&draft);
    lsp.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}));
    let published = |version: i64| {
        let uri = uri.clone();
        move |m: &serde_json::Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uri) && m["params"]["version"] == json!(version)
        }
    };
    let first = lsp.wait_for("the first diagnostics", published(1));
    assert!(first["params"]["diagnostics"].to_string().contains("number-mismatch"), "{first}");

    // The segment, in the index folder or the folder of this set of roots inside it.
    let index_dir = corpus_dir.join(".copydesk/index");
    let mut folders = vec![index_dir.clone()];
    folders.extend(std::fs::read_dir(&index_dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()));
    let segment = folders
        .iter()
        .flat_map(|folder| std::fs::read_dir(folder).unwrap().flatten().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "cdi"))
        .unwrap();
    std::fs::File::options().write(true).open(&segment).unwrap().set_len(0).unwrap();
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": format!("{text}Another 5 percent.\n")}]}),
    );
    let warning = lsp.wait_for_message("an index segment changed on disk (its size changed from");
    assert_eq!(warning["params"]["type"], 2, "a warning: {warning}");
    lsp.wait_for_message("the index was damaged");
    let again = lsp.wait_for("diagnostics after the reload", published(2));
    assert!(again["params"]["diagnostics"].to_string().contains("number-mismatch"), "{again}");
    assert!(lsp.finish().success());
}
