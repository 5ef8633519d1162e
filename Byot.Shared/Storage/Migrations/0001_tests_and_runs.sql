-- Definitions: what to run. Observations (runs) are kept apart and never rewrite a definition.
CREATE TABLE tests (
    id                 uuid        PRIMARY KEY,
    name               text        NOT NULL,
    runtime            text        NOT NULL,
    severity           text        NOT NULL CHECK (severity IN ('P0', 'P1', 'P2', 'P3')),
    command            text[],
    timeout_seconds    integer     NOT NULL CHECK (timeout_seconds > 0),
    failure_threshold  integer     NOT NULL CHECK (failure_threshold > 0),
    memory_mb          integer     NOT NULL CHECK (memory_mb > 0),
    cpus               double precision NOT NULL CHECK (cpus > 0),
    network_enabled    boolean     NOT NULL DEFAULT false,
    enabled            boolean     NOT NULL DEFAULT true,
    artifact_version   integer     NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE test_artifacts (
    test_id     uuid        NOT NULL REFERENCES tests (id) ON DELETE CASCADE,
    version     integer     NOT NULL,
    blob_name   text        NOT NULL,
    sha256      text        NOT NULL,
    size_bytes  bigint      NOT NULL CHECK (size_bytes > 0),
    file_name   text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (test_id, version)
);

CREATE TABLE runs (
    id                uuid        PRIMARY KEY,
    test_id           uuid        NOT NULL REFERENCES tests (id) ON DELETE CASCADE,
    trigger           text        NOT NULL CHECK (trigger IN ('manual', 'schedule', 'retry')),
    scheduled_for     timestamptz,
    artifact_version  integer     NOT NULL,
    attempt           integer     NOT NULL DEFAULT 0,
    status            text        NOT NULL CHECK (status IN ('queued', 'running', 'passed', 'failed', 'timed_out', 'oom', 'infra_error', 'cancelled', 'skipped')),
    runner_id         text,
    lease_until       timestamptz,
    queued_at         timestamptz NOT NULL DEFAULT now(),
    enqueued_at       timestamptz,
    started_at        timestamptz,
    finished_at       timestamptz,
    duration_ms       bigint,
    exit_code         integer,
    log_blob          text,
    log_bytes         bigint      NOT NULL DEFAULT 0,
    log_truncated     boolean     NOT NULL DEFAULT false,
    error             text
);

-- One run per scheduled slot, whoever claims it.
CREATE UNIQUE INDEX runs_one_per_slot ON runs (test_id, scheduled_for) WHERE scheduled_for IS NOT NULL;
CREATE INDEX runs_by_test_newest ON runs (test_id, queued_at DESC);
CREATE INDEX runs_open ON runs (status, lease_until) WHERE status IN ('queued', 'running');
