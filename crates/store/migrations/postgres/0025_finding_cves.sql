-- Each CVE of a finding on a row of its own, so that the CVE filter is an index look-up instead
-- of a substring scan of findings.cves (which stays, for display). Written with the finding by
-- the scan import; findings.cves holds the same ids (upper case, sorted, comma-separated).
-- COLLATE "C": a prefix is a range of the index, compared byte by byte as SQLite does, whatever
-- the database's collation.
CREATE TABLE finding_cves (
    finding_id  BIGINT NOT NULL REFERENCES findings(id),
    cve         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (finding_id, cve)
);
-- The filter: one CVE, or the ids that begin with a prefix (a range of this index).
CREATE INDEX finding_cves_cve ON finding_cves(cve, finding_id);

-- The findings already stored.
INSERT INTO finding_cves (finding_id, cve)
SELECT DISTINCT f.id, upper(btrim(c)) FROM findings f, unnest(string_to_array(f.cves, ',')) AS c
WHERE btrim(c) <> '';
