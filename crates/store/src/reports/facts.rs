//! What Khiên reads into a unit's report, over the unit and the units below it: the indicators'
//! kept figures of the period, the systems' counts, the incidents reported in the period, the
//! open findings, and the plan tasks the unit is on with what it reported on each.

use crate::db::{get, Store};
use crate::sql::Sql;
use crate::Unit;
use khien_domain::calendar::start_of_day_vn;
use khien_domain::plan::progress::ProgressStatus;
use khien_domain::report::{Fact, ReportContent, ReportFigure, ReportTask, ReportTemplate, Section};
use khien_domain::{Error, Result};
use std::collections::HashMap;

/// At most this many plan tasks are listed in a report.
const MAX_TASKS: i64 = 300;

impl Store {
    pub(crate) async fn report_content(
        &self,
        (template, period): (ReportTemplate, &str),
        unit: &Unit,
        narratives: Vec<(String, String)>,
    ) -> Result<ReportContent> {
        let (first, last) = template
            .period_range(period)
            .ok_or_else(|| Error::invalid("period", "Kỳ báo cáo không hợp lệ.", "The period is not valid."))?;
        let subtree = format!("{}%", unit.path);
        let mut content = ReportContent {
            template,
            period: period.to_string(),
            unit_name: unit.name.clone(),
            figures: Vec::new(),
            facts: Vec::new(),
            tasks: Vec::new(),
            narratives,
        };
        for section in template.sections() {
            match section {
                Section::Narrative(_) => {}
                Section::Indicators => content.figures = self.report_figures(&subtree, period).await?,
                Section::PlanTasks => {
                    content.tasks = self.report_tasks(unit.id, period).await?;
                    let reported = content.tasks.iter().filter(|t| t.status.is_some()).count();
                    content.facts.push((Fact::TasksAssigned, content.tasks.len() as i64));
                    content.facts.push((Fact::TasksReported, reported as i64));
                }
                Section::Facts { facts, .. } => {
                    let range = (start_of_day_vn(first), start_of_day_vn(last) + 86_400_000);
                    for (fact, value) in self.report_facts((&unit.path, &subtree), range, facts).await? {
                        content.facts.push((fact, value));
                    }
                }
            }
        }
        Ok(content)
    }

    /// Each indicator's latest figure kept within the period, summed over the subtree's units.
    async fn report_figures(&self, subtree: &str, period: &str) -> Result<Vec<ReportFigure>> {
        let year = period.get(..4).unwrap_or(period);
        let rows = self.read_all(&Sql::new("SELECT i.id, i.code, i.name_vi, v.period, CAST(SUM(v.numerator) AS BIGINT) AS n, CAST(SUM(v.denominator) AS BIGINT) AS d FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id JOIN units u ON u.id = v.unit_id WHERE u.path LIKE $1 AND v.period >= $2 AND v.period <= $3 GROUP BY i.id, i.code, i.name_vi, v.period ORDER BY i.code, v.period").arg(subtree).arg(year).arg(period)).await?;
        let indicators = self.indicators_by_id().await?;
        let mut out: Vec<ReportFigure> = Vec::new();
        for r in &rows {
            let (id, p): (i64, String) = (get(r, "id")?, get(r, "period")?);
            // A month's report takes the month's figure or the year's; a year's, its latest.
            if period.len() == 7 && p.len() == 7 && p != period {
                continue;
            }
            let figure = ReportFigure {
                code: get(r, "code")?,
                name: get(r, "name_vi")?,
                target_bp: indicators.get(&id).and_then(|i| i.target_of(&p)),
                period: p,
                numerator: get::<Option<i64>>(r, "n")?.unwrap_or(0),
                denominator: get::<Option<i64>>(r, "d")?.unwrap_or(0),
            };
            match out.last_mut() {
                Some(last) if last.code == figure.code => *last = figure,
                _ => out.push(figure),
            }
        }
        Ok(out)
    }

    async fn indicators_by_id(&self) -> Result<HashMap<i64, crate::Indicator>> {
        let rows = self
            .read_all(&Sql::new("SELECT id, code, name_vi, name_en, plan_number, measure, targets FROM indicators"))
            .await?;
        let mut out = HashMap::new();
        for r in &rows {
            let i = crate::indicators::indicator_row(r)?;
            out.insert(i.id, i);
        }
        Ok(out)
    }

    /// The plan tasks the unit is on, in plans in force in the period's year, with the status
    /// it last reported within the period.
    async fn report_tasks(&self, unit_id: i64, period: &str) -> Result<Vec<ReportTask>> {
        let year = period.get(..4).unwrap_or(period);
        let year_n: i64 = year.parse().unwrap_or(0);
        let rows = self.read_all(&Sql::new("SELECT t.id, p.number AS plan, t.number, t.body FROM plan_task_units tu JOIN plan_tasks t ON t.id = tu.task_id JOIN plans p ON p.id = t.plan_id WHERE tu.unit_id = $1 AND p.year_from <= $2 AND p.year_to >= $2 ORDER BY p.number, t.position LIMIT $3").arg(unit_id).arg(year_n).arg(MAX_TASKS)).await?;
        // What the unit reported in the period: the year's and, for a month, up to that month.
        let reported = self.read_all(&Sql::new("SELECT task_id, period, status FROM plan_progress WHERE unit_id = $1 AND period >= $2 AND period <= $3 ORDER BY period").arg(unit_id).arg(year).arg(if period.len() == 7 { period.to_string() } else { format!("{year}-99") })).await?;
        let mut status: HashMap<i64, ProgressStatus> = HashMap::new();
        for r in &reported {
            if let Ok(s) = ProgressStatus::parse("status", &get::<String>(r, "status")?) {
                status.insert(get(r, "task_id")?, s);
            }
        }
        rows.iter()
            .map(|r| {
                let id: i64 = get(r, "id")?;
                let body: String = get(r, "body")?;
                Ok(ReportTask {
                    plan: get(r, "plan")?,
                    number: get(r, "number")?,
                    body: body.chars().take(400).collect(),
                    status: status.remove(&id),
                })
            })
            .collect()
    }

    /// The counts a section asks for, over the subtree.
    async fn report_facts(
        &self,
        (unit_path, subtree): (&str, &str),
        (from_ms, to_ms): (i64, i64),
        facts: &[Fact],
    ) -> Result<Vec<(Fact, i64)>> {
        let needs = |set: &[Fact]| facts.iter().any(|f| set.contains(f));
        let mut systems = crate::OverviewRow::default();
        if needs(&[
            Fact::Systems,
            Fact::Approved,
            Fact::FourLayers,
            Fact::PlanImplemented,
            Fact::Assessed,
            Fact::MonitoredConnected,
            Fact::Violations,
        ]) {
            // The caller was allowed to see the unit; its report counts the unit's whole subtree.
            let subtree_reach = khien_domain::scope::Reach { subtrees: vec![unit_path.to_string()], units: Vec::new() };
            let mut rows = self.overview_within(&subtree_reach).await?;
            rows.pop();
            for o in &rows {
                systems.systems += o.systems;
                systems.approved += o.approved;
                systems.four_layers += o.four_layers;
                systems.plan_implemented += o.plan_implemented;
                systems.assessed += o.assessed;
                systems.monitored_connected += o.monitored_connected;
                systems.violations += o.violations;
            }
        }
        let (mut reported, mut closed) = (0, 0);
        if needs(&[Fact::IncidentsReported, Fact::IncidentsClosed]) {
            let r = self.read_one(&Sql::new("SELECT COUNT(*) AS n, CAST(SUM(CASE WHEN i.closed_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS closed FROM incidents i JOIN units u ON u.id = i.unit_id WHERE u.path LIKE $1 AND i.reported_at >= $2 AND i.reported_at < $3").arg(subtree).arg(from_ms).arg(to_ms)).await?;
            reported = get::<i64>(&r, "n")?;
            closed = get::<Option<i64>>(&r, "closed")?.unwrap_or(0);
        }
        let (mut open, mut overdue) = (0, 0);
        if needs(&[Fact::FindingsOpen, Fact::FindingsOverdue]) {
            let r = self.read_one(&Sql::new("SELECT COUNT(*) AS n, CAST(SUM(CASE WHEN f.due_at < $2 THEN 1 ELSE 0 END) AS BIGINT) AS late FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.open = 1 AND u.path LIKE $1").arg(subtree).arg(self.clock.now_ms())).await?;
            open = get::<i64>(&r, "n")?;
            overdue = get::<Option<i64>>(&r, "late")?.unwrap_or(0);
        }
        Ok(facts
            .iter()
            .map(|f| {
                let v = match f {
                    Fact::Systems => systems.systems,
                    Fact::Approved => systems.approved,
                    Fact::FourLayers => systems.four_layers,
                    Fact::PlanImplemented => systems.plan_implemented,
                    Fact::Assessed => systems.assessed,
                    Fact::MonitoredConnected => systems.monitored_connected,
                    Fact::Violations => systems.violations,
                    Fact::IncidentsReported => reported,
                    Fact::IncidentsClosed => closed,
                    Fact::FindingsOpen => open,
                    Fact::FindingsOverdue => overdue,
                    Fact::TasksAssigned | Fact::TasksReported => 0,
                };
                (*f, v)
            })
            .collect())
    }
}
