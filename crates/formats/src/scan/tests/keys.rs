//! Dedup keys that must not merge distinct findings, CVE ids inside texts, Trivy scores.

use super::*;

fn parse(tool: ScanTool, input: &str) -> (Vec<ScanFinding>, ScanSummary) {
    parse_scan_to_vec(tool, input.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn sarif_fingerprints_of_one_line_in_two_files_stay_two_findings() {
    // Flawfinder's contextHash/v1 hashes only the line of code: equal in both files.
    let log = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Flawfinder", "rules": [{"id": "FF1004"}, {"id": "FF1031"}]}},
  "results": [
    {"ruleId": "FF1004", "message": {"text": "strcpy"}, "fingerprints": {"contextHash/v1": "abc123"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a.c"}, "region": {"startLine": 10}}}]},
    {"ruleId": "FF1004", "message": {"text": "strcpy"}, "fingerprints": {"contextHash/v1": "abc123"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/b.c"}, "region": {"startLine": 99}}}]},
    {"ruleId": "FF1031", "message": {"text": "strcpy"}, "fingerprints": {"contextHash/v1": "abc123"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a.c"}, "region": {"startLine": 10}}}]}
  ]}]}"#;
    let (fs, _) = parse(ScanTool::Sarif, log);
    let keys: std::collections::HashSet<String> = fs.iter().map(|f| f.dedup_key("SYS")).collect();
    assert_eq!(keys.len(), 3, "same line in two files, or two rules on one line, are distinct findings");
    assert_eq!(fs[0].fingerprint.as_deref(), Some("contextHash/v1=abc123"));
    assert_eq!(fs[0].fingerprint_file.as_deref(), Some("src/a.c"));
    let parts = ["scan-v2", "sarif", "SYS", "fp", "FF1004", "src/a.c", "contextHash/v1=abc123"];
    assert_eq!(fs[0].dedup_key("SYS"), khien_domain::finding::finding_key(&parts), "the scan-v2 formula");
    // The line moved: the fingerprint still recognises it.
    let moved = log.replace("\"startLine\": 10}", "\"startLine\": 12}");
    let (again, _) = parse(ScanTool::Sarif, &moved);
    assert_eq!(again[0].dedup_key("SYS"), fs[0].dedup_key("SYS"));
}

#[test]
fn sarif_partial_fingerprints_keep_their_v1_keys() {
    let log = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "CodeQL"}}, "results": [
    {"ruleId": "js/xss", "message": {"text": "x"}, "partialFingerprints": {"primaryLocationLineHash": "h1"},
     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js"}, "region": {"startLine": 1}}}]}]}]}"#;
    let (fs, _) = parse(ScanTool::Sarif, log);
    assert_eq!(fs[0].fingerprint_file, None);
    let fp = "js/xss|a.js|primaryLocationLineHash=h1";
    assert_eq!(fs[0].fingerprint.as_deref(), Some(fp));
    assert_eq!(fs[0].dedup_key("SYS"), khien_domain::finding::finding_key(&["scan-v1", "sarif", "SYS", "fp", fp]));
}

#[test]
fn zap_alerts_sharing_a_plugin_id_stay_apart() {
    let xml = r#"<?xml version="1.0"?><OWASPZAPReport version="2.16.1">
<site name="https://app.example" host="app.example" port="443" ssl="true"><alerts>
<alertitem><pluginid>90028</pluginid><alertRef>90028</alertRef><alert>Insecure HTTP Method - MKCOL</alert><name>Insecure HTTP Method - MKCOL</name><riskcode>2</riskcode></alertitem>
<alertitem><pluginid>90028</pluginid><alertRef>90028</alertRef><alert>Insecure HTTP Method - COPY</alert><name>Insecure HTTP Method - COPY</name><riskcode>2</riskcode></alertitem>
</alerts></site></OWASPZAPReport>"#;
    let (fs, _) = parse(ScanTool::Zap, xml);
    assert_eq!(fs.len(), 2);
    assert_ne!(fs[0].dedup_key("SYS"), fs[1].dedup_key("SYS"));
    let json = r#"{"@version": "2.16.1", "site": [{"@name": "https://app.example", "@host": "app.example", "@port": "443", "@ssl": "true", "alerts": [
      {"pluginid": "90028", "alertRef": "90028", "name": "Insecure HTTP Method - PUT", "riskcode": "2"},
      {"pluginid": "90028", "alertRef": "90028", "name": "Insecure HTTP Method - PATCH", "riskcode": "2"}]}]}"#;
    let (fs, _) = parse(ScanTool::Zap, json);
    assert_ne!(fs[0].dedup_key("SYS"), fs[1].dedup_key("SYS"));
    let f = &fs[0];
    let parts = [
        "scan-v2",
        "zap",
        "SYS",
        "app.example",
        "443",
        "https",
        "",
        "90028",
        "",
        "https://app.example",
        "medium",
        "Insecure HTTP Method - PUT",
    ];
    assert_eq!(f.dedup_key("SYS"), khien_domain::finding::finding_key(&parts), "the ZAP scan-v2 formula");
}

#[test]
fn cve_ids_inside_rule_ids_messages_and_properties() {
    let log = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Grype", "rules": [
      {"id": "CVE-2008-0732-geronimo-jetty", "properties": {"security-severity": "5.0", "purl": "pkg:maven/jetty", "aliases": ["CVE-2011-1111"]}}]}},
  "results": [
    {"ruleId": "CVE-2008-0732-geronimo-jetty", "message": {"text": "jetty 6.1 is vulnerable (CVE-2008-0732, see cve-2009-0002)."},
     "properties": {"related": {"ids": ["GHSA-xxxx", "CVE-2008-0732"]}}},
    {"ruleId": "R2", "message": {"text": "nothing here"}}
  ]}]}"#;
    let (fs, _) = parse(ScanTool::Sarif, log);
    assert_eq!(fs[0].cves, ["CVE-2008-0732", "CVE-2009-0002", "CVE-2011-1111"]);
    assert!(fs[1].cves.is_empty());
    // The SARIF key keeps its v1 formula: the CVE of the rule id as a whole word only.
    let f = &fs[0];
    let parts = ["scan-v1", "sarif", "S", "", "", "", "", f.rule_id.as_str(), "", ""];
    assert_eq!(f.dedup_key("S"), khien_domain::finding::finding_key(&parts));
    // OpenVAS and Trivy go through the same helper.
    let report = r#"<report format_id="x"><results><result><host>h</host><port>80/tcp</port><nvt oid="1.2"><name>N</name><cve>CVE-2014-3566,CVE-2011-3389</cve>
      <refs><ref type="cve" id="CVE-2012-0001"/></refs></nvt><threat>Low</threat><severity>2.0</severity></result></results></report>"#;
    let (fs, _) = parse(ScanTool::OpenVas, report);
    assert_eq!(fs[0].cves, ["CVE-2011-3389", "CVE-2012-0001", "CVE-2014-3566"]);
}

#[test]
fn trivy_score_follows_the_severity_source() {
    let report = r#"{"SchemaVersion": 2, "ArtifactName": "img", "ArtifactType": "container_image", "Results": [{"Target": "img (rhel 9)",
    "Vulnerabilities": [
      {"VulnerabilityID": "CVE-2024-1000", "PkgName": "a", "Severity": "MEDIUM", "SeveritySource": "redhat",
       "CVSS": {"nvd": {"V3Score": 9.8, "V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
                "redhat": {"V3Score": 5.3, "V3Vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}}},
      {"VulnerabilityID": "CVE-2024-1001", "PkgName": "b", "Severity": "HIGH", "SeveritySource": "ghsa",
       "CVSS": {"nvd": {"V3Score": 5.0}, "ghsa": {"V40Score": 8.7, "V40Vector": "CVSS:4.0/AV:N/AC:L"}}},
      {"VulnerabilityID": "CVE-2024-1002", "PkgName": "c", "Severity": "HIGH", "SeveritySource": "debian",
       "CVSS": {"ghsa": {"V3Score": 7.5}, "nvd": {"V3Score": 8.1, "V2Score": 6.0}}},
      {"VulnerabilityID": "CVE-2024-1003", "PkgName": "d", "Severity": "UNKNOWN",
       "CVSS": {"ghsa": {"V40Score": 9.3, "V40Vector": "CVSS:4.0/AV:N"}}},
      {"VulnerabilityID": "CVE-2024-1004", "PkgName": "e", "Severity": "LOW", "SeveritySource": "redhat",
       "CVSS": {"redhat": {"V2Score": 2.6}, "nvd": {"V3Score": 3.1}}}
    ]}]}"#;
    let (fs, _) = parse(ScanTool::Trivy, report);
    let got: Vec<(Option<f32>, Severity)> = fs.iter().map(|f| (f.cvss_score, f.severity)).collect();
    assert_eq!(
        got,
        [
            (Some(5.3), Severity::Medium),
            (Some(8.7), Severity::High),
            (Some(8.1), Severity::High),
            (Some(9.3), Severity::Critical),
            (Some(2.6), Severity::Low),
        ]
    );
    assert_eq!(fs[0].cvss_vector.as_deref(), Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"));
    assert_eq!(fs[1].cvss_vector.as_deref(), Some("CVSS:4.0/AV:N/AC:L"));
}
