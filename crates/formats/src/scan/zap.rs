//! OWASP ZAP reports, XML (`OWASPZAPReport/site/alerts/alertitem`) and JSON
//! (`{"site":[{"@host","@port","alerts":[…]}]}`): one finding per alert, its instances
//! (method, URI, parameter, evidence) as evidence, its `reference` URLs as references.
//! The reader is chosen by the first byte. Each site is a scope (see
//! [`ScanFinding::scope`]): `zap|<@name, else @host>`, as the site gives them before its
//! alerts; a site without alerts still covers its scope.

use std::cell::RefCell;
use std::fmt;
use std::io::BufRead;
use std::marker::PhantomData;

use khien_domain::finding::Severity;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::error::ScanErrorKind;
use super::json::{s, Array, Capped, Conv, Ctx, Item, Scalar, TopSeed};
use super::model::{scope_of, Out, ScanLocation};
use super::refs::add_references;
use super::text::{append_limited, block, cwe, line, opt_line, strip_html};
use super::xml::{attr, Ev, Xml};
use super::{ScanError, ScanFinding, ScanTool, MAX_DESCRIPTION_BYTES, MAX_EVIDENCE_BYTES, MAX_TITLE_BYTES};

const ROOT: &str = "OWASPZAPReport";
const MAX_INSTANCES: usize = 50;

#[derive(Default, Clone)]
struct Site {
    name: String,
    host: String,
    port: String,
    ssl: String,
}

impl Site {
    fn scope(&self) -> String {
        let n = if self.name.trim().is_empty() { &self.host } else { &self.name };
        scope_of(ScanTool::Zap, &[n])
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Instance {
    uri: Option<String>,
    method: Option<String>,
    param: Option<String>,
    attack: Option<String>,
    evidence: Option<String>,
}

/// An alert as both formats give it.
#[derive(Default, Deserialize)]
#[serde(default)]
struct Alert {
    pluginid: Option<Scalar>,
    #[serde(rename = "alertRef")]
    alert_ref: Option<Scalar>,
    alert: Option<String>,
    name: Option<String>,
    riskcode: Option<Scalar>,
    desc: Option<String>,
    solution: Option<String>,
    otherinfo: Option<String>,
    /// Reference URLs as HTML paragraphs ("<p>http://…</p><p>http://…</p>") or one a line.
    reference: Option<String>,
    cweid: Option<Scalar>,
    instances: Capped<Instance, MAX_INSTANCES>,
    /// Old reports put one instance's fields on the alert itself.
    uri: Option<String>,
    param: Option<String>,
}

/// Whether the report is JSON (its first character, after white space and a byte-order
/// mark, is `{` or `[`) rather than XML.
pub(super) fn is_json<R: BufRead>(reader: &mut R) -> Result<bool, ScanError> {
    let head = reader
        .fill_buf()
        .map_err(|e| ScanError::new(ScanLocation::default(), None, ScanErrorKind::Io { detail: e.to_string() }))?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(head);
    let first = head.iter().find(|b| !b.is_ascii_whitespace());
    Ok(matches!(first, Some(b'{') | Some(b'[')))
}

fn to_finding(site: &Site, scope: &str, a: Alert, at: ScanLocation) -> Result<ScanFinding, ScanError> {
    let err = |field: &str, kind| ScanError::new(at.clone(), Some(field), kind);
    let host =
        opt_line(&site.host).ok_or_else(|| err("host", ScanErrorKind::MissingHost { hint: "site host / @host" }))?;
    let port = match site.port.trim() {
        "" => None,
        p => Some(p.parse::<u16>().map_err(|_| err("port", ScanErrorKind::BadNumber { value: p.to_string() }))?),
    };
    let risk = s(&a.riskcode).trim();
    let severity = match risk {
        "0" => Severity::Info,
        "1" => Severity::Low,
        "2" => Severity::Medium,
        "3" => Severity::High,
        "" => return Err(err("riskcode", ScanErrorKind::Missing)),
        v => {
            return Err(err("riskcode", ScanErrorKind::UnknownSeverity { value: v.to_string(), allowed: "0, 1, 2, 3" }))
        }
    };
    let plugin = s(&a.pluginid).trim();
    let alert_ref = s(&a.alert_ref).trim();
    let rule_id = if alert_ref.is_empty() { plugin } else { alert_ref };
    let rule_id = opt_line(rule_id).ok_or_else(|| err("pluginid", ScanErrorKind::Missing))?;
    let title = a.name.as_deref().filter(|n| !n.trim().is_empty()).or(a.alert.as_deref()).unwrap_or("");
    let mut evidence = String::new();
    let mut instances = a.instances.0;
    if a.uri.as_deref().is_some_and(|u| !u.trim().is_empty()) {
        instances.push(Instance { uri: a.uri, param: a.param, ..Instance::default() });
    }
    for i in &instances {
        let mut l = format!("{} {}", i.method.as_deref().unwrap_or("").trim(), i.uri.as_deref().unwrap_or("").trim());
        for (k, v) in [("param", &i.param), ("attack", &i.attack), ("evidence", &i.evidence)] {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                l.push_str(&format!(" {k}={v}"));
            }
        }
        append_limited(&mut evidence, &line(&l, MAX_TITLE_BYTES), MAX_EVIDENCE_BYTES);
        append_limited(&mut evidence, "\n", MAX_EVIDENCE_BYTES);
    }
    if let Some(o) = a.otherinfo.as_deref().filter(|o| !o.trim().is_empty()) {
        append_limited(&mut evidence, &strip_html(o), MAX_EVIDENCE_BYTES);
    }
    let mut references = Vec::new();
    add_references(&mut references, &strip_html(a.reference.as_deref().unwrap_or("")));
    let ssl = site.ssl.trim().eq_ignore_ascii_case("true");
    Ok(ScanFinding {
        tool: ScanTool::Zap,
        title: line(if title.trim().is_empty() { &rule_id } else { title }, MAX_TITLE_BYTES),
        rule_id,
        severity,
        cvss_score: None,
        cvss_vector: None,
        host: Some(host),
        ip: None,
        port,
        protocol: Some(if ssl { "https" } else { "http" }.to_string()),
        target: None,
        component: opt_line(&site.name),
        fixed_version: None,
        cves: Vec::new(),
        cwes: cwe(s(&a.cweid)).into_iter().collect(),
        description: block(&strip_html(a.desc.as_deref().unwrap_or("")), MAX_DESCRIPTION_BYTES),
        solution: block(&strip_html(a.solution.as_deref().unwrap_or("")), MAX_DESCRIPTION_BYTES),
        evidence: block(&evidence, MAX_EVIDENCE_BYTES),
        references,
        fingerprint: None,
        fingerprint_file: None,
        scope: scope.to_string(),
        location: at,
    })
}

pub(super) fn parse_xml<R: BufRead>(reader: R, out: &mut Out<'_>) -> Result<(), ScanError> {
    let mut x = Xml::new(reader)?;
    let mut site = Site::default();
    let mut scope = String::new();
    let (mut sites, mut alerts) = (0usize, 0usize);
    let mut item: Option<(usize, ScanLocation, Alert, Instance)> = None;
    loop {
        match x.next()? {
            Ev::Eof => return Ok(()),
            Ev::Start { name, attrs, line } => {
                let depth = x.depth();
                if depth == 1 && name != ROOT {
                    let at = ScanLocation::at(line, "");
                    return Err(ScanError::new(at, None, ScanErrorKind::WrongRoot { expected: ROOT, found: name }));
                }
                if item.is_some() {
                    continue;
                }
                if name == "site" {
                    sites += 1;
                    alerts = 0;
                    let a = |k| attr(&attrs, k).unwrap_or("").to_string();
                    site = Site { name: a("name"), host: a("host"), port: a("port"), ssl: a("ssl") };
                    scope = site.scope();
                    out.cover(&scope);
                } else if name == "alertitem" {
                    alerts += 1;
                    let at = ScanLocation::at(line, format!("site[{sites}]/alerts/alertitem[{alerts}]"));
                    item = Some((depth, at, Alert::default(), Instance::default()));
                }
            }
            Ev::Text(t) => {
                let Some((depth, _, alert, inst)) = item.as_mut() else { continue };
                let path = x.path_below(*depth);
                xml_text(alert, inst, &path, &t);
            }
            Ev::End(name) => {
                let Some((depth, _, alert, inst)) = item.as_mut() else { continue };
                if x.depth() < *depth {
                    if let Some((_, at, alert, _)) = item.take() {
                        out.emit(to_finding(&site, &scope, alert, at)?)?;
                    }
                } else if name == "instance" && x.path_below(*depth) == "instances" {
                    let done = std::mem::take(inst);
                    if alert.instances.0.len() < MAX_INSTANCES {
                        alert.instances.0.push(done);
                    }
                }
            }
        }
    }
}

fn xml_text(a: &mut Alert, i: &mut Instance, path: &str, t: &str) {
    fn put(slot: &mut Option<String>, t: &str, max: usize) {
        append_limited(slot.get_or_insert_with(String::new), t, max);
    }
    fn put_scalar(slot: &mut Option<Scalar>, t: &str) {
        append_limited(&mut slot.get_or_insert_with(Scalar::default).0, t, 64);
    }
    let long = MAX_DESCRIPTION_BYTES;
    match path {
        "pluginid" => put_scalar(&mut a.pluginid, t),
        "alertRef" => put_scalar(&mut a.alert_ref, t),
        "riskcode" => put_scalar(&mut a.riskcode, t),
        "cweid" => put_scalar(&mut a.cweid, t),
        "alert" => put(&mut a.alert, t, MAX_TITLE_BYTES),
        "name" => put(&mut a.name, t, MAX_TITLE_BYTES),
        "desc" => put(&mut a.desc, t, long),
        "solution" => put(&mut a.solution, t, long),
        "otherinfo" => put(&mut a.otherinfo, t, MAX_EVIDENCE_BYTES),
        "reference" => put(&mut a.reference, t, long),
        "uri" => put(&mut a.uri, t, MAX_TITLE_BYTES),
        "param" => put(&mut a.param, t, MAX_TITLE_BYTES),
        "instances/instance/uri" => put(&mut i.uri, t, MAX_TITLE_BYTES),
        "instances/instance/method" => put(&mut i.method, t, 64),
        "instances/instance/param" => put(&mut i.param, t, MAX_TITLE_BYTES),
        "instances/instance/attack" => put(&mut i.attack, t, MAX_TITLE_BYTES),
        "instances/instance/evidence" => put(&mut i.evidence, t, MAX_TITLE_BYTES),
        _ => {}
    }
}

#[derive(Clone, Copy)]
pub(super) struct JsonTop;

impl TopSeed for JsonTop {
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx<'_>, d: D) -> Result<(), D::Error> {
        d.deserialize_map(TopVisitor { ctx })
    }
}

struct TopVisitor<'c, 's> {
    ctx: &'c Ctx<'s>,
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a ZAP JSON report object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        while let Some(key) = map.next_key::<String>()? {
            ctx.push_key(&key);
            if key == "site" {
                map.next_value_seed(SitesSeed { ctx })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            ctx.pop();
        }
        Ok(())
    }
}

/// `site`: an array of sites, or one site object.
struct SitesSeed<'c, 's> {
    ctx: &'c Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for SitesSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SitesSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of sites")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        Visitor::visit_seq(Array { ctx, each: || SiteSeed { ctx } }, seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        SiteSeed { ctx: self.ctx }.visit_map(map)
    }
}

struct SiteSeed<'c, 's> {
    ctx: &'c Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for SiteSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for SiteSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a site object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let site = RefCell::new(Site::default());
        // Fixed when the alerts begin (or at the site's end when it has none).
        let scope: RefCell<Option<String>> = RefCell::new(None);
        let fix_scope = || {
            if scope.borrow().is_none() {
                let s = site.borrow().scope();
                ctx.out().cover(&s);
                *scope.borrow_mut() = Some(s);
            }
        };
        let convert = |a: Alert, at: ScanLocation| {
            let scope = scope.borrow();
            to_finding(&site.borrow(), scope.as_deref().unwrap_or(""), a, at).map(|f| Conv::Finding(Box::new(f)))
        };
        while let Some(key) = map.next_key::<String>()? {
            ctx.push_key(&key);
            let text = |m: &mut A| -> Result<String, A::Error> {
                Ok(m.next_value::<Option<Scalar>>()?.map(|x| x.0).unwrap_or_default())
            };
            match key.as_str() {
                "@name" => site.borrow_mut().name = text(&mut map)?,
                "@host" => site.borrow_mut().host = text(&mut map)?,
                "@port" => site.borrow_mut().port = text(&mut map)?,
                "@ssl" => site.borrow_mut().ssl = text(&mut map)?,
                "alerts" => {
                    fix_scope();
                    map.next_value_seed(Array { ctx, each: || Item { ctx, convert: &convert, _t: PhantomData } })?
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            ctx.pop();
        }
        fix_scope();
        Ok(())
    }
}
