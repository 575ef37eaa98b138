//! A unit's calendar of deadlines (issue 15.9): every dated thing its units face, in one list by
//! day — plan reports not yet sent, dossier steps waiting, systems' recurring duties, findings'
//! remediation deadlines, incident report clocks — overdue ones included, up to a day ahead.
//! Each source is read with the caller's reach, as its own list is.

use crate::db::{get, Store};
use crate::sql::Sql;
use khien_domain::calendar::date_vn;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::worklist::DeadlineKind;
use khien_domain::Result;
use serde::Serialize;
use utoipa::ToSchema;

/// The most deadlines one calendar lists (the nearest first).
pub const MAX_DEADLINES: usize = 1_000;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Deadline {
    /// yyyy-mm-dd (Vietnam time).
    pub day: String,
    pub kind: DeadlineKind,
    pub title: String,
    pub unit_name: String,
    /// Where the work is done.
    pub link: String,
    pub overdue: bool,
}

impl Store {
    /// The caller's deadlines due by `until` (overdue ones included), nearest first.
    pub async fn deadlines(&self, actor: &Actor, until: chrono::NaiveDate) -> Result<Vec<Deadline>> {
        let today = self.clock.today_vn();
        let mut out = Vec::new();
        let mut push = |day: chrono::NaiveDate, kind, title: String, unit_name: String, link: String| {
            out.push(Deadline {
                day: day.format("%Y-%m-%d").to_string(),
                kind,
                title,
                unit_name,
                link,
                overdue: day < today,
            });
        };
        // Plan reports: per plan in force and unit, the tasks without a report this period.
        for plan in self.list_plans(actor).await? {
            let Some(period) = plan.current_period(today)?.filter(|p| p.due <= until) else { continue };
            for m in self.missing_reporters(actor, plan.id, &period.code).await? {
                let title =
                    format!("Kế hoạch {}: {} nhiệm vụ chưa báo cáo kỳ {}", plan.number, m.tasks.len(), period.code);
                push(
                    period.due,
                    DeadlineKind::PlanReport,
                    title,
                    m.name,
                    format!("/plans/{}?period={}", plan.id, period.code),
                );
            }
        }
        // Dossier steps the caller sees waiting.
        for (d, system, unit) in self.pending_dossiers(actor).await? {
            if let Some(day) = d.due_on.as_deref().and_then(khien_domain::calendar::parse_date).filter(|d| *d <= until)
            {
                let step = d.due_step.clone().unwrap_or_default();
                push(
                    day,
                    DeadlineKind::DossierStep,
                    format!("Hồ sơ cấp độ «{system}»: {step}"),
                    unit,
                    format!("/dossiers/{}", d.id),
                );
            }
        }
        // Systems' recurring duties.
        let systems = actor.reach(Action::ViewSystems);
        for d in self.duties_due(Some(&systems), until).await? {
            let title = format!("{} «{}» — {}", d.system_code, d.system_name, d.kind.label(khien_domain::Lang::Vi));
            push(d.due, DeadlineKind::Obligation, title, d.unit_name, format!("/systems/{}#obligations", d.system_id));
        }
        // Findings, per system and day.
        let end_ms = khien_domain::calendar::end_of_day_vn(until);
        let mut q = Sql::new("SELECT f.system_id, s.code, u.name AS unit_name, f.due_at, COUNT(*) AS n FROM findings f JOIN systems s ON s.id = f.system_id JOIN units u ON u.id = f.unit_id WHERE f.open = 1 AND f.due_at <= ");
        q.bind(end_ms).push(" AND ").reach("u.path", "u.id", &actor.reach(Action::ViewCompliance));
        q.push(" GROUP BY f.system_id, s.code, u.name, f.due_at");
        let mut findings: std::collections::BTreeMap<(i64, chrono::NaiveDate), (String, String, i64)> =
            std::collections::BTreeMap::new();
        for r in &self.read_all(&q).await? {
            let day = date_vn(get(r, "due_at")?);
            let e = findings.entry((get(r, "system_id")?, day)).or_insert((get(r, "code")?, get(r, "unit_name")?, 0));
            e.2 += get::<i64>(r, "n")?;
        }
        for ((system_id, day), (code, unit, n)) in findings {
            push(
                day,
                DeadlineKind::Finding,
                format!("{code}: {n} phát hiện đến hạn khắc phục"),
                unit,
                format!("/findings?system_id={system_id}"),
            );
        }
        // Incident report clocks.
        if actor.can_anywhere(Action::ViewIncidents) {
            let mut q = Sql::new("SELECT i.id, i.code, i.title, i.next_due, u.name AS unit_name FROM incidents i JOIN units u ON u.id = i.unit_id WHERE i.state <> 'closed' AND i.next_due IS NOT NULL AND i.next_due <= ");
            q.bind(end_ms).push(" AND ").reach("u.path", "u.id", &actor.reach(Action::ViewIncidents));
            for r in &self.read_all(&q).await? {
                let (code, title): (String, String) = (get(r, "code")?, get(r, "title")?);
                push(
                    date_vn(get(r, "next_due")?),
                    DeadlineKind::IncidentReport,
                    format!("Sự cố {code}: {title}"),
                    get(r, "unit_name")?,
                    format!("/incidents/{}", get::<i64>(r, "id")?),
                );
            }
        }
        // Follow-ups of drills and trainings.
        for f in self.follow_ups_due(&actor.reach(Action::ViewUnits), until).await? {
            if let Some(day) = khien_domain::calendar::parse_date(&f.due_on) {
                let link = format!("/trainings/{}", f.training_id);
                push(day, DeadlineKind::FollowUp, f.body, f.unit_name, link);
            }
        }
        // Specialist staff's certificates expiring.
        for (day, title, unit, link) in self.certificates_expiring(actor, until).await? {
            push(day, DeadlineKind::StaffCertificate, title, unit, link);
        }
        out.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.title.cmp(&b.title)));
        out.truncate(MAX_DEADLINES);
        Ok(out)
    }
}
