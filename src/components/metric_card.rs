use leptos::prelude::*;

use crate::components::ProgressBar;
use crate::ui;

/// One tiering metric: its TTM value, today's tier and the gap to the next tier.
#[component]
pub fn MetricCard(
    #[prop(into)] name: String,
    #[prop(into)] value: String,
    tier: Option<u32>,
    /// The next tier and the amount still missing, as text.
    next: Option<(u32, String)>,
    progress: Option<u8>,
    /// A transact offer is live today (tiers count only then).
    transact_live: bool,
    #[prop(optional, into)] id: String,
) -> impl IntoView {
    let footer = match (&next, tier, transact_live) {
        (_, _, false) => view! { <p class="metric__note">"No tier: tiers count only while a transact offer is live."</p> }.into_any(),
        (Some((t, missing)), _, true) => {
            let label = format!("{name}: progress to tier {t}");
            let text = format!("{} of the way to tier {t}; {missing} to go", progress.map(|p| format!("{p}%")).unwrap_or_default());
            view! {
                <ProgressBar label=label percent=progress.unwrap_or(0) value_text=text />
                <p class="metric__note">
                    <strong>{missing.clone()}</strong>
                    {format!(" more to reach tier {t}")}
                </p>
            }
            .into_any()
        }
        (None, Some(_), true) => view! { <p class="metric__note">"✓ Top tier reached."</p> }.into_any(),
        (None, None, true) => view! { <p class="metric__note">"This metric has no tiers in the catalog."</p> }.into_any(),
    };
    view! {
        <article class="card metric" id=id>
            <h3 class="metric__name">{name.clone()}</h3>
            <p class="metric__value">{value}</p>
            <p class="metric__tier">
                "Today: " <span class="tier-chip" data-tier=tier.map(|t| t.to_string()).unwrap_or_default()>{ui::tier_label(tier)}</span>
            </p>
            {footer}
        </article>
    }
}
