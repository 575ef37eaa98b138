//! Issue 13: each permission decision has one home, and a form's choices are what the store
//! accepts. For every demo role and every action that places a record on a unit, the store's
//! list (`units_where`) is exactly the units its own check (`Actor::require_pick`) lets through;
//! a deactivated unit leaves both.

use crate::common::{actor, admin_actor, bootstrap, unit_id, TestDb};
use khien_domain::role::Action;
use khien_domain::time::rfc3339;
use khien_domain::Error;
use khien_store::{IncidentInput, NewUnit};

on_both_stores!(
    unit_choices_are_what_the_store_accepts,
    a_deactivated_unit_takes_no_new_records,
    task_units_are_the_incidents_unit_and_the_response_networks_members
);

const USERS: [&str; 9] = [
    "admin",
    "pa05.truong",
    "sokhcn.quanly",
    "sokhcn.canbo",
    "hongbang.quanly",
    "hongbang.canbo",
    "danhgia",
    "soc",
    "lanhdao",
];

const PICKED: [Action; 5] =
    [Action::ReportIncidents, Action::ManageUsers, Action::ManageUnits, Action::ManageTokens, Action::EditSystems];

async fn unit_choices_are_what_the_store_accepts(db: TestDb) {
    bootstrap(&db, true).await;
    let all = db.store.unit_tree(&admin_actor(&db).await).await.unwrap();
    for name in USERS {
        let who = actor(&db, name).await;
        for action in PICKED {
            let mut listed: Vec<i64> = db.store.units_where(&who, action).await.unwrap().iter().map(|u| u.id).collect();
            listed.sort_unstable();
            let mut accepted: Vec<i64> = all
                .iter()
                .filter(|u| who.require_pick("unit_id", action, u.id, &u.path, u.active).is_ok())
                .map(|u| u.id)
                .collect();
            accepted.sort_unstable();
            assert_eq!(listed, accepted, "{name} {action:?}");
        }
    }
}

async fn a_deactivated_unit_takes_no_new_records(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let officer = actor(&db, "hongbang.canbo").await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let report = IncidentInput {
        unit_id: ward,
        title: "Máy chủ bị mã hóa".into(),
        category: "ransomware".into(),
        detected_at: rfc3339(db.store.clock().now_ms() - 3_600_000),
        ..Default::default()
    };
    assert!(db.store.units_where(&officer, Action::ReportIncidents).await.unwrap().iter().any(|u| u.id == ward));
    db.store.create_incident(&officer, &report).await.unwrap();
    // A new leaf under the ward, deactivated: neither the form offers it nor the store takes it.
    let leaf = NewUnit {
        code: "HB-TO-1".into(),
        name: "Tổ dân phố 1".into(),
        unit_type: khien_domain::unit::UnitType::Department,
        parent_id: ward,
        head_name: None,
        focal_name: None,
        focal_phone: None,
        focal_email: None,
    };
    let target = db.store.create_unit(&admin, &leaf).await.unwrap().id;
    assert!(db.store.units_where(&admin, Action::ReportIncidents).await.unwrap().iter().any(|u| u.id == target));
    db.store.set_unit_active(&admin, target, false).await.unwrap();
    assert!(!db.store.units_where(&admin, Action::ReportIncidents).await.unwrap().iter().any(|u| u.id == target));
    let refused = db.store.create_incident(&admin, &IncidentInput { unit_id: target, ..report }).await.unwrap_err();
    assert!(matches!(refused, Error::Invalid { .. }), "{refused:?}");
}

/// The incident page's task form offers `task_units`: the incident's own unit and the approved
/// members of the response network (issue 17.7) — what `add_incident_task` accepts, whoever
/// co-ordinates.
async fn task_units_are_the_incidents_unit_and_the_response_networks_members(db: TestDb) {
    bootstrap(&db, true).await;
    let admin = admin_actor(&db).await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let members: Vec<i64> = db
        .store
        .network_roster(&admin)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.state == "approved")
        .map(|m| m.unit_id)
        .collect();
    assert!(!members.is_empty(), "the demo city's network has members");
    let mut listed: Vec<i64> = db.store.task_units(ward).await.unwrap().iter().map(|u| u.id).collect();
    listed.sort_unstable();
    let mut expected = members.clone();
    expected.push(ward);
    expected.sort_unstable();
    assert_eq!(listed, expected);
    let soc = db.store.task_units(ward).await.unwrap().into_iter().find(|u| u.unit_type == "soc_provider");
    assert!(soc.is_some(), "the demo city's SOC provider is offered");
}
