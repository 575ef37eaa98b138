#![allow(clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::{date_line, write_admin_docx, AdminDocument, Block};
use crate::test_support::Rng;

const PARTS: [&str; 10] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/header1.xml",
    "word/_rels/document.xml.rels",
    "docProps/core.xml",
    "docProps/app.xml",
];

fn s(v: &str) -> String {
    v.to_string()
}

pub(crate) fn sample() -> AdminDocument {
    AdminDocument {
        parent_body: s("Công an thành phố Hải Phòng"),
        issuing_body: s("Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao"),
        number: Some(s("12/BC-PA05")),
        place: s("Hải Phòng"),
        date: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        doc_type: s("Báo cáo"),
        title: s("Sự cố tấn công mã độc tống tiền tại Sở Y tế"),
        addressees: vec![s("Công an thành phố Hải Phòng")],
        blocks: vec![
            Block::Heading(s("I. DIỄN BIẾN SỰ CỐ")),
            Block::Paragraph(s("Ngày 03/3/2026, hệ thống giám sát phát hiện lưu lượng bất thường từ máy chủ \
                 tệp của Sở Y tế. Qua xác minh, máy chủ đã bị mã độc tống tiền mã hóa dữ liệu.")),
            Block::Fields(vec![
                (s("Hệ thống"), s("Cổng dịch vụ công của Sở Y tế")),
                (s("Cấp độ"), s("Cấp độ 3")),
                (s("Thời điểm phát hiện"), s("08 giờ 15 phút, ngày 03/3/2026")),
                (s("Ghi chú"), s("Dòng một\nDòng hai <script>&\"'")),
            ]),
            Block::Heading(s("II. DẤU HIỆU NHẬN BIẾT")),
            Block::Table {
                headers: vec![s("STT"), s("Loại"), s("Giá trị")],
                rows: vec![
                    vec![s("1"), s("Địa chỉ IP"), s("203.0.113.7")],
                    vec![s("2"), s("Tên miền"), s("thanh-toan-hoa-don.example")],
                    vec![s("3"), s("SHA-256")],
                ],
            },
            Block::Heading(s("III. ĐỀ XUẤT, KIẾN NGHỊ")),
            Block::Paragraph(s("Đề nghị các đơn vị rà soát, cập nhật bản vá.\nKiểm tra sao lưu định kỳ.")),
        ],
        recipients: vec![s("Giám đốc CATP (để b/c);"), s("Sở Y tế;"), s("Lưu: VT, PA05.")],
        signer_position: s("KT. Trưởng phòng\nPhó Trưởng phòng"),
        signer_name: s("Nguyễn Văn An"),
    }
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        parts.insert(f.name().unwrap().into_owned(), text);
    }
    parts
}

/// Checks `xml` is well-formed (one root, matching tags, valid entities and attributes, only
/// XML 1.0 characters) and returns the text of each w:p paragraph, w:br as '\n', w:tab as '\t'.
fn check_xml(xml: &str) -> Vec<String> {
    for c in xml.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}') || c >= '\u{10000}';
        assert!(ok, "character U+{:04X} is not allowed in XML 1.0", c as u32);
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut depth, mut roots) = (0usize, 0usize);
    let (mut paras, mut cur, mut in_t) = (Vec::new(), String::new(), false);
    loop {
        let event = reader.read_event().unwrap_or_else(|e| panic!("not well-formed: {e}"));
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                if depth == 0 {
                    roots += 1;
                }
                for a in e.attributes() {
                    a.unwrap().normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap();
                }
                match e.name().as_ref() {
                    "w:t" if matches!(event, Event::Start(_)) => in_t = true,
                    "w:br" => cur.push('\n'),
                    "w:tab" => cur.push('\t'),
                    _ => {}
                }
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(e) => {
                depth -= 1;
                match e.name().as_ref() {
                    "w:t" => in_t = false,
                    "w:p" => paras.push(std::mem::take(&mut cur)),
                    _ => {}
                }
            }
            Event::Text(_) | Event::GeneralRef(_) => {
                let t = match &event {
                    Event::GeneralRef(r) => match r.resolve_char_ref().unwrap() {
                        Some(c) => c.to_string(),
                        None => quick_xml::escape::resolve_predefined_entity(r).unwrap().to_string(),
                    },
                    Event::Text(t) => t.xml10_content().into_owned(),
                    _ => String::new(),
                };
                if in_t {
                    cur.push_str(&t);
                } else {
                    assert!(depth > 0 || t.trim().is_empty(), "text outside the root: {t:?}");
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((roots, depth), (1, 0), "one root element, all closed");
    paras
}

fn document(doc: &AdminDocument) -> (String, Vec<String>) {
    let parts = unzip(&write_admin_docx(doc).unwrap());
    let xml = parts["word/document.xml"].clone();
    let paras = check_xml(&xml);
    (xml, paras)
}

#[test]
fn package_has_every_part_and_each_is_well_formed() {
    let parts = unzip(&write_admin_docx(&sample()).unwrap());
    let names: Vec<&str> = parts.keys().map(String::as_str).collect();
    let mut want = PARTS.to_vec();
    want.sort_unstable();
    assert_eq!(names, want);
    for (name, xml) in &parts {
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\""), "{name}");
        check_xml(xml);
    }
    for part in PARTS.iter().filter(|p| !p.ends_with(".rels") && !p.starts_with('[')) {
        assert!(parts["[Content_Types].xml"].contains(&format!("PartName=\"/{part}\"")), "{part}");
    }
    assert!(parts["docProps/core.xml"].contains("<dc:creator>Khiên</dc:creator>"));
    assert!(parts["docProps/core.xml"]
        .contains("<dc:title>BÁO CÁO - Sự cố tấn công mã độc tống tiền tại Sở Y tế</dc:title>"));
    assert!(parts["word/styles.xml"].contains("w:ascii=\"Times New Roman\""));
    assert!(parts["word/fontTable.xml"].contains("w:name=\"Times New Roman\""));
}

#[test]
fn layout_follows_nd30() {
    let (xml, paras) = document(&sample());
    let has = |p: &str| paras.iter().any(|x| x == p);
    assert!(has("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(has("Độc lập - Tự do - Hạnh phúc"));
    assert!(has("CÔNG AN THÀNH PHỐ HẢI PHÒNG"));
    assert!(has("PHÒNG AN NINH MẠNG VÀ PHÒNG, CHỐNG TỘI PHẠM SỬ DỤNG CÔNG NGHỆ CAO"));
    assert!(has("Số: 12/BC-PA05"));
    assert!(has("Hải Phòng, ngày 05 tháng 3 năm 2026"));
    assert!(has("BÁO CÁO"));
    assert!(has("Sự cố tấn công mã độc tống tiền tại Sở Y tế"));
    assert!(has("Nơi nhận:"));
    assert!(has("- Giám đốc CATP (để b/c);"));
    assert!(has("- Lưu: VT, PA05."));
    assert!(has("KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG"));
    assert!(has("Nguyễn Văn An"));
    // Order: header, title, body, signature.
    let at = |p: &str| paras.iter().position(|x| x == p).unwrap();
    assert!(at("Số: 12/BC-PA05") < at("BÁO CÁO"));
    assert!(at("BÁO CÁO") < at("I. DIỄN BIẾN SỰ CỐ"));
    assert!(at("III. ĐỀ XUẤT, KIẾN NGHỊ") < at("Nơi nhận:"));
    // A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm (in twips).
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
    assert!(xml.contains("w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""));
    // Body paragraphs justified with a 1.27 cm first-line indent and 6 pt before.
    assert!(xml.contains("<w:spacing w:before=\"120\" w:after=\"0\" w:line=\"288\" w:lineRule=\"auto\"/><w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"720\"/><w:jc w:val=\"both\"/>"));
    // The date in italics, "Nơi nhận:" bold italic 12 pt, its lines 11 pt.
    assert!(xml.contains(
        "<w:i/><w:iCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr><w:t xml:space=\"preserve\">Hải Phòng, ngày"
    ));
    assert!(xml.contains("<w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr><w:t xml:space=\"preserve\">Nơi nhận:"));
    assert!(xml.contains("<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr><w:t xml:space=\"preserve\">- Sở Y tế;"));
    // Four tables: header, fields, observables, signature; each followed by a paragraph.
    assert_eq!(xml.matches("<w:tbl>").count(), 4);
    assert!(!xml.contains("</w:tbl><w:tbl>") && !xml.contains("</w:tbl><w:sectPr>"));
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
}

#[test]
fn tables_hold_every_cell_and_pad_short_rows() {
    let (xml, paras) = document(&sample());
    for p in ["Hệ thống", "Cổng dịch vụ công của Sở Y tế", "STT", "Giá trị", "203.0.113.7", "SHA-256"]
    {
        assert!(paras.iter().any(|x| x == p), "{p}");
    }
    assert!(paras.iter().any(|x| x == "Dòng một\nDòng hai <script>&\"'"));
    // Every cell ends in a paragraph (Word's rule), the padded one included.
    assert_eq!(
        xml.matches("<w:tc>").count(),
        xml.matches("<w:p/></w:tc>").count() + xml.matches("</w:p></w:tc>").count()
    );
    assert_eq!(xml.matches("<w:gridCol ").count(), 2 + 2 + 3 + 2);
    let empty = AdminDocument {
        blocks: vec![Block::Table { headers: vec![], rows: vec![vec![], vec![]] }, Block::Fields(vec![])],
        ..sample()
    };
    let (xml, _) = document(&empty);
    assert_eq!(xml.matches("<w:tbl>").count(), 2, "empty tables are left out");
}

#[test]
fn vietnamese_text_is_kept_in_nfc() {
    let (xml, paras) = document(&sample());
    assert!(xml.contains("Sự cố tấn công mã độc tống tiền"));
    // The same title typed in decomposed form (as macOS may give it) comes out composed.
    let nfd = "Su\u{31b}\u{323} co\u{302}\u{301} ta\u{302}\u{301}n co\u{302}ng ma\u{303} \u{111}o\u{323}\u{302}c to\u{302}\u{301}ng tie\u{302}\u{300}n";
    let (xml2, _) = document(&AdminDocument { title: nfd.to_string(), ..sample() });
    assert!(xml2.contains("Sự cố tấn công mã độc tống tiền"));
    assert!(!xml2.contains('\u{301}'));
    assert!(paras.iter().any(|p| p.contains("máy chủ đã bị mã độc tống tiền mã hóa dữ liệu")));
}

#[test]
fn specials_are_escaped_and_controls_removed() {
    let nasty = "<script>&\"'\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff}x]]></w:t>";
    let doc = AdminDocument {
        issuing_body: nasty.to_string(),
        title: nasty.to_string(),
        signer_name: nasty.to_string(),
        place: nasty.to_string(),
        number: Some(nasty.to_string()),
        recipients: vec![nasty.to_string()],
        blocks: vec![
            Block::Heading(nasty.to_string()),
            Block::Paragraph(nasty.to_string()),
            Block::Fields(vec![(nasty.to_string(), nasty.to_string())]),
            Block::Table { headers: vec![nasty.to_string()], rows: vec![vec![nasty.to_string()]] },
        ],
        ..sample()
    };
    let parts = unzip(&write_admin_docx(&doc).unwrap());
    for xml in parts.values() {
        check_xml(xml);
    }
    let xml = &parts["word/document.xml"];
    assert!(xml.contains("&lt;script&gt;&amp;&quot;&apos;x]]&gt;&lt;/w:t&gt;"));
    let paras = check_xml(xml);
    let clean = "<script>&\"'x]]></w:t>";
    assert!(paras.iter().filter(|p| p.as_str() == clean).count() >= 6, "{paras:?}");
    assert!(paras.iter().any(|p| p == &format!("Số: {clean}")));
    assert!(paras.iter().any(|p| p == &format!("- {clean}")));
    assert!(parts["docProps/core.xml"].contains("&lt;script&gt;&amp;&quot;&apos;x]]&gt;"));
}

#[test]
fn line_ends_become_breaks_and_tabs_tabs() {
    let doc = AdminDocument { blocks: vec![Block::Paragraph(s("một\r\nhai\rba\nbốn\tnăm"))], ..sample() };
    let (xml, paras) = document(&doc);
    assert!(paras.iter().any(|p| p == "một\nhai\nba\nbốn\tnăm"));
    assert!(xml.contains("một</w:t><w:br/><w:t xml:space=\"preserve\">hai"));
}

#[test]
fn dates_pad_days_below_ten_and_months_one_and_two() {
    for (place, (y, m, d), want) in [
        ("Hải Phòng", (2026, 3, 5), "Hải Phòng, ngày 05 tháng 3 năm 2026"),
        ("Hà Nội", (2026, 1, 1), "Hà Nội, ngày 01 tháng 01 năm 2026"),
        ("Hà Nội", (2026, 2, 28), "Hà Nội, ngày 28 tháng 02 năm 2026"),
        ("Huế", (2026, 12, 9), "Huế, ngày 09 tháng 12 năm 2026"),
        ("Huế", (2026, 10, 10), "Huế, ngày 10 tháng 10 năm 2026"),
        (" ", (2026, 3, 15), "Ngày 15 tháng 3 năm 2026"),
    ] {
        assert_eq!(date_line(place, NaiveDate::from_ymd_opt(y, m, d).unwrap()), want);
    }
}

#[test]
fn unnumbered_draft_and_missing_parent_body() {
    let doc = AdminDocument { number: None, parent_body: s(" "), doc_type: s(""), recipients: vec![], ..sample() };
    let (_, paras) = document(&doc);
    assert!(paras.iter().any(|p| p.starts_with("Số:\u{a0}")));
    assert!(!paras.iter().any(|p| p.contains("CÔNG AN THÀNH PHỐ") || p == "BÁO CÁO" || p == "Nơi nhận:"));
}

#[test]
fn same_input_same_bytes() {
    assert_eq!(write_admin_docx(&sample()).unwrap(), write_admin_docx(&sample()).unwrap());
}

#[test]
fn random_text_never_breaks_the_file() {
    let mut rng = Rng(0x5eed);
    let pool: Vec<char> = "aăâđêôơưẠỹ <>&\"';:/\\]]>\u{0}\u{1f}\u{7f}\u{9f}\u{fffe}\u{ffff}\u{10ffff}\u{d7ff}\u{e000}\t\r\n😀\u{301}\u{200b}"
        .chars()
        .collect();
    for _ in 0..40 {
        let mut gen = || -> String { (0..rng.below(40)).map(|_| pool[rng.below(pool.len())]).collect() };
        let doc = AdminDocument {
            parent_body: gen(),
            issuing_body: gen(),
            number: Some(gen()),
            place: gen(),
            doc_type: gen(),
            title: gen(),
            blocks: vec![
                Block::Heading(gen()),
                Block::Paragraph(gen()),
                Block::Fields(vec![(gen(), gen())]),
                Block::Table { headers: vec![gen(), gen()], rows: vec![vec![gen()], vec![gen(), gen(), gen()]] },
            ],
            recipients: vec![gen(), gen()],
            signer_position: gen(),
            signer_name: gen(),
            ..sample()
        };
        for xml in unzip(&write_admin_docx(&doc).unwrap()).values() {
            check_xml(xml);
        }
    }
}

#[test]
fn nd30_phu_luc_i_ii_9b_kinh_gui_on_one_line_or_one_a_line() {
    assert_eq!(super::addressee_lines(&[s("Bộ Công an")]), vec![s("Kính gửi: Bộ Công an.")]);
    assert_eq!(
        super::addressee_lines(&[s("Bộ Công an;"), s("UBND thành phố")]),
        vec![s("Kính gửi:"), s("- Bộ Công an;"), s("- UBND thành phố.")]
    );
    assert!(super::addressee_lines(&[s("  ")]).is_empty());
    let (xml, _) = document(&sample());
    assert!(xml.contains("Kính gửi: Công an thành phố Hải Phòng."), "the DOCX carries the addressee");
}
