//! Suppression comments: `<!-- copydesk-disable-next-line [CODE ...] -->` silences the next
//! line, `<!-- copydesk-disable [CODE ...] -->` ... `<!-- copydesk-enable -->` a block. With no
//! codes, every code is silenced. Plain-text drafts use the same comments on a line of their own.

use crate::findings::{Code, Finding, Fix, Report};
use crate::position::LineIndex;

/// Lines (0-based, inclusive) where some codes (or all, when `codes` is empty) are silenced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub first_line: usize,
    pub last_line: usize,
    pub codes: Vec<Code>,
    /// The comment that declares it (byte span), for reporting it when it silences nothing.
    pub comment: crate::position::Span,
}

impl Suppression {
    fn covers(&self, line: usize, code: Code) -> bool {
        self.first_line <= line && line <= self.last_line && (self.codes.is_empty() || self.codes.contains(&code))
    }
}

/// The suppressions a text declares.
pub fn parse(text: &str) -> Vec<Suppression> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut open: Option<(usize, Vec<Code>, crate::position::Span)> = None;
    let mut line_start = 0;
    for (number, line) in lines.iter().enumerate() {
        let mut rest = *line;
        let mut offset = line_start;
        line_start += line.len() + if text[line_start + line.len()..].starts_with("\r\n") { 2 } else { 1 };
        while let Some(start) = rest.find("<!--") {
            let after = &rest[start + 4..];
            let Some(end) = after.find("-->") else { break };
            let body = after[..end].trim();
            let comment = crate::position::Span::new(offset + start, offset + start + 4 + end + 3);
            offset += start + 4 + end + 3;
            rest = &after[end + 3..];
            let mut words = body.split_whitespace();
            let directive = words.next().unwrap_or("");
            let codes: Vec<Code> = words.filter_map(Code::parse).collect();
            match directive {
                "copydesk-disable-next-line" => {
                    // The next non-blank line.
                    let target = (number + 1..lines.len()).find(|&i| !lines[i].trim().is_empty()).unwrap_or(number + 1);
                    out.push(Suppression { first_line: target, last_line: target, codes, comment });
                }
                "copydesk-disable-line" => out.push(Suppression { first_line: number, last_line: number, codes, comment }),
                "copydesk-disable" => {
                    if open.is_none() {
                        open = Some((number, codes, comment));
                    }
                }
                "copydesk-enable" => {
                    if let Some((first, codes, comment)) = open.take() {
                        out.push(Suppression { first_line: first, last_line: number, codes, comment });
                    }
                }
                _ => {}
            }
        }
    }
    if let Some((first, codes, comment)) = open {
        out.push(Suppression { first_line: first, last_line: usize::MAX, codes, comment });
    }
    out
}

/// Removes the findings that a suppression in `text` silences.
pub fn apply(text: &str, report: &mut Report) {
    if !text.contains("copydesk-") {
        return;
    }
    let suppressions = parse(text);
    if suppressions.is_empty() {
        return;
    }
    let lines = LineIndex::new(text);
    let mut used = vec![false; suppressions.len()];
    report.findings.retain(|f| {
        let line = lines.line_of(f.span.start);
        let mut silenced = false;
        for (i, s) in suppressions.iter().enumerate() {
            if s.covers(line, f.code) {
                used[i] = true;
                silenced = true;
            }
        }
        !silenced
    });
    for (s, used) in suppressions.iter().zip(used) {
        if !used {
            report.findings.push(Finding {
                code: Code::UnusedSuppression,
                severity: Code::UnusedSuppression.default_severity(),
                span: s.comment,
                message: "this suppression silences nothing: remove it".to_string(),
                evidence: Vec::new(),
                fix: Some(Fix { span: s.comment, replacement: String::new(), title: "Remove the unused suppression".to_string() }),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form() {
        let text = "a\n<!-- copydesk-disable-next-line number-mismatch -->\n\nb\n<!-- copydesk-disable -->\nc\n<!-- copydesk-enable -->\nd";
        assert_eq!(
            parse(text),
            vec![
                Suppression { first_line: 3, last_line: 3, codes: vec![Code::NumberMismatch], comment: crate::position::Span::new(2, 53) },
                Suppression { first_line: 4, last_line: 6, codes: vec![], comment: crate::position::Span::new(57, 82) },
            ]
        );
    }
}
