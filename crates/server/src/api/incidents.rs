//! Incidents: the unit's and the authority's queues, the incident record with its clocks,
//! lifecycle moves, severity, reports, tasks, observables and links.

use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_store::{
    Incident, IncidentDetail, IncidentFilter, IncidentInput, IncidentReport, IncidentTask, Observable, ObservableInput,
    Page, Sightings, TaskInput,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_incidents, create_incident))
        .routes(routes!(find_observable))
        .routes(routes!(get_incident))
        .routes(routes!(move_incident))
        .routes(routes!(set_severity))
        .routes(routes!(file_report))
        .routes(routes!(add_note))
        .routes(routes!(add_task))
        .routes(routes!(set_task_state))
        .routes(routes!(add_observable))
        .routes(routes!(link_incident))
        .routes(routes!(incident_document))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IncidentQuery {
    /// Text in the title or code, with or without diacritics.
    pub q: Option<String>,
    /// received, triaged, containing, recovering, reviewing, closed
    #[param(value_type = Option<crate::api::params::IncidentState>, inline)]
    pub state: Option<String>,
    #[param(value_type = Option<crate::api::params::IncidentCategory>, inline)]
    pub category: Option<String>,
    /// The reporting unit and its subtree.
    pub unit_id: Option<i64>,
    pub serious: Option<bool>,
    pub priority: Option<i64>,
    /// Only incidents with a reporting clock past due.
    #[serde(default)]
    pub overdue: bool,
    /// Include closed incidents.
    #[serde(default)]
    pub include_closed: bool,
    /// `id` (`-id`, newest first, is the default), `detected`, `deadline` (the next clock's due
    /// time, none last) or `priority`; `-` reverses.
    #[param(value_type = Option<crate::api::params::IncidentSort>, inline)]
    pub sort: Option<String>,
    pub cursor: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

impl IncidentQuery {
    pub fn filter(self) -> Result<IncidentFilter, khien_domain::Error> {
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        Ok(IncidentFilter {
            q: self.q,
            state: crate::api::enum_filter(self.state, |s| khien_domain::incident::State::parse("state", s))?,
            category: crate::api::enum_filter(self.category, |s| {
                khien_domain::incident::Category::parse("category", s)
            })?,
            unit_id: self.unit_id,
            serious: self.serious,
            priority: self.priority,
            overdue: self.overdue,
            include_closed: self.include_closed,
            sort: self.sort.filter(|s| !s.is_empty()),
            cursor,
            limit,
        })
    }
}

/// The incident queue of the units the caller may see, newest first (closed ones on request).
#[utoipa::path(get, path = "/api/v1/incidents", tag = "incidents", params(IncidentQuery), responses((status = 200, body = Page<Incident>)))]
async fn list_incidents(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> Result<Json<Page<Incident>>, ApiError> {
    Ok(Json(s.store.list_incidents(&ctx.actor, &q.filter()?).await?))
}

/// Report an incident for one of the caller's units. The clocks start at the detection time.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "incidents", request_body = IncidentInput,
    responses((status = 201, body = Incident), (status = 422, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
async fn create_incident(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<IncidentInput>,
) -> Result<(StatusCode, Json<Incident>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.create_incident(&ctx.actor, &b).await?)))
}

/// The incident with its systems, timeline, reports, tasks, observables and links.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "incidents", params(("id" = i64, Path)), responses((status = 200, body = IncidentDetail), (status = 404, body = crate::error::Problem)))]
async fn get_incident(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Json<IncidentDetail>, ApiError> {
    Ok(Json(s.store.get_incident(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    /// The new state.
    pub state: khien_domain::incident::State,
    pub note: Option<String>,
}

/// Move the incident through the response procedure (TT 20/2017 Đ11).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/state", tag = "incidents", params(("id" = i64, Path)), request_body = MoveBody,
    responses((status = 200, body = Incident), (status = 409, body = crate::error::Problem)))]
async fn move_incident(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<MoveBody>,
) -> Result<Json<Incident>, ApiError> {
    Ok(Json(s.store.move_incident(&ctx.actor, id, b.state, b.note.as_deref()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeverityBody {
    pub serious: bool,
    /// 1 (highest) to 4
    pub priority: i64,
    pub reason: String,
}

/// Set "serious" and the priority by hand, with a reason.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/severity", tag = "incidents", params(("id" = i64, Path)), request_body = SeverityBody,
    responses((status = 200, body = Incident), (status = 422, body = crate::error::Problem)))]
async fn set_severity(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SeverityBody>,
) -> Result<Json<Incident>, ApiError> {
    Ok(Json(s.store.set_incident_severity(&ctx.actor, id, b.serious, b.priority, &b.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    pub kind: khien_domain::incident::ReportKind,
    pub body: String,
}

/// File a dated report; an initial, progress or closing report stops its clock.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/reports", tag = "incidents", params(("id" = i64, Path)), request_body = ReportBody,
    responses((status = 201, body = IncidentReport), (status = 422, body = crate::error::Problem)))]
async fn file_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ReportBody>,
) -> Result<(StatusCode, Json<IncidentReport>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.file_incident_report(&ctx.actor, id, b.kind, &b.body).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub note: String,
}

/// Add a note to the timeline.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/notes", tag = "incidents", params(("id" = i64, Path)), request_body = NoteBody, responses((status = 204)))]
async fn add_note(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<NoteBody>,
) -> Result<StatusCode, ApiError> {
    s.store.add_incident_note(&ctx.actor, id, &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Give a unit of the response network a task (the co-ordinator).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/tasks", tag = "incidents", params(("id" = i64, Path)), request_body = TaskInput,
    responses((status = 201, body = IncidentTask), (status = 403, body = crate::error::Problem)))]
async fn add_task(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<IncidentTask>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.add_incident_task(&ctx.actor, id, &b).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskStateBody {
    pub state: khien_domain::incident::TaskState,
}

/// Mark a task done (its unit or the co-ordinator) or cancelled (the co-ordinator).
#[utoipa::path(post, path = "/api/v1/incident-tasks/{id}/state", tag = "incidents", params(("id" = i64, Path)), request_body = TaskStateBody,
    responses((status = 200, body = IncidentTask), (status = 403, body = crate::error::Problem)))]
async fn set_task_state(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<TaskStateBody>,
) -> Result<Json<IncidentTask>, ApiError> {
    Ok(Json(s.store.set_task_state(&ctx.actor, id, b.state).await?))
}

/// Add an observable (IOC) to the incident.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/observables", tag = "incidents", params(("id" = i64, Path)), request_body = ObservableInput,
    responses((status = 201, body = Observable), (status = 422, body = crate::error::Problem)))]
async fn add_observable(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ObservableInput>,
) -> Result<(StatusCode, Json<Observable>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.add_observable(&ctx.actor, id, &b).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FindQuery {
    /// The value: an IP, range, domain, URL, hash or e-mail address.
    pub value: String,
    /// Its kind; guessed when absent.
    #[param(value_type = Option<crate::api::params::ObservableKind>, inline)]
    pub kind: Option<String>,
}

/// Where else was this value seen? Sightings in the incidents the caller may see.
#[utoipa::path(get, path = "/api/v1/observables", tag = "incidents", params(FindQuery), responses((status = 200, body = Sightings), (status = 422, body = crate::error::Problem)))]
async fn find_observable(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<FindQuery>,
) -> Result<Json<Sightings>, ApiError> {
    Ok(Json(s.store.find_observable(&ctx.actor, q.kind.as_deref(), &q.value).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    pub related_id: i64,
    /// This incident duplicates the other: close it into the other.
    #[serde(default)]
    pub merge: bool,
}

/// Link a related incident, or merge this duplicate into it (the co-ordinator of both).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/links", tag = "incidents", params(("id" = i64, Path)), request_body = LinkBody,
    responses((status = 204), (status = 422, body = crate::error::Problem)))]
async fn link_incident(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<LinkBody>,
) -> Result<StatusCode, ApiError> {
    s.store.link_incidents(&ctx.actor, id, b.related_id, b.merge).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// `docx` (the default, to edit in Word) or `pdf` (to sign and send as is).
    #[param(value_type = Option<crate::api::params::DocumentFormat>, inline)]
    pub format: Option<String>,
    /// The signer's authority (NĐ 30/2020 Phụ lục I II.7b): `head` (the default), `acting`
    /// (Q.), `deputy` (KT.), `by_order` (TL.), `authorized` (TUQ.), `collective` (TM.).
    #[param(value_type = Option<crate::api::params::SigningAuthority>, inline)]
    pub signing: Option<String>,
    /// The signer's own title, under the head's (KT., TL., TUQ.; a deputy's under TM.).
    pub signer_title: Option<String>,
    /// The signer's name; the unit's head when left out.
    pub signer_name: Option<String>,
    /// The collective body signed for with TM., e.g. "Ủy ban nhân dân".
    pub collective: Option<String>,
}

const DOCX_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The initial or the closing report as a Word document or a PDF (NĐ 30/2020 layout; Vietnamese).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/documents/{kind}", tag = "incidents",
    params(("id" = i64, Path), ("kind" = inline(khien_domain::incident::DocumentKind), Path), DocumentQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (Vec<u8> = "application/pdf"))),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn incident_document(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((id, kind)): Path<(i64, String)>,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> Result<axum::response::Response, ApiError> {
    // A path segment is text: read once here, with a 422 naming `kind` for anything else.
    let which = khien_domain::incident::DocumentKind::parse("kind", &kind)?;
    let d = s.store.get_incident(&ctx.actor, id).await?;
    let header = s.store.document_header(d.incident.unit_id).await?;
    let signer = q.signer()?;
    let doc = crate::services::incident_docs::incident_document(
        which,
        &d,
        &header,
        s.config.place_name.as_deref(),
        &signer,
        s.store.clock().today_vn(),
    );
    document_response(&doc, q.format.as_deref(), &format!("bao-cao-{kind}-{}", d.incident.code))
}

impl DocumentQuery {
    pub(crate) fn signer(&self) -> Result<crate::services::incident_docs::Signer, khien_domain::Error> {
        crate::services::incident_docs::Signer::new(
            self.signing.as_deref(),
            self.signer_title.as_deref(),
            self.signer_name.as_deref(),
            self.collective.as_deref(),
        )
    }
}

/// An administrative document as a Word file (`docx`, the default) or a PDF (`pdf`).
pub(crate) fn document_response(
    doc: &khien_formats::docx::AdminDocument,
    format: Option<&str>,
    file_stem: &str,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let pdf = match format {
        None | Some("docx") => false,
        Some("pdf") => true,
        Some(_) => {
            return Err(khien_domain::Error::invalid(
                "format",
                "Định dạng là docx hoặc pdf.",
                "The format is docx or pdf.",
            )
            .into())
        }
    };
    let (bytes, content_type, ext) = if pdf {
        (khien_formats::pdf::write_admin_pdf(doc).map_err(khien_domain::Error::internal)?, "application/pdf", "pdf")
    } else {
        (khien_formats::docx::write_admin_docx(doc).map_err(khien_domain::Error::internal)?, DOCX_TYPE, "docx")
    };
    let headers = [
        (axum::http::header::CONTENT_TYPE, content_type.to_string()),
        (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_stem}.{ext}\"")),
    ];
    Ok((headers, bytes).into_response())
}
