//! Plain input of the OSCAL exports: texts, lists and times, no database types.

use chrono::{DateTime, NaiveDate, Utc};
use khien_domain::finding::Severity;
use khien_domain::system::Lifecycle;

/// An organisation named in a document (a unit: owner, operator, assessor).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyIn {
    /// Stable local key, e.g. `unit:42`: the party's uuid derives from it, so a unit has the
    /// same uuid in every document of one installation.
    pub key: String,
    pub name: String,
    pub short_name: Option<String>,
    pub email: Option<String>,
}

/// The catalogue (danh mục yêu cầu) whose requirement ids a document uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueRef {
    /// e.g. `tcvn-14423-2026`.
    pub code: String,
    /// e.g. `2026`.
    pub version: String,
    pub title: String,
    /// Where the catalogue (as OSCAL) can be read, e.g. `catalogues/tcvn-14423-2026.json`;
    /// without it the back-matter resource only names it.
    pub href: Option<String>,
}

/// The information system a document is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemRef {
    /// Stable local key, e.g. `system:42`.
    pub key: String,
    /// The system's code in Khiên (the SSP's `system-ids`, the POA&M's `system-id`).
    pub code: String,
    pub name: String,
}

/// OSCAL `system-characteristics.status.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemState {
    Operational,
    UnderDevelopment,
    UnderMajorModification,
    Disposition,
    Other,
}

impl SystemState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Operational => "operational",
            Self::UnderDevelopment => "under-development",
            Self::UnderMajorModification => "under-major-modification",
            Self::Disposition => "disposition",
            Self::Other => "other",
        }
    }

    /// Planned or being built → under development; in operation → operational; suspended →
    /// other; decommissioned → disposition.
    pub fn from_lifecycle(l: Lifecycle) -> SystemState {
        match l {
            Lifecycle::Planned | Lifecycle::Building => Self::UnderDevelopment,
            Lifecycle::InOperation => Self::Operational,
            Lifecycle::Suspended => Self::Other,
            Lifecycle::Decommissioned => Self::Disposition,
        }
    }
}

/// The result of one requirement in an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementResult {
    Compliant,
    Partly,
    NonCompliant,
    NotApplicable,
}

impl RequirementResult {
    /// Value of the `assessment-result` property.
    pub fn code(self) -> &'static str {
        match self {
            Self::Compliant => "compliant",
            Self::Partly => "partly-compliant",
            Self::NonCompliant => "non-compliant",
            Self::NotApplicable => "not-applicable",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Compliant => "Đạt",
            Self::Partly => "Đạt một phần",
            Self::NonCompliant => "Không đạt",
            Self::NotApplicable => "Không áp dụng",
        }
    }
}

/// The information processed by a system (the SSP's one information type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InformationTypeIn {
    pub title: String,
    pub description: String,
}

/// `security-impact-level`: free texts (OSCAL suggests FIPS 199 values; Khiên uses the level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactIn {
    pub confidentiality: String,
    pub integrity: String,
    pub availability: String,
}

/// One applicable requirement of a system, with its latest result when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementIn {
    /// The catalogue id, e.g. `14423.6.2` or `ac-2.1`.
    pub id: String,
    pub title: Option<String>,
    pub result: Option<RequirementResult>,
    /// How the system meets it, or the assessor's note.
    pub statement: Option<String>,
}

/// Everything [`export_ssp`](super::export_ssp) needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SspInput {
    /// Identifies the Khiên installation; seeds every uuid.
    pub namespace_id: String,
    pub last_modified: DateTime<Utc>,
    /// The document's version, e.g. `2026-03-01` or `3`.
    pub version: String,
    pub system: SystemRef,
    pub short_name: Option<String>,
    pub description: String,
    /// The approved level as text, e.g. `cap-do-3` from [`level_text`](super::level_text);
    /// `None` while no level is approved (the property is left out).
    pub sensitivity_level: Option<String>,
    pub information_type: InformationTypeIn,
    /// `None`: the sensitivity level for all three objectives (or `chua-xac-dinh` without it).
    pub impact: Option<ImpactIn>,
    pub state: SystemState,
    /// The authorisation boundary (phạm vi, ranh giới hệ thống).
    pub boundary: String,
    /// Chủ quản hệ thống thông tin.
    pub owner: PartyIn,
    /// Đơn vị vận hành (may be the owner: same key, one party).
    pub operator: PartyIn,
    pub catalogue: CatalogueRef,
    /// At least one; ids unique.
    pub requirements: Vec<RequirementIn>,
}

/// An evidence file (or other attachment) of an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceIn {
    pub file_name: String,
    /// SHA-256 of the content, hex; also the file's stable key.
    pub sha256: String,
    pub description: Option<String>,
    /// Where to download it, e.g. a relative path of the export package.
    pub href: Option<String>,
    pub media_type: Option<String>,
}

/// One requirement as assessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessedRequirementIn {
    pub id: String,
    pub title: Option<String>,
    /// `None`: reviewed but no result recorded (no finding).
    pub result: Option<RequirementResult>,
    pub note: Option<String>,
    pub evidence: Vec<EvidenceIn>,
}

/// Everything [`export_assessment_results`](super::export_assessment_results) needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentInput {
    pub namespace_id: String,
    /// Stable local key, e.g. `assessment:17`.
    pub assessment_key: String,
    pub title: String,
    pub last_modified: DateTime<Utc>,
    pub version: String,
    pub system: SystemRef,
    pub catalogue: CatalogueRef,
    pub assessor: PartyIn,
    pub start: DateTime<Utc>,
    /// Not before `start`.
    pub end: Option<DateTime<Utc>>,
    /// The assessment plan, when it exists as a file; otherwise `import-ap` points to a
    /// placeholder resource.
    pub plan_href: Option<String>,
    /// The result's description (conclusion); a generated sentence when `None`.
    pub summary: Option<String>,
    /// Ids unique.
    pub requirements: Vec<AssessedRequirementIn>,
}

/// OSCAL risk status, from the state of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskStatus {
    Open,
    Investigating,
    Remediating,
    DeviationRequested,
    DeviationApproved,
    Closed,
}

impl RiskStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Investigating => "investigating",
            Self::Remediating => "remediating",
            Self::DeviationRequested => "deviation-requested",
            Self::DeviationApproved => "deviation-approved",
            Self::Closed => "closed",
        }
    }
}

/// One finding to remediate.
#[derive(Debug, Clone, PartialEq)]
pub struct PoamItemIn {
    /// Stable local key, e.g. `finding:<dedup key>`.
    pub key: String,
    pub title: String,
    pub description: String,
    pub status: RiskStatus,
    pub severity: Severity,
    pub cvss_score: Option<f32>,
    pub cves: Vec<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    /// e.g. `tcp`.
    pub protocol: Option<String>,
    /// The tool that reported it, e.g. `Nessus`.
    pub source: Option<String>,
    pub first_seen: DateTime<Utc>,
    pub due: Option<NaiveDate>,
    /// The risk statement (impact); a generated sentence when `None`.
    pub statement: Option<String>,
    /// The planned fix (a `planned` remediation).
    pub remediation: Option<String>,
    /// The catalogue requirement it breaks, if known.
    pub requirement_id: Option<String>,
}

/// Everything [`export_poam`](super::export_poam) needs.
#[derive(Debug, Clone, PartialEq)]
pub struct PoamInput {
    pub namespace_id: String,
    pub last_modified: DateTime<Utc>,
    pub version: String,
    pub system: SystemRef,
    /// Chủ quản: the party responsible for the plan.
    pub owner: PartyIn,
    /// Keys unique. May be empty (one placeholder item then says there is nothing open).
    pub items: Vec<PoamItemIn>,
}
