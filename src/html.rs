//! HTML sources: the visible text, in place.
//!
//! Tags, comments, scripts and styles are blanked; block-level tags become line breaks; common
//! entities are decoded in place (the character written at the entity's start, the rest of the
//! entity blanked) so that every offset still points into the original file.

use crate::prose::blank;

const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];
const BLOCKS: &[&str] = &[
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
    "table", "section", "article", "header", "footer", "blockquote", "title", "figcaption",
    "figure", "aside", "nav", "main", "hr", "pre", "dd", "dt", "body", "html",
];

pub fn mask(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let lower = text.to_ascii_lowercase();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                if lower[i..].starts_with("<!--") {
                    let end = lower[i + 4..].find("-->").map_or(bytes.len(), |e| i + 4 + e + 3);
                    blank(&mut out, i, end);
                    i = end;
                    continue;
                }
                let Some(close) = lower[i..].find('>').map(|e| i + e + 1) else {
                    blank(&mut out, i, bytes.len());
                    break;
                };
                let name: String = lower[i + 1..close]
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                let is_closing = lower[i + 1..].starts_with('/');
                blank(&mut out, i, close);
                if BLOCKS.contains(&name.as_str()) {
                    out[i] = b'\n';
                }
                if !is_closing && HIDDEN.contains(&name.as_str()) {
                    let end_tag = format!("</{name}");
                    let end = lower[close..].find(&end_tag).map_or(bytes.len(), |e| close + e);
                    blank(&mut out, close, end);
                    i = end;
                    continue;
                }
                i = close;
            }
            b'&' => {
                let Some(semi) = lower[i..].char_indices().take(12).find(|(_, c)| *c == ';').map(|(e, _)| i + e) else {
                    i += 1;
                    continue;
                };
                if let Some(ch) = decode_entity(&text[i + 1..semi]) {
                    let mut buf = [0u8; 4];
                    let encoded = ch.encode_utf8(&mut buf).as_bytes();
                    if encoded.len() <= semi + 1 - i {
                        blank(&mut out, i, semi + 1);
                        out[i..i + encoded.len()].copy_from_slice(encoded);
                    }
                }
                i = semi + 1;
            }
            _ => i += 1,
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_scripts_and_comments_are_blanked_in_place() {
        let text = "<html><head><title>T</title></head><body><p>Revenue rose 30&#37; to &pound;5m.</p><script>var x = 45;</script><!-- 99 --></body></html>";
        let masked = mask(text);
        assert_eq!(masked.len(), text.len());
        assert!(masked.contains("Revenue rose 30%"));
        assert!(masked.contains("£"));
        assert!(!masked.contains("45"));
        assert!(!masked.contains("99"));
        assert!(!masked.contains('T'));
    }
}
