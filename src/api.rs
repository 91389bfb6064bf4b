//! The typed client of the server's JSON API (docs/API.md). Every call returns
//! `Result<T, ApiError>`; the shapes named "domain" there are the domain
//! crate's own serde types, used here unchanged.

use std::cell::RefCell;
use std::fmt;

use benefits_domain::activation::{Action, BenefitState, BenefitStatus, RevocationReason, Role};
use benefits_domain::catalog::{BenefitKind, Catalog};
use benefits_domain::contact::ContactInput;
use benefits_domain::evaluate::TicketReason;
use benefits_domain::{evaluate, explain, Evaluation, EvaluationInput, Explanation, OfferType};
use chrono::NaiveDate;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

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

/// One item of a multi-field error: a form field (`field`, `code`) or an import row (`line`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ErrorItem {
    #[serde(default)]
    pub line: Option<usize>,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub code: Option<String>,
    pub message: String,
}

/// The server's JSON error `{code, message, field?, errors?}`, or a network failure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// HTTP status; 0 when the server could not be reached.
    #[serde(skip)]
    pub status: u16,
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub errors: Vec<ErrorItem>,
}

impl ApiError {
    pub fn network(detail: impl fmt::Display) -> ApiError {
        ApiError {
            status: 0,
            code: "network".into(),
            message: format!("The server could not be reached ({detail}). Check your connection and try again."),
            ..ApiError::default()
        }
    }

    /// Parses an error body; a body that is not our JSON error still yields a message.
    pub fn from_body(status: u16, body: &str) -> ApiError {
        match serde_json::from_str::<ApiError>(body) {
            Ok(e) => ApiError { status, ..e },
            Err(_) => ApiError {
                status,
                code: "unexpected".into(),
                message: format!("The server answered with an unexpected error (HTTP {status})."),
                ..ApiError::default()
            },
        }
    }

    /// The message for one form field, from `errors` or the single `field`.
    pub fn field_message(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == field && e.line.is_none())
            .map(|e| e.message.clone())
            .or_else(|| (self.field.as_deref() == Some(field) && self.errors.is_empty()).then(|| self.message.clone()))
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

// ---- types (docs/API.md "Types") ----

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The language saved in the user's profile (`None` until they choose).
    #[serde(default)]
    pub language: Option<benefits_api::session::Language>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerInfo {
    pub id: String,
    pub name: String,
    pub account_email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: SessionUser,
    pub partner: Option<PartnerInfo>,
    pub csrf_token: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    pub live_on: NaiveDate,
    pub delisted_on: Option<NaiveDate>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub user_id: String,
    pub email: String,
    pub phone: String,
    pub language: String,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub reason: RevocationReason,
    pub reason_text: String,
    pub note: Option<String>,
    pub on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitView {
    pub id: String,
    pub name: String,
    pub kind: BenefitKind,
    pub description: Option<String>,
    pub status: BenefitStatus,
    pub unlocked: bool,
    pub year_start: Option<NaiveDate>,
    pub activated_on: Option<NaiveDate>,
    pub contact_by: Option<NaiveDate>,
    pub contact_overdue: bool,
    pub expires_on: Option<NaiveDate>,
    pub revocation: Option<Revocation>,
    pub actions: Vec<Action>,
    pub version: i64,
}

impl BenefitView {
    /// The domain state this view describes, for the state machine's checks.
    pub fn state(&self) -> BenefitState {
        BenefitState {
            status: self.status,
            activated_on: self.activated_on,
            contact_by: self.contact_by,
            expires_on: self.expires_on,
            changed_on: None,
            revocation: self.revocation.as_ref().map(|r| r.reason),
            note: self.revocation.as_ref().and_then(|r| r.note.clone()),
        }
    }

    /// This view with the status and dates of `state` (an optimistic preview of
    /// a transition; the server's answer replaces it).
    pub fn with_state(&self, state: &BenefitState) -> BenefitView {
        BenefitView {
            status: state.status,
            activated_on: state.activated_on,
            contact_by: state.contact_by,
            expires_on: state.expires_on,
            contact_overdue: false,
            revocation: if state.revocation.is_some() { self.revocation.clone() } else { None },
            actions: Vec::new(),
            ..self.clone()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportAdvice {
    pub advised: bool,
    pub reason: Option<TicketReason>,
    pub message: Option<String>,
}

/// Everything the partner pages show, in one response. The server's
/// `evaluation` and `explanation` are not read: the pages recompute both from
/// `input` with the domain's own `evaluate` and `explain` (the same pure
/// functions, so the same answer), which keeps their parsers out of the download.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Workspace {
    pub partner: PartnerInfo,
    pub as_of: NaiveDate,
    pub catalog_version: String,
    pub input: EvaluationInput,
    pub benefits: Vec<BenefitView>,
    pub contact: Option<ContactView>,
    pub engagement_manager: Option<Person>,
    pub support_ticket: SupportAdvice,
}

impl Workspace {
    pub fn evaluation(&self) -> Evaluation {
        evaluate(&self.input)
    }

    pub fn explanation(&self) -> Explanation {
        explain(&self.input)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sale {
    /// The server's row id: an integer (docs/API.md).
    pub id: i64,
    pub external_id: String,
    pub date: NaiveDate,
    pub amount_usd: benefits_domain::Cents,
    pub status: benefits_domain::SaleStatus,
    pub fraud: bool,
    pub effective_status: benefits_domain::SaleStatus,
    pub offer_id: String,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub kind: String,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub account_email: String,
    pub effective_tier: Option<u32>,
    pub transact_tier_today: Option<u32>,
    pub mbs: benefits_domain::Cents,
    pub active_activations: u64,
    pub overdue: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationContact {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub language: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationRow {
    pub partner_id: String,
    pub partner_name: String,
    pub benefit_id: String,
    pub benefit_name: String,
    pub year_start: Option<NaiveDate>,
    pub status: BenefitStatus,
    pub activated_on: Option<NaiveDate>,
    pub contact_by: Option<NaiveDate>,
    pub contact_overdue: bool,
    pub version: i64,
    pub contact: Option<ActivationContact>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogVersion {
    pub version: String,
    pub published_at: String,
    #[serde(default)]
    pub published_by: serde_json::Value,
    pub current: bool,
    pub catalog: Catalog,
}

// ---- transport ----

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

/// Adds the CSRF token that every state-changing request made in a session needs.
fn with_csrf(req: RequestBuilder) -> RequestBuilder {
    match csrf_token() {
        Some(t) => req.header("X-CSRF-Token", &t),
        None => req,
    }
}

fn if_match(req: RequestBuilder, version: Option<i64>) -> RequestBuilder {
    match version {
        Some(v) => req.header("If-Match", &format!("\"{v}\"")),
        None => req,
    }
}

/// The body of a successful response, or the server's error.
async fn read_text(res: Result<Response, gloo_net::Error>) -> ApiResult<String> {
    let res = res.map_err(ApiError::network)?;
    let status = res.status();
    let text = res.text().await.map_err(ApiError::network)?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(ApiError::from_body(status, &text))
    }
}

/// Reads a successful JSON body as `T` (an empty body as `null`).
pub fn parse<T: DeserializeOwned>(text: &str) -> ApiResult<T> {
    let body = if text.is_empty() { "null" } else { text };
    serde_json::from_str(body).map_err(|e| ApiError {
        status: 200,
        code: "unexpected_response".into(),
        message: format!("The server's answer could not be read ({e})."),
        ..ApiError::default()
    })
}

async fn read<T: DeserializeOwned>(res: Result<Response, gloo_net::Error>) -> ApiResult<T> {
    parse(&read_text(res).await?)
}

/// A GET returning the JSON text: one non-generic function for every page's
/// resource, which keeps the download small; pages parse with [`parse`].
pub async fn get_text(url: String) -> ApiResult<String> {
    read_text(Request::get(&url).header("Accept", "application/json").send().await).await
}

async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    parse(&get_text(url.to_string()).await?)
}

/// A state-changing request with an optional JSON body.
async fn send<T: DeserializeOwned, B: Serialize>(
    req: RequestBuilder,
    body: Option<&B>,
    version: Option<i64>,
    create: bool,
) -> ApiResult<T> {
    let mut req = if_match(with_csrf(req.header("Accept", "application/json")), version);
    if create {
        req = req.header("Idempotency-Key", &new_idempotency_key());
    }
    let sent = match body {
        Some(b) => req.json(b).map_err(ApiError::network)?.send().await,
        None => req.send().await,
    };
    read(sent).await
}

const NO_BODY: Option<&()> = None;

fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

fn partner_url(pid: &str, rest: &str) -> String {
    format!("/api/partners/{}{rest}", enc(pid))
}

// ---- session ----

pub async fn login(email: &str, password: &str) -> ApiResult<SessionInfo> {
    #[derive(Serialize)]
    struct Login<'a> {
        email: &'a str,
        password: &'a str,
    }
    let req = Request::post("/api/session/login").header("X-Requested-With", "benefits").header("Accept", "application/json");
    let sent = req.json(&Login { email, password }).map_err(ApiError::network)?.send().await;
    let info: SessionInfo = read(sent).await?;
    set_csrf_token(Some(info.csrf_token.clone()));
    Ok(info)
}

pub async fn logout() -> ApiResult<()> {
    let r = send::<(), ()>(Request::post("/api/session/logout"), NO_BODY, None, false).await;
    set_csrf_token(None);
    r
}

pub async fn me() -> ApiResult<SessionInfo> {
    let info: SessionInfo = get("/api/session/me").await?;
    set_csrf_token(Some(info.csrf_token.clone()));
    Ok(info)
}

/// Saves the signed-in user's language in their profile.
pub async fn set_language(language: benefits_api::session::Language) -> ApiResult<()> {
    let body = benefits_api::session::LanguagePreference { language };
    send::<benefits_api::session::LanguagePreference, _>(Request::put("/api/session/me/language"), Some(&body), None, false).await.map(|_| ())
}

// ---- partner ----

pub fn workspace_url(pid: &str) -> String {
    partner_url(pid, "/workspace")
}

pub async fn workspace(pid: &str) -> ApiResult<Workspace> {
    get(&workspace_url(pid)).await
}

pub fn users_url(pid: &str) -> String {
    partner_url(pid, "/users")
}

#[derive(Clone, Debug, Serialize)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: Role,
}

pub async fn add_user(pid: &str, user: &NewUser) -> ApiResult<User> {
    send(Request::post(&partner_url(pid, "/users")), Some(user), None, true).await
}

pub async fn set_role(pid: &str, uid: &str, role: Role, version: i64) -> ApiResult<User> {
    #[derive(Serialize)]
    struct Body {
        role: Role,
    }
    send(Request::patch(&partner_url(pid, &format!("/users/{}", enc(uid)))), Some(&Body { role }), Some(version), false).await
}

pub async fn delete_user(pid: &str, uid: &str, version: i64) -> ApiResult<()> {
    send::<(), ()>(Request::delete(&partner_url(pid, &format!("/users/{}", enc(uid)))), NO_BODY, Some(version), false).await
}

/// The marketing contact, or `None` when none is assigned yet.
pub async fn contact(pid: &str) -> ApiResult<Option<Contact>> {
    match get(&partner_url(pid, "/contact")).await {
        Ok(c) => Ok(Some(c)),
        Err(e) if e.status == 404 => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn put_contact(pid: &str, input: &ContactInput, version: Option<i64>) -> ApiResult<Contact> {
    send(Request::put(&partner_url(pid, "/contact")), Some(input), version, false).await
}

/// A partner's action on a benefit: `Activate` or `OptOut`.
pub async fn benefit_action(pid: &str, bid: &str, action: Action, version: i64) -> ApiResult<BenefitView> {
    benefit_action_keyed(pid, bid, action, version, &new_idempotency_key()).await
}

/// [`benefit_action`] with a given `Idempotency-Key`: the outbox keeps its key
/// across retries, so the server applies an offline action at most once.
pub async fn benefit_action_keyed(pid: &str, bid: &str, action: Action, version: i64, key: &str) -> ApiResult<BenefitView> {
    let verb = if action == Action::OptOut { "opt-out" } else { "activate" };
    let url = partner_url(pid, &format!("/benefits/{}/{verb}", enc(bid)));
    let req = if_match(with_csrf(Request::post(&url).header("Accept", "application/json")), Some(version));
    read(req.header("Idempotency-Key", key).send().await).await
}

pub fn offers_url(pid: &str) -> String {
    partner_url(pid, "/offers")
}

#[derive(Clone, Debug, Serialize)]
pub struct NewOffer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub offer_type: OfferType,
    pub live_on: NaiveDate,
}

pub async fn add_offer(pid: &str, offer: &NewOffer) -> ApiResult<Offer> {
    send(Request::post(&partner_url(pid, "/offers")), Some(offer), None, true).await
}

pub async fn delist_offer(pid: &str, oid: &str, on: NaiveDate, version: i64) -> ApiResult<Offer> {
    #[derive(Serialize)]
    struct Body {
        delisted_on: NaiveDate,
    }
    let url = partner_url(pid, &format!("/offers/{}/delist", enc(oid)));
    send(Request::post(&url), Some(&Body { delisted_on: on }), Some(version), false).await
}

/// The three imports and their export counterparts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    Sales,
    Bizapps,
    TeamsMau,
}

impl DataKind {
    pub const ALL: [DataKind; 3] = [DataKind::Sales, DataKind::Bizapps, DataKind::TeamsMau];

    pub fn slug(self) -> &'static str {
        match self {
            DataKind::Sales => "sales",
            DataKind::Bizapps => "bizapps",
            DataKind::TeamsMau => "teams-mau",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DataKind::Sales => "Marketplace billed sales",
            DataKind::Bizapps => "Business Applications value",
            DataKind::TeamsMau => "Teams app MAU",
        }
    }

    pub fn columns(self) -> &'static str {
        match self {
            DataKind::Sales => "external_id,date,amount_usd,status,offer_id",
            DataKind::Bizapps => "external_id,month,amount_usd",
            DataKind::TeamsMau => "external_id,app,month,mau",
        }
    }
}

pub fn export_url(pid: &str, kind: DataKind) -> String {
    partner_url(pid, &format!("/export/{}.csv", kind.slug()))
}

pub fn export_json_url(pid: &str) -> String {
    partner_url(pid, "/export.json")
}

pub async fn import_csv(pid: &str, kind: DataKind, csv: String) -> ApiResult<ImportSummary> {
    let url = partner_url(pid, &format!("/imports/{}", kind.slug()));
    let req = with_csrf(Request::post(&url))
        .header("Accept", "application/json")
        .header("Idempotency-Key", &new_idempotency_key())
        .header("Content-Type", "text/csv");
    read(req.body(csv).map_err(ApiError::network)?.send().await).await
}

// ---- operator ----

pub fn operator_partners_url(q: &str) -> String {
    format!("/api/operator/partners?q={}", enc(q))
}

pub fn operator_sales_url(pid: &str) -> String {
    format!("/api/operator/partners/{}/sales", enc(pid))
}

pub fn operator_benefits_url(pid: &str) -> String {
    format!("/api/operator/partners/{}/benefits", enc(pid))
}

pub async fn set_fraud(sale_id: i64, fraud: bool, version: i64) -> ApiResult<Sale> {
    #[derive(Serialize)]
    struct Body {
        fraud: bool,
    }
    let url = format!("/api/operator/sales/{sale_id}/fraud");
    send(Request::post(&url), Some(&Body { fraud }), Some(version), false).await
}

pub const ACTIVATIONS_URL: &str = "/api/operator/activations";

pub async fn advance(pid: &str, bid: &str, to: BenefitStatus, version: i64) -> ApiResult<BenefitView> {
    #[derive(Serialize)]
    struct Body {
        to: BenefitStatus,
    }
    let url = format!("/api/operator/partners/{}/benefits/{}/advance", enc(pid), enc(bid));
    send(Request::post(&url), Some(&Body { to }), Some(version), false).await
}

pub async fn revoke(pid: &str, bid: &str, reason: RevocationReason, note: Option<String>, version: i64) -> ApiResult<BenefitView> {
    #[derive(Serialize)]
    struct Body {
        reason: RevocationReason,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }
    let url = format!("/api/operator/partners/{}/benefits/{}/revoke", enc(pid), enc(bid));
    send(Request::post(&url), Some(&Body { reason, note }), Some(version), false).await
}

pub const CATALOGS_URL: &str = "/api/operator/catalogs";

pub async fn publish_catalog(catalog_json: String) -> ApiResult<serde_json::Value> {
    let req = with_csrf(Request::post("/api/operator/catalogs"))
        .header("Accept", "application/json")
        .header("Content-Type", "application/json");
    read(req.body(catalog_json).map_err(ApiError::network)?.send().await).await
}
