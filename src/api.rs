//! Transport to the server's JSON API (gloo-net). Every call returns a
//! `benefits_api` type — the same declarations the server answers with — or
//! an [`ApiError`]; the addresses come from `benefits_api::paths`.

use std::cell::RefCell;
use std::fmt;

use benefits_api::benefits::BenefitView;
use benefits_api::contact::{Contact, ContactInput};
use benefits_api::feed::{CreatedToken, FeedKind, IngestResult, NewToken, TokenInfo};
use benefits_api::operator::{Advance, AdvanceTo, CatalogEntry, FraudFlag, Revoke, SaleView};
use benefits_api::session::{Language, LanguagePreference, LoginRequest, PartnerInfo, SessionInfo};
use benefits_api::users::{RoleChange, UserView};
use benefits_api::workspace::Workspace;
use benefits_api::{paths, ErrorBody, ErrorItem};
use benefits_domain::activation::{Action, RevocationReason};
use benefits_domain::user::PartnerRole;
use gloo_net::http::{Request, RequestBuilder, Response};
use benefits_api::accounts::{
    AcceptInvitation, Accepted, EmailChange, InvitationPreview, InvitationView, NewPartner, Onboarded, OperatorInvitation, PartnerInvitation, PartnerPatch, PasswordChange,
    ProfilePatch, ResetPassword,
    RecoveryCodes, ResetRequest, SignedOut, TotpCode, TotpSetup,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

thread_local! {
    /// The CSRF token of the current session (from login or `me`), kept in memory only.
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub fn set_csrf_token(token: Option<String>) {
    CSRF_TOKEN.with(|t| *t.borrow_mut() = token);
}

fn csrf_token() -> Option<String> {
    CSRF_TOKEN.with(|t| t.borrow().clone())
}

/// A failed call: the server's [`ErrorBody`] with the HTTP status, or a
/// failure without an answer (`status` 0, code `network`).
#[derive(Clone, Debug, Default)]
pub struct ApiError {
    /// HTTP status; 0 when the server could not be reached.
    pub status: u16,
    /// The server's `ErrorCode` as text, or `network` / `unexpected`.
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    pub errors: Vec<ErrorItem>,
    /// The words of an error found in the app itself (a form checked before
    /// sending), looked up when shown so they follow a language switch.
    pub wording: Option<Wording>,
}

/// An app-side error's words in a language (`|l| td_string!(l, key)`).
pub type Wording = fn(crate::i18n::Locale) -> &'static str;

/// Equal when everything is, app-side words compared by what they say
/// (function addresses are not a meaningful identity).
impl PartialEq for ApiError {
    fn eq(&self, other: &ApiError) -> bool {
        let words = |e: &ApiError| e.wording.map(|w| w(crate::i18n::Locale::en));
        (self.status, &self.code, &self.message, &self.field, &self.errors) == (other.status, &other.code, &other.message, &other.field, &other.errors)
            && words(self) == words(other)
    }
}

impl Eq for ApiError {}

impl ApiError {
    pub fn network(detail: impl fmt::Display) -> ApiError {
        ApiError {
            status: 0,
            code: "network".into(),
            message: format!("The server could not be reached ({detail}). Check your connection and try again."),
            ..ApiError::default()
        }
    }

    /// A form field's error found before sending by the domain's check,
    /// kept by the domain's code (worded in the user's language when shown;
    /// `message`, the domain's English, when the code has no words here).
    pub fn local_code(field: &str, code: &str, message: impl Into<String>) -> ApiError {
        let message = message.into();
        ApiError {
            field: Some(field.into()),
            errors: vec![ErrorItem { field: field.into(), message: message.clone(), code: Some(code.into()), params: Default::default(), line: None }],
            message,
            ..ApiError::default()
        }
    }

    /// A form field's error found before sending, worded by the app.
    pub fn local_field(field: &str, wording: Wording) -> ApiError {
        ApiError { field: Some(field.into()), wording: Some(wording), ..ApiError::default() }
    }

    /// An error of the app's own (a form checked before sending).
    pub fn local(wording: Wording) -> ApiError {
        ApiError { wording: Some(wording), ..ApiError::default() }
    }

    fn from_body(status: u16, body: &str) -> ApiError {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(e) => ApiError { status, code: e.code.as_str().into(), message: e.message, field: e.field, errors: e.errors, wording: None },
            Err(_) => ApiError {
                status,
                code: "unexpected".into(),
                message: format!("The server answered with an unexpected error (HTTP {status})."),
                ..ApiError::default()
            },
        }
    }

    /// The message for one form field, from `errors` or the single `field`,
    /// in the user's language (from its code; tracked, so a reactive closure
    /// re-words it when the language changes).
    pub fn field_message(&self, field: &str) -> Option<String> {
        let l = crate::locale::current();
        self.errors
            .iter()
            .find(|e| e.field == field && e.line.is_none())
            .map(|e| crate::locale::text::field_error(l, e.code.as_deref().unwrap_or(""), &e.params, &e.message))
            .or_else(|| (self.field.as_deref() == Some(field) && self.errors.is_empty()).then(|| self.text()))
    }

    /// The whole error for people, in the user's language (tracked).
    pub fn text(&self) -> String {
        if let Some(words) = self.wording {
            return words(crate::locale::current()).to_string();
        }
        crate::locale::text::api_error(crate::locale::current(), &self.code, self.status, &self.message)
    }

    /// [`ApiError::text`] followed by each field's reason when the domain
    /// refused the input (a catalog, a JSON document), in the user's language.
    /// Kept apart from `text`: the pages that show such errors carry the
    /// words of every input error code, the app shell does not.
    pub fn text_with_fields(&self) -> String {
        crate::locale::text::api_error_full(crate::locale::current(), self)
    }

    pub fn is_unauthenticated(&self) -> bool {
        self.status == 401 && self.code == "unauthenticated"
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;

/// A fresh key for `Idempotency-Key`, so a retried create is not done twice.
pub fn new_idempotency_key() -> String {
    // 128 random bits from the browser's CSPRNG: keys must never collide.
    let mut bytes = [0u8; 16];
    let filled = web_sys::window().and_then(|w| w.crypto().ok()).is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = ((js_sys::Math::random() * 256.0) as u8) ^ (js_sys::Date::now() as u64 >> (i % 8)) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The headers every state-changing request of a session sends.
fn write(req: RequestBuilder, version: Option<i64>, key: Option<&str>) -> RequestBuilder {
    let mut req = req.header("Accept", "application/json");
    if let Some(t) = csrf_token() {
        req = req.header("X-CSRF-Token", &t);
    }
    if let Some(v) = version {
        req = req.header("If-Match", &format!("\"{v}\""));
    }
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    req
}

/// The body of a successful response, or the server's error.
async fn read_text(res: Result<Response, gloo_net::Error>) -> ApiResult<String> {
    let res = res.map_err(ApiError::network)?;
    let status = res.status();
    let text = res.text().await.map_err(ApiError::network)?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        let error = ApiError::from_body(status, &text);
        // The session ended (expired, revoked, signed out elsewhere): the
        // offline copy must not be shown as signed in any more.
        if status == 401 && error.code == "unauthenticated" {
            crate::offline::session_ended();
        }
        Err(error)
    }
}

/// A successful answer read as `T` (an empty body as `null`, for `()`).
async fn read<T: DeserializeOwned>(res: Result<Response, gloo_net::Error>) -> ApiResult<T> {
    let text = read_text(res).await?;
    let body = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(body).map_err(|e| ApiError {
        status: 200,
        code: "unexpected".into(),
        message: format!("The server's answer could not be read ({e})."),
        ..ApiError::default()
    })
}

/// `GET url` as `T`.
pub async fn get<T: DeserializeOwned>(url: String) -> ApiResult<T> {
    read(Request::get(&url).header("Accept", "application/json").send().await).await
}

async fn send<T: DeserializeOwned, B: Serialize>(req: RequestBuilder, body: Option<&B>) -> ApiResult<T> {
    let sent = match body {
        Some(b) => req.json(b).map_err(ApiError::network)?.send().await,
        None => req.send().await,
    };
    read(sent).await
}

const NO_BODY: Option<&()> = None;

// ---- session ----

/// Signs in; `totp` is the second factor's code when the server asked for it (`mfa_required`).
pub async fn login(email: &str, password: &str, totp: Option<&str>) -> ApiResult<SessionInfo> {
    let req = Request::post(paths::LOGIN).header("X-Requested-With", "benefits").header("Accept", "application/json");
    let body = LoginRequest { email: email.into(), password: password.into(), totp: totp.map(str::to_string) };
    let info: SessionInfo = send(req, Some(&body)).await?;
    set_csrf_token(Some(info.csrf_token.clone()));
    Ok(info)
}

pub async fn logout() -> ApiResult<()> {
    let r = send(write(Request::post(paths::LOGOUT), None, None), NO_BODY).await;
    set_csrf_token(None);
    r
}

pub async fn me() -> ApiResult<SessionInfo> {
    let info: SessionInfo = get(paths::ME.into()).await?;
    set_csrf_token(Some(info.csrf_token.clone()));
    Ok(info)
}

/// Saves the signed-in user's language in their profile (it follows them to
/// another device and chooses the language of their email).
pub async fn set_language(language: Language) -> ApiResult<LanguagePreference> {
    send(write(Request::put(paths::ME_LANGUAGE), None, None), Some(&LanguagePreference { language })).await
}

// ---- partner ----

pub async fn workspace(pid: &str) -> ApiResult<Workspace> {
    get(paths::workspace(pid)).await
}

// ---- invitations and accounts (types from benefits_api::accounts) ----

/// Whose invitations: a partner admin's own partner, a partner's as an
/// operator sees them, or the program team's (operators).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvitationScope {
    Partner(String),
    OperatorForPartner(String),
    ProgramTeam,
}

impl InvitationScope {
    /// The pending invitations (`GET`), and where new ones are sent (`POST`).
    pub fn list_url(&self) -> String {
        match self {
            InvitationScope::Partner(pid) => paths::invitations(pid),
            InvitationScope::OperatorForPartner(pid) => paths::operator_partner_invitations(pid),
            InvitationScope::ProgramTeam => paths::OPERATOR_INVITATIONS.to_string(),
        }
    }

    fn one_url(&self, iid: &str) -> String {
        match self {
            InvitationScope::Partner(pid) => paths::partner_invitation(pid, iid),
            InvitationScope::OperatorForPartner(pid) => paths::operator_partner_invitation(pid, iid),
            InvitationScope::ProgramTeam => paths::operator_invitation(iid),
        }
    }

    fn resend_url(&self, iid: &str) -> String {
        match self {
            InvitationScope::Partner(pid) => paths::resend_partner_invitation(pid, iid),
            InvitationScope::OperatorForPartner(pid) => paths::resend_operator_partner_invitation(pid, iid),
            InvitationScope::ProgramTeam => paths::resend_operator_invitation(iid),
        }
    }
}

/// Invites a partner's admin or member (its admins, or operators); for the
/// program team use [`invite_operator`].
pub async fn invite(scope: &InvitationScope, req: &PartnerInvitation) -> ApiResult<InvitationView> {
    send(write(Request::post(&scope.list_url()), None, None), Some(req)).await
}

/// Invites an operator (operators).
pub async fn invite_operator(req: &OperatorInvitation) -> ApiResult<InvitationView> {
    send(write(Request::post(paths::OPERATOR_INVITATIONS), None, None), Some(req)).await
}

pub async fn resend_invitation(scope: &InvitationScope, iid: &str) -> ApiResult<InvitationView> {
    send(write(Request::post(&scope.resend_url(iid)), None, None), NO_BODY).await
}

pub async fn revoke_invitation(scope: &InvitationScope, iid: &str) -> ApiResult<()> {
    send::<(), ()>(write(Request::delete(&scope.one_url(iid)), None, None), NO_BODY).await
}

/// Edits a partner's name or account email (operators; audited).
pub async fn edit_partner(pid: &str, patch: &PartnerPatch) -> ApiResult<PartnerInfo> {
    send(write(Request::patch(&paths::operator_partner(pid)), None, None), Some(patch)).await
}

/// What an invitation link is for.
pub async fn invitation(token: &str) -> ApiResult<InvitationPreview> {
    get(paths::invitation(token)).await
}

/// Accepts an invitation: the new user is signed in.
pub async fn accept_invitation(token: &str, body: &AcceptInvitation) -> ApiResult<SessionInfo> {
    let info: SessionInfo = send(write(Request::post(&paths::accept_invitation(token)), None, None), Some(body)).await?;
    set_csrf_token(Some(info.csrf_token.clone()));
    Ok(info)
}

/// Onboards a partner and invites its first admin (operators).
pub async fn onboard_partner(body: &NewPartner) -> ApiResult<Onboarded> {
    send(write(Request::post(paths::OPERATOR_PARTNERS), None, None), Some(body)).await
}

pub async fn change_password(body: &PasswordChange) -> ApiResult<()> {
    send::<(), _>(write(Request::post(paths::PASSWORD), None, None), Some(body)).await
}

pub async fn request_password_reset(email: &str) -> ApiResult<Accepted> {
    send(write(Request::post(paths::PASSWORD_RESET), None, None), Some(&ResetRequest { email: email.to_string() })).await
}

pub async fn reset_password(token: &str, password: &str) -> ApiResult<()> {
    send::<(), _>(write(Request::post(&paths::password_reset(token)), None, None), Some(&ResetPassword { password: password.to_string() })).await
}

pub const SESSIONS_URL: &str = paths::SESSIONS;

pub async fn confirm_email(token: &str) -> ApiResult<()> {
    send::<(), ()>(write(Request::post(&paths::confirm_email(token)), None, None), NO_BODY).await
}

pub async fn request_email_change(body: &EmailChange) -> ApiResult<Accepted> {
    send(write(Request::post(paths::EMAIL), None, None), Some(body)).await
}

pub async fn edit_profile(name: &str) -> ApiResult<SessionInfo> {
    send(write(Request::patch(paths::ME), None, None), Some(&ProfilePatch { name: name.to_string() })).await
}

pub const MFA_URL: &str = paths::MFA;

pub async fn mfa_setup() -> ApiResult<TotpSetup> {
    send(write(Request::post(paths::MFA_SETUP), None, None), NO_BODY).await
}

pub async fn mfa_confirm(code: &str) -> ApiResult<RecoveryCodes> {
    send(write(Request::post(paths::MFA_CONFIRM), None, None), Some(&TotpCode { code: code.to_string() })).await
}

pub async fn sign_out_others() -> ApiResult<SignedOut> {
    send(write(Request::post(paths::SIGN_OUT_OTHERS), None, None), NO_BODY).await
}

pub async fn set_role(pid: &str, uid: &str, role: PartnerRole, version: i64) -> ApiResult<UserView> {
    send(write(Request::patch(&paths::user(pid, uid)), Some(version), None), Some(&RoleChange { role })).await
}

pub async fn delete_user(pid: &str, uid: &str, version: i64) -> ApiResult<()> {
    send(write(Request::delete(&paths::user(pid, uid)), Some(version), None), NO_BODY).await
}

pub async fn put_contact(pid: &str, input: &ContactInput, version: Option<i64>) -> ApiResult<Contact> {
    send(write(Request::put(&paths::contact(pid)), version, None), Some(input)).await
}

/// A partner's action on a benefit (`Activate` or `OptOut`) with a given
/// `Idempotency-Key`: the outbox keeps its key across retries, so the server
/// applies an offline action at most once.
pub async fn benefit_action(pid: &str, bid: &str, action: Action, version: i64, key: &str) -> ApiResult<BenefitView> {
    let url = if action == Action::OptOut { paths::opt_out(pid, bid) } else { paths::activate(pid, bid) };
    send(write(Request::post(&url), Some(version), Some(key)), NO_BODY).await
}

// ---- the marketplace feed (operators) ----

/// An operator's upload of a feed file (CSV), all or nothing.
pub async fn upload_feed(kind: FeedKind, file_name: &str, csv: String) -> ApiResult<IngestResult> {
    let req = write(Request::post(&paths::operator_feed(kind, file_name)), None, None).header("Content-Type", "text/csv");
    read(req.body(csv).map_err(ApiError::network)?.send().await).await
}

pub async fn create_token(name: &str) -> ApiResult<CreatedToken> {
    send(write(Request::post(paths::OPERATOR_TOKENS), None, None), Some(&NewToken { name: name.to_string() })).await
}

pub async fn revoke_token(id: &str) -> ApiResult<TokenInfo> {
    send(write(Request::post(&paths::revoke_token(id)), None, None), NO_BODY).await
}

// ---- operator ----

pub async fn set_fraud(sale_id: i64, fraud: bool, note: String, version: i64) -> ApiResult<SaleView> {
    send(write(Request::post(&paths::fraud(sale_id)), Some(version), None), Some(&FraudFlag { fraud, note })).await
}

pub async fn advance(pid: &str, bid: &str, to: AdvanceTo, version: i64) -> ApiResult<BenefitView> {
    send(write(Request::post(&paths::advance(pid, bid)), Some(version), None), Some(&Advance { to })).await
}

pub async fn revoke(pid: &str, bid: &str, reason: RevocationReason, note: Option<String>, version: i64) -> ApiResult<BenefitView> {
    send(write(Request::post(&paths::revoke(pid, bid)), Some(version), None), Some(&Revoke { reason, note })).await
}

/// The catalog address with the day the version applies from (`None`: today).
fn catalog_url(base: &str, effective_from: Option<chrono::NaiveDate>) -> String {
    match effective_from {
        Some(d) => format!("{base}?effective_from={}", d.format("%Y-%m-%d")),
        None => base.to_string(),
    }
}

/// Publishes a catalog version (JSON text: the server's parser names the
/// field at fault), in force from `effective_from`.
pub async fn publish_catalog(catalog_json: String, effective_from: Option<chrono::NaiveDate>) -> ApiResult<CatalogEntry> {
    let url = catalog_url(paths::OPERATOR_CATALOGS, effective_from);
    let req = write(Request::post(&url), None, None).header("Content-Type", "application/json");
    read(req.body(catalog_json).map_err(ApiError::network)?.send().await).await
}

/// What publishing `catalog_json` from `effective_from` would change (nothing is written).
pub async fn catalog_impact(catalog_json: String, effective_from: Option<chrono::NaiveDate>) -> ApiResult<benefits_api::operator::CatalogImpact> {
    let url = catalog_url(paths::CATALOG_IMPACT, effective_from);
    let req = write(Request::post(&url), None, None).header("Content-Type", "application/json");
    read(req.body(catalog_json).map_err(ApiError::network)?.send().await).await
}

/// Flags (or clears) several sales with one note: all or nothing.
pub async fn set_fraud_many(sales: Vec<benefits_api::operator::SaleRef>, fraud: bool, note: String) -> ApiResult<Vec<SaleView>> {
    let body = benefits_api::operator::BulkFraud { sales, fraud, note };
    send(write(Request::post(paths::FRAUD_MANY), None, None), Some(&body)).await
}

/// Moves several engagements each to its next delivery step: all or nothing.
pub async fn advance_many(items: Vec<benefits_api::operator::EngagementRef>) -> ApiResult<Vec<benefits_api::operator::MovedEngagement>> {
    let body = benefits_api::operator::BulkAdvance { items };
    send(write(Request::post(paths::ADVANCE_MANY), None, None), Some(&body)).await
}

/// Delists an offer on `delisted_on`, with the reason (audited).
pub async fn delist_offer(pid: &str, oid: &str, delisted_on: chrono::NaiveDate, reason: String) -> ApiResult<benefits_api::offers::OfferView> {
    let body = benefits_api::feed::DelistOffer { delisted_on, reason };
    send(write(Request::post(&paths::operator_delist(pid, oid)), None, None), Some(&body)).await
}

/// Corrects the partner's first benefit date, with the reason (audited).
pub async fn correct_first_benefit_date(pid: &str, first_benefit_date: chrono::NaiveDate, reason: String) -> ApiResult<benefits_api::feed::FirstBenefitDateChange> {
    let body = benefits_api::feed::FirstBenefitDate { first_benefit_date, reason };
    send(write(Request::put(&paths::first_benefit_date(pid)), None, None), Some(&body)).await
}

// ---- engagement managers (operators) ----

pub async fn assign_engagement_manager(pid: &str, user_id: Option<String>) -> ApiResult<benefits_api::operator::ManagerOfPartner> {
    let body = benefits_api::operator::ManagerAssignment { user_id };
    send(write(Request::put(&paths::engagement_manager(pid)), None, None), Some(&body)).await
}

// ---- notifications (types from benefits_api::notifications) ----

/// The newest notifications and the unread count.
pub async fn notifications(limit: i64) -> ApiResult<benefits_api::notifications::NotificationList> {
    get(format!("{}?limit={limit}", paths::NOTIFICATIONS)).await
}

/// The unread count alone, for the header's badge: the list's `unread`
/// read as [`benefits_api::notifications::Unread`] (the item it carries is
/// skipped, not decoded), which keeps the notification types out of the
/// first load.
pub async fn unread_count() -> ApiResult<benefits_api::notifications::Unread> {
    get(format!("{}?limit=1", paths::NOTIFICATIONS)).await
}

pub async fn mark_notification_read(id: i64) -> ApiResult<benefits_api::notifications::Unread> {
    send(write(Request::post(&paths::notification_read(id)), None, None), NO_BODY).await
}

pub async fn mark_all_notifications_read() -> ApiResult<benefits_api::notifications::Unread> {
    send(write(Request::post(paths::NOTIFICATIONS_READ_ALL), None, None), NO_BODY).await
}

pub async fn set_notification_preferences(
    patch: &benefits_api::notifications::PreferencesPatch,
) -> ApiResult<benefits_api::notifications::Preferences> {
    send(write(Request::patch(paths::NOTIFICATION_PREFERENCES), None, None), Some(patch)).await
}

/// A new secret calendar address (the previous one stops working).
pub async fn create_calendar_feed() -> ApiResult<benefits_api::notifications::CalendarFeed> {
    send(write(Request::post(paths::CALENDAR), None, None), NO_BODY).await
}

pub async fn revoke_calendar_feed() -> ApiResult<()> {
    send::<(), ()>(write(Request::delete(paths::CALENDAR), None, None), NO_BODY).await
}
