//! Markdown drafts and sources: which bytes are prose.
//!
//! pulldown-cmark gives every event its source range. Text events inside paragraphs, headings,
//! list items, block quotes and table cells are prose; code (fenced, indented, inline), HTML
//! blocks and inline HTML (comments included), link and image targets, autolinks and image alt
//! text are not. Each block end becomes a `\n` in the masked copy so sentences never run from
//! one block into the next (a table cell into its neighbour, a heading into its paragraph).

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::prose::blank;

/// The masked copy of a Markdown text (see `crate::prose`). `body_start` skips front matter.
pub fn mask(text: &str, body_start: usize) -> String {
    let body = &text[body_start..];
    let mut prose = vec![false; text.len()];
    let mut block_ends = Vec::new();
    let mut block_starts = Vec::new();
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS;
    let mut code_depth = 0usize;
    let mut skip_depth = 0usize; // inside autolinks and images
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = (range.start + body_start)..(range.end + body_start);
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => {
                code_depth = code_depth.saturating_sub(1);
                block_ends.push(range.end);
            }
            Event::Start(Tag::Image { .. }) => skip_depth += 1,
            Event::End(TagEnd::Image) => skip_depth = skip_depth.saturating_sub(1),
            Event::Start(Tag::Link { link_type: LinkType::Autolink | LinkType::Email, .. }) => {
                skip_depth += 1
            }
            Event::End(TagEnd::Link) if skip_depth > 0 && is_autolink_end(text, &range) => {
                skip_depth -= 1
            }
            Event::Text(_) if code_depth == 0 && skip_depth == 0 => {
                for flag in &mut prose[range] {
                    *flag = true;
                }
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => block_ends.push(range.end),
            Event::Start(Tag::Item | Tag::TableCell | Tag::Heading { .. } | Tag::Paragraph) => {
                block_starts.push(range.start)
            }
            _ => {}
        }
    }
    let mut out = text.as_bytes().to_vec();
    let mut run_start = None;
    for i in 0..=out.len() {
        let is_prose = i < out.len() && prose[i];
        match (is_prose, run_start) {
            (false, None) => run_start = Some(i),
            (true, Some(start)) => {
                blank(&mut out, start, i);
                run_start = None;
            }
            _ => {}
        }
    }
    if let Some(start) = run_start {
        let len = out.len();
        blank(&mut out, start, len);
    }
    // Line breaks inside a paragraph are soft: only block ends break.
    for b in out.iter_mut() {
        if *b == b'\n' || *b == b'\r' {
            *b = b' ';
        }
    }
    for end in block_ends {
        // Put the break on the first non-prose byte at or after the block end, or just before it.
        let mut at = end.min(out.len());
        while at < out.len() && prose[at] {
            at += 1;
        }
        if at < out.len() {
            out[at] = b'\n';
        } else if let Some(last) = (0..end.min(out.len())).rev().find(|&i| !prose[i]) {
            if last + 1 >= end.min(out.len()) {
                out[last] = b'\n';
            }
        }
    }
    for start in block_starts {
        // Put the break on the last non-prose byte before the block starts.
        if let Some(at) = (0..start.min(out.len())).rev().find(|&i| !prose[i]) {
            out[at] = b'\n';
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn is_autolink_end(text: &str, range: &std::ops::Range<usize>) -> bool {
    text.get(range.clone()).is_some_and(|s| s.starts_with('<') && s.ends_with('>'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_html_and_link_targets_are_not_prose() {
        let text = "Share is `45%` here.\n\n```\n30 percent\n```\n\n<!-- 45 percent -->\n\nSee [the report](https://x.com/30-percent) now.\n";
        let masked = mask(text, 0);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("45"));
        assert!(!masked.contains("30"));
        assert!(masked.contains("the report"));
        assert!(masked.contains("Share is"));
    }

    #[test]
    fn table_cells_are_separate_blocks() {
        let text = "| Model | Params |\n|---|---|\n| Qwen | 235B |\n";
        let masked = mask(text, 0);
        let lines: Vec<&str> = masked.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, vec!["Model", "Params", "Qwen", "235B"]);
    }

    #[test]
    fn soft_breaks_join_a_paragraph() {
        let text = "A long\nsentence here.\n\nNext.";
        let masked = mask(text, 0);
        let lines: Vec<&str> = masked.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, vec!["A long sentence here.", "Next."]);
    }

    #[test]
    fn autolinks_are_not_prose() {
        let text = "Read <https://example.com/40-percent> today.";
        assert!(!mask(text, 0).contains("40"));
    }
}
