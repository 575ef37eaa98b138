//! A profile's `modify` on the small catalog of `oscal_errors`: parameter values and added
//! parts written into the descriptions, the rest counted, unselected controls refused.

use khien_domain::catalog::LevelSet;
use serde_json::{json, Value};

use super::oscal_errors::mini;
use super::*;

fn profile(modify: Value) -> Value {
    json!({ "profile": {
        "metadata": { "title": "P", "version": "2" },
        "imports": [{ "include-controls": [{ "with-ids": ["ac-1", "ac-3", "x-1"] }] }],
        "modify": modify
    }})
}

fn resolve(v: &Value) -> Result<ProfileImport, CatalogError> {
    resolve_oscal_profile("p.json", v.to_string().as_bytes(), &mini(), "p", LevelSet::ALL)
}

fn description(p: &ProfileImport, id: &str) -> String {
    p.catalogue.node(id).unwrap().description.clone()
}

#[test]
fn parameter_values_and_added_parts_are_written() {
    let p = resolve(&profile(json!({
        "set-parameters": [
            { "param-id": "ac-01_prm_1", "values": ["monthly", " "], "constraints": [{ "description": "not used: values come first" }] },
            { "param-id": "ac-1_prm_2", "constraints": [{ "description": "the [CISO](#x)  " }, { "description": "the DPO" }] },
            { "param-id": "ac-3_prm_1", "select": { "how-many": "one-or-more", "choice": ["a", "b"] } },
            { "param-id": "ac-3_prm_2", "label": "only a label" },
            { "param-id": "ac-3_prm_3", "guidelines": [{ "prose": "a guideline" }] },
            { "param-id": "ac-3_prm_4" }
        ],
        "alters": [
            { "control-id": "AC-01", "adds": [
                { "position": "ending", "props": [{ "name": "x", "value": "y" }] },
                { "position": "ending", "parts": [
                    { "name": "item", "title": "Extra", "parts": [
                        { "name": "item", "props": [{ "name": "label", "value": "Req:" }], "prose": "Do {{ insert: param, ac-1_prm_1 }}." }
                    ]},
                    { "name": "item", "title": "Note", "prose": "Short." }
                ]}
              ],
              "removes": [{ "by-name": "guidance" }] },
            { "control-id": "x-1", "adds": [{ "parts": [{ "name": "item", "prose": "Plain prose." }] }] }
        ]
    })))
    .unwrap();
    assert_eq!(
        description(&p, "ac-1"),
        "a. Review [Assignment: frequency];\nb. Tell [ac-1_prm_2].\n\n\
         Giá trị tham số (hồ sơ) / Profile parameter values:\n- ac-01_prm_1: monthly\n- ac-1_prm_2: the CISO; the DPO\n\n\
         Bổ sung của hồ sơ / Profile additions:\nExtra\n  Req: Do [ac-1_prm_1].\nNote: Short."
    );
    assert_eq!(
        description(&p, "ac-3"),
        "Giá trị tham số (hồ sơ) / Profile parameter values:\n\
         - ac-3_prm_1: [Selection (one or more): a; b]\n- ac-3_prm_2: only a label\n- ac-3_prm_3: a guideline"
    );
    assert_eq!(description(&p, "x-1"), "Bổ sung của hồ sơ / Profile additions:\nPlain prose.");
    assert_eq!(description(&p, "ac"), "", "groups are left alone");
    let note = &p.catalogue.meta().source_note;
    assert!(note.vi.ends_with("đã ghi 5 giá trị tham số và 3 đoạn bổ sung vào mô tả của 3 biện pháp; không áp dụng 1 bổ sung không có văn bản (chỉ thuộc tính «props») và 1 lệnh xóa («removes»)."), "{}", note.vi);
    assert!(
        note.en
            .ends_with("not applied: 1 additions without text (properties «props» only) and 1 removals («removes»)."),
        "{}",
        note.en
    );
}

#[test]
fn long_descriptions_are_cut_visibly() {
    let p =
        resolve(&profile(json!({ "set-parameters": [{ "param-id": "x-1_prm_1", "values": ["v".repeat(25_000)] }] })))
            .unwrap();
    let d = description(&p, "x-1");
    assert_eq!(d.chars().count(), MAX_DESCRIPTION_CHARS);
    assert!(
        d.starts_with("Giá trị tham số (hồ sơ) / Profile parameter values:\n- x-1_prm_1: vvv") && d.ends_with("v…"),
        "{}",
        &d[..80]
    );
}

#[test]
fn modify_of_unselected_controls_names_the_path() {
    let alter = |id: &str| json!({ "control-id": id, "adds": [{ "parts": [{ "name": "item", "prose": "x" }] }] });
    let e = resolve(&profile(json!({ "alters": [alter("ac-1"), alter("ac-3.1")] }))).unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("profile.modify.alters[1].control-id"));
    assert_eq!(e.kind(), &CatalogErrorKind::UnknownControls { ids: vec!["ac-3.1".into()], catalogue: "p 2".into() });
    assert!(
        e.message_en().contains(
            "at profile.modify.alters[1], field «control-id»: 1 control(s) not found in the catalogue «p 2»: ac-3.1"
        ),
        "{}",
        e.message_en()
    );
    let e = resolve(&profile(json!({ "alters": [alter("zz-9")] }))).unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("profile.modify.alters[0].control-id"));

    let e = resolve(&profile(json!({ "set-parameters": [{ "param-id": "ac-1_prm_1", "values": ["x"] }, { "param-id": "ac-2_prm_1", "values": ["x"] }] }))).unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("profile.modify.set-parameters[1].param-id"));
    assert_eq!(
        e.kind(),
        &CatalogErrorKind::UnknownControls { ids: vec!["ac-2_prm_1".into()], catalogue: "p 2".into() }
    );

    let e = resolve(&profile(json!({ "alters": [{ "adds": [] }] }))).unwrap_err();
    assert_eq!(
        (e.json_path().as_deref(), e.kind()),
        (Some("profile.modify.alters[0].control-id"), &CatalogErrorKind::MissingProperty)
    );
    let e = resolve(&profile(json!([]))).unwrap_err();
    assert_eq!(
        (e.json_path().as_deref(), e.kind()),
        (Some("profile.modify"), &CatalogErrorKind::WrongType { expected: "object" })
    );
    let e = resolve(&profile(json!({ "set-parameters": [{ "param-id": "ac-1_prm_1", "values": "x" }] }))).unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("profile.modify.set-parameters[0].values"));
}

#[test]
fn titles_fall_back_to_english_where_there_is_no_vietnamese_one() {
    // A source catalogue imported before the fallback: nodes without a Vietnamese title.
    let src = mini();
    let (meta, mut nodes) = (src.meta().clone(), src.nodes().to_vec());
    for n in nodes.iter_mut() {
        n.title_vi.clear();
    }
    if let Some(n) = nodes.iter_mut().find(|n| n.id == "ac-3") {
        n.title_vi = "Thực thi truy cập".into();
    }
    let src = khien_domain::catalog::Catalogue::build(meta, nodes).unwrap();
    let p =
        resolve_oscal_profile("p.json", profile(json!({})).to_string().as_bytes(), &src, "p", LevelSet::ALL).unwrap();
    let c = &p.catalogue;
    assert_eq!((c.meta().title_vi.as_str(), c.meta().title_en.as_str()), ("P", "P"));
    assert!(c.nodes().iter().all(|n| !n.title_vi.is_empty()), "{:?}", c.nodes());
    let ac1 = c.node("ac-1").unwrap();
    assert_eq!(ac1.title_vi, ac1.title_en);
    assert_eq!(c.node("ac-3").unwrap().title_vi, "Thực thi truy cập", "a Vietnamese title is kept");
}
