//! Round trips and the accepted input shapes.

use super::sample_rows;
use crate::units::{parse_units, write_units_csv, write_units_xlsx, UnitRow};

fn unit(code: &str, name: &str, unit_type: &str, parent: Option<&str>) -> UnitRow {
    UnitRow {
        code: code.into(),
        name: name.into(),
        unit_type: unit_type.into(),
        parent_code: parent.map(Into::into),
        head_name: None,
        focal_name: None,
        focal_phone: None,
        focal_email: None,
    }
}

#[test]
fn xlsx_round_trip() {
    let rows = sample_rows();
    let bytes = write_units_xlsx(&rows).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    assert_eq!(parse_units("don_vi.xlsx", &bytes).unwrap(), rows);
    // Sniffed without an extension too.
    assert_eq!(parse_units("download", &bytes).unwrap(), rows);
}

#[test]
fn csv_round_trip() {
    let rows = sample_rows();
    let bytes = write_units_csv(&rows).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM so Excel reads UTF-8");
    assert_eq!(parse_units("don_vi.CSV", &bytes).unwrap(), rows);
    assert_eq!(parse_units("don_vi", &bytes).unwrap(), rows);
}

#[test]
fn json_round_trip() {
    let rows = sample_rows();
    let bytes = serde_json::to_vec_pretty(&rows).unwrap();
    assert_eq!(parse_units("units.Json", &bytes).unwrap(), rows);
    assert_eq!(parse_units("units.txt", &bytes).unwrap(), rows);
}

#[test]
fn empty_lists_round_trip() {
    let xlsx = write_units_xlsx(&[]).unwrap();
    assert_eq!(parse_units("a.xlsx", &xlsx).unwrap(), vec![]);
    let csv = write_units_csv(&[]).unwrap();
    assert_eq!(parse_units("a.csv", &csv).unwrap(), vec![]);
    assert_eq!(parse_units("a.json", b"[]").unwrap(), vec![]);
}

#[test]
fn semicolon_csv_with_bom_and_labels() {
    // As Excel in a Vietnamese locale saves "CSV UTF-8".
    let text = "\u{feff}Mã đơn vị;Tên đơn vị;Loại đơn vị;Mã đơn vị cấp trên;Email\r\n\
                 22;Tỉnh Quảng Ninh;Tỉnh;;\r\n\
                 07090;Phường Đông Hải;Phường;22;ubnd@donghai.gov.vn\r\n\
                 SO-KHCN;\"Sở Khoa học; Công nghệ\";Sở, Ban, Ngành;22;\r\n";
    let rows = parse_units("ds.csv", text.as_bytes()).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], unit("22", "Tỉnh Quảng Ninh", "province", None));
    assert_eq!(rows[1].unit_type, "ward");
    assert_eq!(rows[1].focal_email.as_deref(), Some("ubnd@donghai.gov.vn"));
    assert_eq!(rows[2].name, "Sở Khoa học; Công nghệ");
    assert_eq!(rows[2].unit_type, "department");
}

#[test]
fn headers_in_any_case_and_language() {
    let text = "STT,MA,TEN DON VI,loai,Parent_Code,Thu truong,Dau moi ATTT,So dien thoai,E-mail,Ghi chú\n\
                1,01,Thành phố Hà Nội,thanh pho truc thuoc tw,,Ông A,Bà B,024 3825 1234,a@hanoi.gov.vn,note\n";
    let rows = parse_units("x.csv", text.as_bytes()).unwrap();
    let r = &rows[0];
    assert_eq!((r.code.as_str(), r.unit_type.as_str()), ("01", "city"));
    assert_eq!(r.head_name.as_deref(), Some("Ông A"));
    assert_eq!(r.focal_name.as_deref(), Some("Bà B"));
    assert_eq!(r.focal_phone.as_deref(), Some("024 3825 1234"));
    assert_eq!(r.focal_email.as_deref(), Some("a@hanoi.gov.vn"));

    let en = "code\tname\ttype\tparent_code\nA1\tPhường Ba Đình\tWard\t01\n";
    let rows = parse_units("x.tsv", en.as_bytes()).unwrap();
    assert_eq!(rows, vec![unit("A1", "Phường Ba Đình", "ward", Some("01"))]);
}

#[test]
fn names_are_nfc_and_trimmed() {
    // "Phường" typed in decomposed form (macOS), padded, line break inside.
    let text = "code,name,type\nP1,\"  Phu\u{031b}o\u{031b}\u{0300}ng \n Đông Hải \",ward\n";
    let rows = parse_units("x.csv", text.as_bytes()).unwrap();
    assert_eq!(rows[0].name, "Phường Đông Hải");
}

#[test]
fn title_rows_and_blank_lines_keep_excel_row_numbers() {
    // Row 1 title, row 2 blank, row 3 header, row 4 data, row 5 blank, row 6 bad.
    let text = "DANH SÁCH ĐƠN VỊ,,\n\ncode,name,type\nA,Xã A,commune\n\nB,Xã B,xyz\n";
    let e = parse_units("t.csv", text.as_bytes()).unwrap_err();
    assert_eq!(*e.location(), crate::Location::Row(6), "{e}");
    // A quoted line break counts as one row, as in Excel.
    let text = "code,name,type\nA,\"Xã\nA\",commune\nB,Xã B,xyz\n";
    let e = parse_units("t.csv", text.as_bytes()).unwrap_err();
    assert_eq!(*e.location(), crate::Location::Row(3), "{e}");
}

#[test]
fn xlsx_typed_cells_and_title_rows() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "DANH SÁCH ĐƠN VỊ").unwrap();
    s.write_string(2, 1, "Mã").unwrap();
    s.write_string(2, 2, "Tên").unwrap();
    s.write_string(2, 3, "Loại").unwrap();
    s.write_string(2, 4, "Điện thoại").unwrap();
    // Numbers where people type codes and phones.
    s.write_number(3, 1, 101.0).unwrap();
    s.write_string(3, 2, "Xã Một").unwrap();
    s.write_string(3, 3, "Xã").unwrap();
    s.write_number(3, 4, 912345678.0).unwrap();
    let rows = parse_units("t.xlsx", &book.save_to_buffer().unwrap()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].code, "101");
    assert_eq!(rows[0].focal_phone.as_deref(), Some("912345678"));
}

#[test]
fn province_list_csv_shape() {
    let text = "Stt,Mã số,Tên 34 tỉnh sau sáp nhập\n1,01,Thành phố Hà Nội\n2,04,Cao Bằng\n";
    let rows = parse_units("915_CTK-CSCL_34_provinces.csv", text.as_bytes()).unwrap();
    assert_eq!(rows, vec![unit("01", "Thành phố Hà Nội", "city", None), unit("04", "Cao Bằng", "province", None)]);
}

#[test]
fn official_json_shape() {
    let json = r#"[{"Type":"province","Code":"31","Name":"Hải Phòng","FullName":"Thành phố Hải Phòng",
        "AdministrativeUnitShortName":"Thành phố","Wards":[
          {"Type":"ward","Code":"11311","FullName":"Phường Hồng Bàng","ProvinceCode":"31","AdministrativeUnitShortName":"Phường"},
          {"Type":"ward","Code":"11506","FullName":"Đặc khu Cát Hải","ProvinceCode":"31","AdministrativeUnitShortName":"Đặc khu"},
          {"Type":"ward","Code":"11383","FullName":"Xã An Hưng","ProvinceCode":"31","AdministrativeUnitShortName":"Xã"}]},
        {"Type":"province","Code":"04","FullName":"Tỉnh Cao Bằng","AdministrativeUnitShortName":"Tỉnh"}]"#;
    let rows = parse_units("vn.json", json.as_bytes()).unwrap();
    let got: Vec<(&str, &str, &str, Option<&str>)> = rows
        .iter()
        .map(|r| (r.code.as_str(), r.name.as_str(), r.unit_type.as_str(), r.parent_code.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("31", "Thành phố Hải Phòng", "city", None),
            ("11311", "Phường Hồng Bàng", "ward", Some("31")),
            ("11506", "Đặc khu Cát Hải", "special_zone", Some("31")),
            ("11383", "Xã An Hưng", "commune", Some("31")),
            ("04", "Tỉnh Cao Bằng", "province", None),
        ]
    );
}

#[test]
fn template_json_accepts_type_key_numbers_and_nulls() {
    let json = r#"[{"code": 7, "name": "Xã Bảy", "type": "Xã", "parent_code": null, "focal_phone": 912345678}]"#;
    let rows = parse_units("u.json", json.as_bytes()).unwrap();
    assert_eq!(rows[0].code, "7");
    assert_eq!(rows[0].unit_type, "commune");
    assert_eq!(rows[0].parent_code, None);
    assert_eq!(rows[0].focal_phone.as_deref(), Some("912345678"));
}

#[test]
fn export_writes_the_template_headers() {
    let csv = write_units_csv(&sample_rows()).unwrap();
    let text = std::str::from_utf8(&csv).unwrap();
    assert!(text.starts_with(
        "\u{feff}Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Thủ trưởng,Đầu mối ATTT,Điện thoại,Email\r\n"
    ));
}

#[test]
fn csv_export_defuses_formulas() {
    let mut row = unit("A", "=HYPERLINK(\"http://x\")", "other", None);
    row.focal_phone = Some("+84 912 345 678".into());
    row.head_name = Some("@SUM(A1)".into());
    let text = String::from_utf8(write_units_csv(&[row]).unwrap()).unwrap();
    assert!(text.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","), "{text}");
    assert!(text.contains(",'@SUM(A1),"), "{text}");
    assert!(text.contains(",+84 912 345 678,"), "{text}");
}
