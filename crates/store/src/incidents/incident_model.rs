//! The records of an incident as the queues and its page show it, what callers send, and the
//! checks of times and observables every write path shares.

use crate::db::{flag, from_row, get};
use khien_domain::incident::clocks::{status, ClockFacts, ClockKind, ClockStatus};
use khien_domain::incident::observable::{normalise, ObservableKind};
use khien_domain::incident::{Category, State, Tlp};
use khien_domain::page::Cursor;
use khien_domain::unit::optional_text;
use khien_domain::{Error, Result};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use utoipa::ToSchema;

/// An incident as the queues and its page show it.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Incident {
    pub id: i64,
    /// SC-<year>-<number>
    pub code: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub category: Category,
    #[sqlx(try_from = "String")]
    pub state: State,
    #[sqlx(try_from = "String")]
    pub tlp: Tlp,
    /// 1 (highest) to 4
    pub priority: i64,
    #[sqlx(skip)]
    pub serious: bool,
    #[sqlx(skip)]
    pub national_critical: bool,
    #[sqlx(skip)]
    pub beyond_capacity: bool,
    /// Signs of harm to national security or public order (NĐ 331 Đ31.2.d: report at once).
    #[sqlx(skip)]
    pub security_signs: bool,
    /// A personal-data breach (Luật 91/2025 Đ23: notice within 72 h).
    #[sqlx(skip)]
    pub personal_data_breach: bool,
    #[sqlx(skip)]
    pub consequences: Vec<String>,
    /// UTC milliseconds
    pub detected_at: i64,
    pub reported_at: i64,
    pub triaged_at: Option<i64>,
    pub contained_at: Option<i64>,
    pub response_ended_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    /// The contact's position (QĐ 05 Đ11.4).
    pub reporter_position: Option<String>,
    /// The operating unit's address (QĐ 05 Đ11.4).
    pub operator_address: Option<String>,
    /// The owning body (chủ quản) of the affected system (QĐ 05 Đ11.4).
    pub owning_body: Option<String>,
    pub symptoms: Option<String>,
    pub spread: Option<String>,
    pub impact: Option<String>,
    pub provider: Option<String>,
    pub measures_taken: Option<String>,
    pub measures_planned: Option<String>,
    pub help_received: Option<String>,
    pub initial_results: Option<String>,
    pub recommendations: Option<String>,
    #[sqlx(skip)]
    pub clocks: Vec<Clock>,
    /// The earliest unmet deadline (UTC ms), if any.
    pub next_due: Option<i64>,
    #[sqlx(skip)]
    pub overdue: bool,
    pub merged_into: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    #[serde(skip)]
    pub unit_path: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Clock {
    /// Those the ruleset has carry a due time.
    pub kind: ClockKind,
    pub due_at: Option<i64>,
    pub met_at: Option<i64>,
    pub status: ClockStatus,
}

/// A new incident, as a unit reports it: the fields of an initial report (QĐ 05 Đ11.4).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct IncidentInput {
    pub unit_id: i64,
    pub title: String,
    /// Checked by the store (a 422 naming the field); the document lists the codes.
    #[schema(value_type = Category)]
    pub category: String,
    /// RFC 3339
    pub detected_at: String,
    /// RFC 3339; now when absent
    pub reported_at: Option<String>,
    /// amber when absent
    #[schema(value_type = Option<Tlp>)]
    pub tlp: Option<String>,
    pub priority: Option<i64>,
    #[serde(default)]
    pub system_ids: Vec<i64>,
    #[serde(default)]
    pub consequences: Vec<String>,
    #[serde(default)]
    pub national_critical: bool,
    #[serde(default)]
    pub beyond_capacity: bool,
    /// Signs of harm to national security or public order (NĐ 331 Đ31.2.d: report at once).
    #[serde(default)]
    pub security_signs: bool,
    /// A personal-data breach (Luật 91/2025 Đ23: notice within 72 h).
    #[serde(default)]
    pub personal_data_breach: bool,
    pub reporter_name: Option<String>,
    pub reporter_contact: Option<String>,
    /// The contact's position (QĐ 05 Đ11.4).
    pub reporter_position: Option<String>,
    /// The operating unit's address (QĐ 05 Đ11.4).
    pub operator_address: Option<String>,
    /// The owning body (chủ quản) of the affected system (QĐ 05 Đ11.4).
    pub owning_body: Option<String>,
    pub symptoms: Option<String>,
    pub spread: Option<String>,
    pub impact: Option<String>,
    pub provider: Option<String>,
    pub measures_taken: Option<String>,
    pub measures_planned: Option<String>,
    pub help_received: Option<String>,
    pub initial_results: Option<String>,
    pub recommendations: Option<String>,
    /// The form's fields are the initial report: file it now (stops the 24-hour clock).
    #[serde(default)]
    pub file_initial_report: bool,
    #[serde(default)]
    pub observables: Vec<ObservableInput>,
    /// A key the client chooses for this report (8–64 letters, digits, '-' or '_'; the web form
    /// sends one per form): sent again, it returns the incident it created, not a second one.
    #[serde(default)]
    pub submission_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ObservableInput {
    #[schema(value_type = ObservableKind)]
    pub kind: String,
    pub value: String,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// The incident's when absent
    #[schema(value_type = Option<Tlp>)]
    pub tlp: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub q: Option<String>,
    pub state: Option<State>,
    pub category: Option<Category>,
    /// The reporting unit and its subtree.
    pub unit_id: Option<i64>,
    pub serious: Option<bool>,
    pub priority: Option<i64>,
    /// Only incidents with a clock past due.
    pub overdue: bool,
    /// Include closed incidents (the queues hide them by default).
    pub include_closed: bool,
    /// `id` (`-id`, newest first, is the default), `detected`, `deadline` (the next clock's due
    /// time, incidents without one last) or `priority`; `-` before it reverses the order.
    pub sort: Option<String>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

/// The orders of the incident queue (`IncidentFilter::sort`).
pub const INCIDENT_SORTS: [&str; 4] = ["id", "detected", "deadline", "priority"];

pub(crate) const INCIDENT_COLS: &str = "i.*, u.name AS unit_name, u.path AS unit_path";

/// The columns of a clock's due and met times (`{code}_due`, `{code}_met`), named once rather
/// than formatted for every row read.
pub(crate) fn clock_columns(kind: ClockKind) -> (&'static str, &'static str) {
    match kind {
        ClockKind::Notice => ("notice_due", "notice_met"),
        ClockKind::Initial => ("initial_due", "initial_met"),
        ClockKind::Security => ("security_due", "security_met"),
        ClockKind::Cause => ("cause_due", "cause_met"),
        ClockKind::Closing => ("closing_due", "closing_met"),
        ClockKind::PersonalData => ("personal_data_due", "personal_data_met"),
        ClockKind::City => ("city_due", "city_met"),
    }
}

/// An incident row, its clocks' status as of `now`.
pub(crate) fn incident_row(r: &AnyRow, now: i64) -> Result<Incident> {
    let mut incident: Incident = from_row(r)?;
    for kind in ClockKind::ALL {
        let (due_col, met_col) = clock_columns(kind);
        let (due, met): (Option<i64>, Option<i64>) = (get(r, due_col)?, get(r, met_col)?);
        incident.clocks.push(Clock { kind, due_at: due, met_at: met, status: status(due, met, now) });
    }
    incident.serious = flag(r, "serious")?;
    incident.national_critical = flag(r, "national_critical")?;
    incident.beyond_capacity = flag(r, "beyond_capacity")?;
    incident.security_signs = flag(r, "security_signs")?;
    incident.personal_data_breach = flag(r, "personal_data_breach")?;
    let consequences: String = get(r, "consequences")?;
    incident.consequences = consequences.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect();
    incident.overdue = incident.next_due.is_some_and(|d| d < now);
    Ok(incident)
}

impl Incident {
    pub fn clock_facts(&self) -> ClockFacts {
        ClockFacts { detected_ms: self.detected_at, response_ended_ms: self.response_ended_at, ..Default::default() }
    }
}

/// Parses an RFC 3339 time of a named field.
pub(crate) fn time_field(field: &str, s: &str) -> Result<i64> {
    khien_domain::time::parse_rfc3339(s.trim()).ok_or_else(|| {
        Error::invalid(
            field,
            format!("«{s}» không phải thời điểm hợp lệ (RFC 3339, ví dụ 2026-11-23T08:30:00+07:00)."),
            format!("«{s}» is not a valid time (RFC 3339, e.g. 2026-11-23T08:30:00+07:00)."),
        )
    })
}

pub(crate) fn opt_time(field: &str, s: &Option<String>) -> Result<Option<i64>> {
    s.as_deref().filter(|v| !v.trim().is_empty()).map(|v| time_field(field, v)).transpose()
}

/// A checked observable: (kind, normal value, first seen, last seen, tlp, source).
pub(crate) struct CleanObservable {
    pub kind: ObservableKind,
    pub value: String,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub tlp: Tlp,
    pub source: Option<String>,
}

pub(crate) fn clean_observable(o: &ObservableInput, default_tlp: Tlp) -> Result<CleanObservable> {
    let kind = ObservableKind::parse("kind", &o.kind)?;
    let first_seen = opt_time("first_seen", &o.first_seen)?;
    let last_seen = opt_time("last_seen", &o.last_seen)?;
    if let (Some(f), Some(l)) = (first_seen, last_seen) {
        if l < f {
            return Err(Error::invalid(
                "last_seen",
                "Lần thấy cuối trước lần thấy đầu.",
                "Last seen is before first seen.",
            ));
        }
    }
    Ok(CleanObservable {
        kind,
        value: normalise(kind, &o.value)?,
        first_seen,
        last_seen,
        tlp: match o.tlp.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => Tlp::parse("tlp", t)?,
            None => default_tlp,
        },
        source: optional_text("source", o.source.as_deref(), 200)?,
    })
}

#[cfg(test)]
mod tests {
    use super::clock_columns;
    use khien_domain::incident::clocks::ClockKind;

    #[test]
    fn each_clock_names_its_own_columns() {
        for kind in ClockKind::ALL {
            let (due, met) = clock_columns(kind);
            assert_eq!((due, met), (format!("{}_due", kind.code()).as_str(), format!("{}_met", kind.code()).as_str()));
        }
    }
}
