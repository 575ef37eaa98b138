//! Wards, communes and special zones of the demo city. After the 2025
//! two-tier local-government reform there are no districts: every
//! commune-level unit sits directly under the city.

use std::collections::HashSet;

use crate::rng::SplitMix64;
use crate::text::code_slug;

/// Target number of wards (phường).
pub(crate) const WARD_COUNT: usize = 60;
/// Target number of communes (xã).
pub(crate) const COMMUNE_COUNT: usize = 55;

/// Hand-picked ward names (historical figures, old quarters, landmarks).
const WARDS: &[&str] = &[
    "Hồng Bàng",
    "Lê Chân",
    "Ngô Quyền",
    "Hải An",
    "Kiến An",
    "Đồ Sơn",
    "Dương Kinh",
    "Lê Lợi",
    "Trần Phú",
    "Quang Trung",
    "Lạch Tray",
    "Cầu Đất",
    "Máy Tơ",
    "Đằng Giang",
    "Gia Viên",
    "An Biên",
    "Hàng Kênh",
    "Cát Bi",
    "Đông Hải",
    "Thành Tô",
    "Tràng Cát",
    "Nam Hải",
    "Bạch Đằng",
    "Lãm Hà",
    "Đồng Hòa",
    "Hưng Đạo",
    "Ngọc Sơn",
    "Minh Đức",
    "Hòa Nghĩa",
    "Vạn Hương",
];

/// Hand-picked commune names.
const COMMUNES: &[&str] = &[
    "An Lão",
    "Tiên Lãng",
    "Vĩnh Bảo",
    "Kiến Thụy",
    "Thủy Nguyên",
    "An Dương",
    "Quyết Thắng",
    "Tân Trào",
    "Đoàn Lập",
    "Chấn Hưng",
    "Hùng Thắng",
    "Vinh Quang",
    "Cấp Tiến",
    "Kiến Hưng",
    "Nam Sơn",
    "Tân Phong",
    "Đại Hợp",
    "Ngũ Lão",
    "Lập Lễ",
    "Thiên Hương",
    "Kênh Giang",
    "Lưu Kiếm",
    "Hoa Động",
    "Trường Tân",
    "Cổ Am",
];

/// Special zones (đặc khu) — the offshore islands.
pub(crate) const SPECIAL_ZONES: &[&str] = &["Cát Hải", "Bạch Long Vĩ"];

/// First syllables of generated Sino-Vietnamese place names.
const FIRST: &[&str] = &[
    "An",
    "Bình",
    "Hòa",
    "Phú",
    "Tân",
    "Vĩnh",
    "Hưng",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Quang",
    "Minh",
    "Thái",
    "Thủy",
    "Kiến",
    "Tiên",
    "Hải",
    "Cát",
    "Đại",
    "Hồng",
    "Trường",
    "Lạc",
    "Mỹ",
    "Thượng",
    "Trung",
    "Ngọc",
    "Phúc",
];

/// Second syllables of generated place names.
const SECOND: &[&str] = &[
    "An", "Bình", "Hòa", "Phú", "Thịnh", "Hưng", "Long", "Thành", "Hải", "Sơn", "Lợi", "Phúc", "Lộc", "Thuận", "Xuân",
    "Trung", "Nghĩa", "Đức", "Hợp", "Tiến", "Hiệp", "Khánh", "Hà", "Dương", "Lâm", "Đồng", "Châu", "Tân", "Lập",
    "Phong",
];

/// Names that must never be generated (the city itself, famous places elsewhere).
#[rustfmt::skip]
const RESERVED: &[&str] = &[
    "Hải Đông", "Hải Dương", "Hải Phong", "Hạ Long", "Vĩnh Long", "Vĩnh Phúc", "Hòa Bình",
    "Thái Bình", "Bình Dương", "Đông Hà", "Tân An",
];

/// Base names (without "Phường"/"Xã"/"Đặc khu") of the wards, communes
/// and special zones, unique across all three kinds and by ASCII code.
pub(crate) struct PlaceNames {
    pub(crate) wards: Vec<String>,
    pub(crate) communes: Vec<String>,
    pub(crate) special_zones: Vec<String>,
}

/// Deterministically builds the place names: the hand-picked ones first,
/// then generated two-syllable names until the targets are reached.
pub(crate) fn place_names(seed: u64) -> PlaceNames {
    let mut rng = SplitMix64::new(seed);
    // Codes of every fixed and reserved name, so generated names never clash.
    let mut used: HashSet<String> =
        WARDS.iter().chain(COMMUNES).chain(SPECIAL_ZONES).chain(RESERVED).map(|n| code_slug(n)).collect();
    let wards = with_generated(WARDS, WARD_COUNT, &mut used, &mut rng);
    let communes = with_generated(COMMUNES, COMMUNE_COUNT, &mut used, &mut rng);
    PlaceNames { wards, communes, special_zones: SPECIAL_ZONES.iter().map(|s| (*s).to_owned()).collect() }
}

fn with_generated(fixed: &[&str], target: usize, used: &mut HashSet<String>, rng: &mut SplitMix64) -> Vec<String> {
    let mut out: Vec<String> = fixed.iter().map(|s| (*s).to_owned()).collect();
    let mut attempts = 0u32;
    while out.len() < target && attempts < 100_000 {
        attempts += 1;
        let (Some(a), Some(b)) = (rng.pick(FIRST), rng.pick(SECOND)) else {
            break;
        };
        if a == b {
            continue;
        }
        let name = format!("{a} {b}");
        if used.insert(code_slug(&name)) {
            out.push(name);
        }
    }
    out
}
