use leptos::prelude::*;

use crate::api::ApiError;
use crate::locale::text::fill;

/// One action bar for the rows ticked in a list: how many are selected, a
/// note when the rule asks for one, and the action's button. The whole set
/// is sent in one request (all or nothing); a refusal names the row.
#[component]
pub fn BulkBar(
    /// Prefix of the element ids (`{id}-note`, `{id}-apply`).
    id: &'static str,
    /// How many rows are ticked.
    #[prop(into)]
    selected: Signal<usize>,
    /// The bar's accessible name.
    #[prop(into)]
    label: TextProp,
    /// The button's text.
    #[prop(into)]
    action: TextProp,
    /// Asks for a note (required by the rule) and passes it to `on_apply`.
    #[prop(optional)]
    with_note: bool,
    pending: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    on_apply: Callback<String>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let note_id = format!("{id}-note");
    let error_id = format!("{id}-error");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if selected.get_untracked() == 0 || pending.get_untracked() {
            return;
        }
        on_apply.run(note.get_untracked().trim().to_string());
    };
    let described = error_id.clone();
    view! {
        <form class="bulk-bar" aria-label=label on:submit=submit novalidate=true>
            <p class="bulk-bar__count" role="status" id=format!("{id}-count")>
                {move || fill(crate::trs!(bulk.selected), &[("n", &selected.get().to_string())])}
            </p>
            {with_note.then(|| view! {
                <div class="field">
                    <label for=note_id.clone()>{crate::tr!(bulk.note)}</label>
                    <input id=note_id.clone() type="text" required=true maxlength="2000" autocomplete="off"
                        aria-describedby=move || error.with(|e| e.is_some().then(|| described.clone()))
                        prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                </div>
            })}
            <button type="submit" class="button" id=format!("{id}-apply") disabled=move || selected.get() == 0 || pending.get()>{move || action.get()}</button>
            {move || error.get().map(|e| view! {
                <p class="field__error" id=error_id.clone() role="alert">
                    {e.field.as_deref().and_then(row_number).map(|n| fill(crate::trs!(bulk.row), &[("n", &n.to_string())])).unwrap_or_default()}
                    {e.text()}
                </p>
            })}
        </form>
    }
}

/// The 1-based row a bulk refusal names (`sales[2]` → 3).
fn row_number(field: &str) -> Option<usize> {
    let i = field.split_once('[')?.1.split_once(']')?.0.parse::<usize>().ok()?;
    Some(i + 1)
}
