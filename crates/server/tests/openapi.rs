//! The OpenAPI document: a reviewed snapshot, and the router and the document
//! agree (every documented operation is served; a documented path serves no
//! undocumented method).

mod common;

use common::TestApp;
use serde_json::Value;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn served_document(app: &TestApp) -> Value {
    app.get("/api/openapi.json").send().await.expect(200).json()
}

/// A change to the API shows as a diff of this file in review.
/// `UPDATE_SNAPSHOTS=1 cargo test -p benefits-server --test openapi` rewrites it.
#[tokio::test]
async fn the_document_matches_the_reviewed_snapshot() {
    let app = TestApp::new().await;
    let doc = served_document(&app).await;
    let text = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(SNAPSHOT, &text).unwrap();
        return;
    }
    let reviewed = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    assert!(
        reviewed == text,
        "the OpenAPI document changed; review the difference with\n  UPDATE_SNAPSHOTS=1 cargo test -p benefits-server --test openapi && git diff {SNAPSHOT}"
    );
}

fn concrete(path: &str) -> String {
    path.replace("{pid}", "acme")
        .replace("{uid}", "u_x")
        .replace("{bid}", "co-sell")
        .replace("{oid}", "o1")
        .replace("{kind}", "sales")
        .replace("{file}", "sales.csv")
        .replace("{sale_id}", "1")
        .replace("{key}", "k1")
        .replace("{id}", "tok_x")
}

#[tokio::test]
async fn every_documented_operation_is_served_and_no_other_method_is() {
    let (app, w) = TestApp::world().await;
    let doc = served_document(&app).await;
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 25, "{} paths", paths.len());
    for (path, item) in paths {
        assert!(path.starts_with("/api/"), "{path}");
        let uri = concrete(path);
        let session = if path.starts_with("/api/operator") { &w.operator } else { &w.acme_admin };
        for method in METHODS {
            let res = app.req(&method.to_uppercase(), &uri).session(session).send().await;
            if item.get(method).is_some() {
                assert_ne!(res.status.as_u16(), 405, "{method} {uri} is documented but not served");
                if res.status.as_u16() == 404 {
                    assert_ne!(res.json()["message"], benefits_server::http::NO_ROUTE, "{method} {uri} is documented but not routed");
                }
            } else {
                res.expect_error(405, "method_not_allowed");
            }
        }
    }
}

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_resolves_and_every_operation_says_who_may_call_it() {
    let app = TestApp::new().await;
    let doc = served_document(&app).await;
    let mut found = Vec::new();
    refs(&doc, &mut found);
    for r in found {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected reference {r}"));
        assert!(doc["components"]["schemas"][name].is_object(), "{r} is not defined");
    }
    // Public, or authorised by the one-time link's token in the path.
    let public = [
        "/api/health",
        "/api/openapi.json",
        "/api/session/login",
        "/api/evaluate",
        "/api/session/password-reset",
        "/api/session/password-reset/{token}",
        "/api/session/email/{token}",
        "/api/invitations/{token}",
        "/api/invitations/{token}/accept",
    ];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path} has a success response");
            if public.contains(&path.as_str()) {
                continue;
            }
            let security = op["security"].as_array().unwrap_or_else(|| panic!("{method} {path} has no security"));
            // The marketplace's feed: a service token, never a session (so no CSRF either).
            if path.starts_with("/api/feed/") {
                assert!(security.iter().all(|s| s.get("service_token").is_some() && s.get("session").is_none()), "{method} {path}");
                assert!(responses.contains_key("401"), "{method} {path} documents 401");
                continue;
            }
            assert!(security.iter().all(|s| s.get("session").is_some()), "{method} {path} needs the session");
            let writes = method != "get";
            assert_eq!(security.iter().all(|s| s.get("csrf").is_some()), writes, "{method} {path}: CSRF exactly on writes");
            assert!(responses.contains_key("401"), "{method} {path} documents 401");
        }
    }
}

/// The `role` values an operation's JSON body documents (following `$ref`s).
fn documented_roles(doc: &Value, path: &str, method: &str) -> Vec<String> {
    let resolve = |v: &Value| -> Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => doc.pointer(&r.replacen('#', "", 1)).cloned().unwrap_or(Value::Null),
            None => v.clone(),
        }
    };
    let body = resolve(&doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]);
    let role = resolve(&body["properties"]["role"]);
    let mut roles: Vec<String> = role["enum"].as_array().unwrap_or_else(|| panic!("{method} {path}: role has no enum: {role}")).iter().map(|v| v.as_str().unwrap().to_string()).collect();
    roles.sort();
    roles
}

/// Each invitation route documents exactly the roles it accepts, so a client
/// (or schemathesis) learns from the document that a partner's people are
/// admins or members and the program team's are operators.
#[tokio::test]
async fn each_invitation_route_documents_exactly_the_roles_it_accepts() {
    let app = TestApp::new().await;
    let doc = served_document(&app).await;
    assert_eq!(documented_roles(&doc, "/api/partners/{pid}/invitations", "post"), ["admin", "member"]);
    assert_eq!(documented_roles(&doc, "/api/operator/partners/{pid}/invitations", "post"), ["admin", "member"]);
    assert_eq!(documented_roles(&doc, "/api/operator/invitations", "post"), ["operator"]);
}
