use serde_json::json;

use super::*;

fn sample_file(name: &str) -> Option<ImportedBundle> {
    let path = samples_dir()?.join(name);
    Some(parse_bundle(&std::fs::read(path).unwrap()).unwrap())
}

fn kv(b: &ImportedBundle) -> Vec<(&str, &str)> {
    b.indicators.iter().map(|w| (w.kind.as_str(), w.value.as_str())).collect()
}

/// Wraps objects in a STIX 2.1 bundle.
fn bundle(objects: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": "bundle",
        "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
        "objects": objects
    }))
    .unwrap()
}

/// A valid STIX 2.1 indicator with this pattern.
fn indicator(n: u32, pattern: &str) -> Value {
    json!({
        "type": "indicator",
        "spec_version": "2.1",
        "id": format!("indicator--{n:08}-0000-4000-8000-000000000000"),
        "created": "2026-01-02T03:04:05.000Z",
        "modified": "2026-01-02T03:04:05.000Z",
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": "2026-01-02T00:00:00Z"
    })
}

#[test]
fn every_sample_file_reads() {
    let Some(dir) = samples_dir() else { return };
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let b = parse_bundle(&std::fs::read(&path).unwrap());
            assert!(b.is_ok(), "{}: {}", path.display(), b.unwrap_err());
            n += 1;
        }
    }
    assert!(n >= 8, "{n} sample files");
}

#[test]
fn apt1_gives_ten_items_and_skips_the_certificates() {
    let Some(b) = sample_file("apt1.json") else {
        return;
    };
    assert_eq!(b.objects, 76);
    // 12 indicators: 4 CIDR ranges, 3 domains, 3 MD5 hashes; the 2 X.509
    // certificate patterns have no comparison a watch list can use.
    assert_eq!(
        kv(&b),
        vec![
            ("cidr", "223.166.0.0/15"),
            ("cidr", "58.246.0.0/15"),
            ("cidr", "112.64.0.0/15"),
            ("cidr", "139.226.0.0/15"),
            ("domain", "hugesoft.org"),
            ("domain", "arrowservice.net"),
            ("domain", "msnhome.org"),
            ("md5", "001dd76872d80801692ff942308c64e6"),
            ("md5", "002325a0a67fded0381b5648d7fe9b8e"),
            ("md5", "00dbb9e1c09dbdafb360f3163ba5a3de"),
        ]
    );
    let ids: Vec<&str> = b.skipped.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["indicator--b3b6b540-d838-41e2-853b-005056c00008", "indicator--b3b7035e-d838-41e2-8d38-005056c00008"]
    );
    assert_eq!(
        b.skipped[0].1,
        "no comparison usable for a watch list: x509-certificate:issuer =; x509-certificate:serial_number ="
    );
    let w = &b.indicators[4];
    assert_eq!(w.stix_id, "indicator--3f3ff9f1-bb4e-4392-89e5-1991179042ba");
    assert_eq!(w.name.as_deref(), Some("FQDN hugesoft.org"));
    assert_eq!(w.valid_from, Some(t("2015-05-15T09:12:16.432678Z")));
    assert_eq!(w.labels, vec!["malicious-activity".to_string()]);
    assert_eq!((w.tlp.as_deref(), w.source.as_deref()), (None, None));
}

#[test]
fn the_other_sample_files() {
    let Some(b) = sample_file("indicators-for-C2-with-COA.json") else {
        return;
    };
    assert_eq!((b.objects, b.skipped.len()), (8, 0));
    assert_eq!(
        kv(&b),
        vec![("ipv4", "10.0.0.0"), ("sha256", "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c")]
    );
    assert_eq!(b.indicators[0].source.as_deref(), Some("The MITRE Corporation - DHS Support Team"));

    let b = sample_file("infrastructure.json").unwrap();
    assert_eq!(b.objects, 10);
    assert_eq!(kv(&b), vec![("ipv4", "198.51.100.3"), ("domain", "example.com")]);
    assert_eq!(b.indicators[0].stix_id, "ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956");
    assert_eq!(b.indicators[0].name, None);

    let b = sample_file("malware-indicator-for-file-hash.json").unwrap();
    assert_eq!(kv(&b), vec![("sha256", "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c")]);
    assert_eq!(b.indicators[0].valid_from, Some(t("2014-02-20T09:00:00Z")));

    let b = sample_file("sighting-of-an-indicator.json").unwrap();
    assert_eq!(kv(&b), vec![("url", "http://paypa1.banking.com")]);
    assert_eq!(b.indicators[0].source.as_deref(), Some("Alpha Threat Analysis Org."));

    // TLP 1.0 amber, defined in the bundle.
    let b = sample_file("using-marking-definitions.json").unwrap();
    assert_eq!(kv(&b), vec![("ipv4", "10.0.0.0")]);
    assert_eq!(b.indicators[0].tlp.as_deref(), Some("amber"));
    assert_eq!(b.indicators[0].source.as_deref(), Some("Stark Industries"));

    for (file, objects) in
        [("threat-actor-leveraging-attack-patterns-and-malware.json", 7), ("incident_with_child.json", 7)]
    {
        let b = sample_file(file).unwrap();
        assert_eq!((b.objects, b.indicators.len(), b.skipped.len()), (objects, 0, 0), "{file}");
    }
}

#[test]
fn pattern_forms() {
    let objects = json!([
        indicator(1, "[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2']"),
        indicator(2, "[domain-name:value = 'A.example.org'] AND [url:value = 'https://a.example.org/x'] WITHIN 300 SECONDS"),
        indicator(3, "[ipv4-addr:value ISSUBSET '10.1.0.0/16'] FOLLOWEDBY [ipv6-addr:value IN ('2001:db8::5', '2001:db8::6')]"),
        indicator(4, "[file:hashes.'SHA-1' = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709' AND file:name = 'x.exe']"),
        indicator(5, "([email-addr:value = 'a@b.example'] REPEATS 2 TIMES) START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'"),
        indicator(6, "[file:hashes.sha256 != 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']"),
        indicator(7, "[domain-name:value LIKE '%.example.net' OR ipv4-addr:value NOT = '192.0.2.1']"),
        indicator(8, "[((ipv4-addr:value = '192.0.2.9'))]"),
        indicator(9, "[ipv4-addr:value = '999.1.1.1']"),
        indicator(10, "[file:size > 1000 AND network-traffic:dst_ref.value = '192.0.2.10']")
    ]);
    let b = parse_bundle(&bundle(objects)).unwrap();
    assert_eq!(
        kv(&b),
        vec![
            ("ipv4", "198.51.100.1"),
            ("ipv4", "198.51.100.2"),
            ("domain", "a.example.org"),
            ("url", "https://a.example.org/x"),
            ("cidr", "10.1.0.0/16"),
            ("ipv6", "2001:db8::5"),
            ("ipv6", "2001:db8::6"),
            ("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            ("email", "a@b.example"),
            ("ipv4", "192.0.2.9"),
        ]
    );
    let reasons: Vec<String> = b.skipped.iter().map(|(id, r)| format!("{}: {r}", &id[11..19])).collect();
    assert_eq!(
        reasons,
        vec![
            "00000004: comparisons not used: file:name =",
            "00000006: no comparison usable for a watch list: file:hashes.sha256 !=",
            "00000007: no comparison usable for a watch list: domain-name:value LIKE; ipv4-addr:value NOT =",
            "00000009: «999.1.1.1» is not a valid ipv4 value",
            "00000010: no comparison usable for a watch list: file:size >; network-traffic:dst_ref.value =",
        ]
    );
}

#[test]
fn other_pattern_types_and_revoked_indicators_are_skipped() {
    let mut sigma = indicator(1, "title: x");
    sigma["pattern_type"] = json!("sigma");
    let mut revoked = indicator(2, "[ipv4-addr:value = '192.0.2.1']");
    revoked["revoked"] = json!(true);
    let b = parse_bundle(&bundle(json!([sigma, revoked]))).unwrap();
    assert_eq!(b.indicators, vec![]);
    assert_eq!(b.skipped[0].1, "pattern_type «sigma» is not read; only STIX patterns are");
    assert_eq!(b.skipped[1].1, "the indicator is revoked");
}

#[test]
fn observables_markings_authors_and_duplicates() {
    let mut ind = indicator(1, "[ipv4-addr:value = '192.0.2.1']");
    ind["object_marking_refs"] = json!([
        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        "marking-definition--00000000-0000-4000-8000-00000000000f"
    ]);
    ind["created_by_ref"] = json!("identity--00000000-0000-4000-8000-000000000001");
    ind["labels"] = json!(["c2", "malicious-activity"]);
    ind["indicator_types"] = json!(["malicious-activity", "attribution"]);
    ind["valid_until"] = json!("2026-06-01T00:00:00+07:00");
    ind["name"] = json!("C2");
    let objects = json!([
        ind,
        {"type": "identity", "spec_version": "2.1", "id": "identity--00000000-0000-4000-8000-000000000001",
         "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z", "name": "CERT X", "identity_class": "organization"},
        // Same value as the indicator: not repeated.
        {"type": "ipv4-addr", "id": "ipv4-addr--00000000-0000-4000-8000-000000000002", "value": "192.0.2.1"},
        {"type": "ipv6-addr", "spec_version": "2.1", "id": "ipv6-addr--00000000-0000-4000-8000-000000000003", "value": "2001:db8::/32",
         "object_marking_refs": ["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"]},
        {"type": "email-addr", "id": "email-addr--00000000-0000-4000-8000-000000000004", "value": "x@y.example"},
        {"type": "file", "id": "file--00000000-0000-4000-8000-000000000005", "name": "a.exe",
         "hashes": {"MD5": "001dd76872d80801692ff942308c64e6", "SHA-512": "00", "SHA-256": "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"}},
        {"type": "file", "id": "file--00000000-0000-4000-8000-000000000006", "name": "b.exe"},
        {"type": "url", "id": "url--00000000-0000-4000-8000-000000000007", "value": "not a url"},
        {"type": "observed-data", "spec_version": "2.0", "id": "observed-data--00000000-0000-4000-8000-000000000008",
         "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z",
         "first_observed": "2026-01-01T00:00:00Z", "last_observed": "2026-01-01T00:00:00Z", "number_observed": 1,
         "objects": {"0": {"type": "domain-name", "value": "legacy.example"}, "1": {"type": "file", "name": "z"}, "2": 5}},
        {"type": "x509-certificate", "id": "x509-certificate--00000000-0000-4000-8000-000000000009", "serial_number": "1"}
    ]);
    let b = parse_bundle(&bundle(objects)).unwrap();
    assert_eq!(b.objects, 10);
    assert_eq!(
        kv(&b),
        vec![
            ("ipv4", "192.0.2.1"),
            ("cidr", "2001:db8::/32"),
            ("email", "x@y.example"),
            ("md5", "001dd76872d80801692ff942308c64e6"),
            ("sha256", "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"),
            ("domain", "legacy.example"),
        ]
    );
    let w = &b.indicators[0];
    assert_eq!(w.tlp.as_deref(), Some("amber+strict"));
    assert_eq!(w.source.as_deref(), Some("CERT X"));
    assert_eq!(w.labels, vec!["c2", "malicious-activity", "attribution"]);
    assert_eq!(w.valid_until, Some(t("2026-05-31T17:00:00Z")));
    assert_eq!(w.name.as_deref(), Some("C2"));
    assert_eq!(b.indicators[1].tlp.as_deref(), Some("red"));
    assert_eq!(b.indicators[3].name.as_deref(), Some("a.exe"));
    assert_eq!(b.indicators[5].stix_id, "observed-data--00000000-0000-4000-8000-000000000008");
    assert_eq!(b.indicators[5].valid_from, Some(t("2026-01-01T00:00:00Z")));
    let skipped: Vec<(&str, &str)> = b.skipped.iter().map(|(i, r)| (&i[..4], r.as_str())).collect();
    assert_eq!(
        skipped,
        vec![
            ("file", "file without an MD5, SHA-1 or SHA-256 hash"),
            ("url-", "«not a url» is not a valid url value"),
            ("obse", "objects.1: file without an MD5, SHA-1 or SHA-256 hash"),
            ("obse", "objects.2 is not an object"),
        ]
    );
}

#[test]
fn envelopes_arrays_single_objects_bom_and_stix_20() {
    let one = indicator(1, "[ipv4-addr:value = '192.0.2.1']");
    let array = serde_json::to_vec(&json!([one.clone()])).unwrap();
    assert_eq!(kv(&parse_bundle(&array).unwrap()), vec![("ipv4", "192.0.2.1")]);
    let mut single = b"\xEF\xBB\xBF".to_vec();
    single.extend(serde_json::to_vec(&one).unwrap());
    let b = parse_bundle(&single).unwrap();
    assert_eq!((b.objects, kv(&b)), (1, vec![("ipv4", "192.0.2.1")]));
    let untyped = serde_json::to_vec(&json!({"objects": [one]})).unwrap();
    assert_eq!(parse_bundle(&untyped).unwrap().objects, 1);
    assert_eq!(
        parse_bundle(br#"{"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"}"#).unwrap().objects,
        0
    );
    // STIX 2.0: no spec_version on objects, no pattern_type.
    let v20 = json!({
        "type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "spec_version": "2.0",
        "objects": [{
            "type": "indicator", "id": "indicator--6d0092c5-5f74-4287-9642-33f4c354e56d",
            "created": "2017-01-01T00:00:00.000Z", "modified": "2017-01-01T00:00:00.000Z",
            "labels": ["malicious-activity"], "pattern": "[domain-name:value = 'old.example']",
            "valid_from": "2017-01-01T00:00:00Z",
            "object_marking_refs": ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]
        }]
    });
    let b = parse_bundle(&serde_json::to_vec(&v20).unwrap()).unwrap();
    assert_eq!(kv(&b), vec![("domain", "old.example")]);
    assert_eq!(b.indicators[0].tlp.as_deref(), Some("green"));
    assert_eq!(b.indicators[0].labels, vec!["malicious-activity"]);
}
