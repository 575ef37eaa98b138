//! JSON and query extractors whose rejections are precise problem details instead of axum's
//! plain-text defaults.

use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::Json;
use khien_domain::{Error, Msg};
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(ApiError(json_error(&rej))),
        }
    }
}

fn json_error(rej: &JsonRejection) -> Error {
    match rej {
        JsonRejection::MissingJsonContentType(_) => {
            Error::bad_request("Yêu cầu phải có Content-Type: application/json.", "The request needs Content-Type: application/json.")
        }
        JsonRejection::BytesRejection(_) if rej.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Error::TooLarge(Msg::new("Nội dung yêu cầu quá lớn (tối đa 1 MiB).", "The request body is too large (at most 1 MiB)."))
        }
        JsonRejection::JsonSyntaxError(e) => Error::bad_request(format!("JSON sai cú pháp: {}", e.body_text()), format!("Malformed JSON: {}", e.body_text())),
        JsonRejection::JsonDataError(e) => {
            Error::bad_request(format!("Dữ liệu JSON không hợp lệ: {}", e.body_text()), format!("Invalid JSON data: {}", e.body_text()))
        }
        other => Error::bad_request(format!("Không đọc được nội dung: {}", other.body_text()), format!("Cannot read the body: {}", other.body_text())),
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
    Error::bad_request(format!("Tham số truy vấn không hợp lệ: {}", e.body_text()), format!("Invalid query parameters: {}", e.body_text()))
}
