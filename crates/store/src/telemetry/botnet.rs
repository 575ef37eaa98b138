//! Botnet cases (issue 18.5): detections from sensors' events or a national centre's list open
//! or count on one case per address; its unit is told; the unit reports it cleaned with
//! evidence; the authority verifies or sends it back. Detected again after cleaning, the case
//! reopens and the unit is told again.

use crate::audit::{json, Change};
use crate::db::{db_err, from_row, get, Store, WriteTx};
use crate::events::Notice;
use crate::sql::Sql;
use crate::units::scope::scoped_select;
use khien_domain::botnet::{handled_in_time, redetected, BotnetMove, BotnetState};
use khien_domain::notification::NotificationKind;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use serde::Serialize;
use std::net::IpAddr;
use utoipa::ToSchema;

/// One botnet case.
#[derive(Debug, Clone, Serialize, ToSchema, sqlx::FromRow)]
pub struct BotnetCase {
    pub id: i64,
    pub ip: String,
    /// None while no registered range holds the address.
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub system_id: Option<i64>,
    pub system_code: Option<String>,
    pub family: String,
    /// Where the last detection came from: a list's name or `telemetry`.
    pub feed: String,
    #[sqlx(try_from = "String")]
    pub state: BotnetState,
    /// Milliseconds since the epoch.
    pub first_seen: i64,
    pub last_seen: i64,
    pub detections: i64,
    /// Times it was detected again after being cleaned.
    pub reopened: i64,
    pub notified_at: Option<i64>,
    pub cleaned_at: Option<i64>,
    pub evidence: Option<String>,
    pub verified_at: Option<i64>,
    /// Verified, and cleaned within the plan's time of its unit being told (indicator 4).
    #[sqlx(skip)]
    pub handled_in_time: bool,
    /// The moves the caller may make on it now (the store's own check, for the page's buttons).
    #[sqlx(skip)]
    pub moves: Vec<BotnetMove>,
}

const CASE_COLS: &str = "c.id, c.ip, c.unit_id, u.name AS unit_name, c.system_id, (SELECT code FROM systems s WHERE s.id = c.system_id) AS system_code, c.family, c.feed, c.state, c.first_seen, c.last_seen, c.detections, c.reopened, c.notified_at, c.cleaned_at, c.evidence, c.verified_at, u.path AS unit_path";

fn case_row(r: &sqlx::any::AnyRow, actor: &Actor) -> Result<BotnetCase> {
    let mut c: BotnetCase = from_row(r)?;
    c.handled_in_time =
        c.state == BotnetState::Verified && c.notified_at.is_some_and(|n| handled_in_time(n, c.cleaned_at));
    if let (Some(unit), Some(path)) = (c.unit_id, get::<Option<String>>(r, "unit_path")?) {
        c.moves =
            BotnetMove::open_from(c.state).iter().copied().filter(|m| actor.can(m.action(), unit, &path)).collect();
    }
    Ok(c)
}

/// One detection of an address.
#[derive(Debug, Clone)]
pub struct Detection {
    pub ip: IpAddr,
    pub family: String,
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
}

/// What a list or a batch did to the cases.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct BotnetSummary {
    pub detections: usize,
    /// Cases opened.
    pub opened: usize,
    /// Cases detected again after cleaning: back with their unit.
    pub reopened: usize,
    /// Detections of addresses no registered range holds.
    pub unattributed: usize,
}

/// The botnet cases list's filters.
#[derive(Debug, Clone, Default)]
pub struct BotnetFilter {
    /// A unit and its subtree.
    pub unit_id: Option<i64>,
    pub state: Option<BotnetState>,
    /// The city-wide's queue of addresses no registered range holds.
    pub unattributed: bool,
}

impl Store {
    /// Records detections from `feed`: the city-wide authority imports a list; a SOC's batch
    /// records what its own units' sensors saw (the ingest checks those units).
    pub async fn record_botnet_detections(
        &self,
        actor: &Actor,
        feed: &str,
        detections: &[Detection],
    ) -> Result<BotnetSummary> {
        if !actor.can_anywhere(Action::IngestTelemetry) && !actor.reach(Action::VerifyFindings).is_whole_tree() {
            return Err(Error::forbidden());
        }
        let registry = self.telemetry_registry().await?;
        let now = self.clock.now_ms();
        let mut summary = BotnetSummary { detections: detections.len(), ..Default::default() };
        let mut w = self.begin_write().await?;
        for d in detections {
            let owner = registry.index.owner(d.ip);
            if let Some(o) = owner {
                // A SOC records only its own units' addresses; the authority any.
                let path = unit_path(&mut w, o.unit_id).await?;
                if !actor.can(Action::IngestTelemetry, o.unit_id, &path)
                    && !actor.can(Action::VerifyFindings, o.unit_id, &path)
                {
                    return Err(Error::forbidden());
                }
            } else {
                summary.unattributed += 1;
            }
            let seen = d.last_seen.or(d.first_seen).unwrap_or(now);
            let existing = sqlx::query("SELECT id, state, unit_id FROM botnet_cases WHERE ip = $1")
                .bind(d.ip.to_string())
                .fetch_optional(&mut *w.tx)
                .await
                .map_err(db_err)?;
            let told = match existing {
                None => {
                    let state = if owner.is_some() { BotnetState::Notified } else { BotnetState::Detected };
                    let mut q = Sql::new("INSERT INTO botnet_cases (ip, unit_id, system_id, family, feed, state, first_seen, last_seen, detections, notified_at, created_at) VALUES (");
                    q.bind(d.ip.to_string())
                        .push(",")
                        .bind(owner.map(|o| o.unit_id))
                        .push(",")
                        .bind(owner.map(|o| o.system_id));
                    q.push(",").bind(d.family.as_str()).push(",").bind(feed).push(",").bind(state.code());
                    q.push(",").bind(d.first_seen.unwrap_or(seen)).push(",").bind(seen).push(",1,");
                    q.bind(owner.map(|_| now)).push(",").bind(now).push(") RETURNING id");
                    let id: i64 = get(&q.query().fetch_one(&mut *w.tx).await.map_err(db_err)?, "id")?;
                    summary.opened += 1;
                    owner.map(|o| (id, o.unit_id))
                }
                Some(r) => {
                    let id: i64 = get(&r, "id")?;
                    let state = BotnetState::parse("state", &get::<String>(&r, "state")?)?;
                    let (next, reopened) = redetected(state, owner.is_some());
                    let mut q = Sql::new("UPDATE botnet_cases SET detections = detections + 1, family = ");
                    q.bind(d.family.as_str()).push(", feed = ").bind(feed).push(", state = ").bind(next.code());
                    q.push(", unit_id = ")
                        .bind(owner.map(|o| o.unit_id))
                        .push(", system_id = ")
                        .bind(owner.map(|o| o.system_id));
                    q.push(", last_seen = CASE WHEN last_seen < ")
                        .bind(seen)
                        .push(" THEN ")
                        .bind(seen)
                        .push(" ELSE last_seen END");
                    if reopened {
                        q.push(", reopened = reopened + 1, cleaned_at = NULL, verified_at = NULL");
                    }
                    let newly_told = next == BotnetState::Notified && state != BotnetState::Notified;
                    if newly_told {
                        q.push(", notified_at = ").bind(now);
                    }
                    q.push(" WHERE id = ").bind(id);
                    q.query().execute(&mut *w.tx).await.map_err(db_err)?;
                    summary.reopened += usize::from(reopened);
                    owner.filter(|_| newly_told).map(|o| (id, o.unit_id))
                }
            };
            if let Some((id, unit)) = told {
                self.notify_botnet(&mut w, actor, (id, unit, &d.ip.to_string(), &d.family)).await?;
            }
        }
        let change = Change {
            action: "botnet.detect",
            entity_type: "botnet_case",
            entity_id: None,
            unit_id: None,
            before: None,
            after: json(
                &serde_json::json!({"feed": feed, "detections": summary.detections, "opened": summary.opened, "reopened": summary.reopened}),
            ),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        Ok(summary)
    }

    pub(super) async fn notify_botnet(
        &self,
        w: &mut WriteTx<'_>,
        actor: &Actor,
        (id, unit, ip, family): (i64, i64, &str, &str),
    ) -> Result<()> {
        let path = unit_path(w, unit).await?;
        let notice = Notice {
            kind: NotificationKind::BotnetDetected,
            key: format!("botnet:{id}:{}", w.clock.now_ms()),
            vi: format!("Phát hiện địa chỉ {ip} của đơn vị nhiễm mã độc botnet «{family}»: đề nghị xử lý, loại bỏ mã độc và báo kết quả."),
            en: format!("The unit's address {ip} is infected with the botnet «{family}»: clean the machine and report it."),
            link: format!("/botnet?case={id}"),
            unit_id: unit,
        };
        self.notify_where(w, actor, (&notice, &[(unit, path.as_str())]), |p| {
            p.can(Action::RemediateFindings, unit, &path)
        })
        .await
        .map(|_| ())
    }

    /// The cases of the caller's units (or, city-wide, those of no unit), most recent first.
    pub async fn list_botnet_cases(&self, actor: &Actor, f: &BotnetFilter) -> Result<Vec<BotnetCase>> {
        let mut q = if f.unattributed {
            if !actor.reach(Action::ViewIncidents).is_whole_tree() {
                return Ok(Vec::new());
            }
            Sql::new(&format!(
                "SELECT {CASE_COLS} FROM botnet_cases c LEFT JOIN units u ON u.id = c.unit_id WHERE c.unit_id IS NULL"
            ))
        } else {
            let scope = self.unit_scope(actor, Action::ViewIncidents, f.unit_id).await?;
            match scoped_select(CASE_COLS, "botnet_cases", "c", "unit_id", &scope) {
                Some(q) => q,
                None => return Ok(Vec::new()),
            }
        };
        if let Some(s) = f.state {
            q.push(" AND c.state = ").bind(s.code());
        }
        q.push(" ORDER BY c.last_seen DESC, c.id DESC LIMIT 500");
        self.read_all(&q).await?.iter().map(|r| case_row(r, actor)).collect()
    }

    /// One case, if the caller sees its unit (or, of no unit, the whole city).
    pub async fn get_botnet_case(&self, actor: &Actor, id: i64) -> Result<BotnetCase> {
        let row = self
            .read_optional(
                &Sql::new(&format!(
                    "SELECT {CASE_COLS} FROM botnet_cases c LEFT JOIN units u ON u.id = c.unit_id WHERE c.id = $1"
                ))
                .arg(id),
            )
            .await?
            .ok_or_else(|| Error::not_found("vụ việc botnet", "botnet case"))?;
        let case = case_row(&row, actor)?;
        if !super::sees(actor, case.unit_id, get(&row, "unit_path")?) {
            return Err(Error::not_found("vụ việc botnet", "botnet case"));
        }
        Ok(case)
    }

    /// Moves a case: the unit reports it cleaned (evidence required); the authority verifies it
    /// or sends it back (a reason required).
    pub async fn move_botnet_case(&self, actor: &Actor, id: i64, mv: BotnetMove, note: &str) -> Result<BotnetCase> {
        let case = self.get_botnet_case(actor, id).await?;
        let Some(unit) = case.unit_id else {
            return Err(Error::conflict(
                "Địa chỉ chưa thuộc đơn vị nào: hãy khai báo dải IP của hệ thống trước.",
                "The address belongs to no unit yet: register the system's IP range first.",
            ));
        };
        let mut w = self.begin_write().await?;
        let path = unit_path(&mut w, unit).await?;
        actor.require(mv.action(), unit, &path)?;
        let to = mv.apply(case.state)?;
        let note = note.trim();
        if note.is_empty() || note.chars().count() > 2000 {
            let (vi, en) = match mv {
                BotnetMove::Clean => (
                    "Hãy ghi bằng chứng đã xử lý (tối đa 2.000 ký tự).",
                    "Give the evidence of cleaning (at most 2,000 characters).",
                ),
                _ => ("Hãy ghi nhận xét (tối đa 2.000 ký tự).", "Give a note (at most 2,000 characters)."),
            };
            return Err(Error::invalid("note", vi, en));
        }
        let now = self.clock.now_ms();
        let mut q = Sql::new("UPDATE botnet_cases SET state = ");
        q.bind(to.code());
        match mv {
            BotnetMove::Clean => q.push(", cleaned_at = ").bind(now).push(", evidence = ").bind(note),
            BotnetMove::Verify => q.push(", verified_at = ").bind(now),
            BotnetMove::Reject => q.push(", cleaned_at = NULL"),
        };
        q.push(" WHERE id = ").bind(id).push(" AND state = ").bind(case.state.code());
        if q.query().execute(&mut *w.tx).await.map_err(db_err)?.rows_affected() == 0 {
            return Err(Error::conflict(
                "Vụ việc vừa được người khác cập nhật.",
                "Someone else has just moved the case.",
            ));
        }
        let change = Change {
            action: match mv {
                BotnetMove::Clean => "botnet.clean",
                BotnetMove::Verify => "botnet.verify",
                BotnetMove::Reject => "botnet.reject",
            },
            entity_type: "botnet_case",
            entity_id: Some(id),
            unit_id: Some(unit),
            before: json(&case.state),
            after: json(&serde_json::json!({"state": to, "note": note})),
        };
        w.audit(Some(actor), change).await?;
        w.commit().await?;
        self.get_botnet_case(actor, id).await
    }
}

async fn unit_path(w: &mut WriteTx<'_>, unit: i64) -> Result<String> {
    let r =
        sqlx::query("SELECT path FROM units WHERE id = $1").bind(unit).fetch_one(&mut *w.tx).await.map_err(db_err)?;
    get(&r, "path")
}
