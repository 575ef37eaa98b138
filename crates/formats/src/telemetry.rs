//! SOC telemetry in the shapes sensors and platforms send (issue 18.1, the parsing part): Suricata
//! EVE JSON, Wazuh alerts JSON, Zeek JSON logs (conn, notice…), ECS JSON and CEF lines, each read
//! into one `Event` — when, which addresses and ports, which rule and how severe, which host —
//! that attribution and de-duplication work on. A batch is NDJSON (one event a line) or a JSON
//! array; a line that cannot be read is reported with its number and reason while the others are
//! kept. Values in, values out: nothing here stores or sends.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use std::net::IpAddr;

/// Where an event came from, by its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    SuricataEve,
    Wazuh,
    Zeek,
    Ecs,
    Cef,
    /// Khiên's own schema (docs/TELEMETRY.md): `{"khien": "alert" | "endpoint" | "botnet", …}`.
    Khien,
}

impl Shape {
    /// The code kept with an alert.
    pub fn code(self) -> &'static str {
        match self {
            Shape::SuricataEve => "suricata",
            Shape::Wazuh => "wazuh",
            Shape::Zeek => "zeek",
            Shape::Ecs => "ecs",
            Shape::Cef => "cef",
            Shape::Khien => "khien",
        }
    }
}

/// Severity on one scale: 1 low, 2 medium, 3 high, 4 critical.
pub type Severity = u8;

/// One event, whatever its shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub shape: Shape,
    /// The source's own type: "alert", "dns", "conn", "notice", "syscheck"…
    pub kind: String,
    /// None where the event carries no readable time (the receiver's time is used).
    pub at: Option<DateTime<Utc>>,
    pub src_ip: Option<IpAddr>,
    pub src_port: Option<u16>,
    pub dst_ip: Option<IpAddr>,
    pub dst_port: Option<u16>,
    pub proto: Option<String>,
    /// The rule or signature: Suricata's signature id, Wazuh's rule id, Zeek's note, CEF's id.
    pub rule: Option<String>,
    pub title: Option<String>,
    pub severity: Option<Severity>,
    /// The monitored host, by name and address (a Wazuh agent, an ECS host).
    pub host: Option<String>,
    pub host_ip: Option<IpAddr>,
    /// An endpoint's protection status (Khiên's `endpoint` events).
    pub endpoint: Option<EndpointReport>,
    /// A botnet detection (Khiên's `botnet` events): the address is `src_ip`.
    pub botnet: Option<BotnetSighting>,
}

/// A host's anti-malware status as its agent reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointReport {
    pub agent: Option<String>,
    pub product: Option<String>,
    /// yyyy-mm-dd of the signatures in use.
    pub signature_date: Option<String>,
    /// The agent shares with the national monitoring centre (NCSC).
    pub reports_to_ncsc: bool,
}

/// An address seen in a botnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotnetSighting {
    pub family: String,
    pub feed: Option<String>,
}

impl Event {
    pub(crate) fn new(shape: Shape, kind: &str) -> Event {
        Event {
            shape,
            kind: kind.to_string(),
            at: None,
            src_ip: None,
            src_port: None,
            dst_ip: None,
            dst_port: None,
            proto: None,
            rule: None,
            title: None,
            severity: None,
            host: None,
            host_ip: None,
            endpoint: None,
            botnet: None,
        }
    }

    /// Every address the event names, for attribution.
    pub fn addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        [self.host_ip, self.src_ip, self.dst_ip].into_iter().flatten()
    }
}

/// The largest line read; a longer one is refused (the caller answers 413 for a batch).
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// The largest batch read, once inflated (an HTTP body or a NATS message).
pub const MAX_BATCH_BYTES: usize = 64 * 1024 * 1024;

/// Why a batch body is refused whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Over `MAX_BATCH_BYTES` inflated, or a line over `MAX_LINE_BYTES` (its number).
    TooLarge { line: Option<usize> },
    /// Said to be gzip but is not.
    NotGzip(String),
}

/// The batch's bytes: inflated if gzip (never past `MAX_BATCH_BYTES`), each line (of NDJSON or
/// CEF) checked against `MAX_LINE_BYTES`.
/// A plain body is checked where it lies, not copied (up to 64 MiB on every batch).
pub fn read_body(bytes: &[u8], gzip: bool) -> Result<std::borrow::Cow<'_, [u8]>, BodyError> {
    let body = if gzip {
        use std::io::Read;
        let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(MAX_BATCH_BYTES));
        let limit = u64::try_from(MAX_BATCH_BYTES).unwrap_or(u64::MAX) + 1;
        flate2::read::GzDecoder::new(bytes)
            .take(limit)
            .read_to_end(&mut out)
            .map_err(|e| BodyError::NotGzip(e.to_string()))?;
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(bytes)
    };
    if body.len() > MAX_BATCH_BYTES {
        return Err(BodyError::TooLarge { line: None });
    }
    // A JSON array is read whole (its items are not lines); NDJSON and CEF line by line.
    let array = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if let Some(n) = body.split(|b| *b == b'\n').position(|l| !array && l.len() > MAX_LINE_BYTES) {
        return Err(BodyError::TooLarge { line: Some(n + 1) });
    }
    Ok(body)
}

/// What a batch gave: the events with their line (or array item, from 1), and the lines refused.
#[derive(Debug, Default)]
pub struct Batch {
    pub events: Vec<(usize, Event)>,
    /// Each kept event's own text (its line, or its array item written back), in the order of
    /// `events`, one after another (one allocation a batch rather than one an event): what is
    /// stored as the raw event. `raw_ends` holds where each ends.
    raw_text: String,
    raw_ends: Vec<usize>,
    pub rejected: Vec<(usize, String)>,
}

impl Batch {
    fn keep(&mut self, number: usize, event: Event, raw: &str) {
        self.events.push((number, event));
        self.raw_text.push_str(raw);
        self.raw_ends.push(self.raw_text.len());
    }

    /// Each kept event's own text, in the order of `events`.
    pub fn raw(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.raw_ends.iter().copied());
        starts.zip(self.raw_ends.iter().copied()).map(|(a, b)| self.raw_text.get(a..b).unwrap_or(""))
    }
}

/// Reads a batch: a JSON array of events, or one event a line (JSON or CEF); blank lines skipped.
pub fn parse_batch(bytes: &[u8]) -> Batch {
    let text = String::from_utf8_lossy(bytes);
    let mut batch = Batch { raw_text: String::with_capacity(text.len()), ..Batch::default() };
    if text.trim_start().starts_with('[') {
        match serde_json::from_str::<Vec<Value>>(&text) {
            Ok(items) => {
                for (i, v) in items.iter().enumerate() {
                    match parse_value(v) {
                        Ok(e) => batch.keep(i + 1, e, &v.to_string()),
                        Err(why) => batch.rejected.push((i + 1, why)),
                    }
                }
            }
            Err(e) => batch.rejected.push((e.line(), format!("JSON: {e}"))),
        }
        return batch;
    }
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok(e) => batch.keep(i + 1, e, line),
            Err(why) => batch.rejected.push((i + 1, why)),
        }
    }
    batch
}

/// Reads one line: CEF (also behind a syslog header) or a JSON object.
pub fn parse_line(line: &str) -> Result<Event, String> {
    if line.len() > MAX_LINE_BYTES {
        return Err(format!("dòng dài quá {MAX_LINE_BYTES} byte / line longer than {MAX_LINE_BYTES} bytes"));
    }
    // A JSON object is never read as CEF, even when a field of it quotes a CEF message.
    if !line.trim_start().starts_with('{') {
        if let Some(at) = line.find("CEF:") {
            return crate::telemetry_cef::parse(line.get(at..).unwrap_or(""));
        }
    }
    // Most lines of a stream are Suricata's: read them without building a JSON tree.
    if let Some(e) = crate::telemetry_eve::fast(line) {
        return Ok(e);
    }
    let v: Value = serde_json::from_str(line.trim()).map_err(|e| format!("JSON: {e}"))?;
    parse_value(&v)
}

pub(crate) fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut at = v;
    for p in path {
        at = at.get(p)?;
    }
    match at {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn ip(v: &Value, path: &[&str]) -> Option<IpAddr> {
    text(v, path)?.parse().ok()
}

pub(crate) fn port(v: &Value, path: &[&str]) -> Option<u16> {
    text(v, path)?.parse().ok()
}

/// RFC 3339 (Suricata's "+0100" offsets too) or seconds since the epoch.
pub(crate) fn time(v: &Value, path: &[&str]) -> Option<DateTime<Utc>> {
    let mut at = v;
    for p in path {
        at = at.get(p)?;
    }
    match at {
        Value::Number(n) => {
            let secs = n.as_f64()?;
            Utc.timestamp_millis_opt((secs * 1000.0) as i64).single()
        }
        Value::String(s) => time_text(s),
        _ => None,
    }
}

/// RFC 3339 ("Z", "+07:00"), and Suricata's "+0700" on its every line: its offset is given
/// its colon and read by the same RFC 3339 reader (a format string is parsed anew on each call,
/// which cost more than the rest of the line). Other layouts `%z` accepts come last.
pub(crate) fn time_text(s: &str) -> Option<DateTime<Utc>> {
    let colonless = s.len() > 5
        && s.get(s.len() - 5..).is_some_and(|o| {
            let b = o.as_bytes();
            matches!(b.first(), Some(b'+' | b'-')) && b.iter().skip(1).all(u8::is_ascii_digit)
        });
    let parsed = if colonless {
        let (head, minutes) = s.split_at(s.len() - 2);
        DateTime::parse_from_rfc3339(&format!("{head}:{minutes}"))
    } else {
        DateTime::parse_from_rfc3339(s)
    };
    parsed.or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z")).ok().map(|d| d.with_timezone(&Utc))
}

/// Suricata's severity (1 the most severe, 3 the least) on Khiên's scale.
pub(crate) fn suricata_severity(s: u64) -> Severity {
    match s {
        1 => 3,
        2 => 2,
        _ => 1,
    }
}

/// Reads a JSON event by its shape.
pub fn parse_value(v: &Value) -> Result<Event, String> {
    if !v.is_object() {
        return Err("không phải đối tượng JSON / not a JSON object".into());
    }
    if let Some(kind) = text(v, &["khien"]) {
        return crate::telemetry_own::parse(v, &kind);
    }
    if let Some(kind) = text(v, &["event_type"]) {
        return Ok(suricata(v, &kind));
    }
    if v.get("rule").and_then(|r| r.get("level")).is_some() && v.get("agent").is_some() {
        return Ok(wazuh(v));
    }
    if v.get("id.orig_h").is_some() || (v.get("ts").is_some() && v.get("uid").is_some()) {
        return Ok(zeek(v));
    }
    if v.get("source").is_some_and(Value::is_object) || v.get("event").and_then(|e| e.get("kind")).is_some() {
        return Ok(ecs(v));
    }
    Err("không nhận ra dạng sự kiện (Suricata, Wazuh, Zeek, ECS, CEF) / not a known event shape (Suricata, Wazuh, Zeek, ECS, CEF)".into())
}

fn suricata(v: &Value, kind: &str) -> Event {
    let mut e = Event::new(Shape::SuricataEve, kind);
    e.at = time(v, &["timestamp"]);
    e.src_ip = ip(v, &["src_ip"]);
    e.src_port = port(v, &["src_port"]);
    e.dst_ip = ip(v, &["dest_ip"]);
    e.dst_port = port(v, &["dest_port"]);
    e.proto = text(v, &["proto"]);
    e.host = text(v, &["host"]);
    if kind == "alert" {
        e.rule = text(v, &["alert", "signature_id"]);
        e.title = text(v, &["alert", "signature"]);
        e.severity = v.get("alert").and_then(|a| a.get("severity")).and_then(Value::as_u64).map(suricata_severity);
    } else {
        e.title =
            text(v, &["dns", "rrname"]).or_else(|| text(v, &["http", "hostname"])).or_else(|| text(v, &["tls", "sni"]));
    }
    e
}

fn wazuh(v: &Value) -> Event {
    let groups = v.get("rule").and_then(|r| r.get("groups")).and_then(Value::as_array);
    let kind = groups.and_then(|g| g.last()).and_then(Value::as_str).unwrap_or("alert");
    let mut e = Event::new(Shape::Wazuh, kind);
    e.at = time(v, &["timestamp"]).or_else(|| time(v, &["@timestamp"]));
    e.rule = text(v, &["rule", "id"]);
    e.title = text(v, &["rule", "description"]);
    // Wazuh levels run 0–15.
    e.severity = v.get("rule").and_then(|r| r.get("level")).and_then(Value::as_u64).map(|l| match l {
        12.. => 4,
        8..=11 => 3,
        4..=7 => 2,
        _ => 1,
    });
    e.host = text(v, &["agent", "name"]);
    e.host_ip = ip(v, &["agent", "ip"]);
    e.src_ip = ip(v, &["data", "srcip"]);
    e.src_port = port(v, &["data", "srcport"]);
    e.dst_ip = ip(v, &["data", "dstip"]);
    e.dst_port = port(v, &["data", "dstport"]);
    e.proto = text(v, &["data", "protocol"]);
    e
}

fn zeek(v: &Value) -> Event {
    let kind = text(v, &["_path"]).unwrap_or_else(|| if v.get("note").is_some() { "notice" } else { "conn" }.into());
    let mut e = Event::new(Shape::Zeek, &kind);
    e.at = time(v, &["ts"]);
    e.src_ip = ip(v, &["id.orig_h"]);
    e.src_port = port(v, &["id.orig_p"]);
    e.dst_ip = ip(v, &["id.resp_h"]);
    e.dst_port = port(v, &["id.resp_p"]);
    e.proto = text(v, &["proto"]);
    e.rule = text(v, &["note"]);
    e.title = text(v, &["msg"]).or_else(|| text(v, &["service"]));
    if e.rule.is_some() {
        e.severity = Some(2);
    }
    e
}

fn ecs(v: &Value) -> Event {
    let kind = text(v, &["event", "kind"]).unwrap_or_else(|| "event".into());
    let mut e = Event::new(Shape::Ecs, &kind);
    e.at = time(v, &["@timestamp"]);
    e.src_ip = ip(v, &["source", "ip"]);
    e.src_port = port(v, &["source", "port"]);
    e.dst_ip = ip(v, &["destination", "ip"]);
    e.dst_port = port(v, &["destination", "port"]);
    e.proto = text(v, &["network", "transport"]);
    e.rule = text(v, &["rule", "id"]);
    e.title = text(v, &["rule", "name"]).or_else(|| text(v, &["message"]));
    e.host = text(v, &["host", "name"]).or_else(|| text(v, &["agent", "name"]));
    e.host_ip = v.get("host").and_then(|h| h.get("ip")).and_then(|i| match i {
        Value::Array(a) => a.first().and_then(Value::as_str).and_then(|s| s.parse().ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    // ECS event.severity is the source's own number; suricata's original severity is kept aside.
    e.severity =
        v.get("suricata").and_then(|s| s.get("alert")).and_then(|a| a.get("severity")).and_then(Value::as_u64).map(
            |s| match s {
                1 => 3,
                2 => 2,
                _ => 1,
            },
        );
    e
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    #[test]
    fn a_body_is_inflated_within_its_cap_and_a_long_line_is_named() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"a\":1}\n").unwrap();
        assert_eq!(*super::read_body(&gz.finish().unwrap(), true).unwrap(), *b"{\"a\":1}\n");
        assert!(matches!(super::read_body(b"plain", true), Err(super::BodyError::NotGzip(_))));
        let long = format!("{{}}\n{}\n", "x".repeat(super::MAX_LINE_BYTES + 1));
        assert_eq!(super::read_body(long.as_bytes(), false), Err(super::BodyError::TooLarge { line: Some(2) }));
        // An array is one value, however long its text.
        let array = format!("[\"{}\"]", "x".repeat(super::MAX_LINE_BYTES + 1));
        assert!(super::read_body(array.as_bytes(), false).is_ok());
        // A bomb: 65 MiB of zeros in a few kilobytes.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b'\n'; super::MAX_BATCH_BYTES + 1024 * 1024]).unwrap();
        assert_eq!(super::read_body(&gz.finish().unwrap(), true), Err(super::BodyError::TooLarge { line: None }));
    }

    use super::*;

    fn shared(path: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/telemetry").join(path);
        std::fs::read(p).unwrap()
    }

    #[test]
    fn times_read_with_and_without_the_offset_colon() {
        let at = |s: &str| time_text(s).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
        let utc = Some("2026-12-07T01:15:30.123456Z".to_string());
        assert_eq!(at("2026-12-07T08:15:30.123456+0700"), utc);
        assert_eq!(at("2026-12-07T08:15:30.123456+07:00"), utc);
        assert_eq!(at("2026-12-07T01:15:30.123456Z"), utc);
        assert_eq!(at("2026-12-06T20:15:30.123456-0500"), utc);
        assert_eq!(at("2026-12-07T08:15:30+0700"), Some("2026-12-07T01:15:30.000000Z".to_string()));
        assert_eq!(at("07/12/2026 08:15"), None);
        assert_eq!(at("+0700"), None);
    }

    #[test]
    fn a_json_event_quoting_a_cef_message_is_read_as_json() {
        let line = r#"{"timestamp":"2026-12-07T08:00:00+0700","event_type":"alert","src_ip":"10.1.1.1","dest_ip":"10.2.2.2","alert":{"signature_id":7,"signature":"CEF:0|x|y relayed"}}"#;
        let e = parse_line(line).unwrap();
        assert_eq!((e.shape, e.rule.as_deref()), (Shape::SuricataEve, Some("7")));
    }

    #[test]
    fn suricata_eve_files_read_every_event_with_addresses_and_times() {
        let b = parse_batch(&shared("suricata/surevego_testdata_eve.json"));
        assert_eq!((b.events.len(), b.rejected.len()), (266, 0), "{:?}", b.rejected.first());
        assert!(b.events.iter().all(|(_, e)| e.shape == Shape::SuricataEve && e.at.is_some()));
        // Every event but the engine's own statistics names its addresses.
        assert!(b.events.iter().all(|(_, e)| e.kind == "stats" || e.src_ip.is_some()));
        assert_eq!(b.events.iter().filter(|(_, e)| e.kind == "alert").count(), 68);
        let b = parse_batch(&shared("suricata/wazuh-engine_suricata_alert_input.txt"));
        assert!(b.rejected.is_empty(), "{:?}", b.rejected);
        let alert = b.events.iter().map(|(_, e)| e).find(|e| e.kind == "alert").unwrap();
        assert_eq!(alert.rule.as_deref(), Some("2013028"));
        assert_eq!(alert.title.as_deref(), Some("ET POLICY curl User-Agent Outbound"));
        assert_eq!((alert.severity, alert.dst_port), (Some(2), Some(80)));
        assert_eq!(alert.src_ip, Some("192.168.1.146".parse().unwrap()));
        let addresses: Vec<IpAddr> = alert.addresses().collect();
        assert_eq!(addresses, ["192.168.1.146".parse::<IpAddr>().unwrap(), "89.160.20.112".parse().unwrap()]);
    }

    #[test]
    fn wazuh_alerts_read_with_their_agent_and_level_even_without_a_time() {
        let b = parse_batch(&shared("wazuh/events-generator_wazuh-alerts-4.x_alerts.json"));
        assert!(b.events.len() > 100 && b.rejected.is_empty(), "{} {:?}", b.events.len(), b.rejected.first());
        let (_, first) = &b.events[0];
        assert_eq!((first.shape, first.rule.as_deref(), first.severity), (Shape::Wazuh, Some("554"), Some(2)));
        assert_eq!(first.host_ip, Some("47.204.15.21".parse().unwrap()));
        assert!(first.at.is_none(), "the generator's «{{timestamp}}» is no time");
    }

    #[test]
    fn zeek_conn_and_notice_logs_read() {
        let b = parse_batch(&shared("zeek/beats_zeek_connection-json.log"));
        assert!(!b.events.is_empty() && b.rejected.is_empty(), "{:?}", b.rejected);
        assert_eq!((b.events[0].1.kind.as_str(), b.events[0].1.dst_port), ("conn", Some(53)));
        let gz = shared("zeek/zed-sample-data_wrccdc2018_notice.json.gz");
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut text).unwrap();
        let b = parse_batch(&text);
        assert!(!b.events.is_empty() && b.rejected.is_empty(), "{:?}", b.rejected);
        let n = &b.events[0].1;
        assert_eq!((n.kind.as_str(), n.rule.as_deref()), ("notice", Some("SSL::Invalid_Server_Cert")));
        assert!(n.at.is_some());
    }

    #[test]
    fn an_ecs_array_and_cef_lines_read() {
        let b = parse_batch(&shared("ecs/wazuh-engine_suricata_alert_expected.json"));
        assert_eq!((b.events.len(), b.rejected.len()), (22, 0), "{:?}", b.rejected.first());
        assert!(b.events.iter().any(|(_, e)| e.rule.as_deref() == Some("2013028") && e.src_ip.is_some()));
        let b = parse_batch(&shared("cef/jc_fixtures_cef.out"));
        assert!(!b.events.is_empty(), "{:?}", b.rejected);
        assert!(b.events.iter().all(|(_, e)| e.shape == Shape::Cef && e.title.is_some()));
    }

    #[test]
    fn a_bad_line_is_named_and_the_others_kept() {
        let batch = "{\"event_type\":\"alert\",\"src_ip\":\"10.0.0.1\",\"dest_ip\":\"10.0.0.2\",\"alert\":{\"signature_id\":1,\"severity\":1}}\n\nnot json\n{\"hello\":1}\nCEF:0|a|b\n";
        let b = parse_batch(batch.as_bytes());
        assert_eq!(b.events.len(), 1);
        assert_eq!(b.events[0].1.severity, Some(3));
        let lines: Vec<usize> = b.rejected.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(b.rejected[1].1.contains("not a known event shape"));
        let cef = parse_line("<134>Dec  7 10:00:00 fw CEF:0|Vendor|FW|1.0|100|Blocked C2|9|src=10.1.2.3 dst=203.0.113.9 dpt=443 msg=a b=c").unwrap();
        assert_eq!((cef.severity, cef.src_ip, cef.dst_port), (Some(4), Some("10.1.2.3".parse().unwrap()), Some(443)));
    }
}
