//! Reading the user's own files: drafts, `extract` inputs, project and baseline files.
//!
//! Two concerns live here because every reader needs both:
//! - **Bounded reads.** A file's size is checked from its metadata before a byte is read, and
//!   every read (standard input included) stops one byte past the limit, so a 3 GB file or an
//!   endless stream costs at most the limit in memory. Only regular files are opened: a FIFO
//!   with no writer would block `open` forever and a device such as `/dev/zero` never ends, so
//!   both are refused by type before opening (their contents can still come in on standard
//!   input, which is read with the same limit).
//! - **Draft encodings.** UTF-8 (a BOM is dropped) and UTF-16 with a byte-order mark are read
//!   exactly; anything else — UTF-32, UTF-16 without a BOM, binary data, invalid UTF-8 or
//!   UTF-16 — is refused with a message saying what the bytes look like and where they go
//!   wrong, rather than checked as garbage.

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

/// Why a file or stream could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a regular file: reading it could block forever or never end.
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    /// Over the size limit; `size` is known for files, not for streams.
    #[error("{} the {} {what} size limit; is this a {what}?", over(*.size), megabytes(*.limit))]
    TooLarge { size: Option<u64>, limit: u64, what: &'static str },
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl From<ReadError> for io::Error {
    fn from(err: ReadError) -> io::Error {
        match err {
            ReadError::Io(err) => err,
            ReadError::NotRegular(_) => io::Error::new(io::ErrorKind::InvalidInput, err),
            ReadError::TooLarge { .. } => io::Error::new(io::ErrorKind::FileTooLarge, err),
        }
    }
}

fn over(size: Option<u64>) -> String {
    match size {
        Some(size) => format!("{} is over", megabytes(size)),
        None => "more than".to_string(),
    }
}

/// Whole MB when that is exact enough, else up to three decimals (a limit below 1 MB must not
/// read as "0 MB").
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 10.0 {
        format!("{} MB", mb.floor())
    } else {
        format!("{} MB", (mb * 1000.0).round() / 1000.0)
    }
}

/// What kind of file a non-regular file is, for messages.
fn kind(file_type: std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// The contents of the regular file at `path`, refused without reading when it is larger than
/// `limit` bytes or is not a regular file. `what` names the kind of file in the size message
/// ("draft", "project file").
pub fn read_file(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    // Checked before opening: opening a FIFO blocks until a writer appears.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { size: Some(meta.len()), limit, what });
    }
    let file = std::fs::File::open(path)?;
    // The path may have been replaced between the two looks; trust only the opened file.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(meta.file_type())));
    }
    read_stream(file, limit, what, meta.len())
}

/// Everything `reader` yields, stopping one byte past `limit` (a file that grew while being
/// read, standard input) with `TooLarge`. `hint` sizes the buffer.
pub fn read_stream(reader: impl Read, limit: u64, what: &'static str, hint: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(hint.min(limit) as usize);
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit, what });
    }
    Ok(bytes)
}

/// An encoding a file's bytes were recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16 (little-endian)",
            Encoding::Utf16Be => "UTF-16 (big-endian)",
            Encoding::Utf32Le => "UTF-32 (little-endian)",
            Encoding::Utf32Be => "UTF-32 (big-endian)",
        })
    }
}

/// The encoding a byte-order mark at the start of `bytes` declares, and the mark's length.
/// The UTF-32 little-endian mark begins with the UTF-16 one, so it is tested first.
pub fn byte_order_mark(bytes: &[u8]) -> Option<(Encoding, usize)> {
    const MARKS: [(&[u8], Encoding); 5] = [
        (&[0xFF, 0xFE, 0x00, 0x00], Encoding::Utf32Le),
        (&[0x00, 0x00, 0xFE, 0xFF], Encoding::Utf32Be),
        (&[0xEF, 0xBB, 0xBF], Encoding::Utf8),
        (&[0xFF, 0xFE], Encoding::Utf16Le),
        (&[0xFE, 0xFF], Encoding::Utf16Be),
    ];
    MARKS.iter().find(|(mark, _)| bytes.starts_with(mark)).map(|(mark, encoding)| (*encoding, mark.len()))
}

/// How many leading bytes are looked at to tell text from binary data.
const SNIFF: usize = 8192;

/// What text without a byte-order mark but with NUL bytes most likely is: UTF-32 when every
/// four-byte unit is a character that is not a control (tabs and line ends aside; arrays of
/// small integers are binary data), UTF-16 when most characters are a NUL beside a printable
/// byte in the same half (Latin text), else none (binary data).
fn unmarked_wide_encoding(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF)];
    let units32 = sample.len() / 4;
    if units32 > 0 {
        let code_points = |big: bool| {
            sample.chunks_exact(4).all(|c| {
                let value = if big { u32::from_be_bytes([c[0], c[1], c[2], c[3]]) } else { u32::from_le_bytes([c[0], c[1], c[2], c[3]]) };
                char::from_u32(value).is_some_and(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            })
        };
        if code_points(false) {
            return Some(Encoding::Utf32Le);
        }
        if code_points(true) {
            return Some(Encoding::Utf32Be);
        }
    }
    let units16 = sample.len() / 2;
    // Too few units to tell text from data.
    if units16 >= 4 {
        // Text in a Latin script puts a NUL beside a printable byte in nearly every unit;
        // binary data spreads its NULs and control bytes.
        let printable = |b: u8| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r');
        let nul_at = |half: usize| sample.chunks_exact(2).filter(|c| c[half] == 0 && printable(c[1 - half])).count();
        if nul_at(1) * 10 >= units16 * 7 {
            return Some(Encoding::Utf16Le);
        }
        if nul_at(0) * 10 >= units16 * 7 {
            return Some(Encoding::Utf16Be);
        }
    }
    None
}

/// Why a draft's bytes are not text copydesk reads. Lines and columns are 1-based; columns
/// count UTF-16 code units, as every position copydesk prints does (see `crate::position`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("{0} by its byte-order mark; copydesk reads UTF-8 and UTF-16 drafts: save it as UTF-8")]
    Unsupported(Encoding),
    #[error("looks like {0} without a byte-order mark; save it as UTF-8")]
    Unmarked(Encoding),
    #[error("binary file (contains NUL bytes); drafts must be text")]
    Binary,
    #[error("line {line}, column {column}: not valid UTF-8; save the draft as UTF-8")]
    InvalidUtf8 { line: usize, column: usize },
    #[error("{encoding} with an odd number of bytes; the file is cut short or not {encoding}")]
    OddLength { encoding: Encoding },
    #[error("line {line}, column {column}: not valid {encoding} (an unpaired surrogate); save the draft as UTF-8")]
    InvalidUtf16 { encoding: Encoding, line: usize, column: usize },
}

/// The text of a draft file: UTF-8 (BOM dropped) or UTF-16 with a BOM, decoded exactly.
pub fn decode_draft(bytes: Vec<u8>) -> Result<String, DecodeError> {
    match byte_order_mark(&bytes) {
        Some((encoding @ (Encoding::Utf32Le | Encoding::Utf32Be), _)) => Err(DecodeError::Unsupported(encoding)),
        Some((encoding @ (Encoding::Utf16Le | Encoding::Utf16Be), mark)) => decode_utf16(&bytes[mark..], encoding),
        Some((Encoding::Utf8, mark)) => decode_utf8(bytes, mark),
        None => decode_utf8(bytes, 0),
    }
}

fn decode_utf8(mut bytes: Vec<u8>, mark: usize) -> Result<String, DecodeError> {
    bytes.drain(..mark);
    if bytes[..bytes.len().min(SNIFF)].contains(&0) {
        return Err(unmarked_wide_encoding(&bytes).map_or(DecodeError::Binary, DecodeError::Unmarked));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let line_start = bytes[..valid].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
        let before = std::str::from_utf8(&bytes[line_start..valid]).expect("valid up to here");
        DecodeError::InvalidUtf8 { line: line_number(&bytes[..valid]), column: utf16_len(before) + 1 }
    })
}

fn decode_utf16(bytes: &[u8], encoding: Encoding) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::OddLength { encoding });
    }
    let big = encoding == Encoding::Utf16Be;
    let units = bytes.chunks_exact(2).map(|c| if big { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) });
    let mut text = String::with_capacity(bytes.len());
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(ch) => text.push(ch),
            Err(_) => {
                let line_start = text.rfind(['\n', '\r']).map_or(0, |i| i + 1);
                return Err(DecodeError::InvalidUtf16 {
                    encoding,
                    line: line_number(text.as_bytes()),
                    column: utf16_len(&text[line_start..]) + 1,
                });
            }
        }
    }
    if text.as_bytes()[..text.len().min(SNIFF)].contains(&0) {
        return Err(DecodeError::Binary);
    }
    Ok(text)
}

/// The 1-based line that the byte after `before` is on (`\n`, `\r\n` and a lone `\r` end lines).
fn line_number(before: &[u8]) -> usize {
    let mut line = 1;
    let mut i = 0;
    while i < before.len() {
        match before[i] {
            b'\n' => line += 1,
            b'\r' if before.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big: bool) -> Vec<u8> {
        text.encode_utf16().flat_map(|u| if big { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    }

    fn utf32(text: &str, big: bool) -> Vec<u8> {
        text.chars().flat_map(|c| if big { (c as u32).to_be_bytes() } else { (c as u32).to_le_bytes() }).collect()
    }

    const TEXT: &str = "Micron will pay NT$1.8 billion 😀 for the fab.\nLine two.\n";

    #[test]
    fn utf8_and_marked_utf16_decode_exactly() {
        assert_eq!(decode_draft(TEXT.as_bytes().to_vec()).unwrap(), TEXT);
        // Three-byte characters across the end of the binary-data sniff.
        let wide = "阿".repeat(5000);
        assert_eq!(decode_draft([vec![0xFF, 0xFE], utf16(&wide, false)].concat()).unwrap(), wide);
        assert_eq!(decode_draft([b"\xEF\xBB\xBF".as_slice(), TEXT.as_bytes()].concat()).unwrap(), TEXT);
        assert_eq!(decode_draft([vec![0xFF, 0xFE], utf16(TEXT, false)].concat()).unwrap(), TEXT);
        assert_eq!(decode_draft([vec![0xFE, 0xFF], utf16(TEXT, true)].concat()).unwrap(), TEXT);
    }

    #[test]
    fn utf32_is_refused_with_or_without_a_mark() {
        let le = [vec![0xFF, 0xFE, 0, 0], utf32(TEXT, false)].concat();
        assert_eq!(decode_draft(le), Err(DecodeError::Unsupported(Encoding::Utf32Le)));
        let be = [vec![0, 0, 0xFE, 0xFF], utf32(TEXT, true)].concat();
        assert_eq!(decode_draft(be), Err(DecodeError::Unsupported(Encoding::Utf32Be)));
        assert_eq!(decode_draft(utf32(TEXT, false)), Err(DecodeError::Unmarked(Encoding::Utf32Le)));
        assert_eq!(decode_draft(utf32(TEXT, true)), Err(DecodeError::Unmarked(Encoding::Utf32Be)));
        let message = DecodeError::Unsupported(Encoding::Utf32Le).to_string();
        assert!(message.contains("UTF-32 (little-endian)") && message.contains("save it as UTF-8"), "{message}");
    }

    #[test]
    fn unmarked_utf16_and_binary_data_are_told_apart() {
        assert_eq!(decode_draft(utf16(TEXT, false)), Err(DecodeError::Unmarked(Encoding::Utf16Le)));
        assert_eq!(decode_draft(utf16(TEXT, true)), Err(DecodeError::Unmarked(Encoding::Utf16Be)));
        assert_eq!(decode_draft(vec![0, 159, 146, 150, 0, 1]), Err(DecodeError::Binary));
        assert_eq!(decode_draft(vec![0, 1, 2]), Err(DecodeError::Binary));
        let integers: Vec<u8> = (1..100u32).flat_map(u32::to_le_bytes).collect();
        assert_eq!(decode_draft(integers), Err(DecodeError::Binary));
        let image: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        assert_eq!(decode_draft(image), Err(DecodeError::Binary));
        // A UTF-16 mark followed by binary data is not text either.
        assert_eq!(decode_draft(vec![0xFF, 0xFE, 0x41, 0, 0, 0, 0x42, 0]), Err(DecodeError::Binary));
    }

    #[test]
    fn broken_utf16_and_utf8_say_where() {
        let odd = [vec![0xFF, 0xFE], utf16("ab", false), vec![0x41]].concat();
        assert_eq!(decode_draft(odd), Err(DecodeError::OddLength { encoding: Encoding::Utf16Le }));
        // An unpaired high surrogate after "😀x" on line 2: column 4 in UTF-16 units.
        let lone = [vec![0xFF, 0xFE], utf16("one\r\n😀x", false), vec![0x00, 0xD8, 0x41, 0x00]].concat();
        assert_eq!(decode_draft(lone), Err(DecodeError::InvalidUtf16 { encoding: Encoding::Utf16Le, line: 2, column: 4 }));
        assert_eq!(decode_draft(b"ok\n\xF0\x9F\x98\x80 Caf\xe9".to_vec()), Err(DecodeError::InvalidUtf8 { line: 2, column: 7 }));
        assert_eq!(decode_draft(b"a\rb\xff".to_vec()), Err(DecodeError::InvalidUtf8 { line: 2, column: 2 }));
    }

    #[test]
    fn streams_stop_one_byte_past_the_limit() {
        let endless = io::repeat(b'a');
        match read_stream(endless, 1000, "draft", 0) {
            Err(ReadError::TooLarge { size: None, limit: 1000, .. }) => {}
            other => panic!("{other:?}"),
        }
        assert_eq!(read_stream(&b"abc"[..], 3, "draft", 3).unwrap(), b"abc");
        let message = ReadError::TooLarge { size: None, limit: 16_000_000, what: "draft" }.to_string();
        assert_eq!(message, "more than the 16 MB draft size limit; is this a draft?");
        let message = ReadError::TooLarge { size: Some(17_000_000), limit: 16_000_000, what: "draft" }.to_string();
        assert_eq!(message, "17 MB is over the 16 MB draft size limit; is this a draft?");
    }

    #[test]
    fn files_are_sized_before_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sparse.md");
        // A sparse 4 GB file: refused from its metadata, so the test uses no memory to speak of.
        std::fs::File::create(&path).unwrap().set_len(4_000_000_000).unwrap();
        match read_file(&path, 16_000_000, "draft") {
            Err(ReadError::TooLarge { size: Some(4_000_000_000), .. }) => {}
            other => panic!("{:?}", other.map(|b| b.len())),
        }
        match read_file(dir.path(), 16_000_000, "draft") {
            Err(ReadError::NotRegular("a directory")) => {}
            other => panic!("{:?}", other.map(|b| b.len())),
        }
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_refused_without_opening() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        // Opening this FIFO would block forever: nothing writes to it.
        match read_file(&fifo, 16_000_000, "draft") {
            Err(ReadError::NotRegular("a FIFO")) => {}
            other => panic!("{:?}", other.map(|b| b.len())),
        }
        match read_file(Path::new("/dev/zero"), 16_000_000, "draft") {
            Err(ReadError::NotRegular("a character device")) => {}
            other => panic!("{:?}", other.map(|b| b.len())),
        }
    }
}
