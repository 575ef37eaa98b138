//! A dossier opinion (a return, an appraisal, an approval) as an official letter in the
//! NĐ 30/2020 layout, addressed to the owner unit: the parts examined, each with its files and
//! their SHA-256 or the owner's reason for leaving it out, then the opinion as written.

use super::incident_docs::{place, Signer};
use khien_domain::calendar::display_opt;
use khien_domain::system::dossier::DossierAction;
use khien_formats::docx::{signature_position, AdminDocument, Block};
use khien_store::{DocumentHeader, Dossier, DossierOpinion, PartStatus, System};

/// What one opinion's letter says, with the date and signer the request gives.
pub struct OpinionLetter<'a> {
    pub opinion: &'a DossierOpinion,
    pub dossier: &'a Dossier,
    pub system: &'a System,
    pub parts: &'a [PartStatus],
    /// The author's unit: the issuing body.
    pub header: &'a DocumentHeader,
}

pub fn opinion_document(
    l: &OpinionLetter<'_>,
    place_name: Option<&str>,
    signer: &Signer,
    date: chrono::NaiveDate,
) -> AdminDocument {
    let (d, s, o) = (l.dossier, l.system, l.opinion);
    let level = d.proposed_level;
    let subject = match o.step {
        DossierAction::Appraise => "kết quả thẩm định hồ sơ đề xuất cấp độ",
        DossierAction::Approve => "ý kiến phê duyệt hồ sơ đề xuất cấp độ",
        DossierAction::Return | DossierAction::Submit => "đề nghị bổ sung hồ sơ đề xuất cấp độ",
    };
    let title = format!("V/v {subject} {level} của hệ thống «{}»", s.name);
    let mut blocks = vec![Block::Paragraph(format!(
        "Căn cứ hồ sơ đề xuất cấp độ {level} của hệ thống thông tin «{}» do {} gửi ngày {}, {} có ý kiến như sau:",
        s.name,
        s.owner_unit_name,
        display_opt(d.submitted_on.as_deref()),
        l.header.unit_name
    ))];
    blocks.push(Block::Heading("I. THÀNH PHẦN HỒ SƠ ĐÃ XEM XÉT".into()));
    blocks.push(super::dossier_forms::parts_table(l.parts));
    blocks.push(Block::Heading("II. Ý KIẾN".into()));
    blocks.extend(o.opinion.lines().map(str::trim).filter(|p| !p.is_empty()).map(|p| Block::Paragraph(p.to_string())));
    if o.step == DossierAction::Approve {
        blocks.push(Block::Fields(vec![
            ("Quyết định phê duyệt số".into(), d.decision_number.clone().unwrap_or_else(|| "—".into())),
            ("Người ký quyết định".into(), d.decision_signer.clone().unwrap_or_else(|| "—".into())),
        ]));
    }
    AdminDocument {
        parent_body: l.header.parent_name.clone().unwrap_or_default(),
        issuing_body: l.header.unit_name.clone(),
        number: None,
        place: place(place_name, &l.header.root_name),
        date,
        // An official letter (công văn): no type name, the subject under the number.
        doc_type: String::new(),
        title,
        addressees: vec![s.owner_unit_name.clone()],
        blocks,
        recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
        signer_position: signature_position(&signer.signing, l.header.head_title.as_deref()),
        signer_name: signer.name.clone().unwrap_or_else(|| o.author_name.clone()),
    }
}
