//! Suppression comments: `<!-- copydesk-disable-next-line [CODE ...] -->` silences the next
//! line, `<!-- copydesk-disable [CODE ...] -->` ... `<!-- copydesk-enable -->` a block. With no
//! codes, every code is silenced. Plain-text drafts use the same comments on a line of their own.

use crate::findings::{Code, Report};
use crate::position::LineIndex;

/// Lines (0-based, inclusive) where some codes (or all, when `codes` is empty) are silenced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub first_line: usize,
    pub last_line: usize,
    pub codes: Vec<Code>,
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
    let mut open: Option<(usize, Vec<Code>)> = None;
    for (number, line) in lines.iter().enumerate() {
        let mut rest = *line;
        while let Some(start) = rest.find("<!--") {
            let after = &rest[start + 4..];
            let Some(end) = after.find("-->") else { break };
            let body = after[..end].trim();
            rest = &after[end + 3..];
            let mut words = body.split_whitespace();
            let directive = words.next().unwrap_or("");
            let codes: Vec<Code> = words.filter_map(Code::parse).collect();
            match directive {
                "copydesk-disable-next-line" => {
                    // The next non-blank line.
                    let target = (number + 1..lines.len()).find(|&i| !lines[i].trim().is_empty()).unwrap_or(number + 1);
                    out.push(Suppression { first_line: target, last_line: target, codes });
                }
                "copydesk-disable-line" => out.push(Suppression { first_line: number, last_line: number, codes }),
                "copydesk-disable" => {
                    if open.is_none() {
                        open = Some((number, codes));
                    }
                }
                "copydesk-enable" => {
                    if let Some((first, codes)) = open.take() {
                        out.push(Suppression { first_line: first, last_line: number, codes });
                    }
                }
                _ => {}
            }
        }
    }
    if let Some((first, codes)) = open {
        out.push(Suppression { first_line: first, last_line: usize::MAX, codes });
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
    report.findings.retain(|f| {
        let line = lines.line_of(f.span.start);
        !suppressions.iter().any(|s| s.covers(line, f.code))
    });
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
                Suppression { first_line: 3, last_line: 3, codes: vec![Code::NumberMismatch] },
                Suppression { first_line: 4, last_line: 6, codes: vec![] },
            ]
        );
    }
}
