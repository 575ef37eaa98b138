//! Units (đơn vị): the organisation tree every record hangs from.

use crate::fold::nfc;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
    City,
    Province,
    Police,
    Department,
    Ward,
    Commune,
    SpecialZone,
    StateEnterprise,
    ItEnterprise,
    SocProvider,
    Assessor,
    Other,
}

impl UnitType {
    pub const ALL: [UnitType; 12] = [
        UnitType::City,
        UnitType::Province,
        UnitType::Police,
        UnitType::Department,
        UnitType::Ward,
        UnitType::Commune,
        UnitType::SpecialZone,
        UnitType::StateEnterprise,
        UnitType::ItEnterprise,
        UnitType::SocProvider,
        UnitType::Assessor,
        UnitType::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitType::City => "city",
            UnitType::Province => "province",
            UnitType::Police => "police",
            UnitType::Department => "department",
            UnitType::Ward => "ward",
            UnitType::Commune => "commune",
            UnitType::SpecialZone => "special_zone",
            UnitType::StateEnterprise => "state_enterprise",
            UnitType::ItEnterprise => "it_enterprise",
            UnitType::SocProvider => "soc_provider",
            UnitType::Assessor => "assessor",
            UnitType::Other => "other",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (vi, en) = match self {
            UnitType::City => ("Thành phố", "City"),
            UnitType::Province => ("Tỉnh", "Province"),
            UnitType::Police => ("Công an (cơ quan thường trực)", "Police (standing body)"),
            UnitType::Department => ("Sở, ban, ngành", "Department"),
            UnitType::Ward => ("Phường", "Ward"),
            UnitType::Commune => ("Xã", "Commune"),
            UnitType::SpecialZone => ("Đặc khu", "Special zone"),
            UnitType::StateEnterprise => ("Doanh nghiệp nhà nước", "State enterprise"),
            UnitType::ItEnterprise => ("Doanh nghiệp viễn thông, CNTT", "Telecom/IT enterprise"),
            UnitType::SocProvider => ("Đơn vị giám sát (SOC)", "SOC provider"),
            UnitType::Assessor => ("Tổ chức đánh giá", "Assessment organisation"),
            UnitType::Other => ("Khác", "Other"),
        };
        lang.pick(vi, en)
    }

    pub fn parse(s: &str) -> Result<UnitType> {
        UnitType::ALL.into_iter().find(|t| t.code() == s.trim()).ok_or_else(|| {
            Error::invalid(
                "unit_type",
                format!("«{s}» không phải loại đơn vị hợp lệ."),
                format!("«{s}» is not a valid unit type."),
            )
        })
    }
}

/// Compares with a code (tests and the demo write `unit_type == "ward"`).
impl PartialEq<&str> for UnitType {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

/// The code, as stored and sent.
impl std::fmt::Display for UnitType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Checks a unit code: 1–32 characters of A–Z, a–z, 0–9, '.', '_' or '-'.
pub fn validate_code(code: &str) -> Result<String> {
    let code = code.trim();
    if code.is_empty() || code.chars().count() > 32 {
        return Err(Error::invalid(
            "code",
            "Mã đơn vị phải có từ 1 đến 32 ký tự.",
            "The unit code must be 1 to 32 characters.",
        ));
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        return Err(Error::invalid(
            "code",
            format!("Mã đơn vị «{code}» chỉ được chứa chữ không dấu, số, '.', '_' hoặc '-'."),
            format!("The unit code «{code}» may contain only ASCII letters, digits, '.', '_' or '-'."),
        ));
    }
    Ok(code.to_string())
}

/// Checks and normalises (NFC, trimmed) a required display name of at most `max` characters.
pub fn validate_name(field: &str, name: &str, max: usize) -> Result<String> {
    let name = nfc(name);
    if name.is_empty() || name.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("Tên phải có từ 1 đến {max} ký tự."),
            format!("The name must be 1 to {max} characters."),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(field, "Tên chứa ký tự điều khiển.", "The name contains control characters."));
    }
    refuse_deceptive(field, &name)?;
    Ok(name)
}

/// Normalises an optional free-text field: trimmed, NFC, empty becomes None.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(nfc) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) if v.chars().count() > max || v.chars().any(char::is_control) => Err(Error::invalid(
            field,
            format!("Giá trị quá dài (tối đa {max} ký tự) hoặc chứa ký tự điều khiển."),
            format!("The value is too long (at most {max} characters) or contains control characters."),
        )),
        Some(v) => refuse_deceptive(field, &v).map(|()| Some(v)),
    }
}

/// Refuses text with an invisible or direction-changing character ([`crate::fold::deceptive_char`]),
/// naming it by its code point.
pub fn refuse_deceptive(field: &str, text: &str) -> Result<()> {
    match crate::fold::deceptive_char(text) {
        None => Ok(()),
        Some(c) => {
            let cp = format!("U+{:04X}", u32::from(c));
            Err(Error::invalid(
                field,
                format!("Giá trị chứa ký tự vô hình hoặc đổi chiều chữ ({cp}), có thể làm tên hiển thị sai lệch; hãy gõ lại."),
                format!("The value contains an invisible or direction-changing character ({cp}) that can make it display deceptively; type it again."),
            ))
        }
    }
}

/// A minimal e-mail check: one '@', something before it, a dot in the domain, no spaces.
pub fn validate_email(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(v) = optional_text(field, value, 254)? else { return Ok(None) };
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }
        None => false,
    } && !v.contains(char::is_whitespace);
    if ok {
        Ok(Some(v))
    } else {
        Err(Error::invalid(
            field,
            format!("«{v}» không phải địa chỉ e-mail hợp lệ."),
            format!("«{v}» is not a valid e-mail address."),
        ))
    }
}

/// The materialised path of a unit: "/1/5/23/". Subtree queries become prefix matches.
pub fn child_path(parent_path: &str, id: i64) -> String {
    format!("{parent_path}{id}/")
}

/// True when `path` is `ancestor_path` itself or lies below it.
pub fn is_within(path: &str, ancestor_path: &str) -> bool {
    path.starts_with(ancestor_path)
}

/// Moving a unit under one of its own descendants (or itself) would create a cycle.
pub fn check_move(unit_path: &str, new_parent_path: &str) -> Result<()> {
    if is_within(new_parent_path, unit_path) {
        return Err(Error::invalid(
            "parent_id",
            "Không thể chuyển đơn vị vào chính nó hoặc vào đơn vị cấp dưới của nó.",
            "A unit cannot be moved under itself or one of its descendants.",
        ));
    }
    Ok(())
}

/// Reads a stored code (the store's row decoding); an unknown code is an error naming it.
impl TryFrom<String> for UnitType {
    type Error = crate::UnknownCode;
    fn try_from(s: String) -> std::result::Result<UnitType, crate::UnknownCode> {
        match UnitType::parse(&s) {
            Ok(v) => Ok(v),
            Err(_) => Err(crate::UnknownCode(s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_types_round_trip() {
        for t in UnitType::ALL {
            assert_eq!(UnitType::parse(t.code()), Ok(t));
        }
        assert!(UnitType::parse("xa").is_err());
    }

    #[test]
    fn codes_are_checked() {
        assert_eq!(validate_code(" SO-KHCN ").as_deref(), Ok("SO-KHCN"));
        assert!(validate_code("").is_err());
        assert!(validate_code("Sở").is_err());
        assert!(validate_code(&"A".repeat(33)).is_err());
    }

    #[test]
    fn moves_that_would_cycle_are_refused() {
        assert!(check_move("/1/5/", "/1/5/").is_err());
        assert!(check_move("/1/5/", "/1/5/9/").is_err());
        assert!(check_move("/1/5/", "/1/6/").is_ok());
        // "/1/5/" is not an ancestor of "/1/50/": the trailing slash matters.
        assert!(check_move("/1/5/", "/1/50/").is_ok());
    }

    #[test]
    fn emails_and_names() {
        assert!(validate_email("e", Some("a@b.vn")).is_ok());
        assert_eq!(validate_email("e", Some("  ")), Ok(None));
        assert!(validate_email("e", Some("a@b")).is_err());
        assert!(validate_email("e", Some("a b@c.vn")).is_err());
        assert!(validate_name("name", "  ", 10).is_err());
        assert_eq!(validate_name("name", " Sở Y tế ", 10).as_deref(), Ok("Sở Y tế"));
    }
}
