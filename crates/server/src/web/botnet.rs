//! The botnet cases page (issue 18.5): a unit's infected addresses to clean, reported with
//! evidence; the authority's cases to verify or send back, the addresses of no unit yet, and
//! the import of a national centre's list.

use super::filters;
use super::kept_form::{refusal, refused, FormError, Posted};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;
use khien_domain::botnet::{BotnetMove, BotnetState};
use khien_domain::role::Action;
use khien_domain::time::display_vn;
use khien_store::{BotnetCase, BotnetFilter};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/botnet", get(page)).route("/botnet/{id}/move", post(move_case)).route(
        "/botnet/import",
        post(import).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES + 4096)),
    )
}

#[derive(Debug, Default, Deserialize, Clone)]
struct Filters {
    #[serde(default)]
    state: String,
    #[serde(default)]
    unattributed: String,
}

struct Row {
    c: BotnetCase,
    state: &'static str,
    last_seen: String,
    /// The moves the caller may make: (code, label).
    moves: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "botnet.html")]
struct CasesPage {
    c: Chrome,
    f: Filters,
    states: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    city_wide: bool,
    /// The case whose form was refused, and why.
    refused_case: i64,
    v: Posted,
    error: FormError,
}

async fn show(
    s: &AppState,
    ctx: &Ctx,
    f: Filters,
    (refused_case, v, error): (i64, Posted, FormError),
) -> Result<Html<String>, WebError> {
    let state = match f.state.trim() {
        "" => None,
        code => Some(BotnetState::parse("state", code)?),
    };
    let filter = BotnetFilter { unit_id: None, state, unattributed: f.unattributed == "true" };
    let cases = s.store.list_botnet_cases(&ctx.actor, &filter).await?;
    let rows = cases
        .into_iter()
        .map(|c| {
            let moves = c.moves.iter().map(|m| (m.code(), m.label(ctx.lang))).collect();
            Row { state: c.state.label(ctx.lang), last_seen: display_vn(c.last_seen), moves, c }
        })
        .collect();
    render(&CasesPage {
        c: Chrome::new(ctx, "incidents", "IP nhiễm mã độc botnet", "Botnet IPs"),
        f,
        states: BotnetState::ALL.iter().map(|s| (s.code(), s.label(ctx.lang))).collect(),
        rows,
        city_wide: ctx.actor.reach(Action::VerifyFindings).is_whole_tree(),
        refused_case,
        v,
        error,
    })
}

async fn page(State(s): State<AppState>, ctx: Ctx, Query(f): Query<Filters>) -> Result<Html<String>, WebError> {
    show(&s, &ctx, f, (0, Posted::default(), FormError::default())).await
}

async fn move_case(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let result = match BotnetMove::parse("move", p.get("move")) {
        Ok(m) => s.store.move_botnet_case(&ctx.actor, id, m, p.get("note")).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/botnet#case-{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            Ok(refused(show(&s, &ctx, Filters::default(), (id, p, error)).await?))
        }
    }
}

async fn import(State(s): State<AppState>, ctx: Ctx, mp: axum::extract::Multipart) -> Result<Response, WebError> {
    let upload = super::Upload::read(mp).await?;
    let feed = upload.text("feed").to_string();
    let (name, bytes) = upload.file()?;
    crate::api::botnet::import(&s, &ctx, &name, &feed, &bytes).await?;
    Ok(see_other("/botnet"))
}
