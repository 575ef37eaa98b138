//! Text helpers shared by all formats.

use unicode_normalization::UnicodeNormalization;

/// Folds text for matching labels: the domain's search folding (no diacritics, đ → d, lower
/// case), with every run of non-alphanumerics as one space. "Loại đơn vị" → "loai don vi",
/// "special_zone" → "special zone".
pub(crate) fn fold(s: &str) -> String {
    khien_domain::fold::fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Header folding also drops parenthesised notes: "Mã đơn vị (*)" → "ma don vi".
pub(crate) fn fold_header(s: &str) -> String {
    let mut kept = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    fold(&kept)
}

/// NFC, trimmed, inner whitespace runs (line breaks from Alt+Enter, tabs)
/// collapsed to one space. Returns `Err(())` on other control characters.
pub(crate) fn clean_text(s: &str) -> Result<String, ()> {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.nfc() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if c.is_control() || khien_domain::fold::deceptive_char(c.encode_utf8(&mut [0; 4])).is_some() {
            return Err(());
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    Ok(out)
}

/// Whether year-month-day names a real day (Gregorian calendar).
pub(crate) fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// A date as people type it, as yyyy-mm-dd: day first (dd/mm/yyyy, also with
/// `-` or `.`, one-digit day and month allowed) or ISO (yyyy-mm-dd, also
/// yyyy/mm/dd). The year has four digits and is at least 1900.
pub(crate) fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let sep = s.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit())).then(|| p.parse::<u32>().ok()).flatten()
    };
    let (y, m, d) = if a.len() == 4 && sep != '.' {
        (num(a, 4..=4)?, num(b, 1..=2)?, num(c, 1..=2)?)
    } else {
        (num(c, 4..=4)?, num(b, 1..=2)?, num(a, 1..=2)?)
    };
    (y >= 1900 && valid_date(y, m, d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// A count as Vietnamese write it: 3.000.000.
pub(crate) fn vn_number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Excel column letters for a 0-based index: 0 → A, 26 → AA.
pub(crate) fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Simple e-mail syntax check: one @, a non-empty local part, a dotted
/// domain of letters/digits/hyphens. Not RFC 5322, on purpose.
pub(crate) fn is_plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    local_ok && domain_ok
}

/// Phone numbers as people type them: digits with spaces, dots, dashes,
/// brackets, '/' between two numbers, and an optional leading '+'.
pub(crate) fn is_plausible_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let chars_ok = s.char_indices().all(|(i, c)| c.is_ascii_digit() || " .-()/".contains(c) || (c == '+' && i == 0));
    chars_ok && (3..=30).contains(&digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Loại đơn vị"), "loai don vi");
        assert_eq!(fold("  ĐẶC   KHU "), "dac khu");
        assert_eq!(fold("special_zone"), "special zone");
        assert_eq!(fold("Doanh nghiệp viễn thông/CNTT"), "doanh nghiep vien thong cntt");
        assert_eq!(fold_header("Mã đơn vị (*)"), "ma don vi");
        // Decomposed input (NFD, as macOS writes it) folds the same.
        let nfd: String = "Phường".nfd().collect();
        assert_eq!(fold(&nfd), "phuong");
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean_text("  Sở\nKhoa  học ").as_deref(), Ok("Sở Khoa học"));
        assert!(clean_text("a\u{0}b").is_err());
        let nfd: String = "Đông Hải".nfd().collect();
        assert_eq!(clean_text(&nfd).as_deref(), Ok("Đông Hải"));
    }

    #[test]
    fn dates() {
        for (text, iso) in [
            ("01/07/2025", "2025-07-01"),
            ("1/7/2025", "2025-07-01"),
            (" 29/02/2024 ", "2024-02-29"),
            ("01-07-2025", "2025-07-01"),
            ("01.07.2025", "2025-07-01"),
            ("2025-07-01", "2025-07-01"),
            ("2025/7/1", "2025-07-01"),
        ] {
            assert_eq!(parse_date(text).as_deref(), Some(iso), "{text}");
        }
        for bad in [
            "",
            "29/02/2025",
            "31/04/2025",
            "01/13/2025",
            "00/01/2025",
            "01/07/25",
            "2025-07",
            "2025-07-01-02",
            "1/7/1899",
            "07/01/2025x",
            "+1/7/2025",
            "2025.07.01",
            "01/07/२०२५",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(vn_number(3_000_000), "3.000.000");
        assert_eq!(vn_number(999), "999");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16383), "XFD");
    }

    #[test]
    fn emails_and_phones() {
        for ok in ["a@b.vn", "dau.moi@sotttt.hanoi.gov.vn", "x+y@mail.example.com"] {
            assert!(is_plausible_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.vn", "a@@b.vn", "a b@c.vn", "a@b..vn", "a@b.v", "a@-b.vn"] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
        for ok in ["0912 345 678", "+84 24 3825 1234", "(024) 3825.1234", "0912345678 / 0243"] {
            assert!(is_plausible_phone(ok), "{ok}");
        }
        for bad in ["abc", "12", "09x12345", "84+912345678"] {
            assert!(!is_plausible_phone(bad), "{bad}");
        }
    }
}
