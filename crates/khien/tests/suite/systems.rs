//! The systems registry and level dossiers on both stores: suggestion, workflow, who may act,
//! the go-live gate, deadlines with the holiday calendar, overlaps, the overview.

use crate::common::{actor, admin_actor, bootstrap, unit_id, TestDb};
use khien_domain::system::dossier::DossierAction as A;
use khien_domain::system::Lifecycle;
use khien_domain::Error;
use khien_store::{DossierInput, ImportSystem, SystemFilter, SystemInput};

on_both_stores!(
    dossier_flow_and_go_live_gate,
    overlapping_ranges_and_bad_input,
    registry_filters_and_overview,
    overview_agrees_with_each_system,
    batched_import_checks_every_row,
    the_authority_chooses_who_approves
);

/// A dossier of `system_id` at `level` with these parts, drafted by `editor` and submitted by
/// `submitter`.
pub(crate) async fn submitted_dossier(
    db: &TestDb,
    editor: &khien_domain::scope::Actor,
    submitter: &khien_domain::scope::Actor,
    system_id: i64,
    level: i64,
    parts: &[&str],
) -> khien_store::Dossier {
    let d = db.store.create_dossier(editor, system_id, &DossierInput::default()).await.unwrap();
    db.store.update_dossier(editor, d.id, &DossierInput { proposed_level: level, level_reason: None }).await.unwrap();
    crate::common::attach_parts(db, editor, d.id, parts).await;
    db.store.act_on_dossier(submitter, d.id, A::Submit, None, None, None).await.unwrap()
}

/// The parts every level needs (NĐ 85 Đ15; NĐ 331 Đ21).
pub(crate) const BASIC_PARTS: [&str; 4] = ["overview", "design", "level_justification", "protection_plan"];

pub(crate) fn ward_system(owner: i64, code: &str) -> SystemInput {
    SystemInput {
        code: code.into(),
        name: "Cổng dịch vụ công phường Hồng Bàng".into(),
        owner_unit_id: owner,
        system_type: "public_service".into(),
        info_personal: true,
        subjects_basic: 20_000,
        admin_procedures: true,
        status: Some(Lifecycle::Building),
        ip_ranges: vec!["10.20.1.0/24".into()],
        ..Default::default()
    }
}

async fn dossier_flow_and_go_live_gate(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let manager = actor(&db, "hongbang.quanly").await;
    let pa05 = actor(&db, "pa05.truong").await;
    let s = db.store.create_system(&officer, &ward_system(ward, "HB-DVC")).await.unwrap();
    let detail = db.store.get_system(&officer, s.id).await.unwrap();
    assert_eq!(detail.suggestion.level, 3, "administrative procedures make it level 3");
    assert!(detail.suggestion.reasons.iter().any(|(_, m)| m.vi.contains("thủ tục hành chính")));
    // The gate: no operation without an approved level.
    let err = db.store.set_system_status(&officer, s.id, Lifecycle::InOperation).await.unwrap_err();
    assert!(err.message(khien_domain::Lang::Vi).contains("chưa có quyết định phê duyệt"), "{err:?}");
    // Draft → submit needs the parts.
    let d = db.store.create_dossier(&officer, s.id, &DossierInput::default()).await.unwrap();
    assert_eq!((d.state.code(), d.proposed_level), ("draft", 3));
    let err = db.store.act_on_dossier(&officer, d.id, A::Submit, None, None, None).await.unwrap_err();
    assert!(err.message(khien_domain::Lang::Vi).contains("còn thiếu"));
    // Attachments: checked by content, hashed, only while the dossier is editable.
    let a =
        db.store.add_attachment(&officer, d.id, "design", "Hồ sơ thiết kế.pdf", b"%PDF-1.7 thiet ke").await.unwrap();
    assert_eq!(a.sha256.len(), 64);
    assert_eq!(a.content_type, "application/pdf");
    let err =
        db.store.add_attachment(&officer, d.id, "design", "thiet-ke.pdf", b"MZ\x90 executable").await.unwrap_err();
    assert_eq!(err.field(), Some("file"));
    let (meta, bytes) = db.store.attachment_file(&pa05, a.id).await.unwrap();
    assert_eq!((meta.file_name.as_str(), bytes.as_slice()), ("Hồ sơ thiết kế.pdf", &b"%PDF-1.7 thiet ke"[..]));
    assert!(matches!(
        db.store.attachment_file(&actor(&db, "sokhcn.quanly").await, a.id).await,
        Err(Error::NotFound(_))
    ));
    // A part is complete with a file, or declared not applicable with a reason (issue 14.3).
    crate::common::attach_parts(&db, &officer, d.id, &["overview", "level_justification"]).await;
    let plan = khien_domain::system::dossier::Part::ProtectionPlan;
    let short = db.store.set_part_not_applicable(&officer, d.id, plan, Some("không")).await.unwrap_err();
    assert_eq!(short.field(), Some("reason"));
    let err = db.store.act_on_dossier(&officer, d.id, A::Submit, None, None, None).await.unwrap_err();
    assert!(err.message(khien_domain::Lang::Vi).contains("Thuyết minh phương án"), "{err:?}");
    let reason = "Phương án dùng chung của Trung tâm dữ liệu thành phố, đã phê duyệt";
    let parts = db.store.set_part_not_applicable(&officer, d.id, plan, Some(reason)).await.unwrap();
    let of = |p| parts.iter().find(|s| s.part == p).unwrap();
    assert!(of(plan).complete && of(plan).not_applicable.as_deref() == Some(reason));
    assert_eq!(of(khien_domain::system::dossier::Part::Design).files.len(), 1);
    assert!(parts.iter().filter(|p| p.required).all(|p| p.complete), "{parts:?}");
    let other_ward = actor(&db, "lechan.canbo").await;
    assert!(db.store.set_part_not_applicable(&other_ward, d.id, plan, None).await.is_err(), "not another ward");
    let d = db.store.act_on_dossier(&officer, d.id, A::Submit, None, None, None).await.unwrap();
    assert_eq!(d.state, "submitted");
    assert!(
        db.store.add_attachment(&officer, d.id, "design", "muon.pdf", b"%PDF-1.7").await.is_err(),
        "no attachments once submitted"
    );
    assert_eq!(d.due_step.as_deref(), Some("appraisal"));
    assert!(d.due_on.is_some() && !d.overdue);
    // The owner cannot appraise its own dossier; the standing body can.
    assert!(matches!(
        db.store.act_on_dossier(&manager, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), None, None).await,
        Err(Error::Forbidden(_))
    ));
    // An appraisal is judged in writing (issue 14.3): no opinion, no appraisal.
    let err = db.store.act_on_dossier(&pa05, d.id, A::Appraise, None, None, None).await.unwrap_err();
    assert_eq!(err.field(), Some("note"), "{err:?}");
    let d = db
        .store
        .act_on_dossier(&pa05, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), None, None)
        .await
        .unwrap();
    assert_eq!(d.due_step.as_deref(), Some("approval"));
    // At level 3 the owner approves, not the standing body; a decision number is required.
    assert!(matches!(
        db.store
            .act_on_dossier(&pa05, d.id, A::Approve, Some("Đồng ý phê duyệt cấp độ đề xuất."), Some("12/QĐ"), Some("X"))
            .await,
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        db.store.act_on_dossier(&manager, d.id, A::Approve, Some("Đồng ý phê duyệt cấp độ đề xuất."), None, None).await,
        Err(Error::Invalid { .. })
    ));
    // The security rules are issued before approval (NĐ 331 Đ30.7).
    let err = db
        .store
        .act_on_dossier(
            &manager,
            d.id,
            A::Approve,
            Some("Đồng ý phê duyệt cấp độ đề xuất."),
            Some("125/QĐ-UBND"),
            Some("Nguyễn Văn A"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("security_rules_ref"), "{err:?}");
    assert!(err.message(khien_domain::Lang::Vi).contains("NĐ 331 Đ30.7"), "{err:?}");
    let with_rules =
        SystemInput { security_rules_ref: Some("15/QĐ-UBND ngày 02/3/2026".into()), ..ward_system(ward, "HB-DVC") };
    db.store.update_system(&officer, s.id, &with_rules).await.unwrap();
    let d = db
        .store
        .act_on_dossier(
            &manager,
            d.id,
            A::Approve,
            Some("Đồng ý phê duyệt cấp độ đề xuất."),
            Some("125/QĐ-UBND"),
            Some("Nguyễn Văn A"),
        )
        .await
        .unwrap();
    assert_eq!(d.state, "approved");
    assert!(
        db.store
            .act_on_dossier(&manager, d.id, A::Approve, Some("Đồng ý phê duyệt cấp độ đề xuất."), Some("1"), Some("X"))
            .await
            .is_err(),
        "no second approval"
    );
    assert!(db.store.get_system(&officer, s.id).await.unwrap().redetermination.is_none());
    // Approved is not enough to go live: the plan implemented in full (Đ30.6) and the security
    // conditions assessed before operation (Đ28.3).
    let err = db.store.set_system_status(&officer, s.id, Lifecycle::InOperation).await.unwrap_err();
    assert!(
        err.message(khien_domain::Lang::Vi).contains("NĐ 331 Đ30.6")
            && err.message(khien_domain::Lang::Vi).contains("NĐ 331 Đ28.3"),
        "{err:?}"
    );
    let ready = SystemInput {
        plan_status: Some("full".into()),
        preoperation_assessed_on: Some("20/11/2026".into()),
        ..with_rules
    };
    db.store.update_system(&officer, s.id, &ready).await.unwrap();
    let live = db.store.set_system_status(&officer, s.id, Lifecycle::InOperation).await.unwrap();
    assert_eq!(live.status, "in_operation");
    assert_eq!(live.approved_level, Some(3));
    assert!(live.go_live_date.is_some());
    // Mẫu 08 section 3 (NĐ 331 Đ35–36): the system's row as the form asks it.
    let rows = db.store.form08_systems(&manager).await.unwrap();
    let row = rows.iter().find(|r| r.name == live.name).unwrap();
    assert_eq!(
        (row.proposed_level, row.approval_status.as_deref(), row.plan_status.as_str()),
        (Some(3), Some("approved"), "full")
    );
    assert!(row.decision.as_deref().is_some_and(|d| d.contains("125/QĐ-UBND")), "{row:?}");
    assert_eq!(row.security_rules.as_deref(), Some("15/QĐ-UBND ngày 02/3/2026"));
    assert_eq!(row.assessments, vec!["before_use".to_string()]);
    // A change that alters the suggested level asks for a new determination (the harm of a
    // secret's breach decides, NĐ 331 Đ14.1).
    let secret = SystemInput {
        secret_grade: Some("secret".into()),
        secret_harm: Some("serious".into()),
        ..ward_system(ward, "HB-DVC")
    };
    db.store.update_system(&officer, s.id, &secret).await.unwrap();
    let redo = db.store.get_system(&officer, s.id).await.unwrap().redetermination.unwrap();
    assert!(redo.vi.contains("cấp độ gợi ý 4"), "{redo:?}");
    // Another unit cannot see any of it.
    let other = actor(&db, "sokhcn.quanly").await;
    assert!(matches!(db.store.get_system(&other, s.id).await, Err(Error::NotFound(_))));
    assert!(matches!(db.store.get_dossier(&other, d.id).await, Err(Error::NotFound(_))));
    // An exception opens the gate for an unapproved system, and only the authority records it.
    let s2 = db
        .store
        .create_system(&officer, &SystemInput { ip_ranges: vec![], ..ward_system(ward, "HB-2") })
        .await
        .unwrap();
    assert!(matches!(
        db.store.record_exception(&manager, s2.id, "Cần vận hành gấp phục vụ bầu cử", "2099-01-01").await,
        Err(Error::Forbidden(_))
    ));
    db.store.record_exception(&pa05, s2.id, "Cần vận hành gấp phục vụ bầu cử", "2099-01-01").await.unwrap();
    assert_eq!(
        db.store.set_system_status(&officer, s2.id, Lifecycle::InOperation).await.unwrap().status,
        "in_operation"
    );
    // The system's registers: connections (secure share in the overview) and certificates.
    let conn = |auth: Option<&str>, encrypted| khien_store::ConnectionInput {
        direction: "outbound".into(),
        peer: "Cổng DVC quốc gia".into(),
        data_categories: None,
        auth_method: auth.map(Into::into),
        encrypted,
        approved: true,
    };
    db.store.add_connection(&officer, s.id, &conn(Some("mTLS"), true)).await.unwrap();
    db.store.add_connection(&officer, s.id, &conn(None, true)).await.unwrap();
    assert_eq!(
        db.store
            .add_connection(
                &officer,
                s.id,
                &khien_store::ConnectionInput { direction: "sideways".into(), ..conn(None, false) }
            )
            .await
            .unwrap_err()
            .field(),
        Some("direction")
    );
    let cert = |expires: &str| khien_store::CertificateInput {
        kind: khien_domain::system::CertificateKind::UsbToken,
        holder: "Chủ tịch UBND phường".into(),
        serial: "5401".into(),
        issuer: "Ban Cơ yếu Chính phủ".into(),
        expires_on: expires.into(),
    };
    let soon = (db.store.clock().today_vn() + chrono::Duration::days(10)).format("%d/%m/%Y").to_string();
    assert!(db.store.add_certificate(&officer, s.id, &cert(&soon)).await.unwrap().expiring);
    assert!(!db.store.add_certificate(&officer, s.id, &cert("01/01/2099")).await.unwrap().expiring);
    assert!(matches!(db.store.connections_of(&other, s.id).await, Err(Error::NotFound(_))));
    let total = db.store.overview(&pa05).await.unwrap().pop().unwrap();
    assert_eq!((total.connections, total.connections_secure, total.certificates_expiring), (2, 1, 1));
    assert!(db.store.maintenance().verify_audit_chain().await.unwrap().is_ok());
}

async fn overlapping_ranges_and_bad_input(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let other = unit_id(&db, "P-LE-CHAN").await;
    db.store.create_system(&admin, &ward_system(ward, "A1")).await.unwrap();
    // The same unit may overlap itself; another unit may not, unless confirmed.
    db.store.create_system(&admin, &ward_system(ward, "A2")).await.unwrap();
    let err = db
        .store
        .create_system(&admin, &SystemInput { ip_ranges: vec!["10.20.0.0/16".into()], ..ward_system(other, "B1") })
        .await
        .unwrap_err();
    // Issue 11, item 6: the refusal says only that another unit holds the range — naming its
    // system and range let a unit map others' systems by sweeping ranges.
    assert!(
        matches!(&err, Error::Conflict(m) if m.vi.contains("đơn vị khác") && !m.vi.contains("A1") && !m.vi.contains("A2")),
        "{err:?}"
    );
    db.store
        .create_system(
            &admin,
            &SystemInput { ip_ranges: vec!["10.20.0.0/16".into()], confirm_overlap: true, ..ward_system(other, "B1") },
        )
        .await
        .unwrap();
    for (bad, field) in [
        (SystemInput { ip_ranges: vec!["10.0.0.0/33".into()], ..ward_system(ward, "X1") }, "ip_ranges"),
        (SystemInput { system_type: "mainframe".into(), ..ward_system(ward, "X2") }, "system_type"),
        (SystemInput { owner_unit_id: 999_999, ..ward_system(ward, "X3") }, "owner_unit_id"),
        (SystemInput { go_live_date: Some("31/02/2026".into()), ..ward_system(ward, "X4") }, "go_live_date"),
        (SystemInput { online_service_level: 9, ..ward_system(ward, "X5") }, "online_service_level"),
    ] {
        let err = db.store.create_system(&admin, &bad).await.unwrap_err();
        assert_eq!(err.field(), Some(field), "{err:?}");
    }
    assert!(
        matches!(db.store.create_system(&admin, &ward_system(ward, "A1")).await, Err(Error::Conflict(_))),
        "duplicate code"
    );
}

async fn registry_filters_and_overview(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    for i in 0..7 {
        let status = if i < 3 { Lifecycle::InOperation } else { Lifecycle::Building };
        let input = SystemInput {
            status: Some(status),
            ip_ranges: vec![],
            onsite_team: (i == 0).then(|| "Tổ CNTT".into()),
            ..ward_system(ward, &format!("S{i}"))
        };
        db.store.create_system(&admin, &input).await.unwrap();
    }
    let f = |violations, q: Option<&str>| SystemFilter {
        violations,
        q: q.map(Into::into),
        limit: 100,
        ..Default::default()
    };
    assert_eq!(
        db.store.list_systems(&admin, &f(true, None)).await.unwrap().items.len(),
        3,
        "operating without approval"
    );
    assert_eq!(
        db.store.list_systems(&admin, &f(false, Some("dich vu cong phuong hong bang"))).await.unwrap().items.len(),
        7
    );
    let gaps = SystemFilter { layer_gap: true, limit: 100, ..Default::default() };
    assert_eq!(db.store.list_systems(&admin, &gaps).await.unwrap().items.len(), 7);
    let rows = db.store.overview(&admin).await.unwrap();
    let total = rows.last().unwrap();
    assert_eq!((total.systems, total.violations, total.approved), (7, 3, 0));
    let scoped = db.store.overview(&actor(&db, "sokhcn.quanly").await).await.unwrap();
    assert_eq!(scoped.last().unwrap().systems, 0, "another unit's overview is empty");
    // Holidays move deadlines; only the standing body edits them.
    assert!(matches!(
        db.store.set_holiday(&actor(&db, "hongbang.quanly").await, "2026-12-31", "x").await,
        Err(Error::Forbidden(_))
    ));
    db.store.set_holiday(&actor(&db, "pa05.truong").await, "2027-01-01", "Tết Dương lịch").await.unwrap();
    assert_eq!(db.store.list_holidays().await.unwrap().len(), 1);
}

/// The overview counts in SQL; each system's page judges in Rust. They must agree.
async fn overview_agrees_with_each_system(db: TestDb) {
    use khien_domain::system::layers::LayerState;
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let units = db.store.unit_tree(&admin).await.unwrap();
    let some: Vec<_> = units.into_iter().filter(|u| u.parent_id.is_some()).take(4).collect();
    let n = khien::demo::systems::load(&db.store, &admin, &some, 10).await.unwrap();
    assert_eq!(n, 40);
    let total = db.store.overview(&admin).await.unwrap().pop().unwrap();
    let (mut assessed, mut four, mut violations, mut approved) = (0, 0, 0, 0);
    for s in db.store.all_systems(&admin).await.unwrap() {
        let d = db.store.get_system(&admin, s.id).await.unwrap();
        // Mẫu 08 counts approved systems periodically assessed as required.
        assessed += i64::from(d.layers[2].state == LayerState::Ok && d.system.approved_level.is_some());
        four += i64::from(d.layers.iter().all(|l| l.state == LayerState::Ok));
        violations += i64::from(d.violation_days.is_some());
        approved += i64::from(d.system.approved_level.is_some());
    }
    assert_eq!(
        (total.systems, total.assessed, total.four_layers, total.violations, total.approved),
        (40, assessed, four, violations, approved)
    );
    assert!(four > 0 && violations > 0 && approved > 0, "the demo mix covers every case");
}

/// An import writes in multi-row batches: rows still see the rows before them (ranges, a code
/// repeated further down), an error far into the file names its row and rolls back every
/// batch already written, and each created system has its audit record.
async fn batched_import_checks_every_row(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let row = |n: usize, unit: &str, code: String, range: String| ImportSystem {
        row: n,
        owner_unit_code: unit.into(),
        input: SystemInput { ip_ranges: vec![range], ..ward_system(0, &code) },
    };
    let mut rows: Vec<ImportSystem> =
        (0..60).map(|i| row(i + 2, "P-HONG-BANG", format!("IMP-{i:03}"), format!("10.77.{i}.0/24"))).collect();
    // Row 53: another unit claims row 7's range.
    rows[51] = row(53, "P-LE-CHAN", "IMP-OTHER".into(), "10.77.5.128/25".into());
    let audit_before = db.store.audit_count().await.unwrap();
    let err = db.store.import_systems(&admin, &rows).await.unwrap_err();
    assert!(
        matches!(&err, Error::Conflict(m) if m.vi.starts_with("Dòng 53") && m.vi.contains("đơn vị khác")),
        "{err:?}"
    );
    let all = SystemFilter { q: Some("imp-".into()), limit: 100, ..Default::default() };
    let count =
        |p: &khien_store::Page<khien_store::System>| p.items.iter().filter(|s| s.code.starts_with("IMP-")).count();
    assert_eq!(count(&db.store.list_systems(&admin, &all).await.unwrap()), 0, "nothing half written");
    assert_eq!(db.store.audit_count().await.unwrap(), audit_before);
    // Fixed, and with one code twice: the second occurrence updates the first.
    rows[51] = row(53, "P-LE-CHAN", "IMP-OTHER".into(), "10.78.0.0/24".into());
    rows[59] = ImportSystem {
        row: 61,
        owner_unit_code: "P-HONG-BANG".into(),
        input: SystemInput { name: "Tên sửa ở dòng sau".into(), ..rows[3].input.clone() },
    };
    let summary = db.store.import_systems(&admin, &rows).await.unwrap();
    assert_eq!((summary.created, summary.updated), (59, 1));
    let page = db.store.list_systems(&admin, &all).await.unwrap();
    assert_eq!(count(&page), 59);
    assert!(page.items.iter().any(|s| s.code == "IMP-003" && s.name == "Tên sửa ở dòng sau"));
    assert_eq!(db.store.audit_count().await.unwrap(), audit_before + 60);
    assert!(db.store.maintenance().verify_audit_chain().await.unwrap().is_ok());
}

/// Level 3 is approved by the owner's leadership by default; once the standing body takes that
/// step over, an authority officer approves and the owner's manager no longer may. Only the
/// standing body at the root may choose.
async fn the_authority_chooses_who_approves(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let manager = actor(&db, "hongbang.quanly").await;
    let pa05 = actor(&db, "pa05.truong").await;
    let s = db
        .store
        .create_system(
            &officer,
            &SystemInput { security_rules_ref: Some("5/QĐ-UBND".into()), ..ward_system(ward, "HB-CHOOSE") },
        )
        .await
        .unwrap();
    let d = submitted_dossier(&db, &officer, &officer, s.id, 3, &BASIC_PARTS).await;
    db.store.act_on_dossier(&pa05, d.id, A::Appraise, Some("Hồ sơ đạt yêu cầu thẩm định."), None, None).await.unwrap();
    assert!(matches!(
        db.store.set_dossier_authority(&manager, &d.ruleset, 3, "approve", "security_unit").await,
        Err(Error::Forbidden(_) | Error::NotFound(_))
    ));
    assert_eq!(
        db.store.set_dossier_authority(&pa05, &d.ruleset, 3, "approve", "mayor").await.unwrap_err().field(),
        Some("authority")
    );
    assert_eq!(
        db.store.set_dossier_authority(&pa05, &d.ruleset, 6, "approve", "owner").await.unwrap_err().field(),
        Some("level")
    );
    let rs = db.store.set_dossier_authority(&pa05, &d.ruleset, 3, "approve", "security_unit").await.unwrap();
    assert_eq!(rs.approver[2].code(), "security_unit");
    let err = db
        .store
        .act_on_dossier(
            &manager,
            d.id,
            A::Approve,
            Some("Đồng ý phê duyệt cấp độ đề xuất."),
            Some("12/QĐ-UBND"),
            Some("Nguyễn Văn A"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    let approved = db
        .store
        .act_on_dossier(
            &pa05,
            d.id,
            A::Approve,
            Some("Đồng ý phê duyệt cấp độ đề xuất."),
            Some("12/QĐ-CAHP"),
            Some("Trưởng phòng PA05"),
        )
        .await
        .unwrap();
    assert_eq!(approved.state, "approved");
    // The other ruleset is untouched.
    let all = db.store.rulesets().await.unwrap();
    assert!(all.iter().any(|r| r.code != d.ruleset && r.approver[2].code() == "owner"));
}
