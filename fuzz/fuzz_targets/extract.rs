//! Quantity extraction on arbitrary text: every quantity's span and number span lie inside the
//! text, on character boundaries, and quantities come in text order.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    let found = copydesk::claims::figures::extract(&text);
    let mut previous = 0;
    for q in &found {
        fuzz_support::assert_span(&text, q.span, "quantity span");
        fuzz_support::assert_span(&text, q.number_span, "number span");
        assert!(q.span.start >= previous, "quantities out of order: {:?} after {previous}", q.span);
        previous = q.span.start;
    }
});
