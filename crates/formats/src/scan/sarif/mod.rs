//! SARIF 2.1.0: `runs[].tool.driver` (name, rules with texts, default level,
//! `security-severity`, CWE tags and relationships), `runs[].artifacts` (to resolve
//! `artifactLocation.index`) and `runs[].results`, streamed one by one. A rule's `helpUri` is
//! the reference of its results. Secrets are masked (`secret` module): a result's
//! `properties.offender` everywhere, and the snippets of a known secret scanner's run.
//! CVE ids are gathered from the rule id, the message and the rule's and result's
//! `properties` (any text in them, Grype's `CVE-2008-0732-geronimo-jetty` rule ids too).
//! Each run has its scope (see [`ScanFinding::scope`]), fixed when its `results` begin.

mod rules;

use rules::{add_found, prop_score, read_rules, Props, Rule, Rules};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use khien_domain::finding::Severity;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::error::ScanErrorKind;
use super::json::{shape, Array, Capped, Conv, Ctx, Item, Pairs, Scalar, TopSeed};
use super::model::{scope_of, ScanLocation};
use super::secret::{is_secret_scanner, SecretMask};
use super::text::{add_cves, block, line, opt_line, tidy};
use super::{
    severity_word, ScanError, ScanFinding, ScanTool, MAX_DESCRIPTION_BYTES, MAX_EVIDENCE_BYTES, MAX_TITLE_BYTES,
};

const VERSION: &str = "2.1.0";
const MAX_RULES: usize = 100_000;
const MAX_ARTIFACTS: usize = 1_000_000;

#[derive(Clone, Copy)]
pub(super) struct Top;

impl TopSeed for Top {
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx<'_>, d: D) -> Result<(), D::Error> {
        d.deserialize_any(LogVisitor { ctx })
    }
}

struct LogVisitor<'c, 's> {
    ctx: &'c Ctx<'s>,
}

impl<'de> Visitor<'de> for LogVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SARIF log object")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.ctx.fail(shape(
            self.ctx,
            "một tệp SARIF: đối tượng có version và runs",
            "a SARIF log: an object with version and runs",
        )))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut version_seen = false;
        while let Some(key) = map.next_key::<String>()? {
            ctx.push_key(&key);
            match key.as_str() {
                "version" => {
                    let line = ctx.here().line;
                    let v: Option<Scalar> = map.next_value()?;
                    let v = v.map(|x| x.0).unwrap_or_default();
                    if v != VERSION {
                        let kind = ScanErrorKind::UnsupportedVersion { value: v, supported: VERSION };
                        let mut e = ctx.error(Some("version"), kind);
                        e.set_line(line.unwrap_or(1));
                        return Err(ctx.fail(e));
                    }
                    version_seen = true;
                }
                "runs" => map.next_value_seed(Array { ctx, each: || RunSeed { ctx } })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            ctx.pop();
        }
        if !version_seen {
            return Err(ctx.fail(ctx.error(Some("version"), ScanErrorKind::Missing)));
        }
        Ok(())
    }
}

struct RunSeed<'c, 's> {
    ctx: &'c Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for RunSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RunSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a SARIF run object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let rules = RefCell::new(Rules::default());
        let artifacts: RefCell<Vec<String>> = RefCell::new(Vec::new());
        let secret_tool = Cell::new(false);
        // The scope's parts as read so far, and the scope once fixed (at `results`).
        let (mut driver, mut repository, mut automation) = (String::new(), None::<String>, None::<String>);
        let scope: RefCell<Option<String>> = RefCell::new(None);
        let fix_scope = |driver: &str, repository: &Option<String>, automation: &Option<String>| {
            if scope.borrow().is_none() {
                let place = repository.as_deref().or(automation.as_deref()).unwrap_or("");
                let s = scope_of(ScanTool::Sarif, &[&driver.trim().to_lowercase(), place]);
                ctx.out().cover(&s);
                *scope.borrow_mut() = Some(s);
            }
        };
        let convert = |r: SResult, at| {
            let scope = scope.borrow();
            result_finding(
                r,
                &rules.borrow(),
                &artifacts.borrow(),
                secret_tool.get(),
                scope.as_deref().unwrap_or(""),
                at,
            )
        };
        while let Some(key) = map.next_key::<String>()? {
            ctx.push_key(&key);
            match key.as_str() {
                "tool" => {
                    let at = ctx.here();
                    let tool: Tool = map.next_value()?;
                    driver = tool.driver.as_ref().and_then(|d| d.name.clone()).unwrap_or_default();
                    secret_tool.set(is_secret_scanner(&driver));
                    *rules.borrow_mut() = read_rules(tool, &at).map_err(|e| ctx.fail(e))?;
                }
                "versionControlProvenance" => {
                    let v: Capped<Provenance, 1> = map.next_value()?;
                    repository = v.0.into_iter().next().and_then(|p| p.repository_uri).filter(|u| !u.trim().is_empty());
                }
                "automationDetails" => {
                    let a: Option<Automation> = map.next_value()?;
                    automation = a.and_then(|a| a.id).filter(|i| !i.trim().is_empty());
                }
                "artifacts" => map.next_value_seed(Array { ctx, each: || ArtifactSeed { list: &artifacts } })?,
                "results" => {
                    fix_scope(&driver, &repository, &automation);
                    map.next_value_seed(Array { ctx, each: || Item { ctx, convert: &convert, _t: PhantomData } })?
                }
                "invocations" => {
                    let inv: Capped<Invocation> = map.next_value()?;
                    for i in inv.0 {
                        if let Some(t) = i.start_time_utc.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                        {
                            ctx.out().started(t.with_timezone(&Utc));
                        }
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            ctx.pop();
        }
        fix_scope(&driver, &repository, &automation);
        Ok(())
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Provenance {
    repository_uri: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Automation {
    id: Option<String>,
}

struct ArtifactSeed<'l> {
    list: &'l RefCell<Vec<String>>,
}

impl<'de> DeserializeSeed<'de> for ArtifactSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let a = Artifact::deserialize(d)?;
        let mut list = self.list.borrow_mut();
        if list.len() < MAX_ARTIFACTS {
            list.push(a.location.and_then(|l| l.uri).map(|u| line(&u, MAX_TITLE_BYTES)).unwrap_or_default());
        }
        Ok(())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Artifact {
    location: Option<ArtLoc>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Invocation {
    start_time_utc: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tool {
    driver: Option<Driver>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Driver {
    name: Option<String>,
    rules: Capped<Rule, MAX_RULES>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Text {
    text: Option<String>,
}

fn text(t: &Option<Text>) -> &str {
    t.as_ref().and_then(|t| t.text.as_deref()).unwrap_or("")
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SResult {
    rule_id: Option<String>,
    rule_index: Option<i64>,
    rule: Option<RuleRef>,
    kind: Option<String>,
    level: Option<String>,
    message: Option<Text>,
    locations: Capped<Loc, 16>,
    partial_fingerprints: Option<Pairs>,
    fingerprints: Option<Pairs>,
    properties: Option<Props>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RuleRef {
    id: Option<String>,
    index: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Loc {
    physical_location: Option<Phys>,
    logical_locations: Capped<Logical, 4>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Phys {
    artifact_location: Option<ArtLoc>,
    region: Option<Region>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ArtLoc {
    uri: Option<String>,
    index: Option<i64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Region {
    start_line: Option<u64>,
    snippet: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Logical {
    fully_qualified_name: Option<String>,
    name: Option<String>,
}

fn level_severity(level: &str) -> Option<Severity> {
    match level {
        "error" => Some(Severity::High),
        "warning" => Some(Severity::Medium),
        "note" => Some(Severity::Low),
        "none" => Some(Severity::Info),
        _ => None,
    }
}

fn result_finding(
    r: SResult,
    rules: &Rules,
    artifacts: &[String],
    secret_tool: bool,
    scope: &str,
    at: ScanLocation,
) -> Result<Conv, ScanError> {
    let kind = r.kind.as_deref().unwrap_or("fail");
    if kind == "pass" || kind == "notApplicable" {
        return Ok(Conv::Skip(
            "kết quả loại pass/notApplicable, không phải phát hiện",
            "result of kind pass/notApplicable: not a finding",
        ));
    }
    let index = r.rule_index.or(r.rule.as_ref().and_then(|x| x.index)).and_then(|i| usize::try_from(i).ok());
    let named =
        r.rule_id.as_deref().or(r.rule.as_ref().and_then(|x| x.id.as_deref())).map(str::trim).filter(|i| !i.is_empty());
    let rule = match named {
        Some(id) => rules.by_id.get(id).and_then(|i| rules.list.get(*i)),
        None => None,
    }
    .or_else(|| index.and_then(|i| rules.list.get(i)));
    let offender = r.properties.as_ref().and_then(|p| p.offender.as_ref()).and_then(|o| o.as_str());
    let mask = SecretMask::new(offender, secret_tool);
    let message = mask.text(text(&r.message));
    let message = message.as_str();
    let first_line = message.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let rule_id = named
        .map(str::to_string)
        .or_else(|| rule.map(|x| x.id.clone()).filter(|i| !i.is_empty()))
        .or_else(|| opt_line(first_line).map(|m| line(&m, 200)));
    let Some(rule_id) = rule_id.map(|i| line(&i, MAX_TITLE_BYTES)) else {
        return Ok(Conv::Skip(
            "kết quả không có ruleId, quy tắc hay thông điệp",
            "result without ruleId, rule or message",
        ));
    };
    let level = r.level.clone().or_else(|| rule.and_then(|x| x.level.clone())).unwrap_or_else(|| "warning".to_string());
    let level_sev = level_severity(level.trim()).ok_or_else(|| {
        let kind = ScanErrorKind::UnknownSeverity { value: level.clone(), allowed: "none, note, warning, error" };
        ScanError::new(at.clone(), Some("level"), kind)
    })?;
    let score = match prop_score(r.properties.as_ref(), &at)? {
        Some(s) => Some(s),
        None => rule.and_then(|x| x.score),
    };
    let word = r.properties.as_ref().and_then(|p| p.severity.as_ref()).and_then(|w| severity_word(&w.0));
    let severity = if kind == "informational" {
        Severity::Info
    } else {
        score.map(Severity::from_cvss).or(word).unwrap_or(level_sev)
    };
    let loc = r.locations.0.first();
    let phys = loc.and_then(|l| l.physical_location.as_ref());
    let art = phys.and_then(|p| p.artifact_location.as_ref());
    let uri = art.and_then(|a| a.uri.clone()).filter(|u| !u.trim().is_empty()).or_else(|| {
        art.and_then(|a| a.index)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| artifacts.get(i).cloned())
            .filter(|u| !u.is_empty())
    });
    let region = phys.and_then(|p| p.region.as_ref());
    let start = region.and_then(|g| g.start_line);
    let logical =
        loc.and_then(|l| l.logical_locations.0.first()).and_then(|l| l.fully_qualified_name.clone().or(l.name.clone()));
    let component = match (&uri, start) {
        (Some(u), Some(n)) => opt_line(&format!("{u}:{n}")),
        (Some(u), None) => opt_line(u),
        (None, _) => logical.and_then(|l| opt_line(&l)),
    };
    let pairs = |p: &Option<Pairs>| {
        p.as_ref()
            .filter(|p| !p.0.is_empty())
            .map(|p| p.0.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(";"))
    };
    let (fingerprint, fingerprint_file) = match (pairs(&r.fingerprints), pairs(&r.partial_fingerprints)) {
        (Some(full), _) => (Some(full), Some(line(uri.as_deref().unwrap_or(""), MAX_TITLE_BYTES))),
        (None, Some(partial)) => (Some(format!("{rule_id}|{}|{partial}", uri.as_deref().unwrap_or(""))), None),
        (None, None) => (None, None),
    };
    let mut cves = Vec::new();
    add_cves(&mut cves, &rule_id);
    add_cves(&mut cves, message);
    if let Some(p) = &r.properties {
        add_found(&mut cves, p.cves.clone());
    }
    if let Some(x) = rule {
        add_found(&mut cves, x.cves.clone());
    }
    tidy(&mut cves);
    let mut description = block(message, MAX_DESCRIPTION_BYTES);
    if let Some(rd) = rule.map(|x| x.description.as_str()).filter(|d| !d.is_empty() && *d != description) {
        description = block(&format!("{description}\n\n{rd}"), MAX_DESCRIPTION_BYTES);
    }
    let title =
        rule.map(|x| x.title.clone()).filter(|t| !t.is_empty()).unwrap_or_else(|| line(first_line, MAX_TITLE_BYTES));
    let evidence = block(&mask.snippet(region.map(|g| text(&g.snippet)).unwrap_or("")), MAX_EVIDENCE_BYTES);
    let mut f = ScanFinding {
        tool: ScanTool::Sarif,
        title: if title.is_empty() { rule_id.clone() } else { title },
        rule_id,
        severity,
        cvss_score: score,
        cvss_vector: None,
        host: None,
        ip: None,
        port: None,
        protocol: None,
        target: None,
        component,
        fixed_version: None,
        cves,
        cwes: rule.map(|x| x.cwes.clone()).unwrap_or_default(),
        description,
        solution: rule.map(|x| x.help.clone()).unwrap_or_default(),
        evidence,
        references: rule.map(|x| x.references.clone()).unwrap_or_default(),
        fingerprint: fingerprint.map(|f| line(&f, MAX_TITLE_BYTES)),
        fingerprint_file,
        scope: scope.to_string(),
        location: at,
    };
    mask.finish(&mut f);
    Ok(Conv::Finding(Box::new(f)))
}
