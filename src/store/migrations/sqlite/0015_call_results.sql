-- SQLite twin of migrations/postgres/0015_call_results.sql.
-- Schema v2, second part: a call's result is appended, not written over the call's row.
-- Recording a result rewrote the call's row, which then grew (outcome, transcript, analysis):
-- the new version rarely fit the old one's page, so the update was not HOT and inserted an
-- entry into each of the call's seven indexes again, with a pass of bottom-up deletion. It
-- was the costliest statement of a step (6.3 s of 25 s in a 400,000-step run). The result is
-- now one row of call_results, one index entry. calls keeps what is written when a call is
-- queued and sent; its status is 'queued' until sent, 'initiated' once sent (it stays so
-- after the result), or the final status of a call that ended unsent, so that it leaves the
-- dispatch indexes. The calls in flight (sent, no result yet), which the concurrency caps
-- count, had a partial index on that status; they are now rows of calls_in_flight, inserted
-- when a call is sent and deleted when its result comes. call_rows shows a call as the one
-- row it was.
CREATE TABLE call_results (
  call_seq INTEGER PRIMARY KEY,           -- calls.seq
  status TEXT NOT NULL,
  outcome TEXT,
  end_reason TEXT,
  duration_seconds REAL,
  postcall_analysis TEXT,
  transcript TEXT,
  ended_at INTEGER
);
INSERT INTO call_results (call_seq, status, outcome, end_reason, duration_seconds,
                          postcall_analysis, transcript, ended_at)
SELECT seq, status, outcome, end_reason, duration_seconds, postcall_analysis, transcript,
       ended_at FROM calls WHERE outcome IS NOT NULL ORDER BY seq;

DROP INDEX calls_in_flight;  -- the table takes its name
-- Keyed by workflow first: the caps count a workflow's calls in flight through the key, and
-- a result finds its call's row by it.
CREATE TABLE calls_in_flight (
  workflow_id TEXT NOT NULL,
  call_seq INTEGER NOT NULL,             -- calls.seq
  PRIMARY KEY (workflow_id, call_seq)
) WITHOUT ROWID;
INSERT INTO calls_in_flight (workflow_id, call_seq)
SELECT workflow_id, seq FROM calls WHERE status = 'initiated' AND outcome IS NULL
ORDER BY workflow_id, seq;

ALTER TABLE calls DROP COLUMN outcome;
ALTER TABLE calls DROP COLUMN end_reason;
ALTER TABLE calls DROP COLUMN duration_seconds;
ALTER TABLE calls DROP COLUMN postcall_analysis;
ALTER TABLE calls DROP COLUMN transcript;
ALTER TABLE calls DROP COLUMN ended_at;

CREATE VIEW call_rows AS
SELECT c.seq, c.id, c.org_id, c.workflow_id, c.lead_id, c.node_id, c.attempt,
       c.to_phone_number, c.from_phone_number, c.agent_id, coalesce(r.status, c.status) AS status,
       r.outcome, r.end_reason, r.duration_seconds, r.postcall_analysis, r.transcript,
       c.provider_call_id, c.created_at, r.ended_at, c.agent_version_number, c.dispatched_at,
       c.next_dispatch_at, c.dispatch_attempts, c.dispatch_error
FROM calls c LEFT JOIN call_results r ON r.call_seq = c.seq;
