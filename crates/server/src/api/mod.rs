//! JSON API under /api/v1. Each handler carries its own OpenAPI annotation and is registered
//! through `routes!`, so the document at /api/openapi.json is generated from the code itself.

mod account;
mod audit;
pub(crate) mod incidents;
mod stix;
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
        .merge(stix::router())
}

pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, doc) = router().split_for_parts();
    doc
}

pub async fn openapi_json(State(_): State<AppState>) -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}

/// Parses the common `cursor` and `limit` list parameters.
pub(crate) fn paging(cursor: Option<&str>, requested: Option<i64>) -> Result<(Option<Cursor>, i64)> {
    Ok((cursor.map(Cursor::decode).transpose()?, limit(requested)?))
}
