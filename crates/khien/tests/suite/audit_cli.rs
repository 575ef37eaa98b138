//! `khien audit verify` catches a hand-edited audit row.

use crate::common::{bootstrap, sqlite};
use std::process::Command;

#[tokio::test]
async fn audit_verify_names_the_edited_record() {
    use sqlx::Connection;
    let db = sqlite().await;
    bootstrap(&db, true).await;
    let bin = env!("CARGO_BIN_EXE_khien");
    let ok = Command::new(bin).args(["audit", "verify", "--database-url", &db.url]).output().unwrap();
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{out}");
    assert!(out.contains("audit chain OK"), "{out}");

    // A hand edit: drop the protecting trigger (as someone with file access could) and change a row.
    let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_update").execute(&mut conn).await.unwrap();
    sqlx::query("UPDATE audit_log SET after_json = '{\"name\":\"giả mạo\"}' WHERE id = 7").execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();

    let bad = Command::new(bin).args(["audit", "verify", "--database-url", &db.url]).output().unwrap();
    let out = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{out}");
    assert!(out.contains("BROKEN at record 7"), "{out}");
}

#[tokio::test]
async fn audit_verify_detects_a_deleted_record() {
    use sqlx::Connection;
    let db = sqlite().await;
    bootstrap(&db, false).await;
    let mut conn = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_delete").execute(&mut conn).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE id = 2").execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let broken = db.store.verify_audit_chain().await.unwrap().unwrap_err();
    assert_eq!(broken.id(), 3, "{broken}");
}
