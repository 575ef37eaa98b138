//! Every error kind, with the row/item and the column/field it names.

use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::units::parse_units;

const HEAD: &str = "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Điện thoại,Email\n";

/// Parses a template CSV made of HEAD and the given data lines.
fn csv_err(lines: &[&str]) -> ImportError {
    let text = format!("{HEAD}{}\n", lines.join("\n"));
    parse_units("units.csv", text.as_bytes()).unwrap_err()
}

fn at(e: &ImportError, row: usize, field: Option<&str>) {
    assert_eq!(*e.location(), Location::Row(row), "{e}");
    assert_eq!(e.field(), field, "{e}");
}

#[test]
fn invalid_unit_type_message_in_both_languages() {
    let text = "Mã đơn vị,Tên đơn vị,Loại đơn vị\n\
                A1,Xã Một,Xã\nA2,Xã Hai,Xã\nA3,Xã Ba,Xã\nA4,Xã Bốn,Xã\nA5,Xã Năm,Xã\nA6,Xã Sáu,abc\n";
    let e = parse_units("units.csv", text.as_bytes()).unwrap_err();
    assert_eq!(e.message_vi(), "Tệp units.csv, dòng 7, cột «Loại đơn vị»: giá trị «abc» không phải loại đơn vị hợp lệ");
    assert_eq!(e.message_en(), "File units.csv, row 7, column «Loại đơn vị»: «abc» is not a valid unit type");
    assert_eq!(e.to_string(), e.message_en());
    let _: &dyn std::error::Error = &e;
}

#[test]
fn missing_and_duplicate_columns() {
    let e = parse_units("u.csv", "Mã đơn vị,Tên đơn vị\nA,Xã A\n".as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::MissingColumn { label_vi: "Loại đơn vị", key: "unit_type" });
    assert_eq!(*e.location(), Location::Row(1));
    assert!(e.message_vi().contains("thiếu cột bắt buộc «Loại đơn vị»"), "{}", e.message_vi());
    assert!(e.message_en().contains("required column «Loại đơn vị» (unit_type) is missing"));

    let e = parse_units("u.csv", "code,Tên,type,name\nA,Xã A,Xã,Xã A\n".as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::DuplicateColumn { first: "Tên".into() });
    at(&e, 1, Some("name"));

    let e = parse_units("u.csv", "\n\n".as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::EmptyFile);
    let e = parse_units("u.csv", ",,\n,,\n".as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::NoHeader);
}

#[test]
fn code_errors() {
    let e = csv_err(&["A,Xã A,Xã,,,", ",Xã B,Xã,,,"]);
    assert_eq!(*e.kind(), K::Required);
    at(&e, 3, Some("Mã đơn vị"));

    let long = "A".repeat(33);
    let e = csv_err(&[&format!("{long},Xã A,Xã,,,")]);
    assert_eq!(*e.kind(), K::TooLong { max: 32, actual: 33 });
    at(&e, 2, Some("Mã đơn vị"));

    let e = csv_err(&["XÃ01,Xã A,Xã,,,"]);
    assert_eq!(*e.kind(), K::InvalidCode { value: "XÃ01".into(), ch: 'Ã' });
    at(&e, 2, Some("Mã đơn vị"));

    let e = csv_err(&["-A1,Xã A,Xã,,,"]);
    assert_eq!(*e.kind(), K::CodeStart { value: "-A1".into() });

    let e = csv_err(&["A,Xã A,Xã,B C,,"]);
    assert_eq!(*e.kind(), K::InvalidCode { value: "B C".into(), ch: ' ' });
    at(&e, 2, Some("Mã đơn vị cấp trên"));
}

#[test]
fn duplicate_codes_name_both_rows() {
    let e = csv_err(&["abc,Xã A,Xã,,,", "B,Xã B,Xã,,,", "ABC,Xã C,Xã,,,"]);
    assert_eq!(*e.kind(), K::DuplicateCode { code: "ABC".into(), first: Location::Row(2) });
    at(&e, 4, Some("Mã đơn vị"));
    assert_eq!(e.message_vi(), "Tệp units.csv, dòng 4, cột «Mã đơn vị»: mã «ABC» bị trùng với dòng 2");
    assert_eq!(e.message_en(), "File units.csv, row 4, column «Mã đơn vị»: code «ABC» duplicates row 2");
}

#[test]
fn parent_rules() {
    // A parent outside the file is the caller's business.
    let text = format!("{HEAD}A,Xã A,Xã,UNKNOWN,,\n");
    assert!(parse_units("u.csv", text.as_bytes()).is_ok());
    let e = csv_err(&["A,Xã A,Xã,a,,"]);
    assert_eq!(*e.kind(), K::SelfParent { code: "A".into() });
    at(&e, 2, Some("Mã đơn vị cấp trên"));
}

#[test]
fn name_errors() {
    let e = csv_err(&["A,,Xã,,,"]);
    assert_eq!(*e.kind(), K::Required);
    at(&e, 2, Some("Tên đơn vị"));

    let long = "Đ".repeat(201);
    let e = csv_err(&[&format!("A,{long},Xã,,,")]);
    assert_eq!(*e.kind(), K::TooLong { max: 200, actual: 201 });
    at(&e, 2, Some("Tên đơn vị"));

    let e = csv_err(&["A,\"=HYPERLINK(\"\"http://x\"\")\",Xã,,,"]);
    assert!(matches!(e.kind(), K::FormulaLike { .. }), "{e}");

    let e = csv_err(&["A,Xã\u{7}A,Xã,,,"]);
    assert!(matches!(e.kind(), K::ControlChar { .. }), "{e}");
    at(&e, 2, Some("Tên đơn vị"));

    let e = csv_err(&["A,Xã A,,,,"]);
    assert_eq!(*e.kind(), K::Required);
    at(&e, 2, Some("Loại đơn vị"));
}

#[test]
fn contact_errors() {
    let e = csv_err(&["A,Xã A,Xã,,,dau moi@x.vn"]);
    assert_eq!(*e.kind(), K::InvalidEmail { value: "dau moi@x.vn".into() });
    at(&e, 2, Some("Email"));
    assert_eq!(e.message_en(), "File units.csv, row 2, column «Email»: «dau moi@x.vn» is not a valid e-mail address");

    let e = csv_err(&["A,Xã A,Xã,,gọi anh Ba,"]);
    assert_eq!(*e.kind(), K::InvalidPhone { value: "gọi anh Ba".into() });
    at(&e, 2, Some("Điện thoại"));
}

#[test]
fn csv_structure_errors() {
    // An unquoted comma shifts the row one column right.
    let e = csv_err(&["A,Sở Khoa học, Công nghệ,Sở,,0912345678,a@b.vn"]);
    assert_eq!(*e.kind(), K::CellOutsideHeader { column: "G".into() });
    assert_eq!(*e.location(), Location::Row(2));

    let e = csv_err(&["A,Xã A,Xã,,,", "B,\"Xã B,Xã,,,", "C,Xã C,Xã,,,"]);
    assert_eq!(*e.kind(), K::UnclosedQuote);
    assert_eq!(*e.location(), Location::Line(3));

    let mut latin1 = format!("{HEAD}A,Xa A,Xa,,,\n").into_bytes();
    latin1.extend_from_slice(b"B,X\xE3 B,X\xE3,,,\n");
    let e = parse_units("u.csv", &latin1).unwrap_err();
    assert_eq!(*e.kind(), K::NotUtf8);
    assert_eq!(*e.location(), Location::Line(3));

    let e = parse_units("u.csv", b"\xFF\xFEc\x00o\x00").unwrap_err();
    assert_eq!(*e.kind(), K::NotUtf8);
}

#[test]
fn json_errors() {
    let e = parse_units("u.json", b"[\n {\"code\": \"A\",\n  \"name\": }\n]").unwrap_err();
    assert!(matches!(e.kind(), K::MalformedJson(_)), "{e}");
    assert_eq!(*e.location(), Location::LineColumn { line: 3, column: 11 });
    assert!(!e.message_en().contains("at line"), "{e}");

    let e = parse_units("u.json", br#"{"code": "A"}"#).unwrap_err();
    assert_eq!(*e.kind(), K::JsonNotArray);

    let e = parse_units("u.json", r#"[{"code":"A","name":"Xã A","type":"Xã"}, 5]"#.as_bytes()).unwrap_err();
    assert_eq!((e.kind().clone(), e.location().clone()), (K::JsonNotObject, Location::Item("[1]".into())));

    let e =
        parse_units("u.json", r#"[{"code":"A","name":"Xã A","type":"Xã","parentcode":"B"}]"#.as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::UnknownJsonField);
    assert_eq!(e.field(), Some("parentcode"));
    assert!(e.message_vi().starts_with("Tệp u.json, phần tử [0], trường «parentcode»: "), "{}", e.message_vi());

    let e = parse_units("u.json", r#"[{"code":"A","name":["Xã A"],"type":"Xã"}]"#.as_bytes()).unwrap_err();
    assert_eq!((e.kind().clone(), e.field()), (K::JsonNotText, Some("name")));

    let e =
        parse_units("u.json", r#"[{"code":"A","name":"Xã A","type":"Xã","unit_type":"Xã"}]"#.as_bytes()).unwrap_err();
    assert!(matches!(e.kind(), K::DuplicateColumn { .. }), "{e}");

    let e = parse_units("u.json", r#"[{"code":"A","name":"Xã A","type":"Xã"},{"code":"B","type":"Xã"}]"#.as_bytes())
        .unwrap_err();
    assert_eq!((e.kind().clone(), e.location().clone()), (K::Required, Location::Item("[1]".into())));
    assert_eq!(e.field(), Some("name"));
}

#[test]
fn official_json_errors() {
    let e = parse_units(
        "vn.json",
        r#"[{"Code":"31","FullName":"Thành phố Hải Phòng","AdministrativeUnitShortName":"Thành phố",
            "Wards":[{"Code":"1","FullName":"Phường A","ProvinceCode":"31","AdministrativeUnitShortName":"Phường"},
                     {"Code":"2","FullName":"Phường B","ProvinceCode":"01","AdministrativeUnitShortName":"Phường"}]}]"#
            .as_bytes(),
    )
    .unwrap_err();
    assert_eq!(*e.kind(), K::ParentMismatch { expected: "31".into(), found: "01".into() });
    assert_eq!(*e.location(), Location::Item("[0].Wards[1]".into()));
    assert_eq!(e.field(), Some("ProvinceCode"));

    let e = parse_units(
        "vn.json",
        r#"[{"Code":"31","FullName":"Thành phố Hải Phòng","Wards":[{"Code":"1","FullName":"Phường A","AdministrativeUnitShortName":"Tỉnh"}]}]"#
            .as_bytes(),
    )
    .unwrap_err();
    assert_eq!(*e.kind(), K::InvalidUnitType { value: "Tỉnh".into() });
    assert_eq!(e.field(), Some("AdministrativeUnitShortName"));

    let e = parse_units("vn.json", r#"[{"Code":"31","FullName":"X","Wards":{}}]"#.as_bytes()).unwrap_err();
    assert_eq!((e.kind().clone(), e.field()), (K::JsonExpectedArray, Some("Wards")));
}

#[test]
fn file_level_errors() {
    let e = parse_units("u.csv", b"").unwrap_err();
    assert_eq!((e.kind().clone(), e.location().clone()), (K::EmptyFile, Location::File));
    assert_eq!(e.message_vi(), "Tệp u.csv: tệp rỗng");

    let e = parse_units("u.bin", &[0x00, 0x9F, 0x92, 0x96, 0x00, 0x01]).unwrap_err();
    assert_eq!(*e.kind(), K::UnknownFormat);
    let e = parse_units("u.xls", b"\xD0\xCF\x11\xE0rest").unwrap_err();
    assert_eq!(*e.kind(), K::LegacyXls);
    let e = parse_units("u", b"\xD0\xCF\x11\xE0rest").unwrap_err();
    assert_eq!(*e.kind(), K::LegacyXls);
    let e = parse_units("u.xlsx", b"PK\x03\x04 not really a zip").unwrap_err();
    assert!(matches!(e.kind(), K::MalformedXlsx(_)), "{e}");
    assert!(e.message_vi().starts_with("Tệp u.xlsx: tệp Excel bị hỏng"), "{}", e.message_vi());
}

#[test]
fn xlsx_cell_errors_point_at_excel_rows() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (col, h) in ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Ghi chú"].iter().enumerate() {
        s.write_string(0, col as u16, *h).unwrap();
    }
    s.write_string(1, 0, "A").unwrap();
    s.write_string(1, 1, "Xã A").unwrap();
    s.write_string(1, 2, "Xã").unwrap();
    // A date in an ignored column is fine; in a read column it is not.
    let date = ExcelDateTime::from_ymd(2025, 7, 1).unwrap();
    let fmt = Format::new().set_num_format("dd/mm/yyyy");
    s.write_datetime_with_format(1, 3, &date, &fmt).unwrap();
    s.write_string(4, 0, "B").unwrap();
    s.write_datetime_with_format(4, 1, &date, &fmt).unwrap();
    s.write_string(4, 2, "Xã").unwrap();
    let e = parse_units("u.xlsx", &book.save_to_buffer().unwrap()).unwrap_err();
    assert_eq!(*e.kind(), K::DateCell);
    at(&e, 5, Some("Tên đơn vị"));

    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    for (col, h) in ["code", "name", "type"].iter().enumerate() {
        s.write_string(0, col as u16, *h).unwrap();
    }
    for (col, v) in ["A", "Xã A", "Xã", "", "", "stray"].iter().enumerate() {
        s.write_string(2, col as u16, *v).unwrap();
    }
    let e = parse_units("u.xlsx", &book.save_to_buffer().unwrap()).unwrap_err();
    assert_eq!(*e.kind(), K::CellOutsideHeader { column: "F".into() });
    assert_eq!(*e.location(), Location::Row(3));
}

#[test]
fn sourced_units_report_unknown_parents_where_they_are() {
    let text = "Mã;Tên;Loại;Mã cấp trên\nA;Xã A;Xã;01\nB;Xã B;Xã;\n";
    let units = crate::units::parse_units_sourced("u.csv", text.as_bytes()).unwrap();
    assert_eq!(units[0].location, Location::Row(2));
    assert_eq!(units[0].parent_field.as_deref(), Some("Mã cấp trên"));
    assert_eq!(units[1].parent_field, None);
    // The caller found no unit "01" in the database.
    let e = units[0].unknown_parent_error("u.csv");
    assert_eq!(
        e.message_vi(),
        "Tệp u.csv, dòng 2, cột «Mã cấp trên»: mã đơn vị cấp trên «01» không có trong tệp và cũng chưa có trong hệ thống"
    );
    assert_eq!(
        e.message_en(),
        "File u.csv, row 2, column «Mã cấp trên»: parent code «01» is neither in the file nor in the system"
    );
}
