//! Observables (indicators of compromise): kinds, and the one normal form each value is stored
//! in, so that "where else did we see this?" is an exact match.

use crate::system::{code_enum, parse_cidr};
use crate::{Error, Result};

code_enum!(
    ObservableKind {
        Ipv4 = "ipv4": "Địa chỉ IPv4" / "IPv4 address",
        Ipv6 = "ipv6": "Địa chỉ IPv6" / "IPv6 address",
        Cidr = "cidr": "Dải địa chỉ (CIDR)" / "Address range (CIDR)",
        Domain = "domain": "Tên miền" / "Domain name",
        Url = "url": "Đường dẫn (URL)" / "URL",
        Md5 = "md5": "Mã băm MD5" / "MD5 hash",
        Sha1 = "sha1": "Mã băm SHA-1" / "SHA-1 hash",
        Sha256 = "sha256": "Mã băm SHA-256" / "SHA-256 hash",
        Email = "email": "Địa chỉ thư điện tử" / "E-mail address",
    }
);

/// Longest value accepted (a URL can be long; nothing else comes close).
pub const MAX_VALUE_CHARS: usize = 2048;

/// Checks a value of the given kind and returns its normal form (lower-case host names and
/// hashes, canonical IP text, network address of a CIDR).
pub fn normalise(kind: ObservableKind, value: &str) -> Result<String> {
    let v = value.trim();
    let bad = |what_vi: &str, what_en: &str| {
        Error::invalid(
            "value",
            format!("«{}» không phải {what_vi} hợp lệ.", short(v)),
            format!("«{}» is not a valid {what_en}.", short(v)),
        )
    };
    if v.is_empty() {
        return Err(Error::invalid("value", "Giá trị trống.", "The value is empty."));
    }
    if v.chars().count() > MAX_VALUE_CHARS {
        return Err(Error::invalid(
            "value",
            format!("Giá trị dài quá {MAX_VALUE_CHARS} ký tự."),
            format!("The value is longer than {MAX_VALUE_CHARS} characters."),
        ));
    }
    match kind {
        ObservableKind::Ipv4 => {
            v.parse::<std::net::Ipv4Addr>().map(|a| a.to_string()).map_err(|_| bad("địa chỉ IPv4", "IPv4 address"))
        }
        ObservableKind::Ipv6 => {
            v.parse::<std::net::Ipv6Addr>().map(|a| a.to_string()).map_err(|_| bad("địa chỉ IPv6", "IPv6 address"))
        }
        ObservableKind::Cidr => parse_cidr(v).map_err(|_| bad("dải CIDR", "CIDR range")),
        ObservableKind::Domain => domain(v).ok_or_else(|| bad("tên miền", "domain name")),
        ObservableKind::Url => {
            let lower = v.to_ascii_lowercase();
            let rest = lower
                .strip_prefix("http://")
                .or_else(|| lower.strip_prefix("https://"))
                .or_else(|| lower.strip_prefix("ftp://"));
            let host = rest
                .and_then(|r| r.split(['/', '?', '#']).next())
                .map(|h| h.rsplit('@').next().unwrap_or(h))
                .map(|h| h.split(':').next().unwrap_or(h));
            match host {
                Some(h) if !h.is_empty() && !v.chars().any(char::is_whitespace) => Ok(v.to_string()),
                _ => Err(bad("URL (http://, https:// hoặc ftp://)", "URL (http://, https:// or ftp://)")),
            }
        }
        ObservableKind::Md5 => hash(v, 32).ok_or_else(|| bad("mã MD5 (32 ký tự hex)", "MD5 hash (32 hex characters)")),
        ObservableKind::Sha1 => {
            hash(v, 40).ok_or_else(|| bad("mã SHA-1 (40 ký tự hex)", "SHA-1 hash (40 hex characters)"))
        }
        ObservableKind::Sha256 => {
            hash(v, 64).ok_or_else(|| bad("mã SHA-256 (64 ký tự hex)", "SHA-256 hash (64 hex characters)"))
        }
        ObservableKind::Email => match v.rsplit_once('@') {
            Some((local, host)) if !local.is_empty() && !local.chars().any(|c| c.is_whitespace() || c == '@') => {
                domain(host).map(|h| format!("{local}@{h}")).ok_or_else(|| bad("địa chỉ thư điện tử", "e-mail address"))
            }
            _ => Err(bad("địa chỉ thư điện tử", "e-mail address")),
        },
    }
}

/// Guesses the kind of a pasted value (for a quick search box).
pub fn guess_kind(value: &str) -> Option<ObservableKind> {
    let v = value.trim();
    [
        ObservableKind::Ipv4,
        ObservableKind::Ipv6,
        ObservableKind::Cidr,
        ObservableKind::Url,
        ObservableKind::Email,
        ObservableKind::Md5,
        ObservableKind::Sha1,
        ObservableKind::Sha256,
        ObservableKind::Domain,
    ]
    .into_iter()
    .find(|k| normalise(*k, v).is_ok())
}

fn domain(v: &str) -> Option<String> {
    let d = v.trim_end_matches('.').to_ascii_lowercase();
    let ok_label = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    (d.len() <= 253 && d.contains('.') && d.split('.').all(ok_label)).then_some(d)
}

fn hash(v: &str, len: usize) -> Option<String> {
    (v.len() == len && v.chars().all(|c| c.is_ascii_hexdigit())).then(|| v.to_ascii_lowercase())
}

fn short(v: &str) -> String {
    crate::error::shorten(v, 80)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ObservableKind as K;

    #[test]
    fn normal_forms() {
        assert_eq!(normalise(K::Ipv4, " 203.0.113.7 ").unwrap(), "203.0.113.7");
        assert_eq!(normalise(K::Ipv6, "2001:DB8:0:0::1").unwrap(), "2001:db8::1");
        assert_eq!(normalise(K::Cidr, "10.1.2.3/16").unwrap(), "10.1.0.0/16");
        assert_eq!(normalise(K::Domain, "Evil.Example.COM.").unwrap(), "evil.example.com");
        assert_eq!(normalise(K::Sha256, &"AB".repeat(32)).unwrap(), "ab".repeat(32));
        assert_eq!(normalise(K::Email, "Ke.Gian@Lua-Dao.VN").unwrap(), "Ke.Gian@lua-dao.vn");
        assert!(normalise(K::Url, "https://bank-vn.example/login?x=1").is_ok());
        for (k, v) in [
            (K::Ipv4, "300.1.1.1"),
            (K::Domain, "localhost"),
            (K::Md5, "xyz"),
            (K::Url, "javascript:alert(1)"),
            (K::Email, "a@b"),
            (K::Cidr, "1.2.3.4/40"),
            (K::Ipv4, ""),
        ] {
            assert_eq!(normalise(k, v).unwrap_err().field(), Some("value"), "{k:?} {v}");
        }
        assert_eq!(guess_kind("198.51.100.4"), Some(K::Ipv4));
        assert_eq!(guess_kind("lua-dao.vn"), Some(K::Domain));
        assert_eq!(guess_kind(&"a".repeat(64)), Some(K::Sha256));
    }
}
