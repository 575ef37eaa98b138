//! Reference links of a finding: the advisories and pages the tool points to. Only http and
//! https URLs are kept (a `javascript:` or `file:` link is dropped), trimmed, without
//! duplicates, in the order the tool gives them, at most [`MAX_REFERENCES`] per finding and
//! none longer than [`MAX_REFERENCE_BYTES`] (a longer one is dropped, never cut).

use super::{MAX_REFERENCES, MAX_REFERENCE_BYTES};

/// Adds one candidate URL (a Trivy `References` entry, an OpenVAS `ref` id, a SARIF
/// `helpUri`) when it is an http(s) URL within the limits and not already listed.
pub(super) fn add_reference(list: &mut Vec<String>, candidate: &str) {
    if list.len() >= MAX_REFERENCES {
        return;
    }
    let url = candidate.trim();
    if url.len() > MAX_REFERENCE_BYTES || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return;
    }
    let Some((scheme, rest)) = url.split_once("://") else { return };
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) || rest.is_empty() {
        return;
    }
    if !list.iter().any(|u| u == url) {
        list.push(url.to_string());
    }
}

/// Adds every http(s) URL of a text that lists them separated by white space or line
/// breaks (Nessus `see_also`, ZAP `reference` once its HTML is text). Words that are not
/// URLs ("(obsoleted by rfc7234)") are ignored.
pub(super) fn add_references(list: &mut Vec<String>, text: &str) {
    for word in text.split_whitespace() {
        if list.len() >= MAX_REFERENCES {
            return;
        }
        add_reference(list, word);
    }
}

/// Adds the URLs of an old OpenVAS `xref` ("URL:http://a, URL:http://b", or "NOXREF").
pub(super) fn add_xref(list: &mut Vec<String>, xref: &str) {
    for part in xref.split(',') {
        let part = part.trim();
        let url = match part.get(..4) {
            Some(p) if p.eq_ignore_ascii_case("url:") => &part[4..],
            _ => part,
        };
        add_reference(list, url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_within_limits_in_order_without_duplicates() {
        let mut v = Vec::new();
        add_reference(&mut v, " https://a.example/x ");
        add_reference(&mut v, "javascript:alert(1)");
        add_reference(&mut v, "JavaScript://%0aalert(1)");
        add_reference(&mut v, "ftp://files.example/");
        add_reference(&mut v, "https://");
        add_reference(&mut v, "https://a.example/x");
        add_reference(&mut v, &format!("https://long.example/{}", "a".repeat(500)));
        add_reference(&mut v, "HTTP://B.example/");
        add_reference(&mut v, "http://c.example/a b");
        assert_eq!(v, ["https://a.example/x", "HTTP://B.example/"]);
        let limit = format!("https://e.example/{}", "b".repeat(MAX_REFERENCE_BYTES - 18));
        assert_eq!(limit.len(), MAX_REFERENCE_BYTES);
        add_reference(&mut v, &limit);
        assert_eq!(v.len(), 3, "exactly the limit is kept");
    }

    #[test]
    fn lists_and_xrefs() {
        let mut v = Vec::new();
        add_references(&mut v, "http://a/1\nhttp://b/2 (obsoleted by rfc7234)\n\n");
        assert_eq!(v, ["http://a/1", "http://b/2"]);
        let mut x = Vec::new();
        add_xref(&mut x, "URL:http://www.securityfocus.com/bid/67899, URL:http://openssl.org/");
        add_xref(&mut x, "NOXREF");
        assert_eq!(x, ["http://www.securityfocus.com/bid/67899", "http://openssl.org/"]);
        let mut many = Vec::new();
        add_references(&mut many, &(0..30).map(|i| format!("https://x/{i}")).collect::<Vec<_>>().join("\n"));
        assert_eq!(many.len(), MAX_REFERENCES);
        assert_eq!(many[9], "https://x/9");
    }
}
