-- Escalation: an incident still unacknowledged some minutes after its first page reaches the next stage's channels.
-- paged_at is when the first page went out (a held trigger's release time); stage delays count from it.
ALTER TABLE incidents
    ADD COLUMN paged_at            timestamptz,
    ADD COLUMN next_escalation_at  timestamptz,
    ADD COLUMN escalations_sent    integer NOT NULL DEFAULT 0;

CREATE INDEX incidents_escalations_due ON incidents (next_escalation_at)
    WHERE resolved_at IS NULL AND next_escalation_at IS NOT NULL;

-- Each stage's notifications are outbox rows of their own kind, so the timeline shows them as escalations.
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('trigger', 'reminder', 'resolve', 'digest', 'escalation'));
