-- Issue 12: the title of the unit's head, for the signature block of generated documents
-- (NĐ 30/2020 Phụ lục I II.7: the signer's real position, e.g. "Giám đốc", "Chủ tịch").
ALTER TABLE units ADD COLUMN head_title TEXT;
