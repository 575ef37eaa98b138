//! Who is calling: session cookie (web UI) or bearer token (integrations), resolved once per
//! request into a `Ctx`. CSRF is enforced here for every state-changing request that relies
//! on the cookie, so no handler can forget it.

use crate::error::{request_lang, ApiError};
use crate::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use khien_domain::scope::Actor;
use khien_domain::{Error, Lang, Msg};
use khien_store::SessionInfo;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "khien_session";
pub const LANG_COOKIE: &str = "khien_lang";
pub const LOGIN_CSRF_COOKIE: &str = "khien_login_csrf";
/// The public report form has no session either: it uses a double-submit cookie like login.
pub const PUBLIC_CSRF_COOKIE: &str = "khien_public_csrf";
pub const PUBLIC_FORM_PATH: &str = "/bao-cao";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Form bodies are read whole to find the CSRF field; uploads carry it in the header or as the
/// first part of the multipart body.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// The value of cookie `name` in the request's Cookie headers (the first one, as browsers send
/// the most specific first).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
}

/// A Set-Cookie value with the attributes every Khiên cookie carries.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool, http_only: bool) -> String {
    let mut c = cookie::Cookie::build((name, value))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .http_only(http_only)
        .secure(secure);
    if let Some(age) = max_age_secs {
        c = c.max_age(cookie::time::Duration::seconds(age));
    }
    c.build().to_string()
}

/// Cookies get Secure when the server is configured so or the proxy says the request came
/// over TLS.
pub fn is_secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.secure_cookies || headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
}

/// The API token of a request: `Bearer <token>`, or HTTP Basic with the token as the password
/// (what TAXII clients send; the user name is ignored).
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    if let Some(t) = value.strip_prefix("Bearer ") {
        return Some(t.trim().to_string());
    }
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD.decode(value.strip_prefix("Basic ")?.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':').map(|(_, password)| password.to_string())
}

/// The authenticated caller of one request.
#[derive(Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub lang: Lang,
    /// The session's CSRF token, for forms; None for token callers.
    pub csrf: Option<String>,
    pub full_name: String,
}

/// The session found by `csrf_guard`, handed to the extractor so it is looked up once.
#[derive(Clone)]
struct KnownSession(Option<SessionInfo>);

async fn lookup_session(state: &AppState, headers: &HeaderMap) -> Result<Option<SessionInfo>, Error> {
    match cookie(headers, SESSION_COOKIE) {
        Some(token) => state.store.session(&token).await,
        None => Ok(None),
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let web = !crate::error::is_api_path(parts.uri.path());
        let reject =
            |e: Error| if web { crate::error::WebError(e).into_response() } else { ApiError(e).into_response() };
        let lang = request_lang(&parts.headers, web);
        if let Some(secret) = bearer(&parts.headers) {
            if web {
                return Err(reject(Error::Unauthenticated(Msg::new(
                    "Mã truy cập API chỉ dùng cho /api/; hãy đăng nhập để dùng giao diện web.",
                    "API tokens work only under /api/; sign in to use the web pages.",
                ))));
            }
            let actor = state.store.token_actor(&secret).await.map_err(reject)?.ok_or_else(|| {
                reject(Error::Unauthenticated(Msg::new(
                    "Mã truy cập API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
                    "The API token is invalid, expired or revoked.",
                )))
            })?;
            let full_name = actor.username.clone();
            return Ok(Ctx { actor, lang, csrf: None, full_name });
        }
        let session = match parts.extensions.get::<KnownSession>() {
            Some(KnownSession(s)) => s.clone(),
            None => lookup_session(state, &parts.headers).await.map_err(reject)?,
        };
        let session = session.ok_or_else(|| reject(Error::unauthenticated()))?;
        let actor = state.store.actor_for_session(&session).await.map_err(reject)?;
        // A signed-in person sees their saved language.
        Ok(Ctx { actor, lang: session.lang, csrf: Some(session.csrf_token), full_name: session.full_name })
    }
}

fn csrf_error() -> Error {
    Error::Forbidden(Msg::new(
        "Thiếu hoặc sai mã chống giả mạo (CSRF). Hãy tải lại trang rồi thử lại.",
        "Missing or wrong anti-forgery (CSRF) token. Reload the page and try again.",
    ))
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The boundary of a `multipart/form-data` content type.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !ct.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    let b = ct.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?;
    Some(b.trim_matches('"').to_string()).filter(|b| !b.is_empty() && b.len() <= 200)
}

/// Bytes of a multipart body read to find the token in its first part.
const MULTIPART_PEEK_BYTES: usize = 16 * 1024;

/// The value of the first part of a multipart body when that part is the `_csrf` field; the
/// forms put it first, so an upload is checked before its file is read. `None` while `buf`
/// does not yet hold the whole first part.
fn first_part_token(buf: &[u8], boundary: &str) -> Option<Result<String, ()>> {
    let opening = format!("--{boundary}\r\n");
    let start = find(buf, opening.as_bytes())? + opening.len();
    let head_end = start + find(buf.get(start..)?, b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(buf.get(start..head_end)?).to_ascii_lowercase();
    let value_start = head_end + 4;
    let closing = format!("\r\n--{boundary}");
    let value_end = value_start + find(buf.get(value_start..)?, closing.as_bytes())?;
    let is_csrf =
        head.lines().any(|l| l.starts_with("content-disposition:") && l.contains(&format!("name=\"{CSRF_FIELD}\"")));
    if !is_csrf {
        return Some(Err(()));
    }
    Some(String::from_utf8(buf.get(value_start..value_end)?.to_vec()).map_err(|_| ()))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Checks the token in the first part of a multipart upload, then runs the request with its
/// body whole again (the bytes read first, then the rest as it arrives).
async fn check_multipart(
    req: Request,
    boundary: String,
    expected: &str,
    next: Next,
    fail: impl Fn(Error) -> Response,
) -> Response {
    use tokio_stream::StreamExt;
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut buf: Vec<u8> = Vec::new();
    let verdict = loop {
        if let Some(found) = first_part_token(&buf, &boundary) {
            break found;
        }
        if buf.len() > MULTIPART_PEEK_BYTES {
            break Err(());
        }
        match stream.next().await {
            Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
            Some(Err(e)) => return fail(crate::web::upload_error(e)),
            None => break Err(()),
        }
    };
    match verdict {
        Ok(t) if same(&t, expected) => {
            let first = tokio_stream::once(Ok::<_, axum::Error>(axum::body::Bytes::from(buf)));
            next.run(Request::from_parts(parts, Body::from_stream(first.chain(stream)))).await
        }
        _ => fail(csrf_error()),
    }
}

/// The form token of a pre-session (the login and public report forms, before anyone is
/// signed in): an HMAC of the pre-session id kept in an HttpOnly cookie, under a key that
/// never leaves the process. A token is worth nothing without its own cookie, and a cookie
/// planted from elsewhere yields no token the planter could have read.
pub fn presession_token(state: &AppState, purpose: &str, presession: &str) -> String {
    use base64::Engine;
    use hmac::Mac;
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(state.csrf_key.as_slice()) else {
        return String::new();
    };
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(presession.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Enforces CSRF on POST/PUT/PATCH/DELETE authenticated by cookie. The token may come in the
/// `X-CSRF-Token` header or the `_csrf` form field — the first part of a multipart upload —
/// never in the address (which ends up in logs and Referer headers). The login form and the
/// public report form, which have no session, use a token bound to a pre-session cookie
/// ([`presession_token`]). The anonymous JSON API (`POST /api/v1/public/reports`) needs none: it
/// takes only `application/json`, which a page of another site cannot send without a CORS
/// preflight that Khiên never answers, and it is rate-limited per address.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let web = !crate::error::is_api_path(req.uri().path());
    // Bearer tokens are accepted only by the API (the extractor refuses them elsewhere).
    if !unsafe_method || (!web && bearer(req.headers()).is_some()) {
        return next.run(req).await;
    }
    let fail = |e: Error| if web { crate::error::WebError(e).into_response() } else { ApiError(e).into_response() };
    let expected = if req.uri().path() == "/login" {
        cookie(req.headers(), LOGIN_CSRF_COOKIE).map(|p| presession_token(&state, LOGIN_CSRF_COOKIE, &p))
    } else if req.uri().path() == PUBLIC_FORM_PATH {
        cookie(req.headers(), PUBLIC_CSRF_COOKIE).map(|p| presession_token(&state, PUBLIC_CSRF_COOKIE, &p))
    } else {
        match lookup_session(&state, req.headers()).await {
            // No session: let the handler answer 401 (or the login redirect).
            Ok(None) => return next.run(req).await,
            Ok(Some(s)) => {
                let expected = s.csrf_token.clone();
                let mut req = req;
                req.extensions_mut().insert(KnownSession(Some(s)));
                return check_and_run(req, Some(expected), next, fail).await;
            }
            Err(e) => return fail(e),
        }
    };
    check_and_run(req, expected, next, fail).await
}

async fn check_and_run(
    req: Request,
    expected: Option<String>,
    next: Next,
    fail: impl Fn(Error) -> Response,
) -> Response {
    let Some(expected) = expected.filter(|e| !e.is_empty()) else { return fail(csrf_error()) };
    let header_token = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(t) = header_token {
        return if same(&t, &expected) { next.run(req).await } else { fail(csrf_error()) };
    }
    if let Some(boundary) = multipart_boundary(req.headers()) {
        return check_multipart(req, boundary, &expected, next, fail).await;
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return fail(csrf_error());
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return fail(Error::TooLarge(Msg::new("Biểu mẫu quá lớn.", "The form is too large.")));
    };
    match form_field(&bytes, CSRF_FIELD) {
        Some(t) if same(&t, &expected) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        _ => fail(csrf_error()),
    }
}

/// A per-address limit on attempts within a sliding window: in front of the per-account
/// lockout it slows password spraying from one machine; on the public report form it stops one
/// address from flooding the authority's queue. Each use has its own instance and message.
pub struct RateLimiter {
    window: Duration,
    max: usize,
    hits: Mutex<HashMap<IpAddr, Vec<Instant>>>,
    /// The refusal, given the seconds to wait.
    message: fn(i64) -> Msg,
}

/// One attempt counted by `RateLimiter::check`; hand it back to `release` when the attempt
/// turned out not to count (a report refused by validation, nothing stored).
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    ip: IpAddr,
    at: Instant,
}

impl RateLimiter {
    pub fn new(max: usize, window: Duration, message: fn(i64) -> Msg) -> RateLimiter {
        RateLimiter { window, max, hits: Mutex::new(HashMap::new()), message }
    }

    /// Login attempts: `max` a minute per address.
    pub fn logins(max: usize) -> RateLimiter {
        RateLimiter::new(max, Duration::from_secs(60), |wait| {
            Msg::new(
                format!("Quá nhiều lần đăng nhập từ máy này. Thử lại sau {wait} giây."),
                format!("Too many login attempts from this address. Try again in {wait} seconds."),
            )
        })
    }

    /// Reports from the public: `max` per address in `window`.
    pub fn public_reports(max: usize, window: Duration) -> RateLimiter {
        RateLimiter::new(max, window, |wait| {
            let minutes = (wait + 59) / 60;
            Msg::new(
                format!("Địa chỉ của bạn đã gửi nhiều phản ánh trong thời gian ngắn. Vui lòng thử lại sau khoảng {minutes} phút; các phản ánh đã gửi vẫn được tiếp nhận."),
                format!("Too many reports from your address in a short time. Please try again in about {minutes} minutes; the reports already sent have been received."),
            )
        })
    }

    /// Tracking codes looked up in vain: `max` per address in `window`.
    pub fn lookups(max: usize, window: Duration) -> RateLimiter {
        RateLimiter::new(max, window, |wait| {
            let minutes = (wait + 59) / 60;
            Msg::new(
                format!("Quá nhiều lần tra cứu mã không đúng từ địa chỉ của bạn. Vui lòng thử lại sau khoảng {minutes} phút."),
                format!("Too many lookups of unknown codes from your address. Please try again in about {minutes} minutes."),
            )
        })
    }

    /// Records an attempt; Err with the seconds to wait when over the limit.
    pub fn check(&self, ip: IpAddr) -> Result<Hit, Error> {
        let now = Instant::now();
        let hit = Hit { ip, at: now };
        let Ok(mut hits) = self.hits.lock() else { return Ok(hit) };
        if hits.len() > 10_000 {
            hits.retain(|_, v| v.last().is_some_and(|t| now.duration_since(*t) < self.window));
        }
        let v = hits.entry(ip).or_default();
        v.retain(|t| now.duration_since(*t) < self.window);
        if v.len() >= self.max {
            let wait = v
                .first()
                .map(|t| self.window.saturating_sub(now.duration_since(*t)).as_secs() as i64 + 1)
                .unwrap_or(60);
            return Err(Error::TooMany { retry_after_secs: wait, msg: (self.message)(wait) });
        }
        v.push(now);
        Ok(hit)
    }

    /// Forgets an attempt that should not count.
    pub fn release(&self, hit: Hit) {
        if let Ok(mut hits) = self.hits.lock() {
            if let Some(v) = hits.get_mut(&hit.ip) {
                if let Some(i) = v.iter().position(|t| *t == hit.at) {
                    v.remove(i);
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_from_every_header_and_written_with_khiens_attributes() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, "a=1; khien_lang=en".parse().unwrap());
        h.append(header::COOKIE, "broken; khien_session=abc".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, LANG_COOKIE).as_deref(), Some("en"));
        assert_eq!(cookie(&h, "nope"), None);
        let c = set_cookie("k", "v", Some(0), true, true);
        for part in ["k=v", "Path=/", "SameSite=Lax", "HttpOnly", "Secure", "Max-Age=0"] {
            assert!(c.split("; ").any(|p| p == part), "{part} in {c}");
        }
        let c = set_cookie("k", "v", None, false, false);
        assert!(!c.contains("Secure") && !c.contains("HttpOnly") && !c.contains("Max-Age"), "{c}");
        assert_eq!(crate::error::urlencode("/a b/đ?x=1&y~"), "/a%20b/%C4%91%3Fx%3D1%26y~");
    }

    #[test]
    fn limiter_counts_per_address_and_forgets_released_attempts() {
        let l = RateLimiter::public_reports(2, Duration::from_secs(600));
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let first = l.check(a).unwrap();
        l.check(a).unwrap();
        let err = l.check(a).unwrap_err();
        assert!(
            matches!(&err, Error::TooMany { retry_after_secs, msg } if *retry_after_secs > 500 && msg.vi.contains("10 phút")),
            "{err:?}"
        );
        assert!(l.check(b).is_ok(), "another address has its own count");
        l.release(first);
        assert!(l.check(a).is_ok(), "a released attempt does not count");
        assert!(l.check(a).is_err());
        assert!(RateLimiter::logins(1).check(a).is_ok());
    }
}
