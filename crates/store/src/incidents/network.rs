//! The response network's work on an incident: tasks given to its units, the observables and
//! where else they were seen, and links and merges between incidents.

use super::work::*;
use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::incidents::incident::{add_event, clean_observable, insert_observable, ObservableInput};
use crate::sql::Sql;
use khien_domain::calendar::parse_date;
use khien_domain::incident::observable::{guess_kind, normalise, ObservableKind};
use khien_domain::incident::{may_set_task, EventKind, State, TaskState};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::{optional_text, validate_name};
use khien_domain::{Error, Lang, Result};

impl Store {
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
        let (unit_name, unit_path) = self.task_unit(&mut w, inc.unit_id, t.unit_id).await?;
        let now = self.clock.now_ms();
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
            state: TaskState::Open,
            overdue: false,
            // The caller gave the task, so co-ordinates the incident.
            may_finish: may_set_task(TaskState::Done, true, false),
            unit_path,
        };
        add_event(
            &mut w,
            actor,
            id,
            EventKind::Task,
            &format!("Giao nhiệm vụ cho {unit_name} / Task for {unit_name}: {title}"),
        )
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
        self.notify_task_given(&mut w, actor, &inc, &task).await?;
        w.commit().await?;
        Ok(task)
    }

    /// The (name, path) of a unit a task may go to: the incident's own unit, or an approved
    /// member of the response network (the roster, issue 17.7) — whoever the co-ordinator is.
    /// Any other unit is answered as if it did not exist, so assigning cannot be used to learn
    /// the names of units by id.
    async fn task_unit(&self, w: &mut WriteTx<'_>, incident_unit: i64, unit_id: i64) -> Result<(String, String)> {
        let r = sqlx::query("SELECT path, name FROM units WHERE id = $1 AND active = 1")
            .bind(unit_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let allowed = unit_id == incident_unit || self.takes_tasks(&mut w.tx, unit_id).await?;
        match r {
            Some(r) if allowed => Ok((get(&r, "name")?, get(&r, "path")?)),
            _ => Err(Error::invalid(
                "unit_id",
                format!("Không có đơn vị mã số {unit_id} trong phạm vi giao việc của bạn."),
                format!("There is no unit with id {unit_id} that you may give tasks to."),
            )),
        }
    }

    /// Marks a task done or cancelled: its unit (done) or the co-ordinator.
    pub async fn set_task_state(&self, actor: &Actor, task_id: i64, state: TaskState) -> Result<IncidentTask> {
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
        if !may_set_task(state, coordinator, own_task) {
            return Err(Error::forbidden());
        }
        let done_at = (state == TaskState::Done).then(|| self.clock.now_ms());
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
            EventKind::Task,
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
        let c = clean_observable(o, inc.tlp)?;
        let now = self.clock.now_ms();
        let oid = insert_observable(&mut w, id, &c, now).await?;
        let obs = Observable {
            id: oid,
            incident_id: id,
            kind: c.kind,
            value: c.value,
            first_seen: c.first_seen,
            last_seen: c.last_seen,
            tlp: c.tlp,
            source: c.source,
        };
        add_event(&mut w, actor, id, EventKind::Observable, &format!("{}: {}", c.kind.code(), obs.value)).await?;
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
        let incidents = self
            .read_all(&q)
            .await?
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
        let telemetry = match kind {
            ObservableKind::Ipv4 | ObservableKind::Ipv6 | ObservableKind::Domain => {
                self.telemetry_sightings(actor, &value).await?
            }
            _ => Vec::new(),
        };
        Ok(Sightings { kind, value, incidents, watchlist, telemetry })
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
            if a.state == State::Closed {
                return Err(Error::conflict(
                    "Sự cố đã đóng, không gộp được.",
                    "The incident is closed and cannot be merged.",
                ));
            }
            sqlx::query("UPDATE incidents SET merged_into = $1, state = 'closed', closed_at = $2, next_due = NULL, updated_at = $2 WHERE id = $3").bind(other).bind(self.clock.now_ms()).bind(id).execute(&mut *w.tx).await.map_err(db_err)?;
            add_event(
                &mut w,
                actor,
                id,
                EventKind::Merge,
                &format!("Gộp vào {} (trùng) / Merged into {} (duplicate)", b.code, b.code),
            )
            .await?;
            add_event(
                &mut w,
                actor,
                other,
                EventKind::Merge,
                &format!("{} được gộp vào đây / {} merged here", a.code, a.code),
            )
            .await?;
        } else {
            add_event(&mut w, actor, id, EventKind::Link, &format!("Liên quan / Related: {}", b.code)).await?;
            add_event(&mut w, actor, other, EventKind::Link, &format!("Liên quan / Related: {}", a.code)).await?;
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
