//! Level dossiers: drafted by the owner unit, appraised and approved by whoever the ruleset
//! names for the level, with working-day deadlines from the holiday calendar.

use crate::audit::{json, Change};
use crate::db::{db_err, from_row, get, Store};
use crate::sql::Sql;
use crate::systems::dossier_review::record_opinion;
use crate::systems::registry::System;
use chrono::NaiveDate;
use khien_domain::calendar::{parse_date, Holidays};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::dossier::{
    check_submission, deadline, may_edit, next_state, roles_for, waiting_step, DossierAction, DossierState, Part,
    UnitAt,
};
use khien_domain::system::level::{ruleset_by_code, ruleset_for, suggest};
use khien_domain::unit::optional_text;
use khien_domain::{Error, Msg, Result};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::ToSchema;

/// Decoded with `FromRow` (`dossier_row`); the skipped fields are computed after.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Dossier {
    pub id: i64,
    pub system_id: i64,
    #[sqlx(try_from = "String")]
    pub state: DossierState,
    pub ruleset: String,
    pub suggested_level: i64,
    pub proposed_level: i64,
    pub level_reason: Option<String>,
    /// Parts present: overview, design, level_justification, protection_plan, expert_opinion
    #[sqlx(skip)]
    pub parts: Vec<String>,
    pub comments: Option<String>,
    pub submitted_on: Option<String>,
    pub appraised_on: Option<String>,
    pub approved_on: Option<String>,
    pub decision_number: Option<String>,
    pub decision_signer: Option<String>,
    /// The date the current step is due (appraisal or approval), in working days.
    /// For an outside appraisal (levels 4–5): the request sent to the ministry (number, date).
    pub appraisal_request_ref: Option<String>,
    /// For an outside appraisal (levels 4–5): the ministry's appraisal document.
    pub appraisal_ref: Option<String>,
    #[sqlx(skip)]
    pub due_on: Option<String>,
    #[sqlx(skip)]
    pub due_step: Option<String>,
    /// The article setting the limit due_on keeps ("NĐ 331 Đ23.3.a"); none for the
    /// authority's own limit where the law sets none (levels 1–2: a local policy).
    #[sqlx(skip)]
    pub due_basis: Option<String>,
    /// While waiting for appraisal: the day an incomplete dossier must be answered by
    /// (5 working days, NĐ 331 Đ23.2).
    #[sqlx(skip)]
    pub incomplete_reply_due_on: Option<String>,
    #[sqlx(skip)]
    pub overdue: bool,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierInput {
    pub proposed_level: i64,
    /// Required when the proposed level differs from the suggestion.
    pub level_reason: Option<String>,
}

/// A dossier row with its next deadline, "overdue" as of `today`.
fn dossier_row(r: &AnyRow, holidays: &Holidays, today: NaiveDate) -> Result<Dossier> {
    let parts: String = get(r, "parts")?;
    let mut d: Dossier = from_row(r)?;
    d.parts = parts.split(',').filter(|p| !p.is_empty()).map(str::to_string).collect();
    let state = d.state;
    let rs = ruleset_by_code(&d.ruleset).unwrap_or_else(|| ruleset_for(today));
    let level = u8::try_from(d.proposed_level).unwrap_or(1);
    let date = |s: &Option<String>| s.as_deref().and_then(parse_date);
    if let Some(dl) = deadline(state, level, date(&d.submitted_on), date(&d.appraised_on), &rs, holidays) {
        d.overdue = dl.due < today;
        d.due_on = Some(dl.due.format("%Y-%m-%d").to_string());
        d.due_step = Some(dl.step.to_string());
        d.incomplete_reply_due_on = dl.incomplete_reply_due.map(|x| x.format("%Y-%m-%d").to_string());
        d.due_basis = dl.basis;
    }
    Ok(d)
}

fn parse_parts(parts: &[String]) -> Result<Vec<Part>> {
    parts.iter().map(|p| Part::parse("parts", p)).collect()
}

impl Store {
    pub async fn dossiers_of(&self, actor: &Actor, system_id: i64) -> Result<Vec<Dossier>> {
        self.scoped_system(&self.pool, actor, system_id, Action::ViewSystems).await?;
        let holidays = self.holidays().await?;
        let rows = self
            .read_all(&Sql::new("SELECT * FROM dossiers WHERE system_id = $1 ORDER BY id DESC").arg(system_id))
            .await?;
        rows.iter().map(|r| dossier_row(r, &holidays, self.clock.today_vn())).collect()
    }

    /// A dossier and its system, for a caller who may see the system.
    pub async fn get_dossier(&self, actor: &Actor, id: i64) -> Result<(Dossier, System)> {
        let r = self.read_optional(&Sql::new("SELECT * FROM dossiers WHERE id = $1").arg(id)).await?;
        let r = r.ok_or_else(|| Error::not_found("hồ sơ cấp độ", "Level dossier"))?;
        let d = dossier_row(&r, &self.holidays().await?, self.clock.today_vn())?;
        let hidden = || Error::not_found("hồ sơ cấp độ", "Level dossier");
        match self.scoped_system(&self.pool, actor, d.system_id, Action::ViewSystems).await {
            Ok(s) => Ok((d, s)),
            // A named owning body or dedicated unit sees the dossiers whose step is theirs.
            Err(Error::NotFound(_) | Error::Forbidden(_)) => {
                let s = self.system_by_id(&self.pool, d.system_id).await?.ok_or_else(hidden)?;
                if self.acts_on(actor, &d, &s).await? {
                    Ok((d, s))
                } else {
                    Err(hidden())
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Whether the dossier waits for a step `actor` may take (appraisal or approval), through
    /// the bodies the authority named.
    async fn acts_on(&self, actor: &Actor, d: &Dossier, s: &System) -> Result<bool> {
        let Some(step) = waiting_step(d.state) else { return Ok(false) };
        let rs = self.ruleset(&d.ruleset).await?;
        let bodies = self.level_bodies().await?;
        let system = khien_domain::system::dossier::UnitAt { id: s.owner_unit_id, path: s.owner_path.clone() };
        Ok(khien_domain::system::dossier::may_act(
            actor,
            step,
            u8::try_from(d.proposed_level).unwrap_or(1),
            &rs,
            &system,
            &bodies.bodies,
        ))
    }

    /// The dossier's timeline (from the audit trail), for anyone who may see the dossier.
    pub async fn dossier_timeline(&self, actor: &Actor, id: i64) -> Result<Vec<crate::records::AuditRecord>> {
        self.get_dossier(actor, id).await?;
        self.entity_history("dossier", id).await
    }

    /// Opens a draft dossier with today's suggestion. One open dossier per system at a time.
    pub async fn create_dossier(&self, actor: &Actor, system_id: i64, input: &DossierInput) -> Result<Dossier> {
        let mut w = self.begin_write().await?;
        let s = self.scoped_system(&mut *w.tx, actor, system_id, Action::EditSystems).await?;
        let open = sqlx::query(
            "SELECT id FROM dossiers WHERE system_id = $1 AND state IN ('draft','submitted','returned','appraised')",
        )
        .bind(system_id)
        .fetch_optional(&mut *w.tx)
        .await
        .map_err(db_err)?;
        if open.is_some() {
            return Err(Error::conflict(
                "Hệ thống đã có một hồ sơ đang xử lý.",
                "The system already has a dossier in progress.",
            ));
        }
        let rs = s.ruleset_on(self.clock.today_vn());
        let suggested = suggest(&s.level_inputs(), &rs).level;
        let proposed = if input.proposed_level == 0 { i64::from(suggested) } else { input.proposed_level };
        if !(1..=5).contains(&proposed) {
            return Err(Error::invalid(
                "proposed_level",
                "Cấp độ đề xuất phải từ 1 đến 5.",
                "The proposed level must be 1 to 5.",
            ));
        }
        let reason = optional_text("level_reason", input.level_reason.as_deref(), 4000)?;
        let now = self.clock.now_ms();
        let mut q = Sql::new("INSERT INTO dossiers (system_id, state, ruleset, suggested_level, proposed_level, level_reason, parts, created_at, updated_at) VALUES (");
        q.bind(system_id)
            .push(", 'draft', ")
            .bind(rs.code)
            .push(",")
            .bind(i64::from(suggested))
            .push(",")
            .bind(proposed)
            .push(",")
            .bind(reason);
        q.push(", '', ").bind(now).push(",").bind(now).push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        sqlx::query("UPDATE systems SET dossier_state = 'draft' WHERE id = $1")
            .bind(system_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let r =
            sqlx::query("SELECT * FROM dossiers WHERE id = $1").bind(id).fetch_one(&mut *w.tx).await.map_err(db_err)?;
        let d = dossier_row(&r, &Holidays::default(), self.clock.today_vn())?;
        w.audit(
            Some(actor),
            Change {
                action: "dossier.create",
                entity_type: "dossier",
                entity_id: Some(id),
                unit_id: Some(s.owner_unit_id),
                before: None,
                after: json(&d),
            },
        )
        .await?;
        w.commit().await?;
        Ok(d)
    }

    /// Edits a draft or returned dossier.
    pub async fn update_dossier(&self, actor: &Actor, id: i64, input: &DossierInput) -> Result<Dossier> {
        let (before, s) = self.get_dossier(actor, id).await?;
        let system = UnitAt { id: s.owner_unit_id, path: s.owner_path.clone() };
        may_edit(actor, before.state, &system)?;
        if !(1..=5).contains(&input.proposed_level) {
            return Err(Error::invalid(
                "proposed_level",
                "Cấp độ đề xuất phải từ 1 đến 5.",
                "The proposed level must be 1 to 5.",
            ));
        }
        let reason = optional_text("level_reason", input.level_reason.as_deref(), 4000)?;
        let mut w = self.begin_write().await?;
        let mut q = Sql::new("UPDATE dossiers SET proposed_level = ");
        q.bind(input.proposed_level).push(", level_reason = ").bind(reason);
        q.push(", updated_at = ")
            .bind(self.clock.now_ms())
            .push(" WHERE id = ")
            .bind(id)
            // Still in the editable state it was read in.
            .push(" AND state = ")
            .bind(before.state.code());
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        let r =
            sqlx::query("SELECT * FROM dossiers WHERE id = $1").bind(id).fetch_one(&mut *w.tx).await.map_err(db_err)?;
        let after = dossier_row(&r, &Holidays::default(), self.clock.today_vn())?;
        w.audit(
            Some(actor),
            Change {
                action: "dossier.update",
                entity_type: "dossier",
                entity_id: Some(id),
                unit_id: Some(s.owner_unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Moves a dossier through its workflow. `note` is the comment of a return; approvals need
    /// the decision number and signer.
    pub async fn act_on_dossier(
        &self,
        actor: &Actor,
        id: i64,
        action: DossierAction,
        note: Option<&str>,
        decision_number: Option<&str>,
        signer: Option<&str>,
    ) -> Result<Dossier> {
        let (before, s) = self.get_dossier(actor, id).await?;
        let state = before.state;
        let next = next_state(state, action)?;
        let rs = self.ruleset(&before.ruleset).await?;
        let level = u8::try_from(before.proposed_level).unwrap_or(1);
        let allowed = roles_for(action, level, &rs);
        let bodies = self.level_bodies().await?;
        let system = khien_domain::system::dossier::UnitAt { id: s.owner_unit_id, path: s.owner_path.clone() };
        if !khien_domain::system::dossier::may_act(actor, action, level, &rs, &system, &bodies.bodies) {
            // Name the body the authority designated, where it did; else the roles.
            let body = match action {
                DossierAction::Return | DossierAction::Appraise
                    if rs.appraiser_at(level) == khien_domain::system::level::Authority::SecurityUnit =>
                {
                    bodies.dedicated_unit_name.clone()
                }
                DossierAction::Approve if rs.approver_at(level) == khien_domain::system::level::Authority::Owner => {
                    bodies.owning_body_name.clone()
                }
                _ => None,
            };
            let roles: Vec<&str> = allowed.iter().map(|r| r.label(khien_domain::Lang::Vi)).collect();
            let roles_en: Vec<&str> = allowed.iter().map(|r| r.label(khien_domain::Lang::En)).collect();
            let (who_vi, who_en) = match body {
                Some(b) => (b.clone(), b),
                None => (roles.join(" hoặc "), roles_en.join(" or ")),
            };
            return Err(Error::Forbidden(Msg::new(
                format!("Ở cấp độ {level}, thao tác «{}» do {who_vi} thực hiện.", action.label(khien_domain::Lang::Vi)),
                format!("At level {level}, «{}» is done by {who_en}.", action.label(khien_domain::Lang::En)),
            )));
        }
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        let note = optional_text("note", note, 4000)?;
        // A return, an appraisal and an approval are judged in writing (issue 14.3).
        let opinion = match action {
            DossierAction::Submit => None,
            _ => Some(note.clone().ok_or_else(|| match action {
                DossierAction::Return => {
                    Error::invalid("note", "Cần ghi ý kiến khi trả lại hồ sơ.", "Returning a dossier needs a comment.")
                }
                DossierAction::Appraise => Error::invalid(
                    "note",
                    "Cần ghi ý kiến thẩm định: hồ sơ đạt ở những điểm nào, căn cứ nào.",
                    "Write the appraisal opinion: what the dossier meets, on what grounds.",
                ),
                _ => Error::invalid("note", "Cần ghi ý kiến phê duyệt.", "Write the approval opinion."),
            })?),
        };
        let mut q = Sql::new("UPDATE dossiers SET state = ");
        q.bind(next.code());
        match action {
            DossierAction::Submit => {
                // Itemised appraisal (issue 17.4): the unit's manager submits where the
                // authority asks a check, and every comment is answered first.
                let checked = self.manager_checks(s.owner_unit_id).await?;
                if !khien_domain::system::appraisal::may_submit_checked(actor, s.owner_unit_id, &s.owner_path, checked)
                {
                    return Err(khien_domain::system::appraisal::manager_check_refusal());
                }
                let open = self.unanswered_comments(id).await?;
                if open > 0 {
                    return Err(Error::invalid(
                        "comments",
                        format!(
                            "Còn {open} ý kiến thẩm định chưa được trả lời: trả lời từng ý kiến trước khi gửi lại."
                        ),
                        format!("{open} appraisal comments are not answered: answer each before resubmitting."),
                    ));
                }
                let parts = parse_parts(&before.parts)?;
                check_submission(
                    level,
                    u8::try_from(before.suggested_level).unwrap_or(1),
                    before.level_reason.as_deref(),
                    &parts,
                    &rs,
                )?;
                q.push(", submitted_on = ").bind(today.clone());
                // Levels 4–5 go to the ministry: its request's reference, when given, is kept.
                if rs.appraiser_at(level).is_outside() {
                    q.push(", appraisal_request_ref = ").bind(optional_text("decision_number", decision_number, 100)?);
                }
            }
            DossierAction::Return => {
                q.push(", comments = ").bind(opinion.clone());
            }
            DossierAction::Appraise => {
                let appraiser = rs.appraiser_at(level);
                if appraiser.is_outside() {
                    // The ministry appraises (NĐ 331 Đ18.3): record its document, not a click.
                    let number = optional_text("decision_number", decision_number, 100)?.ok_or_else(|| {
                        Error::invalid(
                            "decision_number",
                            "Cấp độ 4, 5 do Bộ Công an thẩm định: hãy ghi số văn bản kết quả thẩm định của Bộ.",
                            "Levels 4–5 are appraised by the Ministry of Public Security: record the number of its appraisal document.",
                        )
                    })?;
                    q.push(", appraisal_ref = ").bind(number);
                } else if actor
                    .grants
                    .iter()
                    .any(|g| g.unit_id == s.owner_unit_id || Some(g.unit_id) == s.operator_unit_id)
                {
                    // NĐ 331 Đ18.4; TT 12/2022 Đ6: the unit that operates the system does not appraise it.
                    return Err(Error::Forbidden(Msg::new(
                        "Đơn vị chuyên trách cũng vận hành hệ thống này: cần đơn vị thẩm định độc lập (đơn vị cấp dưới được chủ quản giao hoặc hội đồng thẩm định độc lập — NĐ 331 Đ18.4; TT 12/2022 Đ6).",
                        "The dedicated unit also operates this system: an independent appraiser is needed (a subordinate unit the owning body assigns, or an independent council — NĐ 331 Art. 18.4; TT 12/2022 Art. 6).",
                    )));
                }
                q.push(", appraised_on = ").bind(today.clone());
            }
            DossierAction::Approve => {
                // NĐ 85 Đ14.3.c: level 5 is approved by the Prime Minister's list; its decision is recorded.
                let by_prime_minister = rs.approver_at(level) == khien_domain::system::level::Authority::PrimeMinister;
                let number = optional_text("decision_number", decision_number, 100)?.ok_or_else(|| {
                    if by_prime_minister {
                        Error::invalid(
                            "decision_number",
                            "Cấp độ 5 do Thủ tướng Chính phủ phê duyệt Danh mục hệ thống cấp độ 5 (NĐ 85 Đ14.3.c): hãy ghi số quyết định của Thủ tướng.",
                            "Level 5 is approved by the Prime Minister's list of level-5 systems (NĐ 85 Art. 14.3.c): record the number of the Prime Minister's decision.",
                        )
                    } else {
                        Error::invalid(
                            "decision_number",
                            "Cần số quyết định phê duyệt.",
                            "The approval decision number is required.",
                        )
                    }
                })?;
                let signer = match optional_text("decision_signer", signer, 200)? {
                    Some(signer) => signer,
                    None if by_prime_minister => "Thủ tướng Chính phủ".to_string(),
                    None => {
                        return Err(Error::invalid(
                            "decision_signer",
                            "Cần người ký quyết định.",
                            "The signer is required.",
                        ))
                    }
                };
                if s.security_rules_ref.is_none() {
                    let at = rs.article(rs.security_rules_article);
                    return Err(Error::invalid(
                        "security_rules_ref",
                        format!("Quy chế bảo đảm an ninh mạng của hệ thống phải được ban hành trước khi phê duyệt hồ sơ ({at}); hãy ghi số quyết định ban hành quy chế trong thông tin hệ thống."),
                        format!("The system's security rules must be issued before the dossier is approved ({at}); record the decision issuing them in the system's details."),
                    ));
                }
                q.push(", approved_on = ")
                    .bind(today.clone())
                    .push(", decision_number = ")
                    .bind(number)
                    .push(", decision_signer = ")
                    .bind(signer);
            }
        }
        q.push(", updated_at = ")
            .bind(self.clock.now_ms())
            .push(" WHERE id = ")
            .bind(id)
            .push(" AND state = ")
            .bind(state.code());
        // Read before the write lock: the deadline the notice names honours the holiday calendar.
        let holidays = self.holidays().await?;
        let mut w = self.begin_write().await?;
        let changed = q.query().execute(&mut *w.tx).await.map_err(db_err)?.rows_affected();
        if changed == 0 {
            return Err(Error::conflict(
                "Hồ sơ vừa được người khác thay đổi; hãy tải lại.",
                "The dossier was just changed by someone else; reload it.",
            ));
        }
        if action == DossierAction::Approve {
            // The new decision replaces any earlier approved dossier of the system.
            sqlx::query(
                "UPDATE dossiers SET state = 'superseded' WHERE system_id = $1 AND state = 'approved' AND id <> $2",
            )
            .bind(s.id)
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
            sqlx::query("UPDATE systems SET approved_level = $1 WHERE id = $2")
                .bind(before.proposed_level)
                .bind(s.id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        if action == DossierAction::Submit {
            crate::systems::appraisal_rounds::freeze_submission(&mut w, actor, id).await?;
        }
        sqlx::query("UPDATE systems SET dossier_state = $1 WHERE id = $2")
            .bind(next.code())
            .bind(s.id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let r =
            sqlx::query("SELECT * FROM dossiers WHERE id = $1").bind(id).fetch_one(&mut *w.tx).await.map_err(db_err)?;
        let after = dossier_row(&r, &holidays, self.clock.today_vn())?;
        let action_code = format!("dossier.{}", action.code());
        w.audit(
            Some(actor),
            Change {
                action: &action_code,
                entity_type: "dossier",
                entity_id: Some(id),
                unit_id: Some(s.owner_unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        if let Some(opinion) = &opinion {
            // The document names the unit the author acted for: the grant that allows the step.
            let author_unit = actor
                .grants
                .iter()
                .find(|g| {
                    let one = Actor { grants: vec![(*g).clone()], ..actor.clone() };
                    khien_domain::system::dossier::may_act(&one, action, level, &rs, &system, &bodies.bodies)
                })
                .map_or(s.owner_unit_id, |g| g.unit_id);
            record_opinion(&mut w, actor, id, action, opinion, author_unit).await?;
        }
        self.notify_dossier_moved(&mut w, actor, (action, &after), &s, (&rs, &bodies.bodies)).await?;
        w.commit().await?;
        // An approved level changes the retention of the system's telemetry.
        self.registry_changed();
        Ok(after)
    }

    /// Dossiers waiting for appraisal or approval across the city, with the system's name and
    /// the owner unit (id, path): for the reminder sweep, which acts for no one.
    pub(crate) async fn open_dossiers_everywhere(&self) -> Result<Vec<(Dossier, String, i64, String)>> {
        let holidays = self.holidays().await?;
        let rows = self.read_all(&Sql::new("SELECT d.*, s.name AS system_name, u.id AS unit_id, u.path AS unit_path FROM dossiers d JOIN systems s ON s.id = d.system_id JOIN units u ON u.id = s.owner_unit_id WHERE d.state IN ('submitted','appraised')")).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    dossier_row(r, &holidays, self.clock.today_vn())?,
                    get(r, "system_name")?,
                    get(r, "unit_id")?,
                    get(r, "unit_path")?,
                ))
            })
            .collect()
    }

    /// Dossiers waiting for a step (submitted or appraised) that the caller sees or may take,
    /// oldest submission first.
    pub async fn pending_dossiers(&self, actor: &Actor) -> Result<Vec<(Dossier, String, String)>> {
        let bodies = self.level_bodies().await?;
        let named = bodies.bodies.speaks_for(actor);
        let mut q = Sql::new("SELECT d.*, s.name AS system_name, u.name AS unit_name, s.owner_unit_id, u.path AS owner_path FROM dossiers d JOIN systems s ON s.id = d.system_id JOIN units u ON u.id = s.owner_unit_id WHERE d.state IN ('submitted','appraised') AND ");
        if named {
            q.push("1=1");
        } else {
            q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
        }
        q.push(" ORDER BY d.submitted_on, d.id");
        let holidays = self.holidays().await?;
        let rows = self.read_all(&q).await?;
        let mut rulesets: std::collections::HashMap<String, khien_domain::system::level::Ruleset> =
            std::collections::HashMap::new();
        let mut out = Vec::new();
        for r in &rows {
            let d = dossier_row(r, &holidays, self.clock.today_vn())?;
            let system =
                khien_domain::system::dossier::UnitAt { id: get(r, "owner_unit_id")?, path: get(r, "owner_path")? };
            let visible = actor.can(Action::ViewSystems, system.id, &system.path);
            if !visible {
                if !rulesets.contains_key(&d.ruleset) {
                    let rs = self.ruleset(&d.ruleset).await?;
                    rulesets.insert(d.ruleset.clone(), rs);
                }
                let Some(rs) = rulesets.get(&d.ruleset) else { continue };
                let Some(step) = waiting_step(d.state) else { continue };
                if !khien_domain::system::dossier::may_act(
                    actor,
                    step,
                    u8::try_from(d.proposed_level).unwrap_or(1),
                    rs,
                    &system,
                    &bodies.bodies,
                ) {
                    continue;
                }
            }
            out.push((d, get(r, "system_name")?, get(r, "unit_name")?));
        }
        Ok(out)
    }
}
