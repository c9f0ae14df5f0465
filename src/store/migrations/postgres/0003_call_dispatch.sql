-- Calls placed through an external provider (spec §6.1): a call is inserted `queued`, a
-- dispatcher sends it to the provider (retrying with backoff), and its outcome arrives later.
ALTER TABLE calls ADD COLUMN agent_version_number BIGINT;
ALTER TABLE calls ADD COLUMN dispatched_at BIGINT;      -- when the provider accepted it
ALTER TABLE calls ADD COLUMN next_dispatch_at BIGINT;   -- queued: when it may be sent (next)
ALTER TABLE calls ADD COLUMN claimed_until BIGINT;      -- queued: a sender holds it until then
ALTER TABLE calls ADD COLUMN dispatch_attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN dispatch_error TEXT;        -- the provider's last refusal or error
CREATE INDEX calls_dispatch_due ON calls(next_dispatch_at) WHERE status = 'queued';
-- Calls in flight at the provider count against the concurrency caps.
CREATE INDEX calls_in_flight ON calls(workflow_id) WHERE status = 'initiated';
CREATE INDEX calls_claimed ON calls(workflow_id, claimed_until) WHERE status = 'queued' AND claimed_until IS NOT NULL;
CREATE INDEX calls_provider_id ON calls(provider_call_id) WHERE provider_call_id IS NOT NULL;
