//! The fields a dossier's documents offer to the authority's own templates (issue 17.2), with
//! what each is and an example (the preview's demo system), and their values for a dossier.
//! Every document type offers the same fields: a template uses those its text needs.

use super::dossier_forms::FormRequest;
use khien_domain::calendar::display_opt;
use khien_domain::system::dossier::DossierAction;
use khien_domain::system::dossier_form::legal_basis;
use khien_domain::system::SystemType;
use khien_domain::Lang;
use khien_formats::docx::{date_line, signature_position};
use khien_formats::docx_template::{Catalogue, FieldSpec, ListSpec, Values};
use khien_store::DossierFormContext;
use std::collections::HashMap;

const fn f(name: &'static str, label: &'static str, example: &'static str) -> FieldSpec {
    FieldSpec { name, label, example }
}

const FIELDS: &[FieldSpec] = &[
    f("van_ban.so", "Số, ký hiệu của văn bản", "15/UBND-VP"),
    f("van_ban.ngay", "Ngày ban hành (dd/mm/yyyy)", "07/12/2026"),
    f("van_ban.dia_danh_ngay", "Địa danh và ngày tháng năm", "Hải Phòng, ngày 07 tháng 12 năm 2026"),
    f("van_ban.mau", "Số mẫu theo Phụ lục NĐ 331", "Mẫu số 02"),
    f("van_ban.ten_loai", "Tên văn bản", "Văn bản đề nghị thẩm định hồ sơ đề xuất cấp độ"),
    f("don_vi.ten", "Đơn vị vận hành (đơn vị sở hữu hệ thống)", "Ủy ban nhân dân phường Hồng Bàng"),
    f("don_vi.co_quan_cap_tren", "Cơ quan cấp trên của đơn vị", "Ủy ban nhân dân thành phố Hải Phòng"),
    f("don_vi.nguoi_dung_dau", "Người đứng đầu đơn vị", "Nguyễn Văn An"),
    f("don_vi.chuc_vu", "Chức vụ người đứng đầu", "Chủ tịch"),
    f("chu_quan.ten", "Chủ quản hệ thống thông tin", "Ủy ban nhân dân thành phố Hải Phòng"),
    f("don_vi_chuyen_trach.ten", "Đơn vị chuyên trách về an ninh mạng", "Phòng An ninh mạng, Công an thành phố"),
    f("he_thong.ten", "Tên hệ thống", "Cổng dịch vụ công phường Hồng Bàng"),
    f("he_thong.ma", "Mã hệ thống", "HB-DVC"),
    f("he_thong.loai", "Loại hệ thống", "Phục vụ người dân, doanh nghiệp"),
    f("he_thong.muc_dich", "Mục đích, phạm vi", "Tiếp nhận và trả kết quả thủ tục hành chính"),
    f("he_thong.noi_dat", "Nơi đặt hệ thống", "Trung tâm dữ liệu thành phố"),
    f("he_thong.dai_ip", "Dải địa chỉ IP", "10.20.1.0/24"),
    f("he_thong.ten_mien", "Tên miền", "dichvucong.hongbang.gov.vn"),
    f("he_thong.nha_cung_cap", "Nhà cung cấp", "Công ty Cổ phần Phần mềm Hải Phòng"),
    f("he_thong.quy_che", "Quyết định ban hành quy chế bảo đảm an ninh mạng", "15/QĐ-UBND ngày 02/3/2026"),
    f("ho_so.cap_do_de_xuat", "Cấp độ đề xuất", "3"),
    f("ho_so.cap_do_goi_y", "Cấp độ theo tiêu chí (Khiên xác định)", "3"),
    f("ho_so.ly_do", "Căn cứ, lý do đề xuất cấp độ", "Hệ thống giải quyết thủ tục hành chính"),
    f("ho_so.trang_thai", "Trạng thái hồ sơ", "Đã gửi thẩm định"),
    f("ho_so.ngay_gui", "Ngày gửi thẩm định", "01/12/2026"),
    f("ho_so.ngay_tham_dinh", "Ngày thẩm định", "05/12/2026"),
    f("ho_so.ngay_phe_duyet", "Ngày phê duyệt", "07/12/2026"),
    f("ho_so.so_quyet_dinh", "Số quyết định phê duyệt", "125/QĐ-UBND"),
    f("ho_so.nguoi_ky_quyet_dinh", "Người ký quyết định phê duyệt", "Nguyễn Văn An"),
    f("ho_so.van_ban_de_nghi", "Văn bản đề nghị thẩm định gửi Bộ (cấp độ 4, 5)", "12/UBND-VP ngày 01/12/2026"),
    f("ho_so.van_ban_tham_dinh", "Văn bản kết quả thẩm định của Bộ (cấp độ 4, 5)", "1234/A05-P3"),
    f("ho_so.y_kien_tham_dinh", "Ý kiến thẩm định đã ghi", "Hồ sơ đầy đủ, cấp độ đề xuất phù hợp."),
    f("can_cu.luat", "Luật làm căn cứ", "Luật An ninh mạng số 116/2025/QH15"),
    f("can_cu.nghi_dinh", "Nghị định làm căn cứ", "Nghị định số 331/2026/NĐ-CP ngày 19 tháng 8 năm 2026"),
    f("tieu_chuan", "Tiêu chuẩn quốc gia áp dụng", "TCVN 14423:2026"),
    f("nguoi_ky.ten", "Họ tên người ký", "Nguyễn Văn An"),
    f("nguoi_ky.chuc_vu", "Quyền hạn, chức vụ người ký", "CHỦ TỊCH"),
];

const PART_FIELDS: &[FieldSpec] = &[
    f("stt", "Số thứ tự", "1"),
    f("ten", "Thành phần hồ sơ", "Hồ sơ thiết kế"),
    f("tep", "Tên tệp (nhiều tệp cách nhau bằng dấu ;)", "thiet-ke.pdf"),
    f("sha256", "Mã SHA-256 của tệp", "9f86d081884c7d65…"),
    f("khong_ap_dung", "Lý do không áp dụng", "Hệ thống không có thành phần này"),
];

const LISTS: &[ListSpec] = &[ListSpec { name: "thanh_phan", label: "Thành phần hồ sơ", items: PART_FIELDS }];

/// What every dossier document offers a template.
pub const CATALOGUE: Catalogue = Catalogue { fields: FIELDS, lists: LISTS };

fn some(v: impl Into<String>) -> Option<String> {
    Some(v.into()).filter(|s: &String| !s.trim().is_empty())
}

/// A dossier's values for the fields, as the document `req` would carry them.
pub fn form_values(ctx: &DossierFormContext, req: &FormRequest<'_>) -> Values {
    let (d, s, rs) = (&ctx.dossier, &ctx.system, &ctx.ruleset);
    let basis = legal_basis(rs);
    let latest_appraisal =
        ctx.opinions.iter().rev().find(|o| o.step == DossierAction::Appraise).map(|o| o.opinion.clone());
    let place = super::incident_docs::place(req.place_name, &ctx.owner.root_name);
    let ground = |word: &str| {
        basis.grounds.iter().find(|g| g.contains(word)).map(|g| g.trim_start_matches("Căn cứ ").to_string())
    };
    let number = super::dossier_forms::document_number(ctx, req);
    let date = |v: &Option<String>| v.as_deref().map(|x| display_opt(Some(x)));
    let mut fields: HashMap<String, Option<String>> = HashMap::new();
    let mut put = |k: &str, v: Option<String>| {
        fields.insert(k.to_string(), v);
    };
    put("van_ban.so", number);
    put("van_ban.ngay", some(req.date.format("%d/%m/%Y").to_string()));
    put("van_ban.dia_danh_ngay", some(date_line(&place, req.date)));
    put("van_ban.mau", req.form.annex_number(rs).map(str::to_string));
    put("van_ban.ten_loai", some(req.form.label(Lang::Vi)));
    put("don_vi.ten", some(ctx.owner.unit_name.clone()));
    put("don_vi.co_quan_cap_tren", ctx.owner.parent_name.clone());
    put("don_vi.nguoi_dung_dau", ctx.owner.head_name.clone());
    put("don_vi.chuc_vu", ctx.owner.head_title.clone());
    put(
        "chu_quan.ten",
        ctx.owning_body.as_ref().map(|b| b.unit_name.clone()).or_else(|| ctx.owner.parent_name.clone()),
    );
    put("don_vi_chuyen_trach.ten", ctx.dedicated_unit.as_ref().map(|b| b.unit_name.clone()));
    put("he_thong.ten", some(s.name.clone()));
    put("he_thong.ma", some(s.code.clone()));
    put("he_thong.loai", SystemType::parse("system_type", &s.system_type).ok().map(|t| t.label(Lang::Vi).to_string()));
    put("he_thong.muc_dich", s.purpose.clone());
    put("he_thong.noi_dat", s.hosting.clone());
    put("he_thong.dai_ip", some(s.ip_ranges.join(", ")));
    put("he_thong.ten_mien", some(s.domains.join(", ")));
    put("he_thong.nha_cung_cap", s.vendor.clone());
    put("he_thong.quy_che", s.security_rules_ref.clone());
    put("ho_so.cap_do_de_xuat", some(d.proposed_level.to_string()));
    put("ho_so.cap_do_goi_y", some(d.suggested_level.to_string()));
    put("ho_so.ly_do", d.level_reason.clone());
    put("ho_so.trang_thai", some(d.state.label(Lang::Vi)));
    put("ho_so.ngay_gui", date(&d.submitted_on));
    put("ho_so.ngay_tham_dinh", date(&d.appraised_on));
    put("ho_so.ngay_phe_duyet", date(&d.approved_on));
    put("ho_so.so_quyet_dinh", d.decision_number.clone());
    put("ho_so.nguoi_ky_quyet_dinh", d.decision_signer.clone());
    put("ho_so.van_ban_de_nghi", d.appraisal_request_ref.clone());
    put("ho_so.van_ban_tham_dinh", d.appraisal_ref.clone());
    put("ho_so.y_kien_tham_dinh", latest_appraisal);
    put("can_cu.luat", ground("Luật"));
    put("can_cu.nghi_dinh", ground("Nghị định"));
    put("tieu_chuan", some(basis.standard));
    // The issuing body's head signs: the owning body for a decision, the operator for a request.
    let head = super::dossier_forms::issuer(ctx, req.form);
    put("nguoi_ky.ten", req.signer.name.clone().or_else(|| head.head_name.clone()));
    put("nguoi_ky.chuc_vu", some(signature_position(&req.signer.signing, head.head_title.as_deref())));
    let parts = ctx
        .parts
        .iter()
        .enumerate()
        .map(|(n, p)| {
            HashMap::from([
                ("stt".to_string(), Some((n + 1).to_string())),
                ("ten".to_string(), Some(p.part.label(Lang::Vi).to_string())),
                ("tep".to_string(), Some(p.files.iter().map(|f| f.file_name.clone()).collect::<Vec<_>>().join("; "))),
                ("sha256".to_string(), Some(p.files.iter().map(|f| f.sha256.clone()).collect::<Vec<_>>().join("; "))),
                ("khong_ap_dung".to_string(), Some(p.not_applicable.clone().unwrap_or_default())),
            ])
        })
        .collect();
    Values { fields, lists: HashMap::from([("thanh_phan".to_string(), parts)]) }
}
