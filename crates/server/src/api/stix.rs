//! STIX 2.1 exchange: incidents out as bundles, indicators in to the city's watch list.

use crate::api::incidents::IncidentQuery;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use khien_store::{Collection, CollectionInput, ExportedIncident, Remote, RemoteInput, WatchImportSummary, WatchItem};
use serde::Deserialize;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
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
        .routes(routes!(list_collections, create_collection))
        .routes(routes!(set_access))
        .routes(routes!(publish_incident))
        .routes(routes!(list_remotes, create_remote))
        .routes(routes!(push_now))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(import_bundle))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_BUNDLE_BYTES)),
        )
}

/// The export input, signed by the city authority at the root of the incidents' units.
async fn export_input(
    s: &AppState,
    incidents: &[ExportedIncident],
) -> Result<khien_formats::stix::ExportInput, khien_domain::Error> {
    let authority = match incidents.first() {
        Some(e) => s.store.document_header(e.incident.unit_id).await?.root_name,
        None => "Khiên".to_string(),
    };
    Ok(crate::services::stix_io::export_input(&authority, incidents))
}

/// The incidents as one bundle, streamed: the input is checked and the objects built before
/// answering (so bad input still gets a 4xx), then the JSON is serialised on a blocking thread
/// while the first chunks are already on their way to the client.
async fn bundle_response(s: &AppState, incidents: &[ExportedIncident]) -> Result<Response, khien_domain::Error> {
    let input = export_input(s, incidents).await?;
    let bundle = tokio::task::spawn_blocking(move || khien_formats::stix::prepare_bundle(&input))
        .await
        .map_err(khien_domain::Error::internal)?
        .map_err(|e| crate::services::stix_io::stix_error(&e))?;
    let body =
        crate::stream::blocking_body(move |w| bundle.write_to(w).map_err(|e| std::io::Error::other(e.to_string())));
    Ok(([(axum::http::header::CONTENT_TYPE, "application/stix+json;version=2.1")], body).into_response())
}

/// The incident queue's filters, with up to 1,000 incidents in one bundle.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BundleQuery {
    /// Text in the title or code, with or without diacritics.
    pub q: Option<String>,
    #[param(value_type = Option<crate::api::params::IncidentState>, inline)]
    pub state: Option<String>,
    #[param(value_type = Option<crate::api::params::IncidentCategory>, inline)]
    pub category: Option<String>,
    /// The reporting unit and its subtree.
    pub unit_id: Option<i64>,
    pub serious: Option<bool>,
    pub priority: Option<i64>,
    /// Only incidents with a reporting clock past due.
    #[serde(default)]
    pub overdue: bool,
    /// Include closed incidents.
    #[serde(default)]
    pub include_closed: bool,
    /// 1–1,000, default 1,000 (newest first).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The incidents matching the queue's filters (at most 1,000, newest first) as one STIX 2.1
/// bundle: incident (Incident Core Extension), indicators, observed data, sightings,
/// identities, relationships and TLP 2.0 markings.
#[utoipa::path(get, path = "/api/v1/stix/bundle", tag = "stix", params(BundleQuery),
    responses((status = 200, content_type = "application/stix+json;version=2.1", body = Object)))]
async fn export_bundle(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<BundleQuery>,
) -> Result<Response, ApiError> {
    let limit = q.limit.unwrap_or(MAX_EXPORT);
    if !(1..=MAX_EXPORT).contains(&limit) {
        return Err(khien_domain::Error::invalid(
            "limit",
            format!("Xuất từ 1 đến {MAX_EXPORT} sự cố mỗi lần."),
            format!("Export 1 to {MAX_EXPORT} incidents at a time."),
        )
        .into());
    }
    let BundleQuery { q, state, category, unit_id, serious, priority, overdue, include_closed, limit: _ } = q;
    let mut f = IncidentQuery {
        q,
        state,
        category,
        unit_id,
        serious,
        priority,
        overdue,
        include_closed,
        sort: None,
        cursor: None,
        limit: None,
    }
    .filter()?;
    f.limit = limit;
    let incidents = s.store.incidents_for_export(&ctx.actor, &f).await?;
    Ok(bundle_response(&s, &incidents).await?)
}

/// One incident as a STIX 2.1 bundle.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/stix", tag = "stix", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/stix+json;version=2.1", body = Object), (status = 404, body = crate::error::Problem)))]
async fn incident_bundle(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let d = s.store.get_incident(&ctx.actor, id).await?;
    let e = ExportedIncident {
        observables: d.observables,
        related: d.related.iter().map(|r| r.id).collect(),
        incident: d.incident,
    };
    Ok(bundle_response(&s, &[e]).await?)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BundleImport {
    /// Objects in the bundle.
    pub objects: usize,
    pub added: usize,
    pub updated: usize,
    /// Objects not usable for the watch list: [STIX id, reason] pairs.
    #[schema(value_type = Vec<Vec<String>>)]
    pub skipped: Vec<(String, String)>,
}

/// What the importer reads: a bundle, a single STIX object, or an array of STIX objects.
pub struct StixInput;

impl utoipa::PartialSchema for StixInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .description(Some("A bundle (`type: bundle`, its `objects`) or one STIX object.")),
            )
            .item(
                ArrayBuilder::new()
                    .items(ObjectBuilder::new().schema_type(Type::Object))
                    .description(Some("STIX objects.")),
            )
            .into()
    }
}

impl ToSchema for StixInput {}

/// Import a STIX 2.1 bundle (e.g. indicators from the national centre) into the city's watch
/// list: all or nothing; a malformed bundle is refused naming the object and the property.
/// Only the city's co-ordinator may import.
#[utoipa::path(post, path = "/api/v1/stix/import", tag = "stix",
    request_body(content = inline(StixInput), content_type = "application/stix+json"),
    responses((status = 200, body = BundleImport), (status = 422, body = crate::error::Problem), (status = 413, body = crate::error::Problem)))]
async fn import_bundle(
    State(s): State<AppState>,
    ctx: Ctx,
    body: axum::body::Bytes,
) -> Result<Json<BundleImport>, ApiError> {
    let parsed = khien_formats::stix::parse_bundle(&body).map_err(|e| crate::services::stix_io::stix_error(&e))?;
    let WatchImportSummary { added, updated } =
        s.store.import_watchlist(&ctx.actor, &crate::services::stix_io::watch_inputs(&parsed)?).await?;
    Ok(Json(BundleImport { objects: parsed.objects, added, updated, skipped: parsed.skipped }))
}

/// The newest entries of the city's watch list.
#[utoipa::path(get, path = "/api/v1/watchlist", tag = "stix", responses((status = 200, body = Vec<WatchItem>)))]
async fn watchlist(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<WatchItem>>, ApiError> {
    Ok(Json(s.store.watchlist(&ctx.actor, 500).await?))
}

/// TAXII collections the caller may read or write.
#[utoipa::path(get, path = "/api/v1/taxii/collections", tag = "stix", responses((status = 200, body = Vec<Collection>)))]
async fn list_collections(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Collection>>, ApiError> {
    Ok(Json(s.store.taxii_collections(&ctx.actor).await?))
}

/// Open a TAXII collection for a unit's incidents (its co-ordinator).
#[utoipa::path(post, path = "/api/v1/taxii/collections", tag = "stix", request_body = CollectionInput,
    responses((status = 201, body = Collection), (status = 403, body = crate::error::Problem)))]
async fn create_collection(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<CollectionInput>,
) -> Result<(axum::http::StatusCode, Json<Collection>), ApiError> {
    Ok((axum::http::StatusCode::CREATED, Json(s.store.create_collection(&ctx.actor, &b).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessBody {
    pub token_id: i64,
    pub can_read: bool,
    pub can_write: bool,
}

/// Let an API token read and/or write a collection (both false: take the access away).
#[utoipa::path(put, path = "/api/v1/taxii/collections/{id}/access", tag = "stix", params(("id" = String, Path)), request_body = AccessBody,
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn set_access(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<AccessBody>,
) -> Result<axum::http::StatusCode, ApiError> {
    s.store.set_collection_access(&ctx.actor, &id, b.token_id, b.can_read, b.can_write).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    pub collection_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishResult {
    /// Objects written (new versions); objects already there count as written too.
    pub stored: i64,
    pub refused: i64,
}

/// Publish an incident (its STIX objects) to a TAXII collection, where clients read it.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/publish", tag = "stix", params(("id" = i64, Path)), request_body = PublishBody,
    responses((status = 200, body = PublishResult), (status = 404, body = crate::error::Problem)))]
async fn publish_incident(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PublishBody>,
) -> Result<Json<PublishResult>, ApiError> {
    Ok(Json(publish(&s, &ctx.actor, id, &b.collection_id).await?))
}

/// Writes the incident's bundle objects into the collection (the page's button and the API).
pub(crate) async fn publish(
    s: &AppState,
    actor: &khien_domain::scope::Actor,
    id: i64,
    collection_id: &str,
) -> Result<PublishResult, khien_domain::Error> {
    let d = s.store.get_incident(actor, id).await?;
    let e = ExportedIncident {
        observables: d.observables,
        related: d.related.iter().map(|r| r.id).collect(),
        incident: d.incident,
    };
    let bundle: serde_json::Value = serde_json::from_slice(
        &khien_formats::stix::export_bundle(&export_input(s, &[e]).await?)
            .map_err(|e| crate::services::stix_io::stix_error(&e))?,
    )
    .map_err(khien_domain::Error::internal)?;
    let objects = bundle.get("objects").and_then(|o| o.as_array()).cloned().unwrap_or_default();
    let st = s.store.publish_to_collection(actor, collection_id, &objects).await?;
    Ok(PublishResult { stored: st.success_count, refused: st.failure_count })
}

/// Remote TAXII collections that the caller's collections are pushed to, with recent pushes.
#[utoipa::path(get, path = "/api/v1/taxii/remotes", tag = "stix", responses((status = 200, body = Vec<Remote>)))]
async fn list_remotes(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Remote>>, ApiError> {
    Ok(Json(s.store.list_remotes(&ctx.actor).await?))
}

/// Push a local collection to a remote TAXII collection on the server's schedule (the
/// collection's co-ordinator). The secret is the remote's password or token for HTTP Basic.
#[utoipa::path(post, path = "/api/v1/taxii/remotes", tag = "stix", request_body = RemoteInput,
    responses((status = 201, body = Remote), (status = 422, body = crate::error::Problem)))]
async fn create_remote(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<RemoteInput>,
) -> Result<(axum::http::StatusCode, Json<Remote>), ApiError> {
    Ok((axum::http::StatusCode::CREATED, Json(s.store.create_remote(&ctx.actor, &b).await?)))
}

/// Push what the remote has not received yet, now; answers with the remote with this push first.
#[utoipa::path(post, path = "/api/v1/taxii/remotes/{id}/push", tag = "stix", params(("id" = i64, Path)),
    responses((status = 200, body = Remote), (status = 404, body = crate::error::Problem)))]
async fn push_now(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Remote>, ApiError> {
    let remote = s.store.remote(&ctx.actor, id).await?;
    crate::services::taxii_push::push_remote(&s.store, &remote).await?;
    Ok(Json(s.store.remote(&ctx.actor, id).await?))
}
