//! Cursor pagination: a cursor names the last row seen by its sort key and id, so pages stay
//! stable while rows are inserted, and no OFFSET scan is needed.

use crate::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}\u{1f}{}", self.id, self.key))
    }

    pub fn decode(s: &str) -> Result<Cursor> {
        let bad =
            || Error::invalid("cursor", "Con trỏ phân trang không hợp lệ.", "The pagination cursor is not valid.");
        let bytes = URL_SAFE_NO_PAD.decode(s.trim()).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let (id, key) = text.split_once('\u{1f}').ok_or_else(bad)?;
        Ok(Cursor { key: key.to_string(), id: id.parse().map_err(|_| bad())? })
    }
}

/// Clamps a requested page size into 1..=MAX_LIMIT.
pub fn limit(requested: Option<i64>) -> Result<i64> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(Error::invalid(
            "limit",
            format!("Số bản ghi mỗi trang phải từ 1 đến {MAX_LIMIT}."),
            format!("limit must be between 1 and {MAX_LIMIT}."),
        )),
    }
}

/// Sort direction parsed from "name" / "-name" style parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Asc,
    Desc,
}

/// Splits "-field" into (field, Desc) and checks the field is one of `allowed`.
pub fn parse_sort<'a>(
    value: Option<&'a str>,
    allowed: &[&'static str],
    default: &'static str,
) -> Result<(&'static str, Dir)> {
    let v: &'a str = value.unwrap_or(default);
    let (name, dir) = match v.strip_prefix('-') {
        Some(rest) => (rest, Dir::Desc),
        None => (v, Dir::Asc),
    };
    allowed.iter().find(|a| **a == name).map(|a| (*a, dir)).ok_or_else(|| {
        Error::invalid(
            "sort",
            format!("Không sắp xếp được theo «{name}»; chọn một trong: {}.", allowed.join(", ")),
            format!("Cannot sort by «{name}»; choose one of: {}.", allowed.join(", ")),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = Cursor { key: "phuong ba dinh".into(), id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Ok(c));
        assert!(Cursor::decode("!!!").is_err());
        assert!(Cursor::decode(&URL_SAFE_NO_PAD.encode("x")).is_err());
    }

    #[test]
    fn sort_and_limit() {
        assert_eq!(parse_sort(Some("-name"), &["name", "code"], "code"), Ok(("name", Dir::Desc)));
        assert_eq!(parse_sort(None, &["name", "code"], "code"), Ok(("code", Dir::Asc)));
        assert!(parse_sort(Some("password"), &["name"], "name").is_err());
        assert!(limit(Some(0)).is_err());
        assert_eq!(limit(None), Ok(DEFAULT_LIMIT));
    }
}
