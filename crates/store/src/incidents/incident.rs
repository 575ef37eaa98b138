//! Incidents: reported by a unit, co-ordinated by the authority, with the reporting clocks kept
//! in columns so that the queues can filter on them. Every read is scoped to the reporting
//! unit, or to a unit given a task on the incident.

pub use super::incident_model::*;
use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::listing::Order;
use crate::records::Page;
use crate::sql::Sql;
use khien_domain::fold::fold;
use khien_domain::incident::{
    check_priority, check_times, suggest_serious, Category, Consequence, EventKind, SeriousFacts, State, Tlp,
};
use khien_domain::page::parse_sort;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::{optional_text, validate_name};
use khien_domain::{Error, Msg, Result};

impl Store {
    /// The incident if the caller may act on it: through the reporting unit, or (to see it)
    /// through a task given to one of the caller's units.
    pub(crate) async fn scoped_incident(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        actor: &Actor,
        id: i64,
        action: Action,
    ) -> Result<Incident> {
        let mut q = Sql::new(&format!("SELECT {INCIDENT_COLS}, CASE WHEN EXISTS (SELECT 1 FROM incident_tasks t JOIN units tu ON tu.id = t.unit_id WHERE t.incident_id = i.id AND "));
        q.reach("tu.path", "tu.id", &actor.reach(Action::ViewIncidents));
        q.push(") THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS via_task FROM incidents i JOIN units u ON u.id = i.unit_id WHERE i.id = ").bind(id);
        let r = q.query().fetch_optional(exec).await.map_err(db_err)?;
        let not_found = || Error::not_found("sự cố", "Incident");
        let r = r.ok_or_else(not_found)?;
        let inc = incident_row(&r, self.clock.now_ms())?;
        let via_task = get::<i64>(&r, "via_task")? != 0;
        if actor.can(action, inc.unit_id, &inc.unit_path) || (action == Action::ViewIncidents && via_task) {
            Ok(inc)
        } else if via_task || actor.can(Action::ViewIncidents, inc.unit_id, &inc.unit_path) {
            Err(Error::forbidden())
        } else {
            Err(not_found())
        }
    }

    pub async fn create_incident(&self, actor: &Actor, i: &IncidentInput) -> Result<Incident> {
        let key = match i.submission_id.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k)
                if (8..=64).contains(&k.len())
                    && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
            {
                Some(k.to_string())
            }
            Some(_) => {
                return Err(Error::invalid(
                    "submission_id",
                    "Mã lần gửi gồm 8–64 chữ cái, chữ số, '-' hoặc '_'.",
                    "The submission key is 8–64 letters, digits, '-' or '_'.",
                ))
            }
            None => None,
        };
        let mut w = self.begin_write().await?;
        if let Some(k) = &key {
            // Sent before (a double click, a retry): the incident that key created, once.
            let earlier = sqlx::query("SELECT id FROM incidents WHERE submission_id = $1")
                .bind(k.as_str())
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            if let Some(r) = earlier {
                let id: i64 = get(&r, "id")?;
                return self.scoped_incident(&mut *w.tx, actor, id, Action::ViewIncidents).await;
            }
        }
        let inc = self.insert_incident(&mut w, actor, i).await?;
        if let Some(k) = &key {
            sqlx::query("UPDATE incidents SET submission_id = $1 WHERE id = $2")
                .bind(k.as_str())
                .bind(inc.id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        w.commit().await?;
        Ok(inc)
    }

    /// Creates an incident inside the caller's write transaction, so that a flow which also
    /// changes something else (a public report turned into an incident) commits all or nothing.
    pub(crate) async fn insert_incident(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        i: &IncidentInput,
    ) -> Result<Incident> {
        let now = self.clock.now_ms();
        let title = validate_name("title", &i.title, 300)?;
        let category = Category::parse("category", &i.category)?;
        let detected = time_field("detected_at", &i.detected_at)?;
        let reported = opt_time("reported_at", &i.reported_at)?.unwrap_or(now);
        check_times(detected, reported, now)?;
        let tlp = Tlp::parse("tlp", i.tlp.as_deref().unwrap_or("amber"))?;
        let priority = check_priority(i.priority.unwrap_or(3))?;
        let consequences =
            i.consequences.iter().map(|c| Consequence::parse("consequences", c)).collect::<Result<Vec<_>>>()?;
        let texts = [
            ("reporter_name", optional_text("reporter_name", i.reporter_name.as_deref(), 200)?),
            ("reporter_contact", optional_text("reporter_contact", i.reporter_contact.as_deref(), 200)?),
            ("symptoms", optional_text("symptoms", i.symptoms.as_deref(), 5000)?),
            ("spread", optional_text("spread", i.spread.as_deref(), 2000)?),
            ("impact", optional_text("impact", i.impact.as_deref(), 2000)?),
            ("provider", optional_text("provider", i.provider.as_deref(), 300)?),
            ("reporter_position", optional_text("reporter_position", i.reporter_position.as_deref(), 200)?),
            ("operator_address", optional_text("operator_address", i.operator_address.as_deref(), 500)?),
            ("owning_body", optional_text("owning_body", i.owning_body.as_deref(), 300)?),
            ("measures_taken", optional_text("measures_taken", i.measures_taken.as_deref(), 5000)?),
            ("measures_planned", optional_text("measures_planned", i.measures_planned.as_deref(), 5000)?),
            ("help_received", optional_text("help_received", i.help_received.as_deref(), 2000)?),
            ("initial_results", optional_text("initial_results", i.initial_results.as_deref(), 5000)?),
            ("recommendations", optional_text("recommendations", i.recommendations.as_deref(), 5000)?),
        ];
        let observables = i
            .observables
            .iter()
            .enumerate()
            .map(|(n, o)| {
                clean_observable(o, tlp).map_err(|e| {
                    e.with_prefix(&format!("Dấu hiệu thứ {}: ", n + 1), &format!("Observable {}: ", n + 1))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.picked_unit(&mut *w.tx, actor, "unit_id", Action::ReportIncidents, i.unit_id).await?;
        let max_level = self.check_affected_systems(w, actor, i.unit_id, &i.system_ids).await?;
        let serious = suggest_serious(&SeriousFacts {
            max_level,
            national_critical: i.national_critical,
            consequences: consequences.clone(),
            beyond_capacity: i.beyond_capacity,
        })
        .serious;
        let serious_since = serious.then_some(reported);
        let cons: Vec<&str> = consequences.iter().map(|c| c.code()).collect();
        let mut q = Sql::new("INSERT INTO incidents (code, unit_id, title, search_folded, category, state, tlp, priority, serious, serious_since, national_critical, beyond_capacity, beyond_capacity_since, security_signs, security_since, personal_data_breach, personal_data_since, consequences, detected_at, reported_at, created_at, updated_at");
        for (f, _) in &texts {
            q.push(", ").push(f);
        }
        let temp_code = format!("tmp-{}", crate::db::random_token(9));
        q.push(") VALUES (")
            .bind(temp_code)
            .push(",")
            .bind(i.unit_id)
            .push(",")
            .bind(title.as_str())
            .push(",")
            .bind(fold(&title));
        q.push(",")
            .bind(category.code())
            .push(",")
            .bind(State::Received.code())
            .push(",")
            .bind(tlp.code())
            .push(",")
            .bind(priority);
        q.push(",")
            .bind(serious)
            .push(",")
            .bind(serious_since)
            .push(",")
            .bind(i.national_critical)
            .push(",")
            .bind(i.beyond_capacity)
            .push(",")
            .bind(i.beyond_capacity.then_some(reported));
        q.push(",").bind(i.security_signs).push(",").bind(i.security_signs.then_some(reported));
        q.push(",")
            .bind(i.personal_data_breach)
            .push(",")
            .bind(i.personal_data_breach.then_some(reported))
            .push(",")
            .bind(cons.join(","));
        q.push(",").bind(detected).push(",").bind(reported).push(",").bind(now).push(",").bind(now);
        for (_, v) in texts {
            q.push(",").bind(v);
        }
        q.push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        let year = khien_domain::calendar::date_vn(detected).format("%Y");
        let code = format!("SC-{year}-{id:05}");
        sqlx::query("UPDATE incidents SET code = $1, search_folded = $2 WHERE id = $3")
            .bind(code.as_str())
            .bind(format!("{} {}", fold(&title), code.to_lowercase()))
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        for s in &i.system_ids {
            sqlx::query("INSERT INTO incident_systems (incident_id, system_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(*s)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        for o in &observables {
            insert_observable(w, id, o, now).await?;
        }
        add_event(w, actor, id, EventKind::Reported, &format!("Tiếp nhận báo cáo sự cố «{title}» / Incident reported"))
            .await?;
        if i.file_initial_report {
            let body = "Báo cáo ban đầu theo các trường của biểu mẫu tiếp nhận (QĐ 05/2017 Đ11.4). / Initial report from the intake form.";
            insert_report(w, actor, id, khien_domain::incident::ReportKind::Initial, body, now).await?;
        }
        self.refresh_clocks(w, id).await?;
        let inc = self.scoped_incident(&mut *w.tx, actor, id, Action::ViewIncidents).await?;
        w.audit(
            Some(actor),
            Change {
                action: "incident.create",
                entity_type: "incident",
                entity_id: Some(id),
                unit_id: Some(inc.unit_id),
                before: None,
                after: json(&inc),
            },
        )
        .await?;
        self.notify_incident_reported(w, actor, &inc).await?;
        Ok(inc)
    }

    pub(crate) async fn unit_path_name(&self, w: &mut WriteTx<'_>, unit_id: i64) -> Result<(String, String)> {
        let r = sqlx::query("SELECT path, name FROM units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let r = r.ok_or_else(|| {
            Error::invalid(
                "unit_id",
                format!("Không có đơn vị mã số {unit_id}."),
                format!("There is no unit with id {unit_id}."),
            )
        })?;
        Ok((get(&r, "path")?, get(&r, "name")?))
    }

    /// Affected systems must exist and be visible to the caller; returns their highest level.
    async fn check_affected_systems(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        _unit_id: i64,
        ids: &[i64],
    ) -> Result<Option<i64>> {
        let mut max = None;
        for id in ids {
            let s = self.scoped_system(&mut *w.tx, actor, *id, Action::ViewSystems).await.map_err(|e| match e {
                Error::NotFound(_) | Error::Forbidden(_) => Error::invalid(
                    "system_ids",
                    format!("Không có hệ thống mã số {id} trong phạm vi của bạn."),
                    format!("There is no system with id {id} within your reach."),
                ),
                other => other,
            })?;
            max = max.max(s.approved_level);
        }
        Ok(max)
    }

    pub async fn list_incidents(&self, actor: &Actor, f: &IncidentFilter) -> Result<Page<Incident>> {
        // The order is checked first: a caller who reaches no unit is told of a wrong one too.
        let (sort, dir) = parse_sort(f.sort.as_deref(), &INCIDENT_SORTS, "-id")?;
        let scope = self.unit_scope(actor, Action::ViewIncidents, f.unit_id).await?;
        let Some(mut q) = crate::units::scope::scoped_select(INCIDENT_COLS, "incidents", "i", "unit_id", &scope) else {
            return Ok(Page::empty());
        };
        if let Some(term) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.words_like(&["i.search_folded"], term);
        }
        match &f.state {
            Some(s) => {
                q.push(" AND i.state = ").bind(s.code());
            }
            None if !f.include_closed => {
                q.push(" AND i.state <> 'closed'");
            }
            None => {}
        }
        if let Some(c) = &f.category {
            q.push(" AND i.category = ").bind(c.code());
        }
        if let Some(s) = f.serious {
            q.push(" AND i.serious = ").bind(s);
        }
        if let Some(p) = f.priority {
            q.push(" AND i.priority = ").bind(p);
        }
        if f.overdue {
            q.push(" AND i.next_due < ").bind(self.clock.now_ms());
        }
        // The first page says how many match in all (the list's heading shows it).
        let tag = format!("incidents.{sort}.{dir:?}");
        let order = match sort {
            "detected" => Order::number(&tag, "i.detected_at", "i.id", dir),
            "deadline" => Order::number(&tag, NO_DEADLINE_LAST, "i.id", dir),
            "priority" => Order::number(&tag, "i.priority", "i.id", dir),
            _ => Order::number(&tag, "i.id", "i.id", dir),
        };
        let key_of = |i: &Incident| {
            let key = match sort {
                "detected" => i.detected_at,
                "deadline" => i.next_due.unwrap_or(i64::MAX),
                "priority" => i.priority,
                _ => i.id,
            };
            (key.to_string(), i.id)
        };
        let now = self.clock.now_ms();
        self.page_of(q, &order.counted(), (f.cursor.as_ref(), f.limit), |r| incident_row(r, now), key_of).await
    }
}

/// The next clock's due time, incidents whose clocks are all met (none due) last.
const NO_DEADLINE_LAST: &str = "COALESCE(i.next_due, 9223372036854775807)";

pub(crate) async fn insert_observable(
    w: &mut WriteTx<'_>,
    incident_id: i64,
    o: &CleanObservable,
    now: i64,
) -> Result<i64> {
    let r = sqlx::query("INSERT INTO observables (incident_id, kind, value, first_seen, last_seen, tlp, source, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id")
        .bind(incident_id)
        .bind(o.kind.code())
        .bind(o.value.as_str())
        .bind(o.first_seen)
        .bind(o.last_seen)
        .bind(o.tlp.code())
        .bind(o.source.clone())
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
    get(&r, "id")
}

pub(crate) async fn add_event(
    w: &mut WriteTx<'_>,
    actor: &Actor,
    incident_id: i64,
    kind: EventKind,
    note: &str,
) -> Result<()> {
    let name = w.actor_name(actor).await?;
    sqlx::query("INSERT INTO incident_events (incident_id, at, actor_label, kind, note) VALUES ($1,$2,$3,$4,$5)")
        .bind(incident_id)
        .bind(w.clock.now_ms())
        .bind(name)
        .bind(kind.code())
        .bind(note)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

pub(crate) async fn insert_report(
    w: &mut WriteTx<'_>,
    actor: &Actor,
    incident_id: i64,
    kind: khien_domain::incident::ReportKind,
    body: &str,
    at: i64,
) -> Result<i64> {
    // Reports name their author as people know them (issue 14.8), not by login.
    let author = w.actor_name(actor).await?;
    let r = sqlx::query("INSERT INTO incident_reports (incident_id, kind, filed_at, author_label, body) VALUES ($1,$2,$3,$4,$5) RETURNING id")
        .bind(incident_id)
        .bind(kind.code())
        .bind(at)
        .bind(author)
        .bind(body)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
    add_event(
        w,
        actor,
        incident_id,
        EventKind::Report,
        &format!("{} / {}", kind.label(khien_domain::Lang::Vi), kind.label(khien_domain::Lang::En)),
    )
    .await?;
    get(&r, "id")
}

/// The reasons behind a serious flag, for the incident page.
pub fn serious_reasons(max_level: Option<i64>, inc: &Incident) -> Vec<Msg> {
    let consequences = inc.consequences.iter().filter_map(|c| Consequence::parse("consequences", c).ok()).collect();
    suggest_serious(&SeriousFacts {
        max_level,
        national_critical: inc.national_critical,
        consequences,
        beyond_capacity: inc.beyond_capacity,
    })
    .reasons
}

/// What an administrative document's header needs about the reporting unit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentHeader {
    pub unit_name: String,
    pub parent_name: Option<String>,
    pub head_name: Option<String>,
    /// The head's title ("Giám đốc"): the signature block.
    pub head_title: Option<String>,
    /// The city or province (the root unit).
    pub root_name: String,
}

impl Store {
    /// Names for the header of an incident's document (the caller has already been allowed
    /// to see the incident).
    pub async fn document_header(&self, unit_id: i64) -> Result<DocumentHeader> {
        let r = self.read_one(&Sql::new("SELECT u.name, u.head_name, u.head_title, p.name AS parent_name, (SELECT name FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1) AS root_name FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = $1").arg(unit_id)).await?;
        Ok(DocumentHeader {
            unit_name: get(&r, "name")?,
            parent_name: get(&r, "parent_name")?,
            head_name: get(&r, "head_name")?,
            head_title: get(&r, "head_title")?,
            root_name: get(&r, "root_name")?,
        })
    }
}
