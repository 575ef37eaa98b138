//! Serialises composed pages as a PDF 1.7 file: each face used is embedded as a TrueType
//! subset (Type0 font, Identity-H encoding, CID = subset glyph id) with widths and a
//! ToUnicode map, so the text can be searched and copied with its diacritics; every stream is
//! Flate-compressed. Output is deterministic: the same input gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use subsetter::GlyphRemapper;

use super::font::{Faces, Style};
use super::layout::{Op, Page, PAGE_H, PAGE_W};
use super::PdfError;

/// Document information written into the file's Info dictionary.
pub(super) struct Info<'a> {
    pub title: &'a str,
    pub author: &'a str,
    /// "D:20260305000000Z"
    pub created: String,
}

struct Objects {
    bodies: Vec<Vec<u8>>,
}

impl Objects {
    /// Reserves an object number (1-based) to be filled later.
    fn reserve(&mut self) -> usize {
        self.bodies.push(Vec::new());
        self.bodies.len()
    }
    fn set(&mut self, id: usize, body: Vec<u8>) {
        if let Some(slot) = self.bodies.get_mut(id - 1) {
            *slot = body;
        }
    }
    fn add(&mut self, body: Vec<u8>) -> usize {
        self.bodies.push(body);
        self.bodies.len()
    }
}

fn stream(dict: &str, data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(data)?;
    let packed = z.finish()?;
    let mut out = format!("<< /Length {} /Filter /FlateDecode{dict} >>\nstream\n", packed.len()).into_bytes();
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream");
    Ok(out)
}

/// A PDF text string: UTF-16BE with a byte-order mark, in hex.
fn text_string(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in s.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

/// A number as PDF writes it: at most two decimals, no trailing zeros.
fn num(v: f32) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

struct Embedded {
    style: Style,
    object: usize,
    remap: GlyphRemapper,
}

pub(super) fn write(
    pages: &[Page],
    faces: &Faces,
    used: &[BTreeMap<u16, char>; 4],
    info: &Info,
) -> Result<Vec<u8>, PdfError> {
    let mut objects = Objects { bodies: Vec::new() };
    let catalog = objects.reserve();
    let pages_id = objects.reserve();
    let info_id = objects.add(
        format!(
            "<< /Title {} /Author {} /Producer {} /Creator {} /CreationDate ({}) >>",
            text_string(info.title),
            text_string(info.author),
            text_string("Khiên"),
            text_string("Khiên"),
            info.created
        )
        .into_bytes(),
    );

    let mut fonts = Vec::new();
    for style in Style::ALL {
        let glyphs = style.of(used);
        if glyphs.is_empty() {
            continue;
        }
        let keys: Vec<u16> = glyphs.keys().copied().collect();
        let remap = GlyphRemapper::new_from_glyphs_sorted(&keys);
        let object = embed_font(&mut objects, faces, style, &remap, glyphs)?;
        fonts.push(Embedded { style, object, remap });
    }
    let font_resources: String = fonts.iter().map(|f| format!("/F{} {} 0 R ", f.style as usize, f.object)).collect();

    let mut kids = Vec::new();
    for page in pages {
        let content = objects.add(stream("", &content(page, &fonts))?);
        let page_id = objects.add(
            format!(
                "<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {} {}] /Resources << /Font << {font_resources}>> >> /Contents {content} 0 R >>",
                num(PAGE_W),
                num(PAGE_H)
            )
            .into_bytes(),
        );
        kids.push(format!("{page_id} 0 R"));
    }
    objects.set(pages_id, format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), kids.len()).into_bytes());
    objects.set(catalog, format!("<< /Type /Catalog /Pages {pages_id} 0 R /Lang (vi-VN) >>").into_bytes());
    Ok(assemble(&objects, catalog, info_id))
}

fn content(page: &Page, fonts: &[Embedded]) -> Vec<u8> {
    let mut out = String::new();
    for op in &page.ops {
        match op {
            Op::Text(run) => {
                let Some(font) = fonts.iter().find(|f| f.style == run.style) else { continue };
                let _ =
                    write!(out, "BT /F{} {} Tf {} {} Td <", run.style as usize, num(run.size), num(run.x), num(run.y));
                for g in &run.glyphs {
                    let _ = write!(out, "{:04X}", font.remap.get(*g).unwrap_or(0));
                }
                out.push_str("> Tj ET\n");
            }
            Op::Line { x1, y1, x2, y2, width } => {
                let _ = writeln!(out, "{} w {} {} m {} {} l S", num(*width), num(*x1), num(*y1), num(*x2), num(*y2));
            }
        }
    }
    out.into_bytes()
}

/// Writes the five objects of one embedded face and returns the Type0 font's number.
fn embed_font(
    objects: &mut Objects,
    faces: &Faces,
    style: Style,
    remap: &GlyphRemapper,
    glyphs: &BTreeMap<u16, char>,
) -> Result<usize, PdfError> {
    let face = faces.get(style);
    let subset = subsetter::subset(face.data, 0, remap).map_err(|e| PdfError::Font(format!("{}: {e}", face.name)))?;
    // A subset's name carries a six-letter tag (ISO 32000-1 §9.6.4).
    let name = format!("KHIEN{}+{}", style.of(&['A', 'B', 'C', 'D']), face.name);
    let file = objects.add(stream(&format!(" /Length1 {}", subset.len()), &subset)?);

    let f = &face.face;
    let bbox = f.global_bounding_box();
    let flags = 32 | 2 | if face.italic { 64 } else { 0 };
    let descriptor = objects.add(
        format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [{} {} {} {}] /ItalicAngle {} /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {file} 0 R >>",
            num(face.scaled(bbox.x_min)),
            num(face.scaled(bbox.y_min)),
            num(face.scaled(bbox.x_max)),
            num(face.scaled(bbox.y_max)),
            num(f.italic_angle()),
            num(face.scaled(f.ascender())),
            num(face.scaled(f.descender())),
            num(face.scaled(f.capital_height().unwrap_or(f.ascender()))),
        )
        .into_bytes(),
    );

    let widths: Vec<String> = remap.remapped_gids().map(|old| num(face.advance(old))).collect();
    let cid_font = objects.add(
        format!(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 /W [0 [{}]] /CIDToGIDMap /Identity >>",
            widths.join(" ")
        )
        .into_bytes(),
    );
    let to_unicode = objects.add(stream("", to_unicode_cmap(remap, glyphs).as_bytes())?);
    Ok(objects.add(
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
        )
        .into_bytes(),
    ))
}

/// The CMap that maps each subset glyph back to its character, in blocks of at most 100
/// entries as the format requires.
fn to_unicode_cmap(remap: &GlyphRemapper, glyphs: &BTreeMap<u16, char>) -> String {
    let mut pairs: Vec<(u16, char)> = glyphs.iter().filter_map(|(old, c)| Some((remap.get(*old)?, *c))).collect();
    pairs.sort_unstable();
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in pairs.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", chunk.len());
        for (gid, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c.encode_utf16(&mut units).iter().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(out, "<{gid:04X}> <{hex}>");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

/// Header, numbered objects, cross-reference table and trailer.
fn assemble(objects: &Objects, root: usize, info: usize) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.bodies.len());
    for (i, body) in objects.bodies.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.bodies.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root {root} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.bodies.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}
