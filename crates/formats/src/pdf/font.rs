//! The four Liberation Serif faces a document uses, read with ttf-parser: glyph lookup and
//! advance widths for layout, and the metrics the PDF font descriptor needs.
//!
//! Liberation Serif is metric-compatible with Times New Roman, the typeface of NĐ 30/2020/NĐ-CP
//! Phụ lục I, so a PDF breaks its lines where the DOCX opened in Word does; it covers every
//! Vietnamese letter in precomposed form. The faces are compiled in (the build script finds
//! Debian's `fonts-liberation2`), so a PDF never depends on fonts installed on the server.

use ttf_parser::{Face, GlyphId};

use super::PdfError;

/// One of the faces, as an index into [`Faces`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Style {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    BoldItalic = 3,
}

impl Style {
    pub(super) const ALL: [Style; 4] = [Style::Regular, Style::Bold, Style::Italic, Style::BoldItalic];

    /// This style's entry in a per-style table (in the order of `ALL`).
    pub(super) fn of<T>(self, table: &[T; 4]) -> &T {
        let [regular, bold, italic, bold_italic] = table;
        match self {
            Style::Regular => regular,
            Style::Bold => bold,
            Style::Italic => italic,
            Style::BoldItalic => bold_italic,
        }
    }

    pub(super) fn of_mut<T>(self, table: &mut [T; 4]) -> &mut T {
        let [regular, bold, italic, bold_italic] = table;
        match self {
            Style::Regular => regular,
            Style::Bold => bold,
            Style::Italic => italic,
            Style::BoldItalic => bold_italic,
        }
    }
}

pub(super) struct FontFace {
    pub data: &'static [u8],
    pub face: Face<'static>,
    /// PostScript-style name written into the PDF, without the subset tag.
    pub name: &'static str,
    pub italic: bool,
    units_per_em: f32,
    /// The glyph drawn for a character the face lacks: '?' rather than an empty box.
    fallback: u16,
}

impl FontFace {
    fn load(data: &'static [u8], name: &'static str, italic: bool) -> Result<FontFace, PdfError> {
        let face = Face::parse(data, 0).map_err(|e| PdfError::Font(format!("{name}: {e}")))?;
        let units_per_em = f32::from(face.units_per_em());
        let fallback = face.glyph_index('?').map(|g| g.0).unwrap_or(0);
        Ok(FontFace { data, face, name, italic, units_per_em, fallback })
    }

    pub(super) fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map(|g| g.0).unwrap_or(self.fallback)
    }

    /// Whether the face has its own glyph for `c`.
    pub(super) fn covers(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// Advance width in thousandths of the font size (PDF glyph space).
    pub(super) fn advance(&self, glyph: u16) -> f32 {
        let units = self.face.glyph_hor_advance(GlyphId(glyph)).unwrap_or(0);
        f32::from(units) * 1000.0 / self.units_per_em
    }

    /// Width of `text` set at `size` points.
    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(self.glyph(c))).sum::<f32>() * size / 1000.0
    }

    /// A font-unit value scaled to PDF glyph space.
    pub(super) fn scaled(&self, units: i16) -> f32 {
        f32::from(units) * 1000.0 / self.units_per_em
    }
}

const REGULAR: &[u8] = include_bytes!(concat!(env!("KHIEN_SERIF_DIR"), "/LiberationSerif-Regular.ttf"));
const BOLD: &[u8] = include_bytes!(concat!(env!("KHIEN_SERIF_DIR"), "/LiberationSerif-Bold.ttf"));
const ITALIC: &[u8] = include_bytes!(concat!(env!("KHIEN_SERIF_DIR"), "/LiberationSerif-Italic.ttf"));
const BOLD_ITALIC: &[u8] = include_bytes!(concat!(env!("KHIEN_SERIF_DIR"), "/LiberationSerif-BoldItalic.ttf"));

pub(super) struct Faces([FontFace; 4]);

impl Faces {
    pub(super) fn load() -> Result<Faces, PdfError> {
        Ok(Faces([
            FontFace::load(REGULAR, "LiberationSerif", false)?,
            FontFace::load(BOLD, "LiberationSerif-Bold", false)?,
            FontFace::load(ITALIC, "LiberationSerif-Italic", true)?,
            FontFace::load(BOLD_ITALIC, "LiberationSerif-BoldItalic", true)?,
        ]))
    }

    pub(super) fn get(&self, style: Style) -> &FontFace {
        style.of(&self.0)
    }
}
