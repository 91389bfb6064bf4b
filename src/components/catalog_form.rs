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
        let c = draft.catalog.get_untracked();
        view! {
            {version_field(draft, &c)}
            <fieldset class="catalog-form__group">
                <legend>{crate::tr!(catalog_editor.metrics)}</legend>
                {metric_rows(draft, MetricName::Mbs, &c.metrics.mbs, |c| &mut c.metrics.mbs, parse_money, show_money)}
                {metric_rows(draft, MetricName::Bizapps, &c.metrics.bizapps, |c| &mut c.metrics.bizapps, parse_money, show_money)}
                {metric_rows(draft, MetricName::TeamsMau, &c.metrics.teams_mau, |c| &mut c.metrics.teams_mau, parse_users, |n| n.to_string())}
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

/// One metric's aggregate and its tier table.
fn metric_rows<T: Copy + Ord + Send + Sync + 'static>(
    draft: Draft,
    metric: MetricName,
    tiers: &MetricTiers<T>,
    at: fn(&mut Catalog) -> &mut MetricTiers<T>,
    parse: fn(&str) -> Result<T, String>,
    show: fn(T) -> String,
) -> impl IntoView {
    let key = match metric {
        MetricName::Mbs => "mbs",
        MetricName::Bizapps => "bizapps",
        MetricName::TeamsMau => "teams_mau",
    };
    let base = format!("catalog.metrics.{key}");
    let name = move || text::metric(locale::current(), metric).to_string();
    let agg_path = format!("{base}.aggregate");
    let agg_id = field_id(&agg_path);
    let current = tiers.aggregate;
    let rows = tiers.tiers.iter().enumerate().map(|(i, t)| tier_row(draft, &base, i, t, at, parse, show, name)).collect_view();
    let caption_id = format!("{}-caption", field_id(&base));
    view! {
        <div class="catalog-form__metric">
            <h4 id=caption_id.clone()>{name}</h4>
            <div class="field">
                <label for=agg_id.clone()>{move || fill(crate::trs!(catalog_editor.aggregate_of), &[("metric", &name())])}</label>
                <select id=agg_id class="input" aria-describedby=format!("{}-error", field_id(&agg_path))
                    on:change=move |ev| {
                        let a = if event_target_value(&ev) == "max" { Aggregate::Max } else { Aggregate::Sum };
                        draft.edit(|c| at(c).aggregate = a);
                    }>
                    <option value="sum" selected=current == Aggregate::Sum>{crate::tr!(catalog_editor.sum)}</option>
                    <option value="max" selected=current == Aggregate::Max>{crate::tr!(catalog_editor.max)}</option>
                </select>
                {error_line(draft, agg_path.clone(), None)}
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
            <button type="button" class="button button--small button--secondary"
                on:click=move |_| draft.reshape(|c| {
                    let m = at(c);
                    let next = m.tiers.last().map(|t| Tier { tier: t.tier + 1, min: t.min, illustrative: true });
                    if let Some(t) = next { m.tiers.push(t) }
                })>
                {move || fill(crate::trs!(catalog_editor.add_tier_to), &[("metric", &name())])}
            </button>
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn tier_row<T: Copy + Ord + Send + Sync + 'static>(
    draft: Draft,
    base: &str,
    i: usize,
    t: &Tier<T>,
    at: fn(&mut Catalog) -> &mut MetricTiers<T>,
    parse: fn(&str) -> Result<T, String>,
    show: fn(T) -> String,
    name: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let row = format!("{base}.tiers[{i}]");
    let tier = t.tier;
    let tier_label = move || fill(crate::trs!(catalog_editor.tier_number_of), &[("metric", &name()), ("row", &(i + 1).to_string())]);
    let min_label = move || fill(crate::trs!(catalog_editor.threshold_of), &[("metric", &name()), ("tier", &tier.to_string())]);
    let illustrative = t.illustrative;
    view! {
        <tr>
            <td>{input(draft, format!("{row}.tier"), None, tier_label, t.tier.to_string(), move |s| {
                let n = parse_tier(s)?;
                draft.edit(|c| if let Some(t) = at(c).tiers.get_mut(i) { t.tier = n });
                Ok(())
            })}</td>
            <td>{input(draft, format!("{row}.min"), Some(row.clone()), min_label, show(t.min), move |s| {
                let v = parse(s)?;
                draft.edit(|c| if let Some(t) = at(c).tiers.get_mut(i) { t.min = v });
                Ok(())
            })}</td>
            <td><input type="checkbox" checked=illustrative
                aria-label=move || fill(crate::trs!(catalog_editor.illustrative_of), &[("metric", &name()), ("tier", &tier.to_string())])
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    draft.edit(|c| if let Some(t) = at(c).tiers.get_mut(i) { t.illustrative = on });
                } /></td>
            <td><button type="button" class="button button--small button--ghost"
                aria-label=move || fill(crate::trs!(catalog_editor.remove_tier_of), &[("metric", &name()), ("tier", &tier.to_string())])
                on:click=move |_| draft.reshape(|c| { let m = at(c); if i < m.tiers.len() { m.tiers.remove(i); } })>
                {crate::tr!(catalog_editor.remove)}
            </button></td>
        </tr>
    }
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
