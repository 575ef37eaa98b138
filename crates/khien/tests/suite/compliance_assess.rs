//! Compliance assessments on both stores: planning against TCVN 14423:2026 at the system's level,
//! recording results, counts and percent, the state machine, and scope; catalogue import errors.

use crate::common::{actor, admin_actor, bootstrap, unit_id, TestDb, TestServer, ADMIN_PASSWORD};
use khien_domain::compliance::assessment::{AssessmentKind, AssessmentState};
use khien_domain::Error;
use khien_store::{AssessmentFilter, AssessmentInput, DossierInput, ResultInput, SystemInput};

on_both_stores!(
    assessment_results_states_and_scope,
    another_catalogue_version_does_not_verify_the_old_versions_findings
);

fn res(node: &str, outcome: Option<&str>) -> ResultInput {
    ResultInput { node_id: node.into(), result: outcome.map(str::to_string), notes: Some(format!("Ghi chú {node}")) }
}

async fn assessment_results_states_and_scope(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let neighbour = actor(&db, "lechan.canbo").await;
    let assessor = actor(&db, "danhgia").await;
    // A level-3 system of the ward (level proposed in its dossier).
    let input = SystemInput {
        code: "HB-MOTCUA".into(),
        name: "Hệ thống một cửa điện tử phường Hồng Bàng".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        ..Default::default()
    };
    let system = db.store.create_system(&admin, &input).await.unwrap();
    db.store
        .create_dossier(
            &admin,
            system.id,
            &DossierInput {
                proposed_level: 3,
                level_reason: Some("Hệ thống phục vụ dịch vụ công trực tuyến toàn trình".into()),
            },
        )
        .await
        .unwrap();
    let cats = db.store.list_catalogues(&officer).await.unwrap();
    let tcvn = cats.iter().find(|c| c.code == "tcvn-14423-2026").expect("built-in TCVN 14423:2026 is loaded");
    assert!(cats.iter().any(|c| c.code == "tcvn-11930-2017"));
    let tree = db.store.catalogue(&officer, tcvn.id).await.unwrap();
    let expected = tree.nodes.iter().filter(|n| n.is_requirement() && n.applies_to(3)).count() as i64;

    // Bad input is refused with the field named.
    let plan = |kind: &str, assessor_unit_id: Option<i64>| AssessmentInput {
        system_id: system.id,
        catalogue_id: tcvn.id,
        kind: AssessmentKind::parse("kind", kind).unwrap(),
        assessor_unit_id,
        title: "Tự đánh giá năm 2026".into(),
        planned_for: Some("15/12/2026".into()),
    };
    assert_eq!(
        db.store.create_assessment(&officer, &plan("self", Some(ward))).await.unwrap_err().field(),
        Some("assessor_unit_id")
    );
    assert_eq!(
        db.store.create_assessment(&officer, &plan("independent", Some(ward))).await.unwrap_err().field(),
        Some("assessor_unit_id")
    );
    assert_eq!(AssessmentKind::parse("kind", "other").unwrap_err().field(), Some("kind"));
    assert!(db.store.create_assessment(&neighbour, &plan("self", None)).await.is_err(), "another ward cannot plan it");

    let a = db.store.create_assessment(&officer, &plan("self", None)).await.unwrap();
    assert_eq!((a.level, a.state.code(), a.applicable, a.percent), (3, "planned", expected, None));
    assert_eq!(a.planned_for.as_deref(), Some("2026-12-15"));
    let d = db.store.assessment(&officer, a.id).await.unwrap();
    assert_eq!(d.results.len() as i64, expected);
    assert!(d.results.windows(2).all(|w| w[0].position < w[1].position), "tree order");
    assert!(d.results.iter().all(|r| r.group_id.is_some() && !r.title_vi.is_empty()));
    let nodes: Vec<String> = d.results.iter().map(|r| r.node_id.clone()).collect();

    // First results: the planned assessment starts; counts and percent follow.
    let first = vec![
        res(&nodes[0], Some("compliant")),
        res(&nodes[1], Some("partly")),
        res(&nodes[2], Some("non_compliant")),
        res(&nodes[3], Some("not_applicable")),
    ];
    let bad = vec![res(&nodes[0], Some("maybe"))];
    assert_eq!(db.store.record_results(&officer, a.id, &bad).await.unwrap_err().field(), Some("results[0].result"));
    assert_eq!(
        db.store.record_results(&officer, a.id, &[res("NO-SUCH", Some("compliant"))]).await.unwrap_err().field(),
        Some("results[0].node_id")
    );
    let a1 = db.store.record_results(&officer, a.id, &first).await.unwrap();
    assert_eq!(a1.state, "in_progress");
    assert!(a1.started_at.is_some());
    assert_eq!((a1.compliant, a1.partly, a1.non_compliant, a1.not_applicable), (1, 1, 1, 1));
    let want = ((1.5 * 100.0 / (expected - 1) as f64) * 10.0).round() / 10.0;
    assert_eq!(a1.percent, Some(want));
    // Changing one result keeps the counts right.
    let a2 = db.store.record_results(&officer, a.id, &[res(&nodes[2], Some("compliant"))]).await.unwrap();
    assert_eq!((a2.compliant, a2.non_compliant), (2, 0));
    let d = db.store.assessment(&officer, a.id).await.unwrap();
    assert_eq!(d.results[2].result.as_deref(), Some("compliant"));
    assert_eq!(d.results[2].notes, format!("Ghi chú {}", nodes[2]));
    let group_total: i64 = d.groups.iter().map(|g| g.applicable).sum();
    assert_eq!(group_total, expected, "every result counted in one group");

    // Another unit sees nothing: 404 on read and write, nothing listed.
    assert!(matches!(db.store.assessment(&neighbour, a.id).await, Err(Error::NotFound(_))));
    assert!(matches!(db.store.record_results(&neighbour, a.id, &first).await, Err(Error::NotFound(_))));
    assert!(matches!(
        db.store.move_assessment(&neighbour, a.id, AssessmentState::InReview).await,
        Err(Error::NotFound(_))
    ));
    assert!(
        matches!(db.store.assessment(&assessor, a.id).await, Err(Error::NotFound(_))),
        "a self-assessment is not the assessor's"
    );
    let theirs =
        db.store.list_assessments(&neighbour, &AssessmentFilter { limit: 100, ..Default::default() }).await.unwrap();
    assert!(theirs.items.iter().all(|x| x.id != a.id));
    let ours =
        db.store.list_assessments(&officer, &AssessmentFilter { limit: 100, ..Default::default() }).await.unwrap();
    assert!(ours.items.iter().any(|x| x.id == a.id));

    // Refused moves: 409.
    assert!(matches!(db.store.move_assessment(&officer, a.id, AssessmentState::Done).await, Err(Error::Conflict(_))));
    assert!(
        matches!(db.store.move_assessment(&officer, a.id, AssessmentState::InReview).await, Err(Error::Conflict(_))),
        "not everything assessed yet"
    );
    let rest: Vec<ResultInput> = nodes[4..].iter().map(|n| res(n, Some("compliant"))).collect();
    let full = db.store.record_results(&officer, a.id, &rest).await.unwrap();
    assert_eq!(full.compliant + full.partly + full.non_compliant + full.not_applicable, expected);
    let r = db.store.move_assessment(&officer, a.id, AssessmentState::InReview).await.unwrap();
    assert_eq!(r.state, "in_review");
    assert!(
        matches!(db.store.record_results(&officer, a.id, &first).await, Err(Error::Conflict(_))),
        "review takes no results"
    );
    db.store.move_assessment(&officer, a.id, AssessmentState::InProgress).await.unwrap();
    db.store.move_assessment(&officer, a.id, AssessmentState::InReview).await.unwrap();
    let ward_row = |rows: Vec<khien_store::UnitCompliance>| rows.into_iter().find(|r| r.unit_id == ward);
    let before = ward_row(db.store.unit_compliance(&officer).await.unwrap());
    let done = db.store.move_assessment(&officer, a.id, AssessmentState::Done).await.unwrap();
    assert_eq!(done.state, "done");
    assert!(done.finished_at.is_some());
    // The ward's compliance now counts this system's assessment; another ward does not see it.
    let after = ward_row(db.store.unit_compliance(&officer).await.unwrap()).expect("the ward has a done assessment");
    let (systems0, applicable0, compliant0) =
        before.map_or((0, 0, 0), |b| (b.systems_assessed, b.applicable, b.compliant));
    assert_eq!(
        (after.systems_assessed, after.applicable, after.compliant),
        (systems0 + 1, applicable0 + done.applicable, compliant0 + done.compliant)
    );
    if systems0 == 0 {
        assert_eq!(after.percent, done.percent);
    }
    assert!(ward_row(db.store.unit_compliance(&neighbour).await.unwrap()).is_none());
    // The gap becomes a finding with a deadline: the one partly met requirement, medium.
    let gaps = db
        .store
        .list_findings(
            &officer,
            &khien_store::FindingFilter { system_id: Some(system.id), limit: 50, ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(gaps.items.len(), 1, "{:?}", gaps.items);
    let g = &gaps.items[0];
    assert_eq!(
        (g.source.as_str(), g.severity.code(), g.node_id.as_deref(), g.assessment_id),
        ("assessment", "medium", Some(nodes[1].as_str()), Some(a.id))
    );
    assert!(g.due_at.is_some() && g.title.contains(&nodes[1]));
    assert!(matches!(
        db.store.move_assessment(&officer, a.id, AssessmentState::InProgress).await,
        Err(Error::Conflict(_))
    ));
    assert!(matches!(db.store.record_results(&officer, a.id, &first).await, Err(Error::Conflict(_))));

    // An independent assessment: the assessor unit records, the ward only reads; the next one
    // is compared with the done one.
    let kd = unit_id(&db, "KD-PN").await;
    let ind = db
        .store
        .create_assessment(
            &officer,
            &AssessmentInput { title: "Đánh giá độc lập 2027".into(), ..plan("independent", Some(kd)) },
        )
        .await
        .unwrap();
    assert!(matches!(db.store.record_results(&officer, ind.id, &first).await, Err(Error::Forbidden(_))));
    let by_assessor =
        db.store.record_results(&assessor, ind.id, &[res(&nodes[0], Some("non_compliant"))]).await.unwrap();
    assert_eq!(by_assessor.state, "in_progress");
    let listed =
        db.store.list_assessments(&assessor, &AssessmentFilter { limit: 100, ..Default::default() }).await.unwrap();
    assert_eq!(
        listed.items.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![ind.id],
        "the assessor lists only what is assigned to it"
    );
    let cmp = db.store.assessment(&officer, ind.id).await.unwrap();
    assert_eq!(cmp.previous_id, Some(a.id));
    assert_eq!(cmp.changes.len(), 1);
    assert_eq!(
        (cmp.changes[0].before.as_deref(), cmp.changes[0].after.as_deref()),
        (Some("compliant"), Some("non_compliant"))
    );
    assert!(!cmp.can_record && cmp.next_states.is_empty());

    // Evidence: checked by content, downloadable only by those who see the assessment.
    let e = db
        .store
        .add_evidence(&assessor, ind.id, &nodes[0], "Biên bản kiểm tra.pdf", b"%PDF-1.4 bien ban", Some("31/12/2027"))
        .await
        .unwrap();
    assert_eq!(e.valid_until.as_deref(), Some("2027-12-31"));
    assert_eq!(e.sha256.len(), 64);
    assert!(db.store.add_evidence(&assessor, ind.id, &nodes[0], "x.pdf", b"MZ not a pdf", None).await.is_err());
    assert_eq!(db.store.evidence(&officer, e.id).await.unwrap().1, b"%PDF-1.4 bien ban".to_vec());
    assert!(matches!(db.store.evidence(&neighbour, e.id).await, Err(Error::NotFound(_))));
    // Done, the independent assessment is the system's layer 3 (date and assessor).
    let all: Vec<ResultInput> = nodes.iter().map(|n| res(n, Some("compliant"))).collect();
    db.store.record_results(&assessor, ind.id, &all).await.unwrap();
    db.store.move_assessment(&assessor, ind.id, AssessmentState::InReview).await.unwrap();
    db.store.move_assessment(&assessor, ind.id, AssessmentState::Done).await.unwrap();
    // Only the latest done assessment of a system counts for its unit.
    let latest = ward_row(db.store.unit_compliance(&officer).await.unwrap()).unwrap();
    assert_eq!((latest.systems_assessed, latest.compliant - compliant0), (systems0 + 1, all.len() as i64));
    let s = db.store.get_system(&officer, system.id).await.unwrap().system;
    assert_eq!(s.assessed_on, Some(db.store.clock().today_vn().format("%Y-%m-%d").to_string()));
    assert!(s.assessor_unit.is_some_and(|u| !u.is_empty()));
    // The independent assessment is the system's periodic-assessment duty done (issue 15.5).
    let duties = db.store.system_obligations(&officer, system.id).await.unwrap();
    assert!(duties
        .recent
        .iter()
        .any(|o| o.kind == "reassessment" && o.source == "assessment" && o.ref_id == Some(ind.id)));
    // The requirement met now closes the finding the first assessment opened.
    let open = db
        .store
        .list_findings(
            &officer,
            &khien_store::FindingFilter { system_id: Some(system.id), limit: 50, ..Default::default() },
        )
        .await
        .unwrap();
    assert!(open.items.is_empty(), "{:?}", open.items);
    assert!(db.store.maintenance().verify_audit_chain().await.unwrap().is_ok());
}

#[tokio::test]
async fn catalogue_import_over_the_api() {
    let s = TestServer::start().await;
    let admin = s.login("admin", ADMIN_PASSWORD).await;
    let send = |path: &str, body: &'static str| {
        let c = admin.client.clone();
        let url = admin.url(path);
        let csrf = admin.csrf.clone();
        async move { c.post(url).header("x-csrf-token", csrf).body(body).send().await.unwrap() }
    };
    let csv = "id,parent_id,kind,title_vi,levels\nG1,,group,Nhóm một,\nR1,G1,requirement,Yêu cầu một,1-5\nR1,G1,requirement,Yêu cầu trùng,3-5\n";
    let r = send("/api/v1/catalogues/import?format=table&file_name=danh-muc.csv&code=test-cat&version=1", csv).await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("danh-muc.csv") && text.contains('4'), "names the file and the row: {text}");
    let ok = "id,parent_id,kind,title_vi,levels\nG1,,group,Nhóm một,\nR1,G1,requirement,Yêu cầu một,1-5\nR2,G1,requirement,Yêu cầu hai,3-5\n";
    let r = send("/api/v1/catalogues/import?format=table&file_name=danh-muc.csv&code=test-cat&version=1", ok).await;
    assert_eq!(r.status(), 201);
    let info: serde_json::Value = r.json().await.unwrap();
    assert_eq!(info["requirements"], 2);
    let r = send("/api/v1/catalogues/import?format=table&file_name=danh-muc.csv&code=test-cat&version=1", ok).await;
    assert_eq!(r.status(), 409, "same code and version twice");
    let tree = admin.get_json(&format!("/api/v1/catalogues/{}", info["id"])).await;
    assert_eq!(tree["nodes"].as_array().unwrap().len(), 3);

    // YAML: nested, the same checks; a bad level names the node's place.
    let yaml = "nodes:\n  - id: G1\n    kind: nhóm\n    title_vi: Nhóm một\n    children:\n      - id: R1\n        kind: yêu cầu\n        title_vi: Yêu cầu một\n        levels: 1-5\n      - id: R2\n        kind: requirement\n        title_vi: Yêu cầu hai\n        levels: 3+\n";
    let r = send("/api/v1/catalogues/import?format=table&file_name=danh-muc.yaml&code=test-yaml&version=1", yaml).await;
    assert_eq!(r.status(), 201);
    let yaml_info: serde_json::Value = r.json().await.unwrap();
    assert_eq!(yaml_info["requirements"], 2);
    let r = send("/api/v1/catalogues/import?format=table&file_name=hong.yaml&code=test-yaml&version=2", "nodes:\n  - id: G1\n    kind: group\n    title_vi: Nhóm\n    children:\n      - id: R1\n        kind: requirement\n        title_vi: Một\n        levels: 7\n").await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("hong.yaml") && text.contains("nodes[0].children[0]"), "names the file and the node: {text}");

    // Exports in the three table formats; the YAML one imports back as the same tree.
    let id = info["id"].as_i64().unwrap();
    for (format, kind) in [("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("yaml", "yaml")] {
        let r = admin.get(&format!("/api/v1/catalogues/{id}/export?format={format}")).await;
        assert_eq!(r.status(), 200, "{format}");
        let ct = r.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap().to_string();
        assert!(ct.contains(kind), "{format}: {ct}");
        let disposition = r.headers()[reqwest::header::CONTENT_DISPOSITION].to_str().unwrap().to_string();
        assert!(disposition.contains(&format!("test-cat-1.{format}")), "{disposition}");
    }
    let exported = admin.get(&format!("/api/v1/catalogues/{id}/export?format=yaml")).await.text().await.unwrap();
    let back = admin
        .client
        .post(admin.url("/api/v1/catalogues/import?format=table&file_name=lai.yaml&code=test-cat&version=2"))
        .header("x-csrf-token", &admin.csrf)
        .body(exported)
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 201);
    let back_id = back.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    let again = admin.get_json(&format!("/api/v1/catalogues/{back_id}")).await;
    let shape = |t: &serde_json::Value| {
        t["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["node_id"].to_string(),
                    n["parent_id"].to_string(),
                    n["levels"].to_string(),
                    n["title_vi"].to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&again), shape(&tree));
    assert_eq!(admin.get(&format!("/api/v1/catalogues/{id}/export?format=pdf")).await.status(), 422);
    let template = admin.get("/api/v1/catalogues/template").await;
    assert_eq!(template.status(), 200);
    assert!(template.bytes().await.unwrap().starts_with(b"PK"));

    // An OSCAL profile selects from a stored catalogue; an id it does not hold is named.
    let profile = |ids: &str| {
        format!(
            r#"{{"profile":{{"uuid":"2f1c3e4a-0000-4000-8000-000000000001","metadata":{{"title":"Baseline thử","version":"2026.1","last-modified":"2026-12-01T00:00:00Z","oscal-version":"1.1.2"}},"imports":[{{"href":"test-cat.json","include-controls":[{{"with-ids":[{ids}]}}]}}]}}}}"#
        )
    };
    let send_profile = |query: String, body: String| {
        let c = admin.client.clone();
        let url = admin.url(&query);
        let csrf = admin.csrf.clone();
        async move { c.post(url).header("x-csrf-token", csrf).body(body).send().await.unwrap() }
    };
    let r = send_profile(
        format!(
            "/api/v1/catalogues/import?format=profile&file_name=baseline.json&code=test-base&source_id={id}&levels=3-5"
        ),
        profile(r#""R2""#),
    )
    .await;
    assert_eq!(r.status(), 201);
    let base: serde_json::Value = r.json().await.unwrap();
    assert_eq!((base["requirements"].as_i64(), base["version"].as_str()), (Some(1), Some("2026.1")));
    let r = send_profile(
        format!("/api/v1/catalogues/import?format=profile&file_name=baseline.json&code=test-base2&source_id={id}"),
        profile(r#""R2","R9""#),
    )
    .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("R9") && text.contains("include-controls"), "{text}");
    let r = send_profile(
        "/api/v1/catalogues/import?format=profile&file_name=baseline.json&code=test-base3".into(),
        profile(r#""R2""#),
    )
    .await;
    assert_eq!(r.status(), 422, "a profile needs its source catalogue");

    // The web form imports too, and the new version opens.
    let form = reqwest::multipart::Form::new()
        .text("format", "table")
        .text("code", "test-web")
        .text("version", "1")
        .text("title_vi", "Danh mục nhập từ trang")
        .part("file", reqwest::multipart::Part::bytes(yaml.as_bytes().to_vec()).file_name("tu-trang.yml"));
    let r = admin
        .client
        .post(admin.url("/catalogues/import"))
        .header("x-csrf-token", &admin.csrf)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "sent on to the new catalogue");
    let to = r.headers()[reqwest::header::LOCATION].to_str().unwrap().to_string();
    assert!(to.starts_with("/catalogues/"), "{to}");
    let page = admin.get(&to).await.text().await.unwrap();
    assert!(page.contains("Danh mục nhập từ trang") && page.contains("id=\"catalogue-exports\""), "{page}");
    assert!(admin.get("/catalogues").await.text().await.unwrap().contains("id=\"catalogue-import-form\""));
    // A unit's people read catalogues but do not import them; pages render.
    let ward = s.login("hongbang.canbo", crate::common::DEMO_PASSWORD).await;
    let r = ward
        .client
        .post(ward.url("/api/v1/catalogues/import?format=table&file_name=a.csv&code=x&version=1"))
        .header("x-csrf-token", &ward.csrf)
        .body(ok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    for page in ["/catalogues", "/assessments", "/assessments/by-unit", &format!("/catalogues/{}?level=3", info["id"])]
    {
        let r = ward.get(page).await;
        assert_eq!(r.status(), 200, "{page}");
    }
    assert!(
        !ward.get("/catalogues").await.text().await.unwrap().contains("catalogue-import-form"),
        "the form is the standing body's"
    );
    let form = reqwest::multipart::Form::new()
        .text("format", "table")
        .text("code", "x")
        .text("version", "1")
        .part("file", reqwest::multipart::Part::bytes(yaml.as_bytes().to_vec()).file_name("x.yaml"));
    let r = ward
        .client
        .post(ward.url("/catalogues/import"))
        .header("x-csrf-token", &ward.csrf)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// Issue 12, item 13: TCVN 11930:2017 ships a second version (by TT 12/2022's annexes) with other
/// node ids. An assessment against it must not close as met the open findings of an assessment
/// against the first version: a requirement it never assessed is not "met".
async fn another_catalogue_version_does_not_verify_the_old_versions_findings(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let input = SystemInput {
        code: "HB-VERSIONS".into(),
        name: "Hệ thống thư điện tử phường".into(),
        owner_unit_id: ward,
        system_type: "internal".into(),
        info_personal: true,
        ..Default::default()
    };
    let system = db.store.create_system(&admin, &input).await.unwrap();
    db.store.create_dossier(&admin, system.id, &DossierInput { proposed_level: 2, level_reason: None }).await.unwrap();
    let cats = db.store.list_catalogues(&officer).await.unwrap();
    let version = |v: &str| {
        cats.iter()
            .find(|c| c.code == "tcvn-11930-2017" && c.version == v)
            .unwrap_or_else(|| panic!("tcvn-11930-2017 {v} is built in"))
            .id
    };
    let run = |catalogue_id: i64, fail_first: bool| {
        let store = db.store.clone();
        let officer = officer.clone();
        async move {
            let plan = AssessmentInput {
                system_id: system.id,
                catalogue_id,
                kind: khien_domain::compliance::assessment::AssessmentKind::SelfAssessment,
                assessor_unit_id: None,
                title: "Tự đánh giá".into(),
                planned_for: None,
            };
            let a = store.create_assessment(&officer, &plan).await.unwrap();
            let nodes: Vec<String> =
                store.assessment(&officer, a.id).await.unwrap().results.iter().map(|r| r.node_id.clone()).collect();
            let results: Vec<ResultInput> = nodes
                .iter()
                .enumerate()
                .map(|(i, n)| res(n, Some(if fail_first && i == 0 { "non_compliant" } else { "compliant" })))
                .collect();
            store.record_results(&officer, a.id, &results).await.unwrap();
            store.move_assessment(&officer, a.id, AssessmentState::InReview).await.unwrap();
            store.move_assessment(&officer, a.id, AssessmentState::Done).await.unwrap();
        }
    };
    run(version("2017"), true).await;
    let open = |store: khien_store::Store| async move {
        let f = khien_store::FindingFilter { system_id: Some(system.id), limit: 50, ..Default::default() };
        store.list_findings(&admin_actor_of(&store).await, &f).await.unwrap().items.len()
    };
    assert_eq!(open(db.store.clone()).await, 1, "the unmet requirement is a finding");
    run(version("2017-tt12"), false).await;
    assert_eq!(open(db.store.clone()).await, 1, "still open: the new version never assessed that requirement");
}

async fn admin_actor_of(store: &khien_store::Store) -> khien_domain::scope::Actor {
    let id = store.maintenance().user_id_by_username("admin").await.unwrap().unwrap();
    store.actor_for_user(id).await.unwrap()
}
