//! OSCAL input built in the test: every problem names its JSON path and property.

use khien_domain::catalog::{LevelSet, ProblemKind};
use serde_json::{json, Value};

use super::*;
use crate::error::ImportErrorKind as K;

fn control(id: &str, title: &str) -> Value {
    json!({ "id": id, "title": title })
}

/// A small catalog: one group with ac-1 (params, statement), ac-2 (withdrawn, with an
/// enhancement) and ac-3 with an enhancement; a second group without id.
fn sample() -> Value {
    json!({ "catalog": {
        "uuid": "x",
        "metadata": { "title": "Mini", "version": "1.0", "oscal-version": "1.1.2" },
        "groups": [
            { "id": "ac", "title": "Access [Control](#ref)", "controls": [
                { "id": "ac-1", "title": "Policy",
                  "params": [ { "id": "ac-1_prm_1", "label": "frequency" }, { "id": "ac-1_prm_2" } ],
                  "parts": [
                    { "name": "statement", "parts": [
                        { "name": "item", "props": [{ "name": "label", "value": "a." }], "prose": "Review {{ insert: param, ac-1_prm_1 }};" },
                        { "name": "item", "props": [{ "name": "label", "value": "b." }], "prose": "Tell {{ insert: param, ac-1_prm_2 }}." }
                    ]},
                    { "name": "guidance", "prose": "Not in the description." }
                  ] },
                { "id": "ac-2", "title": "Old", "props": [{ "name": "status", "value": "withdrawn" }],
                  "controls": [ control("ac-2.1", "Inside withdrawn") ] },
                { "id": "ac-3", "title": "Enforcement", "controls": [ control("ac-3.1", "Enhancement") ] }
            ]},
            { "title": "No id", "controls": [ control("x-1", "X") ] }
        ]
    }})
}

fn parse(v: &Value) -> Result<OscalCatalogImport, CatalogError> {
    parse_oscal_catalog("mini.json", v.to_string().as_bytes(), "mini", LevelSet::ALL)
}

fn err(v: &Value) -> CatalogError {
    parse(v).unwrap_err()
}

#[test]
fn a_small_catalog_reads() {
    let imp = parse(&sample()).unwrap();
    let c = &imp.catalogue;
    let ids: Vec<&str> = c.nodes().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["ac", "ac-1", "ac-3", "ac-3.1", "group-2", "x-1"]);
    assert_eq!(imp.withdrawn, ["ac-2"]);
    assert_eq!(imp.skipped_under_withdrawn, ["ac-2.1"]);
    assert!(imp.summary().en.contains("and 1 controls inside withdrawn ones"), "{}", imp.summary().en);
    assert_eq!((imp.groups, imp.controls, imp.enhancements), (2, 3, 1));
    assert_eq!(c.node("ac").unwrap().title_en, "Access Control");
    assert_eq!(c.node("ac-1").unwrap().description, "a. Review [Assignment: frequency];\nb. Tell [ac-1_prm_2].");
    // No Vietnamese title in OSCAL: the English one stands in, for the catalogue and every node.
    assert_eq!(c.node("ac-1").unwrap().title_vi, c.node("ac-1").unwrap().title_en);
    assert!(c.nodes().iter().all(|n| !n.title_vi.is_empty() && n.title_vi == n.title_en));
    assert!(!c.meta().title_vi.is_empty());
    assert_eq!(c.meta().title_vi, c.meta().title_en);
}

#[test]
fn syntax_and_model_errors() {
    let e = parse_oscal_catalog("a.json", b"{\n  \"catalog\": [1,,]\n}", "x", LevelSet::ALL).unwrap_err();
    assert_eq!(e.location(), &Location::LineColumn { line: 2, column: 17 });
    assert!(matches!(e.kind(), CatalogErrorKind::Import(K::MalformedJson(_))));
    assert!(e.message_vi().contains("dòng 2, ký tự 17"), "{}", e.message_vi());

    let e = parse_oscal_catalog("a.json", b" \n", "x", LevelSet::ALL).unwrap_err();
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::EmptyFile));
    for not_oscal in [json!([]), json!({ "type": "bundle", "objects": [] })] {
        let e = err(&not_oscal);
        assert_eq!(e.kind(), &CatalogErrorKind::NotOscal);
        assert!(e.message_en().contains("not an OSCAL document"), "{}", e.message_en());
    }
    let e = err(&json!({ "catalog": [] }));
    assert_eq!(
        (e.json_path().as_deref(), e.kind()),
        (Some("$.catalog"), &CatalogErrorKind::WrongType { expected: "object" })
    );
    let e = err(&json!({ "component-definition": {} }));
    assert_eq!(e.kind(), &CatalogErrorKind::WrongModel { expected: "catalog", found: "component-definition".into() });
}

#[test]
fn missing_and_mistyped_properties_name_the_path() {
    let mut v = sample();
    v["catalog"].as_object_mut().unwrap().remove("metadata");
    let e = err(&v);
    assert_eq!((e.json_path().as_deref(), e.kind()), (Some("catalog.metadata"), &CatalogErrorKind::MissingProperty));

    let mut v = sample();
    v["catalog"]["groups"][0]["controls"][2].as_object_mut().unwrap().remove("id");
    let e = err(&v);
    assert_eq!(e.json_path().as_deref(), Some("catalog.groups[0].controls[2].id"));
    assert_eq!(e.field(), Some("id"));
    assert!(
        e.message_vi().contains("vị trí catalog.groups[0].controls[2], trường «id»: thiếu thuộc tính bắt buộc"),
        "{}",
        e.message_vi()
    );
    assert!(
        e.message_en().contains("at catalog.groups[0].controls[2], field «id»: a required property is missing"),
        "{}",
        e.message_en()
    );

    let mut v = sample();
    v["catalog"]["groups"][0]["controls"][2]["controls"][0]["title"] = json!(5);
    let e = err(&v);
    assert_eq!(e.json_path().as_deref(), Some("catalog.groups[0].controls[2].controls[0].title"));
    assert_eq!(e.kind(), &CatalogErrorKind::WrongType { expected: "text" });
    assert!(e.message_vi().contains("chuỗi văn bản"));

    let mut v = sample();
    v["catalog"]["groups"][1]["controls"] = json!({});
    let e = err(&v);
    assert_eq!(
        (e.json_path().as_deref(), e.kind()),
        (Some("catalog.groups[1].controls"), &CatalogErrorKind::WrongType { expected: "array" })
    );

    let mut v = sample();
    v["catalog"]["groups"][0]["controls"][0]["params"][0] = json!("ac-1_prm_1");
    let e = err(&v);
    assert_eq!(e.json_path().as_deref(), Some("catalog.groups[0].controls[0].params[0]"));

    let mut v = sample();
    v["catalog"]["groups"][0]["controls"][0]["parts"][0]["parts"][0]["props"][0]["value"] = json!(null);
    let e = err(&v);
    assert_eq!(e.json_path().as_deref(), Some("catalog.groups[0].controls[0].parts[0].parts[0].props[0].value"));
}

#[test]
fn catalogue_rules_name_the_path() {
    let mut v = sample();
    v["catalog"]["groups"][1]["controls"][0]["id"] = json!("ac-3.1");
    let e = err(&v);
    assert_eq!(e.json_path().as_deref(), Some("catalog.groups[1].controls[0].id"));
    assert_eq!(
        e.kind(),
        &CatalogErrorKind::Import(K::DuplicateCode {
            code: "ac-3.1".into(),
            first: Location::Item("catalog.groups[0].controls[2].controls[0]".into())
        })
    );

    let mut v = sample();
    v["catalog"]["groups"][0]["controls"][0]["id"] = json!("ac 1");
    let e = err(&v);
    assert_eq!(e.json_path().as_deref(), Some("catalog.groups[0].controls[0].id"));
    assert!(matches!(e.kind(), CatalogErrorKind::Rule(p) if p.kind == ProblemKind::BadIdChar { ch: ' ' }));

    let mut v = sample();
    v["catalog"]["groups"][0]["controls"][0]["title"] = json!("  ");
    let e = err(&v);
    assert_eq!(e.json_path().as_deref(), Some("catalog.groups[0].controls[0].title"));

    let e = parse_oscal_catalog("mini.json", sample().to_string().as_bytes(), "bad code!", LevelSet::ALL).unwrap_err();
    assert_eq!(e.location(), &Location::File);
}

pub(super) fn mini() -> khien_domain::catalog::Catalogue {
    parse(&sample()).unwrap().catalogue
}

fn profile(imports: Value) -> Value {
    json!({ "profile": { "metadata": { "title": "P", "version": "2" }, "imports": imports } })
}

fn resolve(v: &Value) -> Result<ProfileImport, CatalogError> {
    resolve_oscal_profile("p.json", v.to_string().as_bytes(), &mini(), "p", LevelSet::at_least(3).unwrap())
}

#[test]
fn profiles_select_controls() {
    let ids = |p: &ProfileImport| p.catalogue.nodes().iter().map(|n| n.id.clone()).collect::<Vec<_>>();
    let p =
        resolve(&profile(json!([{ "href": "#x", "include-controls": [{ "with-ids": ["ac-3.1", "x-1"] }] }]))).unwrap();
    assert_eq!(ids(&p), ["ac", "ac-3.1", "group-2", "x-1"], "an enhancement without its control hangs from the group");
    assert_eq!(p.catalogue.node("ac-3.1").unwrap().parent.as_deref(), Some("ac"));
    assert_eq!(p.catalogue.counts_by_level(), [0, 0, 2, 2, 2]);

    let p =
        resolve(&profile(json!([{ "include-controls": [{ "with-ids": ["ac-3"], "with-child-controls": "yes" }] }])))
            .unwrap();
    assert_eq!(p.selected, ["ac-3", "ac-3.1"]);

    let p = resolve(&profile(
        json!([{ "include-all": {}, "exclude-controls": [{ "matching": [{ "pattern": "ac-*" }] }] }]),
    ))
    .unwrap();
    assert_eq!(p.selected, ["x-1"]);
}

#[test]
fn profile_errors_name_the_path() {
    let e = resolve(&profile(
        json!([{ "include-controls": [{ "with-ids": ["ac-1"] }, { "with-ids": ["ac-1", "zz-9", "ac"] }] }]),
    ))
    .unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("profile.imports[0].include-controls[1].with-ids"));
    assert_eq!(
        e.kind(),
        &CatalogErrorKind::UnknownControls { ids: vec!["zz-9".into(), "ac".into()], catalogue: "mini 1.0".into() }
    );

    let e = resolve(&profile(json!([]))).unwrap_err();
    assert_eq!((e.json_path().as_deref(), e.kind()), (Some("profile.imports"), &CatalogErrorKind::MissingProperty));
    let e = resolve(&profile(json!([{ "href": "#x" }]))).unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("profile.imports[0].include-controls"));
    let e = resolve(&profile(
        json!([{ "include-controls": [{ "with-ids": ["ac-1"] }], "exclude-controls": [{ "with-ids": ["ac-1"] }] }]),
    ))
    .unwrap_err();
    assert_eq!(e.kind(), &CatalogErrorKind::NothingSelected);
    let e =
        resolve(&profile(json!([{ "include-controls": [{ "with-ids": ["ac-1"], "with-child-controls": "maybe" }] }])))
            .unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("profile.imports[0].include-controls[0].with-child-controls"));
    assert!(matches!(e.kind(), CatalogErrorKind::Unsupported { .. }));
    let e = resolve(&profile(json!([{ "include-controls": [{ "with-ids": ["ac-1", 7] }] }]))).unwrap_err();
    assert_eq!(e.json_path().as_deref(), Some("profile.imports[0].include-controls[0].with-ids[1]"));
}
