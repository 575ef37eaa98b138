//! Reading the YAML catalogue format. The document is walked with serde seeds that carry the
//! item path, so that every problem names its place (`nodes[3].children[2]`) and the key.
//! Values are read as the text written (`1.10` stays `1.10`, not the number 1.1). Work is
//! budgeted at about twice the file size: YAML aliases (`*a`) that would expand an anchor
//! (`&a`) far beyond that ("billion laughs") are refused before the expansion is built.

use std::cell::{Cell, RefCell};
use std::fmt;

use khien_domain::catalog::{
    Catalogue, CatalogueMeta, CatalogueNode, CatalogueProblem, LevelSet, NodeKind, ProblemKind, MAX_ID_CHARS, MAX_NODES,
};
use serde::de::{DeserializeSeed, Deserializer, Error as DeError, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::NODE_KEYS;
use crate::catalog::error::{CatalogError, CatalogErrorKind as CK};
use crate::catalog::table::{description_cell, kind_cell, levels_cell};
use crate::catalog::{MAX_OSCAL_BYTES, MAX_TITLE_CHARS};
use crate::check;
use crate::error::{ImportErrorKind as K, Location};

/// One node as read, before the catalogue rules.
struct Item {
    path: String,
    node: CatalogueNode,
    /// The node whose `children` hold this one.
    container: Option<usize>,
    /// Whether `parent_id` was written.
    parent_written: bool,
}

/// What the seeds share: the file name, the work left, the first problem, the nodes read.
struct Ctx<'f> {
    file: &'f str,
    budget: Cell<usize>,
    failure: RefCell<Option<CatalogError>>,
    items: RefCell<Vec<Item>>,
}

/// An error of the parser's own limits (nesting depth, alias jumps), reported as such.
fn is_limit(e: &dyn fmt::Display) -> bool {
    let text = e.to_string();
    text.starts_with("recursion limit exceeded") || text.starts_with("repetition limit exceeded")
}

impl Ctx<'_> {
    /// Keeps the first problem (the innermost one: errors travel outwards) and returns an
    /// error that stops the parser.
    fn fail<E: DeError>(&self, location: Location, field: Option<&str>, kind: CK) -> E {
        let mut first = self.failure.borrow_mut();
        if first.is_none() {
            *first = Some(CatalogError::new(self.file, location, field, kind));
        }
        E::custom("invalid catalogue")
    }

    fn at<E: DeError>(&self, path: &str, field: Option<&str>, kind: CK) -> E {
        self.fail(Location::Item(path.to_string()), field, kind)
    }

    /// After the parser refused a value (a list where text is expected…): says what was expected.
    fn wrong<E: DeError>(&self, e: E, path: &str, field: Option<&str>, expected: &'static str) -> E {
        if !is_limit(&e) {
            let _: E = self.at(path, field, CK::WrongType { expected });
        }
        e
    }

    /// Spends work: one per value read, plus the length of each text.
    fn spend<E: DeError>(&self, units: usize) -> Result<(), E> {
        match self.budget.get().checked_sub(units) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(self.fail(Location::File, None, CK::AliasExpansion)),
        }
    }
}

/// A scalar as the text written.
struct Text;

impl Visitor<'_> for Text {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text")
    }

    fn visit_str<E: DeError>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// A mapping key.
struct Key<'c, 'f> {
    ctx: &'c Ctx<'f>,
    path: &'c str,
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        let key = d.deserialize_str(Text).map_err(|e| self.ctx.wrong(e, self.path, None, "text"))?;
        self.ctx.spend(1 + key.len())?;
        Ok(key)
    }
}

/// A text value; `None` when empty or null (`~`, `null`).
struct Scalar<'c, 'f> {
    ctx: &'c Ctx<'f>,
    path: &'c str,
    key: &'c str,
}

impl<'de> DeserializeSeed<'de> for Scalar<'_, '_> {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Scalar<'_, '_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text")
    }

    fn visit_none<E: DeError>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_unit<E: DeError>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        let text = d.deserialize_str(Text).map_err(|e| self.ctx.wrong(e, self.path, Some(self.key), "text"))?;
        self.ctx.spend(text.len())?;
        Ok(Some(text))
    }
}

/// The document: `nodes:` with a list, or the list itself.
struct Root<'c, 'f>(&'c Ctx<'f>);

impl<'de> DeserializeSeed<'de> for Root<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let ctx = self.0;
        d.deserialize_any(self).inspect_err(|e| {
            if !is_limit(e) {
                let _: D::Error = ctx.fail(Location::File, None, CK::WrongType { expected: "nodes" });
            }
        })
    }
}

impl<'de> Visitor<'de> for Root<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of catalogue nodes")
    }

    fn visit_unit<E: DeError>(self) -> Result<(), E> {
        Err(self.0.fail(Location::File, None, CK::Import(K::EmptyFile)))
    }

    fn visit_none<E: DeError>(self) -> Result<(), E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        read_list(self.0, seq, "", None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        let mut seen = false;
        while let Some(key) = map.next_key_seed(Key { ctx, path: "$" })? {
            if key != "nodes" {
                return Err(ctx.at("$", Some(&key), CK::UnknownKey { allowed: "nodes" }));
            }
            if seen {
                return Err(ctx.at("$", Some(&key), CK::DuplicateKey));
            }
            seen = true;
            map.next_value_seed(List { ctx, owner: "$", key: "nodes", prefix: "nodes".into(), container: None })?;
        }
        if !seen {
            return Err(ctx.at("$", Some("nodes"), CK::MissingProperty));
        }
        Ok(())
    }
}

/// A list of nodes, the value of `key` in `owner`; empty when null.
struct List<'c, 'f> {
    ctx: &'c Ctx<'f>,
    owner: &'c str,
    key: &'static str,
    /// The path of the list (`nodes[0].children`); its items are `prefix[i]`.
    prefix: String,
    container: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for List<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let (ctx, owner, key) = (self.ctx, self.owner, self.key);
        d.deserialize_any(self).map_err(|e| ctx.wrong(e, owner, Some(key), "list"))
    }
}

impl<'de> Visitor<'de> for List<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of catalogue nodes")
    }

    fn visit_unit<E: DeError>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: DeError>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        read_list(self.ctx, seq, &self.prefix, self.container)
    }
}

fn read_list<'de, A: SeqAccess<'de>>(
    ctx: &Ctx<'_>,
    mut seq: A,
    prefix: &str,
    container: Option<usize>,
) -> Result<(), A::Error> {
    let mut i = 0usize;
    loop {
        ctx.spend(1)?;
        let path = format!("{prefix}[{i}]");
        if seq.next_element_seed(Node { ctx, path: &path, container })?.is_none() {
            return Ok(());
        }
        i += 1;
    }
}

/// One node: a mapping of the keys in [`NODE_KEYS`].
struct Node<'c, 'f> {
    ctx: &'c Ctx<'f>,
    path: &'c str,
    container: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let (ctx, path) = (self.ctx, self.path);
        d.deserialize_any(self).map_err(|e| ctx.wrong(e, path, None, "mapping"))
    }
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a catalogue node")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (ctx, path) = (self.ctx, self.path);
        let blank = || CatalogueNode::new(NodeKind::Requirement, "", None, "", "", LevelSet::EMPTY);
        // The slot is taken before the children are read: items stay in file order.
        let index = {
            let mut items = ctx.items.borrow_mut();
            if items.len() >= MAX_NODES {
                let problem = CatalogueProblem {
                    index: None,
                    id: None,
                    field: "nodes",
                    kind: ProblemKind::TooManyNodes { max: MAX_NODES },
                };
                return Err(ctx.at(path, None, CK::Rule(problem)));
            }
            items.push(Item {
                path: path.to_string(),
                node: blank(),
                container: self.container,
                parent_written: false,
            });
            items.len() - 1
        };
        let mut node = blank();
        let (mut id, mut kind) = (None, None);
        let mut seen: Vec<String> = Vec::new();
        while let Some(key) = map.next_key_seed(Key { ctx, path })? {
            if seen.contains(&key) {
                return Err(ctx.at(path, Some(&key), CK::DuplicateKey));
            }
            let err = |k: CK| ctx.at::<A::Error>(path, Some(&key), k);
            let cell = |k: K| err(CK::Import(k));
            if key == "children" {
                let prefix = format!("{path}.children");
                map.next_value_seed(List { ctx, owner: path, key: "children", prefix, container: Some(index) })?;
            } else if NODE_KEYS.split(", ").any(|k| k == key) {
                let raw = map.next_value_seed(Scalar { ctx, path, key: &key })?.unwrap_or_default();
                match key.as_str() {
                    "id" => id = Some(check::code(&raw, MAX_ID_CHARS).map_err(cell)?.ok_or_else(|| cell(K::Required))?),
                    "parent_id" => node.parent = check::code(&raw, MAX_ID_CHARS).map_err(cell)?,
                    "kind" => kind = Some(kind_cell(&raw).map_err(err)?),
                    "title_vi" => {
                        node.title_vi = check::text(&raw, MAX_TITLE_CHARS, true).map_err(cell)?.unwrap_or_default()
                    }
                    "title_en" => {
                        node.title_en = check::text(&raw, MAX_TITLE_CHARS, true).map_err(cell)?.unwrap_or_default()
                    }
                    "description" => node.description = description_cell(&raw).map_err(cell)?,
                    _ => node.levels = levels_cell(&raw).map_err(err)?,
                }
            } else {
                return Err(err(CK::UnknownKey { allowed: NODE_KEYS }));
            }
            seen.push(key);
        }
        let missing = |key| ctx.at::<A::Error>(path, Some(key), CK::MissingProperty);
        node.id = id.ok_or_else(|| missing("id"))?;
        node.kind = kind.ok_or_else(|| missing("kind"))?;
        let parent_written = node.parent.is_some();
        if let Some(item) = ctx.items.borrow_mut().get_mut(index) {
            item.node = node;
            item.parent_written = parent_written;
        }
        Ok(())
    }
}

/// Reads a catalogue in the YAML format (all or nothing).
pub(crate) fn catalogue_from_yaml(file: &str, bytes: &[u8], meta: CatalogueMeta) -> Result<Catalogue, CatalogError> {
    let fail = |kind| Err(CatalogError::new(file, Location::File, None, kind));
    if bytes.len() > MAX_OSCAL_BYTES {
        return fail(CK::TooLarge { max_bytes: MAX_OSCAL_BYTES });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(CK::Import(K::EmptyFile));
    }
    let ctx = Ctx {
        file,
        budget: Cell::new(bytes.len().saturating_mul(2).saturating_add(4096)),
        failure: RefCell::new(None),
        items: RefCell::new(Vec::new()),
    };
    if let Err(e) = Root(&ctx).deserialize(serde_yaml_ng::Deserializer::from_slice(bytes)) {
        // The parser stops its events at a syntax error, and the walk may fail on the cut
        // document first: a plain pass (aliases not followed) tells which came first.
        if let Err(syntax) = serde_yaml_ng::from_slice::<IgnoredAny>(bytes) {
            if !is_limit(&syntax) {
                return Err(parser_error(file, &syntax));
            }
        }
        return Err(ctx.failure.take().unwrap_or_else(|| parser_error(file, &e)));
    }
    build(file, ctx.items.into_inner(), meta)
}

/// A problem the parser found: syntax (with its line and character), or its alias limit.
fn parser_error(file: &str, e: &serde_yaml_ng::Error) -> CatalogError {
    let text = e.to_string();
    if text.starts_with("repetition limit exceeded") {
        return CatalogError::new(file, Location::File, None, CK::AliasExpansion);
    }
    let detail = text.split(" at line ").next().unwrap_or(&text).trim().to_string();
    let location = e.location().map_or(Location::File, |l| Location::LineColumn { line: l.line(), column: l.column() });
    CatalogError::new(file, location, None, CK::MalformedYaml(detail))
}

/// Parents from nesting, order from the file, then the catalogue rules.
fn build(file: &str, items: Vec<Item>, meta: CatalogueMeta) -> Result<Catalogue, CatalogError> {
    let ids: Vec<String> = items.iter().map(|i| i.node.id.clone()).collect();
    let mut paths = Vec::with_capacity(items.len());
    let mut written = Vec::with_capacity(items.len());
    let mut nodes = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let mut node = item.node;
        if let Some(container) = item.container.and_then(|c| ids.get(c)) {
            match &node.parent {
                Some(p) if !p.eq_ignore_ascii_case(container) => {
                    let kind = CK::ParentMismatch { parent_id: p.clone(), container: container.clone() };
                    return Err(CatalogError::new(file, Location::Item(item.path), Some("parent_id"), kind));
                }
                _ => node.parent = Some(container.clone()),
            }
        }
        node.order = u32::try_from(i).unwrap_or(u32::MAX);
        nodes.push(node);
        paths.push(item.path);
        written.push(item.parent_written);
    }
    Catalogue::build(meta, nodes).map_err(|problems| {
        let Some(p) = problems.into_iter().next() else {
            return CatalogError::new(
                file,
                Location::File,
                None,
                CK::Rule(CatalogueProblem { index: None, id: None, field: "nodes", kind: ProblemKind::NoRequirements }),
            );
        };
        let loc = |i: Option<usize>| i.and_then(|i| paths.get(i)).map_or(Location::File, |p| Location::Item(p.clone()));
        let field = match (p.index, p.field) {
            (None, _) => None,
            // A parent given by nesting: the path says it all.
            (Some(i), "parent_id") if !written.get(i).copied().unwrap_or(false) => None,
            (Some(_), f @ ("id" | "parent_id" | "kind" | "title_vi" | "title_en" | "levels")) => Some(f),
            _ => None,
        };
        let kind = CK::of_problem(&p, loc);
        CatalogError::new(file, loc(p.index), field, kind)
    })
}
