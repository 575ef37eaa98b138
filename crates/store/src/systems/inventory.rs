//! A system's light inventory (issue 17.6): its hardware, software and information assets with
//! owner, version and end of support, replaced whole by each import; an asset past its end of
//! support is flagged.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::Result;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// One asset as kept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Asset {
    pub id: i64,
    pub system_id: i64,
    /// `hardware`, `software` or `information` (TCVN 14423's asset groups).
    pub group: String,
    pub name: String,
    pub version: Option<String>,
    pub owner: Option<String>,
    /// yyyy-mm-dd.
    pub end_of_support: Option<String>,
    pub notes: Option<String>,
    /// Its end of support has passed.
    pub past_end_of_support: bool,
}

/// An asset to keep.
#[derive(Debug, Clone)]
pub struct AssetInput {
    pub group: String,
    pub name: String,
    pub version: Option<String>,
    pub owner: Option<String>,
    pub end_of_support: Option<String>,
    pub notes: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InventorySummary {
    pub systems: usize,
    pub assets: usize,
    /// Assets whose end of support has passed.
    pub past_end_of_support: usize,
}

impl Store {
    /// The systems, by code, that `actor` may update among `codes`.
    pub async fn editable_systems_by_code(&self, actor: &Actor, codes: &[String]) -> Result<HashMap<String, i64>> {
        let mut out = HashMap::new();
        for code in codes {
            let r = self.read_optional(&Sql::new("SELECT id FROM systems WHERE code = $1").arg(code.as_str())).await?;
            if let Some(r) = r {
                let id: i64 = get(&r, "id")?;
                if self.scoped_system(&self.pool, actor, id, Action::EditSystems).await.is_ok() {
                    out.insert(code.clone(), id);
                }
            }
        }
        Ok(out)
    }

    /// Replaces the inventory of each system named, in one transaction (all or nothing).
    pub async fn replace_inventory(&self, actor: &Actor, lists: &[(i64, Vec<AssetInput>)]) -> Result<InventorySummary> {
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        let mut w = self.begin_write().await?;
        let now = self.clock.now_ms();
        let (mut assets, mut past) = (0, 0);
        for (system_id, list) in lists {
            let s = self.scoped_system(&mut *w.tx, actor, *system_id, Action::EditSystems).await?;
            sqlx::query("DELETE FROM system_assets WHERE system_id = $1")
                .bind(system_id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            for a in list {
                sqlx::query("INSERT INTO system_assets (system_id, asset_group, name, version, owner, end_of_support, notes, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)")
                    .bind(system_id)
                    .bind(a.group.as_str())
                    .bind(a.name.as_str())
                    .bind(a.version.as_deref())
                    .bind(a.owner.as_deref())
                    .bind(a.end_of_support.as_deref())
                    .bind(a.notes.as_deref())
                    .bind(now)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
                past += usize::from(a.end_of_support.as_deref().is_some_and(|d| d < today.as_str()));
            }
            assets += list.len();
            let change = Change {
                action: "system.inventory",
                entity_type: "system",
                entity_id: Some(*system_id),
                unit_id: Some(s.owner_unit_id),
                before: None,
                after: json(&list.len()),
            };
            w.audit(Some(actor), change).await?;
        }
        w.commit().await?;
        Ok(InventorySummary { systems: lists.len(), assets, past_end_of_support: past })
    }

    /// A system's assets, those past their end of support first.
    pub async fn system_assets(&self, actor: &Actor, system_id: i64) -> Result<Vec<Asset>> {
        self.scoped_system(&self.pool, actor, system_id, Action::ViewSystems).await?;
        let today = self.clock.today_vn().format("%Y-%m-%d").to_string();
        let rows = self.read_all(&Sql::new("SELECT id, system_id, asset_group, name, version, owner, end_of_support, notes FROM system_assets WHERE system_id = $1 ORDER BY asset_group, name, id").arg(system_id)).await?;
        let mut out = rows
            .iter()
            .map(|r| {
                let end_of_support: Option<String> = get(r, "end_of_support")?;
                Ok(Asset {
                    id: get(r, "id")?,
                    system_id: get(r, "system_id")?,
                    group: get(r, "asset_group")?,
                    name: get(r, "name")?,
                    version: get(r, "version")?,
                    owner: get(r, "owner")?,
                    past_end_of_support: end_of_support.as_deref().is_some_and(|d| d < today.as_str()),
                    end_of_support,
                    notes: get(r, "notes")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|a| !a.past_end_of_support);
        Ok(out)
    }
}
