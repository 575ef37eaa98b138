use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use khien_domain::Error;
use khien_store::{AuditFilter, AuditRecord, Page};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    entity_type: Option<String>,
    entity_id: Option<i64>,
    actor_user_id: Option<i64>,
    unit_id: Option<i64>,
    /// Prefix of the action, e.g. `unit.` or `auth.lockout`.
    action: Option<String>,
    /// RFC 3339 lower bound (inclusive).
    from: Option<String>,
    /// RFC 3339 upper bound (exclusive).
    to: Option<String>,
    pub(crate) cursor: Option<String>,
    pub(crate) limit: Option<i64>,
}

impl AuditQuery {
    pub(crate) fn filter(self) -> Result<AuditFilter, Error> {
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        Ok(AuditFilter {
            entity_type: self.entity_type,
            entity_id: self.entity_id,
            actor_user_id: self.actor_user_id,
            unit_id: self.unit_id,
            action: self.action,
            from_ms: parse_time("from", self.from.as_deref())?,
            to_ms: parse_time("to", self.to.as_deref())?,
            cursor,
            limit,
        })
    }
}

pub(crate) fn parse_time(field: &str, v: Option<&str>) -> Result<Option<i64>, Error> {
    v.filter(|s| !s.trim().is_empty())
        .map(|s| {
            chrono_parse(s).ok_or_else(|| {
                Error::invalid(
                    field,
                    format!("«{s}» không phải thời điểm RFC 3339 (vd. 2026-11-23T08:00:00+07:00)."),
                    format!("«{s}» is not an RFC 3339 time (e.g. 2026-11-23T08:00:00+07:00)."),
                )
            })
        })
        .transpose()
}

fn chrono_parse(s: &str) -> Option<i64> {
    khien_domain::time::parse_rfc3339(s.trim())
}

/// Audit records the caller may see, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), responses((status = 200, body = Page<AuditRecord>)))]
async fn list_audit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Page<AuditRecord>>, ApiError> {
    Ok(Json(s.store.list_audit(&ctx.actor, &q.filter()?).await?))
}
