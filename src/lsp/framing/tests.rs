//! The framer byte by byte: each kind of malformed input, recovery to the next valid frame,
//! and the same events however the input is split into reads.

use super::*;

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

const NEXT: &[u8] = br#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover"}"#;

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// The events of `input` pushed in pieces ending at `cuts`, then `finish`.
fn run(input: &[u8], cuts: &[usize]) -> Vec<Event> {
    let mut framer = Framer::default();
    let mut events = Vec::new();
    let mut from = 0;
    for &cut in cuts.iter().chain([input.len()].iter()) {
        framer.push(&input[from..cut]);
        from = cut;
        while let Some(event) = framer.next() {
            events.push(event);
        }
    }
    events.extend(framer.finish());
    events
}

/// Asserts the events of `input` read whole, a byte at a time, and split at every byte.
fn check(name: &str, input: &[u8], expected: &[Event]) {
    assert_eq!(run(input, &[]), expected, "{name}: read whole");
    let bytes: Vec<usize> = (1..input.len()).collect();
    assert_eq!(run(input, &bytes), expected, "{name}: read a byte at a time");
    for cut in 1..input.len() {
        assert_eq!(run(input, &[cut]), expected, "{name}: split at byte {cut}");
    }
}

fn body(bytes: &[u8]) -> Event {
    Event::Frame(bytes.to_vec())
}

#[test]
fn well_formed_and_lenient_headers_frame_their_bodies() {
    let cases: &[(&str, &[u8])] = &[
        ("canonical", b"Content-Length: 2\r\n\r\n{}"),
        ("lower-case name", b"content-length: 2\r\n\r\n{}"),
        ("upper-case name", b"CONTENT-LENGTH: 2\r\n\r\n{}"),
        ("LF-only lines", b"Content-Length: 2\n\n{}"),
        ("mixed line ends", b"Content-Length: 2\r\n\n{}"),
        ("no space, trailing blanks", b"Content-Length:2 \t\r\n\r\n{}"),
        ("blank before the colon", b"Content-Length : 2\r\n\r\n{}"),
        ("Content-Type first", b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}"),
        ("Content-Type after", b"Content-Length: 2\r\ncontent-type: application/json\r\n\r\n{}"),
        ("same length twice", b"Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"),
        ("leading zeros", b"Content-Length: 0002\r\n\r\n{}"),
    ];
    for (name, input) in cases {
        check(name, input, &[body(b"{}")]);
    }
    check("empty body", b"Content-Length: 0\r\n\r\n", &[body(b"")]);
    check("invalid UTF-8 body is the caller's business", &frame(b"\xff\xfe{}"), &[body(b"\xff\xfe{}")]);
    check("header text inside a body", &frame(b"\"Content-Length: 5\r\n\r\n\""), &[body(b"\"Content-Length: 5\r\n\r\n\"")]);
    check("two frames", &cat(&[&frame(b"{}"), &frame(NEXT)]), &[body(b"{}"), body(NEXT)]);
}

#[test]
fn malformed_frames_are_reported_and_the_next_frame_is_read() {
    let next = frame(NEXT);
    let skipped = |bad: &[u8], from: &[u8]| Event::Skipped(bad.len() - bad.windows(from.len()).position(|w| w == from).unwrap());
    let cases: Vec<(&str, Vec<u8>, Vec<Event>)> = {
        let mut cases = Vec::new();
        for (name, bad, error) in [
            ("negative length", &b"Content-Length: -1\r\n\r\n{}"[..], FrameError::InvalidLength("-1".into())),
            ("length not a number", b"Content-Length: abc\r\n\r\n{}", FrameError::InvalidLength("abc".into())),
            ("empty length", b"Content-Length:\r\n\r\n{}", FrameError::InvalidLength("".into())),
            ("plus sign", b"Content-Length: +2\r\n\r\n{}", FrameError::InvalidLength("+2".into())),
            ("length beyond u64", b"Content-Length: 99999999999999999999999\r\n\r\n{}", FrameError::InvalidLength("99999999999999999999999".into())),
        ] {
            cases.push((name, cat(&[bad, &next]), vec![Event::Malformed(error), Event::Skipped(bad.len()), body(NEXT)]));
        }
        let bad = b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}";
        cases.push((
            "conflicting lengths",
            cat(&[bad, &next]),
            vec![Event::Malformed(FrameError::ConflictingLength(2, 3)), skipped(bad, b"Content-Length: 3"), body(NEXT)],
        ));
        let bad = b"Content-Type: text/plain\r\n\r\n{}";
        cases.push(("no length", cat(&[bad, &next]), vec![Event::Malformed(FrameError::MissingLength), Event::Skipped(2), body(NEXT)]));
        let bad = b"Content-Length: 2\r\n{}\r\n\r\n";
        cases.push((
            "body where a header belongs",
            cat(&[bad, &next]),
            vec![Event::Malformed(FrameError::BadHeaderLine), skipped(bad, b"{}"), body(NEXT)],
        ));
        let short = br#"Content-Length: 1\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let short = String::from_utf8_lossy(short).replace("\\r\\n", "\r\n").into_bytes();
        cases.push(("length too short", cat(&[&short, &next]), vec![body(b"{"), Event::Skipped(short.len() - 22), body(NEXT)]));
        cases.push(("garbage", cat(&[b"hello", &next]), vec![Event::Skipped(5), body(NEXT)]));
        cases.push(("garbage line", cat(&[b"hello world\r\n", &next]), vec![Event::Skipped(13), body(NEXT)]));
        cases.push(("garbage with a colon", cat(&[b"a:", &next]), vec![Event::Skipped(2), body(NEXT)]));
        cases.push(("token garbage", cat(&[b"abc", &next]), vec![Event::Skipped(3), body(NEXT)]));
        cases.push(("stray newline between frames", cat(&[&frame(b"{}"), b"\r\n", &next]), vec![body(b"{}"), Event::Skipped(2), body(NEXT)]));
        cases.push(("text of a header name", cat(&[b"content-lengthx", &next]), vec![Event::Skipped(15), body(NEXT)]));
        let long = cat(&[b"X-Long: ", &vec![b'a'; MAX_HEADER_LINE], b"\r\n"]);
        cases.push(("header line too long", cat(&[&long, &next]), vec![Event::Skipped(long.len()), body(NEXT)]));
        let many = b"X-A: b\r\n".repeat(MAX_HEADER_LINES + 1);
        cases.push((
            "too many header lines",
            cat(&[&many, &next]),
            vec![Event::Malformed(FrameError::TooManyHeaders), Event::Skipped(8), body(NEXT)],
        ));
        // A length too long swallows the start of the next frame: that frame is lost, the one
        // after it is read.
        cases.push((
            "length too long",
            cat(&[b"Content-Length: 10\r\n\r\n{}", &frame(b"{}"), &next]),
            vec![body(b"{}Content-"), Event::Malformed(FrameError::MissingLength), Event::Skipped(2), body(NEXT)],
        ));
        cases.push(("frame cut short at the end", b"Content-Length: 10\r\n\r\n{}".to_vec(), vec![Event::Truncated { got: 2, expected: 10 }]));
        cases.push(("header cut short at the end", b"Content-Len".to_vec(), vec![Event::Skipped(11)]));
        cases.push(("only garbage", b"\x00\xff garbage {".to_vec(), vec![Event::Skipped(12)]));
        cases
    };
    for (name, input, expected) in &cases {
        check(name, input, expected);
    }
}

#[test]
fn an_oversized_body_is_skipped_without_being_kept() {
    let length = MAX_BODY_BYTES + 1;
    let mut framer = Framer::default();
    framer.push(format!("Content-Length: {length}\r\n\r\n").as_bytes());
    assert_eq!(framer.next(), Some(Event::Malformed(FrameError::TooLarge(length))));
    let chunk = vec![b'x'; 1 << 20];
    let mut left = length;
    while left > 0 {
        let n = left.min(chunk.len());
        framer.push(&chunk[..n]);
        left -= n;
        assert_eq!(framer.next(), None);
        assert!(framer.buf.capacity() <= 4 << 20, "the skipped body is not buffered");
    }
    framer.push(&frame(NEXT));
    assert_eq!(framer.next(), Some(body(NEXT)));
    assert_eq!(framer.finish(), vec![]);
}

/// Regression (fuzz, lsp_bytes): a frame declaring a length of petabytes left the filler
/// allocating all of it before anyone could measure it.
#[test]
fn the_filler_for_an_absurd_length_is_measured_before_it_is_built() {
    let mut framer = Framer::default();
    framer.push(b"Content-Length: 2222222222222159\r\n\r\n{");
    while framer.next().is_some() {}
    assert_eq!(framer.filler(1 << 20), None);
    let mut framer = Framer::default();
    framer.push(b"Content-Length: 5\r\n\r\n{");
    assert_eq!(framer.next(), None);
    assert_eq!(framer.filler(4), Some(b"    ".to_vec()));
    assert_eq!(framer.filler(3), None);
}

#[test]
fn a_large_body_is_handed_over_whole_in_any_pieces() {
    let large: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let input = cat(&[&frame(&large), &frame(NEXT), b"x"]);
    for piece in [1 << 16, 4093, 65_537, input.len()] {
        let cuts: Vec<usize> = (piece..input.len()).step_by(piece).collect();
        assert_eq!(run(&input, &cuts), vec![body(&large), body(NEXT), Event::Skipped(1)], "pieces of {piece}");
    }
}

proptest::proptest! {
    /// Any input gives the same events however it is split, and never panics.
    #[test]
    fn events_do_not_depend_on_how_reads_split_the_input(
        input in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just(b"Content-Length: 2\r\n\r\n{}".to_vec()),
            proptest::strategy::Just(b"content-length:".to_vec()),
            proptest::strategy::Just(b"\r\n".to_vec()),
            proptest::collection::vec(proptest::num::u8::ANY, 0..12),
        ], 0..12),
        cuts in proptest::collection::vec(0usize..200, 0..6),
    ) {
        let input = input.concat();
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(input.len())).collect();
        cuts.sort();
        proptest::prop_assert_eq!(run(&input, &cuts), run(&input, &[]));
    }

    /// Whatever came before, the filler then a frame gets that frame read.
    #[test]
    fn after_the_filler_a_frame_is_read(input in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just(b"Content-Length: 5\r\n".to_vec()),
            proptest::strategy::Just(b"\r\n".to_vec()),
            proptest::strategy::Just(b"X-A: b".to_vec()),
            proptest::collection::vec(proptest::num::u8::ANY, 0..12),
        ], 0..8)) {
        let mut framer = Framer::default();
        framer.push(&input.concat());
        while framer.next().is_some() {}
        for _ in 0..4 {
            let filler = framer.filler(usize::MAX).expect("no limit");
            framer.push(&filler);
            while framer.next().is_some() {}
        }
        proptest::prop_assert_eq!(framer.filler(0), Some(Vec::new()));
        framer.push(&frame(NEXT));
        let mut events = Vec::new();
        while let Some(event) = framer.next() {
            events.push(event);
        }
        proptest::prop_assert_eq!(events.last(), Some(&body(NEXT)), "{:?}", events);
    }

    /// Garbage on one line (anything without a newline or a `content-length`) never costs the
    /// frame that follows it.
    #[test]
    fn the_frame_after_garbage_is_read(garbage in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
        proptest::prop_assume!(!garbage.contains(&b'\n') && find_header(&garbage).is_none());
        let events = run(&cat(&[&garbage, &frame(NEXT)]), &[]);
        proptest::prop_assert_eq!(events.last(), Some(&body(NEXT)), "{:?}", events);
    }
}
