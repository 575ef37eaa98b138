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
    sqlx::query("UPDATE audit_log SET after_json = '{\"name\":\"giả mạo\"}' WHERE id = 7")
        .execute(&mut conn)
        .await
        .unwrap();
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
    let broken = db.store.maintenance().verify_audit_chain().await.unwrap().unwrap_err();
    assert_eq!(broken.id(), 3, "{broken}");
}

#[tokio::test]
async fn console_password_reset_unlocks_and_is_audited() {
    use std::io::Write;
    let db = sqlite().await;
    bootstrap(&db, false).await;
    for _ in 0..5 {
        let _ = db.store.login("admin", "wrong").await;
    }
    let bin = env!("CARGO_BIN_EXE_khien");
    let mut child = Command::new(bin)
        .args(["users", "set-password", "admin", "--database-url", &db.url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"Mat-khau-moi-2026\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(db.store.login("admin", "Mat-khau-moi-2026").await.is_ok(), "unlocked with the new password");
    assert!(db.store.maintenance().verify_audit_chain().await.unwrap().is_ok());
    let weak = Command::new(bin)
        .args(["users", "set-password", "admin", "--database-url", &db.url])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(weak.status.code(), Some(2), "an empty password is refused");
}
