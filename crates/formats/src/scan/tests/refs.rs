//! Reference URLs: one check per tool over the sample files, and the limits.

use super::*;

fn refs(f: &ScanFinding) -> Vec<&str> {
    f.references.iter().map(String::as_str).collect()
}

fn all_within_limits(fs: &[ScanFinding]) {
    for f in fs {
        assert!(f.references.len() <= MAX_REFERENCES, "{:?}", f.location);
        for r in &f.references {
            assert!(r.starts_with("http://") || r.starts_with("https://"), "{r}");
            assert!(r.len() <= MAX_REFERENCE_BYTES && r.trim() == r);
        }
        let distinct: HashSet<&String> = f.references.iter().collect();
        assert_eq!(distinct.len(), f.references.len(), "{:?}", f.location);
    }
}

#[test]
fn nessus_see_also_references() {
    let Some((fs, _)) = sample("nessus/saf_sample_3hosts.nessus") else { return };
    all_within_limits(&fs);
    let java = find(&fs, "154345");
    assert_eq!(
        refs(java),
        [
            "https://www.oracle.com/a/tech/docs/cpuoct2021cvrf.xml",
            "https://www.oracle.com/security-alerts/cpuoct2021.html#AppendixJAVA"
        ]
    );
    let Some((fs, _)) = sample("nessus/nessus_v_unknown.xml") else { return };
    let rdp = find(&fs, "18405");
    assert_eq!(
        refs(rdp),
        [
            "http://www.oxid.it/downloads/rdp-gbu.pdf",
            "http://www.nessus.org/u?e2628096",
            "http://technet.microsoft.com/en-us/library/cc782610.aspx"
        ]
    );
    // References are not part of the key.
    let mut other = rdp.clone();
    other.references.clear();
    assert_eq!(other.dedup_key("S"), rdp.dedup_key("S"));
}

#[test]
fn openvas_url_refs_and_old_xrefs() {
    let Some((fs, _)) = sample("openvas/many_vuln.xml") else { return };
    all_within_limits(&fs);
    let drb = find(&fs, "1.3.6.1.4.1.25623.1.0.108010");
    assert_eq!(
        refs(drb),
        [
            "https://tools.cisco.com/security/center/viewAlert.x?alertId=22750",
            "http://www.securityfocus.com/bid/47071",
            "http://blog.recurity-labs.com/archives/2011/05/12/druby_for_penetration_testers/",
            "http://www.ruby-doc.org/stdlib-1.9.3/libdoc/drb/rdoc/DRb.html",
        ]
    );
    // CVE refs are CVEs, not links.
    assert!(find(&fs, "1.3.6.1.4.1.25623.1.0.100111").references.is_empty());
    let Some((fs, _)) = sample("openvas/report_v7.xml") else { return };
    all_within_limits(&fs);
    let ccs = find(&fs, "1.3.6.1.4.1.25623.1.0.105042");
    assert_eq!(refs(ccs), ["http://www.securityfocus.com/bid/67899", "http://openssl.org/"]);
    // Seven xref URLs, two of them repeated: five.
    let tomcat = find(&fs, "1.3.6.1.4.1.25623.1.0.103032");
    assert_eq!(tomcat.references.len(), 5);
    assert_eq!(tomcat.references[0], "https://www.securityfocus.com/bid/45015");
    // NOXREF is no link.
    assert!(find(&fs, "1.3.6.1.4.1.25623.1.0.103955").references.is_empty());
}

#[test]
fn sarif_help_uri_of_the_rule() {
    let log = r#"{"version": "2.1.0", "runs": [{
  "tool": {"driver": {"name": "CodeQL", "informationUri": "https://codeql.github.com", "rules": [
    {"id": "js/xss", "helpUri": " https://codeql.github.com/codeql-query-help/javascript/js-reflected-xss/ "},
    {"id": "js/bad", "helpUri": "javascript:alert(1)"}]}},
  "results": [
    {"ruleId": "js/xss", "message": {"text": "a"}, "properties": {"reference": "https://x.example/"}},
    {"ruleIndex": 0, "message": {"text": "b"}},
    {"ruleId": "js/bad", "message": {"text": "c"}},
    {"ruleId": "js/none", "message": {"text": "d"}}]}]}"#;
    let (fs, _) = parse_scan_to_vec(ScanTool::Sarif, log.as_bytes()).unwrap();
    let xss = "https://codeql.github.com/codeql-query-help/javascript/js-reflected-xss/";
    assert_eq!((refs(&fs[0]), refs(&fs[1])), (vec![xss], vec![xss]));
    assert!(fs[2].references.is_empty() && fs[3].references.is_empty());
    // None of the sample rules has a helpUri; the driver's informationUri and the
    // results' properties are no references.
    for rel in
        ["sarif/dependency_check.sarif", "sarif/gitleaks_7.5.0.sarif", "sarif/lgtm_codeql_export_2020-12-11.sarif"]
    {
        let Some((fs, _)) = sample(rel) else { return };
        assert!(fs.iter().all(|f| f.references.is_empty()), "{rel}");
    }
}

#[test]
fn trivy_primary_url_then_references() {
    let Some((fs, _)) = sample("trivy/kubernetes.json") else { return };
    all_within_limits(&fs);
    let apt = find(&fs, "CVE-2020-27350");
    assert_eq!(apt.references.len(), 9);
    assert_eq!(
        apt.references[..2],
        ["https://avd.aquasec.com/nvd/cve-2020-27350", "https://access.redhat.com/security/cve/CVE-2020-27350"]
    );
    // The link is no longer evidence.
    assert!(fs.iter().all(|f| !f.evidence.contains("PrimaryURL")));
    // A misconfiguration lists its PrimaryURL again in References: kept once.
    let ksv = find(&fs, "KSV001");
    assert_eq!(
        refs(ksv),
        [
            "https://avd.aquasec.com/misconfig/ksv001",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"
        ]
    );
    let Some((fs, _)) = sample("trivy/scheme_2_many_vulns.json") else { return };
    all_within_limits(&fs);
    // 1 + 29 links: the first ten.
    let bz = find(&fs, "CVE-2019-12900");
    assert_eq!(bz.references.len(), MAX_REFERENCES);
    assert_eq!(bz.references[0], "https://avd.aquasec.com/nvd/cve-2019-12900");
    assert_eq!(
        bz.references[9],
        "https://gitlab.com/federicomenaquintero/bzip2/commit/74de1e2e6ffc9d51ef9824db71a8ffee5962cdbc"
    );
    // No PrimaryURL (legacy report): References alone.
    let Some((fs, _)) = sample("trivy/legacy_trivy_mix.json") else { return };
    assert_eq!(refs(find(&fs, "CVE-2018-16487")), ["https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2018-16487"]);
}

#[test]
fn zap_reference_paragraphs_and_lines() {
    let Some((fs, _)) = sample("zap/zap-results-first-scan.xml") else { return };
    all_within_limits(&fs);
    assert_eq!(
        refs(find(&fs, "40012")),
        ["http://projects.webappsec.org/Cross-Site-Scripting", "http://cwe.mitre.org/data/definitions/79.html"]
    );
    // "<p></p>" only: none.
    assert!(fs.iter().any(|f| f.references.is_empty()));
    let Some((fs, _)) = sample("zap/zap_2.16.1_with_req_resp.xml") else { return };
    assert_eq!(
        refs(find(&fs, "10029")),
        ["https://en.wikipedia.org/wiki/HTTP_cookie", "https://cwe.mitre.org/data/definitions/565.html"]
    );
    let Some((fs, _)) = sample("zap/zero.webappsecurity.json") else { return };
    assert_eq!(
        refs(find(&fs, "40024")),
        [
            "https://www.owasp.org/index.php/Top_10_2010-A1",
            "https://www.owasp.org/index.php/SQL_Injection_Prevention_Cheat_Sheet"
        ]
    );
}

#[test]
fn unsafe_and_long_links_are_dropped_and_ten_kept() {
    let long = format!("https://long.example/{}", "a".repeat(MAX_REFERENCE_BYTES));
    let mut see_also =
        vec!["javascript:alert(document.cookie)".to_string(), long.clone(), "  https://ok.example/1  ".to_string()];
    see_also.extend((1..=15).map(|i| format!("https://ok.example/{i}")));
    let xml = format!(
        "<NessusClientData_v2><Report name=\"r\"><ReportHost name=\"h\"><ReportItem port=\"0\" severity=\"1\" pluginID=\"1\" pluginName=\"p\"><see_also>{}</see_also></ReportItem></ReportHost></Report></NessusClientData_v2>",
        see_also.join("\n")
    );
    let (fs, _) = parse_scan_to_vec(ScanTool::Nessus, xml.as_bytes()).unwrap();
    let want: Vec<String> = (1..=10).map(|i| format!("https://ok.example/{i}")).collect();
    assert_eq!(fs[0].references, want);
    let json = format!(
        r#"{{"@version": "2.11", "site": [{{"@host": "a", "@port": "80", "alerts": [{{"pluginid": "1", "riskcode": "1",
  "reference": "<p>javascript:alert(1)</p><p>{long}</p><p>https://ok.example/?a=1&amp;b=2</p>\nhttps://ok.example/2"}}]}}]}}"#
    );
    let (fs, _) = parse_scan_to_vec(ScanTool::Zap, json.as_bytes()).unwrap();
    assert_eq!(refs(&fs[0]), ["https://ok.example/?a=1&b=2", "https://ok.example/2"]);
    let trivy = format!(
        r#"{{"SchemaVersion": 2, "Results": [{{"Target": "t", "Vulnerabilities": [{{"VulnerabilityID": "CVE-2024-1234", "Severity": "LOW",
  "PrimaryURL": "javascript:void(0)", "References": [null, "{long}", "data:text/html,x", "https://ok.example/a"]}}]}}]}}"#
    );
    let (fs, _) = parse_scan_to_vec(ScanTool::Trivy, trivy.as_bytes()).unwrap();
    assert_eq!(refs(&fs[0]), ["https://ok.example/a"]);
}
