//! The columns of the systems template: labels, accepted header spellings,
//! and the guidance written into the template.

use super::choices::{Choice, DATA_CATEGORIES, INFRA_SCOPES, SECRET_GRADES, SYSTEM_STATUSES, SYSTEM_TYPES};
use crate::text::fold_header;

/// A column of the systems template, in template order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SystemColumn {
    Code,
    Name,
    OwnerUnitCode,
    SystemType,
    Purpose,
    Status,
    InfoPrivate,
    InfoPersonal,
    AdminProcedures,
    SecretGrade,
    SubjectsBasic,
    SubjectsSensitive,
    OnlineServiceLevel,
    InfraScope,
    DataCategory,
    Hosting,
    Vendor,
    GoLiveDate,
    IpRanges,
    Domains,
    Tags,
}

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Code,
    Text(usize),
    Choice(&'static [Choice]),
    Flag,
    Count,
    Level,
    Date,
    List,
}

impl SystemColumn {
    pub const ALL: [SystemColumn; 21] = [
        SystemColumn::Code,
        SystemColumn::Name,
        SystemColumn::OwnerUnitCode,
        SystemColumn::SystemType,
        SystemColumn::Purpose,
        SystemColumn::Status,
        SystemColumn::InfoPrivate,
        SystemColumn::InfoPersonal,
        SystemColumn::AdminProcedures,
        SystemColumn::SecretGrade,
        SystemColumn::SubjectsBasic,
        SystemColumn::SubjectsSensitive,
        SystemColumn::OnlineServiceLevel,
        SystemColumn::InfraScope,
        SystemColumn::DataCategory,
        SystemColumn::Hosting,
        SystemColumn::Vendor,
        SystemColumn::GoLiveDate,
        SystemColumn::IpRanges,
        SystemColumn::Domains,
        SystemColumn::Tags,
    ];

    /// English key, as the field of [`SystemRow`](super::SystemRow).
    pub fn key(self) -> &'static str {
        use SystemColumn as C;
        match self {
            C::Code => "code",
            C::Name => "name",
            C::OwnerUnitCode => "owner_unit_code",
            C::SystemType => "system_type",
            C::Purpose => "purpose",
            C::Status => "status",
            C::InfoPrivate => "info_private",
            C::InfoPersonal => "info_personal",
            C::AdminProcedures => "admin_procedures",
            C::SecretGrade => "secret_grade",
            C::SubjectsBasic => "subjects_basic",
            C::SubjectsSensitive => "subjects_sensitive",
            C::OnlineServiceLevel => "online_service_level",
            C::InfraScope => "infra_scope",
            C::DataCategory => "data_category",
            C::Hosting => "hosting",
            C::Vendor => "vendor",
            C::GoLiveDate => "go_live_date",
            C::IpRanges => "ip_ranges",
            C::Domains => "domains",
            C::Tags => "tags",
        }
    }

    /// The template's Vietnamese header.
    pub fn label_vi(self) -> &'static str {
        use SystemColumn as C;
        match self {
            C::Code => "Mã hệ thống",
            C::Name => "Tên hệ thống",
            C::OwnerUnitCode => "Mã đơn vị chủ quản",
            C::SystemType => "Loại hệ thống",
            C::Purpose => "Mục đích",
            C::Status => "Trạng thái",
            C::InfoPrivate => "Thông tin riêng",
            C::InfoPersonal => "Dữ liệu cá nhân",
            C::AdminProcedures => "Thủ tục hành chính",
            C::SecretGrade => "Bí mật nhà nước",
            C::SubjectsBasic => "Số chủ thể dữ liệu cơ bản",
            C::SubjectsSensitive => "Số chủ thể dữ liệu nhạy cảm",
            C::OnlineServiceLevel => "Mức độ dịch vụ công trực tuyến",
            C::InfraScope => "Hạ tầng dùng chung",
            C::DataCategory => "Loại dữ liệu",
            C::Hosting => "Nơi đặt",
            C::Vendor => "Nhà cung cấp",
            C::GoLiveDate => "Ngày vận hành",
            C::IpRanges => "Dải IP",
            C::Domains => "Tên miền",
            C::Tags => "Nhãn",
        }
    }

    /// Folded header spellings accepted besides the key and the label.
    fn aliases(self) -> &'static [&'static str] {
        use SystemColumn as C;
        match self {
            C::Code => &["ma", "ma so", "ma httt", "ma he thong thong tin", "system code"],
            C::Name => &["ten", "ten httt", "ten he thong thong tin", "system name"],
            C::OwnerUnitCode => &[
                "ma don vi",
                "ma dv",
                "ma chu quan",
                "ma dv chu quan",
                "ma co quan chu quan",
                "owner code",
                "owner unit",
                "owner unit code",
            ],
            C::SystemType => &["loai", "loai httt", "phan loai he thong", "type", "system type"],
            C::Purpose => &["muc dich su dung", "mo ta", "description"],
            C::Status => &["tinh trang", "trang thai van hanh", "lifecycle"],
            C::InfoPrivate => &["xu ly thong tin rieng", "co thong tin rieng", "private information", "private info"],
            C::InfoPersonal => {
                &["xu ly du lieu ca nhan", "co du lieu ca nhan", "thong tin ca nhan", "personal data", "personal info"]
            }
            C::AdminProcedures => {
                &["tthc", "xu ly thu tuc hanh chinh", "giai quyet thu tuc hanh chinh", "administrative procedures"]
            }
            C::SecretGrade => &["do mat", "bi mat", "xu ly bi mat nha nuoc", "state secret"],
            C::SubjectsBasic => &[
                "so chu the co ban",
                "chu the du lieu co ban",
                "so chu the du lieu ca nhan co ban",
                "basic data subjects",
                "basic subjects",
            ],
            C::SubjectsSensitive => &[
                "so chu the nhay cam",
                "chu the du lieu nhay cam",
                "so chu the du lieu ca nhan nhay cam",
                "sensitive data subjects",
                "sensitive subjects",
            ],
            C::OnlineServiceLevel => &[
                "muc do dich vu cong",
                "muc do dvc",
                "muc do dvctt",
                "muc dvc",
                "dich vu cong truc tuyen",
                "online service level",
            ],
            C::InfraScope => &["pham vi ha tang", "pham vi dung chung", "infrastructure scope"],
            C::DataCategory => &["phan loai du lieu", "data category"],
            C::Hosting => &["noi dat he thong", "vi tri dat", "vi tri", "hosting location"],
            C::Vendor => &["don vi cung cap", "nha thau", "supplier"],
            C::GoLiveDate => &[
                "ngay dua vao van hanh",
                "ngay van hanh chinh thuc",
                "ngay dua vao su dung",
                "go live date",
                "go live",
            ],
            C::IpRanges => &["dai dia chi ip", "dia chi ip", "ip", "ip range", "ip ranges"],
            C::Domains => &["ten mien", "domain", "domain names"],
            C::Tags => &["the", "tag"],
        }
    }

    /// Whether every row must fill this column (and the header must have it).
    pub fn required(self) -> bool {
        use SystemColumn as C;
        matches!(self, C::Code | C::Name | C::OwnerUnitCode | C::SystemType)
    }

    /// The coded values this column accepts, if it is a coded column.
    pub fn choices(self) -> Option<&'static [Choice]> {
        match self.kind() {
            Kind::Choice(c) => Some(c),
            _ => None,
        }
    }

    pub(crate) fn kind(self) -> Kind {
        use SystemColumn as C;
        match self {
            C::Code | C::OwnerUnitCode => Kind::Code,
            C::Name => Kind::Text(super::MAX_SYSTEM_NAME_CHARS),
            C::Purpose => Kind::Text(2000),
            C::Hosting | C::Vendor => Kind::Text(200),
            C::SystemType => Kind::Choice(SYSTEM_TYPES),
            C::Status => Kind::Choice(SYSTEM_STATUSES),
            C::SecretGrade => Kind::Choice(SECRET_GRADES),
            C::InfraScope => Kind::Choice(INFRA_SCOPES),
            C::DataCategory => Kind::Choice(DATA_CATEGORIES),
            C::InfoPrivate | C::InfoPersonal | C::AdminProcedures => Kind::Flag,
            C::SubjectsBasic | C::SubjectsSensitive => Kind::Count,
            C::OnlineServiceLevel => Kind::Level,
            C::GoLiveDate => Kind::Date,
            C::IpRanges | C::Domains | C::Tags => Kind::List,
        }
    }

    /// How to fill the column, for the template's guidance sheet.
    pub(crate) fn guide_vi(self) -> String {
        use SystemColumn as C;
        let choices = |c: &[Choice]| {
            let lines: Vec<String> = c.iter().map(|c| format!("{} — {}", c.code, c.label_vi)).collect();
            format!("Ghi mã hoặc tên tiếng Việt:\n{}", lines.join("\n"))
        };
        match self {
            C::Code => "Mã duy nhất của hệ thống, tối đa 32 ký tự: chữ Latin không dấu, chữ số và . _ - (bắt đầu bằng chữ hoặc số). Không trùng trong tệp.".into(),
            C::Name => "Tên đầy đủ của hệ thống, tối đa 300 ký tự.".into(),
            C::OwnerUnitCode => "Mã của đơn vị chủ quản, đúng như mã đơn vị đã có trong hệ thống Khiên.".into(),
            C::SystemType => format!("{}\n(cũng nhận «Nội bộ», «Dịch vụ công», «Hạ tầng»)", choices(SYSTEM_TYPES)),
            C::Purpose => "Mục đích, chức năng chính; tối đa 2.000 ký tự.".into(),
            C::Status => format!("{}\nĐể trống = planned (Kế hoạch).", choices(SYSTEM_STATUSES)),
            C::InfoPrivate => "Hệ thống có xử lý thông tin riêng? Ghi x (hoặc có, yes, true, 1); để trống (hoặc không, no, false, 0) nếu không.".into(),
            C::InfoPersonal => "Hệ thống có xử lý dữ liệu cá nhân? Ghi x (hoặc có, yes, true, 1); để trống (hoặc không, no, false, 0) nếu không.".into(),
            C::AdminProcedures => "Hệ thống có xử lý thủ tục hành chính? Ghi x (hoặc có, yes, true, 1); để trống (hoặc không, no, false, 0) nếu không.".into(),
            C::SecretGrade => format!("{}\nĐể trống = không xử lý bí mật nhà nước.", choices(SECRET_GRADES)),
            C::SubjectsBasic => "Số chủ thể có dữ liệu cá nhân cơ bản: số nguyên không âm, ví dụ 20000, 20.000 hoặc 20 000. Để trống = 0.".into(),
            C::SubjectsSensitive => "Số chủ thể có dữ liệu cá nhân nhạy cảm: số nguyên không âm, ví dụ 20000, 20.000 hoặc 20 000. Để trống = 0.".into(),
            C::OnlineServiceLevel => "Mức độ dịch vụ công trực tuyến cao nhất: số từ 0 đến 4. Để trống = 0.".into(),
            C::InfraScope => format!("Chỉ với hệ thống cơ sở hạ tầng thông tin.\n{}\nĐể trống = none.", choices(INFRA_SCOPES)),
            C::DataCategory => format!("{}\nĐể trống = other.", choices(DATA_CATEGORIES)),
            C::Hosting => "Nơi đặt hệ thống (trung tâm dữ liệu, phòng máy…), tối đa 200 ký tự.".into(),
            C::Vendor => "Đơn vị cung cấp, phát triển hệ thống, tối đa 200 ký tự.".into(),
            C::GoLiveDate => "Ngày đưa vào vận hành: dd/mm/yyyy (ví dụ 01/07/2025), yyyy-mm-dd hoặc ô kiểu ngày của Excel.".into(),
            C::IpRanges => "Các dải địa chỉ IP dạng CIDR (ví dụ 10.10.1.0/24); nhiều dải cách nhau bằng xuống dòng (Alt+Enter), dấu phẩy hoặc dấu chấm phẩy.".into(),
            C::Domains => "Các tên miền (ví dụ dichvucong.quangninh.gov.vn); nhiều tên miền cách nhau bằng xuống dòng, dấu phẩy hoặc dấu chấm phẩy.".into(),
            C::Tags => "Nhãn tự do để lọc, tìm kiếm; nhiều nhãn cách nhau bằng xuống dòng, dấu phẩy hoặc dấu chấm phẩy.".into(),
        }
    }

    /// Recognises a header cell, case- and diacritic-insensitively.
    pub(crate) fn from_header(header: &str) -> Option<SystemColumn> {
        let h = fold_header(header);
        if h.is_empty() {
            return None;
        }
        SystemColumn::ALL
            .into_iter()
            .find(|c| fold_header(c.key()) == h || fold_header(c.label_vi()) == h || c.aliases().contains(&h.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_names_one_column() {
        for c in SystemColumn::ALL {
            for s in [c.key(), c.label_vi()].into_iter().chain(c.aliases().iter().copied()) {
                let hits: Vec<_> = SystemColumn::ALL
                    .into_iter()
                    .filter(|o| {
                        fold_header(o.key()) == fold_header(s)
                            || fold_header(o.label_vi()) == fold_header(s)
                            || o.aliases().contains(&fold_header(s).as_str())
                    })
                    .collect();
                assert_eq!(hits, vec![c], "{s}");
            }
            for a in c.aliases() {
                assert_eq!(fold_header(a), *a, "aliases are stored folded: {a}");
            }
        }
        assert_eq!(SystemColumn::from_header("MÃ HỆ THỐNG (*)"), Some(SystemColumn::Code));
        assert_eq!(SystemColumn::from_header("Owner_Unit_Code"), Some(SystemColumn::OwnerUnitCode));
        assert_eq!(SystemColumn::from_header("STT"), None);
    }
}
