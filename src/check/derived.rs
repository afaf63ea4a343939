//! Derived figures: a draft figure no source states as written but a writer worked out from
//! the source's figures of the same fact. "60 percent cheaper" becomes "40% of the price"
//! (a complement), "from 4 percent to 20 percent" a "five-fold rise" or "16 percentage points"
//! (a ratio, a difference), "3,000%" a "31-fold" jump, "40,000 to 80,000" "doubled", and
//! "140,000 of 738,000" "nearly a fifth" (a share). The arithmetic is redone here: a figure it
//! bears out is supported and its hover shows the sum; an explicitly derived figure (a multiple,
//! a change, points) that a well-aligned source contradicts is a `number-mismatch` whose message
//! shows the sum and the source's figures.
//!
//! Derivation is tried only between the figures of one source sentence that tell one fact:
//! two figures of the same unit joined as a change ("from 4% to 20%", "to 20% from 4%",
//! "compared with"), a change with its direction, or a part and its whole; and only for a
//! source sentence that covers the draft sentence and names the draft figure's measure. Two
//! unrelated numbers of a passage are never combined. Sums and differences of levels, and
//! complements, only ever silence (a writer's "$3.5 billion in total" is borne out or left to
//! the rest of the check); only a figure that says it is derived may be called wrong by one.

use crate::claims::figures::{Bound, Direction, Quantity, Unit};
use crate::claims::frame::Frame;
use crate::claims::multiples::{self, Multiple};
use crate::position::Span;

use super::align::{measure_overlap, CLAUSE_MEASURE, MIN_COVERAGE, MIN_SHARED, SUPPORT_COVERAGE};
use super::retrieve::{Candidate, DraftSentence};

/// Sentence coverage from which a contradicted derivation is an error (as for a differing figure).
const ERROR_COVERAGE: f32 = 0.45;
/// Sentence coverage from which a multiple written as a verb, with no figure in its clause, is
/// held to the source sentence's sum.
const VERB_COVERAGE: f32 = 0.6;
/// Share of the draft figure's measure that a basis figure's clause must name for the two to be
/// one fact when the sentences cover each other only moderately.
const SUPPORT_MEASURE: f32 = 0.3;
/// How far (relative) a contradicted derivation must miss before it is called an error: beyond
/// any hedge a writer might have meant.
const ERROR_GAP: f64 = 0.15;
/// Bytes between two figures of a change ("from 4 percent in 2023 to 20 percent").
const MAX_JOINT: usize = 48;

/// What a draft figure claims, for derivation.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Claim {
    /// A multiple: "five-fold", "3.5x", "doubled" (the factor).
    Multiple(f64),
    /// A change in percent with its sign: "250% more", "down 30%".
    Change(f64),
    /// A change in percentage points (unsigned unless the draft gives a direction).
    Points(f64, Option<Direction>),
    /// A share in percent ("40% of", "a fifth").
    Share(f64),
    /// A level in the figure's own unit ("$3.5 billion", "140,000 workers").
    Level(f64),
}

impl Claim {
    /// Whether the draft figure says it was worked out (so a source can contradict the sum).
    fn explicitly_derived(self) -> bool {
        matches!(self, Claim::Multiple(_) | Claim::Change(_) | Claim::Points(..))
    }
}

/// A draft figure to derive: a quantity, or a multiple written as a verb.
pub(super) struct Target<'a> {
    pub(super) span: Span,
    claim: Claim,
    bound: Bound,
    /// Written in words ("five-fold", "a fifth", "doubled"): a round figure by nature.
    wordy: bool,
    unit: Option<&'a Unit>,
    quantity: Option<&'a Quantity>,
}

impl<'a> Target<'a> {
    pub(super) fn of_quantity(text: &str, q: &'a Quantity) -> Option<Target<'a>> {
        if q.vague || q.high.is_some() || q.unit == Unit::Date {
            return None;
        }
        let after = text.get(q.span.end..).unwrap_or("").trim_start();
        let of_follows = after.as_bytes().get(..3).is_some_and(|b| b.eq_ignore_ascii_case(b"of "));
        // "rose about 35%": the verb before the figure gives its direction when no word after does.
        let direction = q.direction.or_else(|| verb_direction(text.get(..q.span.start).unwrap_or("")));
        let signed = |v: f64| if direction == Some(Direction::Down) { -v } else { v };
        let claim = match &q.unit {
            Unit::Measure(m) if m == "time" => {
                if q.direction == Some(Direction::Down) {
                    // "three times fewer": read either way by writers; left alone.
                    return None;
                }
                Claim::Multiple(q.value)
            }
            Unit::Percent if direction.is_some() && !of_follows => Claim::Change(signed(q.value)),
            Unit::PercentagePoint => Claim::Points(q.value, q.direction),
            Unit::Percent | Unit::Fraction => Claim::Share(q.comparable().0),
            _ => Claim::Level(q.value),
        };
        let wordy = !q.number_span.slice(text).bytes().any(|b| b.is_ascii_digit());
        Some(Target { span: q.span, claim, bound: q.bound, wordy, unit: Some(&q.unit), quantity: Some(q) })
    }

    pub(super) fn of_multiple(m: &Multiple) -> Target<'a> {
        Target { span: m.span, claim: Claim::Multiple(m.factor), bound: m.bound, wordy: true, unit: None, quantity: None }
    }
}

/// The direction of a change verb ending `before` ("rose", "fell by", "grew nearly").
fn verb_direction(before: &str) -> Option<Direction> {
    let words: Vec<String> = before.rsplit(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).take(3).map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase()).collect();
    // Skip a preposition and a hedge between the verb and the figure.
    let verb = words.iter().find(|w| !matches!(w.as_str(), "by" | "about" | "around" | "nearly" | "almost" | "roughly" | "some" | "more" | "than" | "over" | "just" | "a" | "further"))?;
    let up = ["rose", "risen", "rise", "rises", "grew", "grown", "grow", "jumped", "climbed", "increased", "surged", "soared", "gained", "rising", "growing", "increasing", "up"];
    let down = ["fell", "fallen", "fall", "falls", "dropped", "declined", "decreased", "slipped", "shrank", "plunged", "slid", "falling", "down", "cut", "lost"];
    if up.contains(&verb.as_str()) {
        Some(Direction::Up)
    } else if down.contains(&verb.as_str()) {
        Some(Direction::Down)
    } else {
        None
    }
}

/// A sum redone from the source's figures.
#[derive(Debug, Clone)]
pub(super) struct Derivation {
    pub(super) candidate: usize,
    /// The source text the sum reads: from its first figure to its last.
    pub(super) basis: Span,
    /// What the sum gives, in the draft figure's terms.
    pub(super) value: f64,
    /// The sum as a reader checks it: "20 / 4 = 5".
    pub(super) arithmetic: String,
    /// A draft figure that misses this sum is wrong, not another fact: the draft says it is
    /// derived (a multiple, a change, points) or the sum is a complement of the same share.
    may_contradict: bool,
}

pub(super) enum Outcome {
    /// The draft figure is the sum's result, within its hedge or rounding.
    Supported(Derivation),
    /// A figure that says it is derived, against the one sum the best-aligned source allows.
    Contradicted(Derivation),
}

/// One figure of a source sentence usable in a sum.
struct Figure<'c> {
    span: Span,
    value: f64,
    unit: Option<&'c Unit>,
    direction: Option<Direction>,
    /// A multiple ("five-fold", "doubled").
    multiple: bool,
    frame: Option<&'c Frame>,
}

impl<'c> Figure<'c> {
    fn level(&self) -> Figure<'c> {
        Figure { span: self.span, value: self.value, unit: self.unit, direction: None, multiple: false, frame: self.frame }
    }
}

/// The figures of candidate `c` usable in a sum: its quantities (no dates, vague figures or
/// ranges other than a change written as one) and its multiples written as verbs.
fn figures_of(c: &Candidate) -> (Vec<Figure<'_>>, Vec<(Figure<'_>, Figure<'_>)>) {
    let text = c.document.prose_text();
    let mut single = Vec::new();
    let mut changes = Vec::new();
    for (i, q) in c.quantities.iter().enumerate() {
        if q.vague || q.unit == Unit::Date {
            continue;
        }
        let frame = c.frames.get(i);
        if let Some(high) = q.high {
            // "from 40,000 to 80,000": a range after "from" is a change.
            let before = text.get(..q.span.start).unwrap_or("").trim_end();
            if before.as_bytes().get(before.len().saturating_sub(4)..).is_some_and(|b| b.len() == 4 && b.eq_ignore_ascii_case(b"from")) {
                let (low_span, high_span) = q.range_ends(text).unwrap_or((q.span, q.span));
                let factor = if q.unit == Unit::Fraction { 100.0 } else { 1.0 };
                changes.push((
                    Figure { span: low_span, value: q.value * factor, unit: Some(&q.unit), direction: None, multiple: false, frame },
                    Figure { span: high_span, value: high * factor, unit: Some(&q.unit), direction: None, multiple: false, frame },
                ));
            }
            continue;
        }
        let multiple = matches!(&q.unit, Unit::Measure(m) if m == "time");
        single.push(Figure { span: q.span, value: q.comparable().0, unit: Some(&q.unit), direction: q.direction, multiple, frame });
    }
    for m in multiples::multiples(text, c.sentence_span) {
        if single.iter().any(|f| f.span.start < m.span.end && m.span.start < f.span.end) {
            continue;
        }
        // A verb's measure is its clause's: that of the nearest figure, if any, else none.
        let frame = c.quantities.iter().position(|q| q.span.start >= m.span.end).and_then(|i| c.frames.get(i));
        single.push(Figure { span: m.span, value: m.factor, unit: None, direction: Some(Direction::Up), multiple: true, frame });
    }
    // Two singles of one unit joined as a change.
    let mut order: Vec<usize> = (0..single.len()).filter(|&i| !single[i].multiple && single[i].direction.is_none()).collect();
    order.sort_by_key(|&i| single[i].span.start);
    for w in order.windows(2) {
        let (a, b) = (&single[w[0]], &single[w[1]]);
        if !one_kind(a.unit, b.unit) || b.span.start < a.span.end || b.span.start - a.span.end > MAX_JOINT {
            continue;
        }
        let joint = text.get(a.span.end..b.span.start).unwrap_or("").to_ascii_lowercase();
        let before = text.get(a.span.start.saturating_sub(12)..a.span.start).unwrap_or("").to_ascii_lowercase();
        let has = |w: &str| joint.split(|c: char| !c.is_alphanumeric()).any(|t| t == w);
        if joint.contains(';') {
            continue;
        }
        if has("to") && before.split(|c: char| !c.is_alphanumeric()).any(|t| t == "from") {
            changes.push((a.level(), b.level()));
        } else if has("from") || joint.contains("compared") || has("versus") || has("vs") {
            // "to 20% from 4%", "20% this year, compared with 4%": the later-written is the earlier value.
            changes.push((b.level(), a.level()));
        }
    }
    (single, changes)
}

/// Two levels count one kind of thing: the same unit, or a bare number beside a count it
/// continues ("of the 738,000 workers, 140,000 use it").
fn one_kind(a: Option<&Unit>, b: Option<&Unit>) -> bool {
    match (a, b) {
        (Some(Unit::Count(_)), Some(Unit::None)) | (Some(Unit::None), Some(Unit::Count(_))) => true,
        (a, b) => a == b,
    }
}

/// How a number reads in an arithmetic line: millions and more in words ("7 billion"), else
/// thousands grouped, at most two decimals.
fn number(v: f64) -> String {
    for (scale, word) in [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")] {
        if v.abs() >= scale {
            return format!("{} {word}", plain_number(v / scale));
        }
    }
    plain_number(v)
}

fn plain_number(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    let negative = rounded < 0.0;
    let abs = rounded.abs();
    let whole = abs.trunc() as u64;
    let fraction = ((abs - abs.trunc()) * 100.0).round() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && digits.len() > 4 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let mut out = if negative { format!("-{grouped}") } else { grouped };
    if fraction > 0 {
        let f = format!("{fraction:02}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    out
}

/// Whether the sum's `derived` value bears out the draft's `value`: within the hedge tolerance
/// for a hedged or worded figure (and on the side its bound claims), else as a rounding of it to
/// the precision the draft writes.
fn bears_out(target: &Target, text: &str, value: f64, derived: f64, tolerance: f64) -> bool {
    if !derived.is_finite() || derived == 0.0 && value != 0.0 {
        return false;
    }
    let relative = (value - derived).abs() / derived.abs().max(f64::MIN_POSITIVE);
    match target.bound.side() {
        1 => return derived >= value * 0.995 && relative <= tolerance.max(0.25),
        -1 => return derived <= value * 1.005 && relative <= tolerance,
        _ => {}
    }
    if target.bound != Bound::Exact || target.wordy {
        return relative <= tolerance;
    }
    // An exact figure is the sum rounded to the decimals the draft writes.
    let written = target.quantity.map_or("", |q| q.number_span.slice(text));
    let decimals = written.split_once('.').map_or(0, |(_, d)| d.bytes().take_while(u8::is_ascii_digit).count());
    let step = 10f64.powi(-(decimals as i32));
    (value.abs() - derived.abs()).abs() <= step / 2.0 + 1e-9 || relative <= 0.005
}

/// Whether a source sentence tells the draft figure's fact well enough to derive it from
/// `basis` figures: the sentences cover each other and the basis names the figure's measure.
fn tells_fact(c: &Candidate, draft_frame: Option<&Frame>, basis: &[&Figure], error: bool) -> bool {
    let measure = match draft_frame {
        Some(df) => basis.iter().filter_map(|f| f.frame).map(|sf| measure_overlap(df, sf).0).fold(0.0f32, f32::max),
        None => 0.0,
    };
    // A figure or a basis with no measure to compare (a verb alone in its clause) is held to a
    // sentence that covers the draft sentence well.
    let framed = draft_frame.is_some() && basis.iter().any(|f| f.frame.is_some());
    if error {
        // A verb with no figure in its clause has no measure to compare: the sentences must
        // then cover each other well.
        let names = if framed { measure >= CLAUSE_MEASURE } else { c.coverage >= VERB_COVERAGE };
        return c.coverage >= ERROR_COVERAGE && c.shared >= MIN_SHARED && names && !c.by_clause;
    }
    let named = if framed { measure >= SUPPORT_MEASURE } else { c.coverage >= MIN_COVERAGE && !c.by_clause };
    c.coverage >= SUPPORT_COVERAGE && named
}

/// Words around a level figure that say it is a difference ("$2 billion more than") or a total.
fn says(draft: &DraftSentence, words: &[&str]) -> bool {
    draft.tokens.iter().any(|t| words.contains(&t.span.slice(draft.masked).to_ascii_lowercase().as_str()))
}

/// Every sum candidate `ci` allows for `target`, consistent or not.
fn sums(target: &Target, draft: &DraftSentence, ci: usize, c: &Candidate) -> Vec<Gated> {
    let (single, changes) = figures_of(c);
    let text = c.document.prose_text();
    let show = |f: &Figure| format!("\"{}\"", f.span.slice(text));
    let join = |a: Span, b: Span| Span { start: a.start.min(b.start), end: a.end.max(b.end) };
    let mut out: Vec<Derivation> = Vec::new();
    let explicit = target.claim.explicitly_derived();
    let mut push = |basis: Span, value: f64, arithmetic: String| {
        out.push(Derivation { candidate: ci, basis, value, arithmetic, may_contradict: explicit });
    };
    let same_unit = |f: &Figure| target.unit.is_some() && f.unit.is_some() && one_kind(target.unit, f.unit);
    match target.claim {
        Claim::Multiple(_) => {
            for f in &single {
                if f.multiple && f.unit.is_none() {
                    push(f.span, f.value, format!("{} = {}-fold", show(f), number(f.value)));
                } else if f.unit == Some(&Unit::Percent) && f.direction.is_some() {
                    let sign = if f.direction == Some(Direction::Down) { -1.0 } else { 1.0 };
                    let value = 1.0 + sign * f.value / 100.0;
                    push(f.span, value, format!("{}: 1 {} {} / 100 = {}", show(f), if sign < 0.0 { "-" } else { "+" }, number(f.value), number(value)));
                }
            }
            for (old, new) in &changes {
                if old.value != 0.0 {
                    let value = new.value / old.value;
                    push(join(old.span, new.span), value, format!("{} to {}: {} / {} = {}", show(old), show(new), number(new.value), number(old.value), number(value)));
                }
            }
        }
        Claim::Change(_) => {
            for f in &single {
                if f.multiple {
                    let value = (f.value - 1.0) * 100.0;
                    push(f.span, value, format!("{}: ({} - 1) x 100 = {}%", show(f), number(f.value), number(value)));
                } else if f.unit == Some(&Unit::Percent) && f.direction.is_none() && target.claim_sign() < 0.0 {
                    // "60% cheaper" for a source's "40% of the price".
                    let value = -(100.0 - f.value);
                    push(f.span, value, format!("{} of -> {}% less: 100 - {} = {}", show(f), number(-value), number(f.value), number(-value)));
                }
            }
            for (old, new) in &changes {
                if old.value != 0.0 && old.unit != Some(&Unit::PercentagePoint) {
                    let value = (new.value - old.value) / old.value * 100.0;
                    push(join(old.span, new.span), value, format!("{} to {}: ({} - {}) / {} = {}%", show(old), show(new), number(new.value), number(old.value), number(old.value), number(value)));
                }
            }
        }
        Claim::Points(_, direction) => {
            for (old, new) in &changes {
                if matches!(old.unit, Some(Unit::Percent)) {
                    let diff = new.value - old.value;
                    let value = match direction {
                        Some(Direction::Down) => -diff,
                        Some(Direction::Up) => diff,
                        None => diff.abs(),
                    };
                    push(join(old.span, new.span), value, format!("{} to {}: {} - {} = {} points", show(old), show(new), number(new.value), number(old.value), number(diff)));
                }
            }
        }
        Claim::Share(_) => {
            let mut complements = Vec::new();
            for f in &single {
                if f.unit == Some(&Unit::Percent) && f.direction == Some(Direction::Down) {
                    let value = 100.0 - f.value;
                    complements.push(Derivation {
                        candidate: ci,
                        basis: f.span,
                        value,
                        arithmetic: format!("{} -> {}% of: 100 - {} = {}", show(f), number(value), number(f.value), number(value)),
                        may_contradict: true,
                    });
                }
            }
            // A part and its whole: two figures of one unit, the smaller "of" the larger.
            let mut levels: Vec<&Figure> = single.iter().filter(|f| matches!(f.unit, Some(Unit::Count(_) | Unit::Currency(_) | Unit::None)) && f.value > 0.0).collect();
            levels.sort_by_key(|f| f.span.start);
            for w in levels.windows(2) {
                let (a, b) = (w[0], w[1]);
                if !one_kind(a.unit, b.unit) || b.span.start < a.span.end || b.span.start - a.span.end > MAX_JOINT || a.value == b.value {
                    continue;
                }
                let words = |t: &str| t.to_ascii_lowercase().split(|c: char| !c.is_alphanumeric()).any(|t| t == "of");
                let joint = text.get(a.span.end..b.span.start).unwrap_or("");
                let before = text.get(a.span.start.saturating_sub(8)..a.span.start).unwrap_or("");
                // "140,000 of 738,000", "140,000 out of its 738,000"; "of the 738,000 workers, 140,000".
                let (part, whole) = if a.value < b.value && words(joint) {
                    (a, b)
                } else if a.value > b.value && words(before) {
                    (b, a)
                } else {
                    continue;
                };
                let value = part.value / whole.value * 100.0;
                push(join(a.span, b.span), value, format!("{} of {}: {} / {} = {}%", show(part), show(whole), number(part.value), number(whole.value), number(value)));
            }
            // The whole in the draft ("a tenth of 738,000"), the part in the source.
            if let Some(whole) = draft_whole(target, draft) {
                for f in single.iter().filter(|f| one_kind(f.unit, Some(&whole.unit)) && f.value > 0.0 && f.value < whole.value) {
                    let value = f.value / whole.value * 100.0;
                    push(f.span, value, format!("{} of the draft's {}: {} / {} = {}%", show(f), number(whole.value), number(f.value), number(whole.value), number(value)));
                }
            }
            out.extend(complements);
        }
        Claim::Level(_) => {
            let difference = target.quantity.is_some_and(|q| q.direction.is_some())
                || says(draft, &["more", "less", "fewer", "higher", "lower", "than", "gap", "difference", "increase", "rise", "drop", "fall", "decline", "gain", "added", "grew", "fell", "rose", "by"]);
            let total = says(draft, &["total", "combined", "together", "altogether", "overall", "all", "sum"]);
            let mut levels: Vec<&Figure> = single.iter().filter(|f| same_unit(f)).collect();
            levels.sort_by_key(|f| f.span.start);
            if difference {
                for (old, new) in changes.iter().filter(|(o, _)| same_unit(o)) {
                    let value = (new.value - old.value).abs();
                    push(join(old.span, new.span), value, format!("{} to {}: {} - {} = {}", show(old), show(new), number(new.value), number(old.value), number(new.value - old.value)));
                }
            }
            if total {
                for w in levels.windows(2) {
                    let value = w[0].value + w[1].value;
                    push(join(w[0].span, w[1].span), value, format!("{} + {} = {}", show(w[0]), show(w[1]), number(value)));
                }
            }
            // A share of a whole of the draft figure's unit.
            for share in single.iter().filter(|f| matches!(f.unit, Some(Unit::Percent | Unit::Fraction)) && f.direction.is_none()) {
                for whole in &levels {
                    let value = share.value / 100.0 * whole.value;
                    push(join(share.span, whole.span), value, format!("{} of {}: {} x {} / 100 = {}", show(share), show(whole), number(share.value), number(whole.value), number(value)));
                }
            }
        }
    }
    // Each sum's figures, for the measure test: those its basis spans.
    let figures: Vec<&Figure> = single.iter().chain(changes.iter().flat_map(|(a, b)| [a, b])).collect();
    let draft_frame = target.quantity.and_then(|q| draft.frames.get(&q.span.start)).or_else(|| nearest_frame(target, draft));
    out.into_iter()
        .filter_map(|d| {
            let basis: Vec<&Figure> = figures.iter().copied().filter(|f| d.basis.start <= f.span.start && f.span.end <= d.basis.end).collect();
            if basis.is_empty() {
                return None;
            }
            let supports = tells_fact(c, draft_frame, &basis, false);
            let contradicts = tells_fact(c, draft_frame, &basis, true);
            Some(Gated { derivation: d, supports, contradicts })
        })
        .collect()
}

/// A sum with what its source sentence may say of the draft figure.
struct Gated {
    derivation: Derivation,
    /// The sentence tells the figure's fact well enough for the sum to support it.
    supports: bool,
    /// ... and well enough for a sum that misses to be an error.
    contradicts: bool,
}

impl Target<'_> {
    fn claim_sign(&self) -> f64 {
        match self.claim {
            Claim::Change(v) if v < 0.0 => -1.0,
            _ => 1.0,
        }
    }

    fn value(&self) -> f64 {
        match self.claim {
            Claim::Multiple(v) | Claim::Change(v) | Claim::Share(v) | Claim::Level(v) => v,
            Claim::Points(v, Some(Direction::Down)) => -v,
            Claim::Points(v, _) => v,
        }
    }
}

/// The whole a draft share is "of", written right after it ("a tenth of 738,000 workers").
fn draft_whole<'a>(target: &Target, draft: &'a DraftSentence) -> Option<&'a Quantity> {
    let after = draft.quantities.iter().find(|o| o.span.start >= target.span.end && o.unit != Unit::Date)?;
    let joint = draft.masked.get(target.span.end..after.span.start)?.trim().to_ascii_lowercase();
    (matches!(joint.as_str(), "of" | "of the" | "of its" | "of their" | "out of") && after.value > 0.0 && after.high.is_none()).then_some(*after)
}

/// A verb's measure: the frame of the draft figure nearest after it in its sentence.
fn nearest_frame<'a>(target: &Target, draft: &'a DraftSentence) -> Option<&'a Frame> {
    draft.quantities.iter().filter(|q| q.unit != Unit::Date && q.span.start >= target.span.end).find_map(|q| draft.frames.get(&q.span.start))
}

/// Whether any sum of the well-aligned source sentences bears out `target`, or, failing that,
/// whether the one sum the best-aligned sentence allows contradicts it.
pub(super) fn derive(text: &str, target: &Target, draft: &DraftSentence, candidates: &[Candidate], tolerance: f64) -> Option<Outcome> {
    let value = target.value();
    let mut contradicted: Option<(f32, Vec<Derivation>)> = None;
    for (ci, c) in candidates.iter().enumerate() {
        if c.coverage < SUPPORT_COVERAGE {
            continue;
        }
        let mut errors = Vec::new();
        for Gated { derivation: d, supports, contradicts } in sums(target, draft, ci, c) {
            if !supports {
                continue;
            }
            if bears_out(target, text, value, d.value, tolerance) {
                return Some(Outcome::Supported(d));
            }
            let gap = (value - d.value).abs() / d.value.abs().max(f64::MIN_POSITIVE);
            if contradicts && d.may_contradict && gap > ERROR_GAP.max(tolerance) {
                errors.push(d);
            }
        }
        if !errors.is_empty() && contradicted.as_ref().is_none_or(|(cov, _)| c.coverage > *cov) {
            contradicted = Some((c.coverage, errors));
        }
    }
    // One sum only: with two ways to read the source, the draft may have meant the other.
    let (_, mut errors) = contradicted?;
    if errors.len() != 1 {
        return None;
    }
    errors.pop().map(Outcome::Contradicted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_a_reader_writes_them() {
        assert_eq!(number(5.0), "5");
        assert_eq!(number(3.456), "3.46");
        assert_eq!(number(738000.0), "738,000");
        assert_eq!(number(3000.0), "3000");
        assert_eq!(number(-16.5), "-16.5");
        assert_eq!(number(7e9), "7 billion");
        assert_eq!(number(2.5e6), "2.5 million");
    }

    /// Regression: a figure followed or preceded by a multi-byte character ("£3.5bn") panicked
    /// on a byte slice inside it.
    #[test]
    fn figures_beside_multibyte_characters_are_read() {
        for text in ["Spending was 14.5 trillion rupiah (£3.5bn) in 2004.", "It rose 5%£ then", "from£ 40 to 80 units"] {
            for q in crate::claims::figures::extract(text) {
                let _ = Target::of_quantity(text, &q);
            }
        }
    }
}
