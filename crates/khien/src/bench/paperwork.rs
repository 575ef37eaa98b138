//! The paperwork scenarios of `khien bench` (issue 17): a dossier's package with its issued
//! documents and 20 MiB of attachments, Mẫu 08 of the whole bench city as DOCX, and a dossier
//! rendered into the authority's own template.

use std::time::Instant;

use crate::bench::{measure, pct, BenchArgs};
use anyhow::{anyhow, Result};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use khien_domain::scope::Actor;
use khien_domain::system::dossier_form::DossierForm;
use khien_formats::docx::{AdminDocument, Block};
use khien_store::Store;
use tower::ServiceExt;

/// (session, CSRF token) of the administrator.
pub async fn run(
    store: &Store,
    app: &axum::Router,
    (session, csrf): (&str, &str),
    actor: &Actor,
    unit: i64,
    a: &BenchArgs,
) -> Result<()> {
    let e = |e: khien_domain::Error| anyhow!("{e}");
    let input = khien_store::SystemInput {
        code: "BENCH-PACK".into(),
        name: "Hệ thống đo hiệu năng hồ sơ".into(),
        owner_unit_id: unit,
        system_type: "internal".into(),
        ..Default::default()
    };
    let system = store.create_system(actor, &input).await.map_err(e)?;
    let dossier = store.create_dossier(actor, system.id, &khien_store::DossierInput::default()).await.map_err(e)?;
    // Four 5 MiB files: 20 MiB of attachments that do not compress.
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for part in ["overview", "design", "level_justification", "protection_plan"] {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        while bytes.len() < 5 * 1024 * 1024 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            bytes.extend_from_slice(&seed.to_le_bytes());
        }
        bytes.extend_from_slice(b"\n%%EOF\n");
        store.add_attachment(actor, dossier.id, part, &format!("{part}.pdf"), &bytes).await.map_err(e)?;
    }
    for form in ["statement", "request_appraisal_approval"] {
        post(app, (session, csrf), &format!("/api/v1/dossiers/{}/forms/{form}", dossier.id), "{}", StatusCode::CREATED)
            .await?;
    }
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..10 {
        let start = Instant::now();
        size =
            post(app, (session, csrf), &format!("/api/v1/dossiers/{}/packages", dossier.id), "", StatusCode::CREATED)
                .await?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|x, y| x.total_cmp(y));
    println!(
        "{:<42} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7}",
        "api: dossier package, 20 MiB (build+keep)",
        pct(&times, 0.5),
        pct(&times, 0.95),
        pct(&times, 0.99),
        times.last().copied().unwrap_or(0.0),
        size / 1024
    );
    measure(app, "api: Mẫu 08 of the city, DOCX", "/api/v1/systems/overview/form08?format=docx", session, None, 5)
        .await?;
    // The authority's template: fields and a repeated row, filled with the dossier.
    let cell = |t: &str| t.to_string();
    let template = AdminDocument {
        // The header and the signature are written in capitals: plain text there.
        parent_body: "Ủy ban nhân dân thành phố".into(),
        issuing_body: "Sở Khoa học và Công nghệ".into(),
        number: Some("{{van_ban.so}}".into()),
        place: "Hải Phòng".into(),
        date: store.clock().today_vn(),
        doc_type: "Quyết định".into(),
        title: "Phê duyệt cấp độ của hệ thống {{he_thong.ten}}".into(),
        addressees: Vec::new(),
        blocks: vec![
            Block::Paragraph("Căn cứ {{can_cu.luat}}; căn cứ {{can_cu.nghi_dinh}}.".into()),
            Block::Paragraph(
                "Phê duyệt cấp độ {{ho_so.cap_do_de_xuat}} của hệ thống {{he_thong.ten}} ({{he_thong.ma}}).".into(),
            ),
            Block::Table {
                headers: vec![cell("STT"), cell("Thành phần"), cell("Tệp")],
                rows: vec![vec![cell("{{#thanh_phan}}{{stt}}"), cell("{{ten}}"), cell("{{tep}}{{/thanh_phan}}")]],
            },
        ],
        recipients: vec!["Lưu: VT.".into()],
        signer_position: "Giám đốc".into(),
        signer_name: "{{nguoi_ky.ten}}".into(),
    };
    let docx = khien_formats::docx::write_admin_docx(&template).map_err(|x| anyhow!("{x}"))?;
    let t = store
        .add_document_template(actor, DossierForm::LevelDecision, "nd331-2026", "Bench", docx, &[])
        .await
        .map_err(e)?;
    let uri = format!("/api/v1/document-templates/{}/preview?dossier_id={}", t.id, dossier.id);
    measure(app, "api: a dossier in the authority's template", &uri, session, None, a.iterations).await
}

/// POSTs `body` (JSON, or nothing) and returns the answer's size, failing on another status.
async fn post(
    app: &axum::Router,
    (session, csrf): (&str, &str),
    uri: &str,
    body: &str,
    want: StatusCode,
) -> Result<usize> {
    let mut req = Request::post(uri).header("cookie", format!("khien_session={session}")).header("x-csrf-token", csrf);
    if !body.is_empty() {
        req = req.header("content-type", "application/json");
    }
    let resp = app.clone().oneshot(req.body(Body::from(body.to_string()))?).await?;
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX).await?;
    if status != want {
        return Err(anyhow!("{uri} answered {status}: {}", String::from_utf8_lossy(&bytes)));
    }
    Ok(bytes.len())
}
