-- A mute maintenance window holding an incident's page, reminder or escalation is a step of its timeline: the
-- delivery side records the hold (which window, until when, what it held) in the transaction that holds it.
ALTER TABLE incident_events DROP CONSTRAINT incident_events_kind_check;
ALTER TABLE incident_events
    ADD CONSTRAINT incident_events_kind_check CHECK (kind IN ('acknowledged', 'resolved_by_hand', 'maintenance_hold')),
    ADD COLUMN window_name text,
    ADD COLUMN held_until  timestamptz;
