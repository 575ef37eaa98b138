//! Checks of single cell values shared by the importers. They return the
//! reason only; the importer adds file, place and column.

use crate::error::ImportErrorKind as K;
use crate::text::clean_text;

/// Cleaned text (NFC, trimmed, inner whitespace collapsed), `None` when
/// empty; refuses control characters, more than `max` characters and, when
/// `formula_guard`, a leading = + - @ (Excel would run the value as a
/// formula when the list is later exported and opened: CSV injection).
pub(crate) fn text(raw: &str, max: usize, formula_guard: bool) -> Result<Option<String>, K> {
    let text = clean_text(raw).map_err(|()| K::ControlChar { value: raw.to_string() })?;
    if text.is_empty() {
        return Ok(None);
    }
    let len = text.chars().count();
    if len > max {
        return Err(K::TooLong { max, actual: len });
    }
    if formula_guard && text.starts_with(['=', '+', '-', '@']) {
        return Err(K::FormulaLike { value: text });
    }
    Ok(Some(text))
}

/// A code (of a unit, a system…): trimmed, at most `max` characters of
/// `[A-Za-z0-9._-]`, starting with a letter or digit; `None` when empty.
pub(crate) fn code(raw: &str, max: usize) -> Result<Option<String>, K> {
    let code = raw.trim();
    if code.is_empty() {
        return Ok(None);
    }
    let len = code.chars().count();
    if len > max {
        return Err(K::TooLong { max, actual: len });
    }
    if let Some(ch) = code.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return Err(K::InvalidCode { value: code.to_string(), ch });
    }
    if !code.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(K::CodeStart { value: code.to_string() });
    }
    Ok(Some(code.to_string()))
}
