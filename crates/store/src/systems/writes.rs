//! Writing the registry (what a unit enters is checked in `input`): create, replace, and the
//! all-or-nothing import.

pub use super::input::*;
use crate::audit::{json, Change};
use crate::db::{db_err, get, Store, WriteTx};
use crate::sql::Sql;
use crate::systems::registry::System;
use crate::units::tree::ImportSummary;
use khien_domain::fold::fold;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Msg, Result};
use std::collections::HashMap;

impl Store {
    /// The owner unit's (path, name), or an error naming the field.
    async fn owner_of(&self, w: &mut WriteTx<'_>, unit_id: i64) -> Result<(String, String)> {
        let r = sqlx::query("SELECT path, name FROM units WHERE id = $1")
            .bind(unit_id)
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let r = r.ok_or_else(|| {
            Error::invalid(
                "owner_unit_id",
                format!("Không có đơn vị mã số {unit_id}."),
                format!("There is no unit with id {unit_id}."),
            )
        })?;
        Ok((get(&r, "path")?, get(&r, "name")?))
    }

    /// Checks a new system (entitlement, code, ranges) in an open write transaction and
    /// returns it ready to insert. `known` is the owner's (path, name) when the caller already
    /// has it (an import), which also skips the code check the import does itself.
    async fn prepare_insert(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        i: &SystemInput,
        ranges: &mut RangeIndex,
        known: Option<&(String, String)>,
        temp_id: i64,
    ) -> Result<NewSystem> {
        let clean = clean(i)?;
        let (path, owner_name) = match known {
            Some(o) => o.clone(),
            None => self.owner_of(w, i.owner_unit_id).await?,
        };
        actor.require(Action::EditSystems, i.owner_unit_id, &path)?;
        if known.is_none() {
            let taken = sqlx::query("SELECT id FROM systems WHERE code = $1")
                .bind(clean.code.as_str())
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            if taken.is_some() {
                return Err(code_taken(&clean.code));
            }
        }
        if !i.confirm_overlap {
            ranges.check(i.owner_unit_id, None, &clean.ip_ranges)?;
        }
        // Later rows of the same import are checked against this one before it has an id.
        ranges.add(i.owner_unit_id, temp_id, &clean.ip_ranges);
        Ok(NewSystem { clean, input: i.clone(), owner_path: path, owner_name, temp_id })
    }

    /// Inserts prepared systems with one multi-row statement (the rows come back with it, so
    /// no re-read for the audit records) and audits each.
    async fn write_inserts(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        batch: Vec<NewSystem>,
        ranges: &mut RangeIndex,
    ) -> Result<Vec<System>> {
        let Some(first) = batch.first() else { return Ok(Vec::new()) };
        let now = self.clock.now_ms();
        let mut q = Sql::new("INSERT INTO systems (code, name, name_folded, search_folded, owner_unit_id, operator_unit_id, system_type, info_private, info_personal, secret_grade, subjects_basic, subjects_sensitive, admin_procedures, online_service_level, conditional_business, infra_scope, data_category, status, ip_ranges, tags, created_at, updated_at");
        for (f, _) in &first.clean.texts {
            q.push(", ").push(f);
        }
        q.push(") VALUES ");
        for (n, NewSystem { clean: c, input: i, .. }) in batch.iter().enumerate() {
            q.push(if n == 0 { "(" } else { ",(" });
            q.bind(c.code.as_str())
                .push(",")
                .bind(c.name.as_str())
                .push(",")
                .bind(fold(&c.name))
                .push(",")
                .bind(search_text(&c.name, &c.code));
            q.push(",").bind(i.owner_unit_id).push(",").bind(i.operator_unit_id);
            q.push(",")
                .bind(c.system_type)
                .push(",")
                .bind(i.info_private)
                .push(",")
                .bind(i.info_personal)
                .push(",")
                .bind(c.secret_grade);
            q.push(",")
                .bind(i.subjects_basic)
                .push(",")
                .bind(i.subjects_sensitive)
                .push(",")
                .bind(i.admin_procedures)
                .push(",")
                .bind(i.online_service_level)
                .push(",")
                .bind(i.conditional_business);
            q.push(",")
                .bind(c.infra_scope)
                .push(",")
                .bind(c.data_category)
                .push(",")
                .bind(c.status)
                .push(",")
                .bind(c.ip_ranges.join("\n"));
            q.push(",").bind(tags(&i.tags)).push(",").bind(now).push(",").bind(now);
            for (_, v) in &c.texts {
                q.push(",").bind(v.clone());
            }
            q.push(")");
        }
        // The owner's name and path are filled in below: RETURNING sees only the new rows.
        q.push(" RETURNING *, '' AS owner_unit_name, '' AS owner_path");
        let rows = q.query().fetch_all(&mut *w.tx).await.map_err(db_err)?;
        let mut by_code: HashMap<String, System> = HashMap::with_capacity(rows.len());
        for r in &rows {
            let s = crate::systems::registry::system_row(r)?;
            by_code.insert(s.code.clone(), s);
        }
        let mut out = Vec::with_capacity(batch.len());
        for n in batch {
            // Row order of RETURNING is not promised by either engine: match on the code.
            let mut s = by_code.remove(&n.clean.code).ok_or_else(|| Error::internal("inserted system not returned"))?;
            s.owner_unit_name = n.owner_name;
            s.owner_path = n.owner_path;
            w.audit(
                Some(actor),
                Change {
                    action: "system.create",
                    entity_type: "system",
                    entity_id: Some(s.id),
                    unit_id: Some(s.owner_unit_id),
                    before: None,
                    after: json(&s),
                },
            )
            .await?;
            ranges.rename(n.temp_id, s.id);
            out.push(s);
        }
        Ok(out)
    }

    /// Replaces a system's attributes in an open write transaction.
    async fn replace_system(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        id: i64,
        i: &SystemInput,
        ranges: &mut RangeIndex,
    ) -> Result<System> {
        let c = clean(i)?;
        let before = self.scoped_system(&mut *w.tx, actor, id, Action::EditSystems).await?;
        if i.expected_updated_at.is_some_and(|seen| seen != before.updated_at) {
            // A stale form: say whose change it would undo (the trail's last entry for it).
            let last = sqlx::query("SELECT COALESCE(au.full_name, a.actor_label) AS who, a.at FROM audit_log a LEFT JOIN users au ON au.id = a.actor_user_id WHERE a.entity_type = 'system' AND a.entity_id = $1 ORDER BY a.id DESC LIMIT 1")
                .bind(id)
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            let (who, at) = match last {
                Some(r) => (get::<String>(&r, "who")?, khien_domain::time::display_vn(get(&r, "at")?)),
                None => ("—".to_string(), khien_domain::time::display_vn(before.updated_at)),
            };
            return Err(Error::conflict(
                format!("{who} đã sửa hệ thống này lúc {at}, sau khi bạn mở biểu mẫu: nội dung bạn nhập vẫn còn dưới đây, bên mỗi trường đã đổi là giá trị hiện có; hãy xem lại rồi lưu."),
                format!("{who} changed this system at {at}, after you opened the form: your input is kept below, each changed field showing what the record holds now; review it, then save again."),
            ));
        }
        if i.owner_unit_id != before.owner_unit_id {
            let (path, _) = self.owner_of(w, i.owner_unit_id).await?;
            actor.require(Action::EditSystems, i.owner_unit_id, &path)?;
        }
        if !i.confirm_overlap {
            ranges.check(i.owner_unit_id, Some(id), &c.ip_ranges)?;
        }
        let mut q = Sql::new("UPDATE systems SET code = ");
        q.bind(c.code.as_str()).push(", name = ").bind(c.name.as_str()).push(", name_folded = ").bind(fold(&c.name));
        q.push(", search_folded = ").bind(search_text(&c.name, &c.code));
        q.push(", owner_unit_id = ").bind(i.owner_unit_id).push(", operator_unit_id = ").bind(i.operator_unit_id);
        q.push(", system_type = ")
            .bind(c.system_type)
            .push(", info_private = ")
            .bind(i.info_private)
            .push(", info_personal = ")
            .bind(i.info_personal);
        q.push(", secret_grade = ")
            .bind(c.secret_grade)
            .push(", subjects_basic = ")
            .bind(i.subjects_basic)
            .push(", subjects_sensitive = ")
            .bind(i.subjects_sensitive);
        q.push(", admin_procedures = ")
            .bind(i.admin_procedures)
            .push(", online_service_level = ")
            .bind(i.online_service_level)
            .push(", conditional_business = ")
            .bind(i.conditional_business);
        q.push(", infra_scope = ").bind(c.infra_scope).push(", data_category = ").bind(c.data_category);
        q.push(", ip_ranges = ")
            .bind(c.ip_ranges.join("\n"))
            .push(", tags = ")
            .bind(tags(&i.tags))
            .push(", updated_at = ")
            .bind(self.clock.now_ms());
        for (f, v) in c.texts {
            q.push(", ").push(f).push(" = ").bind(v);
        }
        q.push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(|e| match db_err(e) {
            Error::Conflict(_) => code_taken(&c.code),
            other => other,
        })?;
        let after = self.system_by_id(&mut *w.tx, id).await?.ok_or_else(|| Error::internal("system vanished"))?;
        w.audit(
            Some(actor),
            Change {
                action: "system.update",
                entity_type: "system",
                entity_id: Some(id),
                unit_id: Some(after.owner_unit_id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        ranges.add(after.owner_unit_id, id, &after.ip_ranges);
        Ok(after)
    }

    pub async fn create_system(&self, actor: &Actor, i: &SystemInput) -> Result<System> {
        let mut w = self.begin_write().await?;
        let mut ranges = RangeIndex::for_input(&mut w, i).await?;
        let new = self.prepare_insert(&mut w, actor, i, &mut ranges, None, -1).await?;
        let s = self
            .write_inserts(&mut w, actor, vec![new], &mut ranges)
            .await?
            .pop()
            .ok_or_else(|| Error::internal("insert returned nothing"))?;
        w.commit().await?;
        self.registry_changed();
        if !s.ip_ranges.is_empty() {
            self.attribute_orphans_after_write(actor).await;
        }
        Ok(s)
    }

    /// Replaces a system's attributes (not its status, level or dossier state).
    pub async fn update_system(&self, actor: &Actor, id: i64, i: &SystemInput) -> Result<System> {
        let mut w = self.begin_write().await?;
        let mut ranges = RangeIndex::for_input(&mut w, i).await?;
        let s = self.replace_system(&mut w, actor, id, i, &mut ranges).await?;
        w.commit().await?;
        self.registry_changed();
        if !s.ip_ranges.is_empty() {
            self.attribute_orphans_after_write(actor).await;
        }
        Ok(s)
    }

    /// Imports systems in one transaction: new codes are registered, known codes replaced. The
    /// owner is named by unit code. Any error rolls everything back and names the row (as in
    /// the file: header is row 1).
    pub async fn import_systems(&self, actor: &Actor, rows: &[ImportSystem]) -> Result<ImportSummary> {
        let mut w = self.begin_write().await?;
        w.batch_audit();
        let mut ranges = RangeIndex::load(&mut w).await?;
        // Every unit and every existing system code once, rather than a query per row.
        let mut owners: HashMap<String, (i64, (String, String))> = HashMap::new();
        for u in sqlx::query("SELECT id, code, path, name FROM units").fetch_all(&mut *w.tx).await.map_err(db_err)? {
            owners.insert(get(&u, "code")?, (get(&u, "id")?, (get(&u, "path")?, get(&u, "name")?)));
        }
        let mut codes: HashMap<String, i64> = HashMap::new();
        for r in sqlx::query("SELECT id, code FROM systems").fetch_all(&mut *w.tx).await.map_err(db_err)? {
            codes.insert(get(&r, "code")?, get(&r, "id")?);
        }
        let mut summary = ImportSummary::default();
        let mut pending: Vec<NewSystem> = Vec::new();
        for r in rows {
            let row = r.row;
            let at_row = |e: Error| {
                e.with_prefix(
                    &format!("Dòng {row} (mã «{}»): ", r.input.code),
                    &format!("Row {row} (code «{}»): ", r.input.code),
                )
            };
            let (owner, owner_path) = match owners.get(r.owner_unit_code.trim()) {
                Some(o) => o.clone(),
                None => {
                    return Err(at_row(Error::invalid(
                        "owner_unit_code",
                        format!("không có đơn vị mã «{}».", r.owner_unit_code),
                        format!("no unit has the code «{}».", r.owner_unit_code),
                    )))
                }
            };
            let input = SystemInput { owner_unit_id: owner, ..r.input.clone() };
            let code = input.code.trim();
            if pending.iter().any(|p| p.clean.code == code) {
                // The same code again further down: write what is pending so it has an id.
                self.flush_inserts(&mut w, actor, &mut pending, &mut ranges, &mut codes).await?;
            }
            match codes.get(code).copied() {
                Some(id) => {
                    self.flush_inserts(&mut w, actor, &mut pending, &mut ranges, &mut codes).await?;
                    // A code of a system the caller cannot see is "taken", as on a create: not
                    // "not found", which would tell that it exists elsewhere.
                    let hidden = |e: Error| if matches!(e, Error::NotFound(_)) { code_taken(code) } else { e };
                    self.replace_system(&mut w, actor, id, &input, &mut ranges)
                        .await
                        .map_err(hidden)
                        .map_err(at_row)?;
                    summary.updated += 1;
                }
                None => {
                    let temp_id = -i64::try_from(row).unwrap_or(i64::MAX);
                    pending.push(
                        self.prepare_insert(&mut w, actor, &input, &mut ranges, Some(&owner_path), temp_id)
                            .await
                            .map_err(at_row)?,
                    );
                    summary.created += 1;
                    if pending.len() >= INSERT_BATCH {
                        self.flush_inserts(&mut w, actor, &mut pending, &mut ranges, &mut codes).await?;
                    }
                }
            }
        }
        self.flush_inserts(&mut w, actor, &mut pending, &mut ranges, &mut codes).await?;
        w.commit().await?;
        self.registry_changed();
        self.attribute_orphans_after_write(actor).await;
        if rows.len() >= 1000 {
            self.analyze_table("systems").await?;
        }
        Ok(summary)
    }
}

impl Store {
    async fn flush_inserts(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        pending: &mut Vec<NewSystem>,
        ranges: &mut RangeIndex,
        codes: &mut HashMap<String, i64>,
    ) -> Result<()> {
        for s in self.write_inserts(w, actor, std::mem::take(pending), ranges).await? {
            codes.insert(s.code, s.id);
        }
        Ok(())
    }
}

/// Systems per multi-row INSERT in an import: 33 parameters each. SQLite's binding looks each
/// parameter up by position in a list, so very wide statements cost more than they save.
const INSERT_BATCH: usize = 10;

/// A new system checked and ready to insert.
struct NewSystem {
    clean: Clean,
    input: SystemInput,
    owner_path: String,
    owner_name: String,
    /// Stands for the id in the range index until the row is written.
    temp_id: i64,
}

fn code_taken(code: &str) -> Error {
    Error::Conflict(Msg::new(
        format!("Mã hệ thống «{code}» đã được dùng."),
        format!("The system code «{code}» is already taken."),
    ))
}

/// What a registry search matches: the folded name and the code (as the migration backfills it).
fn search_text(name: &str, code: &str) -> String {
    format!("{} {}", fold(name), code.to_lowercase())
}

fn tags(t: &[String]) -> String {
    let mut v: Vec<String> = t.iter().map(|x| khien_domain::fold::nfc(x)).filter(|x| !x.is_empty()).collect();
    v.sort();
    v.dedup();
    v.join("\n")
}
