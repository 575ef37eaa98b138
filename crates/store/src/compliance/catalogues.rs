//! Control catalogues (danh mục yêu cầu): versioned trees of groups and requirements. The
//! built-in ones (TCVN 14423:2026, TCVN 11930:2017) are loaded on start; the standing body
//! imports others (a new version of a code is a new row, never an edit of an old one, so past
//! assessments keep the text they were made against). City-wide reference data: anyone who may
//! see compliance anywhere reads them.

use crate::audit::{json, Change};
use crate::db::{db_err, get, get_code, Store, WriteTx};
use crate::sql::Sql;
use khien_domain::catalog::{Catalogue, LevelSet, NodeKind};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use std::sync::Arc;
use utoipa::ToSchema;

/// One catalogue version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueInfo {
    pub id: i64,
    pub code: String,
    pub version: String,
    pub title_vi: String,
    pub title_en: String,
    pub source_note_vi: String,
    pub source_note_en: String,
    /// Number of requirements (groups not counted).
    pub requirements: i64,
    /// Shipped with Khiên.
    pub builtin: bool,
    pub created_at: i64,
    pub created_by: String,
}

/// One group or requirement, in tree order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueNodeRow {
    pub node_id: String,
    pub parent_id: Option<String>,
    pub kind: NodeKind,
    pub title_vi: String,
    pub title_en: String,
    pub description: String,
    /// Levels 1–5 the node applies to, ascending.
    pub levels: Vec<u8>,
    /// Depth in the tree (0 at the top).
    pub depth: i64,
    pub position: i64,
}

impl CatalogueNodeRow {
    pub fn applies_to(&self, level: u8) -> bool {
        self.levels.contains(&level)
    }

    pub fn is_requirement(&self) -> bool {
        self.kind == NodeKind::Requirement
    }

    pub fn levels_label(&self) -> String {
        LevelSet::from_levels(self.levels.iter().copied()).map(|l| l.label().vi).unwrap_or_default()
    }
}

/// A catalogue with its nodes in tree order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogueTree {
    pub catalogue: CatalogueInfo,
    pub nodes: Vec<CatalogueNodeRow>,
}

const CAT_COLS: &str = "id, code, version, title_vi, title_en, source_note_vi, source_note_en, requirements, builtin, created_at, created_by";
/// Catalogue versions whose nodes are kept in memory at most (the cache is emptied past it).
const MAX_CACHED_CATALOGUES: usize = 64;
/// Rows per multi-row INSERT of nodes (9 parameters each).
const NODE_BATCH: usize = 100;

fn catalogue_row(r: &AnyRow) -> Result<CatalogueInfo> {
    Ok(CatalogueInfo {
        id: get(r, "id")?,
        code: get(r, "code")?,
        version: get(r, "version")?,
        title_vi: get(r, "title_vi")?,
        title_en: get(r, "title_en")?,
        source_note_vi: get(r, "source_note_vi")?,
        source_note_en: get(r, "source_note_en")?,
        requirements: get(r, "requirements")?,
        builtin: get::<i64>(r, "builtin")? != 0,
        created_at: get(r, "created_at")?,
        created_by: get(r, "created_by")?,
    })
}

pub(crate) fn levels_of(bits: i64) -> Vec<u8> {
    u8::try_from(bits).ok().and_then(LevelSet::from_bits).map(|l| l.iter().collect()).unwrap_or_default()
}

fn read_only(actor: &Actor) -> Result<()> {
    if actor.can_anywhere(Action::ViewCompliance) {
        Ok(())
    } else {
        Err(Error::forbidden())
    }
}

async fn insert_catalogue(w: &mut WriteTx<'_>, cat: &Catalogue, builtin: bool, by: &str) -> Result<CatalogueInfo> {
    let meta = cat.meta();
    let requirements = i64::try_from(cat.requirements().count()).map_err(Error::internal)?;
    let mut q = Sql::new("INSERT INTO catalogues (code, version, title_vi, title_en, source_note_vi, source_note_en, requirements, builtin, created_at, created_by) VALUES (");
    q.bind(meta.code.as_str())
        .push(",")
        .bind(meta.version.as_str())
        .push(",")
        .bind(meta.title_vi.as_str())
        .push(",")
        .bind(meta.title_en.as_str());
    q.push(",")
        .bind(meta.source_note.vi.as_str())
        .push(",")
        .bind(meta.source_note.en.as_str())
        .push(",")
        .bind(requirements)
        .push(",")
        .bind(builtin);
    q.push(",").bind(w.clock.now_ms()).push(",").bind(by).push(&format!(") RETURNING {CAT_COLS}"));
    let info = catalogue_row(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?)?;
    let nodes = cat.nodes();
    for (chunk_no, chunk) in nodes.chunks(NODE_BATCH).enumerate() {
        let mut q = Sql::new("INSERT INTO catalogue_nodes (catalogue_id, node_id, parent_id, kind, title_vi, title_en, description, levels, position) VALUES ");
        for (i, n) in chunk.iter().enumerate() {
            let position = i64::try_from(chunk_no * NODE_BATCH + i).map_err(Error::internal)?;
            q.push(if i == 0 { "(" } else { ",(" });
            q.bind(info.id)
                .push(",")
                .bind(n.id.as_str())
                .push(",")
                .bind(n.parent.clone())
                .push(",")
                .bind(n.kind.code());
            q.push(",")
                .bind(n.title_vi.as_str())
                .push(",")
                .bind(n.title_en.as_str())
                .push(",")
                .bind(n.description.as_str());
            q.push(",").bind(i64::from(n.levels.bits())).push(",").bind(position).push(")");
        }
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
    }
    Ok(info)
}

async fn exists(w: &mut WriteTx<'_>, code: &str, version: &str) -> Result<bool> {
    let r = sqlx::query("SELECT id FROM catalogues WHERE code = $1 AND version = $2")
        .bind(code)
        .bind(version)
        .fetch_optional(&mut *w.tx)
        .await
        .map_err(db_err)?;
    Ok(r.is_some())
}

impl Store {
    /// Loads the catalogues shipped with Khiên (`khien_formats::builtin_catalogues()`, passed in
    /// so that the store needs no parser) that are not in the database yet, by code and version.
    /// Idempotent; run on every start.
    pub(crate) async fn ensure_builtin_catalogues(&self, builtin: &[Catalogue]) -> Result<usize> {
        let have: Vec<(String, String)> = self
            .read_all(&Sql::new("SELECT code, version FROM catalogues WHERE builtin = 1"))
            .await?
            .iter()
            .map(|r| Ok((get(r, "code")?, get(r, "version")?)))
            .collect::<Result<_>>()?;
        let missing: Vec<&Catalogue> =
            builtin.iter().filter(|c| !have.iter().any(|(code, v)| code == c.code() && v == c.version())).collect();
        if missing.is_empty() {
            return Ok(0);
        }
        let mut w = self.begin_write().await?;
        let mut n = 0;
        for cat in missing {
            if exists(&mut w, cat.code(), cat.version()).await? {
                continue;
            }
            let info = insert_catalogue(&mut w, cat, true, "system").await?;
            w.audit(
                None,
                Change {
                    action: "catalogue.builtin",
                    entity_type: "catalogue",
                    entity_id: Some(info.id),
                    unit_id: None,
                    before: None,
                    after: json(&info),
                },
            )
            .await?;
            n += 1;
        }
        w.commit().await?;
        Ok(n)
    }

    /// Every catalogue version, by code then newest version first.
    pub async fn list_catalogues(&self, actor: &Actor) -> Result<Vec<CatalogueInfo>> {
        read_only(actor)?;
        let rows =
            self.read_all(&Sql::new(&format!("SELECT {CAT_COLS} FROM catalogues ORDER BY code, id DESC"))).await?;
        rows.iter().map(catalogue_row).collect()
    }

    pub(crate) async fn catalogue_info(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        id: i64,
    ) -> Result<CatalogueInfo> {
        let r = sqlx::query(&format!("SELECT {CAT_COLS} FROM catalogues WHERE id = $1"))
            .bind(id)
            .fetch_optional(exec)
            .await
            .map_err(db_err)?;
        catalogue_row(&r.ok_or_else(|| Error::not_found("danh mục yêu cầu", "Catalogue"))?)
    }

    /// The nodes of a catalogue version, in tree order. Versions never change once stored, so
    /// they are read once per process and shared (an assessment's workspace reads them on
    /// every request).
    pub(crate) async fn catalogue_nodes(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        id: i64,
    ) -> Result<Arc<Vec<CatalogueNodeRow>>> {
        if let Some(nodes) =
            self.catalogue_cache.lock().map_err(|_| Error::internal("catalogue cache poisoned"))?.get(&id)
        {
            return Ok(nodes.clone());
        }
        let nodes = Arc::new(self.read_catalogue_nodes(exec, id).await?);
        // An id with no nodes is not (or not yet) a committed catalogue: never cached.
        if !nodes.is_empty() {
            let mut cache = self.catalogue_cache.lock().map_err(|_| Error::internal("catalogue cache poisoned"))?;
            if cache.len() >= MAX_CACHED_CATALOGUES {
                cache.clear();
            }
            cache.insert(id, nodes.clone());
        }
        Ok(nodes)
    }

    async fn read_catalogue_nodes(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        id: i64,
    ) -> Result<Vec<CatalogueNodeRow>> {
        let rows = sqlx::query("SELECT node_id, parent_id, kind, title_vi, title_en, description, levels, position FROM catalogue_nodes WHERE catalogue_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(exec)
            .await
            .map_err(db_err)?;
        let mut out: Vec<CatalogueNodeRow> = Vec::with_capacity(rows.len());
        let mut depth_of: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        for r in &rows {
            let node_id: String = get(r, "node_id")?;
            let parent_id: Option<String> = get(r, "parent_id")?;
            let depth = parent_id.as_ref().and_then(|p| depth_of.get(p)).map_or(0, |d| d + 1);
            depth_of.insert(node_id.clone(), depth);
            out.push(CatalogueNodeRow {
                node_id,
                parent_id,
                kind: get_code(r, "kind", |c| NodeKind::parse("kind", c))?,
                title_vi: get(r, "title_vi")?,
                title_en: get(r, "title_en")?,
                description: get(r, "description")?,
                levels: levels_of(get(r, "levels")?),
                depth,
                position: get(r, "position")?,
            });
        }
        Ok(out)
    }

    /// A catalogue version with its tree.
    pub async fn catalogue(&self, actor: &Actor, id: i64) -> Result<CatalogueTree> {
        read_only(actor)?;
        let catalogue = self.catalogue_info(&self.pool, id).await?;
        let nodes = self.catalogue_nodes(&self.pool, id).await?.as_ref().clone();
        Ok(CatalogueTree { catalogue, nodes })
    }

    /// Stores a validated catalogue as a new version (the standing body's work). The same code
    /// and version twice is a conflict.
    pub async fn import_catalogue(&self, actor: &Actor, cat: &Catalogue) -> Result<CatalogueInfo> {
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::ManageCatalogues).await?;
        if exists(&mut w, cat.code(), cat.version()).await? {
            return Err(Error::conflict(
                format!(
                    "Danh mục «{}» phiên bản «{}» đã có; hãy nhập với một phiên bản mới.",
                    cat.code(),
                    cat.version()
                ),
                format!(
                    "The catalogue «{}» version «{}» already exists; import it as a new version.",
                    cat.code(),
                    cat.version()
                ),
            ));
        }
        let info = insert_catalogue(&mut w, cat, false, &actor.label()).await?;
        w.audit(
            Some(actor),
            Change {
                action: "catalogue.import",
                entity_type: "catalogue",
                entity_id: Some(info.id),
                unit_id: None,
                before: None,
                after: json(&info),
            },
        )
        .await?;
        w.commit().await?;
        Ok(info)
    }
}
