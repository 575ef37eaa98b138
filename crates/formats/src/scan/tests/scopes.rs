//! Producer scopes: which target each report speaks for, with or without findings.

use super::*;

fn parse(tool: ScanTool, input: &str) -> (Vec<ScanFinding>, ScanSummary) {
    parse_scan_to_vec(tool, input.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn scopes(s: &ScanSummary) -> Vec<&str> {
    s.scopes.iter().map(String::as_str).collect()
}

fn sarif(driver: &str, run_extra: &str, results: &str) -> String {
    format!(
        r#"{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "{driver}", "version": "1.0"}}}}{run_extra},
  "results": [{results}]}}]}}"#
    )
}

const ONE_RESULT: &str = r#"{"ruleId": "R1", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.c"}, "region": {"startLine": 3}}}]}"#;

#[test]
fn sarif_runs_of_different_drivers_have_different_scopes() {
    let (g, gs) = parse(ScanTool::Sarif, &sarif("Grype", "", ONE_RESULT));
    let (s, ss) = parse(ScanTool::Sarif, &sarif("SpotBugs", "", ONE_RESULT));
    assert_eq!(g[0].scope, "sarif|grype|");
    assert_eq!(s[0].scope, "sarif|spotbugs|");
    assert_eq!(scopes(&gs), ["sarif|grype|"]);
    assert_eq!(scopes(&ss), ["sarif|spotbugs|"]);
    // A newer version of the tool keeps its scope.
    let (n, _) = parse(ScanTool::Sarif, &sarif("Grype", "", ONE_RESULT).replace("\"1.0\"", "\"2.0\""));
    assert_eq!(n[0].scope, g[0].scope);
}

#[test]
fn sarif_scope_names_the_repository_or_automation_and_clean_runs_count() {
    let vcp = r#", "versionControlProvenance": [{"repositoryUri": "https://git.example/app.git"}, {"repositoryUri": "https://git.example/other.git"}]"#;
    let (f, _) = parse(ScanTool::Sarif, &sarif(" CodeQL ", vcp, ONE_RESULT));
    assert_eq!(f[0].scope, "sarif|codeql|https://git.example/app.git");
    let auto = r#", "automationDetails": {"id": "nightly/api/"}"#;
    let (f, _) = parse(ScanTool::Sarif, &sarif("CodeQL", auto, ONE_RESULT));
    assert_eq!(f[0].scope, "sarif|codeql|nightly/api/");
    // Two runs: one scope each; a run without results still covers its scope.
    let log = r#"{"version": "2.1.0", "runs": [
      {"tool": {"driver": {"name": "Semgrep"}}, "results": []},
      {"tool": {"driver": {"name": "Flawfinder"}}, "results": [{"ruleId": "FF1", "message": {"text": "x"}}]},
      {"tool": {"driver": {"name": "Bandit"}}}
    ]}"#;
    let (fs, s) = parse(ScanTool::Sarif, log);
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].scope, "sarif|flawfinder|");
    assert_eq!(scopes(&s), ["sarif|bandit|", "sarif|flawfinder|", "sarif|semgrep|"]);
    // Run data after the results does not change the scope (fixed when results begin).
    let late = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "CodeQL"}}, "results": [{"ruleId": "R", "message": {"text": "x"}}],
      "automationDetails": {"id": "late"}}]}"#;
    let (fs, s) = parse(ScanTool::Sarif, late);
    assert_eq!(fs[0].scope, "sarif|codeql|");
    assert_eq!(scopes(&s), ["sarif|codeql|"]);
}

fn trivy(kind: &str, name: &str, results: &str) -> String {
    format!(r#"{{"SchemaVersion": 2, "ArtifactName": "{name}", "ArtifactType": "{kind}", "Results": [{results}]}}"#)
}

const VULN: &str =
    r#"{"Target": "t", "Vulnerabilities": [{"VulnerabilityID": "CVE-2024-0001", "PkgName": "p", "Severity": "LOW"}]}"#;

#[test]
fn trivy_scopes_by_artifact_and_clean_reports_still_count() {
    let (a, sa) = parse(ScanTool::Trivy, &trivy("container_image", "registry.local/api:1.2", VULN));
    let (b, sb) = parse(ScanTool::Trivy, &trivy("container_image", "registry.local/web:3.0", VULN));
    assert_eq!(a[0].scope, "trivy|container_image|registry.local/api:1.2");
    assert_eq!(b[0].scope, "trivy|container_image|registry.local/web:3.0");
    assert_eq!(scopes(&sa), [a[0].scope.as_str()]);
    assert_eq!(scopes(&sb), [b[0].scope.as_str()]);
    let (fs, clean) = parse(
        ScanTool::Trivy,
        &trivy("container_image", "registry.local/api:1.3", r#"{"Target": "t", "Class": "os-pkgs"}"#),
    );
    assert!(fs.is_empty());
    assert_eq!(scopes(&clean), ["trivy|container_image|registry.local/api:1.3"]);
    let (_, no_results) =
        parse(ScanTool::Trivy, r#"{"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem"}"#);
    assert_eq!(scopes(&no_results), ["trivy|filesystem|."]);
    let (fs, k) = parse(
        ScanTool::Trivy,
        r#"{"ClusterName": "prod", "Resources": [{"Namespace": "ns", "Kind": "Pod", "Name": "p",
      "Results": [{"Target": "x", "Misconfigurations": [{"ID": "KSV001", "Severity": "LOW", "Status": "FAIL"}]}]}]}"#,
    );
    assert_eq!((fs[0].scope.as_str(), scopes(&k)), ("trivy|kubernetes|prod", vec!["trivy|kubernetes|prod"]));
    let (fs, _) = parse(ScanTool::Trivy, &format!("[{VULN}]"));
    assert_eq!(fs[0].scope, "trivy||");
}

#[test]
fn nessus_hosts_without_items_are_in_the_scopes() {
    let xml = r#"<?xml version="1.0"?>
<NessusClientData_v2>
<Policy><policyName> Quét  hằng tháng </policyName><Preferences/></Policy>
<Report name="r">
<ReportHost name="10.0.0.1"><HostProperties><tag name="host-ip">10.0.0.1</tag></HostProperties>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="19506" pluginName="Nessus Scan Information"/>
</ReportHost>
<ReportHost name="10.0.0.2"><HostProperties><tag name="host-ip">10.0.0.2</tag></HostProperties></ReportHost>
<ReportHost><HostProperties><tag name="host-ip">10.0.0.3</tag></HostProperties></ReportHost>
</Report>
</NessusClientData_v2>"#;
    let (fs, s) = parse(ScanTool::Nessus, xml);
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].scope, "nessus|Quét hằng tháng|10.0.0.1");
    assert_eq!(
        scopes(&s),
        ["nessus|Quét hằng tháng|10.0.0.1", "nessus|Quét hằng tháng|10.0.0.2", "nessus|Quét hằng tháng|10.0.0.3"]
    );
}

#[test]
fn openvas_scopes_by_config_or_task_and_listed_hosts() {
    let report = |task: &str| {
        format!(
            r#"<report id="r" format_id="x"><report id="r"><task id="t"><name>{task}</name></task>
<results><result id="1"><host>10.0.0.5</host><port>80/tcp</port><nvt oid="1.3.6.1"><name>N</name></nvt><threat>Medium</threat><severity>5.0</severity></result>
<result id="2"><host>10.0.0.6</host><port>80/tcp</port><nvt oid="1.3.6.2"><name>N</name></nvt><threat>Medium</threat><severity>-1</severity></result></results>
<host><ip>10.0.0.5</ip></host><host><ip>10.0.0.7</ip><start>2026-01-01T00:00:00Z</start></host>
</report></report>"#
        )
    };
    let (fs, s) = parse(ScanTool::OpenVas, &report("Weekly DMZ"));
    assert_eq!(fs[0].scope, "openvas|Weekly DMZ|10.0.0.5");
    assert_eq!(
        scopes(&s),
        ["openvas|Weekly DMZ|10.0.0.5", "openvas|Weekly DMZ|10.0.0.6", "openvas|Weekly DMZ|10.0.0.7"]
    );
    let with_config = report("Weekly DMZ")
        .replace("</name></task>", r#"</name><config id="c"><name>Full and fast</name></config></task>"#);
    let (fs, _) = parse(ScanTool::OpenVas, &with_config);
    assert_eq!(fs[0].scope, "openvas|Full and fast|10.0.0.5");
}

#[test]
fn zap_scopes_by_site_with_or_without_alerts() {
    let xml = r#"<?xml version="1.0"?><OWASPZAPReport version="2.16.1">
<site name="https://app.example:443" host="app.example" port="443" ssl="true"><alerts>
<alertitem><pluginid>10038</pluginid><alert>CSP</alert><riskcode>2</riskcode></alertitem></alerts></site>
<site name="" host="quiet.example" port="80" ssl="false"><alerts></alerts></site>
</OWASPZAPReport>"#;
    let (fs, s) = parse(ScanTool::Zap, xml);
    assert_eq!(fs[0].scope, "zap|https://app.example:443");
    assert_eq!(scopes(&s), ["zap|https://app.example:443", "zap|quiet.example"]);
    let json = r#"{"@version": "2.16.1", "site": [{"@name": "http://a.example", "@host": "a.example", "@port": "80", "@ssl": "false",
      "alerts": [{"pluginid": "10038", "name": "CSP", "riskcode": "2"}]}, {"@host": "b.example", "alerts": []}]}"#;
    let (fs, s) = parse(ScanTool::Zap, json);
    assert_eq!(fs[0].scope, "zap|http://a.example");
    assert_eq!(scopes(&s), ["zap|b.example", "zap|http://a.example"]);
}

#[test]
fn long_scopes_are_cut() {
    let name = "x".repeat(3000);
    let (fs, s) = parse(ScanTool::Trivy, &trivy("filesystem", &name, VULN));
    assert!(fs[0].scope.len() <= MAX_TITLE_BYTES && fs[0].scope.ends_with('…'));
    assert!(s.scopes.contains(&fs[0].scope));
}
