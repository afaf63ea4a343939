//! The command line: `copydesk lint`, `copydesk index`, `copydesk extract`, `copydesk lsp`,
//! `copydesk explain`, and for setting up: `copydesk init`, `copydesk completions`, `copydesk man`
//! (the last two generated from these clap definitions, so they never disagree with `--help`).
//!
//! Exit status follows ripgrep's convention: 0 when no draft has an error finding, 1 when one
//! does, 2 when copydesk could not do its job (bad arguments, unreadable paths, an empty
//! corpus). A bad draft is reported by name and the others are still checked.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use copydesk::baseline::{self, Baseline};
use copydesk::check::{check, CheckOptions};
use copydesk::config::{self, Config};
use copydesk::findings::Code;
use copydesk::corpus::store::{self, IndexLocation, Refresh};
use copydesk::corpus::{Corpus, Limits};
use copydesk::claims::figures;
use copydesk::input::{self, ReadError};
use copydesk::findings::Severity;
use copydesk::prose::{Format, Prose};
use copydesk::render::{self, DraftResult};

#[derive(Parser)]
#[command(name = "copydesk", version, about = "Check the statistics and quotations in a draft against source articles.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts against the corpus and report findings.
    Lint(LintArgs),
    /// Build or refresh the on-disk corpus index ahead of time (lint and lsp also do it when
    /// sources changed).
    Index(IndexArgs),
    /// Print the quantities found in files (for measuring the extractor).
    Extract(ExtractArgs),
    /// Run the language server over stdio.
    Lsp(LspArgs),
    /// Explain a finding code (or list the codes).
    Explain {
        /// A code such as number-mismatch.
        code: Option<String>,
    },
    /// Write a commented copydesk.toml for this folder (its folders of source articles and of
    /// drafts) and add .copydesk/ to .gitignore.
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder.
    Man {
        /// Write copydesk.1 and a page for each command (copydesk-lint.1, ...) into DIR.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct InitArgs {
    /// Replace an existing copydesk.toml.
    #[arg(long)]
    force: bool,
    /// The project folder.
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

#[derive(clap::Args)]
struct LintArgs {
    /// Source files or directories (repeatable). Default: ./seeds if present, else the built-in seeds.
    #[arg(long, value_name = "PATH")]
    corpus: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Write the report to FILE instead of standard output (created or replaced).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The file name to report for a draft read from standard input.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Do not report statistics that no source supports.
    #[arg(long)]
    no_unsupported: bool,
    /// Print why each figure was judged as it was (to stderr).
    #[arg(long, hide = true)]
    trace: bool,
    /// Use this copydesk.toml instead of the one found above the drafts.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any copydesk.toml.
    #[arg(long)]
    no_config: bool,
    /// Make warnings fail the run (exit 1), like errors.
    #[arg(long, value_name = "WHAT", value_parser = ["warnings"])]
    deny: Vec<String>,
    /// Print only the findings that fail the run: errors, and warnings under `--deny warnings`.
    /// The exit status is the same with or without it.
    #[arg(long, short)]
    quiet: bool,
    /// Record today's findings in FILE when it does not exist; report only findings not in it.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    #[command(flatten)]
    index: IndexFlags,
    /// Drafts: .md, .markdown or .txt files, directories of them, or - for standard input.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<String>,
}

/// Where the corpus index lives.
#[derive(clap::Args)]
struct IndexFlags {
    /// Keep the corpus index here (default: .copydesk/index beside copydesk.toml, else in the
    /// first corpus folder; the user cache directory for the built-in seeds).
    #[arg(long, value_name = "DIR", conflicts_with = "no_index")]
    index_dir: Option<PathBuf>,
    /// Index the corpus in memory for this run; read and write no index on disk.
    #[arg(long)]
    no_index: bool,
}

impl IndexFlags {
    fn location(&self, config: &Config) -> IndexLocation {
        match (&self.index_dir, self.no_index) {
            (_, true) => IndexLocation::Off,
            (Some(dir), false) => IndexLocation::Dir(dir.clone()),
            (None, false) => IndexLocation::Auto { config_file: config.path.clone() },
        }
    }
}

#[derive(clap::Args)]
struct IndexArgs {
    /// Source files or directories (repeatable). Default: corpus in copydesk.toml, else ./seeds
    /// if present, else the built-in seeds.
    #[arg(long, value_name = "PATH")]
    corpus: Vec<PathBuf>,
    /// Keep the index here (default: .copydesk/index beside copydesk.toml, else in the first
    /// corpus folder; the user cache directory for the built-in seeds).
    #[arg(long, value_name = "DIR", conflicts_with = "store")]
    index_dir: Option<PathBuf>,
    /// Publish the corpus to this PostgreSQL store (postgresql://user@host[,host2]/db; its
    /// read-write primary) instead of indexing it here. The password comes from PGPASSWORD or
    /// a pgpass file.
    #[arg(long, value_name = "URL")]
    store: Option<String>,
    /// Use this copydesk.toml instead of the one in the current directory or above.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any copydesk.toml.
    #[arg(long)]
    no_config: bool,
}

#[derive(clap::Args)]
struct ExtractArgs {
    #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
    format: ExtractFormat,
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct LspArgs {
    /// Log level for stderr and window/logMessage: error, warn, info, debug.
    #[arg(long, default_value = "info")]
    log_level: String,
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long, hide = true)]
    stdio: bool,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
    Sarif,
    Github,
    Concise,
    /// A self-contained review page: each draft with its figures and quotations marked.
    Html,
}

#[derive(Copy, Clone, PartialEq, Eq, ValueEnum)]
enum ExtractFormat {
    Json,
    Text,
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Lint(args) => lint(args),
        Command::Index(args) => index(args),
        Command::Extract(args) => extract_cmd(args),
        Command::Lsp(args) => lsp(args),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Init(args) => init(args),
        Command::Completions { shell } => completions(shell),
        Command::Man { dir } => man(dir.as_deref()),
    };
    match result {
        Ok(code) => code,
        // Output piped into a command that stopped reading (`| head`): not an error.
        Err(err) if err.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => 0,
        Err(err) => {
            eprintln!("copydesk: error: {err:#}");
            2
        }
    }
}

fn lsp(args: LspArgs) -> Result<i32> {
    let _ = args.stdio;
    limit_allocator_arenas();
    copydesk::lsp::run_stdio(&args.log_level)
}

/// The server checks each buffer on whichever worker thread is free, and glibc gives every
/// thread its own memory arena: after an edit of a 15 MB draft, the re-check on another thread
/// grew a second arena while the first kept what the first check had freed (peaks of 418-434 MB
/// against 268 MB with the draft open; `scripts/bench-lsp-large`; 336-411 MB with two arenas).
/// One arena shared by all threads keeps the peak near the working set. Set before the server starts any thread.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_allocator_arenas() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread
    // exists, and M_ARENA_MAX accepts any positive value.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_allocator_arenas() {}

/// The corpus paths to use: those given, else `./seeds` when present, else none (the built-in
/// seeds).
fn corpus_paths(given: &[PathBuf]) -> Vec<PathBuf> {
    if given.is_empty() {
        let local = Path::new("seeds");
        if local.is_dir() {
            return vec![local.to_path_buf()];
        }
    }
    given.to_vec()
}

/// Loads the corpus the user asked for, or the default one, through its index, with a progress
/// bar on a terminal.
fn load_corpus(paths: &[PathBuf], limits: &Limits, location: &IndexLocation) -> Result<(Corpus, Option<Refresh>)> {
    let paths = corpus_paths(paths);
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} indexing corpus {pos}/{len} files {wide_bar} {eta}")
                .expect("static template"),
        );
        bar
    });
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let (corpus, refresh) = store::load(&paths, limits, location, Some(&progress))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for note in &corpus.notes {
        eprintln!("copydesk: warning: {}: {}", note.path, note.message);
    }
    if corpus.skipped > 0 {
        eprintln!(
            "copydesk: note: {} corpus file{} of other types skipped (copydesk reads .txt, .md, .markdown, .html and .htm)",
            corpus.skipped,
            if corpus.skipped == 1 { "" } else { "s" }
        );
    }
    Ok((corpus, refresh))
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// `copydesk index`: builds or refreshes the index and says what it holds.
fn index(args: IndexArgs) -> Result<i32> {
    let config = if args.no_config {
        Config::default()
    } else {
        match args.config.clone().or_else(|| config::discover(Path::new("."))) {
            Some(path) => config::load(&path)?,
            None => Config::default(),
        }
    };
    let given = if args.corpus.is_empty() { config.corpus.clone() } else { args.corpus.clone() };
    if let Some(url) = &args.store {
        return publish(url, &given, &config.limits());
    }
    let location = match &args.index_dir {
        Some(dir) => IndexLocation::Dir(dir.clone()),
        None => IndexLocation::Auto { config_file: config.path.clone() },
    };
    let started = std::time::Instant::now();
    let (corpus, refresh) = load_corpus(&given, &config.limits(), &location)?;
    let seconds = started.elapsed().as_secs_f64();
    let Some(refresh) = refresh else {
        anyhow::bail!("no index could be written; see the warning above");
    };
    let documents = corpus.live_count();
    let passages = corpus.index.live_sentence_count();
    let mut out = std::io::stdout().lock();
    let what = if !refresh.wrote {
        "index is up to date".to_string()
    } else if let Some(why) = &refresh.rebuilt {
        format!("indexed ({why})")
    } else if refresh.full {
        "indexed".to_string()
    } else {
        format!("refreshed ({} added, {} changed, {} removed)", refresh.added, refresh.changed, refresh.removed)
    };
    writeln!(
        out,
        "{what}: {documents} documents, {passages} passages, {} of text in {seconds:.2} s ({:.0} MB/s)",
        megabytes(corpus.bytes as u64),
        corpus.bytes as f64 / 1e6 / seconds.max(1e-6),
    )?;
    writeln!(out, "index: {} ({}, {} segment{})", refresh.dir.display(), megabytes(refresh.index_bytes), refresh.segments, if refresh.segments == 1 { "" } else { "s" })?;
    Ok(0)
}

/// `copydesk index --store URL`: publishes the corpus as a new version of a shared store.
fn publish(url: &str, given: &[PathBuf], limits: &Limits) -> Result<i32> {
    use copydesk::corpus::postgres;
    if !postgres::is_store_url(url) {
        anyhow::bail!("--store {url}: expected a postgresql:// URL");
    }
    let paths = corpus_paths(given);
    if paths.is_empty() {
        anyhow::bail!("--store: name the corpus to publish with --corpus DIR (the built-in seeds are not published)");
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} publishing corpus {pos}/{len} files {wide_bar} {eta}").expect("static template"),
        );
        bar
    });
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let started = std::time::Instant::now();
    let published = postgres::publish(url, &paths, limits, Some(&progress));
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let published = published.map_err(|e| anyhow::anyhow!("publishing to {}: {e}; rerun to resume (content already written is kept)", postgres::redact(url)))?;
    for note in &published.notes {
        eprintln!("copydesk: warning: {}: {}", note.path, note.message);
    }
    let seconds = started.elapsed().as_secs_f64();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "published version {}: {} documents, {} passages, {} of text ({} new, {} with content already stored, {} unchanged, {} removed; {} written) in {seconds:.2} s ({:.1} MB/s written)",
        published.version,
        published.documents,
        published.sentences,
        megabytes(published.bytes),
        published.new_documents,
        published.resumed,
        published.unchanged,
        published.removed,
        megabytes(published.written_bytes),
        published.written_bytes as f64 / 1e6 / seconds.max(1e-6),
    )?;
    writeln!(out, "store: {}", postgres::redact(url))?;
    Ok(0)
}

/// A draft to check: its name and text, or why it could not be read.
struct DraftInput {
    path: String,
    text: std::result::Result<String, String>,
    /// Named on the command line (not found by walking a directory): include/exclude do not apply.
    explicit: bool,
}

/// The draft size limit, which applies to the file as stored and to its text once decoded.
const DRAFT_LIMIT: u64 = copydesk::check::MAX_DRAFT_BYTES as u64;

/// The text of a draft from what reading it gave, or why it cannot be checked.
fn draft_text(read: std::result::Result<Vec<u8>, ReadError>) -> std::result::Result<String, String> {
    let bytes = read.map_err(|err| match err {
        ReadError::NotRegular(_) => format!("{err}; drafts must be files (pipe anything else to standard input with `-`)"),
        ReadError::Io(err) if err.kind() == std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        err => err.to_string(),
    })?;
    let text = input::decode_draft(bytes).map_err(|err| err.to_string())?;
    if text.len() as u64 > DRAFT_LIMIT {
        // UTF-16 grows by up to half when decoded.
        let over = ReadError::TooLarge { size: Some(text.len() as u64), limit: DRAFT_LIMIT, what: "draft" };
        return Err(format!("decoded to UTF-8, {over}"));
    }
    Ok(text)
}

fn read_draft(path: &Path) -> std::result::Result<String, String> {
    draft_text(input::read_file(path, DRAFT_LIMIT, "draft"))
}

fn collect_drafts(args: &LintArgs) -> Vec<DraftInput> {
    let mut out = Vec::new();
    for raw in &args.paths {
        if raw == "-" {
            let name = args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".into());
            let text = match input::read_stream(std::io::stdin().lock(), DRAFT_LIMIT, "draft", 0) {
                Err(ReadError::Io(err)) => Err(format!("cannot read standard input: {err}")),
                read => draft_text(read),
            };
            out.push(DraftInput { path: name, text, explicit: true });
            continue;
        }
        let path = Path::new(raw);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(path)
                .build()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(|e| e.into_path())
                .filter(|p| matches!(Format::from_path(&p.to_string_lossy()), Some(Format::Markdown | Format::PlainText)))
                .collect();
            files.sort();
            for file in files {
                let name = file.display().to_string();
                let text = read_draft(&file);
                out.push(DraftInput { path: name, text, explicit: false });
            }
            continue;
        }
        out.push(DraftInput { path: raw.clone(), text: read_draft(path), explicit: true });
    }
    out
}

fn draft_format(path: &str) -> Format {
    match Format::from_path(path) {
        Some(Format::Markdown) => Format::Markdown,
        _ => Format::PlainText,
    }
}

fn explain(code: Option<&str>) -> Result<i32> {
    match code {
        None => print!("{}", copydesk::explain::list()),
        Some(name) => match Code::parse(name) {
            Some(code) => print!("{}", copydesk::explain::render(code)),
            None => {
                eprintln!("copydesk: error: unknown code `{name}`\n\n{}", copydesk::explain::list());
                return Ok(2);
            }
        },
    }
    Ok(0)
}

/// `copydesk init`: writes the project file and says what it found and did.
fn init(args: InitArgs) -> Result<i32> {
    use copydesk::init::{Folder, Gitignore};
    let outcome = copydesk::init::run(&args.dir, args.force)?;
    let count = |folder: &Folder, one: &str, many: &str| {
        let more = if folder.more { " or more" } else { "" };
        format!("{}/ ({}{more} {})", folder.name, folder.files, if folder.files == 1 { one } else { many })
    };
    let mut out = String::new();
    let verb = if outcome.replaced { "replaced" } else { "wrote" };
    let _ = writeln!(out, "{verb} {}", outcome.config.display());
    if outcome.survey.corpus.is_empty() {
        let _ = writeln!(out, "  corpus: no folder of articles found; the built-in seed articles are used until `corpus` names yours");
    } else {
        let folders: Vec<String> = outcome.survey.corpus.iter().map(|f| count(f, "article", "articles")).collect();
        let _ = writeln!(out, "  corpus: {}", folders.join(", "));
    }
    if outcome.survey.drafts.is_empty() {
        let _ = writeln!(out, "  drafts: no drafts folder found; name drafts on the command line, or set `include`");
    } else {
        let folders: Vec<String> = outcome.survey.drafts.iter().map(|f| count(f, "draft", "drafts")).collect();
        let _ = writeln!(out, "  drafts: {}", folders.join(", "));
    }
    let gitignore = outcome.gitignore_path.display();
    let ignore = copydesk::init::IGNORE_LINE;
    let _ = match outcome.gitignore {
        Gitignore::Created => writeln!(out, "created {gitignore} with {ignore} (the corpus index)"),
        Gitignore::Added => writeln!(out, "added {ignore} to {gitignore} (the corpus index)"),
        Gitignore::Present => writeln!(out, "{gitignore} already ignores {ignore}"),
    };
    let target = outcome.survey.drafts.first().map_or_else(|| "draft.md".to_string(), |f| format!("{}/", f.name));
    let _ = writeln!(out, "next: copydesk lint {target}");
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(0)
}

/// `copydesk completions SHELL`: the completion script clap_complete writes for this CLI.
fn completions(shell: clap_complete::Shell) -> Result<i32> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "copydesk", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(0)
}

/// What the main manual page says beyond the generated sections (roff): the files copydesk
/// reads and writes, and its exit status, which `--help` leaves to the README.
const MAN_EXTRA: &str = r#".SH FILES
.TP
\fBcopydesk.toml\fR
The project file, found in the folder of the first draft or above it (\fBcopydesk init\fR writes one): corpus folders, which drafts to check, severities.
.TP
\fB.copydesk/index/\fR
The corpus index, beside copydesk.toml (else in the first corpus folder; for the built\-in seeds, the user cache directory). Add \fB.copydesk/\fR to .gitignore.
.SH EXIT STATUS
0 when no draft has an error finding, 1 when one does (or a warning, under \fB\-\-deny warnings\fR), 2 when copydesk could not do its job (bad arguments, an unreadable draft, an empty corpus).
.SH EXAMPLES
.nf
copydesk init
copydesk lint draft.md
copydesk lint \-\-format html \-\-output review.html drafts/
.fi
"#;

/// The commands, as the manual pages show them: `copydesk-lint` and so on, no `help` command.
fn man_command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// copydesk(1): clap_mangen's sections and [`MAN_EXTRA`] before the version.
fn main_page() -> std::io::Result<Vec<u8>> {
    let man = clap_mangen::Man::new(man_command());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    page.extend_from_slice(MAN_EXTRA.as_bytes());
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// `copydesk man`: the main page on standard output, or every command's page written to a folder.
fn man(dir: Option<&Path>) -> Result<i32> {
    let Some(dir) = dir else {
        std::io::stdout().lock().write_all(&main_page()?)?;
        return Ok(0);
    };
    if !dir.is_dir() {
        anyhow::bail!("man --dir {}: no such folder", dir.display());
    }
    let failed = |err: std::io::Error| anyhow::anyhow!("man --dir {}: {err}", dir.display());
    let mut written = vec![dir.join("copydesk.1")];
    std::fs::write(&written[0], main_page()?).map_err(failed)?;
    for command in man_command().get_subcommands().filter(|c| !c.is_hide_set()) {
        written.push(clap_mangen::Man::new(command.clone()).generate_to(dir).map_err(failed)?);
    }
    let mut out = std::io::stdout().lock();
    for path in written {
        writeln!(out, "{}", path.display())?;
    }
    Ok(0)
}

/// The project file for this run: `--config`, else the nearest one above the first draft (or
/// the current directory), unless `--no-config`.
fn project_config(args: &LintArgs) -> Result<Config> {
    if args.no_config {
        return Ok(Config::default());
    }
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => {
            let start = args.paths.iter().find(|p| p.as_str() != "-").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
            config::discover(&start).or_else(|| config::discover(Path::new(".")))
        }
    };
    let Some(path) = path else { return Ok(Config::default()) };
    let config = config::load(&path)?;
    for warning in &config.warnings {
        eprintln!("copydesk: warning: {warning}");
    }
    Ok(config)
}

/// Fails early, before any draft is checked, when the report could not be written to `path`.
fn check_output_path(path: &Path) -> Result<()> {
    if path.as_os_str().is_empty() {
        anyhow::bail!("--output: the file name is empty");
    }
    if path.is_dir() {
        anyhow::bail!("--output {}: is a directory", path.display());
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        anyhow::bail!("--output {}: no such directory: {}", path.display(), parent.display());
    }
    Ok(())
}

fn lint(args: LintArgs) -> Result<i32> {
    if let Some(path) = &args.output {
        check_output_path(path)?;
    }
    let config = project_config(&args)?;
    // Command-line flags first, then the project file, then the defaults.
    let corpus_paths = if args.corpus.is_empty() { config.corpus.clone() } else { args.corpus.clone() };
    let (corpus, _) = load_corpus(&corpus_paths, &config.limits(), &args.index.location(&config))?;
    let drafts: Vec<DraftInput> = collect_drafts(&args)
        .into_iter()
        .filter(|d| d.explicit || config.selects(Path::new(&d.path)))
        .collect();
    let mut options = CheckOptions::from_config(&config);
    options.trace = args.trace;
    if args.no_unsupported {
        options.report_unsupported = false;
    }
    let baseline = match &args.baseline {
        Some(path) if path.exists() => Some(Baseline::load(path)?),
        _ => None,
    };
    let mut recorded = Baseline { version: 1, ..Baseline::default() };
    let deny_warnings = args.deny.iter().any(|d| d == "warnings");
    let fails = |severity: Severity| severity == Severity::Error || (deny_warnings && severity == Severity::Warning);
    // Decided before `--quiet` trims the output: it changes what is printed, never the status.
    let mut any_failure = false;
    let mut failed = false;
    let mut checked = Vec::new();
    for draft in &drafts {
        match &draft.text {
            Ok(text) => {
                let (report, trace) = check(text, draft_format(&draft.path), &corpus, &options);
                for line in trace {
                    eprintln!("trace: {}: {line}", draft.path);
                }
                let mut findings = report.findings;
                let format = draft_format(&draft.path);
                if args.baseline.is_some() {
                    findings.retain(|f| {
                        let entry = baseline::entry(&draft.path, text, f);
                        let known = baseline.as_ref().is_some_and(|b| b.contains(&entry));
                        recorded.findings.insert(entry);
                        !known
                    });
                }
                any_failure |= findings.iter().any(|f| fails(f.severity));
                if args.quiet {
                    findings.retain(|f| fails(f.severity));
                }
                checked.push((draft.path.as_str(), text.as_str(), format, findings, report.checked));
            }
            Err(message) => {
                eprintln!("copydesk: error: {}: {message}", draft.path);
                failed = true;
            }
        }
    }
    let results: Vec<DraftResult> = checked
        .iter()
        .map(|(path, text, format, findings, checked)| DraftResult { path, text, format: *format, findings, checked })
        .collect();
    if let (Some(path), None) = (&args.baseline, &baseline) {
        // No baseline yet: record today's findings and report none of them.
        let count = recorded.findings.len();
        recorded.save(path)?;
        eprintln!("copydesk: baseline recorded in {}: {count} finding{}", path.display(), if count == 1 { "" } else { "s" });
        return Ok(if failed { 2 } else { 0 });
    }
    let report = match args.format {
        OutputFormat::Json => render::json(&corpus, &results),
        OutputFormat::Sarif => render::sarif(&corpus, &results),
        OutputFormat::Github => render::github(&results),
        OutputFormat::Concise => render::concise(&results),
        OutputFormat::Html => render::html::page(&corpus, &results),
        OutputFormat::Human => {
            let color = args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut summary = render::Summary::default();
            let mut out = String::new();
            for result in &results {
                out.push_str(&render::human(&corpus, result, color));
                summary.add(result.findings);
            }
            let _ = writeln!(
                out,
                "{} file{} checked: {} error{}, {} warning{}, {} info",
                summary.files,
                if summary.files == 1 { "" } else { "s" },
                summary.errors,
                if summary.errors == 1 { "" } else { "s" },
                summary.warnings,
                if summary.warnings == 1 { "" } else { "s" },
                summary.info
            );
            out
        }
    };
    // A shared store that failed mid-check left candidates out: report nothing rather than
    // findings that could be wrong.
    if let Some(why) = corpus.take_unavailable() {
        anyhow::bail!("{why}; no report was written, as the corpus could not be read in full");
    }
    match &args.output {
        Some(path) => std::fs::write(path, report).map_err(|err| anyhow::anyhow!("--output {}: cannot write: {err}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(report.as_bytes())?;
            out.flush()?;
        }
    }
    // The process ends once this returns: freeing the findings and texts of a long draft one
    // allocation at a time would only delay the exit (a tenth of a 15 MB draft's lint).
    std::mem::forget(results);
    std::mem::forget(checked);
    std::mem::forget(drafts);
    if failed {
        return Ok(2);
    }
    Ok(if any_failure { 1 } else { 0 })
}

fn extract_cmd(args: ExtractArgs) -> Result<i32> {
    let mut files = Vec::new();
    let mut failed = false;
    for path in &args.files {
        let name = path.display().to_string();
        let text = match read_draft(path) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("copydesk: error: {name}: {message}");
                failed = true;
                continue;
            }
        };
        let format = Format::from_path(&name).unwrap_or(Format::PlainText);
        let prose = Prose::new(&text, format);
        let quantities = figures::extract(&prose.masked);
        let sentences: Vec<_> = prose.sentences.iter().map(|s| s.span).collect();
        let frames = copydesk::claims::frame::frames_of(&prose.masked, &sentences, &quantities);
        files.push(render::ExtractedFile { path: name, text, quantities, frames });
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        ExtractFormat::Json => out.write_all(render::extract_json(&files).as_bytes())?,
        ExtractFormat::Text => {
            for render::ExtractedFile { path: name, text, quantities, .. } in &files {
                let lines = copydesk::position::LineIndex::new(text);
                for q in quantities {
                    let pos = lines.position(text, q.span.start, copydesk::position::PositionEncoding::Utf16);
                    writeln!(
                        out,
                        "{name}:{}:{}: {:?} value {} high {:?} unit {} bound {} direction {:?}",
                        pos.line + 1,
                        pos.character + 1,
                        q.span.slice(text),
                        q.value,
                        q.high,
                        q.unit.name().unwrap_or_else(|| "-".into()),
                        q.bound.name(),
                        q.direction
                    )?;
                }
            }
        }
    }
    Ok(if failed { 2 } else { 0 })
}
