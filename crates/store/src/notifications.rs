//! Reminders: a sweep (run on a timer by the server) turns overdue incident clocks and overdue
//! dossier steps into one notification per person concerned, on both sides — the unit that
//! must act and the authority that follows it. The dedupe key makes repeating a sweep safe.

use crate::db::{db_err, from_row, get, Store};
use crate::sql::Sql;
use khien_domain::calendar::display_date;
use khien_domain::incident::clocks::ClockKind;
use khien_domain::notification::NotificationKind;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::time::display_vn;
use khien_domain::worklist::{authority_side, unit_side, waited_for};
use khien_domain::{Lang, Result};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: NotificationKind,
    pub message_vi: String,
    pub message_en: String,
    /// Where to act, e.g. /incidents/12
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// A notification to also send by e-mail.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub notification_id: i64,
    pub email: String,
    pub subject: String,
    pub body: String,
}

/// One event to tell the people of a unit about.
struct Event {
    unit_id: i64,
    unit_path: String,
    /// Who must be told: the acting side and the following side.
    actions: [Action; 2],
    /// Which of a person's grants count (plan reminders go to the unit's own people, not to
    /// the authority that covers every unit).
    side: fn(khien_domain::role::Role) -> bool,
    key: String,
    kind: NotificationKind,
    vi: String,
    en: String,
    link: String,
}

/// A token limited to some units sees only the notifications about them (its owner's others,
/// city-wide ones included, stay with the owner's sessions). Sessions see all of theirs.
fn token_scope(q: &mut crate::sql::Sql, actor: &Actor) {
    if actor.token_id.is_some() {
        q.push(" AND n.unit_id IN (SELECT u.id FROM units u WHERE ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewUnits)).push(")");
    }
}

impl Store {
    pub async fn notifications(&self, actor: &Actor, limit: i64) -> Result<Vec<Notification>> {
        let mut q = crate::sql::Sql::new("SELECT n.id, n.kind, n.message_vi, n.message_en, n.link, n.created_at, n.read_at FROM notifications n WHERE n.user_id = ");
        q.bind(actor.user_id);
        token_scope(&mut q, actor);
        q.push(" ORDER BY n.id DESC LIMIT ").bind(limit);
        self.read_all(&q).await?.iter().map(from_row).collect()
    }

    pub async fn unread_count(&self, actor: &Actor) -> Result<i64> {
        let mut q =
            crate::sql::Sql::new("SELECT COUNT(*) AS n FROM notifications n WHERE n.read_at IS NULL AND n.user_id = ");
        q.bind(actor.user_id);
        token_scope(&mut q, actor);
        let r = self.read_one(&q).await?;
        get(&r, "n")
    }

    /// Marks the caller's own notifications read (all of them when `ids` is empty; for a
    /// token, those of its units).
    pub async fn mark_read(&self, actor: &Actor, ids: &[i64]) -> Result<u64> {
        let mut q = crate::sql::Sql::new("UPDATE notifications AS n SET read_at = ");
        q.bind(self.clock.now_ms()).push(" WHERE read_at IS NULL AND user_id = ").bind(actor.user_id);
        token_scope(&mut q, actor);
        if !ids.is_empty() {
            q.push(" AND id IN (");
            for (n, id) in ids.iter().enumerate() {
                if n > 0 {
                    q.push(",");
                }
                q.bind(*id);
            }
            q.push(")");
        }
        Ok(q.query().execute(&self.pool).await.map_err(db_err)?.rows_affected())
    }

    /// Creates the notifications due now and rewrites today's per-unit finding counts; returns
    /// the notifications to e-mail (recipients with an address).
    pub(crate) async fn sweep_reminders(&self) -> Result<Vec<Outgoing>> {
        let mut events = self.overdue_clock_events().await?;
        events.extend(self.overdue_dossier_events().await?);
        events.extend(self.finding_events().await?);
        events.extend(self.plan_events().await?);
        events.extend(self.obligation_events().await?);
        self.snapshot_finding_counts().await?;
        let mut out = Vec::new();
        let now = self.clock.now_ms();
        for e in events {
            for (user_id, email) in self.people_for(e.unit_id, &e.unit_path, &e.actions, e.side).await? {
                let r = sqlx::query("INSERT INTO notifications (user_id, dedupe_key, kind, message_vi, message_en, link, created_at, unit_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING RETURNING id")
                    .bind(user_id)
                    .bind(e.key.as_str())
                    .bind(e.kind.code())
                    .bind(e.vi.as_str())
                    .bind(e.en.as_str())
                    .bind(e.link.as_str())
                    .bind(now)
                    .bind(e.unit_id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_err)?;
                if let (Some(r), Some(email)) = (r, email) {
                    if !self.wants_email(user_id, e.kind).await? {
                        continue;
                    }
                    out.push(Outgoing {
                        notification_id: get(&r, "id")?,
                        email,
                        subject: format!("[Khiên] {}", e.vi),
                        body: format!("{}\n{}\n\n{}", e.vi, e.en, e.link),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Records the outcome of sending a notification's e-mail.
    pub(crate) async fn record_email(&self, notification_id: i64, error: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE notifications SET emailed_at = $1, email_error = $2 WHERE id = $3")
            .bind(self.clock.now_ms())
            .bind(error)
            .bind(notification_id)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Active people whose grants cover the unit for one of the actions: (user id, e-mail).
    /// Administrators may do everything, but are not the people who must act.
    async fn people_for(
        &self,
        unit_id: i64,
        unit_path: &str,
        actions: &[Action],
        side: fn(khien_domain::role::Role) -> bool,
    ) -> Result<Vec<(i64, Option<String>)>> {
        let mut conn = self.pool.acquire().await.map_err(crate::db::db_err)?;
        let people = crate::events::people_covering(&mut conn, &[(unit_id, unit_path)]).await?;
        Ok(people
            .into_iter()
            .filter(|(a, _)| {
                // `people_covering` kept only the grants that cover the unit.
                a.grants.iter().any(|g| side(g.role) && actions.iter().any(|x| g.role.allows(*x)))
            })
            .map(|(a, email)| (a.user_id, email.filter(|e| e.contains('@'))))
            .collect())
    }

    async fn overdue_clock_events(&self) -> Result<Vec<Event>> {
        let now = self.clock.now_ms();
        let rows = self.read_all(&Sql::new("SELECT i.*, u.path FROM incidents i JOIN units u ON u.id = i.unit_id WHERE i.next_due < $1 AND i.state <> 'closed'").arg(now)).await?;
        let mut events = Vec::new();
        for r in &rows {
            let (id, code): (i64, String) = (get(r, "id")?, get(r, "code")?);
            for kind in ClockKind::ALL {
                let (due_col, met_col) = crate::incidents::incident_model::clock_columns(kind);
                let (due, met): (Option<i64>, Option<i64>) = (get(r, due_col)?, get(r, met_col)?);
                let Some(due) = due.filter(|d| *d < now && met.is_none()) else { continue };
                events.push(Event {
                    unit_id: get(r, "unit_id")?,
                    unit_path: get(r, "path")?,
                    actions: [Action::ReportIncidents, Action::CoordinateIncidents],
                    key: format!("incident:{id}:{}:{due}", kind.code()),
                    kind: NotificationKind::IncidentClock,
                    vi: format!(
                        "Sự cố {code}: quá hạn {} (hạn {})",
                        kind.label(Lang::Vi).to_lowercase(),
                        display_vn(due)
                    ),
                    en: format!(
                        "Incident {code}: {} overdue (due {})",
                        kind.label(Lang::En).to_lowercase(),
                        display_vn(due)
                    ),
                    link: format!("/incidents/{id}"),
                    side: waited_for,
                });
            }
        }
        Ok(events)
    }

    async fn overdue_dossier_events(&self) -> Result<Vec<Event>> {
        let mut events = Vec::new();
        for (d, system, unit_id, path) in self.open_dossiers_everywhere().await? {
            let (Some(due), Some(step)) = (d.due_on.as_deref().filter(|_| d.overdue), d.due_step.as_deref()) else {
                continue;
            };
            events.push(Event {
                unit_id,
                unit_path: path,
                actions: [Action::EditSystems, Action::Govern],
                key: format!("dossier:{}:{step}:{due}", d.id),
                kind: NotificationKind::DossierStep,
                vi: format!("Hồ sơ cấp độ của «{system}»: quá hạn bước {step} (hạn {})", display_date(due)),
                en: format!("Level dossier of «{system}»: the {step} step is overdue (due {})", display_date(due)),
                link: format!("/dossiers/{}", d.id),
                side: waited_for,
            });
        }
        Ok(events)
    }

    /// Per unit, once a day: findings due within three days (a reminder to the unit), and
    /// findings past their deadline (an escalation to the unit's head and the authority).
    /// Escalated findings are stamped with the first escalation time.
    async fn finding_events(&self) -> Result<Vec<Event>> {
        let now = self.clock.now_ms();
        let soon = now + 3 * 24 * 3_600_000;
        let today = khien_domain::calendar::date_vn(now).format("%Y-%m-%d").to_string();
        let rows = self.read_all(&Sql::new("SELECT f.unit_id, u.path, u.name, COUNT(CASE WHEN f.due_at < $1 THEN 1 END) AS overdue, COUNT(CASE WHEN f.due_at >= $1 AND f.due_at < $2 THEN 1 END) AS soon \
             FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.open = 1 AND f.due_at < $2 GROUP BY f.unit_id, u.path, u.name",).arg(now).arg(soon)).await?;
        let mut events = Vec::new();
        for r in &rows {
            let (unit_id, path, name): (i64, String, String) = (get(r, "unit_id")?, get(r, "path")?, get(r, "name")?);
            let (overdue, due_soon): (i64, i64) = (get(r, "overdue")?, get(r, "soon")?);
            if overdue > 0 {
                events.push(Event {
                    unit_id,
                    unit_path: path.clone(),
                    actions: [Action::ManageUsers, Action::Govern],
                    key: format!("findings-overdue:{unit_id}:{today}"),
                    kind: NotificationKind::FindingOverdue,
                    vi: format!("{name}: {overdue} phát hiện quá hạn khắc phục"),
                    en: format!("{name}: {overdue} findings past their remediation deadline"),
                    link: format!("/findings?unit_id={unit_id}&overdue=true"),
                    side: waited_for,
                });
            }
            if due_soon > 0 {
                events.push(Event {
                    unit_id,
                    unit_path: path,
                    actions: [Action::RemediateFindings, Action::RemediateFindings],
                    key: format!("findings-due:{unit_id}:{today}"),
                    kind: NotificationKind::FindingDue,
                    vi: format!("{name}: {due_soon} phát hiện đến hạn khắc phục trong 3 ngày tới"),
                    en: format!("{name}: {due_soon} findings due for remediation within 3 days"),
                    link: format!("/findings?unit_id={unit_id}"),
                    side: waited_for,
                });
            }
        }
        sqlx::query("UPDATE findings SET escalated_at = $1 WHERE open = 1 AND due_at < $1 AND escalated_at IS NULL")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        self.reopen_expired_acceptances().await?;
        Ok(events)
    }

    /// Units still without their report on a plan's current period: reminded before the
    /// deadline and after it; once it has passed, the authority gets one notice per plan.
    async fn plan_events(&self) -> Result<Vec<Event>> {
        use khien_domain::plan::progress::ReportReminder;
        let mut events = Vec::new();
        let reminders = self.plan_report_reminders().await?;
        let root = match reminders.iter().any(|p| p.when == ReportReminder::Overdue) {
            true => self.root_unit().await?,
            false => None,
        };
        for p in reminders {
            let (number, period, due) = (&p.plan_number, &p.period, p.due.format("%d/%m/%Y").to_string());
            let late = p.when == ReportReminder::Overdue;
            for (unit_id, unit_path, n) in &p.units {
                let (kind, vi, en, tag) = if late {
                    (
                        NotificationKind::PlanReportOverdue,
                        format!(
                            "Kế hoạch {number}: quá hạn báo cáo kỳ {period} ({due}), còn {n} nhiệm vụ chưa báo cáo"
                        ),
                        format!("Plan {number}: the report for {period} was due {due}; {n} tasks are not reported"),
                        "late",
                    )
                } else {
                    (
                        NotificationKind::PlanReportDue,
                        format!("Kế hoạch {number}: còn {n} nhiệm vụ chưa báo cáo kỳ {period}, hạn {due}"),
                        format!("Plan {number}: {n} tasks not reported for {period}, due {due}"),
                        "soon",
                    )
                };
                events.push(Event {
                    unit_id: *unit_id,
                    unit_path: unit_path.clone(),
                    actions: [Action::ReportProgress, Action::ReportProgress],
                    side: unit_side,
                    key: format!("plan:{}:{period}:{unit_id}:{tag}", p.plan_id),
                    kind,
                    vi,
                    en,
                    link: "/plans#mine".to_string(),
                });
            }
            // Once late, the authority gets one line per plan and period, not one per unit.
            if let (true, Some(root), false) = (late, root.as_ref(), p.units.is_empty()) {
                let units = p.units.len();
                events.push(Event {
                    unit_id: root.id,
                    unit_path: root.path.clone(),
                    actions: [Action::ManagePlans, Action::ManagePlans],
                    side: authority_side,
                    key: format!("plan:{}:{period}:late-units", p.plan_id),
                    kind: NotificationKind::PlanReportOverdue,
                    vi: format!("Kế hoạch {number}: {units} đơn vị chưa báo cáo, đã quá hạn"),
                    en: format!("Plan {number}: {units} units have not reported and are late"),
                    link: format!("/plans/{}", p.plan_id),
                });
            }
        }
        Ok(events)
    }

    /// Once a day per unit: its systems' recurring duties past their due day, to the unit's
    /// head and the authority (as overdue findings are).
    async fn obligation_events(&self) -> Result<Vec<Event>> {
        let today = khien_domain::calendar::date_vn(self.clock.now_ms()).format("%Y-%m-%d").to_string();
        Ok(self
            .overdue_obligations()
            .await?
            .into_iter()
            .map(|(unit_id, unit_path, name, n)| Event {
                unit_id,
                unit_path,
                actions: [Action::ManageUsers, Action::Govern],
                side: waited_for,
                key: format!("obligations-overdue:{unit_id}:{today}"),
                kind: NotificationKind::ObligationOverdue,
                vi: format!("{name}: {n} nghĩa vụ định kỳ của hệ thống thông tin đã quá hạn"),
                en: format!("{name}: {n} recurring duties of information systems are overdue"),
                link: format!("/systems?unit_id={unit_id}"),
            })
            .collect())
    }
}
