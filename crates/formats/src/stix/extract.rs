//! Watch-list items from checked STIX objects.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::import::{missing, opt_str, opt_strings, opt_timestamp, wrong_type, Obj};
use super::model::{ImportedBundle, WatchItem};
use super::observable::{normalize, Kind};
use super::pattern::{self, Comparison, Literal, Op};
use super::vocab::{Tlp, TLP2_EXTENSION_ID};
use super::{StixError, StixErrorKind as K};

/// What the bundle says about authors and markings.
struct Context<'a> {
    identities: HashMap<&'a str, &'a str>,
    markings: HashMap<&'a str, Tlp>,
}

/// Item data shared by all values of one object.
struct Meta {
    stix_id: String,
    name: Option<String>,
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
    tlp: Option<String>,
    labels: Vec<String>,
    source: Option<String>,
}

#[derive(Default)]
struct Out {
    items: Vec<WatchItem>,
    skipped: Vec<(String, String)>,
    seen: HashSet<(&'static str, String)>,
}

impl Out {
    /// Adds the value unless `dedupe` and it is already listed.
    fn push(&mut self, meta: &Meta, kind: Kind, raw: &str, dedupe: bool) {
        let Some(value) = normalize(kind, raw) else {
            let shown: String = raw.chars().take(100).collect();
            self.skipped.push((meta.stix_id.clone(), format!("«{shown}» is not a valid {} value", kind.as_str())));
            return;
        };
        let fresh = self.seen.insert((kind.as_str(), value.clone()));
        let same = |w: &WatchItem| w.stix_id == meta.stix_id && w.kind == kind.as_str() && w.value == value;
        if (dedupe && !fresh) || self.items.iter().rev().take(64).any(same) {
            return;
        }
        self.items.push(WatchItem {
            stix_id: meta.stix_id.clone(),
            kind: kind.as_str().to_string(),
            value,
            name: meta.name.clone(),
            valid_from: meta.valid_from,
            valid_until: meta.valid_until,
            tlp: meta.tlp.clone(),
            labels: meta.labels.clone(),
            source: meta.source.clone(),
        });
    }
}

pub(crate) fn watch_items(objects: &[Obj<'_>]) -> Result<ImportedBundle, StixError> {
    let ctx = context(objects);
    let mut out = Out::default();
    for o in objects.iter().filter(|o| o.ty == "indicator") {
        indicator(o, &ctx, &mut out)?;
    }
    for o in objects {
        match o.ty {
            "observed-data" => observed_data(o, &ctx, &mut out)?,
            "indicator" => {}
            ty if SUPPORTED_SCOS.contains(&ty) => {
                let meta = meta(o, &ctx, None)?;
                match sco_values(o.ty, o.map) {
                    Ok(values) => values.into_iter().for_each(|(k, v)| out.push(&meta, k, v, true)),
                    Err(Problem::Missing(p)) => return Err(missing(&o.label, p)),
                    Err(Problem::NotString(p)) => return Err(wrong_type(&o.label, p, "string")),
                    Err(Problem::NotObject(p)) => return Err(wrong_type(&o.label, p, "object")),
                    Err(Problem::NoHash) => out.skipped.push((o.label.clone(), NO_HASH.into())),
                }
            }
            _ => {}
        }
    }
    Ok(ImportedBundle { objects: objects.len(), indicators: out.items, skipped: out.skipped })
}

/// Observable object types read directly.
const SUPPORTED_SCOS: &[&str] = &["ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "file"];

const NO_HASH: &str = "file without an MD5, SHA-1 or SHA-256 hash";

fn context<'a>(objects: &[Obj<'a>]) -> Context<'a> {
    let mut ctx = Context { identities: HashMap::new(), markings: HashMap::new() };
    for o in objects {
        match o.ty {
            "identity" => {
                if let Some(Value::String(name)) = o.map.get("name") {
                    ctx.identities.insert(o.id, name.as_str());
                }
            }
            "marking-definition" => {
                let v1 = o
                    .map
                    .get("definition")
                    .filter(|_| o.map.get("definition_type").and_then(Value::as_str) == Some("tlp"))
                    .and_then(|d| d.get("tlp"))
                    .and_then(Value::as_str);
                let v2 = o
                    .map
                    .get("extensions")
                    .and_then(|e| e.get(TLP2_EXTENSION_ID))
                    .and_then(|e| e.get("tlp_2_0"))
                    .and_then(Value::as_str);
                if let Some(t) = v2.or(v1).and_then(Tlp::parse) {
                    ctx.markings.insert(o.id, t);
                }
            }
            _ => {}
        }
    }
    ctx
}

fn meta(o: &Obj<'_>, ctx: &Context<'_>, valid_from: Option<DateTime<Utc>>) -> Result<Meta, StixError> {
    let mut labels: Vec<String> = Vec::new();
    for l in opt_strings(o.map, &o.label, "labels")?.into_iter().chain(opt_strings(o.map, &o.label, "indicator_types")?)
    {
        if !labels.iter().any(|x| x == l) {
            labels.push(l.to_string());
        }
    }
    let tlp = opt_strings(o.map, &o.label, "object_marking_refs")?
        .into_iter()
        .filter_map(|m| ctx.markings.get(m).copied().or_else(|| Tlp::from_marking_id(m)))
        .max();
    let source = opt_str(o.map, &o.label, "created_by_ref")?.and_then(|r| ctx.identities.get(r)).map(|n| n.to_string());
    Ok(Meta {
        stix_id: o.id.to_string(),
        name: opt_str(o.map, &o.label, "name")?.map(str::to_string),
        valid_from,
        valid_until: None,
        tlp: tlp.map(|t| t.as_str().to_string()),
        labels,
        source,
    })
}

fn indicator(o: &Obj<'_>, ctx: &Context<'_>, out: &mut Out) -> Result<(), StixError> {
    let pattern = opt_str(o.map, &o.label, "pattern")?.ok_or_else(|| missing(&o.label, "pattern"))?;
    let pattern_type = match opt_str(o.map, &o.label, "pattern_type")? {
        Some(t) => t,
        None if o.v20 => "stix",
        None => return Err(missing(&o.label, "pattern_type")),
    };
    let valid_from = opt_timestamp(o.map, &o.label, "valid_from")?.ok_or_else(|| missing(&o.label, "valid_from"))?;
    let valid_until = opt_timestamp(o.map, &o.label, "valid_until")?;
    let mut meta = meta(o, ctx, Some(valid_from))?;
    meta.valid_until = valid_until;
    if pattern_type != "stix" {
        let shown: String = pattern_type.chars().take(40).collect();
        out.skipped.push((o.label.clone(), format!("pattern_type «{shown}» is not read; only STIX patterns are")));
        return Ok(());
    }
    let comparisons = pattern::parse(pattern).map_err(|(position, problem)| {
        StixError::new(Some(&o.label), Some("pattern"), K::BadPattern { position, problem })
    })?;
    if o.map.get("revoked") == Some(&Value::Bool(true)) {
        out.skipped.push((o.label.clone(), "the indicator is revoked".into()));
        return Ok(());
    }
    let before = out.items.len();
    let mut unused = Vec::new();
    for c in &comparisons {
        match usable(c) {
            Some(values) => values.into_iter().for_each(|(k, v)| out.push(&meta, k, v, false)),
            None => unused.push(c.describe()),
        }
    }
    if !unused.is_empty() {
        let mut list: Vec<String> = unused.iter().take(3).cloned().collect();
        if unused.len() > 3 {
            list.push("…".into());
        }
        let what =
            if out.items.len() == before { "no comparison usable for a watch list" } else { "comparisons not used" };
        out.skipped.push((o.label.clone(), format!("{what}: {}", list.join("; "))));
    }
    Ok(())
}

/// The values of a comparison a watch list can use: `=` and `IN` on
/// addresses, domain names, URLs, e-mail addresses and MD5/SHA-1/SHA-256
/// file hashes; `ISSUBSET` on addresses (CIDR ranges).
fn usable(c: &Comparison) -> Option<Vec<(Kind, &str)>> {
    if c.negated || !matches!(c.op, Op::Eq | Op::In | Op::IsSubset) {
        return None;
    }
    let strings: Vec<&str> = c
        .values
        .iter()
        .map(|v| match v {
            Literal::Str(s) => Some(s.as_str()),
            Literal::Other(_) => None,
        })
        .collect::<Option<_>>()?;
    let path: Vec<&str> = c.path.iter().map(String::as_str).collect();
    let kind_of = |s: &str| -> Option<Kind> {
        match (c.object_type.as_str(), path.as_slice()) {
            ("ipv4-addr", ["value"]) if s.contains('/') => Some(Kind::Cidr),
            ("ipv4-addr", ["value"]) => Some(Kind::Ipv4),
            ("ipv6-addr", ["value"]) if s.contains('/') => Some(Kind::Cidr),
            ("ipv6-addr", ["value"]) => Some(Kind::Ipv6),
            _ if c.op == Op::IsSubset => None,
            ("domain-name", ["value"]) => Some(Kind::Domain),
            ("url", ["value"]) => Some(Kind::Url),
            ("email-addr", ["value"]) => Some(Kind::Email),
            ("file", ["hashes", h]) => Kind::from_hash_name(h),
            _ => None,
        }
    };
    strings.into_iter().map(|s| kind_of(s).map(|k| (k, s))).collect()
}

enum Problem {
    Missing(&'static str),
    NotString(&'static str),
    NotObject(&'static str),
    NoHash,
}

/// The values of a supported observable object; other types give none.
fn sco_values<'a>(ty: &str, map: &'a Map<String, Value>) -> Result<Vec<(Kind, &'a str)>, Problem> {
    let value = || match map.get("value") {
        None => Err(Problem::Missing("value")),
        Some(Value::String(s)) => Ok(s.as_str()),
        Some(_) => Err(Problem::NotString("value")),
    };
    let ip = |v: &'a str, plain: Kind| {
        if v.contains('/') {
            (Kind::Cidr, v)
        } else {
            (plain, v)
        }
    };
    Ok(match ty {
        "ipv4-addr" => vec![ip(value()?, Kind::Ipv4)],
        "ipv6-addr" => vec![ip(value()?, Kind::Ipv6)],
        "domain-name" => vec![(Kind::Domain, value()?)],
        "url" => vec![(Kind::Url, value()?)],
        "email-addr" => vec![(Kind::Email, value()?)],
        "file" => {
            let hashes = match map.get("hashes") {
                None => return Err(Problem::NoHash),
                Some(Value::Object(h)) => h,
                Some(_) => return Err(Problem::NotObject("hashes")),
            };
            let found: Vec<(Kind, &str)> =
                hashes.iter().filter_map(|(name, v)| Some((Kind::from_hash_name(name)?, v.as_str()?))).collect();
            if found.is_empty() {
                return Err(Problem::NoHash);
            }
            found
        }
        _ => Vec::new(),
    })
}

/// Observed-data's legacy embedded `objects` (a dictionary of observables).
fn observed_data(o: &Obj<'_>, ctx: &Context<'_>, out: &mut Out) -> Result<(), StixError> {
    let first = opt_timestamp(o.map, &o.label, "first_observed")?;
    let embedded = match o.map.get("objects") {
        None => return Ok(()),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(wrong_type(&o.label, "objects", "object")),
    };
    let meta = meta(o, ctx, first)?;
    for (key, value) in embedded {
        let Some(map) = value.as_object() else {
            out.skipped.push((o.label.clone(), format!("objects.{key} is not an object")));
            continue;
        };
        let ty = map.get("type").and_then(Value::as_str).unwrap_or_default();
        match sco_values(ty, map) {
            Ok(values) => values.into_iter().for_each(|(k, v)| out.push(&meta, k, v, true)),
            Err(Problem::Missing(p) | Problem::NotString(p) | Problem::NotObject(p)) => {
                out.skipped.push((o.label.clone(), format!("objects.{key}: {p} is missing or malformed")))
            }
            Err(Problem::NoHash) => out.skipped.push((o.label.clone(), format!("objects.{key}: {NO_HASH}"))),
        }
    }
    Ok(())
}
