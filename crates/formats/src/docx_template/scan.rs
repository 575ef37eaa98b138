//! Finding `{{fields}}` in WordprocessingML and writing values in their place. Word splits
//! what a person typed as `{{he_thong.ten}}` over several runs (`<w:t>{{he_</w:t>` … ), so the
//! text of each paragraph is read whole, the fields found in it, and each value written into
//! the run where its field starts; the rest of the field's characters are removed from the
//! runs after. Formatting stays that of the first run. Table rows are tracked so that a row
//! holding `{{#list}}` … `{{/list}}` can be repeated once per item.

use std::ops::Range;

/// One `<w:t>`'s text, by byte range in the part, and the range of its opening tag.
#[derive(Debug, Clone)]
pub(super) struct Segment {
    pub tag: Range<usize>,
    pub text: Range<usize>,
}

/// A paragraph's runs of text, in order.
#[derive(Debug, Clone, Default)]
pub(super) struct Paragraph {
    pub segments: Vec<Segment>,
}

/// A table row by byte range (its opening `<w:tr` to the end of `</w:tr>`).
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub range: Range<usize>,
}

/// A `{{…}}` found in a paragraph: where it starts and ends in the part, and what it says.
#[derive(Debug, Clone)]
pub(super) struct Token {
    /// `#` opens a loop, `/` closes one, none is a field.
    pub sigil: Option<char>,
    pub name: String,
    /// (segment index, byte in the part) of the first `{` and one past the last `}`.
    pub start: (usize, usize),
    pub end: (usize, usize),
    /// The paragraph's number in the part (from 1), for messages.
    pub paragraph: usize,
}

/// What a part holds: paragraphs (numbered by their order in the part) and table rows.
pub(super) struct Scan {
    pub paragraphs: Vec<(usize, Paragraph)>,
    pub rows: Vec<Row>,
}

fn tag_name(xml: &str, at: usize) -> (&str, bool) {
    let rest = xml.get(at + 1..).unwrap_or("");
    let closing = rest.starts_with('/');
    let rest = if closing { rest.get(1..).unwrap_or("") } else { rest };
    let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
    (rest.get(..end).unwrap_or(""), closing)
}

/// Reads a part's paragraphs, their text runs and its table rows.
pub(super) fn scan(xml: &str) -> Scan {
    let mut paragraphs: Vec<(usize, Paragraph)> = Vec::new();
    let mut open_paragraphs: Vec<usize> = Vec::new();
    let mut rows = Vec::new();
    let mut open_rows: Vec<usize> = Vec::new();
    let mut pos = 0;
    while let Some(found) = xml.get(pos..).and_then(|r| r.find('<')) {
        let at = pos + found;
        let Some(close) = xml.get(at..).and_then(|r| r.find('>')).map(|c| at + c) else { break };
        let self_closing = xml.get(close.saturating_sub(1)..close) == Some("/");
        let (name, closing) = tag_name(xml, at);
        match (name, closing, self_closing) {
            ("w:p", false, false) => {
                paragraphs.push((paragraphs.len() + 1, Paragraph::default()));
                open_paragraphs.push(paragraphs.len() - 1);
            }
            ("w:p", true, _) => {
                open_paragraphs.pop();
            }
            ("w:tr", false, false) => open_rows.push(at),
            ("w:tr", true, _) => {
                if let Some(start) = open_rows.pop() {
                    rows.push(Row { range: start..close + 1 });
                }
            }
            ("w:t", false, false) => {
                let text_start = close + 1;
                let text_end =
                    xml.get(text_start..).and_then(|r| r.find("</w:t>")).map_or(xml.len(), |e| text_start + e);
                if let Some((_, p)) = open_paragraphs.last().and_then(|i| paragraphs.get_mut(*i)) {
                    p.segments.push(Segment { tag: at..close + 1, text: text_start..text_end });
                }
                pos = text_end;
                continue;
            }
            _ => {}
        }
        pos = close + 1;
    }
    Scan { paragraphs, rows }
}

/// Why a paragraph's text holds a `{{` that is not a field.
pub(super) struct BadToken {
    pub paragraph: usize,
    pub text: String,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|p| {
            p.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// The fields of one paragraph, in order.
pub(super) fn tokens(xml: &str, number: usize, p: &Paragraph) -> Result<Vec<Token>, BadToken> {
    // The paragraph's text with, for each byte, where it is in the part and in which segment.
    let mut text = String::new();
    let mut map: Vec<(usize, usize)> = Vec::new();
    for (i, s) in p.segments.iter().enumerate() {
        let piece = xml.get(s.text.clone()).unwrap_or("");
        text.push_str(piece);
        map.extend((s.text.start..s.text.end).map(|b| (i, b)));
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|r| r.find("{{")).map(|o| from + o) {
        let bad = |t: &str| BadToken { paragraph: number, text: t.chars().take(60).collect() };
        let Some(close) = text.get(open..).and_then(|r| r.find("}}")).map(|c| open + c) else {
            return Err(bad(text.get(open..).unwrap_or("")));
        };
        let inner = text.get(open + 2..close).unwrap_or("").trim();
        let (sigil, name) = match inner.chars().next() {
            Some(c @ ('#' | '/')) => (Some(c), inner.get(1..).unwrap_or("").trim()),
            _ => (None, inner),
        };
        if !valid_name(name) || inner.contains("{{") {
            return Err(bad(text.get(open..close + 2).unwrap_or("")));
        }
        let (Some(start), Some(last)) = (map.get(open), map.get(close + 1)) else {
            return Err(bad(inner));
        };
        out.push(Token { sigil, name: name.to_string(), start: *start, end: (last.0, last.1 + 1), paragraph: number });
        from = close + 2;
    }
    Ok(out)
}

/// XML-escapes a value for a `<w:t>`; a line break becomes a Word line break.
pub(super) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("</w:t><w:br/><w:t xml:space=\"preserve\">"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// One replacement of a byte range of the part.
pub(super) struct Edit {
    pub range: Range<usize>,
    pub with: String,
}

/// The edits that put `value` (already escaped) where `t` stands.
pub(super) fn edits_for(p: &Paragraph, t: &Token, value: String, out: &mut Vec<Edit>) {
    let (first, start) = t.start;
    let (last, end) = t.end;
    for i in first..=last {
        let Some(s) = p.segments.get(i) else { continue };
        let from = if i == first { start } else { s.text.start };
        let to = if i == last { end } else { s.text.end };
        let with = if i == first { value.clone() } else { String::new() };
        out.push(Edit { range: from..to, with });
        if i == first && !value.is_empty() {
            // Keep spaces a value begins or ends with.
            out.push(Edit { range: s.tag.clone(), with: "<w:t xml:space=\"preserve\">".into() });
        }
    }
}

/// Applies non-overlapping edits (in any order) to `xml[range]`.
pub(super) fn apply(xml: &str, range: Range<usize>, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup_by(|a, b| a.range == b.range);
    let mut out = String::with_capacity(range.len() + 64);
    let mut at = range.start;
    for e in edits {
        if e.range.start < at || e.range.end > range.end {
            continue;
        }
        out.push_str(xml.get(at..e.range.start).unwrap_or(""));
        out.push_str(&e.with);
        at = e.range.end;
    }
    out.push_str(xml.get(at..range.end).unwrap_or(""));
    out
}
