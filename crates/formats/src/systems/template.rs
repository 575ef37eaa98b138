//! The systems import template (XLSX): sheet "Hệ thống" to fill in, sheet
//! "Hướng dẫn" describing each column. The importer reads the first sheet.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign, FormatBorder, Workbook,
    XlsxError,
};

use super::columns::{Kind, SystemColumn};

/// Name of the sheet to fill in.
pub(crate) const DATA_SHEET: &str = "Hệ thống";
/// Name of the guidance sheet.
pub(crate) const GUIDE_SHEET: &str = "Hướng dẫn";

/// Excel's last row (0-based): validations and formats cover whole columns.
const LAST_ROW: u32 = 1_048_575;

fn width(c: SystemColumn) -> f64 {
    use SystemColumn as C;
    match c {
        C::Name | C::Purpose => 40.0,
        C::IpRanges | C::Domains => 28.0,
        C::Code | C::OwnerUnitCode | C::GoLiveDate => 16.0,
        C::InfoPrivate | C::InfoPersonal | C::AdminProcedures => 12.0,
        _ => 20.0,
    }
}

/// The template, unsaved (tests fill rows into it before saving).
pub(crate) fn workbook() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let base_header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let header = base_header.clone().set_background_color(0xD9E1F2);
    // Required columns stand out.
    let required_header = base_header.set_background_color(0xFCE4D6);
    // Text format keeps "01" as "01" and stops Excel from turning codes,
    // IP ranges or "1/7" into numbers or dates.
    let text = Format::new().set_num_format("@");
    let count = Format::new().set_num_format("#,##0");
    let date = Format::new().set_num_format("dd/mm/yyyy");

    let sheet = book.add_worksheet();
    sheet.set_name(DATA_SHEET)?;
    for (i, c) in SystemColumn::ALL.into_iter().enumerate() {
        let col = u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        let fmt = if c.required() { &required_header } else { &header };
        sheet.write_string_with_format(0, col, c.label_vi(), fmt)?;
        sheet.set_column_width(col, width(c))?;
        match c.kind() {
            Kind::Count => sheet.set_column_format(col, &count)?,
            Kind::Level => sheet.set_column_format(col, &Format::new())?,
            Kind::Date => sheet.set_column_format(col, &date)?,
            _ => sheet.set_column_format(col, &text)?,
        };
        if let Some(v) = validation(c)? {
            sheet.add_data_validation(1, col, LAST_ROW, col, &v)?;
        }
    }
    sheet.set_row_height(0, 45)?;
    sheet.set_freeze_panes(1, 0)?;

    guide(book.add_worksheet())?;
    Ok(book)
}

/// Dropdowns and ranges; warnings only, so every spelling the importer
/// accepts can still be typed.
fn validation(c: SystemColumn) -> Result<Option<DataValidation>, XlsxError> {
    let v = match c.kind() {
        Kind::Choice(choices) => {
            let labels: Vec<&str> = choices.iter().map(|c| c.short_vi).collect();
            DataValidation::new().allow_list_strings(&labels)?
        }
        Kind::Flag => DataValidation::new().allow_list_strings(&["x", "Có", "Không"])?,
        Kind::Level => DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 4)),
        Kind::Count => DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
        _ => return Ok(None),
    };
    Ok(Some(v.set_error_style(DataValidationErrorStyle::Warning)))
}

fn guide(sheet: &mut rust_xlsxwriter::Worksheet) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(0xD9E1F2)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new().set_text_wrap().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
    sheet.set_name(GUIDE_SHEET)?;
    for (col, (title, w)) in
        [("Cột", 30.0), ("Bắt buộc", 10.0), ("Khóa (key)", 22.0), ("Cách ghi, giá trị hợp lệ", 90.0)]
            .into_iter()
            .enumerate()
    {
        let col = col as u16;
        sheet.write_string_with_format(0, col, title, &header)?;
        sheet.set_column_width(col, w)?;
    }
    let mut row = 1u32;
    for c in SystemColumn::ALL {
        let guide = c.guide_vi();
        sheet.write_string_with_format(row, 0, c.label_vi(), &cell)?;
        sheet.write_string_with_format(row, 1, if c.required() { "Có" } else { "Không" }, &cell)?;
        sheet.write_string_with_format(row, 2, c.key(), &cell)?;
        sheet.write_string_with_format(row, 3, &guide, &cell)?;
        let lines = guide.lines().count().max(1) as f64;
        sheet.set_row_height(row, 15.0 * lines + 3.0)?;
        row += 1;
    }
    row += 1;
    for note in [
        "Mỗi dòng của trang «Hệ thống» là một hệ thống thông tin; dòng tiêu đề giữ nguyên, không gộp ô (merge).",
        "Có thể lưu thành CSV UTF-8 (dấu phẩy hoặc chấm phẩy) để nhập; khi nhập, tệp được kiểm tra toàn bộ: có lỗi thì không hệ thống nào được nhập.",
        "Cột có nền cam là cột bắt buộc.",
    ] {
        sheet.write_string(row, 0, note)?;
        row += 1;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
