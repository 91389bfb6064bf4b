//! TestApp: a real SQLite file per test in a temp dir (or, when
//! `BENEFITS_TEST_PG` holds a PostgreSQL address, a fresh database of its own
//! on that server), the router driven with `oneshot`, and helpers to create
//! partners and users and to sign in.
#![allow(dead_code)]

pub mod real;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use benefits_server::auth::{hash_password, PasswordParams};
use benefits_server::clock::Clock;
use benefits_server::feed::{self, FeedError, Format, IngestResult, Kind, Source};
use benefits_server::{ApiContext, Config};
use chrono::NaiveDate;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// Cheap Argon2id for tests; production uses the OWASP parameters.
pub const TEST_PASSWORD_PARAMS: PasswordParams = PasswordParams { m_kib: 256, t: 1, p: 1 };
pub const PASSWORD: &str = "correct horse battery";
pub const TODAY: &str = "2025-07-15";

pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub struct TestApp {
    pub dir: tempfile::TempDir,
    /// What `--db` would say for this test's store: the SQLite file or the
    /// PostgreSQL database's address.
    pub db: std::path::PathBuf,
    pub ctx: ApiContext,
    pub app: Router,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub user_id: String,
}

#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Res {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or("").to_string()
    }

    pub fn etag(&self) -> String {
        self.headers.get(header::ETAG).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Res {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        self
    }

    #[track_caller]
    pub fn expect_error(self, status: u16, code: &str) -> Res {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        assert_eq!(self.code(), code, "unexpected code; body: {}", self.text);
        self
    }
}

/// A request under construction.
pub struct Req<'a> {
    app: &'a TestApp,
    builder: axum::http::request::Builder,
    body: Body,
}

impl<'a> Req<'a> {
    pub fn session(mut self, s: &Session) -> Self {
        self.builder = self.builder.header(header::COOKIE, &s.cookie).header("x-csrf-token", &s.csrf);
        self
    }

    /// Only the cookie, without the CSRF token.
    pub fn cookie_only(mut self, s: &Session) -> Self {
        self.builder = self.builder.header(header::COOKIE, &s.cookie);
        self
    }

    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.builder = self.builder.header(k, v);
        self
    }

    /// The TCP peer the server sees (as `ConnectInfo`).
    pub fn peer(mut self, ip: &str) -> Self {
        let addr = std::net::SocketAddr::new(ip.parse().unwrap(), 40_000);
        self.builder = self.builder.extension(axum::extract::ConnectInfo(addr));
        self
    }

    pub fn if_match(self, v: impl std::fmt::Display) -> Self {
        let v = format!("\"{v}\"");
        self.header("if-match", &v)
    }

    pub fn json(mut self, v: &Value) -> Self {
        self.builder = self.builder.header(header::CONTENT_TYPE, "application/json");
        self.body = Body::from(serde_json::to_vec(v).unwrap());
        self
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<Body>) -> Self {
        self.builder = self.builder.header(header::CONTENT_TYPE, content_type);
        self.body = body.into();
        self
    }

    pub async fn send(self) -> Res {
        let req = self.builder.header(header::HOST, "localhost").body(self.body).unwrap();
        answer(self.app.app.clone(), req).await
    }

    /// Sends the request on a task of its own, so that several run at once
    /// (on a multi-threaded test runtime, truly in parallel).
    pub fn spawn(self) -> tokio::task::JoinHandle<Res> {
        let req = self.builder.header(header::HOST, "localhost").body(self.body).unwrap();
        tokio::spawn(answer(self.app.app.clone(), req))
    }
}

async fn answer(app: Router, req: Request<Body>) -> Res {
    let res = app.oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Res { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
}

/// A change to the test server's settings.
type Tweak = Box<dyn FnOnce(&mut Config)>;

pub struct Builder {
    tweak: Option<Tweak>,
    today: Option<NaiveDate>,
    dist: Option<std::path::PathBuf>,
    login_limit_account: usize,
    login_limit_ip: usize,
}

/// A store no other test uses: a SQLite file in `dir`, or, when
/// `BENEFITS_TEST_PG` is set (`scripts/pg.sh env`), a database created on that
/// PostgreSQL server for this test alone (left there: the server is a
/// throwaway one, deleted by `scripts/pg.sh stop`).
pub async fn fresh_store(dir: &std::path::Path) -> std::path::PathBuf {
    match std::env::var("BENEFITS_TEST_PG") {
        Ok(admin) if !admin.is_empty() => pg_database(&admin).await.into(),
        _ => dir.join("db").join("test.sqlite3"),
    }
}

/// [`fresh_store`] for a caller outside async code (or on a current-thread
/// runtime): on a thread of its own.
pub fn fresh_store_blocking(dir: &std::path::Path) -> std::path::PathBuf {
    std::thread::scope(|s| {
        s.spawn(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(fresh_store(dir))).join().unwrap()
    })
}

/// Creates a database with a name no other test (or earlier run) has and
/// returns the address of it: `admin` with its database name replaced.
async fn pg_database(admin: &str) -> String {
    use sqlx::{Connection, Executor};
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let name = format!("t{}_{}_{}", std::process::id(), nanos, N.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(admin).await.expect("BENEFITS_TEST_PG: cannot connect");
    conn.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    conn.close().await.unwrap();
    let (base, query) = admin.split_once('?').map_or((admin, None), |(b, q)| (b, Some(q)));
    let server = base.rsplit_once('/').filter(|(s, _)| s.contains("//")).map_or(base, |(s, _)| s);
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

impl TestApp {
    pub fn builder() -> Builder {
        Builder { tweak: None, today: Some(date(TODAY)), dist: None, login_limit_account: 5, login_limit_ip: 20 }
    }

    pub async fn new() -> TestApp {
        TestApp::builder().build().await
    }

    pub fn req(&self, method: &str, uri: &str) -> Req<'_> {
        Req { app: self, builder: Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(uri), body: Body::empty() }
    }

    pub fn get(&self, uri: &str) -> Req<'_> {
        self.req("GET", uri)
    }

    pub fn post(&self, uri: &str) -> Req<'_> {
        self.req("POST", uri)
    }

    pub fn db_path(&self) -> std::path::PathBuf {
        self.db.clone()
    }

    /// Another server on the same database whose clock says `today`.
    pub async fn on_day(&self, today: &str) -> TestApp {
        let db = benefits_server::db::open(&self.db_path()).await.unwrap();
        let config = Config {
            password: TEST_PASSWORD_PARAMS,
            clock: Clock { fixed_today: Some(date(today)) },
            public_url: self.ctx.config.public_url.clone(),
            ..Config::default()
        };
        let ctx = ApiContext::new(db, config);
        let app = benefits_server::app(ctx.clone());
        TestApp { dir: tempfile::tempdir().unwrap(), db: self.db.clone(), ctx, app }
    }

    pub fn pool(&self) -> &sqlx::AnyPool {
        &self.ctx.db.write
    }

    pub async fn partner(&self, id: &str, name: &str) {
        sqlx::query("INSERT INTO partners (id, name, account_email, data_version, created_at) VALUES ($1, $2, $3, 0, 'now')")
            .bind(id)
            .bind(name)
            .bind(format!("account@{id}.example"))
            .execute(self.pool())
            .await
            .unwrap();
    }

    /// Creates a user directly in the store; returns its id.
    pub async fn user(&self, partner: Option<&str>, email: &str, role: &str) -> String {
        let id = format!("u_{}", email.replace(['@', '.'], "_"));
        let hash = hash_password(PASSWORD, TEST_PASSWORD_PARAMS).unwrap();
        sqlx::query("INSERT INTO users (id, partner_id, email, name, role, password_hash, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, 'now')")
            .bind(&id)
            .bind(partner)
            .bind(email)
            .bind(email.split('@').next().unwrap())
            .bind(role)
            .bind(hash)
            .execute(self.pool())
            .await
            .unwrap();
        id
    }

    pub async fn login(&self, email: &str) -> Session {
        let res = self
            .post("/api/session/login")
            .header("x-requested-with", "benefits")
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect(200);
        session_of(&res)
    }

    /// Two partners, each with an admin and a member, and an operator; all signed in.
    pub async fn world() -> (TestApp, World) {
        TestApp::world_on(TestApp::new().await).await
    }

    /// [`TestApp::world`] on an app built by the caller.
    pub async fn world_on(app: TestApp) -> (TestApp, World) {
        app.partner("acme", "Acme Apps").await;
        app.partner("globex", "Globex Cloud").await;
        let acme_admin_id = app.user(Some("acme"), "admin@acme.example", "admin").await;
        let acme_member_id = app.user(Some("acme"), "member@acme.example", "member").await;
        app.user(Some("globex"), "admin@globex.example", "admin").await;
        app.user(Some("globex"), "member@globex.example", "member").await;
        app.user(None, "ops@program.example", "operator").await;
        let world = World {
            acme_admin: app.login("admin@acme.example").await,
            acme_member: app.login("member@acme.example").await,
            globex_admin: app.login("admin@globex.example").await,
            globex_member: app.login("member@globex.example").await,
            operator: app.login("ops@program.example").await,
            acme_admin_id,
            acme_member_id,
        };
        (app, world)
    }

    /// The one-time link of the newest queued message to `to` (read from the
    /// outbox: these tests run without the mail worker).
    pub async fn last_link_to(&self, to: &str) -> String {
        let text: String = sqlx::query_scalar("SELECT text_body FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1")
            .bind(to)
            .fetch_optional(self.pool())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no mail to {to}"));
        link_in(&text).unwrap_or_else(|| panic!("no link in the mail to {to}: {text}"))
    }

    /// Invites `email` to partner `pid` as `role` (by its admin) and accepts; returns the new session.
    pub async fn invite_and_accept(&self, admin: &Session, pid: &str, email: &str, role: &str, password: &str) -> Session {
        self.post(&format!("/api/partners/{pid}/invitations"))
            .session(admin)
            .json(&json!({"email": email, "role": role}))
            .send()
            .await
            .expect(201);
        let link = self.last_link_to(email).await;
        let token = link.rsplit('/').next().unwrap().to_string();
        let res = self
            .post(&format!("/api/invitations/{token}/accept"))
            .json(&json!({"name": "New Person", "password": password}))
            .send()
            .await
            .expect(201);
        session_of(&res)
    }

    /// One integer read (through the read pool: on PostgreSQL the write
    /// pool is SERIALIZABLE, where a read racing the server's writes may fail).
    /// Acme's member as its marketing contact (the admin assigns it).
    pub async fn acme_contact(&self, w: &World) {
        self.req("PUT", "/api/partners/acme/contact")
            .session(&w.acme_admin)
            .json(&json!({"user_id": w.acme_member_id, "email": "m@acme.example", "phone": "+14155552671", "language": "en"}))
            .send()
            .await
            .expect(200);
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.ctx.db.read).await.unwrap()
    }

    /// A list offer live since 2024-03-01 and a transact offer live since 2024-06-01 for `pid`, from the feed.
    pub async fn offers(&self, pid: &str) {
        let csv = format!(
            "partner_id,offer_id,type,name,live_on,delisted_on\n{pid},list-1,list,Offer list-1,2024-03-01,\n{pid},saas-1,transact,Offer saas-1,2024-06-01,\n"
        );
        self.feed("offers", &csv).await;
    }

    /// Ingests a CSV feed file as `benefits ingest` does; panics when it is refused.
    pub async fn feed(&self, kind: &str, csv: &str) -> IngestResult {
        self.try_feed(kind, csv).await.unwrap_or_else(|e| panic!("feed {kind} refused: {e:?}"))
    }

    pub async fn try_feed(&self, kind: &str, csv: &str) -> Result<IngestResult, FeedError> {
        let source = Source { via: "cli", user_id: None, actor: Some("test".into()), file_name: None };
        feed::ingest(&self.ctx.db, Kind::parse(kind).unwrap(), Format::Csv, std::io::Cursor::new(csv.as_bytes().to_vec()), source).await
    }

    /// A new service token's secret.
    pub async fn service_token(&self, name: &str) -> String {
        let mut conn = self.pool().acquire().await.unwrap();
        benefits_server::service_tokens::create(&mut conn, name, None).await.unwrap().token
    }

    /// Every table's rows, for "nothing changed" checks.
    pub async fn snapshot_db(&self) -> Vec<(String, i64)> {
        let mut out = Vec::new();
        for t in [
            "partners", "users", "contacts", "offers", "sales", "bizapps_values", "teams_mau", "benefit_records", "catalogs", "audit_log",
            "idempotency_keys", "invitations", "mail_outbox", "user_tokens", "sessions", "grants", "ingestions", "service_tokens",
        ] {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {t}")).fetch_one(self.pool()).await.unwrap();
            let v: i64 = if t == "partners" {
                sqlx::query_scalar("SELECT COALESCE(CAST(SUM(data_version) AS BIGINT), 0) FROM partners").fetch_one(self.pool()).await.unwrap()
            } else {
                0
            };
            out.push((t.to_string(), n * 1_000_000 + v));
        }
        out
    }
}

/// The session a sign-in answer opened.
pub fn session_of(res: &Res) -> Session {
    let set_cookie = res.headers.get(header::SET_COOKIE).expect("a session cookie").to_str().unwrap();
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let body = res.json();
    Session { cookie, csrf: body["csrf_token"].as_str().unwrap().to_string(), user_id: body["user"]["id"].as_str().unwrap().to_string() }
}

/// The first http(s) link in a message's text.
pub fn link_in(text: &str) -> Option<String> {
    let start = text.find("http://").or_else(|| text.find("https://"))?;
    Some(text[start..].split_whitespace().next()?.to_string())
}

pub struct World {
    pub acme_admin: Session,
    pub acme_member: Session,
    pub globex_admin: Session,
    pub globex_member: Session,
    pub operator: Session,
    pub acme_admin_id: String,
    pub acme_member_id: String,
}

impl Builder {
    pub fn today(mut self, d: &str) -> Self {
        self.today = Some(date(d));
        self
    }

    pub fn dist(mut self, d: std::path::PathBuf) -> Self {
        self.dist = Some(d);
        self
    }

    pub fn login_limits(mut self, account: usize, ip: usize) -> Self {
        self.login_limit_account = account;
        self.login_limit_ip = ip;
        self
    }

    /// Any other setting.
    pub fn config(mut self, f: impl FnOnce(&mut Config) + 'static) -> Self {
        self.tweak = Some(Box::new(f));
        self
    }

    pub async fn build(self) -> TestApp {
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("error").try_init();
        let dir = tempfile::tempdir().unwrap();
        let db_arg = fresh_store(dir.path()).await;
        let db = benefits_server::db::open(&db_arg).await.unwrap();
        let mut config = Config {
            dist: self.dist,
            password: TEST_PASSWORD_PARAMS,
            clock: Clock { fixed_today: self.today },
            login_limit_account: self.login_limit_account,
            login_limit_ip: self.login_limit_ip,
            mail: benefits_server::mail::MailConfig { dir: dir.path().join("mail"), ..Default::default() },
            ..Config::default()
        };
        if let Some(f) = self.tweak {
            f(&mut config);
        }
        let ctx = ApiContext::new(db, config);
        let app = benefits_server::app(ctx.clone());
        TestApp { dir, db: db_arg, ctx, app }
    }
}

/// The evaluation of a workspace as the browser computes it: the domain's
/// `evaluate_daily` on the workspace's daily `input` (the server does not send it twice).
pub fn evaluation(ws: &Value) -> Value {
    serde_json::to_value(benefits_domain::evaluate_daily(&daily_input(ws))).unwrap()
}

/// The explanation of a workspace as the browser computes it (no line verdicts).
pub fn explanation(ws: &Value) -> Value {
    serde_json::to_value(benefits_domain::explain::explain_daily(&daily_input(ws))).unwrap()
}

/// The workspace's input: daily totals, valid.
pub fn daily_input(ws: &Value) -> benefits_domain::DailyInput {
    let input: benefits_domain::DailyInput = serde_json::from_value(ws["input"].clone()).expect("the workspace input parses");
    assert_eq!(input.validate(), Ok(()), "the workspace input is valid daily input");
    input
}

/// How many sales lines the workspace's daily totals add up.
pub fn daily_lines(ws: &Value) -> u64 {
    daily_input(ws).daily_sales.iter().map(|d| d.lines).sum()
}
