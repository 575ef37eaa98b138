//! OSCAL 1.1.2 exports (JSON): a System Security Plan per information system, the Assessment
//! Results of one assessment, and a Plan of Action and Milestones from open findings. Pure:
//! plain input ([`model`]) in, JSON bytes out.
//!
//! Common to the three documents:
//! - ids are UUID v5 in a namespace derived from the installation's `namespace_id` (as for STIX)
//!   over the object kind and the input's stable keys, and every other value is taken from the
//!   input: the same input always gives the same bytes. A party keeps its uuid across documents;
//! - times are RFC 3339 in UTC (`2026-03-01T08:00:00Z`); a due date becomes the end of that day
//!   in Vietnam (`2026-05-31T23:59:59+07:00`);
//! - texts go in as given (Vietnamese included); one-line fields (titles, names, property
//!   values) have their whitespace runs folded to one space, and an empty one gets a stated
//!   placeholder, as OSCAL requires non-empty, trimmed strings there;
//! - arrays OSCAL wants non-empty are left out when there is nothing to put in them; where the
//!   document model requires one entry (the POA&M's `poam-items`) a stated placeholder stands in;
//! - catalogue requirement ids become OSCAL `control-id` tokens by [`control_token`], and the
//!   original id is kept in the property `original-control-id`;
//! - Khiên's own properties carry the namespace [`KHIEN_NS`]; their names are tokens.
//!
//! The documents:
//! - **SSP** ([`export_ssp`]): owner and operating unit as parties with roles `system-owner` and
//!   `operating-unit` (one party when they are the same unit), one user per role, the
//!   `this-system` component, the approved level as `security-sensitivity-level`, and one
//!   `implemented-requirement` per applicable requirement with, where a result or statement is
//!   known, a `by-components` entry (`implemented` / `partial` / `planned` / `not-applicable`).
//!   `import-profile` is the catalogue's `href` when given (trestle resolves it when validating,
//!   from its current folder), else `#<uuid>` of a back-matter resource naming the catalogue;
//! - **Assessment Results** ([`export_assessment_results`]): `import-ap` points to a back-matter
//!   resource standing for the assessment plan; one `result` whose `reviewed-controls` list the
//!   requirements reviewed, one `finding` per requirement with a result (compliant and
//!   not-applicable → `satisfied`, partly and non-compliant → `not-satisfied`), one
//!   `observation` per requirement with a note or evidence files (each file a back-matter
//!   resource, its SHA-256 a property and a hash of its link), the assessor as origin;
//! - **POA&M** ([`export_poam`]): per finding an observation, a risk (status, `deadline`, the
//!   planned remediation) and a `poam-item` linking both, with severity, CVSS, CVEs, host, port
//!   and protocol as properties.
//!
//! Checked with compliance-trestle 3.12.4 (`trestle validate`) in the tests.

mod ar;
mod assess;
mod catalog;
mod common;
pub mod model;
mod poam;
mod ssp;

use std::fmt;

pub use catalog::{catalog_href, CatalogIn, CatalogNodeIn};
pub use common::{control_token, KHIEN_NS, OSCAL_VERSION};
pub use model::*;

/// Writes a catalogue as an OSCAL catalog (pretty JSON, UTF-8): what an SSP's
/// `import-profile` refers to, at [`catalog_href`].
pub fn export_catalog(input: &CatalogIn) -> Result<Vec<u8>, OscalExportError> {
    catalog::export(input)
}

/// Writes the System Security Plan of one information system (pretty JSON, UTF-8).
pub fn export_ssp(input: &SspInput) -> Result<Vec<u8>, OscalExportError> {
    ssp::export(input)
}

/// Writes the Assessment Results of one assessment (pretty JSON, UTF-8).
pub fn export_assessment_results(input: &AssessmentInput) -> Result<Vec<u8>, OscalExportError> {
    ar::export(input)
}

/// Writes the Plan of Action and Milestones of one system from its findings (pretty JSON, UTF-8).
pub fn export_poam(input: &PoamInput) -> Result<Vec<u8>, OscalExportError> {
    poam::export(input)
}

/// The text of an approved security level for `security-sensitivity-level`: `cap-do-3`.
pub fn level_text(level: u8) -> String {
    format!("cap-do-{level}")
}

/// Why an export was refused. Messages in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OscalExportError {
    /// An SSP needs at least one requirement (`implemented-requirements` may not be empty).
    NoRequirements,
    /// Two inputs of the same kind share a key (or a requirement id maps to the same token):
    /// their uuids would collide.
    DuplicateKey { kind: &'static str, key: String },
    /// The assessment ends before it starts.
    EndBeforeStart,
    /// An evidence file whose SHA-256 is not 64 hexadecimal digits.
    InvalidSha256 { file_name: String },
    /// JSON serialisation failed (not expected).
    Serialize(String),
}

impl OscalExportError {
    pub fn message_vi(&self) -> String {
        match self {
            Self::NoRequirements => "Kế hoạch bảo đảm an toàn cần ít nhất một yêu cầu áp dụng.".into(),
            Self::DuplicateKey { kind, key } => format!("Khóa «{key}» ({kind}) bị trùng trong dữ liệu xuất."),
            Self::EndBeforeStart => "Thời điểm kết thúc đánh giá sớm hơn thời điểm bắt đầu.".into(),
            Self::InvalidSha256 { file_name } => {
                format!("Mã SHA-256 của tệp bằng chứng «{file_name}» không hợp lệ (cần 64 chữ số hệ 16).")
            }
            Self::Serialize(e) => format!("Không ghi được JSON: {e}"),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            Self::NoRequirements => "A system security plan needs at least one applicable requirement.".into(),
            Self::DuplicateKey { kind, key } => format!("The key «{key}» ({kind}) appears twice in the export input."),
            Self::EndBeforeStart => "The assessment ends before it starts.".into(),
            Self::InvalidSha256 { file_name } => {
                format!("The SHA-256 of the evidence file «{file_name}» is not valid (64 hexadecimal digits expected).")
            }
            Self::Serialize(e) => format!("could not write the JSON: {e}"),
        }
    }
}

impl fmt::Display for OscalExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for OscalExportError {}

#[cfg(test)]
mod tests;
