//! The language server (filled in by the LSP issue).

pub fn run_stdio(_log_level: &str) -> anyhow::Result<()> {
    anyhow::bail!("the language server is not built yet")
}
