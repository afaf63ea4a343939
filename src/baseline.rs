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
    // Not named `source`: the message already holds it, and a chain would print it twice.
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: not a copydesk baseline ({error})")]
    Parse { path: String, error: serde_json::Error },
}

pub fn entry(path: &str, text: &str, finding: &Finding) -> Entry {
    let lines = LineIndex::new(text);
    let line = lines.line_span(text, lines.line_of(finding.span.start)).slice(text).trim().to_string();
    Entry { path: path.to_string(), code: finding.code.to_string(), text: finding.span.slice(text).to_string(), line }
}

/// A baseline holds a few hundred bytes per finding; this allows some 100,000 of them.
pub const MAX_BASELINE_BYTES: u64 = 64_000_000;

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let display = path.display().to_string();
        let bytes = crate::input::read_file(path, MAX_BASELINE_BYTES, "baseline")
            .map_err(|err| BaselineError::Io { path: display.clone(), error: err.into() })?;
        let text = String::from_utf8(bytes)
            .map_err(|err| BaselineError::Io { path: display.clone(), error: std::io::Error::new(std::io::ErrorKind::InvalidData, err) })?;
        serde_json::from_str(&text).map_err(|error| BaselineError::Parse { path: display, error })
    }

    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        let text = serde_json::to_string_pretty(self).expect("JSON of plain data") + "\n";
        std::fs::write(path, text).map_err(|error| BaselineError::Io { path: path.display().to_string(), error })
    }

    pub fn contains(&self, entry: &Entry) -> bool {
        self.findings.contains(entry)
    }
}
