//! Deterministic identifiers and timestamps.

use chrono::{DateTime, SecondsFormat, Utc};
use uuid::Uuid;

/// The namespace of deterministic SCO ids (STIX 2.1, section 2.9).
pub(crate) const SCO_NAMESPACE: Uuid = Uuid::from_u128(0x00ab_edb4_aa42_466c_9c01_fed2_3315_a9b7);

/// Ids of one installation: UUID v5 in a namespace derived from its
/// `namespace_id`, over `<type>:<key>`.
#[derive(Clone, Copy)]
pub(crate) struct IdMaker {
    ns: Uuid,
}

impl IdMaker {
    pub(crate) fn new(namespace_id: &str) -> Self {
        let seed = format!("urn:khien:{namespace_id}");
        IdMaker { ns: Uuid::new_v5(&Uuid::NAMESPACE_URL, seed.as_bytes()) }
    }

    /// `<stix_type>--<uuid v5 of "<stix_type>:" followed by the bytes>`.
    pub(crate) fn id_of_bytes(&self, stix_type: &str, bytes: &[u8]) -> String {
        let name = [stix_type.as_bytes(), b":", bytes].concat();
        format!("{stix_type}--{}", Uuid::new_v5(&self.ns, &name))
    }

    /// `<stix_type>--<uuid v5 of "<stix_type>:<key>">`.
    pub(crate) fn id(&self, stix_type: &str, key: &str) -> String {
        let name = format!("{stix_type}:{key}");
        format!("{stix_type}--{}", Uuid::new_v5(&self.ns, name.as_bytes()))
    }
}

/// The id of an SCO from its ID-contributing properties, given as a JSON
/// object: UUID v5 in [`SCO_NAMESPACE`] over its JCS (RFC 8785) form. The
/// objects built here have one key per level, whose compact serde_json
/// form is the canonical form.
pub(crate) fn sco_id(sco_type: &str, contributing: &serde_json::Value) -> String {
    let canonical = contributing.to_string();
    format!("{sco_type}--{}", Uuid::new_v5(&SCO_NAMESPACE, canonical.as_bytes()))
}

/// RFC 3339 in UTC with millisecond precision and `Z`.
pub(crate) fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whether `id` is `<stix_type>--<UUID>` (any version, canonical text form).
pub(crate) fn valid_id(id: &str, stix_type: &str) -> bool {
    match id.split_once("--") {
        Some((t, u)) => t == stix_type && u.len() == 36 && Uuid::try_parse(u).is_ok(),
        None => false,
    }
}

/// Whether `t` is a valid STIX type name: 3–250 characters of `[a-z0-9-]`,
/// no leading/trailing/double hyphen.
pub(crate) fn valid_type(t: &str) -> bool {
    (3..=250).contains(&t.len())
        && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !t.starts_with('-')
        && !t.ends_with('-')
        && !t.contains("--")
}
