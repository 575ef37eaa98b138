//! The alerts queue's word search (issue 18.7) matches the rules' folded words ("quy tac" finds
//! "quy tắc") through the table of distinct rules (migration 0059), then reads each matching
//! rule's alerts newest first: the pages of a search are the unfiltered queue's order with the
//! others left out, forwards and back, whether few rules match (one index range each) or many.

use crate::common::{admin_actor, bootstrap, TestDb};
use crate::telemetry::system_with_ranges;
use khien_domain::page::Cursor;
use khien_domain::scope::Actor;
use khien_store::{AlertFilter, Dialect, IngestSource, Store, TelemetryAlert};
use sqlx::Connection;

on_both_stores!(
    rule_words_find_alerts_without_diacritics_page_by_page,
    rules_copied_by_migration_0059_are_folded_when_the_store_opens
);

/// Suricata alerts from 192.168.1.`host`: for each (rule, title, hour, minute).
fn alerts(rows: &[(u32, String, u32, u32)]) -> khien_formats::telemetry::Batch {
    let lines: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, (rule, title, hour, minute))| {
            format!(
                r#"{{"timestamp":"2026-12-07T{hour:02}:{minute:02}:00.000000+0700","event_type":"alert","src_ip":"192.168.1.{}","src_port":32858,"dest_ip":"89.160.20.112","dest_port":80,"proto":"TCP","alert":{{"signature_id":{rule},"signature":"{title}","severity":2}}}}"#,
                10 + i % 200
            )
        })
        .collect();
    let body = lines.join("\n");
    khien_formats::telemetry::parse_batch(&khien_formats::telemetry::read_body(body.as_bytes(), false).unwrap())
}

/// Three "quy tắc" rules with three alerts each (hours apart, so they do not fold), forty port
/// scan rules (more than are read one by one), and one rule that matches neither.
fn city_feed() -> khien_formats::telemetry::Batch {
    let mut rows = Vec::new();
    for rule in 1..=3u32 {
        for hour in [8, 9, 10] {
            rows.push((2_000_000 + rule, format!("ET BENCH quy tắc {rule}"), hour, 10 * rule));
        }
    }
    for n in 0..40u32 {
        rows.push((2_100_000 + n, format!("Dò quét nhiều cổng {n}"), 8 + n % 4, n));
    }
    rows.push((2_200_000, "ET POLICY curl User-Agent Outbound".to_string(), 9, 30));
    alerts(&rows)
}

/// Every page of a search, `limit` at a time, and the cursors that led to them.
async fn all_pages(store: &Store, actor: &Actor, q: &str, limit: i64) -> Vec<(Option<Cursor>, Vec<i64>)> {
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let f = AlertFilter { q: Some(q.to_string()), cursor: cursor.clone(), limit, ..AlertFilter::default() };
        let page = store.list_telemetry_alerts(actor, &f).await.unwrap();
        pages.push((cursor, page.items.iter().map(|a| a.id).collect()));
        match page.next_cursor {
            Some(next) => cursor = Some(Cursor::decode(&next).unwrap()),
            None => return pages,
        }
    }
}

async fn queue(store: &Store, actor: &Actor) -> Vec<TelemetryAlert> {
    let f = AlertFilter { limit: 200, ..AlertFilter::default() };
    store.list_telemetry_alerts(actor, &f).await.unwrap().items
}

/// The demo city with a system over 192.168.1.0/24, and the feed stored by the administrator
/// (who is returned).
async fn city_with_feed(db: &TestDb) -> Actor {
    bootstrap(db, true).await;
    system_with_ranges(db, "P-HONG-BANG", "hongbang.canbo", "HB-SOC", &["192.168.1.0/24"]).await;
    let admin = admin_actor(db).await;
    let source = IngestSource { key: "feed".to_string(), channel: "http" };
    db.store.ingest_telemetry(&admin, &source, &city_feed()).await.unwrap();
    admin
}

async fn rule_words_find_alerts_without_diacritics_page_by_page(db: TestDb) {
    let admin = city_with_feed(&db).await;
    let everything = queue(&db.store, &admin).await;
    assert_eq!(everything.len(), 3 * 3 + 40 + 1);
    let expected =
        |word: &str| -> Vec<i64> { everything.iter().filter(|a| a.title.contains(word)).map(|a| a.id).collect() };

    for (q, word) in [("quy tac", "quy tắc"), ("QUY TẮC", "quy tắc"), ("do quet nhieu", "Dò quét nhiều")] {
        let pages = all_pages(&db.store, &admin, q, 2).await;
        let found: Vec<i64> = pages.iter().flat_map(|(_, ids)| ids.clone()).collect();
        assert_eq!(found, expected(word), "{q}: the queue's order, the others left out");
        // Each page's previous cursor leads back to the page before it.
        for pair in pages.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            let f = AlertFilter { q: Some(q.to_string()), cursor: after.0.clone(), limit: 2, ..AlertFilter::default() };
            let back = db.store.list_telemetry_alerts(&admin, &f).await.unwrap().prev_cursor.unwrap();
            let f = AlertFilter {
                q: Some(q.to_string()),
                cursor: (!back.is_empty()).then(|| Cursor::decode(&back).unwrap()),
                limit: 2,
                ..AlertFilter::default()
            };
            let ids: Vec<i64> =
                db.store.list_telemetry_alerts(&admin, &f).await.unwrap().items.iter().map(|a| a.id).collect();
            assert_eq!(ids, before.1, "{q}: back from a page");
        }
    }
    // Words of one rule, of its number, or of none.
    let one = all_pages(&db.store, &admin, "tắc 3", 50).await;
    assert_eq!(one[0].1, expected("quy tắc 3"));
    let by_number = all_pages(&db.store, &admin, "2000002", 50).await;
    assert_eq!(by_number[0].1, expected("quy tắc 2"));
    assert!(all_pages(&db.store, &admin, "không có quy tắc này", 50).await[0].1.is_empty());
    // With the other filters: high severity only finds none of these (all are severity 2).
    let f = AlertFilter { q: Some("quy tac".to_string()), min_severity: Some(3), limit: 50, ..AlertFilter::default() };
    assert!(db.store.list_telemetry_alerts(&admin, &f).await.unwrap().items.is_empty());
}

async fn rules_copied_by_migration_0059_are_folded_when_the_store_opens(db: TestDb) {
    let admin = city_with_feed(&db).await;

    // The alerts as stored before migration 0059, and the migration's copy of their rules.
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    sqlx::query("DELETE FROM telemetry_rules").execute(&mut conn).await.unwrap();
    let migration = match db.store.dialect() {
        Dialect::Sqlite => include_str!("../../../store/migrations/sqlite/0059_telemetry_rules.sql"),
        Dialect::Postgres => include_str!("../../../store/migrations/postgres/0059_telemetry_rules.sql"),
    };
    let copy = migration.lines().find(|l| l.starts_with("INSERT INTO telemetry_rules")).unwrap();
    sqlx::query(copy).execute(&mut conn).await.unwrap();
    let unfolded: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM telemetry_rules WHERE search IS NULL").fetch_one(&mut conn).await.unwrap(),
        0,
    );
    assert_eq!(unfolded, 3 + 40 + 1);

    let reopened = Store::open(&db.url).await.unwrap();
    let pages = all_pages(&reopened, &admin, "quy tac", 50).await;
    assert_eq!(pages[0].1.len(), 9);
}
