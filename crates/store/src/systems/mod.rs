//! The information-systems registry and what hangs on a system: its level dossier (with the
//! holiday calendar, rulesets and named bodies behind the dossier clocks), dossier attachments,
//! the connection and certificate registers, and the authority's overview (Mẫu 08).

pub(crate) mod appraisal_rounds;
pub(crate) mod attachments;
pub(crate) mod details;
pub(crate) mod document_templates;
pub(crate) mod dossier_documents;
pub(crate) mod dossier_packages;
pub(crate) mod dossier_review;
pub(crate) mod dossier_settings;
pub(crate) mod dossiers;
pub(crate) mod input;
pub(crate) mod inventory;
pub mod obligations;
pub(crate) mod overview;
pub(crate) mod registers;
pub(crate) mod registry;
pub(crate) mod writes;
