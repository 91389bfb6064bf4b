//! Accounts: invitations, onboarding, passwords, sessions and profile, and the
//! hardening of sign-in and writes. Driven through the router (`oneshot`);
//! `accounts_real.rs` covers real SMTP, TLS and process crashes.

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

fn token_of(link: &str) -> String {
    link.rsplit('/').next().unwrap().to_string()
}

async fn invite(app: &TestApp, admin: &Session, email: &str) -> (Value, String) {
    let inv = app.post("/api/partners/acme/invitations").session(admin).json(&json!({"email": email, "role": "member"})).send().await.expect(201).json();
    let token = token_of(&app.last_link_to(email).await);
    (inv, token)
}

async fn accept(app: &TestApp, token: &str, password: &str) -> Res {
    app.post(&format!("/api/invitations/{token}/accept")).json(&json!({"name": "Pat", "password": password})).send().await
}

async fn login_with(app: &TestApp, email: &str, password: &str) -> Res {
    app.post("/api/session/login").header("x-requested-with", "benefits").json(&json!({"email": email, "password": password})).send().await
}

#[tokio::test]
async fn invitations_are_validated_single_use_revocable_and_expire() {
    let (app, w) = TestApp::world().await;
    let bad = app
        .post("/api/partners/acme/invitations")
        .session(&w.acme_admin)
        .json(&json!({"email": "nope", "role": "member"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(bad.json()["field"], "email");
    // A partner's people are admins or members: the body's own type says so.
    let operator = app
        .post("/api/partners/acme/invitations")
        .session(&w.acme_admin)
        .json(&json!({"email": "ok@acme.example", "role": "operator"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(operator.json()["field"], "role");
    app.post("/api/partners/acme/invitations")
        .session(&w.acme_admin)
        .json(&json!({"email": "member@acme.example", "role": "member"}))
        .send()
        .await
        .expect_error(409, "email_taken");

    // Stored hashed: the token in the email is nowhere in the store.
    let (inv, token) = invite(&app, &w.acme_admin, "pat@acme.example").await;
    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM invitations WHERE token_hash = '{token}'")).await, 0);
    let list = app.get("/api/partners/acme/invitations").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(list[0]["email"], "pat@acme.example");
    assert_eq!(list[0]["expires_unix"].as_i64().unwrap() - list[0]["created_unix"].as_i64().unwrap(), 7 * 86_400);

    // The policy runs on accept; nothing is created by a refused attempt.
    accept(&app, &token, "short").await.expect_error(422, "validation_failed");
    accept(&app, &token, "pat@acme.example").await.expect_error(422, "validation_failed");
    let weak = accept(&app, &token, "qwerty123456").await.expect_error(422, "validation_failed");
    assert_eq!(weak.json()["errors"][0]["code"], "password_common");
    let ok = accept(&app, &token, "a meadow of quiet llamas").await.expect(201);
    let pat = session_of(&ok);
    app.get("/api/session/me").session(&pat).send().await.expect(200);
    // Reused: refused.
    accept(&app, &token, "a meadow of quiet llamas").await.expect_error(404, "link_invalid");
    app.get(&format!("/api/invitations/{token}")).send().await.expect_error(404, "link_invalid");
    assert!(app.get("/api/partners/acme/invitations").session(&w.acme_admin).send().await.expect(200).json().as_array().unwrap().is_empty());
    let _ = inv;

    // Revoked: refused.
    let (inv, token) = invite(&app, &w.acme_admin, "rev@acme.example").await;
    let id = inv["id"].as_str().unwrap();
    app.req("DELETE", &format!("/api/partners/globex/invitations/{id}")).session(&w.globex_admin).send().await.expect_error(404, "not_found");
    app.req("DELETE", &format!("/api/partners/acme/invitations/{id}")).session(&w.acme_admin).send().await.expect(204);
    accept(&app, &token, "a meadow of quiet llamas").await.expect_error(404, "link_invalid");

    // Expired: refused. Resent: the old link dies, the new one works.
    let (inv, token) = invite(&app, &w.acme_admin, "late@acme.example").await;
    sqlx::query("UPDATE invitations SET expires_unix = expires_unix - 8 * 86400").execute(app.pool()).await.unwrap();
    accept(&app, &token, "a meadow of quiet llamas").await.expect_error(404, "link_invalid");
    let id = inv["id"].as_str().unwrap();
    app.post(&format!("/api/partners/acme/invitations/{id}/resend")).session(&w.acme_admin).send().await.expect(200);
    let fresh = token_of(&app.last_link_to("late@acme.example").await);
    assert_ne!(fresh, token);
    accept(&app, &token, "a meadow of quiet llamas").await.expect_error(404, "link_invalid");
    accept(&app, &fresh, "a meadow of quiet llamas").await.expect(201);
    // Members cannot invite; audit has the story.
    app.post("/api/partners/acme/invitations").session(&w.acme_member).json(&json!({"email": "x@acme.example", "role": "admin"})).send().await.expect_error(403, "forbidden");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'invitation.accept'").await, 2);
}

#[tokio::test]
async fn operators_onboard_a_partner_edit_it_and_invite_operators() {
    let (app, w) = TestApp::world().await;
    let body = json!({"partner_id": "northwind", "name": "Northwind", "account_email": "rewards@northwind.example", "admin_email": "ada@northwind.example", "admin_name": "Ada"});
    app.post("/api/operator/partners").session(&w.acme_admin).json(&body).send().await.expect_error(403, "forbidden");
    let bad = app
        .post("/api/operator/partners")
        .session(&w.operator)
        .json(&json!({"partner_id": "North Wind", "name": "N", "account_email": "x@y.example", "admin_email": "bad"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(bad.json()["field"], "partner_id");
    let bad = app
        .post("/api/operator/partners")
        .session(&w.operator)
        .json(&json!({"partner_id": "northwind", "name": "N", "account_email": "x@y.example", "admin_email": "bad"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(bad.json()["field"], "admin_email");
    assert_eq!(app.count("SELECT COUNT(*) FROM partners WHERE id = 'northwind'").await, 0, "all or nothing");
    let made = app.post("/api/operator/partners").session(&w.operator).json(&body).send().await.expect(201).json();
    assert_eq!(made["invitation"]["role"], "admin");
    app.post("/api/operator/partners").session(&w.operator).json(&body).send().await.expect_error(409, "partner_exists");
    let token = token_of(&app.last_link_to("ada@northwind.example").await);
    let preview = app.get(&format!("/api/invitations/{token}")).send().await.expect(200).json();
    assert_eq!(preview["organisation"], "Northwind");
    assert_eq!(preview["name"], "Ada");
    let ada = session_of(&accept(&app, &token, "difference engine drafts").await.expect(201));
    let me = app.get("/api/session/me").session(&ada).send().await.expect(200).json();
    assert_eq!((me["user"]["role"].as_str(), me["partner"]["id"].as_str()), (Some("admin"), Some("northwind")));

    // Edit, audited; a partner admin cannot.
    let patch = json!({"name": "Northwind Traders", "account_email": "program@northwind.example"});
    app.req("PATCH", "/api/operator/partners/northwind").session(&ada).json(&patch).send().await.expect_error(403, "forbidden");
    let after = app.req("PATCH", "/api/operator/partners/northwind").session(&w.operator).json(&patch).send().await.expect(200).json();
    assert_eq!(after["name"], "Northwind Traders");
    // The console's edit form reads the partner back; a partner admin cannot.
    let read = app.get("/api/operator/partners/northwind").session(&w.operator).send().await.expect(200).json();
    assert_eq!((read["name"].as_str(), read["account_email"].as_str()), (Some("Northwind Traders"), Some("program@northwind.example")));
    app.get("/api/operator/partners/northwind").session(&ada).send().await.expect_error(403, "forbidden");
    app.get("/api/operator/partners/nobody").session(&w.operator).send().await.expect_error(404, "not_found");
    let audit: String = sqlx::query_scalar("SELECT before_json FROM audit_log WHERE action = 'partner.update'").fetch_one(app.pool()).await.unwrap();
    assert!(audit.contains("rewards@northwind.example"));
    app.req("PATCH", "/api/operator/partners/nobody").session(&w.operator).json(&patch).send().await.expect_error(404, "not_found");

    // Operators invite operators (and only operators there), and a partner's people.
    app.post("/api/operator/invitations").session(&w.operator).json(&json!({"email": "op2@program.example", "role": "admin"})).send().await.expect_error(422, "validation_failed");
    app.post("/api/operator/invitations").session(&w.operator).json(&json!({"email": "op2@program.example", "role": "operator"})).send().await.expect(201);
    let op2 = session_of(&accept(&app, &token_of(&app.last_link_to("op2@program.example").await), "a second operator here").await.expect(201));
    app.get("/api/operator/activations").session(&op2).send().await.expect(200);
    app.post("/api/operator/partners/northwind/invitations").session(&w.operator).json(&json!({"email": "bob@northwind.example", "role": "member"})).send().await.expect(201);
    let list = app.get("/api/operator/partners/northwind/invitations").session(&w.operator).send().await.expect(200).json();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let (app, w) = TestApp::world().await;
    let other = app.login("admin@acme.example").await;
    let body = |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    app.post("/api/session/password").session(&w.acme_admin).json(&body("wrong wrong wrong", "brand new passphrase")).send().await.expect_error(422, "validation_failed");
    let weak = app.post("/api/session/password").session(&w.acme_admin).json(&body(PASSWORD, "admin@acme.example")).send().await.expect_error(422, "validation_failed");
    assert_eq!(weak.json()["errors"][0]["code"], "password_same_as_email");
    app.post("/api/session/password").session(&w.acme_admin).json(&body(PASSWORD, "brand new passphrase")).send().await.expect(204);
    app.get("/api/session/me").session(&w.acme_admin).send().await.expect(200);
    app.get("/api/session/me").session(&other).send().await.expect_error(401, "unauthenticated");
    login_with(&app, "admin@acme.example", PASSWORD).await.expect_error(401, "invalid_credentials");
    login_with(&app, "admin@acme.example", "brand new passphrase").await.expect(200);
    // The owner is told, without any secret.
    let notice: String = sqlx::query_scalar("SELECT text_body FROM mail_outbox WHERE template = 'password_changed'").fetch_one(app.pool()).await.unwrap();
    assert!(!notice.contains("brand new") && link_in(&notice).is_none());
}

#[tokio::test]
async fn a_reset_for_an_unknown_email_looks_the_same_and_a_link_works_once_within_the_hour() {
    let (app, w) = TestApp::world().await;
    let ask = |email: &'static str| app.post("/api/session/password-reset").json(&json!({"email": email})).send();
    let known = ask("member@acme.example").await.expect(202);
    let unknown = ask("nobody@acme.example").await.expect(202);
    assert_eq!((known.text.clone(), known.headers.get("content-type")), (unknown.text.clone(), unknown.headers.get("content-type")));
    assert_eq!(app.count("SELECT COUNT(*) FROM mail_outbox WHERE template = 'password_reset'").await, 1);
    let token = token_of(&app.last_link_to("member@acme.example").await);

    let set = |token: String, password: &'static str| {
        let app = &app;
        async move { app.post(&format!("/api/session/password-reset/{token}")).json(&json!({"password": password})).send().await }
    };
    set(token.clone(), "tiny").await.expect_error(422, "validation_failed");
    set(token.clone(), "a fresh start at last").await.expect(204);
    app.get("/api/session/me").session(&w.acme_member).send().await.expect_error(401, "unauthenticated");
    set(token.clone(), "another fresh start").await.expect_error(404, "link_invalid");
    login_with(&app, "member@acme.example", "a fresh start at last").await.expect(200);

    // An hour later the link is dead.
    ask("admin@acme.example").await.expect(202);
    let token = token_of(&app.last_link_to("admin@acme.example").await);
    sqlx::query("UPDATE user_tokens SET expires_unix = expires_unix - 3601").execute(app.pool()).await.unwrap();
    set(token, "a fresh start at last").await.expect_error(404, "link_invalid");
    set("made-up-token".into(), "a fresh start at last").await.expect_error(404, "link_invalid");
    // At most three links an hour per account; the answer never changes.
    for _ in 0..5 {
        ask("globex@nowhere.example").await.expect(202);
        ask("admin@globex.example").await.expect(202);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM user_tokens WHERE user_id = 'u_admin_globex_example'").await, 3);
}

#[tokio::test]
async fn sessions_are_listed_and_others_signed_out_and_role_changes_end_sessions() {
    let (app, w) = TestApp::world().await;
    let phone = app
        .post("/api/session/login")
        .header("x-requested-with", "benefits")
        .header("user-agent", "Phone Browser 1.0")
        .json(&json!({"email": "admin@acme.example", "password": PASSWORD}))
        .send()
        .await
        .expect(200);
    let phone = session_of(&phone);
    let list = app.get("/api/session/sessions").session(&w.acme_admin).send().await.expect(200).json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(list.iter().any(|s| s["device"] == "Phone Browser 1.0"));
    let n = app.post("/api/session/sessions/sign-out-others").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(n["signed_out"], 1);
    app.get("/api/session/me").session(&phone).send().await.expect_error(401, "unauthenticated");
    app.get("/api/session/me").session(&w.acme_admin).send().await.expect(200);

    // Promoting the member ends the member's sessions.
    app.req("PATCH", &format!("/api/partners/acme/users/{}", w.acme_member_id))
        .session(&w.acme_admin)
        .if_match(1)
        .json(&json!({"role": "admin"}))
        .send()
        .await
        .expect(200);
    app.get("/api/session/me").session(&w.acme_member).send().await.expect_error(401, "unauthenticated");

    // Removing a user ends their sessions too.
    let again = app.login("member@acme.example").await;
    app.get("/api/session/me").session(&again).send().await.expect(200);
    app.req("DELETE", &format!("/api/partners/acme/users/{}", w.acme_member_id)).session(&w.acme_admin).send().await.expect(204);
    app.get("/api/session/me").session(&again).send().await.expect_error(401, "unauthenticated");
}

#[tokio::test]
async fn people_edit_their_name_and_change_email_through_a_link_to_the_new_address() {
    let (app, w) = TestApp::world().await;
    let me = app.req("PATCH", "/api/session/me").session(&w.acme_member).json(&json!({"name": "  Maria Member "})).send().await.expect(200).json();
    assert_eq!(me["user"]["name"], "Maria Member");
    app.req("PATCH", "/api/session/me").session(&w.acme_member).json(&json!({"name": " "})).send().await.expect_error(422, "validation_failed");

    let change = |email: &'static str, password: &'static str| {
        app.post("/api/session/email").session(&w.acme_member).json(&json!({"email": email, "current_password": password})).send()
    };
    change("maria@acme.example", "not my password").await.expect_error(422, "validation_failed");
    change("admin@acme.example", PASSWORD).await.expect_error(409, "email_taken");
    change("maria@acme.example", PASSWORD).await.expect(202);
    // Nothing changes until the new address confirms.
    login_with(&app, "member@acme.example", PASSWORD).await.expect(200);
    let token = token_of(&app.last_link_to("maria@acme.example").await);
    app.post(&format!("/api/session/email/{token}")).send().await.expect(204);
    app.post(&format!("/api/session/email/{token}")).send().await.expect_error(404, "link_invalid");
    login_with(&app, "maria@acme.example", PASSWORD).await.expect(200);
    login_with(&app, "member@acme.example", PASSWORD).await.expect_error(401, "invalid_credentials");
}

#[tokio::test]
async fn fifty_parallel_wrong_logins_give_at_most_the_allowed_401s() {
    let app = TestApp::new().await;
    app.partner("acme", "Acme").await;
    app.user(Some("acme"), "admin@acme.example", "admin").await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let router = app.app.clone();
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let req = axum::http::Request::post("/api/session/login")
                .header("host", "localhost")
                .header("content-type", "application/json")
                .header("x-requested-with", "benefits")
                .body(axum::body::Body::from(r#"{"email":"admin@acme.example","password":"wrong wrong wrong"}"#))
                .unwrap();
            router.oneshot(req).await.unwrap().status().as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let unauthorised = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(unauthorised, 5, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 45, "{statuses:?}");
}

#[tokio::test]
async fn argon2_work_is_bounded_and_a_full_server_answers_503_with_retry_after() {
    let app = TestApp::builder()
        .config(|c| {
            c.argon2_permits = 1;
            c.argon2_wait = Duration::from_millis(50);
        })
        .build()
        .await;
    app.partner("acme", "Acme").await;
    app.user(Some("acme"), "admin@acme.example", "admin").await;
    let held = app.ctx.argon2.clone().acquire_owned().await.unwrap();
    let res = login_with(&app, "admin@acme.example", PASSWORD).await.expect_error(503, "busy");
    assert_eq!(res.headers["retry-after"], "1");
    drop(held);
    // The refused attempt did not count as a failure.
    for _ in 0..5 {
        login_with(&app, "admin@acme.example", "wrong wrong wrong").await.expect_error(401, "invalid_credentials");
    }
    login_with(&app, "admin@acme.example", PASSWORD).await.expect_error(429, "rate_limited");
}

#[tokio::test]
async fn the_client_ip_comes_from_x_forwarded_for_only_behind_a_trusted_proxy() {
    let app = TestApp::builder().login_limits(50, 3).config(|c| c.trusted_proxies = vec!["10.0.0.1".parse().unwrap()]).build().await;
    let wrong = |peer: &'static str, xff: &'static str| {
        app.post("/api/session/login")
            .peer(peer)
            .header("x-forwarded-for", xff)
            .header("x-requested-with", "benefits")
            .json(&json!({"email": "nobody@acme.example", "password": "wrong wrong wrong"}))
            .send()
    };
    // Behind the proxy: three clients, three separate IP limits.
    for xff in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        for _ in 0..3 {
            wrong("10.0.0.1", xff).await.expect(401);
        }
    }
    wrong("10.0.0.1", "203.0.113.1").await.expect_error(429, "rate_limited");
    // Not from the proxy: the header is ignored, the peer is the client, however it varies the header.
    for xff in ["1.1.1.1", "2.2.2.2", "3.3.3.3"] {
        wrong("198.51.100.7", xff).await.expect(401);
    }
    wrong("198.51.100.7", "4.4.4.4").await.expect_error(429, "rate_limited");
}

#[tokio::test]
async fn an_idempotency_key_reused_with_another_body_is_refused_and_keys_expire_after_a_day() {
    let (app, w) = TestApp::world().await;
    // Partners no longer create offers or import data (the program's feed does); activation keeps its key.
    app.offers("acme").await;
    app.req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": w.acme_admin_id, "email": "ads@acme.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    let uri = "/api/partners/acme/benefits/listing-optimization/activate";
    let a = app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", "k1").send().await.expect(200);
    let b = app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", "k1").send().await.expect(200);
    assert_eq!(a.text, b.text, "a retry replays the first answer");
    let reused = app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", "k1").json(&json!({"other": "body"})).send().await;
    reused.expect_error(422, "idempotency_key_reused");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.activate'").await, 1);
    // A day later the key is free again: the request is decided afresh (the version has moved on).
    sqlx::query("UPDATE idempotency_keys SET created_unix = created_unix - 86401").execute(app.pool()).await.unwrap();
    app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", "k1").send().await.expect_error(412, "version_mismatch");
    // A key outside the documented pattern (a tab, a control character, too
    // long) is refused as such, before the version is even looked at.
    for bad in ["a\tb", "cl\u{e9}", &"k".repeat(201)] {
        let res = app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", bad).send().await.expect_error(400, "bad_request");
        assert!(res.text.contains("Idempotency-Key"), "names the header: {}", res.text);
    }
    let spaced = app.post(uri).session(&w.acme_admin).if_match(0).header("idempotency-key", "a key with spaces").send().await;
    spaced.expect_error(412, "version_mismatch");
}

#[tokio::test]
async fn api_answers_are_never_stored_by_caches_and_hsts_follows_an_https_public_url() {
    let (app, w) = TestApp::world().await;
    for res in [
        app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200),
        app.get("/api/partners/globex/workspace").session(&w.acme_admin).send().await.expect(404),
        app.get("/api/session/me").send().await.expect(401),
        app.get("/api/no-such-route").send().await.expect(404),
    ] {
        assert_eq!(res.headers["cache-control"], "no-store");
    }
    assert!(app.get("/api/health").send().await.headers.get("strict-transport-security").is_none(), "not on plain http");
    let https = TestApp::builder().config(|c| c.public_url = "https://rewards.example".into()).build().await;
    let res = https.get("/api/health").send().await;
    assert!(res.headers["strict-transport-security"].to_str().unwrap().starts_with("max-age=31536000"));
}

/// The TOTP code of `secret` at `unix` (what the user's app shows).
fn code_at(secret: &str, unix: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).unwrap();
    totp_rs::Builder::new().with_secret(secret).build().unwrap().generate(unix as u64).to_string()
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn totp_turns_on_with_a_code_then_sign_in_needs_one_and_each_code_works_once() {
    let (app, w) = TestApp::world().await;
    let setup = app.post("/api/session/mfa/setup").session(&w.acme_admin).send().await.expect(200).json();
    let secret = setup["secret"].as_str().unwrap().to_string();
    assert!(setup["otpauth_url"].as_str().unwrap().starts_with("otpauth://totp/"));
    let confirm = |code: String| app.post("/api/session/mfa/confirm").session(&w.acme_admin).json(&json!({"code": code})).send();
    let wrong = confirm("000000".into()).await.expect_error(422, "validation_failed");
    assert_eq!(wrong.json()["errors"][0]["code"], "mfa_invalid");
    let t0 = now();
    let codes = confirm(code_at(&secret, t0)).await.expect(200).json();
    let codes: Vec<String> = codes["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert_eq!(codes.len(), 10);
    let status = app.get("/api/session/mfa").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!((status["totp"].as_bool(), status["recovery_codes_left"].as_u64()), (Some(true), Some(10)));

    let login = |totp: Option<String>| {
        let mut body = json!({"email": "admin@acme.example", "password": PASSWORD});
        if let Some(t) = totp {
            body["totp"] = json!(t);
        }
        app.post("/api/session/login").header("x-requested-with", "benefits").json(&body).send()
    };
    login(None).await.expect_error(401, "mfa_required");
    login(Some("123456".into())).await.expect_error(401, "mfa_invalid");
    // The step used to confirm is spent; the next step's code (within the allowed skew) works, once.
    login(Some(code_at(&secret, t0))).await.expect_error(401, "mfa_invalid");
    login(Some(code_at(&secret, t0 + 30))).await.expect(200);
    login(Some(code_at(&secret, t0 + 30))).await.expect_error(401, "mfa_invalid");
    // A recovery code works once, in any case and spacing.
    login(Some(codes[0].to_uppercase())).await.expect(200);
    login(Some(codes[0].clone())).await.expect_error(401, "mfa_invalid");
    // Turning it off needs the password.
    app.post("/api/session/mfa/disable").session(&w.acme_admin).json(&json!({"current_password": "nope nope nope"})).send().await.expect_error(422, "validation_failed");
    app.post("/api/session/mfa/disable").session(&w.acme_admin).json(&json!({"current_password": PASSWORD})).send().await.expect(204);
    login(None).await.expect(200);
}

#[tokio::test]
async fn a_server_can_require_a_second_factor_of_operators() {
    let app = TestApp::builder().config(|c| c.require_mfa_for_operators = true).build().await;
    app.user(None, "ops@program.example", "operator").await;
    let ops = app.login("ops@program.example").await;
    app.get("/api/operator/activations").session(&ops).send().await.expect_error(403, "mfa_setup_required");
    let status = app.get("/api/session/mfa").session(&ops).send().await.expect(200).json();
    assert_eq!(status["required"], true);
    let secret = app.post("/api/session/mfa/setup").session(&ops).send().await.expect(200).json()["secret"].as_str().unwrap().to_string();
    app.post("/api/session/mfa/confirm").session(&ops).json(&json!({"code": code_at(&secret, now())})).send().await.expect(200);
    app.get("/api/operator/activations").session(&ops).send().await.expect(200);
    app.post("/api/session/mfa/disable").session(&ops).json(&json!({"current_password": PASSWORD})).send().await.expect_error(409, "mfa_setup_required");
}

#[tokio::test]
async fn mail_is_written_in_the_recipients_language_and_an_invitation_in_the_inviters() {
    let (app, w) = TestApp::world().await;
    let choose = |s: &Session, lang: &'static str| app.req("PUT", "/api/session/me/language").session(s).json(&json!({"language": lang})).send();
    choose(&w.acme_member, "pl").await.expect(200);
    let mail_to = |to: &'static str, template: &'static str| {
        let app = &app;
        async move {
            sqlx::query_as::<_, (String, String, String)>(
                "SELECT lang, subject, text_body FROM mail_outbox WHERE to_addr = $1 AND template = $2 ORDER BY id DESC LIMIT 1",
            )
            .bind(to)
            .bind(template)
            .fetch_one(app.pool())
            .await
            .unwrap()
        }
    };

    // A Polish user's reset mail is Polish; an English user's stays English.
    app.post("/api/session/password-reset").json(&json!({"email": "member@acme.example"})).send().await.expect(202);
    let (lang, subject, text) = mail_to("member@acme.example", "password_reset").await;
    assert_eq!((lang.as_str(), subject.as_str()), ("pl", "Reset hasła do obszaru roboczego Korzyści"));
    assert!(text.contains("Link zadziała raz i wygaśnie za 60 minut."), "{text}");
    assert!(!text.contains("The link") && link_in(&text).is_some(), "{text}");
    app.post("/api/session/password-reset").json(&json!({"email": "admin@acme.example"})).send().await.expect(202);
    let (lang, subject, _) = mail_to("admin@acme.example", "password_reset").await;
    assert_eq!((lang.as_str(), subject.as_str()), ("en", "Reset your Benefits workspace password"));

    // The invitee has no language yet: the inviter's is used.
    choose(&w.acme_admin, "pl").await.expect(200);
    invite(&app, &w.acme_admin, "new@acme.example").await;
    let (lang, subject, text) = mail_to("new@acme.example", "invitation").await;
    assert_eq!((lang.as_str(), subject.as_str()), ("pl", "Zaproszenie do Acme Apps"));
    assert!(text.contains("wygaśnie za 7 dni"), "{text}");
}

/// The browser learns how long it may keep its offline copy from the session
/// (the server's `--offline-max-age-days`, 30 unless configured).
#[tokio::test]
async fn the_session_says_how_long_the_browser_keeps_its_offline_copy() {
    let (app, w) = TestApp::world().await;
    let me = app.get("/api/session/me").session(&w.acme_admin).send().await.expect(200).json();
    assert_eq!(me["offline_max_age_days"], 30);

    let short = TestApp::builder().config(|c| c.offline_max_age_days = 7).build().await;
    short.partner("acme", "Acme Apps").await;
    short.user(Some("acme"), "admin@acme.example", "admin").await;
    let signed_in = login_with(&short, "admin@acme.example", PASSWORD).await.expect(200).json();
    assert_eq!(signed_in["offline_max_age_days"], 7);
}
