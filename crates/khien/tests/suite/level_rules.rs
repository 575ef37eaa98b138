//! Issue 12 through the store and the API, on both stores: the level criteria and the NĐ 331
//! transition, who appraises and approves (the ministry, the named owning body and dedicated
//! unit, no unit on its own system), and Mẫu 08 as one workbook. Each test names its article.

use crate::common::{actor, admin_actor, bootstrap, unit_id, TestDb};
use crate::systems::{submitted_dossier, ward_system, BASIC_PARTS};
use khien_domain::system::dossier::DossierAction as A;
use khien_domain::{Error, FixedTime};
use khien_store::{DossierInput, SystemInput};

on_both_stores!(fixed_clock: levels_follow_the_decrees_criteria_and_the_transition);

on_both_stores!(
    nd331_d18_the_ministry_appraises_levels_4_5_and_no_unit_appraises_its_own_system,
    nd85_d12_nd331_d20_the_named_owning_body_and_dedicated_unit_act,
    nd85_d14_3_c_level_5_is_approved_by_the_prime_ministers_list
);

/// Issue 12, items 1–4, through the store: a public portal with public information is level 2
/// (NĐ 331 Đ12.2), not 1; an internal system's data subjects do not raise it (NĐ 331 Đ12.1);
/// industrial control by the works' grade (Đ14.3); a system whose building began before
/// 01/7/2026 gets its dossier under NĐ 85 (NĐ 331 Đ39.1).
async fn levels_follow_the_decrees_criteria_and_the_transition(db: TestDb, time: FixedTime) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let make = |code: &'static str, input: SystemInput| {
        let store = db.store.clone();
        let officer = officer.clone();
        async move {
            let s = store
                .create_system(
                    &officer,
                    &SystemInput { code: code.into(), name: "Hệ thống".into(), owner_unit_id: ward, ..input },
                )
                .await
                .unwrap();
            store.get_system(&officer, s.id).await.unwrap()
        }
    };
    let portal = make("HB-PORTAL", SystemInput { system_type: "public_service".into(), ..Default::default() }).await;
    assert_eq!(portal.suggestion.level, 2, "{:?}", portal.suggestion);
    assert!(portal.suggestion.reasons[0].1.vi.contains("NĐ 331 Đ12.2"), "{:?}", portal.suggestion);
    let internal = make(
        "HB-HR",
        SystemInput {
            system_type: "internal".into(),
            info_personal: true,
            subjects_basic: 400_000,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(internal.suggestion.level, 2);
    let scada = make(
        "HB-SCADA",
        SystemInput {
            system_type: "industrial_control".into(),
            works_grade: Some("grade_1".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(scada.suggestion.level, 4);
    let err = db
        .store
        .create_system(
            &officer,
            &SystemInput {
                code: "HB-BAD".into(),
                name: "X".into(),
                owner_unit_id: ward,
                system_type: "industrial_control".into(),
                works_grade: Some("grade_9".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("works_grade"));
    // Building began in March 2026: the level is determined under NĐ 85 until 01/01/2027 (the
    // store's clock stands in November 2026).
    let old = make(
        "HB-OLD",
        SystemInput {
            system_type: "public_service".into(),
            info_personal: true,
            subjects_basic: 20_000,
            building_started_on: Some("01/03/2026".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        (old.suggestion.ruleset, old.suggestion.level),
        ("nd85-2016", 3),
        "20,000 users: level 3 under NĐ 85 Đ9.2.c"
    );
    let d = db.store.create_dossier(&officer, old.system.id, &DossierInput::default()).await.unwrap();
    assert_eq!((d.ruleset.as_str(), d.suggested_level), ("nd85-2016", 3));
    // From 01/01/2027 NĐ 331 decides (level 2); the dossier opened before keeps its ruleset.
    let new_year = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    time.set(new_year.and_utc().timestamp_millis() - 7 * 3_600_000);
    assert_eq!(db.store.clock().today_vn(), new_year.date());
    let now = db.store.get_system(&officer, old.system.id).await.unwrap();
    assert_eq!((now.suggestion.ruleset, now.suggestion.level), ("nd331-2026", 2), "2 under NĐ 331");
    let (kept, _) = db.store.get_dossier(&officer, d.id).await.unwrap();
    assert_eq!((kept.ruleset.as_str(), kept.suggested_level), ("nd85-2016", 3));
}

/// Issue 12, item 5 (in part): levels 4–5 are appraised by the ministry (NĐ 331 Đ18.3) — Khiên
/// records its document, there is no button to click for it; and the dedicated unit does not
/// appraise a system it operates itself (NĐ 331 Đ18.4; TT 12/2022 Đ6).
async fn nd331_d18_the_ministry_appraises_levels_4_5_and_no_unit_appraises_its_own_system(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let pa05 = actor(&db, "pa05.truong").await;
    let national = SystemInput {
        code: "HB-NATIONAL".into(),
        name: "Hạ tầng kết nối quốc gia".into(),
        owner_unit_id: ward,
        system_type: "info_infrastructure".into(),
        infra_scope: Some("national".into()),
        ..Default::default()
    };
    let s = db.store.create_system(&officer, &national).await.unwrap();
    let d = db.store.create_dossier(&officer, s.id, &DossierInput::default()).await.unwrap();
    assert_eq!(d.proposed_level, 4);
    db.store.update_dossier(&officer, d.id, &DossierInput { proposed_level: 4, level_reason: None }).await.unwrap();
    let parts = ["overview", "design", "level_justification", "protection_plan", "expert_opinion", "risk_assessment"];
    crate::common::attach_parts(&db, &officer, d.id, &parts).await;
    let sent = db
        .store
        .act_on_dossier(&officer, d.id, A::Submit, None, Some("45/UBND-VP ngày 01/12/2026"), None)
        .await
        .unwrap();
    assert_eq!(
        sent.appraisal_request_ref.as_deref(),
        Some("45/UBND-VP ngày 01/12/2026"),
        "the request sent to the ministry is kept"
    );
    let err = db
        .store
        .act_on_dossier(&pa05, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), None, None)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("decision_number"), "{err:?}");
    let d = db
        .store
        .act_on_dossier(&pa05, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), Some("215/BCA-A05"), None)
        .await
        .unwrap();
    assert_eq!((d.state.code(), d.appraisal_ref.as_deref()), ("appraised", Some("215/BCA-A05")));

    // The standing body's own system: it may not appraise it.
    let root = db.store.root_unit().await.unwrap().unwrap().id;
    let own = SystemInput {
        code: "TP-OWN".into(),
        name: "Cổng thông tin của cơ quan thường trực".into(),
        owner_unit_id: root,
        system_type: "public_service".into(),
        admin_procedures: true,
        security_rules_ref: Some("1/QĐ".into()),
        ..Default::default()
    };
    let s = db.store.create_system(&pa05, &own).await.unwrap();
    let d = submitted_dossier(&db, &pa05, &admin_actor(&db).await, s.id, 3, &BASIC_PARTS).await;
    let err = db
        .store
        .act_on_dossier(&pa05, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), None, None)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Forbidden(m) if m.vi.contains("NĐ 331 Đ18.4")), "{err:?}");
}

/// Issue 12, item 5: once the authority names the owning body's written delegate and the
/// dedicated security unit (NĐ 85 Đ12; NĐ 331 Đ18, Đ20), their people appraise and approve a
/// ward's level-3 dossier, and the ward's own leadership no longer approves it.
async fn nd85_d12_nd331_d20_the_named_owning_body_and_dedicated_unit_act(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let khcn = unit_id(&db, "SO-KHCN").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let ward_manager = actor(&db, "hongbang.quanly").await;
    let khcn_manager = actor(&db, "sokhcn.quanly").await;
    let pa05 = actor(&db, "pa05.truong").await;
    // Only the standing body names them.
    assert!(matches!(
        db.store.set_level_bodies(&ward_manager, Some(khcn), None, Some(khcn)).await,
        Err(Error::Forbidden(_) | Error::NotFound(_))
    ));
    assert_eq!(
        db.store.set_level_bodies(&pa05, Some(999_999), None, None).await.unwrap_err().field(),
        Some("owning_body_unit_id")
    );
    let named =
        db.store.set_level_bodies(&pa05, Some(khcn), Some("15/QĐ-UBND ngày 02/01/2026"), Some(khcn)).await.unwrap();
    assert_eq!((named.owning_body_unit_id, named.dedicated_unit_id), (Some(khcn), Some(khcn)));
    let s = db
        .store
        .create_system(
            &officer,
            &SystemInput { security_rules_ref: Some("9/QĐ".into()), ..ward_system(ward, "HB-BODIES") },
        )
        .await
        .unwrap();
    let d = submitted_dossier(&db, &officer, &officer, s.id, 3, &BASIC_PARTS).await;
    // The dedicated unit's manager finds it waiting, and appraises a ward's dossier it could
    // not see before; a manager of another department does not see it.
    assert!(db.store.pending_dossiers(&khcn_manager).await.unwrap().iter().any(|(p, _, _)| p.id == d.id));
    assert!(matches!(db.store.get_dossier(&actor(&db, "soyt.quanly").await, d.id).await, Err(Error::NotFound(_))));
    db.store
        .act_on_dossier(&khcn_manager, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), None, None)
        .await
        .unwrap();
    // The ward's manager no longer approves; the owning body's delegate does, and is named.
    let err = db
        .store
        .act_on_dossier(
            &ward_manager,
            d.id,
            A::Approve,
            Some("Đồng ý phê duyệt cấp độ đề xuất."),
            Some("1/QĐ"),
            Some("X"),
        )
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Forbidden(m) if m.vi.contains("Sở")), "{err:?}");
    let approved = db
        .store
        .act_on_dossier(
            &khcn_manager,
            d.id,
            A::Approve,
            Some("Đồng ý phê duyệt cấp độ đề xuất."),
            Some("30/QĐ-SKHCN"),
            Some("Giám đốc Sở"),
        )
        .await
        .unwrap();
    assert_eq!(approved.state, "approved");
}

/// Issue 12, item 11: the whole Mẫu 08 as one workbook — section 1 the counts, section 2 the
/// owning body and its dedicated unit the authority named, section 3 the systems.
#[tokio::test]
async fn nd331_mau_08_workbook_has_its_three_parts() {
    use calamine::Reader;
    let s = crate::common::TestServer::start().await;
    let pa05 = s.login("pa05.truong", crate::common::DEMO_PASSWORD).await;
    let khcn = unit_id(&s.db, "SO-KHCN").await;
    let r = pa05.send(reqwest::Method::PUT, "/api/v1/rulesets/bodies", Some(serde_json::json!({"owning_body_unit_id": khcn, "dedicated_unit_id": khcn, "delegation_ref": "15/QĐ-UBND"}))).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    let r = pa05.get("/api/v1/systems/overview/form08").await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    let book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["1. Số liệu".to_string(), "2. Chủ quản, chuyên trách".to_string(), "3. Hệ thống".to_string()]
    );
    let text = crate::authz::xlsx_text(&bytes);
    assert!(text.contains("Đơn vị chuyên trách") && text.contains("Sở Khoa học"), "section 2 names the bodies: {text}");
    assert!(
        text.contains("Đã được phân loại (đã xác định loại hình)") && text.contains("Tình trạng triển khai phương án"),
        "{text}"
    );
}

/// NĐ 85 Đ14.3.c: under NĐ 85 a level-5 system is approved by the Prime Minister's list of
/// level-5 systems; Khiên records that decision's number (the standing body or the owner's
/// leadership records it) instead of offering the owning body a button.
async fn nd85_d14_3_c_level_5_is_approved_by_the_prime_ministers_list(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let pa05 = actor(&db, "pa05.truong").await;
    let international = SystemInput {
        code: "HB-INTL".into(),
        name: "Cổng kết nối quốc tế".into(),
        owner_unit_id: ward,
        system_type: "info_infrastructure".into(),
        infra_scope: Some("international".into()),
        // Building began before 01/7/2026: NĐ 85 still applies (NĐ 331 Đ39.1).
        building_started_on: Some("01/03/2026".into()),
        security_rules_ref: Some("12/QĐ-UBND".into()),
        ..Default::default()
    };
    let s = db.store.create_system(&officer, &international).await.unwrap();
    let parts = ["overview", "design", "level_justification", "protection_plan", "expert_opinion"];
    let d = submitted_dossier(&db, &officer, &officer, s.id, 5, &parts).await;
    assert_eq!(d.ruleset, "nd85-2016");
    db.store
        .act_on_dossier(&pa05, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), Some("301/BCA-A05"), None)
        .await
        .unwrap();
    let err = db
        .store
        .act_on_dossier(&pa05, d.id, A::Approve, Some("Đồng ý phê duyệt cấp độ đề xuất."), None, None)
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("decision_number"), "{err:?}");
    assert!(err.message(khien_domain::Lang::Vi).contains("Thủ tướng"), "{err:?}");
    let d = db
        .store
        .act_on_dossier(&pa05, d.id, A::Approve, Some("Đồng ý phê duyệt cấp độ đề xuất."), Some("1234/QĐ-TTg"), None)
        .await
        .unwrap();
    assert_eq!(d.state, "approved");
    assert_eq!(
        (d.decision_number.as_deref(), d.decision_signer.as_deref()),
        (Some("1234/QĐ-TTg"), Some("Thủ tướng Chính phủ"))
    );
}
