-- Each CVE of a finding on a row of its own, so that the CVE filter is an index look-up instead
-- of a substring scan of findings.cves (which stays, for display). Written with the finding by
-- the scan import; findings.cves holds the same ids (upper case, sorted, comma-separated).
CREATE TABLE finding_cves (
    finding_id  INTEGER NOT NULL REFERENCES findings(id),
    cve         TEXT NOT NULL,
    PRIMARY KEY (finding_id, cve)
);
-- The filter: one CVE, or the ids that begin with a prefix (a range of this index).
CREATE INDEX finding_cves_cve ON finding_cves(cve, finding_id);

-- The findings already stored.
WITH RECURSIVE split(finding_id, cve, rest) AS (
    SELECT id, '', cves || ',' FROM findings WHERE cves <> ''
    UNION ALL
    SELECT finding_id, upper(trim(substr(rest, 1, instr(rest, ',') - 1))), substr(rest, instr(rest, ',') + 1)
    FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO finding_cves (finding_id, cve) SELECT finding_id, cve FROM split WHERE cve <> '';
