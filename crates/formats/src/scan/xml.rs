//! A small pull reader over quick-xml for the XML reports: owned events, the stack of open
//! elements with their lines, and every refusal (DOCTYPE, entities, long values, truncation)
//! turned into a [`ScanError`] with the line and column.

use std::io::BufRead;
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::error::{too_long, ScanErrorKind};
use super::input::{Counted, Counter};
use super::model::ScanLocation;
use super::ScanError;

/// Deepest element nesting accepted (the reports nest fewer than 10 levels).
const MAX_DEPTH: usize = 256;

pub(super) enum Ev {
    /// An element starts (empty elements give `Start` then `End`).
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        line: u64,
    },
    /// Text or CDATA, unescaped; white-space-only text between elements is not reported.
    Text(String),
    /// An element ends; its local name (the stack no longer holds it).
    End(String),
    Eof,
}

pub(super) struct Xml<R: BufRead> {
    reader: Reader<Counted<R>>,
    buf: Vec<u8>,
    counter: Rc<Counter>,
    /// Open elements (local names) and the lines they start on.
    stack: Vec<(String, u64)>,
    root_done: bool,
    root_seen: bool,
    /// The last event was text: the next read is markup.
    after_text: bool,
}

fn local(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl<R: BufRead> Xml<R> {
    pub(super) fn new(reader: R) -> Result<Xml<R>, ScanError> {
        let (counted, counter) = Counted::new(reader, false)?;
        let mut reader = Reader::from_reader(counted);
        reader.trim_text(true);
        reader.expand_empty_elements(true);
        reader.check_end_names(true);
        Ok(Xml {
            reader,
            buf: Vec::with_capacity(8 * 1024),
            counter,
            stack: Vec::new(),
            root_done: false,
            root_seen: false,
            after_text: false,
        })
    }

    /// Number of open elements (the root is depth 1).
    pub(super) fn depth(&self) -> usize {
        self.stack.len()
    }

    /// The name of the open element at `depth` (1-based).
    pub(super) fn name_at(&self, depth: usize) -> Option<&str> {
        depth.checked_sub(1).and_then(|i| self.stack.get(i)).map(|(n, _)| n.as_str())
    }

    /// The innermost open element.
    pub(super) fn current(&self) -> Option<&str> {
        self.stack.last().map(|(n, _)| n.as_str())
    }

    /// Names of the open elements below `depth`, joined with '/' ("nvt/refs/ref").
    pub(super) fn path_below(&self, depth: usize) -> String {
        let names: Vec<&str> = self.stack.iter().skip(depth).map(|(n, _)| n.as_str()).collect();
        names.join("/")
    }

    /// The place reading has reached.
    pub(super) fn here(&self) -> ScanLocation {
        self.counter.here()
    }

    fn err(&self, field: Option<&str>, kind: ScanErrorKind) -> ScanError {
        ScanError::new(self.here(), field, kind)
    }

    /// The next event. Never returns `Eof` with elements still open.
    pub(super) fn next(&mut self) -> Result<Ev, ScanError> {
        loop {
            self.buf.clear();
            self.counter.start_event();
            let raw = match self.reader.read_event_into(&mut self.buf) {
                Err(e) => Raw::Err(e),
                Ok(Event::Start(e)) => {
                    let name = local(e.local_name().as_ref());
                    match attributes(&self.reader, &e) {
                        Ok(attrs) => Raw::Start(name, attrs),
                        Err(err) => Raw::Err(err),
                    }
                }
                Ok(Event::End(_)) => Raw::End,
                Ok(Event::Text(t)) => match t.unescape() {
                    Ok(s) => Raw::Text(s.into_owned()),
                    Err(e) => Raw::Err(e),
                },
                Ok(Event::CData(c)) => match self.reader.decoder().decode(&c) {
                    Ok(s) => Raw::Text(s.into_owned()),
                    Err(e) => Raw::Err(e),
                },
                Ok(Event::DocType(_)) => Raw::DocType,
                Ok(Event::Eof) => Raw::Eof,
                Ok(Event::Empty(_) | Event::Decl(_) | Event::PI(_) | Event::Comment(_)) => Raw::Skip,
            };
            if self.counter.over() {
                return Err(self.too_long());
            }
            // quick-xml takes a tag cut off by the end of the file for a whole one.
            if matches!(raw, Raw::Start(..) | Raw::End | Raw::Err(_)) && self.counter.last_byte() != b'>' {
                if let Ok(rest) = self.reader.get_mut().fill_buf() {
                    if rest.is_empty() {
                        let open = self.stack.last().cloned();
                        return Err(
                            self.err(self.current().map(str::to_string).as_deref(), ScanErrorKind::Truncated { open })
                        );
                    }
                }
            }
            self.after_text = matches!(raw, Raw::Text(_));
            match raw {
                Raw::Err(e) => return Err(self.xml_error(e)),
                Raw::Skip => {}
                Raw::Start(name, attrs) => {
                    if self.root_done {
                        let detail = "a second root element".to_string();
                        return Err(self.err(None, ScanErrorKind::Xml { detail }));
                    }
                    let line = self.counter.tag_line();
                    if self.stack.len() >= MAX_DEPTH {
                        let detail = format!("elements nested deeper than {MAX_DEPTH} levels");
                        return Err(self.err(Some(&name), ScanErrorKind::Xml { detail }));
                    }
                    self.stack.push((name.clone(), line));
                    self.root_seen = true;
                    return Ok(Ev::Start { name, attrs, line });
                }
                Raw::End => {
                    let name = self.stack.pop().map(|(n, _)| n).unwrap_or_default();
                    if self.stack.is_empty() {
                        self.root_done = true;
                    }
                    return Ok(Ev::End(name));
                }
                Raw::Text(s) => {
                    if self.stack.is_empty() {
                        let detail = "text outside the root element".to_string();
                        return Err(self.err(None, ScanErrorKind::Xml { detail }));
                    }
                    return Ok(Ev::Text(s));
                }
                Raw::DocType => {
                    let at = ScanLocation { line: Some(self.counter.tag_line()), column: None, item: None };
                    return Err(ScanError::new(at, Some("DOCTYPE"), ScanErrorKind::Doctype));
                }
                Raw::Eof => {
                    if let Some((name, line)) = self.stack.last() {
                        let open = Some((name.clone(), *line));
                        return Err(self.err(None, ScanErrorKind::Truncated { open }));
                    }
                    if !self.root_seen {
                        return Err(self.err(None, ScanErrorKind::Empty));
                    }
                    return Ok(Ev::Eof);
                }
            }
        }
    }

    /// The value over the limit is either a start tag (its name begins the buffer) or the
    /// text of the innermost open element.
    fn too_long(&self) -> ScanError {
        let in_markup = self.after_text || self.counter.event_read_lt();
        let starts_tag =
            in_markup && self.buf.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_' || *b >= 0x80);
        let name = if starts_tag {
            let end = self
                .buf
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
                .unwrap_or(self.buf.len())
                .min(200);
            Some(String::from_utf8_lossy(self.buf.get(..end).unwrap_or_default()).into_owned())
        } else {
            self.current().map(str::to_string)
        };
        let mut at = self.here();
        if starts_tag {
            at.line = Some(self.counter.tag_line());
            at.column = None;
        }
        ScanError::new(at, name.as_deref(), too_long())
    }

    fn xml_error(&self, e: quick_xml::Error) -> ScanError {
        use quick_xml::escape::EscapeError;
        use quick_xml::Error as E;
        let field = self.current().map(str::to_string);
        let kind = match e {
            E::UnexpectedEof(_) => {
                let open = self.stack.last().cloned();
                ScanErrorKind::Truncated { open }
            }
            E::NonDecodable(_) => ScanErrorKind::NotUtf8,
            E::EscapeError(EscapeError::UnrecognizedSymbol(_, name)) => ScanErrorKind::Entity { name },
            E::Io(io) => ScanErrorKind::Io { detail: io.to_string() },
            other => ScanErrorKind::Xml { detail: other.to_string() },
        };
        self.err(field.as_deref(), kind)
    }
}

/// An event read into owned values, so that the buffer is free again.
enum Raw {
    Start(String, Vec<(String, String)>),
    End,
    Text(String),
    DocType,
    Eof,
    Skip,
    Err(quick_xml::Error),
}

fn attributes<R>(reader: &Reader<R>, e: &BytesStart<'_>) -> Result<Vec<(String, String)>, quick_xml::Error> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a?;
        let key = local(a.key.local_name().as_ref());
        let value = a.decode_and_unescape_value(reader)?;
        out.push((key, value.into_owned()));
    }
    Ok(out)
}

/// The value of attribute `key`, if present.
pub(super) fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}
