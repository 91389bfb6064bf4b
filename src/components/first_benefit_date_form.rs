use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::locale::text::fill;
use crate::ui;

/// The partner's first benefit date (its benefit years start from it) and
/// its correction, with the reason the rule asks for (audited).
///
/// `saved` (the date last saved) belongs to the caller: saving refreshes the
/// ledger this form is drawn from, which draws a new form, and the
/// confirmation must outlive that. It is worded when shown, in the language
/// of the moment.
#[component]
pub fn FirstBenefitDateForm(
    pid: String,
    current: Option<NaiveDate>,
    saved: RwSignal<Option<NaiveDate>>,
    on_done: Callback<()>,
) -> impl IntoView {
    let day = RwSignal::new(current.map(|d| d.to_string()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let pid = StoredValue::new(pid);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let Ok(on) = day.get_untracked().parse::<NaiveDate>() else {
            error.set(Some(ApiError::local_field("first_benefit_date", |l| leptos_i18n::td_string!(l, partner360.date_needed))));
            return;
        };
        pending.set(true);
        spawn_local(async move {
            match api::correct_first_benefit_date(&pid.get_value(), on, reason.get_untracked()).await {
                Ok(change) => {
                    error.set(None);
                    reason.set(String::new());
                    saved.set(Some(change.first_benefit_date));
                    on_done.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let field_error = move |f: &'static str| move || error.with(|e| e.as_ref().and_then(|e| e.field_message(f)));
    view! {
        <section class="card" aria-labelledby="fbd-title">
            <h2 id="fbd-title" class="card__title">{crate::tr!(partner360.fbd_title)}</h2>
            <p id="fbd-current">{move || match current {
                Some(d) => fill(crate::trs!(partner360.fbd_current), &[("date", &ui::date_long(d))]),
                None => crate::trs!(partner360.fbd_none).to_string(),
            }}</p>
            <form class="form-stack" on:submit=submit novalidate=true>
                <div class="field" class:field--invalid=move || field_error("first_benefit_date")().is_some()>
                    <label for="fbd-date">{crate::tr!(partner360.fbd_new)}</label>
                    <input id="fbd-date" type="date" required=true bind:value=day aria-describedby="fbd-date-error" />
                    <p class="field__error" id="fbd-date-error">{field_error("first_benefit_date")}</p>
                </div>
                <div class="field" class:field--invalid=move || field_error("reason")().is_some()>
                    <label for="fbd-reason">{crate::tr!(partner360.reason)}</label>
                    <input id="fbd-reason" type="text" required=true maxlength="2000" bind:value=reason aria-describedby="fbd-reason-error" />
                    <p class="field__error" id="fbd-reason-error">{field_error("reason")}</p>
                </div>
                <div class="form-actions"><button type="submit" class="button" id="fbd-save" disabled=pending>{crate::tr!(partner360.fbd_save)}</button></div>
            </form>
            {move || error.get().filter(|e| e.field.is_none()).map(|e| view! {
                <p class="notice notice--error" role="alert">{e.text()}</p>
            })}
            {move || saved.get().map(|d| view! {
                <p class="notice notice--success" role="status" id="fbd-saved">
                    {move || fill(crate::trs!(partner360.fbd_saved), &[("date", &ui::date_long(d))])}
                </p>
            })}
        </section>
    }
}
