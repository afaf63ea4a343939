//! Tolerant `Content-Length` framing: splits a byte stream into message bodies, whatever
//! arrives, and resynchronises on the next header after anything that is not a frame.
//!
//! The protocol crate's own decoder ends its input stream at the first malformed frame, which
//! ended the session; this framer never stops. It is a pure state machine (bytes in with
//! [`Framer::push`], [`Event`]s out with [`Framer::next`]) so that the same events come out
//! however the input is split into reads, and so it can be tested byte by byte.
//!
//! Leniency: header names are case-insensitive, lines may end in LF alone, whitespace may
//! surround the value or precede the colon, and headers other than `Content-Length` are
//! ignored. Anything else that is not a header (the tail of a frame whose `Content-Length` was
//! too short, a stray newline, text) is skipped up to the next `content-length` (in any case)
//! and reported once as [`Event::Skipped`].

use std::fmt;

/// A header line longer than this is not a header.
pub const MAX_HEADER_LINE: usize = 1024;
/// A header block with more lines than this is not a header block.
pub const MAX_HEADER_LINES: usize = 32;
/// Bodies longer than this are skipped without being kept in memory. Four times the largest
/// draft the server checks, so that an escaped `didOpen` of such a draft still fits.
pub const MAX_BODY_BYTES: usize = 4 * crate::check::MAX_DRAFT_BYTES;

const HEADER: &[u8] = b"content-length";
/// Bodies at least this long are handed over without a copy.
const LARGE_BODY: usize = 64 << 10;

/// What the framer found in the stream, in stream order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The body of a complete frame (not yet checked to be JSON).
    Frame(Vec<u8>),
    /// This many bytes were neither a header nor a body; skipped up to the next header.
    Skipped(usize),
    /// A header block that could not frame a message (answered by the caller as a parse error).
    Malformed(FrameError),
    /// The stream ended inside a frame.
    Truncated { got: usize, expected: usize },
}

/// Why a header block could not frame a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// A `Content-Length` whose value is not a decimal byte count (negative, empty, not a number).
    InvalidLength(String),
    /// Two `Content-Length` headers that disagree.
    ConflictingLength(usize, usize),
    /// A header block without `Content-Length`.
    MissingLength,
    /// A line inside a header block that is not a header.
    BadHeaderLine,
    /// More than [`MAX_HEADER_LINES`] lines.
    TooManyHeaders,
    /// A body longer than [`MAX_BODY_BYTES`]; its bytes are skipped.
    TooLarge(usize),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::InvalidLength(value) => {
                write!(f, "Content-Length {value:?} is not a byte count (expected a non-negative decimal number)")
            }
            FrameError::ConflictingLength(a, b) => write!(f, "two Content-Length headers disagree ({a} and {b})"),
            FrameError::MissingLength => write!(f, "a header block without Content-Length"),
            FrameError::BadHeaderLine => write!(f, "a line inside a header block is not a header"),
            FrameError::TooManyHeaders => write!(f, "a header block of more than {MAX_HEADER_LINES} lines"),
            FrameError::TooLarge(n) => {
                write!(f, "a message of {n} bytes is over the limit of {MAX_BODY_BYTES} bytes; its bytes are skipped")
            }
        }
    }
}

impl std::error::Error for FrameError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading a header block; `lines` complete lines (`length` so far) are at `start..start+pos`.
    Header { pos: usize, lines: usize, length: Option<usize> },
    /// Skipping bytes until `content-length`, searching from `start + from`.
    Garbage { from: usize },
    /// Waiting for a body of this many bytes at `start`.
    Body(usize),
    /// Throwing away this many more bytes of an oversized body.
    Discard(usize),
}

/// The framing state machine. Feed it with [`push`](Framer::push), drain [`next`](Framer::next)
/// until it returns `None`, and call [`finish`](Framer::finish) at end of input.
#[derive(Debug)]
pub struct Framer {
    buf: Vec<u8>,
    /// Bytes of `buf` before this are consumed.
    start: usize,
    state: State,
    /// Garbage skipped since the last header, reported on resynchronising or at the end.
    skipped: usize,
}

impl Default for Framer {
    fn default() -> Self {
        Framer { buf: Vec::new(), start: 0, state: State::Header { pos: 0, lines: 0, length: None }, skipped: 0 }
    }
}

/// What one header line is.
enum Line<'a> {
    /// The blank line that ends a header block.
    Blank,
    /// `name: value`, both trimmed.
    Header(&'a [u8], &'a [u8]),
    /// Not a header.
    Bad,
}

/// RFC 9110's `tchar`: what a header name is made of.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn trim(mut bytes: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

/// Whether `bytes` (a line so far, or the name part of a whole line) can begin a header: token
/// characters, then only blanks up to the colon.
fn plausible_name(bytes: &[u8]) -> bool {
    let name_end = bytes.iter().position(|&b| b == b':').unwrap_or(bytes.len());
    let name = &bytes[..name_end];
    let token_end = name.iter().position(|&b| !is_token(b)).unwrap_or(name.len());
    name[token_end..].iter().all(|&b| b == b' ' || b == b'\t')
}

/// Classifies a complete line (without its `\n`).
fn classify(line: &[u8]) -> Line<'_> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.is_empty() {
        return Line::Blank;
    }
    if line.len() > MAX_HEADER_LINE || !plausible_name(line) {
        return Line::Bad;
    }
    // `garbageContent-Length: 5` is the tail of a short frame run into the next header.
    if find_header(&line[1..]).is_some() {
        return Line::Bad;
    }
    let Some(colon) = line.iter().position(|&b| b == b':') else { return Line::Bad };
    let name = trim(&line[..colon]);
    if name.is_empty() {
        return Line::Bad;
    }
    Line::Header(name, trim(&line[colon + 1..]))
}

/// Whether a partial line (no `\n` yet) already cannot be a header line.
fn hopeless(partial: &[u8]) -> bool {
    let content = partial.strip_suffix(b"\r").unwrap_or(partial);
    content.len() > MAX_HEADER_LINE || !plausible_name(content)
}

/// The first `content-length`, in any case, in `bytes`.
fn find_header(bytes: &[u8]) -> Option<usize> {
    bytes.windows(HEADER.len()).position(|w| w.eq_ignore_ascii_case(HEADER))
}

/// A `Content-Length` value: 1 to 20 ASCII digits.
fn parse_length(value: &[u8]) -> Option<usize> {
    if value.is_empty() || value.len() > 20 || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

impl Framer {
    /// Appends bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        // Compact once the consumed prefix is at least half the buffer: amortised linear.
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            // Offsets in the state are relative to `start`, so they stay valid.
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    fn header_state() -> State {
        State::Header { pos: 0, lines: 0, length: None }
    }

    /// Skips garbage up to the next header found at or after `start + from`.
    fn skip_from(&mut self, from: usize) {
        self.state = State::Garbage { from };
    }

    /// The next event, or `None` when more bytes are needed.
    #[allow(clippy::should_implement_trait)] // not an iterator: `None` means "for now"
    pub fn next(&mut self) -> Option<Event> {
        loop {
            match self.state {
                State::Garbage { from } => {
                    let available = self.available();
                    match find_header(&available[from.min(available.len())..]) {
                        Some(at) => {
                            let skip = from + at;
                            self.start += skip;
                            self.skipped += skip;
                            self.state = Self::header_state();
                            if self.skipped > 0 {
                                return Some(Event::Skipped(std::mem::take(&mut self.skipped)));
                            }
                        }
                        None => {
                            // Keep what could be the beginning of a split `content-length`.
                            let len = available.len();
                            let skip = from.min(len).max(len.saturating_sub(HEADER.len() - 1));
                            self.start += skip;
                            self.skipped += skip;
                            self.state = State::Garbage { from: from.saturating_sub(skip) };
                            return None;
                        }
                    }
                }
                State::Header { pos, lines, length } => {
                    let available = &self.buf[self.start..];
                    let rest = &available[pos..];
                    let Some(newline) = rest.iter().position(|&b| b == b'\n') else {
                        if !hopeless(rest) {
                            return None;
                        }
                        // The line so far can never become a header.
                        return self.bad_line(pos, lines);
                    };
                    let line = &rest[..newline];
                    let next_pos = pos + newline + 1;
                    match classify(line) {
                        Line::Bad => return self.bad_line(pos, lines),
                        Line::Blank if lines == 0 => {
                            // A stray newline between frames.
                            self.skip_from(next_pos);
                        }
                        Line::Blank => {
                            self.start += next_pos;
                            let Some(length) = length else {
                                self.skip_from(0);
                                return Some(Event::Malformed(FrameError::MissingLength));
                            };
                            if length > MAX_BODY_BYTES {
                                self.state = State::Discard(length);
                                return Some(Event::Malformed(FrameError::TooLarge(length)));
                            }
                            self.state = State::Body(length);
                            let missing = length.saturating_sub(self.buf.len() - self.start);
                            self.buf.reserve(missing);
                        }
                        Line::Header(name, value) => {
                            if lines + 1 > MAX_HEADER_LINES {
                                self.start += pos;
                                self.skip_from(1);
                                return Some(Event::Malformed(FrameError::TooManyHeaders));
                            }
                            let mut length = length;
                            if name.eq_ignore_ascii_case(HEADER) {
                                let Some(value_length) = parse_length(value) else {
                                    let value = String::from_utf8_lossy(value).into_owned();
                                    self.start += pos;
                                    self.skip_from(1);
                                    return Some(Event::Malformed(FrameError::InvalidLength(value)));
                                };
                                match length {
                                    Some(known) if known != value_length => {
                                        self.start += pos;
                                        self.skip_from(1);
                                        return Some(Event::Malformed(FrameError::ConflictingLength(known, value_length)));
                                    }
                                    _ => length = Some(value_length),
                                }
                            }
                            self.state = State::Header { pos: next_pos, lines: lines + 1, length };
                        }
                    }
                }
                State::Body(length) => {
                    if self.buf.len() - self.start < length {
                        return None;
                    }
                    self.state = Self::header_state();
                    if length < LARGE_BODY {
                        let body = self.buf[self.start..self.start + length].to_vec();
                        self.start += length;
                        return Some(Event::Frame(body));
                    }
                    // Hand over the buffer itself, so a large body is never copied; what
                    // follows it moves to a new buffer.
                    if self.start > 0 {
                        self.buf.drain(..self.start);
                        self.start = 0;
                    }
                    let rest = self.buf.split_off(length);
                    let body = std::mem::replace(&mut self.buf, rest);
                    return Some(Event::Frame(body));
                }
                State::Discard(left) => {
                    let here = (self.buf.len() - self.start).min(left);
                    self.start += here;
                    if here < left {
                        self.state = State::Discard(left - here);
                        return None;
                    }
                    self.state = Self::header_state();
                }
            }
        }
    }

    /// A line at `start + pos` that is not a header: the block so far (if any) is malformed and
    /// everything from the line on is skipped up to the next header.
    fn bad_line(&mut self, pos: usize, lines: usize) -> Option<Event> {
        self.start += pos;
        self.skip_from(1);
        if lines == 0 {
            // Not inside a header block: plain garbage, reported when resynchronised.
            return self.next();
        }
        // The line's text is not part of the error: how much of it has arrived depends on
        // how the input was split into reads.
        Some(Event::Malformed(FrameError::BadHeaderLine))
    }

    /// Bytes that bring the stream to where a new frame can start: the rest of the body being
    /// read or skipped (as spaces), or the blank line that ends a header block. Empty when a
    /// frame can start now; `None` when more than `limit` bytes are needed (a declared length
    /// may be anything up to `usize::MAX`, so the filler is never built before it is measured).
    /// For tests and fuzzing: what a client must send before a frame that is sure to be read.
    pub fn filler(&self, limit: usize) -> Option<Vec<u8>> {
        let available = self.buf.len() - self.start;
        let spaces = match self.state {
            State::Body(length) => length.saturating_sub(available),
            State::Discard(left) => left,
            State::Header { lines, .. } if lines > 0 => return Some(b"\r\n".to_vec()),
            State::Header { .. } | State::Garbage { .. } => 0,
        };
        (spaces <= limit).then(|| vec![b' '; spaces])
    }

    /// The events left at end of input: skipped garbage, or a frame cut short.
    pub fn finish(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(event) = self.next() {
            events.push(event);
        }
        let left = self.buf.len() - self.start;
        match self.state {
            State::Garbage { .. } => self.skipped += left,
            State::Header { .. } if left > 0 => {
                // An unfinished header block: its bytes are garbage now.
                self.skipped += left;
            }
            State::Body(expected) => events.push(Event::Truncated { got: left, expected }),
            State::Discard(_) | State::Header { .. } => {}
        }
        if self.skipped > 0 {
            events.push(Event::Skipped(std::mem::take(&mut self.skipped)));
        }
        self.start = self.buf.len();
        self.state = Self::header_state();
        events
    }
}

#[cfg(test)]
mod tests;
