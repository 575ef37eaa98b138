//! A plan's task table: parsed off the async runtime, staged for its preview, written once
//! every unit name is resolved. Shared by the web pages and the API.

use crate::auth::Ctx;
use crate::AppState;
use khien_domain::plan::progress::NameTarget;
use khien_domain::{Error, Msg};
use khien_formats::plan_table::PlanTaskRow;
use khien_store::{Plan, PlanImportPreview, PlanInput};

/// The authority's choice for one unit name: the targets it stands for.
pub type Mapping = (String, Vec<NameTarget>);

async fn parse(name: &str, bytes: Vec<u8>) -> Result<Vec<PlanTaskRow>, Error> {
    let file = name.to_string();
    tokio::task::spawn_blocking(move || khien_formats::plan_table::parse_plan_table(&file, &bytes))
        .await
        .map_err(Error::internal)?
        .map_err(|e| Error::Invalid {
            field: e.field().map(str::to_string),
            msg: Msg::new(e.message_vi(), e.message_en()),
        })
}

/// Reads the file (so that a bad one is refused at once, naming table, row and column), keeps
/// it, and returns the preview of its import.
pub async fn stage(s: &AppState, ctx: &Ctx, name: &str, bytes: &[u8], meta: &str) -> Result<PlanImportPreview, Error> {
    let rows = parse(name, bytes.to_vec()).await?;
    let id = s.store.stage_plan_import(&ctx.actor, name, bytes, meta).await?;
    s.store.preview_plan_import(&ctx.actor, id, &rows, &[]).await
}

/// The preview of a staged file with the mappings chosen so far.
pub async fn preview(s: &AppState, ctx: &Ctx, id: i64, chosen: &[Mapping]) -> Result<PlanImportPreview, Error> {
    let (name, bytes, _) = s.store.staged_plan_import(&ctx.actor, id).await?;
    let rows = parse(&name, bytes).await?;
    s.store.preview_plan_import(&ctx.actor, id, &rows, chosen).await
}

/// Writes the plan from a staged file.
pub async fn create(s: &AppState, ctx: &Ctx, id: i64, input: &PlanInput, chosen: &[Mapping]) -> Result<Plan, Error> {
    let (name, bytes, _) = s.store.staged_plan_import(&ctx.actor, id).await?;
    let rows = parse(&name, bytes).await?;
    s.store.create_plan(&ctx.actor, id, input, &rows, chosen).await
}

/// Reads "unit:12", "type:ward", "none" codes, naming the name whose choice is wrong.
pub fn mapping(name: &str, codes: &[String]) -> Result<Mapping, Error> {
    let targets =
        codes.iter().filter(|c| !c.trim().is_empty()).map(|c| NameTarget::parse(c)).collect::<Result<Vec<_>, _>>();
    targets.map(|t| (name.to_string(), t)).map_err(|e| e.with_prefix(&format!("«{name}»: "), &format!("«{name}»: ")))
}
