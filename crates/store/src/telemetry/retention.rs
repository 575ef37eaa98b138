//! How long raw telemetry is kept per level (issue 18.3): TCVN 14423:2026's log retention by
//! default (`default_retention_days`), longer where the authority sets it; the hourly purge
//! reads it.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::telemetry::{check_retention, default_retention_days, min_retention_days};
use khien_domain::Result;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Levels with a retention: 0 (no approved level, or no known system) and 1–5.
pub const RETENTION_LEVELS: std::ops::RangeInclusive<i64> = 0..=5;

/// One level's retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RetentionRule {
    /// 0 for events of no approved level (or of no known system), else the system's level.
    pub level: i64,
    /// Days raw events are kept.
    pub days: i64,
    /// TCVN 14423:2026's figure, kept unless the authority sets another.
    pub default_days: i64,
    /// The least that may be set.
    pub min_days: i64,
    /// Who set it and when (ms), if the authority did.
    pub set_by: Option<String>,
    pub set_at: Option<i64>,
}

/// A level's retention to set.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionInput {
    pub level: i64,
    pub days: i64,
}

impl Store {
    /// Every level's retention, level 0 first.
    pub async fn telemetry_retention(&self) -> Result<Vec<RetentionRule>> {
        let mut out: Vec<RetentionRule> = RETENTION_LEVELS
            .map(|level| RetentionRule {
                level,
                days: default_retention_days(level),
                default_days: default_retention_days(level),
                min_days: min_retention_days(level),
                set_by: None,
                set_at: None,
            })
            .collect();
        let rows = self.read_all(&Sql::new("SELECT level, days, set_by, set_at FROM telemetry_retention")).await?;
        for r in &rows {
            let level: i64 = get(r, "level")?;
            if let Some(rule) = out.iter_mut().find(|x| x.level == level) {
                rule.days = get(r, "days")?;
                rule.set_by = Some(get(r, "set_by")?);
                rule.set_at = Some(get(r, "set_at")?);
            }
        }
        Ok(out)
    }

    /// Sets levels' retention (the standing body, at the city's root): each checked against
    /// the standard's floor, all or nothing, audited.
    pub async fn set_telemetry_retention(&self, actor: &Actor, rules: &[RetentionInput]) -> Result<Vec<RetentionRule>> {
        for r in rules {
            check_retention(r.level, r.days)?;
        }
        let before = self.telemetry_retention().await?;
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        let now = self.clock.now_ms();
        for r in rules {
            sqlx::query("DELETE FROM telemetry_retention WHERE level = $1")
                .bind(r.level)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            sqlx::query("INSERT INTO telemetry_retention (level, days, set_by, set_at) VALUES ($1,$2,$3,$4)")
                .bind(r.level)
                .bind(r.days)
                .bind(actor.label())
                .bind(now)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        let days = |rules: &[RetentionRule]| rules.iter().map(|r| (r.level.to_string(), r.days)).collect::<Vec<_>>();
        let change = Change {
            action: "telemetry.retention",
            entity_type: "telemetry_retention",
            entity_id: None,
            unit_id: None,
            before: json(&days(&before)),
            after: json(&rules.iter().map(|r| (r.level.to_string(), r.days)).collect::<Vec<_>>()),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        self.telemetry_retention().await
    }
}
