//! The `benefits` command: `serve`, `seed-demo`, `evaluate`, `ingest`, `token`, `run-jobs`.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::auth::PasswordParams;
use crate::state::{ApiContext, Config};

#[derive(Parser, Debug)]
#[command(name = "benefits", version, about = "The Marketplace Rewards Benefits workspace")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once at start; boxing `Serve` would buy nothing
pub enum Command {
    /// Serve the web app and the JSON API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "BENEFITS_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// SQLite database file (created, with its folder, when missing).
        #[arg(long, env = "BENEFITS_DB", default_value = "data/benefits.sqlite3")]
        db: PathBuf,
        /// The built web app (the folder with index.html).
        #[arg(long, env = "BENEFITS_DIST", default_value = "dist")]
        dist: PathBuf,
        #[command(flatten)]
        net: NetArgs,
        #[command(flatten)]
        mail: MailArgs,
        /// Run the program's jobs at start and then every this many minutes (0: never).
        #[arg(long, env = "BENEFITS_JOBS_EVERY_MINUTES", default_value_t = 60)]
        jobs_every_minutes: u64,
    },
    /// Ingest a marketplace feed file (CSV with a header row, or a JSON array): all or nothing.
    Ingest {
        /// partners | offers | sales | bizapps | teams-mau
        #[arg(value_parser = parse_kind)]
        kind: crate::feed::Kind,
        /// The file; `.csv` or `.json` (anything else is read as CSV).
        file: PathBuf,
        #[arg(long, env = "BENEFITS_DB", default_value = "data/benefits.sqlite3")]
        db: PathBuf,
    },
    /// Service tokens for the marketplace's jobs (they may only ingest feed files).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
        #[arg(long, env = "BENEFITS_DB", default_value = "data/benefits.sqlite3", global = true)]
        db: PathBuf,
    },
    /// Run the program's jobs once (for cron): record grants, write back expiries, mark overdue contacts.
    RunJobs {
        #[arg(long, env = "BENEFITS_DB", default_value = "data/benefits.sqlite3")]
        db: PathBuf,
        /// The address people open; links in the messages the jobs queue start with it.
        #[arg(long, env = "BENEFITS_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        public_url: String,
    },
    /// Fill a fresh database with demo partners, users and 18 months of data.
    SeedDemo {
        #[arg(long, env = "BENEFITS_DB", default_value = "data/benefits.sqlite3")]
        db: PathBuf,
        /// Erase every partner, user and record first.
        #[arg(long)]
        reset: bool,
        /// The seeding date (YYYY-MM-DD); the data ends on it. Default: today (UTC).
        #[arg(long, value_parser = parse_day)]
        today: Option<NaiveDate>,
    },
    /// Evaluate EVALUATE.md input from FILE (or standard input) and print the output.
    Evaluate {
        /// Input JSON file; standard input when absent or `-`.
        file: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token; it is printed once and stored hashed.
    Create {
        #[arg(long)]
        name: String,
    },
    /// List the tokens (never their secrets).
    List,
    /// Revoke a token by its id.
    Revoke { id: String },
}

fn parse_kind(s: &str) -> Result<crate::feed::Kind, String> {
    crate::feed::Kind::parse(s).ok_or_else(|| "must be one of partners, offers, sales, bizapps, teams-mau".to_string())
}

/// How people reach the server.
#[derive(clap::Args, Debug)]
pub struct NetArgs {
    /// The address people open, e.g. https://rewards.example.com; links in
    /// email start with it. Default: http://<--addr>.
    #[arg(long, env = "BENEFITS_PUBLIC_URL")]
    public_url: Option<String>,
    /// A reverse proxy in front of the server (repeat or comma-separate):
    /// only from these peers is X-Forwarded-For believed.
    #[arg(long = "trusted-proxy", env = "BENEFITS_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key.
    #[arg(long, env = "BENEFITS_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, env = "BENEFITS_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Operators must turn on a second factor (TOTP) to sign in.
    #[arg(long, env = "BENEFITS_REQUIRE_MFA_FOR_OPERATORS")]
    require_mfa_for_operators: bool,
    /// Days a browser keeps its offline copy of a user's data; older copies
    /// are deleted (told to the app in GET /api/session/me).
    #[arg(long, env = "BENEFITS_OFFLINE_MAX_AGE_DAYS", default_value_t = benefits_api::session::OFFLINE_MAX_AGE_DAYS,
        value_parser = clap::value_parser!(u32).range(1..=3650))]
    offline_max_age_days: u32,
}

/// Where mail goes.
#[derive(clap::Args, Debug)]
pub struct MailArgs {
    /// SMTP server, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@mail.example.com.
    /// Without it, each message is written as an .eml file into --mail-dir.
    #[arg(long, env = "BENEFITS_SMTP_URL")]
    smtp_url: Option<String>,
    #[arg(long, env = "BENEFITS_MAIL_DIR", default_value = "data/mail")]
    mail_dir: PathBuf,
    /// The sender of every message.
    #[arg(long, env = "BENEFITS_MAIL_FROM", default_value = "Marketplace Rewards <no-reply@localhost>")]
    mail_from: String,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    benefits_domain::parse::date::parse(s).map_err(|e| e.message())
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Evaluate { file } => evaluate(file.as_deref()),
        Command::Serve { addr, db, dist, net, mail, jobs_every_minutes } => run_async(serve(addr, db, dist, net, mail, jobs_every_minutes)),
        Command::Ingest { kind, file, db } => run_async(ingest(kind, file, db)),
        Command::Token { command, db } => run_async(token(command, db)),
        Command::RunJobs { db, public_url } => run_async(run_jobs(db, public_url)),
        Command::SeedDemo { db, reset, today } => run_async(seed(db, reset, today)),
    }
}

fn run_async(f: impl std::future::Future<Output = ExitCode>) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt.block_on(f),
        Err(e) => {
            eprintln!("benefits: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `benefits evaluate`: exit 0 with the output, or 2 with one line naming the problem.
pub fn evaluate(file: Option<&Path>) -> ExitCode {
    let text = match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => {
            let mut t = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut t) {
                eprintln!("cannot read standard input: {e}");
                return ExitCode::from(2);
            }
            t
        }
    };
    match benefits_domain::evaluate_json(&text) {
        Ok(out) => {
            let mut json = match serde_json::to_string_pretty(&out) {
                Ok(j) => j,
                Err(e) => {
                    eprintln!("cannot print the output: {e}");
                    return ExitCode::FAILURE;
                }
            };
            json.push('\n');
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(json.as_bytes()).and_then(|_| stdout.flush()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // One line, whatever the message holds.
            eprintln!("{}", e.to_string().replace(['\n', '\r'], " "));
            ExitCode::from(2)
        }
    }
}

async fn serve(addr: SocketAddr, db_path: PathBuf, dist: PathBuf, net: NetArgs, mail: MailArgs, jobs_every_minutes: u64) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let db = match crate::db::open(&db_path).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("benefits: {e}");
            return ExitCode::FAILURE;
        }
    };
    let tls = net.tls_cert.as_ref().zip(net.tls_key.as_ref());
    let scheme = if tls.is_some() { "https" } else { "http" };
    let public_url = net.public_url.clone().unwrap_or_else(|| format!("{scheme}://{addr}"));
    let has_app = dist.join("index.html").is_file();
    let config = Config {
        dist: Some(dist.clone()),
        public_url: public_url.clone(),
        trusted_proxies: net.trusted_proxies.clone(),
        require_mfa_for_operators: net.require_mfa_for_operators,
        offline_max_age_days: net.offline_max_age_days,
        mail: crate::mail::MailConfig { smtp_url: mail.smtp_url, dir: mail.mail_dir, from: mail.mail_from },
        ..Config::default()
    };
    let ctx = ApiContext::new(db, config);
    let worker = match ctx.mail_worker() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("benefits: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mail_to = worker.transport.describe();
    if !addr.ip().is_loopback() && tls.is_none() && !ctx.config.is_https() {
        // One write: stderr is unbuffered, and the log (stdout) may share its file.
        let warning = format!(
            "benefits: WARNING: listening on {addr} beyond this machine without HTTPS. Browsers drop the secure session \
             cookie on plain http, so nobody can sign in from another machine. Serve HTTPS with --tls-cert and --tls-key, \
             or put an HTTPS proxy in front and pass --public-url https://… and --trusted-proxy <proxy address>.\n"
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), warning.as_bytes());
    }
    worker.spawn();
    println!("Benefits workspace: open {public_url}/");
    println!("Database: {}", crate::db::display(&db_path));
    println!("Mail: {mail_to}");
    if !has_app {
        println!(
            "The web app is not built ({} has no index.html): serving the API only. Build it with `trunk build --release`.",
            dist.display()
        );
    }
    if jobs_every_minutes > 0 {
        crate::jobs::spawn(ctx.clone(), std::time::Duration::from_secs(jobs_every_minutes * 60));
    }
    let app = crate::app(ctx).into_make_service_with_connect_info::<SocketAddr>();
    let served = match tls {
        Some((cert, key)) => serve_tls(addr, cert, key, app).await,
        None => serve_plain(addr, app).await,
    };
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benefits: {e}");
            ExitCode::FAILURE
        }
    }
}

type MakeService = axum::extract::connect_info::IntoMakeServiceWithConnectInfo<axum::Router, SocketAddr>;

async fn serve_plain(addr: SocketAddr, app: MakeService) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await.map_err(|e| format!("server error: {e}"))
}

/// HTTPS with rustls: a small deployment needs no proxy.
async fn serve_tls(addr: SocketAddr, cert: &Path, key: &Path, app: MakeService) -> Result<(), String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
        .await
        .map_err(|e| format!("cannot load the TLS certificate {} and key {}: {e}", cert.display(), key.display()))?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    axum_server::bind_rustls(addr, config).handle(handle).serve(app).await.map_err(|e| format!("cannot serve on {addr}: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

async fn seed(db_path: PathBuf, reset: bool, today: Option<NaiveDate>) -> ExitCode {
    let today = today.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let db = match crate::db::open(&db_path).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!("benefits: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ctx = crate::seed::context(db, PasswordParams::OWASP);
    match crate::seed::seed_demo(&ctx, today, reset).await {
        Ok(()) => {
            println!("Seeded {} with demo data as of {today}.\n", crate::db::display(&db_path));
            print!("{}", crate::seed::accounts_table());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("benefits seed-demo: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn open_db(path: &Path) -> Result<crate::db::Db, ExitCode> {
    crate::db::open(path).await.map_err(|e| {
        eprintln!("benefits: {e}");
        ExitCode::FAILURE
    })
}

/// `benefits ingest`: prints the counts, or every bad row (first 200) and exits 2.
async fn ingest(kind: crate::feed::Kind, file: PathBuf, db_path: PathBuf) -> ExitCode {
    let format = crate::feed::Format::from_path(&file).unwrap_or(crate::feed::Format::Csv);
    let reader = match std::fs::File::open(&file) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot read {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let db = match open_db(&db_path).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    let source = crate::feed::Source { via: "cli", user_id: None, actor: std::env::var("USER").ok(), file_name: name };
    let mut result = crate::feed::ingest(&db, kind, format, std::io::BufReader::with_capacity(1 << 16, reader), source.clone()).await;
    // PostgreSQL failed the file's transaction to serialize with another
    // write: nothing was written; read the file again and run it again.
    let mut attempt = 1;
    while matches!(result, Err(crate::feed::FeedError::Store(crate::error::AppError::Retry))) && attempt < crate::db::ATTEMPTS {
        tokio::time::sleep(crate::db::backoff(attempt)).await;
        attempt += 1;
        let Ok(reader) = std::fs::File::open(&file) else { break };
        result = crate::feed::ingest(&db, kind, format, std::io::BufReader::with_capacity(1 << 16, reader), source.clone()).await;
    }
    match result {
        Ok(r) => {
            println!("{}: {} rows: {} inserted, {} updated, {} unchanged (ingestion {})", r.kind.slug(), r.rows, r.inserted, r.updated, r.unchanged, r.ingestion_id);
            ExitCode::SUCCESS
        }
        Err(crate::feed::FeedError::Rejected { errors, total }) => {
            eprintln!("{}: nothing was ingested; the file has {total} problem(s){}:", file.display(), if total > errors.len() { format!(" (the first {} shown)", errors.len()) } else { String::new() });
            for e in &errors {
                eprintln!("line {}: {}", e.line, e.error.to_string().replace(['\n', '\r'], " "));
            }
            ExitCode::from(2)
        }
        Err(crate::feed::FeedError::Store(e)) => {
            eprintln!("benefits ingest: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn token(command: TokenCommand, db_path: PathBuf) -> ExitCode {
    let db = match open_db(&db_path).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    let result: crate::error::ApiResult<()> = async {
        let mut tx = db.write.begin().await?;
        match command {
            TokenCommand::Create { name } => {
                let t = crate::service_tokens::create(&mut tx, &name, None).await?;
                println!("Service token `{}` ({}). It is shown this once; store it as a secret:\n{}", t.token_info.name, t.token_info.id, t.token);
            }
            TokenCommand::List => {
                for t in crate::service_tokens::list(&mut tx).await? {
                    let state = t.revoked_at.as_deref().map_or("active".to_string(), |r| format!("revoked {r}"));
                    println!("{}  {}  created {}  last used {}  {state}", t.id, t.name, t.created_at, t.last_used_at.as_deref().unwrap_or("never"));
                }
            }
            TokenCommand::Revoke { id } => match crate::service_tokens::revoke(&mut tx, &id, None).await? {
                Some(t) => println!("Revoked {} ({}).", t.id, t.name),
                None => return Err(crate::error::AppError::not_found()),
            },
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benefits token: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run_jobs(db_path: PathBuf, public_url: String) -> ExitCode {
    let db = match open_db(&db_path).await {
        Ok(db) => db,
        Err(code) => return code,
    };
    // The messages the jobs queue are sent by a running server's mail worker.
    let ctx = ApiContext::new(db, Config { public_url, ..Config::default() });
    let runner = format!("run-jobs pid {}", std::process::id());
    match crate::jobs::run(&ctx, &runner).await {
        Ok(r) if r.claimed => {
            println!(
                "jobs {}: {} partners, {} grants recorded, {} expiries written back, {} expiry warnings, {} overdue contacts marked, {} digests",
                r.slot, r.partners, r.grants_recorded, r.expired, r.expiry_warnings, r.overdue_marked, r.digests
            );
            ExitCode::SUCCESS
        }
        Ok(r) => {
            println!("jobs {}: already run by another server this hour; nothing to do", r.slot);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("benefits run-jobs: {e}");
            ExitCode::FAILURE
        }
    }
}
