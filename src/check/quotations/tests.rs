//! The quotation check: drafts against a small corpus, and the name matching it relies on.

use super::*;
use crate::claims::quotations::extract;
use crate::claims::quotations::tests::quotes_of;
use crate::check::{check, CheckOptions};
use crate::corpus::Document;
use crate::findings::Severity;
use crate::prose::Format;

#[test]
fn surnames_match_full_names() {
    assert!(names_match("Barton", "Mark Barton"));
    assert!(names_match("Mark Barton", "Barton"));
    assert!(names_match("Wang", "Wang Wen"));
    assert!(names_match("OpenAI CEO Sam Altman", "Sam Altman"));
    assert!(!names_match("Mark Barton", "Mark Zuckerberg"));
    assert!(!names_match("Gao Fei", "Paul Triolo"));
}

const SOURCE: &str = "Mark Barton, chief technology officer at OMNIUX, said he was considering using Qwen.
“We would not go all-in with one specific model provider in most cases, and prices will rise 30 percent next year,” he said. “If Alibaba were sanctioned, we would be caught in that trap.”
Wang Wen said open models “are cheap — in some cases free — and they work well.”
One American entrepreneur, speaking on condition of anonymity, said their business saves money with Qwen.
“If you need cutting-edge capabilities, you go back to OpenAI, Anthropic or Google,” the entrepreneur said.
Paul Triolo said there were no “salient issues” surrounding data security.
";

fn codes(draft: &str) -> Vec<(Code, String)> {
    let corpus = Corpus::from_documents(
        vec![Document::new("source.txt".into(), None, SOURCE.to_string(), Format::PlainText)],
        Vec::new(),
        0,
    );
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    // Every quotation gets a checked entry.
    let prose = Prose::new(draft, Format::PlainText);
    for q in extract(&prose) {
        assert!(report.checked.iter().any(|c| c.span.overlaps(q.span)), "no checked entry for {:?}", q.span.slice(draft));
    }
    report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info && f.severity != Severity::Hint)
        .map(|f| (f.code, f.span.slice(draft).to_string()))
        .collect()
}

#[test]
fn allowed_edits_raise_nothing() {
    let clean = [
        // Verbatim, with curly or straight quotes, contractions, dashes and case.
        "Barton said: \"We wouldn't go all-in with one specific model provider in most cases.\"",
        "Wang Wen said open models \"are cheap -- in some cases free -- and they work well.\"",
        "Wang Wen said open models \"Are cheap - in some cases free - and they work well\".",
        // An ellipsis for omitted words, a bracketed insertion, [sic], brackets inside a word.
        "Barton said \"we would not go all-in ... in most cases.\"",
        "Barton said \"[OMNIUX] would not go all-in with one specific model provider in most cases.\"",
        "Wang Wen said open models \"are cheap [sic] — in some cases free — and they work well.\"",
        "Barton said “[w]e would not go all-in with one specific model provider.”",
        // A quotation split by an attribution, and one the source splits.
        "“We would not go all-in with one specific model provider,” Barton said, “in most cases.”",
        "“If Alibaba were sanctioned, we would be caught in that trap,” Barton said.",
        // A role matches the same role; a pronoun resolves to the named speaker.
        "“If you need cutting-edge capabilities, you go back to OpenAI,” the entrepreneur said.",
        "Mark Barton leads OMNIUX.\n\n“We would not go all-in with one specific model provider in most cases,” he said.",
        // Short quotations only need their words in a source.
        "Paul Triolo saw no “salient issues” there.",
        "Barton warned of a “specific model” problem.",
        // A quotation found nowhere is at most info.
        "“Nothing like this was ever said by anyone in these sources,” Barton said.",
        // Numbers inside a quotation are not statistics.
        "Barton said \"prices will rise 30 percent next year.\"",
    ];
    for draft in clean {
        assert_eq!(codes(draft), vec![], "{draft}");
    }
}

#[test]
fn changed_wording_is_a_misquote() {
    let cases = [
        // A single-word substitution.
        ("Wang Wen said open models “are cheap — in most cases free — and they work well.”", "are cheap — in most cases free — and they work well"),
        // A dropped negation.
        ("Barton said \"we would go all-in with one specific model provider in most cases.\"", "we would go all-in with one specific model provider in most cases"),
        // A changed number inside the quotation.
        ("Barton said \"prices will rise 40 percent next year.\"", "prices will rise 40 percent next year"),
    ];
    for (draft, quoted) in cases {
        assert_eq!(codes(draft), vec![(Code::Misquote, quoted.to_string())], "{draft}");
    }
}

#[test]
fn misquote_message_and_fix_carry_the_source_words() {
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, SOURCE.into(), Format::PlainText)], Vec::new(), 0);
    let draft = "Wang Wen said open models “are cheap — in most cases free — and they work well.”";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    let f = &report.findings[0];
    assert!(f.message.contains("\"in most cases\" where the source has \"in some cases\""), "{}", f.message);
    let fix = f.fix.as_ref().unwrap();
    assert_eq!(fix.replacement, "are cheap — in some cases free — and they work well");
    assert_eq!(f.evidence[0].speaker.as_deref(), Some("Wang Wen"));
}

#[test]
fn someone_else_is_a_misattribution() {
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, SOURCE.into(), Format::PlainText)], Vec::new(), 0);
    let draft = "“If you need cutting-edge capabilities, you go back to OpenAI, Anthropic or Google,” said Mark Barton.";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    let f: Vec<&Finding> = report.findings.iter().filter(|f| f.code == Code::Misattribution).collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].evidence[0].speaker.as_deref(), Some("the entrepreneur"));
    let fix = f[0].fix.as_ref().unwrap();
    assert_eq!(fix.span.slice(draft), "Mark Barton");
    assert_eq!(fix.replacement, "the entrepreneur");
    // Named speakers that differ.
    let draft = "Barton said open models “are cheap — in some cases free — and they work well.”";
    assert_eq!(codes(draft).iter().map(|c| c.0).collect::<Vec<_>>(), vec![Code::Misattribution]);
    // The right speaker, by surname.
    assert_eq!(codes("Wang said open models “are cheap — in some cases free — and they work well.”"), vec![]);
}

#[test]
fn a_quotation_given_to_a_neighbouring_speaker_is_a_misattribution() {
    let source = "“We are not going all-in with one provider,” said Mark Barton of OMNIUX.\n\n“Open source models are cheap and they work well for most tasks,” Wang Wen said.\n";
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, source.into(), Format::PlainText)], Vec::new(), 0);
    let draft = "“Open source models are cheap and they work well for most tasks,” Barton said.";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    assert_eq!(report.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::Misattribution]);
    // A pronoun the source resolves is less sure: a name mentioned right there keeps it silent.
    let source = "Mark Barton and Wang Wen spoke on a panel.\n\n“Open source models are cheap and they work well for most tasks,” he said.\n";
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, source.into(), Format::PlainText)], Vec::new(), 0);
    let draft = "“Open source models are cheap and they work well for most tasks,” Wang Wen said.";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    assert!(report.findings.iter().all(|f| f.code != Code::Misattribution));
}

#[test]
fn names_spelt_two_ways_match() {
    assert!(names_match("Thomas Meuller", "Mueller"));
    assert!(!names_match("Li", "Lu"));
}

#[test]
fn a_source_that_quotes_less_is_no_misquote() {
    let source = "In a 2016 article, Mr. Altman said he was amassing “guns, gold, potassium iodide, antibiotics, batteries and water.”\n\n“If you’re very biased, you might only cater to one population … it’s actually a good business decision,” he said.\n";
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, source.into(), Format::PlainText)], Vec::new(), 0);
    for draft in [
        "Altman once said: “I have guns, gold, potassium iodide, antibiotics, batteries and water.”",
        "Altman said: “If you’re very biased, you might only cater to one population, and so it’s actually a good business decision.”",
    ] {
        let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
        assert!(report.findings.iter().all(|f| f.severity == Severity::Info), "{draft}: {:?}", report.findings);
    }
}

#[test]
fn arbitrary_text_never_panics() {
    let alphabet: Vec<&str> = vec![
        "\"", "“", "”", "‘", "’", "'", "«", "»", "„", " ", " ", "\n", "\n\n", "said", "he", "Barton", "the", "a", ",", ".", "...", "…",
        "[", "]", "(", ")", "sic", "we", "don't", "Alibaba’s", "—", "-", "30%", "per cent", "according", "to", "who", "that", "Mr", "é", "王文",
    ];
    let corpus = Corpus::builtin();
    let mut seed: u64 = 1;
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..60 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push_str(alphabet[(seed >> 33) as usize % alphabet.len()]);
            if (seed >> 20).is_multiple_of(3) {
                text.push(' ');
            }
        }
        let prose = Prose::new(&text, Format::Markdown);
        let quotations = extract(&prose);
        for q in &quotations {
            assert!(q.span.end <= text.len() && q.parts.iter().all(|p| q.span.start <= p.start && p.end <= q.span.end));
        }
        let mut report = Report::default();
        check_quotes(&text, &prose, &quotations, &corpus, &mut report);
    }
}

#[test]
fn a_changed_number_in_words_the_source_never_closed() {
    let source = "Washington — The United States should quit trying to compete with China, Republican U.S. Sen. Bernie Moreno said Tuesday. “We were ahead of them by a mile, by 10 miles, on the internal combustion engine. They went into EVs, and then they convinced";
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, source.into(), Format::PlainText)], Vec::new(), 0);
    let draft = "“We were ahead of them by a mile, by 100 miles, on the internal combustion engine,” Moreno said.";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    assert_eq!(report.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::Misquote], "{:?}", report.findings);
    let draft = "“We were ahead of them by a mile, by 10 miles, on the internal combustion engine,” Moreno said.";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // A short quotation by the same speaker with a number word left out.
    let source = "Treasury Secretary Scott Bessent predicted in August that tariffs would raise “well over half a trillion, maybe toward a trillion-dollar number,” but data show less.";
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, source.into(), Format::PlainText)], Vec::new(), 0);
    let draft = "Bessent predicted that tariffs would raise “well over a trillion” in revenue.";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    assert_eq!(report.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::Misquote], "{:?}", report.findings);
}

#[test]
fn according_to_a_publication_is_no_misattribution() {
    let draft = "“If you need cutting-edge capabilities, you go back to OpenAI, Anthropic or Google,” according to the Taipei Times.";
    assert_eq!(codes(draft), vec![]);
    let got = quotes_of(draft);
    assert!(got[0].1.is_some());
}

#[test]
fn flagged_quotations_link_their_findings() {
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, SOURCE.into(), Format::PlainText)], Vec::new(), 0);
    let draft = "Paul Triolo saw no “salient issues”.\n\n“If you need cutting-edge capabilities, you go back to OpenAI, Anthropic or Google,” said Mark Barton.\n\nWang Wen said open models “are cheap — in most cases free — and they work well.”";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    assert_eq!(report.checked.len(), 3);
    assert_eq!(report.checked[0].verdict, Verdict::Supported);
    for c in &report.checked[1..] {
        assert_eq!(c.verdict, Verdict::Flagged);
        let f = &report.findings[c.finding.expect("linked")];
        assert_eq!(f.span, c.span);
        assert!(!f.evidence.is_empty());
    }
}

/// Regressions of issue 14: speakers the draft swaps for another person the article names.
#[test]
fn quotations_the_source_splits_or_leaves_unattributed_keep_their_speaker() {
    let source = "“Geoff’s contributions to AI are tremendous,” says LeCun, who is chief AI scientist at Meta. “He hadn’t told me he was planning to leave Google.”\n\nSenator Dick Durbin opened the hearing. Blumenthal chaired it.\n\nDurbin spoke first and was brief.\n\nThe mood was friendly. “I can't recall when we've had people come before us and plead with us to regulate them.”\n";
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, source.into(), Format::PlainText)], Vec::new(), 0);
    let loud = |draft: &str| -> Vec<Code> {
        let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
        report.findings.iter().filter(|f| f.severity <= Severity::Warning).map(|f| f.code).collect()
    };
    // The draft joins what the source splits with a long attribution: still LeCun's words.
    assert_eq!(loud("“Geoff's contributions to AI are tremendous,” said Yoshua Bengio. “He hadn't told me he was planning to leave Google.”"), vec![Code::Misattribution]);
    assert_eq!(loud("“Geoff's contributions to AI are tremendous,” said Yann LeCun. “He hadn't told me he was planning to leave Google.”"), vec![]);
    // A source without the attribution, near which the draft's speaker is named, speaks for
    // them: nothing is said.
    assert_eq!(loud("“I can't recall when we've had people come before us and plead with us to regulate them,” said Senator Richard Blumenthal."), vec![]);
}

/// Regression: a quotation that goes on in the voice of the one before it (a guess) is no
/// grounds for a misattribution (a company's blog post quoted, then its policy director).
#[test]
fn a_continued_voice_never_makes_a_misattribution() {
    let source = "“The generality of language models is clear,” OpenAI wrote in a blog post. “We want to communicate in a responsible manner that empowers journalists to verify what we have done.”\n";
    let corpus = Corpus::from_documents(vec![Document::new("s.txt".into(), None, source.into(), Format::PlainText)], Vec::new(), 0);
    let draft = "“We want to communicate in a responsible manner that empowers journalists to verify what we have done,” Jack Clark wrote.";
    let (report, _) = check(draft, Format::PlainText, &corpus, &CheckOptions::default());
    assert!(report.findings.iter().all(|f| f.severity > Severity::Warning), "{:?}", report.findings);
}
