//! OSCAL (NIST's Open Security Controls Assessment Language) JSON: catalogs and profiles.
//! Shared here: reading the JSON, checking the model, typed access with the item path.

pub(crate) mod catalog;
pub(crate) mod modify;
pub(crate) mod profile;
mod prose;

use khien_domain::catalog::CatalogueProblem;
use serde_json::{Map, Value};

use super::error::{CatalogError, CatalogErrorKind as CK};
use crate::error::{ImportErrorKind as K, Location};

/// Largest OSCAL file accepted (NIST SP 800-53 rev. 5 with assessment objectives is about 10 MiB).
pub const MAX_OSCAL_BYTES: usize = 64 * 1024 * 1024;

/// The OSCAL document models, as their top-level property names.
const MODELS: &[&str] = &[
    "catalog",
    "profile",
    "mapping-collection",
    "component-definition",
    "system-security-plan",
    "assessment-plan",
    "assessment-results",
    "plan-of-action-and-milestones",
];

/// Reads JSON and returns the object of the expected model (`catalog`, `profile`).
pub(crate) fn read_model(file: &str, bytes: &[u8], expected: &'static str) -> Result<Map<String, Value>, CatalogError> {
    let fail = |loc, kind| Err(CatalogError::new(file, loc, None, kind));
    if bytes.len() > MAX_OSCAL_BYTES {
        return fail(Location::File, CK::TooLarge { max_bytes: MAX_OSCAL_BYTES });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(Location::File, CK::Import(K::EmptyFile));
    }
    let root: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            let text = e.to_string();
            let detail = text.split(" at line ").next().unwrap_or(&text).to_string();
            let loc = Location::LineColumn { line: e.line(), column: e.column() };
            return fail(loc, CK::Import(K::MalformedJson(detail)));
        }
    };
    let Value::Object(mut map) = root else {
        return fail(Location::File, CK::NotOscal);
    };
    match map.remove(expected) {
        Some(Value::Object(model)) => Ok(model),
        Some(_) => Err(CatalogError::new(
            file,
            Location::Item("$".into()),
            Some(expected),
            CK::WrongType { expected: "object" },
        )),
        None => match MODELS.iter().find(|m| map.contains_key(**m)) {
            Some(found) => fail(Location::File, CK::WrongModel { expected, found: (*found).to_string() }),
            None => fail(Location::File, CK::NotOscal),
        },
    }
}

/// Objects of an array property, each with its path.
pub(crate) type Objects<'a> = Vec<(String, &'a Map<String, Value>)>;

/// An object with its path, for typed reads that name the path and property on failure.
#[derive(Clone, Copy)]
pub(crate) struct At<'p, 'a> {
    pub file: &'p str,
    pub path: &'p str,
    pub map: &'a Map<String, Value>,
}

impl<'a> At<'_, 'a> {
    pub fn err(&self, field: Option<&str>, kind: CK) -> CatalogError {
        CatalogError::new(self.file, Location::Item(self.path.to_string()), field, kind)
    }

    /// A text property; `None` when absent.
    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, CatalogError> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.err(Some(key), CK::WrongType { expected: "text" })),
        }
    }

    pub fn str(&self, key: &str) -> Result<&'a str, CatalogError> {
        self.opt_str(key)?.ok_or_else(|| self.err(Some(key), CK::MissingProperty))
    }

    /// An array property; empty when absent.
    pub fn array(&self, key: &str) -> Result<&'a [Value], CatalogError> {
        match self.map.get(key) {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.err(Some(key), CK::WrongType { expected: "array" })),
        }
    }

    /// An object property; `None` when absent.
    pub fn opt_object(&self, key: &str) -> Result<Option<&'a Map<String, Value>>, CatalogError> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(_) => Err(self.err(Some(key), CK::WrongType { expected: "object" })),
        }
    }

    /// The objects of an array property with their paths (`base.key[3]`).
    pub fn objects(&self, key: &str) -> Result<Objects<'a>, CatalogError> {
        let mut out = Vec::new();
        for (i, v) in self.array(key)?.iter().enumerate() {
            let path = format!("{}.{key}[{i}]", self.path);
            match v {
                Value::Object(m) => out.push((path, m)),
                _ => {
                    return Err(CatalogError::new(
                        self.file,
                        Location::Item(path),
                        None,
                        CK::WrongType { expected: "object" },
                    ))
                }
            }
        }
        Ok(out)
    }

    /// The texts of an array property.
    pub fn strings(&self, key: &str) -> Result<Vec<&'a str>, CatalogError> {
        let mut out = Vec::new();
        for (i, v) in self.array(key)?.iter().enumerate() {
            match v {
                Value::String(s) => out.push(s.as_str()),
                _ => return Err(self.err(Some(&format!("{key}[{i}]")), CK::WrongType { expected: "text" })),
            }
        }
        Ok(out)
    }

    /// The value of the first `props` entry with this name.
    pub fn prop(&self, name: &str) -> Result<Option<&'a str>, CatalogError> {
        for (path, p) in self.objects("props")? {
            let at = At { file: self.file, path: &path, map: p };
            if at.str("name")? == name {
                return Ok(Some(at.str("value")?));
            }
        }
        Ok(None)
    }
}

/// The metadata every OSCAL model carries: title, version, OSCAL version.
pub(crate) struct Metadata {
    pub title: String,
    pub version: String,
    pub oscal_version: String,
}

pub(crate) fn metadata(file: &str, root: &str, model: &Map<String, Value>) -> Result<Metadata, CatalogError> {
    let at = At { file, path: root, map: model };
    let m = at.opt_object("metadata")?.ok_or_else(|| at.err(Some("metadata"), CK::MissingProperty))?;
    let path = format!("{root}.metadata");
    let at = At { file, path: &path, map: m };
    Ok(Metadata {
        title: prose::plain(at.str("title")?),
        version: at.str("version")?.trim().to_string(),
        oscal_version: at.opt_str("oscal-version")?.unwrap_or_default().trim().to_string(),
    })
}

/// The first catalogue-rule problem as an error at the JSON path of the node at fault.
pub(crate) fn map_problems(file: &str, problems: Vec<CatalogueProblem>, paths: &[String]) -> CatalogError {
    let Some(p) = problems.into_iter().next() else {
        return CatalogError::new(file, Location::File, None, CK::NothingSelected);
    };
    let loc = |i: Option<usize>| i.and_then(|i| paths.get(i)).map_or(Location::File, |p| Location::Item(p.clone()));
    let field = match p.field {
        _ if p.index.is_none() => None,
        "id" => Some("id"),
        "title_vi" | "title_en" => Some("title"),
        _ => None,
    };
    let kind = CK::of_problem(&p, loc);
    CatalogError::new(file, loc(p.index), field, kind)
}
