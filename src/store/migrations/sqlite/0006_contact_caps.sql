-- Contact caps (compliance issue, deliverable 4). An organization's settings (GET/PATCH
-- /v1/organization: contact caps, the default opt-out rule, state rules) as a JSON object.
ALTER TABLE organizations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organizations ADD COLUMN updated_at INTEGER;
-- The calls to a number by time: before a capped call, the engine counts the organization's
-- calls to that number in the cap's rolling window (a range read per number of its batch).
CREATE INDEX calls_number ON calls(to_phone_number, created_at);
-- The graph's lead counts tell apart the leads a compliance rule holds or ended (the blocked
-- counts of GET /workflows/{id}/graph): class 3 waits for calling hours and 4 for a contact cap
-- (both were class 1), 5 and 6 were dropped by the do-not-call list or for lack of consent
-- (were 0). Recounted whole, with the CASE of lead_counts.cpp's recount.
DELETE FROM lead_counts;
INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
SELECT workflow_id, status, coalesce(current_node_id, ''),
  CASE WHEN status = 'dropped' AND json_extract(context, '$.drop_reason') = 'suppressed' THEN 5
       WHEN status = 'dropped' AND json_extract(context, '$.drop_reason') = 'consent' THEN 6
       WHEN status <> 'active' THEN 0 WHEN stalled = 1 THEN 2
       WHEN wait_kind = 'window' THEN 3 WHEN wait_kind = 'contact_cap' THEN 4
       WHEN wait_kind = 'delay' THEN 1 ELSE 0 END,
  count(*)
FROM leads GROUP BY 1, 2, 3, 4;
