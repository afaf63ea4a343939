//! Quotation extraction and speaker attribution: each case is a text and the quotations (parts
//! and speaker) read from it.

use super::*;
use crate::claims::attribution::SpeakerKind;
use crate::prose::Format;

/// Parts of a quotation and its speaker (kind and text).
pub(crate) type Found = (Vec<String>, Option<(SpeakerKind, String)>);

/// The quotations read from plain `text`: each one's parts and speaker (the check's tests use
/// it too).
pub(crate) fn quotes_of(text: &str) -> Vec<Found> {
    let prose = Prose::new(text, Format::PlainText);
    extract(&prose)
        .into_iter()
        .map(|q| {
            let parts = q.parts.iter().map(|p| p.slice(text).trim().to_string()).collect();
            (parts, q.speaker.map(|s| (s.kind, s.text)))
        })
        .collect()
}

#[test]
fn extraction_and_speakers() {
    use SpeakerKind::*;
    let name = |s: &str| Some((Name, s.to_string()));
    let role = |s: &str| Some((Description, s.to_string()));
    type Case<'a> = (&'a str, Vec<(Vec<&'a str>, Option<(SpeakerKind, String)>)>);
    let cases: Vec<Case> = vec![
        ("\"It works,\" said Mark Barton of OMNIUX.", vec![(vec!["It works,"], name("Mark Barton"))]),
        ("“It works,” Barton said.", vec![(vec!["It works,"], name("Barton"))]),
        ("Barton told AFP: “It works.”", vec![(vec!["It works."], name("Barton"))]),
        ("“It works,” according to Mark Barton.", vec![(vec!["It works,"], name("Mark Barton"))]),
        ("Gao Fei noted that “open models build trust.”", vec![(vec!["open models build trust."], name("Gao Fei"))]),
        ("Gao Fei argued that \"open models build trust\" in the field.", vec![(vec!["open models build trust"], name("Gao Fei"))]),
        ("“If you need it, you go back,” the entrepreneur said.", vec![(vec!["If you need it, you go back,"], role("the entrepreneur"))]),
        ("A recent Stanford study posited that “open releases enable scrutiny” of the tech.", vec![(vec!["open releases enable scrutiny"], role("A recent Stanford study"))]),
        ("A recent Stanford study published posited that “open releases enable scrutiny.”", vec![(vec!["open releases enable scrutiny."], role("A recent Stanford study"))]),
        ("Airbnb's Brian Chesky said the company “relies heavily” on Qwen.", vec![(vec!["relies heavily"], name("Brian Chesky"))]),
        ("Western offerings are “just not as interesting,” said the US entrepreneur who uses Qwen.", vec![(vec!["just not as interesting,"], role("the US entrepreneur"))]),
        ("A telling example comes from Brian Chesky, co-founder of Airbnb, who openly said that the firm “relies heavily” on Qwen.", vec![(vec!["relies heavily"], name("Brian Chesky"))]),
        ("Barton said: \"We are done.\"", vec![(vec!["We are done."], name("Barton"))]),
        // A quotation split by its attribution is one quotation.
        (
            "“We wouldn’t want to go all-in,” he said. “If Alibaba were sanctioned, we would leave.”",
            vec![(vec!["We wouldn’t want to go all-in,", "If Alibaba were sanctioned, we would leave."], Some((Pronoun, "he".to_string())))],
        ),
        // Headline single quotes and guillemets.
        ("Airbnb ‘relies heavily’ on Alibaba’s Qwen", vec![(vec!["relies heavily"], None)]),
        ("Il a dit «c'est fini» hier.", vec![(vec!["c'est fini"], None)]),
        // Apostrophes are not quotation marks.
        ("Alibaba’s models don't date from the ’90s, the farmers’ union said.", vec![]),
        ("It's the '90s and rock 'n' roll.", vec![]),
        // An unclosed mark never swallows the paragraph.
        ("He said “we are done. Then she said “fine” and left.", vec![(vec!["fine"], Some((Pronoun, "she".to_string())))]),
        ("He said \"we are done. Then she left.", vec![]),
        // Nested quotations belong to the outer one.
        ("“He called it ‘real progress’ today,” Barton said.", vec![(vec!["He called it ‘real progress’ today,"], name("Barton"))]),
    ];
    for (text, expected) in cases {
        let got = quotes_of(text);
        let expected: Vec<Found> =
            expected.into_iter().map(|(p, s)| (p.into_iter().map(String::from).collect(), s)).collect();
        assert_eq!(got, expected, "{text}");
    }
}

#[test]
fn pronouns_resolve_to_the_nearest_named_speaker() {
    let text = "Mark Barton, chief technology officer at OMNIUX, said he liked Qwen.\n\n“It works,” he said. “It is cheap.”\n\nGao Fei, chief technology officer at BOK Health, agreed.\n\n“Open source builds trust,” he said.";
    let got = quotes_of(text);
    assert_eq!(got[0].1, Some((SpeakerKind::Name, "Mark Barton".to_string())));
    assert_eq!(got[0].0.len(), 2);
    assert_eq!(got[1].1, Some((SpeakerKind::Name, "Gao Fei".to_string())));
    // A pronoun with no named speaker in this or the previous paragraph stays unresolved.
    let text = "Mark Barton spoke.\n\nNothing here.\n\nStill nothing, the report said.\n\n“It works,” he said.";
    assert_eq!(quotes_of(text)[0].1, Some((SpeakerKind::Pronoun, "he".to_string())));
}

#[test]
fn speakers_with_affiliations() {
    let name = |s: &str| Some((SpeakerKind::Name, s.to_string()));
    assert_eq!(quotes_of("Wang Wen of Renmin University said models “are cheap.”")[0].1, name("Wang Wen"));
    assert_eq!(quotes_of("Gao Fei at BOK Health said “it works.”")[0].1, name("Gao Fei"));
    assert_eq!(quotes_of("A partner at DGA said “it works.”")[0].1, Some((SpeakerKind::Description, "A partner".to_string())));
    assert_eq!(quotes_of("OpenAI CEO Sam Altman said “it works.”")[0].1, name("OpenAI CEO Sam Altman"));
}

#[test]
fn code_and_urls_are_not_quotations() {
    assert_eq!(quotes_of("See \"https://example.com/a?b=c\" and \"x=edok})c(edoCrahCmorf.gnirtS=+x;821=+c)0<c(fi;3-)\".").len(), 0);
}

#[test]
fn only_an_attribution_joins_two_quotations() {
    let got = quotes_of("It is “safe” generation: its model is, it says, “trained on licensed content.”");
    assert_eq!(got.len(), 2);
}

#[test]
fn titles_and_roles_around_names() {
    let name = |s: &str| Some((SpeakerKind::Name, s.to_string()));
    assert_eq!(quotes_of("\"Trade must not be a race,\" Mr Pendleton added.")[0].1, name("Pendleton"));
    assert_eq!(quotes_of("\"It will take time,\" said WTO spokesman Keith Rockwell.")[0].1, name("Keith Rockwell"));
    assert_eq!(quotes_of("\"It is odd,\" said retail analyst Nick Bubb of Evolution Securities.")[0].1, name("Nick Bubb"));
    // A quotation that ends its sentence takes no attribution from the next one.
    assert_eq!(quotes_of("Carol Lam said: \"All firms should take note.\" The company said nothing.")[0].1, name("Carol Lam"));
}

#[test]
fn listeners_and_objects_are_not_speakers() {
    let got = quotes_of("Anshuman Magazine, managing director, of CB Richard Ellis - an estate company - told the BBC this was \"a big positive step.\"");
    assert_ne!(got[0].1, Some((SpeakerKind::Name, "BBC".to_string())));
    let got = quotes_of("Chittabrata Majumdar, general secretary of the Centre of Indian Trade Unions (CITU), said allowing FDI is compromising India's own \"self reliance\".");
    assert_eq!(got[0].1, Some((SpeakerKind::Name, "Chittabrata Majumdar".to_string())));
}

#[test]
fn a_name_before_its_role() {
    let name = |s: &str| Some((SpeakerKind::Name, s.to_string()));
    assert_eq!(quotes_of("\"We are doing research,\" Michael Lamberty, a Lufthansa spokesman told the BBC.")[0].1, name("Michael Lamberty"));
    assert_eq!(quotes_of("However, Matt Williams, a fund manager at Perpetual Trustees said taking the stake \"is a precursor\".")[0].1, name("Matt Williams"));
    assert_eq!(
        quotes_of("\"It is sensible,\" said one analyst quoted by the Agence France Presse news agency.")[0].1,
        Some((SpeakerKind::Description, "one analyst".to_string()))
    );
}

#[test]
fn titles_alone_are_roles() {
    let name = |s: &str| Some((SpeakerKind::Name, s.to_string()));
    assert_eq!(quotes_of("\"It works,\" said the company's CEO, Sam Altman.")[0].1, name("Sam Altman"));
    assert_eq!(quotes_of("\"It works,\" said the company's CEO.")[0].1, Some((SpeakerKind::Description, "CEO".to_string())));
}

#[test]
fn a_second_quotation_shares_the_first_ones_speaker() {
    let got = quotes_of("Starmer described China as a “nation of immense scale” and a “defining force in technology”.");
    assert_eq!(got[1].1, Some((SpeakerKind::Name, "Starmer".to_string())));
}

#[test]
fn speakers_of_issue_14_forms() {
    let speaker = |text: &str, k: usize| quotes_of(text)[k].1.clone();
    let name = |s: &str| Some((SpeakerKind::Name, s.to_string()));
    // A name that opens with a particle, after a verb of advice.
    assert_eq!(speaker("“Ask first,” advised de Vries.", 0), name("de Vries"));
    // A title of something, then the person.
    assert_eq!(speaker("“Many firms use it,” said Ketrel's Head of Threat Research Dana Whitfield in a statement.", 0), name("Dana Whitfield"));
    // An organisation's role, then the person after a comma.
    assert_eq!(speaker("“Many firms use it,” warned Ketrel's head of research, Dana Whitfield, on Monday.", 0), name("Dana Whitfield"));
    // `put it`, with an appositive, and a parenthetical before the verb.
    assert_eq!(speaker("Zac Hatfield-Dodds, an engineer, put it bluntly: “We held it back.”", 0), name("Zac Hatfield-Dodds"));
    assert_eq!(speaker("As Senator Dick Durbin (D-IL) put it: “I can't recall that.”", 0), name("Senator Dick Durbin"));
    // "put" without "it" is no attribution.
    assert_eq!(speaker("Analysts put the cost at “several billion dollars” last year.", 0), None);
}

#[test]
fn a_quotation_after_anothers_attribution_goes_on_in_its_voice() {
    let text = "“We grew,” said Dana Whitfield in a statement. “Employees use the bot every day.”";
    let quotes = extract(&Prose::new(text, Format::PlainText));
    let second = quotes[1].speaker.as_ref().expect("continued voice");
    assert_eq!(second.text, "Dana Whitfield");
    assert!(second.resolved && !second.follows, "a continued voice is a guess");
    // Not across another sentence of narration, nor after someone else's attribution.
    let text = "“We grew,” said Dana Whitfield. The firm has 40 staff. “Employees use the bot.”";
    assert_eq!(quotes_of(text)[1].1, None);
    let text = "“We grew,” said Dana Whitfield. Lee Park disagreed. “Nobody uses the bot.”";
    assert_eq!(quotes_of(text)[1].1, None);
}
