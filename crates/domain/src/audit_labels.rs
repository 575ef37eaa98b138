//! What each audit record's action and entity type mean, in Vietnamese and English, so the audit
//! log reads as sentences rather than codes (issue 14.8). The store writes the codes; a store
//! test checks that every code it writes is listed here.

use crate::Lang;

/// (code, Vietnamese, English) of every audit action.
pub const ACTIONS: &[(&str, &str, &str)] = &[
    ("assessment.create", "Lập đợt đánh giá", "Planned an assessment"),
    ("assessment.evidence", "Đính kèm bằng chứng đánh giá", "Attached assessment evidence"),
    ("assessment.results", "Ghi kết quả đánh giá", "Recorded assessment results"),
    ("assessment.state", "Chuyển trạng thái đợt đánh giá", "Moved an assessment"),
    ("auth.lockout", "Khóa tạm tài khoản do đăng nhập sai nhiều lần", "Locked an account after failed sign-ins"),
    ("botnet.clean", "Báo đã xử lý địa chỉ IP nhiễm botnet", "Reported a botnet IP cleaned"),
    ("botnet.detect", "Ghi nhận địa chỉ IP nhiễm botnet", "Recorded botnet IP detections"),
    ("botnet.reject", "Trả lại vụ botnet chưa xử lý xong", "Sent a botnet case back to its unit"),
    ("botnet.verify", "Xác minh địa chỉ IP đã sạch mã độc", "Verified a botnet IP clean"),
    ("budget.record", "Khai báo dự án, kinh phí an ninh mạng", "Recorded a project and its cybersecurity budget"),
    ("budget.update", "Sửa kinh phí an ninh mạng của dự án", "Corrected a project's cybersecurity budget"),
    ("calendar.remove", "Xóa ngày nghỉ", "Removed a holiday"),
    ("calendar.set", "Ghi ngày nghỉ", "Set a holiday"),
    ("catalogue.builtin", "Nạp danh mục yêu cầu có sẵn", "Loaded a built-in catalogue"),
    ("catalogue.import", "Nhập danh mục yêu cầu", "Imported a catalogue"),
    ("certificate.create", "Thêm chữ ký số, chứng thư số", "Added a signature token or certificate"),
    ("certificate.remove", "Xóa chữ ký số, chứng thư số", "Removed a signature token or certificate"),
    ("connection.create", "Thêm kết nối chia sẻ dữ liệu", "Added a data-sharing connection"),
    ("connection.remove", "Xóa kết nối chia sẻ dữ liệu", "Removed a data-sharing connection"),
    ("consultation.answer", "Giải trình, tiếp thu ý kiến góp ý", "Answered a comment on a draft"),
    ("consultation.close", "Kết thúc lấy ý kiến góp ý dự thảo", "Closed the round of comments on a draft"),
    ("consultation.comment", "Gửi ý kiến góp ý dự thảo", "Sent comments on a draft"),
    ("consultation.open", "Lấy ý kiến góp ý dự thảo", "Opened a draft for comments"),
    ("deadline_feed.create", "Tạo địa chỉ đăng ký lịch hạn", "Made a calendar subscription address"),
    ("deadline_feed.revoke", "Hủy địa chỉ đăng ký lịch hạn", "Removed a calendar subscription address"),
    ("document_template.default", "Chọn mẫu văn bản mặc định", "Chose the default document template"),
    ("document_template.upload", "Tải lên mẫu văn bản của cơ quan", "Uploaded a document template"),
    ("dossier.answer", "Trả lời ý kiến thẩm định", "Answered an appraisal comment"),
    ("dossier.appraise", "Thẩm định hồ sơ cấp độ", "Appraised a level dossier"),
    ("dossier.approve", "Phê duyệt hồ sơ cấp độ", "Approved a level dossier"),
    ("dossier.attach", "Đính kèm tệp vào hồ sơ", "Attached a file to a dossier"),
    ("dossier.comment", "Ghi ý kiến thẩm định theo thành phần", "Commented on a dossier under appraisal"),
    ("dossier.create", "Lập hồ sơ cấp độ", "Opened a level dossier"),
    ("dossier.issue_document", "Ban hành văn bản từ hồ sơ cấp độ", "Issued a document from a level dossier"),
    ("dossier.package", "Đóng gói hồ sơ cấp độ để gửi thẩm định", "Packed a level dossier for the appraiser"),
    (
        "dossier.package_receipt",
        "Ghi nhận nơi thẩm định đã nhận gói hồ sơ",
        "Recorded the appraiser's receipt of a dossier package",
    ),
    ("dossier.part_na", "Ghi thành phần hồ sơ không áp dụng", "Declared a dossier part not applicable"),
    ("dossier.return", "Trả lại hồ sơ cấp độ", "Returned a level dossier"),
    ("dossier.submit", "Gửi thẩm định hồ sơ cấp độ", "Submitted a level dossier"),
    ("dossier.update", "Sửa hồ sơ cấp độ", "Edited a level dossier"),
    ("filter.delete", "Xóa bộ lọc đã lưu", "Deleted a saved filter"),
    ("filter.save", "Lưu bộ lọc", "Saved a filter"),
    ("finding.move", "Chuyển trạng thái phát hiện", "Moved a finding"),
    ("incident.create", "Báo cáo sự cố", "Reported an incident"),
    ("incident.file", "Đính kèm tệp vào sự cố", "Attached a file to an incident"),
    ("incident.link", "Liên kết sự cố", "Linked incidents"),
    ("incident.merge", "Gộp sự cố trùng", "Merged duplicate incidents"),
    ("incident.note", "Ghi chú vào sự cố", "Added a note to an incident"),
    ("incident.observable", "Thêm dấu hiệu nhận biết", "Added an observable"),
    ("incident.report", "Gửi báo cáo sự cố", "Filed an incident report"),
    ("incident.severity", "Đánh giá lại mức độ sự cố", "Re-assessed an incident's severity"),
    ("incident.state", "Chuyển bước ứng cứu sự cố", "Moved an incident"),
    ("incident.task", "Giao nhiệm vụ ứng cứu", "Gave a response task"),
    ("incident.task_state", "Cập nhật nhiệm vụ ứng cứu", "Updated a response task"),
    ("index.model", "Lưu mô hình chấm điểm chỉ số an ninh mạng", "Kept a cybersecurity index scoring model"),
    ("indicator.define", "Định nghĩa chỉ tiêu", "Defined an indicator"),
    (
        "indicator.snapshot",
        "Tính và lưu số liệu chỉ tiêu của kỳ",
        "Computed and kept an indicator's figures for a period",
    ),
    ("indicator.value", "Nhập số liệu chỉ tiêu", "Entered an indicator figure"),
    (
        "network.apply",
        "Đăng ký, cập nhật thông tin mạng lưới ứng cứu sự cố",
        "Applied to or updated the response network",
    ),
    ("network.decide", "Quyết định về thành viên mạng lưới ứng cứu sự cố", "Decided on a response network member"),
    ("obligation.file", "Đính kèm bằng chứng nghĩa vụ định kỳ", "Attached evidence of a recurring duty"),
    ("obligation.record", "Ghi nhận thực hiện nghĩa vụ định kỳ", "Recorded a recurring duty as done"),
    ("obligation.rule", "Sửa chu kỳ nghĩa vụ định kỳ", "Changed a recurring duty's period"),
    ("plan.budget_share", "Đặt tỷ lệ kinh phí an ninh mạng tối thiểu", "Set the least cybersecurity budget share"),
    ("plan.create", "Nhập kế hoạch và bảng phân công nhiệm vụ", "Imported a plan and its task table"),
    ("plan.map_name", "Gán tên đơn vị trong kế hoạch với đơn vị", "Mapped a plan's unit name to units"),
    ("plan.progress", "Báo cáo tiến độ nhiệm vụ kế hoạch", "Reported progress on a plan task"),
    ("plan.progress_file", "Đính kèm bằng chứng báo cáo tiến độ", "Attached evidence to a progress report"),
    ("plan.progress_import", "Nhập các báo cáo tiến độ kế hoạch", "Imported plan progress reports"),
    ("public_report.convert", "Chuyển phản ánh thành sự cố", "Turned a public report into an incident"),
    ("public_report.route", "Chuyển phản ánh cho đơn vị", "Routed a public report"),
    ("public_report.state", "Cập nhật phản ánh", "Updated a public report"),
    ("public_report.submit", "Người dân gửi phản ánh", "A public report was sent"),
    ("ranking.compute", "Tính bảng xếp hạng chỉ số an ninh mạng", "Computed a cybersecurity index ranking"),
    ("ranking.publish", "Công bố bảng xếp hạng", "Published a ranking"),
    ("registry.required_details", "Chọn thông tin bắt buộc của hệ thống", "Chose the details every system must hold"),
    ("remediation_policy.update", "Sửa thời hạn khắc phục", "Changed the remediation policy"),
    ("report_round.open", "Mở đợt báo cáo định kỳ", "Opened a periodic report round"),
    ("role.grant", "Giao vai trò", "Granted a role"),
    ("role.revoke", "Thu hồi vai trò", "Revoked a role"),
    ("ruleset.authority", "Chọn cơ quan thẩm định, phê duyệt theo cấp độ", "Set the appraiser and approver of a level"),
    ("ruleset.bodies", "Ghi tên cơ quan thẩm định, phê duyệt", "Named the appraising and approving bodies"),
    ("ruleset.clocks", "Sửa thời hạn báo cáo sự cố", "Changed the incident reporting deadlines"),
    (
        "ruleset.manager_check",
        "Chọn loại đơn vị do lãnh đạo kiểm tra hồ sơ trước khi gửi",
        "Chose the unit types whose manager checks dossiers before they go",
    ),
    ("scan.import", "Nhập báo cáo quét lỗ hổng", "Imported a vulnerability scan"),
    ("staff.certificate", "Ghi chứng chỉ của cán bộ chuyên trách", "Recorded a specialist's certificate"),
    ("staff.record", "Thêm cán bộ làm công tác an ninh mạng", "Added a security staff member"),
    ("staff.update", "Sửa thông tin cán bộ an ninh mạng", "Edited a security staff member"),
    ("system.create", "Đăng ký hệ thống thông tin", "Registered an information system"),
    ("system.details", "Sửa thông tin bổ sung của hệ thống", "Edited a system's details"),
    ("system.exception", "Ghi ngoại lệ cho phép vận hành", "Recorded a go-live exception"),
    ("system.inventory", "Nhập danh mục tài sản của hệ thống", "Imported a system's inventory"),
    ("system.status", "Chuyển trạng thái hệ thống", "Changed a system's status"),
    ("system.update", "Sửa thông tin hệ thống", "Edited a system"),
    ("taxii.access", "Cấp quyền truy cập bộ sưu tập TAXII", "Set access to a TAXII collection"),
    ("taxii.add", "Công bố lên bộ sưu tập TAXII", "Published to a TAXII collection"),
    ("taxii.collection", "Tạo bộ sưu tập TAXII", "Created a TAXII collection"),
    ("taxii.delete", "Gỡ khỏi bộ sưu tập TAXII", "Removed from a TAXII collection"),
    ("taxii.remote", "Thêm nơi nhận TAXII", "Added a TAXII remote"),
    (
        "telemetry.attribute",
        "Gán cảnh báo, IP botnet chưa rõ đơn vị theo dải IP mới đăng ký",
        "Attributed unattributed alerts and botnet IPs by newly registered ranges",
    ),
    ("telemetry.retention", "Đặt thời gian lưu dữ liệu giám sát", "Set how long monitoring data is kept"),
    ("token.create", "Cấp khóa API", "Issued an API token"),
    ("token.revoke", "Thu hồi khóa API", "Revoked an API token"),
    ("training.follow_up", "Giao việc cần làm sau diễn tập, tập huấn", "Gave a follow-up of a drill or training"),
    (
        "training.follow_up_done",
        "Hoàn thành việc sau diễn tập, tập huấn",
        "Completed a follow-up of a drill or training",
    ),
    ("training.record", "Ghi nhận tập huấn, diễn tập, tuyên truyền", "Recorded a training, drill or campaign"),
    ("unit.activate", "Kích hoạt lại đơn vị", "Reactivated a unit"),
    ("unit.create", "Thêm đơn vị", "Added a unit"),
    ("unit.deactivate", "Ngừng hoạt động đơn vị", "Deactivated a unit"),
    ("unit.move", "Chuyển đơn vị sang đơn vị cấp trên khác", "Moved a unit under another parent"),
    ("unit.update", "Sửa thông tin đơn vị", "Edited a unit"),
    ("unit_report.accept", "Tiếp nhận báo cáo định kỳ của đơn vị", "Accepted a unit's periodic report"),
    ("unit_report.return", "Trả lại báo cáo định kỳ của đơn vị", "Returned a unit's periodic report"),
    ("unit_report.save", "Lưu dự thảo báo cáo định kỳ", "Saved a periodic report draft"),
    ("unit_report.submit", "Nộp báo cáo định kỳ", "Submitted a periodic report"),
    ("user.activate", "Mở lại tài khoản", "Reactivated an account"),
    ("user.create", "Tạo tài khoản", "Created an account"),
    ("user.deactivate", "Khóa tài khoản", "Deactivated an account"),
    ("user.password", "Đổi mật khẩu", "Changed a password"),
    ("user.update", "Sửa tài khoản", "Edited an account"),
    ("watchlist.import", "Nhập danh sách theo dõi (STIX)", "Imported the watch list (STIX)"),
];

/// (code, Vietnamese, English) of every audited entity type.
pub const ENTITIES: &[(&str, &str, &str)] = &[
    ("api_token", "Khóa API", "API token"),
    ("assessment", "Đợt đánh giá", "Assessment"),
    ("botnet_case", "Vụ việc IP nhiễm botnet", "Botnet case"),
    ("budget_project", "Dự án, kinh phí an ninh mạng", "Project budget"),
    ("catalogue", "Danh mục yêu cầu", "Catalogue"),
    ("certificate", "Chữ ký số, chứng thư số", "Certificate"),
    ("connection", "Kết nối chia sẻ dữ liệu", "Data-sharing connection"),
    ("consultation", "Dự thảo lấy ý kiến", "Draft for comments"),
    ("document_template", "Mẫu văn bản", "Document template"),
    ("dossier", "Hồ sơ cấp độ", "Level dossier"),
    ("finding", "Phát hiện", "Finding"),
    ("finding_scan", "Báo cáo quét", "Scan report"),
    ("holiday", "Ngày nghỉ", "Holiday"),
    ("incident", "Sự cố", "Incident"),
    ("index_model", "Mô hình chỉ số", "Index model"),
    ("indicator", "Chỉ tiêu", "Indicator"),
    ("network_member", "Thành viên mạng lưới ứng cứu", "Response network member"),
    ("plan", "Kế hoạch", "Plan"),
    ("plan_task", "Nhiệm vụ kế hoạch", "Plan task"),
    ("public_report", "Phản ánh", "Public report"),
    ("ranking", "Bảng xếp hạng", "Ranking"),
    ("remediation_policy", "Thời hạn khắc phục", "Remediation policy"),
    ("report_round", "Đợt báo cáo định kỳ", "Periodic report round"),
    ("role_assignment", "Vai trò", "Role"),
    ("ruleset", "Bộ quy định", "Ruleset"),
    ("saved_filter", "Bộ lọc đã lưu", "Saved filter"),
    ("security_staff", "Cán bộ an ninh mạng", "Security staff member"),
    ("system", "Hệ thống thông tin", "Information system"),
    ("taxii_collection", "Bộ sưu tập TAXII", "TAXII collection"),
    ("telemetry_alert", "Cảnh báo giám sát an ninh mạng", "Security monitoring alert"),
    ("telemetry_retention", "Thời gian lưu dữ liệu giám sát", "Monitoring data retention"),
    ("training", "Tập huấn, diễn tập", "Training or drill"),
    ("unit", "Đơn vị", "Unit"),
    ("unit_report", "Báo cáo định kỳ của đơn vị", "Unit's periodic report"),
    ("user", "Tài khoản", "Account"),
    ("watchlist", "Danh sách theo dõi", "Watch list"),
];

fn find(table: &'static [(&str, &str, &str)], code: &str, lang: Lang) -> Option<&'static str> {
    table.iter().find(|(c, _, _)| *c == code).map(|(_, vi, en)| lang.pick(vi, en))
}

/// What an audit action means in `lang`; none for a code not listed.
pub fn action_label(code: &str, lang: Lang) -> Option<&'static str> {
    find(ACTIONS, code, lang)
}

/// What an audited entity type is in `lang`; none for a code not listed.
pub fn entity_label(code: &str, lang: Lang) -> Option<&'static str> {
    find(ENTITIES, code, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_once_and_sorted() {
        for table in [ACTIONS, ENTITIES] {
            let codes: Vec<&str> = table.iter().map(|(c, _, _)| *c).collect();
            let mut sorted = codes.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(codes, sorted);
        }
        assert_eq!(action_label("dossier.approve", Lang::Vi), Some("Phê duyệt hồ sơ cấp độ"));
        assert_eq!(entity_label("finding_scan", Lang::En), Some("Scan report"));
        assert_eq!(action_label("nothing.here", Lang::Vi), None);
    }
}
