//! ASCII folding of Vietnamese text, used for unit codes, usernames and
//! e-mail addresses (đ → d, tones and hats removed).

/// Precomposed (NFC) Vietnamese letters and their ASCII base letter.
const FOLD: &[(&str, char)] = &[
    ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
    ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
    ("èéẻẽẹêềếểễệ", 'e'),
    ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
    ("ìíỉĩị", 'i'),
    ("ÌÍỈĨỊ", 'I'),
    ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
    ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
    ("ùúủũụưừứửữự", 'u'),
    ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
    ("ỳýỷỹỵ", 'y'),
    ("ỲÝỶỸỴ", 'Y'),
    ("đ", 'd'),
    ("Đ", 'D'),
];

/// Folds one character to ASCII where a Vietnamese mapping exists.
pub(crate) fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    FOLD.iter()
        .find(|(group, _)| group.contains(c))
        .map_or(c, |(_, base)| *base)
}

/// Folds a whole string (`"Hồng Bàng"` → `"Hong Bang"`).
pub(crate) fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Upper-case code slug: `"Hồng Bàng"` → `"HONG-BANG"`.
pub(crate) fn code_slug(s: &str) -> String {
    fold(s)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Lower-case token without separators: `"Lê Chân"` → `"lechan"`.
pub(crate) fn compact_lower(s: &str) -> String {
    fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{code_slug, compact_lower, fold};

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đặng Thị Ngọc Hưởng"), "Dang Thi Ngoc Huong");
        assert_eq!(fold("Quyết Thắng, Ỷ Lan"), "Quyet Thang, Y Lan");
        assert_eq!(code_slug("Hồng Bàng"), "HONG-BANG");
        assert_eq!(code_slug("Bạch Long Vĩ"), "BACH-LONG-VI");
        assert_eq!(compact_lower("Lê Chân"), "lechan");
    }

    #[test]
    fn fold_table_is_ascii_complete() {
        // Every Vietnamese vowel with every tone, both cases, folds to ASCII.
        let all = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợ\
                   uùúủũụưừứửữựyỳýỷỹỵđ";
        assert!(fold(all).is_ascii());
        assert!(fold(&all.to_uppercase()).is_ascii());
    }
}
