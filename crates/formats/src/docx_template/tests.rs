#![allow(clippy::unwrap_used)]

use super::*;
use std::io::Write;

const FIELDS: &[FieldSpec] = &[
    FieldSpec { name: "he_thong.ten", label: "Tên hệ thống", example: "Cổng dịch vụ công" },
    FieldSpec { name: "don_vi.ten", label: "Tên đơn vị", example: "UBND phường Hồng Bàng" },
    FieldSpec { name: "ho_so.so_quyet_dinh", label: "Số quyết định", example: "12/QĐ-UBND" },
];
const PARTS: &[FieldSpec] = &[
    FieldSpec { name: "stt", label: "STT", example: "1" },
    FieldSpec { name: "ten", label: "Thành phần", example: "Hồ sơ thiết kế" },
];
const LISTS: &[ListSpec] = &[ListSpec { name: "thanh_phan", label: "Thành phần hồ sơ", items: PARTS }];
const CATALOGUE: Catalogue = Catalogue { fields: FIELDS, lists: LISTS };

fn run(text: &str) -> String {
    format!("<w:r><w:rPr><w:b/></w:rPr><w:t>{text}</w:t></w:r>")
}

fn para(runs: &[&str]) -> String {
    format!("<w:p>{}</w:p>", runs.iter().map(|r| run(r)).collect::<String>())
}

fn row(cells: &[&str]) -> String {
    format!("<w:tr>{}</w:tr>", cells.iter().map(|c| format!("<w:tc>{}</w:tc>", para(&[c]))).collect::<String>())
}

fn docx(body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    w.start_file("[Content_Types].xml", o).unwrap();
    w.write_all(
        b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
    )
    .unwrap();
    w.start_file("word/styles.xml", o).unwrap();
    w.write_all(b"<w:styles xmlns:w=\"w\"><w:style w:styleId=\"Tieu-de\"/></w:styles>").unwrap();
    w.start_file("word/document.xml", o).unwrap();
    let doc = format!("<w:document xmlns:w=\"w\"><w:body>{body}</w:body></w:document>");
    w.write_all(doc.as_bytes()).unwrap();
    for (name, data) in extra {
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn a_field_split_over_runs_is_filled_in_its_first_run_and_styles_stay() {
    let body = para(&["Hệ thống: {{he_", "thong.", "ten}} của ", "{{don_vi.ten}}"]);
    let t = DocxTemplate::parse(&docx(&body, &[]), CATALOGUE).unwrap();
    assert_eq!(t.fields_used(), ["he_thong.ten", "don_vi.ten"]);
    let mut values = Values::default();
    values.fields.insert("he_thong.ten".into(), Some("Cổng <DVC> & \"một cửa\"".into()));
    values.fields.insert("don_vi.ten".into(), Some("Phường Hồng Bàng".into()));
    let out = t.render(&values).unwrap();
    assert!(out.missing.is_empty());
    let xml = document_xml(&out.docx);
    assert!(xml.contains("Hệ thống: Cổng &lt;DVC&gt; &amp; &quot;một cửa&quot;"), "{xml}");
    assert!(xml.contains("Phường Hồng Bàng") && !xml.contains("{{") && !xml.contains("ten}}"), "{xml}");
    assert_eq!(xml.matches("<w:b/>").count(), 4, "every run keeps its formatting");
    well_formed("word/document.xml", &xml).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(out.docx)).unwrap();
    let mut styles = String::new();
    zip.by_name("word/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
    assert!(styles.contains("Tieu-de"), "the template's styles are kept");
}

#[test]
fn a_loop_row_repeats_once_per_item_and_missing_values_are_listed() {
    let table = format!(
        "<w:tbl>{}{}</w:tbl>{}",
        row(&["STT", "Thành phần"]),
        row(&["{{#thanh_phan}}{{stt}}", "{{ten}}{{/thanh_phan}}"]),
        para(&["Số: {{ho_so.so_quyet_dinh}}"])
    );
    let t = DocxTemplate::parse(&docx(&table, &[]), CATALOGUE).unwrap();
    let mut values = Values::default();
    let item = |n: &str, name: &str| HashMap::from([("stt".into(), Some(n.into())), ("ten".into(), Some(name.into()))]);
    values.lists.insert("thanh_phan".into(), vec![item("1", "Báo cáo tổng quan"), item("2", "Hồ sơ thiết kế")]);
    values.fields.insert("ho_so.so_quyet_dinh".into(), None);
    let out = t.render(&values).unwrap();
    let xml = document_xml(&out.docx);
    assert_eq!(xml.matches("<w:tr>").count(), 3, "{xml}");
    assert!(
        xml.contains("Báo cáo tổng quan") && xml.contains("Hồ sơ thiết kế") && !xml.contains("thanh_phan"),
        "{xml}"
    );
    assert_eq!(out.missing, ["ho_so.so_quyet_dinh"]);
    assert!(xml.contains(&format!("Số: {BLANK}")));
    well_formed("word/document.xml", &xml).unwrap();
    // The demo values fill every field.
    assert!(t.render(&CATALOGUE.examples()).unwrap().missing.is_empty());
}

#[test]
fn a_bad_template_is_refused_naming_the_place() {
    let refused = |body: &str| DocxTemplate::parse(&docx(body, &[]), CATALOGUE).unwrap_err();
    let e = refused(&format!("{}{}", para(&["Kính gửi"]), para(&["{{he_thong.chu_quan}}"])));
    assert_eq!(
        e,
        TemplateError::UnknownField {
            part: "word/document.xml".into(),
            paragraph: 2,
            field: "he_thong.chu_quan".into()
        }
    );
    assert!(e.to_string().contains("đoạn 2"), "{e}");
    let e = refused(&format!("<w:tbl>{}</w:tbl>", row(&["{{#thanh_phan}}{{ten}}", "x"])));
    assert!(matches!(e, TemplateError::BrokenLoop { ref list, .. } if list == "thanh_phan"), "{e:?}");
    let e = refused(&para(&["{{#thanh_phan}}{{ten}}{{/thanh_phan}}"]));
    assert!(e.to_string().contains("hàng của bảng"), "{e}");
    let e = refused(&para(&["{{/thanh_phan}}"]));
    assert!(matches!(e, TemplateError::BrokenLoop { .. }), "{e:?}");
    let e = refused(&para(&["Số {{ho_so.so_quyet_dinh"]));
    assert!(matches!(e, TemplateError::Malformed { paragraph: 1, .. }), "{e:?}");
    let e = refused(&para(&["{{Tên hệ thống}}"]));
    assert!(matches!(e, TemplateError::Malformed { .. }), "{e:?}");
    let e = refused("<w:p><w:r><w:t>x</w:t></w:r>");
    assert!(matches!(e, TemplateError::Xml { .. }), "{e:?}");
}

#[test]
fn macros_bombs_non_docx_and_oversize_files_are_refused() {
    let body = para(&["x"]);
    let e = DocxTemplate::parse(&docx(&body, &[("word/vbaProject.bin", b"VBA")]), CATALOGUE).unwrap_err();
    assert_eq!(e, TemplateError::Macro);
    assert!(matches!(DocxTemplate::parse(b"PK not a zip", CATALOGUE), Err(TemplateError::NotDocx { .. })));
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..70 {
        w.write_all(&zeros).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() < MAX_TEMPLATE_BYTES, "the bomb is small: {}", bomb.len());
    assert_eq!(DocxTemplate::parse(&bomb, CATALOGUE).unwrap_err(), TemplateError::Bomb);
    let big = vec![0u8; MAX_TEMPLATE_BYTES + 1];
    assert!(matches!(DocxTemplate::parse(&big, CATALOGUE), Err(TemplateError::TooLarge { .. })));
    let no_body = {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("[Content_Types].xml", zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(b"<Types/>").unwrap();
        w.finish().unwrap().into_inner()
    };
    assert!(matches!(DocxTemplate::parse(&no_body, CATALOGUE), Err(TemplateError::NotDocx { .. })));
}

/// The documents Khiên writes itself are templates too: their text survives a render with no
/// fields, byte for byte in the body.
#[test]
fn a_template_without_fields_renders_to_the_same_body() {
    let doc = crate::docx::tests::sample();
    let bytes = crate::docx::write_admin_docx(&doc).unwrap();
    let t = DocxTemplate::parse(&bytes, CATALOGUE).unwrap();
    assert!(t.fields_used().is_empty());
    let out = t.render(&Values::default()).unwrap();
    assert_eq!(document_xml(&out.docx), document_xml(&bytes));
}
