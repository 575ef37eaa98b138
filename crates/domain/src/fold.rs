//! Vietnamese search folding: "da nang" must find "Đà Nẵng" and "ma doc" must find "mã độc".
//! Both stores compare against a folded shadow column computed here, because neither SQLite
//! FTS5 nor PostgreSQL `unaccent` folds "đ" on its own.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// NFC-normalises user text (what we store): NFD input from some keyboards breaks matching.
pub fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
}

/// The first character that changes how text displays without showing itself: the
/// bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069, and the marks
/// U+200E, U+200F, U+061C), zero-width spaces and joiners (U+200B–200D, U+2060, U+FEFF) and
/// the line and paragraph separators (U+2028, U+2029). `ho-so\u{202E}exe.pdf` displays as
/// "ho-sofdp.exe": none of them belongs in a name, a code or a file name.
pub fn deceptive_char(s: &str) -> Option<char> {
    s.chars().find(|c| {
        matches!(*c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{2060}' | '\u{FEFF}' | '\u{2028}' | '\u{2029}')
    })
}

/// Folds text for search: decompose, drop combining marks, map đ/Đ to d, lowercase, collapse
/// whitespace.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' | 'ð' | 'Ð' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        out.extend(c.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Escapes a folded search term for use inside a SQL LIKE pattern with `ESCAPE '\'`.
pub fn like_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for c in fold(term).chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// One LIKE pattern per word of a search, folded: a record matches when it holds every word, in
/// any order, with or without diacritics ("ho tich hong bang" finds "Phần mềm quản lý hộ tịch –
/// Phường Hồng Bàng"). Tokens without a letter or digit (a dash) are not words.
pub fn word_patterns(term: &str) -> Vec<String> {
    let words: Vec<String> =
        term.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).map(like_pattern).collect();
    // A search of symbols only ("%") is taken literally, whole.
    if words.is_empty() && !term.trim().is_empty() {
        return vec![like_pattern(term.trim())];
    }
    words
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_search_matches_every_word_in_any_order_without_diacritics() {
        let text = super::fold("Phần mềm quản lý hộ tịch – Phường Hồng Bàng");
        let pats = super::word_patterns("ho tich  hong bang –");
        assert_eq!(pats, ["%ho%", "%tich%", "%hong%", "%bang%"]);
        assert!(pats.iter().all(|p| text.contains(p.trim_matches('%'))));
        assert_eq!(super::word_patterns("50%_off"), ["%50\\%\\_off%"]);
        assert_eq!(super::word_patterns(" % "), ["%\\%%"]);
        assert!(super::word_patterns("  ").is_empty());
    }

    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đà Nẵng"), "da nang");
        assert_eq!(fold("mã độc"), "ma doc");
        assert_eq!(fold("  Phường   Hồng  Bàng "), "phuong hong bang");
        assert_eq!(fold("ĐẶC KHU CÁT HẢI"), "dac khu cat hai");
    }

    #[test]
    fn nfd_input_folds_like_nfc() {
        let nfd: String = "Đà Nẵng".nfd().collect();
        assert_eq!(fold(&nfd), fold("Đà Nẵng"));
        assert_eq!(nfc(&nfd), "Đà Nẵng");
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("50%_a"), "%50\\%\\_a%");
        assert_eq!(like_pattern("Đà"), "%da%");
    }
}
