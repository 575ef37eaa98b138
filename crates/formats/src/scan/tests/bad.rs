//! Hostile and broken input: each gives the precise error, none panics.

use super::*;

fn err(tool: ScanTool, input: &[u8]) -> ScanError {
    match parse_scan_to_vec(tool, input) {
        Ok((fs, _)) => panic!("expected an error, got {} findings", fs.len()),
        Err(e) => e,
    }
}

fn place(e: &ScanError) -> (Option<u64>, Option<&str>) {
    (e.location().line, e.field())
}

const HOST: &str = "<NessusClientData_v2>\n<Report name=\"r\">\n<ReportHost name=\"10.0.0.1\">\n";

#[test]
fn truncated_xml_real_file_cut_in_half() {
    let Some(dir) = samples_dir() else { return };
    // Half of this file is past its Policy section and first hosts.
    let bytes = std::fs::read(dir.join("nessus/nessus_v_unknown.xml")).unwrap();
    let half = &bytes[..bytes.len() / 2];
    let mut handed = 0;
    let e = parse_scan(ScanTool::Nessus, half, &mut |_| {
        handed += 1;
        Ok(())
    })
    .unwrap_err();
    let lines = half.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    assert_eq!(e.location().line, Some(lines), "{e}");
    assert!(matches!(e.kind(), ScanErrorKind::Truncated { open: Some(_) }), "{e:?}");
    assert!(e.message_en().contains("the file ends early"), "{e}");
    assert!(e.message_vi().contains("tệp kết thúc giữa chừng"));
    // Findings before the cut were handed over: the caller must discard them on Err.
    assert!(handed > 0);
}

#[test]
fn truncated_xml_names_the_open_element() {
    let e = err(ScanTool::Nessus, HOST.as_bytes());
    assert_eq!(e.kind(), &ScanErrorKind::Truncated { open: Some(("ReportHost".into(), 3)) });
    assert_eq!(e.location().line, Some(4));
    let cut_in_tag = format!("{HOST}<ReportItem port=\"22\" sever");
    let e = err(ScanTool::Nessus, cut_in_tag.as_bytes());
    assert!(matches!(e.kind(), ScanErrorKind::Truncated { .. }), "{e:?}");
    assert_eq!(e.location().line, Some(4));
}

#[test]
fn doctype_with_entity_bomb_is_refused() {
    let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<NessusClientData_v2>&lol9;</NessusClientData_v2>"#;
    // Each tool's own root, so that the file is not refused as another tool's report first.
    let roots = [
        (ScanTool::Nessus, "NessusClientData_v2"),
        (ScanTool::OpenVas, "report format_id=\"x\""),
        (ScanTool::Zap, "OWASPZAPReport"),
    ];
    for (tool, root) in roots {
        let bomb = bomb.replace("<NessusClientData_v2>", &format!("<{root}>"));
        let e = err(tool, bomb.as_bytes());
        assert_eq!(e.kind(), &ScanErrorKind::Doctype);
        assert_eq!(place(&e), (Some(2), Some("DOCTYPE")));
        assert!(e.message_en().contains("DTD/entities are not accepted"), "{e}");
        assert!(e.message_vi().contains("không chấp nhận DTD/thực thể"));
    }
    // Without the DTD, an undeclared entity is refused too, naming the element.
    let e = err(ScanTool::Nessus, b"<NessusClientData_v2>\n<x>&lol9;</x></NessusClientData_v2>");
    assert_eq!(e.kind(), &ScanErrorKind::Entity { name: "lol9".into() });
    assert_eq!(place(&e), (Some(2), Some("x")));
}

#[test]
fn huge_attribute_and_text_are_refused_before_buffering() {
    let big = "a".repeat(MAX_TEXT_BYTES + 10);
    let attr = format!("<NessusClientData_v2>\n<Report name=\"r\">\n<ReportHost name=\"{big}\"></ReportHost></Report></NessusClientData_v2>");
    let e = err(ScanTool::Nessus, attr.as_bytes());
    assert_eq!(e.kind(), &ScanErrorKind::TooLong { max_bytes: MAX_TEXT_BYTES });
    assert_eq!(place(&e), (Some(3), Some("ReportHost")));
    assert!(e.message_en().contains("longer than the limit of 4 MiB"), "{e}");
    let text = format!("{HOST}<ReportItem port=\"1\" severity=\"1\" pluginID=\"1\">\n<description>{big}</description>");
    let e = err(ScanTool::Nessus, text.as_bytes());
    assert_eq!(place(&e), (Some(5), Some("description")));
    let json = format!("{{\"SchemaVersion\": 2, \"Results\": [{{\"Target\": \"t\", \"Vulnerabilities\": [\n{{\"VulnerabilityID\": \"CVE-2020-0001\", \"Description\": \"{big}\"}}]}}]}}");
    let e = err(ScanTool::Trivy, json.as_bytes());
    assert_eq!(e.kind(), &ScanErrorKind::TooLong { max_bytes: MAX_TEXT_BYTES });
    assert_eq!(place(&e), (Some(2), Some("Description")));
    assert_eq!(e.location().item.as_deref(), Some("Results[0].Vulnerabilities[0]"));
}

#[test]
fn sarif_other_than_2_1_0_is_refused() {
    let e = err(ScanTool::Sarif, b"{\n  \"version\": \"2.0.0\",\n  \"runs\": []\n}");
    assert_eq!(e.kind(), &ScanErrorKind::UnsupportedVersion { value: "2.0.0".into(), supported: "2.1.0" });
    assert_eq!(place(&e), (Some(2), Some("version")));
    assert!(e.message_en().contains("version «2.0.0» is not supported"), "{e}");
    // After the runs, and absent.
    let e = err(ScanTool::Sarif, b"{\"runs\": [],\n\"version\": \"2.2\"}");
    assert_eq!(place(&e), (Some(2), Some("version")));
    let e = err(ScanTool::Sarif, b"{\"runs\": []}");
    assert_eq!((e.kind(), e.field()), (&ScanErrorKind::Missing, Some("version")));
}

#[test]
fn nessus_report_host_without_a_name() {
    let xml = "<NessusClientData_v2>\n<Report name=\"r\">\n<ReportHost><HostProperties><tag name=\"os\">linux</tag></HostProperties>\n<ReportItem port=\"22\" svc_name=\"ssh\" protocol=\"tcp\" severity=\"2\" pluginID=\"10\" pluginName=\"x\"></ReportItem>\n</ReportHost></Report></NessusClientData_v2>";
    let e = err(ScanTool::Nessus, xml.as_bytes());
    assert!(matches!(e.kind(), ScanErrorKind::MissingHost { .. }));
    assert_eq!(place(&e), (Some(4), Some("host")));
    assert_eq!(e.location().item.as_deref(), Some("ReportHost[1]/ReportItem[1]"));
    assert_eq!(e.message_en(), "line 4, item ReportHost[1]/ReportItem[1], field «host»: the report names no host for this item (ReportHost name, host-ip)");
    // host-ip alone names the host.
    let with_ip = xml.replace("<tag name=\"os\">linux</tag>", "<tag name=\"host-ip\">10.1.2.3</tag>");
    let (fs, _) = parse_scan_to_vec(ScanTool::Nessus, with_ip.as_bytes()).unwrap();
    assert_eq!(fs[0].host.as_deref(), Some("10.1.2.3"));
}

#[test]
fn openvas_and_zap_items_without_a_host() {
    let ov = "<report>\n<report><results>\n<result id=\"1\"><port>80/tcp</port><nvt oid=\"1.2\"><name>n</name></nvt><severity>5.0</severity></result>\n</results></report></report>";
    let e = err(ScanTool::OpenVas, ov.as_bytes());
    assert_eq!(place(&e), (Some(3), Some("host")));
    assert_eq!(e.location().item.as_deref(), Some("results/result[1]"));
    let zap = "<OWASPZAPReport>\n<site name=\"http://x\" port=\"80\"><alerts>\n<alertitem><pluginid>1</pluginid><riskcode>2</riskcode></alertitem></alerts></site></OWASPZAPReport>";
    let e = err(ScanTool::Zap, zap.as_bytes());
    assert_eq!(place(&e), (Some(3), Some("host")));
    let zap_json =
        "{\"site\": [{\"@name\": \"http://x\",\n \"alerts\": [\n {\"pluginid\": \"1\", \"riskcode\": \"2\"}]}]}";
    let e = err(ScanTool::Zap, zap_json.as_bytes());
    assert_eq!(place(&e), (Some(3), Some("host")));
    assert_eq!(e.location().item.as_deref(), Some("site[0].alerts[0]"));
}

#[test]
fn json_of_the_wrong_shape() {
    let e = err(ScanTool::Trivy, b"{\"SchemaVersion\": 2,\n \"Results\": {\"Target\": \"x\"}}");
    assert!(matches!(e.kind(), ScanErrorKind::WrongShape { .. }), "{e:?}");
    assert_eq!(place(&e), (Some(2), Some("Results")));
    assert!(e.message_en().ends_with("the value must be an array ([…])"), "{e}");
    assert!(e.message_vi().ends_with("giá trị phải là một mảng ([…])"));
    let e = err(ScanTool::Trivy, b"\n{\"name\": \"not trivy\"}");
    assert!(matches!(e.kind(), ScanErrorKind::WrongShape { .. }));
    assert_eq!(e.location().line, Some(2));
    let e = err(ScanTool::Sarif, b"[1, 2]");
    assert!(matches!(e.kind(), ScanErrorKind::WrongShape { .. }));
    let e = err(ScanTool::Trivy, b"{\"Results\": [{\"Vulnerabilities\": [{\"VulnerabilityID\": 5}]}]}");
    assert!(matches!(e.kind(), ScanErrorKind::Json { .. }), "{e:?}");
    assert_eq!(e.location().item.as_deref(), Some("Results[0].Vulnerabilities[0]"));
    let e = err(ScanTool::Trivy, b"{\"SchemaVersion\": 3, \"Results\": []}");
    assert_eq!(place(&e), (Some(1), Some("SchemaVersion")));
}

#[test]
fn truncated_and_malformed_json() {
    let e = err(ScanTool::Trivy, b"{\"SchemaVersion\": 2,\n \"Results\": [\n {\"Target\": \"x\",");
    assert_eq!(e.kind(), &ScanErrorKind::Truncated { open: None });
    assert_eq!(e.location().line, Some(3));
    let e = err(ScanTool::Sarif, b"{\"version\": \"2.1.0\",\n \"runs\": [}");
    assert!(matches!(e.kind(), ScanErrorKind::Json { .. }));
    assert_eq!((e.location().line, e.location().column), (Some(2), Some(11)));
    let e = err(ScanTool::Trivy, b"   \n ");
    assert_eq!(e.kind(), &ScanErrorKind::Empty);
    let e = err(ScanTool::Nessus, b"");
    assert_eq!(e.kind(), &ScanErrorKind::Empty);
    let e = err(ScanTool::Zap, b"\xFF\xFE<\x00O\x00");
    assert_eq!(e.kind(), &ScanErrorKind::NotUtf8);
}

#[test]
fn unknown_severities_name_field_and_value() {
    let xml = format!("{HOST}<ReportItem port=\"22\" severity=\"7\" pluginID=\"10\"></ReportItem></ReportHost></Report></NessusClientData_v2>");
    let e = err(ScanTool::Nessus, xml.as_bytes());
    assert_eq!(e.kind(), &ScanErrorKind::UnknownSeverity { value: "7".into(), allowed: "0, 1, 2, 3, 4" });
    assert_eq!(place(&e), (Some(4), Some("severity")));
    let trivy = b"{\"Results\": [{\"Target\": \"t\", \"Vulnerabilities\": [\n\n{\"VulnerabilityID\": \"CVE-2020-1\", \"Severity\": \"SEVERE\"}]}]}";
    let e = err(ScanTool::Trivy, trivy);
    assert_eq!(place(&e), (Some(3), Some("Severity")));
    assert!(e.message_vi().contains("mức độ «SEVERE» không hợp lệ"), "{}", e.message_vi());
    let sarif = b"{\"version\": \"2.1.0\", \"runs\": [{\"results\": [\n{\"ruleId\": \"r\", \"level\": \"fatal\"}]}]}";
    let e = err(ScanTool::Sarif, sarif);
    assert_eq!(place(&e), (Some(2), Some("level")));
    let zap = "<OWASPZAPReport>\n<site host=\"h\" port=\"80\"><alerts>\n<alertitem><pluginid>1</pluginid><riskcode>9</riskcode></alertitem></alerts></site></OWASPZAPReport>";
    let e = err(ScanTool::Zap, zap.as_bytes());
    assert_eq!(place(&e), (Some(3), Some("riskcode")));
    let cvss = format!("{HOST}<ReportItem port=\"22\" severity=\"1\" pluginID=\"10\"><cvss3_base_score>12</cvss3_base_score></ReportItem></ReportHost></Report></NessusClientData_v2>");
    let e = err(ScanTool::Nessus, cvss.as_bytes());
    assert_eq!(place(&e), (Some(4), Some("cvss3_base_score")));
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!("<NessusClientData_v2>\n{}", "<a>".repeat(300));
    let e = err(ScanTool::Nessus, deep.as_bytes());
    assert_eq!(place(&e), (Some(2), Some("a")));
    assert!(e.message_en().contains("nested deeper than 256"), "{e}");
}

#[test]
fn a_report_of_another_tool_is_refused() {
    // Recognised as another tool's report: refused before reading, naming the tool to choose.
    let e = err(ScanTool::Nessus, b"<?xml version=\"1.0\"?>\n<OWASPZAPReport/>");
    assert_eq!(e.kind(), &ScanErrorKind::WrongTool { chosen: ScanTool::Nessus, detected: ScanTool::Zap });
    let sarif =
        b"{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\", \"version\": \"2.1.0\", \"runs\": []}";
    let e = err(ScanTool::Nessus, sarif);
    assert_eq!(e.kind(), &ScanErrorKind::WrongTool { chosen: ScanTool::Nessus, detected: ScanTool::Sarif });
    let d = e.into_domain("bao-cao.nessus");
    assert_eq!(
        d.message(khien_domain::Lang::Vi),
        "Tệp bao-cao.nessus, tệp này là báo cáo SARIF 2.1.0, không phải Nessus (.nessus v2): hãy chọn công cụ «sarif»"
    );
    assert_eq!(
        d.message(khien_domain::Lang::En),
        "File bao-cao.nessus, this file is a SARIF 2.1.0 report, not Nessus (.nessus v2): choose the tool «sarif»"
    );
    let e = err(ScanTool::Trivy, &synthetic_nessus(1, 1, 1));
    assert_eq!(e.kind(), &ScanErrorKind::WrongTool { chosen: ScanTool::Trivy, detected: ScanTool::Nessus });
    assert!(e.message_en().contains("choose the tool «nessus»"), "{e}");
    // Unrecognised content is left to the chosen reader, which names what it expected.
    let e = err(ScanTool::Nessus, b"<?xml version=\"1.0\"?>\n<Other/>");
    assert_eq!(e.kind(), &ScanErrorKind::WrongRoot { expected: "NessusClientData_v2", found: "Other".into() });
    assert_eq!(e.location().line, Some(2));
}

#[test]
fn into_domain_names_file_place_and_field_in_both_languages() {
    let e = err(ScanTool::Sarif, b"{\n  \"version\": \"2.0.0\", \"runs\": []}");
    let d = e.into_domain("quét\nmã.sarif");
    assert_eq!(d.field(), Some("version"));
    let vi = d.message(khien_domain::Lang::Vi);
    let en = d.message(khien_domain::Lang::En);
    assert_eq!(
        vi,
        "Tệp quét mã.sarif, dòng 2, trường «version»: phiên bản «2.0.0» không được hỗ trợ; chỉ đọc phiên bản 2.1.0"
    );
    assert_eq!(
        en,
        "File quét mã.sarif, line 2, field «version»: version «2.0.0» is not supported; only version 2.1.0 is read"
    );
}

/// Cuts and flips bytes of valid reports of every kind: errors are fine, panics are not.
#[test]
fn never_panics_on_damaged_input() {
    let samples: Vec<(ScanTool, Vec<u8>)> = vec![
        (ScanTool::Nessus, synthetic_nessus(2, 3, 9)),
        (ScanTool::OpenVas, b"<report><report><scan_start>2020-01-01T00:00:00Z</scan_start><results><result><host>1.2.3.4</host><port>general/tcp</port><nvt oid=\"1\"><name>n</name><refs><ref type=\"cve\" id=\"CVE-2020-1234\"/></refs><tags>summary=s|solution=x</tags></nvt><threat>Log</threat><severity>0.0</severity><description>d</description></result></results></report></report>".to_vec()),
        (ScanTool::Zap, b"<OWASPZAPReport><site name=\"https://a\" host=\"a\" port=\"443\" ssl=\"true\"><alerts><alertitem><pluginid>1</pluginid><name>\xc4\x90\xc3\xa0</name><riskcode>3</riskcode><cweid>79</cweid><instances><instance><uri>https://a/x</uri><method>GET</method></instance></instances></alertitem></alerts></site></OWASPZAPReport>".to_vec()),
        (ScanTool::Zap, br#"{"site":{"@host":"a","@port":8080,"alerts":[{"pluginid":1,"riskcode":"1","name":"\u0110","instances":[{"uri":"u"}]}]}}"#.to_vec()),
        (ScanTool::Sarif, br#"{"version":"2.1.0","runs":[{"tool":{"driver":{"rules":[{"id":"r","properties":{"security-severity":"9.1","tags":["external/cwe/cwe-79"]}}]}},"results":[{"ruleId":"r","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.rs"},"region":{"startLine":3}}}],"partialFingerprints":{"h":"1"}}]}]}"#.to_vec()),
        (ScanTool::Trivy, br#"{"SchemaVersion":2,"Results":[{"Target":"t","Vulnerabilities":[{"VulnerabilityID":"CVE-2020-1","PkgName":"p","InstalledVersion":"1","Severity":"HIGH","CVSS":{"nvd":{"V3Score":7.5}},"CweIDs":["CWE-79"]}],"Secrets":[{"RuleID":"k","Severity":"LOW","StartLine":1}]}]}"#.to_vec()),
    ];
    let mut outcomes = 0;
    for (tool, bytes) in &samples {
        parse_scan_to_vec(*tool, &bytes[..]).unwrap_or_else(|e| panic!("{tool:?} sample: {e}"));
        let step = (bytes.len() / 150).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let _ = parse_scan_to_vec(*tool, &bytes[..cut]);
            for flip in [b'<', b'"', b'{', 0xC4, b'&', b'9', 0x00] {
                let mut damaged = bytes.clone();
                damaged[cut] = flip;
                let r = parse_scan_to_vec(*tool, &damaged[..]);
                if let Err(e) = r {
                    assert!(!e.message_vi().is_empty() && !e.message_en().is_empty());
                }
                outcomes += 1;
            }
        }
    }
    assert!(outcomes > 1000);
}

/// A prefix followed by an endless run of one byte: only a reader that stops at the limit
/// ever returns.
struct Endless {
    prefix: Vec<u8>,
    at: usize,
    fill: u8,
}

impl std::io::Read for Endless {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut n = 0;
        while n < out.len() {
            out[n] = self.prefix.get(self.at).copied().unwrap_or(self.fill);
            self.at += 1;
            n += 1;
        }
        Ok(n)
    }
}

fn endless(prefix: &str) -> BufReader<Endless> {
    BufReader::new(Endless { prefix: prefix.as_bytes().to_vec(), at: 0, fill: b'a' })
}

#[test]
fn endless_values_stop_at_the_limit() {
    let e = parse_scan(ScanTool::Nessus, endless(&format!("{HOST}<ReportItem pluginName=\"")), &mut |_| Ok(()))
        .unwrap_err();
    assert_eq!(
        (e.kind(), place(&e)),
        (&ScanErrorKind::TooLong { max_bytes: MAX_TEXT_BYTES }, (Some(4), Some("ReportItem")))
    );
    let e = parse_scan(ScanTool::OpenVas, endless("<report>\n<results><result><description>"), &mut |_| Ok(()))
        .unwrap_err();
    assert_eq!(place(&e), (Some(2), Some("description")));
    let e = parse_scan(
        ScanTool::Sarif,
        endless("{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\n\"message\": {\"text\": \""),
        &mut |_| Ok(()),
    )
    .unwrap_err();
    assert_eq!(place(&e), (Some(2), Some("text")));
    assert_eq!(e.location().item.as_deref(), Some("runs[0].results[0]"));
}
