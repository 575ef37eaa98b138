-- Reports from the public (no account): the authority's queue, routed to a unit, possibly
-- turned into an incident. The sender's address is kept only as a SHA-256, never in clear.
CREATE TABLE public_reports (
    id              BIGSERIAL PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    category        TEXT NOT NULL,
    description     TEXT NOT NULL,
    search_folded   TEXT NOT NULL,
    reporter_name   TEXT,
    reporter_phone  TEXT,
    reporter_email  TEXT,
    url             TEXT,
    state           TEXT NOT NULL,
    routed_unit_id  BIGINT REFERENCES units(id),
    incident_id     BIGINT REFERENCES incidents(id),
    client_hash     TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX public_reports_state ON public_reports(state, id);
CREATE INDEX public_reports_unit ON public_reports(routed_unit_id, id);
CREATE INDEX public_reports_client ON public_reports(client_hash, received_at);

CREATE TABLE public_report_files (
    id            BIGSERIAL PRIMARY KEY,
    report_id     BIGINT NOT NULL REFERENCES public_reports(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    data          BYTEA NOT NULL
);
CREATE INDEX public_report_files_report ON public_report_files(report_id, id);
