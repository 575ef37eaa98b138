#![allow(clippy::unwrap_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};

use super::font::{Faces, Style};
use super::write_admin_pdf;
use crate::docx::{AdminDocument, Block};

/// Every Vietnamese letter, lower and upper case, with each tone mark.
const VIETNAMESE: &str = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";

fn sample() -> AdminDocument {
    crate::docx::tests::sample()
}

fn pdftotext(pdf: &[u8]) -> Option<String> {
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(pdf).ok()?;
    let out = child.wait_with_output().ok()?;
    assert!(out.status.success(), "pdftotext refused the file");
    Some(String::from_utf8(out.stdout).unwrap())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The xref table must point at each object's first byte; returns the page count.
fn check_structure(pdf: &[u8]) -> usize {
    assert!(pdf.starts_with(b"%PDF-1.7\n"));
    assert!(pdf.ends_with(b"%%EOF\n"));
    let tail = std::str::from_utf8(&pdf[find(pdf, b"startxref\n").unwrap()..]).unwrap();
    let start: usize = tail.lines().nth(1).unwrap().parse().unwrap();
    let table = std::str::from_utf8(&pdf[start..]).unwrap();
    assert!(table.starts_with("xref\n"));
    let offsets = table.lines().skip(3).take_while(|l| l.ends_with(" n "));
    for (i, line) in offsets.enumerate() {
        let offset: usize = line[..10].parse().unwrap();
        assert!(pdf[offset..].starts_with(format!("{} 0 obj", i + 1).as_bytes()), "object {}", i + 1);
    }
    let pages = &pdf[find(pdf, b"/Type /Pages").unwrap()..];
    let count = std::str::from_utf8(&pages[find(pages, b"/Count ").unwrap() + 7..][..6]).unwrap();
    count.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn every_face_draws_every_vietnamese_letter() {
    let faces = Faces::load().unwrap();
    for style in Style::ALL {
        for c in VIETNAMESE.chars().chain(VIETNAMESE.to_uppercase().chars()) {
            assert!(faces.get(style).covers(c), "{style:?} lacks {c}");
        }
    }
}

#[test]
fn the_sample_is_a_well_formed_one_page_pdf() {
    let pdf = write_admin_pdf(&sample()).unwrap();
    assert_eq!(check_structure(&pdf), 1);
    // Subsets, not whole fonts: four Liberation Serif faces would be over a megabyte.
    assert!(pdf.len() < 120_000, "{} bytes", pdf.len());
    assert_eq!(pdf, write_admin_pdf(&sample()).unwrap(), "same input, same bytes");
}

#[test]
fn text_comes_back_out_with_its_diacritics() {
    let mut doc = sample();
    let letters: Vec<char> = VIETNAMESE.chars().chain(VIETNAMESE.to_uppercase().chars()).collect();
    let words: Vec<String> = letters.chunks(6).map(|w| w.iter().collect()).collect();
    doc.blocks.push(Block::Paragraph(words.join(" ")));
    let pdf = write_admin_pdf(&doc).unwrap();
    let Some(text) = pdftotext(&pdf) else {
        println!("pdftotext (Debian poppler-utils) is not installed: text extraction not checked here");
        return;
    };
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/BC-PA05",
        "Hải Phòng, ngày 05 tháng 3 năm 2026",
        "BÁO CÁO",
        "Sự cố tấn công mã độc tống tiền tại Sở Y tế",
        "Cổng dịch vụ công của Sở Y tế",
        "Nơi nhận:",
    ]
    .iter()
    .chain(words.iter().map(String::as_str).collect::<Vec<_>>().iter())
    {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn long_bodies_and_tables_flow_onto_numbered_pages() {
    let mut doc = sample();
    let rows: Vec<Vec<String>> = (1..=120)
        .map(|i| vec![i.to_string(), format!("Máy chủ số {i}"), format!("10.0.{}.{}", i / 250, i % 250)])
        .collect();
    doc.blocks.push(Block::Table { headers: vec!["STT".into(), "Tên".into(), "Địa chỉ".into()], rows });
    for i in 0..40 {
        doc.blocks.push(Block::Paragraph(format!("Đoạn {i}: {}", "nội dung báo cáo sự cố ".repeat(20))));
    }
    let pdf = write_admin_pdf(&doc).unwrap();
    // For looking at the layout: KHIEN_PDF_SAMPLE=/tmp/sample.pdf cargo test -p khien-formats pdf
    if let Ok(path) = std::env::var("KHIEN_PDF_SAMPLE") {
        std::fs::write(path, &pdf).unwrap();
    }
    let pages = check_structure(&pdf);
    assert!(pages >= 5, "{pages} pages");
    if let Some(text) = pdftotext(&pdf) {
        let sheets: Vec<&str> = text.split('\u{c}').collect();
        assert!(sheets[1].trim_start().starts_with('2'), "page 2 is numbered");
        // The header row is repeated on the page the table continues on.
        assert!(sheets[1].contains("STT"), "{}", sheets[1]);
        assert!(text.contains("Máy chủ số 120"));
    }
}

#[test]
fn hostile_text_still_gives_a_valid_file() {
    let mut doc = sample();
    doc.title = "x".repeat(5_000);
    doc.issuing_body = "\u{0}\u{7}\t\r\u{1b}[31m".into();
    doc.blocks = vec![
        Block::Paragraph("a".repeat(20_000)),
        Block::Paragraph("🚨 emoji and \u{202e}bidi".into()),
        Block::Table { headers: vec![], rows: vec![] },
        Block::Table { headers: vec!["only".into()], rows: vec![vec!["a".into(), "b".into(), "c".into()]] },
        Block::Fields(vec![("".into(), "d".repeat(9_000))]),
        Block::Heading("".into()),
    ];
    doc.recipients = (0..80).map(|i| format!("Nơi {i}")).collect();
    let pdf = write_admin_pdf(&doc).unwrap();
    assert!(check_structure(&pdf) >= 3);
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("? emoji"), "an undrawable character becomes '?'");
    }
    let empty = AdminDocument { blocks: vec![], recipients: vec![], ..sample() };
    assert_eq!(check_structure(&write_admin_pdf(&empty).unwrap()), 1);
}

/// NĐ 30/2020/NĐ-CP Phụ lục I, I.4: the typeface is Times New Roman. The PDF embeds a face with
/// its advance widths (Times New Roman's, in thousandths of an em: H 722, a 444, m 778, space 250,
/// ệ as e 444), so lines break where they break in Word.
#[test]
fn nd30_phu_luc_i_pdf_typeface_has_times_new_roman_metrics() {
    let faces = Faces::load().unwrap();
    let regular = faces.get(Style::Regular);
    for (c, width) in [('H', 722.0), ('a', 444.0), ('m', 778.0), (' ', 250.0), ('ệ', 444.0)] {
        let advance = regular.advance(regular.glyph(c));
        assert!((advance - width).abs() < 1.0, "{c}: {advance}");
    }
    let pdf = String::from_utf8_lossy(&write_admin_pdf(&sample()).unwrap()).into_owned();
    assert!(pdf.contains("+LiberationSerif"), "the embedded face is named in the PDF");
    assert!(!pdf.contains("DejaVu"));
}
