//! `copydesk.toml` parsing on arbitrary text: never a panic; an error names the file and a line
//! of the text; a settled configuration has limits in range and warnings naming the file.
//! The file sits in a folder that does not exist, so corpus globs match nothing and walk no disk
//! (an absolute glob is refused at `/` and system folders; elsewhere its walk is bounded).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

const PATH: &str = "/nonexistent-copydesk-fuzz/project/copydesk.toml";

fuzz_target!(|data: &[u8]| {
    let text = fuzz_support::text(data);
    // Absolute globs elsewhere would walk real folders: bounded, but slow for a fuzzer.
    if text.contains("\"/") || text.contains("'/") {
        return;
    }
    match copydesk::config::parse(&text, Path::new(PATH)) {
        Ok(config) => {
            let limits = config.limits();
            assert!(limits.max_files >= 1 && limits.max_file_bytes >= 1, "{limits:?}");
            assert!(config.hedge_tolerance.is_none_or(|t| (0.0..=0.5).contains(&t)));
            for warning in &config.warnings {
                assert!(warning.starts_with(PATH), "{warning}");
            }
            for path in &config.corpus {
                assert!(path.starts_with("/nonexistent-copydesk-fuzz/project"), "{}", path.display());
            }
            let _ = config.selects(Path::new("/nonexistent-copydesk-fuzz/project/drafts/a.md"));
        }
        Err(err) => {
            let message = err.to_string();
            let rest = message.strip_prefix(PATH).and_then(|r| r.strip_prefix(':')).unwrap_or_else(|| panic!("{message}"));
            let line: usize = rest.split(':').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no line: {message}"));
            // Lines as editors count them: a lone CR ends a line too.
            let lines = copydesk::position::LineIndex::new(&text).line_count();
            assert!(line >= 1 && line <= lines.max(1), "line {line} of {lines}: {message}");
        }
    }
});
