-- Issue 12: levels 4–5 are appraised by the ministry (NĐ 331 Đ18.3); its document is recorded.
ALTER TABLE dossiers ADD COLUMN appraisal_ref TEXT;
