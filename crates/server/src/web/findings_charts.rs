//! The remediation dashboard's charts (issue 14.7): open findings by unit with the city total
//! first, by severity, and the last 30 days' trend from the kept daily counts; each with its
//! table beside it.

use super::chart::{Bars, Lines, Series};
use super::msg;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use khien_store::UnitFindingCounts;

/// Units drawn besides the city total (the most behind first; the table lists them all).
const UNITS_DRAWN: usize = 10;

pub(super) struct DashboardCharts {
    pub by_unit: Bars,
    pub by_severity: Bars,
    pub trend: Lines,
}

/// Overdue and not yet overdue, as the two stacked series of a bar chart.
fn late_and_on_time(lang: khien_domain::Lang, open_overdue: &[(i64, i64)]) -> Vec<Series> {
    vec![
        Series {
            label: lang.t(msg::OVERDUE).to_string(),
            values: open_overdue.iter().map(|(_, late)| *late).collect(),
        },
        Series {
            label: lang.t(msg::NOT_YET_DUE).to_string(),
            values: open_overdue.iter().map(|(open, late)| open - late).collect(),
        },
    ]
}

pub(super) async fn dashboard_charts(
    s: &AppState,
    ctx: &Ctx,
    units: &[UnitFindingCounts],
) -> Result<DashboardCharts, WebError> {
    let lang = ctx.lang;
    let total = units.iter().fold((0, 0), |t, u| (t.0 + u.open, t.1 + u.overdue));
    let mut worst: Vec<&UnitFindingCounts> = units.iter().collect();
    worst.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)));
    worst.truncate(UNITS_DRAWN);
    let mut categories = vec![lang.t(msg::WHOLE_CITY).to_string()];
    categories.extend(worst.iter().map(|u| u.unit_name.clone()));
    let mut counts = vec![total];
    counts.extend(worst.iter().map(|u| (u.open, u.overdue)));
    let by_unit = Bars {
        title: lang.t(msg::OPEN_FINDINGS_BY_UNIT).to_string(),
        categories,
        series: late_and_on_time(lang, &counts),
        stacked: true,
    };
    let severities = s.store.finding_severity_counts(&ctx.actor).await?;
    let by_severity = Bars {
        title: lang.t(msg::OPEN_FINDINGS_BY_SEVERITY).to_string(),
        categories: severities.iter().map(|(sev, _, _)| sev.label(lang).to_string()).collect(),
        series: late_and_on_time(lang, &severities.iter().map(|(_, open, late)| (*open, *late)).collect::<Vec<_>>()),
        stacked: true,
    };
    let today = s.store.clock().today_vn();
    let days = s.store.finding_count_trend(&ctx.actor, today - chrono::Days::new(29), today).await?;
    let day =
        |d: &str| khien_domain::calendar::parse_date(d).map(|d| d.format("%d/%m").to_string()).unwrap_or_default();
    let trend = Lines {
        title: lang.t(msg::FINDINGS_OVER_30_DAYS).to_string(),
        points: days.iter().map(|(d, _, _)| day(d)).collect(),
        series: vec![
            Series { label: lang.t(msg::OPEN).to_string(), values: days.iter().map(|(_, open, _)| *open).collect() },
            Series { label: lang.t(msg::OVERDUE).to_string(), values: days.iter().map(|(_, _, late)| *late).collect() },
        ],
    };
    Ok(DashboardCharts { by_unit, by_severity, trend })
}
