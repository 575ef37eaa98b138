//! The demo city's plans: the task tables of two of the plans in `shared/seeds`, written out
//! from their text as tab-separated rows (HCM 3131's appendix as it stands; Hải Phòng's 2026
//! key tasks, part III, with the units its part V charges), and how the authority of Hải Đông
//! maps the names those plans use onto its own units after the 2025 reform (the Department of
//! Information and Communications merged into Science and Technology; districts gone).

/// A plan to load: its header, its task table and the authority's name mappings.
pub struct DemoPlan {
    pub number: &'static str,
    /// yyyy-mm-dd.
    pub issued_on: &'static str,
    pub issuer: &'static str,
    pub title: &'static str,
    pub legal_basis: &'static str,
    pub years: (i32, i32),
    /// `yearly` or `monthly`, the deadline's day and (yearly) month.
    pub reporting: (&'static str, u32, u32),
    /// Tab-separated, header first; `\n` inside a cell written as the two characters `\` `n`.
    pub table: &'static str,
    /// Name as the table writes it → unit codes, `type:<unit type>` or `none`.
    pub mappings: &'static [(&'static str, &'static [&'static str])],
}

const WARDS_AND_COMMUNES: &[&str] = &["type:ward", "type:commune", "type:special_zone"];

pub const PLANS: &[DemoPlan] = &[
    DemoPlan {
        number: "3131/KH-UBND",
        issued_on: "2023-07-07",
        issuer: "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        title: "Hành động triển khai thực hiện Chiến lược An toàn, An ninh mạng quốc gia, chủ động ứng phó với các thách thức từ không gian mạng đến năm 2025, tầm nhìn 2030",
        legal_basis: "Quyết định số 964/QĐ-TTg ngày 10/8/2022 của Thủ tướng Chính phủ; Quyết định số 566/QĐ-BTTTT ngày 06/4/2023 của Bộ Thông tin và Truyền thông",
        years: (2023, 2025),
        reporting: ("yearly", 15, 11),
        table: include_str!("../plans/hcm-3131.tsv"),
        mappings: &[
            ("Sở Thông tin và Truyền thông", &["SO-KHCN"]),
            ("Công an Thành phố", &["CA-PA05"]),
            ("Sở Lao động - Thương binh và Xã hội", &["SO-NV"]),
            ("Các sở, ban, ngành", &["type:department"]),
            ("Ủy ban nhân dân quận, huyện, Thành phố Thủ Đức", WARDS_AND_COMMUNES),
            ("Ủy ban nhân dân quận, huyện, thành phố Thủ Đức", WARDS_AND_COMMUNES),
            ("Các Tổng công ty, công ty trực thuộc Ủy ban nhân dân Thành phố", &["type:state_enterprise"]),
        ],
    },
    DemoPlan {
        number: "HP-ANM/2026",
        issued_on: "2026-03-20",
        issuer: "Ủy ban nhân dân thành phố Hải Phòng",
        title: "Bảo đảm an ninh mạng, bảo mật thông tin và an ninh dữ liệu trong hệ thống chính trị trên địa bàn thành phố",
        legal_basis: "Chỉ thị số 57-CT/TW ngày 31/12/2025 của Ban Bí thư; Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        years: (2026, 2030),
        reporting: ("monthly", 25, 0),
        table: include_str!("../plans/haiphong-2026.tsv"),
        mappings: &[
            ("Công an thành phố", &["CA-PA05"]),
            ("Các sở, ban, ngành", &["type:department"]),
            ("Ủy ban nhân dân xã, phường, đặc khu", WARDS_AND_COMMUNES),
            ("Các doanh nghiệp viễn thông", &["type:it_enterprise"]),
        ],
    },
];

impl DemoPlan {
    /// The table's rows, cells split and their line breaks restored.
    pub fn rows(&self) -> Vec<Vec<String>> {
        self.table
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.split('\t').map(|c| c.replace("\\n", "\n").trim().to_string()).collect())
            .collect()
    }
}
