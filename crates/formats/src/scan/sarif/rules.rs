//! The rules of a SARIF run (`tool.driver.rules` and the extensions' rules): their texts, default
//! level, `security-severity`, CWE tags and relationships and the CVE ids in their properties,
//! kept for the results that refer to them.

use super::super::error::ScanErrorKind;
use super::super::json::{Capped, Scalar};
use super::super::model::ScanLocation;
use super::super::refs::add_reference;
use super::super::text::{add_cves, block, cwe, line, score, tidy};
use super::super::MAX_IDS;
use super::super::{ScanError, MAX_DESCRIPTION_BYTES, MAX_TITLE_BYTES};
use super::{text, Text, Tool};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;

/// A rule as kept for the results that refer to it.
pub(super) struct RuleInfo {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) help: String,
    pub(super) level: Option<String>,
    pub(super) score: Option<f32>,
    pub(super) cwes: Vec<u32>,
    /// `helpUri`, when it is an http(s) URL within the limits.
    pub(super) references: Vec<String>,
    /// CVE ids found in the rule's `properties`.
    pub(super) cves: Vec<String>,
}

#[derive(Default)]
pub(super) struct Rules {
    pub(super) list: Vec<RuleInfo>,
    pub(super) by_id: HashMap<String, usize>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Rule {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    pub(super) short_description: Option<Text>,
    pub(super) full_description: Option<Text>,
    pub(super) help: Option<Text>,
    pub(super) help_uri: Option<String>,
    pub(super) default_configuration: Option<Config>,
    pub(super) properties: Option<Props>,
    pub(super) relationships: Capped<Relationship>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Config {
    pub(super) level: Option<String>,
}

#[derive(Default)]
pub(super) struct Props {
    pub(super) tags: Capped<String>,
    /// `security-severity`.
    pub(super) security_severity: Option<Scalar>,
    pub(super) severity: Option<Scalar>,
    /// `cvssv3_baseScore`.
    cvss3: Option<Scalar>,
    /// The secret a secret scanner found (gitleaks 7): masked everywhere, never kept.
    pub(super) offender: Option<serde_json::Value>,
    /// CVE ids in any other property (and in the tags), at most [`MAX_IDS`].
    pub(super) cves: Vec<String>,
}

impl<'de> Deserialize<'de> for Props {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Props;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a properties object")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Props, E> {
                Ok(Props::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Props, A::Error> {
                let mut p = Props::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "tags" => {
                            p.tags = map.next_value()?;
                            for t in &p.tags.0 {
                                add_cves(&mut p.cves, t);
                            }
                        }
                        "security-severity" => p.security_severity = map.next_value()?,
                        "severity" => p.severity = map.next_value()?,
                        "cvssv3_baseScore" => p.cvss3 = map.next_value()?,
                        "offender" => p.offender = map.next_value()?,
                        _ => {
                            let found: CveScan = map.next_value()?;
                            add_found(&mut p.cves, found.0);
                        }
                    }
                }
                Ok(p)
            }
        }
        d.deserialize_any(V)
    }
}

pub(super) fn add_found(list: &mut Vec<String>, found: Vec<String>) {
    let room = MAX_IDS.saturating_sub(list.len());
    list.extend(found.into_iter().take(room));
}

/// Any JSON value, read only for the CVE ids in its texts (keys included); nothing else kept.
pub(super) struct CveScan(Vec<String>);

impl<'de> Deserialize<'de> for CveScan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CveScan;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CveScan, E> {
                let mut l = Vec::new();
                add_cves(&mut l, v);
                Ok(CveScan(l))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<CveScan, E> {
                Ok(CveScan(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<CveScan, E> {
                Ok(CveScan(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<CveScan, E> {
                Ok(CveScan(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<CveScan, E> {
                Ok(CveScan(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<CveScan, E> {
                Ok(CveScan(Vec::new()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<CveScan, A::Error> {
                let mut l = Vec::new();
                while let Some(x) = seq.next_element::<CveScan>()? {
                    add_found(&mut l, x.0);
                }
                Ok(CveScan(l))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CveScan, A::Error> {
                let mut l = Vec::new();
                while let Some((k, v)) = map.next_entry::<CveScan, CveScan>()? {
                    add_found(&mut l, k.0);
                    add_found(&mut l, v.0);
                }
                Ok(CveScan(l))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Relationship {
    pub(super) target: Option<Descriptor>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
pub(super) struct Descriptor {
    pub(super) id: Option<String>,
    pub(super) tool_component: Option<Named>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct Named {
    pub(super) name: Option<String>,
}

pub(super) fn prop_score(p: Option<&Props>, at: &ScanLocation) -> Result<Option<f32>, ScanError> {
    let Some(p) = p else { return Ok(None) };
    for (field, v) in [("security-severity", &p.security_severity), ("cvssv3_baseScore", &p.cvss3)] {
        if let Some(v) = v.as_ref().map(|x| x.0.trim()).filter(|v| !v.is_empty()) {
            let s = score(v).map_err(|_| {
                ScanError::new(at.clone(), Some(field), ScanErrorKind::BadNumber { value: v.to_string() })
            })?;
            return Ok(Some(s));
        }
    }
    Ok(None)
}

pub(super) fn read_rules(tool: Tool, at: &ScanLocation) -> Result<Rules, ScanError> {
    let mut rules = Rules::default();
    for r in tool.driver.map(|d| d.rules.0).unwrap_or_default() {
        let id = r.id.as_deref().map(|i| line(i, MAX_TITLE_BYTES)).unwrap_or_default();
        let mut cwes: Vec<u32> = r
            .properties
            .iter()
            .flat_map(|p| p.tags.0.iter())
            .filter(|t| t.to_ascii_lowercase().contains("cwe"))
            .filter_map(|t| cwe(t))
            .collect();
        for rel in &r.relationships.0 {
            let Some(t) = &rel.target else { continue };
            let is_cwe = t
                .tool_component
                .as_ref()
                .and_then(|c| c.name.as_deref())
                .is_some_and(|n| n.eq_ignore_ascii_case("cwe"));
            if is_cwe {
                cwes.extend(t.id.as_deref().and_then(cwe));
            }
        }
        tidy(&mut cwes);
        let mut references = Vec::new();
        add_reference(&mut references, r.help_uri.as_deref().unwrap_or(""));
        let title = [text(&r.short_description), r.name.as_deref().unwrap_or("")]
            .into_iter()
            .find(|t| !t.trim().is_empty() && t.trim() != id)
            .unwrap_or("");
        let info = RuleInfo {
            title: line(title, MAX_TITLE_BYTES),
            description: block(text(&r.full_description), MAX_DESCRIPTION_BYTES),
            help: block(text(&r.help), MAX_DESCRIPTION_BYTES),
            level: r.default_configuration.and_then(|c| c.level),
            score: prop_score(r.properties.as_ref(), at)?,
            cves: r.properties.map(|p| p.cves).unwrap_or_default(),
            cwes,
            references,
            id: id.clone(),
        };
        if !id.is_empty() {
            rules.by_id.entry(id).or_insert(rules.list.len());
        }
        rules.list.push(info);
    }
    Ok(rules)
}
