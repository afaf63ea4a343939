//! What each finding code means, with an example and how to fix or silence it
//! (`copydesk explain CODE`, SARIF rule help, editor hovers).

use crate::findings::Code;

/// One code's documentation.
pub struct Explanation {
    pub code: Code,
    pub summary: &'static str,
    pub details: &'static str,
    pub example: &'static str,
}

pub fn explain(code: Code) -> Explanation {
    let (summary, details, example) = match code {
        Code::NumberMismatch => (
            "The draft's figure differs from the source's.",
            "The draft and a source passage report the same fact (same subject, measure and period), but the values differ: another number, a slip of scale (million for billion), or the direction reversed (`82 percent higher` for `82 percent lower`; a span or level led to by a verb of the other direction: `has gone down in the past two years` for `has gone up`, `fell to $512 million` for `increased to`). The fix restores the source's wording. A figure the writer worked out from the source's figures is redone with its arithmetic: a complement (`60% cheaper` is `40% of` the price: 100 - 60), a multiple or a change from two figures of one fact (`from 4% to 20%` is `five-fold`, `16 percentage points`, `400% more`; `3,000%` is `31-fold`), a multiple written as a verb (`doubled`, `nearly tripled`, `halved`), a difference or a total of two amounts (`$3 billion more`, `$3.5 billion in total`), a share from a part and its whole (`140,000 of 738,000` is `nearly a fifth`). A sum that bears the figure out (within its hedge, or rounded to the precision the draft writes) supports it and the hover shows the sum; a figure that says it is derived (a multiple, a change, points, a complement) and misses the one sum the source sentence allows is this error, its message showing the sum. Figures are combined only within one source sentence that tells the draft figure's fact and names its measure, and only when joined as one fact (`from ... to`, `compared with`, `of`): two unrelated numbers of a passage never are; `three times fewer`, read either way by writers, is left alone.",
            "draft:  Jefferies says capex was 28 percent lower than US peers.\nsource: ... combined capital expenditures from 2023 to 2025 were 82 percent lower than those of their US peers\nfix:    28 percent lower -> 82 percent lower",
        ),
        Code::UnitMismatch => (
            "The draft's figure has another unit than the source's.",
            "Same value, another unit: percent for percentage points, another currency (S$ for US$, NT$ for US$), another unit of the same kind (`54 kilometres` for `54 miles`, `three days` for `three hours`, `10,000 kilograms` for `10,000 tonnes`). A figure converted into another unit of its kind agrees when it is the source's amount within 2% (`10,000 kg` for `10 tonnes`, `54 kilometres` for `34 miles`): lengths, masses, areas, volumes, times, data sizes, energy, power, speeds and temperatures convert. A bare `$` is taken to be any dollar unless `dollar` in copydesk.toml narrows it.",
            "draft:  Micron will pay NT$1.8 billion for the fab.\nsource: ... from Powerchip Semiconductor Manufacturing Corp for US$1.8 billion\nfix:    NT$1.8 billion -> US$1.8 billion",
        ),
        Code::HedgeMismatch => (
            "The draft drops or contradicts the source's qualifier.",
            "Same value, but the source hedges it (`nearly 30 percent`) and the draft states it as exact (`30 percent`), or the draft's hedge points the other way (`more than 30 percent`), or a rounded figure is given as exact (`80 percent` for `82 percent`). Adding a hedge the source lacks is fine, and so is an equivalent one (`almost` for `nearly`). `hedge-tolerance` and `hedges` in copydesk.toml tune this.",
            "draft:  Chinese models account for 30 percent of usage.\nsource: ... to nearly 30 percent in August\nfix:    30 percent -> nearly 30 percent",
        ),
        Code::DateMismatch => (
            "The draft puts the source's figure in another period.",
            "The draft's figure and its measure stand in a source passage, but the source gives them for another year, quarter, half or month (`the second quarter` for `the first quarter`, `in 2021` for `in 2020`), or measures a change against another base (`up 40.6% from the previous quarter` where the source has `from last year's $2.40`; no fix is offered for a base, whose words belong to the sentence). A sentence without any other figure is checked too: when the source sentence that tells the same thing (`Anthropic was founded in 2021 by former OpenAI staff`) names another period of the same kind in the matching clause, `founded in 2020` is flagged. Nothing is said when the source names both periods in that passage or the sentences around it (the same value in two periods), when a passage as close gives the year only relative to another (`two years ago`), or when the source sentence gives other values for a figure of the draft's clause (another fact). The fix restores the source's period.\n\nA source's relative time counts as the period it means on the source's date: its front matter `date`, or else a dateline near its top (a line holding only a date, `Published: Dec. 2, 2025`, `By Jane Doe | Dec. 2, 2025`, a date with a time of day, `WASHINGTON, Dec. 2, 2025 —`). In an article dated 2025-12-02, `late last year` is late 2024, `this month` December 2025, `in August` August 2025 (a month after the date's is the year before's, unless the sentence speaks of the future), `on Sunday` Nov. 30, 2025. So `late 2025` for that article's `late last year` is flagged, and the message names the source's date and what its words mean. A relative time that dates what a change is measured against (`up from $1.9 million last year`), and a bare month in a paragraph that writes out a year, date nothing. An undated source's relative times stay open, as before.",
            "draft:  Net debt is to fall below $25 billion by the end of the second quarter.\nsource: ... net debt to fall below $25 billion by the end of the first quarter\nfix:    second quarter -> first quarter",
        ),
        Code::RelativeDate => (
            "The draft keeps a source's relative time, but is dated later than the source.",
            "The draft sentence tells the fact of a source passage (as `date-mismatch` aligns them) in the same relative words (`last year`, `late last year`, `this month`, `last week`, `yesterday`, `in August`, `on Sunday`), but the source is dated earlier than the draft, and the words mean another time on the draft's date than on the source's. The source's date is its front matter `date`, or else a dateline near its top (see `date-mismatch`); the draft's date is its own front matter `date`, or else today as the `COPYDESK_TODAY` environment variable (`YYYY-MM-DD`) gives it for a run. A warning: the writer most likely copied the words, which the reader will read against the draft's date. A draft with neither is dated today by the clock, a guess (it may be a rewrite meant for the source's day), so the finding is info. The message names the source's date, what its words meant then, and the draft's date; the fix writes the absolute time (`last year` -> `in 2024`). Nothing is said for an undated source, for words that mean the same time on both dates (`in August` in a draft of the next March), or when a passage about as close dates the fact at the draft's meaning.",
            "draft:  (dated 2026-03-01) Use of Chinese open models climbed from 1.2 percent late last year.\nsource: (dated 2025-12-02) ... surged from just 1.2 percent late last year to nearly 30 percent in August\nfix:    late last year -> in late 2024",
        ),
        Code::Misquote => (
            "The quotation is not what the source says.",
            "A source passage holds a near match of the quotation (same speaker or context, most words in order), but the words differ; or the source holds the quoted words word for word, quoted or not, but for one number (`\"Room 4521 is open\"` where the source reads `Room 4512 is open`). Allowed edits raise nothing: an ellipsis for omitted words, bracketed insertions, [sic], quote and dash styles. The fix restores the source's words.",
            "draft:  Wang Wen said the models \"are cheap, sometimes free, and they work very well.\"\nsource: “are cheap — in some cases free — and they work well,” said Wang Wen",
        ),
        Code::Misattribution => (
            "The quotation or statistic is in a source, credited to someone else.",
            "A quotation: the words are verbatim in a source passage whose speaker is another person; the fix replaces the draft's speaker with the source's. A statistic: the draft credits it to an organisation or person (`according to Citi`, `KPMG reckons`, `IDC's data show`, `a report by Gartner`) and the source sentence holding the same figure credits someone else by name (error); either end of a chain counts (`Reuters, citing IDC`), and so does the source's own publication. Nothing is said when the draft's name is written in that source sentence or beside the source's name anywhere in its article (an analyst's firm). When the source sentence credits no one, the article's own credit in its title (`..., McKinsey reports`) is compared, as a warning, with a draft name that article never mentions. No fix is offered: which name is right is for the writer to say.",
            "draft:  ChatGPT was trained on 10,000 Nvidia GPUs, according to Citi.\nsource: According to UBS analyst Timothy Arcuri, ChatGPT used 10,000 Nvidia GPUs to train the model.",
        ),
        Code::NotInSource => (
            "The source this sentence follows never states this figure.",
            "The draft follows one source document (a summary of a call, a rewrite of an article: the document holds at least half of the draft's words, weighed by how rare they are, and is the evidence for at least half of its checked figures), the sentence follows a passage of it, yet no passage supports the figure, and the value is written nowhere in that document in any form that could be the same number: not at another scale, not rounded or hedged within 10%, not in another unit of its family, not as a share written as a fraction, not as the number of a name. A warning: the writer most likely changed the figure, or took it from another source that belongs in the corpus. Nothing is said for a draft drawn from several sources (the figure may come from another; it stays `unsupported-claim`), for a value any retrieved passage of any document holds, for multiples and fractions a writer works out (`doubled`, `five-fold`, `a third`), for orders of magnitude (`dozens`) and for years, which `date-mismatch` judges. The evidence is the source's closest passage; no fix is offered.",
            "draft:  Revenue grew 26% to $2.55 billion in the quarter.\nsource: Revenue for the quarter was $2.55 billion, up 20.9% ... (no 26 anywhere in the transcript)",
        ),
        Code::UnsupportedClaim => (
            "No source passage reports this statistic or quotation.",
            "copydesk found no passage in the corpus that reports the figure or quotation. This is information, not an error: the writer may have another source. Add that source to the corpus, or turn the code off with `report-unsupported = false`.",
            "draft:  Our newsletter reaches 12,000 readers every week.",
        ),
        Code::NotInCitedSource => (
            "The source the draft cites does not report this statistic; another does.",
            "A draft that says where a figure comes from (a link, `according to Bloomberg`, `a Bloomberg article pointed out`, `a report by Gartner`, `Gartner's report`, `IDC analysts cited by Reuters`, `Vox reports`) is checked against the documents it names first: a link by its URL or its site and title words; a name by the front matter `publisher` and `author`, the site of the `url` (`bloomberg.com`), the title's suffix (`... | VentureBeat`) or the folder (`vox/`). When the figure's value stands in another document, in a passage aligned well enough to call a difference an error, while no cited document holds that value, copydesk says so at info level and shows the other passage: the figure may be right, but the credit or the link is not. Nothing is said when the cited name or link names no document of the corpus, or when a cited document holds the value anywhere in a passage found for the sentence (or, for up to a dozen cited documents, anywhere at all).",
            "draft:  A Bloomberg article pointed out that Nvidia shipped 500,000 H100 GPUs in the third quarter.\nsource: (reuters/1.md) Nvidia shipped 500,000 H100 GPUs in the third quarter, Omdia estimates.\nnote:   the cited Bloomberg article does not report \"500,000\"; Reuters says: ...",
        ),
        Code::SupersededFigure => (
            "A newer source gives another value for the figure.",
            "An archive holds several values for one running fact: a model's downloads, a company's valuation, a count of users. When the draft's figure is what one source says, and another source dated later (front matter `date`) reports the same fact (the same measure and subject, no other period, aligned as firmly as an error needs) with another value, the draft most likely repeats an old figure: a warning names the newer source and offers its value. Nothing is said when the draft sentence dates the figure itself (`in August, downloads stood at ...`), or when the sources are undated. Sources that disagree without a date between them are not an error: a figure matching any of them is supported and its hover lists every source's value; a figure matching none is flagged against the closest, its message naming the others.",
            "draft:  The model has been downloaded 40 million times.
source: (2025-08-01) ... downloads reached 40 million ...
source: (2025-11-20) ... downloads reached 65 million ...
fix:    40 million -> 65 million",
        ),
        Code::UnusedSuppression => (
            "A suppression comment silences nothing.",
            "A `copydesk-disable-next-line` or `copydesk-disable` comment covers no finding of the codes it names: the figure it silenced was fixed or the comment is misplaced. The fix removes the comment.",
            "<!-- copydesk-disable-next-line number-mismatch -->\nOur newsletter reaches 12,000 readers every week.",
        ),
    };
    Explanation { code, summary, details, example }
}

/// The text `copydesk explain CODE` prints.
pub fn render(code: Code) -> String {
    let e = explain(code);
    format!(
        "{code} ({severity} by default)\n\n{summary}\n\n{details}\n\nExample:\n{example}\n\nSilence one line with `<!-- copydesk-disable-next-line {code} -->` above it, a block with\n`<!-- copydesk-disable {code} -->` ... `<!-- copydesk-enable -->`, or change its severity in\ncopydesk.toml under [severity] (`{code} = \"off\"`).\n",
        code = code,
        severity = code.default_severity().as_str(),
        summary = e.summary,
        details = e.details,
        example = indent(e.example),
    )
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

/// The list `copydesk explain` prints.
pub fn list() -> String {
    let mut out = String::from("Finding codes (copydesk explain CODE for details):\n\n");
    let width = Code::ALL.iter().map(|c| c.as_str().len()).max().unwrap_or(0);
    for code in Code::ALL {
        out.push_str(&format!("  {:<width$} {:<8} {}\n", code.as_str(), code.default_severity().as_str(), explain(code).summary));
    }
    out
}
