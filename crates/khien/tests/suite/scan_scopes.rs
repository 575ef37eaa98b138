//! Issue 11, items 3 and 4, on both stores: a report closes only what its own producer found
//! on its own target, a unit's re-import never verifies its own fix, and duplicates are
//! reported with their key and keep their evidence.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use khien_formats::scan::ScanTool;
use khien_store::{FindingFilter, SystemInput};

on_both_stores!(a_report_closes_only_its_own_producers_findings, duplicates_are_listed_and_keep_their_evidence);

fn sarif(driver: &str, results: &[(&str, &str, &str)]) -> String {
    let results: Vec<String> = results
        .iter()
        .map(|(rule, file, snippet)| {
            format!(
                r#"{{"ruleId": "{rule}", "level": "error", "message": {{"text": "{rule} in {file}"}}, "locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": "{file}"}}, "region": {{"startLine": 3, "snippet": {{"text": "{snippet}"}}}}}}}}]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "{driver}"}}}}, "results": [{}]}}]}}"#,
        results.join(",")
    )
}

fn trivy(artifact: &str, ids: &[&str]) -> String {
    let vulns: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"{{"VulnerabilityID": "{id}", "PkgName": "openssl", "InstalledVersion": "1.0", "Severity": "HIGH"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"SchemaVersion": 2, "ArtifactName": "{artifact}", "ArtifactType": "container_image", "Results": [{{"Target": "{artifact} (alpine 3.19)", "Class": "os-pkgs", "Type": "alpine", "Vulnerabilities": [{}]}}]}}"#,
        vulns.join(",")
    )
}

async fn states(db: &TestDb, system_id: i64) -> Vec<(String, String)> {
    let admin = crate::common::admin_actor(db).await;
    let page = db
        .store
        .list_findings(
            &admin,
            &FindingFilter { system_id: Some(system_id), include_closed: true, limit: 100, ..Default::default() },
        )
        .await
        .unwrap();
    let mut out: Vec<(String, String)> =
        page.items.iter().map(|f| (f.rule_id.clone(), f.state.code().to_string())).collect();
    out.sort();
    out
}

async fn a_report_closes_only_its_own_producers_findings(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let pa05 = actor(&db, "pa05.truong").await;
    let sys = SystemInput {
        code: "HB-SCOPES".into(),
        name: "Cổng dịch vụ công".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &sys).await.unwrap();
    let import = |who: khien_domain::scope::Actor, tool: ScanTool, name: &'static str, body: String| {
        let store = db.store.clone();
        async move {
            store
                .import_scan(&who, sys.id, tool, name, Box::new(std::io::Cursor::new(body.into_bytes())))
                .await
                .unwrap()
        }
    };
    import(
        officer.clone(),
        ScanTool::Sarif,
        "grype.sarif",
        sarif("Grype", &[("G1", "go.mod", "a"), ("G2", "go.sum", "b")]),
    )
    .await;
    // Another tool's report on the same system closes nothing of Grype's.
    let s =
        import(officer.clone(), ScanTool::Sarif, "spotbugs.sarif", sarif("SpotBugs", &[("S1", "App.java", "c")])).await;
    assert_eq!(s.closed, 0, "{s:?}");
    // Nor does a Trivy report of one image close another image's findings.
    import(officer.clone(), ScanTool::Trivy, "web.json", trivy("registry/web:1", &["CVE-2024-0001"])).await;
    let s = import(officer.clone(), ScanTool::Trivy, "db.json", trivy("registry/db:1", &["CVE-2024-0002"])).await;
    assert_eq!(s.closed, 0, "{s:?}");
    assert!(states(&db, sys.id).await.iter().all(|(_, st)| st == "open"), "{:?}", states(&db, sys.id).await);
    // The unit's own newer Grype report without G2: G2 is "fixed", awaiting verification.
    let s = import(officer.clone(), ScanTool::Sarif, "grype-2.sarif", sarif("Grype", &[("G1", "go.mod", "a")])).await;
    assert_eq!(s.closed, 1);
    let now = states(&db, sys.id).await;
    assert!(
        now.contains(&("G2".into(), "fixed".into()))
            && now.contains(&("G1".into(), "open".into()))
            && now.contains(&("S1".into(), "open".into())),
        "{now:?}"
    );
    // The authority's Grype report with nothing left verifies both; SpotBugs' finding stays.
    let s = import(pa05.clone(), ScanTool::Sarif, "grype-3.sarif", sarif("Grype", &[])).await;
    assert_eq!(s.closed, 2, "{s:?}");
    let now = states(&db, sys.id).await;
    assert!(
        now.contains(&("G1".into(), "verified".into()))
            && now.contains(&("G2".into(), "verified".into()))
            && now.contains(&("S1".into(), "open".into())),
        "{now:?}"
    );
    // A clean image report from the unit marks only that image's finding fixed.
    let s = import(officer.clone(), ScanTool::Trivy, "web-2.json", trivy("registry/web:1", &[])).await;
    assert_eq!(s.closed, 1, "{s:?}");
    let now = states(&db, sys.id).await;
    assert!(now.iter().filter(|(_, st)| st == "open").count() == 2, "S1 and the db image's CVE stay open: {now:?}");
}

async fn duplicates_are_listed_and_keep_their_evidence(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let sys = SystemInput {
        code: "HB-DUPES".into(),
        name: "Cổng dịch vụ công".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &sys).await.unwrap();
    // The same rule at the same place twice, with different snippets.
    let body = sarif(
        "Semgrep",
        &[("R1", "app.py", "eval(first)"), ("R2", "app.py", "other"), ("R1", "app.py", "eval(second)")],
    );
    let s = db
        .store
        .import_scan(
            &officer,
            sys.id,
            ScanTool::Sarif,
            "semgrep.sarif",
            Box::new(std::io::Cursor::new(body.into_bytes())),
        )
        .await
        .unwrap();
    assert_eq!((s.findings, s.created, s.duplicates), (3, 2, 1), "{s:?}");
    let dup = &s.duplicates_listed[0];
    assert_eq!(dup.rule_id, "R1");
    let admin = crate::common::admin_actor(&db).await;
    let page = db
        .store
        .list_findings(
            &admin,
            &FindingFilter { system_id: Some(sys.id), include_closed: true, limit: 100, ..Default::default() },
        )
        .await
        .unwrap();
    let kept = page.items.iter().find(|f| f.rule_id == "R1").unwrap();
    let full = db.store.get_finding(&admin, kept.id).await.unwrap();
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let key: String = sqlx::query_scalar("SELECT dedup_key FROM findings WHERE id = $1")
        .bind(kept.id)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(key, dup.key, "the listed key is the kept finding's");
    assert!(full.evidence.contains("eval(first)") && full.evidence.contains("eval(second)"), "{}", full.evidence);

    // Issue 11, item 8: a target that is also the component is named once.
    let config = r#"{"SchemaVersion": 2, "ArtifactName": ".", "ArtifactType": "filesystem", "Results": [{"Target": "Dockerfile", "Class": "config", "Type": "dockerfile",
      "Misconfigurations": [{"ID": "DS002", "Title": "Image user should not be 'root'", "Severity": "HIGH", "Status": "FAIL"}]}]}"#;
    db.store
        .import_scan(
            &officer,
            sys.id,
            ScanTool::Trivy,
            "config.json",
            Box::new(std::io::Cursor::new(config.as_bytes().to_vec())),
        )
        .await
        .unwrap();
    let page = db
        .store
        .list_findings(
            &admin,
            &FindingFilter { system_id: Some(sys.id), include_closed: true, limit: 100, ..Default::default() },
        )
        .await
        .unwrap();
    let ds = page.items.iter().find(|f| f.rule_id == "DS002").unwrap();
    assert_eq!(ds.component.as_deref(), Some("Dockerfile"));
}
