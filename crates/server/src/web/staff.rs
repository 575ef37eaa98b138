//! Specialist staff: the people who hold each unit's security role, their NĐ 179/2025 support
//! and certificates (flagged before expiry); a person's page to edit them and add certificates.

use super::kept_form::{refusal, refused, FormError, Posted};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;
use khien_domain::calendar::display_date;
use khien_domain::number::grouped;
use khien_domain::role::Action;
use khien_domain::staff::{CertificateState, StaffRole};
use khien_store::{SecurityStaff, StaffCertificateInput, StaffInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(list).post(record))
        .route("/staff/{id}", get(person).post(edit))
        .route("/staff/{id}/certificates", post(add_certificate))
}

/// What the list adds up: people by role, the month's support, certificates to renew.
#[derive(Default)]
struct Totals {
    full_time: usize,
    part_time: usize,
    support: String,
    expiring: usize,
    expired: usize,
}

fn totals(staff: &[SecurityStaff]) -> Totals {
    let active = || staff.iter().filter(|p| p.active);
    let certs = || active().flat_map(|p| p.certificates.iter());
    Totals {
        full_time: active().filter(|p| p.role == StaffRole::FullTime).count(),
        part_time: active().filter(|p| p.role == StaffRole::PartTime).count(),
        support: grouped(active().map(|p| p.monthly_support).sum()),
        expiring: certs().filter(|c| c.state == CertificateState::Expiring).count(),
        expired: certs().filter(|c| c.state == CertificateState::Expired).count(),
    }
}

#[derive(Template)]
#[template(path = "staff.html")]
struct ListPage {
    c: Chrome,
    staff: Vec<SecurityStaff>,
    totals: Totals,
    roles: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
    v: Posted,
    error: FormError,
}

fn roles(lang: khien_domain::Lang) -> Vec<(&'static str, &'static str)> {
    StaffRole::ALL.iter().map(|r| (r.code(), r.label(lang))).collect()
}

async fn show(s: &AppState, ctx: &Ctx, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let staff = s.store.list_security_staff(&ctx.actor, None).await?;
    render(&ListPage {
        c: Chrome::new(ctx, "units", "Cán bộ làm công tác an ninh mạng", "Security staff"),
        totals: totals(&staff),
        staff,
        roles: roles(ctx.lang),
        units: if ctx.actor.can_anywhere(Action::EditUnit) {
            super::units::options(s, ctx, Action::EditUnit).await?
        } else {
            Vec::new()
        },
        v,
        error,
    })
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    show(&s, &ctx, Posted::default(), FormError::default()).await
}

fn input(unit_id: i64, p: &Posted) -> StaffInput {
    StaffInput {
        unit_id,
        full_name: p.get("full_name").to_string(),
        position: p.get("position").to_string(),
        role: p.get("role").to_string(),
        since: p.get("since").to_string(),
        qualifications: p.get("qualifications").to_string(),
        active: p.get("active") != "0",
    }
}

async fn record(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let result = match super::unit_field(&s, &ctx.actor, "unit", p.get("unit"), p.get("unit_code")).await {
        Ok(unit) => s.store.record_security_staff(&ctx.actor, &input(unit, &p)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(person) => Ok(see_other(&format!("/staff/{}", person.id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show(&s, &ctx, p, error).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "staff_person.html")]
struct PersonPage {
    c: Chrome,
    p: SecurityStaff,
    can_edit: bool,
    roles: Vec<(&'static str, &'static str)>,
    v: Posted,
    error: FormError,
    cert: Posted,
    cert_error: FormError,
}

/// The person's page; `v` keeps a refused edit, `cert` a refused certificate.
async fn person_page(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    (v, error): (Option<Posted>, FormError),
    (cert, cert_error): (Posted, FormError),
) -> Result<Html<String>, WebError> {
    let p = s.store.get_security_staff(&ctx.actor, id).await?;
    let unit = s.store.get_unit(&ctx.actor, p.unit_id).await?;
    let v = v.unwrap_or_else(|| {
        Posted::default()
            .with("full_name", &p.full_name)
            .with("position", &p.position)
            .with("role", p.role.code())
            .with("since", &display_date(&p.since))
            .with("qualifications", &p.qualifications)
            .with("active", if p.active { "1" } else { "0" })
    });
    render(&PersonPage {
        c: Chrome::new(ctx, "units", &p.full_name, &p.full_name),
        can_edit: ctx.actor.can(Action::EditUnit, unit.id, &unit.path),
        roles: roles(ctx.lang),
        p,
        v,
        error,
        cert,
        cert_error,
    })
}

async fn person(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    person_page(&s, &ctx, id, (None, FormError::default()), (Posted::default(), FormError::default())).await
}

async fn edit(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let current = s.store.get_security_staff(&ctx.actor, id).await?;
    match s.store.update_security_staff(&ctx.actor, id, &input(current.unit_id, &p)).await {
        Ok(_) => Ok(see_other(&format!("/staff/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            let page = person_page(&s, &ctx, id, (Some(p), error), (Posted::default(), FormError::default()));
            Ok(refused(page.await?))
        }
    }
}

async fn add_certificate(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let input = StaffCertificateInput {
        name: p.get("name").to_string(),
        issuer: p.get("issuer").to_string(),
        issued_on: p.get("issued_on").to_string(),
        expires_on: p.get("expires_on").to_string(),
    };
    match s.store.add_staff_certificate(&ctx.actor, id, &input).await {
        Ok(_) => Ok(see_other(&format!("/staff/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(person_page(&s, &ctx, id, (None, FormError::default()), (p, error)).await?))
        }
    }
}
