//! Indicators: their definitions, each one's figures (the city per period, the units of one
//! period), the explicit computation of a period's snapshot and figures entered by hand.

use crate::auth::Ctx;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use khien_domain::indicator::Measure;
use khien_store::{Indicator, IndicatorDetail, IndicatorInput, IndicatorValue, PeriodSnapshot};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_indicators, define_indicator))
        .routes(routes!(indicator_detail))
        .routes(routes!(snapshot))
        .routes(routes!(snapshot_period))
        .routes(routes!(record_value))
        .routes(routes!(indicator_workbook))
        .routes(routes!(all_workbook))
}

/// Every indicator, by plan and code.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators", responses((status = 200, body = Vec<Indicator>)))]
async fn list_indicators(State(s): State<AppState>, ctx: Ctx) -> Result<Json<Vec<Indicator>>, ApiError> {
    Ok(Json(s.store.list_indicators(&ctx.actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefineIndicator {
    code: String,
    name_vi: String,
    name_en: String,
    #[serde(default)]
    plan_number: String,
    measure: Measure,
    /// Yearly targets as typed: "2023: 80, 2024: 90, 2025: 100" (percent).
    #[serde(default)]
    targets: String,
}

/// Define an indicator (the standing body's).
#[utoipa::path(post, path = "/api/v1/indicators", tag = "indicators", request_body = DefineIndicator,
    responses((status = 201, body = Indicator), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn define_indicator(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<DefineIndicator>,
) -> Result<(StatusCode, Json<Indicator>), ApiError> {
    let input = IndicatorInput {
        code: b.code,
        name_vi: b.name_vi,
        name_en: b.name_en,
        plan_number: b.plan_number,
        measure: b.measure.code().to_string(),
        targets: khien_domain::indicator::parse_targets(&b.targets)?,
    };
    Ok((StatusCode::CREATED, Json(s.store.define_indicator(&ctx.actor, &input).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IndicatorQuery {
    /// The period of the units' figures ("2026" or "2026-05"); the latest when absent.
    period: Option<String>,
}

/// The indicator's figures: the sum over the caller's units per period, and each unit's figure
/// for one period.
#[utoipa::path(get, path = "/api/v1/indicators/{id}", tag = "indicators", params(("id" = i64, Path), IndicatorQuery),
    responses((status = 200, body = IndicatorDetail), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn indicator_detail(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<IndicatorQuery>,
) -> Result<Json<IndicatorDetail>, ApiError> {
    Ok(Json(s.store.indicator_detail(&ctx.actor, id, q.period.as_deref()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotBody {
    /// "2026" or "2026-05"; begun.
    period: String,
}

/// Compute the period's figures per unit from today's records and keep them (replacing the
/// period's earlier computed figures; the audit trail keeps their sum). The standing body's.
#[utoipa::path(post, path = "/api/v1/indicators/{id}/snapshots", tag = "indicators", params(("id" = i64, Path)), request_body = SnapshotBody,
    responses((status = 200, body = IndicatorDetail), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn snapshot(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SnapshotBody>,
) -> Result<Json<IndicatorDetail>, ApiError> {
    Ok(Json(s.store.snapshot_indicator(&ctx.actor, id, &b.period).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodsBody {
    /// "2026" or "2026-05"; begun.
    period: String,
    /// With a month as `period`: every month from it to this one ("2026-12"), at most 120.
    #[serde(default)]
    until: Option<String>,
}

/// Compute every computed indicator's figures for the period (or each month of a range) at
/// once, from one read of the records (figures entered by hand are left alone). The standing
/// body's.
#[utoipa::path(post, path = "/api/v1/indicators/snapshots", tag = "indicators", request_body = PeriodsBody,
    responses((status = 200, body = Vec<PeriodSnapshot>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn snapshot_period(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<PeriodsBody>,
) -> Result<Json<Vec<PeriodSnapshot>>, ApiError> {
    let periods = match b.until.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(until) => khien_domain::indicator::months_between(&b.period, until)?,
        None => vec![b.period],
    };
    Ok(Json(s.store.snapshot_periods(&ctx.actor, &periods).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueBody {
    unit_id: i64,
    period: String,
    /// The part (e.g. endpoints reporting to NCSC).
    numerator: i64,
    /// The whole (e.g. endpoints in the unit).
    denominator: i64,
    #[serde(default)]
    note: String,
}

/// A unit's figure for an indicator entered by hand (its measure is `manual`).
#[utoipa::path(post, path = "/api/v1/indicators/{id}/values", tag = "indicators", params(("id" = i64, Path)), request_body = ValueBody,
    responses((status = 201, body = IndicatorValue), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn record_value(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<ValueBody>,
) -> Result<(StatusCode, Json<IndicatorValue>), ApiError> {
    let v = s
        .store
        .record_indicator_value(&ctx.actor, id, b.unit_id, &b.period, (b.numerator, b.denominator), &b.note)
        .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

fn percent_cell(bp: Option<i64>) -> khien_formats::sheet::Cell {
    bp.map_or(khien_formats::sheet::Cell::Empty, |b| khien_formats::sheet::Cell::Number(b as f64 / 100.0))
}

fn value_row(v: &IndicatorValue) -> Vec<khien_formats::sheet::Cell> {
    use khien_formats::sheet::Cell;
    vec![
        Cell::from(v.unit_name.clone()),
        Cell::from(v.period.clone()),
        Cell::from(v.numerator),
        Cell::from(v.denominator),
        percent_cell(v.share_bp),
        percent_cell(v.target_bp),
        Cell::from(if v.manual { "nhập tay" } else { "tính từ dữ liệu" }),
    ]
}

pub(crate) fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|h| h.to_string()).collect()
}

const VALUE_HEADERS: [&str; 7] = ["Đơn vị", "Kỳ", "Số đạt", "Tổng số", "Tỷ lệ (%)", "Mục tiêu (%)", "Nguồn số liệu"];

/// A sheet to write: its name, header row and rows.
pub(crate) type Sheet = (String, Vec<String>, Vec<Vec<khien_formats::sheet::Cell>>);

/// Sheets as an XLSX workbook, written off the async runtime.
pub(crate) async fn workbook(tables: Vec<Sheet>) -> Result<Vec<u8>, ApiError> {
    let bytes = tokio::task::spawn_blocking(move || {
        let heads: Vec<Vec<&str>> = tables.iter().map(|(_, h, _)| h.iter().map(String::as_str).collect()).collect();
        let sheets: Vec<khien_formats::sheet::Table<'_>> = tables
            .iter()
            .zip(&heads)
            .map(|((name, _, rows), headers)| khien_formats::sheet::Table { name, headers, rows })
            .collect();
        khien_formats::sheet::write_tables_xlsx(&sheets)
    })
    .await
    .map_err(khien_domain::Error::internal)?
    .map_err(khien_domain::Error::internal)?;
    Ok(bytes)
}

/// One indicator as a workbook: the caller's figure per period, then each unit's for the period.
#[utoipa::path(get, path = "/api/v1/indicators/{id}/export", tag = "indicators", params(("id" = i64, Path), IndicatorQuery),
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 404, body = crate::error::Problem)))]
async fn indicator_workbook(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<IndicatorQuery>,
) -> Result<axum::response::Response, ApiError> {
    let d = s.store.indicator_detail(&ctx.actor, id, q.period.as_deref()).await?;
    let code: String = d.indicator.code.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let bytes = workbook(vec![
        ("Theo ky".into(), headers(&VALUE_HEADERS), d.city.iter().map(value_row).collect()),
        ("Theo don vi".into(), headers(&VALUE_HEADERS), d.units.iter().map(value_row).collect()),
    ])
    .await?;
    Ok(crate::api::list_exports::xlsx_download(bytes, &format!("chi-tieu-{code}.xlsx")))
}

/// Every indicator with the caller's figure per period, one line each, as a workbook.
#[utoipa::path(get, path = "/api/v1/indicators/export", tag = "indicators",
    responses((status = 200, content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
async fn all_workbook(State(s): State<AppState>, ctx: Ctx) -> Result<axum::response::Response, ApiError> {
    use khien_formats::sheet::Cell;
    let mut rows = Vec::new();
    for ind in s.store.list_indicators(&ctx.actor).await? {
        let (_, city) = s.store.indicator_trend(&ctx.actor, ind.id).await?;
        for v in &city {
            let mut row = vec![
                Cell::from(ind.code.clone()),
                Cell::from(ind.name_vi.clone()),
                Cell::from(ind.plan_number.clone()),
            ];
            row.extend(value_row(v).into_iter().skip(1));
            rows.push(row);
        }
    }
    let head = headers(&[
        "Mã",
        "Chỉ tiêu",
        "Kế hoạch",
        "Kỳ",
        "Số đạt",
        "Tổng số",
        "Tỷ lệ (%)",
        "Mục tiêu (%)",
        "Nguồn số liệu",
    ]);
    let bytes = workbook(vec![("Chi tieu".into(), head, rows)]).await?;
    Ok(crate::api::list_exports::xlsx_download(bytes, "chi-tieu.xlsx"))
}
