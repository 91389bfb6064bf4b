use leptos::prelude::*;

/// A labelled progress bar (0–100 %) whose value is also given in words.
#[component]
pub fn ProgressBar(#[prop(into)] label: TextProp, percent: u8, #[prop(into)] value_text: TextProp) -> impl IntoView {
    // Set through the CSSOM (`style:`), which the CSP's `style-src 'self'` allows; a style attribute it would block.
    let width = format!("{}%", percent.min(100));
    view! {
        <div
            class="progress"
            role="progressbar"
            aria-label=move || label.get()
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=percent.to_string()
            aria-valuetext=move || value_text.get()
        >
            <div class="progress__fill" style:width=width></div>
        </div>
    }
}
