//! Indicators (issue 16.1, 16.2): defined by the standing body with a measure and yearly
//! targets; their values per unit and period are snapshots — computed when the authority asks
//! (a recomputation replaces the period's values and the audit trail keeps the earlier ones),
//! or entered by hand per unit for a measure Khiên does not hold the data of. A past period's
//! figure never follows today's data. The city's figure is the sum over its units.

mod figures;

use crate::audit::{json, Change};
use crate::db::{db_err, flag, get, get_code, Store};
use crate::sql::Sql;
use figures::{keep_figures, refresh_total, MeasureSources};
use khien_domain::budget::share_bp;
use khien_domain::indicator::{check_figure, check_period, year_of, Measure};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::unit::validate_name;
use khien_domain::{Error, Result};
use serde::Serialize;
use sqlx::any::AnyRow;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default)]
pub struct IndicatorInput {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub plan_number: String,
    pub measure: String,
    /// (year, target in basis points).
    pub targets: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Indicator {
    pub id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// The plan it belongs to (number and symbol), empty when none.
    pub plan_number: String,
    pub measure: Measure,
    /// (year, target in basis points), by year.
    pub targets: Vec<(i64, i64)>,
}

/// One figure: a unit's (or the city's) part of a whole for a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorValue {
    /// None for the city (the sum over its units).
    pub unit_id: Option<i64>,
    pub unit_name: String,
    pub period: String,
    pub numerator: i64,
    pub denominator: i64,
    /// The share in basis points; none when the whole is 0.
    pub share_bp: Option<i64>,
    /// The target of the period's year, in basis points.
    pub target_bp: Option<i64>,
    /// Entered by hand (else computed).
    pub manual: bool,
}

/// What computing a period's indicators kept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodSnapshot {
    pub period: String,
    /// The computed indicators kept (those entered by hand are left alone).
    pub indicators: usize,
    /// The units' figures written.
    pub values: usize,
}

/// An indicator with the city's figure per period and the units' figures of one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorDetail {
    pub indicator: Indicator,
    /// The city's figure for each period that has values, oldest first.
    pub city: Vec<IndicatorValue>,
    /// The period the units' figures are of (the latest, unless asked).
    pub period: Option<String>,
    pub units: Vec<IndicatorValue>,
}

fn targets_text(t: &[(i64, i64)]) -> String {
    t.iter().map(|(y, bp)| format!("{y}:{bp}")).collect::<Vec<_>>().join(",")
}

fn targets_of(text: &str) -> Vec<(i64, i64)> {
    text.split(',')
        .filter_map(|p| p.split_once(':'))
        .filter_map(|(y, v)| Some((y.trim().parse().ok()?, v.trim().parse().ok()?)))
        .collect()
}

pub(crate) fn indicator_row(r: &AnyRow) -> Result<Indicator> {
    Ok(Indicator {
        id: get(r, "id")?,
        code: get(r, "code")?,
        name_vi: get(r, "name_vi")?,
        name_en: get(r, "name_en")?,
        plan_number: get(r, "plan_number")?,
        measure: get_code(r, "measure", |s| Measure::parse("measure", s))?,
        targets: targets_of(&get::<String>(r, "targets")?),
    })
}

impl Indicator {
    pub fn target_of(&self, period: &str) -> Option<i64> {
        let year = year_of(period);
        self.targets.iter().find(|(y, _)| *y == year).map(|(_, bp)| *bp)
    }
}

const COLS: &str = "id, code, name_vi, name_en, plan_number, measure, targets";

impl Store {
    /// The standing body's decisions over the whole city: Govern at the root unit.
    /// Returns the root unit's id, the unit their audit records name.
    pub(crate) async fn require_governor(&self, actor: &Actor) -> Result<i64> {
        let root = self.root_unit().await?.ok_or_else(|| Error::not_found("đơn vị gốc", "Root unit"))?;
        actor.require(Action::Govern, root.id, &root.path)?;
        Ok(root.id)
    }

    /// Defines an indicator (the standing body's, at the root unit).
    pub async fn define_indicator(&self, actor: &Actor, input: &IndicatorInput) -> Result<Indicator> {
        let root = self.require_governor(actor).await?;
        let code = input.code.trim().to_uppercase();
        if code.is_empty()
            || code.chars().count() > 30
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(Error::invalid(
                "code",
                "Mã chỉ tiêu gồm chữ, số, dấu - _ . (tối đa 30).",
                "A code is letters, digits, - _ . (at most 30).",
            ));
        }
        let measure = Measure::parse("measure", &input.measure)?;
        let name_vi = validate_name("name_vi", &input.name_vi, 500)?;
        let name_en = validate_name("name_en", &input.name_en, 500)?;
        let plan_number = input.plan_number.trim().to_string();
        for (year, bp) in &input.targets {
            if !(2000..=2100).contains(year) || !(0..=10_000).contains(bp) {
                return Err(Error::invalid(
                    "targets",
                    "Chỉ tiêu là tỷ lệ từ 0 đến 100 % cho một năm từ 2000 đến 2100.",
                    "A target is a share of 0 to 100 % for a year from 2000 to 2100.",
                ));
            }
        }
        let mut w = self.begin_write().await?;
        let r = sqlx::query(&format!("INSERT INTO indicators (code, name_vi, name_en, plan_number, measure, targets, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING {COLS}"))
            .bind(code.as_str())
            .bind(name_vi.as_str())
            .bind(name_en.as_str())
            .bind(plan_number.as_str())
            .bind(measure.code())
            .bind(targets_text(&input.targets))
            .bind(actor.user_id)
            .bind(self.clock.now_ms())
            .fetch_one(&mut *w.tx)
            .await
            .map_err(|e| match db_err(e) {
                Error::Conflict(_) => Error::invalid("code", format!("Đã có chỉ tiêu mã {code}."), format!("There is already an indicator {code}.")),
                other => other,
            })?;
        let ind = indicator_row(&r)?;
        w.audit(
            Some(actor),
            Change {
                action: "indicator.define",
                entity_type: "indicator",
                entity_id: Some(ind.id),
                unit_id: Some(root),
                before: None,
                after: json(&ind),
            },
        )
        .await?;
        w.commit().await?;
        Ok(ind)
    }

    pub async fn list_indicators(&self, actor: &Actor) -> Result<Vec<Indicator>> {
        if !actor.can_anywhere(Action::ViewUnits) {
            return Err(Error::forbidden());
        }
        let rows =
            self.read_all(&Sql::new(&format!("SELECT {COLS} FROM indicators ORDER BY plan_number, code"))).await?;
        rows.iter().map(indicator_row).collect()
    }

    pub async fn get_indicator(&self, actor: &Actor, id: i64) -> Result<Indicator> {
        if !actor.can_anywhere(Action::ViewUnits) {
            return Err(Error::not_found("chỉ tiêu", "Indicator"));
        }
        let r = self
            .read_optional(&Sql::new(&format!("SELECT {COLS} FROM indicators WHERE id = $1")).arg(id))
            .await?
            .ok_or_else(|| Error::not_found("chỉ tiêu", "Indicator"))?;
        indicator_row(&r)
    }

    /// What a computed measure reads, now: the overview's counts, and the year's budget when
    /// the measure is the budget share. Read once for every indicator of a period.
    async fn measure_sources(&self, actor: &Actor, measures: &[Measure], period: &str) -> Result<MeasureSources> {
        let overview = if measures.iter().any(|m| !matches!(m, Measure::BudgetShare | Measure::Manual)) {
            let mut rows = self.overview(actor).await?;
            rows.pop(); // the city's total row
            rows
        } else {
            Vec::new()
        };
        let budget = if measures.contains(&Measure::BudgetShare) {
            Some(self.budget_summary(actor, year_of(period)).await?)
        } else {
            None
        };
        let telemetry_measures = [Measure::EndpointsProtected, Measure::BotnetHandled, Measure::TelemetryMonitored];
        let telemetry = if measures.iter().any(|m| telemetry_measures.contains(m)) {
            self.unit_telemetry().await?
        } else {
            Default::default()
        };
        Ok(MeasureSources { overview, budget, telemetry })
    }

    /// Checks that a period may be computed: it has begun.
    fn check_computable_period(&self, period: &str) -> Result<String> {
        let period = check_period("period", period)?;
        let current = khien_domain::calendar::date_vn(self.clock.now_ms()).format("%Y-%m").to_string();
        if period.len() == 7 && period.as_str() > current.as_str() || year_of(&period) > year_of(&current) {
            return Err(Error::invalid("period", "Kỳ này chưa bắt đầu.", "The period has not begun."));
        }
        Ok(period)
    }

    /// Computes a measure's figures for a period, per unit, and keeps them: the period's
    /// earlier computed figures are replaced (the audit trail keeps their sum). The standing
    /// body's, over the whole city.
    pub async fn snapshot_indicator(&self, actor: &Actor, id: i64, period: &str) -> Result<IndicatorDetail> {
        let root = self.require_governor(actor).await?;
        let ind = self.get_indicator(actor, id).await?;
        if ind.measure.is_manual() {
            return Err(Error::invalid(
                "period",
                "Chỉ tiêu này nhập tay theo đơn vị; không có gì để tính.",
                "This indicator is entered by hand per unit; there is nothing to compute.",
            ));
        }
        let period = self.check_computable_period(period)?;
        let sources = self.measure_sources(actor, &[ind.measure], &period).await?;
        let mut w = self.begin_write().await?;
        keep_figures(&mut w, actor, root, (id, &period), &sources.figures(ind.measure)).await?;
        w.commit().await?;
        self.indicator_detail(actor, id, Some(&period)).await
    }

    /// Computes every computed indicator of the city for one period from one read of what the
    /// measures need, and keeps them in one transaction (each audited as `snapshot_indicator`
    /// audits one). Figures entered by hand are left alone.
    pub async fn snapshot_period(&self, actor: &Actor, period: &str) -> Result<PeriodSnapshot> {
        let mut kept = self.snapshot_periods(actor, &[period.to_string()]).await?;
        kept.pop().ok_or_else(|| Error::internal("no period computed"))
    }

    /// As `snapshot_period`, for several periods from the same read (the months of a range the
    /// authority catches up on), in one transaction.
    pub async fn snapshot_periods(&self, actor: &Actor, periods: &[String]) -> Result<Vec<PeriodSnapshot>> {
        let root = self.require_governor(actor).await?;
        let periods = periods.iter().map(|p| self.check_computable_period(p)).collect::<Result<Vec<_>>>()?;
        let computed: Vec<Indicator> =
            self.list_indicators(actor).await?.into_iter().filter(|i| !i.measure.is_manual()).collect();
        let measures: Vec<Measure> = computed.iter().map(|i| i.measure).collect();
        // The registry is read once; the budget once per year.
        let Some(first) = periods.first() else { return Ok(Vec::new()) };
        let mut sources = self.measure_sources(actor, &measures, first).await?;
        let mut budgets: std::collections::HashMap<i64, Option<crate::BudgetSummary>> = Default::default();
        for p in &periods {
            let year = year_of(p);
            if let std::collections::hash_map::Entry::Vacant(slot) = budgets.entry(year) {
                let budget = match measures.contains(&Measure::BudgetShare) {
                    true => Some(self.budget_summary(actor, year).await?),
                    false => None,
                };
                slot.insert(budget);
            }
        }
        let mut w = self.begin_write().await?;
        let mut out = Vec::new();
        for p in periods {
            sources.budget = budgets.get(&year_of(&p)).cloned().flatten();
            let mut values = 0;
            for ind in &computed {
                let figures = sources.figures(ind.measure);
                keep_figures(&mut w, actor, root, (ind.id, &p), &figures).await?;
                values += figures.len();
            }
            out.push(PeriodSnapshot { period: p, indicators: computed.len(), values });
        }
        w.commit().await?;
        Ok(out)
    }

    /// A unit's figure entered by hand for a measure Khiên does not compute; whoever reports
    /// for the unit. A later entry for the same period replaces it (audited).
    pub async fn record_indicator_value(
        &self,
        actor: &Actor,
        id: i64,
        unit_id: i64,
        period: &str,
        (numerator, denominator): (i64, i64),
        note: &str,
    ) -> Result<IndicatorValue> {
        let ind = self.get_indicator(actor, id).await?;
        if !ind.measure.is_manual() {
            return Err(Error::invalid(
                "indicator",
                "Chỉ tiêu này được tính từ dữ liệu của Khiên, không nhập tay.",
                "This indicator is computed from Khiên's records, not entered by hand.",
            ));
        }
        let period = check_period("period", period)?;
        check_figure(numerator, denominator)?;
        let unit = self.get_unit(actor, unit_id).await?;
        actor.require_pick("unit_id", Action::ReportProgress, unit.id, &unit.path, unit.active)?;
        let note = note.trim();
        if note.chars().count() > 1000 {
            return Err(Error::invalid("note", "Tối đa 1000 ký tự.", "At most 1000 characters."));
        }
        let mut w = self.begin_write().await?;
        let before = sqlx::query("SELECT numerator, denominator FROM indicator_values WHERE indicator_id = $1 AND unit_id = $2 AND period = $3")
            .bind(id)
            .bind(unit.id)
            .bind(period.as_str())
            .fetch_optional(&mut *w.tx)
            .await
            .map_err(db_err)?
            .map(|r| -> Result<serde_json::Value> { Ok(serde_json::json!({"numerator": get::<i64>(&r, "numerator")?, "denominator": get::<i64>(&r, "denominator")?})) })
            .transpose()?;
        sqlx::query("DELETE FROM indicator_values WHERE indicator_id = $1 AND unit_id = $2 AND period = $3")
            .bind(id)
            .bind(unit.id)
            .bind(period.as_str())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        sqlx::query("INSERT INTO indicator_values (indicator_id, unit_id, period, numerator, denominator, manual, note, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,1,$6,$7,$8)")
            .bind(id)
            .bind(unit.id)
            .bind(period.as_str())
            .bind(numerator)
            .bind(denominator)
            .bind(note)
            .bind(actor.user_id)
            .bind(self.clock.now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        refresh_total(&mut w, (id, &period)).await?;
        w.audit(
            Some(actor),
            Change {
                action: "indicator.value",
                entity_type: "indicator",
                entity_id: Some(id),
                unit_id: Some(unit.id),
                before,
                after: json(&serde_json::json!({"period": period, "numerator": numerator, "denominator": denominator})),
            },
        )
        .await?;
        w.commit().await?;
        Ok(IndicatorValue {
            unit_id: Some(unit.id),
            unit_name: unit.name,
            share_bp: share_bp(numerator, denominator),
            target_bp: ind.target_of(&period),
            period,
            numerator,
            denominator,
            manual: true,
        })
    }

    /// The indicator and the sum over the units the caller sees per period, oldest first (the
    /// city's figure for a reader of the whole city), without the units' own figures. Summed by
    /// the database: a year of monthly figures for 1,000 units is 12,000 rows.
    pub async fn indicator_trend(&self, actor: &Actor, id: i64) -> Result<(Indicator, Vec<IndicatorValue>)> {
        let indicator = self.get_indicator(actor, id).await?;
        let reach = actor.reach(Action::ViewUnits);
        let city_wide = reach.is_whole_tree();
        // The city's figures are kept summed; a unit's reader sums its own units' rows.
        let q = if city_wide {
            let mut q = Sql::new(
                "SELECT period, numerator AS n, denominator AS d, manual FROM indicator_totals WHERE indicator_id = ",
            );
            q.bind(id).push(" ORDER BY period");
            q
        } else {
            let mut q = Sql::new("SELECT v.period, CAST(SUM(v.numerator) AS BIGINT) AS n, CAST(SUM(v.denominator) AS BIGINT) AS d, MAX(v.manual) AS manual FROM indicator_values v JOIN units u ON u.id = v.unit_id WHERE v.indicator_id = ");
            q.bind(id).push(" AND ").reach("u.path", "u.id", &reach).push(" GROUP BY v.period ORDER BY v.period");
            q
        };
        let city_name = if city_wide { "Toàn thành phố" } else { "Các đơn vị của bạn" };
        let mut city = Vec::new();
        for r in self.read_all(&q).await? {
            let (period, n, d): (String, i64, i64) = (get(&r, "period")?, get(&r, "n")?, get(&r, "d")?);
            city.push(IndicatorValue {
                unit_id: None,
                unit_name: city_name.to_string(),
                share_bp: share_bp(n, d),
                target_bp: indicator.target_of(&period),
                manual: get::<i64>(&r, "manual")? != 0,
                period,
                numerator: n,
                denominator: d,
            });
        }
        Ok((indicator, city))
    }

    /// The indicator, its trend (`indicator_trend`) and each unit's figure for one period (the
    /// latest when none is asked).
    pub async fn indicator_detail(&self, actor: &Actor, id: i64, period: Option<&str>) -> Result<IndicatorDetail> {
        let (indicator, city) = self.indicator_trend(actor, id).await?;
        let reach = actor.reach(Action::ViewUnits);
        let period = match period.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => Some(check_period("period", p)?),
            None => city.last().map(|v| v.period.clone()),
        };
        let mut units = Vec::new();
        if let Some(p) = &period {
            let mut q = Sql::new("SELECT v.unit_id, u.name, v.numerator, v.denominator, v.manual FROM indicator_values v JOIN units u ON u.id = v.unit_id WHERE v.indicator_id = ");
            q.bind(id).push(" AND v.period = ").bind(p.as_str()).push(" AND ");
            q.reach("u.path", "u.id", &reach).push(" ORDER BY u.name LIMIT 10000");
            for r in self.read_all(&q).await? {
                let (n, d): (i64, i64) = (get(&r, "numerator")?, get(&r, "denominator")?);
                units.push(IndicatorValue {
                    unit_id: Some(get(&r, "unit_id")?),
                    unit_name: get(&r, "name")?,
                    share_bp: share_bp(n, d),
                    target_bp: indicator.target_of(p),
                    period: p.clone(),
                    numerator: n,
                    denominator: d,
                    manual: flag(&r, "manual")?,
                });
            }
        }
        Ok(IndicatorDetail { indicator, city, period, units })
    }

    /// A unit's latest kept figure of each indicator (its own rows, one read): the unit's index
    /// page.
    pub async fn unit_indicator_figures(
        &self,
        actor: &Actor,
        unit_id: i64,
    ) -> Result<Vec<(Indicator, IndicatorValue)>> {
        let unit = self.get_unit(actor, unit_id).await?;
        let indicators = self.list_indicators(actor).await?;
        let rows = self.read_all(&Sql::new("SELECT indicator_id, period, numerator, denominator, manual FROM indicator_values WHERE unit_id = $1 ORDER BY indicator_id, period").arg(unit.id)).await?;
        let mut latest: std::collections::HashMap<i64, IndicatorValue> = std::collections::HashMap::new();
        for r in &rows {
            let (id, period, n, d): (i64, String, i64, i64) =
                (get(r, "indicator_id")?, get(r, "period")?, get(r, "numerator")?, get(r, "denominator")?);
            let Some(ind) = indicators.iter().find(|i| i.id == id) else { continue };
            latest.insert(
                id,
                IndicatorValue {
                    unit_id: Some(unit.id),
                    unit_name: unit.name.clone(),
                    share_bp: share_bp(n, d),
                    target_bp: ind.target_of(&period),
                    period,
                    numerator: n,
                    denominator: d,
                    manual: flag(r, "manual")?,
                },
            );
        }
        Ok(indicators.into_iter().filter_map(|i| latest.remove(&i.id).map(|v| (i, v))).collect())
    }
}
