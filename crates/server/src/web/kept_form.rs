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
