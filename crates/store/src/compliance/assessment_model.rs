//! The records of an assessment as the API and the pages show them, and what callers send.

use khien_domain::compliance::assessment::{AssessmentKind, AssessmentState, Score};
use khien_domain::page::Cursor;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An assessment with its outcome counts. Decoded with `FromRow`; `percent` is computed after.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Assessment {
    pub id: i64,
    pub system_id: i64,
    pub system_code: String,
    pub system_name: String,
    /// The system's owner unit.
    #[sqlx(rename = "owner_id")]
    pub unit_id: i64,
    pub unit_name: String,
    pub catalogue_id: i64,
    pub catalogue_code: String,
    pub catalogue_version: String,
    pub catalogue_title_vi: String,
    pub catalogue_title_en: String,
    /// The system's level the requirements were chosen for.
    pub level: i64,
    #[sqlx(try_from = "String")]
    pub kind: AssessmentKind,
    pub assessor_unit_id: Option<i64>,
    pub assessor_unit_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub state: AssessmentState,
    pub title: String,
    /// YYYY-MM-DD
    pub planned_for: Option<String>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Requirements in scope.
    pub applicable: i64,
    pub compliant: i64,
    pub partly: i64,
    pub non_compliant: i64,
    pub not_applicable: i64,
    /// Compliance in percent (compliant whole, partly half, not-applicable left out); null
    /// before anything is assessed.
    #[sqlx(skip)]
    pub percent: Option<f64>,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    #[serde(skip)]
    pub unit_path: String,
    #[serde(skip)]
    pub assessor_path: Option<String>,
}

impl Assessment {
    pub fn score(&self) -> Score {
        Score {
            applicable: self.applicable,
            compliant: self.compliant,
            partly: self.partly,
            non_compliant: self.non_compliant,
            not_applicable: self.not_applicable,
        }
    }

    pub fn assessed(&self) -> i64 {
        self.score().assessed()
    }

    fn may(&self, actor: &Actor, action: Action) -> bool {
        let own = actor.can(action, self.unit_id, &self.unit_path);
        let assessor = match (self.assessor_unit_id, &self.assessor_path) {
            (Some(id), Some(path)) => actor.can(action, id, path),
            _ => false,
        };
        own || assessor
    }

    pub fn may_view(&self, actor: &Actor) -> bool {
        self.may(actor, Action::ViewCompliance)
    }

    /// Records results and moves the assessment: the system's unit for a self-assessment, the
    /// assessor unit for an independent one (a grant covering it, like the authority's).
    pub fn may_record(&self, actor: &Actor) -> bool {
        if self.kind == AssessmentKind::Independent {
            match (self.assessor_unit_id, &self.assessor_path) {
                (Some(id), Some(path)) => actor.can(Action::AssessSystems, id, path),
                _ => false,
            }
        } else {
            actor.can(Action::AssessSystems, self.unit_id, &self.unit_path)
        }
    }
}

/// An evidence file of one result.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Evidence {
    pub id: i64,
    pub result_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// YYYY-MM-DD
    pub valid_until: Option<String>,
    pub uploaded_by: String,
    pub created_at: i64,
}

/// The outcome of one requirement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentResult {
    pub id: i64,
    pub node_id: String,
    /// The top-level group the requirement belongs to.
    pub group_id: Option<String>,
    pub title_vi: String,
    pub title_en: String,
    pub description: String,
    pub position: i64,
    /// compliant, partly, non_compliant, not_applicable; null when not assessed yet.
    pub result: Option<String>,
    pub notes: String,
    pub updated_at: Option<i64>,
    pub updated_by: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// Outcome counts of one top-level group.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupScore {
    pub group_id: String,
    pub title_vi: String,
    pub title_en: String,
    pub applicable: i64,
    pub compliant: i64,
    pub partly: i64,
    pub non_compliant: i64,
    pub not_applicable: i64,
    pub percent: Option<f64>,
}

/// A requirement whose outcome differs from the previous done assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultChange {
    pub node_id: String,
    pub title_vi: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The assessment workspace: every result, scores per group, what changed since last time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentDetail {
    pub assessment: Assessment,
    pub results: Vec<AssessmentResult>,
    pub groups: Vec<GroupScore>,
    /// The previous done assessment of the same system against the same catalogue code.
    pub previous_id: Option<i64>,
    pub previous_percent: Option<f64>,
    pub changes: Vec<ResultChange>,
    /// States the assessment may move to now.
    pub next_states: Vec<AssessmentState>,
    /// Whether the caller may record results and move it.
    pub can_record: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    pub system_id: i64,
    pub catalogue_id: i64,
    pub kind: AssessmentKind,
    /// Required for an independent assessment: a unit of type assessor.
    pub assessor_unit_id: Option<i64>,
    pub title: String,
    /// dd/mm/yyyy or YYYY-MM-DD
    pub planned_for: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultInput {
    pub node_id: String,
    /// compliant, partly, non_compliant, not_applicable; null or empty clears it.
    pub result: Option<String>,
    /// Kept unchanged when absent.
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AssessmentFilter {
    pub system_id: Option<i64>,
    pub state: Option<String>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}
