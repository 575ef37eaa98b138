//! The TAXII client: pushes the objects of a local collection that a remote collection has not
//! received yet (at most 1,000 per envelope), reads the status resource the remote answers
//! with, and records every attempt. Run on a schedule by `khien serve` and on demand.
//!
//! The push reads and records through `Store::maintenance()`: it is a background task, and the
//! on-demand push takes a `Remote` the handler got through the caller-scoped `Store::remote`.
#![allow(clippy::disallowed_methods)]

use khien_domain::incident::PushStatus;
use khien_store::{PushOutcome, Remote, Store};
use std::time::Duration;

/// Objects per envelope.
const BATCH: i64 = 1000;

fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().map_err(|e| e.to_string())
}

/// Sends what is pending for one remote; records the outcome. Returns it.
pub async fn push_remote(store: &Store, remote: &Remote) -> khien_domain::Result<PushOutcome> {
    let (bodies, up_to) = store.maintenance().objects_to_push(remote, BATCH).await?;
    if bodies.is_empty() {
        return Ok(PushOutcome { status: Some(PushStatus::NothingToSend), ..Default::default() });
    }
    let envelope = format!("{{\"objects\":[{}]}}", bodies.join(","));
    let outcome = send(remote, envelope).await;
    let ok = outcome.error.is_none();
    store.maintenance().record_push(remote.id, bodies.len() as i64, &outcome, ok.then_some(up_to)).await?;
    Ok(outcome)
}

async fn send(remote: &Remote, envelope: String) -> PushOutcome {
    let mut out = PushOutcome::default();
    let client = match client() {
        Ok(c) => c,
        Err(e) => return PushOutcome { error: Some(e), ..out },
    };
    let mut req = client
        .post(&remote.url)
        .header("accept", crate::api::taxii::TAXII)
        .header("content-type", crate::api::taxii::TAXII)
        .body(envelope);
    if remote.username.is_some() || remote.secret.is_some() {
        req = req.basic_auth(remote.username.clone().unwrap_or_default(), remote.secret.clone());
    }
    let resp = match req.send().await {
        Ok(r) => r,
        Err(e) => return PushOutcome { error: Some(format!("cannot reach {}: {e}", remote.url)), ..out },
    };
    out.http_status = Some(i64::from(resp.status().as_u16()));
    let success = resp.status().is_success();
    let text = resp.text().await.unwrap_or_default();
    if !success {
        out.error = Some(format!(
            "the remote answered {}: {}",
            out.http_status.unwrap_or(0),
            text.chars().take(500).collect::<String>()
        ));
        return out;
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(status) => {
            // TAXII 2.1 §4.3.1: "complete" or "pending"; anything else is not kept as a status.
            out.status = status
                .get("status")
                .and_then(|v| v.as_str())
                .and_then(|s| [PushStatus::Complete, PushStatus::Pending].into_iter().find(|p| p.code() == s));
            out.success_count = status.get("success_count").and_then(serde_json::Value::as_i64);
            out.failure_count = status.get("failure_count").and_then(serde_json::Value::as_i64);
        }
        Err(e) => out.error = Some(format!("the remote's answer is not a TAXII status resource: {e}")),
    }
    out
}

/// One round over every remote; failures are recorded per remote, not raised.
pub async fn push_all(store: &Store) -> khien_domain::Result<usize> {
    let mut sent = 0;
    for remote in store.maintenance().all_remotes().await? {
        if push_remote(store, &remote).await?.error.is_none() {
            sent += 1;
        }
    }
    Ok(sent)
}
