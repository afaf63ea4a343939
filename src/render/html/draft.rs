//! A draft rendered as the reader sees it, with marks at byte spans of its source text.
//!
//! Markdown is rendered from pulldown-cmark's offset iterator: every text event knows the bytes
//! of the draft it came from, so a text event is cut wherever a mark starts or ends and each
//! piece is wrapped in the `<mark>` elements of every mark covering it (nested, outermost
//! first). Marks never wrap markup, only text: a span that crosses `*emphasis*` or a line break
//! becomes several `<mark>` elements with the same `data-m`. A text event whose shown text is not
//! its source bytes (an entity, a backslash escape) is marked whole when a mark touches it.
//!
//! Nothing of the draft reaches the page unescaped: raw HTML blocks and inline HTML show as
//! text, links keep their text but not their targets, images show their alt text, so the page
//! never requests anything. Plain text is rendered as paragraphs (blank-line separated) with its
//! line breaks kept. A mark whose bytes are never shown (inside a link target, say) still gets
//! one element, holding its own text, where the reader would have met it.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::escape_into;
use crate::position::Span;
use crate::prose::Format;

/// One mark to place in the draft: its byte span and the attributes of its elements.
pub(super) struct Mark {
    pub span: Span,
    /// The page-wide id shared by all the mark's elements (`data-m`).
    pub id: String,
    /// The `class` attribute of its elements.
    pub class: String,
    /// Further attributes, already escaped, with a leading space (` data-code="..."`).
    pub attrs: String,
}

/// The draft's body as HTML, with `marks` placed. Every mark gets at least one element, and its
/// first element carries `id` = the mark's id.
pub(super) fn render(text: &str, format: Format, marks: &[Mark]) -> String {
    let mut order: Vec<usize> = (0..marks.len()).collect();
    // Outer marks first: by start, then the longer first, then as given.
    order.sort_by_key(|&i| (marks[i].span.start, std::cmp::Reverse(marks[i].span.end), i));
    let mut writer = Writer { out: String::with_capacity(text.len() * 2), text, marks, order, next: 0, open: Vec::new(), emitted: vec![false; marks.len()] };
    let body_start = match format {
        Format::Markdown | Format::PlainText => crate::prose::parse_front_matter(text).span.map_or(0, |s| s.end),
        Format::Html => 0,
    };
    if body_start > 0 {
        writer.out.push_str("<pre class=\"front-matter\">");
        writer.text(0, body_start, None);
        writer.out.push_str("</pre>\n");
    }
    match format {
        Format::Markdown => writer.markdown(body_start),
        // An HTML draft is shown as its source: tags as text, never as markup.
        Format::PlainText | Format::Html => writer.plain(body_start),
    }
    writer.finish();
    writer.out
}

struct Writer<'a> {
    out: String,
    text: &'a str,
    marks: &'a [Mark],
    /// Indices into `marks`, outer first.
    order: Vec<usize>,
    /// The next entry of `order` not yet reached.
    next: usize,
    /// Marks reached and not yet ended, outer first.
    open: Vec<usize>,
    emitted: Vec<bool>,
}

impl Writer<'_> {
    /// Shows the draft's bytes `start..end`, or `shown` in their place (an entity's character),
    /// with the marks over them.
    fn text(&mut self, start: usize, end: usize, shown: Option<&str>) {
        let exact = shown.is_none_or(|s| self.text.get(start..end) == Some(s));
        if !exact || start == end {
            // Shown whole, inside every mark that touches its bytes.
            let shown = shown.unwrap_or("");
            self.reach(start, end.max(start + 1));
            let active: Vec<usize> = self.open.iter().copied().filter(|&m| self.marks[m].span.start < end.max(start + 1) && self.marks[m].span.end > start).collect();
            self.wrapped(&active, shown);
            return;
        }
        let mut pos = start;
        while pos < end {
            self.reach(pos, pos + 1);
            // The piece runs to the next place a mark starts or ends.
            let mut stop = end;
            for &m in &self.open {
                stop = stop.min(self.marks[m].span.end);
            }
            if let Some(&m) = self.order.get(self.next) {
                stop = stop.min(self.marks[m].span.start.max(pos + 1));
            }
            let stop = floor_char_boundary(self.text, stop.max(pos + 1)).max(ceil_char_boundary(self.text, pos + 1));
            let stop = stop.min(end);
            let active = self.open.clone();
            let piece = &self.text[pos..stop];
            self.wrapped(&active, piece);
            pos = stop;
        }
    }

    /// Opens the marks that start before `end`, and closes those that end by `start`; a mark
    /// that ends before it was ever shown gets an element of its own here.
    fn reach(&mut self, start: usize, end: usize) {
        while let Some(&m) = self.order.get(self.next) {
            if self.marks[m].span.start >= end {
                break;
            }
            self.next += 1;
            self.open.push(m);
        }
        let marks = self.marks;
        let mut missed = Vec::new();
        self.open.retain(|&m| {
            let span = marks[m].span;
            let keep = span.end > start || (span.is_empty() && span.start >= start);
            if !keep {
                missed.push(m);
            }
            keep
        });
        for m in missed {
            self.detached(m);
        }
    }

    /// An element for a mark none of whose bytes are shown: it holds the mark's own text.
    fn detached(&mut self, m: usize) {
        if self.emitted[m] {
            return;
        }
        let span = self.marks[m].span;
        let own = self.text.get(span.start..span.end).unwrap_or("");
        self.open_mark(m, " detached");
        escape_into(&mut self.out, own);
        self.out.push_str("</mark>");
    }

    fn open_mark(&mut self, m: usize, extra_class: &str) {
        let mark = &self.marks[m];
        self.out.push_str("<mark class=\"");
        self.out.push_str(&mark.class);
        self.out.push_str(extra_class);
        self.out.push_str("\" data-m=\"");
        self.out.push_str(&mark.id);
        self.out.push('"');
        if !self.emitted[m] {
            self.out.push_str(" id=\"");
            self.out.push_str(&mark.id);
            self.out.push('"');
            self.emitted[m] = true;
        }
        self.out.push_str(&mark.attrs);
        self.out.push('>');
    }

    fn wrapped(&mut self, active: &[usize], shown: &str) {
        for &m in active {
            self.open_mark(m, "");
        }
        escape_into(&mut self.out, shown);
        for _ in active {
            self.out.push_str("</mark>");
        }
    }

    /// Elements for every mark not yet shown, at the end of the draft.
    fn finish(&mut self) {
        if self.emitted.iter().all(|&e| e) {
            return;
        }
        self.out.push_str("<p class=\"detached-marks\">");
        let end = self.text.len() + 1;
        self.reach(end, end);
        for m in std::mem::take(&mut self.open) {
            self.detached(m);
        }
        self.out.push_str("</p>\n");
    }

    /// Plain text: paragraphs are runs of lines between blank lines; their line breaks are kept.
    fn plain(&mut self, body_start: usize) {
        let text = self.text;
        let mut pos = body_start;
        while pos < text.len() {
            let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
            if text[pos..line_end].trim().is_empty() {
                pos = line_end;
                continue;
            }
            let end = paragraph_end(text, pos);
            self.out.push_str("<p class=\"plain\">");
            self.text(pos, pos + text[pos..end].trim_end().len(), None);
            self.out.push_str("</p>\n");
            pos = end;
        }
    }

    fn markdown(&mut self, body_start: usize) {
        let text = self.text;
        let body = &text[body_start..];
        let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES | Options::ENABLE_TASKLISTS;
        let mut in_head = false;
        for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
            let (start, end) = (range.start + body_start, range.end + body_start);
            match event {
                Event::Start(tag) => self.start(tag, &mut in_head),
                Event::End(tag) => self.end(tag, &mut in_head),
                Event::Text(shown) => self.text(start, end, Some(&shown)),
                Event::Code(shown) => {
                    self.out.push_str("<code>");
                    // The range holds the backticks; mark the code itself.
                    let at = text[start..end].find(&*shown).map(|i| start + i);
                    match at {
                        Some(at) => self.text(at, at + shown.len(), None),
                        None => self.text(start, end, Some(&shown)),
                    }
                    self.out.push_str("</code>");
                }
                Event::InlineMath(shown) | Event::DisplayMath(shown) => self.text(start, end, Some(&shown)),
                Event::Html(shown) => self.text(start, end, Some(&shown)),
                Event::InlineHtml(shown) => {
                    self.out.push_str("<code class=\"raw-html\">");
                    self.text(start, end, Some(&shown));
                    self.out.push_str("</code>");
                }
                Event::FootnoteReference(label) => {
                    self.out.push_str("<sup class=\"footnote-ref\">[");
                    self.text(start, end, Some(&label));
                    self.out.push_str("]</sup>");
                }
                Event::SoftBreak => self.text(start, end, Some("\n")),
                Event::HardBreak => {
                    self.reach(start, end);
                    self.out.push_str("<br>\n");
                }
                Event::Rule => {
                    self.reach(start, end);
                    self.out.push_str("<hr>\n");
                }
                Event::TaskListMarker(done) => self.out.push_str(if done { "\u{2611} " } else { "\u{2610} " }),
            }
        }
    }

    fn start(&mut self, tag: Tag, in_head: &mut bool) {
        let out = &mut self.out;
        match tag {
            Tag::Paragraph => out.push_str("<p>"),
            Tag::Heading { level, .. } => {
                out.push('<');
                out.push_str(&level.to_string());
                out.push('>');
            }
            Tag::BlockQuote(_) => out.push_str("<blockquote>\n"),
            Tag::CodeBlock(_) => out.push_str("<pre><code>"),
            Tag::HtmlBlock => out.push_str("<pre class=\"raw-html\">"),
            Tag::List(Some(1)) => out.push_str("<ol>\n"),
            Tag::List(Some(first)) => out.push_str(&format!("<ol start=\"{first}\">\n")),
            Tag::List(None) => out.push_str("<ul>\n"),
            Tag::Item => out.push_str("<li>"),
            Tag::FootnoteDefinition(label) => {
                out.push_str("<div class=\"footnote\"><sup>");
                escape_into(out, &label);
                out.push_str("</sup> ");
            }
            Tag::DefinitionList => out.push_str("<dl>\n"),
            Tag::DefinitionListTitle => out.push_str("<dt>"),
            Tag::DefinitionListDefinition => out.push_str("<dd>"),
            Tag::Table(_) => out.push_str("<table>\n"),
            Tag::TableHead => {
                *in_head = true;
                out.push_str("<thead><tr>");
            }
            Tag::TableRow => out.push_str("<tr>"),
            Tag::TableCell => out.push_str(if *in_head { "<th>" } else { "<td>" }),
            Tag::Emphasis => out.push_str("<em>"),
            Tag::Strong => out.push_str("<strong>"),
            Tag::Strikethrough => out.push_str("<del>"),
            Tag::Superscript => out.push_str("<sup>"),
            Tag::Subscript => out.push_str("<sub>"),
            // A link keeps its words; its target is not followed from the review page.
            Tag::Link { .. } => out.push_str("<span class=\"link\">"),
            Tag::Image { .. } => out.push_str("<span class=\"image\">[image: "),
            Tag::MetadataBlock(_) => out.push_str("<pre class=\"front-matter\">"),
        }
    }

    fn end(&mut self, tag: TagEnd, in_head: &mut bool) {
        let out = &mut self.out;
        match tag {
            TagEnd::Paragraph => out.push_str("</p>\n"),
            TagEnd::Heading(level) => {
                out.push_str("</");
                out.push_str(&level.to_string());
                out.push_str(">\n");
            }
            TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
            TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
            TagEnd::HtmlBlock => out.push_str("</pre>\n"),
            TagEnd::List(true) => out.push_str("</ol>\n"),
            TagEnd::List(false) => out.push_str("</ul>\n"),
            TagEnd::Item => out.push_str("</li>\n"),
            TagEnd::FootnoteDefinition => out.push_str("</div>\n"),
            TagEnd::DefinitionList => out.push_str("</dl>\n"),
            TagEnd::DefinitionListTitle => out.push_str("</dt>\n"),
            TagEnd::DefinitionListDefinition => out.push_str("</dd>\n"),
            TagEnd::Table => out.push_str("</tbody></table>\n"),
            TagEnd::TableHead => {
                *in_head = false;
                out.push_str("</tr></thead><tbody>\n");
            }
            TagEnd::TableRow => out.push_str("</tr>\n"),
            TagEnd::TableCell => out.push_str(if *in_head { "</th>" } else { "</td>" }),
            TagEnd::Emphasis => out.push_str("</em>"),
            TagEnd::Strong => out.push_str("</strong>"),
            TagEnd::Strikethrough => out.push_str("</del>"),
            TagEnd::Superscript => out.push_str("</sup>"),
            TagEnd::Subscript => out.push_str("</sub>"),
            TagEnd::Link => out.push_str("</span>"),
            TagEnd::Image => out.push_str("]</span>"),
            TagEnd::MetadataBlock(_) => out.push_str("</pre>\n"),
        }
    }
}

/// Where the paragraph starting at `start` ends: at the next blank line, or the text's end.
fn paragraph_end(text: &str, start: usize) -> usize {
    let mut pos = start;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..line_end].trim().is_empty() {
            return pos;
        }
        pos = line_end;
    }
    text.len()
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(start: usize, end: usize, id: &str) -> Mark {
        Mark { span: Span::new(start, end), id: id.to_string(), class: "m".to_string(), attrs: String::new() }
    }

    fn ids(html: &str) -> Vec<String> {
        let mut out: Vec<String> = html.split("data-m=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect();
        out.dedup();
        out
    }

    #[test]
    fn marks_split_text_at_their_ends_and_nest() {
        let text = "Revenue rose 40% to $2 billion.\n";
        let fig = text.find("40%").unwrap();
        let html = render(text, Format::Markdown, &[mark(fig, fig + 3, "a"), mark(fig, text.find(" billion").unwrap() + 8, "b")]);
        assert_eq!(
            html,
            "<p>Revenue rose <mark class=\"m\" data-m=\"b\" id=\"b\"><mark class=\"m\" data-m=\"a\" id=\"a\">40%</mark></mark><mark class=\"m\" data-m=\"b\"> to $2 billion</mark>.</p>\n"
        );
    }

    #[test]
    fn a_mark_across_emphasis_is_split_with_one_id() {
        let text = "He said \"we *will* win\" today.";
        let q = text.find('"').unwrap();
        let end = text.rfind('"').unwrap() + 1;
        let html = render(text, Format::Markdown, &[mark(q, end, "q")]);
        assert_eq!(html.matches("data-m=\"q\"").count(), 3, "{html}");
        assert_eq!(html.matches("id=\"q\"").count(), 1, "{html}");
        assert!(html.contains("<em><mark class=\"m\" data-m=\"q\">will</mark></em>"), "{html}");
    }

    #[test]
    fn html_in_a_draft_is_text_and_links_lose_their_targets() {
        let text = "<script>alert(1)</script>\n\nSee [the report](https://example.com/x \"t\") and <b>bold</b> &amp; ![alt](http://img/x.png).\n";
        let html = render(text, Format::Markdown, &[]);
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(!html.contains("example.com") && !html.contains("http://img"), "{html}");
        assert!(html.contains("<span class=\"link\">the report</span>"), "{html}");
        assert!(html.contains("<code class=\"raw-html\">&lt;b&gt;</code>"), "{html}");
        assert!(html.contains("&amp;"), "{html}");
    }

    #[test]
    fn every_mark_gets_an_element_even_in_hidden_bytes() {
        let text = "A [link](https://example.com/42) here.\n\n<!-- copydesk-disable -->\n";
        let target = text.find("42").unwrap();
        let comment = text.find("<!--").unwrap();
        let marks = [mark(target, target + 2, "t"), mark(comment, comment + 25, "c"), mark(text.len(), text.len(), "end")];
        let html = render(text, Format::Markdown, &marks);
        assert_eq!(ids(&html), ["t", "c", "end"], "{html}");
        assert!(html.contains("class=\"m detached\" data-m=\"t\" id=\"t\">42</mark>"), "{html}");
    }

    #[test]
    fn plain_text_keeps_paragraphs_and_multibyte_text() {
        let text = "Caf\u{e9} 12% \u{1F600}\nline two\n\n\nSecond 7 para.\n";
        let at = text.find("12%").unwrap();
        let html = render(text, Format::PlainText, &[mark(at, at + 3, "x")]);
        assert_eq!(
            html,
            "<p class=\"plain\">Caf\u{e9} <mark class=\"m\" data-m=\"x\" id=\"x\">12%</mark> \u{1F600}\nline two</p>\n<p class=\"plain\">Second 7 para.</p>\n"
        );
    }

    #[test]
    fn front_matter_is_shown_apart() {
        let text = "---\ntitle: <T>\n---\n\n# Head\n";
        let html = render(text, Format::Markdown, &[]);
        assert!(html.starts_with("<pre class=\"front-matter\">---\ntitle: &lt;T&gt;\n---\n</pre>\n<h1>Head</h1>"), "{html}");
    }
}
