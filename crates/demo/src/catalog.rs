//! Fixed organisations of the demo city: the root, the standing police body,
//! departments (sở, ban, ngành) and enterprises / service providers.

/// Code of the root unit.
pub(crate) const ROOT_CODE: &str = "TP";
/// Name of the root unit.
pub(crate) const ROOT_NAME: &str = "Ủy ban nhân dân thành phố Hải Đông";
/// Code of the standing body (cơ quan thường trực).
pub const PA05_CODE: &str = "CA-PA05";
/// Name of the standing body.
pub(crate) const PA05_NAME: &str = "Công an thành phố – Phòng An ninh mạng và phòng, chống tội phạm \
     sử dụng công nghệ cao (PA05)";

/// A fixed organisation: `(code, name, unit_type, parent_code)`.
pub(crate) type Org = (&'static str, &'static str, &'static str, &'static str);

/// Departments, parents before children.
#[rustfmt::skip]
pub(crate) const DEPARTMENTS: &[Org] = &[
    ("VP-UBND", "Văn phòng Ủy ban nhân dân thành phố", "department", ROOT_CODE),
    ("VP-HDND", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân thành phố", "department", ROOT_CODE),
    ("SO-NV", "Sở Nội vụ", "department", ROOT_CODE),
    ("SO-TC", "Sở Tài chính", "department", ROOT_CODE),
    ("SO-TP", "Sở Tư pháp", "department", ROOT_CODE),
    ("SO-KHCN", "Sở Khoa học và Công nghệ", "department", ROOT_CODE),
    ("TT-CDS", "Trung tâm Chuyển đổi số thành phố Hải Đông", "department", "SO-KHCN"),
    ("SO-YT", "Sở Y tế", "department", ROOT_CODE),
    ("BV-DK", "Bệnh viện Đa khoa thành phố Hải Đông", "department", "SO-YT"),
    ("TT-KSBT", "Trung tâm Kiểm soát bệnh tật thành phố", "department", "SO-YT"),
    ("SO-GDDT", "Sở Giáo dục và Đào tạo", "department", ROOT_CODE),
    ("SO-XD", "Sở Xây dựng", "department", ROOT_CODE),
    ("SO-CT", "Sở Công Thương", "department", ROOT_CODE),
    ("SO-NNMT", "Sở Nông nghiệp và Môi trường", "department", ROOT_CODE),
    ("SO-VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "department", ROOT_CODE),
    ("SO-DTTG", "Sở Dân tộc và Tôn giáo", "department", ROOT_CODE),
    ("SO-NGV", "Sở Ngoại vụ", "department", ROOT_CODE),
    ("TTR", "Thanh tra thành phố", "department", ROOT_CODE),
    ("BQL-KCN", "Ban Quản lý các khu công nghiệp thành phố", "department", ROOT_CODE),
    ("BQLDA-XD", "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp thành phố", "department", ROOT_CODE),
    ("TT-HCC", "Trung tâm Phục vụ hành chính công thành phố", "department", ROOT_CODE),
    ("DAI-PTTH", "Đài Phát thanh và Truyền hình Hải Đông", "department", ROOT_CODE),
    ("BHXH", "Bảo hiểm xã hội thành phố Hải Đông", "department", ROOT_CODE),
    ("KBNN", "Kho bạc Nhà nước khu vực IV", "department", ROOT_CODE),
    ("THUE", "Thuế thành phố Hải Đông", "department", ROOT_CODE),
];

/// Enterprises and service providers, all directly under the root.
#[rustfmt::skip]
pub(crate) const ENTERPRISES: &[Org] = &[
    ("DN-CAPNUOC", "Công ty TNHH MTV Cấp nước Hải Đông", "state_enterprise", ROOT_CODE),
    ("DN-THOATNUOC", "Công ty TNHH MTV Thoát nước Hải Đông", "state_enterprise", ROOT_CODE),
    ("DN-DIENLUC", "Công ty Điện lực Hải Đông", "state_enterprise", ROOT_CODE),
    ("DN-CANG", "Công ty Cổ phần Cảng Hải Đông", "state_enterprise", ROOT_CODE),
    ("VNPT-HD", "Viễn thông Hải Đông (VNPT)", "it_enterprise", ROOT_CODE),
    ("VIETTEL-HD", "Viettel Hải Đông – Chi nhánh Tập đoàn Công nghiệp – Viễn thông Quân đội", "it_enterprise", ROOT_CODE),
    ("FPT-HD", "Công ty Cổ phần Viễn thông FPT – Chi nhánh Hải Đông", "it_enterprise", ROOT_CODE),
    ("SOC-HD", "Trung tâm Giám sát an toàn không gian mạng Hải Đông", "soc_provider", ROOT_CODE),
    ("KD-PN", "Công ty Cổ phần Kiểm định An toàn thông tin Phương Nam", "assessor", ROOT_CODE),
];
