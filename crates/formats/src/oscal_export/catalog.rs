//! A stored catalogue as an OSCAL catalog: groups nest as groups, requirements as controls
//! (sub-requirements as nested controls), ids mapped to OSCAL tokens with the original kept,
//! the levels a requirement applies to as a property. It is the file an SSP's
//! `import-profile` points to, so the two travel together.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::common::{control_token, line, ts, Ids, KHIEN_NS, OSCAL_VERSION};
use super::OscalExportError;

/// One node of a catalogue, in tree order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogNodeIn {
    pub id: String,
    pub parent: Option<String>,
    pub group: bool,
    pub title: String,
    pub description: String,
    /// e.g. "3-5"
    pub levels: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogIn {
    pub namespace_id: String,
    pub code: String,
    pub version: String,
    pub title: String,
    pub last_modified: DateTime<Utc>,
    /// Said in the metadata's remarks (e.g. that the titles are not the official text).
    pub remarks: String,
    pub nodes: Vec<CatalogNodeIn>,
}

/// The file name an SSP refers to for this catalogue: `catalogues/<code>-<version>.json`.
pub fn catalog_href(code: &str, version: &str) -> String {
    let clean = |s: &str| {
        s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '-' }).collect::<String>()
    };
    format!("catalogues/{}-{}.json", clean(code), clean(version))
}

fn node_json(n: &CatalogNodeIn, children: &HashMap<&str, Vec<&CatalogNodeIn>>) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(control_token(&n.id)));
    if !n.group {
        o.insert("class".into(), json!("requirement"));
    }
    o.insert("title".into(), json!(line(&n.title, &n.id)));
    let mut props = vec![json!({"name": "label", "value": line(&n.id, "-")})];
    if !n.levels.trim().is_empty() {
        props.push(json!({"name": "levels", "ns": KHIEN_NS, "value": line(&n.levels, "-")}));
    }
    o.insert("props".into(), Value::Array(props));
    if !n.description.trim().is_empty() {
        o.insert("parts".into(), json!([{"id": format!("{}_smt", control_token(&n.id)), "name": if n.group { "overview" } else { "statement" }, "prose": n.description.trim()}]));
    }
    let kids = children.get(n.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
    let groups: Vec<Value> = kids.iter().filter(|c| c.group).map(|c| node_json(c, children)).collect();
    let controls: Vec<Value> = kids.iter().filter(|c| !c.group).map(|c| node_json(c, children)).collect();
    if n.group && !groups.is_empty() {
        o.insert("groups".into(), Value::Array(groups));
    }
    if !controls.is_empty() {
        o.insert("controls".into(), Value::Array(controls));
    }
    Value::Object(o)
}

pub(super) fn export(c: &CatalogIn) -> Result<Vec<u8>, OscalExportError> {
    let mut seen = HashMap::new();
    for n in &c.nodes {
        if let Some(first) = seen.insert(control_token(&n.id), n.id.clone()) {
            return Err(OscalExportError::DuplicateKey { kind: "control", key: format!("{first} / {}", n.id) });
        }
    }
    let mut children: HashMap<&str, Vec<&CatalogNodeIn>> = HashMap::new();
    let mut roots = Vec::new();
    for n in &c.nodes {
        match n.parent.as_deref() {
            Some(p) if c.nodes.iter().any(|x| x.id == p) => children.entry(p).or_default().push(n),
            _ => roots.push(n),
        }
    }
    let ids = Ids::new(&c.namespace_id);
    let mut catalog = Map::new();
    catalog.insert("uuid".into(), json!(ids.uuid("catalog", &format!("{}:{}", c.code, c.version))));
    catalog.insert(
        "metadata".into(),
        json!({"title": line(&c.title, &c.code), "last-modified": ts(&c.last_modified), "version": line(&c.version, "1"), "oscal-version": OSCAL_VERSION, "remarks": c.remarks.trim()}),
    );
    let groups: Vec<Value> = roots.iter().filter(|n| n.group).map(|n| node_json(n, &children)).collect();
    let controls: Vec<Value> = roots.iter().filter(|n| !n.group).map(|n| node_json(n, &children)).collect();
    if !groups.is_empty() {
        catalog.insert("groups".into(), Value::Array(groups));
    }
    if !controls.is_empty() {
        catalog.insert("controls".into(), Value::Array(controls));
    }
    serde_json::to_vec_pretty(&json!({ "catalog": catalog })).map_err(|e| OscalExportError::Serialize(e.to_string()))
}
