//! Itemised appraisal (issue 17.4; NĐ 331 Đ23 — the appraiser judges the dossier's parts): the
//! appraiser comments per part and requirement while the dossier awaits appraisal; the unit
//! answers each before it resubmits; each submission is frozen and the next shows what changed;
//! a closed dossier takes no comment; where the authority asks it, the unit's manager submits.

use crate::common::{actor, TestDb, TestServer, DEMO_PASSWORD};
use crate::dossier_forms::level_3_dossier;
use khien_domain::system::dossier::DossierAction as A;
use reqwest::Method;
use serde_json::{json, Value};

on_both_stores!(nd331_d23_comments_by_part_are_answered_and_the_resubmission_shows_its_difference);

async fn nd331_d23_comments_by_part_are_answered_and_the_resubmission_shows_its_difference(db: TestDb) {
    let s = TestServer::start_on(db).await;
    let id = level_3_dossier(&s.db, "HB-ROUND").await;
    let appraiser = s.login("pa05.truong", DEMO_PASSWORD).await;
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let comments = format!("/api/v1/dossiers/{id}/comments");
    // Bad comments name their field; the unit does not comment on its own dossier.
    for (body, field) in [
        (json!({"part": "firewall", "body": "Thiếu sơ đồ"}), "part"),
        (json!({"part": "design", "body": " "}), "body"),
        (json!({"part": "design", "body": "Thiếu sơ đồ", "requirement": "x".repeat(201)}), "requirement"),
    ] {
        let r = appraiser.send(Method::POST, &comments, Some(body)).await;
        assert_eq!(r.status(), 422, "{field}");
        assert!(r.text().await.unwrap().contains(field), "{field}");
    }
    let comment = json!({"part": "design", "requirement": "TCVN 14423:2026 5.2.3", "body": "Thiếu sơ đồ phân vùng mạng và danh mục thiết bị."});
    let r = officer.send(Method::POST, &comments, Some(comment.clone())).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    let r = appraiser.send(Method::POST, &comments, Some(comment)).await;
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    assert_eq!((first["part"].as_str(), first["submission_seq"].as_i64()), (Some("design"), Some(1)));
    let whole = json!({"body": "Đề nghị bổ sung quy chế bảo đảm an ninh mạng đã ban hành."});
    assert_eq!(appraiser.send(Method::POST, &comments, Some(whole)).await.status(), 201);
    // Answers wait for the return.
    let answer = |cid: i64| format!("/api/v1/dossier-comments/{cid}/answer");
    let r =
        officer.send(Method::PUT, &answer(first["id"].as_i64().unwrap()), Some(json!({"answer": "Đã bổ sung."}))).await;
    assert_eq!(r.status(), 422);
    let pa05 = actor(&s.db, "pa05.truong").await;
    s.db.store.act_on_dossier(&pa05, id, A::Return, Some("Bổ sung theo các ý kiến."), None, None).await.unwrap();
    // Not resubmitted over unanswered comments.
    let officer_actor = actor(&s.db, "hongbang.canbo").await;
    let err = s.db.store.act_on_dossier(&officer_actor, id, A::Submit, None, None, None).await.unwrap_err();
    assert_eq!(err.field(), Some("comments"), "{err:?}");
    // The unit replaces the design and answers both comments; another ward may not answer.
    s.db.store
        .add_attachment(&officer_actor, id, "design", "thiet-ke-v2.pdf", b"%PDF-1.4\n% design v2 with zones\n%%EOF\n")
        .await
        .unwrap();
    let listed = officer.get_json(&comments).await;
    let other = s.login("lechan.canbo", DEMO_PASSWORD).await;
    let cid = listed[0]["id"].as_i64().unwrap();
    let r = other.send(Method::PUT, &answer(cid), Some(json!({"answer": "x y"}))).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    for c in listed.as_array().unwrap() {
        let r = officer
            .send(
                Method::PUT,
                &answer(c["id"].as_i64().unwrap()),
                Some(json!({"answer": "Đã bổ sung trong tệp thiết kế mới."})),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    s.db.store.act_on_dossier(&officer_actor, id, A::Submit, None, None, None).await.unwrap();
    // Two frozen submissions; the second shows the design's new file, nothing else.
    let rounds = appraiser.get_json(&format!("/api/v1/dossiers/{id}/submissions")).await;
    assert_eq!(rounds.as_array().unwrap().len(), 2, "{rounds}");
    assert_eq!(rounds[0]["changes"], json!([]));
    let changes = rounds[1]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{rounds}");
    assert_eq!(changes[0]["subject"], "Hồ sơ thiết kế");
    assert!(changes[0]["after"].as_str().unwrap().contains("thiet-ke-v2.pdf"), "{rounds}");
    assert_ne!(rounds[0]["sha256"], rounds[1]["sha256"]);
    // The dossier page shows the round: the comment, its answer and the difference.
    let page = appraiser.get(&format!("/dossiers/{id}")).await.text().await.unwrap();
    for needle in
        ["Thiếu sơ đồ phân vùng mạng", "Đã bổ sung trong tệp thiết kế mới.", "thiet-ke-v2.pdf", "TCVN 14423:2026 5.2.3"]
    {
        assert!(page.contains(needle), "the page lacks {needle}");
    }
    // Approved, the dossier is closed to comments.
    s.db.store.act_on_dossier(&pa05, id, A::Appraise, Some("Đạt."), None, None).await.unwrap();
    let manager = actor(&s.db, "hongbang.quanly").await;
    s.db.store
        .act_on_dossier(&manager, id, A::Approve, Some("Đồng ý."), Some("7/QĐ-UBND"), Some("Trần B"))
        .await
        .unwrap();
    let r = appraiser.send(Method::POST, &comments, Some(json!({"body": "Ý kiến muộn sau phê duyệt."}))).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("đã đóng"));
    let audit = s.db.store.dossier_timeline(&pa05, id).await.unwrap();
    assert_eq!(audit.iter().filter(|a| a.action == "dossier.comment").count(), 2);
    assert_eq!(audit.iter().filter(|a| a.action == "dossier.answer").count(), 2);
}

/// The authority has wards' managers check their dossiers: a ward's officer prepares but may
/// not submit; its manager submits. Only the standing body sets this.
#[tokio::test]
async fn where_the_authority_asks_it_the_units_manager_submits() {
    let s = TestServer::start().await;
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let path = "/api/v1/rulesets/manager-check";
    let r = officer.send(Method::PUT, path, Some(json!({"unit_types": ["ward"]}))).await;
    assert!(r.status() == 403 || r.status() == 404, "{}", r.status());
    let authority = s.login("pa05.truong", DEMO_PASSWORD).await;
    let r = authority.send(Method::PUT, path, Some(json!({"unit_types": ["ward"]}))).await;
    assert_eq!(r.status(), 200);
    assert_eq!(officer.get_json(path).await, json!(["ward"]));
    let ward = crate::common::unit_id(&s.db, "P-HONG-BANG").await;
    let officer_actor = actor(&s.db, "hongbang.canbo").await;
    let sys = s.db.store.create_system(&officer_actor, &crate::systems::ward_system(ward, "HB-CHECK")).await.unwrap();
    let d = s.db.store.create_dossier(&officer_actor, sys.id, &khien_store::DossierInput::default()).await.unwrap();
    crate::common::attach_parts(&s.db, &officer_actor, d.id, &crate::systems::BASIC_PARTS).await;
    // The officer's page offers no submit step; the manager's does.
    let page = officer.get(&format!("/dossiers/{}", d.id)).await.text().await.unwrap();
    assert!(!page.contains("id=\"step-submit\""), "the officer is offered a submit it would be refused");
    let head = s.login("hongbang.quanly", DEMO_PASSWORD).await;
    let page = head.get(&format!("/dossiers/{}", d.id)).await.text().await.unwrap();
    assert!(page.contains("id=\"step-submit\""));
    let err = s.db.store.act_on_dossier(&officer_actor, d.id, A::Submit, None, None, None).await.unwrap_err();
    assert!(err.message(khien_domain::Lang::Vi).contains("lãnh đạo đơn vị"), "{err:?}");
    let manager = actor(&s.db, "hongbang.quanly").await;
    let submitted = s.db.store.act_on_dossier(&manager, d.id, A::Submit, None, None, None).await.unwrap();
    assert_eq!(submitted.state, "submitted");
    assert_eq!(authority.send(Method::PUT, path, Some(json!({"unit_types": []}))).await.status(), 200);
}
