-- A call's idempotency key was a text column with its own unique index, beside an index of
-- calls by lead: two of the seven b-trees each call is written into, and the largest two of
-- its indexes. The key is "<lead_id>:<node_id>:<attempt>", so a unique key on (lead_id,
-- node_id, attempt) says the same in one smaller index, and serves the calls of a lead too;
-- the key is now made from those columns when a call is sent. SQLite cannot drop a column
-- that has a UNIQUE constraint, so the table is copied (within the migration's transaction:
-- an interrupted upgrade leaves the old table, and the next start runs this again).
CREATE TABLE calls_v12 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  to_phone_number TEXT NOT NULL,
  from_phone_number TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  end_reason TEXT,
  duration_seconds REAL,
  postcall_analysis TEXT,
  transcript TEXT,
  provider_call_id TEXT,
  created_at INTEGER NOT NULL,
  ended_at INTEGER,
  agent_version_number INTEGER,
  dispatched_at INTEGER,      -- when the provider accepted it
  next_dispatch_at INTEGER,   -- queued: when it may be sent (next)
  claimed_until INTEGER,      -- queued: a sender holds it until then
  dispatch_attempts INTEGER NOT NULL DEFAULT 0,
  dispatch_error TEXT         -- the provider's last refusal or error
);
INSERT INTO calls_v12 (seq, id, org_id, workflow_id, lead_id, node_id, attempt,
    to_phone_number, from_phone_number, agent_id, status, outcome, end_reason,
    duration_seconds, postcall_analysis, transcript, provider_call_id, created_at, ended_at,
    agent_version_number, dispatched_at, next_dispatch_at, claimed_until, dispatch_attempts,
    dispatch_error)
  SELECT seq, id, org_id, workflow_id, lead_id, node_id, attempt,
    to_phone_number, from_phone_number, agent_id, status, outcome, end_reason,
    duration_seconds, postcall_analysis, transcript, provider_call_id, created_at, ended_at,
    agent_version_number, dispatched_at, next_dispatch_at, claimed_until, dispatch_attempts,
    dispatch_error
  FROM calls ORDER BY seq;
-- AUTOINCREMENT never reuses a sequence number, even of a call deleted since: carry it over.
UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = 'calls')
  WHERE name = 'calls_v12' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'calls');
DROP TABLE calls;
ALTER TABLE calls_v12 RENAME TO calls;
CREATE UNIQUE INDEX calls_attempt ON calls(lead_id, node_id, attempt);
CREATE INDEX calls_org_created ON calls(org_id, created_at, seq);
CREATE INDEX calls_workflow ON calls(workflow_id, created_at);
CREATE INDEX calls_dispatch_due ON calls(next_dispatch_at) WHERE status = 'queued';
CREATE INDEX calls_in_flight ON calls(workflow_id) WHERE status = 'initiated';
CREATE INDEX calls_claimed ON calls(workflow_id, claimed_until)
  WHERE status = 'queued' AND claimed_until IS NOT NULL;
CREATE INDEX calls_provider_id ON calls(provider_call_id) WHERE provider_call_id IS NOT NULL;
CREATE INDEX calls_number ON calls(to_phone_number, created_at);
