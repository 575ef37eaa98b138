//! JSON and query extractors whose rejections are precise problem details instead of axum's
//! plain-text defaults.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use khien_domain::{Error, Msg};
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError(json_error(&JsonRejection::MissingJsonContentType(Default::default()))));
        }
        let bytes =
            Bytes::from_request(req, state).await.map_err(|rej| ApiError(json_error(&JsonRejection::from(rej))))?;
        match Json::<T>::from_bytes(&bytes) {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rej) => {
                // JSON has one kind of number and JSON Schema counts 3.0 as the integer 3, so a
                // client may send it for an integer field: try again with such numbers as integers.
                if let (JsonRejection::JsonDataError(_), Some(again)) = (&rej, integral_floats_as_integers(&bytes)) {
                    if let Ok(Json(v)) = Json::<T>::from_bytes(&again) {
                        return Ok(ApiJson(v));
                    }
                }
                Err(ApiError(json_error(&rej)))
            }
        }
    }
}

/// `application/json` or any `application/*+json`, as axum's `Json` takes.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The body with every number that has no fraction and is at most 2^53 (`3.0`, `-1e3`) written
/// as an integer; None when there is none (or the body is not JSON).
fn integral_floats_as_integers(body: &[u8]) -> Option<Vec<u8>> {
    fn walk(v: &mut serde_json::Value) -> bool {
        match v {
            serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => match n.as_f64() {
                // Only where a double holds every integer (|n| ≤ 2^53): beyond, an out-of-range
                // integer such as -9223372036854775809 also parses to a round double.
                Some(f) if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 => {
                    #[allow(clippy::cast_possible_truncation)]
                    let i = f as i64;
                    *v = serde_json::Value::from(i);
                    true
                }
                _ => false,
            },
            // `fold`, not `any`: every item must be walked, not only up to the first change.
            #[allow(clippy::unnecessary_fold)]
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |changed, x| walk(x) || changed),
            #[allow(clippy::unnecessary_fold)]
            serde_json::Value::Object(map) => map.values_mut().fold(false, |changed, x| walk(x) || changed),
            _ => false,
        }
    }
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if !walk(&mut value) {
        return None;
    }
    serde_json::to_vec(&value).ok()
}

fn json_error(rej: &JsonRejection) -> Error {
    match rej {
        JsonRejection::MissingJsonContentType(_) => Error::bad_request(
            "Yêu cầu phải có Content-Type: application/json.",
            "The request needs Content-Type: application/json.",
        ),
        JsonRejection::BytesRejection(_) if rej.status() == StatusCode::PAYLOAD_TOO_LARGE => Error::TooLarge(Msg::new(
            "Nội dung yêu cầu quá lớn (tối đa 1 MiB).",
            "The request body is too large (at most 1 MiB).",
        )),
        JsonRejection::JsonSyntaxError(e) => Error::bad_request(
            format!("JSON sai cú pháp: {}", e.body_text()),
            format!("Malformed JSON: {}", e.body_text()),
        ),
        JsonRejection::JsonDataError(e) => Error::bad_request(
            format!("Dữ liệu JSON không hợp lệ: {}", e.body_text()),
            format!("Invalid JSON data: {}", e.body_text()),
        ),
        other => Error::bad_request(
            format!("Không đọc được nội dung: {}", other.body_text()),
            format!("Cannot read the body: {}", other.body_text()),
        ),
    }
}

pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError(query_error(&e))),
        }
    }
}

fn query_error(e: &QueryRejection) -> Error {
    Error::bad_request(
        format!("Tham số truy vấn không hợp lệ: {}", e.body_text()),
        format!("Invalid query parameters: {}", e.body_text()),
    )
}
