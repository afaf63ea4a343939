//! Shared by the benchmarks: the 2,000-word draft both of them check.

use std::path::{Path, PathBuf};

/// A 2,000-word draft made of the paragraphs of the dev drafts, repeated.
pub fn draft(dev: &Path) -> String {
    let mut paragraphs = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dev)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect())
        .unwrap_or_default();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for p in text.split("\n\n") {
            let p = p.trim();
            if !p.is_empty() && !p.starts_with(['-', '#', '|', '`', '<']) {
                paragraphs.push(p.to_string());
            }
        }
    }
    let mut out = Vec::new();
    let mut words = 0;
    'fill: while !paragraphs.is_empty() {
        for p in &paragraphs {
            words += p.split_whitespace().count();
            out.push(p.clone());
            if words >= 2000 {
                break 'fill;
            }
        }
    }
    out.join("\n\n")
}

