use serde_json::json;

use super::*;

const IND: &str = "indicator--6d0092c5-5f74-4287-9642-33f4c354e56d";

fn ind() -> Value {
    json!({
        "type": "indicator", "spec_version": "2.1", "id": IND,
        "created": "2026-01-02T03:04:05.000Z", "modified": "2026-01-02T03:04:05.000Z",
        "pattern": "[ipv4-addr:value = '192.0.2.1']", "pattern_type": "stix",
        "valid_from": "2026-01-02T00:00:00Z"
    })
}

fn import_err(objects: Value) -> StixError {
    let bytes = serde_json::to_vec(
        &json!({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": objects}),
    );
    parse_bundle(&bytes.unwrap()).unwrap_err()
}

/// The indicator with `key` set to `value` (or removed when `value` is null).
fn ind_with(key: &str, value: Value) -> StixError {
    let mut o = ind();
    if value.is_null() {
        o.as_object_mut().unwrap().remove(key);
    } else {
        o[key] = value;
    }
    import_err(
        json!([{"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-000000000001",
        "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z", "name": "X"}, o]),
    )
}

fn at(e: &StixError) -> (Option<&str>, Option<&str>) {
    (e.object(), e.property())
}

#[test]
fn not_json_names_line_and_column() {
    let e = parse_bundle(b"{\n  \"type\": \"bundle\",\n  \"objects\": [\n").unwrap_err();
    assert!(matches!(e.kind(), StixErrorKind::NotJson { line: 4, .. }), "{e:?}");
    assert_eq!(at(&e), (None, None));
    assert!(e.message_vi().starts_with("Dữ liệu STIX: không phải JSON hợp lệ ở dòng 4"), "{}", e.message_vi());
    let e = parse_bundle(b"{\"a\": 1,, }").unwrap_err();
    assert!(matches!(e.kind(), StixErrorKind::NotJson { line: 1, column: 9, .. }), "{e:?}");
    assert_eq!(e.message_en(), "STIX data: not valid JSON at line 1, character 9 (key must be a string)");
    assert_eq!(parse_bundle(b" \n\t").unwrap_err().kind(), &StixErrorKind::EmptyInput);
    let e = parse_bundle(b"\xff\xfe{}").unwrap_err();
    assert!(matches!(e.kind(), StixErrorKind::NotJson { .. }));
}

#[test]
fn not_stix_envelopes() {
    for input in [&b"42"[..], b"\"bundle\"", b"null", br#"{"name": "x"}"#] {
        assert_eq!(
            parse_bundle(input).unwrap_err().kind(),
            &StixErrorKind::NotStix,
            "{}",
            String::from_utf8_lossy(input)
        );
    }
    let e = parse_bundle(br#"{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": {}}"#)
        .unwrap_err();
    assert_eq!(at(&e), (Some("bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"), Some("objects")));
    assert_eq!(e.kind(), &StixErrorKind::WrongType { expected: "array" });
    let e = parse_bundle(br#"{"type": "bundle", "spec_version": "1.2", "objects": []}"#).unwrap_err();
    assert_eq!(at(&e), (Some("bundle"), Some("spec_version")));
    let e = import_err(json!([ind(), 7]));
    assert_eq!((at(&e), e.kind()), ((Some("objects[1]"), None), &StixErrorKind::NotAnObject));
    let e = parse_bundle(br#"[{"type": "indicator"}]"#).unwrap_err();
    assert_eq!(at(&e), (Some("[0]"), Some("id")));
}

#[test]
fn type_and_id_are_checked() {
    let e = import_err(json!([ind(), {"id": IND}]));
    assert_eq!((at(&e), e.kind()), ((Some("objects[1]"), Some("type")), &StixErrorKind::MissingProperty));
    assert_eq!(e.message_vi(), "Dữ liệu STIX, đối tượng objects[1], thuộc tính «type»: thiếu thuộc tính bắt buộc");
    assert_eq!(e.message_en(), "STIX data, object objects[1], property «type»: a required property is missing");
    let e = import_err(json!([{"type": 5, "id": IND}]));
    assert_eq!(at(&e), (Some("objects[0]"), Some("type")));
    let e = import_err(json!([{"type": "Bad Type", "id": IND}]));
    assert!(matches!(e.kind(), StixErrorKind::BadType { .. }));
    let e = import_err(json!([{"type": "indicator"}]));
    assert_eq!((at(&e), e.kind()), ((Some("objects[0]"), Some("id")), &StixErrorKind::MissingProperty));
    for bad in [
        "indicator--123",
        "malware--6d0092c5-5f74-4287-9642-33f4c354e56d",
        "indicator-6d0092c5-5f74-4287-9642-33f4c354e56d",
        "indicator--6d0092c55f74428796423",
    ] {
        let e = ind_with("id", json!(bad));
        assert_eq!(at(&e), (Some("objects[1]"), Some("id")), "{bad}");
        assert_eq!(e.kind(), &StixErrorKind::BadId { value: bad.into() });
        assert!(e.message_en().contains("expected <type>--<UUID>"));
    }
}

#[test]
fn spec_version_is_required_on_stix_21_objects() {
    let e = ind_with("spec_version", Value::Null);
    assert_eq!((at(&e), e.kind()), ((Some(IND), Some("spec_version")), &StixErrorKind::MissingSpecVersion));
    assert!(e.message_vi().contains("thiếu spec_version"), "{}", e.message_vi());
    let e = ind_with("spec_version", json!("2.2"));
    assert_eq!(e.kind(), &StixErrorKind::UnsupportedSpecVersion { value: "2.2".into() });
    assert_eq!(at(&e), (Some(IND), Some("spec_version")));
    // Unknown custom objects with `created` are domain objects too.
    let e = import_err(
        json!([{"type": "x-thing", "id": "x-thing--6d0092c5-5f74-4287-9642-33f4c354e56d", "created": "2026-01-01T00:00:00Z"}]),
    );
    assert_eq!(e.kind(), &StixErrorKind::MissingSpecVersion);
    // Observable objects may omit it.
    let ok = json!([{"type": "domain-name", "id": "domain-name--6d0092c5-5f74-4287-9642-33f4c354e56d", "value": "a.example"}]);
    assert_eq!(parse_bundle(&serde_json::to_vec(&ok).unwrap()).unwrap().indicators.len(), 1);
}

#[test]
fn indicator_needs_pattern_pattern_type_and_valid_from() {
    for prop in ["pattern", "pattern_type", "valid_from"] {
        let e = ind_with(prop, Value::Null);
        assert_eq!((at(&e), e.kind()), ((Some(IND), Some(prop)), &StixErrorKind::MissingProperty), "{prop}");
        let e = ind_with(prop, json!(12));
        assert_eq!((at(&e), e.kind()), ((Some(IND), Some(prop)), &StixErrorKind::WrongType { expected: "string" }));
    }
    let e = ind_with("labels", json!("c2"));
    assert_eq!((at(&e), e.kind()), ((Some(IND), Some("labels")), &StixErrorKind::WrongType { expected: "strings" }));
    let e = ind_with("object_marking_refs", json!([1]));
    assert_eq!(at(&e), (Some(IND), Some("object_marking_refs")));
}

#[test]
fn bad_timestamps() {
    for (prop, value) in [
        ("valid_from", "yesterday"),
        ("created", "2026-13-01T00:00:00Z"),
        ("modified", "2026-01-01"),
        ("valid_until", ""),
    ] {
        let e = ind_with(prop, json!(value));
        assert_eq!((at(&e), e.kind()), ((Some(IND), Some(prop)), &StixErrorKind::BadTimestamp { value: value.into() }));
    }
    let e = ind_with("valid_from", json!("yesterday"));
    assert_eq!(
        e.message_vi(),
        format!("Dữ liệu STIX, đối tượng {IND}, thuộc tính «valid_from»: «yesterday» không phải thời điểm hợp lệ; cần dạng RFC 3339, ví dụ 2026-01-31T08:30:00.000Z")
    );
}

#[test]
fn malformed_patterns() {
    use PatternProblem as P;
    let cases: Vec<(&str, usize, PatternProblem)> = vec![
        ("[ipv4-addr:value = '1.2.3.4'", 28, P::Unclosed { open: '[', open_at: 1 }),
        ("[ipv4-addr:value = '1.2.3.4]", 20, P::UnclosedQuote),
        ("([ipv4-addr:value = '1.2.3.4']", 30, P::Unclosed { open: '(', open_at: 1 }),
        ("ipv4-addr:value = '1.2.3.4'", 1, P::Expected { expected: "[", found: "ipv4-addr".into() }),
        ("[ipv4-addr:value = '1.2.3.4']]", 30, P::Expected { expected: "AND / OR / FOLLOWEDBY", found: "]".into() }),
        ("[ipv4-addr:value = 'a\\b']", 22, P::BadEscape('b')),
        ("[ipv4-addr:value == '1']", 19, P::Expected { expected: "<value>", found: "=".into() }),
        ("[ipv4-addr = '1']", 12, P::Expected { expected: ":", found: "=".into() }),
        ("[ipv4-addr:value = '1' AND]", 27, P::Expected { expected: "<type>:<property>", found: "]".into() }),
        ("[ipv4-addr:value = '1'] WITHIN SECONDS", 32, P::Expected { expected: "<number>", found: "SECONDS".into() }),
        ("[a:b = 1 # 2]", 10, P::UnexpectedChar('#')),
        ("   ", 1, P::Empty),
    ];
    for (pattern, position, problem) in cases {
        let e = ind_with("pattern", json!(pattern));
        assert_eq!(at(&e), (Some(IND), Some("pattern")), "{pattern}");
        assert_eq!(e.kind(), &StixErrorKind::BadPattern { position, problem }, "{pattern}");
    }
    let deep = format!("{}[a:b = '1']{}", "(".repeat(100), ")".repeat(100));
    let e = ind_with("pattern", json!(deep));
    assert!(matches!(e.kind(), StixErrorKind::BadPattern { problem: P::TooDeep { max: 64 }, .. }), "{e:?}");
    let e = ind_with("pattern", json!("[ipv4-addr:value = '1.2.3.4'"));
    assert_eq!(
        e.message_en(),
        format!("STIX data, object {IND}, property «pattern»: the STIX pattern is malformed at character 28: the «[» opened at character 1 is never closed")
    );
    assert_eq!(
        e.message_vi(),
        format!("Dữ liệu STIX, đối tượng {IND}, thuộc tính «pattern»: biểu thức STIX sai cú pháp ở ký tự 28: dấu «[» mở ở ký tự 1 không được đóng")
    );
}

#[test]
fn limits() {
    let many = format!("[{}]", vec!["{}"; MAX_OBJECTS + 1].join(","));
    let e = parse_bundle(many.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), &StixErrorKind::TooManyObjects { max: 100_000, actual: 100_001 });
    assert_eq!(at(&e), (Some("bundle"), Some("objects")));
    let e = ind_with("description", json!("x".repeat(MAX_STRING_BYTES + 1)));
    assert_eq!(
        (at(&e), e.kind()),
        ((Some(IND), Some("description")), &StixErrorKind::StringTooLong { max_bytes: 1 << 20, actual: (1 << 20) + 1 })
    );
    let e = ind_with("external_references", json!([{"source_name": "y".repeat(MAX_STRING_BYTES + 5)}]));
    assert_eq!(at(&e), (Some(IND), Some("external_references")));
    assert!(e.message_vi().contains("vượt quá giới hạn 1048576 byte"), "{}", e.message_vi());
    // Exactly at the limit is fine.
    assert!(parse_bundle(&serde_json::to_vec(&json!([{"type": "domain-name", "id": "domain-name--6d0092c5-5f74-4287-9642-33f4c354e56d", "value": "a".repeat(MAX_STRING_BYTES)}])).unwrap()).is_ok());
}
