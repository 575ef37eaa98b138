//! OSCAL profile JSON (a baseline) resolved against a catalogue the caller gives.

use std::collections::{BTreeSet, HashMap};

use khien_domain::catalog::{Catalogue, CatalogueMeta, CatalogueNode, LevelSet, NodeKind};
use khien_domain::Msg;

use super::modify::{self, normal_id};
use super::{map_problems, metadata, read_model, At};
use crate::catalog::error::{CatalogError, CatalogErrorKind as CK};
use crate::error::Location;

/// What [`resolve_oscal_profile`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileImport {
    /// The selected requirements and the groups that contain them.
    pub catalogue: Catalogue,
    /// `metadata.title` and `metadata.version` of the profile.
    pub title: String,
    pub version: String,
    /// Ids of the selected requirements, in catalogue order.
    pub selected: Vec<String>,
}

/// The source catalogue's nodes with lookups by id and parent position.
struct Source<'a> {
    nodes: &'a [CatalogueNode],
    by_id: HashMap<String, usize>,
    parent: Vec<Option<usize>>,
    label: String,
}

impl<'a> Source<'a> {
    fn new(c: &'a Catalogue) -> Source<'a> {
        let nodes = c.nodes();
        let by_id: HashMap<String, usize> =
            nodes.iter().enumerate().map(|(i, n)| (n.id.to_ascii_lowercase(), i)).collect();
        let parent =
            nodes.iter().map(|n| n.parent.as_ref().and_then(|p| by_id.get(&p.to_ascii_lowercase()).copied())).collect();
        Source { nodes, by_id, parent, label: format!("{} {}", c.code(), c.version()) }
    }

    fn requirement(&self, id: &str) -> Option<usize> {
        self.by_id
            .get(&id.trim().to_ascii_lowercase())
            .copied()
            .filter(|i| self.nodes.get(*i).is_some_and(CatalogueNode::is_requirement))
    }

    /// The nodes below `pos` (tree order keeps them right after it).
    fn descendants(&self, pos: usize) -> impl Iterator<Item = usize> + '_ {
        (pos + 1..self.nodes.len()).take_while(move |i| self.is_below(*i, pos))
    }

    fn parent_of(&self, i: usize) -> Option<usize> {
        self.parent.get(i).copied().flatten()
    }

    fn is_below(&self, mut i: usize, ancestor: usize) -> bool {
        while let Some(p) = self.parent_of(i) {
            if p == ancestor {
                return true;
            }
            i = p;
        }
        false
    }
}

/// Glob match with `*` (any run) and `?` (one character), ASCII case-insensitively.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) =
        (pattern.to_ascii_lowercase().chars().collect(), text.to_ascii_lowercase().chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while let Some(tc) = t.get(ti) {
        let pc = p.get(pi);
        if pc.is_some_and(|c| *c == '?' || c == tc) {
            pi += 1;
            ti += 1;
        } else if pc == Some(&'*') {
            star = Some(pi);
            pi += 1;
            mark = ti;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p.iter().skip(pi).all(|c| *c == '*')
}

/// The requirements one `include-controls` / `exclude-controls` entry names.
fn select(at: &At<'_, '_>, src: &Source<'_>) -> Result<Vec<usize>, CatalogError> {
    let ids = at.strings("with-ids")?;
    let unknown: Vec<String> = ids.iter().filter(|id| src.requirement(id).is_none()).map(|id| id.to_string()).collect();
    if !unknown.is_empty() {
        return Err(at.err(Some("with-ids"), CK::UnknownControls { ids: unknown, catalogue: src.label.clone() }));
    }
    let mut chosen: Vec<usize> = ids.iter().filter_map(|id| src.requirement(id)).collect();
    for (path, m) in at.objects("matching")? {
        let ma = At { file: at.file, path: &path, map: m };
        let pattern = ma.str("pattern")?;
        chosen.extend(
            src.nodes.iter().enumerate().filter(|(_, n)| n.is_requirement() && glob(pattern, &n.id)).map(|(i, _)| i),
        );
    }
    match at.opt_str("with-child-controls")? {
        None | Some("no") => {}
        Some("yes") => {
            let children: Vec<usize> = chosen.iter().flat_map(|p| src.descendants(*p)).collect();
            chosen
                .extend(children.into_iter().filter(|i| src.nodes.get(*i).is_some_and(CatalogueNode::is_requirement)));
        }
        Some(other) => {
            return Err(
                at.err(Some("with-child-controls"), CK::Unsupported { what: format!("with-child-controls: {other}") })
            )
        }
    }
    Ok(chosen)
}

/// Resolves an OSCAL profile against `source` (normally the catalogue read from the catalog the
/// profile's `imports[].href` points to; the caller maps that reference to a catalogue, since
/// Khiên reads no files and no network). Returns a catalogue with this code that keeps only the
/// selected controls and the groups containing them, every node applying to `levels` (e.g. a
/// LOW baseline for levels 1–2).
///
/// Read: every `imports[]` entry (all against `source`), with `include-all`,
/// `include-controls[]` and `exclude-controls[]`, each by `with-ids`, `matching[].pattern`
/// (`*` and `?`) and `with-child-controls`. A selected control whose parent control is not
/// selected is attached to the nearest selected ancestor (or its group). Not applied: `merge`
/// (the catalogue's own structure is kept).
///
/// `modify` is applied to the descriptions (the catalogue holds flattened text, its parameters
/// already written as "[Assignment: …]"): a selected control's description gets a block
/// "Giá trị tham số (hồ sơ) / Profile parameter values:" with one line "- <param-id>: <text>"
/// per `set-parameters` entry of that control (its `values`, else its `constraints`
/// descriptions, else its `select` choices, `guidelines` or `label`, joined by "; "), and a
/// block "Bổ sung của hồ sơ / Profile additions:" with the prose of the parts its `alters[]`
/// add (titles and labels kept, sub-parts indented). A parameter belongs to the control its id
/// starts with, up to the first `_`, zero padding ignored (`ac-01_odp.05` → `ac-1`). Additions
/// without parts (properties only) and `removes` are not applied; the source note counts them.
/// A description longer than [`MAX_DESCRIPTION_CHARS`](crate::catalog::MAX_DESCRIPTION_CHARS)
/// is cut, ending with "…".
///
/// Ids that name no control of `source` are an error listing them, at the JSON path of the
/// selection (`profile.imports[0].include-controls[0]`, field `with-ids`); a `set-parameters`
/// or `alters` entry for a control that is not selected is an error at its path
/// (`profile.modify.alters[4]`, field `control-id`; `profile.modify.set-parameters[2]`, field
/// `param-id`).
pub fn resolve_oscal_profile(
    file_name: &str,
    bytes: &[u8],
    source: &Catalogue,
    code: &str,
    levels: LevelSet,
) -> Result<ProfileImport, CatalogError> {
    let model = read_model(file_name, bytes, "profile")?;
    let meta = metadata(file_name, "profile", &model)?;
    let root = At { file: file_name, path: "profile", map: &model };
    let src = Source::new(source);
    let imports = root.objects("imports")?;
    if imports.is_empty() {
        return Err(root.err(Some("imports"), CK::MissingProperty));
    }
    let mut selected: BTreeSet<usize> = BTreeSet::new();
    for (path, m) in &imports {
        let imp = At { file: file_name, path, map: m };
        let includes = imp.objects("include-controls")?;
        let mut chosen: BTreeSet<usize> = BTreeSet::new();
        if imp.opt_object("include-all")?.is_some() {
            chosen.extend(src.nodes.iter().enumerate().filter(|(_, n)| n.is_requirement()).map(|(i, _)| i));
        } else if includes.is_empty() {
            return Err(imp.err(Some("include-controls"), CK::MissingProperty));
        }
        for (spath, s) in &includes {
            chosen.extend(select(&At { file: file_name, path: spath, map: s }, &src)?);
        }
        for (spath, s) in imp.objects("exclude-controls")? {
            for p in select(&At { file: file_name, path: &spath, map: s }, &src)? {
                chosen.remove(&p);
            }
        }
        selected.extend(chosen);
    }
    if selected.is_empty() {
        return Err(CatalogError::new(file_name, Location::File, None, CK::NothingSelected));
    }
    // Keep the selection and the groups above it.
    let mut keep: BTreeSet<usize> = selected.clone();
    for &s in &selected {
        let mut cur = src.parent_of(s);
        while let Some(p) = cur {
            if src.nodes.get(p).is_some_and(|n| n.kind == NodeKind::Group) {
                keep.insert(p);
            }
            cur = src.parent_of(p);
        }
    }
    let mut nodes = Vec::with_capacity(keep.len());
    let mut positions: HashMap<String, usize> = HashMap::with_capacity(selected.len());
    for (order, &i) in keep.iter().enumerate() {
        let Some(source) = src.nodes.get(i) else { continue };
        if selected.contains(&i) {
            positions.insert(normal_id(&source.id), order);
        }
        let mut node = source.clone();
        let mut cur = src.parent_of(i);
        while let Some(p) = cur.filter(|p| !keep.contains(p)) {
            cur = src.parent_of(p);
        }
        node.parent = cur.and_then(|p| src.nodes.get(p)).map(|n| n.id.clone());
        node.levels = levels;
        node.order = u32::try_from(order).unwrap_or(u32::MAX);
        if node.title_vi.trim().is_empty() {
            node.title_vi = node.title_en.clone();
        }
        nodes.push(node);
    }
    let modified = modify::apply(&root, &mut nodes, &positions, &format!("{code} {}", meta.version))?;
    let n = selected.len();
    let mut source_note = Msg::new(
        format!(
            "Hồ sơ (profile) OSCAL «{}» phiên bản {}, giải trên danh mục {}: {n} biện pháp, áp dụng cho cấp độ {levels}.",
            meta.title, meta.version, src.label
        ),
        format!(
            "OSCAL profile «{}» version {}, resolved against the catalogue {}: {n} controls, applying to levels {levels}.",
            meta.title, meta.version, src.label
        ),
    );
    if let Some(note) = modified.note() {
        source_note = Msg::new(format!("{} {}", source_note.vi, note.vi), format!("{} {}", source_note.en, note.en));
    }
    // OSCAL has no Vietnamese title: the English one stands in for it (nodes likewise).
    let cmeta = CatalogueMeta {
        code: code.to_string(),
        version: meta.version.clone(),
        title_vi: meta.title.clone(),
        title_en: meta.title.clone(),
        source_note,
    };
    let selected_ids = selected.iter().filter_map(|i| src.nodes.get(*i)).map(|n| n.id.clone()).collect();
    let catalogue = Catalogue::build(cmeta, nodes).map_err(|p| map_problems(file_name, p, &[]))?;
    Ok(ProfileImport { catalogue, title: meta.title, version: meta.version, selected: selected_ids })
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("ac-*", "ac-2.1"));
        assert!(glob("AC-?", "ac-2"));
        assert!(!glob("ac-?", "ac-21"));
        assert!(glob("*", ""));
        assert!(glob("a*c*e", "abcde"));
        assert!(!glob("a*c*f", "abcde"));
    }
}
