//! Readers of the typed cells of the systems sheet: yes/no, counts, the
//! online-service level, lists. Each returns the reason of a refusal only.

use crate::check;
use crate::error::ImportErrorKind as K;
use khien_domain::fold::fold;

/// Longest item of an IP-range, domain or tag list (a domain name's limit).
pub(crate) const MAX_ITEM_CHARS: usize = 253;

/// x, có, yes, true, 1 → true; empty, không, no, false, 0 → false.
pub(crate) fn flag(raw: &str) -> Result<bool, K> {
    // The domain's folding keeps punctuation: "-" or "✓" stay refused
    // instead of folding to the empty "no".
    match fold(raw).as_str() {
        "x" | "co" | "yes" | "true" | "1" => Ok(true),
        "" | "khong" | "no" | "false" | "0" => Ok(false),
        _ => Err(K::InvalidFlag { value: raw.trim().to_string() }),
    }
}

fn is_group_separator(c: char) -> bool {
    matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'')
}

/// A non-negative whole number, empty = 0. Thousands may be grouped with
/// `.` (Vietnamese), `,` (English), a space or an apostrophe, one kind per
/// number and in groups of three: "20.000", "20 000", "1,234,567". "1.5"
/// and "1,5" are refused rather than guessed.
pub(crate) fn count(raw: &str) -> Result<i64, K> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(0);
    }
    let bad = || K::InvalidNumber { value: s.to_string() };
    let mut seps = s.chars().filter(|c| is_group_separator(*c));
    let digits: String = match seps.next() {
        None => s.to_string(),
        Some(sep) => {
            let sep_kind = |c: char| {
                if matches!(c, ' ' | '\u{a0}' | '\u{202f}') {
                    ' '
                } else {
                    c
                }
            };
            if seps.any(|c| sep_kind(c) != sep_kind(sep)) {
                return Err(bad());
            }
            let groups: Vec<&str> = s.split(is_group_separator).collect();
            let first_ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()));
            if !first_ok || groups.iter().skip(1).any(|g| g.len() != 3) {
                return Err(bad());
            }
            groups.concat()
        }
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    digits.parse::<i64>().map_err(|_| bad())
}

/// The online public-service level, 0–4, empty = 0; "Mức 3" and "mức độ 3"
/// are read as 3.
pub(crate) fn level(raw: &str) -> Result<i64, K> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(0);
    }
    let folded = fold(s);
    let number = ["muc do ", "muc ", "level "].iter().find_map(|p| folded.strip_prefix(p)).unwrap_or(&folded).trim();
    match number {
        "0" => Ok(0),
        "1" => Ok(1),
        "2" => Ok(2),
        "3" => Ok(3),
        "4" => Ok(4),
        _ => Err(K::OutOfRange { value: s.to_string(), min: 0, max: 4 }),
    }
}

/// The items of a list cell, separated by line breaks, commas or
/// semicolons; each trimmed (NFC, inner spaces collapsed), empty ones dropped.
pub(crate) fn list(raw: &str) -> Result<Vec<String>, K> {
    let mut items = Vec::new();
    for part in raw.split(['\n', '\r', ',', ';']) {
        if let Some(item) = check::text(part, MAX_ITEM_CHARS, true)? {
            items.push(item);
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        for yes in ["x", " X ", "có", "Có", "CÓ", "co", "yes", "Yes", "TRUE", "true", "1"] {
            assert_eq!(flag(yes), Ok(true), "{yes}");
        }
        for no in ["", "  ", "không", "Không", "khong", "no", "NO", "false", "FALSE", "0"] {
            assert_eq!(flag(no), Ok(false), "{no}");
        }
        for bad in ["-", "✓", "2", "xx", "có/không", "y", "n"] {
            assert!(matches!(flag(bad), Err(K::InvalidFlag { .. })), "{bad}");
        }
    }

    #[test]
    fn counts() {
        for (text, n) in [
            ("", 0),
            ("0", 0),
            ("20000", 20_000),
            ("20.000", 20_000),
            ("20 000", 20_000),
            ("20\u{a0}000", 20_000),
            ("20,000", 20_000),
            ("1.234.567", 1_234_567),
            ("1,234,567", 1_234_567),
            (" 007 ", 7),
            ("9223372036854775807", i64::MAX),
        ] {
            assert_eq!(count(text), Ok(n), "{text}");
        }
        for bad in [
            "-5",
            "+5",
            "1.5",
            "1,5",
            "20.00",
            "1.234,567",
            "20 000.000",
            ".000",
            "1..000",
            "12a",
            "1e5",
            "9223372036854775808",
            "١٢",
            "20000.0",
            "hai mươi",
        ] {
            assert!(matches!(count(bad), Err(K::InvalidNumber { .. })), "{bad}");
        }
    }

    #[test]
    fn levels() {
        for (text, n) in [("", 0), ("0", 0), ("3", 3), (" 4 ", 4), ("Mức 2", 2), ("mức độ 3", 3), ("Level 1", 1)]
        {
            assert_eq!(level(text), Ok(n), "{text}");
        }
        for bad in ["5", "-1", "3.5", "ba", "Mức", "10"] {
            assert!(matches!(level(bad), Err(K::OutOfRange { min: 0, max: 4, .. })), "{bad}");
        }
    }

    #[test]
    fn lists() {
        assert_eq!(list(""), Ok(vec![]));
        assert_eq!(
            list(" 10.0.0.0/24\n10.0.1.0/24 ;; 2001:db8::/32,\r\n"),
            Ok(vec!["10.0.0.0/24".to_string(), "10.0.1.0/24".into(), "2001:db8::/32".into()])
        );
        assert_eq!(list("a.gov.vn, b.gov.vn"), Ok(vec!["a.gov.vn".to_string(), "b.gov.vn".into()]));
        assert!(matches!(list("ok, =cmd|' /C calc'!A0"), Err(K::FormulaLike { .. })));
        assert!(matches!(list("a\u{7}b"), Err(K::ControlChar { .. })));
        assert!(matches!(list(&"a".repeat(254)), Err(K::TooLong { max: 253, actual: 254 })));
    }
}
