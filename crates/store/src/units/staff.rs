//! Specialist staff (issue 15.7): the people who hold each unit's security role, full-time
//! (with the NĐ 179/2025 support) or alongside another post, and their certificates with
//! expiry. People are personal data: read with ViewUsers, kept by whoever edits the unit.

use crate::audit::{json, Change};
use crate::db::{db_err, flag, get, get_code, Store};
use crate::plans::trainings::bounded;
use crate::sql::Sql;
use khien_domain::calendar::parse_date;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::staff::{certificate_state, monthly_support, CertificateState, StaffRole};
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default)]
pub struct StaffInput {
    pub unit_id: i64,
    pub full_name: String,
    pub position: String,
    /// `full_time` or `part_time`.
    pub role: String,
    /// dd/mm/yyyy or yyyy-mm-dd: since when the person holds the role.
    pub since: String,
    pub qualifications: String,
    pub active: bool,
}

#[derive(Debug, Clone, Default)]
pub struct StaffCertificateInput {
    pub name: String,
    pub issuer: String,
    pub issued_on: String,
    /// Empty when the certificate does not expire.
    pub expires_on: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffCertificate {
    pub id: i64,
    pub name: String,
    pub issuer: String,
    /// yyyy-mm-dd.
    pub issued_on: String,
    pub expires_on: Option<String>,
    /// Where it stands today (flagged 90 days before expiry).
    pub state: CertificateState,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecurityStaff {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub full_name: String,
    pub position: String,
    pub role: StaffRole,
    /// yyyy-mm-dd.
    pub since: String,
    pub qualifications: String,
    pub active: bool,
    /// The NĐ 179/2025 support this month, in đồng (full-time specialists in post).
    pub monthly_support: i64,
    pub certificates: Vec<StaffCertificate>,
}

const STAFF_COLS: &str = "p.id, p.unit_id, u.name AS unit_name, p.full_name, p.position, p.role, p.since, p.qualifications, p.active, u.path";

fn staff_row(r: &AnyRow, today: chrono::NaiveDate) -> Result<SecurityStaff> {
    let role = get_code(r, "role", |s| StaffRole::parse("role", s))?;
    let active = flag(r, "active")?;
    Ok(SecurityStaff {
        id: get(r, "id")?,
        unit_id: get(r, "unit_id")?,
        unit_name: get(r, "unit_name")?,
        full_name: get(r, "full_name")?,
        position: get(r, "position")?,
        role,
        since: get(r, "since")?,
        qualifications: get(r, "qualifications")?,
        active,
        monthly_support: if active { monthly_support(role, today) } else { 0 },
        certificates: Vec::new(),
    })
}

fn required_date(field: &str, v: &str) -> Result<chrono::NaiveDate> {
    parse_date(v).ok_or_else(|| Error::invalid(field, "Ngày phải có dạng dd/mm/yyyy.", "A day is dd/mm/yyyy."))
}

struct CheckedStaff {
    full_name: String,
    position: String,
    role: StaffRole,
    since: String,
    qualifications: String,
}

impl StaffInput {
    fn checked(&self, today: chrono::NaiveDate) -> Result<CheckedStaff> {
        let since = required_date("since", &self.since)?;
        if since > today {
            return Err(Error::invalid(
                "since",
                "Ngày nhận nhiệm vụ không được ở tương lai.",
                "The day the role began cannot be in the future.",
            ));
        }
        Ok(CheckedStaff {
            full_name: validate_name("full_name", &self.full_name, 200)?,
            position: bounded("position", &self.position, 200)?,
            role: StaffRole::parse("role", &self.role)?,
            since: since.format("%Y-%m-%d").to_string(),
            qualifications: bounded("qualifications", &self.qualifications, 2000)?,
        })
    }
}

impl Store {
    /// The security staff of the units the caller may see people of (one unit when given),
    /// with their certificates; people no longer in post last.
    pub async fn list_security_staff(&self, actor: &Actor, unit_id: Option<i64>) -> Result<Vec<SecurityStaff>> {
        let today = self.clock.today_vn();
        let reach = actor.reach(Action::ViewUsers);
        let mut q =
            Sql::new(&format!("SELECT {STAFF_COLS} FROM security_staff p JOIN units u ON u.id = p.unit_id WHERE "));
        q.reach("u.path", "u.id", &reach);
        if let Some(unit) = unit_id {
            q.push(" AND p.unit_id = ").bind(unit);
        }
        q.push(" ORDER BY p.active DESC, u.name, p.full_name LIMIT 5000");
        let rows = self.read_all(&q).await?;
        let mut staff: Vec<SecurityStaff> = rows.iter().map(|r| staff_row(r, today)).collect::<Result<_>>()?;
        let mut certs = Sql::new("SELECT c.id, c.staff_id, c.name, c.issuer, c.issued_on, c.expires_on FROM staff_certificates c JOIN security_staff p ON p.id = c.staff_id JOIN units u ON u.id = p.unit_id WHERE ");
        certs.reach("u.path", "u.id", &reach);
        if let Some(unit) = unit_id {
            certs.push(" AND p.unit_id = ").bind(unit);
        }
        certs.push(" ORDER BY c.issued_on, c.id");
        let mut by_staff: BTreeMap<i64, Vec<StaffCertificate>> = BTreeMap::new();
        for r in self.read_all(&certs).await? {
            let expires_on: Option<String> = get(&r, "expires_on")?;
            let state = certificate_state(expires_on.as_deref().and_then(parse_date), today);
            by_staff.entry(get(&r, "staff_id")?).or_default().push(StaffCertificate {
                id: get(&r, "id")?,
                name: get(&r, "name")?,
                issuer: get(&r, "issuer")?,
                issued_on: get(&r, "issued_on")?,
                expires_on,
                state,
            });
        }
        for s in &mut staff {
            s.certificates = by_staff.remove(&s.id).unwrap_or_default();
        }
        Ok(staff)
    }

    /// One person and the unit's path, when the caller may see them.
    async fn staff_member(&self, actor: &Actor, id: i64) -> Result<(SecurityStaff, String)> {
        let r = self
            .read_optional(
                &Sql::new(&format!(
                    "SELECT {STAFF_COLS} FROM security_staff p JOIN units u ON u.id = p.unit_id WHERE p.id = $1"
                ))
                .arg(id),
            )
            .await?
            .ok_or_else(|| Error::not_found("cán bộ", "Staff member"))?;
        let s = staff_row(&r, self.clock.today_vn())?;
        let path: String = get(&r, "path")?;
        if !actor.can(Action::ViewUsers, s.unit_id, &path) {
            return Err(Error::not_found("cán bộ", "Staff member"));
        }
        Ok((s, path))
    }

    pub async fn get_security_staff(&self, actor: &Actor, id: i64) -> Result<SecurityStaff> {
        let (s, _) = self.staff_member(actor, id).await?;
        let mut all = self.list_security_staff(actor, Some(s.unit_id)).await?;
        all.retain(|p| p.id == id);
        all.pop().ok_or_else(|| Error::not_found("cán bộ", "Staff member"))
    }

    /// Adds a person to a unit the caller may edit.
    pub async fn record_security_staff(&self, actor: &Actor, input: &StaffInput) -> Result<SecurityStaff> {
        let c = input.checked(self.clock.today_vn())?;
        let unit = self.get_unit(actor, input.unit_id).await?;
        actor.require_pick("unit_id", Action::EditUnit, unit.id, &unit.path, unit.active)?;
        let now = self.clock.now_ms();
        let mut w = self.begin_write().await?;
        let r = sqlx::query("INSERT INTO security_staff (unit_id, full_name, position, role, since, qualifications, active, created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,1,$7,$8,$8) RETURNING id")
            .bind(unit.id)
            .bind(c.full_name.as_str())
            .bind(c.position.as_str())
            .bind(c.role.code())
            .bind(c.since.as_str())
            .bind(c.qualifications.as_str())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let id: i64 = get(&r, "id")?;
        let after = serde_json::json!({"full_name": c.full_name, "position": c.position, "role": c.role.code(), "since": c.since});
        w.audit(
            Some(actor),
            Change {
                action: "staff.record",
                entity_type: "security_staff",
                entity_id: Some(id),
                unit_id: Some(unit.id),
                before: None,
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        self.get_security_staff(actor, id).await
    }

    /// Edits a person (their unit stays); `active: false` when they leave the role.
    pub async fn update_security_staff(&self, actor: &Actor, id: i64, input: &StaffInput) -> Result<SecurityStaff> {
        let (before, path) = self.staff_member(actor, id).await?;
        actor.require(Action::EditUnit, before.unit_id, &path)?;
        let c = input.checked(self.clock.today_vn())?;
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE security_staff SET full_name = $1, position = $2, role = $3, since = $4, qualifications = $5, active = $6, updated_at = $7 WHERE id = $8")
            .bind(c.full_name.as_str())
            .bind(c.position.as_str())
            .bind(c.role.code())
            .bind(c.since.as_str())
            .bind(c.qualifications.as_str())
            .bind(i64::from(input.active))
            .bind(self.clock.now_ms())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = serde_json::json!({"full_name": c.full_name, "position": c.position, "role": c.role.code(), "since": c.since, "active": input.active});
        w.audit(
            Some(actor),
            Change {
                action: "staff.update",
                entity_type: "security_staff",
                entity_id: Some(id),
                unit_id: Some(before.unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        self.get_security_staff(actor, id).await
    }

    /// Records a certificate a person holds.
    pub async fn add_staff_certificate(
        &self,
        actor: &Actor,
        staff_id: i64,
        input: &StaffCertificateInput,
    ) -> Result<SecurityStaff> {
        let (person, path) = self.staff_member(actor, staff_id).await?;
        actor.require(Action::EditUnit, person.unit_id, &path)?;
        let name = validate_name("name", &input.name, 300)?;
        let issuer = bounded("issuer", &input.issuer, 300)?;
        let issued = required_date("issued_on", &input.issued_on)?;
        let expires = match input.expires_on.trim() {
            "" => None,
            v => Some(required_date("expires_on", v)?),
        };
        if expires.is_some_and(|e| e <= issued) {
            return Err(Error::invalid(
                "expires_on",
                "Ngày hết hạn phải sau ngày cấp.",
                "The expiry must come after the day of issue.",
            ));
        }
        let (issued, expires) =
            (issued.format("%Y-%m-%d").to_string(), expires.map(|e| e.format("%Y-%m-%d").to_string()));
        let mut w = self.begin_write().await?;
        sqlx::query("INSERT INTO staff_certificates (staff_id, name, issuer, issued_on, expires_on, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)")
            .bind(staff_id)
            .bind(name.as_str())
            .bind(issuer.as_str())
            .bind(issued.as_str())
            .bind(expires.clone())
            .bind(actor.user_id)
            .bind(self.clock.now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = serde_json::json!({"name": name, "issuer": issuer, "issued_on": issued, "expires_on": expires});
        w.audit(
            Some(actor),
            Change {
                action: "staff.certificate",
                entity_type: "security_staff",
                entity_id: Some(staff_id),
                unit_id: Some(person.unit_id),
                before: None,
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        self.get_security_staff(actor, staff_id).await
    }

    /// Certificates of people in post expiring by `until` (expired ones too): (day, what, unit,
    /// link) for the calendar of deadlines.
    pub(crate) async fn certificates_expiring(
        &self,
        actor: &Actor,
        until: chrono::NaiveDate,
    ) -> Result<Vec<(chrono::NaiveDate, String, String, String)>> {
        let mut q = Sql::new("SELECT c.name, c.expires_on, p.id, p.full_name, u.name AS unit_name FROM staff_certificates c JOIN security_staff p ON p.id = c.staff_id JOIN units u ON u.id = p.unit_id WHERE p.active = 1 AND c.expires_on IS NOT NULL AND c.expires_on <= ");
        q.bind(until.format("%Y-%m-%d").to_string()).push(" AND ").reach(
            "u.path",
            "u.id",
            &actor.reach(Action::ViewUsers),
        );
        q.push(" ORDER BY c.expires_on LIMIT 1000");
        let mut out = Vec::new();
        for r in self.read_all(&q).await? {
            let Some(day) = get::<Option<String>>(&r, "expires_on")?.as_deref().and_then(parse_date) else { continue };
            let (name, person): (String, String) = (get(&r, "name")?, get(&r, "full_name")?);
            out.push((
                day,
                format!("{person}: {name}"),
                get(&r, "unit_name")?,
                format!("/staff/{}", get::<i64>(&r, "id")?),
            ));
        }
        Ok(out)
    }
}
