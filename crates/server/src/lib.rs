//! Khiên's HTTP layer. Handlers are thin: parse, call the store (which checks scope), render.

mod api;
mod auth;
mod error;
mod extract;
pub mod catalogue_io;
pub mod incident_docs;
pub mod stix_io;
mod stream;
pub mod oscal_io;
mod metrics;
pub mod systems_io;
pub mod units_io;
mod taxii;
pub mod taxii_push;
pub use taxii::TAXII as TAXII_MEDIA_TYPE;
mod web;

use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use khien_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;

pub use api::openapi_document;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Force the Secure attribute on cookies (set when TLS terminates in front of Khiên).
    pub secure_cookies: bool,
    /// Reports the public form takes from one address per `public_report_window`.
    pub public_reports_per_window: usize,
    pub public_report_window: Duration,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig { secure_cookies: false, public_reports_per_window: 5, public_report_window: Duration::from_secs(600) }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ServerConfig>,
    login_limiter: Arc<auth::RateLimiter>,
    report_limiter: Arc<auth::RateLimiter>,
    metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(store: Store, config: ServerConfig) -> AppState {
        AppState {
            store,
            login_limiter: Arc::new(auth::RateLimiter::logins(30)),
            report_limiter: Arc::new(auth::RateLimiter::public_reports(config.public_reports_per_window, config.public_report_window)),
            config: Arc::new(config),
            metrics: Arc::new(metrics::Metrics::default()),
        }
    }
}

/// Largest request body outside the import endpoints.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

pub fn router(state: AppState) -> Router {
    let (api_router, _) = api::router().split_for_parts();
    Router::new()
        .merge(api_router)
        .merge(web::router())
        .merge(taxii::router())
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(metrics::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/api/openapi.json", get(api::openapi_json))
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::csrf_guard))
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .with_state(state)
}

/// Serves until the shutdown future resolves.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
