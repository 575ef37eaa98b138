//! What a report yields: findings, the summary, and where in the file each came from.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use chrono::{DateTime, Utc};
use khien_domain::finding::{finding_key, Severity};
use khien_domain::Msg;

use super::text::{first_token_cve, line};
use super::{ScanError, ScanTool, MAX_TITLE_BYTES};

/// Where in a report something was read. Lines and columns are 1-based; the column counts
/// characters. `item` is a path to the item: 1-based XPath-like steps for XML
/// (`ReportHost[2]/ReportItem[17]`), 0-based JSON indices (`runs[0].results[12]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ScanLocation {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub item: Option<String>,
}

impl ScanLocation {
    pub fn is_empty(&self) -> bool {
        self.line.is_none() && self.item.is_none()
    }

    pub(super) fn at(line: u64, item: impl Into<String>) -> ScanLocation {
        let item = item.into();
        ScanLocation { line: Some(line), column: None, item: (!item.is_empty()).then_some(item) }
    }

    fn parts(&self, line: &str, column: &str, item: &str) -> String {
        let mut s = Vec::new();
        if let Some(l) = self.line {
            s.push(format!("{line} {l}"));
        }
        if let Some(c) = self.column {
            s.push(format!("{column} {c}"));
        }
        if let Some(i) = &self.item {
            s.push(format!("{item} {}", khien_domain::error::shorten(i, 120)));
        }
        s.join(", ")
    }

    /// "dòng 12, ký tự 4, phần tử runs[0].results[3]" (empty when nothing is known).
    pub fn vi(&self) -> String {
        self.parts("dòng", "ký tự", "phần tử")
    }

    /// "line 12, character 4, item runs[0].results[3]".
    pub fn en(&self) -> String {
        self.parts("line", "character", "item")
    }
}

impl fmt::Display for ScanLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en())
    }
}

/// One finding, as any of the tools reports it. Texts are the tool's own (mostly English),
/// trimmed and cut to the `MAX_*_BYTES` limits; CVE and CWE lists are sorted, without
/// duplicates.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanFinding {
    pub tool: ScanTool,
    /// The tool's rule: Nessus plugin id, OpenVAS NVT OID, SARIF rule id, Trivy vulnerability
    /// / check / secret rule id, ZAP alertRef (or plugin id).
    pub rule_id: String,
    pub title: String,
    pub severity: Severity,
    pub cvss_score: Option<f32>,
    pub cvss_vector: Option<String>,
    /// The network host: Nessus ReportHost name (else its host-ip), OpenVAS result host,
    /// ZAP site host. `None` for SARIF and Trivy.
    pub host: Option<String>,
    /// The host's IP address when the report gives one (Nessus host-ip, OpenVAS host).
    pub ip: Option<String>,
    pub port: Option<u16>,
    /// "tcp"/"udp" (Nessus, OpenVAS), "http"/"https" (ZAP).
    pub protocol: Option<String>,
    /// What was scanned when it is not a network host: a Trivy target (image, lock file,
    /// Kubernetes resource as `namespace/Kind/name: target`).
    pub target: Option<String>,
    /// What inside the host or target: `package@version` (Trivy), `file:line` (SARIF, Trivy
    /// secrets and misconfigurations), the site URL (ZAP), the service name (Nessus).
    pub component: Option<String>,
    /// The version that fixes a Trivy vulnerability, as Trivy gives it.
    pub fixed_version: Option<String>,
    pub cves: Vec<String>,
    pub cwes: Vec<u32>,
    pub description: String,
    pub solution: String,
    /// Proof: plugin output, matched text, request URIs; at most `MAX_EVIDENCE_BYTES`.
    /// Secrets in it are masked (see [`super::mask_secret`]); private key bodies are `[…]`.
    pub evidence: String,
    /// The advisory and reference links the tool gives, in its order: Nessus `see_also`,
    /// OpenVAS `refs/ref[@type="url"]` and old `xref` URLs, the SARIF rule's `helpUri`,
    /// Trivy `PrimaryURL` then `References`, ZAP `reference`. Only http(s) URLs, trimmed,
    /// without duplicates, at most [`super::MAX_REFERENCES`], none longer than
    /// [`super::MAX_REFERENCE_BYTES`] (longer ones are dropped). Not part of [`Self::dedup_key`].
    pub references: Vec<String>,
    /// A stable id given by the tool itself (SARIF `fingerprints`, else `partialFingerprints`
    /// with the rule and file), as `key=value` pairs sorted by key.
    pub fingerprint: Option<String>,
    /// For a SARIF `fingerprints` value (not `partialFingerprints`): the file it was found in
    /// (the artifact URI, without line; empty when the result names none). [`Self::dedup_key`]
    /// combines it and the rule with the fingerprint, because some tools' fingerprints hash
    /// only the line of code (Flawfinder's `contextHash/v1`), which repeats across files.
    /// `None` for every other finding.
    pub fingerprint_file: Option<String>,
    /// The producer and what it looked at: two reports with the same scope are "the same
    /// tool looking at the same target", so the newer one is authoritative about which
    /// findings of that scope are gone (and says nothing about findings of other scopes).
    /// Parts trimmed (white space collapsed), joined with `|`, cut to [`MAX_TITLE_BYTES`]:
    ///
    /// - Nessus: `nessus|<Policy/policyName>|<ReportHost name, else its host-ip>`;
    /// - OpenVAS: `openvas|<scan config name, else task name, else empty>|<host>` (the config
    ///   or task as read before the first result, where GVM writes them);
    /// - SARIF: `sarif|<tool.driver.name, lower-cased>|<versionControlProvenance[0].repositoryUri,
    ///   else automationDetails.id, else empty>`, one scope per run; the driver's version is
    ///   not part of it (an upgraded tool still closes its own findings). Streaming: only what
    ///   the run gives before its `results` counts (a `versionControlProvenance` or
    ///   `automationDetails` written after `results` is ignored, for the findings and for
    ///   the summary alike, so every report of one tool gets the same scope);
    /// - Trivy: `trivy|<ArtifactType>|<ArtifactName>` (as read before `Results`); a
    ///   Kubernetes report `trivy|kubernetes|<ClusterName>`; the legacy array `trivy||`;
    /// - ZAP: `zap|<site @name, else @host>`.
    pub scope: String,
    /// Where the item starts in the file.
    pub location: ScanLocation,
}

impl ScanFinding {
    /// The key that recognises this finding again in the next scan of the same system:
    /// lower-case SHA-256 hex (64 characters) of length-prefixed texts
    /// (`khien_domain::finding::finding_key`):
    ///
    /// - with a tool fingerprint: `"scan-v1", tool code, system_code, "fp", fingerprint`;
    /// - otherwise: `"scan-v1", tool code, system_code, host, port, protocol, target,
    ///   rule_id, first CVE (smallest), component`, absent values as empty texts, and for
    ///   ZAP the severity code last: ZAP reports one rule at several risks as separate alerts
    ///   (`zero.webappsecurity.json` has "Proxy Disclosure" at High and at Medium).
    ///
    /// Locations in the file, texts, scores, evidence, references and the scope are not part
    /// of the key, so a re-run of the same scan yields the same keys. Never change this list
    /// silently: stored keys depend on it. Changes so far, each under a new version tag:
    ///
    /// - `scan-v2` for SARIF findings with `fingerprints` (not partial ones): `"scan-v2",
    ///   tool code, system_code, "fp", rule_id, file ([`Self::fingerprint_file`]),
    ///   fingerprint`. A fingerprint alone merged the same line of code in two files.
    /// - `scan-v2` for ZAP: the v1 parts with the severity, then the alert's title (ZAP
    ///   reports "Insecure HTTP Method" once per method under one plugin id).
    ///
    /// Keys of those findings changed in this version: the first re-import after the upgrade
    /// recreates them once (and closes the old ones). For SARIF the "first CVE" part stays the
    /// CVE the rule id is (CVEs found in messages and properties are not part of the key).
    pub fn dedup_key(&self, system_code: &str) -> String {
        let tool = self.tool.code();
        if let Some(fp) = &self.fingerprint {
            return match &self.fingerprint_file {
                Some(file) => finding_key(&["scan-v2", tool, system_code, "fp", &self.rule_id, file, fp]),
                None => finding_key(&["scan-v1", tool, system_code, "fp", fp]),
            };
        }
        let port = self.port.map(|p| p.to_string()).unwrap_or_default();
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let first_cve = match self.tool {
            ScanTool::Sarif => first_token_cve(&self.rule_id),
            _ => self.cves.first().cloned(),
        }
        .unwrap_or_default();
        let version = if self.tool == ScanTool::Zap { "scan-v2" } else { "scan-v1" };
        let mut parts = vec![
            version.to_string(),
            tool.to_string(),
            system_code.to_string(),
            o(&self.host),
            port,
            o(&self.protocol),
            o(&self.target),
            self.rule_id.clone(),
            first_cve,
            o(&self.component),
        ];
        if self.tool == ScanTool::Zap {
            parts.push(self.severity.code().to_string());
            parts.push(self.title.clone());
        }
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        finding_key(&refs)
    }
}

/// An item that was read but is not a finding, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub location: ScanLocation,
    pub reason: Msg,
}

/// Distinct hosts are counted up to this number (a bound on memory for hostile files).
pub const MAX_HOSTS_COUNTED: usize = 1_000_000;

/// At most this many scopes are listed in [`ScanSummary::scopes`] (a bound on memory for
/// hostile files); further ones are left out, so a caller closes nothing in them.
pub const MAX_SCOPES: usize = 1_000_000;

/// A scope ([`ScanFinding::scope`]): the tool's code, then `parts` each trimmed with white
/// space collapsed, joined with `|`, cut to [`MAX_TITLE_BYTES`].
pub(super) fn scope_of(tool: ScanTool, parts: &[&str]) -> String {
    let mut s = tool.code().to_string();
    for p in parts {
        s.push('|');
        s.push_str(&line(p, MAX_TITLE_BYTES));
    }
    line(&s, MAX_TITLE_BYTES)
}

/// At most this many skipped items are listed; `ScanSummary::skipped_count` counts all.
pub const MAX_SKIPPED_LISTED: usize = 1000;

/// What a whole report held.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanSummary {
    pub tool: ScanTool,
    /// Findings handed to the sink.
    pub findings: usize,
    /// Distinct hosts (or, where there is no host, targets) among the findings, counted up
    /// to [`MAX_HOSTS_COUNTED`].
    pub hosts: usize,
    pub skipped: Vec<Skipped>,
    pub skipped_count: usize,
    /// When the scan started, where the file says: Nessus earliest HOST_START_TIMESTAMP
    /// (else HOST_START, read as UTC), OpenVAS `scan_start`, SARIF earliest invocation
    /// `startTimeUtc`, Trivy `CreatedAt`. ZAP gives only the report's local time: `None`.
    pub scan_started: Option<DateTime<Utc>>,
    /// Every scope ([`ScanFinding::scope`]) the report covered, those of the findings and
    /// also targets that yielded none: a Trivy report of a clean image, a Nessus ReportHost
    /// without ReportItem, an OpenVAS `report/host` without result, a ZAP site without
    /// alerts, a SARIF run without results. At most [`MAX_SCOPES`].
    pub scopes: BTreeSet<String>,
}

/// The collector every parser writes to: counts, hosts, skipped items, the caller's sink.
pub(super) struct Out<'s> {
    sink: &'s mut dyn FnMut(ScanFinding) -> Result<(), ScanError>,
    summary: ScanSummary,
    assets: HashSet<String>,
}

impl<'s> Out<'s> {
    pub(super) fn new(tool: ScanTool, sink: &'s mut dyn FnMut(ScanFinding) -> Result<(), ScanError>) -> Self {
        Out {
            sink,
            summary: ScanSummary {
                tool,
                findings: 0,
                hosts: 0,
                skipped: Vec::new(),
                skipped_count: 0,
                scan_started: None,
                scopes: BTreeSet::new(),
            },
            assets: HashSet::new(),
        }
    }

    pub(super) fn emit(&mut self, mut f: ScanFinding) -> Result<(), ScanError> {
        super::secret::scrub(&mut f);
        if let Some(a) = f.host.as_ref().or(f.target.as_ref()) {
            if self.assets.len() < MAX_HOSTS_COUNTED && !self.assets.contains(a) {
                self.assets.insert(a.clone());
            }
        }
        self.cover(&f.scope);
        let location = f.location.clone();
        (self.sink)(f).map_err(|e| e.or_location(location))?;
        self.summary.findings += 1;
        Ok(())
    }

    pub(super) fn skip(&mut self, location: ScanLocation, vi: impl Into<String>, en: impl Into<String>) {
        self.summary.skipped_count += 1;
        if self.summary.skipped.len() < MAX_SKIPPED_LISTED {
            self.summary.skipped.push(Skipped { location, reason: Msg::new(vi, en) });
        }
    }

    /// Lists a scope the report covers (whether or not it yields findings).
    pub(super) fn cover(&mut self, scope: &str) {
        let scopes = &mut self.summary.scopes;
        if scopes.len() < MAX_SCOPES && !scopes.contains(scope) {
            scopes.insert(scope.to_string());
        }
    }

    /// Keeps the earliest start time seen.
    pub(super) fn started(&mut self, t: DateTime<Utc>) {
        let s = &mut self.summary.scan_started;
        if s.is_none_or(|old| t < old) {
            *s = Some(t);
        }
    }

    pub(super) fn finish(mut self) -> ScanSummary {
        self.summary.hosts = self.assets.len();
        self.summary
    }
}
