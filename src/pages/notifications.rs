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
    crate::set_title("Notifications");
    let unread = use_unread();
    // Fetched again whenever the count is refreshed (window focus, marking read).
    let list: Data<NotificationList> = LocalResource::new(move || {
        unread.beat.track();
        api::notifications(100)
    });
    view! {
        <section class="page">
            <h1>"Notifications"</h1>
            <section class="card" aria-labelledby="inbox-title">
                <h2 id="inbox-title" class="card__title">"What happened"</h2>
                {move || loaded(list, "your notifications", move |l: NotificationList| inbox(l))}
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
    let summary = match list.unread {
        0 => "Everything is read.".to_string(),
        1 => "1 unread.".to_string(),
        n => format!("{n} unread."),
    };
    if list.items.is_empty() {
        return view! { <p class="hint" id="inbox-empty">"Nothing yet: you are told here when a benefit moves, a tier is reached or a new benefit year starts."</p> }
            .into_any();
    }
    view! {
        <div class="inbox__bar">
            <p role="status" id="inbox-summary">{summary}</p>
            <button type="button" class="button button--secondary" on:click=all_read disabled=list.unread == 0>"Mark all as read"</button>
        </div>
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e.message}</p></div> })}
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
    let when = n.created_at.get(..10).unwrap_or(&n.created_at).to_string();
    view! {
        <li class=if n.read { "inbox__item" } else { "inbox__item inbox__item--unread" } data-kind=n.kind.as_str()>
            <A href=n.link.clone() on:click=open attr:class="inbox__link">
                {(!n.read).then(|| view! { <span class="visually-hidden">"Unread: "</span> })}
                <span class="inbox__title">{n.title.clone()}</span>
            </A>
            <p class="inbox__body">{n.body.clone()}</p>
            <p class="inbox__when hint"><time datetime=n.created_at.clone()>{when}</time></p>
        </li>
    }
}

fn group_label(g: EventGroup) -> (&'static str, &'static str) {
    match g {
        EventGroup::BenefitUpdates => ("Benefit updates", "A benefit is activated, contacted, in progress, delivered, revoked, about to expire or expired; a contact is assigned."),
        EventGroup::TierNews => ("Tier news", "A new tier is reached or a new benefit year starts."),
        EventGroup::Digests => ("Daily digest", "For the Rewards team: the activations whose contact date has passed."),
    }
}

/// Email on or off per group; the in-app list always shows everything.
#[component]
fn PreferencesCard() -> impl IntoView {
    let prefs: Data<Preferences> = resource(|| paths::NOTIFICATION_PREFERENCES.to_string());
    view! {
        <section class="card" aria-labelledby="preferences-title" id="preferences">
            <h2 id="preferences-title" class="card__title">"Email"</h2>
            <p class="hint">"Choose what you are also told by email. Every email links back here."</p>
            {move || loaded(prefs, "your email settings", move |p: Preferences| preferences_form(p, prefs))}
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
            <legend class="visually-hidden">"Email me about"</legend>
            {p.groups.into_iter().map(|g: GroupPreference| {
                let (label, hint) = group_label(g.group);
                let id = format!("email-{}", g.group.as_str());
                let hint_id = format!("{id}-hint");
                let group = g.group;
                view! {
                    <div class="field">
                        <div class="field field--check">
                            <input type="checkbox" id=id.clone() prop:checked=g.email disabled=g.locked attr:aria-describedby=hint_id.clone()
                                on:change=move |ev| toggle(group, event_target_checked(&ev)) />
                            <label for=id>{label}</label>
                        </div>
                        <p class="field__hint" id=hint_id>
                            {hint}
                            {g.locked.then(|| " As the marketing contact of an engagement under way, you always get these.")}
                        </p>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e.message}</p></div> })}
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
            <h2 id="calendar-title" class="card__title">"Calendar"</h2>
            <p class="hint">"Add the dates to the calendar you already use: the Rewards team's contact-by dates, expiry dates and the next benefit year. The address is private: anyone who has it sees these dates."</p>
            {move || loaded(status, "your calendar address", move |s: CalendarFeed| {
                let label = if s.active { "Make a new address" } else { "Create a calendar address" };
                view! {
                    <p>{if s.active { "Your calendar address is on. A new address stops the old one." } else { "You have no calendar address." }}</p>
                    <div class="form-actions">
                        <button type="button" class="button button--secondary" on:click=create>{label}</button>
                        {s.active.then(|| view! { <button type="button" class="button button--ghost" on:click=revoke>"Turn off"</button> })}
                    </div>
                }
            })}
            {move || made.get().map(|url| view! {
                <div class="field">
                    <label for="calendar-url">"Your calendar address (shown once: copy it into your calendar now)"</label>
                    <input id="calendar-url" type="text" readonly=true prop:value=url />
                </div>
            })}
            {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e.message}</p></div> })}
        </section>
    }
}
