use leptos::prelude::*;

use crate::locale::text::fill;
use crate::ui;

/// Where a page of a server-paged list is (`Rows 51–100 of 2,500`, so that
/// nothing is cut off silently) and the buttons to the previous and next page.
#[component]
pub fn Pager(
    /// Prefix of the element ids (`{id}-count`, `{id}-prev`, `{id}-next`).
    id: &'static str,
    /// The navigation's name (unique on the page).
    #[prop(into)]
    label: TextProp,
    offset: u64,
    limit: u32,
    total: u64,
    /// Rows on this page.
    shown: usize,
    on_go: Callback<u64>,
) -> impl IntoView {
    let limit = u64::from(limit.max(1));
    let (first, last) = (offset + 1, offset + shown as u64);
    let summary = move || match (shown, total) {
        (_, 0) => crate::trs!(bulk.no_rows).to_string(),
        (0, n) => fill(crate::trs!(partners.none_on_page), &[("total", &ui::count(n))]),
        (_, n) => fill(crate::trs!(bulk.range), &[("first", &ui::count(first)), ("last", &ui::count(last)), ("total", &ui::count(n))]),
    };
    let prev = offset.saturating_sub(limit);
    let next = offset + limit;
    view! {
        <p id=format!("{id}-count") role="status">{summary}</p>
        <nav class="pager" aria-label=label>
            <button type="button" class="button button--secondary" id=format!("{id}-prev") disabled=offset == 0 on:click=move |_| on_go.run(prev)>{crate::tr!(partners.prev)}</button>
            <button type="button" class="button button--secondary" id=format!("{id}-next") disabled=next >= total on:click=move |_| on_go.run(next)>{crate::tr!(partners.next)}</button>
        </nav>
    }
}
