//! Corpus limits set in `copydesk.toml` (`max-file-size`, `max-files`) reach both the CLI and
//! the language server: a file over the size limit is skipped with a warning naming it and the
//! run goes on; more files than `max-files` is an error (exit status 2 for `lint`, an error
//! message and no corpus for the server).

mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;
use support::LspProcess;

const SOURCE: &str = "Micron will pay US$1.8 billion for Powerchip's P5 fab site, the companies said on Tuesday.\n";
const DRAFT: &str = "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\n";

/// A project: `copydesk.toml` with `config` after a `corpus = ["sources"]` line, a draft, and
/// `sources/` holding a small article plus `extra` more files of `extra_bytes` each.
fn project(config: &str, extra: usize, extra_bytes: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("copydesk.toml"), format!("corpus = [\"sources\"]\n{config}")).unwrap();
    std::fs::write(root.join("draft.md"), DRAFT).unwrap();
    std::fs::create_dir(root.join("sources")).unwrap();
    std::fs::write(root.join("sources/small.txt"), SOURCE).unwrap();
    let filler = "The weather was mild and nothing else happened that week. ".repeat(extra_bytes / 58 + 1);
    for i in 0..extra {
        std::fs::write(root.join(format!("sources/big{i}.txt")), &filler[..extra_bytes]).unwrap();
    }
    dir
}

fn lint(root: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .current_dir(root)
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "concise", "draft.md"])
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn lint_skips_a_file_over_max_file_size_with_a_warning_naming_it() {
    let dir = project("max-file-size = 0.01\n", 1, 20_000);
    let output = lint(dir.path());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("copydesk: warning: ") && stderr.contains("sources/big0.txt: skipped: 0.02 MB is over the 0.01 MB file size limit"),
        "{stderr}"
    );
    // The rest of the corpus is used: the draft is still checked against small.txt.
    assert!(text(&output.stdout).contains("draft.md:1:17: unit-mismatch"), "{}", text(&output.stdout));
    assert_eq!(output.status.code(), Some(1), "{stderr}");

    // Under the default limit (20 MB) the same file is read without a word.
    std::fs::write(dir.path().join("copydesk.toml"), "corpus = [\"sources\"]\n").unwrap();
    let output = lint(dir.path());
    assert!(text(&output.stderr).is_empty(), "{}", text(&output.stderr));
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn lint_stops_with_exit_2_past_max_files() {
    let dir = project("max-files = 2\n", 2, 100);
    let output = lint(dir.path());
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("copydesk: error: ") && stderr.contains("sources: more than 2 corpus files"), "{stderr}");
    assert!(stderr.contains("raise max-files in copydesk.toml"), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing is checked: {}", text(&output.stdout));

    // Exactly at the limit is fine.
    std::fs::write(dir.path().join("copydesk.toml"), "corpus = [\"sources\"]\nmax-files = 3\n").unwrap();
    assert_eq!(lint(dir.path()).status.code(), Some(1));
}

#[test]
fn lint_names_the_line_of_a_bad_limit() {
    let dir = project("max-files = -1\n", 0, 0);
    let output = lint(dir.path());
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("copydesk.toml:2: max-files: -1 is out of range"), "{stderr}");
}

fn server() -> LspProcess {
    let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    command.args(["lsp", "--log-level", "info"]);
    LspProcess::spawn(command)
}

#[test]
fn server_applies_the_project_file_limits() {
    let dir = project("max-file-size = 0.01\n", 1, 20_000);
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut lsp = server();
    lsp.initialize(&root, json!({"debounceMs": 0}));
    let warning = lsp.wait_for_message("big0.txt: skipped: 0.02 MB is over the 0.01 MB file size limit");
    assert_eq!(warning["params"]["type"], 2, "a warning: {warning}");
    lsp.wait_for_message("corpus ready: 1 documents");
    assert!(lsp.finish().success());

    let dir = project("max-files = 1\n", 1, 100);
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let mut lsp = server();
    lsp.initialize(&root, json!({"debounceMs": 0}));
    let error = lsp.wait_for(
        "the corpus error",
        |m| m["method"] == "window/showMessage" && m["params"]["message"].as_str().is_some_and(|s| s.contains("could not load the corpus")),
    );
    let message = error["params"]["message"].as_str().unwrap();
    assert!(message.contains("more than 1 corpus files"), "{message}");
    assert_eq!(error["params"]["type"], 1, "an error: {error}");
    assert!(lsp.finish().success());
}

// Issue 12: roots that are missing or refused, links out of the corpus, and a walk bounded by
// every entry it sees.

fn lint_corpus(dir: &Path, corpus: &Path, env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    command.current_dir(dir).env("NO_COLOR", "1").args(["lint", "--no-config", "--format", "concise", "--corpus"]).arg(corpus).arg("draft.md");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[test]
fn a_link_out_of_the_corpus_is_never_followed() {
    let dir = project("max-files = 3\n", 0, 0);
    let root = dir.path();
    // Outside the corpus: more article files than max-files allows.
    std::fs::create_dir(root.join("elsewhere")).unwrap();
    for i in 0..5 {
        std::fs::write(root.join(format!("elsewhere/{i}.txt")), SOURCE).unwrap();
    }
    std::os::unix::fs::symlink(root.join("elsewhere"), root.join("sources/elsewhere")).unwrap();
    std::os::unix::fs::symlink("/", root.join("sources/everything")).unwrap();
    std::os::unix::fs::symlink("/proc/self", root.join("sources/process")).unwrap();
    let output = lint(root);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for link in ["elsewhere", "everything", "process"] {
        assert!(stderr.contains(&format!("sources/{link}: skipped: a symbolic link that leads outside the corpus")), "{link}: {stderr}");
    }
    assert!(text(&output.stdout).contains("draft.md:1:17: unit-mismatch"), "{}", text(&output.stdout));
}

#[test]
fn the_walk_counts_folders_and_other_files_against_the_limit() {
    let dir = project("max-files = 2\n", 0, 0);
    let root = dir.path();
    for i in 0..30 {
        std::fs::create_dir_all(root.join(format!("sources/empty{i}/deeper"))).unwrap();
    }
    let output = lint(root);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("sources: more than 20 files and folders walked"), "{stderr}");
    assert!(output.stdout.is_empty());
    // Within the limit, the same folders are walked without a word.
    std::fs::write(root.join("copydesk.toml"), "corpus = [\"sources\"]\nmax-files = 20\n").unwrap();
    assert_eq!(lint(root).status.code(), Some(1));
}

#[test]
fn the_home_folder_the_file_system_root_and_system_folders_are_refused_as_corpus() {
    let dir = project("", 0, 0);
    let root = std::fs::canonicalize(dir.path()).unwrap();
    // A home folder holding an article: a corpus there would walk every file the user has.
    let home = root.join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join("article.txt"), SOURCE).unwrap();
    let output = lint_corpus(&root, &home, &[("HOME", &home)]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("copydesk does not use the home folder as a corpus"), "{stderr}");
    assert!(!home.join(".copydesk").exists(), "nothing is written in a refused root");
    for (corpus, what) in [("/", "the whole file system"), ("/proc/self", "a system folder"), ("/etc", "a system folder"), ("/dev/zero", "a system folder")] {
        let output = lint_corpus(&root, Path::new(corpus), &[]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{corpus}: {stderr}");
        assert!(stderr.contains(&format!("{corpus}: copydesk does not use {what} as a corpus; name the folder that holds the source articles")), "{stderr}");
    }
    // From the project file too, without an index.
    std::fs::write(root.join("copydesk.toml"), "corpus = [\"/\"]\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_copydesk")).current_dir(&root).args(["lint", "--no-index", "draft.md"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("the whole file system"), "{}", text(&output.stderr));
}

#[test]
fn a_missing_corpus_root_is_an_error_before_anything_is_written() {
    let dir = project("", 0, 0);
    let root = dir.path();
    let before = std::fs::read_dir(root).unwrap().count();
    let output = lint_corpus(root, &root.join("typo/deeper/sources"), &[]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("typo/deeper/sources: no such file or directory"), "{stderr}");
    assert!(!root.join("typo").exists(), "a folder was created for a mistyped corpus path");
    assert_eq!(std::fs::read_dir(root).unwrap().count(), before);

    // The server, given the same path in its settings, reports it and creates nothing either.
    let missing = std::fs::canonicalize(root).unwrap().join("nowhere/sources");
    let mut lsp = server();
    lsp.initialize(&std::fs::canonicalize(root).unwrap(), json!({"debounceMs": 0, "corpus": [missing.display().to_string()]}));
    let error = lsp.wait_for(
        "the corpus error",
        |m| m["method"] == "window/showMessage" && m["params"]["message"].as_str().is_some_and(|s| s.contains("could not load the corpus")),
    );
    assert!(error["params"]["message"].as_str().unwrap().contains("nowhere/sources: no such file or directory"), "{error}");
    assert!(lsp.finish().success());
    assert!(!root.join("nowhere").exists(), "the server created a folder for a missing corpus path");
}
