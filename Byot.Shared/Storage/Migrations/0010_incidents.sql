-- Incidents as a resource: people acknowledge them and close them by hand, and both show on the timeline.
ALTER TABLE incidents
    ADD COLUMN acknowledged_at  timestamptz,
    ADD COLUMN acknowledged_by  text,
    ADD COLUMN resolved_by      text,
    ADD COLUMN resolution_note  text;

CREATE INDEX incidents_newest ON incidents (opened_at DESC, id DESC);

-- What happened to an incident that no other table records (acknowledgements, hand resolutions). The rest of the
-- timeline is read from where it already is: the incident row, its runs and its notifications.
CREATE TABLE incident_events (
    id           uuid        PRIMARY KEY,
    incident_id  uuid        NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at           timestamptz NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('acknowledged', 'resolved_by_hand')),
    actor        text,
    note         text
);

CREATE INDEX incident_events_by_incident ON incident_events (incident_id, at);

-- Tags (team:payments, service:checkout) select tests for filters, maintenance windows and dependencies.
CREATE TABLE test_tags (
    test_id  uuid NOT NULL REFERENCES tests (id) ON DELETE CASCADE,
    tag      text NOT NULL,
    PRIMARY KEY (test_id, tag)
);

CREATE INDEX test_tags_by_tag ON test_tags (tag, test_id);

-- Maintenance windows: one-off (starts_at, ends_at) or recurring (cron, or days + start_time, local to time_zone) for
-- duration_minutes; scoped to tests and/or tags. Occurrences are computed, never stored.
CREATE TABLE maintenance_windows (
    id                uuid        PRIMARY KEY,
    name              text        NOT NULL,
    mode              text        NOT NULL CHECK (mode IN ('mute', 'pause')),
    starts_at         timestamptz,
    ends_at           timestamptz,
    cron              text,
    days              text[],
    start_time        text,
    duration_minutes  integer     CHECK (duration_minutes IS NULL OR duration_minutes > 0),
    time_zone         text        NOT NULL DEFAULT 'UTC',
    test_ids          uuid[]      NOT NULL DEFAULT '{}',
    tags              text[]      NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CHECK ((starts_at IS NOT NULL AND ends_at IS NOT NULL) <> (duration_minutes IS NOT NULL))
);
