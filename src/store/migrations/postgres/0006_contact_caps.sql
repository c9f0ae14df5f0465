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
