//! The YAML format: nested, flat and mixed files, every problem at its path and key, hostile
//! aliases and sizes, round trips.

use std::time::{Duration, Instant};

use khien_domain::catalog::{Catalogue, CatalogueNode, LevelSet, LevelSetError, NodeKind, ProblemKind};

use super::*;
use crate::error::ImportErrorKind as K;

fn yaml(text: &str) -> Result<Catalogue, CatalogError> {
    parse_catalogue_table("danh-muc.yaml", text.as_bytes(), meta("test"))
}

fn bad(text: &str) -> CatalogError {
    yaml(text).unwrap_err()
}

fn ids(c: &Catalogue) -> Vec<&str> {
    c.nodes().iter().map(|n| n.id.as_str()).collect()
}

/// Asserts an error's YAML path and key, and that both messages say so.
fn assert_item(e: &CatalogError, path: &str, field: Option<&str>) {
    assert_eq!(e.location(), &Location::Item(path.into()), "{}", e.message_en());
    assert_eq!(e.field(), field, "{}", e.message_en());
    for m in [e.message_vi(), e.message_en()] {
        assert!(m.contains(path), "{m}");
    }
    if let Some(f) = field {
        assert!(e.message_vi().contains(&format!("trường «{f}»")), "{}", e.message_vi());
        assert!(e.message_en().contains(&format!("field «{f}»")), "{}", e.message_en());
    }
}

fn rule(e: &CatalogError) -> ProblemKind {
    match e.kind() {
        CatalogErrorKind::Rule(p) => Some(p.kind.clone()),
        _ => None,
    }
    .unwrap()
}

const NESTED: &str = "# Danh mục thử
nodes:
  - id: QL
    kind: group          # a comment
    title_vi: Quản lý
    title_en: Management
    levels: 1-5
    description: |
      Dòng một


        dòng hai   
    children:
      - id: QL.1
        kind: requirement
        title_vi: Chính sách
        levels: 3+
        children:
          - id: 1.10
            kind: yêu cầu
            title_en: Sub-requirement
            levels: 5
      - id: QL.2
        kind: Yêu cầu
        title_vi: 'Hai: tổ chức'
        title_en: ~
        levels: \"1,2\"
  - id: KT
    kind: nhóm
    title_vi: Kỹ thuật
    children:
      - {id: KT.1, kind: requirement, title_vi: Mạng, levels: 2}
";

#[test]
fn nested_file_reads() {
    let c = yaml(NESTED).unwrap();
    assert_eq!(ids(&c), ["QL", "QL.1", "1.10", "QL.2", "KT", "KT.1"]);
    let ql = c.node("QL").unwrap();
    assert_eq!((ql.kind, ql.title_en.as_str(), ql.levels), (NodeKind::Group, "Management", LevelSet::ALL));
    assert_eq!(ql.description, "Dòng một\n\ndòng hai", "lines trimmed, blank runs kept as one");
    let sub = c.node("1.10").unwrap();
    assert_eq!((sub.parent.as_deref(), sub.levels), (Some("QL.1"), LevelSet::single(5).unwrap()), "1.10 stays text");
    let two = c.node("QL.2").unwrap();
    assert_eq!((two.title_vi.as_str(), two.title_en.as_str()), ("Hai: tổ chức", ""), "~ is empty");
    assert_eq!(two.levels, LevelSet::range(1, 2).unwrap());
    assert_eq!(c.node("KT.1").unwrap().levels, LevelSet::single(2).unwrap(), "a YAML number");
    assert_eq!(c.node("KT").unwrap().levels, LevelSet::single(2).unwrap(), "a group takes its contents' levels");
    let orders: Vec<u32> = c.nodes().iter().map(|n| n.order).collect();
    assert_eq!(orders, [0, 1, 2, 3, 4, 5], "file order");
}

#[test]
fn flat_file_reads_like_the_table() {
    let text = "---
- id: R1.a
  parent_id: R1
  kind: requirement
  title_vi: Yêu cầu con
  levels: 5
  description: \"Dòng một\\n\\n\\n  dòng hai  \"
- id: G1
  kind: nhóm
  title_vi: Nhóm một
- id: R1
  parent_id: G1
  kind: YEU CAU
  title_vi: Yêu cầu một
  levels: 3+
- id: R2
  parent_id: g1
  kind: requirement
  title_vi: Yêu cầu hai
  levels: 1 - 2
";
    let c = yaml(text).unwrap();
    let table = csv("id,parent_id,kind,title_vi,description,levels\n\
         R1.a,R1,requirement,Yêu cầu con,\"Dòng một\n\n\n  dòng hai  \",5\n\
         G1,,nhóm,Nhóm một,,\n\
         R1,G1,YEU CAU,Yêu cầu một,,3+\n\
         R2,g1,requirement,Yêu cầu hai,,1 - 2\n")
    .unwrap();
    assert_eq!(ids(&c), ["G1", "R1", "R1.a", "R2"]);
    assert_eq!(c.nodes(), table.nodes(), "the same catalogue as the table");
}

#[test]
fn nesting_and_parent_ids_mix() {
    let text = "nodes:
  - id: G
    kind: group
    title_vi: Nhóm
    children:
      - id: R1
        parent_id: g
        kind: requirement
        title_vi: Một
        levels: 1-5
  - id: R1.a
    parent_id: R1
    kind: requirement
    title_vi: Con
    levels: 4
  - id: R2
    parent_id: G
    kind: requirement
    title_vi: Hai
    levels: 3
";
    let c = yaml(text).unwrap();
    assert_eq!(ids(&c), ["G", "R1", "R1.a", "R2"]);
    assert_eq!(c.node("R1.a").unwrap().parent.as_deref(), Some("R1"));

    // Read by content when the name says nothing.
    for name in ["danh-muc", "danh-muc.txt"] {
        let c = parse_catalogue_table(name, text.as_bytes(), meta("test")).unwrap();
        assert_eq!(c.nodes().len(), 4);
    }
    // Aliases of small anchors are fine.
    let text = "- {id: G, kind: group, title_vi: &t Nhóm, levels: &l 1-5}\n- {id: R, parent_id: G, kind: requirement, title_vi: *t, levels: *l}\n";
    let c = yaml(text).unwrap();
    assert_eq!((c.node("R").unwrap().title_vi.as_str(), c.node("R").unwrap().levels), ("Nhóm", LevelSet::ALL));
}

#[test]
fn syntax_errors_name_line_and_character() {
    let e = bad("nodes:\n  - id: A\n    kind: [group\n    title_vi: x\n");
    assert!(matches!(e.kind(), CatalogErrorKind::MalformedYaml(_)), "{e:?}");
    assert_eq!(e.location(), &Location::LineColumn { line: 4, column: 13 }, "{}", e.message_en());
    assert!(
        e.message_vi().contains("dòng 4, ký tự 13") && e.message_vi().contains("tệp YAML sai cú pháp"),
        "{}",
        e.message_vi()
    );
    assert!(
        e.message_en().contains("line 4, character 13") && e.message_en().contains("the YAML is malformed"),
        "{}",
        e.message_en()
    );

    let e = bad("nodes:\n  - id: A\n   kind: group\n");
    assert_eq!(e.location(), &Location::LineColumn { line: 3, column: 4 }, "{}", e.message_en());

    let e = bad("nodes:\n  - id: \"A\n");
    assert!(matches!(e.location(), Location::LineColumn { .. }), "{}", e.message_en());
    let e = bad("- id: A\n---\n- id: B\n");
    assert!(matches!(e.kind(), CatalogErrorKind::MalformedYaml(_)), "two documents: {}", e.message_en());
    let e = bad("- {id: *nowhere}\n");
    assert!(matches!(e.kind(), CatalogErrorKind::MalformedYaml(_)), "unknown anchor: {}", e.message_en());
}

#[test]
fn keys_are_checked() {
    let e = bad("nodes:\n  - id: A\n    kind: requirement\n    title: Tiêu đề\n    levels: 1\n");
    assert_item(&e, "nodes[0]", Some("title"));
    assert_eq!(
        e.kind(),
        &CatalogErrorKind::UnknownKey {
            allowed: "id, parent_id, kind, title_vi, title_en, levels, description, children"
        }
    );
    assert!(e.message_vi().contains("khóa không được hỗ trợ; các khóa hợp lệ: id, parent_id"), "{}", e.message_vi());
    assert!(e.message_en().contains("unknown key; the valid keys are id, parent_id"), "{}", e.message_en());

    let e = bad("nodes: []\nversion: 2\n");
    assert_item(&e, "$", Some("version"));
    assert_eq!(e.kind(), &CatalogErrorKind::UnknownKey { allowed: "nodes" });
    let e = bad("catalogue:\n  - id: A\n");
    assert_item(&e, "$", Some("catalogue"));

    let e = bad("- id: A\n  kind: requirement\n  title_vi: X\n  levels: 1\n  kind: group\n");
    assert_item(&e, "[0]", Some("kind"));
    assert_eq!(e.kind(), &CatalogErrorKind::DuplicateKey);

    let e = bad("- kind: requirement\n  title_vi: X\n  levels: 1\n");
    assert_item(&e, "[0]", Some("id"));
    assert_eq!(e.kind(), &CatalogErrorKind::MissingProperty);
    let e = bad("- id: A\n  title_vi: X\n  levels: 1\n");
    assert_item(&e, "[0]", Some("kind"));
    assert_eq!(e.kind(), &CatalogErrorKind::MissingProperty);
    let e = bad("- id: ~\n  kind: requirement\n");
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::Required));
    assert_item(&e, "[0]", Some("id"));
}

#[test]
fn values_are_checked_like_table_cells() {
    let group = "nodes:\n  - id: G\n    kind: group\n    title_vi: Nhóm\n    children:\n      - {id: R1, kind: requirement, title_vi: Một, levels: 1}\n";
    let e = bad(&format!("{group}      - {{id: R2, kind: requirement, title_vi: Hai, levels: 6}}\n"));
    assert_item(&e, "nodes[0].children[1]", Some("levels"));
    assert_eq!(
        e.kind(),
        &CatalogErrorKind::InvalidLevels { value: "6".into(), error: LevelSetError::OutOfRange { value: "6".into() } }
    );
    assert!(e.message_vi().contains("«6» nằm ngoài các cấp độ 1–5"), "{}", e.message_vi());

    let e = bad(&format!("{group}      - {{id: R2, kind: mục, title_vi: Hai, levels: 1}}\n"));
    assert_item(&e, "nodes[0].children[1]", Some("kind"));
    assert_eq!(e.kind(), &CatalogErrorKind::InvalidKind { value: "mục".into() });

    let e = bad(&format!("{group}      - {{id: R 2, kind: requirement, title_vi: Hai, levels: 1}}\n"));
    assert_item(&e, "nodes[0].children[1]", Some("id"));
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::InvalidCode { value: "R 2".into(), ch: ' ' }));

    let e = bad(&format!("{group}      - {{id: R2, kind: requirement, title_vi: '=HYPERLINK(1)', levels: 1}}\n"));
    assert_item(&e, "nodes[0].children[1]", Some("title_vi"));
    assert!(matches!(e.kind(), CatalogErrorKind::Import(K::FormulaLike { .. })));

    let e = bad(&format!("{group}      - {{id: R2, kind: requirement, title_en: {}, levels: 1}}\n", "x".repeat(501)));
    assert_item(&e, "nodes[0].children[1]", Some("title_en"));
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::TooLong { max: 500, actual: 501 }));

    let e = bad(&format!("{group}      - id: R2\n        kind: requirement\n        title_vi: Hai\n        levels: 1\n        description: |\n          - một\n"));
    assert_item(&e, "nodes[0].children[1]", Some("description"));
    assert!(matches!(e.kind(), CatalogErrorKind::Import(K::FormulaLike { .. })));

    let e = bad(&format!(
        "{group}      - {{id: R2, kind: requirement, title_vi: Hai, levels: 1, description: \"a\\x07b\"}}\n"
    ));
    assert_item(&e, "nodes[0].children[1]", Some("description"));
    assert!(matches!(e.kind(), CatalogErrorKind::Import(K::ControlChar { .. })));

    let e = bad(&format!("{group}      - {{id: R2, kind: requirement, title_vi: [Hai], levels: 1}}\n"));
    assert_item(&e, "nodes[0].children[1]", Some("title_vi"));
    assert_eq!(e.kind(), &CatalogErrorKind::WrongType { expected: "text" });
    assert!(e.message_vi().contains("giá trị phải là chuỗi văn bản"), "{}", e.message_vi());
}

#[test]
fn nodes_and_lists_must_have_their_shape() {
    let e = bad("nodes:\n  - {id: R, kind: requirement, title_vi: X, levels: 1}\n  - just text\n");
    assert_item(&e, "nodes[1]", None);
    assert_eq!(e.kind(), &CatalogErrorKind::WrongType { expected: "mapping" });
    assert!(e.message_en().contains("the value must be an item of «key: value» lines"), "{}", e.message_en());
    let e = bad("nodes:\n  - [id, R]\n");
    assert_item(&e, "nodes[0]", None);

    let e = bad("- {id: G, kind: group, title_vi: X, children: R1}\n");
    assert_item(&e, "[0]", Some("children"));
    assert_eq!(e.kind(), &CatalogErrorKind::WrongType { expected: "list" });
    let e = bad("nodes: {id: A}\n");
    assert_item(&e, "$", Some("nodes"));
    assert_eq!(e.kind(), &CatalogErrorKind::WrongType { expected: "list" });

    let e = parse_catalogue_table("a.yaml", b"just some text\n", meta("t")).unwrap_err();
    assert_eq!((e.location(), e.kind()), (&Location::File, &CatalogErrorKind::WrongType { expected: "nodes" }));
    let e = parse_catalogue_table("a.yaml", b"# only a comment\n", meta("t")).unwrap_err();
    assert_eq!((e.location(), e.kind()), (&Location::File, &CatalogErrorKind::Import(K::EmptyFile)));
    let e = parse_catalogue_table("a.yaml", b"nodes:\n", meta("t")).unwrap_err();
    assert_eq!(rule(&e), ProblemKind::NoRequirements);
    let e = bad("- !group {id: G}\n");
    assert_item(&e, "[0]", None);
}

#[test]
fn catalogue_rules_name_the_path() {
    // A duplicate id names both places.
    let e = bad("nodes:\n  - id: G\n    kind: group\n    title_vi: Nhóm\n    children:\n      - {id: R1, kind: requirement, title_vi: Một, levels: 1}\n  - {id: r1, kind: requirement, title_vi: Hai, levels: 1}\n");
    assert_item(&e, "nodes[1]", Some("id"));
    assert_eq!(
        e.kind(),
        &CatalogErrorKind::Import(K::DuplicateCode {
            code: "r1".into(),
            first: Location::Item("nodes[0].children[0]".into())
        })
    );
    assert!(e.message_en().contains("duplicates item nodes[0].children[0]"), "{}", e.message_en());
    assert!(e.message_vi().contains("bị trùng với phần tử nodes[0].children[0]"), "{}", e.message_vi());

    let e = bad("- {id: R, kind: requirement, title_vi: X, levels: 1}\n- {id: A, parent_id: B, kind: group, title_vi: A}\n- {id: B, parent_id: A, kind: group, title_vi: B}\n");
    assert_item(&e, "[1]", Some("parent_id"));
    assert_eq!(rule(&e), ProblemKind::Cycle { path: vec!["A".into(), "B".into(), "A".into()] });
    assert!(e.message_en().contains("A → B → A"), "{}", e.message_en());

    let e = bad(
        "- {id: G, kind: group, title_vi: X}\n- {id: R, parent_id: X, kind: requirement, title_vi: R, levels: 1}\n",
    );
    assert_item(&e, "[1]", Some("parent_id"));
    assert_eq!(rule(&e), ProblemKind::UnknownParent { parent: "X".into() });

    let e = bad("- id: G\n  kind: group\n  title_vi: X\n  children:\n    - {id: R, kind: requirement, levels: 1}\n");
    assert_item(&e, "[0].children[0]", Some("title_vi"));
    assert_eq!(rule(&e), ProblemKind::NoTitle);

    let e = bad("- id: R\n  kind: requirement\n  title_vi: X\n  levels: 1-5\n  children:\n    - {id: G, kind: group, title_vi: G}\n");
    assert_item(&e, "[0].children[0]", None);
    assert_eq!(rule(&e), ProblemKind::GroupUnderRequirement { parent: "R".into() });

    let e = bad("- id: G\n  kind: group\n  title_vi: X\n  levels: 3+\n  children:\n    - {id: R, kind: requirement, title_vi: R, levels: 1-5}\n");
    assert_item(&e, "[0].children[0]", Some("levels"));
    assert!(matches!(rule(&e), ProblemKind::LevelsOutsideParent { .. }));

    let e = bad("- id: G\n  kind: group\n  title_vi: X\n  children:\n    - {id: H, kind: group, title_vi: H}\n    - {id: R, parent_id: H, kind: requirement, title_vi: R, levels: 1}\n");
    assert_item(&e, "[0].children[1]", Some("parent_id"));
    assert_eq!(e.kind(), &CatalogErrorKind::ParentMismatch { parent_id: "H".into(), container: "G".into() });
    assert!(
        e.message_en().contains("sits in the «children» of «G» but its «parent_id» says «H»"),
        "{}",
        e.message_en()
    );
}

/// Nine levels of ten aliases each: a billion nodes if expanded.
fn bomb(item: &str) -> String {
    let mut text = format!("a0: &a0 {item}\n");
    for i in 1..=9 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text
}

#[test]
fn the_yaml_parser_refuses_alias_bombs() {
    // The crate itself, before Khiên's budget: its alias-jump limit stops the expansion.
    let start = Instant::now();
    let e = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&bomb("lol")).unwrap_err();
    assert!(e.to_string().contains("repetition limit exceeded"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
}

#[test]
fn alias_bombs_are_refused_fast() {
    // Through the catalogue's own structure: children lists of aliased nodes.
    let mut text = String::from("nodes:\n  - &n0 {id: A, kind: requirement, title_vi: lol, levels: 1}\n");
    for i in 1..=9 {
        let refs = vec![format!("*n{}", i - 1); 10].join(", ");
        text.push_str(&format!(
            "  - &n{i} {{id: N{i}, kind: requirement, title_vi: lol, levels: 1, children: [{refs}]}}\n"
        ));
    }
    // A big text repeated through aliases (quadratic rather than exponential).
    let big =
        format!("- {{id: A, kind: requirement, title_vi: lol, levels: 1, description: &d {}}}\n", "x".repeat(15_000));
    let quadratic = format!(
        "{big}{}",
        (0..300)
            .map(|i| format!("- {{id: B{i}, kind: requirement, title_vi: x, levels: 1, description: *d}}\n"))
            .collect::<String>()
    );
    let root_bomb = format!("{}nodes: [*a9]\n", bomb("{id: A, kind: requirement, title_vi: lol, levels: 1}"));
    for (name, text) in [("nested", text), ("quadratic", quadratic)] {
        let start = Instant::now();
        let e = yaml(&text).unwrap_err();
        let took = start.elapsed();
        assert_eq!(
            (e.location(), e.kind()),
            (&Location::File, &CatalogErrorKind::AliasExpansion),
            "{name}: {}",
            e.message_en()
        );
        assert!(took < Duration::from_secs(2), "{name} took {took:?}");
        assert!(e.message_en().contains("billion laughs"), "{}", e.message_en());
        assert!(e.message_vi().contains("neo và bí danh YAML"), "{}", e.message_vi());
    }
    // The classic bomb beside `nodes:` is refused at its first key, before any expansion.
    let start = Instant::now();
    let e = yaml(&root_bomb).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_item(&e, "$", Some("a0"));
    assert!(matches!(e.kind(), CatalogErrorKind::UnknownKey { .. }), "{}", e.message_en());
}

#[test]
fn too_large_files_are_refused_unread() {
    let mut bytes = b"nodes:\n".to_vec();
    bytes.resize(MAX_OSCAL_BYTES + 1, b' ');
    let start = Instant::now();
    let e = parse_catalogue_table("lon.yaml", &bytes, meta("t")).unwrap_err();
    assert_eq!((e.location(), e.kind()), (&Location::File, &CatalogErrorKind::TooLarge { max_bytes: MAX_OSCAL_BYTES }));
    assert!(start.elapsed() < Duration::from_secs(2));
    assert!(e.message_en().contains("at most 64 MiB"), "{}", e.message_en());
}

#[test]
fn yaml_round_trip() {
    for c in builtin_catalogues() {
        let bytes = write_catalogue_yaml(&c).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.starts_with(&format!("# {} {}: ", c.code(), c.version())),
            "{}",
            text.chars().take(200).collect::<String>()
        );
        assert!(
            text.contains("\n  children:\n") || text.contains("\n    children:\n"),
            "nested: {}",
            text.chars().take(600).collect::<String>()
        );
        assert!(!text.contains("parent_id"), "no parent_id when nested");
        for name in ["x.yaml", "x.yml", "export"] {
            let back = parse_catalogue_table(name, &bytes, c.meta().clone()).unwrap();
            assert_eq!(back.nodes(), c.nodes(), "{} as {name}", c.code());
        }
    }
}

#[test]
fn awkward_values_survive_a_round_trip() {
    let text = "- id: '1.10'
  kind: group
  title_vi: 'yes'
  title_en: '123'
  levels: 1-5
  description: \"a: b # not a comment\\n  indented line\\n\\n'quoted' and \\\"double\\\"\\n[x] {y} *z &w\"
- id: '007'
  parent_id: '1.10'
  kind: requirement
  title_vi: 'null'
  title_en: 'Trailing: colon:'
  levels: '2'
";
    let c = yaml(text).unwrap();
    assert_eq!(c.node("1.10").unwrap().title_vi, "yes");
    assert_eq!(c.node("007").unwrap().title_vi, "null", "quoted null is text");
    let out = write_catalogue_yaml(&c).unwrap();
    let back = parse_catalogue_table("x.yaml", &out, meta("test")).unwrap();
    assert_eq!(back.nodes(), c.nodes(), "{}", String::from_utf8_lossy(&out));
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("kind: group") && out.contains("kind: requirement"), "{out}");
    assert!(!out.contains("title_en: ''") && !out.contains("description: ''"), "empty fields left out: {out}");
}

#[test]
fn deep_catalogues_round_trip() {
    let mut nodes = vec![CatalogueNode::new(NodeKind::Group, "G", None, "Nhóm", "", LevelSet::EMPTY)];
    for i in 0..60 {
        let parent = if i == 0 { "G".to_string() } else { format!("R{}", i - 1) };
        let mut n = CatalogueNode::new(
            NodeKind::Requirement,
            &format!("R{i}"),
            Some(&parent),
            &format!("Mức {i}"),
            "",
            LevelSet::ALL,
        );
        n.order = i + 1;
        nodes.push(n);
    }
    let c = Catalogue::build(meta("deep"), nodes).unwrap();
    let out = write_catalogue_yaml(&c).unwrap();
    assert!(String::from_utf8_lossy(&out).contains("parent_id: R30"), "deep nodes move to the top level");
    let back = parse_catalogue_table("deep.yaml", &out, meta("deep")).unwrap();
    assert_eq!(back.nodes(), c.nodes());
}

#[test]
fn encoding_and_depth_problems_are_reported() {
    let e = parse_catalogue_table("a.yaml", b"nodes:\n  - id: \xFF\n", meta("t")).unwrap_err();
    assert!(matches!(e.kind(), CatalogErrorKind::MalformedYaml(_)), "{}", e.message_en());
    assert!(matches!(e.location(), Location::LineColumn { .. }), "{}", e.message_en());

    let mut text = String::new();
    for i in 0..80 {
        text.push_str(&format!("{{id: N{i}, kind: group, title_vi: x, children: ["));
    }
    text.push_str(&"]}".repeat(80));
    let e = yaml(&format!("- {text}\n")).unwrap_err();
    assert!(
        matches!(e.kind(), CatalogErrorKind::MalformedYaml(d) if d.contains("recursion limit")),
        "{}",
        e.message_en()
    );
}

#[test]
fn the_documented_example_reads() {
    let doc = include_str!("../mod.rs");
    let lines: Vec<&str> =
        doc.lines().map(|l| l.strip_prefix("//! ").or_else(|| l.strip_prefix("//!")).unwrap_or(l)).collect();
    let start = lines.iter().position(|l| *l == "```yaml").unwrap() + 1;
    let end = start + lines[start..].iter().position(|l| *l == "```").unwrap();
    let c = yaml(&lines[start..end].join("\n")).unwrap();
    assert_eq!(ids(&c), ["QL", "QL.1", "QL.2"]);
    assert_eq!(c.node("QL").unwrap().description, "Dòng một\ndòng hai");
    assert_eq!(c.node("QL.2").unwrap().levels, LevelSet::range(1, 2).unwrap());
}
