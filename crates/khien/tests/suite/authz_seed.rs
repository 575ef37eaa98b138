//! Unit B's records that the authorization sweep (`authz.rs`) aims unit A's caller at: one of
//! every kind a request can name, made by B's own people or the administrator.

use crate::authz_requests::Other;
use crate::common::{actor, admin_actor, unit_id, TestServer};
use khien_domain::role::Role;

/// A's unit and B's records.
pub(crate) async fn records_of_b(s: &TestServer) -> (i64, Other) {
    let own_unit = unit_id(&s.db, "SO-KHCN").await;
    let b_unit = unit_id(&s.db, "SO-YT").await;
    let b_user = s.db.store.maintenance().user_id_by_username("soyt.canbo").await.unwrap().unwrap();
    let admin = admin_actor(&s.db).await;
    let assignment = s.db.store.get_user(&admin, b_user).await.unwrap().roles[0].id;
    let (_, token) = s.db.store.create_token(&admin, "SO-YT SIEM", Role::UnitManager, b_unit, 30).await.unwrap();
    let sys = khien_store::SystemInput {
        code: "YT-HIS".into(),
        name: "Hệ thống thông tin bệnh viện".into(),
        owner_unit_id: b_unit,
        system_type: "public_service".into(),
        ip_ranges: vec!["10.77.0.0/16".into()],
        ..Default::default()
    };
    let system = s.db.store.create_system(&admin, &sys).await.unwrap();
    let dossier = s.db.store.create_dossier(&admin, system.id, &khien_store::DossierInput::default()).await.unwrap();
    let conn = khien_store::ConnectionInput {
        direction: "outbound".into(),
        peer: "Cổng DVC quốc gia".into(),
        data_categories: None,
        auth_method: Some("mTLS".into()),
        encrypted: true,
        approved: true,
    };
    let connection = s.db.store.add_connection(&admin, system.id, &conn).await.unwrap();
    let cert = khien_store::CertificateInput {
        kind: khien_domain::system::CertificateKind::UsbToken,
        holder: "Giám đốc Sở Y tế".into(),
        serial: "54 01".into(),
        issuer: "Ban Cơ yếu Chính phủ".into(),
        expires_on: "2027-06-30".into(),
    };
    let certificate = s.db.store.add_certificate(&admin, system.id, &cert).await.unwrap();
    let attachment =
        s.db.store
            .add_attachment(&admin, dossier.id, "design", "Thiết kế.pdf", b"%PDF-1.4 ho so thiet ke")
            .await
            .unwrap();
    let yt = actor(&s.db, "soyt.canbo").await;
    let saved_filter = s.db.store.save_filter(&yt, "Bộ lọc của Sở Y tế", "status=in_operation").await.unwrap();
    let report = khien_store::IncidentInput {
        unit_id: b_unit,
        title: "Mã độc tống tiền tại bệnh viện".into(),
        category: "ransomware".into(),
        detected_at: "2026-11-20T01:00:00Z".into(),
        observables: vec![khien_store::ObservableInput {
            kind: "ipv4".into(),
            value: "198.51.100.23".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let incident = s.db.store.create_incident(&yt, &report).await.unwrap();
    let task =
        s.db.store
            .add_incident_task(
                &admin,
                incident.id,
                &khien_store::TaskInput { unit_id: b_unit, title: "Cô lập máy chủ".into(), ..Default::default() },
            )
            .await
            .unwrap();
    let collection =
        s.db.store
            .create_collection(
                &admin,
                &khien_store::CollectionInput {
                    title: "Sự cố của Sở Y tế".into(), description: None, unit_id: b_unit
                },
            )
            .await
            .unwrap();
    // A report from the public, routed to B, with a file.
    let citizen = khien_store::PublicReportInput {
        category: "agency_incident".into(),
        description: "Máy tính tiếp đón bệnh nhân của bệnh viện hiện thông báo đòi tiền chuộc.".into(),
        reporter_phone: Some("0912 345 000".into()),
        contact_consent: true,
        ..Default::default()
    };
    let png = khien_store::UploadedFile {
        file_name: "benh-vien.png".into(),
        bytes: khien::demo::public_reports::TINY_PNG.to_vec(),
    };
    let sent = s.db.store.submit_public_report(&citizen, &[png], "192.0.2.50").await.unwrap();
    let filter = khien_store::PublicReportFilter { q: Some(sent.code.clone()), limit: 1, ..Default::default() };
    let public_report = s.db.store.list_public_reports(&admin, &filter).await.unwrap().items[0].id;
    s.db.store.route_public_report(&admin, public_report, b_unit).await.unwrap();
    let public_file = s.db.store.get_public_report(&admin, public_report).await.unwrap().files[0].id;
    let remote =
        s.db.store
            .create_remote(
                &admin,
                &khien_store::RemoteInput {
                    name: "Trung tâm quốc gia (Sở Y tế)".into(),
                    url: "http://127.0.0.1:9/".into(),
                    username: None,
                    secret: None,
                    collection_id: collection.id.clone(),
                },
            )
            .await
            .unwrap();
    let tcvn =
        s.db.store.list_catalogues(&admin).await.unwrap().into_iter().find(|c| c.code == "tcvn-14423-2026").unwrap();
    let plan = khien_store::AssessmentInput {
        system_id: system.id,
        catalogue_id: tcvn.id,
        kind: khien_domain::compliance::assessment::AssessmentKind::SelfAssessment,
        assessor_unit_id: None,
        title: "Tự đánh giá của bệnh viện".into(),
        planned_for: None,
    };
    let assessment = s.db.store.create_assessment(&admin, &plan).await.unwrap();
    let first_node = s.db.store.assessment(&admin, assessment.id).await.unwrap().results[0].node_id.clone();
    let evidence =
        s.db.store
            .add_evidence(&admin, assessment.id, &first_node, "Bằng chứng.pdf", b"%PDF-1.4 bang chung", None)
            .await
            .unwrap();
    let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 3, 5));
    s.db.store
        .import_scan(&admin, system.id, khien_formats::scan::ScanTool::Nessus, "benh-vien.nessus", Box::new(scan))
        .await
        .unwrap();
    let finding =
        s.db.store
            .list_findings(
                &admin,
                &khien_store::FindingFilter { system_id: Some(system.id), limit: 1, ..Default::default() },
            )
            .await
            .unwrap()
            .items[0]
            .id;
    // Today's kept counts then hold B's findings too.
    assert!(s.db.store.maintenance().snapshot_finding_counts().await.unwrap() > 0);
    // B's report on HCM 3131 task 4.5, which A (a department of the same group) also leads; and
    // a plan file the authority has staged.
    let hcm = s.db.store.list_plans(&admin).await.unwrap().into_iter().find(|p| p.number == "3131/KH-UBND").unwrap();
    let plan_task =
        s.db.store.plan_tasks(&admin, hcm.id).await.unwrap().into_iter().find(|t| t.number == "4.5").unwrap().id;
    let report = khien_store::ProgressInput {
        status: "done".into(),
        narrative: "Sở Y tế đã xác định cấp độ cho hệ thống của bệnh viện.".into(),
        figures: String::new(),
    };
    let progress = s.db.store.report_progress(&yt, plan_task, b_unit, "2025", &report).await.unwrap().id;
    let minutes = b"Bien ban hop trien khai cua benh vien";
    let evidence_file = s.db.store.attach_progress_evidence(&yt, progress, "bien-ban.txt", minutes).await.unwrap().id;
    let plan_import = s.db.store.stage_plan_import(&admin, "phu-luc.csv", b"STT,Nhiem vu,Chu tri\n", "").await.unwrap();
    let drill = khien_store::TrainingInput {
        kind: "drill".into(),
        title: "Diễn tập ứng cứu mã độc tại bệnh viện".into(),
        held_on: "2026-10-10".into(),
        organiser_unit_id: b_unit,
        system_ids: vec![system.id],
        participants: 40,
        ..Default::default()
    };
    let training = s.db.store.record_training(&yt, &drill).await.unwrap().id;
    let occurrence = s.db.store.system_obligations(&admin, system.id).await.unwrap().recent[0].id;
    let fix = "Cập nhật phương án ứng cứu của bệnh viện";
    let follow_up = s.db.store.add_follow_up(&yt, training, b_unit, fix, "2030-01-01").await.unwrap().id;
    // A figure B entered by hand for an indicator of the city.
    let endpoints = khien_store::IndicatorInput {
        code: "T-NCSC".into(),
        name_vi: "Máy trạm chia sẻ với NCSC".into(),
        name_en: "Endpoints sharing with NCSC".into(),
        measure: "manual".into(),
        targets: vec![(2026, 10_000)],
        ..Default::default()
    };
    let indicator = s.db.store.define_indicator(&admin, &endpoints).await.unwrap().id;
    s.db.store.record_indicator_value(&yt, indicator, b_unit, "2026", (37, 41), "").await.unwrap();
    // A draft ranking of departments (B among them): the standing body's until published.
    let model = khien_domain::index::ScoringModel {
        criteria: vec![khien_domain::index::Criterion {
            code: "ncsc".into(),
            name_vi: "Máy trạm chia sẻ NCSC".into(),
            name_en: "Endpoints sharing with NCSC".into(),
            source: khien_domain::index::CriterionSource::Indicator { code: "T-NCSC".into() },
            weight: 100,
        }],
        bands: vec![
            khien_domain::index::Band { name: "A".into(), from: 80 },
            khien_domain::index::Band { name: "B".into(), from: 0 },
        ],
        downgrade_after_days: None,
    };
    let model = s.db.store.define_index_model(&admin, "Thử", &model).await.unwrap().id;
    let dept = khien_domain::unit::UnitType::Department;
    let ranking = s.db.store.compute_ranking(&admin, model, dept, "2026").await.unwrap().id;
    let project = khien_store::BudgetProjectInput {
        unit_id: b_unit,
        year: 2026,
        name: "Phần mềm quản lý bệnh viện".into(),
        total_cost: 5_000_000_000,
        security_cost: 400_000_000,
        note: String::new(),
    };
    let budget_project = s.db.store.record_budget_project(&yt, &project).await.unwrap().id;
    let person = khien_store::StaffInput {
        unit_id: b_unit,
        full_name: "Đỗ Văn Y".into(),
        role: "full_time".into(),
        since: "2025-01-01".into(),
        active: true,
        ..Default::default()
    };
    let staff = s.db.store.record_security_staff(&admin, &person).await.unwrap().id;
    // A round the authority drafts in B's name and sends to B alone, with B's comment.
    let round = khien_store::ConsultationInput {
        title: "Dự thảo quy chế của bệnh viện".into(),
        drafting_unit_id: b_unit,
        due_on: "2030-01-01".into(),
        unit_ids: vec![b_unit],
    };
    let consultation = s.db.store.open_consultation(&admin, &round).await.unwrap().id;
    let comment = khien_store::CommentInput { section: "Mục I".into(), body: "Ý kiến của bệnh viện".into() };
    let replied = s.db.store.reply_to_consultation(&yt, consultation, b_unit, &[comment]).await.unwrap();
    let consultation_comment = replied.units[0].comments[0].id;
    // B applied to the response network (not approved: only B and the authority see it).
    let entry = khien_domain::network::MemberEntry {
        contact_name: "Trực ban bệnh viện".into(),
        contact_phone: "0225 3 844 844".into(),
        contact_email: "trucban@soyt.haidong.gov.vn".into(),
        ..Default::default()
    };
    s.db.store.apply_to_network(&actor(&s.db, "soyt.quanly").await, b_unit, &entry).await.unwrap();
    // A yearly report round of the departments, B's report submitted by its head.
    let input = khien_store::ReportRoundInput {
        template: "plan_year".into(),
        period: "2024".into(),
        due_on: "2030-01-01".into(),
        unit_types: vec!["department".into()],
    };
    let report_round = s.db.store.open_report_round(&admin, &input).await.unwrap().id;
    let text = vec![("results".to_string(), "Bệnh viện đã triển khai".to_string())];
    let yt_head = actor(&s.db, "soyt.quanly").await;
    let submitted = s.db.store.submit_report(&yt_head, (report_round, b_unit), Some(&text)).await.unwrap();
    let report_version = submitted.versions[0].id;
    let issued = khien_store::DocumentToIssue {
        form: khien_domain::system::dossier_form::DossierForm::Statement,
        number: None,
        data: "{}".into(),
        docx: b"PK docx".to_vec(),
        pdf: Some(b"%PDF-1.4".to_vec()),
        template_id: None,
    };
    let issued_document = s.db.store.issue_dossier_document(&admin, dossier.id, issued).await.unwrap().id;
    let package = s.db.store.record_dossier_package(&admin, dossier.id, b"PK".to_vec(), "{}", 1).await.unwrap().id;
    let comment = returned_with_a_comment(s, &admin, b_unit).await;
    let template = {
        let docx = khien_formats::docx::write_admin_docx(&crate::common::sample_document()).unwrap();
        let form = khien_domain::system::dossier_form::DossierForm::Statement;
        s.db.store.add_document_template(&admin, form, "nd331-2026", "Mẫu thuyết minh", docx, &[]).await.unwrap().id
    };
    let telemetry_alert = {
        let line = r#"{"timestamp":"2026-12-01T08:00:00+0700","event_type":"alert","src_ip":"10.77.1.5","dest_ip":"203.0.113.9","alert":{"signature_id":1,"signature":"Sở Y tế bị dò quét","severity":1}}"#;
        let batch = khien_formats::telemetry::parse_batch(line.as_bytes());
        let source = khien_store::IngestSource { key: "authz-b".into(), channel: "http" };
        s.db.store.ingest_telemetry(&admin, &source, &batch).await.unwrap();
        let f = khien_store::AlertFilter { limit: 1, ..Default::default() };
        s.db.store.list_telemetry_alerts(&admin, &f).await.unwrap().items[0].id
    };
    let botnet_case = {
        let d = khien_store::Detection {
            ip: "10.77.1.99".parse().unwrap(),
            family: "mirai".into(),
            first_seen: None,
            last_seen: None,
        };
        s.db.store.record_botnet_detections(&admin, "NCSC", &[d]).await.unwrap();
        s.db.store.list_botnet_cases(&admin, &khien_store::BotnetFilter::default()).await.unwrap()[0].id
    };
    let b = Other {
        unit: b_unit,
        user: b_user,
        assignment,
        token: token.id,
        system: system.id,
        dossier: dossier.id,
        connection: connection.id,
        certificate: certificate.id,
        attachment: attachment.id,
        saved_filter: saved_filter.id,
        incident: incident.id,
        task: task.id,
        collection: collection.id.clone(),
        public_report,
        public_file,
        remote: remote.id,
        assessment: assessment.id,
        evidence: evidence.id,
        finding,
        plan: hcm.id,
        plan_task,
        plan_import,
        training,
        budget_project,
        staff,
        consultation,
        consultation_comment,
        progress,
        occurrence,
        evidence_file,
        follow_up,
        indicator,
        ranking,
        report_round,
        report_version,
        issued_document,
        package,
        comment,
        template,
        telemetry_alert,
        botnet_case,
    };
    (own_unit, b)
}

/// A dossier of B's, submitted, commented on by part and returned: the comment B may answer.
async fn returned_with_a_comment(s: &TestServer, admin: &khien_domain::scope::Actor, b_unit: i64) -> i64 {
    use khien_domain::system::dossier::DossierAction as A;
    let input = khien_store::SystemInput {
        code: "YT-LIS".into(),
        name: "Hệ thống xét nghiệm".into(),
        owner_unit_id: b_unit,
        system_type: "internal".into(),
        ..Default::default()
    };
    let system = s.db.store.create_system(admin, &input).await.unwrap();
    let d = s.db.store.create_dossier(admin, system.id, &khien_store::DossierInput::default()).await.unwrap();
    crate::common::attach_parts(&s.db, admin, d.id, &crate::systems::BASIC_PARTS).await;
    s.db.store.act_on_dossier(admin, d.id, A::Submit, None, None, None).await.unwrap();
    let comment = khien_store::DossierCommentInput {
        part: Some("design".into()),
        requirement: None,
        body: "Thiếu sơ đồ mạng.".into(),
    };
    let id = s.db.store.add_dossier_comment(admin, d.id, &comment).await.unwrap().id;
    s.db.store.act_on_dossier(admin, d.id, A::Return, Some("Bổ sung sơ đồ."), None, None).await.unwrap();
    id
}
