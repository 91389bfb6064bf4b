use leptos::prelude::*;

/// A labelled select from (value, label) options, with its error message beside it.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into, optional)] error: MaybeProp<String>,
    #[prop(into, optional)] placeholder: Option<TextProp>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.with(|e| e.is_some()).then(|| error_id.clone())
    };
    view! {
        <div class="field" class:field--invalid=move || error.with(|e| e.is_some())>
            <label for=id.clone()>{move || label.get()}</label>
            <select
                id=id.clone()
                name=id.clone()
                aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {placeholder.map(|p| view! { <option value="">{move || p.get()}</option> })}
                {move || {
                    let current = value.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            {move || error.get().map(|e| view! { <p class="field__error" id=error_id.clone()><span aria-hidden="true">"✕ "</span>{e}</p> })}
        </div>
    }
}
