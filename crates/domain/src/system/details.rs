//! The registry's depth (issue 17.5): what authorities ask of a system beyond its level facts —
//! business and technical contacts, technology stack, users served, recovery objectives and
//! backups, the vendor's contract, the last penetration test, MFA/WAF/IDS — each checked by its
//! kind. The authority chooses which are required; a system's completeness is the share of the
//! required ones it has, a unit's the share over its systems.

use crate::{Error, Lang, Result};
use serde::Serialize;

/// How a detail is written and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DetailKind {
    Text,
    Email,
    Phone,
    /// dd/mm/yyyy in, yyyy-mm-dd kept.
    Date,
    /// A whole number (users, hours).
    Number,
    /// Đồng, a whole number.
    Money,
    /// "yes" or "no".
    YesNo,
}

/// One detail a system may hold.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DetailField {
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
    pub kind: DetailKind,
}

impl DetailField {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.label_vi, self.label_en)
    }
}

const fn d(code: &'static str, label_vi: &'static str, label_en: &'static str, kind: DetailKind) -> DetailField {
    DetailField { code, label_vi, label_en, kind }
}

use DetailKind::*;

/// Every detail, in the order forms show them.
pub const DETAIL_FIELDS: &[DetailField] = &[
    d("business_contact_name", "Đầu mối nghiệp vụ: họ tên", "Business contact: name", Text),
    d("business_contact_phone", "Đầu mối nghiệp vụ: điện thoại", "Business contact: phone", Phone),
    d("business_contact_email", "Đầu mối nghiệp vụ: thư điện tử", "Business contact: e-mail", Email),
    d("technical_contact_name", "Đầu mối kỹ thuật: họ tên", "Technical contact: name", Text),
    d("technical_contact_phone", "Đầu mối kỹ thuật: điện thoại", "Technical contact: phone", Phone),
    d("technical_contact_email", "Đầu mối kỹ thuật: thư điện tử", "Technical contact: e-mail", Email),
    d(
        "tech_stack",
        "Nền tảng công nghệ (hệ điều hành, CSDL, ứng dụng)",
        "Technology stack (OS, database, application)",
        Text,
    ),
    d("users_served", "Số người sử dụng phục vụ", "Users served", Number),
    d("rpo_hours", "RPO: dữ liệu mất tối đa (giờ)", "RPO: most data lost (hours)", Number),
    d("rto_hours", "RTO: thời gian khôi phục tối đa (giờ)", "RTO: longest recovery (hours)", Number),
    d(
        "backup",
        "Sao lưu (tần suất, nơi lưu, lần thử khôi phục gần nhất)",
        "Backups (frequency, where kept, last restore test)",
        Text,
    ),
    d("contract_number", "Hợp đồng với nhà cung cấp: số", "Vendor contract: number", Text),
    d("contract_signed_on", "Hợp đồng: ngày ký", "Contract: signed on", Date),
    d("contract_end_on", "Hợp đồng: ngày hết hạn", "Contract: ends on", Date),
    d("contract_value", "Hợp đồng: giá trị (đồng)", "Contract: value (đồng)", Money),
    d("warranty_end_on", "Bảo hành: ngày hết hạn", "Warranty ends on", Date),
    d("last_pentest_on", "Lần kiểm thử xâm nhập gần nhất", "Last penetration test", Date),
    d("mfa", "Có xác thực đa yếu tố (MFA)", "Multi-factor authentication (MFA) in place", YesNo),
    d("waf", "Có tường lửa ứng dụng web (WAF)", "Web application firewall (WAF) in place", YesNo),
    d("ids", "Có hệ thống phát hiện xâm nhập (IDS/IPS)", "Intrusion detection (IDS/IPS) in place", YesNo),
];

/// A detail by its code, or an error naming it.
pub fn detail_field(code: &str) -> Result<&'static DetailField> {
    DETAIL_FIELDS.iter().find(|f| f.code == code.trim()).ok_or_else(|| {
        Error::invalid(
            "fields",
            format!("Không có trường thông tin «{code}»."),
            format!("There is no detail «{code}»."),
        )
    })
}

/// Checks and normalises a typed value: `None` clears the detail. A wrong value names the
/// detail's code as the field.
pub fn check_detail(field: &DetailField, raw: &str) -> Result<Option<String>> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let bad = |vi: &str, en: &str| {
        Error::invalid(field.code, format!("{}: {vi}", field.label_vi), format!("{}: {en}", field.label_en))
    };
    let value = match field.kind {
        Text => {
            if v.chars().count() > 1000 {
                return Err(bad("tối đa 1.000 ký tự.", "at most 1,000 characters."));
            }
            v.to_string()
        }
        Email => {
            let ok = v.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !v.contains(' '));
            if !ok || v.len() > 200 {
                return Err(bad("thư điện tử không hợp lệ.", "not a valid e-mail address."));
            }
            v.to_string()
        }
        Phone => {
            let digits = v.chars().filter(char::is_ascii_digit).count();
            if !(8..=15).contains(&digits) || !v.chars().all(|c| c.is_ascii_digit() || " +().-".contains(c)) {
                return Err(bad("số điện thoại gồm 8–15 chữ số.", "a phone number has 8–15 digits."));
            }
            v.to_string()
        }
        Date => crate::calendar::parse_date(v)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .ok_or_else(|| bad("ghi ngày dạng dd/mm/yyyy.", "write the day as dd/mm/yyyy."))?,
        Number | Money => {
            let digits: String = v.chars().filter(|c| !matches!(c, '.' | ' ' | ',')).collect();
            let n: i64 = digits
                .parse()
                .map_err(|_| bad("ghi một số nguyên không âm.", "write a whole number, not negative."))?;
            if n < 0 {
                return Err(bad("ghi một số nguyên không âm.", "write a whole number, not negative."));
            }
            n.to_string()
        }
        YesNo => match v.to_lowercase().as_str() {
            "yes" | "có" | "co" | "true" | "1" => "yes".into(),
            "no" | "không" | "khong" | "false" | "0" => "no".into(),
            _ => return Err(bad("chọn có hoặc không.", "choose yes or no.")),
        },
    };
    Ok(Some(value))
}

/// A kept value as people read it (dates dd/mm/yyyy, money grouped, yes/no in words).
pub fn display_detail(field: &DetailField, value: &str, lang: Lang) -> String {
    match field.kind {
        Date => crate::calendar::display_date(value),
        Money | Number => value.parse::<i64>().map(crate::number::grouped).unwrap_or_else(|_| value.to_string()),
        YesNo if value == "yes" => lang.pick("Có", "Yes").into(),
        YesNo => lang.pick("Không", "No").into(),
        _ => value.to_string(),
    }
}

/// The share (0–100, rounded down) of `required` details that `filled` has; `None` when
/// nothing is required.
pub fn completeness(required: &[&str], filled: &[&str]) -> Option<i64> {
    if required.is_empty() {
        return None;
    }
    let have = required.iter().filter(|r| filled.contains(r)).count();
    i64::try_from(have * 100 / required.len()).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_checked_and_normalised() {
        let f = |code| detail_field(code).unwrap();
        assert_eq!(check_detail(f("contract_end_on"), "31/12/2027").unwrap().as_deref(), Some("2027-12-31"));
        assert_eq!(check_detail(f("contract_value"), "1.250.000.000").unwrap().as_deref(), Some("1250000000"));
        assert_eq!(check_detail(f("mfa"), "Có").unwrap().as_deref(), Some("yes"));
        assert_eq!(check_detail(f("tech_stack"), "  ").unwrap(), None);
        let e = check_detail(f("technical_contact_email"), "kythuat").unwrap_err();
        assert_eq!(e.field(), Some("technical_contact_email"));
        assert!(check_detail(f("last_pentest_on"), "31/02/2026").is_err());
        assert!(check_detail(f("rpo_hours"), "-4").is_err());
        assert!(check_detail(f("business_contact_phone"), "gọi bảo vệ").is_err());
        assert!(detail_field("firewall_brand").is_err());
        assert_eq!(display_detail(f("contract_value"), "1250000000", Lang::Vi), "1.250.000.000");
    }

    #[test]
    fn completeness_is_the_share_of_required_details() {
        assert_eq!(completeness(&["mfa", "waf", "ids"], &["mfa", "tech_stack"]), Some(33));
        assert_eq!(completeness(&["mfa"], &["mfa"]), Some(100));
        assert_eq!(completeness(&[], &["mfa"]), None);
    }
}
