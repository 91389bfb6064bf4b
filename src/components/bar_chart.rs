use leptos::prelude::*;

use crate::ui;

// Geometry in viewBox units; integers only, so no float formatting is shipped.
const W: i64 = 640;
const H: i64 = 240;
const LEFT: i64 = 56;
const RIGHT: i64 = 12;
const TOP: i64 = 14;
const BOTTOM: i64 = 34;

/// One row of figures of a chart: drawn as bars (`drawn`) or shown in its
/// table only. `None`: no figure for that category (drawn as no bar, shown as —).
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<u64>>,
    pub drawn: bool,
    /// Writes a value for the axis (first drawn series) and the table.
    pub format: fn(u64) -> String,
}

/// A bar chart drawn as SVG (an image named by its title and described in
/// words) followed by its figures as a table, so nothing is told by the
/// drawing alone.
#[component]
pub fn BarChart(
    id: &'static str,
    title: String,
    desc: String,
    /// The first column's header of the table (what the categories are).
    category_header: String,
    categories: Vec<String>,
    /// Shorter labels under the bars (the categories when empty).
    #[prop(optional)]
    ticks: Vec<String>,
    series: Vec<Series>,
    /// The axis top; the largest value rounded up when absent.
    #[prop(optional)]
    ceiling: Option<u64>,
) -> impl IntoView {
    let drawn: Vec<&Series> = series.iter().filter(|s| s.drawn).collect();
    let format = drawn.first().map_or(series.first().map_or(plain as fn(u64) -> String, |s| s.format), |s| s.format);
    let top = drawn.iter().flat_map(|s| s.values.iter().flatten()).copied().max().unwrap_or(0);
    let ceiling = ceiling.unwrap_or_else(|| ui::nice_ceiling(i128::from(top.max(1))) as u64).max(1) as i128;
    let plot_h = H - TOP - BOTTOM;
    let plot_w = W - LEFT - RIGHT;
    let n = categories.len().max(1) as i64;
    let slot100 = plot_w * 100 / n;
    let groups = drawn.len().max(1) as i64;
    // Each category's slot: 70 % bars (side by side, one per drawn series), 30 % gap.
    let bar100 = slot100 * 70 / 100 / groups;
    let x = |i: usize, k: usize| LEFT + (i as i64 * slot100 + slot100 * 15 / 100 + bar100 * k as i64) / 100;
    let y = |v: i128| TOP + plot_h - ui::bar_height(v, ceiling, plot_h);
    let ticks = if ticks.is_empty() { categories.clone() } else { ticks };
    // Label every k-th category so that at most about 14 labels fit.
    let every = categories.len().div_ceil(14).max(1);
    let bars = drawn
        .iter()
        .enumerate()
        .flat_map(|(k, s)| {
            s.values.iter().enumerate().filter_map(move |(i, v)| v.map(|v| (k, i, v, s.name.clone(), s.format)))
        })
        .map(|(k, i, v, name, f)| {
            let h = ui::bar_height(i128::from(v), ceiling, plot_h);
            let label = format!("{}, {}: {}", categories[i], name, f(v));
            view! {
                <rect class=format!("chart__bar chart__bar--{k}") x=x(i, k).to_string() y=(TOP + plot_h - h).to_string()
                    width=(bar100 / 100).max(1).to_string() height=h.to_string()><title>{label}</title></rect>
            }
        })
        .collect_view();
    let labels = ticks
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, t)| {
            let cx = LEFT + (i as i64 * slot100 + slot100 / 2) / 100;
            view! { <text class="chart__label" x=cx.to_string() y=(H - 12).to_string() text-anchor="middle">{t.clone()}</text> }
        })
        .collect_view();
    let axis = [0i128, ceiling / 2, ceiling]
        .into_iter()
        .map(|v| {
            view! {
                <text class="chart__axis" x=(LEFT - 8).to_string() y=(y(v) + 4).to_string() text-anchor="end">{format(v as u64)}</text>
                <line class="chart__grid" x1=LEFT.to_string() x2=(W - RIGHT).to_string() y1=y(v).to_string() y2=y(v).to_string() />
            }
        })
        .collect_view();
    let legend = (drawn.len() > 1).then(|| {
        drawn
            .iter()
            .enumerate()
            .map(|(k, s)| view! { <span class=format!("legend legend--{k}") aria-hidden="true"></span>{s.name.clone()}" " })
            .collect_view()
    });
    let head = series.iter().map(|s| view! { <th scope="col" class="num">{s.name.clone()}</th> }).collect_view();
    let rows = categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = series
                .iter()
                .map(|s| view! { <td class="num">{s.values.get(i).copied().flatten().map(s.format).unwrap_or_else(|| "—".into())}</td> })
                .collect_view();
            view! { <tr><th scope="row">{c.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let (title_id, desc_id, table_id) = (format!("{id}-title"), format!("{id}-desc"), format!("{id}-table"));
    let labelled_by = format!("{title_id} {desc_id}");
    let region_label = title.clone();
    let svg_title = title.clone();
    view! {
        <figure class="chart" id=id>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=labelled_by class="chart__svg">
                <title id=title_id>{svg_title}</title>
                <desc id=desc_id>{desc}</desc>
                {axis}
                {bars}
                {labels}
            </svg>
            {legend.map(|l| view! { <figcaption>{l}</figcaption> })}
            <div class="table-wrap" tabindex="0" role="region" aria-label=region_label>
                <table class="table table--compact" id=table_id>
                    <caption class="visually-hidden">{title}</caption>
                    <thead><tr><th scope="col">{category_header}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

fn plain(n: u64) -> String {
    n.to_string()
}
