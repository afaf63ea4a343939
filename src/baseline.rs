//! Baselines: record today's findings once, then report only new ones
//! (`copydesk lint --baseline FILE`), so a newsroom can adopt copydesk on an existing archive.
//!
//! A finding is recognised by its draft path, code, the draft text it covers and the trimmed
//! text of its line: edits elsewhere in the draft do not make old findings new.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::findings::Finding;
use crate::position::LineIndex;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub code: String,
    pub text: String,
    pub line: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: BTreeSet<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: not a copydesk baseline ({source})")]
    Parse { path: String, source: serde_json::Error },
}

pub fn entry(path: &str, text: &str, finding: &Finding) -> Entry {
    let lines = LineIndex::new(text);
    let line = lines.line_span(text, lines.line_of(finding.span.start)).slice(text).trim().to_string();
    Entry { path: path.to_string(), code: finding.code.to_string(), text: finding.span.slice(text).to_string(), line }
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io { path: display.clone(), source })?;
        serde_json::from_str(&text).map_err(|source| BaselineError::Parse { path: display, source })
    }

    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        let text = serde_json::to_string_pretty(self).expect("JSON of plain data") + "\n";
        std::fs::write(path, text).map_err(|source| BaselineError::Io { path: path.display().to_string(), source })
    }

    pub fn contains(&self, entry: &Entry) -> bool {
        self.findings.contains(entry)
    }
}
