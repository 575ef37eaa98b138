//! Scanner reports into findings, streamed: the report is parsed on a blocking thread and
//! handed over in batches while the previous batch is written, inside one transaction, so a
//! file of any size is never held whole and a bad one leaves nothing behind. A finding is
//! recognised again by its dedup key; one that is absent from a newer scan of the same system
//! and tool is closed as verified, one that returns after being fixed is reopened.

use std::collections::{HashMap, HashSet};

use futures_util::TryStreamExt;
use sha2::Digest;
use std::io::BufRead;

use crate::audit::{json, Change};
use crate::bulk::BulkTx;
use crate::compliance::findings::due_at;
use crate::compliance::scan_rows::{cve_list, insert_rows};
use crate::db::{db_err, get, Store};
use crate::sql::Sql;
use khien_domain::calendar::Holidays;
use khien_domain::compliance::remediation::Policy;
use khien_domain::fold::fold;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::{Error, Result};
use khien_formats::scan::{parse_scan, ScanError, ScanFinding, ScanTool};
use serde::Serialize;
use utoipa::ToSchema;

/// Findings handed from the parser to the writer at a time.
const BATCH: usize = 512;

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ScanImportSummary {
    pub scan_id: i64,
    pub tool: String,
    /// Findings read from the file.
    pub findings: i64,
    pub created: i64,
    /// Known findings seen again.
    pub seen_again: i64,
    /// Fixed or verified findings that came back.
    pub reopened: i64,
    /// Open findings absent from this scan, now closed as verified.
    pub closed: i64,
    /// The same finding twice in one file, counted once (its evidence added to the kept one).
    pub duplicates: i64,
    /// The duplicates, at most [`MAX_DUPLICATES_LISTED`]: where each was and the key it
    /// shared with the finding kept.
    pub duplicates_listed: Vec<DuplicateFinding>,
    /// Items the file holds that are not findings, with the reason, as read.
    pub skipped: Vec<String>,
}

/// A finding met again in the same file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuplicateFinding {
    /// The dedup key both occurrences share.
    pub key: String,
    pub rule_id: String,
    pub title: String,
    /// Where the second occurrence is in the file, as read ("dòng 12").
    pub location: String,
}

/// Duplicates listed in an import's summary (all are counted).
pub const MAX_DUPLICATES_LISTED: usize = 200;
/// Evidence of duplicates kept per finding, and in all, while an import runs.
const MAX_EXTRA_EVIDENCE_BYTES: usize = 32 * 1024;
const MAX_EXTRA_EVIDENCE_TOTAL: usize = 16 << 20;

pub(super) struct Target {
    pub(super) system_id: i64,
    pub(super) unit_id: i64,
    pub(super) tool: ScanTool,
    pub(super) scan_id: i64,
    pub(super) detected_at: i64,
}

/// What turns a parsed finding into a row: worked out on the parser's thread, which is
/// otherwise idle, so the writer only binds and executes.
struct RowRules {
    code: String,
    level: Option<i64>,
    detected_at: i64,
    policy: Policy,
    holidays: Holidays,
}

/// A dedup key as its 32 bytes (keys are SHA-256 in hex); a key that is not hex (none is
/// written so) is hashed instead, which keeps it distinct.
type Key = [u8; 32];

fn key_bytes(key: &str) -> Key {
    let mut out = [0u8; 32];
    if hex::decode_to_slice(key, &mut out).is_err() {
        out = sha2::Sha256::digest(key.as_bytes()).into();
    }
    out
}

/// A finding of the system already stored: its id, and whether a return reopens it.
struct Known {
    id: i64,
    closed_as_fixed: bool,
}

/// A finding ready for the database.
pub(super) struct Row {
    pub(super) key: String,
    pub(super) rule_id: String,
    pub(super) title: String,
    pub(super) folded: String,
    pub(super) severity: &'static str,
    pub(super) cvss: Option<i64>,
    pub(super) host: Option<String>,
    pub(super) port: Option<i64>,
    pub(super) protocol: Option<String>,
    pub(super) component: Option<String>,
    pub(super) cves: String,
    pub(super) cwes: String,
    pub(super) description: String,
    pub(super) solution: String,
    pub(super) evidence: String,
    /// http(s) links, one per line.
    pub(super) references: String,
    pub(super) due: Option<i64>,
    /// Producer and target ([`ScanFinding::scope`]).
    pub(super) scope: String,
    /// Where it is in the file, as read (for the duplicates' list).
    pub(super) location: String,
}

impl RowRules {
    fn row(&self, f: ScanFinding) -> Row {
        let key = f.dedup_key(&self.code);
        // "Dockerfile — Dockerfile" and "app.env — app.env:12" say it twice: the component alone.
        let component = match (&f.target, &f.component) {
            (Some(t), Some(c)) if !c.starts_with(t.as_str()) => Some(format!("{t} — {c}")),
            (t, c) => c.clone().or_else(|| t.clone()),
        };
        let host = f.host.clone().or_else(|| f.ip.clone());
        let cves = cve_list(&f.cves);
        let folded = fold(&format!(
            "{} {} {} {} {}",
            f.title,
            host.as_deref().unwrap_or(""),
            component.as_deref().unwrap_or(""),
            cves,
            f.rule_id
        ));
        Row {
            key,
            folded,
            severity: f.severity.code(),
            cvss: f.cvss_score.map(|c| (f64::from(c) * 10.0).round() as i64),
            port: f.port.map(i64::from),
            cwes: f.cwes.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>().join(","),
            due: due_at(&self.policy, &self.holidays, f.severity, self.level, self.detected_at),
            host,
            component,
            cves,
            rule_id: f.rule_id,
            title: f.title,
            protocol: f.protocol,
            description: f.description,
            solution: f.solution,
            evidence: f.evidence,
            references: f.references.join("\n"),
            location: f.location.vi(),
            scope: f.scope,
        }
    }
}

impl Store {
    pub async fn import_scan(
        &self,
        actor: &Actor,
        system_id: i64,
        tool: ScanTool,
        file_name: &str,
        reader: Box<dyn BufRead + Send>,
    ) -> Result<ScanImportSummary> {
        self.import_scan_dated(actor, system_id, tool, file_name, None, reader).await
    }

    /// As [`Store::import_scan`], for a scan run at `scanned_at` (UTC ms): new findings count
    /// their deadline from then, not from the upload — a report handed in late does not buy
    /// time.
    pub async fn import_scan_dated(
        &self,
        actor: &Actor,
        system_id: i64,
        tool: ScanTool,
        file_name: &str,
        scanned_at: Option<i64>,
        reader: Box<dyn BufRead + Send>,
    ) -> Result<ScanImportSummary> {
        let now = self.clock.now_ms();
        if let Some(at) = scanned_at {
            const YEAR: i64 = 366 * 24 * 3_600_000;
            if at > now + 300_000 || at < now - 5 * YEAR {
                return Err(Error::invalid(
                    "scanned_at",
                    "Ngày quét không được ở tương lai hoặc quá 5 năm trước.",
                    "The scan date cannot be in the future or more than 5 years ago.",
                ));
            }
        }
        let file_name = &khien_domain::unit::validate_name(
            "file_name",
            file_name.rsplit(['/', '\\']).next().unwrap_or(file_name),
            255,
        )?;
        let system = self.scoped_system(&self.pool, actor, system_id, Action::RemediateFindings).await?;
        let policy = self.remediation_policy().await?;
        let holidays = self.holidays().await?;
        // The system's findings by key, read as a stream: about 50 bytes each, so a system with
        // hundreds of thousands of findings does not hold their rows.
        let mut known: HashMap<Key, Known> = HashMap::new();
        let mut rows =
            sqlx::query("SELECT id, dedup_key, state FROM findings WHERE system_id = $1 AND source = 'scan'")
                .bind(system_id)
                .fetch(&self.pool);
        while let Some(r) = rows.try_next().await.map_err(db_err)? {
            let state: String = get(&r, "state")?;
            known.insert(
                key_bytes(&get::<String>(&r, "dedup_key")?),
                Known { id: get(&r, "id")?, closed_as_fixed: state == "fixed" || state == "verified" },
            );
        }
        drop(rows);

        let detected_at = scanned_at.unwrap_or(now);
        let rules = RowRules { code: system.code.clone(), level: system.approved_level, detected_at, policy, holidays };
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Row>>(4);
        let parser = tokio::task::spawn_blocking(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut sink = |f: ScanFinding| {
                batch.push(rules.row(f));
                if batch.len() >= BATCH {
                    tx.blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .map_err(|_| ScanError::other("Đã hủy nhập.", "The import was cancelled."))?;
                }
                Ok(())
            };
            let summary = parse_scan(tool, reader, &mut sink)?;
            if !batch.is_empty() {
                tx.blocking_send(batch).map_err(|_| ScanError::other("Đã hủy nhập.", "The import was cancelled."))?;
            }
            Ok::<_, ScanError>(summary)
        });

        // The typed transaction on PostgreSQL, the shared one on SQLite (`crate::bulk`).
        let mut w = self.begin_bulk().await?;
        let sqlite = self.dialect() == crate::Dialect::Sqlite;
        if sqlite {
            // A large import rewrites the same index pages many times; with SQLite's default
            // 2 MB page cache they are spilled to the WAL again and again. 64 MB while the
            // rows are written (set back below, before any early return).
            w.execute(&Sql::new("PRAGMA cache_size = -65536")).await?;
        }
        let mut q = Sql::new(
            "INSERT INTO finding_scans (system_id, unit_id, tool, file_name, imported_at, imported_by) VALUES (",
        );
        q.bind(system_id).push(",").bind(system.owner_unit_id).push(",").bind(tool.code()).push(",");
        q.bind(file_name.as_str()).push(",").bind(now).push(",").bind(actor.label()).push(") RETURNING id");
        let scan_id = w.fetch_id(&q).await?;
        let target = Target { system_id, unit_id: system.owner_unit_id, tool, scan_id, detected_at };
        let mut summary =
            ScanImportSummary { scan_id: target.scan_id, tool: tool.code().to_string(), ..Default::default() };
        let mut seen = Seen::default();
        let mut write_error = None;
        while let Some(batch) = rx.recv().await {
            if let Err(e) = write_batch(&mut w, &target, batch, &known, &mut seen, &mut summary).await {
                write_error = Some(e);
                break;
            }
        }
        drop(rx);
        let parsed = parser.await.map_err(Error::internal)?;
        // Everything is written now: the connection goes back to the default page cache,
        // also when the import fails and rolls back.
        if sqlite {
            w.execute(&Sql::new("PRAGMA cache_size = -2000")).await?;
        }
        if let Some(e) = write_error {
            return Err(e);
        }
        let parsed = parsed.map_err(|e| e.into_domain(file_name))?;
        summary.skipped = parsed.skipped.iter().map(|s| format!("{}: {}", s.location.vi(), s.reason.vi)).collect();
        if let Some(started) = parsed.scan_started {
            let mut q = Sql::new("UPDATE finding_scans SET scan_started = ");
            q.bind(started.timestamp_millis()).push(" WHERE id = ").bind(target.scan_id);
            w.execute(&q).await?;
        }

        append_duplicate_evidence(&mut w, &target, seen.extra_evidence).await?;
        // Absent findings are closed only in the scopes this report covered (its producer
        // looking at its targets): another tool's, or another image's, findings are not its
        // to judge. A verifier's report verifies; the unit's own says "fixed", to be verified.
        let verifier = actor.can(Action::VerifyFindings, system.owner_unit_id, &system.owner_path);
        let scopes: Vec<&String> = parsed.scopes.iter().collect();
        for chunk in scopes.chunks(500) {
            let mut q = Sql::new("UPDATE findings SET ");
            if verifier {
                q.push("state = 'verified', open = 0, verified_at = ").bind(now);
                q.push(", state_note = 'Không còn trong lần quét mới / absent from a newer scan'");
            } else {
                q.push("state = 'fixed', open = 0, fixed_at = ").bind(now);
                q.push(", state_note = 'Không còn trong lần quét mới của đơn vị, chờ xác minh / absent from the unit''s newer scan, awaiting verification'");
            }
            q.push(", updated_at = ")
                .bind(now)
                .push(" WHERE system_id = ")
                .bind(system_id)
                .push(" AND source = 'scan' AND (last_scan_id IS NULL OR last_scan_id <> ")
                .bind(target.scan_id);
            q.push(if verifier {
                ") AND state IN ('open','in_remediation','fixed')"
            } else {
                ") AND state IN ('open','in_remediation')"
            });
            q.push(" AND scan_scope IN (");
            for (i, scope) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(",");
                }
                q.bind(scope.as_str());
            }
            q.push(")");
            let closed = w.execute(&q).await?;
            summary.closed += i64::try_from(closed).unwrap_or(i64::MAX);
        }
        let mut q = Sql::new("UPDATE finding_scans SET findings = ");
        q.bind(summary.findings).push(", created = ").bind(summary.created);
        q.push(", seen_again = ").bind(summary.seen_again).push(", reopened = ").bind(summary.reopened);
        q.push(", closed = ").bind(summary.closed).push(" WHERE id = ").bind(target.scan_id);
        w.execute(&q).await?;
        // The scan is the system's vulnerability-scan duty done (issue 15.5).
        w.execute(
            &crate::systems::obligations::NewOccurrence::scan(system_id, target.scan_id, detected_at, now).insert(),
        )
        .await?;
        let record = serde_json::json!({"file": file_name, "tool": tool.code(), "system": system.code, "findings": summary.findings, "created": summary.created, "reopened": summary.reopened, "closed": summary.closed});
        w.audit(
            Some(actor),
            Change {
                action: "scan.import",
                entity_type: "finding_scan",
                entity_id: Some(target.scan_id),
                unit_id: Some(target.unit_id),
                before: None,
                after: json(&record),
            },
        )
        .await?;
        w.commit().await?;
        if summary.created > 5_000 {
            self.analyze_table("findings").await?;
        }
        Ok(summary)
    }
}

/// Keys met so far in the file, and the evidence of their repeats waiting to be added.
#[derive(Default)]
struct Seen {
    keys: HashSet<Key>,
    extra_evidence: HashMap<String, String>,
    extra_bytes: usize,
}

impl Seen {
    /// Keeps a repeat's evidence for its finding, within the caps (what is beyond is counted
    /// in the summary, not kept).
    fn keep_evidence(&mut self, key: &str, evidence: &str) {
        if evidence.trim().is_empty() || self.extra_bytes + evidence.len() > MAX_EXTRA_EVIDENCE_TOTAL {
            return;
        }
        let kept = self.extra_evidence.entry(key.to_string()).or_default();
        if kept.len() + evidence.len() <= MAX_EXTRA_EVIDENCE_BYTES {
            kept.push_str("\n---\n");
            kept.push_str(evidence);
            self.extra_bytes += evidence.len();
        }
    }
}

async fn write_batch(
    w: &mut BulkTx<'_>,
    t: &Target,
    batch: Vec<Row>,
    known: &HashMap<Key, Known>,
    seen: &mut Seen,
    summary: &mut ScanImportSummary,
) -> Result<()> {
    let mut fresh: Vec<Row> = Vec::new();
    let mut again = Vec::new();
    let mut reopen = Vec::new();
    for row in batch {
        summary.findings += 1;
        let key = key_bytes(&row.key);
        if !seen.keys.insert(key) {
            summary.duplicates += 1;
            seen.keep_evidence(&row.key, &row.evidence);
            if summary.duplicates_listed.len() < MAX_DUPLICATES_LISTED {
                summary.duplicates_listed.push(DuplicateFinding {
                    key: row.key,
                    rule_id: row.rule_id,
                    title: row.title,
                    location: row.location,
                });
            }
            continue;
        }
        match known.get(&key) {
            Some(k) if k.closed_as_fixed => reopen.push((k.id, row.scope)),
            Some(k) => again.push((k.id, row.scope)),
            None => fresh.push(row),
        }
    }
    summary.created += fresh.len() as i64;
    summary.seen_again += again.len() as i64;
    summary.reopened += reopen.len() as i64;
    if !fresh.is_empty() {
        insert_rows(w, t, &fresh).await?;
    }
    for (mut found, reopening) in [(again, false), (reopen, true)] {
        // One statement per scope: a finding seen again now belongs to the latest producer
        // that reported it.
        found.sort_by(|a, b| a.1.cmp(&b.1));
        for same_scope in found.chunk_by(|a, b| a.1 == b.1) {
            for chunk in same_scope.chunks(500) {
                let mut q = Sql::new("UPDATE findings SET last_scan_id = ");
                q.bind(t.scan_id).push(", updated_at = ").bind(t.detected_at);
                q.push(", scan_scope = ").bind(chunk.first().map(|(_, s)| s.as_str()).unwrap_or_default());
                if reopening {
                    q.push(", state = 'open', open = 1, state_note = 'Xuất hiện lại trong lần quét mới / found again by a newer scan'");
                }
                q.push(" WHERE id IN (");
                for (i, (id, _)) in chunk.iter().enumerate() {
                    if i > 0 {
                        q.push(",");
                    }
                    q.bind(*id);
                }
                q.push(")");
                w.execute(&q).await?;
            }
        }
    }
    Ok(())
}

/// Adds to each kept finding the evidence of its repeats in the file (the findings are all
/// written by now, those first met in this file included).
async fn append_duplicate_evidence(w: &mut BulkTx<'_>, t: &Target, extra: HashMap<String, String>) -> Result<()> {
    for (key, evidence) in extra {
        let mut q = Sql::new("UPDATE findings SET evidence = evidence || ");
        q.bind(evidence).push(" WHERE system_id = ").bind(t.system_id);
        q.push(" AND source = 'scan' AND dedup_key = ").bind(key);
        w.execute(&q).await?;
    }
    Ok(())
}
