//! The official files in the shared data folder.

use std::collections::{HashMap, HashSet};

use super::shared_file;
use crate::units::{parse_units, write_units_csv, write_units_xlsx};

const JSON: &str = "vn_units_34_provinces_3321_wards.json";
const CSV: &str = "915_CTK-CSCL_34_provinces.csv";

#[test]
fn official_units_json() {
    let Some(bytes) = shared_file(JSON) else {
        return;
    };
    let rows = parse_units(JSON, &bytes).unwrap();
    assert_eq!(rows.len(), 3_355);
    let count = |t: &str| rows.iter().filter(|r| r.unit_type == t).count();
    assert_eq!(count("city") + count("province"), 34);
    assert_eq!(count("ward") + count("commune") + count("special_zone"), 3_321);
    // As published: 7 cities, 697 wards, 2,611 communes, 13 special zones.
    assert_eq!(
        (count("city"), count("province"), count("ward"), count("commune"), count("special_zone")),
        (7, 27, 697, 2_611, 13)
    );
    let codes: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes.len(), rows.len(), "codes are unique");

    let by_name: HashMap<&str, _> = rows.iter().map(|r| (r.name.as_str(), r)).collect();
    let ba_dinh = by_name["Phường Ba Đình"];
    assert_eq!((ba_dinh.code.as_str(), ba_dinh.parent_code.as_deref()), ("00004", Some("01")));
    assert_eq!(by_name["Thành phố Hà Nội"].unit_type, "city");
    assert_eq!(by_name["Tỉnh Cao Bằng"].unit_type, "province");
    assert_eq!(by_name["Đặc khu Phú Quốc"].unit_type, "special_zone");
    // Every ward hangs under one of the 34 provinces.
    let provinces: HashSet<&str> = rows.iter().filter(|r| r.parent_code.is_none()).map(|r| r.code.as_str()).collect();
    assert_eq!(provinces.len(), 34);
    assert!(rows.iter().filter_map(|r| r.parent_code.as_deref()).all(|p| provinces.contains(p)));

    // The whole country survives our own export formats.
    let xlsx = write_units_xlsx(&rows).unwrap();
    assert_eq!(parse_units("ca_nuoc.xlsx", &xlsx).unwrap(), rows);
    let csv = write_units_csv(&rows).unwrap();
    assert_eq!(parse_units("ca_nuoc.csv", &csv).unwrap(), rows);
}

#[test]
fn official_province_csv() {
    let Some(bytes) = shared_file(CSV) else {
        return;
    };
    let rows = parse_units(CSV, &bytes).unwrap();
    assert_eq!(rows.len(), 34);
    let codes: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes.len(), 34);
    assert!(rows.iter().all(|r| r.parent_code.is_none()));
    assert_eq!(rows[0].code, "01");
    assert_eq!(rows[0].name, "Thành phố Hà Nội");
    assert_eq!(rows[0].unit_type, "city");
    assert_eq!(
        (rows[1].code.as_str(), rows[1].name.as_str(), rows[1].unit_type.as_str()),
        ("04", "Cao Bằng", "province")
    );
    let cities: Vec<&str> = rows.iter().filter(|r| r.unit_type == "city").map(|r| r.code.as_str()).collect();
    assert_eq!(cities, ["01", "31", "46", "48", "79", "92"]);

    // Same 34 codes as the JSON list.
    let Some(json) = shared_file(JSON) else {
        return;
    };
    let json_codes: HashSet<String> =
        parse_units(JSON, &json).unwrap().into_iter().filter(|r| r.parent_code.is_none()).map(|r| r.code).collect();
    assert_eq!(codes, json_codes.iter().map(String::as_str).collect());
}
