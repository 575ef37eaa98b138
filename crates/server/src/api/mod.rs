//! JSON API under /api/v1. Each handler carries its own OpenAPI annotation and is registered
//! through `routes!`, so the document at /api/openapi.json is generated from the code itself.

mod account;
mod audit;
pub(crate) mod compliance;
pub(crate) mod findings;
pub(crate) mod incidents;
pub(crate) mod public_reports;
mod notifications;
pub(crate) mod stix;
mod systems;
mod units;
mod users;

use crate::error::Problem;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use khien_domain::page::{limit, Cursor};
use khien_domain::Result;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Khiên API", description = "Operations management for a city's cybersecurity authority. Errors are RFC 9457 problem details; messages follow Accept-Language (vi, en)."),
    components(schemas(Problem)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = []))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
        c.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))));
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(units::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(account::router())
        .merge(systems::router())
        .merge(incidents::router())
        .merge(public_reports::router())
        .merge(notifications::router())
        .merge(stix::router())
        .merge(findings::router())
        .merge(compliance::router())
}

pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, doc) = router().split_for_parts();
    doc
}

pub async fn openapi_json(State(_): State<AppState>) -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}

/// A stored file as a download: its checked media type, an RFC 6266 name (an ASCII fallback
/// plus the UTF-8 one, percent-encoded) and its SHA-256.
pub(crate) fn download(file_name: &str, content_type: &str, sha256: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let ascii: String = khien_domain::fold::fold(file_name).chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::error::urlencode(file_name));
    let headers = [(axum::http::header::CONTENT_TYPE, content_type.to_string()), (axum::http::header::CONTENT_DISPOSITION, disposition), (axum::http::HeaderName::from_static("x-content-sha256"), sha256.to_string())];
    (headers, bytes).into_response()
}

/// Parses the common `cursor` and `limit` list parameters.
pub(crate) fn paging(cursor: Option<&str>, requested: Option<i64>) -> Result<(Option<Cursor>, i64)> {
    Ok((cursor.map(Cursor::decode).transpose()?, limit(requested)?))
}
