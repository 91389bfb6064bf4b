//! Operators onboard a partner organisation (its ID, name and account email)
//! with an invitation for its first admin, and edit the partner later.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use benefits_api::accounts::{NewPartner, Onboarded, PartnerPatch};
use benefits_api::session::PartnerInfo;
use benefits_api::{ErrorBody, ErrorCode};
use benefits_domain::activation::Role;
use benefits_domain::contact::is_valid_email;
use serde_json::json;

use crate::auth::Auth;
use crate::clock::now_rfc3339;
use crate::error::{ApiResult, AppError};
use crate::extract::ApiJson;
use crate::http::account::check_name;
use crate::http::invitations::{invite, Invitee, Scope};
use crate::http::openapi::{JsonBody, PartnerScoped, SignedIn};
use crate::security_log;
use crate::state::ApiContext;
use crate::store;

fn check_account_email(email: &str) -> ApiResult<String> {
    let email = email.trim();
    if !is_valid_email(email) {
        return Err(AppError::invalid_field("account_email", "invalid_email", "Enter a valid email address, such as rewards@contoso.example."));
    }
    Ok(email.to_string())
}

/// Onboard a partner organisation and invite its first admin (operators).
#[utoipa::path(post, path = "/partners", tag = "operator", operation_id = "onboard_partner",
    security(("session" = [], "csrf" = [])),
    request_body = NewPartner,
    responses((status = 201, body = Onboarded, description = "Created; the admin's invitation email is queued."), SignedIn, JsonBody,
        (status = 409, body = ErrorBody, description = "`partner_exists` (partner_id) or `email_taken` (admin_email).")))]
pub async fn create(State(ctx): State<ApiContext>, auth: Auth, ApiJson(body): ApiJson<NewPartner>) -> ApiResult<(StatusCode, Json<Onboarded>)> {
    auth.operator()?;
    let pid = body.partner_id.trim().to_string();
    benefits_domain::account::check_partner_id(&pid).map_err(|m| AppError::invalid_field("partner_id", "invalid_partner_id", m))?;
    let name = check_name("name", &body.name)?;
    let account_email = check_account_email(&body.account_email)?;
    let mut tx = ctx.db.write.begin().await?;
    if store::partner(&mut tx, &pid).await?.is_some() {
        return Err(AppError::with_field(StatusCode::CONFLICT, ErrorCode::PartnerExists, "A partner with this ID already exists.", "partner_id"));
    }
    sqlx::query("INSERT INTO partners (id, name, account_email, data_version, created_at) VALUES ($1, $2, $3, 0, $4)")
        .bind(&pid)
        .bind(&name)
        .bind(&account_email)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
    let partner = PartnerInfo { id: pid.clone(), name: name.clone(), account_email };
    store::audit(&mut tx, Some(&auth.user), Some(&pid), "partner.create", &format!("partner:{pid}"), None, Some(json!(partner))).await?;
    let admin = Invitee { email: body.admin_email, role: Role::Admin, name: body.admin_name };
    let invitation = invite(&mut tx, &ctx, &auth.user, Scope { partner: Some((&pid, &name)) }, &admin)
        .await
        .map_err(|e| rename_field(e, "admin_"))?;
    tx.commit().await?;
    ctx.mail_wake.notify_one();
    security_log::event("partner_onboarded", Some(&auth.user.id), &auth.ip);
    security_log::event("invitation_sent", Some(&auth.user.id), &auth.ip);
    Ok((StatusCode::CREATED, Json(Onboarded { partner, invitation })))
}

/// The invitation's `email`/`name` fields are `admin_email`/`admin_name` in this body.
fn rename_field(e: AppError, prefix: &str) -> AppError {
    match e {
        AppError::Validation { message, mut errors } => {
            for f in &mut errors {
                f.field = format!("{prefix}{}", f.field);
            }
            AppError::Validation { message, errors }
        }
        AppError::Client { status, code, message, field } => AppError::Client { status, code, message, field: field.map(|f| format!("{prefix}{f}")) },
        other => other,
    }
}

/// A partner's name and account email, as the console's edit form shows them (operators).
#[utoipa::path(get, path = "/partners/{pid}", tag = "operator", operation_id = "operator_partner",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = PartnerInfo), PartnerScoped))]
pub async fn get(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<PartnerInfo>> {
    auth.operator()?;
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(store::partner(&mut conn, &pid).await?.ok_or_else(AppError::not_found)?.info()))
}

/// Edit a partner's name or account email (operators; audited).
#[utoipa::path(patch, path = "/partners/{pid}", tag = "operator", operation_id = "edit_partner",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    request_body = PartnerPatch,
    responses((status = 200, body = PartnerInfo), PartnerScoped, JsonBody))]
pub async fn patch(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>, ApiJson(body): ApiJson<PartnerPatch>) -> ApiResult<Json<PartnerInfo>> {
    auth.operator()?;
    let name = body.name.as_deref().map(|n| check_name("name", n)).transpose()?;
    let account_email = body.account_email.as_deref().map(check_account_email).transpose()?;
    let mut tx = ctx.db.write.begin().await?;
    let before = store::partner(&mut tx, &pid).await?.ok_or_else(AppError::not_found)?.info();
    let after = PartnerInfo {
        id: pid.clone(),
        name: name.unwrap_or_else(|| before.name.clone()),
        account_email: account_email.unwrap_or_else(|| before.account_email.clone()),
    };
    sqlx::query("UPDATE partners SET name = $1, account_email = $2, data_version = data_version + 1 WHERE id = $3")
        .bind(&after.name)
        .bind(&after.account_email)
        .bind(&pid)
        .execute(&mut *tx)
        .await?;
    store::audit(&mut tx, Some(&auth.user), Some(&pid), "partner.update", &format!("partner:{pid}"), Some(json!(before)), Some(json!(after))).await?;
    tx.commit().await?;
    Ok(Json(after))
}
