//! What a unit enters about a system, checked field by field, and the index of the registry's
//! IP ranges that a write checks overlaps against.

use crate::db::{db_err, get, WriteTx};
use khien_domain::calendar::parse_date;
use khien_domain::system::{
    cidr_bounds, parse_cidr, DataCategory, InfraScope, Lifecycle, PlanStatus, SecretGrade, SecretHarm, SystemType,
    WorksGrade,
};
use khien_domain::unit::{optional_text, validate_code, validate_name};
use khien_domain::{Error, Msg, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

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
    /// An online service in a conditional business line (NĐ 85 Đ9.2.b; NĐ 331 Đ13.2.a).
    #[serde(default)]
    pub conditional_business: bool,
    /// none, one_agency, province, national, international
    pub infra_scope: Option<String>,
    /// Industrial control: none, grade_4, grade_3, grade_2, grade_1, special, national_security.
    pub works_grade: Option<String>,
    /// State secrets: the harm of a breach — none, harm, serious, especially_serious.
    pub secret_harm: Option<String>,
    /// When building began (yyyy-mm-dd or dd/mm/yyyy); before 01/7/2026 keeps NĐ 85 for the
    /// level until 01/01/2027 (NĐ 331 Đ39.1).
    pub building_started_on: Option<String>,
    /// The approved protection plan: not_started, partial, full (needed full to go live).
    pub plan_status: Option<String>,
    /// The security-conditions assessment before operation found it fit on this day (NĐ 331 Đ28.3).
    pub preoperation_assessed_on: Option<String>,
    /// The decision issuing the system's security rules, needed before approval (NĐ 331 Đ30.7).
    pub security_rules_ref: Option<String>,
    /// other, important, core
    pub data_category: Option<String>,
    pub hosting: Option<String>,
    /// Initial status when registering: planned, building, in_operation, suspended. Later
    /// changes go through the status endpoint and its go-live gate.
    pub status: Option<Lifecycle>,
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
    /// The record's `updated_at` as the editor read it: when someone changed it since, the save
    /// is refused (409), naming who and when, and nothing is overwritten.
    #[serde(default)]
    pub expected_updated_at: Option<i64>,
}

/// One row of a systems import: the owner named by unit code.
#[derive(Debug, Clone)]
pub struct ImportSystem {
    /// The row in the file (as Excel numbers it), for error messages.
    pub row: usize,
    pub owner_unit_code: String,
    pub input: SystemInput,
}

/// Every stored IP range with its owner, parsed once per transaction and kept sorted by start
/// address, so that checking a 10,000-row import costs a few comparisons per range rather than
/// a query (or a scan of every range).
#[derive(Default)]
pub(crate) struct RangeIndex {
    /// (is IPv6, first address) → the ranges starting there.
    by_start: BTreeMap<(bool, u128), Vec<StoredRange>>,
    /// The widest range seen per family (index 0: IPv4): how far before `start` to look.
    widest: [u128; 2],
    /// Where each system's ranges sit, to replace them on update.
    of_system: HashMap<i64, Vec<(bool, u128)>>,
}

struct StoredRange {
    end: u128,
    owner: i64,
    system: i64,
}

impl RangeIndex {
    pub(crate) async fn load(w: &mut WriteTx<'_>) -> Result<RangeIndex> {
        let rows = sqlx::query("SELECT id, code, owner_unit_id, ip_ranges FROM systems WHERE ip_ranges <> ''")
            .fetch_all(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let mut index = RangeIndex::default();
        for r in &rows {
            let ranges: Vec<String> = get::<String>(r, "ip_ranges")?.lines().map(str::to_string).collect();
            index.add(get(r, "owner_unit_id")?, get(r, "id")?, &ranges);
        }
        Ok(index)
    }

    /// What one create or update needs: nothing to compare when it has no ranges to check.
    pub(crate) async fn for_input(w: &mut WriteTx<'_>, i: &SystemInput) -> Result<RangeIndex> {
        if i.confirm_overlap || i.ip_ranges.iter().all(|r| r.trim().is_empty()) {
            Ok(RangeIndex::default())
        } else {
            RangeIndex::load(w).await
        }
    }

    pub(crate) fn add(&mut self, owner: i64, system: i64, ranges: &[String]) {
        for key in self.of_system.remove(&system).unwrap_or_default() {
            if let Some(v) = self.by_start.get_mut(&key) {
                v.retain(|r| r.system != system);
                if v.is_empty() {
                    self.by_start.remove(&key);
                }
            }
        }
        let mut keys = Vec::new();
        for c in ranges {
            if let Some((start, end, v6)) = cidr_bounds(c) {
                let [v4_widest, v6_widest] = &mut self.widest;
                let widest = if v6 { v6_widest } else { v4_widest };
                *widest = (*widest).max(end - start);
                self.by_start.entry((v6, start)).or_default().push(StoredRange { end, owner, system });
                keys.push((v6, start));
            }
        }
        if !keys.is_empty() {
            self.of_system.insert(system, keys);
        }
    }

    /// Gives ranges added under a stand-in id their real system id.
    pub(crate) fn rename(&mut self, from: i64, to: i64) {
        let Some(keys) = self.of_system.remove(&from) else { return };
        for key in &keys {
            for r in self.by_start.get_mut(key).into_iter().flatten().filter(|r| r.system == from) {
                r.system = to;
            }
        }
        self.of_system.insert(to, keys);
    }

    /// Refuses ranges that overlap another unit's systems (a unit may overlap itself).
    pub(crate) fn check(&self, owner: i64, own_id: Option<i64>, ranges: &[String]) -> Result<()> {
        for mine in ranges {
            let Some((s, e, v6)) = cidr_bounds(mine) else { continue };
            // A stored range overlaps [s, e] when it starts at or before e and ends at or after
            // s; none starting more than `widest` before s can reach it.
            let [v4_widest, v6_widest] = self.widest;
            let from = (v6, s.saturating_sub(if v6 { v6_widest } else { v4_widest }));
            let other = self
                .by_start
                .range(from..=(v6, e))
                .flat_map(|(_, v)| v)
                .find(|o| o.end >= s && o.owner != owner && Some(o.system) != own_id);
            // Only that the range is taken: naming the other unit's system and range would let a
            // unit map others' systems by sweeping ranges.
            if other.is_some() {
                return Err(Error::Conflict(Msg::new(
                    format!("Dải {mine} trùng với dải địa chỉ của một đơn vị khác. Kiểm tra lại, hoặc xác nhận để lưu và cơ quan thường trực sẽ đối chiếu."),
                    format!("Range {mine} overlaps addresses of another unit. Check it, or confirm to save anyway and the authority will reconcile them."),
                )));
            }
        }
        Ok(())
    }
}

/// Validated, normalised input ready to store.
pub(super) struct Clean {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) system_type: &'static str,
    pub(super) secret_grade: &'static str,
    pub(super) infra_scope: &'static str,
    pub(super) data_category: &'static str,
    pub(super) status: &'static str,
    pub(super) ip_ranges: Vec<String>,
    pub(super) texts: [(&'static str, Option<String>); 18],
}

pub(crate) fn opt_date(field: &'static str, v: &Option<String>) -> Result<Option<String>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_date(s).map(|d| Some(d.format("%Y-%m-%d").to_string())).ok_or_else(|| {
            Error::invalid(
                field,
                format!("«{s}» không phải ngày hợp lệ (dd/mm/yyyy)."),
                format!("«{s}» is not a valid date (dd/mm/yyyy or yyyy-mm-dd)."),
            )
        }),
    }
}

pub(super) fn clean(i: &SystemInput) -> Result<Clean> {
    let text = |f: &'static str, v: &Option<String>, max| -> Result<(&'static str, Option<String>)> {
        Ok((f, optional_text(f, v.as_deref(), max)?))
    };
    if !(0..=4).contains(&i.online_service_level) {
        return Err(Error::invalid(
            "online_service_level",
            "Mức độ dịch vụ công trực tuyến từ 0 đến 4.",
            "The online service level is 0 to 4.",
        ));
    }
    if i.subjects_basic < 0 || i.subjects_sensitive < 0 {
        return Err(Error::invalid(
            "subjects_basic",
            "Số chủ thể dữ liệu không được âm.",
            "Data subject counts cannot be negative.",
        ));
    }
    let mut ip_ranges = Vec::new();
    for r in i.ip_ranges.iter().filter(|r| !r.trim().is_empty()) {
        let c = parse_cidr(r)?;
        if !ip_ranges.contains(&c) {
            ip_ranges.push(c);
        }
    }
    let status = i.status.unwrap_or(Lifecycle::Planned);
    if status == Lifecycle::Decommissioned {
        return Err(Error::invalid(
            "status",
            "Không đăng ký hệ thống đã hủy bỏ.",
            "A decommissioned system cannot be registered.",
        ));
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
            (
                "domains",
                Some(
                    i.domains
                        .iter()
                        .map(|d| d.trim().to_lowercase())
                        .filter(|d| !d.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            ),
            (
                "works_grade",
                Some(WorksGrade::parse("works_grade", i.works_grade.as_deref().unwrap_or("none"))?.code().to_string()),
            ),
            (
                "secret_harm",
                Some(SecretHarm::parse("secret_harm", i.secret_harm.as_deref().unwrap_or("none"))?.code().to_string()),
            ),
            ("building_started_on", opt_date("building_started_on", &i.building_started_on)?),
            (
                "plan_status",
                Some(
                    PlanStatus::parse("plan_status", i.plan_status.as_deref().unwrap_or("not_started"))?
                        .code()
                        .to_string(),
                ),
            ),
            ("preoperation_assessed_on", opt_date("preoperation_assessed_on", &i.preoperation_assessed_on)?),
            text("security_rules_ref", &i.security_rules_ref, 300)?,
        ],
    })
}
