//! The `benefits` command: `serve`, `seed-demo`, `evaluate`.

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
    benefits_domain::parse::date::parse(s)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Evaluate { file } => evaluate(file.as_deref()),
        Command::Serve { addr, db, dist, net, mail } => run_async(serve(addr, db, dist, net, mail)),
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

async fn serve(addr: SocketAddr, db_path: PathBuf, dist: PathBuf, net: NetArgs, mail: MailArgs) -> ExitCode {
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
    worker.spawn();
    if !addr.ip().is_loopback() && tls.is_none() && !ctx.config.is_https() {
        eprintln!(
            "benefits: WARNING: listening on {addr} beyond this machine without HTTPS. Browsers drop the secure session \
             cookie on plain http, so nobody can sign in from another machine. Serve HTTPS with --tls-cert and --tls-key, \
             or put an HTTPS proxy in front and pass --public-url https://… and --trusted-proxy <proxy address>."
        );
    }
    println!("Benefits workspace: open {public_url}/");
    println!("Database: {}", db_path.display());
    println!("Mail: {mail_to}");
    if !has_app {
        println!(
            "The web app is not built ({} has no index.html): serving the API only. Build it with `trunk build --release`.",
            dist.display()
        );
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
            println!("Seeded {} with demo data as of {today}.\n", db_path.display());
            print!("{}", crate::seed::accounts_table());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("benefits seed-demo: {e}");
            ExitCode::FAILURE
        }
    }
}
