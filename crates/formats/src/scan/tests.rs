#![allow(clippy::unwrap_used, clippy::panic)]

mod bad;
mod features;
mod keys;
mod refs;
mod scopes;
mod secrets;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use super::*;

/// The folder of sample scanner reports shared with CI (outside the repository).
fn samples_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/scanners"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: scanner sample folder {} is absent, so the sample-file checks did not run", dir.display());
        None
    }
}

fn detect_file(path: &std::path::Path) -> Option<ScanTool> {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    ScanTool::detect(&name, &bytes[..bytes.len().min(4096)])
}

/// Parses a sample through a file reader (streamed, as the server will), with the tool
/// `detect` picks.
fn sample(rel: &str) -> Option<(Vec<ScanFinding>, ScanSummary)> {
    let path = samples_dir()?.join(rel);
    let tool = detect_file(&path).unwrap();
    let r = BufReader::new(File::open(&path).unwrap());
    Some(parse_scan_to_vec(tool, r).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

fn severities(fs: &[ScanFinding]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in fs {
        *m.entry(f.severity.code()).or_insert(0) += 1;
    }
    m
}

fn sev(pairs: &[(&'static str, usize)]) -> BTreeMap<&'static str, usize> {
    pairs.iter().copied().collect()
}

fn keys(fs: &[ScanFinding]) -> HashSet<String> {
    fs.iter().map(|f| f.dedup_key("SO-TTTT-01")).collect()
}

fn find<'a>(fs: &'a [ScanFinding], rule: &str) -> &'a ScanFinding {
    fs.iter().find(|f| f.rule_id == rule).unwrap_or_else(|| panic!("no finding {rule}"))
}

fn t(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc)
}

#[test]
fn every_sample_file_parses_with_the_detected_tool() {
    let Some(dir) = samples_dir() else { return };
    let want: BTreeMap<&str, ScanTool> = [
        ("nessus", ScanTool::Nessus),
        ("openvas", ScanTool::OpenVas),
        ("sarif", ScanTool::Sarif),
        ("trivy", ScanTool::Trivy),
        ("zap", ScanTool::Zap),
    ]
    .into_iter()
    .collect();
    let mut seen = 0;
    for sub in std::fs::read_dir(&dir).unwrap() {
        let sub = sub.unwrap().path();
        let folder = sub.file_name().unwrap().to_string_lossy().to_string();
        for file in std::fs::read_dir(&sub).unwrap() {
            let path = file.unwrap().path();
            let tool = detect_file(&path);
            assert_eq!(tool, want.get(folder.as_str()).copied(), "{}", path.display());
            let r = BufReader::new(File::open(&path).unwrap());
            let (fs, s) = parse_scan_to_vec(tool.unwrap(), r).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(fs.len(), s.findings);
            assert!(!fs.is_empty(), "{}", path.display());
            assert!(
                fs.iter().all(|f| s.scopes.contains(&f.scope)),
                "{}: every finding's scope is listed",
                path.display()
            );
            assert!(
                s.scopes.iter().all(|sc| sc.starts_with(&format!("{}|", tool.unwrap().code()))),
                "{}",
                path.display()
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 14, "a sample was added or removed: give it its own facts below");
}

#[test]
fn nessus_unknown_version_sample() {
    let Some((fs, s)) = sample("nessus/nessus_v_unknown.xml") else { return };
    assert_eq!((s.findings, s.hosts, s.skipped_count), (296, 7, 0));
    assert_eq!(severities(&fs), sev(&[("info", 266), ("low", 7), ("medium", 23)]));
    assert_eq!(s.scan_started, Some(t("2013-07-01T11:33:11Z")));
    // Plugin 18405 (RDP man-in-the-middle) on port 3389 of all seven hosts, CVSS v2 only.
    let rdp: Vec<_> = fs.iter().filter(|f| f.rule_id == "18405").collect();
    assert_eq!(rdp.len(), 7);
    assert!(rdp.iter().all(|f| f.cves == ["CVE-2005-1794"] && f.port == Some(3389) && f.severity == Severity::Medium));
    assert_eq!(rdp[0].cvss_score, Some(5.1));
    assert_eq!((rdp[0].host.as_deref(), rdp[0].ip.as_deref()), (Some("qa3app09"), Some("10.31.112.29")));
    assert_eq!(rdp[0].location, ScanLocation::at(2891, "ReportHost[1]/ReportItem[10]"));
    // Severity-0 items are kept as Info; port 0 means the host itself.
    let info = find(&fs, "19506");
    assert_eq!((info.severity, info.port, info.title.as_str()), (Severity::Info, None, "Nessus Scan Information"));
    assert_eq!(keys(&fs).len(), 296);
}

#[test]
fn nessus_saf_sample() {
    let Some((fs, s)) = sample("nessus/saf_sample_3hosts.nessus") else { return };
    assert_eq!((s.findings, s.hosts), (149, 3));
    assert_eq!(severities(&fs), sev(&[("critical", 1), ("high", 1), ("medium", 5), ("low", 2), ("info", 140)]));
    // HOST_START_TIMESTAMP 1647975287, not the zone-less HOST_START text.
    assert_eq!(s.scan_started, Some(t("2022-03-22T18:54:47Z")));
    let java = find(&fs, "154345");
    assert_eq!((java.severity, java.cvss_score, java.cves.len()), (Severity::High, Some(8.6), 14));
    assert!(java.cves.contains(&"CVE-2021-3517".to_string()));
    assert!(java.cves.windows(2).all(|w| w[0] < w[1]), "sorted");
    assert_eq!(java.host.as_deref(), Some("10.0.0.3"));
    let unsupported = find(&fs, "33850");
    assert_eq!((unsupported.severity, unsupported.cvss_score), (Severity::Critical, Some(10.0)));
    assert_eq!(unsupported.host.as_deref(), Some("10.0.0.1"));
    let cwe: Vec<_> = fs.iter().filter(|f| f.cwes == [200]).collect();
    assert_eq!(cwe.len(), 2);
    // The longest plugin_output (~890 KB) is cut to the evidence limit on a char boundary.
    assert!(fs.iter().all(|f| f.evidence.len() <= MAX_EVIDENCE_BYTES));
    assert!(fs.iter().any(|f| f.evidence.ends_with('…')));
    // 149 items, 147 keys: plugin 22964 "Service Detection" reports 8834/tcp of 10.0.0.3 and
    // 443/tcp of 10.0.0.1 twice (web server, then TLS): one finding each by Nessus's own
    // identity (host, port, plugin).
    assert_eq!(keys(&fs).len(), 147);
}

#[test]
fn openvas_v7_report() {
    let Some((fs, s)) = sample("openvas/report_v7.xml") else { return };
    // Eight <result> elements, two of them nested under <detection>: six findings.
    assert_eq!((s.findings, s.hosts), (6, 1));
    assert_eq!(severities(&fs), sev(&[("medium", 6)]));
    assert_eq!(s.scan_started, Some(t("2014-09-20T03:55:33Z")));
    let ccs = find(&fs, "1.3.6.1.4.1.25623.1.0.105042");
    assert_eq!(ccs.cves, ["CVE-2014-0224"]);
    assert_eq!((ccs.port, ccs.protocol.as_deref(), ccs.cvss_score), (Some(1443), Some("tcp"), Some(6.8)));
    assert_eq!(ccs.cvss_vector.as_deref(), Some("AV:N/AC:M/Au:N/C:P/I:P/A:P"));
    assert_eq!((ccs.host.as_deref(), ccs.ip.as_deref()), (Some("10.10.10.10"), Some("10.10.10.10")));
    assert_eq!(ccs.solution, "Updates are available.");
    assert_eq!(fs.iter().filter(|f| f.cves.is_empty()).count(), 3, "NOCVE is no CVE");
    assert_eq!(keys(&fs).len(), 6);
}

#[test]
fn openvas_many_vulns() {
    let Some((fs, s)) = sample("openvas/many_vuln.xml") else { return };
    assert_eq!((s.findings, s.hosts), (44, 1));
    // By CVSS v3 bands of <severity>: 9.0–10 Critical, 7.0–8.9 High.
    assert_eq!(severities(&fs), sev(&[("critical", 8), ("high", 11), ("medium", 25)]));
    assert_eq!(s.scan_started, Some(t("2023-09-26T10:50:34Z")));
    let rexec = find(&fs, "1.3.6.1.4.1.25623.1.0.100111");
    assert_eq!(
        (rexec.title.as_str(), rexec.port, rexec.severity),
        ("The rexec service is running", Some(512), Severity::Critical)
    );
    assert_eq!(rexec.cves, ["CVE-1999-0618"]);
    assert_eq!(rexec.evidence, "The rexec service was detected on the target system.");
    // "192.168.1.1001" is what the file says; it is no IP address.
    assert_eq!((rexec.host.as_deref(), rexec.ip.as_deref()), (Some("192.168.1.1001"), None));
    // Names wrapped over lines become one line.
    assert!(fs
        .iter()
        .any(|f| f.title == "Distributed Ruby (dRuby/DRb) Multiple Remote Code Execution Vulnerabilities"));
    assert_eq!(keys(&fs).len(), 44);
}

#[test]
fn sarif_dependency_check() {
    let Some((fs, s)) = sample("sarif/dependency_check.sarif") else { return };
    assert_eq!((s.findings, s.hosts), (13, 0));
    // Four RetireJS results carry properties.severity, nine NVD ones cvssv3_baseScore 6.1.
    assert_eq!(severities(&fs), sev(&[("low", 1), ("medium", 12)]));
    let jq: Vec<_> = fs.iter().filter(|f| f.rule_id == "CVE-2015-9251").collect();
    assert_eq!(jq.len(), 2);
    assert!(jq.iter().all(|f| f.cves == ["CVE-2015-9251"] && f.cvss_score == Some(6.1)));
    assert!(jq[0].component.as_deref().unwrap().ends_with("jquery-1.8.0.min.js"));
    assert_eq!(jq[0].location.item.as_deref(), Some("runs[0].results[5]"));
    assert_eq!(keys(&fs).len(), 13);
}

#[test]
fn sarif_gitleaks() {
    let Some((fs, s)) = sample("sarif/gitleaks_7.5.0.sarif") else { return };
    assert_eq!(s.findings, 8);
    // No level and no rule: SARIF's default "warning".
    assert_eq!(severities(&fs), sev(&[("medium", 8)]));
    // No ruleId either: the message is the rule.
    assert_eq!(fs[0].rule_id, "AWS Access Key secret detected");
    assert_eq!(
        fs[0].component.as_deref(),
        Some("dojo/unittests/scans/gitlab_secret_detection_report/gitlab_secret_detection_report_1_vuln.json:13")
    );
    // Every secret is reported in two commits at the same file and line: 4 distinct.
    assert_eq!(keys(&fs).len(), 4);
}

#[test]
fn sarif_lgtm_codeql() {
    let Some((fs, s)) = sample("sarif/lgtm_codeql_export_2020-12-11.sarif") else { return };
    assert_eq!(s.findings, 510, "58 in the JavaScript run, 452 in the Python run");
    // Levels from the rules' defaultConfiguration: note → Low, none given → warning → Medium.
    assert_eq!(severities(&fs), sev(&[("high", 31), ("medium", 122), ("low", 357)]));
    assert!(fs.iter().all(|f| f.fingerprint.is_some()));
    let unused = fs.iter().filter(|f| f.rule_id == "com.lgtm/python-queries:py/unused-local-variable").count();
    assert_eq!(unused, 177);
    let f = find(&fs, "com.lgtm/python-queries:py/unused-local-variable");
    assert_eq!((f.cwes.as_slice(), f.severity), ([563].as_slice(), Severity::Low));
    assert_eq!(f.title, "Unused local variable");
    assert_eq!(keys(&fs).len(), 510);
}

#[test]
fn trivy_kubernetes() {
    let Some((fs, s)) = sample("trivy/kubernetes.json") else { return };
    assert_eq!((s.findings, s.hosts), (20, 4));
    assert_eq!(severities(&fs), sev(&[("low", 14), ("medium", 6)]));
    let apt: Vec<_> = fs.iter().filter(|f| f.rule_id == "CVE-2020-27350").collect();
    assert_eq!(apt.len(), 2, "in both redis images");
    assert_eq!(
        apt[0].target.as_deref(),
        Some("default/Deployment/redis-follower: gcr.io/google_samples/gb-redis-follower:v2 (debian 10.4)")
    );
    assert_eq!((apt[0].component.as_deref(), apt[0].fixed_version.as_deref()), (Some("apt@1.8.2.1"), Some("1.8.2.2")));
    assert_eq!((apt[0].cvss_score, apt[0].cwes.as_slice()), (Some(5.7), [190].as_slice()));
    let ksv = find(&fs, "KSV001");
    assert_eq!(ksv.component.as_deref(), Some("default/Deployment/redis-follower:132"));
    assert_eq!(keys(&fs).len(), 20);
}

#[test]
fn trivy_legacy_array() {
    let Some((fs, s)) = sample("trivy/legacy_trivy_mix.json") else { return };
    assert_eq!((s.findings, s.hosts), (6, 2));
    assert_eq!(severities(&fs), sev(&[("high", 6)]));
    // {"PkgName": "simplito/elliptic-php"} alone is no finding.
    assert_eq!(s.skipped_count, 1);
    assert_eq!(s.skipped[0].location.item.as_deref(), Some("[0].Vulnerabilities[0]"));
    assert_eq!(s.skipped[0].location.line, Some(6));
    let lodash = find(&fs, "CVE-2018-16487");
    assert_eq!((lodash.component.as_deref(), lodash.cwes.as_slice()), (Some("lodash@4.17.4"), [190].as_slice()));
    assert_eq!(lodash.target.as_deref(), Some("node-app/package-lock.json"));
    assert_eq!(keys(&fs).len(), 6);
}

#[test]
fn trivy_misconfigurations_and_secrets() {
    let Some((fs, s)) = sample("trivy/misconfigurations_and_secrets.json") else { return };
    assert_eq!(s.findings, 5);
    assert_eq!(severities(&fs), sev(&[("critical", 2), ("high", 2), ("medium", 1)]));
    let ds = find(&fs, "DS002");
    assert_eq!((ds.severity, ds.target.as_deref()), (Severity::High, Some("Dockerfile")));
    assert_eq!(ds.solution, "Add 'USER <non root user name>' line to the Dockerfile");
    let secrets: Vec<_> = fs.iter().filter(|f| f.rule_id == "github-pat").collect();
    let places: Vec<_> = secrets.iter().map(|f| f.component.as_deref().unwrap()).collect();
    assert_eq!(places, ["Dockerfile:24", "secret.txt:1"]);
    assert_eq!(secrets[0].evidence, "ENV GITHUB_PAT=*****");
    assert_eq!(keys(&fs).len(), 5);
}

#[test]
fn trivy_schema_2() {
    let Some((fs, s)) = sample("trivy/scheme_2_many_vulns.json") else { return };
    assert_eq!((s.findings, s.hosts), (5, 2));
    assert_eq!(severities(&fs), sev(&[("critical", 1), ("high", 1), ("medium", 3)]));
    // NVD's V3Score (6.5) wins over Red Hat's (8.6).
    let ft = find(&fs, "CVE-2020-15999");
    assert_eq!((ft.cvss_score, ft.component.as_deref()), (Some(6.5), Some("freetype@2.9.1-r2")));
    let bz = find(&fs, "CVE-2019-12900");
    assert_eq!((bz.severity, bz.cvss_score), (Severity::Critical, None));
    assert_eq!(keys(&fs).len(), 5);
}

#[test]
fn zap_xml_first_scan() {
    let Some((fs, s)) = sample("zap/zap-results-first-scan.xml") else { return };
    assert_eq!((s.findings, s.hosts), (15, 1));
    assert_eq!(severities(&fs), sev(&[("high", 4), ("medium", 3), ("low", 4), ("info", 4)]));
    let xss = find(&fs, "40012");
    assert_eq!(
        (xss.title.as_str(), xss.severity, xss.cwes.as_slice()),
        ("Cross Site Scripting (Reflected)", Severity::High, [79].as_slice())
    );
    assert_eq!(
        (xss.host.as_deref(), xss.port, xss.protocol.as_deref()),
        (Some("bodgeit.securecodebox-demo.svc"), Some(8080), Some("http"))
    );
    // HTML of the description becomes text.
    let attr = find(&fs, "10031");
    assert!(attr.description.starts_with("This check looks at user-supplied input"), "{}", attr.description);
    assert!(attr
        .evidence
        .starts_with("GET http://bodgeit.securecodebox-demo.svc:8080/bodgeit/product.jsp?prodid=22 param=prodid"));
    assert_eq!(keys(&fs).len(), 15);
}

#[test]
fn zap_xml_2_16() {
    let Some((fs, s)) = sample("zap/zap_2.16.1_with_req_resp.xml") else { return };
    assert_eq!((s.findings, s.hosts), (4, 1));
    assert_eq!(severities(&fs), sev(&[("info", 4)]));
    let auth = find(&fs, "10111");
    assert_eq!((auth.port, auth.protocol.as_deref()), (Some(443), Some("https")));
    assert!(auth.cwes.is_empty(), "cweid -1 is no CWE");
    assert_eq!(find(&fs, "10029").cwes, [565]);
    // Request and response bodies are not evidence.
    assert!(fs.iter().all(|f| !f.evidence.contains("HTTP/1.1")));
}

#[test]
fn zap_json() {
    let Some((fs, s)) = sample("zap/zero.webappsecurity.json") else { return };
    assert_eq!((s.findings, s.hosts), (13, 1));
    assert_eq!(severities(&fs), sev(&[("high", 5), ("medium", 3), ("low", 3), ("info", 2)]));
    let sqli = find(&fs, "40024");
    assert_eq!(
        (sqli.title.as_str(), sqli.severity, sqli.cwes.as_slice()),
        ("SQL Injection - SQLite", Severity::High, [89].as_slice())
    );
    assert_eq!(sqli.location.item.as_deref(), Some("site[1].alerts[6]"));
    // "Proxy Disclosure" at High and at Medium: two alerts, two keys.
    let proxy: Vec<_> = fs.iter().filter(|f| f.rule_id == "40025").collect();
    assert_eq!(proxy.len(), 2);
    assert_ne!(proxy[0].dedup_key("S"), proxy[1].dedup_key("S"));
    assert_eq!(keys(&fs).len(), 13);
}

#[test]
fn detect_by_content_then_extension() {
    let d = ScanTool::detect;
    assert_eq!(d("x.xml", b"<?xml version=\"1.0\"?>\n<NessusClientData_v2>"), Some(ScanTool::Nessus));
    assert_eq!(d("r.xml", b"\xEF\xBB\xBF<OWASPZAPReport version=\"2.11\">"), Some(ScanTool::Zap));
    assert_eq!(d("r.xml", b"<report id=\"1\" format_id=\"a994\"><results>"), Some(ScanTool::OpenVas));
    assert_eq!(d("r.json", br#"{"version":"2.1.0","runs":[]}"#), Some(ScanTool::Sarif));
    assert_eq!(d("r.json", br#"[{"Target":"a","Vulnerabilities":[]}]"#), Some(ScanTool::Trivy));
    assert_eq!(d("r.json", br#"{"@version":"2.7.0","site":[]}"#), Some(ScanTool::Zap));
    assert_eq!(d("scan.nessus", b""), Some(ScanTool::Nessus));
    assert_eq!(d("scan.sarif", b"\x00\x01"), Some(ScanTool::Sarif));
    assert_eq!(d("notes.txt", b"hello"), None);
    assert_eq!(d("x.xml", b"<html>"), None);
    for t in ScanTool::ALL {
        assert_eq!(ScanTool::parse(t.code()), Some(*t));
        assert!(!t.label(khien_domain::Lang::Vi).is_empty());
    }
}

#[test]
fn dedup_keys_are_stable_across_parses_and_distinct() {
    let Some(dir) = samples_dir() else { return };
    for rel in [
        "nessus/nessus_v_unknown.xml",
        "sarif/lgtm_codeql_export_2020-12-11.sarif",
        "trivy/kubernetes.json",
        "zap/zero.webappsecurity.json",
    ] {
        let path = dir.join(rel);
        let tool = detect_file(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let a: Vec<String> =
            parse_scan_to_vec(tool, &bytes[..]).unwrap().0.iter().map(|f| f.dedup_key("SYS-1")).collect();
        let b: Vec<String> =
            parse_scan_to_vec(tool, &bytes[..]).unwrap().0.iter().map(|f| f.dedup_key("SYS-1")).collect();
        assert_eq!(a, b, "{rel}");
        assert_eq!(a.iter().collect::<HashSet<_>>().len(), a.len(), "{rel}");
        assert!(a.iter().all(|k| k.len() == 64 && k.bytes().all(|c| c.is_ascii_hexdigit())));
        // Another system, other keys.
        let other: HashSet<String> =
            parse_scan_to_vec(tool, &bytes[..]).unwrap().0.iter().map(|f| f.dedup_key("SYS-2")).collect();
        assert!(a.iter().all(|k| !other.contains(k)));
    }
}

#[test]
fn dedup_key_is_pinned() {
    // Stored keys must never change: a change to the formula breaks this test.
    let xml = synthetic_nessus(1, 1, 7);
    let (fs, _) = parse_scan_to_vec(ScanTool::Nessus, &xml[..]).unwrap();
    let f = &fs[0];
    let parts = [
        "scan-v1",
        "nessus",
        "SYS-1",
        f.host.as_deref().unwrap(),
        &f.port.map(|p| p.to_string()).unwrap_or_default(),
        f.protocol.as_deref().unwrap(),
        "",
        &f.rule_id,
        f.cves.first().map(String::as_str).unwrap_or(""),
        f.component.as_deref().unwrap(),
    ];
    assert_eq!(f.dedup_key("SYS-1"), khien_domain::finding::finding_key(&parts));
    let mut moved = f.clone();
    moved.location = ScanLocation::default();
    moved.evidence = "other output".into();
    moved.cvss_score = Some(9.9);
    assert_eq!(moved.dedup_key("SYS-1"), f.dedup_key("SYS-1"), "place in file, evidence and score are not in the key");
}

#[test]
fn synthetic_twenty_thousand_items() {
    let xml = synthetic_nessus(100, 200, 42);
    assert_eq!(xml, synthetic_nessus(100, 200, 42), "deterministic");
    let mut count = 0usize;
    let mut seen = HashSet::new();
    let mut with_cve = 0usize;
    let summary = parse_scan(ScanTool::Nessus, &xml[..], &mut |f| {
        count += 1;
        with_cve += usize::from(!f.cves.is_empty());
        assert!(seen.insert(f.dedup_key("SYS-1")), "duplicate key {:?}", f.location);
        Ok(())
    })
    .unwrap();
    assert_eq!((count, summary.findings, summary.hosts), (20_000, 20_000, 100));
    assert!(with_cve > 10_000, "{with_cve}");
    assert_eq!(summary.scan_started.map(|t| t.timestamp() >= 1_767_225_600), Some(true));
}

#[test]
fn sink_errors_stop_the_parse_with_the_item_place() {
    let xml = synthetic_nessus(2, 3, 1);
    let mut n = 0;
    let e = parse_scan(ScanTool::Nessus, &xml[..], &mut |_| {
        n += 1;
        if n == 4 {
            return Err(ScanError::other("cơ sở dữ liệu đầy", "database full"));
        }
        Ok(())
    })
    .unwrap_err();
    assert_eq!(e.location().item.as_deref(), Some("ReportHost[2]/ReportItem[1]"));
    assert!(e.message_en().ends_with(": database full"), "{e}");
    assert!(e.message_vi().ends_with(": cơ sở dữ liệu đầy"));
}
