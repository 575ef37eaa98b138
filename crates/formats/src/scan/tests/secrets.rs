//! Secrets in reports are masked before any finding is handed over.

use super::*;

/// Every text of a finding that could hold a secret.
fn texts(f: &ScanFinding) -> Vec<&str> {
    let mut v =
        vec![f.rule_id.as_str(), f.title.as_str(), f.description.as_str(), f.solution.as_str(), f.evidence.as_str()];
    v.extend(f.component.as_deref());
    v.extend(f.fingerprint.as_deref());
    v
}

#[test]
fn gitleaks_sample_offenders_are_masked_everywhere() {
    let Some((fs, _)) = sample("sarif/gitleaks_7.5.0.sarif") else { return };
    assert_eq!(fs.len(), 8);
    for f in &fs {
        for t in texts(f) {
            assert!(!t.contains("AKIAIOSFODNN7EXAMPLE"), "{:?}: {t}", f.location);
            assert!(!t.contains("-----BEGIN OPENSSH PRIVATE KEY-----"), "{:?}: {t}", f.location);
        }
    }
    let aws: Vec<_> = fs.iter().filter(|f| f.rule_id == "AWS Access Key secret detected").collect();
    assert_eq!(aws.len(), 6);
    assert!(aws.iter().all(|f| f.evidence.contains("AKIA********")), "{:?}", aws[0].evidence);
    assert_eq!(aws[0].evidence, "\"raw_source_code_extract\": \"AKIA********\",");
    // The private key offender is only its BEGIN line: masked as any offender.
    let key = fs.iter().find(|f| f.rule_id == "Asymmetric Private Key secret detected").unwrap();
    assert!(key.evidence.starts_with("\"raw_source_code_extract\": \"----********"), "{}", key.evidence);
}

#[test]
fn sarif_offender_in_message_rule_and_fingerprint() {
    let log = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Gitleaks"}},
  "results": [{"message": {"text": "token ghp_0123456789abcdefghijABCDEFGHIJ012345 found"},
    "properties": {"offender": "ghp_0123456789abcdefghijABCDEFGHIJ012345"},
    "partialFingerprints": {"secret": "ghp_0123456789abcdefghijABCDEFGHIJ012345"},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "ci.yml"}, "region": {"startLine": 3,
      "snippet": {"text": "GH_TOKEN: ghp_0123456789abcdefghijABCDEFGHIJ012345 # build1234x"}}}}]}]}]}"#;
    let (fs, _) = parse_scan_to_vec(ScanTool::Sarif, log.as_bytes()).unwrap();
    let f = &fs[0];
    for t in texts(f) {
        assert!(!t.contains("ghp_0123456789"), "{t}");
    }
    assert_eq!(f.rule_id, "token ghp_******** found");
    // With an offender, only the offender is masked: other tokens stay.
    assert_eq!(f.evidence, "GH_TOKEN: ghp_******** # build1234x");
    assert_eq!(f.fingerprint.as_deref(), Some("token ghp_******** found|ci.yml|secret=ghp_********"));
}

#[test]
fn secret_scanner_snippets_without_offender_are_token_masked() {
    // gitleaks 8 gives no offender: the snippet is the secret's line.
    let log = r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gitleaks", "rules": [{"id": "aws-access-token"}]}},
  "results": [{"ruleId": "aws-access-token", "message": {"text": "aws-access-token has detected secret for file src/main.rs."},
    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/main.rs"}, "region": {"startLine": 12,
      "snippet": {"text": "let key = \"AKIAIOSFODNN7EXAMPLE\"; // see src/main.rs:12"}}}}]}]}]}"#;
    let (fs, _) = parse_scan_to_vec(ScanTool::Sarif, log.as_bytes()).unwrap();
    assert_eq!(fs[0].evidence, "let key = \"AKIA********\"; // see src/main.rs:12");
    assert_eq!(fs[0].component.as_deref(), Some("src/main.rs:12"));
    // semgrep-secrets is not a secret scanner here: its snippets are code and stay.
    let code = log.replace("\"gitleaks\"", "\"semgrep-secrets\"");
    let (fs, _) = parse_scan_to_vec(ScanTool::Sarif, code.as_bytes()).unwrap();
    assert!(fs[0].evidence.contains("AKIAIOSFODNN7EXAMPLE"));
}

#[test]
fn sarif_private_key_block_keeps_only_its_frame() {
    let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq98yE3Ykg0x5rZ\nq1w2e3r4t5y6u7i8o9p0==\n-----END RSA PRIVATE KEY-----";
    let log = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "CodeQL"}}, "results": [{
            "ruleId": "hardcoded-key",
            "message": {"text": format!("A key is committed:\n{key}")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "deploy/id_rsa"}, "region": {"startLine": 1,
                "snippet": {"text": format!("{key}\nnext line v2.0.1")}}}}]
        }]}]
    })
    .to_string();
    let (fs, _) = parse_scan_to_vec(ScanTool::Sarif, log.as_bytes()).unwrap();
    let f = &fs[0];
    assert_eq!(f.evidence, "-----BEGIN RSA PRIVATE KEY-----\n[…]\n-----END RSA PRIVATE KEY-----\nnext line v2.0.1");
    assert!(
        f.description.ends_with("-----BEGIN RSA PRIVATE KEY-----\n[…]\n-----END RSA PRIVATE KEY-----"),
        "{}",
        f.description
    );
    for t in texts(f) {
        assert!(!t.contains("MIIEpAIB") && !t.contains("q1w2e3r4"), "{t}");
    }
}

#[test]
fn trivy_match_is_masked_again_and_stays_masked() {
    let report = r#"{"SchemaVersion": 2, "Results": [{"Target": ".env", "Class": "secret", "Secrets": [
  {"RuleID": "aws-access-key-id", "Category": "AWS", "Severity": "CRITICAL", "StartLine": 2, "Match": "export AWS_ACCESS_KEY_ID AKIAIOSFODNN7EXAMPLE"},
  {"RuleID": "github-pat", "Severity": "CRITICAL", "StartLine": 3, "Match": "GITHUB_PAT=*****"},
  {"RuleID": "private-key", "Severity": "HIGH", "StartLine": 4, "Match": "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIDc2\n-----END EC PRIVATE KEY-----"}]}]}"#;
    let (fs, _) = parse_scan_to_vec(ScanTool::Trivy, report.as_bytes()).unwrap();
    assert_eq!(fs[0].evidence, "export AWS_ACCESS_KEY_ID AKIA********");
    assert_eq!(fs[1].evidence, "GITHUB_PAT=*****");
    assert_eq!(fs[2].evidence, "-----BEGIN EC PRIVATE KEY-----\n[…]\n-----END EC PRIVATE KEY-----");
}

#[test]
fn private_keys_in_any_tool_evidence() {
    let xml = "<NessusClientData_v2><Report name=\"r\"><ReportHost name=\"h\"><ReportItem port=\"0\" severity=\"3\" pluginID=\"1\" pluginName=\"Key readable\"><plugin_output>/etc/ssl/key.pem:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----</plugin_output></ReportItem></ReportHost></Report></NessusClientData_v2>";
    let (fs, _) = parse_scan_to_vec(ScanTool::Nessus, xml.as_bytes()).unwrap();
    assert_eq!(fs[0].evidence, "/etc/ssl/key.pem:\n-----BEGIN PRIVATE KEY-----\n[…]\n-----END PRIVATE KEY-----");
}
