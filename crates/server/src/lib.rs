//! Khiên's HTTP layer. Handlers are thin: parse, call the store (which checks scope), render.

mod api;
mod auth;
mod error;
mod extract;
mod metrics;
pub mod services;
mod stream;
pub use api::taxii::TAXII as TAXII_MEDIA_TYPE;
mod web;

use axum::extract::State;
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
    /// Longest pause while a request body arrives (every body; uploads included).
    pub body_idle_timeout: Duration,
    /// Longest time an upload may take to arrive whole.
    pub upload_timeout: Duration,
    /// The place name on generated documents (NĐ 30/2020 Phụ lục I II.4a), e.g. "Hải Phòng" or
    /// "Thành phố Hồ Chí Minh"; default: the root unit's name, whole.
    pub place_name: Option<String>,
    /// The authority the public form names as receiving reports; default: the root unit's name.
    pub receiving_authority: Option<String>,
}

impl ServerConfig {
    /// The receiving limits of an upload of at most `max_bytes`.
    pub(crate) fn upload(&self, max_bytes: u64) -> stream::Receive {
        stream::Receive { max_bytes, idle: self.body_idle_timeout, total: self.upload_timeout }
    }
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            secure_cookies: false,
            public_reports_per_window: 5,
            public_report_window: Duration::from_secs(600),
            body_idle_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(15 * 60),
            place_name: None,
            receiving_authority: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ServerConfig>,
    login_limiter: Arc<auth::RateLimiter>,
    report_limiter: Arc<auth::RateLimiter>,
    /// Misses of the public tracking-code lookup, per address.
    lookup_limiter: Arc<auth::RateLimiter>,
    /// Signs the pre-session form tokens; new at every start (a login page left open across
    /// a restart asks for a reload).
    csrf_key: Arc<[u8; 32]>,
    metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(store: Store, config: ServerConfig) -> AppState {
        AppState {
            store,
            login_limiter: Arc::new(auth::RateLimiter::logins(30)),
            report_limiter: Arc::new(auth::RateLimiter::public_reports(
                config.public_reports_per_window,
                config.public_report_window,
            )),
            lookup_limiter: Arc::new(auth::RateLimiter::lookups(20, Duration::from_secs(600))),
            csrf_key: Arc::new({
                use rand::RngCore;
                let mut key = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut key);
                key
            }),
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
        .merge(api::taxii::router())
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(metrics::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/api/openapi.json", get(api::openapi_json))
        .fallback(|| async { axum::http::StatusCode::NOT_FOUND })
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::csrf_guard))
        .layer(axum::middleware::map_request_with_state(state.clone(), body_idle_timeout))
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(axum::middleware::from_fn_with_state(state.clone(), private_responses))
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .with_state(state)
}

/// Nothing Khiên answers is kept by a browser or a proxy cache unless the handler says so (the
/// static assets do): pages and API answers hold one person's data. Over TLS, browsers are
/// also told to come back over TLS only.
async fn private_responses(
    State(s): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let tls = auth::is_secure(&s, req.headers());
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if tls {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    r
}

/// Every request body fails once the client pauses longer than the configured idle time, so
/// no handler (and nothing it holds) waits on a silent client for ever.
async fn body_idle_timeout(State(s): State<AppState>, req: axum::extract::Request) -> axum::extract::Request {
    let idle = s.config.body_idle_timeout;
    req.map(|body| axum::body::Body::new(tower_http::timeout::TimeoutBody::new(idle, body)))
}

/// Serves until the shutdown future resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
