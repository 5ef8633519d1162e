-- Dependencies: a test may depend on others, by id or by tag. While a dependency has an open incident, a dependent
-- that fails joins that incident instead of opening its own.

-- What a test depends on, as given: a test id, or 'tag:<tag>' for every test carrying that tag (resolved when used,
-- so a test tagged later is selected too). Cycles are refused by the writer, in the same transaction.
CREATE TABLE test_dependencies (
    test_id   uuid    NOT NULL REFERENCES tests (id) ON DELETE CASCADE,
    selector  text    NOT NULL,
    position  integer NOT NULL,
    PRIMARY KEY (test_id, selector)
);

-- The incident a failing dependent joined (its dependency's), while it has none of its own.
ALTER TABLE alert_state ADD COLUMN joined_incident_id uuid;

-- The dependents that joined an incident: listed by GET /incidents/{id} and on its timeline.
CREATE TABLE incident_dependents (
    incident_id          uuid        NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    test_id              uuid        NOT NULL REFERENCES tests (id) ON DELETE CASCADE,
    joined_at            timestamptz NOT NULL,
    joined_by_run_id     uuid,
    recovered_at         timestamptz,
    recovered_by_run_id  uuid,
    PRIMARY KEY (incident_id, test_id)
);
