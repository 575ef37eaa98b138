//! The tables of a Word document (word/document.xml), read as sheets: one `SheetRow` list per
//! top-level table, cells placed on the table's grid. A cell merged across columns (gridSpan)
//! stands in its first column; a cell continuing a vertical merge (vMerge) repeats the text above
//! it, as the reader of the printed table sees it. Paragraphs and line breaks in a cell become
//! lines; a table nested in a cell adds its text to that cell.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{Cell, SheetRow};
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::reader::xlsx::MAX_CELL_CHARS;
use crate::zip_guard::{check_archive, ZipLimits, ZipRefusal};

/// A plan's document is a few hundred kilobytes of XML; a bomb is refused before inflating.
const LIMITS: ZipLimits = ZipLimits {
    total_bytes: 256 << 20,
    default_entry_bytes: 64 << 20,
    entry_bytes: &[("word/document.xml", 64 << 20)],
    entries: 10_000,
};

/// Reads every top-level table; at most `max_rows` rows in one table.
pub(crate) fn read_tables(file: &str, bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<SheetRow>>, ImportError> {
    let fail = |kind| ImportError::new(file, Location::File, None, kind);
    match check_archive(bytes, &LIMITS) {
        Ok(()) => {}
        Err(ZipRefusal::Unreadable) => return Err(fail(K::MalformedDocx("not a zip archive".into()))),
        Err(ZipRefusal::TooLarge { entry, max_bytes }) => {
            return Err(fail(K::UnpackedTooLarge { max_mib: max_bytes >> 20, part: entry }))
        }
        Err(ZipRefusal::TooManyEntries { max }) => return Err(fail(K::TooManyParts { max })),
    }
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| fail(K::MalformedDocx(e.to_string())))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|_| fail(K::MalformedDocx("word/document.xml is missing".into())))?
        .read_to_string(&mut xml)
        .map_err(|e| fail(K::MalformedDocx(e.to_string())))?;
    Tables::default().read(file, &xml, max_rows)
}

/// One cell being read: where it starts on the grid, how many columns it spans, its text.
#[derive(Default)]
struct OpenCell {
    span: usize,
    continues: bool,
    text: String,
}

#[derive(Default)]
struct Tables {
    done: Vec<Vec<SheetRow>>,
    /// Open tables, outermost first; only the outermost one makes rows.
    depth: usize,
    rows: Vec<SheetRow>,
    /// The text of the last cell that started at each grid column (for vertical merges).
    above: Vec<String>,
    row: Vec<(usize, String)>,
    col: usize,
    cell: Option<OpenCell>,
    in_text: bool,
}

impl Tables {
    fn read(mut self, file: &str, xml: &str, max_rows: usize) -> Result<Vec<Vec<SheetRow>>, ImportError> {
        let mut reader = Reader::from_str(xml);
        loop {
            let event = reader.read_event().map_err(|e| {
                let at = Location::TableRow { table: self.done.len() + 1, row: self.rows.len() + 1 };
                ImportError::new(
                    file,
                    if self.depth > 0 { at } else { Location::File },
                    None,
                    K::MalformedDocx(e.to_string()),
                )
            })?;
            match event {
                Event::Start(e) => self.start(&e, false),
                Event::Empty(e) => self.start(&e, true),
                Event::End(e) => {
                    let name = e.local_name();
                    self.end(name.as_ref(), file, max_rows)?;
                }
                Event::Text(t) if self.in_text => {
                    let text = t.xml10_content();
                    self.push_text(&text);
                }
                Event::GeneralRef(r) if self.in_text => {
                    let text = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            let name: &str = &r;
                            quick_xml::escape::resolve_predefined_entity(name).unwrap_or_default().to_string()
                        }
                    };
                    self.push_text(&text);
                }
                Event::Eof if self.depth > 0 => {
                    let at = Location::TableRow { table: self.done.len() + 1, row: self.rows.len() + 1 };
                    return Err(ImportError::new(
                        file,
                        at,
                        None,
                        K::MalformedDocx("the document ends inside a table".into()),
                    ));
                }
                Event::Eof => break,
                _ => {}
            }
            if let Some(c) = &self.cell {
                if c.text.chars().count() > MAX_CELL_CHARS {
                    let at = Location::TableRow { table: self.done.len() + 1, row: self.rows.len() + 1 };
                    let kind = K::TooLong { max: MAX_CELL_CHARS, actual: c.text.chars().count() };
                    return Err(ImportError::new(file, at, None, kind));
                }
            }
        }
        Ok(self.done)
    }

    fn push_text(&mut self, text: &str) {
        if let Some(c) = self.cell.as_mut() {
            c.text.push_str(text);
        }
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.local_name();
        let val =
            || e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "val").map(|a| a.value.to_string());
        match name.as_ref() {
            "tbl" if !empty => {
                self.depth += 1;
                if self.depth == 1 {
                    self.rows.clear();
                    self.above.clear();
                }
            }
            "tr" if self.depth == 1 && !empty => {
                self.row.clear();
                self.col = 0;
            }
            "tc" if self.depth == 1 && !empty => self.cell = Some(OpenCell { span: 1, ..OpenCell::default() }),
            "gridSpan" if self.depth == 1 => {
                if let Some(c) = self.cell.as_mut() {
                    c.span = val().and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
                }
            }
            "vMerge" if self.depth == 1 => {
                if let Some(c) = self.cell.as_mut() {
                    c.continues = val().is_none_or(|v| v == "continue");
                }
            }
            "t" if !empty => self.in_text = true,
            "br" | "cr" => self.push_text("\n"),
            "tab" => self.push_text(" "),
            _ => {}
        }
    }

    fn end(&mut self, name: &str, file: &str, max_rows: usize) -> Result<(), ImportError> {
        match name {
            "t" => self.in_text = false,
            // Each paragraph of a cell is a line (a bulleted list is one paragraph per unit).
            "p" => {
                if let Some(c) = self.cell.as_mut() {
                    if !c.text.is_empty() && !c.text.ends_with('\n') {
                        c.text.push('\n');
                    }
                }
            }
            "tc" if self.depth == 1 => {
                if let Some(c) = self.cell.take() {
                    let text = if c.continues {
                        self.above.get(self.col).cloned().unwrap_or_default()
                    } else {
                        c.text.trim().to_string()
                    };
                    if self.above.len() < self.col + c.span {
                        self.above.resize(self.col + c.span, String::new());
                    }
                    if let Some(slot) = self.above.get_mut(self.col) {
                        slot.clone_from(&text);
                    }
                    self.row.push((self.col, text));
                    self.col += c.span;
                }
            }
            "tr" if self.depth == 1 => {
                let number = self.rows.len() + 1;
                if number > max_rows + super::HEADER_SEARCH_ROWS {
                    let at = Location::TableRow { table: self.done.len() + 1, row: number };
                    return Err(ImportError::new(file, at, None, K::TooLarge { max_rows }));
                }
                let cells =
                    self.row.drain(..).filter(|(_, t)| !t.is_empty()).map(|(c, t)| (c, Cell::Text(t))).collect();
                self.rows.push(SheetRow { row: number, cells });
            }
            "tbl" => {
                if self.depth == 1 {
                    self.done.push(std::mem::take(&mut self.rows));
                }
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {}
        }
        Ok(())
    }
}
