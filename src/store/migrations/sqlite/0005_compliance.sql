-- Do-not-call list per organization (compliance issue, deliverable 1). An entry stops calls
-- and texts to its number: in every workflow of the organization, or in one (workflow_id;
-- '' for the whole organization, so the key below can be UNIQUE), until expires_at if set.
-- The engine looks up the numbers of each claimed batch: the key leads with the number.
CREATE TABLE suppressions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  phone_number TEXT NOT NULL,             -- E.164
  workflow_id TEXT NOT NULL DEFAULT '',   -- '' = every workflow of the organization
  reason TEXT,
  source TEXT NOT NULL,                   -- api, upload, opt_out
  expires_at INTEGER,                     -- NULL = never
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX suppressions_number ON suppressions(phone_number, org_id, workflow_id);
CREATE INDEX suppressions_org_created ON suppressions(org_id, created_at, seq);

-- A lead's consent to be called: {"type", "source", "obtained_at", "evidence"} as JSON text,
-- written at enrolment and never rewritten by a step.
ALTER TABLE leads ADD COLUMN consent TEXT;
