//! Units pages: the tree with folded search, a unit's page with its history, forms, import
//! and export.

use super::filters;
use super::kept_form::{refusal, refused, FormError};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::fold::fold;
use khien_domain::role::Action;
use khien_domain::unit::UnitType;
use khien_domain::Error;
use khien_store::{AuditFilter, NewUnit, Unit, UnitPatch};
use serde::Deserialize;
use std::collections::HashMap;

/// Largest accepted import file.
pub const MAX_IMPORT_BYTES: usize = 20 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(list).post(create))
        .route("/units/import", post(import).layer(axum::extract::DefaultBodyLimit::max(MAX_IMPORT_BYTES)))
        .route("/units/export.xlsx", get(export))
        .route("/units/{id}", get(detail).post(edit))
        .route("/units/{id}/move", post(move_unit))
        .route("/units/{id}/active", post(set_active))
}

/// (id, "Name (CODE)") of the units where the caller may place a record for `action`, for
/// <select>s: the store's own list (`units_where`), the same rule it checks on the write.
pub async fn options(s: &AppState, ctx: &Ctx, action: Action) -> Result<Vec<(i64, String)>, WebError> {
    Ok(choices(s.store.units_where(&ctx.actor, action).await?))
}

/// Units as a form's choices: (id, "name (code)").
pub fn choices(units: Vec<khien_store::Unit>) -> Vec<(i64, String)> {
    units.into_iter().map(|u| (u.id, format!("{} ({})", u.name, u.code))).collect()
}

/// A line of the tree: a unit, or the start or end of a group of sibling units of one type.
#[derive(Default)]
struct Row {
    id: i64,
    code: String,
    name: String,
    type_label: String,
    depth: usize,
    active: bool,
    /// Starts a collapsible group: (unit type, how many units of it).
    group: Option<(String, usize)>,
    /// Ends the group started last.
    end: bool,
}

/// Siblings are grouped by unit type (collapsible) once a unit has more than this many.
const GROUP_FROM: usize = 5;

impl Row {
    fn unit(u: Unit, depth: usize, lang: khien_domain::Lang) -> Row {
        Row {
            id: u.id,
            type_label: u.unit_type.label(lang).to_string(),
            code: u.code,
            name: u.name,
            depth: depth.min(9),
            active: u.active,
            ..Row::default()
        }
    }
}

#[derive(Template)]
#[template(path = "units.html")]
struct ListPage {
    c: Chrome,
    q: String,
    can_manage: bool,
    types: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    /// Units listed (the rows without the groups' starts and ends).
    shown: i64,
    notice: Option<String>,
    /// The new-unit form as typed, and why it was refused (empty on a plain visit).
    v: CreateForm,
    error: FormError,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
}

/// The visible units depth-first; a unit's children by unit type then folded name, in
/// collapsible groups by type when there are many; each with its depth below the nearest
/// visible ancestor.
fn tree_rows(units: Vec<Unit>, ctx: &Ctx) -> Vec<Row> {
    let ids: std::collections::HashSet<i64> = units.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<i64>, Vec<Unit>> = HashMap::new();
    for u in units {
        let parent = u.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(u);
    }
    for list in children.values_mut() {
        list.sort_by_cached_key(|u| (UnitType::ALL.iter().position(|t| *t == u.unit_type), fold(&u.name)));
    }
    let mut out = Vec::new();
    let roots = children.remove(&None).unwrap_or_default();
    siblings(roots, 0, &mut children, &mut out, ctx.lang);
    out
}

/// Writes `units` (siblings, ordered by type) and their subtrees, grouped by type when many.
fn siblings(
    units: Vec<Unit>,
    depth: usize,
    children: &mut HashMap<Option<i64>, Vec<Unit>>,
    out: &mut Vec<Row>,
    lang: khien_domain::Lang,
) {
    let grouped = units.len() > GROUP_FROM;
    let mut per_type: HashMap<UnitType, usize> = HashMap::new();
    for u in &units {
        *per_type.entry(u.unit_type).or_default() += 1;
    }
    let mut open: Option<UnitType> = None;
    for u in units {
        let kind = u.unit_type;
        if grouped && open != Some(kind) {
            if open.is_some() {
                out.push(Row { end: true, ..Row::default() });
            }
            let count = per_type.get(&kind).copied().unwrap_or(0);
            out.push(Row { group: Some((kind.label(lang).to_string(), count)), depth, ..Row::default() });
            open = Some(kind);
        }
        let id = u.id;
        out.push(Row::unit(u, depth, lang));
        if let Some(kids) = children.remove(&Some(id)) {
            siblings(kids, depth + 1, children, out, lang);
        }
    }
    if open.is_some() {
        out.push(Row { end: true, ..Row::default() });
    }
}

async fn list_page(
    s: &AppState,
    ctx: &Ctx,
    q: String,
    notice: Option<String>,
    (v, error): (CreateForm, FormError),
) -> Result<Html<String>, WebError> {
    let units = s.store.unit_tree(&ctx.actor).await?;
    let can_manage = units.iter().any(|u| ctx.actor.can(Action::ManageUnits, u.id, &u.path));
    let rows = if q.trim().is_empty() {
        tree_rows(units, ctx)
    } else {
        let needle = fold(&q);
        let mut hits: Vec<Unit> = units
            .into_iter()
            .filter(|u| fold(&u.name).contains(&needle) || u.code.to_lowercase().contains(&needle))
            .collect();
        hits.sort_by_cached_key(|u| fold(&u.name));
        hits.into_iter().map(|u| Row::unit(u, 0, ctx.lang)).collect()
    };
    let types = UnitType::ALL.iter().map(|t| (t.code(), t.label(ctx.lang))).collect();
    let shown = i64::try_from(rows.iter().filter(|r| r.group.is_none() && !r.end).count()).unwrap_or(i64::MAX);
    render(&ListPage {
        c: Chrome::new(ctx, "units", "Đơn vị", "Units"),
        q,
        can_manage,
        types,
        rows,
        shown,
        notice,
        v,
        error,
    })
}

async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, WebError> {
    list_page(&s, &ctx, q.q.unwrap_or_default(), None, Default::default()).await
}

/// The new-unit form, every field as typed (kept when a save is refused).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct CreateForm {
    code: String,
    name: String,
    unit_type: String,
    /// The parent's code, typed with suggestions (or, from scripts, its id as `parent_id`).
    parent: String,
    parent_id: String,
}

impl CreateForm {
    fn input(&self, parent_id: i64) -> Result<NewUnit, Error> {
        Ok(NewUnit {
            code: self.code.clone(),
            name: self.name.clone(),
            unit_type: UnitType::parse(&self.unit_type)?,
            parent_id,
            head_name: None,
            focal_name: None,
            focal_phone: None,
            focal_email: None,
        })
    }
}

async fn create(State(s): State<AppState>, ctx: Ctx, Form(f): Form<CreateForm>) -> Result<Response, WebError> {
    let saved =
        match super::unit_field(&s, &ctx.actor, "parent", &f.parent_id, &f.parent).await.and_then(|p| f.input(p)) {
            Ok(n) => s.store.create_unit(&ctx.actor, &n).await.map(|u| u.id),
            Err(e) => Err(e),
        };
    match saved {
        Ok(id) => Ok(see_other(&format!("/units/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(list_page(&s, &ctx, String::new(), None, (f, error)).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "unit.html")]
struct DetailPage {
    c: Chrome,
    u: Unit,
    type_label: String,
    parent: Option<(i64, String)>,
    can_edit: bool,
    can_manage: bool,
    history: Vec<super::pages::AuditRow>,
    /// The edit form: the unit's values, or what was typed when a save was refused.
    v: EditForm,
    error: FormError,
    /// How complete its systems' details are (issue 17.5), where the caller sees its systems.
    completeness: Option<Option<i64>>,
}

async fn detail(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    detail_page(&s, &ctx, id, None).await
}

async fn detail_page(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    kept: Option<(EditForm, FormError)>,
) -> Result<Html<String>, WebError> {
    let u = s.store.get_unit(&ctx.actor, id).await?;
    let parent = match u.parent_id {
        Some(p) => s.store.get_unit(&ctx.actor, p).await.ok().map(|p| (p.id, p.name)),
        None => None,
    };
    let can_edit = ctx.actor.can(Action::EditUnit, u.id, &u.path);
    let can_manage = ctx.actor.can(Action::ManageUnits, u.id, &u.path);
    let f = AuditFilter { entity_type: Some("unit".into()), entity_id: Some(u.id), limit: 100, ..Default::default() };
    let history = super::pages::audit_rows(&s.store.list_audit(&ctx.actor, &f).await?.items, ctx.lang);
    let type_label = u.unit_type.label(ctx.lang).to_string();
    let (v, error) = kept.unwrap_or_else(|| (EditForm::of(&u), FormError::default()));
    let completeness = s.store.unit_completeness(&ctx.actor, u.id).await.ok().map(|c| c.completeness);
    render(&DetailPage {
        completeness,
        c: Chrome::new(ctx, "units", &u.name, &u.name),
        u,
        type_label,
        parent,
        can_edit,
        can_manage,
        history,
        v,
        error,
    })
}

/// The unit's edit form, every field as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct EditForm {
    name: String,
    head_name: String,
    head_title: String,
    focal_name: String,
    focal_phone: String,
    focal_email: String,
}

impl EditForm {
    fn of(u: &Unit) -> EditForm {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        EditForm {
            name: u.name.clone(),
            head_name: o(&u.head_name),
            head_title: o(&u.head_title),
            focal_name: o(&u.focal_name),
            focal_phone: o(&u.focal_phone),
            focal_email: o(&u.focal_email),
        }
    }
}

async fn edit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EditForm>,
) -> Result<Response, WebError> {
    let p = UnitPatch {
        name: Some(f.name.clone()),
        unit_type: None,
        head_name: Some(f.head_name.clone()),
        head_title: Some(f.head_title.clone()),
        focal_name: Some(f.focal_name.clone()),
        focal_phone: Some(f.focal_phone.clone()),
        focal_email: Some(f.focal_email.clone()),
    };
    match s.store.update_unit(&ctx.actor, id, &p).await {
        Ok(_) => Ok(see_other(&format!("/units/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(detail_page(&s, &ctx, id, Some((f, error))).await?))
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MoveForm {
    /// The new parent's code, typed with suggestions (or, from scripts, its id as `parent_id`).
    parent: String,
    parent_id: String,
}

async fn move_unit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> Result<Response, WebError> {
    let parent = super::unit_field(&s, &ctx.actor, "parent", &f.parent_id, &f.parent).await?;
    s.store.move_unit(&ctx.actor, id, parent).await?;
    Ok(see_other(&format!("/units/{id}")))
}

#[derive(Deserialize)]
struct ActiveForm {
    active: bool,
}

async fn set_active(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, WebError> {
    s.store.set_unit_active(&ctx.actor, id, f.active).await?;
    Ok(see_other(&format!("/units/{id}")))
}

/// Imports a CSV/XLSX/JSON list of units, all or nothing, and shows what changed.
async fn import(State(s): State<AppState>, ctx: Ctx, mp: Multipart) -> Result<Html<String>, WebError> {
    let upload = super::Upload::read(mp).await?;
    let parent_id =
        super::unit_field(&s, &ctx.actor, "parent", upload.text("parent_id"), upload.text("parent")).await?;
    let (name, bytes) = upload.file()?;
    let summary = crate::services::units_io::import(&s, &ctx, &name, &bytes, parent_id).await?;
    let notice = ctx
        .lang
        .pick(
            &format!(
                "Đã nhập tệp {name}: {} đơn vị mới, {} cập nhật, {} không đổi.",
                summary.created, summary.updated, summary.unchanged
            ),
            &format!(
                "Imported {name}: {} new units, {} updated, {} unchanged.",
                summary.created, summary.updated, summary.unchanged
            ),
        )
        .to_string();
    list_page(&s, &ctx, String::new(), Some(notice), Default::default()).await
}

/// The visible units as an XLSX in the import template's columns.
async fn export(State(s): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    Ok(crate::services::units_io::export(&s, &ctx, crate::services::units_io::ExportFormat::Xlsx).await?)
}
