//! Follow-up of a drill or training (issue 15.6): the organiser gives a unit that took part (or
//! itself) something to fix or do by a day; the unit's people are told, see it in their
//! calendar of deadlines, and record it done with what was done.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store};
use crate::events::Notice;
use crate::sql::Sql;
use khien_domain::calendar::{display_date, parse_date};
use khien_domain::notification::NotificationKind;
use khien_domain::role::Action;
use khien_domain::scope::{Actor, Reach};
use khien_domain::worklist::unit_side;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUp {
    pub id: i64,
    pub training_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub body: String,
    /// yyyy-mm-dd.
    pub due_on: String,
    /// yyyy-mm-dd, once done.
    pub done_on: Option<String>,
    pub done_note: String,
}

const COLS: &str =
    "f.id, f.training_id, f.unit_id, u.name AS unit_name, f.body, f.due_on, f.done_on, f.done_note, u.path";

fn row(r: &AnyRow) -> Result<FollowUp> {
    Ok(FollowUp {
        id: get(r, "id")?,
        training_id: get(r, "training_id")?,
        unit_id: get(r, "unit_id")?,
        unit_name: get(r, "unit_name")?,
        body: get(r, "body")?,
        due_on: get(r, "due_on")?,
        done_on: get(r, "done_on")?,
        done_note: get(r, "done_note")?,
    })
}

fn text(field: &str, v: &str, max: usize) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > max {
        return Err(Error::invalid(field, format!("Từ 1 đến {max} ký tự."), format!("1 to {max} characters.")));
    }
    Ok(v.to_string())
}

impl Store {
    /// A training's follow-ups the caller may see (the training's page).
    pub(crate) async fn follow_ups_of(&self, actor: &Actor, training_id: i64) -> Result<Vec<FollowUp>> {
        let rows = self.read_all(&Sql::new(&format!(
            "SELECT {COLS} FROM follow_ups f JOIN units u ON u.id = f.unit_id WHERE f.training_id = $1 ORDER BY f.due_on, f.id"
        )).arg(training_id)).await?;
        let mut out = Vec::new();
        for r in &rows {
            let path: String = get(r, "path")?;
            let f = row(r)?;
            if actor.can(Action::ViewUnits, f.unit_id, &path) {
                out.push(f);
            }
        }
        Ok(out)
    }

    /// Gives a unit of the training (one taking part, or the organiser) something to do by a
    /// day; whoever reports for the organiser gives it, and the unit's people are told.
    pub async fn add_follow_up(
        &self,
        actor: &Actor,
        training_id: i64,
        unit_id: i64,
        body: &str,
        due_on: &str,
    ) -> Result<FollowUp> {
        let training = self.get_training(actor, training_id).await?;
        let organiser = self.get_unit(actor, training.organiser_unit_id).await?;
        actor.require(Action::ReportProgress, organiser.id, &organiser.path)?;
        if unit_id != organiser.id && !training.units.iter().any(|(id, _)| *id == unit_id) {
            return Err(Error::invalid(
                "unit_id",
                "Chỉ giao cho đơn vị tổ chức hoặc đơn vị đã tham gia.",
                "Give it to the organiser or a unit that took part.",
            ));
        }
        let body = text("body", body, 2000)?;
        let due = parse_date(due_on)
            .ok_or_else(|| Error::invalid("due_on", "Hạn phải có dạng dd/mm/yyyy.", "The due day is dd/mm/yyyy."))?;
        if due < self.clock.today_vn() {
            return Err(Error::invalid("due_on", "Hạn đã qua.", "The due day has passed."));
        }
        let due = due.format("%Y-%m-%d").to_string();
        let mut w = self.begin_write().await?;
        let (path, unit_name) = self.unit_path_name(&mut w, unit_id).await?;
        let r = sqlx::query("INSERT INTO follow_ups (training_id, unit_id, body, due_on, done_note, created_by, created_at) VALUES ($1,$2,$3,$4,'',$5,$6) RETURNING id")
            .bind(training_id)
            .bind(unit_id)
            .bind(body.as_str())
            .bind(due.as_str())
            .bind(actor.user_id)
            .bind(self.clock.now_ms())
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let id: i64 = get(&r, "id")?;
        let after = serde_json::json!({"unit_id": unit_id, "body": body, "due_on": due});
        w.audit(
            Some(actor),
            Change {
                action: "training.follow_up",
                entity_type: "training",
                entity_id: Some(training_id),
                unit_id: Some(unit_id),
                before: None,
                after: json(&after),
            },
        )
        .await?;
        let shown = display_date(&due);
        let notice = Notice {
            kind: NotificationKind::FollowUpGiven,
            key: format!("follow-up:{id}"),
            vi: format!("Sau «{}»: {body} (hạn {shown})", training.title),
            en: format!("After «{}»: {body} (due {shown})", training.title),
            link: format!("/trainings/{training_id}"),
            unit_id,
        };
        let units = [(unit_id, path.as_str())];
        self.notify_where(&mut w, actor, (&notice, &units), |p| {
            p.with_roles(unit_side).can(Action::ReportProgress, unit_id, &path)
        })
        .await?;
        w.commit().await?;
        Ok(FollowUp { id, training_id, unit_id, unit_name, body, due_on: due, done_on: None, done_note: String::new() })
    }

    /// The unit records a follow-up done, saying what was done.
    pub async fn complete_follow_up(&self, actor: &Actor, id: i64, note: &str) -> Result<FollowUp> {
        let missing = || Error::not_found("việc cần làm", "Follow-up");
        let r = self
            .read_optional(
                &Sql::new(&format!("SELECT {COLS} FROM follow_ups f JOIN units u ON u.id = f.unit_id WHERE f.id = $1"))
                    .arg(id),
            )
            .await?
            .ok_or_else(missing)?;
        let before = row(&r)?;
        let path: String = get(&r, "path")?;
        if !actor.can(Action::ViewUnits, before.unit_id, &path) {
            return Err(missing());
        }
        actor.require(Action::ReportProgress, before.unit_id, &path)?;
        if before.done_on.is_some() {
            return Err(Error::conflict("Việc này đã được ghi hoàn thành.", "This follow-up is already done."));
        }
        let note = text("note", note, 2000)?;
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE follow_ups SET done_on = $1, done_note = $2 WHERE id = $3")
            .bind(today.as_str())
            .bind(note.as_str())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = FollowUp { done_on: Some(today), done_note: note, ..before.clone() };
        w.audit(
            Some(actor),
            Change {
                action: "training.follow_up_done",
                entity_type: "training",
                entity_id: Some(before.training_id),
                unit_id: Some(before.unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Open follow-ups of the units within `reach` due by `until`: the calendar of deadlines.
    pub(crate) async fn follow_ups_due(&self, reach: &Reach, until: chrono::NaiveDate) -> Result<Vec<FollowUp>> {
        let mut q = Sql::new(&format!(
            "SELECT {COLS} FROM follow_ups f JOIN units u ON u.id = f.unit_id WHERE f.done_on IS NULL AND f.due_on <= "
        ));
        q.bind(until.format("%Y-%m-%d").to_string()).push(" AND ").reach("u.path", "u.id", reach);
        q.push(" ORDER BY f.due_on LIMIT 1000");
        self.read_all(&q).await?.iter().map(row).collect()
    }
}
