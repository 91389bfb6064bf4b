//! A partner's evaluated state — the domain evaluation and explanation of its
//! stored data, its benefit records and contact — kept for today in the
//! evaluation cache (`crate::cache`), keyed by the partner's data version and
//! the catalog in force.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use benefits_api::benefits::{BenefitView, Revocation};
use benefits_api::contact::ContactView;
use benefits_api::workspace::{Person, Workspace};
use benefits_domain::activation::{available_actions, Actor, BenefitState, Role};
use benefits_domain::grants::shown_benefits;
use benefits_domain::{evaluate, grants_due, Catalog, DailyInput, EvaluationInput, Evaluation, Grant, LedgerUpdate};
use chrono::NaiveDate;
use sqlx::AnyConnection;

use crate::cache::{self, EvalCache, Version};
use crate::clock::fmt_date;
use crate::error::{ApiResult, AppError};
use crate::state::ApiContext;
use crate::store::{self, ContactRow, PartnerRow, Record};

/// Everything derived from one partner's data on one date.
pub struct Snapshot {
    pub partner: PartnerRow,
    pub catalog_seq: i64,
    pub catalog: Arc<Catalog>,
    pub as_of: NaiveDate,
    pub input: EvaluationInput,
    pub evaluation: Evaluation,
    /// Records of the benefit year containing `as_of`, by benefit id.
    pub records: HashMap<String, Record>,
    pub contact: Option<ContactRow>,
    pub engagement_manager: Option<Person>,
    /// What the snapshot holds, in bytes (its weight in the cache).
    pub bytes: u64,
    /// What the ledger must record for `as_of` (nothing once recorded).
    pub due: LedgerUpdate,
    /// The ledger with `due` included.
    pub grants: Vec<Grant>,
}

/// Loads and evaluates a partner from the database (inside the caller's
/// transaction, so that a write evaluates exactly what it is about to change).
///
/// The evaluation uses the catalog version in force on `as_of` and the stored
/// first benefit date. What it unlocks today and is not in the ledger yet is
/// `due` (the caller records it); the workspace shows the ledger's grants of
/// the benefit year plus those, and advises a ticket only when it shows none.
pub async fn compute(ctx: &ApiContext, conn: &mut AnyConnection, partner: PartnerRow, as_of: NaiveDate) -> ApiResult<Snapshot> {
    let catalog_seq = store::catalog_seq_on(&mut *conn, as_of).await?;
    let catalog = match ctx.cache.catalog(catalog_seq) {
        Some(c) => c,
        None => {
            let c = Arc::new(store::catalog_by_seq(&mut *conn, catalog_seq).await?);
            ctx.cache.put_catalog(catalog_seq, c.clone());
            c
        }
    };
    let data = store::partner_data(&mut *conn, &partner).await?;
    let ledger = store::grants(&mut *conn, &partner.id).await?;
    let mut input = EvaluationInput { as_of, catalog: (*catalog).clone(), partner: data };
    let update = grants_due(&input, &ledger);
    input.partner.first_benefit_date = update.first_benefit_date;
    let mut granted = ledger;
    granted.extend(update.new_grants.iter().cloned());
    if let Some(year) = update.year {
        let unlocked = evaluate(&input).unlocked_benefits;
        input.partner.granted_benefits = Some(shown_benefits(&catalog, &unlocked, &granted, year.start));
    }
    let mut evaluation = evaluate(&input);
    if let Some(shown) = &input.partner.granted_benefits {
        evaluation.unlocked_benefits = shown.clone();
    }
    let records = match &evaluation.benefit_year {
        Some(y) => store::records_for_year(&mut *conn, &partner.id, &fmt_date(y.start)).await?,
        None => HashMap::new(),
    };
    let contact = store::contact(&mut *conn, &partner.id).await?;
    let engagement_manager = match (&partner.engagement_manager_id, input.partner.transact_live_on(as_of)) {
        (Some(uid), true) => store::user(&mut *conn, uid).await?.map(|u| Person { name: u.name, email: u.email }),
        _ => None,
    };
    let bytes = cache::json_size(&input) + cache::json_size(&evaluation);
    Ok(Snapshot {
        partner,
        catalog_seq,
        catalog,
        as_of,
        input,
        evaluation,
        records,
        contact,
        engagement_manager,
        bytes,
        due: update,
        grants: granted,
    })
}

/// The partner's snapshot on `as_of`, from the cache when nothing changed.
/// Evaluated today, what it unlocks is recorded in the ledger at once.
pub async fn snapshot(ctx: &ApiContext, pid: &str, as_of: NaiveDate) -> ApiResult<Arc<Snapshot>> {
    if let Some(recorded) = cached_or_record(ctx, pid, as_of).await? {
        return Ok(recorded);
    }
    // Just recorded: the data version moved; evaluate what is stored now.
    cached_or_record(ctx, pid, as_of).await?.ok_or_else(|| AppError::internal("the ledger did not settle"))
}

/// The snapshot, or `None` after recording what it had due.
async fn cached_or_record(ctx: &ApiContext, pid: &str, as_of: NaiveDate) -> ApiResult<Option<Arc<Snapshot>>> {
    let mut tx = ctx.db.read.begin().await?;
    let partner = store::partner(&mut tx, pid).await?.ok_or_else(AppError::not_found)?;
    let seq = store::catalog_seq_on(&mut tx, as_of).await?;
    let today = ctx.today();
    if as_of == today {
        let current = Version { data_version: partner.data_version, catalog_seq: seq, day: today };
        if let Some(s) = ctx.cache.snapshot(pid, current) {
            return Ok(Some(s));
        }
    }
    let mut s = compute(ctx, &mut tx, partner, as_of).await?;
    tx.commit().await?;
    if as_of == today && s.has_due() {
        let mut tx = ctx.db.write.begin().await?;
        let partner = store::partner(&mut tx, pid).await?.ok_or_else(AppError::not_found)?;
        let seq_now = store::catalog_seq_on(&mut tx, as_of).await?;
        // Every write to the partner's data bumps its data version: when neither
        // it nor the catalog moved since the read, what was just evaluated is
        // what the writer would evaluate (a 100,000-line partner's first visit
        // of the day evaluates twice, not three times).
        if partner.data_version != s.partner.data_version || seq_now != s.catalog_seq {
            s = compute(ctx, &mut tx, partner, as_of).await?;
        }
        crate::ledger::record(&mut tx, &s, Some(&crate::notify::Links::new(&ctx.config))).await?;
        tx.commit().await?;
        ctx.mail_wake.notify_one();
        if s.has_due() {
            return Ok(None);
        }
    }
    let s = Arc::new(s);
    ctx.cache.put_snapshot(&s, today);
    Ok(Some(s))
}

impl Snapshot {
    /// What this snapshot was computed from.
    pub fn version(&self) -> Version {
        Version { data_version: self.partner.data_version, catalog_seq: self.catalog_seq, day: self.as_of }
    }

    /// Something to record: new grants, or the first benefit date.
    pub fn has_due(&self) -> bool {
        !self.due.new_grants.is_empty() || self.due.first_benefit_date.map(crate::clock::fmt_date) != self.partner.first_benefit_date
    }

    /// The benefit's current state and record version (0: never touched).
    pub fn benefit_state(&self, bid: &str) -> (BenefitState, i64) {
        match self.records.get(bid) {
            Some(r) => (r.state.clone(), r.version),
            None => (BenefitState::initial(self.evaluation.unlocked_benefits.iter().any(|b| b == bid)), 0),
        }
    }

    pub fn year_start(&self) -> Option<String> {
        self.evaluation.benefit_year.as_ref().map(|y| fmt_date(y.start))
    }

    pub fn actor(&self, role: Role, user_id: &str) -> Actor {
        Actor { role, is_marketing_contact: self.contact.as_ref().is_some_and(|c| c.user_id == user_id) }
    }

    pub fn benefit_view(&self, bid: &str, actor: Actor, today: NaiveDate) -> Option<BenefitView> {
        let def = self.catalog.benefit(bid)?;
        let (state, version) = self.benefit_state(bid);
        Some(BenefitView {
            id: def.id.clone(),
            name: def.name.clone(),
            kind: def.kind,
            description: def.description.clone(),
            status: state.status_on(today),
            unlocked: self.evaluation.unlocked_benefits.iter().any(|b| b == bid),
            year_start: self.evaluation.benefit_year.as_ref().map(|y| y.start),
            activated_on: state.activated_on,
            contact_by: state.contact_by,
            contact_overdue: state.contact_overdue(today),
            expires_on: state.expires_on,
            revocation: state.revocation.map(|reason| Revocation {
                reason,
                reason_text: reason.describe().to_string(),
                note: state.note.clone(),
                on: state.changed_on,
            }),
            actions: available_actions(&state, actor, today),
            version,
        })
    }

    pub fn benefit_views(&self, actor: Actor, today: NaiveDate) -> Vec<BenefitView> {
        self.catalog.benefits.iter().filter_map(|b| self.benefit_view(&b.id, actor, today)).collect()
    }

    /// Benefits being worked on (activated, contacted, in progress) and how many are overdue.
    pub fn active_counts(&self, today: NaiveDate) -> (usize, usize) {
        let active = self.records.values().filter(|r| r.state.status_on(today).is_active()).count();
        let overdue = self.records.values().filter(|r| r.state.contact_overdue(today)).count();
        (active, overdue)
    }

    /// The workspace JSON for a viewer, rendered once per viewer kind (today's
    /// snapshot only; see `crate::cache`).
    pub fn workspace_body(&self, cache: &EvalCache, actor: Actor, today: NaiveDate) -> ApiResult<Bytes> {
        let kind = match (actor.role, actor.is_marketing_contact) {
            (Role::Admin, false) => 0,
            (Role::Admin, true) => 1,
            (_, true) => 2,
            (_, false) => 3,
        };
        if self.as_of == today {
            if let Some(b) = cache.body(&self.partner.id, kind, self.version()) {
                return Ok(b);
            }
        }
        let body = self.workspace_view(actor, today);
        let bytes = Bytes::from(serde_json::to_vec(&body)?);
        cache.put_body(self, kind, today, bytes.clone());
        Ok(bytes)
    }

    /// The workspace as `actor` sees it (the phone only for an admin, the
    /// contact themself and the program's operators).
    pub fn workspace_view(&self, actor: Actor, today: NaiveDate) -> Workspace {
        let contact = self.contact.as_ref().map(|c| ContactView {
            user_id: c.user_id.clone(),
            user_name: c.user_name.clone(),
            email: c.email.clone(),
            phone: (matches!(actor.role, Role::Admin | Role::Operator) || actor.is_marketing_contact).then(|| c.phone.clone()),
            language: c.language.clone(),
            version: c.version,
        });
        Workspace {
            partner: self.partner.info(),
            as_of: self.as_of,
            input: DailyInput::from_lines(&self.input),
            benefits: self.benefit_views(actor, today),
            contact,
            engagement_manager: self.engagement_manager.clone(),
        }
    }
}
