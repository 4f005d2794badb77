//! Server-rendered SVG charts, readable without JavaScript, each with a data table.

use chrono::NaiveDate;
use leptos::prelude::*;

/// A labelled progress bar (0..=1), using the native `<progress>` element.
#[component]
pub fn ProgressBar(
    /// Progress from 0 to 1.
    progress: f64,
    /// What the bar measures, for screen readers.
    label: String,
) -> impl IntoView {
    let percent = (progress.clamp(0.0, 1.0) * 100.0).round();
    view! {
        <div class="progress">
            <progress max="100" value=percent aria-label=label>
                {format!("{percent}%")}
            </progress>
            <span class="progress-figure">{format!("{percent}%")}</span>
        </div>
    }
}

/// Formats a quantity without needless decimals: 1200 -> "1,200", 2.5 -> "2.5".
pub fn figure(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let whole = rounded.trunc() as i64;
    let fraction = (rounded - rounded.trunc()).abs();
    let digits = whole.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if whole < 0 { "-" } else { "" };
    if fraction > 0.0 {
        let decimals = format!("{fraction:.2}");
        format!("{sign}{grouped}{}", decimals.trim_start_matches('0').trim_end_matches('0'))
    } else {
        format!("{sign}{grouped}")
    }
}

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 220.0;
const PAD: f64 = 36.0;

/// Cumulative progress over time as a step line, with the target as a dashed line.
#[component]
pub fn ProgressChart(
    /// Chart title.
    title: String,
    /// (date, cumulative total) points, oldest first.
    points: Vec<(NaiveDate, f64)>,
    /// The target line.
    target: f64,
    /// Unit for labels.
    unit: String,
) -> impl IntoView {
    if points.is_empty() {
        return view! { <p class="empty">"No verified progress yet."</p> }.into_any();
    }
    let first = points.first().map(|p| p.0).unwrap_or_default();
    let last = points.last().map(|p| p.0).unwrap_or_default();
    let span = ((last - first).num_days().max(1)) as f64;
    let top = points.iter().map(|p| p.1).fold(target, f64::max).max(1.0);
    let x = move |d: NaiveDate| PAD + ((d - first).num_days() as f64 / span) * (WIDTH - 2.0 * PAD);
    let y = move |v: f64| HEIGHT - PAD - (v / top) * (HEIGHT - 2.0 * PAD);
    let mut path = format!("M {:.1} {:.1}", x(first), y(0.0));
    for (date, total) in &points {
        path.push_str(&format!(" H {:.1} V {:.1}", x(*date), y(*total)));
    }
    let target_y = y(target);
    let id = format!("chart-{}", title.len());
    let labelled_by = id.clone();
    let rows = points.clone();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled_by>
                <title id=id>
                    {format!(
                        "{title}: {} of {} {unit}",
                        figure(points.last().map(|p| p.1).unwrap_or(0.0)),
                        figure(target),
                    )}
                </title>
                <line class="axis" x1=PAD y1=HEIGHT - PAD x2=WIDTH - PAD y2=HEIGHT - PAD />
                <line class="target" x1=PAD y1=target_y x2=WIDTH - PAD y2=target_y />
                <text class="label" x=WIDTH - PAD y=target_y - 6.0 text-anchor="end">
                    {format!("target {}", figure(target))}
                </text>
                <path class="line" d=path />
                <text class="label" x=PAD y=HEIGHT - 12.0>
                    {first.format("%-d %b %Y").to_string()}
                </text>
                <text class="label" x=WIDTH - PAD y=HEIGHT - 12.0 text-anchor="end">
                    {last.format("%-d %b %Y").to_string()}
                </text>
            </svg>
            <figcaption>{title.clone()}</figcaption>
            <ChartData
                headers=["Date".into(), format!("Total ({unit})")]
                rows=rows.into_iter().map(|(d, v)| (d.to_string(), figure(v))).collect()
            />
        </figure>
    }
    .into_any()
}

/// Counts per week as bars.
#[component]
pub fn WeeklyBars(
    /// Chart title.
    title: String,
    /// (week start, count), oldest first.
    weeks: Vec<(NaiveDate, i64)>,
) -> impl IntoView {
    if weeks.is_empty() {
        return view! { <p class="empty">"No verified contributions in the last 12 weeks."</p> }
            .into_any();
    }
    let most = weeks.iter().map(|w| w.1).max().unwrap_or(1).max(1) as f64;
    let slot = (WIDTH - 2.0 * PAD) / weeks.len() as f64;
    let bars: Vec<_> = weeks
        .iter()
        .enumerate()
        .map(|(i, (week, count))| {
            let h = (*count as f64 / most) * (HEIGHT - 2.0 * PAD);
            let x = PAD + i as f64 * slot + slot * 0.15;
            view! {
                <rect
                    class="bar"
                    x=format!("{x:.1}")
                    y=format!("{:.1}", HEIGHT - PAD - h)
                    width=format!("{:.1}", slot * 0.7)
                    height=format!("{h:.1}")
                >
                    <title>{format!("Week of {}: {count}", week.format("%-d %b"))}</title>
                </rect>
            }
        })
        .collect();
    let total: i64 = weeks.iter().map(|w| w.1).sum();
    let rows = weeks.clone();
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=format!("{title}: {total} in {} weeks", weeks.len())
            >
                <line class="axis" x1=PAD y1=HEIGHT - PAD x2=WIDTH - PAD y2=HEIGHT - PAD />
                {bars}
            </svg>
            <figcaption>{title}</figcaption>
            <ChartData
                headers=["Week of".into(), "Verified contributions".into()]
                rows=rows.into_iter().map(|(d, n)| (d.to_string(), n.to_string())).collect()
            />
        </figure>
    }
    .into_any()
}

/// A chart's figures as a table behind "Show the data", for screen readers and for
/// anyone who wants the numbers: two columns, one row a point.
#[component]
fn ChartData(headers: [String; 2], rows: Vec<(String, String)>) -> impl IntoView {
    let [first, second] = headers;
    view! {
        <details>
            <summary>"Show the data"</summary>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{first}</th>
                        <th scope="col">{second}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(a, b)| {
                            view! {
                                <tr>
                                    <td>{a}</td>
                                    <td>{b}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::figure;

    #[test]
    fn figures_read_naturally() {
        assert_eq!(figure(0.0), "0");
        assert_eq!(figure(1200.0), "1,200");
        assert_eq!(figure(1234567.0), "1,234,567");
        assert_eq!(figure(2.5), "2.5");
        assert_eq!(figure(3.25), "3.25");
    }
}
