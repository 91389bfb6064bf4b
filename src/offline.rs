//! Offline: the last-synced copy of a partner's workspace, kept per user in
//! the browser without personal data, and the outbox of benefit actions made
//! while the network was down.
//!
//! What is stored (localStorage, keys `benefits.offline.v3.<user id>.*`): the
//! workspace without personal data — the evaluation input (offers, daily
//! sales totals, metrics, catalog), the benefit states, the partner's id and name,
//! whether a marketing contact is assigned — and the outbox. Never passwords, emails, phone numbers, people's names or
//! session ids (ASVS 14.3.3). Marketing contact changes need the network.
//!
//! How long: the copy is deleted once older than the server's
//! `--offline-max-age-days` (told in `GET /api/session/me`, 30 by default).
//! After the server answers 401 (the session ended or was revoked) the copy
//! is no longer shown: the app is signed out until someone signs in again.
//! Each user's outbox is their own: another user signing in on the same
//! browser never sends it and never deletes it; it waits for its owner.

use benefits_api::benefits::BenefitView;
use benefits_api::session::{PartnerInfo, SessionInfo, SessionUser, OFFLINE_MAX_AGE_DAYS};
use benefits_api::workspace::Workspace;
use benefits_domain::activation::{self, Action, Actor, Role};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};

// v3: the workspace's input is daily totals (v2 held every sales line; v1
// raw JSON of an older shape).
const PREFIX: &str = "benefits.offline.v3.";

/// The part of a workspace kept for offline use: the server's workspace with
/// every personal field removed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// When the server's answer was received (ISO 8601, the browser's clock).
    pub saved_at: String,
    pub workspace: Workspace,
}

impl Snapshot {
    /// Keeps what the offline pages need and drops the personal data: the
    /// account email, the contact's details, the engagement manager.
    pub fn of(ws: &Workspace, saved_at: String) -> Snapshot {
        let mut ws = ws.clone();
        ws.partner.account_email.clear();
        if let Some(c) = ws.contact.as_mut() {
            c.user_id.clear();
            // The pages say "assigned" in the user's language (an empty `user_id`).
            c.user_name.clear();
            c.email.clear();
            c.phone = None;
            c.language.clear();
            c.version = 0;
        }
        ws.engagement_manager = None;
        Snapshot { saved_at, workspace: ws }
    }

    /// The workspace on `today` (the pages recompute the evaluation from
    /// `input`), with the outbox's pending actions shown on their benefits.
    pub fn for_day(&self, today: NaiveDate, outbox: &Outbox, role: Role) -> Workspace {
        let mut ws = self.workspace.clone();
        ws.as_of = today;
        ws.input.as_of = today;
        // Whoever queued an action was allowed it then: preview it as that user.
        let actor = Actor { role, is_marketing_contact: true };
        let contact_assigned = ws.contact.is_some();
        for item in outbox.items.iter().filter(|i| i.state == OutboxState::Pending && i.partner_id == ws.partner.id) {
            let expires = ws.input.catalog.benefit(&item.benefit_id).and_then(|d| d.expires_after_days);
            if let Some(b) = ws.benefits.iter_mut().find(|b| b.id == item.benefit_id) {
                Outbox::preview(b, item.action, actor, contact_assigned, expires, today);
            }
        }
        ws
    }
}

/// Where an outbox item stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for the network.
    Pending,
    /// The benefit changed on the server since it was queued (HTTP 412).
    Conflict { message: String },
    /// The server refused it under a rule (e.g. a marketing contact is now required).
    Refused { code: String, message: String },
}

/// A benefit action made offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// Sent as `Idempotency-Key`: fixed when queued, so a retry never duplicates.
    pub key: String,
    pub partner_id: String,
    pub benefit_id: String,
    pub benefit_name: String,
    pub action: Action,
    /// Sent as `If-Match`: the benefit's version when the action was queued.
    pub version: i64,
    pub queued_at: String,
    #[serde(flatten)]
    pub state: OutboxState,
}

/// What the server said to one sent item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// No answer (offline, server down, 5xx, session expired): keep it and try later.
    TryLater,
    Conflict(String),
    Refused { code: String, message: String },
}

impl Outcome {
    pub fn from_result<T>(result: &Result<T, ApiError>) -> Outcome {
        match result {
            Ok(_) => Outcome::Done,
            Err(e) if e.status == 0 || e.status >= 500 || e.status == 401 || e.status == 429 => Outcome::TryLater,
            // Worded where it is shown (`offline.conflict_text`), in the user's language.
            Err(e) if e.status == 412 => Outcome::Conflict(e.code.clone()),
            Err(e) => Outcome::Refused { code: e.code.clone(), message: e.message.clone() },
        }
    }
}

/// The queue of offline actions, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub items: Vec<OutboxItem>,
}

impl Outbox {
    pub fn pending_count(&self) -> usize {
        self.items.iter().filter(|i| i.state == OutboxState::Pending).count()
    }

    pub fn needs_decision(&self) -> usize {
        self.items.len() - self.pending_count()
    }

    pub fn push(&mut self, item: OutboxItem) {
        self.items.push(item);
    }

    /// The next item to send: the oldest pending one whose benefit has no
    /// earlier item waiting for the user's decision (order per benefit is kept).
    pub fn next_to_send(&self) -> Option<&OutboxItem> {
        self.items.iter().enumerate().find_map(|(i, item)| {
            let blocked = self.items[..i]
                .iter()
                .any(|e| e.benefit_id == item.benefit_id && e.partner_id == item.partner_id && e.state != OutboxState::Pending);
            (item.state == OutboxState::Pending && !blocked).then_some(item)
        })
    }

    /// Records the server's answer. Only an answer removes an item.
    pub fn record(&mut self, key: &str, outcome: Outcome) {
        match outcome {
            Outcome::Done => self.items.retain(|i| i.key != key),
            Outcome::TryLater => {}
            Outcome::Conflict(message) => self.set_state(key, OutboxState::Conflict { message }),
            Outcome::Refused { code, message } => self.set_state(key, OutboxState::Refused { code, message }),
        }
    }

    fn set_state(&mut self, key: &str, state: OutboxState) {
        if let Some(item) = self.items.iter_mut().find(|i| i.key == key) {
            item.state = state;
        }
    }

    /// The user's decision: send again against the benefit's current version.
    /// A new key: the server already answered the old one.
    pub fn retry(&mut self, key: &str, current_version: i64, new_key: String) {
        if let Some(item) = self.items.iter_mut().find(|i| i.key == key) {
            item.version = current_version;
            item.key = new_key;
            item.state = OutboxState::Pending;
        }
    }

    /// The user's decision: drop the action.
    pub fn discard(&mut self, key: &str) {
        self.items.retain(|i| i.key != key);
    }

    /// A benefit as it will be once a queued action is accepted, by the
    /// domain's own transition, and its version one up (every accepted
    /// transition adds one), so that a further action queued on it follows the
    /// first one instead of conflicting. Unchanged when the rules refuse it.
    pub fn preview(benefit: &mut BenefitView, action: Action, actor: Actor, contact_assigned: bool, expires_after_days: Option<u32>, today: NaiveDate) {
        if let Ok(next) = activation::partner_action(&benefit.state(), action, actor, contact_assigned, expires_after_days, today) {
            *benefit = crate::ui::with_state(benefit, &next);
            benefit.version += 1;
        }
    }
}

// ---- storage (localStorage, per user) ----

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn key(user_id: &str, what: &str) -> String {
    format!("{PREFIX}{user_id}.{what}")
}

fn load<T: serde::de::DeserializeOwned>(user_id: &str, what: &str) -> Option<T> {
    let text = storage()?.get_item(&key(user_id, what)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn save<T: Serialize>(user_id: &str, what: &str, value: &T) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(value)) {
        let _ = s.set_item(&key(user_id, what), &text);
    }
}

/// The user's last-synced copy, unless it is older than they may keep it
/// (then it is deleted).
pub fn load_snapshot(user_id: &str) -> Option<Snapshot> {
    purge_if_expired(user_id, now_ms());
    load(user_id, "snapshot")
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

const DAY_MS: f64 = 86_400_000.0;

/// Whether a copy saved at `saved_at` (ISO 8601) is past `max_age_days` at
/// `now_ms`. A date that cannot be read counts as expired.
pub fn is_expired(saved_at: &str, now_ms: f64, max_age_days: u32) -> bool {
    let saved = js_sys::Date::parse(saved_at);
    saved.is_nan() || now_ms - saved > f64::from(max_age_days) * DAY_MS
}

/// Only the date of a stored copy: reading it must not pull the workspace's
/// deserializer into the app shell (the main module), which checks ages at start.
#[derive(Deserialize)]
struct SavedAt {
    saved_at: String,
}

/// Deletes the user's copy when it is too old; says whether one is left.
/// Their outbox stays: it is their decision, kept until they send or discard it.
fn purge_if_expired(user_id: &str, now_ms: f64) -> bool {
    let Some(copy) = load::<SavedAt>(user_id, "snapshot") else { return false };
    let max_age = identity(user_id).map_or(OFFLINE_MAX_AGE_DAYS, |who| who.max_age_days);
    if is_expired(&copy.saved_at, now_ms, max_age) {
        remove(user_id, "snapshot");
        return false;
    }
    true
}

/// Deletes every user's copy that is too old (at start).
pub fn purge_expired() {
    let now = now_ms();
    for user in stored_users() {
        purge_if_expired(&user, now);
    }
}

/// The users this browser holds anything for.
fn stored_users() -> Vec<String> {
    let Some(s) = storage() else { return Vec::new() };
    let len = s.length().unwrap_or(0);
    // A handful of keys: a linear check keeps sorting code out of the app shell.
    let mut users: Vec<String> = Vec::new();
    for k in (0..len).filter_map(|i| s.key(i).ok().flatten()) {
        if let Some((user, _)) = k.strip_prefix(PREFIX).and_then(|rest| rest.rsplit_once('.')) {
            if !users.iter().any(|u| u == user) {
                users.push(user.to_string());
            }
        }
    }
    users
}

fn remove(user_id: &str, what: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&key(user_id, what));
    }
}

/// Actions that other users of this browser queued and have not yet sent:
/// they wait for their owner to sign in again.
pub fn others_waiting(user_id: Option<&str>) -> usize {
    stored_users().iter().filter(|u| Some(u.as_str()) != user_id).map(|u| load_outbox(u).items.len()).sum()
}

pub fn save_snapshot(user_id: &str, snapshot: &Snapshot) {
    save(user_id, "snapshot", snapshot);
}

pub fn load_outbox(user_id: &str) -> Outbox {
    load(user_id, "outbox").unwrap_or_default()
}

pub fn save_outbox(user_id: &str, outbox: &Outbox) {
    save(user_id, "outbox", outbox);
}

/// Removes the user's copy and identity (sign-out, or another user signing
/// in). Their outbox stays while it holds anything: only its owner sends or
/// discards it.
pub fn clear_user(user_id: &str) {
    remove(user_id, "snapshot");
    remove(user_id, "identity");
    if load_outbox(user_id).items.is_empty() {
        remove(user_id, "outbox");
    }
}

/// The browser's current time, ISO 8601.
pub fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// Sends the outbox in order until it is empty, blocked, or the network fails.
/// Saves after every answer, so nothing is lost if the page closes midway.
/// Returns how many items the server accepted.
pub async fn flush(user_id: &str) -> usize {
    let mut done = 0;
    loop {
        let mut outbox = load_outbox(user_id);
        let Some(item) = outbox.next_to_send().cloned() else { break };
        let result = api::benefit_action(&item.partner_id, &item.benefit_id, item.action, item.version, &item.key).await;
        let outcome = Outcome::from_result(&result);
        let stop = outcome == Outcome::TryLater;
        if outcome == Outcome::Done {
            done += 1;
        }
        // Re-read: the user may have changed the outbox while the request was out.
        outbox = load_outbox(user_id);
        outbox.record(&item.key, outcome);
        save_outbox(user_id, &outbox);
        if stop {
            break;
        }
    }
    done
}

/// What the outbox's own wasm module does (see [`send_outbox`]).
pub enum OutboxJob {
    /// Send what waits ([`flush`]); the answer is how many were accepted.
    Send,
    /// The user chose to send a conflicting item again, against the benefit's
    /// current version: read it from the server and re-queue the item (1 if
    /// it was re-queued, 0 if the benefit could not be read or is gone).
    Retry { key: String, partner_id: String, benefit_id: String },
}

async fn run(user_id: &str, job: OutboxJob) -> usize {
    match job {
        OutboxJob::Send => flush(user_id).await,
        OutboxJob::Retry { key, partner_id, benefit_id } => {
            // The benefit list, not the whole workspace: less to read.
            let list = api::get::<Vec<benefits_api::benefits::BenefitView>>(benefits_api::paths::benefits(&partner_id)).await;
            let Some(version) = list.ok().and_then(|list| list.into_iter().find(|b| b.id == benefit_id).map(|b| b.version)) else {
                return 0;
            };
            let mut outbox = load_outbox(user_id);
            outbox.retry(&key, version, api::new_idempotency_key());
            save_outbox(user_id, &outbox);
            1
        }
    }
}

// ---- the reactive side: what the pages and banners show ----

use leptos::prelude::*;

/// Offline state shared by the pages: whether cached data is on screen, the
/// user's outbox, and whether a new build is waiting.
#[derive(Clone, Copy)]
pub struct OfflineState {
    /// `Some(saved_at)` while pages show the last-synced copy instead of live data.
    pub data_as_of: RwSignal<Option<String>>,
    pub outbox: RwSignal<Outbox>,
    pub update_ready: RwSignal<bool>,
    /// Bumped after the outbox was sent, so pages refetch.
    pub synced: RwSignal<u32>,
    session: Option<crate::session::Session>,
}

pub fn use_offline() -> OfflineState {
    expect_context::<OfflineState>()
}

/// Provides the offline state and listens for the network and for new builds.
pub fn provide_offline() -> OfflineState {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let state = OfflineState {
        data_as_of: RwSignal::new(None),
        outbox: RwSignal::new(Outbox::default()),
        update_ready: RwSignal::new(false),
        synced: RwSignal::new(0),
        session: use_context::<crate::session::Session>(),
    };
    provide_context(state);
    purge_expired();
    follow_session(state);
    let Some(window) = web_sys::window() else { return state };

    let ready = js_sys::Reflect::get(&window, &"benefitsUpdateReady".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    state.update_ready.set(ready);
    let on_update = Closure::<dyn Fn()>::new(move || state.update_ready.set(true));
    let _ = window.add_event_listener_with_callback("benefits:update-ready", on_update.as_ref().unchecked_ref());
    on_update.forget();

    let on_online = Closure::<dyn Fn()>::new(move || {
        if let Some(user) = current_user() {
            leptos::task::spawn_local(async move { sync(state, &user).await });
        }
    });
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    on_online.forget();
    state
}

/// The outbox on screen is the signed-in user's own: loaded when they sign in
/// (and sent, if the server has a live session for them), hidden when nobody is.
fn follow_session(state: OfflineState) {
    let Some(session) = state.session else { return };
    Effect::new(move |before: Option<Option<String>>| {
        let live = session.info.with(|i| i.as_ref().map(|i| (i.user.id.clone(), !i.csrf_token.is_empty())));
        let user = live.as_ref().map(|(id, _)| id.clone());
        if before.as_ref() != Some(&user) {
            state.outbox.set(user.as_deref().map(load_outbox).unwrap_or_default());
            if let Some((id, true)) = live {
                leptos::task::spawn_local(async move { sync(state, &id).await });
            }
        }
        user
    });
}

/// Asks the waiting service worker to take over; the page then reloads.
pub fn apply_update() {
    if let Some(w) = web_sys::window() {
        if let Ok(ev) = web_sys::CustomEvent::new("benefits:apply-update") {
            let _ = w.dispatch_event(&ev);
        }
    }
}

const LAST_USER: &str = "benefits.offline.v3.last_user";

/// The id of the user whose data this browser holds (an opaque id, no personal data).
pub fn current_user() -> Option<String> {
    storage()?.get_item(LAST_USER).ok().flatten()
}

pub fn set_current_user(user_id: Option<&str>) {
    if let Some(s) = storage() {
        let _ = match user_id {
            Some(id) => s.set_item(LAST_USER, id),
            None => s.remove_item(LAST_USER),
        };
    }
}

/// Sends the outbox, then refreshes what the pages show.
pub async fn sync(state: OfflineState, user_id: &str) {
    state.outbox.set(load_outbox(user_id));
    if state.outbox.with_untracked(|o| o.next_to_send().is_none()) {
        return;
    }
    // A page opened offline has no CSRF token yet: get one from the server first.
    if let Some(session) = state.session {
        if session.info.with_untracked(|i| i.as_ref().is_none_or(|i| i.csrf_token.is_empty())) {
            match api::me().await {
                Ok(info) => session.signed_in(info),
                Err(_) => return,
            }
        }
        // Only the owner's session sends the owner's outbox.
        if session.info.with_untracked(|i| i.as_ref().map(|i| i.user.id.as_str()) != Some(user_id)) {
            return;
        }
    }
    send_outbox(user_id, OutboxJob::Send).await;
    state.outbox.set(load_outbox(user_id));
    state.synced.update(|n| *n += 1);
}

/// An [`OutboxJob`], from its own wasm module in the split build: the code
/// that sends queued actions and reads the server's answers is fetched only
/// when there is something to send or re-queue, not with every first load. A
/// module that cannot be fetched (offline again) does nothing (0); the next
/// sync tries again.
pub async fn send_outbox(user_id: &str, job: OutboxJob) -> usize {
    #[cfg(feature = "split")]
    {
        use leptos::wasm_split::SplitLoaderError;
        use std::future::Future;
        use std::pin::Pin;
        type Sending = Pin<Box<dyn Future<Output = usize>>>;
        #[leptos::wasm_split::wasm_split(outbox_send, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn sending(user_id: String, job: OutboxJob) -> Result<Sending, SplitLoaderError> {
            Ok(Box::pin(async move { run(&user_id, job).await }))
        }
        match sending(user_id.to_string(), job).await {
            Ok(sent) => sent.await,
            Err(_) => 0,
        }
    }
    #[cfg(not(feature = "split"))]
    {
        run(user_id, job).await
    }
}

/// An ISO timestamp in the reader's locale and time zone.
pub fn format_timestamp(iso: &str) -> String {
    crate::locale::format::timestamp(crate::locale::current(), iso)
}

/// The partner's workspace: live when the server answers (and then kept for
/// offline use), else the last-synced copy for today, with the outbox's
/// pending actions applied.
pub async fn workspace(pid: &str) -> api::ApiResult<Workspace> {
    let state = use_offline_untracked();
    let user = current_user();
    match api::workspace(pid).await {
        Ok(ws) => {
            if let Some(user) = user.as_deref() {
                save_snapshot(user, &Snapshot::of(&ws, now_iso()));
                if let Some(state) = state {
                    state.data_as_of.set(None);
                    state.outbox.set(load_outbox(user));
                }
            }
            Ok(ws)
        }
        Err(e) if e.status == 0 => {
            let Some(user) = user else { return Err(e) };
            if identity(&user).is_none_or(|who| who.signed_out) {
                return Err(e);
            }
            let Some(snapshot) = load_snapshot(&user).filter(|s| s.workspace.partner.id == pid) else { return Err(e) };
            let outbox = load_outbox(&user);
            let role = load::<OfflineIdentity>(&user, "identity").map_or(Role::Member, |who| who.role);
            let ws = snapshot.for_day(crate::ui::today(), &outbox, role);
            if let Some(state) = state {
                state.outbox.set(outbox);
                state.data_as_of.set(Some(snapshot.saved_at));
            }
            Ok(ws)
        }
        Err(e) => Err(e),
    }
}

fn identity(user_id: &str) -> Option<OfflineIdentity> {
    load(user_id, "identity")
}

fn use_offline_untracked() -> Option<OfflineState> {
    use_context::<OfflineState>()
}

/// Queues a partner's benefit action made without a network.
pub fn queue_action(state: OfflineState, partner_id: &str, benefit: &BenefitView, action: Action) -> bool {
    let Some(user) = current_user() else { return false };
    let mut outbox = load_outbox(&user);
    outbox.push(OutboxItem {
        key: api::new_idempotency_key(),
        partner_id: partner_id.to_string(),
        benefit_id: benefit.id.clone(),
        benefit_name: benefit.name.clone(),
        action,
        version: benefit.version,
        queued_at: now_iso(),
        state: OutboxState::Pending,
    });
    save_outbox(&user, &outbox);
    state.outbox.set(outbox);
    true
}

/// Who is signed in, as far as the offline pages need it: ids and role only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfflineIdentity {
    pub user_id: String,
    pub role: benefits_domain::activation::Role,
    pub partner_id: Option<String>,
    pub partner_name: Option<String>,
    /// Days the copy may be kept (the server's setting when last signed in).
    #[serde(default = "default_max_age")]
    pub max_age_days: u32,
    /// The server answered 401 since: the copy is not shown until someone signs in.
    #[serde(default)]
    pub signed_out: bool,
}

fn default_max_age() -> u32 {
    OFFLINE_MAX_AGE_DAYS
}

/// Remembers the signed-in user for offline use (called after login and `me`).
pub fn remember(info: &SessionInfo) {
    let who = OfflineIdentity {
        user_id: info.user.id.clone(),
        role: info.user.role,
        partner_id: info.partner.as_ref().map(|p| p.id.clone()),
        partner_name: info.partner.as_ref().map(|p| p.name.clone()),
        max_age_days: info.offline_max_age_days,
        signed_out: false,
    };
    if current_user().as_deref() != Some(&who.user_id) {
        // Another user signs in on this browser: the previous one's copy goes,
        // their outbox waits for them.
        if let Some(previous) = current_user() {
            clear_user(&previous);
        }
    }
    set_current_user(Some(&who.user_id));
    save(&who.user_id, "identity", &who);
}

/// The session to show while the server cannot be reached: the remembered
/// user, without name, email or CSRF token (nothing can be changed but the outbox).
pub fn offline_session() -> Option<SessionInfo> {
    let user = current_user()?;
    let who = identity(&user).filter(|who| !who.signed_out)?;
    // Nothing to show without a copy young enough.
    purge_if_expired(&user, now_ms()).then_some(())?;
    Some(SessionInfo {
        user: SessionUser { id: who.user_id, email: String::new(), name: String::new(), role: who.role, language: None },
        partner: who.partner_id.map(|id| PartnerInfo { id, name: who.partner_name.unwrap_or_default(), account_email: String::new() }),
        csrf_token: String::new(),
        offline_max_age_days: who.max_age_days,
    })
}

/// The server answered 401: the session is over, so the copy is no longer
/// shown as signed in (it stays, within its age limit, for the next sign-in).
pub fn session_ended() {
    let Some(user) = current_user() else { return };
    if let Some(mut who) = identity(&user).filter(|who| !who.signed_out) {
        who.signed_out = true;
        save(&user, "identity", &who);
    }
}

/// Sign-out: forget the user and everything cached for them.
pub fn forget() {
    if let Some(user) = current_user() {
        clear_user(&user);
    }
    set_current_user(None);
}
