//! Writing a scanner import's new findings, with one row per CVE in `finding_cves` (the CVE
//! filter's index). The one place the SQL differs per engine (see `crate::bulk`): SQLite takes
//! multi-row INSERTs with anonymous `?` bind parameters inside the shared write transaction;
//! PostgreSQL takes the whole batch as arrays through `UNNEST`, findings and their CVEs in one
//! statement, on the typed connection. Same rows either way.

use crate::bulk::BulkTx;
use crate::compliance::scan_import::{Row, Target};
use crate::db::{db_err, get};
use khien_domain::Result;

/// Rows per INSERT statement on SQLite (28 parameters each).
const ROWS_PER_INSERT: usize = 128;
/// CVE rows per INSERT on SQLite (2 parameters each).
const CVES_PER_INSERT: usize = 256;

/// A finding's CVE ids as stored: trimmed, upper case, each once, sorted, joined by commas. The
/// parsers already give them so; `finding_cves` holds exactly the parts of this text.
pub(crate) fn cve_list(cves: &[String]) -> String {
    let mut ids: Vec<String> =
        cves.iter().map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty() && !c.contains(',')).collect();
    ids.sort();
    ids.dedup();
    ids.join(",")
}

pub(super) async fn insert_rows(w: &mut BulkTx<'_>, t: &Target, rows: &[Row]) -> Result<()> {
    match w {
        BulkTx::Shared(w) => {
            for chunk in rows.chunks(ROWS_PER_INSERT) {
                insert_shared(w, t, chunk).await?;
            }
            Ok(())
        }
        BulkTx::Pg { tx, .. } => insert_pg(tx, t, rows).await,
    }
}

const COLUMNS: [&str; 28] = [
    "unit_id",
    "system_id",
    "source",
    "tool",
    "dedup_key",
    "rule_id",
    "title",
    "search_folded",
    "severity",
    "cvss_x10",
    "host",
    "port",
    "protocol",
    "component",
    "cves",
    "cwes",
    "description",
    "solution",
    "evidence",
    "reference_urls",
    "state",
    "open",
    "detected_at",
    "due_at",
    "last_scan_id",
    "created_at",
    "updated_at",
    "scan_scope",
];

/// `n` rows of `cols` anonymous bind parameters. The same text for every full batch, so each
/// connection prepares it once; sqlx-sqlite looks every numbered parameter up by name, which
/// costs the square of their number in one statement.
fn values(n: usize, cols: usize) -> String {
    let row = format!("({})", vec!["?"; cols].join(","));
    vec![row; n].join(",")
}

/// SQLite: one multi-row INSERT of findings returning their ids, then their CVEs.
async fn insert_shared(w: &mut crate::db::WriteTx<'_>, t: &Target, rows: &[Row]) -> Result<()> {
    let sql =
        format!("INSERT INTO findings ({}) VALUES {} RETURNING id, cves", COLUMNS.join(", "), values(rows.len(), 28));
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(t.unit_id)
            .bind(t.system_id)
            .bind("scan")
            .bind(t.tool.code())
            .bind(r.key.as_str())
            .bind(r.rule_id.as_str())
            .bind(r.title.as_str())
            .bind(r.folded.as_str())
            .bind(r.severity)
            .bind(r.cvss)
            .bind(r.host.as_deref())
            .bind(r.port)
            .bind(r.protocol.as_deref())
            .bind(r.component.as_deref())
            .bind(r.cves.as_str())
            .bind(r.cwes.as_str())
            .bind(r.description.as_str())
            .bind(r.solution.as_str())
            .bind(r.evidence.as_str())
            .bind(r.references.as_str())
            .bind("open")
            .bind(1_i64)
            .bind(t.detected_at)
            .bind(r.due)
            .bind(t.scan_id)
            .bind(t.detected_at)
            .bind(t.detected_at)
            .bind(r.scope.as_str());
    }
    let written = q.fetch_all(&mut *w.tx).await.map_err(db_err)?;
    let mut cves: Vec<(i64, String)> = Vec::new();
    for r in &written {
        let id: i64 = get(r, "id")?;
        let list: String = get(r, "cves")?;
        cves.extend(list.split(',').filter(|c| !c.is_empty()).map(|c| (id, c.to_string())));
    }
    for chunk in cves.chunks(CVES_PER_INSERT) {
        let sql = format!("INSERT INTO finding_cves (finding_id, cve) VALUES {}", values(chunk.len(), 2));
        let mut q = sqlx::query(&sql);
        for (id, cve) in chunk {
            q = q.bind(*id).bind(cve.as_str());
        }
        q.execute(&mut *w.tx).await.map_err(db_err)?;
    }
    Ok(())
}

/// PostgreSQL: the batch as one array per column, findings and their CVEs in one statement.
const INSERT_PG: &str = "WITH ins AS (
    INSERT INTO findings (unit_id, system_id, source, tool, state, open, detected_at, last_scan_id, created_at, updated_at,
        dedup_key, rule_id, title, search_folded, severity, cvss_x10, host, port, protocol, component, cves, cwes,
        description, solution, evidence, reference_urls, due_at, scan_scope)
    SELECT $1, $2, 'scan', $3, 'open', 1, $4, $5, $4, $4, u.*
    FROM UNNEST($6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int8[], $12::text[], $13::int8[],
        $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[],
        $22::int8[], $23::text[]) AS u
    RETURNING id, cves
)
INSERT INTO finding_cves (finding_id, cve)
SELECT ins.id, c FROM ins, unnest(string_to_array(ins.cves, ',')) AS c WHERE ins.cves <> ''";

async fn insert_pg(tx: &mut sqlx::Transaction<'static, sqlx::Postgres>, t: &Target, rows: &[Row]) -> Result<()> {
    fn col<'a, T>(rows: &'a [Row], f: impl Fn(&'a Row) -> T) -> Vec<T> {
        rows.iter().map(f).collect()
    }
    sqlx::query(INSERT_PG)
        .bind(t.unit_id)
        .bind(t.system_id)
        .bind(t.tool.code())
        .bind(t.detected_at)
        .bind(t.scan_id)
        .bind(col(rows, |r| r.key.as_str()))
        .bind(col(rows, |r| r.rule_id.as_str()))
        .bind(col(rows, |r| r.title.as_str()))
        .bind(col(rows, |r| r.folded.as_str()))
        .bind(col(rows, |r| r.severity))
        .bind(col(rows, |r| r.cvss))
        .bind(col(rows, |r| r.host.as_deref()))
        .bind(col(rows, |r| r.port))
        .bind(col(rows, |r| r.protocol.as_deref()))
        .bind(col(rows, |r| r.component.as_deref()))
        .bind(col(rows, |r| r.cves.as_str()))
        .bind(col(rows, |r| r.cwes.as_str()))
        .bind(col(rows, |r| r.description.as_str()))
        .bind(col(rows, |r| r.solution.as_str()))
        .bind(col(rows, |r| r.evidence.as_str()))
        .bind(col(rows, |r| r.references.as_str()))
        .bind(col(rows, |r| r.due))
        .bind(col(rows, |r| r.scope.as_str()))
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cve_lists_are_stored_the_same_way_whatever_the_parser_gave() {
        let given = ["cve-2021-44228 ", "CVE-2014-0224", "", "CVE-2021-44228", "a,b"].map(String::from);
        assert_eq!(cve_list(&given), "CVE-2014-0224,CVE-2021-44228");
        assert_eq!(cve_list(&[]), "");
        assert_eq!(values(2, 3), "(?,?,?),(?,?,?)");
    }
}
