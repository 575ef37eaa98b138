//! What handlers call besides the store: reading and writing exchange formats (catalogues,
//! OSCAL, STIX, the systems and units tables), the incident reports, dossier opinions and the level procedure's forms as documents, and pushing
//! TAXII collections to remote servers. Each turns bytes into store calls or records into
//! bytes; none decides who may do what (the store does).

pub mod catalogue_io;
pub mod dossier_docs;
pub mod dossier_forms;
pub mod dossier_package;
pub mod form_fields;
pub mod incident_docs;
pub mod inventory_io;
pub mod nats_ingest;
pub mod oscal_io;
pub mod plans_io;
pub mod report_docs;
pub mod stix_io;
pub mod systems_io;
pub mod taxii_push;
pub mod units_io;

/// A file refused by `formats` as the API and pages answer it: 422 naming the row and column.
pub(crate) fn import_error(e: khien_formats::ImportError) -> khien_domain::Error {
    import_error_ref(&e)
}

pub(crate) fn import_error_ref(e: &khien_formats::ImportError) -> khien_domain::Error {
    khien_domain::Error::Invalid {
        field: e.field().map(str::to_string),
        msg: khien_domain::Msg::new(e.message_vi(), e.message_en()),
    }
}
