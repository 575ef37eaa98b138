//! The input wrapper: counts lines and columns of what the parsers consumed, and enforces
//! [`MAX_TEXT_BYTES`] before a long value is buffered (per XML event, per JSON string).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use super::error::ScanErrorKind;
use super::model::ScanLocation;
use super::{ScanError, MAX_TEXT_BYTES};

/// Shared between the wrapper (owned by the XML or JSON reader) and the parser.
#[derive(Debug)]
pub(super) struct Counter {
    json: bool,
    limit: u64,
    newlines: Cell<u64>,
    column: Cell<u64>,
    lt_line: Cell<u64>,
    /// Line of the first `<` read since `start_event`, and of the last one before it.
    event_lt: Cell<Option<u64>>,
    lt_before_event: Cell<u64>,
    /// Bytes of the event read before its first `<`.
    event_lt_offset: Cell<Option<u64>>,
    event: Cell<u64>,
    /// JSON: the text of the string being read (its first bytes), of the last string read
    /// (a key if a `:` follows), and the last key.
    cur: RefCell<Vec<u8>>,
    pending: RefCell<Option<Vec<u8>>>,
    key: RefCell<String>,
    string: Cell<u64>,
    /// JSON lexer state: 0 outside a string, 1 inside, 2 just after a backslash inside.
    state: Cell<u8>,
    content: Cell<bool>,
    over: Cell<bool>,
    last: Cell<u8>,
}

impl Counter {
    fn new(json: bool, limit: usize) -> Counter {
        Counter {
            json,
            limit: limit as u64,
            newlines: Cell::new(0),
            column: Cell::new(0),
            lt_line: Cell::new(1),
            event_lt: Cell::new(None),
            lt_before_event: Cell::new(1),
            event_lt_offset: Cell::new(None),
            event: Cell::new(0),
            cur: RefCell::new(Vec::new()),
            pending: RefCell::new(None),
            key: RefCell::new(String::new()),
            string: Cell::new(0),
            state: Cell::new(0),
            content: Cell::new(false),
            over: Cell::new(false),
            last: Cell::new(0),
        }
    }

    /// The 1-based line of the next byte to read.
    pub(super) fn line(&self) -> u64 {
        self.newlines.get() + 1
    }

    /// The 1-based column (in characters) of the next byte to read.
    pub(super) fn column(&self) -> u64 {
        self.column.get() + 1
    }

    /// The line where the XML markup just read starts: its own `<` when this event read
    /// one, else the `<` that ended the text before it.
    pub(super) fn tag_line(&self) -> u64 {
        self.event_lt.get().unwrap_or(self.lt_before_event.get())
    }

    /// Whether this XML event read a `<` before going over the limit (so the value too
    /// long is markup, not text).
    pub(super) fn event_read_lt(&self) -> bool {
        self.event_lt_offset.get().is_some_and(|o| o <= self.limit)
    }

    /// The last byte read.
    pub(super) fn last_byte(&self) -> u8 {
        self.last.get()
    }

    /// JSON: the last object key read (the key of the value being read).
    pub(super) fn last_key(&self) -> Option<String> {
        let k = self.key.borrow();
        (!k.is_empty()).then(|| k.clone())
    }

    /// Whether anything other than white space was read.
    pub(super) fn saw_content(&self) -> bool {
        self.content.get()
    }

    /// Whether a value went over the limit.
    pub(super) fn over(&self) -> bool {
        self.over.get()
    }

    pub(super) fn start_event(&self) {
        self.event.set(0);
        self.event_lt.set(None);
        self.event_lt_offset.set(None);
        self.lt_before_event.set(self.lt_line.get());
    }

    pub(super) fn here(&self) -> ScanLocation {
        ScanLocation { line: Some(self.line()), column: Some(self.column()), item: None }
    }

    fn scan(&self, bytes: &[u8]) {
        let (mut nl, mut col, mut state, mut string) =
            (self.newlines.get(), self.column.get(), self.state.get(), self.string.get());
        let event_before = self.event.get();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                nl += 1;
                col = 0;
            } else if b & 0xC0 != 0x80 {
                col += 1;
            }
            if !b.is_ascii_whitespace() {
                self.content.set(true);
            }
            if self.json {
                match (state, b) {
                    (0, b'"') => {
                        state = 1;
                        string = 0;
                        self.cur.borrow_mut().clear();
                    }
                    (0, b':') => {
                        if let Some(k) = self.pending.borrow_mut().take() {
                            *self.key.borrow_mut() = String::from_utf8_lossy(&k).into_owned();
                        }
                    }
                    (0, _) if !b.is_ascii_whitespace() => {
                        self.pending.borrow_mut().take();
                    }
                    (1, b'"') => {
                        state = 0;
                        *self.pending.borrow_mut() = Some(std::mem::take(&mut *self.cur.borrow_mut()));
                    }
                    (1, _) | (2, _) => {
                        state = if state == 1 && b == b'\\' { 2 } else { 1 };
                        string += 1;
                        let mut cur = self.cur.borrow_mut();
                        if cur.len() < 64 {
                            cur.push(b);
                        }
                        if string > self.limit {
                            self.over.set(true);
                        }
                    }
                    _ => {}
                }
            } else if b == b'<' {
                self.lt_line.set(nl + 1);
                if self.event_lt.get().is_none() {
                    self.event_lt.set(Some(nl + 1));
                    self.event_lt_offset.set(Some(event_before + i as u64));
                }
            }
        }
        if let Some(b) = bytes.last() {
            self.last.set(*b);
        }
        self.newlines.set(nl);
        self.column.set(col);
        self.state.set(state);
        self.string.set(string);
        if !self.json {
            let e = self.event.get() + bytes.len() as u64;
            self.event.set(e);
            if e > self.limit {
                self.over.set(true);
            }
        }
    }
}

/// Marks the I/O error raised when a value goes over the limit.
#[derive(Debug)]
struct TooLongInput;

impl fmt::Display for TooLongInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value is longer than {MAX_TEXT_BYTES} bytes")
    }
}

impl std::error::Error for TooLongInput {}

pub(super) struct Counted<R> {
    inner: R,
    counter: Rc<Counter>,
}

impl<R: BufRead> Counted<R> {
    /// Wraps `inner` after refusing UTF-16 and skipping a UTF-8 byte-order mark.
    pub(super) fn new(mut inner: R, json: bool) -> Result<(Counted<R>, Rc<Counter>), ScanError> {
        Self::check_start(&mut inner, json)?;
        let counter = Rc::new(Counter::new(json, MAX_TEXT_BYTES));
        Ok((Counted { inner, counter: counter.clone() }, counter))
    }

    fn check_start(inner: &mut R, json: bool) -> Result<(), ScanError> {
        let head = inner
            .fill_buf()
            .map_err(|e| ScanError::new(ScanLocation::default(), None, ScanErrorKind::Io { detail: e.to_string() }))?;
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            let at = ScanLocation { line: Some(1), column: Some(1), item: None };
            return Err(ScanError::new(at, None, ScanErrorKind::NotUtf8));
        }
        // quick-xml skips the mark itself; serde_json does not.
        if json && head.starts_with(b"\xEF\xBB\xBF") {
            inner.consume(3);
        }
        Ok(())
    }

    fn check(&self) -> io::Result<()> {
        if self.counter.over() {
            Err(io::Error::other(TooLongInput))
        } else {
            Ok(())
        }
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.check()?;
        let avail = self.inner.fill_buf()?;
        let src = avail.get(..out.len()).unwrap_or(avail);
        let n = src.len();
        if let Some(dst) = out.get_mut(..n) {
            dst.copy_from_slice(src);
        }
        self.counter.scan(src);
        self.inner.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.check()?;
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if let Ok(avail) = self.inner.fill_buf() {
            self.counter.scan(avail.get(..n).unwrap_or(avail));
        }
        self.inner.consume(n);
    }
}
