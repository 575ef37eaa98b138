//! Streaming JSON: serde_json reads from the counting wrapper; `DeserializeSeed`s walk the
//! containers and hand each array element to the sink as soon as it is read. Errors raised
//! inside serde callbacks are kept in the context (serde only carries text) and returned as
//! they were made.

use std::cell::RefCell;
use std::fmt;
use std::io::BufRead;
use std::marker::PhantomData;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

use super::error::{too_long, ScanErrorKind};
use super::input::{Counted, Counter};
use super::model::{Out, ScanLocation};
use super::{ScanError, ScanFinding, ScanSummary, MAX_IDS};

enum Seg {
    Key(String),
    Index(usize),
}

/// What the seeds share: the collector, the position, the path of keys and indices.
pub(super) struct Ctx<'s> {
    out: RefCell<Out<'s>>,
    counter: Rc<Counter>,
    path: RefCell<Vec<Seg>>,
    failure: RefCell<Option<ScanError>>,
}

impl<'s> Ctx<'s> {
    pub(super) fn push_key(&self, k: &str) {
        self.path.borrow_mut().push(Seg::Key(k.to_string()));
    }

    pub(super) fn push_index(&self, i: usize) {
        self.path.borrow_mut().push(Seg::Index(i));
    }

    pub(super) fn pop(&self) {
        self.path.borrow_mut().pop();
    }

    /// `runs[0].results[12]`.
    pub(super) fn item_path(&self) -> String {
        self.path_to(self.path.borrow().len())
    }

    fn path_to(&self, n: usize) -> String {
        let mut s = String::new();
        for seg in self.path.borrow().iter().take(n) {
            match seg {
                Seg::Key(k) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(&khien_domain::error::shorten(k, 60));
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    fn last_key(&self) -> Option<String> {
        self.path.borrow().iter().rev().find_map(|s| match s {
            Seg::Key(k) => Some(k.clone()),
            Seg::Index(_) => None,
        })
    }

    /// The current line and item path (the line of the value about to be read).
    pub(super) fn here(&self) -> ScanLocation {
        ScanLocation::at(self.counter.line(), self.item_path())
    }

    /// An error about the value of `field` being read: the place is the current line and
    /// the item path without its last key when that key is the field itself.
    pub(super) fn error(&self, field: Option<&str>, kind: ScanErrorKind) -> ScanError {
        let path = self.path.borrow();
        let n = match (path.last(), field) {
            (Some(Seg::Key(k)), Some(f)) if k == f => path.len() - 1,
            _ => path.len(),
        };
        drop(path);
        let at = ScanLocation::at(self.counter.line(), self.path_to(n));
        ScanError::new(at, field, kind)
    }

    /// Keeps `e` to be returned by [`run`] and gives serde an error to unwind with.
    pub(super) fn fail<E: de::Error>(&self, e: ScanError) -> E {
        let mut slot = self.failure.borrow_mut();
        if slot.is_none() {
            *slot = Some(e);
        }
        E::custom("scan error")
    }

    pub(super) fn emit<E: de::Error>(&self, f: ScanFinding) -> Result<(), E> {
        let r = self.out.borrow_mut().emit(f);
        r.map_err(|e| self.fail(e))
    }

    pub(super) fn skip(&self, at: ScanLocation, vi: &str, en: &str) {
        self.out.borrow_mut().skip(at, vi, en);
    }

    pub(super) fn out(&self) -> std::cell::RefMut<'_, Out<'s>> {
        self.out.borrow_mut()
    }
}

/// The seed of a whole document.
pub(super) trait TopSeed {
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx<'_>, d: D) -> Result<(), D::Error>;
}

struct TopAdapter<'c, 's, T>(&'c Ctx<'s>, T);

impl<'de, T: TopSeed> DeserializeSeed<'de> for TopAdapter<'_, '_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        self.1.read(self.0, d)
    }
}

pub(super) fn run<R: BufRead, T: TopSeed>(reader: R, out: Out<'_>, top: T) -> Result<ScanSummary, ScanError> {
    let (counted, counter) = Counted::new(reader, true)?;
    let ctx = Ctx {
        out: RefCell::new(out),
        counter: counter.clone(),
        path: RefCell::new(Vec::new()),
        failure: RefCell::new(None),
    };
    let mut de = serde_json::Deserializer::from_reader(counted);
    let r = TopAdapter(&ctx, top).deserialize(&mut de).and_then(|_| de.end());
    if let Err(e) = r {
        return Err(map_error(&ctx, &counter, e));
    }
    Ok(ctx.out.into_inner().finish())
}

fn map_error(ctx: &Ctx<'_>, counter: &Counter, e: serde_json::Error) -> ScanError {
    if let Some(kept) = ctx.failure.borrow_mut().take() {
        return kept;
    }
    let field = counter.last_key().or_else(|| ctx.last_key());
    if counter.over() {
        let mut err = ctx.error(field.as_deref(), too_long());
        err.set_column(counter.column());
        return err;
    }
    let detail = {
        let s = e.to_string();
        match s.rfind(" at line ") {
            Some(i) => s[..i].to_string(),
            None => s,
        }
    };
    use serde_json::error::Category;
    let (field, kind) = match e.classify() {
        Category::Eof if !counter.saw_content() => (None, ScanErrorKind::Empty),
        Category::Eof => (None, ScanErrorKind::Truncated { open: None }),
        Category::Io => (None, ScanErrorKind::Io { detail }),
        Category::Syntax => (None, ScanErrorKind::Json { detail }),
        Category::Data => (field, ScanErrorKind::Json { detail }),
    };
    let mut err = ctx.error(field.as_deref(), kind);
    if e.line() > 0 {
        err.set_line(e.line() as u64);
        err.set_column(e.column() as u64);
    }
    err
}

/// A wrong-shape error for the value being read (named by its key).
pub(super) fn shape(ctx: &Ctx<'_>, expected_vi: &'static str, expected_en: &'static str) -> ScanError {
    let field = ctx.counter.last_key().or_else(|| ctx.last_key());
    ctx.error(field.as_deref(), ScanErrorKind::WrongShape { expected_vi, expected_en })
}
/// Streams an array (`null` is an empty one), making a seed for each element.
pub(super) struct Array<'c, 's, F> {
    pub ctx: &'c Ctx<'s>,
    pub each: F,
}

impl<'de, F, S> DeserializeSeed<'de> for Array<'_, '_, F>
where
    F: FnMut() -> S,
    S: DeserializeSeed<'de, Value = ()>,
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F, S> Visitor<'de> for Array<'_, '_, F>
where
    F: FnMut() -> S,
    S: DeserializeSeed<'de, Value = ()>,
{
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        loop {
            self.ctx.push_index(i);
            let more = seq.next_element_seed((self.each)())?;
            self.ctx.pop();
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.ctx.fail(shape(self.ctx, "một mảng ([…])", "an array ([…])")))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.ctx.fail(shape(self.ctx, "một mảng ([…])", "an array ([…])")))
    }
}

/// Reads one element as `T` and turns it into a finding (or a skip) with `convert`.
pub(super) struct Item<'c, 's, T, F> {
    pub ctx: &'c Ctx<'s>,
    pub convert: &'c F,
    pub _t: PhantomData<T>,
}

/// What `convert` returns: a finding, an item to skip with its reason, or an error.
pub(super) enum Conv {
    Finding(Box<ScanFinding>),
    Skip(&'static str, &'static str),
}

impl<'de, T, F> DeserializeSeed<'de> for Item<'_, '_, T, F>
where
    T: Deserialize<'de>,
    F: Fn(T, ScanLocation) -> Result<Conv, ScanError>,
{
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let at = self.ctx.here();
        let v = T::deserialize(d)?;
        match (self.convert)(v, at.clone()) {
            Ok(Conv::Finding(f)) => self.ctx.emit(*f),
            Ok(Conv::Skip(vi, en)) => {
                self.ctx.skip(at, vi, en);
                Ok(())
            }
            Err(e) => Err(self.ctx.fail(e)),
        }
    }
}

/// A list that keeps its first `N` elements and skips the rest unread; `null` is empty.
#[derive(Debug)]
pub(super) struct Capped<T, const N: usize = MAX_IDS>(pub Vec<T>);

impl<T, const N: usize> Default for Capped<T, N> {
    fn default() -> Self {
        Capped(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Capped<T, N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const N: usize>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const N: usize> Visitor<'de> for V<T, N> {
            type Value = Capped<T, N>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Capped<T, N>, E> {
                Ok(Capped(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Capped<T, N>, A::Error> {
                let mut v = Vec::new();
                while v.len() < N {
                    match seq.next_element()? {
                        Some(x) => v.push(x),
                        None => return Ok(Capped(v)),
                    }
                }
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Capped(v))
            }
        }
        d.deserialize_any(V::<T, N>(PhantomData))
    }
}

/// A JSON object of texts (or numbers) kept as `key=value` pairs sorted by key, at most 64.
#[derive(Debug, Default)]
pub(super) struct Pairs(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of texts")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let value: Option<Scalar> = map.next_value()?;
                    if v.len() < 64 {
                        v.push((k, value.map(|x| x.0).unwrap_or_default()));
                    }
                }
                v.sort();
                Ok(Pairs(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A scalar written either as text or as a number (ports, plugin ids, scores); `null` is
/// `None` through `Option`.
#[derive(Debug, Clone, Default)]
pub(super) struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text or a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The text of an optional scalar ("" when absent).
pub(super) fn s(v: &Option<Scalar>) -> &str {
    v.as_ref().map(|x| x.0.as_str()).unwrap_or("")
}
