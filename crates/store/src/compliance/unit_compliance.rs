//! Compliance per unit: the latest done assessment of each of the unit's systems, summed. Each
//! assessment keeps its outcome counts on its row, so this reads one row per system. (Sums are
//! cast to BIGINT: PostgreSQL sums integers as NUMERIC, which sqlx `Any` cannot decode.)

use khien_domain::compliance::assessment::Score;
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::Result;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{get, Store};
use crate::sql::Sql;

/// One owner unit's compliance over its systems' latest done assessments.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitCompliance {
    pub unit_id: i64,
    pub unit_name: String,
    /// Systems with at least one done assessment.
    pub systems_assessed: i64,
    /// Requirements applicable across those assessments, and their outcomes.
    pub applicable: i64,
    pub compliant: i64,
    pub partly: i64,
    pub non_compliant: i64,
    pub not_applicable: i64,
    /// Compliant whole, partly half, not-applicable left out; requirements weigh equally, so a
    /// large system counts more than a small one.
    pub percent: Option<f64>,
}

impl UnitCompliance {
    pub fn score(&self) -> Score {
        Score {
            applicable: self.applicable,
            compliant: self.compliant,
            partly: self.partly,
            non_compliant: self.non_compliant,
            not_applicable: self.not_applicable,
        }
    }
}

impl Store {
    /// Per owner unit in the caller's reach, lowest compliance first (units without a done
    /// assessment are not listed).
    pub async fn unit_compliance(&self, actor: &Actor) -> Result<Vec<UnitCompliance>> {
        let mut q = Sql::new(
            "SELECT u.id AS unit_id, u.name AS unit_name, COUNT(*) AS systems, CAST(SUM(a.applicable) AS BIGINT) AS applicable, CAST(SUM(a.compliant) AS BIGINT) AS compliant, \
             CAST(SUM(a.partly) AS BIGINT) AS partly, CAST(SUM(a.non_compliant) AS BIGINT) AS non_compliant, CAST(SUM(a.not_applicable) AS BIGINT) AS not_applicable \
             FROM assessments a JOIN units u ON u.id = a.unit_id \
             WHERE a.state = 'done' AND a.id = (SELECT MAX(b.id) FROM assessments b WHERE b.system_id = a.system_id AND b.state = 'done') AND ",
        );
        q.reach("u.path", "u.id", &actor.reach(Action::ViewCompliance));
        q.push(" GROUP BY u.id, u.name LIMIT 5000");
        let rows = self.read_all(&q).await?;
        let mut out = rows
            .iter()
            .map(|r| {
                let n = |c: &str| get::<Option<i64>>(r, c).map(Option::unwrap_or_default);
                let score = Score {
                    applicable: n("applicable")?,
                    compliant: n("compliant")?,
                    partly: n("partly")?,
                    non_compliant: n("non_compliant")?,
                    not_applicable: n("not_applicable")?,
                };
                Ok(UnitCompliance {
                    unit_id: get(r, "unit_id")?,
                    unit_name: get(r, "unit_name")?,
                    systems_assessed: get(r, "systems")?,
                    applicable: score.applicable,
                    compliant: score.compliant,
                    partly: score.partly,
                    non_compliant: score.non_compliant,
                    not_applicable: score.not_applicable,
                    percent: score.percent(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| {
            a.percent
                .unwrap_or(101.0)
                .total_cmp(&b.percent.unwrap_or(101.0))
                .then_with(|| a.unit_name.cmp(&b.unit_name))
        });
        Ok(out)
    }
}
