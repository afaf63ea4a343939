//! `copydesk lint --format html`: one self-contained review page for a run.
//!
//! Each draft is shown as the reader sees it (Markdown rendered, plain text as paragraphs, see
//! [`draft`]) with a mark on every finding and on every other figure and quotation the check
//! read, and beside it a panel that shows, for the selected mark, the finding, its fix, and each
//! source passage with the figure in bold, the source's title, publisher, date, path and link,
//! and whom the source credits. Above the drafts: counts for the run and for each draft (by code
//! and severity; figures and quotations checked, supported, flagged, unsupported), a list of
//! findings that jumps to each, filters by severity, code and verdict, and (for several drafts)
//! the file list. `n`/`p` (or `j`/`k`) step through the findings.
//!
//! The marks are one for one with `--format json`: one per diagnostic (`data-m="dDfI"`, the I-th
//! finding of draft D), and one per entry of `checked` that no diagnostic covers (`dDcJ`).
//!
//! The page needs nothing outside itself: CSS and script are inline, no font, image or request;
//! a Content-Security-Policy allows only the page's own style and script (by a nonce derived
//! from the page) and no connection. Every piece of text from a draft or a source is escaped,
//! and links are made only to the sources' own `http(s)` addresses. The output depends only on
//! the input: the same run gives the same bytes.

mod draft;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{linked_findings, DraftResult};
use crate::corpus::Corpus;
use crate::findings::{Checked, Code, Evidence, Finding, Severity, Verdict};
use crate::position::{LineIndex, PositionEncoding, Span};

const CSS: &str = include_str!("html/page.css");
const SCRIPT: &str = include_str!("html/page.js");

const SEVERITIES: [Severity; 4] = [Severity::Error, Severity::Warning, Severity::Info, Severity::Hint];

/// What the page says about a checked figure or quotation.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Status {
    Supported,
    Flagged,
    Unsupported,
}

/// Counts for one draft or the run.
#[derive(Default)]
struct Tally {
    files: usize,
    by_severity: [usize; 4],
    by_code: BTreeMap<(Code, Severity), usize>,
    checked: usize,
    supported: usize,
    flagged: usize,
    unsupported: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.files += other.files;
        for (a, b) in self.by_severity.iter_mut().zip(other.by_severity) {
            *a += b;
        }
        for (key, n) in &other.by_code {
            *self.by_code.entry(*key).or_default() += n;
        }
        self.checked += other.checked;
        self.supported += other.supported;
        self.flagged += other.flagged;
        self.unsupported += other.unsupported;
    }
}

/// One draft, ready to render: its findings, its checked items and how they are linked.
struct Prepared<'a> {
    index: usize,
    draft: &'a DraftResult<'a>,
    lines: LineIndex,
    /// For each checked item, the finding reported on its span.
    links: Vec<Option<usize>>,
    tally: Tally,
}

impl<'a> Prepared<'a> {
    fn new(index: usize, draft: &'a DraftResult<'a>) -> Self {
        let links = linked_findings(draft.findings, draft.checked);
        let mut tally = Tally { files: 1, ..Tally::default() };
        for f in draft.findings {
            tally.by_severity[severity_index(f.severity)] += 1;
            *tally.by_code.entry((f.code, f.severity)).or_default() += 1;
        }
        for (c, link) in draft.checked.iter().zip(&links) {
            tally.checked += 1;
            match status(c, link.map(|i| &draft.findings[i])) {
                Status::Supported => tally.supported += 1,
                Status::Flagged => tally.flagged += 1,
                Status::Unsupported => tally.unsupported += 1,
            }
        }
        Prepared { index, draft, lines: LineIndex::new(draft.text), links, tally }
    }

    fn finding_id(&self, i: usize) -> String {
        format!("d{}f{i}", self.index)
    }

    fn checked_id(&self, j: usize) -> String {
        format!("d{}c{j}", self.index)
    }

    /// `line:column`, 1-based, columns in UTF-16 code units as in every other format.
    fn at(&self, offset: usize) -> String {
        let pos = self.lines.position(self.draft.text, offset, PositionEncoding::Utf16);
        format!("{}:{}", pos.line + 1, pos.character + 1)
    }
}

fn severity_index(severity: Severity) -> usize {
    SEVERITIES.iter().position(|s| *s == severity).unwrap_or(0)
}

/// A checked item's status on the page: flagged when a finding other than unsupported-claim is
/// reported on it (or the check flagged it), unsupported when no source reports it.
fn status(c: &Checked, finding: Option<&Finding>) -> Status {
    match finding {
        Some(f) if f.code == Code::UnsupportedClaim => Status::Unsupported,
        Some(_) => Status::Flagged,
        None => match c.verdict {
            Verdict::Supported => Status::Supported,
            Verdict::Flagged => Status::Flagged,
            Verdict::NoSource => Status::Unsupported,
        },
    }
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Supported => "supported",
        Verdict::Flagged => "flagged",
        Verdict::NoSource => "no-source",
    }
}

/// Appends `text` with `&`, `<`, `>`, `"` and `'` escaped (safe in text and quoted attributes).
pub(super) fn escape_into(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The review page for a lint run.
pub fn page(corpus: &Corpus, drafts: &[DraftResult]) -> String {
    let prepared: Vec<Prepared> = drafts.iter().enumerate().map(|(i, d)| Prepared::new(i, d)).collect();
    let mut run = Tally::default();
    for p in &prepared {
        run.add(&p.tally);
    }
    let mut body = String::new();
    run_header(&mut body, &prepared, &run);
    body.push_str("<div class=\"layout\">\n<main>\n");
    for p in &prepared {
        draft_article(&mut body, corpus, p);
    }
    body.push_str("</main>\n<aside id=\"panel\" aria-label=\"Selected mark\" aria-live=\"polite\">\n");
    body.push_str("<p class=\"placeholder\">Select a marked figure or quotation, or a finding in a list, to see its source. <kbd>n</kbd> and <kbd>p</kbd> step through the findings.</p>\n");
    body.push_str("<div id=\"panel-body\"></div>\n</aside>\n</div>\n");

    // The nonce lets the page's own style and script run and nothing else; it is derived from
    // the page, so the same input gives the same bytes.
    let nonce = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(format!("{CSS}{SCRIPT}{body}").as_bytes()));
    let title = match drafts {
        [one] => format!("copydesk review: {}", one.path),
        _ => format!("copydesk review: {}", plural(drafts.len(), "draft", "drafts")),
    };
    let mut out = String::with_capacity(body.len() + CSS.len() + SCRIPT.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'\">"
    );
    out.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
    let _ = writeln!(out, "<meta name=\"generator\" content=\"copydesk {}\">", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "<title>{}</title>", escape(&title));
    let _ = writeln!(out, "<style nonce=\"{nonce}\">\n{CSS}</style>\n</head>\n<body>");
    out.push_str(&body);
    let _ = writeln!(out, "<script nonce=\"{nonce}\">\n{SCRIPT}</script>\n</body>\n</html>");
    out
}

fn run_header(out: &mut String, prepared: &[Prepared], run: &Tally) {
    out.push_str("<header class=\"run\">\n<div class=\"title-row\">\n<h1>copydesk review</h1>\n");
    out.push_str("<div class=\"buttons\"><button type=\"button\" id=\"prev\" title=\"Previous finding (p)\">\u{2191} Previous</button>");
    out.push_str("<button type=\"button\" id=\"next\" title=\"Next finding (n)\">\u{2193} Next</button>");
    out.push_str("<button type=\"button\" id=\"theme\" title=\"Light or dark\">Theme: auto</button></div>\n</div>\n");
    // One draft: its own summary below is the run's.
    if prepared.len() != 1 {
        out.push_str("<p class=\"counts\" id=\"run-counts\">");
        let _ = write!(out, "{} checked: ", plural(run.files, "draft", "drafts"));
        counts_line(out, run);
        out.push_str("</p>\n");
        code_table(out, run);
    }
    filters(out, prepared, run);
    if prepared.len() > 1 {
        out.push_str("<nav class=\"files\" aria-label=\"Drafts\">\n<h2>Drafts</h2>\n<ol>\n");
        for p in prepared {
            let _ = write!(out, "<li><a href=\"#draft-{}\">{}</a> <span class=\"file-counts\">", p.index, escape(p.draft.path));
            severity_counts(out, &p.tally);
            let _ = writeln!(out, "; {} checked</span></li>", p.tally.checked);
        }
        out.push_str("</ol>\n</nav>\n");
    }
    out.push_str("</header>\n");
}

/// "2 errors, 1 warning, 0 info" (and hints, when there are any)
fn severity_counts(out: &mut String, tally: &Tally) {
    let names = [("error", "errors"), ("warning", "warnings"), ("info", "info"), ("hint", "hints")];
    let parts: Vec<String> = SEVERITIES
        .iter()
        .zip(names)
        .filter(|(s, _)| **s != Severity::Hint || tally.by_severity[severity_index(**s)] > 0)
        .map(|(s, (one, many))| format!("<span class=\"n sev-{}\">{}</span>", s.as_str(), plural(tally.by_severity[severity_index(*s)], one, many)))
        .collect();
    out.push_str(&parts.join(", "));
}

fn counts_line(out: &mut String, tally: &Tally) {
    severity_counts(out, tally);
    let _ = write!(
        out,
        ". <span class=\"figures\">{} checked: <span class=\"n v-supported\">{} supported</span>, <span class=\"n v-flagged\">{} flagged</span>, <span class=\"n v-no-source\">{} unsupported</span></span>",
        plural(tally.checked, "figure or quotation", "figures and quotations"),
        tally.supported,
        tally.flagged,
        tally.unsupported
    );
}

/// Findings by code (rows) and severity (columns).
fn code_table(out: &mut String, tally: &Tally) {
    if tally.by_code.is_empty() {
        out.push_str("<p class=\"no-findings\">No findings.</p>\n");
        return;
    }
    // Hints are rare: their column only when there are some.
    let columns: Vec<Severity> = SEVERITIES.into_iter().filter(|s| *s != Severity::Hint || tally.by_severity[severity_index(*s)] > 0).collect();
    out.push_str("<table class=\"codes\">\n<thead><tr><th scope=\"col\">Code</th>");
    for s in columns.iter().copied() {
        let _ = write!(out, "<th scope=\"col\" class=\"sev-{0}\">{0}</th>", s.as_str());
    }
    out.push_str("<th scope=\"col\">total</th></tr></thead>\n<tbody>\n");
    for code in Code::ALL {
        let row: Vec<usize> = columns.iter().map(|s| tally.by_code.get(&(code, *s)).copied().unwrap_or(0)).collect();
        let total: usize = row.iter().sum();
        if total == 0 {
            continue;
        }
        let _ = write!(out, "<tr><th scope=\"row\"><code>{}</code></th>", code.as_str());
        for n in row {
            if n == 0 {
                out.push_str("<td class=\"zero\">0</td>");
            } else {
                let _ = write!(out, "<td>{n}</td>");
            }
        }
        let _ = writeln!(out, "<td>{total}</td></tr>");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Checkboxes for the severities, codes and verdicts present in the run.
fn filters(out: &mut String, prepared: &[Prepared], run: &Tally) {
    let mut severities = String::new();
    for s in SEVERITIES {
        let n = run.by_severity[severity_index(s)];
        if n > 0 {
            let _ = write!(severities, "<label class=\"sev-{0}\"><input type=\"checkbox\" data-filter=\"sev\" value=\"{0}\" checked> {0} ({n})</label>", s.as_str());
        }
    }
    let mut codes: BTreeMap<Code, usize> = BTreeMap::new();
    for ((code, _), n) in &run.by_code {
        *codes.entry(*code).or_default() += n;
    }
    let mut code_boxes = String::new();
    for (code, n) in codes {
        let _ = write!(code_boxes, "<label><input type=\"checkbox\" data-filter=\"code\" value=\"{0}\" checked> {0} ({n})</label>", code.as_str());
    }
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in prepared {
        for (c, link) in p.draft.checked.iter().zip(&p.links) {
            if link.is_none() {
                *verdicts.entry(verdict_name(c.verdict)).or_default() += 1;
            }
        }
    }
    let mut verdict_boxes = String::new();
    for (name, label) in [("supported", "supported"), ("no-source", "no source found"), ("flagged", "flagged, not reported")] {
        if let Some(n) = verdicts.get(name) {
            let _ = write!(verdict_boxes, "<label class=\"v-{name}\"><input type=\"checkbox\" data-filter=\"verdict\" value=\"{name}\" checked> {label} ({n})</label>");
        }
    }
    out.push_str("<form class=\"filters\" id=\"filters\" aria-label=\"Filters\">\n");
    for (legend, boxes) in [("Findings by severity", severities), ("Findings by code", code_boxes), ("Other checked figures and quotations", verdict_boxes)] {
        if !boxes.is_empty() {
            let _ = writeln!(out, "<fieldset><legend>{legend}</legend>{boxes}</fieldset>");
        }
    }
    out.push_str("</form>\n");
}

fn draft_article(out: &mut String, corpus: &Corpus, p: &Prepared) {
    let draft = p.draft;
    let _ = writeln!(out, "<article class=\"draft\" id=\"draft-{}\">", p.index);
    let _ = writeln!(out, "<header class=\"draft-head\">\n<h2 class=\"path\">{}</h2>", escape(draft.path));
    out.push_str("<p class=\"counts\">");
    counts_line(out, &p.tally);
    out.push_str("</p>\n");
    if !draft.findings.is_empty() {
        code_table(out, &p.tally);
        let _ = writeln!(out, "<details class=\"finding-list\" open>\n<summary>{}</summary>\n<ol>", plural(draft.findings.len(), "finding", "findings"));
        for (i, f) in draft.findings.iter().enumerate() {
            let id = p.finding_id(i);
            let _ = writeln!(
                out,
                "<li class=\"sev-{sev}\" data-m=\"{id}\" data-sev=\"{sev}\" data-code=\"{code}\"><a href=\"#{id}\" data-select=\"{id}\"><span class=\"loc\">{at}</span> <span class=\"badge sev-{sev}\">{sev}</span> <code>{code}</code> {message}</a></li>",
                sev = f.severity.as_str(),
                code = f.code.as_str(),
                at = p.at(f.span.start),
                message = escape(&f.message),
            );
        }
        out.push_str("</ol>\n</details>\n");
    }
    out.push_str("</header>\n");

    let mut marks = Vec::with_capacity(draft.findings.len() + draft.checked.len());
    for (i, f) in draft.findings.iter().enumerate() {
        marks.push(draft::Mark {
            span: f.span,
            id: p.finding_id(i),
            class: format!("m finding sev-{}", f.severity.as_str()),
            attrs: format!(" data-sev=\"{}\" data-code=\"{}\"", f.severity.as_str(), f.code.as_str()),
        });
    }
    for (j, (c, link)) in draft.checked.iter().zip(&p.links).enumerate() {
        if link.is_none() {
            let verdict = verdict_name(c.verdict);
            marks.push(draft::Mark { span: c.span, id: p.checked_id(j), class: format!("m checked v-{verdict}"), attrs: format!(" data-verdict=\"{verdict}\"") });
        }
    }
    out.push_str("<div class=\"text\">\n");
    out.push_str(&draft::render(draft.text, draft.format, &marks));
    out.push_str("</div>\n");

    // What the panel shows for each mark; printed after the draft for the findings.
    out.push_str("<div class=\"details\">\n");
    if !draft.findings.is_empty() {
        out.push_str("<h3 class=\"print-only\">Findings and their sources</h3>\n");
    }
    for (i, f) in draft.findings.iter().enumerate() {
        finding_detail(out, corpus, p, &p.finding_id(i), f);
    }
    for (j, (c, link)) in draft.checked.iter().zip(&p.links).enumerate() {
        if link.is_none() {
            checked_detail(out, corpus, p, &p.checked_id(j), c);
        }
    }
    out.push_str("</div>\n</article>\n");
}

const OPENING_QUOTES: [char; 6] = ['"', '\u{201c}', '\u{2018}', '\'', '\u{ab}', '\u{201e}'];

/// Whether the draft's words at `span` are a quotation (so its source "said" it): they start
/// with a quotation mark, or one stands just before them.
fn is_quotation(text: &str, span: Span) -> bool {
    span.slice(text).starts_with(OPENING_QUOTES) || text.get(..span.start).and_then(|t| t.chars().next_back()).is_some_and(|c| OPENING_QUOTES.contains(&c))
}

/// The fix's title where it says more than the replacement shown beside it: "Restore the
/// source's qualifier" of `Restore the source's qualifier: "nearly 30 percent"`, nothing of
/// `Replace with "US$400,000"`.
fn fix_title<'t>(title: &'t str, replacement: &str) -> Option<&'t str> {
    let title = title.trim();
    if title.is_empty() {
        return None;
    }
    if replacement.is_empty() || !title.contains(replacement) {
        return Some(title);
    }
    let head = title.split_once(": ").map(|(head, _)| head.trim())?;
    (!head.is_empty() && !head.contains(replacement)).then_some(head)
}

fn detail_head(out: &mut String, p: &Prepared, id: &str, kind: &str, class: &str, badge: &str, span: Span) {
    let _ = writeln!(out, "<section class=\"detail {kind} {class}\" id=\"detail-{id}\" data-for=\"{id}\" hidden>");
    let _ = write!(out, "<h3><span class=\"badge {class}\">{badge}</span> ");
    let _ = writeln!(
        out,
        "<a class=\"loc\" href=\"#{id}\" data-select=\"{id}\">{}:{}</a></h3>",
        escape(p.draft.path),
        p.at(span.start)
    );
}

fn finding_detail(out: &mut String, corpus: &Corpus, p: &Prepared, id: &str, f: &Finding) {
    let sev = f.severity.as_str();
    detail_head(out, p, id, "finding", &format!("sev-{sev}"), sev, f.span);
    let _ = writeln!(out, "<p class=\"code\"><code>{}</code> {}</p>", f.code.as_str(), escape(crate::explain::explain(f.code).summary));
    let _ = writeln!(out, "<p class=\"message\">{}</p>", escape(&f.message));
    let _ = writeln!(out, "<p class=\"draft-words\"><span class=\"label\">Draft</span> <q>{}</q></p>", escape(f.span.slice(p.draft.text)));
    if let Some(fix) = &f.fix {
        let old = fix.span.slice(p.draft.text);
        out.push_str("<p class=\"fix\"><span class=\"label\">Fix</span> ");
        if fix.replacement.is_empty() {
            let _ = write!(out, "remove <del>{}</del>", escape(old));
        } else {
            let _ = write!(out, "<del>{}</del> \u{2192} <ins>{}</ins>", escape(old), escape(&fix.replacement));
        }
        if let Some(title) = fix_title(&fix.title, &fix.replacement) {
            let _ = write!(out, " <span class=\"fix-title\">({})</span>", escape(title));
        }
        out.push_str("</p>\n");
    }
    let quotation = is_quotation(p.draft.text, f.span);
    match f.evidence.as_slice() {
        [] if f.code == Code::UnsupportedClaim => out.push_str("<p class=\"no-evidence\">No source passage in the corpus reports this.</p>\n"),
        [] => {}
        [one] => evidence(out, corpus, one, quotation, "Source"),
        several => {
            // More than one source: they are listed in the order the check gave them.
            for (k, ev) in several.iter().enumerate() {
                evidence(out, corpus, ev, quotation, &format!("Source {} of {}", k + 1, several.len()));
            }
        }
    }
    out.push_str("</section>\n");
}

fn checked_detail(out: &mut String, corpus: &Corpus, p: &Prepared, id: &str, c: &Checked) {
    let words = escape(c.span.slice(p.draft.text));
    let (badge, message) = match c.verdict {
        Verdict::Supported => ("supported", format!("The source agrees with <q>{words}</q>.")),
        Verdict::NoSource => ("no source", format!("No source passage reports <q>{words}</q>.")),
        Verdict::Flagged => (
            "flagged, not reported",
            format!("The check flagged <q>{words}</q>, but this report has no finding for it (a suppression, <code>--quiet</code>, a baseline or the project's severities left it out)."),
        ),
    };
    let verdict = verdict_name(c.verdict);
    detail_head(out, p, id, "checked", &format!("v-{verdict}"), badge, c.span);
    let _ = writeln!(out, "<p class=\"message\">{message}</p>");
    if let Some(note) = &c.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    if let Some(ev) = &c.evidence {
        evidence(out, corpus, ev, is_quotation(p.draft.text, c.span), "Source");
    }
    out.push_str("</section>\n");
}

/// A source passage with the figure in bold, whom it credits, and where it comes from.
fn evidence(out: &mut String, corpus: &Corpus, ev: &Evidence, quotation: bool, heading: &str) {
    let _ = writeln!(out, "<div class=\"evidence\">\n<h4>{heading}</h4>");
    let doc = corpus.document(ev.doc);
    let info = corpus.documents.get(ev.doc as usize);
    out.push_str("<blockquote class=\"passage\">");
    // The passage as a reader reads it (markup of an HTML or Markdown source left out), with
    // the figure in bold; the check's excerpt when the document is gone.
    let pieces = doc.as_ref().and_then(|d| {
        let (passage, figure) = (ev.passage, ev.figure);
        let read = |start, end| readable(&d.text, d.prose_text(), Span::new(start, end));
        (passage.start <= figure.start && figure.end <= passage.end && passage.end <= d.text.len())
            .then(|| (read(passage.start, figure.start), read(figure.start, figure.end), read(figure.end, passage.end)))
    });
    let pieces = pieces.or_else(|| {
        let at = ev.excerpt.find(&ev.text).filter(|_| !ev.text.is_empty())?;
        let end = at + ev.text.len();
        Some((flatten(&ev.excerpt[..at]), flatten(&ev.excerpt[at..end]), flatten(&ev.excerpt[end..])))
    });
    let bold = pieces.as_ref().map(|(_, figure, _)| figure.trim().to_string());
    match pieces {
        Some((before, figure, after)) => {
            escape_into(out, before.trim_start());
            out.push_str("<b>");
            escape_into(out, &figure);
            out.push_str("</b>");
            escape_into(out, after.trim_end());
        }
        None => escape_into(out, flatten(&ev.excerpt).trim()),
    }
    out.push_str("</blockquote>\n");
    // The source's wording of the figure, when the bold words do not already show it.
    if !quotation && !ev.text.is_empty() && bold.as_deref() != Some(flatten(&ev.text).trim()) {
        let _ = writeln!(out, "<p class=\"wording\"><span class=\"label\">Source wording</span> <q>{}</q></p>", escape(&ev.text));
    }
    if let Some(speaker) = &ev.speaker {
        let label = if quotation { "Said by" } else { "Credited by the source to" };
        let _ = writeln!(out, "<p class=\"credit\"><span class=\"label\">{label}</span> <strong>{}</strong></p>", escape(speaker));
    }
    out.push_str("<p class=\"source\">");
    match info {
        Some(info) => {
            let _ = write!(out, "<cite>{}</cite>", escape(info.title.trim()));
            for part in [&info.publisher, &info.date].into_iter().flatten() {
                let _ = write!(out, " \u{b7} <span>{}</span>", escape(part));
            }
            let _ = write!(out, "<br><span class=\"path\">{}</span>", escape(&info.path));
            if let Some(d) = &doc {
                let _ = write!(out, ", line {}", d.lines().line_of(ev.figure.start) + 1);
            }
            match info.url.as_deref() {
                Some(url) if is_web_address(url) => {
                    let _ = write!(out, " \u{b7} <a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">original article</a>", escape(url));
                }
                Some(url) => {
                    let _ = write!(out, " \u{b7} <span class=\"url\">{}</span>", escape(url));
                }
                None => {}
            }
        }
        None => out.push_str("a source no longer in the corpus"),
    }
    out.push_str("</p>\n</div>\n");
}

/// Whether a source's address may be a link: only `http:` and `https:` ones.
fn is_web_address(url: &str) -> bool {
    let lower = url.trim_start().get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The words of `text[span]` as a reader reads them: markup that `masked` (the document's prose
/// copy, same length) blanked is left out, and each run of whitespace becomes one space. A run of
/// blanks holding no whitespace of the text (an entity's tail, `**` around a word) joins its
/// neighbours.
fn readable(text: &str, masked: &str, span: Span) -> String {
    let Some(shown) = masked.get(span.start..span.end).filter(|_| masked.len() == text.len()) else {
        return flatten(text.get(span.start..span.end).unwrap_or(""));
    };
    let mut out = String::with_capacity(shown.len());
    // None outside a run of blanks; Some(true) when the run will be a space.
    let mut run: Option<bool> = None;
    for (k, ch) in shown.char_indices() {
        if ch.is_whitespace() {
            let at = span.start + k;
            let genuine = ch == '\n' || text.get(at..).is_some_and(|t| t.starts_with(ch));
            run = Some(run.unwrap_or(false) || genuine);
        } else {
            if run == Some(true) {
                out.push(' ');
            }
            run = None;
            out.push(ch);
        }
    }
    if run == Some(true) {
        out.push(' ');
    }
    out
}

/// Runs of whitespace (line breaks of the source file) as one space.
fn flatten(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(escape("<a href=\"x\">Tom's & Jerry's</a>"), "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;");
        assert_eq!(escape("Café 😀"), "Café 😀");
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert!(is_web_address("https://example.com/a"));
        assert!(is_web_address("HTTP://example.com/a"));
        assert!(!is_web_address("javascript:alert(1)"));
        assert!(!is_web_address("https://example.com/a b"));
        assert!(!is_web_address("file:///etc/passwd"));
    }

    #[test]
    fn passages_read_without_markup() {
        let text = "It saves **US$400,000** a year, AT&amp;T said.";
        let mut masked = text.replace("**", "  ");
        masked = masked.replace("&amp;", "&    ");
        assert_eq!(readable(text, &masked, Span::new(0, text.len())), "It saves US$400,000 a year, AT&T said.");
        let html = "<p>Chip <b>sales</b> rose&mdash;<i>again</i></p><p>Next</p>";
        let masked = crate::html::mask(html);
        assert_eq!(readable(html, &masked, Span::new(0, html.len())).trim(), "Chip sales rose\u{2014}again Next");
    }

    #[test]
    fn fix_titles_say_only_what_the_fix_does_not_show() {
        assert_eq!(fix_title("Restore the source's qualifier: \"nearly 30 percent\"", "nearly 30 percent"), Some("Restore the source's qualifier"));
        assert_eq!(fix_title("Replace with \"US$400,000\"", "US$400,000"), None);
        assert_eq!(fix_title("Remove the unused suppression", ""), Some("Remove the unused suppression"));
        assert_eq!(fix_title("Credit the source", "OpenAI"), Some("Credit the source"));
    }

    #[test]
    fn quotations_are_known_by_their_marks() {
        let text = "He said \u{201c}we will\u{201d} and 'so' 40%";
        assert!(is_quotation(text, Span::new(text.find("we").unwrap(), text.find("will").unwrap() + 4)));
        assert!(is_quotation(text, Span::new(text.find('\'').unwrap(), text.len() - 4)));
        assert!(!is_quotation(text, Span::new(text.len() - 3, text.len())));
    }

    #[test]
    fn flatten_keeps_edges() {
        assert_eq!(flatten(" a\n\n b "), " a b ");
    }
}
