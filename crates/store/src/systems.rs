//! The information-systems registry: scoped by the owner unit, audited, with the go-live gate.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::records::Page;
use crate::sql::{tag_cursor, untag_cursor, Sql};
use khien_domain::calendar::{parse_date, today_vn};
use khien_domain::fold::{fold, like_pattern};
use khien_domain::page::{Cursor, Dir};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::layers::{evaluate, LayerFacts, LayerStatus};
use khien_domain::system::level::{ruleset_for, suggest, LevelInputs, Suggestion};
use khien_domain::system::{check_lifecycle_change, cidrs_overlap, parse_cidr, DataCategory, InfraScope, Lifecycle, SecretGrade, SystemType};
use khien_domain::time::now_ms;
use khien_domain::unit::{optional_text, validate_code, validate_name};
use khien_domain::{Error, Msg, Result};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::ToSchema;

/// A registered information system.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct System {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub owner_unit_id: i64,
    pub owner_unit_name: String,
    pub operator_unit_id: Option<i64>,
    pub purpose: Option<String>,
    pub system_type: String,
    pub info_private: bool,
    pub info_personal: bool,
    pub secret_grade: String,
    pub subjects_basic: i64,
    pub subjects_sensitive: i64,
    pub admin_procedures: bool,
    pub online_service_level: i64,
    pub infra_scope: String,
    pub data_category: String,
    pub hosting: Option<String>,
    pub status: String,
    pub go_live_date: Option<String>,
    pub vendor: Option<String>,
    pub ip_ranges: Vec<String>,
    pub domains: Vec<String>,
    pub tags: Vec<String>,
    /// The level of the approved dossier, if any.
    pub approved_level: Option<i64>,
    /// State of the newest dossier, if any.
    pub dossier_state: Option<String>,
    pub onsite_team: Option<String>,
    pub monitoring_unit: Option<String>,
    pub monitoring_until: Option<String>,
    pub assessed_on: Option<String>,
    pub assessor_unit: Option<String>,
    pub connected_since: Option<String>,
    pub connection_ref: Option<String>,
    #[serde(skip)]
    pub owner_path: String,
}

/// Everything a unit enters about a system (create and full update).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemInput {
    pub code: String,
    pub name: String,
    pub owner_unit_id: i64,
    pub operator_unit_id: Option<i64>,
    pub purpose: Option<String>,
    /// internal, public_service, info_infrastructure, industrial_control, other
    pub system_type: String,
    #[serde(default)]
    pub info_private: bool,
    #[serde(default)]
    pub info_personal: bool,
    /// none, confidential, secret, top_secret
    pub secret_grade: Option<String>,
    #[serde(default)]
    pub subjects_basic: i64,
    #[serde(default)]
    pub subjects_sensitive: i64,
    #[serde(default)]
    pub admin_procedures: bool,
    /// 0 (none) to 4.
    #[serde(default)]
    pub online_service_level: i64,
    /// none, one_agency, province, national
    pub infra_scope: Option<String>,
    /// other, important, core
    pub data_category: Option<String>,
    pub hosting: Option<String>,
    /// Initial status when registering: planned, building, in_operation, suspended. Later
    /// changes go through the status endpoint and its go-live gate.
    pub status: Option<String>,
    /// yyyy-mm-dd or dd/mm/yyyy.
    pub go_live_date: Option<String>,
    pub vendor: Option<String>,
    #[serde(default)]
    pub ip_ranges: Vec<String>,
    #[serde(default)]
    pub domains: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub onsite_team: Option<String>,
    pub monitoring_unit: Option<String>,
    pub monitoring_until: Option<String>,
    pub assessed_on: Option<String>,
    pub assessor_unit: Option<String>,
    pub connected_since: Option<String>,
    pub connection_ref: Option<String>,
    /// Accept IP ranges that overlap another unit's systems.
    #[serde(default)]
    pub confirm_overlap: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SystemFilter {
    pub q: Option<String>,
    /// Systems owned by this unit and its subtree.
    pub unit_id: Option<i64>,
    pub level: Option<i64>,
    pub status: Option<String>,
    pub dossier_state: Option<String>,
    /// Only systems with a missing or expired layer (approximate: empty fields or an ended
    /// monitoring contract).
    pub layer_gap: bool,
    /// Only systems in operation without an approved level nor an active exception.
    pub violations: bool,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

/// A system with everything its page shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SystemDetail {
    #[serde(flatten)]
    pub system: System,
    #[schema(value_type = Object)]
    pub suggestion: Suggestion,
    #[schema(value_type = Vec<Object>)]
    pub layers: Vec<LayerStatus>,
    pub exception: Option<GoLiveException>,
    /// Days in operation without an approved level (a violation), if it is one.
    pub violation_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoLiveException {
    pub id: i64,
    pub reason: String,
    pub expires_on: String,
}

pub(crate) const SYSTEM_COLS: &str = "s.*, u.name AS owner_unit_name, u.path AS owner_path";

fn lines(s: String) -> Vec<String> {
    s.lines().map(str::to_string).filter(|l| !l.is_empty()).collect()
}

pub(crate) fn system_row(r: &AnyRow) -> Result<System> {
    let flag = |c: &str| -> Result<bool> { Ok(get::<i64>(r, c)? != 0) };
    Ok(System {
        id: get(r, "id")?,
        code: get(r, "code")?,
        name: get(r, "name")?,
        owner_unit_id: get(r, "owner_unit_id")?,
        owner_unit_name: get(r, "owner_unit_name")?,
        operator_unit_id: get(r, "operator_unit_id")?,
        purpose: get(r, "purpose")?,
        system_type: get(r, "system_type")?,
        info_private: flag("info_private")?,
        info_personal: flag("info_personal")?,
        secret_grade: get(r, "secret_grade")?,
        subjects_basic: get(r, "subjects_basic")?,
        subjects_sensitive: get(r, "subjects_sensitive")?,
        admin_procedures: flag("admin_procedures")?,
        online_service_level: get(r, "online_service_level")?,
        infra_scope: get(r, "infra_scope")?,
        data_category: get(r, "data_category")?,
        hosting: get(r, "hosting")?,
        status: get(r, "status")?,
        go_live_date: get(r, "go_live_date")?,
        vendor: get(r, "vendor")?,
        ip_ranges: lines(get(r, "ip_ranges")?),
        domains: lines(get(r, "domains")?),
        tags: lines(get(r, "tags")?),
        approved_level: get(r, "approved_level")?,
        dossier_state: get(r, "dossier_state")?,
        onsite_team: get(r, "onsite_team")?,
        monitoring_unit: get(r, "monitoring_unit")?,
        monitoring_until: get(r, "monitoring_until")?,
        assessed_on: get(r, "assessed_on")?,
        assessor_unit: get(r, "assessor_unit")?,
        connected_since: get(r, "connected_since")?,
        connection_ref: get(r, "connection_ref")?,
        owner_path: get(r, "owner_path")?,
    })
}

impl System {
    pub fn level_inputs(&self) -> LevelInputs {
        LevelInputs {
            system_type: SystemType::parse("system_type", &self.system_type).unwrap_or(SystemType::Other),
            info_private: self.info_private,
            info_personal: self.info_personal,
            secret: SecretGrade::parse("secret_grade", &self.secret_grade).unwrap_or(SecretGrade::None),
            subjects_basic: self.subjects_basic,
            subjects_sensitive: self.subjects_sensitive,
            handles_admin_procedures: self.admin_procedures,
            online_service_level: u8::try_from(self.online_service_level).unwrap_or(0),
            infra_scope: InfraScope::parse("infra_scope", &self.infra_scope).unwrap_or(InfraScope::None),
        }
    }

    pub fn layer_facts(&self) -> LayerFacts {
        let date = |s: &Option<String>| s.as_deref().and_then(parse_date);
        LayerFacts {
            onsite_team: self.onsite_team.clone(),
            monitoring_unit: self.monitoring_unit.clone(),
            monitoring_until: date(&self.monitoring_until),
            assessed_on: date(&self.assessed_on),
            assessor_unit: self.assessor_unit.clone(),
            connected_since: date(&self.connected_since),
            connection_ref: self.connection_ref.clone(),
        }
    }
}

/// Validated, normalised input ready to store.
struct Clean {
    code: String,
    name: String,
    system_type: &'static str,
    secret_grade: &'static str,
    infra_scope: &'static str,
    data_category: &'static str,
    status: &'static str,
    ip_ranges: Vec<String>,
    texts: [(&'static str, Option<String>); 12],
}

fn opt_date(field: &'static str, v: &Option<String>) -> Result<Option<String>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_date(s).map(|d| Some(d.format("%Y-%m-%d").to_string())).ok_or_else(|| {
            Error::invalid(field, format!("«{s}» không phải ngày hợp lệ (dd/mm/yyyy)."), format!("«{s}» is not a valid date (dd/mm/yyyy or yyyy-mm-dd)."))
        }),
    }
}

fn clean(i: &SystemInput) -> Result<Clean> {
    let text = |f: &'static str, v: &Option<String>, max| -> Result<(&'static str, Option<String>)> { Ok((f, optional_text(f, v.as_deref(), max)?)) };
    if !(0..=4).contains(&i.online_service_level) {
        return Err(Error::invalid("online_service_level", "Mức độ dịch vụ công trực tuyến từ 0 đến 4.", "The online service level is 0 to 4."));
    }
    if i.subjects_basic < 0 || i.subjects_sensitive < 0 {
        return Err(Error::invalid("subjects_basic", "Số chủ thể dữ liệu không được âm.", "Data subject counts cannot be negative."));
    }
    let mut ip_ranges = Vec::new();
    for r in i.ip_ranges.iter().filter(|r| !r.trim().is_empty()) {
        let c = parse_cidr(r)?;
        if !ip_ranges.contains(&c) {
            ip_ranges.push(c);
        }
    }
    let status = Lifecycle::parse("status", i.status.as_deref().unwrap_or("planned"))?;
    if status == Lifecycle::Decommissioned {
        return Err(Error::invalid("status", "Không đăng ký hệ thống đã hủy bỏ.", "A decommissioned system cannot be registered."));
    }
    Ok(Clean {
        code: validate_code(&i.code)?,
        name: validate_name("name", &i.name, 300)?,
        system_type: SystemType::parse("system_type", &i.system_type)?.code(),
        secret_grade: SecretGrade::parse("secret_grade", i.secret_grade.as_deref().unwrap_or("none"))?.code(),
        infra_scope: InfraScope::parse("infra_scope", i.infra_scope.as_deref().unwrap_or("none"))?.code(),
        data_category: DataCategory::parse("data_category", i.data_category.as_deref().unwrap_or("other"))?.code(),
        status: status.code(),
        ip_ranges,
        texts: [
            text("purpose", &i.purpose, 2000)?,
            text("hosting", &i.hosting, 200)?,
            ("go_live_date", opt_date("go_live_date", &i.go_live_date)?),
            text("vendor", &i.vendor, 200)?,
            text("onsite_team", &i.onsite_team, 500)?,
            text("monitoring_unit", &i.monitoring_unit, 200)?,
            ("monitoring_until", opt_date("monitoring_until", &i.monitoring_until)?),
            ("assessed_on", opt_date("assessed_on", &i.assessed_on)?),
            text("assessor_unit", &i.assessor_unit, 200)?,
            ("connected_since", opt_date("connected_since", &i.connected_since)?),
            text("connection_ref", &i.connection_ref, 200)?,
            ("domains", Some(i.domains.iter().map(|d| d.trim().to_lowercase()).filter(|d| !d.is_empty()).collect::<Vec<_>>().join("\n"))),
        ],
    })
}

impl Store {
    pub(crate) async fn system_by_id(&self, exec: impl sqlx::Executor<'_, Database = sqlx::Any>, id: i64) -> Result<Option<System>> {
        let r = sqlx::query(&format!("SELECT {SYSTEM_COLS} FROM systems s JOIN units u ON u.id = s.owner_unit_id WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(exec)
            .await
            .map_err(db_err)?;
        r.as_ref().map(system_row).transpose()
    }

    /// A system the caller may act on for `action` (NotFound when it may not even see it).
    pub(crate) async fn scoped_system(&self, exec: impl sqlx::Executor<'_, Database = sqlx::Any>, actor: &Actor, id: i64, action: Action) -> Result<System> {
        let s = self.system_by_id(exec, id).await?.ok_or_else(|| Error::not_found("hệ thống thông tin", "Information system"))?;
        if actor.can(action, s.owner_unit_id, &s.owner_path) {
            Ok(s)
        } else if actor.can(Action::ViewSystems, s.owner_unit_id, &s.owner_path) {
            Err(Error::forbidden())
        } else {
            Err(Error::not_found("hệ thống thông tin", "Information system"))
        }
    }

    async fn unit_path_for(&self, w: &mut WriteTx<'_>, unit_id: i64) -> Result<String> {
        let r = sqlx::query("SELECT path FROM units WHERE id = $1").bind(unit_id).fetch_optional(&mut *w.tx).await.map_err(db_err)?;
        get(&r.ok_or_else(|| Error::invalid("owner_unit_id", format!("Không có đơn vị mã số {unit_id}."), format!("There is no unit with id {unit_id}.")))?, "path")
    }

    /// Refuses IP ranges that overlap another unit's systems unless confirmed.
    async fn check_overlaps(&self, w: &mut WriteTx<'_>, owner: i64, own_id: Option<i64>, ranges: &[String], confirmed: bool) -> Result<()> {
        if ranges.is_empty() || confirmed {
            return Ok(());
        }
        let rows = sqlx::query("SELECT id, code, owner_unit_id, ip_ranges FROM systems WHERE ip_ranges <> '' AND owner_unit_id <> $1")
            .bind(owner)
            .fetch_all(&mut *w.tx)
            .await
            .map_err(db_err)?;
        for r in &rows {
            if Some(get::<i64>(r, "id")?) == own_id {
                continue;
            }
            for other in lines(get(r, "ip_ranges")?) {
                if let Some(mine) = ranges.iter().find(|m| cidrs_overlap(m, &other)) {
                    let code: String = get(r, "code")?;
                    return Err(Error::Conflict(Msg::new(
                        format!("Dải {mine} trùng với dải {other} của hệ thống {code} thuộc đơn vị khác. Kiểm tra lại hoặc xác nhận để lưu."),
                        format!("Range {mine} overlaps {other} of system {code} of another unit. Check it, or confirm to save anyway."),
                    )));
                }
            }
        }
        Ok(())
    }

    pub async fn create_system(&self, actor: &Actor, i: &SystemInput) -> Result<System> {
        let c = clean(i)?;
        let mut w = self.begin_write().await?;
        let path = self.unit_path_for(&mut w, i.owner_unit_id).await?;
        actor.require(Action::EditSystems, i.owner_unit_id, &path)?;
        let taken = sqlx::query("SELECT id FROM systems WHERE code = $1").bind(c.code.as_str()).fetch_optional(&mut *w.tx).await.map_err(db_err)?;
        if taken.is_some() {
            return Err(Error::Conflict(Msg::new(format!("Mã hệ thống «{}» đã được dùng.", c.code), format!("The system code «{}» is already taken.", c.code))));
        }
        self.check_overlaps(&mut w, i.owner_unit_id, None, &c.ip_ranges, i.confirm_overlap).await?;
        let now = now_ms();
        let mut q = Sql::new("INSERT INTO systems (code, name, name_folded, search_folded, owner_unit_id, operator_unit_id, system_type, info_private, info_personal, secret_grade, subjects_basic, subjects_sensitive, admin_procedures, online_service_level, infra_scope, data_category, status, ip_ranges, tags, created_at, updated_at");
        for (f, _) in &c.texts {
            q.push(", ").push(f);
        }
        q.push(") VALUES (").bind(c.code.as_str()).push(",").bind(c.name.as_str()).push(",").bind(fold(&c.name)).push(",").bind(search_text(&c.name, &c.code));
        q.push(",").bind(i.owner_unit_id).push(",").bind(i.operator_unit_id);
        q.push(",").bind(c.system_type).push(",").bind(i.info_private).push(",").bind(i.info_personal).push(",").bind(c.secret_grade);
        q.push(",").bind(i.subjects_basic).push(",").bind(i.subjects_sensitive).push(",").bind(i.admin_procedures).push(",").bind(i.online_service_level);
        q.push(",").bind(c.infra_scope).push(",").bind(c.data_category).push(",").bind(c.status).push(",").bind(c.ip_ranges.join("\n"));
        q.push(",").bind(tags(&i.tags)).push(",").bind(now).push(",").bind(now);
        for (_, v) in c.texts {
            q.push(",").bind(v);
        }
        q.push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        let s = self.system_by_id(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("system vanished"))?;
        w.audit(Some(actor), Change { action: "system.create", entity_type: "system", entity_id: Some(id), unit_id: Some(s.owner_unit_id), before: None, after: json(&s) }).await?;
        w.commit().await?;
        Ok(s)
    }

    /// Replaces a system's attributes (not its status, level or dossier state).
    pub async fn update_system(&self, actor: &Actor, id: i64, i: &SystemInput) -> Result<System> {
        let c = clean(i)?;
        let mut w = self.begin_write().await?;
        let before = self.scoped_system(&mut *w.tx, actor, id, Action::EditSystems).await?;
        if i.owner_unit_id != before.owner_unit_id {
            let path = self.unit_path_for(&mut w, i.owner_unit_id).await?;
            actor.require(Action::EditSystems, i.owner_unit_id, &path)?;
        }
        self.check_overlaps(&mut w, i.owner_unit_id, Some(id), &c.ip_ranges, i.confirm_overlap).await?;
        let mut q = Sql::new("UPDATE systems SET code = ");
        q.bind(c.code.as_str()).push(", name = ").bind(c.name.as_str()).push(", name_folded = ").bind(fold(&c.name));
        q.push(", search_folded = ").bind(search_text(&c.name, &c.code));
        q.push(", owner_unit_id = ").bind(i.owner_unit_id).push(", operator_unit_id = ").bind(i.operator_unit_id);
        q.push(", system_type = ").bind(c.system_type).push(", info_private = ").bind(i.info_private).push(", info_personal = ").bind(i.info_personal);
        q.push(", secret_grade = ").bind(c.secret_grade).push(", subjects_basic = ").bind(i.subjects_basic).push(", subjects_sensitive = ").bind(i.subjects_sensitive);
        q.push(", admin_procedures = ").bind(i.admin_procedures).push(", online_service_level = ").bind(i.online_service_level);
        q.push(", infra_scope = ").bind(c.infra_scope).push(", data_category = ").bind(c.data_category);
        q.push(", ip_ranges = ").bind(c.ip_ranges.join("\n")).push(", tags = ").bind(tags(&i.tags)).push(", updated_at = ").bind(now_ms());
        for (f, v) in c.texts {
            q.push(", ").push(f).push(" = ").bind(v);
        }
        q.push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(|e| match db_err(e) {
            Error::Conflict(_) => Error::Conflict(Msg::new(format!("Mã hệ thống «{}» đã được dùng.", c.code), format!("The system code «{}» is already taken.", c.code))),
            other => other,
        })?;
        let after = self.system_by_id(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("system vanished"))?;
        w.audit(Some(actor), Change { action: "system.update", entity_type: "system", entity_id: Some(id), unit_id: Some(after.owner_unit_id), before: json(&before), after: json(&after) }).await?;
        w.commit().await?;
        Ok(after)
    }

    /// Changes a system's lifecycle status through the go-live gate.
    pub async fn set_system_status(&self, actor: &Actor, id: i64, status: &str) -> Result<System> {
        let to = Lifecycle::parse("status", status)?;
        let mut w = self.begin_write().await?;
        let before = self.scoped_system(&mut *w.tx, actor, id, Action::EditSystems).await?;
        let from = Lifecycle::parse("status", &before.status)?;
        let exception = self.active_exception(&mut *w.tx, id).await?;
        check_lifecycle_change(from, to, before.approved_level.is_some(), exception.is_some())?;
        let mut q = Sql::new("UPDATE systems SET status = ");
        q.bind(to.code()).push(", updated_at = ").bind(now_ms());
        if to == Lifecycle::InOperation && before.go_live_date.is_none() {
            q.push(", go_live_date = ").bind(today_vn().format("%Y-%m-%d").to_string());
        }
        q.push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        let after = self.system_by_id(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("system vanished"))?;
        w.audit(Some(actor), Change { action: "system.status", entity_type: "system", entity_id: Some(id), unit_id: Some(after.owner_unit_id), before: json(&before), after: json(&after) }).await?;
        w.commit().await?;
        Ok(after)
    }

    async fn active_exception(&self, exec: impl sqlx::Executor<'_, Database = sqlx::Any>, system_id: i64) -> Result<Option<GoLiveException>> {
        let r = sqlx::query("SELECT id, reason, expires_on FROM golive_exceptions WHERE system_id = $1 AND expires_on >= $2 ORDER BY expires_on DESC LIMIT 1")
            .bind(system_id)
            .bind(today_vn().format("%Y-%m-%d").to_string())
            .fetch_optional(exec)
            .await
            .map_err(db_err)?;
        r.map(|r| Ok(GoLiveException { id: get(&r, "id")?, reason: get(&r, "reason")?, expires_on: get(&r, "expires_on")? })).transpose()
    }

    /// The authority records a reasoned, expiring exception to the go-live gate.
    pub async fn record_exception(&self, actor: &Actor, system_id: i64, reason: &str, expires_on: &str) -> Result<GoLiveException> {
        let reason = validate_name("reason", reason, 2000)?;
        if reason.chars().count() < 10 {
            return Err(Error::invalid("reason", "Lý do cần ít nhất 10 ký tự.", "The reason needs at least 10 characters."));
        }
        let expires = opt_date("expires_on", &Some(expires_on.to_string()))?.ok_or_else(|| Error::invalid("expires_on", "Cần ngày hết hạn.", "An expiry date is required."))?;
        if parse_date(&expires).is_some_and(|d| d < today_vn()) {
            return Err(Error::invalid("expires_on", "Ngày hết hạn đã qua.", "The expiry date is in the past."));
        }
        let mut w = self.begin_write().await?;
        let s = self.scoped_system(&mut *w.tx, actor, system_id, Action::Govern).await?;
        let mut q = Sql::new("INSERT INTO golive_exceptions (system_id, reason, expires_on, recorded_by, created_at) VALUES (");
        q.bind(system_id).push(",").bind(reason.as_str()).push(",").bind(expires.as_str()).push(",").bind(actor.user_id).push(",").bind(now_ms()).push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        let e = GoLiveException { id, reason, expires_on: expires };
        w.audit(Some(actor), Change { action: "system.exception", entity_type: "system", entity_id: Some(system_id), unit_id: Some(s.owner_unit_id), before: None, after: json(&e) }).await?;
        w.commit().await?;
        Ok(e)
    }

    pub async fn get_system(&self, actor: &Actor, id: i64) -> Result<SystemDetail> {
        let system = self.scoped_system(&self.pool, actor, id, Action::ViewSystems).await?;
        let exception = self.active_exception(&self.pool, id).await?;
        Ok(detail(system, exception))
    }

    pub async fn list_systems(&self, actor: &Actor, f: &SystemFilter) -> Result<Page<System>> {
        // The units whose systems qualify (the caller's reach, narrowed to a subtree when asked).
        let mut units = Sql::new("SELECT u.id FROM units u WHERE ");
        units.reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
        if let Some(unit) = f.unit_id {
            units.push(" AND u.path LIKE (SELECT path FROM units WHERE id = ").bind(unit).push(") || '%'");
        }
        let unit_ids: Vec<i64> = units.query().fetch_all(&self.pool).await.map_err(db_err)?.iter().map(|r| get(r, "id")).collect::<Result<_>>()?;
        if unit_ids.is_empty() {
            return Ok(Page { items: Vec::new(), next_cursor: None });
        }
        let mut q;
        if unit_ids.len() <= 64 {
            // A few units: fetch their systems through the owner index and sort those.
            q = Sql::new(&format!("SELECT {SYSTEM_COLS} FROM systems s JOIN units u ON u.id = s.owner_unit_id WHERE s.owner_unit_id IN ("));
            for (i, id) in unit_ids.iter().enumerate() {
                if i > 0 {
                    q.push(",");
                }
                q.bind(*id);
            }
            q.push(")");
        } else {
            // Much of the city: walk systems in name order and stop after one page. CROSS JOIN
            // keeps SQLite's loop order (systems first); PostgreSQL plans it as the inner join.
            q = Sql::new(&format!("SELECT {SYSTEM_COLS} FROM systems s CROSS JOIN units u WHERE u.id = s.owner_unit_id AND "));
            q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems));
            if let Some(unit) = f.unit_id {
                q.push(" AND u.path LIKE (SELECT path FROM units WHERE id = ").bind(unit).push(") || '%'");
            }
        }
        if let Some(term) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            let pat = like_pattern(term);
            q.push(" AND s.search_folded LIKE ").bind(pat).push(" ESCAPE '\\'");
        }
        if let Some(l) = f.level {
            q.push(" AND s.approved_level = ").bind(l);
        }
        if let Some(st) = &f.status {
            q.push(" AND s.status = ").bind(st.as_str());
        }
        if let Some(d) = &f.dossier_state {
            if d == "none" {
                q.push(" AND s.dossier_state IS NULL");
            } else {
                q.push(" AND s.dossier_state = ").bind(d.as_str());
            }
        }
        let today = today_vn().format("%Y-%m-%d").to_string();
        if f.layer_gap {
            q.push(" AND (s.onsite_team IS NULL OR s.monitoring_unit IS NULL OR s.assessed_on IS NULL OR s.connected_since IS NULL OR s.monitoring_until < ").bind(today.clone()).push(")");
        }
        if f.violations {
            q.push(" AND s.status = 'in_operation' AND s.approved_level IS NULL AND NOT EXISTS (SELECT 1 FROM golive_exceptions e WHERE e.system_id = s.id AND e.expires_on >= ").bind(today).push(")");
        }
        let cursor = untag_cursor("systems.name", f.cursor.as_ref())?;
        q.keyset("s.name_folded", "s.id", Dir::Asc, cursor.as_ref(), f.limit);
        let rows = q.query().fetch_all(&self.pool).await.map_err(db_err)?;
        let items = rows.iter().map(system_row).collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, f.limit, |s| tag_cursor("systems.name", fold(&s.name), s.id)))
    }

    /// Every system the caller may see (for the overview and exports).
    pub async fn all_systems(&self, actor: &Actor) -> Result<Vec<System>> {
        let mut q = Sql::new(&format!("SELECT {SYSTEM_COLS} FROM systems s JOIN units u ON u.id = s.owner_unit_id WHERE "));
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems)).push(" ORDER BY u.path, s.name_folded");
        let rows = q.query().fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter().map(system_row).collect()
    }

}

/// What a registry search matches: the folded name and the code (as the migration backfills it).
fn search_text(name: &str, code: &str) -> String {
    format!("{} {}", fold(name), code.to_lowercase())
}

fn tags(t: &[String]) -> String {
    let mut v: Vec<String> = t.iter().map(|x| khien_domain::fold::nfc(x)).filter(|x| !x.is_empty()).collect();
    v.sort();
    v.dedup();
    v.join("\n")
}

/// Suggestion, layers and violation for a system, judged by today's ruleset.
pub fn detail(system: System, exception: Option<GoLiveException>) -> SystemDetail {
    let today = today_vn();
    let rs = ruleset_for(today);
    let suggestion = suggest(&system.level_inputs(), &rs);
    let level = system.approved_level.and_then(|l| u8::try_from(l).ok());
    let layers = evaluate(&system.layer_facts(), level, today, &rs).to_vec();
    let violation_days = (system.status == "in_operation" && system.approved_level.is_none() && exception.is_none())
        .then(|| system.go_live_date.as_deref().and_then(parse_date).map(|d| (today - d).num_days().max(0)).unwrap_or(0));
    SystemDetail { system, suggestion, layers, exception, violation_days }
}

/// One line of the authority's overview (the counts of NĐ 331 Mẫu 08, by owner unit).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct OverviewRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub systems: i64,
    /// Systems with a dossier at all (classification started).
    pub classified: i64,
    /// Dossier submitted or further.
    pub dossier_prepared: i64,
    pub appraised: i64,
    pub approved: i64,
    /// Independent assessment within its period (layer 3 ok).
    pub assessed: i64,
    /// All four protection layers ok.
    pub four_layers: i64,
    /// In operation without approval nor an active exception.
    pub violations: i64,
}

impl Store {
    /// Counts by owner unit over the systems the caller may see; the last row is the total.
    /// Aggregated by the database: the layer rules of `domain::system::layers` become SQL
    /// conditions with the reassessment cut-off date of each level computed here.
    pub async fn overview(&self, actor: &Actor) -> Result<Vec<OverviewRow>> {
        let today = today_vn();
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let rs = ruleset_for(today);
        // A level-L system's assessment is current when done on or after today − interval(L).
        let cutoff = |level: u8| {
            let months = rs.assessment_months[usize::from(level - 1)].unwrap_or(rs.organisation_assessment_months);
            day(today.checked_sub_months(chrono::Months::new(months)).unwrap_or(today))
        };
        let layer3 = |q: &mut Sql| {
            q.push("(s.assessed_on >= CASE s.approved_level");
            for level in 2..=5u8 {
                q.push(&format!(" WHEN {level} THEN ")).bind(cutoff(level));
            }
            q.push(" ELSE ").bind(cutoff(1)).push(" END)");
        };
        let mut q = Sql::new("SELECT s.owner_unit_id, MIN(u.name) AS unit_name, COUNT(*) AS systems, ");
        q.push("SUM(CASE WHEN s.dossier_state IS NOT NULL THEN 1 ELSE 0 END) AS classified, ");
        q.push("SUM(CASE WHEN s.dossier_state IN ('submitted','appraised','approved','superseded') OR s.approved_level IS NOT NULL THEN 1 ELSE 0 END) AS dossier_prepared, ");
        q.push("SUM(CASE WHEN s.dossier_state IN ('appraised','approved','superseded') OR s.approved_level IS NOT NULL THEN 1 ELSE 0 END) AS appraised, ");
        q.push("SUM(CASE WHEN s.approved_level IS NOT NULL THEN 1 ELSE 0 END) AS approved, SUM(CASE WHEN ");
        layer3(&mut q);
        q.push(" THEN 1 ELSE 0 END) AS assessed, SUM(CASE WHEN s.onsite_team IS NOT NULL AND s.monitoring_unit IS NOT NULL AND (s.monitoring_until IS NULL OR s.monitoring_until >= ");
        q.bind(day(today)).push(") AND s.connected_since IS NOT NULL AND ");
        layer3(&mut q);
        q.push(" THEN 1 ELSE 0 END) AS four_layers, ");
        q.push("SUM(CASE WHEN s.status = 'in_operation' AND s.approved_level IS NULL AND NOT EXISTS (SELECT 1 FROM golive_exceptions e WHERE e.system_id = s.id AND e.expires_on >= ");
        q.bind(day(today)).push(") THEN 1 ELSE 0 END) AS violations FROM systems s JOIN units u ON u.id = s.owner_unit_id WHERE ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems)).push(" GROUP BY s.owner_unit_id ORDER BY MIN(u.path)");
        let rows = q.query().fetch_all(&self.pool).await.map_err(db_err)?;
        let mut out = Vec::with_capacity(rows.len() + 1);
        let mut total = OverviewRow { unit_name: "Tổng cộng / Total".into(), ..Default::default() };
        for r in &rows {
            let o = OverviewRow {
                unit_id: get(r, "owner_unit_id")?,
                unit_name: get(r, "unit_name")?,
                systems: get(r, "systems")?,
                classified: get(r, "classified")?,
                dossier_prepared: get(r, "dossier_prepared")?,
                appraised: get(r, "appraised")?,
                approved: get(r, "approved")?,
                assessed: get(r, "assessed")?,
                four_layers: get(r, "four_layers")?,
                violations: get(r, "violations")?,
            };
            total.systems += o.systems;
            total.classified += o.classified;
            total.dossier_prepared += o.dossier_prepared;
            total.appraised += o.appraised;
            total.approved += o.approved;
            total.assessed += o.assessed;
            total.four_layers += o.four_layers;
            total.violations += o.violations;
            out.push(o);
        }
        out.push(total);
        Ok(out)
    }
}
