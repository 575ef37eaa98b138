//! CEF lines (ArcSight's Common Event Format, also behind a syslog header) read into an `Event`
//! (issue 18.1): the header's vendor, product, signature, name and severity (0–10, on Khiên's
//! 1–4), and the extension's addresses, ports, device and time.

use crate::telemetry::{Event, Shape};
use chrono::{TimeZone, Utc};

/// Splits CEF's header on unescaped pipes: version, vendor, product, version, id, name,
/// severity, then the extension.
fn cef_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if out.len() == 8 {
            if let Some(last) = out.last_mut() {
                last.push(c);
            }
            continue;
        }
        match c {
            '\\' => {
                if let (Some(n), Some(last)) = (chars.next(), out.last_mut()) {
                    last.push(n);
                }
            }
            '|' => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

/// The extension's `key=value` pairs; a value runs to the next ` key=` (spaces allowed in it).
fn cef_extension(ext: &str) -> Vec<(String, String)> {
    let bytes: Vec<char> = ext.chars().collect();
    let mut starts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let at_word = i == 0 || bytes.get(i - 1) == Some(&' ');
        if at_word {
            let mut j = i;
            while j < bytes.len() && bytes.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.') {
                j += 1;
            }
            if j > i && bytes.get(j) == Some(&'=') && (j == 0 || bytes.get(j - 1) != Some(&'\\')) {
                starts.push((i, j));
            }
        }
        i += 1;
    }
    let mut out = Vec::new();
    for (n, (k0, k1)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(bytes.len(), |(s, _)| *s);
        let key: String = bytes.get(*k0..*k1).unwrap_or(&[]).iter().collect();
        let value: String = bytes.get(k1 + 1..end).unwrap_or(&[]).iter().collect();
        out.push((key, value.trim().replace("\\=", "=")));
    }
    out
}

pub(crate) fn parse(line: &str) -> Result<Event, String> {
    let f = cef_fields(line);
    if f.len() < 7 {
        return Err(
            "CEF: thiếu trường đầu (cần 7 trường ngăn bởi |) / CEF: the header needs 7 fields separated by |".into()
        );
    }
    let field = |i: usize| f.get(i).cloned().filter(|s| !s.is_empty());
    let mut e = Event::new(Shape::Cef, "alert");
    e.rule = field(4);
    e.title = field(5);
    e.severity = field(6).and_then(|s| s.trim().parse::<u8>().ok()).map(|s| match s {
        9.. => 4,
        7..=8 => 3,
        4..=6 => 2,
        _ => 1,
    });
    e.host = field(2);
    for (k, v) in cef_extension(f.get(7).map(String::as_str).unwrap_or("")) {
        match k.as_str() {
            "src" => e.src_ip = v.parse().ok(),
            "dst" => e.dst_ip = v.parse().ok(),
            "spt" => e.src_port = v.parse().ok(),
            "dpt" => e.dst_port = v.parse().ok(),
            "proto" => e.proto = Some(v),
            "dvc" => e.host_ip = v.parse().ok(),
            "dvchost" | "dhost" => e.host = Some(v),
            "rt" | "end" => {
                e.at = v.parse::<i64>().ok().and_then(|ms| Utc.timestamp_millis_opt(ms).single()).or(e.at);
            }
            _ => {}
        }
    }
    Ok(e)
}
