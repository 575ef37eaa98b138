-- Issue 12: what the go-live gate and the approval look at.
-- How far the approved protection plan is implemented (NĐ 331 Mẫu 08's words; TT 12/2022 Đ9.6,
-- NĐ 331 Đ30.6: fully, before operation).
ALTER TABLE systems ADD COLUMN plan_status TEXT NOT NULL DEFAULT 'not_started';
-- The assessment of security conditions before operation that found the system fit (NĐ 331 Đ28.3).
ALTER TABLE systems ADD COLUMN preoperation_assessed_on TEXT;
-- The decision issuing the system's security rules (quy chế), needed before the dossier is
-- approved (NĐ 331 Đ30.7; TT 12/2022 Đ9.7).
ALTER TABLE systems ADD COLUMN security_rules_ref TEXT;
