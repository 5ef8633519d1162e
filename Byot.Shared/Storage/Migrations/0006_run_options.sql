-- A run-now call may set the timeout of that one run (the original project's {"timeout": 60}); null means the test's.
ALTER TABLE runs ADD COLUMN timeout_seconds integer CHECK (timeout_seconds > 0);

-- Finding a test's queued manual runs (run-now answers a queued one instead of queueing another).
CREATE INDEX runs_manual_queued ON runs (test_id) WHERE trigger = 'manual' AND status = 'queued';
