//! Who acts on a level dossier and when: the holiday calendar its working days count on, the
//! rulesets with the authority's choices of who appraises and approves, and the owning body and
//! dedicated unit the authority named.

use crate::audit::{json, Change};
use crate::db::{db_err, from_row, get, Store};
use crate::sql::Sql;
use khien_domain::calendar::{parse_date, Holidays};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::level::{ruleset_by_code, ruleset_for};
use khien_domain::unit::optional_text;
use khien_domain::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Holiday {
    /// yyyy-mm-dd
    pub day: String,
    pub name: String,
}

/// The bodies the authority named for the level dossiers, with their names.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct LevelBodiesInfo {
    pub owning_body_unit_id: Option<i64>,
    pub owning_body_name: Option<String>,
    /// The written delegation, when the owning body delegated approval (number and date).
    pub delegation_ref: Option<String>,
    pub dedicated_unit_id: Option<i64>,
    pub dedicated_unit_name: Option<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub bodies: khien_domain::system::dossier::LevelBodies,
}

impl Store {
    /// The owning body and the dedicated security unit the authority named (none: the step
    /// falls to the owner unit's leadership and the standing body's officers).
    pub async fn level_bodies(&self) -> Result<LevelBodiesInfo> {
        use khien_domain::system::dossier::{LevelBodies, UnitAt};
        let r = self.read_optional(&Sql::new("SELECT b.owning_body_unit_id, o.name AS owning_name, o.path AS owning_path, b.delegation_ref, b.dedicated_unit_id, d.name AS dedicated_name, d.path AS dedicated_path \
             FROM level_bodies b LEFT JOIN units o ON o.id = b.owning_body_unit_id LEFT JOIN units d ON d.id = b.dedicated_unit_id WHERE b.id = 1",)).await?;
        let Some(r) = r else { return Ok(LevelBodiesInfo::default()) };
        let at = |id: Option<i64>, path: Option<String>| id.zip(path).map(|(id, path)| UnitAt { id, path });
        let owning_body_unit_id: Option<i64> = get(&r, "owning_body_unit_id")?;
        let dedicated_unit_id: Option<i64> = get(&r, "dedicated_unit_id")?;
        Ok(LevelBodiesInfo {
            owning_body_unit_id,
            owning_body_name: get(&r, "owning_name")?,
            delegation_ref: get(&r, "delegation_ref")?,
            dedicated_unit_id,
            dedicated_unit_name: get(&r, "dedicated_name")?,
            bodies: LevelBodies {
                owning_body: at(owning_body_unit_id, get(&r, "owning_path")?),
                dedicated_unit: at(dedicated_unit_id, get(&r, "dedicated_path")?),
            },
        })
    }

    /// Names the owning body (or its written delegate, with the delegation's reference) and the
    /// dedicated security unit; `None` clears a name. The standing body at the root only.
    pub async fn set_level_bodies(
        &self,
        actor: &Actor,
        owning_body_unit_id: Option<i64>,
        delegation_ref: Option<&str>,
        dedicated_unit_id: Option<i64>,
    ) -> Result<LevelBodiesInfo> {
        let delegation = optional_text("delegation_ref", delegation_ref, 300)?;
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        for (field, id) in [("owning_body_unit_id", owning_body_unit_id), ("dedicated_unit_id", dedicated_unit_id)] {
            if let Some(id) = id {
                let found = sqlx::query("SELECT id FROM units WHERE id = $1 AND active = 1")
                    .bind(id)
                    .fetch_optional(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
                if found.is_none() {
                    return Err(Error::invalid(
                        field,
                        format!("Không có đơn vị mã số {id}."),
                        format!("There is no unit with id {id}."),
                    ));
                }
            }
        }
        sqlx::query("DELETE FROM level_bodies").execute(&mut *w.tx).await.map_err(db_err)?;
        sqlx::query("INSERT INTO level_bodies (id, owning_body_unit_id, delegation_ref, dedicated_unit_id, updated_at) VALUES (1, $1, $2, $3, $4)")
            .bind(owning_body_unit_id)
            .bind(delegation.clone())
            .bind(dedicated_unit_id)
            .bind(self.clock.now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let after = serde_json::json!({"owning_body_unit_id": owning_body_unit_id, "delegation_ref": delegation, "dedicated_unit_id": dedicated_unit_id});
        w.audit(
            Some(actor),
            Change {
                action: "ruleset.bodies",
                entity_type: "ruleset",
                entity_id: None,
                unit_id: None,
                before: None,
                after: Some(after),
            },
        )
        .await?;
        w.commit().await?;
        self.level_bodies().await
    }

    pub async fn holidays(&self) -> Result<Holidays> {
        let rows = self.read_all(&Sql::new("SELECT day FROM holidays")).await?;
        Ok(Holidays(rows.iter().filter_map(|r| get::<String>(r, "day").ok().and_then(|d| parse_date(&d))).collect()))
    }

    pub async fn list_holidays(&self) -> Result<Vec<Holiday>> {
        let rows = self.read_all(&Sql::new("SELECT day, name FROM holidays ORDER BY day")).await?;
        rows.iter().map(from_row).collect()
    }

    /// Adds (or renames) a holiday. Only the standing body edits the calendar.
    pub async fn set_holiday(&self, actor: &Actor, day: &str, name: &str) -> Result<Holiday> {
        self.require_govern(actor).await?;
        let d = parse_date(day).ok_or_else(|| {
            Error::invalid("day", format!("«{day}» không phải ngày hợp lệ."), format!("«{day}» is not a valid date."))
        })?;
        let name = khien_domain::unit::validate_name("name", name, 200)?;
        let h = Holiday { day: d.format("%Y-%m-%d").to_string(), name };
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM holidays WHERE day = $1")
            .bind(h.day.as_str())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        sqlx::query("INSERT INTO holidays (day, name) VALUES ($1, $2)")
            .bind(h.day.as_str())
            .bind(h.name.as_str())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let root = self.root_unit().await?.map(|u| u.id);
        w.audit(
            Some(actor),
            Change {
                action: "calendar.set",
                entity_type: "holiday",
                entity_id: None,
                unit_id: root,
                before: None,
                after: json(&h),
            },
        )
        .await?;
        w.commit().await?;
        Ok(h)
    }

    pub async fn remove_holiday(&self, actor: &Actor, day: &str) -> Result<()> {
        self.require_govern(actor).await?;
        let mut w = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM holidays WHERE day = $1")
            .bind(day.trim())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?
            .rows_affected();
        if n == 0 {
            return Err(Error::not_found("ngày nghỉ", "Holiday"));
        }
        let root = self.root_unit().await?.map(|u| u.id);
        w.audit(
            Some(actor),
            Change {
                action: "calendar.remove",
                entity_type: "holiday",
                entity_id: None,
                unit_id: root,
                before: Some(serde_json::json!({"day": day})),
                after: None,
            },
        )
        .await?;
        w.commit().await
    }

    /// The calendar is the city's: editing it needs the Govern action on the root unit.
    async fn require_govern(&self, actor: &Actor) -> Result<()> {
        let root = self.root_unit().await?.ok_or_else(|| Error::internal("no root unit"))?;
        if actor.can(Action::Govern, root.id, &root.path) {
            Ok(())
        } else {
            Err(Error::forbidden())
        }
    }
}

impl Store {
    /// A ruleset with the authority's choices of who appraises and approves applied.
    pub async fn ruleset(&self, code: &str) -> Result<khien_domain::system::level::Ruleset> {
        use khien_domain::system::level::{Authority, Step};
        let base = ruleset_by_code(code).unwrap_or_else(|| ruleset_for(self.clock.today_vn()));
        let rows = self
            .read_all(
                &Sql::new("SELECT level, step, authority FROM dossier_authorities WHERE ruleset = $1").arg(base.code),
            )
            .await?;
        let mut choices = Vec::new();
        for r in &rows {
            let level = u8::try_from(get::<i64>(r, "level")?).unwrap_or(0);
            choices.push((
                level,
                Step::parse(&get::<String>(r, "step")?)?,
                Authority::parse(&get::<String>(r, "authority")?)?,
            ));
        }
        Ok(base.with_authorities(&choices))
    }

    /// Every ruleset, with the authority's choices applied.
    pub async fn rulesets(&self) -> Result<Vec<khien_domain::system::level::Ruleset>> {
        let mut out = Vec::new();
        for r in khien_domain::system::level::rulesets() {
            out.push(self.ruleset(r.code).await?);
        }
        Ok(out)
    }

    /// Chooses who appraises or approves dossiers of one level under one ruleset: the city's
    /// standing body (Govern at the root unit).
    pub async fn set_dossier_authority(
        &self,
        actor: &Actor,
        ruleset: &str,
        level: i64,
        step: &str,
        authority: &str,
    ) -> Result<khien_domain::system::level::Ruleset> {
        use khien_domain::system::level::{Authority, Step};
        let rs = ruleset_by_code(ruleset).ok_or_else(|| {
            Error::invalid(
                "ruleset",
                format!("Không có bộ quy tắc «{ruleset}»."),
                format!("There is no ruleset «{ruleset}»."),
            )
        })?;
        if !(1..=5).contains(&level) {
            return Err(Error::invalid("level", "Cấp độ từ 1 đến 5.", "The level is 1 to 5."));
        }
        let (step, who) = (Step::parse(step)?, Authority::parse(authority)?);
        if !who.can_take(step) {
            return Err(Error::invalid(
                "authority",
                "Bộ thẩm định, không phê duyệt (NĐ 331 Đ18, Đ20); Thủ tướng phê duyệt danh mục cấp độ 5, không thẩm định (NĐ 85 Đ14.3.c).",
                "The ministry appraises and does not approve (NĐ 331 Art. 18, 20); the Prime Minister approves the level-5 list and does not appraise (NĐ 85 Art. 14.3.c).",
            ));
        }
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        sqlx::query("DELETE FROM dossier_authorities WHERE ruleset = $1 AND level = $2 AND step = $3")
            .bind(rs.code)
            .bind(level)
            .bind(step.code())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO dossier_authorities (ruleset, level, step, authority, updated_at) VALUES ($1,$2,$3,$4,$5)",
        )
        .bind(rs.code)
        .bind(level)
        .bind(step.code())
        .bind(who.code())
        .bind(self.clock.now_ms())
        .execute(&mut *w.tx)
        .await
        .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "ruleset.authority",
                entity_type: "ruleset",
                entity_id: Some(level),
                unit_id: None,
                before: None,
                after: json(&(rs.code, level, step.code(), who.code())),
            },
        )
        .await?;
        w.commit().await?;
        self.ruleset(rs.code).await
    }
}
