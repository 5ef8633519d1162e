-- Quarantine (docs/cases.md): a case whose failures are known and accepted for a while. A run whose only failures
-- are quarantined cases does not count towards an incident; quarantined_only records that the decision judged so,
-- so the status page shows it as passing-with-quarantined.
CREATE TABLE case_quarantines (
    test_id    uuid        NOT NULL REFERENCES tests (id) ON DELETE CASCADE,
    case_id    text        NOT NULL,
    reason     text        NOT NULL,
    until      timestamptz,
    by_whom    text,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (test_id, case_id)
);

ALTER TABLE runs ADD COLUMN quarantined_only boolean NOT NULL DEFAULT false;
