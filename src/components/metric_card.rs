use leptos::prelude::*;

use crate::components::ProgressBar;
use crate::locale::text::fill;
use crate::ui;

/// One tiering metric: its TTM value, today's tier and the gap to the next tier.
#[component]
pub fn MetricCard(
    #[prop(into)] name: TextProp,
    /// The value as text (a closure, so it follows a language switch).
    #[prop(into)] value: TextProp,
    tier: Option<u32>,
    /// The next tier and the amount still missing, as text.
    next: Option<(u32, TextProp)>,
    progress: Option<u8>,
    /// A transact offer is live today (tiers count only then).
    transact_live: bool,
    #[prop(optional, into)] id: String,
) -> impl IntoView {
    let footer = match (&next, tier, transact_live) {
        (_, _, false) => view! { <p class="metric__note">{crate::tr!(metric.no_transact)}</p> }.into_any(),
        (Some((t, missing)), _, true) => {
            let tier = t.to_string();
            let label = {
                let (name, tier) = (name.clone(), tier.clone());
                move || fill(crate::trs!(metric.progress_label), &[("name", &name.get()), ("tier", &tier)])
            };
            let text = {
                let (missing, tier) = (missing.clone(), tier.clone());
                let percent = progress.map(|p| format!("{p}%")).unwrap_or_default();
                move || fill(crate::trs!(metric.progress_text), &[("percent", &percent), ("tier", &tier), ("missing", &missing.get())])
            };
            view! {
                <ProgressBar label=label percent=progress.unwrap_or(0) value_text=text />
                <p class="metric__note">
                    <strong>{let missing = missing.clone(); move || missing.get()}</strong>
                    {move || fill(crate::trs!(metric.more_to), &[("tier", &tier)])}
                </p>
            }
            .into_any()
        }
        (None, Some(_), true) => view! { <p class="metric__note">{crate::tr!(metric.top)}</p> }.into_any(),
        (None, None, true) => view! { <p class="metric__note">{crate::tr!(metric.no_tiers)}</p> }.into_any(),
    };
    view! {
        <article class="card metric" id=id>
            <h3 class="metric__name">{move || name.get()}</h3>
            <p class="metric__value">{move || value.get()}</p>
            <p class="metric__tier">
                {crate::tr!(metric.today)} <span class="tier-chip" data-tier=tier.map(|t| t.to_string()).unwrap_or_default()>{move || ui::tier_label(tier)}</span>
            </p>
            {footer}
        </article>
    }
}
