//! Khiên's storage layer: the only crate that knows SQL. One `Store` serves SQLite (embedded
//! default) and PostgreSQL through sqlx's `Any` driver; the SQL is written once with `$n`
//! placeholders, which both engines accept, and only migrations differ per dialect.
//! Every public read and write takes the caller (`Actor`) and is limited to the caller's units.

mod assessment_findings;
mod assessment_model;
mod assessments;
mod attachments;
mod audit;
mod auth;
mod catalogues;
mod db;
mod dossier_settings;
mod dossiers;
mod finding_history;
mod findings;
mod incident_clocks;
mod incident_exchange;
mod incident_work;
mod incidents;
mod maintenance;
mod notifications;
mod overview;
mod password;
mod public_reports;
mod records;
mod registers;
mod saved_filters;
mod scan_import;
mod sql;
mod system_writes;
mod systems;
mod taxii;
mod taxii_remotes;
mod unit_choices;
mod unit_compliance;
mod unit_scope;
mod units;
mod users;

pub use assessments::{
    Assessment, AssessmentDetail, AssessmentFilter, AssessmentInput, AssessmentResult, Evidence, GroupScore,
    ResultChange, ResultInput,
};
pub use attachments::Attachment;
pub use audit::AuditFilter;
pub use auth::{LoginOutcome, SessionInfo};
pub use catalogues::{CatalogueInfo, CatalogueNodeRow, CatalogueTree};
pub use db::{Dialect, Store};
pub use dossier_settings::{Holiday, LevelBodiesInfo};
pub use dossiers::{Dossier, DossierInput};
pub use finding_history::{FindingCountDay, MAX_HISTORY_DAYS};
pub use findings::{Finding, FindingFilter, FindingMoveInput, UnitFindingCounts};
pub use incident_exchange::{ExportedIncident, WatchImportSummary, WatchInput, WatchItem};
pub use incident_work::{
    AffectedSystem, IncidentDetail, IncidentEvent, IncidentReport, IncidentTask, Observable, ObservableHit,
    RelatedIncident, Sightings, TaskInput,
};
pub use incidents::{Clock, DocumentHeader, Incident, IncidentFilter, IncidentInput, ObservableInput};
pub use maintenance::Maintenance;
pub use notifications::{Notification, Outgoing};
pub use overview::{Form08System, OverviewRow};
pub use password::{hash_password, verify_password};
pub use public_reports::{
    PublicReport, PublicReportDetail, PublicReportFile, PublicReportFilter, PublicReportInput, PublicReportStatus,
    UploadedFile,
};
pub use records::*;
pub use registers::{Certificate, CertificateInput, Connection, ConnectionInput, CERT_WARNING_DAYS};
pub use saved_filters::SavedFilter;
pub use scan_import::{DuplicateFinding, ScanImportSummary, MAX_DUPLICATES_LISTED};
pub use system_writes::{ImportSystem, SystemInput};
pub use systems::{detail as system_detail, GoLiveException, System, SystemDetail, SystemFilter};
pub use taxii::{Collection, CollectionInput, ObjectFilter, ObjectPage, StoredObject, TaxiiStatus, VersionMatch};
pub use taxii_remotes::{Push, PushOutcome, Remote, RemoteInput};
pub use unit_compliance::UnitCompliance;
pub use units::{ImportSummary, ImportUnit, NewUnit, UnitFilter, UnitPatch};
pub use users::{NewUser, UserFilter, UserPatch};
