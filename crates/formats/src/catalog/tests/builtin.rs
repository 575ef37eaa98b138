use std::collections::BTreeSet;

use khien_domain::catalog::{Catalogue, LevelSet};
use khien_domain::Lang;
use unicode_normalization::UnicodeNormalization;

use super::*;

/// The first shipped version of a code (the one released first; it never changes).
fn get(code: &str) -> Catalogue {
    try_builtin_catalogues().unwrap().into_iter().find(|c| c.code() == code).unwrap()
}

fn get_version(code: &str, version: &str) -> Catalogue {
    try_builtin_catalogues().unwrap().into_iter().find(|c| c.code() == code && c.version() == version).unwrap()
}

fn ids(c: &Catalogue, level: u8) -> BTreeSet<String> {
    c.applicable(level).map(|n| n.id.clone()).collect()
}

#[test]
fn both_load_and_say_where_the_text_comes_from() {
    let all = try_builtin_catalogues().unwrap();
    let codes: Vec<(&str, &str)> = all.iter().map(|c| (c.code(), c.version())).collect();
    // Each code's versions oldest first: the store adds them in this order, so the newest gets
    // the highest id and is listed first.
    assert_eq!(
        codes,
        [
            ("tcvn-14423-2026", "2026"),
            ("tcvn-14423-2026", "2026-r2"),
            ("tcvn-11930-2017", "2017"),
            ("tcvn-11930-2017", "2017-tt12")
        ]
    );
    assert_eq!(builtin_catalogues().len(), 4);
    for c in &all {
        let note = &c.meta().source_note;
        assert!(
            note.vi.contains("do Khiên tự biên soạn") && note.vi.contains("KHÔNG phải văn bản chính thức"),
            "{}",
            note.vi
        );
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
    let scans =
        |l| ids(&c, l).into_iter().filter(|i| ["N07.2", "N07.3", "N07.4"].contains(&i.as_str())).collect::<Vec<_>>();
    assert_eq!(scans(1), ["N07.2"]);
    assert_eq!(scans(2), ["N07.2"]);
    assert_eq!(scans(3), ["N07.3"]);
    assert_eq!(scans(4), ["N07.3"]);
    assert_eq!(scans(5), ["N07.4"]);
    // Log retention: none stated at 1, then 1, 3, 6, 12 months.
    let keep = |l| {
        ids(&c, l)
            .into_iter()
            .filter(|i| ["N08.2", "N08.3", "N08.4", "N08.5"].contains(&i.as_str()))
            .map(|i| title(&i))
            .collect::<Vec<_>>()
    };
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
    assert_eq!(
        sub("QL"),
        [
            "Security policy",
            "Security organisation",
            "Human resources",
            "System design and build",
            "Operations management"
        ]
    );
    assert_eq!(sub("KT"), ["Network security", "Server security", "Application security", "Data security"]);
    for l in 1..5 {
        assert!(ids(&c, l).is_subset(&ids(&c, l + 1)), "level {l} ⊆ level {}", l + 1);
    }
    for r in c.requirements() {
        assert!(r.levels.contains(5), "{}: cumulative up to level 5", r.id);
    }
    assert_eq!(c.counts_by_level(), [12, 21, 31, 36, 36]);
}

/// The first versions never change: the store keeps a (code, version) once and assessments point
/// at its node ids, so a change ships as a new version instead.
#[test]
fn released_versions_keep_their_structure() {
    let digest = |c: &Catalogue| {
        c.nodes()
            .iter()
            .map(|n| {
                format!(
                    "{}|{}|{}|{}|{}|{}",
                    n.id,
                    n.parent.as_deref().unwrap_or(""),
                    n.title_vi,
                    n.title_en,
                    n.description,
                    n.levels
                )
            })
            .collect::<Vec<_>>()
    };
    let old14423 = get_version("tcvn-14423-2026", "2026");
    assert_eq!(old14423.nodes().len(), 106);
    assert!(old14423.nodes().iter().all(|n| n.description.is_empty()));
    let old11930 = get_version("tcvn-11930-2017", "2017");
    assert_eq!(old11930.nodes().len(), 47);
    assert!(old11930.nodes().iter().all(|n| n.description.is_empty()));
    // The new 14423 version keeps every old id with its parent, titles and levels.
    let new = get_version("tcvn-14423-2026", "2026-r2");
    for n in old14423.nodes() {
        let m = new.node(&n.id).unwrap_or_else(|| panic!("{} kept", n.id));
        assert_eq!(
            (&m.parent, &m.title_vi, &m.title_en, m.levels, m.kind),
            (&n.parent, &n.title_vi, &n.title_en, n.levels, n.kind),
            "{}",
            n.id
        );
    }
    assert_ne!(digest(&old14423), digest(&new));
}

#[test]
fn tcvn_11930_tt12_follows_the_annexes() {
    let c = get_version("tcvn-11930-2017", "2017-tt12");
    let note = &c.meta().source_note;
    assert!(
        note.vi.contains("Thông tư 12/2022/TT-BTTTT") && note.en.contains("Circular 12/2022/TT-BTTTT"),
        "{}",
        note.en
    );
    let top: Vec<&str> = c.children(None).iter().map(|n| n.id.as_str()).collect();
    assert_eq!(top, ["QL", "KT"]);
    let sub = |id| c.children(Some(id)).iter().map(|n| (n.id.clone(), n.title_en.clone())).collect::<Vec<_>>();
    // Management 1.1–1.7 (TT 12/2022 Đ9.3 a–g), the risk plan and decommissioning included.
    assert_eq!(
        sub("QL"),
        [
            ("QL1.1", "Security policy"),
            ("QL1.2", "Security organisation"),
            ("QL1.3", "Human resources"),
            ("QL1.4", "System design and build"),
            ("QL1.5", "Operations management"),
            ("QL1.6", "Risk management plan"),
            ("QL1.7", "Decommissioning plan"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    for g in ["QL1.6", "QL1.7"] {
        let reqs = c.children(Some(g));
        assert_eq!(reqs.len(), 1, "{g}");
        assert_eq!(reqs[0].levels, LevelSet::ALL, "{g} at every level");
    }
    // Technical: the design (zones and measures), then network, servers, applications, data.
    assert_eq!(sub("KT").into_iter().map(|(id, _)| id).collect::<Vec<_>>(), ["TK", "KT1.1", "KT1.2", "KT1.3", "KT1.4"]);
    assert_eq!(sub("TK").into_iter().map(|(id, _)| id).collect::<Vec<_>>(), ["TK1", "TK2", "TK3"]);
    // Network zones by level: 3, 5, 7, 8, 8 (Phụ lục I–V mục II.1.a).
    let zones = |l| c.children(Some("TK1")).iter().filter(|n| n.levels.contains(l)).count();
    assert_eq!([1, 2, 3, 4, 5].map(zones), [3, 5, 7, 8, 8]);
    // Design measures by level: 3, 6, 16, 17, 19 (mục II.1.b i–iii, i–vi, i–xvi, i–xvii, i–xix).
    let measures = |l| c.children(Some("TK2")).iter().filter(|n| n.levels.contains(l)).count();
    assert_eq!([1, 2, 3, 4, 5].map(measures), [3, 6, 16, 17, 19]);
    assert_eq!(
        c.node("TK2.18").unwrap().levels,
        LevelSet::single(5).unwrap(),
        "the standby site 30 km away is level 5 only"
    );
    // Management items by level: 15, 18, 22, 22, 22; configuration items 13, 17, 21, 21, 21.
    let under = |root: &str, l| c.applicable(l).filter(|r| ancestors(&c, &r.id).contains(&root.to_string())).count();
    assert_eq!([1, 2, 3, 4, 5].map(|l| under("QL", l)), [15, 18, 22, 22, 22]);
    let config = |l| ["KT1.1", "KT1.2", "KT1.3", "KT1.4"].iter().map(|g| under(g, l)).sum::<usize>();
    assert_eq!([1, 2, 3, 4, 5].map(config), [13, 17, 21, 21, 21]);
    assert_eq!(c.counts_by_level(), [34, 46, 69, 72, 74]);
    for l in 1..5 {
        assert!(ids(&c, l).is_subset(&ids(&c, l + 1)), "level {l} ⊆ level {}", l + 1);
    }
    // Every requirement names where it comes from; every one with a TCVN clause names one per level.
    for r in c.requirements() {
        assert!(r.description.starts_with("TT 12/2022 "), "{}: {}", r.id, r.description);
        if r.id.starts_with("QL1.") && !r.id.starts_with("QL1.6") && !r.id.starts_with("QL1.7")
            || r.id.starts_with("KT1.")
        {
            for l in r.levels.iter() {
                assert!(
                    r.description.contains(&format!("cấp {l}: {}.", l + 4)),
                    "{}: level {l} clause in {}",
                    r.id,
                    r.description
                );
            }
        }
    }
    // Where the annexes number an item differently by level, each numbering is kept.
    let desc = |id: &str| c.node(id).unwrap().description.clone();
    assert_eq!(desc("QL1.5.8"), "TT 12/2022 Phụ lục II mục I.1.5.4; Phụ lục III–V mục I.1.5.8; TCVN 11930:2017 cấp 2: 6.1.5.4; cấp 3: 7.1.5.8; cấp 4: 8.1.5.8; cấp 5: 9.1.5.8");
    assert!(desc("KT1.4.3").contains("cấp 1: 5.2.4.1; cấp 2: 6.2.4.2; cấp 3: 7.2.4.3"), "{}", desc("KT1.4.3"));
    assert!(
        desc("QL1.1.1").contains("Phụ lục I–V mục I.1.1.1; TCVN 11930:2017 cấp 1: 5.1.1.1;"),
        "{}",
        desc("QL1.1.1")
    );
}

fn ancestors(c: &Catalogue, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = c.node(id).and_then(|n| n.parent.clone());
    while let Some(p) = at {
        at = c.node(&p).and_then(|n| n.parent.clone());
        out.push(p);
    }
    out
}

#[test]
fn tcvn_14423_r2_names_the_clause_of_each_level() {
    let c = get_version("tcvn-14423-2026", "2026-r2");
    let note = &c.meta().source_note;
    assert!(note.vi.contains("tài liệu thứ cấp") && note.vi.contains("độ tin cậy thấp–trung bình"), "{}", note.vi);
    assert!(note.en.contains("secondary source") && note.en.contains("low to medium confidence"), "{}", note.en);
    let desc = |id: &str| c.node(id).unwrap().description.clone();
    // The groups renumber from level 3 on: incident response is 3.15 / 4.15 / 5.16 / 6.17 / 7.17.
    assert_eq!(desc("N16"), "Cấp 1: 3.15; cấp 2: 4.15; cấp 3: 5.16; cấp 4: 6.17; cấp 5: 7.17");
    assert_eq!(desc("N13"), "Cấp 3: 5.13; cấp 4: 6.13; cấp 5: 7.13");
    assert_eq!(desc("N14"), "Cấp 1: 3.13; cấp 2: 4.13; cấp 3: 5.14; cấp 4: 6.14; cấp 5: 7.14");
    assert_eq!(desc("N17"), "Cấp 3: 5.17; cấp 4: 6.16; cấp 5: 7.16");
    assert_eq!(desc("N18"), "Cấp 3: 5.18; cấp 4: 6.18; cấp 5: 7.18");
    assert_eq!(desc("N08.4"), "Cấp 4: 6.8.2.1 a");
    // Every group and requirement names a clause for each level it applies to, and no other.
    for n in c.nodes() {
        let d = &n.description;
        for l in 1..=5u8 {
            let named = d.contains(&format!("ấp {l}: "));
            assert_eq!(named, n.levels.contains(l), "{} level {l}: {d}", n.id);
        }
    }
    // A requirement's clause at a level lies inside its group's clause at that level.
    let by_level = |d: &str| -> Vec<(u8, String)> {
        d.split(". ")
            .next()
            .unwrap()
            .split("; ")
            .map(|p| {
                let (l, clause) = p.trim_start_matches("Cấp ").trim_start_matches("cấp ").split_once(": ").unwrap();
                (l.parse().unwrap(), clause.to_string())
            })
            .collect()
    };
    for r in c.requirements() {
        let group: Vec<(u8, String)> = by_level(&c.node(r.parent.as_deref().unwrap()).unwrap().description);
        for (l, clauses) in by_level(&r.description) {
            let g = &group.iter().find(|(gl, _)| *gl == l).unwrap_or_else(|| panic!("{} level {l}", r.id)).1;
            for clause in clauses.split(", ") {
                let rest = clause.strip_prefix(g.as_str()).unwrap_or_else(|| panic!("{}: {clause} outside {g}", r.id));
                assert!(
                    rest.is_empty() || rest.starts_with('.') || rest.starts_with(' '),
                    "{}: {clause} outside {g}",
                    r.id
                );
            }
        }
    }
    // The penetration test before go-live, from level 4 (6.16.2.9 b, 7.16.2.9 b).
    let pt = c.node("N17.5").unwrap();
    assert_eq!((pt.parent.as_deref(), pt.levels.to_string().as_str()), (Some("N17"), "4-5"));
    assert_eq!(pt.description, "Cấp 4: 6.16.2.9 b; cấp 5: 7.16.2.9 b");
    assert!(!ids(&c, 3).contains("N17.5") && ids(&c, 4).contains("N17.5") && ids(&c, 5).contains("N17.5"));
    // Annex A: physical security of the server room, A.1–A.5, outside the basic requirements.
    let pla = c.node("PLA").unwrap();
    assert!(
        pla.description.starts_with("Cấp 1: A.1; cấp 2: A.2; cấp 3: A.3; cấp 4: A.4; cấp 5: A.5.")
            && pla.description.contains("NĐ 331/2026 Điều 30 khoản 2"),
        "{}",
        pla.description
    );
    let annex = |l| c.children(Some("PLA")).iter().filter(|n| n.levels.contains(l)).count();
    assert_eq!([1, 2, 3, 4, 5].map(annex), [4, 6, 10, 10, 10]);
    assert_eq!(desc("PLA.2"), "Cấp 1: A.1.1; cấp 2: A.2.1; cấp 3: A.3.2; cấp 4: A.4.2; cấp 5: A.5.2");
    assert_eq!(c.requirements().count(), 88 + 1 + 10);
    assert_eq!(c.counts_by_level(), [33, 42, 62, 75, 76]);
}
