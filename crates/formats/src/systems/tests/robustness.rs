//! No input may panic the systems importer: garbage, truncations and
//! mutations of valid files, hostile sheet shapes.

use super::{filled_template, sample_systems, xlsx_with_sheet_xml, xml_cell};
use crate::systems::{parse_systems, systems_template_xlsx, SystemColumn};
use crate::test_support::{damaged_xlsx, rezip, Rng};

const NAMES: [&str; 5] = ["x.csv", "x.xlsx", "x.json", "x", "x.XLSX"];

/// Each call must return, Ok or Err; an Ok must hold valid rows.
fn feed(bytes: &[u8]) {
    for name in NAMES {
        if let Ok(rows) = parse_systems(name, bytes) {
            assert!(rows.iter().all(|r| {
                !r.code.is_empty()
                    && !r.name.is_empty()
                    && !r.owner_unit_code.is_empty()
                    && !r.system_type.is_empty()
                    && r.subjects_basic >= 0
                    && r.subjects_sensitive >= 0
                    && (0..=4).contains(&r.online_service_level)
            }));
        }
    }
}

fn sample_csv() -> Vec<u8> {
    let mut text = format!("\u{feff}{}\r\n", SystemColumn::ALL.map(SystemColumn::label_vi).join(";"));
    text.push_str(
        "HT.01;Cổng dịch vụ công;22;Dịch vụ công;\"Mục đích; hai\";Đang vận hành;x;có;;Mật;20.000;1 500;4;;Dữ liệu quan trọng;TTDL;VNPT;01/07/2025;\"10.0.0.0/24\n10.0.1.0/24\";a.gov.vn, b.gov.vn;\"một cửa; SCADA\"\r\n",
    );
    text.push_str(
        "ht-02;Mạng nội bộ;SO-KHCN;Hạ tầng;;Tạm dừng;;không;0;Không;;;;Phục vụ một cơ quan;;;;2024-12-31;;;\r\n",
    );
    text.into_bytes()
}

#[test]
fn random_bytes() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for len in [0, 1, 2, 3, 4, 7, 16, 100, 1000, 5000] {
        for _ in 0..8 {
            feed(&rng.bytes(len));
        }
    }
    for prefix in [&b"PK\x03\x04"[..], b"\xEF\xBB\xBF", b"[", b"{", b"\xD0\xCF\x11\xE0", b"\xFF\xFE"] {
        for _ in 0..8 {
            let mut v = prefix.to_vec();
            let len = rng.below(2000);
            v.extend(rng.bytes(len));
            feed(&v);
        }
    }
}

#[test]
fn truncated_and_mutated_files() {
    let mut rng = Rng(42);
    let files = [filled_template(&sample_systems()), systems_template_xlsx().unwrap(), sample_csv()];
    assert_eq!(parse_systems("ok.csv", &files[2]).unwrap().len(), 2);
    for file in &files {
        let step = (file.len() / 150).max(1);
        for len in (0..file.len()).step_by(step).chain(0..64.min(file.len())) {
            feed(file.get(..len).unwrap());
        }
        for _ in 0..60 {
            let mut v = file.clone();
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            feed(&v);
        }
    }
    // Cell-level mutations of the CSV: every cell replaced by odd values.
    let csv = String::from_utf8(sample_csv()).unwrap();
    let odd = [
        "",
        "-",
        "=1",
        "\u{0}",
        "9".repeat(40).as_str(),
        "1.2.3",
        "\"",
        "31/02/2025",
        "x;y",
        "\u{301}",
        "Mức 9",
        "\u{202e}",
    ]
    .map(str::to_string);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    let cells: Vec<&str> = lines[2].split(';').collect();
    for i in 0..cells.len() {
        for value in &odd {
            let mut changed = cells.clone();
            changed[i] = value;
            let text = format!("{}\r\n{}\r\n", lines[0], changed.join(";"));
            feed(text.as_bytes());
        }
    }
}

#[test]
fn damaged_xml_inside_xlsx() {
    let valid = filled_template(&sample_systems());
    assert_eq!(parse_systems("r.xlsx", &rezip(&valid, |_, d| d)).unwrap(), sample_systems());
    for damaged in damaged_xlsx(&valid) {
        let _ = parse_systems("d.xlsx", &damaged);
    }
}

#[test]
fn hostile_sheet_shapes() {
    let header: String = ["A1", "B1", "C1", "D1"]
        .iter()
        .zip(["code", "name", "owner_unit_code", "system_type"])
        .map(|(r, t)| xml_cell(r, t))
        .collect();
    // The whole grid declared, the last row used, merges everywhere.
    let whole = format!(
        r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{header}</row><row r="1048576">{}{}{}{}</row></sheetData>"#,
        xml_cell("A1048576", "Z"),
        xml_cell("B1048576", "Hệ thống Z"),
        xml_cell("C1048576", "22"),
        xml_cell("D1048576", "nope"),
    );
    let e = parse_systems("g.xlsx", &xlsx_with_sheet_xml(&whole)).unwrap_err();
    assert_eq!(*e.location(), crate::Location::Row(1_048_576), "{e}");
    for merges in [
        r#"<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>"#,
        r#"<mergeCells count="1"><mergeCell ref="B5:A1"/></mergeCells>"#,
        r#"<mergeCells count="1"><mergeCell ref="ZZZZ1:A"/></mergeCells>"#,
        r#"<mergeCells count="2"><mergeCell ref=""/><mergeCell/></mergeCells>"#,
        r#"<mergeCells count="1"><mergeCell ref="A2:B3"/>"#,
    ] {
        let body = format!(r#"<sheetData><row r="1">{header}</row></sheetData>{merges}"#);
        let _ = parse_systems("g.xlsx", &xlsx_with_sheet_xml(&body));
    }
    // Date and error cells in every column, dates at the calendar's edges.
    let odd_cells = r#"<row r="2"><c r="A2" t="e"><v>#REF!</v></c><c r="B2" t="d"><v>2025-13-45T00:00:00</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="n"><v>1e308</v></c><c r="E2" t="s"><v>99999</v></c></row>"#;
    let body =
        format!(r#"<sheetData><row r="1">{header}{}</row>{odd_cells}</sheetData>"#, xml_cell("E1", "go_live_date"));
    assert!(parse_systems("g.xlsx", &xlsx_with_sheet_xml(&body)).is_err());
    // Deep nesting and repeated headers in text.
    feed("Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống\n".repeat(50).as_bytes());
    feed(&[b';'; 20_000]);
    feed(b"\"\"\"\"\"\"\"\"");
    feed(&[b'\n'; 10_000]);
    feed(b"code,name,owner_unit_code,system_type\r\rA,B,1,other\r");
}

#[test]
fn zip_bomb_is_refused_before_inflating() {
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    out.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..257 {
        out.write_all(&spaces).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    let e = parse_systems("bomb.xlsx", &bytes).unwrap_err();
    assert_eq!(
        *e.kind(),
        crate::ImportErrorKind::UnpackedTooLarge { max_mib: 256, part: Some("xl/worksheets/sheet1.xml".into()) }
    );
}
