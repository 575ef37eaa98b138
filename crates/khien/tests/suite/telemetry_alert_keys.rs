//! Alerts' de-duplication keys begin with their hour (session 15; migration 0058): a key stored
//! in the earlier order (sender first, hour last) is rewritten by the migration, so a late event
//! of the same sender, rule, asset and hour still folds into its alert instead of opening a
//! second one.

use crate::common::{admin_actor, bootstrap, TestDb};
use crate::telemetry::system_with_ranges;
use khien_store::{Dialect, IngestSource};
use sqlx::Connection;

on_both_stores!(an_alert_under_the_earlier_key_still_folds_after_migration_0058);

/// One Suricata alert from 192.168.1.146 at 08:`minute` on 2026-12-07 (Vietnam's time).
fn alert_at(minute: u32) -> khien_formats::telemetry::Batch {
    let line = format!(
        r#"{{"timestamp":"2026-12-07T08:{minute:02}:00.000000+0700","event_type":"alert","src_ip":"192.168.1.146","src_port":32858,"dest_ip":"89.160.20.112","dest_port":80,"proto":"TCP","alert":{{"signature_id":2013028,"signature":"ET POLICY curl User-Agent Outbound","severity":2}}}}"#
    );
    khien_formats::telemetry::parse_batch(&khien_formats::telemetry::read_body(line.as_bytes(), false).unwrap())
}

async fn an_alert_under_the_earlier_key_still_folds_after_migration_0058(db: TestDb) {
    bootstrap(&db, true).await;
    system_with_ranges(&db, "P-HONG-BANG", "hongbang.canbo", "HB-SOC", &["192.168.1.0/24"]).await;
    let admin = admin_actor(&db).await;
    let source = |key: &str| IngestSource { key: key.to_string(), channel: "http" };
    db.store.ingest_telemetry(&admin, &source("first"), &alert_at(10)).await.unwrap();
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let key: String =
        sqlx::Row::get(&sqlx::query("SELECT dedup_key FROM telemetry_alerts").fetch_one(&mut conn).await.unwrap(), 0);
    let (hour, rest) = key.split_once('|').unwrap();
    assert!(hour.len() == 10 && hour.bytes().all(|b| b.is_ascii_digit()), "the hour comes first: {key}");

    // The key as stored before migration 0058, then the migration run over it.
    let earlier = format!("{rest}|{hour}");
    sqlx::query("UPDATE telemetry_alerts SET dedup_key = $1").bind(&earlier).execute(&mut conn).await.unwrap();
    let migration = match db.store.dialect() {
        Dialect::Sqlite => include_str!("../../../store/migrations/sqlite/0058_alert_keys_by_hour.sql"),
        Dialect::Postgres => include_str!("../../../store/migrations/postgres/0058_alert_keys_by_hour.sql"),
    };
    sqlx::raw_sql(migration).execute(&mut conn).await.unwrap();

    // A later event of the same hour folds into the alert.
    db.store.ingest_telemetry(&admin, &source("late"), &alert_at(40)).await.unwrap();
    let counts: Vec<(String, i64)> = sqlx::query("SELECT dedup_key, event_count FROM telemetry_alerts")
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| (sqlx::Row::get(r, 0), sqlx::Row::get(r, 1)))
        .collect();
    assert_eq!(counts, vec![(key, 2)]);
}
