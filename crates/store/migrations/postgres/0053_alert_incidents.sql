-- An alert promoted to an incident, or linked to one (issue 18.6).
ALTER TABLE telemetry_alerts ADD COLUMN incident_id BIGINT REFERENCES incidents(id);
