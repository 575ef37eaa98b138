//! Specialist staff per unit (NĐ 179/2025) and their certificates.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::staff::StaffRole;
use khien_store::{SecurityStaff, StaffCertificateInput, StaffInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_staff, record_staff))
        .routes(routes!(get_staff, update_staff))
        .routes(routes!(add_certificate))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StaffQuery {
    /// Only this unit's people.
    unit_id: Option<i64>,
}

/// The security staff of the units the caller may see people of, with certificates.
#[utoipa::path(get, path = "/api/v1/security-staff", tag = "plans", params(StaffQuery),
    responses((status = 200, body = Vec<SecurityStaff>)))]
async fn list_staff(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<StaffQuery>,
) -> Result<Json<Vec<SecurityStaff>>, ApiError> {
    Ok(Json(s.store.list_security_staff(&ctx.actor, q.unit_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffBody {
    unit_id: i64,
    full_name: String,
    #[serde(default)]
    position: String,
    role: StaffRole,
    /// dd/mm/yyyy or yyyy-mm-dd.
    since: String,
    #[serde(default)]
    qualifications: String,
    /// False once the person has left the role.
    #[serde(default = "in_post")]
    active: bool,
}

fn in_post() -> bool {
    true
}

impl StaffBody {
    fn input(self) -> StaffInput {
        StaffInput {
            unit_id: self.unit_id,
            full_name: self.full_name,
            position: self.position,
            role: self.role.code().to_string(),
            since: self.since,
            qualifications: self.qualifications,
            active: self.active,
        }
    }
}

/// Add a person to a unit the caller may edit.
#[utoipa::path(post, path = "/api/v1/security-staff", tag = "plans", request_body = StaffBody,
    responses((status = 201, body = SecurityStaff), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn record_staff(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<StaffBody>,
) -> Result<(StatusCode, Json<SecurityStaff>), ApiError> {
    Ok((StatusCode::CREATED, Json(s.store.record_security_staff(&ctx.actor, &b.input()).await?)))
}

#[utoipa::path(get, path = "/api/v1/security-staff/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = SecurityStaff), (status = 404, body = crate::error::Problem)))]
async fn get_staff(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<SecurityStaff>, ApiError> {
    Ok(Json(s.store.get_security_staff(&ctx.actor, id).await?))
}

/// Edit a person; their unit stays.
#[utoipa::path(put, path = "/api/v1/security-staff/{id}", tag = "plans", params(("id" = i64, Path)), request_body = StaffBody,
    responses((status = 200, body = SecurityStaff), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn update_staff(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<StaffBody>,
) -> Result<Json<SecurityStaff>, ApiError> {
    Ok(Json(s.store.update_security_staff(&ctx.actor, id, &b.input()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateBody {
    name: String,
    #[serde(default)]
    issuer: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    issued_on: String,
    /// Empty or absent when it does not expire.
    #[serde(default)]
    expires_on: String,
}

/// Record a certificate a person holds.
#[utoipa::path(post, path = "/api/v1/security-staff/{id}/certificates", tag = "plans", params(("id" = i64, Path)), request_body = CertificateBody,
    responses((status = 201, body = SecurityStaff), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn add_certificate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CertificateBody>,
) -> Result<(StatusCode, Json<SecurityStaff>), ApiError> {
    let input =
        StaffCertificateInput { name: b.name, issuer: b.issuer, issued_on: b.issued_on, expires_on: b.expires_on };
    Ok((StatusCode::CREATED, Json(s.store.add_staff_certificate(&ctx.actor, id, &input).await?)))
}
