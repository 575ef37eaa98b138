//! A system's recurring obligations (issue 15.5): the duties its approved level brings under the
//! ruleset (the built-in periods, or the authority's edits), when each was last done, when it is
//! next due; occurrences recorded by the unit, or by a scan import, an assessment or a drill;
//! the reminder sweep's look-up of what is overdue.

use crate::audit::{json, Change};
use crate::db::{db_err, get, Store};
use crate::records::ts;
use crate::sql::Sql;
use khien_domain::calendar::{date_vn, parse_date};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::system::obligation::{
    check_months, default_rules, duties, next_due, ObligationKind, ObligationRule, OccurrenceSource, RULESET,
};
use khien_domain::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// One duty of a system: its period, when it was last done and when it is next due.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObligationDue {
    pub kind: ObligationKind,
    pub months: i64,
    /// Where the period comes from.
    pub clause: String,
    /// yyyy-mm-dd.
    pub last_done: Option<String>,
    /// yyyy-mm-dd.
    pub due_on: String,
    pub overdue: bool,
}

/// A system's obligations: none until its level is approved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SystemObligations {
    pub system_id: i64,
    pub level: Option<i64>,
    /// yyyy-mm-dd: the approval the first periods count from.
    pub approved_on: Option<String>,
    pub duties: Vec<ObligationDue>,
    /// The latest occurrences, newest first.
    pub recent: Vec<Occurrence>,
}

#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct Occurrence {
    pub id: i64,
    pub system_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ObligationKind,
    pub done_on: String,
    #[sqlx(try_from = "String")]
    pub source: OccurrenceSource,
    /// The scan, assessment or drill that satisfied it.
    pub ref_id: Option<i64>,
    pub note: String,
    #[serde(serialize_with = "ts")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: i64,
    /// Evidence attached to it.
    #[sqlx(skip)]
    pub files: Vec<crate::EvidenceFile>,
}

/// One period of the ruleset, as the rules page shows and edits it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulePeriod {
    pub kind: ObligationKind,
    /// Months at levels 1–5; 0 = no such duty.
    pub months: [i64; 5],
    pub clause: String,
    /// Whether the authority changed any of the built-in periods.
    pub edited: bool,
}

const OCCURRENCE_COLS: &str = "id, system_id, kind, done_on, source, ref_id, note, recorded_at";

impl Store {
    /// The ruleset in force: the built-in periods with the authority's edits.
    pub(crate) async fn obligation_ruleset(&self) -> Result<(Vec<ObligationRule>, Vec<(ObligationKind, usize)>)> {
        let rows = self
            .read_all(&Sql::new("SELECT kind, level, months FROM obligation_rules WHERE ruleset = $1").arg(RULESET))
            .await?;
        let mut rules = default_rules();
        let mut edited = Vec::new();
        for r in &rows {
            let kind = ObligationKind::parse("kind", &get::<String>(r, "kind")?)?;
            let level = usize::try_from(get::<i64>(r, "level")?).unwrap_or(0);
            let months = u32::try_from(get::<i64>(r, "months")?).unwrap_or(0);
            if let Some(slot) =
                rules.iter_mut().find(|x| x.kind == kind).and_then(|x| x.months.get_mut(level.wrapping_sub(1)))
            {
                *slot = (months > 0).then_some(months);
                edited.push((kind, level));
            }
        }
        Ok((rules, edited))
    }

    /// The periods by duty and level (anyone signed in reads them).
    pub async fn obligation_rules(&self, actor: &Actor) -> Result<Vec<RulePeriod>> {
        if !actor.can_anywhere(Action::ViewSystems) {
            return Err(Error::forbidden());
        }
        let (rules, edited) = self.obligation_ruleset().await?;
        Ok(rules
            .into_iter()
            .map(|r| RulePeriod {
                kind: r.kind,
                months: r.months.map(|m| i64::from(m.unwrap_or(0))),
                clause: r.clause.to_string(),
                edited: edited.iter().any(|(k, _)| *k == r.kind),
            })
            .collect())
    }

    /// Sets one period (0 removes the duty at that level): the standing body's, audited.
    pub async fn set_obligation_rule(
        &self,
        actor: &Actor,
        kind: ObligationKind,
        level: i64,
        months: u32,
    ) -> Result<()> {
        if !(1..=5).contains(&level) {
            return Err(Error::invalid("level", "Cấp độ từ 1 đến 5.", "Levels are 1 to 5."));
        }
        if months > 0 {
            check_months(months)?;
        }
        let mut w = self.begin_write().await?;
        w.require_at_root(actor, Action::Govern).await?;
        sqlx::query("DELETE FROM obligation_rules WHERE ruleset = $1 AND kind = $2 AND level = $3")
            .bind(RULESET)
            .bind(kind.code())
            .bind(level)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        sqlx::query("INSERT INTO obligation_rules (ruleset, kind, level, months, updated_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6)")
            .bind(RULESET)
            .bind(kind.code())
            .bind(level)
            .bind(i64::from(months))
            .bind(actor.user_id)
            .bind(self.clock.now_ms())
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.audit(
            Some(actor),
            Change {
                action: "obligation.rule",
                entity_type: "ruleset",
                entity_id: None,
                unit_id: None,
                before: None,
                after: Some(
                    serde_json::json!({"ruleset": RULESET, "kind": kind.code(), "level": level, "months": months}),
                ),
            },
        )
        .await?;
        w.commit().await
    }

    /// The approved level and its date, from the system's approved dossier.
    async fn approval_of(&self, system_id: i64) -> Result<Option<(i64, String)>> {
        let r = self.read_optional(&Sql::new("SELECT proposed_level, approved_on FROM dossiers WHERE system_id = $1 AND state = 'approved' AND approved_on IS NOT NULL ORDER BY approved_on DESC, id DESC LIMIT 1").arg(system_id)).await?;
        r.map(|r| Ok((get(&r, "proposed_level")?, get(&r, "approved_on")?))).transpose()
    }

    /// A system's calendar of duties, for whoever may see the system.
    pub async fn system_obligations(&self, actor: &Actor, system_id: i64) -> Result<SystemObligations> {
        let system = self.scoped_system(&self.pool, actor, system_id, Action::ViewSystems).await?;
        let recent = self.read_all(&Sql::new(&format!(
            "SELECT {OCCURRENCE_COLS} FROM obligation_occurrences WHERE system_id = $1 ORDER BY done_on DESC, id DESC LIMIT 20"
        )).arg(system.id)).await?
        .iter()
        .map(crate::db::from_row)
        .collect::<Result<Vec<Occurrence>>>()?;
        let ids: Vec<i64> = recent.iter().map(|o| o.id).collect();
        let mut files = self.evidence_of(khien_domain::evidence::EvidenceSubject::Obligation, &ids).await?;
        let recent: Vec<Occurrence> =
            recent.into_iter().map(|o| Occurrence { files: files.remove(&o.id).unwrap_or_default(), ..o }).collect();
        let Some((level, approved_on)) = self.approval_of(system.id).await? else {
            return Ok(SystemObligations { system_id, level: None, approved_on: None, duties: Vec::new(), recent });
        };
        let last = self.last_done(&[system.id]).await?;
        let (rules, _) = self.obligation_ruleset().await?;
        let today = self.clock.today_vn();
        let approved = parse_date(&approved_on).unwrap_or(today);
        let duties = duties(&rules, level)
            .into_iter()
            .map(|(kind, months, clause)| {
                let done = last.get(&(system.id, kind)).copied();
                let due = next_due(done, approved, months);
                ObligationDue {
                    kind,
                    months: i64::from(months),
                    clause: clause.to_string(),
                    last_done: done.map(|d| d.format("%Y-%m-%d").to_string()),
                    due_on: due.format("%Y-%m-%d").to_string(),
                    overdue: due < today,
                }
            })
            .collect();
        Ok(SystemObligations { system_id, level: Some(level), approved_on: Some(approved_on), duties, recent })
    }

    /// The last day each duty of the systems was done.
    async fn last_done(&self, systems: &[i64]) -> Result<HashMap<(i64, ObligationKind), chrono::NaiveDate>> {
        let mut out = HashMap::new();
        for chunk in systems.chunks(500) {
            let mut q = Sql::new(
                "SELECT system_id, kind, MAX(done_on) AS last FROM obligation_occurrences WHERE system_id IN (",
            );
            q.bind_ids(chunk);
            q.push(") GROUP BY system_id, kind");
            for r in &self.read_all(&q).await? {
                let kind = ObligationKind::parse("kind", &get::<String>(r, "kind")?)?;
                if let Some(d) = get::<Option<String>>(r, "last")?.as_deref().and_then(parse_date) {
                    out.insert((get(r, "system_id")?, kind), d);
                }
            }
        }
        Ok(out)
    }

    /// The unit records that a duty was done on a day (not in the future, not before the
    /// level's approval), with what was done.
    pub async fn record_obligation(
        &self,
        actor: &Actor,
        system_id: i64,
        kind: ObligationKind,
        done_on: &str,
        note: &str,
    ) -> Result<Occurrence> {
        let system = self.scoped_system(&self.pool, actor, system_id, Action::EditSystems).await?;
        let day = parse_date(done_on.trim())
            .or_else(|| chrono::NaiveDate::parse_from_str(done_on.trim(), "%d/%m/%Y").ok())
            .ok_or_else(|| {
                Error::invalid("done_on", "Ngày thực hiện phải có dạng dd/mm/yyyy.", "The day must be dd/mm/yyyy.")
            })?;
        if day > self.clock.today_vn() {
            return Err(Error::invalid(
                "done_on",
                "Ngày thực hiện không được ở tương lai.",
                "The day cannot be in the future.",
            ));
        }
        let Some((level, _)) = self.approval_of(system.id).await? else {
            return Err(Error::invalid(
                "kind",
                "Hệ thống chưa được phê duyệt cấp độ nên chưa có nghĩa vụ định kỳ.",
                "The system has no approved level, so no recurring duties yet.",
            ));
        };
        let (rules, _) = self.obligation_ruleset().await?;
        if !duties(&rules, level).iter().any(|(k, _, _)| *k == kind) {
            return Err(Error::invalid(
                "kind",
                format!("Cấp độ {level} không có nghĩa vụ «{}».", kind.label(khien_domain::Lang::Vi)),
                format!("Level {level} has no «{}» duty.", kind.label(khien_domain::Lang::En)),
            ));
        }
        let note = note.trim();
        if note.chars().count() > 2000 {
            return Err(Error::invalid("note", "Ghi chú tối đa 2000 ký tự.", "A note holds at most 2000 characters."));
        }
        let mut w = self.begin_write().await?;
        let done = NewOccurrence {
            system_id: system.id,
            kind,
            done_on: day,
            source: OccurrenceSource::Manual,
            ref_id: None,
            note: note.to_string(),
            recorded_by: Some(actor.user_id),
            recorded_at: self.clock.now_ms(),
        };
        let r = done.insert().query().fetch_one(&mut *w.tx).await.map_err(db_err)?;
        let id: i64 = get(&r, "id")?;
        let occ: Occurrence = crate::db::from_row(
            &sqlx::query(&format!("SELECT {OCCURRENCE_COLS} FROM obligation_occurrences WHERE id = $1"))
                .bind(id)
                .fetch_one(&mut *w.tx)
                .await
                .map_err(db_err)?,
        )?;
        w.audit(
            Some(actor),
            Change {
                action: "obligation.record",
                entity_type: "system",
                entity_id: Some(system.id),
                unit_id: Some(system.owner_unit_id),
                before: None,
                after: json(&occ),
            },
        )
        .await?;
        w.commit().await?;
        Ok(occ)
    }

    /// The duties of approved systems due by `until`, with their system and unit: for the
    /// reminder sweep (every unit) and a unit's calendar (its reach).
    pub(crate) async fn duties_due(
        &self,
        reach: Option<&khien_domain::scope::Reach>,
        until: chrono::NaiveDate,
    ) -> Result<Vec<DutyDue>> {
        let mut q = Sql::new("SELECT s.id, s.code, s.name, s.owner_unit_id, u.path, u.name AS unit_name, d.proposed_level, d.approved_on FROM systems s JOIN units u ON u.id = s.owner_unit_id JOIN dossiers d ON d.system_id = s.id AND d.state = 'approved' AND d.approved_on IS NOT NULL WHERE s.status <> 'decommissioned'");
        if let Some(reach) = reach {
            q.push(" AND ").reach("u.path", "u.id", reach);
        }
        let rows = self.read_all(&q).await?;
        let ids: Vec<i64> = rows.iter().map(|r| get(r, "id")).collect::<Result<_>>()?;
        let last = self.last_done(&ids).await?;
        let (rules, _) = self.obligation_ruleset().await?;
        let mut out = Vec::new();
        for r in &rows {
            let (id, level): (i64, i64) = (get(r, "id")?, get(r, "proposed_level")?);
            let Some(approved) = get::<String>(r, "approved_on").ok().as_deref().and_then(parse_date) else { continue };
            for (kind, months, _) in duties(&rules, level) {
                let due = next_due(last.get(&(id, kind)).copied(), approved, months);
                if due <= until {
                    out.push(DutyDue {
                        system_id: id,
                        system_code: get(r, "code")?,
                        system_name: get(r, "name")?,
                        unit_id: get(r, "owner_unit_id")?,
                        unit_path: get(r, "path")?,
                        unit_name: get(r, "unit_name")?,
                        kind,
                        due,
                    });
                }
            }
        }
        Ok(out)
    }

    /// For the reminder sweep: per unit, its approved systems' duties past their due day —
    /// (unit id, unit path, unit name, overdue duties).
    pub(crate) async fn overdue_obligations(&self) -> Result<Vec<(i64, String, String, i64)>> {
        let yesterday = self.clock.today_vn().pred_opt().unwrap_or_default();
        let mut by_unit: std::collections::BTreeMap<i64, (String, String, i64)> = std::collections::BTreeMap::new();
        for d in self.duties_due(None, yesterday).await? {
            by_unit.entry(d.unit_id).or_insert((d.unit_path, d.unit_name, 0)).2 += 1;
        }
        Ok(by_unit.into_iter().map(|(id, (path, name, n))| (id, path, name, n)).collect())
    }
}

/// A duty of an approved system, due on a day.
pub(crate) struct DutyDue {
    pub system_id: i64,
    pub system_code: String,
    pub system_name: String,
    pub unit_id: i64,
    pub unit_path: String,
    pub unit_name: String,
    pub kind: ObligationKind,
    pub due: chrono::NaiveDate,
}

/// A duty done, as the unit's form, a scan import, a drill or an assessment records it (each in
/// its own transaction).
pub(crate) struct NewOccurrence {
    pub system_id: i64,
    pub kind: ObligationKind,
    /// The Vietnam day it was done.
    pub done_on: chrono::NaiveDate,
    pub source: OccurrenceSource,
    /// The scan, drill or assessment that did it.
    pub ref_id: Option<i64>,
    pub note: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: i64,
}

impl NewOccurrence {
    /// `INSERT … RETURNING id`.
    pub(crate) fn insert(&self) -> Sql {
        let mut q = Sql::new("INSERT INTO obligation_occurrences (system_id, kind, done_on, source, ref_id, note, recorded_by, recorded_at) VALUES (");
        q.bind(self.system_id).push(",").bind(self.kind.code()).push(",");
        q.bind(self.done_on.format("%Y-%m-%d").to_string()).push(",").bind(self.source.code()).push(",");
        q.bind(self.ref_id).push(",").bind(self.note.as_str()).push(",").bind(self.recorded_by).push(",");
        q.bind(self.recorded_at).push(") RETURNING id");
        q
    }

    /// A scan import: the system's vulnerability scan done on the day it ran.
    pub(crate) fn scan(system_id: i64, scan_id: i64, detected_at: i64, now: i64) -> NewOccurrence {
        NewOccurrence {
            system_id,
            kind: ObligationKind::VulnerabilityScan,
            done_on: date_vn(detected_at),
            source: OccurrenceSource::Scan,
            ref_id: Some(scan_id),
            note: String::new(),
            recorded_by: None,
            recorded_at: now,
        }
    }
}
