//! Indicators (issue 16.1, 16.2): defined by the standing body with a measure and yearly
//! targets; a period's figures are kept as computed and change only when recomputed; figures
//! Khiên does not hold are entered by hand per unit; each reader sees its own units' figures.

use crate::common::{actor, admin_actor, unit_id, TestDb, TestServer, DEMO_PASSWORD};
use khien_domain::Error;
use reqwest::Method;
use serde_json::json;

on_both_stores!(
    hcm_3131_indicator_1_is_kept_per_period_and_changes_only_when_recomputed,
    figures_khien_does_not_hold_are_entered_by_hand_per_unit,
);

async fn hcm_3131_indicator_1_is_kept_per_period_and_changes_only_when_recomputed(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let define = json!({"code": "T-APPROVED", "name_vi": "Tỷ lệ hệ thống được phê duyệt cấp độ", "name_en": "Systems approved",
        "plan_number": "3131/KH-UBND", "measure": "approved", "targets": "2023: 80, 2024: 90, 2025: 100, 2026: 100"});
    let r = pa05.send(Method::POST, "/api/v1/indicators", Some(define.clone())).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
    // Bad definitions: a measure not in the set, a target over 100 %, the same code twice, a unit's caller.
    for (body, why) in [
        (json!({"code": "X1", "name_vi": "x", "name_en": "x", "measure": "likes"}), "unknown measure"),
        (
            json!({"code": "X2", "name_vi": "x", "name_en": "x", "measure": "approved", "targets": "2026: 120"}),
            "over 100 %",
        ),
        (define.clone(), "the same code"),
    ] {
        let r = pa05.send(Method::POST, "/api/v1/indicators", Some(body)).await;
        assert!(r.status() == 422 || r.status() == 400, "{why}: {}", r.status());
    }
    let manager = s.login("sokhcn.quanly", DEMO_PASSWORD).await;
    let r = manager
        .send(
            Method::POST,
            "/api/v1/indicators",
            Some(json!({"code": "X3", "name_vi": "x", "name_en": "x", "measure": "approved"})),
        )
        .await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    // The period is computed and kept: the city's figure is the overview's count.
    let ward = actor(&s.db, "hongbang.canbo").await;
    let hb = unit_id(&s.db, "P-HONG-BANG").await;
    for code in ["HB-HOTICH", "HB-MOTCUA"] {
        s.db.store.create_system(&ward, &crate::systems::ward_system(hb, code)).await.unwrap();
    }
    let period = s.db.store.clock().today_vn().format("%Y-%m").to_string();
    let r =
        pa05.send(Method::POST, &format!("/api/v1/indicators/{id}/snapshots"), Some(json!({"period": period}))).await;
    assert_eq!(r.status(), 200);
    let snap: serde_json::Value = r.json().await.unwrap();
    assert!(!snap["city"].as_array().unwrap().is_empty(), "{snap}");
    let admin = admin_actor(&s.db).await;
    let total = s.db.store.overview(&admin).await.unwrap().pop().unwrap();
    let detail = s.db.store.indicator_detail(&admin, id, None).await.unwrap();
    let city = detail.city.last().unwrap();
    assert_eq!((city.numerator, city.denominator), (total.approved, total.systems));
    assert_eq!(city.target_bp, Some(10_000));
    // Tomorrow's data does not change the kept figure; recomputing does, and the trail keeps the old one.
    s.db.store.create_system(&ward, &crate::systems::ward_system(hb, "HB-MOI")).await.unwrap();
    let kept = s.db.store.indicator_detail(&admin, id, Some(&period)).await.unwrap();
    assert_eq!(kept.city.last().unwrap().denominator, total.systems, "a kept period does not follow the data");
    let again = s.db.store.snapshot_indicator(&admin, id, &period).await.unwrap();
    assert_eq!(again.city.last().unwrap().denominator, total.systems + 1);
    let trail =
        s.login("admin", crate::common::ADMIN_PASSWORD).await.get_json("/api/v1/audit?limit=20").await.to_string();
    assert!(
        trail.contains("indicator.snapshot") && trail.contains(&format!("\"denominator\":{}", total.systems)),
        "{trail}"
    );
    // A period that has not begun; a unit's caller may not compute.
    let future = s.db.store.snapshot_indicator(&admin, id, "2099").await;
    assert!(matches!(future, Err(Error::Invalid { .. })), "{future:?}");
    let r = manager
        .send(Method::POST, &format!("/api/v1/indicators/{id}/snapshots"), Some(json!({"period": period})))
        .await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    // A unit's reader sees its own units' figures; the page draws the trend with its table.
    let mine = s.db.store.indicator_detail(&ward, id, Some(&period)).await.unwrap();
    assert!(mine.units.iter().all(|v| v.unit_id == Some(hb)), "{:?}", mine.units);
    let page = pa05.get(&format!("/indicators/{id}")).await.text().await.unwrap();
    assert!(page.contains("<svg") && page.contains("id=\"indicator-units\"") && page.contains("100,0%"), "the page");
    let list = pa05.get("/indicators").await.text().await.unwrap();
    assert!(list.contains("T-APPROVED"), "the list");
    assert!(page.contains(&format!("/systems?unit_id={hb}")), "a unit's figure leads to its systems");
    // The workbooks: the city's and each unit's figures; a ward's holds its own units only.
    let r = pa05.get(&format!("/api/v1/indicators/{id}/export?period={period}")).await;
    assert_eq!(r.status(), 200);
    let text = crate::authz::xlsx_text(&r.bytes().await.unwrap());
    assert!(text.contains("Phường Hồng Bàng") && text.contains("Toàn thành phố"), "{text}");
    let ward_session = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let all = crate::authz::xlsx_text(&ward_session.get("/api/v1/indicators/export").await.bytes().await.unwrap());
    assert!(all.contains("T-APPROVED") && !all.contains("Toàn thành phố"), "{all}");
}

async fn figures_khien_does_not_hold_are_entered_by_hand_per_unit(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let admin = admin_actor(&s.db).await;
    let input = khien_store::IndicatorInput {
        code: "T-BOTNET".into(),
        name_vi: "Tỷ lệ IP botnet được xử lý".into(),
        name_en: "Botnet IPs handled".into(),
        plan_number: "3131/KH-UBND".into(),
        measure: "manual".into(),
        targets: vec![(2026, 10_000)],
    };
    let id = s.db.store.define_indicator(&admin, &input).await.unwrap().id;
    let ward = actor(&s.db, "hongbang.canbo").await;
    let hb = unit_id(&s.db, "P-HONG-BANG").await;
    let over = s.db.store.record_indicator_value(&ward, id, hb, "2026-11", (5, 4), "").await;
    assert!(matches!(over, Err(Error::Invalid { .. })), "a part over the whole: {over:?}");
    let yt = unit_id(&s.db, "SO-YT").await;
    assert!(s.db.store.record_indicator_value(&ward, id, yt, "2026-11", (1, 2), "").await.is_err(), "another unit");
    s.db.store.record_indicator_value(&ward, id, hb, "2026-11", (3, 4), "Báo cáo của NCSC").await.unwrap();
    s.db.store.record_indicator_value(&ward, id, hb, "2026-11", (4, 4), "Đã xử lý nốt").await.unwrap();
    let detail = s.db.store.indicator_detail(&admin, id, Some("2026-11")).await.unwrap();
    let city = detail.city.iter().find(|v| v.period == "2026-11").unwrap();
    assert_eq!((city.numerator, city.denominator, city.manual), (4, 4, true), "a later entry replaces the unit's");
    // Nothing to compute for it; and a computed indicator takes no hand-entered figure.
    assert!(matches!(s.db.store.snapshot_indicator(&admin, id, "2026-11").await, Err(Error::Invalid { .. })));
    let computed =
        khien_store::IndicatorInput { code: "T-4LOP".into(), measure: "four_layers".into(), ..input.clone() };
    let computed = s.db.store.define_indicator(&admin, &computed).await.unwrap().id;
    let e = s.db.store.record_indicator_value(&ward, computed, hb, "2026-11", (1, 1), "").await;
    assert!(matches!(e, Err(Error::Invalid { .. })), "{e:?}");
    // The whole period at once: every computed indicator kept, the figures entered by hand left as they are.
    s.db.store.create_system(&ward, &crate::systems::ward_system(hb, "HB-HOTICH")).await.unwrap();
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let r = pa05.send(Method::POST, "/api/v1/indicators/snapshots", Some(json!({"period": "2026-11"}))).await;
    assert_eq!(r.status(), 200);
    let kept: serde_json::Value = r.json().await.unwrap();
    let all = s.db.store.list_indicators(&admin).await.unwrap();
    assert_eq!(kept[0]["indicators"].as_u64().unwrap() as usize, all.iter().filter(|i| !i.measure.is_manual()).count());
    // A range of months from the same read; a range that runs backwards is refused.
    let r = pa05
        .send(Method::POST, "/api/v1/indicators/snapshots", Some(json!({"period": "2026-09", "until": "2026-11"})))
        .await;
    assert_eq!(r.status(), 200);
    let kept: serde_json::Value = r.json().await.unwrap();
    assert_eq!(kept.as_array().unwrap().len(), 3, "{kept}");
    let r = pa05
        .send(Method::POST, "/api/v1/indicators/snapshots", Some(json!({"period": "2026-11", "until": "2026-09"})))
        .await;
    assert_eq!(r.status(), 422);
    let total = s.db.store.overview(&admin).await.unwrap().pop().unwrap();
    let four = s.db.store.indicator_detail(&admin, computed, Some("2026-11")).await.unwrap();
    let city = four.city.iter().find(|v| v.period == "2026-11").unwrap();
    assert_eq!((city.numerator, city.denominator), (total.four_layers, total.systems));
    let hand = s.db.store.indicator_detail(&admin, id, Some("2026-11")).await.unwrap();
    assert_eq!(hand.city.iter().find(|v| v.period == "2026-11").map(|v| v.numerator), Some(4));
    let manager = s.login("sokhcn.quanly", DEMO_PASSWORD).await;
    let r = manager.send(Method::POST, "/api/v1/indicators/snapshots", Some(json!({"period": "2026-11"}))).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    // Through the page's form, a refused figure keeps what was typed.
    let session = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let hb_s = hb.to_string();
    let r = session
        .form(
            &format!("/indicators/{id}/values"),
            &[("unit", &hb_s), ("period", "2026-13"), ("numerator", "7"), ("denominator", "9")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("2026-13") && html.contains("value=\"7\""), "{html}");
}
