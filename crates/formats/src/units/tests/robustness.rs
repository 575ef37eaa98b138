//! No input may panic: garbage, truncations and mutations of valid files.

use super::sample_rows;
use crate::test_support::{damaged_xlsx, rezip, Rng};
use crate::units::{parse_units, write_units_csv, write_units_xlsx};

const NAMES: [&str; 5] = ["x.csv", "x.xlsx", "x.json", "x", "x.XLSX"];

/// Each call must return, Ok or Err; an Ok must hold valid rows.
fn feed(bytes: &[u8]) {
    for name in NAMES {
        if let Ok(rows) = parse_units(name, bytes) {
            assert!(rows.iter().all(|r| !r.code.is_empty() && !r.name.is_empty()));
        }
    }
}

#[test]
fn random_bytes() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for len in [0, 1, 2, 3, 4, 7, 16, 100, 1000, 5000] {
        for _ in 0..8 {
            feed(&rng.bytes(len));
        }
    }
    // Random bytes behind each format's magic.
    for prefix in [&b"PK\x03\x04"[..], b"\xEF\xBB\xBF", b"[", b"[{", b"{", b"\xD0\xCF\x11\xE0", b"\xFF\xFE"] {
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
    let rows = sample_rows();
    let files = [write_units_xlsx(&rows).unwrap(), write_units_csv(&rows).unwrap(), serde_json::to_vec(&rows).unwrap()];
    for file in &files {
        // Truncations at a spread of lengths, including every short prefix.
        let step = (file.len() / 150).max(1);
        for len in (0..file.len()).step_by(step).chain(0..64.min(file.len())) {
            feed(file.get(..len).unwrap());
        }
        // Random byte flips.
        for _ in 0..60 {
            let mut v = file.clone();
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(v.len());
                v[i] = rng.next() as u8;
            }
            feed(&v);
        }
    }
}

#[test]
fn hostile_text_shapes() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    feed(deep.as_bytes());
    feed(b"\"\"\"\"\"\"\"\"");
    feed(b",,,,,,\n;;;;\n\t\t\t");
    feed("Mã đơn vị,Tên đơn vị,Loại đơn vị\n".repeat(50).as_bytes());
    feed(&[b'\n'; 10_000]);
    feed(b"code,name,type\r\rA,B,ward\r");
    feed("\u{feff}\u{feff}code,name,type\nA,\u{0301}\u{0301},ward\n".as_bytes());
}

#[test]
fn damaged_xml_inside_xlsx() {
    let valid = write_units_xlsx(&sample_rows()).unwrap();
    // Unchanged parts re-zipped still read back.
    assert_eq!(parse_units("r.xlsx", &rezip(&valid, |_, d| d)).unwrap(), sample_rows());
    for damaged in damaged_xlsx(&valid) {
        let _ = parse_units("d.xlsx", &damaged);
    }
}

#[test]
fn hostile_sheet_geometry() {
    let valid = write_units_xlsx(&[]).unwrap();
    let with_sheet = |body: &str| {
        let xml = format!(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{body}</worksheet>"#
        );
        rezip(&valid, |name, d| if name == "xl/worksheets/sheet1.xml" { xml.clone().into_bytes() } else { d })
    };
    let cell = |r: &str, t: &str| format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#);
    // A used range claiming the whole grid must not be allocated densely,
    // and the last Excel row keeps its number.
    let whole = format!(
        r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{}{}{}</row><row r="1048576">{}{}{}</row></sheetData>"#,
        cell("A1", "code"),
        cell("B1", "name"),
        cell("C1", "type"),
        cell("A1048576", "Z"),
        cell("B1048576", "Xã Z"),
        cell("C1048576", "nope"),
    );
    let e = parse_units("g.xlsx", &with_sheet(&whole)).unwrap_err();
    assert_eq!(*e.location(), crate::Location::Row(1_048_576), "{e}");
    // A cell past column XFD is corruption, not data.
    let wide = format!(r#"<sheetData><row r="1">{}<c r="XFE1"><v>1</v></c></row></sheetData>"#, cell("A1", "x"));
    assert!(parse_units("g.xlsx", &with_sheet(&wide)).is_err());
    // No sheetData at all.
    assert!(parse_units("g.xlsx", &with_sheet("")).is_err());
}

#[test]
fn zip_bomb_is_refused_before_inflating() {
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    out.start_file("xl/sharedStrings.xml", opts).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..257 {
        out.write_all(&zeros).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    assert!(bytes.len() < 2 << 20, "the bomb itself is small");
    let e = parse_units("bomb.xlsx", &bytes).unwrap_err();
    assert_eq!(
        *e.kind(),
        crate::ImportErrorKind::UnpackedTooLarge { max_mib: 48, part: Some("xl/sharedStrings.xml".into()) }
    );
}
