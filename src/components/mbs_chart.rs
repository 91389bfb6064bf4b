use benefits_domain::catalog::MetricTiers;
use benefits_domain::explain::MonthPoint;
use benefits_domain::Cents;
use leptos::prelude::*;

use crate::locale::text::fill;
use crate::ui;

// Geometry in viewBox units; integers only, so no float formatting is shipped.
const W: i64 = 640;
const H: i64 = 260;
const LEFT: i64 = 86;
const RIGHT: i64 = 12;
const TOP: i64 = 14;
const BOTTOM: i64 = 34;

/// Monthly MBS over the window as bars, the running total as a line, and the
/// MBS tier thresholds as dashed lines; the same figures follow as a table.
#[component]
pub fn MbsChart(months: Vec<MonthPoint>, tiers: MetricTiers<Cents>) -> impl IntoView {
    let mut running = 0i128;
    let cumulative: Vec<i128> = months
        .iter()
        .map(|m| {
            running += m.mbs.0 as i128;
            running
        })
        .collect();
    let top = cumulative.iter().copied().chain(months.iter().map(|m| m.mbs.0 as i128)).max().unwrap_or(0);
    // Show the next threshold above the total too, so the gap is visible.
    let next = tiers.tiers.iter().map(|t| t.min.0 as i128).find(|&min| min > top).unwrap_or(top);
    let ceiling = ui::nice_ceiling(next.max(top));
    let plot_h = H - TOP - BOTTOM;
    let plot_w = W - LEFT - RIGHT;
    let n = months.len().max(1) as i64;
    // Bar slots in hundredths of a unit, so that 12 or 13 months fill the width evenly.
    let slot100 = plot_w * 100 / n;
    let at = |i: usize, frac100: i64| LEFT + (i as i64 * slot100 + slot100 * frac100 / 100) / 100;
    let y = |v: i128| TOP + plot_h - ui::bar_height(v, ceiling, plot_h);

    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let h = ui::bar_height(m.mbs.0 as i128, ceiling, plot_h);
            let (month, mbs) = (m.month, m.mbs);
            view! {
                <rect class="chart__bar" x=at(i, 18).to_string() y=(TOP + plot_h - h).to_string() width=(slot100 * 64 / 10000).to_string() height=h.to_string()>
                    <title>{move || format!("{}: {}", ui::month_label(month, false), ui::usd(mbs))}</title>
                </rect>
                <text class="chart__label" x=at(i, 50).to_string() y=(H - 12).to_string() text-anchor="middle">
                    {move || ui::month_label(month, true)}
                </text>
            }
        })
        .collect_view();
    let line: String = cumulative
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{},{}", at(i, 50), y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let thresholds = tiers
        .tiers
        .iter()
        .filter(|t| t.min.0 > 0 && (t.min.0 as i128) <= ceiling)
        .map(|t| {
            let ty = y(t.min.0 as i128);
            let (tier, min) = (t.tier, t.min);
            view! {
                <line class="chart__threshold" x1=LEFT.to_string() x2=(W - RIGHT).to_string() y1=ty.to_string() y2=ty.to_string() />
                <text class="chart__threshold-label" x=(W - RIGHT - 4).to_string() y=(ty - 4).to_string() text-anchor="end">
                    {move || fill(crate::trs!(chart.threshold), &[("tier", &tier.to_string()), ("amount", &ui::usd_short(min))])}
                </text>
            }
        })
        .collect_view();
    let axis = [0i128, ceiling / 2, ceiling]
        .into_iter()
        .map(|v| {
            view! {
                <text class="chart__axis" x=(LEFT - 8).to_string() y=(y(v) + 4).to_string() text-anchor="end">
                    {move || ui::usd_short(Cents(v as i64))}
                </text>
                <line class="chart__grid" x1=LEFT.to_string() x2=(W - RIGHT).to_string() y1=y(v).to_string() y2=y(v).to_string() />
            }
        })
        .collect_view();
    let total = cumulative.last().copied().unwrap_or(0);
    let desc = move || fill(crate::trs!(chart.desc), &[("total", &ui::usd(Cents(total as i64)))]);
    let rows = months
        .iter()
        .zip(&cumulative)
        .map(|(m, c)| {
            let (month, mbs, running) = (m.month, m.mbs, Cents(*c as i64));
            view! {
                <tr>
                    <th scope="row">{move || ui::month_label(month, false)}</th>
                    <td class="num">{move || ui::usd(mbs)}</td>
                    <td class="num">{move || ui::usd(running)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="mbs-chart-title mbs-chart-desc" class="chart__svg">
                <title id="mbs-chart-title">{crate::tr!(chart.title)}</title>
                <desc id="mbs-chart-desc">{desc}</desc>
                {axis}
                {bars}
                {thresholds}
                <polyline class="chart__line" points=line fill="none" />
            </svg>
            <figcaption>
                <span class="legend legend--bar" aria-hidden="true"></span>{crate::tr!(chart.legend_bar)}
                <span class="legend legend--line" aria-hidden="true"></span>{crate::tr!(chart.legend_line)}
                <span class="legend legend--threshold" aria-hidden="true"></span>{crate::tr!(chart.legend_threshold)}
            </figcaption>
            <details class="chart__data">
                <summary>{crate::tr!(chart.show_table)}</summary>
                <table class="table">
                    <caption>{crate::tr!(chart.caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{crate::tr!(chart.month)}</th>
                            <th scope="col" class="num">{crate::tr!(chart.billed)}</th>
                            <th scope="col" class="num">{crate::tr!(chart.running)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
