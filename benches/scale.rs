//! Scale benchmark: whole-process lint time of hostile sizes, which must grow linearly.
//!
//! `cargo bench --bench scale` writes two drafts into a temporary folder and lints each with
//! the release binary (`copydesk lint --no-config --no-index --format concise`, the built-in
//! corpus), three times, reporting the best and the median wall time and the best CPU time:
//! - a 15 MB draft: the body of `tests/fixtures/sample.md` repeated (1.5, 6 and 15 MB, to show
//!   the growth);
//! - one sentence of 10,000 quotations (`"term0 phrase", "term1 phrase", ...`, 190 KB).
//!
//! With `--check` it exits non-zero when a target is missed: the 15 MB draft under 3 s and the
//! 10,000 quotations under 1 s (best of three, as a shared machine's load only adds time).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// (best wall, median wall, best CPU) in seconds of three runs of `copydesk lint` on `draft`.
fn lint_times(draft: &Path) -> (f64, f64, f64) {
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..3 {
        let before = children_cpu();
        let start = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .args(["lint", "--no-config", "--no-index", "--format", "concise"])
            .arg(draft)
            .output()
            .expect("run copydesk");
        walls.push(start.elapsed().as_secs_f64());
        cpus.push(children_cpu() - before);
        assert!(matches!(output.status.code(), Some(0 | 1)), "lint failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let mut sorted = walls.clone();
    sorted.sort_by(f64::total_cmp);
    (best(&walls), sorted[1], best(&cpus))
}

/// User and system time of the finished children of this process, from /proc (0 elsewhere).
fn children_cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which may hold spaces) start at state; cutime and cstime
    // are fields 16 and 17 of the whole line.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { return 0.0 };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i - 3).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(16) + ticks(17)) / 100.0
}

fn main() {
    let check_targets = std::env::args().any(|a| a == "--check");
    let dir = tempfile::tempdir().expect("temporary folder");
    let sample = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sample.md")).expect("sample draft");
    let body = sample.splitn(3, "---").nth(2).expect("sample has front matter");
    let mut missed = Vec::new();
    for megabytes in [1.5, 6.0, 15.0] {
        let size = (megabytes * 1e6) as usize;
        let mut text = body.repeat(size / body.len() + 1);
        let mut cut = size;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        let path = dir.path().join(format!("draft-{megabytes}.md"));
        std::fs::write(&path, text).expect("write draft");
        let (best, median, cpu) = lint_times(&path);
        println!("lint of a {megabytes} MB draft: best {best:.2} s, median {median:.2} s, CPU {cpu:.2} s");
        if megabytes == 15.0 && best >= 3.0 {
            missed.push(format!("15 MB draft: {best:.2} s (target < 3 s)"));
        }
    }
    let quotations: Vec<String> = (0..10_000).map(|i| format!("\"term{i} phrase\"")).collect();
    let path = dir.path().join("quotations.md");
    std::fs::write(&path, quotations.join(", ") + "\n").expect("write draft");
    let (best, median, cpu) = lint_times(&path);
    println!("lint of one sentence of 10,000 quotations: best {best:.2} s, median {median:.2} s, CPU {cpu:.2} s");
    if best >= 1.0 {
        missed.push(format!("10,000 quotations: {best:.2} s (target < 1 s)"));
    }
    if check_targets && !missed.is_empty() {
        eprintln!("targets missed: {}", missed.join("; "));
        std::process::exit(1);
    }
}
