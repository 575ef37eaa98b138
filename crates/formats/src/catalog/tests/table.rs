use khien_domain::catalog::{LevelSet, LevelSetError, NodeKind, ProblemKind};

use super::*;
use crate::error::ImportErrorKind as K;
use crate::sheet::{write_table_xlsx, Cell};

const HEADER: &str = "id,parent_id,kind,title_vi,title_en,description,levels\n";

fn bad(rows: &str) -> CatalogError {
    csv(&format!("{HEADER}{rows}")).unwrap_err()
}

#[test]
fn reads_vietnamese_headers_titles_and_labels() {
    let text = "DANH MỤC YÊU CẦU THỬ;;;\n\
                Mã mục;Loại;Tiêu đề tiếng Việt;Cấp độ áp dụng;Mã mục cha;Mô tả\n\
                R1.a;Yêu cầu;Yêu cầu con;5;R1;\"Dòng một\n\n\n  dòng hai  \"\n\
                G1;nhóm;Nhóm một;;;\n\
                R1;YEU CAU;Yêu cầu một;3+;G1;\n\
                \n\
                R2;requirement;Yêu cầu hai;1 - 2;G1;\n";
    let c = csv(text).unwrap();
    let ids: Vec<&str> = c.nodes().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["G1", "R1", "R1.a", "R2"], "tree order, siblings by row");
    let g = c.node("G1").unwrap();
    assert_eq!((g.kind, g.levels), (NodeKind::Group, LevelSet::ALL), "group levels from its contents");
    let r = c.node("R1.a").unwrap();
    assert_eq!(r.description, "Dòng một\n\ndòng hai", "lines kept, trimmed, blank runs as one");
    assert_eq!(r.title_en, "", "no English column");
    assert_eq!(c.node("R2").unwrap().levels, LevelSet::range(1, 2).unwrap());
    assert_eq!(c.applicable(4).count(), 1);
}

#[test]
fn csv_round_trip() {
    for c in builtin_catalogues() {
        let bytes = write_catalogue_csv(&c).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
        let back = parse_catalogue_table("x.csv", &bytes, c.meta().clone()).unwrap();
        assert_eq!(back.nodes(), c.nodes(), "{}", c.code());
    }
}

#[test]
fn xlsx_round_trip() {
    for c in builtin_catalogues() {
        let bytes = write_catalogue_xlsx(&c).unwrap();
        let back = parse_catalogue_table("x.xlsx", &bytes, c.meta().clone()).unwrap();
        assert_eq!(back.nodes(), c.nodes(), "{}", c.code());
    }
}

#[test]
fn template_parses() {
    let bytes = catalog_template_xlsx().unwrap();
    let c = parse_catalogue_table("mau.xlsx", &bytes, meta("mau")).unwrap();
    let ids: Vec<&str> = c.nodes().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["N01", "N01.1", "N01.1.a"]);
    assert_eq!(c.node("N01.1.a").unwrap().levels.to_string(), "3-5");
    assert_eq!(c.counts_by_level(), [1, 1, 2, 2, 2]);
    // Text cells: the "1-5" of the template stays text, and the XLSX also opens as a sheet.
    assert_eq!(c.node("N01").unwrap().levels, LevelSet::ALL);
}

#[test]
fn multi_line_descriptions_survive_a_round_trip() {
    let text = format!("{HEADER}G,,group,Nhóm,,,1-5\nR,G,requirement,Yêu cầu,,\"a. một\nb. hai\",2+\n");
    let c = csv(&text).unwrap();
    for bytes in [write_catalogue_csv(&c).unwrap(), write_catalogue_xlsx(&c).unwrap()] {
        let name = if bytes.starts_with(b"PK") { "x.xlsx" } else { "x.csv" };
        let back = parse_catalogue_table(name, &bytes, meta("test")).unwrap();
        assert_eq!(back.node("R").unwrap().description, "a. một\nb. hai");
    }
}

#[test]
fn xlsx_rows_are_named_in_errors() {
    let headers = ["Mã mục", "Loại", "Tiêu đề tiếng Việt", "Cấp độ áp dụng"];
    let rows = vec![
        vec![Cell::from("G"), Cell::from("Nhóm"), Cell::from("Nhóm"), Cell::Empty],
        vec![Cell::from("R"), Cell::from("Yêu cầu"), Cell::from("Yêu cầu"), Cell::from(3i64)],
    ];
    let bytes = write_table_xlsx("Danh mục", &headers, &rows).unwrap();
    let c = parse_catalogue_table("a.xlsx", &bytes, meta("t")).unwrap();
    assert_eq!(c.node("R").unwrap().levels.to_string(), "3", "a number cell is read as text");

    let mut rows = rows;
    rows.push(vec![Cell::from("S"), Cell::from("Yêu cầu"), Cell::from("Yêu cầu"), Cell::from(7i64)]);
    let bytes = write_table_xlsx("Danh mục", &headers, &rows).unwrap();
    let e = parse_catalogue_table("a.xlsx", &bytes, meta("t")).unwrap_err();
    assert_at(&e, 4, Some("Cấp độ áp dụng"));
    assert!(e.message_vi().contains("«7» nằm ngoài các cấp độ 1–5"), "{}", e.message_vi());
}

#[test]
fn missing_columns_name_the_header_row() {
    let e = csv("title rows,,\nid,kind,title_vi\nR,requirement,Yêu cầu\n").unwrap_err();
    assert_eq!(e.location(), &Location::Row(2));
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::MissingColumn { label_vi: "Cấp độ áp dụng", key: "levels" }));
    assert!(e.message_vi().contains("thiếu cột bắt buộc «Cấp độ áp dụng»"), "{}", e.message_vi());
    let e = csv("id,kind,levels\nR,requirement,1\n").unwrap_err();
    assert_eq!(
        e.kind(),
        &CatalogErrorKind::Import(K::MissingColumn { label_vi: "Tiêu đề tiếng Việt", key: "title_vi" })
    );
    let e = csv("id,kind,title_en,levels,Mã mục\n").unwrap_err();
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::DuplicateColumn { first: "id".into() }));
    assert_eq!(e.field(), Some("Mã mục"));
}

#[test]
fn cell_problems_name_row_and_column() {
    let e = bad("G,,group,Nhóm,,,\n,G,requirement,Yêu cầu,,,1\n");
    assert_at(&e, 3, Some("id"));
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::Required));

    let e = bad("N 1,,group,Nhóm,,,\n");
    assert_at(&e, 2, Some("id"));
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::InvalidCode { value: "N 1".into(), ch: ' ' }));

    let e = bad("G,,group,Nhóm,,,\nR,G,requirement,A,,,1\nr,G,requirement,B,,,1\n");
    assert_at(&e, 4, Some("id"));
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::DuplicateCode { code: "r".into(), first: Location::Row(3) }));
    assert!(e.message_en().contains("duplicates row 3"), "{}", e.message_en());

    let e = bad("G,,mục,Nhóm,,,\n");
    assert_at(&e, 2, Some("kind"));
    assert_eq!(e.kind(), &CatalogErrorKind::InvalidKind { value: "mục".into() });
    assert!(e.message_vi().contains("«nhóm»"), "{}", e.message_vi());

    let e = bad("G,,,Nhóm,,,\n");
    assert_at(&e, 2, Some("kind"));

    let e = bad("R,,requirement,Yêu cầu,,,=1+1\n");
    assert_at(&e, 2, Some("levels"));
    assert!(matches!(e.kind(), CatalogErrorKind::InvalidLevels { error: LevelSetError::Syntax { .. }, .. }));
    let e = bad("R,,requirement,Yêu cầu,,,5-3\n");
    assert!(e.message_en().contains("from the lower to the higher level"), "{}", e.message_en());

    let e = bad("R,,requirement,=HYPERLINK(\"x\"),,,1\n");
    assert_at(&e, 2, Some("title_vi"));
    assert!(matches!(e.kind(), CatalogErrorKind::Import(K::FormulaLike { .. })));

    let e = bad(&format!("R,,requirement,{},,,1\n", "x".repeat(501)));
    assert_at(&e, 2, Some("title_vi"));
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::TooLong { max: 500, actual: 501 }));

    let e = bad("R,,requirement,A,,\"x\u{7}y\",1\n");
    assert_at(&e, 2, Some("description"));
    assert!(matches!(e.kind(), CatalogErrorKind::Import(K::ControlChar { .. })));

    let e = bad("R,,requirement,A,,@SUM(1),1\n");
    assert_at(&e, 2, Some("description"));

    let e = bad("R,,requirement,A,,,1,extra\n");
    assert_eq!(e.location(), &Location::Row(2));
    assert!(matches!(e.kind(), CatalogErrorKind::Import(K::CellOutsideHeader { .. })));
}

#[test]
fn catalogue_rules_name_row_and_column() {
    let rule = |e: &CatalogError| {
        match e.kind() {
            CatalogErrorKind::Rule(p) => Some(p.kind.clone()),
            _ => None,
        }
        .unwrap()
    };
    let e = bad("G,,group,Nhóm,,,\nR,G,requirement,Yêu cầu,,,\n");
    assert_at(&e, 3, Some("levels"));
    assert_eq!(rule(&e), ProblemKind::NoLevels);
    assert!(e.message_vi().contains("ít nhất một cấp độ"), "{}", e.message_vi());

    let e = bad("G,,group,Nhóm,,,\nR,X,requirement,Yêu cầu,,,1\n");
    assert_at(&e, 3, Some("parent_id"));
    assert_eq!(rule(&e), ProblemKind::UnknownParent { parent: "X".into() });

    let e = bad("R,,requirement,Yêu cầu,,,1\nA,B,group,A,,,\nB,A,group,B,,,\n");
    assert_at(&e, 3, Some("parent_id"));
    assert_eq!(rule(&e), ProblemKind::Cycle { path: vec!["A".into(), "B".into(), "A".into()] });
    assert!(e.message_en().contains("A → B → A"), "{}", e.message_en());

    let e = bad("R,,requirement,Yêu cầu,,,1-5\nG,R,group,Nhóm,,,\n");
    assert_at(&e, 3, Some("parent_id"));
    assert_eq!(rule(&e), ProblemKind::GroupUnderRequirement { parent: "R".into() });

    let e = bad("G,,group,Nhóm,,,3+\nR,G,requirement,Yêu cầu,,,1-5\n");
    assert_at(&e, 3, Some("levels"));
    assert!(matches!(rule(&e), ProblemKind::LevelsOutsideParent { .. }));

    let e = bad("R,,requirement,,,,1\n");
    assert_at(&e, 2, Some("title_vi"));
    assert_eq!(rule(&e), ProblemKind::NoTitle);

    let e = bad("G,,group,Nhóm,,,\n");
    assert_eq!(e.location(), &Location::File);
    assert_eq!(rule(&e), ProblemKind::NoRequirements);
    assert!(e.message_vi().contains("không có yêu cầu nào"), "{}", e.message_vi());
}

#[test]
fn whole_file_problems() {
    let e = csv("  \n").unwrap_err();
    assert_eq!((e.location(), e.kind()), (&Location::File, &CatalogErrorKind::Import(K::EmptyFile)));
    let e = parse_catalogue_table("a.json", b"[]", meta("t")).unwrap_err();
    let json = |looks_like| CatalogErrorKind::Import(K::JsonNotTable { accepted: ".csv, .xlsx, .yaml", looks_like });
    assert_eq!(e.kind(), &json(crate::JsonContent::Other));
    let oscal =
        b"\xEF\xBB\xBF{\n  \"$schema\": \"https://x/oscal_catalog_schema.json\",\n  \"catalog\": {\"uuid\": \"u\"}}";
    let e = parse_catalogue_table("nist.json", oscal, meta("t")).unwrap_err();
    assert_eq!(e.kind(), &json(crate::JsonContent::OscalCatalog));
    assert!(
        e.message_vi().contains("tệp là JSON")
            && e.message_vi().ends_with("đây là danh mục (catalog) OSCAL: hãy dùng chức năng «Nhập danh mục OSCAL»"),
        "{}",
        e.message_vi()
    );
    assert!(e.message_en().ends_with("the file is JSON, but this import reads only .csv, .xlsx, .yaml tables; it is an OSCAL catalog: use «Import OSCAL catalogue»"), "{}", e.message_en());
    let e = parse_catalogue_table("p", b" {\"profile\": {\"imports\": []}}", meta("t")).unwrap_err();
    assert_eq!(e.kind(), &json(crate::JsonContent::OscalProfile));
    let e = parse_catalogue_table("a.csv", b"\xFF\xFEi\0d\0", meta("t")).unwrap_err();
    assert_eq!(e.kind(), &CatalogErrorKind::Import(K::NotUtf8));
    let mut m = meta("bad code");
    m.version.clear();
    let e = parse_catalogue_table("a.csv", format!("{HEADER}R,,requirement,A,,,1\n").as_bytes(), m).unwrap_err();
    assert_eq!(e.location(), &Location::File);
    assert!(e.message_en().contains("catalogue code"), "{}", e.message_en());
}
