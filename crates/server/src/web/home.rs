//! The home page, "Việc cần xử lý": what waits for the signed-in person, section by section,
//! most urgent first, each with its exact count and a link to where the work is done. People who
//! hold a leadership (viewer) role also get the city's summary charts.

use super::chart::Lines;
use super::filters;
use super::msg;
use super::{render, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::filters::Safe;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use khien_domain::audit::action_label;
use khien_domain::calendar::{display_date, parse_date};
use khien_domain::number::grouped;
use khien_domain::role::{Action, Role};
use khien_domain::time::{days_left, display_vn, time_left};
use khien_domain::Lang;
use khien_store::{AuditFilter, WorkItem, WorkSection};

/// One row of a section, ready to show.
struct WorkRow {
    due: String,
    /// "còn 5 giờ", "quá hạn 2 ngày".
    left: String,
    overdue: bool,
    title: String,
    link: String,
    unit: String,
    what: String,
}

struct WorkBlock {
    /// The section's code, the anchor of its block.
    code: &'static str,
    label: &'static str,
    total: i64,
    total_shown: String,
    link: String,
    rows: Vec<WorkRow>,
}

/// Leadership's read-only page: the city's shares as rings, incidents by month, each
/// indicator's latest figure against its target with its trend, the units behind a deadline,
/// and how the periodic reports are coming in.
struct Summary {
    rings: Vec<Safe<String>>,
    incidents: Lines,
    indicators: Vec<super::indicators::IndicatorLine>,
    behind: WorkSection,
    rounds: Vec<(i64, String, i64, i64)>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    blocks: Vec<WorkBlock>,
    waiting: i64,
    summary: Option<Summary>,
    roles: Vec<(String, String, bool)>,
    recent: Vec<(String, String, String)>,
}

fn row(item: &WorkItem, now: i64, today: chrono::NaiveDate, lang: Lang) -> WorkRow {
    let (due, left) = match (item.due_at, item.due_on.as_deref().and_then(parse_date), item.at) {
        (Some(at), _, _) => (display_vn(at), time_left(at, now, lang)),
        (None, Some(day), _) => {
            (item.due_on.as_deref().map(display_date).unwrap_or_default(), days_left(day, today, lang))
        }
        (None, None, Some(at)) => (display_vn(at), String::new()),
        (None, None, None) => (String::new(), String::new()),
    };
    WorkRow {
        due,
        left,
        overdue: item.overdue,
        title: item.title.clone(),
        link: item.link.clone(),
        unit: item.unit_name.clone(),
        what: lang.pick(&item.what_vi, &item.what_en).to_string(),
    }
}

fn block(section: &WorkSection, now: i64, today: chrono::NaiveDate, lang: Lang) -> WorkBlock {
    WorkBlock {
        code: section.kind.code(),
        label: section.kind.label(lang),
        total: section.total,
        total_shown: grouped(section.total),
        link: section.link.clone(),
        rows: section.items.iter().map(|i| row(i, now, today, lang)).collect(),
    }
}

async fn summary(s: &AppState, ctx: &Ctx) -> Result<Option<Summary>, WebError> {
    if !ctx.actor.grants.iter().any(|g| g.role == Role::Viewer) {
        return Ok(None);
    }
    let rows = s.store.overview(&ctx.actor).await?;
    let rings = super::overview::charts(&rows, ctx.lang).rings;
    let incidents = super::incidents::monthly_trend(s, ctx).await?;
    let indicators = super::indicators::indicator_lines(s, ctx).await?;
    let behind = s.store.units_behind(&ctx.actor).await?;
    let rounds = s
        .store
        .list_report_rounds(&ctx.actor)
        .await?
        .into_iter()
        .take(3)
        .map(|r| {
            let title = format!("{} — {}", r.template.label(ctx.lang), r.template.period_label(&r.period, ctx.lang));
            (r.id, title, r.submitted, r.asked)
        })
        .collect();
    Ok(Some(Summary { rings, incidents, indicators, behind, rounds }))
}

pub(super) async fn home(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    // The work list, the roles, the recent changes and leadership's charts are independent.
    let recent = async {
        if !ctx.actor.can_anywhere(Action::ViewAudit) {
            return Ok(Vec::new());
        }
        let page = s.store.list_audit(&ctx.actor, &AuditFilter { limit: 8, ..Default::default() }).await?;
        Ok::<_, WebError>(
            page.items
                .iter()
                .map(|a| {
                    let who = a.actor_name.clone().unwrap_or_else(|| a.actor_label.clone());
                    (display_vn(a.at), who, action_label(&a.action, ctx.lang).to_string())
                })
                .collect(),
        )
    };
    let (work, me, recent, summary) = tokio::try_join!(
        async { s.store.work_list(&ctx.actor).await.map_err(WebError::from) },
        async { s.store.get_user(&ctx.actor, ctx.actor.user_id).await.map_err(WebError::from) },
        recent,
        summary(&s, &ctx),
    )?;
    let (now, today) = (s.store.clock().now_ms(), s.store.clock().today_vn());
    let blocks: Vec<WorkBlock> = work.sections.iter().map(|sec| block(sec, now, today, ctx.lang)).collect();
    let waiting = work.sections.iter().map(|sec| sec.total).sum();
    let roles =
        me.roles.iter().map(|r| (r.role.label(ctx.lang).to_string(), r.unit_name.clone(), r.recursive)).collect();
    render(&Home {
        c: Chrome::new(&ctx, "home", "Việc cần xử lý", "Your work"),
        blocks,
        waiting,
        summary,
        roles,
        recent,
    })
}
