//! The holiday calendar and the rulesets' settings (the dossier page is in `dossier_page`).

use super::msg;
use super::systems::Options;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::role::Action;
use khien_domain::system::level::{Authority, DayCount};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(calendar).post(add_holiday))
        .route("/calendar/{day}/delete", post(remove_holiday))
        .route("/rulesets", get(rulesets_page))
        .route("/rulesets/bodies", post(set_bodies))
        .route("/rulesets/manager-check", post(set_manager_check))
        .route("/rulesets/{code}/clocks", post(set_clocks))
        .route("/rulesets/{code}/{level}", post(set_authorities))
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    c: Chrome,
    holidays: Vec<(String, String, String)>,
    can_govern: bool,
}

async fn calendar(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let root = s.store.root_unit().await?;
    let can_govern = root.is_some_and(|r| ctx.actor.can(Action::Govern, r.id, &r.path));
    let holidays = s
        .store
        .list_holidays()
        .await?
        .into_iter()
        .map(|h| {
            let shown = khien_domain::calendar::parse_date(&h.day)
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| h.day.clone());
            (shown, h.name, h.day)
        })
        .collect();
    render(&CalendarPage {
        c: Chrome::new(&ctx, "calendar", "Lịch ngày nghỉ", "Holiday calendar"),
        holidays,
        can_govern,
    })
}

#[derive(Deserialize)]
struct HolidayForm {
    day: String,
    name: String,
}

async fn add_holiday(State(s): State<AppState>, ctx: Ctx, Form(f): Form<HolidayForm>) -> Result<Response, WebError> {
    s.store.set_holiday(&ctx.actor, &f.day, &f.name).await?;
    Ok(see_other("/calendar"))
}

async fn remove_holiday(State(s): State<AppState>, ctx: Ctx, Path(day): Path<String>) -> Result<Response, WebError> {
    s.store.remove_holiday(&ctx.actor, &day).await?;
    Ok(see_other("/calendar"))
}

/// One level of a ruleset as the page shows it: (level, appraiser, approver, appraisal days).
type LevelRow = (u8, &'static str, &'static str, String);
/// (code, name, effective from, levels, incident reporting deadlines)
type RulesetRow = (&'static str, &'static str, String, Vec<LevelRow>, Vec<ClockField>);

#[derive(Template)]
#[template(path = "rulesets.html")]
struct RulesetsPage {
    c: Chrome,
    rulesets: Vec<RulesetRow>,
    authorities: Options,
    can_govern: bool,
    bodies: khien_store::LevelBodiesInfo,
    /// The named units' codes, for the form.
    owning_code: String,
    dedicated_code: String,
    /// Unit types: (code, label, whether their manager checks dossiers before they go).
    manager_check: Vec<(&'static str, &'static str, bool)>,
}

async fn rulesets_page(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let root = s.store.root_unit().await?;
    let can_govern = root.is_some_and(|r| ctx.actor.can(Action::Govern, r.id, &r.path));
    let clocks = s.store.clock_rules().await?;
    let rulesets = s
        .store
        .rulesets()
        .await?
        .into_iter()
        .map(|r| {
            let lang = ctx.lang;
            let levels = (1..=5u8)
                .map(|l| {
                    let limit = match khien_domain::system::level::per_level(&r.appraisal_limit, l) {
                        Some((days, article)) => {
                            let unit = match r.appraisal_counting {
                                DayCount::Calendar => lang.pick("ngày", "days"),
                                DayCount::Working => lang.pick("ngày làm việc", "working days"),
                            };
                            format!("{days} {unit} ({})", r.article(article))
                        }
                        None => format!(
                            "{} {} ({})",
                            r.local_appraisal_working_days,
                            lang.pick("ngày làm việc", "working days"),
                            lang.pick("quy định nội bộ — pháp luật không quy định", "local policy — the law sets none")
                        ),
                    };
                    (l, r.appraiser_at(l).code(), r.approver_at(l).code(), limit)
                })
                .collect();
            let rules = clocks
                .iter()
                .find(|(c, _)| *c == r.code)
                .map(|(_, k)| *k)
                .unwrap_or_else(|| khien_domain::incident::clocks::ClockRules::of_ruleset(r.code));
            let rules = clock_fields(&rules, lang);
            (r.code, r.name, r.effective_from.format("%d/%m/%Y").to_string(), levels, rules)
        })
        .collect();
    let lang = ctx.lang;
    let authorities = Authority::ALL.iter().map(|a| (a.code(), a.label(lang))).collect();
    let bodies = s.store.level_bodies().await?;
    let code_of = |id: Option<i64>| {
        let store = s.store.clone();
        let actor = ctx.actor.clone();
        async move {
            match id {
                Some(id) => store.get_unit(&actor, id).await.map(|u| u.code).unwrap_or_default(),
                None => String::new(),
            }
        }
    };
    let (owning_code, dedicated_code) =
        (code_of(bodies.owning_body_unit_id).await, code_of(bodies.dedicated_unit_id).await);
    let checked = s.store.manager_check_types().await?;
    let manager_check =
        khien_domain::unit::UnitType::ALL.iter().map(|t| (t.code(), t.label(lang), checked.contains(t))).collect();
    render(&RulesetsPage {
        c: Chrome::new(&ctx, "calendar", "Thẩm định và phê duyệt cấp độ", "Who appraises and approves"),
        manager_check,
        rulesets,
        authorities,
        can_govern,
        bodies,
        owning_code,
        dedicated_code,
    })
}

#[derive(Deserialize)]
struct BodiesForm {
    #[serde(default)]
    owning_body: String,
    #[serde(default)]
    delegation_ref: String,
    #[serde(default)]
    dedicated_unit: String,
}

/// The owning body and the dedicated unit, named by unit code (empty: none).
async fn set_bodies(State(s): State<AppState>, ctx: Ctx, Form(f): Form<BodiesForm>) -> Result<Response, WebError> {
    let unit = |field: &'static str, code: String| {
        let store = s.store.clone();
        let actor = ctx.actor.clone();
        async move {
            let code = code.trim().to_string();
            if code.is_empty() {
                return Ok(None);
            }
            store.get_unit_by_code(&actor, &code).await.map(|u| Some(u.id)).map_err(|_| {
                khien_domain::Error::invalid(
                    field,
                    format!("Không có đơn vị mã «{code}»."),
                    format!("No unit has the code «{code}»."),
                )
            })
        }
    };
    let owning = unit("owning_body", f.owning_body).await?;
    let dedicated = unit("dedicated_unit", f.dedicated_unit).await?;
    s.store.set_level_bodies(&ctx.actor, owning, Some(f.delegation_ref.as_str()), dedicated).await?;
    Ok(see_other("/rulesets"))
}

/// The unit types whose manager checks dossiers: each ticked box is a `unit_type` field.
async fn set_manager_check(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let types = fields
        .iter()
        .filter(|(k, _)| k == "unit_type")
        .map(|(_, t)| khien_domain::unit::UnitType::parse(t))
        .collect::<Result<Vec<_>, _>>()?;
    s.store.set_manager_check_types(&ctx.actor, &types).await?;
    Ok(see_other("/rulesets#manager-check"))
}

#[derive(Deserialize)]
struct AuthorityForm {
    appraise: String,
    approve: String,
}

async fn set_authorities(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((code, level)): Path<(String, i64)>,
    Form(f): Form<AuthorityForm>,
) -> Result<Response, WebError> {
    s.store.set_dossier_authority(&ctx.actor, &code, level, "appraise", &f.appraise).await?;
    s.store.set_dossier_authority(&ctx.actor, &code, level, "approve", &f.approve).await?;
    Ok(see_other("/rulesets"))
}

#[derive(Deserialize)]
struct ClocksForm {
    #[serde(default)]
    notice_hours: String,
    #[serde(default)]
    initial_hours: String,
    #[serde(default)]
    beyond_capacity_hours: String,
    #[serde(default)]
    serious_initial_hours: String,
    #[serde(default)]
    security_hours: String,
    #[serde(default)]
    cause_hours: String,
    #[serde(default)]
    closing_days: String,
    #[serde(default)]
    personal_data_hours: String,
    #[serde(default)]
    city_hours: String,
}

/// One clock setting as the form shows it: field, label, value ("" when the ruleset has none),
/// largest value, unit.
type ClockField = (&'static str, &'static str, String, i64, &'static str);

/// The clock settings of a ruleset as form fields.
fn clock_fields(r: &khien_domain::incident::clocks::ClockRules, lang: khien_domain::Lang) -> Vec<ClockField> {
    let v = |x: Option<i64>| x.map(|n| n.to_string()).unwrap_or_default();
    let hours = lang.pick("giờ", "hours");
    vec![
        ("notice_hours", lang.pick("Thông báo sự cố", "Notice"), v(r.notice_hours), 720, hours),
        (
            "initial_hours",
            lang.pick("Báo cáo ban đầu, mọi sự cố", "Initial report, every incident"),
            v(r.initial_hours),
            720,
            hours,
        ),
        (
            "beyond_capacity_hours",
            lang.pick("Ban đầu khi vượt khả năng xử lý (0 = ngay)", "Initial when beyond capacity (0 = at once)"),
            v(r.beyond_capacity_hours),
            720,
            hours,
        ),
        (
            "serious_initial_hours",
            lang.pick("Ban đầu khi nghiêm trọng", "Initial when serious"),
            v(r.serious_initial_hours),
            720,
            hours,
        ),
        (
            "security_hours",
            lang.pick(
                "Dấu hiệu xâm phạm an ninh quốc gia (0 = ngay)",
                "Signs of harm to national security (0 = at once)",
            ),
            v(r.security_hours),
            720,
            hours,
        ),
        (
            "cause_hours",
            lang.pick("Nguyên nhân, phạm vi, khắc phục", "Cause, scope, remediation"),
            v(r.cause_hours),
            720,
            hours,
        ),
        (
            "closing_days",
            lang.pick("Kết thúc, sau khi ứng cứu xong", "Closing, after the response"),
            v(r.closing_days),
            60,
            lang.pick("ngày", "days"),
        ),
        (
            "personal_data_hours",
            lang.pick("Vi phạm dữ liệu cá nhân", "Personal-data breach"),
            v(r.personal_data_hours),
            720,
            hours,
        ),
        (
            "city_hours",
            lang.pick(
                "Báo cáo công an thành phố (quy định riêng của thành phố)",
                "Report to the city police (the city's own rule)",
            ),
            v(r.city_hours),
            720,
            hours,
        ),
    ]
}

async fn set_clocks(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
    Form(f): Form<ClocksForm>,
) -> Result<Response, WebError> {
    // An empty field: the ruleset has no such clock.
    let n = |field: &str, v: &str| -> Result<Option<i64>, khien_domain::Error> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            super::systems::number(field, v).map(Some)
        }
    };
    let rules = khien_domain::incident::clocks::ClockRules {
        notice_hours: n("notice_hours", &f.notice_hours)?,
        initial_hours: n("initial_hours", &f.initial_hours)?,
        beyond_capacity_hours: n("beyond_capacity_hours", &f.beyond_capacity_hours)?,
        serious_initial_hours: n("serious_initial_hours", &f.serious_initial_hours)?,
        security_hours: n("security_hours", &f.security_hours)?,
        cause_hours: n("cause_hours", &f.cause_hours)?,
        closing_days: n("closing_days", &f.closing_days)?,
        personal_data_hours: n("personal_data_hours", &f.personal_data_hours)?,
        city_hours: n("city_hours", &f.city_hours)?,
    };
    s.store.set_clock_rules(&ctx.actor, &code, &rules).await?;
    Ok(see_other("/rulesets"))
}
