//! ASCII forms of Vietnamese names for unit codes, usernames and e-mail addresses, built on
//! the domain's search folding (đ → d, tones and hats removed).

use khien_domain::fold::fold;

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
    fold(s).chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::{code_slug, compact_lower};

    #[test]
    fn ascii_forms_of_vietnamese_names() {
        assert_eq!(code_slug("Hồng Bàng"), "HONG-BANG");
        assert_eq!(code_slug("Bạch Long Vĩ"), "BACH-LONG-VI");
        assert_eq!(compact_lower("Lê Chân"), "lechan");
        assert_eq!(compact_lower("Đặng Thị Ngọc Hưởng"), "dangthingochuong");
        let all = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        assert!(compact_lower(all).is_ascii());
        assert!(code_slug(&all.to_uppercase()).is_ascii());
    }
}
