-- A test's own retries inside a run (docs/cases.md): how many, the delay before the first, and how the delay grows.
-- runs.tries (0011) records the attempts a run made.
ALTER TABLE tests
    ADD COLUMN retries             integer NOT NULL DEFAULT 0 CHECK (retries BETWEEN 0 AND 5),
    ADD COLUMN retry_delay_seconds integer NOT NULL DEFAULT 0 CHECK (retry_delay_seconds BETWEEN 0 AND 300),
    ADD COLUMN retry_backoff       text    NOT NULL DEFAULT 'fixed' CHECK (retry_backoff IN ('fixed', 'linear', 'exponential'));
