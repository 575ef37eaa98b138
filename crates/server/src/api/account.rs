use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::role::Role;
use khien_domain::{Error, Lang};
use khien_store::{ApiToken, EmailPreference, UserDetail};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(change_password))
        .routes(routes!(set_lang))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_filters, save_filter))
        .routes(routes!(delete_filter))
        .routes(routes!(email_preferences, set_email_preferences))
}

/// Which kinds of notification the caller also receives by e-mail.
#[utoipa::path(get, path = "/api/v1/account/email-preferences", tag = "account", responses((status = 200, body = Vec<EmailPreference>)))]
async fn email_preferences(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<EmailPreference>>, ApiError> {
    Ok(Json(s.store.email_preferences(&ctx.actor).await?))
}

/// Switch e-mail on or off per kind of notification (kinds not named keep their choice).
#[utoipa::path(put, path = "/api/v1/account/email-preferences", tag = "account", request_body = Vec<EmailPreference>, responses((status = 200, body = Vec<EmailPreference>), (status = 400, body = crate::error::Problem)))]
async fn set_email_preferences(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<Vec<EmailPreference>>,
) -> Result<Json<Vec<EmailPreference>>, ApiError> {
    Ok(Json(s.store.set_email_preferences(&ctx.actor, &b).await?))
}

/// The caller's saved registry filters.
#[utoipa::path(get, path = "/api/v1/saved-filters", tag = "account", responses((status = 200, body = Vec<khien_store::SavedFilter>)))]
async fn list_filters(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<khien_store::SavedFilter>>, ApiError> {
    Ok(Json(s.store.saved_filters(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFilter {
    name: String,
    /// The registry list's query string (only its own parameters).
    query: String,
}

/// Save a registry filter under a name.
#[utoipa::path(post, path = "/api/v1/saved-filters", tag = "account", request_body = NewFilter, responses((status = 201, body = khien_store::SavedFilter), (status = 422, body = crate::error::Problem)))]
async fn save_filter(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<NewFilter>,
) -> Result<(StatusCode, Json<khien_store::SavedFilter>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.save_filter(&ctx.actor, &b.name, &b.query).await?)))
}

/// Delete one of the caller's saved filters.
#[utoipa::path(delete, path = "/api/v1/saved-filters/{id}", tag = "account", params(("id" = i64, Path)), responses((status = 204), (status = 404, body = crate::error::Problem)))]
async fn delete_filter(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    s.store.delete_filter(&ctx.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own account and roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", responses((status = 200, body = UserDetail), (status = 401, body = crate::error::Problem)))]
async fn me(State(s): State<AppState>, ctx: Ctx) -> Result<Json<UserDetail>, ApiError> {
    Ok(Json(s.store.get_user(&ctx.actor, ctx.actor.user_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    current_password: String,
    new_password: String,
}

/// Change one's own password; every session and token of the account ends.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "account", request_body = ChangePassword,
    responses((status = 204), (status = 422, body = crate::error::Problem)))]
async fn change_password(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<ChangePassword>,
) -> Result<StatusCode, ApiError> {
    s.store.change_own_password(&ctx.actor, &b.current_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetLang {
    /// `vi` or `en`.
    lang: String,
}

/// Save the caller's UI language.
#[utoipa::path(put, path = "/api/v1/me/lang", tag = "account", request_body = SetLang, responses((status = 204), (status = 422, body = crate::error::Problem)))]
async fn set_lang(State(s): State<AppState>, ctx: Ctx, ApiJson(b): ApiJson<SetLang>) -> Result<StatusCode, ApiError> {
    let lang = Lang::parse(&b.lang)
        .ok_or_else(|| Error::invalid("lang", "Ngôn ngữ phải là vi hoặc en.", "lang must be vi or en."))?;
    s.store.set_lang(ctx.actor.user_id, lang).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// API tokens on units where the caller manages tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", responses((status = 200, body = Vec<ApiToken>)))]
async fn list_tokens(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<ApiToken>>, ApiError> {
    Ok(Json(s.store.list_tokens(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    name: String,
    /// The role the token acts with; the caller must hold it (or be administrator) on the unit.
    role: Role,
    /// The unit (and subtree) the token is limited to.
    unit_id: i64,
    /// 1–730 days.
    valid_days: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// The secret, shown only in this response. Send it as `Authorization: Bearer <token>`.
    token: String,
    #[serde(flatten)]
    info: ApiToken,
}

/// Issue an API token for an integration. The secret is returned once and stored only hashed.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = CreateToken,
    responses((status = 201, body = CreatedToken), (status = 403, body = crate::error::Problem)))]
async fn create_token(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<CreateToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let (token, info) = s.store.create_token(&ctx.actor, &b.name, b.role, b.unit_id, b.valid_days).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token, info })))
}

/// Revoke an API token.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 200, body = ApiToken), (status = 404, body = crate::error::Problem)))]
async fn revoke_token(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<ApiToken>, ApiError> {
    Ok(Json(s.store.revoke_token(&ctx.actor, id).await?))
}
