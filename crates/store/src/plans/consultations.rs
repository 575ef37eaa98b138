//! The consultation register (issue 15.4): a drafting body sends a draft to units for comments;
//! each asked unit replies "agreed" or with comments per section or task; the drafting body
//! answers every comment (taken in or not, with its reason) and closes the round. The drafting
//! unit's people see every reply; anyone else sees the replies of the units they may see.

use crate::audit::{json, Change};
use crate::db::{db_err, flag, get, get_opt_code, Store};
use crate::events::Notice;
use crate::sql::Sql;
use khien_domain::calendar::parse_date;
use khien_domain::consultation::{check_answer, CommentAnswer};
use khien_domain::notification::NotificationKind;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::validate_name;
use khien_domain::worklist::unit_side;
use khien_domain::{Error, Result};
use serde::Serialize;
use std::collections::BTreeSet;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default)]
pub struct ConsultationInput {
    pub title: String,
    pub drafting_unit_id: i64,
    /// dd/mm/yyyy or yyyy-mm-dd: the day comments are due.
    pub due_on: String,
    pub unit_ids: Vec<i64>,
}

/// One comment: the part of the draft it is about ("Mục III", "Nhiệm vụ 2.2") and what it says.
#[derive(Debug, Clone, Default)]
pub struct CommentInput {
    pub section: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultationComment {
    pub id: i64,
    pub section: String,
    pub body: String,
    pub answer: Option<CommentAnswer>,
    pub reason: String,
}

/// An asked unit and its reply.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConsultedUnit {
    pub unit_id: i64,
    pub unit_name: String,
    pub replied: bool,
    /// Replied "Thống nhất" without a comment.
    pub agreed: bool,
    pub comments: Vec<ConsultationComment>,
}

/// The register's counts, as its head prints them ("Số lượng ý kiến: 30, Thống nhất: 26 …").
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ConsultationCounts {
    pub asked: i64,
    pub replied: i64,
    pub agreed: i64,
    pub with_comments: i64,
    pub comments: i64,
    pub accepted: i64,
    pub not_accepted: i64,
    pub unanswered: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Consultation {
    pub id: i64,
    pub title: String,
    pub drafting_unit_id: i64,
    pub drafting_unit_name: String,
    /// yyyy-mm-dd.
    pub due_on: String,
    pub closed: bool,
    pub counts: ConsultationCounts,
    /// The asked units the caller may see, in the order they were asked.
    pub units: Vec<ConsultedUnit>,
}

impl Store {
    /// Rounds the caller's units drafted or were asked in, newest first; counts over the
    /// units the caller sees.
    pub async fn list_consultations(&self, actor: &Actor) -> Result<Vec<Consultation>> {
        let reach = actor.reach(Action::ViewUnits);
        let mut q = Sql::new("SELECT c.id FROM consultations c JOIN units d ON d.id = c.drafting_unit_id WHERE ");
        q.reach("d.path", "d.id", &reach);
        q.push(" OR c.id IN (SELECT cu.consultation_id FROM consultation_units cu JOIN units u ON u.id = cu.unit_id WHERE ");
        q.reach("u.path", "u.id", &reach).push(") ORDER BY c.id DESC LIMIT 200");
        let ids: Vec<i64> = self.read_all(&q).await?.iter().map(|r| get(r, "id")).collect::<Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.get_consultation(actor, id).await?);
        }
        Ok(out)
    }

    pub async fn get_consultation(&self, actor: &Actor, id: i64) -> Result<Consultation> {
        let missing = || Error::not_found("dự thảo lấy ý kiến", "Draft for comments");
        let r = self.read_optional(&Sql::new("SELECT c.id, c.title, c.drafting_unit_id, d.name AS drafting_unit_name, d.path, c.due_on, c.closed FROM consultations c JOIN units d ON d.id = c.drafting_unit_id WHERE c.id = $1").arg(id)).await?
            .ok_or_else(missing)?;
        let (drafting, drafting_path): (i64, String) = (get(&r, "drafting_unit_id")?, get(&r, "path")?);
        let sees_all = actor.can(Action::ViewUnits, drafting, &drafting_path);
        let asked = self.read_all(&Sql::new("SELECT cu.unit_id, u.name, u.path, cu.replied_at, cu.agreed FROM consultation_units cu JOIN units u ON u.id = cu.unit_id WHERE cu.consultation_id = $1 ORDER BY cu.position").arg(id)).await?;
        let mut units = Vec::new();
        for u in &asked {
            let (unit_id, path): (i64, String) = (get(u, "unit_id")?, get(u, "path")?);
            if sees_all || actor.can(Action::ViewUnits, unit_id, &path) {
                units.push(ConsultedUnit {
                    unit_id,
                    unit_name: get(u, "name")?,
                    replied: get::<Option<i64>>(u, "replied_at")?.is_some(),
                    agreed: flag(u, "agreed")?,
                    comments: Vec::new(),
                });
            }
        }
        if !sees_all && units.is_empty() {
            return Err(missing());
        }
        let comments = self.read_all(&Sql::new("SELECT id, unit_id, section, body, answer, reason FROM consultation_comments WHERE consultation_id = $1 ORDER BY unit_id, id").arg(id)).await?;
        for c in &comments {
            let unit_id: i64 = get(c, "unit_id")?;
            if let Some(u) = units.iter_mut().find(|u| u.unit_id == unit_id) {
                u.comments.push(ConsultationComment {
                    id: get(c, "id")?,
                    section: get(c, "section")?,
                    body: get(c, "body")?,
                    answer: get_opt_code(c, "answer", |s| CommentAnswer::parse("answer", s))?,
                    reason: get(c, "reason")?,
                });
            }
        }
        let mut counts = ConsultationCounts { asked: units.len() as i64, ..Default::default() };
        for u in &units {
            counts.replied += i64::from(u.replied);
            counts.agreed += i64::from(u.replied && u.agreed);
            counts.with_comments += i64::from(!u.comments.is_empty());
            for c in &u.comments {
                counts.comments += 1;
                match c.answer {
                    Some(CommentAnswer::Accepted) => counts.accepted += 1,
                    Some(CommentAnswer::NotAccepted) => counts.not_accepted += 1,
                    None => counts.unanswered += 1,
                }
            }
        }
        Ok(Consultation {
            id,
            title: get(&r, "title")?,
            drafting_unit_id: drafting,
            drafting_unit_name: get(&r, "drafting_unit_name")?,
            due_on: get(&r, "due_on")?,
            closed: flag(&r, "closed")?,
            counts,
            units,
        })
    }

    /// The drafting unit and its path, when the caller may run its consultations.
    async fn drafting_unit(&self, actor: &Actor, id: i64) -> Result<(Consultation, String)> {
        let c = self.get_consultation(actor, id).await?;
        let unit = self.get_unit(actor, c.drafting_unit_id).await?;
        actor.require(Action::ManagePlans, unit.id, &unit.path)?;
        Ok((c, unit.path))
    }

    /// Sends a draft to units for comments; their people are told.
    pub async fn open_consultation(&self, actor: &Actor, input: &ConsultationInput) -> Result<Consultation> {
        let title = validate_name("title", &input.title, 500)?;
        let due = parse_date(&input.due_on).ok_or_else(|| {
            Error::invalid("due_on", "Hạn góp ý phải có dạng dd/mm/yyyy.", "The due day is dd/mm/yyyy.")
        })?;
        if due < self.clock.today_vn() {
            return Err(Error::invalid("due_on", "Hạn góp ý đã qua.", "The due day has passed."));
        }
        let drafting = self.get_unit(actor, input.drafting_unit_id).await?;
        actor.require_pick("drafting_unit_id", Action::ManagePlans, drafting.id, &drafting.path, drafting.active)?;
        let mut seen = BTreeSet::new();
        let mut asked = Vec::new();
        for &id in &input.unit_ids {
            if !seen.insert(id) {
                continue;
            }
            let unit = self.get_unit(actor, id).await.map_err(|_| {
                Error::invalid(
                    "unit_ids",
                    format!("Không có đơn vị #{id} trong phạm vi của bạn."),
                    format!("There is no unit #{id} within your reach."),
                )
            })?;
            asked.push(unit);
        }
        if asked.is_empty() || asked.len() > 1000 {
            return Err(Error::invalid(
                "unit_ids",
                "Chọn từ 1 đến 1000 đơn vị được lấy ý kiến.",
                "Choose 1 to 1,000 units to ask.",
            ));
        }
        let now = self.clock.now_ms();
        let due = due.format("%Y-%m-%d").to_string();
        let mut w = self.begin_write().await?;
        let r = sqlx::query("INSERT INTO consultations (title, drafting_unit_id, due_on, closed, created_by, created_at) VALUES ($1,$2,$3,0,$4,$5) RETURNING id")
            .bind(title.as_str())
            .bind(drafting.id)
            .bind(due.as_str())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let id: i64 = get(&r, "id")?;
        for (position, unit) in asked.iter().enumerate() {
            sqlx::query(
                "INSERT INTO consultation_units (consultation_id, unit_id, position, agreed) VALUES ($1,$2,$3,0)",
            )
            .bind(id)
            .bind(unit.id)
            .bind(position as i64)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        }
        let after = serde_json::json!({"title": title, "due_on": due, "units": asked.len()});
        w.audit(
            Some(actor),
            Change {
                action: "consultation.open",
                entity_type: "consultation",
                entity_id: Some(id),
                unit_id: Some(drafting.id),
                before: None,
                after: json(&after),
            },
        )
        .await?;
        let shown_due = khien_domain::calendar::display_date(&due);
        let notice = Notice {
            kind: NotificationKind::ConsultationOpened,
            key: format!("consultation:{id}:open"),
            vi: format!("{} đề nghị góp ý dự thảo «{title}» trước ngày {shown_due}", drafting.name),
            en: format!("{} asks for comments on the draft «{title}» by {shown_due}", drafting.name),
            link: format!("/consultations/{id}"),
            unit_id: drafting.id,
        };
        let units: Vec<(i64, &str)> = asked.iter().map(|u| (u.id, u.path.as_str())).collect();
        self.notify_where(&mut w, actor, (&notice, &units), |p| {
            let p = p.with_roles(unit_side);
            units.iter().any(|(id, path)| p.can(Action::ReportProgress, *id, path))
        })
        .await?;
        w.commit().await?;
        self.get_consultation(actor, id).await
    }

    /// An asked unit's reply: no comment means "agreed"; comments are added to any it sent
    /// before (nothing sent is lost). The drafting unit's people are told.
    pub async fn reply_to_consultation(
        &self,
        actor: &Actor,
        id: i64,
        unit_id: i64,
        comments: &[CommentInput],
    ) -> Result<Consultation> {
        let c = self.get_consultation(actor, id).await?;
        let unit = self.get_unit(actor, unit_id).await?;
        actor.require(Action::ReportProgress, unit.id, &unit.path)?;
        let Some(asked) = c.units.iter().find(|u| u.unit_id == unit.id) else {
            return Err(Error::invalid(
                "unit_id",
                format!("{} không nằm trong danh sách được lấy ý kiến.", unit.name),
                format!("{} was not asked for comments.", unit.name),
            ));
        };
        if c.closed {
            return Err(Error::conflict("Đợt lấy ý kiến đã kết thúc.", "The round of comments is closed."));
        }
        let mut checked = Vec::with_capacity(comments.len());
        for (n, x) in comments.iter().enumerate() {
            let section = x.section.trim();
            let body = x.body.trim();
            if body.is_empty() || body.chars().count() > 10_000 || section.chars().count() > 300 {
                return Err(Error::invalid(
                    "comments",
                    format!("Ý kiến {}: nội dung từ 1 đến 10.000 ký tự, phần góp ý tối đa 300.", n + 1),
                    format!("Comment {}: 1 to 10,000 characters, its section at most 300.", n + 1),
                ));
            }
            checked.push((section.to_string(), body.to_string()));
        }
        let agreed = checked.is_empty() && asked.comments.is_empty();
        let now = self.clock.now_ms();
        let mut w = self.begin_write().await?;
        sqlx::query(
            "UPDATE consultation_units SET replied_at = $1, agreed = $2 WHERE consultation_id = $3 AND unit_id = $4",
        )
        .bind(now)
        .bind(i64::from(agreed))
        .bind(id)
        .bind(unit.id)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        for (section, body) in &checked {
            sqlx::query("INSERT INTO consultation_comments (consultation_id, unit_id, section, body, reason, created_by, created_at) VALUES ($1,$2,$3,$4,'',$5,$6)")
                .bind(id)
                .bind(unit.id)
                .bind(section.as_str())
                .bind(body.as_str())
                .bind(actor.user_id)
                .bind(now)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        w.audit(
            Some(actor),
            Change {
                action: "consultation.comment",
                entity_type: "consultation",
                entity_id: Some(id),
                unit_id: Some(unit.id),
                before: None,
                after: json(&serde_json::json!({"agreed": agreed, "comments": checked.len()})),
            },
        )
        .await?;
        let (drafting, _) = self.unit_path_name(&mut w, c.drafting_unit_id).await?;
        let (vi, en) = if agreed {
            (
                format!("{} thống nhất với dự thảo «{}»", unit.name, c.title),
                format!("{} agrees with «{}»", unit.name, c.title),
            )
        } else {
            (
                format!("{} gửi {} ý kiến góp ý dự thảo «{}»", unit.name, checked.len(), c.title),
                format!("{} sent {} comments on «{}»", unit.name, checked.len(), c.title),
            )
        };
        let notice = Notice {
            kind: NotificationKind::ConsultationReplied,
            key: format!("consultation:{id}:{}:{now}", unit.id),
            vi,
            en,
            link: format!("/consultations/{id}"),
            unit_id: c.drafting_unit_id,
        };
        let units = [(c.drafting_unit_id, drafting.as_str())];
        self.notify_where(&mut w, actor, (&notice, &units), |p| {
            p.can(Action::ManagePlans, c.drafting_unit_id, &drafting)
        })
        .await?;
        w.commit().await?;
        self.get_consultation(actor, id).await
    }

    /// The drafting body's answer to one comment; it may be changed until the round closes.
    pub async fn answer_consultation_comment(
        &self,
        actor: &Actor,
        comment_id: i64,
        answer: CommentAnswer,
        reason: &str,
    ) -> Result<Consultation> {
        let r = self
            .read_optional(
                &Sql::new("SELECT consultation_id, answer, reason FROM consultation_comments WHERE id = $1")
                    .arg(comment_id),
            )
            .await?
            .ok_or_else(|| Error::not_found("ý kiến góp ý", "Comment"))?;
        let id: i64 = get(&r, "consultation_id")?;
        let (c, _) = self.drafting_unit(actor, id).await.map_err(|e| match e {
            Error::Forbidden(_) => Error::not_found("ý kiến góp ý", "Comment"),
            e => e,
        })?;
        if c.closed {
            return Err(Error::conflict("Đợt lấy ý kiến đã kết thúc.", "The round of comments is closed."));
        }
        let reason = check_answer(answer, reason)?;
        let before =
            serde_json::json!({"answer": get::<Option<String>>(&r, "answer")?, "reason": get::<String>(&r, "reason")?});
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE consultation_comments SET answer = $1, reason = $2, answered_by = $3, answered_at = $4 WHERE id = $5")
            .bind(answer.code())
            .bind(reason.as_str())
            .bind(actor.user_id)
            .bind(self.clock.now_ms())
            .bind(comment_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "consultation.answer",
                entity_type: "consultation",
                entity_id: Some(id),
                unit_id: Some(c.drafting_unit_id),
                before: Some(before),
                after: json(&serde_json::json!({"comment": comment_id, "answer": answer.code(), "reason": reason})),
            },
        )
        .await?;
        w.commit().await?;
        self.get_consultation(actor, id).await
    }

    /// Ends the round: no more replies or answers. Every comment must have its answer first.
    pub async fn close_consultation(&self, actor: &Actor, id: i64) -> Result<Consultation> {
        let (c, _) = self.drafting_unit(actor, id).await?;
        if c.closed {
            return Ok(c);
        }
        if c.counts.unanswered > 0 {
            return Err(Error::conflict(
                format!("Còn {} ý kiến chưa được giải trình, tiếp thu.", c.counts.unanswered),
                format!("{} comments have no answer yet.", c.counts.unanswered),
            ));
        }
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE consultations SET closed = 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "consultation.close",
                entity_type: "consultation",
                entity_id: Some(id),
                unit_id: Some(c.drafting_unit_id),
                before: None,
                after: json(&c.counts),
            },
        )
        .await?;
        w.commit().await?;
        self.get_consultation(actor, id).await
    }
}
