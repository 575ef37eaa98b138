//! The information-systems registry: scoped by the owner unit, audited, with the go-live gate.

use crate::audit::{json, Change};
use crate::db::{db_err, flag, from_row, get, get_opt_code, Store};
use crate::listing::Order;
use crate::records::Page;
use crate::sql::Sql;
use crate::systems::writes::opt_date;
use crate::units::scope::{scoped_count, scoped_select};
use khien_domain::calendar::parse_date;
use khien_domain::fold::fold;
use khien_domain::page::{parse_sort, Cursor};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::layers::{evaluate, LayerFacts, LayerStatus};
use khien_domain::system::level::{suggest, LevelInputs, Suggestion};
use khien_domain::system::{
    check_lifecycle_change, dossier::DossierState, InfraScope, Lifecycle, SecretGrade, SecretHarm, SystemType,
    WorksGrade,
};
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

/// A registered information system. Decoded with `FromRow` (`system_row`); the skipped fields
/// (0/1 flags, one-per-line lists, a nullable code) are set from their columns after.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct System {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub owner_unit_id: i64,
    pub owner_unit_name: String,
    pub operator_unit_id: Option<i64>,
    pub purpose: Option<String>,
    pub system_type: String,
    #[sqlx(skip)]
    pub info_private: bool,
    #[sqlx(skip)]
    pub info_personal: bool,
    pub secret_grade: String,
    pub subjects_basic: i64,
    pub subjects_sensitive: i64,
    #[sqlx(skip)]
    pub admin_procedures: bool,
    pub online_service_level: i64,
    /// An online service in a conditional business line.
    #[sqlx(skip)]
    pub conditional_business: bool,
    pub infra_scope: String,
    /// none, grade_4, grade_3, grade_2, grade_1, special, national_security
    pub works_grade: String,
    /// none, harm, serious, especially_serious
    pub secret_harm: String,
    /// When building began (yyyy-mm-dd), which can keep NĐ 85 for its level (NĐ 331 Đ39.1).
    pub building_started_on: Option<String>,
    /// not_started, partial, full: the approved protection plan's implementation.
    pub plan_status: String,
    /// The security-conditions assessment before operation found it fit, on this day.
    pub preoperation_assessed_on: Option<String>,
    /// The decision issuing the system's security rules (quy chế), e.g. "12/QĐ-UBND ngày 01/3/2026".
    pub security_rules_ref: Option<String>,
    pub data_category: String,
    pub hosting: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: Lifecycle,
    pub go_live_date: Option<String>,
    pub vendor: Option<String>,
    #[sqlx(skip)]
    pub ip_ranges: Vec<String>,
    #[sqlx(skip)]
    pub domains: Vec<String>,
    #[sqlx(skip)]
    pub tags: Vec<String>,
    /// The level of the approved dossier, if any.
    pub approved_level: Option<i64>,
    /// State of the newest dossier, if any.
    #[sqlx(skip)]
    pub dossier_state: Option<DossierState>,
    pub onsite_team: Option<String>,
    pub monitoring_unit: Option<String>,
    pub monitoring_until: Option<String>,
    pub assessed_on: Option<String>,
    pub assessor_unit: Option<String>,
    pub connected_since: Option<String>,
    pub connection_ref: Option<String>,
    /// When the record last changed (UTC ms): send it back as `expected_updated_at` so that a
    /// save over someone else's newer change is refused instead of undoing it.
    pub updated_at: i64,
    #[serde(skip)]
    pub owner_path: String,
}

#[derive(Debug, Clone, Default)]
pub struct SystemFilter {
    pub q: Option<String>,
    /// Exactly this system code (the pages' system fields take a code).
    pub code: Option<String>,
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
    /// `name` (the default), `code` or `updated`; `-` before it reverses the order.
    pub sort: Option<String>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

/// The orders of the systems list (`SystemFilter::sort`).
pub const SYSTEM_SORTS: [&str; 3] = ["name", "code", "updated"];

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
    /// Set when the approved level no longer matches what the system's attributes suggest:
    /// the level must be determined again (a new dossier).
    #[schema(value_type = Option<Object>)]
    pub redetermination: Option<khien_domain::Msg>,
    /// The last day (yyyy-mm-dd, Vietnam's time) the SOC's telemetry for the system arrived;
    /// layer 2 is not "ok" once it has been silent for `MONITORING_SILENT_DAYS`.
    pub telemetry_last_day: Option<String>,
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
    let mut system: System = from_row(r)?;
    system.info_private = flag(r, "info_private")?;
    system.info_personal = flag(r, "info_personal")?;
    system.admin_procedures = flag(r, "admin_procedures")?;
    system.conditional_business = flag(r, "conditional_business")?;
    system.ip_ranges = lines(get(r, "ip_ranges")?);
    system.domains = lines(get(r, "domains")?);
    system.tags = lines(get(r, "tags")?);
    system.dossier_state = get_opt_code(r, "dossier_state", |c| DossierState::parse("dossier_state", c))?;
    Ok(system)
}

impl System {
    pub fn level_inputs(&self) -> LevelInputs {
        LevelInputs {
            system_type: SystemType::parse("system_type", &self.system_type).unwrap_or(SystemType::Other),
            info_private: self.info_private,
            info_personal: self.info_personal,
            secret: SecretGrade::parse("secret_grade", &self.secret_grade).unwrap_or(SecretGrade::None),
            secret_harm: SecretHarm::parse("secret_harm", &self.secret_harm).unwrap_or(SecretHarm::None),
            subjects_basic: self.subjects_basic,
            subjects_sensitive: self.subjects_sensitive,
            handles_admin_procedures: self.admin_procedures,
            online_service_level: u8::try_from(self.online_service_level).unwrap_or(0),
            conditional_business: self.conditional_business,
            infra_scope: InfraScope::parse("infra_scope", &self.infra_scope).unwrap_or(InfraScope::None),
            works_grade: WorksGrade::parse("works_grade", &self.works_grade).unwrap_or(WorksGrade::None),
        }
    }

    /// What the go-live gate looks at.
    pub fn golive_facts(&self) -> khien_domain::system::GoLiveFacts {
        khien_domain::system::GoLiveFacts {
            approved_level: self.approved_level.is_some(),
            plan: khien_domain::system::PlanStatus::parse("plan_status", &self.plan_status)
                .unwrap_or(khien_domain::system::PlanStatus::NotStarted),
            preoperation_assessed: self.preoperation_assessed_on.is_some(),
        }
    }

    /// The ruleset this system's level is determined by on `on` (NĐ 331 Đ39.1 keeps NĐ 85 for
    /// systems whose building began before 01/7/2026).
    pub fn ruleset_on(&self, on: chrono::NaiveDate) -> khien_domain::system::level::Ruleset {
        khien_domain::system::level::ruleset_for_system(on, self.building_started_on.as_deref().and_then(parse_date))
    }

    pub fn layer_facts(&self, telemetry_last_day: Option<&str>) -> LayerFacts {
        let date = |s: &Option<String>| s.as_deref().and_then(parse_date);
        LayerFacts {
            onsite_team: self.onsite_team.clone(),
            monitoring_unit: self.monitoring_unit.clone(),
            monitoring_until: date(&self.monitoring_until),
            telemetry_last_day: telemetry_last_day.and_then(parse_date),
            assessed_on: date(&self.assessed_on),
            assessor_unit: self.assessor_unit.clone(),
            connected_since: date(&self.connected_since),
            connection_ref: self.connection_ref.clone(),
        }
    }
}

impl Store {
    pub(crate) async fn system_by_id(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        id: i64,
    ) -> Result<Option<System>> {
        let r = sqlx::query(&format!(
            "SELECT {SYSTEM_COLS} FROM systems s JOIN units u ON u.id = s.owner_unit_id WHERE s.id = $1"
        ))
        .bind(id)
        .fetch_optional(exec)
        .await
        .map_err(db_err)?;
        r.as_ref().map(system_row).transpose()
    }

    /// A system the caller may act on for `action` (NotFound when it may not even see it).
    pub(crate) async fn scoped_system(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        actor: &Actor,
        id: i64,
        action: Action,
    ) -> Result<System> {
        let s = self
            .system_by_id(exec, id)
            .await?
            .ok_or_else(|| Error::not_found("hệ thống thông tin", "Information system"))?;
        if actor.can(action, s.owner_unit_id, &s.owner_path) {
            Ok(s)
        } else if actor.can(Action::ViewSystems, s.owner_unit_id, &s.owner_path) {
            Err(Error::forbidden())
        } else {
            Err(Error::not_found("hệ thống thông tin", "Information system"))
        }
    }

    /// Changes a system's lifecycle status through the go-live gate.
    pub async fn set_system_status(&self, actor: &Actor, id: i64, to: Lifecycle) -> Result<System> {
        let mut w = self.begin_write().await?;
        let before = self.scoped_system(&mut *w.tx, actor, id, Action::EditSystems).await?;
        let from = before.status;
        let exception = self.active_exception(&mut *w.tx, id).await?;
        check_lifecycle_change(
            from,
            to,
            &before.golive_facts(),
            &before.ruleset_on(self.clock.today_vn()),
            exception.is_some(),
        )?;
        let mut q = Sql::new("UPDATE systems SET status = ");
        q.bind(to.code()).push(", updated_at = ").bind(self.clock.now_ms());
        if to == Lifecycle::InOperation && before.go_live_date.is_none() {
            q.push(", go_live_date = ").bind(self.clock.today_vn().format("%Y-%m-%d").to_string());
        }
        q.push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        let after = self.system_by_id(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("system vanished"))?;
        w.audit(
            Some(actor),
            Change {
                action: "system.status",
                entity_type: "system",
                entity_id: Some(id),
                unit_id: Some(after.owner_unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    async fn active_exception(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        system_id: i64,
    ) -> Result<Option<GoLiveException>> {
        let r = sqlx::query("SELECT id, reason, expires_on FROM golive_exceptions WHERE system_id = $1 AND expires_on >= $2 ORDER BY expires_on DESC LIMIT 1")
            .bind(system_id)
            .bind(self.clock.today_vn().format("%Y-%m-%d").to_string())
            .fetch_optional(exec)
            .await
            .map_err(db_err)?;
        r.map(|r| {
            Ok(GoLiveException { id: get(&r, "id")?, reason: get(&r, "reason")?, expires_on: get(&r, "expires_on")? })
        })
        .transpose()
    }

    /// The authority records a reasoned, expiring exception to the go-live gate.
    pub async fn record_exception(
        &self,
        actor: &Actor,
        system_id: i64,
        reason: &str,
        expires_on: &str,
    ) -> Result<GoLiveException> {
        let reason = validate_name("reason", reason, 2000)?;
        if reason.chars().count() < 10 {
            return Err(Error::invalid(
                "reason",
                "Lý do cần ít nhất 10 ký tự.",
                "The reason needs at least 10 characters.",
            ));
        }
        let expires = opt_date("expires_on", &Some(expires_on.to_string()))?
            .ok_or_else(|| Error::invalid("expires_on", "Cần ngày hết hạn.", "An expiry date is required."))?;
        if parse_date(&expires).is_some_and(|d| d < self.clock.today_vn()) {
            return Err(Error::invalid("expires_on", "Ngày hết hạn đã qua.", "The expiry date is in the past."));
        }
        let mut w = self.begin_write().await?;
        let s = self.scoped_system(&mut *w.tx, actor, system_id, Action::Govern).await?;
        let mut q =
            Sql::new("INSERT INTO golive_exceptions (system_id, reason, expires_on, recorded_by, created_at) VALUES (");
        q.bind(system_id)
            .push(",")
            .bind(reason.as_str())
            .push(",")
            .bind(expires.as_str())
            .push(",")
            .bind(actor.user_id)
            .push(",")
            .bind(self.clock.now_ms())
            .push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        let e = GoLiveException { id, reason, expires_on: expires };
        w.audit(
            Some(actor),
            Change {
                action: "system.exception",
                entity_type: "system",
                entity_id: Some(system_id),
                unit_id: Some(s.owner_unit_id),
                before: None,
                after: json(&e),
            },
        )
        .await?;
        w.commit().await?;
        Ok(e)
    }

    pub async fn get_system(&self, actor: &Actor, id: i64) -> Result<SystemDetail> {
        let system = self.scoped_system(&self.pool, actor, id, Action::ViewSystems).await?;
        let exception = self.active_exception(&self.pool, id).await?;
        let telemetry_last_day = self.telemetry_last_day(id).await?;
        Ok(detail(system, exception, telemetry_last_day, self.clock.today_vn()))
    }

    pub async fn list_systems(&self, actor: &Actor, f: &SystemFilter) -> Result<Page<System>> {
        // The order is checked first: a caller who reaches no unit is told of a wrong one too.
        let (sort, dir) = parse_sort(f.sort.as_deref(), &SYSTEM_SORTS, "name")?;
        let scope = self.unit_scope(actor, Action::ViewSystems, f.unit_id).await?;
        let (Some(mut q), Some(mut count)) = (
            scoped_select(SYSTEM_COLS, "systems", "s", "owner_unit_id", &scope),
            scoped_count("systems", "s", "owner_unit_id", &scope),
        ) else {
            return Ok(Page::empty());
        };
        // The filters name only the systems' own columns: the same for the rows and the count.
        let mut filters = Sql::default();
        if let Some(term) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            filters.words_like(&["s.search_folded"], term);
        }
        if let Some(code) = f.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            filters.push(" AND s.code = ").bind(code.to_string());
        }
        if let Some(l) = f.level {
            filters.push(" AND s.approved_level = ").bind(l);
        }
        if let Some(st) = &f.status {
            filters.push(" AND s.status = ").bind(st.as_str());
        }
        if let Some(d) = &f.dossier_state {
            if d == "none" {
                filters.push(" AND s.dossier_state IS NULL");
            } else {
                filters.push(" AND s.dossier_state = ").bind(d.as_str());
            }
        }
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        if f.layer_gap {
            filters.push(" AND (s.onsite_team IS NULL OR s.monitoring_unit IS NULL OR s.assessed_on IS NULL OR s.connected_since IS NULL OR s.monitoring_until < ").bind(today.clone()).push(")");
        }
        if f.violations {
            // Excepted systems are known violations, still listed.
            filters.push(" AND s.status = 'in_operation' AND s.approved_level IS NULL");
        }
        q.append(&filters);
        count.append(&filters);
        // The first page says how many match in all (the list's heading shows it).
        let tag = format!("systems.{sort}.{dir:?}");
        let order = match sort {
            "code" => Order::text(&tag, "s.code", "s.id", dir),
            "updated" => Order::number(&tag, "s.updated_at", "s.id", dir),
            _ => Order::text(&tag, "s.name_folded", "s.id", dir),
        };
        let key_of = |s: &System| match sort {
            "code" => (s.code.clone(), s.id),
            "updated" => (s.updated_at.to_string(), s.id),
            _ => (fold(&s.name), s.id),
        };
        self.page_of(q, &order.counted_by(count), (f.cursor.as_ref(), f.limit), system_row, key_of).await
    }

    /// Every system the caller may see (for the overview and exports).
    pub async fn all_systems(&self, actor: &Actor) -> Result<Vec<System>> {
        let mut q =
            Sql::new(&format!("SELECT {SYSTEM_COLS} FROM systems s JOIN units u ON u.id = s.owner_unit_id WHERE "));
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems)).push(" ORDER BY u.path, s.name_folded");
        let rows = self.read_all(&q).await?;
        rows.iter().map(system_row).collect()
    }
}

/// Suggestion, layers and violation for a system, judged by today's ruleset.
pub fn detail(
    system: System,
    exception: Option<GoLiveException>,
    telemetry_last_day: Option<String>,
    today: chrono::NaiveDate,
) -> SystemDetail {
    let rs = system.ruleset_on(today);
    let suggestion = suggest(&system.level_inputs(), &rs);
    let level = system.approved_level.and_then(|l| u8::try_from(l).ok());
    let layers = evaluate(&system.layer_facts(telemetry_last_day.as_deref()), level, today, &rs).to_vec();
    // An exception does not make it compliant: the violation is known, and still counted.
    let violation_days = (system.status == Lifecycle::InOperation && system.approved_level.is_none()).then(|| {
        system.go_live_date.as_deref().and_then(parse_date).map(|d| (today - d).num_days().max(0)).unwrap_or(0)
    });
    let redetermination = system.approved_level.filter(|l| *l != i64::from(suggestion.level)).map(|approved| {
        khien_domain::Msg::new(
            format!("Thuộc tính hệ thống đã thay đổi: cấp độ gợi ý {} khác cấp độ đã phê duyệt {approved}. Cần lập hồ sơ xác định lại cấp độ.", suggestion.level),
            format!("The system's attributes changed: the suggested level {} differs from the approved level {approved}. A new dossier must determine the level again.", suggestion.level),
        )
    });
    SystemDetail { system, suggestion, layers, exception, violation_days, redetermination, telemetry_last_day }
}
