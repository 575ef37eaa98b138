//! The registry's depth and completeness (issue 17.5): a system's details (contacts, stack,
//! recovery, contract, tests, protections) checked by kind, the details the authority
//! requires, and how complete each system and each unit's systems are.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::details::{
    check_detail, completeness, detail_field, display_detail, DetailKind, DETAIL_FIELDS,
};
use khien_domain::{Lang, Result};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// One detail of a system as shown and sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SystemDetailValue {
    pub code: &'static str,
    pub label: &'static str,
    pub kind: DetailKind,
    /// As kept (dates yyyy-mm-dd, money in đồng, yes/no).
    pub value: Option<String>,
    /// As people read it.
    pub shown: Option<String>,
    pub required: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SystemDetails {
    pub system_id: i64,
    pub details: Vec<SystemDetailValue>,
    /// Share of the required details held, 0–100; none when nothing is required.
    pub completeness: Option<i64>,
    /// The required details missing.
    pub missing: Vec<&'static str>,
}

/// One system's completeness within a unit's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SystemCompleteness {
    pub system_id: i64,
    pub code: String,
    pub name: String,
    pub completeness: Option<i64>,
    pub missing: Vec<String>,
}

/// How complete a unit's systems (its subtree, as the caller sees it) are.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitCompleteness {
    pub unit_id: i64,
    /// Required details held over all the systems, 0–100; none without systems or requirements.
    pub completeness: Option<i64>,
    pub required: Vec<String>,
    pub systems: Vec<SystemCompleteness>,
}

impl Store {
    /// The details the authority requires of every system.
    pub async fn required_details(&self) -> Result<Vec<String>> {
        let rows = self.read_all(&Sql::new("SELECT field FROM registry_required_fields ORDER BY field")).await?;
        let held: Vec<String> = rows.iter().map(|r| get(r, "field")).collect::<Result<_>>()?;
        // In the form's order.
        Ok(DETAIL_FIELDS.iter().filter(|f| held.iter().any(|h| h == f.code)).map(|f| f.code.to_string()).collect())
    }

    /// Chooses the required details (the standing body).
    pub async fn set_required_details(&self, actor: &Actor, codes: &[String]) -> Result<Vec<String>> {
        for c in codes {
            detail_field(c)?;
        }
        let before = self.required_details().await?;
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        sqlx::query("DELETE FROM registry_required_fields").execute(&mut *w.tx).await.map_err(db_err)?;
        for c in codes {
            sqlx::query("INSERT INTO registry_required_fields (field) VALUES ($1) ON CONFLICT (field) DO NOTHING")
                .bind(c.trim())
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        let change = Change {
            action: "registry.required_details",
            entity_type: "ruleset",
            entity_id: None,
            unit_id: None,
            before: json(&before),
            after: json(&codes),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        self.required_details().await
    }

    async fn held_details(&self, system_id: i64) -> Result<HashMap<String, String>> {
        let rows = self
            .read_all(&Sql::new("SELECT field, value FROM system_details WHERE system_id = $1").arg(system_id))
            .await?;
        rows.iter().map(|r| Ok((get(r, "field")?, get(r, "value")?))).collect()
    }

    /// A system's details, as whoever sees the system.
    pub async fn system_details(&self, actor: &Actor, system_id: i64, lang: Lang) -> Result<SystemDetails> {
        self.scoped_system(&self.pool, actor, system_id, Action::ViewSystems).await?;
        let held = self.held_details(system_id).await?;
        let required = self.required_details().await?;
        let details: Vec<SystemDetailValue> = DETAIL_FIELDS
            .iter()
            .map(|f| SystemDetailValue {
                code: f.code,
                label: f.label(lang),
                kind: f.kind,
                value: held.get(f.code).cloned(),
                shown: held.get(f.code).map(|v| display_detail(f, v, lang)),
                required: required.iter().any(|r| r == f.code),
            })
            .collect();
        let req: Vec<&str> = required.iter().map(String::as_str).collect();
        let filled: Vec<&str> = held.keys().map(String::as_str).collect();
        let missing = details.iter().filter(|d| d.required && d.value.is_none()).map(|d| d.code).collect();
        Ok(SystemDetails { system_id, details, completeness: completeness(&req, &filled), missing })
    }

    /// Sets a system's details (the owner unit's staff): every value is checked first, then all
    /// are written in one transaction; an empty value clears the detail.
    pub async fn set_system_details(
        &self,
        actor: &Actor,
        system_id: i64,
        values: &[(String, String)],
        lang: Lang,
    ) -> Result<SystemDetails> {
        let mut checked = Vec::with_capacity(values.len());
        for (code, raw) in values {
            let field = detail_field(code)?;
            checked.push((field.code, check_detail(field, raw)?));
        }
        let before = self.held_details(system_id).await?;
        let mut w = self.begin_write().await?;
        let s = self.scoped_system(&mut *w.tx, actor, system_id, Action::EditSystems).await?;
        let now = self.clock.now_ms();
        for (code, value) in &checked {
            sqlx::query("DELETE FROM system_details WHERE system_id = $1 AND field = $2")
                .bind(system_id)
                .bind(*code)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            if let Some(v) = value {
                sqlx::query("INSERT INTO system_details (system_id, field, value, updated_at) VALUES ($1,$2,$3,$4)")
                    .bind(system_id)
                    .bind(*code)
                    .bind(v.as_str())
                    .bind(now)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        let after: HashMap<&str, Option<&String>> = checked.iter().map(|(c, v)| (*c, v.as_ref())).collect();
        let change = Change {
            action: "system.details",
            entity_type: "system",
            entity_id: Some(system_id),
            unit_id: Some(s.owner_unit_id),
            before: json(&before),
            after: json(&after),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        self.system_details(actor, system_id, lang).await
    }

    /// How complete the systems of a unit's subtree are, as the caller sees them.
    pub async fn unit_completeness(&self, actor: &Actor, unit_id: i64) -> Result<UnitCompleteness> {
        let unit = self.get_unit(actor, unit_id).await?;
        actor.require(Action::ViewSystems, unit.id, &unit.path)?;
        let required = self.required_details().await?;
        let mut q = Sql::new("SELECT s.id, s.code, s.name, d.field FROM systems s JOIN units u ON u.id = s.owner_unit_id LEFT JOIN system_details d ON d.system_id = s.id WHERE u.path LIKE ");
        q.bind(format!("{}%", unit.path)).push(" AND ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewSystems)).push(" ORDER BY s.code, s.id");
        let rows = self.read_all(&q).await?;
        let mut systems: Vec<(i64, String, String, Vec<String>)> = Vec::new();
        for r in &rows {
            let id: i64 = get(r, "id")?;
            let field: Option<String> = get(r, "field")?;
            match systems.last_mut() {
                Some(last) if last.0 == id => last.3.extend(field),
                _ => systems.push((id, get(r, "code")?, get(r, "name")?, field.into_iter().collect())),
            }
        }
        let req: Vec<&str> = required.iter().map(String::as_str).collect();
        let (mut have, mut want) = (0usize, 0usize);
        let systems = systems
            .into_iter()
            .map(|(system_id, code, name, fields)| {
                let filled: Vec<&str> = fields.iter().map(String::as_str).collect();
                let missing: Vec<String> = req.iter().filter(|r| !filled.contains(r)).map(|r| r.to_string()).collect();
                have += req.len() - missing.len();
                want += req.len();
                SystemCompleteness { system_id, code, name, completeness: completeness(&req, &filled), missing }
            })
            .collect();
        let completeness = (want > 0).then(|| i64::try_from(have * 100 / want).unwrap_or(0));
        Ok(UnitCompleteness { unit_id, completeness, required, systems })
    }
}
