//! The audit chain: each record's hash covers its content and the previous record's hash, so
//! editing or deleting any row breaks every hash after it.

use sha2::{Digest, Sha256};

/// Hash of the record before the first one.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an audit record that the hash protects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub id: i64,
    pub at_ms: i64,
    pub actor_user_id: Option<i64>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub before_json: Option<&'a str>,
    pub after_json: Option<&'a str>,
}

fn put(h: &mut Sha256, s: &str) {
    // Length-prefixed so that no two field lists produce the same byte stream.
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

fn put_opt_i64(h: &mut Sha256, v: Option<i64>) {
    put(h, &v.map(|v| v.to_string()).unwrap_or_default());
}

pub fn chain_hash(prev_hash: &str, f: &AuditFields<'_>) -> String {
    let mut h = Sha256::new();
    put(&mut h, prev_hash);
    put(&mut h, &f.id.to_string());
    put(&mut h, &f.at_ms.to_string());
    put_opt_i64(&mut h, f.actor_user_id);
    put(&mut h, f.actor_label);
    put(&mut h, f.action);
    put(&mut h, f.entity_type);
    put_opt_i64(&mut h, f.entity_id);
    put_opt_i64(&mut h, f.unit_id);
    put(&mut h, f.before_json.unwrap_or("\u{0}"));
    put(&mut h, f.after_json.unwrap_or("\u{0}"));
    hex::encode(h.finalize())
}

/// Why a stored chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// Record ids must follow 1, 2, 3…; a gap means a deleted record.
    Gap { expected_id: i64, found_id: i64 },
    /// The stored prev_hash is not the previous record's hash.
    PrevMismatch { id: i64 },
    /// The stored hash does not match the record's content.
    HashMismatch { id: i64 },
}

impl ChainBreak {
    pub fn id(&self) -> i64 {
        match self {
            ChainBreak::Gap { found_id, .. } => *found_id,
            ChainBreak::PrevMismatch { id } | ChainBreak::HashMismatch { id } => *id,
        }
    }
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Gap { expected_id, found_id } => {
                write!(f, "record {expected_id} is missing (next record is {found_id}): a record was deleted")
            }
            ChainBreak::PrevMismatch { id } => write!(f, "record {id}: prev_hash does not match record {}", id - 1),
            ChainBreak::HashMismatch { id } => write!(f, "record {id}: content does not match its hash (edited)"),
        }
    }
}

/// Verifies records in id order, carrying the state between calls so the store can stream.
pub struct ChainVerifier {
    expected_id: i64,
    prev_hash: String,
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { expected_id: 1, prev_hash: GENESIS.to_string(), checked: 0 }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, f: &AuditFields<'_>, stored_prev: &str, stored_hash: &str) -> Result<(), ChainBreak> {
        if f.id != self.expected_id {
            return Err(ChainBreak::Gap { expected_id: self.expected_id, found_id: f.id });
        }
        if stored_prev != self.prev_hash {
            return Err(ChainBreak::PrevMismatch { id: f.id });
        }
        if chain_hash(stored_prev, f) != stored_hash {
            return Err(ChainBreak::HashMismatch { id: f.id });
        }
        self.expected_id += 1;
        self.prev_hash = stored_hash.to_string();
        self.checked += 1;
        Ok(())
    }
}

/// A reader's name for an audit action code (the table of `audit_labels`); an unknown code is
/// shown as it is.
pub fn action_label(code: &str, lang: crate::Lang) -> &str {
    crate::audit_labels::action_label(code, lang).unwrap_or(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: i64, after: &str) -> AuditFields<'_> {
        AuditFields {
            id,
            at_ms: 1000 + id,
            actor_user_id: Some(1),
            actor_label: "admin",
            action: "unit.create",
            entity_type: "unit",
            entity_id: Some(id),
            unit_id: Some(1),
            before_json: None,
            after_json: Some(after),
        }
    }

    #[test]
    fn chain_verifies_and_detects_edits_and_deletions() {
        let a = rec(1, "{\"name\":\"A\"}");
        let ha = chain_hash(GENESIS, &a);
        let b = rec(2, "{\"name\":\"B\"}");
        let hb = chain_hash(&ha, &b);
        let mut v = ChainVerifier::default();
        assert_eq!(v.check(&a, GENESIS, &ha), Ok(()));
        assert_eq!(v.check(&b, &ha, &hb), Ok(()));

        let edited = rec(2, "{\"name\":\"X\"}");
        let mut v = ChainVerifier::default();
        v.check(&a, GENESIS, &ha).unwrap_or_default();
        assert_eq!(v.check(&edited, &ha, &hb), Err(ChainBreak::HashMismatch { id: 2 }));

        let mut v = ChainVerifier::default();
        assert_eq!(v.check(&b, &ha, &hb), Err(ChainBreak::Gap { expected_id: 1, found_id: 2 }));
    }

    #[test]
    fn none_and_empty_differ() {
        let mut a = rec(1, "");
        let with_empty = chain_hash(GENESIS, &a);
        a.after_json = None;
        assert_ne!(with_empty, chain_hash(GENESIS, &a));
    }
}
