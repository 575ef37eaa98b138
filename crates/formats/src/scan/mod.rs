//! Reports of vulnerability scanners, read as a stream: Nessus `.nessus` v2, OpenVAS /
//! Greenbone XML, SARIF 2.1.0, Trivy JSON and OWASP ZAP (XML and JSON). Pure: the only
//! input is the `BufRead` given, the only output the findings handed to the caller's sink.
//!
//! [`parse_scan`] hands each finding to a callback as soon as its item has been read, so a
//! caller can write them to the database in batches while the file is still being read; the
//! file never sits whole in memory (XML is read event by event with one reused buffer, JSON
//! arrays element by element). **An `Err` can come after findings were handed over** (a file
//! cut short is only noticed at its end): run the sink inside a transaction and keep nothing
//! unless `parse_scan` returns `Ok`.
//!
//! Hostile input is refused with an error naming the line (and column), the item and the
//! field, in Vietnamese and English: any XML `<!DOCTYPE>` (DTDs and entities are never
//! expanded), a text node, attribute list or JSON string longer than [`MAX_TEXT_BYTES`], a
//! truncated file, an item without a host, unknown severities, a SARIF `version` other than
//! 2.1.0. Kept texts are cut on a character boundary at [`MAX_TITLE_BYTES`],
//! [`MAX_DESCRIPTION_BYTES`] and [`MAX_EVIDENCE_BYTES`].
//!
//! Reference links ([`ScanFinding::references`]): Nessus `see_also`, OpenVAS
//! `refs/ref[@type="url"]` (and the `URL:` entries of old reports' `xref`), the SARIF rule's
//! `helpUri`, Trivy `PrimaryURL` then `References`, ZAP `reference`. Secrets are never kept:
//! see [`mask_secret`] and the `secret` module (SARIF `properties.offender` masked
//! everywhere, secret scanners' snippets and Trivy `Match` token-masked, PEM private key
//! bodies in any evidence replaced by `[…]`).
//!
//! Severities: Nessus 0–4 and ZAP riskcode 0–3 map one to one (0 is `Info`: informational
//! items are findings too); OpenVAS, Trivy `UNKNOWN` and SARIF `security-severity` go by the
//! CVSS v3 bands of [`Severity::from_cvss`]; SARIF levels map `error` → High, `warning` →
//! Medium, `note` → Low, `none` → Info. Only items that cannot be a finding are skipped (and
//! listed in [`ScanSummary::skipped`]): OpenVAS results overridden as false positives, Trivy
//! vulnerabilities without an id and passed misconfiguration checks, SARIF results of kind
//! `pass` or `notApplicable`.
//!
//! Limits of streaming: SARIF `tool` must come before `results` in a run (as every tool
//! writes it) for findings to get their rule's texts and level; a Trivy result's `Target`
//! and a ZAP site's `@host` before their arrays. A SARIF `version` after `runs` is still
//! checked, at the end. Each finding's [`ScanFinding::scope`] (which producer looked at
//! which target) is fixed from what precedes the items: SARIF run data written after
//! `results`, a Trivy `ArtifactName` after `Results`, an OpenVAS task after the first result
//! do not count. [`ScanSummary::scopes`] lists every scope covered, clean targets included.
//!
//! A file whose first bytes [`ScanTool::detect`] recognises as another tool's report is
//! refused before reading ([`ScanErrorKind::WrongTool`]), naming the tool to choose.

mod error;
mod input;
mod json;
mod model;
mod nessus;
mod openvas;
mod refs;
mod sarif;
mod secret;
mod synthetic;
mod text;
mod trivy;
mod xml;
mod zap;

use std::io::BufRead;

use khien_domain::finding::Severity;
use khien_domain::Lang;

pub use error::{ScanError, ScanErrorKind};
pub use model::{ScanFinding, ScanLocation, ScanSummary, Skipped, MAX_HOSTS_COUNTED, MAX_SCOPES, MAX_SKIPPED_LISTED};
pub use secret::mask_secret;
pub use synthetic::{synthetic_nessus, write_synthetic_nessus};

/// Longest text node, start tag (with its attributes) or JSON string accepted, in bytes.
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// Longest kept title, rule id, host, component and other one-line texts, in bytes.
pub const MAX_TITLE_BYTES: usize = 1024;
/// Longest kept description and solution, in bytes.
pub const MAX_DESCRIPTION_BYTES: usize = 64 * 1024;
/// Longest kept evidence (plugin output, matched text, request), in bytes.
pub const MAX_EVIDENCE_BYTES: usize = 8 * 1024;
/// Most CVE ids kept per finding (and CWE ids).
pub const MAX_IDS: usize = 1000;
/// Most reference URLs kept per finding (the first ones the tool gives).
pub const MAX_REFERENCES: usize = 10;
/// Longest reference URL kept, in bytes; a longer one is dropped, not cut.
pub const MAX_REFERENCE_BYTES: usize = 500;

/// The scanners whose reports are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScanTool {
    Nessus,
    OpenVas,
    Sarif,
    Trivy,
    Zap,
}

impl ScanTool {
    pub const ALL: &'static [ScanTool] =
        &[ScanTool::Nessus, ScanTool::OpenVas, ScanTool::Sarif, ScanTool::Trivy, ScanTool::Zap];

    pub fn code(self) -> &'static str {
        match self {
            ScanTool::Nessus => "nessus",
            ScanTool::OpenVas => "openvas",
            ScanTool::Sarif => "sarif",
            ScanTool::Trivy => "trivy",
            ScanTool::Zap => "zap",
        }
    }

    pub fn parse(code: &str) -> Option<ScanTool> {
        let code = code.trim();
        Self::ALL.iter().copied().find(|t| t.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ScanTool::Nessus => "Nessus (.nessus v2)",
            ScanTool::OpenVas => "OpenVAS / Greenbone (XML)",
            ScanTool::Sarif => "SARIF 2.1.0",
            ScanTool::Trivy => "Trivy (JSON)",
            ScanTool::Zap => lang.pick("OWASP ZAP (XML hoặc JSON)", "OWASP ZAP (XML or JSON)"),
        }
    }

    /// Guesses the tool from the file's first bytes (a few KiB are enough), falling back to
    /// its extension (`.nessus`, `.sarif`). `None` when neither says.
    pub fn detect(file_name: &str, first_bytes: &[u8]) -> Option<ScanTool> {
        let head = first_bytes.get(..64 * 1024).unwrap_or(first_bytes);
        let head = head.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(head);
        let text = String::from_utf8_lossy(head);
        let t = text.trim_start();
        let has = |s: &str| t.contains(s);
        if t.starts_with('<') {
            if has("<NessusClientData_v2") {
                return Some(ScanTool::Nessus);
            }
            if has("<OWASPZAPReport") {
                return Some(ScanTool::Zap);
            }
            let gvm = ["format_id=", "<results", "<scan_run_status", "<gmp>", "<omp>", "get_reports_response"];
            if has("<report") && gvm.iter().any(|m| has(m)) {
                return Some(ScanTool::OpenVas);
            }
        } else if t.starts_with('{') || t.starts_with('[') {
            if has("\"runs\"") && (has("sarif") || has("\"version\"")) {
                return Some(ScanTool::Sarif);
            }
            if (has("\"@version\"") && has("\"site\"")) || (has("\"alerts\"") && has("\"riskcode\"")) {
                return Some(ScanTool::Zap);
            }
            let trivy = ["\"SchemaVersion\"", "\"ArtifactName\"", "\"VulnerabilityID\"", "\"ClusterName\""];
            if trivy.iter().any(|m| has(m)) || (has("\"Target\"") && has("\"Vulnerabilities\"")) {
                return Some(ScanTool::Trivy);
            }
        }
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".nessus") {
            Some(ScanTool::Nessus)
        } else if lower.ends_with(".sarif") || lower.ends_with(".sarif.json") {
            Some(ScanTool::Sarif)
        } else {
            None
        }
    }
}

/// Reads a whole report of `tool` from `reader`, handing each finding to `sink` as soon as
/// it is read. An error returned by the sink stops the parse and is returned as is (its
/// location filled in with the item's when empty). See the module documentation for what an
/// `Err` after some findings means.
///
/// First the bytes the reader has buffered are looked at (without consuming them): when
/// [`ScanTool::detect`] recognises them as a report of another tool, the parse fails at once
/// with [`ScanErrorKind::WrongTool`], naming the tool to choose. Content it does not
/// recognise is left to the chosen tool's reader.
pub fn parse_scan<R: BufRead>(
    tool: ScanTool,
    mut reader: R,
    sink: &mut dyn FnMut(ScanFinding) -> Result<(), ScanError>,
) -> Result<ScanSummary, ScanError> {
    let head = reader
        .fill_buf()
        .map_err(|e| ScanError::new(ScanLocation::default(), None, ScanErrorKind::Io { detail: e.to_string() }))?;
    if let Some(detected) = ScanTool::detect("", head).filter(|d| *d != tool) {
        return Err(ScanError::new(ScanLocation::default(), None, ScanErrorKind::WrongTool { chosen: tool, detected }));
    }
    let mut out = model::Out::new(tool, sink);
    match tool {
        ScanTool::Nessus => nessus::parse(reader, &mut out)?,
        ScanTool::OpenVas => openvas::parse(reader, &mut out)?,
        ScanTool::Zap if zap::is_json(&mut reader)? => return json::run(reader, out, zap::JsonTop),
        ScanTool::Zap => zap::parse_xml(reader, &mut out)?,
        ScanTool::Sarif => return json::run(reader, out, sarif::Top),
        ScanTool::Trivy => return json::run(reader, out, trivy::Top),
    }
    Ok(out.finish())
}

/// Collects every finding of a report in memory: for tests and small files only.
pub fn parse_scan_to_vec<R: BufRead>(tool: ScanTool, reader: R) -> Result<(Vec<ScanFinding>, ScanSummary), ScanError> {
    let mut all = Vec::new();
    let summary = parse_scan(tool, reader, &mut |f| {
        all.push(f);
        Ok(())
    })?;
    Ok((all, summary))
}

/// Maps a severity word as scanners write it ("Critical", "HIGH", "moderate", "info", "log",
/// "none") to a severity; `None` for anything else.
pub(crate) fn severity_word(s: &str) -> Option<Severity> {
    match s.trim().to_ascii_lowercase().as_str() {
        "critical" => Some(Severity::Critical),
        "high" | "important" => Some(Severity::High),
        "medium" | "moderate" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        "info" | "informational" | "information" | "none" | "log" | "debug" => Some(Severity::Info),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
