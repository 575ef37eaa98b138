//! Issue 11, items 6 and 7: what one unit may learn of another, and names that display
//! deceptively. On both stores.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use khien_domain::role::Role;
use khien_domain::time::rfc3339;
use khien_domain::Error;
use khien_store::{IncidentInput, NewUnit, SystemInput, TaskInput};

on_both_stores!(
    a_task_goes_only_to_a_unit_within_reach_or_the_response_network,
    a_token_reads_and_clears_only_its_units_notifications,
    an_unknown_name_is_locked_out_like_a_real_account,
    deceptive_characters_are_refused_and_codes_ignore_case
);

async fn a_task_goes_only_to_a_unit_within_reach_or_the_response_network(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let other_ward = unit_id(&db, "P-LE-CHAN").await;
    let soc = unit_id(&db, "SOC-HD").await;
    let pa05 = actor(&db, "pa05.truong").await;
    // An authority officer's token limited to one ward co-ordinates that ward's incidents only.
    let (secret, _) = db.store.create_token(&pa05, "ward desk", Role::AuthorityOfficer, ward, 30).await.unwrap();
    let desk = db.store.token_actor(&secret).await.unwrap().unwrap();
    let input = IncidentInput {
        unit_id: ward,
        title: "Trang web bị thay đổi giao diện".into(),
        category: "defacement".into(),
        detected_at: rfc3339(db.store.clock().now_ms() - 3_600_000),
        ..Default::default()
    };
    let inc = db.store.create_incident(&desk, &input).await.unwrap();
    let task =
        |unit_id| TaskInput { unit_id, assignee: None, title: "Thu thập nhật ký máy chủ".into(), due_on: None };
    // Another ward is neither the incident's nor in the response network: answered as absent,
    // without its name.
    let err = db.store.add_incident_task(&desk, inc.id, &task(other_ward)).await.unwrap_err();
    assert_eq!(err.field(), Some("unit_id"), "{err:?}");
    assert!(!err.message(khien_domain::Lang::Vi).contains("Lê Chân"), "{err:?}");
    let missing = db.store.add_incident_task(&desk, inc.id, &task(999_999)).await.unwrap_err();
    assert_eq!(
        err.message(khien_domain::Lang::En).replace(&other_ward.to_string(), "N"),
        missing.message(khien_domain::Lang::En).replace("999999", "N"),
        "the same answer as for no unit"
    );
    // Its own ward and a SOC provider of the response network are fine.
    db.store.add_incident_task(&desk, inc.id, &task(ward)).await.unwrap();
    let t = db.store.add_incident_task(&desk, inc.id, &task(soc)).await.unwrap();
    assert_eq!(t.unit_id, soc);
    // Even the city-wide authority gives tasks only to the incident's unit and the response
    // network's members (issue 17.7): another ward must join the network first.
    let err = db.store.add_incident_task(&pa05, inc.id, &task(other_ward)).await.unwrap_err();
    assert_eq!(err.field(), Some("unit_id"), "{err:?}");
    crate::network::make_member(&db, other_ward).await;
    db.store.add_incident_task(&pa05, inc.id, &task(other_ward)).await.unwrap();
}

async fn a_token_reads_and_clears_only_its_units_notifications(db: TestDb) {
    bootstrap(&db, true).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let other_ward = unit_id(&db, "P-LE-CHAN").await;
    let pa05 = actor(&db, "pa05.truong").await;
    // Two overdue incidents, one in each ward: the authority hears of both.
    for (unit_id, who) in [(ward, "hongbang.canbo"), (other_ward, "lechan.canbo")] {
        let input = IncidentInput {
            unit_id,
            title: "Máy chủ bị mã hóa".into(),
            category: "ransomware".into(),
            detected_at: rfc3339(db.store.clock().now_ms() - 80 * 3_600_000),
            ..Default::default()
        };
        db.store.create_incident(&actor(&db, who).await, &input).await.unwrap();
    }
    db.store.maintenance().sweep_reminders().await.unwrap();
    let all = db.store.notifications(&pa05, 500).await.unwrap();
    assert!(all.len() >= 2, "{all:?}");
    let (secret, _) = db.store.create_token(&pa05, "ward feed", Role::AuthorityOfficer, ward, 30).await.unwrap();
    let token = db.store.token_actor(&secret).await.unwrap().unwrap();
    let seen = db.store.notifications(&token, 500).await.unwrap();
    assert!(
        !seen.is_empty() && seen.len() < all.len(),
        "the token sees only its ward's: {} of {}",
        seen.len(),
        all.len()
    );
    assert!(seen.iter().all(|n| !n.message_vi.contains("Lê Chân")), "{seen:?}");
    assert_eq!(db.store.unread_count(&token).await.unwrap(), seen.len() as i64);
    // Clearing all through the token clears only those.
    assert_eq!(db.store.mark_read(&token, &[]).await.unwrap(), seen.len() as u64);
    assert_eq!(
        db.store.unread_count(&pa05).await.unwrap(),
        (all.len() - seen.len()) as i64,
        "the owner's other notifications stay unread"
    );
}

async fn an_unknown_name_is_locked_out_like_a_real_account(db: TestDb) {
    bootstrap(&db, true).await;
    let answers = |name: &'static str| {
        let store = db.store.clone();
        async move {
            let mut out = Vec::new();
            for _ in 0..6 {
                let e = store.login(name, "sai-mat-khau").await.err().unwrap();
                out.push(match e {
                    Error::TooMany { .. } => "429",
                    Error::Unauthenticated(_) => "401",
                    _ => "other",
                });
            }
            out
        }
    };
    let real = answers("lechan.canbo").await;
    let unknown = answers("khong.ton.tai").await;
    assert_eq!(real, unknown, "a real and an unknown account answer alike");
    assert!(real.contains(&"429"), "{real:?}");
}

async fn deceptive_characters_are_refused_and_codes_ignore_case(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = crate::common::admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap().id;
    let unit = |code: &str, name: &str| NewUnit {
        code: code.into(),
        name: name.into(),
        unit_type: khien_domain::unit::UnitType::Ward,
        parent_id: root,
        head_name: None,
        focal_name: None,
        focal_phone: None,
        focal_email: None,
    };
    for name in ["Phường\u{202E}gnóđ", "Phường\u{200B}Mới", "Phường\u{2066}Mới\u{2069}", "\u{FEFF}Phường Mới"]
    {
        let err = db.store.create_unit(&admin, &unit("P-MOI", name)).await.unwrap_err();
        assert_eq!(err.field(), Some("name"), "{name:?}: {err:?}");
        assert!(err.message(khien_domain::Lang::En).contains("U+"), "{err:?}");
    }
    let err = db
        .store
        .create_unit(&admin, &NewUnit { focal_name: Some("Nguyễn\u{202D}Văn A".into()), ..unit("P-MOI", "Phường Mới") })
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("focal_name"), "{err:?}");
    // A file name that would display as "ho-sofdp.exe".
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let officer = actor(&db, "hongbang.canbo").await;
    let sys = SystemInput {
        code: "HB-SPOOF".into(),
        name: "Cổng thông tin".into(),
        owner_unit_id: ward,
        system_type: "public_service".into(),
        ..Default::default()
    };
    let sys = db.store.create_system(&officer, &sys).await.unwrap();
    let scan = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 1, 1));
    let err = db
        .store
        .import_scan(&officer, sys.id, khien_formats::scan::ScanTool::Nessus, "ho-so\u{202E}exe.pdf", Box::new(scan))
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("file_name"), "{err:?}");
    // A code taken by a system the caller cannot see: "taken", the same on a create and on an
    // import (which before answered "not found", telling the code existed elsewhere).
    let lechan = unit_id(&db, "P-LE-CHAN").await;
    db.store
        .create_system(
            &admin,
            &SystemInput {
                code: "LC-KIN".into(),
                name: "Hệ thống riêng".into(),
                owner_unit_id: lechan,
                system_type: "public_service".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let created = db
        .store
        .create_system(
            &officer,
            &SystemInput {
                code: "LC-KIN".into(),
                name: "Thử".into(),
                owner_unit_id: ward,
                system_type: "public_service".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    let row = khien_store::ImportSystem {
        row: 2,
        owner_unit_code: "P-HONG-BANG".into(),
        input: SystemInput {
            code: "LC-KIN".into(),
            name: "Thử".into(),
            system_type: "public_service".into(),
            ..Default::default()
        },
    };
    let imported = db.store.import_systems(&officer, &[row]).await.unwrap_err();
    assert!(matches!((&created, &imported), (Error::Conflict(_), Error::Conflict(_))), "{created:?} / {imported:?}");
    assert!(
        imported.message(khien_domain::Lang::En).ends_with(&created.message(khien_domain::Lang::En)),
        "{created:?} / {imported:?}"
    );
    // Codes are one whatever their case.
    db.store.create_unit(&admin, &unit("P-MOI", "Phường Mới")).await.unwrap();
    let err = db.store.create_unit(&admin, &unit("p-moi", "Phường Mới 2")).await.unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    let err = db
        .store
        .create_system(
            &officer,
            &SystemInput {
                code: "hb-spoof".into(),
                name: "Khác".into(),
                owner_unit_id: ward,
                system_type: "public_service".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
}
