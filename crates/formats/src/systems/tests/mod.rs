//! Tests of the systems import and template. Shared helpers live here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod errors;
mod formats;
mod robustness;

use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet};

use super::{choices, template, SystemColumn, SystemRow};
use crate::test_support::rezip;

/// A varied list: every system type and status, Vietnamese text, optional
/// fields set and unset, lists of one and several items.
pub(super) fn sample_systems() -> Vec<SystemRow> {
    let types = ["internal", "public_service", "info_infrastructure", "industrial_control", "other"];
    let statuses = [None, Some("planned"), Some("building"), Some("in_operation"), Some("suspended")];
    let grades = [None, Some("none"), Some("confidential"), Some("secret"), Some("top_secret")];
    let scopes = [None, Some("none"), Some("one_agency"), Some("province"), Some("national")];
    let categories = [None, Some("other"), Some("important"), Some("core")];
    let names = [
        "Cổng dịch vụ công tỉnh Quảng Ninh",
        "Hệ thống một cửa điện tử",
        "Mạng nội bộ Sở Khoa học và Công nghệ",
        "Hệ thống điều khiển trạm bơm – SCADA",
        "Phần mềm quản lý văn bản \"eOffice\"; bản 3",
        "Trung tâm dữ liệu dùng chung",
        "Hệ thống thư điện tử công vụ",
        "Phần mềm quản lý hộ tịch",
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, name)| SystemRow {
            code: format!("HT-{:02}.{}", i + 1, if i % 2 == 0 { "QN" } else { "x_1" }),
            name: name.to_string(),
            owner_unit_code: ["22", "SO-KHCN", "07090"][i % 3].to_string(),
            system_type: types[i % types.len()].to_string(),
            purpose: (i % 3 != 2).then(|| format!("Mục đích số {i}: phục vụ người dân, doanh nghiệp")),
            status: statuses[i % statuses.len()].map(str::to_string),
            info_private: i % 2 == 0,
            info_personal: i % 3 == 0,
            admin_procedures: i % 4 == 1,
            secret_grade: grades[i % grades.len()].map(str::to_string),
            subjects_basic: [0, 20_000, 1_234_567, 999][i % 4],
            subjects_sensitive: [0, 15, 100_000][i % 3],
            online_service_level: (i % 5) as i64,
            infra_scope: scopes[i % scopes.len()].map(str::to_string),
            data_category: categories[i % categories.len()].map(str::to_string),
            hosting: (i % 2 == 1).then(|| "Trung tâm dữ liệu tỉnh, tầng 3".to_string()),
            vendor: (i % 3 == 1).then(|| "VNPT Quảng Ninh".to_string()),
            go_live_date: (i % 4 != 3).then(|| format!("20{:02}-{:02}-{:02}", 15 + i, 1 + i, 3 * i + 1)),
            ip_ranges: (0..i % 3).map(|k| format!("10.{i}.{k}.0/24")).collect(),
            domains: (0..i % 3).map(|k| format!("ht{k}.quangninh.gov.vn")).collect(),
            tags: (0..i % 4).map(|k| ["một cửa", "SCADA", "cấp độ 3"][k % 3].to_string()).collect(),
        })
        .collect()
}

/// The template with rows written by `fill` into its first sheet.
pub(super) fn template_with(fill: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut book = template::workbook().unwrap();
    fill(book.worksheet_from_index(0).unwrap());
    book.save_to_buffer().unwrap()
}

fn label_vi(table: &[choices::Choice], code: &str) -> &'static str {
    table.iter().find(|c| c.code == code).unwrap().label_vi
}

/// Groups thousands as people type them: 1234567 → "1.234.567".
pub(super) fn grouped(n: i64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(ch);
    }
    out
}

/// Writes one system into row `r` of the template sheet the way people
/// fill it: labels or codes, numbers or grouped text, real date cells or
/// typed dates, booleans as x / có / TRUE / 1.
pub(super) fn write_system(s: &mut Worksheet, r: u32, i: usize, sys: &SystemRow) {
    use SystemColumn as C;
    let col = |c: SystemColumn| SystemColumn::ALL.iter().position(|x| *x == c).unwrap() as u16;
    let text = |s: &mut Worksheet, c: SystemColumn, v: &str| {
        if !v.is_empty() {
            s.write_string(r, col(c), v).unwrap();
        }
    };
    text(s, C::Code, &sys.code);
    text(s, C::Name, &sys.name);
    text(s, C::OwnerUnitCode, &sys.owner_unit_code);
    let st =
        if i.is_multiple_of(2) { sys.system_type.as_str() } else { label_vi(choices::SYSTEM_TYPES, &sys.system_type) };
    text(s, C::SystemType, st);
    text(s, C::Purpose, sys.purpose.as_deref().unwrap_or(""));
    if let Some(v) = &sys.status {
        let shown = match i % 3 {
            0 => v.as_str(),
            1 => label_vi(choices::SYSTEM_STATUSES, v),
            _ => choices::SYSTEM_STATUSES.iter().find(|c| c.code == v).unwrap().short_vi,
        };
        text(s, C::Status, shown);
    }
    for (c, v) in [
        (C::InfoPrivate, sys.info_private),
        (C::InfoPersonal, sys.info_personal),
        (C::AdminProcedures, sys.admin_procedures),
    ] {
        match (v, i % 4) {
            (true, 0) => text(s, c, "x"),
            (true, 1) => text(s, c, "Có"),
            (true, 2) | (false, 2) => {
                s.write_boolean(r, col(c), v).unwrap();
            }
            (true, _) => {
                s.write_number(r, col(c), 1.0).unwrap();
            }
            (false, 1) => text(s, c, "Không"),
            (false, _) => {}
        }
    }
    if let Some(v) = &sys.secret_grade {
        text(s, C::SecretGrade, label_vi(choices::SECRET_GRADES, v));
    }
    for (c, n) in [(C::SubjectsBasic, sys.subjects_basic), (C::SubjectsSensitive, sys.subjects_sensitive)] {
        match i % 3 {
            0 => {
                s.write_number(r, col(c), n as f64).unwrap();
            }
            1 => text(s, c, &grouped(n, ".")),
            _ => text(s, c, &grouped(n, " ")),
        }
    }
    s.write_number(r, col(C::OnlineServiceLevel), sys.online_service_level as f64).unwrap();
    text(s, C::InfraScope, sys.infra_scope.as_deref().unwrap_or(""));
    if let Some(v) = &sys.data_category {
        text(s, C::DataCategory, label_vi(choices::DATA_CATEGORIES, v));
    }
    text(s, C::Hosting, sys.hosting.as_deref().unwrap_or(""));
    text(s, C::Vendor, sys.vendor.as_deref().unwrap_or(""));
    if let Some(iso) = &sys.go_live_date {
        if i.is_multiple_of(2) {
            let date = ExcelDateTime::parse_from_str(iso).unwrap();
            s.write_datetime_with_format(r, col(C::GoLiveDate), &date, &Format::new().set_num_format("dd/mm/yyyy"))
                .unwrap();
        } else {
            let (y, rest) = iso.split_once('-').unwrap();
            let (m, d) = rest.split_once('-').unwrap();
            text(s, C::GoLiveDate, &format!("{d}/{m}/{y}"));
        }
    }
    text(s, C::IpRanges, &sys.ip_ranges.join("\n"));
    text(s, C::Domains, &sys.domains.join(", "));
    text(s, C::Tags, &sys.tags.join("; "));
}

/// A workbook whose first sheet is the given `<sheetData>`… XML.
pub(super) fn xlsx_with_sheet_xml(body: &str) -> Vec<u8> {
    let xml =
        format!(r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{body}</worksheet>"#);
    let valid = rust_xlsxwriter::Workbook::new().save_to_buffer().unwrap();
    rezip(&valid, |name, d| if name == "xl/worksheets/sheet1.xml" { xml.clone().into_bytes() } else { d })
}

/// An inline-string cell for `xlsx_with_sheet_xml`.
pub(super) fn xml_cell(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// The systems as a filled-in template.
pub(super) fn filled_template(rows: &[SystemRow]) -> Vec<u8> {
    template_with(|s| {
        for (i, sys) in rows.iter().enumerate() {
            write_system(s, i as u32 + 1, i, sys);
        }
    })
}
