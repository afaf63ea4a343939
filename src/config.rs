//! The project file, `copydesk.toml`: corpus paths, which drafts to check, severities per code,
//! hedge tolerance and extra hedge words, what a bare `$` may mean, and whether unsupported
//! statistics are reported.
//!
//! Found by walking up from a draft (CLI) or the workspace root (server). A malformed file is an
//! error naming the file, line and key with the valid choices; an unknown key is a warning.
//!
//! ```toml
//! corpus = ["sources/", "archive/**/*.md"]
//! include = ["drafts/**"]
//! exclude = ["drafts/old/**"]
//! report-unsupported = true
//! hedge-tolerance = 0.1
//! dollar = ["USD", "SGD"]
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

use crate::extract::Bound;
use crate::findings::{Code, Severity};
use crate::position::LineIndex;

pub const FILE_NAME: &str = "copydesk.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
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
            warnings: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    corpus: Option<Spanned<Vec<String>>>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    severity: Option<BTreeMap<String, Spanned<String>>>,
    hedge_tolerance: Option<Spanned<f64>>,
    hedges: Option<BTreeMap<String, Spanned<Vec<String>>>>,
    dollar: Option<Spanned<Vec<String>>>,
    report_unsupported: Option<bool>,
    #[serde(flatten)]
    unknown: BTreeMap<String, toml::Value>,
}

const KEYS: &str = "corpus, include, exclude, severity, hedge-tolerance, hedges, dollar, report-unsupported";
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
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: display.clone(), source })?;
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
    let base = path.parent().unwrap_or(Path::new("."));
    let mut config = Config { path: Some(path.to_path_buf()), ..Config::default() };
    for key in raw.unknown.keys() {
        let line = text.lines().position(|l| l.trim_start().starts_with(key.as_str())).map_or(1, |i| i + 1);
        config.warnings.push(format!("{display}:{line}: unknown key `{key}` ignored (valid keys: {KEYS})"));
    }
    if let Some(corpus) = raw.corpus {
        for entry in corpus.get_ref() {
            if entry.contains(['*', '?', '[']) {
                let glob = globset::Glob::new(entry)
                    .map_err(|e| invalid(corpus.span().start, format!("corpus: bad glob `{entry}`: {e}")))?
                    .compile_matcher();
                let mut matched: Vec<PathBuf> = ignore::WalkBuilder::new(base)
                    .build()
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                    .map(|e| e.into_path())
                    .filter(|p| p.strip_prefix(base).is_ok_and(|rel| glob.is_match(rel)))
                    .collect();
                matched.sort();
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
    Ok(config)
}

impl Config {
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
    fn unknown_keys_warn() {
        let config = parse("colour = \"red\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(config.warnings.len(), 1);
        assert!(config.warnings[0].contains("c.toml:1: unknown key `colour`"), "{:?}", config.warnings);
    }
}
