//! The coded values of a system (type, status, secret grade, infrastructure
//! scope, data category) and the labels people write for them. Codes and
//! labels are those of `khien_domain::system` (checked by a test).

use crate::text::fold;

/// One allowed value of a coded column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// Canonical code stored in [`SystemRow`](super::SystemRow).
    pub code: &'static str,
    pub label_vi: &'static str,
    pub label_en: &'static str,
    /// Short Vietnamese label offered in the template's dropdown (accepted too).
    pub short_vi: &'static str,
    /// Other accepted spellings, already folded (see `text::fold`).
    aliases: &'static [&'static str],
}

impl Choice {
    const fn new(
        code: &'static str,
        label_vi: &'static str,
        label_en: &'static str,
        short_vi: &'static str,
        aliases: &'static [&'static str],
    ) -> Choice {
        Choice { code, label_vi, label_en, short_vi, aliases }
    }
}

/// Loại hệ thống (NĐ 85/2016 Đ6): `SystemRow::system_type`.
pub const SYSTEM_TYPES: &[Choice] = &[
    Choice::new(
        "internal",
        "Phục vụ hoạt động nội bộ",
        "Internal operations",
        "Nội bộ",
        &["hoat dong noi bo", "he thong noi bo", "phuc vu noi bo", "internal"],
    ),
    Choice::new(
        "public_service",
        "Phục vụ người dân, doanh nghiệp",
        "Serving citizens and businesses",
        "Dịch vụ công",
        &["phuc vu nguoi dan va doanh nghiep", "nguoi dan doanh nghiep", "dich vu cong truc tuyen", "public service"],
    ),
    Choice::new(
        "info_infrastructure",
        "Cơ sở hạ tầng thông tin",
        "Information infrastructure",
        "Hạ tầng",
        &["ha tang thong tin", "co so ha tang", "infrastructure"],
    ),
    Choice::new(
        "industrial_control",
        "Điều khiển công nghiệp",
        "Industrial control",
        "Điều khiển công nghiệp",
        &["he thong dieu khien cong nghiep", "scada", "ics", "industrial control system"],
    ),
    Choice::new("other", "Khác", "Other", "Khác", &[]),
];

/// Trạng thái at registration: `SystemRow::status`. ("Đã hủy bỏ" systems
/// are not registered.)
pub const SYSTEM_STATUSES: &[Choice] = &[
    Choice::new("planned", "Kế hoạch", "Planned", "Kế hoạch", &["du kien", "dang lap ke hoach"]),
    Choice::new(
        "building",
        "Đang xây dựng",
        "Being built",
        "Đang xây dựng",
        &["xay dung", "dang trien khai", "under construction"],
    ),
    Choice::new(
        "in_operation",
        "Đang vận hành",
        "In operation",
        "Đang vận hành",
        &["van hanh", "dang hoat dong", "operational", "in service"],
    ),
    Choice::new("suspended", "Tạm dừng", "Suspended", "Tạm dừng", &["tam ngung", "tam dung van hanh"]),
];

/// Bí mật nhà nước: `SystemRow::secret_grade`.
pub const SECRET_GRADES: &[Choice] = &[
    Choice::new("none", "Không", "None", "Không", &["khong co", "khong xu ly", "no"]),
    Choice::new("confidential", "Mật", "Confidential", "Mật", &[]),
    Choice::new("secret", "Tối mật", "Secret", "Tối mật", &[]),
    Choice::new("top_secret", "Tuyệt mật", "Top secret", "Tuyệt mật", &[]),
];

/// Hạ tầng dùng chung (reach of an information-infrastructure system):
/// `SystemRow::infra_scope`.
pub const INFRA_SCOPES: &[Choice] = &[
    Choice::new(
        "none",
        "Không phải hạ tầng dùng chung",
        "Not shared infrastructure",
        "Không",
        &["khong", "khong phai", "no"],
    ),
    Choice::new(
        "one_agency",
        "Phục vụ một cơ quan",
        "Serves one agency",
        "Một cơ quan",
        &["mot co quan", "mot don vi", "phuc vu mot don vi"],
    ),
    Choice::new(
        "province",
        "Dùng chung của tỉnh/thành phố hoặc ngành",
        "Shared by a province or sector",
        "Tỉnh/ngành",
        &[
            "tinh",
            "cap tinh",
            "nganh",
            "tinh thanh pho",
            "dung chung cua tinh",
            "dung chung cua nganh",
            "dung chung cua tinh thanh pho",
        ],
    ),
    Choice::new(
        "national",
        "Dùng chung quốc gia, vận hành 24/7",
        "Nationwide, run 24/7",
        "Quốc gia",
        &["quoc gia", "toan quoc", "national", "dung chung quoc gia"],
    ),
    Choice::new(
        "international",
        "Hạ tầng quốc gia kết nối quốc tế",
        "National, connected internationally",
        "Quốc tế",
        &["quoc te", "ket noi quoc te", "international"],
    ),
];

/// Loại dữ liệu (Luật Dữ liệu 60/2024): `SystemRow::data_category`.
pub const DATA_CATEGORIES: &[Choice] = &[
    Choice::new("other", "Dữ liệu khác", "Other data", "Khác", &["khac", "other"]),
    Choice::new("important", "Dữ liệu quan trọng", "Important data", "Quan trọng", &["quan trong", "important"]),
    Choice::new("core", "Dữ liệu cốt lõi", "Core data", "Cốt lõi", &["cot loi", "core"]),
];

/// Maps a code or a Vietnamese/English label, in any case and with or
/// without diacritics, to its choice.
pub fn choice_from_label(choices: &'static [Choice], label: &str) -> Option<&'static Choice> {
    let folded = fold(label);
    if folded.is_empty() {
        return None;
    }
    choices.iter().find(|c| {
        fold(c.code) == folded
            || fold(c.label_vi) == folded
            || fold(c.label_en) == folded
            || fold(c.short_vi) == folded
            || c.aliases.contains(&folded.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use khien_domain::system::{DataCategory, InfraScope, Lifecycle, SecretGrade, SystemType};
    use khien_domain::Lang;

    /// Same codes, order and labels as the domain's enums.
    #[test]
    fn tables_match_the_domain() {
        fn same(choices: &[Choice], domain: Vec<(&'static str, &'static str, &'static str)>) {
            let ours: Vec<_> = choices.iter().map(|c| (c.code, c.label_vi, c.label_en)).collect();
            assert_eq!(ours, domain);
        }
        macro_rules! domain {
            ($e:ty) => {
                <$e>::ALL.iter().map(|v| (v.code(), v.label(Lang::Vi), v.label(Lang::En))).collect::<Vec<_>>()
            };
        }
        same(SYSTEM_TYPES, domain!(SystemType));
        let mut statuses = domain!(Lifecycle);
        statuses.retain(|(code, _, _)| *code != Lifecycle::Decommissioned.code());
        same(SYSTEM_STATUSES, statuses);
        same(SECRET_GRADES, domain!(SecretGrade));
        same(INFRA_SCOPES, domain!(InfraScope));
        same(DATA_CATEGORIES, domain!(DataCategory));
    }

    #[test]
    fn every_spelling_is_unambiguous_and_round_trips() {
        for table in [SYSTEM_TYPES, SYSTEM_STATUSES, SECRET_GRADES, INFRA_SCOPES, DATA_CATEGORIES] {
            for c in table {
                for s in [c.code, c.label_vi, c.label_en, c.short_vi].into_iter().chain(c.aliases.iter().copied()) {
                    let hits: Vec<_> = table
                        .iter()
                        .filter(|o| choice_from_label(std::slice::from_ref(*o), s).is_some())
                        .map(|o| o.code)
                        .collect();
                    assert_eq!(hits, vec![c.code], "{s}");
                }
                for a in c.aliases {
                    assert_eq!(fold(a), *a, "aliases are stored folded: {a}");
                }
                // Excel's dropdown lists are comma-separated.
                assert!(!c.short_vi.contains(','), "{}", c.short_vi);
            }
        }
    }

    #[test]
    fn labels_from_the_brief() {
        let cases = [
            (SYSTEM_TYPES, "Phục vụ hoạt động nội bộ", "internal"),
            (SYSTEM_TYPES, "Nội bộ", "internal"),
            (SYSTEM_TYPES, "Phục vụ người dân, doanh nghiệp", "public_service"),
            (SYSTEM_TYPES, "DỊCH VỤ CÔNG", "public_service"),
            (SYSTEM_TYPES, "Cơ sở hạ tầng thông tin", "info_infrastructure"),
            (SYSTEM_TYPES, "Hạ tầng", "info_infrastructure"),
            (SYSTEM_TYPES, "dieu khien cong nghiep", "industrial_control"),
            (SYSTEM_TYPES, "Khác", "other"),
            (SYSTEM_TYPES, "Public_Service", "public_service"),
            (SYSTEM_STATUSES, "Kế hoạch", "planned"),
            (SYSTEM_STATUSES, "Đang xây dựng", "building"),
            (SYSTEM_STATUSES, "Đang vận hành", "in_operation"),
            (SYSTEM_STATUSES, "Tạm dừng", "suspended"),
            (SECRET_GRADES, "Không", "none"),
            (SECRET_GRADES, "Mật", "confidential"),
            (SECRET_GRADES, "Tối mật", "secret"),
            (SECRET_GRADES, "Tuyệt mật", "top_secret"),
            (INFRA_SCOPES, "Dùng chung của tỉnh/thành phố hoặc ngành", "province"),
            (INFRA_SCOPES, "one_agency", "one_agency"),
            (DATA_CATEGORIES, "Dữ liệu cốt lõi", "core"),
            (DATA_CATEGORIES, "quan trọng", "important"),
        ];
        for (table, label, code) in cases {
            assert_eq!(choice_from_label(table, label).map(|c| c.code), Some(code), "{label}");
        }
        assert_eq!(choice_from_label(SYSTEM_STATUSES, "Đã hủy bỏ"), None);
        assert_eq!(choice_from_label(SYSTEM_TYPES, ""), None);
    }
}
