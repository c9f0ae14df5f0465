-- Schema v2, first part: what a step changes moves out of the lead row.
-- Each step rewrote the whole lead row (~400 bytes: variables, context, consent), and since
-- it changed next_action_at, which the due index holds, no such update could be HOT: each
-- inserted an entry into all six indexes of leads. A step now rewrites a lead_states row of a
-- few integers and short texts (two index entries: its key and the due index), and the
-- lead's lead_contexts row only when it changed the context (call and action results): one
-- entry at most, in its key, none when the new version fits the page (HOT; fillfactor 70). The
-- lead row is written at enrolment and again only when an action sets variables. A lead
-- without a lead_contexts row has an empty context ({}), as every lead has at enrolment.
-- lead_states.workflow_id copies the lead's (a lead never changes workflow), so the due index
-- needs no join. lead_rows shows the three as the one lead row they were.
CREATE TABLE lead_states (
  lead_seq BIGINT PRIMARY KEY,           -- leads.seq
  workflow_id TEXT NOT NULL,
  status TEXT NOT NULL,
  current_node_id TEXT,
  stalled BIGINT NOT NULL DEFAULT 0,
  wait_kind TEXT NOT NULL DEFAULT 'none', -- none, delay, call, call_detached, http
  attempt BIGINT NOT NULL DEFAULT 0,     -- attempt at the current VOICE_CALL node
  call_id TEXT,                           -- the call being waited for
  call_count BIGINT NOT NULL DEFAULT 0,  -- calls placed for this lead in this workflow
  next_action_at BIGINT,                 -- when the engine looks at it next; NULL = not due
  entered_at BIGINT,
  updated_at BIGINT NOT NULL
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
  lead_seq BIGINT PRIMARY KEY,           -- leads.seq
  context TEXT NOT NULL                  -- latest call and action results, for conditions
) WITH (fillfactor = 70);
INSERT INTO lead_contexts (lead_seq, context)
SELECT seq, context FROM leads WHERE context <> '{}' ORDER BY seq;

DROP INDEX leads_workflow_due;
DROP INDEX leads_call_detached;
ALTER TABLE leads DROP COLUMN status, DROP COLUMN current_node_id, DROP COLUMN stalled,
  DROP COLUMN wait_kind, DROP COLUMN attempt, DROP COLUMN call_id, DROP COLUMN call_count,
  DROP COLUMN next_action_at, DROP COLUMN lease_owner, DROP COLUMN lease_until,
  DROP COLUMN entered_at, DROP COLUMN updated_at, DROP COLUMN context;

CREATE VIEW lead_rows AS
SELECT l.seq, l.id, l.org_id, l.workflow_id, l.phone_number, l.variables, s.status,
       s.current_node_id, s.stalled, s.wait_kind, s.attempt, s.call_id, s.call_count,
       coalesce(c.context, '{}') AS context, s.next_action_at, s.entered_at, l.enrolled_at,
       l.created_at, s.updated_at, l.consent
FROM leads l JOIN lead_states s ON s.lead_seq = l.seq
LEFT JOIN lead_contexts c ON c.lead_seq = l.seq;
