//! Fixed STIX identifiers and Khiên-to-STIX vocabulary mappings.

use chrono::{DateTime, TimeZone, Utc};

/// Extension definition of TLP 2.0 marking definitions (cti-stix-common-objects).
pub const TLP2_EXTENSION_ID: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// Extension definition of the Incident Core Extension (cti-stix-common-objects).
pub const INCIDENT_CORE_EXTENSION_ID: &str = "extension-definition--ef765651-680c-498d-9894-99799f2fa126";

/// TLP levels accepted on export, least to most restrictive.
pub const TLP_LEVELS: &[&str] = &["clear", "green", "amber", "amber+strict", "red"];

/// Incident categories accepted on export.
pub const CATEGORIES: &[&str] =
    &["malware", "ransomware", "phishing", "intrusion", "ddos", "defacement", "data_leak", "botnet", "other"];

/// Incident states accepted on export.
pub const STATES: &[&str] = &["received", "triaged", "containing", "recovering", "reviewing", "closed"];

/// A Traffic Light Protocol level; the order is from least to most restrictive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

impl Tlp {
    pub(crate) const ALL: [Tlp; 5] = [Tlp::Clear, Tlp::Green, Tlp::Amber, Tlp::AmberStrict, Tlp::Red];

    /// Reads `clear`, `TLP:CLEAR`, `white` (TLP 1.0)… in any case.
    pub(crate) fn parse(s: &str) -> Option<Tlp> {
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_prefix("tlp:").unwrap_or(&t);
        match t {
            "clear" | "white" => Some(Tlp::Clear),
            "green" => Some(Tlp::Green),
            "amber" => Some(Tlp::Amber),
            "amber+strict" => Some(Tlp::AmberStrict),
            "red" => Some(Tlp::Red),
            _ => None,
        }
    }

    /// The `tlp_2_0` value: `clear`, `green`, `amber`, `amber+strict`, `red`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// The marking definition's `name`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// The official TLP 2.0 marking definition id.
    pub(crate) fn marking_id(self) -> &'static str {
        match self {
            Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        }
    }

    /// Official TLP 1.0 and 2.0 marking definition ids, known without the
    /// definition being in the bundle.
    pub(crate) fn from_marking_id(id: &str) -> Option<Tlp> {
        match id {
            // TLP 1.0 (STIX 2.1 specification, section 7.2.1.4).
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9" => Some(Tlp::Clear),
            "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da" => Some(Tlp::Green),
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82" => Some(Tlp::Amber),
            "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed" => Some(Tlp::Red),
            _ => Tlp::ALL.into_iter().find(|t| t.marking_id() == id),
        }
    }

    /// `created` of the official TLP 2.0 marking definitions.
    pub(crate) fn marking_created() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2022, 10, 1, 0, 0, 0).single().unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }
}

/// Incident Core `investigation_status` (incident-investigation-ov).
pub(crate) fn investigation_status(state: &str) -> Option<&'static str> {
    match state {
        "received" => Some("new"),
        "triaged" | "containing" | "recovering" | "reviewing" => Some("open"),
        "closed" => Some("closed"),
        _ => None,
    }
}

/// Incident Core `incident_types` (event-type-ov) for a category.
pub(crate) fn incident_type(category: &str) -> Option<&'static str> {
    match category {
        "malware" => Some("infected-by-known-malware"),
        "ransomware" => Some("ransomware"),
        "phishing" => Some("dissemination-phishing-emails"),
        "intrusion" => Some("unauthorized-access-system"),
        "ddos" => Some("denial-of-service"),
        "defacement" => Some("modification-information"),
        "data_leak" => Some("unauthorized-release"),
        "botnet" => Some("connection-malware-system"),
        "other" => Some("unspecified"),
        _ => None,
    }
}

/// Incident Core `criticality` (0–100), after Appendix B "5 Qualitative"
/// of the extension: serious → Extreme (95); priority 1 → High (70),
/// 2 → Moderate (40), 3 and 4 → Low (20, 10).
pub(crate) fn criticality(serious: bool, priority: u8) -> u8 {
    if serious {
        return 95;
    }
    match priority {
        1 => 70,
        2 => 40,
        3 => 20,
        _ => 10,
    }
}

/// STIX Cyber-observable Object types (STIX 2.1, section 6).
pub(crate) const SCO_TYPES: &[&str] = &[
    "artifact",
    "autonomous-system",
    "directory",
    "domain-name",
    "email-addr",
    "email-message",
    "file",
    "ipv4-addr",
    "ipv6-addr",
    "mac-addr",
    "mutex",
    "network-traffic",
    "process",
    "software",
    "url",
    "user-account",
    "windows-registry-key",
    "x509-certificate",
];

/// STIX Domain, Relationship and Meta Object types (STIX 2.1, sections 4, 5, 7).
pub(crate) const SDO_TYPES: &[&str] = &[
    "attack-pattern",
    "campaign",
    "course-of-action",
    "grouping",
    "identity",
    "incident",
    "indicator",
    "infrastructure",
    "intrusion-set",
    "location",
    "malware",
    "malware-analysis",
    "note",
    "observed-data",
    "opinion",
    "report",
    "threat-actor",
    "tool",
    "vulnerability",
    "relationship",
    "sighting",
    "marking-definition",
    "language-content",
    "extension-definition",
];
