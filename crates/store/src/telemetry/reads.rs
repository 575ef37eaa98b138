//! What telemetry shows: the alerts queue (a unit subtree's, or the authority's unattributed
//! queue), each SOC provider's ingest health, and events per day for the charts.

use super::rules::{push_rule, push_rule_words, RuleMatch};
use crate::db::{from_row, get, Store};
use crate::listing::Order;
use crate::records::Page;
use crate::sql::Sql;
use crate::units::scope::scoped_select;
use khien_domain::page::{Cursor, Dir};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

/// One de-duplicated alert.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct TelemetryAlert {
    pub id: i64,
    /// The SOC provider's account that sent it.
    pub user_id: i64,
    /// None while its addresses are in no registered range.
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub system_id: Option<i64>,
    pub system_code: Option<String>,
    /// `suricata`, `wazuh`, `zeek`, `ecs` or `cef`.
    pub shape: String,
    /// The source's own type of event ("alert", "notice", a Wazuh rule group…).
    pub event_type: String,
    pub rule: String,
    pub title: String,
    /// 1 low, 2 medium, 3 high, 4 critical.
    pub severity: i64,
    /// The address (or host) the alert is about.
    pub asset: String,
    pub src_ip: Option<String>,
    pub dst_ip: Option<String>,
    pub host: Option<String>,
    /// Milliseconds since the epoch.
    pub first_seen: i64,
    pub last_seen: i64,
    /// Events folded into it.
    pub event_count: i64,
    /// The incident it was promoted to or linked with.
    pub incident_id: Option<i64>,
    /// One of its addresses is on the watch list or among the observables of an incident the
    /// reader sees.
    #[sqlx(skip)]
    pub watched: bool,
}

pub(super) const ALERT_COLS: &str = "a.id, a.user_id, a.unit_id, u.name AS unit_name, a.system_id, (SELECT code FROM systems s WHERE s.id = a.system_id) AS system_code, a.shape, a.kind AS event_type, a.rule, a.title, a.severity, a.asset, a.src_ip, a.dst_ip, a.host, a.first_seen, a.last_seen, a.event_count, a.incident_id";

/// The alerts queue's filters.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
    pub system_id: Option<i64>,
    /// At least this severity (1–4).
    pub min_severity: Option<i64>,
    /// Words in the rule or its title.
    pub q: Option<String>,
    /// Last seen at or after / before (ms).
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// The authority's queue of alerts no registered range holds.
    pub unattributed: bool,
    /// Only the watch-list hits.
    pub watched: bool,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

/// One source's ingest over the last day, and its last batch: a SOC provider's token (named
/// for the provider when issued), or a signed-in account that posted itself.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct SourceHealth {
    pub token_id: Option<i64>,
    /// The token's name, else the account's full name.
    pub name: String,
    /// When its last batch arrived (ms).
    pub last_received_at: i64,
    pub batches_24h: i64,
    pub accepted_24h: i64,
    pub rejected_24h: i64,
    pub unattributed_24h: i64,
}

/// Events and alerts of one day over the caller's units.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct TelemetryDay {
    /// yyyy-mm-dd (Vietnam's time).
    pub day: String,
    pub events: i64,
    pub alerts: i64,
}

/// Events received in one minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RatePoint {
    /// The minute's start (ms since the epoch).
    pub minute: i64,
    /// Events of the caller's units (or the subtree asked for).
    pub events: i64,
    /// Events no registered range held (the city-wide, without a unit asked for); else 0.
    pub unattributed: i64,
}

/// The most minutes the live rate reads (two days are kept).
pub const RATE_MAX_MINUTES: i64 = 24 * 60;

impl Store {
    /// Events received per minute over the last `minutes` (oldest first, every minute present),
    /// for the caller's units or the subtree of `unit_id`.
    pub async fn telemetry_rate(&self, actor: &Actor, unit_id: Option<i64>, minutes: i64) -> Result<Vec<RatePoint>> {
        let minutes = minutes.clamp(1, RATE_MAX_MINUTES);
        let last = self.clock.now_ms().div_euclid(60_000);
        let first = last - minutes + 1;
        let mut points: Vec<RatePoint> =
            (first..=last).map(|m| RatePoint { minute: m * 60_000, events: 0, unattributed: 0 }).collect();
        let at = |m: i64| usize::try_from(m - first).ok();
        let scope = self.unit_scope(actor, Action::ViewIncidents, unit_id).await?;
        let cols = "m.minute, CAST(SUM(m.events) AS BIGINT) AS events";
        if let Some(mut q) = scoped_select(cols, "telemetry_minutes", "m", "unit_id", &scope) {
            q.push(" AND m.minute >= ").bind(first).push(" GROUP BY m.minute");
            for r in self.read_all(&q).await? {
                if let Some(p) = at(get(&r, "minute")?).and_then(|i| points.get_mut(i)) {
                    p.events = get(&r, "events")?;
                }
            }
        }
        if unit_id.is_none() && actor.reach(Action::ViewIncidents).is_whole_tree() {
            let rows = self
                .read_all(
                    &Sql::new("SELECT minute, events FROM telemetry_minutes WHERE unit_id = 0 AND minute >= $1")
                        .arg(first),
                )
                .await?;
            for r in &rows {
                if let Some(p) = at(get(r, "minute")?).and_then(|i| points.get_mut(i)) {
                    p.unattributed = get(r, "events")?;
                }
            }
        }
        Ok(points)
    }

    /// The alerts queue, most recently seen first.
    pub async fn list_telemetry_alerts(&self, actor: &Actor, f: &AlertFilter) -> Result<Page<TelemetryAlert>> {
        if f.min_severity.is_some_and(|s| !(1..=4).contains(&s)) {
            return Err(Error::invalid(
                "min_severity",
                "Mức nghiêm trọng từ 1 (thấp) đến 4 (nghiêm trọng).",
                "Severity runs from 1 (low) to 4 (critical).",
            ));
        }
        let mut q = if f.unattributed {
            // Only the city-wide can resolve them (by adding the ranges they belong to).
            if !actor.reach(Action::ViewIncidents).is_whole_tree() {
                return Ok(Page::empty());
            }
            Sql::new(&format!("SELECT {ALERT_COLS} FROM telemetry_alerts a LEFT JOIN units u ON u.id = a.unit_id WHERE a.unit_id IS NULL"))
        } else {
            let scope = self.unit_scope(actor, Action::ViewIncidents, f.unit_id).await?;
            match scoped_select(ALERT_COLS, "telemetry_alerts", "a", "unit_id", &scope) {
                Some(q) => q,
                None => return Ok(Page::empty()),
            }
        };
        if let Some(id) = f.system_id {
            q.push(" AND a.system_id = ").bind(id);
        }
        if let Some(s) = f.min_severity {
            q.push(" AND a.severity >= ").bind(s);
        }
        if let Some(t) = f.since {
            q.push(" AND a.last_seen >= ").bind(t);
        }
        if let Some(t) = f.until {
            q.push(" AND a.last_seen < ").bind(t);
        }
        if f.watched {
            q.push(" AND ");
            self.push_watched(&mut q, actor);
        }
        // Words: the rules that hold them first, then each one's alerts through its index.
        let arms = match f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            None => vec![q],
            Some(term) => match self.rules_matching(term).await? {
                RuleMatch::Nothing => return Ok(Page::empty()),
                RuleMatch::Few(rules) => rules
                    .iter()
                    .map(|(rule, titles)| {
                        let mut arm = q.clone();
                        push_rule(&mut arm, rule, titles);
                        arm
                    })
                    .collect(),
                RuleMatch::Many => {
                    push_rule_words(&mut q, term);
                    vec![q]
                }
            },
        };
        let order = Order::number("telemetry_alerts.last_seen", "a.last_seen", "a.id", Dir::Desc);
        let mut page = self
            .page_of_arms(arms, &order, (f.cursor.as_ref(), f.limit), from_row, |a: &TelemetryAlert| {
                (a.last_seen.to_string(), a.id)
            })
            .await?;
        self.mark_watched(actor, &mut page.items).await?;
        Ok(page)
    }

    /// One alert, if the caller sees its unit (or, unattributed, the whole city).
    pub async fn get_telemetry_alert(&self, actor: &Actor, id: i64) -> Result<TelemetryAlert> {
        let row = self.read_optional(&Sql::new(&format!("SELECT {ALERT_COLS}, u.path AS unit_path FROM telemetry_alerts a LEFT JOIN units u ON u.id = a.unit_id WHERE a.id = $1")).arg(id)).await?
            .ok_or_else(|| Error::not_found("cảnh báo", "alert"))?;
        let alert: TelemetryAlert = from_row(&row)?;
        if !super::sees(actor, alert.unit_id, get(&row, "unit_path")?) {
            return Err(Error::not_found("cảnh báo", "alert"));
        }
        let mut one = [alert];
        self.mark_watched(actor, &mut one).await?;
        let [alert] = one;
        Ok(alert)
    }

    /// Each source's ingest: the city-wide see every source, others what they sent.
    pub async fn telemetry_sources(&self, actor: &Actor) -> Result<Vec<SourceHealth>> {
        let since = self.clock.now_ms() - 86_400_000;
        let mut q = Sql::new("SELECT b.token_id, COALESCE(MAX(t.name), MAX(us.full_name)) AS name, MAX(b.received_at) AS last_received_at, ");
        q.push("CAST(SUM(CASE WHEN b.received_at >= ")
            .bind(since)
            .push(" THEN 1 ELSE 0 END) AS BIGINT) AS batches_24h");
        for col in ["accepted", "rejected", "unattributed"] {
            q.push(", CAST(SUM(CASE WHEN b.received_at >= ").bind(since);
            q.push(&format!(" THEN b.{col} ELSE 0 END) AS BIGINT) AS {col}_24h"));
        }
        q.push(
            " FROM telemetry_batches b JOIN users us ON us.id = b.user_id LEFT JOIN api_tokens t ON t.id = b.token_id",
        );
        if !actor.reach(Action::ViewIncidents).is_whole_tree() {
            q.push(" WHERE b.user_id = ").bind(actor.user_id);
        }
        q.push(" GROUP BY b.user_id, b.token_id ORDER BY name");
        self.read_all(&q).await?.iter().map(from_row).collect()
    }

    /// Events and alerts per day over the caller's units (a subtree if asked), the last `days`.
    pub async fn telemetry_days(&self, actor: &Actor, unit_id: Option<i64>, days: i64) -> Result<Vec<TelemetryDay>> {
        let first = khien_domain::telemetry::day_vn(self.clock.now_ms() - (days.clamp(1, 366) - 1) * 86_400_000);
        let scope = self.unit_scope(actor, Action::ViewIncidents, unit_id).await?;
        let cols = "d.day, CAST(SUM(d.events) AS BIGINT) AS events, CAST(SUM(d.alerts) AS BIGINT) AS alerts";
        let Some(mut q) = scoped_select(cols, "telemetry_daily", "d", "unit_id", &scope) else {
            return Ok(Vec::new());
        };
        q.push(" AND d.day >= ").bind(first).push(" GROUP BY d.day ORDER BY d.day");
        self.read_all(&q).await?.iter().map(from_row).collect()
    }
}
