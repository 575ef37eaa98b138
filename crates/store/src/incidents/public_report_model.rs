//! The records of a report from the public as its sender, the public status page and staff
//! see them, and what callers send.

use khien_domain::incident::public::{PublicCategory, PublicState};
use khien_domain::page::Cursor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a citizen sends (files come separately).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PublicReportInput {
    /// scam, phishing, harmful_content, child_safety, agency_incident
    pub category: String,
    /// 20–5000 characters.
    pub description: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_email: Option<String>,
    /// The address of the page reported (a scam shop, a fake login page).
    pub url: Option<String>,
    /// The reporter agreed that the contact details given may be used to handle the report
    /// (required when any is given).
    #[serde(default)]
    pub contact_consent: bool,
}

/// One uploaded file, before checks.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// What anyone holding the tracking code may know: never the contents, contact or files.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PublicReportStatus {
    /// PA-XXXX-XXXX-XXXX
    pub code: String,
    #[sqlx(try_from = "String")]
    pub category: PublicCategory,
    #[sqlx(try_from = "String")]
    pub state: PublicState,
    /// UTC milliseconds
    pub received_at: i64,
    pub updated_at: i64,
}

/// A report as staff see it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PublicReport {
    pub id: i64,
    pub code: String,
    #[sqlx(try_from = "String")]
    pub category: PublicCategory,
    pub description: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_email: Option<String>,
    pub url: Option<String>,
    #[sqlx(try_from = "String")]
    pub state: PublicState,
    pub routed_unit_id: Option<i64>,
    #[sqlx(rename = "unit_name")]
    pub routed_unit_name: Option<String>,
    pub incident_id: Option<i64>,
    pub incident_code: Option<String>,
    pub file_count: i64,
    pub received_at: i64,
    pub updated_at: i64,
    #[serde(skip)]
    #[sqlx(rename = "unit_path")]
    pub routed_unit_path: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct PublicReportFile {
    pub id: i64,
    pub report_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicReportDetail {
    pub report: PublicReport,
    pub files: Vec<PublicReportFile>,
    /// States the caller may move the report to (routing and conversion have their own calls).
    pub next_states: Vec<PublicState>,
    /// The caller is the authority: routes, reopens, converts from the queue.
    pub may_coordinate: bool,
    /// The caller works the report (its unit, or the authority).
    pub may_work: bool,
    /// The caller may send it to a unit now.
    pub may_route: bool,
    /// The caller may make it an incident now.
    pub may_convert: bool,
}

#[derive(Debug, Clone, Default)]
pub struct PublicReportFilter {
    /// Text of the description, code, address or contact, with or without diacritics.
    pub q: Option<String>,
    pub state: Option<String>,
    pub category: Option<String>,
    /// Routed to this unit or its subtree.
    pub unit_id: Option<i64>,
    /// Include resolved, rejected and converted reports (hidden by default).
    pub include_closed: bool,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}
