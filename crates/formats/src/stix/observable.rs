//! Observable kinds: validation, STIX patterns and Cyber-observable Objects.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::json;

/// Observable kinds, as in `ObservableIn::kind` and `WatchItem::kind`.
pub const OBSERVABLE_KINDS: &[&str] = &["ipv4", "ipv6", "cidr", "domain", "url", "md5", "sha1", "sha256", "email"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Ipv4,
    Ipv6,
    Cidr,
    Domain,
    Url,
    Md5,
    Sha1,
    Sha256,
    Email,
}

/// Longest value accepted for any kind, in bytes (a long URL).
const MAX_VALUE_BYTES: usize = 8192;

impl Kind {
    pub(crate) fn parse(s: &str) -> Option<Kind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "ipv4" => Kind::Ipv4,
            "ipv6" => Kind::Ipv6,
            "cidr" => Kind::Cidr,
            "domain" => Kind::Domain,
            "url" => Kind::Url,
            "md5" => Kind::Md5,
            "sha1" => Kind::Sha1,
            "sha256" => Kind::Sha256,
            "email" => Kind::Email,
            _ => return None,
        })
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::Ipv4 => "ipv4",
            Kind::Ipv6 => "ipv6",
            Kind::Cidr => "cidr",
            Kind::Domain => "domain",
            Kind::Url => "url",
            Kind::Md5 => "md5",
            Kind::Sha1 => "sha1",
            Kind::Sha256 => "sha256",
            Kind::Email => "email",
        }
    }

    /// The STIX hash algorithm name (hash-algorithm-ov) of a hash kind.
    pub(crate) fn hash_name(self) -> Option<&'static str> {
        match self {
            Kind::Md5 => Some("MD5"),
            Kind::Sha1 => Some("SHA-1"),
            Kind::Sha256 => Some("SHA-256"),
            _ => None,
        }
    }

    /// The hash kind of a STIX hash name, in any case, with or without
    /// the hyphen (`MD5`, `SHA-1`, `sha256`…).
    pub(crate) fn from_hash_name(name: &str) -> Option<Kind> {
        let n: String = name.chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_ascii_uppercase();
        match n.as_str() {
            "MD5" => Some(Kind::Md5),
            "SHA1" => Some(Kind::Sha1),
            "SHA256" => Some(Kind::Sha256),
            _ => None,
        }
    }
}

/// Checks an observable as export and import do, for use where values are
/// entered: `None` if `kind` is not one of [`OBSERVABLE_KINDS`] or the value
/// is invalid for it, else the value as exported (trimmed; addresses in
/// their standard text form; domain names and hashes in lower case; URLs
/// with a scheme, percent-encoded where a URI needs it).
pub fn normalize_observable(kind: &str, value: &str) -> Option<String> {
    normalize(Kind::parse(kind)?, value)
}

/// Checks and canonicalises a value: trimmed; addresses in their standard
/// text form; domain names and hashes in lower case. `None` if invalid.
pub(crate) fn normalize(kind: Kind, raw: &str) -> Option<String> {
    let v = raw.trim();
    if v.is_empty() || v.len() > MAX_VALUE_BYTES || v.chars().any(char::is_control) {
        return None;
    }
    match kind {
        Kind::Ipv4 => v.parse::<Ipv4Addr>().ok().map(|a| a.to_string()),
        Kind::Ipv6 => v.parse::<Ipv6Addr>().ok().map(|a| a.to_string()),
        Kind::Cidr => cidr(v),
        Kind::Domain => domain(v),
        Kind::Url => url(v),
        Kind::Md5 => hex(v, 32),
        Kind::Sha1 => hex(v, 40),
        Kind::Sha256 => hex(v, 64),
        Kind::Email => email(v),
    }
}

fn cidr(v: &str) -> Option<String> {
    let (addr, prefix) = v.split_once('/')?;
    if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let prefix: u8 = prefix.parse().ok()?;
    if let Ok(a) = addr.parse::<Ipv4Addr>() {
        (prefix <= 32).then(|| format!("{a}/{prefix}"))
    } else if let Ok(a) = addr.parse::<Ipv6Addr>() {
        (prefix <= 128).then(|| format!("{a}/{prefix}"))
    } else {
        None
    }
}

fn domain(v: &str) -> Option<String> {
    let d = v.strip_suffix('.').unwrap_or(v).to_lowercase();
    let label_ok = |l: &str| {
        (1..=63).contains(&l.chars().count())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    (d.len() <= 253 && d.split('.').all(label_ok)).then_some(d)
}

/// A URL with a scheme, as an RFC 3986 URI: characters a URI may not hold
/// (spaces, `\`, `"`, `<`, `>`, `{`, `}`, `|`, `^`, `` ` ``, non-ASCII,
/// a `%` not followed by two hex digits) are percent-encoded in UTF-8, as
/// browsers do; the scheme is lower-cased.
fn url(v: &str) -> Option<String> {
    let (scheme, rest) = v.split_once(':')?;
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        return None;
    }
    let mut out = scheme.to_ascii_lowercase();
    out.push(':');
    let bytes = rest.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let allowed = b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b);
        let escape = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if allowed || escape {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

fn hex(v: &str, len: usize) -> Option<String> {
    (v.len() == len && v.bytes().all(|b| b.is_ascii_hexdigit())).then(|| v.to_ascii_lowercase())
}

fn email(v: &str) -> Option<String> {
    let (local, host) = v.rsplit_once('@')?;
    let ok = !local.is_empty() && !host.is_empty() && !v.chars().any(char::is_whitespace) && domain(host).is_some();
    ok.then(|| v.to_string())
}

/// The SCO type holding a (normalised) value of this kind.
pub(crate) fn sco_type(kind: Kind, value: &str) -> &'static str {
    match kind {
        Kind::Ipv4 => "ipv4-addr",
        Kind::Ipv6 => "ipv6-addr",
        Kind::Cidr if value.contains(':') => "ipv6-addr",
        Kind::Cidr => "ipv4-addr",
        Kind::Domain => "domain-name",
        Kind::Url => "url",
        Kind::Md5 | Kind::Sha1 | Kind::Sha256 => "file",
        Kind::Email => "email-addr",
    }
}

/// The SCO's ID-contributing properties, which are also its only ones.
pub(crate) fn sco_properties(kind: Kind, value: &str) -> serde_json::Value {
    match kind.hash_name() {
        Some(h) => json!({ "hashes": { h: value } }),
        None => json!({ "value": value }),
    }
}

/// Quotes a string for a STIX pattern: `'` and `\` escaped with `\`.
pub(crate) fn quote(value: &str) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('\'');
    s
}

/// The STIX pattern matching a (normalised) value, e.g.
/// `[ipv4-addr:value = '203.0.113.5']`, `[file:hashes.'SHA-256' = '…']`.
pub(crate) fn pattern(kind: Kind, value: &str) -> String {
    let path = match kind {
        Kind::Md5 => "file:hashes.MD5".to_string(),
        Kind::Sha1 | Kind::Sha256 => {
            format!("file:hashes.'{}'", kind.hash_name().unwrap_or_default())
        }
        _ => format!("{}:value", sco_type(kind, value)),
    };
    format!("[{path} = {}]", quote(value))
}
