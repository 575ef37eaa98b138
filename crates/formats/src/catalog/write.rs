//! Writing a catalogue in the table format (CSV, XLSX) and the XLSX template.

use khien_domain::catalog::{Catalogue, CatalogueNode, LevelSet, NodeKind};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Workbook, XlsxError};

use super::table::Field;
use crate::error::ExportError;
use crate::reader::csv::BOM;

fn kind_label(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Group => "Nhóm",
        NodeKind::Requirement => "Yêu cầu",
    }
}

/// The cells of a node in [`Field::ALL`] order.
fn cells(n: &CatalogueNode) -> [String; 7] {
    [
        n.id.clone(),
        n.parent.clone().unwrap_or_default(),
        kind_label(n.kind).to_string(),
        n.title_vi.clone(),
        n.title_en.clone(),
        n.description.clone(),
        n.levels.to_string(),
    ]
}

/// A CSV cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection):
/// prefix an apostrophe. Imported text never starts so; OSCAL text might.
pub(crate) fn defuse(value: String) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value
    }
}

pub(crate) fn csv(catalogue: &Catalogue) -> Result<Vec<u8>, ExportError> {
    let to_err = |e: csv::Error| ExportError::Csv(e.to_string());
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        w.write_record(Field::ALL.map(Field::label_vi)).map_err(to_err)?;
        for n in catalogue.nodes() {
            w.write_record(cells(n).map(defuse)).map_err(to_err)?;
        }
        w.flush().map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    Ok(out)
}

pub(crate) fn xlsx(nodes: &[CatalogueNode]) -> Result<Vec<u8>, ExportError> {
    build(nodes).map_err(|e| ExportError::Xlsx(e.to_string()))
}

/// Rows of the template: a group, a requirement for every level, a sub-requirement from level 3.
pub(crate) fn template_nodes() -> Vec<CatalogueNode> {
    let mut g =
        CatalogueNode::new(NodeKind::Group, "N01", None, "Quản lý tài khoản", "Account management", LevelSet::ALL);
    g.description = "Ví dụ: xóa các dòng mẫu này và nhập danh mục của đơn vị.".into();
    let r = CatalogueNode::new(
        NodeKind::Requirement,
        "N01.1",
        Some("N01"),
        "Rà soát danh sách tài khoản định kỳ",
        "Review the account list periodically",
        LevelSet::ALL,
    );
    let s = CatalogueNode::new(
        NodeKind::Requirement,
        "N01.1.a",
        Some("N01.1"),
        "Rà soát danh sách tài khoản 6 tháng một lần",
        "Review the account list every six months",
        LevelSet::at_least(3).unwrap_or(LevelSet::ALL),
    );
    vec![g, r, s]
}

const HELP: &[(&str, &str, &str)] = &[
    ("Mã mục (id)", "Bắt buộc. Chữ cái Latin không dấu, chữ số, . _ -; tối đa 64 ký tự; không trùng.", "Required. Unaccented letters, digits, . _ -; up to 64 characters; unique."),
    ("Mã mục cha (parent_id)", "Mã của nhóm hoặc yêu cầu chứa mục này; để trống nếu ở cấp cao nhất.", "Id of the group or requirement containing this item; empty at the top."),
    ("Loại (kind)", "«Nhóm» (group) hoặc «Yêu cầu» (requirement). Nhóm chỉ nằm dưới nhóm; yêu cầu có thể có yêu cầu con.", "«Group» (nhóm) or «Requirement» (yêu cầu). Groups sit under groups; requirements may have sub-requirements."),
    ("Tiêu đề tiếng Việt (title_vi)", "Cần ít nhất một trong hai tiêu đề; tối đa 500 ký tự.", "At least one of the two titles; up to 500 characters."),
    ("Tiêu đề tiếng Anh (title_en)", "Như trên.", "As above."),
    ("Mô tả (description)", "Không bắt buộc; được xuống dòng; tối đa 20.000 ký tự.", "Optional; may span lines; up to 20,000 characters."),
    ("Cấp độ áp dụng (levels)", "Ví dụ 1-5, 3,4,5 hoặc 3+. Bắt buộc với yêu cầu; nhóm để trống thì lấy theo các mục bên trong. Mục con không vượt cấp độ của mục cha.", "E.g. 1-5, 3,4,5 or 3+. Required for requirements; a group left empty takes its contents' levels. A child stays within its parent's levels."),
    ("Thứ tự", "Các mục cùng cha giữ thứ tự các dòng trong tệp. Một dòng lỗi làm cả tệp không được nhập.", "Siblings keep the order of the rows. One bad row rejects the whole file."),
];

fn build(nodes: &[CatalogueNode]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color(0xD9E1F2).set_text_wrap();
    // Text format: "1-5" must not become a date, "01.1" not a number.
    let text = Format::new().set_num_format("@").set_text_wrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh mục")?;
    let widths = [14.0, 14.0, 12.0, 48.0, 48.0, 60.0, 14.0];
    for (col, field) in Field::ALL.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.write_string_with_format(0, col, field.label_vi(), &header)?;
        sheet.set_column_width(col, widths.get(usize::from(col)).copied().unwrap_or(16.0))?;
        sheet.set_column_format(col, &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let kinds = DataValidation::new()
        .allow_list_strings(&["Nhóm", "Yêu cầu"])?
        .set_error_style(DataValidationErrorStyle::Warning);
    sheet.add_data_validation(1, 2, 1_048_575, 2, &kinds)?;
    for (i, n) in nodes.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, value) in cells(n).iter().enumerate() {
            if !value.is_empty() {
                let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
                sheet.write_string_with_format(row, col, value, &text)?;
            }
        }
    }
    // Reference sheet; the importer reads only the first one.
    let help = book.add_worksheet();
    help.set_name("Hướng dẫn")?;
    for (col, title) in ["Cột", "Cách ghi", "How to fill in"].iter().enumerate() {
        help.write_string_with_format(0, u16::try_from(col).unwrap_or(0), *title, &header)?;
    }
    let wrap = Format::new().set_text_wrap();
    for (i, (col, vi, en)) in HELP.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        help.write_string_with_format(row, 0, *col, &wrap)?;
        help.write_string_with_format(row, 1, *vi, &wrap)?;
        help.write_string_with_format(row, 2, *en, &wrap)?;
    }
    help.set_column_width(0, 28.0)?;
    help.set_column_width(1, 70.0)?;
    help.set_column_width(2, 70.0)?;
    book.save_to_buffer()
}
