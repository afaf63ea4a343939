//! What a check reports: findings with their codes, severities, evidence and fixes, and the
//! verdict on every statistic that was checked (for hovers on figures that are fine).

use serde::Serialize;

use crate::position::Span;

/// A finding's stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    NumberMismatch,
    UnitMismatch,
    HedgeMismatch,
    DateMismatch,
    RelativeDate,
    Misquote,
    Misattribution,
    NotInSource,
    UnsupportedClaim,
    NotInCitedSource,
    SupersededFigure,
    UnusedSuppression,
}

impl Code {
    pub const ALL: [Code; 12] = [
        Code::NumberMismatch,
        Code::UnitMismatch,
        Code::HedgeMismatch,
        Code::DateMismatch,
        Code::RelativeDate,
        Code::Misquote,
        Code::Misattribution,
        Code::NotInSource,
        Code::UnsupportedClaim,
        Code::NotInCitedSource,
        Code::SupersededFigure,
        Code::UnusedSuppression,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::NumberMismatch => "number-mismatch",
            Code::UnitMismatch => "unit-mismatch",
            Code::HedgeMismatch => "hedge-mismatch",
            Code::DateMismatch => "date-mismatch",
            Code::RelativeDate => "relative-date",
            Code::Misquote => "misquote",
            Code::Misattribution => "misattribution",
            Code::NotInSource => "not-in-source",
            Code::UnsupportedClaim => "unsupported-claim",
            Code::NotInCitedSource => "not-in-cited-source",
            Code::SupersededFigure => "superseded-figure",
            Code::UnusedSuppression => "unused-suppression",
        }
    }

    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::NumberMismatch | Code::UnitMismatch | Code::DateMismatch | Code::Misquote | Code::Misattribution => Severity::Error,
            Code::HedgeMismatch | Code::RelativeDate | Code::NotInSource | Code::SupersededFigure => Severity::Warning,
            Code::UnsupportedClaim | Code::NotInCitedSource | Code::UnusedSuppression => Severity::Info,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// Where in the corpus a figure or quotation comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index of the document in the corpus.
    pub doc: u32,
    /// The sentence (or passage) that holds the figure, as a byte span of the source text.
    pub passage: Span,
    /// The figure or quotation itself in the source.
    pub figure: Span,
    /// The passage text.
    pub excerpt: String,
    /// The source's own wording of the figure.
    pub text: String,
    /// Who said it, for quotations.
    pub speaker: Option<String>,
}

/// An edit that restores the source's wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Byte span of the draft to replace.
    #[serde(skip)]
    pub span: Span,
    pub replacement: String,
    /// A short title for the quick fix.
    #[serde(skip)]
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// Byte span of the draft text the finding covers.
    pub span: Span,
    pub message: String,
    pub evidence: Vec<Evidence>,
    pub fix: Option<Fix>,
}

/// The verdict on one checked statistic or quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The source says the same.
    Supported,
    /// The source says something else: see the finding.
    Flagged,
    /// No source passage reports this.
    NoSource,
}

/// One statistic or quotation of the draft that was checked, flagged or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub span: Span,
    pub verdict: Verdict,
    pub evidence: Option<Evidence>,
    /// Index into `Report::findings` when flagged.
    pub finding: Option<usize>,
    /// What the hover adds to the evidence: the sum that bears out a figure the writer worked
    /// out from the source's figures ("Worked out from the source: \"60 percent cheaper\" -> 40%
    /// of: 100 - 60 = 40"), or every value of sources that disagree on the fact.
    pub note: Option<String>,
}

/// Everything a check of one draft found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub checked: Vec<Checked>,
}

impl Report {
    /// Records a finding and marks its span as flagged, with the finding's first evidence.
    pub fn flag(&mut self, finding: Finding) {
        self.checked.push(Checked {
            span: finding.span,
            verdict: Verdict::Flagged,
            evidence: finding.evidence.first().cloned(),
            finding: None,
            note: None,
        });
        self.findings.push(finding);
    }

    /// The checked item covering byte `offset`, if any.
    pub fn checked_at(&self, offset: usize) -> Option<&Checked> {
        self.checked.iter().find(|c| c.span.start <= offset && offset <= c.span.end)
    }
}
