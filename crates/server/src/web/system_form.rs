//! The system form: its fields as the browser sends them, the values it is shown with (kept when
//! a save fails), and creating and updating a system from it.

use super::kept_form::{refusal, refused, FormError};
use super::msg;
use super::systems::{options, Options};
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::Form;
use khien_domain::role::Action;
use khien_domain::system::{
    DataCategory, InfraScope, Lifecycle, PlanStatus, SecretGrade, SecretHarm, SystemType, WorksGrade,
};
use khien_domain::Error;
use khien_store::{System, SystemInput};
use serde::{Deserialize, Serialize};

/// The system form's fields as the browser sends them (checkboxes are present only when
/// ticked; lists are one item per line).
#[derive(Deserialize, Serialize, Default, Clone)]
pub(super) struct SystemForm {
    code: String,
    name: String,
    /// Chosen from the list (0 when the form gives a code instead).
    #[serde(default)]
    owner_unit_id: i64,
    /// The owner's code, where the caller's units are too many to list.
    #[serde(default)]
    owner_unit_id_code: String,
    system_type: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    secret_grade: String,
    #[serde(default)]
    subjects_basic: String,
    #[serde(default)]
    subjects_sensitive: String,
    #[serde(default)]
    online_service_level: String,
    #[serde(default)]
    infra_scope: String,
    #[serde(default)]
    works_grade: String,
    #[serde(default)]
    secret_harm: String,
    #[serde(default)]
    building_started_on: String,
    #[serde(default)]
    plan_status: String,
    #[serde(default)]
    preoperation_assessed_on: String,
    #[serde(default)]
    security_rules_ref: String,
    #[serde(default)]
    data_category: String,
    #[serde(default)]
    hosting: String,
    status: Option<String>,
    #[serde(default)]
    go_live_date: String,
    #[serde(default)]
    vendor: String,
    info_private: Option<String>,
    info_personal: Option<String>,
    admin_procedures: Option<String>,
    conditional_business: Option<String>,
    confirm_overlap: Option<String>,
    #[serde(default)]
    ip_ranges: String,
    #[serde(default)]
    domains: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    onsite_team: String,
    #[serde(default)]
    monitoring_unit: String,
    #[serde(default)]
    monitoring_until: String,
    #[serde(default)]
    assessed_on: String,
    #[serde(default)]
    assessor_unit: String,
    #[serde(default)]
    connected_since: String,
    #[serde(default)]
    connection_ref: String,
    /// The record's version as the form was opened (edits only).
    expected_updated_at: Option<i64>,
}

pub(super) fn number(field: &str, v: &str) -> Result<i64, Error> {
    let v = v.trim().replace(['.', ',', ' '], "");
    if v.is_empty() {
        return Ok(0);
    }
    v.parse().map_err(|_| Error::invalid(field, format!("«{v}» không phải số."), format!("«{v}» is not a number.")))
}

impl SystemForm {
    fn into_input(self) -> Result<SystemInput, Error> {
        let some = |s: String| Some(s).filter(|x| !x.trim().is_empty());
        let lines =
            |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect::<Vec<_>>();
        Ok(SystemInput {
            subjects_basic: number("subjects_basic", &self.subjects_basic)?,
            subjects_sensitive: number("subjects_sensitive", &self.subjects_sensitive)?,
            online_service_level: number("online_service_level", &self.online_service_level)?,
            ip_ranges: lines(&self.ip_ranges),
            domains: lines(&self.domains),
            tags: lines(&self.tags),
            code: self.code,
            name: self.name,
            owner_unit_id: self.owner_unit_id,
            operator_unit_id: None,
            purpose: some(self.purpose),
            system_type: self.system_type,
            info_private: self.info_private.is_some(),
            info_personal: self.info_personal.is_some(),
            secret_grade: some(self.secret_grade),
            admin_procedures: self.admin_procedures.is_some(),
            conditional_business: self.conditional_business.is_some(),
            infra_scope: some(self.infra_scope),
            works_grade: some(self.works_grade),
            secret_harm: some(self.secret_harm),
            building_started_on: some(self.building_started_on),
            plan_status: some(self.plan_status),
            preoperation_assessed_on: some(self.preoperation_assessed_on),
            security_rules_ref: some(self.security_rules_ref),
            data_category: some(self.data_category),
            hosting: some(self.hosting),
            status: self.status.and_then(some).map(|s| Lifecycle::parse("status", &s)).transpose()?,
            go_live_date: some(self.go_live_date),
            vendor: some(self.vendor),
            onsite_team: some(self.onsite_team),
            monitoring_unit: some(self.monitoring_unit),
            monitoring_until: some(self.monitoring_until),
            assessed_on: some(self.assessed_on),
            assessor_unit: some(self.assessor_unit),
            connected_since: some(self.connected_since),
            connection_ref: some(self.connection_ref),
            confirm_overlap: self.confirm_overlap.is_some(),
            expected_updated_at: self.expected_updated_at,
        })
    }
}

#[derive(Template)]
#[template(path = "system_form.html")]
struct FormPage {
    c: Chrome,
    id: Option<i64>,
    /// The values shown: the system's, or what was typed when a save was refused.
    v: SystemForm,
    error: FormError,
    /// When the form was stale: what the record holds now, for each field where that differs
    /// from what was typed.
    now: NowValues,
    units: Vec<(i64, String)>,
    types: Options,
    secrets: Options,
    harms: Options,
    scopes: Options,
    grades: Options,
    plans: Options,
    categories: Options,
    statuses: Options,
}

/// A stale form's other change: the record's values now, by field, as the form shows them.
#[derive(Default)]
pub(super) struct NowValues(Vec<(String, String)>);

impl NowValues {
    /// The value the record holds now for `field`, when the person typed something else.
    pub fn at(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == field).map(|(_, v)| v.as_str())
    }

    /// The fields of `now` that differ from `typed` (the version key and the overlap
    /// confirmation are not the record's).
    fn between(typed: &SystemForm, now: &SystemForm) -> Vec<(String, String)> {
        let pairs = |f: &SystemForm| -> Vec<(String, String)> {
            serde_urlencoded::to_string(f)
                .ok()
                .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(&q).ok())
                .unwrap_or_default()
        };
        let typed = pairs(typed);
        let value = |all: &[(String, String)], k: &str| {
            all.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default()
        };
        let now = pairs(now);
        let mut keys: Vec<String> = typed.iter().chain(now.iter()).map(|(k, _)| k.clone()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter(|k| k != "expected_updated_at" && k != "confirm_overlap" && !k.ends_with("_code"))
            .filter(|k| value(&typed, k) != value(&now, k))
            .map(|k| {
                let v = value(&now, &k);
                (k, v)
            })
            .collect()
    }
}

async fn form_page(
    s: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    v: SystemForm,
    (error, now): (FormError, Vec<(String, String)>),
) -> Result<Html<String>, WebError> {
    let lang = ctx.lang;
    let units = super::units::options(s, ctx, Action::EditSystems).await?;
    let types = options(SystemType::ALL, SystemType::code, SystemType::label, lang);
    let secrets = options(SecretGrade::ALL, SecretGrade::code, SecretGrade::label, lang);
    let harms = options(SecretHarm::ALL, SecretHarm::code, SecretHarm::label, lang);
    let scopes = options(InfraScope::ALL, InfraScope::code, InfraScope::label, lang);
    let grades = options(WorksGrade::ALL, WorksGrade::code, WorksGrade::label, lang);
    let plans = options(PlanStatus::ALL, PlanStatus::code, PlanStatus::label, lang);
    let categories = options(DataCategory::ALL, DataCategory::code, DataCategory::label, lang);
    // Codes as the form's choices name them, ticks as words, nothing as a dash.
    let shown = |k: &str, v: String| -> String {
        let pick = |list: &Options| list.iter().find(|o| o.0 == v).map(|o| o.1.to_string());
        let named = match k {
            "system_type" => pick(&types),
            "secret_grade" => pick(&secrets),
            "secret_harm" => pick(&harms),
            "infra_scope" => pick(&scopes),
            "works_grade" => pick(&grades),
            "plan_status" => pick(&plans),
            "data_category" => pick(&categories),
            "owner_unit_id" => units.iter().find(|u| u.0.to_string() == v).map(|u| u.1.clone()),
            "info_private" | "info_personal" | "admin_procedures" | "conditional_business" => Some(
                lang.pick(if v.is_empty() { "không" } else { "có" }, if v.is_empty() { "no" } else { "yes" }).into(),
            ),
            _ => None,
        };
        named.unwrap_or(if v.is_empty() { "—".to_string() } else { v })
    };
    let now = NowValues(now.into_iter().map(|(k, v)| (k.clone(), shown(&k, v))).collect());
    // Every status but decommissioned.
    let statuses = options(
        &[Lifecycle::Planned, Lifecycle::Building, Lifecycle::InOperation, Lifecycle::Suspended],
        Lifecycle::code,
        Lifecycle::label,
        lang,
    );
    render(&FormPage {
        c: Chrome::new(ctx, "systems", "Hệ thống thông tin", "Information system"),
        id,
        v,
        error,
        now,
        units,
        types,
        secrets,
        harms,
        scopes,
        grades,
        plans,
        categories,
        statuses,
    })
}

impl SystemForm {
    /// The form filled with a stored system, as the edit page opens it.
    fn of(x: System) -> SystemForm {
        let o = |v: Option<String>| v.unwrap_or_default();
        let flag = |b: bool| b.then(|| "on".to_string());
        // Dates as the one date control shows them: dd/mm/yyyy.
        let day = |v: Option<String>| v.as_deref().map(khien_domain::calendar::display_date).unwrap_or_default();
        SystemForm {
            code: x.code,
            name: x.name,
            owner_unit_id: x.owner_unit_id,
            owner_unit_id_code: String::new(),
            system_type: x.system_type,
            purpose: o(x.purpose),
            secret_grade: x.secret_grade,
            subjects_basic: x.subjects_basic.to_string(),
            subjects_sensitive: x.subjects_sensitive.to_string(),
            online_service_level: x.online_service_level.to_string(),
            infra_scope: x.infra_scope,
            works_grade: x.works_grade,
            secret_harm: x.secret_harm,
            building_started_on: day(x.building_started_on),
            plan_status: x.plan_status,
            preoperation_assessed_on: day(x.preoperation_assessed_on),
            security_rules_ref: o(x.security_rules_ref),
            data_category: x.data_category,
            hosting: o(x.hosting),
            status: Some(x.status.code().to_string()),
            go_live_date: day(x.go_live_date),
            vendor: o(x.vendor),
            info_private: flag(x.info_private),
            info_personal: flag(x.info_personal),
            admin_procedures: flag(x.admin_procedures),
            conditional_business: flag(x.conditional_business),
            confirm_overlap: None,
            ip_ranges: x.ip_ranges.join("\n"),
            domains: x.domains.join("\n"),
            tags: x.tags.join("\n"),
            onsite_team: o(x.onsite_team),
            monitoring_unit: o(x.monitoring_unit),
            monitoring_until: day(x.monitoring_until),
            assessed_on: day(x.assessed_on),
            assessor_unit: o(x.assessor_unit),
            connected_since: day(x.connected_since),
            connection_ref: o(x.connection_ref),
            expected_updated_at: Some(x.updated_at),
        }
    }
}

pub(super) async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    let v = SystemForm { status: Some("planned".into()), ..Default::default() };
    form_page(&s, &ctx, None, v, Default::default()).await
}

pub(super) async fn edit_form(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let x = s.store.get_system(&ctx.actor, id).await?.system;
    let v = SystemForm::of(x);
    form_page(&s, &ctx, Some(id), v, Default::default()).await
}

/// The owner named by its code, when the form gave one instead of a choice from the list.
async fn with_owner(s: &AppState, ctx: &Ctx, mut f: SystemForm) -> Result<SystemForm, Error> {
    if f.owner_unit_id == 0 {
        f.owner_unit_id = super::unit_field(s, &ctx.actor, "owner_unit_id", "", &f.owner_unit_id_code).await?;
    }
    Ok(f)
}

pub(super) async fn create(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SystemForm>,
) -> Result<Response, WebError> {
    let saved = match with_owner(&s, &ctx, f.clone()).await.and_then(SystemForm::into_input) {
        Ok(input) => s.store.create_system(&ctx.actor, &input).await.map(|created| created.id),
        Err(e) => Err(e),
    };
    match saved {
        Ok(id) => Ok(see_other(&format!("/systems/{id}"))),
        Err(e) => Ok(refused(form_page(&s, &ctx, None, f, (refusal(e, ctx.lang)?, Vec::new())).await?)),
    }
}

pub(super) async fn update(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<SystemForm>,
) -> Result<Response, WebError> {
    let saved = match with_owner(&s, &ctx, f.clone()).await.and_then(SystemForm::into_input) {
        Ok(input) => s.store.update_system(&ctx.actor, id, &input).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match saved {
        Ok(()) => Ok(see_other(&format!("/systems/{id}"))),
        Err(e) => {
            let error = refusal(e, ctx.lang)?;
            // A stale form: beside each field, what the other person's change left there.
            let current = s.store.get_system(&ctx.actor, id).await?.system;
            let now = if f.expected_updated_at.is_some_and(|seen| seen != current.updated_at) {
                NowValues::between(&f, &SystemForm::of(current))
            } else {
                Vec::new()
            };
            Ok(refused(form_page(&s, &ctx, Some(id), f, (error, now)).await?))
        }
    }
}
