//! Accounts through real HTTP: the `benefits` binary, a real SMTP server
//! (aiosmtpd), a real TLS handshake.

mod common;

use std::time::Duration;

use common::link_in;
use common::real::*;
use serde_json::{json, Value};

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn onboarding_sends_a_real_invitation_email_and_accepting_it_signs_the_admin_in() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(dir.path()).await;
    let db = seeded_db(dir.path());
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");
    let server = Server::start(&db, port, "http", &["--smtp-url".into(), sink.url(), "--public-url".into(), public.clone()]).await;
    let http = reqwest::Client::new();
    let op = Client::login(&http, &server.base, OPERATOR.0, OPERATOR.1).await.unwrap();

    let res = op
        .post("/api/operator/partners")
        .json(&json!({"partner_id": "northwind", "name": "Northwind Traders", "account_email": "rewards@northwind.example", "admin_email": "ada@northwind.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mail = sink.wait_for("ada@northwind.example", 1, Duration::from_secs(15)).await.remove(0);
    assert!(mail.contains("Subject: You are invited to Northwind Traders"), "{mail}");
    assert!(mail.contains("multipart/alternative") && mail.contains("text/plain") && mail.contains("text/html"));
    let link = link_in(&mail).unwrap();
    assert!(link.starts_with(&format!("{public}/invite/")), "{link}");
    assert!(!mail.contains("demo-operator"), "no secret but the link");

    let token = token_of(&link);
    let preview: Value = http.get(format!("{}/api/invitations/{token}", server.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(preview["organisation"], "Northwind Traders");
    assert_eq!(preview["role"], "admin");
    let accepted = http
        .post(format!("{}/api/invitations/{token}/accept", server.base))
        .json(&json!({"name": "Ada Lovelace", "password": "analytical engine notes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 201);
    let ada = Client::from_sign_in(&http, &server.base, accepted).await.unwrap();
    let me: Value = ada.get("/api/session/me").send().await.unwrap().json().await.unwrap();
    assert_eq!(me["user"]["role"], "admin");
    assert_eq!(me["partner"]["id"], "northwind");
    let ws = ada.get("/api/partners/northwind/workspace").send().await.unwrap();
    assert_eq!(ws.status(), 200);
    // The link worked once.
    let again = http
        .post(format!("{}/api/invitations/{token}/accept", server.base))
        .json(&json!({"name": "Eve", "password": "analytical engine notes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);

    // Security events were logged with ids and IPs, never a password, token or email.
    let log = server.log_text();
    for event in ["event=\"sign_in\"", "event=\"invitation_sent\"", "event=\"invitation_accepted\"", "event=\"partner_onboarded\""] {
        assert!(log.contains(event), "{event} missing from the log:\n{log}");
    }
    for secret in ["analytical engine notes", "demo-operator-7261", token.as_str(), "ada@northwind.example"] {
        assert!(!log.contains(secret), "the log holds {secret}");
    }
}

#[tokio::test]
async fn the_outbox_survives_kill_9_between_commit_and_send_and_delivers_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    // The SMTP server is down: the invitation is committed but cannot be sent.
    let smtp_port = free_port();
    let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
    let port = free_port();
    let mut server = Server::start(&db, port, "http", &["--smtp-url".into(), smtp_url.clone()]).await;
    let http = reqwest::Client::new();
    let op = Client::login(&http, &server.base, OPERATOR.0, OPERATOR.1).await.unwrap();
    let res = op.post("/api/operator/invitations").json(&json!({"email": "new.operator@program.example", "role": "operator"})).send().await.unwrap();
    assert_eq!(res.status(), 201);
    tokio::time::sleep(Duration::from_millis(500)).await; // a first attempt fails meanwhile
    server.kill_9();

    let sink = SmtpSink::start_on(dir.path(), smtp_port).await;
    assert!(sink.messages().is_empty());
    let port = free_port();
    let _server = Server::start(&db, port, "http", &["--smtp-url".into(), smtp_url]).await;
    let got = sink.wait_for("new.operator@program.example", 1, Duration::from_secs(20)).await;
    assert!(got[0].contains("the Marketplace Rewards program team"));
    tokio::time::sleep(Duration::from_secs(2)).await;
    // The server's jobs may tell the demo's people of other things meanwhile (notifications).
    let to_them = sink.messages().iter().filter(|m| m.contains("To: new.operator@program.example")).count();
    assert_eq!(to_them, 1, "delivered once");
}

#[tokio::test]
async fn a_flood_from_one_ip_does_not_lock_the_owner_out_from_another() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let port = free_port();
    // The test plays a proxy on 127.0.0.1 that forwards for two clients.
    let server = Server::start(&db, port, "http", &["--trusted-proxy".into(), "127.0.0.1".into()]).await;
    let http = reqwest::Client::new();
    let attempt = |ip: &'static str, password: &'static str| {
        let (http, base) = (http.clone(), server.base.clone());
        async move {
            http.post(format!("{base}/api/session/login"))
                .header("x-requested-with", "benefits")
                .header("x-forwarded-for", ip)
                .json(&json!({"email": "admin@adatum.example", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(attempt("203.0.113.66", "guess guess guess").await);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 25, "{statuses:?}");
    // The attacker is still refused; the owner, from elsewhere, is not.
    assert_eq!(attempt("203.0.113.66", "demo-adatum-admin-1").await, 429);
    assert_eq!(attempt("198.51.100.20", "demo-adatum-admin-1").await, 200);
    let log = server.log_text();
    assert!(log.contains("event=\"sign_in_locked_out\"") && log.contains("ip=\"203.0.113.66\""), "{log}");
}

#[tokio::test]
async fn https_with_a_certificate_made_by_the_test_signs_in_and_keeps_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let (cert_pem, key_pem) = (cert.cert.pem(), cert.key_pair.serialize_pem());
    let (cert_file, key_file) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_file, &cert_pem).unwrap();
    std::fs::write(&key_file, &key_pem).unwrap();
    let port = free_port();
    let server = Server::start(
        &db,
        port,
        "https",
        &["--tls-cert".into(), cert_file.display().to_string(), "--tls-key".into(), key_file.display().to_string(), "--public-url".into(), format!("https://localhost:{port}")],
    )
    .await;
    // A browser-like client: it trusts the test's certificate and keeps cookies
    // itself, so the `__Host-` Secure cookie must really survive over TLS.
    let http = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap())
        .resolve("localhost", format!("127.0.0.1:{port}").parse().unwrap())
        .cookie_store(true)
        .build()
        .unwrap();
    let base = format!("https://localhost:{port}");
    let res = http
        .post(format!("{base}/api/session/login"))
        .header("x-requested-with", "benefits")
        .json(&json!({"email": "admin@adatum.example", "password": "demo-adatum-admin-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["strict-transport-security"].to_str().unwrap().contains("max-age="));
    let me = http.get(format!("{base}/api/session/me")).send().await.unwrap();
    assert_eq!(me.status(), 200, "the session cookie came back over HTTPS");
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["user"]["email"], "admin@adatum.example");
    drop(server);
}

/// The TOTP code of `secret` now (what the user's authenticator app shows).
fn code_now(secret: &str) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    totp_rs::Builder::new().with_secret(secret).build().unwrap().generate(now).to_string()
}

/// The log lines of one security event.
fn events<'a>(log: &'a str, event: &str) -> Vec<&'a str> {
    let needle = format!("event=\"{event}\"");
    log.lines().filter(|l| l.contains("security") && l.contains(&needle)).collect()
}

#[tokio::test]
async fn refusals_and_account_changes_are_logged_with_user_and_ip_never_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let port = free_port();
    let server = Server::start(&db, port, "http", &[]).await;
    let http = reqwest::Client::new();
    const EMAIL: &str = "admin@contoso.example";
    const PASSWORD: &str = "demo-contoso-admin-1";
    const NEW_PASSWORD: &str = "a brand new contoso passphrase";

    // Failed sign-ins to a colleague's account, then a lockout of this client there.
    let mut failures = Vec::new();
    for _ in 0..6 {
        failures.push(Client::login(&http, &server.base, "member@contoso.example", "not the password at all").await.err().map(|s| s.as_u16()));
    }
    assert_eq!(failures, [Some(401), Some(401), Some(401), Some(401), Some(401), Some(429)]);
    let admin = Client::login(&http, &server.base, EMAIL, PASSWORD).await.unwrap();
    // CSRF: a state-changing request without the token.
    let no_csrf = http.post(format!("{}/api/session/password", server.base)).header("cookie", &admin.cookie)
        .json(&json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD})).send().await.unwrap();
    assert_eq!(no_csrf.status(), 403);
    // Authorisation: a partner admin at an operator route.
    assert_eq!(admin.get("/api/operator/activations").send().await.unwrap().status(), 403);
    // A second factor turned on, and the password changed.
    let setup: Value = admin.post("/api/session/mfa/setup").send().await.unwrap().json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    let confirmed = admin.post("/api/session/mfa/confirm").json(&json!({"code": code_now(&secret)})).send().await.unwrap();
    assert_eq!(confirmed.status(), 200);
    let changed = admin.post("/api/session/password").json(&json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD})).send().await.unwrap();
    assert_eq!(changed.status(), 204);

    let user_id = "u_contoso_admin";
    let log = server.log_text();
    for event in ["sign_in_failed", "sign_in_locked_out", "sign_in", "csrf_refused", "authorisation_refused", "mfa_enabled", "password_changed"] {
        let lines = events(&log, event);
        assert!(!lines.is_empty(), "{event} missing from the log:\n{log}");
        assert!(lines.iter().all(|l| l.contains("ip=\"127.0.0.1\"")), "{event} without the IP: {lines:?}");
    }
    assert!(events(&log, "sign_in_failed").iter().all(|l| l.contains("user_id=\"u_contoso_member\"")), "{log}");
    for event in ["sign_in", "csrf_refused", "authorisation_refused", "mfa_enabled", "password_changed"] {
        assert!(events(&log, event).iter().any(|l| l.contains(user_id)), "{event} without the user id:\n{log}");
    }
    for secret_text in [PASSWORD, NEW_PASSWORD, "not the password at all", EMAIL, "member@contoso.example", secret.as_str(), admin.csrf.as_str(), admin.cookie.split('=').nth(1).unwrap()] {
        assert!(!log.contains(secret_text), "the log holds {secret_text}");
    }
}

#[tokio::test]
async fn the_server_warns_at_start_when_it_listens_beyond_this_machine_without_https() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let warning = "WARNING: listening on 0.0.0.0";
    let plain = Server::start_on(&db, "0.0.0.0", free_port(), "http", &[]).await;
    assert!(plain.log_text().contains(warning), "{}", plain.log_text());
    assert!(plain.log_text().contains("--tls-cert"), "says how: {}", plain.log_text());
    // Behind an HTTPS proxy (an https public address) it is fine, and so is loopback.
    let proxied = Server::start_on(&db, "0.0.0.0", free_port(), "http", &["--public-url".into(), "https://rewards.example".into()]).await;
    assert!(!proxied.log_text().contains("WARNING"), "{}", proxied.log_text());
    let local = Server::start(&db, free_port(), "http", &[]).await;
    assert!(!local.log_text().contains("WARNING"), "{}", local.log_text());
}

#[tokio::test]
async fn without_smtp_each_message_is_an_eml_file_in_the_mail_dir_and_its_subject_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_db(dir.path());
    let server = Server::start(&db, free_port(), "http", &[]).await;
    let mail_dir = server.mail.clone();
    let http = reqwest::Client::new();
    let op = Client::login(&http, &server.base, OPERATOR.0, OPERATOR.1).await.unwrap();
    let res = op.post("/api/operator/invitations").json(&json!({"email": "eve@program.example", "role": "operator"})).send().await.unwrap();
    assert_eq!(res.status(), 201);

    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    let mail = loop {
        // The jobs at start also write to the demo's people (their benefit years): find Eve's.
        let found = std::fs::read_dir(&mail_dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .find(|m| m.contains("To: eve@program.example"));
        if let Some(mail) = found {
            break mail;
        }
        assert!(std::time::Instant::now() < deadline, "no .eml file in {}", mail_dir.display());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(mail.contains("To: eve@program.example"), "{mail}");
    assert!(mail.contains("multipart/alternative"));
    let subject = mail.lines().find_map(|l| l.strip_prefix("Subject: ")).unwrap().to_string();
    // The worker logs after writing the file: wait for the line.
    let logged = |log: &str| log.lines().any(|l| l.contains("mail written") && l.contains(&subject));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !logged(&server.log_text()) && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let log = server.log_text();
    assert!(logged(&log), "the subject is logged:\n{log}");
    assert!(!log.contains("eve@program.example"), "never the address");
}
