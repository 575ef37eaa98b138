//! What the incident page's forms do: move, severity, reports, notes, tasks and their states,
//! observables, links and merges, publishing to a TAXII collection. Each goes back to the page.

use super::see_other;
use crate::api::incidents::IncidentQuery;
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::{Form, Router};
use khien_domain::incident::{ReportKind, State as IncState, TaskState};
use khien_domain::Error;
use khien_store::{ObservableInput, TaskInput};
use serde::Deserialize;

/// The routes of the incident page's forms.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents/{id}/state", post(move_state))
        .route("/incidents/{id}/severity", post(severity))
        .route("/incidents/{id}/reports", post(report))
        .route("/incidents/{id}/notes", post(note))
        .route(
            "/incidents/{id}/files",
            post(attach).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES + 1024)),
        )
        .route("/incidents/{id}/tasks", post(task))
        .route("/incidents/{id}/observables", post(observable))
        .route("/incidents/{id}/links", post(link))
        .route("/incidents/{id}/publish", post(publish))
        .route("/incident-tasks/{id}/state", post(task_state))
}

fn back(id: i64) -> Response {
    see_other(&format!("/incidents/{id}"))
}

#[derive(Deserialize)]
struct MoveForm {
    state: String,
    note: Option<String>,
}

async fn move_state(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> Result<Response, WebError> {
    s.store.move_incident(&ctx.actor, id, IncState::parse("state", &f.state)?, f.note.as_deref()).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct SeverityForm {
    serious: Option<String>,
    priority: String,
    reason: String,
}

async fn severity(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<SeverityForm>,
) -> Result<Response, WebError> {
    let priority = super::systems::number("priority", &f.priority)?;
    s.store.set_incident_severity(&ctx.actor, id, f.serious.is_some(), priority, &f.reason).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct ReportForm {
    kind: String,
    body: String,
}

async fn report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReportForm>,
) -> Result<Response, WebError> {
    s.store.file_incident_report(&ctx.actor, id, ReportKind::parse("kind", &f.kind)?, &f.body).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct NoteForm {
    note: String,
}

async fn note(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> Result<Response, WebError> {
    s.store.add_incident_note(&ctx.actor, id, &f.note).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct TaskForm {
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    unit_id_code: String,
    assignee: Option<String>,
    title: String,
    due_on: Option<String>,
}

async fn task(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<TaskForm>,
) -> Result<Response, WebError> {
    let unit_id = super::unit_field(&s, &ctx.actor, "unit_id", &f.unit_id, &f.unit_id_code).await?;
    s.store
        .add_incident_task(
            &ctx.actor,
            id,
            &TaskInput { unit_id, assignee: f.assignee, title: f.title, due_on: f.due_on },
        )
        .await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct PublishForm {
    collection_id: String,
}

async fn publish(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PublishForm>,
) -> Result<Response, WebError> {
    crate::api::stix::publish(&s, &ctx.actor, id, &f.collection_id).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct TaskStateForm {
    state: String,
}

async fn task_state(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<TaskStateForm>,
) -> Result<Response, WebError> {
    let t = s.store.set_task_state(&ctx.actor, id, TaskState::parse("state", &f.state)?).await?;
    Ok(back(t.incident_id))
}

#[derive(Deserialize)]
struct ObservableForm {
    kind: String,
    value: String,
    source: Option<String>,
}

async fn observable(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ObservableForm>,
) -> Result<Response, WebError> {
    s.store
        .add_observable(
            &ctx.actor,
            id,
            &ObservableInput {
                kind: f.kind,
                value: f.value,
                source: f.source.filter(|v| !v.is_empty()),
                ..Default::default()
            },
        )
        .await?;
    Ok(back(id))
}

#[derive(Deserialize)]
struct LinkForm {
    related_code: String,
    merge: Option<String>,
}

async fn link(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<LinkForm>,
) -> Result<Response, WebError> {
    let code = f.related_code.trim();
    let filter = IncidentQuery {
        q: Some(code.to_string()),
        state: None,
        category: None,
        unit_id: None,
        serious: None,
        priority: None,
        overdue: false,
        include_closed: true,
        sort: None,
        cursor: None,
        limit: Some(5),
    }
    .filter()?;
    let other = s
        .store
        .list_incidents(&ctx.actor, &filter)
        .await?
        .items
        .into_iter()
        .find(|i| i.code.eq_ignore_ascii_case(code));
    let other = other.ok_or_else(|| {
        Error::invalid(
            "related_code",
            format!("Không có sự cố mã «{code}» trong phạm vi của bạn."),
            format!("There is no incident «{code}» within your reach."),
        )
    })?;
    s.store.link_incidents(&ctx.actor, id, other.id, f.merge.is_some()).await?;
    Ok(back(id))
}

/// Attaches a file (multipart) to the incident.
async fn attach(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (name, bytes) = super::Upload::read(mp).await?.file()?;
    s.store.add_incident_file(&ctx.actor, id, &name, &bytes).await?;
    Ok(see_other(&format!("/incidents/{id}#incident-files")))
}
