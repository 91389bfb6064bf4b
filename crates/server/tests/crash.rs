//! Durability: acknowledged writes survive `kill -9` of the real server, on
//! SQLite (a file) or, with `BENEFITS_TEST_PG`, on a fresh PostgreSQL database.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_benefits");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(db: &std::path::Path, mail: &std::path::Path, port: u16) -> Child {
    Command::new(BIN)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--db", db.to_str().unwrap(), "--dist", "/nonexistent-dist"])
        // The jobs at start may queue notifications: their .eml files stay in the test's folder.
        .arg("--mail-dir")
        .arg(mail)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/api/health")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not start");
}

async fn login(client: &reqwest::Client, base: &str) -> (String, String) {
    let res = client
        .post(format!("{base}/api/session/login"))
        .header("x-requested-with", "benefits")
        .json(&json!({"email": "admin@adatum.example", "password": "demo-adatum-admin-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let body: Value = res.json().await.unwrap();
    (cookie, body["csrf_token"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_store(dir.path()).await;
    let mail = dir.path().join("mail");
    let seeded = Command::new(BIN).args(["seed-demo", "--db", db.to_str().unwrap(), "--today", "2025-07-15"]).output().unwrap();
    assert!(seeded.status.success());
    let created = Command::new(BIN).args(["token", "create", "--name", "crash test", "--db", db.to_str().unwrap()]).output().unwrap();
    assert!(created.status.success());
    let token = String::from_utf8(created.stdout).unwrap().lines().last().unwrap().trim().to_string();
    assert!(token.starts_with("bst_"));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut child = start(&db, &mail, port);
    wait_ready(&client, &base).await;
    // Fire feed files concurrently (a marketplace job's token) and remember every one acknowledged.
    let mut acked = Vec::new();
    let mut tasks = Vec::new();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for i in 0..40 {
        let (client, base, token, done) = (client.clone(), base.clone(), token.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            let id = format!("durable-{i}");
            // A busy store (503, Retry-After: PostgreSQL gave up serializing
            // 40 writes to one partner) is asked again, as any client should.
            let res = loop {
                let res = client
                    .post(format!("{base}/api/feed/offers"))
                    .header("authorization", format!("Bearer {token}"))
                    .json(&json!([{"partner_id": "adatum", "offer_id": id, "type": "list", "name": format!("Durable {i}"), "live_on": "2025-01-01"}]))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 503 => tokio::time::sleep(Duration::from_millis(100)).await,
                    other => break other,
                }
            };
            match res {
                Ok(r) if r.status() == 200 => {
                    done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    Some(id)
                }
                _ => None,
            }
        }));
        if i == 30 {
            // Kill while the last writes are in flight.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    // SIGKILL once some writes are acknowledged, while the others are in flight
    // (waiting for a count, not a fixed time, so a busy machine does not fail it).
    let deadline = Instant::now() + Duration::from_secs(30);
    while done.load(std::sync::atomic::Ordering::SeqCst) < 10 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = Command::new("kill").args(["-9", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    child.wait().unwrap();
    for t in tasks {
        if let Some(id) = t.await.unwrap() {
            acked.push(id);
        }
    }
    assert!(acked.len() >= 10, "enough writes were acknowledged before the kill: {}", acked.len());

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = start(&db, &mail, port);
    wait_ready(&client, &base).await;
    let (cookie, _) = login(&client, &base).await;
    let offers: Value = client
        .get(format!("{base}/api/partners/adatum/offers"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = offers.as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    for id in &acked {
        assert!(ids.contains(&id.as_str()), "acknowledged {id} survived");
    }
    let _ = child.kill();
    let _ = child.wait();
}
