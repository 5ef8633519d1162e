-- Locations: a test lists where it runs from; each slot makes one run per location, so a slot is unique per
-- (test, slot, location). Tests and runs from before locations belong to the default location.
ALTER TABLE tests ADD COLUMN locations text[] NOT NULL DEFAULT '{default}' CHECK (cardinality(locations) >= 1);
ALTER TABLE runs ADD COLUMN location text NOT NULL DEFAULT 'default';
DROP INDEX runs_one_per_slot;
CREATE UNIQUE INDEX runs_one_per_slot ON runs (test_id, scheduled_for, location) WHERE scheduled_for IS NOT NULL;
CREATE INDEX runs_test_location_recent ON runs (test_id, location, queued_at DESC);
-- k of N: an incident of a test with several locations opens when at least this many of them are failing.
ALTER TABLE tests ADD COLUMN failing_locations integer NOT NULL DEFAULT 1 CHECK (failing_locations BETWEEN 1 AND 16);
