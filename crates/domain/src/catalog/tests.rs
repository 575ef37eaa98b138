#![allow(clippy::unwrap_used)]

use super::*;

fn meta() -> CatalogueMeta {
    CatalogueMeta {
        code: "test-1".into(),
        version: "2026".into(),
        title_vi: "Danh mục thử".into(),
        title_en: "Test catalogue".into(),
        source_note: Msg::new("Soạn để kiểm thử", "Written for tests"),
    }
}

fn levels(s: &str) -> LevelSet {
    LevelSet::parse(s).unwrap()
}

fn group(id: &str, parent: Option<&str>, l: &str) -> CatalogueNode {
    let set = if l.is_empty() { LevelSet::EMPTY } else { levels(l) };
    CatalogueNode::new(NodeKind::Group, id, parent, &format!("Nhóm {id}"), &format!("Group {id}"), set)
}

fn req(id: &str, parent: Option<&str>, l: &str) -> CatalogueNode {
    let set = if l.is_empty() { LevelSet::EMPTY } else { levels(l) };
    CatalogueNode::new(NodeKind::Requirement, id, parent, &format!("Yêu cầu {id}"), &format!("Requirement {id}"), set)
}

fn sample() -> Vec<CatalogueNode> {
    vec![
        group("G1", None, "1-5"),
        req("G1.1", Some("G1"), "1-5"),
        req("G1.2", Some("G1"), "3+"),
        req("G1.2.a", Some("G1.2"), "5"),
        group("G2", None, ""),
        group("G2.A", Some("G2"), "3-5"),
        req("G2.A.1", Some("G2.A"), "3,4"),
        req("G2.1", Some("G2"), "1-2"),
    ]
}

fn problems(nodes: Vec<CatalogueNode>) -> Vec<CatalogueProblem> {
    Catalogue::build(meta(), nodes).unwrap_err()
}

fn only(nodes: Vec<CatalogueNode>) -> CatalogueProblem {
    let mut p = problems(nodes);
    assert_eq!(p.len(), 1, "{p:?}");
    p.remove(0)
}

#[test]
fn level_sets_parse_and_display() {
    for (text, shown, list) in [
        ("1-5", "1-5", vec![1, 2, 3, 4, 5]),
        ("3,4,5", "3-5", vec![3, 4, 5]),
        ("3+", "3-5", vec![3, 4, 5]),
        (" 5 ", "5", vec![5]),
        ("1, 3", "1,3", vec![1, 3]),
        ("1-2; 4", "1-2,4", vec![1, 2, 4]),
        ("3 – 5", "3-5", vec![3, 4, 5]),
        ("2 4", "2,4", vec![2, 4]),
        ("1,1,2", "1-2", vec![1, 2]),
    ] {
        let set = LevelSet::parse(text).unwrap();
        assert_eq!(set.to_string(), shown, "{text}");
        assert_eq!(set.iter().collect::<Vec<_>>(), list, "{text}");
        assert_eq!(LevelSet::parse(shown).unwrap(), set, "display parses back");
    }
    assert_eq!(LevelSet::parse(""), Err(LevelSetError::Empty));
    assert_eq!(LevelSet::parse(" , "), Err(LevelSetError::Empty));
    assert_eq!(LevelSet::parse("6"), Err(LevelSetError::OutOfRange { value: "6".into() }));
    assert_eq!(LevelSet::parse("0-3"), Err(LevelSetError::OutOfRange { value: "0".into() }));
    assert_eq!(LevelSet::parse("6+"), Err(LevelSetError::OutOfRange { value: "6".into() }));
    assert_eq!(LevelSet::parse("5-3"), Err(LevelSetError::Reversed { value: "5-3".into() }));
    for bad in ["a", "3++", "+", "1-2-3", "-1", "cấp 3", "3.5"] {
        assert!(matches!(LevelSet::parse(bad), Err(LevelSetError::Syntax { .. })), "{bad}");
    }
    assert!(LevelSet::from_levels([1, 6]).is_err());
    assert_eq!(LevelSet::from_bits(0b10_0000), None);
    assert_eq!(LevelSet::ALL.len(), 5);
    assert!(levels("3-4").is_subset_of(levels("2+")));
    assert!(!levels("1-4").is_subset_of(levels("2+")));
    assert_eq!(levels("3+").label().vi, "Cấp 3-5");
    assert_eq!(levels("2").label().en, "Level 2");
    assert!(LevelSetError::OutOfRange { value: "6".into() }.msg().vi.contains("1–5"));
}

#[test]
fn level_sets_serialise_as_arrays() {
    let json = serde_json::to_string(&levels("3+")).unwrap();
    assert_eq!(json, "[3,4,5]");
    assert_eq!(serde_json::from_str::<LevelSet>("[1,2]").unwrap(), levels("1-2"));
    assert!(serde_json::from_str::<LevelSet>("[0]").is_err());
    assert!(serde_json::from_str::<LevelSet>("[6]").is_err());
}

#[test]
fn builds_a_tree_in_order() {
    let mut nodes = sample();
    nodes[1].order = 2; // G1.1 after G1.2
    let c = Catalogue::build(meta(), nodes).unwrap();
    let ids: Vec<&str> = c.nodes().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["G1", "G1.2", "G1.2.a", "G1.1", "G2", "G2.A", "G2.A.1", "G2.1"]);
    assert_eq!(c.groups().count(), 3);
    assert_eq!(c.requirements().count(), 5);
    let path: Vec<&str> = c.path("g1.2.A").unwrap().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(path, ["G1", "G1.2", "G1.2.a"], "lookup ignores ASCII case");
    assert_eq!(c.depth("G1.2.a"), Some(2));
    assert!(c.path("nope").is_none());
    let top: Vec<&str> = c.children(None).iter().map(|n| n.id.as_str()).collect();
    assert_eq!(top, ["G1", "G2"]);
    assert_eq!(c.children(Some("G2")).len(), 2);
    assert_eq!(c.node("G2").unwrap().levels, levels("1-5"), "a group without levels takes its contents'");
    assert_eq!(c.node("G2.A").unwrap().levels, levels("3-5"), "stated levels stay");
    assert_eq!(c.node("G1.2.a").unwrap().parent.as_deref(), Some("G1.2"));
}

#[test]
fn applicable_requirements_by_level() {
    let c = Catalogue::build(meta(), sample()).unwrap();
    let at = |l| c.applicable(l).map(|n| n.id.as_str()).collect::<Vec<_>>();
    assert_eq!(at(1), ["G1.1", "G2.1"]);
    assert_eq!(at(3), ["G1.1", "G1.2", "G2.A.1"]);
    assert_eq!(at(5), ["G1.1", "G1.2", "G1.2.a"]);
    assert!(at(0).is_empty() && at(6).is_empty());
    assert_eq!(c.counts_by_level(), [2, 2, 3, 3, 3]);
}

#[test]
fn duplicate_ids_are_refused() {
    let mut nodes = sample();
    nodes.push(req("g1.1", Some("G1"), "1"));
    let p = only(nodes);
    assert_eq!((p.index, p.id.as_deref(), p.field), (Some(8), Some("g1.1"), "id"));
    assert_eq!(p.kind, ProblemKind::DuplicateId { first_index: 1 });
    assert!(p.msg().vi.contains("trùng"), "{}", p.msg().vi);
    assert!(p.msg().en.contains("Item «g1.1», field «id»"), "{}", p.msg().en);
}

#[test]
fn unknown_parents_are_refused() {
    let mut nodes = sample();
    nodes.push(req("X", Some("G9"), "1"));
    let p = only(nodes);
    assert_eq!((p.id.as_deref(), p.field), (Some("X"), "parent_id"));
    assert_eq!(p.kind, ProblemKind::UnknownParent { parent: "G9".into() });
    assert!(p.msg().vi.contains("«G9»"));
}

#[test]
fn cycles_are_refused() {
    let mut nodes = sample();
    nodes.push(group("A", Some("B"), "1-5"));
    nodes.push(group("B", Some("A"), "1-5"));
    nodes.push(req("C", Some("A"), "1"));
    let p = only(nodes);
    assert_eq!((p.id.as_deref(), p.field), (Some("A"), "parent_id"));
    assert_eq!(p.kind, ProblemKind::Cycle { path: vec!["A".into(), "B".into(), "A".into()] });
    assert!(p.msg().en.contains("A → B → A"), "{}", p.msg().en);
    assert!(p.msg().vi.contains("vòng lặp"));

    let p = only(vec![req("R", None, "1"), group("S", Some("s"), "1")]);
    assert_eq!(p.kind, ProblemKind::Cycle { path: vec!["S".into(), "S".into()] }, "own parent");
}

#[test]
fn groups_do_not_sit_under_requirements() {
    let p = only(vec![req("R", None, "1-5"), group("G", Some("R"), "1")]);
    assert_eq!((p.id.as_deref(), p.field), (Some("G"), "parent_id"));
    assert_eq!(p.kind, ProblemKind::GroupUnderRequirement { parent: "R".into() });
    // Requirements under requirements (enhancements) are fine.
    assert!(Catalogue::build(meta(), vec![req("R", None, "1-5"), req("R.1", Some("R"), "4+")]).is_ok());
}

#[test]
fn requirements_need_levels() {
    let p = only(vec![group("G", None, ""), req("R", Some("G"), "")]);
    assert_eq!((p.id.as_deref(), p.field, p.kind.clone()), (Some("R"), "levels", ProblemKind::NoLevels));
    assert!(p.msg().vi.contains("ít nhất một cấp độ"));
}

#[test]
fn levels_stay_within_the_parent() {
    let p = only(vec![group("G", None, "3+"), group("H", Some("G"), ""), req("R", Some("H"), "2-5")]);
    assert_eq!((p.id.as_deref(), p.field), (Some("R"), "levels"));
    assert_eq!(
        p.kind,
        ProblemKind::LevelsOutsideParent { levels: levels("2-5"), parent: "G".into(), parent_levels: levels("3-5") }
    );
    assert!(p.msg().en.contains("2-5") && p.msg().en.contains("3-5"), "{}", p.msg().en);
    let p = only(vec![req("R", None, "3+"), req("R.1", Some("R"), "1")]);
    assert_eq!(p.id.as_deref(), Some("R.1"), "sub-requirements too");
}

#[test]
fn titles_are_needed() {
    let mut r = req("R", None, "1");
    r.title_vi = " ".into();
    r.title_en.clear();
    let p = only(vec![r.clone()]);
    assert_eq!((p.id.as_deref(), p.field, p.kind), (Some("R"), "title_vi", ProblemKind::NoTitle));
    r.title_en = "English only".into();
    let c = Catalogue::build(meta(), vec![r]).unwrap();
    assert_eq!(c.nodes()[0].title(Lang::Vi), "English only", "falls back to the other language");
}

#[test]
fn ids_are_checked() {
    let p = only(vec![req("R 1", None, "1")]);
    assert_eq!((p.field, p.kind), ("id", ProblemKind::BadIdChar { ch: ' ' }));
    let p = only(vec![req("-R", None, "1")]);
    assert_eq!(p.kind, ProblemKind::BadIdChar { ch: '-' });
    let p = only(vec![req("", None, "1")]);
    assert_eq!(p.kind, ProblemKind::EmptyId);
    let p = only(vec![req(&"x".repeat(65), None, "1")]);
    assert_eq!(p.kind, ProblemKind::IdTooLong { max: 64 });
    let p = only(vec![req("Mục1", None, "1")]);
    assert_eq!(p.kind, ProblemKind::BadIdChar { ch: 'ụ' });
}

#[test]
fn catalogue_fields_and_contents_are_checked() {
    let mut m = meta();
    m.code = "tcvn 14423".into();
    m.version = " ".into();
    m.title_vi.clear();
    m.title_en.clear();
    let p = Catalogue::build(m, vec![group("G", None, "1-5")]).unwrap_err();
    let fields: Vec<&str> = p.iter().map(|p| p.field).collect();
    assert_eq!(fields, ["code", "version", "title_vi", "nodes"]);
    assert_eq!(p[3].kind, ProblemKind::NoRequirements);
    assert!(p[0].msg().vi.starts_with("Danh mục, trường «code»"));
}

#[test]
fn all_problems_are_reported_in_input_order() {
    let p = problems(vec![req("B", None, ""), req("A", Some("Z"), "1"), req("", None, "1")]);
    let got: Vec<(Option<usize>, &str)> = p.iter().map(|p| (p.index, p.field)).collect();
    assert_eq!(got, [(Some(0), "levels"), (Some(1), "parent_id"), (Some(2), "id")]);
    let e: crate::Error = p[1].clone().into();
    assert_eq!(e.field(), Some("parent_id"));
}

#[test]
fn serialises_with_metadata() {
    let c = Catalogue::build(meta(), sample()).unwrap();
    let v = serde_json::to_value(&c).unwrap();
    assert_eq!(v["code"], "test-1");
    assert_eq!(v["source_note"]["en"], "Written for tests");
    assert_eq!(v["nodes"][3]["id"], "G1.2.a");
    assert_eq!(v["nodes"][3]["kind"], "requirement");
    assert_eq!(v["nodes"][3]["levels"], serde_json::json!([5]));
    let node: CatalogueNode = serde_json::from_value(v["nodes"][3].clone()).unwrap();
    assert_eq!(&node, c.node("G1.2.a").unwrap());
}
