#![allow(clippy::unwrap_used)]

mod errors;
mod export;
mod export_errors;
mod import;
mod robust;
mod roundtrip;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::*;

pub(super) fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub(super) fn unit(key: &str, name: &str) -> IdentityIn {
    IdentityIn { key: key.into(), name: name.into(), identity_class: "organization".into() }
}

pub(super) fn obs(key: &str, kind: &str, value: &str, tlp: &str) -> ObservableIn {
    ObservableIn {
        key: key.into(),
        kind: kind.into(),
        value: value.into(),
        first_seen: Some(t("2026-03-01T08:00:00Z")),
        last_seen: Some(t("2026-03-02T09:30:15.250Z")),
        tlp: tlp.into(),
        source: Some("Tường lửa biên".into()),
    }
}

pub(super) fn incident(key: &str, code: &str) -> IncidentIn {
    IncidentIn {
        key: key.into(),
        code: code.into(),
        name: format!("Sự cố {code}"),
        description: Some("Máy chủ cổng thông tin bị truy cập trái phép.".into()),
        created: t("2026-03-01T10:00:00Z"),
        modified: t("2026-03-03T11:00:00.123456Z"),
        detected_at: t("2026-03-01T07:45:00Z"),
        reporting_unit: unit("unit:42", "Sở Khoa học và Công nghệ tỉnh Lào Cai"),
        category: "intrusion".into(),
        state: "containing".into(),
        priority: 2,
        serious: false,
        tlp: "amber".into(),
        observables: Vec::new(),
        related: Vec::new(),
    }
}

/// Two related incidents with every observable kind, a URL needing
/// escapes, an observable shared by both incidents and one SCO used by two
/// observables with different markings.
pub(super) fn sample() -> ExportInput {
    let mut a = incident("incident:17", "SC-2026-0017");
    a.observables = vec![
        obs("observable:1", "ipv4", "203.0.113.5", "green"),
        obs("observable:2", "ipv6", "2001:DB8::1", "amber"),
        obs("observable:3", "cidr", "198.51.100.0/24", "green"),
        obs("observable:4", "domain", "Evil.Example.COM.", "clear"),
        obs("observable:5", "url", r"http://evil.example.com/a'b\c?x=1", "amber"),
        obs("observable:6", "md5", "001DD76872D80801692FF942308C64E6", "amber"),
        obs("observable:7", "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "amber"),
        obs("observable:8", "sha256", "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c", "red"),
        obs("observable:9", "email", "attacker@evil.example.com", "amber+strict"),
    ];
    a.related = vec!["incident:18".into(), "incident:999".into()];
    let mut b = incident("incident:18", "SC-2026-0018");
    b.reporting_unit = unit("unit:7", "Ngân hàng Nhà nước chi nhánh Hà Nội");
    b.category = "ransomware".into();
    b.state = "closed".into();
    b.priority = 1;
    b.serious = true;
    b.tlp = "red".into();
    let mut same_ip = obs("observable:10", "ipv4", "203.0.113.5", "red");
    same_ip.first_seen = None;
    same_ip.last_seen = None;
    same_ip.source = None;
    b.observables = vec![a.observables[0].clone(), same_ip];
    b.related = vec!["incident:17".into()];
    ExportInput {
        namespace_id: "khien-test-installation".into(),
        authority: unit("authority:1", "Cục An toàn thông tin"),
        incidents: vec![a, b],
    }
}

pub(super) fn export_json(input: &ExportInput) -> Value {
    serde_json::from_slice(&export_bundle(input).unwrap()).unwrap()
}

pub(super) fn count_types(bundle: &Value) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for o in bundle["objects"].as_array().unwrap() {
        *counts.entry(o["type"].as_str().unwrap().to_string()).or_insert(0) += 1;
    }
    counts
}

/// The objects of an exported bundle of the given type.
pub(super) fn of_type<'a>(bundle: &'a Value, ty: &str) -> Vec<&'a Value> {
    bundle["objects"].as_array().unwrap().iter().filter(|o| o["type"] == ty).collect()
}

/// The object with this id.
pub(super) fn by_id<'a>(bundle: &'a Value, id: &str) -> &'a Value {
    bundle["objects"].as_array().unwrap().iter().find(|o| o["id"] == id).unwrap()
}

/// The folder of sample STIX files shared with CI.
pub(super) fn samples_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/stix"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("STIX sample folder {} is absent: sample-file checks skipped", dir.display());
        None
    }
}
