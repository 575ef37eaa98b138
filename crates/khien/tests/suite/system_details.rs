//! The registry's depth and completeness (issue 17.5): a system's details checked by kind and
//! written all or nothing; the authority chooses the required ones; each system and each unit's
//! systems get a completeness share, shown on the unit's page.

use crate::common::{actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use crate::systems::ward_system;
use reqwest::Method;
use serde_json::{json, Value};

on_both_stores!(details_are_checked_and_completeness_shows_per_system_and_unit);

async fn details_are_checked_and_completeness_shows_per_system_and_unit(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let ward = unit_id(&s.db, "P-HONG-BANG").await;
    let officer_actor = actor(&s.db, "hongbang.canbo").await;
    let sys = s.db.store.create_system(&officer_actor, &ward_system(ward, "HB-DEPTH")).await.unwrap();
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let path = format!("/api/v1/systems/{}/details", sys.id);
    // A wrong value is refused naming its detail, and nothing of the batch is kept.
    let bad = json!({"values": {"tech_stack": "Ubuntu 22.04, PostgreSQL 15", "technical_contact_email": "kythuat"}});
    let r = officer.send(Method::PUT, &path, Some(bad)).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("technical_contact_email"));
    let held = officer.get_json(&path).await;
    assert!(held["details"].as_array().unwrap().iter().all(|d| d["value"].is_null()), "{held}");
    let r = officer.send(Method::PUT, &path, Some(json!({"values": {"firewall_brand": "x"}}))).await;
    assert_eq!(r.status(), 422);
    // Five of the ten details required at first: 50 %.
    let good = json!({"values": {
        "business_contact_name": "Trần Thị Hoa", "business_contact_phone": "0225 3 822 111",
        "technical_contact_name": "Lê Minh", "tech_stack": "Ubuntu 22.04, PostgreSQL 15", "mfa": "yes",
        "contract_value": "1.250.000.000", "last_pentest_on": "" }});
    let r = officer.send(Method::PUT, &path, Some(good)).await;
    assert_eq!(r.status(), 200);
    let held: Value = r.json().await.unwrap();
    assert_eq!(held["completeness"], 50, "{held}");
    let value = held["details"].as_array().unwrap().iter().find(|d| d["code"] == "contract_value").unwrap().clone();
    assert_eq!((value["value"].as_str(), value["shown"].as_str()), (Some("1250000000"), Some("1.250.000.000")));
    // Another ward sees nothing of it.
    let other = s.login("lechan.canbo", DEMO_PASSWORD).await;
    assert_eq!(other.get(&path).await.status(), 404);
    assert!(matches!(
        other.send(Method::PUT, &path, Some(json!({"values": {"mfa": "no"}}))).await.status().as_u16(),
        403 | 404
    ));
    // The unit's share over its systems.
    let unit = officer.get_json(&format!("/api/v1/units/{ward}/completeness")).await;
    let mine = unit["systems"].as_array().unwrap().iter().find(|x| x["code"] == "HB-DEPTH").unwrap().clone();
    assert_eq!(mine["completeness"], 50);
    assert!(mine["missing"].as_array().unwrap().contains(&json!("rpo_hours")));
    assert!(unit["completeness"].as_i64().is_some());
    // The standing body requires only MFA: the system is complete; a unit's officer may not choose.
    let required = "/api/v1/registry/required-details";
    assert!(matches!(
        officer.send(Method::PUT, required, Some(json!({"fields": ["mfa"]}))).await.status().as_u16(),
        403 | 404
    ));
    let authority = s.login("pa05.truong", DEMO_PASSWORD).await;
    let r = authority.send(Method::PUT, required, Some(json!({"fields": ["mfa", "no_such_detail"]}))).await;
    assert_eq!(r.status(), 422);
    assert_eq!(authority.send(Method::PUT, required, Some(json!({"fields": ["mfa"]}))).await.status(), 200);
    assert_eq!(officer.get_json(&path).await["completeness"], 100);
    // The index reads it: a ranking of the wards on registry completeness alone.
    let governor = crate::common::admin_actor(&s.db).await;
    let criterion = khien_domain::index::Criterion {
        code: "ho-so".into(),
        name_vi: "Thông tin hệ thống đầy đủ".into(),
        name_en: "Registry complete".into(),
        source: khien_domain::index::CriterionSource::RegistryCompleteness,
        weight: 100,
    };
    let band = |name: &str, from| khien_domain::index::Band { name: name.into(), from };
    let model = khien_domain::index::ScoringModel {
        criteria: vec![criterion],
        bands: vec![band("A", 85), band("B", 0)],
        downgrade_after_days: None,
    };
    let model = s.db.store.define_index_model(&governor, "Đầy đủ thông tin", &model).await.unwrap();
    let year = s.db.store.clock().today_vn().format("%Y").to_string();
    let ranking =
        s.db.store.compute_ranking(&governor, model.id, khien_domain::unit::UnitType::Ward, &year).await.unwrap();
    let row = ranking.rows.iter().find(|r| r.unit_id == ward).unwrap();
    assert_eq!((row.points_cp, row.band.as_str()), (10_000, "A"), "{row:?}");
    // The unit's page shows its share; the details page keeps a refused form's input.
    let page = officer.get(&format!("/units/{ward}")).await.text().await.unwrap();
    assert!(page.contains("Mức đầy đủ thông tin hệ thống"), "the unit page lacks the share");
    let r = officer
        .form(
            &format!("/systems/{}/details", sys.id),
            &[("tech_stack", "Windows Server 2019"), ("waf", "yes"), ("business_contact_email", "not-an-address")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Windows Server 2019") && page.contains("not-an-address"), "the form lost what was typed");
}
