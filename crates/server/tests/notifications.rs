//! What people are told: each event reaches, over a real SMTP server
//! (aiosmtpd), exactly its recipients in their language, and shows in their
//! in-app list; preferences are honoured; the jobs warn of expiries and send
//! one overdue digest per operator per day even with two servers; the
//! calendar feed parses as iCalendar.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use benefits_server::jobs;
use common::real::{Mail, SmtpSink};
use common::*;
use serde_json::{json, Value};

const PUBLIC: &str = "https://rewards.example";

/// Acme and Globex (each an admin and a member), two operators; mail goes to
/// a real SMTP sink through the server's own outbox worker.
struct Told {
    app: TestApp,
    w: World,
    sink: SmtpSink,
    _dir: tempfile::TempDir,
    seen: std::collections::HashSet<String>,
}

async fn told() -> Told {
    let dir = tempfile::tempdir().unwrap();
    let sink = SmtpSink::start(dir.path()).await;
    let url = sink.url();
    let app = TestApp::builder()
        .config(move |c| {
            c.mail.smtp_url = Some(url);
            c.public_url = PUBLIC.into();
        })
        .build()
        .await;
    let (app, w) = TestApp::world_on(app).await;
    app.user(None, "ops2@program.example", "operator").await;
    app.ctx.mail_worker().unwrap().spawn();
    Told { app, w, sink, _dir: dir, seen: Default::default() }
}

impl Told {
    /// The messages delivered since the last call, once the outbox is empty.
    async fn delivered(&mut self) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let unsent = self.app.count("SELECT COUNT(*) FROM mail_outbox WHERE sent_unix IS NULL").await;
            if unsent == 0 {
                break;
            }
            assert!(Instant::now() < deadline, "{unsent} messages still unsent");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let new: Vec<Mail> = self.sink.parsed().into_iter().filter(|m| !self.seen.contains(&m.file)).collect();
        self.seen.extend(new.iter().map(|m| m.file.clone()));
        new
    }

    /// Recipient → subject of the messages delivered since the last call; each recipient once.
    async fn delivered_by_recipient(&mut self) -> BTreeMap<String, Mail> {
        let mut out = BTreeMap::new();
        for m in self.delivered().await {
            let to = m.to.clone();
            assert!(out.insert(to.clone(), m).is_none(), "two messages to {to}");
        }
        out
    }

    async fn assign_contact(&self, user_id: &str, email: &str, language: &str) {
        self.app
            .req("PUT", "/api/partners/acme/contact")
            .session(&self.w.acme_admin)
            .json(&json!({"user_id": user_id, "email": email, "phone": "+48221234567", "language": language}))
            .send()
            .await
            .expect(200);
    }

    async fn act(&self, who: &Session, path: &str, version: i64, body: Option<Value>) -> Value {
        let req = self.app.post(path).session(who).if_match(version);
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        req.send().await.expect(200).json()
    }
}

fn recipients(m: &BTreeMap<String, Mail>) -> Vec<&str> {
    m.keys().map(String::as_str).collect()
}

/// Acme with live list, transact and trial offers, so benefits are unlocked.
async fn with_offers(t: &mut Told) {
    t.app.offers("acme").await;
    t.app.feed("offers", "partner_id,offer_id,type,name,live_on\nacme,trial-1,trial,Acme Trial,2025-01-01\n").await;
    t.app.offers("globex").await;
    // The first look records the first grants (a benefit year starts: see the tier news test).
    t.app.get("/api/partners/acme/workspace").session(&t.w.acme_admin).send().await.expect(200);
    t.app.get("/api/partners/globex/workspace").session(&t.w.globex_admin).send().await.expect(200);
    t.delivered().await;
}

#[tokio::test]
async fn every_benefit_event_reaches_exactly_its_recipients_in_their_language() {
    let mut t = told().await;
    with_offers(&mut t).await;
    // Globex has its own contact: nothing about Acme ever reaches Globex's people.
    t.app
        .req("PUT", "/api/partners/globex/contact")
        .session(&t.w.globex_admin)
        .json(&json!({"user_id": t.w.globex_admin.user_id, "email": "contact@globex.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    t.delivered().await;

    // The contact (Acme's member, Polish) is welcomed with the tier and the unlocked benefits.
    t.assign_contact(&t.w.acme_member_id.clone(), "kontakt@acme.example", "pl").await;
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["kontakt@acme.example"]);
    let welcome = &m["kontakt@acme.example"];
    assert_eq!(welcome.subject, "Jesteś kontaktem marketingowym firmy Acme Apps");
    assert!(welcome.text.contains("warstwie 1") && welcome.text.contains("- Free trial promotion"), "{}", welcome.text);
    assert!(welcome.text.contains(&format!("{PUBLIC}/partners/acme/benefits")));
    assert!(welcome.text.contains(&format!("{PUBLIC}/notifications#preferences")), "every email links to the preferences");
    assert!(welcome.html.contains(&format!("href=\"{PUBLIC}/notifications#preferences\"")));
    // Changing only the phone is not news.
    let c = t.app.get("/api/partners/acme/contact").session(&t.w.acme_admin).send().await.expect(200);
    t.app
        .req("PUT", "/api/partners/acme/contact")
        .session(&t.w.acme_admin)
        .if_match(c.json()["version"].as_i64().unwrap())
        .json(&json!({"user_id": t.w.acme_member_id, "email": "kontakt@acme.example", "phone": "+48221234568", "language": "pl"}))
        .send()
        .await
        .expect(200);
    assert!(t.delivered().await.is_empty());

    // Activated: the contact (Polish), the admin (English), every operator (no engagement manager).
    t.act(&t.w.acme_admin, "/api/partners/acme/benefits/trial-promotion/activate", 0, None).await;
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["admin@acme.example", "kontakt@acme.example", "ops2@program.example", "ops@program.example"]);
    assert_eq!(m["kontakt@acme.example"].subject, "Korzyść Free trial promotion została aktywowana");
    assert!(m["kontakt@acme.example"].text.contains("do 22.07.2025"), "the contact-by date: {}", m["kontakt@acme.example"].text);
    assert_eq!(m["admin@acme.example"].subject, "Free trial promotion is activated");
    assert!(m["admin@acme.example"].text.contains("by 22 July 2025"));
    assert!(m["admin@acme.example"].text.contains(&format!("{PUBLIC}/partners/acme/benefits#trial-promotion")));
    assert_eq!(m["ops@program.example"].subject, "Acme Apps activated Free trial promotion");
    assert!(m["ops@program.example"].text.contains(&format!("{PUBLIC}/operator/partners/acme")));

    // Each delivery step: the contact only.
    let steps = [("contacted", "Zespół Rewards skontaktował się w sprawie korzyści Free trial promotion"), ("in_progress", "Korzyść Free trial promotion jest w realizacji"), ("delivered", "Korzyść Free trial promotion została zrealizowana")];
    for (v, (to, subject)) in (1..).zip(steps) {
        t.act(&t.w.operator, "/api/operator/partners/acme/benefits/trial-promotion/advance", v, Some(json!({"to": to}))).await;
        let m = t.delivered_by_recipient().await;
        assert_eq!(recipients(&m), ["kontakt@acme.example"], "{to}");
        assert_eq!(m["kontakt@acme.example"].subject, subject);
    }

    // Revoked: the contact and the admins, with the reason and the note.
    t.act(&t.w.acme_admin, "/api/partners/acme/benefits/engagement-manager/activate", 0, None).await;
    t.delivered().await;
    let body = json!({"reason": "fraudulent_purchases", "note": "Chargebacks on three orders."});
    t.act(&t.w.operator, "/api/operator/partners/acme/benefits/engagement-manager/revoke", 1, Some(body)).await;
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["admin@acme.example", "kontakt@acme.example"]);
    assert!(m["admin@acme.example"].text.contains("Reason: Purchases known or suspected to be fraudulent.") && m["admin@acme.example"].text.contains("Chargebacks on three orders."));
    assert!(m["kontakt@acme.example"].text.contains("Powód: zakupy, co do których wiadomo lub podejrzewa się, że są oszukańcze."));

    // Opted out of an engagement under way: the Rewards team, now the engagement manager alone.
    let ops2: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ops2@program.example'").fetch_one(t.app.pool()).await.unwrap();
    sqlx::query("UPDATE partners SET engagement_manager_id = $1, data_version = data_version + 1 WHERE id = 'acme'").bind(&ops2).execute(t.app.pool()).await.unwrap();
    t.act(&t.w.acme_admin, "/api/partners/acme/benefits/sales-enablement/activate", 0, None).await;
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["admin@acme.example", "kontakt@acme.example", "ops2@program.example"], "the engagement manager only");
    t.act(&t.w.acme_member, "/api/partners/acme/benefits/sales-enablement/opt-out", 1, None).await;
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["ops2@program.example"]);
    assert_eq!(m["ops2@program.example"].subject, "Acme Apps opted out of Sales enablement");
    // Opting out of a benefit nobody worked on is no news.
    t.act(&t.w.acme_admin, "/api/partners/acme/benefits/promotion-resources/opt-out", 0, None).await;
    assert!(t.delivered().await.is_empty());

    // In-app: the same events, in each recipient's language; nothing for Globex's people.
    let list = t.app.get("/api/notifications").session(&t.w.acme_member).send().await.expect(200).json();
    let titles: Vec<&str> = list["items"].as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap()).collect();
    assert_eq!(titles.len(), 8, "{titles:?}");
    assert_eq!(titles.last(), Some(&"Jesteś kontaktem marketingowym firmy Acme Apps"));
    assert_eq!(list["unread"], 8);
    for s in [&t.w.globex_admin, &t.w.globex_member] {
        let g = t.app.get("/api/notifications").session(s).send().await.expect(200).json();
        assert!(g["items"].as_array().unwrap().iter().all(|n| n["partner_id"] == "globex"), "{g}");
    }
    assert_eq!(t.app.count("SELECT COUNT(*) FROM notifications WHERE partner_id = 'acme' AND user_id IN (SELECT id FROM users WHERE partner_id = 'globex')").await, 0);
}

#[tokio::test]
async fn preferences_are_honoured_and_the_contact_keeps_benefit_updates_while_engaged() {
    let mut t = told().await;
    with_offers(&mut t).await;
    // Before any engagement the contact may turn benefit updates off.
    t.assign_contact(&t.w.acme_member_id.clone(), "kontakt@acme.example", "pl").await;
    let p = t.app.req("PATCH", "/api/notifications/preferences").session(&t.w.acme_member).json(&json!({"benefit_updates": false})).send().await.expect(200).json();
    assert_eq!(p["groups"][0], json!({"group": "benefit_updates", "email": false, "locked": false}));
    // The admin turns benefit updates off too, and keeps tier news.
    t.app.req("PATCH", "/api/notifications/preferences").session(&t.w.acme_admin).json(&json!({"benefit_updates": false})).send().await.expect(200);
    t.delivered().await;

    t.act(&t.w.acme_admin, "/api/partners/acme/benefits/trial-promotion/activate", 0, None).await;
    let m = t.delivered_by_recipient().await;
    // The contact still hears: an engagement they are the contact for is under way.
    assert_eq!(recipients(&m), ["kontakt@acme.example", "ops2@program.example", "ops@program.example"], "the admin asked for no benefit updates");
    // Both still see it in the workspace.
    for s in [&t.w.acme_admin, &t.w.acme_member] {
        let l = t.app.get("/api/notifications").session(s).send().await.expect(200).json();
        assert_eq!(l["items"][0]["kind"], "activated");
    }
    // While it is active, the contact cannot turn benefit updates off, and sees them locked on.
    t.app
        .req("PATCH", "/api/notifications/preferences")
        .session(&t.w.acme_member)
        .json(&json!({"benefit_updates": false}))
        .send()
        .await
        .expect_error(409, "preference_locked");
    let p = t.app.get("/api/notifications/preferences").session(&t.w.acme_member).send().await.expect(200).json();
    assert_eq!(p["groups"][0], json!({"group": "benefit_updates", "email": true, "locked": true}));
    // Other groups stay theirs to change; an unknown group is refused by name.
    t.app.req("PATCH", "/api/notifications/preferences").session(&t.w.acme_member).json(&json!({"tier_news": false})).send().await.expect(200);
    t.app
        .req("PATCH", "/api/notifications/preferences")
        .session(&t.w.acme_member)
        .json(&json!({"newsletter": false}))
        .send()
        .await
        .expect_error(422, "validation_failed");

    // An operator who turns benefit updates off no longer gets activations by email.
    t.app.req("PATCH", "/api/notifications/preferences").session(&t.w.operator).json(&json!({"benefit_updates": false})).send().await.expect(200);
    t.act(&t.w.acme_admin, "/api/partners/acme/benefits/engagement-manager/activate", 0, None).await;
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["kontakt@acme.example", "ops2@program.example"]);
}

#[tokio::test]
async fn tier_news_and_a_new_benefit_year_go_to_the_admins_once() {
    let mut t = told().await;
    t.app.offers("acme").await;
    // The first look at the workspace records the first grants: a benefit year starts.
    t.app.get("/api/partners/acme/workspace").session(&t.w.acme_member).send().await.expect(200);
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["admin@acme.example"]);
    assert_eq!(m["admin@acme.example"].subject, "A new benefit year started for Acme Apps");
    assert!(m["admin@acme.example"].text.contains("started on 1 March 2025 and runs until 28 February 2026"), "{}", m["admin@acme.example"].text);

    // Sales reach tier 2 within the year: "tier reached", once, whoever looks; in the
    // admin's own UI language (Polish now).
    sqlx::query("UPDATE users SET language = 'pl' WHERE email = 'admin@acme.example'").execute(t.app.pool()).await.unwrap();
    t.app.feed("sales", "external_id,partner_id,offer_id,date,amount_usd,status\nS-1,acme,saas-1,2025-07-01,30000,billed\n").await;
    t.app.get("/api/partners/acme/workspace").session(&t.w.acme_member).send().await.expect(200);
    t.app.get("/api/partners/acme/benefits").session(&t.w.acme_admin).send().await.expect(200);
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["admin@acme.example"]);
    assert_eq!(m["admin@acme.example"].subject, "Firma Acme Apps osiągnęła warstwę 2");
    assert!(m["admin@acme.example"].text.contains("- Azure sponsorship, USD 5,000"));
    sqlx::query("UPDATE users SET language = NULL WHERE email = 'admin@acme.example'").execute(t.app.pool()).await.unwrap();

    // The next anniversary: a new benefit year, told by the jobs of that day.
    let later = t.app.on_day("2026-03-02").await;
    jobs::run_unclaimed(&later.ctx, later.ctx.today()).await.unwrap();
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["admin@acme.example"]);
    assert_eq!(m["admin@acme.example"].subject, "A new benefit year started for Acme Apps");
    jobs::run_unclaimed(&later.ctx, later.ctx.today()).await.unwrap();
    assert!(t.delivered().await.is_empty(), "told once");
}

/// Acme's contact (English) with an activated trial promotion (expires
/// 2026-01-11) and engagement manager (contact due 2025-07-22).
async fn activated(t: &mut Told) {
    with_offers(t).await;
    t.assign_contact(&t.w.acme_member_id.clone(), "contact@acme.example", "en").await;
    t.act(&t.w.acme_admin, "/api/partners/acme/benefits/trial-promotion/activate", 0, None).await;
    t.act(&t.w.acme_admin, "/api/partners/acme/benefits/engagement-manager/activate", 0, None).await;
    t.delivered().await;
}

#[tokio::test]
async fn the_jobs_warn_of_an_expiry_fourteen_days_ahead_then_tell_it_once() {
    let mut t = told().await;
    activated(&mut t).await;
    // Mark both contacted so no digest interferes.
    for bid in ["trial-promotion", "engagement-manager"] {
        t.act(&t.w.operator, &format!("/api/operator/partners/acme/benefits/{bid}/advance"), 1, Some(json!({"to": "contacted"}))).await;
    }
    t.delivered().await;

    let early = t.app.on_day("2025-12-27").await;
    jobs::run_unclaimed(&early.ctx, early.ctx.today()).await.unwrap();
    assert!(t.delivered().await.is_empty(), "15 days ahead: too early");

    let warn = t.app.on_day("2025-12-28").await;
    let r = jobs::run_unclaimed(&warn.ctx, warn.ctx.today()).await.unwrap();
    assert_eq!(r.expiry_warnings, 1);
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["contact@acme.example"]);
    assert_eq!(m["contact@acme.example"].subject, "Free trial promotion expires on 11 January 2026");
    // Later runs before the expiry do not repeat it.
    for day in ["2025-12-28", "2026-01-05"] {
        let again = t.app.on_day(day).await;
        assert_eq!(jobs::run_unclaimed(&again.ctx, again.ctx.today()).await.unwrap().expiry_warnings, 0);
    }
    assert!(t.delivered().await.is_empty());

    let after = t.app.on_day("2026-01-12").await;
    let (a, b) = tokio::join!(jobs::run_unclaimed(&after.ctx, after.ctx.today()), jobs::run_unclaimed(&warn.ctx, after.ctx.today()));
    assert_eq!(a.unwrap().expired + b.unwrap().expired, 1);
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["contact@acme.example"]);
    assert_eq!(m["contact@acme.example"].subject, "Free trial promotion has expired");
}

#[tokio::test]
async fn two_servers_running_the_jobs_send_each_operator_one_overdue_digest_a_day() {
    let mut t = told().await;
    activated(&mut t).await;
    // Globex's overdue activation: its engagement manager is ops2.
    t.app
        .req("PUT", "/api/partners/globex/contact")
        .session(&t.w.globex_admin)
        .json(&json!({"user_id": t.w.globex_admin.user_id, "email": "contact@globex.example", "phone": "+14155552671", "language": "en"}))
        .send()
        .await
        .expect(200);
    t.act(&t.w.globex_admin, "/api/partners/globex/benefits/listing-optimization/activate", 0, None).await;
    let ops2: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ops2@program.example'").fetch_one(t.app.pool()).await.unwrap();
    sqlx::query("UPDATE partners SET engagement_manager_id = $1 WHERE id = 'globex'").bind(&ops2).execute(t.app.pool()).await.unwrap();
    t.delivered().await;

    // 2025-07-24: both servers run the hour's jobs, then (as in later hours) run them again.
    let (one, two) = (t.app.on_day("2025-07-24").await, t.app.on_day("2025-07-24").await);
    let (a, b) = tokio::join!(jobs::run(&one.ctx, "server one"), jobs::run(&two.ctx, "server two"));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(u8::from(a.claimed) + u8::from(b.claimed), 1);
    let (a, b) = tokio::join!(jobs::run_unclaimed(&one.ctx, one.ctx.today()), jobs::run_unclaimed(&two.ctx, two.ctx.today()));
    assert_eq!(a.unwrap().digests + b.unwrap().digests, 0, "today's digests were sent by the first run");
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["ops2@program.example", "ops@program.example"], "one digest per operator");
    // ops answers for the unmanaged Acme only; ops2 for Acme (unmanaged) and Globex (theirs).
    let ops = &m["ops@program.example"];
    assert_eq!(ops.subject, "2 activations past their contact date (24 July 2025)");
    assert!(ops.text.contains("- Acme Apps: Free trial promotion (contact by 22 July 2025)") && !ops.text.contains("Globex"), "{}", ops.text);
    assert!(m["ops2@program.example"].text.contains("- Globex Cloud: Listing optimization review"));
    assert!(ops.text.contains(&format!("{PUBLIC}/operator")));

    // The next day, one more each, though two servers' runs race for them.
    let (next, other) = (t.app.on_day("2025-07-25").await, t.app.on_day("2025-07-25").await);
    let (a, b) = tokio::join!(jobs::run_unclaimed(&next.ctx, next.ctx.today()), jobs::run_unclaimed(&other.ctx, other.ctx.today()));
    assert_eq!(a.unwrap().digests + b.unwrap().digests, 2, "one digest per operator");
    jobs::run_unclaimed(&next.ctx, next.ctx.today()).await.unwrap();
    let m = t.delivered_by_recipient().await;
    assert_eq!(recipients(&m), ["ops2@program.example", "ops@program.example"]);
    // Operators see theirs in the console's list too.
    let l = t.app.get("/api/notifications").session(&t.w.operator).send().await.expect(200).json();
    let digests = l["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "overdue_digest").count();
    assert_eq!(digests, 2);
    assert_eq!(l["items"][0]["link"], "/operator");
}

#[tokio::test]
async fn the_in_app_list_counts_unread_marks_read_and_is_private() {
    let mut t = told().await;
    activated(&mut t).await;
    let s = &t.w.acme_member;
    let l = t.app.get("/api/notifications").session(s).send().await.expect(200).json();
    assert_eq!(l["unread"], 3, "welcome and two activations: {l}");
    let first = &l["items"][0];
    assert_eq!(first["link"], "/partners/acme/benefits#engagement-manager");
    assert_eq!(first["read"], false);
    let id = first["id"].as_i64().unwrap();

    // Another user cannot read or mark it: it is not theirs.
    t.app.post(&format!("/api/notifications/{id}/read")).session(&t.w.globex_member).send().await.expect_error(404, "not_found");
    t.app.post(&format!("/api/notifications/{id}/read")).session(&t.w.acme_admin).send().await.expect_error(404, "not_found");
    t.app.post("/api/notifications/nonsense/read").session(s).send().await.expect_error(404, "not_found");
    // Marking needs the CSRF token.
    t.app.post(&format!("/api/notifications/{id}/read")).cookie_only(s).send().await.expect(403);

    let r = t.app.post(&format!("/api/notifications/{id}/read")).session(s).send().await.expect(200).json();
    assert_eq!(r["unread"], 2);
    let l = t.app.get("/api/notifications?limit=1").session(s).send().await.expect(200).json();
    assert_eq!((l["items"].as_array().unwrap().len(), l["items"][0]["read"].clone(), l["unread"].clone()), (1, json!(true), json!(2)));
    let clamped = t.app.get("/api/notifications?limit=0").session(s).send().await.expect(200).json();
    assert_eq!(clamped["items"].as_array().unwrap().len(), 1, "a limit is kept within 1 to 200");
    assert_eq!(t.app.post("/api/notifications/read-all").session(s).send().await.expect(200).json()["unread"], 0);
    assert_eq!(t.app.get("/api/notifications").session(s).send().await.expect(200).json()["unread"], 0);
    // The admin's own (the benefit year and two activations) stay unread.
    assert_eq!(t.app.get("/api/notifications").session(&t.w.acme_admin).send().await.expect(200).json()["unread"], 3);
    t.app.get("/api/notifications").send().await.expect_error(401, "unauthenticated");
}

fn ics_events(text: &str) -> Vec<(String, String)> {
    use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
    let cal: Calendar = text.parse().expect("a valid iCalendar feed");
    cal.components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            let on = match e.get_start() {
                Some(DatePerhapsTime::Date(d)) => d.to_string(),
                other => panic!("an all-day event, got {other:?}"),
            };
            (on, e.get_summary().unwrap_or_default().to_string())
        })
        .collect()
}

#[tokio::test]
async fn the_calendar_feed_parses_and_its_secret_can_be_replaced_or_revoked() {
    let mut t = told().await;
    activated(&mut t).await;
    let s = &t.w.acme_member;
    assert_eq!(t.app.get("/api/calendar").session(s).send().await.expect(200).json()["active"], false);
    let made = t.app.post("/api/calendar").session(s).send().await.expect(201).json();
    let url = made["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{PUBLIC}/api/ics/")) && url.ends_with(".ics"), "{url}");
    let path = url.trim_start_matches(PUBLIC).to_string();
    let secret = path.trim_start_matches("/api/ics/").trim_end_matches(".ics").to_string();
    assert_eq!(t.app.count(&format!("SELECT COUNT(*) FROM calendar_feeds WHERE token_hash = '{secret}'")).await, 0, "only a hash is stored");
    let status = t.app.get("/api/calendar").session(s).send().await.expect(200).json();
    assert_eq!((status["active"].clone(), status["url"].clone()), (json!(true), Value::Null), "the address is shown once");

    // No session needed: the secret is the credential.
    let res = t.app.get(&path).send().await.expect(200);
    assert!(res.headers["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let events = ics_events(&res.text);
    assert_eq!(
        events,
        [
            ("2025-07-22".to_string(), "Rewards team contact due: Dedicated engagement manager (Acme Apps)".to_string()),
            ("2025-07-22".to_string(), "Rewards team contact due: Free trial promotion (Acme Apps)".to_string()),
            ("2026-01-11".to_string(), "Free trial promotion expires (Acme Apps)".to_string()),
            ("2026-03-01".to_string(), "New benefit year of Acme Apps".to_string()),
        ]
    );
    // The operator's feed: the contact-by dates of the partners they answer for.
    let op = t.app.post("/api/calendar").session(&t.w.operator).send().await.expect(201).json();
    let op_path = op["url"].as_str().unwrap().trim_start_matches(PUBLIC).to_string();
    let op_events = ics_events(&t.app.get(&op_path).send().await.expect(200).text);
    assert_eq!(op_events.len(), 2, "{op_events:?}");

    // A new address replaces the old; revoking ends it.
    let again = t.app.post("/api/calendar").session(s).send().await.expect(201).json();
    let new_path = again["url"].as_str().unwrap().trim_start_matches(PUBLIC).to_string();
    assert_ne!(new_path, path);
    t.app.get(&path).send().await.expect_error(404, "not_found");
    t.app.get(&new_path).send().await.expect(200);
    t.app.req("DELETE", "/api/calendar").session(s).send().await.expect(204);
    t.app.get(&new_path).send().await.expect_error(404, "not_found");
    t.app.get("/api/ics/guess.ics").send().await.expect_error(404, "not_found");
}

#[tokio::test]
async fn an_event_committed_before_a_kill_9_is_still_delivered_after_restart() {
    use common::real::{free_port, Client, Server, BIN};
    let dir = tempfile::tempdir().unwrap();
    let db = common::fresh_store(dir.path()).await;
    let today = chrono::Utc::now().date_naive().to_string();
    let out = std::process::Command::new(BIN).args(["seed-demo", "--db", db.to_str().unwrap(), "--today", &today]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The SMTP server is down: the activation and its messages are committed but cannot be sent.
    let smtp_port = free_port();
    let smtp = ["--smtp-url".to_string(), format!("smtp://127.0.0.1:{smtp_port}")];
    let mut server = Server::start(&db, free_port(), "http", &smtp).await;
    let http = reqwest::Client::new();
    let admin = Client::login(&http, &server.base, "admin@contoso.example", "demo-contoso-admin-1").await.unwrap();
    let benefits: Value = admin.get("/api/partners/contoso/benefits").send().await.unwrap().json().await.unwrap();
    let b = benefits.as_array().unwrap().iter().find(|b| b["actions"].as_array().unwrap().iter().any(|a| a == "activate")).expect("an activatable benefit");
    let name = b["name"].as_str().unwrap().to_string();
    let res = admin
        .post(&format!("/api/partners/contoso/benefits/{}/activate", b["id"].as_str().unwrap()))
        .header("if-match", format!("\"{}\"", b["version"]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    tokio::time::sleep(Duration::from_millis(500)).await; // a first attempt fails meanwhile
    server.kill_9();

    let sink = SmtpSink::start_on(dir.path(), smtp_port).await;
    let _server = Server::start(&db, free_port(), "http", &smtp).await;
    let subject = format!("{name} is activated");
    let deadline = Instant::now() + Duration::from_secs(30);
    let about = |to: &str| sink.parsed().into_iter().filter(|m| m.to == to && m.subject == subject).count();
    let team = format!("Contoso Analytics activated {name}");
    let to_team = || sink.parsed().iter().filter(|m| m.to == "rewards@program.example" && m.subject == team).count();
    // The worker sends them one by one, in no promised order: wait for all three.
    while (about("chen.wei@contoso.example"), about("admin@contoso.example"), to_team()) != (1, 1, 1) {
        assert!(Instant::now() < deadline, "not delivered: {:?}", sink.parsed().iter().map(|m| (&m.to, &m.subject)).collect::<Vec<_>>());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!((about("chen.wei@contoso.example"), about("admin@contoso.example"), to_team()), (1, 1, 1), "delivered once");
}

#[tokio::test]
async fn account_mail_is_in_the_users_language() {
    let (app, w) = TestApp::world().await;
    sqlx::query("UPDATE users SET language = 'pl' WHERE email = 'member@acme.example'").execute(app.pool()).await.unwrap();
    for email in ["member@acme.example", "admin@acme.example"] {
        app.post("/api/session/password-reset").json(&json!({"email": email})).send().await.expect(202);
    }
    let subject = |to: &'static str| {
        let pool = app.pool().clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT subject FROM mail_outbox WHERE to_addr = $1 ORDER BY id DESC LIMIT 1").bind(to).fetch_one(&pool).await.unwrap()
        }
    };
    assert_eq!(subject("member@acme.example").await, "Reset hasła do obszaru roboczego Korzyści");
    assert_eq!(subject("admin@acme.example").await, "Reset your Benefits workspace password");
    let _ = w;
}
