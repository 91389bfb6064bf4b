//! Invitations: a partner admin invites colleagues, operators invite a
//! partner's people or other operators. The invitee gets a single-use link
//! (valid 7 days, stored hashed), chooses a name and password, and is signed
//! in. Nobody ever types another person's password.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use benefits_api::accounts::{AcceptInvitation, InvitationPreview, InvitationView, OperatorInvitation, PartnerInvitation};
use benefits_api::session::SessionInfo;
use benefits_api::{ErrorBody, ErrorCode};
use benefits_domain::activation::Role;
use benefits_domain::contact::is_valid_email;
use serde_json::json;
use sqlx::AnyConnection;

use crate::auth::{self, Auth, UserRow};
use crate::client_ip::ClientIp;
use crate::clock::{now_rfc3339, now_unix};
use crate::error::{ApiResult, AppError};
use crate::extract::ApiJson;
use crate::http::account::{check_name, check_new_password, hash_new_password};
use crate::http::openapi::{JsonBody, PartnerScoped, PasswordWork, SignedIn};
use crate::http::session::{open_session, signed_in, SignInAnswer};
use crate::mail::{self, Message};
use crate::security_log;
use crate::state::ApiContext;
use crate::{store, tokens};

const VIEW_COLUMNS: &str = "id, email, name, role, partner_id, created_unix, expires_unix";

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: String,
    email: String,
    name: Option<String>,
    role: String,
    partner_id: Option<String>,
    created_unix: i64,
    expires_unix: i64,
}

impl InvitationRow {
    fn view(self) -> InvitationView {
        InvitationView {
            id: self.id,
            email: self.email,
            name: self.name,
            role: Role::parse(&self.role).unwrap_or(Role::Member),
            partner_id: self.partner_id,
            created_unix: self.created_unix,
            expires_unix: self.expires_unix,
        }
    }
}

/// Who is invited, whatever the route's own request type.
pub struct Invitee {
    pub email: String,
    pub role: Role,
    pub name: Option<String>,
}

impl From<PartnerInvitation> for Invitee {
    fn from(r: PartnerInvitation) -> Invitee {
        Invitee { email: r.email, role: r.role.into(), name: r.name }
    }
}

impl From<OperatorInvitation> for Invitee {
    fn from(r: OperatorInvitation) -> Invitee {
        Invitee { email: r.email, role: r.role.into(), name: r.name }
    }
}

/// Who is invited where: a partner (with its name, for the email) or the program team.
pub struct Scope<'a> {
    pub partner: Option<(&'a str, &'a str)>,
}

fn field_error(field: &str, code: &str, message: &str) -> AppError {
    AppError::invalid_field(field, code, message)
}

fn check_request(req: &Invitee, scope: &Scope<'_>) -> ApiResult<(String, Option<String>)> {
    let email = req.email.trim().to_string();
    if email.is_empty() {
        return Err(field_error("email", "required", "Enter the email address to invite."));
    }
    if !is_valid_email(&email) {
        return Err(field_error("email", "invalid_email", "Enter a valid email address, such as name@example.com."));
    }
    let allowed: &[Role] = if scope.partner.is_some() { &[Role::Admin, Role::Member] } else { &[Role::Operator] };
    if !allowed.contains(&req.role) {
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
    tx: &mut AnyConnection,
    ctx: &ApiContext,
    inviter: &UserRow,
    scope: Scope<'_>,
    req: &Invitee,
) -> ApiResult<InvitationView> {
    let (email, name) = check_request(req, &scope)?;
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = lower($1)").bind(&email).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(AppError::with_field(StatusCode::CONFLICT, ErrorCode::EmailTaken, "A user with this email already exists.", "email"));
    }
    let pid = scope.partner.map(|(pid, _)| pid);
    sqlx::query("UPDATE invitations SET revoked_unix = $1 WHERE lower(email) = lower($2) AND partner_id IS NOT DISTINCT FROM $3 AND accepted_unix IS NULL AND revoked_unix IS NULL")
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
        role: req.role,
        partner_id: pid.map(str::to_string),
        created_unix: now,
        expires_unix: now + tokens::INVITATION_SECS,
    };
    sqlx::query(
        "INSERT INTO invitations (id, token_hash, email, name, role, partner_id, invited_by, created_unix, expires_unix) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&view.id)
    .bind(&hash)
    .bind(&view.email)
    .bind(&view.name)
    .bind(view.role.as_str())
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
    tx: &mut AnyConnection,
    ctx: &ApiContext,
    inviter: &UserRow,
    scope: &Scope<'_>,
    view: &InvitationView,
    token: &str,
) -> ApiResult<()> {
    let message = Message::Invitation {
        org: scope.partner.map(|(_, name)| name.to_string()),
        role: view.role.as_str().to_string(),
        inviter: inviter.name.clone(),
        link: ctx.config.link(&format!("/invite/{token}")),
        valid_days: tokens::INVITATION_SECS / 86_400,
    };
    // The invitee has no account (and no language) yet: the invitation is
    // written in the inviter's language, who knows whom they invite.
    let lang = store::mail_lang(&mut *tx, &inviter.id).await?;
    mail::enqueue(tx, &view.email, lang, &message).await
}

async fn pending(conn: &mut AnyConnection, pid: Option<&str>) -> ApiResult<Vec<InvitationView>> {
    let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
        "SELECT {VIEW_COLUMNS} FROM invitations WHERE partner_id IS NOT DISTINCT FROM $1 AND accepted_unix IS NULL AND revoked_unix IS NULL AND expires_unix > $2 ORDER BY created_unix DESC"
    ))
    .bind(pid)
    .bind(now_unix())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(InvitationRow::view).collect())
}

/// A pending invitation in `pid` (a partner's, or the operators' when `None`).
async fn pending_one(conn: &mut AnyConnection, pid: Option<&str>, iid: &str) -> ApiResult<InvitationView> {
    let row: Option<InvitationRow> = sqlx::query_as(&format!(
        "SELECT {VIEW_COLUMNS} FROM invitations WHERE id = $1 AND partner_id IS NOT DISTINCT FROM $2 AND accepted_unix IS NULL AND revoked_unix IS NULL"
    ))
    .bind(iid)
    .bind(pid)
    .fetch_optional(conn)
    .await?;
    row.map(InvitationRow::view).ok_or_else(AppError::not_found)
}

async fn partner_name(conn: &mut AnyConnection, pid: &str) -> ApiResult<String> {
    Ok(store::partner(conn, pid).await?.ok_or_else(AppError::not_found)?.name)
}

async fn create_in(ctx: &ApiContext, auth: &Auth, pid: Option<&str>, req: Invitee) -> ApiResult<(StatusCode, Json<InvitationView>)> {
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
    Ok((StatusCode::CREATED, Json(view)))
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
    sqlx::query("UPDATE invitations SET token_hash = $1, expires_unix = $2 WHERE id = $3").bind(&hash).bind(view.expires_unix).bind(iid).execute(&mut *tx).await?;
    send_invitation(&mut tx, ctx, &auth.user, &Scope { partner: pid.zip(org.as_deref()) }, &view, &token).await?;
    store::audit(&mut tx, Some(&auth.user), pid, "invitation.resend", &format!("invitation:{iid}"), None, None).await?;
    tx.commit().await?;
    ctx.mail_wake.notify_one();
    security_log::event("invitation_resent", Some(&auth.user.id), &auth.ip);
    Ok(Json(view))
}

async fn revoke_in(ctx: &ApiContext, auth: &Auth, pid: Option<&str>, iid: &str) -> ApiResult<StatusCode> {
    let mut tx = ctx.db.write.begin().await?;
    let view = pending_one(&mut tx, pid, iid).await?;
    sqlx::query("UPDATE invitations SET revoked_unix = $1 WHERE id = $2").bind(now_unix()).bind(iid).execute(&mut *tx).await?;
    store::audit(&mut tx, Some(&auth.user), pid, "invitation.revoke", &format!("invitation:{iid}"), Some(json!(view)), None).await?;
    tx.commit().await?;
    security_log::event("invitation_revoked", Some(&auth.user.id), &auth.ip);
    Ok(StatusCode::NO_CONTENT)
}

async fn list_in(ctx: &ApiContext, pid: Option<&str>) -> ApiResult<Json<Vec<InvitationView>>> {
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(pending(&mut conn, pid).await?))
}

// Partner admins, for their own partner.

/// Invite a colleague (admins of the partner).
#[utoipa::path(post, path = "/invitations", tag = "partner", operation_id = "partner_invite",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    request_body = PartnerInvitation,
    responses(PartnerScoped, (status = 201, body = InvitationView, description = "Invited; the email is queued."), JsonBody,
        (status = 409, body = ErrorBody, description = "`email_taken`: a user with this email exists.")))]
pub async fn partner_create(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>, ApiJson(req): ApiJson<PartnerInvitation>) -> ApiResult<(StatusCode, Json<InvitationView>)> {
    auth.partner_admin(&pid)?;
    create_in(&ctx, &auth, Some(&pid), req.into()).await
}

/// Pending invitations of the partner (admins).
#[utoipa::path(get, path = "/invitations", tag = "partner", operation_id = "partner_invitations",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<InvitationView>), PartnerScoped))]
pub async fn partner_list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<InvitationView>>> {
    auth.partner_admin(&pid)?;
    list_in(&ctx, Some(&pid)).await
}

/// Send a new link (valid 7 days; the old one stops working).
#[utoipa::path(post, path = "/invitations/{iid}/resend", tag = "partner", operation_id = "partner_resend_invitation",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("iid" = String, Path, description = "The invitation's id.")),
    responses((status = 200, body = InvitationView), PartnerScoped))]
pub async fn partner_resend(State(ctx): State<ApiContext>, auth: Auth, Path((pid, iid)): Path<(String, String)>) -> ApiResult<Json<InvitationView>> {
    auth.partner_admin(&pid)?;
    resend_in(&ctx, &auth, Some(&pid), &iid).await
}

/// Revoke a pending invitation.
#[utoipa::path(delete, path = "/invitations/{iid}", tag = "partner", operation_id = "partner_revoke_invitation",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("iid" = String, Path, description = "The invitation's id.")),
    responses((status = 204, description = "Revoked."), PartnerScoped))]
pub async fn partner_revoke(State(ctx): State<ApiContext>, auth: Auth, Path((pid, iid)): Path<(String, String)>) -> ApiResult<StatusCode> {
    auth.partner_admin(&pid)?;
    revoke_in(&ctx, &auth, Some(&pid), &iid).await
}

// Operators: a partner's people, and other operators.

/// Invite a partner's admin or member (operators).
#[utoipa::path(post, path = "/partners/{pid}/invitations", tag = "operator", operation_id = "operator_invite_partner_user",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    request_body = PartnerInvitation,
    responses(PartnerScoped, (status = 201, body = InvitationView, description = "Invited; the email is queued."), JsonBody,
        (status = 409, body = ErrorBody, description = "`email_taken`: a user with this email exists.")))]
pub async fn operator_partner_create(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>, ApiJson(req): ApiJson<PartnerInvitation>) -> ApiResult<(StatusCode, Json<InvitationView>)> {
    auth.operator()?;
    create_in(&ctx, &auth, Some(&pid), req.into()).await
}

/// A partner's pending invitations (operators).
#[utoipa::path(get, path = "/partners/{pid}/invitations", tag = "operator", operation_id = "operator_partner_invitations",
    security(("session" = [])),
    params(("pid" = String, Path, description = "The partner's id.")),
    responses((status = 200, body = Vec<InvitationView>), PartnerScoped))]
pub async fn operator_partner_list(State(ctx): State<ApiContext>, auth: Auth, Path(pid): Path<String>) -> ApiResult<Json<Vec<InvitationView>>> {
    auth.operator()?;
    list_in(&ctx, Some(&pid)).await
}

/// Send a new link (operators).
#[utoipa::path(post, path = "/partners/{pid}/invitations/{iid}/resend", tag = "operator", operation_id = "operator_resend_partner_invitation",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("iid" = String, Path, description = "The invitation's id.")),
    responses((status = 200, body = InvitationView), PartnerScoped))]
pub async fn operator_partner_resend(State(ctx): State<ApiContext>, auth: Auth, Path((pid, iid)): Path<(String, String)>) -> ApiResult<Json<InvitationView>> {
    auth.operator()?;
    resend_in(&ctx, &auth, Some(&pid), &iid).await
}

/// Revoke a partner's pending invitation (operators).
#[utoipa::path(delete, path = "/partners/{pid}/invitations/{iid}", tag = "operator", operation_id = "operator_revoke_partner_invitation",
    security(("session" = [], "csrf" = [])),
    params(("pid" = String, Path, description = "The partner's id."), ("iid" = String, Path, description = "The invitation's id.")),
    responses((status = 204, description = "Revoked."), PartnerScoped))]
pub async fn operator_partner_revoke(State(ctx): State<ApiContext>, auth: Auth, Path((pid, iid)): Path<(String, String)>) -> ApiResult<StatusCode> {
    auth.operator()?;
    revoke_in(&ctx, &auth, Some(&pid), &iid).await
}

/// Invite an operator (operators).
#[utoipa::path(post, path = "/invitations", tag = "operator", operation_id = "operator_invite",
    security(("session" = [], "csrf" = [])),
    request_body = OperatorInvitation,
    responses(SignedIn, (status = 201, body = InvitationView, description = "Invited; the email is queued."), JsonBody,
        (status = 409, body = ErrorBody, description = "`email_taken`: a user with this email exists.")))]
pub async fn operator_create(State(ctx): State<ApiContext>, auth: Auth, ApiJson(req): ApiJson<OperatorInvitation>) -> ApiResult<(StatusCode, Json<InvitationView>)> {
    auth.operator()?;
    create_in(&ctx, &auth, None, req.into()).await
}

/// Pending invitations of operators.
#[utoipa::path(get, path = "/invitations", tag = "operator", operation_id = "operator_invitations",
    security(("session" = [])),
    responses((status = 200, body = Vec<InvitationView>), SignedIn))]
pub async fn operator_list(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Vec<InvitationView>>> {
    auth.operator()?;
    list_in(&ctx, None).await
}

/// Send a new link to an invited operator.
#[utoipa::path(post, path = "/invitations/{iid}/resend", tag = "operator", operation_id = "operator_resend_invitation",
    security(("session" = [], "csrf" = [])),
    params(("iid" = String, Path, description = "The invitation's id.")),
    responses((status = 200, body = InvitationView), SignedIn,
        (status = 404, body = ErrorBody, description = "`not_found`: no such pending invitation.")))]
pub async fn operator_resend(State(ctx): State<ApiContext>, auth: Auth, Path(iid): Path<String>) -> ApiResult<Json<InvitationView>> {
    auth.operator()?;
    resend_in(&ctx, &auth, None, &iid).await
}

/// Revoke an operator's pending invitation.
#[utoipa::path(delete, path = "/invitations/{iid}", tag = "operator", operation_id = "operator_revoke_invitation",
    security(("session" = [], "csrf" = [])),
    params(("iid" = String, Path, description = "The invitation's id.")),
    responses((status = 204, description = "Revoked."), SignedIn,
        (status = 404, body = ErrorBody, description = "`not_found`: no such pending invitation.")))]
pub async fn operator_revoke(State(ctx): State<ApiContext>, auth: Auth, Path(iid): Path<String>) -> ApiResult<StatusCode> {
    auth.operator()?;
    revoke_in(&ctx, &auth, None, &iid).await
}

// The invitee, holding the link.

#[derive(sqlx::FromRow)]
struct LiveInvitation {
    id: String,
    email: String,
    name: Option<String>,
    role: String,
    partner_id: Option<String>,
}

async fn live(conn: &mut AnyConnection, token: &str) -> ApiResult<LiveInvitation> {
    sqlx::query_as(
        "SELECT id, email, name, role, partner_id FROM invitations \
         WHERE token_hash = $1 AND accepted_unix IS NULL AND revoked_unix IS NULL AND expires_unix > $2",
    )
    .bind(tokens::hash(token))
    .bind(now_unix())
    .fetch_optional(conn)
    .await?
    .ok_or_else(tokens::link_invalid)
}

/// What an invitation link is for: shown before the invitee accepts.
#[utoipa::path(get, path = "/invitations/{token}", tag = "account", operation_id = "invitation",
    params(("token" = String, Path, description = "The token of the emailed link.")),
    responses((status = 200, body = InvitationPreview),
        (status = 404, body = ErrorBody, description = "`link_invalid`: unknown, used, revoked or expired.")))]
pub async fn preview(State(ctx): State<ApiContext>, Path(token): Path<String>) -> ApiResult<Json<InvitationPreview>> {
    let mut conn = ctx.db.read.acquire().await?;
    let inv = live(&mut conn, &token).await?;
    let organisation = match &inv.partner_id {
        Some(pid) => Some(partner_name(&mut conn, pid).await?),
        None => None,
    };
    Ok(Json(InvitationPreview { email: inv.email, name: inv.name, role: Role::parse(&inv.role).unwrap_or(Role::Member), organisation }))
}

/// Accept an invitation: the invitee chooses name and password, the user is
/// created and signed in (the session cookie is set).
#[utoipa::path(post, path = "/invitations/{token}/accept", tag = "account", operation_id = "accept_invitation",
    params(("token" = String, Path, description = "The token of the emailed link.")),
    request_body = AcceptInvitation,
    responses((status = 201, body = SessionInfo, description = "Created and signed in; `Set-Cookie` carries the session."), JsonBody, PasswordWork,
        (status = 404, body = ErrorBody, description = "`link_invalid`: unknown, used, revoked or expired."),
        (status = 409, body = ErrorBody, description = "`email_taken`: the address has an account meanwhile.")))]
pub async fn accept(
    State(ctx): State<ApiContext>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> ApiResult<(StatusCode, SignInAnswer)> {
    let inv = {
        let mut conn = ctx.db.read.acquire().await?;
        live(&mut conn, &token).await?
    };
    let name = check_name("name", &body.name)?;
    check_new_password("password", &body.password, &inv.email)?;
    let hash = hash_new_password(&ctx, body.password).await?;

    let mut tx = ctx.db.write.begin().await?;
    let inv = live(&mut tx, &token).await?; // still live: not accepted or revoked meanwhile
    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = lower($1)").bind(&inv.email).fetch_optional(&mut *tx).await?;
    if taken.is_some() {
        return Err(AppError::conflict(ErrorCode::EmailTaken, "A user with this email already exists. Sign in instead."));
    }
    let user = UserRow { id: auth::random_id("u_"), partner_id: inv.partner_id.clone(), email: inv.email.clone(), name, role: inv.role.clone(), version: 1 };
    sqlx::query("INSERT INTO users (id, partner_id, email, name, role, password_hash, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7)")
        .bind(&user.id)
        .bind(&user.partner_id)
        .bind(&user.email)
        .bind(&user.name)
        .bind(&user.role)
        .bind(&hash)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE invitations SET accepted_unix = $1 WHERE id = $2").bind(now_unix()).bind(&inv.id).execute(&mut *tx).await?;
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
    Ok((StatusCode::CREATED, signed_in(&ctx, &user, &session_id, csrf_token).await?))
}
