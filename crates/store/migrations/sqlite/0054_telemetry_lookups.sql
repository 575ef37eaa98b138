-- Telemetry read by system and by address (issue 18.2, 18.6): a system's last day of telemetry
-- (layer 2 of its 4-layer status), and the alerts that saw an address ("where else", the watch
-- list).
CREATE INDEX telemetry_daily_system ON telemetry_daily(system_id, day);
CREATE INDEX telemetry_alerts_src ON telemetry_alerts(src_ip);
CREATE INDEX telemetry_alerts_dst ON telemetry_alerts(dst_ip);
