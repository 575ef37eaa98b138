//! The CVE filter is an index look-up (`finding_cves`) on both stores and answers the same on
//! both: what the findings' own CVE lists say, after an import, a re-import and a newer scan.
//! On PostgreSQL the import writes through the typed connection (`UNNEST`), and a file that
//! fails midway — after batches were written — still leaves nothing behind.

use crate::common::{actor, bootstrap, postgres, sqlite, unit_id, TestDb};
use khien_domain::scope::Actor;
use khien_formats::scan::{synthetic_nessus, ScanTool};
use khien_store::{Finding, FindingFilter, FindingMoveInput, SystemInput};
use std::collections::BTreeSet;

on_both_stores!(a_failed_import_leaves_no_finding_and_no_cve);

fn reader(bytes: Vec<u8>) -> Box<dyn std::io::BufRead + Send> {
    Box::new(std::io::Cursor::new(bytes))
}

/// A finding as both stores name it (ids differ between them).
type Key = (String, String, String, Option<String>, Option<i64>, Vec<String>);

fn key(f: &Finding) -> Key {
    (f.system_code.clone(), f.rule_id.clone(), f.title.clone(), f.host.clone(), f.port, f.cves.clone())
}

/// Every page of a list.
async fn all(db: &TestDb, who: &Actor, filter: FindingFilter) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut f = FindingFilter { limit: 200, ..filter };
    loop {
        let page = db.store.list_findings(who, &f).await.unwrap();
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => f.cursor = Some(khien_domain::page::Cursor::decode(&c).unwrap()),
            None => return out,
        }
    }
}

async fn new_system(db: &TestDb, who: &Actor, code: &str) -> i64 {
    let input = SystemInput {
        code: code.into(),
        name: format!("Hệ thống {code}"),
        owner_unit_id: unit_id(db, "P-HONG-BANG").await,
        system_type: "internal".into(),
        ..Default::default()
    };
    db.store.create_system(who, &input).await.unwrap().id
}

/// What the filter answers for each query, checked against the findings' own CVE lists.
async fn answers(db: &TestDb, who: &Actor, queries: &[String]) -> Vec<BTreeSet<Key>> {
    let every = all(db, who, FindingFilter { include_closed: true, ..Default::default() }).await;
    let mut out = Vec::new();
    for query in queries {
        for include_closed in [false, true] {
            let filter = FindingFilter { cve: Some(query.clone()), include_closed, ..Default::default() };
            let found: BTreeSet<Key> = all(db, who, filter).await.iter().map(key).collect();
            let wanted = query.trim().to_ascii_uppercase();
            let wanted = if wanted.starts_with("CVE-") { wanted } else { format!("CVE-{wanted}") };
            let whole = wanted.matches('-').count() == 2 && wanted.len() >= 13;
            let truth: BTreeSet<Key> = every
                .iter()
                .filter(|f| {
                    include_closed || !matches!(f.state.code(), "verified" | "risk_accepted" | "false_positive")
                })
                .filter(|f| f.cves.iter().any(|c| if whole { *c == wanted } else { c.starts_with(&wanted) }))
                .map(key)
                .collect();
            assert_eq!(found, truth, "{query} (closed too: {include_closed}) on {:?}", db.store.dialect());
            out.push(found);
        }
    }
    out
}

#[tokio::test]
async fn the_cve_filter_answers_the_same_on_both_stores() {
    let (lite, pg) = (sqlite().await, postgres().await);
    let mut queries: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for db in [&lite, &pg] {
        bootstrap(db, true).await;
        let officer = actor(db, "hongbang.quanly").await;
        let authority = actor(db, "pa05.truong").await;
        let system = new_system(db, &officer, "HB-CVE").await;
        // 1,440 findings: several batches, so the typed path writes more than once.
        let file = synthetic_nessus(6, 240, 11);
        let first = db.store.import_scan(&officer, system, ScanTool::Nessus, "a.nessus", reader(file.clone())).await;
        assert!(first.unwrap().created > 1_000);
        if queries.is_empty() {
            let listed = all(db, &officer, FindingFilter { system_id: Some(system), ..Default::default() }).await;
            let ids: Vec<&String> = listed.iter().flat_map(|f| &f.cves).collect();
            assert!(ids.len() > 1_000, "the synthetic report names CVEs");
            queries = vec![
                ids[0].clone(),
                ids[ids.len() / 2].to_lowercase(),
                ids[ids.len() - 1].trim_start_matches("CVE-").to_string(),
                "CVE-2021".into(),
                "cve-2019-1".into(),
                "CVE-1999-0001".into(),
                "openssl".into(),
            ];
        }
        let after_import = answers(db, &officer, &queries).await;
        assert!(!after_import[0].is_empty() && !after_import[6].is_empty(), "an id and a year find something");

        // The same file again (seen again), then a newer scan of another report: new findings
        // with their CVEs, the absent ones closed; one finding verified, which hides it.
        db.store.import_scan(&officer, system, ScanTool::Nessus, "a.nessus", reader(file)).await.unwrap();
        let newer = db.store.import_scan(
            &authority,
            system,
            ScanTool::Nessus,
            "b.nessus",
            reader(synthetic_nessus(6, 240, 12)),
        );
        let newer = newer.await.unwrap();
        assert!(newer.created > 0 && newer.closed > 0, "{newer:?}");
        let open = all(db, &officer, FindingFilter { cve: Some(queries[0].clone()), ..Default::default() }).await;
        if let Some(f) = open.first() {
            let to = |s: &str| FindingMoveInput { to: s.into(), reason: None, accepted_until: None };
            db.store.move_finding(&officer, f.id, &to("in_remediation")).await.unwrap();
            db.store.move_finding(&officer, f.id, &to("fixed")).await.unwrap();
            db.store.move_finding(&authority, f.id, &to("verified")).await.unwrap();
        }
        let after_changes = answers(db, &officer, &queries).await;
        seen.push((after_import, after_changes));
    }
    assert_eq!(seen[0], seen[1], "SQLite and PostgreSQL answer the CVE filter alike");
}

/// A report that breaks after more than a thousand findings were written leaves no finding,
/// no CVE row, no scan and no audit record — on PostgreSQL through the typed transaction.
async fn a_failed_import_leaves_no_finding_and_no_cve(db: TestDb) {
    use sqlx::{Connection, Row};
    bootstrap(&db, true).await;
    let officer = actor(&db, "hongbang.quanly").await;
    let system = new_system(&db, &officer, "HB-GAY").await;
    let mut cut = synthetic_nessus(4, 500, 5);
    cut.truncate(cut.len() * 9 / 10);
    let e = db.store.import_scan(&officer, system, ScanTool::Nessus, "gay.nessus", reader(cut)).await.unwrap_err();
    assert!(e.message(khien_domain::Lang::En).contains("gay.nessus"), "{e:?}");
    assert!(all(&db, &officer, FindingFilter { system_id: Some(system), include_closed: true, ..Default::default() })
        .await
        .is_empty());
    assert!(all(
        &db,
        &officer,
        FindingFilter { cve: Some("CVE-20".into()), system_id: Some(system), ..Default::default() }
    )
    .await
    .is_empty());
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    for (what, sql) in [
        ("findings", format!("SELECT COUNT(*) AS n FROM findings WHERE system_id = {system}")),
        ("CVE rows", format!("SELECT COUNT(*) AS n FROM finding_cves c JOIN findings f ON f.id = c.finding_id WHERE f.system_id = {system}")),
        ("scans", format!("SELECT COUNT(*) AS n FROM finding_scans WHERE system_id = {system}")),
        ("audit records", "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'scan.import'".to_string()),
    ] {
        let n: i64 = sqlx::query(&sql).fetch_one(&mut conn).await.unwrap().get("n");
        assert_eq!(n, 0, "{what} left by a failed import on {:?}", db.store.dialect());
    }
    // The whole file then imports, and its audit record chains on.
    let whole = synthetic_nessus(4, 500, 5);
    let ok = db.store.import_scan(&officer, system, ScanTool::Nessus, "du.nessus", reader(whole)).await.unwrap();
    assert!(ok.created > 1_000);
    let cves: i64 = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM finding_cves c JOIN findings f ON f.id = c.finding_id WHERE f.system_id = {system}"
    ))
    .fetch_one(&mut conn)
    .await
    .unwrap()
    .get("n");
    let listed = all(&db, &officer, FindingFilter { system_id: Some(system), ..Default::default() }).await;
    assert_eq!(cves as usize, listed.iter().map(|f| f.cves.len()).sum::<usize>(), "one row per CVE of each finding");
    let audit = db.store.maintenance().verify_audit_chain().await.unwrap();
    assert!(audit.is_ok(), "{audit:?}");
}
