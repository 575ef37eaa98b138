//! Periodic reports as documents (issue 16.5): a unit's submitted report and the city's
//! report consolidated from a round's submissions, in the NĐ 30/2020 layout (DOCX, PDF), and the
//! consolidation's tables as a workbook. Everything printed comes from the frozen versions.

use crate::services::incident_docs::place;
use khien_domain::budget::{share_bp, show_bp};
use khien_domain::number::grouped;
use khien_domain::report::{Fact, ReportContent, ReportFigure, Section};
use khien_domain::time::display_vn;
use khien_domain::Lang;
use khien_formats::docx::{AdminDocument, Block};
use khien_formats::Cell;
use khien_store::{Consolidation, DocumentHeader};
use std::collections::BTreeMap;

const ROMAN: [&str; 12] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

fn heading(n: usize, title: &str) -> Block {
    Block::Heading(format!("{}. {}", ROMAN.get(n).copied().unwrap_or("—"), title.to_uppercase()))
}

fn share(n: i64, d: i64) -> String {
    share_bp(n, d).map(show_bp).unwrap_or_else(|| "—".into())
}

const FIGURE_HEADERS: [&str; 6] = ["STT", "Chỉ tiêu", "Kỳ số liệu", "Đạt / Tổng", "Tỷ lệ", "Mục tiêu"];

fn figure_rows(figures: &[ReportFigure]) -> Vec<Vec<String>> {
    figures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            vec![
                (i + 1).to_string(),
                format!("{} — {}", f.code, f.name),
                f.period.clone(),
                format!("{} / {}", grouped(f.numerator), grouped(f.denominator)),
                share(f.numerator, f.denominator),
                f.target_bp.map(show_bp).unwrap_or_default(),
            ]
        })
        .collect()
}

fn none_line(what: &str) -> Block {
    Block::Paragraph(format!("Không có {what}."))
}

/// The header and the closing parts every report document shares.
pub struct DocumentFrame<'a> {
    pub header: &'a DocumentHeader,
    pub place_name: Option<&'a str>,
    pub date: chrono::NaiveDate,
}

impl DocumentFrame<'_> {
    fn document(&self, title: String, blocks: Vec<Block>) -> AdminDocument {
        let h = self.header;
        AdminDocument {
            parent_body: h.parent_name.clone().unwrap_or_default(),
            issuing_body: h.unit_name.clone(),
            number: None,
            place: place(self.place_name, &h.root_name),
            date: self.date,
            doc_type: "BÁO CÁO".into(),
            title,
            // Units report to the city's People's Committee through its standing body (HCM 3131
            // VI.5, Cần Thơ VI.2.c).
            addressees: vec![format!("Ủy ban nhân dân {}", h.root_name)],
            blocks,
            recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
            signer_position: h.head_title.clone().unwrap_or_else(|| "THỦ TRƯỞNG ĐƠN VỊ".into()),
            signer_name: h.head_name.clone().unwrap_or_default(),
        }
    }
}

/// A unit's report as it was submitted.
pub fn unit_report_document(frame: &DocumentFrame, c: &ReportContent) -> AdminDocument {
    let mut blocks = Vec::new();
    for (n, section) in c.template.sections().iter().enumerate() {
        blocks.push(heading(n, section.title(Lang::Vi)));
        match section {
            Section::Narrative(part) => match c.narrative(part.key) {
                "" => blocks.push(Block::Paragraph("Không có nội dung.".into())),
                text => blocks.extend(text.split("\n\n").map(|p| Block::Paragraph(p.to_string()))),
            },
            Section::Indicators if c.figures.is_empty() => blocks.push(none_line("số liệu chỉ tiêu đã lưu trong kỳ")),
            Section::Indicators => blocks.push(Block::Table {
                headers: FIGURE_HEADERS.iter().map(|h| h.to_string()).collect(),
                rows: figure_rows(&c.figures),
            }),
            Section::Facts { facts, .. } => blocks.push(Block::Fields(
                facts.iter().map(|f| (f.label(Lang::Vi).to_string(), grouped(c.fact(*f)))).collect(),
            )),
            Section::PlanTasks if c.tasks.is_empty() => blocks.push(none_line("nhiệm vụ kế hoạch được giao")),
            Section::PlanTasks => blocks.push(Block::Table {
                headers: ["STT", "Kế hoạch", "Nhiệm vụ", "Nội dung", "Tình hình"].map(String::from).to_vec(),
                rows: c
                    .tasks
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let status = t.status.map_or("Chưa báo cáo", |s| s.label(Lang::Vi));
                        vec![(i + 1).to_string(), t.plan.clone(), t.number.clone(), t.body.clone(), status.to_string()]
                    })
                    .collect(),
            }),
        }
    }
    let title =
        format!("{} — {}", c.template.label(Lang::Vi), c.template.period_label(&c.period, Lang::Vi).to_lowercase());
    frame.document(title, blocks)
}

/// The city's figure of each indicator: the sums over the submissions.
fn city_figures(c: &Consolidation) -> Vec<ReportFigure> {
    let mut by_code: BTreeMap<String, ReportFigure> = BTreeMap::new();
    for r in &c.reports {
        for f in &r.content.figures {
            let e = by_code.entry(f.code.clone()).or_insert_with(|| ReportFigure {
                numerator: 0,
                denominator: 0,
                ..f.clone()
            });
            e.numerator += f.numerator;
            e.denominator += f.denominator;
        }
    }
    by_code.into_values().collect()
}

fn sum_fact(c: &Consolidation, f: Fact) -> i64 {
    c.reports.iter().map(|r| r.content.fact(f)).sum()
}

/// The city's report from a round's submissions: who submitted, the sums, each unit's figures,
/// what the units wrote, and the submissions' SHA-256 in an annex.
pub fn consolidated_document(frame: &DocumentFrame, c: &Consolidation) -> AdminDocument {
    let t = c.round.template;
    let owed = c.reports.len() + c.missing.len();
    let accepted = c.reports.iter().filter(|r| r.state == "accepted").count();
    let due = khien_domain::calendar::parse_date(&c.round.due_on);
    let late =
        c.reports.iter().filter(|r| due.is_some_and(|d| khien_domain::calendar::date_vn(r.submitted_at) > d)).count();
    let mut blocks = vec![
        heading(0, "Tình hình nộp báo cáo"),
        Block::Paragraph(format!(
            "Có {}/{} đơn vị đã nộp báo cáo (đã tiếp nhận {}; nộp sau hạn {}), hạn nộp ngày {}.",
            grouped(c.reports.len() as i64),
            grouped(owed as i64),
            grouped(accepted as i64),
            grouped(late as i64),
            khien_domain::calendar::display_date(&c.round.due_on),
        )),
    ];
    if !c.missing.is_empty() {
        blocks.push(Block::Paragraph("Các đơn vị chưa nộp báo cáo:".into()));
        blocks.push(Block::Table {
            headers: ["STT", "Đơn vị", "Tình trạng"].map(String::from).to_vec(),
            rows: c
                .missing
                .iter()
                .enumerate()
                .map(|(i, m)| vec![(i + 1).to_string(), m.unit_name.clone(), m.state.label(Lang::Vi).to_string()])
                .collect(),
        });
    }
    for (n, section) in t.sections().iter().enumerate() {
        blocks.push(heading(n + 1, section.title(Lang::Vi)));
        match section {
            Section::Narrative(part) => {
                let written: Vec<Block> = c
                    .reports
                    .iter()
                    .filter(|r| !r.content.narrative(part.key).is_empty())
                    .map(|r| Block::Paragraph(format!("{}: {}", r.content.unit_name, r.content.narrative(part.key))))
                    .collect();
                if written.is_empty() {
                    blocks.push(Block::Paragraph("Các đơn vị không nêu nội dung này.".into()));
                }
                blocks.extend(written);
            }
            Section::Indicators => {
                let figures = city_figures(c);
                if figures.is_empty() {
                    blocks.push(none_line("số liệu chỉ tiêu trong các báo cáo"));
                } else {
                    blocks.push(Block::Table {
                        headers: FIGURE_HEADERS.iter().map(|h| h.to_string()).collect(),
                        rows: figure_rows(&figures),
                    });
                }
            }
            Section::Facts { facts, .. } => {
                blocks.push(Block::Fields(
                    facts.iter().map(|f| (f.label(Lang::Vi).to_string(), grouped(sum_fact(c, *f)))).collect(),
                ));
                blocks.push(Block::Table { headers: fact_headers(facts), rows: fact_rows(c, facts) });
            }
            Section::PlanTasks => {
                let facts = [Fact::TasksAssigned, Fact::TasksReported];
                blocks.push(Block::Table { headers: fact_headers(&facts), rows: fact_rows(c, &facts) });
            }
        }
    }
    blocks.push(Block::Heading("PHỤ LỤC: CÁC BÁO CÁO ĐÃ NỘP".into()));
    blocks.push(Block::Table {
        headers: ["STT", "Đơn vị", "Nộp lúc", "Lần nộp", "SHA-256"].map(String::from).to_vec(),
        rows: c
            .reports
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.content.unit_name.clone(),
                    display_vn(r.submitted_at),
                    r.version.to_string(),
                    r.sha256.clone(),
                ]
            })
            .collect(),
    });
    let title = format!(
        "Tổng hợp {} — {}",
        lowercase_first(t.label(Lang::Vi)),
        t.period_label(&c.round.period, Lang::Vi).to_lowercase()
    );
    frame.document(title, blocks)
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|f| f.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

fn fact_headers(facts: &[Fact]) -> Vec<String> {
    let mut h = vec!["STT".to_string(), "Đơn vị".to_string()];
    h.extend(facts.iter().map(|f| f.label(Lang::Vi).to_string()));
    h
}

fn fact_rows(c: &Consolidation, facts: &[Fact]) -> Vec<Vec<String>> {
    c.reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut row = vec![(i + 1).to_string(), r.content.unit_name.clone()];
            row.extend(facts.iter().map(|f| grouped(r.content.fact(*f))));
            row
        })
        .collect()
}

/// The consolidation's tables as a workbook: one row per unit (submitted or not) with every
/// count, and the indicators' figures per unit.
pub fn consolidated_sheets(c: &Consolidation) -> Vec<(String, Vec<String>, Vec<Vec<Cell>>)> {
    let facts: Vec<Fact> = c
        .round
        .template
        .sections()
        .iter()
        .flat_map(|s| match s {
            Section::Facts { facts, .. } => facts.to_vec(),
            Section::PlanTasks => vec![Fact::TasksAssigned, Fact::TasksReported],
            _ => Vec::new(),
        })
        .collect();
    let mut headers =
        vec!["Đơn vị".to_string(), "Tình trạng".to_string(), "Nộp lúc".to_string(), "SHA-256".to_string()];
    headers.extend(facts.iter().map(|f| f.label(Lang::Vi).to_string()));
    let mut rows: Vec<Vec<Cell>> = c
        .reports
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::from(r.content.unit_name.clone()),
                Cell::from(r.state.label(Lang::Vi)),
                Cell::from(display_vn(r.submitted_at)),
                Cell::from(r.sha256.clone()),
            ];
            row.extend(facts.iter().map(|f| Cell::from(r.content.fact(*f))));
            row
        })
        .collect();
    rows.extend(
        c.missing.iter().map(|m| {
            vec![Cell::from(m.unit_name.clone()), Cell::from(m.state.label(Lang::Vi)), Cell::Empty, Cell::Empty]
        }),
    );
    let figure_headers = ["Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Kỳ số liệu", "Đạt", "Tổng", "Tỷ lệ", "Mục tiêu"];
    let figures: Vec<Vec<Cell>> = c
        .reports
        .iter()
        .flat_map(|r| {
            r.content.figures.iter().map(|f| {
                vec![
                    Cell::from(r.content.unit_name.clone()),
                    Cell::from(f.code.clone()),
                    Cell::from(f.name.clone()),
                    Cell::from(f.period.clone()),
                    Cell::from(f.numerator),
                    Cell::from(f.denominator),
                    Cell::from(share(f.numerator, f.denominator)),
                    Cell::from(f.target_bp.map(show_bp).unwrap_or_default()),
                ]
            })
        })
        .collect();
    vec![
        ("Đơn vị".to_string(), headers, rows),
        ("Chỉ tiêu".to_string(), figure_headers.map(String::from).to_vec(), figures),
    ]
}
