//! "Việc cần xử lý": what waits for a person, read in a few counted queries. Each section counts
//! exactly and shows its first rows, most urgent first; the page links to the full list.

use crate::db::{get, Store};
use crate::incidents::incident_model::{incident_row, INCIDENT_COLS};
use crate::sql::Sql;
use khien_domain::audit::action_label;
use khien_domain::audit_labels::entity_label;
use khien_domain::calendar::parse_date;
use khien_domain::finding::Severity;
use khien_domain::incident::public::PublicCategory;
use khien_domain::role::Action;
use khien_domain::scope::{Actor, Reach};
use khien_domain::system::dossier::{deadline, may_act, waiting_step, DossierAction, DossierState, UnitAt};
use khien_domain::system::level::{ruleset_by_code, ruleset_for, Ruleset};
use khien_domain::worklist::{
    authority_side, unit_side, waited_for, WorkKind, DECISIONS, FINDINGS_DUE_DAYS, RECENT_DAYS,
};
use khien_domain::{Lang, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

/// Rows shown per section; the count is always exact.
pub const SHOWN: usize = 10;

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkList {
    /// The sections that concern the caller's roles, empty ones included (their count is 0).
    pub sections: Vec<WorkSection>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkSection {
    pub kind: WorkKind,
    /// Exact number of items waiting.
    pub total: i64,
    /// The first items, most urgent first.
    pub items: Vec<WorkItem>,
    /// The page listing all of them.
    pub link: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkItem {
    /// The record: a system's name, an incident's code and title, a finding's title.
    pub title: String,
    pub unit_name: String,
    /// What waits or what happened (the step, the clock, the state).
    pub what_vi: String,
    pub what_en: String,
    /// The deadline as an instant (UTC ms), for clocks and findings.
    pub due_at: Option<i64>,
    /// The deadline as a Vietnam calendar day (yyyy-mm-dd), for dossier steps and tasks.
    pub due_on: Option<String>,
    pub overdue: bool,
    /// When it happened (UTC ms), for decisions.
    pub at: Option<i64>,
    /// Where the work is done.
    pub link: String,
}

impl WorkItem {
    pub(crate) fn new(title: String, unit_name: String, what: (String, String), link: String) -> WorkItem {
        WorkItem {
            title,
            unit_name,
            what_vi: what.0,
            what_en: what.1,
            due_at: None,
            due_on: None,
            overdue: false,
            at: None,
            link,
        }
    }
}

/// A section when the caller reaches some unit for it, else none.
async fn maybe<F, Fut>(reach: Option<Reach>, section: F) -> Result<Option<WorkSection>>
where
    F: FnOnce(Reach) -> Fut,
    Fut: std::future::Future<Output = Result<WorkSection>>,
{
    match reach {
        Some(r) => section(r).await.map(Some),
        None => Ok(None),
    }
}

fn both(label: impl Fn(Lang) -> String) -> (String, String) {
    (label(Lang::Vi), label(Lang::En))
}

impl Store {
    /// The caller's work list: the sections their roles concern, each counted exactly.
    pub async fn work_list(&self, actor: &Actor) -> Result<WorkList> {
        let waited = actor.with_roles(waited_for);
        let unit = actor.with_roles(unit_side);
        let authority = actor.with_roles(authority_side);
        let now = self.clock.now_ms();
        let in_reach = |a: &Actor, action: Action| Some(a.reach(action)).filter(|r| !r.is_empty());
        // The sections are independent reads: run them together, each on its own connection.
        let (prepare, clocks, handle, tasks) = (
            in_reach(&unit, Action::EditSystems),
            in_reach(&waited, Action::ReportIncidents),
            in_reach(&unit, Action::ReportIncidents),
            in_reach(&unit, Action::ReportIncidents),
        );
        let (due, escalated, late, decisions) = (
            in_reach(&unit, Action::RemediateFindings),
            in_reach(&authority, Action::VerifyFindings),
            in_reach(&authority, Action::CoordinateIncidents),
            in_reach(&unit, Action::ViewSystems),
        );
        let found = tokio::try_join!(
            async {
                // Appraisers and approvers (the authority, units' leadership) all hold EditSystems.
                match waited.can_anywhere(Action::EditSystems) {
                    true => self.dossiers_to_decide(&waited).await.map(Some),
                    false => Ok(None),
                }
            },
            async { maybe(prepare, |r| self.dossiers_to_prepare(r)).await },
            async { maybe(clocks, |r| self.incident_clocks(r, now)).await },
            async {
                // Only authority officers can coordinate the city: skip the look-up for others.
                match !authority.grants.is_empty() && self.coordinates_public_reports(&authority).await? {
                    true => self.public_reports_to_route().await.map(Some),
                    false => Ok(None),
                }
            },
            async { maybe(handle, |r| self.public_reports_to_handle(r)).await },
            async { maybe(tasks, |r| self.incident_tasks(r)).await },
            async { maybe(due, |r| self.findings_due(r, now)).await },
            async { maybe(escalated, |r| self.findings_escalated(r, now)).await },
            async { maybe(late, |r| self.units_late(r, now)).await },
            async { maybe(decisions, |r| self.recent_decisions(r, actor.user_id, now)).await },
            self.plan_reports(&unit),
            async { maybe(in_reach(&unit, Action::ReportProgress), |r| self.reports_to_write(r)).await },
            async { maybe(in_reach(&authority, Action::Govern), |r| self.reports_to_review(r)).await },
            async {
                // The standing body's (Govern at the city's root), as publishing is.
                let root = self.root_unit().await?;
                match root.is_some_and(|r| authority.can(Action::Govern, r.id, &r.path)) {
                    true => self.rankings_due().await.map(Some),
                    false => Ok(None),
                }
            },
        )?;
        let (a, b, c, d, e, f, g, h, i, j, k, l, m, n) = found;
        let sections = [a, b, f, k, l, m, n, c, d, e, g, h, i, j].into_iter().flatten().collect();
        Ok(WorkList { sections })
    }

    /// The units behind a deadline (incidents, findings, periodic reports) among those the
    /// caller sees: the city's page and leadership's.
    pub async fn units_behind(&self, actor: &Actor) -> Result<WorkSection> {
        let reach = actor.reach(Action::ViewUnits);
        if reach.is_empty() {
            return Ok(WorkSection { kind: WorkKind::UnitsLate, total: 0, items: Vec::new(), link: String::new() });
        }
        self.units_late(reach, self.clock.now_ms()).await
    }

    /// Counts the rows of `from_where`, then reads the first [`SHOWN`] in `order`.
    async fn counted(
        &self,
        kind: WorkKind,
        link: &str,
        (from_where, cols, order): (Sql, &str, &str),
        item: impl Fn(&AnyRow) -> Result<WorkItem>,
    ) -> Result<WorkSection> {
        let count = Sql::select("COUNT(*) AS n", &from_where);
        let total: i64 = get(&self.read_one(&count).await?, "n")?;
        let mut items = Vec::new();
        if total > 0 {
            let mut q = Sql::select(cols, &from_where);
            q.push(" ORDER BY ").push(order).push(&format!(" LIMIT {SHOWN}"));
            for r in &self.read_all(&q).await? {
                items.push(item(r)?);
            }
        }
        Ok(WorkSection { kind, total, items, link: link.to_string() })
    }

    /// Dossiers whose waiting step (appraisal, approval) the caller may take, by due date. Reads
    /// only the columns it needs: an authority may have hundreds waiting across the city.
    async fn dossiers_to_decide(&self, actor: &Actor) -> Result<WorkSection> {
        let bodies = self.level_bodies().await?;
        let named = bodies.bodies.speaks_for(actor);
        let mut q = Sql::new("SELECT d.id, d.state, d.ruleset, d.proposed_level, d.submitted_on, d.appraised_on, s.name AS system_name, s.owner_unit_id, u.name AS unit_name, u.path AS owner_path FROM dossiers d JOIN systems s ON s.id = d.system_id JOIN units u ON u.id = s.owner_unit_id WHERE d.state IN ('submitted','appraised')");
        if !named {
            q.push(" AND ").reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
        }
        let rows = self.read_all(&q).await?;
        let holidays = self.holidays().await?;
        let today = self.clock.today_vn();
        let mut rulesets: std::collections::HashMap<String, Ruleset> = std::collections::HashMap::new();
        let mut mine = Vec::new();
        for r in &rows {
            let code: String = get(r, "ruleset")?;
            if !rulesets.contains_key(&code) {
                let rs = self.ruleset(&code).await?;
                rulesets.insert(code.clone(), rs);
            }
            let Some(rs) = rulesets.get(&code) else { continue };
            let state = DossierState::parse("state", &get::<String>(r, "state")?)?;
            let Some(step) = waiting_step(state) else { continue };
            let level = u8::try_from(get::<i64>(r, "proposed_level")?).unwrap_or(1);
            let at = UnitAt { id: get(r, "owner_unit_id")?, path: get(r, "owner_path")? };
            if !may_act(actor, step, level, rs, &at, &bodies.bodies) {
                continue;
            }
            let date = |c: &str| -> Result<Option<chrono::NaiveDate>> {
                Ok(get::<Option<String>>(r, c)?.as_deref().and_then(parse_date))
            };
            let (submitted, appraised) = (date("submitted_on")?, date("appraised_on")?);
            let law = ruleset_by_code(&code).unwrap_or_else(|| ruleset_for(today));
            let due = deadline(state, level, submitted, appraised, &law, &holidays).map(|d| d.due);
            mine.push((
                due,
                submitted,
                get::<i64>(r, "id")?,
                step,
                level,
                get::<String>(r, "system_name")?,
                get::<String>(r, "unit_name")?,
            ));
        }
        mine.sort_by_key(|a| (a.0.is_none(), a.0, a.1, a.2));
        let total = i64::try_from(mine.len()).unwrap_or(i64::MAX);
        let items = mine
            .into_iter()
            .take(SHOWN)
            .map(|(due, _, id, step, level, system, unit)| {
                let mut item = WorkItem::new(
                    system,
                    unit,
                    both(|l| match (l, step) {
                        (Lang::Vi, DossierAction::Approve) => format!("Chờ phê duyệt — cấp độ {level}"),
                        (Lang::Vi, _) => format!("Chờ thẩm định — cấp độ {level}"),
                        (Lang::En, DossierAction::Approve) => format!("Waiting for approval — level {level}"),
                        (Lang::En, _) => format!("Waiting for appraisal — level {level}"),
                    }),
                    format!("/dossiers/{id}"),
                );
                item.due_on = due.map(|d| d.format("%Y-%m-%d").to_string());
                item.overdue = due.is_some_and(|d| d < today);
                item
            })
            .collect();
        Ok(WorkSection { kind: WorkKind::DossiersToDecide, total, items, link: "/overview#pending".into() })
    }

    async fn dossiers_to_prepare(&self, reach: Reach) -> Result<WorkSection> {
        let mut q = Sql::new("FROM dossiers d JOIN systems s ON s.id = d.system_id JOIN units u ON u.id = s.owner_unit_id WHERE d.state IN ('draft','returned') AND ");
        q.reach("u.path", "u.id", &reach);
        let cols = "d.id, d.state, d.proposed_level, s.name AS system_name, u.name AS unit_name";
        self.counted(WorkKind::DossiersToPrepare, "/systems", (q, cols, "d.state DESC, d.id DESC"), |r| {
            let state = DossierState::parse("state", &get::<String>(r, "state")?)?;
            Ok(WorkItem::new(
                get(r, "system_name")?,
                get(r, "unit_name")?,
                both(|l| state.label(l).to_string()),
                format!("/dossiers/{}", get::<i64>(r, "id")?),
            ))
        })
        .await
    }

    /// Open incidents with a clock still to meet, the nearest deadline first.
    async fn incident_clocks(&self, reach: Reach, now: i64) -> Result<WorkSection> {
        let mut q = Sql::new("FROM incidents i JOIN units u ON u.id = i.unit_id WHERE i.state <> 'closed' AND i.next_due IS NOT NULL AND ");
        q.reach("u.path", "u.id", &reach);
        self.counted(WorkKind::IncidentClocks, "/incidents", (q, INCIDENT_COLS, "i.next_due, i.id"), |r| {
            let i = incident_row(r, now)?;
            let clock = i.clocks.iter().find(|c| c.met_at.is_none() && c.due_at == i.next_due);
            let mut item = WorkItem::new(
                format!("{} — {}", i.code, i.title),
                i.unit_name.clone(),
                both(|l| clock.map(|c| c.kind.label(l).to_string()).unwrap_or_default()),
                format!("/incidents/{}", i.id),
            );
            item.due_at = i.next_due;
            item.overdue = i.overdue;
            Ok(item)
        })
        .await
    }

    async fn public_reports_to_route(&self) -> Result<WorkSection> {
        let q = Sql::new("FROM public_reports r WHERE r.state = 'received'");
        let cols = "r.id, r.code, r.category, r.received_at, '' AS unit_name";
        self.counted(
            WorkKind::PublicReportsToRoute,
            "/public-reports?state=received",
            (q, cols, "r.id"),
            public_report_item,
        )
        .await
    }

    async fn public_reports_to_handle(&self, reach: Reach) -> Result<WorkSection> {
        let mut q = Sql::new("FROM public_reports r JOIN units u ON u.id = r.routed_unit_id WHERE r.state IN ('routed','in_progress') AND ");
        q.reach("u.path", "u.id", &reach);
        let cols = "r.id, r.code, r.category, r.received_at, u.name AS unit_name";
        self.counted(WorkKind::PublicReportsToHandle, "/public-reports", (q, cols, "r.id"), public_report_item).await
    }

    async fn incident_tasks(&self, reach: Reach) -> Result<WorkSection> {
        let mut q = Sql::new("FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id JOIN units u ON u.id = t.unit_id WHERE t.state = 'open' AND ");
        q.reach("u.path", "u.id", &reach);
        let cols = "t.incident_id, t.title, t.due_on, i.code, u.name AS unit_name";
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        self.counted(WorkKind::IncidentTasks, "/incidents", (q, cols, "t.due_on IS NULL, t.due_on, t.id"), |r| {
            let code: String = get(r, "code")?;
            let mut item = WorkItem::new(
                get(r, "title")?,
                get(r, "unit_name")?,
                both(|l| match l {
                    Lang::Vi => format!("Sự cố {code}"),
                    Lang::En => format!("Incident {code}"),
                }),
                format!("/incidents/{}", get::<i64>(r, "incident_id")?),
            );
            item.due_on = get(r, "due_on")?;
            item.overdue = item.due_on.as_deref().is_some_and(|d| d < today.as_str());
            Ok(item)
        })
        .await
    }

    /// The plan tasks the caller's own units have not reported on for the current period.
    async fn plan_reports(&self, unit: &Actor) -> Result<Option<WorkSection>> {
        if unit.grants.is_empty() {
            return Ok(None);
        }
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        let waiting: Vec<_> = self.my_plan_tasks(unit).await?.into_iter().filter(|t| t.status.is_none()).collect();
        let items = waiting
            .iter()
            .take(SHOWN)
            .map(|t| {
                let mut item = WorkItem::new(
                    format!("{} — {}", t.number, khien_domain::error::shorten(&t.body, 120)),
                    t.unit_name.clone(),
                    both(|l| match l {
                        Lang::Vi => format!("Kế hoạch {}, kỳ {}", t.plan_number, t.period),
                        Lang::En => format!("Plan {}, period {}", t.plan_number, t.period),
                    }),
                    format!("/plan-tasks/{}?period={}", t.task_id, t.period),
                );
                item.overdue = t.due_on < today;
                item.due_on = Some(t.due_on.clone());
                item
            })
            .collect();
        Ok(Some(WorkSection {
            kind: WorkKind::PlanReports,
            total: waiting.len() as i64,
            items,
            link: "/plans#mine".into(),
        }))
    }

    /// The periodic reports the caller's units owe (not started, drafting, returned), by due day.
    async fn reports_to_write(&self, reach: Reach) -> Result<WorkSection> {
        let mut q = Sql::new("FROM unit_reports ur JOIN report_rounds r ON r.id = ur.round_id JOIN units u ON u.id = ur.unit_id WHERE ur.state IN ('pending','draft','returned') AND ");
        q.reach("u.path", "u.id", &reach);
        self.report_items(WorkKind::ReportsToWrite, q).await
    }

    /// The submitted reports waiting for the authority's decision, oldest due first.
    async fn reports_to_review(&self, reach: Reach) -> Result<WorkSection> {
        let mut q = Sql::new("FROM unit_reports ur JOIN report_rounds r ON r.id = ur.round_id JOIN units u ON u.id = ur.unit_id WHERE ur.state = 'submitted' AND ");
        q.reach("u.path", "u.id", &reach);
        self.report_items(WorkKind::ReportsToReview, q).await
    }

    async fn report_items(&self, kind: WorkKind, from_where: Sql) -> Result<WorkSection> {
        use khien_domain::report::{ReportState, ReportTemplate};
        let cols = "ur.round_id, ur.unit_id, ur.state, r.template, r.period, r.due_on, u.name AS unit_name";
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        self.counted(kind, "/reports", (from_where, cols, "r.due_on, u.name"), |r| {
            let template = ReportTemplate::parse("template", &get::<String>(r, "template")?)?;
            let state = ReportState::parse("state", &get::<String>(r, "state")?)?;
            let period: String = get(r, "period")?;
            let mut item = WorkItem::new(
                template.label(Lang::Vi).to_string(),
                get(r, "unit_name")?,
                both(|l| format!("{} — {}", template.period_label(&period, l), state.label(l))),
                format!("/reports/{}/units/{}", get::<i64>(r, "round_id")?, get::<i64>(r, "unit_id")?),
            );
            item.due_on = get(r, "due_on")?;
            item.overdue =
                kind == WorkKind::ReportsToWrite && item.due_on.as_deref().is_some_and(|d| d < today.as_str());
            Ok(item)
        })
        .await
    }

    async fn findings_due(&self, reach: Reach, now: i64) -> Result<WorkSection> {
        let mut q = Sql::new("FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.open = 1 AND f.due_at < ");
        q.bind(now + FINDINGS_DUE_DAYS * DAY_MS).push(" AND ").reach("u.path", "u.id", &reach);
        self.counted(WorkKind::FindingsDue, "/findings", (q, FINDING_ITEM_COLS, "f.due_at, f.id"), |r| {
            finding_item(r, now)
        })
        .await
    }

    async fn findings_escalated(&self, reach: Reach, now: i64) -> Result<WorkSection> {
        let mut q = Sql::new("FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.open = 1 AND f.escalated_at IS NOT NULL AND f.due_at < ");
        q.bind(now).push(" AND ").reach("u.path", "u.id", &reach);
        self.counted(
            WorkKind::FindingsEscalated,
            "/findings?overdue=true",
            (q, FINDING_ITEM_COLS, "f.due_at, f.id"),
            |r| finding_item(r, now),
        )
        .await
    }

    /// Units with an incident report or a finding fix past its deadline, most behind first.
    async fn units_late(&self, reach: Reach, now: i64) -> Result<WorkSection> {
        // Each table counted per unit first (an index range each), then joined to the units.
        let today = khien_domain::calendar::date_vn(now).format("%Y-%m-%d").to_string();
        let mut q = Sql::new(
            "SELECT u.id, u.name, COALESCE(li.n, 0) AS incidents, COALESCE(lf.n, 0) AS findings, COALESCE(lr.n, 0) AS reports FROM units u \
             LEFT JOIN (SELECT i.unit_id, COUNT(*) AS n FROM incidents i WHERE i.state <> 'closed' AND i.next_due < ",
        );
        q.bind(now)
            .push(" GROUP BY i.unit_id) li ON li.unit_id = u.id LEFT JOIN (SELECT f.unit_id, COUNT(*) AS n FROM findings f WHERE f.open = 1 AND f.due_at < ")
            .bind(now)
            .push(" GROUP BY f.unit_id) lf ON lf.unit_id = u.id LEFT JOIN (SELECT ur.unit_id, COUNT(*) AS n FROM unit_reports ur JOIN report_rounds r ON r.id = ur.round_id WHERE ur.state IN ('pending','draft','returned') AND r.due_on < ")
            .bind(today)
            .push(" GROUP BY ur.unit_id) lr ON lr.unit_id = u.id WHERE (li.n IS NOT NULL OR lf.n IS NOT NULL OR lr.n IS NOT NULL) AND ")
            .reach("u.path", "u.id", &reach);
        let mut late = Vec::new();
        for r in &self.read_all(&q).await? {
            let (id, name): (i64, String) = (get(r, "id")?, get(r, "name")?);
            let counts: (i64, i64, i64) = (get(r, "incidents")?, get(r, "findings")?, get(r, "reports")?);
            late.push((counts, id, name));
        }
        late.sort_by(|a, b| (b.0, &a.2).cmp(&(a.0, &b.2)));
        let total = i64::try_from(late.len()).unwrap_or(i64::MAX);
        let items = late
            .into_iter()
            .take(SHOWN)
            .map(|((incidents, findings, reports), id, name)| {
                let mut item = WorkItem::new(
                    name,
                    String::new(),
                    both(|l| match l {
                        Lang::Vi => format!("{incidents} sự cố quá hạn báo cáo, {findings} phát hiện quá hạn khắc phục, {reports} báo cáo định kỳ quá hạn"),
                        Lang::En => format!(
                            "{incidents} incidents past a report deadline, {findings} findings past their fix deadline, {reports} periodic reports overdue"
                        ),
                    }),
                    format!("/units/{id}"),
                );
                item.overdue = true;
                item
            })
            .collect();
        Ok(WorkSection { kind: WorkKind::UnitsLate, total, items, link: "/findings/dashboard".into() })
    }

    /// Decisions others took on the caller's units' records in the last days.
    async fn recent_decisions(&self, reach: Reach, me: i64, now: i64) -> Result<WorkSection> {
        let mut q = Sql::new("FROM audit_log a JOIN units u ON u.id = a.unit_id LEFT JOIN users au ON au.id = a.actor_user_id WHERE a.action IN (");
        for (n, action) in DECISIONS.iter().enumerate() {
            if n > 0 {
                q.push(",");
            }
            q.bind(*action);
        }
        q.push(") AND a.at >= ")
            .bind(now - RECENT_DAYS * DAY_MS)
            .push(" AND (a.actor_user_id IS NULL OR a.actor_user_id <> ")
            .bind(me)
            .push(") AND ")
            .reach("u.path", "u.id", &reach);
        let cols = "a.at, a.action, a.entity_type, a.entity_id, COALESCE(au.full_name, a.actor_label) AS actor_label, u.name AS unit_name";
        self.counted(WorkKind::RecentDecisions, "/audit", (q, cols, "a.id DESC"), |r| {
            let (action, entity): (String, String) = (get(r, "action")?, get(r, "entity_type")?);
            let id: Option<i64> = get(r, "entity_id")?;
            let actor: String = get(r, "actor_label")?;
            let what = |l: Lang| {
                let entity = entity_label(&entity, l).unwrap_or(entity.as_str()).to_string();
                format!(
                    "{} — {entity}{} ({actor})",
                    action_label(&action, l),
                    id.map(|i| format!(" #{i}")).unwrap_or_default()
                )
            };
            let mut item = WorkItem::new(what(Lang::Vi), get(r, "unit_name")?, both(what), entity_link(&entity, id));
            item.at = Some(get(r, "at")?);
            Ok(item)
        })
        .await
    }
}

/// The system's name read per shown row, so that the count does not join systems.
const FINDING_ITEM_COLS: &str = "f.id, f.title, f.severity, f.due_at, (SELECT s.name FROM systems s WHERE s.id = f.system_id) AS system_name, u.name AS unit_name";

fn finding_item(r: &AnyRow, now: i64) -> Result<WorkItem> {
    let severity = Severity::parse("severity", &get::<String>(r, "severity")?)?;
    let system: String = get(r, "system_name")?;
    let mut item = WorkItem::new(
        get(r, "title")?,
        get(r, "unit_name")?,
        both(|l| format!("{} — {system}", severity.label(l))),
        format!("/findings/{}", get::<i64>(r, "id")?),
    );
    item.due_at = get(r, "due_at")?;
    item.overdue = item.due_at.is_some_and(|d| d < now);
    Ok(item)
}

fn public_report_item(r: &AnyRow) -> Result<WorkItem> {
    let category = PublicCategory::parse("category", &get::<String>(r, "category")?)?;
    let mut item = WorkItem::new(
        get(r, "code")?,
        get(r, "unit_name")?,
        both(|l| category.label(l).to_string()),
        format!("/public-reports/{}", get::<i64>(r, "id")?),
    );
    item.at = Some(get(r, "received_at")?);
    Ok(item)
}

/// Where a record of an audited entity type is shown.
fn entity_link(entity: &str, id: Option<i64>) -> String {
    let page = match entity {
        "dossier" => "dossiers",
        "incident" => "incidents",
        "finding" => "findings",
        "public_report" => "public-reports",
        "system" => "systems",
        _ => return "/audit".into(),
    };
    id.map(|id| format!("/{page}/{id}")).unwrap_or_else(|| "/audit".into())
}
