//! The cybersecurity index (issue 16.3): the standing body keeps versioned scoring models,
//! computes a ranking of one unit type for a year or a quarter from the kept indicator figures,
//! the open findings and the recurring duties of each unit's subtree, and publishes it; a
//! published ranking is frozen. Published rankings are read by everyone signed in (they are
//! published to compare units); drafts by the standing body.

use crate::audit::{json, Change};
use crate::db::{db_err, flag, get, Store};
use crate::sql::Sql;
use khien_domain::index::{Criterion, CriterionScore, CriterionSource, ScoringModel};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::{validate_name, UnitType};
use khien_domain::{Error, Result};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndexModel {
    pub id: i64,
    pub name: String,
    pub version: i64,
    pub model: ScoringModel,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankingRow {
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    /// 1 for the best; units with the same points share a position.
    pub position: i64,
    /// Points out of 100, in hundredths.
    pub points_cp: i64,
    pub band: String,
    /// The downgrade rule applied (a finding overdue too long).
    pub downgraded: bool,
    /// Each criterion's share and points: what pulled the score down.
    pub criteria: Vec<CriterionScore>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ranking {
    pub id: i64,
    pub model: IndexModel,
    pub unit_type: UnitType,
    /// "2026" or "2026-Q4".
    pub period: String,
    pub published: bool,
    pub rows: Vec<RankingRow>,
}

/// A year or a quarter: (period as written, first and last month "yyyy-mm").
fn check_period(period: &str) -> Result<(String, String, String)> {
    let p = period.trim().to_uppercase();
    let refuse = || {
        Error::invalid(
            "period",
            format!("Kỳ xếp hạng «{p}» không hợp lệ: một năm (2026) hoặc một quý (2026-Q4)."),
            format!("The ranking period «{p}» is not valid: a year (2026) or a quarter (2026-Q4)."),
        )
    };
    let year: u32 = p.get(..4).and_then(|y| y.parse().ok()).filter(|y| (2000..=2100).contains(y)).ok_or_else(refuse)?;
    let (from, to) = match p.get(4..) {
        Some("") => (1, 12),
        Some(q) if q.len() == 3 && q.starts_with("-Q") => {
            let n: u32 = q.get(2..).and_then(|n| n.parse().ok()).filter(|n| (1..=4).contains(n)).ok_or_else(refuse)?;
            (3 * n - 2, 3 * n)
        }
        _ => return Err(refuse()),
    };
    Ok((p, format!("{year}-{from:02}"), format!("{year}-{to:02}")))
}

impl Store {
    /// Keeps a new version of a scoring model (the standing body's); its indicator criteria
    /// must name indicators that exist.
    pub async fn define_index_model(&self, actor: &Actor, name: &str, model: &ScoringModel) -> Result<IndexModel> {
        let root = self.require_governor(actor).await?;
        let name = validate_name("name", name, 200)?;
        model.check()?;
        let known: Vec<String> = self.list_indicators(actor).await?.into_iter().map(|i| i.code).collect();
        for c in &model.criteria {
            if let CriterionSource::Indicator { code } = &c.source {
                if !known.iter().any(|k| k == code) {
                    return Err(Error::invalid(
                        "model",
                        format!("Tiêu chí «{}» đọc chỉ tiêu «{code}» chưa có.", c.code),
                        format!("Criterion «{}» reads the indicator «{code}», which does not exist.", c.code),
                    ));
                }
            }
        }
        let text = serde_json::to_string(model).map_err(Error::internal)?;
        let mut w = self.begin_write().await?;
        let r = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM index_models WHERE name = $1")
            .bind(name.as_str())
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let version = get::<i64>(&r, "v")? + 1;
        let r = sqlx::query("INSERT INTO index_models (name, version, model, created_by, created_at) VALUES ($1,$2,$3,$4,$5) RETURNING id")
            .bind(name.as_str())
            .bind(version)
            .bind(text.as_str())
            .bind(actor.user_id)
            .bind(self.clock.now_ms())
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let out = IndexModel { id: get(&r, "id")?, name, version, model: model.clone() };
        w.audit(
            Some(actor),
            Change {
                action: "index.model",
                entity_type: "index_model",
                entity_id: Some(out.id),
                unit_id: Some(root),
                before: None,
                after: json(&out),
            },
        )
        .await?;
        w.commit().await?;
        Ok(out)
    }

    pub async fn list_index_models(&self, actor: &Actor) -> Result<Vec<IndexModel>> {
        if !actor.can_anywhere(Action::ViewUnits) {
            return Err(Error::forbidden());
        }
        let rows = self
            .read_all(&Sql::new("SELECT id, name, version, model FROM index_models ORDER BY name, version DESC"))
            .await?;
        rows.iter().map(model_row).collect()
    }

    async fn index_model(&self, id: i64) -> Result<IndexModel> {
        let r = self
            .read_optional(&Sql::new("SELECT id, name, version, model FROM index_models WHERE id = $1").arg(id))
            .await?
            .ok_or_else(|| Error::not_found("mô hình chỉ số", "Index model"))?;
        model_row(&r)
    }

    /// Each criterion's share (basis points) per unit of the ranking, and each unit's oldest
    /// overdue finding (days), over the unit's subtree.
    async fn ranking_inputs(
        &self,
        model: &ScoringModel,
        units: &[crate::Unit],
        (first, last): (&str, &str),
    ) -> Result<(HashMap<(i64, String), i64>, HashMap<i64, i64>)> {
        // The ranked unit whose subtree holds a path: the deepest one (a department's centre
        // ranked beside it keeps its own records).
        let owner_of = |path: &str| {
            units.iter().filter(|u| path.starts_with(u.path.as_str())).max_by_key(|u| u.path.len()).map(|u| u.id)
        };
        let mut shares = HashMap::new();
        // Indicators: the unit's latest kept figure within the period.
        for c in &model.criteria {
            let CriterionSource::Indicator { code } = &c.source else { continue };
            let rows = self.read_all(&Sql::new("SELECT v.unit_id, v.period, v.numerator, v.denominator FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id WHERE i.code = $1 AND v.period >= $2 AND v.period <= $3 ORDER BY v.period").arg(code.as_str()).arg(first.get(..4).unwrap_or(first)).arg(last)).await?;
            let mut latest: HashMap<i64, (i64, i64)> = HashMap::new();
            for r in &rows {
                let period: String = get(r, "period")?;
                // A year's figure counts for a year's ranking; a month's for its quarter or year.
                if period.len() == 7 && period.as_str() < first {
                    continue;
                }
                latest.insert(get(r, "unit_id")?, (get(r, "numerator")?, get(r, "denominator")?));
            }
            for (unit, (n, d)) in latest {
                if let Some(share) = khien_domain::budget::share_bp(n, d) {
                    shares.insert((unit, c.code.clone()), share);
                }
            }
        }
        // Findings: open ones within their deadline, of all open, and the oldest overdue.
        let now = self.clock.now_ms();
        let rows = self.read_all(&Sql::new("SELECT u.path, COUNT(*) AS open, CAST(SUM(CASE WHEN f.due_at < $1 THEN 1 ELSE 0 END) AS BIGINT) AS late, MIN(CASE WHEN f.due_at < $1 THEN f.due_at END) AS oldest FROM findings f JOIN units u ON u.id = f.unit_id WHERE f.open = 1 GROUP BY u.path").arg(now)).await?;
        let mut findings: HashMap<i64, (i64, i64)> = HashMap::new();
        let mut oldest: HashMap<i64, i64> = HashMap::new();
        for r in &rows {
            let Some(unit) = owner_of(&get::<String>(r, "path")?) else { continue };
            let e = findings.entry(unit).or_default();
            e.0 += get::<i64>(r, "open")?;
            e.1 += get::<Option<i64>>(r, "late")?.unwrap_or(0);
            if let Some(due) = get::<Option<i64>>(r, "oldest")? {
                let days = (now - due) / 86_400_000;
                let o = oldest.entry(unit).or_insert(days);
                *o = (*o).max(days);
            }
        }
        // Recurring duties of approved systems: not overdue, of all.
        let today = self.clock.today_vn();
        let mut duties: HashMap<i64, (i64, i64)> = HashMap::new();
        for d in self.duties_due(None, today + chrono::Days::new(36_500)).await? {
            let Some(unit) = owner_of(&d.unit_path) else { continue };
            let e = duties.entry(unit).or_default();
            e.0 += 1;
            e.1 += i64::from(d.due < today);
        }
        // Registry details: the required ones its systems lack, of all they should hold.
        let mut details: HashMap<i64, (i64, i64)> = HashMap::new();
        if model.criteria.iter().any(|c| c.source == CriterionSource::RegistryCompleteness) {
            let required = self.required_details().await?.len();
            let required = i64::try_from(required).map_err(khien_domain::Error::internal)?;
            let rows = self.read_all(&Sql::new("SELECT u.path, s.id, CAST(COUNT(d.field) AS BIGINT) AS held FROM systems s JOIN units u ON u.id = s.owner_unit_id LEFT JOIN system_details d ON d.system_id = s.id AND d.field IN (SELECT field FROM registry_required_fields) GROUP BY u.path, s.id")).await?;
            for r in &rows {
                let Some(unit) = owner_of(&get::<String>(r, "path")?) else { continue };
                let e = details.entry(unit).or_default();
                e.0 += required;
                e.1 += required - get::<i64>(r, "held")?;
            }
        }
        for c in &model.criteria {
            let counts = match c.source {
                CriterionSource::FindingsOnTime => &findings,
                CriterionSource::DutiesOnTime => &duties,
                CriterionSource::RegistryCompleteness => &details,
                CriterionSource::Indicator { .. } => continue,
            };
            for (unit, (all, late)) in counts {
                if let Some(share) = khien_domain::budget::share_bp(all - late, *all) {
                    shares.insert((*unit, c.code.clone()), share);
                }
            }
        }
        Ok((shares, oldest))
    }

    /// Computes (or recomputes) the ranking of the active units of a type for a period with a
    /// model; a published ranking is frozen.
    pub async fn compute_ranking(
        &self,
        actor: &Actor,
        model_id: i64,
        unit_type: UnitType,
        period: &str,
    ) -> Result<Ranking> {
        let root = self.require_governor(actor).await?;
        let model = self.index_model(model_id).await?;
        let (period, first, last) = check_period(period)?;
        let units: Vec<crate::Unit> = self
            .units_where(actor, Action::ViewUnits)
            .await?
            .into_iter()
            .filter(|u| u.unit_type == unit_type)
            .collect();
        let (shares, oldest) = self.ranking_inputs(&model.model, &units, (&first, &last)).await?;
        let mut scored: Vec<(crate::Unit, khien_domain::index::Score)> = units
            .into_iter()
            .map(|u| {
                let share = |c: &Criterion| shares.get(&(u.id, c.code.clone())).copied();
                let score = model.model.score(share, oldest.get(&u.id).copied());
                (u, score)
            })
            .collect();
        scored.sort_by(|a, b| b.1.points_cp.cmp(&a.1.points_cp).then_with(|| a.0.code.cmp(&b.0.code)));
        let mut w = self.begin_write().await?;
        let existing =
            sqlx::query("SELECT id, published FROM rankings WHERE model_id = $1 AND unit_type = $2 AND period = $3")
                .bind(model_id)
                .bind(unit_type.code())
                .bind(period.as_str())
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
        if let Some(r) = &existing {
            if flag(r, "published")? {
                return Err(Error::conflict(
                    "Bảng xếp hạng này đã công bố nên không tính lại được.",
                    "This ranking is published: it cannot be recomputed.",
                ));
            }
            let id: i64 = get(r, "id")?;
            sqlx::query("DELETE FROM ranking_rows WHERE ranking_id = $1")
                .bind(id)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
            sqlx::query("DELETE FROM rankings WHERE id = $1").bind(id).execute(&mut *w.tx).await.map_err(db_err)?;
        }
        let now = self.clock.now_ms();
        let r = sqlx::query("INSERT INTO rankings (model_id, unit_type, period, published, computed_by, computed_at) VALUES ($1,$2,$3,0,$4,$5) RETURNING id")
            .bind(model_id)
            .bind(unit_type.code())
            .bind(period.as_str())
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await
            .map_err(db_err)?;
        let id: i64 = get(&r, "id")?;
        let mut position = 0;
        let mut previous = None;
        for (n, (u, s)) in scored.iter().enumerate() {
            if previous != Some(s.points_cp) {
                position = n as i64 + 1;
                previous = Some(s.points_cp);
            }
            sqlx::query("INSERT INTO ranking_rows (ranking_id, unit_id, position, points_cp, band, downgraded, criteria) VALUES ($1,$2,$3,$4,$5,$6,$7)")
                .bind(id)
                .bind(u.id)
                .bind(position)
                .bind(s.points_cp)
                .bind(s.band.as_str())
                .bind(i64::from(s.downgraded))
                .bind(serde_json::to_string(&s.criteria).map_err(Error::internal)?)
                .execute(&mut *w.tx)
                .await
                .map_err(db_err)?;
        }
        w.audit(
            Some(actor),
            Change {
                action: "ranking.compute",
                entity_type: "ranking",
                entity_id: Some(id),
                unit_id: Some(root),
                before: None,
                after: json(&serde_json::json!({"model": model.name, "version": model.version, "unit_type": unit_type.code(), "period": period, "units": scored.len()})),
            },
        )
        .await?;
        w.commit().await?;
        self.get_ranking(actor, id).await
    }

    /// Publishes a draft ranking: from then on it is frozen and everyone signed in reads it.
    pub async fn publish_ranking(&self, actor: &Actor, id: i64) -> Result<Ranking> {
        let root = self.require_governor(actor).await?;
        let ranking = self.get_ranking(actor, id).await?;
        if ranking.published {
            return Err(Error::conflict("Bảng xếp hạng đã được công bố.", "The ranking is already published."));
        }
        let mut w = self.begin_write().await?;
        sqlx::query("UPDATE rankings SET published = 1, published_at = $1 WHERE id = $2 AND published = 0")
            .bind(self.clock.now_ms())
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "ranking.publish",
                entity_type: "ranking",
                entity_id: Some(id),
                unit_id: Some(root),
                before: None,
                after: json(&serde_json::json!({"period": ranking.period, "unit_type": ranking.unit_type.code(), "units": ranking.rows.len()})),
            },
        )
        .await?;
        w.commit().await?;
        self.get_ranking(actor, id).await
    }

    /// The rankings the caller may read (published ones; drafts too for the standing body),
    /// newest first, without their rows.
    pub async fn list_rankings(&self, actor: &Actor) -> Result<Vec<Ranking>> {
        let drafts = self.require_governor(actor).await.is_ok();
        let rows = self
            .read_all(&Sql::new("SELECT id, published FROM rankings ORDER BY period DESC, id DESC LIMIT 200"))
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            if drafts || flag(r, "published")? {
                out.push(self.ranking_head(actor, get(r, "id")?).await?);
            }
        }
        Ok(out)
    }

    pub async fn get_ranking(&self, actor: &Actor, id: i64) -> Result<Ranking> {
        let mut ranking = self.ranking_head(actor, id).await?;
        let mut q = Sql::new("SELECT rr.unit_id, u.code, u.name, rr.position, rr.points_cp, rr.band, rr.downgraded, rr.criteria FROM ranking_rows rr JOIN units u ON u.id = rr.unit_id WHERE rr.ranking_id = ");
        q.bind(id).push(" ORDER BY rr.position, u.code");
        for r in self.read_all(&q).await? {
            ranking.rows.push(RankingRow {
                unit_id: get(&r, "unit_id")?,
                unit_code: get(&r, "code")?,
                unit_name: get(&r, "name")?,
                position: get(&r, "position")?,
                points_cp: get(&r, "points_cp")?,
                band: get(&r, "band")?,
                downgraded: flag(&r, "downgraded")?,
                criteria: serde_json::from_str(&get::<String>(&r, "criteria")?).map_err(Error::internal)?,
            });
        }
        Ok(ranking)
    }

    /// A ranking without its rows, for a caller who may read it.
    async fn ranking_head(&self, actor: &Actor, id: i64) -> Result<Ranking> {
        let missing = || Error::not_found("bảng xếp hạng", "Ranking");
        if !actor.can_anywhere(Action::ViewUnits) {
            return Err(missing());
        }
        let r = self
            .read_optional(
                &Sql::new("SELECT model_id, unit_type, period, published FROM rankings WHERE id = $1").arg(id),
            )
            .await?
            .ok_or_else(missing)?;
        let published = flag(&r, "published")?;
        if !published && self.require_governor(actor).await.is_err() {
            return Err(missing());
        }
        let model = self.index_model(get(&r, "model_id")?).await?;
        let unit_type = UnitType::parse(&get::<String>(&r, "unit_type")?)?;
        Ok(Ranking { id, model, unit_type, period: get(&r, "period")?, published, rows: Vec::new() })
    }

    /// A unit's place in every published ranking, newest first: its history.
    pub async fn unit_rankings(&self, actor: &Actor, unit_id: i64) -> Result<Vec<(String, IndexModel, RankingRow)>> {
        let unit = self.get_unit(actor, unit_id).await?;
        let rows = self.read_all(&Sql::new("SELECT r.period, r.model_id, rr.position, rr.points_cp, rr.band, rr.downgraded, rr.criteria FROM rankings r JOIN ranking_rows rr ON rr.ranking_id = r.id WHERE rr.unit_id = $1 AND r.published = 1 ORDER BY r.period DESC, r.id DESC").arg(unit.id)).await?;
        let mut models: BTreeMap<i64, IndexModel> = BTreeMap::new();
        let mut out = Vec::new();
        for r in &rows {
            let model_id: i64 = get(r, "model_id")?;
            let model = match models.get(&model_id) {
                Some(m) => m.clone(),
                None => {
                    let m = self.index_model(model_id).await?;
                    models.insert(model_id, m.clone());
                    m
                }
            };
            let row = RankingRow {
                unit_id: unit.id,
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                position: get(r, "position")?,
                points_cp: get(r, "points_cp")?,
                band: get(r, "band")?,
                downgraded: flag(r, "downgraded")?,
                criteria: serde_json::from_str(&get::<String>(r, "criteria")?).map_err(Error::internal)?,
            };
            out.push((get(r, "period")?, model, row));
        }
        Ok(out)
    }
}

fn model_row(r: &sqlx::any::AnyRow) -> Result<IndexModel> {
    Ok(IndexModel {
        id: get(r, "id")?,
        name: get(r, "name")?,
        version: get(r, "version")?,
        model: serde_json::from_str(&get::<String>(r, "model")?).map_err(Error::internal)?,
    })
}

impl Store {
    /// The rankings the standing body owes: for each model and unit type it has ranked, the
    /// last whole year (and the last whole quarter where it ranks by quarter) whose ranking is
    /// not yet published — not computed, or a draft waiting (`index::ranking_periods_due`).
    pub(crate) async fn rankings_due(&self) -> Result<crate::worklist::WorkSection> {
        use crate::worklist::{WorkItem, WorkSection};
        use khien_domain::worklist::WorkKind;
        let (year, quarter) = khien_domain::index::ranking_periods_due(self.clock.today_vn());
        let ranked = self.read_all(&Sql::new("SELECT m.name, r.unit_type, MAX(CASE WHEN r.period LIKE '%-Q%' THEN 1 ELSE 0 END) AS quarterly FROM rankings r JOIN index_models m ON m.id = r.model_id GROUP BY m.name, r.unit_type ORDER BY m.name, r.unit_type")).await?;
        let mut items = Vec::new();
        for r in &ranked {
            let (name, unit_type): (String, String) = (get(r, "name")?, get(r, "unit_type")?);
            let kind = UnitType::parse(&unit_type)?;
            let mut periods = vec![year.clone()];
            if get::<i64>(r, "quarterly")? == 1 {
                periods.push(quarter.clone());
            }
            for period in periods {
                let state = self.read_one(&Sql::new("SELECT MAX(r.published) AS published, COUNT(*) AS n FROM rankings r JOIN index_models m ON m.id = r.model_id WHERE m.name = $1 AND r.unit_type = $2 AND r.period = $3").arg(name.as_str()).arg(unit_type.as_str()).arg(period.as_str())).await?;
                let (computed, published) =
                    (get::<i64>(&state, "n")? > 0, get::<Option<i64>>(&state, "published")? == Some(1));
                if published {
                    continue;
                }
                let what = match computed {
                    true => ("Đã tính, chờ công bố".to_string(), "Computed, waiting to be published".to_string()),
                    false => ("Chưa tính".to_string(), "Not computed yet".to_string()),
                };
                items.push(WorkItem::new(
                    format!("{name} — {period}"),
                    kind.label(khien_domain::Lang::Vi).to_string(),
                    what,
                    "/rankings".to_string(),
                ));
            }
        }
        Ok(WorkSection { kind: WorkKind::RankingsDue, total: items.len() as i64, items, link: "/rankings".into() })
    }
}
