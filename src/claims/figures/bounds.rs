//! A figure's extent and hedges: ranges (`13-14%`, `$3 billion to $5 billion`, `three or four
//! years`), the qualifier that bounds it (`nearly`, `more than`) and the direction it states
//! (`rose 5%`); `finish` attaches these and the unit to a numeral.

use super::*;

impl<'t> Parser<'t> {
    /// Attaches range, unit, qualifier and direction to a numeral.
    pub(super) fn finish(
        &self,
        lead: usize,
        mut numeral: Numeral,
        glued: Option<&'static str>,
        mut currency: Option<(&'static str, bool)>,
    ) -> Option<Quantity> {
        let before = self.words_before(lead, 3);
        let prev = before.first().map(|(w, _)| w.as_str()).unwrap_or("");
        let prev_raw_start = before.first().map(|(_, s)| *s);
        // Labels and list markers: "page 5", "No. 3", "Section 2".
        if LABEL_WORDS.contains(&prev.trim_end_matches('.')) && numeral.value < 10000.0 && !numeral.scaled && currency.is_none() && glued.is_none() {
            return None;
        }
        // A list marker: a number followed by "." or ")" at the start of a line.
        let line_start = self.line_start(lead);
        if self.text[line_start..lead].trim().is_empty() && matches!(self.char_at(numeral.end), Some('.' | ')'))
            && self.char_at(numeral.end + 1).is_some_and(|c| c == ' ')
        {
            return None;
        }
        // Day of a month: "Nov. 25", "December 1", "1 December".
        let month_before = MONTHS.contains(&prev.trim_end_matches('.'));
        let (next_word, _) = self.word_at(self.skip_spaces(numeral.end));
        let month_after = MONTHS.contains(&next_word.to_lowercase().trim_end_matches('.'))
            && next_word.chars().next().is_some_and(|c| c.is_uppercase());
        if (month_before || month_after) && !numeral.year_like && numeral.value <= 31.0 && numeral.value.fract() == 0.0 && currency.is_none() {
            return None;
        }
        // Times of day.
        let after_text: String = self.text[self.skip_spaces(numeral.end)..].chars().take(8).collect::<String>().to_ascii_lowercase();
        if ["a.m", "p.m", "am ", "pm ", "am.", "pm.", "am,", "pm,", "o'clock", "gmt", "bst", "et ", "est", "pst", "hrs "]
            .iter()
            .any(|t| after_text.starts_with(t))
            && !numeral.scaled
        {
            return None;
        }
        let mut end = numeral.end;
        let mut high = numeral.high;
        let mut unit = glued.map(|u| match u {
            "percent" => Unit::Percent,
            other => Unit::Measure(other.to_string()),
        });
        let from_before = prev == "from";
        // "climbed from 1.2 percent to 30 percent" is a change between two figures, each of
        // which a source states on its own; only a static "from ... to" ("ranges from") is a span.
        let from_change = from_before
            && before.get(1).is_some_and(|(w, _)| {
                UP_VERBS.contains(&w.as_str()) || DOWN_VERBS.contains(&w.as_str()) || matches!(w.as_str(), "up" | "down" | "moved" | "went" | "changed" | "shifted")
            });
        let between_before = prev == "between";
        // "rose by (more than) $2 to $43.25", "rose $2 to $43.25": a change, then the level it
        // reached, when the second figure is far larger.
        let change_context = prev == "by" || {
            let (_, qualifier_start) = self.qualifier_before(lead);
            let from = qualifier_start.unwrap_or(lead);
            let word = self.words_before(from, 1);
            word.first().is_some_and(|(w, _)| w == "by") || self.direction_before(from).is_some()
        };
        // Ranges: "3,800 to 4,300 years", "13-14%", "between 10 and 20", "three or four years".
        // "from 4.8 to 4.7 percent" is reported as the span it covers (4.7 to 4.8); "from" years
        // stay two dates, which frame other figures.
        if (unit.is_none() || matches!(unit, Some(Unit::Percent))) && !numeral.vague && !from_change {
            if let Some((second, second_glued, second_currency, second_end)) = self.range_end(end, between_before, numeral.is_word || numeral.value < 100.0) {
                // "from 15-6 down": a hyphen never joins the ends of a "from ... to" span.
                if second.value <= numeral.value && !spaced_connector(self.text, end) {
                    // "2-1", "89-89": a score or a ratio of counts, not a figure.
                    return None;
                }
                let years = numeral.year_like || second.year_like;
                let ascending = second.value >= numeral.value && (second.year_like || !numeral.year_like);
                // "fell by 1 to 1.5 degrees" is a range; "grew by $43.6 billion to $419.2 billion"
                // is a change and the level it reached.
                let change_then_level = change_context && second.value > 3.0 * numeral.value.abs();
                if ((!from_before && ascending) || (from_before && !years)) && !change_then_level {
                    let mut low = numeral.value;
                    // "3 to 5 million" shares the scale; "$200,000 to $414 million" does not.
                    if second.scaled && !numeral.scaled && numeral.value.abs() < 1000.0 && numeral.value <= second_value_unscaled(&second, self.text) {
                        let factor = second.value / second_value_unscaled(&second, self.text);
                        low *= factor;
                        numeral.scaled = true;
                    }
                    if low <= second.value || from_before {
                        numeral.value = low.min(second.value);
                        high = Some(low.max(second.value));
                        end = second_end;
                        numeral.year_like = numeral.year_like && second.year_like;
                        if unit.is_none() {
                            unit = second_glued.map(|u| match u {
                                "percent" => Unit::Percent,
                                other => Unit::Measure(other.to_string()),
                            });
                        }
                        if currency.is_none() {
                            currency = second_currency;
                        }
                    }
                }
            }
        }
        let currency_free = currency.is_none();
        let mut assumed_currency = false;
        if let Some((code, named)) = currency {
            unit = Some(Unit::Currency(code.to_string()));
            assumed_currency = !named;
        }
        let end_before_unit = end;
        if unit.is_none() {
            if let Some((u, u_end, assumed)) = self.unit_after(end, &numeral) {
                unit = Some(u);
                end = u_end;
                assumed_currency = assumed;
            }
        } else if let Some(Unit::Currency(_)) = unit {
            // "US$400,000 annually", "$5 per share": keep the currency; rates add nothing to compare.
        }
        // "from 1.2 to 30 percent": the first figure takes the unit of the second.
        if unit.is_none() && !numeral.year_like {
            if let Some(u) = self.unit_of_following_figure(end) {
                unit = Some(u);
            }
        }
        let mut unit = unit.unwrap_or(Unit::None);
        // Years: a bare four-digit number from 1800 to 2100, or any from 1000 to 2200 after a
        // preposition of time ("by 2120", "between 1600 and 1900"). Before a plural noun it is
        // still a year ("Keytruda's 2018 sales"): edited news writes counts as "2,000 workers".
        let time_preposition = matches!(prev, "by" | "in" | "until" | "till" | "before" | "after" | "since" | "through" | "between" | "from" | "circa");
        if numeral.year_like && (unit == Unit::None || matches!(unit, Unit::Count(_))) {
            let far_year = (1000.0..=2200.0).contains(&numeral.value) && time_preposition;
            if (1800.0..=2100.0).contains(&numeral.value) || far_year {
                unit = Unit::Date;
                end = end_before_unit;
            }
        }
        // Rates: "$58.24 per barrel", "63 cents a share", "11 feet per century".
        if let Some((rated, rate_end)) = self.rate_after(end, &unit) {
            unit = Unit::Measure(rated);
            end = rate_end;
        }
        // A range that repeats its unit: "5% and 6%", "1 per cent to 1.5 per cent".
        if high.is_none() && !matches!(unit, Unit::None | Unit::Date) && !numeral.vague && !numeral.year_like && !from_change {
            if let Some(second) = self.repeated_unit_figure(end, between_before) {
                let change_then_level = change_context && second.value > 3.0 * numeral.value.abs();
                // "from 208 pounds to 193": the second figure may leave the unit out.
                let same_unit = second.unit == unit || (from_before && second.unit == Unit::None && !second.vague);
                if same_unit
                    && second.bound == Bound::Exact
                    && second.high.is_none()
                    && !second.vague
                    && (second.value > numeral.value || (from_before && second.value != numeral.value))
                    && !change_then_level
                {
                    high = Some(second.value.max(numeral.value));
                    numeral.value = second.value.min(numeral.value);
                    end = second.span.end;
                }
            }
        }
        // "from $36,040 at 10.45pm last night to $34,935 at 5am": a few words may separate the
        // ends of a "from ... to" span when the second end is plain (no "nearly") and in the
        // same unit.
        if high.is_none() && from_before && !from_change && !matches!(unit, Unit::None | Unit::Date) && !numeral.vague && !numeral.year_like {
            if let Some(to_at) = self.distant_to(end) {
                if let Some(second) = self.repeated_unit_figure(to_at, false) {
                    let same_unit = second.unit == unit || (second.unit == Unit::None && !second.vague);
                    if same_unit && second.bound == Bound::Exact && second.high.is_none() && !second.vague && second.value != numeral.value {
                        high = Some(second.value.max(numeral.value));
                        numeral.value = second.value.min(numeral.value);
                        end = second.span.end;
                    }
                }
            }
        }
        let decimal = self.text[numeral.start..numeral.end].contains('.');
        // "Llama 3.1 405B", "Qwen2.5 72B", "Mistral 7B": a parameter size glued to a number
        // right after a name or version is part of the model's name.
        let size_suffix = currency_free && self.text[..numeral.end].ends_with(['B', 'b'])
            && self.text[..numeral.end - 1].ends_with(|c: char| c.is_ascii_digit());
        if size_suffix && unit == Unit::None {
            if let Some((_, start)) = before.first() {
                let original = self.written_word(*start);
                let name_like = original.chars().next().is_some_and(|c| c.is_uppercase()) || original.chars().any(|c| c.is_ascii_digit());
                let sentence_start = self.at_sentence_start(*start);
                if name_like && !sentence_start {
                    return None;
                }
            }
        }
        // "iPhone 11 Pro cameras", "BMW 3 Series": a name, a number and a capitalised word.
        let named_count = matches!(unit, Unit::Count(_)) && {
            // The capitalised word is a modifier, not the counted plural itself ("301 MPs").
            let (next, _) = self.word_at(self.skip_spaces(numeral.end));
            next.chars().next().is_some_and(|c| c.is_uppercase()) && !next.ends_with('s')
        };
        let version_count = (decimal || named_count) && matches!(unit, Unit::Count(_));
        if (unit == Unit::None || version_count) && !numeral.is_word && !numeral.scaled {
            // "Llama 3.1", "Zuchongzhi 2", "Type 076", "iPhone 11", "Firefox 1.0 users": a name
            // before a bare number (or before a version that a count follows).
            if let Some((word, start)) = before.first() {
                let original = self.written_word(*start);
                let capitalised = original.chars().any(|c| c.is_uppercase());
                // A paragraph after a heading without a full stop opens a sentence too.
                let sentence_start = self.at_sentence_start(*start);
                // At a sentence start a capitalised word is a name too ("Claude 3.5 Sonnet",
                // "Grok 3 used ..."), unless it is an ordinary opening word ("Only 5", "About 30").
                let bare = word.trim_end_matches('.');
                let ordinary_opening = NOT_COUNT_NOUNS.contains(&bare)
                    || QUALIFIERS.iter().any(|(q, _)| q.split(' ').next() == Some(bare))
                    || OPENING_WORDS.contains(&bare)
                    || bare.ends_with("ly");
                if capitalised && (!sentence_start || !ordinary_opening) && !MONTHS.contains(&bare) {
                    return None;
                }
            }
            // "787 Dreamliner", "575 Wilbraham Road", "90049 ZIP Code": a bare whole number
            // followed by a name is part of that name or an address.
            let raw = &self.text[numeral.start..numeral.end];
            if raw.bytes().all(|b| b.is_ascii_digit() || b == b'-') && self.char_at(end) == Some(' ') {
                let (next, _) = self.word_at(end + 1);
                let next_lower = next.to_lowercase();
                // "35 M&S goods": a name that narrows a counted noun is no part of the number.
                let token_end = self.text[end + 1..].find(char::is_whitespace).map_or(self.text.len(), |i| end + 1 + i);
                let counted_after = self.char_at(token_end) == Some(' ') && self.starts_noun_phrase_continuation_within(token_end + 1, 2);
                if next.chars().next().is_some_and(|c| c.is_uppercase())
                    && !is_plural(&next_lower)
                    && !MONTHS.contains(&next_lower.as_str())
                    && next != "I"
                    && !counted_after
                {
                    return None;
                }
            }
        }
        let (bound, qualifier_start) = if unit == Unit::Date {
            (Bound::Exact, None)
        } else {
            self.qualifier_before(lead)
        };
        let start = qualifier_start.unwrap_or(lead);
        let mut direction = if unit == Unit::Date { None } else { self.direction_before(start) };
        let money_like = matches!(unit, Unit::Currency(_)) || (unit == Unit::None && numeral.scaled);
        if money_like && matches!(prev, "raised" | "raise" | "raises" | "raising" | "added" | "adds" | "gained" | "gains") {
            // "OpenAI raised $6.6 billion", "it has raised 280 million": money raised or gained
            // is an amount, not a rise.
            direction = None;
        }
        if unit != Unit::Date {
            let after = self.skip_spaces(end);
            let (word, word_end) = self.word_at(after);
            let lower = word.to_lowercase();
            if after > end || word.is_empty() {
                // "shares up for sale" offers them; it is no rise.
                let up_for = lower == "up" && self.text[word_end..].trim_start().starts_with("for ");
                if UP_AFTER.contains(&lower.as_str()) && !up_for && !self.text[word_end..].trim_start().starts_with("than 1") {
                    direction = Some(Direction::Up);
                    end = word_end;
                } else if DOWN_AFTER.contains(&lower.as_str()) {
                    direction = Some(Direction::Down);
                    end = word_end;
                }
            }
        }
        let _ = prev_raw_start;
        Some(Quantity {
            span: Span::new(start, end),
            number_span: Span::new(numeral.start, numeral.end.max(numeral.start)),
            value: numeral.value,
            high,
            unit,
            bound,
            direction,
            vague: numeral.vague,
            assumed_currency,
        })
    }

    /// Where a " to " lies within six words after `end`, with no clause punctuation between
    /// (a decimal point inside a number is fine). Returns the position just before "to".
    pub(super) fn distant_to(&self, end: usize) -> Option<usize> {
        let mut at = end;
        for _ in 0..7 {
            at = self.skip_spaces(at);
            let (word, word_end) = self.word_at(at);
            if word == "to" {
                return (at > end).then_some(at - 1);
            }
            let token_end = if word.is_empty() {
                // A number or symbol token: "10.45pm", "$75", "U.S.".
                let token: usize = self.text[at..]
                    .char_indices()
                    .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '!' | '?' | '"'))
                    .map_or(self.text.len() - at, |(i, _)| i);
                if token == 0 {
                    return None;
                }
                at + token
            } else {
                word_end
            };
            let token = &self.text[at..token_end];
            if token.ends_with('.') && !token.contains(char::is_uppercase) || token.contains([',', ';', ':', '(', ')']) {
                return None;
            }
            // A year in between ("from 20 mpg in 2008 to 29 mpg") frames each end; the ends stay
            // two figures so that the year is kept.
            if token.len() == 4 && token.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            if self.char_at(token_end).is_some_and(|c| !c.is_whitespace() && !c.is_alphanumeric() && c != '.') {
                return None;
            }
            at = token_end;
        }
        None
    }

    /// The figure after a range connector, for ranges that repeat their unit ("5% and 6%",
    /// "$3 billion to $5 billion"). Only a currency symbol may stand between the connector
    /// and the digits.
    pub(super) fn repeated_unit_figure(&self, end: usize, allow_and: bool) -> Option<Quantity> {
        // One level only: "1%-2%-3%-..." must not recurse down a long chain.
        if self.nested.replace(true) {
            return None;
        }
        let second = self.repeated_unit_figure_inner(end, allow_and);
        self.nested.set(false);
        second
    }

    pub(super) fn repeated_unit_figure_inner(&self, end: usize, allow_and: bool) -> Option<Quantity> {
        let rest = &self.text[end..];
        let second_at = if rest.starts_with(['-', '–', '—']) {
            end + rest.chars().next().unwrap().len_utf8()
        } else {
            let at = self.skip_spaces(end);
            if at == end {
                return None;
            }
            let (word, word_end) = self.word_at(at);
            let ok = match word.to_lowercase().as_str() {
                "to" => true,
                "and" => allow_and,
                _ => false,
            };
            if !ok || self.char_at(word_end) != Some(' ') {
                return None;
            }
            self.skip_spaces(word_end)
        };
        let digit_at = self.text[second_at..]
            .char_indices()
            .take(5)
            .find(|(_, c)| c.is_ascii_digit())
            .map(|(i, _)| second_at + i)?;
        if !self.text[second_at..digit_at].chars().all(|c| !c.is_whitespace() && !c.is_lowercase()) {
            return None;
        }
        self.digit_quantity(digit_at)
    }

    /// The second number of a range starting after `end`: `-14`, ` to 4,300`, ` and 20`.
    #[allow(clippy::type_complexity)]
    pub(super) fn range_end(
        &self,
        end: usize,
        allow_and: bool,
        allow_or: bool,
    ) -> Option<(Numeral, Option<&'static str>, Option<(&'static str, bool)>, usize)> {
        let rest = &self.text[end..];
        let (connector_len, spaced) = if rest.starts_with(['-', '–', '—']) {
            (rest.chars().next().unwrap().len_utf8(), false)
        } else {
            let after = self.skip_spaces(end);
            let lower = self.text[after..].chars().take(4).collect::<String>().to_ascii_lowercase();
            if lower.starts_with("to ") {
                (after - end + 3, true)
            } else if allow_and && lower.starts_with("and ") {
                (after - end + 4, true)
            } else if (allow_or && lower.starts_with("or ")) || (self.text[after..].starts_with(['–', '—']) && after > end) {
                // "or " and a spaced dash are both three bytes long.
                (after - end + 3, true)
            } else {
                return None;
            }
        };
        let mut second_at = end + connector_len;
        if spaced {
            second_at = self.skip_spaces(second_at);
        }
        // A currency may repeat: "$10 to $20".
        let mut currency = None;
        for (symbol, code, named) in CURRENCY_PREFIXES {
            if self.text[second_at..].starts_with(symbol) && !symbol.chars().all(|c| c.is_ascii_alphabetic()) {
                currency = Some((*code, *named));
                second_at += symbol.len();
                break;
            }
        }
        if currency.is_none() && spaced && self.char_at(second_at).is_some_and(|c| c.is_alphabetic()) {
            // "three to five", "three or four years".
            let second = self.words(second_at).filter(|n| !n.vague && n.value > 1.0)?;
            return Some((second, None, None, second.end));
        }
        if !self.char_at(second_at).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        let (second, glued) = self.digits(second_at, currency.is_some())?;
        Some((second, glued, currency, second.end))
    }

    /// A qualifier phrase right before `at`: its bound and where it starts.
    pub(super) fn qualifier_before(&self, at: usize) -> (Bound, Option<usize>) {
        let line_start = self.line_start(at);
        let window_start = floor_boundary(self.text, at.saturating_sub(40).max(line_start));
        let before = &self.text[window_start..at];
        let trimmed = before.trim_end();
        let lower = trimmed.to_lowercase();
        if lower.len() != trimmed.len() {
            return (Bound::Exact, None);
        }
        let mut best: Option<(&str, &str)> = None;
        let last = lower.as_bytes().last().copied();
        for (phrase, bound) in QUALIFIERS {
            if phrase.as_bytes().last().copied() == last && lower.ends_with(phrase) && best.is_none_or(|(b, _)| phrase.len() > b.len()) {
                best = Some((phrase, bound));
            }
        }
        if let Some((phrase, bound)) = best {
            {
                let start = trimmed.len() - phrase.len();
                let boundary_ok = start == 0 || !lower[..start].ends_with(|c: char| c.is_alphanumeric());
                if boundary_ok || phrase == "~" {
                    return (Bound::from_name(bound), Some(window_start + start));
                }
            }
        }
        (Bound::Exact, None)
    }

    /// A direction verb right before `at`, optionally with "by": "rose 5%", "fell by nearly 10%".
    pub(super) fn direction_before(&self, at: usize) -> Option<Direction> {
        let words = self.words_before(at, 2);
        let mut iter = words.iter().map(|(w, _)| w.as_str());
        let word = iter.next()?;
        if word == "by" {
            // "grow sales by 35 per cent", "revised upward by Y=40 billion": the verb may sit
            // a few words before "by".
            let more = self.words_before(at, 5);
            for (w, _) in more.iter().skip(1) {
                let w = w.as_str();
                if matches!(w, "up" | "down") {
                    continue;
                }
                if UP_VERBS.contains(&w) {
                    return Some(Direction::Up);
                }
                if DOWN_VERBS.contains(&w) {
                    return Some(Direction::Down);
                }
            }
            return None;
        }
        // "make up 40 percent" is composition and "gave up 517 yards" concession, not a rise.
        if word == "up" && iter.next().is_some_and(|w| matches!(w, "make" | "makes" | "made" | "making" | "take" | "takes" | "took" | "end" | "ends" | "ended" | "add" | "adds" | "sum" | "sums" | "set" | "sets" | "open" | "opens" | "pick" | "picks" | "draw" | "draws" | "drew" | "give" | "gives" | "gave" | "given" | "giving")) {
            return None;
        }
        if UP_VERBS.contains(&word) {
            Some(Direction::Up)
        } else if DOWN_VERBS.contains(&word) {
            Some(Direction::Down)
        } else {
            None
        }
    }
}
