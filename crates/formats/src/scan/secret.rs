//! Secrets found by secret scanners are never kept: a SARIF result's `properties.offender`
//! is replaced everywhere by its masked form ([`mask_secret`]); the snippets of a known
//! secret scanner without an offender, and Trivy's `Match` (already masked by Trivy, masked
//! again as a second line of defence), have every secret-looking token masked
//! ([`mask_tokens`]); and the body of a PEM private key block, in any tool's evidence,
//! becomes `[…]` ([`mask_pem`]).

use super::text::{block, line};
use super::{ScanFinding, MAX_DESCRIPTION_BYTES, MAX_EVIDENCE_BYTES, MAX_TITLE_BYTES};

/// Most stars a masked secret gets, whatever its length.
const MAX_STARS: usize = 8;

/// Offenders shorter than this (in characters) are not replaced in the texts: they are no
/// secret, and replacing them would garble ordinary words.
const MIN_OFFENDER_CHARS: usize = 4;

/// Shortest run of token characters that [`mask_tokens`] may take for a secret.
const MIN_TOKEN_CHARS: usize = 8;

/// Tools whose SARIF snippets are the secrets themselves (driver name, any case).
/// semgrep's secrets rules are not in the list: its snippets are code.
const SECRET_SCANNERS: &[&str] = &["gitleaks", "trufflehog", "detect-secrets", "ggshield", "secretlint", "talisman"];

/// A secret as it may be shown: its first 4 characters when it has 12 or more, its first 2
/// when it has 6 to 11, none when shorter; the rest becomes `*`, at most 8 of them so that
/// a long secret's length is not revealed ("AKIAIOSFODNN7EXAMPLE" → "AKIA********").
pub fn mask_secret(s: &str) -> String {
    let n = s.chars().count();
    let keep = match n {
        12.. => 4,
        6..=11 => 2,
        _ => 0,
    };
    let mut out: String = s.chars().take(keep).collect();
    out.extend(std::iter::repeat_n('*', (n - keep).min(MAX_STARS)));
    out
}

/// Whether a SARIF driver name is one of the known secret scanners.
pub(super) fn is_secret_scanner(driver_name: &str) -> bool {
    let name = driver_name.trim();
    SECRET_SCANNERS.iter().any(|s| name.eq_ignore_ascii_case(s))
}

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | '.')
}

/// Masks with [`mask_secret`] every run of at least 8 characters of `[A-Za-z0-9+/=_\-.]`
/// that holds both a digit and a letter; everything else is kept. Already masked text stays
/// as it is (`*` is no token character): `GITHUB_PAT=*****`, `AKIA********`.
pub(super) fn mask_tokens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let start = rest.find(token_char).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !token_char(c)).unwrap_or(rest.len());
        let token = &rest[..end];
        let secret_like = token.len() >= MIN_TOKEN_CHARS
            && token.bytes().any(|b| b.is_ascii_digit())
            && token.bytes().any(|b| b.is_ascii_alphabetic());
        if secret_like {
            out.push_str(&mask_secret(token));
        } else {
            out.push_str(token);
        }
        rest = &rest[end..];
    }
    out
}

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// Replaces the body of every `-----BEGIN … PRIVATE KEY-----` block by `[…]`, keeping the
/// BEGIN and END lines and the line breaks around the body. A block without its END line
/// (cut off, or a one-line excerpt) is masked to the end of the text. Other PEM blocks
/// (certificates, public keys) are kept. Masking twice changes nothing.
pub(super) fn mask_pem(s: &str) -> String {
    if !s.contains(BEGIN) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(b) = rest.find(BEGIN) {
        let after = &rest[b + BEGIN.len()..];
        let label_end = after.find(DASHES).filter(|&e| e <= 80);
        let label = label_end.map(|e| &after[..e]).unwrap_or("");
        let Some(e) = label_end.filter(|_| label.contains("PRIVATE KEY") && !label.contains('\n')) else {
            out.push_str(&rest[..b + BEGIN.len()]);
            rest = after;
            continue;
        };
        let header_end = b + BEGIN.len() + e + DASHES.len();
        out.push_str(&rest[..header_end]);
        let tail = &rest[header_end..];
        let (body, next) = match tail.find(END) {
            Some(i) => tail.split_at(i),
            None => (tail, ""),
        };
        let inner = body.trim();
        if inner.is_empty() {
            out.push_str(body);
        } else {
            let lead = body.len() - body.trim_start().len();
            out.push_str(&body[..lead]);
            out.push_str("[…]");
            out.push_str(&body[body.trim_end().len()..]);
        }
        rest = next;
    }
    out.push_str(rest);
    out
}

/// The secret of one SARIF result: its offender (when given), and whether the run's tool is a
/// secret scanner. Masks the raw texts before they are cut, then the finished finding.
pub(super) struct SecretMask {
    offender: Option<(String, String)>,
    tokens: bool,
}

impl SecretMask {
    pub(super) fn new(offender: Option<&str>, secret_scanner: bool) -> SecretMask {
        let offender = offender.map(str::trim).filter(|o| o.chars().count() >= MIN_OFFENDER_CHARS);
        SecretMask {
            offender: offender.map(|o| (o.to_string(), mask_secret(o))),
            tokens: secret_scanner && offender.is_none(),
        }
    }

    fn offender(&self, s: String) -> String {
        match &self.offender {
            Some((o, masked)) if s.contains(o.as_str()) => s.replace(o.as_str(), masked),
            _ => s,
        }
    }

    /// A message or other text: private keys and the offender masked.
    pub(super) fn text(&self, s: &str) -> String {
        self.offender(mask_pem(s))
    }

    /// A snippet: as [`Self::text`], and with a secret scanner's tool but no offender,
    /// every secret-looking token masked.
    pub(super) fn snippet(&self, s: &str) -> String {
        let t = self.text(s);
        if self.tokens {
            mask_tokens(&t)
        } else {
            t
        }
    }

    /// Replaces the offender in every text of the finished finding, rule and place
    /// included, so that it is kept nowhere.
    pub(super) fn finish(&self, f: &mut ScanFinding) {
        if self.offender.is_none() {
            return;
        }
        for s in [&mut f.rule_id, &mut f.title, &mut f.description, &mut f.solution, &mut f.evidence] {
            *s = self.offender(std::mem::take(s));
        }
        for s in [&mut f.component, &mut f.fingerprint].into_iter().flatten() {
            *s = self.offender(std::mem::take(s));
        }
    }
}

/// Masks private key bodies in the texts of any finding, just before it is handed over
/// (cut again to its limit in the rare case masking made a text longer).
pub(super) fn scrub(f: &mut ScanFinding) {
    for (s, max) in [(&mut f.evidence, MAX_EVIDENCE_BYTES), (&mut f.description, MAX_DESCRIPTION_BYTES)] {
        if s.contains(BEGIN) {
            let masked = mask_pem(s);
            *s = if masked.len() > max { block(&masked, max) } else { masked };
        }
    }
    if f.title.contains(BEGIN) {
        f.title = line(&mask_pem(&f.title), MAX_TITLE_BYTES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_secret_keeps_a_prefix_and_at_most_eight_stars() {
        assert_eq!(mask_secret("AKIAIOSFODNN7EXAMPLE"), "AKIA********");
        assert_eq!(mask_secret("abcdefghijkl"), "abcd********");
        assert_eq!(mask_secret("abcdefghijk"), "ab********");
        assert_eq!(mask_secret("abcdef"), "ab****");
        assert_eq!(mask_secret("abcde"), "*****");
        assert_eq!(mask_secret(""), "");
        assert_eq!(mask_secret(&"x".repeat(200)), "xxxx********");
        // Characters, not bytes.
        assert_eq!(mask_secret("mậtkhẩubímật2024"), "mậtk********");
    }

    #[test]
    fn token_masking_spares_words_paths_and_masked_text() {
        let line = "see src/main.rs:12 and README.md: password is fine";
        assert_eq!(mask_tokens(line), line);
        assert_eq!(mask_tokens("GITHUB_PAT=*****"), "GITHUB_PAT=*****");
        assert_eq!(mask_tokens("key = AKIA********"), "key = AKIA********");
        assert_eq!(mask_tokens("date 2021-07-15, 12345678"), "date 2021-07-15, 12345678");
        assert_eq!(mask_tokens("aws_key: \"AKIAIOSFODNN7EXAMPLE\""), "aws_key: \"AKIA********\"");
        assert_eq!(mask_tokens("t=ghp_abc1234567"), "t=gh********");
        let once = mask_tokens("token: xoxb-1234-abcd-5678-efgh");
        assert_eq!(once, "token: xoxb********");
        assert_eq!(mask_tokens(&once), once, "idempotent");
    }

    #[test]
    fn pem_private_key_bodies_are_masked() {
        let key =
            "cfg:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1\nabcdef==\n-----END RSA PRIVATE KEY-----\nrest";
        let m = mask_pem(key);
        assert_eq!(m, "cfg:\n-----BEGIN RSA PRIVATE KEY-----\n[…]\n-----END RSA PRIVATE KEY-----\nrest");
        assert_eq!(mask_pem(&m), m, "idempotent");
        let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        assert_eq!(mask_pem(cert), cert);
        let cut = "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA…";
        assert_eq!(mask_pem(cut), "-----BEGIN OPENSSH PRIVATE KEY-----[…]");
        let header_only = "\"-----BEGIN OPENSSH PRIVATE KEY-----\"";
        assert_eq!(mask_pem(header_only), "\"-----BEGIN OPENSSH PRIVATE KEY-----[…]");
    }
}
