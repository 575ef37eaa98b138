//! Saved registry filters: personal, named query strings.

use crate::audit::{json, Change};
use crate::db::{db_err, from_row, get, Store};
use crate::sql::Sql;
use khien_domain::scope::Actor;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct SavedFilter {
    pub id: i64,
    pub name: String,
    /// The registry list's query string, e.g. `status=in_operation&layer_gap=true`.
    pub query: String,
}

/// Only the registry's own filter parameters may be saved, so a saved filter is never a way
/// to smuggle something else into a link.
fn check_query(q: &str) -> Result<String> {
    const KEYS: [&str; 7] = ["q", "status", "level", "dossier_state", "layer_gap", "violations", "unit_id"];
    let q = q.trim().trim_start_matches('?');
    let ok = q.len() <= 1000
        && q.split('&').filter(|p| !p.is_empty()).all(|p| {
            let key = p.split_once('=').map(|(k, _)| k).unwrap_or(p);
            KEYS.contains(&key) && p.chars().all(|c| c.is_ascii_alphanumeric() || "=%+-_.".contains(c))
        });
    if ok {
        Ok(q.to_string())
    } else {
        Err(Error::invalid(
            "query",
            "Bộ lọc chỉ gồm các tham số của danh sách hệ thống.",
            "A filter may hold only the registry list's parameters.",
        ))
    }
}

impl Store {
    pub async fn saved_filters(&self, actor: &Actor) -> Result<Vec<SavedFilter>> {
        let rows = self
            .read_all(
                &Sql::new("SELECT id, name, query FROM saved_filters WHERE user_id = $1 ORDER BY name")
                    .arg(actor.user_id),
            )
            .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn save_filter(&self, actor: &Actor, name: &str, query: &str) -> Result<SavedFilter> {
        let name = validate_name("name", name, 100)?;
        let query = check_query(query)?;
        let mut w = self.begin_write().await?;
        let r = sqlx::query(
            "INSERT INTO saved_filters (user_id, name, query, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(actor.user_id)
        .bind(name.as_str())
        .bind(query.as_str())
        .bind(self.clock.now_ms())
        .fetch_one(&mut *w.tx)
        .await
        .map_err(db_err)?;
        let f = SavedFilter { id: get(&r, "id")?, name, query };
        let unit: i64 = get(
            &sqlx::query("SELECT unit_id FROM users WHERE id = $1")
                .bind(actor.user_id)
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?,
            "unit_id",
        )?;
        w.audit(
            Some(actor),
            Change {
                action: "filter.save",
                entity_type: "saved_filter",
                entity_id: Some(f.id),
                unit_id: Some(unit),
                before: None,
                after: json(&f),
            },
        )
        .await?;
        w.commit().await?;
        Ok(f)
    }

    /// Deletes one of the caller's own saved filters (anyone else's is NotFound).
    pub async fn delete_filter(&self, actor: &Actor, id: i64) -> Result<()> {
        let mut w = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM saved_filters WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(actor.user_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        if n == 0 {
            return Err(Error::not_found("bộ lọc", "Saved filter"));
        }
        let unit: i64 = get(
            &sqlx::query("SELECT unit_id FROM users WHERE id = $1")
                .bind(actor.user_id)
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?,
            "unit_id",
        )?;
        w.audit(
            Some(actor),
            Change {
                action: "filter.delete",
                entity_type: "saved_filter",
                entity_id: Some(id),
                unit_id: Some(unit),
                before: None,
                after: None,
            },
        )
        .await?;
        w.commit().await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::check_query;

    #[test]
    fn only_registry_parameters() {
        assert_eq!(check_query("?status=in_operation&layer_gap=true").unwrap(), "status=in_operation&layer_gap=true");
        assert!(check_query("q=cong%20dich%20vu").is_ok());
        assert!(check_query("next=//evil").is_err());
        assert!(check_query("q=<script>").is_err());
    }
}
