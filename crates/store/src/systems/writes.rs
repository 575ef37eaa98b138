//! Writing the registry: validation of what a unit enters, IP-range overlap checks, create,
//! replace, and the all-or-nothing import.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::sql::Sql;
use crate::systems::registry::System;
use crate::units::tree::ImportSummary;
use khien_domain::calendar::parse_date;
use khien_domain::fold::fold;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::{
    cidr_bounds, parse_cidr, DataCategory, InfraScope, Lifecycle, PlanStatus, SecretGrade, SecretHarm, SystemType,
    WorksGrade,
};
use khien_domain::time::now_ms;
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
                let widest = &mut self.widest[usize::from(v6)];
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
            let from = (v6, s.saturating_sub(self.widest[usize::from(v6)]));
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
struct Clean {
    code: String,
    name: String,
    system_type: &'static str,
    secret_grade: &'static str,
    infra_scope: &'static str,
    data_category: &'static str,
    status: &'static str,
    ip_ranges: Vec<String>,
    texts: [(&'static str, Option<String>); 18],
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

fn clean(i: &SystemInput) -> Result<Clean> {
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
    let status = Lifecycle::parse("status", i.status.as_deref().unwrap_or("planned"))?;
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

impl Store {
    /// The owner unit's (path, name), or an error naming the field.
    async fn owner_of(&self, w: &mut WriteTx<'_>, unit_id: i64) -> Result<(String, String)> {
        let r = sqlx::query("SELECT path, name FROM units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let r = r.ok_or_else(|| {
            Error::invalid(
                "owner_unit_id",
                format!("Không có đơn vị mã số {unit_id}."),
                format!("There is no unit with id {unit_id}."),
            )
        })?;
        Ok((get(&r, "path")?, get(&r, "name")?))
    }

    /// Checks a new system (entitlement, code, ranges) in an open write transaction and
    /// returns it ready to insert. `known` is the owner's (path, name) when the caller already
    /// has it (an import), which also skips the code check the import does itself.
    async fn prepare_insert(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        i: &SystemInput,
        ranges: &mut RangeIndex,
        known: Option<&(String, String)>,
        temp_id: i64,
    ) -> Result<NewSystem> {
        let clean = clean(i)?;
        let (path, owner_name) = match known {
            Some(o) => o.clone(),
            None => self.owner_of(w, i.owner_unit_id).await?,
        };
        actor.require(Action::EditSystems, i.owner_unit_id, &path)?;
        if known.is_none() {
            let taken = sqlx::query("SELECT id FROM systems WHERE code = $1")
                .bind(clean.code.as_str())
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            if taken.is_some() {
                return Err(code_taken(&clean.code));
            }
        }
        if !i.confirm_overlap {
            ranges.check(i.owner_unit_id, None, &clean.ip_ranges)?;
        }
        // Later rows of the same import are checked against this one before it has an id.
        ranges.add(i.owner_unit_id, temp_id, &clean.ip_ranges);
        Ok(NewSystem { clean, input: i.clone(), owner_path: path, owner_name, temp_id })
    }

    /// Inserts prepared systems with one multi-row statement (the rows come back with it, so
    /// no re-read for the audit records) and audits each.
    async fn write_inserts(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        batch: Vec<NewSystem>,
        ranges: &mut RangeIndex,
    ) -> Result<Vec<System>> {
        let Some(first) = batch.first() else { return Ok(Vec::new()) };
        let now = now_ms();
        let mut q = Sql::new("INSERT INTO systems (code, name, name_folded, search_folded, owner_unit_id, operator_unit_id, system_type, info_private, info_personal, secret_grade, subjects_basic, subjects_sensitive, admin_procedures, online_service_level, conditional_business, infra_scope, data_category, status, ip_ranges, tags, created_at, updated_at");
        for (f, _) in &first.clean.texts {
            q.push(", ").push(f);
        }
        q.push(") VALUES ");
        for (n, NewSystem { clean: c, input: i, .. }) in batch.iter().enumerate() {
            q.push(if n == 0 { "(" } else { ",(" });
            q.bind(c.code.as_str())
                .push(",")
                .bind(c.name.as_str())
                .push(",")
                .bind(fold(&c.name))
                .push(",")
                .bind(search_text(&c.name, &c.code));
            q.push(",").bind(i.owner_unit_id).push(",").bind(i.operator_unit_id);
            q.push(",")
                .bind(c.system_type)
                .push(",")
                .bind(i.info_private)
                .push(",")
                .bind(i.info_personal)
                .push(",")
                .bind(c.secret_grade);
            q.push(",")
                .bind(i.subjects_basic)
                .push(",")
                .bind(i.subjects_sensitive)
                .push(",")
                .bind(i.admin_procedures)
                .push(",")
                .bind(i.online_service_level)
                .push(",")
                .bind(i.conditional_business);
            q.push(",")
                .bind(c.infra_scope)
                .push(",")
                .bind(c.data_category)
                .push(",")
                .bind(c.status)
                .push(",")
                .bind(c.ip_ranges.join("\n"));
            q.push(",").bind(tags(&i.tags)).push(",").bind(now).push(",").bind(now);
            for (_, v) in &c.texts {
                q.push(",").bind(v.clone());
            }
            q.push(")");
        }
        // The owner's name and path are filled in below: RETURNING sees only the new rows.
        q.push(" RETURNING *, '' AS owner_unit_name, '' AS owner_path");
        let rows = q.query().fetch_all(&mut *w.tx).await.map_err(db_err)?;
        let mut by_code: HashMap<String, System> = HashMap::with_capacity(rows.len());
        for r in &rows {
            let s = crate::systems::registry::system_row(r)?;
            by_code.insert(s.code.clone(), s);
        }
        let mut out = Vec::with_capacity(batch.len());
        for n in batch {
            // Row order of RETURNING is not promised by either engine: match on the code.
            let mut s = by_code.remove(&n.clean.code).ok_or_else(|| Error::internal("inserted system not returned"))?;
            s.owner_unit_name = n.owner_name;
            s.owner_path = n.owner_path;
            w.audit(
                Some(actor),
                Change {
                    action: "system.create",
                    entity_type: "system",
                    entity_id: Some(s.id),
                    unit_id: Some(s.owner_unit_id),
                    before: None,
                    after: json(&s),
                },
            )
            .await?;
            ranges.rename(n.temp_id, s.id);
            out.push(s);
        }
        Ok(out)
    }

    /// Replaces a system's attributes in an open write transaction.
    async fn replace_system(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        id: i64,
        i: &SystemInput,
        ranges: &mut RangeIndex,
    ) -> Result<System> {
        let c = clean(i)?;
        let before = self.scoped_system(&mut *w.tx, actor, id, Action::EditSystems).await?;
        if i.owner_unit_id != before.owner_unit_id {
            let (path, _) = self.owner_of(w, i.owner_unit_id).await?;
            actor.require(Action::EditSystems, i.owner_unit_id, &path)?;
        }
        if !i.confirm_overlap {
            ranges.check(i.owner_unit_id, Some(id), &c.ip_ranges)?;
        }
        let mut q = Sql::new("UPDATE systems SET code = ");
        q.bind(c.code.as_str()).push(", name = ").bind(c.name.as_str()).push(", name_folded = ").bind(fold(&c.name));
        q.push(", search_folded = ").bind(search_text(&c.name, &c.code));
        q.push(", owner_unit_id = ").bind(i.owner_unit_id).push(", operator_unit_id = ").bind(i.operator_unit_id);
        q.push(", system_type = ")
            .bind(c.system_type)
            .push(", info_private = ")
            .bind(i.info_private)
            .push(", info_personal = ")
            .bind(i.info_personal);
        q.push(", secret_grade = ")
            .bind(c.secret_grade)
            .push(", subjects_basic = ")
            .bind(i.subjects_basic)
            .push(", subjects_sensitive = ")
            .bind(i.subjects_sensitive);
        q.push(", admin_procedures = ")
            .bind(i.admin_procedures)
            .push(", online_service_level = ")
            .bind(i.online_service_level)
            .push(", conditional_business = ")
            .bind(i.conditional_business);
        q.push(", infra_scope = ").bind(c.infra_scope).push(", data_category = ").bind(c.data_category);
        q.push(", ip_ranges = ")
            .bind(c.ip_ranges.join("\n"))
            .push(", tags = ")
            .bind(tags(&i.tags))
            .push(", updated_at = ")
            .bind(now_ms());
        for (f, v) in c.texts {
            q.push(", ").push(f).push(" = ").bind(v);
        }
        q.push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(|e| match db_err(e) {
            Error::Conflict(_) => code_taken(&c.code),
            other => other,
        })?;
        let after = self.system_by_id(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("system vanished"))?;
        w.audit(
            Some(actor),
            Change {
                action: "system.update",
                entity_type: "system",
                entity_id: Some(id),
                unit_id: Some(after.owner_unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        ranges.add(after.owner_unit_id, id, &after.ip_ranges);
        Ok(after)
    }

    pub async fn create_system(&self, actor: &Actor, i: &SystemInput) -> Result<System> {
        let mut w = self.begin_write().await?;
        let mut ranges = RangeIndex::for_input(&mut w, i).await?;
        let new = self.prepare_insert(&mut w, actor, i, &mut ranges, None, -1).await?;
        let s = self
            .write_inserts(&mut w, actor, vec![new], &mut ranges)
            .await?
            .pop()
            .ok_or_else(|| Error::internal("insert returned nothing"))?;
        w.commit().await?;
        Ok(s)
    }

    /// Replaces a system's attributes (not its status, level or dossier state).
    pub async fn update_system(&self, actor: &Actor, id: i64, i: &SystemInput) -> Result<System> {
        let mut w = self.begin_write().await?;
        let mut ranges = RangeIndex::for_input(&mut w, i).await?;
        let s = self.replace_system(&mut w, actor, id, i, &mut ranges).await?;
        w.commit().await?;
        Ok(s)
    }

    /// Imports systems in one transaction: new codes are registered, known codes replaced. The
    /// owner is named by unit code. Any error rolls everything back and names the row (as in
    /// the file: header is row 1).
    pub async fn import_systems(&self, actor: &Actor, rows: &[ImportSystem]) -> Result<ImportSummary> {
        let mut w = self.begin_write().await?;
        w.batch_audit();
        let mut ranges = RangeIndex::load(&mut w).await?;
        // Every unit and every existing system code once, rather than a query per row.
        let mut owners: HashMap<String, (i64, (String, String))> = HashMap::new();
        for u in sqlx::query("SELECT id, code, path, name FROM units").fetch_all(&mut *w.tx).await.map_err(db_err)? {
            owners.insert(get(&u, "code")?, (get(&u, "id")?, (get(&u, "path")?, get(&u, "name")?)));
        }
        let mut codes: HashMap<String, i64> = HashMap::new();
        for r in sqlx::query("SELECT id, code FROM systems").fetch_all(&mut *w.tx).await.map_err(db_err)? {
            codes.insert(get(&r, "code")?, get(&r, "id")?);
        }
        let mut summary = ImportSummary::default();
        let mut pending: Vec<NewSystem> = Vec::new();
        for r in rows {
            let row = r.row;
            let at_row = |e: Error| {
                e.with_prefix(
                    &format!("Dòng {row} (mã «{}»): ", r.input.code),
                    &format!("Row {row} (code «{}»): ", r.input.code),
                )
            };
            let (owner, owner_path) = match owners.get(r.owner_unit_code.trim()) {
                Some(o) => o.clone(),
                None => {
                    return Err(at_row(Error::invalid(
                        "owner_unit_code",
                        format!("không có đơn vị mã «{}».", r.owner_unit_code),
                        format!("no unit has the code «{}».", r.owner_unit_code),
                    )))
                }
            };
            let input = SystemInput { owner_unit_id: owner, ..r.input.clone() };
            let code = input.code.trim();
            if pending.iter().any(|p| p.clean.code == code) {
                // The same code again further down: write what is pending so it has an id.
                self.flush_inserts(&mut w, actor, &mut pending, &mut ranges, &mut codes).await?;
            }
            match codes.get(code).copied() {
                Some(id) => {
                    self.flush_inserts(&mut w, actor, &mut pending, &mut ranges, &mut codes).await?;
                    // A code of a system the caller cannot see is "taken", as on a create: not
                    // "not found", which would tell that it exists elsewhere.
                    let hidden = |e: Error| if matches!(e, Error::NotFound(_)) { code_taken(code) } else { e };
                    self.replace_system(&mut w, actor, id, &input, &mut ranges)
                        .await
                        .map_err(hidden)
                        .map_err(at_row)?;
                    summary.updated += 1;
                }
                None => {
                    let temp_id = -i64::try_from(row).unwrap_or(i64::MAX);
                    pending.push(
                        self.prepare_insert(&mut w, actor, &input, &mut ranges, Some(&owner_path), temp_id)
                            .await
                            .map_err(at_row)?,
                    );
                    summary.created += 1;
                    if pending.len() >= INSERT_BATCH {
                        self.flush_inserts(&mut w, actor, &mut pending, &mut ranges, &mut codes).await?;
                    }
                }
            }
        }
        self.flush_inserts(&mut w, actor, &mut pending, &mut ranges, &mut codes).await?;
        w.commit().await?;
        if rows.len() >= 1000 {
            self.analyze_table("systems").await?;
        }
        Ok(summary)
    }
}

impl Store {
    async fn flush_inserts(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        pending: &mut Vec<NewSystem>,
        ranges: &mut RangeIndex,
        codes: &mut HashMap<String, i64>,
    ) -> Result<()> {
        for s in self.write_inserts(w, actor, std::mem::take(pending), ranges).await? {
            codes.insert(s.code, s.id);
        }
        Ok(())
    }
}

/// Systems per multi-row INSERT in an import: 33 parameters each. SQLite's binding looks each
/// parameter up by position in a list, so very wide statements cost more than they save.
const INSERT_BATCH: usize = 10;

/// A new system checked and ready to insert.
struct NewSystem {
    clean: Clean,
    input: SystemInput,
    owner_path: String,
    owner_name: String,
    /// Stands for the id in the range index until the row is written.
    temp_id: i64,
}

fn code_taken(code: &str) -> Error {
    Error::Conflict(Msg::new(
        format!("Mã hệ thống «{code}» đã được dùng."),
        format!("The system code «{code}» is already taken."),
    ))
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
