//! Units: the tree, scoped reads, audited changes, all-or-nothing import.

use crate::audit::{json, Change};
use crate::db::{db_err, flag, from_row, get, Store, WriteTx};
use crate::listing::Order;
use crate::records::{Page, Unit};
use crate::sql::Sql;
use khien_domain::fold::fold;
use khien_domain::page::{Cursor, Dir};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::{
    check_move, child_path, optional_text, validate_code, validate_email, validate_name, UnitType,
};
use khien_domain::{Error, Result};
use sqlx::any::AnyRow;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub unit_type: UnitType,
    pub parent_id: i64,
    pub head_name: Option<String>,
    pub focal_name: Option<String>,
    pub focal_phone: Option<String>,
    pub focal_email: Option<String>,
}

/// A partial update: None leaves a field unchanged; Some("") clears an optional field.
#[derive(Debug, Clone, Default)]
pub struct UnitPatch {
    pub name: Option<String>,
    pub unit_type: Option<UnitType>,
    pub head_name: Option<String>,
    /// The head's title, e.g. "Giám đốc", "Chủ tịch".
    pub head_title: Option<String>,
    pub focal_name: Option<String>,
    pub focal_phone: Option<String>,
    pub focal_email: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    /// Folded search over name and code.
    pub q: Option<String>,
    pub unit_type: Option<UnitType>,
    pub parent_id: Option<i64>,
    pub active: Option<bool>,
    /// "code" or "name".
    pub sort: &'static str,
    pub dir: Option<Dir>,
    pub cursor: Option<Cursor>,
    pub limit: i64,
}

/// One row of an import; parents are named by code.
#[derive(Debug, Clone, Default)]
pub struct ImportUnit {
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub parent_code: Option<String>,
    pub head_name: Option<String>,
    pub focal_name: Option<String>,
    pub focal_phone: Option<String>,
    pub focal_email: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

pub(crate) const UNIT_COLS: &str = "u.id, u.code, u.name, u.unit_type, u.parent_id, u.path, u.head_name, u.head_title, u.focal_name, u.focal_phone, u.focal_email, u.active, u.created_at, u.updated_at";

pub(crate) fn unit_row(r: &AnyRow) -> Result<Unit> {
    let mut unit: Unit = from_row(r)?;
    unit.active = flag(r, "active")?;
    Ok(unit)
}

struct Contacts {
    head_name: Option<String>,
    focal_name: Option<String>,
    focal_phone: Option<String>,
    focal_email: Option<String>,
}

fn contacts(head: Option<&str>, name: Option<&str>, phone: Option<&str>, email: Option<&str>) -> Result<Contacts> {
    Ok(Contacts {
        head_name: optional_text("head_name", head, 200)?,
        focal_name: optional_text("focal_name", name, 200)?,
        focal_phone: optional_text("focal_phone", phone, 50)?,
        focal_email: validate_email("focal_email", email)?,
    })
}

fn code_taken(code: &str) -> Error {
    Error::Conflict(khien_domain::Msg::new(
        format!("Mã đơn vị «{code}» đã được dùng."),
        format!("The unit code «{code}» is already taken."),
    ))
}

impl Store {
    async fn unit_by(
        &self,
        exec: impl sqlx::Executor<'_, Database = sqlx::Any>,
        col: &str,
        v: crate::sql::Val,
    ) -> Result<Option<Unit>> {
        let mut q = Sql::new(&format!("SELECT {UNIT_COLS} FROM units u WHERE u.{col} = "));
        q.bind(v);
        q.query().fetch_optional(exec).await.map_err(db_err)?.as_ref().map(unit_row).transpose()
    }

    /// A unit the caller may see, or NotFound.
    pub async fn get_unit(&self, actor: &Actor, id: i64) -> Result<Unit> {
        let unit =
            self.unit_by(&self.pool, "id", id.into()).await?.ok_or_else(|| Error::not_found("đơn vị", "Unit"))?;
        actor.require(Action::ViewUnits, unit.id, &unit.path)?;
        Ok(unit)
    }

    /// A unit the caller may see, by its code.
    pub async fn get_unit_by_code(&self, actor: &Actor, code: &str) -> Result<Unit> {
        let unit = self
            .unit_by(&self.pool, "code", code.trim().into())
            .await?
            .ok_or_else(|| Error::not_found("đơn vị", "Unit"))?;
        actor.require(Action::ViewUnits, unit.id, &unit.path)?;
        Ok(unit)
    }

    pub async fn list_units(&self, actor: &Actor, f: &UnitFilter) -> Result<Page<Unit>> {
        let mut q = Sql::new(&format!("SELECT {UNIT_COLS} FROM units u WHERE "));
        q.reach("u.path", "u.id", &actor.reach(Action::ViewUnits));
        if let Some(term) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
            q.words_like(&["u.name_folded", "LOWER(u.code)"], term);
        }
        if let Some(t) = &f.unit_type {
            q.push(" AND u.unit_type = ").bind(t.code());
        }
        if let Some(p) = f.parent_id {
            q.push(" AND u.parent_id = ").bind(p);
        }
        if let Some(a) = f.active {
            q.push(" AND u.active = ").bind(a);
        }
        let sort_col = if f.sort == "name" { "u.name_folded" } else { "u.code" };
        let order = Order::text(&format!("units.{}", f.sort), sort_col, "u.id", f.dir.unwrap_or(Dir::Asc));
        let key_of = |u: &Unit| (if f.sort == "name" { fold(&u.name) } else { u.code.clone() }, u.id);
        self.page_of(q, &order, (f.cursor.as_ref(), f.limit), unit_row, key_of).await
    }

    /// Every unit the caller may see, in path order, for the tree page.
    pub async fn unit_tree(&self, actor: &Actor) -> Result<Vec<Unit>> {
        let mut q = Sql::new(&format!("SELECT {UNIT_COLS} FROM units u WHERE "));
        q.reach("u.path", "u.id", &actor.reach(Action::ViewUnits)).push(" ORDER BY u.path");
        let rows = self.read_all(&q).await?;
        rows.iter().map(unit_row).collect()
    }

    /// Creates the root unit on an empty database (bootstrap, audited as "system").
    pub(crate) async fn create_root_unit(&self, code: &str, name: &str, unit_type: UnitType) -> Result<Unit> {
        let code = validate_code(code)?;
        let name = validate_name("name", name, 300)?;
        let mut w = self.begin_write().await?;
        let now = self.clock.now_ms();
        let mut q = Sql::new("INSERT INTO units (code, name, name_folded, unit_type, parent_id, path, active, created_at, updated_at) VALUES (");
        q.bind(code.as_str())
            .push(",")
            .bind(name.as_str())
            .push(",")
            .bind(fold(&name))
            .push(",")
            .bind(unit_type.code());
        q.push(", NULL, '/', 1,").bind(now).push(",").bind(now).push(") RETURNING id");
        let row = q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?;
        let id: i64 = get(&row, "id")?;
        sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
            .bind(format!("/{id}/"))
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let unit =
            self.unit_by(&mut *w.tx, "id", id.into()).await?.ok_or_else(|| Error::internal("root unit vanished"))?;
        w.audit(
            None,
            Change {
                action: "unit.create",
                entity_type: "unit",
                entity_id: Some(id),
                unit_id: Some(id),
                before: None,
                after: json(&unit),
            },
        )
        .await?;
        w.commit().await?;
        Ok(unit)
    }

    /// Number of units; zero means an empty database.
    pub async fn unit_count(&self) -> Result<i64> {
        let r = self.read_one(&Sql::new("SELECT COUNT(*) AS n FROM units")).await?;
        get(&r, "n")
    }

    pub async fn root_unit(&self) -> Result<Option<Unit>> {
        let r = self
            .read_optional(&Sql::new(&format!(
                "SELECT {UNIT_COLS} FROM units u WHERE u.parent_id IS NULL ORDER BY u.id LIMIT 1"
            )))
            .await?;
        r.as_ref().map(unit_row).transpose()
    }

    pub async fn create_unit(&self, actor: &Actor, n: &NewUnit) -> Result<Unit> {
        let mut w = self.begin_write().await?;
        let unit = self.insert_unit(&mut w, actor, n).await?;
        w.commit().await?;
        Ok(unit)
    }

    async fn insert_unit(&self, w: &mut WriteTx<'_>, actor: &Actor, n: &NewUnit) -> Result<Unit> {
        let code = validate_code(&n.code)?;
        let name = validate_name("name", &n.name, 300)?;
        let unit_type = n.unit_type;
        let c = contacts(
            n.head_name.as_deref(),
            n.focal_name.as_deref(),
            n.focal_phone.as_deref(),
            n.focal_email.as_deref(),
        )?;
        let parent = self
            .unit_by(&mut *w.tx, "id", n.parent_id.into())
            .await?
            .ok_or_else(|| Error::not_found("đơn vị cấp trên", "Parent unit"))?;
        actor.require_pick("parent_id", Action::ManageUnits, parent.id, &parent.path, parent.active)?;
        if self.unit_by(&mut *w.tx, "code", code.as_str().into()).await?.is_some() {
            return Err(code_taken(&code));
        }
        let now = self.clock.now_ms();
        let mut q = Sql::new("INSERT INTO units (code, name, name_folded, unit_type, parent_id, path, head_name, focal_name, focal_phone, focal_email, active, created_at, updated_at) VALUES (");
        q.bind(code.as_str())
            .push(",")
            .bind(name.as_str())
            .push(",")
            .bind(fold(&name))
            .push(",")
            .bind(unit_type.code())
            .push(",")
            .bind(parent.id);
        q.push(", '', ")
            .bind(c.head_name)
            .push(",")
            .bind(c.focal_name)
            .push(",")
            .bind(c.focal_phone)
            .push(",")
            .bind(c.focal_email);
        q.push(", 1, ").bind(now).push(",").bind(now).push(") RETURNING id");
        let row = q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?;
        let id: i64 = get(&row, "id")?;
        sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
            .bind(child_path(&parent.path, id))
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let unit = self.unit_by(&mut *w.tx, "id", id.into()).await?.ok_or_else(|| Error::internal("unit vanished"))?;
        w.audit(
            Some(actor),
            Change {
                action: "unit.create",
                entity_type: "unit",
                entity_id: Some(id),
                unit_id: Some(id),
                before: None,
                after: json(&unit),
            },
        )
        .await?;
        Ok(unit)
    }

    pub async fn update_unit(&self, actor: &Actor, id: i64, p: &UnitPatch) -> Result<Unit> {
        let mut w = self.begin_write().await?;
        let unit = self.patch_unit(&mut w, actor, id, p).await?;
        w.commit().await?;
        Ok(unit)
    }

    async fn patch_unit(&self, w: &mut WriteTx<'_>, actor: &Actor, id: i64, p: &UnitPatch) -> Result<Unit> {
        let before =
            self.unit_by(&mut *w.tx, "id", id.into()).await?.ok_or_else(|| Error::not_found("đơn vị", "Unit"))?;
        actor.require(Action::EditUnit, before.id, &before.path)?;
        if p.unit_type.is_some() {
            actor.require(Action::ManageUnits, before.id, &before.path)?;
        }
        let name = match &p.name {
            Some(n) => validate_name("name", n, 300)?,
            None => before.name.clone(),
        };
        let unit_type = p.unit_type.unwrap_or(before.unit_type);
        let keep = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
        let c = contacts(
            keep(&p.head_name, &before.head_name).as_deref(),
            keep(&p.focal_name, &before.focal_name).as_deref(),
            keep(&p.focal_phone, &before.focal_phone).as_deref(),
            keep(&p.focal_email, &before.focal_email).as_deref(),
        )?;
        let mut q = Sql::new("UPDATE units SET name = ");
        q.bind(name.as_str()).push(", name_folded = ").bind(fold(&name)).push(", unit_type = ").bind(unit_type.code());
        q.push(", head_name = ").bind(c.head_name).push(", focal_name = ").bind(c.focal_name);
        q.push(", head_title = ").bind(optional_text(
            "head_title",
            keep(&p.head_title, &before.head_title).as_deref(),
            200,
        )?);
        q.push(", focal_phone = ").bind(c.focal_phone).push(", focal_email = ").bind(c.focal_email);
        q.push(", updated_at = ").bind(self.clock.now_ms()).push(" WHERE id = ").bind(id);
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        let after = self.unit_by(&mut *w.tx, "id", id.into()).await?.ok_or_else(|| Error::internal("unit vanished"))?;
        if same_content(&before, &after) {
            return Ok(before);
        }
        w.audit(
            Some(actor),
            Change {
                action: "unit.update",
                entity_type: "unit",
                entity_id: Some(id),
                unit_id: Some(id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        Ok(after)
    }

    /// Moves a unit (and its subtree) under another parent; refuses cycles.
    pub async fn move_unit(&self, actor: &Actor, id: i64, new_parent_id: i64) -> Result<Unit> {
        let mut w = self.begin_write().await?;
        let after = self.move_in(&mut w, actor, id, new_parent_id).await?;
        w.commit().await?;
        Ok(after)
    }

    async fn move_in(&self, w: &mut WriteTx<'_>, actor: &Actor, id: i64, new_parent_id: i64) -> Result<Unit> {
        let before =
            self.unit_by(&mut *w.tx, "id", id.into()).await?.ok_or_else(|| Error::not_found("đơn vị", "Unit"))?;
        actor.require(Action::ManageUnits, before.id, &before.path)?;
        let parent = self
            .unit_by(&mut *w.tx, "id", new_parent_id.into())
            .await?
            .ok_or_else(|| Error::not_found("đơn vị cấp trên", "Parent unit"))?;
        actor.require(Action::ManageUnits, parent.id, &parent.path)?;
        if before.parent_id.is_none() {
            return Err(Error::invalid("parent_id", "Không thể chuyển đơn vị gốc.", "The root unit cannot be moved."));
        }
        check_move(&before.path, &parent.path)?;
        let new_path = child_path(&parent.path, id);
        let now = self.clock.now_ms();
        // Rewrite the prefix of every path in the subtree in one statement.
        let mut q = Sql::new("UPDATE units SET path = ");
        q.bind(new_path.clone())
            .push(" || SUBSTR(path, CAST(")
            .bind(before.path.len() as i64 + 1)
            .push(" AS INTEGER)), updated_at = ")
            .bind(now);
        q.push(" WHERE path LIKE ").bind(format!("{}%", before.path));
        q.query().execute(&mut *w.tx).await.map_err(db_err)?;
        sqlx::query("UPDATE units SET parent_id = $1 WHERE id = $2")
            .bind(parent.id)
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = self.unit_by(&mut *w.tx, "id", id.into()).await?.ok_or_else(|| Error::internal("unit vanished"))?;
        w.audit(
            Some(actor),
            Change {
                action: "unit.move",
                entity_type: "unit",
                entity_id: Some(id),
                unit_id: Some(id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        Ok(after)
    }

    /// Deactivates or reactivates a unit. A unit with active children stays active.
    pub async fn set_unit_active(&self, actor: &Actor, id: i64, active: bool) -> Result<Unit> {
        let mut w = self.begin_write().await?;
        let before =
            self.unit_by(&mut *w.tx, "id", id.into()).await?.ok_or_else(|| Error::not_found("đơn vị", "Unit"))?;
        actor.require(Action::ManageUnits, before.id, &before.path)?;
        if before.active == active {
            return Ok(before);
        }
        if !active {
            if before.parent_id.is_none() {
                return Err(Error::invalid(
                    "active",
                    "Không thể ngừng hoạt động đơn vị gốc.",
                    "The root unit cannot be deactivated.",
                ));
            }
            let r = sqlx::query("SELECT COUNT(*) AS n FROM units WHERE parent_id = $1 AND active = 1")
                .bind(id)
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?;
            if get::<i64>(&r, "n")? > 0 {
                return Err(Error::conflict(
                    "Đơn vị còn đơn vị cấp dưới đang hoạt động; hãy chuyển hoặc ngừng hoạt động chúng trước.",
                    "The unit still has active sub-units; move or deactivate them first.",
                ));
            }
        }
        sqlx::query("UPDATE units SET active = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(active))
            .bind(self.clock.now_ms())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = self.unit_by(&mut *w.tx, "id", id.into()).await?.ok_or_else(|| Error::internal("unit vanished"))?;
        let action = if active { "unit.activate" } else { "unit.deactivate" };
        w.audit(
            Some(actor),
            Change {
                action,
                entity_type: "unit",
                entity_id: Some(id),
                unit_id: Some(id),
                before: json(&before),
                after: json(&after),
            },
        )
        .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Imports a list of units in one transaction: new codes are created, known codes updated
    /// (name, type, contacts). Rows without a parent go under `default_parent_id`. Any error
    /// rolls back everything and names the row (1-based position in `rows`).
    pub async fn import_units(
        &self,
        actor: &Actor,
        default_parent_id: i64,
        rows: &[ImportUnit],
    ) -> Result<ImportSummary> {
        let mut w = self.begin_write().await?;
        w.batch_audit();
        let mut summary = ImportSummary::default();
        let mut ids_by_code: HashMap<String, i64> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let at_row = |e: Error| {
                e.with_prefix(
                    &format!("Dòng {} (mã «{}»): ", i + 1, r.code),
                    &format!("Row {} (code «{}»): ", i + 1, r.code),
                )
            };
            let parent_id = match r.parent_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => default_parent_id,
                Some(pc) => match ids_by_code.get(pc) {
                    Some(id) => *id,
                    None => self.unit_by(&mut *w.tx, "code", pc.into()).await?.map(|u| u.id).ok_or_else(|| {
                        at_row(Error::invalid(
                            "parent_code",
                            format!("không có đơn vị mã «{pc}»."),
                            format!("no unit has the code «{pc}»."),
                        ))
                    })?,
                },
            };
            let unit_type = UnitType::parse(&r.unit_type).map_err(at_row)?;
            let existing = self.unit_by(&mut *w.tx, "code", r.code.trim().into()).await?;
            let id = match existing {
                None => {
                    let n = NewUnit {
                        code: r.code.clone(),
                        name: r.name.clone(),
                        unit_type,
                        parent_id,
                        head_name: r.head_name.clone(),
                        focal_name: r.focal_name.clone(),
                        focal_phone: r.focal_phone.clone(),
                        focal_email: r.focal_email.clone(),
                    };
                    summary.created += 1;
                    self.insert_unit(&mut w, actor, &n).await.map_err(at_row)?.id
                }
                Some(u) => {
                    // A restructured list moves units to the parent the file names.
                    let moved = if r.parent_code.as_deref().map(str::trim).is_some_and(|c| !c.is_empty())
                        && u.parent_id != Some(parent_id)
                    {
                        self.move_in(&mut w, actor, u.id, parent_id).await.map_err(at_row)?;
                        true
                    } else {
                        false
                    };
                    let p = UnitPatch {
                        name: Some(r.name.clone()),
                        unit_type: (unit_type != u.unit_type).then_some(unit_type),
                        head_name: r.head_name.clone(),
                        head_title: None,
                        focal_name: r.focal_name.clone(),
                        focal_phone: r.focal_phone.clone(),
                        focal_email: r.focal_email.clone(),
                    };
                    let after = self.patch_unit(&mut w, actor, u.id, &p).await.map_err(at_row)?;
                    if same_content(&u, &after) && !moved {
                        summary.unchanged += 1;
                    } else {
                        summary.updated += 1;
                    }
                    u.id
                }
            };
            ids_by_code.insert(r.code.trim().to_string(), id);
        }
        w.commit().await?;
        if rows.len() >= 1000 {
            self.analyze_table("units").await?;
        }
        Ok(summary)
    }
}

fn same_content(a: &Unit, b: &Unit) -> bool {
    (&a.name, &a.unit_type, &a.head_name, &a.head_title, &a.focal_name, &a.focal_phone, &a.focal_email)
        == (&b.name, &b.unit_type, &b.head_name, &b.head_title, &b.focal_name, &b.focal_phone, &b.focal_email)
}
