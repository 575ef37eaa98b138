//! The documents of a level dossier's procedure (issue 17.1), written from the dossier's data
//! in the NĐ 30/2020 layout: under NĐ 331/2026 its annex's forms (Mẫu 01–07) and the dossier's
//! statement (Đ22); under NĐ 85/2016 the same documents citing that decree and TT 12/2022. The
//! sentences are Khiên's own, following each form's parts. Blanks the data cannot fill (the
//! operator's address, a missing opinion) are left for the hand and listed as gaps.

use super::incident_docs::{place, Signer};
use khien_domain::calendar::display_opt;
use khien_domain::system::dossier::{DossierAction, DossierState};
use khien_domain::system::dossier_form::{legal_basis, DossierForm, LegalBasis};
use khien_domain::system::level::Authority;
use khien_domain::system::{PlanStatus, SystemType};
use khien_domain::{number, Lang};
use khien_formats::docx::{signature_position, AdminDocument, Block};
use khien_store::{DocumentHeader, DossierFormContext, PartStatus};

/// A blank for the hand, as long as a short address.
const BLANK: &str = "……………………………………………";

/// What a document rests on for the appraisal: the ministry's document, else the day the
/// dossier was appraised; none before appraisal.
fn appraisal_basis(ctx: &DossierFormContext) -> Option<String> {
    ctx.dossier.appraisal_ref.clone().or_else(|| {
        ctx.dossier.appraised_on.as_deref().map(|d| format!("ý kiến thẩm định ngày {}", display_opt(Some(d))))
    })
}

/// The number a document carries: the one given at issue, else a decision's from the dossier.
pub(crate) fn document_number(ctx: &DossierFormContext, req: &FormRequest<'_>) -> Option<String> {
    let is_decision = matches!(req.form, DossierForm::LevelDecision | DossierForm::PlanDecision);
    req.number.clone().or_else(|| if is_decision { ctx.dossier.decision_number.clone() } else { None })
}

/// The request for one document: the form, and what the issuer adds.
pub struct FormRequest<'a> {
    pub form: DossierForm,
    pub number: Option<String>,
    pub signer: &'a Signer,
    pub place_name: Option<&'a str>,
    pub date: chrono::NaiveDate,
}

/// A document written from a dossier, with the facts it was filled from and what is blank.
pub struct FormDocument {
    pub document: AdminDocument,
    /// The facts as JSON: what the data version (its SHA-256) stands for.
    pub data: String,
    /// What the data could not fill, in Vietnamese (left blank for the hand).
    pub gaps: Vec<String>,
}

/// Who says what in a document: issuing body, addressee, and the facts behind them.
struct Parties<'a> {
    basis: LegalBasis,
    owner: &'a DocumentHeader,
    /// The owning body's name (chủ quản), or the owner unit's parent where none is named.
    owning: String,
    dedicated: String,
    system: String,
    level: u8,
}

fn parties(ctx: &DossierFormContext) -> Parties<'_> {
    let basis = legal_basis(&ctx.ruleset);
    let owning = ctx
        .owning_body
        .as_ref()
        .map(|b| b.unit_name.clone())
        .or_else(|| ctx.owner.parent_name.clone())
        .unwrap_or_else(|| "Chủ quản hệ thống thông tin".into());
    let dedicated = ctx
        .dedicated_unit
        .as_ref()
        .map(|b| b.unit_name.clone())
        .unwrap_or_else(|| format!("Đơn vị chuyên trách về {}", basis.term));
    Parties { basis, owner: &ctx.owner, owning, dedicated, system: ctx.system.name.clone(), level: ctx.level() }
}

/// The body issuing `form`: the operator for requests and the statement, the dedicated unit
/// (or the city's standing body) for the opinion, the owning body (or the operator's own
/// leadership) for the decisions.
pub(crate) fn issuer(ctx: &DossierFormContext, form: DossierForm) -> DocumentHeader {
    match form.issued_at() {
        DossierAction::Appraise => ctx.dedicated_unit.clone().unwrap_or_else(|| DocumentHeader {
            unit_name: ctx.owner.root_name.clone(),
            parent_name: None,
            head_name: None,
            head_title: None,
            root_name: ctx.owner.root_name.clone(),
        }),
        DossierAction::Approve => ctx.owning_body.clone().unwrap_or_else(|| ctx.owner.clone()),
        DossierAction::Submit | DossierAction::Return => ctx.owner.clone(),
    }
}

/// Each part of the dossier with its files' SHA-256, or the owner's reason it does not apply
/// (also the opinion letters' list of the parts examined).
pub(crate) fn parts_table(parts: &[PartStatus]) -> Block {
    let rows = parts
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let files = if p.files.is_empty() {
                p.not_applicable.as_ref().map(|r| format!("Không áp dụng: {r}")).unwrap_or_else(|| "Chưa có".into())
            } else {
                p.files.iter().map(|f| format!("{} (SHA-256 {})", f.file_name, f.sha256)).collect::<Vec<_>>().join("\n")
            };
            vec![(n + 1).to_string(), p.part.label(Lang::Vi).to_string(), files]
        })
        .collect();
    Block::Table { headers: vec!["STT".into(), "Thành phần hồ sơ".into(), "Tài liệu".into()], rows }
}

fn general_information(p: &Parties<'_>) -> Block {
    Block::Fields(vec![
        ("Tên hệ thống thông tin".into(), p.system.clone()),
        ("Đơn vị vận hành".into(), p.owner.unit_name.clone()),
        ("Địa chỉ".into(), BLANK.into()),
        ("Cấp độ đề xuất".into(), format!("Cấp độ {}", p.level)),
    ])
}

fn grounds(p: &Parties<'_>) -> Vec<Block> {
    p.basis.grounds.iter().map(|g| Block::Paragraph(format!("{g};"))).collect()
}

/// The latest written opinion of a step, if any.
fn latest_opinion(ctx: &DossierFormContext, step: DossierAction) -> Option<&str> {
    ctx.opinions.iter().rev().find(|o| o.step == step).map(|o| o.opinion.as_str())
}

/// A request sent by the operator (Mẫu 01, 02, 03, 05): general information, the attached
/// parts, and what is asked of the addressee.
fn request(
    ctx: &DossierFormContext,
    p: &Parties<'_>,
    form: DossierForm,
    gaps: &mut Vec<String>,
) -> (String, String, Vec<String>, Vec<Block>) {
    let term = p.basis.term;
    let (doc_type, title, to, ask) = match form {
        DossierForm::RequestAppraisalApproval => (
            "",
            "V/v đề nghị thẩm định, phê duyệt hồ sơ đề xuất cấp độ".to_string(),
            p.dedicated.clone(),
            format!("{} kính đề nghị {} thẩm định và phê duyệt hồ sơ đề xuất cấp độ {} của hệ thống thông tin «{}».", p.owner.unit_name, p.dedicated, p.level, p.system),
        ),
        DossierForm::RequestExpertOpinion => (
            "",
            "V/v cho ý kiến chuyên môn về hồ sơ đề xuất cấp độ".to_string(),
            p.dedicated.clone(),
            format!("{} kính đề nghị {} cho ý kiến về sự phù hợp của cấp độ đề xuất và của phương án bảo đảm {term} theo cấp độ đối với hệ thống thông tin «{}».", p.owner.unit_name, p.dedicated, p.system),
        ),
        DossierForm::ApprovalSubmission => (
            "Tờ trình",
            "Về việc phê duyệt hồ sơ đề xuất cấp độ".to_string(),
            p.owning.clone(),
            format!("{} kính trình {} xem xét, quyết định phê duyệt cấp độ {} của hệ thống thông tin «{}».", p.owner.unit_name, p.owning, p.level, p.system),
        ),
        _ => {
            // Level 3: the dedicated unit appraises; levels 4–5: the ministry (NĐ 331 Đ18.3).
            let appraiser = if ctx.ruleset.appraiser_at(p.level) == Authority::Ministry {
                "Bộ Công an".to_string()
            } else {
                p.dedicated.clone()
            };
            let ask = format!("{} kính đề nghị {appraiser} cho ý kiến thẩm định hồ sơ đề xuất cấp độ {} của hệ thống thông tin «{}».", p.owner.unit_name, p.level, p.system);
            ("", "V/v đề nghị thẩm định hồ sơ đề xuất cấp độ".to_string(), appraiser, ask)
        }
    };
    let mut blocks = grounds(p);
    if form == DossierForm::ApprovalSubmission {
        match appraisal_basis(ctx) {
            Some(a) => blocks.push(Block::Paragraph(format!("Căn cứ {a};"))),
            None => gaps.push("ý kiến thẩm định (hồ sơ chưa được thẩm định)".into()),
        }
    }
    blocks.push(Block::Paragraph(format!(
        "{} gửi hồ sơ đề xuất cấp độ của hệ thống thông tin với các nội dung sau:",
        p.owner.unit_name
    )));
    blocks.push(Block::Heading("Phần 1. Thông tin chung".into()));
    blocks.push(general_information(p));
    blocks.push(Block::Heading("Phần 2. Hồ sơ kèm theo".into()));
    blocks.push(parts_table(&ctx.parts));
    if form == DossierForm::ApprovalSubmission {
        match &ctx.system.security_rules_ref {
            Some(r) => {
                blocks.push(Block::Paragraph(format!("Quy chế bảo đảm {term} của hệ thống đã được ban hành: {r}.")))
            }
            None => gaps.push(format!(
                "quy chế bảo đảm {term} của hệ thống, phải ban hành trước khi hồ sơ được phê duyệt ({})",
                ctx.ruleset.article(ctx.ruleset.security_rules_article)
            )),
        }
    }
    blocks.push(Block::Paragraph(ask));
    (doc_type.to_string(), title, vec![to], blocks)
}

/// The appraisal opinion (Mẫu 04): the parts examined, the grounds, who appraised, the opinion
/// as written in Khiên and the conclusion the dossier's state gives.
fn appraisal_opinion(ctx: &DossierFormContext, p: &Parties<'_>, issuing: &str, gaps: &mut Vec<String>) -> Vec<Block> {
    let mut blocks = vec![Block::Paragraph(format!(
        "{issuing} đã nhận hồ sơ đề xuất cấp độ {} của hệ thống thông tin «{}» do {} gửi ngày {}{}. Sau khi xem xét hồ sơ, {issuing} có ý kiến thẩm định như sau:",
        p.level,
        p.system,
        p.owner.unit_name,
        display_opt(ctx.dossier.submitted_on.as_deref()),
        ctx.dossier.appraisal_request_ref.as_deref().map(|r| format!(" (văn bản số {r})")).unwrap_or_default(),
    ))];
    blocks.push(Block::Heading("Phần 1. Hồ sơ, tài liệu thẩm định".into()));
    blocks.push(parts_table(&ctx.parts));
    blocks.push(Block::Heading("Phần 2. Căn cứ pháp lý để thẩm định".into()));
    blocks.extend(grounds(p));
    blocks.push(Block::Heading("Phần 3. Tổ chức thẩm định".into()));
    blocks.push(Block::Fields(vec![
        ("Đơn vị chủ trì thẩm định".into(), issuing.to_string()),
        ("Đơn vị phối hợp thẩm định".into(), "Không".into()),
        ("Hình thức thẩm định".into(), "Xem xét hồ sơ".into()),
    ]));
    blocks.push(Block::Heading("Phần 4. Ý kiến thẩm định".into()));
    let opinion = latest_opinion(ctx, DossierAction::Appraise).or_else(|| latest_opinion(ctx, DossierAction::Return));
    match opinion {
        Some(o) => {
            blocks.extend(o.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Block::Paragraph(l.into())))
        }
        None => {
            gaps.push("ý kiến thẩm định (chưa ghi trong Khiên)".into());
            blocks.push(Block::Paragraph(BLANK.into()));
        }
    }
    blocks.push(Block::Heading("Phần 5. Kết luận".into()));
    let conclusion = match ctx.dossier.state {
        DossierState::Appraised | DossierState::Approved => {
            format!("Hồ sơ đề xuất cấp độ của hệ thống thông tin «{}» phù hợp để xác định cấp độ {} như đề xuất.", p.system, p.level)
        }
        DossierState::Returned => format!(
            "Hồ sơ đề xuất cấp độ của hệ thống thông tin «{}» chưa phù hợp; đề nghị hoàn thiện các nội dung nêu tại Phần 4.",
            p.system
        ),
        _ => {
            gaps.push("kết luận thẩm định (hồ sơ chưa được thẩm định)".into());
            BLANK.into()
        }
    };
    blocks.push(Block::Paragraph(conclusion));
    blocks.push(Block::Paragraph(format!(
        "Đề nghị {} trình cấp có thẩm quyền phê duyệt nếu hồ sơ phù hợp, hoặc hoàn thiện hồ sơ theo ý kiến trên.",
        p.owner.unit_name
    )));
    blocks
}

/// A decision of the owning body (Mẫu 06 approves the level, Mẫu 07 the protection plan).
fn decision(ctx: &DossierFormContext, p: &Parties<'_>, form: DossierForm, head: &DocumentHeader) -> Vec<Block> {
    let term = p.basis.term;
    let head_line = format!("{} {}", head.head_title.as_deref().unwrap_or("Thủ trưởng"), head.unit_name).to_uppercase();
    let mut blocks = vec![Block::Centered(head_line)];
    blocks.extend(grounds(p));
    blocks.push(Block::Paragraph(match appraisal_basis(ctx) {
        Some(a) => format!("Xét đề nghị của {} và {a}.", p.owner.unit_name),
        None => format!("Xét đề nghị của {}.", p.owner.unit_name),
    }));
    blocks.push(Block::Centered("QUYẾT ĐỊNH:".into()));
    let what = if form == DossierForm::PlanDecision {
        format!("Điều 1. Phê duyệt phương án bảo đảm {term} của hệ thống thông tin «{}» như sau:", p.system)
    } else {
        format!("Điều 1. Phê duyệt cấp độ của hệ thống thông tin «{}» như sau:", p.system)
    };
    blocks.push(Block::Paragraph(what));
    blocks.push(Block::Fields(vec![
        ("Tên hệ thống thông tin".into(), p.system.clone()),
        ("Đơn vị vận hành".into(), p.owner.unit_name.clone()),
        ("Địa chỉ".into(), BLANK.into()),
        ("Cấp độ".into(), format!("Cấp độ {}", p.level)),
    ]));
    blocks.push(Block::Paragraph(format!(
        "Phương án bảo đảm {term} trong thiết kế và trong vận hành của hệ thống tương ứng với cấp độ {} phù hợp với tiêu chuẩn quốc gia {}.",
        p.level, p.basis.standard
    )));
    blocks.push(Block::Paragraph(format!(
        "Điều 2. {} có trách nhiệm bảo đảm {term} cho hệ thống theo quy định tại {}, triển khai đầy đủ phương án đã được phê duyệt trước khi đưa hệ thống vào vận hành.",
        p.owner.unit_name, p.basis.operator_duties
    )));
    blocks.push(Block::Paragraph(format!(
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. {}, {} và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này; {} kiểm tra, giám sát việc thực hiện.",
        p.owner.unit_name, p.dedicated, p.dedicated
    )));
    blocks
}

/// The dossier's statement (NĐ 331 Đ22; TT 12 Đ8): overview, level proposal, protection plan,
/// and the parts with their files.
fn statement(ctx: &DossierFormContext, p: &Parties<'_>) -> Vec<Block> {
    let s = &ctx.system;
    let or_dash = |v: &Option<String>| v.clone().filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "—".into());
    let list = |v: &[String]| if v.is_empty() { "—".to_string() } else { v.join(", ") };
    let yes = |b: bool| if b { "Có" } else { "Không" }.to_string();
    let system_type = SystemType::parse("system_type", &s.system_type).map(|t| t.label(Lang::Vi)).unwrap_or("—");
    let plan = PlanStatus::parse("plan_status", &s.plan_status).map(|t| t.label(Lang::Vi)).unwrap_or("—");
    let head = match (&p.owner.head_title, &p.owner.head_name) {
        (Some(t), Some(n)) => format!("{n}, {t}"),
        (None, Some(n)) => n.clone(),
        _ => "—".into(),
    };
    vec![
        Block::Heading("I. TỔNG QUAN VỀ HỆ THỐNG THÔNG TIN".into()),
        Block::Fields(vec![
            ("Tên hệ thống".into(), s.name.clone()),
            ("Mã hệ thống".into(), s.code.clone()),
            ("Chủ quản hệ thống thông tin".into(), p.owning.clone()),
            ("Đơn vị vận hành".into(), p.owner.unit_name.clone()),
            ("Người đại diện".into(), head),
            ("Mục đích, phạm vi".into(), or_dash(&s.purpose)),
            ("Loại hệ thống".into(), system_type.to_string()),
            ("Trạng thái".into(), s.status.label(Lang::Vi).to_string()),
            ("Nơi đặt hệ thống".into(), or_dash(&s.hosting)),
            ("Dải địa chỉ IP".into(), list(&s.ip_ranges)),
            ("Tên miền".into(), list(&s.domains)),
            ("Nhà cung cấp".into(), or_dash(&s.vendor)),
        ]),
        Block::Heading("II. THUYẾT MINH ĐỀ XUẤT CẤP ĐỘ".into()),
        Block::Fields(vec![
            ("Xử lý thông tin riêng".into(), yes(s.info_private)),
            ("Xử lý thông tin cá nhân".into(), yes(s.info_personal)),
            ("Số chủ thể dữ liệu cá nhân cơ bản".into(), number::grouped(s.subjects_basic)),
            ("Số chủ thể dữ liệu cá nhân nhạy cảm".into(), number::grouped(s.subjects_sensitive)),
            ("Giải quyết thủ tục hành chính".into(), yes(s.admin_procedures)),
            ("Cấp độ theo tiêu chí (Khiên xác định)".into(), format!("Cấp độ {}", ctx.dossier.suggested_level)),
            ("Cấp độ đề xuất".into(), format!("Cấp độ {}", p.level)),
            ("Căn cứ đề xuất".into(), or_dash(&ctx.dossier.level_reason)),
            ("Văn bản áp dụng".into(), ctx.ruleset.name.to_string()),
        ]),
        Block::Heading(format!("III. PHƯƠNG ÁN BẢO ĐẢM {}", p.basis.term.to_uppercase())),
        Block::Fields(vec![
            ("Tiêu chuẩn áp dụng".into(), p.basis.standard.to_string()),
            ("Tình trạng triển khai".into(), plan.to_string()),
            ("Quy chế bảo đảm của hệ thống".into(), or_dash(&s.security_rules_ref)),
        ]),
        Block::Heading("IV. THÀNH PHẦN HỒ SƠ KÈM THEO".into()),
        parts_table(&ctx.parts),
    ]
}

/// Writes `req.form` from the dossier's data.
pub fn form_document(ctx: &DossierFormContext, req: &FormRequest<'_>) -> FormDocument {
    let p = parties(ctx);
    let head = issuer(ctx, req.form);
    let mut gaps = vec!["địa chỉ của đơn vị vận hành".to_string()];
    let (doc_type, title, addressees, blocks) = match req.form {
        DossierForm::Statement => (
            "Thuyết minh".to_string(),
            format!("Hồ sơ đề xuất cấp độ {} của hệ thống thông tin «{}»", p.level, p.system),
            Vec::new(),
            statement(ctx, &p),
        ),
        DossierForm::AppraisalOpinion => (
            String::new(),
            "V/v ý kiến thẩm định hồ sơ đề xuất cấp độ".to_string(),
            vec![p.owner.unit_name.clone()],
            appraisal_opinion(ctx, &p, &head.unit_name, &mut gaps),
        ),
        DossierForm::LevelDecision => (
            "Quyết định".to_string(),
            "Về việc phê duyệt cấp độ hệ thống thông tin".to_string(),
            Vec::new(),
            decision(ctx, &p, req.form, &head),
        ),
        DossierForm::PlanDecision => (
            "Quyết định".to_string(),
            format!("Về việc phê duyệt phương án bảo đảm {} hệ thống thông tin", p.basis.term),
            Vec::new(),
            decision(ctx, &p, req.form, &head),
        ),
        form => request(ctx, &p, form, &mut gaps),
    };
    let signer_name = req.signer.name.clone().or_else(|| head.head_name.clone());
    if signer_name.is_none() {
        gaps.push("họ tên người ký (đơn vị chưa ghi người đứng đầu)".into());
    }
    let is_decision = matches!(req.form, DossierForm::LevelDecision | DossierForm::PlanDecision);
    let number = document_number(ctx, req);
    let recipients = if is_decision {
        vec!["Như Điều 3;".into(), "Lưu: VT.".into()]
    } else {
        vec!["Như trên;".into(), "Lưu: VT.".into()]
    };
    let document = AdminDocument {
        parent_body: head.parent_name.clone().unwrap_or_default(),
        issuing_body: head.unit_name.clone(),
        number,
        place: place(req.place_name, &ctx.owner.root_name),
        date: req.date,
        doc_type,
        title,
        addressees,
        blocks,
        recipients,
        signer_position: signature_position(&req.signer.signing, head.head_title.as_deref()),
        signer_name: signer_name.unwrap_or_default(),
    };
    let data = serde_json::json!({
        "form": req.form,
        "annex": req.form.annex_number(&ctx.ruleset),
        "ruleset": ctx.ruleset.code,
        "number": document.number,
        "date": req.date,
        "place": document.place,
        "signer": { "position": document.signer_position, "name": document.signer_name },
        "issuer": head,
        "dossier": ctx.dossier,
        "system": ctx.system,
        "parts": ctx.parts,
        "opinions": ctx.opinions,
        "owner": ctx.owner,
        "owning_body": ctx.owning_body,
        "dedicated_unit": ctx.dedicated_unit,
    });
    FormDocument { document, data: data.to_string(), gaps }
}
