use std::collections::BTreeSet;

use khien_domain::catalog::{Catalogue, LevelSet};
use khien_domain::Lang;
use unicode_normalization::UnicodeNormalization;

use super::*;

fn get(code: &str) -> Catalogue {
    try_builtin_catalogues().unwrap().into_iter().find(|c| c.code() == code).unwrap()
}

fn ids(c: &Catalogue, level: u8) -> BTreeSet<String> {
    c.applicable(level).map(|n| n.id.clone()).collect()
}

#[test]
fn both_load_and_say_where_the_text_comes_from() {
    let all = try_builtin_catalogues().unwrap();
    let codes: Vec<&str> = all.iter().map(|c| c.code()).collect();
    assert_eq!(codes, ["tcvn-14423-2026", "tcvn-11930-2017"]);
    assert_eq!(builtin_catalogues().len(), 2);
    for c in &all {
        let note = &c.meta().source_note;
        assert!(note.vi.contains("do Khiên tự biên soạn") && note.vi.contains("KHÔNG phải văn bản chính thức"), "{}", note.vi);
        assert!(note.vi.contains("nhập văn bản chính thức"), "{}", note.vi);
        assert!(note.en.contains("Khiên's own") && note.en.contains("NOT the official text"), "{}", note.en);
        assert!(note.en.contains("authority imports the official text"), "{}", note.en);
        for n in c.nodes() {
            assert!(!n.title_vi.is_empty() && !n.title_en.is_empty(), "{} needs both titles", n.id);
            assert_eq!(n.title_vi.nfc().collect::<String>(), n.title_vi, "{} NFC", n.id);
            assert!(!n.title_vi.is_ascii(), "{}: Vietnamese title without diacritics?", n.id);
            assert!(n.title_en.is_ascii(), "{}: English title", n.id);
        }
    }
}

#[test]
fn tcvn_14423_has_the_18_groups_with_their_levels() {
    let c = get("tcvn-14423-2026");
    let groups: Vec<(&str, String)> = c.groups().map(|g| (g.title(Lang::En), g.levels.to_string())).collect();
    let expected = [
        "Risk management",
        "Hardware assets",
        "Software assets",
        "Information assets",
        "Secure configuration",
        "Accounts and access control",
        "Vulnerability management",
        "Security logs",
        "Browsers and email",
        "Malware protection",
        "Backup and recovery",
        "Network security",
        "Security monitoring",
        "Staff",
        "Suppliers",
        "Incident response",
        "Secure development",
        "Penetration testing",
    ];
    assert_eq!(groups.iter().map(|g| g.0).collect::<Vec<_>>(), expected);
    for (title, levels) in &groups {
        let l3 = matches!(*title, "Security monitoring" | "Secure development" | "Penetration testing");
        assert_eq!(levels, if l3 { "3-5" } else { "1-5" }, "{title}");
    }
    for g in c.groups() {
        let n = c.children(Some(&g.id)).len();
        assert!((2..=8).contains(&n), "{} has {n} requirements", g.id);
    }
    for level in [1, 2] {
        assert!(c.applicable(level).all(|r| !["N13", "N17", "N18"].contains(&r.parent.as_deref().unwrap_or(""))));
    }
    assert_eq!(c.requirements().count(), 88);
    assert_eq!(c.counts_by_level(), [29, 36, 52, 64, 65]);
}

#[test]
fn tcvn_14423_frequencies_grow_by_level() {
    let c = get("tcvn-14423-2026");
    let title = |id: &str| c.node(id).unwrap().title_en.clone();
    // Vulnerability scanning: yearly at 1–2, six-monthly at 3–4, quarterly at 5.
    assert_eq!(title("N07.2"), "Scan the whole system for vulnerabilities once a year");
    assert_eq!(title("N07.3"), "Scan the whole system for vulnerabilities every six months");
    assert_eq!(title("N07.4"), "Scan the whole system for vulnerabilities every quarter");
    let scans = |l| ids(&c, l).into_iter().filter(|i| ["N07.2", "N07.3", "N07.4"].contains(&i.as_str())).collect::<Vec<_>>();
    assert_eq!(scans(1), ["N07.2"]);
    assert_eq!(scans(2), ["N07.2"]);
    assert_eq!(scans(3), ["N07.3"]);
    assert_eq!(scans(4), ["N07.3"]);
    assert_eq!(scans(5), ["N07.4"]);
    // Log retention: none stated at 1, then 1, 3, 6, 12 months.
    let keep = |l| ids(&c, l).into_iter().filter(|i| ["N08.2", "N08.3", "N08.4", "N08.5"].contains(&i.as_str())).map(|i| title(&i)).collect::<Vec<_>>();
    assert!(keep(1).is_empty());
    assert_eq!(keep(2), ["Keep logs for at least 1 month"]);
    assert_eq!(keep(3), ["Keep logs for at least 3 months"]);
    assert_eq!(keep(4), ["Keep logs for at least 6 months"]);
    assert_eq!(keep(5), ["Keep logs for at least 12 months"]);
    // Penetration testing: a programme at 3, yearly at 4, six-monthly at 5.
    assert_eq!(c.node("N18.2").unwrap().levels, LevelSet::single(4).unwrap());
    assert_eq!(c.node("N18.3").unwrap().levels, LevelSet::single(5).unwrap());
}

#[test]
fn tcvn_11930_is_cumulative() {
    let c = get("tcvn-11930-2017");
    let top: Vec<&str> = c.children(None).iter().map(|n| n.id.as_str()).collect();
    assert_eq!(top, ["QL", "KT"]);
    let sub = |id| c.children(Some(id)).iter().map(|n| n.title_en.clone()).collect::<Vec<_>>();
    assert_eq!(sub("QL"), ["Security policy", "Security organisation", "Human resources", "System design and build", "Operations management"]);
    assert_eq!(sub("KT"), ["Network security", "Server security", "Application security", "Data security"]);
    for l in 1..5 {
        assert!(ids(&c, l).is_subset(&ids(&c, l + 1)), "level {l} ⊆ level {}", l + 1);
    }
    for r in c.requirements() {
        assert!(r.levels.contains(5), "{}: cumulative up to level 5", r.id);
    }
    assert_eq!(c.counts_by_level(), [12, 21, 31, 36, 36]);
}
