//! First start: the root unit and the `admin` account; with --demo, the demo city.

use anyhow::{anyhow, Result};
use khien_domain::role::Role;
use khien_domain::unit::UnitType;
use khien_store::{hash_password, ImportUnit, NewUser, Store};

pub struct Bootstrap {
    /// The generated admin password, when one was generated (printed once).
    pub generated_password: Option<String>,
    pub created: bool,
}

fn generate_password() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    let body: String =
        (0..14).filter_map(|_| CHARS.get(rng.gen_range(0..CHARS.len()))).map(|b| char::from(*b)).collect();
    // Guarantees the three character classes the password rule asks for.
    format!("{body}-7K")
}

/// On an empty database: root unit + admin, whose password is `admin_password` (from
/// KHIEN_ADMIN_PASSWORD) or generated. Later starts change nothing.
pub async fn ensure_root_and_admin(store: &Store, demo: bool, admin_password: Option<String>) -> Result<Bootstrap> {
    if store.unit_count().await.map_err(|e| anyhow!("{e}"))? > 0 {
        store
            .maintenance()
            .ensure_builtin_catalogues(&khien_formats::builtin_catalogues())
            .await
            .map_err(|e| anyhow!("built-in catalogues: {e}"))?;
        return Ok(Bootstrap { generated_password: None, created: false });
    }
    // Checked before anything is written, so a weak password never leaves a root without admin.
    if let Some(p) = admin_password.as_deref().filter(|p| !p.is_empty()) {
        khien_domain::user::validate_password(p).map_err(|e| anyhow!("KHIEN_ADMIN_PASSWORD: {e}"))?;
    }
    let (code, name) = if demo {
        let city = khien_demo::demo_city();
        let root = city.units.first().ok_or_else(|| anyhow!("demo city has no units"))?;
        (root.code.clone(), root.name.clone())
    } else {
        ("TP".to_string(), "Ủy ban nhân dân thành phố".to_string())
    };
    let root = store.maintenance().create_root_unit(&code, &name, UnitType::City).await.map_err(|e| anyhow!("{e}"))?;
    let (password, generated) = match admin_password.filter(|p| !p.is_empty()) {
        Some(p) => (p, None),
        None => {
            let p = generate_password();
            (p.clone(), Some(p))
        }
    };
    let hash = hash_password(&password).await.map_err(|e| anyhow!("{e}"))?;
    let admin = NewUser {
        username: "admin".into(),
        full_name: "Quản trị hệ thống".into(),
        email: None,
        unit_id: root.id,
        password: String::new(),
    };
    let user = store.maintenance().create_user_hashed(None, &admin, &hash).await.map_err(|e| anyhow!("{e}"))?;
    store.maintenance().grant_role(user.id, Role::Administrator, root.id, true).await.map_err(|e| anyhow!("{e}"))?;
    store
        .maintenance()
        .ensure_builtin_catalogues(&khien_formats::builtin_catalogues())
        .await
        .map_err(|e| anyhow!("built-in catalogues: {e}"))?;
    Ok(Bootstrap { generated_password: generated, created: true })
}

/// Whether the demo city is in this database (its users exist).
pub async fn demo_present(store: &Store) -> Result<bool> {
    Ok(store.maintenance().user_id_by_username("pa05.truong").await.map_err(|e| anyhow!("{e}"))?.is_some())
}

/// Loads the demo city under the root of a database that `ensure_root_and_admin` has just
/// created (never into real data: demo users share a published password), with
/// `systems_per_unit` information systems for every unit.
pub async fn load_demo(store: &Store, systems_per_unit: usize) -> Result<()> {
    let city = khien_demo::demo_city();
    let admin_id = store
        .maintenance()
        .user_id_by_username("admin")
        .await
        .map_err(|e| anyhow!("{e}"))?
        .ok_or_else(|| anyhow!("no admin user"))?;
    let admin = store.actor_for_user(admin_id).await.map_err(|e| anyhow!("{e}"))?;
    let root = store.root_unit().await.map_err(|e| anyhow!("{e}"))?.ok_or_else(|| anyhow!("no root unit"))?;
    let rows: Vec<ImportUnit> = city
        .units
        .iter()
        .map(|u| ImportUnit {
            code: u.code.clone(),
            name: u.name.clone(),
            unit_type: u.unit_type.to_string(),
            parent_code: u.parent_code.clone(),
            head_name: u.head_name.clone(),
            focal_name: u.focal_name.clone(),
            focal_phone: u.focal_phone.clone(),
            focal_email: u.focal_email.clone(),
        })
        .collect();
    store.import_units(&admin, root.id, &rows).await.map_err(|e| anyhow!("demo units: {e}"))?;
    let hash = hash_password(khien_demo::DEMO_PASSWORD).await.map_err(|e| anyhow!("{e}"))?;
    for u in &city.users {
        let unit = store
            .get_unit_by_code(&admin, &u.unit_code)
            .await
            .map_err(|e| anyhow!("demo unit {}: {e}", u.unit_code))?;
        let n = NewUser {
            username: u.username.clone(),
            full_name: u.full_name.clone(),
            email: Some(u.email.clone()),
            unit_id: unit.id,
            password: String::new(),
        };
        let user = store
            .maintenance()
            .create_user_hashed(Some(&admin), &n, &hash)
            .await
            .map_err(|e| anyhow!("demo user {}: {e}", u.username))?;
        let role = Role::parse(u.role).map_err(|e| anyhow!("{e}"))?;
        store.grant_role(&admin, user.id, role, unit.id, u.recursive).await.map_err(|e| anyhow!("{e}"))?;
    }
    let units = store.unit_tree(&admin).await.map_err(|e| anyhow!("{e}"))?;
    crate::demo::systems::load(store, &admin, &units, systems_per_unit).await?;
    crate::demo::network::load(store, &admin, &units).await?;
    crate::demo::incidents::load(store, &admin, &units, 56).await?;
    crate::demo::public_reports::load(store, &admin, &units).await?;
    crate::demo::compliance::load(store, &admin, &units).await?;
    crate::demo::plans::load(store, &admin, &units).await?;
    crate::demo::plan_support::load(store, &admin, &units).await?;
    crate::demo::telemetry::load(store, &admin, &units).await?;
    crate::demo::indicators::load(store, &admin, &units).await?;
    crate::demo::reports::load(store, &admin, &units).await?;
    store.maintenance().analyze().await.map_err(|e| anyhow!("{e}"))?;
    Ok(())
}

/// The demo logins, for printing.
pub fn demo_logins() -> Vec<(String, &'static str, String)> {
    khien_demo::demo_city().users.into_iter().map(|u| (u.username, u.role, u.unit_code)).collect()
}
