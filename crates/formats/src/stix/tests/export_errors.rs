//! Export input errors name the input key and field.

use super::*;

fn at(e: &StixError) -> (Option<&str>, Option<&str>) {
    (e.object(), e.property())
}

fn export_err(edit: impl FnOnce(&mut ExportInput)) -> StixError {
    let mut input = sample();
    edit(&mut input);
    export_bundle(&input).unwrap_err()
}

#[test]
fn export_input_errors_name_key_and_field() {
    let e = export_err(|i| i.incidents[0].observables[2].tlp = "white-ish".into());
    assert_eq!(at(&e), (Some("observable:3"), Some("tlp")));
    assert_eq!(e.message_en(), "STIX data, object observable:3, property «tlp»: «white-ish» is not valid; use one of clear, green, amber, amber+strict, red");
    let e = export_err(|i| i.incidents[0].observables[0].value = "300.1.2.3".into());
    assert_eq!(
        (at(&e), e.kind()),
        (
            (Some("observable:1"), Some("value")),
            &StixErrorKind::InvalidObservable { kind: "ipv4".into(), value: "300.1.2.3".into() }
        )
    );
    assert_eq!(
        e.message_vi(),
        "Dữ liệu STIX, đối tượng observable:1, thuộc tính «value»: «300.1.2.3» không phải giá trị hợp lệ cho loại ipv4"
    );
    for (n, value) in
        [(2, "10.0.0.0"), (2, "10.0.0.0/33"), (3, "-"), (4, "evil.example.com/x"), (5, "abc"), (8, "attacker")]
    {
        let e = export_err(|i| i.incidents[0].observables[n].value = value.into());
        assert_eq!(e.property(), Some("value"), "{value}");
    }
    let e = export_err(|i| i.incidents[0].observables[0].kind = "mac".into());
    assert_eq!(at(&e), (Some("observable:1"), Some("kind")));
    let e = export_err(|i| i.incidents[1].category = "spam".into());
    assert_eq!(at(&e), (Some("incident:18"), Some("category")));
    let e = export_err(|i| i.incidents[1].state = "open".into());
    assert_eq!(at(&e), (Some("incident:18"), Some("state")));
    let e = export_err(|i| i.incidents[0].priority = 0);
    assert_eq!(
        (at(&e), e.kind()),
        ((Some("incident:17"), Some("priority")), &StixErrorKind::OutOfRange { value: 0, min: 1, max: 4 })
    );
    let e = export_err(|i| i.incidents[0].tlp = String::new());
    assert_eq!(at(&e), (Some("incident:17"), Some("tlp")));
    let e = export_err(|i| i.incidents[0].name = "  ".into());
    assert_eq!((at(&e), e.kind()), ((Some("incident:17"), Some("name")), &StixErrorKind::EmptyValue));
    assert_eq!(e.message_vi(), "Dữ liệu STIX, đối tượng incident:17, thuộc tính «name»: không được để trống");
    let e = export_err(|i| i.incidents[1].key = "incident:17".into());
    assert_eq!(e.kind(), &StixErrorKind::DuplicateKey { key: "incident:17".into() });
    let e = export_err(|i| i.incidents[0].key = String::new());
    assert_eq!(at(&e), (Some("incidents[0]"), Some("key")));
    let e = export_err(|i| i.incidents[0].modified = t("2020-01-01T00:00:00Z"));
    assert_eq!(
        (at(&e), e.kind()),
        ((Some("incident:17"), Some("modified")), &StixErrorKind::TimeOrder { earlier: "created" })
    );
    let e = export_err(|i| i.incidents[0].observables[0].last_seen = Some(t("2020-01-01T00:00:00Z")));
    assert_eq!(at(&e), (Some("observable:1"), Some("last_seen")));
    assert_eq!(
        e.message_en(),
        "STIX data, object observable:1, property «last_seen»: this time is before «first_seen»"
    );
    let e = export_err(|i| i.incidents[1].observables[1].key = "observable:2".into());
    assert_eq!(e.kind(), &StixErrorKind::DuplicateKey { key: "observable:2".into() });
    let e = export_err(|i| i.namespace_id = " ".into());
    assert_eq!(at(&e), (Some("namespace_id"), Some("namespace_id")));
    let e = export_err(|i| i.incidents[1].reporting_unit.name = String::new());
    assert_eq!(at(&e), (Some("unit:7"), Some("name")));
    let e = export_err(|i| i.incidents[1].reporting_unit = unit("unit:42", "Another name"));
    assert_eq!(at(&e), (Some("unit:42"), Some("name")));
    let e = export_err(|i| i.authority.identity_class = String::new());
    assert_eq!(at(&e), (Some("authority:1"), Some("identity_class")));
}
