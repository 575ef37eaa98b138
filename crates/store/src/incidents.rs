//! Incidents: reported by a unit, co-ordinated by the authority, with the reporting clocks kept
//! in columns so that the queues can filter on them. Every read is scoped to the reporting
//! unit, or to a unit given a task on the incident.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::records::Page;
use crate::sql::{tag_cursor, untag_cursor, Sql};
use khien_domain::fold::{fold, like_pattern};
use khien_domain::incident::clocks::{status, ClockFacts, ClockKind, ClockStatus};
use khien_domain::incident::observable::{normalise, ObservableKind};
use khien_domain::incident::{
    check_priority, check_times, suggest_serious, Category, Consequence, SeriousFacts, State, Tlp,
};
use khien_domain::page::{Cursor, Dir};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::time::now_ms;
use khien_domain::unit::{optional_text, validate_name};
use khien_domain::{Error, Msg, Result};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::ToSchema;

/// An incident as the queues and its page show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Incident {
    pub id: i64,
    /// SC-<year>-<number>
    pub code: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub title: String,
    pub category: String,
    /// received, triaged, containing, recovering, reviewing, closed
    pub state: String,
    pub tlp: String,
    /// 1 (highest) to 4
    pub priority: i64,
    pub serious: bool,
    pub national_critical: bool,
    pub beyond_capacity: bool,
    /// Signs of harm to national security or public order (NĐ 331 Đ31.2.d: report at once).
    pub security_signs: bool,
    /// A personal-data breach (Luật 91/2025 Đ23: notice within 72 h).
    pub personal_data_breach: bool,
    pub consequences: Vec<String>,
    /// UTC milliseconds
    pub detected_at: i64,
    pub reported_at: i64,
    pub triaged_at: Option<i64>,
    pub contained_at: Option<i64>,
    pub response_ended_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    /// The contact's position (QĐ 05 Đ11.4).
    pub reporter_position: Option<String>,
    /// The operating unit's address (QĐ 05 Đ11.4).
    pub operator_address: Option<String>,
    /// The owning body (chủ quản) of the affected system (QĐ 05 Đ11.4).
    pub owning_body: Option<String>,
    pub symptoms: Option<String>,
    pub spread: Option<String>,
    pub impact: Option<String>,
    pub provider: Option<String>,
    pub measures_taken: Option<String>,
    pub measures_planned: Option<String>,
    pub help_received: Option<String>,
    pub initial_results: Option<String>,
    pub recommendations: Option<String>,
    pub clocks: Vec<Clock>,
    /// The earliest unmet deadline (UTC ms), if any.
    pub next_due: Option<i64>,
    pub overdue: bool,
    pub merged_into: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(skip)]
    pub unit_path: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Clock {
    /// notice, initial, security, cause, closing, personal_data, city (those the ruleset has carry a due time)
    pub kind: String,
    pub due_at: Option<i64>,
    pub met_at: Option<i64>,
    /// waiting, running, overdue, met, met_late
    #[schema(value_type = String)]
    pub status: ClockStatus,
}

/// A new incident, as a unit reports it: the fields of an initial report (QĐ 05 Đ11.4).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct IncidentInput {
    pub unit_id: i64,
    pub title: String,
    pub category: String,
    /// RFC 3339
    pub detected_at: String,
    /// RFC 3339; now when absent
    pub reported_at: Option<String>,
    pub tlp: Option<String>,
    pub priority: Option<i64>,
    #[serde(default)]
    pub system_ids: Vec<i64>,
    #[serde(default)]
    pub consequences: Vec<String>,
    #[serde(default)]
    pub national_critical: bool,
    #[serde(default)]
    pub beyond_capacity: bool,
    /// Signs of harm to national security or public order (NĐ 331 Đ31.2.d: report at once).
    #[serde(default)]
    pub security_signs: bool,
    /// A personal-data breach (Luật 91/2025 Đ23: notice within 72 h).
    #[serde(default)]
    pub personal_data_breach: bool,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    /// The contact's position (QĐ 05 Đ11.4).
    pub reporter_position: Option<String>,
    /// The operating unit's address (QĐ 05 Đ11.4).
    pub operator_address: Option<String>,
    /// The owning body (chủ quản) of the affected system (QĐ 05 Đ11.4).
    pub owning_body: Option<String>,
    pub symptoms: Option<String>,
    pub spread: Option<String>,
    pub impact: Option<String>,
    pub provider: Option<String>,
    pub measures_taken: Option<String>,
    pub measures_planned: Option<String>,
    pub help_received: Option<String>,
    pub initial_results: Option<String>,
    pub recommendations: Option<String>,
    /// The form's fields are the initial report: file it now (stops the 24-hour clock).
    #[serde(default)]
    pub file_initial_report: bool,
    #[serde(default)]
    pub observables: Vec<ObservableInput>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ObservableInput {
    /// ipv4, ipv6, cidr, domain, url, md5, sha1, sha256, email
    pub kind: String,
    pub value: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub tlp: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub q: Option<String>,
    pub state: Option<String>,
    pub category: Option<String>,
    /// The reporting unit and its subtree.
    pub unit_id: Option<i64>,
    pub serious: Option<bool>,
    pub priority: Option<i64>,
    /// Only incidents with a clock past due.
    pub overdue: bool,
    /// Include closed incidents (the queues hide them by default).
    pub include_closed: bool,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

pub(crate) const INCIDENT_COLS: &str = "i.*, u.name AS unit_name, u.path AS unit_path";

pub(crate) fn incident_row(r: &AnyRow) -> Result<Incident> {
    let flag = |c: &str| -> Result<bool> { Ok(get::<i64>(r, c)? != 0) };
    let now = now_ms();
    let mut clocks = Vec::new();
    for kind in ClockKind::ALL {
        let due: Option<i64> = get(r, &format!("{}_due", kind.code()))?;
        let met: Option<i64> = get(r, &format!("{}_met", kind.code()))?;
        clocks.push(Clock { kind: kind.code().into(), due_at: due, met_at: met, status: status(due, met, now) });
    }
    let next_due: Option<i64> = get(r, "next_due")?;
    let consequences: String = get(r, "consequences")?;
    Ok(Incident {
        id: get(r, "id")?,
        code: get(r, "code")?,
        unit_id: get(r, "unit_id")?,
        unit_name: get(r, "unit_name")?,
        title: get(r, "title")?,
        category: get(r, "category")?,
        state: get(r, "state")?,
        tlp: get(r, "tlp")?,
        priority: get(r, "priority")?,
        serious: flag("serious")?,
        national_critical: flag("national_critical")?,
        beyond_capacity: flag("beyond_capacity")?,
        security_signs: flag("security_signs")?,
        personal_data_breach: flag("personal_data_breach")?,
        consequences: consequences.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect(),
        detected_at: get(r, "detected_at")?,
        reported_at: get(r, "reported_at")?,
        triaged_at: get(r, "triaged_at")?,
        contained_at: get(r, "contained_at")?,
        response_ended_at: get(r, "response_ended_at")?,
        closed_at: get(r, "closed_at")?,
        reporter_name: get(r, "reporter_name")?,
        reporter_contact: get(r, "reporter_contact")?,
        reporter_position: get(r, "reporter_position")?,
        operator_address: get(r, "operator_address")?,
        owning_body: get(r, "owning_body")?,
        symptoms: get(r, "symptoms")?,
        spread: get(r, "spread")?,
        impact: get(r, "impact")?,
        provider: get(r, "provider")?,
        measures_taken: get(r, "measures_taken")?,
        measures_planned: get(r, "measures_planned")?,
        help_received: get(r, "help_received")?,
        initial_results: get(r, "initial_results")?,
        recommendations: get(r, "recommendations")?,
        overdue: next_due.is_some_and(|d| d < now),
        clocks,
        next_due,
        merged_into: get(r, "merged_into")?,
        created_at: get(r, "created_at")?,
        updated_at: get(r, "updated_at")?,
        unit_path: get(r, "unit_path")?,
    })
}

impl Incident {
    pub fn clock_facts(&self) -> ClockFacts {
        ClockFacts { detected_ms: self.detected_at, response_ended_ms: self.response_ended_at, ..Default::default() }
    }
}

/// Parses an RFC 3339 time of a named field.
pub(crate) fn time_field(field: &str, s: &str) -> Result<i64> {
    khien_domain::time::parse_rfc3339(s.trim()).ok_or_else(|| {
        Error::invalid(
            field,
            format!("«{s}» không phải thời điểm hợp lệ (RFC 3339, ví dụ 2026-11-23T08:30:00+07:00)."),
            format!("«{s}» is not a valid time (RFC 3339, e.g. 2026-11-23T08:30:00+07:00)."),
        )
    })
}

pub(crate) fn opt_time(field: &str, s: &Option<String>) -> Result<Option<i64>> {
    s.as_deref().filter(|v| !v.trim().is_empty()).map(|v| time_field(field, v)).transpose()
}

/// A checked observable: (kind, normal value, first seen, last seen, tlp, source).
pub(crate) struct CleanObservable {
    pub kind: &'static str,
    pub value: String,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub tlp: &'static str,
    pub source: Option<String>,
}

pub(crate) fn clean_observable(o: &ObservableInput, default_tlp: &'static str) -> Result<CleanObservable> {
    let kind = ObservableKind::parse("kind", &o.kind)?;
    let first_seen = opt_time("first_seen", &o.first_seen)?;
    let last_seen = opt_time("last_seen", &o.last_seen)?;
    if let (Some(f), Some(l)) = (first_seen, last_seen) {
        if l < f {
            return Err(Error::invalid(
                "last_seen",
                "Lần thấy cuối trước lần thấy đầu.",
                "Last seen is before first seen.",
            ));
        }
    }
    Ok(CleanObservable {
        kind: kind.code(),
        value: normalise(kind, &o.value)?,
        first_seen,
        last_seen,
        tlp: match o.tlp.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => Tlp::parse("tlp", t)?.code(),
            None => default_tlp,
        },
        source: optional_text("source", o.source.as_deref(), 200)?,
    })
}

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
        let inc = incident_row(&r)?;
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
        let mut w = self.begin_write().await?;
        let inc = self.insert_incident(&mut w, actor, i).await?;
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
        let now = now_ms();
        let title = validate_name("title", &i.title, 300)?;
        let category = Category::parse("category", &i.category)?;
        let detected = time_field("detected_at", &i.detected_at)?;
        let reported = opt_time("reported_at", &i.reported_at)?.unwrap_or(now);
        check_times(detected, reported, now)?;
        let tlp = Tlp::parse("tlp", i.tlp.as_deref().unwrap_or("amber"))?.code();
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
            .bind(tlp)
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
        add_event(w, actor, id, "reported", &format!("Tiếp nhận báo cáo sự cố «{title}» / Incident reported")).await?;
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
        let scope = self.unit_scope(actor, Action::ViewIncidents, f.unit_id).await?;
        let Some(mut q) = crate::unit_scope::scoped_select(INCIDENT_COLS, "incidents", "i", "unit_id", &scope) else {
            return Ok(Page { items: Vec::new(), next_cursor: None });
        };
        if let Some(term) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.push(" AND i.search_folded LIKE ").bind(like_pattern(term)).push(" ESCAPE '\\'");
        }
        match &f.state {
            Some(s) => {
                q.push(" AND i.state = ").bind(State::parse("state", s)?.code());
            }
            None if !f.include_closed => {
                q.push(" AND i.state <> 'closed'");
            }
            None => {}
        }
        if let Some(c) = &f.category {
            q.push(" AND i.category = ").bind(Category::parse("category", c)?.code());
        }
        if let Some(s) = f.serious {
            q.push(" AND i.serious = ").bind(s);
        }
        if let Some(p) = f.priority {
            q.push(" AND i.priority = ").bind(p);
        }
        if f.overdue {
            q.push(" AND i.next_due < ").bind(now_ms());
        }
        let cursor = untag_cursor("incidents.id", f.cursor.as_ref())?;
        q.keyset(
            "i.id",
            "i.id",
            Dir::Desc,
            cursor.as_ref().map(|c| Cursor { key: c.id.to_string(), id: c.id }).as_ref(),
            f.limit,
        );
        let rows = q.query().fetch_all(&self.pool).await.map_err(db_err)?;
        let items = rows.iter().map(incident_row).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, f.limit, |i| tag_cursor("incidents.id", String::new(), i.id)))
    }
}

pub(crate) async fn insert_observable(
    w: &mut WriteTx<'_>,
    incident_id: i64,
    o: &CleanObservable,
    now: i64,
) -> Result<i64> {
    let r = sqlx::query("INSERT INTO observables (incident_id, kind, value, first_seen, last_seen, tlp, source, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id")
        .bind(incident_id)
        .bind(o.kind)
        .bind(o.value.as_str())
        .bind(o.first_seen)
        .bind(o.last_seen)
        .bind(o.tlp)
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
    kind: &str,
    note: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO incident_events (incident_id, at, actor_label, kind, note) VALUES ($1,$2,$3,$4,$5)")
        .bind(incident_id)
        .bind(now_ms())
        .bind(actor.label())
        .bind(kind)
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
    let r = sqlx::query("INSERT INTO incident_reports (incident_id, kind, filed_at, author_label, body) VALUES ($1,$2,$3,$4,$5) RETURNING id")
        .bind(incident_id)
        .bind(kind.code())
        .bind(at)
        .bind(actor.label())
        .bind(body)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
    add_event(
        w,
        actor,
        incident_id,
        "report",
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
#[derive(Debug, Clone)]
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
        let r = sqlx::query("SELECT u.name, u.head_name, u.head_title, p.name AS parent_name, (SELECT name FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1) AS root_name FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = $1")
            .bind(unit_id)
            .fetch_one(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(DocumentHeader {
            unit_name: get(&r, "name")?,
            parent_name: get(&r, "parent_name")?,
            head_name: get(&r, "head_name")?,
            head_title: get(&r, "head_title")?,
            root_name: get(&r, "root_name")?,
        })
    }
}
