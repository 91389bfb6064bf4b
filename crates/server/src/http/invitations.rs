//! Invitations: a partner admin invites colleagues, operators invite a
//! partner's people or other operators. The invitee gets a single-use link
//! (valid 7 days, stored hashed), chooses a name and password, and is signed
//! in. Nobody ever types another person's password.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use benefits_domain::contact::is_valid_email;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::SqliteConnection;

use crate::auth::{self, Auth, UserRow};
use crate::client_ip::ClientIp;
use crate::clock::{now_rfc3339, now_unix};
use crate::error::{ApiResult, AppError};
use crate::extract::ApiJson;
use crate::http::account::{check_name, check_new_password, hash_new_password};
use crate::http::session::{open_session, signed_in};
use crate::mail::{self, Lang, Message};
use crate::security_log;
use crate::state::ApiContext;
use crate::{store, tokens};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    pub email: String,
    /// `admin` or `member` for a partner; `operator` for the program team.
    pub role: String,
    pub name: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub name: Option<String>,
    pub role: String,
    pub partner_id: Option<String>,
    pub created_unix: i64,
    pub expires_unix: i64,
}

const VIEW_COLUMNS: &str = "id, email, name, role, partner_id, created_unix, expires_unix";

/// Who is invited where: a partner (with its name, for the email) or the program team.
pub struct Scope<'a> {
    pub partner: Option<(&'a str, &'a str)>,
}

fn field_error(field: &str, code: &str, message: &str) -> AppError {
    AppError::invalid_field(field, code, message)
}

fn check_request(req: &InvitationRequest, scope: &Scope<'_>) -> ApiResult<(String, Option<String>)> {
    let email = req.email.trim().to_string();
    if email.is_empty() {
        return Err(field_error("email", "required", "Enter the email address to invite."));
    }
    if !is_valid_email(&email) {
        return Err(field_error("email", "invalid_email", "Enter a valid email address, such as name@example.com."));
    }
    let allowed: &[&str] = if scope.partner.is_some() { &["admin", "member"] } else { &["operator"] };
    if !allowed.contains(&req.role.as_str()) {
        let message = if scope.partner.is_some() { "Choose admin or member." } else { "Operators can only be invited as operator." };
        return Err(field_error("role", "invalid_role", message));
    }
    let name = match req.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Some(check_name("name", n)?),
        None => None,
    };
    Ok((email, name))
}

/// Creates an invitation and queues its email in the caller's transaction.
/// An earlier pending invitation to the same address in the same place is withdrawn.
pub async fn invite(
    tx: &mut SqliteConnection,
    ctx: &ApiContext,
    inviter: &UserRow,
    scope: Scope<'_>,
    req: &InvitationRequest,
) -> ApiResult<InvitationView> {
    let (email, name) = check_request(req, &scope)?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = ? COLLATE NOCASE").bind(&email).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(AppError::with_field(StatusCode::CONFLICT, "email_taken", "A user with this email already exists.", "email"));
    }
    let pid = scope.partner.map(|(pid, _)| pid);
    sqlx::query("UPDATE invitations SET revoked_unix = ? WHERE email = ? COLLATE NOCASE AND partner_id IS ? AND accepted_unix IS NULL AND revoked_unix IS NULL")
        .bind(now_unix())
        .bind(&email)
        .bind(pid)
        .execute(&mut *tx)
        .await?;
    let (token, hash) = tokens::new_token();
    let now = now_unix();
    let view = InvitationView {
        id: auth::random_id("inv_"),
        email,
        name,
        role: req.role.clone(),
        partner_id: pid.map(str::to_string),
        created_unix: now,
        expires_unix: now + tokens::INVITATION_SECS,
    };
    sqlx::query(
        "INSERT INTO invitations (id, token_hash, email, name, role, partner_id, invited_by, created_unix, expires_unix) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&view.id)
    .bind(&hash)
    .bind(&view.email)
    .bind(&view.name)
    .bind(&view.role)
    .bind(&view.partner_id)
    .bind(&inviter.id)
    .bind(view.created_unix)
    .bind(view.expires_unix)
    .execute(&mut *tx)
    .await?;
    send_invitation(tx, ctx, inviter, &scope, &view, &token).await?;
    store::audit(tx, Some(inviter), pid, "invitation.create", &format!("invitation:{}", view.id), None, Some(json!(view))).await?;
    Ok(view)
}

async fn send_invitation(
    tx: &mut SqliteConnection,
    ctx: &ApiContext,
    inviter: &UserRow,
    scope: &Scope<'_>,
    view: &InvitationView,
    token: &str,
) -> ApiResult<()> {
    let message = Message::Invitation {
        org: scope.partner.map(|(_, name)| name.to_string()),
        role: view.role.clone(),
        inviter: inviter.name.clone(),
        link: ctx.config.link(&format!("/invite/{token}")),
        valid_days: tokens::INVITATION_SECS / 86_400,
    };
    mail::enqueue(tx, &view.email, Lang::En, &message).await
}

async fn pending(conn: &mut SqliteConnection, pid: Option<&str>) -> ApiResult<Vec<InvitationView>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {VIEW_COLUMNS} FROM invitations WHERE partner_id IS ? AND accepted_unix IS NULL AND revoked_unix IS NULL AND expires_unix > ? ORDER BY created_unix DESC"
    ))
    .bind(pid)
    .bind(now_unix())
    .fetch_all(conn)
    .await?)
}

/// A pending invitation in `pid` (a partner's, or the operators' when `None`).
async fn pending_one(conn: &mut SqliteConnection, pid: Option<&str>, iid: &str) -> ApiResult<InvitationView> {
    sqlx::query_as(&format!(
        "SELECT {VIEW_COLUMNS} FROM invitations WHERE id = ? AND partner_id IS ? AND accepted_unix IS NULL AND revoked_unix IS NULL"
    ))
    .bind(iid)
    .bind(pid)
    .fetch_optional(conn)
    .await?
    .ok_or_else(AppError::not_found)
}

async fn partner_name(conn: &mut SqliteConnection, pid: &str) -> ApiResult<String> {
    Ok(store::partner(conn, pid).await?.ok_or_else(AppError::not_found)?.name)
}

async fn create_in(ctx: &ApiContext, auth: &Auth, pid: Option<&str>, req: InvitationRequest) -> ApiResult<Response> {
    let mut tx = ctx.db.write.begin().await?;
    let org = match pid {
        Some(pid) => Some(partner_name(&mut tx, pid).await?),
        None => None,
    };
    let scope = Scope { partner: pid.zip(org.as_deref()) };
    let view = invite(&mut tx, ctx, &auth.user, scope, &req).await?;
    tx.commit().await?;
    ctx.mail_wake.notify_one();
    security_log::event("invitation_sent", Some(&auth.user.id), &auth.ip);
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// A new link (the old one stops working), valid 7 days again, and a new email.
async fn resend_in(ctx: &ApiContext, auth: &Auth, pid: Option<&str>, iid: &str) -> ApiResult<Json<InvitationView>> {
    let mut tx = ctx.db.write.begin().await?;
    let mut view = pending_one(&mut tx, pid, iid).await?;
    let org = match pid {
        Some(pid) => Some(partner_name(&mut tx, pid).await?),
        None => None,
    };
    let (token, hash) = tokens::new_token();
    view.expires_unix = now_unix() + tokens::INVITATION_SECS;
    sqlx::query("UPDATE invitations SET token_hash = ?, expires_unix = ? WHERE id = ?").bind(&hash).bind(view.expires_unix).bind(iid).execute(&mut *tx).await?;
    send_invitation(&mut tx, ctx, &auth.user, &Scope { partner: pid.zip(org.as_deref()) }, &view, &token).await?;
    store::audit(&mut tx, Some(&auth.user), pid, "invitation.resend", &format!("invitation:{iid}"), None, None).await?;
    tx.commit().await?;
    ctx.mail_wake.notify_one();
    security_log::event("invitation_resent", Some(&auth.user.id), &auth.ip);
    Ok(Json(view))
}

async fn revoke_in(ctx: &ApiContext, auth: &Auth, pid: Option<&str>, iid: &str) -> ApiResult<Response> {
    let mut tx = ctx.db.write.begin().await?;
    let view = pending_one(&mut tx, pid, iid).await?;
    sqlx::query("UPDATE invitations SET revoked_unix = ? WHERE id = ?").bind(now_unix()).bind(iid).execute(&mut *tx).await?;
    store::audit(&mut tx, Some(&auth.user), pid, "invitation.revoke", &format!("invitation:{iid}"), Some(json!(view)), None).await?;
    tx.commit().await?;
    security_log::event("invitation_revoked", Some(&auth.user.id), &auth.ip);
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn list_in(ctx: &ApiContext, pid: Option<&str>) -> ApiResult<Json<Vec<InvitationView>>> {
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(pending(&mut conn, pid).await?))
}

// Partner admins, for their own partner.

pub async fn partner_create(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>, ApiJson(req): ApiJson<InvitationRequest>) -> ApiResult<Response> {
    auth.partner_admin(&pid)?;
    create_in(&ctx, &auth, Some(&pid), req).await
}

pub async fn partner_list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<InvitationView>>> {
    auth.partner_admin(&pid)?;
    list_in(&ctx, Some(&pid)).await
}

pub async fn partner_resend(State(ctx): State<ApiContext>, auth: Auth, Path((pid, iid)): Path<(String, String)>) -> ApiResult<Json<InvitationView>> {
    auth.partner_admin(&pid)?;
    resend_in(&ctx, &auth, Some(&pid), &iid).await
}

pub async fn partner_revoke(State(ctx): State<ApiContext>, auth: Auth, Path((pid, iid)): Path<(String, String)>) -> ApiResult<Response> {
    auth.partner_admin(&pid)?;
    revoke_in(&ctx, &auth, Some(&pid), &iid).await
}

// Operators: a partner's people, and other operators.

pub async fn operator_partner_create(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>, ApiJson(req): ApiJson<InvitationRequest>) -> ApiResult<Response> {
    auth.operator()?;
    create_in(&ctx, &auth, Some(&pid), req).await
}

pub async fn operator_partner_list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<InvitationView>>> {
    auth.operator()?;
    list_in(&ctx, Some(&pid)).await
}

pub async fn operator_partner_resend(State(ctx): State<ApiContext>, auth: Auth, Path((pid, iid)): Path<(String, String)>) -> ApiResult<Json<InvitationView>> {
    auth.operator()?;
    resend_in(&ctx, &auth, Some(&pid), &iid).await
}

pub async fn operator_partner_revoke(State(ctx): State<ApiContext>, auth: Auth, Path((pid, iid)): Path<(String, String)>) -> ApiResult<Response> {
    auth.operator()?;
    revoke_in(&ctx, &auth, Some(&pid), &iid).await
}

pub async fn operator_create(State(ctx): State<ApiContext>, auth: Auth, ApiJson(req): ApiJson<InvitationRequest>) -> ApiResult<Response> {
    auth.operator()?;
    create_in(&ctx, &auth, None, req).await
}

pub async fn operator_list(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<InvitationView>>> {
    auth.operator()?;
    list_in(&ctx, None).await
}

pub async fn operator_resend(State(ctx): State<ApiContext>, auth: Auth, Path(iid): Path<String>) -> ApiResult<Json<InvitationView>> {
    auth.operator()?;
    resend_in(&ctx, &auth, None, &iid).await
}

pub async fn operator_revoke(State(ctx): State<ApiContext>, auth: Auth, Path(iid): Path<String>) -> ApiResult<Response> {
    auth.operator()?;
    revoke_in(&ctx, &auth, None, &iid).await
}

// The invitee, holding the link.

#[derive(Serialize, utoipa::ToSchema)]
pub struct InvitationPreview {
    pub email: String,
    pub name: Option<String>,
    pub role: String,
    /// The partner's name; `None` for the program team.
    pub organisation: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LiveInvitation {
    id: String,
    email: String,
    name: Option<String>,
    role: String,
    partner_id: Option<String>,
}

async fn live(conn: &mut SqliteConnection, token: &str) -> ApiResult<LiveInvitation> {
    sqlx::query_as(
        "SELECT id, email, name, role, partner_id FROM invitations \
         WHERE token_hash = ? AND accepted_unix IS NULL AND revoked_unix IS NULL AND expires_unix > ?",
    )
    .bind(tokens::hash(token))
    .bind(now_unix())
    .fetch_optional(conn)
    .await?
    .ok_or_else(tokens::link_invalid)
}

/// What the invitation page shows before the invitee accepts.
pub async fn preview(State(ctx): State<ApiContext>, Path(token): Path<String>) -> ApiResult<Json<InvitationPreview>> {
    let mut conn = ctx.db.read.acquire().await?;
    let inv = live(&mut conn, &token).await?;
    let organisation = match &inv.partner_id {
        Some(pid) => Some(partner_name(&mut conn, pid).await?),
        None => None,
    };
    Ok(Json(InvitationPreview { email: inv.email, name: inv.name, role: inv.role, organisation }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    pub name: String,
    pub password: String,
}

/// Creates the user with the name and password they chose and signs them in.
pub async fn accept(
    State(ctx): State<ApiContext>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> ApiResult<Response> {
    let inv = {
        let mut conn = ctx.db.read.acquire().await?;
        live(&mut conn, &token).await?
    };
    let name = check_name("name", &body.name)?;
    check_new_password("password", &body.password, &inv.email)?;
    let hash = hash_new_password(&ctx, body.password).await?;

    let mut tx = ctx.db.write.begin().await?;
    let inv = live(&mut tx, &token).await?; // still live: not accepted or revoked meanwhile
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = ? COLLATE NOCASE").bind(&inv.email).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(AppError::conflict("email_taken", "A user with this email already exists. Sign in instead."));
    }
    let user = UserRow { id: auth::random_id("u_"), partner_id: inv.partner_id.clone(), email: inv.email.clone(), name, role: inv.role.clone(), version: 1 };
    sqlx::query("INSERT INTO users (id, partner_id, email, name, role, password_hash, version, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)")
        .bind(&user.id)
        .bind(&user.partner_id)
        .bind(&user.email)
        .bind(&user.name)
        .bind(&user.role)
        .bind(&hash)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE invitations SET accepted_unix = ? WHERE id = ?").bind(now_unix()).bind(&inv.id).execute(&mut *tx).await?;
    if let Some(pid) = &user.partner_id {
        store::bump_data_version(&mut tx, pid).await?;
    }
    store::audit(
        &mut tx,
        Some(&user),
        user.partner_id.as_deref(),
        "invitation.accept",
        &format!("invitation:{}", inv.id),
        None,
        Some(json!({"user_id": user.id, "role": user.role})),
    )
    .await?;
    let (session_id, csrf_token) = open_session(&mut tx, &user.id, &headers).await?;
    tx.commit().await?;
    security_log::event("invitation_accepted", Some(&user.id), &ip);
    let mut res = signed_in(&ctx, &user, &session_id, csrf_token).await?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}
