//! Findings of vulnerability scanners (Nessus, OpenVAS, SARIF tools, Trivy, ZAP): the one
//! severity scale they are all mapped to, and the stable key that recognises a finding again
//! in the next scan.

use sha2::{Digest, Sha256};

use crate::system::code_enum;

code_enum!(
    /// Severity of a finding, lowest first, so that `Critical` is the greatest (`Ord`).
    /// Serialised as its code ("info", "low", "medium", "high", "critical").
    Severity {
        Info = "info": "Thông tin" / "Informational",
        Low = "low": "Thấp" / "Low",
        Medium = "medium": "Trung bình" / "Medium",
        High = "high": "Cao" / "High",
        Critical = "critical": "Nghiêm trọng" / "Critical",
    }
);

impl Severity {
    /// The CVSS v3 qualitative rating of a base score: 0.0 None (here `Info`), 0.1–3.9 Low,
    /// 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10.0 Critical. Scores have one decimal; anything
    /// between two bands goes to the lower one (3.95 is Low). A score below 0.1 or not a
    /// number is `Info`, one above 10 is `Critical`: callers check the range when they read it.
    pub fn from_cvss(score: f32) -> Severity {
        if score.is_nan() || score < 0.1 {
            Severity::Info
        } else if score < 4.0 {
            Severity::Low
        } else if score < 7.0 {
            Severity::Medium
        } else if score < 9.0 {
            Severity::High
        } else {
            Severity::Critical
        }
    }
}

/// SHA-256 (lower-case hex, 64 characters) of a list of texts, each prefixed with its length in
/// bytes (8 bytes, big-endian) so that no two lists give the same bytes ("a|b", "" differs from
/// "a", "|b"). Used for the dedup key of a scanner finding: the list and its order are part of
/// the stored data's meaning, so they never change once keys are stored.
pub fn finding_key(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn codes_labels_and_parse() {
        let codes: Vec<&str> = Severity::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, ["info", "low", "medium", "high", "critical"]);
        assert_eq!(Severity::Critical.label(Lang::Vi), "Nghiêm trọng");
        assert_eq!(Severity::Medium.label(Lang::Vi), "Trung bình");
        assert_eq!(Severity::Info.label(Lang::Vi), "Thông tin");
        assert_eq!(Severity::High.label(Lang::En), "High");
        for s in Severity::ALL {
            assert_eq!(Severity::parse("severity", s.code()).unwrap(), *s);
        }
        let e = Severity::parse("severity", "urgent").unwrap_err();
        assert_eq!(e.field(), Some("severity"));
        assert!(e.message(Lang::En).contains("«urgent»"), "{e}");
    }

    #[test]
    fn critical_is_highest() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::High > Severity::Medium);
        assert!(Severity::Low > Severity::Info);
        assert_eq!(Severity::ALL.iter().max(), Some(&Severity::Critical));
    }

    #[test]
    fn serde_uses_the_code() {
        assert_eq!(serde_json::to_string(&Severity::Critical).unwrap(), "\"critical\"");
        let s: Severity = serde_json::from_str("\"medium\"").unwrap();
        assert_eq!(s, Severity::Medium);
        assert!(serde_json::from_str::<Severity>("\"Medium\"").is_err());
    }

    #[test]
    fn cvss_bands() {
        let cases = [
            (0.0, Severity::Info),
            (0.1, Severity::Low),
            (3.9, Severity::Low),
            (3.95, Severity::Low),
            (4.0, Severity::Medium),
            (6.9, Severity::Medium),
            (7.0, Severity::High),
            (8.9, Severity::High),
            (9.0, Severity::Critical),
            (10.0, Severity::Critical),
            (-1.0, Severity::Info),
            (f32::NAN, Severity::Info),
            (11.0, Severity::Critical),
        ];
        for (score, want) in cases {
            assert_eq!(Severity::from_cvss(score), want, "score {score}");
        }
    }

    #[test]
    fn finding_key_is_length_prefixed_and_stable() {
        let k = finding_key(&["nessus", "SYS-1", "10.0.0.1"]);
        assert_eq!(k.len(), 64);
        assert!(k.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(k, finding_key(&["nessus", "SYS-1", "10.0.0.1"]));
        assert_ne!(finding_key(&["a|b", ""]), finding_key(&["a", "|b"]));
        assert_ne!(finding_key(&["ab", ""]), finding_key(&["a", "b"]));
        // Pinned: stored keys must never change.
        assert_eq!(finding_key(&[]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
