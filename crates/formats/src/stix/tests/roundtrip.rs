//! Pattern escaping and the round trip through `parse_bundle`.

use super::*;
use crate::stix::observable::{self, quote};
use crate::stix::pattern::{self, Literal};

#[test]
fn patterns_are_escaped() {
    assert_eq!(quote(r"a'b\c"), r"'a\'b\\c'");
    assert_eq!(quote(""), "''");
    let b = export_json(&sample());
    let url =
        of_type(&b, "indicator").into_iter().find(|i| i["pattern"].as_str().unwrap().starts_with("[url:")).unwrap();
    assert_eq!(url["pattern"], r"[url:value = 'http://evil.example.com/a\'b%5Cc?x=1']");
    let parsed = pattern::parse(url["pattern"].as_str().unwrap()).unwrap();
    assert_eq!(parsed[0].values, vec![Literal::Str("http://evil.example.com/a'b%5Cc?x=1".into())]);
    let tricky = r"it's a \ test";
    let parsed = pattern::parse(&format!("[x-custom:name = {}]", quote(tricky))).unwrap();
    assert_eq!(parsed[0].values, vec![Literal::Str(tricky.into())]);
    let patterns: Vec<&str> = of_type(&b, "indicator").iter().map(|i| i["pattern"].as_str().unwrap()).collect();
    for p in [
        "[ipv4-addr:value = '203.0.113.5']",
        "[ipv6-addr:value = '2001:db8::1']",
        "[ipv4-addr:value = '198.51.100.0/24']",
        "[domain-name:value = 'evil.example.com']",
        "[file:hashes.MD5 = '001dd76872d80801692ff942308c64e6']",
        "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
        "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']",
        "[email-addr:value = 'attacker@evil.example.com']",
    ] {
        assert!(patterns.contains(&p), "{p}");
    }
}

#[test]
fn export_then_import_returns_the_observables() {
    let input = sample();
    let back = parse_bundle(&export_bundle(&input).unwrap()).unwrap();
    assert_eq!(back.objects, 84);
    assert_eq!(back.skipped, vec![]);
    let got: Vec<(&str, &str, Option<&str>)> =
        back.indicators.iter().map(|w| (w.kind.as_str(), w.value.as_str(), w.tlp.as_deref())).collect();
    assert_eq!(
        got,
        vec![
            ("ipv4", "203.0.113.5", Some("green")),
            ("ipv6", "2001:db8::1", Some("amber")),
            ("cidr", "198.51.100.0/24", Some("green")),
            ("domain", "evil.example.com", Some("clear")),
            ("url", "http://evil.example.com/a'b%5Cc?x=1", Some("amber")),
            ("md5", "001dd76872d80801692ff942308c64e6", Some("amber")),
            ("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", Some("amber")),
            ("sha256", "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c", Some("red")),
            ("email", "attacker@evil.example.com", Some("amber+strict")),
            ("ipv4", "203.0.113.5", Some("red")),
        ]
    );
    let w = &back.indicators[0];
    assert_eq!(w.source.as_deref(), Some("Cục An toàn thông tin"));
    assert_eq!(w.name.as_deref(), Some("203.0.113.5"));
    assert_eq!(w.valid_from, Some(t("2026-03-01T08:00:00Z")));
    assert_eq!(w.valid_until, None);
    assert_eq!(w.labels, vec!["malicious-activity".to_string()]);
    assert!(w.stix_id.starts_with("indicator--"));
    // Each value re-exported as it came back gives the same value.
    for w in &back.indicators {
        assert_eq!(
            observable::normalize(observable::Kind::parse(&w.kind).unwrap(), &w.value).as_deref(),
            Some(w.value.as_str())
        );
    }
}

#[test]
fn an_empty_export_holds_the_authority() {
    let mut input = sample();
    input.incidents.clear();
    let b = export_json(&input);
    assert_eq!(
        count_types(&b).into_iter().collect::<Vec<_>>(),
        vec![("identity".into(), 1), ("marking-definition".into(), 1)]
    );
    assert_eq!(parse_bundle(&export_bundle(&input).unwrap()).unwrap().indicators, vec![]);
}
