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
use benefits_domain::evaluate::evaluate_workspace;
use benefits_domain::{Catalog, EvaluationInput, Evaluation};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

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
}

/// Loads and evaluates a partner from the database (inside the caller's
/// transaction, so that a write evaluates exactly what it is about to change).
pub async fn compute(ctx: &ApiContext, conn: &mut SqliteConnection, partner: PartnerRow, as_of: NaiveDate) -> ApiResult<Snapshot> {
    let catalog_seq = store::current_catalog_seq(&mut *conn).await?;
    let catalog = match ctx.cache.catalog(catalog_seq) {
        Some(c) => c,
        None => {
            let c = Arc::new(store::catalog_by_seq(&mut *conn, catalog_seq).await?);
            ctx.cache.put_catalog(catalog_seq, c.clone());
            c
        }
    };
    let data = store::partner_data(&mut *conn, &partner).await?;
    let mut input = EvaluationInput { as_of, catalog: (*catalog).clone(), partner: data };
    let acted_on = store::acted_on_benefits(&mut *conn, &partner.id).await?;
    let evaluation = evaluate_workspace(&mut input, &acted_on);
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
    })
}

/// The partner's snapshot on `as_of`, from the cache when nothing changed.
pub async fn snapshot(ctx: &ApiContext, pid: &str, as_of: NaiveDate) -> ApiResult<Arc<Snapshot>> {
    let mut tx = ctx.db.read.begin().await?;
    let partner = store::partner(&mut tx, pid).await?.ok_or_else(AppError::not_found)?;
    let seq = store::current_catalog_seq(&mut tx).await?;
    let today = ctx.today();
    if as_of == today {
        let current = Version { data_version: partner.data_version, catalog_seq: seq, day: today };
        if let Some(s) = ctx.cache.snapshot(pid, current) {
            return Ok(s);
        }
    }
    let s = Arc::new(compute(ctx, &mut tx, partner, as_of).await?);
    tx.commit().await?;
    ctx.cache.put_snapshot(&s, today);
    Ok(s)
}

impl Snapshot {
    /// What this snapshot was computed from.
    pub fn version(&self) -> Version {
        Version { data_version: self.partner.data_version, catalog_seq: self.catalog_seq, day: self.as_of }
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
        let contact = self.contact.as_ref().map(|c| ContactView {
            user_id: c.user_id.clone(),
            user_name: c.user_name.clone(),
            email: c.email.clone(),
            phone: (actor.role == Role::Admin || actor.is_marketing_contact).then(|| c.phone.clone()),
            language: c.language.clone(),
            version: c.version,
        });
        let body = Workspace {
            partner: self.partner.info(),
            as_of: self.as_of,
            input: self.input.clone(),
            benefits: self.benefit_views(actor, today),
            contact,
            engagement_manager: self.engagement_manager.clone(),
        };
        let bytes = Bytes::from(serde_json::to_vec(&body)?);
        cache.put_body(self, kind, today, bytes.clone());
        Ok(bytes)
    }
}
