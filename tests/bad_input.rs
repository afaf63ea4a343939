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

// Issue 12, items 9 and 15: input over the size limit, input that never ends or never comes,
// and encodings copydesk does not read.

/// Runs the binary in `dir` with `stdin`; a run still going after a minute has blocked (these
/// runs take well under a second), so it is killed and the test fails saying so.
fn run_unblocked(dir: &Path, args: &[&str], stdin: std::process::Stdio) -> Output {
    use std::time::{Duration, Instant};
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("copydesk"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .stdin(stdin)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("copydesk {args:?} blocked (still running after 60 s)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn endless_and_absent_input_is_refused_not_read_or_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    // Standard input: reading stops one byte past the 16 MB limit, so a writer offering 200 MB
    // finds the pipe closed long before it is done.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("copydesk"))
        .current_dir(dir.path())
        .args(["lint", "--no-index", "--format", "concise", "-", "good.md"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let chunk = vec![b'a'; 1 << 20];
        (0..200).try_for_each(|_| stdin.write_all(&chunk)).is_err()
    });
    let output = child.wait_with_output().unwrap();
    assert!(writer.join().unwrap(), "copydesk read all 200 MB of standard input");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("<stdin>: more than the 16 MB draft size limit"), "{}", text(&output.stderr));
    good_draft_still_checked(&output);
    // A FIFO nobody writes to, and a device, named as files to extract or as a project file.
    let fifo = dir.path().join("pipe.md");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for args in [
        &["extract", "pipe.md", "good.md"][..],
        &["extract", "/dev/zero", "good.md"],
        &["lint", "--no-index", "--format", "concise", "/dev/zero", "good.md"],
    ] {
        let output = run_unblocked(dir.path(), args, std::process::Stdio::null());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = text(&output.stderr);
        assert!(err.contains(": not a regular file (a FIFO)") || err.contains("/dev/zero: not a regular file (a character device)"), "{args:?}: {err}");
        assert!(text(&output.stdout).contains("1.8 billion"), "{args:?}: the good file was not read");
    }
    let output = run_unblocked(dir.path(), &["lint", "--no-index", "--config", "pipe.md", "good.md"], std::process::Stdio::null());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("pipe.md: not a regular file (a FIFO)"), "{}", text(&output.stderr));
    let output = run_unblocked(dir.path(), &["lint", "--no-index", "--baseline", "pipe.md", "good.md"], std::process::Stdio::null());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("pipe.md: not a regular file (a FIFO)"), "{}", text(&output.stderr));
}

#[test]
fn oversized_drafts_and_project_files_are_refused_by_their_size() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    // UTF-16 grows when decoded: the limit holds for the text as well as for the file.
    let cjk: Vec<u8> = [0xFF, 0xFE].into_iter().chain("阿".repeat(6_000_000).encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(dir.path().join("wide.md"), cjk).unwrap();
    let output = lint(dir.path(), &["--no-index", "--format", "concise", "wide.md", "good.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("wide.md: decoded to UTF-8, 18 MB is over the 16 MB draft size limit"), "{}", text(&output.stderr));
    good_draft_still_checked(&output);
    // Sparse: 3 GB that take no disk, and no memory when the size is checked first.
    std::fs::File::create(dir.path().join("huge.md")).unwrap().set_len(3_000_000_000).unwrap();
    std::fs::File::create(dir.path().join("huge.toml")).unwrap().set_len(3_000_000_000).unwrap();
    let output = run_unblocked(dir.path(), &["lint", "--no-index", "--format", "concise", "huge.md", "good.md"], std::process::Stdio::null());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("huge.md: 3000 MB is over the 16 MB draft size limit"), "{}", text(&output.stderr));
    good_draft_still_checked(&output);
    let output = run_unblocked(dir.path(), &["extract", "huge.md", "good.md"], std::process::Stdio::null());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("huge.md: 3000 MB is over the 16 MB draft size limit"), "{}", text(&output.stderr));
    let output = run_unblocked(dir.path(), &["lint", "--no-index", "--config", "huge.toml", "good.md"], std::process::Stdio::null());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("huge.toml: 3000 MB is over the 1 MB project file size limit"), "{}", text(&output.stderr));
}

#[test]
fn drafts_in_encodings_copydesk_does_not_read_are_named_and_exit_2() {
    let draft = "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\nSecond line.\n";
    let utf16 = |big: bool| -> Vec<u8> { draft.encode_utf16().flat_map(|u| if big { u.to_be_bytes() } else { u.to_le_bytes() }).collect() };
    let utf32 = |big: bool| -> Vec<u8> { draft.chars().flat_map(|c| if big { (c as u32).to_be_bytes() } else { (c as u32).to_le_bytes() }).collect() };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf32le.md", [vec![0xFF, 0xFE, 0, 0], utf32(false)].concat(), "utf32le.md: UTF-32 (little-endian) by its byte-order mark; copydesk reads UTF-8 and UTF-16 drafts"),
        ("utf32be.md", [vec![0, 0, 0xFE, 0xFF], utf32(true)].concat(), "utf32be.md: UTF-32 (big-endian) by its byte-order mark"),
        ("utf32-unmarked.md", utf32(false), "utf32-unmarked.md: looks like UTF-32 (little-endian) without a byte-order mark"),
        ("utf16-unmarked.md", utf16(false), "utf16-unmarked.md: looks like UTF-16 (little-endian) without a byte-order mark"),
        ("utf16be-unmarked.md", utf16(true), "utf16be-unmarked.md: looks like UTF-16 (big-endian) without a byte-order mark"),
        ("utf16-odd.md", [vec![0xFF, 0xFE], utf16(false), vec![b'x']].concat(), "utf16-odd.md: UTF-16 (little-endian) with an odd number of bytes"),
        ("utf16-surrogate.md", [vec![0xFF, 0xFE], utf16(false), vec![0x3D, 0xD8, b'x', 0]].concat(), "utf16-surrogate.md: line 3, column 1: not valid UTF-16 (little-endian)"),
    ];
    for (name, content, message) in cases {
        let (_dir, output) = with_good_draft(name, &content);
        assert_eq!(output.status.code(), Some(2), "{name}: {}", text(&output.stdout));
        assert!(text(&output.stderr).contains(message), "{name}: {}", text(&output.stderr));
        // Not a single finding from the garbled draft: only the good draft's.
        assert!(text(&output.stdout).lines().all(|l| l.starts_with("good.md:")), "{name}: {}", text(&output.stdout));
        good_draft_still_checked(&output);
    }
    // Both UTF-16 byte orders with their mark are read.
    for content in [[vec![0xFF, 0xFE], utf16(false)].concat(), [vec![0xFE, 0xFF], utf16(true)].concat()] {
        let (_dir, output) = with_good_draft("utf16.md", &content);
        assert!(text(&output.stdout).contains("utf16.md:1:17: unit-mismatch"), "{}{}", text(&output.stdout), text(&output.stderr));
    }
}

// ---------------------------------------------------------------------------------------------
// Signs and invisible characters in figures (issue 12, items 8 and 10)
// ---------------------------------------------------------------------------------------------

const SIGNED_SOURCE: &str = "Acme quarterly report\n\nAcme Corporation said the operating margin of its cloud unit in Europe was -12 percent in the third quarter of 2024, analysts at Jefferies noted.\n\nThe coldest reading at the Acme data centre in Tromso was \u{2212}40 degrees in January 2024, the company said.\n";

/// Lints `draft` against a corpus of `source` alone.
fn lint_against(source: &str, draft: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("c")).unwrap();
    std::fs::write(dir.path().join("c/a.txt"), source).unwrap();
    std::fs::write(dir.path().join("d.md"), draft).unwrap();
    lint(dir.path(), &["--no-config", "--no-index", "--corpus", "c", "--format", "concise", "d.md"])
}

#[test]
fn a_dropped_or_added_sign_is_a_number_mismatch() {
    let unsigned = "Acme Corporation said the operating margin of its cloud unit in Europe was 12 percent in the third quarter of 2024, analysts at Jefferies noted.\n\nThe coldest reading at the Acme data centre in Tromso was 40 degrees in January 2024, the company said.\n";
    let output = lint_against(SIGNED_SOURCE, unsigned);
    let out = text(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("number-mismatch draft says \"12 percent\"; source says \"-12 percent\""), "{out}");
    assert!(out.contains("number-mismatch draft says \"40 degrees\"; source says \"\u{2212}40 degrees\""), "{out}");
    // The same sign written another way agrees: "minus 40", "negative 12".
    let worded = unsigned.replace("was 12 percent", "was negative 12 percent").replace("was 40 degrees", "was minus 40 degrees");
    let output = lint_against(SIGNED_SOURCE, &worded);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    // A sign the source does not have.
    let output = lint_against(&SIGNED_SOURCE.replace("-12 percent", "12 percent"), &unsigned.replace("12 percent", "-12 percent"));
    assert!(text(&output.stdout).contains("draft says \"-12 percent\"; source says \"12 percent\""), "{}", text(&output.stdout));
}

#[test]
fn figures_are_read_through_invisible_characters_and_fixes_cover_them() {
    let dir = tempfile::tempdir().unwrap();
    for (i, invisible) in ["\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{ad}", "\u{feff}"].iter().enumerate() {
        let name = format!("d{i}.md");
        std::fs::write(dir.path().join(&name), format!("Micron will pay NT${invisible}1.8 billion for Powerchip's P5 fab site in Miaoli County.\n")).unwrap();
        let output = lint(dir.path(), &["--no-config", "--no-index", "--format", "concise", &name]);
        assert_eq!(output.status.code(), Some(1), "{invisible:?}: {}", text(&output.stdout));
        assert!(text(&output.stdout).contains(":1:17: unit-mismatch"), "{invisible:?}: {}", text(&output.stdout));
    }
    let draft = "One American entrepreneur said their business saves US$4\u{200b} million annually by using Alibaba's\nQwen models instead of proprietary ones.\n";
    std::fs::write(dir.path().join("zw.md"), draft).unwrap();
    let output = lint(dir.path(), &["--no-config", "--no-index", "--format", "json", "zw.md"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic = &json["diagnostics"][0];
    assert_eq!(diagnostic["text"], "US$4\u{200b} million");
    assert_eq!(diagnostic["fix"]["replacement"], "US$400,000");
    // The fix replaces the diagnostic's range: the whole figure, invisible character and scale
    // word included.
    let start = diagnostic["range"]["start"]["character"].as_u64().unwrap() as usize;
    let end = diagnostic["range"]["end"]["character"].as_u64().unwrap() as usize;
    let line: Vec<u16> = draft.lines().next().unwrap().encode_utf16().collect();
    let fixed = format!("{}{}{}", String::from_utf16_lossy(&line[..start]), "US$400,000", String::from_utf16_lossy(&line[end..]));
    assert!(fixed.contains("saves US$400,000 annually"), "{fixed}");
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
