-- A call's idempotency key was a text column with its own unique index, beside an index of
-- calls by lead: the largest two of a call's indexes. The key is "<lead_id>:<node_id>:
-- <attempt>", so a unique key on (lead_id, node_id, attempt) says the same in one smaller
-- index, and serves the calls of a lead too; the key is now made from those columns when a
-- call is sent. Dropping the column drops its unique index and rewrites no row.
CREATE UNIQUE INDEX calls_attempt ON calls(lead_id, node_id, attempt);
ALTER TABLE calls DROP COLUMN idempotency_key;
DROP INDEX calls_lead;
