//! The dossier page: each part with its files or the owner's reason (issue 14.3), the level
//! form, the workflow steps this caller may take (each judged in writing, after a confirmation
//! that names its consequence), the written opinions with their letters, and the timeline.

use super::filters;
use super::msg;
use super::systems::number;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::calendar::{display_date, display_opt};
use khien_domain::system::dossier::{may_act, may_edit, next_state, DossierAction, Part, UnitAt};
use khien_domain::time::display_vn;
use khien_domain::{Lang, Text};
use khien_store::{Attachment, DossierInput};
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dossiers/{id}", get(dossier_page).post(save_dossier))
        .route("/dossiers/{id}/actions", post(act))
        .route("/dossiers/{id}/parts/{part}/not-applicable", post(not_applicable))
        .route("/dossiers/{id}/forms/{form}", post(issue_form))
        .route("/dossiers/{id}/packages", post(build_package))
        .route("/dossier-packages/{id}/receipt", post(package_receipt))
        .route("/dossiers/{id}/comments", post(add_comment))
        .route("/dossier-comments/{id}/answer", post(answer_comment))
        .route(
            "/dossiers/{id}/attachments",
            post(attach).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES + 1024)),
        )
}

/// One part as the page shows it.
struct PartRow {
    code: &'static str,
    label: &'static str,
    required: bool,
    /// (attachment, size as text, the first characters of its SHA-256)
    files: Vec<(Attachment, String, String)>,
    not_applicable: Option<String>,
    complete: bool,
}

/// A step the caller may take: (code, label, the consequence the confirmation names).
struct Step {
    code: &'static str,
    label: &'static str,
    consequence: &'static str,
    /// Return, appraise and approve are judged in writing.
    needs_opinion: bool,
}

/// A document of the procedure as the page offers it.
struct FormRow {
    code: &'static str,
    label: &'static str,
    annex: String,
    may_issue: bool,
    /// What the data leaves blank, joined.
    gaps: String,
    /// The authority's default template it is issued from, when one is chosen.
    template: Option<String>,
}

/// An issued document: (label, number, who and when, short SHA-256 of the data, the record).
struct IssuedRow {
    label: &'static str,
    number: String,
    by_at: String,
    data_version: String,
    doc: khien_store::IssuedDocument,
}

/// A package built for the appraiser: (built by and when, size, the record).
struct PackageRow {
    built: String,
    size: String,
    sha: String,
    received: Option<String>,
    p: khien_store::DossierPackage,
}

/// An appraisal comment with its part's name and times as text.
struct CommentRow {
    part: String,
    at: String,
    answered: String,
    k: khien_store::DossierComment,
}

struct OpinionRow {
    id: i64,
    step: &'static str,
    author: String,
    at: String,
    text: String,
}

#[derive(Template)]
#[template(path = "dossier.html")]
struct DossierPage {
    c: Chrome,
    d: khien_store::Dossier,
    s: khien_store::System,
    state_label: String,
    ruleset_name: &'static str,
    due: String,
    /// Submitted / appraised / approved, dd/mm/yyyy.
    dates: String,
    editable: bool,
    parts: Vec<PartRow>,
    /// Required parts still without a file or a reason.
    missing: usize,
    steps: Vec<Step>,
    /// Levels 4–5: the ministry appraises; the form asks for its document's number.
    outside_appraisal: bool,
    /// Level 5 under NĐ 85: the Prime Minister's list approves; the form asks for the decision.
    outside_approval: bool,
    opinions: Vec<OpinionRow>,
    forms: Vec<FormRow>,
    issued: Vec<IssuedRow>,
    packages: Vec<PackageRow>,
    comments: Vec<CommentRow>,
    /// The appraiser, while the dossier awaits appraisal.
    may_comment: bool,
    /// The owner unit's staff, once the dossier is returned.
    may_answer: bool,
    part_options: Vec<(&'static str, &'static str)>,
    submissions: Vec<khien_store::Submission>,
    /// The caller sends the dossier: builds packages and records receipts.
    may_send: bool,
    history: Vec<super::pages::AuditRow>,
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", khien_domain::number::decimal(bytes as f64 / 1_048_576.0, 1))
    } else {
        format!("{} KiB", (bytes + 1023) / 1024)
    }
}

/// What confirming a step does, in the words the dialog shows.
fn consequence(action: DossierAction) -> Text {
    match action {
        DossierAction::Submit => msg::CONFIRM_SUBMIT_DOSSIER,
        DossierAction::Return => msg::CONFIRM_RETURN_DOSSIER,
        DossierAction::Appraise => msg::CONFIRM_APPRAISE_DOSSIER,
        DossierAction::Approve => msg::CONFIRM_APPROVE_DOSSIER,
    }
}

fn due_text(d: &khien_store::Dossier, lang: Lang) -> String {
    let (Some(on), Some(step)) = (&d.due_on, &d.due_step) else { return "—".into() };
    let step = if step == "appraisal" {
        lang.pick("thẩm định", "appraisal")
    } else {
        lang.pick("phê duyệt", "approval")
    };
    let basis = d.due_basis.clone().unwrap_or_else(|| {
        lang.pick("quy định nội bộ — pháp luật không quy định thời hạn", "local policy — the law sets no limit")
            .to_string()
    });
    let mut due = format!("{} ({step}; {basis})", display_date(on));
    if let Some(reply) = &d.incomplete_reply_due_on {
        due.push_str(&format!(
            " · {} {}",
            lang.pick("trả lời nếu hồ sơ chưa đầy đủ trước", "answer an incomplete dossier by"),
            display_date(reply)
        ));
    }
    due
}

async fn dossier_page(State(st): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let (d, s) = st.store.get_dossier(&ctx.actor, id).await?;
    let rs = st.store.ruleset(&d.ruleset).await?;
    let state = d.state;
    let level = u8::try_from(d.proposed_level).unwrap_or(1);
    // Offer only the steps this caller may take now: the store's own decision.
    let bodies = st.store.level_bodies().await?;
    let system_at = UnitAt { id: s.owner_unit_id, path: s.owner_path.clone() };
    let checked = st.store.manager_checks(s.owner_unit_id).await?;
    let steps = DossierAction::ALL
        .iter()
        .filter(|a| next_state(state, **a).is_ok())
        .filter(|a| may_act(&ctx.actor, **a, level, &rs, &system_at, &bodies.bodies))
        .filter(|a| {
            **a != DossierAction::Submit
                || khien_domain::system::appraisal::may_submit_checked(
                    &ctx.actor,
                    s.owner_unit_id,
                    &s.owner_path,
                    checked,
                )
        })
        .map(|a| Step {
            code: a.code(),
            label: a.label(lang),
            consequence: lang.t(consequence(*a)),
            needs_opinion: *a != DossierAction::Submit,
        })
        .collect();
    let editable = may_edit(&ctx.actor, state, &system_at).is_ok();
    let parts: Vec<PartRow> = st
        .store
        .dossier_parts(&ctx.actor, id)
        .await?
        .into_iter()
        .map(|p| PartRow {
            code: p.part.code(),
            label: p.part.label(lang),
            required: p.required,
            files: p
                .files
                .into_iter()
                .map(|f| {
                    let (size, short) = (size_text(f.size_bytes), f.sha256.chars().take(12).collect());
                    (f, size, short)
                })
                .collect(),
            not_applicable: p.not_applicable,
            complete: p.complete,
        })
        .collect();
    let missing = parts.iter().filter(|p| p.required && !p.complete).count();
    let opinions = st
        .store
        .dossier_opinions(&ctx.actor, id)
        .await?
        .into_iter()
        .map(|o| OpinionRow {
            id: o.id,
            step: o.step.label(lang),
            author: o.author_name,
            at: display_vn(o.at),
            text: o.opinion,
        })
        .collect();
    let (forms, issued, may_send) = documents(&st, &ctx, id).await?;
    let whole = lang.pick("Toàn bộ hồ sơ", "The whole dossier");
    let comments = st
        .store
        .dossier_comments(&ctx.actor, id)
        .await?
        .into_iter()
        .map(|k| CommentRow {
            part: k.part.0.map(|p| p.label(lang)).unwrap_or(whole).to_string(),
            at: display_vn(k.created_at),
            answered: match (&k.answered_by_name, k.answered_at) {
                (Some(n), Some(at)) => format!("{n} · {}", display_vn(at)),
                _ => String::new(),
            },
            k,
        })
        .collect();
    // The store's own decisions: comments while awaiting appraisal by the appraiser, answers
    // once returned by those who edit the dossier.
    let may_comment = khien_domain::system::appraisal::check_open_for_comments(state).is_ok()
        && may_act(&ctx.actor, DossierAction::Return, level, &rs, &system_at, &bodies.bodies);
    let may_answer = khien_domain::system::appraisal::check_open_for_answers(state).is_ok() && editable;
    let submissions = st.store.dossier_submissions(&ctx.actor, id, lang).await?;
    let packages = st
        .store
        .dossier_packages(&ctx.actor, id)
        .await?
        .into_iter()
        .map(|p| PackageRow {
            built: format!("{} · {}", p.built_by_name, display_vn(p.built_at)),
            size: size_text(p.size_bytes),
            sha: p.sha256.chars().take(12).collect(),
            received: p.received_by.as_ref().map(|by| {
                let on = display_opt(p.received_on.as_deref());
                match &p.receipt_ref {
                    Some(r) => format!("{by} · {on} · {r}"),
                    None => format!("{by} · {on}"),
                }
            }),
            p,
        })
        .collect();
    let history = super::pages::audit_rows(&st.store.dossier_timeline(&ctx.actor, id).await?, lang);
    let dates = [&d.submitted_on, &d.appraised_on, &d.approved_on].map(|x| display_opt(x.as_deref())).join(" / ");
    render(&DossierPage {
        c: Chrome::new(&ctx, "systems", "Hồ sơ cấp độ", "Level dossier"),
        dates,
        state_label: state.label(lang).to_string(),
        ruleset_name: rs.name,
        due: due_text(&d, lang),
        editable,
        parts,
        missing,
        steps,
        outside_appraisal: rs.appraiser_at(level).is_outside(),
        outside_approval: rs.approver_at(level).is_outside(),
        opinions,
        forms,
        issued,
        packages,
        may_send,
        comments,
        may_comment,
        may_answer,
        part_options: Part::ALL.iter().map(|p| (p.code(), p.label(lang))).collect(),
        submissions,
        history,
        d,
        s,
    })
}

/// The procedure's documents with what each leaves blank, and the issued ones.
async fn documents(st: &AppState, ctx: &Ctx, id: i64) -> Result<(Vec<FormRow>, Vec<IssuedRow>, bool), WebError> {
    let lang = ctx.lang;
    let fc = st.store.dossier_form_context(&ctx.actor, id).await?;
    let forms = crate::api::dossier_forms::forms_outlook(st, &fc)
        .await?
        .into_iter()
        .map(|(f, template, gaps)| FormRow {
            code: f.code(),
            label: f.label(lang),
            annex: f.annex_number(&fc.ruleset).unwrap_or("—").to_string(),
            may_issue: fc.may_issue.contains(&f),
            gaps: gaps.join("; "),
            template,
        })
        .collect();
    let issued = st
        .store
        .issued_documents(&ctx.actor, id)
        .await?
        .into_iter()
        .map(|doc| IssuedRow {
            label: doc.form.label(lang),
            number: doc.number.clone().unwrap_or_else(|| "—".into()),
            by_at: format!("{} · {}", doc.issued_by_name, display_vn(doc.issued_at)),
            data_version: doc.data_sha256.chars().take(12).collect(),
            doc,
        })
        .collect();
    Ok((forms, issued, fc.may_send))
}

/// Packs the dossier for the appraiser (the API's path).
async fn build_package(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    crate::api::dossier_forms::pack(&s, &ctx, id).await?;
    Ok(see_other(&format!("/dossiers/{id}#packages")))
}

#[derive(Deserialize)]
struct ReceiptForm {
    #[serde(default)]
    received_by: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    reference: String,
}

/// Records the appraiser's receipt of a package.
async fn package_receipt(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReceiptForm>,
) -> Result<Response, WebError> {
    let reference = Some(f.reference).filter(|r| !r.trim().is_empty());
    let receipt = khien_store::PackageReceipt { received_by: f.received_by, received_on: f.received_on, reference };
    let p = s.store.record_package_receipt(&ctx.actor, id, &receipt).await?;
    Ok(see_other(&format!("/dossiers/{}#packages", p.dossier_id)))
}

#[derive(Deserialize)]
struct IssueForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    signer_name: String,
}

/// Issues one of the procedure's documents from the dossier's data (the API's path).
async fn issue_form(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, form)): Path<(i64, String)>,
    Form(f): Form<IssueForm>,
) -> Result<Response, WebError> {
    let form = khien_domain::system::dossier_form::DossierForm::parse("form", &form)?;
    let name = Some(f.signer_name.as_str()).filter(|n| !n.trim().is_empty());
    let signer = crate::services::incident_docs::Signer::new(None, None, name, None)?;
    crate::api::dossier_forms::issue(&s, &ctx, id, form, Some(f.number), &signer, None).await?;
    Ok(see_other(&format!("/dossiers/{id}#issued")))
}

async fn attach(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let upload = super::Upload::read(mp).await?;
    let part = upload.text("part").to_string();
    let (name, bytes) = upload.file()?;
    s.store.add_attachment(&ctx.actor, id, &part, &name, &bytes).await?;
    Ok(see_other(&format!("/dossiers/{id}#parts")))
}

#[derive(Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// Declares a part not applicable with its reason; an empty reason withdraws the declaration.
async fn not_applicable(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, part)): Path<(i64, String)>,
    Form(f): Form<ReasonForm>,
) -> Result<Response, WebError> {
    let part = Part::parse("part", &part)?;
    let reason = Some(f.reason.as_str()).filter(|r| !r.trim().is_empty());
    s.store.set_part_not_applicable(&ctx.actor, id, part, reason).await?;
    Ok(see_other(&format!("/dossiers/{id}#parts")))
}

async fn save_dossier(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let proposed_level = number("proposed_level", f.get("proposed_level").map(String::as_str).unwrap_or(""))?;
    let level_reason = f.get("level_reason").cloned().filter(|r| !r.trim().is_empty());
    s.store.update_dossier(&ctx.actor, id, &DossierInput { proposed_level, level_reason }).await?;
    Ok(see_other(&format!("/dossiers/{id}")))
}

#[derive(Deserialize)]
struct ActForm {
    action: String,
    note: Option<String>,
    decision_number: Option<String>,
    decision_signer: Option<String>,
}

async fn act(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ActForm>,
) -> Result<Response, WebError> {
    let action = DossierAction::parse("action", &f.action)?;
    s.store
        .act_on_dossier(
            &ctx.actor,
            id,
            action,
            f.note.as_deref(),
            f.decision_number.as_deref(),
            f.decision_signer.as_deref(),
        )
        .await?;
    Ok(see_other(&format!("/dossiers/{id}")))
}

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    part: String,
    #[serde(default)]
    requirement: String,
    #[serde(default)]
    body: String,
}

/// The appraiser's comment on a part, a requirement or the whole dossier.
async fn add_comment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> Result<Response, WebError> {
    let input = khien_store::DossierCommentInput {
        part: Some(f.part).filter(|p| !p.trim().is_empty()),
        requirement: Some(f.requirement).filter(|r| !r.trim().is_empty()),
        body: f.body,
    };
    s.store.add_dossier_comment(&ctx.actor, id, &input).await?;
    Ok(see_other(&format!("/dossiers/{id}#comments")))
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// The unit's answer to a comment.
async fn answer_comment(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, WebError> {
    let k = s.store.answer_dossier_comment(&ctx.actor, id, &f.answer).await?;
    Ok(see_other(&format!("/dossiers/{}#comments", k.dossier_id)))
}
