//! Incident counts for the charts: reported incidents by category and by calendar month in
//! Vietnam time, over the incidents the caller may see.

use crate::db::{get, get_code, Store};
use crate::units::scope::scoped_select;
use chrono::NaiveDate;
use khien_domain::calendar::{last_months, start_of_day_vn};
use khien_domain::incident::Category;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::Result;

/// Incidents reported in each of the last months, by category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentMonths {
    /// The first day of each month, oldest first.
    pub months: Vec<NaiveDate>,
    /// Each category that has an incident in the period, with one count per month.
    pub by_category: Vec<(Category, Vec<i64>)>,
}

impl Store {
    /// Counts of the incidents the caller may see, reported in each of the last `months` months
    /// (the current one included), by category; month edges at midnight in Vietnam.
    pub async fn incidents_by_month(&self, actor: &Actor, months: u32) -> Result<IncidentMonths> {
        let firsts = last_months(self.clock().today_vn(), months.clamp(1, 36));
        let mut edges: Vec<i64> = firsts.iter().map(|d| start_of_day_vn(*d)).collect();
        let next = firsts.last().and_then(|d| d.checked_add_months(chrono::Months::new(1)));
        edges.push(next.map(start_of_day_vn).unwrap_or(i64::MAX));
        // The edges are integers computed here, written into the statement as numbers.
        let cols: Vec<String> = edges
            .windows(2)
            .enumerate()
            .filter_map(|(n, w)| match w {
                [from, to] => Some(format!(
                    "SUM(CASE WHEN i.reported_at >= {from} AND i.reported_at < {to} THEN 1 ELSE 0 END) AS m{n}"
                )),
                _ => None,
            })
            .collect();
        let scope = self.unit_scope(actor, Action::ViewIncidents, None).await?;
        let select = format!("i.category, {}", cols.join(", "));
        let Some(mut q) = scoped_select(&select, "incidents", "i", "unit_id", &scope) else {
            return Ok(IncidentMonths { months: firsts, by_category: Vec::new() });
        };
        let (from, to) = (edges.first().copied().unwrap_or(0), edges.last().copied().unwrap_or(i64::MAX));
        q.push(" AND i.reported_at >= ").bind(from).push(" AND i.reported_at < ").bind(to);
        q.push(" GROUP BY i.category ORDER BY i.category");
        let rows = self.read_all(&q).await?;
        let mut by_category = Vec::with_capacity(rows.len());
        for r in &rows {
            let category = get_code(r, "category", |c| Category::parse("category", c))?;
            let counts = (0..cols.len()).map(|n| get::<i64>(r, &format!("m{n}"))).collect::<Result<Vec<_>>>()?;
            by_category.push((category, counts));
        }
        Ok(IncidentMonths { months: firsts, by_category })
    }
}
