//! `benefits seed-demo`: believable, deterministic demo data for a fresh store.

use benefits_domain::activation::{self, Actor, BenefitState, BenefitStatus, Role};
use benefits_domain::{Cents, Month};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde_json::json;
use sqlx::AnyConnection;

use crate::auth::{hash_password, PasswordParams};
use crate::clock::{fmt_date, now_rfc3339};
use crate::error::AppError;
use crate::feed::{self, Format, Kind, Source};
use crate::state::{ApiContext, Config};
use crate::store;

/// A demo sign-in, printed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoAccount {
    pub email: &'static str,
    pub password: &'static str,
    pub role: &'static str,
    pub partner: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount { email: "rewards@program.example", password: "demo-operator-7261", role: "operator", partner: "-" },
    DemoAccount { email: "admin@adatum.example", password: "demo-adatum-admin-1", role: "admin", partner: "adatum" },
    DemoAccount { email: "member@adatum.example", password: "demo-adatum-member-1", role: "member", partner: "adatum" },
    DemoAccount { email: "admin@contoso.example", password: "demo-contoso-admin-1", role: "admin", partner: "contoso" },
    DemoAccount { email: "member@contoso.example", password: "demo-contoso-member-1", role: "member", partner: "contoso" },
    DemoAccount { email: "admin@fabrikam.example", password: "demo-fabrikam-admin-1", role: "admin", partner: "fabrikam" },
    DemoAccount { email: "member@fabrikam.example", password: "demo-fabrikam-member-1", role: "member", partner: "fabrikam" },
];

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the database already has partners; seed-demo fills a fresh database only (pass --reset to erase everything first)")]
    NotEmpty,
    #[error("{0}")]
    Failed(String),
}

impl From<sqlx::Error> for SeedError {
    fn from(e: sqlx::Error) -> Self {
        SeedError::Failed(format!("database: {e}"))
    }
}

impl From<AppError> for SeedError {
    fn from(e: AppError) -> Self {
        SeedError::Failed(e.to_string())
    }
}

/// SplitMix64: a small deterministic generator, seeded from the seeding date.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
}

fn days_before(d: NaiveDate, n: u64) -> NaiveDate {
    d - Days::new(n)
}

/// Fills the store behind `ctx` with the demo partners, users and data as of `today`.
pub async fn seed_demo(ctx: &ApiContext, today: NaiveDate, reset: bool) -> Result<(), SeedError> {
    let db = &ctx.db;
    let partners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partners").fetch_one(&db.write).await?;
    if partners > 0 && !reset {
        return Err(SeedError::NotEmpty);
    }
    let params = ctx.config.password;
    let mut hashes = Vec::new();
    for a in ACCOUNTS {
        let password = a.password;
        let h = tokio::task::spawn_blocking(move || hash_password(password, params))
            .await
            .map_err(|e| SeedError::Failed(e.to_string()))??;
        hashes.push(h);
    }

    if reset {
        let mut tx = db.write.begin().await?;
        for table in [
            "idempotency_keys", "audit_log", "sessions", "benefit_records", "grants", "contacts", "sales", "bizapps_values", "teams_mau",
            "offers", "users", "partners", "ingestions", "service_tokens", "job_runs",
        ] {
            sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    let now = now_rfc3339();
    let mut rng = Rng(0x5EED_0000 ^ today.num_days_from_ce() as u64);
    let start = today - Months::new(18);

    // The program's data arrives as marketplace feed files, through the same code as `benefits ingest`.
    let mut partners = Feed::new(&["partner_id", "name", "account_email"]);
    for (id, name, email) in [
        ("adatum", "Adatum Listings", "account@adatum.example"),
        ("contoso", "Contoso Analytics", "account@contoso.example"),
        ("fabrikam", "Fabrikam Collaboration", "account@fabrikam.example"),
    ] {
        partners.row(&[id, name, email]);
    }
    partners.ingest(db, Kind::Partners, "partners.csv").await?;

    let mut tx = db.write.begin().await?;
    sqlx::query("INSERT INTO users (id, partner_id, email, name, role, password_hash, version, created_at) VALUES ('u_operator', NULL, $1, 'Rita Rewards', 'operator', $2, 1, $3)")
        .bind(ACCOUNTS[0].email)
        .bind(&hashes[0])
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE partners SET engagement_manager_id = 'u_operator' WHERE id IN ('contoso', 'fabrikam')").execute(&mut *tx).await?;
    let names = ["Rita Rewards", "Ada Admin", "Max Member", "Carla Costa", "Chen Wei", "Fiona Field", "Farid Haddad"];
    for (i, a) in ACCOUNTS.iter().enumerate().skip(1) {
        sqlx::query("INSERT INTO users (id, partner_id, email, name, role, password_hash, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)")
            .bind(format!("u_{}_{}", a.partner, a.role))
            .bind(a.partner)
            .bind(a.email)
            .bind(names[i])
            .bind(a.role)
            .bind(&hashes[i])
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;

    let mut offers = Feed::new(&["partner_id", "offer_id", "type", "name", "live_on", "delisted_on"]);
    let d = |x: NaiveDate| fmt_date(x);
    // (a) Adatum: a list offer only, and one announced but not live yet; no marketing contact yet.
    offers.row(&["adatum", "adatum-directory", "list", "Adatum Partner Directory", &d(days_before(today, 200)), ""]);
    offers.row(&["adatum", "adatum-insights-trial", "trial", "Adatum Insights (free trial, coming soon)", "", ""]);
    // (b) Contoso: transact, growing sales, just under the tier 3 MBS threshold.
    offers.row(&["contoso", "contoso-insights", "transact", "Contoso Insights (SaaS)", &d(start - Days::new(30)), ""]);
    offers.row(&["contoso", "contoso-connector", "list", "Contoso Data Connector", &d(start + Days::new(45)), ""]);
    // (c) Fabrikam: a trial, a consulting offer, and a Teams app with growing MAU.
    offers.row(&["fabrikam", "fabrikam-meet-trial", "trial", "Fabrikam Meet (free trial)", &d(days_before(today, 120)), ""]);
    offers.row(&["fabrikam", "fabrikam-rollout", "consulting", "Fabrikam Teams rollout (consulting)", &d(days_before(today, 60)), ""]);
    offers.row(&["fabrikam", "fabrikam-teams-app", "transact", "Fabrikam for Microsoft Teams", &d(start + Days::new(90)), ""]);
    offers.ingest(db, Kind::Offers, "offers.csv").await?;

    let mut sales: Vec<(NaiveDate, i64, &str)> = Vec::new();
    let mut day = start + Days::new(1);
    let total_days = (today - start).num_days().max(1);
    while day <= today {
        let progress = (day - start).num_days();
        if rng.range(0, 99) < 14 {
            // From about USD 600 to USD 2,100 per line as the business grows.
            let base = 60_000 + 150_000 * progress / total_days;
            sales.push((day, base + rng.range(-15_000, 15_000), "billed"));
        }
        day = day + Days::new(1);
    }
    // Scale the trailing twelve months to land just below USD 100,000.
    let window_start = today - Months::new(12);
    let target: i64 = 9_648_050;
    let ttm: i64 = sales.iter().filter(|s| s.0 > window_start).map(|s| s.1).sum();
    if ttm > 0 {
        for s in sales.iter_mut().filter(|s| s.0 > window_start) {
            s.1 = s.1 * target / ttm;
        }
        let adjusted: i64 = sales.iter().filter(|s| s.0 > window_start).map(|s| s.1).sum();
        if let Some(last) = sales.iter_mut().rev().find(|s| s.0 > window_start) {
            last.1 += target - adjusted;
        }
    }
    // Excluded lines: two the program flags as fraud below, one the marketplace
    // reported as fraud, and two kinds of cancellation.
    let extra = [
        (days_before(today, 75), 420_000, "billed"),
        (days_before(today, 41), 310_000, "billed"),
        (days_before(today, 300), 95_000, "fraud"),
        (days_before(today, 120), 129_900, "cancelled_accidental"),
        (days_before(today, 33), 89_900, "cancelled_before_use"),
    ];
    let mut feed = Feed::new(&["external_id", "partner_id", "offer_id", "date", "amount_usd", "status"]);
    let all: Vec<(NaiveDate, i64, &str)> = sales.into_iter().chain(extra).collect();
    let flagged = [format!("CON-{:05}", all.len() - 4), format!("CON-{:05}", all.len() - 3)];
    for (n, (date, cents, status)) in all.iter().enumerate() {
        feed.row(&[&format!("CON-{:05}", n + 1), "contoso", "contoso-insights", &d(*date), &Cents(*cents).to_string(), status]);
    }
    feed.ingest(db, Kind::Sales, "sales.csv").await?;

    let mut bizapps = Feed::new(&["partner_id", "month", "amount_usd"]);
    for m in 0..6 {
        let month = Month::of(today - Months::new(m));
        bizapps.row(&["contoso", &month.to_string(), &Cents(150_000 + rng.range(0, 90_000)).to_string()]);
    }
    bizapps.ingest(db, Kind::Bizapps, "bizapps.csv").await?;

    let mut mau = Feed::new(&["partner_id", "app", "month", "mau"]);
    for m in 0..18u32 {
        let month = Month::of(today - Months::new(17 - m));
        mau.row(&["fabrikam", "Fabrikam for Teams", &month.to_string(), &(450 + 55 * m as i64 + rng.range(0, 60)).to_string()]);
    }
    mau.ingest(db, Kind::TeamsMau, "teams-mau.csv").await?;

    let mut tx = db.write.begin().await?;
    for ext in &flagged {
        sqlx::query("UPDATE sales SET fraud = 1, fraud_note = 'Card testing pattern reported by the payment provider', version = version + 1 WHERE external_id = $1")
            .bind(ext)
            .execute(&mut *tx)
            .await?;
    }
    contact(&mut tx, "contoso", "u_contoso_member", "chen.wei@contoso.example", "+14255550123", "en").await?;
    contact(&mut tx, "fabrikam", "u_fabrikam_admin", "marketing@fabrikam.example", "+48221234567", "pl").await?;

    // The ledger's history: the program evaluated every partner month by
    // month, recording grants as they were unlocked.
    let mut days: Vec<NaiveDate> = (0..).map(|m| start + Months::new(m)).take_while(|d| *d < today).collect();
    days.push(today);
    for pid in ["adatum", "contoso", "fabrikam"] {
        for on in &days {
            record_ledger(ctx, &mut tx, pid, *on).await?;
        }
    }

    // Benefit history, through the domain's transitions.
    let admin = Actor { role: Role::Admin, is_marketing_contact: false };
    let operator = Actor { role: Role::Operator, is_marketing_contact: false };
    let contoso = record_ledger(ctx, &mut tx, "contoso", today).await?;
    if let Some(year) = &contoso {
        let fresh = BenefitState::initial(true);
        // Delivered: activated 40 days ago, contacted two days later, delivered 20 days ago.
        let s = activation::activate(&fresh, admin, true, None, days_before(today, 40)).map_err(fail)?;
        let s = activation::advance(&s, operator, BenefitStatus::Contacted, days_before(today, 38)).map_err(fail)?;
        let s = activation::advance(&s, operator, BenefitStatus::Delivered, days_before(today, 20)).map_err(fail)?;
        benefit(&mut tx, "contoso", "engagement-manager", year, &s, 3).await?;
        // Overdue: activated ten days ago, nobody has called yet.
        let s = activation::activate(&fresh, admin, true, None, days_before(today, 10)).map_err(fail)?;
        benefit(&mut tx, "contoso", "azure-sponsorship-5k", year, &s, 1).await?;
    }
    if let Some(year) = record_ledger(ctx, &mut tx, "fabrikam", today).await? {
        let s = activation::activate(&BenefitState::initial(true), admin, true, Some(180), days_before(today, 3)).map_err(fail)?;
        benefit(&mut tx, "fabrikam", "trial-promotion", &year, &s, 1).await?;
    }
    store::audit(&mut tx, None, None, "seed.demo", "database", None, Some(json!({"today": fmt_date(today)}))).await?;
    tx.commit().await?;
    Ok(())
}

/// A feed file written in memory, ingested like any other.
struct Feed(csv::Writer<Vec<u8>>);

impl Feed {
    fn new(header: &[&str]) -> Feed {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).expect("writing to memory");
        Feed(w)
    }

    fn row(&mut self, values: &[&str]) {
        self.0.write_record(values).expect("writing to memory");
    }

    async fn ingest(self, db: &crate::db::Db, kind: Kind, name: &str) -> Result<(), SeedError> {
        let bytes = self.0.into_inner().map_err(|e| SeedError::Failed(e.to_string()))?;
        let source = Source { via: "seed", user_id: None, actor: Some("seed-demo".into()), file_name: Some(name.into()) };
        feed::ingest(db, kind, Format::Csv, std::io::Cursor::new(bytes), source).await.map_err(|e| match e {
            feed::FeedError::Rejected { errors, .. } => SeedError::Failed(format!("demo {name}: {:?}", errors.first())),
            feed::FeedError::Store(e) => SeedError::Failed(e.to_string()),
        })?;
        Ok(())
    }
}

fn fail(e: activation::TransitionError) -> SeedError {
    SeedError::Failed(format!("demo benefit history: {e}"))
}

/// Records the partner's grants due on `on`; returns its benefit-year start then.
async fn record_ledger(ctx: &ApiContext, tx: &mut AnyConnection, pid: &str, on: NaiveDate) -> Result<Option<String>, SeedError> {
    let partner = store::partner(&mut *tx, pid).await?.ok_or_else(|| SeedError::Failed(format!("partner {pid} missing")))?;
    let snap = crate::workspace::compute(ctx, &mut *tx, partner, on).await?;
    if snap.has_due() {
        // Demo history: nobody is told of it.
        crate::ledger::record(&mut *tx, &snap, None).await?;
    }
    Ok(snap.year_start())
}

async fn contact(tx: &mut AnyConnection, pid: &str, uid: &str, email: &str, phone: &str, language: &str) -> Result<(), SeedError> {
    sqlx::query("INSERT INTO contacts (partner_id, user_id, email, phone, language, version, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6)")
        .bind(pid)
        .bind(uid)
        .bind(email)
        .bind(phone)
        .bind(language)
        .bind(now_rfc3339())
        .execute(tx)
        .await?;
    Ok(())
}

async fn benefit(tx: &mut AnyConnection, pid: &str, bid: &str, year: &str, s: &BenefitState, version: i64) -> Result<(), SeedError> {
    sqlx::query(
        "INSERT INTO benefit_records (partner_id, benefit_id, year_start, status, contact_by, state_json, catalog_version, version, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, (SELECT version FROM catalogs ORDER BY seq DESC LIMIT 1), $7, $8)",
    )
    .bind(pid)
    .bind(bid)
    .bind(year)
    .bind(s.status.as_str())
    .bind(s.contact_by.map(fmt_date))
    .bind(serde_json::to_string(s).map_err(|e| SeedError::Failed(e.to_string()))?)
    .bind(version)
    .bind(now_rfc3339())
    .execute(tx)
    .await?;
    Ok(())
}

/// For callers that seed without a server: a context over `db` with default settings.
pub fn context(db: crate::db::Db, password: PasswordParams) -> ApiContext {
    ApiContext::new(db, Config { password, ..Config::default() })
}

/// The demo sign-ins as a table for the terminal.
pub fn accounts_table() -> String {
    let mut out = String::from("Demo accounts (shown once; change them before any real use):\n\n");
    out.push_str(&format!("{:<28} {:<24} {:<9} {}\n", "email", "password", "role", "partner"));
    for a in ACCOUNTS {
        out.push_str(&format!("{:<28} {:<24} {:<9} {}\n", a.email, a.password, a.role, a.partner));
    }
    out
}
