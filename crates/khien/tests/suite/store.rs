//! One behavioural suite for the store, run against SQLite and a real PostgreSQL server.

use crate::common::{actor, admin_actor, bootstrap, unit_id, TestDb};
use chrono::TimeDelta;
use khien_domain::role::Role;
use khien_domain::unit::UnitType;
use khien_domain::{Error, FixedTime};
use khien_store::{ImportUnit, NewUnit, NewUser, UnitFilter, UnitPatch, UserFilter};

on_both_stores!(
    migrations_are_idempotent,
    folded_search_finds_vietnamese,
    pagination_walks_every_row_once,
    moves_refuse_cycles_and_rewrite_paths,
    duplicate_codes_conflict,
    scope_limits_reads_and_writes,
    lockout_after_failed_logins,
    password_change_revokes_sessions_and_tokens,
    tokens_expire_and_revoke,
    audit_is_append_only_and_verifies,
    import_is_all_or_nothing,
);

on_both_stores!(fixed_clock: sessions_tokens_and_lockouts_end_on_the_clock);

fn unit(code: &str, name: &str, parent_id: i64) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        unit_type: UnitType::Department,
        parent_id,
        head_name: None,
        focal_name: None,
        focal_phone: None,
        focal_email: None,
    }
}

async fn migrations_are_idempotent(db: TestDb) {
    bootstrap(&db, false).await;
    let again = khien_store::Store::open(&db.url).await.unwrap();
    assert_eq!(again.unit_count().await.unwrap(), 1, "a second start keeps the data");
    // A second bootstrap creates nothing.
    let b = khien::bootstrap::ensure_root_and_admin(&again, false, None).await.unwrap();
    assert!(!b.created);
    assert_eq!(again.user_count().await.unwrap(), 1);
}

async fn folded_search_finds_vietnamese(db: TestDb) {
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap();
    db.store.create_unit(&admin, &unit("DN", "Sở Du lịch Đà Nẵng", root.id)).await.unwrap();
    db.store.create_unit(&admin, &unit("MD", "Phòng chống mã độc", root.id)).await.unwrap();
    db.store.create_unit(&admin, &unit("HN", "Sở Y tế Hà Nội", root.id)).await.unwrap();
    for (term, expect) in [("da nang", "DN"), ("ĐÀ NẴNG", "DN"), ("ma doc", "MD"), ("Mã Độc", "MD"), ("ha noi", "HN")]
    {
        let page = db
            .store
            .list_units(&admin, &UnitFilter { q: Some(term.into()), limit: 10, sort: "code", ..Default::default() })
            .await
            .unwrap();
        let codes: Vec<_> = page.items.iter().map(|u| u.code.as_str()).collect();
        assert_eq!(codes, vec![expect], "search {term:?}");
    }
    let n = NewUser {
        username: "dang.duc".into(),
        full_name: "Đặng Đức Đạt".into(),
        email: None,
        unit_id: root.id,
        password: "Mat-khau-2026".into(),
    };
    db.store.create_user(&admin, &n).await.unwrap();
    let users = db
        .store
        .list_users(
            &admin,
            &UserFilter { q: Some("dang duc dat".into()), limit: 10, sort: "username", ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(users.items.len(), 1);
    // LIKE wildcards typed by the user are literals.
    let none = db
        .store
        .list_units(&admin, &UnitFilter { q: Some("%".into()), limit: 10, sort: "code", ..Default::default() })
        .await
        .unwrap();
    assert!(none.items.is_empty());
}

async fn pagination_walks_every_row_once(db: TestDb) {
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap();
    for i in 0..23 {
        // Repeated names make the id tie-breaker matter.
        db.store.create_unit(&admin, &unit(&format!("C{i:02}"), &format!("Phường {}", i % 4), root.id)).await.unwrap();
    }
    for (sort, dir) in [("code", None), ("name", None), ("name", Some(khien_domain::page::Dir::Desc))] {
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let f = UnitFilter { sort, dir, cursor: cursor.clone(), limit: 5, ..Default::default() };
            let page = db.store.list_units(&admin, &f).await.unwrap();
            seen.extend(page.items.iter().map(|u| u.id));
            match page.next_cursor {
                Some(c) => cursor = Some(khien_domain::page::Cursor::decode(&c).unwrap()),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(seen.len(), 24, "sort {sort} {dir:?}");
        assert_eq!(unique.len(), 24);
    }
}

async fn moves_refuse_cycles_and_rewrite_paths(db: TestDb) {
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap();
    let a = db.store.create_unit(&admin, &unit("A", "A", root.id)).await.unwrap();
    let b = db.store.create_unit(&admin, &unit("B", "B", a.id)).await.unwrap();
    let c = db.store.create_unit(&admin, &unit("C", "C", b.id)).await.unwrap();
    let err = db.store.move_unit(&admin, a.id, c.id).await.unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    assert!(db.store.move_unit(&admin, a.id, a.id).await.is_err());
    let moved = db.store.move_unit(&admin, b.id, root.id).await.unwrap();
    assert_eq!(moved.parent_id, Some(root.id));
    let c2 = db.store.get_unit(&admin, c.id).await.unwrap();
    assert_eq!(c2.path, format!("{}{}/{}/", root.path, b.id, c.id), "the subtree moved with it");
    // Deactivating a unit with active children is refused; leaves can be deactivated.
    assert!(matches!(db.store.set_unit_active(&admin, b.id, false).await, Err(Error::Conflict(_))));
    assert!(!db.store.set_unit_active(&admin, c.id, false).await.unwrap().active);
}

async fn duplicate_codes_conflict(db: TestDb) {
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap();
    db.store.create_unit(&admin, &unit("SO-YT", "Sở Y tế", root.id)).await.unwrap();
    let before = db.store.audit_count().await.unwrap();
    let err = db.store.create_unit(&admin, &unit("SO-YT", "Khác", root.id)).await.unwrap_err();
    assert!(matches!(err, Error::Conflict(_)));
    assert!(err.message(khien_domain::Lang::Vi).contains("SO-YT"));
    assert_eq!(db.store.audit_count().await.unwrap(), before, "nothing changed");
    let n = NewUser {
        username: "admin".into(),
        full_name: "X".into(),
        email: None,
        unit_id: root.id,
        password: "Mat-khau-2026".into(),
    };
    assert!(matches!(db.store.create_user(&admin, &n).await, Err(Error::Conflict(_))));
}

async fn scope_limits_reads_and_writes(db: TestDb) {
    bootstrap(&db, true).await;
    let officer = actor(&db, "sokhcn.quanly").await;
    let own = unit_id(&db, "SO-KHCN").await;
    let other = unit_id(&db, "SO-YT").await;
    let visible = db.store.unit_tree(&officer).await.unwrap();
    assert_eq!(visible.iter().map(|u| u.id).collect::<Vec<_>>(), vec![own]);
    assert!(matches!(db.store.get_unit(&officer, other).await, Err(Error::NotFound(_))));
    let patch = UnitPatch { name: Some("Đổi tên".into()), ..Default::default() };
    assert!(matches!(db.store.update_unit(&officer, other, &patch).await, Err(Error::NotFound(_))));
    assert!(db
        .store
        .update_unit(&officer, own, &UnitPatch { head_name: Some("Nguyễn Văn Mới".into()), ..Default::default() })
        .await
        .is_ok());
    let users = db
        .store
        .list_users(&officer, &UserFilter { limit: 500, sort: "username", ..Default::default() })
        .await
        .unwrap();
    assert!(users.items.iter().all(|u| u.unit_id == own), "only users of SO-KHCN");
    // A unit manager cannot grant administrator, not even on their own unit.
    let canbo = db.store.maintenance().user_id_by_username("sokhcn.canbo").await.unwrap().unwrap();
    assert!(matches!(
        db.store.grant_role(&officer, canbo, Role::Administrator, own, true).await,
        Err(Error::Forbidden(_))
    ));
    // The recursive authority officer sees the whole city.
    let pa05 = actor(&db, "pa05.truong").await;
    assert!(db.store.unit_tree(&pa05).await.unwrap().len() > 150);
}

async fn lockout_after_failed_logins(db: TestDb) {
    bootstrap(&db, false).await;
    for _ in 0..4 {
        assert!(matches!(db.store.login("admin", "wrong").await, Err(Error::Unauthenticated(_))));
    }
    let locked = db.store.login("admin", "wrong").await.unwrap_err();
    assert!(matches!(locked, Error::TooMany { .. }), "{locked:?}");
    assert!(locked.message(khien_domain::Lang::Vi).contains("tạm khóa"));
    // Even the right password is refused while locked.
    assert!(matches!(db.store.login("admin", crate::common::ADMIN_PASSWORD).await, Err(Error::TooMany { .. })));
    assert!(matches!(db.store.login("nobody", "x").await, Err(Error::Unauthenticated(_))));
}

async fn password_change_revokes_sessions_and_tokens(db: TestDb) {
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap();
    let s1 = db.store.login("admin", crate::common::ADMIN_PASSWORD).await.unwrap();
    let s2 = db.store.login("admin", crate::common::ADMIN_PASSWORD).await.unwrap();
    assert_ne!(s1.session_token, s2.session_token, "a new session id on each login");
    let (secret, _) = db.store.create_token(&admin, "SIEM", Role::Administrator, root.id, 30).await.unwrap();
    assert!(db.store.token_actor(&secret).await.unwrap().is_some());
    db.store.change_own_password(&admin, crate::common::ADMIN_PASSWORD, "Mat-khau-moi-2026").await.unwrap();
    assert!(db.store.session(&s1.session_token).await.unwrap().is_none());
    assert!(db.store.session(&s2.session_token).await.unwrap().is_none());
    assert!(db.store.token_actor(&secret).await.unwrap().is_none());
    assert!(db.store.login("admin", "Mat-khau-moi-2026").await.is_ok());
}

async fn tokens_expire_and_revoke(db: TestDb) {
    bootstrap(&db, true).await;
    let pa05 = actor(&db, "pa05.truong").await;
    let ward = unit_id(&db, "P-HONG-BANG").await;
    let (secret, token) = db.store.create_token(&pa05, "Cảm biến", Role::AuthorityOfficer, ward, 1).await.unwrap();
    let t = db.store.token_actor(&secret).await.unwrap().unwrap();
    assert_eq!(t.grants.len(), 1);
    assert_eq!(t.grants[0].unit_id, ward, "the token is limited to its unit");
    assert!(db.store.token_actor("khien_not-a-token").await.unwrap().is_none());
    // Only holders of a role may issue tokens with it.
    assert!(matches!(db.store.create_token(&pa05, "x", Role::Administrator, ward, 1).await, Err(Error::Forbidden(_))));
    let officer = actor(&db, "sokhcn.quanly").await;
    assert!(db.store.revoke_token(&officer, token.id).await.is_err(), "another unit cannot revoke it");
    db.store.revoke_token(&pa05, token.id).await.unwrap();
    assert!(db.store.token_actor(&secret).await.unwrap().is_none());
}

/// Session idleness and lifetime, token expiry and the login lockout, as the store's clock moves.
async fn sessions_tokens_and_lockouts_end_on_the_clock(db: TestDb, time: FixedTime) {
    use khien_domain::user::{LOCKOUT_MS, SESSION_IDLE_MS, SESSION_MAX_MS};
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap();
    let password = crate::common::ADMIN_PASSWORD;
    // A session used within 8 hours lives on; left idle for 8 hours, it ends.
    let idle = TimeDelta::milliseconds(SESSION_IDLE_MS);
    let s = db.store.login("admin", password).await.unwrap().session_token;
    for _ in 0..2 {
        time.advance(idle - TimeDelta::minutes(1));
        assert!(db.store.session(&s).await.unwrap().is_some(), "used within 8 hours");
    }
    time.advance(idle);
    assert!(db.store.session(&s).await.unwrap().is_none(), "idle for 8 hours");
    // However often it is used, a session ends 7 days after sign-in.
    let s = db.store.login("admin", password).await.unwrap().session_token;
    let (step, max) = (TimeDelta::hours(4), TimeDelta::milliseconds(SESSION_MAX_MS));
    let mut used = TimeDelta::zero();
    while used + step < max {
        time.advance(step);
        used += step;
        assert!(db.store.session(&s).await.unwrap().is_some(), "{} hours after sign-in", used.num_hours());
    }
    time.advance(step);
    assert!(db.store.session(&s).await.unwrap().is_none(), "7 days after sign-in");
    // A token issued for one day.
    let (secret, _) = db.store.create_token(&admin, "SIEM", Role::Administrator, root.id, 1).await.unwrap();
    time.advance(TimeDelta::hours(23));
    assert!(db.store.token_actor(&secret).await.unwrap().is_some());
    time.advance(TimeDelta::hours(1));
    assert!(db.store.token_actor(&secret).await.unwrap().is_none(), "expired after its day");
    // Five failures lock the account for 15 minutes; then the right password works again.
    for _ in 0..5 {
        assert!(db.store.login("admin", "wrong").await.is_err());
    }
    time.advance(TimeDelta::milliseconds(LOCKOUT_MS) - TimeDelta::seconds(1));
    assert!(matches!(db.store.login("admin", password).await, Err(Error::TooMany { .. })));
    time.advance(TimeDelta::seconds(1));
    assert!(db.store.login("admin", password).await.is_ok());
}

async fn audit_is_append_only_and_verifies(db: TestDb) {
    use sqlx::Connection;
    bootstrap(&db, true).await;
    let n = db.store.maintenance().verify_audit_chain().await.unwrap().unwrap();
    assert!(n > 100, "every demo change is audited ({n})");
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    for sql in ["UPDATE audit_log SET actor_label = 'x' WHERE id = 1", "DELETE FROM audit_log WHERE id = 2"] {
        let err = sqlx::query(sql).execute(&mut conn).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(db.store.maintenance().verify_audit_chain().await.unwrap().unwrap(), n);
    // Audit rows are scoped too: a ward manager sees only its own unit's records.
    let ward = actor(&db, "hongbang.quanly").await;
    let ward_id = unit_id(&db, "P-HONG-BANG").await;
    let page =
        db.store.list_audit(&ward, &khien_store::AuditFilter { limit: 500, ..Default::default() }).await.unwrap();
    assert!(!page.items.is_empty());
    assert!(page.items.iter().all(|a| a.unit_id == Some(ward_id)));
}

async fn import_is_all_or_nothing(db: TestDb) {
    bootstrap(&db, false).await;
    let admin = admin_actor(&db).await;
    let root = db.store.root_unit().await.unwrap().unwrap();
    let row = |code: &str, parent: Option<&str>, t: &str| ImportUnit {
        code: code.into(),
        name: format!("Phường {code}"),
        unit_type: t.into(),
        parent_code: parent.map(Into::into),
        head_name: None,
        focal_name: None,
        focal_phone: None,
        focal_email: None,
    };
    let bad = vec![row("W1", None, "ward"), row("W2", Some("W1"), "ward"), row("W3", Some("NOPE"), "ward")];
    let err = db.store.import_units(&admin, root.id, &bad).await.unwrap_err();
    let msg = err.message(khien_domain::Lang::En);
    assert!(msg.contains("Row 3") && msg.contains("NOPE"), "{msg}");
    assert_eq!(db.store.unit_count().await.unwrap(), 1, "nothing was written");
    let good = vec![row("W1", None, "ward"), row("W2", Some("W1"), "commune")];
    let s = db.store.import_units(&admin, root.id, &good).await.unwrap();
    assert_eq!((s.created, s.updated), (2, 0));
    let s = db.store.import_units(&admin, root.id, &good).await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, 2), "re-import is idempotent");
    // A restructured list moves W2 up to the root.
    let moved = vec![row("W2", Some("TP"), "commune")];
    let s = db.store.import_units(&admin, root.id, &moved).await.unwrap();
    assert_eq!(s.updated, 1);
    let w2 = db.store.get_unit_by_code(&admin, "W2").await.unwrap();
    assert_eq!(w2.parent_id, Some(root.id));
}

/// SQLite is compiled with the flags of `.cargo/config.toml` (docs/ARCHITECTURE.md): no global
/// lock around allocations, plans that do not depend on bound values. A build that lost them
/// would still pass every other test, at half the list throughput under concurrent readers.
#[tokio::test]
async fn sqlite_is_built_for_concurrent_readers() {
    use sqlx::{Connection, Row};
    let db = crate::common::sqlite().await;
    let mut conn = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    let options: Vec<String> =
        sqlx::query("PRAGMA compile_options").fetch_all(&mut conn).await.unwrap().iter().map(|r| r.get(0)).collect();
    for wanted in ["DEFAULT_MEMSTATUS=0", "ENABLE_QPSG"] {
        assert!(options.iter().any(|o| o == wanted), "{wanted} missing from {options:?}");
    }
}
