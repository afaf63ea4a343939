//! The bad-input matrix: drafts and corpus files that are empty, binary, mis-encoded, huge,
//! deeply nested, unterminated, not files at all, or gone. Each case says what must happen:
//! a clear message naming the file (and line where it applies), the rest of the run unaffected,
//! the documented exit status, and no panic.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

fn lint(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("copydesk").unwrap().current_dir(dir).env("NO_COLOR", "1").arg("lint").args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const GOOD: &str = "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\n";

/// Writes `name` with `content` next to a good draft, lints both, and returns the output.
fn with_good_draft(name: &str, content: &[u8]) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), content).unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let output = lint(dir.path(), &["--format", "concise", name, "good.md"]);
    (dir, output)
}

fn good_draft_still_checked(output: &Output) {
    assert!(text(&output.stdout).contains("good.md:1:17: unit-mismatch"), "the good draft was not checked: {}", text(&output.stdout));
}

#[test]
fn drafts_that_are_fine_to_check() {
    let nested_lists: String = (0..10_000).map(|i| format!("{}- item {i}\n", "  ".repeat(i % 400))).collect();
    let nested_quotes = format!("{} 30 percent\n", ">".repeat(10_000));
    let figures: String = (0..10_000).map(|i| format!("{i} percent, ")).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.md", Vec::new()),
        ("crlf.md", b"Line one.\r\nMicron will pay NT$1.8 billion.\r\n".to_vec()),
        ("lone-cr.txt", b"Line one.\rMicron will pay NT$1.8 billion.\r".to_vec()),
        ("nested-lists.md", nested_lists.into_bytes()),
        ("nested-quotes.md", nested_quotes.into_bytes()),
        ("figures.md", figures.into_bytes()),
        ("front-matter.md", b"---\ntitle: never closed\n30 percent\n".to_vec()),
        ("fence.md", b"```\n30 percent in a fence that never closes\n".to_vec()),
        ("comment.md", b"<!-- 30 percent in a comment that never closes\n".to_vec()),
        ("utf16.txt", [0xFF, 0xFE].into_iter().chain("Micron will pay NT$1.8 billion.".encode_utf16().flat_map(|u| u.to_le_bytes())).collect()),
    ];
    for (name, content) in cases {
        let (_dir, output) = with_good_draft(name, &content);
        assert_eq!(output.status.code(), Some(1), "{name}: {}", text(&output.stderr));
        assert!(text(&output.stderr).is_empty(), "{name}: {}", text(&output.stderr));
        good_draft_still_checked(&output);
    }
}

#[test]
fn drafts_that_cannot_be_checked_are_named_and_exit_2() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("binary.md", vec![0, 159, 146, 150, 0, 1], "binary.md: binary file"),
        ("latin1.md", b"ok\nCaf\xe9 30 percent\n".to_vec(), "latin1.md: line 2, column 4: not valid UTF-8"),
        ("huge-line.txt", vec![b'a'; 17_000_000], "huge-line.txt: 17 MB is over the 16 MB draft size limit"),
    ];
    for (name, content, message) in cases {
        let (_dir, output) = with_good_draft(name, &content);
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(text(&output.stderr).contains(message), "{name}: {}", text(&output.stderr));
        good_draft_still_checked(&output);
    }
}

#[test]
fn a_large_draft_is_checked_in_linear_time() {
    // 10 MB of prose (the largest drafts are far smaller); a benchmark, not a timed test, owns
    // speed: here it must simply finish and report.
    let paragraph = "The agriculture hub is expected to cost US$123 million and produce 10,000 tonnes of fresh produce annually.\n\n";
    let draft = paragraph.repeat(10_000_000 / paragraph.len());
    let (_dir, output) = with_good_draft("large.md", draft.as_bytes());
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    good_draft_still_checked(&output);
}

#[cfg(unix)]
#[test]
fn a_fifo_or_directory_where_a_draft_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let fifo = dir.path().join("pipe.md");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let output = lint(dir.path(), &["--format", "concise", "pipe.md", "good.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("pipe.md: not a regular file"), "{}", text(&output.stderr));
    good_draft_still_checked(&output);
    // A directory is walked for drafts (the FIFO inside is not a draft file and is skipped).
    std::fs::remove_file(&fifo).unwrap();
    let output = lint(dir.path(), &["--format", "concise", "."]);
    assert_eq!(output.status.code(), Some(1));
    good_draft_still_checked(&output);
}

#[cfg(unix)]
#[test]
fn corpus_symlink_loops_and_escapes_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/002_db7a498f618b8102.txt"), corpus.join("a.txt")).unwrap();
    std::os::unix::fs::symlink(&corpus, corpus.join("loop")).unwrap();
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "A secret outside the corpus: 99 percent.\n").unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("escape.txt")).unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let output = lint(dir.path(), &["--format", "concise", "--corpus", "corpus", "good.md"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let err = text(&output.stderr);
    assert!(err.contains("escape.txt: skipped: a symbolic link that leads outside the corpus"), "{err}");
    assert!(err.contains("loop"), "{err}");
    good_draft_still_checked(&output);
}

#[test]
fn corpus_files_over_the_size_limit_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/002_db7a498f618b8102.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::write(dir.path().join("big.txt"), vec![b'x'; 21_000_000]).unwrap();
    let limits = copydesk::corpus::Limits::default();
    let corpus = copydesk::corpus::Corpus::load_with(&[dir.path().to_path_buf()], &limits, None).unwrap();
    assert_eq!(corpus.documents.len(), 1);
    assert!(corpus.notes.iter().any(|n| n.path.ends_with("big.txt") && n.message.contains("over the 20 MB file size limit")), "{:?}", corpus.notes);
    let tight = copydesk::corpus::Limits { max_files: 1, ..limits };
    let err = copydesk::corpus::Corpus::load_with(&[dir.path().to_path_buf()], &tight, None).unwrap_err();
    assert!(err.to_string().contains("more than 1 corpus files"), "{err}");
}

// Issue 12: a corpus glob that matches nothing, and a corpus whose every file is skipped.

#[test]
fn a_corpus_glob_that_matches_nothing_is_an_error_not_the_built_in_seeds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copydesk.toml"), "report-unsupported = true\ncorpus = [\"sources/**/*.md\"]\n").unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let output = lint(dir.path(), &["--format", "concise", "good.md"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("copydesk.toml:2: corpus glob `sources/**/*.md` matches no files"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing is checked against another corpus: {}", text(&output.stdout));
    // The folder exists but holds no match: the same.
    std::fs::create_dir_all(dir.path().join("sources/2025")).unwrap();
    std::fs::write(dir.path().join("sources/2025/a.txt"), "Micron will pay US$1.8 billion.\n").unwrap();
    assert_eq!(lint(dir.path(), &["good.md"]).status.code(), Some(2));
    // Once it matches, it is the corpus.
    std::fs::write(dir.path().join("sources/2025/a.md"), "Micron will pay US$2.5 billion for Powerchip's P5 fab site.\n").unwrap();
    let output = lint(dir.path(), &["--format", "concise", "good.md"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("source says \"US$2.5 billion\""), "{}", text(&output.stdout));
}

#[test]
fn a_corpus_of_binary_files_names_the_files_it_skipped() {
    for index in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        for i in 0..8 {
            let name = if i % 2 == 0 { format!("f{i}.txt") } else { format!("f{i}.md") };
            std::fs::write(corpus.join(name), [0u8, 1, 2, 3, 255].repeat(1000)).unwrap();
        }
        std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
        let mut args = vec!["--no-config", "--corpus", "corpus", "good.md"];
        if !index {
            args.insert(0, "--no-index");
        }
        let output = lint(dir.path(), &args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("the corpus is empty: 8 files under corpus could not be used: corpus/f0.txt: binary file skipped; corpus/f1.md: binary file skipped;"),
            "index {index}: {stderr}"
        );
        assert!(stderr.contains("corpus/f4.txt: binary file skipped; and 3 more"), "index {index}: {stderr}");
    }
}
