use crate::api::paging;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::page::parse_sort;
use khien_domain::role::Role;
use khien_store::{NewUser, Page, RoleAssignment, User, UserDetail, UserFilter, UserPatch};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(set_user_active))
        .routes(routes!(reset_password))
        .routes(routes!(grant_role))
        .routes(routes!(revoke_role))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Search in full name and username, ignoring diacritics and case.
    q: Option<String>,
    unit_id: Option<i64>,
    active: Option<bool>,
    /// `username`, `full_name`, `-username` or `-full_name`.
    #[param(value_type = Option<crate::api::params::UserSort>, inline)]
    sort: Option<String>,
    pub(crate) cursor: Option<String>,
    /// 1–500, default 50.
    #[param(minimum = 1, maximum = 500)]
    pub(crate) limit: Option<i64>,
}

impl UserQuery {
    pub(crate) fn filter(self) -> Result<UserFilter, khien_domain::Error> {
        let (sort, dir) = parse_sort(self.sort.as_deref(), &["username", "full_name"], "username")?;
        let (cursor, limit) = paging(self.cursor.as_deref(), self.limit)?;
        Ok(UserFilter { q: self.q, unit_id: self.unit_id, active: self.active, sort, dir: Some(dir), cursor, limit })
    }
}

/// List the users of units the caller may see.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery), responses((status = 200, body = Page<User>)))]
async fn list_users(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> Result<Json<Page<User>>, ApiError> {
    Ok(Json(s.store.list_users(&ctx.actor, &q.filter()?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    username: String,
    full_name: String,
    email: Option<String>,
    unit_id: i64,
    /// At least 10 characters and 3 of: lowercase, uppercase, digits, symbols.
    password: String,
}

/// Create a user in a unit the caller manages.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = CreateUser,
    responses((status = 201, body = User), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn create_user(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<CreateUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let n = NewUser {
        username: b.username,
        full_name: b.full_name,
        email: b.email,
        unit_id: b.unit_id,
        password: b.password,
    };
    Ok((StatusCode::CREATED, Json(s.store.create_user(&ctx.actor, &n).await?)))
}

/// One user with their role assignments.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserDetail), (status = 404, body = crate::error::Problem)))]
async fn get_user(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<UserDetail>, ApiError> {
    Ok(Json(s.store.get_user(&ctx.actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchUser {
    full_name: Option<String>,
    email: Option<String>,
    unit_id: Option<i64>,
}

/// Change a user's name, e-mail or unit.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = PatchUser,
    responses((status = 200, body = User), (status = 404, body = crate::error::Problem)))]
async fn update_user(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PatchUser>,
) -> Result<Json<User>, ApiError> {
    let p = UserPatch { full_name: b.full_name, email: b.email, unit_id: b.unit_id };
    Ok(Json(s.store.update_user(&ctx.actor, id, &p).await?))
}

/// Deactivate (ending all sessions and tokens) or reactivate a user.
#[utoipa::path(put, path = "/api/v1/users/{id}/active", tag = "users", params(("id" = i64, Path)), request_body = super::units::SetActive,
    responses((status = 200, body = User), (status = 404, body = crate::error::Problem)))]
async fn set_user_active(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<super::units::SetActive>,
) -> Result<Json<User>, ApiError> {
    Ok(Json(s.store.set_user_active(&ctx.actor, id, b.active).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    password: String,
}

/// Set a user's password (administrator reset); all their sessions and tokens end.
#[utoipa::path(put, path = "/api/v1/users/{id}/password", tag = "users", params(("id" = i64, Path)), request_body = ResetPassword,
    responses((status = 204), (status = 422, body = crate::error::Problem)))]
async fn reset_password(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ResetPassword>,
) -> Result<StatusCode, ApiError> {
    s.store.set_password(&ctx.actor, id, &b.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantRole {
    role: Role,
    unit_id: i64,
    /// Whether the role covers the unit's whole subtree.
    #[serde(default)]
    recursive: bool,
}

/// Grant a role on a unit to a user.
#[utoipa::path(post, path = "/api/v1/users/{id}/roles", tag = "users", params(("id" = i64, Path)), request_body = GrantRole,
    responses((status = 201, body = RoleAssignment), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn grant_role(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<GrantRole>,
) -> Result<(StatusCode, Json<RoleAssignment>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.grant_role(&ctx.actor, id, b.role, b.unit_id, b.recursive).await?)))
}

/// Revoke a role assignment.
#[utoipa::path(delete, path = "/api/v1/role-assignments/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn revoke_role(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    s.store.revoke_role(&ctx.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
