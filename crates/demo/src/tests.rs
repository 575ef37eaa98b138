use std::collections::HashSet;

use super::{demo_city, DemoCity, DEMO_PASSWORD, ROLES, UNIT_TYPES};

fn city() -> DemoCity {
    demo_city()
}

fn count(c: &DemoCity, unit_type: &str) -> usize {
    c.units.iter().filter(|u| u.unit_type == unit_type).count()
}

fn is_nfc_ish(s: &str) -> bool {
    !s.chars().any(|c| ('\u{0300}'..='\u{036F}').contains(&c))
}

#[test]
fn deterministic() {
    assert_eq!(demo_city(), demo_city());
}

#[test]
fn counts() {
    let c = city();
    assert_eq!(count(&c, "city"), 1);
    assert_eq!(count(&c, "police"), 1);
    assert!(count(&c, "department") >= 20);
    assert_eq!(count(&c, "ward"), 60);
    assert_eq!(count(&c, "commune"), 55);
    assert_eq!(count(&c, "special_zone"), 2);
    let local = count(&c, "ward") + count(&c, "commune") + count(&c, "special_zone");
    assert!(local >= 100);
    assert!((3..=5).contains(&count(&c, "state_enterprise")));
    assert_eq!(count(&c, "it_enterprise"), 3);
    assert_eq!(count(&c, "soc_provider"), 1);
    assert_eq!(count(&c, "assessor"), 1);
    assert!((20..=30).contains(&c.users.len()));
}

#[test]
fn root_and_standing_body() {
    let c = city();
    let root = &c.units[0];
    assert_eq!(root.code, "TP");
    assert_eq!(root.name, "Ủy ban nhân dân thành phố Hải Đông");
    assert_eq!(root.parent_code, None);
    let pa05 = c.units.iter().find(|u| u.code == "CA-PA05");
    assert!(pa05.is_some_and(|u| u.unit_type == "police"
        && u.parent_code.as_deref() == Some("TP")
        && u.name.contains("(PA05)")));
    assert_eq!(DEMO_PASSWORD, "Khien@2026");
}

#[test]
fn codes_valid_and_unique() {
    let c = city();
    let mut seen = HashSet::new();
    for u in &c.units {
        assert!(!u.code.is_empty());
        assert!(
            u.code.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '-'),
            "bad code {}",
            u.code
        );
        assert!(seen.insert(u.code.as_str()), "duplicate code {}", u.code);
        assert!(UNIT_TYPES.contains(&u.unit_type), "{}", u.unit_type);
    }
    let names: HashSet<&str> = c.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), c.units.len(), "unit names must be unique");
}

#[test]
fn parents_listed_first() {
    let c = city();
    let mut seen = HashSet::new();
    for (i, u) in c.units.iter().enumerate() {
        match &u.parent_code {
            None => assert_eq!(i, 0, "only the root has no parent"),
            Some(p) => assert!(seen.contains(p.as_str()), "{} before parent {p}", u.code),
        }
        seen.insert(u.code.as_str());
    }
    // No districts: local units hang directly off the city.
    for u in &c.units {
        if matches!(u.unit_type, "ward" | "commune" | "special_zone") {
            assert_eq!(u.parent_code.as_deref(), Some("TP"));
        }
    }
}

#[test]
fn local_unit_names() {
    let c = city();
    for u in &c.units {
        let prefix = match u.unit_type {
            "ward" => "Phường ",
            "commune" => "Xã ",
            "special_zone" => "Đặc khu ",
            _ => continue,
        };
        assert!(u.name.starts_with(prefix), "{}", u.name);
    }
    let names: Vec<&str> = c.units.iter().map(|u| u.name.as_str()).collect();
    for expected in ["Phường Hồng Bàng", "Phường Lê Chân", "Xã An Lão", "Đặc khu Cát Hải"] {
        assert!(names.contains(&expected), "{expected}");
    }
}

#[test]
fn people_on_every_unit() {
    let c = city();
    let mut phones = HashSet::new();
    for u in &c.units {
        assert!(u.head_name.is_some(), "{}", u.code);
        assert!(u.focal_name.is_some(), "{}", u.code);
        let phone = u.focal_phone.as_deref().unwrap_or_default();
        let b = phone.as_bytes();
        assert!(b.len() == 12 && b[0] == b'0' && b[4] == b' ' && b[8] == b' ', "{phone}");
        assert!(phones.insert(phone.to_owned()), "duplicate phone {phone}");
        let email = u.focal_email.as_deref().unwrap_or_default();
        let domain = format!("@{}.haidong.gov.vn", u.code.to_ascii_lowercase());
        assert!(email.is_ascii() && email.ends_with(&domain), "{email}");
        assert!(u.head_name != u.focal_name);
    }
}

#[test]
fn users_valid() {
    let c = city();
    let codes: HashSet<&str> = c.units.iter().map(|u| u.code.as_str()).collect();
    let mut names = HashSet::new();
    let mut emails = HashSet::new();
    for u in &c.users {
        assert!(
            !u.username.is_empty()
                && u.username
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '.' || ch == '_'),
            "bad username {}",
            u.username
        );
        assert_ne!(u.username, "admin");
        assert!(names.insert(u.username.as_str()), "duplicate {}", u.username);
        assert!(codes.contains(u.unit_code.as_str()), "{}", u.unit_code);
        assert!(ROLES.contains(&u.role), "{}", u.role);
        assert!(u.email.is_ascii() && u.email.contains('@'), "{}", u.email);
        assert!(emails.insert(u.email.as_str()), "duplicate {}", u.email);
        assert!(u.full_name.split(' ').count() >= 3, "{}", u.full_name);
    }
    for role in ROLES {
        assert!(c.users.iter().any(|u| u.role == *role), "no user with role {role}");
    }
}

#[test]
fn required_logins() {
    let c = city();
    let find = |name: &str| c.users.iter().find(|u| u.username == name);
    let check = |name: &str, role: &str, unit: &str, recursive: bool| {
        let u = find(name);
        assert!(u.is_some_and(|u| u.role == role && u.unit_code == unit && u.recursive == recursive), "{name}: {u:?}");
    };
    check("pa05.truong", "authority_officer", "TP", true);
    check("pa05.canbo", "authority_officer", "TP", true);
    check("sokhcn.quanly", "unit_manager", "SO-KHCN", false);
    check("sokhcn.canbo", "unit_officer", "SO-KHCN", false);
    check("danhgia", "assessor", "KD-PN", false);
    check("soc", "soc_provider", "SOC-HD", false);
    check("lanhdao", "viewer", "TP", true);
    // PA05 staff: the officers are the people recorded on the CA-PA05 unit.
    let pa05 = c.units.iter().find(|u| u.code == "CA-PA05");
    assert_eq!(find("pa05.truong").map(|u| u.full_name.clone()), pa05.and_then(|u| u.head_name.clone()));
    assert!(find("pa05.canbo").is_some_and(|u| u.email.ends_with("@ca-pa05.haidong.gov.vn")));
}

#[test]
fn text_is_nfc_and_ascii_where_required() {
    let c = city();
    for u in &c.units {
        for s in [&u.name, &u.head_name.clone().unwrap_or_default(), &u.focal_name.clone().unwrap_or_default()] {
            assert!(is_nfc_ish(s), "combining mark in {s:?}");
        }
    }
    for u in &c.users {
        assert!(is_nfc_ish(&u.full_name), "{:?}", u.full_name);
        assert!(u.username.is_ascii() && u.email.is_ascii());
    }
}
