//! Content, determinism, tokens and refusals, without external tools.

use serde_json::Value;

use super::*;

fn ssp_json(input: &SspInput) -> Value {
    json(&export_ssp(input).unwrap())
}

fn props_of(v: &Value) -> Vec<(String, String)> {
    v["props"].as_array().map_or(Vec::new(), |a| {
        a.iter().map(|p| (p["name"].as_str().unwrap().to_string(), p["value"].as_str().unwrap().to_string())).collect()
    })
}

fn prop_value(v: &Value, name: &str) -> Option<String> {
    props_of(v).into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

#[test]
fn same_input_same_bytes_and_keys_drive_the_uuids() {
    assert_eq!(export_ssp(&sample_ssp()).unwrap(), export_ssp(&sample_ssp()).unwrap());
    assert_eq!(export_assessment_results(&sample_ar()).unwrap(), export_assessment_results(&sample_ar()).unwrap());
    assert_eq!(export_poam(&sample_poam()).unwrap(), export_poam(&sample_poam()).unwrap());

    // Another installation mints other ids; the same unit keeps its uuid across documents.
    let a = ssp_json(&sample_ssp());
    let mut other = sample_ssp();
    other.namespace_id = "another-city".into();
    let b = ssp_json(&other);
    assert_ne!(a["system-security-plan"]["uuid"], b["system-security-plan"]["uuid"]);
    let owner_uuid = |v: &Value, model: &str| {
        v[model]["metadata"]["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "Ủy ban nhân dân thành phố Đà Nẵng")
            .unwrap()["uuid"]
            .clone()
    };
    let poam = json(&export_poam(&sample_poam()).unwrap());
    assert_eq!(owner_uuid(&a, "system-security-plan"), owner_uuid(&poam, "plan-of-action-and-milestones"));

    // A new version of the plan keeps the document uuid (OSCAL: per subject).
    let mut later = sample_ssp();
    later.version = "2026.2".into();
    later.last_modified = t("2026-12-01T00:00:00Z");
    assert_eq!(ssp_json(&later)["system-security-plan"]["uuid"], a["system-security-plan"]["uuid"]);
}

#[test]
fn control_tokens_of_odd_ids() {
    assert_eq!(control_token("ac-2.1"), "ac-2.1");
    assert_eq!(control_token("AC-2"), "AC-2");
    assert_eq!(control_token(" ac-2 "), "ac-2");
    assert_eq!(control_token("14423.6.2"), "_14423.6.2");
    assert_eq!(control_token("6"), "_6");
    let vi = control_token("Điều 6.2 a");
    assert!(vi.starts_with("_dieu-6.2-a_") && vi.len() == "_dieu-6.2-a_".len() + 8, "{vi}");
    // Folding alike, still apart.
    assert_ne!(control_token("Điều 6.2 a"), control_token("Dieu 6.2 a"));
    assert_ne!(control_token("a b"), control_token("a-b"));
    assert_ne!(control_token("a b"), control_token("a  b"));
    for odd in ["", "   ", "ạ", "1 2", "x/y", "yêu cầu #3", "🙂", "a\u{301}", "--", ".5", "ĐĐ", "tab\there"] {
        let tok = control_token(odd);
        assert!(is_token(&tok) && tok.is_ascii(), "{odd:?} → {tok:?}");
    }
    // Deterministic.
    assert_eq!(control_token("yêu cầu #3"), control_token("yêu cầu #3"));
}

#[test]
fn ssp_content() {
    let v = ssp_json(&sample_ssp());
    check_shape(&v);
    let ssp = &v["system-security-plan"];
    let md = &ssp["metadata"];
    assert_eq!(md["title"], "Kế hoạch bảo đảm an toàn — Cổng dịch vụ công thành phố Đà Nẵng");
    assert_eq!(md["oscal-version"], "1.1.2");
    assert_eq!(md["last-modified"], "2026-09-01T03:15:00Z");
    assert_eq!(md["parties"].as_array().unwrap().len(), 2);
    assert_eq!(md["parties"][0]["email-addresses"][0], "sotttt@danang.gov.vn");
    let sc = &ssp["system-characteristics"];
    assert_eq!(sc["security-sensitivity-level"], "cap-do-3");
    assert_eq!(sc["security-impact-level"]["security-objective-integrity"], "cap-do-3");
    assert_eq!(sc["system-ids"][0]["id"], "HT-2026-0042");
    assert_eq!(sc["status"]["state"], "operational");
    assert_eq!(ssp["system-implementation"]["components"][0]["type"], "this-system");
    assert_eq!(ssp["import-profile"]["href"], "catalogues/tcvn-14423-2026.json");
    assert!(ssp.get("back-matter").is_none());
    assert_eq!(prop_value(md, "catalogue-code").as_deref(), Some("tcvn-14423-2026"));
    // Without a file to point to, the import names a back-matter resource.
    let mut s = sample_ssp();
    s.catalogue.href = None;
    let v2 = ssp_json(&s);
    check_shape(&v2);
    let res = &v2["system-security-plan"]["back-matter"]["resources"][0];
    assert_eq!(v2["system-security-plan"]["import-profile"]["href"], format!("#{}", res["uuid"].as_str().unwrap()));
    assert!(res.get("rlinks").is_none());

    let reqs = ssp["control-implementation"]["implemented-requirements"].as_array().unwrap();
    assert_eq!(reqs.len(), 6);
    let ids: Vec<&str> = reqs.iter().map(|r| r["control-id"].as_str().unwrap()).collect();
    assert_eq!(&ids[..3], ["_14423.6.2", "_14423.6.7", "ac-2.1"]);
    assert_eq!(prop_value(&reqs[3], "original-control-id").as_deref(), Some("Điều 6.2 a"));
    assert_eq!(reqs[0]["by-components"][0]["implementation-status"]["state"], "implemented");
    assert_eq!(reqs[1]["by-components"][0]["implementation-status"]["state"], "planned");
    assert_eq!(reqs[2]["by-components"][0]["implementation-status"]["state"], "partial");
    assert_eq!(reqs[3]["by-components"][0]["implementation-status"]["state"], "not-applicable");
    assert!(reqs[0]["by-components"][0]["description"].as_str().unwrap().contains("rà soát hằng quý"));
    // No result and no statement: no by-components; a statement alone: no status.
    assert!(reqs[4].get("by-components").is_none());
    assert!(reqs[5]["by-components"][0].get("implementation-status").is_none());
    assert_eq!(prop_value(&reqs[1], "assessment-result").as_deref(), Some("non-compliant"));

    let bare = ssp_json(&bare_ssp());
    check_shape(&bare);
    let sc = &bare["system-security-plan"]["system-characteristics"];
    assert!(sc.get("security-sensitivity-level").is_none() && sc.get("system-name-short").is_none());
    assert_eq!(sc["security-impact-level"]["security-objective-availability"], "chua-xac-dinh");
    assert_eq!(bare["system-security-plan"]["metadata"]["parties"].as_array().unwrap().len(), 1);
}

#[test]
fn ar_content() {
    let v = json(&export_assessment_results(&sample_ar()).unwrap());
    check_shape(&v);
    let ar = &v["assessment-results"];
    let resources = ar["back-matter"]["resources"].as_array().unwrap();
    assert_eq!(ar["import-ap"]["href"], format!("#{}", resources[0]["uuid"].as_str().unwrap()));
    // plan, catalogue, two evidence files (one used twice).
    assert_eq!(resources.len(), 4);
    let r = &ar["results"][0];
    assert_eq!(r["start"], "2026-10-01T01:00:00Z");
    assert_eq!(r["end"], "2026-10-03T10:30:00Z");
    let selected: Vec<&str> = r["reviewed-controls"]["control-selections"][0]["include-controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control-id"].as_str().unwrap())
        .collect();
    assert_eq!(selected.len(), 5);
    assert_eq!(selected[0], "_14423.6.2");
    assert!(r["description"].as_str().unwrap().contains("1 đạt, 1 đạt một phần, 1 không đạt, 1 không áp dụng"));

    let findings = r["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 4, "one per requirement with a result");
    let states: Vec<&str> = findings.iter().map(|f| f["target"]["status"]["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["satisfied", "not-satisfied", "not-satisfied", "satisfied"]);
    assert_eq!(findings[1]["target"]["target-id"], "_14423.6.7");
    assert_eq!(findings[1]["target"]["type"], "objective-id");

    let observations = r["observations"].as_array().unwrap();
    assert_eq!(observations.len(), 4, "requirements with a note or evidence");
    let ev = &observations[0]["relevant-evidence"][0];
    assert_eq!(prop_value(ev, "sha256").as_deref(), Some("a".repeat(64).as_str()));
    assert!(ev["href"].as_str().unwrap().starts_with('#'));
    assert_eq!(findings[0]["related-observations"][0]["observation-uuid"], observations[0]["uuid"]);
    let assessor = &ar["metadata"]["parties"][0]["uuid"];
    assert_eq!(&findings[0]["origins"][0]["actors"][0]["actor-uuid"], assessor);
    assert_eq!(ar["metadata"]["responsible-parties"][0]["role-id"], "assessor");

    let empty = json(&export_assessment_results(&empty_ar()).unwrap());
    check_shape(&empty);
    let r = &empty["assessment-results"]["results"][0];
    assert!(r.get("findings").is_none() && r.get("observations").is_none() && r.get("end").is_none());
    assert!(r["reviewed-controls"]["control-selections"][0].get("include-controls").is_none());
    assert_eq!(r["description"], "Đợt đánh giá mới bắt đầu.");
    assert_eq!(
        empty["assessment-results"]["back-matter"]["resources"][0]["rlinks"][0]["href"],
        "plans/assessment-17.pdf"
    );
}

#[test]
fn poam_content() {
    let v = json(&export_poam(&sample_poam()).unwrap());
    check_shape(&v);
    let p = &v["plan-of-action-and-milestones"];
    assert_eq!(p["system-id"]["id"], "HT-2026-0042");
    let risks = p["risks"].as_array().unwrap();
    let statuses: Vec<&str> = risks.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["open", "remediating", "deviation-approved", "investigating", "closed"]);
    assert_eq!(risks[0]["deadline"], "2026-09-30T23:59:59+07:00");
    assert!(risks[1].get("deadline").is_none());
    assert_eq!(
        risks[0]["statement"],
        "Mức độ nghiêm trọng: Nghiêm trọng (CVSS 9.8). Vị trí: 10.10.1.5:443/tcp. CVE-2024-12797, CVE-2025-0001."
    );
    assert_eq!(risks[1]["statement"], "Kẻ tấn công có thể chiếm quyền CSDL.");
    assert_eq!(risks[0]["remediations"][0]["lifecycle"], "planned");

    let items = p["poam-items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    let first = &items[0];
    assert_eq!(first["related-risks"][0]["risk-uuid"], risks[0]["uuid"]);
    assert_eq!(first["related-observations"][0]["observation-uuid"], p["observations"][0]["uuid"]);
    let props = props_of(first);
    for (name, value) in [
        ("severity", "critical"),
        ("cvss-score", "9.8"),
        ("cve", "CVE-2025-0001"),
        ("host", "10.10.1.5"),
        ("port", "443"),
        ("protocol", "tcp"),
        ("control-id", "_14423.6.7"),
        ("due-date", "2026-09-30"),
    ] {
        assert!(props.contains(&(name.to_string(), value.to_string())), "{name}={value} in {props:?}");
    }

    let empty = json(&export_poam(&empty_poam()).unwrap());
    check_shape(&empty);
    let p = &empty["plan-of-action-and-milestones"];
    assert!(p.get("risks").is_none() && p.get("observations").is_none());
    assert_eq!(prop_value(&p["poam-items"][0], "placeholder").as_deref(), Some("true"));
}

#[test]
fn refusals() {
    let mut s = sample_ssp();
    s.requirements.clear();
    assert_eq!(export_ssp(&s).unwrap_err(), OscalExportError::NoRequirements);

    let mut s = sample_ssp();
    s.requirements.push(req(" ac-2.1", "again", None, None));
    let e = export_ssp(&s).unwrap_err();
    assert_eq!(e, OscalExportError::DuplicateKey { kind: "requirement id", key: "ac-2.1".into() });
    assert!(e.message_vi().contains("«ac-2.1»"));

    let mut a = sample_ar();
    a.end = Some(t("2026-09-30T00:00:00Z"));
    assert_eq!(export_assessment_results(&a).unwrap_err(), OscalExportError::EndBeforeStart);

    let mut a = sample_ar();
    a.requirements[0].evidence[0].sha256 = "not-a-hash".into();
    assert!(matches!(export_assessment_results(&a).unwrap_err(), OscalExportError::InvalidSha256 { .. }));

    let mut p = sample_poam();
    p.items[1].key = " finding:ab12".into();
    assert!(matches!(export_poam(&p).unwrap_err(), OscalExportError::DuplicateKey { kind: "finding key", .. }));
}

#[test]
fn blank_and_multiline_texts_become_valid_strings() {
    let mut s = sample_ssp();
    s.system.name = "  \n ".into();
    s.system.code = "".into();
    s.information_type.title = "\t".into();
    s.requirements[0].title = Some("  dòng 1\r\n dòng 2 ".into());
    s.owner.email = Some("không phải email".into());
    let v = ssp_json(&s);
    check_shape(&v);
    let ssp = &v["system-security-plan"];
    assert_eq!(ssp["system-characteristics"]["system-name"], "(chưa có tên)");
    assert_eq!(ssp["system-characteristics"]["system-ids"][0]["id"], "system:42");
    assert_eq!(
        prop_value(&ssp["control-implementation"]["implemented-requirements"][0], "requirement-title").as_deref(),
        Some("dòng 1 dòng 2")
    );
    assert!(ssp["metadata"]["parties"][0].get("email-addresses").is_none());
}
