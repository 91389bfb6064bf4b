//! What goes over the wire: precompressed, cached app files; compressed API
//! responses except those with a secret; the evaluation cache's bounds.

mod common;

use common::*;
use serde_json::json;

const HASHED_WASM: &str = "benefits-app-5e1b3f0c9a7d2e41_bg.wasm";

/// A dist folder as the build leaves it: each file beside its .br and .gz.
fn built_dist() -> tempfile::TempDir {
    let dist = tempfile::tempdir().unwrap();
    let files: [(&str, &[u8]); 4] = [
        ("index.html", b"<!doctype html><html><head></head><body></body></html>"),
        (HASHED_WASM, b"\0asm plain"),
        ("sw.js", b"self.addEventListener('fetch', () => {});"),
        ("manifest.webmanifest", b"{\"name\": \"Benefits\"}"),
    ];
    for (name, plain) in files {
        let path = dist.path().join(name);
        std::fs::write(&path, plain).unwrap();
        // Distinct bodies, so the test sees which copy was sent.
        std::fs::write(format!("{}.br", path.display()), format!("br:{name}")).unwrap();
        std::fs::write(format!("{}.gz", path.display()), format!("gz:{name}")).unwrap();
    }
    dist
}

fn header<'a>(res: &'a Res, name: &str) -> &'a str {
    res.headers.get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

#[tokio::test]
async fn a_hashed_asset_comes_brotli_encoded_and_immutable_and_index_html_no_cache() {
    let dist = built_dist();
    let app = TestApp::builder().dist(dist.path().to_path_buf()).build().await;

    let wasm = app.get(&format!("/{HASHED_WASM}")).header("accept-encoding", "gzip, deflate, br").send().await.expect(200);
    assert_eq!(header(&wasm, "content-encoding"), "br");
    assert_eq!(wasm.text, format!("br:{HASHED_WASM}"));
    assert_eq!(header(&wasm, "content-type"), "application/wasm");
    assert_eq!(header(&wasm, "cache-control"), "public, max-age=31536000, immutable");
    assert!(header(&wasm, "vary").to_ascii_lowercase().contains("accept-encoding"));

    let gz = app.get(&format!("/{HASHED_WASM}")).header("accept-encoding", "gzip").send().await.expect(200);
    assert_eq!(header(&gz, "content-encoding"), "gzip");
    assert_eq!(gz.text, format!("gz:{HASHED_WASM}"));
    let plain = app.get(&format!("/{HASHED_WASM}")).send().await.expect(200);
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_eq!(plain.text, "\0asm plain");

    for uri in ["/", "/index.html", "/partners/acme/benefits", "/sw.js", "/manifest.webmanifest"] {
        let res = app.get(uri).header("accept-encoding", "br").send().await.expect(200);
        assert_eq!(header(&res, "cache-control"), "no-cache", "{uri}");
        assert_eq!(header(&res, "content-encoding"), "br", "{uri}");
    }
    let spa = app.get("/partners/acme/benefits").header("accept-encoding", "br").send().await;
    assert_eq!(spa.text, "br:index.html", "the SPA fallback is index.html, compressed too");

    // A module of an older build is gone: 404, not index.html cached for a year.
    let gone = app.get("/benefits-app-0000000000000000_bg.wasm").header("accept-encoding", "br").send().await.expect(404);
    assert_ne!(header(&gone, "cache-control"), "public, max-age=31536000, immutable");
    assert!(!gone.text.contains("index.html"));
}

#[tokio::test]
async fn a_lazy_module_comes_compressed_with_the_main_module_as_dictionary_only_to_a_browser_holding_it() {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let dist = built_dist();
    let lazy = "split_why_page-0a1b2c3d4e5f6071.wasm";
    let path = dist.path().join(lazy);
    std::fs::write(&path, b"\0asm lazy").unwrap();
    std::fs::write(format!("{}.br", path.display()), format!("br:{lazy}")).unwrap();
    // The build's copy: magic, the SHA-256 of the main module (the
    // dictionary), then the stream.
    let main_hash = Sha256::digest(b"\0asm plain");
    let mut dcb = vec![0xff, 0x44, 0x43, 0x42];
    dcb.extend_from_slice(&main_hash);
    dcb.extend_from_slice(b"dcb-stream");
    std::fs::write(format!("{}.dcb", path.display()), &dcb).unwrap();
    let app = TestApp::builder().dist(dist.path().to_path_buf()).build().await;
    let held = format!(":{}:", base64::engine::general_purpose::STANDARD.encode(main_hash));
    let other = format!(":{}:", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"an older main module")));

    // The main module offers itself as the dictionary of the origin's wasm files.
    let main = app.get(&format!("/{HASHED_WASM}")).header("accept-encoding", "br").send().await.expect(200);
    assert_eq!(header(&main, "use-as-dictionary"), "match=\"/*.wasm\"");

    // Chromium holding it: the dictionary-compressed copy.
    let chrome = "gzip, deflate, br, zstd, dcb, dcz";
    let got = app.get(&format!("/{lazy}")).header("accept-encoding", chrome).header("available-dictionary", &held).send().await.expect(200);
    assert_eq!(header(&got, "content-encoding"), "dcb");
    assert_eq!(got.text, String::from_utf8_lossy(&dcb));
    assert_eq!(header(&got, "content-type"), "application/wasm");
    assert_eq!(header(&got, "cache-control"), "public, max-age=31536000, immutable");
    assert_eq!(header(&got, "vary"), "accept-encoding, available-dictionary");
    assert!(header(&got, "use-as-dictionary").is_empty(), "a lazy module is no dictionary");
    let head = app.req("HEAD", &format!("/{lazy}")).header("accept-encoding", chrome).header("available-dictionary", &held).send().await.expect(200);
    assert_eq!((header(&head, "content-encoding"), header(&head, "content-length")), ("dcb", dcb.len().to_string().as_str()));
    assert_eq!(head.text, "");

    // Another build's dictionary, no dictionary, `dcb` not accepted (or
    // refused with q=0), a malformed hash: the brotli copy, still varying
    // on the dictionary.
    for (accept, dictionary) in [(chrome, Some(other.as_str())), (chrome, None), ("gzip, deflate, br", Some(held.as_str())), ("br, dcb;q=0", Some(held.as_str())), (chrome, Some(":bm90IGEgaGFzaA==:"))] {
        let mut req = app.get(&format!("/{lazy}")).header("accept-encoding", accept);
        if let Some(d) = dictionary {
            req = req.header("available-dictionary", d);
        }
        let res = req.send().await.expect(200);
        assert_eq!(header(&res, "content-encoding"), "br", "{accept} {dictionary:?}");
        assert_eq!(res.text, format!("br:{lazy}"));
        assert_eq!(header(&res, "vary"), "accept-encoding, available-dictionary");
    }
    // The main module is never answered with a dictionary copy.
    let main = app.get(&format!("/{HASHED_WASM}")).header("accept-encoding", chrome).header("available-dictionary", &held).send().await.expect(200);
    assert_eq!(header(&main, "content-encoding"), "br");
}

/// Enough sales for a workspace body well over 1 KB.
async fn partner_with_sales(app: &TestApp, w: &World) {
    let _ = w;
    app.offers("acme").await;
    let mut csv = String::from("external_id,partner_id,offer_id,date,amount_usd,status\n");
    for i in 0..40 {
        csv.push_str(&format!("S{i},acme,saas-1,2025-0{}-1{},{}.00,billed\n", 1 + i % 6, i % 10, 1000 + i));
    }
    app.feed("sales", &csv).await;
}

#[tokio::test]
async fn api_responses_over_1_kb_are_compressed_but_never_those_with_the_csrf_token() {
    let (app, w) = TestApp::world().await;
    partner_with_sales(&app, &w).await;

    let plain = app.get("/api/partners/acme/workspace").session(&w.acme_admin).send().await.expect(200);
    assert!(plain.text.len() > 1024, "the workspace is over 1 KB: {}", plain.text.len());
    assert_eq!(header(&plain, "content-encoding"), "", "no Accept-Encoding, no compression");

    for (accept, encoding) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let res = app.get("/api/partners/acme/workspace").session(&w.acme_admin).header("accept-encoding", accept).send().await.expect(200);
        assert_eq!(header(&res, "content-encoding"), encoding, "{accept}");
        assert!(header(&res, "vary").to_ascii_lowercase().contains("accept-encoding"));
    }
    let br = raw_body(&app, "/api/partners/acme/workspace", &w.acme_admin, "br").await;
    let mut json = Vec::new();
    brotli::BrotliDecompress(&mut br.as_slice(), &mut json).unwrap();
    assert_eq!(json, plain.text.as_bytes(), "the brotli body decodes to the same JSON");
    assert!(br.len() * 3 < json.len(), "{} bytes for {}", br.len(), json.len());

    // Small bodies stay as they are.
    let health = app.get("/api/health").header("accept-encoding", "br").send().await.expect(200);
    assert_eq!(header(&health, "content-encoding"), "");

    // The session responses carry the CSRF token: never compressed (BREACH),
    // even when a long name makes them larger than 1 KB.
    sqlx::query("UPDATE users SET name = $1 WHERE email = 'admin@acme.example'").bind("n".repeat(1500)).execute(app.pool()).await.unwrap();
    let login = app
        .post("/api/session/login")
        .header("x-requested-with", "benefits")
        .header("accept-encoding", "br, gzip")
        .json(&json!({"email": "admin@acme.example", "password": PASSWORD}))
        .send()
        .await
        .expect(200);
    assert!(login.text.len() > 1024 && login.text.contains("csrf_token"));
    assert_eq!(header(&login, "content-encoding"), "");
    let me = app.get("/api/session/me").session(&w.acme_admin).header("accept-encoding", "br, gzip").send().await.expect(200);
    assert!(me.text.len() > 1024 && me.text.contains("csrf_token"));
    assert_eq!(header(&me, "content-encoding"), "");
}

/// The raw body bytes (`Res` keeps text, and brotli is not UTF-8).
async fn raw_body(app: &TestApp, uri: &str, s: &Session, accept: &str) -> Vec<u8> {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::get(uri)
        .header("host", "localhost")
        .header("cookie", &s.cookie)
        .header("accept-encoding", accept)
        .body(Body::empty())
        .unwrap();
    let res = app.app.clone().oneshot(req).await.unwrap();
    res.into_body().collect().await.unwrap().to_bytes().to_vec()
}

async fn workspace(app: &TestApp, s: &Session, query: &str) -> serde_json::Value {
    app.get(&format!("/api/partners/acme/workspace{query}")).session(s).send().await.expect(200).json()
}

#[tokio::test]
async fn as_of_on_many_dates_is_computed_but_not_kept_and_the_cache_stays_within_its_bound() {
    let (app, w) = TestApp::world().await;
    partner_with_sales(&app, &w).await;
    let cache = &app.ctx.cache;
    let today = workspace(&app, &w.acme_admin, "").await;
    let (held, weight) = (cache.len(), cache.weight());
    assert_eq!(held, 2, "today's snapshot and its body");
    assert!(weight > 0 && weight <= cache.capacity());

    let mut day = date("2023-01-01");
    for _ in 0..400 {
        let ws = workspace(&app, &w.acme_admin, &format!("?as_of={day}")).await;
        assert_eq!(ws["as_of"], day.to_string(), "each date is answered for that date");
        day = day.succ_opt().unwrap().succ_opt().unwrap();
    }
    assert_eq!(cache.len(), held, "no date but today is kept");
    assert_eq!(cache.weight(), weight);
    assert_eq!(workspace(&app, &w.acme_admin, "").await, today);
}

#[tokio::test]
async fn a_write_invalidates_the_partner_and_a_small_or_dropped_cache_answers_the_same() {
    let (app, w) = TestApp::world().await;
    partner_with_sales(&app, &w).await;
    app.offers("globex").await;
    let before = workspace(&app, &w.acme_admin, "").await;

    // Every write that changes the partner's data shows at once.
    app.feed("sales", "external_id,partner_id,offer_id,date,amount_usd,status\nNEW,acme,saas-1,2025-07-01,5000.00,billed\n").await;
    let after = workspace(&app, &w.acme_admin, "").await;
    assert_ne!(after["input"], before["input"], "the import is seen");
    assert_eq!(daily_lines(&after), 41);
    assert_eq!(app.ctx.cache.len(), 2, "the stale entries were replaced, not added to");

    // A cache that holds about one partner, over the same database.
    let one = app.ctx.cache.weight();
    let small = benefits_server::cache::EvalCache::with_capacity(one + one / 2);
    let config = benefits_server::Config {
        clock: benefits_server::clock::Clock { fixed_today: Some(date(TODAY)) },
        password: TEST_PASSWORD_PARAMS,
        ..Default::default()
    };
    let ctx = benefits_server::ApiContext::with_cache(app.ctx.db.clone(), config, small);
    let tight = TestApp { dir: tempfile::tempdir().unwrap(), db: app.db.clone(), ctx: ctx.clone(), app: benefits_server::app(ctx) };
    for _ in 0..3 {
        assert_eq!(workspace(&tight, &w.acme_admin, "").await, after);
        let globex = tight.get("/api/partners/globex/workspace").session(&w.globex_admin).send().await.expect(200).json();
        assert_eq!(globex["partner"]["id"], "globex");
        assert!(tight.ctx.cache.weight() <= tight.ctx.cache.capacity(), "{} > {}", tight.ctx.cache.weight(), tight.ctx.cache.capacity());
    }

    // Dropping the cache costs time, never a different answer.
    app.ctx.cache.clear();
    assert!(app.ctx.cache.is_empty());
    assert_eq!(workspace(&app, &w.acme_admin, "").await, after);
}
