//! Khiên's own event schema (issue 18.1), for sensors and SOC platforms that write for Khiên:
//! one JSON object a line with `"khien"` naming the kind.
//!
//! - `alert`: `time`, `src_ip`, `src_port`, `dst_ip`, `dst_port`, `proto`, `host`, `host_ip`,
//!   `rule` (required), `title`, `severity` (1 low … 4 critical);
//! - `endpoint`: a host's anti-malware status — `host` and `ip` (required), `agent`, `product`,
//!   `signature_date` (yyyy-mm-dd), `ncsc` (true when it shares with the national centre), `time`;
//! - `botnet`: an address seen in a botnet — `ip` and `family` (required), `feed`, `time`.
//!
//! A required field missing or of the wrong kind refuses the line, naming the field.

use crate::telemetry::{ip, port, text, time, BotnetSighting, EndpointReport, Event, Shape};
use serde_json::Value;

fn need<T>(v: Option<T>, field: &str) -> Result<T, String> {
    v.ok_or_else(|| format!("thiếu hoặc sai trường «{field}» / field «{field}» missing or invalid"))
}

pub(crate) fn parse(v: &Value, kind: &str) -> Result<Event, String> {
    let mut e = Event::new(Shape::Khien, kind);
    e.at = time(v, &["time"]);
    match kind {
        "alert" => {
            e.src_ip = ip(v, &["src_ip"]);
            e.src_port = port(v, &["src_port"]);
            e.dst_ip = ip(v, &["dst_ip"]);
            e.dst_port = port(v, &["dst_port"]);
            e.proto = text(v, &["proto"]);
            e.host = text(v, &["host"]);
            e.host_ip = ip(v, &["host_ip"]);
            e.rule = Some(need(text(v, &["rule"]), "rule")?);
            e.title = text(v, &["title"]);
            e.severity = match v.get("severity") {
                None => None,
                Some(s) => Some(need(s.as_u64().filter(|s| (1..=4).contains(s)).map(|s| s as u8), "severity")?),
            };
        }
        "endpoint" => {
            e.host = Some(need(text(v, &["host"]), "host")?);
            e.host_ip = Some(need(ip(v, &["ip"]), "ip")?);
            let signature_date = match text(v, &["signature_date"]) {
                None => None,
                Some(d) => Some(need(chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok(), "signature_date")?.to_string()),
            };
            e.endpoint = Some(EndpointReport {
                agent: text(v, &["agent"]),
                product: text(v, &["product"]),
                signature_date,
                reports_to_ncsc: v.get("ncsc").and_then(Value::as_bool).unwrap_or(false),
            });
        }
        "botnet" => {
            e.src_ip = Some(need(ip(v, &["ip"]), "ip")?);
            e.botnet = Some(BotnetSighting { family: need(text(v, &["family"]), "family")?, feed: text(v, &["feed"]) });
        }
        other => {
            return Err(format!(
                "loại «{other}» không có trong lược đồ của Khiên (alert, endpoint, botnet) / kind «{other}» is not in Khiên's schema (alert, endpoint, botnet)"
            ))
        }
    }
    Ok(e)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::telemetry::{parse_line, Shape};

    #[test]
    fn khiens_own_alert_endpoint_and_botnet_lines_are_read_and_a_missing_field_named() {
        let a = parse_line(
            r#"{"khien":"alert","time":"2026-12-07T08:00:00+07:00","src_ip":"10.1.2.3","rule":"K-1","severity":4}"#,
        )
        .unwrap();
        assert_eq!((a.shape, a.rule.as_deref(), a.severity), (Shape::Khien, Some("K-1"), Some(4)));
        let e = parse_line(r#"{"khien":"endpoint","host":"PC-01","ip":"10.1.2.4","product":"BKAV","signature_date":"2026-12-01","ncsc":true}"#).unwrap();
        let r = e.endpoint.unwrap();
        assert!(r.reports_to_ncsc && r.signature_date.as_deref() == Some("2026-12-01"));
        let b = parse_line(r#"{"khien":"botnet","ip":"10.1.2.5","family":"mirai"}"#).unwrap();
        assert_eq!(b.botnet.unwrap().family, "mirai");
        assert!(parse_line(r#"{"khien":"botnet","ip":"10.1.2.5"}"#).unwrap_err().contains("family"));
        assert!(parse_line(r#"{"khien":"endpoint","host":"PC-01","ip":"x"}"#).unwrap_err().contains("ip"));
        assert!(parse_line(r#"{"khien":"alert","rule":"K","severity":9}"#).unwrap_err().contains("severity"));
        assert!(parse_line(r#"{"khien":"weather"}"#).unwrap_err().contains("weather"));
    }
}
