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
