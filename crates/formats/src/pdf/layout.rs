//! Page composition: text wrapped to a width and aligned, rules, and page breaks, recorded as
//! drawing operations per page. Glyph ids are the fonts' own; the file writer renumbers them
//! for the embedded subsets.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use super::font::{Faces, Style};

const PT_PER_MM: f32 = 72.0 / 25.4;
pub(super) const PAGE_W: f32 = 210.0 * PT_PER_MM;
pub(super) const PAGE_H: f32 = 297.0 * PT_PER_MM;
/// NĐ 30/2020 margins: top and bottom 20 mm, left 30 mm, right 15 mm.
pub(super) const LEFT: f32 = 30.0 * PT_PER_MM;
pub(super) const RIGHT: f32 = PAGE_W - 15.0 * PT_PER_MM;
const TOP: f32 = PAGE_H - 20.0 * PT_PER_MM;
const BOTTOM: f32 = 20.0 * PT_PER_MM;
/// Distance from the top of a line to its baseline, and from one line to the next, as
/// multiples of the font size.
const ASCENT: f32 = 0.93;
pub(super) const LEADING: f32 = 1.3;

pub(super) fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

pub(super) struct Run {
    pub style: Style,
    pub size: f32,
    pub x: f32,
    pub y: f32,
    pub glyphs: Vec<u16>,
}

pub(super) enum Op {
    Text(Run),
    Line { x1: f32, y1: f32, x2: f32, y2: f32, width: f32 },
}

#[derive(Default)]
pub(super) struct Page {
    pub ops: Vec<Op>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Center,
    /// Both edges flush, except the last line of a paragraph and lines ending at a '\n'.
    Justify,
}

/// A run of text in one style and size.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ink {
    pub style: Style,
    pub size: f32,
}

impl Ink {
    pub(super) const fn new(style: Style, size: f32) -> Ink {
        Ink { style, size }
    }
    pub(super) fn step(self) -> f32 {
        self.size * LEADING
    }
}

/// One wrapped line: its words, and whether it ends a paragraph or a forced break (such lines
/// are never stretched when justifying).
pub(super) struct Line {
    pub words: Vec<String>,
    pub last: bool,
}

pub(super) struct Composer<'f> {
    pub faces: &'f Faces,
    pub pages: Vec<Page>,
    /// Per face, every glyph drawn and the character it stands for (for text extraction).
    pub used: [BTreeMap<u16, char>; 4],
    /// The top of the next line, in PDF coordinates (points from the bottom of the page).
    pub y: f32,
}

/// NFC, with control characters other than '\n' turned into spaces, so no input can put
/// something undrawable on the page.
pub(super) fn clean(text: &str) -> String {
    text.nfc()
        .map(|c| match c {
            '\n' => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

impl<'f> Composer<'f> {
    pub(super) fn new(faces: &'f Faces) -> Composer<'f> {
        Composer { faces, pages: vec![Page::default()], used: Default::default(), y: TOP }
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = TOP;
    }

    /// Whether nothing has been set on this page yet.
    pub(super) fn at_top(&self) -> bool {
        self.y >= TOP
    }

    pub(super) fn remaining(&self) -> f32 {
        self.y - BOTTOM
    }

    /// Starts a new page unless `height` points still fit on this one (a fresh page always
    /// takes the content, however tall).
    pub(super) fn ensure(&mut self, height: f32) {
        if height > self.remaining() && !self.at_top() {
            self.new_page();
        }
    }

    /// Adds `op` to the last page (to a new one if there is none).
    fn push_op(&mut self, op: Op) {
        match self.pages.last_mut() {
            Some(page) => page.ops.push(op),
            None => self.pages.push(Page { ops: vec![op] }),
        }
    }

    /// Draws `text` with its baseline at `baseline`, starting at `x`.
    pub(super) fn draw(&mut self, ink: Ink, x: f32, baseline: f32, text: &str) {
        let run = self.shape(ink, x, baseline, text);
        self.push_op(Op::Text(run));
    }

    /// The glyphs of `text`, each recorded with the character it stands for.
    fn shape(&mut self, ink: Ink, x: f32, baseline: f32, text: &str) -> Run {
        let face = self.faces.get(ink.style);
        let used = ink.style.of_mut(&mut self.used);
        let glyphs = text
            .chars()
            .map(|c| {
                let g = face.glyph(c);
                used.entry(g).or_insert(if face.covers(c) { c } else { '?' });
                g
            })
            .collect();
        Run { style: ink.style, size: ink.size, x, y: baseline, glyphs }
    }

    pub(super) fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        self.push_op(Op::Line { x1, y1: y, x2, y2: y, width });
    }

    pub(super) fn vline(&mut self, x: f32, y1: f32, y2: f32, width: f32) {
        self.push_op(Op::Line { x1: x, y1, x2: x, y2, width });
    }

    pub(super) fn width(&self, ink: Ink, text: &str) -> f32 {
        self.faces.get(ink.style).width(text, ink.size)
    }

    /// Breaks `text` into lines no wider than `width` (the first `indent` narrower). A word
    /// wider than a whole line is cut between characters.
    pub(super) fn wrap(&self, ink: Ink, text: &str, width: f32, indent: f32) -> Vec<Line> {
        let space = self.width(ink, " ");
        let mut lines = Vec::new();
        for paragraph in clean(text).split('\n') {
            let mut words: Vec<String> = Vec::new();
            let mut used = 0.0;
            for word in paragraph.split_whitespace() {
                for piece in self.cut(ink, word, width - indent) {
                    let avail = if lines.is_empty() { width - indent } else { width };
                    let w = self.width(ink, &piece);
                    if !words.is_empty() && used + space + w > avail {
                        lines.push(Line { words: std::mem::take(&mut words), last: false });
                        used = 0.0;
                    }
                    used += if words.is_empty() { w } else { space + w };
                    words.push(piece);
                }
            }
            lines.push(Line { words, last: true });
        }
        lines
    }

    /// A word as pieces that each fit in `width`.
    fn cut(&self, ink: Ink, word: &str, width: f32) -> Vec<String> {
        if self.width(ink, word) <= width || width <= ink.size {
            return vec![word.to_string()];
        }
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if self.width(ink, &piece) > width && piece.chars().count() > 1 {
                piece.pop();
                pieces.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        pieces.push(piece);
        pieces
    }

    /// Draws one wrapped line in the box from `x` to `x + width` with its baseline at
    /// `baseline`.
    pub(super) fn place(&mut self, ink: Ink, line: &Line, x: f32, width: f32, baseline: f32, align: Align) {
        let joined = line.words.join(" ");
        let natural = self.width(ink, &joined);
        match align {
            Align::Left => self.draw(ink, x, baseline, &joined),
            Align::Center => self.draw(ink, x + (width - natural) / 2.0, baseline, &joined),
            Align::Justify if line.last || line.words.len() < 2 => self.draw(ink, x, baseline, &joined),
            Align::Justify => {
                let words: f32 = line.words.iter().map(|w| self.width(ink, w)).sum();
                let gap = (width - words) / (line.words.len() - 1) as f32;
                let mut at = x;
                for word in &line.words {
                    self.draw(ink, at, baseline, word);
                    at += self.width(ink, word) + gap;
                }
            }
        }
    }

    /// A paragraph flowing down the page from the cursor, breaking pages between lines.
    pub(super) fn paragraph(&mut self, ink: Ink, text: &str, x: f32, width: f32, align: Align, indent: f32) {
        for (i, line) in self.wrap(ink, text, width, indent).iter().enumerate() {
            self.ensure(ink.step());
            let shift = if i == 0 { indent } else { 0.0 };
            let baseline = self.y - ink.size * ASCENT;
            self.place(ink, line, x + shift, width - shift, baseline, align);
            self.y -= ink.step();
        }
    }

    /// Lines of a column set at a fixed top (not moving the cursor); returns their height.
    pub(super) fn column(&mut self, ink: Ink, text: &str, x: f32, width: f32, top: f32, align: Align) -> f32 {
        let lines = self.wrap(ink, text, width, 0.0);
        for (i, line) in lines.iter().enumerate() {
            let baseline = top - i as f32 * ink.step() - ink.size * ASCENT;
            self.place(ink, line, x, width, baseline, align);
        }
        lines.len() as f32 * ink.step()
    }

    /// Page numbers at the top centre of every page but the first (NĐ 30/2020).
    pub(super) fn number_pages(&mut self, ink: Ink) {
        let count = self.pages.len();
        for index in 1..count {
            let label = (index + 1).to_string();
            let x = (LEFT + RIGHT) / 2.0 - self.width(ink, &label) / 2.0;
            let run = self.shape(ink, x, PAGE_H - mm(12.0), &label);
            if let Some(page) = self.pages.get_mut(index) {
                page.ops.push(Op::Text(run));
            }
        }
    }
}
