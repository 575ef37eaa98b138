//! One error type for the whole product. Every message exists in Vietnamese and English; the
//! HTTP layer maps each kind to a status code in one place.

use crate::Lang;
use std::fmt;

/// A message in both UI languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Msg {
    pub vi: String,
    pub en: String,
}

impl Msg {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg { vi: vi.into(), en: en.into() }
    }
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.vi, &self.en)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The request itself is malformed (syntax, unknown fields, wrong content type).
    BadRequest(Msg),
    /// Input is well-formed but breaks a rule; `field` names the offending field when there is one.
    Invalid { field: Option<String>, msg: Msg },
    /// The record does not exist, or exists outside the caller's scope (never tell which).
    NotFound(Msg),
    /// Not signed in, or the credentials are wrong/expired.
    Unauthenticated(Msg),
    /// Signed in, but the role does not allow this action on this record.
    Forbidden(Msg),
    /// The change collides with existing data (duplicate code, stale version).
    Conflict(Msg),
    /// Too many attempts; `retry_after_secs` tells when to try again.
    TooMany { retry_after_secs: i64, msg: Msg },
    /// The request body is larger than allowed.
    TooLarge(Msg),
    /// The client stopped sending its request body (idle too long, or too slow overall).
    TimedOut(Msg),
    /// Storage or other internal failure; the message is for logs, users see a generic text.
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: &str, vi: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Invalid { field: Some(field.to_string()), msg: Msg::new(vi, en) }
    }
    pub fn bad_request(vi: impl Into<String>, en: impl Into<String>) -> Error {
        Error::BadRequest(Msg::new(vi, en))
    }
    pub fn not_found(what_vi: &str, what_en: &str) -> Error {
        Error::NotFound(Msg::new(
            format!("Không tìm thấy {what_vi} hoặc bạn không có quyền xem."),
            format!("{what_en} not found, or you may not see it."),
        ))
    }
    pub fn forbidden() -> Error {
        Error::Forbidden(Msg::new(
            "Vai trò của bạn không cho phép thao tác này.",
            "Your role does not allow this action.",
        ))
    }
    pub fn unauthenticated() -> Error {
        Error::Unauthenticated(Msg::new(
            "Bạn chưa đăng nhập hoặc phiên đã hết hạn.",
            "You are not signed in, or your session has expired.",
        ))
    }
    pub fn conflict(vi: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Conflict(Msg::new(vi, en))
    }
    pub fn internal(e: impl fmt::Display) -> Error {
        Error::Internal(e.to_string())
    }

    /// The user-facing message in a language. Internal details never reach users.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Invalid { msg, .. }
            | Error::BadRequest(msg)
            | Error::NotFound(msg)
            | Error::Unauthenticated(msg)
            | Error::Forbidden(msg)
            | Error::Conflict(msg)
            | Error::TooLarge(msg)
            | Error::TimedOut(msg)
            | Error::TooMany { msg, .. } => msg.get(lang).to_string(),
            Error::Internal(_) => lang
                .pick(
                    "Lỗi hệ thống. Vui lòng thử lại hoặc báo quản trị viên.",
                    "Internal error. Try again or tell the administrator.",
                )
                .to_string(),
        }
    }

    /// Puts a location ("Dòng 3: " / "Row 3: ") before the user-facing message.
    pub fn with_prefix(self, vi: &str, en: &str) -> Error {
        let wrap = |m: Msg| Msg::new(format!("{vi}{}", m.vi), format!("{en}{}", m.en));
        match self {
            Error::Invalid { field, msg } => Error::Invalid { field, msg: wrap(msg) },
            Error::BadRequest(m) => Error::BadRequest(wrap(m)),
            Error::NotFound(m) => Error::NotFound(wrap(m)),
            Error::Forbidden(m) => Error::Forbidden(wrap(m)),
            Error::Conflict(m) => Error::Conflict(wrap(m)),
            other => other,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Internal(m) => write!(f, "internal: {m}"),
            other => f.write_str(&other.message(Lang::En)),
        }
    }
}

impl std::error::Error for Error {}

/// A stored code that no variant of a code enum has: the error of the enums'
/// `TryFrom<String>`, with which the store decodes TEXT code columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown code «{}»", self.0)
    }
}

impl std::error::Error for UnknownCode {}

/// A value quoted in a message: control characters blanked and cut at `max` characters, so one
/// bad value cannot flood (or break the layout of) an error message.
pub fn shorten(value: &str, max: usize) -> String {
    let clean: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if clean.chars().count() > max {
        let mut s: String = clean.chars().take(max).collect();
        s.push('…');
        s
    } else {
        clean
    }
}
