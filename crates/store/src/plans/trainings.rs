//! Trainings, drills and awareness campaigns (issue 15.6). A unit records what it held (the
//! authority, the city's); a drill names the systems and the response plan it tested, and is
//! each system's incident-response drill done. A caller sees the events its units organised
//! or took part in.

use crate::audit::{json, Change};
use crate::db::{db_err, get, get_code, Store};
use crate::sql::Sql;
use crate::systems::obligations::NewOccurrence;
use khien_domain::calendar::parse_date;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::obligation::{ObligationKind, OccurrenceSource};
use khien_domain::training::{check_count, TrainingKind};
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default)]
pub struct TrainingInput {
    pub kind: String,
    pub title: String,
    /// dd/mm/yyyy or yyyy-mm-dd; not in the future.
    pub held_on: String,
    pub organiser_unit_id: i64,
    pub unit_ids: Vec<i64>,
    /// A drill's systems.
    pub system_ids: Vec<i64>,
    pub participants: i64,
    pub reach: i64,
    pub response_plan: String,
    pub lessons: String,
    pub follow_up: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Training {
    pub id: i64,
    pub kind: TrainingKind,
    pub title: String,
    /// yyyy-mm-dd.
    pub held_on: String,
    pub organiser_unit_id: i64,
    pub organiser_name: String,
    /// People taking part.
    pub participants: i64,
    /// People reached (a campaign).
    pub reach: i64,
    /// The incident-response plan a drill tested.
    pub response_plan: String,
    pub lessons: String,
    pub follow_up: String,
    /// Units taking part: (id, name).
    pub units: Vec<(i64, String)>,
    /// Systems a drill tested: (id, code, name).
    pub systems: Vec<(i64, String, String)>,
    /// What units must do after it (those the caller may see).
    pub follow_ups: Vec<crate::FollowUp>,
}

const COLS: &str = "t.id, t.kind, t.title, t.held_on, t.organiser_unit_id, o.name AS organiser_name, t.participants, t.reach, t.response_plan, t.lessons, t.follow_up";

fn row(r: &AnyRow) -> Result<Training> {
    Ok(Training {
        id: get(r, "id")?,
        kind: get_code(r, "kind", |s| TrainingKind::parse("kind", s))?,
        title: get(r, "title")?,
        held_on: get(r, "held_on")?,
        organiser_unit_id: get(r, "organiser_unit_id")?,
        organiser_name: get(r, "organiser_name")?,
        participants: get(r, "participants")?,
        reach: get(r, "reach")?,
        response_plan: get(r, "response_plan")?,
        lessons: get(r, "lessons")?,
        follow_up: get(r, "follow_up")?,
        units: Vec::new(),
        systems: Vec::new(),
        follow_ups: Vec::new(),
    })
}

/// Free text of at most `max` characters, trimmed (empty allowed).
pub(crate) fn bounded(field: &str, v: &str, max: usize) -> Result<String> {
    let v = v.trim();
    if v.chars().count() > max {
        return Err(Error::invalid(field, format!("Tối đa {max} ký tự."), format!("At most {max} characters.")));
    }
    Ok(v.to_string())
}

impl Store {
    /// The events the caller's units organised or took part in, newest first.
    pub async fn list_trainings(&self, actor: &Actor, limit: i64) -> Result<Vec<Training>> {
        let reach = actor.reach(Action::ViewUnits);
        let mut q =
            Sql::new(&format!("SELECT {COLS} FROM trainings t JOIN units o ON o.id = t.organiser_unit_id WHERE ("));
        q.reach("o.path", "o.id", &reach);
        q.push(" OR t.id IN (SELECT tu.training_id FROM training_units tu JOIN units u ON u.id = tu.unit_id WHERE ");
        q.reach("u.path", "u.id", &reach)
            .push(")) ORDER BY t.held_on DESC, t.id DESC LIMIT ")
            .bind(limit.clamp(1, 500));
        self.read_all(&q).await?.iter().map(row).collect()
    }

    pub async fn get_training(&self, actor: &Actor, id: i64) -> Result<Training> {
        let r = self
            .read_optional(
                &Sql::new(&format!(
                    "SELECT {COLS}, o.path FROM trainings t JOIN units o ON o.id = t.organiser_unit_id WHERE t.id = $1"
                ))
                .arg(id),
            )
            .await?
            .ok_or_else(|| Error::not_found("sự kiện tập huấn, diễn tập", "Training or drill"))?;
        let mut t = row(&r)?;
        let units = self.read_all(&Sql::new("SELECT u.id, u.name, u.path FROM training_units tu JOIN units u ON u.id = tu.unit_id WHERE tu.training_id = $1 ORDER BY u.name").arg(id)).await?;
        let organiser_path: String = get(&r, "path")?;
        let sees = actor.can(Action::ViewUnits, t.organiser_unit_id, &organiser_path)
            || units.iter().any(|u| {
                let (uid, path): (i64, String) = (get(u, "id").unwrap_or(0), get(u, "path").unwrap_or_default());
                actor.can(Action::ViewUnits, uid, &path)
            });
        if !sees {
            return Err(Error::not_found("sự kiện tập huấn, diễn tập", "Training or drill"));
        }
        t.units = units.iter().map(|u| Ok((get(u, "id")?, get(u, "name")?))).collect::<Result<_>>()?;
        let systems = self.read_all(&Sql::new("SELECT s.id, s.code, s.name, u.path, s.owner_unit_id FROM training_systems ts JOIN systems s ON s.id = ts.system_id JOIN units u ON u.id = s.owner_unit_id WHERE ts.training_id = $1 ORDER BY s.code").arg(id)).await?;
        for s in &systems {
            let (owner, path): (i64, String) = (get(s, "owner_unit_id")?, get(s, "path")?);
            if actor.can(Action::ViewSystems, owner, &path) {
                t.systems.push((get(s, "id")?, get(s, "code")?, get(s, "name")?));
            }
        }
        t.follow_ups = self.follow_ups_of(actor, id).await?;
        Ok(t)
    }

    /// Records an event held by a unit the caller may report for; a drill's systems must be
    /// the caller's to see, and each gets its incident-response drill done on that day.
    pub async fn record_training(&self, actor: &Actor, input: &TrainingInput) -> Result<Training> {
        let kind = TrainingKind::parse("kind", &input.kind)?;
        let title = validate_name("title", &input.title, 300)?;
        let held = parse_date(input.held_on.trim())
            .or_else(|| chrono::NaiveDate::parse_from_str(input.held_on.trim(), "%d/%m/%Y").ok())
            .ok_or_else(|| {
                Error::invalid("held_on", "Ngày tổ chức phải có dạng dd/mm/yyyy.", "The day must be dd/mm/yyyy.")
            })?;
        if held > self.clock.today_vn() {
            return Err(Error::invalid(
                "held_on",
                "Ghi nhận sự kiện đã tổ chức: ngày không được ở tương lai.",
                "Record events held: the day cannot be in the future.",
            ));
        }
        let participants = check_count("participants", input.participants)?;
        let reach = check_count("reach", input.reach)?;
        let (response_plan, lessons, follow_up) = (
            bounded("response_plan", &input.response_plan, 500)?,
            bounded("lessons", &input.lessons, 10_000)?,
            bounded("follow_up", &input.follow_up, 10_000)?,
        );
        if kind != TrainingKind::Drill && !input.system_ids.is_empty() {
            return Err(Error::invalid(
                "system_ids",
                "Chỉ buổi diễn tập mới gắn với hệ thống.",
                "Only a drill tests systems.",
            ));
        }
        let organiser = self.get_unit(actor, input.organiser_unit_id).await?;
        actor.require_pick(
            "organiser_unit_id",
            Action::ReportProgress,
            organiser.id,
            &organiser.path,
            organiser.active,
        )?;
        let mut units = Vec::new();
        for id in input.unit_ids.iter().copied().collect::<std::collections::BTreeSet<i64>>() {
            units.push(self.get_unit(actor, id).await.map_err(|_| {
                Error::invalid(
                    "unit_ids",
                    format!("Không có đơn vị #{id} trong phạm vi của bạn."),
                    format!("There is no unit #{id} within your reach."),
                )
            })?);
        }
        let mut systems = Vec::new();
        for id in input.system_ids.iter().copied().collect::<std::collections::BTreeSet<i64>>() {
            systems.push(self.scoped_system(&self.pool, actor, id, Action::ViewSystems).await?);
        }
        let now = self.clock.now_ms();
        let day = held.format("%Y-%m-%d").to_string();
        let mut w = self.begin_write().await?;
        let r = sqlx::query("INSERT INTO trainings (kind, title, held_on, organiser_unit_id, participants, reach, response_plan, lessons, follow_up, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id")
            .bind(kind.code())
            .bind(title.as_str())
            .bind(day.as_str())
            .bind(organiser.id)
            .bind(participants)
            .bind(reach)
            .bind(response_plan.as_str())
            .bind(lessons.as_str())
            .bind(follow_up.as_str())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let id: i64 = get(&r, "id")?;
        for u in &units {
            sqlx::query("INSERT INTO training_units (training_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(u.id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        for s in &systems {
            sqlx::query("INSERT INTO training_systems (training_id, system_id) VALUES ($1, $2)")
                .bind(id)
                .bind(s.id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            let drill = NewOccurrence {
                system_id: s.id,
                kind: ObligationKind::IncidentDrill,
                done_on: held,
                source: OccurrenceSource::Drill,
                ref_id: Some(id),
                note: title.clone(),
                recorded_by: Some(actor.user_id),
                recorded_at: now,
            };
            drill.insert().query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        let record = serde_json::json!({"kind": kind.code(), "title": title, "held_on": day, "units": units.len(), "systems": systems.iter().map(|s| s.code.clone()).collect::<Vec<_>>(), "participants": participants, "reach": reach});
        w.audit(
            Some(actor),
            Change {
                action: "training.record",
                entity_type: "training",
                entity_id: Some(id),
                unit_id: Some(organiser.id),
                before: None,
                after: json(&record),
            },
        )
        .await?;
        w.commit().await?;
        self.get_training(actor, id).await
    }
}
