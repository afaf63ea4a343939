//! What a figure measures: the currency before it (`US$`, `RM`), the unit after it (`%`,
//! `percentage points`, a measure, a currency word), a rate (`$58.24 per barrel`) and the noun
//! it counts (`12 countries`, `one company`).

use super::*;

impl<'t> Parser<'t> {
    /// A currency symbol or code right before `at` (one space allowed after codes).
    pub(super) fn currency_before(&self, at: usize) -> (Option<usize>, Option<(&'static str, bool)>) {
        let before = &self.text[..at];
        let trimmed = before.trim_end_matches(' ');
        let spaced = trimmed.len() < before.len();
        if before.len() - trimmed.len() > 1 {
            return (None, None);
        }
        for (symbol, code, named) in CURRENCY_PREFIXES {
            if let Some(stripped) = trimmed.strip_suffix(symbol) {
                let alphabetic = symbol.chars().all(|c| c.is_ascii_alphabetic() || c == '.');
                if spaced && !alphabetic {
                    continue;
                }
                // Codes must stand alone: "RM5" yes, "FORM5" no.
                if stripped.chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                return (Some(stripped.len()), Some((code, *named)));
            }
        }
        (None, None)
    }

    /// A rate written after a figure's unit: "$58.24 per barrel", "$1,271.2 an ounce", "63 cents
    /// a share", "$80 per sq m", "11 feet per century", "52,000 barrel-a-day", "3,000 tests a
    /// day". Money per period ("$400K a year") stays money: it is an amount over a span, and
    /// a draft may leave the period out. Returns the unit (`USD-per-barrel`) and where it ends.
    pub(super) fn rate_after(&self, end: usize, unit: &Unit) -> Option<(String, usize)> {
        let (base, money, count) = match unit {
            Unit::Currency(code) => (code.as_str(), true, false),
            Unit::Measure(m) if matches!(m.as_str(), "cent" | "penny" | "sen") => (m.as_str(), true, false),
            Unit::Measure(m) if m.contains("-per-") || matches!(m.as_str(), "time" | "point" | "percentage-point" | "basis-point") => return None,
            Unit::Measure(m) => (m.as_str(), false, false),
            Unit::Count(noun) => (noun.as_str(), false, true),
            _ => return None,
        };
        let rest = &self.text[end..];
        let (per, rated_at) = if let Some(r) = rest.strip_prefix('/') {
            let _ = r;
            (true, end + 1)
        } else {
            let hyphen = rest.starts_with('-');
            let at = if hyphen { end + 1 } else { self.skip_spaces(end) };
            if at == end {
                return None;
            }
            let (word, word_end) = self.word_at(at);
            let per = match word {
                "per" => true,
                "a" | "an" => false,
                _ => return None,
            };
            let sep = if hyphen { '-' } else { ' ' };
            if self.char_at(word_end) != Some(sep) {
                return None;
            }
            (per, word_end + 1)
        };
        let tail: String = self.text[rated_at..].chars().take(24).collect::<String>().to_ascii_lowercase();
        let boundary = |len: usize| !tail[len..].starts_with(|c: char| c.is_alphanumeric());
        let mut rated: Option<(String, usize)> = MEASURES
            .iter()
            .filter(|(s, _, case_sensitive)| !case_sensitive && s.len() > 2)
            .find(|(s, _, _)| tail.starts_with(s) && boundary(s.len()))
            .map(|(s, u, _)| (u.to_string(), rated_at + s.len()));
        if rated.is_none() {
            let (word, word_end) = self.word_at(rated_at);
            let lower = word.to_lowercase();
            // "per cent" is a percentage and "a lot" an amount; "per annum" is per year.
            let annum = per && lower == "annum";
            let not_a_noun = word.len() < 3
                || !word.chars().all(|c| c.is_lowercase())
                || NOT_COUNT_NOUNS.contains(&lower.as_str())
                || matches!(lower.as_str(), "cent" | "centum" | "lot" | "bit" | "few" | "little")
                || (!per && is_plural(&lower));
            if not_a_noun && !annum {
                return None;
            }
            let rated_noun = if annum { "year".to_string() } else { singular(&lower) };
            rated = Some((rated_noun, word_end));
            // "$15 per million tokens": the scale belongs to the noun rated.
            if SCALE_WORDS.iter().any(|(w, _)| *w == lower) && self.char_at(word_end) == Some(' ') {
                let (noun, noun_end) = self.word_at(word_end + 1);
                let noun_lower = noun.to_lowercase();
                if noun.len() >= 3 && noun.chars().all(|c| c.is_lowercase()) && !NOT_COUNT_NOUNS.contains(&noun_lower.as_str()) {
                    rated = Some((format!("{lower}-{}", singular(&noun_lower)), noun_end));
                }
            }
        }
        let (rated, rated_end) = rated?;
        let period = matches!(rated.as_str(), "year" | "month" | "week" | "day" | "hour" | "minute" | "second" | "quarter" | "decade" | "century");
        if money && period {
            return None;
        }
        // A count or measure per anything but a period or a measure needs "per": "3 goals a
        // game" reads, but "gave 2 kids a ride" and "15 years a number" do not.
        let rated_measure = MEASURES.iter().any(|(_, u, _)| *u == rated);
        if (count || !money) && !per && !period && !rated_measure {
            return None;
        }
        let (next, _) = self.word_at(self.skip_spaces(rated_end));
        if matches!(next, "ago" | "earlier" | "later") {
            return None;
        }
        Some((format!("{base}-per-{rated}"), rated_end))
    }

    /// The unit written after a figure ending at `end`: percent, a measure, a currency word,
    /// or the noun it counts. Returns the unit, where it ends, and whether a currency is assumed.
    pub(super) fn unit_after(&self, end: usize, numeral: &Numeral) -> Option<(Unit, usize, bool)> {
        let rest = &self.text[end..];
        if let Some(r) = rest.strip_prefix('%') {
            let _ = r;
            return Some((Unit::Percent, end + 1, false));
        }
        // Symbols written after the figure: "1,200€", "25.5″", "150 ₾".
        if rest.starts_with('″') {
            return Some((Unit::Measure("inch".into()), end + '″'.len_utf8(), false));
        }
        let symbol_at = self.skip_spaces(end);
        if symbol_at - end <= 1 {
            for (symbol, code, _) in CURRENCY_PREFIXES {
                let is_sign = symbol.chars().count() == 1 && !symbol.is_ascii();
                let after_symbol = symbol_at + symbol.len();
                if is_sign && self.text[symbol_at..].starts_with(symbol) && !self.char_at(after_symbol).is_some_and(|c| c.is_alphanumeric()) {
                    return Some((Unit::Currency(code.to_string()), after_symbol, false));
                }
            }
        }
        // Hyphenated measures: "12-inch", "65-year-old", "10-fold".
        if rest.starts_with('-') {
            let (word, word_end) = self.word_at(end + 1);
            if word.is_empty() {
                // "four-, five- and six-cylinder engines": a suspended hyphen takes the unit of
                // the last figure of the series. The unit ends at the hyphen; the shared noun
                // belongs to the last figure.
                return self.suspended_hyphen_unit(end + 1).map(|unit| (unit, end + 1, false));
            }
            return self.hyphenated_unit(word, word_end).map(|unit| (unit, word_end, false));
        }
        let at = self.skip_spaces(end);
        if at == end && !rest.is_empty() && !rest.starts_with(['°']) {
            return None;
        }
        let tail = &self.text[at..];
        let lower: String = tail.chars().take(40).collect::<String>().to_ascii_lowercase();
        let boundary = |len: usize| !lower[len..].starts_with(|c: char| c.is_alphanumeric());
        for word in ["percentage points", "percentage point"] {
            if lower.starts_with(word) && boundary(word.len()) {
                return Some((Unit::PercentagePoint, at + word.len(), false));
            }
        }
        for word in ["percent", "per cent", "pct", "pc"] {
            if lower.starts_with(word) && boundary(word.len()) {
                return Some((Unit::Percent, at + word.len(), false));
            }
        }
        // The first byte tells most phrases apart before a whole comparison does (this loop and
        // the next run for every number of every document read).
        let first = lower.as_bytes().first().copied();
        let tail_first = tail.as_bytes().first().copied();
        for (surface, code, named) in CURRENCY_SUFFIXES {
            if surface.as_bytes().first().copied() == first && lower.starts_with(surface) && boundary(surface.len()) {
                return Some((Unit::Currency(code.to_string()), at + surface.len(), !named));
            }
        }
        // "5 trillion won": after a scale, "won" is Korea's currency, not a verb.
        if numeral.scaled && lower.starts_with("won") && boundary(3) {
            return Some((Unit::Currency("KRW".into()), at + 3, false));
        }
        if lower.starts_with("pounds") && boundary(6) {
            // Money in pounds is written "£5" or "5 million pounds"; a plain "208 pounds" or
            // "700 pounds of" is a weight.
            let is_mass = lower[6..].trim_start().starts_with("of ") || !numeral.scaled;
            let unit = if is_mass { Unit::Measure("pound".into()) } else { Unit::Currency("GBP".into()) };
            return Some((unit, at + 6, false));
        }
        for (surface, unit, case_sensitive) in MEASURES {
            let matches = if *case_sensitive {
                surface.as_bytes().first().copied() == tail_first && tail.starts_with(surface)
            } else {
                surface.as_bytes().first().copied() == first && lower.starts_with(surface)
            };
            if matches && boundary(surface.len()) {
                if *unit == "second" && !numeral.is_word && lower.starts_with("second ") {
                    // "2 second-tier" is rare; "30 seconds" is plural. Singular "second" after a
                    // whole number other than one is an ordinal use ("the 2 second ..."); after a
                    // decimal ("a 4.3 second 40-yard dash") it can only be the time.
                    if numeral.value != 1.0 && numeral.value.fract() == 0.0 {
                        continue;
                    }
                }
                return Some((Unit::Measure(unit.to_string()), at + surface.len(), false));
            }
        }
        // "thousands of tests", "tens of millions of dollars": an order of magnitude names its
        // unit after "of".
        if numeral.vague && lower.starts_with("of ") {
            let inner = Numeral { vague: false, ..*numeral };
            return self.unit_after(at + 2, &inner);
        }
        self.count_noun(at, numeral).map(|(unit, noun_end)| (unit, noun_end, false))
    }

    /// The unit named by the word after a figure's hyphen: a measure ("12-inch") or, when the
    /// compound modifies a noun, the singular noun it counts ("six-cylinder engines",
    /// "a 30-member team"). Anything else ("one-off", "a three-way race") has no unit.
    pub(super) fn hyphenated_unit(&self, word: &str, word_end: usize) -> Option<Unit> {
        let lower = word.to_lowercase();
        if let Some((_, unit, _)) = MEASURES.iter().find(|(s, _, _)| *s == lower && !s.contains(' ')) {
            return Some(Unit::Measure(unit.to_string()));
        }
        // Only a lowercase noun that a space and another lowercase word follow: the compound is
        // then a modifier, and its second word a noun ("cylinder" in "six-cylinder engine").
        let modifier = self.char_at(word_end) == Some(' ') && {
            let (next, _) = self.word_at(word_end + 1);
            next.chars().next().is_some_and(|c| c.is_lowercase())
        };
        let noun_like = word.chars().count() >= 4
            && word.chars().all(|c| c.is_lowercase())
            && could_be_singular_noun(&lower)
            && !lower.ends_with('s')
            && !lower.ends_with("ly")
            && !NOT_COUNT_NOUNS.contains(&lower.as_str())
            && !VERBS_NOT_NOUNS.contains(&lower.as_str())
            && !HYPHEN_NOT_COUNTED.contains(&lower.as_str());
        (modifier && noun_like).then_some(Unit::Count(lower))
    }

    /// The unit of a suspended hyphen ("four-" in "four-, five- and six-cylinder"): the unit of
    /// the hyphenated figure that ends the series, when only ", ", "and", "or" and numbers in
    /// words or digits with a bare hyphen stand between.
    pub(super) fn suspended_hyphen_unit(&self, mut at: usize) -> Option<Unit> {
        for _ in 0..6 {
            let rest = &self.text[at..];
            let skipped = rest.len() - rest.trim_start_matches([',', ' ']).len();
            at += skipped;
            let (word, word_end) = self.word_at(at);
            let lower = word.to_lowercase();
            if matches!(lower.as_str(), "and" | "or") {
                at = word_end;
                continue;
            }
            // The next figure of the series: a number word or digits, then a hyphen.
            let number_end = if !word.is_empty() && UNITS_WORDS.iter().chain(TENS_WORDS).any(|(w, _)| *w == lower) {
                word_end
            } else {
                let digits = self.text[at..].bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
                if digits == 0 {
                    return None;
                }
                at + digits
            };
            if !self.text[number_end..].starts_with('-') {
                return None;
            }
            let (unit_word, unit_end) = self.word_at(number_end + 1);
            if !unit_word.is_empty() {
                return self.hyphenated_unit(unit_word, unit_end);
            }
            at = number_end + 1;
        }
        None
    }

    /// "1/16 of a US pint", "a third of a mile": a fraction of one measure is an amount in that
    /// measure (0.0625 pint). Returns the measure and where its name ends.
    pub(super) fn measure_of_one(&self, end: usize) -> Option<(String, usize)> {
        let rest = &self.text[end..];
        let after = rest.strip_prefix(" of a ").or_else(|| rest.strip_prefix(" of an "))?;
        let mut at = end + (rest.len() - after.len());
        let (word, word_end) = self.word_at(at);
        // The system a measure belongs to: "a US pint", "an imperial gallon".
        if matches!(word.to_lowercase().as_str(), "us" | "imperial" | "metric" | "british" | "standard") && self.char_at(word_end) == Some(' ') {
            at = word_end + 1;
        }
        let (word, word_end) = self.word_at(at);
        let lower = word.to_lowercase();
        MEASURES
            .iter()
            .find(|(s, _, case_sensitive)| !case_sensitive && *s == lower && !s.contains(' '))
            .map(|(_, unit, _)| (unit.to_string(), word_end))
    }

    /// The singular noun a bare number counts: "13 countries", "100 humanoid robot companies"
    /// (`company`), "seven European countries". A measure behind modifiers ("517 rushing
    /// yards") is that measure.
    pub(super) fn count_noun(&self, at: usize, numeral: &Numeral) -> Option<(Unit, usize)> {
        let mut cursor = at;
        let mut any_lowercase = false;
        let mut first_adjective = false;
        let mut previous_capitalised = false;
        for i in 0..5 {
            let (word, word_end) = self.compound_word_at(cursor);
            // A model name between the number and the noun: "100,000 Nvidia H100 GPUs".
            let model_end = self.text[cursor..].find(|c: char| !c.is_alphanumeric()).map_or(self.text.len(), |i| cursor + i);
            let model = &self.text[cursor..model_end];
            if i < 3 && model.len() > word.len() && model.starts_with(|c: char| c.is_ascii_uppercase()) && model.contains(|c: char| c.is_ascii_digit()) {
                if self.char_at(model_end) != Some(' ') {
                    break;
                }
                cursor = model_end + 1;
                continue;
            }
            if word.chars().count() < 2 {
                break;
            }
            let lower = word.to_lowercase();
            let capitalised = word.chars().next().is_some_and(|c| c.is_uppercase());
            let all_caps = word.chars().all(|c| !c.is_lowercase());
            // "700 million weekly users": a frequency adjective may narrow the noun counted.
            let frequency = matches!(lower.as_str(), "daily" | "weekly" | "monthly" | "quarterly" | "yearly" | "hourly" | "nightly")
                && self.char_at(word_end) == Some(' ')
                && self.starts_noun_phrase_continuation_within(word_end + 1, 2);
            // "dozens of Kia and Hyundai vehicles": names joined by "and" or "or".
            if i > 0 && previous_capitalised && matches!(lower.as_str(), "and" | "or") && self.char_at(word_end) == Some(' ') {
                let (next, _) = self.word_at(word_end + 1);
                if next.chars().next().is_some_and(|c| c.is_uppercase()) {
                    cursor = word_end + 1;
                    continue;
                }
            }
            let verb_or_preposition = NOT_NOUNS_AFTER_ONE.contains(&lower.as_str()) && !ADJECTIVES_AFTER_ONE.contains(&lower.as_str());
            // A capitalised word is a name even when its lower case is a function word
            // ("300 US shareholders", "49 Next stores").
            let function_word = !capitalised
                && (NOT_COUNT_NOUNS.contains(&lower.as_str()) || VERBS_NOT_NOUNS.contains(&lower.as_str()) || verb_or_preposition || lower.ends_with("ly"));
            if !frequency && function_word {
                break;
            }
            if UNITS_WORDS.iter().any(|(w, _)| *w == lower) || TENS_WORDS.iter().any(|(w, _)| *w == lower) || MONTHS.contains(&lower.as_str()) {
                break;
            }
            // "301 MPs", "5 SUVs": an acronym made plural.
            let acronym = word.strip_suffix('s').filter(|a| a.len() >= 2 && a.chars().all(|c| c.is_ascii_uppercase()));
            if let Some(acronym) = acronym {
                return Some((Unit::Count(acronym.to_lowercase()), word_end));
            }
            if is_plural(&lower) && !all_caps {
                // A capitalised plural right after the number counts people or prizes
                // ("1,307,000 Americans", "2 Oscars"); after a capitalised modifier it is part
                // of a name ("11 Pro Max") unless the phrase has a common word ("eight straight
                // World Cups"). Names before the number ("BMW 3 Series") are caught in `finish`.
                let people_or_prizes = ["ans", "ats", "ars", "ists", "ics", "ims", "ites"].iter().any(|e| lower.ends_with(e));
                let name_in_s = capitalised && !(any_lowercase || (i == 0 && people_or_prizes));
                if name_in_s && i > 0 {
                    break;
                }
                if name_in_s {
                    // "two Texas refineries", "3 Reuters reporters": a name ending in "s"
                    // narrows the noun that follows.
                    if self.char_at(word_end) != Some(' ') {
                        break;
                    }
                    cursor = word_end + 1;
                    continue;
                }
                if let Some((_, unit, _)) = MEASURES.iter().find(|(s, _, _)| *s == lower) {
                    // "2005 model years": a year before a noun phrase stays a year (the caller
                    // turns a counted noun after a year into a date).
                    if !(i > 0 && numeral.year_like) {
                        return Some((Unit::Measure(unit.to_string()), word_end));
                    }
                }
                return Some((Unit::Count(singular(&lower)), word_end));
            }
            // At the second word only after an adjective: "one glorious swoop", not "Pier 1
            // Imports saw".
            let after_adjective = i == 1 && first_adjective;
            if numeral.value == 1.0 && !capitalised && (i == 0 || after_adjective) && could_be_singular_noun(&lower) {
                // "one solution", "1 count": the singular noun itself; in "one glorious moment"
                // the noun is the next word.
                let next_is_space = self.char_at(word_end) == Some(' ');
                let continues = next_is_space
                    && (self.starts_noun_phrase_continuation(word_end + 1) || (i == 0 && self.singular_noun_follows(word_end + 1)));
                if !continues {
                    return Some((Unit::Count(singular(&lower)), word_end));
                }
            }
            if i == 0 {
                first_adjective = !capitalised && is_adjective_after_one(&lower);
            }
            previous_capitalised = capitalised;
            any_lowercase |= !capitalised;
            // Only a space may join the words of a noun phrase.
            if self.char_at(word_end) != Some(' ') {
                break;
            }
            cursor = word_end + 1;
        }
        None
    }

    /// Whether a lowercase plural noun starts one of the next `n` words from `at`
    /// ("active users").
    pub(super) fn starts_noun_phrase_continuation_within(&self, mut at: usize, n: usize) -> bool {
        for _ in 0..n {
            if self.starts_noun_phrase_continuation(at) {
                return true;
            }
            let (word, end) = self.compound_word_at(at);
            if word.is_empty() || !word.chars().all(|c| c.is_lowercase() || c == '-') || self.char_at(end) != Some(' ') {
                return false;
            }
            at = end + 1;
        }
        false
    }

    /// Whether the word at `at` would continue a noun phrase (a lowercase plural or noun).
    pub(super) fn starts_noun_phrase_continuation(&self, at: usize) -> bool {
        let (word, _) = self.compound_word_at(at);
        let lower = word.to_lowercase();
        word.chars().next().is_some_and(|c| c.is_lowercase())
            && is_plural(&lower)
            && !NOT_COUNT_NOUNS.contains(&lower.as_str())
            && !VERBS_NOT_NOUNS.contains(&lower.as_str())
    }

    /// Whether a lowercase content word that could be a singular noun starts at `at`.
    pub(super) fn singular_noun_follows(&self, at: usize) -> bool {
        let (word, _) = self.word_at(at);
        let lower = word.to_lowercase();
        word.len() >= 3
            && word.chars().all(|c| c.is_lowercase())
            && could_be_singular_noun(&lower)
            && !lower.ends_with('s')
            && !lower.ends_with("ly")
            && !lower.ends_with("ed")
            && !lower.ends_with("ing")
            && !NOT_COUNT_NOUNS.contains(&lower.as_str())
            && !VERBS_NOT_NOUNS.contains(&lower.as_str())
            && !MEASURES.iter().any(|(s, _, _)| *s == lower)
    }

    /// A word at `at` with inner hyphens ("first-team"), and its end.
    pub(super) fn compound_word_at(&self, at: usize) -> (&'t str, usize) {
        let (_, mut end) = self.word_at(at);
        if end == at {
            return ("", at);
        }
        while self.text[end..].starts_with('-') {
            let (next, next_end) = self.word_at(end + 1);
            if next.is_empty() {
                break;
            }
            end = next_end;
        }
        (&self.text[at..end], end)
    }

    /// The unit of a figure that follows after "to" or "and" (for "from 1.2 to 30 percent").
    pub(super) fn unit_of_following_figure(&self, end: usize) -> Option<Unit> {
        let at = self.skip_spaces(end);
        let lower = self.text[at..].chars().take(4).collect::<String>().to_ascii_lowercase();
        if !(lower.starts_with("to ") || lower.starts_with("and ")) {
            return None;
        }
        let next = self.skip_spaces(at + if lower.starts_with("to ") { 3 } else { 4 });
        if !self.char_at(next).is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        let (numeral, glued) = self.digits(next, false)?;
        if let Some(g) = glued {
            return Some(if g == "percent" { Unit::Percent } else { Unit::Measure(g.into()) });
        }
        match self.unit_after(numeral.end, &numeral)? {
            (u @ (Unit::Percent | Unit::PercentagePoint | Unit::Measure(_)), _, _) => Some(u),
            _ => None,
        }
    }
}
