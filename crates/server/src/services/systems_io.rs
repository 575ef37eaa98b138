//! Systems import and its template, shared by the web form and the API.

use crate::auth::Ctx;
use crate::AppState;
use khien_domain::role::Action;
use khien_domain::system::Lifecycle;
use khien_domain::{Error, Msg};
use khien_store::{ImportSummary, ImportSystem, SystemInput};

/// Parses a CSV/XLSX list of systems and stores it in one transaction; errors name the file,
/// the row and the column.
pub async fn import(s: &AppState, ctx: &Ctx, name: &str, bytes: &[u8]) -> Result<ImportSummary, Error> {
    if !ctx.actor.can_anywhere(Action::EditSystems) {
        return Err(Error::forbidden());
    }
    let (file, data) = (name.to_string(), bytes.to_vec());
    let rows = tokio::task::spawn_blocking(move || khien_formats::parse_systems_sourced(&file, &data))
        .await
        .map_err(Error::internal)?
        .map_err(|e| Error::Invalid {
            field: e.field().map(str::to_string),
            msg: Msg::new(e.message_vi(), e.message_en()),
        })?;
    let rows = rows
        .into_iter()
        .map(|src| -> Result<ImportSystem, Error> {
            let row = match src.location {
                khien_formats::Location::Row(r) | khien_formats::Location::Line(r) => r,
                _ => 0,
            };
            let r = src.system;
            // The parser checked the status against the same list; a row number still says where.
            let status = r
                .status
                .as_deref()
                .map(|v| Lifecycle::parse("status", v))
                .transpose()
                .map_err(|e| e.with_prefix(&format!("Dòng {row}: "), &format!("Row {row}: ")))?;
            Ok(ImportSystem {
                row,
                owner_unit_code: r.owner_unit_code,
                input: SystemInput {
                    code: r.code,
                    name: r.name,
                    owner_unit_id: 0,
                    operator_unit_id: None,
                    purpose: r.purpose,
                    system_type: r.system_type,
                    info_private: r.info_private,
                    info_personal: r.info_personal,
                    secret_grade: r.secret_grade,
                    subjects_basic: r.subjects_basic,
                    subjects_sensitive: r.subjects_sensitive,
                    admin_procedures: r.admin_procedures,
                    online_service_level: r.online_service_level,
                    infra_scope: r.infra_scope,
                    data_category: r.data_category,
                    hosting: r.hosting,
                    status,
                    go_live_date: r.go_live_date,
                    vendor: r.vendor,
                    ip_ranges: r.ip_ranges,
                    domains: r.domains,
                    tags: r.tags,
                    ..Default::default()
                },
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    s.store
        .import_systems(&ctx.actor, &rows)
        .await
        .map_err(|e| e.with_prefix(&format!("Tệp {name}: "), &format!("File {name}: ")))
}

pub fn template() -> Result<Vec<u8>, Error> {
    khien_formats::systems_template_xlsx().map_err(Error::internal)
}
