use benefits_api::notifications::{CalendarFeed, EventGroup, GroupPreference, Notification, NotificationList, Preferences, PreferencesPatch};
use benefits_api::paths;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::api::{self, ApiError};
use crate::loaded::{loaded, resource, Data};
use crate::unread::use_unread;

/// Your notifications (newest first, each linking to what it is about), which
/// of them you also get by email, and your private calendar address.
#[component]
pub fn Notifications() -> impl IntoView {
    crate::set_title(crate::tr!(nav.notifications));
    let unread = use_unread();
    // Fetched again whenever the count is refreshed (window focus, marking read).
    let list: Data<NotificationList> = Data::new(move || {
        unread.beat.track();
        api::notifications(100)
    });
    view! {
        <section class="page">
            <h1>{crate::tr!(nav.notifications)}</h1>
            <section class="card" aria-labelledby="inbox-title">
                <h2 id="inbox-title" class="card__title">{crate::tr!(notify.happened)}</h2>
                {move || loaded(list, crate::tr!(notify.what), move |l: NotificationList| inbox(l))}
            </section>
            <PreferencesCard />
            <CalendarCard />
        </section>
    }
}

fn inbox(list: NotificationList) -> impl IntoView {
    let unread = use_unread();
    let error = RwSignal::new(None::<ApiError>);
    let all_read = move |_| {
        spawn_local(async move {
            match api::mark_all_notifications_read().await {
                Ok(u) => {
                    unread.count.set(u.unread);
                    unread.refresh();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let count = list.unread;
    let summary = move || crate::locale::text::unread_count(crate::locale::current(), count);
    if list.items.is_empty() {
        return view! { <p class="hint" id="inbox-empty">{crate::tr!(notify.empty)}</p> }
            .into_any();
    }
    view! {
        <div class="inbox__bar">
            <p role="status" id="inbox-summary">{summary}</p>
            <button type="button" class="button button--secondary" on:click=all_read disabled=list.unread == 0>{crate::tr!(notify.mark_all)}</button>
        </div>
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e.text()}</p></div> })}
        <ul class="inbox" id="inbox">
            {list.items.into_iter().map(entry).collect_view()}
        </ul>
    }
    .into_any()
}

/// One notification: opening it marks it read.
fn entry(n: Notification) -> impl IntoView {
    let unread = use_unread();
    let id = n.id;
    let was_read = n.read;
    let open = move |_| {
        if !was_read {
            spawn_local(async move {
                if let Ok(u) = api::mark_notification_read(id).await {
                    unread.count.set(u.unread);
                }
            });
        }
    };
    let at = n.created_at.clone();
    let when = move || crate::locale::format::timestamp(crate::locale::current(), &at);
    view! {
        <li class=if n.read { "inbox__item" } else { "inbox__item inbox__item--unread" } data-kind=n.kind.as_str()>
            <A href=n.link.clone() on:click=open attr:class="inbox__link">
                {(!n.read).then(|| view! { <span class="visually-hidden">{crate::tr!(notify.unread)}</span> })}
                <span class="inbox__title">{n.title.clone()}</span>
            </A>
            <p class="inbox__body">{n.body.clone()}</p>
            <p class="inbox__when hint"><time datetime=n.created_at.clone()>{when}</time></p>
        </li>
    }
}

/// A group's name and what it covers, in the language shown now.
fn group_label(g: EventGroup) -> (&'static str, &'static str) {
    match g {
        EventGroup::BenefitUpdates => (crate::trs!(notify.benefit_updates), crate::trs!(notify.benefit_updates_hint)),
        EventGroup::TierNews => (crate::trs!(notify.tier_news), crate::trs!(notify.tier_news_hint)),
        EventGroup::Digests => (crate::trs!(notify.digests), crate::trs!(notify.digests_hint)),
    }
}

/// Email on or off per group; the in-app list always shows everything.
#[component]
fn PreferencesCard() -> impl IntoView {
    let prefs: Data<Preferences> = resource(|| paths::NOTIFICATION_PREFERENCES.to_string());
    view! {
        <section class="card" aria-labelledby="preferences-title" id="preferences">
            <h2 id="preferences-title" class="card__title">{crate::tr!(notify.email)}</h2>
            <p class="hint">{crate::tr!(notify.email_lead)}</p>
            {move || loaded(prefs, crate::tr!(notify.email_what), move |p: Preferences| preferences_form(p, prefs))}
        </section>
    }
}

fn preferences_form(p: Preferences, prefs: Data<Preferences>) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let toggle = move |group: EventGroup, on: bool| {
        let patch = match group {
            EventGroup::BenefitUpdates => PreferencesPatch { benefit_updates: Some(on), ..Default::default() },
            EventGroup::TierNews => PreferencesPatch { tier_news: Some(on), ..Default::default() },
            EventGroup::Digests => PreferencesPatch { digests: Some(on), ..Default::default() },
        };
        spawn_local(async move {
            match api::set_notification_preferences(&patch).await {
                Ok(_) => {
                    error.set(None);
                    prefs.refetch();
                }
                Err(e) => {
                    error.set(Some(e));
                    prefs.refetch();
                }
            }
        });
    };
    view! {
        <fieldset class="form-stack">
            <legend class="visually-hidden">{crate::tr!(notify.email_legend)}</legend>
            {p.groups.into_iter().map(|g: GroupPreference| {
                let group = g.group;
                let label = move || group_label(group).0;
                let hint = move || group_label(group).1;
                let id = format!("email-{}", g.group.as_str());
                let hint_id = format!("{id}-hint");
                view! {
                    <div class="field">
                        <div class="field field--check">
                            <input type="checkbox" id=id.clone() prop:checked=g.email disabled=g.locked attr:aria-describedby=hint_id.clone()
                                on:change=move |ev| toggle(group, event_target_checked(&ev)) />
                            <label for=id>{label}</label>
                        </div>
                        <p class="field__hint" id=hint_id>
                            {hint}
                            {g.locked.then(|| crate::tr!(notify.locked))}
                        </p>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e.text()}</p></div> })}
    }
}

/// The private calendar address: contact-by dates, expiry dates and the next anniversary.
#[component]
fn CalendarCard() -> impl IntoView {
    let status: Data<CalendarFeed> = resource(|| paths::CALENDAR.to_string());
    let made = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let create = move |_| {
        spawn_local(async move {
            match api::create_calendar_feed().await {
                Ok(feed) => {
                    error.set(None);
                    made.set(feed.url);
                    status.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |_| {
        spawn_local(async move {
            match api::revoke_calendar_feed().await {
                Ok(()) => {
                    made.set(None);
                    status.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="calendar-title">
            <h2 id="calendar-title" class="card__title">{crate::tr!(notify.calendar)}</h2>
            <p class="hint">{crate::tr!(notify.calendar_lead)}</p>
            {move || loaded(status, crate::tr!(notify.calendar_what), move |s: CalendarFeed| {
                let active = s.active;
                let label = move || if active { crate::trs!(notify.calendar_new) } else { crate::trs!(notify.calendar_create) };
                let state = move || if active { crate::trs!(notify.calendar_on) } else { crate::trs!(notify.calendar_off) };
                view! {
                    <p id="calendar-state">{state}</p>
                    <div class="form-actions">
                        <button type="button" class="button button--secondary" id="calendar-create" on:click=create>{label}</button>
                        {active.then(|| view! { <button type="button" class="button button--ghost" id="calendar-revoke" on:click=revoke>{crate::tr!(notify.calendar_revoke)}</button> })}
                    </div>
                }
            })}
            {move || made.get().map(|url| view! {
                <div class="field">
                    <label for="calendar-url">{crate::tr!(notify.calendar_url)}</label>
                    <input id="calendar-url" type="text" readonly=true prop:value=url />
                </div>
            })}
            {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e.text()}</p></div> })}
        </section>
    }
}
