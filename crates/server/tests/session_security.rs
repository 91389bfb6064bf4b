//! Sign-in, sessions, CSRF, rate limits, security headers and the error shape.

mod common;

use axum::http::header;
use common::*;
use serde_json::json;

async fn login_raw(app: &TestApp, email: &str, password: &str) -> Res {
    app.post("/api/session/login")
        .header("x-requested-with", "benefits")
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

#[tokio::test]
async fn login_sets_a_host_only_strict_http_only_secure_cookie_and_returns_the_session() {
    let app = TestApp::new().await;
    app.partner("acme", "Acme Apps").await;
    app.user(Some("acme"), "admin@acme.example", "admin").await;
    let res = login_raw(&app, "ADMIN@acme.example", PASSWORD).await.expect(200);
    let cookie = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-benefits_session="));
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(cookie.split("; ").any(|a| a == attr), "{attr} in {cookie}");
    }
    assert!(!cookie.contains("Domain="), "host-only");
    let id = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    assert!(id.len() >= 43, "at least 256 bits of base64");
    let body = res.json();
    assert_eq!(body["user"]["email"], "admin@acme.example");
    assert_eq!(body["user"]["role"], "admin");
    assert_eq!(body["partner"]["id"], "acme");
    assert_eq!(body["partner"]["account_email"], "account@acme.example");
    assert!(body["csrf_token"].as_str().unwrap().len() >= 32);
    // Only a hash of the id is stored.
    let stored: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM sessions").fetch_all(app.pool()).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], id);
    assert_eq!(stored[0], benefits_server::auth::hash_session_id(&id));
}

#[tokio::test]
async fn me_and_logout() {
    let app = TestApp::new().await;
    app.user(None, "ops@program.example", "operator").await;
    app.get("/api/session/me").send().await.expect_error(401, "unauthenticated");
    let s = app.login("ops@program.example").await;
    let me = app.get("/api/session/me").cookie_only(&s).send().await.expect(200).json();
    assert_eq!(me["user"]["role"], "operator");
    assert!(me["partner"].is_null());
    assert_eq!(me["csrf_token"], s.csrf.as_str());
    // Logout is a write: it needs the CSRF token.
    app.post("/api/session/logout").cookie_only(&s).send().await.expect_error(403, "csrf_failed");
    let out = app.post("/api/session/logout").session(&s).send().await.expect(204);
    assert!(out.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().contains("Max-Age=0"));
    app.get("/api/session/me").cookie_only(&s).send().await.expect_error(401, "unauthenticated");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn login_renews_the_session_id_and_ends_the_old_one() {
    let app = TestApp::new().await;
    app.user(None, "ops@program.example", "operator").await;
    let first = app.login("ops@program.example").await;
    let res = app
        .post("/api/session/login")
        .header("x-requested-with", "benefits")
        .header("cookie", &first.cookie)
        .json(&json!({"email": "ops@program.example", "password": PASSWORD}))
        .send()
        .await
        .expect(200);
    let second = res.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    assert_ne!(second, first.cookie);
    app.get("/api/session/me").cookie_only(&first).send().await.expect_error(401, "unauthenticated");
    app.get("/api/session/me").header("cookie", &second).send().await.expect(200);
}

#[tokio::test]
async fn wrong_credentials_and_missing_headers() {
    let app = TestApp::new().await;
    app.user(None, "ops@program.example", "operator").await;
    login_raw(&app, "ops@program.example", "wrong password").await.expect_error(401, "invalid_credentials");
    login_raw(&app, "nobody@program.example", PASSWORD).await.expect_error(401, "invalid_credentials");
    app.post("/api/session/login")
        .json(&json!({"email": "ops@program.example", "password": PASSWORD}))
        .send()
        .await
        .expect_error(403, "csrf_failed");
    app.post("/api/session/login")
        .header("x-requested-with", "benefits")
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"email": "ops@program.example", "password": PASSWORD}))
        .send()
        .await
        .expect_error(403, "csrf_failed");
    app.post("/api/session/login")
        .header("x-requested-with", "benefits")
        .header("origin", "https://evil.example")
        .json(&json!({"email": "ops@program.example", "password": PASSWORD}))
        .send()
        .await
        .expect_error(403, "csrf_failed");
    // Same origin passes.
    app.post("/api/session/login")
        .header("x-requested-with", "benefits")
        .header("origin", "http://localhost")
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"email": "ops@program.example", "password": PASSWORD}))
        .send()
        .await
        .expect(200);
}

#[tokio::test]
async fn sessions_expire_after_idle_time_and_absolute_time() {
    let app = TestApp::new().await;
    app.user(None, "ops@program.example", "operator").await;
    let s = app.login("ops@program.example").await;
    let now = chrono::Utc::now().timestamp();
    sqlx::query("UPDATE sessions SET seen_unix = $1").bind(now - 31 * 60).execute(app.pool()).await.unwrap();
    app.get("/api/session/me").cookie_only(&s).send().await.expect_error(401, "unauthenticated");
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0, "an expired session is deleted");

    let s = app.login("ops@program.example").await;
    sqlx::query("UPDATE sessions SET seen_unix = $1, created_unix = $2").bind(now - 25 * 60).bind(now - 11 * 3600).execute(app.pool()).await.unwrap();
    app.get("/api/session/me").cookie_only(&s).send().await.expect(200);
    let seen: i64 = sqlx::query_scalar("SELECT seen_unix FROM sessions").fetch_one(app.pool()).await.unwrap();
    assert!(seen >= now, "activity slides the idle expiry");
    sqlx::query("UPDATE sessions SET created_unix = $1").bind(now - 12 * 3600 - 5).execute(app.pool()).await.unwrap();
    app.get("/api/session/me").cookie_only(&s).send().await.expect_error(401, "unauthenticated");
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_account_and_per_ip() {
    let app = TestApp::builder().login_limits(5, 8).build().await;
    app.user(None, "ops@program.example", "operator").await;
    app.user(None, "ops2@program.example", "operator").await;
    for _ in 0..5 {
        login_raw(&app, "ops@program.example", "nope nope nope").await.expect_error(401, "invalid_credentials");
    }
    let limited = login_raw(&app, "ops@program.example", PASSWORD).await.expect_error(429, "rate_limited");
    let retry: u64 = limited.headers.get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 15 * 60);
    // Another account from the same address still works until the IP limit.
    login_raw(&app, "ops2@program.example", PASSWORD).await.expect(200);
    for _ in 0..3 {
        login_raw(&app, "ops2@program.example", "nope nope nope").await.expect_error(401, "invalid_credentials");
    }
    login_raw(&app, "ops2@program.example", PASSWORD).await.expect_error(429, "rate_limited");
}

/// The limiter counts in the database: a second server's limiter (another
/// `LoginLimiter` on the same store) sees the same failures, the keys are
/// kept hashed (they hold emails and addresses), and the hourly purge forgets
/// what is past the window.
#[tokio::test]
async fn the_login_limiter_is_kept_in_the_database_shared_and_hashed() {
    use benefits_server::auth::LoginLimiter;
    let app = TestApp::new().await;
    let here = &app.ctx.limiter;
    let account = "acct:ops@program.example";
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(here.reserve(&[("ip:192.0.2.1", 3)], Some(account)).await.unwrap().unwrap());
    }
    assert_eq!(held[2].account_failures, 2, "the account's earlier failures are told");
    // Three attempts still in flight fill the limit: a fourth is refused here...
    let wait = here.reserve(&[("ip:192.0.2.1", 3)], Some(account)).await.unwrap().unwrap_err();
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    // ...and through another server on the same database.
    let there = LoginLimiter::new(&app.ctx.db);
    assert!(there.reserve(&[("ip:192.0.2.1", 3)], None).await.unwrap().is_err());
    assert!(there.reserve(&[("ip:192.0.2.2", 3)], None).await.unwrap().is_ok(), "another key is not limited");
    assert_eq!(app.count("SELECT COUNT(*) FROM login_failures WHERE key_hash LIKE '%@%' OR key_hash LIKE '%192.0.2%'").await, 0);
    // A success withdraws its own failure and forgets the client's.
    let mut conn = app.pool().acquire().await.unwrap();
    here.succeeded(&mut conn, &held.pop().unwrap(), "ip:192.0.2.1").await.unwrap();
    drop(conn);
    assert!(there.reserve(&[("ip:192.0.2.1", 3)], None).await.unwrap().is_ok(), "success forgets the client's failures");
    // A withdrawn attempt counts for nothing.
    let before = app.count("SELECT COUNT(*) FROM login_failures").await;
    let r = there.reserve(&[("ip:192.0.2.3", 3)], None).await.unwrap().unwrap();
    there.withdraw(r).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM login_failures").await, before);
    // Past the window (here: no window) everything is forgotten.
    LoginLimiter::purge(app.pool(), std::time::Duration::ZERO).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM login_failures").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM login_keys").await, 0);
}

/// No text of the program holds U+0000: PostgreSQL's text cannot store it
/// (schemathesis found a 500 there), so it is refused on both stores alike,
/// naming the field, and nothing is written.
#[tokio::test]
async fn text_with_a_nul_character_is_refused_naming_the_field_and_nothing_is_written() {
    let (app, w) = TestApp::world().await;
    let partners = app.count("SELECT COUNT(*) FROM partners").await;
    // A JSON body: the field's path.
    let body = json!({"partner_id": "northwind", "name": "North\u{0}wind", "account_email": "x@northwind.example", "admin_email": "ada@northwind.example"});
    let bad = app.post("/api/operator/partners").session(&w.operator).json(&body).send().await.expect_error(422, "validation_failed");
    assert_eq!(bad.json()["field"], "name");
    assert_eq!(bad.json()["errors"][0]["code"], "nul_character");
    let nested = json!({"partner_id": "northwind", "name": "Northwind", "account_email": "x@northwind.example", "admin_email": "ada@northwind.example", "extra": [{"k\u{0}": 1}]});
    let bad = app.post("/api/operator/partners").session(&w.operator).json(&nested).send().await.expect_error(422, "validation_failed");
    assert_eq!(bad.json()["field"], "extra[0].k\\u0000");
    // The OpenAPI document says so: text schemas exclude it.
    let doc = app.get("/api/openapi.json").send().await.expect(200).json();
    let onboarding = &doc["paths"]["/api/operator/partners"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"];
    let name = onboarding.as_str().unwrap().rsplit('/').next().unwrap();
    let pattern = |field: &str| doc["components"]["schemas"][name]["properties"][field]["pattern"].as_str().unwrap().to_string();
    assert_eq!(pattern("admin_name"), benefits_server::http::openapi::NO_NUL);
    assert!(pattern("name").contains("[^\\u0000]*$"), "a name's own pattern excludes it too: {}", pattern("name"));
    // A query parameter: its name (400, as any malformed query).
    let bad = app.get("/api/operator/partners?sort=name&manager=a%00b").session(&w.operator).send().await.expect_error(400, "bad_request");
    assert_eq!(bad.json()["field"], "manager");
    // The path.
    let bad = app.get("/api/partners/ac%00me/workspace").session(&w.acme_admin).send().await.expect_error(400, "bad_request");
    assert_eq!(bad.json()["field"], "path");
    // A feed file: line and column.
    let Err(benefits_server::feed::FeedError::Rejected { errors, .. }) =
        app.try_feed("partners", "partner_id,name,account_email\nnorthwind,North\u{0}wind,x@northwind.example\n").await
    else {
        panic!("a NUL in a feed cell must be refused");
    };
    assert_eq!((errors[0].line, errors[0].error.field.as_str(), errors[0].error.code), (2, "name", benefits_domain::error::InputCode::NulCharacter));
    assert_eq!(app.count("SELECT COUNT(*) FROM partners").await, partners, "nothing written");
}

#[tokio::test]
async fn every_response_has_the_security_headers_and_a_strict_csp() {
    let dist = tempfile::tempdir().unwrap();
    let inline = "import init from '/app.js'; init();";
    std::fs::write(
        dist.path().join("index.html"),
        format!("<!doctype html><html><head><script type=\"module\">{inline}</script><script src=\"/x.js\"></script></head><body></body></html>"),
    )
    .unwrap();
    std::fs::write(dist.path().join("app.js"), "console.log(1)").unwrap();
    let app = TestApp::builder().dist(dist.path().to_path_buf()).build().await;
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(inline.as_bytes()));
    for (method, uri) in [("GET", "/"), ("GET", "/partners/acme/benefits"), ("GET", "/app.js"), ("GET", "/api/health"), ("GET", "/api/nope"), ("POST", "/api/evaluate")] {
        let res = app.req(method, uri).send().await;
        let h = &res.headers;
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{uri}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("base-uri 'none'") && csp.contains("form-action 'self'"));
        let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
        assert!(script_src.contains("'wasm-unsafe-eval'"));
        assert!(script_src.contains(&format!("'sha256-{hash}'")), "inline script hashed: {script_src}");
        assert_eq!(script_src.matches("sha256-").count(), 1, "external scripts are not hashed");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer");
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
    }
    // SPA fallback and static files.
    let spa = app.get("/partners/acme/benefits").send().await.expect(200);
    assert!(spa.text.contains("<script type=\"module\">"));
    assert_eq!(app.get("/app.js").send().await.expect(200).text, "console.log(1)");
}

#[tokio::test]
async fn without_a_built_app_the_spa_routes_say_how_to_build_it() {
    let app = TestApp::new().await;
    let res = app.get("/partners/acme").send().await.expect(404);
    assert!(res.headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/plain"));
    assert!(res.text.contains("trunk build"), "{}", res.text);
    app.get("/api/health").send().await.expect(200);
}

#[tokio::test]
async fn errors_are_json_with_a_code_for_unknown_routes_methods_and_bodies() {
    let (app, w) = TestApp::world().await;
    app.get("/api/does-not-exist").send().await.expect_error(404, "not_found");
    app.req("DELETE", "/api/session/me").send().await.expect_error(405, "method_not_allowed");
    app.req("PUT", "/api/partners/acme/offers").session(&w.acme_admin).send().await.expect_error(405, "method_not_allowed");
    // A JSON body route: the operators' delisting of an offer.
    app.offers("acme").await;
    let uri = "/api/operator/partners/acme/offers/list-1/delist";
    let bad = app.post(uri).session(&w.operator).raw("application/json", "{\"reason\": ").send().await;
    bad.expect_error(400, "invalid_json");
    let wrong_type = app.post(uri).session(&w.operator).json(&json!({"delisted_on": "2025-06-01", "reason": 5})).send().await.expect_error(422, "validation_failed");
    assert_eq!(wrong_type.json()["field"], "reason");
    let unknown = app
        .post(uri)
        .session(&w.operator)
        .json(&json!({"delisted_on": "2025-06-01", "reason": "x", "colour": "red"}))
        .send()
        .await
        .expect_error(422, "validation_failed");
    assert_eq!(unknown.json()["field"], "colour");
    let missing = app.post(uri).session(&w.operator).json(&json!({"reason": "x"})).send().await.expect_error(422, "validation_failed");
    assert_eq!(missing.json()["field"], "delisted_on");
    let bad_date = app.post(uri).session(&w.operator).json(&json!({"delisted_on": "2025-02-30", "reason": "x"})).send().await.expect_error(422, "validation_failed");
    assert_eq!(bad_date.json()["field"], "delisted_on");
    app.post(uri).session(&w.operator).raw("text/plain", "hi").send().await.expect_error(415, "unsupported_media_type");
    let big = format!("{{\"delisted_on\": \"2025-06-01\", \"reason\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    app.post(uri).session(&w.operator).raw("application/json", big).send().await.expect_error(413, "payload_too_large");
    app.get("/api/partners/acme/workspace?as_of=yesterday").session(&w.acme_admin).send().await.expect_error(400, "bad_request");
    // Every error shape: code + message.
    let e = app.get("/api/nope").send().await.json();
    assert!(e["message"].as_str().unwrap().len() > 5);
}

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token_and_same_origin() {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    let uri = "/api/operator/partners/acme/offers/list-1/delist";
    let body = json!({"delisted_on": "2025-06-01", "reason": "Infringing content"});
    app.post(uri).cookie_only(&w.operator).json(&body).send().await.expect_error(403, "csrf_failed");
    app.post(uri).cookie_only(&w.operator).header("x-csrf-token", &w.globex_admin.csrf).json(&body).send().await.expect_error(403, "csrf_failed");
    app.post(uri).session(&w.operator).header("sec-fetch-site", "same-site").json(&body).send().await.expect_error(403, "csrf_failed");
    app.post(uri).session(&w.operator).header("origin", "http://localhost.evil.example").json(&body).send().await.expect_error(403, "csrf_failed");
    assert_eq!(app.count("SELECT COUNT(*) FROM offers WHERE delisted_on IS NOT NULL").await, 0);
    app.post(uri).session(&w.operator).header("origin", "http://localhost").json(&body).send().await.expect(200);
}

#[tokio::test]
async fn the_users_language_is_saved_in_their_profile_and_follows_them_to_a_new_session() {
    let app = TestApp::new().await;
    app.partner("acme", "Acme Apps").await;
    app.user(Some("acme"), "admin@acme.example", "admin").await;
    let s = app.login("admin@acme.example").await;
    // Not chosen yet: null, so the browser's language applies.
    let me = app.get("/api/session/me").cookie_only(&s).send().await.expect(200).json();
    assert!(me["user"]["language"].is_null());
    // A write: CSRF applies; only the listed languages are accepted.
    app.req("PUT", "/api/session/me/language").cookie_only(&s).json(&json!({"language": "pl"})).send().await.expect_error(403, "csrf_failed");
    app.req("PUT", "/api/session/me/language").session(&s).json(&json!({"language": "de"})).send().await.expect_error(422, "validation_failed");
    app.req("PUT", "/api/session/me/language").json(&json!({"language": "pl"})).send().await.expect_error(401, "unauthenticated");
    let saved = app.req("PUT", "/api/session/me/language").session(&s).json(&json!({"language": "pl"})).send().await.expect(200).json();
    assert_eq!(saved, json!({"language": "pl"}));
    // Another device: a new sign-in gets it back.
    let other = app.login("admin@acme.example").await;
    let me = app.get("/api/session/me").cookie_only(&other).send().await.expect(200).json();
    assert_eq!(me["user"]["language"], "pl");
    let stored: Option<String> = sqlx::query_scalar("SELECT language FROM users WHERE email = 'admin@acme.example'").fetch_one(app.pool()).await.unwrap();
    assert_eq!(stored.as_deref(), Some("pl"));
}

#[tokio::test]
async fn a_body_is_a_json_object_never_an_array_of_its_fields() {
    let (app, w) = TestApp::world().await;
    // serde reads a struct from an array of its fields in order; the API does not.
    let uri = format!("/api/partners/acme/users/{}", w.acme_admin_id);
    let res = app.req("PATCH", &uri).session(&w.acme_admin).if_match(1).raw("application/json", "[\"member\"]").send().await;
    assert_eq!(res.expect_error(422, "validation_failed").json()["field"], "body");
    app.req("PATCH", &uri).session(&w.acme_admin).if_match(1).raw("application/json", "[\"member\"").send().await.expect_error(400, "invalid_json");
    let input = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/tests/data/example-input.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&input).unwrap();
    let fields = json!([value["as_of"], value["catalog"], value["partner"]]);
    let res = app.post("/api/evaluate").json(&fields).send().await.expect_error(422, "invalid_input");
    assert!(res.json()["message"].as_str().unwrap().contains("JSON object"), "{}", res.text);
    app.post("/api/evaluate").json(&value).send().await.expect(200);
}
