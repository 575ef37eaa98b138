use std::collections::{BTreeMap, HashSet};

use serde_json::json;

use super::*;

#[test]
fn export_writes_every_object() {
    let b = export_json(&sample());
    assert_eq!(b["type"], "bundle");
    assert!(b["id"].as_str().unwrap().starts_with("bundle--"));
    assert!(b.get("spec_version").is_none());
    let expected: BTreeMap<String, usize> = [
        ("identity", 3),
        ("marking-definition", 5),
        ("incident", 2),
        // 10 observables, but 203.0.113.5 is one SCO.
        ("ipv4-addr", 2),
        ("ipv6-addr", 1),
        ("domain-name", 1),
        ("url", 1),
        ("file", 3),
        ("email-addr", 1),
        ("observed-data", 10),
        ("indicator", 10),
        ("sighting", 10),
        // 2 reporting units + 10 based-on + 2×(9+2) incident links + 1 related pair.
        ("relationship", 35),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(count_types(&b), expected);

    let authority = &of_type(&b, "identity")[0];
    assert_eq!(authority["name"], "Cục An toàn thông tin");
    let ts_re = |s: &str| {
        s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.' && DateTime::parse_from_rfc3339(s).is_ok()
    };
    let ids: HashSet<&str> = b["objects"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 84, "ids are unique");
    for o in b["objects"].as_array().unwrap() {
        let ty = o["type"].as_str().unwrap();
        assert_eq!(o["spec_version"], "2.1");
        let sco = ["ipv4-addr", "ipv6-addr", "domain-name", "url", "file", "email-addr"].contains(&ty);
        if ty != "marking-definition" && !sco {
            assert_eq!(o["created_by_ref"], authority["id"], "{o}");
        }
        if ty != "marking-definition" {
            assert_eq!(o["object_marking_refs"].as_array().unwrap().len(), 1, "{o}");
        }
        for (k, v) in o.as_object().unwrap() {
            if ["created", "modified", "first_seen", "last_seen", "first_observed", "last_observed", "valid_from"]
                .contains(&k.as_str())
            {
                assert!(ts_re(v.as_str().unwrap()), "{k}: {v}");
            }
            // Every reference points into the bundle.
            let refs: Vec<&str> = match v {
                Value::String(s) if k.ends_with("_ref") => vec![s.as_str()],
                Value::Array(a) if k.ends_with("_refs") => a.iter().map(|r| r.as_str().unwrap()).collect(),
                _ => vec![],
            };
            for r in refs {
                assert!(ids.contains(r), "{k} → {r} not in bundle");
            }
        }
    }
}

#[test]
fn incident_uses_the_incident_core_extension() {
    let b = export_json(&sample());
    let incidents = of_type(&b, "incident");
    let a = incidents[0];
    assert_eq!(a["name"], "Sự cố SC-2026-0017");
    assert_eq!(a["created"], "2026-03-01T10:00:00.000Z");
    assert_eq!(a["modified"], "2026-03-03T11:00:00.123Z");
    assert_eq!(a["external_references"], json!([{"source_name": "khien", "external_id": "SC-2026-0017"}]));
    assert_eq!(a["object_marking_refs"], json!(["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"]));
    assert_eq!(
        a["extensions"],
        json!({ INCIDENT_CORE_EXTENSION_ID: {
            "extension_type": "property-extension",
            "determination": "suspected",
            "investigation_status": "open",
            "incident_types": ["unauthorized-access-system"],
            "criticality": 40
        }})
    );
    let b2 = &incidents[1]["extensions"][INCIDENT_CORE_EXTENSION_ID];
    assert_eq!(b2["investigation_status"], "closed");
    assert_eq!(b2["incident_types"], json!(["ransomware", "major"]));
    assert_eq!(b2["criticality"], 95);

    let mut input = sample();
    input.incidents.truncate(1);
    for (state, status) in [("received", "new"), ("triaged", "open"), ("reviewing", "open"), ("closed", "closed")] {
        input.incidents[0].state = state.into();
        let b = export_json(&input);
        assert_eq!(
            of_type(&b, "incident")[0]["extensions"][INCIDENT_CORE_EXTENSION_ID]["investigation_status"],
            status
        );
    }
    for (priority, criticality) in [(1, 70), (2, 40), (3, 20), (4, 10)] {
        input.incidents[0].priority = priority;
        let b = export_json(&input);
        assert_eq!(of_type(&b, "incident")[0]["extensions"][INCIDENT_CORE_EXTENSION_ID]["criticality"], criticality);
    }
    for (category, ty) in
        [("phishing", "dissemination-phishing-emails"), ("ddos", "denial-of-service"), ("other", "unspecified")]
    {
        input.incidents[0].category = category.into();
        let b = export_json(&input);
        assert_eq!(of_type(&b, "incident")[0]["extensions"][INCIDENT_CORE_EXTENSION_ID]["incident_types"], json!([ty]));
    }
}

#[test]
fn export_is_deterministic() {
    let input = sample();
    let first = export_bundle(&input).unwrap();
    assert_eq!(first, export_bundle(&input).unwrap());
    // Another installation mints other SDO ids, but SCO ids are global.
    let mut other = input.clone();
    other.namespace_id = "another-installation".into();
    let (a, b) = (export_json(&input), export_json(&other));
    assert_ne!(of_type(&a, "incident")[0]["id"], of_type(&b, "incident")[0]["id"]);
    assert_ne!(a["id"], b["id"]);
    assert_eq!(of_type(&a, "url")[0]["id"], of_type(&b, "url")[0]["id"]);
    // A change of content changes the bundle id, not the object ids.
    let mut changed = input.clone();
    changed.incidents[0].name = "Tên mới".into();
    let c = export_json(&changed);
    assert_ne!(a["id"], c["id"]);
    assert_eq!(of_type(&a, "incident")[0]["id"], of_type(&c, "incident")[0]["id"]);
}

/// SCO ids per STIX 2.1 §2.9, checked against python-stix2 3.0.2.
#[test]
fn sco_ids_follow_the_specification() {
    let b = export_json(&sample());
    let expected = [
        ("ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3", json!("203.0.113.5")),
        ("ipv6-addr--6469e3a9-b053-5e34-a025-9396ae051d26", json!("2001:db8::1")),
        ("ipv4-addr--1ea47840-aa39-5aa8-b4a2-cd203eb6662a", json!("198.51.100.0/24")),
        ("domain-name--6262c8a9-ac28-50fe-a7df-f5923bb2ee14", json!("evil.example.com")),
        ("url--04c8a07e-8924-5191-bba2-c06e431eddf3", json!("http://evil.example.com/a'b%5Cc?x=1")),
        ("email-addr--430cdb5d-9a70-5f46-8032-e69c6ce58466", json!("attacker@evil.example.com")),
    ];
    for (id, value) in expected {
        assert_eq!(by_id(&b, id)["value"], value);
    }
    let hashes = [
        ("file--c232383c-6835-583b-864f-715183141be8", json!({"MD5": "001dd76872d80801692ff942308c64e6"})),
        ("file--fa6e66a5-f019-51f9-8ab5-812023e58c6e", json!({"SHA-1": "da39a3ee5e6b4b0d3255bfef95601890afd80709"})),
        (
            "file--00967b13-6ef8-53e0-ac11-fcfb64b3c756",
            json!({"SHA-256": "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"}),
        ),
    ];
    for (id, h) in hashes {
        assert_eq!(by_id(&b, id)["hashes"], h);
    }
}

#[test]
fn markings_are_the_official_tlp2_definitions() {
    let b = export_json(&sample());
    let markings = of_type(&b, "marking-definition");
    let expected = [
        ("94868c89-83c2-464b-929b-a1a8aa3c8487", "CLEAR", "clear"),
        ("bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "GREEN", "green"),
        ("55d920b0-5e8b-4f79-9ee9-91f868d9b421", "AMBER", "amber"),
        ("939a9414-2ddd-4d32-a0cd-375ea402b003", "AMBER+STRICT", "amber+strict"),
        ("e828b379-4e03-4974-9ac4-e53a884c97c1", "RED", "red"),
    ];
    assert_eq!(markings.len(), 5);
    for (m, (uuid, name, level)) in markings.iter().zip(expected) {
        assert_eq!(
            **m,
            json!({
                "type": "marking-definition",
                "spec_version": "2.1",
                "id": format!("marking-definition--{uuid}"),
                "created": "2022-10-01T00:00:00.000Z",
                "name": format!("TLP:{name}"),
                "extensions": { TLP2_EXTENSION_ID: { "extension_type": "property-extension", "tlp_2_0": level } }
            })
        );
    }
    let red = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    let amber = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    // The SCO shared by a green and a red observable is red.
    assert_eq!(by_id(&b, "ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3")["object_marking_refs"], json!([red]));
    // Units take their incidents' marking; the authority the strictest.
    let identities = of_type(&b, "identity");
    assert_eq!(identities[0]["object_marking_refs"], json!([red]));
    assert_eq!(identities[1]["object_marking_refs"], json!([amber]));
    assert_eq!(identities[2]["object_marking_refs"], json!([red]));
    // Only the markings in use are written.
    let mut input = sample();
    input.incidents.truncate(1);
    input.incidents[0].observables.clear();
    let b = export_json(&input);
    assert_eq!(of_type(&b, "marking-definition").len(), 1);
    assert_eq!(of_type(&b, "marking-definition")[0]["id"], amber);
}

#[test]
fn observables_become_indicator_observed_data_and_sighting() {
    let b = export_json(&sample());
    let units = of_type(&b, "identity");
    let sightings = of_type(&b, "sighting");
    let s = sightings[0];
    let indicator = by_id(&b, s["sighting_of_ref"].as_str().unwrap());
    assert_eq!(indicator["pattern"], "[ipv4-addr:value = '203.0.113.5']");
    assert_eq!(indicator["valid_from"], "2026-03-01T08:00:00.000Z");
    assert_eq!(indicator["description"], "Tường lửa biên");
    assert_eq!(s["where_sighted_refs"], json!([units[1]["id"]]));
    assert_eq!(
        (s["first_seen"].as_str(), s["last_seen"].as_str()),
        (Some("2026-03-01T08:00:00.000Z"), Some("2026-03-02T09:30:15.250Z"))
    );
    assert_eq!(s["count"], 1);
    let od = by_id(&b, s["observed_data_refs"][0].as_str().unwrap());
    assert_eq!(od["object_refs"], json!(["ipv4-addr--826fe3cb-56b0-5620-9d30-4c17ed7b24e3"]));
    assert_eq!(od["number_observed"], 1);
    // Without times, the incident's detection time is used.
    let last = sightings[9];
    assert_eq!(
        (last["first_seen"].as_str(), last["last_seen"].as_str()),
        (Some("2026-03-01T07:45:00.000Z"), Some("2026-03-01T07:45:00.000Z"))
    );
    assert_eq!(last["where_sighted_refs"], json!([units[2]["id"]]));
    let rels = of_type(&b, "relationship");
    let incidents = of_type(&b, "incident");
    let related = |s: &Value, t: &Value| {
        rels.iter()
            .any(|r| r["relationship_type"] == "related-to" && r["source_ref"] == s["id"] && r["target_ref"] == t["id"])
    };
    assert!(related(incidents[0], incidents[1]));
    assert!(!related(incidents[1], incidents[0]));
    assert!(related(incidents[0], units[1]));
    // The observable shared by both incidents is written once, linked twice.
    assert!(related(incidents[0], indicator) && related(incidents[1], indicator));
    assert!(rels.iter().any(|r| r["relationship_type"] == "based-on"
        && r["source_ref"] == indicator["id"]
        && r["target_ref"] == od["id"]));
}

#[test]
fn markings_in_use_are_all_written() {
    // A green observable whose SCO is red (shared with a red one), and
    // nothing else green: the green definition must still be written.
    let mut a = incident("incident:1", "SC-1");
    a.observables = vec![obs("observable:1", "domain", "x.example", "green")];
    let mut b = incident("incident:2", "SC-2");
    b.tlp = "red".into();
    b.observables = vec![obs("observable:2", "domain", "x.example", "red")];
    let input =
        ExportInput { namespace_id: "n".into(), authority: unit("authority:1", "Cục"), incidents: vec![a, b] };
    let b = export_json(&input);
    let ids: HashSet<&str> = b["objects"].as_array().unwrap().iter().map(|o| o["id"].as_str().unwrap()).collect();
    for o in b["objects"].as_array().unwrap() {
        for m in o["object_marking_refs"].as_array().into_iter().flatten() {
            assert!(ids.contains(m.as_str().unwrap()), "{m} missing");
        }
    }
    assert_eq!(of_type(&b, "marking-definition").len(), 3);
}

#[test]
fn normalize_observable_is_public() {
    assert_eq!(normalize_observable("IPv4", " 192.0.2.1 ").as_deref(), Some("192.0.2.1"));
    assert_eq!(normalize_observable("cidr", "2001:DB8::/32").as_deref(), Some("2001:db8::/32"));
    assert_eq!(normalize_observable("url", "HTTP://a.example/ü x").as_deref(), Some("http://a.example/%C3%BC%20x"));
    assert_eq!(normalize_observable("url", "http://a.example/%41%zz").as_deref(), Some("http://a.example/%41%25zz"));
    assert_eq!(normalize_observable("domain", "Bücher.Example.").as_deref(), Some("bücher.example"));
    for (kind, bad) in [
        ("ipv4", "1.2.3"),
        ("cidr", "10.0.0.0"),
        ("domain", "-a.example"),
        ("domain", "a..b"),
        ("url", "a.example/x"),
        ("email", "a@"),
        ("md5", "xyz"),
        ("sha1", "00"),
        ("mac", "00:11"),
        ("ipv4", ""),
    ] {
        assert_eq!(normalize_observable(kind, bad), None, "{kind} {bad}");
    }
}
