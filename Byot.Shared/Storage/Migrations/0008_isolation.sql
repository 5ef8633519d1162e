-- A test may ask for gVisor (NULL: the Runner's floor); a run records the isolation it got once it started.
ALTER TABLE tests ADD COLUMN isolation text CHECK (isolation IN ('gvisor'));
ALTER TABLE runs ADD COLUMN isolation text;
