//! Validation shared by every input format: one raw unit (text values with
//! the column/key names the file used) becomes one `UnitRow`, and codes are
//! checked for duplicates across the file.

use std::collections::HashMap;

use super::{types::unit_type_from_label, Field, SourcedUnit, UnitRow, MAX_CODE_CHARS, MAX_NAME_CHARS, MAX_UNITS};
use crate::check;
use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::text::{is_plausible_email, is_plausible_phone};

const MAX_PHONE_CHARS: usize = 40;
const MAX_EMAIL_CHARS: usize = 254;

/// One value as found in the file.
#[derive(Debug, Clone)]
pub(crate) struct RawValue {
    pub field: Field,
    /// Column header or JSON key as written in the file.
    pub label: String,
    pub text: String,
}

/// One unit before validation.
#[derive(Debug, Clone)]
pub(crate) struct RawUnit {
    pub loc: Location,
    pub values: Vec<RawValue>,
}

impl RawUnit {
    pub fn new(loc: Location) -> Self {
        RawUnit { loc, values: Vec::new() }
    }

    pub fn push(&mut self, field: Field, label: &str, text: impl Into<String>) {
        self.values.push(RawValue { field, label: label.to_string(), text: text.into() });
    }
}

/// Accumulates validated rows and remembers where each code was first seen.
pub(crate) struct Collector<'f> {
    file: &'f str,
    rows: Vec<SourcedUnit>,
    /// ASCII-lowercased code → where it first appeared. Codes differing only
    /// in case are treated as duplicates: people cannot tell them apart.
    seen: HashMap<String, Location>,
}

impl<'f> Collector<'f> {
    pub fn new(file: &'f str) -> Self {
        Collector { file, rows: Vec::new(), seen: HashMap::new() }
    }

    pub fn finish(self) -> Vec<SourcedUnit> {
        self.rows
    }

    pub fn push(&mut self, raw: RawUnit) -> Result<(), ImportError> {
        if self.rows.len() >= MAX_UNITS {
            return Err(ImportError::new(self.file, raw.loc, None, K::TooLarge { max_rows: MAX_UNITS }));
        }
        let v = Validator { file: self.file, raw: &raw };
        let (code, code_label) = v.code(Field::Code)?.ok_or_else(|| v.err(Field::Code, K::Required))?;
        let name = v.text(Field::Name, MAX_NAME_CHARS)?.ok_or_else(|| v.err(Field::Name, K::Required))?;
        let unit_type = v.unit_type()?;
        let (parent_code, parent_field) = match v.code(Field::ParentCode)? {
            Some((p, _)) if p.eq_ignore_ascii_case(&code) => {
                return Err(v.err(Field::ParentCode, K::SelfParent { code }));
            }
            Some((p, label)) => (Some(p), Some(label)),
            None => (None, None),
        };
        let head_name = v.text(Field::HeadName, MAX_NAME_CHARS)?;
        let focal_name = v.text(Field::FocalName, MAX_NAME_CHARS)?;
        let focal_phone = v.phone()?;
        let focal_email = v.email()?;

        let key = code.to_ascii_lowercase();
        if let Some(first) = self.seen.get(&key) {
            return Err(ImportError::new(
                self.file,
                raw.loc.clone(),
                Some(&code_label),
                K::DuplicateCode { code, first: first.clone() },
            ));
        }
        self.seen.insert(key, raw.loc.clone());
        let unit = UnitRow { code, name, unit_type, parent_code, head_name, focal_name, focal_phone, focal_email };
        self.rows.push(SourcedUnit { unit, location: raw.loc, parent_field });
        Ok(())
    }
}

struct Validator<'a> {
    file: &'a str,
    raw: &'a RawUnit,
}

impl Validator<'_> {
    fn value(&self, field: Field) -> Option<&RawValue> {
        self.raw.values.iter().find(|v| v.field == field)
    }

    fn label(&self, field: Field) -> String {
        self.value(field).map_or_else(|| field.key().to_string(), |v| v.label.clone())
    }

    fn err(&self, field: Field, kind: K) -> ImportError {
        ImportError::new(self.file, self.raw.loc.clone(), Some(&self.label(field)), kind)
    }

    /// Cleaned text, `None` when empty; checks length, control characters
    /// and formula-like starts (a phone may start with '+').
    fn text(&self, field: Field, max: usize) -> Result<Option<String>, ImportError> {
        let Some(raw) = self.value(field) else {
            return Ok(None);
        };
        check::text(&raw.text, max, field != Field::FocalPhone).map_err(|kind| self.err(field, kind))
    }

    /// A code (own or parent) with the label of its column.
    fn code(&self, field: Field) -> Result<Option<(String, String)>, ImportError> {
        let Some(raw) = self.value(field) else {
            return Ok(None);
        };
        let code = check::code(&raw.text, MAX_CODE_CHARS).map_err(|kind| self.err(field, kind))?;
        Ok(code.map(|c| (c, raw.label.clone())))
    }

    fn unit_type(&self) -> Result<String, ImportError> {
        let raw = self.value(Field::UnitType).map(|v| v.text.trim()).unwrap_or_default();
        if raw.is_empty() {
            return Err(self.err(Field::UnitType, K::Required));
        }
        unit_type_from_label(raw)
            .map(str::to_string)
            .ok_or_else(|| self.err(Field::UnitType, K::InvalidUnitType { value: raw.to_string() }))
    }

    fn phone(&self) -> Result<Option<String>, ImportError> {
        let Some(phone) = self.text(Field::FocalPhone, MAX_PHONE_CHARS)? else {
            return Ok(None);
        };
        if !is_plausible_phone(&phone) {
            return Err(self.err(Field::FocalPhone, K::InvalidPhone { value: phone }));
        }
        Ok(Some(phone))
    }

    fn email(&self) -> Result<Option<String>, ImportError> {
        let Some(email) = self.text(Field::FocalEmail, MAX_EMAIL_CHARS)? else {
            return Ok(None);
        };
        if !is_plausible_email(&email) {
            return Err(self.err(Field::FocalEmail, K::InvalidEmail { value: email }));
        }
        Ok(Some(email))
    }
}
