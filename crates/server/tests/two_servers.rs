//! Two `benefits serve` processes on one store, a client alternating between
//! them (issue 13): nothing that must be shared lives in one process. With
//! `BENEFITS_TEST_PG` set the store is a fresh PostgreSQL database, otherwise
//! one SQLite file that both processes open (WAL lets them).
//!
//! - a session opened through one server works on the other;
//! - an activation through one is seen at once through the other, even though
//!   the other had that partner's workspace in its evaluation cache;
//! - the login limit holds across both;
//! - the jobs of an hour run once;
//! - a `kill -9` of one server loses no acknowledged write.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::real::{self, Client, Server, BIN};

/// `benefits serve` on `db`, on a free port (log and mail in a folder of its own).
async fn serve(db: &Path) -> Server {
    let server = Server::start(db, real::free_port(), "http", &[]).await;
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while http.get(format!("{}/api/health", server.base)).send().await.map_or(true, |r| !r.status().is_success()) {
        assert!(Instant::now() < deadline, "server did not start: {}", server.log_text());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server
}

fn benefits(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(out.status.success(), "benefits {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> Result<Client, reqwest::StatusCode> {
    Client::login(http, base, email, password).await
}

/// The same signed-in client, talking to another server.
fn through(c: &Client, base: &str) -> Client {
    Client { http: c.http.clone(), base: base.to_string(), cookie: c.cookie.clone(), csrf: c.csrf.clone() }
}

/// Activates Contoso's benefit `id` at `version` through the client's server.
async fn activate(c: &Client, id: &str, version: i64) -> reqwest::Response {
    c.post(&format!("/api/partners/contoso/benefits/{id}/activate")).header("if-match", version.to_string()).send().await.unwrap()
}

async fn workspace(c: &Client) -> Value {
    let res = c.get("/api/partners/contoso/workspace").send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn benefit<'a>(ws: &'a Value, id: &str) -> &'a Value {
    ws["benefits"].as_array().unwrap().iter().find(|b| b["id"] == id).unwrap_or_else(|| panic!("no benefit {id}"))
}

#[tokio::test]
async fn two_servers_share_one_store_without_a_stale_read_or_a_lost_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_store(dir.path()).await;
    let db_arg = db.to_str().unwrap();
    // Seeded as of today: the servers' clock is the real one.
    benefits(&["seed-demo", "--db", db_arg]);
    let token = benefits(&["token", "create", "--name", "two servers", "--db", db_arg]).lines().last().unwrap().trim().to_string();
    let a = serve(&db).await;
    let b = serve(&db).await;
    let http = reqwest::Client::new();

    // 1. A session opened through A works through B, and a sign-out through B ends it on A.
    let on_a = login(&http, &a.base, "admin@contoso.example", "demo-contoso-admin-1").await.expect("signed in");
    let on_b = through(&on_a, &b.base);
    let me = on_b.get("/api/session/me").send().await.unwrap();
    assert_eq!(me.status(), 200, "a session from A works on B");
    assert_eq!(me.json::<Value>().await.unwrap()["user"]["email"], "admin@contoso.example");

    // 2. B caches contoso's workspace; an activation through A is seen at once through B.
    let before = workspace(&on_b).await;
    let unlocked = before["benefits"].as_array().unwrap().iter().find(|x| x["actions"].as_array().unwrap().iter().any(|a| a == "activate")).expect("an activatable benefit");
    let id = unlocked["id"].as_str().unwrap().to_string();
    let version = unlocked["version"].as_i64().unwrap();
    assert_eq!(workspace(&on_b).await, before, "B answers from its cache");
    let res = activate(&on_a, &id, version).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let after = workspace(&on_b).await;
    assert_eq!(benefit(&after, &id)["status"], "activated", "B sees A's activation at once");
    // The same precondition through B is now stale: one write, never two.
    let again = activate(&on_b, &id, version).await;
    assert_eq!(again.status(), 412, "{}", again.text().await.unwrap());
    assert_eq!(on_b.post("/api/session/logout").send().await.unwrap().status(), 204);
    assert_eq!(on_a.get("/api/session/me").send().await.unwrap().status(), 401, "signed out through B is signed out on A");

    // 3. The login limit (5 failures per client and account) holds across both servers.
    let mut statuses = Vec::new();
    for i in 0..6 {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        statuses.push(login(&http, base, "admin@adatum.example", "not the password").await.err().map(|s| s.as_u16()));
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429].map(Some), "alternating between the servers gives no more guesses");
    for base in [&a.base, &b.base] {
        assert_eq!(login(&http, base, "admin@adatum.example", "demo-adatum-admin-1").await.err().map(|s| s.as_u16()), Some(429));
    }

    // 4. Both servers ran the jobs at start: each hour's run was claimed once.
    let runs = wait_for_job_runs(&db).await;
    let tried = |s: &Server| {
        let log = s.log_text();
        (log.matches("jobs ran").count(), log.matches("already claimed by another server").count())
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while { let (x, y) = (tried(&a), tried(&b)); x.0 + x.1 + y.0 + y.1 < 2 } && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ((ran_a, skipped_a), (ran_b, skipped_b)) = (tried(&a), tried(&b));
    assert_eq!(ran_a + ran_b, runs.len(), "one run per claimed hour: {runs:?}\nA: {}\nB: {}", a.log_text(), b.log_text());
    assert_eq!(ran_a + skipped_a, 1, "A tried once at start");
    assert_eq!(ran_b + skipped_b, 1, "B tried once at start");
    // A third runner in the same hour finds the run done (unless the hour just turned).
    let third = benefits(&["run-jobs", "--db", db_arg]);
    assert!(third.contains("already run by another server") || wait_for_job_runs(&db).await.len() > runs.len(), "{third}");

    // 5. Writes alternate between the servers; A is killed with -9 in the middle;
    //    every write either server acknowledged is there, read through B.
    let mut a = a;
    let acked = Arc::new(std::sync::Mutex::new(Vec::new()));
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..60 {
        let base = if i % 2 == 0 { a.base.clone() } else { b.base.clone() };
        let (http, token, acked, done) = (http.clone(), token.clone(), acked.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let id = format!("two-servers-{i}");
            let res = http
                .post(format!("{base}/api/feed/offers"))
                .header("authorization", format!("Bearer {token}"))
                .json(&json!([{"partner_id": "adatum", "offer_id": id, "type": "list", "name": format!("Two servers {i}"), "live_on": "2025-01-01"}]))
                .send()
                .await;
            if matches!(res, Ok(ref r) if r.status() == 200) {
                acked.lock().unwrap().push(id);
                done.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while done.load(Ordering::SeqCst) < 10 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    a.kill_9();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 10, "writes were acknowledged before the kill: {}", acked.len());
    assert!(acked.iter().any(|id| id.ends_with(&['1', '3', '5', '7', '9'][..])), "B acknowledged writes too");
    let member = login(&http, &b.base, "member@adatum.example", "demo-adatum-member-1").await.expect("signed in");
    let offers: Value = member.get("/api/partners/adatum/offers").send().await.unwrap().json().await.unwrap();
    let ids: Vec<&str> = offers.as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    for id in &acked {
        assert!(ids.contains(&id.as_str()), "acknowledged {id} is kept");
    }
    // B goes on serving writes after its twin died.
    let res = http
        .post(format!("{}/api/feed/offers", b.base))
        .header("authorization", format!("Bearer {token}"))
        .json(&json!([{"partner_id": "adatum", "offer_id": "after-the-kill", "type": "list", "name": "After the kill", "live_on": "2025-01-01"}]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

/// The claimed job runs (slot, claimed_by), once both servers have finished theirs.
async fn wait_for_job_runs(db: &Path) -> Vec<(String, String)> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let url = match db.to_str().unwrap() {
        s if s.starts_with("postgres") => s.to_string(),
        s => format!("sqlite://{s}?mode=ro"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let rows: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT slot, claimed_by, finished_at FROM job_runs ORDER BY slot").fetch_all(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        if !rows.is_empty() && rows.iter().all(|r| r.2.is_some()) || Instant::now() > deadline {
            return rows.into_iter().map(|(s, c, _)| (s, c)).collect();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
