//! Reading a STIX bundle: the envelope and the checks every object passes.
//! What becomes a watch-list item is in `extract`.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::extract;
use super::ids::{valid_id, valid_type};
use super::model::ImportedBundle;
use super::vocab::{SCO_TYPES, SDO_TYPES};
use super::{StixError, StixErrorKind as K};

/// Most objects one bundle may hold.
pub const MAX_OBJECTS: usize = 100_000;
/// Longest string (value or property name) accepted, in bytes: 1 MiB.
pub const MAX_STRING_BYTES: usize = 1 << 20;

/// One object that passed the common checks.
pub(crate) struct Obj<'a> {
    /// The id, or `objects[12]` / `[12]` / `object` before the id is known.
    pub label: String,
    pub id: &'a str,
    pub ty: &'a str,
    pub map: &'a Map<String, Value>,
    /// Read as STIX 2.0 (bundle or object says so).
    pub v20: bool,
}

/// Reads a STIX 2.1 (or 2.0) bundle, a bare JSON array of STIX objects or a
/// single STIX object, and returns the observables usable for a watch list:
/// the simple comparisons of `indicator` patterns (`[ipv4-addr:value =
/// '…']`, `IN (…)`, `ISSUBSET` for CIDR ranges, file hashes…), observable
/// objects (ipv4-addr, ipv6-addr, domain-name, url, email-addr, file
/// hashes) and the legacy embedded `objects` of observed-data. Whatever
/// cannot be used is listed in `skipped` with the reason.
///
/// Strict on objects: malformed JSON, an object without a valid `type` or
/// `id`, a domain or relationship object without `spec_version` (unless the
/// bundle says `"spec_version": "2.0"`: STIX 2.0 is read too), an
/// indicator without `pattern`, `pattern_type` (2.1) or `valid_from`, a bad
/// timestamp, or a pattern outside the STIX grammar is an error naming the
/// object and the property. More than [`MAX_OBJECTS`] objects or a string
/// longer than [`MAX_STRING_BYTES`] is refused.
pub fn parse_bundle(bytes: &[u8]) -> Result<ImportedBundle, StixError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(StixError::new(None, None, K::EmptyInput));
    }
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        let text = e.to_string();
        let detail = text.split(" at line ").next().unwrap_or(&text).to_string();
        StixError::new(None, None, K::NotJson { line: e.line(), column: e.column(), detail })
    })?;
    let (shape, items, legacy) = envelope(&root)?;
    if items.len() > MAX_OBJECTS {
        return Err(StixError::new(
            Some("bundle"),
            Some("objects"),
            K::TooManyObjects { max: MAX_OBJECTS, actual: items.len() },
        ));
    }
    let mut objects = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let pos = match shape {
            Shape::Bundle => format!("objects[{n}]"),
            Shape::Array => format!("[{n}]"),
            Shape::Single => "object".to_string(),
        };
        objects.push(check_object(item, pos, legacy)?);
    }
    extract::watch_items(&objects)
}

#[derive(Clone, Copy)]
enum Shape {
    Bundle,
    Array,
    Single,
}

/// The objects of the input, and whether the bundle is STIX 2.0.
fn envelope(root: &Value) -> Result<(Shape, &[Value], bool), StixError> {
    let map = match root {
        Value::Array(items) => return Ok((Shape::Array, items.as_slice(), false)),
        Value::Object(map) => map,
        _ => return Err(StixError::new(None, None, K::NotStix)),
    };
    let is_bundle = match map.get("type") {
        Some(Value::String(t)) => t == "bundle",
        Some(_) => false,
        None if map.contains_key("objects") => true,
        None => return Err(StixError::new(None, None, K::NotStix)),
    };
    if !is_bundle {
        return Ok((Shape::Single, std::slice::from_ref(root), false));
    }
    let label = match map.get("id") {
        Some(Value::String(id)) if valid_id(id, "bundle") => id.as_str(),
        _ => "bundle",
    };
    let legacy = match map.get("spec_version") {
        None => false,
        Some(Value::String(v)) if v == "2.0" => true,
        Some(Value::String(v)) if v == "2.1" => false,
        Some(Value::String(v)) => {
            return Err(StixError::new(
                Some(label),
                Some("spec_version"),
                K::UnsupportedSpecVersion { value: short(v) },
            ))
        }
        Some(_) => return Err(wrong_type(label, "spec_version", "string")),
    };
    match map.get("objects") {
        None => Ok((Shape::Bundle, &[], legacy)),
        Some(Value::Array(items)) => Ok((Shape::Bundle, items.as_slice(), legacy)),
        Some(_) => Err(wrong_type(label, "objects", "array")),
    }
}

/// At most 200 characters of a value quoted in an error.
fn short(v: &str) -> String {
    v.chars().take(200).collect()
}

pub(crate) fn wrong_type(object: &str, property: &str, expected: &'static str) -> StixError {
    StixError::new(Some(object), Some(property), K::WrongType { expected })
}

pub(crate) fn missing(object: &str, property: &str) -> StixError {
    StixError::new(Some(object), Some(property), K::MissingProperty)
}

/// The common checks: object, sizes, `type`, `id`, `spec_version`,
/// `created`/`modified`.
fn check_object(item: &Value, pos: String, legacy: bool) -> Result<Obj<'_>, StixError> {
    let Some(map) = item.as_object() else {
        return Err(StixError::new(Some(&pos), None, K::NotAnObject));
    };
    let ty = match map.get("type") {
        None => return Err(missing(&pos, "type")),
        Some(Value::String(t)) => t.as_str(),
        Some(_) => return Err(wrong_type(&pos, "type", "string")),
    };
    if !valid_type(ty) {
        return Err(StixError::new(Some(&pos), Some("type"), K::BadType { value: short(ty) }));
    }
    let id = match map.get("id") {
        None => return Err(missing(&pos, "id")),
        Some(Value::String(id)) => id.as_str(),
        Some(_) => return Err(wrong_type(&pos, "id", "string")),
    };
    if !valid_id(id, ty) {
        return Err(StixError::new(Some(&pos), Some("id"), K::BadId { value: short(id) }));
    }
    let label = id.to_string();
    long_strings(map, &label)?;
    let v20 = match map.get("spec_version") {
        Some(Value::String(v)) if v == "2.1" => false,
        Some(Value::String(v)) if v == "2.0" => true,
        Some(Value::String(v)) => {
            return Err(StixError::new(
                Some(&label),
                Some("spec_version"),
                K::UnsupportedSpecVersion { value: short(v) },
            ))
        }
        Some(_) => return Err(wrong_type(&label, "spec_version", "string")),
        None if legacy => true,
        None => {
            let sdo = SDO_TYPES.contains(&ty) || (!SCO_TYPES.contains(&ty) && map.contains_key("created"));
            if sdo {
                return Err(StixError::new(Some(&label), Some("spec_version"), K::MissingSpecVersion));
            }
            false
        }
    };
    for prop in ["created", "modified"] {
        opt_timestamp(map, &label, prop)?;
    }
    Ok(Obj { label, id, ty, map, v20 })
}

/// Refuses any string or property name longer than [`MAX_STRING_BYTES`];
/// the error names the top-level property holding it.
fn long_strings(map: &Map<String, Value>, label: &str) -> Result<(), StixError> {
    fn longest(v: &Value) -> usize {
        match v {
            Value::String(s) => s.len(),
            Value::Array(a) => a.iter().map(longest).max().unwrap_or(0),
            Value::Object(m) => m.iter().map(|(k, v)| k.len().max(longest(v))).max().unwrap_or(0),
            _ => 0,
        }
    }
    for (key, value) in map {
        let actual = key.len().max(longest(value));
        if actual > MAX_STRING_BYTES {
            let property: String = key.chars().take(100).collect();
            return Err(StixError::new(
                Some(label),
                Some(&property),
                K::StringTooLong { max_bytes: MAX_STRING_BYTES, actual },
            ));
        }
    }
    Ok(())
}

/// Parses an RFC 3339 timestamp (STIX writes `…Z`; other offsets are
/// converted to UTC).
pub(crate) fn timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim()).ok().map(|t| t.with_timezone(&Utc))
}

/// An optional timestamp property: absent → `None`, present and bad → error.
pub(crate) fn opt_timestamp(
    map: &Map<String, Value>,
    label: &str,
    prop: &str,
) -> Result<Option<DateTime<Utc>>, StixError> {
    match map.get(prop) {
        None => Ok(None),
        Some(Value::String(s)) => timestamp(s)
            .map(Some)
            .ok_or_else(|| StixError::new(Some(label), Some(prop), K::BadTimestamp { value: short(s) })),
        Some(_) => Err(wrong_type(label, prop, "string")),
    }
}

/// An optional string property: absent → `None`, not a string → error.
pub(crate) fn opt_str<'a>(map: &'a Map<String, Value>, label: &str, prop: &str) -> Result<Option<&'a str>, StixError> {
    match map.get(prop) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(wrong_type(label, prop, "string")),
    }
}

/// An optional list of strings: absent → empty, anything else → error.
pub(crate) fn opt_strings<'a>(map: &'a Map<String, Value>, label: &str, prop: &str) -> Result<Vec<&'a str>, StixError> {
    match map.get(prop) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => {
            items.iter().map(|v| v.as_str().ok_or_else(|| wrong_type(label, prop, "strings"))).collect()
        }
        Some(_) => Err(wrong_type(label, prop, "strings")),
    }
}
