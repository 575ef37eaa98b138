//! Files attached to an incident (issue 14.9): logs, screenshots and signed scans, checked by
//! content and hashed; added by those who work on the incident, read by those who see it.

use crate::common::{actor, bootstrap, unit_id, TestDb};
use khien_domain::time::rfc3339;
use khien_store::IncidentInput;

on_both_stores!(incident_files_are_checked_hashed_and_scoped);

async fn incident_files_are_checked_hashed_and_scoped(db: TestDb) {
    bootstrap(&db, true).await;
    let officer = actor(&db, "hongbang.canbo").await;
    let input = IncidentInput {
        unit_id: unit_id(&db, "P-HONG-BANG").await,
        title: "Dò mật khẩu máy chủ thư".into(),
        category: "malware".into(),
        detected_at: rfc3339(db.store.clock().now_ms() - 3_600_000),
        ..Default::default()
    };
    let inc = db.store.create_incident(&officer, &input).await.unwrap();
    let log = "Nov  2 08:01:13 mail sshd[811]: Failed password for root from 185.220.101.47\n";
    let f = db.store.add_incident_file(&officer, inc.id, "auth.log", log.as_bytes()).await.unwrap();
    assert_eq!((f.content_type.as_str(), f.sha256.len()), ("text/plain; charset=utf-8", 64));
    assert!(!f.uploader_name.is_empty() && f.uploader_name != "hongbang.canbo", "the full name: {f:?}");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    db.store.add_incident_file(&officer, inc.id, "man-hinh.png", png).await.unwrap();
    // A program renamed .log, and an empty file: refused, naming the field; nothing written.
    for (name, bytes) in [("nhat-ky.log", &b"MZ\x90\x00\x03\x00"[..]), ("trong.txt", &b""[..])] {
        let e = db.store.add_incident_file(&officer, inc.id, name, bytes).await.unwrap_err();
        assert_eq!(e.field(), Some("file"), "{name}");
    }
    let authority = actor(&db, "pa05.canbo").await;
    let files = db.store.incident_files(&authority, inc.id).await.unwrap();
    assert_eq!(files.iter().map(|f| f.file_name.as_str()).collect::<Vec<_>>(), ["auth.log", "man-hinh.png"]);
    let (meta, bytes) = db.store.incident_file(&authority, f.id).await.unwrap();
    assert_eq!((meta.id, bytes.as_slice()), (f.id, log.as_bytes()));
    // Another ward neither reads nor adds.
    let other = actor(&db, "lechan.canbo").await;
    assert!(matches!(db.store.incident_file(&other, f.id).await, Err(khien_domain::Error::NotFound(_))));
    assert!(db.store.incident_files(&other, inc.id).await.is_err());
    assert!(db.store.add_incident_file(&other, inc.id, "x.log", b"x").await.is_err());
    // The timeline says a file came.
    let detail = db.store.get_incident(&officer, inc.id).await.unwrap();
    assert!(detail.events.iter().any(|e| e.note.contains("auth.log")), "{:?}", detail.events);
}
