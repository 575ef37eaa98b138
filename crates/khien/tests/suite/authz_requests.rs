//! The request the authorization sweep (`authz.rs`) sends to each documented operation: unit A's
//! caller aimed at unit B's records (`Other`), with the body the operation takes.

use serde_json::{json, Value};

pub(crate) struct Other {
    pub(crate) unit: i64,
    pub(crate) user: i64,
    pub(crate) assignment: i64,
    pub(crate) token: i64,
    pub(crate) system: i64,
    pub(crate) dossier: i64,
    pub(crate) connection: i64,
    pub(crate) certificate: i64,
    pub(crate) attachment: i64,
    pub(crate) saved_filter: i64,
    pub(crate) incident: i64,
    pub(crate) task: i64,
    pub(crate) collection: String,
    pub(crate) public_report: i64,
    pub(crate) public_file: i64,
    pub(crate) remote: i64,
    pub(crate) assessment: i64,
    pub(crate) evidence: i64,
    pub(crate) finding: i64,
    pub(crate) plan: i64,
    pub(crate) plan_task: i64,
    pub(crate) plan_import: i64,
    pub(crate) training: i64,
    pub(crate) budget_project: i64,
    pub(crate) staff: i64,
    pub(crate) consultation: i64,
    pub(crate) consultation_comment: i64,
    pub(crate) progress: i64,
    pub(crate) occurrence: i64,
    pub(crate) evidence_file: i64,
    pub(crate) follow_up: i64,
    pub(crate) indicator: i64,
    pub(crate) ranking: i64,
    pub(crate) report_round: i64,
    pub(crate) report_version: i64,
    pub(crate) issued_document: i64,
    pub(crate) package: i64,
    pub(crate) comment: i64,
    pub(crate) template: i64,
    pub(crate) telemetry_alert: i64,
    pub(crate) botnet_case: i64,
}

/// What a caller of A sends to each documented operation, aimed at B's records.
pub(crate) fn attack(path: &str, method: &str, b: &Other, own_unit: i64) -> Option<(String, Option<Value>)> {
    let body = match (method, path) {
        ("get", "/api/v1/me") | ("put", "/api/v1/me/password") | ("put", "/api/v1/me/lang") => return None, // the caller's own account
        ("post", "/api/v1/me/deadline-feed") | ("delete", "/api/v1/me/deadline-feed") => return None, // the caller's own address
        ("get", "/api/v1/deadline-feeds/{secret}") => return None, // the secret is the credential: plan_support.rs
        ("get", "/api/v1/holidays") | ("get", "/api/v1/rulesets") | ("get", "/api/v1/systems/template") => return None, // city-wide reference data
        // City-wide, the standing body's only: a unit's caller is refused (403/404).
        ("get", "/api/v1/rulesets/clocks") | ("get", "/api/v1/rulesets/bodies") => return None, // city-wide reference data
        ("put", "/api/v1/rulesets/bodies") => {
            return Some((
                path.to_string(),
                Some(json!({"owning_body_unit_id": own_unit, "dedicated_unit_id": own_unit})),
            ))
        }
        ("put", "/api/v1/rulesets/{code}/clocks") => {
            return Some((
                path.replace("{code}", "nd85-2016"),
                Some(json!({"initial_hours":1,"serious_initial_hours":0,"cause_hours":2,"closing_days":1})),
            ))
        }
        ("put", "/api/v1/rulesets/{code}/authorities") => {
            return Some((
                path.replace("{code}", "nd85-2016"),
                Some(json!({"level":3,"step":"approve","authority":"security_unit"})),
            ))
        }
        ("get", "/api/v1/saved-filters") | ("post", "/api/v1/saved-filters") => return None, // the caller's own filters
        ("get", "/api/v1/notifications")
        | ("get", "/api/v1/notifications/unread-count")
        | ("post", "/api/v1/notifications/read") => return None, // the caller's own reminders
        ("get", "/api/v1/account/email-preferences") | ("put", "/api/v1/account/email-preferences") => return None, // the caller's own choices
        // The caller's own work list: authz.rs checks that it holds nothing of B.
        ("get", "/api/v1/work") => return None,
        ("post", "/api/v1/dossiers/{id}/attachments") => {
            let url = format!("{}?part=design&file_name=x.pdf", path.replace("{id}", &b.dossier.to_string()));
            return Some((url, Some(Value::String("%PDF-1.4 hacked".into()))));
        }
        ("post", "/api/v1/systems/import") => {
            // A raw CSV body (a JSON string value is sent as it is).
            let csv = "Mã hệ thống;Tên hệ thống;Mã đơn vị chủ quản;Loại hệ thống\nHACK-IMP;Hệ thống lạ;SO-YT;Nội bộ\n";
            return Some((format!("{path}?file_name=he-thong.csv"), Some(Value::String(csv.into()))));
        }
        ("get", "/api/v1/systems") | ("get", "/api/v1/systems/overview") | ("get", "/api/v1/dossiers/pending") => {
            return None
        } // lists: checked below
        ("get", "/api/v1/systems/export")
        | ("get", "/api/v1/systems/overview/export")
        | ("get", "/api/v1/systems/overview/form08-systems")
        | ("get", "/api/v1/systems/overview/form08") => return None, // exports: checked below
        ("put", "/api/v1/holidays/{day}") => {
            return Some((path.replace("{day}", "2026-12-31"), Some(json!({"name":"x"}))))
        }
        ("delete", "/api/v1/holidays/{day}") => return Some((path.replace("{day}", "2026-12-31"), None)),
        ("post", "/api/v1/systems") => {
            Some(json!({"code":"HACK-SYS","name":"x","owner_unit_id":b.unit,"system_type":"internal"}))
        }
        ("put", "/api/v1/systems/{id}") => {
            Some(json!({"code":"HACK-SYS","name":"x","owner_unit_id":own_unit,"system_type":"internal"}))
        }
        ("put", "/api/v1/systems/{id}/status") => Some(json!({"status":"suspended"})),
        ("post", "/api/v1/systems/{id}/exceptions") => {
            Some(json!({"reason":"không có lý do chính đáng","expires_on":"2099-01-01"}))
        }
        ("post", "/api/v1/systems/{id}/dossiers") => Some(json!({"proposed_level":0})),
        ("post", "/api/v1/systems/{id}/connections") => Some(json!({"direction":"outbound","peer":"hacker"})),
        ("post", "/api/v1/systems/{id}/certificates") => {
            Some(json!({"kind":"usb_token","holder":"x","serial":"1","issuer":"x","expires_on":"2099-01-01"}))
        }
        ("put", "/api/v1/dossiers/{id}") => Some(json!({"proposed_level":2})),
        ("post", "/api/v1/dossiers/{id}/actions") => Some(json!({"action":"submit"})),
        ("post", "/api/v1/incidents/{id}/files") => {
            let url = format!("{}?file_name=x.log", path.replace("{id}", &b.incident.to_string()));
            return Some((url, Some(Value::String("hacked".into()))));
        }
        ("put", "/api/v1/dossiers/{id}/parts/{part}/not-applicable") => {
            Some(json!({"reason":"không áp dụng cho hệ thống này"}))
        }
        ("post", "/api/v1/dossiers/{id}/forms/{form}") => Some(json!({"number":"1/x"})),
        ("post", "/api/v1/dossiers/{id}/packages") => None,
        ("post", "/api/v1/dossiers/{id}/comments") => Some(json!({"body":"hacked comment"})),
        ("put", "/api/v1/dossier-comments/{id}/answer") => {
            return Some((path.replace("{id}", &b.comment.to_string()), Some(json!({"answer":"hacked"}))))
        }
        ("get", "/api/v1/rulesets/manager-check") => return None, // city-wide reference data
        ("get", "/api/v1/registry/required-details") => return None, // city-wide reference data
        ("put", "/api/v1/registry/required-details") => {
            return Some((path.to_string(), Some(json!({"fields": ["mfa"]}))))
        }
        ("put", "/api/v1/systems/{id}/details") => Some(json!({"values": {"mfa": "no"}})),
        // Another unit's system code in an inventory file is refused like an unknown one (422
        // naming the row, so its existence does not leak): inventory.rs proves it.
        ("post", "/api/v1/inventory/import") => return None,
        // The authority's templates are city-wide reference data for whoever issues documents.
        ("get", "/api/v1/document-templates")
        | ("get", "/api/v1/document-templates/fields")
        | ("get", "/api/v1/document-templates/{id}/file") => return None,
        ("post", "/api/v1/document-templates") => {
            let url = format!("{path}?form=statement&ruleset=nd331-2026&name=x");
            return Some((url, Some(Value::String("PK".into()))));
        }
        // With B's dossier, the preview shows B's data: refused.
        ("get", "/api/v1/document-templates/{id}/preview") => {
            let url = format!("{}?dossier_id={}", path.replace("{id}", &b.template.to_string()), b.dossier);
            return Some((url, None));
        }
        ("put", "/api/v1/document-templates/{id}/default") => {
            return Some((path.replace("{id}", &b.template.to_string()), Some(json!({"default": true}))))
        }
        ("put", "/api/v1/rulesets/manager-check") => {
            return Some((path.to_string(), Some(json!({"unit_types": ["ward", "department"]}))))
        }
        ("get", "/api/v1/dossier-documents/{id}/file") => {
            return Some((path.replace("{id}", &b.issued_document.to_string()), None))
        }
        ("get", "/api/v1/dossier-packages/{id}/file") => {
            return Some((path.replace("{id}", &b.package.to_string()), None))
        }
        ("put", "/api/v1/dossier-packages/{id}/receipt") => {
            let body = json!({"received_by": "x", "received_on": "01/01/2026"});
            return Some((path.replace("{id}", &b.package.to_string()), Some(body)));
        }
        // A unit's caller sends no telemetry (a SOC provider's token does, for the units it
        // serves only: telemetry.rs refuses another unit's addresses by line).
        ("post", "/api/v1/telemetry/events") => {
            let line = r#"{"event_type":"alert","src_ip":"10.77.1.6","alert":{"signature_id":2}}"#;
            return Some((path.to_string(), Some(Value::String(line.into()))));
        }
        ("post", "/api/v1/telemetry/alerts/{id}/incident") => {
            return Some((path.replace("{id}", &b.telemetry_alert.to_string()), Some(json!({}))));
        }
        ("get", "/api/v1/telemetry/alerts/{id}") => {
            return Some((path.replace("{id}", &b.telemetry_alert.to_string()), None))
        }
        ("get", "/api/v1/telemetry/alerts")
        | ("get", "/api/v1/telemetry/days")
        | ("get", "/api/v1/telemetry/sources")
        | ("get", "/api/v1/telemetry/rate")
        | ("get", "/api/v1/botnet/cases")
        | ("get", "/api/v1/endpoints")
        | ("get", "/api/v1/endpoints/coverage") => {
            return None; // lists: checked in authz.rs
        }
        ("get", "/api/v1/botnet/cases/{id}") => {
            return Some((path.replace("{id}", &b.botnet_case.to_string()), None));
        }
        ("post", "/api/v1/botnet/cases/{id}/moves") => {
            let body = json!({"move": "clean", "note": "x"});
            return Some((path.replace("{id}", &b.botnet_case.to_string()), Some(body)));
        }
        // The city's list is the city-wide authority's to import: a unit's caller is refused.
        ("post", "/api/v1/botnet/import") => {
            let url = format!("{path}?file_name=l.csv&feed=x");
            return Some((url, Some(Value::String("ip,malware\n10.77.1.98,mirai\n".into()))));
        }
        ("get", "/api/v1/units")
        | ("get", "/api/v1/users")
        | ("get", "/api/v1/audit")
        | ("get", "/api/v1/tokens")
        | ("get", "/api/v1/units/export") => {
            return None; // lists: checked below
        }
        ("post", "/api/v1/units/import") => {
            let url = format!("{path}?parent_id={}&file_name=units.json", b.unit);
            return Some((url, Some(json!([{"code":"HACK3","name":"x","unit_type":"ward"}]))));
        }
        ("get", "/api/v1/incidents") | ("get", "/api/v1/observables") | ("get", "/api/v1/stix/bundle") => return None, // lists: checked below
        ("get", "/api/v1/watchlist") => return None, // the city's watch list of outside indicators
        ("get", "/api/v1/taxii/collections") | ("get", "/api/v1/taxii/remotes") => return None, // lists: checked below
        ("post", "/api/v1/taxii/remotes") => {
            Some(json!({"name":"hacked","url":"http://127.0.0.1:9/","collection_id": b.collection}))
        }
        ("post", "/api/v1/taxii/remotes/{id}/push") => None,
        ("post", "/api/v1/taxii/collections") => Some(json!({"title":"hacked","unit_id":b.unit})),
        ("put", "/api/v1/taxii/collections/{id}/access") => {
            return Some((
                path.replace("{id}", &b.collection),
                Some(json!({"token_id":1,"can_read":true,"can_write":true})),
            ))
        }
        ("post", "/api/v1/incidents/{id}/publish") => Some(json!({"collection_id": b.collection})),
        ("get", "/api/v1/incidents/{id}/documents/{kind}") => {
            return Some((path.replace("{id}", &b.incident.to_string()).replace("{kind}", "initial"), None))
        }
        ("post", "/api/v1/stix/import") => {
            let bundle = r#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}]}"#;
            return Some((path.to_string(), Some(Value::String(bundle.into()))));
        }
        ("post", "/api/v1/incidents") => {
            Some(json!({"unit_id":b.unit,"title":"x","category":"malware","detected_at":"2026-01-01T00:00:00Z"}))
        }
        ("post", "/api/v1/incidents/{id}/state") => Some(json!({"state":"triaged"})),
        ("post", "/api/v1/incidents/{id}/severity") => {
            Some(json!({"serious":true,"priority":1,"reason":"hacked by A"}))
        }
        ("post", "/api/v1/incidents/{id}/reports") => Some(json!({"kind":"progress","body":"hacked"})),
        ("post", "/api/v1/incidents/{id}/notes") => Some(json!({"note":"hacked"})),
        ("post", "/api/v1/incidents/{id}/tasks") => Some(json!({"unit_id":own_unit,"title":"hacked"})),
        ("post", "/api/v1/incident-tasks/{id}/state") => Some(json!({"state":"done"})),
        ("post", "/api/v1/incidents/{id}/observables") => Some(json!({"kind":"ipv4","value":"192.0.2.66"})),
        ("post", "/api/v1/incidents/{id}/links") => Some(json!({"related_id":1})),
        // Public by design, no account: sending a report (rate-limited) and looking one up by
        // its tracking code, which shows only category, state and dates (public_reports.rs).
        ("post", "/api/v1/public/reports") | ("get", "/api/v1/public/reports/{code}") => return None,
        ("get", "/api/v1/public-reports") => return None, // list: checked below
        ("post", "/api/v1/public-reports/{id}/route") => Some(json!({"unit_id": own_unit})),
        ("post", "/api/v1/public-reports/{id}/state") => Some(json!({"state":"in_progress"})),
        ("post", "/api/v1/public-reports/{id}/incident") => Some(json!({"unit_id": own_unit})),
        ("get", "/api/v1/catalogues")
        | ("get", "/api/v1/catalogues/{id}")
        | ("get", "/api/v1/catalogues/{id}/oscal")
        | ("get", "/api/v1/catalogues/{id}/export")
        | ("get", "/api/v1/catalogues/template") => return None, // city-wide reference data
        ("get", "/api/v1/assessments") | ("get", "/api/v1/assessments/by-unit") => return None, // lists: checked below
        ("post", "/api/v1/catalogues/import") => {
            let csv = "id,kind,title_vi,levels\nHACK,requirement,Yêu cầu lạ,1-5\n";
            return Some((
                format!("{path}?format=table&file_name=hack.csv&code=hack&version=1"),
                Some(Value::String(csv.into())),
            ));
        }
        ("post", "/api/v1/assessments") => {
            Some(json!({"system_id": b.system, "catalogue_id": 1, "kind": "self", "title": "hacked"}))
        }
        ("put", "/api/v1/assessments/{id}/results") => {
            Some(json!({"results": [{"node_id": "x", "result": "non_compliant"}]}))
        }
        ("post", "/api/v1/assessments/{id}/state") => Some(json!({"state": "in_review"})),
        ("post", "/api/v1/assessments/{id}/results/{node_id}/evidence") => {
            let url = format!(
                "{}?file_name=x.pdf",
                path.replace("{id}", &b.assessment.to_string()).replace("{node_id}", "x")
            );
            return Some((url, Some(Value::String("%PDF-1.4 hacked".into()))));
        }
        ("get", "/api/v1/findings")
        | ("get", "/api/v1/findings/counts")
        | ("get", "/api/v1/findings/counts/history")
        | ("get", "/api/v1/findings/export")
        | ("get", "/api/v1/incidents/export")
        | ("get", "/api/v1/users/export")
        | ("get", "/api/v1/assessments/export")
        | ("get", "/api/v1/public-reports/export")
        | ("get", "/api/v1/audit/export") => return None, // lists and exports: checked in authz.rs
        ("get", "/api/v1/remediation-policy") => return None, // city-wide reference data
        ("get", "/api/v1/telemetry/retention") => return None, // city-wide reference data
        ("put", "/api/v1/telemetry/retention") => {
            return Some((path.to_string(), Some(json!([{"level": 3, "days": 3650}]))))
        }
        ("put", "/api/v1/remediation-policy") => {
            return Some((
                path.to_string(),
                Some(json!([{"severity":"critical","level":3,"days":365,"working_days":false}])),
            ))
        }
        ("post", "/api/v1/findings/{id}/state") => Some(json!({"to":"in_remediation"})),
        ("post", "/api/v1/systems/{id}/scans") => {
            let nessus = String::from_utf8(khien_formats::scan::synthetic_nessus(1, 2, 3)).unwrap();
            return Some((
                format!("{}?file_name=hack.nessus", path.replace("{id}", &b.system.to_string())),
                Some(Value::String(nessus)),
            ));
        }
        ("get", "/api/v1/obligation-rules") => return None, // city-wide reference data
        ("get", "/api/v1/trainings") => return None,        // list: checked in authz.rs
        ("get", "/api/v1/budget-projects")
        | ("get", "/api/v1/budget-summary")
        | ("get", "/api/v1/security-staff")
        | ("get", "/api/v1/consultations") => return None, // lists: checked in authz.rs
        ("post", "/api/v1/budget-projects") | ("put", "/api/v1/budget-projects/{id}") => {
            Some(json!({"unit_id": b.unit, "year": 2026, "name": "hacked", "total_cost": 100, "security_cost": 1}))
        }
        ("put", "/api/v1/plans/{id}/budget-share") => Some(json!({"percent": "1"})),
        ("post", "/api/v1/security-staff") | ("put", "/api/v1/security-staff/{id}") => {
            Some(json!({"unit_id": b.unit, "full_name": "hacked", "role": "full_time", "since": "2025-01-01"}))
        }
        ("post", "/api/v1/security-staff/{id}/certificates") => {
            Some(json!({"name": "hacked", "issued_on": "2025-01-01"}))
        }
        ("post", "/api/v1/consultations") => {
            Some(json!({"title": "hacked", "drafting_unit_id": b.unit, "due_on": "2030-01-01", "unit_ids": [b.unit]}))
        }
        ("post", "/api/v1/consultations/{id}/replies") => {
            Some(json!({"unit_id": b.unit, "comments": [{"section": "I", "body": "hacked"}]}))
        }
        ("post", "/api/v1/consultation-comments/{id}/answer") => {
            Some(json!({"answer": "not_accepted", "reason": "hacked"}))
        }
        ("post", "/api/v1/consultations/{id}/close") => None,
        ("post", "/api/v1/trainings/{id}/follow-ups") => {
            Some(json!({"unit_id": b.unit, "body": "hacked", "due_on": "2030-01-01"}))
        }
        ("post", "/api/v1/follow-ups/{id}/done") => Some(json!({"note": "hacked"})),
        // Indicators are city definitions everyone reads; their figures are checked in authz.rs.
        ("get", "/api/v1/indicators")
        | ("get", "/api/v1/indicators/{id}")
        | ("get", "/api/v1/indicators/export")
        | ("get", "/api/v1/indicators/{id}/export") => return None,
        ("post", "/api/v1/indicators") => {
            Some(json!({"code": "HACK", "name_vi": "x", "name_en": "x", "measure": "approved", "targets": "2026: 100"}))
        }
        ("post", "/api/v1/indicators/{id}/snapshots") | ("post", "/api/v1/indicators/snapshots") => {
            Some(json!({"period": "2026"}))
        }
        // Models and published rankings are read by everyone; a draft is the standing body's.
        ("get", "/api/v1/index-models") | ("get", "/api/v1/rankings") => return None,
        ("post", "/api/v1/index-models") => Some(json!({"name": "hack", "model": {"criteria": [], "bands": []}})),
        ("post", "/api/v1/rankings") => Some(json!({"model_id": b.ranking, "unit_type": "ward", "period": "2026"})),
        ("post", "/api/v1/rankings/{id}/publish") => None,
        // The roster lists members to all and applications to their own units (lists_hide_b).
        ("get", "/api/v1/network") | ("get", "/api/v1/network/export") => return None,
        ("put", "/api/v1/network/{unit_id}") => {
            return Some((
                path.replace("{unit_id}", &b.unit.to_string()),
                Some(json!({"contact_name": "x", "contact_phone": "0225 3 811 811", "contact_email": "a@b.vn"})),
            ))
        }
        ("post", "/api/v1/network/{unit_id}/decision") => {
            return Some((path.replace("{unit_id}", &b.unit.to_string()), Some(json!({"decision": "approve"}))))
        }
        // The rounds are the city's: each caller lists its own units' reports (reports.rs).
        ("get", "/api/v1/report-rounds") | ("get", "/api/v1/report-rounds/{id}") => return None,
        ("post", "/api/v1/report-rounds") => {
            Some(json!({"template": "monthly", "period": "2026-11", "due_on": "30/12/2026", "unit_types": ["ward"]}))
        }
        ("get", "/api/v1/report-rounds/{id}/consolidation") | ("get", "/api/v1/report-rounds/{id}/consolidated") => {
            return Some((path.replace("{id}", &b.report_round.to_string()), None))
        }
        ("get", "/api/v1/report-versions/{id}") | ("get", "/api/v1/report-versions/{id}/document") => {
            return Some((path.replace("{id}", &b.report_version.to_string()), None))
        }
        ("get", "/api/v1/report-rounds/{id}/units/{unit_id}")
        | ("put", "/api/v1/report-rounds/{id}/units/{unit_id}")
        | ("post", "/api/v1/report-rounds/{id}/units/{unit_id}/submit")
        | ("post", "/api/v1/report-rounds/{id}/units/{unit_id}/decision") => {
            let url = path.replace("{id}", &b.report_round.to_string()).replace("{unit_id}", &b.unit.to_string());
            let body = match method {
                "put" => Some(json!({"narratives": {"results": "hacked"}})),
                "post" if path.ends_with("submit") => Some(json!({})),
                "post" => Some(json!({"accept": false, "reason": "hacked"})),
                _ => None,
            };
            return Some((url, body));
        }
        ("post", "/api/v1/indicators/{id}/values") => {
            Some(json!({"unit_id": b.unit, "period": "2026", "numerator": 1, "denominator": 2}))
        }
        ("post", "/api/v1/plan-progress/{id}/files") | ("post", "/api/v1/obligation-occurrences/{id}/files") => {
            let id = if path.contains("plan-progress") { b.progress } else { b.occurrence };
            return Some((
                format!("{}?file_name=hack.txt", path.replace("{id}", &id.to_string())),
                Some(Value::String("hacked".into())),
            ));
        }
        ("get", "/api/v1/deadlines") | ("get", "/api/v1/deadlines.ics") => return None, // the caller's own: checked in authz.rs
        ("post", "/api/v1/trainings") => Some(
            json!({"kind": "drill", "title": "hacked", "held_on": "2026-01-05", "organiser_unit_id": b.unit, "system_ids": [b.system]}),
        ),
        ("put", "/api/v1/obligation-rules") => {
            return Some((path.to_string(), Some(json!({"kind": "log_review", "level": 3, "months": 60}))))
        }
        ("post", "/api/v1/systems/{id}/obligations") => {
            Some(json!({"kind": "vulnerability_scan", "done_on": "2026-01-05", "note": "hacked"}))
        }
        // Plans are city documents everyone reads; what units reported is checked in authz.rs.
        ("get", "/api/v1/plans")
        | ("get", "/api/v1/plans/{id}")
        | ("get", "/api/v1/plans/{id}/status")
        | ("get", "/api/v1/plans/{id}/missing")
        | ("get", "/api/v1/plans/{id}/status.xlsx")
        | ("get", "/api/v1/plan-tasks/{id}/progress")
        | ("get", "/api/v1/my-plan-tasks") => return None,
        // The authority's: a unit's caller cannot stage a plan, nor read or use another's staged file.
        ("post", "/api/v1/plan-imports") => {
            let csv = "STT,Nhiệm vụ,Đơn vị chủ trì\n1,Mục,\n1.1,Việc,Sở Y tế\n";
            return Some((format!("{path}?file_name=phu-luc.csv"), Some(Value::String(csv.into()))));
        }
        ("post", "/api/v1/plan-imports/{id}/preview") => Some(json!({"mappings": []})),
        ("post", "/api/v1/plan-imports/{id}/plan") => Some(
            json!({"plan": {"number": "HACK/KH", "issued_on": "01/01/2026", "issuer": "x", "title": "x", "year_from": 2026, "year_to": 2026, "reporting": "yearly", "report_day": 15, "report_month": 11}}),
        ),
        // B's part of a task: A may report for its own units only.
        ("post", "/api/v1/plan-tasks/{id}/progress") => {
            Some(json!({"unit_id": b.unit, "period": "2025", "status": "blocked", "narrative": "hacked"}))
        }
        ("get", _) | ("delete", _) => None,
        ("post", "/api/v1/units") => Some(json!({"code":"HACK","name":"x","unit_type":"ward","parent_id":b.unit})),
        ("patch", "/api/v1/units/{id}") => Some(json!({"name":"hacked"})),
        ("post", "/api/v1/units/{id}/move") => Some(json!({"parent_id": own_unit})),
        ("put", "/api/v1/units/{id}/active") | ("put", "/api/v1/users/{id}/active") => Some(json!({"active": false})),
        ("post", "/api/v1/users") => {
            Some(json!({"username":"hacker","full_name":"x","unit_id":b.unit,"password":"Mat-khau-2026"}))
        }
        ("patch", "/api/v1/users/{id}") => Some(json!({"full_name":"hacked","unit_id": own_unit})),
        ("put", "/api/v1/users/{id}/password") => Some(json!({"password":"Mat-khau-2026x"})),
        ("post", "/api/v1/users/{id}/roles") => Some(json!({"role":"unit_officer","unit_id":b.unit,"recursive":false})),
        ("post", "/api/v1/tokens") => Some(json!({"name":"x","role":"unit_manager","unit_id":b.unit,"valid_days":1})),
        other => panic!("authz test does not know the operation {other:?}: add it to `attack`"),
    };
    let id = if path.starts_with("/api/v1/trainings/") {
        b.training
    } else if path.starts_with("/api/v1/rankings/") {
        b.ranking
    } else if path.starts_with("/api/v1/indicators/") {
        b.indicator
    } else if path.starts_with("/api/v1/follow-ups/") {
        b.follow_up
    } else if path.starts_with("/api/v1/evidence-files/") {
        b.evidence_file
    } else if path.starts_with("/api/v1/budget-projects/") {
        b.budget_project
    } else if path.starts_with("/api/v1/security-staff/") {
        b.staff
    } else if path.starts_with("/api/v1/consultations/") {
        b.consultation
    } else if path.starts_with("/api/v1/consultation-comments/") {
        b.consultation_comment
    } else if path.starts_with("/api/v1/plans/") {
        b.plan
    } else if path.starts_with("/api/v1/plan-tasks/") {
        b.plan_task
    } else if path.starts_with("/api/v1/plan-imports/") {
        b.plan_import
    } else if path.starts_with("/api/v1/taxii/remotes/") {
        b.remote
    } else if path.starts_with("/api/v1/assessments/") {
        b.assessment
    } else if path.starts_with("/api/v1/findings/") {
        b.finding
    } else if path.starts_with("/api/v1/assessment-evidence/") {
        b.evidence
    } else if path.starts_with("/api/v1/incidents/") {
        b.incident
    } else if path.starts_with("/api/v1/incident-tasks/") {
        b.task
    } else if path.starts_with("/api/v1/public-reports/") {
        b.public_report
    } else if path.starts_with("/api/v1/public-report-files/") {
        b.public_file
    } else if path.starts_with("/api/v1/saved-filters/") {
        b.saved_filter
    } else if path.starts_with("/api/v1/attachments/") {
        b.attachment
    } else if path.starts_with("/api/v1/connections/") {
        b.connection
    } else if path.starts_with("/api/v1/certificates/") {
        b.certificate
    } else if path.starts_with("/api/v1/systems/") {
        b.system
    } else if path.starts_with("/api/v1/dossiers/") {
        b.dossier
    } else if path.starts_with("/api/v1/units/") {
        b.unit
    } else if path.starts_with("/api/v1/users/") {
        b.user
    } else if path.starts_with("/api/v1/role-assignments/") {
        b.assignment
    } else if path.starts_with("/api/v1/tokens/") {
        b.token
    } else {
        0
    };
    Some((path.replace("{id}", &id.to_string()).replace("{part}", "design").replace("{form}", "statement"), body))
}
