//! Control catalogues (danh mục yêu cầu): a versioned tree of requirement groups and
//! requirements, each applying to some of the security levels 1–5. TCVN 14423:2026, TCVN
//! 11930:2017 and NIST SP 800-53 are catalogues; an assessment takes one catalogue version and a
//! system's level, and lists every applicable requirement ([`Catalogue::applicable`]).
//!
//! Rules checked by [`Catalogue::build`] (every problem names the node and the field):
//! - ids are unique (ASCII case-insensitively), 1–64 characters of `[A-Za-z0-9._-]`, starting
//!   with a letter or digit; a parent id must name a node of the catalogue, and following
//!   parents must never come back to the start (no cycle, no node its own parent);
//! - groups nest under groups (or sit at the top); requirements sit under groups or under other
//!   requirements (sub-requirements, like OSCAL control enhancements); a group never sits under
//!   a requirement;
//! - every node has a Vietnamese or an English title (at least one);
//! - a requirement applies to at least one level; a node applies to no level its nearest
//!   ancestor with levels does not (a sub-requirement cannot reach lower than its requirement);
//!   levels outside 1–5 cannot be written at all ([`LevelSet`] refuses them);
//! - a group given no levels takes the union of its descendants' levels;
//! - the catalogue has a code, a version, a title and at least one requirement.
//!
//! Siblings are ordered by `order`, then by their position in the input.

mod levels;
mod problem;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::system::code_enum;
use crate::{Lang, Msg};

pub use levels::{LevelSet, LevelSetError, MAX_LEVEL, MIN_LEVEL};
pub use problem::{CatalogueProblem, ProblemKind};

/// Longest node id or catalogue code, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// Most nodes one catalogue may hold (NIST SP 800-53 rev. 5 has about 1,200).
pub const MAX_NODES: usize = 50_000;

code_enum!(
    /// What a catalogue node is.
    NodeKind {
        Group = "group": "Nhóm" / "Group",
        Requirement = "requirement": "Yêu cầu" / "Requirement",
    }
);

/// One group or requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueNode {
    pub id: String,
    /// The parent's id; `None` at the top of the tree.
    pub parent: Option<String>,
    pub kind: NodeKind,
    pub title_vi: String,
    pub title_en: String,
    /// May be empty.
    pub description: String,
    /// For a group, empty means "the levels of its contents".
    pub levels: LevelSet,
    /// Position among siblings (ties keep input order).
    pub order: u32,
}

impl CatalogueNode {
    /// A node with an empty description and order 0.
    pub fn new(
        kind: NodeKind,
        id: &str,
        parent: Option<&str>,
        title_vi: &str,
        title_en: &str,
        levels: LevelSet,
    ) -> CatalogueNode {
        CatalogueNode {
            id: id.to_string(),
            parent: parent.map(str::to_string),
            kind,
            title_vi: title_vi.to_string(),
            title_en: title_en.to_string(),
            description: String::new(),
            levels,
            order: 0,
        }
    }

    /// The title in a language, or in the other one when that is empty.
    pub fn title(&self, lang: Lang) -> &str {
        let (first, other) = match lang {
            Lang::Vi => (&self.title_vi, &self.title_en),
            Lang::En => (&self.title_en, &self.title_vi),
        };
        if first.trim().is_empty() {
            other
        } else {
            first
        }
    }

    pub fn is_requirement(&self) -> bool {
        self.kind == NodeKind::Requirement
    }
}

/// What identifies a catalogue version and where its text comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueMeta {
    /// e.g. `tcvn-14423-2026`, `nist-800-53-r5`.
    pub code: String,
    /// e.g. `2026`, `5.0.1`.
    pub version: String,
    pub title_vi: String,
    pub title_en: String,
    /// Where the text comes from and how far it may be trusted.
    pub source_note: Msg,
}

/// A validated catalogue: nodes in tree order (each parent before its children, siblings by
/// `order`), ids unique, no cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    #[serde(flatten)]
    meta: CatalogueMeta,
    nodes: Vec<CatalogueNode>,
    /// Position of each node's parent in `nodes`.
    #[serde(skip)]
    parents: Vec<Option<usize>>,
    /// ASCII-lowercased id → position in `nodes`.
    #[serde(skip)]
    index: HashMap<String, usize>,
}

fn code_problem(code: &str) -> Option<ProblemKind> {
    if code.is_empty() {
        return Some(ProblemKind::EmptyId);
    }
    if code.chars().count() > MAX_ID_CHARS {
        return Some(ProblemKind::IdTooLong { max: MAX_ID_CHARS });
    }
    if let Some(ch) = code.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return Some(ProblemKind::BadIdChar { ch });
    }
    match code.chars().next() {
        Some(ch) if !ch.is_ascii_alphanumeric() => Some(ProblemKind::BadIdChar { ch }),
        _ => None,
    }
}

fn meta_problems(meta: &CatalogueMeta, out: &mut Vec<CatalogueProblem>) {
    if code_problem(&meta.code).is_some() {
        out.push(CatalogueProblem::whole("code", ProblemKind::BadCode));
    }
    if meta.version.trim().is_empty() {
        out.push(CatalogueProblem::whole("version", ProblemKind::EmptyVersion));
    }
    if meta.title_vi.trim().is_empty() && meta.title_en.trim().is_empty() {
        out.push(CatalogueProblem::whole("title_vi", ProblemKind::NoTitle));
    }
}

/// Walks parent links from every node; reports each cycle once, at its earliest node.
fn find_cycles(nodes: &[CatalogueNode], parent_of: &[Option<usize>], out: &mut Vec<CatalogueProblem>) -> bool {
    let parent = |i: usize| parent_of.get(i).copied().flatten();
    let id = |i: usize| nodes.get(i).map(|n| n.id.clone()).unwrap_or_default();
    let mut state = vec![0u8; nodes.len()]; // 0 unseen, 1 on the current walk, 2 done
    let mut found = false;
    for start in 0..nodes.len() {
        let mut walk = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state.get_mut(c) {
                Some(s @ 0) => {
                    *s = 1;
                    walk.push(c);
                    cur = parent(c);
                }
                Some(1) => {
                    let from = walk.iter().position(|x| *x == c).unwrap_or(0);
                    let first = walk.iter().skip(from).copied().min().unwrap_or(c);
                    let first_id = id(first);
                    let mut path = vec![first_id.clone()];
                    let mut p = parent(first);
                    while let Some(x) = p {
                        path.push(id(x));
                        if x == first || path.len() > walk.len() + 1 {
                            break;
                        }
                        p = parent(x);
                    }
                    out.push(CatalogueProblem::node(first, &first_id, "parent_id", ProblemKind::Cycle { path }));
                    found = true;
                    break;
                }
                _ => break,
            }
        }
        for c in walk {
            if let Some(s) = state.get_mut(c) {
                *s = 2;
            }
        }
    }
    found
}

impl Catalogue {
    /// Checks every rule (see the module documentation) and returns all problems found, sorted:
    /// catalogue-wide first, then by node position. Structural problems (duplicate ids, unknown
    /// parents, cycles) stop the checks that need a tree.
    pub fn build(meta: CatalogueMeta, nodes: Vec<CatalogueNode>) -> Result<Catalogue, Vec<CatalogueProblem>> {
        use ProblemKind as K;
        let mut problems = Vec::new();
        meta_problems(&meta, &mut problems);
        if nodes.len() > MAX_NODES {
            problems.push(CatalogueProblem::whole("nodes", K::TooManyNodes { max: MAX_NODES }));
            return Err(problems);
        }
        let mut index: HashMap<String, usize> = HashMap::with_capacity(nodes.len());
        let mut structural = false;
        for (i, n) in nodes.iter().enumerate() {
            let at = |field, kind| CatalogueProblem::node(i, &n.id, field, kind);
            if let Some(kind) = code_problem(&n.id) {
                problems.push(at("id", kind));
            }
            if n.title_vi.trim().is_empty() && n.title_en.trim().is_empty() {
                problems.push(at("title_vi", K::NoTitle));
            }
            if n.is_requirement() && n.levels.is_empty() {
                problems.push(at("levels", K::NoLevels));
            }
            let key = n.id.to_ascii_lowercase();
            if let Some(&first) = index.get(&key) {
                problems.push(at("id", K::DuplicateId { first_index: first }));
                structural = true;
            } else {
                index.insert(key, i);
            }
        }
        let mut parent_of: Vec<Option<usize>> = vec![None; nodes.len()];
        for ((i, n), slot) in nodes.iter().enumerate().zip(&mut parent_of) {
            let Some(p) = n.parent.as_deref().filter(|p| !p.is_empty()) else { continue };
            match index.get(&p.to_ascii_lowercase()) {
                Some(&pi) => *slot = Some(pi),
                None => {
                    problems.push(CatalogueProblem::node(
                        i,
                        &n.id,
                        "parent_id",
                        K::UnknownParent { parent: p.to_string() },
                    ));
                    structural = true;
                }
            }
        }
        structural |= find_cycles(&nodes, &parent_of, &mut problems);
        if !structural {
            for ((i, n), pi) in nodes.iter().enumerate().zip(&parent_of) {
                let Some((pi, parent)) = pi.and_then(|pi| Some((pi, nodes.get(pi)?))) else { continue };
                if n.kind == NodeKind::Group && parent.is_requirement() {
                    problems.push(CatalogueProblem::node(
                        i,
                        &n.id,
                        "parent_id",
                        K::GroupUnderRequirement { parent: parent.id.clone() },
                    ));
                }
                // The nearest ancestor that states its levels.
                let mut anc = Some(pi);
                while let Some(a) = anc.filter(|a| nodes.get(*a).is_some_and(|n| n.levels.is_empty())) {
                    anc = parent_of.get(a).copied().flatten();
                }
                if let Some(a) = anc.and_then(|a| nodes.get(a)) {
                    if !n.levels.is_empty() && !n.levels.is_subset_of(a.levels) {
                        let kind =
                            K::LevelsOutsideParent { levels: n.levels, parent: a.id.clone(), parent_levels: a.levels };
                        problems.push(CatalogueProblem::node(i, &n.id, "levels", kind));
                    }
                }
            }
            if !nodes.iter().any(CatalogueNode::is_requirement) {
                problems.push(CatalogueProblem::whole("nodes", K::NoRequirements));
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| (p.index.is_some(), p.index));
            return Err(problems);
        }
        Ok(Catalogue::arrange(meta, nodes, &parent_of))
    }

    /// Puts valid nodes in tree order and fills the levels of groups given none.
    fn arrange(meta: CatalogueMeta, mut nodes: Vec<CatalogueNode>, parent_of: &[Option<usize>]) -> Catalogue {
        let mut children: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
        for (i, p) in parent_of.iter().enumerate() {
            children.entry(*p).or_default().push(i);
        }
        for list in children.values_mut() {
            list.sort_by_key(|i| (nodes.get(*i).map(|n| n.order), *i));
        }
        let mut order = Vec::with_capacity(nodes.len());
        let mut stack: Vec<usize> = children.get(&None).map(|c| c.iter().rev().copied().collect()).unwrap_or_default();
        while let Some(i) = stack.pop() {
            order.push(i);
            if let Some(c) = children.get(&Some(i)) {
                stack.extend(c.iter().rev());
            }
        }
        let parent = |i: usize| parent_of.get(i).copied().flatten();
        let explicit: Vec<bool> = nodes.iter().map(|n| !n.levels.is_empty()).collect();
        for &i in order.iter().rev() {
            if let Some(p) = parent(i).filter(|p| explicit.get(*p) == Some(&false)) {
                let Some(levels) = nodes.get(i).map(|n| n.levels) else { continue };
                if let Some(parent) = nodes.get_mut(p) {
                    parent.levels = parent.levels.union(levels);
                }
            }
        }
        let mut new_pos = vec![0usize; nodes.len()];
        for (pos, &i) in order.iter().enumerate() {
            if let Some(slot) = new_pos.get_mut(i) {
                *slot = pos;
            }
        }
        let ids: Vec<String> = nodes.iter().map(|n| n.id.clone()).collect();
        let mut slots: Vec<Option<CatalogueNode>> = nodes.into_iter().map(Some).collect();
        let mut arranged = Vec::with_capacity(order.len());
        let mut parents = Vec::with_capacity(order.len());
        let mut index = HashMap::with_capacity(order.len());
        for &i in &order {
            let Some(mut n) = slots.get_mut(i).and_then(Option::take) else { continue };
            n.parent = parent(i).and_then(|p| ids.get(p).cloned());
            parents.push(parent(i).and_then(|p| new_pos.get(p).copied()));
            index.insert(n.id.to_ascii_lowercase(), arranged.len());
            arranged.push(n);
        }
        Catalogue { meta, nodes: arranged, parents, index }
    }

    pub fn meta(&self) -> &CatalogueMeta {
        &self.meta
    }

    pub fn code(&self) -> &str {
        &self.meta.code
    }

    pub fn version(&self) -> &str {
        &self.meta.version
    }

    /// All nodes in tree order.
    pub fn nodes(&self) -> &[CatalogueNode] {
        &self.nodes
    }

    /// The node with this id (ASCII case-insensitively).
    pub fn node(&self, id: &str) -> Option<&CatalogueNode> {
        self.position(id).and_then(|i| self.nodes.get(i))
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.index.get(&id.to_ascii_lowercase()).copied()
    }

    /// The direct children of a node in order, or the top-level nodes for `None`.
    pub fn children(&self, id: Option<&str>) -> Vec<&CatalogueNode> {
        let parent = match id {
            Some(id) => match self.position(id) {
                Some(p) => Some(p),
                None => return Vec::new(),
            },
            None => None,
        };
        self.nodes.iter().zip(&self.parents).filter(|(_, p)| **p == parent).map(|(n, _)| n).collect()
    }

    /// From the top-level ancestor down to the node itself; `None` for an unknown id.
    pub fn path(&self, id: &str) -> Option<Vec<&CatalogueNode>> {
        let mut cur = self.position(id);
        let mut path = Vec::new();
        while let Some(node) = cur.and_then(|i| self.nodes.get(i)) {
            path.push(node);
            cur = cur.and_then(|i| self.parents.get(i).copied().flatten());
        }
        path.reverse();
        (!path.is_empty()).then_some(path)
    }

    /// 0 for a top-level node.
    pub fn depth(&self, id: &str) -> Option<usize> {
        self.path(id).map(|p| p.len() - 1)
    }

    pub fn groups(&self) -> impl Iterator<Item = &CatalogueNode> {
        self.nodes.iter().filter(|n| n.kind == NodeKind::Group)
    }

    pub fn requirements(&self) -> impl Iterator<Item = &CatalogueNode> {
        self.nodes.iter().filter(|n| n.is_requirement())
    }

    /// The requirements that apply to a system of this level, in tree order (none for a level
    /// outside 1–5).
    pub fn applicable(&self, level: u8) -> impl Iterator<Item = &CatalogueNode> {
        self.requirements().filter(move |n| n.levels.contains(level))
    }

    /// How many requirements apply at each level: index 0 is level 1.
    pub fn counts_by_level(&self) -> [usize; 5] {
        let mut counts = [0usize; 5];
        for n in self.requirements() {
            for l in n.levels.iter() {
                if let Some(c) = counts.get_mut(usize::from(l) - 1) {
                    *c += 1;
                }
            }
        }
        counts
    }

    /// The metadata and the nodes in tree order, e.g. to build a changed copy.
    pub fn into_parts(self) -> (CatalogueMeta, Vec<CatalogueNode>) {
        (self.meta, self.nodes)
    }
}
