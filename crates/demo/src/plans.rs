//! The demo city's plans: the task tables of four of the plans in `shared/seeds`, written out
//! from their text as tab-separated rows (HCM 3131's appendix as it stands; Hải Phòng's 2026
//! key tasks, part III, with the units its part V charges; Đồng Tháp's 2022 plan, whose
//! appendix is not in the text, from the duties its part V gives each body; Cần Thơ's 2026
//! plan, from its part III tasks that part VI assigns to a unit), and how the authority of
//! Hải Đông maps the names those plans use onto its own units after the 2025 reform (the
//! Department of Information and Communications merged into Science and Technology, Planning
//! and Investment into Finance; districts gone).

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
/// Departments and the local level together ("Các sở, ngành, địa phương").
const DEPARTMENTS_AND_LOCAL: &[&str] = &["type:department", "type:ward", "type:commune", "type:special_zone"];

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
    DemoPlan {
        // The text's "Số: /KH-UBND" and "ngày tháng năm 2022" are blank: a demo number, and a day
        // between QĐ 964 (10/8/2022) and the 10/11/2022 deadline the plan sets for units' plans.
        number: "DT-ANM/2022",
        issued_on: "2022-10-14",
        issuer: "Ủy ban nhân dân tỉnh Đồng Tháp",
        title: "Triển khai thực hiện Chiến lược An toàn, An ninh mạng quốc gia, chủ động ứng phó với các thách thức từ không gian mạng đến năm 2025, tầm nhìn 2030 trên địa bàn Tỉnh",
        legal_basis: "Quyết định số 964/QĐ-TTg ngày 10/8/2022 của Thủ tướng Chính phủ",
        years: (2022, 2025),
        // Part V says units report "hàng năm hoặc đột xuất" as Công an Tỉnh and the Department
        // of Information and Communications direct, with no day: HCM 3131's 15 November.
        reporting: ("yearly", 15, 11),
        table: include_str!("../plans/dongthap-2022.tsv"),
        mappings: &[
            ("Công an Tỉnh", &["CA-PA05"]),
            ("Sở Thông tin và Truyền thông", &["SO-KHCN"]),
            ("Sở Khoa học và Công nghệ", &["SO-KHCN"]),
            ("Sở Nội vụ", &["SO-NV"]),
            ("Sở Tài chính", &["SO-TC"]),
            ("Sở Kế hoạch và Đầu tư", &["SO-TC"]),
            ("Các sở, ngành", &["type:department"]),
            ("Các cơ quan, đơn vị còn lại", &["type:department"]),
            ("Ủy ban nhân dân huyện, thành phố", WARDS_AND_COMMUNES),
            ("Các sở, ngành, địa phương", DEPARTMENTS_AND_LOCAL),
            ("Các doanh nghiệp nhà nước", &["type:state_enterprise"]),
            ("Các doanh nghiệp viễn thông, Internet, doanh nghiệp chủ quản nền tảng số", &["type:it_enterprise"]),
        ],
    },
    DemoPlan {
        // "Số: /KH-UBND", "ngày tháng 5 năm 2026": a demo number, a day in May.
        number: "CT-57/2026",
        issued_on: "2026-05-12",
        issuer: "Ủy ban nhân dân thành phố Cần Thơ",
        title: "Thực hiện Chương trình số 17-CTr/TU ngày 21/3/2026 của Ban Thường vụ Thành ủy về thực hiện Chỉ thị số 57-CT/TW ngày 31/12/2025 của Ban Bí thư về tăng cường bảo đảm an ninh mạng, bảo mật thông tin, an ninh dữ liệu trong hệ thống chính trị",
        legal_basis: "Chương trình số 17-CTr/TU ngày 21/3/2026 của Ban Thường vụ Thành ủy; Chỉ thị số 57-CT/TW ngày 31/12/2025 của Ban Bí thư; Kế hoạch số 04-KH/BCĐTW ngày 05/01/2026 của Ban Chỉ đạo Trung ương",
        years: (2026, 2030),
        // Part VI.1.c: yearly, to the People's Committee through the city police, by 15 November.
        reporting: ("yearly", 15, 11),
        table: include_str!("../plans/cantho-2026.tsv"),
        mappings: &[
            ("Công an thành phố", &["CA-PA05"]),
            ("Sở Khoa học và Công nghệ", &["SO-KHCN"]),
            ("Sở Giáo dục và Đào tạo", &["SO-GDDT"]),
            ("Sở Tài chính", &["SO-TC"]),
            ("Sở Văn hóa, Thể thao và Du lịch", &["SO-VHTTDL"]),
            ("Văn phòng Ủy ban nhân dân thành phố", &["VP-UBND"]),
            ("Sở, ban, ngành thành phố", &["type:department"]),
            ("Ủy ban nhân dân xã, phường", WARDS_AND_COMMUNES),
            ("Các cơ quan chủ quản cơ sở dữ liệu, hệ thống thông tin", DEPARTMENTS_AND_LOCAL),
            ("Các doanh nghiệp viễn thông, công nghệ thông tin trên địa bàn thành phố", &["type:it_enterprise"]),
            ("Các doanh nghiệp cung cấp dịch vụ viễn thông, Internet trên địa bàn thành phố", &["type:it_enterprise"]),
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
