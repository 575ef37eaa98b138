//! The append-only, hash-chained audit trail.

use crate::db::{db_err, from_row, get, Store, WriteTx};
use crate::listing::Order;
use crate::records::{AuditRecord, Page};
use crate::sql::Sql;
use khien_domain::audit::{chain_hash, AuditFields, ChainBreak, ChainVerifier, GENESIS};
use khien_domain::page::{Cursor, Dir};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// What one change looks like in the trail.
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub(crate) fn json<T: Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// The chain's last record (id, hash), read under the write lock.
pub(crate) const LAST_AUDIT: &str = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";

/// The record that follows `prev` (the chain's last id and hash) in the chain, made at `now`.
pub(crate) fn chain_row(prev: (i64, String), now: i64, actor: Option<&Actor>, c: Change<'_>) -> AuditRow {
    let (prev_id, prev_hash) = prev;
    let before = c.before.map(|v| v.to_string());
    let after = c.after.map(|v| v.to_string());
    let label = actor.map(Actor::label).unwrap_or_else(|| "system".to_string());
    let fields = AuditFields {
        id: prev_id + 1,
        at_ms: now,
        actor_user_id: actor.map(|a| a.user_id),
        actor_label: &label,
        action: c.action,
        entity_type: c.entity_type,
        entity_id: c.entity_id,
        unit_id: c.unit_id,
        before_json: before.as_deref(),
        after_json: after.as_deref(),
    };
    let hash = chain_hash(&prev_hash, &fields);
    AuditRow {
        id: fields.id,
        at_ms: fields.at_ms,
        actor_user_id: fields.actor_user_id,
        actor_label: label.clone(),
        action: c.action.to_string(),
        entity_type: c.entity_type.to_string(),
        entity_id: c.entity_id,
        unit_id: c.unit_id,
        before_json: before,
        after_json: after,
        prev_hash,
        hash,
    }
}

impl WriteTx<'_> {
    /// Appends one record to the chain. The caller holds the write lock, so the last hash
    /// cannot change under us.
    pub async fn audit(&mut self, actor: Option<&Actor>, c: Change<'_>) -> Result<()> {
        let prev = match self.chain_head.take() {
            Some(head) => head,
            None => {
                let last = sqlx::query(LAST_AUDIT).fetch_optional(&mut *self.tx).await.map_err(db_err)?;
                match last {
                    Some(r) => (get::<i64>(&r, "id")?, get::<String>(&r, "hash")?),
                    None => (0, GENESIS.to_string()),
                }
            }
        };
        let row = chain_row(prev, self.clock.now_ms(), actor, c);
        self.chain_head = Some((row.id, row.hash.clone()));
        match &mut self.pending_audit {
            Some(pending) => {
                pending.push(row);
                if pending.len() >= AUDIT_BATCH {
                    self.flush_audit().await?;
                }
            }
            None => insert_audit_rows(self, &[row]).await?,
        }
        Ok(())
    }

    /// From here on, audit rows are written in batches (and at the latest before commit).
    pub(crate) fn batch_audit(&mut self) {
        if self.pending_audit.is_none() {
            self.pending_audit = Some(Vec::new());
        }
    }

    pub(crate) async fn flush_audit(&mut self) -> Result<()> {
        let rows = match &mut self.pending_audit {
            Some(p) if !p.is_empty() => std::mem::take(p),
            _ => return Ok(()),
        };
        for chunk in rows.chunks(AUDIT_BATCH) {
            insert_audit_rows(self, chunk).await?;
        }
        Ok(())
    }
}

/// Rows per multi-row INSERT (12 parameters each): SQLite binds by scanning a parameter list, so
/// very wide statements cost more than they save.
const AUDIT_BATCH: usize = 25;

/// One chained audit row, ready to be written.
pub(crate) struct AuditRow {
    id: i64,
    at_ms: i64,
    actor_user_id: Option<i64>,
    actor_label: String,
    action: String,
    entity_type: String,
    entity_id: Option<i64>,
    unit_id: Option<i64>,
    before_json: Option<String>,
    after_json: Option<String>,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    /// The chain's head once this row is written: its id and hash.
    pub(crate) fn head(&self) -> (i64, String) {
        (self.id, self.hash.clone())
    }
}

async fn insert_audit_rows(w: &mut WriteTx<'_>, rows: &[AuditRow]) -> Result<()> {
    insert_audit_sql(rows).query().execute(&mut *w.tx).await.map_err(db_err)?;
    Ok(())
}

/// One multi-row INSERT of chained audit rows.
pub(crate) fn insert_audit_sql(rows: &[AuditRow]) -> Sql {
    let mut q = Sql::new("INSERT INTO audit_log (id, at, actor_user_id, actor_label, action, entity_type, entity_id, unit_id, before_json, after_json, prev_hash, hash) VALUES ");
    for (n, r) in rows.iter().enumerate() {
        q.push(if n == 0 { "(" } else { ",(" });
        q.bind(r.id).push(",").bind(r.at_ms).push(",").bind(r.actor_user_id).push(",").bind(r.actor_label.as_str());
        q.push(",")
            .bind(r.action.as_str())
            .push(",")
            .bind(r.entity_type.as_str())
            .push(",")
            .bind(r.entity_id)
            .push(",")
            .bind(r.unit_id);
        q.push(",")
            .bind(r.before_json.clone())
            .push(",")
            .bind(r.after_json.clone())
            .push(",")
            .bind(r.prev_hash.as_str())
            .push(",")
            .bind(r.hash.as_str())
            .push(")");
    }
    q
}

/// Filters for the audit list. All are optional and combine with AND.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_user_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// Prefix of the action, e.g. "unit." or "auth.login".
    pub action: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

fn audit_row(r: &AnyRow) -> Result<AuditRecord> {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let mut a: AuditRecord = from_row(r)?;
    a.before = parse(get(r, "before_json")?);
    a.after = parse(get(r, "after_json")?);
    Ok(a)
}

impl Store {
    /// Audit records the caller may see (ViewAudit over the record's unit), newest first.
    pub async fn list_audit(&self, actor: &Actor, f: &AuditFilter) -> Result<Page<AuditRecord>> {
        let mut q = Sql::new("SELECT a.*, au.full_name AS actor_name FROM audit_log a JOIN units u ON u.id = a.unit_id LEFT JOIN users au ON au.id = a.actor_user_id WHERE ");
        q.reach("u.path", "u.id", &actor.reach(Action::ViewAudit));
        if let Some(t) = &f.entity_type {
            q.push(" AND a.entity_type = ").bind(t.as_str());
        }
        if let Some(id) = f.entity_id {
            q.push(" AND a.entity_id = ").bind(id);
        }
        if let Some(id) = f.actor_user_id {
            q.push(" AND a.actor_user_id = ").bind(id);
        }
        if let Some(id) = f.unit_id {
            q.push(" AND a.unit_id = ").bind(id);
        }
        if let Some(a) = &f.action {
            q.push(" AND a.action LIKE ").bind(format!("{}%", a.replace(['%', '_'], "")));
        }
        if let Some(t) = f.from_ms {
            q.push(" AND a.at >= ").bind(t);
        }
        if let Some(t) = f.to_ms {
            q.push(" AND a.at < ").bind(t);
        }
        // Ids are the chain order, so they are the natural (and unique) sort key. The trail
        // grows without end: its pages are not counted.
        let order = Order::number("audit.id", "a.id", "a.id", Dir::Desc);
        let key_of = |r: &AuditRecord| (r.id.to_string(), r.id);
        self.page_of(q, &order, (f.cursor.as_ref(), f.limit), audit_row, key_of).await
    }

    /// The audit records of one entity, newest first, for a caller the entity's own scope
    /// check has already admitted (a dossier's timeline is part of the dossier).
    pub(crate) async fn entity_history(&self, entity_type: &str, entity_id: i64) -> Result<Vec<AuditRecord>> {
        let rows =
            self.read_all(&Sql::new("SELECT a.*, au.full_name AS actor_name FROM audit_log a LEFT JOIN users au ON au.id = a.actor_user_id WHERE a.entity_type = $1 AND a.entity_id = $2 ORDER BY a.id DESC LIMIT 500").arg(entity_type).arg(entity_id)).await?;
        rows.iter().map(audit_row).collect()
    }

    /// Walks the whole chain in id order; Ok(count) or the first broken record.
    pub(crate) async fn verify_audit_chain(&self) -> Result<std::result::Result<u64, ChainBreak>> {
        let mut v = ChainVerifier::default();
        let mut after = 0i64;
        loop {
            let rows = self
                .read_all(&Sql::new("SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000").arg(after))
                .await?;
            if rows.is_empty() {
                return Ok(Ok(v.checked));
            }
            for r in &rows {
                let label: String = get(r, "actor_label")?;
                let action: String = get(r, "action")?;
                let entity_type: String = get(r, "entity_type")?;
                let before: Option<String> = get(r, "before_json")?;
                let after_json: Option<String> = get(r, "after_json")?;
                let fields = AuditFields {
                    id: get(r, "id")?,
                    at_ms: get(r, "at")?,
                    actor_user_id: get(r, "actor_user_id")?,
                    actor_label: &label,
                    action: &action,
                    entity_type: &entity_type,
                    entity_id: get(r, "entity_id")?,
                    unit_id: get(r, "unit_id")?,
                    before_json: before.as_deref(),
                    after_json: after_json.as_deref(),
                };
                let prev: String = get(r, "prev_hash")?;
                let hash: String = get(r, "hash")?;
                if let Err(b) = v.check(&fields, &prev, &hash) {
                    return Ok(Err(b));
                }
                after = fields.id;
            }
        }
    }

    /// Number of audit records (for metrics and the home page).
    pub async fn audit_count(&self) -> Result<i64> {
        let r = self.read_one(&Sql::new("SELECT COUNT(*) AS n FROM audit_log")).await?;
        r.try_get::<i64, _>("n").map_err(Error::internal)
    }
}
