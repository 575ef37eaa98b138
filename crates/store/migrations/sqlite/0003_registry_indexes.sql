-- Registry lists filter by one of these and page by name: an index per filter keeps a page a
-- short index walk even when few systems match.
CREATE INDEX systems_dossier_state_name ON systems(dossier_state, name_folded, id);
CREATE INDEX systems_status_name ON systems(status, name_folded, id);
CREATE INDEX systems_level_name ON systems(approved_level, name_folded, id);

-- Folded name and code in one column, inside the name-ordered index: a text search walks the
-- index alone and reads a table row only for the systems that match.
ALTER TABLE systems ADD COLUMN search_folded TEXT NOT NULL DEFAULT '';
UPDATE systems SET search_folded = name_folded || ' ' || LOWER(code);
DROP INDEX systems_name_folded;
CREATE INDEX systems_name_search ON systems(name_folded, id, search_folded);
