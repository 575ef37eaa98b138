//! OSCAL catalog JSON → catalogue: groups (nested too) become groups, controls become
//! requirements, control enhancements (controls inside controls) become sub-requirements.

use khien_domain::catalog::{Catalogue, CatalogueMeta, CatalogueNode, LevelSet, NodeKind};
use khien_domain::Msg;

use super::prose::{collect_params, flatten, plain, Params};
use super::{map_problems, metadata, read_model, At};
use crate::catalog::error::CatalogError;

/// What [`parse_oscal_catalog`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OscalCatalogImport {
    pub catalogue: Catalogue,
    /// `metadata.title`, `metadata.version` and `metadata.oscal-version` of the file.
    pub title: String,
    pub version: String,
    pub oscal_version: String,
    /// Groups read (nested ones included).
    pub groups: usize,
    /// Controls read that sit directly in a group (or in the catalog).
    pub controls: usize,
    /// Controls read that sit inside another control (enhancements).
    pub enhancements: usize,
    /// Ids of the controls skipped because their `status` prop is `withdrawn`, in file order.
    pub withdrawn: Vec<String>,
    /// Ids of controls skipped because they sit inside a withdrawn control without being
    /// withdrawn themselves (none in NIST SP 800-53 rev. 5).
    pub skipped_under_withdrawn: Vec<String>,
}

impl OscalCatalogImport {
    /// One sentence for the user: what was imported and what was skipped.
    pub fn summary(&self) -> Msg {
        let (g, c, e, w) = (self.groups, self.controls, self.enhancements, self.withdrawn.len());
        let s = self.skipped_under_withdrawn.len();
        let (extra_vi, extra_en) = if s > 0 {
            (
                format!(" và {s} biện pháp nằm trong biện pháp đã rút"),
                format!(" and {s} controls inside withdrawn ones"),
            )
        } else {
            Default::default()
        };
        Msg::new(
            format!("Đã nhập «{}» phiên bản {}: {g} nhóm, {c} biện pháp, {e} biện pháp tăng cường. Bỏ qua {w} biện pháp đã rút (withdrawn){extra_vi}.", self.title, self.version),
            format!("Imported «{}» version {}: {g} groups, {c} controls, {e} enhancements. Skipped {w} withdrawn controls{extra_en}.", self.title, self.version),
        )
    }
}

struct Walk<'a> {
    file: &'a str,
    params: Params,
    levels: LevelSet,
    nodes: Vec<CatalogueNode>,
    paths: Vec<String>,
    groups: usize,
    controls: usize,
    enhancements: usize,
    withdrawn: Vec<String>,
    skipped: Vec<String>,
}

/// Every `params` of the catalog, before any prose is rendered (a control may use a parameter
/// defined elsewhere).
fn all_params(at: &At<'_, '_>, out: &mut Params) -> Result<(), CatalogError> {
    collect_params(at, out)?;
    for key in ["groups", "controls"] {
        for (path, m) in at.objects(key)? {
            all_params(&At { file: at.file, path: &path, map: m }, out)?;
        }
    }
    Ok(())
}

impl Walk<'_> {
    fn push(&mut self, path: &str, node: CatalogueNode) {
        self.nodes.push(node);
        self.paths.push(path.to_string());
    }

    fn group(&mut self, at: &At<'_, '_>, parent: Option<&str>, fallback_id: String) -> Result<(), CatalogError> {
        // OSCAL makes a group's id optional: one is made from its position.
        let id = at.opt_str("id")?.map_or(fallback_id, str::to_string);
        let title = plain(at.str("title")?);
        // OSCAL has no Vietnamese title: the English one stands in for it.
        let mut node = CatalogueNode::new(NodeKind::Group, &id, parent, &title, &title, self.levels);
        node.description = flatten(at, &self.params, None)?;
        self.push(at.path, node);
        self.groups += 1;
        for (path, m) in at.objects("controls")? {
            self.control(&At { file: at.file, path: &path, map: m }, Some(&id), false, false)?;
        }
        for (i, (path, m)) in at.objects("groups")?.into_iter().enumerate() {
            self.group(&At { file: at.file, path: &path, map: m }, Some(&id), format!("{id}-{}", i + 1))?;
        }
        Ok(())
    }

    fn control(
        &mut self,
        at: &At<'_, '_>,
        parent: Option<&str>,
        nested: bool,
        under_withdrawn: bool,
    ) -> Result<(), CatalogError> {
        let id = at.str("id")?;
        let title = plain(at.str("title")?);
        let withdrawn = at.prop("status")?.is_some_and(|s| s.trim().eq_ignore_ascii_case("withdrawn"));
        let skip = withdrawn || under_withdrawn;
        if withdrawn {
            self.withdrawn.push(id.to_string());
        } else if under_withdrawn {
            self.skipped.push(id.to_string());
        } else {
            let mut node = CatalogueNode::new(NodeKind::Requirement, id, parent, &title, &title, self.levels);
            node.description = flatten(at, &self.params, Some(&["statement"]))?;
            self.push(at.path, node);
            if nested {
                self.enhancements += 1;
            } else {
                self.controls += 1;
            }
        }
        for (path, m) in at.objects("controls")? {
            self.control(&At { file: at.file, path: &path, map: m }, Some(id), true, skip)?;
        }
        Ok(())
    }
}

/// Reads an OSCAL catalog (JSON) as a catalogue with this code, every node applying to
/// `levels` (an OSCAL catalog says nothing of Vietnamese levels; a profile narrows it later).
///
/// - groups (nested too) → groups; a group without `id` gets one from its position;
/// - controls → requirements; controls inside controls (enhancements) → sub-requirements;
/// - `title` → the English title, and the Vietnamese one too (OSCAL has none, and an empty
///   Vietnamese title would show as blank); the catalogue's titles likewise from
///   `metadata.title`; `metadata.version` → version;
/// - the prose of the `statement` part and its sub-parts → the description, one labelled line
///   per item ("a. …", "  1. …"), parameters written as NIST prints them ("[Assignment:
///   organization-defined frequency]", "[Selection (one or more): …]") or as "[ac-1_prm_1]"
///   when the catalog does not describe them; a group's description is the prose of its parts;
/// - controls whose `props` say `status` = `withdrawn` are skipped, with whatever they contain,
///   and listed in the result.
///
/// Not a catalog (another OSCAL model such as an SSP, or not OSCAL) is an error saying so; a
/// missing or mistyped property is an error naming its JSON path.
pub fn parse_oscal_catalog(
    file_name: &str,
    bytes: &[u8],
    code: &str,
    levels: LevelSet,
) -> Result<OscalCatalogImport, CatalogError> {
    let model = read_model(file_name, bytes, "catalog")?;
    let meta = metadata(file_name, "catalog", &model)?;
    let root = At { file: file_name, path: "catalog", map: &model };
    let mut walk = Walk {
        file: file_name,
        params: Params::new(),
        levels,
        nodes: Vec::new(),
        paths: Vec::new(),
        groups: 0,
        controls: 0,
        enhancements: 0,
        withdrawn: Vec::new(),
        skipped: Vec::new(),
    };
    all_params(&root, &mut walk.params)?;
    for (i, (path, m)) in root.objects("groups")?.into_iter().enumerate() {
        walk.group(&At { file: walk.file, path: &path, map: m }, None, format!("group-{}", i + 1))?;
    }
    for (path, m) in root.objects("controls")? {
        walk.control(&At { file: walk.file, path: &path, map: m }, None, false, false)?;
    }
    let w = walk.withdrawn.len();
    let source_note = Msg::new(
        format!(
            "Nhập từ OSCAL catalog «{}», phiên bản {} (OSCAL {}). Nội dung giữ nguyên tiếng Anh của tài liệu gốc; bỏ qua {w} biện pháp đã rút (withdrawn).",
            meta.title, meta.version, meta.oscal_version
        ),
        format!(
            "Imported from the OSCAL catalog «{}», version {} (OSCAL {}). Text kept in the source's English; {w} withdrawn controls skipped.",
            meta.title, meta.version, meta.oscal_version
        ),
    );
    let cmeta = CatalogueMeta {
        code: code.to_string(),
        version: meta.version.clone(),
        title_vi: meta.title.clone(),
        title_en: meta.title.clone(),
        source_note,
    };
    let catalogue = Catalogue::build(cmeta, walk.nodes).map_err(|p| map_problems(file_name, p, &walk.paths))?;
    Ok(OscalCatalogImport {
        catalogue,
        title: meta.title,
        version: meta.version,
        oscal_version: meta.oscal_version,
        groups: walk.groups,
        controls: walk.controls,
        enhancements: walk.enhancements,
        withdrawn: walk.withdrawn,
        skipped_under_withdrawn: walk.skipped,
    })
}
