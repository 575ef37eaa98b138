//! Every error kind, with the row and the column it names.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::{template_with, xlsx_with_sheet_xml, xml_cell};
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::systems::{
    parse_systems, parse_systems_sourced, SystemColumn as C, DATA_CATEGORIES, INFRA_SCOPES, MAX_SYSTEMS, SECRET_GRADES,
    SYSTEM_STATUSES, SYSTEM_TYPES,
};

fn head() -> String {
    C::ALL.map(C::label_vi).join(";")
}

/// A valid data line of the template CSV with some cells replaced.
fn line(set: &[(C, &str)]) -> String {
    C::ALL
        .iter()
        .map(|c| {
            let base = match c {
                C::Code => "HT-1",
                C::Name => "Hệ thống một",
                C::OwnerUnitCode => "22",
                C::SystemType => "internal",
                _ => "",
            };
            set.iter().find(|(k, _)| k == c).map_or(base, |(_, v)| *v).to_string()
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Parses the template CSV made of the header and the given data lines.
fn csv_err(lines: &[String]) -> ImportError {
    let text = format!("{}\n{}\n", head(), lines.join("\n"));
    parse_systems("systems.csv", text.as_bytes()).unwrap_err()
}

/// The error of one bad cell on data row 3 (after one good row).
fn cell_err(c: C, value: &str) -> ImportError {
    let e = csv_err(&[line(&[(C::Code, "OK-1")]), line(&[(c, value)])]);
    at(&e, 3, Some(c.label_vi()));
    e
}

fn at(e: &ImportError, row: usize, field: Option<&str>) {
    assert_eq!(*e.location(), Location::Row(row), "{e}");
    assert_eq!(e.field(), field, "{e}");
}

#[test]
fn a_valid_line_parses() {
    let text = format!("{}\n{}\n", head(), line(&[]));
    assert_eq!(parse_systems("s.csv", text.as_bytes()).unwrap().len(), 1);
}

#[test]
fn code_errors() {
    assert_eq!(*cell_err(C::Code, "").kind(), K::Required);
    assert_eq!(*cell_err(C::Code, &"A".repeat(33)).kind(), K::TooLong { max: 32, actual: 33 });
    assert_eq!(*cell_err(C::Code, "HỆ-1").kind(), K::InvalidCode { value: "HỆ-1".into(), ch: 'Ệ' });
    assert_eq!(*cell_err(C::Code, "_HT").kind(), K::CodeStart { value: "_HT".into() });
    // The owner's code follows the same rules.
    assert_eq!(*cell_err(C::OwnerUnitCode, "").kind(), K::Required);
    assert_eq!(*cell_err(C::OwnerUnitCode, "Sở Y tế").kind(), K::InvalidCode { value: "Sở Y tế".into(), ch: 'ở' });
}

#[test]
fn duplicate_codes_name_both_rows() {
    let e = csv_err(&[line(&[(C::Code, "ht-a")]), line(&[(C::Code, "B")]), line(&[(C::Code, "HT-A")])]);
    assert_eq!(*e.kind(), K::DuplicateCode { code: "HT-A".into(), first: Location::Row(2) });
    at(&e, 4, Some("Mã hệ thống"));
    assert_eq!(e.message_vi(), "Tệp systems.csv, dòng 4, cột «Mã hệ thống»: mã «HT-A» bị trùng với dòng 2");
    assert_eq!(e.message_en(), "File systems.csv, row 4, column «Mã hệ thống»: code «HT-A» duplicates row 2");
}

#[test]
fn text_errors() {
    assert_eq!(*cell_err(C::Name, " ").kind(), K::Required);
    let long = "Đ".repeat(301);
    assert_eq!(*cell_err(C::Name, &long).kind(), K::TooLong { max: 300, actual: 301 });
    assert!(matches!(cell_err(C::Name, "=1+1").kind(), K::FormulaLike { .. }));
    assert!(matches!(cell_err(C::Name, "Hệ\u{7}thống").kind(), K::ControlChar { .. }));
    assert_eq!(*cell_err(C::Purpose, &"a".repeat(2001)).kind(), K::TooLong { max: 2000, actual: 2001 });
    assert!(matches!(cell_err(C::Hosting, "@SUM(A1)").kind(), K::FormulaLike { .. }));
    assert_eq!(*cell_err(C::Vendor, &"b".repeat(201)).kind(), K::TooLong { max: 200, actual: 201 });
}

#[test]
fn coded_columns() {
    assert_eq!(*cell_err(C::SystemType, "").kind(), K::Required);
    for (c, table) in [
        (C::SystemType, SYSTEM_TYPES),
        (C::Status, SYSTEM_STATUSES),
        (C::SecretGrade, SECRET_GRADES),
        (C::InfraScope, INFRA_SCOPES),
        (C::DataCategory, DATA_CATEGORIES),
    ] {
        let e = cell_err(c, "abc");
        assert_eq!(*e.kind(), K::InvalidChoice { value: "abc".into(), choices: table }, "{c:?}");
    }
    let e = cell_err(C::Status, "Đã hủy bỏ");
    assert_eq!(
        e.message_vi(),
        "Tệp systems.csv, dòng 3, cột «Trạng thái»: giá trị «Đã hủy bỏ» không hợp lệ; chọn một trong: \
         Kế hoạch (planned), Đang xây dựng (building), Đang vận hành (in_operation), Tạm dừng (suspended)"
    );
    assert_eq!(
        e.message_en(),
        "File systems.csv, row 3, column «Trạng thái»: «Đã hủy bỏ» is not valid; use one of \
         planned, building, in_operation, suspended (or its Vietnamese label)"
    );
}

#[test]
fn typed_columns() {
    for c in [C::InfoPrivate, C::InfoPersonal, C::AdminProcedures] {
        assert_eq!(*cell_err(c, "có thể").kind(), K::InvalidFlag { value: "có thể".into() });
    }
    for c in [C::SubjectsBasic, C::SubjectsSensitive] {
        assert_eq!(*cell_err(c, "-5").kind(), K::InvalidNumber { value: "-5".into() });
        assert_eq!(*cell_err(c, "1,5").kind(), K::InvalidNumber { value: "1,5".into() });
    }
    assert_eq!(*cell_err(C::OnlineServiceLevel, "5").kind(), K::OutOfRange { value: "5".into(), min: 0, max: 4 });
    assert_eq!(*cell_err(C::GoLiveDate, "31/02/2025").kind(), K::InvalidDate { value: "31/02/2025".into() });
    assert_eq!(*cell_err(C::GoLiveDate, "7/2025").kind(), K::InvalidDate { value: "7/2025".into() });
    let e = cell_err(C::SubjectsBasic, "hai mươi nghìn");
    assert_eq!(
        e.message_vi(),
        "Tệp systems.csv, dòng 3, cột «Số chủ thể dữ liệu cơ bản»: «hai mươi nghìn» không phải số nguyên không âm (ví dụ 20000, 20.000 hoặc 20 000)"
    );
}

#[test]
fn list_columns() {
    let e = cell_err(C::IpRanges, "\"10.0.0.0/24\n=cmd|' /C calc'!A0\"");
    assert!(matches!(e.kind(), K::FormulaLike { .. }), "{e}");
    let long = "d".repeat(254);
    assert_eq!(*cell_err(C::Domains, &long).kind(), K::TooLong { max: 253, actual: 254 });
    assert!(matches!(cell_err(C::Tags, "a\u{1}b").kind(), K::ControlChar { .. }));
}

#[test]
fn missing_duplicate_and_repeated_columns() {
    // One missing column: the units' kind; several: one error naming all.
    let e = parse_systems("s.csv", "Mã hệ thống;Tên hệ thống;Loại hệ thống\nA;B;Khác\n".as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::MissingColumn { label_vi: "Mã đơn vị chủ quản", key: "owner_unit_code" });
    at(&e, 1, None);
    let e = parse_systems("s.csv", "STT;Tên hệ thống;Mục đích\n1;B;C\n".as_bytes()).unwrap_err();
    assert_eq!(
        *e.kind(),
        K::MissingColumns {
            columns: vec![
                ("Mã hệ thống", "code"),
                ("Mã đơn vị chủ quản", "owner_unit_code"),
                ("Loại hệ thống", "system_type")
            ]
        }
    );
    assert_eq!(
        e.message_vi(),
        "Tệp s.csv, dòng 1: thiếu các cột bắt buộc «Mã hệ thống» (code), «Mã đơn vị chủ quản» (owner_unit_code), «Loại hệ thống» (system_type) trong dòng tiêu đề"
    );
    assert!(e.message_en().contains("the required columns «Mã hệ thống» (code), "), "{e}");

    let e = parse_systems("s.csv", format!("{};code\n", head()).as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::DuplicateColumn { first: "Mã hệ thống".into() });
    at(&e, 1, Some("code"));

    // A merged header exported to CSV: the same label twice.
    let text = "Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống;Số chủ thể dữ liệu;Số chủ thể dữ liệu\n";
    let e = parse_systems("s.csv", text.as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::RepeatedHeader { first_column: "E".into() });
    at(&e, 1, Some("Số chủ thể dữ liệu"));
    assert!(e.message_vi().contains("tiêu đề này đã có ở cột E"), "{}", e.message_vi());

    let e = parse_systems("s.csv", b";;\n;;\n").unwrap_err();
    assert_eq!(*e.kind(), K::NoHeader);
}

#[test]
fn cells_without_header() {
    // A gap in the header (e.g. left by a merged cell) with data under it.
    let text = "Mã hệ thống;;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống\nA;x;B;22;Khác\n";
    let e = parse_systems("s.csv", text.as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::CellOutsideHeader { column: "B".into() });
    at(&e, 2, None);
    // An unquoted ';' shifts the row past the last column.
    let e = csv_err(&[format!("{};SCADA", line(&[]))]);
    assert_eq!(*e.kind(), K::CellOutsideHeader { column: "V".into() });
    at(&e, 2, None);
}

#[test]
fn merged_header_cells_in_xlsx() {
    let bold = Format::new().set_bold();
    // One header row with "Số chủ thể dữ liệu" merged over two columns.
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    for (i, h) in ["Mã hệ thống", "Tên hệ thống", "Mã đơn vị chủ quản", "Loại hệ thống"].iter().enumerate()
    {
        s.write_string(0, i as u16, *h).unwrap();
    }
    s.merge_range(0, 4, 0, 5, "Số chủ thể dữ liệu", &bold).unwrap();
    s.write_string(1, 0, "A").unwrap();
    let e = parse_systems("m.xlsx", &book.save_to_buffer().unwrap()).unwrap_err();
    assert_eq!(*e.kind(), K::MergedHeader { range: "E1:F1".into() });
    at(&e, 1, Some("Số chủ thể dữ liệu"));
    assert_eq!(
        e.message_vi(),
        "Tệp m.xlsx, dòng 1, cột «Số chủ thể dữ liệu»: các ô tiêu đề E1:F1 đang được gộp (merge); hãy bỏ gộp ô và đặt mỗi tiêu đề trong một ô riêng, trên cùng một dòng"
    );

    // A two-row header: labels merged down over rows 2-3, a group label over two columns.
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.write_string(0, 0, "DANH SÁCH").unwrap();
    for (i, h) in ["Mã hệ thống", "Tên hệ thống", "Mã đơn vị chủ quản", "Loại hệ thống"].iter().enumerate()
    {
        s.merge_range(1, i as u16, 2, i as u16, h, &bold).unwrap();
    }
    s.merge_range(1, 4, 1, 5, "Số chủ thể dữ liệu", &bold).unwrap();
    s.write_string(2, 4, "Cơ bản").unwrap();
    s.write_string(2, 5, "Nhạy cảm").unwrap();
    let e = parse_systems("m.xlsx", &book.save_to_buffer().unwrap()).unwrap_err();
    assert_eq!(*e.kind(), K::MergedHeader { range: "A2:A3".into() });
    at(&e, 2, Some("Mã hệ thống"));

    // The header merged down while the real labels sit on the next row:
    // no complete header, and the merge is named rather than missing columns.
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.merge_range(0, 0, 0, 3, "Thông tin chung", &bold).unwrap();
    s.merge_range(0, 4, 1, 4, "Mã đơn vị chủ quản", &bold).unwrap();
    for (i, h) in ["Mã hệ thống", "Tên hệ thống", "Loại hệ thống"].iter().enumerate() {
        s.write_string(1, i as u16, *h).unwrap();
    }
    let e = parse_systems("m.xlsx", &book.save_to_buffer().unwrap()).unwrap_err();
    assert_eq!(*e.kind(), K::MergedHeader { range: "E1:E2".into() }, "{e}");
}

#[test]
fn merged_cells_under_the_header() {
    // The owner's code merged over three systems' rows.
    let bytes = template_with(|s| {
        for r in 1..=3u32 {
            s.write_string(r, 0, format!("HT-{r}")).unwrap();
            s.write_string(r, 1, "Hệ thống").unwrap();
            s.write_string(r, 3, "Khác").unwrap();
        }
        s.merge_range(1, 2, 3, 2, "22", &Format::new()).unwrap();
    });
    let e = parse_systems("m.xlsx", &bytes).unwrap_err();
    assert_eq!(*e.kind(), K::MergedCells { range: "C2:C4".into() });
    at(&e, 2, Some("Mã đơn vị chủ quản"));
    assert!(e.message_en().ends_with("the cells C2:C4 are merged; unmerge them and fill in every row"), "{e}");

    // Merged formatting that covers no data (blank rows below the table,
    // columns right of it, the header row right of the table) is harmless.
    let bytes = template_with(|s| {
        s.write_string(1, 0, "HT-1").unwrap();
        s.write_string(1, 1, "Hệ thống").unwrap();
        s.write_string(1, 2, "22").unwrap();
        s.write_string(1, 3, "Khác").unwrap();
        s.merge_range(5, 0, 6, 5, "", &Format::new()).unwrap();
        s.merge_range(0, 25, 3, 27, "", &Format::new()).unwrap();
    });
    assert_eq!(parse_systems("m.xlsx", &bytes).unwrap().len(), 1);
}

#[test]
fn xlsx_cell_errors() {
    let date_fmt = Format::new().set_num_format("dd/mm/yyyy");
    // A date where text is expected.
    let bytes = template_with(|s| {
        s.write_string(1, 0, "A").unwrap();
        s.write_datetime_with_format(1, 1, ExcelDateTime::from_ymd(2025, 7, 1).unwrap(), &date_fmt).unwrap();
        s.write_string(1, 2, "22").unwrap();
        s.write_string(1, 3, "Khác").unwrap();
    });
    let e = parse_systems("x.xlsx", &bytes).unwrap_err();
    assert_eq!(*e.kind(), K::DateCell);
    at(&e, 2, Some("Tên hệ thống"));

    // A time of day where a date is expected.
    let go_live = C::ALL.iter().position(|c| *c == C::GoLiveDate).unwrap() as u16;
    let bytes = template_with(|s| {
        s.write_string(1, 0, "A").unwrap();
        s.write_string(1, 1, "B").unwrap();
        s.write_string(1, 2, "22").unwrap();
        s.write_string(1, 3, "Khác").unwrap();
        let time = ExcelDateTime::from_hms(10, 30, 0).unwrap();
        s.write_datetime_with_format(1, go_live, &time, &Format::new().set_num_format("hh:mm")).unwrap();
    });
    let e = parse_systems("x.xlsx", &bytes).unwrap_err();
    assert_eq!(*e.kind(), K::InvalidDate { value: String::new() });
    at(&e, 2, Some("Ngày vận hành"));
    assert!(e.message_vi().ends_with("ô chỉ chứa giờ hoặc khoảng thời gian, cần một ngày (dd/mm/yyyy)"), "{e}");

    // An Excel error value in a read column.
    let header: String = ["A1", "B1", "C1", "D1"]
        .iter()
        .zip(["Mã hệ thống", "Tên hệ thống", "Mã đơn vị chủ quản", "Loại hệ thống"])
        .map(|(r, t)| xml_cell(r, t))
        .collect();
    let body = format!(
        r#"<sheetData><row r="1">{header}</row><row r="2">{}{}<c r="C2" t="e"><v>#N/A</v></c>{}</row></sheetData>"#,
        xml_cell("A2", "A"),
        xml_cell("B2", "B"),
        xml_cell("D2", "Khác")
    );
    let e = parse_systems("x.xlsx", &xlsx_with_sheet_xml(&body)).unwrap_err();
    assert_eq!(*e.kind(), K::ExcelErrorCell("#N/A".into()));
    at(&e, 2, Some("Mã đơn vị chủ quản"));
}

#[test]
fn file_level_errors() {
    let kind = |name: &str, bytes: &[u8]| parse_systems(name, bytes).unwrap_err().kind().clone();
    assert_eq!(kind("s.csv", b" \n"), K::EmptyFile);
    let json = |looks_like| K::JsonNotTable { accepted: ".csv, .xlsx", looks_like };
    assert_eq!(kind("s.json", b"[]"), json(crate::JsonContent::Other));
    assert_eq!(kind("s", b"[{\"code\":1}]"), json(crate::JsonContent::Other));
    assert_eq!(kind("s.json", b"{\"catalog\": {\"uuid\": \"x\"}}"), json(crate::JsonContent::OscalCatalog));
    let sarif = b"{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"Semgrep\"}}}]}";
    assert_eq!(kind("he-thong.json", sarif), json(crate::JsonContent::ScanReport(crate::scan::ScanTool::Sarif)));
    let e = parse_systems("he-thong.json", b"[{\"code\": \"A\"}]").unwrap_err();
    assert_eq!(
        e.message_vi(),
        "Tệp he-thong.json: tệp là JSON, còn chức năng nhập này chỉ nhận bảng .csv, .xlsx; hãy lưu bảng thành tệp theo mẫu tải từ hệ thống"
    );
    assert_eq!(
        e.message_en(),
        "File he-thong.json: the file is JSON, but this import reads only .csv, .xlsx tables; save the table in the template downloaded from the system"
    );
    let e = parse_systems("he-thong.json", sarif).unwrap_err();
    assert!(
        e.message_vi()
            .ends_with("đây là báo cáo quét SARIF 2.1.0: hãy nhập ở mục «Nhập kết quả quét», công cụ «sarif»"),
        "{}",
        e.message_vi()
    );
    assert!(
        e.message_en()
            .ends_with("it is a SARIF 2.1.0 scan report: import it under «Import scan results», tool «sarif»"),
        "{}",
        e.message_en()
    );
    assert_eq!(kind("s.bin", &[0, 0x9F, 0x92, 0x96, 0, 1]), K::CsvOrXlsxOnly);
    assert_eq!(kind("s.xls", b"\xD0\xCF\x11\xE0rest"), K::LegacyXls);
    assert!(matches!(kind("s.xlsx", b"PK\x03\x04 not a zip"), K::MalformedXlsx(_)));
    assert_eq!(kind("s.csv", b"\xFF\xFEM\x00"), K::NotUtf8);
    let e = parse_systems("s.csv", format!("{}\nA;\"B;22;Khác\n", head()).as_bytes()).unwrap_err();
    assert_eq!((e.kind().clone(), e.location().clone()), (K::UnclosedQuote, Location::Line(2)));
    let e = parse_systems("s.csv", b"Ma he thong\n\xC3(").unwrap_err();
    assert_eq!((e.kind().clone(), e.location().clone()), (K::NotUtf8, Location::Line(2)));
    let e = parse_systems("s.csv", b"").unwrap_err();
    assert_eq!(e.message_vi(), "Tệp s.csv: tệp rỗng");
    let e = parse_systems("s.json", b"[]").unwrap_err();
    assert_eq!(
        e.message_vi(),
        "Tệp s.json: tệp là JSON, còn chức năng nhập này chỉ nhận bảng .csv, .xlsx; hãy lưu bảng thành tệp theo mẫu tải từ hệ thống"
    );
}

#[test]
fn too_many_rows() {
    // Refused while reading, before any row is checked.
    let text = format!("{}\n{}", head(), "x\n".repeat(MAX_SYSTEMS + 21));
    let e = parse_systems("s.csv", text.as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::TooLarge { max_rows: MAX_SYSTEMS });
    // Exactly one system too many.
    let mut text = String::from("Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống\n");
    for i in 0..=MAX_SYSTEMS {
        text.push_str(&format!("H{i};T;1;other\n"));
    }
    let e = parse_systems("s.csv", text.as_bytes()).unwrap_err();
    assert_eq!(*e.kind(), K::TooLarge { max_rows: MAX_SYSTEMS });
    assert_eq!(*e.location(), Location::Row(MAX_SYSTEMS + 2));
}

#[test]
fn errors_for_the_caller() {
    let text = "Mã;Tên;Mã đơn vị;Loại;IP\nA;Hệ thống A;99;Khác;10.0.0.0/33\n";
    let systems = parse_systems_sourced("s.csv", text.as_bytes()).unwrap();
    let s = &systems[0];
    assert_eq!(s.location, Location::Row(2));
    assert_eq!(s.system.ip_ranges, vec!["10.0.0.0/33".to_string()]);
    // The caller found no unit "99" and refused the CIDR.
    let e = s.unknown_owner_error("s.csv");
    assert_eq!(e.message_vi(), "Tệp s.csv, dòng 2, cột «Mã đơn vị»: không có đơn vị mã «99» trong hệ thống");
    assert_eq!(e.message_en(), "File s.csv, row 2, column «Mã đơn vị»: there is no unit with code «99» in the system");
    let e = s.invalid_ip_range_error("s.csv", "10.0.0.0/33");
    assert_eq!(*e.kind(), K::InvalidIpRange { value: "10.0.0.0/33".into() });
    at(&e, 2, Some("IP"));
    // A column the file lacks is named as in the template.
    let e = s.error("s.csv", C::Domains, K::Required);
    at(&e, 2, Some("Tên miền"));
}
