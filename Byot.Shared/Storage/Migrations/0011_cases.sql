-- Which case broke (docs/cases.md): the cases every attempt of a run reported, and what a run's cases add up to.
-- case_id is the case's stable key (suite › name, normalised) hashed to 16 hex digits, so it fits in a URL.
CREATE TABLE run_cases (
    run_id      uuid    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt     integer NOT NULL CHECK (attempt >= 1),
    position    integer NOT NULL,
    test_id     uuid    NOT NULL,
    case_id     text    NOT NULL,
    case_key    text    NOT NULL,
    suite       text    NOT NULL,
    name        text    NOT NULL,
    status      text    NOT NULL CHECK (status IN ('passed', 'failed', 'skipped', 'errored')),
    duration_ms bigint,
    message     text,
    output      text,
    flaky       boolean NOT NULL DEFAULT false,
    retries     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, attempt, position)
);
CREATE INDEX run_cases_history ON run_cases (test_id, case_id);

-- Counts are the last attempt's; null when the run reported no cases. tries counts the test's own attempts.
ALTER TABLE runs
    ADD COLUMN cases_passed    integer,
    ADD COLUMN cases_failed    integer,
    ADD COLUMN cases_skipped   integer,
    ADD COLUMN cases_errored   integer,
    ADD COLUMN cases_truncated boolean NOT NULL DEFAULT false,
    ADD COLUMN case_warnings   text[],
    ADD COLUMN tries           integer NOT NULL DEFAULT 1,
    ADD COLUMN flaky           boolean NOT NULL DEFAULT false;
