//! Nessus `.nessus` v2: `NessusClientData_v2/Report/ReportHost` (name, `HostProperties`
//! tags) and its `ReportItem`s (attributes port, protocol, svc_name, pluginID, pluginName,
//! severity 0–4; children cve, cwe, cvss3_base_score, cvss3_vector, cvss_base_score,
//! cvss_vector, synopsis, description, solution, plugin_output, risk_factor, see_also).
//! Scope (see [`ScanFinding::scope`]): `nessus|<Policy/policyName>|<host>` for every
//! ReportHost, with or without items (the policy comes first in the file, as Nessus writes it).

use std::io::BufRead;

use chrono::{DateTime, NaiveDateTime, Utc};
use khien_domain::finding::Severity;

use super::error::ScanErrorKind;
use super::model::{scope_of, Out, ScanLocation};
use super::refs::add_references;
use super::text::{add_cves, append_limited, block, cwe, line, opt_line, score, tidy};
use super::xml::{attr, Ev, Xml};
use super::{ScanError, ScanFinding, ScanTool};
use super::{MAX_DESCRIPTION_BYTES, MAX_EVIDENCE_BYTES, MAX_TITLE_BYTES};

const ROOT: &str = "NessusClientData_v2";

#[derive(Default)]
struct Host {
    name: Option<String>,
    ip: Option<String>,
    index: usize,
    items: usize,
    /// The HostProperties tag being read: its name and text.
    tag: Option<(String, String)>,
}

#[derive(Default)]
struct Item {
    depth: usize,
    location: ScanLocation,
    attrs: Vec<(String, String)>,
    cves: Vec<String>,
    cwes: Vec<u32>,
    cvss3: String,
    cvss3_vector: String,
    cvss2: String,
    cvss2_vector: String,
    plugin_name: String,
    synopsis: String,
    description: String,
    solution: String,
    output: String,
    risk_factor: String,
    /// `see_also`: reference URLs, one a line.
    see_also: String,
    /// Text of the current child when it is a cve or cwe (one id per element).
    id_text: String,
}

pub(super) fn parse<R: BufRead>(reader: R, out: &mut Out<'_>) -> Result<(), ScanError> {
    let mut x = Xml::new(reader)?;
    let mut host: Option<Host> = None;
    let mut hosts = 0usize;
    let mut item: Option<Item> = None;
    let mut times = Times::default();
    let mut policy = String::new();
    loop {
        match x.next()? {
            Ev::Eof => {
                if let Some(t) = times.stamp.or(times.text) {
                    out.started(t);
                }
                return Ok(());
            }
            Ev::Start { name, attrs, line } => {
                let depth = x.depth();
                if depth == 1 && name != ROOT {
                    let at = ScanLocation::at(line, "");
                    return Err(ScanError::new(at, None, ScanErrorKind::WrongRoot { expected: ROOT, found: name }));
                }
                if let Some(it) = item.as_mut() {
                    if depth == it.depth + 1 {
                        it.id_text.clear();
                    }
                    continue;
                }
                match name.as_str() {
                    "ReportHost" => {
                        hosts += 1;
                        let name = attr(&attrs, "name").and_then(opt_line);
                        host = Some(Host { name, index: hosts, ..Host::default() });
                    }
                    "tag" if x.name_at(depth - 1) == Some("HostProperties") => {
                        if let Some(h) = host.as_mut() {
                            h.tag = Some((attr(&attrs, "name").unwrap_or("").to_string(), String::new()));
                        }
                    }
                    "ReportItem" => {
                        let path = match host.as_mut() {
                            Some(h) => {
                                h.items += 1;
                                format!("ReportHost[{}]/ReportItem[{}]", h.index, h.items)
                            }
                            None => "ReportItem".to_string(),
                        };
                        item = Some(Item { depth, location: ScanLocation::at(line, path), attrs, ..Item::default() });
                    }
                    _ => {}
                }
            }
            Ev::Text(t) => {
                if let Some(it) = item.as_mut() {
                    if x.depth() == it.depth + 1 {
                        item_text(it, x.current().unwrap_or(""), &t);
                    }
                } else if let Some((_, v)) = host.as_mut().and_then(|h| h.tag.as_mut()) {
                    append_limited(v, &t, MAX_TITLE_BYTES);
                } else if x.current() == Some("policyName") && x.name_at(x.depth().saturating_sub(1)) == Some("Policy")
                {
                    append_limited(&mut policy, &t, MAX_TITLE_BYTES);
                }
            }
            Ev::End(name) => {
                let depth = x.depth();
                if let Some(it) = item.as_mut() {
                    if depth < it.depth {
                        if let Some(it) = item.take() {
                            out.emit(finding(it, host.as_ref(), &policy)?)?;
                        }
                    } else if depth == it.depth {
                        // A child of the item closed; a cve or cwe holds one id.
                        let text = std::mem::take(&mut it.id_text);
                        match name.as_str() {
                            "cve" => add_cves(&mut it.cves, &text),
                            "cwe" => it.cwes.extend(cwe(&text)),
                            _ => {}
                        }
                    }
                    continue;
                }
                match name.as_str() {
                    "tag" => {
                        if let Some((tag, value)) = host.as_mut().and_then(|h| h.tag.take()) {
                            host_tag(host.as_mut(), &mut times, &tag, &value);
                        }
                    }
                    "ReportHost" => {
                        if let Some(name) = host.take().and_then(|h| h.name.or(h.ip)) {
                            out.cover(&scope_of(ScanTool::Nessus, &[&policy, &name]));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

fn item_text(it: &mut Item, child: &str, t: &str) {
    let (dst, max) = match child {
        "cve" | "cwe" => (&mut it.id_text, 64),
        "cvss3_base_score" => (&mut it.cvss3, 64),
        "cvss3_vector" => (&mut it.cvss3_vector, MAX_TITLE_BYTES),
        "cvss_base_score" => (&mut it.cvss2, 64),
        "cvss_vector" => (&mut it.cvss2_vector, MAX_TITLE_BYTES),
        "plugin_name" => (&mut it.plugin_name, MAX_TITLE_BYTES),
        "synopsis" => (&mut it.synopsis, MAX_DESCRIPTION_BYTES),
        "description" => (&mut it.description, MAX_DESCRIPTION_BYTES),
        "solution" => (&mut it.solution, MAX_DESCRIPTION_BYTES),
        "plugin_output" => (&mut it.output, MAX_EVIDENCE_BYTES),
        "risk_factor" => (&mut it.risk_factor, 64),
        "see_also" => (&mut it.see_also, MAX_DESCRIPTION_BYTES),
        _ => return,
    };
    append_limited(dst, t, max);
}

/// Earliest host start: from HOST_START_TIMESTAMP, and from HOST_START text (used only
/// when no timestamp is given: the text has no zone and is read as UTC).
#[derive(Default)]
struct Times {
    stamp: Option<DateTime<Utc>>,
    text: Option<DateTime<Utc>>,
}

fn earliest(slot: &mut Option<DateTime<Utc>>, t: DateTime<Utc>) {
    if slot.is_none_or(|old| t < old) {
        *slot = Some(t);
    }
}

fn host_tag(host: Option<&mut Host>, times: &mut Times, name: &str, value: &str) {
    let v = value.trim();
    match name {
        "host-ip" => {
            if let Some(h) = host {
                h.ip = opt_line(v);
            }
        }
        "HOST_START_TIMESTAMP" => {
            if let Some(t) = v.parse::<i64>().ok().and_then(|s| DateTime::from_timestamp(s, 0)) {
                earliest(&mut times.stamp, t);
            }
        }
        "HOST_START" => {
            // "Mon Jul  1 11:33:11 2013"
            let squeezed = v.split_whitespace().collect::<Vec<_>>().join(" ");
            if let Ok(t) = NaiveDateTime::parse_from_str(&squeezed, "%a %b %d %H:%M:%S %Y") {
                earliest(&mut times.text, t.and_utc());
            }
        }
        _ => {}
    }
}

fn finding(it: Item, host: Option<&Host>, policy: &str) -> Result<ScanFinding, ScanError> {
    let at = it.location.clone();
    let err = |field: &str, kind| ScanError::new(at.clone(), Some(field), kind);
    let host_name = host.and_then(|h| h.name.clone().or_else(|| h.ip.clone()));
    let Some(host_name) = host_name else {
        return Err(err("host", ScanErrorKind::MissingHost { hint: "ReportHost name, host-ip" }));
    };
    let get = |k: &str| attr(&it.attrs, k).map(str::trim).filter(|v| !v.is_empty());
    let rule_id =
        get("pluginID").map(|v| line(v, MAX_TITLE_BYTES)).ok_or_else(|| err("pluginID", ScanErrorKind::Missing))?;
    let severity = match (get("severity"), it.risk_factor.trim()) {
        (Some(s), _) => severity_code(s).ok_or_else(|| {
            err("severity", ScanErrorKind::UnknownSeverity { value: s.to_string(), allowed: "0, 1, 2, 3, 4" })
        })?,
        (None, rf) if !rf.is_empty() => super::severity_word(rf).ok_or_else(|| {
            let allowed = "None, Low, Medium, High, Critical";
            err("risk_factor", ScanErrorKind::UnknownSeverity { value: rf.to_string(), allowed })
        })?,
        (None, _) => return Err(err("severity", ScanErrorKind::Missing)),
    };
    let port = match get("port") {
        Some(p) => {
            let n = p.parse::<u16>().map_err(|_| err("port", ScanErrorKind::BadNumber { value: p.to_string() }))?;
            (n != 0).then_some(n)
        }
        None => None,
    };
    let parse_score = |field: &str, v: &str| -> Result<Option<f32>, ScanError> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        score(v).map(Some).map_err(|_| err(field, ScanErrorKind::BadNumber { value: v.trim().to_string() }))
    };
    let (cvss_score, cvss_vector) = match parse_score("cvss3_base_score", &it.cvss3)? {
        Some(s) => (Some(s), opt_line(&it.cvss3_vector)),
        None => (parse_score("cvss_base_score", &it.cvss2)?, opt_line(&it.cvss2_vector)),
    };
    let title = get("pluginName").map(str::to_string).unwrap_or_else(|| it.plugin_name.clone());
    let description = if it.description.trim().is_empty() { &it.synopsis } else { &it.description };
    let (mut cves, mut cwes) = (it.cves, it.cwes);
    tidy(&mut cves);
    tidy(&mut cwes);
    let mut references = Vec::new();
    add_references(&mut references, &it.see_also);
    Ok(ScanFinding {
        tool: ScanTool::Nessus,
        scope: scope_of(ScanTool::Nessus, &[policy, &host_name]),
        title: line(if title.trim().is_empty() { &rule_id } else { &title }, MAX_TITLE_BYTES),
        rule_id,
        severity,
        cvss_score,
        cvss_vector,
        host: Some(host_name),
        ip: host.and_then(|h| h.ip.clone()),
        port,
        protocol: get("protocol").and_then(opt_line),
        target: None,
        component: get("svc_name").and_then(opt_line),
        fixed_version: None,
        cves,
        cwes,
        description: block(description, MAX_DESCRIPTION_BYTES),
        solution: block(&it.solution, MAX_DESCRIPTION_BYTES),
        evidence: block(&it.output, MAX_EVIDENCE_BYTES),
        references,
        fingerprint: None,
        fingerprint_file: None,
        location: it.location,
    })
}

fn severity_code(s: &str) -> Option<Severity> {
    match s {
        "0" => Some(Severity::Info),
        "1" => Some(Severity::Low),
        "2" => Some(Severity::Medium),
        "3" => Some(Severity::High),
        "4" => Some(Severity::Critical),
        _ => None,
    }
}
