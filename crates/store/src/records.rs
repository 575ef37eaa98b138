//! Records as the store returns them; the API serialises these directly.

use khien_domain::role::Role;
use khien_domain::time::rfc3339;
use khien_domain::unit::UnitType;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

pub(crate) fn ts<S: Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*ms))
}

fn opt_ts<S: Serializer>(ms: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match ms {
        Some(ms) => s.serialize_str(&rfc3339(*ms)),
        None => s.serialize_none(),
    }
}

/// One page of a list, with the cursor of the next page when there is one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    /// How many rows match in all, on the first page of the lists that count them; absent on
    /// later pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// The cursor of the page before this one, on the lists that page back; an empty string
    /// when that page is the first (ask without a cursor); absent on the first page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` fetched rows; the extra row only tells that another
    /// page exists, and the cursor names the last row kept.
    pub(crate) fn from_rows(
        mut items: Vec<T>,
        limit: i64,
        cursor_of: impl Fn(&T) -> khien_domain::page::Cursor,
    ) -> Page<T> {
        let more = items.len() as i64 > limit;
        items.truncate(limit.max(0) as usize);
        let next_cursor = if more { items.last().map(|last| cursor_of(last).encode()) } else { None };
        Page { items, next_cursor, total: None, prev_cursor: None }
    }

    /// No rows (the caller reaches no unit).
    pub(crate) fn empty() -> Page<T> {
        Page { items: Vec::new(), next_cursor: None, total: Some(0), prev_cursor: None }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub unit_type: UnitType,
    pub parent_id: Option<i64>,
    #[serde(skip)]
    pub path: String,
    pub head_name: Option<String>,
    /// The head's title, e.g. "Giám đốc" (the signature block of generated documents).
    pub head_title: Option<String>,
    pub focal_name: Option<String>,
    pub focal_phone: Option<String>,
    pub focal_email: Option<String>,
    /// A 0/1 column: set after decoding (`db::flag`).
    #[sqlx(skip)]
    pub active: bool,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub unit_id: i64,
    pub unit_name: String,
    pub lang: String,
    /// A 0/1 column: set after decoding (`db::flag`).
    #[sqlx(skip)]
    pub active: bool,
    /// Set while the account is locked after too many failed logins.
    #[serde(serialize_with = "opt_ts")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub locked_until: Option<i64>,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct RoleAssignment {
    pub id: i64,
    pub user_id: i64,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub unit_id: i64,
    pub unit_name: String,
    /// A 0/1 column: set after decoding (`db::flag`).
    #[sqlx(skip)]
    pub recursive: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserDetail {
    #[serde(flatten)]
    pub user: User,
    pub roles: Vec<RoleAssignment>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The first characters of the token, to recognise it; the token itself is never stored.
    pub prefix: String,
    pub user_id: i64,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub unit_id: i64,
    pub unit_name: String,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: i64,
    #[serde(serialize_with = "opt_ts")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<i64>,
    #[serde(serialize_with = "opt_ts")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<i64>,
}

/// Decoded with `FromRow` (`audit::audit_row`); `before` and `after` are parsed after.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct AuditRecord {
    pub id: i64,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_label: String,
    /// The acting person's full name now (None for the system or a removed account): what
    /// pages show; `actor_label` is what the chain recorded.
    #[sqlx(default)]
    pub actor_name: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub unit_id: Option<i64>,
    #[schema(value_type = Value)]
    #[sqlx(skip)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Value)]
    #[sqlx(skip)]
    pub after: Option<serde_json::Value>,
    pub hash: String,
}
