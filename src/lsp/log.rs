//! Logging for the server: every message goes to stderr at once and, in order, to the client
//! as `window/logMessage`, filtered by the `--log-level` given on the command line.

use tokio::sync::mpsc;
use tower_lsp_server::lsp_types::MessageType;
use tower_lsp_server::Client;

/// How much to log, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warn,
    Info,
    Debug,
}

impl Level {
    /// Parses a level name (`error`, `warn`/`warning`, `info`, `debug`/`trace`).
    pub fn parse(name: &str) -> Option<Level> {
        match name.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Level::Error),
            "warn" | "warning" => Some(Level::Warn),
            "info" => Some(Level::Info),
            "debug" | "trace" | "log" => Some(Level::Debug),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    fn message_type(self) -> MessageType {
        match self {
            Level::Error => MessageType::ERROR,
            Level::Warn => MessageType::WARNING,
            Level::Info => MessageType::INFO,
            Level::Debug => MessageType::LOG,
        }
    }
}

/// A cheap handle for logging from synchronous and asynchronous code alike.
#[derive(Debug, Clone)]
pub struct Logger {
    level: Level,
    tx: mpsc::UnboundedSender<(Level, String)>,
}

impl Logger {
    /// Starts the task that forwards messages to the client. Needs a Tokio runtime.
    pub fn new(level: Level, client: Client) -> Logger {
        let (tx, mut rx) = mpsc::unbounded_channel::<(Level, String)>();
        tokio::spawn(async move {
            while let Some((level, message)) = rx.recv().await {
                client.log_message(level.message_type(), message).await;
            }
        });
        Logger { level, tx }
    }

    pub fn enabled(&self, level: Level) -> bool {
        level <= self.level
    }

    pub fn log(&self, level: Level, message: impl Into<String>) {
        if !self.enabled(level) {
            return;
        }
        let message = message.into();
        eprintln!("copydesk lsp [{}] {}", level.as_str(), message);
        let _ = self.tx.send((level, message));
    }

    pub fn error(&self, message: impl Into<String>) {
        self.log(Level::Error, message)
    }
    pub fn warn(&self, message: impl Into<String>) {
        self.log(Level::Warn, message)
    }
    pub fn info(&self, message: impl Into<String>) {
        self.log(Level::Info, message)
    }
    pub fn debug(&self, message: impl Into<String>) {
        self.log(Level::Debug, message)
    }
}
