//! Working an incident: its page (systems, timeline, reports, tasks, observables, links), moves
//! through the lifecycle, severity by hand, reports, tasks for the response network, merging
//! duplicates, and "where else did we see this?".

use crate::audit::{json, Change};
use crate::db::{db_err, get, get_code, Store};
use crate::incidents::incident::{add_event, insert_report, serious_reasons, Incident};
use crate::sql::Sql;
use khien_domain::incident::observable::ObservableKind;
use khien_domain::incident::{
    check_priority, check_reason, check_transition, may_set_task, may_take, moves_for, EventKind, ReportKind, State,
    TaskState, Tlp,
};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::{optional_text, validate_name};
use khien_domain::{Error, Lang, Msg, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentDetail {
    pub incident: Incident,
    pub systems: Vec<AffectedSystem>,
    /// Why the incident is (or is not) serious by QĐ 05/2017 Đ9.
    #[schema(value_type = Vec<Object>)]
    pub serious_reasons: Vec<Msg>,
    pub events: Vec<IncidentEvent>,
    pub reports: Vec<IncidentReport>,
    pub tasks: Vec<IncidentTask>,
    pub observables: Vec<Observable>,
    /// Linked incidents the caller may see (id, code, title).
    pub related: Vec<RelatedIncident>,
    /// States the caller may move the incident to.
    pub next_states: Vec<State>,
    pub may_coordinate: bool,
    pub may_work: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AffectedSystem {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub approved_level: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentEvent {
    pub at: i64,
    pub actor_label: String,
    pub kind: EventKind,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentReport {
    pub id: i64,
    pub kind: ReportKind,
    pub filed_at: i64,
    pub author_label: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentTask {
    pub id: i64,
    pub incident_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub assignee: Option<String>,
    pub title: String,
    pub due_on: Option<String>,
    pub state: TaskState,
    pub overdue: bool,
    /// Whether the caller may mark the task done (`incident::may_set_task`).
    pub may_finish: bool,
    #[serde(skip)]
    pub unit_path: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Observable {
    pub id: i64,
    pub incident_id: i64,
    pub kind: ObservableKind,
    pub value: String,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub tlp: Tlp,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelatedIncident {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub state: State,
}

/// One sighting of a value in an incident the caller may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObservableHit {
    pub observable: Observable,
    pub incident_code: String,
    pub incident_title: String,
    pub unit_name: String,
}

/// Where a value was seen: in incidents the caller may see, and on the city's watch list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Sightings {
    /// The kind, as given or guessed.
    pub kind: ObservableKind,
    /// The value in its normal form.
    pub value: String,
    pub incidents: Vec<ObservableHit>,
    pub watchlist: Vec<crate::incidents::exchange::WatchItem>,
    /// SOC telemetry alerts of the caller's units that saw this address or host (issue 18.2).
    pub telemetry: Vec<crate::telemetry::TelemetryAlert>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TaskInput {
    pub unit_id: i64,
    pub assignee: Option<String>,
    pub title: String,
    /// yyyy-mm-dd or dd/mm/yyyy
    pub due_on: Option<String>,
}

pub(crate) fn observable_row(r: &sqlx::any::AnyRow) -> Result<Observable> {
    Ok(Observable {
        id: get(r, "id")?,
        incident_id: get(r, "incident_id")?,
        kind: get_code(r, "kind", |s| ObservableKind::parse("kind", s))?,
        value: get(r, "value")?,
        first_seen: get(r, "first_seen")?,
        last_seen: get(r, "last_seen")?,
        tlp: get_code(r, "tlp", |s| Tlp::parse("tlp", s))?,
        source: get(r, "source")?,
    })
}

impl Store {
    pub async fn get_incident(&self, actor: &Actor, id: i64) -> Result<IncidentDetail> {
        let incident = self.scoped_incident(&self.pool, actor, id, Action::ViewIncidents).await?;
        let systems = self.read_all(&Sql::new("SELECT s.id, s.code, s.name, s.approved_level FROM incident_systems x JOIN systems s ON s.id = x.system_id WHERE x.incident_id = $1 ORDER BY s.code").arg(id)).await?
            .iter()
            .map(|r| Ok(AffectedSystem { id: get(r, "id")?, code: get(r, "code")?, name: get(r, "name")?, approved_level: get(r, "approved_level")? }))
            .collect::<Result<Vec<_>>>()?;
        let events = self
            .read_all(
                &Sql::new("SELECT at, actor_label, kind, note FROM incident_events WHERE incident_id = $1 ORDER BY id")
                    .arg(id),
            )
            .await?
            .iter()
            .map(|r| {
                Ok(IncidentEvent {
                    at: get(r, "at")?,
                    actor_label: get(r, "actor_label")?,
                    kind: get_code(r, "kind", |s| EventKind::parse("kind", s))?,
                    note: get(r, "note")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let reports = self.read_all(&Sql::new("SELECT id, kind, filed_at, author_label, body FROM incident_reports WHERE incident_id = $1 ORDER BY id",).arg(id)).await?
        .iter()
        .map(|r| {
            Ok(IncidentReport {
                id: get(r, "id")?,
                kind: get_code(r, "kind", |s| ReportKind::parse("kind", s))?,
                filed_at: get(r, "filed_at")?,
                author_label: get(r, "author_label")?,
                body: get(r, "body")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let mut tasks = self.tasks_of(id).await?;
        let observables = self
            .read_all(&Sql::new("SELECT * FROM observables WHERE incident_id = $1 ORDER BY id").arg(id))
            .await?
            .iter()
            .map(observable_row)
            .collect::<Result<Vec<_>>>()?;
        let mut related = Vec::new();
        let links = self.read_all(&Sql::new("SELECT related_id FROM incident_links WHERE incident_id = $1 UNION SELECT incident_id FROM incident_links WHERE related_id = $1").arg(id)).await?;
        for l in links {
            let other: i64 = get(&l, "related_id")?;
            // Only those the caller may see are named.
            if let Ok(o) = self.scoped_incident(&self.pool, actor, other, Action::ViewIncidents).await {
                related.push(RelatedIncident { id: o.id, code: o.code, title: o.title, state: o.state });
            }
        }
        let max_level = systems.iter().filter_map(|s| s.approved_level).max();
        let may_coordinate = actor.can(Action::CoordinateIncidents, incident.unit_id, &incident.unit_path);
        let may_work = actor.can(Action::ReportIncidents, incident.unit_id, &incident.unit_path);
        let next_states = moves_for(incident.state, may_coordinate, may_work);
        for t in &mut tasks {
            let own_task = actor.can(Action::ReportIncidents, t.unit_id, &t.unit_path);
            t.may_finish = t.state == TaskState::Open && may_set_task(TaskState::Done, may_coordinate, own_task);
        }
        Ok(IncidentDetail {
            serious_reasons: serious_reasons(max_level, &incident),
            incident,
            systems,
            events,
            reports,
            tasks,
            observables,
            related,
            next_states,
            may_coordinate,
            may_work,
        })
    }

    pub(super) async fn tasks_of(&self, id: i64) -> Result<Vec<IncidentTask>> {
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        self.read_all(&Sql::new("SELECT t.*, u.name AS unit_name, u.path AS unit_path FROM incident_tasks t JOIN units u ON u.id = t.unit_id WHERE t.incident_id = $1 ORDER BY t.id").arg(id)).await?
            .iter()
            .map(|r| {
                let due_on: Option<String> = get(r, "due_on")?;
                let state = get_code(r, "state", |s| TaskState::parse("state", s))?;
                Ok(IncidentTask {
                    id: get(r, "id")?,
                    incident_id: get(r, "incident_id")?,
                    unit_id: get(r, "unit_id")?,
                    unit_name: get(r, "unit_name")?,
                    unit_path: get(r, "unit_path")?,
                    may_finish: false,
                    assignee: get(r, "assignee")?,
                    title: get(r, "title")?,
                    overdue: state == TaskState::Open && due_on.as_deref().is_some_and(|d| d < today.as_str()),
                    due_on,
                    state,
                })
            })
            .collect()
    }

    /// Moves an incident through the lifecycle; the side the move belongs to must act.
    pub async fn move_incident(&self, actor: &Actor, id: i64, to: State, note: Option<&str>) -> Result<Incident> {
        let note = optional_text("note", note, 2000)?;
        let mut w = self.begin_write().await?;
        let before = self.scoped_incident(&mut *w.tx, actor, id, Action::ViewIncidents).await?;
        let from = before.state;
        let side = check_transition(from, to)?;
        let coordinator = actor.can(Action::CoordinateIncidents, before.unit_id, &before.unit_path);
        let unit_worker = actor.can(Action::ReportIncidents, before.unit_id, &before.unit_path);
        // The caller sees the incident (checked above), so a refusal is a plain 403.
        if !may_take(side, coordinator, unit_worker) {
            return Err(Error::forbidden());
        }
        let now = self.clock.now_ms();
        let stamp = match to {
            State::Triaged => Some("triaged_at"),
            State::Recovering if from == State::Containing => Some("contained_at"),
            State::Reviewing if from == State::Recovering => Some("response_ended_at"),
            State::Closed => Some("closed_at"),
            _ => None,
        };
        let mut q = Sql::new("UPDATE incidents SET state = ");
        q.bind(to.code()).push(", updated_at = ").bind(now);
        if let Some(col) = stamp {
            q.push(&format!(", {col} = ")).bind(now);
        }
        if from == State::Closed {
            q.push(", closed_at = NULL");
        }
        q.push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        let text = format!(
            "{} → {} / {} → {}",
            from.label(Lang::Vi),
            to.label(Lang::Vi),
            from.label(Lang::En),
            to.label(Lang::En)
        );
        add_event(
            &mut w,
            actor,
            id,
            EventKind::State,
            &match &note {
                Some(n) => format!("{text}: {n}"),
                None => text,
            },
        )
        .await?;
        self.refresh_clocks(&mut w, id).await?;
        let after = self.scoped_incident(&mut *w.tx, actor, id, Action::ViewIncidents).await?;
        w.audit(
            Some(actor),
            Change {
                action: "incident.state",
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(after.unit_id),
                before: json(&before.state),
                after: json(&after.state),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Sets "serious" and the priority by hand, with a reason (the co-ordinator's call).
    pub async fn set_incident_severity(
        &self,
        actor: &Actor,
        id: i64,
        serious: bool,
        priority: i64,
        reason: &str,
    ) -> Result<Incident> {
        let priority = check_priority(priority)?;
        let reason = check_reason(reason)?;
        let mut w = self.begin_write().await?;
        let before = self.scoped_incident(&mut *w.tx, actor, id, Action::ReportIncidents).await?;
        // The unit may raise its own incident's severity; only the co-ordinator may lower it.
        if (!serious && before.serious) || priority > before.priority {
            actor.require(Action::CoordinateIncidents, before.unit_id, &before.unit_path)?;
        }
        let now = self.clock.now_ms();
        let mut q = Sql::new("UPDATE incidents SET serious = ");
        q.bind(serious).push(", priority = ").bind(priority).push(", updated_at = ").bind(now);
        if serious && !before.serious {
            q.push(", serious_since = ").bind(now);
        } else if !serious {
            q.push(", serious_since = NULL");
        }
        q.push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        let s = if serious { "nghiêm trọng / serious" } else { "không nghiêm trọng / not serious" };
        add_event(&mut w, actor, id, EventKind::Severity, &format!("{s}; ưu tiên / priority {priority}: {reason}"))
            .await?;
        self.refresh_clocks(&mut w, id).await?;
        let after = self.scoped_incident(&mut *w.tx, actor, id, Action::ViewIncidents).await?;
        w.audit(
            Some(actor),
            Change {
                action: "incident.severity",
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(after.unit_id),
                before: json(&(before.serious, before.priority)),
                after: json(&(serious, priority, &reason)),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Files a dated report of one of the six kinds; it stops the clock it answers.
    pub async fn file_incident_report(
        &self,
        actor: &Actor,
        id: i64,
        kind: ReportKind,
        body: &str,
    ) -> Result<IncidentReport> {
        let body = validate_name("body", body, 20_000)?;
        let mut w = self.begin_write().await?;
        let inc = self.scoped_incident(&mut *w.tx, actor, id, Action::ReportIncidents).await?;
        let now = self.clock.now_ms();
        let report_id = insert_report(&mut w, actor, id, kind, &body, now).await?;
        self.refresh_clocks(&mut w, id).await?;
        let author_label = w.actor_name(actor).await?;
        let report = IncidentReport { id: report_id, kind, filed_at: now, author_label, body };
        w.audit(
            Some(actor),
            Change {
                action: "incident.report",
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(inc.unit_id),
                before: None,
                after: json(&report),
            },
        )
        .await?;
        w.commit().await?;
        Ok(report)
    }

    /// A note on the timeline.
    pub async fn add_incident_note(&self, actor: &Actor, id: i64, note: &str) -> Result<()> {
        let note = validate_name("note", note, 2000)?;
        let mut w = self.begin_write().await?;
        let inc = self.scoped_incident(&mut *w.tx, actor, id, Action::ReportIncidents).await?;
        add_event(&mut w, actor, id, EventKind::Note, &note).await?;
        w.audit(
            Some(actor),
            Change {
                action: "incident.note",
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(inc.unit_id),
                before: None,
                after: json(&note),
            },
        )
        .await?;
        w.commit().await
    }
}
