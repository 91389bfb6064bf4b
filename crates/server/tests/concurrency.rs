//! Requests racing for one thing, sent truly in parallel: SQLite serialises
//! them on its one writer; PostgreSQL (`BENEFITS_TEST_PG`) runs them at once,
//! in SERIALIZABLE transactions that the server runs again when they fail to
//! serialize. Either way: one winner, the others told why, nothing half done.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::json;
use sqlx::{Connection, Executor};

/// How many copies of one request race.
const RACERS: usize = 12;

async fn all(handles: Vec<tokio::task::JoinHandle<Res>>) -> Vec<Res> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// Opens the pools' connections before the race (PostgreSQL): a pool that
/// must first connect would hand its one open connection to each request in
/// turn, faster than new ones sign in, and the requests would not overlap.
async fn warm(app: &TestApp) {
    if app.ctx.db.sqlite {
        return;
    }
    let mut held = Vec::new();
    for pool in [&app.ctx.db.write, &app.ctx.db.read] {
        for _ in 0..RACERS + 2 {
            held.push(pool.acquire().await.unwrap());
        }
    }
}

/// How many answers had each status.
fn statuses(answers: &[Res]) -> BTreeMap<u16, usize> {
    let mut n = BTreeMap::new();
    for a in answers {
        *n.entry(a.status.as_u16()).or_default() += 1;
    }
    n
}

/// Acme with offers and a marketing contact: its unlocked benefits can be activated.
async fn ready_to_activate() -> (TestApp, World) {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.acme_contact(&w).await;
    warm(&app).await;
    (app, w)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_identical_activations_activate_once() {
    let (app, w) = ready_to_activate().await;
    let uri = "/api/partners/acme/benefits/listing-optimization/activate";
    let answers = all((0..RACERS).map(|_| app.post(uri).session(&w.acme_admin).if_match(0).spawn()).collect()).await;
    assert_eq!(statuses(&answers), BTreeMap::from([(200, 1), (412, RACERS - 1)]), "{:?}", answers.iter().map(|a| &a.text).collect::<Vec<_>>());
    for a in answers.iter().filter(|a| a.status == 412) {
        assert_eq!(a.code(), "version_mismatch");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM benefit_records WHERE benefit_id = 'listing-optimization'").await, 1);
    assert_eq!(app.count("SELECT version FROM benefit_records WHERE benefit_id = 'listing-optimization'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.activate'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_writes_with_one_if_match_change_once_and_refuse_the_rest() {
    let (app, w) = ready_to_activate().await;
    // PUT: the contact is at version 1; every racer sends another phone number.
    let answers = all(
        (0..RACERS)
            .map(|i| {
                let body = json!({"user_id": w.acme_member_id, "email": "m@acme.example", "phone": format!("+1415555{:04}", 2000 + i), "language": "en"});
                app.req("PUT", "/api/partners/acme/contact").session(&w.acme_admin).if_match(1).json(&body).spawn()
            })
            .collect(),
    )
    .await;
    assert_eq!(statuses(&answers), BTreeMap::from([(200, 1), (412, RACERS - 1)]), "{:?}", answers.iter().map(|a| &a.text).collect::<Vec<_>>());
    let winner = answers.iter().find(|a| a.status == 200).unwrap();
    let contact = app.get("/api/partners/acme/contact").session(&w.acme_admin).send().await.expect(200);
    assert_eq!(contact.etag(), "\"2\"");
    assert_eq!(contact.json()["phone"], winner.json()["phone"], "the stored contact is the one answered 200");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.update'").await, 1);

    // PATCH: the member (version 1) made an admin by every racer at once.
    let uri = format!("/api/partners/acme/users/{}", w.acme_member_id);
    warm(&app).await;
    let answers = all((0..RACERS).map(|_| app.req("PATCH", &uri).session(&w.acme_admin).if_match(1).json(&json!({"role": "admin"})).spawn()).collect()).await;
    assert_eq!(statuses(&answers), BTreeMap::from([(200, 1), (412, RACERS - 1)]), "{:?}", answers.iter().map(|a| &a.text).collect::<Vec<_>>());
    assert_eq!(app.count("SELECT version FROM users WHERE email = 'member@acme.example'").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'user.role'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_requests_with_one_idempotency_key_have_one_effect_and_one_answer() {
    let (app, w) = ready_to_activate().await;
    let uri = "/api/partners/acme/benefits/listing-optimization/activate";
    let answers = all((0..RACERS).map(|_| app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", "race-1").spawn()).collect()).await;
    assert_eq!(statuses(&answers), BTreeMap::from([(200, RACERS)]), "{:?}", answers.iter().map(|a| &a.text).collect::<Vec<_>>());
    for a in &answers {
        assert_eq!(a.text, answers[0].text, "every racer gets the first answer");
        assert_eq!(a.etag(), "\"1\"");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.activate'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM idempotency_keys").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_feed_ingestions_are_each_all_or_nothing() {
    const ROWS: usize = 300;
    const FILES: usize = 6;
    let app = TestApp::new().await;
    app.partner("acme", "Acme Apps").await;
    app.offers("acme").await;
    let token = app.service_token("racing jobs").await;
    warm(&app).await;
    // Every file has rows of its own and one row all of them write; the odd
    // files end with a bad row, so they must leave nothing behind.
    let file = |i: usize| {
        let mut csv = String::from("external_id,partner_id,offer_id,date,amount_usd,status\n");
        for n in 0..ROWS {
            csv.push_str(&format!("F{i}-{n},acme,saas-1,2025-03-01,10.00,billed\n"));
        }
        csv.push_str(&format!("SHARED,acme,saas-1,2025-03-02,{}.00,billed\n", i + 1));
        if i % 2 == 1 {
            csv.push_str("BAD,acme,saas-1,2025-03-02,ten dollars,billed\n");
        }
        csv
    };
    let answers = all(
        (0..FILES).map(|i| app.post("/api/feed/sales").header("authorization", &format!("Bearer {token}")).raw("text/csv", file(i)).spawn()).collect(),
    )
    .await;
    for (i, a) in answers.iter().enumerate() {
        let expected = if i % 2 == 0 { 200 } else { 422 };
        assert_eq!(a.status.as_u16(), expected, "file {i}: {}", a.text);
        let own = app.count(&format!("SELECT COUNT(*) FROM sales WHERE external_id LIKE 'F{i}-%'")).await;
        assert_eq!(own, if i % 2 == 0 { ROWS as i64 } else { 0 }, "file {i}: all its rows or none");
    }
    let accepted: Vec<serde_json::Value> = answers.iter().filter(|a| a.status == 200).map(|a| a.json()).collect();
    let inserted: u64 = accepted.iter().map(|r| r["inserted"].as_u64().unwrap()).sum();
    let updated: u64 = accepted.iter().map(|r| r["updated"].as_u64().unwrap()).sum();
    assert_eq!(inserted, (ROWS * accepted.len() + 1) as u64, "the shared row inserted once: {accepted:?}");
    assert_eq!(updated, (accepted.len() - 1) as u64, "and updated by each later file");
    let shared = app.count("SELECT amount_cents FROM sales WHERE external_id = 'SHARED'").await;
    assert!([100, 300, 500].contains(&shared), "the shared row holds an accepted file's value, not a rejected one's: {shared}");
    assert_eq!(app.count("SELECT COUNT(*) FROM ingestions").await, 1 + accepted.len() as i64, "the offers file and each accepted file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_mail_workers_on_one_store_deliver_each_message_once() {
    const MESSAGES: usize = 40;
    let app = TestApp::new().await;
    let rendered = benefits_server::mail::Rendered { subject: "Hello".into(), text: "Hello there".into(), html: "<p>Hello there</p>".into() };
    let mut conn = app.pool().acquire().await.unwrap();
    for n in 0..MESSAGES {
        benefits_server::mail::enqueue_rendered(&mut conn, &format!("user{n}@example.com"), "test", benefits_server::mail::Lang::En, &rendered)
            .await
            .unwrap();
    }
    drop(conn);
    let dir = app.dir.path().join("mail");
    // Two servers' workers: each its own pool on the one database.
    let other = app.on_day(TODAY).await;
    let mut second = other.ctx.mail_worker().unwrap();
    second.transport = benefits_server::mail::Transport::new(&benefits_server::mail::MailConfig { dir: dir.clone(), ..Default::default() }).unwrap();
    let workers = [app.ctx.mail_worker().unwrap().spawn(), second.spawn()];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while app.count("SELECT COUNT(*) FROM mail_outbox WHERE sent_unix IS NULL").await > 0 {
        assert!(std::time::Instant::now() < deadline, "the outbox did not drain");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for w in workers {
        w.abort();
    }
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "eml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let id = text.lines().find(|l| l.to_ascii_lowercase().starts_with("message-id:")).unwrap().to_string();
            ids.push(id);
        }
    }
    let sent = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!((sent, ids.len()), (MESSAGES, MESSAGES), "each message written once");
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox WHERE attempts = 1").await, MESSAGES as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_job_runs_at_once_claim_the_hour_once() {
    let app = TestApp::new().await;
    app.partner("acme", "Acme Apps").await;
    let other = app.on_day(TODAY).await;
    let (a, b) = tokio::join!(benefits_server::jobs::run(&app.ctx, "one"), benefits_server::jobs::run(&other.ctx, "two"));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.slot, b.slot);
    assert!(a.claimed ^ b.claimed, "exactly one run claims the slot: {a:?} {b:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM job_runs").await, 1);
}

/// PostgreSQL only (SQLite's locked file is `error::store_busy_tests`): a row
/// lock held by another session past the server's lock timeout answers 503
/// `busy` with Retry-After, and the request changed nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_locked_postgres_row_answers_503_with_retry_after() {
    let Ok(admin) = std::env::var("BENEFITS_TEST_PG") else { return };
    if admin.is_empty() {
        return;
    }
    let (app, w) = TestApp::world().await;
    let url = app.db_path().to_string_lossy().into_owned();
    let mut holder = sqlx::AnyConnection::connect(&url).await.unwrap();
    let name: String = sqlx::query_scalar("SELECT CAST(current_database() AS TEXT)").fetch_one(&mut holder).await.unwrap();
    // New connections of the server wait this long for a lock, then fail with 55P03.
    holder.execute(format!("ALTER DATABASE \"{name}\" SET lock_timeout = '300ms'").as_str()).await.unwrap();
    let server = app.on_day(TODAY).await;
    let mut tx = holder.begin().await.unwrap();
    tx.execute("SELECT id FROM partners WHERE id = 'acme' FOR UPDATE").await.unwrap();
    let res = server
        .req("PATCH", "/api/operator/partners/acme")
        .session(&w.operator)
        .json(&json!({"name": "Acme Renamed"}))
        .send()
        .await
        .expect_error(503, "busy");
    assert_eq!(res.headers.get("retry-after").map(|v| v.to_str().unwrap()), Some("1"));
    tx.rollback().await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM partners WHERE name = 'Acme Renamed'").await, 0);
    // The lock gone, the same request goes through.
    server.req("PATCH", "/api/operator/partners/acme").session(&w.operator).json(&json!({"name": "Acme Renamed"})).send().await.expect(200);
}

/// Writers of one partner's different benefits, non-stop and at once, wait
/// their turn: every request is answered 200, none 503. (Each write bumps the
/// partner's data version, so under SERIALIZABLE alone every pair of them
/// conflicts; PostgreSQL's partner writes lock the partner's row first,
/// `db::begin_partner_write`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_of_one_partner_wait_their_turn_and_are_never_told_busy() {
    let (app, w) = ready_to_activate().await;
    let ws = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200).json();
    let ids: Vec<String> = ws["benefits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["actions"].as_array().unwrap().iter().any(|a| a == "activate"))
        .map(|b| b["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 2, "several benefits to write at once: {ids:?}");
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for bid in ids.clone() {
        let (app, admin) = (app.clone(), w.acme_admin.clone());
        tasks.push(tokio::spawn(async move {
            let mut version = 0;
            let mut answers = Vec::new();
            for round in 0..12 {
                let action = if round % 2 == 0 { "activate" } else { "opt-out" };
                let res = app.post(&format!("/api/partners/acme/benefits/{bid}/{action}")).session(&admin).if_match(version).send().await;
                if res.status == 200 {
                    version = res.json()["version"].as_i64().unwrap();
                }
                answers.push((res.status.as_u16(), res.text));
            }
            answers
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.extend(t.await.unwrap());
    }
    let refused: Vec<_> = answers.iter().filter(|(s, _)| *s != 200).collect();
    assert!(refused.is_empty(), "every write answered 200: {refused:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('benefit.activate', 'benefit.opt_out')").await, 12 * ids.len() as i64);
}
