//! Users pages: list with folded search, a user's page with roles, and the forms.

use super::filters;
use super::kept_form::{refusal, refused, FormError};
use super::listing::{LinkQuery, Pager};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::page::Cursor;
use khien_domain::role::{Action, Role};
use khien_store::{NewUser, Page, User, UserDetail, UserFilter};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}", get(detail))
        .route("/users/{id}/roles", post(grant))
        .route("/users/{id}/password", post(reset_password))
        .route("/users/{id}/active", post(set_active))
        .route("/role-assignments/{id}/delete", post(revoke))
}

#[derive(Template)]
#[template(path = "users.html")]
struct ListPage {
    c: Chrome,
    q: String,
    units: Vec<(i64, String)>,
    page: Page<User>,
    pager: Pager,
    /// The search, for the export link.
    export_query: String,
    /// The new-user form as typed (the password is never sent back), and why it was refused.
    v: CreateForm,
    error: FormError,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    cursor: Option<String>,
}

async fn list(State(s): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, WebError> {
    list_page(&s, &ctx, q, Default::default()).await
}

async fn list_page(
    s: &AppState,
    ctx: &Ctx,
    q: ListQuery,
    (v, error): (CreateForm, FormError),
) -> Result<Html<String>, WebError> {
    let f = UserFilter {
        q: q.q.clone(),
        sort: "username",
        cursor: q.cursor.as_deref().map(Cursor::decode).transpose()?,
        limit: 100,
        ..Default::default()
    };
    let page = s.store.list_users(&ctx.actor, &f).await?;
    let units = if ctx.actor.can_anywhere(Action::ManageUsers) {
        super::units::options(s, ctx, Action::ManageUsers).await?
    } else {
        Vec::new()
    };
    let q = q.q.unwrap_or_default();
    let c = Chrome::new(ctx, "users", "Người dùng", "Users");
    let filters = LinkQuery::default().with("q", q.clone());
    let pager = Pager::new("/users", &filters, &page);
    render(&ListPage { c, q, units, page, pager, export_query: filters.encoded(), v, error })
}

/// The new-user form, every field as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct CreateForm {
    username: String,
    full_name: String,
    email: String,
    unit_id: String,
    /// The unit's code, where the caller's units are too many to list.
    unit_id_code: String,
    password: String,
}

impl CreateForm {
    fn input(&self, unit_id: i64) -> Result<NewUser, khien_domain::Error> {
        Ok(NewUser {
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            email: Some(self.email.clone()),
            unit_id,
            password: self.password.clone(),
        })
    }
}

async fn create(State(s): State<AppState>, ctx: Ctx, Form(f): Form<CreateForm>) -> Result<Response, WebError> {
    let unit = super::unit_field(&s, &ctx.actor, "unit_id", &f.unit_id, &f.unit_id_code).await;
    let saved = match unit.and_then(|unit| f.input(unit)) {
        Ok(n) => s.store.create_user(&ctx.actor, &n).await.map(|u| u.id),
        Err(e) => Err(e),
    };
    match saved {
        Ok(id) => Ok(see_other(&format!("/users/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            let kept = CreateForm { password: String::new(), ..f };
            Ok(refused(list_page(&s, &ctx, ListQuery::default(), (kept, error)).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "user.html")]
struct DetailPage {
    c: Chrome,
    d: UserDetail,
    roles: Vec<(i64, String, String, bool)>,
    can_manage: bool,
    role_options: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
}

async fn detail(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let d = s.store.get_user(&ctx.actor, id).await?;
    let unit = s.store.get_unit(&ctx.actor, d.user.unit_id).await.ok();
    let can_manage =
        unit.as_ref().is_some_and(|u| ctx.actor.can(Action::ManageUsers, u.id, &u.path)) && id != ctx.actor.user_id;
    let roles =
        d.roles.iter().map(|r| (r.id, r.role.label(ctx.lang).to_string(), r.unit_name.clone(), r.recursive)).collect();
    let (role_options, units) = if can_manage {
        (
            ctx.actor.grantable_roles().into_iter().map(|r| (r.code(), r.label(ctx.lang))).collect(),
            super::units::options(&s, &ctx, Action::ManageUsers).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let title = d.user.full_name.clone();
    render(&DetailPage { c: Chrome::new(&ctx, "users", &title, &title), d, roles, can_manage, role_options, units })
}

#[derive(Deserialize)]
struct GrantForm {
    role: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    unit_id_code: String,
    recursive: bool,
}

async fn grant(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> Result<Response, WebError> {
    let role = Role::parse(&f.role)?;
    let unit = super::unit_field(&s, &ctx.actor, "unit_id", &f.unit_id, &f.unit_id_code).await?;
    s.store.grant_role(&ctx.actor, id, role, unit, f.recursive).await?;
    Ok(see_other(&format!("/users/{id}")))
}

#[derive(Deserialize)]
struct PasswordForm {
    password: String,
}

async fn reset_password(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    s.store.set_password(&ctx.actor, id, &f.password).await?;
    Ok(see_other(&format!("/users/{id}")))
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
    s.store.set_user_active(&ctx.actor, id, f.active).await?;
    Ok(see_other(&format!("/users/{id}")))
}

async fn revoke(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    let user_id = s.store.revoke_role(&ctx.actor, id).await?;
    Ok(see_other(&format!("/users/{user_id}")))
}
