//! Reports from the public: sent without an account (one transaction with its files, audited
//! with no actor), looked up by tracking code (state and dates only), and worked by staff — the
//! authority (incident co-ordinator at the root unit) sees the whole queue, routes reports to
//! units and may make one an incident; a unit sees and works only what was routed to its units.

pub use super::public_report_model::*;
use crate::audit::Change;
use crate::db::{db_err, from_row, get, sha256_bytes, sha256_hex, Store, WriteTx};
use crate::incidents::incident::{add_event, Incident, IncidentInput, ObservableInput};
use crate::listing::Order;
use crate::records::Page;
use crate::sql::Sql;
use khien_domain::attachment::check_attachment;
use khien_domain::fold::fold;
use khien_domain::incident::observable::{normalise, ObservableKind};
use khien_domain::incident::public::{
    check_public_transition, check_submission, next_public_states, parse_tracking_code, tracking_code, PublicCategory,
    PublicState, Submission, MAX_PUBLIC_FILES, PUBLIC_FILES,
};
use khien_domain::incident::{Category, EventKind, Side};
use khien_domain::page::Dir;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::time::rfc3339;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Lang, Msg, Result};
use sqlx::any::AnyRow;

/// How the caller stands to one report.
#[derive(Debug, Clone, Copy)]
struct Access {
    coordinator: bool,
    worker: bool,
}

const COLS: &str = "r.id, r.code, r.category, r.description, r.reporter_name, r.reporter_phone, r.reporter_email, r.url, r.state, r.routed_unit_id, r.incident_id, r.received_at, r.updated_at, \
    u.name AS unit_name, u.path AS unit_path, i.code AS incident_code, (SELECT COUNT(*) FROM public_report_files f WHERE f.report_id = r.id) AS file_count";
const FROM: &str =
    " FROM public_reports r LEFT JOIN units u ON u.id = r.routed_unit_id LEFT JOIN incidents i ON i.id = r.incident_id";
/// The root unit (the city), whose incident co-ordinators are the authority.
const ROOT: &str = "(SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1) AS root_id, (SELECT path FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1) AS root_path";
const FILE_COLS: &str = "id, report_id, file_name, content_type, size_bytes, sha256";

fn report_row(r: &AnyRow) -> Result<PublicReport> {
    from_row(r)
}

fn file_row(r: &AnyRow) -> Result<PublicReportFile> {
    from_row(r)
}

fn not_found() -> Error {
    Error::not_found("phản ánh", "Public report")
}

fn is_authority(actor: &Actor, r: &AnyRow) -> Result<bool> {
    let (id, path): (Option<i64>, Option<String>) = (get(r, "root_id")?, get(r, "root_path")?);
    Ok(matches!((id, path), (Some(id), Some(path)) if actor.can(Action::CoordinateIncidents, id, &path)))
}

/// What the trail keeps of a report: no description, no contact details.
fn trail(r: &PublicReport) -> Option<serde_json::Value> {
    Some(
        serde_json::json!({ "id": r.id, "code": r.code, "category": r.category, "state": r.state, "routed_unit_id": r.routed_unit_id, "incident_id": r.incident_id }),
    )
}

impl PublicReport {
    /// The unit the trail files the change under: the routed unit, else the root (the queue).
    fn audit_unit(&self, root: Option<i64>) -> Option<i64> {
        self.routed_unit_id.or(root)
    }
}

impl Store {
    /// Takes a report from the public: checks everything (fields, files by content) before
    /// writing, then stores the report and its files in one transaction. `client` is the
    /// sender's address; only its SHA-256 is kept.
    pub async fn submit_public_report(
        &self,
        input: &PublicReportInput,
        files: &[UploadedFile],
        client: &str,
    ) -> Result<PublicReportStatus> {
        let s = check_submission(&Submission {
            category: &input.category,
            description: &input.description,
            reporter_name: input.reporter_name.as_deref(),
            reporter_phone: input.reporter_phone.as_deref(),
            reporter_email: input.reporter_email.as_deref(),
            url: input.url.as_deref(),
            contact_consent: input.contact_consent,
        })?;
        if files.len() > MAX_PUBLIC_FILES {
            return Err(Error::invalid(
                PUBLIC_FILES.field,
                format!("Chỉ gửi kèm tối đa {MAX_PUBLIC_FILES} tệp (đã chọn {}).", files.len()),
                format!("At most {MAX_PUBLIC_FILES} files may be attached ({} were chosen).", files.len()),
            ));
        }
        let mut checked = Vec::with_capacity(files.len());
        for f in files {
            let base = f.file_name.rsplit(['/', '\\']).next().unwrap_or(&f.file_name);
            let name = validate_name(PUBLIC_FILES.field, base, 200)?;
            let content_type = check_attachment(&PUBLIC_FILES, &name, &f.bytes)?;
            checked.push((name, content_type, &f.bytes));
        }
        let now = self.clock.now_ms();
        let mut w = self.begin_write().await?;
        // Writers are serialised, so a code found free here stays free until we commit.
        let code = loop {
            let code = tracking_code(rand::random::<u64>());
            let taken = Sql::new("SELECT id FROM public_reports WHERE code = ")
                .bind(code.as_str())
                .query()
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            if taken.is_none() {
                break code;
            }
        };
        let contact = [&s.reporter_name, &s.reporter_phone, &s.reporter_email]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let mut q = Sql::new("INSERT INTO public_reports (code, category, description, search_folded, reporter_name, reporter_phone, reporter_email, url, state, client_hash, received_at, updated_at, contact_consent_at) VALUES (");
        q.bind(code.as_str())
            .push(",")
            .bind(s.category.code())
            .push(",")
            .bind(s.description.as_str())
            .push(",")
            .bind(fold(&format!("{code} {} {contact} {}", s.description, s.url.as_deref().unwrap_or_default())));
        q.push(",")
            .bind(s.reporter_name.clone())
            .push(",")
            .bind(s.reporter_phone.clone())
            .push(",")
            .bind(s.reporter_email.clone())
            .push(",")
            .bind(s.url.clone());
        q.push(",")
            .bind(PublicState::Received.code())
            .push(",")
            .bind(sha256_hex(client))
            .push(",")
            .bind(now)
            .push(",")
            .bind(now)
            .push(",")
            // When the reporter agreed to the use of the contact details given (none: anonymous).
            .bind((!contact.is_empty()).then_some(now))
            .push(") RETURNING id");
        let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
        let mut names = Vec::new();
        for (name, content_type, bytes) in checked {
            let size = i64::try_from(bytes.len()).map_err(Error::internal)?;
            let sha = sha256_bytes(bytes);
            let mut q = Sql::new("INSERT INTO public_report_files (report_id, file_name, content_type, size_bytes, sha256, data) VALUES (");
            q.bind(id)
                .push(",")
                .bind(name.as_str())
                .push(",")
                .bind(content_type)
                .push(",")
                .bind(size)
                .push(",")
                .bind(sha.as_str())
                .push(",")
                .bind_bytes(bytes.clone())
                .push(")");
            q.query().execute(&mut *w.tx).await.map_err(db_err)?;
            names.push(serde_json::json!({ "file_name": name, "sha256": sha }));
        }
        let root = self.root_id(&mut w).await?;
        let after = serde_json::json!({ "id": id, "code": code, "category": s.category.code(), "state": "received", "files": names, "contact_given": !contact.is_empty() });
        w.audit(
            None,
            Change {
                action: "public_report.submit",
                entity_type: "public_report",
                entity_id: Some(id),
                unit_id: root,
                before: None,
                after: Some(after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(PublicReportStatus {
            code,
            category: s.category,
            state: PublicState::Received,
            received_at: now,
            updated_at: now,
        })
    }

    /// The state of a report by its tracking code, for whoever holds the code.
    pub async fn public_report_status(&self, code: &str) -> Result<PublicReportStatus> {
        let code = parse_tracking_code(code)?;
        let r = Sql::new("SELECT code, category, state, received_at, updated_at FROM public_reports WHERE code = ")
            .bind(code.as_str())
            .query()
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        let r = r.ok_or_else(|| {
            Error::NotFound(Msg::new(
                format!("Không có phản ánh nào với mã {code}. Hãy kiểm tra lại mã."),
                format!("There is no report with the code {code}. Check the code."),
            ))
        })?;
        from_row(&r)
    }

    async fn root_id(&self, w: &mut WriteTx<'_>) -> Result<Option<i64>> {
        let r = Sql::new("SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
            .query()
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        r.map(|r| get(&r, "id")).transpose()
    }

    /// Whether the caller works the public's reports for the whole city (the authority's queue):
    /// co-ordination over the root unit.
    pub(crate) async fn coordinates_public_reports(&self, actor: &Actor) -> Result<bool> {
        Ok(self.root_unit().await?.is_some_and(|u| actor.can(Action::CoordinateIncidents, u.id, &u.path)))
    }

    /// The report if the caller may see it: the authority, or a unit it was routed to.
    async fn scoped_public_report(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        actor: &Actor,
        id: i64,
    ) -> Result<(PublicReport, Access)> {
        let mut q = Sql::new(&format!("SELECT {COLS}, {ROOT}{FROM} WHERE r.id = "));
        q.bind(id);
        let r = q.query().fetch_optional(exec).await.map_err(db_err)?.ok_or_else(not_found)?;
        let report = report_row(&r)?;
        let coordinator = is_authority(actor, &r)?;
        let unit = matches!((report.routed_unit_id, &report.routed_unit_path), (Some(u), Some(p)) if actor.can(Action::ReportIncidents, u, p));
        if !coordinator && !unit {
            return Err(not_found());
        }
        Ok((report, Access { coordinator, worker: coordinator || unit }))
    }

    pub async fn list_public_reports(&self, actor: &Actor, f: &PublicReportFilter) -> Result<Page<PublicReport>> {
        let authority = self.coordinates_public_reports(actor).await?;
        let mut q = Sql::new(&format!("SELECT {COLS}{FROM} WHERE "));
        if authority {
            q.push("1=1");
        } else {
            q.push("r.routed_unit_id IS NOT NULL AND ").reach("u.path", "u.id", &actor.reach(Action::ReportIncidents));
        }
        if let Some(unit) = f.unit_id {
            crate::units::scope::within_subtree(&mut q, unit);
        }
        if let Some(term) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.words_like(&["r.search_folded"], term);
        }
        match &f.state {
            Some(s) => {
                q.push(" AND r.state = ").bind(PublicState::parse("state", s)?.code());
            }
            None if !f.include_closed => {
                q.push(" AND r.state NOT IN ('resolved', 'rejected', 'converted')");
            }
            None => {}
        }
        if let Some(c) = &f.category {
            q.push(" AND r.category = ").bind(PublicCategory::parse("category", c)?.code());
        }
        let order = Order::number("public_reports.id", "r.id", "r.id", Dir::Desc).counted();
        let key_of = |r: &PublicReport| (r.id.to_string(), r.id);
        self.page_of(q, &order, (f.cursor.as_ref(), f.limit), report_row, key_of).await
    }

    pub async fn get_public_report(&self, actor: &Actor, id: i64) -> Result<PublicReportDetail> {
        let (report, access) = self.scoped_public_report(&self.pool, actor, id).await?;
        let rows = Sql::new(&format!("SELECT {FILE_COLS} FROM public_report_files WHERE report_id = "))
            .bind(id)
            .push(" ORDER BY id")
            .query()
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let files = rows.iter().map(file_row).collect::<Result<Vec<_>>>()?;
        let state = report.state;
        let next_states = next_public_states(state)
            .into_iter()
            // Routing and conversion have their own forms.
            .filter(|to| !matches!(to, PublicState::Routed | PublicState::Converted))
            .filter(|to| check_public_transition(state, *to).is_ok_and(|side| allowed(side, access)))
            .collect();
        let may = |to| check_public_transition(state, to).is_ok_and(|side| allowed(side, access));
        let (may_route, may_convert) = (may(PublicState::Routed), may(PublicState::Converted));
        Ok(PublicReportDetail {
            report,
            files,
            next_states,
            may_coordinate: access.coordinator,
            may_work: access.worker,
            may_route,
            may_convert,
        })
    }

    /// A file of a report the caller may see, with its bytes.
    pub async fn public_report_file(&self, actor: &Actor, file_id: i64) -> Result<(PublicReportFile, Vec<u8>)> {
        let r = Sql::new(&format!("SELECT {FILE_COLS}, data FROM public_report_files WHERE id = "))
            .bind(file_id)
            .query()
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        let gone = || Error::not_found("tệp đính kèm", "Attachment");
        let r = r.ok_or_else(gone)?;
        let f = file_row(&r)?;
        self.scoped_public_report(&self.pool, actor, f.report_id).await.map_err(|_| gone())?;
        Ok((f, get(&r, "data")?))
    }

    /// Sends a report to a unit for handling (also re-routes); the authority only.
    pub async fn route_public_report(&self, actor: &Actor, id: i64, unit_id: i64) -> Result<PublicReport> {
        let mut w = self.begin_write().await?;
        let (before, access) = self.scoped_public_report(&mut *w.tx, actor, id).await?;
        let side = check_public_transition(before.state, PublicState::Routed)?;
        require(side, access)?;
        let (path, name) = self.unit_path_name(&mut w, unit_id).await?;
        let mut q = Sql::new("UPDATE public_reports SET state = ");
        q.bind(PublicState::Routed.code())
            .push(", routed_unit_id = ")
            .bind(unit_id)
            .push(", updated_at = ")
            .bind(self.clock.now_ms());
        self.notify_public_report_routed(&mut w, actor, &before, (unit_id, &path, &name)).await?;
        self.finish_change(w, actor, q, &before, "public_report.route").await
    }

    /// Moves a report: in progress, resolved, rejected, reopened. Routing and conversion have
    /// their own calls.
    pub async fn set_public_report_state(&self, actor: &Actor, id: i64, to: PublicState) -> Result<PublicReport> {
        if matches!(to, PublicState::Routed | PublicState::Converted) {
            return Err(Error::invalid(
                "state",
                "Chuyển đơn vị xử lý và chuyển thành sự cố có thao tác riêng.",
                "Routing to a unit and turning into an incident have their own actions.",
            ));
        }
        let mut w = self.begin_write().await?;
        let (before, access) = self.scoped_public_report(&mut *w.tx, actor, id).await?;
        let side = check_public_transition(before.state, to)?;
        require(side, access)?;
        let mut q = Sql::new("UPDATE public_reports SET state = ");
        q.bind(to.code()).push(", updated_at = ").bind(self.clock.now_ms());
        // Back in the authority's queue: no unit holds it any more.
        if to == PublicState::Received {
            q.push(", routed_unit_id = NULL");
        }
        self.finish_change(w, actor, q, &before, "public_report.state").await
    }

    /// Writes a prepared UPDATE (guarded by the state read), audits it and commits.
    async fn finish_change(
        &self,
        mut w: WriteTx<'_>,
        actor: &Actor,
        mut q: Sql,
        before: &PublicReport,
        action: &str,
    ) -> Result<PublicReport> {
        q.push(" WHERE id = ").bind(before.id).push(" AND state = ").bind(before.state.code());
        let done = q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        if done.rows_affected() != 1 {
            return Err(Error::conflict(
                "Phản ánh vừa được người khác cập nhật; hãy tải lại trang.",
                "The report was just changed by someone else; reload the page.",
            ));
        }
        let (after, _) = self.scoped_public_report(&mut *w.tx, actor, before.id).await?;
        let root = self.root_id(&mut w).await?;
        w.audit(
            Some(actor),
            Change {
                action,
                entity_type: "public_report",
                entity_id: Some(before.id),
                unit_id: before.audit_unit(root),
                before: trail(before),
                after: trail(&after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Makes a report an incident of `unit_id`, in one transaction: the incident is created as
    /// if reported by the caller (who must be allowed to report for that unit) from the
    /// report's description, address and contact, and the report is linked to it.
    pub async fn convert_public_report_to_incident(
        &self,
        actor: &Actor,
        id: i64,
        unit_id: i64,
        category: Option<Category>,
        title: Option<&str>,
    ) -> Result<Incident> {
        let mut w = self.begin_write().await?;
        let (before, access) = self.scoped_public_report(&mut *w.tx, actor, id).await?;
        let side = check_public_transition(before.state, PublicState::Converted)?;
        require(side, access)?;
        let public_category = before.category;
        let category = category.unwrap_or(public_category.incident_category());
        let title = match title.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => t.to_string(),
            None => {
                let line: String =
                    before.description.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(120).collect();
                format!("Phản ánh {}: {line}", before.code)
            }
        };
        let contact: String = [&before.reporter_phone, &before.reporter_email]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
            .chars()
            .take(200)
            .collect();
        let observables = before
            .url
            .iter()
            .filter(|u| normalise(ObservableKind::Url, u).is_ok())
            .map(|u| ObservableInput {
                kind: ObservableKind::Url.code().into(),
                value: u.clone(),
                source: Some(format!("Phản ánh {}", before.code)),
                ..Default::default()
            })
            .collect();
        let input = IncidentInput {
            unit_id,
            title,
            category: category.code().into(),
            detected_at: rfc3339(before.received_at),
            reporter_name: before.reporter_name.clone(),
            reporter_contact: Some(contact).filter(|c| !c.is_empty()),
            symptoms: Some(before.description.clone()),
            observables,
            ..Default::default()
        };
        let incident = self.insert_incident(&mut w, actor, &input).await?;
        let note = format!(
            "Tạo từ phản ánh {} ({}) / Created from public report {} ({})",
            before.code,
            public_category.label(Lang::Vi),
            before.code,
            public_category.label(Lang::En)
        );
        add_event(&mut w, actor, incident.id, EventKind::PublicReport, &note).await?;
        let mut q = Sql::new("UPDATE public_reports SET state = ");
        q.bind(PublicState::Converted.code()).push(", incident_id = ").bind(incident.id);
        q.push(", routed_unit_id = COALESCE(routed_unit_id, ")
            .bind(unit_id)
            .push("), updated_at = ")
            .bind(self.clock.now_ms());
        // The same commit holds the incident and the link.
        let after = self.finish_change(w, actor, q, &before, "public_report.convert").await?;
        debug_assert_eq!(after.incident_id, Some(incident.id));
        Ok(incident)
    }
}

fn allowed(side: Side, a: Access) -> bool {
    match side {
        Side::Coordinator => a.coordinator,
        Side::Unit => a.worker,
    }
}

/// The caller sees the report (checked before), so a refusal is a plain 403.
fn require(side: Side, a: Access) -> Result<()> {
    if allowed(side, a) {
        Ok(())
    } else {
        Err(Error::forbidden())
    }
}
