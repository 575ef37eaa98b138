//! Audit log and account pages.

use super::listing::{LinkQuery, Pager};
use super::msg;
use super::{render, see_other, Chrome};
use crate::auth::Ctx;
use crate::error::WebError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use khien_domain::audit::action_label;
use khien_domain::audit_labels::entity_label;
use khien_domain::notification::NotificationKind;
use khien_domain::page::Cursor;
use khien_domain::role::{Action, Role};
use khien_domain::time::display_vn;
use khien_domain::{Error, Lang};
use khien_store::{AuditFilter, AuditRecord, EmailPreference};
use serde::Deserialize;

pub fn router() -> axum::Router<AppState> {
    Router::new()
        .route("/", get(super::home::home))
        .route("/audit", get(audit))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/account/email", post(set_email))
        .route("/tokens", post(create_token))
        .route("/tokens/{id}/revoke", post(revoke_token))
}

pub(super) struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    /// The action's code, for administrators who search by it.
    pub code: String,
    pub entity: String,
    pub before: String,
    pub after: String,
}

pub(super) fn audit_rows(items: &[AuditRecord], lang: Lang) -> Vec<AuditRow> {
    let show = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "—".into());
    items
        .iter()
        .map(|a| AuditRow {
            id: a.id,
            at: display_vn(a.at),
            actor: a.actor_name.clone().unwrap_or_else(|| a.actor_label.clone()),
            action: action_label(&a.action, lang).to_string(),
            entity: format!(
                "{} #{}",
                entity_label(&a.entity_type, lang).unwrap_or(&a.entity_type),
                a.entity_id.map(|i| i.to_string()).unwrap_or_default()
            ),
            code: a.action.clone(),
            before: show(&a.before),
            after: show(&a.after),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<AuditRow>,
    /// (code, selected, label) of every audited entity type.
    entity_types: Vec<(&'static str, bool, &'static str)>,
    action: String,
    from: String,
    to: String,
    pager: Pager,
    /// The filters as the API takes them (days as RFC 3339 bounds), for the export link.
    export_query: String,
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    entity_type: Option<String>,
    action: Option<String>,
    /// Days as dd/mm/yyyy (or yyyy-mm-dd), Vietnam time.
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
}

/// Start of a Vietnam calendar day in UTC ms; `plus_days` 1 gives the next day's start.
fn vn_day_start(date: &str, plus_days: i64) -> Result<Option<i64>, Error> {
    if date.trim().is_empty() {
        return Ok(None);
    }
    khien_domain::calendar::parse_date(date)
        .and_then(|day| khien_domain::time::parse_rfc3339(&format!("{}T00:00:00+07:00", day.format("%Y-%m-%d"))))
        .map(|ms| Some(ms + plus_days * 86_400_000))
        .ok_or_else(|| {
            Error::invalid(
                "date",
                format!("«{date}» không phải ngày hợp lệ."),
                format!("«{date}» is not a valid date."),
            )
        })
}

async fn audit(State(s): State<AppState>, ctx: Ctx, Query(q): Query<AuditQuery>) -> Result<Html<String>, WebError> {
    let entity_type = q.entity_type.clone().unwrap_or_default();
    let action = q.action.clone().unwrap_or_default();
    let from = q.from.clone().unwrap_or_default();
    let to = q.to.clone().unwrap_or_default();
    let f = AuditFilter {
        entity_type: Some(entity_type.clone()).filter(|t| !t.is_empty()),
        action: Some(action.clone()).filter(|a| !a.is_empty()),
        from_ms: vn_day_start(&from, 0)?,
        to_ms: vn_day_start(&to, 1)?,
        cursor: q.cursor.as_deref().map(Cursor::decode).transpose()?,
        limit: 100,
        ..Default::default()
    };
    let page = s.store.list_audit(&ctx.actor, &f).await?;
    let filters = LinkQuery::default()
        .with("entity_type", entity_type.clone())
        .with("action", action.clone())
        .with("from", from.clone())
        .with("to", to.clone());
    let pager = Pager::new("/audit", &filters, &page);
    let bound = |ms: Option<i64>| ms.map(khien_domain::time::rfc3339).unwrap_or_default();
    let export_query = LinkQuery::default()
        .with("entity_type", entity_type.clone())
        .with("action", action.clone())
        .with("from", bound(f.from_ms))
        .with("to", bound(f.to_ms))
        .encoded();
    let entity_types = khien_domain::audit_labels::ENTITIES
        .iter()
        .map(|(code, vi, en)| (*code, *code == entity_type, ctx.lang.pick(vi, en)))
        .collect();
    render(&AuditPage {
        c: Chrome::new(&ctx, "audit", "Nhật ký", "Audit log"),
        rows: audit_rows(&page.items, ctx.lang),
        entity_types,
        action,
        from,
        to,
        pager,
        export_query,
    })
}

struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    role: String,
    unit_name: String,
    expires: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct Account {
    c: Chrome,
    can_tokens: bool,
    new_secret: Option<String>,
    roles: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
    tokens: Vec<TokenRow>,
    /// (kind code, label, e-mailed) of every kind of notification.
    email_prefs: Vec<(&'static str, &'static str, bool)>,
}

async fn account_page(s: &AppState, ctx: &Ctx, new_secret: Option<String>) -> Result<Html<String>, WebError> {
    let can_tokens = ctx.actor.can_anywhere(Action::ManageTokens);
    let (tokens, units) = if can_tokens {
        let tokens = s.store.list_tokens(&ctx.actor).await?;
        let rows = tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name,
                prefix: t.prefix,
                role: t.role.label(ctx.lang).to_string(),
                unit_name: t.unit_name,
                expires: display_vn(t.expires_at),
                revoked: t.revoked_at.is_some(),
            })
            .collect();
        (rows, super::units::options(s, ctx, Action::ManageTokens).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    let roles = ctx.actor.token_roles().into_iter().map(|r| (r.code(), r.label(ctx.lang))).collect();
    let email_prefs = s
        .store
        .email_preferences(&ctx.actor)
        .await?
        .into_iter()
        .map(|p| (p.kind.code(), p.kind.label(ctx.lang), p.email))
        .collect();
    render(&Account {
        c: Chrome::new(ctx, "account", "Tài khoản", "Account"),
        can_tokens,
        new_secret,
        roles,
        units,
        tokens,
        email_prefs,
    })
}

async fn account(State(s): State<AppState>, ctx: Ctx) -> Result<Html<String>, WebError> {
    account_page(&s, &ctx, None).await
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

async fn change_password(
    State(s): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PasswordForm>,
) -> Result<Response, WebError> {
    s.store.change_own_password(&ctx.actor, &f.current_password, &f.new_password).await?;
    // Every session ended, this one included: sign in again with the new password.
    Ok(see_other("/login"))
}

/// Sets every kind at once: the boxes ticked are e-mailed, the others not.
async fn set_email(State(s): State<AppState>, ctx: Ctx, body: axum::body::Bytes) -> Result<Response, WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|e| Error::invalid("email", format!("Biểu mẫu không hợp lệ: {e}"), format!("Malformed form: {e}")))?;
    let ticked: Vec<&str> = pairs.iter().filter(|(k, _)| k == "email").map(|(_, v)| v.as_str()).collect();
    let prefs: Vec<EmailPreference> =
        NotificationKind::ALL.iter().map(|k| EmailPreference { kind: *k, email: ticked.contains(&k.code()) }).collect();
    s.store.set_email_preferences(&ctx.actor, &prefs).await?;
    Ok(see_other("/account#email-preferences"))
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
    role: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    unit_id_code: String,
    valid_days: i64,
}

async fn create_token(State(s): State<AppState>, ctx: Ctx, Form(f): Form<TokenForm>) -> Result<Html<String>, WebError> {
    let role = Role::parse(&f.role)?;
    let unit = super::unit_field(&s, &ctx.actor, "unit_id", &f.unit_id, &f.unit_id_code).await?;
    let (secret, _) = s.store.create_token(&ctx.actor, &f.name, role, unit, f.valid_days).await?;
    account_page(&s, &ctx, Some(secret)).await
}

async fn revoke_token(State(s): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, WebError> {
    s.store.revoke_token(&ctx.actor, id).await?;
    Ok(see_other("/account"))
}
