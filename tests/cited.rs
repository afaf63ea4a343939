//! The cited source first (issue 14 item 4): a draft sentence that names where its figure comes
//! from, by a publication's or writer's name or by a link, is checked against those documents
//! first, and `not-in-cited-source` (info) says when only another document holds the figure.
//! Table-driven over one small corpus: three outlets known by front matter, by a title suffix
//! and by a folder.

use copydesk::check::{check, CheckOptions};
use copydesk::corpus::{Corpus, Document};
use copydesk::findings::{Code, Severity};
use copydesk::prose::Format;

fn corpus() -> Corpus {
    let doc = |path: &str, text: &str| Document::new(path.to_string(), None, text.to_string(), Format::Markdown);
    Corpus::from_documents(
        vec![
            doc(
                "news/bloomberg-nvidia.md",
                "---\ntitle: Nvidia's data center sales soar\nurl: https://www.bloomberg.com/news/articles/2024-11-20/nvidia-data-center-sales-soar\npublisher: Bloomberg\nauthor: Mark Gurman\n---\n\nNvidia Corp. said its data center revenue rose to $30.8 billion in the fiscal third quarter, as cloud companies kept buying its accelerators.\n\nShares of the company have nearly tripled this year, giving it a market value of more than $3.6 trillion.\n",
            ),
            doc(
                "news/omdia-shipments.md",
                "Nvidia shipped half a million H100 chips last quarter | Reuters\n\nNvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia, with Meta and Microsoft the largest buyers.\n\nOmdia expects shipments of the chips to reach 1.5 million units next year as data centers expand.\n",
            ),
            doc(
                "vox/anthropic.md",
                "Anthropic's money\n\nIn September, Amazon announced it had made an initial $1.25 billion investment in the company, with the potential to invest as much as $4 billion.\n",
            ),
        ],
        Vec::new(),
        0,
    )
}

/// (draft, the figure flagged and a piece of the message, or None for silence)
type Row = (&'static str, Option<(&'static str, &'static str)>);

const ROWS: &[Row] = &[
    // The cited outlet does not report the figure; another does.
    (
        "A Bloomberg article published Tuesday pointed out that Nvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia.",
        Some(("500,000", "the cited Bloomberg article does not report \"500,000 H100 GPUs\"; Reuters says")),
    ),
    ("Nvidia said its data center revenue rose to $30.8 billion in the fiscal third quarter, Reuters reported.", Some(("$30.8 billion", "the cited Reuters article"))),
    ("According to Vox, Nvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia.", Some(("500,000", "the cited Vox article"))),
    (
        "Nvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia. [Bloomberg](https://www.bloomberg.com/news/articles/2024-11-20/nvidia-data-center-sales-soar)",
        Some(("500,000", "the linked article does not report")),
    ),
    // The cited outlet reports it: silence.
    ("According to Reuters, Nvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia.", None),
    ("According to Bloomberg, Nvidia said its data center revenue rose to $30.8 billion in the fiscal third quarter.", None),
    ("Gurman reported that Nvidia's data center revenue rose to $30.8 billion in the fiscal third quarter, as cloud companies kept buying.", None),
    ("Vox reports that Amazon's initial investment is $1.25 billion, with the potential to invest as much as $4 billion.", None),
    ("Omdia analysts cited by Reuters say Nvidia shipped 500,000 H100 GPUs in the third quarter.", None),
    (
        "Nvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia. [Reuters](https://www.reuters.com/technology/nvidia-shipped-half-a-million-h100-chips-last-quarter)",
        None,
    ),
    // A name no document goes by, or no citation at all: nothing to say.
    ("According to the Financial Times, Nvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia.", None),
    ("Nvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia.", None),
    // The citation covers another clause.
    ("Bloomberg said the stock has nearly tripled, while Nvidia shipped 500,000 H100 GPUs in the third quarter, according to research firm Omdia.", None),
];

#[test]
fn a_figure_is_checked_against_the_source_its_sentence_cites_first() {
    let corpus = corpus();
    let mut failures = Vec::new();
    for (draft, expected) in ROWS {
        let (report, _) = check(draft, Format::Markdown, &corpus, &CheckOptions::default());
        let notes: Vec<_> = report.findings.iter().filter(|f| f.code == Code::NotInCitedSource).collect();
        match expected {
            None if !notes.is_empty() => failures.push(format!("{draft:?}: unexpected {:?}", notes[0].message)),
            Some((figure, message)) => match notes.first() {
                Some(f) if f.span.slice(draft).contains(figure) && f.message.contains(message) && f.severity == Severity::Info && !f.evidence.is_empty() => {}
                Some(f) => failures.push(format!("{draft:?}: got {:?} on {:?}", f.message, f.span.slice(draft))),
                None => failures.push(format!("{draft:?}: no not-in-cited-source, findings {:?}", report.findings.iter().map(|f| &f.message).collect::<Vec<_>>())),
            },
            _ => {}
        }
        // The note never turns into an error: errors and warnings are the other checks'.
        assert!(report.findings.iter().all(|f| f.code != Code::NotInCitedSource || f.severity == Severity::Info));
    }
    assert!(ROWS.len() >= 8);
    assert!(failures.is_empty(), "{} of {} rows differ:\n{}", failures.len(), ROWS.len(), failures.join("\n"));
}

/// The finding names the other document's passage as evidence, the same on every run.
#[test]
fn the_note_shows_the_other_documents_passage_and_is_deterministic() {
    let corpus = corpus();
    let draft = ROWS[0].0;
    let (first, _) = check(draft, Format::Markdown, &corpus, &CheckOptions::default());
    let note = first.findings.iter().find(|f| f.code == Code::NotInCitedSource).expect("a note");
    assert_eq!(corpus.documents[note.evidence[0].doc as usize].path, "news/omdia-shipments.md");
    assert!(note.evidence[0].excerpt.contains("500,000 H100 GPUs"));
    for _ in 0..3 {
        let (again, _) = check(draft, Format::Markdown, &corpus, &CheckOptions::default());
        assert!(again == first);
    }
}

/// `copydesk.toml` may turn the code off like any other.
#[test]
fn the_note_can_be_turned_off() {
    let corpus = corpus();
    let mut options = CheckOptions::default();
    options.severity.insert(Code::NotInCitedSource, None);
    let (report, _) = check(ROWS[0].0, Format::Markdown, &corpus, &options);
    assert!(report.findings.iter().all(|f| f.code != Code::NotInCitedSource));
    assert_eq!(Code::parse("not-in-cited-source"), Some(Code::NotInCitedSource));
}
