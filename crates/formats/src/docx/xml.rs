//! WordprocessingML building blocks: text cleaning and escaping, runs, paragraphs, table cells.
//!
//! Everything the caller gives is cleaned here on the way into the XML: NFC (TCVN 6909 is
//! precomposed Unicode), line ends unified to '\n', and every character XML 1.0 forbids (C0
//! controls other than tab and line feed, U+FFFE, U+FFFF) dropped, as are DEL and the C1
//! controls, which no document means to show.

use unicode_normalization::UnicodeNormalization;

/// Twips (1/20 pt) per millimetre, rounded where used.
pub(super) const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

pub(super) fn mm(v: f64) -> u32 {
    (v * TWIPS_PER_MM).round() as u32
}

/// NFC text with '\r\n' and '\r' as '\n' and the characters above removed.
pub(super) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut after_cr = false;
    for c in s.nfc() {
        match c {
            '\r' => out.push('\n'),
            '\n' if after_cr => {}
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {}
            '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
        after_cr = c == '\r';
    }
    out
}

/// Escapes text for element content or a double- or single-quoted attribute.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Cleaned and escaped in one go, for values placed whole into XML (metadata, attributes).
pub(super) fn text(s: &str) -> String {
    escape(&clean(s).replace(['\n', '\t'], " "))
}

/// The look of a run: size in points, bold, italic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Font {
    pub pt: f64,
    pub bold: bool,
    pub italic: bool,
}

impl Font {
    pub const fn new(pt: f64) -> Font {
        Font { pt, bold: false, italic: false }
    }
    pub const fn bold(self) -> Font {
        Font { bold: true, ..self }
    }
    pub const fn italic(self) -> Font {
        Font { italic: true, ..self }
    }
    fn half_points(self) -> u32 {
        (self.pt * 2.0).round() as u32
    }
    fn rpr(self, out: &mut String) {
        out.push_str("<w:rPr>");
        if self.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            out.push_str("<w:i/><w:iCs/>");
        }
        let hp = self.half_points();
        out.push_str(&format!("<w:sz w:val=\"{hp}\"/><w:szCs w:val=\"{hp}\"/></w:rPr>"));
    }
}

/// One run of `s` in `font`; '\n' becomes a line break and '\t' a tab.
pub(super) fn run(out: &mut String, s: &str, font: Font) {
    let s = clean(s);
    if s.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    font.rpr(out);
    let mut piece = String::new();
    let flush = |out: &mut String, piece: &mut String| {
        if !piece.is_empty() {
            out.push_str("<w:t xml:space=\"preserve\">");
            out.push_str(&escape(piece));
            out.push_str("</w:t>");
            piece.clear();
        }
    };
    for c in s.chars() {
        match c {
            '\n' => {
                flush(out, &mut piece);
                out.push_str("<w:br/>");
            }
            '\t' => {
                flush(out, &mut piece);
                out.push_str("<w:tab/>");
            }
            c => piece.push(c),
        }
    }
    flush(out, &mut piece);
    out.push_str("</w:r>");
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Center,
    Both,
}

/// Paragraph properties, in twips where a length.
#[derive(Debug, Clone, Copy)]
pub(super) struct Para {
    pub align: Align,
    pub before: u32,
    pub after: u32,
    /// Line spacing in 240ths of a line (240 = single).
    pub line: u32,
    pub first_line: u32,
    pub indent_left: u32,
    pub indent_right: u32,
    pub keep_next: bool,
    /// Size of the paragraph mark (matters for an empty paragraph's height).
    pub mark: Font,
}

impl Para {
    pub const fn new(align: Align, mark: Font) -> Para {
        Para {
            align,
            before: 0,
            after: 0,
            line: 240,
            first_line: 0,
            indent_left: 0,
            indent_right: 0,
            keep_next: false,
            mark,
        }
    }

    fn ppr(&self, out: &mut String, bottom_rule: bool) {
        out.push_str("<w:pPr>");
        if self.keep_next {
            out.push_str("<w:keepNext/>");
        }
        if bottom_rule {
            out.push_str("<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr>");
        }
        out.push_str(&format!(
            "<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"{}\" w:lineRule=\"auto\"/>",
            self.before, self.after, self.line
        ));
        if self.first_line > 0 || self.indent_left > 0 || self.indent_right > 0 {
            out.push_str(&format!(
                "<w:ind w:left=\"{}\" w:right=\"{}\" w:firstLine=\"{}\"/>",
                self.indent_left, self.indent_right, self.first_line
            ));
        }
        let jc = match self.align {
            Align::Left => "left",
            Align::Center => "center",
            Align::Both => "both",
        };
        out.push_str(&format!("<w:jc w:val=\"{jc}\"/>"));
        self.mark.rpr(out);
        out.push_str("</w:pPr>");
    }
}

/// A paragraph holding `s` as one run in `font`.
pub(super) fn para(out: &mut String, p: &Para, s: &str, font: Font) {
    out.push_str("<w:p>");
    p.ppr(out, false);
    run(out, s, font);
    out.push_str("</w:p>");
}

/// A short solid horizontal rule of `len` twips, centred in a space `width` twips wide, with
/// `after` twips below it: an empty, very low paragraph with a bottom border, indented from
/// both sides.
pub(super) fn rule(out: &mut String, width: u32, len: u32, after: u32) {
    let len = len.min(width);
    let side = (width - len) / 2;
    let mut p = Para::new(Align::Left, Font::new(2.0));
    p.before = 40;
    p.after = after;
    p.indent_left = side;
    p.indent_right = side;
    out.push_str("<w:p>");
    p.ppr(out, true);
    out.push_str("</w:p>");
}

/// A rough width in twips of one line of `s` in Times New Roman at `font`, from average glyph
/// widths (capitals wider, bold a little wider): enough to size a rule under a heading.
pub(super) fn estimate_width(s: &str, font: Font) -> u32 {
    let ems: f64 = clean(s)
        .chars()
        .map(|c| match c {
            ' ' => 0.25,
            'M' | 'W' | 'Ư' | 'Ơ' => 0.9,
            c if c.is_uppercase() => 0.7,
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '-' | '\'' => 0.3,
            'm' | 'w' => 0.75,
            c if c.is_numeric() => 0.5,
            _ => 0.47,
        })
        .sum();
    let bold = if font.bold { 1.05 } else { 1.0 };
    (ems * bold * font.pt * 20.0).round() as u32
}
