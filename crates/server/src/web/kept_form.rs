//! Forms that never lose input (issue 14.4): a save refused for something the user can fix (a
//! rule, a clash) shows the same form again, filled with what was typed, the message beside
//! the field it is about (or above the form), answered 422. Errors the form cannot fix
//! (forbidden, not found, internal) stay error pages.

use crate::error::WebError;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use khien_domain::{Error, Lang};

/// Why the last save was refused.
#[derive(Default)]
pub(super) struct FormError {
    field: Option<String>,
    message: String,
}

impl FormError {
    /// The message to show beside `field`, when the refusal is about it.
    pub fn at(&self, field: &str) -> Option<&str> {
        (self.field.as_deref() == Some(field)).then_some(self.message.as_str())
    }

    /// The message, for the box above the form (empty when nothing was refused).
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The message to keep the form with, or the error itself when the form cannot fix it.
pub(super) fn refusal(err: Error, lang: Lang) -> Result<FormError, WebError> {
    match &err {
        Error::Invalid { .. } | Error::Conflict(_) | Error::BadRequest(_) => {
            Ok(FormError { field: err.field().map(str::to_string), message: err.message(lang) })
        }
        _ => Err(err.into()),
    }
}

/// The kept form, answered 422 so that scripts and tests see the refusal.
pub(super) fn refused(page: Html<String>) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// A form as it was posted, field by field (repeated names kept in order): what a kept form is
/// filled with.
#[derive(Default, Clone)]
pub(super) struct Posted(Vec<(String, String)>);

impl Posted {
    pub fn parse(body: &[u8]) -> Result<Posted, Error> {
        serde_urlencoded::from_bytes(body).map(Posted).map_err(|e| {
            Error::bad_request(format!("Biểu mẫu không đọc được: {e}"), format!("The form cannot be read: {e}"))
        })
    }

    /// The field's value as typed ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    /// The field's value, trimmed, when not empty.
    pub fn one(&self, name: &str) -> Option<String> {
        Some(self.get(name).trim().to_string()).filter(|v| !v.is_empty())
    }

    /// Every non-empty value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(n, v)| n == name && !v.trim().is_empty()).map(|(_, v)| v.trim().to_string()).collect()
    }

    /// The `n`th value of a repeated field ("" when there are fewer).
    pub fn nth(&self, name: &str, n: usize) -> &str {
        self.0.iter().filter(|(k, _)| k == name).nth(n).map_or("", |(_, v)| v.as_str())
    }

    /// Whether a checkbox or a repeated field holds `value`.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(n, v)| n == name && v == value)
    }

    /// Sets a field's value (a form's defaults).
    pub fn with(mut self, name: &str, value: &str) -> Posted {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value.to_string()));
        self
    }
}
