//! The authority's own Word templates (issue 17.2): a DOCX with `{{he_thong.ten}}`-style
//! fields, and table rows repeated over a list (`{{#thanh_phan}}` … `{{/thanh_phan}}` in one
//! row, the item's fields written `{{ten}}`). A template is checked on upload — a real DOCX,
//! no macros, no zip bomb, every field and loop known to the document type — and rendered by
//! rewriting only the text of its runs, so its styles, headers and layout stay the author's.
//! Values in, bytes out.

mod scan;
#[cfg(test)]
mod tests;

use crate::zip_guard::{check_archive, ZipLimits, ZipRefusal};
use scan::{apply, edits_for, escape, scan, tokens, Edit, Token};
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

/// The largest template accepted.
pub const MAX_TEMPLATE_BYTES: usize = 5 * 1024 * 1024;

/// What an unfilled field shows in a preview.
pub const BLANK: &str = "……………";

const LIMITS: ZipLimits =
    ZipLimits { total_bytes: 64 << 20, default_entry_bytes: 32 << 20, entry_bytes: &[], entries: 1000 };

/// A field a document type offers: its name in templates, what it is, an example value.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub example: &'static str,
}

/// A list a template may loop over in a table row, with its items' fields.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct ListSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub items: &'static [FieldSpec],
}

/// Every field and list a document type offers.
#[derive(Debug, Clone, Copy)]
pub struct Catalogue {
    pub fields: &'static [FieldSpec],
    pub lists: &'static [ListSpec],
}

/// The values of one document: `None` where the data lacks the field.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub fields: HashMap<String, Option<String>>,
    pub lists: HashMap<String, Vec<HashMap<String, Option<String>>>>,
}

impl Catalogue {
    /// The catalogue's own examples: a preview with a demo system.
    pub fn examples(&self) -> Values {
        let fields = self.fields.iter().map(|f| (f.name.to_string(), Some(f.example.to_string()))).collect();
        let lists = self
            .lists
            .iter()
            .map(|l| {
                let item: HashMap<String, Option<String>> =
                    l.items.iter().map(|f| (f.name.to_string(), Some(f.example.to_string()))).collect();
                (l.name.to_string(), vec![item.clone(), item])
            })
            .collect();
        Values { fields, lists }
    }
}

/// Why a template was refused, naming the place (part and paragraph) where it can.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("mẫu quá {max} MiB / the template is over {max} MiB")]
    TooLarge { max: usize },
    #[error("không phải tệp DOCX đọc được ({why}) / not a readable DOCX file ({why})")]
    NotDocx { why: String },
    #[error(
        "tệp có macro (DOCM, vbaProject.bin): Khiên không nhận / the file holds macros (DOCM, vbaProject.bin): refused"
    )]
    Macro,
    #[error("tệp nén giải ra quá lớn (zip bomb?) / the archive inflates past its limits (a zip bomb?)")]
    Bomb,
    #[error("{part}, đoạn {paragraph}: trường «{field}» không có trong danh mục trường của loại văn bản này / {part}, paragraph {paragraph}: the field «{field}» is not one this document type offers")]
    UnknownField { part: String, paragraph: usize, field: String },
    #[error("{part}, đoạn {paragraph}: vòng lặp «{list}» {why_vi} / {part}, paragraph {paragraph}: the loop «{list}» {why_en}")]
    BrokenLoop { part: String, paragraph: usize, list: String, why_vi: &'static str, why_en: &'static str },
    #[error("{part}, đoạn {paragraph}: «{text}» không phải một trường {{{{ten.truong}}}} / {part}, paragraph {paragraph}: «{text}» is not a {{{{name.field}}}} field")]
    Malformed { part: String, paragraph: usize, text: String },
    #[error("{part}: XML hỏng ({why}) / {part}: broken XML ({why})")]
    Xml { part: String, why: String },
}

/// A checked template, ready to render.
#[derive(Debug, Clone)]
pub struct DocxTemplate {
    entries: Vec<(String, Vec<u8>)>,
    fields_used: Vec<String>,
    catalogue: Catalogue,
}

/// A rendered document and the fields the data left blank.
pub struct Rendered {
    pub docx: Vec<u8>,
    pub missing: Vec<String>,
}

/// The parts whose text may hold fields: the body, headers and footers.
fn is_text_part(name: &str) -> bool {
    name == "word/document.xml"
        || (name.starts_with("word/header") && name.ends_with(".xml"))
        || (name.starts_with("word/footer") && name.ends_with(".xml"))
}

fn well_formed(part: &str, xml: &str) -> Result<(), TemplateError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(TemplateError::Xml { part: part.to_string(), why: e.to_string() }),
        }
    }
}

/// A loop row: its range and the list it repeats.
struct LoopRow {
    range: std::ops::Range<usize>,
    list: &'static ListSpec,
}

/// Where each field of a part stands, checked against the catalogue.
struct Plan {
    /// (paragraph index in the scan, token, the loop row it is in).
    tokens: Vec<(usize, Token, Option<usize>)>,
    loops: Vec<LoopRow>,
}

fn plan(part: &str, xml: &str, catalogue: &Catalogue) -> Result<(scan::Scan, Plan), TemplateError> {
    let s = scan(xml);
    let mut found = Vec::new();
    for (i, (number, p)) in s.paragraphs.iter().enumerate() {
        let ts = tokens(xml, *number, p).map_err(|b| TemplateError::Malformed {
            part: part.to_string(),
            paragraph: b.paragraph,
            text: b.text,
        })?;
        found.extend(ts.into_iter().map(|t| (i, t)));
    }
    let innermost = |at: usize| {
        s.rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.range.contains(&at))
            .min_by_key(|(_, r)| r.range.len())
            .map(|(i, _)| i)
    };
    let broken = |t: &Token, why_vi, why_en| TemplateError::BrokenLoop {
        part: part.to_string(),
        paragraph: t.paragraph,
        list: t.name.clone(),
        why_vi,
        why_en,
    };
    let mut loops: Vec<LoopRow> = Vec::new();
    let mut loop_of_row: HashMap<usize, usize> = HashMap::new();
    for (_, t) in found.iter().filter(|(_, t)| t.sigil == Some('#')) {
        let list = catalogue.lists.iter().find(|l| l.name == t.name).ok_or_else(|| TemplateError::UnknownField {
            part: part.to_string(),
            paragraph: t.paragraph,
            field: format!("#{}", t.name),
        })?;
        let row = innermost(t.start.1)
            .ok_or_else(|| broken(t, "phải nằm trong một hàng của bảng", "must stand in a table row"))?;
        if loop_of_row.contains_key(&row) {
            return Err(broken(t, "trùng với một vòng lặp khác trong cùng hàng", "shares its row with another loop"));
        }
        let range = s.rows.get(row).map(|r| r.range.clone()).unwrap_or_default();
        let closed = found.iter().any(|(_, c)| c.sigil == Some('/') && c.name == t.name && range.contains(&c.start.1));
        if !closed {
            return Err(broken(
                t,
                "mở mà không đóng trong cùng hàng của bảng",
                "opens without closing in the same table row",
            ));
        }
        loop_of_row.insert(row, loops.len());
        loops.push(LoopRow { range, list });
    }
    let mut planned = Vec::new();
    for (i, t) in found {
        let in_loop = loops.iter().position(|l| l.range.contains(&t.start.1));
        match (t.sigil, in_loop) {
            (Some('/'), None) => {
                return Err(broken(
                    &t,
                    "đóng mà không có chỗ mở trong cùng hàng",
                    "closes without an opening in the same row",
                ))
            }
            (Some('/'), Some(l)) if loops.get(l).is_some_and(|l| l.list.name != t.name) => {
                return Err(broken(
                    &t,
                    "đóng một vòng lặp khác với vòng lặp đang mở",
                    "closes another loop than the open one",
                ))
            }
            (None, _) => {
                let item =
                    in_loop.and_then(|l| loops.get(l)).is_some_and(|l| l.list.items.iter().any(|f| f.name == t.name));
                if !item && !catalogue.fields.iter().any(|f| f.name == t.name) {
                    return Err(TemplateError::UnknownField {
                        part: part.to_string(),
                        paragraph: t.paragraph,
                        field: t.name.clone(),
                    });
                }
            }
            _ => {}
        }
        planned.push((i, t, in_loop));
    }
    Ok((s, Plan { tokens: planned, loops }))
}

impl DocxTemplate {
    /// Checks an uploaded template against a document type's catalogue.
    pub fn parse(bytes: &[u8], catalogue: Catalogue) -> Result<DocxTemplate, TemplateError> {
        if bytes.len() > MAX_TEMPLATE_BYTES {
            return Err(TemplateError::TooLarge { max: MAX_TEMPLATE_BYTES >> 20 });
        }
        match check_archive(bytes, &LIMITS) {
            Ok(()) => {}
            Err(ZipRefusal::TooLarge { .. } | ZipRefusal::TooManyEntries { .. }) => return Err(TemplateError::Bomb),
            Err(ZipRefusal::Unreadable) => return Err(TemplateError::NotDocx { why: "zip".into() }),
        }
        let not_docx = |why: &str| TemplateError::NotDocx { why: why.to_string() };
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_docx("zip"))?;
        let mut entries = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).map_err(|_| not_docx("zip"))?;
            let name = f.name().map_err(|_| not_docx("zip"))?.into_owned();
            if name.to_ascii_lowercase().ends_with("vbaproject.bin") {
                return Err(TemplateError::Macro);
            }
            let mut data = Vec::new();
            f.read_to_end(&mut data).map_err(|_| not_docx(&name))?;
            entries.push((name, data));
        }
        let types =
            entries.iter().find(|(n, _)| n == "[Content_Types].xml").ok_or_else(|| not_docx("[Content_Types].xml"))?;
        if String::from_utf8_lossy(&types.1).contains("macroEnabled") {
            return Err(TemplateError::Macro);
        }
        if !entries.iter().any(|(n, _)| n == "word/document.xml") {
            return Err(not_docx("word/document.xml"));
        }
        let mut used = Vec::new();
        for (name, data) in entries.iter().filter(|(n, _)| is_text_part(n)) {
            let xml = std::str::from_utf8(data)
                .map_err(|_| TemplateError::Xml { part: name.clone(), why: "UTF-8".into() })?;
            well_formed(name, xml)?;
            let (_, p) = plan(name, xml, &catalogue)?;
            for (_, t, in_loop) in &p.tokens {
                // An item's field is listed under its list: "thanh_phan.ten".
                let list = in_loop.and_then(|l| p.loops.get(l)).map(|l| l.list);
                let field = match (t.sigil, list) {
                    (Some('#'), _) => format!("#{}", t.name),
                    (Some(_), _) => continue,
                    (None, Some(l)) if l.items.iter().any(|f| f.name == t.name) => format!("{}.{}", l.name, t.name),
                    (None, _) => t.name.clone(),
                };
                if !used.contains(&field) {
                    used.push(field);
                }
            }
        }
        Ok(DocxTemplate { entries, fields_used: used, catalogue })
    }

    /// The fields (and `#lists`) the template uses, in the order first met.
    pub fn fields_used(&self) -> &[String] {
        &self.fields_used
    }

    /// Writes `values` into the template. A field the data lacks shows `BLANK` and is listed
    /// in `missing`, so the caller can refuse to issue it.
    pub fn render(&self, values: &Values) -> Result<Rendered, TemplateError> {
        let mut missing: Vec<String> = Vec::new();
        let mut value_of = |name: &str, item: Option<&HashMap<String, Option<String>>>| -> String {
            let found = item.and_then(|i| i.get(name)).or_else(|| values.fields.get(name));
            match found {
                Some(Some(v)) => escape(v),
                _ => {
                    if !missing.iter().any(|m| m == name) {
                        missing.push(name.to_string());
                    }
                    BLANK.to_string()
                }
            }
        };
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in &self.entries {
            let rendered;
            let bytes: &[u8] = if is_text_part(name) {
                let xml = std::str::from_utf8(data)
                    .map_err(|_| TemplateError::Xml { part: name.clone(), why: "UTF-8".into() })?;
                let (s, p) = plan(name, xml, &self.catalogue)?;
                let mut edits = Vec::new();
                for (i, t, l) in &p.tokens {
                    if l.is_none() {
                        if let Some((_, para)) = s.paragraphs.get(*i) {
                            edits_for(para, t, value_of(&t.name, None), &mut edits);
                        }
                    }
                }
                for (l, row) in p.loops.iter().enumerate() {
                    let items = values.lists.get(row.list.name).map(Vec::as_slice).unwrap_or(&[]);
                    let mut repeated = String::new();
                    for item in items {
                        let mut row_edits = Vec::new();
                        for (i, t, _) in p.tokens.iter().filter(|(_, _, at)| *at == Some(l)) {
                            let Some((_, para)) = s.paragraphs.get(*i) else { continue };
                            let v = if t.sigil.is_some() { String::new() } else { value_of(&t.name, Some(item)) };
                            edits_for(para, t, v, &mut row_edits);
                        }
                        repeated.push_str(&apply(xml, row.range.clone(), row_edits));
                    }
                    edits.push(Edit { range: row.range.clone(), with: repeated });
                }
                rendered = apply(xml, 0..xml.len(), edits);
                rendered.as_bytes()
            } else {
                data
            };
            out.start_file(name.as_str(), options).map_err(|e| TemplateError::NotDocx { why: e.to_string() })?;
            out.write_all(bytes).map_err(|e| TemplateError::NotDocx { why: e.to_string() })?;
        }
        let docx = out.finish().map_err(|e| TemplateError::NotDocx { why: e.to_string() })?.into_inner();
        Ok(Rendered { docx, missing })
    }
}
