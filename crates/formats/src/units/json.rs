//! JSON input: an array of template objects (English keys, or any header
//! alias), or the official administrative-unit list (provinces with nested
//! "Wards").

use serde_json::{Map, Value};

use super::types::unit_type_from_label;
use super::validate::{Collector, RawUnit};
use super::{Field, SourcedUnit};
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::text::fold;

/// Keys that only the official list has; the template never uses them.
const OFFICIAL_KEYS: [&str; 4] = ["Wards", "FullName", "AdministrativeUnitShortName", "ProvinceCode"];
/// Where the official list states the level, most precise first. In the
/// real file "Type" is "ward" for communes and special zones too, so the
/// Vietnamese short name ("Phường", "Xã", "Đặc khu") decides.
const LEVEL_KEYS: [&str; 3] = ["AdministrativeUnitShortName", "AdministrativeUnitShortNameEn", "Type"];

pub(crate) fn parse(file: &str, bytes: &[u8]) -> Result<Vec<SourcedUnit>, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes).map_err(|e| syntax_error(file, &e))?;
    let Value::Array(items) = value else {
        return Err(ImportError::new(file, Location::File, None, K::JsonNotArray));
    };
    let official =
        items.iter().find_map(Value::as_object).is_some_and(|o| OFFICIAL_KEYS.iter().any(|k| o.contains_key(*k)));
    let mut collector = Collector::new(file);
    if official {
        official_units(file, &items, &mut collector)?;
    } else {
        template_units(file, &items, &mut collector)?;
    }
    Ok(collector.finish())
}

fn syntax_error(file: &str, e: &serde_json::Error) -> ImportError {
    // serde_json appends " at line L column C"; the location carries that.
    let full = e.to_string();
    let detail = full.rsplit_once(" at line ").map_or(full.as_str(), |(d, _)| d).to_string();
    let loc = if e.line() > 0 { Location::LineColumn { line: e.line(), column: e.column() } } else { Location::File };
    ImportError::new(file, loc, None, K::MalformedJson(detail))
}

/// Scalars as text; `None` for arrays, objects and booleans.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some(String::new()),
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }
}

fn object<'a>(file: &str, v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, ImportError> {
    v.as_object().ok_or_else(|| ImportError::new(file, Location::Item(path.to_string()), None, K::JsonNotObject))
}

fn template_units(file: &str, items: &[Value], out: &mut Collector<'_>) -> Result<(), ImportError> {
    for (i, item) in items.iter().enumerate() {
        let path = format!("[{i}]");
        let loc = Location::Item(path.clone());
        let err = |key: &str, kind| ImportError::new(file, loc.clone(), Some(key), kind);
        let obj = object(file, item, &path)?;
        let mut raw = RawUnit::new(loc.clone());
        for (key, value) in obj {
            let field = Field::from_header(key).ok_or_else(|| err(key, K::UnknownJsonField))?;
            if let Some(first) = raw.values.iter().find(|v| v.field == field) {
                return Err(err(key, K::DuplicateColumn { first: first.label.clone() }));
            }
            let text = scalar_text(value).ok_or_else(|| err(key, K::JsonNotText))?;
            raw.push(field, key, text);
        }
        out.push(raw)?;
    }
    Ok(())
}

/// The reader of one official-list object.
struct Official<'a> {
    file: &'a str,
    obj: &'a Map<String, Value>,
    path: String,
}

impl Official<'_> {
    fn loc(&self) -> Location {
        Location::Item(self.path.clone())
    }

    fn err(&self, key: &str, kind: K) -> ImportError {
        ImportError::new(self.file, self.loc(), Some(key), kind)
    }

    /// Text of a key; "" when absent or null.
    fn text(&self, key: &str) -> Result<String, ImportError> {
        match self.obj.get(key) {
            None => Ok(String::new()),
            Some(v) => scalar_text(v).ok_or_else(|| self.err(key, K::JsonNotText)),
        }
    }

    /// Start of a unit: code, and FullName (or Name when FullName is empty).
    fn raw_unit(&self) -> Result<RawUnit, ImportError> {
        let mut raw = RawUnit::new(self.loc());
        raw.push(Field::Code, "Code", self.text("Code")?);
        let full = self.text("FullName")?;
        if full.trim().is_empty() && self.obj.contains_key("Name") {
            raw.push(Field::Name, "Name", self.text("Name")?);
        } else {
            raw.push(Field::Name, "FullName", full);
        }
        Ok(raw)
    }

    /// The level from the first key that states one, if it is allowed here.
    fn level(&self, allowed: &[&str]) -> Result<Option<(&'static str, &'static str)>, ImportError> {
        for key in LEVEL_KEYS {
            let value = self.text(key)?;
            if value.trim().is_empty() {
                continue;
            }
            // "province" is the official "Type" of cities too.
            return match unit_type_from_label(&value).filter(|t| allowed.contains(t)) {
                Some(t) => Ok(Some((t, key))),
                None => Err(self.err(key, K::InvalidUnitType { value })),
            };
        }
        Ok(None)
    }
}

fn official_units(file: &str, items: &[Value], out: &mut Collector<'_>) -> Result<(), ImportError> {
    for (i, item) in items.iter().enumerate() {
        let p = Official { file, obj: object(file, item, &format!("[{i}]"))?, path: format!("[{i}]") };
        let mut raw = p.raw_unit()?;
        let province_code = p.text("Code")?.trim().to_string();
        let name = p.text("FullName")?;
        let by_name = if fold(&name).starts_with("thanh pho ") { "city" } else { "province" };
        let (unit_type, label) = match p.level(&["city", "province"])? {
            // The official "Type" says "province" for cities as well.
            Some(("province", "Type")) | None => (by_name, "FullName"),
            Some(found) => found,
        };
        raw.push(Field::UnitType, label, unit_type);
        out.push(raw)?;

        let wards = match p.obj.get("Wards") {
            None | Some(Value::Null) => continue,
            Some(Value::Array(w)) => w,
            Some(_) => return Err(p.err("Wards", K::JsonExpectedArray)),
        };
        for (j, ward) in wards.iter().enumerate() {
            let path = format!("[{i}].Wards[{j}]");
            let w = Official { file, obj: object(file, ward, &path)?, path };
            let mut raw = w.raw_unit()?;
            let (unit_type, label) =
                w.level(&["ward", "commune", "special_zone"])?.ok_or_else(|| w.err(LEVEL_KEYS[0], K::Required))?;
            raw.push(Field::UnitType, label, unit_type);
            let stated = w.text("ProvinceCode")?.trim().to_string();
            if !stated.is_empty() && stated != province_code {
                return Err(w.err("ProvinceCode", K::ParentMismatch { expected: province_code.clone(), found: stated }));
            }
            raw.push(Field::ParentCode, "ProvinceCode", province_code.as_str());
            out.push(raw)?;
        }
    }
    Ok(())
}
