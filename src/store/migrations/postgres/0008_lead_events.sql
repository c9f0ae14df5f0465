-- Events clients report about leads (POST /v1/events): one row per accepted event, with the
-- answer its request got (`leads`: what it did to each lead, JSON) so a repeated idempotency
-- key answers the same; and one row per lead it reached, for the lead's event list.
CREATE TABLE inbound_events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  lead_id TEXT,
  phone_number TEXT,
  workflow_id TEXT,
  data TEXT NOT NULL DEFAULT '{}',
  idempotency_key TEXT,
  leads TEXT NOT NULL DEFAULT '[]',
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX inbound_events_idempotency ON inbound_events(org_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE TABLE inbound_event_leads (
  lead_id TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  workflow_id TEXT NOT NULL,
  effect TEXT NOT NULL,  -- recorded, resumed, exited
  PRIMARY KEY (lead_id, event_seq)
);
CREATE INDEX inbound_event_leads_workflow ON inbound_event_leads(workflow_id);

-- SPLIT nodes' variant counts (/graph) read the history rows of SPLIT nodes only.
CREATE INDEX lead_history_split ON lead_history(node_id, lead_id, outcome, node_type)
  WHERE node_type = 'SPLIT';
