//! The words of quoted text, normalised for comparison: what carries no meaning (quote and
//! apostrophe styles, dashes, ellipsis forms, whitespace, case, edge punctuation, contractions,
//! `%`/`per cent`) is read away. In a draft, an ellipsis and `[bracketed]` words are gaps,
//! `[t]he` reads as `the` and `[sic]` is dropped; in a source, ellipses and parentheticals are
//! marked on the words next to them. The quotation check compares these words, and a corpus
//! document caches its paragraphs' words.

use crate::position::Span;

/// A normalised word of quoted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QTok {
    pub(crate) norm: String,
    pub(crate) span: Span,
    /// In a source: an ellipsis stands before this word (the source left words out here).
    pub(crate) elided_before: bool,
    /// In a source: inside parentheses or brackets (a draft may leave it out).
    pub(crate) optional: bool,
}

/// What a draft quotation leaves out between two of its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Gap {
    None,
    /// `[the company]`: a few words replaced or added.
    Insertion,
    /// Between the parts of a split quotation: the source may have an attribution there.
    Part,
    /// `...`: any number of words.
    Ellipsis,
}

impl Gap {
    pub(crate) fn limit(self) -> usize {
        match self {
            Gap::None => 0,
            Gap::Insertion => 6,
            Gap::Part => 15,
            Gap::Ellipsis => 120,
        }
    }
}

pub(crate) enum Item {
    Tok(QTok),
    Gap(Gap),
}

const ELLIPSIS_MARK: char = '\u{E000}';
const INSERTION_MARK: char = '\u{E001}';

/// Normalised words of `text[span]`. In a draft (`edits`), ellipses and bracketed insertions
/// are gaps, `[sic]` is dropped and brackets inside a word (`[t]he`) are transparent.
pub(crate) fn qlex(text: &str, span: Span, edits: bool) -> Vec<Item> {
    let s = span.slice(text);
    let raw: Vec<(usize, char)> = s.char_indices().collect();
    // Filter the characters, replacing edits by marks.
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let (off, c) = raw[i];
        if edits {
            let rest = &s[off..];
            if c == '…' {
                chars.push((off, ELLIPSIS_MARK));
                i += 1;
                continue;
            }
            if rest.starts_with("...") || rest.starts_with(". . .") {
                chars.push((off, ELLIPSIS_MARK));
                let mut j = i;
                while j < raw.len() && matches!(raw[j].1, '.' | ' ') && (raw[j].1 == '.' || raw.get(j + 1).is_some_and(|x| x.1 == '.')) {
                    j += 1;
                }
                i = j.max(i + 1);
                continue;
            }
            if c == '[' || c == '(' {
                let close = if c == '[' { ']' } else { ')' };
                if let Some(k) = raw[i + 1..].iter().take(80).position(|x| x.1 == close).map(|k| k + i + 1) {
                    let content = s[off + 1..raw[k].0].trim();
                    let lowered = content.to_lowercase();
                    if lowered == "sic" || lowered == "sic!" {
                        i = k + 1;
                        continue;
                    }
                    if matches!(content, "..." | "…" | ". . .") {
                        chars.push((off, ELLIPSIS_MARK));
                        i = k + 1;
                        continue;
                    }
                    if c == '[' {
                        let attached = (i > 0 && raw[i - 1].1.is_alphanumeric()) || raw.get(k + 1).is_some_and(|x| x.1.is_alphanumeric());
                        if attached {
                            // `[t]he`: keep the letters, drop the brackets.
                            chars.extend(raw[i + 1..k].iter().copied());
                        } else {
                            chars.push((off, INSERTION_MARK));
                        }
                        i = k + 1;
                        continue;
                    }
                }
            }
        }
        chars.push((off, c));
        i += 1;
    }
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth = 0usize;
    let mut elided = false;
    while i < chars.len() {
        let (off, c) = chars[i];
        if !edits {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                '…' => elided = true,
                '.' if s[off..].starts_with("...") || s[off..].starts_with(". . .") => elided = true,
                _ => {}
            }
        }
        if c == ELLIPSIS_MARK {
            out.push(Item::Gap(Gap::Ellipsis));
            i += 1;
            continue;
        }
        if c == INSERTION_MARK {
            out.push(Item::Gap(Gap::Insertion));
            i += 1;
            continue;
        }
        if c == '%' {
            out.push(Item::Tok(QTok { norm: "percent".into(), span: Span::new(span.start + off, span.start + off + 1), elided_before: false, optional: depth > 0 }));
            i += 1;
            continue;
        }
        if c == '&' {
            out.push(Item::Tok(QTok { norm: "and".into(), span: Span::new(span.start + off, span.start + off + 1), elided_before: false, optional: depth > 0 }));
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut norm = String::new();
        let mut j = i;
        let mut last_end = off;
        while j < chars.len() {
            let (o, cj) = chars[j];
            if cj.is_alphanumeric() {
                norm.extend(cj.to_lowercase());
                last_end = o + cj.len_utf8();
                j += 1;
                continue;
            }
            let next = chars.get(j + 1).map(|x| x.1);
            let prev = chars[j - 1].1;
            if matches!(cj, '\'' | '’' | '‘') && prev.is_alphanumeric() && next.is_some_and(|n| n.is_alphanumeric()) {
                norm.push('\'');
                j += 1;
                continue;
            }
            if matches!(cj, '.' | ',') && prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()) {
                if cj == '.' {
                    norm.push('.');
                }
                j += 1;
                continue;
            }
            break;
        }
        let tok_span = Span::new(span.start + off, span.start + last_end);
        for part in expand(&norm) {
            out.push(Item::Tok(QTok { norm: part, span: tok_span, elided_before: std::mem::take(&mut elided), optional: depth > 0 }));
        }
        i = j;
    }
    // "per cent" is "percent".
    let mut merged: Vec<Item> = Vec::with_capacity(out.len());
    for item in out {
        if let (Item::Tok(t), Some(Item::Tok(prev))) = (&item, merged.last_mut()) {
            if t.norm == "cent" && prev.norm == "per" {
                prev.norm = "percent".into();
                prev.span = prev.span.cover(t.span);
                continue;
            }
        }
        merged.push(item);
    }
    merged
}

/// Contractions mean the same spelled out.
fn expand(norm: &str) -> Vec<String> {
    if let Some(base) = norm.strip_suffix("n't") {
        let base = match base {
            "wo" => "will",
            "ca" => "can",
            "sha" => "shall",
            "ai" => "is",
            b => b,
        };
        return vec![base.to_string(), "not".to_string()];
    }
    for (suffix, full) in [("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'m", "am")] {
        if let Some(base) = norm.strip_suffix(suffix) {
            if !base.is_empty() {
                return vec![base.to_string(), full.to_string()];
            }
        }
    }
    if norm == "cannot" {
        return vec!["can".into(), "not".into()];
    }
    vec![norm.to_string()]
}

pub(crate) fn plain_tokens(text: &str, span: Span) -> Vec<QTok> {
    qlex(text, span, false)
        .into_iter()
        .filter_map(|i| match i {
            Item::Tok(t) => Some(t),
            Item::Gap(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_ignores_what_carries_no_meaning() {
        let norm = |s: &str| -> Vec<String> { plain_tokens(s, Span::new(0, s.len())).into_iter().map(|t| t.norm).collect() };
        assert_eq!(norm("We don’t — ever — sell 30% of it"), norm("we do not -- ever -- sell 30 per cent of it"));
        assert_eq!(norm("“It’s 1,200 units…”"), norm("\"it's 1200 units...\""));
        assert_ne!(norm("in most cases"), norm("in some cases"));
    }
}
