-- Run history past Byot:Retention:Days, summarised before the runs are deleted (docs/scale.md): one row per test,
-- location and UTC day the runs were queued. The counts use the same definitions as uptime and statistics
-- (StatusSql), so an old day's uptime is judged_passed / judged.
CREATE TABLE run_days (
    test_id          uuid    NOT NULL,
    location         text    NOT NULL,
    day              date    NOT NULL,
    runs             integer NOT NULL CHECK (runs >= 0),
    judged           integer NOT NULL CHECK (judged >= 0),
    judged_passed    integer NOT NULL CHECK (judged_passed >= 0),
    failures         integer NOT NULL CHECK (failures >= 0),
    duration_ms_sum  bigint  NOT NULL CHECK (duration_ms_sum >= 0),
    duration_runs    integer NOT NULL CHECK (duration_runs >= 0),
    PRIMARY KEY (test_id, location, day)
);

-- The retention job reads the oldest runs first.
CREATE INDEX runs_by_queued_at ON runs (queued_at);
