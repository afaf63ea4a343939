//! The project file, `copydesk.toml`: corpus paths, which drafts to check, severities per code,
//! hedge tolerance and extra hedge words, what a bare `$` may mean, and whether unsupported
//! statistics are reported.
//!
//! Found by walking up from a draft (CLI) or the workspace root (server). A malformed file is an
//! error naming the file, line and key with the valid choices; an unknown key is a warning.
//!
//! Two keys bound what a corpus load reads (see [`crate::corpus::Limits`]): `max-file-size`, in
//! MB (a number greater than 0, default 20), above which a corpus file is skipped with a
//! warning naming it; and `max-files` (a whole number from 1, default 200,000), past which the
//! load stops with an error rather than index a whole disk because of a mistyped path.
//!
//! ```toml
//! corpus = ["sources/", "archive/**/*.md"]
//! include = ["drafts/**"]
//! exclude = ["drafts/old/**"]
//! report-unsupported = true
//! hedge-tolerance = 0.1
//! dollar = ["USD", "SGD"]
//! max-file-size = 20
//! max-files = 200000
//!
//! [severity]
//! hedge-mismatch = "info"
//! unsupported-claim = "off"
//!
//! [hedges]
//! nearly = ["a shade under"]
//! approx = ["in the region of"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::corpus::Limits;
use crate::claims::figures::Bound;
use crate::findings::{Code, Severity};
use crate::position::LineIndex;

pub const FILE_NAME: &str = "copydesk.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    // Not named `source`: the message already holds it, and a chain would print it twice.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Invalid { path: String, line: usize, message: String },
}

/// A settled configuration (defaults filled in where the file is silent).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file it came from.
    pub path: Option<PathBuf>,
    /// Corpus files and directories, resolved against the file's folder (globs expanded).
    pub corpus: Vec<PathBuf>,
    /// Draft globs, relative to the file's folder.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Severity per code; `None` turns a code off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    pub hedge_tolerance: Option<f64>,
    /// Extra qualifier phrases and the bound each expresses.
    pub hedges: Vec<(String, Bound)>,
    /// ISO codes a bare `$` may stand for.
    pub dollar: Option<Vec<String>>,
    pub report_unsupported: Option<bool>,
    /// `max-file-size`, converted from MB to bytes.
    pub max_file_bytes: Option<u64>,
    /// `max-files`.
    pub max_files: Option<usize>,
    /// Unknown keys and other things worth a warning.
    pub warnings: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            corpus: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            severity: BTreeMap::new(),
            hedge_tolerance: None,
            hedges: Vec::new(),
            dollar: None,
            report_unsupported: None,
            max_file_bytes: None,
            max_files: None,
            warnings: Vec::new(),
        }
    }
}

/// `corpus = "postgresql://..."` or `corpus = ["a/", "b/"]`.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn entries(&self) -> Vec<&String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many.iter().collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    corpus: Option<Spanned<OneOrMany>>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    severity: Option<BTreeMap<String, Spanned<String>>>,
    hedge_tolerance: Option<Spanned<f64>>,
    hedges: Option<BTreeMap<String, Spanned<Vec<String>>>>,
    dollar: Option<Spanned<Vec<String>>>,
    report_unsupported: Option<bool>,
    max_file_size: Option<Spanned<f64>>,
    max_files: Option<Spanned<i64>>,
    #[serde(flatten)]
    unknown: BTreeMap<String, toml::Value>,
}

const KEYS: &str =
    "corpus, include, exclude, severity, hedge-tolerance, hedges, dollar, report-unsupported, max-file-size, max-files";
/// The largest `max-file-size` accepted, in MB (a guard against a typo of several zeros).
const MAX_FILE_SIZE_MB: f64 = 100_000.0;
const HEDGE_CLASSES: &[(&str, Bound)] = &[
    ("nearly", Bound::Nearly),
    ("approx", Bound::Approx),
    ("over", Bound::Over),
    ("at-least", Bound::AtLeast),
    ("under", Bound::Under),
    ("at-most", Bound::AtMost),
];
const CURRENCIES: &[&str] = &["USD", "SGD", "TWD", "HKD", "AUD", "CAD", "NZD", "BRL", "MXN"];

/// The nearest `copydesk.toml` in `start` or a folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() { start.parent()? } else { start };
    let absolute = std::fs::canonicalize(start).ok()?;
    absolute.ancestors().map(|dir| dir.join(FILE_NAME)).find(|p| p.is_file())
}

/// Reads and validates a config file.
/// A project file is a few lines; past this it is not one (and is not read whole to find out).
pub const MAX_CONFIG_BYTES: u64 = 1_000_000;

pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let display = path.display().to_string();
    let bytes = crate::input::read_file(path, MAX_CONFIG_BYTES, "project file")
        .map_err(|err| ConfigError::Io { path: display.clone(), error: err.into() })?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let line = err.as_bytes()[..err.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        ConfigError::Invalid { path: display.clone(), line, message: "not valid UTF-8; save the file as UTF-8".into() }
    })?;
    parse(&text, path)
}

/// Parses config text; `path` names it in messages and anchors relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let display = path.display().to_string();
    let lines = LineIndex::new(text);
    let line_of = |offset: usize| lines.line_of(offset) + 1;
    let invalid = |offset: usize, message: String| ConfigError::Invalid { path: display.clone(), line: line_of(offset), message };
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let offset = err.span().map_or(0, |s| s.start);
        invalid(offset, err.message().trim().to_string())
    })?;
    let base = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut config = Config { path: Some(path.to_path_buf()), ..Config::default() };
    for key in raw.unknown.keys() {
        let line = text.lines().position(|l| l.trim_start().starts_with(key.as_str())).map_or(1, |i| i + 1);
        config.warnings.push(format!("{display}:{line}: unknown key `{key}` ignored (valid keys: {KEYS})"));
    }
    // Read first: the walk that expands corpus globs is bounded by it.
    if let Some(files) = &raw.max_files {
        let count = *files.get_ref();
        let Some(count) = usize::try_from(count).ok().filter(|&c| c >= 1) else {
            return Err(invalid(files.span().start, format!("max-files: {count} is out of range (a whole number of files, 1 or more, e.g. 200000)")));
        };
        config.max_files = Some(count);
    }
    if let Some(corpus) = raw.corpus {
        let max_entries = config.limits().max_files.saturating_mul(crate::corpus::walk::ENTRIES_PER_FILE);
        for entry in corpus.get_ref().entries() {
            if crate::corpus::postgres::is_store_url(entry) {
                // Credentials come from the environment or a pgpass file, never this file
                // (it is committed and shared).
                if crate::corpus::postgres::has_password(entry) {
                    return Err(invalid(corpus.span().start, format!(
                        "corpus: {}: a password does not belong in copydesk.toml; set PGPASSWORD or use a pgpass file",
                        crate::corpus::postgres::redact(entry)
                    )));
                }
                config.corpus.push(PathBuf::from(entry));
            } else if entry.contains(['*', '?', '[', '{']) {
                let matched = expand_glob(base, entry, max_entries).map_err(|message| invalid(corpus.span().start, message))?;
                config.corpus.extend(matched);
            } else {
                config.corpus.push(base.join(entry));
            }
        }
    }
    config.include = raw.include.unwrap_or_default();
    config.exclude = raw.exclude.unwrap_or_default();
    for glob in config.include.iter().chain(&config.exclude) {
        globset::Glob::new(glob).map_err(|e| invalid(0, format!("include/exclude: bad glob `{glob}`: {e}")))?;
    }
    for (key, value) in raw.severity.unwrap_or_default() {
        let offset = value.span().start;
        let Some(code) = Code::parse(&key) else {
            let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            return Err(invalid(offset, format!("severity: unknown code `{key}` (codes: {})", codes.join(", "))));
        };
        let severity = match value.get_ref().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            "off" => None,
            other => {
                return Err(invalid(offset, format!("severity.{key}: `{other}` is not a severity (choose error, warning, info, hint or off)")));
            }
        };
        config.severity.insert(code, severity);
    }
    if let Some(tolerance) = raw.hedge_tolerance {
        let value = *tolerance.get_ref();
        if !(0.0..=0.5).contains(&value) {
            return Err(invalid(tolerance.span().start, format!("hedge-tolerance: {value} is out of range (a fraction from 0 to 0.5, e.g. 0.1)")));
        }
        config.hedge_tolerance = Some(value);
    }
    for (class, phrases) in raw.hedges.unwrap_or_default() {
        let Some((_, bound)) = HEDGE_CLASSES.iter().find(|(name, _)| *name == class) else {
            let names: Vec<&str> = HEDGE_CLASSES.iter().map(|(n, _)| *n).collect();
            return Err(invalid(phrases.span().start, format!("hedges: unknown class `{class}` (classes: {})", names.join(", "))));
        };
        for phrase in phrases.get_ref() {
            let phrase = phrase.trim().to_lowercase();
            if !phrase.is_empty() {
                config.hedges.push((phrase, *bound));
            }
        }
    }
    if let Some(dollar) = raw.dollar {
        for code in dollar.get_ref() {
            if !CURRENCIES.contains(&code.as_str()) {
                return Err(invalid(dollar.span().start, format!("dollar: `{code}` is not a dollar currency (choose from {})", CURRENCIES.join(", "))));
            }
        }
        config.dollar = Some(dollar.into_inner());
    }
    config.report_unsupported = raw.report_unsupported;
    if let Some(size) = raw.max_file_size {
        let mb = *size.get_ref();
        if !(mb > 0.0 && mb <= MAX_FILE_SIZE_MB) {
            return Err(invalid(
                size.span().start,
                format!("max-file-size: {mb} is out of range (a size in MB greater than 0 and at most {MAX_FILE_SIZE_MB}, e.g. 20)"),
            ));
        }
        config.max_file_bytes = Some((mb * 1_000_000.0).round() as u64);
    }
    Ok(config)
}

/// The files a corpus glob matches, sorted: the glob is relative to `base` unless absolute, and
/// only the folder named by its leading literal components is walked, within `max_entries`
/// entries. A glob that matches no file is an error: the corpus would silently be another.
fn expand_glob(base: &Path, pattern: &str, max_entries: usize) -> Result<Vec<PathBuf>, String> {
    let matcher = globset::Glob::new(pattern).map_err(|e| format!("corpus: bad glob `{pattern}`: {e}"))?.compile_matcher();
    let literal: PathBuf =
        Path::new(pattern).components().take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[', '{'])).collect();
    let start = base.join(&literal);
    let absolute = Path::new(pattern).is_absolute();
    let mut matched = Vec::new();
    if let Some(what) = std::fs::canonicalize(&start).ok().and_then(|real| crate::corpus::walk::refusal(&real)) {
        return Err(format!("corpus glob `{pattern}` would walk {what}; start it with the folder that holds the source articles"));
    }
    if start.is_dir() {
        for (walked, entry) in ignore::WalkBuilder::new(&start).build().enumerate() {
            if walked >= max_entries {
                return Err(format!("corpus glob `{pattern}`: more than {max_entries} files and folders under {}; narrow the glob, or raise max-files", start.display()));
            }
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.into_path();
            let candidate = if absolute { Some(path.as_path()) } else { path.strip_prefix(base).ok() };
            if candidate.is_some_and(|c| matcher.is_match(c)) {
                matched.push(path);
            }
        }
    }
    if matched.is_empty() {
        return Err(format!("corpus glob `{pattern}` matches no files"));
    }
    matched.sort();
    Ok(matched)
}

impl Config {
    /// The corpus load limits: `max-file-size` and `max-files` where the file sets them, else
    /// the defaults.
    pub fn limits(&self) -> Limits {
        let defaults = Limits::default();
        Limits {
            max_file_bytes: self.max_file_bytes.unwrap_or(defaults.max_file_bytes),
            max_files: self.max_files.unwrap_or(defaults.max_files),
        }
    }

    /// Whether a draft path passes `include`/`exclude` (both relative to the config's folder).
    pub fn selects(&self, draft: &Path) -> bool {
        let base = self.path.as_deref().and_then(Path::parent).unwrap_or(Path::new("."));
        let absolute = std::fs::canonicalize(draft).unwrap_or_else(|_| draft.to_path_buf());
        let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
        let relative = absolute.strip_prefix(&base).unwrap_or(draft);
        let matches = |globs: &[String]| {
            globs.iter().filter_map(|g| globset::Glob::new(g).ok()).any(|g| g.compile_matcher().is_match(relative))
        };
        (self.include.is_empty() || matches(&self.include)) && !matches(&self.exclude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let text = "corpus = [\"sources\"]\nreport-unsupported = false\nhedge-tolerance = 0.05\ndollar = [\"USD\"]\n[severity]\nhedge-mismatch = \"info\"\nunsupported-claim = \"off\"\n[hedges]\nnearly = [\"A shade under\"]\n";
        let config = parse(text, Path::new("/p/copydesk.toml")).unwrap();
        assert_eq!(config.corpus, vec![PathBuf::from("/p/sources")]);
        assert_eq!(config.report_unsupported, Some(false));
        assert_eq!(config.hedge_tolerance, Some(0.05));
        assert_eq!(config.dollar, Some(vec!["USD".to_string()]));
        assert_eq!(config.severity.get(&Code::HedgeMismatch), Some(&Some(Severity::Info)));
        assert_eq!(config.severity.get(&Code::UnsupportedClaim), Some(&None));
        assert_eq!(config.hedges, vec![("a shade under".to_string(), Bound::Nearly)]);
        assert!(config.warnings.is_empty());
    }

    #[test]
    fn bad_values_name_line_key_and_choices() {
        let err = parse("corpus = []\n[severity]\nhedge-mismatch = \"loud\"\n", Path::new("c.toml")).unwrap_err().to_string();
        assert_eq!(err, "c.toml:3: severity.hedge-mismatch: `loud` is not a severity (choose error, warning, info, hint or off)");
        let err = parse("[severity]\nnumber-mistake = \"off\"\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2: severity: unknown code `number-mistake`"), "{err}");
        let err = parse("hedge-tolerance = \"much\"\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:1:"), "{err}");
    }

    #[test]
    fn limits_are_read_in_megabytes_and_files() {
        let config = parse("max-file-size = 0.5\nmax-files = 10\n", Path::new("c.toml")).unwrap();
        assert_eq!(config.limits(), Limits { max_file_bytes: 500_000, max_files: 10 });
        // A whole number of MB is a number too.
        let config = parse("max-file-size = 20\n", Path::new("c.toml")).unwrap();
        assert_eq!(config.max_file_bytes, Some(20_000_000));
        assert_eq!(config.limits().max_files, Limits::default().max_files);
        assert_eq!(Config::default().limits(), Limits::default());
    }

    #[test]
    fn bad_limits_name_line_key_and_range() {
        let err = parse("corpus = []\nmax-file-size = 0\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2: max-file-size: 0 is out of range (a size in MB greater than 0"), "{err}");
        let err = parse("max-file-size = -3.5\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:1: max-file-size: -3.5 is out of range"), "{err}");
        let err = parse("max-file-size = nan\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:1: max-file-size: NaN is out of range"), "{err}");
        let err = parse("\nmax-file-size = \"20 MB\"\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:2:"), "{err}");
        let err = parse("dollar = [\"USD\"]\n\nmax-files = 0\n", Path::new("c.toml")).unwrap_err().to_string();
        assert_eq!(err, "c.toml:3: max-files: 0 is out of range (a whole number of files, 1 or more, e.g. 200000)");
        let err = parse("max-files = 2.5\n", Path::new("c.toml")).unwrap_err().to_string();
        assert!(err.starts_with("c.toml:1:"), "{err}");
    }

    #[test]
    fn corpus_globs_expand_under_their_folder_and_must_match() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("sources/2025")).unwrap();
        std::fs::create_dir_all(root.join("other")).unwrap();
        for file in ["sources/a.md", "sources/2025/b.md", "sources/2025/c.txt", "other/d.md"] {
            std::fs::write(root.join(file), "text").unwrap();
        }
        let config_path = root.join("copydesk.toml");
        let config = parse("corpus = [\"sources/**/*.md\"]\n", &config_path).unwrap();
        assert_eq!(config.corpus, vec![root.join("sources/2025/b.md"), root.join("sources/a.md")]);
        let absolute = format!("corpus = [\"{}/other/*.md\"]\n", root.display());
        assert_eq!(parse(&absolute, &config_path).unwrap().corpus, vec![root.join("other/d.md")]);
        for glob in ["sources/**/*.html", "missing/**/*.md"] {
            let err = parse(&format!("dollar = [\"USD\"]\ncorpus = [\"{glob}\"]\n"), &config_path).unwrap_err().to_string();
            assert!(err.ends_with(&format!("copydesk.toml:2: corpus glob `{glob}` matches no files")), "{err}");
        }
        let err = parse("corpus = [\"/**/*.md\"]\n", &config_path).unwrap_err().to_string();
        assert!(err.ends_with("copydesk.toml:1: corpus glob `/**/*.md` would walk the whole file system; start it with the folder that holds the source articles"), "{err}");
        // The walk is bounded by max-files (ten entries a file).
        for i in 0..10 {
            std::fs::write(root.join(format!("other/n{i}.txt")), "text").unwrap();
        }
        let err = parse("max-files = 1\ncorpus = [\"**/*.md\"]\n", &config_path).unwrap_err().to_string();
        assert!(err.contains("corpus glob `**/*.md`: more than 10 files and folders"), "{err}");
    }

    #[test]
    fn unknown_keys_warn() {
        let config = parse("colour = \"red\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(config.warnings.len(), 1);
        assert!(config.warnings[0].contains("c.toml:1: unknown key `colour`"), "{:?}", config.warnings);
    }
}
