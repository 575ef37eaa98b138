//! OpenVAS / Greenbone XML reports (`<report>`, also inside `get_reports_response`): each
//! `results/result` with host, port ("443/tcp", "general/tcp"), `nvt` (oid, name, cvss_base,
//! cve, tags, refs/ref type="cve" and type="url", xref of old reports, solution,
//! severities), threat, severity, description.
//! `result`s nested elsewhere (e.g. under `detection`) are not findings.
//!
//! Scope (see [`ScanFinding::scope`]): `openvas|<producer>|<host>`, the producer being the
//! scan config's name (`report/task/config/name`), else the task's (`report/task/name`), as
//! read before the first result (where GVM writes them), else empty. The hosts the report
//! lists (`report/host/ip`, after the results) are covered even without results.

use std::io::BufRead;

use chrono::{DateTime, Utc};
use khien_domain::finding::Severity;

use super::error::ScanErrorKind;
use super::model::{scope_of, Out, ScanLocation};
use super::refs::{add_reference, add_xref};
use super::text::{add_cves, append_limited, block, line, opt_line, score, tidy};
use super::xml::{attr, Ev, Xml};
use super::{severity_word, ScanError, ScanFinding, ScanTool};
use super::{MAX_DESCRIPTION_BYTES, MAX_EVIDENCE_BYTES, MAX_TITLE_BYTES};

#[derive(Default)]
struct Item {
    depth: usize,
    location: ScanLocation,
    host: String,
    port: String,
    oid: String,
    name: String,
    cvss_base: String,
    cve_text: String,
    cves: Vec<String>,
    references: Vec<String>,
    /// Old reports' `xref`: "URL:http://…, URL:http://…" or "NOXREF".
    xref: String,
    tags: String,
    solution: String,
    vector: String,
    threat: String,
    severity: String,
    description: String,
}

/// The scan config and task names read so far, and the producer part of the scope once
/// fixed (at the first result or listed host).
#[derive(Default)]
struct Producer {
    config: String,
    task: String,
    fixed: Option<String>,
}

impl Producer {
    fn fixed(&mut self) -> &str {
        let (config, task) = (&self.config, &self.task);
        self.fixed.get_or_insert_with(|| if config.trim().is_empty() { task.clone() } else { config.clone() })
    }

    fn scope(&mut self, host: &str) -> String {
        scope_of(ScanTool::OpenVas, &[self.fixed(), host])
    }
}

pub(super) fn parse<R: BufRead>(reader: R, out: &mut Out<'_>) -> Result<(), ScanError> {
    let mut x = Xml::new(reader)?;
    let mut producer = Producer::default();
    // The text of a `report/host/ip` being read.
    let mut listed_ip: Option<String> = None;
    let mut item: Option<Item> = None;
    let mut results = 0usize;
    let mut scan_start = String::new();
    let mut in_scan_start = false;
    loop {
        match x.next()? {
            Ev::Eof => {
                if let Ok(t) = DateTime::parse_from_rfc3339(scan_start.trim()) {
                    out.started(t.with_timezone(&Utc));
                }
                return Ok(());
            }
            Ev::Start { name, attrs, line } => {
                let depth = x.depth();
                if depth == 1 && name != "report" && name != "get_reports_response" {
                    let at = ScanLocation::at(line, "");
                    let kind = ScanErrorKind::WrongRoot { expected: "report", found: name };
                    return Err(ScanError::new(at, None, kind));
                }
                if let Some(it) = item.as_mut() {
                    let path = x.path_below(it.depth);
                    if path == "nvt" {
                        it.oid = attr(&attrs, "oid").unwrap_or("").to_string();
                    } else if path == "nvt/refs/ref" {
                        let id = attr(&attrs, "id").unwrap_or("");
                        match attr(&attrs, "type") {
                            Some(t) if t.eq_ignore_ascii_case("cve") => add_cves(&mut it.cves, id),
                            Some(t) if t.eq_ignore_ascii_case("url") => add_reference(&mut it.references, id),
                            _ => {}
                        }
                    }
                    continue;
                }
                if name == "result" && depth >= 2 && x.name_at(depth - 1) == Some("results") {
                    producer.fixed();
                    results += 1;
                    let path = format!("results/result[{results}]");
                    item = Some(Item { depth, location: ScanLocation::at(line, path), ..Item::default() });
                } else if name == "scan_start" && scan_start.is_empty() && x.name_at(depth - 1) == Some("report") {
                    in_scan_start = true;
                } else if name == "ip"
                    && depth >= 3
                    && x.name_at(depth - 1) == Some("host")
                    && x.name_at(depth - 2) == Some("report")
                {
                    listed_ip = Some(String::new());
                }
            }
            Ev::Text(t) => {
                if let Some(it) = item.as_mut() {
                    let path = x.path_below(it.depth);
                    item_text(it, &path, &t);
                } else if in_scan_start {
                    append_limited(&mut scan_start, &t, 64);
                } else if let Some(ip) = listed_ip.as_mut() {
                    append_limited(ip, &t, MAX_TITLE_BYTES);
                } else if x.current() == Some("name") && producer.fixed.is_none() {
                    let depth = x.depth();
                    let (parent, grand) = (x.name_at(depth.saturating_sub(1)), x.name_at(depth.saturating_sub(2)));
                    let slot = match (parent, grand) {
                        (Some("task"), Some("report")) => Some(&mut producer.task),
                        (Some("config"), Some("task" | "report")) => Some(&mut producer.config),
                        _ => None,
                    };
                    if let Some(slot) = slot.filter(|s| s.is_empty()) {
                        append_limited(slot, &t, MAX_TITLE_BYTES);
                    }
                }
            }
            Ev::End(_) => {
                in_scan_start = false;
                if let Some(ip) = listed_ip.take() {
                    if let Some(host) = opt_line(&ip) {
                        out.cover(&producer.scope(&host));
                    }
                }
                if item.as_ref().is_some_and(|it| x.depth() < it.depth) {
                    // The host was looked at even when its result is skipped.
                    if let Some(h) = item.as_ref().and_then(|it| opt_line(&it.host)) {
                        out.cover(&producer.scope(&h));
                    }
                    if let Some(f) = item.take().map(|it| finding(it, &mut producer)).transpose()? {
                        match f {
                            Ok(f) => out.emit(f)?,
                            Err((at, vi, en)) => out.skip(at, vi, en),
                        }
                    }
                }
            }
        }
    }
}

fn item_text(it: &mut Item, path: &str, t: &str) {
    let (dst, max) = match path {
        "host" => (&mut it.host, MAX_TITLE_BYTES),
        "port" => (&mut it.port, 64),
        "nvt/name" => (&mut it.name, MAX_TITLE_BYTES),
        "nvt/cvss_base" => (&mut it.cvss_base, 64),
        "nvt/cve" => (&mut it.cve_text, MAX_DESCRIPTION_BYTES),
        "nvt/tags" => (&mut it.tags, MAX_DESCRIPTION_BYTES),
        "nvt/xref" => (&mut it.xref, MAX_DESCRIPTION_BYTES),
        "nvt/solution" => (&mut it.solution, MAX_DESCRIPTION_BYTES),
        "nvt/severities/severity/value" => (&mut it.vector, MAX_TITLE_BYTES),
        "threat" => (&mut it.threat, 64),
        "severity" => (&mut it.severity, 64),
        "description" => (&mut it.description, MAX_EVIDENCE_BYTES),
        _ => return,
    };
    append_limited(dst, t, max);
}

/// The value of `key=` in the NVT's `tags` ("summary=…|insight=…|solution=…").
fn tag<'a>(tags: &'a str, key: &str) -> Option<&'a str> {
    tags.split('|').find_map(|kv| kv.split_once('=').filter(|(k, _)| k.trim() == key).map(|(_, v)| v.trim()))
}

type Skip = (ScanLocation, &'static str, &'static str);

fn finding(mut it: Item, producer: &mut Producer) -> Result<Result<ScanFinding, Skip>, ScanError> {
    let at = it.location.clone();
    let err = |field: &str, kind| ScanError::new(at.clone(), Some(field), kind);
    let host = opt_line(&it.host).ok_or_else(|| err("host", ScanErrorKind::MissingHost { hint: "result/host" }))?;
    let rule_id = opt_line(&it.oid).ok_or_else(|| err("oid", ScanErrorKind::Missing))?;
    let sev_text = it.severity.trim();
    let (severity, cvss_score) = if !sev_text.is_empty() {
        let v: f32 =
            sev_text.parse().map_err(|_| err("severity", ScanErrorKind::BadNumber { value: sev_text.to_string() }))?;
        if v < 0.0 {
            // -1 false positive, -2 error, -3 debug: overridden or not about the target.
            return Ok(Err((
                at,
                "mục bị đánh dấu dương tính giả hoặc không phải lỗ hổng (mức độ âm)",
                "marked false positive or not a vulnerability (negative severity)",
            )));
        }
        let s =
            score(sev_text).map_err(|_| err("severity", ScanErrorKind::BadNumber { value: sev_text.to_string() }))?;
        (Severity::from_cvss(s), Some(s))
    } else {
        let threat = it.threat.trim();
        if threat.eq_ignore_ascii_case("false positive") {
            return Ok(Err((at, "mục bị đánh dấu dương tính giả", "marked false positive")));
        }
        let allowed = "Critical, High, Medium, Low, Log, Debug";
        let sev = severity_word(threat)
            .ok_or_else(|| err("threat", ScanErrorKind::UnknownSeverity { value: threat.to_string(), allowed }))?;
        let cvss = score(&it.cvss_base).ok();
        (sev, cvss)
    };
    let port_text = it.port.trim();
    let (port_part, protocol) = port_text.split_once('/').unwrap_or((port_text, ""));
    let port = match port_part.parse::<u16>() {
        Ok(p) if p > 0 => Some(p),
        Ok(_) => None,
        Err(_) if port_part.bytes().all(|b| b.is_ascii_digit()) && !port_part.is_empty() => {
            return Err(err("port", ScanErrorKind::BadNumber { value: port_text.to_string() }));
        }
        Err(_) => None,
    };
    add_cves(&mut it.cves, &it.cve_text);
    tidy(&mut it.cves);
    add_xref(&mut it.references, &it.xref);
    let mut description = tag(&it.tags, "summary").unwrap_or("").to_string();
    if let Some(insight) = tag(&it.tags, "insight").filter(|s| !s.is_empty()) {
        description.push_str("\n\n");
        description.push_str(insight);
    }
    let solution = if it.solution.trim().is_empty() { tag(&it.tags, "solution").unwrap_or("") } else { &it.solution };
    let vector = opt_line(&it.vector).or_else(|| tag(&it.tags, "cvss_base_vector").and_then(opt_line));
    Ok(Ok(ScanFinding {
        tool: ScanTool::OpenVas,
        scope: producer.scope(&host),
        title: line(if it.name.trim().is_empty() { &rule_id } else { &it.name }, MAX_TITLE_BYTES),
        rule_id,
        severity,
        cvss_score,
        cvss_vector: vector,
        ip: host.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string()),
        host: Some(host),
        port,
        protocol: opt_line(protocol),
        target: None,
        component: port.is_none().then(|| opt_line(port_part)).flatten(),
        fixed_version: None,
        cves: it.cves,
        cwes: Vec::new(),
        description: block(&description, MAX_DESCRIPTION_BYTES),
        solution: block(solution, MAX_DESCRIPTION_BYTES),
        evidence: block(&it.description, MAX_EVIDENCE_BYTES),
        references: it.references,
        fingerprint: None,
        fingerprint_file: None,
        location: it.location,
    }))
}
