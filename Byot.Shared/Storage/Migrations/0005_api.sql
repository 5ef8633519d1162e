-- A deleted test keeps its run history; it just stops existing for the API and the scheduler.
ALTER TABLE tests ADD COLUMN deleted_at timestamptz;

-- Write-only secrets, encrypted by the application (AES-256-GCM); the key never reaches the database.
CREATE TABLE test_secrets (
    test_id     uuid        NOT NULL REFERENCES tests (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    nonce       bytea       NOT NULL,
    ciphertext  bytea       NOT NULL,
    tag         bytea       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (test_id, name)
);

CREATE INDEX runs_by_test_history ON runs (test_id, queued_at DESC, id DESC);
