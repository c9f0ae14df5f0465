-- Schema v2, first part: what a step changes moves out of the lead row.
-- Each step rewrote the whole lead row (~400 bytes: variables, context, consent) and moved
-- its due-index entry. It now rewrites a lead_states row of a few integers and short texts,
-- and the lead's lead_contexts row only when it changed the context (call and action
-- results). The lead row is written at enrolment and again only when an action sets
-- variables. A lead without a lead_contexts row has an empty context ({}), as every lead has
-- at enrolment. lead_states.workflow_id copies the lead's (a lead never changes workflow), so
-- the due index needs no join. lead_rows shows the three as the one lead row they were.
CREATE TABLE lead_states (
  lead_seq INTEGER PRIMARY KEY,           -- leads.seq
  workflow_id TEXT NOT NULL,
  status TEXT NOT NULL,
  current_node_id TEXT,
  stalled INTEGER NOT NULL DEFAULT 0,
  wait_kind TEXT NOT NULL DEFAULT 'none', -- none, delay, call, call_detached, http
  attempt INTEGER NOT NULL DEFAULT 0,     -- attempt at the current VOICE_CALL node
  call_id TEXT,                           -- the call being waited for
  call_count INTEGER NOT NULL DEFAULT 0,  -- calls placed for this lead in this workflow
  next_action_at INTEGER,                 -- when the engine looks at it next; NULL = not due
  entered_at INTEGER,
  updated_at INTEGER NOT NULL
);
INSERT INTO lead_states (lead_seq, workflow_id, status, current_node_id, stalled, wait_kind,
                         attempt, call_id, call_count, next_action_at, entered_at, updated_at)
SELECT seq, workflow_id, status, current_node_id, stalled, wait_kind, attempt, call_id,
       call_count, next_action_at, entered_at, updated_at FROM leads ORDER BY seq;
CREATE INDEX lead_states_due ON lead_states(workflow_id, next_action_at)
  WHERE next_action_at IS NOT NULL;
-- Calls of leads whose workflow is not active (or that were removed) still finish.
CREATE INDEX lead_states_call_detached ON lead_states(next_action_at)
  WHERE wait_kind = 'call_detached';

CREATE TABLE lead_contexts (
  lead_seq INTEGER PRIMARY KEY,           -- leads.seq
  context TEXT NOT NULL                   -- latest call and action results, for conditions
);
INSERT INTO lead_contexts (lead_seq, context)
SELECT seq, context FROM leads WHERE context <> '{}' ORDER BY seq;

-- SQLite cannot drop indexed columns in place: the lead table is rebuilt with what is
-- written once, keeping each row's seq (history rows refer to it) and the sequence's value,
-- so a deleted lead's seq is never given again. (lease_owner and lease_until, never used,
-- are left out.)
CREATE TABLE leads_v2 (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  phone_number TEXT NOT NULL,
  variables TEXT NOT NULL DEFAULT '{}',
  consent TEXT,
  enrolled_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO leads_v2 (seq, id, org_id, workflow_id, phone_number, variables, consent,
                      enrolled_at, created_at)
SELECT seq, id, org_id, workflow_id, phone_number, variables, consent, enrolled_at, created_at
FROM leads ORDER BY seq;
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence
                                                    WHERE name = 'leads'), 0))
WHERE name = 'leads_v2';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'leads_v2', seq FROM sqlite_sequence
WHERE name = 'leads' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'leads_v2');
DROP TABLE leads;
ALTER TABLE leads_v2 RENAME TO leads;
CREATE INDEX leads_workflow_created ON leads(workflow_id, created_at, seq);
CREATE INDEX leads_workflow_phone ON leads(workflow_id, phone_number);

CREATE VIEW lead_rows AS
SELECT l.seq, l.id, l.org_id, l.workflow_id, l.phone_number, l.variables, s.status,
       s.current_node_id, s.stalled, s.wait_kind, s.attempt, s.call_id, s.call_count,
       coalesce(c.context, '{}') AS context, s.next_action_at, s.entered_at, l.enrolled_at,
       l.created_at, s.updated_at, l.consent
FROM leads l JOIN lead_states s ON s.lead_seq = l.seq
LEFT JOIN lead_contexts c ON c.lead_seq = l.seq;
