-- PostgreSQL twin of migrations/sqlite/0006_contact_caps.sql.
-- Contact caps (compliance issue, deliverable 4). An organization's settings (GET/PATCH
-- /v1/organization: contact caps, the default opt-out rule, state rules) as a JSON object.
ALTER TABLE organizations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organizations ADD COLUMN updated_at BIGINT;
-- The calls to a number by time: before a capped call, the engine counts the organization's
-- calls to that number in the cap's rolling window (a range read per number of its batch).
CREATE INDEX calls_number ON calls(to_phone_number, created_at);
-- One row per (number, organization) the engine has called under a cap: a batch locks the rows
-- of its capped numbers (FOR UPDATE, in key order) before it counts their calls, so two
-- processes never both place the call a cap has room for only once. Row locks, unlike advisory
-- locks, take no room in the server's shared lock table, whatever the batch size. SQLite's
-- single writer serializes batches already and has no such table.
CREATE TABLE contact_numbers (
  phone_number TEXT NOT NULL,
  org_id TEXT NOT NULL,
  PRIMARY KEY (phone_number, org_id)
);
-- The graph's lead counts tell apart the leads a compliance rule holds or ended (the blocked
-- counts of GET /workflows/{id}/graph): class 3 waits for calling hours and 4 for a contact cap
-- (both were class 1), 5 and 6 were dropped by the do-not-call list or for lack of consent
-- (were 0). Recounted whole, with the CASE of lead_counts.cpp's recount.
DELETE FROM lead_counts;
INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
SELECT workflow_id, status, coalesce(current_node_id, ''),
  CASE WHEN status = 'dropped' AND (context::jsonb ->> 'drop_reason') = 'suppressed' THEN 5
       WHEN status = 'dropped' AND (context::jsonb ->> 'drop_reason') = 'consent' THEN 6
       WHEN status <> 'active' THEN 0 WHEN stalled = 1 THEN 2
       WHEN wait_kind = 'window' THEN 3 WHEN wait_kind = 'contact_cap' THEN 4
       WHEN wait_kind = 'delay' THEN 1 ELSE 0 END,
  count(*)
FROM leads GROUP BY 1, 2, 3, 4;
