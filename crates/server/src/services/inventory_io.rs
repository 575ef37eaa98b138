//! Inventory import (issue 17.6), shared by the web form and the API: a CSV or XLSX of assets
//! by system code, each named system's list replaced in one transaction; errors name the file,
//! the row and the column, and nothing is kept.

use crate::auth::Ctx;
use crate::AppState;
use khien_domain::role::Action;
use khien_domain::Error;
use khien_store::{AssetInput, InventorySummary};

pub async fn import(s: &AppState, ctx: &Ctx, name: &str, bytes: &[u8]) -> Result<InventorySummary, Error> {
    if !ctx.actor.can_anywhere(Action::EditSystems) {
        return Err(Error::forbidden());
    }
    let (file, data) = (name.to_string(), bytes.to_vec());
    let rows = tokio::task::spawn_blocking(move || khien_formats::inventory::parse_inventory(&file, &data))
        .await
        .map_err(Error::internal)?
        .map_err(super::import_error)?;
    let mut codes: Vec<String> = rows.iter().map(|r| r.asset.system_code.clone()).collect();
    codes.sort();
    codes.dedup();
    let systems = s.store.editable_systems_by_code(&ctx.actor, &codes).await?;
    let mut lists: Vec<(i64, Vec<AssetInput>)> = Vec::new();
    for src in rows {
        let Some(id) = systems.get(&src.asset.system_code).copied() else {
            return Err(super::import_error_ref(&src.unknown_system_error(name)));
        };
        let a = src.asset;
        let input = AssetInput {
            group: a.group.to_string(),
            name: a.name,
            version: a.version,
            owner: a.owner,
            end_of_support: a.end_of_support,
            notes: a.notes,
        };
        match lists.iter_mut().find(|(s, _)| *s == id) {
            Some((_, list)) => list.push(input),
            None => lists.push((id, vec![input])),
        }
    }
    s.store.replace_inventory(&ctx.actor, &lists).await
}
