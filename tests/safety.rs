//! Safety: copydesk never opens a network connection, never runs a command named by a config
//! file or an editor setting, and writes only inside its index (`.copydesk/` in a project) or
//! cache directory (`$XDG_CACHE_HOME/copydesk`).
//!
//! Each test runs the real binary for `lint` and for a language-server session (initialize,
//! didOpen, hover, shutdown, exit over stdin) under `strace -f`, and reads the system calls it
//! made: no `socket` of an internet family, no `connect` to an internet address, no `execve`
//! but the binary's own, and no file opened for writing, created, renamed or removed outside
//! the allowed folders. The write test also snapshots every file (path, size, mtime, content
//! hash) in the project and the home folder before and after. Without `strace` the trace checks
//! are skipped with a message (CI installs it); the marker-file and snapshot checks still run.

mod support;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use serde_json::json;
use support::{file_uri, LspProcess};

const BIN: &str = env!("CARGO_BIN_EXE_copydesk");
const SYSCALLS: &str =
    "socket,connect,execve,execveat,openat,open,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,truncate,link,linkat,symlink,symlinkat";
const DRAFT: &str = "Micron will pay NT$1.8 billion for Powerchip's P5 fab site.\n\nUse of Chinese-developed open models climbed from 1.2 percent late last year to 30 percent in August.\n";

fn strace_available() -> bool {
    let found = Command::new("strace").arg("-V").output().is_ok_and(|o| o.status.success());
    if !found {
        println!("strace not found: the system-call checks are skipped (apt-get install strace)");
    }
    found
}

/// A project in a temp dir: a draft, a `sources/` corpus (the seeds), a `copydesk.toml` with
/// `config`, and a separate home with its cache folder.
struct Project {
    _dir: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
    cache: PathBuf,
}

impl Project {
    fn new(config: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        let root = base.join("project");
        let home = base.join("home");
        let cache = home.join(".cache");
        std::fs::create_dir_all(root.join("sources")).unwrap();
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(home.join(".profile"), "export PATH=$PATH\n").unwrap();
        for seed in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap() {
            let seed = seed.unwrap().path();
            // Only the articles: seeds/ may hold the index other runs built (.copydesk/).
            if !seed.is_file() {
                continue;
            }
            std::fs::copy(&seed, root.join("sources").join(seed.file_name().unwrap())).unwrap();
        }
        std::fs::write(root.join("draft.md"), DRAFT).unwrap();
        std::fs::write(root.join("copydesk.toml"), config).unwrap();
        Project { _dir: dir, root, home, cache }
    }

    /// The binary, run in the project with this home and cache, under strace when `trace` is
    /// given.
    fn command(&self, trace: Option<&Path>, args: &[&str]) -> Command {
        let mut command = match trace {
            Some(trace) => {
                let mut c = Command::new("strace");
                c.args(["-f", "-s", "4096", "-e", &format!("trace={SYSCALLS}"), "-o"]).arg(trace).arg(BIN);
                c
            }
            None => Command::new(BIN),
        };
        command
            .args(args)
            .current_dir(&self.root)
            .env("HOME", &self.home)
            .env("XDG_CACHE_HOME", &self.cache)
            .env("NO_COLOR", "1");
        command
    }

    fn lint(&self, trace: Option<&Path>) -> std::process::Output {
        let output = self.command(trace, &["lint", "--format", "concise", "draft.md"]).output().unwrap();
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("draft.md:1:17: unit-mismatch"),
            "lint did not check the draft: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// A language-server session: initialize (with `settings`), didOpen, the draft's
    /// diagnostics, hover on its first figure, didChange, `workspace/didChangeConfiguration`
    /// with `settings`, an `executeCommand` of each of `commands` (refused unless it is
    /// `copydesk.reloadCorpus`), shutdown, exit.
    fn lsp_session(&self, trace: Option<&Path>, settings: serde_json::Value, commands: &[&str]) {
        let mut lsp = LspProcess::spawn(self.command(trace, &["lsp"]));
        lsp.initialize(&self.root, settings.clone());
        let uri = file_uri(&self.root.join("draft.md"));
        lsp.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": DRAFT}}),
        );
        lsp.wait_for("the draft's diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri && m["params"]["version"] == 1
        });
        let hover = lsp.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 20}}));
        assert!(hover["result"]["contents"]["value"].as_str().is_some_and(|v| v.contains("copydesk")), "{hover}");
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "Today. "}]}),
        );
        lsp.notify("workspace/didChangeConfiguration", json!({"settings": settings}));
        for command in commands {
            let response = lsp.request("workspace/executeCommand", json!({"command": command, "arguments": [command]}));
            if *command == "copydesk.reloadCorpus" {
                assert!(response["result"]["documents"].as_u64().is_some_and(|n| n > 0), "{response}");
            } else {
                assert!(response.get("error").is_some(), "{command} is not a copydesk command: {response}");
            }
        }
        let status = lsp.finish();
        assert!(status.success(), "the server exits cleanly: {status:?}");
    }
}

/// The system calls of a trace that matter here, with their pid stripped.
fn calls(trace: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(trace).unwrap();
    text.lines()
        .map(|line| line.split_once(' ').map_or(line, |(_, rest)| rest).trim_start().to_string())
        .filter(|line| !line.starts_with("+++") && !line.starts_with("---"))
        .collect()
}

/// The quoted strings of a traced call (its paths).
fn quoted(call: &str) -> Vec<String> {
    call.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

fn assert_no_network_and_no_commands(trace: &Path) {
    for call in calls(trace) {
        assert!(
            !(call.starts_with("socket(AF_INET") || call.starts_with("socket(AF_INET6")),
            "copydesk opened an internet socket: {call}"
        );
        if call.starts_with("connect(") {
            assert!(!call.contains("AF_INET"), "copydesk connected to a network address: {call}");
        }
        if call.starts_with("execve(") || call.starts_with("execveat(") {
            let program = quoted(&call).into_iter().next().unwrap_or_default();
            assert_eq!(program, BIN, "copydesk ran another program: {call}");
        }
    }
    let execs = calls(trace).iter().filter(|c| c.starts_with("execve")).count();
    assert_eq!(execs, 1, "exactly one execve (strace starting the binary)");
}

/// Every path a traced call wrote, created, renamed or removed (relative paths against `cwd`).
fn written_paths(trace: &Path, cwd: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for call in calls(trace) {
        let name = call.split('(').next().unwrap_or_default();
        let writes = match name {
            "open" | "openat" => ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"].iter().any(|f| call.contains(f)),
            "creat" | "mkdir" | "mkdirat" | "rename" | "renameat" | "renameat2" | "unlink" | "unlinkat" | "rmdir" | "truncate"
            | "link" | "linkat" | "symlink" | "symlinkat" => true,
            _ => false,
        };
        if writes {
            for path in quoted(&call) {
                out.push((cwd.join(path), call.clone()));
            }
        }
    }
    out
}

/// Whether a path is inside a project index folder (`.copydesk/`) or copydesk's cache.
fn allowed(path: &Path, project: &Project) -> bool {
    let in_index = path.starts_with(&project.root) && path.components().any(|c| c.as_os_str() == ".copydesk");
    in_index || path.starts_with(project.cache.join("copydesk"))
}

#[derive(Debug, PartialEq, Eq)]
struct Entry {
    dir: bool,
    size: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

/// Every file and folder under `roots`: kind, and for files size, mtime and a hash of the
/// contents.
fn snapshot(roots: &[&Path]) -> BTreeMap<PathBuf, Entry> {
    let mut out = BTreeMap::new();
    let mut stack: Vec<PathBuf> = roots.iter().map(|p| p.to_path_buf()).collect();
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else if meta.is_file() {
            std::fs::read(&path).unwrap().hash(&mut hasher);
        }
        // A folder's own mtime moves when an allowed child appears in it; its children are
        // compared one by one instead.
        let entry = if meta.is_dir() {
            Entry { dir: true, size: 0, modified: None, hash: 0 }
        } else {
            Entry { dir: false, size: meta.len(), modified: meta.modified().ok(), hash: hasher.finish() }
        };
        out.insert(path, entry);
    }
    out
}

/// The paths added, removed or changed between two snapshots.
fn changes(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = after.iter().filter(|(p, e)| before.get(*p) != Some(e)).map(|(p, _)| p.clone()).collect();
    out.extend(before.keys().filter(|p| !after.contains_key(*p)).cloned());
    out
}

#[test]
fn no_network_connection_and_no_other_program_for_lint_and_lsp() {
    if !strace_available() {
        return;
    }
    let project = Project::new("corpus = [\"sources\"]\n");
    let trace = project.home.join("lint.trace");
    project.lint(Some(&trace));
    assert_no_network_and_no_commands(&trace);

    let trace = project.home.join("lsp.trace");
    project.lsp_session(Some(&trace), json!({"copydesk": {"debounceMs": 0}}), &[]);
    assert_no_network_and_no_commands(&trace);
    // The trace did see the server at work (its threads and files), so the check has teeth.
    let traced = calls(&trace);
    assert!(traced.iter().any(|c| c.contains("sources/000_7fed2c55703098c4.txt")), "the corpus was read under strace");
}

#[test]
fn commands_named_in_the_config_or_settings_are_never_run() {
    let dir = tempfile::tempdir().unwrap();
    let marker = std::fs::canonicalize(dir.path()).unwrap().join("MARKER");
    let touch = format!("touch {}", marker.display());
    let config = format!(
        "corpus = [\"sources\"]\ncommand = \"{touch}\"\nexec = [\"sh\", \"-c\", \"{touch}\"]\neditor = \"{touch}\"\npre-commit = \"$({touch})\"\n\n[hooks]\non-lint = \"{touch}\"\n\n[server]\ncommand = \"{touch}\"\n"
    );
    let project = Project::new(&config);
    let settings = json!({
        "copydesk": {"debounceMs": 0, "command": touch, "onSave": touch, "server": {"command": ["sh", "-c", touch]}, "path": touch},
        "command": touch,
        "executable": touch,
    });
    let trace = strace_available().then(|| project.home.join("trace"));

    let output = project.lint(trace.as_deref());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown key `command` ignored"), "the unknown keys are named: {stderr}");
    if let Some(trace) = &trace {
        assert_no_network_and_no_commands(trace);
    }
    project.lsp_session(trace.as_deref(), settings, &[touch.as_str(), "sh", "copydesk.run"]);
    if let Some(trace) = &trace {
        assert_no_network_and_no_commands(trace);
    }
    assert!(!marker.exists(), "a command from the config or the settings was run");
}

#[test]
fn writes_only_inside_the_index_or_cache_directory() {
    let project = Project::new("corpus = [\"sources\"]\n");
    // A second workspace with no corpus configured: the server writes the built-in seeds to
    // its cache ($XDG_CACHE_HOME/copydesk/seeds), the one place it may write.
    let bare = project.home.join("bare");
    std::fs::create_dir_all(&bare).unwrap();
    std::fs::write(bare.join("draft.md"), DRAFT).unwrap();
    let trace_dir = tempfile::tempdir().unwrap();
    let trace = strace_available().then(|| trace_dir.path().join("trace"));

    let before = snapshot(&[&project.root, &project.home]);
    std::thread::sleep(std::time::Duration::from_millis(20)); // so a rewrite changes the mtime
    let mut written = Vec::new();
    project.lint(trace.as_deref());
    if let Some(trace) = &trace {
        written.extend(written_paths(trace, &project.root));
    }
    project.lsp_session(trace.as_deref(), json!({"copydesk": {"debounceMs": 0}}), &["copydesk.reloadCorpus"]);
    if let Some(trace) = &trace {
        written.extend(written_paths(trace, &project.root));
    }
    let bare_project = Project { _dir: tempfile::tempdir().unwrap(), root: bare.clone(), home: project.home.clone(), cache: project.cache.clone() };
    let mut lsp = LspProcess::spawn(bare_project.command(trace.as_deref(), &["lsp"]));
    lsp.initialize(&bare, json!({"debounceMs": 0}));
    lsp.wait_for_message("corpus ready");
    assert!(lsp.finish().success());
    if let Some(trace) = &trace {
        written.extend(written_paths(trace, &bare));
    }
    let after = snapshot(&[&project.root, &project.home]);

    let changed = changes(&before, &after);
    let outside: Vec<&PathBuf> = changed.iter().filter(|p| !allowed(p, &project)).collect();
    assert!(outside.is_empty(), "files changed outside .copydesk/ and the cache: {outside:#?}");
    assert!(
        changed.iter().any(|p| p.starts_with(project.cache.join("copydesk/seeds"))),
        "the built-in seeds were written to the cache (so the snapshot sees writes): {changed:#?}"
    );
    if trace.is_some() {
        assert!(
            written.iter().any(|(p, _)| p.starts_with(project.cache.join("copydesk/seeds"))),
            "the trace shows the writes to the cache (so it would show others): {written:#?}"
        );
    }
    let stray: Vec<&(PathBuf, String)> = written.iter().filter(|(p, _)| !allowed(p, &project)).collect();
    assert!(stray.is_empty(), "system calls that write outside .copydesk/ and the cache: {stray:#?}");
}

/// The trace checks fail on what they look for (a synthetic trace in strace's format).
#[test]
fn the_trace_checks_catch_sockets_connections_programs_and_writes() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace");
    let own = format!("100 execve(\"{BIN}\", [\"copydesk\", \"lint\"], 0x7ffd /* 30 vars */) = 0\n");
    let bad = [
        "101 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3",
        "101 socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = 3",
        "101 connect(3, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"140.82.112.3\")}, 16) = 0",
        "102 execve(\"/usr/bin/touch\", [\"touch\", \"MARKER\"], 0x5600 /* 30 vars */) = 0",
    ];
    for line in bad {
        std::fs::write(&trace, format!("{own}{line}\n100 +++ exited with 0 +++\n")).unwrap();
        let caught = std::panic::catch_unwind(|| assert_no_network_and_no_commands(&trace));
        assert!(caught.is_err(), "not caught: {line}");
    }
    // A local socket (the kind a name-service lookup may use) is not a network connection.
    std::fs::write(&trace, format!("{own}101 socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3\n")).unwrap();
    assert_no_network_and_no_commands(&trace);

    let project = Project::new("");
    let lines = [
        "100 openat(AT_FDCWD, \"draft.md\", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 3",
        "100 openat(AT_FDCWD, \"sources/000.txt\", O_RDONLY|O_CLOEXEC) = 3",
        "100 mkdir(\".copydesk/index\", 0777) = 0",
        "100 renameat2(AT_FDCWD, \"a.tmp\", AT_FDCWD, \"b\", RENAME_NOREPLACE) = 0",
    ];
    std::fs::write(&trace, lines.join("\n")).unwrap();
    let stray: Vec<PathBuf> =
        written_paths(&trace, &project.root).into_iter().map(|(p, _)| p).filter(|p| !allowed(p, &project)).collect();
    let root = &project.root;
    assert_eq!(stray, vec![root.join("draft.md"), root.join("a.tmp"), root.join("b")]);
}
