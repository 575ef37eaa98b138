//! A fast path for Suricata EVE lines, the bulk of a sensor's stream: the fields Khiên reads are
//! deserialized straight from the line, borrowing it, and everything else is skipped without
//! building a JSON tree. A line this path cannot read exactly as `telemetry::parse_value` would
//! (a port as text, a numeric time, Khiên's own schema…) returns None and takes the general path.

use crate::telemetry::{suricata_severity, time_text, Event, Shape};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Deserialize)]
struct Eve<'a> {
    #[serde(borrow)]
    event_type: Cow<'a, str>,
    #[serde(default)]
    khien: Option<IgnoredAny>,
    #[serde(borrow, default)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    src_ip: Option<Cow<'a, str>>,
    #[serde(default)]
    src_port: Option<u64>,
    #[serde(borrow, default)]
    dest_ip: Option<Cow<'a, str>>,
    #[serde(default)]
    dest_port: Option<u64>,
    #[serde(borrow, default)]
    proto: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    host: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    alert: Option<Alert<'a>>,
    #[serde(borrow, default)]
    dns: Option<Named<'a>>,
    #[serde(borrow, default)]
    http: Option<Named<'a>>,
    #[serde(borrow, default)]
    tls: Option<Named<'a>>,
}

#[derive(Deserialize)]
struct Alert<'a> {
    #[serde(default)]
    signature_id: Option<u64>,
    #[serde(borrow, default)]
    signature: Option<Cow<'a, str>>,
    #[serde(default)]
    severity: Option<u64>,
}

/// The name a DNS, HTTP or TLS record carries (each under its own key).
#[derive(Deserialize)]
struct Named<'a> {
    #[serde(borrow, default)]
    rrname: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    hostname: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    sni: Option<Cow<'a, str>>,
}

/// A non-empty text, owned.
fn owned(v: Option<Cow<'_, str>>) -> Option<String> {
    v.filter(|s| !s.is_empty()).map(Cow::into_owned)
}

/// An EVE line read as `telemetry::parse_value` reads it, or None.
pub(crate) fn fast(line: &str) -> Option<Event> {
    let eve: Eve<'_> = serde_json::from_str(line).ok()?;
    if eve.khien.is_some() || eve.event_type.is_empty() {
        return None;
    }
    let port = |p: Option<u64>| p.and_then(|p| u16::try_from(p).ok());
    let mut e = Event::new(Shape::SuricataEve, &eve.event_type);
    e.at = eve.timestamp.as_deref().and_then(time_text);
    e.src_ip = eve.src_ip.as_deref().and_then(|s| s.parse().ok());
    e.src_port = port(eve.src_port);
    e.dst_ip = eve.dest_ip.as_deref().and_then(|s| s.parse().ok());
    e.dst_port = port(eve.dest_port);
    e.proto = owned(eve.proto);
    e.host = owned(eve.host);
    if eve.event_type == "alert" {
        let alert = eve.alert;
        e.rule = alert.as_ref().and_then(|a| a.signature_id).map(|n| n.to_string());
        e.severity = alert.as_ref().and_then(|a| a.severity).map(suricata_severity);
        e.title = owned(alert.and_then(|a| a.signature));
    } else {
        e.title = owned(eve.dns.and_then(|d| d.rrname))
            .or_else(|| owned(eve.http.and_then(|h| h.hostname)))
            .or_else(|| owned(eve.tls.and_then(|t| t.sni)));
    }
    Some(e)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::telemetry::parse_value;

    /// Every line of the shared Suricata files reads the same by both paths.
    #[test]
    fn the_fast_path_reads_every_shared_eve_line_as_the_general_one() {
        let dir = format!("{}/../../../shared/data/telemetry/suricata", env!("CARGO_MANIFEST_DIR"));
        let mut compared = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let general = parse_value(&serde_json::from_str(line).unwrap()).unwrap();
                let fast = super::fast(line).unwrap();
                assert_eq!(fast, general, "{line}");
                compared += 1;
            }
        }
        assert!(compared > 100, "{compared}");
        // A port written as text is left to the general path.
        assert!(super::fast(r#"{"event_type":"flow","src_port":"80"}"#).is_none());
    }
}
