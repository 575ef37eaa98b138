//! A plan's task table (issue 15.2, begun): the appendix of a provincial plan — STT, Nhiệm vụ,
//! Chủ trì, Phối hợp, Thời gian thực hiện, Sản phẩm — from CSV or the first sheet of an XLSX,
//! read into numbered tasks under their sections. All or nothing: an error names the file, the
//! row, the column and the reason. The cadence and unit names stay text here; the domain reads
//! them (`khien_domain::plan`).

use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::reader::{self, find_header, Format, Found, Header, SheetRow};
use crate::text::fold_header;
use khien_domain::plan::unit_names;

/// The most tasks one table holds.
pub const MAX_TASKS: usize = 2_000;

/// One line of the table: a section ("1", "II") or a task under one ("1.2").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanTaskRow {
    /// The row as the spreadsheet numbers it.
    pub row: usize,
    /// "1", "1.2", "II".
    pub number: String,
    /// The section's number for a task ("1" for "1.2"), none for a section.
    pub parent: Option<String>,
    pub text: String,
    /// Lead units (chủ trì), one name each, as written.
    pub lead: Vec<String>,
    /// Co-ordinating units (phối hợp), as written.
    pub coordinating: Vec<String>,
    /// The cadence cell as written ("Thường xuyên", "Quý II/2026").
    pub cadence: String,
    pub output: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Number,
    Task,
    Lead,
    Coordinating,
    Cadence,
    Output,
}

impl Column {
    const REQUIRED: [Column; 3] = [Column::Number, Column::Task, Column::Lead];

    fn from_header(text: &str) -> Option<Column> {
        let h = fold_header(text);
        let has = |w: &str| h.contains(w);
        Some(if h == "stt" || h == "tt" || h.starts_with("so tt") || h.starts_with("so thu tu") {
            Column::Number
        } else if has("chu tri") {
            Column::Lead
        } else if has("phoi hop") {
            Column::Coordinating
        } else if has("thoi gian") || has("tien do") || has("thoi han") {
            Column::Cadence
        } else if has("san pham") || has("ket qua") {
            Column::Output
        } else if has("nhiem vu") || has("noi dung") || has("giai phap") {
            Column::Task
        } else {
            return None;
        })
    }

    fn label_vi(self) -> &'static str {
        match self {
            Column::Number => "STT",
            Column::Task => "Nhiệm vụ",
            Column::Lead => "Chủ trì",
            Column::Coordinating => "Phối hợp",
            Column::Cadence => "Thời gian thực hiện",
            Column::Output => "Sản phẩm",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Column::Number => "number",
            Column::Task => "task",
            Column::Lead => "lead",
            Column::Coordinating => "coordinating",
            Column::Cadence => "cadence",
            Column::Output => "output",
        }
    }
}

/// Reads a plan's task table: the Word document's table that has the task columns (the
/// appendix as agencies receive it), a CSV, or the first sheet of an XLSX.
pub fn parse_plan_table(file: &str, bytes: &[u8]) -> Result<Vec<PlanTaskRow>, ImportError> {
    let fail = |kind| Err(ImportError::new(file, Location::File, None, kind));
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(K::EmptyFile);
    }
    let rows = match reader::detect_format(file, bytes) {
        Format::Csv => reader::csv::read_rows(file, bytes, MAX_TASKS)?,
        Format::Xlsx if is_word(bytes) => return tasks_from_document(file, bytes),
        Format::Xlsx => reader::xlsx::read_sheet(file, bytes, MAX_TASKS, false)?.rows,
        Format::Docx => return tasks_from_document(file, bytes),
        Format::Xls => return fail(K::LegacyXls),
        Format::Json | Format::Unknown => return fail(K::PlanTableFormats),
    };
    tasks_from_rows(file, rows)
}

/// A zip named otherwise that holds a Word document.
fn is_word(bytes: &[u8]) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|z| z.index_for_name("word/document.xml").is_some())
}

/// The first table with the task columns is the task table (the header block of an official
/// document and the signature block are tables too); errors in it name the table.
fn tasks_from_document(file: &str, bytes: &[u8]) -> Result<Vec<PlanTaskRow>, ImportError> {
    let tables = reader::docx::read_tables(file, bytes, MAX_TASKS)?;
    let count = tables.len();
    for (i, rows) in tables.into_iter().enumerate() {
        let has_header = {
            let mut it = rows.iter().filter(|r| !r.is_blank()).cloned();
            matches!(find_header(&mut it, Column::from_header, complete), Found::Complete(_))
        };
        if has_header {
            return tasks_from_rows(file, rows).map_err(|e| e.in_table(i + 1));
        }
    }
    Err(ImportError::new(file, Location::File, None, K::NoTaskTable { tables: count }))
}

fn complete(h: &Header<Column>) -> bool {
    Column::REQUIRED.iter().all(|c| h.has(*c))
}

fn tasks_from_rows(file: &str, rows: Vec<SheetRow>) -> Result<Vec<PlanTaskRow>, ImportError> {
    let mut rows = rows.into_iter().filter(|r| !r.is_blank());
    let header = match find_header(&mut rows, Column::from_header, complete) {
        Found::Complete(h) => h,
        Found::Incomplete(h) => {
            let missing = Column::REQUIRED.into_iter().find(|c| !h.has(*c)).unwrap_or(Column::Task);
            let kind = K::MissingColumn { label_vi: missing.label_vi(), key: missing.key() };
            return Err(ImportError::new(file, Location::Row(h.row), None, kind));
        }
        Found::Nothing => return Err(ImportError::new(file, Location::File, None, K::NoHeader)),
    };
    header.check_duplicate(file)?;
    let mut tasks: Vec<PlanTaskRow> = Vec::new();
    for row in rows {
        header.check_outside(file, &row)?;
        let cell = |c: Column| -> Result<(String, String), ImportError> {
            match header.cols.iter().find(|(f, _, _)| *f == c) {
                Some((_, col, label)) => Ok((row.text(file, *col, label)?.trim().to_string(), label.clone())),
                None => Ok((String::new(), c.label_vi().to_string())),
            }
        };
        let err = |label: &str, kind| ImportError::new(file, Location::Row(row.row), Some(label), kind);
        let (number, number_label) = cell(Column::Number)?;
        let number = number.trim_end_matches('.').to_string();
        let (text, text_label) = cell(Column::Task)?;
        if number.is_empty() {
            return Err(err(&number_label, K::Required));
        }
        if text.is_empty() {
            return Err(err(&text_label, K::Required));
        }
        if let Some(first) = tasks.iter().find(|t| t.number == number) {
            return Err(err(&number_label, K::DuplicateCode { code: number, first: Location::Row(first.row) }));
        }
        let parent = number.rsplit_once('.').map(|(section, _)| section.to_string());
        if let Some(section) = &parent {
            if !tasks.iter().any(|t| &t.number == section) {
                let kind = K::UnknownSection { number: number.clone(), section: section.clone() };
                return Err(err(&number_label, kind));
            }
        }
        let (lead, lead_label) = cell(Column::Lead)?;
        // A section may stand without a lead unit; a task under one needs it.
        if parent.is_some() && lead.is_empty() {
            return Err(err(&lead_label, K::Required));
        }
        tasks.push(PlanTaskRow {
            row: row.row,
            number,
            parent,
            text,
            lead: unit_names(&lead),
            coordinating: unit_names(&cell(Column::Coordinating)?.0),
            cadence: cell(Column::Cadence)?.0,
            output: cell(Column::Output)?.0,
        });
    }
    Ok(tasks)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The head of HCM 3131's appendix, as agencies retype it into a spreadsheet (title rows
    /// above the header, a section row, tasks with lists of units in one cell).
    const HCM: &str = "PHỤ LỤC\nNHIỆM VỤ TRIỂN KHAI KẾ HOẠCH 3131/KH-UBND\n\
STT,Nhiệm vụ,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian thực hiện\n\
1,Nâng cao nhận thức về an toàn thông tin,,,\n\
1.1,Tuyên truyền nâng cao nhận thức,\"- Sở Thông tin và Truyền thông - Chi hội an toàn thông tin phía nam\",Các cơ quan đơn vị liên quan,Thường xuyên\n\
4,Kiểm tra và diễn tập,,,\n\
4.2,Tổ chức diễn tập thực chiến an toàn thông tin mạng tối thiểu mỗi năm 1 lần,Sở Thông tin và Truyền thông,\"- Các sở, ban, ngành\n- Ủy ban nhân dân quận, huyện\",Hàng năm\n";

    #[test]
    fn the_appendix_reads_into_sections_and_tasks() {
        let tasks = parse_plan_table("phu-luc.csv", HCM.as_bytes()).unwrap();
        assert_eq!(tasks.iter().map(|t| t.number.as_str()).collect::<Vec<_>>(), ["1", "1.1", "4", "4.2"]);
        let t = &tasks[1];
        assert_eq!((t.row, t.parent.as_deref(), t.cadence.as_str()), (5, Some("1"), "Thường xuyên"));
        assert_eq!(t.lead, ["Sở Thông tin và Truyền thông", "Chi hội an toàn thông tin phía nam"]);
        assert_eq!(tasks[3].coordinating, ["Các sở, ban, ngành", "Ủy ban nhân dân quận, huyện"]);
        assert!(tasks[0].lead.is_empty() && tasks[0].parent.is_none(), "a section needs no lead");
    }

    fn error_of(csv: &str) -> String {
        parse_plan_table("bang.csv", csv.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn bad_tables_name_the_row_the_column_and_the_reason() {
        let no_task = "STT,Đơn vị chủ trì,Phối hợp\n1,Sở Y tế,\n";
        assert!(error_of(no_task).contains("Nhiệm vụ"), "{}", error_of(no_task));
        let orphan = "STT,Nhiệm vụ,Chủ trì\n1.2,Rà quét mã độc,Sở Y tế\n";
        let e = error_of(orphan);
        assert!(e.contains("row 2") && e.contains("«1.2»") && e.contains("«1»"), "{e}");
        let twice = "STT,Nhiệm vụ,Chủ trì\n1,Mục một,\n1.1,Việc,Sở Y tế\n1.1,Việc khác,Sở Y tế\n";
        let e = error_of(twice);
        assert!(e.contains("row 4") && e.contains("row 3"), "{e}");
        let no_lead = "STT,Nhiệm vụ,Chủ trì\n1,Mục một,\n1.1,Việc không ai chủ trì,\n";
        let e = error_of(no_lead);
        assert!(e.contains("row 3") && e.contains("Chủ trì"), "{e}");
        let json = parse_plan_table("bang.json", b"[{}]").unwrap_err().to_string();
        assert!(json.contains("read from .docx, .xlsx or .csv"), "JSON is no task table: {json}");
    }

    fn word(document_xml: &str) -> Vec<u8> {
        use std::io::Write;
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        out.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(document_xml.as_bytes()).unwrap();
        out.finish().unwrap().into_inner()
    }

    fn tc(props: &str, paragraphs: &[&str]) -> String {
        let ps: String =
            paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>")).collect();
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{ps}</w:tc>")
    }

    /// The appendix as a Word table: a two-row header whose "Đơn vị thực hiện" spans Chủ trì
    /// and Phối hợp while STT, Nhiệm vụ and Thời gian are merged down; one lead cell merged
    /// over two tasks; units as bulleted paragraphs; a nested table in a cell; an NĐ 30 header
    /// table before it.
    fn appendix_xml(extra_row: &str) -> String {
        let restart = "<w:vMerge w:val=\"restart\"/>";
        let cont = "<w:vMerge/>";
        let head1 = [
            tc(restart, &["TT"]),
            tc(restart, &["NHIỆM VỤ"]),
            tc("<w:gridSpan w:val=\"2\"/>", &["ĐƠN VỊ THỰC HIỆN"]),
            tc(restart, &["THỜI GIAN THỰC HIỆN"]),
        ]
        .concat();
        let head2 = [tc(cont, &[]), tc(cont, &[]), tc("", &["Chủ trì"]), tc("", &["Phối hợp"]), tc(cont, &[])].concat();
        let section = [tc("", &["4"]), tc("<w:gridSpan w:val=\"4\"/>", &["Bảo vệ hạ tầng số"])].concat();
        let t1 = [
            tc("", &["4.2"]),
            tc("", &["Tổ chức diễn tập thực chiến"]),
            tc(restart, &["Sở Thông tin và Truyền thông"]),
            tc("", &["- Các sở, ban, ngành", "- Ủy ban nhân dân quận, huyện"]),
            tc("", &["Hàng năm"]),
        ]
        .concat();
        let nested = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Công an Thành phố</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
        let t2 = format!(
            "{}{}{}<w:tc><w:p><w:r><w:t>Bộ Tư lệnh Thành phố</w:t><w:br/><w:t>Sở Y tế</w:t></w:r></w:p>{nested}</w:tc>{}",
            tc("", &["4.3"]),
            tc("", &["Kiểm tra đánh giá an toàn thông tin &amp; rà quét"]),
            tc(cont, &[]),
            tc("", &["Hàng năm"])
        );
        let rows: String = [head1, head2, section, t1, t2, extra_row.to_string()]
            .iter()
            .map(|r| format!("<w:tr>{r}</w:tr>"))
            .collect();
        let header_block = format!(
            "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
            tc("", &["ỦY BAN NHÂN DÂN"]),
            tc("", &["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
        );
        format!(
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{header_block}<w:p/><w:tbl>{rows}</w:tbl></w:body></w:document>"
        )
    }

    #[test]
    fn the_word_appendix_reads_with_its_merged_and_multi_line_cells() {
        let tasks = parse_plan_table("Phu luc 3131.docx", &word(&appendix_xml(""))).unwrap();
        assert_eq!(tasks.iter().map(|t| t.number.as_str()).collect::<Vec<_>>(), ["4", "4.2", "4.3"]);
        assert_eq!(tasks[0].text, "Bảo vệ hạ tầng số");
        assert_eq!(tasks[1].coordinating, ["Các sở, ban, ngành", "Ủy ban nhân dân quận, huyện"]);
        assert_eq!(tasks[2].lead, ["Sở Thông tin và Truyền thông"], "a lead cell merged down stands for both tasks");
        assert_eq!(tasks[2].coordinating, ["Bộ Tư lệnh Thành phố", "Sở Y tế", "Công an Thành phố"]);
        assert_eq!(
            (tasks[2].text.as_str(), tasks[2].cadence.as_str()),
            ("Kiểm tra đánh giá an toàn thông tin & rà quét", "Hàng năm")
        );
        assert_eq!(tasks[2].row, 5, "rows are counted in the table");
    }

    #[test]
    fn a_word_table_names_its_table_and_row_in_errors() {
        let orphan = [
            "<w:tc><w:p><w:r><w:t>7.1</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p><w:r><w:t>Việc lạc mục</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p><w:r><w:t>Sở Tài chính</w:t></w:r></w:p></w:tc>",
        ]
        .concat();
        let e = parse_plan_table("pl.docx", &word(&appendix_xml(&orphan))).unwrap_err();
        assert_eq!(e.location(), &Location::TableRow { table: 2, row: 6 }, "{e}");
        assert!(e.message_vi().contains("bảng 2, dòng 6") && e.message_vi().contains("«7.1»"), "{}", e.message_vi());
        let no_table = word("<w:document xmlns:w=\"x\"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Họ tên</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>");
        let e = parse_plan_table("ke-hoach.docx", &no_table).unwrap_err().to_string();
        assert!(e.contains("none of the document's 1 tables"), "{e}");
        let e = parse_plan_table("hong.docx", b"PK\x03\x04 not really").unwrap_err().to_string();
        assert!(e.contains("damaged"), "{e}");
        let e = parse_plan_table("cat.xml", &word("<w:document><w:body><w:tbl><w:tr>")).unwrap_err();
        assert!(e.to_string().contains("Word"), "a cut document is refused: {e}");
    }

    /// The demo plans are written by the DOCX writer and read back through this reader.
    #[test]
    fn an_appendix_written_by_the_docx_writer_reads_back() {
        let doc = crate::docx::AdminDocument {
            parent_body: String::new(),
            issuing_body: "Ủy ban nhân dân thành phố".into(),
            number: Some("3131/KH-UBND".into()),
            place: "Hải Đông".into(),
            date: chrono::NaiveDate::from_ymd_opt(2023, 7, 7).unwrap(),
            doc_type: "Phụ lục".into(),
            title: "Phân công nhiệm vụ".into(),
            addressees: vec![],
            blocks: vec![crate::docx::Block::Table {
                headers: ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện"]
                    .map(String::from)
                    .to_vec(),
                rows: vec![
                    vec!["1".into(), "Tuyên truyền".into()],
                    vec![
                        "1.1".into(),
                        "Tuyên truyền nâng cao nhận thức".into(),
                        "Sở Y tế\nSở Tài chính".into(),
                        "".into(),
                        "Thường xuyên".into(),
                    ],
                ],
            }],
            recipients: vec![],
            signer_position: "Chủ tịch".into(),
            signer_name: "Nguyễn Văn A".into(),
        };
        let bytes = crate::docx::write_admin_docx(&doc).unwrap();
        let tasks = parse_plan_table("phu-luc.docx", &bytes).unwrap();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[1].lead, ["Sở Y tế", "Sở Tài chính"]);
    }
}
