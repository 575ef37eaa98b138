//! SOC telemetry through NATS JetStream (issue 18.1): sensors and SOC platforms publish batches
//! (NDJSON, a JSON array or CEF lines; `Content-Encoding: gzip` allowed) on `khien.telemetry.>`
//! with their Khiên API token in an `Authorization: Bearer …` header. Khiên keeps the stream and
//! one durable pull consumer; a message is acknowledged only after its events are committed,
//! and its stream sequence is the batch's key, so a message delivered again (Khiên killed after
//! the commit, before the ack) is not stored twice. A message with no valid token is terminated
//! (never redelivered); a store failure leaves it for redelivery.

use crate::api::telemetry::ingest_batch;
use crate::auth::Ctx;
use crate::AppState;
use async_nats::jetstream::{self, consumer::pull, consumer::AckPolicy, AckKind};
use futures_util::TryStreamExt;
use khien_domain::Lang;
use khien_store::IngestSource;
use std::time::Duration;

/// The stream Khiên reads and the subjects it holds.
pub const STREAM: &str = "KHIEN_TELEMETRY";
pub const SUBJECTS: &str = "khien.telemetry.>";
/// The durable consumer: its position survives restarts of Khiên.
pub const CONSUMER: &str = "khien-ingest";
/// Messages delivered and not yet acknowledged (each up to 64 MiB inflated): bounds memory.
const MAX_ACK_PENDING: i64 = 64;
/// Messages being stored at once.
const IN_FLIGHT: usize = 2;

/// The stream Khiên keeps (created when missing), on disk.
pub fn stream_config() -> jetstream::stream::Config {
    jetstream::stream::Config {
        name: STREAM.to_string(),
        subjects: vec![SUBJECTS.to_string()],
        storage: jetstream::stream::StorageType::File,
        ..Default::default()
    }
}

/// Connects, makes sure the stream and consumer exist, and stores messages until the
/// connection's stream of messages ends. Returns an error to be logged and retried by `run`.
pub async fn consume(state: &AppState, url: &str) -> Result<(), async_nats::Error> {
    let client = async_nats::ConnectOptions::new().name("khien-ingest").connect(url).await?;
    let js = jetstream::new(client);
    let stream = js.get_or_create_stream(stream_config()).await?;
    let consumer = stream
        .get_or_create_consumer(
            CONSUMER,
            pull::Config {
                durable_name: Some(CONSUMER.to_string()),
                ack_policy: AckPolicy::Explicit,
                ack_wait: Duration::from_secs(30),
                max_ack_pending: MAX_ACK_PENDING,
                ..Default::default()
            },
        )
        .await?;
    tracing::info!(url, stream = STREAM, consumer = CONSUMER, "NATS telemetry consumer ready");
    // Two messages at a time: one is parsed while the other is written (SQLite has one writer;
    // PostgreSQL overlaps the round trips). Each is acknowledged after its own commit.
    consumer
        .messages()
        .await?
        .map_err(async_nats::Error::from)
        .try_for_each_concurrent(IN_FLIGHT, |message| async move {
            handle(state, &message).await;
            Ok(())
        })
        .await
}

/// Stores one message, then acknowledges it (or terminates / leaves it, see the module text).
async fn handle(state: &AppState, message: &jetstream::Message) {
    let header = |name: &str| message.headers.as_ref().and_then(|h| h.get(name)).map(|v| v.as_str().trim().to_string());
    let token = header("Authorization").and_then(|v| v.strip_prefix("Bearer ").map(|t| t.trim().to_string()));
    let actor = match token {
        Some(t) => state.store.token_actor(&t).await,
        None => Ok(None),
    };
    let actor = match actor {
        Ok(Some(actor)) => actor,
        Ok(None) => {
            tracing::warn!(subject = %message.subject, "NATS telemetry message without a valid token: terminated");
            let _ = message.ack_with(AckKind::Term).await;
            return;
        }
        Err(e) => {
            tracing::warn!("NATS telemetry: token check failed: {e}");
            let _ = message.ack_with(AckKind::Nak(Some(Duration::from_secs(5)))).await;
            return;
        }
    };
    let sequence = message.info().map(|i| i.stream_sequence).unwrap_or_default();
    let source = IngestSource { key: format!("nats:{STREAM}:{sequence}"), channel: "nats" };
    let gzip = header("Content-Encoding").is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    let full_name = actor.username.clone();
    let ctx = Ctx { actor, lang: Lang::Vi, csrf: None, full_name };
    match ingest_batch(state, &ctx, source, message.payload.clone(), gzip).await {
        Ok(outcome) => {
            if outcome.rejected > 0 {
                tracing::info!(batch = outcome.batch_id, rejected = outcome.rejected, "NATS telemetry: lines refused");
            }
            if let Err(e) = message.ack().await {
                tracing::warn!("NATS telemetry: ack failed (the batch is stored; a redelivery is skipped): {e}");
            }
        }
        Err(khien_domain::Error::Internal(e)) => {
            tracing::warn!("NATS telemetry: storing failed, left for redelivery: {e}");
            let _ = message.ack_with(AckKind::Nak(Some(Duration::from_secs(5)))).await;
        }
        Err(e) => {
            // Refused whole (too large, not gzip, no permission): redelivery would not help.
            tracing::warn!(subject = %message.subject, "NATS telemetry message refused: {}", e.message(Lang::En));
            let _ = message.ack_with(AckKind::Term).await;
        }
    }
}

/// Consumes forever, reconnecting after a failure.
pub async fn run(state: AppState, url: String) {
    loop {
        if let Err(e) = consume(&state, &url).await {
            tracing::warn!("NATS telemetry consumer stopped: {e}; retrying in 5 s");
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}
