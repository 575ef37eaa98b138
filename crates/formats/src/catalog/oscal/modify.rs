//! The `modify` of an OSCAL profile, applied to the flattened descriptions of the resolved
//! catalogue (parameters were already rendered as "[Assignment: …]" when the catalog was
//! read): the profile's parameter values (`set-parameters`) and the prose of the parts it adds
//! (`alters[].adds[].parts`) are appended to the description of the control they belong to.
//! Additions without text (properties only) and removals are counted, not applied.

use std::collections::HashMap;

use khien_domain::catalog::CatalogueNode;
use khien_domain::Msg;

use super::prose::{flatten_titled, insert_params, Params};
use super::At;
use crate::catalog::error::{CatalogError, CatalogErrorKind as CK};
use crate::catalog::MAX_DESCRIPTION_CHARS;

/// The first line of the block of parameter values.
pub(crate) const PARAMS_HEAD: &str = "Giá trị tham số (hồ sơ) / Profile parameter values:";
/// The first line of the block of added parts.
pub(crate) const ADDITIONS_HEAD: &str = "Bổ sung của hồ sơ / Profile additions:";

/// What `modify` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Modified {
    /// Whether the profile has a `modify` at all.
    pub present: bool,
    /// Parameter lines written.
    pub params: usize,
    /// Added parts written.
    pub parts: usize,
    /// Controls whose description changed.
    pub controls: usize,
    /// `adds` entries without parts (properties, links or parameters only): not applied.
    pub without_text: usize,
    /// `removes` entries: not applied.
    pub removes: usize,
}

impl Modified {
    /// The sentence for the source note; `None` without `modify`.
    pub(crate) fn note(&self) -> Option<Msg> {
        let Modified { present, params, parts, controls, without_text, removes } = *self;
        present.then(|| {
            Msg::new(
                format!(
                    "Phần «modify» của hồ sơ: đã ghi {params} giá trị tham số và {parts} đoạn bổ sung vào mô tả của {controls} biện pháp; \
                     không áp dụng {without_text} bổ sung không có văn bản (chỉ thuộc tính «props») và {removes} lệnh xóa («removes»)."
                ),
                format!(
                    "The profile's «modify»: {params} parameter values and {parts} added parts written into the descriptions of {controls} controls; \
                     not applied: {without_text} additions without text (properties «props» only) and {removes} removals («removes»)."
                ),
            )
        })
    }
}

/// An id lowercased, with zero-padded numbers unpadded: `AC-01.02` → `ac-1.2`.
pub(crate) fn normal_id(id: &str) -> String {
    fn flush(out: &mut String, digits: &mut String) {
        if !digits.is_empty() {
            let n = digits.trim_start_matches('0');
            out.push_str(if n.is_empty() { "0" } else { n });
            digits.clear();
        }
    }
    let (mut out, mut digits) = (String::with_capacity(id.len()), String::new());
    for c in id.trim().chars().map(|c| c.to_ascii_lowercase()) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut out, &mut digits);
            out.push(c);
        }
    }
    flush(&mut out, &mut digits);
    out
}

/// The control a parameter belongs to, normalised: its id up to the first `_`
/// (`ac-01_odp.05` and `ac-1_prm_5` → `ac-1`, `ra-05.02_odp.01` → `ra-5.2`).
pub(crate) fn param_control(param_id: &str) -> String {
    normal_id(param_id.split('_').next().unwrap_or(param_id))
}

/// Texts made readable, empty ones dropped.
fn readable<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    texts.into_iter().map(|t| insert_params(t, &Params::new(), 0)).filter(|t| !t.is_empty()).collect()
}

/// What a `set-parameters` entry says: its `values`, else its `constraints` descriptions, else
/// its `select` choices, else its `guidelines`, else its `label`.
fn param_value(pa: &At<'_, '_>) -> Result<String, CatalogError> {
    let values = readable(pa.strings("values")?);
    if !values.is_empty() {
        return Ok(values.join("; "));
    }
    let mut constraints = Vec::new();
    for (path, c) in pa.objects("constraints")? {
        constraints.extend(At { file: pa.file, path: &path, map: c }.opt_str("description")?);
    }
    let constraints = readable(constraints);
    if !constraints.is_empty() {
        return Ok(constraints.join("; "));
    }
    if let Some(sel) = pa.opt_object("select")? {
        let path = format!("{}.select", pa.path);
        let sa = At { file: pa.file, path: &path, map: sel };
        let choices = readable(sa.strings("choice")?);
        if !choices.is_empty() {
            let head =
                if sa.opt_str("how-many")? == Some("one-or-more") { "Selection (one or more)" } else { "Selection" };
            return Ok(format!("[{head}: {}]", choices.join("; ")));
        }
    }
    let mut guidelines = Vec::new();
    for (path, g) in pa.objects("guidelines")? {
        guidelines.extend(At { file: pa.file, path: &path, map: g }.opt_str("prose")?);
    }
    let guidelines = readable(guidelines);
    if !guidelines.is_empty() {
        return Ok(guidelines.join("; "));
    }
    Ok(readable(pa.opt_str("label")?).join("; "))
}

/// At most `max` characters; a cut text ends with "…".
fn cut(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Applies the profile's `modify` to `nodes`. `selected` maps the normalised id of every
/// selected control to its position in `nodes`; `label` names the resolved catalogue in errors.
/// A parameter or alteration of a control that is not selected (or unknown) is an error at its
/// JSON path (`profile.modify.alters[4]`, field `control-id`).
pub(crate) fn apply(
    root: &At<'_, '_>,
    nodes: &mut [CatalogueNode],
    selected: &HashMap<String, usize>,
    label: &str,
) -> Result<Modified, CatalogError> {
    let Some(modify) = root.opt_object("modify")? else {
        return Ok(Modified::default());
    };
    let path = format!("{}.modify", root.path);
    let at = At { file: root.file, path: &path, map: modify };
    let unknown = |a: &At<'_, '_>, field: &str, id: &str| {
        a.err(Some(field), CK::UnknownControls { ids: vec![id.to_string()], catalogue: label.to_string() })
    };
    let mut done = Modified { present: true, ..Modified::default() };
    let mut params: Vec<Vec<String>> = vec![Vec::new(); nodes.len()];
    let mut added: Vec<Vec<String>> = vec![Vec::new(); nodes.len()];
    for (ppath, p) in at.objects("set-parameters")? {
        let pa = At { file: root.file, path: &ppath, map: p };
        let id = pa.str("param-id")?;
        let pos = *selected.get(&param_control(id)).ok_or_else(|| unknown(&pa, "param-id", id))?;
        let value = param_value(&pa)?;
        if let (false, Some(lines)) = (value.is_empty(), params.get_mut(pos)) {
            lines.push(format!("- {}: {value}", id.trim()));
            done.params += 1;
        }
    }
    for (apath, a) in at.objects("alters")? {
        let aa = At { file: root.file, path: &apath, map: a };
        let id = aa.str("control-id")?;
        let pos = *selected.get(&normal_id(id)).ok_or_else(|| unknown(&aa, "control-id", id))?;
        for (dpath, d) in aa.objects("adds")? {
            let da = At { file: root.file, path: &dpath, map: d };
            let parts = da.array("parts")?.len();
            if parts == 0 {
                done.without_text += 1;
                continue;
            }
            let lines = flatten_titled(&da, &Params::new())?;
            if let Some(list) = added.get_mut(pos) {
                list.extend(lines);
                done.parts += parts;
            }
        }
        done.removes += aa.array("removes")?.len();
    }
    for ((node, p), a) in nodes.iter_mut().zip(&params).zip(&added) {
        if p.is_empty() && a.is_empty() {
            continue;
        }
        let mut blocks: Vec<String> = Vec::new();
        if !node.description.is_empty() {
            blocks.push(std::mem::take(&mut node.description));
        }
        if !p.is_empty() {
            blocks.push(format!("{PARAMS_HEAD}\n{}", p.join("\n")));
        }
        if !a.is_empty() {
            blocks.push(format!("{ADDITIONS_HEAD}\n{}", a.join("\n")));
        }
        node.description = cut(blocks.join("\n\n"), MAX_DESCRIPTION_CHARS);
        done.controls += 1;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_compared_without_padding() {
        assert_eq!(normal_id(" AC-01.02 "), "ac-1.2");
        assert_eq!(normal_id("ac-10"), "ac-10");
        assert_eq!(normal_id("sc-00"), "sc-0");
        assert_eq!(param_control("ac-01_odp.05"), "ac-1");
        assert_eq!(param_control("ac-1_prm_5"), "ac-1");
        assert_eq!(param_control("ra-05.02_odp.01"), "ra-5.2");
        assert_eq!(param_control("ac-22_odp"), "ac-22");
    }

    #[test]
    fn long_texts_are_cut_visibly() {
        assert_eq!(cut("abcdef".into(), 6), "abcdef");
        assert_eq!(cut("abc  def".into(), 6), "abc…");
        assert_eq!(cut("é".repeat(30), 10).chars().count(), 10);
    }
}
