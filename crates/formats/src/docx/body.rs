//! word/document.xml: the NĐ 30/2020/NĐ-CP layout of an administrative document.
//!
//! Page A4 portrait, margins top and bottom 20 mm, left 30 mm, right 15 mm. Header table
//! (issuing body and number left, national motto and place/date right), document type and
//! summary title centred, the body blocks, then "Nơi nhận" left and the signature right.

use super::parts::{document_open, HEADER_RID};
use super::xml::{estimate_width, mm, para, rule, Align, Font, Para};
use super::{date_line, AdminDocument, Block, MOTTO, SLOGAN};

pub(super) const PAGE_W: u32 = 11906;
pub(super) const PAGE_H: u32 = 16838;
pub(super) const MARGIN_TOP_MM: f64 = 20.0;
pub(super) const MARGIN_BOTTOM_MM: f64 = 20.0;
pub(super) const MARGIN_LEFT_MM: f64 = 30.0;
pub(super) const MARGIN_RIGHT_MM: f64 = 15.0;

/// Body text: 14 pt, justified, first line indented 1.27 cm, 6 pt before, line spacing 1.2.
const BODY: Font = Font::new(14.0);
const FIRST_LINE: u32 = 720;
/// Text inside tables: 13 pt.
const CELL: Font = Font::new(13.0);

fn text_width() -> u32 {
    PAGE_W - mm(MARGIN_LEFT_MM) - mm(MARGIN_RIGHT_MM)
}

pub(super) fn document_xml(doc: &AdminDocument) -> String {
    let mut out = document_open();
    heading_table(&mut out, doc);
    title(&mut out, doc);
    for block in &doc.blocks {
        match block {
            Block::Heading(s) => {
                let mut p = body_para();
                p.keep_next = true;
                para(&mut out, &p, s, BODY.bold());
            }
            Block::Paragraph(s) => para(&mut out, &body_para(), s, BODY),
            Block::Centered(s) => {
                let mut p = Para::new(Align::Center, BODY);
                p.before = 120;
                p.keep_next = true;
                para(&mut out, &p, s, BODY.bold());
            }
            Block::Fields(fields) => fields_table(&mut out, fields),
            Block::Table { headers, rows } => grid_table(&mut out, headers, rows),
        }
    }
    signature(&mut out, doc);
    section(&mut out);
    out.push_str("</w:body></w:document>");
    out
}

fn body_para() -> Para {
    let mut p = Para::new(Align::Both, BODY);
    p.before = 120;
    p.line = 288;
    p.first_line = FIRST_LINE;
    p
}

/// The two-column borderless header: row 1 holds the issuing body (left) and the national
/// motto (right), row 2 the number (left) and the place and date (right), so that these two
/// stand on one line as NĐ 30 places them.
fn heading_table(out: &mut String, doc: &AdminDocument) {
    let left = mm(72.0);
    let right = text_width() - left;
    let pad = 57;
    table_open(out, &[left, right], false, pad);

    out.push_str("<w:tr>");
    let mut cell = String::new();
    let centre = |pt: f64| Para::new(Align::Center, Font::new(pt));
    if !doc.parent_body.trim().is_empty() {
        para(&mut cell, &centre(12.0), &doc.parent_body.to_uppercase(), Font::new(12.0));
    }
    let issuer = doc.issuing_body.to_uppercase();
    para(&mut cell, &centre(12.0), &issuer, Font::new(12.0).bold());
    let inner = left - 2 * pad;
    let issuer_w = longest_line(&issuer, Font::new(12.0).bold()).min(inner);
    rule(&mut cell, inner, (issuer_w * 2 / 5).max(mm(15.0)), 0);
    table_cell(out, left, &cell);

    let mut cell = String::new();
    para(&mut cell, &centre(12.0), MOTTO, Font::new(12.0).bold());
    para(&mut cell, &centre(13.0), SLOGAN, Font::new(13.0).bold());
    let inner = right - 2 * pad;
    rule(&mut cell, inner, estimate_width(SLOGAN, Font::new(13.0).bold()), 0);
    table_cell(out, right, &cell);
    out.push_str("</w:tr>");

    out.push_str("<w:tr>");
    let mut cell = String::new();
    let mut p = centre(13.0);
    p.before = 120;
    let number = match doc.number.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => format!("Số: {n}"),
        // Left for the clerk to fill in by hand when the document is issued.
        _ => "Số:\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}".to_string(),
    };
    para(&mut cell, &p, &number, Font::new(13.0));
    table_cell(out, left, &cell);
    let mut cell = String::new();
    let mut p = centre(14.0);
    p.before = 120;
    para(&mut cell, &p, &date_line(&doc.place, doc.date), Font::new(14.0).italic());
    table_cell(out, right, &cell);
    out.push_str("</w:tr></w:tbl>");
}

/// Document type (upper case) and summary title, centred and bold, a short rule below.
fn title(out: &mut String, doc: &AdminDocument) {
    let width = text_width();
    let mut p = Para::new(Align::Center, BODY);
    p.before = 480;
    p.keep_next = true;
    if !doc.doc_type.trim().is_empty() {
        para(out, &p, &doc.doc_type.to_uppercase(), BODY.bold());
        p.before = 0;
    }
    para(out, &p, &doc.title, BODY.bold());
    let title_w = longest_line(&doc.title, BODY.bold()).min(width);
    rule(out, width, (title_w * 2 / 5).max(mm(20.0)), 240);
    addressees(out, doc);
}

/// "Kính gửi": one addressee centred on one line; several, one a line, indented (NĐ 30/2020
/// Phụ lục I II.9b: lower case, upright, 13–14 pt).
fn addressees(out: &mut String, doc: &AdminDocument) {
    let lines = super::addressee_lines(&doc.addressees);
    let mut p = Para::new(if lines.len() == 1 { Align::Center } else { Align::Left }, BODY);
    p.after = 0;
    if lines.len() > 1 {
        p.indent_left = text_width() / 4;
    }
    for (i, line) in lines.iter().enumerate() {
        if i + 1 == lines.len() {
            p.after = 240;
        }
        para(out, &p, line, BODY);
    }
}

fn longest_line(s: &str, font: Font) -> u32 {
    s.split(['\n', '\r']).map(|l| estimate_width(l, font)).max().unwrap_or(0)
}

/// A label–value table: labels bold in the narrower left column.
fn fields_table(out: &mut String, fields: &[(String, String)]) {
    if fields.is_empty() {
        return;
    }
    let label = text_width() * 35 / 100;
    let value = text_width() - label;
    spacer(out, 4.0);
    table_open(out, &[label, value], true, 108);
    for (k, v) in fields {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let mut cell = String::new();
        para(&mut cell, &cell_para(), k, CELL.bold());
        table_cell(out, label, &cell);
        let mut cell = String::new();
        para(&mut cell, &cell_para(), v, CELL);
        table_cell(out, value, &cell);
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    spacer(out, 4.0);
}

/// A table with a bold header row (repeated on each page); short rows are padded with empty
/// cells, and columns get widths after their longest text.
fn grid_table(out: &mut String, headers: &[String], rows: &[Vec<String>]) {
    let cols = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
    if cols == 0 {
        return;
    }
    let mut weight = vec![4u64; cols];
    for line in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        for (w, s) in weight.iter_mut().zip(line) {
            let longest = s.split('\n').map(|l| l.chars().count()).max().unwrap_or(0);
            *w = (*w).max(longest.min(30) as u64);
        }
    }
    let total: u64 = weight.iter().sum();
    let width = u64::from(text_width());
    let mut widths: Vec<u32> = weight.iter().map(|w| (width * w / total) as u32).collect();
    let used: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += text_width() - used;
    }
    spacer(out, 4.0);
    table_open(out, &widths, true, 85);
    let empty = String::new();
    if !headers.is_empty() {
        out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        let mut p = cell_para();
        p.align = Align::Center;
        for (i, w) in widths.iter().enumerate() {
            let mut cell = String::new();
            para(&mut cell, &p, headers.get(i).unwrap_or(&empty), CELL.bold());
            table_cell(out, *w, &cell);
        }
        out.push_str("</w:tr>");
    }
    for row in rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (i, w) in widths.iter().enumerate() {
            let mut cell = String::new();
            para(&mut cell, &cell_para(), row.get(i).unwrap_or(&empty), CELL);
            table_cell(out, *w, &cell);
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    spacer(out, 4.0);
}

fn cell_para() -> Para {
    let mut p = Para::new(Align::Left, CELL);
    p.before = 40;
    p.after = 40;
    p
}

/// "Nơi nhận:" with its list (left) and the signature block (right), kept on one page.
fn signature(out: &mut String, doc: &AdminDocument) {
    let left = text_width() * 44 / 100;
    let right = text_width() - left;
    spacer(out, 12.0);
    table_open(out, &[left, right], false, 57);
    out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");

    let mut cell = String::new();
    let recipients: Vec<&str> = doc.recipients.iter().map(|r| r.trim()).filter(|r| !r.is_empty()).collect();
    if !recipients.is_empty() {
        let mut p = Para::new(Align::Left, Font::new(12.0));
        p.before = 120;
        para(&mut cell, &p, "Nơi nhận:", Font::new(12.0).bold().italic());
        let p = Para::new(Align::Left, Font::new(11.0));
        for r in recipients {
            let line = if r.starts_with(['-', '–', '+']) { r.to_string() } else { format!("- {r}") };
            para(&mut cell, &p, &line, Font::new(11.0));
        }
    }
    table_cell(out, left, &cell);

    let mut cell = String::new();
    let mut p = Para::new(Align::Center, BODY);
    para(&mut cell, &p, &doc.signer_position.to_uppercase(), BODY.bold());
    // Room for the signature and the seal.
    p.before = mm(28.0);
    para(&mut cell, &p, &doc.signer_name, BODY.bold());
    table_cell(out, right, &cell);
    out.push_str("</w:tr></w:tbl>");
    spacer(out, 1.0);
}

/// An empty paragraph about `pt` high; also keeps adjacent tables apart (Word would join
/// them) and gives the body the paragraph Word wants after a closing table.
fn spacer(out: &mut String, pt: f64) {
    let p = Para::new(Align::Left, Font::new(pt));
    para(out, &p, "", Font::new(pt));
}

fn table_open(out: &mut String, widths: &[u32], borders: bool, pad: u32) {
    let total: u32 = widths.iter().sum();
    let edge = if borders { "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"" } else { "w:val=\"nil\"" };
    out.push_str(&format!("<w:tbl><w:tblPr><w:tblW w:w=\"{total}\" w:type=\"dxa\"/><w:tblBorders>"));
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        out.push_str(&format!("<w:{side} {edge}/>"));
    }
    out.push_str(&format!(
        "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"{pad}\" w:type=\"dxa\"/>\
<w:right w:w=\"{pad}\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>"
    ));
    for w in widths {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid>");
}

/// A cell of `width` twips; a cell must end in a paragraph, so an empty one gets one.
fn table_cell(out: &mut String, width: u32, content: &str) {
    out.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"));
    if content.is_empty() {
        out.push_str("<w:p/>");
    } else {
        out.push_str(content);
    }
    out.push_str("</w:tc>");
}

/// A4 portrait, the margins above, the page number header from page 2 on.
fn section(out: &mut String) {
    out.push_str(&format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"{HEADER_RID}\"/>\
<w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/><w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" \
w:left=\"{}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/><w:cols w:space=\"720\"/><w:titlePg/>\
<w:docGrid w:linePitch=\"360\"/></w:sectPr>",
        mm(MARGIN_TOP_MM),
        mm(MARGIN_RIGHT_MM),
        mm(MARGIN_BOTTOM_MM),
        mm(MARGIN_LEFT_MM),
    ));
}
