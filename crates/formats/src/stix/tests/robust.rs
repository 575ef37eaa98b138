//! Whatever the bytes, reading never panics.

use serde_json::json;

use super::*;
use crate::stix::pattern;
use crate::test_support::Rng;

/// One incident with every observable kind: a small, complete bundle.
fn small_bundle() -> Vec<u8> {
    let mut input = sample();
    input.incidents.truncate(1);
    input.incidents[0].related.clear();
    export_bundle(&input).unwrap()
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x5717_0001);
    for n in 0..400 {
        let len = rng.below(if n % 10 == 0 { 4000 } else { 64 });
        let _ = parse_bundle(&rng.bytes(len));
    }
}

#[test]
fn truncated_bundles_never_panic() {
    let valid = small_bundle();
    for end in (0..valid.len() - 1).step_by(13) {
        let r = parse_bundle(valid.get(..end).unwrap());
        assert!(r.is_err(), "a cut at {end} of {} still parses", valid.len());
    }
    if let Some(dir) = samples_dir() {
        let apt1 = std::fs::read(dir.join("apt1.json")).unwrap();
        for end in (0..apt1.len()).step_by(211) {
            let _ = parse_bundle(apt1.get(..end).unwrap());
        }
    }
}

#[test]
fn damaged_bytes_never_panic() {
    let valid = small_bundle();
    let mut rng = Rng(0x5717_0002);
    let alphabet = b"[](){}'\"\\:,.-=0123456789abcdefz \n\xff\xc3";
    for _ in 0..600 {
        let mut bytes = valid.clone();
        for _ in 0..=rng.below(4) {
            let at = rng.below(bytes.len());
            let b = alphabet[rng.below(alphabet.len())];
            match rng.below(3) {
                0 => bytes[at] = b,
                1 => bytes.insert(at, b),
                _ => {
                    bytes.remove(at);
                }
            }
        }
        let _ = parse_bundle(&bytes);
    }
}

#[test]
fn any_property_of_any_type_never_panics() {
    let valid: Value = serde_json::from_slice(&small_bundle()).unwrap();
    let replacements = [
        json!(null),
        json!(1.5),
        json!(""),
        json!("x"),
        json!(true),
        json!([]),
        json!({}),
        json!([1, "a"]),
        json!({"a": {"b": []}}),
    ];
    // Each object alone, with one property replaced or removed.
    for object in valid["objects"].as_array().unwrap() {
        for key in object.as_object().unwrap().keys() {
            let mut damaged = object.clone();
            damaged.as_object_mut().unwrap().remove(key);
            let _ = parse_bundle(&serde_json::to_vec(&json!([damaged])).unwrap());
            for r in &replacements {
                let mut damaged = object.clone();
                damaged[key] = r.clone();
                let _ = parse_bundle(&serde_json::to_vec(&json!([damaged])).unwrap());
            }
        }
    }
    for r in &replacements {
        let _ = parse_bundle(&serde_json::to_vec(&json!({"type": "bundle", "objects": [r]})).unwrap());
        let _ =
            parse_bundle(&serde_json::to_vec(&json!({"type": "bundle", "spec_version": r, "objects": []})).unwrap());
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(parse_bundle(deep.as_bytes()).unwrap_err().kind(), StixErrorKind::NotJson { .. }));
    let mut ind = json!({"type": "indicator", "spec_version": "2.1", "id": "indicator--6d0092c5-5f74-4287-9642-33f4c354e56d",
        "created": "2026-01-02T03:04:05.000Z", "modified": "2026-01-02T03:04:05.000Z",
        "pattern_type": "stix", "valid_from": "2026-01-02T00:00:00Z"});
    ind["pattern"] = json!(format!("{}[a:b = '1']{}", "(".repeat(500_000), ")".repeat(500_000)));
    let e = parse_bundle(&serde_json::to_vec(&json!([ind])).unwrap()).unwrap_err();
    assert!(matches!(e.kind(), StixErrorKind::BadPattern { problem: PatternProblem::TooDeep { .. }, .. }));
    ind["pattern"] = json!(format!("[{}a:b = '1'{}]", "(".repeat(500_000), ")".repeat(500_000)));
    let e = parse_bundle(&serde_json::to_vec(&json!([ind])).unwrap()).unwrap_err();
    assert!(matches!(e.kind(), StixErrorKind::BadPattern { problem: PatternProblem::TooDeep { .. }, .. }));
}

#[test]
fn random_patterns_never_panic() {
    let pieces = [
        "[",
        "]",
        "(",
        ")",
        "'",
        "\\",
        "\\'",
        ":",
        ".",
        "*",
        "=",
        "!=",
        "<",
        ">=",
        ",",
        " ",
        "AND",
        "OR",
        "NOT",
        "IN",
        "LIKE",
        "FOLLOWEDBY",
        "WITHIN",
        "SECONDS",
        "REPEATS",
        "TIMES",
        "START",
        "STOP",
        "ISSUBSET",
        "ipv4-addr",
        "value",
        "file",
        "hashes",
        "'SHA-256'",
        "'1.2.3.4'",
        "t'2026-01-01T00:00:00Z'",
        "h'ff'",
        "b'AA=='",
        "-5",
        "10",
        "1.5",
        "true",
        "é",
        "\u{0}",
    ];
    let mut rng = Rng(0x5717_0003);
    for _ in 0..5000 {
        let n = 1 + rng.below(16);
        let s: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
        if let Err((position, _)) = pattern::parse(&s) {
            assert!(position >= 1 && position <= s.chars().count().max(1), "{s:?} → {position}");
        }
    }
    for _ in 0..500 {
        let len = rng.below(40);
        let bytes = rng.bytes(len);
        let _ = pattern::parse(&String::from_utf8_lossy(&bytes));
    }
}
