//! Compliance pages: the catalogue browser, the assessment list and the assessment workspace
//! (every requirement with its outcome and notes, saved in one post; keys 1–4 set the outcome of
//! the focused row through /assets/assess.js, since the CSP allows no inline script).

use super::filters;
use super::kept_form::{refusal, refused, FormError};
use super::listing::{LinkQuery, Pager};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::services::catalogue_io::CatalogueImportQuery;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::compliance::assessment::{AssessmentKind, AssessmentState, Outcome};
use khien_domain::role::Action;
use khien_domain::time::display_vn;
use khien_domain::{Error, Lang};
use khien_store::{
    Assessment, AssessmentDetail, AssessmentFilter, AssessmentInput, CatalogueInfo, CatalogueNodeRow, ResultInput,
};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/assess.js",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    include_str!("../../assets/assess.js"),
                )
                    .into_response()
            }),
        )
        .route("/catalogues", get(catalogues))
        .route(
            "/catalogues/import",
            post(import_catalogue).layer(axum::extract::DefaultBodyLimit::max(
                crate::services::catalogue_io::MAX_CATALOGUE_BYTES + 64 * 1024,
            )),
        )
        .route("/catalogues/template.xlsx", get(catalogue_template))
        .route("/catalogues/{id}", get(catalogue_page))
        .route("/catalogues/{id}/export", get(export_catalogue))
        .route("/assessments", get(assessments).post(create))
        .route("/assessments/new", get(new_assessment))
        .route("/assessments/by-unit", get(by_unit))
        .route("/assessments/{id}", get(workspace))
        .route("/assessments/{id}/results", post(save_results))
        .route("/assessments/{id}/state", post(move_state))
        .route(
            "/assessments/{id}/evidence",
            post(evidence).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES + 1024)),
        )
}

/// A node's title in the page's language, falling back to the other one when it is empty.
fn title_in(lang: Lang, vi: &str, en: &str) -> String {
    if lang == Lang::En && !en.is_empty() || vi.is_empty() {
        en.to_string()
    } else {
        vi.to_string()
    }
}

fn pct(p: Option<f64>, lang: Lang) -> String {
    p.map(|v| khien_domain::number::percent_value(v, lang)).unwrap_or_else(|| "—".into())
}

fn outcome_label(lang: Lang, code: Option<&str>) -> String {
    code.and_then(|c| Outcome::parse("result", c).ok()).map(|o| o.label(lang).to_string()).unwrap_or_else(|| "—".into())
}

#[derive(Template)]
#[template(path = "catalogues.html")]
struct CataloguesPage {
    c: Chrome,
    rows: Vec<CatalogueInfo>,
    /// The standing body sees the import form.
    can_import: bool,
}

async fn catalogues(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let rows = s.store.list_catalogues(&ctx.actor).await?;
    let can_import = ctx.actor.can_anywhere(Action::ManageCatalogues);
    render(&CataloguesPage {
        c: Chrome::new(&ctx, "compliance", "Danh mục yêu cầu", "Control catalogues"),
        rows,
        can_import,
    })
}

/// The import form: the file and the fields of [`CatalogueImportQuery`]; a new version opens
/// on success, a refused file shows the error page naming the row or path.
async fn import_catalogue(
    State(s): State<AppState>,
    ctx: Ctx,
    mut mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let upload = super::upload_error;
    let mut q = CatalogueImportQuery::default();
    let mut body: Option<Vec<u8>> = None;
    while let Some(field) = mp.next_field().await.map_err(upload)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            q.file_name = field.file_name().unwrap_or("upload").to_string();
            body = Some(field.bytes().await.map_err(upload)?.to_vec());
            continue;
        }
        let value = field.text().await.map_err(upload)?;
        let text = Some(value.clone()).filter(|v| !v.trim().is_empty());
        match name.as_str() {
            "format" => q.format = value,
            "code" => q.code = value,
            "version" => q.version = text,
            "title_vi" => q.title_vi = text,
            "title_en" => q.title_en = text,
            "levels" => q.levels = text,
            "source_id" => q.source_id = value.trim().parse().ok(),
            _ => {}
        }
    }
    let body = body
        .filter(|b| !b.is_empty())
        .ok_or_else(|| Error::invalid("file", "Chưa chọn tệp.", "No file was chosen."))?;
    let info = crate::services::catalogue_io::import(&s, &ctx, &q, &body).await?;
    Ok(see_other(&format!("/catalogues/{}", info.id)))
}

async fn catalogue_template(ctx: Ctx) -> Result<Response, WebError> {
    Ok(crate::services::catalogue_io::template(&ctx.actor)?)
}

#[derive(Deserialize)]
struct ExportQuery {
    format: String,
}

async fn export_catalogue(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, WebError> {
    let format = crate::services::catalogue_io::ExportFormat::parse(&q.format)?;
    Ok(crate::services::catalogue_io::export(&s, &ctx.actor, id, format).await?)
}

#[derive(Deserialize, Default)]
struct LevelQuery {
    #[serde(default)]
    level: String,
    /// The page of the catalogue's lines (0 is the first), as the pager's links give it.
    cursor: Option<String>,
}

/// Lines of a catalogue per page: a catalogue of thousands of controls stays a small page.
const NODES_PER_PAGE: usize = 300;

#[derive(Template)]
#[template(path = "catalogue.html")]
struct CataloguePage {
    c: Chrome,
    cat: CatalogueInfo,
    level: String,
    /// (node, indent in em, levels label, title)
    nodes: Vec<(CatalogueNodeRow, i64, String, String)>,
    shown_requirements: usize,
    pager: Pager,
}

async fn catalogue_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<LevelQuery>,
) -> Result<Html<String>, WebError> {
    let tree = s.store.catalogue(&ctx.actor, id).await?;
    let level: Option<u8> = q.level.parse().ok().filter(|l| (1..=5).contains(l));
    let lang = ctx.lang;
    let nodes: Vec<(CatalogueNodeRow, i64, String, String)> = tree
        .nodes
        .into_iter()
        .filter(|n| level.is_none_or(|l| n.applies_to(l)))
        .map(|n| {
            let title = title_in(lang, &n.title_vi, &n.title_en);
            let levels = n.levels.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
            let indent = n.depth * 2;
            (n, indent, levels, title)
        })
        .collect();
    let shown_requirements = nodes.iter().filter(|n| n.0.is_requirement()).count();
    let query = LinkQuery::default().with("level", q.level.clone());
    let path = format!("/catalogues/{id}");
    let (pager, shown) = Pager::numbered(&path, &query, q.cursor.as_deref(), nodes.len(), NODES_PER_PAGE);
    let nodes = nodes.into_iter().skip(shown.start).take(shown.len()).collect();
    render(&CataloguePage {
        c: Chrome::new(&ctx, "compliance", &tree.catalogue.title_vi, &tree.catalogue.title_en),
        cat: tree.catalogue,
        level: q.level,
        nodes,
        shown_requirements,
        pager,
    })
}

struct Row {
    id: i64,
    title: String,
    system: String,
    unit: String,
    catalogue: String,
    kind: String,
    state: String,
    level: i64,
    progress: String,
    percent: String,
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct AssessmentsPage {
    c: Chrome,
    rows: Vec<Row>,
    state: String,
    states: Vec<(String, String)>,
    can_create: bool,
    pager: Pager,
    total: Option<i64>,
    /// The filters, for the export link.
    export_query: String,
}

#[derive(Template)]
#[template(path = "assessments_by_unit.html")]
struct ByUnitPage {
    c: Chrome,
    /// (unit id, name, systems assessed, counts "compliant/partly/non/n-a · applicable", percent)
    rows: Vec<(i64, String, i64, String, String)>,
    total: String,
}

/// Compliance per unit over each system's latest done assessment.
async fn by_unit(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let units = s.store.unit_compliance(&ctx.actor).await?;
    let mut sum = khien_domain::compliance::assessment::Score::default();
    let rows = units
        .iter()
        .map(|u| {
            sum += u.score();
            let counts =
                format!("{}/{}/{}/{} · {}", u.compliant, u.partly, u.non_compliant, u.not_applicable, u.applicable);
            (u.unit_id, u.unit_name.clone(), u.systems_assessed, counts, pct(u.percent, ctx.lang))
        })
        .collect();
    render(&ByUnitPage {
        c: Chrome::new(&ctx, "compliance", "Mức tuân thủ theo đơn vị", "Compliance by unit"),
        rows,
        total: pct(sum.percent(), ctx.lang),
    })
}

#[derive(Template)]
#[template(path = "assessment_new.html")]
struct NewAssessmentPage {
    c: Chrome,
    /// The system code the form starts with (from a system's page), or as typed.
    system: String,
    catalogues: Vec<(i64, String)>,
    /// (id, name) of assessor units the caller may name
    assessors: Vec<(i64, String)>,
    /// The form as typed when a save was refused, and why.
    v: CreateForm,
    error: FormError,
}

#[derive(Deserialize, Default)]
struct NewQuery {
    #[serde(default)]
    system: String,
}

/// The form that plans an assessment (its own page: the list stays a list).
async fn new_assessment(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Html<String>, WebError> {
    let v = CreateForm { system: q.system, ..Default::default() };
    new_page(&s, &ctx, v, FormError::default()).await
}

async fn new_page(s: &AppState, ctx: &Ctx, v: CreateForm, error: FormError) -> Result<Html<String>, WebError> {
    if !ctx.actor.can_anywhere(Action::AssessSystems) {
        return Err(Error::forbidden().into());
    }
    let catalogues = s
        .store
        .list_catalogues(&ctx.actor)
        .await?
        .into_iter()
        .map(|x| (x.id, format!("{} ({})", x.title_vi, x.version)))
        .collect();
    let assessors = s.store.assessor_units().await?;
    render(&NewAssessmentPage {
        c: Chrome::new(ctx, "compliance", "Lập đợt đánh giá", "Plan an assessment"),
        system: v.system.clone(),
        catalogues,
        assessors,
        v,
        error,
    })
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    state: String,
    cursor: Option<String>,
}

async fn assessments(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let (cursor, limit) = crate::api::paging(q.cursor.as_deref(), Some(50))?;
    let page = s
        .store
        .list_assessments(
            &ctx.actor,
            &AssessmentFilter {
                system_id: None,
                state: Some(q.state.clone()).filter(|v| !v.is_empty()),
                cursor,
                limit,
            },
        )
        .await?;
    let rows = page
        .items
        .iter()
        .map(|a: &Assessment| Row {
            id: a.id,
            title: a.title.clone(),
            system: format!("{} – {}", a.system_code, a.system_name),
            unit: a.unit_name.clone(),
            catalogue: format!("{} ({})", a.catalogue_code, a.catalogue_version),
            kind: a.kind.label(lang).to_string()
                + &a.assessor_unit_name.as_ref().map(|n| format!(" – {n}")).unwrap_or_default(),
            state: a.state.label(lang).to_string(),
            level: a.level,
            progress: format!("{}/{}", a.assessed(), a.applicable),
            percent: pct(a.percent, ctx.lang),
        })
        .collect();
    let can_create = ctx.actor.can_anywhere(Action::AssessSystems);
    render(&AssessmentsPage {
        c: Chrome::new(&ctx, "compliance", "Đánh giá tuân thủ", "Assessments"),
        rows,
        pager: Pager::new("/assessments", &LinkQuery::default().with("state", q.state.clone()), &page),
        export_query: LinkQuery::default().with("state", q.state.clone()).encoded(),
        total: page.total,
        state: q.state,
        states: AssessmentState::ALL.iter().map(|s| (s.code().to_string(), s.label(lang).to_string())).collect(),
        can_create,
    })
}

/// The plan-an-assessment form, every field as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct CreateForm {
    /// The system's code (a search field).
    system: String,
    catalogue_id: String,
    kind: String,
    assessor_unit_id: String,
    title: String,
    planned_for: String,
}

async fn create(State(s): State<AppState>, ctx: Ctx, Form(f): Form<CreateForm>) -> Result<Response, WebError> {
    let saved = async {
        let system = super::system_by_code(&s, &ctx.actor, "system", &f.system).await?;
        let catalogue_id = f
            .catalogue_id
            .trim()
            .parse()
            .map_err(|_| Error::invalid("catalogue_id", "Chọn danh mục yêu cầu.", "Choose the catalogue."))?;
        let input = AssessmentInput {
            system_id: system.id,
            catalogue_id,
            kind: AssessmentKind::parse("kind", &f.kind)?,
            assessor_unit_id: f.assessor_unit_id.trim().parse().ok(),
            title: f.title.clone(),
            planned_for: Some(f.planned_for.clone()).filter(|p| !p.trim().is_empty()),
        };
        Ok::<_, Error>(s.store.create_assessment(&ctx.actor, &input).await?.id)
    };
    match saved.await {
        Ok(id) => Ok(see_other(&format!("/assessments/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(new_page(&s, &ctx, f, error).await?))
        }
    }
}

struct WorkRow {
    node_id: String,
    title: String,
    description: String,
    group_header: Option<String>,
    result: String,
    notes: String,
    /// (id, file name, valid until)
    evidence: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct WorkspacePage {
    c: Chrome,
    d: AssessmentDetail,
    state: String,
    kind: String,
    percent: String,
    previous_percent: String,
    editable: bool,
    outcomes: Vec<(String, String)>,
    rows: Vec<WorkRow>,
    /// (title, counts, percent)
    groups: Vec<(String, String, String)>,
    /// (node id, title, before, after)
    changes: Vec<(String, String, String, String)>,
    moves: Vec<(&'static str, &'static str)>,
}

async fn workspace(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let d = s.store.assessment(&ctx.actor, id).await?;
    let pick = |vi: &str, en: &str| title_in(lang, vi, en);
    let mut last_group: Option<String> = None;
    let rows = d
        .results
        .iter()
        .map(|r| {
            let header = if r.group_id != last_group {
                last_group = r.group_id.clone();
                d.groups
                    .iter()
                    .find(|g| Some(&g.group_id) == r.group_id.as_ref())
                    .map(|g| format!("{} {}", g.group_id, pick(&g.title_vi, &g.title_en)))
            } else {
                None
            };
            WorkRow {
                node_id: r.node_id.clone(),
                title: pick(&r.title_vi, &r.title_en),
                description: r.description.clone(),
                group_header: header,
                result: r.result.clone().unwrap_or_default(),
                notes: r.notes.clone(),
                evidence: r
                    .evidence
                    .iter()
                    .map(|e| (e.id, e.file_name.clone(), e.valid_until.clone().unwrap_or_default()))
                    .collect(),
            }
        })
        .collect();
    let groups = d
        .groups
        .iter()
        .map(|g| {
            (
                format!("{} {}", g.group_id, pick(&g.title_vi, &g.title_en)),
                format!("{}/{}/{}/{} · {}", g.compliant, g.partly, g.non_compliant, g.not_applicable, g.applicable),
                pct(g.percent, ctx.lang),
            )
        })
        .collect();
    let changes = d
        .changes
        .iter()
        .map(|c| {
            (
                c.node_id.clone(),
                c.title_vi.clone(),
                outcome_label(lang, c.before.as_deref()),
                outcome_label(lang, c.after.as_deref()),
            )
        })
        .collect();
    let state = d.assessment.state;
    render(&WorkspacePage {
        c: Chrome::new(&ctx, "compliance", &d.assessment.title, &d.assessment.title),
        state: state.label(lang).to_string(),
        kind: d.assessment.kind.label(lang).to_string(),
        percent: pct(d.assessment.percent, ctx.lang),
        previous_percent: pct(d.previous_percent, ctx.lang),
        editable: d.can_record && state.accepts_results(),
        outcomes: Outcome::ALL.iter().map(|o| (o.code().to_string(), o.label(lang).to_string())).collect(),
        moves: d.next_states.iter().map(|s| (s.code(), s.label(lang))).collect(),
        rows,
        groups,
        changes,
        d,
    })
}

/// Fields `r:<node id>` (outcome) and `n:<node id>` (notes), one pair per row.
async fn save_results(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut results: Vec<ResultInput> = Vec::new();
    for (k, v) in fields {
        if let Some(node) = k.strip_prefix("r:") {
            match results.iter_mut().find(|r| r.node_id == node) {
                Some(r) => r.result = Some(v),
                None => results.push(ResultInput { node_id: node.to_string(), result: Some(v), notes: None }),
            }
        } else if let Some(node) = k.strip_prefix("n:") {
            match results.iter_mut().find(|r| r.node_id == node) {
                Some(r) => r.notes = Some(v),
                None => results.push(ResultInput { node_id: node.to_string(), result: None, notes: Some(v) }),
            }
        }
    }
    s.store.record_results(&ctx.actor, id, &results).await?;
    Ok(see_other(&format!("/assessments/{id}")))
}

#[derive(Deserialize)]
struct MoveForm {
    state: String,
}

async fn move_state(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> Result<Response, WebError> {
    s.store.move_assessment(&ctx.actor, id, AssessmentState::parse("state", &f.state)?).await?;
    Ok(see_other(&format!("/assessments/{id}")))
}

async fn evidence(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let upload = super::Upload::read(mp).await?;
    let (valid_until, node_id) = (upload.text("valid_until").to_string(), upload.text("node").to_string());
    let (name, bytes) = upload.file()?;
    s.store
        .add_evidence(
            &ctx.actor,
            id,
            &node_id,
            &name,
            &bytes,
            Some(valid_until.as_str()).filter(|v| !v.trim().is_empty()),
        )
        .await?;
    Ok(see_other(&format!("/assessments/{id}")))
}

#[allow(dead_code)]
fn when(ms: Option<i64>) -> String {
    ms.map(display_vn).unwrap_or_default()
}
