-- A test's schedule is part of its definition; next_run_at is the first slot not yet turned into a run.
CREATE TABLE schedules (
    test_id      uuid        PRIMARY KEY REFERENCES tests (id) ON DELETE CASCADE,
    expression   text        NOT NULL,
    time_zone    text        NOT NULL DEFAULT 'UTC',
    next_run_at  timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX schedules_due ON schedules (next_run_at);

-- The sweep looks for runs that were committed but never reached the queue.
CREATE INDEX runs_not_enqueued ON runs (queued_at) WHERE status = 'queued' AND enqueued_at IS NULL;
