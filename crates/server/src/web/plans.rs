//! Plans: the list with the caller's own tasks, the import of a task table (upload, preview of
//! each unit name's match, mapping, confirmation), a plan's status per period with who has not
//! reported, and a task's page where units report and the lead unit consolidates.

use super::kept_form::{refusal, refused, FormError, Posted};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::services::plans_io::{self, Mapping};
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use khien_domain::calendar::display_date;
use khien_domain::plan::progress::{NameTarget, ProgressStatus};
use khien_domain::role::Action;
use khien_domain::unit::UnitType;
use khien_domain::{Error, Lang};
use khien_store::{MissingReporter, MyPlanTask, Plan, PlanImportPreview, PlanInput, PlanTask, TaskProgress, TaskTally};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plans", get(list))
        .route(
            "/plans/import",
            get(import_page).post(stage).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES)),
        )
        .route("/plans/imports/{id}", get(preview_page).post(confirm))
        .route("/plans/imports/{id}/preview", post(repreview))
        .route("/plans/{id}", get(plan_page))
        .route("/plan-tasks/{id}", get(task_page))
        .route("/plan-tasks/{id}/progress", post(report))
        .route(
            "/plan-progress/{id}/files",
            post(attach).layer(axum::extract::DefaultBodyLimit::max(super::MAX_IMPORT_BYTES)),
        )
}

/// The unit types a group name of a plan usually stands for ("Các sở, ban, ngành").
const GROUP_TYPES: [UnitType; 7] = [
    UnitType::Department,
    UnitType::Ward,
    UnitType::Commune,
    UnitType::SpecialZone,
    UnitType::StateEnterprise,
    UnitType::ItEnterprise,
    UnitType::Police,
];

#[derive(Template)]
#[template(path = "plans.html")]
struct ListPage {
    c: Chrome,
    plans: Vec<Plan>,
    mine: Vec<MyPlanTask>,
    can_import: bool,
}

async fn list(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let plans = s.store.list_plans(&ctx.actor).await?;
    let mine = s.store.my_plan_tasks(&ctx.actor).await?;
    render(&ListPage {
        c: Chrome::new(&ctx, "plans", "Kế hoạch", "Plans"),
        plans,
        mine,
        can_import: ctx.actor.can_anywhere(Action::ManagePlans),
    })
}

/// The plan's typed fields, as a form holds them.
#[derive(Default, Clone, Deserialize, serde::Serialize)]
struct PlanFields {
    number: String,
    issued_on: String,
    issuer: String,
    title: String,
    legal_basis: String,
    year_from: String,
    year_to: String,
    reporting: String,
    report_day: String,
    report_month: String,
}

impl PlanFields {
    fn from_posted(p: &Posted) -> PlanFields {
        PlanFields::from_fields(|n| p.get(n).to_string())
    }

    fn from_fields(f: impl Fn(&str) -> String) -> PlanFields {
        PlanFields {
            number: f("number"),
            issued_on: f("issued_on"),
            issuer: f("issuer"),
            title: f("title"),
            legal_basis: f("legal_basis"),
            year_from: f("year_from"),
            year_to: f("year_to"),
            reporting: f("reporting"),
            report_day: f("report_day"),
            report_month: f("report_month"),
        }
    }

    fn input(&self) -> Result<PlanInput, Error> {
        let number = |field: &str, v: &str| -> Result<i64, Error> {
            v.trim().parse().map_err(|_| Error::invalid(field, "Hãy nhập một số.", "Enter a number."))
        };
        let year = |field: &str, v: &str| -> Result<i32, Error> {
            i32::try_from(number(field, v)?).map_err(|_| Error::invalid(field, "Năm không hợp lệ.", "Not a year."))
        };
        let day = |field: &str, v: &str| -> Result<u32, Error> {
            if v.trim().is_empty() {
                return Ok(0);
            }
            u32::try_from(number(field, v)?)
                .map_err(|_| Error::invalid(field, "Ngày, tháng không hợp lệ.", "Not a day or month."))
        };
        Ok(PlanInput {
            number: self.number.clone(),
            issued_on: self.issued_on.clone(),
            issuer: self.issuer.clone(),
            title: self.title.clone(),
            legal_basis: self.legal_basis.clone(),
            year_from: year("year_from", &self.year_from)?,
            year_to: year("year_to", &self.year_to)?,
            reporting: self.reporting.clone(),
            report_day: day("report_day", &self.report_day)?,
            report_month: day("report_month", &self.report_month)?,
        })
    }
}

#[derive(Template)]
#[template(path = "plan_import.html")]
struct ImportPage {
    c: Chrome,
    v: PlanFields,
    error: FormError,
}

fn require_manager(ctx: &Ctx) -> Result<(), Error> {
    if ctx.actor.can_anywhere(Action::ManagePlans) {
        Ok(())
    } else {
        Err(Error::forbidden())
    }
}

async fn import_page(ctx: Ctx) -> Result<Html<String>, WebError> {
    require_manager(&ctx)?;
    let v = PlanFields {
        reporting: "yearly".into(),
        report_day: "15".into(),
        report_month: "11".into(),
        ..Default::default()
    };
    render(&ImportPage {
        c: Chrome::new(&ctx, "plans", "Nhập kế hoạch", "Import a plan"),
        v,
        error: FormError::default(),
    })
}

/// Reads the uploaded table at once: a bad file is refused naming its table, row and column,
/// with the typed fields kept; a good one is kept and its preview shown.
async fn stage(State(s): State<AppState>, ctx: Ctx, mp: Multipart) -> Result<Response, WebError> {
    require_manager(&ctx)?;
    let upload = super::Upload::read(mp).await?;
    let v = PlanFields::from_fields(|n| upload.text(n).to_string());
    let meta = serde_json::to_string(&v).unwrap_or_default();
    let result = match upload.file() {
        Ok((name, bytes)) => plans_io::stage(&s, &ctx, &name, &bytes, &meta).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/plans/imports/{}", p.import_id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            let page =
                render(&ImportPage {
                    c: Chrome::new(&ctx, "plans", "Nhập kế hoạch", "Import a plan"), v, error
                })?;
            Ok(refused(page))
        }
    }
}

/// One name of the preview with the choices the form offers for it.
struct NameRow {
    index: usize,
    name: String,
    tasks: String,
    status: String,
    resolved: bool,
    targets: String,
    choices: Vec<(String, String, bool)>,
    /// The field where a unit is typed by its code, and what was typed.
    code_field: String,
    code: String,
}

#[derive(Template)]
#[template(path = "plan_preview.html")]
struct PreviewPage {
    c: Chrome,
    p: PlanImportPreview,
    v: PlanFields,
    names: Vec<NameRow>,
    open: usize,
    error: FormError,
}

fn name_rows(p: &PlanImportPreview, posted: &Posted, lang: Lang) -> Vec<NameRow> {
    p.names
        .iter()
        .enumerate()
        .map(|(index, n)| {
            let key = format!("map_{index}");
            let chosen = |code: &str| posted.has(&key, code);
            let mut choices: Vec<(String, String, bool)> = n
                .candidates
                .iter()
                .map(|u| {
                    let code = format!("unit:{}", u.id);
                    let on = chosen(&code);
                    (code, format!("{} ({})", u.name, u.code), on)
                })
                .collect();
            for t in GROUP_TYPES {
                let code = NameTarget::Type(t).code();
                let on = chosen(&code);
                choices.push((
                    code,
                    format!("{} {}", lang.pick("Mọi đơn vị loại:", "Every unit of type:"), t.label(lang)),
                    on,
                ));
            }
            choices.push((
                "none".into(),
                lang.pick("Không theo dõi (chỉ ghi tên)", "Not tracked (name only)").into(),
                chosen("none"),
            ));
            NameRow {
                index,
                name: n.name.clone(),
                tasks: n.tasks.join(", "),
                status: n.status.label(lang).to_string(),
                resolved: !n.targets.is_empty(),
                targets: n.target_labels.join("; "),
                choices,
                code: posted.get(&format!("code_{index}")).to_string(),
                code_field: format!("code_{index}"),
            }
        })
        .collect()
}

async fn preview_view(
    ctx: &Ctx,
    p: PlanImportPreview,
    v: PlanFields,
    posted: &Posted,
    error: FormError,
) -> Result<Html<String>, WebError> {
    let names = name_rows(&p, posted, ctx.lang);
    let open = p.names.iter().filter(|n| n.targets.is_empty()).count();
    render(&PreviewPage {
        c: Chrome::new(ctx, "plans", "Xem trước kế hoạch", "Plan preview"),
        p,
        v,
        names,
        open,
        error,
    })
}

async fn preview_page(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, WebError> {
    let p = plans_io::preview(&s, &ctx, id, &[]).await?;
    let v: PlanFields = serde_json::from_str(&p.meta).unwrap_or_default();
    preview_view(&ctx, p, v, &Posted::default(), FormError::default()).await
}

/// The mappings a preview form sends: for name i, `name_i`, the chosen `map_i` values and a
/// unit typed by its code in `code_i`.
async fn posted_mappings(s: &AppState, ctx: &Ctx, p: &Posted) -> Result<Vec<Mapping>, Error> {
    let mut out = Vec::new();
    for i in 0.. {
        let Some(name) = p.one(&format!("name_{i}")) else { break };
        let mut codes = p.all(&format!("map_{i}"));
        if let Some(code) = p.one(&format!("code_{i}")) {
            let unit = super::unit_by_code(s, &ctx.actor, &format!("code_{i}"), &code).await?;
            codes.push(NameTarget::Unit(unit.id).code());
        }
        if !codes.is_empty() {
            out.push(plans_io::mapping(&name, &codes)?);
        }
    }
    Ok(out)
}

async fn repreview(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, WebError> {
    let posted = Posted::parse(&body)?;
    let v = PlanFields::from_posted(&posted);
    let (chosen, error) = match posted_mappings(&s, &ctx, &posted).await {
        Ok(c) => (c, FormError::default()),
        Err(e) => (Vec::new(), refusal(e, ctx.lang)?),
    };
    let p = plans_io::preview(&s, &ctx, id, &chosen).await?;
    Ok(preview_view(&ctx, p, v, &posted, error).await?.into_response())
}

/// Writes the plan; a refusal (a name unresolved, a field wrong) shows the preview again with
/// everything chosen and typed.
async fn confirm(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let posted = Posted::parse(&body)?;
    let v = PlanFields::from_posted(&posted);
    let attempt = async {
        let chosen = posted_mappings(&s, &ctx, &posted).await?;
        let input = v.input()?;
        plans_io::create(&s, &ctx, id, &input, &chosen).await.map(|plan| (plan, chosen))
    };
    match attempt.await {
        Ok((plan, _)) => Ok(see_other(&format!("/plans/{}", plan.id))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            let chosen = posted_mappings(&s, &ctx, &posted).await.unwrap_or_default();
            let p = plans_io::preview(&s, &ctx, id, &chosen).await?;
            Ok(refused(preview_view(&ctx, p, v, &posted, error).await?))
        }
    }
}

#[derive(Deserialize, Default)]
struct PeriodQuery {
    #[serde(default)]
    period: String,
}

/// A task's line on the plan page.
struct TaskLine {
    t: PlanTask,
    tally: Option<TaskTally>,
    /// The share reported, for the bar (0–100).
    share: i64,
    due: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    c: Chrome,
    plan: Plan,
    reporting: String,
    issued: String,
    period: String,
    due: String,
    periods: Vec<String>,
    lines: Vec<TaskLine>,
    missing: Vec<MissingReporter>,
    reported: i64,
    expected: i64,
    can_manage: bool,
}

async fn plan_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Html<String>, WebError> {
    let plan = s.store.get_plan(&ctx.actor, id).await?;
    let reporting = plan.reporting()?;
    let today = s.store.clock().today_vn();
    let periods = reporting.periods_until(today, plan.years());
    let period = match q.period.trim() {
        "" => periods.first().cloned().unwrap_or_else(|| reporting.period_of(today)),
        p => p.to_string(),
    };
    let due = reporting.parse_period(&period)?.due;
    let (tasks, (tallies, missing)) =
        tokio::try_join!(s.store.plan_tasks(&ctx.actor, id), s.store.plan_status(&ctx.actor, id, &period))?;
    let (reported, expected) = tallies.iter().fold((0, 0), |(r, e), t| (r + t.reported, e + t.expected));
    let lines = tasks
        .into_iter()
        .map(|t| {
            let tally = tallies.iter().find(|x| x.task_id == t.id).cloned();
            let share = tally.as_ref().map_or(0, |x| if x.expected > 0 { x.reported * 100 / x.expected } else { 0 });
            let due = t.due_on.as_deref().map(display_date).unwrap_or_default();
            TaskLine { t, tally, share, due }
        })
        .collect();
    render(&PlanPage {
        c: Chrome::new(&ctx, "plans", &format!("Kế hoạch {}", plan.number), &format!("Plan {}", plan.number)),
        reporting: reporting.label(ctx.lang),
        issued: display_date(&plan.issued_on),
        due: due.format("%d/%m/%Y").to_string(),
        plan,
        period,
        periods,
        lines,
        missing,
        reported,
        expected,
        can_manage: ctx.actor.can_anywhere(Action::ManagePlans),
    })
}

/// What was typed in a report form, kept when refused.
#[derive(Default)]
struct ReportForm {
    unit_id: i64,
    status: String,
    narrative: String,
    figures: String,
}

#[derive(Template)]
#[template(path = "plan_task.html")]
struct TaskPage {
    c: Chrome,
    tp: TaskProgress,
    due: String,
    statuses: Vec<(&'static str, &'static str)>,
    kept: ReportForm,
    error: FormError,
    /// Whether the caller writes the task's consolidated report (a lead unit's).
    consolidates: bool,
    /// The units the caller may report for (one form, a choice when several).
    reportable: Vec<(i64, String)>,
}

async fn task_view(
    s: &AppState,
    ctx: &Ctx,
    id: i64,
    period: &str,
    kept: Option<ReportForm>,
    error: FormError,
) -> Result<Html<String>, WebError> {
    let tp = s.store.task_progress(&ctx.actor, id, Some(period)).await?;
    let reportable: Vec<(i64, String)> =
        tp.units.iter().filter(|u| u.may_report).map(|u| (u.unit_id, format!("{} ({})", u.name, u.code))).collect();
    let consolidates = tp.units.iter().any(|u| u.may_report && u.consolidates);
    // A single unit's form starts from its report for the period, if any.
    let kept = kept.unwrap_or_else(|| match tp.units.iter().filter(|u| u.may_report).collect::<Vec<_>>().as_slice() {
        [one] => ReportForm {
            unit_id: one.unit_id,
            status: one.report.as_ref().map(|r| r.status.code().to_string()).unwrap_or_default(),
            narrative: one.report.as_ref().map(|r| r.narrative.clone()).unwrap_or_default(),
            figures: one.report.as_ref().map(|r| r.figures.clone()).unwrap_or_default(),
        },
        _ => ReportForm::default(),
    });
    render(&TaskPage {
        c: Chrome::new(ctx, "plans", &format!("Nhiệm vụ {}", tp.task.number), &format!("Task {}", tp.task.number)),
        due: display_date(&tp.due_on),
        statuses: ProgressStatus::ALL.iter().map(|s| (s.code(), s.label(ctx.lang))).collect(),
        tp,
        kept,
        error,
        consolidates,
        reportable,
    })
}

async fn task_page(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Html<String>, WebError> {
    task_view(&s, &ctx, id, &q.period, None, FormError::default()).await
}

async fn report(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, WebError> {
    let p = Posted::parse(&body)?;
    let period = p.get("period").trim().to_string();
    let kept = ReportForm {
        unit_id: p.get("unit_id").trim().parse().unwrap_or(0),
        status: p.get("status").to_string(),
        narrative: p.get("narrative").to_string(),
        figures: p.get("figures").to_string(),
    };
    let input = khien_store::ProgressInput {
        status: kept.status.clone(),
        narrative: kept.narrative.clone(),
        figures: kept.figures.clone(),
    };
    match s.store.report_progress(&ctx.actor, id, kept.unit_id, &period, &input).await {
        Ok(_) => Ok(see_other(&format!("/plan-tasks/{id}?period={}", super::q(&period)))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            // A period the form cannot show (one not begun) falls back to the current one.
            let shown = match s.store.task_progress(&ctx.actor, id, Some(&period)).await {
                Ok(_) => period,
                Err(_) => String::new(),
            };
            Ok(refused(task_view(&s, &ctx, id, &shown, Some(kept), error).await?))
        }
    }
}

/// Attaches evidence (multipart) to a unit's report, back to the task's page for its period.
async fn attach(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    mp: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let (name, bytes) = super::Upload::read(mp).await?.file()?;
    s.store.attach_progress_evidence(&ctx.actor, id, &name, &bytes).await?;
    let (task, period) = s.store.progress_place(&ctx.actor, id).await?;
    Ok(see_other(&format!("/plan-tasks/{task}?period={period}")))
}
