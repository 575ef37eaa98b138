//! The initial and closing incident reports as administrative documents (NĐ 30/2020 layout),
//! filled from the incident record: the fields of QĐ 05/2017 Đ11.4 for the initial report, the
//! timeline, reports and times for the closing one.

use khien_domain::incident::DocumentKind;
use khien_domain::time::display_vn;
use khien_domain::Error;
use khien_domain::Lang;
use khien_formats::docx::{signature_position, AdminDocument, Block, Signing};
use khien_store::{DocumentHeader, IncidentDetail};

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

/// The place line's name (NĐ 30/2020 Phụ lục I II.4a): the configured place name, else the
/// root unit's name whole — never cut, since names after a person, a number or an event are
/// written in full ("Thành phố Hồ Chí Minh").
pub(crate) fn place(configured: Option<&str>, root: &str) -> String {
    configured.map(str::trim).filter(|p| !p.is_empty()).unwrap_or(root).to_string()
}

/// The `signing` codes a document request takes, in the order the form offers them.
pub const SIGNING_CODES: [&str; 6] = ["head", "acting", "deputy", "by_order", "authorized", "collective"];

/// Who signs a generated document and with what authority (NĐ 30/2020 Phụ lục I II.7b).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub signing: Signing,
    /// The signer's name when not the unit's head.
    pub name: Option<String>,
}

fn given(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

impl Signer {
    /// From the request's `signing`, `signer_title`, `signer_name` and `collective`; an authority
    /// that needs a title or a body without one is refused, naming the field.
    pub fn new(
        signing: Option<&str>,
        signer_title: Option<&str>,
        signer_name: Option<&str>,
        collective: Option<&str>,
    ) -> Result<Signer, Error> {
        let title = given(signer_title);
        let needs_title = || {
            title.clone().ok_or_else(|| {
                Error::invalid(
                    "signer_title",
                    "Ghi chức vụ của người ký (ký thay, thừa lệnh, thừa ủy quyền).",
                    "Give the signer's title (signing for, by order of or under authorisation of the head).",
                )
            })
        };
        let signing = match signing.map(str::trim).unwrap_or("") {
            "" | "head" => Signing::Head,
            "acting" => Signing::Acting,
            "deputy" => Signing::Deputy { title: needs_title()? },
            "by_order" => Signing::ByOrder { title: needs_title()? },
            "authorized" => Signing::Authorized { title: needs_title()? },
            "collective" => Signing::Collective {
                body: given(collective).ok_or_else(|| {
                    Error::invalid(
                        "collective",
                        "Ghi tên tập thể lãnh đạo được ký thay mặt (TM.), ví dụ Ủy ban nhân dân.",
                        "Give the collective body signed for (TM.), e.g. Ủy ban nhân dân.",
                    )
                })?,
                deputy_title: title.clone(),
            },
            _ => {
                return Err(Error::invalid(
                    "signing",
                    "Quyền hạn ký là head, acting, deputy, by_order, authorized hoặc collective.",
                    "The signing authority is head, acting, deputy, by_order, authorized or collective.",
                ))
            }
        };
        Ok(Signer { signing, name: given(signer_name) })
    }

    /// Whether the head signs in person, so the head's recorded name goes under the signature;
    /// anyone else's name is theirs to give (left blank otherwise).
    pub(crate) fn signs_as_head(&self) -> bool {
        matches!(self.signing, Signing::Head | Signing::Collective { deputy_title: None, .. })
    }
}

pub fn incident_document(
    kind: DocumentKind,
    d: &IncidentDetail,
    h: &DocumentHeader,
    place_name: Option<&str>,
    signer: &Signer,
    date: chrono::NaiveDate,
) -> AdminDocument {
    let i = &d.incident;
    let vi = Lang::Vi;
    let category = i.category.label(vi).to_string();
    let systems = if d.systems.is_empty() {
        "—".to_string()
    } else {
        d.systems
            .iter()
            .map(|s| {
                format!(
                    "{} — {}{}",
                    s.code,
                    s.name,
                    s.approved_level.map(|l| format!(" (cấp độ {l})")).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let severity = format!(
        "{}; mức ưu tiên {}",
        if i.serious { "Nghiêm trọng (QĐ 05/2017 Điều 9)" } else { "Không nghiêm trọng" },
        i.priority
    );
    let mut blocks = vec![Block::Heading("I. THÔNG TIN CHUNG".into())];
    blocks.push(Block::Fields(vec![
        ("Mã sự cố".into(), i.code.clone()),
        ("Đơn vị báo cáo".into(), i.unit_name.clone()),
        ("Địa chỉ đơn vị vận hành".into(), text(&i.operator_address)),
        ("Cơ quan chủ quản".into(), text(&i.owning_body)),
        ("Hệ thống bị sự cố".into(), systems),
        ("Thời điểm phát hiện".into(), display_vn(i.detected_at)),
        ("Thời điểm báo cáo".into(), display_vn(i.reported_at)),
        (
            "Người liên hệ".into(),
            [i.reporter_name.clone(), i.reporter_position.clone(), i.reporter_contact.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" — "),
        ),
        ("Loại sự cố".into(), category),
        ("Đánh giá sơ bộ mức độ".into(), severity),
    ]));
    match kind {
        DocumentKind::Initial => {
            blocks.push(Block::Heading("II. MÔ TẢ SỰ CỐ".into()));
            blocks.push(Block::Fields(vec![
                ("Dấu hiệu, hiện tượng".into(), text(&i.symptoms)),
                ("Phạm vi lây lan".into(), text(&i.spread)),
                ("Ảnh hưởng".into(), text(&i.impact)),
                ("Nhà cung cấp dịch vụ hạ tầng, viễn thông".into(), text(&i.provider)),
            ]));
            blocks.push(Block::Heading("III. XỬ LÝ BAN ĐẦU".into()));
            blocks.push(Block::Fields(vec![
                ("Biện pháp đã thực hiện".into(), text(&i.measures_taken)),
                ("Biện pháp dự kiến".into(), text(&i.measures_planned)),
                ("Tổ chức đã hỗ trợ và kết quả".into(), text(&i.help_received)),
                ("Kết quả xử lý ban đầu".into(), text(&i.initial_results)),
                ("Kiến nghị".into(), text(&i.recommendations)),
            ]));
        }
        DocumentKind::Closing => {
            let state = i.state.label(vi).to_string();
            let when = |v: Option<i64>| v.map(display_vn).unwrap_or_else(|| "—".into());
            blocks.push(Block::Heading("II. QUÁ TRÌNH ỨNG CỨU".into()));
            blocks.push(Block::Fields(vec![
                ("Trạng thái".into(), state),
                ("Phân loại, xác minh".into(), when(i.triaged_at)),
                ("Ngăn chặn xong".into(), when(i.contained_at)),
                ("Kết thúc ứng cứu".into(), when(i.response_ended_at)),
                ("Đóng sự cố".into(), when(i.closed_at)),
                ("Biện pháp đã thực hiện".into(), text(&i.measures_taken)),
                ("Kiến nghị".into(), text(&i.recommendations)),
            ]));
            let reports: Vec<Vec<String>> = d
                .reports
                .iter()
                .map(|r| vec![display_vn(r.filed_at), r.kind.to_string(), r.author_label.clone(), r.body.clone()])
                .collect();
            blocks.push(Block::Heading("III. CÁC BÁO CÁO ĐÃ GỬI".into()));
            blocks.push(Block::Table {
                headers: vec!["Thời điểm".into(), "Loại".into(), "Người gửi".into(), "Nội dung".into()],
                rows: reports,
            });
            let tasks: Vec<Vec<String>> = d
                .tasks
                .iter()
                .map(|t| {
                    vec![
                        t.unit_name.clone(),
                        t.title.clone(),
                        t.due_on.clone().unwrap_or_default(),
                        t.state.to_string(),
                    ]
                })
                .collect();
            blocks.push(Block::Heading("IV. NHIỆM VỤ TRONG MẠNG LƯỚI ỨNG CỨU".into()));
            blocks.push(Block::Table {
                headers: vec!["Đơn vị".into(), "Nhiệm vụ".into(), "Hạn".into(), "Tình trạng".into()],
                rows: tasks,
            });
            let timeline: Vec<Vec<String>> =
                d.events.iter().map(|e| vec![display_vn(e.at), e.actor_label.clone(), e.note.clone()]).collect();
            blocks.push(Block::Heading("V. DIỄN BIẾN".into()));
            blocks.push(Block::Table {
                headers: vec!["Thời điểm".into(), "Người thực hiện".into(), "Nội dung".into()],
                rows: timeline,
            });
        }
    }
    let observables: Vec<Vec<String>> = d
        .observables
        .iter()
        .enumerate()
        .map(|(n, o)| {
            let kind = o.kind.label(vi).to_string();
            vec![(n + 1).to_string(), kind, o.value.clone(), format!("TLP:{}", o.tlp.code().to_uppercase())]
        })
        .collect();
    blocks.push(Block::Heading("DẤU HIỆU NHẬN BIẾT (IOC)".into()));
    blocks.push(Block::Table {
        headers: vec!["STT".into(), "Loại".into(), "Giá trị".into(), "Chia sẻ".into()],
        rows: observables,
    });
    let title = match kind {
        DocumentKind::Initial => format!("Ban đầu về sự cố {}: {}", i.code, i.title),
        DocumentKind::Closing => format!("Kết thúc ứng cứu sự cố {}: {}", i.code, i.title),
    };
    AdminDocument {
        parent_body: h.parent_name.clone().unwrap_or_default(),
        issuing_body: h.unit_name.clone(),
        number: None,
        place: place(place_name, &h.root_name),
        date,
        doc_type: "BÁO CÁO".into(),
        title,
        blocks,
        // A report goes upward: "Kính gửi" names the co-ordinating body (NĐ 30 Phụ lục I II.9b).
        addressees: vec!["Cơ quan điều phối ứng cứu sự cố của thành phố".into()],
        recipients: vec!["Như trên;".into(), "Cơ quan chủ quản;".into(), "Lưu: VT.".into()],
        signer_position: signature_position(&signer.signing, h.head_title.as_deref()),
        signer_name: signer
            .name
            .clone()
            .or_else(|| signer.signs_as_head().then(|| h.head_name.clone()).flatten())
            .unwrap_or_default(),
    }
}
