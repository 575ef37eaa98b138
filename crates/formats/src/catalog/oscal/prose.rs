//! OSCAL prose made readable: parameters inserted as NIST prints them ("[Assignment:
//! organization-defined frequency]"), Markdown links reduced to their text, statement parts
//! flattened into labelled lines.

use std::collections::HashMap;

use super::At;
use crate::catalog::error::CatalogError;

/// What a parameter shows in prose.
#[derive(Debug, Clone, Default)]
pub(crate) struct Param {
    label: Option<String>,
    /// (one or more?, choices) of a `select`.
    select: Option<(bool, Vec<String>)>,
}

/// All parameters of a catalog, by id (ids are unique across an OSCAL catalog).
pub(crate) type Params = HashMap<String, Param>;

/// Reads the `params` of one group or control into `out`.
pub(crate) fn collect_params(at: &At<'_, '_>, out: &mut Params) -> Result<(), CatalogError> {
    for (path, p) in at.objects("params")? {
        let pa = At { file: at.file, path: &path, map: p };
        let id = pa.str("id")?;
        let mut param = Param { label: pa.opt_str("label")?.map(plain), select: None };
        if let Some(sel) = pa.opt_object("select")? {
            let spath = format!("{path}.select");
            let sa = At { file: at.file, path: &spath, map: sel };
            let many = sa.opt_str("how-many")? == Some("one-or-more");
            param.select = Some((many, sa.strings("choice")?.into_iter().map(str::to_string).collect()));
        }
        out.insert(id.to_string(), param);
    }
    Ok(())
}

/// Markdown links `[text](target)` become `text`; whitespace runs become one space.
pub(crate) fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](").and_then(|close| after[close + 2..].find(')').map(|end| (close, close + 2 + end)));
        match link {
            Some((close, end)) if !after[..close].contains('[') => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn param_text(id: &str, params: &Params, depth: usize) -> String {
    let Some(p) = params.get(id) else {
        return format!("[{id}]");
    };
    if let Some((many, choices)) = &p.select {
        let items: Vec<String> = choices.iter().map(|c| insert_params(c, params, depth + 1)).collect();
        let head = if *many { "Selection (one or more)" } else { "Selection" };
        return format!("[{head}: {}]", items.join("; "));
    }
    match &p.label {
        Some(label) => format!("[Assignment: {label}]"),
        None => format!("[{id}]"),
    }
}

/// Replaces `{{ insert: param, ac-1_prm_1 }}` by the parameter's text (its label or choices),
/// or by `[ac-1_prm_1]` when the catalog does not describe it.
pub(crate) fn insert_params(prose: &str, params: &Params, depth: usize) -> String {
    let mut out = String::with_capacity(prose.len());
    let mut rest = prose;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else { break };
        let inner = &rest[start + 2..start + len];
        out.push_str(&rest[..start]);
        let mut words = inner.split([':', ',']).map(str::trim);
        match (words.next(), words.next(), words.next()) {
            (Some("insert"), Some("param"), Some(id)) if depth < 4 => out.push_str(&param_text(id, params, depth)),
            (Some("insert"), Some(_), Some(id)) => out.push_str(&format!("[{id}]")),
            _ => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    plain(&out)
}

/// The prose of parts (and their sub-parts) as lines: "a. text", indented two spaces per level.
/// With `names`, only top-level parts of those names (e.g. `statement`) are read.
pub(crate) fn flatten(at: &At<'_, '_>, params: &Params, names: Option<&[&str]>) -> Result<String, CatalogError> {
    let mut lines = Vec::new();
    for (path, part) in at.objects("parts")? {
        let pa = At { file: at.file, path: &path, map: part };
        if names.is_some_and(|n| !n.contains(&pa.str("name").unwrap_or_default())) {
            continue;
        }
        walk(&pa, params, 0, &mut lines, false)?;
    }
    Ok(lines.join("\n"))
}

/// Like [`flatten`] for every part, with part titles too ("Title: prose", or the title alone
/// with its sub-parts indented below): the parts a profile adds to a control.
pub(crate) fn flatten_titled(at: &At<'_, '_>, params: &Params) -> Result<Vec<String>, CatalogError> {
    let mut lines = Vec::new();
    for (path, part) in at.objects("parts")? {
        walk(&At { file: at.file, path: &path, map: part }, params, 0, &mut lines, true)?;
    }
    Ok(lines)
}

fn walk(
    at: &At<'_, '_>,
    params: &Params,
    depth: usize,
    lines: &mut Vec<String>,
    titles: bool,
) -> Result<(), CatalogError> {
    let label = at.prop("label")?.map(str::trim).filter(|l| !l.is_empty());
    let title = if titles { at.opt_str("title")?.map(plain).filter(|t| !t.is_empty()) } else { None };
    let prose = at.opt_str("prose")?.map(|p| insert_params(p, params, 0)).unwrap_or_default();
    let mut child_depth = depth;
    if label.is_some() || title.is_some() || !prose.is_empty() {
        let mut words: Vec<String> = label.map(str::to_string).into_iter().collect();
        let titled = title.is_some();
        match title {
            Some(t) if prose.is_empty() => words.push(t),
            Some(t) => words.push(format!("{t}:")),
            None => {}
        }
        if !prose.is_empty() {
            words.push(prose);
        }
        lines.push(format!("{}{}", "  ".repeat(depth), words.join(" ")));
        if label.is_some() || titled {
            child_depth = depth + 1;
        }
    }
    for (path, part) in at.objects("parts")? {
        walk(&At { file: at.file, path: &path, map: part }, params, child_depth, lines, titles)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn links_and_params_become_readable() {
        assert_eq!(plain(" [FISMA](#0c67) and [OMB  A-130](#2784) require"), "FISMA and OMB A-130 require");
        assert_eq!(plain("a [b] c [d](e"), "a [b] c [d](e");
        let mut params = Params::new();
        params.insert("p1".into(), Param { label: Some("organization-defined frequency".into()), select: None });
        params.insert(
            "p2".into(),
            Param { label: None, select: Some((true, vec!["daily".into(), "{{ insert: param, p1 }}".into()])) },
        );
        assert_eq!(
            insert_params("Review {{ insert: param, p1 }}.", &params, 0),
            "Review [Assignment: organization-defined frequency]."
        );
        assert_eq!(
            insert_params("Run {{ insert: param, p2 }}", &params, 0),
            "Run [Selection (one or more): daily; [Assignment: organization-defined frequency]]"
        );
        assert_eq!(insert_params("{{insert: param, zz_prm_9}} x", &params, 0), "[zz_prm_9] x");
        assert_eq!(insert_params("open {{ never closed", &params, 0), "open {{ never closed");
    }
}
