//! Sharing incidents: everything a STIX export needs in three queries, and the watch list of
//! indicators received from outside (all or nothing per bundle).

use crate::db::{db_err, get, get_code, get_opt_code, Store};
use crate::incidents::incident::{Incident, IncidentFilter};
use crate::incidents::work::Observable;
use crate::sql::Sql;
use khien_domain::incident::observable::ObservableKind;
use khien_domain::incident::Tlp;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// An incident with what a bundle carries about it.
#[derive(Debug, Clone)]
pub struct ExportedIncident {
    pub incident: Incident,
    pub observables: Vec<Observable>,
    /// Ids of linked incidents (only those in the same export are written).
    pub related: Vec<i64>,
}

/// One watch-list entry, as imported.
#[derive(Debug, Clone)]
pub struct WatchInput {
    pub stix_id: String,
    pub kind: ObservableKind,
    pub value: String,
    pub name: Option<String>,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub tlp: Option<Tlp>,
    pub labels: Vec<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchItem {
    pub id: i64,
    pub stix_id: String,
    pub kind: ObservableKind,
    pub value: String,
    pub name: Option<String>,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub tlp: Option<Tlp>,
    pub labels: Vec<String>,
    pub source: Option<String>,
    pub imported_at: i64,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct WatchImportSummary {
    pub added: usize,
    pub updated: usize,
}

fn watch_row(r: &sqlx::any::AnyRow) -> Result<WatchItem> {
    let labels: String = get(r, "labels")?;
    Ok(WatchItem {
        id: get(r, "id")?,
        stix_id: get(r, "stix_id")?,
        kind: get_code(r, "kind", |s| ObservableKind::parse("kind", s))?,
        value: get(r, "value")?,
        name: get(r, "name")?,
        valid_from: get(r, "valid_from")?,
        valid_until: get(r, "valid_until")?,
        tlp: get_opt_code(r, "tlp", |s| Tlp::parse("tlp", s))?,
        labels: labels.lines().map(str::to_string).collect(),
        source: get(r, "source")?,
        imported_at: get(r, "imported_at")?,
    })
}

impl Store {
    /// The incidents matching the filter (one page of at most `limit`) with their observables
    /// and links.
    pub async fn incidents_for_export(&self, actor: &Actor, f: &IncidentFilter) -> Result<Vec<ExportedIncident>> {
        let page = self.list_incidents(actor, f).await?;
        if page.items.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = page.items.iter().map(|i| i.id).collect();
        let in_list = |q: &mut Sql| {
            q.push("(");
            for (n, id) in ids.iter().enumerate() {
                if n > 0 {
                    q.push(",");
                }
                q.bind(*id);
            }
            q.push(")");
        };
        let mut q = Sql::new("SELECT * FROM observables WHERE incident_id IN ");
        in_list(&mut q);
        q.push(" ORDER BY id");
        let mut observables: HashMap<i64, Vec<Observable>> = HashMap::new();
        for r in self.read_all(&q).await? {
            let o = crate::incidents::work::observable_row(&r)?;
            observables.entry(o.incident_id).or_default().push(o);
        }
        let mut q = Sql::new("SELECT incident_id, related_id FROM incident_links WHERE incident_id IN ");
        in_list(&mut q);
        let mut related: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in self.read_all(&q).await? {
            related.entry(get(&r, "incident_id")?).or_default().push(get(&r, "related_id")?);
        }
        Ok(page
            .items
            .into_iter()
            .map(|incident| {
                let id = incident.id;
                ExportedIncident {
                    observables: observables.remove(&id).unwrap_or_default(),
                    related: related.remove(&id).unwrap_or_default(),
                    incident,
                }
            })
            .collect())
    }

    /// Adds (or refreshes) watch-list entries in one transaction. Only the city's co-ordinator
    /// (at the root unit) keeps the city-wide list.
    pub async fn import_watchlist(&self, actor: &Actor, items: &[WatchInput]) -> Result<WatchImportSummary> {
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::CoordinateIncidents).await?;
        let now = self.clock.now_ms();
        let mut summary = WatchImportSummary::default();
        for i in items {
            let known = sqlx::query("SELECT id FROM watchlist WHERE stix_id = $1 AND kind = $2 AND value = $3")
                .bind(i.stix_id.as_str())
                .bind(i.kind.code())
                .bind(i.value.as_str())
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            let mut q = match &known {
                Some(_) => Sql::new("UPDATE watchlist SET name = "),
                None => Sql::new("INSERT INTO watchlist (stix_id, kind, value, imported_at, imported_by, name, valid_from, valid_until, tlp, labels, source) VALUES ("),
            };
            if known.is_none() {
                q.bind(i.stix_id.as_str())
                    .push(",")
                    .bind(i.kind.code())
                    .push(",")
                    .bind(i.value.as_str())
                    .push(",")
                    .bind(now)
                    .push(",")
                    .bind(actor.label())
                    .push(",");
            }
            let sep = |q: &mut Sql, col: &str| {
                if known.is_some() {
                    q.push(&format!(", {col} = "));
                } else {
                    q.push(",");
                }
            };
            q.bind(i.name.clone());
            sep(&mut q, "valid_from");
            q.bind(i.valid_from);
            sep(&mut q, "valid_until");
            q.bind(i.valid_until);
            sep(&mut q, "tlp");
            q.bind(i.tlp.map(|t| t.code().to_string()));
            sep(&mut q, "labels");
            q.bind(i.labels.join("\n"));
            sep(&mut q, "source");
            q.bind(i.source.clone());
            match known {
                Some(r) => {
                    q.push(", imported_at = ").bind(now).push(" WHERE id = ").bind(get::<i64>(&r, "id")?);
                    summary.updated += 1;
                }
                None => {
                    q.push(")");
                    summary.added += 1;
                }
            }
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        }
        w.audit(
            Some(actor),
            crate::audit::Change {
                action: "watchlist.import",
                entity_type: "watchlist",
                entity_id: None,
                unit_id: None,
                before: None,
                after: crate::audit::json(&summary),
            },
        )
        .await?;
        w.commit().await?;
        Ok(summary)
    }

    /// Watch-list entries with this value (any kind when `kind` is None).
    pub async fn watchlist_hits(&self, actor: &Actor, kind: &str, value: &str) -> Result<Vec<WatchItem>> {
        if !actor.can_anywhere(Action::ViewIncidents) {
            return Err(Error::forbidden());
        }
        self.read_all(
            &Sql::new("SELECT * FROM watchlist WHERE value = $1 AND kind = $2 ORDER BY id DESC LIMIT 100")
                .arg(value)
                .arg(kind),
        )
        .await?
        .iter()
        .map(watch_row)
        .collect()
    }

    /// The newest watch-list entries.
    pub async fn watchlist(&self, actor: &Actor, limit: i64) -> Result<Vec<WatchItem>> {
        if !actor.can_anywhere(Action::ViewIncidents) {
            return Err(Error::forbidden());
        }
        self.read_all(&Sql::new("SELECT * FROM watchlist ORDER BY id DESC LIMIT $1").arg(limit))
            .await?
            .iter()
            .map(watch_row)
            .collect()
    }
}
