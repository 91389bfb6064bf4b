use benefits_domain::catalog::{Aggregate, BenefitDef, MetricTiers, Tier};
use benefits_domain::evaluate::MetricName;
use benefits_domain::{BenefitKind, Catalog, Cents, OfferType};
use leptos::prelude::*;

use super::catalog_draft::{field_id, Draft};
use crate::locale::{self, format, text, text::fill};

/// The catalog version as a form: each metric's aggregate and tier
/// thresholds, which benefits each offer type and tier unlocks, and the
/// benefit definitions; rows can be added and removed. Every field shows the
/// domain's problem with it as the operator types.
#[component]
pub fn CatalogForm(draft: Draft) -> impl IntoView {
    move || {
        draft.shape.track();
        let mut c = draft.catalog.get_untracked();
        let metrics = [&MBS, &BIZAPPS, &TEAMS].map(|ops| metric_rows(draft, ops, &mut c));
        view! {
            {version_field(draft, &c)}
            <fieldset class="catalog-form__group">
                <legend>{crate::tr!(catalog_editor.metrics)}</legend>
                {metrics}
            </fieldset>
            {benefit_matrix(draft, &c)}
            {definitions(draft, &c)}
        }
        .into_any()
    }
}

fn parse_money(s: &str) -> Result<Cents, String> {
    s.trim().parse::<Cents>().map_err(|e| text::money_error(locale::current(), &e).to_string())
}

fn show_money(c: Cents) -> String {
    format::decimal_text(c)
}

fn parse_users(s: &str) -> Result<u64, String> {
    s.trim().parse::<u64>().map_err(|_| crate::trs!(catalog_editor.whole_number).to_string())
}

fn parse_tier(s: &str) -> Result<u32, String> {
    s.trim().parse::<u32>().map_err(|_| crate::trs!(catalog_editor.whole_number).to_string())
}

/// The error line under a field, and the attributes that tie it to its input.
fn error_line(draft: Draft, path: String, row: Option<String>) -> impl IntoView {
    let id = format!("{}-error", field_id(&path));
    move || {
        draft.error(&path, row.as_deref()).map(|m| view! { <p class="field__error" id=id.clone()>{m}</p> })
    }
}

/// A text input bound to one field of the draft.
fn input(draft: Draft, path: String, row: Option<String>, label: impl Fn() -> String + Send + Sync + 'static, value: String, apply: impl Fn(&str) -> Result<(), String> + 'static) -> impl IntoView {
    let id = field_id(&path);
    let err_id = format!("{id}-error");
    let (p, r) = (path.clone(), row.clone());
    let invalid = move || draft.error(&p, r.as_deref()).is_some();
    let on_path = path.clone();
    view! {
        <input id=id type="text" class="input" value=value aria-label=label
            aria-invalid=move || invalid().to_string() aria-describedby=err_id
            on:input=move |ev| {
                let r = apply(&event_target_value(&ev));
                draft.typed_result(&on_path, r);
            } />
        {error_line(draft, path, row)}
    }
}

fn version_field(draft: Draft, c: &Catalog) -> impl IntoView {
    let path = "catalog.version".to_string();
    view! {
        <div class="field">
            <label for=field_id(&path)>{crate::tr!(catalog_editor.version)}</label>
            {input(draft, path, None, || crate::trs!(catalog_editor.version).to_string(), c.version.clone(), move |s| {
                let s = s.to_string();
                draft.edit(|c| c.version = s);
                Ok(())
            })}
        </div>
    }
}

/// How the form reads and writes one metric's table. The rows are drawn by
/// one non-generic function for the three metrics (one copy of the view
/// code in the wasm), the few typed operations are these pointers.
struct MetricOps {
    metric: MetricName,
    key: &'static str,
    /// (tier, threshold as typed text, illustrative) per row.
    rows: fn(&Catalog) -> Vec<(u32, String, bool)>,
    aggregate: fn(&mut Catalog) -> &mut Aggregate,
    set_min: fn(&mut Catalog, usize, &str) -> Result<(), String>,
    tier_at: fn(&mut Catalog, usize) -> Option<(&mut u32, &mut bool)>,
    remove: fn(&mut Catalog, usize),
    add: fn(&mut Catalog),
}

fn at_mbs(c: &mut Catalog) -> &mut MetricTiers<Cents> {
    &mut c.metrics.mbs
}
fn at_bizapps(c: &mut Catalog) -> &mut MetricTiers<Cents> {
    &mut c.metrics.bizapps
}
fn at_teams(c: &mut Catalog) -> &mut MetricTiers<u64> {
    &mut c.metrics.teams_mau
}

fn rows_of<T: Copy>(m: &MetricTiers<T>, show: fn(T) -> String) -> Vec<(u32, String, bool)> {
    m.tiers.iter().map(|t| (t.tier, show(t.min), t.illustrative)).collect()
}
fn set_min_of<T>(m: &mut MetricTiers<T>, i: usize, s: &str, parse: fn(&str) -> Result<T, String>) -> Result<(), String> {
    let v = parse(s)?;
    if let Some(t) = m.tiers.get_mut(i) {
        t.min = v;
    }
    Ok(())
}
fn tier_at_of<T>(m: &mut MetricTiers<T>, i: usize) -> Option<(&mut u32, &mut bool)> {
    m.tiers.get_mut(i).map(|t| (&mut t.tier, &mut t.illustrative))
}
fn remove_of<T>(m: &mut MetricTiers<T>, i: usize) {
    if i < m.tiers.len() {
        m.tiers.remove(i);
    }
}
/// A new top row: the next tier number, the same threshold (to be raised).
fn add_of<T: Copy>(m: &mut MetricTiers<T>) {
    if let Some(t) = m.tiers.last().map(|t| Tier { tier: t.tier + 1, min: t.min, illustrative: true }) {
        m.tiers.push(t);
    }
}

const MBS: MetricOps = MetricOps {
    metric: MetricName::Mbs,
    key: "mbs",
    rows: |c| rows_of(&c.metrics.mbs, show_money),
    aggregate: |c| &mut at_mbs(c).aggregate,
    set_min: |c, i, s| set_min_of(at_mbs(c), i, s, parse_money),
    tier_at: |c, i| tier_at_of(at_mbs(c), i),
    remove: |c, i| remove_of(at_mbs(c), i),
    add: |c| add_of(at_mbs(c)),
};
const BIZAPPS: MetricOps = MetricOps {
    metric: MetricName::Bizapps,
    key: "bizapps",
    rows: |c| rows_of(&c.metrics.bizapps, show_money),
    aggregate: |c| &mut at_bizapps(c).aggregate,
    set_min: |c, i, s| set_min_of(at_bizapps(c), i, s, parse_money),
    tier_at: |c, i| tier_at_of(at_bizapps(c), i),
    remove: |c, i| remove_of(at_bizapps(c), i),
    add: |c| add_of(at_bizapps(c)),
};
const TEAMS: MetricOps = MetricOps {
    metric: MetricName::TeamsMau,
    key: "teams_mau",
    rows: |c| rows_of(&c.metrics.teams_mau, |n| n.to_string()),
    aggregate: |c| &mut at_teams(c).aggregate,
    set_min: |c, i, s| set_min_of(at_teams(c), i, s, parse_users),
    tier_at: |c, i| tier_at_of(at_teams(c), i),
    remove: |c, i| remove_of(at_teams(c), i),
    add: |c| add_of(at_teams(c)),
};

/// One metric's aggregate and its tier table.
fn metric_rows(draft: Draft, ops: &'static MetricOps, c: &mut Catalog) -> AnyView {
    let metric = ops.metric;
    let base = format!("catalog.metrics.{}", ops.key);
    let name = move || text::metric(locale::current(), metric).to_string();
    let agg_path = format!("{base}.aggregate");
    let agg_id = field_id(&agg_path);
    let current = *(ops.aggregate)(c);
    let rows = (ops.rows)(c).into_iter().enumerate().map(|(i, row)| tier_row(draft, &base, i, row, ops)).collect_view();
    let caption_id = format!("{}-caption", field_id(&base));
    let agg_error_id = format!("{}-error", field_id(&agg_path));
    view! {
        <div class="catalog-form__metric">
            <h3 id=caption_id.clone()>{name}</h3>
            <div class="field">
                <label for=agg_id.clone()>{move || fill(crate::trs!(catalog_editor.aggregate_of), &[("metric", &name())])}</label>
                <select id=agg_id class="input" aria-describedby=agg_error_id
                    on:change=move |ev| {
                        let a = if event_target_value(&ev) == "max" { Aggregate::Max } else { Aggregate::Sum };
                        draft.edit(|c| *(ops.aggregate)(c) = a);
                    }>
                    <option value="sum" selected=current == Aggregate::Sum>{crate::tr!(catalog_editor.sum)}</option>
                    <option value="max" selected=current == Aggregate::Max>{crate::tr!(catalog_editor.max)}</option>
                </select>
                {error_line(draft, agg_path, None)}
            </div>
            <div class="table-wrap">
                <table class="table table--compact" aria-labelledby=caption_id>
                    <thead><tr>
                        <th scope="col">{crate::tr!(catalog_editor.tier)}</th>
                        <th scope="col">{crate::tr!(catalog_editor.threshold)}</th>
                        <th scope="col">{crate::tr!(catalog_editor.illustrative)}</th>
                        <th scope="col"><span class="visually-hidden">{crate::tr!(catalog_editor.remove)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <button type="button" class="button button--small button--secondary" on:click=move |_| draft.reshape(ops.add)>
                {move || fill(crate::trs!(catalog_editor.add_tier_to), &[("metric", &name())])}
            </button>
        </div>
    }
    .into_any()
}

fn tier_row(draft: Draft, base: &str, i: usize, (tier, min, illustrative): (u32, String, bool), ops: &'static MetricOps) -> AnyView {
    let metric = ops.metric;
    let name = move || text::metric(locale::current(), metric).to_string();
    let row = format!("{base}.tiers[{i}]");
    let tier_label = move || fill(crate::trs!(catalog_editor.tier_number_of), &[("metric", &name()), ("row", &(i + 1).to_string())]);
    let min_label = move || fill(crate::trs!(catalog_editor.threshold_of), &[("metric", &name()), ("tier", &tier.to_string())]);
    view! {
        <tr>
            <td>{input(draft, format!("{row}.tier"), None, tier_label, tier.to_string(), move |s| {
                let n = parse_tier(s)?;
                draft.edit(|c| if let Some((t, _)) = (ops.tier_at)(c, i) { *t = n });
                Ok(())
            })}</td>
            <td>{input(draft, format!("{row}.min"), Some(row.clone()), min_label, min, move |s| {
                let mut r = Ok(());
                draft.edit(|c| r = (ops.set_min)(c, i, s));
                r
            })}</td>
            <td><input type="checkbox" checked=illustrative
                aria-label=move || fill(crate::trs!(catalog_editor.illustrative_of), &[("metric", &name()), ("tier", &tier.to_string())])
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    draft.edit(|c| if let Some((_, ill)) = (ops.tier_at)(c, i) { *ill = on });
                } /></td>
            <td><button type="button" class="button button--small button--ghost"
                aria-label=move || fill(crate::trs!(catalog_editor.remove_tier_of), &[("metric", &name()), ("tier", &tier.to_string())])
                on:click=move |_| draft.reshape(|c| (ops.remove)(c, i))>
                {crate::tr!(catalog_editor.remove)}
            </button></td>
        </tr>
    }
    .into_any()
}

/// Which benefits each offer type and each tier unlocks: one checkbox per
/// benefit and column; tiers can be added and removed.
fn benefit_matrix(draft: Draft, c: &Catalog) -> impl IntoView {
    let types = [OfferType::List, OfferType::Trial, OfferType::Consulting];
    let tiers: Vec<u32> = c.tier_benefits.keys().copied().collect();
    let next_tier = tiers.last().map_or(1, |t| t + 1);
    let head_types = types.map(|t| view! { <th scope="col">{move || text::offer_type(locale::current(), t)}</th> }).collect_view();
    let head_tiers = tiers
        .iter()
        .map(|&tier| {
            view! {
                <th scope="col">
                    {move || fill(crate::trs!(catalog_editor.tier_n), &[("tier", &tier.to_string())])}
                    " "
                    <button type="button" class="button button--small button--ghost"
                        aria-label=move || fill(crate::trs!(catalog_editor.remove_tier_benefits), &[("tier", &tier.to_string())])
                        on:click=move |_| draft.reshape(|c| { c.tier_benefits.remove(&tier); })>"×"</button>
                </th>
            }
        })
        .collect_view();
    let rows = c
        .benefits
        .iter()
        .map(|b| {
            let id = b.id.clone();
            let (bid, bname) = (b.id.clone(), b.name.clone());
            let name = move || text::benefit_name(locale::current(), &bid, &bname);
            let type_cells = types
                .map(|t| {
                    let id = id.clone();
                    let checked = c.offer_benefits.for_type(t).contains(&id);
                    let name = name.clone();
                    view! { <td>{membership_box(draft, checked, move || format!("{}: {}", text::offer_type(locale::current(), t), name()), move |c, on| toggle(offer_list(c, t), &id, on))}</td> }
                })
                .collect_view();
            let tier_cells = tiers
                .iter()
                .map(|&tier| {
                    let id = id.clone();
                    let checked = c.tier_benefits.get(&tier).is_some_and(|l| l.contains(&id));
                    let name = name.clone();
                    let label = move || format!("{}: {}", fill(crate::trs!(catalog_editor.tier_n), &[("tier", &tier.to_string())]), name());
                    view! { <td>{membership_box(draft, checked, label, move |c, on| toggle(c.tier_benefits.entry(tier).or_default(), &id, on))}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{name}</th>{type_cells}{tier_cells}</tr> }
        })
        .collect_view();
    view! {
        <fieldset class="catalog-form__group">
            <legend>{crate::tr!(catalog_editor.sets)}</legend>
            <p class="hint">{crate::tr!(catalog_editor.sets_hint)}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr!(catalog_editor.sets)>
                <table class="table table--compact" id="catalog-sets">
                    <thead><tr><th scope="col">{crate::tr!(catalog_editor.benefit)}</th>{head_types}{head_tiers}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <button type="button" class="button button--small button--secondary"
                on:click=move |_| draft.reshape(|c| { c.tier_benefits.entry(next_tier).or_default(); })>
                {move || fill(crate::trs!(catalog_editor.add_tier_benefits), &[("tier", &next_tier.to_string())])}
            </button>
        </fieldset>
    }
}

fn offer_list(c: &mut Catalog, t: OfferType) -> &mut Vec<String> {
    match t {
        OfferType::Trial => &mut c.offer_benefits.trial,
        OfferType::Consulting => &mut c.offer_benefits.consulting,
        _ => &mut c.offer_benefits.list,
    }
}

fn toggle(list: &mut Vec<String>, id: &str, on: bool) {
    if on && !list.iter().any(|b| b == id) {
        list.push(id.to_string());
    } else if !on {
        list.retain(|b| b != id);
    }
}

fn membership_box(draft: Draft, checked: bool, label: impl Fn() -> String + Send + Sync + 'static, set: impl Fn(&mut Catalog, bool) + 'static) -> impl IntoView {
    view! {
        <input type="checkbox" checked=checked aria-label=label
            on:change=move |ev| { let on = event_target_checked(&ev); draft.edit(|c| set(c, on)); } />
    }
}

/// The benefit definitions: id, name, kind and expiry; a renamed id is
/// renamed in every set that names it, a removed benefit leaves every set.
fn definitions(draft: Draft, c: &Catalog) -> impl IntoView {
    let rows = c.benefits.iter().enumerate().map(|(i, b)| definition_row(draft, i, b)).collect_view();
    view! {
        <fieldset class="catalog-form__group">
            <legend>{crate::tr!(catalog_editor.definitions)}</legend>
            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr!(catalog_editor.definitions)>
                <table class="table table--compact" id="catalog-definitions">
                    <thead><tr>
                        <th scope="col">{crate::tr!(catalog_editor.id)}</th>
                        <th scope="col">{crate::tr!(catalog_editor.name)}</th>
                        <th scope="col">{crate::tr!(catalog_editor.kind)}</th>
                        <th scope="col">{crate::tr!(catalog_editor.expires)}</th>
                        <th scope="col"><span class="visually-hidden">{crate::tr!(catalog_editor.remove)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <button type="button" class="button button--small button--secondary"
                on:click=move |_| draft.reshape(|c| {
                    let n = c.benefits.len() + 1;
                    c.benefits.push(BenefitDef { id: format!("new-benefit-{n}"), name: String::new(), kind: BenefitKind::Marketing, expires_after_days: None, description: None });
                })>
                {crate::tr!(catalog_editor.add_benefit)}
            </button>
        </fieldset>
    }
}

fn definition_row(draft: Draft, i: usize, b: &BenefitDef) -> impl IntoView {
    let row = format!("catalog.benefits[{i}]");
    let shown = b.name.clone();
    let who = move || if shown.is_empty() { format!("#{}", i + 1) } else { shown.clone() };
    let (w1, w2, w3, w4) = (who.clone(), who.clone(), who.clone(), who.clone());
    let kind = b.kind;
    view! {
        <tr>
            <td>{input(draft, format!("{row}.id"), None, move || fill(crate::trs!(catalog_editor.id_of), &[("benefit", &w1())]), b.id.clone(), move |s| {
                let new = s.trim().to_string();
                draft.edit(|c| rename(c, i, new));
                Ok(())
            })}</td>
            <td>{input(draft, format!("{row}.name"), None, move || fill(crate::trs!(catalog_editor.name_of), &[("benefit", &w2())]), b.name.clone(), move |s| {
                let s = s.to_string();
                draft.edit(|c| if let Some(b) = c.benefits.get_mut(i) { b.name = s });
                Ok(())
            })}</td>
            <td><select class="input" aria-label=move || fill(crate::trs!(catalog_editor.kind_of), &[("benefit", &w3())])
                on:change=move |ev| {
                    let k = match event_target_value(&ev).as_str() { "sales" => BenefitKind::Sales, "technical" => BenefitKind::Technical, _ => BenefitKind::Marketing };
                    draft.edit(|c| if let Some(b) = c.benefits.get_mut(i) { b.kind = k });
                }>
                {[BenefitKind::Marketing, BenefitKind::Sales, BenefitKind::Technical].map(|k| view! {
                    <option value=k.as_str() selected=k == kind>{move || text::benefit_kind(locale::current(), k)}</option>
                }).collect_view()}
            </select></td>
            <td>{input(draft, format!("{row}.expires_after_days"), None, move || fill(crate::trs!(catalog_editor.expires_of), &[("benefit", &w4())]),
                b.expires_after_days.map(|d| d.to_string()).unwrap_or_default(), move |s| {
                let days = if s.trim().is_empty() { None } else { Some(parse_tier(s)?) };
                draft.edit(|c| if let Some(b) = c.benefits.get_mut(i) { b.expires_after_days = days });
                Ok(())
            })}</td>
            <td><button type="button" class="button button--small button--ghost"
                aria-label=move || fill(crate::trs!(catalog_editor.remove_benefit), &[("benefit", &who())])
                on:click=move |_| draft.reshape(|c| remove_benefit(c, i))>{crate::tr!(catalog_editor.remove)}</button></td>
        </tr>
    }
}

/// Renames benefit `i` and every reference to its old id.
fn rename(c: &mut Catalog, i: usize, new: String) {
    let Some(old) = c.benefits.get(i).map(|b| b.id.clone()) else { return };
    let lists = [&mut c.offer_benefits.list, &mut c.offer_benefits.trial, &mut c.offer_benefits.consulting].into_iter().chain(c.tier_benefits.values_mut());
    for list in lists {
        for id in list.iter_mut().filter(|id| **id == old) {
            *id = new.clone();
        }
    }
    c.benefits[i].id = new;
}

fn remove_benefit(c: &mut Catalog, i: usize) {
    if i >= c.benefits.len() {
        return;
    }
    let id = c.benefits.remove(i).id;
    let lists = [&mut c.offer_benefits.list, &mut c.offer_benefits.trial, &mut c.offer_benefits.consulting].into_iter().chain(c.tier_benefits.values_mut());
    for list in lists {
        list.retain(|b| *b != id);
    }
}
