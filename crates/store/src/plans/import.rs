//! Importing a plan: the task table staged, each unit name matched (a remembered mapping, one
//! unit of that name, several, none), the plan written all or nothing with the authority's
//! choices remembered.

use super::{plan_row, Plan, PLAN_COLS};
use crate::audit::{json, Change};
use crate::db::{db_err, flag, get, Store};
use crate::sql::Sql;
use khien_domain::plan::progress::{MatchStatus, NameTarget, Reporting, TaskRole};
use khien_domain::plan::{match_unit, unit_key, Cadence, UnitMatch};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::UnitType;
use khien_domain::{Error, Result};
use khien_formats::plan_table::PlanTaskRow;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// A staged file is kept this long for its preview.
const STAGED_FOR_MS: i64 = 24 * 3_600_000;

/// What the authority types about a plan when importing its task table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct PlanInput {
    /// Số, ký hiệu: "3131/KH-UBND".
    pub number: String,
    /// yyyy-mm-dd or dd/mm/yyyy.
    pub issued_on: String,
    /// "Ủy ban nhân dân Thành phố Hồ Chí Minh".
    pub issuer: String,
    pub title: String,
    /// The texts the plan cites ("Quyết định số 964/QĐ-TTg …").
    #[serde(default)]
    pub legal_basis: String,
    pub year_from: i32,
    pub year_to: i32,
    /// `yearly` or `monthly`.
    pub reporting: String,
    /// The day of the reporting deadline (15 for "trước ngày 15/11").
    pub report_day: u32,
    /// The month of a yearly deadline (11); ignored for monthly reporting.
    #[serde(default)]
    pub report_month: u32,
}

/// How one name of the table matched, for the preview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NameMatch {
    pub name: String,
    /// The task numbers that name it.
    pub tasks: Vec<String>,
    pub status: MatchStatus,
    /// What the name stands for when resolved: "unit:12", "type:ward", "none".
    pub targets: Vec<String>,
    /// Readable form of the targets.
    pub target_labels: Vec<String>,
    /// The units of the same name (status `several`).
    pub candidates: Vec<UnitChoice>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitChoice {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A staged file and what its import would do.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanImportPreview {
    pub import_id: i64,
    pub file_name: String,
    /// What the web form typed with the file (JSON of `PlanInput`), to prefill the confirmation.
    #[serde(skip)]
    pub meta: String,
    pub task_count: usize,
    pub section_count: usize,
    /// Tasks whose cadence could not be read, by number.
    pub unread_cadences: Vec<String>,
    pub names: Vec<NameMatch>,
}

/// The units tree as the matcher reads it.
struct Units {
    all: Vec<(i64, String)>,
    codes: BTreeMap<i64, (String, String, String, bool)>,
    paths: BTreeMap<i64, String>,
}

fn label_of(target: &NameTarget, units: &Units) -> String {
    match target {
        NameTarget::Unit(id) => match units.codes.get(id) {
            Some((code, name, _, _)) => format!("{name} ({code})"),
            None => format!("#{id}"),
        },
        NameTarget::Type(t) => format!("Mọi {}", t.label(khien_domain::Lang::Vi).to_lowercase()),
        NameTarget::Untracked => "Không theo dõi".to_string(),
    }
}

impl Store {
    /// Plans are the standing body's to import: ManagePlans at the root unit (returned, the
    /// unit a plan belongs to).
    pub(crate) async fn require_plans_manager(&self, actor: &Actor) -> Result<i64> {
        let root = self.root_unit().await?.ok_or_else(|| Error::not_found("đơn vị gốc", "Root unit"))?;
        actor.require(Action::ManagePlans, root.id, &root.path)?;
        Ok(root.id)
    }

    /// Keeps an uploaded (already parsed) task table for its preview; returns its id.
    pub async fn stage_plan_import(&self, actor: &Actor, file_name: &str, data: &[u8], meta: &str) -> Result<i64> {
        self.require_plans_manager(actor).await?;
        let now = self.clock.now_ms();
        sqlx::query("DELETE FROM plan_imports WHERE created_at < $1")
            .bind(now - STAGED_FOR_MS)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        let r = sqlx::query(
            "INSERT INTO plan_imports (user_id, file_name, data, meta, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(actor.user_id)
        .bind(file_name)
        .bind(data)
        .bind(meta)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        get(&r, "id")
    }

    /// The caller's own staged file: (file name, bytes, the form's typed fields).
    pub async fn staged_plan_import(&self, actor: &Actor, id: i64) -> Result<(String, Vec<u8>, String)> {
        self.require_plans_manager(actor).await?;
        let r = self
            .read_optional(
                &Sql::new("SELECT file_name, data, meta FROM plan_imports WHERE id = $1 AND user_id = $2")
                    .arg(id)
                    .arg(actor.user_id),
            )
            .await?
            .ok_or_else(|| Error::not_found("tệp kế hoạch đang chờ xem trước", "Staged plan file"))?;
        Ok((get(&r, "file_name")?, get(&r, "data")?, get(&r, "meta")?))
    }

    async fn units_for_matching(&self) -> Result<Units> {
        let rows =
            self.read_all(&Sql::new("SELECT id, code, name, unit_type, active, path FROM units ORDER BY id")).await?;
        let mut all = Vec::new();
        let mut codes = BTreeMap::new();
        let mut paths = BTreeMap::new();
        for r in &rows {
            let (id, code, name, unit_type): (i64, String, String, String) =
                (get(r, "id")?, get(r, "code")?, get(r, "name")?, get(r, "unit_type")?);
            let active = flag(r, "active")?;
            if active {
                all.push((id, name.clone()));
            }
            codes.insert(id, (code, name, unit_type, active));
            paths.insert(id, get(r, "path")?);
        }
        Ok(Units { all, codes, paths })
    }

    async fn remembered_names(&self) -> Result<BTreeMap<String, Vec<NameTarget>>> {
        let rows =
            self.read_all(&Sql::new("SELECT name_key, target FROM plan_unit_names ORDER BY name_key, target")).await?;
        let mut out: BTreeMap<String, Vec<NameTarget>> = BTreeMap::new();
        for r in &rows {
            let target = NameTarget::parse(&get::<String>(r, "target")?)?;
            out.entry(get(r, "name_key")?).or_default().push(target);
        }
        Ok(out)
    }

    /// How each unit name of the table matches: a remembered mapping, one unit of that name,
    /// several, or none; `chosen` (name → targets) stands in for what the authority picked.
    pub async fn match_plan_names(
        &self,
        actor: &Actor,
        rows: &[PlanTaskRow],
        chosen: &[(String, Vec<NameTarget>)],
    ) -> Result<Vec<NameMatch>> {
        self.require_plans_manager(actor).await?;
        let units = self.units_for_matching().await?;
        let remembered = self.remembered_names().await?;
        let mut by_name: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        for t in rows {
            for n in t.lead.iter().chain(&t.coordinating) {
                let e = by_name.entry(unit_key(n)).or_insert_with(|| (n.clone(), Vec::new()));
                if !e.1.contains(&t.number) {
                    e.1.push(t.number.clone());
                }
            }
        }
        let mut out = Vec::new();
        for (key, (name, tasks)) in by_name {
            let picked = chosen.iter().find(|(n, t)| unit_key(n) == key && !t.is_empty()).map(|(_, t)| t.clone());
            let (status, targets, candidates) = if let Some(t) = picked {
                (MatchStatus::Chosen, t, Vec::new())
            } else if let Some(t) = remembered.get(&key) {
                (MatchStatus::Remembered, t.clone(), Vec::new())
            } else {
                match match_unit(&name, &units.all, &[]) {
                    UnitMatch::One(id) => (MatchStatus::Matched, vec![NameTarget::Unit(id)], Vec::new()),
                    UnitMatch::Several(ids) => {
                        let candidates = ids
                            .iter()
                            .filter_map(|id| {
                                units.codes.get(id).map(|(code, name, _, _)| UnitChoice {
                                    id: *id,
                                    code: code.clone(),
                                    name: name.clone(),
                                })
                            })
                            .collect();
                        (MatchStatus::Several, Vec::new(), candidates)
                    }
                    UnitMatch::None => (MatchStatus::Unmatched, Vec::new(), Vec::new()),
                }
            };
            out.push(NameMatch {
                name,
                tasks,
                status,
                target_labels: targets.iter().map(|t| label_of(t, &units)).collect(),
                targets: targets.iter().map(NameTarget::code).collect(),
                candidates,
            });
        }
        Ok(out)
    }

    /// The preview of a staged file whose rows the caller parsed.
    pub async fn preview_plan_import(
        &self,
        actor: &Actor,
        import_id: i64,
        rows: &[PlanTaskRow],
        chosen: &[(String, Vec<NameTarget>)],
    ) -> Result<PlanImportPreview> {
        let (file_name, _, meta) = self.staged_plan_import(actor, import_id).await?;
        let names = self.match_plan_names(actor, rows, chosen).await?;
        Ok(PlanImportPreview {
            import_id,
            file_name,
            meta,
            task_count: rows.iter().filter(|r| r.parent.is_some()).count(),
            section_count: rows.iter().filter(|r| r.parent.is_none()).count(),
            unread_cadences: rows
                .iter()
                .filter(|r| r.parent.is_some() && !Cadence::parse(&r.cadence).is_read())
                .map(|r| r.number.clone())
                .collect(),
            names,
        })
    }

    /// Writes the plan, its tasks and the units of each task, all or nothing; the authority's
    /// choices are remembered. Every name must be resolved: the error lists those that are not.
    pub async fn create_plan(
        &self,
        actor: &Actor,
        import_id: i64,
        input: &PlanInput,
        rows: &[PlanTaskRow],
        chosen: &[(String, Vec<NameTarget>)],
    ) -> Result<Plan> {
        let preview = self.preview_plan_import(actor, import_id, rows, chosen).await?;
        let input = checked_input(input)?;
        let open: Vec<&str> = preview.names.iter().filter(|n| n.targets.is_empty()).map(|n| n.name.as_str()).collect();
        if !open.is_empty() {
            let list = open.iter().map(|n| format!("«{n}»")).collect::<Vec<_>>().join(", ");
            return Err(Error::invalid(
                "mappings",
                format!(
                    "Chưa xác định đơn vị cho {} tên: {list}. Hãy chọn đơn vị, loại đơn vị hoặc «không theo dõi».",
                    open.len()
                ),
                format!(
                    "{} names are not resolved to units yet: {list}. Choose a unit, a unit type or «not tracked».",
                    open.len()
                ),
            ));
        }
        let units = self.units_for_matching().await?;
        // Each name's units: a unit, or every active unit of a type the caller can see.
        // Each name's units: id → whether it came in a group (a unit type), not by name.
        let mut resolved: BTreeMap<String, BTreeMap<i64, bool>> = BTreeMap::new();
        for n in &preview.names {
            let mut ids: BTreeMap<i64, bool> = BTreeMap::new();
            for code in &n.targets {
                match NameTarget::parse(code)? {
                    NameTarget::Unit(id) => {
                        let Some((_, _, _, active)) = units.codes.get(&id) else {
                            return Err(Error::invalid(
                                "mappings",
                                format!("Không có đơn vị #{id}."),
                                format!("There is no unit #{id}."),
                            ));
                        };
                        if !active {
                            return Err(Error::invalid(
                                "mappings",
                                format!("Đơn vị #{id} đã ngừng hoạt động."),
                                format!("Unit #{id} is deactivated."),
                            ));
                        }
                        ids.insert(id, false);
                    }
                    NameTarget::Type(t) => {
                        for (id, (_, _, ty, active)) in &units.codes {
                            if *active && UnitType::parse(ty).is_ok_and(|u| u == t) {
                                ids.entry(*id).or_insert(true);
                            }
                        }
                    }
                    NameTarget::Untracked => {}
                }
            }
            resolved.insert(unit_key(&n.name), ids);
        }
        // The caller must reach every unit named, as with any record placed on a unit.
        let named: BTreeSet<i64> = resolved.values().flat_map(|m| m.keys()).copied().collect();
        for id in named {
            let path = units.paths.get(&id).map(String::as_str).unwrap_or_default();
            if !actor.can(Action::ViewUnits, id, path) {
                return Err(Error::not_found("đơn vị", "Unit"));
            }
        }
        let root = self.require_plans_manager(actor).await?;
        let mut w = self.begin_write().await?;
        let now = self.clock.now_ms();
        if sqlx::query("SELECT id FROM plans WHERE number = $1")
            .bind(input.number.as_str())
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?
            .is_some()
        {
            return Err(Error::conflict(
                format!("Đã có kế hoạch số {}.", input.number),
                format!("A plan numbered {} already exists.", input.number),
            ));
        }
        let r = sqlx::query("INSERT INTO plans (number, issued_on, issuer, title, legal_basis, year_from, year_to, reporting, report_day, report_month, owner_unit_id, file_name, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id")
            .bind(input.number.as_str())
            .bind(input.issued_on.as_str())
            .bind(input.issuer.as_str())
            .bind(input.title.as_str())
            .bind(input.legal_basis.as_str())
            .bind(i64::from(input.year_from))
            .bind(i64::from(input.year_to))
            .bind(input.reporting.as_str())
            .bind(i64::from(input.report_day))
            .bind(i64::from(input.report_month))
            .bind(root)
            .bind(preview.file_name.as_str())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let plan_id: i64 = get(&r, "id")?;
        for (position, t) in rows.iter().enumerate() {
            let cadence = Cadence::parse(&t.cadence);
            let r = sqlx::query("INSERT INTO plan_tasks (plan_id, number, parent_number, position, body, lead_names, coordinating_names, cadence, cadence_read, due_on, output, source_row) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id")
                .bind(plan_id)
                .bind(t.number.as_str())
                .bind(t.parent.as_deref())
                .bind(position as i64)
                .bind(t.text.as_str())
                .bind(t.lead.join("\n"))
                .bind(t.coordinating.join("\n"))
                .bind(t.cadence.as_str())
                .bind(i64::from(cadence.is_read()))
                .bind(cadence.due_by().map(|d| d.format("%Y-%m-%d").to_string()))
                .bind(t.output.as_str())
                .bind(t.row as i64)
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?;
            let task_id: i64 = get(&r, "id")?;
            // A unit named as lead and as co-ordinator leads; named by its own name, it is not
            // one of a group.
            let mut roles: BTreeMap<i64, (TaskRole, bool)> = BTreeMap::new();
            for (names, role) in [(&t.coordinating, TaskRole::Coordinating), (&t.lead, TaskRole::Lead)] {
                let mut these: BTreeMap<i64, bool> = BTreeMap::new();
                for n in names {
                    for (id, grouped) in resolved.get(&unit_key(n)).into_iter().flatten() {
                        let e = these.entry(*id).or_insert(*grouped);
                        *e = *e && *grouped;
                    }
                }
                for (id, grouped) in these {
                    roles.insert(id, (role, grouped));
                }
            }
            for (unit_id, (role, grouped)) in roles {
                sqlx::query("INSERT INTO plan_task_units (task_id, plan_id, unit_id, role, grouped) VALUES ($1, $2, $3, $4, $5)")
                    .bind(task_id)
                    .bind(plan_id)
                    .bind(unit_id)
                    .bind(role.code())
                    .bind(i64::from(grouped))
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
            }
        }
        for (name, targets) in chosen.iter().filter(|(_, t)| !t.is_empty()) {
            let key = unit_key(name);
            sqlx::query("DELETE FROM plan_unit_names WHERE name_key = $1")
                .bind(key.as_str())
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            for t in targets {
                sqlx::query(
                    "INSERT INTO plan_unit_names (name_key, target, created_by, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(key.as_str())
                .bind(t.code())
                .bind(actor.user_id)
                .bind(now)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            }
            w.audit(
                Some(actor),
                Change {
                    action: "plan.map_name",
                    entity_type: "plan",
                    entity_id: Some(plan_id),
                    unit_id: Some(root),
                    before: None,
                    after: Some(serde_json::json!({"name": name, "targets": targets.iter().map(NameTarget::code).collect::<Vec<_>>()})),
                },
            )
            .await?;
        }
        sqlx::query("DELETE FROM plan_imports WHERE id = $1")
            .bind(import_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let plan = plan_row(
            &sqlx::query(&format!("SELECT {PLAN_COLS} FROM plans p WHERE p.id = $1"))
                .bind(plan_id)
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?,
        )?;
        w.audit(
            Some(actor),
            Change {
                action: "plan.create",
                entity_type: "plan",
                entity_id: Some(plan_id),
                unit_id: Some(root),
                before: None,
                after: json(&plan),
            },
        )
        .await?;
        w.commit().await?;
        Ok(plan)
    }
}

/// The typed fields, trimmed and checked: dates, years in order, the reporting cadence.
fn checked_input(i: &PlanInput) -> Result<PlanInput> {
    let required = |field: &str, v: &str, vi: &str, en: &str| -> Result<String> {
        let v = v.trim();
        if v.is_empty() {
            return Err(Error::invalid(field, format!("Hãy nhập {vi}."), format!("Enter the {en}.")));
        }
        Ok(v.to_string())
    };
    let issued = khien_domain::calendar::parse_date(i.issued_on.trim())
        .or_else(|| chrono::NaiveDate::parse_from_str(i.issued_on.trim(), "%d/%m/%Y").ok())
        .ok_or_else(|| {
            Error::invalid(
                "issued_on",
                "Ngày ban hành phải có dạng dd/mm/yyyy.",
                "The date of issue must be dd/mm/yyyy.",
            )
        })?;
    if !(2000..=2100).contains(&i.year_from) || i.year_to < i.year_from || i.year_to > i.year_from + 20 {
        return Err(Error::invalid(
            "year_to",
            "Thời gian thực hiện phải là các năm từ … đến …, năm sau không trước năm đầu.",
            "The plan's years must run from one year to a later or equal one.",
        ));
    }
    let reporting = Reporting::new(i.reporting.trim(), i.report_day, i.report_month)?;
    Ok(PlanInput {
        number: required("number", &i.number, "số, ký hiệu kế hoạch", "plan's number")?,
        issued_on: issued.format("%Y-%m-%d").to_string(),
        issuer: required("issuer", &i.issuer, "cơ quan ban hành", "issuing body")?,
        title: required("title", &i.title, "trích yếu kế hoạch", "plan's title")?,
        legal_basis: i.legal_basis.trim().to_string(),
        year_from: i.year_from,
        year_to: i.year_to,
        reporting: reporting.kind().to_string(),
        report_day: i.report_day,
        report_month: if matches!(reporting, Reporting::Yearly { .. }) { i.report_month } else { 0 },
    })
}
