//! Credits: whom a sentence credits with what it reports, read the same way from drafts and
//! sources. The cues are reporting verbs with their subject before them (`Hugging Face
//! estimated that`, `a Bloomberg article pointed out`, `IDC's data show`, `a report by Gartner found`, `KPMG reckons`), or after
//! them right after a quotation or a comma (`," said Paul Daugherty, group chief executive,
//! Accenture Technology`), `according to X`, `citing X` and `X by Y` after a report's noun or
//! participle (`a report published by Gartner`, `IDC analysts cited by Reuters`). A chain
//! (`Reuters, citing IDC`) yields both credits. Each credit keeps the names written in it
//! (organisations, people, publications), titles and role words left out.
//!
//! Text in, credits out: which credits cover a given figure ([`credit_for`]) and whether a
//! name is written in some text ([`name_written`]) are answered here; whether a draft's credit
//! contradicts its source's is the check's business.

use super::attribution::{is_cap, is_possessive, lex, lower, Tok, DETERMINERS, TITLES};
use crate::position::Span;

/// One credit: the phrase naming who reports a sentence's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    /// The credited phrase as written, whitespace collapsed (`UBS analyst Timothy Arcuri`).
    pub text: String,
    pub span: Span,
    /// The names in the phrase, possessives dropped (`UBS`, `Timothy Arcuri`); empty for a
    /// description or pronoun (`the researchers`, `they`).
    pub names: Vec<String>,
    /// The cue word (`said`, `according`, `by`, `citing`).
    pub cue: Span,
}

/// Reporting verbs read with the subject before them. Forms that are also nouns
/// (`estimates`, `reports`) count only when the phrase before them credits a name or a report,
/// or `that` follows (see [`AMBIGUOUS`]).
const VERBS: &[&str] = &[
    "said", "says", "say", "told", "tells", "estimated", "estimates", "estimate", "found", "finds",
    "find", "reported", "reports", "report", "reckons", "reckon", "reckoned", "predicted",
    "predicts", "predict", "projected", "projects", "forecast", "forecasts", "calculated",
    "calculates", "counted", "counts", "showed", "shows", "show", "revealed", "reveals",
    "noted", "notes", "claimed", "claims", "stated", "wrote", "writes", "believes", "expects",
    "added", "argued", "warned", "concluded", "concludes", "suggested", "suggests", "shared",
    "shares", "determined", "measured", "tallied", "puts", "put", "pegged", "pegs", "announced",
    "disclosed", "confirmed", "explained", "observed", "indicated", "indicates", "share",
];

/// Verb forms that are nouns as often as verbs: a cue only before `that`, or after a name or
/// a report's noun (`Nvidia reports`, `IDC's data show`), never after a determiner.
const AMBIGUOUS: &[&str] = &[
    "estimates", "estimate", "reports", "report", "counts", "shows", "show", "notes", "claims",
    "share", "shares", "forecast", "forecasts", "projects", "find", "finds", "puts", "put", "pegs",
    "indicates", "predict", "say", "reckon", "suggests", "concludes",
];

/// Verbs that report only with `that` after them (`share that`, `put it`): otherwise they
/// are other words (a market share, put a price on).
const NEEDS_THAT: &[&str] = &["share", "shares", "shared", "puts", "put", "pegs", "pegged"];

/// Nouns that name where figures come from: `IDC's data`, `a report by`.
const SOURCE_NOUNS: &[&str] = &[
    "report", "reports", "study", "studies", "survey", "surveys", "data", "research", "analysis",
    "analyses", "estimate", "estimates", "figures", "numbers", "findings", "forecast", "forecasts",
    "poll", "polls", "paper", "index", "tally", "calculations", "projections", "model", "filing",
    "filings", "statement", "article", "story", "investigation", "review", "audit", "count",
];

/// Participles before `by` that pass a report's credit on (`published by`, `cited by`); not
/// `led by` or `funded by`, which name investors, not sources.
const BY_PARTICIPLES: &[&str] = &[
    "published", "compiled", "conducted", "released", "commissioned", "cited", "quoted",
    "carried", "prepared", "written", "collected", "gathered",
    "surveyed", "polled", "interviewed", "analysed", "analyzed", "estimated", "reported",
];

/// Words that end a credited phrase read backwards from its verb.
const STOP_BACK: &[&str] = &[
    "and", "but", "or", "nor", "while", "as", "because", "when", "if", "so", "where", "to", "with",
    "for", "in", "on", "than", "since", "although", "though", "that", "who", "which", "whom",
    "whose", "what", "is", "are", "was", "were", "be", "been", "being", "like", "including",
    "about", "after", "before", "over", "into", "not", "also", "said", "says", "told", "whereas",
    "how", "why", "whether", "then", "once", "there", "here", "this", "these", "those", "it's",
];

/// Words that end a credited phrase read forwards (`according to IDC in its report`).
const STOP_AFTER: &[&str] = &[
    "that", "which", "who", "when", "while", "in", "on", "last", "this", "as", "to", "for",
    "with", "because", "after", "before", "since", "is", "was", "were", "are", "has", "had",
    "have", "will", "would", "said", "says", "than", "over", "during", "into", "about", "and",
    "but", "or", "earlier", "later", "told", "adding", "speaking", "writing", "citing", "it",
    "its", "their", "there", "here", "released", "published", "showed", "shows", "found",
];

/// Words between a subject and its verb that are not part of the subject.
const BETWEEN: &[&str] = &[
    "also", "recently", "now", "has", "have", "had", "previously", "just", "further", "earlier",
    "separately", "still", "already", "similarly", "likewise", "then", "once", "again", "even",
    "first", "originally", "initially", "independently", "later", "currently", "today",
];

/// Auxiliaries that make a participle passive (`was found`), which credits no subject.
const PASSIVE: &[&str] = &["is", "are", "was", "were", "be", "been", "being", "get", "got", "gets"];

/// Capitalised words that are roles or descriptions, not names (`Researchers at Carnegie
/// Mellon`, `Analysts`).
const ROLES: &[&str] = &[
    "researchers", "researcher", "analysts", "analyst", "economists", "economist", "scientists",
    "scientist", "experts", "expert", "officials", "official", "executives", "executive",
    "authors", "author", "engineers", "investors", "sources", "people", "insiders",
    "strategists", "strategist", "spokesperson", "spokesman", "spokeswoman", "according",
    "meanwhile", "however", "its", "their", "his", "her", "our", "my", "your", "we", "they", "he",
    "she", "it", "i", "you", "also", "separately", "earlier", "later", "last", "today",
    "yesterday", "overall", "globally", "together", "firm", "company", "team", "companies",
    "firms", "businesses", "respondents", "users", "workers", "employees", "consumers",
    "customers", "people", "executives", "leaders", "developers", "participants", "investors",
    "students", "teachers", "doctors", "adults", "voters", "professionals", "managers", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday",
];

/// Capitalised only because they open the sentence (`New research from X found`).
const INITIAL_COMMON: &[&str] = &[
    "new", "latest", "recent", "annual", "a", "an", "one", "some", "many", "most", "several",
    "both", "estimates", "data", "figures", "survey", "study", "report", "research", "findings",
    "analysis", "surveys", "studies", "reports", "polls", "poll",
];

/// Name words too common to tell two organisations apart (`University`, `Group`).
const GENERIC_NAME_WORDS: &[&str] = &[
    "the", "of", "and", "&", "university", "institute", "research", "group", "inc", "corp",
    "corporation", "company", "co", "ltd", "llc", "labs", "lab", "technology", "technologies",
    "international", "global", "center", "centre", "department", "national", "association",
    "foundation", "partners", "capital", "holdings", "systems", "network", "news", "ai",
    "analytics", "insights", "economics", "intelligence", "bank", "school", "college", "council",
    "agency", "office", "board", "new", "american", "us", "uk", "u.s", "america", "world",
    "media", "data", "digital", "services", "solutions", "consulting", "associates", "securities",
    "markets", "management", "advisors", "advisers", "studies", "reports", "journal", "times",
    "post", "daily", "review", "magazine", "press", "federal", "state", "united", "states",
];

/// Every credit in `text[sentence]`, in order of their cues.
pub fn credits(text: &str, sentence: Span) -> Vec<Credit> {
    let toks = lex(text, sentence);
    let mut out: Vec<Credit> = Vec::new();
    for v in 0..toks.len() {
        if !toks[v].word {
            continue;
        }
        let raw = toks[v].span.slice(text);
        // Cue words are ASCII, so comparing without lower-casing each token (an allocation
        // per word of every sentence read) is the same test.
        let is = |cue: &str| raw.eq_ignore_ascii_case(cue);
        let found = if is("according") {
            toks.get(v + 1).filter(|t| t.word && lower(text, t) == "to").and_then(|_| forward(text, &toks, v + 2, false))
        } else if is("citing") || is("per") && v > 0 && toks[v - 1].span.slice(text) == "," {
            forward(text, &toks, v + 1, false)
        } else if is("by") || is("from") {
            by_phrase(text, &toks, v)
        } else if VERBS.contains(&raw) {
            verb_subject(text, &toks, v, v + 1)
        } else if (is("pointed") || is("points") || is("point")) && toks.get(v + 1).is_some_and(|t| t.word && t.span.slice(text).eq_ignore_ascii_case("out")) {
            // `A Bloomberg article pointed out that`: a verb of two words.
            verb_subject(text, &toks, v, v + 2)
        } else {
            None
        };
        if let Some((span, names)) = found {
            if out.iter().any(|c| c.span == span) {
                continue;
            }
            let phrase = span.slice(text).split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(Credit { text: phrase, span, names, cue: toks[v].span });
        }
    }
    out
}

/// Nouns after a publication's or a firm's name that say where a figure was published (`a
/// Bloomberg article`, `Gartner's report`, `IDC analysts`): citations, not credits of their own
/// unless a reporting verb follows. Not `data`, `research` or `paper`, which name other things
/// as often (`Nvidia's data center revenue`).
const CITING_NOUNS: &[&str] = &[
    "article", "articles", "report", "reports", "story", "stories", "piece", "survey", "study",
    "analysis", "investigation", "interview", "column", "op-ed", "newsletter", "podcast", "tally",
    "estimate", "estimates", "poll", "figures", "analyst", "analysts",
    "researchers", "economists", "reporters", "report's", "scoop", "exclusive", "feature",
];

/// Words that may stand between a name and its citing noun (`Gartner's 2022 report`, `a
/// Bloomberg News article`).
const CITING_MODIFIERS: &[&str] = &[
    "new", "recent", "latest", "annual", "own", "earlier", "separate", "original", "exclusive",
    "quarterly", "monthly", "weekly", "yearly", "first", "last", "previous", "news", "online",
];

/// Where a sentence says its facts come from: its [`credits`], and the names it cites without
/// a reporting verb: before a citing noun (`In a Bloomberg article, analysts put it at 40%`,
/// `Gartner's 2022 report puts`), or as the one spoken to (`Huang told Reuters`, `in an
/// interview with Bloomberg`). Each citation's `cue` is its noun or verb; [`credit_for`] says
/// which figures it covers.
pub fn citations(text: &str, sentence: Span) -> Vec<Credit> {
    let credits = credits(text, sentence);
    let mut out = cited_names(text, sentence, &credits);
    out.extend(credits);
    out.sort_by_key(|c| (c.cue.start, c.span.start));
    out
}

/// What [`citations`] adds to the sentence's `credits` (already read): the names cited without
/// a reporting verb, in order.
pub fn cited_names(text: &str, sentence: Span, credits: &[Credit]) -> Vec<Credit> {
    let mut out: Vec<Credit> = Vec::new();
    let toks = lex(text, sentence);
    for n in 0..toks.len() {
        if !toks[n].word {
            continue;
        }
        // Cue words are ASCII: compared without lower-casing each word of the sentence.
        let raw = toks[n].span.slice(text);
        let is = |cue: &str| raw.eq_ignore_ascii_case(cue);
        let found = if raw.starts_with(|c: char| c.is_ascii_lowercase()) && CITING_NOUNS.iter().any(|noun| raw == *noun) {
            cited_before(text, &toks, n)
        } else if is("told") || (is("with") && n > 0 && toks[n - 1].span.slice(text).eq_ignore_ascii_case("interview")) {
            toks.get(n + 1).filter(|t| t.word && is_cap(text, t)).and_then(|_| forward(text, &toks, n + 1, false)).filter(|(_, names)| !names.is_empty())
        } else {
            None
        };
        if let Some((span, names)) = found {
            if credits.iter().chain(out.iter()).any(|c| c.span == span || (c.span.encloses(span) && c.names == names)) {
                continue;
            }
            let phrase = span.slice(text).split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(Credit { text: phrase, span, names, cue: toks[n].span });
        }
    }
    out
}

/// The name right before the citing noun at `n`, past years and a few modifiers: a run of at
/// most five capitalised words (`a Bloomberg article`, `Gartner's 2022 report`).
fn cited_before(text: &str, toks: &[Tok], n: usize) -> Option<(Span, Vec<String>)> {
    let mut k = n;
    while k > 0 && toks[k - 1].word && {
        let t = toks[k - 1].span.slice(text);
        t.chars().all(|c| c.is_ascii_digit()) || CITING_MODIFIERS.contains(&t) && !is_cap(text, &toks[k - 1])
    } {
        k -= 1;
    }
    let end = k.checked_sub(1).filter(|&e| toks[e].word && is_cap(text, &toks[e]))?;
    let mut start = end;
    while start > 0 && end - start < 4 && toks[start - 1].word && is_cap(text, &toks[start - 1]) && !is_possessive(text, &toks[start - 1]) {
        start -= 1;
    }
    let sentence_initial = toks[..start].iter().all(|t| !t.word);
    let found = names(text, &toks[start..=end], sentence_initial);
    (!found.is_empty()).then(|| (Span::new(toks[start].span.start, toks[end].span.end), found))
}

/// The credits of `credits` (read from `text`) that cover the figure at `figure`: those with
/// no clause break between the credit and the figure (`IDC estimated 5%, while Gartner put it
/// at 7%` credits the 7% to Gartner alone).
pub fn credit_for<'c>(text: &str, credits: &'c [Credit], figure: Span) -> Vec<&'c Credit> {
    credits
        .iter()
        .filter(|c| {
            let whole = c.span.cover(c.cue);
            let between = if whole.end <= figure.start {
                Span::new(whole.end, figure.start)
            } else if figure.end <= whole.start {
                // A subject and its verb after the figure credit it only set off by a comma
                // (`Revenue rose 5%, IDC said`); otherwise they tell a fact of their own (`the
                // 16,000-GPU cluster Meta announced`).
                let subject_first = c.span.end <= c.cue.start;
                let set_off = text[figure.end..c.span.start].trim_end().ends_with([',', '"', '”', '’', '\'']) && !c.text.starts_with(|ch: char| ch.is_ascii_digit());
                if subject_first && !set_off {
                    return false;
                }
                Span::new(figure.end, whole.start)
            } else {
                return true;
            };
            !has_break(text, between)
        })
        .collect()
}

/// Whether `text[span]` holds a break between clauses that may have different sources: a
/// semicolon, or a comma before a conjunction or relative (`, while`, `, and`, `, which`).
fn has_break(text: &str, span: Span) -> bool {
    let toks = lex(text, span);
    toks.iter().enumerate().any(|(i, t)| {
        let s = t.span.slice(text);
        s == ";"
            || (s == ","
                && toks.get(i + 1).is_some_and(|n| {
                    n.word
                        && matches!(
                            lower(text, n).as_str(),
                            "and" | "but" | "while" | "whereas" | "although" | "though" | "which" | "as" | "compared" | "meanwhile" | "yet"
                        )
                }))
    })
}

/// Whether `name` is written in `text`: one of its distinctive words (not `University`,
/// `Group`) stands there capitalised, or it is an acronym of capitalised words there (`CMU`),
/// or its words' initials are an acronym there.
pub fn name_written(name: &str, text: &str) -> bool {
    let words: Vec<&str> = name_words(name).collect();
    let distinctive: Vec<&str> = words.iter().copied().filter(|w| !GENERIC_NAME_WORDS.contains(&w.to_lowercase().as_str())).collect();
    let wanted: &[&str] = if distinctive.is_empty() { &words } else { &distinctive };
    if wanted.is_empty() {
        return false;
    }
    let initials: String = words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase) && w.len() > 1).filter_map(|w| w.chars().next()).collect();
    let acronym = (name.len() >= 2 && name.len() <= 6 && name.chars().all(|c| c.is_ascii_uppercase())).then_some(name);
    let text_words: Vec<&str> = name_words(text).collect();
    for (i, t) in text_words.iter().enumerate() {
        if wanted.iter().any(|w| t.eq_ignore_ascii_case(w) && t.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())) {
            return true;
        }
        if initials.len() >= 2 && *t == initials {
            return true;
        }
        if let Some(acronym) = acronym {
            let spelled: String = text_words[i..].iter().take(acronym.len()).filter_map(|w| w.chars().next()).collect();
            if spelled == acronym && text_words[i..].iter().take(acronym.len()).all(|w| w.len() > 1) {
                return true;
            }
        }
    }
    false
}

/// The words of `text`, possessives dropped (`McKinsey’s` is `McKinsey`).
fn name_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-' || c == '&' || c == '.'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w))
        .filter(|w| !w.is_empty())
}

/// The subject of the reporting verb at `v`: read backwards, or forwards when the verb is
/// inverted after a quotation or a comma (`," said X`, `, says X`).
fn verb_subject(text: &str, toks: &[Tok], v: usize, after: usize) -> Option<(Span, Vec<String>)> {
    let w = lower(text, &toks[v]);
    let next_is_that = toks.get(after).is_some_and(|t| t.word && lower(text, t) == "that");
    // `The Forbes report also said`: a noun form before the phrase's own verb.
    if AMBIGUOUS.contains(&w.as_str()) {
        let next = toks[v + 1..].iter().find(|t| !(t.word && BETWEEN.contains(&lower(text, t).as_str())));
        if next.is_some_and(|t| t.word && t.span.slice(text).chars().all(char::is_lowercase) && VERBS.contains(&lower(text, t).as_str())) {
            return None;
        }
    }
    if NEEDS_THAT.contains(&w.as_str()) && !next_is_that {
        return None;
    }
    let mut b = v;
    while b > 0 && toks[b - 1].word && BETWEEN.contains(&lower(text, &toks[b - 1]).as_str()) {
        b -= 1;
    }
    // "was found", "is expected", "to say": no subject credited.
    if b > 0 && toks[b - 1].word && (PASSIVE.contains(&lower(text, &toks[b - 1]).as_str()) || lower(text, &toks[b - 1]) == "to") {
        return None;
    }
    if b > 0 && toks[b - 1].word && (DETERMINERS.contains(&lower(text, &toks[b - 1]).as_str())) {
        return None;
    }
    let before = (b > 0).then(|| toks[b - 1]);
    let inverted = match before {
        None => true,
        Some(t) => !t.word && is_quote_or_comma(t.span.slice(text)) && !(t.span.slice(text) == "," && appositive_open(text, toks, b - 1).is_some_and(|o| is_cap(text, &toks[o - 1]))) && toks.get(after).is_some_and(|n| n.word && (is_cap(text, n) || DETERMINERS.contains(&lower(text, n).as_str()) || TITLES.contains(&lower(text, n).as_str()))),
    };
    if inverted {
        if AMBIGUOUS.contains(&w.as_str()) {
            return None;
        }
        return forward(text, toks, after, true);
    }
    let before = before?;
    let (span, names) = if before.word {
        backward(text, toks, b - 1)?
    } else if before.span.slice(text) == "," || before.span.slice(text) == ")" {
        appositive(text, toks, b - 1)?
    } else {
        return None;
    };
    if AMBIGUOUS.contains(&w.as_str()) && !next_is_that {
        // "Nvidia reports", "IDC's data show": a name right before, or a report's noun.
        let last = lower(text, &before);
        let last = last.trim_end_matches("'s").trim_end_matches("’s");
        if !(before.word && (is_cap(text, &before) || SOURCE_NOUNS.contains(&last))) {
            return None;
        }
    }
    Some((span, names))
}

/// Whether token `k` is the apostrophe of a plural possessive (`developers’`), written right
/// after a word ending in `s`, rather than a closing quotation mark.
fn plural_possessive(text: &str, toks: &[Tok], k: usize) -> bool {
    matches!(toks[k].span.slice(text), "'" | "’")
        && k > 0
        && toks[k - 1].word
        && toks[k - 1].span.end == toks[k].span.start
        && toks[k - 1].span.slice(text).ends_with('s')
        && toks.get(k + 1).is_some_and(|n| n.word && n.span.start > toks[k].span.end)
}

fn is_quote_or_comma(s: &str) -> bool {
    matches!(s, "," | "\"" | "”" | "“" | "’" | "'" | "»" | "«")
}

/// The phrase ending at word `end`, read backwards: words of a noun phrase with `of`, `at`,
/// `from` and `by` inside it (`researchers at the cybersecurity firm Group-IB`, `a report by
/// McKinsey's AI arm QuantumBlack`), at most twelve words.
fn backward(text: &str, toks: &[Tok], end: usize) -> Option<(Span, Vec<String>)> {
    let mut start = end + 1;
    let mut k = end as isize;
    let mut words = 0;
    while k >= 0 && words < 12 {
        let t = toks[k as usize];
        if !t.word {
            // `&` in `Aaron Allen & Associates`; the apostrophe of a plural possessive
            // (`the developers’ platform OpenRouter`).
            if matches!(t.span.slice(text), "&" | "-") || plural_possessive(text, toks, k as usize) {
                k -= 1;
                continue;
            }
            break;
        }
        let w = lower(text, &t);
        // Inside a name or a report's title, small words are capitalised or joined by
        // capitalised words (`The State of Data Quality In 2020 survey`, `Innovation Insight for
        // Attack Surface Management`).
        let in_title = k > 0 && (is_cap(text, &t) || (matches!(w.as_str(), "for" | "of" | "and") && is_cap(text, &toks[k as usize - 1]) && toks.get(k as usize + 1).is_some_and(|n| is_cap(text, n))));
        if STOP_BACK.contains(&w.as_str()) && !in_title {
            break;
        }
        start = k as usize;
        words += 1;
        if DETERMINERS.contains(&w.as_str()) && !(is_cap(text, &t) && k > 0) {
            // Past a determiner only when a preposition joins what is before
            // (`researchers at the firm`).
            let joined = k >= 1 && toks[k as usize - 1].word && matches!(lower(text, &toks[k as usize - 1]).as_str(), "of" | "at" | "from" | "by");
            if !joined {
                break;
            }
        }
        k -= 1;
    }
    if start > end {
        return None;
    }
    // A phrase opening with a preposition lost its head: drop the dangling word.
    while start <= end && matches!(lower(text, &toks[start]).as_str(), "of" | "at" | "from" | "by") {
        start += 1;
    }
    if start > end {
        return None;
    }
    let sentence_initial = toks[..start].iter().all(|t| !t.word);
    let span = Span::new(toks[start].span.start, toks[end].span.end);
    Some((span, names(text, &toks[start..=end], sentence_initial)))
}

/// `Paul Daugherty, group chief executive, Accenture Technology, said`: the appositive ending
/// at the comma at `c` and the phrase before it, both credited.
fn appositive(text: &str, toks: &[Tok], c: usize) -> Option<(Span, Vec<String>)> {
    // `Senator Dick Durbin (D-IL) said`: a parenthesis between the name and the verb.
    if toks[c].span.slice(text) == ")" {
        let open = toks[..c].iter().rposition(|t| t.span.slice(text) == "(")?;
        if c - open > 8 || open == 0 || !toks[open - 1].word {
            return None;
        }
        return backward(text, toks, open - 1);
    }
    let inner_end = c.checked_sub(1).filter(|&k| toks[k].word)?;
    if let Some(open) = appositive_open(text, toks, c) {
        // The aside (`chief technology officer at BOK Health`, `for its part`, `citing IDC`)
        // and the phrase before it are both credited.
        let inner = Span::new(toks[open + 1].span.start, toks[inner_end].span.end);
        let mut found = names(text, &toks[open + 1..=inner_end], false);
        if let Some((outer, more)) = backward(text, toks, open - 1) {
            found.splice(0..0, more);
            return Some((outer.cover(inner), found));
        }
    }
    backward(text, toks, inner_end)
}

/// The comma opening an aside that ends at the comma at `c`, when the aside is at most eight
/// words and a word stands before it: `Gao Fei, chief technology officer at BOK Health, said`.
fn appositive_open(text: &str, toks: &[Tok], c: usize) -> Option<usize> {
    let mut k = c;
    let mut words = 0;
    loop {
        k = k.checked_sub(1)?;
        let t = toks[k];
        if t.word {
            words += 1;
            if words > 8 {
                return None;
            }
            continue;
        }
        match t.span.slice(text) {
            "," if words > 0 && k >= 1 && toks[k - 1].word => return Some(k),
            "&" | "-" | "(" | ")" => continue,
            _ => return None,
        }
    }
}

/// The phrase starting at token `i`, read forwards: up to twelve words, through commas when
/// `through_commas` (an inverted attribution runs to the end of the sentence).
fn forward(text: &str, toks: &[Tok], i: usize, through_commas: bool) -> Option<(Span, Vec<String>)> {
    let mut end = None;
    let mut words = 0;
    let mut k = i;
    while k < toks.len() && words < 14 {
        let t = toks[k];
        if !t.word {
            let s = t.span.slice(text);
            if matches!(s, "&" | "-") || plural_possessive(text, toks, k) || (s == "," && through_commas && toks.get(k + 1).is_some_and(|n| n.word)) {
                k += 1;
                continue;
            }
            break;
        }
        let w = lower(text, &t);
        // "and" joins two names (`according to IDC and Gartner`), not a clause.
        let joins = matches!(w.as_str(), "and" | "for" | "of") && k > i && is_cap(text, &toks[k - 1]) && toks.get(k + 1).is_some_and(|n| n.word && is_cap(text, n));
        if STOP_AFTER.contains(&w.as_str()) && !joins && k > i {
            break;
        }
        if STOP_AFTER.contains(&w.as_str()) && !joins {
            return None;
        }
        end = Some(k);
        words += 1;
        if !through_commas && words >= 12 {
            break;
        }
        k += 1;
    }
    let end = end?;
    let span = Span::new(toks[i].span.start, toks[end].span.end);
    Some((span, names(text, &toks[i..=end], false)))
}

/// `a report by Gartner`, `data from IDC`, `IDC analysts cited by Reuters`: `by` or `from`
/// after a report's noun or a participle that passes credit on.
fn by_phrase(text: &str, toks: &[Tok], at: usize) -> Option<(Span, Vec<String>)> {
    let is_by = lower(text, &toks[at]) == "by";
    // The noun or participle may stand a few words back (`research last June by`).
    let passes = toks[at.saturating_sub(3)..at].iter().rev().take_while(|t| t.word).any(|t| {
        let b = lower(text, t);
        SOURCE_NOUNS.contains(&b.as_str()) || (is_by && BY_PARTICIPLES.contains(&b.as_str()))
    });
    let found = forward(text, toks, at + 1, false)?;
    // `by McKinsey's estimate`: the phrase itself ends in a report's noun.
    let own = is_by && {
        let words: Vec<&Tok> = toks[at + 1..].iter().take_while(|t| t.span.end <= found.0.end).filter(|t| t.word).collect();
        words.len() >= 2 && words.last().is_some_and(|t| SOURCE_NOUNS.contains(&lower(text, t).as_str())) && words[..words.len() - 1].iter().any(|t| is_possessive(text, t))
    };
    if !passes && !own {
        return None;
    }
    // Only a name is a credit here: `data from last year` is not.
    (!found.1.is_empty()).then_some(found)
}

/// The names in a credited phrase: runs of capitalised words, split at titles and role words
/// (`UBS analyst Timothy Arcuri` has `UBS` and `Timothy Arcuri`; `Researchers at Carnegie
/// Mellon` has `Carnegie Mellon`), `of` kept inside a run (`Bank of America`).
fn names(text: &str, words: &[Tok], sentence_initial: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut run: Vec<Tok> = Vec::new();
    let flush = |run: &mut Vec<Tok>, out: &mut Vec<String>| {
        while run.last().is_some_and(|t| matches!(lower(text, t).as_str(), "of" | "for")) {
            run.pop();
        }
        if !run.is_empty() {
            let span = Span::new(run[0].span.start, run[run.len() - 1].span.end);
            let name = span.slice(text).split_whitespace().collect::<Vec<_>>().join(" ");
            let name = name.strip_suffix("'s").or_else(|| name.strip_suffix("’s")).or_else(|| name.strip_suffix('\'')).or_else(|| name.strip_suffix('’')).unwrap_or(&name).to_string();
            out.push(name);
        }
        run.clear();
    };
    for (k, t) in words.iter().enumerate() {
        if !t.word {
            if !matches!(t.span.slice(text), "&" | "-") || run.is_empty() {
                flush(&mut run, &mut out);
            }
            continue;
        }
        let w = lower(text, t);
        let bare = w.trim_end_matches("'s").trim_end_matches("’s");
        // `Paris-based`, `AI-powered`, `Fifty-five`: a capitalised word whose last part is lower
        // case describes rather than names.
        let described = t.span.slice(text).rsplit_once('-').is_some_and(|(_, last)| last.chars().next().is_some_and(char::is_lowercase));
        let role = described || ROLES.contains(&bare) || TITLES.contains(&bare) || DETERMINERS.contains(&bare) || crate::words::is_stopword(bare);
        let initial_common = k == 0 && sentence_initial && INITIAL_COMMON.contains(&bare);
        if is_cap(text, t) && !role && !initial_common {
            run.push(*t);
            if is_possessive(text, t) {
                flush(&mut run, &mut out);
            }
        } else if matches!(w.as_str(), "of" | "for") && !run.is_empty() && words.get(k + 1).is_some_and(|n| n.word && is_cap(text, n)) {
            run.push(*t);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests;
