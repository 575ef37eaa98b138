//! Parts of the formats the sample files do not exercise.

use super::*;

fn parse(tool: ScanTool, input: &str) -> (Vec<ScanFinding>, ScanSummary) {
    parse_scan_to_vec(tool, input.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sarif_rules_artifacts_fingerprints_and_kinds() {
    let log = r#"{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "invocations": [{"startTimeUtc": "2026-05-01T02:03:04Z"}],
    "tool": {"driver": {"name": "CodeQL", "rules": [
      {"id": "js/xss", "shortDescription": {"text": "Reflected XSS"}, "help": {"text": "Encode output."},
       "properties": {"security-severity": "9.6", "tags": ["security", "external/cwe/cwe-079"]}},
      {"id": "js/weak", "defaultConfiguration": {"level": "note"},
       "relationships": [{"target": {"id": "CWE-327", "toolComponent": {"name": "CWE"}}}]}
    ]}},
    "artifacts": [{"location": {"uri": "src/app.js"}}],
    "results": [
      {"ruleIndex": 0, "message": {"text": "User input flows here."},
       "locations": [{"physicalLocation": {"artifactLocation": {"index": 0}, "region": {"startLine": 42, "snippet": {"text": "res.send(q)"}}}}],
       "fingerprints": {"b/v1": "2", "a/v1": "1"}},
      {"ruleId": "js/weak", "message": {"text": "MD5"}, "kind": "pass"},
      {"ruleId": "js/weak", "message": {"text": "SHA-1 used"}, "locations": [{"logicalLocations": [{"fullyQualifiedName": "lib.hash"}]}]}
    ]
  }]
}"#;
    let (fs, s) = parse(ScanTool::Sarif, log);
    assert_eq!((s.findings, s.skipped_count), (2, 1));
    assert_eq!(s.skipped[0].location.item.as_deref(), Some("runs[0].results[1]"));
    assert_eq!(s.scan_started, Some(t("2026-05-01T02:03:04Z")));
    let xss = &fs[0];
    assert_eq!((xss.rule_id.as_str(), xss.title.as_str()), ("js/xss", "Reflected XSS"));
    assert_eq!((xss.severity, xss.cvss_score), (Severity::Critical, Some(9.6)));
    assert_eq!(xss.cwes, [79]);
    assert_eq!(xss.component.as_deref(), Some("src/app.js:42"));
    assert_eq!((xss.evidence.as_str(), xss.solution.as_str()), ("res.send(q)", "Encode output."));
    assert_eq!(xss.fingerprint.as_deref(), Some("a/v1=1;b/v1=2"), "sorted by key");
    let weak = &fs[1];
    assert_eq!((weak.severity, weak.cwes.as_slice()), (Severity::Low, [327].as_slice()));
    assert_eq!(weak.component.as_deref(), Some("lib.hash"));
    assert_eq!(weak.fingerprint, None);
}

#[test]
fn trivy_unknown_severity_passed_checks_and_created_at() {
    let report = r#"{"SchemaVersion": 2, "CreatedAt": "2026-04-02T10:00:00.5+07:00", "ArtifactName": "img",
  "Results": [{"Target": "img (debian 12)", "Class": "os-pkgs",
    "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-0001", "PkgName": "libx", "InstalledVersion": "1.0",
      "Severity": "UNKNOWN", "CVSS": {"ghsa": {"V3Score": 7.1}, "nvd": {"V2Score": 5.0}}},
      {"VulnerabilityID": "GHSA-aaaa-bbbb-cccc", "PkgName": "liby", "Severity": "low", "CweIDs": null}],
    "Misconfigurations": [{"ID": "DS001", "Severity": "LOW", "Status": "PASS"}]}]}"#;
    let (fs, s) = parse(ScanTool::Trivy, report);
    assert_eq!((s.findings, s.skipped_count, s.hosts), (2, 1, 1));
    assert_eq!(s.scan_started, Some(t("2026-04-02T03:00:00.5Z")));
    // UNKNOWN goes by the score; a vendor's v3 wins over NVD's v2.
    assert_eq!((fs[0].severity, fs[0].cvss_score), (Severity::High, Some(7.1)));
    assert_eq!((fs[1].severity, fs[1].cves.len(), fs[1].component.as_deref()), (Severity::Low, 0, Some("liby")));
    // A clean image: no Results at all.
    let (fs, s) = parse(ScanTool::Trivy, r#"{"SchemaVersion": 2, "ArtifactName": "clean:1"}"#);
    assert_eq!((fs.len(), s.findings), (0, 0));
}

#[test]
fn openvas_false_positives_logs_and_general_ports() {
    let xml = r#"<get_reports_response status="200"><report id="r"><report id="r">
<scan_start>2025-01-02T03:04:05Z</scan_start>
<results>
<result id="a"><host>10.0.0.5<hostname>web</hostname></host><port>general/tcp</port>
  <nvt oid="1.3.6.1.4.1.25623.1.0.1"><name>OS End Of Life</name>
  <severities score="10.0"><severity type="cvss_base_v3"><value>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</value></severity></severities>
  <solution type="VendorFix">Upgrade the OS.</solution></nvt>
  <threat>High</threat><severity>10.0</severity></result>
<result id="b"><host>10.0.0.5</host><port>80/tcp</port><nvt oid="1.2"><name>fp</name></nvt><threat>False Positive</threat><severity>-1.0</severity></result>
<result id="c"><host>10.0.0.5</host><port>general/icmp</port><nvt oid="1.3"><name>Ping</name><cve>CVE-1999-0524</cve></nvt><threat>Log</threat><severity></severity></result>
</results></report></report></get_reports_response>"#;
    let (fs, s) = parse(ScanTool::OpenVas, xml);
    assert_eq!((s.findings, s.skipped_count), (2, 1));
    assert_eq!(s.skipped[0].location, ScanLocation::at(9, "results/result[2]"));
    assert_eq!(s.scan_started, Some(t("2025-01-02T03:04:05Z")));
    let eol = &fs[0];
    assert_eq!(
        (eol.severity, eol.port, eol.protocol.as_deref(), eol.component.as_deref()),
        (Severity::Critical, None, Some("tcp"), Some("general"))
    );
    assert_eq!(eol.cvss_vector.as_deref(), Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assert_eq!((eol.solution.as_str(), eol.ip.as_deref()), ("Upgrade the OS.", Some("10.0.0.5")));
    assert_eq!((fs[1].severity, fs[1].cves.as_slice()), (Severity::Info, ["CVE-1999-0524".to_string()].as_slice()));
}

#[test]
fn zap_json_single_site_object_and_old_xml_alerts() {
    let json = r#"{"@version": "2.5.0", "site": {"@name": "https://a.gov.vn", "@host": "a.gov.vn", "@port": 443, "@ssl": "true",
  "alerts": [{"pluginid": 10038, "alert": "CSP Header Not Set", "riskcode": 2, "cweid": "693",
    "desc": "<p>CSP &amp; more</p>", "instances": [{"uri": "https://a.gov.vn/", "method": "GET"}]}]}}"#;
    let (fs, _) = parse(ScanTool::Zap, json);
    let f = &fs[0];
    assert_eq!((f.rule_id.as_str(), f.title.as_str(), f.severity), ("10038", "CSP Header Not Set", Severity::Medium));
    assert_eq!((f.port, f.protocol.as_deref(), f.cwes.as_slice()), (Some(443), Some("https"), [693].as_slice()));
    assert_eq!((f.description.as_str(), f.evidence.as_str()), ("CSP & more", "GET https://a.gov.vn/"));
    let xml = "<OWASPZAPReport version=\"2.4.0\"><site name=\"http://b\" host=\"b\" port=\"80\" ssl=\"false\"><alerts><alertitem><pluginid>10020</pluginid><alert>X-Frame-Options</alert><riskcode>2</riskcode><uri>http://b/login</uri><param>X-Frame-Options</param></alertitem></alerts></site></OWASPZAPReport>";
    let (fs, _) = parse(ScanTool::Zap, xml);
    assert_eq!(fs[0].evidence, "http://b/login param=X-Frame-Options");
}

#[test]
fn vietnamese_texts_are_cut_on_character_boundaries() {
    let long = "Lỗ hổng nghiêm trọng trên cổng dịch vụ công trực tuyến. ".repeat(400);
    let xml = format!(
        "<NessusClientData_v2><Report name=\"r\"><ReportHost name=\"h\"><ReportItem port=\"443\" severity=\"3\" pluginID=\"1\" pluginName=\"{}\"><plugin_output>{long}</plugin_output><description>{long}</description></ReportItem></ReportHost></Report></NessusClientData_v2>",
        "Tiêu đề rất dài ".repeat(200)
    );
    let (fs, _) = parse(ScanTool::Nessus, &xml);
    let f = &fs[0];
    assert!(f.title.len() <= MAX_TITLE_BYTES && f.title.ends_with('…'));
    assert!(f.evidence.len() <= MAX_EVIDENCE_BYTES && f.evidence.ends_with('…'));
    assert!(f.description.len() <= MAX_DESCRIPTION_BYTES && f.description.starts_with("Lỗ hổng"));
}
