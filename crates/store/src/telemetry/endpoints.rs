//! Endpoint protection (issue 18.4): each unit's hosts from their agents' status reports, the
//! share protected and sharing with the national centre (HCM 3131 indicator 3), hosts silent
//! for days and signatures out of date.

use crate::db::{flag, from_row, get, Store};
use crate::units::scope::scoped_select;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::telemetry::{endpoint_protected, ENDPOINT_SILENT_DAYS, SIGNATURE_STALE_DAYS};
use khien_domain::Result;
use serde::Serialize;
use utoipa::ToSchema;

/// One host as its agent last reported it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Endpoint {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub system_id: Option<i64>,
    pub host: String,
    pub ip: String,
    pub agent: Option<String>,
    pub product: Option<String>,
    /// yyyy-mm-dd of its signatures.
    pub signature_date: Option<String>,
    #[sqlx(skip)]
    pub reports_to_ncsc: bool,
    /// Milliseconds since the epoch.
    pub first_seen: i64,
    pub last_seen: i64,
    /// Its agent has not reported for `ENDPOINT_SILENT_DAYS` days.
    #[sqlx(skip)]
    pub silent: bool,
    /// Its signatures are older than `SIGNATURE_STALE_DAYS` days.
    #[sqlx(skip)]
    pub stale_signatures: bool,
    /// Shares with NCSC and not silent: counts towards indicator 3.
    #[sqlx(skip)]
    pub protected: bool,
}

/// A unit's hosts, counted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EndpointCoverage {
    pub unit_id: i64,
    pub unit_name: String,
    pub endpoints: i64,
    pub protected: i64,
    pub silent: i64,
    pub stale_signatures: i64,
}

const ENDPOINT_COLS: &str = "e.id, e.unit_id, u.name AS unit_name, e.system_id, e.host, e.ip, e.agent, e.product, e.signature_date, e.reports_to_ncsc, e.first_seen, e.last_seen";

impl Store {
    /// The hosts of the caller's units (a subtree if asked), the unprotected first (at most
    /// 2,000).
    pub async fn list_endpoints(&self, actor: &Actor, unit_id: Option<i64>) -> Result<Vec<Endpoint>> {
        let scope = self.unit_scope(actor, Action::ViewSystems, unit_id).await?;
        let Some(mut q) = scoped_select(ENDPOINT_COLS, "endpoints", "e", "unit_id", &scope) else {
            return Ok(Vec::new());
        };
        q.push(" ORDER BY e.unit_id, e.host LIMIT 2000");
        let now = self.clock.now_ms();
        let stale_before = khien_domain::telemetry::day_vn(now - SIGNATURE_STALE_DAYS * 86_400_000);
        let mut out = self
            .read_all(&q)
            .await?
            .iter()
            .map(|r| {
                let mut e: Endpoint = from_row(r)?;
                e.reports_to_ncsc = flag(r, "reports_to_ncsc")?;
                e.silent = now - e.last_seen > ENDPOINT_SILENT_DAYS * 86_400_000;
                e.stale_signatures = e.signature_date.as_deref().is_none_or(|d| d < stale_before.as_str());
                e.protected = endpoint_protected(e.reports_to_ncsc, e.last_seen, now);
                Ok(e)
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|e| e.protected);
        Ok(out)
    }

    /// Per unit of the caller's: hosts, protected, silent, stale.
    pub async fn endpoint_coverage(&self, actor: &Actor) -> Result<Vec<EndpointCoverage>> {
        let scope = self.unit_scope(actor, Action::ViewSystems, None).await?;
        let now = self.clock.now_ms();
        let cut = now - ENDPOINT_SILENT_DAYS * 86_400_000;
        // Literals only: a number and a date Khiên wrote.
        let stale = khien_domain::telemetry::day_vn(now - SIGNATURE_STALE_DAYS * 86_400_000);
        let cols = format!("e.unit_id, MAX(u.name) AS unit_name, COUNT(*) AS endpoints, CAST(SUM(CASE WHEN e.reports_to_ncsc = 1 AND e.last_seen >= {cut} THEN 1 ELSE 0 END) AS BIGINT) AS protected, CAST(SUM(CASE WHEN e.last_seen < {cut} THEN 1 ELSE 0 END) AS BIGINT) AS silent, CAST(SUM(CASE WHEN e.signature_date IS NULL OR e.signature_date < '{stale}' THEN 1 ELSE 0 END) AS BIGINT) AS stale_signatures");
        let Some(mut q) = scoped_select(&cols, "endpoints", "e", "unit_id", &scope) else {
            return Ok(Vec::new());
        };
        q.push(" GROUP BY e.unit_id ORDER BY e.unit_id");
        self.read_all(&q)
            .await?
            .iter()
            .map(|r| {
                Ok(EndpointCoverage {
                    unit_id: get(r, "unit_id")?,
                    unit_name: get(r, "unit_name")?,
                    endpoints: get(r, "endpoints")?,
                    protected: get(r, "protected")?,
                    silent: get(r, "silent")?,
                    stale_signatures: get(r, "stale_signatures")?,
                })
            })
            .collect()
    }
}
