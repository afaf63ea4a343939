//! Connecting to the shared store: the connection string (libpq's URL form, several hosts
//! allowed), credentials from the environment or a pgpass file, `sslmode`, timeouts on every
//! connection and query, a small pool, failover and backoff.
//!
//! Credentials never come from `copydesk.toml` (the config loader refuses a URL with a
//! password) and never reach a message: every error and log names the store by
//! [`Target::display`], the URL without its password.
//!
//! The store is used from synchronous code (the check path), so the pool owns a small Tokio
//! runtime and blocks on it; every query runs under a client-side timeout, as a server that
//! stops answering without closing its socket would otherwise hang a check forever.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use postgres_openssl::MakeTlsConnector;
use tokio_postgres::config::{Host, TargetSessionAttrs};
use tokio_postgres::{Client, Config};

use super::PgError;

/// How long a connection attempt to one host may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Idle connections kept for reuse.
const MAX_IDLE: usize = 4;
/// The first wait after a failure before trying to connect again; it doubles up to the max.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Whether the connection reads (any host, a standby preferred) or publishes (the primary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Read,
    Write,
}

/// Whether `text` names a PostgreSQL store rather than a folder.
pub fn is_store_url(text: &str) -> bool {
    text.starts_with("postgresql://") || text.starts_with("postgres://")
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user, hosts)) => format!("{}@{hosts}", user.split(':').next().unwrap_or("")),
        None => authority.to_string(),
    };
    // A password given as a parameter is dropped too.
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query.split('&').filter(|p| !p.starts_with("password=")).collect();
            if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) }
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// Whether the URL carries a password (refused in `copydesk.toml`).
pub fn has_password(url: &str) -> bool {
    redact(url) != url
}

/// A parsed connection string.
#[derive(Clone)]
pub struct Target {
    config: Config,
    /// The URL without its password.
    pub display: String,
    tls: MakeTlsConnector,
    /// The user gave target_session_attrs: honour it rather than prefer a standby.
    session_attrs_given: bool,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

impl Target {
    /// Parses a `postgresql://` URL; the password, if not in it, comes from `PGPASSWORD` or
    /// the pgpass file (`PGPASSFILE`, else `~/.pgpass`), as libpq does.
    pub fn parse(url: &str, role: Role) -> Result<Target, PgError> {
        let display = redact(url);
        let bad = |message: String| PgError::Url { url: display.clone(), message };
        // tokio-postgres knows sslmode disable, prefer and require; verify-ca and verify-full
        // are require with the certificate checked, and sslrootcert names the CA file.
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut kept = Vec::new();
        let (mut verify, mut verify_host, mut root_cert) = (false, false, None);
        for param in query.split('&').filter(|p| !p.is_empty()) {
            match param.split_once('=').unwrap_or((param, "")) {
                ("sslmode", "verify-ca") => {
                    verify = true;
                    kept.push("sslmode=require".to_string());
                }
                ("sslmode", "verify-full") => {
                    (verify, verify_host) = (true, true);
                    kept.push("sslmode=require".to_string());
                }
                ("sslmode", "allow") => kept.push("sslmode=prefer".to_string()),
                ("sslrootcert", file) => root_cert = Some(file.to_string()),
                _ => kept.push(param.to_string()),
            }
        }
        let session_attrs_given = kept.iter().any(|p| p.starts_with("target_session_attrs="));
        let rebuilt = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
        let mut config: Config = rebuilt.parse().map_err(|e: tokio_postgres::Error| bad(e.to_string()))?;
        if config.get_user().is_none() {
            let user = std::env::var("PGUSER").or_else(|_| std::env::var("USER")).map_err(|_| bad("no user name in the URL, PGUSER or USER".into()))?;
            config.user(&user);
        }
        if config.get_dbname().is_none() {
            let db = std::env::var("PGDATABASE").unwrap_or_else(|_| config.get_user().unwrap_or_default().to_string());
            config.dbname(&db);
        }
        if config.get_password().is_none() {
            if let Some(password) = std::env::var("PGPASSWORD").ok().or_else(|| pgpass_password(&config)) {
                config.password(password);
            }
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.keepalives(true).keepalives_idle(Duration::from_secs(30));
        config.application_name("copydesk");
        if config.get_options().is_none() {
            // A search groups tens of thousands of postings: in memory, not sorted on disk.
            config.options("-c work_mem=32MB");
        }
        if role == Role::Write && !session_attrs_given {
            config.target_session_attrs(TargetSessionAttrs::ReadWrite);
        }
        let mut builder = SslConnector::builder(SslMethod::tls()).map_err(|e| bad(format!("TLS: {e}")))?;
        if let Some(file) = &root_cert {
            builder.set_ca_file(file).map_err(|e| bad(format!("sslrootcert {file}: {e}")))?;
        }
        builder.set_verify(if verify { SslVerifyMode::PEER } else { SslVerifyMode::NONE });
        let mut tls = MakeTlsConnector::new(builder.build());
        tls.set_callback(move |connect, _| {
            connect.set_verify_hostname(verify_host);
            Ok(())
        });
        Ok(Target { config, display, tls, session_attrs_given })
    }

    /// Connects to the first host that answers; a reader tries the standbys first.
    async fn connect(&self, role: Role) -> Result<Client, tokio_postgres::Error> {
        if role == Role::Read && !self.session_attrs_given && self.config.get_hosts().len() > 1 {
            let mut standby = self.config.clone();
            standby.target_session_attrs(TargetSessionAttrs::ReadOnly);
            if let Ok(client) = connect_with(&standby, &self.tls).await {
                return Ok(client);
            }
        }
        connect_with(&self.config, &self.tls).await
    }
}

async fn connect_with(config: &Config, tls: &MakeTlsConnector) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = config.connect(tls.clone()).await?;
    // The connection's task ends when the client is dropped or the server goes away; its
    // error then shows on the client's next query.
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// The password for this connection from the pgpass file, if one matches. As libpq, a file
/// others can read is ignored.
fn pgpass_password(config: &Config) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE").map(std::path::PathBuf::from).or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(&file).ok()?.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let user = config.get_user().unwrap_or("");
    let db = config.get_dbname().unwrap_or("");
    let ports = config.get_ports();
    let hosts: Vec<(String, String)> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let name = match host {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(_) => "localhost".to_string(),
            };
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            (name, port.to_string())
        })
        .collect();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let fields = pgpass_fields(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = |field: &str, value: &str| field == "*" || field == value;
        if hosts.iter().any(|(h, p)| matches(&fields[0], h) && matches(&fields[1], p)) && matches(&fields[2], db) && matches(&fields[3], user) {
            return Some(fields[4].clone());
        }
    }
    None
}

/// A pgpass line's fields: `:` separates, `\` escapes.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().expect("one field").extend(chars.next()),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

/// Connections to one store, reused across queries, with a runtime to drive them.
pub struct Pool {
    runtime: Option<tokio::runtime::Runtime>,
    pub target: Target,
    role: Role,
    idle: Mutex<Vec<Client>>,
    /// After a failure: when to try again, and the wait after the next failure.
    backoff: Mutex<Option<(Instant, Duration)>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pool({})", self.target.display)
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // The pool may be dropped on an async thread (the language server), where a runtime
        // may not block while shutting down.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Pool {
    pub fn new(target: Target, role: Role) -> Result<Pool, PgError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("copydesk-pg")
            .enable_all()
            .build()
            .map_err(|e| PgError::Connect { url: target.display.clone(), message: e.to_string() })?;
        Ok(Pool { runtime: Some(runtime), target, role, idle: Mutex::new(Vec::new()), backoff: Mutex::new(None) })
    }

    fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime.as_ref().expect("the runtime lives as long as the pool")
    }

    /// Runs `query` on a pooled connection within `timeout`. A connection the server closed
    /// (a host stopped, a failover) is replaced and the query tried once more on a fresh one,
    /// which may be another host. After a failure, connecting waits out a backoff that
    /// doubles with each further failure.
    pub fn run<T>(&self, what: &str, timeout: Duration, query: impl AsyncFn(&Client) -> Result<T, tokio_postgres::Error>) -> Result<T, PgError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let client = self.checkout()?;
            let outcome = self.runtime().block_on(async { tokio::time::timeout(timeout, query(&client)).await });
            match outcome {
                Ok(Ok(value)) => {
                    self.checkin(client);
                    *self.backoff.lock().unwrap_or_else(|e| e.into_inner()) = None;
                    return Ok(value);
                }
                Ok(Err(err)) => {
                    let lost = client.is_closed() || connection_lost(&err);
                    if !lost {
                        self.checkin(client);
                        return Err(PgError::Query { what: what.to_string(), message: describe(&err) });
                    }
                    // Every idle connection likely went to the same host: drop them all.
                    self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
                    if attempt >= 2 {
                        self.failed();
                        return Err(PgError::Unavailable { url: self.target.display.clone(), message: describe(&err) });
                    }
                }
                Err(_) => {
                    self.failed();
                    return Err(PgError::Unavailable { url: self.target.display.clone(), message: format!("{what} took over {} ms", timeout.as_millis()) });
                }
            }
        }
    }

    fn failed(&self) {
        let mut backoff = self.backoff.lock().unwrap_or_else(|e| e.into_inner());
        let wait = backoff.map_or(FIRST_BACKOFF, |(_, wait)| (wait * 2).min(MAX_BACKOFF));
        *backoff = Some((Instant::now() + wait, wait));
    }

    fn checkout(&self) -> Result<Client, PgError> {
        if let Some(client) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            if !client.is_closed() {
                return Ok(client);
            }
        }
        if let Some((until, _)) = *self.backoff.lock().unwrap_or_else(|e| e.into_inner()) {
            let now = Instant::now();
            if now < until {
                return Err(PgError::Unavailable {
                    url: self.target.display.clone(),
                    message: format!("reconnecting in {} ms", (until - now).as_millis()),
                });
            }
        }
        let connected = self.runtime().block_on(async {
            let attempt = self.target.connect(self.role);
            // Every host may be tried in turn, each within the connect timeout.
            let hosts = self.target.config.get_hosts().len().max(1) as u32;
            tokio::time::timeout(CONNECT_TIMEOUT * (hosts * 2 + 1), attempt).await
        });
        match connected {
            Ok(Ok(client)) => Ok(client),
            Ok(Err(err)) => {
                self.failed();
                Err(PgError::Unavailable { url: self.target.display.clone(), message: describe(&err) })
            }
            Err(_) => {
                self.failed();
                Err(PgError::Unavailable { url: self.target.display.clone(), message: "connecting timed out".into() })
            }
        }
    }

    fn checkin(&self, client: Client) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE && !client.is_closed() {
            idle.push(client);
        }
    }

    /// Runs `work` on the pool's runtime with a connection of its own (publishing holds one
    /// for a whole batch).
    pub fn with_client<T>(&self, work: impl AsyncFnOnce(&mut Client) -> Result<T, PgError>) -> Result<T, PgError> {
        let mut client = self.checkout()?;
        let out = self.runtime().block_on(work(&mut client));
        if out.is_ok() {
            self.checkin(client);
        }
        out
    }
}

/// Whether an error means the connection is gone (rather than the query being wrong).
fn connection_lost(err: &tokio_postgres::Error) -> bool {
    if err.is_closed() {
        return true;
    }
    match err.code() {
        // Class 08 (connection exception) and 57 (operator intervention: a shutdown).
        Some(code) => code.code().starts_with("08") || code.code().starts_with("57"),
        None => true,
    }
}

/// An error's message with the server's detail, never a password (tokio-postgres does not
/// echo credentials).
pub fn describe(err: &tokio_postgres::Error) -> String {
    match err.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(inner) = source {
                message.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            message
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_shown_without_their_password() {
        assert_eq!(redact("postgresql://u:secret@h1:5,h2:6/db?sslmode=require"), "postgresql://u@h1:5,h2:6/db?sslmode=require");
        assert_eq!(redact("postgresql://u@h/db?password=secret&sslmode=disable"), "postgresql://u@h/db?sslmode=disable");
        assert_eq!(redact("postgresql://h/db"), "postgresql://h/db");
        assert!(has_password("postgres://u:p@h/db"));
        assert!(!has_password("postgres://u@h/db"));
    }

    #[test]
    fn pgpass_lines_are_split_with_escapes() {
        assert_eq!(pgpass_fields(r"h:5432:*:u:pa\:ss"), vec!["h", "5432", "*", "u", "pa:ss"]);
    }

    #[test]
    fn verify_modes_are_accepted_and_a_writer_asks_for_the_primary() {
        let target = Target::parse("postgresql://u@127.0.0.1:1,127.0.0.1:2/db?sslmode=verify-full", Role::Write).unwrap();
        assert_eq!(target.config.get_target_session_attrs(), TargetSessionAttrs::ReadWrite);
        assert_eq!(target.config.get_hosts().len(), 2);
        assert!(Target::parse("postgresql://u@h/db?sslmode=bogus", Role::Read).is_err());
    }
}
