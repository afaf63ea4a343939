//! The prose of a file: which bytes are words a reader reads, cut into paragraphs and sentences.
//!
//! Every format (Markdown, plain text, HTML) is reduced to a *masked* copy of the file: the
//! same length, prose bytes kept, everything else (markup, code, comments, link targets,
//! front matter) blanked to spaces, and `\n` wherever a block ends. Because the masked copy
//! keeps every offset, extraction runs once over it for drafts and sources alike and its spans
//! are spans of the original file.

use crate::position::Span;

/// The kind of a file, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    PlainText,
    Html,
}

impl Format {
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::PlainText),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Metadata from a `---` front matter block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    /// Who wrote it (`author`, `authors`, `byline`).
    pub author: Option<String>,
    /// Byte span of the whole block, delimiters included.
    pub span: Option<Span>,
}

/// A file's prose: the masked copy and its sentences.
#[derive(Debug, Clone)]
pub struct Prose {
    /// Same length as the original; non-prose bytes are spaces, block ends are `\n`.
    pub masked: String,
    pub front_matter: FrontMatter,
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index into `Prose::paragraphs`.
    pub paragraph: usize,
}

impl Prose {
    pub fn new(text: &str, format: Format) -> Prose {
        let front_matter = parse_front_matter(text);
        let body_start = front_matter.span.map_or(0, |s| s.end);
        let mut masked = match format {
            Format::Markdown => crate::markdown::mask(text, body_start),
            Format::PlainText => mask_plain(text, body_start),
            Format::Html => crate::html::mask(text),
        };
        if masked.len() != text.len() {
            // Masking must keep every offset; fall back to the raw text rather than misplace spans.
            masked = text.to_string();
        }
        let paragraphs = paragraphs(&masked);
        let mut sentences = Vec::new();
        for (index, paragraph) in paragraphs.iter().enumerate() {
            for span in split_sentences(&masked, *paragraph) {
                sentences.push(Sentence { span, paragraph: index });
            }
        }
        Prose { masked, front_matter, paragraphs, sentences }
    }

    /// The sentence holding byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= offset);
        (i < self.sentences.len() && self.sentences[i].span.start <= offset).then_some(i)
    }
}

/// The `---` front matter block at the start of `text`, if any, and its fields.
pub fn parse_front_matter(text: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - body.len();
    let first_line_end = body.find('\n').unwrap_or(body.len());
    if body[..first_line_end].trim_end() != "---" {
        return fm;
    }
    let mut offset = first_line_end + 1;
    let mut closed = None;
    let mut fields = Vec::new();
    while offset <= body.len() {
        let end = body[offset..].find('\n').map_or(body.len(), |i| offset + i);
        let line = body[offset..end].trim_end_matches('\r');
        if line.trim_end() == "---" || line.trim_end() == "..." {
            closed = Some((end + 1).min(body.len()));
            break;
        }
        if let Some((key, value)) = line.split_once(':') {
            fields.push((key.trim().to_ascii_lowercase(), unquote(value.trim()).to_string()));
        }
        if end == body.len() {
            break;
        }
        offset = end + 1;
    }
    // Unterminated front matter is not front matter: the text stays prose.
    let Some(end) = closed else { return fm };
    for (key, value) in fields {
        if value.is_empty() {
            continue;
        }
        match key.as_str() {
            "title" => fm.title = Some(value),
            "url" | "link" | "source" => fm.url = fm.url.or(Some(value)),
            "publisher" | "site" | "outlet" => fm.publisher = fm.publisher.or(Some(value)),
            "date" | "published" => fm.date = fm.date.or(Some(value)),
            "author" | "authors" | "byline" => fm.author = fm.author.or(Some(value)),
            _ => {}
        }
    }
    fm.span = Some(Span::new(0, bom + end));
    fm
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// Plain text: everything after the front matter is prose. A single line break is a block
/// break unless the text is hard-wrapped mid-sentence (the next line starts in lower case and
/// the line does not end a sentence) or mid-quotation (the block so far leaves a quotation
/// open and the next line closes it without opening another first, as a quotation running on
/// into a new paragraph would).
fn mask_plain(text: &str, body_start: usize) -> String {
    let mut out: Vec<u8> = text.as_bytes().to_vec();
    blank(&mut out, 0, body_start);
    let bytes = text.as_bytes();
    for i in body_start..bytes.len() {
        if bytes[i] == b'\r' {
            out[i] = b'\n';
        }
    }
    let mut i = body_start;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let prev = text[..i].trim_end_matches(['\r', ' ', '\t']).chars().last();
            let next = text[i + 1..].chars().next();
            let wrapped = matches!(prev, Some(c) if c.is_alphanumeric() || c == ',')
                && matches!(next, Some(c) if c.is_lowercase());
            let line = text[..i].rsplit('\n').next().unwrap_or("");
            let next_line = text[i + 1..].split('\n').next().unwrap_or("");
            let wrapped = wrapped || quotation_wrapped(line, next_line);
            if wrapped {
                out[i] = b' ';
                if i > 0 && bytes[i - 1] == b'\r' {
                    out[i - 1] = b' ';
                }
            }
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// How near a wrapped quotation's marks stand to the line break, in bytes: a hard-wrapped line
/// is at most about 80 columns, so a mark further away is no wrap's (a line of script on a
/// scraped page holds dozens of marks).
const WRAP_REACH: usize = 100;

/// Whether the break between `line` and `next` falls inside a quotation: `line` leaves one
/// open (an odd number of straight marks, or an opening curly mark last) near its end, and
/// `next` closes it near its start without opening another first and without starting with a
/// mark (a quotation running on into a new paragraph reopens there).
fn quotation_wrapped(line: &str, next: &str) -> bool {
    let line = line.trim_end_matches('\r');
    let Some(open) = line.rfind(['"', '“', '”']) else { return false };
    let opens = if line[open..].starts_with('"') { line.matches('"').count() % 2 == 1 } else { line[open..].starts_with('“') };
    if !opens || line.len() - open > WRAP_REACH {
        return false;
    }
    let next = next.trim_start();
    if next.starts_with(['"', '“']) {
        return false;
    }
    match next.find(['"', '“', '”']) {
        Some(close) => close <= WRAP_REACH && !next[close..].starts_with('“'),
        None => false,
    }
}

/// Replaces bytes `[start, end)` with spaces, keeping line breaks.
pub(crate) fn blank(out: &mut [u8], start: usize, end: usize) {
    let end = end.min(out.len());
    for b in &mut out[start.min(end)..end] {
        if *b != b'\n' {
            *b = b' ';
        }
    }
}

/// Paragraphs: runs of masked text between line breaks, trimmed, non-empty.
fn paragraphs(masked: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in masked.bytes().enumerate().chain(std::iter::once((masked.len(), b'\n'))) {
        if b == b'\n' {
            let raw = &masked[start..i];
            let lead = raw.len() - raw.trim_start().len();
            let trail = raw.len() - raw.trim_end().len();
            if lead + trail < raw.len() {
                out.push(Span::new(start + lead, i - trail));
            }
            start = i + 1;
        }
    }
    out
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "inc", "corp", "co", "ltd", "plc", "vs",
    "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "capt", "u.s", "u.k", "e.g", "i.e",
    "etc", "approx", "est", "fig", "vol", "pp", "p", "a.m", "p.m", "dept", "univ", "mt", "ft",
];

/// Sentence spans inside one paragraph.
fn split_sentences(masked: &str, paragraph: Span) -> Vec<Span> {
    let text = paragraph.slice(masked);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            // Take closing quotes and brackets after the terminator into the sentence.
            let mut end = i + 1;
            loop {
                let rest = &text[end..];
                if let Some(c) = rest.chars().next() {
                    if matches!(c, '"' | '\'' | ')' | ']' | '’' | '”' | '»' | '.' | '!' | '?') {
                        end += c.len_utf8();
                        continue;
                    }
                }
                break;
            }
            let rest = &text[end..];
            let after_space = rest.trim_start();
            let spaced = after_space.len() < rest.len();
            let next = after_space.chars().next();
            let starts_new = matches!(next, Some(c) if c.is_uppercase() || c.is_ascii_digit()
                || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '['));
            if spaced && starts_new && !(b == b'.' && is_abbreviation(&text[start..i])) {
                push_trimmed(&mut out, text, paragraph.start, start, end);
                start = end;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    push_trimmed(&mut out, text, paragraph.start, start, text.len());
    out
}

fn push_trimmed(out: &mut Vec<Span>, text: &str, base: usize, start: usize, end: usize) {
    let raw = &text[start..end];
    let lead = raw.len() - raw.trim_start().len();
    let trail = raw.len() - raw.trim_end().len();
    if lead + trail < raw.len() {
        out.push(Span::new(base + start + lead, base + end - trail));
    }
}

/// Whether the word before a period is an abbreviation or an initial, so no sentence ends there.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return true; // an initial: "Paul J. Smith"
    }
    ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str, format: Format) -> Vec<String> {
        let prose = Prose::new(text, format);
        prose.sentences.iter().map(|s| s.span.slice(text).to_string()).collect()
    }

    #[test]
    fn splits_sentences_but_not_abbreviations_or_initials() {
        let text = "Micron Technology Inc. signed a deal. Dr. Smith and Paul J. Triolo said so. It cost US$1.8 billion.";
        assert_eq!(
            sentences(text, Format::PlainText),
            vec![
                "Micron Technology Inc. signed a deal.",
                "Dr. Smith and Paul J. Triolo said so.",
                "It cost US$1.8 billion."
            ]
        );
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        let text = "He said “we are done.” Then he left.";
        assert_eq!(sentences(text, Format::PlainText), vec!["He said “we are done.”", "Then he left."]);
    }

    #[test]
    fn plain_text_lines_are_paragraphs_but_wrapped_lines_join() {
        let text = "First paragraph ends.\nSecond one\nwraps here.\r\nThird.";
        let prose = Prose::new(text, Format::PlainText);
        assert_eq!(prose.paragraphs.len(), 3);
        assert_eq!(prose.masked.len(), text.len());
    }

    #[test]
    fn a_quotation_wrapped_over_a_line_break_stays_one_paragraph() {
        let text = "He read the name \"Jo.\nToby 3632\" in the Bible.\nNext paragraph.";
        let prose = Prose::new(text, Format::PlainText);
        assert_eq!(prose.paragraphs.len(), 2);
        assert_eq!(prose.paragraphs[0].slice(text), "He read the name \"Jo.\nToby 3632\" in the Bible.");
        // A quotation that runs on into its next paragraph reopens there: two paragraphs.
        let text = "“The first paragraph of a long remark.\n“And its second,” she said.";
        assert_eq!(Prose::new(text, Format::PlainText).paragraphs.len(), 2);
        // A stray mark with no close on the next line joins nothing.
        let text = "A 12\" screen.\nNext line.";
        assert_eq!(Prose::new(text, Format::PlainText).paragraphs.len(), 2);
    }

    #[test]
    fn front_matter_is_read_and_masked() {
        let text = "---\ntitle: \"A story\"\nurl: https://example.com/a\ndate: 2025-12-04\n---\nBody 30 percent.";
        let prose = Prose::new(text, Format::Markdown);
        assert_eq!(prose.front_matter.title.as_deref(), Some("A story"));
        assert_eq!(prose.front_matter.url.as_deref(), Some("https://example.com/a"));
        assert!(!prose.masked.contains("example.com"));
        assert!(prose.masked.contains("Body 30 percent."));
    }

    #[test]
    fn unterminated_front_matter_stays_prose() {
        let text = "---\ntitle: x\nno end here";
        let prose = Prose::new(text, Format::PlainText);
        assert_eq!(prose.front_matter.span, None);
        assert!(prose.masked.contains("no end here"));
    }
}
