//! Writing a catalogue in the YAML format: children nested under their parents, empty fields
//! left out, multi-line descriptions as literal blocks (`|`).

use std::collections::HashMap;

use khien_domain::catalog::{Catalogue, CatalogueNode, NodeKind};
use serde::Serialize;

use crate::catalog::write::defuse;
use crate::error::ExportError;

/// Nodes deeper than this are written at the top level with their `parent_id`, well within
/// the reader's nesting limit (128 mappings and lists, two per level).
const MAX_NESTING: usize = 32;

#[derive(Serialize)]
struct Doc<'a> {
    nodes: Vec<Out<'a>>,
}

#[derive(Serialize)]
struct Out<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<&'a str>,
    kind: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    title_vi: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    title_en: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    levels: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<Out<'a>>,
}

struct Writer<'a> {
    nodes: &'a [CatalogueNode],
    /// Positions of the children of each parent id (ASCII-lowercased; `None`: the top).
    children: HashMap<Option<String>, Vec<usize>>,
    /// Nodes to write at the top level because they sit too deep.
    deep: Vec<usize>,
}

impl<'a> Writer<'a> {
    fn out(&mut self, i: usize, depth: usize, with_parent: bool) -> Option<Out<'a>> {
        let nodes = self.nodes;
        let n = nodes.get(i)?;
        let kids = self.children.get(&Some(n.id.to_ascii_lowercase())).cloned().unwrap_or_default();
        let children = if depth + 1 < MAX_NESTING {
            kids.into_iter().filter_map(|c| self.out(c, depth + 1, false)).collect()
        } else {
            self.deep.extend(kids);
            Vec::new()
        };
        Some(Out {
            id: &n.id,
            parent_id: n.parent.as_deref().filter(|_| with_parent),
            kind: match n.kind {
                NodeKind::Group => "group",
                NodeKind::Requirement => "requirement",
            },
            title_vi: defuse(n.title_vi.clone()),
            title_en: defuse(n.title_en.clone()),
            levels: n.levels.to_string(),
            description: defuse(n.description.clone()),
            children,
        })
    }
}

/// One line of a comment: no control characters.
fn comment(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

pub(crate) fn yaml(catalogue: &Catalogue) -> Result<Vec<u8>, ExportError> {
    let nodes = catalogue.nodes();
    let mut children: HashMap<Option<String>, Vec<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        children.entry(n.parent.as_ref().map(|p| p.to_ascii_lowercase())).or_default().push(i);
    }
    let roots = children.get(&None).cloned().unwrap_or_default();
    let mut w = Writer { nodes, children, deep: Vec::new() };
    let mut top: Vec<Out<'_>> = roots.into_iter().filter_map(|r| w.out(r, 0, false)).collect();
    let mut k = 0;
    while let Some(&i) = w.deep.get(k) {
        top.extend(w.out(i, 0, true));
        k += 1;
    }
    let body = serde_yaml_ng::to_string(&Doc { nodes: top }).map_err(|e| ExportError::Csv(format!("YAML: {e}")))?;
    let meta = catalogue.meta();
    let title = if meta.title_vi.trim().is_empty() { &meta.title_en } else { &meta.title_vi };
    let head = format!(
        "# {} {}: {}\n# Danh mục Khiên (YAML) / Khiên catalogue (YAML): mã, phiên bản và tiêu đề được nhập riêng / code, version and titles are given on import.\n",
        comment(&meta.code),
        comment(&meta.version),
        comment(title)
    );
    Ok([head.into_bytes(), body.into_bytes()].concat())
}
