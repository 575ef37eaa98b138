//! Round trips through the template and the accepted input shapes.

use std::io::{Cursor, Read};
use std::time::Instant;

use calamine::{Data, Reader, Xlsx};

use super::{filled_template, grouped, sample_systems, template_with, write_system};
use crate::systems::{
    parse_systems, parse_systems_sourced, systems_template_xlsx, SystemColumn, SystemRow, DATA_CATEGORIES,
    INFRA_SCOPES, SECRET_GRADES, SYSTEM_STATUSES, SYSTEM_TYPES,
};
use crate::Location;

fn header_line(sep: &str) -> String {
    SystemColumn::ALL.map(SystemColumn::label_vi).join(sep)
}

#[test]
fn template_round_trip() {
    let rows = sample_systems();
    let bytes = filled_template(&rows);
    assert_eq!(parse_systems("he_thong.xlsx", &bytes).unwrap(), rows);
    // Sniffed without an extension too.
    assert_eq!(parse_systems("download", &bytes).unwrap(), rows);
    let sourced = parse_systems_sourced("he_thong.XLSX", &bytes).unwrap();
    assert_eq!(sourced[3].location, Location::Row(5));
    assert_eq!(sourced[3].column_label(SystemColumn::Domains), "Tên miền");
}

#[test]
fn empty_template_has_headers_only() {
    let bytes = systems_template_xlsx().unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    assert_eq!(parse_systems("mau.xlsx", &bytes).unwrap(), vec![]);

    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), vec!["Hệ thống".to_string(), "Hướng dẫn".to_string()]);
    let data = book.worksheet_range("Hệ thống").unwrap();
    assert_eq!(data.height(), 1, "no example row");
    let headers: Vec<String> = data.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(headers, SystemColumn::ALL.map(|c| c.label_vi().to_string()).to_vec());

    // The guide: one row per column, required or not, every code with its label.
    let guide = book.worksheet_range("Hướng dẫn").unwrap();
    let cell = |r: usize, c: usize| guide.get((r, c)).map(|d: &Data| d.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "Cột");
    for (i, col) in SystemColumn::ALL.into_iter().enumerate() {
        assert_eq!(cell(i + 1, 0), col.label_vi());
        assert_eq!(cell(i + 1, 1), if col.required() { "Có" } else { "Không" });
        assert_eq!(cell(i + 1, 2), col.key());
        for choice in col.choices().unwrap_or_default() {
            let line = format!("{} — {}", choice.code, choice.label_vi);
            assert!(cell(i + 1, 3).contains(&line), "{line} in {}", cell(i + 1, 3));
        }
    }
    for table in [SYSTEM_TYPES, SYSTEM_STATUSES, SECRET_GRADES, INFRA_SCOPES, DATA_CATEGORIES] {
        assert!(table.iter().all(|c| c.label_vi.chars().count() > 0));
    }

    // Bold header, frozen panes, code columns text-formatted.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"state="frozen""#), "{sheet}");
    let styles = part("xl/styles.xml");
    assert!(styles.contains("<b/>"));
    // Columns A (code) and C (owner code) use the text format "@".
    let text_fmt = styles.split("<numFmt ").skip(1).find(|f| f.contains(r#"formatCode="@""#)).unwrap();
    let text_fmt_id = text_fmt.split('"').nth(1).unwrap();
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    let text_style =
        xfs.split("<xf ").skip(1).position(|xf| xf.starts_with(&format!(r#"numFmtId="{text_fmt_id}""#))).unwrap();
    for col in ["1", "3"] {
        assert!(sheet.contains(&format!(r#"<col min="{col}" max="{col}" width"#)), "{sheet}");
        let tag = sheet
            .split(&format!(r#"<col min="{col}" max="{col}""#))
            .nth(1)
            .unwrap()
            .split("/>")
            .next()
            .unwrap()
            .to_string();
        assert!(tag.contains(&format!(r#"style="{text_style}""#)), "{tag}");
    }
}

#[test]
fn semicolon_csv_with_bom_and_labels() {
    // As Excel in a Vietnamese locale saves "CSV UTF-8": BOM, ';', CRLF,
    // Alt+Enter line breaks inside quoted cells.
    let text = format!(
        "\u{feff}{}\r\n\
         HT.01;Cổng dịch vụ công;22;Dịch vụ công;\"Tiếp nhận hồ sơ; trả kết quả\";Đang vận hành;x;có;X;Mật;20.000;1 500;4;;Dữ liệu quan trọng;TTDL tỉnh;VNPT;01/07/2025;\"10.0.0.0/24\n10.0.1.0/24\";dichvucong.quangninh.gov.vn, a.gov.vn;\"một cửa; SCADA\"\r\n\
         ht-02;Mạng nội bộ;SO-KHCN;Hạ tầng;;Tạm dừng;;không;0;Không;;;;Phục vụ một cơ quan;;;;2024-12-31;;;\r\n",
        header_line(";")
    );
    let rows = parse_systems("ds.csv", text.as_bytes()).unwrap();
    assert_eq!(rows.len(), 2);
    let first = SystemRow {
        code: "HT.01".into(),
        name: "Cổng dịch vụ công".into(),
        owner_unit_code: "22".into(),
        system_type: "public_service".into(),
        purpose: Some("Tiếp nhận hồ sơ; trả kết quả".into()),
        status: Some("in_operation".into()),
        info_private: true,
        info_personal: true,
        admin_procedures: true,
        secret_grade: Some("confidential".into()),
        subjects_basic: 20_000,
        subjects_sensitive: 1_500,
        online_service_level: 4,
        infra_scope: None,
        data_category: Some("important".into()),
        hosting: Some("TTDL tỉnh".into()),
        vendor: Some("VNPT".into()),
        go_live_date: Some("2025-07-01".into()),
        ip_ranges: vec!["10.0.0.0/24".into(), "10.0.1.0/24".into()],
        domains: vec!["dichvucong.quangninh.gov.vn".into(), "a.gov.vn".into()],
        tags: vec!["một cửa".into(), "SCADA".into()],
    };
    assert_eq!(rows[0], first);
    let second = SystemRow {
        code: "ht-02".into(),
        name: "Mạng nội bộ".into(),
        owner_unit_code: "SO-KHCN".into(),
        system_type: "info_infrastructure".into(),
        status: Some("suspended".into()),
        secret_grade: Some("none".into()),
        infra_scope: Some("one_agency".into()),
        go_live_date: Some("2024-12-31".into()),
        ..SystemRow::default()
    };
    assert_eq!(rows[1], second);
}

#[test]
fn comma_csv_without_bom_english_headers_and_extra_columns() {
    let text = "STT,code,name,owner_unit_code,system_type,subjects_basic,go_live_date,Ghi chú\n\
                1,A1,Hệ thống A,01,internal,\"20,000\",1/7/2025,note\n";
    let rows = parse_systems("x.csv", text.as_bytes()).unwrap();
    assert_eq!(
        rows,
        vec![SystemRow {
            code: "A1".into(),
            name: "Hệ thống A".into(),
            owner_unit_code: "01".into(),
            system_type: "internal".into(),
            subjects_basic: 20_000,
            go_live_date: Some("2025-07-01".into()),
            ..SystemRow::default()
        }]
    );
}

#[test]
fn excel_date_cells_and_typed_cells() {
    use rust_xlsxwriter::{ExcelDateTime, Format};
    let bytes = template_with(|s| {
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let long_date = Format::new().set_num_format("d mmmm yyyy hh:mm");
        let go_live = SystemColumn::ALL.iter().position(|c| *c == SystemColumn::GoLiveDate).unwrap() as u16;
        for r in 1..=4u32 {
            s.write_number(r, 0, f64::from(100 + r)).unwrap(); // a code typed as a number
            s.write_string(r, 1, format!("Hệ thống {r}")).unwrap();
            s.write_number(r, 2, 22.0).unwrap();
            s.write_string(r, 3, "Khác").unwrap();
        }
        s.write_datetime_with_format(1, go_live, ExcelDateTime::from_ymd(2025, 7, 1).unwrap(), &date).unwrap();
        let with_time = ExcelDateTime::parse_from_str("2024-02-29T16:30:00").unwrap();
        s.write_datetime_with_format(2, go_live, &with_time, &long_date).unwrap();
        // A number in the date column formatted as a date is a date cell.
        s.write_number_with_format(3, go_live, 36526.0, &date).unwrap();
        // Row 5: a typed date in the text-formatted fallback.
        s.write_string(4, go_live, "15/03/2020").unwrap();
    });
    let rows = parse_systems("d.xlsx", &bytes).unwrap();
    let got: Vec<(&str, &str, Option<&str>)> =
        rows.iter().map(|r| (r.code.as_str(), r.owner_unit_code.as_str(), r.go_live_date.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            ("101", "22", Some("2025-07-01")),
            ("102", "22", Some("2024-02-29")),
            ("103", "22", Some("2000-01-01")),
            ("104", "22", Some("2020-03-15")),
        ]
    );
}

#[test]
fn title_rows_above_the_header_and_blank_rows_keep_excel_numbers() {
    let bytes = {
        let mut book = rust_xlsxwriter::Workbook::new();
        let s = book.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        // A merged title above the header is fine.
        s.merge_range(0, 0, 0, 20, "DANH SÁCH HỆ THỐNG THÔNG TIN", &bold).unwrap();
        for (i, c) in SystemColumn::ALL.into_iter().enumerate() {
            s.write_string(2, i as u16, c.label_vi()).unwrap();
        }
        let sys = sample_systems();
        write_system(s, 3, 0, &sys[0]);
        write_system(s, 5, 1, &sys[1]);
        book.save_to_buffer().unwrap()
    };
    let rows = parse_systems_sourced("t.xlsx", &bytes).unwrap();
    assert_eq!(rows.iter().map(|r| r.location.clone()).collect::<Vec<_>>(), vec![Location::Row(4), Location::Row(6)]);
    assert_eq!(rows[1].system, sample_systems()[1]);
}

#[test]
fn ten_thousand_rows_xlsx() {
    let base = sample_systems();
    let rows: Vec<SystemRow> = (0..10_000)
        .map(|i| {
            let mut s = base[i % base.len()].clone();
            s.code = format!("HT-{i:05}");
            s
        })
        .collect();
    let bytes = filled_template(&rows);
    let start = Instant::now();
    let parsed = parse_systems("lon.xlsx", &bytes).unwrap();
    let elapsed = start.elapsed();
    assert_eq!(parsed.len(), 10_000);
    assert_eq!(parsed, rows);
    println!("10,000-row XLSX ({} KiB): parsed in {elapsed:?}", bytes.len() / 1024);

    let csv: String = std::iter::once(header_line(";"))
        .chain(rows.iter().map(|r| {
            format!(
                "{};{};{};{};;;x;;;;{};;2;;;;;01/07/2025;10.0.0.0/24;;",
                r.code,
                r.name.replace('"', "'").replace(';', ","),
                r.owner_unit_code,
                r.system_type,
                grouped(r.subjects_basic, ".")
            )
        }))
        .collect::<Vec<_>>()
        .join("\r\n");
    let start = Instant::now();
    let parsed = parse_systems("lon.csv", csv.as_bytes()).unwrap();
    println!("10,000-row CSV ({} KiB): parsed in {:?}", csv.len() / 1024, start.elapsed());
    assert_eq!(parsed.len(), 10_000);
}
