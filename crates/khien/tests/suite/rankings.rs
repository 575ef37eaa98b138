//! The cybersecurity index (issue 16.3): a model's weights sum to 100; a ranking of a unit type
//! explains each unit's points criterion by criterion; a unit slow to fix its findings drops a
//! band (Hải Phòng II.2.1); a published ranking is frozen and read by every unit, a draft only
//! by the standing body.

use crate::common::{actor, admin_actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use chrono::TimeDelta;
use khien_domain::index::{Band, Criterion, CriterionSource, ScoringModel};
use khien_domain::unit::UnitType;
use khien_domain::{Error, FixedTime};
use reqwest::Method;
use serde_json::json;

on_both_stores!(
    fixed_clock: hai_phong_ii_2_1_a_ward_slow_to_fix_drops_a_band_and_a_published_ranking_is_frozen,
    the_standing_body_is_shown_the_rankings_due_once_a_period_ends
);

fn model(findings_weight: i64) -> ScoringModel {
    let c = |code: &str, source, weight| Criterion {
        code: code.into(),
        name_vi: format!("Tiêu chí {code}"),
        name_en: format!("Criterion {code}"),
        source,
        weight,
    };
    ScoringModel {
        criteria: vec![
            c("duties", CriterionSource::DutiesOnTime, 100 - findings_weight),
            c("findings", CriterionSource::FindingsOnTime, findings_weight),
        ],
        bands: vec![
            Band { name: "A".into(), from: 85 },
            Band { name: "B".into(), from: 50 },
            Band { name: "C".into(), from: 0 },
        ],
        downgrade_after_days: Some(30),
    }
}

async fn hai_phong_ii_2_1_a_ward_slow_to_fix_drops_a_band_and_a_published_ranking_is_frozen(
    db: TestDb,
    time: FixedTime,
) {
    let s = TestServer::start_on(db).await;
    let admin = admin_actor(&s.db).await;
    // Weights that do not sum to 100, an indicator that does not exist: refused, naming why.
    let bad =
        s.db.store.define_index_model(&admin, "Thử", &ScoringModel { downgrade_after_days: None, ..model(40) }).await;
    assert!(bad.is_ok(), "60 + 40 = 100: {bad:?}");
    let mut wrong = model(40);
    wrong.criteria[0].weight = 50;
    let e = s.db.store.define_index_model(&admin, "Thử", &wrong).await.unwrap_err();
    assert!(format!("{e:?}").contains("90"), "{e:?}");
    let mut unknown = model(40);
    unknown.criteria[0].source = CriterionSource::Indicator { code: "KHONG-CO".into() };
    assert!(matches!(s.db.store.define_index_model(&admin, "Thử", &unknown).await, Err(Error::Invalid { .. })));
    let m = s.db.store.define_index_model(&admin, "Thử", &model(40)).await.unwrap();
    assert_eq!(m.version, 2, "a model of the same name is its next version");
    // A ward with findings from a scan.
    let ward = actor(&s.db, "hongbang.canbo").await;
    let hb = unit_id(&s.db, "P-HONG-BANG").await;
    let system = s.db.store.create_system(&ward, &crate::systems::ward_system(hb, "HB-RANK")).await.unwrap();
    let nessus = std::io::Cursor::new(khien_formats::scan::synthetic_nessus(1, 2, 3));
    let scan = khien_formats::scan::ScanTool::Nessus;
    s.db.store.import_scan(&ward, system.id, scan, "quet.nessus", Box::new(nessus)).await.unwrap();
    let draft = s.db.store.compute_ranking(&admin, m.id, UnitType::Ward, "2026-Q4").await.unwrap();
    let row = |r: &khien_store::Ranking| r.rows.iter().find(|x| x.unit_id == hb).unwrap().clone();
    assert_eq!((row(&draft).points_cp, row(&draft).band.as_str()), (10_000, "A"), "nothing late yet");
    assert!(draft.rows.len() > 1 && draft.rows.iter().all(|x| x.position >= 1));
    // A year on, its findings are long overdue: no points for them, and one band down.
    time.advance(TimeDelta::days(400));
    let later = s.db.store.compute_ranking(&admin, m.id, UnitType::Ward, "2026-Q4").await.unwrap();
    let r = row(&later);
    let findings = r.criteria.iter().find(|c| c.code == "findings").unwrap();
    assert_eq!((findings.share_bp, findings.points_cp), (Some(0), 0));
    assert_eq!((r.points_cp, r.band.as_str(), r.downgraded), (6_000, "C", true), "B by points, C after the rule");
    assert!(later.rows.last().unwrap().unit_id == hb || r.position > 1, "it ranks below the others");
    // A draft is the standing body's; published, every unit reads it and it is frozen.
    let session = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    assert_eq!(session.get(&format!("/api/v1/rankings/{}", later.id)).await.status(), 404);
    s.db.store.publish_ranking(&admin, later.id).await.unwrap();
    let seen = session.get_json(&format!("/api/v1/rankings/{}", later.id)).await;
    assert!(seen["rows"].as_array().unwrap().len() > 1, "the ward sees the whole ranking");
    let again = s.db.store.compute_ranking(&admin, m.id, UnitType::Ward, "2026-Q4").await;
    assert!(matches!(again, Err(Error::Conflict(_))), "{again:?}");
    assert!(matches!(s.db.store.publish_ranking(&admin, later.id).await, Err(Error::Conflict(_))));
    let history = session.get_json(&format!("/api/v1/units/{hb}/rankings")).await;
    assert_eq!(history[0]["row"]["band"], "C");
    let page = session.get(&format!("/rankings/{}", later.id)).await.text().await.unwrap();
    assert!(page.contains("class=\"mine\"") && page.contains("Tiêu chí findings"), "what cost the ward its points");
    // The city's page of indicators shows the latest published ranking of each unit type.
    let city = session.get("/indicators").await.text().await.unwrap();
    assert!(city.contains("id=\"latest-ranking-ward\""), "{city}");
    // The ward's own page: its place, and the criterion that cost it the most.
    let own = session.get(&format!("/units/{hb}/index")).await.text().await.unwrap();
    assert!(
        own.contains("id=\"unit-places\"") && own.contains("id=\"to-raise\"") && own.contains("Tiêu chí findings"),
        "{own}"
    );
    let xlsx = session.get(&format!("/api/v1/rankings/{}/export", later.id)).await;
    assert_eq!(xlsx.status(), 200);
    let text = crate::authz::xlsx_text(&xlsx.bytes().await.unwrap());
    assert!(text.contains("Phường Hồng Bàng") && text.contains("Tiêu chí findings (điểm / 40)"), "{text}");
    // Only the standing body computes; a period is a year or a quarter.
    let manager = s.login("sokhcn.quanly", DEMO_PASSWORD).await;
    let body = json!({"model_id": m.id, "unit_type": "ward", "period": "2026"});
    let r = manager.send(Method::POST, "/api/v1/rankings", Some(body)).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    let q5 = s.db.store.compute_ranking(&admin, m.id, UnitType::Ward, "2026-Q5").await;
    assert!(matches!(q5, Err(Error::Invalid { .. })));
}

/// Once a quarter or a year is over, the standing body's home page lists the rankings it owes
/// for each model and unit type it ranks (by quarter where it has ranked quarters), until each is
/// published.
async fn the_standing_body_is_shown_the_rankings_due_once_a_period_ends(db: TestDb, _time: FixedTime) {
    let s = TestServer::start_on(db).await;
    let admin = admin_actor(&s.db).await;
    let m = s.db.store.define_index_model(&admin, "Chỉ số thử", &model(40)).await.unwrap();
    let q2 = s.db.store.compute_ranking(&admin, m.id, UnitType::Ward, "2026-Q2").await.unwrap();
    s.db.store.publish_ranking(&admin, q2.id).await.unwrap();
    let body = s.login("pa05.truong", DEMO_PASSWORD).await;
    let due = |work: serde_json::Value| -> Vec<(String, String)> {
        let sections = work["sections"].as_array().unwrap().clone();
        let section = sections.into_iter().find(|x| x["kind"] == "rankings_due").expect("the section");
        let items = section["items"].as_array().unwrap().clone();
        items
            .iter()
            .filter(|i| i["title"].as_str().unwrap().starts_with("Chỉ số thử"))
            .map(|i| (i["title"].as_str().unwrap().to_string(), i["what_vi"].as_str().unwrap().to_string()))
            .collect()
    };
    // 2 November 2026: the year 2025 and the third quarter are over.
    let owed = due(body.get_json("/api/v1/work").await);
    assert_eq!(
        owed,
        vec![
            ("Chỉ số thử — 2025".to_string(), "Chưa tính".to_string()),
            ("Chỉ số thử — 2026-Q3".into(), "Chưa tính".into())
        ]
    );
    let q3 = s.db.store.compute_ranking(&admin, m.id, UnitType::Ward, "2026-Q3").await.unwrap();
    let owed = due(body.get_json("/api/v1/work").await);
    assert!(owed.contains(&("Chỉ số thử — 2026-Q3".into(), "Đã tính, chờ công bố".into())), "{owed:?}");
    s.db.store.publish_ranking(&admin, q3.id).await.unwrap();
    let owed = due(body.get_json("/api/v1/work").await);
    assert_eq!(owed, vec![("Chỉ số thử — 2025".to_string(), "Chưa tính".to_string())]);
    let home = body.get("/").await.text().await.unwrap();
    assert!(home.contains("id=\"work-rankings_due\"") && home.contains("Chỉ số thử — 2025"), "the home page lists it");
    // A ward has nothing of the kind on its list.
    let ward = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let work = ward.get_json("/api/v1/work").await;
    assert!(work["sections"].as_array().unwrap().iter().all(|x| x["kind"] != "rankings_due"));
}
