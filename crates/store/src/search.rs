//! The header's search: what the lists do not cover on their own. Units, systems, incidents and
//! findings are searched by their lists (same words, same scope); dossiers are found here by
//! their system's name, code or unit.

use crate::db::{get, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::dossier::DossierState;
use khien_domain::Result;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DossierHit {
    pub id: i64,
    pub state: DossierState,
    pub proposed_level: i64,
    pub system_name: String,
    pub unit_name: String,
}

impl Store {
    /// The dossiers of the systems whose text holds every word of `q`, newest first.
    pub async fn find_dossiers(&self, actor: &Actor, q: &str, limit: i64) -> Result<Vec<DossierHit>> {
        let mut sql = Sql::new("SELECT d.id, d.state, d.proposed_level, s.name AS system_name, u.name AS unit_name FROM dossiers d JOIN systems s ON s.id = d.system_id JOIN units u ON u.id = s.owner_unit_id WHERE ");
        sql.reach("u.path", "u.id", &actor.reach(Action::ViewSystems)).words_like(&["s.search_folded"], q);
        sql.push(" ORDER BY d.id DESC LIMIT ").bind(limit.clamp(1, 100));
        let rows = self.read_all(&sql).await?;
        rows.iter()
            .map(|r| {
                Ok(DossierHit {
                    id: get(r, "id")?,
                    state: DossierState::parse("state", &get::<String>(r, "state")?)?,
                    proposed_level: get(r, "proposed_level")?,
                    system_name: get(r, "system_name")?,
                    unit_name: get(r, "unit_name")?,
                })
            })
            .collect()
    }
}
