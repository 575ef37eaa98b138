//! Events that notify: when a record changes hands (a dossier submitted, returned, appraised or
//! approved; a public report routed; a task given; an incident reported), the people whose turn
//! it now is are told in the same transaction as the change. Who they are is decided by the same
//! rules that let them act (`may_act`, the role matrix), applied to each person's grants.
//! E-mail follows from the outbox, by each person's choice of kinds.

use crate::db::{db_err, get, Store, WriteTx};
use crate::incidents::incident_model::Incident;
use crate::incidents::public_report_model::PublicReport;
use crate::incidents::work::IncidentTask;
use crate::sql::Sql;
use crate::systems::dossiers::Dossier;
use crate::systems::registry::System;
use khien_domain::calendar::display_date;
use khien_domain::notification::NotificationKind;
use khien_domain::role::{Action, Role};
use khien_domain::scope::{Actor, Grant};
use khien_domain::system::dossier::{may_act, waiting_step, DossierAction, LevelBodies, UnitAt};
use khien_domain::system::level::Ruleset;
use khien_domain::time::display_vn;
use khien_domain::worklist::{authority_side, unit_side, waited_for};
use khien_domain::Result;
use std::collections::BTreeMap;

/// What to tell: the record, the step and the deadline are in the words.
pub(crate) struct Notice {
    pub kind: NotificationKind,
    /// Makes the notice once per person and event.
    pub key: String,
    pub vi: String,
    pub en: String,
    pub link: String,
    pub unit_id: i64,
}

/// The active people with a grant (other than administrator: administrators are never the ones
/// waited for) that covers one of `units` (id, path), each as an actor holding just those
/// grants, with their e-mail address: the candidates an event or a reminder may concern. Read
/// per event, so it stays an index look-up however many people the city has.
pub(crate) async fn people_covering(
    exec: &mut sqlx::AnyConnection,
    units: &[(i64, &str)],
) -> Result<Vec<(Actor, Option<String>)>> {
    let mut by_user: BTreeMap<i64, (Actor, Option<String>)> = BTreeMap::new();
    // A few units' grants per statement: a round over a province's 1,000 units would otherwise
    // be one condition too deep for SQLite ("Expression tree is too large").
    for group in units.chunks(UNITS_PER_LOOKUP) {
        let mut q = Sql::new("SELECT u.id, u.username, u.email, ra.role, ra.unit_id, gu.path, ra.recursive FROM role_assignments ra JOIN users u ON u.id = ra.user_id JOIN units gu ON gu.id = ra.unit_id WHERE u.active = 1 AND ra.role <> 'administrator' AND (");
        for (n, (id, path)) in group.iter().enumerate() {
            if n > 0 {
                q.push(" OR ");
            }
            q.push("ra.unit_id = ")
                .bind(*id)
                .push(" OR (ra.recursive = 1 AND ")
                .bind(*path)
                .push(" LIKE gu.path || '%')");
        }
        q.push(") ORDER BY u.id");
        let rows = q.query().fetch_all(&mut *exec).await.map_err(db_err)?;
        for r in &rows {
            let id: i64 = get(r, "id")?;
            let grant = Grant {
                role: Role::parse(&get::<String>(r, "role")?)?,
                unit_id: get(r, "unit_id")?,
                unit_path: get(r, "path")?,
                recursive: crate::db::flag(r, "recursive")?,
            };
            let (username, email): (String, Option<String>) = (get(r, "username")?, get(r, "email")?);
            let grants = &mut by_user
                .entry(id)
                .or_insert_with(|| (Actor { user_id: id, username, token_id: None, grants: Vec::new() }, email))
                .0
                .grants;
            // A grant covering several units of the list is read once per group.
            if !grants.contains(&grant) {
                grants.push(grant);
            }
        }
    }
    Ok(by_user.into_values().collect())
}

/// Units whose people are looked up in one statement.
const UNITS_PER_LOOKUP: usize = 100;

impl Store {
    /// Tells every active person with a grant over one of `units` for whom `concerns` holds,
    /// except the one who acted.
    pub(crate) async fn notify_where(
        &self,
        w: &mut WriteTx<'_>,
        acting: &Actor,
        (notice, units): (&Notice, &[(i64, &str)]),
        concerns: impl Fn(&Actor) -> bool,
    ) -> Result<usize> {
        let now = w.clock.now_ms();
        let mut told = 0;
        for (person, _) in people_covering(&mut w.tx, units).await? {
            if person.user_id == acting.user_id || !concerns(&person) {
                continue;
            }
            sqlx::query("INSERT INTO notifications (user_id, dedupe_key, kind, message_vi, message_en, link, created_at, unit_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING")
                .bind(person.user_id)
                .bind(notice.key.as_str())
                .bind(notice.kind.code())
                .bind(notice.vi.as_str())
                .bind(notice.en.as_str())
                .bind(notice.link.as_str())
                .bind(now)
                .bind(notice.unit_id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            told += 1;
        }
        Ok(told)
    }
}

impl Store {
    /// After a dossier moved: the people who may take its next step (appraisal, approval), and
    /// the owner unit's staff of a decision on their dossier.
    pub(crate) async fn notify_dossier_moved(
        &self,
        w: &mut WriteTx<'_>,
        acting: &Actor,
        (action, after): (DossierAction, &Dossier),
        system: &System,
        (rs, bodies): (&Ruleset, &LevelBodies),
    ) -> Result<()> {
        let level = u8::try_from(after.proposed_level).unwrap_or(1);
        let at = UnitAt { id: system.owner_unit_id, path: system.owner_path.clone() };
        let due = after.due_on.as_deref().map(display_date);
        let name = format!("«{}» ({})", system.name, system.owner_unit_name);
        let (kind, vi, en) = match action {
            DossierAction::Submit => (
                NotificationKind::DossierSubmitted,
                format!("Hồ sơ cấp độ {level} của {name} đã gửi, chờ thẩm định"),
                format!("The level-{level} dossier of {name} was submitted and waits for appraisal"),
            ),
            DossierAction::Return => (
                NotificationKind::DossierReturned,
                format!(
                    "Hồ sơ cấp độ của {name} bị trả lại để bổ sung: {}",
                    after.comments.clone().unwrap_or_default()
                ),
                format!("The level dossier of {name} was returned: {}", after.comments.clone().unwrap_or_default()),
            ),
            DossierAction::Appraise => (
                NotificationKind::DossierAppraised,
                format!("Hồ sơ cấp độ {level} của {name} đã được thẩm định, chờ phê duyệt"),
                format!("The level-{level} dossier of {name} was appraised and waits for approval"),
            ),
            DossierAction::Approve => (
                NotificationKind::DossierApproved,
                format!(
                    "Hồ sơ cấp độ {level} của {name} đã được phê duyệt (quyết định số {})",
                    after.decision_number.clone().unwrap_or_default()
                ),
                format!(
                    "The level-{level} dossier of {name} was approved (decision {})",
                    after.decision_number.clone().unwrap_or_default()
                ),
            ),
        };
        let (vi, en) = match (&due, waiting_step(after.state)) {
            (Some(due), Some(_)) => (format!("{vi}; hạn {due}."), format!("{en}; due {due}.")),
            _ => (format!("{vi}."), format!("{en}.")),
        };
        let notice = Notice {
            kind,
            key: format!("dossier:{}:{}:{}", after.id, action.code(), w.clock.now_ms()),
            vi,
            en,
            link: format!("/dossiers/{}", after.id),
            unit_id: system.owner_unit_id,
        };
        let next = waiting_step(after.state);
        // The owner unit, and the bodies the authority named to act for it.
        let mut units = vec![(at.id, at.path.as_str())];
        units.extend(bodies.named().map(|b| (b.id, b.path.as_str())));
        self.notify_where(w, acting, (&notice, &units), |p| {
            let next_step = next.is_some_and(|step| may_act(&p.with_roles(waited_for), step, level, rs, &at, bodies));
            let owner_staff =
                action != DossierAction::Submit && p.with_roles(unit_side).can(Action::EditSystems, at.id, &at.path);
            next_step || owner_staff
        })
        .await?;
        Ok(())
    }
}

impl Store {
    /// A new incident: the authority that co-ordinates the unit, and the unit's own people
    /// (when someone else, the authority or a SOC, reported it for them).
    pub(crate) async fn notify_incident_reported(
        &self,
        w: &mut WriteTx<'_>,
        acting: &Actor,
        inc: &Incident,
    ) -> Result<()> {
        let due = inc.next_due.map(display_vn);
        let due = |vi: bool| match (&due, vi) {
            (Some(d), true) => format!("; hạn báo cáo tiếp theo {d}"),
            (Some(d), false) => format!("; next report due {d}"),
            (None, _) => String::new(),
        };
        let notice = Notice {
            kind: NotificationKind::IncidentReported,
            key: format!("incident:{}:reported", inc.id),
            vi: format!("Sự cố {} «{}» tại {}{}.", inc.code, inc.title, inc.unit_name, due(true)),
            en: format!("Incident {} «{}» at {}{}.", inc.code, inc.title, inc.unit_name, due(false)),
            link: format!("/incidents/{}", inc.id),
            unit_id: inc.unit_id,
        };
        let (id, path) = (inc.unit_id, inc.unit_path.clone());
        self.notify_where(w, acting, (&notice, &[(id, path.as_str())]), |p| {
            p.with_roles(authority_side).can(Action::CoordinateIncidents, id, &path)
                || p.with_roles(unit_side).can(Action::ReportIncidents, id, &path)
        })
        .await?;
        Ok(())
    }

    /// A task given to a unit of the response network: that unit's people.
    pub(crate) async fn notify_task_given(
        &self,
        w: &mut WriteTx<'_>,
        acting: &Actor,
        inc: &Incident,
        task: &IncidentTask,
    ) -> Result<()> {
        let due = task.due_on.as_deref().map(display_date);
        let notice = Notice {
            kind: NotificationKind::TaskGiven,
            key: format!("task:{}:given", task.id),
            vi: format!(
                "Nhiệm vụ ứng cứu sự cố {} giao cho {}: {}{}.",
                inc.code,
                task.unit_name,
                task.title,
                due.as_ref().map(|d| format!("; hạn {d}")).unwrap_or_default()
            ),
            en: format!(
                "Response task for incident {} given to {}: {}{}.",
                inc.code,
                task.unit_name,
                task.title,
                due.as_ref().map(|d| format!("; due {d}")).unwrap_or_default()
            ),
            link: format!("/incidents/{}", inc.id),
            unit_id: task.unit_id,
        };
        let (id, path) = (task.unit_id, task.unit_path.clone());
        self.notify_where(w, acting, (&notice, &[(id, path.as_str())]), |p| {
            p.with_roles(unit_side).can(Action::ReportIncidents, id, &path)
        })
        .await?;
        Ok(())
    }

    /// A public report sent to a unit: that unit's people who handle reports.
    pub(crate) async fn notify_public_report_routed(
        &self,
        w: &mut WriteTx<'_>,
        acting: &Actor,
        report: &PublicReport,
        (unit_id, unit_path, unit_name): (i64, &str, &str),
    ) -> Result<()> {
        let notice = Notice {
            kind: NotificationKind::PublicReportRouted,
            key: format!("public_report:{}:routed:{unit_id}:{}", report.id, w.clock.now_ms()),
            vi: format!(
                "Phản ánh {} ({}) được chuyển cho {unit_name} xử lý.",
                report.code,
                report.category.label(khien_domain::Lang::Vi)
            ),
            en: format!(
                "Public report {} ({}) was sent to {unit_name} for handling.",
                report.code,
                report.category.label(khien_domain::Lang::En)
            ),
            link: format!("/public-reports/{}", report.id),
            unit_id,
        };
        self.notify_where(w, acting, (&notice, &[(unit_id, unit_path)]), |p| {
            p.with_roles(unit_side).can(Action::ReportIncidents, unit_id, unit_path)
        })
        .await?;
        Ok(())
    }
}
