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
