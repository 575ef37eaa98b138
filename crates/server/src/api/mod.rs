//! JSON API under /api/v1. Each handler carries its own OpenAPI annotation and is registered
//! through `routes!`, so the document at /api/openapi.json is generated from the code itself.

mod account;
mod appraisal;
mod audit;
pub(crate) mod botnet;
mod budget;
pub(crate) mod compliance;
mod consultations;
pub(crate) mod deadlines;
pub(crate) mod document_templates;
pub(crate) mod dossier_forms;
mod dossier_review;
mod evidence;
pub(crate) mod findings;
mod form08;
mod incident_files;
pub(crate) mod incidents;
mod indicators;
mod list_exports;
mod network;
mod notifications;
mod obligations;
mod plans;
pub(crate) mod public_reports;
mod rankings;
mod reports;
mod rulesets;
mod staff;
pub(crate) mod stix;
mod system_details;
mod systems;
pub(crate) mod taxii;
pub(crate) mod telemetry;
mod trainings;
mod units;
mod users;

use crate::error::Problem;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use khien_domain::page::{limit, Cursor};
use khien_domain::Result;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(title = "Khiên API", description = "Operations management for a city's cybersecurity authority. Errors are RFC 9457 problem details; messages follow Accept-Language (vi, en)."),
    components(schemas(Problem)),
    modifiers(&Security),
    security(("bearer" = []), ("session" = []))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        c.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
        );
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(units::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(account::router())
        .merge(systems::router())
        .merge(dossier_review::router())
        .merge(dossier_forms::router())
        .merge(appraisal::router())
        .merge(document_templates::router())
        .merge(system_details::router())
        .merge(form08::router())
        .merge(rulesets::router())
        .merge(incidents::router())
        .merge(incident_files::router())
        .merge(list_exports::router())
        .merge(public_reports::router())
        .merge(notifications::router())
        .merge(stix::router())
        .merge(findings::router())
        .merge(compliance::router())
        .merge(plans::router())
        .merge(obligations::router())
        .merge(trainings::router())
        .merge(budget::router())
        .merge(consultations::router())
        .merge(evidence::router())
        .merge(indicators::router())
        .merge(rankings::router())
        .merge(reports::router())
        .merge(network::router())
        .merge(staff::router())
        .merge(deadlines::router())
        .merge(telemetry::router())
        .merge(botnet::router())
}

pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = router().split_for_parts();
    ErrorResponses.modify(&mut doc);
    BinaryBodies.modify(&mut doc);
    doc
}

/// Files sent or received as they are (uploads, XLSX, PDF, YAML): utoipa writes `Vec<u8>` as
/// an array of integers, which a client would send as JSON; say "a string of bytes" instead.
struct BinaryBodies;

impl Modify for BinaryBodies {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        use utoipa::openapi::{Content, RefOr, Schema};
        let binary = |media: &str, c: &mut Content| {
            let json = media == "application/json" || media.ends_with("+json");
            if !json && matches!(c.schema, Some(RefOr::T(Schema::Array(_)))) {
                // YAML is text a client parses (Khiên's catalogue format): no byte schema.
                c.schema = (media != "application/yaml").then(|| {
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                        .build()
                        .into()
                });
            }
        };
        for item in doc.paths.paths.values_mut() {
            for op in
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
            {
                if let Some(body) = op.request_body.as_mut() {
                    body.content.iter_mut().for_each(|(m, c)| binary(m, c));
                }
                for r in op.responses.responses.values_mut() {
                    if let RefOr::T(r) = r {
                        r.content.iter_mut().for_each(|(m, c)| binary(m, c));
                    }
                }
            }
        }
    }
}

/// The error answers every operation can give, added to each operation from what it takes, so
/// that no annotation has to list them: all errors are `application/problem+json` (see
/// `error::problem_response`). Runs on the merged document (the `ApiDoc` modifiers run before
/// the routes are merged in).
struct ErrorResponses;

impl ErrorResponses {
    /// Why an operation answers each status, for the statuses it can answer.
    fn statuses(method: &str, op: &utoipa::openapi::path::Operation) -> Vec<(&'static str, &'static str)> {
        let params = op.parameters.as_deref().unwrap_or_default();
        let takes_input = !params.is_empty() || op.request_body.is_some();
        let public = op
            .security
            .as_ref()
            .is_some_and(|s| s.iter().all(|r| serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({}))));
        let mut out = Vec::new();
        if takes_input {
            out.push((
                "400",
                "Malformed request: a parameter of the wrong type, an unknown parameter or field, unreadable JSON.",
            ));
        }
        if !public {
            out.push(("401", "No valid session or API token."));
            out.push((
                "403",
                "The caller's roles do not allow this, or a cookie-authenticated change lacks its CSRF token.",
            ));
        }
        if takes_input {
            out.push((
                "404",
                "No such record (in the path, or one a parameter or field names) among those the caller may see.",
            ));
        }
        if method != "get" {
            out.push(("409", "The record's state or a unique value conflicts with the change."));
        }
        if op.request_body.is_some() {
            out.push(("413", "The request body is larger than this operation takes."));
        }
        out.push(("414", "The address (path and query) is longer than 8 KiB."));
        if takes_input {
            out.push(("422", "Well-formed, but a value breaks a rule; `field` names it."));
        }
        out
    }
}

impl Modify for ErrorResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, RefOr, Response};
        let problem = || Content::new(Some(Ref::from_schema_name("Problem")));
        for item in doc.paths.paths.values_mut() {
            let ops = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op.as_mut() else { continue };
                let statuses = Self::statuses(method, op);
                let responses = &mut op.responses.responses;
                // Annotated problem responses: the media type the server really sends.
                for (status, r) in responses.iter_mut() {
                    if let (false, RefOr::T(r)) = (status.starts_with('2'), r) {
                        if let Some(c) = r.content.shift_remove("application/json") {
                            r.content.insert(crate::error::PROBLEM_JSON.to_string(), c);
                        }
                    }
                }
                for (status, why) in statuses {
                    if !responses.contains_key(status) {
                        let mut r = Response::new(why);
                        r.content.insert(crate::error::PROBLEM_JSON.to_string(), problem());
                        responses.insert(status.to_string(), RefOr::T(r));
                    }
                }
            }
        }
    }
}

pub async fn openapi_json(State(_): State<AppState>) -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_document())
}

/// A stored file as a download: its checked media type, an RFC 6266 name (an ASCII fallback
/// plus the UTF-8 one, percent-encoded) and its SHA-256.
pub(crate) fn download(file_name: &str, content_type: &str, sha256: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let ascii: String = khien_domain::fold::fold(file_name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
        .collect();
    let disposition =
        format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::error::urlencode(file_name));
    let headers = [
        (axum::http::header::CONTENT_TYPE, content_type.to_string()),
        (axum::http::header::CONTENT_DISPOSITION, disposition),
        (axum::http::HeaderName::from_static("x-content-sha256"), sha256.to_string()),
    ];
    (headers, bytes).into_response()
}

/// A list filter's code: empty means any; any other value must be one of the domain's codes,
/// checked here whatever the store then does with the filter (it may find nothing to filter).
pub(crate) fn code_filter(v: Option<String>, parse: impl Fn(&str) -> Result<&'static str>) -> Result<Option<String>> {
    v.filter(|s| !s.is_empty()).map(|s| parse(&s).map(str::to_string)).transpose()
}

/// As `code_filter`, giving the domain's enum.
pub(crate) fn enum_filter<T>(v: Option<String>, parse: impl Fn(&str) -> Result<T>) -> Result<Option<T>> {
    v.filter(|s| !s.is_empty()).map(|s| parse(&s)).transpose()
}

/// Parses the common `cursor` and `limit` list parameters.
pub(crate) fn paging(cursor: Option<&str>, requested: Option<i64>) -> Result<(Option<Cursor>, i64)> {
    Ok((cursor.map(Cursor::decode).transpose()?, limit(requested)?))
}

/// Schemas of query parameters that take one of a list of codes (utoipa has no attribute for
/// the values of a `String` field), built from the domain's own lists so that the document
/// cannot drift from what the server accepts. Where an empty value means "any" (the web
/// filters send one), the empty string is one of the values.
pub(crate) mod params {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::RefOr;

    fn codes<'a>(values: impl IntoIterator<Item = &'a str>, empty_means_any: bool) -> ObjectBuilder {
        let mut all: Vec<String> = if empty_means_any { vec![String::new()] } else { Vec::new() };
        all.extend(values.into_iter().map(str::to_string));
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(all))
    }

    /// A list's orders (`sort`): each key, and each reversed with `-`.
    fn sorts(keys: &[&str]) -> ObjectBuilder {
        let all: Vec<String> = keys.iter().flat_map(|k| [k.to_string(), format!("-{k}")]).collect();
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(all))
    }

    /// A string parameter's schema type, used as `#[param(value_type = …, inline)]`.
    macro_rules! code_list {
        ($($name:ident => $schema:expr;)+) => {$(
            pub struct $name;
            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    $schema.build().into()
                }
            }
            impl utoipa::ToSchema for $name {}
        )+};
    }

    code_list! {
        UnitType => codes(khien_domain::unit::UnitType::ALL.iter().map(|t| t.code()), true);
        UnitSort => codes(["code", "name", "-code", "-name"], false);
        UserSort => codes(["username", "full_name", "-username", "-full_name"], false);
        SystemSort => sorts(&khien_store::SYSTEM_SORTS);
        IncidentSort => sorts(&khien_store::INCIDENT_SORTS);
        FindingSort => sorts(&khien_store::FINDING_SORTS);
        TableFormat => codes(["xlsx", "csv"], false);
        SystemStatus => codes(khien_domain::system::Lifecycle::ALL.iter().map(|t| t.code()), true);
        DossierState => codes(khien_domain::system::dossier::DossierState::ALL.iter().map(|t| t.code()).chain(["none"]), true);
        DossierPart => codes(khien_domain::system::dossier::Part::ALL.iter().map(|t| t.code()), false);
        Severity => codes(khien_domain::finding::Severity::ALL.iter().map(|t| t.code()), true);
        FindingState => codes(khien_domain::compliance::remediation::FindingState::ALL.iter().map(|t| t.code()), true);
        ScanTool => codes(khien_formats::scan::ScanTool::ALL.iter().map(|t| t.code()), true);
        CatalogueExportFormat => codes(["csv", "xlsx", "yaml", "yml"], false);
        CatalogueImportFormat => codes(["table", "csv", "xlsx", "yaml", "oscal", "profile"], false);
        AssessmentState => codes(khien_domain::compliance::assessment::AssessmentState::ALL.iter().map(|t| t.code()), true);
        IncidentState => codes(khien_domain::incident::State::ALL.iter().map(|t| t.code()), true);
        IncidentCategory => codes(khien_domain::incident::Category::ALL.iter().map(|t| t.code()), true);
        ObservableKind => codes(khien_domain::incident::observable::ObservableKind::ALL.iter().map(|t| t.code()), true);
        DocumentFormat => codes(["docx", "pdf"], false);
        Form08Format => codes(["xlsx", "docx", "pdf"], false);
        SigningAuthority => codes(crate::services::incident_docs::SIGNING_CODES, true);
        PublicState => codes(khien_domain::incident::public::PublicState::ALL.iter().map(|t| t.code()), true);
        PublicCategory => codes(khien_domain::incident::public::PublicCategory::ALL.iter().map(|t| t.code()), true);
    }
}
