//! The marketing contact, validated by the domain.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use benefits_api::contact::{Contact, ContactInput};
use benefits_domain::contact::{validate_contact, UserRef};
use serde_json::json;

use crate::auth::Auth;
use crate::clock::now_rfc3339;
use crate::error::{ApiResult, AppError};
use benefits_api::{ErrorBody, ErrorCode};
use crate::extract::{ApiJson, IfMatch, Tagged};
use crate::http::openapi::{IfMatchOptional, JsonBody, PartnerScoped};
use crate::state::ApiContext;
use crate::store;

/// The marketing contact (admins).
#[utoipa::path(get, path = "/contact", tag = "partner", operation_id = "contact",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Contact, headers(("ETag" = String))), PartnerScoped))]
pub async fn get(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Tagged<Contact>> {
    auth.partner_admin(&pid)?;
    let mut conn = ctx.db.read.acquire().await?;
    let c = store::contact(&mut conn, &pid).await?.ok_or_else(|| {
        AppError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "No marketing contact is assigned yet.")
    })?;
    Ok(Tagged(c.version, c.view()))
}

/// Assign or change the marketing contact (admins). If-Match is required once a contact exists.
#[utoipa::path(put, path = "/contact", tag = "partner", operation_id = "put_contact",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), IfMatchOptional),
    request_body = ContactInput,
    responses((status = 200, body = Contact, headers(("ETag" = String))), PartnerScoped, JsonBody,
        (status = 412, body = ErrorBody, description = "`version_mismatch`: If-Match is not the current version."),
        (status = 428, body = ErrorBody, description = "`precondition_required`: a contact exists; send If-Match with its version.")))]
pub async fn put(
    State(ctx): State<ApiContext>,
    auth: Auth,
    Path(pid): Path<String>,
    if_match: IfMatch,
    ApiJson(input): ApiJson<ContactInput>,
) -> ApiResult<Tagged<Contact>> {
    auth.partner_admin(&pid)?;
    let mut tx = crate::db::begin_partner_write(&ctx.db.write, &pid).await?;
    let partner = store::partner(&mut tx, &pid).await?.ok_or_else(AppError::not_found)?;
    let before = store::contact(&mut tx, &pid).await?;
    let users: Vec<(String, String)> =
        sqlx::query_as("SELECT id, email FROM users WHERE partner_id = $1").bind(&pid).fetch_all(&mut *tx).await?;
    let users: Vec<UserRef> = users.into_iter().map(|(id, email)| UserRef { id, email }).collect();
    // A malformed contact is refused for what it is, whatever the version.
    let contact = validate_contact(&input, &users, &partner.account_email).map_err(|errors| AppError::Validation {
        message: errors.first().map(|e| e.message.clone()).unwrap_or_default(),
        errors,
    })?;
    match &before {
        Some(c) => if_match.check(c.version)?,
        None => if_match.check_if_present(0)?,
    }
    let version = before.as_ref().map_or(0, |c| c.version) + 1;
    let now = now_rfc3339();
    sqlx::query(
        "INSERT INTO contacts (partner_id, user_id, email, phone, language, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (partner_id) DO UPDATE SET user_id = excluded.user_id, email = excluded.email, phone = excluded.phone, \
         language = excluded.language, version = excluded.version, updated_at = excluded.updated_at",
    )
    .bind(&pid)
    .bind(&contact.user_id)
    .bind(&contact.email)
    .bind(&contact.phone)
    .bind(&contact.language)
    .bind(version)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    store::bump_data_version(&mut tx, &pid).await?;
    let after = store::contact(&mut tx, &pid).await?.ok_or_else(|| AppError::internal("contact vanished"))?;
    // A new person or address is welcomed; a new phone number is not news.
    let welcome = before.as_ref().is_none_or(|b| b.user_id != after.user_id || !b.email.eq_ignore_ascii_case(&after.email));
    let emailed = if welcome { welcome_contact(&ctx, &mut tx, partner, version).await? } else { 0 };
    store::audit(
        &mut tx,
        Some(&auth.user),
        Some(&pid),
        if before.is_some() { "contact.update" } else { "contact.assign" },
        "contact",
        before.map(|c| json!(c.view())),
        Some(json!(after.view())),
    )
    .await?;
    tx.commit().await?;
    if emailed > 0 {
        ctx.mail_wake.notify_one();
    }
    Ok(Tagged(version, after.view()))
}

/// Welcomes the new contact with what the program offers the partner today.
async fn welcome_contact(ctx: &ApiContext, tx: &mut sqlx::AnyConnection, partner: store::PartnerRow, version: i64) -> ApiResult<usize> {
    let (pid, name) = (partner.id.clone(), partner.name.clone());
    let snap = crate::workspace::compute(ctx, &mut *tx, partner, ctx.today()).await?;
    let benefits = snap
        .evaluation
        .unlocked_benefits
        .iter()
        .map(|b| snap.catalog.benefit(b).map_or_else(|| b.clone(), |d| d.name.clone()))
        .collect();
    let links = crate::notify::Links::new(&ctx.config);
    crate::notify::events::contact_assigned(tx, &links, &pid, &name, version, snap.evaluation.effective_tier, benefits).await
}
