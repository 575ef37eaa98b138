//! The response network's roster page: the members and their 24/7 contacts, the applications
//! of the caller's units, the form a unit's manager applies or updates with, and the standing
//! body's decisions.

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
use khien_domain::network::{MemberDecision, MemberEntry};
use khien_domain::role::Action;
use khien_domain::Error;
use khien_store::NetworkMember;

pub fn router() -> Router<AppState> {
    Router::new().route("/network", get(page).post(apply)).route("/network/{unit_id}/decision", post(decide))
}

#[derive(Template)]
#[template(path = "network.html")]
struct RosterPage {
    c: Chrome,
    members: Vec<(NetworkMember, &'static str)>,
    /// The members' specialist staff the caller may see: (unit, name, position, qualifications,
    /// certificates with their expiry).
    staff: Vec<(String, String, String, String, String)>,
    /// The units the caller may apply for (its manager's).
    applicants: Vec<(i64, String)>,
    can_decide: bool,
    v: Posted,
    error: FormError,
}

async fn show(s: &AppState, ctx: &Ctx, v: Posted, error: FormError) -> Result<Html<String>, WebError> {
    let members =
        s.store.network_roster(&ctx.actor).await?.into_iter().map(|m| (m.clone(), m.state.label(ctx.lang))).collect();
    let staff = s
        .store
        .network_staff(&ctx.actor)
        .await?
        .into_iter()
        .map(|p| {
            let certificates: Vec<String> = p
                .certificates
                .iter()
                .map(|c| match &c.expires_on {
                    Some(until) => format!("{} ({})", c.name, khien_domain::calendar::display_date(until)),
                    None => c.name.clone(),
                })
                .collect();
            (p.unit_name, p.full_name, p.position, p.qualifications, certificates.join("; "))
        })
        .collect();
    render(&RosterPage {
        c: Chrome::new(ctx, "incidents", "Mạng lưới ứng cứu sự cố", "Response network"),
        members,
        staff,
        applicants: super::units::options(s, ctx, Action::EditUnit).await?,
        can_decide: ctx.actor.can_anywhere(Action::Govern),
        v,
        error,
    })
}

async fn page(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    show(&s, &ctx, Posted::default(), FormError::default()).await
}

async fn apply(State(s): State<AppState>, ctx: Ctx, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let entry = MemberEntry {
        contact_name: p.get("contact_name").into(),
        contact_phone: p.get("contact_phone").into(),
        contact_email: p.get("contact_email").into(),
        public_key: p.get("public_key").into(),
        capabilities: p.get("capabilities").into(),
    };
    let result = match p.get("unit").trim().parse::<i64>() {
        Ok(unit) => s.store.apply_to_network(&ctx.actor, unit, &entry).await,
        Err(_) => Err(Error::invalid("unit", "Chọn đơn vị đăng ký.", "Choose the unit applying.")),
    };
    match result {
        Ok(m) => Ok(see_other(&format!("/network#member-{}", m.unit_id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show(&s, &ctx, p, error).await?))
        }
    }
}

async fn decide(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(unit_id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let result = match MemberDecision::parse("decision", p.get("decision")) {
        Ok(d) => s.store.decide_network_member(&ctx.actor, unit_id, d, p.get("reason")).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/network#member-{unit_id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show(&s, &ctx, p, error).await?))
        }
    }
}
