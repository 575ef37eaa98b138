//! The response network's roster (issue 17.7): a unit's manager applies or updates the unit's
//! entry (24/7 contact, public key, capabilities); the standing body approves, rejects or
//! removes. Approved members are listed to everyone (they are who answers an incident); an
//! application or a refusal only to the unit's readers and the standing body.

use crate::audit::{json, Change};
use crate::db::{db_err, get, get_code, Store};
use crate::events::Notice;
use crate::sql::Sql;
use khien_domain::network::{check_entry, MemberDecision, MemberEntry, MemberState};
use khien_domain::notification::NotificationKind;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::worklist::unit_side;
use khien_domain::{Error, Lang, Result};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NetworkMember {
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub state: MemberState,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    /// ASCII-armoured OpenPGP public key, empty when none was given.
    pub public_key: String,
    pub capabilities: String,
    /// Why the unit was not accepted or removed.
    pub reason: String,
    pub applied_at: i64,
    pub decided_at: Option<i64>,
}

const COLS: &str = "m.unit_id, u.code, u.name, m.state, m.contact_name, m.contact_phone, m.contact_email, m.public_key, m.capabilities, m.reason, m.applied_at, m.decided_at";

fn member_row(r: &sqlx::any::AnyRow) -> Result<NetworkMember> {
    Ok(NetworkMember {
        unit_id: get(r, "unit_id")?,
        unit_code: get(r, "code")?,
        unit_name: get(r, "name")?,
        state: get_code(r, "state", |c| MemberState::parse("state", c))?,
        contact_name: get(r, "contact_name")?,
        contact_phone: get(r, "contact_phone")?,
        contact_email: get(r, "contact_email")?,
        public_key: get(r, "public_key")?,
        capabilities: get(r, "capabilities")?,
        reason: get(r, "reason")?,
        applied_at: get(r, "applied_at")?,
        decided_at: get(r, "decided_at")?,
    })
}

impl Store {
    /// The roster: every approved member, and the other entries of the units the caller sees.
    pub async fn network_roster(&self, actor: &Actor) -> Result<Vec<NetworkMember>> {
        let mut q = Sql::new(&format!(
            "SELECT {COLS} FROM network_members m JOIN units u ON u.id = m.unit_id WHERE (m.state = 'approved' OR "
        ));
        q.reach("u.path", "u.id", &actor.reach(Action::ViewUnits)).push(") ORDER BY m.state, u.name_folded LIMIT 5000");
        self.read_all(&q).await?.iter().map(member_row).collect()
    }

    /// The specialist staff (with their qualifications and certificates) of the approved
    /// members, as far as the caller may see each unit's staff: the roster's people.
    pub async fn network_staff(&self, actor: &Actor) -> Result<Vec<crate::SecurityStaff>> {
        let members: Vec<i64> = self
            .network_roster(actor)
            .await?
            .into_iter()
            .filter(|m| m.state.takes_tasks())
            .map(|m| m.unit_id)
            .collect();
        let staff = self.list_security_staff(actor, None).await?;
        Ok(staff.into_iter().filter(|p| p.active && members.contains(&p.unit_id)).collect())
    }

    /// A unit's entry, as the roster shows it to the caller.
    pub async fn network_member(&self, actor: &Actor, unit_id: i64) -> Result<NetworkMember> {
        self.network_roster(actor)
            .await?
            .into_iter()
            .find(|m| m.unit_id == unit_id)
            .ok_or_else(|| Error::not_found("thành viên mạng lưới", "Network member"))
    }

    /// Whether incident tasks may go to the unit: an approved member.
    pub(crate) async fn takes_tasks(&self, exec: &mut sqlx::AnyConnection, unit_id: i64) -> Result<bool> {
        let r = sqlx::query("SELECT state FROM network_members WHERE unit_id = $1")
            .bind(unit_id)
            .fetch_optional(exec)
            .await
            .map_err(db_err)?;
        Ok(match r {
            Some(r) => MemberState::parse("state", &get::<String>(&r, "state")?)?.takes_tasks(),
            None => false,
        })
    }

    /// The unit's manager applies, or updates the unit's entry (a member stays a member); the
    /// standing body is told of an application.
    pub async fn apply_to_network(&self, actor: &Actor, unit_id: i64, entry: &MemberEntry) -> Result<NetworkMember> {
        let unit = self.get_unit(actor, unit_id).await?;
        actor.require_pick("unit_id", Action::EditUnit, unit.id, &unit.path, unit.active)?;
        let entry = check_entry(entry)?;
        let root = self.root_unit().await?.ok_or_else(|| Error::not_found("đơn vị gốc", "Root unit"))?;
        let mut w = self.begin_write().await?;
        let current = sqlx::query("SELECT state FROM network_members WHERE unit_id = $1")
            .bind(unit.id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?
            .map(|r| get_code(&r, "state", |c| MemberState::parse("state", c)))
            .transpose()?;
        let next = MemberState::after_entry(current);
        let now = w.clock.now_ms();
        if current.is_some() {
            sqlx::query("UPDATE network_members SET state = $1, contact_name = $2, contact_phone = $3, contact_email = $4, public_key = $5, capabilities = $6, applied_by = $7, applied_at = CASE WHEN $1 = 'approved' THEN applied_at ELSE $8 END WHERE unit_id = $9")
                .bind(next.code())
                .bind(entry.contact_name.as_str())
                .bind(entry.contact_phone.as_str())
                .bind(entry.contact_email.as_str())
                .bind(entry.public_key.as_str())
                .bind(entry.capabilities.as_str())
                .bind(actor.user_id)
                .bind(now)
                .bind(unit.id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        } else {
            sqlx::query("INSERT INTO network_members (unit_id, state, contact_name, contact_phone, contact_email, public_key, capabilities, reason, applied_by, applied_at) VALUES ($1,$2,$3,$4,$5,$6,$7,'',$8,$9)")
                .bind(unit.id)
                .bind(next.code())
                .bind(entry.contact_name.as_str())
                .bind(entry.contact_phone.as_str())
                .bind(entry.contact_email.as_str())
                .bind(entry.public_key.as_str())
                .bind(entry.capabilities.as_str())
                .bind(actor.user_id)
                .bind(now)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        let after = serde_json::json!({"state": next, "contact_name": entry.contact_name, "contact_phone": entry.contact_phone, "contact_email": entry.contact_email, "public_key": !entry.public_key.is_empty()});
        w.audit(
            Some(actor),
            Change {
                action: "network.apply",
                entity_type: "network_member",
                entity_id: Some(unit.id),
                unit_id: Some(unit.id),
                before: json(&serde_json::json!({"state": current})),
                after: json(&after),
            },
        )
        .await?;
        if next == MemberState::Applied {
            let notice = Notice {
                kind: NotificationKind::NetworkApplied,
                key: format!("network:{}:{now}", unit.id),
                vi: format!("{} đăng ký tham gia mạng lưới ứng cứu sự cố", unit.name),
                en: format!("{} applies to the response network", unit.name),
                link: "/network".into(),
                unit_id: unit.id,
            };
            self.notify_where(&mut w, actor, (&notice, &[(root.id, root.path.as_str())]), |p| {
                p.can(Action::Govern, root.id, &root.path)
            })
            .await?;
        }
        w.commit().await?;
        self.network_member(actor, unit.id).await
    }

    /// The standing body approves or rejects an application, or removes a member (a refusal
    /// says why); the unit's people are told.
    pub async fn decide_network_member(
        &self,
        actor: &Actor,
        unit_id: i64,
        decision: MemberDecision,
        reason: &str,
    ) -> Result<NetworkMember> {
        let root = self.require_governor(actor).await?;
        let unit = self.get_unit(actor, unit_id).await?;
        let mut w = self.begin_write().await?;
        let r = sqlx::query("SELECT state FROM network_members WHERE unit_id = $1")
            .bind(unit.id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?
            .ok_or_else(|| Error::not_found("đơn đăng ký mạng lưới", "Network application"))?;
        let state = get_code(&r, "state", |c| MemberState::parse("state", c))?;
        let next = state.decide(decision, reason)?;
        let now = w.clock.now_ms();
        sqlx::query(
            "UPDATE network_members SET state = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE unit_id = $5",
        )
        .bind(next.code())
        .bind(reason.trim())
        .bind(actor.user_id)
        .bind(now)
        .bind(unit.id)
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "network.decide",
                entity_type: "network_member",
                entity_id: Some(unit.id),
                unit_id: Some(unit.id),
                before: json(&serde_json::json!({"state": state})),
                after: json(&serde_json::json!({"state": next, "reason": reason.trim()})),
            },
        )
        .await?;
        let notice = Notice {
            kind: NotificationKind::NetworkDecided,
            key: format!("network:{}:{}:{now}", unit.id, next.code()),
            vi: format!("Mạng lưới ứng cứu sự cố: {} — {}", next.label(Lang::Vi), reason.trim()),
            en: format!("Response network: {} — {}", next.label(Lang::En), reason.trim()),
            link: "/network".into(),
            unit_id: root,
        };
        let units = [(unit.id, unit.path.as_str())];
        self.notify_where(&mut w, actor, (&notice, &units), |p| {
            p.with_roles(unit_side).can(Action::EditUnit, unit.id, &unit.path)
        })
        .await?;
        w.commit().await?;
        self.network_member(actor, unit.id).await
    }
}
