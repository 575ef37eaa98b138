//! The distinct rules and titles of the alerts, folded for the queue's word search: a search
//! first finds the few rules whose words match (a small table), then reads the alerts of each
//! through `(rule, last_seen, id)`, newest first, instead of testing every alert's text.

use crate::db::{db_err, get, Dialect, Store};
use crate::sql::Sql;
use khien_domain::fold::fold;
use khien_domain::Result;
use std::collections::{BTreeMap, HashSet};

/// A search matching at most this many rules reads each rule's alerts through its own index
/// range; one matching more walks the alerts newest first and keeps those of matching rules
/// (they are then common enough for a page to come quickly).
const RULE_RANGES: usize = 32;
/// Rule and title pairs remembered as stored; past this the memory starts again (a feed whose
/// titles never repeat costs one conflicting insert per pair, nothing more).
const KNOWN_MAX: usize = 100_000;
/// Rules per insert (three parameters each).
const RULE_ROWS: usize = 100;

/// The pairs this process knows are stored (committed): a batch inserts only the others.
pub(crate) type KnownRules = std::sync::Mutex<HashSet<(String, String)>>;

/// How the alerts of a word search are read.
pub(super) enum RuleMatch {
    /// No rule holds the words.
    Nothing,
    /// Each rule with its matching titles.
    Few(BTreeMap<String, Vec<String>>),
    /// Too many rules to read one by one.
    Many,
}

/// What a search compares with: the rule and its title, folded.
fn search_text(rule: &str, title: &str) -> String {
    fold(&format!("{rule} {title}"))
}

/// Inserts of the pairs not stored yet (a pair stored meanwhile is left as it is).
pub(super) fn insert_rules(pairs: &[(String, String)], dialect: Dialect) -> Vec<Sql> {
    pairs
        .chunks(RULE_ROWS)
        .map(|part| {
            let mut q = Sql::new("INSERT INTO telemetry_rules (rule, title, search) VALUES ");
            for (i, (rule, title)) in part.iter().enumerate() {
                q.push(if i == 0 { "(" } else { ",(" }).bind(rule.as_str()).push(",").bind(title.as_str());
                q.push(",").bind(search_text(rule, title)).push(")");
            }
            q.push(" ON CONFLICT (rule, title) DO NOTHING");
            q.for_dialect(dialect)
        })
        .collect()
}

impl Store {
    /// Of a batch's distinct pairs, those this process has not seen stored.
    pub(super) fn unknown_rules(&self, mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
        let known = self.known_rules.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pairs.retain(|p| !known.contains(p));
        pairs
    }

    /// Remembers pairs as stored, once the transaction that stored them has committed.
    pub(super) fn remember_rules(&self, pairs: Vec<(String, String)>) {
        let mut known = self.known_rules.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if known.len() + pairs.len() > KNOWN_MAX {
            known.clear();
        }
        known.extend(pairs);
    }

    /// Folds the rules a migration copied from the alerts (their `search` is empty): run when the
    /// store opens; nothing to do after the first time.
    pub(crate) async fn fold_copied_rules(&self) -> Result<()> {
        loop {
            let rows = self
                .read_all(&Sql::new("SELECT rule, title FROM telemetry_rules WHERE search IS NULL LIMIT 500"))
                .await?;
            if rows.is_empty() {
                return Ok(());
            }
            let mut w = self.begin_plain_write().await?;
            for r in &rows {
                let (rule, title): (String, String) = (get(r, "rule")?, get(r, "title")?);
                sqlx::query("UPDATE telemetry_rules SET search = $1 WHERE rule = $2 AND title = $3")
                    .bind(search_text(&rule, &title))
                    .bind(rule)
                    .bind(title)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(db_err)?;
            }
            w.commit().await?;
        }
    }

    /// The rules whose rule or title hold every word of `term` (folded, in any order).
    pub(super) async fn rules_matching(&self, term: &str) -> Result<RuleMatch> {
        let mut q = Sql::new("SELECT rule, title FROM telemetry_rules WHERE search IS NOT NULL");
        q.words_like(&["search"], term);
        // A few titles per rule at most, in practice; more pairs than this are many rules.
        q.push(" ORDER BY rule, title LIMIT ").bind((RULE_RANGES * 4 + 1) as i64);
        let rows = self.read_all(&q).await?;
        if rows.len() > RULE_RANGES * 4 {
            return Ok(RuleMatch::Many);
        }
        let mut rules: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &rows {
            rules.entry(get(r, "rule")?).or_default().push(get(r, "title")?);
        }
        Ok(match rules.len() {
            0 => RuleMatch::Nothing,
            n if n <= RULE_RANGES => RuleMatch::Few(rules),
            _ => RuleMatch::Many,
        })
    }
}

/// Appends ` AND a.rule = … AND a.title IN (…)`: one rule's alerts of a search.
pub(super) fn push_rule(q: &mut Sql, rule: &str, titles: &[String]) {
    q.plan_per_run().push(" AND a.rule = ").bind(rule).push(" AND a.title IN (");
    for (i, t) in titles.iter().enumerate() {
        if i > 0 {
            q.push(",");
        }
        q.bind(t.as_str());
    }
    q.push(")");
}

/// Appends the condition that an alert's rule and title hold every word of `term`.
pub(super) fn push_rule_words(q: &mut Sql, term: &str) {
    q.push(" AND EXISTS (SELECT 1 FROM telemetry_rules r WHERE r.rule = a.rule AND r.title = a.title");
    q.words_like(&["r.search"], term);
    q.push(")");
}
