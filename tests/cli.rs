//! CLI tests: snapshots of both output formats and every exit status.
//!
//! Commands run in `tests/fixtures` so the paths in the output are short and stable; the
//! corpus is the built-in seeds (no `seeds/` folder there).

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copydesk(args: &[&str]) -> Output {
    Command::cargo_bin("copydesk").unwrap().current_dir(fixtures()).env("NO_COLOR", "1").args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn human_output_with_errors_exits_1() {
    let output = copydesk(&["lint", "sample.md"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    insta::assert_snapshot!("human_sample", stdout(&output));
}

#[test]
fn json_output_with_errors_exits_1() {
    let output = copydesk(&["lint", "--format", "json", "sample.md"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["version"], 1);
    insta::assert_json_snapshot!("json_sample", json);
}

#[test]
fn clean_draft_exits_0() {
    let output = copydesk(&["lint", "drafts/unrelated.md", "--no-unsupported"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("human_clean", stdout(&output));
}

#[test]
fn stdin_draft_uses_the_given_name() {
    let output = Command::cargo_bin("copydesk")
        .unwrap()
        .current_dir(fixtures())
        .args(["lint", "--format", "json", "--stdin-filename", "piped.md", "-"])
        .write_stdin("Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["diagnostics"][0]["path"], "piped.md");
    assert_eq!(json["diagnostics"][0]["code"], "unit-mismatch");
    assert_eq!(json["diagnostics"][0]["fix"]["replacement"], "US$1.8 billion");
}

#[test]
fn missing_draft_exits_2_and_still_checks_the_others() {
    let output = copydesk(&["lint", "--format", "json", "no-such-draft.md", "sample.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no-such-draft.md: no such file or directory"), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(!json["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn non_utf8_and_binary_drafts_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, b"fine line\nbroken \xff byte\n").unwrap();
    let binary = dir.path().join("binary.txt");
    std::fs::write(&binary, b"\x00\x01\x02").unwrap();
    let output = copydesk(&["lint", bad.to_str().unwrap(), binary.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("bad.md: line 2, column 8: not valid UTF-8"), "{err}");
    assert!(err.contains("binary.txt: binary file"), "{err}");
}

#[test]
fn missing_and_empty_corpora_exit_2() {
    let output = copydesk(&["lint", "--corpus", "no-such-corpus", "sample.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no-such-corpus: no such file or directory"), "{}", stderr(&output));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.pdf"), b"%PDF").unwrap();
    let output = copydesk(&["lint", "--corpus", dir.path().to_str().unwrap(), "sample.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("the corpus is empty"), "{}", stderr(&output));
}

#[test]
fn bad_arguments_exit_2() {
    let output = copydesk(&["lint", "--format", "yaml", "sample.md"]);
    assert_eq!(output.status.code(), Some(2));
    let output = copydesk(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn output_is_byte_identical_across_runs() {
    let first = stdout(&copydesk(&["lint", "--format", "json", "sample.md", "drafts"]));
    let second = stdout(&copydesk(&["lint", "--format", "json", "sample.md", "drafts"]));
    assert_eq!(first, second);
}

#[test]
fn extract_json_has_the_documented_fields() {
    let output = copydesk(&["extract", "--format", "json", "sample.md"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["version"], 1);
    let first = &json["quantities"][0];
    for key in ["path", "range", "text", "value", "high", "unit", "bound", "direction"] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    insta::assert_json_snapshot!("extract_sample", json);
}

#[test]
fn corpus_notes_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/002_db7a498f618b8102.txt"), dir.path().join("a.txt")).unwrap();
    std::fs::write(dir.path().join("latin1.txt"), b"Caf\xe9 prices rose 5 percent.\n").unwrap();
    let output = copydesk(&["lint", "--corpus", dir.path().to_str().unwrap(), "sample.md"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("latin1.txt: not valid UTF-8 (first bad byte on line 1)"), "{}", stderr(&output));
}
