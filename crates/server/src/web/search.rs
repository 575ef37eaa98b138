//! The header's search box: units, systems, incidents, findings and dossiers the user may see
//! whose text holds every word typed, with or without diacritics; each list's first matches and
//! a link to the whole list.

use super::msg;
use super::{render, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use khien_domain::role::Action;
use khien_store::{FindingFilter, IncidentFilter, SystemFilter, UnitFilter};
use serde::Deserialize;

/// Matches shown per kind of record.
const PER_KIND: i64 = 10;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

/// One match: where it is, what it is called, what to say about it.
struct Hit {
    link: String,
    title: String,
    detail: String,
}

/// The matches of one kind of record.
struct Group {
    id: &'static str,
    label: &'static str,
    hits: Vec<Hit>,
    /// The list with the same search, when there may be more.
    all: Option<String>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    groups: Vec<Group>,
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn search(State(s): State<AppState>, ctx: Ctx, Query(p): Query<SearchQuery>) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let q = p.q.trim().to_string();
    let mut groups = Vec::new();
    if khien_domain::fold::word_patterns(&q).is_empty() {
        return render(&SearchPage { c: Chrome::new(&ctx, "search", "Tìm kiếm", "Search"), q, groups });
    }
    let term = Some(q.clone());
    let more = |n: usize, path: &str| (n as i64 >= PER_KIND).then(|| format!("{path}q={}", super::q(&q)));
    let units =
        s.store.list_units(&ctx.actor, &UnitFilter { q: term.clone(), limit: PER_KIND, ..Default::default() }).await?;
    let hits: Vec<Hit> = units
        .items
        .into_iter()
        .map(|u| Hit { link: format!("/units/{}", u.id), title: u.name, detail: u.code })
        .collect();
    groups.push(Group { id: "units", label: lang.t(msg::UNITS), all: more(hits.len(), "/units?"), hits });
    let systems = s
        .store
        .list_systems(&ctx.actor, &SystemFilter { q: term.clone(), limit: PER_KIND, ..Default::default() })
        .await?;
    let hits: Vec<Hit> = systems
        .items
        .into_iter()
        .map(|x| Hit {
            link: format!("/systems/{}", x.id),
            title: x.name,
            detail: format!("{} · {}", x.code, x.owner_unit_name),
        })
        .collect();
    groups.push(Group { id: "systems", label: lang.t(msg::SYSTEMS), all: more(hits.len(), "/systems?"), hits });
    let dossiers = s.store.find_dossiers(&ctx.actor, &q, PER_KIND).await?;
    let hits = dossiers
        .into_iter()
        .map(|d| Hit {
            link: format!("/dossiers/{}", d.id),
            title: d.system_name,
            detail: format!("{} · {} · {}", d.state.label(lang), lang.t(msg::LEVEL), d.proposed_level),
        })
        .collect();
    groups.push(Group { id: "dossiers", label: lang.t(msg::LEVEL_DOSSIER), all: None, hits });
    if ctx.actor.can_anywhere(Action::ViewIncidents) {
        let f = IncidentFilter { q: term.clone(), include_closed: true, limit: PER_KIND, ..Default::default() };
        let hits: Vec<Hit> = s
            .store
            .list_incidents(&ctx.actor, &f)
            .await?
            .items
            .into_iter()
            .map(|i| Hit {
                link: format!("/incidents/{}", i.id),
                title: format!("{} — {}", i.code, i.title),
                detail: format!("{} · {}", i.state.label(lang), i.unit_name),
            })
            .collect();
        groups.push(Group {
            id: "incidents",
            label: lang.t(msg::INCIDENTS),
            all: more(hits.len(), "/incidents?include_closed=on&"),
            hits,
        });
    }
    let f = FindingFilter { q: term, include_closed: true, limit: PER_KIND, ..Default::default() };
    let hits: Vec<Hit> = s
        .store
        .list_findings(&ctx.actor, &f)
        .await?
        .items
        .into_iter()
        .map(|x| Hit {
            link: format!("/findings/{}", x.id),
            title: x.title,
            detail: format!("{} · {}", x.system_code, x.system_name),
        })
        .collect();
    groups.push(Group { id: "findings", label: lang.t(msg::FINDINGS), all: more(hits.len(), "/findings?"), hits });
    render(&SearchPage { c: Chrome::new(&ctx, "search", "Tìm kiếm", "Search"), q, groups })
}
