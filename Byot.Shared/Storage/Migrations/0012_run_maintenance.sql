-- A run whose result was recorded while a mute maintenance window covered its test (docs/maintenance.md): it is
-- shown as in_maintenance and left out of uptime; it still counts for incidents, which open silently meanwhile.
ALTER TABLE runs ADD COLUMN in_maintenance boolean NOT NULL DEFAULT false;
