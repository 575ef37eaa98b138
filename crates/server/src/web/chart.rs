//! Charts drawn on the server as SVG (issue 14.7): horizontal bars (stacked or side by side),
//! lines over time and a progress ring. Every chart carries its numbers as a table too
//! (`table()`), for screen readers, for print and for whoever would rather read than look.
//! No script and no external file: the page works offline and prints as it shows.

use askama::filters::Safe;
use khien_domain::number::{grouped, percent};
use std::fmt::Write as _;

/// One named series of values, one per category (bars) or per point in time (lines).
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub values: Vec<i64>,
}

/// Bars per category, one bar segment per series: stacked (parts of a whole) or grouped.
#[derive(Debug, Clone)]
pub struct Bars {
    /// What the chart shows, read out by screen readers and shown above the table.
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub stacked: bool,
}

/// Lines over ordered points (months, weeks), one line per series.
#[derive(Debug, Clone)]
pub struct Lines {
    pub title: String,
    pub points: Vec<String>,
    pub series: Vec<Series>,
}

const WIDTH: i64 = 640;
const LABEL_WIDTH: i64 = 210;
const ROW: i64 = 26;
const BAR: i64 = 18;
/// Series colours, also used by the legend; classes so a print stylesheet may change them.
const PALETTE: usize = 6;

/// Text for SVG and HTML: the five characters that could break the markup, escaped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn value(series: &Series, i: usize) -> i64 {
    series.values.get(i).copied().unwrap_or(0).max(0)
}

fn legend(out: &mut String, series: &[Series]) {
    out.push_str(r#"<p class="chart-legend">"#);
    for (n, s) in series.iter().enumerate() {
        let _ = write!(out, r#"<span><i class="s{}"></i>{}</span> "#, n % PALETTE, esc(&s.label));
    }
    out.push_str("</p>");
}

/// The numbers of a chart as a table: categories down, series across (and a total when stacked).
fn number_table(title: &str, head: &str, rows: &[String], series: &[Series], total: bool) -> String {
    let mut out = format!(r#"<table class="chart-table"><caption>{}</caption><tr><th>{}</th>"#, esc(title), esc(head));
    for s in series {
        let _ = write!(out, "<th>{}</th>", esc(&s.label));
    }
    if total {
        out.push_str("<th>Σ</th>");
    }
    out.push_str("</tr>");
    for (i, row) in rows.iter().enumerate() {
        let _ = write!(out, "<tr><td>{}</td>", esc(row));
        for s in series {
            let _ = write!(out, r#"<td class="num">{}</td>"#, grouped(value(s, i)));
        }
        if total {
            let _ = write!(out, r#"<td class="num">{}</td>"#, grouped(series.iter().map(|s| value(s, i)).sum()));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

impl Bars {
    /// The chart as an SVG figure with its legend.
    pub fn svg(&self) -> Safe<String> {
        let n = self.series.len().max(1) as i64;
        let per_category = if self.stacked { ROW } else { (BAR / 2 + 2) * n + 8 };
        let height = per_category * self.categories.len() as i64 + 4;
        let row_total = |i: usize| -> i64 {
            if self.stacked {
                self.series.iter().map(|s| value(s, i)).sum()
            } else {
                self.series.iter().map(|s| value(s, i)).max().unwrap_or(0)
            }
        };
        let max = (0..self.categories.len()).map(row_total).max().unwrap_or(0).max(1);
        let scale = |v: i64| v * (WIDTH - LABEL_WIDTH - 60) / max;
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<figure class="chart"><svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}" preserveAspectRatio="xMinYMin meet"><title>{t}</title>"#,
            t = esc(&self.title)
        );
        for (i, category) in self.categories.iter().enumerate() {
            let top = per_category * i as i64;
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>"#,
                LABEL_WIDTH - 6,
                top + per_category / 2 + 4,
                esc(category)
            );
            let mut x = LABEL_WIDTH;
            for (k, s) in self.series.iter().enumerate() {
                let v = value(s, i);
                let w = scale(v);
                let (bx, by, bh) = if self.stacked {
                    (x, top + (ROW - BAR) / 2, BAR)
                } else {
                    (LABEL_WIDTH, top + 4 + (BAR / 2 + 2) * k as i64, BAR / 2)
                };
                if w > 0 {
                    let _ = write!(
                        out,
                        r#"<rect x="{bx}" y="{by}" width="{w}" height="{bh}" class="s{}"><title>{}: {}</title></rect>"#,
                        k % PALETTE,
                        esc(&s.label),
                        grouped(v)
                    );
                }
                if self.stacked {
                    x += w;
                } else {
                    let _ = write!(
                        out,
                        r#"<text x="{}" y="{}" class="chart-value">{}</text>"#,
                        bx + w + 4,
                        by + bh,
                        grouped(v)
                    );
                }
            }
            if self.stacked {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" class="chart-value">{}</text>"#,
                    x + 4,
                    top + per_category / 2 + 4,
                    grouped(row_total(i))
                );
            }
        }
        out.push_str("</svg>");
        legend(&mut out, &self.series);
        out.push_str("</figure>");
        Safe(out)
    }

    /// The same numbers as a table.
    pub fn table(&self, head: &str) -> Safe<String> {
        Safe(number_table(&self.title, head, &self.categories, &self.series, self.stacked))
    }
}

impl Lines {
    /// The chart as an SVG figure: a line per series over the points, the largest value on the axis.
    pub fn svg(&self) -> Safe<String> {
        let (left, top, bottom, height) = (48_i64, 10_i64, 24_i64, 200_i64);
        let plot_h = height - top - bottom;
        let max = self.series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0).max(1);
        let steps = (self.points.len() as i64 - 1).max(1);
        let x = |i: usize| left + (WIDTH - left - 10) * i as i64 / steps;
        let y = |v: i64| top + plot_h - v.max(0) * plot_h / max;
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<figure class="chart"><svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
            t = esc(&self.title)
        );
        for (v, label) in [(0, "0".to_string()), (max, grouped(max))] {
            let _ = write!(
                out,
                r#"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" class="chart-grid"/><text x="{}" y="{}" text-anchor="end" class="chart-value">{label}</text>"#,
                WIDTH - 10,
                left - 4,
                y(v) + 4,
                y = y(v)
            );
        }
        // At most about twelve axis labels, so that an hour of minutes or three years of months
        // stay readable; every point keeps its own in its tooltip and in the table.
        let label_every = self.points.len().div_ceil(12).max(1);
        for (i, p) in self.points.iter().enumerate().filter(|(i, _)| i % label_every == 0) {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>"#,
                x(i),
                height - 6,
                esc(p)
            );
        }
        for (k, s) in self.series.iter().enumerate() {
            let coords: Vec<String> = (0..self.points.len()).map(|i| format!("{},{}", x(i), y(value(s, i)))).collect();
            let _ = write!(out, r#"<polyline points="{}" class="line s{}"/>"#, coords.join(" "), k % PALETTE);
            for i in 0..self.points.len() {
                let _ = write!(
                    out,
                    r#"<circle cx="{}" cy="{}" r="3" class="s{}"><title>{} — {}: {}</title></circle>"#,
                    x(i),
                    y(value(s, i)),
                    k % PALETTE,
                    esc(self.points.get(i).map(String::as_str).unwrap_or("")),
                    esc(&s.label),
                    grouped(value(s, i))
                );
            }
        }
        out.push_str("</svg>");
        legend(&mut out, &self.series);
        out.push_str("</figure>");
        Safe(out)
    }

    pub fn table(&self, head: &str) -> Safe<String> {
        Safe(number_table(&self.title, head, &self.points, &self.series, false))
    }
}

/// A progress ring: `part` of `whole` as an arc, the percentage in the middle and the counts
/// below ("36,8%", "368 / 1.000").
pub fn ring(label: &str, part: i64, whole: i64) -> Safe<String> {
    let share = if whole > 0 { (part.clamp(0, whole) * 1000 / whole) as f64 / 1000.0 } else { 0.0 };
    // r = 15.9155 makes the circumference 100, so the dash length is the percentage.
    let dash = share * 100.0;
    let shown = percent(part, whole).unwrap_or_else(|| "—".into());
    Safe(format!(
        r#"<figure class="ring"><svg viewBox="0 0 36 36" role="img" aria-label="{l}: {shown}"><title>{l}: {shown}</title><circle cx="18" cy="18" r="15.9155" class="ring-track"/><circle cx="18" cy="18" r="15.9155" class="ring-value" stroke-dasharray="{dash:.1} 100" transform="rotate(-90 18 18)"/><text x="18" y="20.5" text-anchor="middle">{shown}</text></svg><figcaption>{l}<br><span class="muted">{} / {}</span></figcaption></figure>"#,
        grouped(part),
        grouped(whole),
        l = esc(label),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_series() -> Vec<Series> {
        vec![
            Series { label: "Đã phê duyệt".into(), values: vec![368, 20] },
            Series { label: "Chưa <duyệt>".into(), values: vec![632, 0] },
        ]
    }

    #[test]
    fn stacked_bars_draw_each_part_and_the_row_total() {
        let chart = Bars {
            title: "Cấp độ theo loại đơn vị".into(),
            categories: vec!["Sở, ban, ngành".into(), "UBND phường, xã".into()],
            series: two_series(),
            stacked: true,
        };
        let svg = chart.svg().0;
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title>Cấp độ theo loại đơn vị</title>"));
        assert_eq!(svg.matches("<rect").count(), 3, "a zero segment draws nothing: {svg}");
        assert!(svg.contains(">1.000</text>"), "the first row's total, grouped the Vietnamese way: {svg}");
        assert!(svg.contains("Chưa &lt;duyệt&gt;") && !svg.contains("<duyệt>"), "labels are escaped");
        let table = chart.table("Loại đơn vị").0;
        assert!(table.contains("<caption>Cấp độ theo loại đơn vị</caption>"));
        assert!(table.contains(r#"<td class="num">368</td><td class="num">632</td><td class="num">1.000</td>"#));
    }

    #[test]
    fn grouped_bars_scale_to_the_largest_value() {
        let chart =
            Bars { title: "t".into(), categories: vec!["a".into(), "b".into()], series: two_series(), stacked: false };
        let svg = chart.svg().0;
        let widest = (WIDTH - LABEL_WIDTH - 60).to_string();
        assert!(svg.contains(&format!(r#"width="{widest}""#)), "632 is the longest bar: {svg}");
        assert!(!chart.table("x").0.contains("Σ"), "grouped bars are not parts of a total");
    }

    #[test]
    fn lines_put_one_point_per_period_and_the_maximum_on_the_axis() {
        let chart = Lines {
            title: "Sự cố theo tháng".into(),
            points: vec!["10/2026".into(), "11/2026".into(), "12/2026".into()],
            series: vec![Series { label: "Mã độc".into(), values: vec![3, 12500, 7] }],
        };
        let svg = chart.svg().0;
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(">12.500</text>"));
        assert!(svg.contains("<title>11/2026 — Mã độc: 12.500</title>"));
    }

    #[test]
    fn an_hour_of_minutes_labels_about_twelve_of_them() {
        let chart = Lines {
            title: "Sự kiện mỗi phút".into(),
            points: (0..60).map(|m| format!("10:{m:02}")).collect(),
            series: vec![Series { label: "Sự kiện".into(), values: vec![1; 60] }],
        };
        let svg = chart.svg().0;
        assert_eq!(svg.matches("class=\"chart-label\"").count(), 12, "every fifth minute");
        assert!(svg.contains(">10:05</text>") && !svg.contains(">10:06</text>"));
        assert!(svg.contains("<title>10:06 — Sự kiện: 1</title>"), "each point keeps its own");
    }

    #[test]
    fn a_ring_shows_the_vietnamese_percentage_and_survives_an_empty_whole() {
        let r = ring("Đã phê duyệt cấp độ", 368, 1000).0;
        assert!(r.contains("36,8%") && r.contains("368 / 1.000") && r.contains(r#"stroke-dasharray="36.8 100""#));
        let empty = ring("x", 0, 0).0;
        assert!(empty.contains("—") && empty.contains(r#"stroke-dasharray="0.0 100""#));
    }
}
