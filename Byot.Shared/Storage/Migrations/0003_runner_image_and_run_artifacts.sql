-- Runtime 'image': the test names the image it runs in. Null for every other runtime (the runner's configuration decides).
ALTER TABLE tests ADD COLUMN image text;

-- Files a run left in /artifacts, uploaded to Blob after it exited. Small by design: one row a file.
CREATE TABLE run_artifacts (
    run_id      uuid        NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    path        text        NOT NULL,
    blob_name   text        NOT NULL,
    size_bytes  bigint      NOT NULL CHECK (size_bytes >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, path)
);
