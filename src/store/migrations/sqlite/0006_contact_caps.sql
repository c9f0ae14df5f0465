-- Contact caps (compliance issue, deliverable 4). An organization's settings (GET/PATCH
-- /v1/organization: contact caps, the default opt-out rule, state rules) as a JSON object.
ALTER TABLE organizations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organizations ADD COLUMN updated_at INTEGER;
-- The calls to a number by time: before a capped call, the engine counts the organization's
-- calls to that number in the cap's rolling window (a range read per number of its batch).
CREATE INDEX calls_number ON calls(to_phone_number, created_at);
