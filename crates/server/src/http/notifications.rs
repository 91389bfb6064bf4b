//! The signed-in user's notifications, email settings and calendar feed, and
//! the feed itself (opened by a calendar app with the secret in its address).

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use benefits_api::notifications::{CalendarFeed, NotificationList, NotificationQuery, Preferences, PreferencesPatch, Unread};
use benefits_api::{ErrorBody, ErrorCode};
use benefits_domain::notify::check_preference;

use crate::auth::Auth;
use crate::error::{ApiResult, AppError};
use crate::extract::{ApiJson, ApiQuery};
use crate::http::openapi::{JsonBody, Query, SignedIn};
use crate::notify::{calendar, inbox, prefs, recipients, Links};
use crate::state::ApiContext;

/// The caller's newest notifications and unread count.
#[utoipa::path(get, path = "/notifications", tag = "notifications", operation_id = "notifications",
    security(("session" = [])),
    params(NotificationQuery),
    responses((status = 200, body = NotificationList), SignedIn, Query))]
pub async fn list(State(ctx): State<ApiContext>, auth: Auth, ApiQuery(q): ApiQuery<NotificationQuery>) -> ApiResult<Json<NotificationList>> {
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(inbox::list(&mut conn, &auth.user.id, limit).await?))
}

/// Mark one of the caller's notifications read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", operation_id = "notification_read",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The notification's id.")),
    responses((status = 200, body = Unread),
        (status = 401, body = ErrorBody, description = "`unauthenticated`: not signed in."),
        (status = 403, body = ErrorBody, description = "`csrf_failed`."),
        (status = 404, body = ErrorBody, description = "`not_found`: no such notification of the caller's.")))]
pub async fn read(State(ctx): State<ApiContext>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<Unread>> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let mut conn = ctx.db.write.acquire().await?;
    if !inbox::mark_read(&mut conn, &auth.user.id, id).await? {
        return Err(AppError::not_found());
    }
    Ok(Json(Unread { unread: inbox::unread(&mut conn, &auth.user.id).await? }))
}

/// Mark all the caller's notifications read.
#[utoipa::path(post, path = "/notifications/read-all", tag = "notifications", operation_id = "notifications_read_all",
    security(("session" = [], "csrf" = [])),
    responses((status = 200, body = Unread), SignedIn))]
pub async fn read_all(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Unread>> {
    let mut conn = ctx.db.write.acquire().await?;
    inbox::mark_all_read(&mut conn, &auth.user.id).await?;
    Ok(Json(Unread { unread: 0 }))
}

/// The caller's email settings per event group.
#[utoipa::path(get, path = "/notifications/preferences", tag = "notifications", operation_id = "notification_preferences",
    security(("session" = [])),
    responses((status = 200, body = Preferences), SignedIn))]
pub async fn preferences(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<Preferences>> {
    let mut conn = ctx.db.read.acquire().await?;
    Ok(Json(prefs::view(&mut conn, &auth.user.id).await?))
}

/// Turn email on or off per event group. The marketing contact of an
/// engagement under way cannot turn off benefit updates.
#[utoipa::path(patch, path = "/notifications/preferences", tag = "notifications", operation_id = "patch_notification_preferences",
    security(("session" = [], "csrf" = [])),
    request_body = PreferencesPatch,
    responses((status = 200, body = Preferences), SignedIn, JsonBody,
        (status = 409, body = ErrorBody, description = "`preference_locked`: the marketing contact of an active engagement keeps benefit updates.")))]
pub async fn patch_preferences(State(ctx): State<ApiContext>, auth: Auth, ApiJson(patch): ApiJson<PreferencesPatch>) -> ApiResult<Json<Preferences>> {
    let mut tx = ctx.db.write.begin().await?;
    let locked = recipients::is_contact_of_active_engagement(&mut tx, &auth.user.id).await?;
    for (group, email) in patch.changes() {
        check_preference(group, email, locked)
            .map_err(|e| AppError::with_field(StatusCode::CONFLICT, ErrorCode::PreferenceLocked, e.message(), group.as_str()))?;
        prefs::set(&mut tx, &auth.user.id, group, email).await?;
    }
    let view = prefs::view(&mut tx, &auth.user.id).await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// Whether the caller has a calendar feed (its address is shown only when made).
#[utoipa::path(get, path = "/calendar", tag = "notifications", operation_id = "calendar_feed",
    security(("session" = [])),
    responses((status = 200, body = CalendarFeed), SignedIn))]
pub async fn feed_status(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<Json<CalendarFeed>> {
    let mut conn = ctx.db.read.acquire().await?;
    let created_at = calendar::created_at(&mut conn, &auth.user.id).await?;
    Ok(Json(CalendarFeed { active: created_at.is_some(), created_at, url: None }))
}

/// Make a new secret calendar address; the previous one stops working.
#[utoipa::path(post, path = "/calendar", tag = "notifications", operation_id = "create_calendar_feed",
    security(("session" = [], "csrf" = [])),
    responses((status = 201, body = CalendarFeed), SignedIn))]
pub async fn feed_create(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<(StatusCode, Json<CalendarFeed>)> {
    let mut conn = ctx.db.write.acquire().await?;
    let token = calendar::regenerate(&mut conn, &auth.user.id).await?;
    let created_at = calendar::created_at(&mut conn, &auth.user.id).await?;
    let url = calendar::url(&Links::new(&ctx.config), &token);
    Ok((StatusCode::CREATED, Json(CalendarFeed { active: true, created_at, url: Some(url) })))
}

/// Turn the calendar feed off: its address stops working.
#[utoipa::path(delete, path = "/calendar", tag = "notifications", operation_id = "revoke_calendar_feed",
    security(("session" = [], "csrf" = [])),
    responses((status = 204, description = "Revoked (or there was none)."), SignedIn))]
pub async fn feed_revoke(State(ctx): State<ApiContext>, auth: Auth) -> ApiResult<StatusCode> {
    let mut conn = ctx.db.write.acquire().await?;
    calendar::revoke(&mut conn, &auth.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The calendar feed (`text/calendar`), for calendar apps: the secret in the address is the credential.
#[utoipa::path(get, path = "/ics/{file}", tag = "notifications", operation_id = "calendar_ics",
    params(("file" = String, Path, description = "`<secret>.ics`")),
    responses((status = 200, description = "An iCalendar (RFC 5545) feed.", content_type = "text/calendar", body = String),
        (status = 404, body = ErrorBody, description = "`not_found`: no feed has this address (revoked, replaced or never made).")))]
pub async fn ics(State(ctx): State<ApiContext>, Path(file): Path<String>) -> ApiResult<impl IntoResponse> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let user = {
        let mut conn = ctx.db.read.acquire().await?;
        calendar::owner(&mut conn, token).await?
    };
    let user = user.ok_or_else(AppError::not_found)?;
    let body = calendar::render(&ctx, &user, ctx.today()).await?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body))
}
