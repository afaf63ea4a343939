//! Helpers shared by the fuzz targets: turning fuzz bytes into text, and the span invariants
//! every target asserts (inside the text, ordered, on character boundaries).

use copydesk::position::Span;

/// The fuzz input as text: valid UTF-8 as is, anything else decoded lossily (so every input
/// reaches the code under test instead of being thrown away).
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Panics unless `span` lies inside `text`, starts before it ends, and both ends fall on
/// character boundaries. `what` names the span in the message.
pub fn assert_span(text: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what} {span:?} ends before it starts");
    assert!(span.end <= text.len(), "{what} {span:?} is outside the text ({} bytes)", text.len());
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} splits a character"
    );
}

/// Panics unless `inner` lies within `outer`.
pub fn assert_within(inner: Span, outer: Span, what: &str) {
    assert!(outer.start <= inner.start && inner.end <= outer.end, "{what} {inner:?} is outside {outer:?}");
}
