//! Reading numerals: digits with their separators and glued or spaced scales (`4.5bn`, `1.2
//! million`), numbers in words (`twenty-five`, `a dozen`, `hundreds`), fractions and ratios (`a
//! third`, `one in five`, `3/4`), and where a figure starts (`digit_quantity`, `word_quantity`).

use super::*;

impl<'t> Parser<'t> {
    /// Reads a digit numeral at `at` with any glued or spaced scale.
    pub(super) fn digits(&self, at: usize, currency: bool) -> Option<(Numeral, Option<&'static str>)> {
        let m = number_regex().find_at(self.text, at).filter(|m| m.start() == at)?;
        let raw = m.as_str();
        let mut value: f64 = raw.replace(',', "").parse().ok()?;
        let mut end = m.end();
        // "between 2200 and 0700": a four-digit number with a leading zero is a time of day.
        if raw.len() == 4 && raw.starts_with('0') && raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year_like = raw.len() == 4 && !raw.contains([',', '.']);
        // Version numbers, times, dates and identifiers glued to the number.
        let rest = &self.text[end..];
        if (rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
            || (rest.starts_with(':') && rest[1..].starts_with(|c: char| c.is_ascii_digit()))
            || ['/', '⁄'].into_iter().any(|slash| rest.strip_prefix(slash).is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit())))
            || rest.starts_with('×')
        {
            return None;
        }
        if let Some(extra) = self.and_a_fraction(end) {
            value += extra.0;
            end = extra.1;
        }
        let mut scaled = false;
        let mut glued_unit = None;
        let suffix: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '²').collect();
        // "10-K", "8-K": a form or model name.
        if let Some(after_hyphen) = rest.strip_prefix('-') {
            let code: String = after_hyphen.chars().take_while(|c| c.is_alphanumeric()).collect();
            if !code.is_empty() && code.len() <= 2 && code.chars().all(|c| c.is_ascii_uppercase()) && !MEASURES.iter().any(|(s, _, _)| *s == code) {
                return None;
            }
        }
        // Screen resolutions ("1080p", "4K", "8K") are names, not pence or thousands.
        let resolution = (suffix == "p" && matches!(raw, "240" | "360" | "480" | "576" | "720" | "1080" | "1440" | "2160" | "4320"))
            || (suffix == "K" && matches!(raw, "2" | "4" | "5" | "8" | "16"));
        if resolution && !currency {
            return None;
        }
        if !suffix.is_empty() {
            let lower = suffix.to_lowercase();
            if let Some((_, factor)) = SCALE_ABBREVIATIONS.iter().find(|(a, _)| *a == lower) {
                let ok = match lower.as_str() {
                    // A capital "M" is a million ("4.3M sales"); metres are written "m".
                    "m" => currency || suffix == "M" || self.next_is_plural_noun(end + suffix.len()),
                    "b" | "k" => true,
                    _ => true,
                };
                if ok {
                    value *= factor;
                    scaled = true;
                    end += suffix.len();
                } else if lower == "m" {
                    glued_unit = Some("metre");
                    end += suffix.len();
                }
            } else if let Some(unit) = glued_measure(&suffix) {
                glued_unit = Some(unit);
                end += suffix.len();
                // "80km/h", "100km/hr": a glued speed.
                if self.text[end..].starts_with('/') {
                    let per: String = self.text[end + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
                    let written = format!("{}/{}", suffix.to_lowercase(), per.to_lowercase());
                    if let Some((_, rate, _)) = MEASURES.iter().find(|(s, _, _)| *s == written) {
                        glued_unit = Some(rate);
                        end += 1 + per.len();
                    }
                }
            } else if matches!(lower.as_str(), "pc") {
                glued_unit = Some("percent");
                end += suffix.len();
            } else {
                // Ordinals (1st), decades (1990s), times (9am) and identifiers (4o, 3B-class).
                return None;
            }
        }
        // "a 1-trillion-parameter model", "a $10-billion deal": a scale joined by a hyphen.
        if !scaled && glued_unit.is_none() && self.text[end..].starts_with('-') {
            let (word, word_end) = self.word_at(end + 1);
            if let Some((_, factor)) = SCALE_WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(word)) {
                if *factor >= 1e6 {
                    value *= factor;
                    scaled = true;
                    end = word_end;
                }
            }
        }
        if !scaled && glued_unit.is_none() {
            let after = self.skip_spaces(end);
            let (word, word_end) = self.word_at(after);
            let lower = word.to_lowercase();
            if let Some((_, factor)) = SCALE_WORDS.iter().find(|(w, _)| *w == lower) {
                // "hundred" only multiplies small numbers ("3 hundred"), never "2,000 hundred".
                if lower != "hundred" || value < 100.0 {
                    value *= factor;
                    scaled = true;
                    end = word_end;
                    // "4 hundred million", "5 hundred thousand".
                    if lower == "hundred" {
                        let after_hundred = self.skip_spaces(end);
                        let (next, next_end) = self.word_at(after_hundred);
                        let next_lower = next.to_lowercase();
                        if let Some((_, bigger)) = SCALE_WORDS.iter().find(|(w, f)| *w == next_lower && *f > 100.0) {
                            if after_hundred > end {
                                value *= bigger;
                                end = next_end;
                            }
                        }
                    }
                }
            } else if after > end && currency && matches!(lower.as_str(), "bn" | "mn" | "m" | "tn" | "k" | "mln" | "bln" | "b") {
                if let Some((_, factor)) = SCALE_ABBREVIATIONS.iter().find(|(a, _)| *a == lower) {
                    value *= factor;
                    scaled = true;
                    end = word_end;
                }
            }
        }
        Some((
            Numeral { start: at, end, value, scaled, year_like: year_like && !scaled, vague: false, is_word: false, high: None },
            glued_unit,
        ))
    }

    /// " and a half" or " and a quarter" after a whole number: its value and where it ends.
    pub(super) fn and_a_fraction(&self, end: usize) -> Option<(f64, usize)> {
        let rest = &self.text[end..floor_boundary(self.text, (end + 16).min(self.text.len()))];
        let lower = rest.to_ascii_lowercase();
        for (phrase, value) in [(" and a half", 0.5), (" and a quarter", 0.25)] {
            if lower.starts_with(phrase) && !lower[phrase.len()..].starts_with(|c: char| c.is_alphanumeric()) {
                return Some((value, end + phrase.len()));
            }
        }
        None
    }

    pub(super) fn next_is_plural_noun(&self, at: usize) -> bool {
        let (word, _) = self.word_at(self.skip_spaces(at));
        word.len() > 3 && word.ends_with('s') && word.chars().all(|c| c.is_lowercase())
    }

    /// Reads a number written in words at `at`.
    pub(super) fn words(&self, at: usize) -> Option<Numeral> {
        let m = word_regex().find_at(self.text, at).filter(|m| m.start() == at)?;
        let lower = m.as_str().to_lowercase();
        let mut end = m.end();
        // An order of magnitude ("hundreds", "tens of thousands") spans one power of ten:
        // hundreds are 100 to 1,000. It stays vague, so the checker never compares it.
        let magnitude = match lower.as_str() {
            "dozens" => Some(12.0),
            "hundreds" => Some(100.0),
            "thousands" => Some(1e3),
            "millions" => Some(1e6),
            "billions" => Some(1e9),
            "tens of thousands" => Some(1e4),
            "tens of millions" => Some(1e7),
            "tens of billions" => Some(1e10),
            "hundreds of thousands" => Some(1e5),
            "hundreds of millions" => Some(1e8),
            "hundreds of billions" => Some(1e11),
            _ => None,
        };
        if let Some(low) = magnitude {
            return Some(Numeral { start: at, end, value: low, scaled: true, year_like: false, vague: true, is_word: true, high: Some(low * 10.0) });
        }
        let high = None;
        let (mut value, mut vague) = match lower.as_str() {
            "a dozen" => (12.0, false),
            "a few hundred" | "several hundred" => (300.0, true),
            "a few thousand" | "several thousand" => (3000.0, true),
            "a hundred" => (100.0, false),
            "a thousand" => (1e3, false),
            "a million" => (1e6, false),
            "a billion" => (1e9, false),
            "a trillion" => (1e12, false),
            word => {
                if let Some((_, v)) = TENS_WORDS.iter().find(|(w, _)| *w == word) {
                    let mut v = *v;
                    let rest = &self.text[end..];
                    if let Some(sep) = rest.chars().next().filter(|c| *c == '-' || *c == ' ') {
                        let (unit_word, unit_end) = self.word_at(end + sep.len_utf8());
                        let unit_lower = unit_word.to_lowercase();
                        if let Some((_, u)) = UNITS_WORDS.iter().find(|(w, u)| *w == unit_lower && *u >= 1.0 && *u <= 9.0) {
                            v += u;
                            end = unit_end;
                        }
                    }
                    (v, false)
                } else if let Some((_, v)) = UNITS_WORDS.iter().find(|(w, _)| *w == word) {
                    (*v, false)
                } else {
                    return None;
                }
            }
        };
        // "two and a half years", "one and a half million".
        if let Some(extra) = self.and_a_fraction(end) {
            value += extra.0;
            end = extra.1;
        }
        // "twenty-five million", "three billion", "a hundred thousand".
        let after = self.skip_spaces(end);
        let (next, next_end) = self.word_at(after);
        let next_lower = next.to_lowercase();
        let mut scaled = false;
        if after > end {
            if let Some((_, factor)) = SCALE_WORDS.iter().find(|(w, _)| *w == next_lower) {
                value *= factor;
                end = next_end;
                scaled = true;
                vague = false;
            }
        }
        Some(Numeral { start: at, end, value, scaled, year_like: false, vague, is_word: true, high })
    }

    /// "13th", "31st": a rank, compared with other ranks only. Not a date ("May 5th", "the 5th
    /// of May"), a century, or a period ("3rd quarter", read as a period with its words).
    fn ordinal(&self, at: usize) -> Option<Quantity> {
        let digits = self.text[at..].bytes().take_while(u8::is_ascii_digit).count();
        let suffix_at = at + digits;
        let suffix = self.text.get(suffix_at..suffix_at + 2)?.to_ascii_lowercase();
        let value: u32 = self.text[at..suffix_at].parse().ok()?;
        let expected = match (value % 100, value % 10) {
            (11..=13, _) => "th",
            (_, 1) => "st",
            (_, 2) => "nd",
            (_, 3) => "rd",
            _ => "th",
        };
        let end = suffix_at + 2;
        if digits == 0 || digits > 4 || suffix != expected || self.char_at(end).is_some_and(is_word_char) {
            return None;
        }
        if self.char_before(at).is_some_and(|c| is_word_char(c) || matches!(c, '-' | '.' | '#' | '/' | ',' | '$')) {
            return None;
        }
        let word_after = |from: usize| self.text[from..].split_whitespace().next().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).unwrap_or_default();
        let next = word_after(end);
        let next = if next == "of" { word_after(end + self.text[end..].find("of").map_or(0, |k| k + 2)) } else { next };
        let prev = self.text[..at].split_whitespace().next_back().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).unwrap_or_default();
        let hyphen_next = self.text[end..].strip_prefix('-').map(|rest| rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase());
        const NOT_RANKS: &[&str] = &["century", "centuries", "minute", "minutes", "quarter", "quarters", "half", "qtr", "birthday", "floor", "grade", "amendment", "edition", "anniversary", "street", "avenue", "st", "ave"];
        let blocked = |w: &str| MONTHS.contains(&w) || NOT_RANKS.contains(&w);
        if blocked(&next) || blocked(&prev) || hyphen_next.as_deref().is_some_and(blocked) {
            return None;
        }
        let span = Span::new(at, end);
        Some(Quantity {
            span,
            number_span: Span::new(at, suffix_at),
            value: f64::from(value),
            high: None,
            unit: Unit::Measure("ordinal".into()),
            bound: Bound::Exact,
            direction: None,
            vague: false,
            assumed_currency: false,
        })
    }

    pub(super) fn digit_quantity(&self, at: usize) -> Option<Quantity> {
        if let Some(q) = self.ordinal(at) {
            return Some(q);
        }
        let (currency_start, currency) = self.currency_before(at);
        let mut lead = currency_start.unwrap_or(at);
        let symbol = &self.text[lead..at];
        let letter_symbol = symbol.starts_with("PS") || symbol.trim_end() == "R";
        // "R1.5" may be a model version too, so rand needs thousands or a scale ("R5 billion").
        let rand_without_scale = symbol == "R" && {
            let (numeral, _) = self.digits(at, true).unzip();
            !numeral.is_some_and(|n| n.scaled || self.text[n.start..n.end].contains(','))
        };
        if currency.is_some() && letter_symbol && (!self.looks_like_money(at) || symbol == "R " || rand_without_scale) {
            // "PS5" is a console and "R1" a model; wire copy's "PS2.7m" and "PS21,700" are
            // pounds, and "R5 billion" is rand.
            return None;
        }
        // "sub-7 nanometer": below the figure.
        let sub = currency.is_none() && {
            let before = &self.text[..lead];
            (before.ends_with("sub-") || before.ends_with("Sub-"))
                && !self.char_before(lead - 4).is_some_and(is_word_char)
        };
        if sub {
            let (numeral, glued) = self.digits(at, false)?;
            let mut q = self.finish(lead, numeral, glued, None)?;
            if q.bound == Bound::Exact && q.unit != Unit::Date {
                q.bound = Bound::Under;
                q.span.start = lead - 4;
            }
            return Some(q);
        }
        // "$-50.8bn": a negative amount written after its currency.
        if currency.is_none() && self.text[..at].ends_with('-') {
            if let (Some(symbol_start), Some(code)) = self.currency_before(at - 1) {
                if !code.0.chars().all(|c| c.is_ascii_alphabetic()) || self.text[symbol_start..at - 1].contains('$') {
                    let (mut numeral, glued) = self.digits(at, true)?;
                    numeral.value = -numeral.value;
                    numeral.year_like = false;
                    return self.finish(symbol_start, numeral, glued, Some(code));
                }
            }
        }
        // ".001 per cent": a decimal written without its leading zero.
        if currency.is_none() && self.char_before(at) == Some('.') && !self.char_before(at - 1).is_some_and(|c| c.is_alphanumeric() || c == '.') {
            let (mut numeral, glued) = self.digits(at, false)?;
            let digits = self.text[at..].bytes().take_while(|b| b.is_ascii_digit()).count();
            if numeral.scaled || digits == 0 {
                return None;
            }
            numeral.value /= 10f64.powi(digits as i32);
            numeral.year_like = false;
            numeral.start = at - 1;
            return self.finish(at - 1, numeral, glued, None);
        }
        // "1/16 of a pint": a written fraction.
        if currency.is_none() {
            if let Some(q) = self.slash_fraction(at) {
                return Some(q);
            }
        }
        // "minus 387", "minus-5 yards", "negative 12 percent": a negative figure ("negative
        // 12-month returns" qualifies the months, not the figure).
        let mut negative = false;
        let compound_after = || {
            let end = at + self.text[at..].bytes().take_while(|b| b.is_ascii_digit() || *b == b'.' || *b == b',').count();
            self.text[end..].strip_prefix('-').is_some_and(|rest| rest.starts_with(|c: char| c.is_alphabetic()))
        };
        for word in ["minus ", "minus-", "Minus ", "Minus-", "negative ", "Negative "] {
            if self.text[..lead].ends_with(word) && !(word.ends_with("ive ") && compound_after()) {
                let word_start = lead - word.len();
                if !self.char_before(word_start).is_some_and(is_word_char) {
                    negative = true;
                    lead = word_start;
                }
            }
        }
        // "-12 percent", "−40 degrees": a sign. Not the hyphen of an identifier or a range
        // ("COVID-19", "GPT-4", "13-14"), nor one spaced off an acronym ("COVID -19").
        let mut signed_at = None;
        if !negative && currency.is_none() {
            if let Some(sign) = self.char_before(lead).filter(|c| matches!(c, '-' | '−')) {
                let sign_start = lead - sign.len_utf8();
                if self.is_sign(sign_start) {
                    negative = true;
                    lead = sign_start;
                    signed_at = Some(sign_start);
                }
            }
        }
        let sign_up = currency.is_none() && self.char_before(lead) == Some('+')
            && !self.char_before(lead - 1).is_some_and(|c| c.is_alphanumeric());
        if sign_up {
            lead -= 1;
        }
        // Part of an identifier: "K2", "Qwen3", "GPT-4o", "Qwen3-235B", "v1.2", "#3".
        if let Some(prev) = self.char_before(lead).filter(|_| !negative) {
            if is_word_char(prev) || matches!(prev, '#' | '.' | '/' | '⁄' | '@' | '_' | '×' | '^' | '=') {
                return None;
            }
            if prev == '-' || prev == '‑' || prev == '−' {
                let before = self.text[..lead - prev.len_utf8()].chars().next_back();
                if before.is_some_and(is_word_char) || self.spaced_off_acronym(lead - prev.len_utf8()) {
                    return None;
                }
            }
            if prev == ':' && self.text[..lead - 1].chars().next_back().is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
        }
        let (mut numeral, glued) = self.digits(at, currency.is_some())?;
        if currency.is_none() && !negative && glued.is_none() && !numeral.scaled && numeral.value.fract() == 0.0 && numeral.value >= 1.0 {
            // "1 in 4 adults", "9 out of 10": a ratio.
            if let Some(q) = self.ratio(numeral) {
                return Some(q);
            }
        }
        if negative {
            numeral.value = -numeral.value;
            numeral.year_like = false;
            // A sign is part of the number (a word is not).
            if let Some(start) = signed_at {
                numeral.start = start;
            }
        }
        let mut q = self.finish(lead, numeral, glued, currency)?;
        if negative {
            if let Some(h) = q.high {
                // "minus 5 to 10": both ends are below zero.
                q.high = Some(-q.value);
                q.value = -h;
            }
        }
        if sign_up && q.direction.is_none() && q.unit != Unit::Date {
            // "Dow +0.2%": a signed change.
            q.direction = Some(Direction::Up);
        }
        Some(q)
    }

    /// Whether the hyphen or minus sign at `at` (right before a number) is the number's sign:
    /// it opens a word (after a space, a bracket, a quotation mark or the start of a line) and
    /// does not follow an acronym as a spaced hyphen ("COVID -19").
    pub(super) fn is_sign(&self, at: usize) -> bool {
        let before = &self.text[..at];
        match before.chars().next_back() {
            None => true,
            Some(c) if c.is_whitespace() => !self.spaced_off_acronym(at) || self.text[at..].starts_with('−'),
            Some(c) => matches!(c, '(' | '[' | '{' | '"' | '“' | '‘' | '\'' | ':' | '~' | '≈'),
        }
    }

    /// Whether the hyphen at `at` follows an acronym and a space: "COVID -19" is "COVID-19"
    /// mistyped, an identifier.
    pub(super) fn spaced_off_acronym(&self, at: usize) -> bool {
        let before = &self.text[..at];
        if !before.ends_with(char::is_whitespace) || !self.text[at..].starts_with('-') {
            return false;
        }
        let word = before.trim_end().rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        word.len() >= 2 && word.chars().all(|c| c.is_ascii_uppercase())
    }

    /// "1/16 of a US pint", "1⁄32 of a quart": a fraction written with a slash, read only when
    /// "of" follows (otherwise it may be a date or a score).
    pub(super) fn slash_fraction(&self, at: usize) -> Option<Quantity> {
        let first_len = self.text[at..].bytes().take_while(|b| b.is_ascii_digit()).count();
        let rest = &self.text[at + first_len..];
        let slash = ['/', '⁄'].into_iter().find(|c| rest.starts_with(*c))?;
        let second_at = at + first_len + slash.len_utf8();
        let second_len = self.text[second_at..].bytes().take_while(|b| b.is_ascii_digit()).count();
        if first_len == 0 || first_len > 3 || second_len == 0 || second_len > 4 {
            return None;
        }
        let end = second_at + second_len;
        if !self.text[end..].starts_with(" of ") {
            return None;
        }
        let numerator: f64 = self.text[at..at + first_len].parse().ok()?;
        let denominator: f64 = self.text[second_at..end].parse().ok()?;
        if denominator <= numerator || numerator == 0.0 {
            return None;
        }
        Some(self.fraction_quantity(at, end, numerator / denominator))
    }

    /// Whether the number at `at` is written like an amount of money: separators, decimals or
    /// a scale ("21,700", "2.7m", "8.1bn"), not a bare model number ("5").
    pub(super) fn looks_like_money(&self, at: usize) -> bool {
        let Some(m) = number_regex().find_at(self.text, at).filter(|m| m.start() == at) else {
            return false;
        };
        if m.as_str().contains([',', '.']) {
            return true;
        }
        let suffix: String = self.text[m.end()..].chars().take_while(|c| c.is_alphanumeric()).collect::<String>().to_ascii_lowercase();
        SCALE_ABBREVIATIONS.iter().any(|(a, _)| *a == suffix) || {
            let (word, _) = self.word_at(self.skip_spaces(m.end()));
            SCALE_WORDS.iter().any(|(w, _)| w.eq_ignore_ascii_case(word))
        }
    }

    pub(super) fn word_quantity(&self, at: usize) -> Option<Quantity> {
        // "the Six Nations", "the Big Ten", "Group of Seven": a capitalised number word inside
        // a sentence is part of a name.
        if self.char_at(at).is_some_and(|c| c.is_uppercase()) && !self.at_sentence_start(at) {
            return None;
        }
        let lower_rest: String = self.text[at..].chars().take(48).collect::<String>().to_ascii_lowercase();
        // Fractions first: "two-thirds", "a third", "one in five".
        if let Some(q) = self.fraction(at, &lower_rest) {
            return Some(q);
        }
        if lower_rest.starts_with("half") || lower_rest.starts_with("a third") || lower_rest.starts_with("a quarter")
            || lower_rest.starts_with("a fifth") || lower_rest.starts_with("a tenth")
        {
            return None;
        }
        // "threefold", "tenfold": a multiple.
        let (word, word_end) = self.word_at(at);
        if let Some(base) = word.to_ascii_lowercase().strip_suffix("fold") {
            let value = UNITS_WORDS
                .iter()
                .chain(TENS_WORDS)
                .chain(SCALE_WORDS)
                .find(|(w, _)| *w == base)
                .map(|(_, v)| *v)?;
            let numeral = Numeral { start: at, end: word_end, value, scaled: false, year_like: false, vague: false, is_word: true, high: None };
            return self.finish(at, numeral, Some("time"), None);
        }
        let numeral = self.words(at)?;
        if numeral.value == 1.0 && !numeral.scaled {
            // "one" is mostly a pronoun or an article; it is a figure when it opens a ratio
            // or counts the lowercase noun right after it ("one proposal", "just one area").
            if let Some(q) = self.ratio(numeral) {
                return Some(q);
            }
            return self.one_counted(numeral);
        }
        if numeral.value == 0.0 {
            return None;
        }
        self.finish(at, numeral, None, None)
    }

    /// "one proposal", "one count of wire fraud": `one` before a lowercase singular noun.
    pub(super) fn one_counted(&self, numeral: Numeral) -> Option<Quantity> {
        let before = self.words_before(numeral.start, 1);
        let prev = before.first().map(|(w, _)| w.as_str()).unwrap_or("");
        if matches!(prev, "no" | "the" | "this" | "that" | "which" | "every" | "each" | "any" | "some" | "no-" | "a" | "only" | "at") {
            return None;
        }
        if self.char_at(numeral.end) != Some(' ') {
            return None;
        }
        let (word, word_end) = self.word_at(numeral.end + 1);
        let lower = word.to_lowercase();
        if word.chars().count() < 3
            || !word.chars().all(|c| c.is_lowercase())
            || is_plural(&lower)
            || NOT_COUNT_NOUNS.contains(&lower.as_str())
            || VERBS_NOT_NOUNS.contains(&lower.as_str())
            || ONE_IDIOMS.contains(&lower.as_str())
            || lower.ends_with("ly")
        {
            return None;
        }
        // "one glorious swoop": an adjective is fine when a noun follows it.
        let adjective_then_noun =
            is_adjective_after_one(&lower) && self.char_at(word_end) == Some(' ') && self.singular_noun_follows(word_end + 1);
        if !could_be_singular_noun(&lower) && !adjective_then_noun {
            return None;
        }
        let q = self.finish(numeral.start, numeral, None, None)?;
        matches!(q.unit, Unit::Count(_) | Unit::Measure(_)).then_some(q)
    }

    /// `half`, `a third`, `two-thirds`, `three quarters of`, `one in five`.
    pub(super) fn fraction(&self, at: usize, lower: &str) -> Option<Quantity> {
        if lower.starts_with("half") {
            let (word, end) = self.word_at(at);
            if word.to_lowercase() != "half" {
                return None;
            }
            let before = self.words_before(at, 1);
            let prev = before.first().map(|(w, _)| w.as_str()).unwrap_or("");
            if matches!(prev, "first" | "second" | "last" | "latter" | "other" | "the" | "a" | "one" | "and") {
                return None;
            }
            let after = self.skip_spaces(end);
            let (next, _) = self.word_at(after);
            let next_lower = next.to_lowercase();
            // "half a trillion": a scaled number.
            if next_lower == "a" {
                let (scale, scale_end) = self.word_at(self.skip_spaces(after + 1));
                if let Some((_, factor)) = SCALE_WORDS.iter().find(|(w, _)| *w == scale.to_lowercase()) {
                    let numeral = Numeral { start: at, end: scale_end, value: 0.5 * factor, scaled: true, year_like: false, vague: false, is_word: true, high: None };
                    return self.finish(at, numeral, None, None);
                }
            }
            if !matches!(next_lower.as_str(), "of" | "its" | "their" | "the" | "his" | "her" | "our" | "all") {
                return None;
            }
            return Some(self.fraction_quantity(at, end, 0.5));
        }
        // "a third", "one-third", "two thirds", "three-quarters", "two-fifths".
        let (first, first_end) = self.word_at(at);
        let first_lower = first.to_lowercase();
        let numerator = if first_lower == "a" {
            1.0
        } else {
            UNITS_WORDS.iter().find(|(w, _)| *w == first_lower).map(|(_, v)| *v)?
        };
        let sep = self.char_at(first_end)?;
        if sep != '-' && sep != ' ' {
            return self.ratio_from(at, numerator);
        }
        let (denominator_word, end) = self.word_at(first_end + 1);
        let denominator_lower = denominator_word.to_lowercase();
        let Some((_, denominator)) = FRACTION_WORDS.iter().find(|(w, _)| *w == denominator_lower) else {
            return self.ratio_from(at, numerator);
        };
        if denominator_lower == "half" || denominator_lower == "halves" {
            return None;
        }
        // "a quarter" and "a fourth" are periods unless "of" follows; "one third" must be a share.
        let after = self.skip_spaces(end);
        let (next, _) = self.word_at(after);
        let next_lower = next.to_lowercase();
        let share_follows = matches!(next_lower.as_str(), "of" | "its" | "their" | "the" | "all");
        if denominator_lower.starts_with("quarter") || denominator_lower.starts_with("fourth") || first_lower == "a" || numerator == 1.0 {
            let before = self.words_before(at, 1);
            let hedged = before.first().is_some_and(|(w, _)| QUALIFIERS.iter().any(|(q, _)| q.ends_with(w.as_str())));
            if !share_follows && !hedged {
                return None;
            }
        }
        // "second quarter", "third quarter": ordinal periods.
        if numerator >= 2.0 && !denominator_lower.ends_with('s') {
            return None;
        }
        Some(self.fraction_quantity(at, end, numerator / denominator))
    }

    pub(super) fn ratio_from(&self, at: usize, numerator: f64) -> Option<Quantity> {
        let (_, end) = self.word_at(at);
        self.ratio(Numeral { start: at, end, value: numerator, scaled: false, year_like: false, vague: false, is_word: true, high: None })
    }

    /// `one in five`, `3 in 10`, `two out of three`.
    pub(super) fn ratio(&self, numeral: Numeral) -> Option<Quantity> {
        let after = self.skip_spaces(numeral.end);
        let lower = self.text[after..].chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip = if lower.starts_with("in ") {
            3
        } else if lower.starts_with("out of ") {
            7
        } else {
            return None;
        };
        let second_at = self.skip_spaces(after + skip);
        let denominator = if self.char_at(second_at).is_some_and(|c| c.is_ascii_digit()) {
            self.digits(second_at, false).map(|(n, _)| n)
        } else {
            self.words(second_at)
        }?;
        if denominator.year_like || denominator.value <= numeral.value || denominator.value > 1000.0 || denominator.vague {
            return None;
        }
        Some(self.fraction_quantity(numeral.start, denominator.end, numeral.value / denominator.value))
    }

    pub(super) fn fraction_quantity(&self, start: usize, number_end: usize, value: f64) -> Quantity {
        let (bound, qualifier_start) = self.qualifier_before(start);
        // "1/16 of a US pint" is 0.0625 pint, not a share of something.
        let (unit, end) = match self.measure_of_one(number_end) {
            Some((measure, measure_end)) => (Unit::Measure(measure), measure_end),
            None => (Unit::Fraction, number_end),
        };
        Quantity {
            span: Span::new(qualifier_start.unwrap_or(start), end),
            number_span: Span::new(start, number_end),
            value,
            high: None,
            unit,
            bound,
            direction: self.direction_before(qualifier_start.unwrap_or(start)),
            vague: false,
            assumed_currency: false,
        }
    }
}
