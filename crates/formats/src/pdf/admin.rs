//! The NĐ 30/2020/NĐ-CP layout of an administrative document, drawn with the composer: the
//! issuing body and the national motto side by side, number and place/date under them, the
//! document type and summary centred, the body, then "Nơi nhận" and the signature block —
//! the same parts, sizes and order as the DOCX.

use super::font::Style::{Bold, BoldItalic, Italic, Regular};
use super::layout::{mm, Align, Composer, Ink, Line, LEFT, RIGHT};
use crate::docx::{date_line, AdminDocument, Block, MOTTO, SLOGAN};

const BODY: Ink = Ink::new(Regular, 14.0);
const CELL: Ink = Ink::new(Regular, 13.0);
const CELL_PAD: f32 = 3.0;
const BORDER: f32 = 0.5;
/// Width of the header's left column (issuing body, number).
const HEADER_LEFT_MM: f32 = 72.0;

fn text_width() -> f32 {
    RIGHT - LEFT
}

pub(super) fn compose(c: &mut Composer, doc: &AdminDocument) {
    header(c, doc);
    title(c, doc);
    for block in &doc.blocks {
        match block {
            Block::Heading(s) => {
                c.y -= 6.0;
                c.ensure(BODY.step() * 3.0);
                c.paragraph(BODY.bold(), s, LEFT, text_width(), Align::Left, 0.0);
            }
            Block::Paragraph(s) => {
                c.y -= 6.0;
                c.paragraph(BODY, s, LEFT, text_width(), Align::Justify, mm(12.7));
            }
            Block::Centered(s) => {
                c.y -= 6.0;
                c.ensure(BODY.step() * 3.0);
                c.paragraph(BODY.bold(), s, LEFT, text_width(), Align::Center, 0.0);
            }
            Block::Fields(fields) => {
                let w = text_width();
                let rows: Vec<Vec<String>> = fields.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect();
                c.y -= 6.0;
                table(c, &[w * 0.35, w * 0.65], None, &rows, true);
            }
            Block::Table { headers, rows } => grid(c, headers, rows),
        }
    }
    signature(c, doc);
    c.number_pages(Ink::new(Regular, 13.0));
}

impl Ink {
    fn bold(self) -> Ink {
        Ink::new(Bold, self.size)
    }
}

/// The largest size up to `ink.size` at which `text` fits `width` on one line (never below
/// 9 pt; past that it wraps).
fn fit(c: &Composer, ink: Ink, text: &str, width: f32) -> Ink {
    let natural = c.width(ink, text);
    if natural <= width {
        return ink;
    }
    Ink::new(ink.style, (ink.size * 0.98 * width / natural).max(9.0))
}

fn header(c: &mut Composer, doc: &AdminDocument) {
    // The national motto keeps its prescribed size (NĐ 30/2020 Phụ lục I II.1: 12–13 pt, bold):
    // its column widens rather than the motto shrinking.
    let motto = Ink::new(Bold, 12.0);
    let right_w = (RIGHT - LEFT - mm(HEADER_LEFT_MM)).max(c.width(motto, MOTTO) + 4.0);
    let left_w = RIGHT - LEFT - right_w;
    let right_x = LEFT + left_w;
    let top = c.y;

    let mut left_h = 0.0;
    if !doc.parent_body.trim().is_empty() {
        let parent = doc.parent_body.to_uppercase();
        let ink = fit(c, Ink::new(Regular, 12.0), &parent, left_w);
        left_h += c.column(ink, &parent, LEFT, left_w, top, Align::Center);
    }
    let body = Ink::new(Bold, 12.0);
    left_h += c.column(body, &doc.issuing_body.to_uppercase(), LEFT, left_w, top - left_h, Align::Center);
    let centre = LEFT + left_w / 2.0;
    c.rule(centre - left_w / 6.0, centre + left_w / 6.0, top - left_h - 4.0, BORDER);

    let mut right_h = c.column(motto, MOTTO, right_x, right_w, top, Align::Center);
    let slogan = Ink::new(Bold, 13.0);
    right_h += c.column(slogan, SLOGAN, right_x, right_w, top - right_h, Align::Center);
    let half = c.width(slogan, SLOGAN) / 2.0;
    let middle = right_x + right_w / 2.0;
    c.rule(middle - half, middle + half, top - right_h - 4.0, BORDER);

    let second = top - f32::max(left_h, right_h) - 10.0;
    let number = match doc.number.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => format!("Số: {n}"),
        _ => "Số:         ".to_string(),
    };
    let number_h = c.column(Ink::new(Regular, 13.0), &number, LEFT, left_w, second, Align::Center);
    let when = date_line(&doc.place, doc.date);
    let date = fit(c, Ink::new(Italic, 14.0), &when, right_w);
    let date_h = c.column(date, &when, right_x, right_w, second, Align::Center);
    c.y = second - f32::max(number_h, date_h) - 14.0;
}

fn title(c: &mut Composer, doc: &AdminDocument) {
    let heading = Ink::new(Bold, 14.0);
    if !doc.doc_type.trim().is_empty() {
        c.paragraph(heading, &doc.doc_type.to_uppercase(), LEFT, text_width(), Align::Center, 0.0);
    }
    if !doc.title.trim().is_empty() {
        c.paragraph(heading, &doc.title, LEFT + mm(10.0), text_width() - mm(20.0), Align::Center, 0.0);
    }
    let middle = (LEFT + RIGHT) / 2.0;
    c.rule(middle - mm(15.0), middle + mm(15.0), c.y - 4.0, BORDER);
    c.y -= 12.0;
    let lines = crate::docx::addressee_lines(&doc.addressees);
    let (x, w, align) = if lines.len() == 1 {
        (LEFT, text_width(), Align::Center)
    } else {
        (LEFT + text_width() / 4.0, text_width() * 3.0 / 4.0, Align::Left)
    };
    for line in &lines {
        c.paragraph(BODY, line, x, w, align, 0.0);
    }
    if !lines.is_empty() {
        c.y -= 8.0;
    }
}

/// A table whose column widths follow their content: each column gets a share of the width
/// in proportion to its widest text, within 40 and 220 points before scaling.
fn grid(c: &mut Composer, headers: &[String], rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
    if columns == 0 {
        return;
    }
    let ink = if columns > 4 { Ink::new(Regular, 11.0) } else { CELL };
    let natural: Vec<f32> = (0..columns)
        .map(|i| {
            let cells = rows.iter().filter_map(|r| r.get(i)).chain(headers.get(i));
            cells.map(|t| c.width(ink, t)).fold(0.0, f32::max).clamp(40.0, 220.0)
        })
        .collect();
    let total: f32 = natural.iter().sum();
    let widths: Vec<f32> = natural.iter().map(|w| w / total * text_width()).collect();
    let pad = |r: &[String]| (0..columns).map(|i| r.get(i).cloned().unwrap_or_default()).collect::<Vec<_>>();
    let head = (!headers.is_empty()).then(|| pad(headers));
    let body: Vec<Vec<String>> = rows.iter().map(|r| pad(r)).collect();
    c.y -= 6.0;
    table_with(c, &widths, head.as_deref(), &body, false, ink);
}

fn table(c: &mut Composer, widths: &[f32], head: Option<&[String]>, rows: &[Vec<String>], bold_labels: bool) {
    table_with(c, widths, head, rows, bold_labels, CELL)
}

fn table_with(
    c: &mut Composer,
    widths: &[f32],
    head: Option<&[String]>,
    rows: &[Vec<String>],
    bold_labels: bool,
    ink: Ink,
) {
    let head = head.map(|h| (h, ink.bold()));
    if let Some((h, bold)) = head {
        row(c, widths, h, &|_| bold, None);
    }
    for r in rows {
        let style = |i: usize| if bold_labels && i == 0 { ink.bold() } else { ink };
        row(c, widths, r, &style, head);
    }
}

/// One bordered row, split between pages line by line when it does not fit; the header row
/// is repeated at the top of each new page.
fn row(c: &mut Composer, widths: &[f32], cells: &[String], ink: &dyn Fn(usize) -> Ink, head: Option<(&[String], Ink)>) {
    let wrapped: Vec<(Ink, Vec<Line>)> = cells
        .iter()
        .zip(widths)
        .enumerate()
        .map(|(i, (text, w))| (ink(i), c.wrap(ink(i), text, w - 2.0 * CELL_PAD, 0.0)))
        .collect();
    let step = wrapped.iter().map(|(k, _)| k.step()).fold(0.0, f32::max);
    let total = wrapped.iter().map(|(_, l)| l.len()).max().unwrap_or(1);
    let mut done = 0;
    while done < total {
        let room = ((c.remaining() - 2.0 * CELL_PAD) / step).floor().max(0.0) as usize;
        let wanted = (total - done).min(2);
        if room < wanted && !c.at_top() {
            c.new_page();
            if let Some((h, bold)) = head {
                row(c, widths, h, &|_| bold, None);
            }
            continue;
        }
        let take = room.max(1).min(total - done);
        let top = c.y;
        let mut x = LEFT;
        for ((cell_ink, lines), w) in wrapped.iter().zip(widths) {
            for (k, line) in lines.iter().skip(done).take(take).enumerate() {
                let baseline = top - CELL_PAD - k as f32 * step - cell_ink.size * 0.93;
                c.place(*cell_ink, line, x + CELL_PAD, w - 2.0 * CELL_PAD, baseline, Align::Left);
            }
            x += w;
        }
        let bottom = top - take as f32 * step - 2.0 * CELL_PAD;
        c.rule(LEFT, x, top, BORDER);
        c.rule(LEFT, x, bottom, BORDER);
        let mut edge = LEFT;
        c.vline(edge, top, bottom, BORDER);
        for w in widths {
            edge += w;
            c.vline(edge, top, bottom, BORDER);
        }
        c.y = bottom;
        done += take;
    }
}

fn signature(c: &mut Composer, doc: &AdminDocument) {
    let left_w = text_width() * 0.45;
    let right_x = LEFT + left_w;
    let right_w = RIGHT - right_x;
    let label = Ink::new(BoldItalic, 12.0);
    let item = Ink::new(Regular, 11.0);
    let position = Ink::new(Bold, 14.0);
    let recipients: Vec<String> = doc
        .recipients
        .iter()
        .map(|r| if r.trim_start().starts_with('-') { r.clone() } else { format!("- {r}") })
        .collect();
    let left_h = label.step() + recipients.len() as f32 * item.step();
    let position_text = doc.signer_position.to_uppercase();
    let right_h =
        c.wrap(position, &position_text, right_w, 0.0).len() as f32 * position.step() + mm(25.0) + position.step();
    c.y -= 12.0;
    c.ensure(f32::max(left_h, right_h));
    let top = c.y;
    let mut y = top - c.column(label, "Nơi nhận:", LEFT, left_w, top, Align::Left);
    for r in &recipients {
        y -= c.column(item, r, LEFT, left_w, y, Align::Left);
    }
    let mut ry = top - c.column(position, &position_text, right_x, right_w, top, Align::Center);
    ry -= mm(25.0);
    ry -= c.column(position, &doc.signer_name, right_x, right_w, ry, Align::Center);
    c.y = f32::min(y, ry);
}
