//! `copydesk init`: surveys a project folder for folders of source articles and of drafts,
//! writes a commented `copydesk.toml` naming them (with only the keys [`crate::config`] reads,
//! the optional ones commented out), and makes sure `.gitignore` ignores the index folder
//! `.copydesk/`.
//!
//! It writes files but never prints: [`run`] returns what it found and did, for the caller to
//! report. An existing `copydesk.toml` is replaced only when asked (`force`): it may hold a
//! project's hand-tuned severities.

use std::path::{Path, PathBuf};

use crate::config::FILE_NAME;
use crate::prose::Format;

/// The `.gitignore` line for the corpus index (`.copydesk/index/` beside `copydesk.toml`).
pub const IGNORE_LINE: &str = ".copydesk/";

/// Folder names that hold drafts: checked when the project is linted as a folder.
const DRAFT_NAMES: &[&str] = &["drafts", "draft", "posts", "stories", "newsletter", "newsletters"];
/// Folders that hold Markdown or text but not source articles: code, documentation, builds.
const NOT_ARTICLES: &[&str] =
    &["node_modules", "target", "vendor", "build", "dist", "out", "src", "scripts", "tests", "test", "docs", "doc"];
/// Files walked per folder while counting; a larger folder is reported as "N or more".
const WALK_LIMIT: usize = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{path}: already exists; `copydesk init --force` replaces it")]
    Exists { path: String },
    // Not named `source`: the message already holds it, and a chain would print it twice.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
}

/// A folder directly under the project folder, with the files of its kind counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    pub name: String,
    /// Articles (`.txt`, `.md`, `.markdown`, `.html`, `.htm`) or drafts (`.md`, `.markdown`, `.txt`).
    pub files: usize,
    /// The count stopped at the walk limit.
    pub more: bool,
}

/// What [`survey`] found: corpus folders and drafts folders, each sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Survey {
    pub corpus: Vec<Folder>,
    pub drafts: Vec<Folder>,
}

/// What became of `.gitignore`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gitignore {
    Created,
    Added,
    /// It already ignored `.copydesk/`.
    Present,
}

/// What [`run`] did.
#[derive(Debug)]
pub struct Outcome {
    pub config: PathBuf,
    /// An existing `copydesk.toml` was replaced (`force`).
    pub replaced: bool,
    pub survey: Survey,
    pub gitignore_path: PathBuf,
    pub gitignore: Gitignore,
}

/// Writes `copydesk.toml` for `dir` and adds `.copydesk/` to its `.gitignore`.
pub fn run(dir: &Path, force: bool) -> Result<Outcome, InitError> {
    let config = joined(dir, FILE_NAME);
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |error| InitError::Io { path, error }
    };
    if !dir.is_dir() {
        let error = std::io::Error::new(std::io::ErrorKind::NotFound, "no such folder");
        return Err(InitError::Io { path: dir.display().to_string(), error });
    }
    // Refused before anything is written, .gitignore included.
    let replaced = config.exists();
    if replaced && !force {
        return Err(InitError::Exists { path: config.display().to_string() });
    }
    let survey = survey(dir)?;
    std::fs::write(&config, render(&survey)).map_err(io(&config))?;
    let gitignore_path = joined(dir, ".gitignore");
    let gitignore = ensure_ignored(&gitignore_path)?;
    Ok(Outcome { config, replaced, survey, gitignore_path, gitignore })
}

/// `dir/name`, or `name` alone for the current folder (so messages read `copydesk.toml`).
fn joined(dir: &Path, name: &str) -> PathBuf {
    if dir == Path::new(".") || dir.as_os_str().is_empty() {
        PathBuf::from(name)
    } else {
        dir.join(name)
    }
}

/// The folders directly under `dir` that hold drafts (by name) or source articles (any other
/// folder with articles in it, except code, documentation and build folders).
pub fn survey(dir: &Path) -> Result<Survey, InitError> {
    let io = |error| InitError::Io { path: dir.display().to_string(), error };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        // A folder behind a symlink counts: corpora are often linked in from a shared drive.
        if !entry.path().is_dir() {
            continue;
        }
        let Ok(name) = entry.file_name().into_string() else { continue };
        // Hidden folders (.git, .copydesk) are never content; names with glob characters would
        // be read as globs in `corpus` and `include`.
        if name.starts_with('.') || name.contains(['*', '?', '[', ']', '{', '}']) {
            continue;
        }
        names.push(name);
    }
    names.sort();
    let mut survey = Survey::default();
    for name in names {
        let lower = name.to_lowercase();
        if DRAFT_NAMES.contains(&lower.as_str()) {
            let (files, more) = count(&dir.join(&name), |f| matches!(f, Format::Markdown | Format::PlainText));
            survey.drafts.push(Folder { name, files, more });
        } else if !NOT_ARTICLES.contains(&lower.as_str()) {
            let (files, more) = count(&dir.join(&name), |_| true);
            if files > 0 {
                survey.corpus.push(Folder { name, files, more });
            }
        }
    }
    Ok(survey)
}

/// Files under `folder` whose format passes `keep`, walked as the corpus is (ignore rules,
/// hidden folders left out), up to [`WALK_LIMIT`] entries.
fn count(folder: &Path, keep: impl Fn(Format) -> bool) -> (usize, bool) {
    let mut files = 0;
    for (walked, entry) in ignore::WalkBuilder::new(folder).build().enumerate() {
        if walked >= WALK_LIMIT {
            return (files, true);
        }
        let Ok(entry) = entry else { continue };
        if entry.file_type().is_some_and(|t| t.is_file())
            && Format::from_path(&entry.path().to_string_lossy()).is_some_and(&keep)
        {
            files += 1;
        }
    }
    (files, false)
}

/// A TOML string for a folder name (quotes and backslashes escaped).
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn counted(folder: &Folder, one: &str, many: &str) -> String {
    format!("{}{} {}", folder.files, if folder.more { " or more" } else { "" }, if folder.files == 1 { one } else { many })
}

/// The text of `copydesk.toml` for what [`survey`] found.
pub fn render(survey: &Survey) -> String {
    let mut out = String::from(
        "# copydesk.toml: copydesk's project file, written by `copydesk init`.\n\
         # `copydesk lint` finds it above the drafts it checks, and the language server in the\n\
         # workspace folder. Paths are relative to this file. Remove a `#` to use a key.\n\n",
    );
    out.push_str(
        "# Source articles the drafts are checked against: folders (walked) or files of .txt, .md,\n\
         # .markdown, .html or .htm articles, or globs such as \"archive/**/*.md\".\n",
    );
    if survey.corpus.is_empty() {
        out.push_str(
            "# No folder of articles was found: until one is named here, copydesk uses ./seeds if\n\
             # present, else the seed articles built into it.\n\
             # corpus = [\"sources/\"]\n",
        );
    } else {
        out.push_str("corpus = [\n");
        for folder in &survey.corpus {
            out.push_str(&format!("    {}, # {}\n", quoted(&format!("{}/", folder.name)), counted(folder, "article", "articles")));
        }
        out.push_str("]\n");
    }
    out.push_str("\n# Which drafts `copydesk lint FOLDER` checks (files named on the command line always are).\n");
    let globs = |folders: &[Folder]| -> Vec<String> { folders.iter().map(|f| quoted(&format!("{}/**", f.name))).collect() };
    if survey.drafts.is_empty() {
        out.push_str("# include = [\"drafts/**\"]\n");
    } else {
        out.push_str(&format!("include = [{}]\n", globs(&survey.drafts).join(", ")));
    }
    if survey.corpus.is_empty() {
        out.push_str("# exclude = [\"drafts/old/**\"]\n");
    } else {
        out.push_str("# The source articles are not drafts.\n");
        out.push_str(&format!("exclude = [{}]\n", globs(&survey.corpus).join(", ")));
    }
    out.push_str(
        "\n# Report statistics that no source supports (unsupported-claim).\n\
         # report-unsupported = true\n\
         # How far (a fraction, 0 to 0.5) a hedged figure may be from the source's.\n\
         # hedge-tolerance = 0.1\n\
         # What a bare \"$\" may stand for: USD, SGD, TWD, HKD, AUD, CAD, NZD, BRL or MXN.\n\
         # dollar = [\"USD\"]\n\
         # A corpus file over this many MB is skipped; past this many files the load stops.\n\
         # max-file-size = 20\n\
         # max-files = 200000\n\
         \n\
         # Severity per finding code: error, warning, info, hint or off (`copydesk explain` lists\n\
         # the codes).\n\
         # [severity]\n\
         # hedge-mismatch = \"info\"\n\
         # unsupported-claim = \"off\"\n\
         \n\
         # More qualifier phrases, by what they mean: nearly, approx, over, at-least, under, at-most.\n\
         # [hedges]\n\
         # nearly = [\"a shade under\"]\n",
    );
    out
}

/// Adds [`IGNORE_LINE`] to the `.gitignore` at `path` unless a line already ignores the
/// folder, creating the file if needed.
pub fn ensure_ignored(path: &Path) -> Result<Gitignore, InitError> {
    let io = |error| InitError::Io { path: path.display().to_string(), error };
    let existing = match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(io(err)),
    };
    let mut text = existing.clone().unwrap_or_default();
    if existing.is_some() {
        let ignored = String::from_utf8_lossy(&text).lines().any(|line| {
            let line = line.trim();
            let line = line.strip_prefix('/').unwrap_or(line);
            matches!(line, ".copydesk" | ".copydesk/" | ".copydesk/*" | ".copydesk/**")
        });
        if ignored {
            return Ok(Gitignore::Present);
        }
        if !text.is_empty() && !text.ends_with(b"\n") {
            text.push(b'\n');
        }
    }
    text.extend_from_slice(b"# copydesk's corpus index\n");
    text.extend_from_slice(IGNORE_LINE.as_bytes());
    text.push(b'\n');
    std::fs::write(path, text).map_err(io)?;
    Ok(if existing.is_some() { Gitignore::Added } else { Gitignore::Created })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str, files: usize) -> Folder {
        Folder { name: name.into(), files, more: false }
    }

    /// Every key `init` writes, and every one it leaves commented out, is one the config reads.
    #[test]
    fn written_keys_are_read_without_warnings() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["sources", "wire copy \"2024\"", "drafts"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        let survey = Survey {
            corpus: vec![folder("sources", 3), folder("wire copy \"2024\"", 1)],
            drafts: vec![folder("drafts", 2)],
        };
        let text = render(&survey);
        let path = dir.path().join(FILE_NAME);
        let config = crate::config::parse(&text, &path).unwrap();
        assert!(config.warnings.is_empty(), "{:?}", config.warnings);
        assert_eq!(config.corpus, vec![dir.path().join("sources/"), dir.path().join("wire copy \"2024\"/")]);
        assert_eq!(config.include, vec!["drafts/**"]);
        // Uncommenting every example key still parses, with no unknown key.
        let uncommented: String = text
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.starts_with('[') || rest.contains(" = ") => rest,
                _ => line,
            })
            .filter(|line| !line.starts_with("corpus = [\"sources/\"]"))
            .map(|line| format!("{line}\n"))
            .collect();
        let config = crate::config::parse(&uncommented, &path).unwrap();
        assert!(config.warnings.is_empty(), "{:?}", config.warnings);
        assert_eq!(config.report_unsupported, Some(true));
        assert_eq!(config.hedges.len(), 1);
    }

    #[test]
    fn an_empty_survey_leaves_every_key_commented() {
        let text = render(&Survey::default());
        let config = crate::config::parse(&text, Path::new("copydesk.toml")).unwrap();
        assert_eq!(config, crate::config::Config { path: Some(PathBuf::from("copydesk.toml")), ..Default::default() });
    }

    #[test]
    fn gitignore_line_is_added_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".gitignore");
        assert_eq!(ensure_ignored(&path).unwrap(), Gitignore::Created);
        assert_eq!(ensure_ignored(&path).unwrap(), Gitignore::Present);
        std::fs::write(&path, "target").unwrap();
        assert_eq!(ensure_ignored(&path).unwrap(), Gitignore::Added);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "target\n# copydesk's corpus index\n.copydesk/\n");
        for present in ["/.copydesk\n", "  .copydesk/**  \n"] {
            std::fs::write(&path, present).unwrap();
            assert_eq!(ensure_ignored(&path).unwrap(), Gitignore::Present);
        }
    }
}
