//! Canonical unit types and the labels people write for them.

use crate::text::fold;

/// One canonical unit type with its display labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitTypeInfo {
    /// Canonical code stored in `UnitRow::unit_type`.
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
    /// Other accepted spellings, already folded (see `text::fold`).
    aliases: &'static [&'static str],
}

/// All canonical unit types, in the order a form should list them.
pub const UNIT_TYPES: &[UnitTypeInfo] = &[
    UnitTypeInfo {
        code: "city",
        label_vi: "Thành phố trực thuộc TW",
        label_en: "Centrally governed city",
        aliases: &[
            "thanh pho",
            "thanh pho truc thuoc trung uong",
            "ubnd thanh pho",
            "tp",
            "municipality",
            "centrally run city",
        ],
    },
    UnitTypeInfo { code: "province", label_vi: "Tỉnh", label_en: "Province", aliases: &["ubnd tinh"] },
    UnitTypeInfo {
        code: "police",
        label_vi: "Công an, cơ quan thường trực",
        label_en: "Police / standing agency",
        aliases: &[
            "cong an",
            "co quan thuong truc",
            "cong an tinh",
            "cong an thanh pho",
            "standing agency",
            "public security",
        ],
    },
    UnitTypeInfo {
        code: "department",
        label_vi: "Sở, Ban, Ngành",
        label_en: "Department / agency",
        aliases: &["so", "ban", "nganh", "so nganh", "agency"],
    },
    UnitTypeInfo { code: "ward", label_vi: "Phường", label_en: "Ward", aliases: &["ubnd phuong"] },
    UnitTypeInfo { code: "commune", label_vi: "Xã", label_en: "Commune", aliases: &["ubnd xa"] },
    UnitTypeInfo {
        code: "special_zone",
        label_vi: "Đặc khu",
        label_en: "Special zone",
        aliases: &["dac khu tai hai dao", "ubnd dac khu", "special administrative region"],
    },
    UnitTypeInfo {
        code: "state_enterprise",
        label_vi: "Doanh nghiệp nhà nước",
        label_en: "State-owned enterprise",
        aliases: &["dnnn", "state enterprise"],
    },
    UnitTypeInfo {
        code: "it_enterprise",
        label_vi: "Doanh nghiệp viễn thông/CNTT",
        label_en: "Telecom / IT enterprise",
        aliases: &[
            "doanh nghiep vien thong",
            "doanh nghiep cntt",
            "doanh nghiep vien thong cong nghe thong tin",
            "telecom enterprise",
            "it enterprise",
        ],
    },
    UnitTypeInfo {
        code: "soc_provider",
        label_vi: "Đơn vị giám sát / SOC",
        label_en: "Monitoring provider (SOC)",
        aliases: &["don vi giam sat", "soc", "soc provider", "monitoring provider", "security operations center"],
    },
    UnitTypeInfo {
        code: "assessor",
        label_vi: "Tổ chức đánh giá",
        label_en: "Assessment organisation",
        aliases: &["assessment organization", "to chuc danh gia an toan thong tin"],
    },
    UnitTypeInfo { code: "other", label_vi: "Khác", label_en: "Other", aliases: &[] },
];

/// Maps a code or a Vietnamese/English label, in any case and with or
/// without diacritics, to the canonical code.
pub fn unit_type_from_label(label: &str) -> Option<&'static str> {
    let folded = fold(label);
    if folded.is_empty() {
        return None;
    }
    UNIT_TYPES
        .iter()
        .find(|t| {
            fold(t.code) == folded
                || fold(t.label_vi) == folded
                || fold(t.label_en) == folded
                || t.aliases.contains(&folded.as_str())
        })
        .map(|t| t.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_map_to_codes() {
        let cases = [
            ("city", "city"),
            ("Thành phố trực thuộc TW", "city"),
            ("UBND thành phố", "city"),
            ("TỈNH", "province"),
            ("tinh", "province"),
            ("Công an", "police"),
            ("Cơ quan thường trực", "police"),
            ("Sở, Ban, Ngành", "department"),
            ("Sở", "department"),
            ("phuong", "ward"),
            ("Xã", "commune"),
            ("Đặc khu", "special_zone"),
            ("Special_Zone", "special_zone"),
            ("Doanh nghiệp nhà nước", "state_enterprise"),
            ("Doanh nghiệp viễn thông/CNTT", "it_enterprise"),
            ("Đơn vị giám sát / SOC", "soc_provider"),
            ("SOC", "soc_provider"),
            ("Tổ chức đánh giá", "assessor"),
            ("Khác", "other"),
            ("OTHER", "other"),
        ];
        for (label, code) in cases {
            assert_eq!(unit_type_from_label(label), Some(code), "{label}");
        }
        for bad in ["", "abc", "phường xã", "-"] {
            assert_eq!(unit_type_from_label(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_code_and_label_round_trips() {
        for t in UNIT_TYPES {
            assert_eq!(unit_type_from_label(t.code), Some(t.code));
            assert_eq!(unit_type_from_label(t.label_vi), Some(t.code));
            assert_eq!(unit_type_from_label(t.label_en), Some(t.code));
        }
    }
}
