//! Khiên's storage layer: the only crate that knows SQL. One `Store` serves SQLite (embedded
//! default) and PostgreSQL through sqlx's `Any` driver; the SQL is written once with `$n`
//! bind parameters, which both engines accept; migrations differ per dialect, and so does the
//! row-writing statement of a bulk write (`bulk`: a typed PostgreSQL connection for arrays).
//! Every public read and write takes the caller (`Actor`) and is limited to the caller's units.

mod audit;
mod bulk;
mod compliance;
mod db;
mod deadlines;
mod events;
mod evidence;
mod incidents;
mod indicators;
mod listing;
mod mail;
mod maintenance;
mod notifications;
mod plans;
mod rankings;
mod reader;
mod records;
mod reports;
mod saved_filters;
mod search;
mod sql;
mod systems;
mod telemetry;
mod units;
mod worklist;

pub use audit::AuditFilter;
pub use compliance::assessments::{
    Assessment, AssessmentDetail, AssessmentFilter, AssessmentInput, AssessmentResult, Evidence, GroupScore,
    ResultChange, ResultInput,
};
pub use compliance::catalogues::{CatalogueInfo, CatalogueNodeRow, CatalogueTree};
pub use compliance::finding_history::{FindingCountDay, MAX_HISTORY_DAYS};
pub use compliance::findings::{Finding, FindingFilter, FindingMoveInput, UnitFindingCounts, FINDING_SORTS};
pub use compliance::scan_import::{DuplicateFinding, ScanImportSummary, MAX_DUPLICATES_LISTED};
pub use compliance::unit_compliance::UnitCompliance;
pub use db::{Dialect, Store};
pub use deadlines::{Deadline, MAX_DEADLINES};
pub use evidence::EvidenceFile;
pub use incidents::exchange::{ExportedIncident, WatchImportSummary, WatchInput, WatchItem};
pub use incidents::files::IncidentFile;
pub use incidents::incident::{
    Clock, DocumentHeader, Incident, IncidentFilter, IncidentInput, ObservableInput, INCIDENT_SORTS,
};
pub use incidents::public_reports::{
    PublicReport, PublicReportDetail, PublicReportFile, PublicReportFilter, PublicReportInput, PublicReportStatus,
    UploadedFile,
};
pub use incidents::stats::IncidentMonths;
pub use incidents::taxii::{
    Collection, CollectionInput, ObjectFilter, ObjectPage, StoredObject, TaxiiStatus, VersionMatch,
};
pub use incidents::taxii_remotes::{Push, PushOutcome, Remote, RemoteInput};
pub use incidents::work::{
    AffectedSystem, IncidentDetail, IncidentEvent, IncidentReport, IncidentTask, Observable, ObservableHit,
    RelatedIncident, Sightings, TaskInput,
};
pub use indicators::{Indicator, IndicatorDetail, IndicatorInput, IndicatorValue, PeriodSnapshot};
pub use mail::EmailPreference;
pub use maintenance::Maintenance;
pub use notifications::{Notification, Outgoing};
pub use plans::budget::{BudgetProject, BudgetProjectInput, BudgetSummary, UnitBudget};
pub use plans::consultations::{
    CommentInput, Consultation, ConsultationComment, ConsultationCounts, ConsultationInput, ConsultedUnit,
};
pub use plans::follow_ups::FollowUp;
pub use plans::progress::{ProgressInput, ProgressReport, TaskProgress, TaskUnitStatus};
pub use plans::status::{MissingReporter, MyPlanTask, TaskTally};
pub use plans::trainings::{Training, TrainingInput};
pub use plans::{NameMatch, Plan, PlanImportPreview, PlanInput, PlanTask, UnitChoice};
pub use rankings::{IndexModel, Ranking, RankingRow};
pub use records::*;
pub use reports::{
    ConsolidatedReport, Consolidation, ReportRound, ReportRoundDetail, ReportRoundInput, ReportVersion,
    ReportVersionHead, UnitReport, UnitReportLine,
};
pub use saved_filters::SavedFilter;
pub use search::DossierHit;
pub use systems::appraisal_rounds::{DossierComment, DossierCommentInput, OptionalPart, Submission};
pub use systems::attachments::Attachment;
pub use systems::details::{SystemCompleteness, SystemDetailValue, SystemDetails, UnitCompleteness};
pub use systems::document_templates::DocumentTemplate;
pub use systems::dossier_documents::{DocumentToIssue, DossierFormContext, IssuedDocument};
pub use systems::dossier_packages::{DossierPackage, PackageReceipt, PackageSource};
pub use systems::dossier_review::{DossierOpinion, NotApplicableInput, PartStatus};
pub use systems::dossier_settings::{Holiday, LevelBodiesInfo};
pub use systems::dossiers::{Dossier, DossierInput};
pub use systems::inventory::{Asset, AssetInput, InventorySummary};
pub use systems::obligations::{ObligationDue, Occurrence, RulePeriod, SystemObligations};
pub use systems::overview::{Form08System, OverviewRow};
pub use systems::registers::{Certificate, CertificateInput, Connection, ConnectionInput, CERT_WARNING_DAYS};
pub use systems::registry::{
    detail as system_detail, GoLiveException, System, SystemDetail, SystemFilter, SYSTEM_SORTS,
};
pub use systems::writes::{ImportSystem, SystemInput};
pub use telemetry::{
    AlertFilter, BotnetCase, BotnetFilter, BotnetSummary, Detection, Endpoint, EndpointCoverage, IngestOutcome,
    IngestSource, LineError, RatePoint, RetentionInput, RetentionRule, SourceHealth, TelemetryAlert, TelemetryDay,
    MAX_LINE_ERRORS, RATE_MAX_MINUTES,
};
pub use units::auth::{LoginOutcome, SessionInfo};
pub use units::network::NetworkMember;
pub use units::password::{hash_password, verify_password};
pub use units::staff::{SecurityStaff, StaffCertificate, StaffCertificateInput, StaffInput};
pub use units::tree::{ImportSummary, ImportUnit, NewUnit, UnitFilter, UnitPatch};
pub use units::users::{NewUser, UserFilter, UserPatch};
pub use worklist::{WorkItem, WorkList, WorkSection, SHOWN as WORK_ITEMS_SHOWN};
