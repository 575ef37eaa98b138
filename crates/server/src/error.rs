//! The one place where errors become HTTP responses. Handlers return `ApiError` or `WebError`;
//! both only tag the response, and `render_errors` (a middleware that knows the caller's
//! language) writes the final body: RFC 9457 problem details for the API, a page for the UI.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use khien_domain::{Error, Lang, Msg};
use serde::Serialize;
use utoipa::ToSchema;

/// The media type of every API error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Longest address (path and query) served; longer ones get 414 with a problem body. (hyper
/// itself answers 414, without a body, beyond 64 KiB, before Khiên sees the request.)
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Problem details (RFC 9457), the error shape of every API response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// The message, in the caller's language (Accept-Language or their saved choice).
    pub detail: String,
    /// The offending input field, when one is to blame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::BadRequest(_) => StatusCode::BAD_REQUEST,
        Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        Error::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn slug(e: &Error) -> &'static str {
    match e {
        Error::BadRequest(_) => "bad-request",
        Error::Invalid { .. } => "invalid-input",
        Error::NotFound(_) => "not-found",
        Error::Unauthenticated(_) => "unauthenticated",
        Error::Forbidden(_) => "forbidden",
        Error::Conflict(_) => "conflict",
        Error::TooMany { .. } => "too-many-requests",
        Error::TooLarge(_) => "payload-too-large",
        Error::TimedOut(_) => "request-timeout",
        Error::Internal(_) => "internal",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Surface {
    Api,
    Web,
}

/// Marks a response as a failure for `render_errors` to finish.
#[derive(Clone)]
struct Failure(Error, Surface);

pub struct ApiError(pub Error);
pub struct WebError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}
impl From<Error> for WebError {
    fn from(e: Error) -> Self {
        WebError(e)
    }
}

fn tagged(e: Error, s: Surface) -> Response {
    if let Error::Internal(m) = &e {
        tracing::error!(error = %m, "internal error");
    }
    let mut r = status_of(&e).into_response();
    r.extensions_mut().insert(Failure(e, s));
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tagged(self.0, Surface::Api)
    }
}
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        tagged(self.0, Surface::Web)
    }
}

/// The caller's language for messages: the `khien_lang` cookie (set at login from the user's
/// saved choice, and by the language switch); then, for the API only, Accept-Language; else
/// Vietnamese. The web UI is Vietnamese until someone chooses English, whatever the browser says.
pub fn request_lang(headers: &axum::http::HeaderMap, web: bool) -> Lang {
    let cookie_lang = crate::auth::cookie(headers, crate::auth::LANG_COOKIE).and_then(|v| Lang::parse(&v));
    let header_lang = || {
        if web {
            None
        } else {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language)
        }
    };
    cookie_lang.or_else(header_lang).unwrap_or_default()
}

/// A message for axum's own rejections (bad path parameter, unreadable form, unknown route,
/// wrong method), which arrive as plain text.
fn plain_rejection(status: StatusCode) -> Error {
    match status {
        StatusCode::NOT_FOUND => {
            Error::NotFound(Msg::new("Không có trang hoặc địa chỉ này.", "There is no such page or address."))
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            Error::TooLarge(Msg::new("Nội dung gửi lên quá lớn.", "The request body is too large."))
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            Error::bad_request("Kiểu nội dung (Content-Type) không được hỗ trợ.", "Unsupported Content-Type.")
        }
        _ => Error::bad_request(
            "Yêu cầu không hợp lệ: kiểm tra các tham số trên địa chỉ và các trường của biểu mẫu.",
            "Invalid request: check the address parameters and the form fields.",
        ),
    }
}

/// Machine-facing paths: the JSON API and the TAXII server (tokens, JSON errors, no redirects).
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/taxii2/")
}

/// Answers that HTTP defines and `Error` has no kind for: the status stays, with a body of ours.
fn http_failure(status: StatusCode) -> Option<(&'static str, Msg)> {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => Some((
            "method-not-allowed",
            Msg::new(
                "Địa chỉ này không nhận phương thức HTTP đó; các phương thức được nhận có trong tiêu đề Allow.",
                "This address does not accept that HTTP method; the Allow header lists those it does.",
            ),
        )),
        StatusCode::URI_TOO_LONG => Some((
            "uri-too-long",
            Msg::new(
                format!("Địa chỉ quá dài (tối đa {} KiB).", MAX_URI_BYTES / 1024),
                format!("The address is too long (at most {} KiB).", MAX_URI_BYTES / 1024),
            ),
        )),
        _ => None,
    }
}

/// A problem or error page for an `http_failure`, keeping the original response's headers
/// (the Allow list of a 405).
fn http_failure_response(original: Response, slug: &str, msg: &Msg, lang: Lang, api: bool) -> Response {
    let status = original.status();
    let mut r = if api {
        problem_with(status, slug, msg.get(lang), None, lang)
    } else {
        (status, Html(crate::web::error_page(lang, status, msg.get(lang)))).into_response()
    };
    if let Some(allow) = original.headers().get(header::ALLOW) {
        r.headers_mut().insert(header::ALLOW, allow.clone());
    }
    r
}

pub async fn render_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let api = is_api_path(&path);
    let lang = request_lang(req.headers(), !api);
    if req.uri().path_and_query().map_or(0, |pq| pq.as_str().len()) > MAX_URI_BYTES {
        if let Some((slug, msg)) = http_failure(StatusCode::URI_TOO_LONG) {
            return http_failure_response(StatusCode::URI_TOO_LONG.into_response(), slug, &msg, lang, api);
        }
    }
    let is_get = req.method() == axum::http::Method::GET;
    let referer_path = req.headers().get(header::REFERER).and_then(|v| v.to_str().ok()).and_then(local_path);
    let response = next.run(req).await;
    let failure = match response.extensions().get::<Failure>().cloned() {
        Some(f) => f,
        None if response.status().is_client_error() && !is_ours(&response) => {
            if let Some((slug, msg)) = http_failure(response.status()) {
                return http_failure_response(response, slug, &msg, lang, api);
            }
            // A path segment that is not an id names no record: 404, as for an id that does
            // not exist (axum's path rejection says "Invalid URL").
            let status = response.status();
            let text = axum::body::to_bytes(response.into_body(), 4096).await.unwrap_or_default();
            let status = if status == StatusCode::BAD_REQUEST && text.starts_with(b"Invalid URL") {
                StatusCode::NOT_FOUND
            } else {
                status
            };
            Failure(plain_rejection(status), if api { Surface::Api } else { Surface::Web })
        }
        None => return response,
    };
    let Failure(err, surface) = failure;
    match surface {
        Surface::Api => problem_response(&err, lang),
        Surface::Web => match err {
            Error::Unauthenticated(_) if path != "/login" => {
                // After signing in the browser GETs `next`: for a form post, go back to the page
                // the form was on instead of the post's address.
                let next = if is_get { path } else { referer_path.unwrap_or_else(|| "/".into()) };
                Redirect::to(&format!("/login?next={}", urlencode(&next))).into_response()
            }
            err => {
                let page = crate::web::error_page(lang, status_of(&err), &err.message(lang));
                (status_of(&err), Html(page)).into_response()
            }
        },
    }
}

/// Responses that already carry a body of ours (JSON, HTML, XLSX) are left alone.
fn is_ours(r: &Response) -> bool {
    r.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| !ct.starts_with("text/plain"))
}

/// The path (and query) of a same-site Referer URL.
fn local_path(referer: &str) -> Option<String> {
    let rest = referer.split_once("://")?.1;
    Some(rest.find('/').map(|i| rest[i..].to_string()).unwrap_or_else(|| "/".into()))
}

pub fn problem_response(err: &Error, lang: Lang) -> Response {
    let mut r = problem_with(status_of(err), slug(err), &err.message(lang), err.field(), lang);
    if let Error::TooMany { retry_after_secs, .. } = err {
        if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    r
}

fn problem_with(status: StatusCode, slug: &str, detail: &str, field: Option<&str>, lang: Lang) -> Response {
    let body = Problem {
        kind: format!("urn:khien:problem:{slug}"),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
        field: field.map(str::to_string),
    };
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    r.headers_mut().insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    r
}

/// What `urlencode` leaves as it is: RFC 3986's unreserved characters, and '/' so that a path
/// stays readable.
const URL_KEPT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

/// Percent-encodes `s` (UTF-8) for a query value or a Content-Disposition `filename*`.
pub fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, URL_KEPT).to_string()
}
