-- Alerting. Definitions (policy overrides on tests) stay apart from observations (alert state, incidents, outbox).

-- Per-test overrides of the per-severity defaults in configuration (Byot:Alerts:Routes:<severity>); NULL = default.
ALTER TABLE tests
    ADD COLUMN reminder_minutes     integer CHECK (reminder_minutes IS NULL OR reminder_minutes > 0),
    ADD COLUMN resolve_after_passes integer CHECK (resolve_after_passes IS NULL OR resolve_after_passes > 0);

-- What the evaluator knows about a test's recent results; one row per test, locked while a result is evaluated.
CREATE TABLE alert_state (
    test_id               uuid        PRIMARY KEY REFERENCES tests (id) ON DELETE CASCADE,
    consecutive_failures  integer     NOT NULL DEFAULT 0,
    consecutive_passes    integer     NOT NULL DEFAULT 0,
    failing_since         timestamptz,
    open_incident_id      uuid,
    flaky                 boolean     NOT NULL DEFAULT false,
    flips                 integer     NOT NULL DEFAULT 0,
    last_run_id           uuid,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

-- The operator's burst check counts recent infra_error runs.
CREATE INDEX runs_infra_errors ON runs (finished_at) WHERE status = 'infra_error';

-- An incident: a test failing past its threshold (kind 'test') or a burst of infra_error runs (kind 'operator').
CREATE TABLE incidents (
    id                  uuid        PRIMARY KEY,
    kind                text        NOT NULL CHECK (kind IN ('test', 'operator')),
    test_id             uuid        REFERENCES tests (id) ON DELETE CASCADE,
    severity            text        NOT NULL CHECK (severity IN ('P0', 'P1', 'P2', 'P3')),
    dedup_key           text        NOT NULL UNIQUE,
    failing_since       timestamptz NOT NULL,
    opened_at           timestamptz NOT NULL,
    opened_by_run_id    uuid,
    last_run_id         uuid,
    failure_count       integer     NOT NULL DEFAULT 0,
    next_reminder_at    timestamptz,
    reminders_sent      integer     NOT NULL DEFAULT 0,
    resolved_at         timestamptz,
    resolved_by_run_id  uuid,
    CHECK ((kind = 'test') = (test_id IS NOT NULL))
);

-- At most one open incident per test, and one open operator incident.
CREATE UNIQUE INDEX incidents_one_open_per_test ON incidents (test_id) WHERE kind = 'test' AND resolved_at IS NULL;
CREATE UNIQUE INDEX incidents_one_open_operator ON incidents (kind) WHERE kind = 'operator' AND resolved_at IS NULL;
CREATE INDEX incidents_reminders_due ON incidents (next_reminder_at) WHERE resolved_at IS NULL AND next_reminder_at IS NOT NULL;
CREATE INDEX incidents_by_test_newest ON incidents (test_id, opened_at DESC);

-- The outbox. The transaction that records a result writes one row per incident event on the channel '@route';
-- the delivery timer routes it (with its own configuration: channels, business hours) into one row per channel,
-- and sends those with retries. Runners therefore need no channel secrets. seq orders rows of one incident.
CREATE TABLE notifications (
    id                uuid        PRIMARY KEY,
    seq               bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    incident_id       uuid        REFERENCES incidents (id) ON DELETE CASCADE,
    kind              text        NOT NULL CHECK (kind IN ('trigger', 'reminder', 'resolve', 'digest')),
    channel           text        NOT NULL,
    dedup_key         text        NOT NULL UNIQUE,
    payload           jsonb       NOT NULL,
    status            text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'superseded', 'routed')),
    attempts          integer     NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    sent_at           timestamptz,
    last_status_code  integer,
    last_error        text
);

CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_by_incident ON notifications (incident_id);
