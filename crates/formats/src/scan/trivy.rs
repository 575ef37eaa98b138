//! Trivy JSON, three shapes: schema 2 (`{"SchemaVersion":2,"Results":[…]}`), the legacy
//! top-level array of results, and the Kubernetes report (`{"ClusterName":…,
//! "Vulnerabilities"|"Misconfigurations"|"Resources":[{Namespace, Kind, Name,
//! Results:[…]}]}`). Each result's `Vulnerabilities`, `Misconfigurations` and `Secrets` are
//! streamed element by element.
//!
//! The scope (see [`ScanFinding::scope`]) is `trivy|<ArtifactType>|<ArtifactName>` as read
//! before the first list of results (`trivy|kubernetes|<ClusterName>` for a Kubernetes
//! report, `trivy||` for the legacy array); a report without any finding still covers it.
//! A vulnerability's score is that of the `SeveritySource` vendor's `CVSS` entry when there
//! is one (so that score and severity agree), else NVD's, else the first vendor's; in each
//! entry CVSS v3, else v4 (`V40Score`), else v2.

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use khien_domain::finding::Severity;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::error::ScanErrorKind;
use super::json::{s, shape, Array, Capped, Conv, Ctx, Item, Scalar, TopSeed};
use super::model::{scope_of, ScanLocation};
use super::refs::add_reference;
use super::secret::{mask_pem, mask_tokens};
use super::text::{add_cves, block, cwe, line, opt_line, score, tidy};
use super::{ScanError, ScanFinding, ScanTool, MAX_DESCRIPTION_BYTES, MAX_EVIDENCE_BYTES, MAX_TITLE_BYTES};

const SHAPE_VI: &str = "một báo cáo Trivy: đối tượng có Results (hoặc mảng các kết quả)";
const SHAPE_EN: &str = "a Trivy report: an object with Results (or an array of results)";

#[derive(Clone, Copy)]
pub(super) struct Top;

impl TopSeed for Top {
    fn read<'de, D: Deserializer<'de>>(self, ctx: &Ctx<'_>, d: D) -> Result<(), D::Error> {
        d.deserialize_any(TopVisitor { ctx })
    }
}

struct TopVisitor<'c, 's> {
    ctx: &'c Ctx<'s>,
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SHAPE_EN)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let scope = scope_of(ScanTool::Trivy, &["", ""]);
        ctx.out().cover(&scope);
        let array = Array { ctx, each: || ResultSeed { ctx, resource: "", scope: &scope } };
        de::Visitor::visit_seq(array, seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let mut known = false;
        let (mut kind, mut name, mut cluster) = (String::new(), String::new(), String::new());
        let mut scope: Option<String> = None;
        let mut fix = |kind: &str, name: &str, cluster: &str| -> String {
            scope
                .get_or_insert_with(|| {
                    let s = if cluster.trim().is_empty() || !name.trim().is_empty() {
                        scope_of(ScanTool::Trivy, &[kind, name])
                    } else {
                        scope_of(ScanTool::Trivy, &["kubernetes", cluster])
                    };
                    ctx.out().cover(&s);
                    s
                })
                .clone()
        };
        let text = |v: Option<Scalar>| v.map(|x| x.0).unwrap_or_default();
        while let Some(key) = map.next_key::<String>()? {
            ctx.push_key(&key);
            match key.as_str() {
                "SchemaVersion" => {
                    known = true;
                    let line = ctx.here().line;
                    let v: Option<Scalar> = map.next_value()?;
                    if s(&v) != "2" {
                        let kind = ScanErrorKind::UnsupportedVersion { value: s(&v).to_string(), supported: "2" };
                        let mut e = ctx.error(Some("SchemaVersion"), kind);
                        e.set_line(line.unwrap_or(1));
                        return Err(ctx.fail(e));
                    }
                }
                "CreatedAt" => {
                    let v: Option<String> = map.next_value()?;
                    if let Some(t) = v.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok()) {
                        ctx.out().started(t.with_timezone(&Utc));
                    }
                }
                "Results" => {
                    known = true;
                    let scope = fix(&kind, &name, &cluster);
                    map.next_value_seed(Array { ctx, each: || ResultSeed { ctx, resource: "", scope: &scope } })?;
                }
                "Vulnerabilities" | "Misconfigurations" | "Resources" => {
                    known = true;
                    let scope = fix(&kind, &name, &cluster);
                    map.next_value_seed(Array { ctx, each: || ResourceSeed { ctx, scope: &scope } })?;
                }
                "ArtifactName" => {
                    known = true;
                    name = text(map.next_value()?);
                }
                "ClusterName" => {
                    known = true;
                    cluster = text(map.next_value()?);
                }
                "ArtifactType" => kind = text(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            ctx.pop();
        }
        if !known {
            return Err(
                ctx.fail(ctx.error(None, ScanErrorKind::WrongShape { expected_vi: SHAPE_VI, expected_en: SHAPE_EN }))
            );
        }
        fix(&kind, &name, &cluster);
        Ok(())
    }
}

/// A Kubernetes resource: `Namespace`, `Kind`, `Name` (read before `Results`), `Results`.
struct ResourceSeed<'c, 's, 'r> {
    ctx: &'c Ctx<'s>,
    scope: &'r str,
}

impl<'de> DeserializeSeed<'de> for ResourceSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResourceSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes resource object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let (mut ns, mut kind, mut name) = (String::new(), String::new(), String::new());
        while let Some(key) = map.next_key::<String>()? {
            ctx.push_key(&key);
            match key.as_str() {
                "Namespace" => ns = map.next_value::<Option<String>>()?.unwrap_or_default(),
                "Kind" => kind = map.next_value::<Option<String>>()?.unwrap_or_default(),
                "Name" => name = map.next_value::<Option<String>>()?.unwrap_or_default(),
                "Results" => {
                    let parts: Vec<&str> =
                        [ns.as_str(), kind.as_str(), name.as_str()].into_iter().filter(|p| !p.is_empty()).collect();
                    let resource = parts.join("/");
                    map.next_value_seed(Array {
                        ctx,
                        each: || ResultSeed { ctx, resource: &resource, scope: self.scope },
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            ctx.pop();
        }
        Ok(())
    }
}

/// One result: `Target` (read before the lists), `Vulnerabilities`, `Misconfigurations`,
/// `Secrets`.
struct ResultSeed<'c, 's, 'r> {
    ctx: &'c Ctx<'s>,
    resource: &'r str,
    scope: &'r str,
}

impl<'de> DeserializeSeed<'de> for ResultSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResultSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Trivy result object")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.ctx.fail(shape(self.ctx, "một đối tượng ({…})", "an object ({…})")))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.ctx;
        let target: RefCell<Option<String>> = RefCell::new(None);
        let resource = self.resource;
        let full_target = || {
            let t = target.borrow().clone().unwrap_or_default();
            match (resource.is_empty(), t.is_empty()) {
                (true, _) => opt_line(&t),
                (false, true) => opt_line(resource),
                (false, false) if resource.ends_with(t.as_str()) => opt_line(resource),
                (false, false) => opt_line(&format!("{resource}: {t}")),
            }
        };
        let scope = self.scope;
        let vuln = |v: Vuln, at| vuln_finding(v, full_target(), scope, at);
        let misconf = |m: Misconf, at| misconf_finding(m, full_target(), scope, at);
        let secret = |x: Secret, at| secret_finding(x, full_target(), scope, at);
        while let Some(key) = map.next_key::<String>()? {
            ctx.push_key(&key);
            match key.as_str() {
                "Target" => *target.borrow_mut() = map.next_value::<Option<String>>()?,
                "Vulnerabilities" => {
                    map.next_value_seed(Array { ctx, each: || Item { ctx, convert: &vuln, _t: PhantomData } })?
                }
                "Misconfigurations" => {
                    map.next_value_seed(Array { ctx, each: || Item { ctx, convert: &misconf, _t: PhantomData } })?
                }
                "Secrets" => {
                    map.next_value_seed(Array { ctx, each: || Item { ctx, convert: &secret, _t: PhantomData } })?
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            ctx.pop();
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct Vuln {
    #[serde(rename = "VulnerabilityID")]
    id: Option<String>,
    #[serde(rename = "PkgName")]
    pkg: Option<String>,
    #[serde(rename = "PkgPath")]
    pkg_path: Option<String>,
    #[serde(rename = "InstalledVersion")]
    installed: Option<String>,
    #[serde(rename = "FixedVersion")]
    fixed: Option<String>,
    #[serde(rename = "Severity")]
    severity: Option<String>,
    #[serde(rename = "SeveritySource")]
    severity_source: Option<String>,
    #[serde(rename = "CVSS", default)]
    cvss: Cvss,
    #[serde(rename = "CweIDs", default)]
    cwes: Capped<String>,
    #[serde(rename = "Title")]
    title: Option<String>,
    #[serde(rename = "Description")]
    description: Option<String>,
    #[serde(rename = "PrimaryURL")]
    url: Option<String>,
    #[serde(rename = "References", default)]
    references: Capped<Option<String>, MAX_LISTED_REFERENCES>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Misconf {
    #[serde(rename = "ID")]
    id: Option<String>,
    #[serde(rename = "AVDID")]
    avd_id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    message: Option<String>,
    resolution: Option<String>,
    severity: Option<String>,
    status: Option<String>,
    cause_metadata: Option<Cause>,
    #[serde(rename = "PrimaryURL")]
    url: Option<String>,
    #[serde(default)]
    references: Capped<Option<String>, MAX_LISTED_REFERENCES>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Cause {
    resource: Option<String>,
    start_line: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Secret {
    #[serde(rename = "RuleID")]
    rule_id: Option<String>,
    category: Option<String>,
    severity: Option<String>,
    title: Option<String>,
    start_line: Option<u64>,
    #[serde(rename = "Match")]
    matched: Option<String>,
}

/// The entries of `CVSS` by vendor, in file order (at most [`MAX_CVSS_SOURCES`]).
#[derive(Default)]
struct Cvss(Vec<(String, CvssEntry)>);

const MAX_CVSS_SOURCES: usize = 64;

#[derive(Deserialize, Default)]
#[serde(default)]
struct CvssEntry {
    #[serde(rename = "V3Score")]
    v3: Option<f64>,
    #[serde(rename = "V3Vector")]
    v3_vector: Option<String>,
    #[serde(rename = "V40Score", alias = "V4Score")]
    v4: Option<f64>,
    #[serde(rename = "V40Vector", alias = "V4Vector")]
    v4_vector: Option<String>,
    #[serde(rename = "V2Score")]
    v2: Option<f64>,
    #[serde(rename = "V2Vector")]
    v2_vector: Option<String>,
}

type Picked = (f64, Option<String>);

impl CvssEntry {
    fn v3(&self) -> Option<Picked> {
        self.v3.map(|v| (v, self.v3_vector.clone()))
    }
    fn v4(&self) -> Option<Picked> {
        self.v4.map(|v| (v, self.v4_vector.clone()))
    }
    fn v2(&self) -> Option<Picked> {
        self.v2.map(|v| (v, self.v2_vector.clone()))
    }
}

impl Cvss {
    /// The score and vector to keep: the `SeveritySource` vendor's entry when it has a score
    /// (v3, else v4, else v2); else by version (v3, else v4, else v2), NVD's first, then the
    /// first vendor's with that version.
    fn pick(&self, severity_source: Option<&str>) -> Option<Picked> {
        let source = severity_source.map(str::trim).filter(|s| !s.is_empty());
        let own = source.and_then(|src| self.0.iter().find(|(name, _)| name == src)).map(|(_, e)| e);
        if let Some(p) = own.and_then(|e| e.v3().or_else(|| e.v4()).or_else(|| e.v2())) {
            return Some(p);
        }
        let by = |get: fn(&CvssEntry) -> Option<Picked>| {
            let nvd = self.0.iter().find(|(name, _)| name == "nvd").and_then(|(_, e)| get(e));
            nvd.or_else(|| self.0.iter().find_map(|(_, e)| get(e)))
        };
        by(CvssEntry::v3).or_else(|| by(CvssEntry::v4)).or_else(|| by(CvssEntry::v2))
    }
}

impl<'de> Deserialize<'de> for Cvss {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Cvss;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of CVSS scores by source")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Cvss, E> {
                Ok(Cvss::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cvss, A::Error> {
                let mut c = Cvss::default();
                while let Some(source) = map.next_key::<String>()? {
                    let e: CvssEntry = map.next_value()?;
                    if c.0.len() < MAX_CVSS_SOURCES {
                        c.0.push((source, e));
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_any(V)
    }
}

const ALLOWED: &str = "UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL";

/// `References` entries read (the rest skipped unread): enough for ten valid ones.
const MAX_LISTED_REFERENCES: usize = 100;

/// `PrimaryURL` first, then `References` in their order.
fn references(primary: Option<&str>, list: &Capped<Option<String>, MAX_LISTED_REFERENCES>) -> Vec<String> {
    let mut refs = Vec::new();
    for u in primary.into_iter().chain(list.0.iter().filter_map(|u| u.as_deref())) {
        add_reference(&mut refs, u);
    }
    refs
}

/// Trivy's severity word; `UNKNOWN` (or none) goes by the score, else `Info`.
fn severity(field: &str, v: Option<&str>, cvss: Option<f32>, at: &ScanLocation) -> Result<Severity, ScanError> {
    let word = v.map(str::trim).unwrap_or("");
    if word.is_empty() || word.eq_ignore_ascii_case("unknown") {
        return Ok(cvss.map(Severity::from_cvss).unwrap_or(Severity::Info));
    }
    match word.to_ascii_uppercase().as_str() {
        "LOW" => Ok(Severity::Low),
        "MEDIUM" => Ok(Severity::Medium),
        "HIGH" => Ok(Severity::High),
        "CRITICAL" => Ok(Severity::Critical),
        _ => Err(ScanError::new(
            at.clone(),
            Some(field),
            ScanErrorKind::UnknownSeverity { value: word.to_string(), allowed: ALLOWED },
        )),
    }
}

fn base(rule_id: String, title: &str, target: Option<String>, scope: &str, at: ScanLocation) -> ScanFinding {
    ScanFinding {
        tool: ScanTool::Trivy,
        title: line(if title.trim().is_empty() { &rule_id } else { title }, MAX_TITLE_BYTES),
        rule_id,
        severity: Severity::Info,
        cvss_score: None,
        cvss_vector: None,
        host: None,
        ip: None,
        port: None,
        protocol: None,
        target,
        component: None,
        fixed_version: None,
        cves: Vec::new(),
        cwes: Vec::new(),
        description: String::new(),
        solution: String::new(),
        evidence: String::new(),
        references: Vec::new(),
        fingerprint: None,
        fingerprint_file: None,
        scope: scope.to_string(),
        location: at,
    }
}

fn vuln_finding(v: Vuln, target: Option<String>, scope: &str, at: ScanLocation) -> Result<Conv, ScanError> {
    let Some(id) = v.id.as_deref().and_then(opt_line) else {
        return Ok(Conv::Skip("lỗ hổng không có VulnerabilityID", "vulnerability without a VulnerabilityID"));
    };
    let pick = v.cvss.pick(v.severity_source.as_deref());
    let cvss_score = match &pick {
        Some((n, _)) => Some(score(&n.to_string()).map_err(|_| {
            ScanError::new(at.clone(), Some("CVSS"), ScanErrorKind::BadNumber { value: n.to_string() })
        })?),
        None => None,
    };
    let mut f = base(id.clone(), v.title.as_deref().unwrap_or(""), target, scope, at);
    f.severity = severity("Severity", v.severity.as_deref(), cvss_score, &f.location)?;
    f.cvss_score = cvss_score;
    f.cvss_vector = pick.and_then(|(_, vec)| vec).and_then(|x| opt_line(&x));
    add_cves(&mut f.cves, &id);
    tidy(&mut f.cves);
    f.cwes = v.cwes.0.iter().filter_map(|c| cwe(c)).collect();
    tidy(&mut f.cwes);
    let pkg = v.pkg.as_deref().unwrap_or("").trim();
    let installed = v.installed.as_deref().unwrap_or("").trim();
    f.component = match (pkg.is_empty(), installed.is_empty()) {
        (true, _) => None,
        (false, true) => opt_line(pkg),
        (false, false) => opt_line(&format!("{pkg}@{installed}")),
    };
    f.fixed_version = v.fixed.as_deref().and_then(opt_line);
    f.description = block(v.description.as_deref().unwrap_or(""), MAX_DESCRIPTION_BYTES);
    if let Some(p) = v.pkg_path.as_deref().filter(|p| !p.trim().is_empty()) {
        f.evidence = block(&format!("PkgPath: {p}"), MAX_EVIDENCE_BYTES);
    }
    f.references = references(v.url.as_deref(), &v.references);
    Ok(Conv::Finding(Box::new(f)))
}

fn misconf_finding(m: Misconf, target: Option<String>, scope: &str, at: ScanLocation) -> Result<Conv, ScanError> {
    if m.status.as_deref().is_some_and(|st| st.eq_ignore_ascii_case("PASS")) {
        return Ok(Conv::Skip(
            "kiểm tra cấu hình đạt (PASS), không phải phát hiện",
            "configuration check passed (PASS): not a finding",
        ));
    }
    let id = m.id.as_deref().and_then(opt_line).or_else(|| m.avd_id.as_deref().and_then(opt_line));
    let Some(id) = id else {
        return Err(ScanError::new(at, Some("ID"), ScanErrorKind::Missing));
    };
    let mut f = base(id, m.title.as_deref().unwrap_or(""), target, scope, at);
    f.severity = severity("Severity", m.severity.as_deref(), None, &f.location)?;
    let cause = m.cause_metadata.as_ref();
    let place = cause
        .and_then(|c| c.resource.as_deref())
        .filter(|r| !r.trim().is_empty())
        .map(str::to_string)
        .or_else(|| f.target.clone());
    f.component = match (place, cause.and_then(|c| c.start_line).filter(|l| *l > 0)) {
        (Some(p), Some(l)) => opt_line(&format!("{p}:{l}")),
        (p, _) => p.and_then(|p| opt_line(&p)),
    };
    f.description = block(m.description.as_deref().unwrap_or(""), MAX_DESCRIPTION_BYTES);
    f.solution = block(m.resolution.as_deref().unwrap_or(""), MAX_DESCRIPTION_BYTES);
    f.evidence = block(m.message.as_deref().unwrap_or(""), MAX_EVIDENCE_BYTES);
    f.references = references(m.url.as_deref(), &m.references);
    Ok(Conv::Finding(Box::new(f)))
}

fn secret_finding(x: Secret, target: Option<String>, scope: &str, at: ScanLocation) -> Result<Conv, ScanError> {
    let Some(id) = x.rule_id.as_deref().and_then(opt_line) else {
        return Err(ScanError::new(at, Some("RuleID"), ScanErrorKind::Missing));
    };
    let mut f = base(id, x.title.as_deref().unwrap_or(""), target, scope, at);
    f.severity = severity("Severity", x.severity.as_deref(), None, &f.location)?;
    f.component = match (&f.target, x.start_line) {
        (Some(t), Some(l)) => opt_line(&format!("{t}:{l}")),
        (t, _) => t.clone(),
    };
    f.description = block(x.category.as_deref().unwrap_or(""), MAX_DESCRIPTION_BYTES);
    // Trivy masks the secret in Match ("GITHUB_PAT=*****"); masked again in case it did not.
    let matched = mask_pem(x.matched.as_deref().unwrap_or(""));
    f.evidence = block(&mask_tokens(&matched), MAX_EVIDENCE_BYTES);
    Ok(Conv::Finding(Box::new(f)))
}
