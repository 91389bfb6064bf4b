//! The real thing: the `benefits` binary on a free port, and a real SMTP
//! server (aiosmtpd, installed by scripts/setup.sh) that stores what it
//! receives in a Maildir.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_benefits");

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not start on port {port}");
}

/// aiosmtpd from `tools/smtp-venv`.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
}

impl SmtpSink {
    pub async fn start(dir: &Path) -> SmtpSink {
        SmtpSink::start_on(dir, free_port()).await
    }

    pub async fn start_on(dir: &Path, port: u16) -> SmtpSink {
        let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/smtp-venv/bin/python");
        assert!(python.exists(), "{} is missing: run `bash scripts/setup.sh` (it installs aiosmtpd)", python.display());
        let maildir = dir.join("maildir");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        wait_port(port, "aiosmtpd").await;
        SmtpSink { child, port, maildir }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, decoded enough to read links.
    pub fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        files.iter().filter_map(|f| std::fs::read_to_string(f).ok()).map(|m| unfold_quoted_printable(&m)).collect()
    }

    /// Every message received so far, decoded by Python's `email` package
    /// (subjects and bodies in any transfer encoding).
    pub fn parsed(&self) -> Vec<Mail> {
        const DECODE: &str = r#"
import email, email.policy, json, os, sys
d = os.path.join(sys.argv[1], "new")
out = []
for f in sorted(os.listdir(d)) if os.path.isdir(d) else []:
    with open(os.path.join(d, f), "rb") as fh:
        m = email.message_from_binary_file(fh, policy=email.policy.default)
    text = m.get_body(preferencelist=("plain",))
    html = m.get_body(preferencelist=("html",))
    out.append({"file": f, "to": str(m["To"]), "subject": str(m["Subject"]),
                "text": text.get_content() if text else "", "html": html.get_content() if html else ""})
print(json.dumps(out))
"#;
        let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/smtp-venv/bin/python");
        let out = Command::new(python).args(["-c", DECODE]).arg(&self.maildir).output().expect("run python");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("decoded mail as JSON")
    }

    /// Waits until `n` messages to `to` have arrived; returns them.
    pub async fn wait_for(&self, to: &str, n: usize, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let got: Vec<String> = self.messages().into_iter().filter(|m| m.contains(&format!("To: {to}"))).collect();
            if got.len() >= n || Instant::now() > deadline {
                assert!(got.len() >= n, "expected {n} message(s) to {to}, got {}", got.len());
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A received message, decoded.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Mail {
    /// The Maildir file (names are unique, not ordered).
    pub file: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Soft line breaks and `=3D` of quoted-printable, so links read whole.
fn unfold_quoted_printable(m: &str) -> String {
    m.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
}

/// The server process, its address, its log and its mail folder.
pub struct Server {
    child: Child,
    pub base: String,
    pub port: u16,
    pub log: PathBuf,
    /// Where it writes messages when it has no SMTP server.
    pub mail: PathBuf,
    /// The folder of the log and mail when the store is PostgreSQL (with a
    /// SQLite file they lie beside it, in the test's folder).
    _files: Option<tempfile::TempDir>,
}

impl Server {
    /// `benefits serve` on `db` with extra arguments; `scheme` is http or https.
    pub async fn start(db: &Path, port: u16, scheme: &str, extra: &[String]) -> Server {
        Server::start_on(db, "127.0.0.1", port, scheme, extra).await
    }

    /// The same, listening on `host` (e.g. `0.0.0.0`, beyond this machine).
    pub async fn start_on(db: &Path, host: &str, port: u16, scheme: &str, extra: &[String]) -> Server {
        let files = db.to_string_lossy().contains("://").then(|| tempfile::tempdir().unwrap());
        let base = files.as_ref().map_or_else(|| db.to_path_buf(), |d| d.path().join("server"));
        let log = base.with_extension(format!("{port}.log"));
        let mail = base.with_extension(format!("{port}.mail"));
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(BIN)
            .args(["serve", "--addr", &format!("{host}:{port}"), "--db", db.to_str().unwrap(), "--dist", "/nonexistent-dist"])
            .arg("--mail-dir")
            .arg(&mail)
            .args(extra)
            .env("RUST_LOG", "info,sqlx=warn")
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .unwrap();
        wait_port(port, "benefits").await;
        Server { child, base: format!("{scheme}://127.0.0.1:{port}"), port, log, mail, _files: files }
    }

    pub fn kill_9(&mut self) {
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh demo database (seeded as of 2025-07-15): a SQLite file in `dir`,
/// or a new PostgreSQL database when `BENEFITS_TEST_PG` is set.
pub fn seeded_db(dir: &Path) -> PathBuf {
    let db = super::fresh_store_blocking(dir);
    let out = Command::new(BIN).args(["seed-demo", "--db", db.to_str().unwrap(), "--today", "2025-07-15"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

pub const OPERATOR: (&str, &str) = ("rewards@program.example", "demo-operator-7261");

/// A signed-in client of the real server: the cookie and CSRF token by hand,
/// since the session cookie is `Secure` and this may be plain http.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

impl Client {
    pub async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> Result<Client, reqwest::StatusCode> {
        let res = http
            .post(format!("{base}/api/session/login"))
            .header("x-requested-with", "benefits")
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        Client::from_sign_in(http, base, res).await
    }

    pub async fn from_sign_in(http: &reqwest::Client, base: &str, res: reqwest::Response) -> Result<Client, reqwest::StatusCode> {
        if !res.status().is_success() {
            return Err(res.status());
        }
        let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
        let body: serde_json::Value = res.json().await.unwrap();
        Ok(Client { http: http.clone(), base: base.to_string(), cookie, csrf: body["csrf_token"].as_str().unwrap().to_string() })
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(format!("{}{path}", self.base)).header("cookie", &self.cookie)
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(format!("{}{path}", self.base)).header("cookie", &self.cookie).header("x-csrf-token", &self.csrf)
    }
}
