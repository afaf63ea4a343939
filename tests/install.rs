//! Setting up: `copydesk init` (a fresh folder, an existing config, an existing `.gitignore`,
//! and a lint right after it), the shell completions and the manual page, as snapshots.
//!
//! Each `init` test runs in its own temporary folder, so the paths printed are relative and
//! stable.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

fn copydesk_in(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("copydesk")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // The built-in seeds' index would go to the user cache; keep it out of the real one.
        .env("XDG_CACHE_HOME", dir.join(".cache"))
        .args(args)
        .output()
        .unwrap()
}

fn copydesk(args: &[&str]) -> Output {
    copydesk_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A source article whose figures are in none of the built-in seeds.
const ARTICLE: &str = "Acme Robotics raises US$45 million for warehouse arms\n\n\
Acme Robotics, a maker of warehouse picking arms, said on Tuesday it had raised US$45 million in a \
Series B round led by Northwind Ventures. The company said its arms now pick 1,200 items an hour in \
the warehouses of 14 retailers, and that it plans to double its engineering staff by next year.\n";

/// A project as a reporter might have it: articles in sources/, drafts in drafts/, and
/// documentation that is neither.
fn project(dir: &Path) {
    write(&dir.join("sources/acme.txt"), ARTICLE);
    write(&dir.join("sources/wire/reuters-chips.md"), "Chip sales\n\nChip sales rose 12 percent in May.\n");
    write(&dir.join("drafts/acme.md"), "# Acme\n\nAcme Robotics raised US$54 million in a Series B round.\n");
    write(&dir.join("docs/README.md"), "How we write.\n");
}

fn init_report(dir: &Path, output: &Output) -> String {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_else(|_| "(none)\n".into());
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}--- copydesk.toml\n{}--- .gitignore\n{}",
        output.status.code(),
        stdout(output),
        stderr(output),
        read("copydesk.toml"),
        read(".gitignore")
    )
}

#[test]
fn init_in_a_fresh_folder() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    let output = copydesk_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("init_fresh", init_report(dir.path(), &output));
}

#[test]
fn init_in_an_empty_folder_leaves_the_corpus_to_the_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let output = copydesk_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("init_empty", init_report(dir.path(), &output));
}

#[test]
fn init_refuses_an_existing_config_without_force() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    write(&dir.path().join("copydesk.toml"), "corpus = [\"sources/\"]\nhedge-tolerance = 0.2\n");
    let output = copydesk_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(2));
    // Nothing is written when the config is refused, .gitignore included.
    insta::assert_snapshot!("init_existing_config", init_report(dir.path(), &output));

    let output = copydesk_in(dir.path(), &["init", "--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("replaced copydesk.toml\n"), "{}", stdout(&output));
    let config = std::fs::read_to_string(dir.path().join("copydesk.toml")).unwrap();
    assert!(!config.contains("hedge-tolerance = 0.2"), "{config}");
}

#[test]
fn init_adds_to_an_existing_gitignore_once() {
    let dir = tempfile::tempdir().unwrap();
    project(dir.path());
    // No newline at the end: the line must still go on a line of its own.
    write(&dir.path().join(".gitignore"), "target/\n*.log");
    let output = copydesk_in(dir.path(), &["init"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first = init_report(dir.path(), &output);
    let output = copydesk_in(dir.path(), &["init", "--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let second = init_report(dir.path(), &output);
    insta::assert_snapshot!("init_existing_gitignore", format!("=== first run\n{first}=== second run (--force)\n{second}"));
    let gitignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    assert_eq!(gitignore.matches(".copydesk/").count(), 1, "{gitignore}");
}

#[test]
fn init_names_the_folder_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let output = copydesk_in(dir.path(), &["init", "no-such-folder"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr(&output), "copydesk: error: no-such-folder: no such folder\n");
}

/// The bar: `copydesk init` in a folder with `sources/`, then `copydesk lint draft.md`,
/// checks the draft against `sources/` with no other step.
#[test]
fn lint_after_init_checks_against_the_sources_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("sources/acme.txt"), ARTICLE);
    write(&dir.path().join("sources/chips.md"), "Chip sales\n\nChip sales rose 12 percent in May.\n");
    let draft = "# Acme\n\nAcme Robotics said it raised US$54 million in a Series B round led by Northwind Ventures.\n";
    write(&dir.path().join("draft.md"), draft);

    // Before init, the draft is checked against the built-in seeds, which know nothing of Acme.
    let before = copydesk_in(dir.path(), &["lint", "--format", "json", "draft.md"]);
    assert_eq!(before.status.code(), Some(0), "{}", stderr(&before));

    let init = copydesk_in(dir.path(), &["init"]);
    assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
    let output = copydesk_in(dir.path(), &["lint", "--format", "json", "draft.md"]);
    assert_eq!(output.status.code(), Some(1), "{}\n{}", stdout(&output), stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let finding = &json["diagnostics"][0];
    assert_eq!(finding["code"], "number-mismatch", "{json:#}");
    assert_eq!(finding["text"], "US$54 million");
    assert_eq!(finding["fix"]["replacement"], "US$45 million");
    let source = finding["evidence"][0]["path"].as_str().unwrap();
    assert!(source.ends_with("sources/acme.txt"), "{source}");
    // The index went to .copydesk/ beside the new copydesk.toml, which .gitignore ignores.
    assert!(dir.path().join(".copydesk/index").is_dir());
    assert!(std::fs::read_to_string(dir.path().join(".gitignore")).unwrap().contains(".copydesk/\n"));
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let output = copydesk(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let script = stdout(&output);
        // Every command is offered.
        for command in ["lint", "index", "init", "completions", "man", "explain", "lsp"] {
            assert!(script.contains(command), "{shell}: {command} missing");
        }
        insta::assert_snapshot!(format!("completions_{shell}"), script);
    }
}

#[test]
fn unknown_shell_exits_2() {
    let output = copydesk(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("invalid value 'tcsh'"), "{}", stderr(&output));
}

#[test]
fn man_page() {
    let output = copydesk(&["man"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!("man", stdout(&output));
}

#[test]
fn man_pages_for_every_command_in_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = copydesk(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut listed: Vec<String> = stdout(&output)
        .lines()
        .map(|line| Path::new(line).strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    let mut written: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    written.sort();
    insta::assert_snapshot!("man_dir", listed.join("\n"));
    listed.sort();
    assert_eq!(listed, written);
    let lint = std::fs::read_to_string(dir.path().join("copydesk-lint.1")).unwrap();
    assert!(lint.starts_with(".ie \\n(.g .ds Aq") || lint.contains(".TH copydesk-lint 1"), "{lint}");
    assert!(lint.contains("stdin\\-filename"), "{lint}");

    let missing = copydesk(&["man", "--dir", "no-such-folder"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(stderr(&missing), "copydesk: error: man --dir no-such-folder: no such folder\n");
}

#[test]
fn help_lists_the_setup_commands() {
    let output = copydesk(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("help", stdout(&output));
}
