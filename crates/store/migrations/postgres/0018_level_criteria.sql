-- Issue 12: the level criteria the decrees name that the registry did not hold.
-- An online service in a conditional business line (NĐ 85 Đ9.2.b; NĐ 331 Đ13.2.a).
ALTER TABLE systems ADD COLUMN conditional_business BIGINT NOT NULL DEFAULT 0;
-- For industrial control: the grade of the works controlled (NĐ 85 Đ9.4–11.4; NĐ 331 Đ13.4–15.4).
ALTER TABLE systems ADD COLUMN works_grade TEXT NOT NULL DEFAULT 'none';
-- For state secrets: the harm of a breach, which decides the level (NĐ 85 Đ9.1–11.1; NĐ 331 Đ13.1–15.1).
ALTER TABLE systems ADD COLUMN secret_harm TEXT NOT NULL DEFAULT 'none';
-- When building began (yyyy-mm-dd): before 01/7/2026 the level is determined under NĐ 85 until
-- 01/01/2027 (NĐ 331 Đ39.1).
ALTER TABLE systems ADD COLUMN building_started_on TEXT;
