//! Working an incident: its page (systems, timeline, reports, tasks, observables, links), moves
//! through the lifecycle, severity by hand, reports, tasks for the response network, merging
//! duplicates, and "where else did we see this?".

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::incidents::incident::{
    add_event, clean_observable, insert_observable, insert_report, serious_reasons, Incident, ObservableInput,
};
use crate::sql::Sql;
use khien_domain::calendar::parse_date;
use khien_domain::incident::observable::{guess_kind, normalise, ObservableKind};
use khien_domain::incident::{check_priority, check_reason, check_transition, ReportKind, Side, State, TaskState};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::time::now_ms;
use khien_domain::unit::{optional_text, validate_name, UnitType};
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
    pub next_states: Vec<String>,
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
    pub kind: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentReport {
    pub id: i64,
    pub kind: String,
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
    pub state: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Observable {
    pub id: i64,
    pub incident_id: i64,
    pub kind: String,
    pub value: String,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub tlp: String,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RelatedIncident {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub state: String,
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
    pub kind: String,
    /// The value in its normal form.
    pub value: String,
    pub incidents: Vec<ObservableHit>,
    pub watchlist: Vec<crate::incidents::exchange::WatchItem>,
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
        kind: get(r, "kind")?,
        value: get(r, "value")?,
        first_seen: get(r, "first_seen")?,
        last_seen: get(r, "last_seen")?,
        tlp: get(r, "tlp")?,
        source: get(r, "source")?,
    })
}

impl Store {
    pub async fn get_incident(&self, actor: &Actor, id: i64) -> Result<IncidentDetail> {
        let incident = self.scoped_incident(&self.pool, actor, id, Action::ViewIncidents).await?;
        let systems = sqlx::query("SELECT s.id, s.code, s.name, s.approved_level FROM incident_systems x JOIN systems s ON s.id = x.system_id WHERE x.incident_id = $1 ORDER BY s.code")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| Ok(AffectedSystem { id: get(r, "id")?, code: get(r, "code")?, name: get(r, "name")?, approved_level: get(r, "approved_level")? }))
            .collect::<Result<Vec<_>>>()?;
        let events =
            sqlx::query("SELECT at, actor_label, kind, note FROM incident_events WHERE incident_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?
                .iter()
                .map(|r| {
                    Ok(IncidentEvent {
                        at: get(r, "at")?,
                        actor_label: get(r, "actor_label")?,
                        kind: get(r, "kind")?,
                        note: get(r, "note")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
        let reports = sqlx::query(
            "SELECT id, kind, filed_at, author_label, body FROM incident_reports WHERE incident_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| {
            Ok(IncidentReport {
                id: get(r, "id")?,
                kind: get(r, "kind")?,
                filed_at: get(r, "filed_at")?,
                author_label: get(r, "author_label")?,
                body: get(r, "body")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let tasks = self.tasks_of(id).await?;
        let observables = sqlx::query("SELECT * FROM observables WHERE incident_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(observable_row)
            .collect::<Result<Vec<_>>>()?;
        let mut related = Vec::new();
        let links = sqlx::query("SELECT related_id FROM incident_links WHERE incident_id = $1 UNION SELECT incident_id FROM incident_links WHERE related_id = $1").bind(id).fetch_all(&self.pool).await.map_err(db_err)?;
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
        let state = State::parse("state", &incident.state)?;
        let next_states = State::ALL
            .iter()
            .filter(|to| match check_transition(state, **to) {
                Ok(Side::Coordinator) => may_coordinate,
                Ok(Side::Unit) => may_work || may_coordinate,
                Err(_) => false,
            })
            .map(|s| s.code().to_string())
            .collect();
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

    async fn tasks_of(&self, id: i64) -> Result<Vec<IncidentTask>> {
        let today = khien_domain::calendar::today_vn().format("%Y-%m-%d").to_string();
        sqlx::query("SELECT t.*, u.name AS unit_name FROM incident_tasks t JOIN units u ON u.id = t.unit_id WHERE t.incident_id = $1 ORDER BY t.id")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                let due_on: Option<String> = get(r, "due_on")?;
                let state: String = get(r, "state")?;
                Ok(IncidentTask {
                    id: get(r, "id")?,
                    incident_id: get(r, "incident_id")?,
                    unit_id: get(r, "unit_id")?,
                    unit_name: get(r, "unit_name")?,
                    assignee: get(r, "assignee")?,
                    title: get(r, "title")?,
                    overdue: state == "open" && due_on.as_deref().is_some_and(|d| d < today.as_str()),
                    due_on,
                    state,
                })
            })
            .collect()
    }

    /// Moves an incident through the lifecycle; the side the move belongs to must act.
    pub async fn move_incident(&self, actor: &Actor, id: i64, to: &str, note: Option<&str>) -> Result<Incident> {
        let to = State::parse("state", to)?;
        let note = optional_text("note", note, 2000)?;
        let mut w = self.begin_write().await?;
        let before = self.scoped_incident(&mut *w.tx, actor, id, Action::ViewIncidents).await?;
        let from = State::parse("state", &before.state)?;
        let side = check_transition(from, to)?;
        let needed = match side {
            Side::Coordinator => Action::CoordinateIncidents,
            Side::Unit if actor.can(Action::CoordinateIncidents, before.unit_id, &before.unit_path) => {
                Action::CoordinateIncidents
            }
            Side::Unit => Action::ReportIncidents,
        };
        // The caller sees the incident (checked above), so a refusal is a plain 403.
        if !actor.can(needed, before.unit_id, &before.unit_path) {
            return Err(Error::forbidden());
        }
        let now = now_ms();
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
            "state",
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
        let now = now_ms();
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
        add_event(&mut w, actor, id, "severity", &format!("{s}; ưu tiên / priority {priority}: {reason}")).await?;
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
    pub async fn file_incident_report(&self, actor: &Actor, id: i64, kind: &str, body: &str) -> Result<IncidentReport> {
        let kind = ReportKind::parse("kind", kind)?;
        let body = validate_name("body", body, 20_000)?;
        let mut w = self.begin_write().await?;
        let inc = self.scoped_incident(&mut *w.tx, actor, id, Action::ReportIncidents).await?;
        let now = now_ms();
        let report_id = insert_report(&mut w, actor, id, kind, &body, now).await?;
        self.refresh_clocks(&mut w, id).await?;
        let report = IncidentReport {
            id: report_id,
            kind: kind.code().into(),
            filed_at: now,
            author_label: actor.label(),
            body,
        };
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
        add_event(&mut w, actor, id, "note", &note).await?;
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

    /// Gives a unit of the response network a task on the incident (the co-ordinator's work).
    pub async fn add_incident_task(&self, actor: &Actor, id: i64, t: &TaskInput) -> Result<IncidentTask> {
        let title = validate_name("title", &t.title, 500)?;
        let assignee = optional_text("assignee", t.assignee.as_deref(), 200)?;
        let due_on = match t.due_on.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => Some(
                parse_date(d)
                    .ok_or_else(|| {
                        Error::invalid(
                            "due_on",
                            format!("«{d}» không phải ngày hợp lệ."),
                            format!("«{d}» is not a valid date."),
                        )
                    })?
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            None => None,
        };
        let mut w = self.begin_write().await?;
        let inc = self.scoped_incident(&mut *w.tx, actor, id, Action::CoordinateIncidents).await?;
        let unit_name = self.task_unit(&mut w, actor, t.unit_id).await?;
        let now = now_ms();
        let r = sqlx::query("INSERT INTO incident_tasks (incident_id, unit_id, assignee, title, due_on, state, created_at) VALUES ($1,$2,$3,$4,$5,'open',$6) RETURNING id")
            .bind(id)
            .bind(t.unit_id)
            .bind(assignee.clone())
            .bind(title.as_str())
            .bind(due_on.clone())
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let task = IncidentTask {
            id: get(&r, "id")?,
            incident_id: id,
            unit_id: t.unit_id,
            unit_name: unit_name.clone(),
            assignee,
            title: title.clone(),
            due_on,
            state: "open".into(),
            overdue: false,
        };
        add_event(&mut w, actor, id, "task", &format!("Giao nhiệm vụ cho {unit_name} / Task for {unit_name}: {title}"))
            .await?;
        w.audit(
            Some(actor),
            Change {
                action: "incident.task",
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(inc.unit_id),
                before: None,
                after: json(&task),
            },
        )
        .await?;
        w.commit().await?;
        Ok(task)
    }

    /// The name of a unit a task may go to: one within the caller's reach, or a member of the
    /// response network (police, SOC providers, IT enterprises: by unit type until the
    /// authority keeps a roster). Any other unit is answered as if it did not exist, so
    /// assigning cannot be used to learn the names of units by id.
    async fn task_unit(&self, w: &mut WriteTx<'_>, actor: &Actor, unit_id: i64) -> Result<String> {
        let r = sqlx::query("SELECT path, name, unit_type FROM units WHERE id = $1 AND active = 1")
            .bind(unit_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let allowed = |r: &sqlx::any::AnyRow| -> Result<bool> {
            let network = UnitType::parse(&get::<String>(r, "unit_type")?).is_ok_and(UnitType::in_response_network);
            Ok(network || actor.can(Action::ViewUnits, unit_id, &get::<String>(r, "path")?))
        };
        match r {
            Some(r) if allowed(&r)? => get(&r, "name"),
            _ => Err(Error::invalid(
                "unit_id",
                format!("Không có đơn vị mã số {unit_id} trong phạm vi giao việc của bạn."),
                format!("There is no unit with id {unit_id} that you may give tasks to."),
            )),
        }
    }

    /// Marks a task done or cancelled: its unit (done) or the co-ordinator.
    pub async fn set_task_state(&self, actor: &Actor, task_id: i64, state: &str) -> Result<IncidentTask> {
        let state = TaskState::parse("state", state)?;
        let mut w = self.begin_write().await?;
        let r = sqlx::query("SELECT t.incident_id, t.unit_id, u.path FROM incident_tasks t JOIN units u ON u.id = t.unit_id WHERE t.id = $1").bind(task_id).fetch_optional(&mut *w.tx).await.map_err(db_err)?;
        let r = r.ok_or_else(|| Error::not_found("nhiệm vụ", "Task"))?;
        let (incident_id, unit_id, path): (i64, i64, String) =
            (get(&r, "incident_id")?, get(&r, "unit_id")?, get(&r, "path")?);
        let inc = self
            .scoped_incident(&mut *w.tx, actor, incident_id, Action::ViewIncidents)
            .await
            .map_err(|_| Error::not_found("nhiệm vụ", "Task"))?;
        let coordinator = actor.can(Action::CoordinateIncidents, inc.unit_id, &inc.unit_path);
        let own_task = actor.can(Action::ReportIncidents, unit_id, &path);
        if !(coordinator || own_task && state != TaskState::Cancelled) {
            return Err(Error::forbidden());
        }
        let done_at = (state == TaskState::Done).then(now_ms);
        sqlx::query("UPDATE incident_tasks SET state = $1, done_at = $2 WHERE id = $3")
            .bind(state.code())
            .bind(done_at)
            .bind(task_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        add_event(
            &mut w,
            actor,
            incident_id,
            "task",
            &format!("Nhiệm vụ #{task_id}: {} / Task #{task_id}: {}", state.label(Lang::Vi), state.label(Lang::En)),
        )
        .await?;
        w.audit(
            Some(actor),
            Change {
                action: "incident.task_state",
                entity_type: "incident",
                entity_id: Some(incident_id),
                unit_id: Some(inc.unit_id),
                before: None,
                after: json(&(task_id, state.code())),
            },
        )
        .await?;
        w.commit().await?;
        self.tasks_of(incident_id)
            .await?
            .into_iter()
            .find(|t| t.id == task_id)
            .ok_or_else(|| Error::internal("task vanished"))
    }

    pub async fn add_observable(&self, actor: &Actor, id: i64, o: &ObservableInput) -> Result<Observable> {
        let mut w = self.begin_write().await?;
        let inc = self.scoped_incident(&mut *w.tx, actor, id, Action::ReportIncidents).await?;
        let default_tlp = khien_domain::incident::Tlp::parse("tlp", &inc.tlp)?.code();
        let c = clean_observable(o, default_tlp)?;
        let now = now_ms();
        let oid = insert_observable(&mut w, id, &c, now).await?;
        let obs = Observable {
            id: oid,
            incident_id: id,
            kind: c.kind.into(),
            value: c.value,
            first_seen: c.first_seen,
            last_seen: c.last_seen,
            tlp: c.tlp.into(),
            source: c.source,
        };
        add_event(&mut w, actor, id, "observable", &format!("{}: {}", c.kind, obs.value)).await?;
        w.audit(
            Some(actor),
            Change {
                action: "incident.observable",
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(inc.unit_id),
                before: None,
                after: json(&obs),
            },
        )
        .await?;
        w.commit().await?;
        Ok(obs)
    }

    /// Every sighting of a value (normalised by its kind, guessed when not given) in incidents
    /// the caller may see.
    pub async fn find_observable(&self, actor: &Actor, kind: Option<&str>, value: &str) -> Result<Sightings> {
        let kind = match kind.filter(|k| !k.is_empty()) {
            Some(k) => ObservableKind::parse("kind", k)?,
            None => guess_kind(value).ok_or_else(|| {
                Error::invalid(
                    "value",
                    "Không nhận ra loại giá trị (IP, tên miền, URL, mã băm, thư điện tử).",
                    "The kind of value is not recognised (IP, domain, URL, hash, e-mail).",
                )
            })?,
        };
        let value = normalise(kind, value)?;
        let mut q = Sql::new("SELECT o.*, i.code AS incident_code, i.title AS incident_title, u.name AS unit_name FROM observables o JOIN incidents i ON i.id = o.incident_id JOIN units u ON u.id = i.unit_id WHERE o.value = ");
        q.bind(value.as_str()).push(" AND o.kind = ").bind(kind.code()).push(" AND ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewIncidents));
        q.push(" ORDER BY o.id DESC LIMIT 200");
        let incidents = q
            .query()
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                Ok(ObservableHit {
                    observable: observable_row(r)?,
                    incident_code: get(r, "incident_code")?,
                    incident_title: get(r, "incident_title")?,
                    unit_name: get(r, "unit_name")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let watchlist = self.watchlist_hits(actor, kind.code(), &value).await?;
        Ok(Sightings { kind: kind.code().into(), value, incidents, watchlist })
    }

    /// Links two incidents; with `merge`, the first is a duplicate of the second and is closed
    /// into it. The caller co-ordinates both.
    pub async fn link_incidents(&self, actor: &Actor, id: i64, other: i64, merge: bool) -> Result<()> {
        let mut w = self.begin_write().await?;
        let a = self.scoped_incident(&mut *w.tx, actor, id, Action::CoordinateIncidents).await?;
        if id == other {
            return Err(Error::invalid(
                "related_id",
                "Không thể liên kết sự cố với chính nó.",
                "An incident cannot be linked to itself.",
            ));
        }
        let b =
            self.scoped_incident(&mut *w.tx, actor, other, Action::CoordinateIncidents).await.map_err(|e| match e {
                Error::NotFound(_) | Error::Forbidden(_) => Error::invalid(
                    "related_id",
                    format!("Không có sự cố mã số {other} trong phạm vi điều phối của bạn."),
                    format!("There is no incident {other} within what you co-ordinate."),
                ),
                e => e,
            })?;
        sqlx::query("INSERT INTO incident_links (incident_id, related_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(other)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        if merge {
            if a.state == "closed" {
                return Err(Error::conflict(
                    "Sự cố đã đóng, không gộp được.",
                    "The incident is closed and cannot be merged.",
                ));
            }
            sqlx::query("UPDATE incidents SET merged_into = $1, state = 'closed', closed_at = $2, next_due = NULL, updated_at = $2 WHERE id = $3").bind(other).bind(now_ms()).bind(id).execute(&mut *w.tx).await.map_err(db_err)?;
            add_event(
                &mut w,
                actor,
                id,
                "merge",
                &format!("Gộp vào {} (trùng) / Merged into {} (duplicate)", b.code, b.code),
            )
            .await?;
            add_event(&mut w, actor, other, "merge", &format!("{} được gộp vào đây / {} merged here", a.code, a.code))
                .await?;
        } else {
            add_event(&mut w, actor, id, "link", &format!("Liên quan / Related: {}", b.code)).await?;
            add_event(&mut w, actor, other, "link", &format!("Liên quan / Related: {}", a.code)).await?;
        }
        let action = if merge { "incident.merge" } else { "incident.link" };
        w.audit(
            Some(actor),
            Change {
                action,
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(a.unit_id),
                before: None,
                after: json(&other),
            },
        )
        .await?;
        w.commit().await
    }
}
