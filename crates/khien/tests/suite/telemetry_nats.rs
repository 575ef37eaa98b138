//! SOC telemetry through a real NATS JetStream server (`nats-server -js`, started here on a free
//! port): the shared Suricata and Wazuh files published in messages with a SOC token land on
//! the right units; a message with no valid token is never stored; and `khien serve`, killed
//! with SIGKILL mid-stream and started again, ends with every acknowledged batch stored once.

use crate::common::{sign_in, Session, TestDb, TestServer, ADMIN_PASSWORD, DEMO_PASSWORD};
use crate::serve_process::ServeProcess;
use crate::telemetry::{shared, soc_token, system_with_ranges, SURICATA, WAZUH};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

on_both_stores!(telemetry_streams_through_nats_jetstream_to_the_right_units);

/// A `nats-server -js` of the test's own, stopped when dropped.
pub struct NatsServer {
    child: Child,
    dir: tempfile::TempDir,
    pub url: String,
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = &self.dir;
    }
}

impl NatsServer {
    pub async fn start() -> NatsServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let bin = if std::path::Path::new("/usr/sbin/nats-server").exists() {
            "/usr/sbin/nats-server"
        } else {
            "nats-server"
        };
        let child = Command::new(bin)
            .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd", dir.path().to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nats-server (scripts/install-test-deps.sh installs it)");
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "nats-server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        NatsServer { child, dir, url: format!("nats://127.0.0.1:{port}") }
    }
}

/// Publishes `body` as one message on the telemetry subject, with `token`, and waits for
/// JetStream's acknowledgement (the message is then durable in the stream).
pub async fn publish(js: &async_nats::jetstream::Context, token: Option<&str>, body: Vec<u8>) {
    let mut headers = async_nats::HeaderMap::new();
    if let Some(t) = token {
        headers.insert("Authorization", format!("Bearer {t}").as_str());
    }
    js.publish_with_headers("khien.telemetry.soc", headers, body.into()).await.unwrap().await.unwrap();
}

/// The stream must exist before a message is published to it (Khiên creates it on start).
async fn stream_ready(js: &async_nats::jetstream::Context) {
    let started = Instant::now();
    while js.get_stream(khien_server::services::nats_ingest::STREAM).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "Khiên did not create the stream");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Lines of a file in messages of `per` lines.
fn messages(file: &[u8], per: usize) -> Vec<Vec<u8>> {
    let lines: Vec<&[u8]> = file.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    lines.chunks(per).map(|c| c.join(&b'\n')).collect()
}

async fn telemetry_streams_through_nats_jetstream_to_the_right_units(db: TestDb) {
    let nats = NatsServer::start().await;
    let s = TestServer::start_on(db).await;
    let portal = system_with_ranges(&s.db, "P-HONG-BANG", "hongbang.canbo", "HB-NATS", &["192.168.1.0/24"]).await;
    system_with_ranges(&s.db, "P-HONG-BANG", "hongbang.canbo", "HB-AGENTS", &["187.54.247.0/24"]).await;
    let token = soc_token(&s.db, "P-HONG-BANG").await;
    let state = khien_server::AppState::new(s.db.store.clone(), khien_server::ServerConfig::default());
    let consumer = tokio::spawn(khien_server::services::nats_ingest::run(state, nats.url.clone()));
    let js = async_nats::jetstream::new(async_nats::connect(&nats.url).await.unwrap());
    stream_ready(&js).await;
    let mut sent = messages(&shared(SURICATA), 5);
    sent.extend(messages(&shared(WAZUH), 100));
    for body in &sent {
        publish(&js, Some(&token), body.clone()).await;
    }
    // No token, or a wrong one: terminated, never stored.
    publish(&js, None, b"{\"event_type\":\"alert\",\"src_ip\":\"192.168.1.9\"}".to_vec()).await;
    publish(&js, Some("khien_wrong"), b"{\"event_type\":\"alert\",\"src_ip\":\"192.168.1.9\"}".to_vec()).await;
    let pa05 = s.login("pa05.truong", DEMO_PASSWORD).await;
    let started = Instant::now();
    let soc = |sources: &serde_json::Value| {
        sources.as_array().unwrap().iter().find(|x| x["name"] == "SOC Hải Đông").cloned().unwrap_or_default()
    };
    loop {
        let sources = pa05.get_json("/api/v1/telemetry/sources").await;
        if soc(&sources)["batches_24h"].as_u64() == Some(sent.len() as u64) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "not all messages stored: {sources}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The two messages without a valid token were never stored: the token's batches only.
    let sources = pa05.get_json("/api/v1/telemetry/sources").await;
    assert_eq!(sources.as_array().unwrap().len(), 2, "the demo's own batch and the token's: {sources}");
    let officer = s.login("hongbang.canbo", DEMO_PASSWORD).await;
    let alerts = officer.get_json("/api/v1/telemetry/alerts?limit=500").await;
    let items = alerts["items"].as_array().unwrap();
    assert!(items.iter().any(|a| a["system_id"] == portal && a["shape"] == "suricata"));
    assert!(items.iter().any(|a| a["shape"] == "wazuh"));
    consumer.abort();
}

async fn batches_stored(client: &reqwest::Client, base: &str, token: &str) -> Option<(u64, u64)> {
    let r = client.get(format!("{base}/api/v1/telemetry/sources")).bearer_auth(token).send().await.ok()?;
    let v: Value = r.json().await.ok()?;
    let first = v.as_array()?.first()?.clone();
    Some((first["batches_24h"].as_u64()?, first["accepted_24h"].as_u64()?))
}

/// Issue 18, bad input: "a killed ingester loses no acknowledged event". 300 messages of 20
/// events are in the stream; `khien serve` is killed with SIGKILL once it has stored some, and
/// started again: in the end every message is stored once — 300 batches, 6,000 events.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_ingester_loses_no_acknowledged_event_and_stores_none_twice() {
    let nats = NatsServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut server = ServeProcess::start(dir.path(), &["--nats-url", &nats.url]).await;
    let base = server.base.clone();
    // The administrator's token (an administrator may send telemetry anywhere).
    let Session { client, csrf, .. } = sign_in(&server.base, "admin", ADMIN_PASSWORD).await;
    let created: Value = client
        .post(format!("{base}/api/v1/tokens"))
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"name": "SOC", "role": "administrator", "unit_id": 1, "valid_days": 30}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    let js = async_nats::jetstream::new(async_nats::connect(&nats.url).await.unwrap());
    stream_ready(&js).await;
    let lines: Vec<Vec<u8>> = messages(&shared(SURICATA), 1);
    for i in 0..300 {
        let body: Vec<Vec<u8>> = (0..20).map(|j| lines[(i + j) % lines.len()].clone()).collect();
        publish(&js, Some(&token), body.join(&b'\n')).await;
    }
    // Killed mid-stream, once some batches are stored.
    let started = Instant::now();
    loop {
        if batches_stored(&client, &base, &token).await.is_some_and(|(b, _)| b >= 5) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no batch stored");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill(); // SIGKILL
    server.restart().await;
    let started = Instant::now();
    loop {
        match batches_stored(&client, &base, &token).await {
            Some((300, events)) => {
                assert_eq!(events, 6_000, "every event once");
                break;
            }
            Some((n, _)) => assert!(n <= 300, "a batch stored twice: {n}"),
            None => {}
        }
        assert!(started.elapsed() < Duration::from_secs(90), "not every batch was stored after the restart");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Nothing more arrives later (no redelivery stored twice).
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(batches_stored(&client, &base, &token).await, Some((300, 6_000)));
}
