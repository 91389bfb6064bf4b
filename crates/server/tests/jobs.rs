//! The program's jobs: grants recorded for partners nobody looked at,
//! expiries written back once through the domain's `expire()`, overdue
//! contacts marked once, even with two servers on one database.

mod common;

use std::process::Command;

use benefits_server::jobs;
use common::*;
use serde_json::json;

/// Acme with a trial offer, a marketing contact and an activated trial
/// benefit (expires 180 days after 2025-07-15: 2026-01-11) and engagement
/// manager (contact due 2025-07-22).
async fn activated() -> (TestApp, World) {
    let (app, w) = TestApp::world().await;
    app.offers("acme").await;
    app.feed("offers", "partner_id,offer_id,type,name,live_on\nacme,trial-1,trial,Acme Trial,2025-01-01\n").await;
    app.req("PUT", "/api/partners/acme/contact")
        .session(&w.acme_admin)
        .json(&json!({"user_id": w.acme_admin_id, "email": "ads@acme.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    let a = app.post("/api/partners/acme/benefits/trial-promotion/activate").session(&w.acme_admin).if_match(0).send().await.expect(200);
    assert_eq!(a.json()["expires_on"], "2026-01-11");
    app.post("/api/partners/acme/benefits/engagement-manager/activate").session(&w.acme_admin).if_match(0).send().await.expect(200);
    let granted = app.count("SELECT COUNT(*) FROM grants WHERE partner_id = 'acme' AND benefit_id IN ('trial-promotion', 'engagement-manager')").await;
    assert_eq!(granted, 2, "an activation records what today's evaluation unlocks before acting on it");
    (app, w)
}

async fn status(app: &TestApp, bid: &str) -> String {
    sqlx::query_scalar("SELECT status FROM benefit_records WHERE benefit_id = $1").bind(bid).fetch_one(app.pool()).await.unwrap()
}

#[tokio::test]
async fn expiries_are_written_back_once_even_with_two_servers_running_jobs() {
    let (app, w) = activated().await;
    let (one, two) = (app.on_day("2026-02-01").await, app.on_day("2026-02-01").await);
    assert_eq!(status(&app, "trial-promotion").await, "activated", "stored as activated until written back");

    let (a, b) = tokio::join!(jobs::run(&one.ctx, "server one"), jobs::run(&two.ctx, "server two"));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(u8::from(a.claimed) + u8::from(b.claimed), 1, "one server claims the hour: {a:?} {b:?}");
    let ran = if a.claimed { &a } else { &b };
    assert_eq!(ran.expired, 1);
    assert_eq!(status(&app, "trial-promotion").await, "expired");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.expire'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM job_runs WHERE finished_at IS NOT NULL").await, 1);

    // Even without the claim, overlapping runs change nothing twice.
    let (a, b) = tokio::join!(jobs::run_unclaimed(&one.ctx, one.ctx.today()), jobs::run_unclaimed(&two.ctx, two.ctx.today()));
    assert_eq!(a.unwrap().expired + b.unwrap().expired, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.expire'").await, 1);

    let audit = one.get("/api/operator/audit?partner_id=acme").session(&w.operator).send().await.expect(200).json()["items"].clone();
    let entry = audit.as_array().unwrap().iter().find(|e| e["action"] == "benefit.expire").unwrap();
    assert_eq!(entry["before"]["state"]["status"], "activated");
    assert_eq!(entry["after"]["state"]["status"], "expired");
    assert_eq!(entry["after"]["state"]["changed_on"], "2026-02-01");
    let list = one.get("/api/partners/acme/benefits").session(&w.acme_admin).send().await.expect(200).json();
    let trial = list.as_array().unwrap().iter().find(|b| b["id"] == "trial-promotion").unwrap();
    assert_eq!(trial["status"], "expired");
}

#[tokio::test]
async fn overdue_contacts_are_marked_once_and_unseen_partners_get_their_grants() {
    let (app, _w) = activated().await;
    app.feed("offers", "partner_id,offer_id,type,name,live_on\nglobex,globex-list,list,Globex List,2025-05-01\n").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM grants WHERE partner_id = 'globex'").await, 0, "nobody viewed globex yet");
    let later = app.on_day("2025-08-01").await;
    let r = jobs::run_unclaimed(&later.ctx, later.ctx.today()).await.unwrap();
    assert_eq!(r.overdue_marked, 2, "both activations' contact was due 2025-07-22");
    assert!(r.grants_recorded >= 1);
    assert!(app.count("SELECT COUNT(*) FROM grants WHERE partner_id = 'globex' AND benefit_id = 'listing-optimization'").await == 1);
    let first: String = sqlx::query_scalar("SELECT first_benefit_date FROM partners WHERE id = 'globex'").fetch_one(app.pool()).await.unwrap();
    assert_eq!(first, "2025-05-01");
    let marked: String = sqlx::query_scalar("SELECT overdue_marked_on FROM benefit_records WHERE benefit_id = 'engagement-manager'").fetch_one(app.pool()).await.unwrap();
    assert_eq!(marked, "2025-08-01");
    let again = jobs::run_unclaimed(&later.ctx, later.ctx.today()).await.unwrap();
    assert_eq!((again.overdue_marked, again.grants_recorded, again.expired), (0, 0, 0));
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'benefit.contact_overdue'").await, 2);
}

#[test]
fn run_jobs_runs_once_per_hour_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_store_blocking(dir.path());
    let db = db.to_str().unwrap();
    let bin = env!("CARGO_BIN_EXE_benefits");
    let seeded = Command::new(bin).args(["seed-demo", "--db", db]).output().unwrap();
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let first = Command::new(bin).args(["run-jobs", "--db", db]).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let text = String::from_utf8(first.stdout).unwrap();
    assert!(text.contains("3 partners"), "{text}");
    let second = Command::new(bin).args(["run-jobs", "--db", db]).output().unwrap();
    assert!(second.status.success());
    assert!(String::from_utf8(second.stdout).unwrap().contains("already run"));
}
