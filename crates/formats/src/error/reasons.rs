//! The reason of each kind of import error, in Vietnamese and in English: what is wrong and,
//! where it helps, what to do.

use super::{q, ImportError, ImportErrorKind, JSON_KEYS};

impl ImportError {
    pub(super) fn reason_vi(&self) -> String {
        use ImportErrorKind as K;
        match &self.0.kind {
            K::UnknownFormat => {
                "không nhận dạng được định dạng tệp; hãy dùng tệp .csv, .xlsx hoặc .json".into()
            }
            K::LegacyXls => {
                "định dạng Excel 97-2003 (.xls) không được hỗ trợ; hãy lưu lại thành .xlsx".into()
            }
            K::EmptyFile => "tệp rỗng".into(),
            K::NotUtf8 => {
                "nội dung không phải văn bản UTF-8; hãy lưu tệp dưới dạng «CSV UTF-8»".into()
            }
            K::UnclosedQuote => "dấu ngoặc kép mở ở đây không bao giờ được đóng".into(),
            K::MalformedCsv(d) => format!("tệp CSV sai cú pháp ({d})"),
            K::MalformedXlsx(d) => format!("tệp Excel bị hỏng hoặc không đọc được ({d})"),
            K::MalformedJson(d) => format!("tệp JSON sai cú pháp ({d})"),
            K::NoSheet => "tệp Excel không có trang tính nào".into(),
            K::NoHeader => "không có dòng tiêu đề (tệp không có dữ liệu)".into(),
            K::TooLarge { max_rows } => format!("tệp quá lớn; tối đa {max_rows} dòng"),
            K::UnpackedTooLarge { max_mib, part: None } => {
                format!("tệp Excel khi giải nén vượt quá {max_mib} MiB")
            }
            K::UnpackedTooLarge { max_mib, part: Some(p) } => {
                format!("phần «{p}» của tệp Excel khi giải nén vượt quá {max_mib} MiB")
            }
            K::TooManyParts { max } => format!("tệp nén có hơn {max} phần; không phải tệp Excel thông thường"),
            K::TooManyCells { max } => format!("trang tính có hơn {} ô có dữ liệu", crate::text::vn_number(*max)),
            K::MissingColumn { label_vi, key } => {
                format!("thiếu cột bắt buộc «{label_vi}» ({key}) trong dòng tiêu đề")
            }
            K::DuplicateColumn { first } => {
                format!("cột này trùng ý nghĩa với cột «{}»", q(first))
            }
            K::CellOutsideHeader { column } => {
                format!("ô ở cột {column} có dữ liệu nhưng cột này không có tiêu đề (có thể do dấu phân cách thừa)")
            }
            K::ExcelErrorCell(e) => format!("ô chứa lỗi Excel «{e}»"),
            K::DateCell => "ô chứa giá trị ngày giờ, cần văn bản".into(),
            K::Required => "không được để trống".into(),
            K::TooLong { max, actual } => {
                format!("giá trị dài {actual} ký tự, vượt quá giới hạn {max} ký tự")
            }
            K::InvalidCode { value, ch } => format!(
                "mã «{}» chứa ký tự không hợp lệ «{ch}»; chỉ dùng chữ cái Latin không dấu, chữ số và các dấu . _ -",
                q(value)
            ),
            K::CodeStart { value } => {
                format!("mã «{}» phải bắt đầu bằng chữ cái hoặc chữ số", q(value))
            }
            K::InvalidUnitType { value } => {
                format!("giá trị «{}» không phải loại đơn vị hợp lệ", q(value))
            }
            K::InvalidEmail { value } => {
                format!("«{}» không phải địa chỉ email hợp lệ", q(value))
            }
            K::InvalidPhone { value } => {
                format!("«{}» không phải số điện thoại hợp lệ", q(value))
            }
            K::FormulaLike { value } => format!(
                "giá trị «{}» bắt đầu bằng ký tự = + - @ nên có thể bị bảng tính hiểu là công thức",
                q(value)
            ),
            K::ControlChar { value } => {
                format!("giá trị «{}» chứa ký tự điều khiển hoặc ký tự vô hình không hợp lệ", q(value))
            }
            K::DuplicateCode { code, first } => {
                format!("mã «{}» bị trùng với {}", q(code), first.vi())
            }
            K::SelfParent { code } => {
                format!("đơn vị «{}» không thể là cấp trên của chính nó", q(code))
            }
            K::NoTaskTable { tables } => format!(
                "trong {tables} bảng của văn bản, không bảng nào có đủ các cột STT, Nhiệm vụ và Đơn vị chủ trì"
            ),
            K::MalformedDocx(d) => format!("tệp Word bị hỏng hoặc không đọc được ({d})"),
            K::PlanTableFormats => "bảng nhiệm vụ chỉ nhận tệp .docx, .xlsx hoặc .csv".into(),
            K::UnknownSection { number, section } => {
                format!("nhiệm vụ «{}» thuộc mục «{}» nhưng bảng chưa có mục đó ở trên", q(number), q(section))
            }
            K::UnknownParent { code } => format!(
                "mã đơn vị cấp trên «{}» không có trong tệp và cũng chưa có trong hệ thống",
                q(code)
            ),
            K::ParentMismatch { expected, found } => format!(
                "mã tỉnh «{}» khác với mã «{}» của tỉnh chứa đơn vị này",
                q(found),
                q(expected)
            ),
            K::MissingColumns { columns } => format!(
                "thiếu các cột bắt buộc {} trong dòng tiêu đề",
                columns.iter().map(|(l, k)| format!("«{l}» ({k})")).collect::<Vec<_>>().join(", ")
            ),
            K::MergedHeader { range } => format!(
                "các ô tiêu đề {range} đang được gộp (merge); hãy bỏ gộp ô và đặt mỗi tiêu đề trong một ô riêng, trên cùng một dòng"
            ),
            K::MergedCells { range } => format!(
                "các ô {range} đang được gộp (merge); hãy bỏ gộp ô và ghi giá trị vào từng dòng"
            ),
            K::RepeatedHeader { first_column } => format!(
                "tiêu đề này đã có ở cột {first_column} (thường do ô tiêu đề bị gộp); mỗi cột cần một tiêu đề riêng"
            ),
            K::CsvOrXlsxOnly => "chỉ nhận tệp .csv hoặc .xlsx (theo mẫu tải từ hệ thống)".into(),
            K::JsonNotTable { accepted, looks_like } => format!(
                "tệp là JSON, còn chức năng nhập này chỉ nhận bảng {accepted}; {}",
                looks_like.advice_vi()
            ),
            K::InvalidChoice { value, choices } => format!(
                "giá trị «{}» không hợp lệ; chọn một trong: {}",
                q(value),
                choices.iter().map(|c| format!("{} ({})", c.label_vi, c.code)).collect::<Vec<_>>().join(", ")
            ),
            K::InvalidFlag { value } => format!(
                "«{}» không phải giá trị có/không; ghi x, có, yes, true hoặc 1 nếu có; để trống hoặc ghi không, no, false, 0 nếu không",
                q(value)
            ),
            K::InvalidNumber { value } => format!(
                "«{}» không phải số nguyên không âm (ví dụ 20000, 20.000 hoặc 20 000)",
                q(value)
            ),
            K::OutOfRange { value, min, max } => {
                format!("«{}» không phải số nguyên từ {min} đến {max}", q(value))
            }
            K::InvalidDate { value } if value.is_empty() => {
                "ô chỉ chứa giờ hoặc khoảng thời gian, cần một ngày (dd/mm/yyyy)".into()
            }
            K::InvalidDate { value } => format!(
                "«{}» không phải ngày hợp lệ; hãy ghi dd/mm/yyyy (ví dụ 01/07/2025) hoặc yyyy-mm-dd",
                q(value)
            ),
            K::UnknownOwnerUnit { code } => {
                format!("không có đơn vị mã «{}» trong hệ thống", q(code))
            }
            K::UnknownSystem { code } => {
                format!("không có hệ thống mã «{}» mà bạn được cập nhật", q(code))
            }
            K::InvalidAssetGroup { value } => format!(
                "«{}» không phải nhóm tài sản; ghi phần cứng, phần mềm hoặc thông tin",
                q(value)
            ),
            K::InvalidIpRange { value } => format!(
                "«{}» không phải dải địa chỉ IP dạng CIDR hợp lệ (ví dụ 10.10.1.0/24)",
                q(value)
            ),
            K::InvalidIp { value } => format!("«{}» không phải địa chỉ IP (ví dụ 10.10.1.5)", q(value)),
            K::JsonNotArray => "tệp JSON phải là một mảng ([…]) các đơn vị".into(),
            K::JsonExpectedArray => "giá trị phải là một mảng ([…])".into(),
            K::JsonNotObject => "phần tử phải là một đối tượng ({…})".into(),
            K::JsonNotText => "giá trị phải là chuỗi văn bản".into(),
            K::UnknownJsonField => format!(
                "trường không được hỗ trợ; các trường hợp lệ: {}",
                JSON_KEYS
            ),
        }
    }

    pub(super) fn reason_en(&self) -> String {
        use ImportErrorKind as K;
        match &self.0.kind {
            K::UnknownFormat => {
                "the file format is not recognised; use a .csv, .xlsx or .json file".into()
            }
            K::LegacyXls => {
                "the Excel 97-2003 format (.xls) is not supported; save the file as .xlsx".into()
            }
            K::EmptyFile => "the file is empty".into(),
            K::NotUtf8 => "the content is not UTF-8 text; save the file as «CSV UTF-8»".into(),
            K::UnclosedQuote => "a quoted field opened here is never closed".into(),
            K::MalformedCsv(d) => format!("the CSV is malformed ({d})"),
            K::MalformedXlsx(d) => format!("the Excel file is damaged or unreadable ({d})"),
            K::MalformedJson(d) => format!("the JSON is malformed ({d})"),
            K::NoSheet => "the Excel file has no worksheet".into(),
            K::NoHeader => "there is no header row (the file holds no data)".into(),
            K::TooLarge { max_rows } => format!("the file is too large; at most {max_rows} rows"),
            K::UnpackedTooLarge { max_mib, part: None } => {
                format!("the Excel file unpacks to more than {max_mib} MiB")
            }
            K::UnpackedTooLarge { max_mib, part: Some(p) } => {
                format!("the part «{p}» of the Excel file unpacks to more than {max_mib} MiB")
            }
            K::TooManyParts { max } => format!("the archive has more than {max} parts; not an ordinary Excel file"),
            K::TooManyCells { max } => format!("the sheet has more than {max} non-empty cells"),
            K::MissingColumn { label_vi, key } => {
                format!("the required column «{label_vi}» ({key}) is missing from the header row")
            }
            K::DuplicateColumn { first } => {
                format!("this column means the same as column «{}»", q(first))
            }
            K::CellOutsideHeader { column } => format!(
                "the cell in column {column} has data but the column has no header (perhaps a stray delimiter)"
            ),
            K::ExcelErrorCell(e) => format!("the cell holds the Excel error «{e}»"),
            K::DateCell => "the cell holds a date/time; text is expected".into(),
            K::Required => "must not be empty".into(),
            K::TooLong { max, actual } => {
                format!("the value is {actual} characters long, more than the limit of {max}")
            }
            K::InvalidCode { value, ch } => format!(
                "code «{}» contains the invalid character «{ch}»; use only unaccented Latin letters, digits and . _ -",
                q(value)
            ),
            K::CodeStart { value } => {
                format!("code «{}» must start with a letter or a digit", q(value))
            }
            K::InvalidUnitType { value } => format!("«{}» is not a valid unit type", q(value)),
            K::InvalidEmail { value } => format!("«{}» is not a valid e-mail address", q(value)),
            K::InvalidPhone { value } => format!("«{}» is not a valid phone number", q(value)),
            K::FormulaLike { value } => format!(
                "«{}» starts with = + - @ and could be taken for a formula by a spreadsheet",
                q(value)
            ),
            K::ControlChar { value } => {
                format!("«{}» contains an invalid control or invisible character", q(value))
            }
            K::DuplicateCode { code, first } => {
                format!("code «{}» duplicates {}", q(code), first.en())
            }
            K::SelfParent { code } => format!("unit «{}» cannot be its own parent", q(code)),
            K::NoTaskTable { tables } => {
                format!("none of the document's {tables} tables has the columns STT, Nhiệm vụ and Đơn vị chủ trì")
            }
            K::MalformedDocx(d) => format!("the Word file is damaged or unreadable ({d})"),
            K::PlanTableFormats => "a task table is read from .docx, .xlsx or .csv files only".into(),
            K::UnknownSection { number, section } => {
                format!("task «{}» belongs to section «{}», which the table has not given above it", q(number), q(section))
            }
            K::UnknownParent { code } => format!(
                "parent code «{}» is neither in the file nor in the system",
                q(code)
            ),
            K::ParentMismatch { expected, found } => format!(
                "province code «{}» differs from the code «{}» of the province that contains this unit",
                q(found),
                q(expected)
            ),
            K::MissingColumns { columns } => format!(
                "the required columns {} are missing from the header row",
                columns.iter().map(|(l, k)| format!("«{l}» ({k})")).collect::<Vec<_>>().join(", ")
            ),
            K::MergedHeader { range } => format!(
                "the header cells {range} are merged; unmerge them and give every column its own header cell, all on one row"
            ),
            K::MergedCells { range } => format!(
                "the cells {range} are merged; unmerge them and fill in every row"
            ),
            K::RepeatedHeader { first_column } => format!(
                "this header already names column {first_column} (usually a merged header cell); every column needs its own header"
            ),
            K::CsvOrXlsxOnly => "only .csv and .xlsx files are accepted (use the template)".into(),
            K::JsonNotTable { accepted, looks_like } => format!(
                "the file is JSON, but this import reads only {accepted} tables; {}",
                looks_like.advice_en()
            ),
            K::InvalidChoice { value, choices } => format!(
                "«{}» is not valid; use one of {} (or its Vietnamese label)",
                q(value),
                choices.iter().map(|c| c.code).collect::<Vec<_>>().join(", ")
            ),
            K::InvalidFlag { value } => format!(
                "«{}» is not a yes/no value; write x, có, yes, true or 1 for yes; leave empty or write không, no, false or 0 for no",
                q(value)
            ),
            K::InvalidNumber { value } => format!(
                "«{}» is not a non-negative whole number (e.g. 20000, 20.000 or 20 000)",
                q(value)
            ),
            K::OutOfRange { value, min, max } => {
                format!("«{}» is not a whole number from {min} to {max}", q(value))
            }
            K::InvalidDate { value } if value.is_empty() => {
                "the cell holds only a time or a duration; a date (dd/mm/yyyy) is expected".into()
            }
            K::InvalidDate { value } => format!(
                "«{}» is not a valid date; write dd/mm/yyyy (e.g. 01/07/2025) or yyyy-mm-dd",
                q(value)
            ),
            K::UnknownOwnerUnit { code } => format!("there is no unit with code «{}» in the system", q(code)),
            K::UnknownSystem { code } => format!("there is no system with code «{}» that you may update", q(code)),
            K::InvalidAssetGroup { value } => {
                format!("«{}» is not an asset group; write hardware, software or information", q(value))
            }
            K::InvalidIpRange { value } => format!(
                "«{}» is not a valid CIDR IP range (e.g. 10.10.1.0/24)",
                q(value)
            ),
            K::InvalidIp { value } => format!("«{}» is not an IP address (e.g. 10.10.1.5)", q(value)),
            K::JsonNotArray => "the JSON must be an array ([…]) of units".into(),
            K::JsonExpectedArray => "the value must be an array ([…])".into(),
            K::JsonNotObject => "the item must be an object ({…})".into(),
            K::JsonNotText => "the value must be a text string".into(),
            K::UnknownJsonField => format!("unknown field; valid fields are {JSON_KEYS}"),
        }
    }
}
