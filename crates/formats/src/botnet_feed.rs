//! A list of botnet IPs as a national centre or a feed sends it (issue 18.5): CSV or XLSX with
//! an address and the malware family, e.g. abuse.ch Feodo Tracker (`dst_ip`, `malware`,
//! `first_seen_utc`, `last_online`; `#` comment lines before the header) or a Shadowserver
//! botnet-drone report (`ip`, `infection`, `family`, `timestamp`). All or nothing: the first bad
//! row is named with its column.

use crate::error::{ImportError, ImportErrorKind as K, Location};
use crate::reader::{self, find_header, Format, Found, Header, SheetRow};
use crate::text::fold_header;

// Aliases are written as `fold_header` leaves them: lower case, no marks, `_` as a space.
use chrono::{NaiveDate, NaiveDateTime};
use std::net::IpAddr;

/// At most this many addresses in one list.
pub const MAX_FEED_ROWS: usize = 100_000;

/// One listed address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    pub ip: IpAddr,
    pub family: String,
    /// Milliseconds since the epoch (UTC), where the list says.
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    pub row: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Ip,
    Infection,
    Family,
    FirstSeen,
    LastSeen,
}

const COLS: [(Col, &str, &[&str]); 5] = [
    (Col::Ip, "Địa chỉ IP", &["ip", "dst ip", "src ip", "ip address", "dia chi ip", "ip botnet"]),
    (Col::Infection, "Mã độc", &["infection", "malware", "ma doc", "ten ma doc"]),
    (Col::Family, "Họ mã độc", &["family", "botnet family", "ho ma doc"]),
    (Col::FirstSeen, "Phát hiện lúc", &["timestamp", "first seen utc", "first seen", "thoi diem phat hien"]),
    (Col::LastSeen, "Lần cuối", &["last online", "last seen", "lan cuoi"]),
];

fn classify(text: &str) -> Option<Col> {
    let h = fold_header(text);
    COLS.iter().find(|(_, label, aliases)| fold_header(label) == h || aliases.contains(&h.as_str())).map(|(c, _, _)| *c)
}

/// A moment as lists write it: RFC 3339, `yyyy-mm-dd hh:mm:ss` (UTC) or a day.
fn moment(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp_millis());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        return Some(t.and_utc().timestamp_millis());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
}

/// Reads a botnet list (CSV or the first XLSX sheet).
pub fn parse_botnet_feed(file_name: &str, bytes: &[u8]) -> Result<Vec<FeedRow>, ImportError> {
    let fail = |kind| Err(ImportError::new(file_name, Location::File, None, kind));
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return fail(K::EmptyFile);
    }
    let rows = match reader::detect_format(file_name, bytes) {
        Format::Csv => reader::csv::read_rows(file_name, bytes, MAX_FEED_ROWS)?,
        Format::Xlsx => reader::xlsx::read_sheet(file_name, bytes, MAX_FEED_ROWS, false)?.rows,
        Format::Xls => return fail(K::LegacyXls),
        _ => return fail(K::CsvOrXlsxOnly),
    };
    let mut rows = rows.into_iter().filter(|r| !r.is_blank());
    let complete = |h: &Header<Col>| h.has(Col::Ip) && (h.has(Col::Infection) || h.has(Col::Family));
    let header = match find_header(&mut rows, classify, complete) {
        Found::Complete(h) => h,
        Found::Incomplete(h) => {
            let (label, key) = if h.has(Col::Ip) { ("Mã độc", "malware") } else { ("Địa chỉ IP", "ip") };
            return Err(ImportError::new(
                file_name,
                Location::Row(h.row),
                None,
                K::MissingColumn { label_vi: label, key },
            ));
        }
        Found::Nothing => return fail(K::NoHeader),
    };
    header.check_duplicate(file_name)?;
    let mut out = Vec::new();
    for row in rows {
        // Comment lines after the header (some lists end with one).
        if row.text(file_name, 0, "").is_ok_and(|t| t.trim_start().starts_with('#')) {
            continue;
        }
        out.push(feed_row(file_name, &header, &row)?);
    }
    Ok(out)
}

fn feed_row(file: &str, header: &Header<Col>, row: &SheetRow) -> Result<FeedRow, ImportError> {
    let at = |c: Col| header.cols.iter().find(|(f, _, _)| *f == c).map(|(_, col, label)| (*col, label.as_str()));
    let err = |label: &str, kind| ImportError::new(file, Location::Row(row.row), Some(label), kind);
    let text = |c: Col| -> Result<Option<(String, &str)>, ImportError> {
        let Some((col, label)) = at(c) else { return Ok(None) };
        let v = row.text(file, col, label)?.trim().to_string();
        if v.chars().count() > 200 {
            return Err(err(label, K::TooLong { max: 200, actual: v.chars().count() }));
        }
        Ok(Some((v, label)).filter(|(v, _)| !v.is_empty()))
    };
    let ip_label = at(Col::Ip).map(|(_, l)| l).unwrap_or("");
    let (ip_text, _) = text(Col::Ip)?.ok_or_else(|| err(ip_label, K::Required))?;
    let ip: IpAddr = ip_text.parse().map_err(|_| err(ip_label, K::InvalidIp { value: ip_text.clone() }))?;
    let family_label = at(Col::Infection).or(at(Col::Family)).map(|(_, l)| l).unwrap_or("");
    let family = match (text(Col::Infection)?, text(Col::Family)?) {
        (Some((v, _)), _) | (None, Some((v, _))) => v,
        (None, None) => return Err(err(family_label, K::Required)),
    };
    let when = |c: Col| -> Result<Option<i64>, ImportError> {
        match text(c)? {
            None => Ok(None),
            Some((v, label)) => moment(&v).map(Some).ok_or_else(|| err(label, K::InvalidDate { value: v.clone() })),
        }
    };
    Ok(FeedRow { ip, family, first_seen: when(Col::FirstSeen)?, last_seen: when(Col::LastSeen)?, row: row.row })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn shared(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../../../shared/data/telemetry/feeds/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn feodo_tracker_and_shadowserver_lists_are_read() {
        let feodo = parse_botnet_feed("ipblocklist.csv", &shared("feodotracker_ipblocklist_2024-03-26.csv")).unwrap();
        assert_eq!(feodo.len(), 27);
        assert_eq!((feodo[0].ip.to_string(), feodo[0].family.as_str()), ("192.9.135.73".into(), "Pikabot"));
        assert!(feodo[0].first_seen.is_some() && feodo[0].last_seen.is_some());
        let drones = parse_botnet_feed("botnet_drone.csv", &shared("shadowserver_botnet_drone.csv")).unwrap();
        assert_eq!(drones.len(), 102);
        assert_eq!(drones[0].family, "dorkbot");
        let distinct: std::collections::BTreeSet<_> = drones.iter().map(|d| d.ip).collect();
        assert_eq!(distinct.len(), 86);
    }

    #[test]
    fn a_bad_address_is_named_by_row_and_nothing_is_returned() {
        let csv = "ip,malware\n10.1.2.3,mirai\n10.1.2.999,mirai\n";
        let e = parse_botnet_feed("list.csv", csv.as_bytes()).unwrap_err();
        assert_eq!(*e.kind(), K::InvalidIp { value: "10.1.2.999".into() });
        assert!(e.to_string().contains('3'), "{e}");
        let no_family = "ip,port\n10.1.2.3,80\n";
        assert!(matches!(
            parse_botnet_feed("l.csv", no_family.as_bytes()).unwrap_err().kind(),
            K::MissingColumn { .. }
        ));
        let bad_time = "ip,malware,first_seen\n10.1.2.3,mirai,hôm qua\n";
        assert!(matches!(parse_botnet_feed("l.csv", bad_time.as_bytes()).unwrap_err().kind(), K::InvalidDate { .. }));
    }
}
