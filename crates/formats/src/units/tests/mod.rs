//! Unit tests of the units import/export. Shared helpers live here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod errors;
mod formats;
mod real_files;
mod robustness;

use super::UnitRow;

/// A varied list: every unit type, Vietnamese names, optional fields set
/// and unset, parents inside the list.
pub(super) fn sample_rows() -> Vec<UnitRow> {
    let names = [
        ("01", "Thành phố Hà Nội", "city", None),
        ("22", "Tỉnh Quảng Ninh", "province", None),
        ("CA-22", "Công an tỉnh Quảng Ninh", "police", Some("22")),
        ("SO-KHCN", "Sở Khoa học và Công nghệ", "department", Some("22")),
        ("07090", "Phường Đông Hải", "ward", Some("22")),
        ("07111", "Xã Quảng Đức", "commune", Some("22")),
        ("07192", "Đặc khu Vân Đồn", "special_zone", Some("22")),
        ("EVN.QN", "Công ty Điện lực Quảng Ninh", "state_enterprise", None),
        ("VNPT_QN", "VNPT Quảng Ninh – Trung tâm Điều hành thông tin", "it_enterprise", None),
        ("SOC-01", "Trung tâm Giám sát an toàn không gian mạng", "soc_provider", None),
        ("DG.01", "Tổ chức đánh giá “An toàn số”", "assessor", Some("01")),
        ("X9", "Đơn vị khác: Ban quản lý dự án, \"Khu kinh tế\"; số 2", "other", Some("NOT-IN-FILE")),
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, (code, name, unit_type, parent))| {
            let full = i % 2 == 0;
            UnitRow {
                code: code.to_string(),
                name: name.to_string(),
                unit_type: unit_type.to_string(),
                parent_code: parent.map(str::to_string),
                head_name: full.then(|| format!("Nguyễn Văn Thủ {i}")),
                focal_name: (i % 3 != 0).then(|| format!("Trần Thị Đầu Mối {i}")),
                focal_phone: full.then(|| format!("+84 912 345 {i:03}")),
                focal_email: (i % 3 != 1).then(|| format!("dau.moi{i}@sokhcn.quangninh.gov.vn")),
            }
        })
        .collect()
}

/// Path of a file in the shared data folder, or `None` (with the plain
/// notice) when the folder is absent.
pub(super) fn shared_file(name: &str) -> Option<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/vn-admin");
    if !dir.is_dir() {
        println!("shared data folder absent: skipping");
        return None;
    }
    Some(std::fs::read(dir.join(name)).unwrap())
}
