//! From alert to incident (issue 18.6): an analyst of the alert's unit promotes it to a new
//! incident — its title, first seen, system, rule and addresses carried over as the report and
//! its observables — or links it to an incident already open.

use crate::db::{db_err, Store};
use crate::incidents::incident_model::{IncidentInput, ObservableInput};
use khien_domain::role::Action;
use khien_domain::scope::Actor;
use khien_domain::time::{display_vn, rfc3339};
use khien_domain::{Error, Result};

impl Store {
    /// Promotes an alert to a new incident of its unit (`existing` None; `category` defaults to
    /// intrusion) or links it to `existing`; returns the incident's id.
    pub async fn promote_alert(
        &self,
        actor: &Actor,
        alert_id: i64,
        existing: Option<i64>,
        category: Option<&str>,
    ) -> Result<i64> {
        let a = self.get_telemetry_alert(actor, alert_id).await?;
        let Some(unit) = a.unit_id else {
            return Err(Error::conflict(
                "Cảnh báo chưa thuộc đơn vị nào: hãy khai báo dải IP của hệ thống trước.",
                "The alert belongs to no unit yet: register the system's IP range first.",
            ));
        };
        let incident_id = match existing {
            Some(id) => self.scoped_incident(&self.pool, actor, id, Action::ReportIncidents).await?.id,
            None => {
                let observables = [a.src_ip.as_deref(), a.dst_ip.as_deref()]
                    .into_iter()
                    .flatten()
                    .map(|ip| ObservableInput {
                        kind: if ip.contains(':') { "ipv6" } else { "ipv4" }.into(),
                        value: ip.to_string(),
                        source: Some(format!("{} {}", a.shape, a.rule)),
                        ..Default::default()
                    })
                    .collect();
                let title = if a.title.is_empty() { &a.rule } else { &a.title };
                let input = IncidentInput {
                    unit_id: unit,
                    title: format!("{title} — {}", a.asset).chars().take(300).collect(),
                    category: category.unwrap_or("intrusion").to_string(),
                    detected_at: rfc3339(a.first_seen),
                    system_ids: a.system_id.into_iter().collect(),
                    symptoms: Some(format!(
                        "Cảnh báo giám sát #{}: {} sự kiện ({}, quy tắc {}) từ {} đến {}.",
                        a.id,
                        a.event_count,
                        a.shape,
                        a.rule,
                        display_vn(a.first_seen),
                        display_vn(a.last_seen)
                    )),
                    observables,
                    // Promoted twice, the alert gives the one incident.
                    submission_id: Some(format!("telemetry-alert-{}", a.id)),
                    ..Default::default()
                };
                self.create_incident(actor, &input).await?.id
            }
        };
        let mut w = self.begin_plain_write().await?;
        sqlx::query("UPDATE telemetry_alerts SET incident_id = $1 WHERE id = $2")
            .bind(incident_id)
            .bind(alert_id)
            .execute(&mut *w.tx)
            .await
            .map_err(db_err)?;
        w.commit().await?;
        Ok(incident_id)
    }
}
