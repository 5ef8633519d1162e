-- Direct-to-storage uploads: the client puts the bytes to a staging blob with a short-lived SAS, then commits.
-- A row lives until it expires; the sweep removes it with its staging blob. test_id is the test to create
-- (kind 'test') or the test that gets a new version (kind 'version').
CREATE TABLE direct_uploads (
    id            uuid        PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('test', 'version')),
    test_id       uuid        NOT NULL,
    fields        jsonb       NOT NULL,
    file_name     text        NOT NULL,
    staging_blob  text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    created_at    timestamptz NOT NULL,
    committed_at  timestamptz,
    version       integer,
    sha256        text,
    size_bytes    bigint
);

CREATE INDEX direct_uploads_by_expiry ON direct_uploads (expires_at);
