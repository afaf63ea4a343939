//! Settings from `initializationOptions` and `workspace/didChangeConfiguration`, read under a
//! `copydesk` key or at the top level: `corpus` (paths, absolute or relative to the workspace
//! root) and `debounceMs` (delay before checking a changed buffer; 0 checks at once).

use std::time::Duration;

use serde_json::Value;

pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(150);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Corpus paths as the user wrote them; `None` means the default corpus.
    pub corpus: Option<Vec<String>>,
    pub debounce: Duration,
    /// Severity per code from the editor (`error`, `warning`, `info`, `hint`, `off`); these win
    /// over the project file's.
    pub severity: std::collections::BTreeMap<crate::findings::Code, Option<crate::findings::Severity>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { corpus: None, debounce: DEFAULT_DEBOUNCE, severity: Default::default() }
    }
}

impl Settings {
    /// Reads settings from a JSON value. Keys it does not know are ignored; values of the wrong
    /// type are reported in the returned warnings and left at their defaults.
    pub fn from_json(value: &Value) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut warnings = Vec::new();
        let section = match value.get("copydesk") {
            Some(inner) if inner.is_object() => inner,
            _ => value,
        };
        match section.get("corpus") {
            None | Some(Value::Null) => {}
            Some(Value::String(path)) => settings.corpus = Some(vec![path.clone()]),
            Some(Value::Array(items)) => {
                let paths: Vec<String> = items
                    .iter()
                    .filter_map(|item| match item {
                        Value::String(path) => Some(path.clone()),
                        other => {
                            warnings.push(format!("ignoring corpus entry {other}: not a string"));
                            None
                        }
                    })
                    .collect();
                if !paths.is_empty() {
                    settings.corpus = Some(paths);
                }
            }
            Some(other) => warnings.push(format!("ignoring corpus setting {other}: expected a list of paths")),
        }
        if let Some(Value::Object(map)) = section.get("severity") {
            use crate::findings::{Code, Severity};
            for (key, value) in map {
                let Some(code) = Code::parse(key) else {
                    warnings.push(format!("ignoring severity for unknown code {key}"));
                    continue;
                };
                let severity = match value.as_str() {
                    Some("error") => Some(Severity::Error),
                    Some("warning") => Some(Severity::Warning),
                    Some("info" | "information") => Some(Severity::Info),
                    Some("hint") => Some(Severity::Hint),
                    Some("off") => None,
                    Some("default") | None => continue,
                    Some(other) => {
                        warnings.push(format!("ignoring severity {other} for {key}: choose error, warning, info, hint or off"));
                        continue;
                    }
                };
                settings.severity.insert(code, severity);
            }
        }
        match section.get("debounceMs") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) => match n.as_f64() {
                Some(ms) if ms >= 0.0 && ms.is_finite() => {
                    settings.debounce = Duration::from_millis(ms.min(60_000.0) as u64)
                }
                _ => warnings.push(format!("ignoring debounceMs {n}: expected a number of milliseconds, 0 or more")),
            },
            Some(other) => warnings.push(format!("ignoring debounceMs {other}: expected a number")),
        }
        (settings, warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_nested_and_top_level_settings() {
        let (s, w) = Settings::from_json(&json!({"copydesk": {"corpus": ["a", "b"], "debounceMs": 0}}));
        assert_eq!(s.corpus, Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(s.debounce, Duration::ZERO);
        assert!(w.is_empty());
        let (s, _) = Settings::from_json(&json!({"corpus": "src", "debounceMs": 20}));
        assert_eq!(s.corpus, Some(vec!["src".to_string()]));
        assert_eq!(s.debounce, Duration::from_millis(20));
    }

    #[test]
    fn bad_values_warn_and_default() {
        let (s, w) = Settings::from_json(&json!({"corpus": 3, "debounceMs": -1}));
        assert_eq!(s, Settings::default());
        assert_eq!(w.len(), 2);
        assert_eq!(Settings::from_json(&Value::Null).0, Settings::default());
    }
}
