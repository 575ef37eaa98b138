//! STIX 2.1 exchange: incidents out as bundles, indicators in to the city's watch list.

use crate::api::incidents::IncidentQuery;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use khien_store::{ExportedIncident, WatchImportSummary, WatchItem};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Largest STIX bundle accepted for import.
pub const MAX_BUNDLE_BYTES: usize = 20 * 1024 * 1024;
/// Most incidents in one exported bundle.
pub const MAX_EXPORT: i64 = 1000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_bundle))
        .routes(routes!(incident_bundle))
        .routes(routes!(watchlist))
        .merge(OpenApiRouter::new().routes(routes!(import_bundle)).layer(axum::extract::DefaultBodyLimit::max(MAX_BUNDLE_BYTES)))
}

fn bundle_response(bytes: Vec<u8>) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/stix+json;version=2.1")], bytes).into_response()
}

async fn bundle_of(s: &AppState, incidents: &[ExportedIncident]) -> Result<Vec<u8>, ApiError> {
    let authority = match incidents.first() {
        Some(e) => s.store.document_header(e.incident.unit_id).await?.root_name,
        None => "Khiên".to_string(),
    };
    let input = crate::stix_io::export_input(&authority, incidents);
    Ok(khien_formats::stix::export_bundle(&input).map_err(|e| crate::stix_io::stix_error(&e))?)
}

/// The incidents matching the queue's filters (at most 1,000, newest first) as one STIX 2.1
/// bundle: incident (Incident Core Extension), indicators, observed data, sightings,
/// identities, relationships and TLP 2.0 markings.
#[utoipa::path(get, path = "/api/v1/stix/bundle", tag = "stix", params(IncidentQuery),
    responses((status = 200, content_type = "application/stix+json;version=2.1", body = Object)))]
async fn export_bundle(State(s): State<AppState>, ctx: Ctx, ApiQuery(q): ApiQuery<IncidentQuery>) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(MAX_EXPORT);
    if !(1..=MAX_EXPORT).contains(&limit) {
        return Err(khien_domain::Error::invalid("limit", format!("Xuất từ 1 đến {MAX_EXPORT} sự cố mỗi lần."), format!("Export 1 to {MAX_EXPORT} incidents at a time.")).into());
    }
    let mut f = IncidentQuery { limit: None, ..q }.filter()?;
    f.limit = limit;
    let incidents = s.store.incidents_for_export(&ctx.actor, &f).await?;
    Ok(bundle_response(bundle_of(&s, &incidents).await?))
}

/// One incident as a STIX 2.1 bundle.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/stix", tag = "stix", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/stix+json;version=2.1", body = Object), (status = 404, body = crate::error::Problem)))]
async fn incident_bundle(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let d = s.store.get_incident(&ctx.actor, id).await?;
    let e = ExportedIncident { observables: d.observables, related: d.related.iter().map(|r| r.id).collect(), incident: d.incident };
    Ok(bundle_response(bundle_of(&s, &[e]).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BundleImport {
    /// Objects in the bundle.
    pub objects: usize,
    pub added: usize,
    pub updated: usize,
    /// Objects not usable for the watch list: (STIX id, reason).
    pub skipped: Vec<(String, String)>,
}

/// Import a STIX 2.1 bundle (e.g. indicators from the national centre) into the city's watch
/// list: all or nothing; a malformed bundle is refused naming the object and the property.
/// Only the city's co-ordinator may import.
#[utoipa::path(post, path = "/api/v1/stix/import", tag = "stix",
    request_body(content = Object, content_type = "application/stix+json"),
    responses((status = 200, body = BundleImport), (status = 422, body = crate::error::Problem), (status = 413, body = crate::error::Problem)))]
async fn import_bundle(State(s): State<AppState>, ctx: Ctx, body: axum::body::Bytes) -> Result<Json<BundleImport>, ApiError> {
    let parsed = khien_formats::stix::parse_bundle(&body).map_err(|e| crate::stix_io::stix_error(&e))?;
    let WatchImportSummary { added, updated } = s.store.import_watchlist(&ctx.actor, &crate::stix_io::watch_inputs(&parsed)).await?;
    Ok(Json(BundleImport { objects: parsed.objects, added, updated, skipped: parsed.skipped }))
}

/// The newest entries of the city's watch list.
#[utoipa::path(get, path = "/api/v1/watchlist", tag = "stix", responses((status = 200, body = Vec<WatchItem>)))]
async fn watchlist(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<WatchItem>>, ApiError> {
    Ok(Json(s.store.watchlist(&ctx.actor, 500).await?))
}
