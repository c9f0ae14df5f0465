-- Leadline schema, version 1 (PostgreSQL). Times are integer milliseconds since the Unix
-- epoch (UTC). Same tables, columns and indexes as migrations/sqlite/0001_init.sql.
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX api_keys_org ON api_keys(org_id, created_at);

CREATE TABLE workflows (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}',
  version BIGINT NOT NULL DEFAULT 1,
  enrolled_leads BIGINT NOT NULL DEFAULT 0,
  paused_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX workflows_org_created ON workflows(org_id, created_at, id);
CREATE INDEX workflows_status ON workflows(status);

-- seq keeps creation order (edge choice depends on it).
CREATE TABLE nodes (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  workflow_id TEXT NOT NULL,
  node_type TEXT NOT NULL,
  label TEXT NOT NULL,
  position_x DOUBLE PRECISION NOT NULL DEFAULT 0,
  position_y DOUBLE PRECISION NOT NULL DEFAULT 0,
  config TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX nodes_workflow ON nodes(workflow_id, seq);

CREATE TABLE edges (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  workflow_id TEXT NOT NULL,
  from_node_id TEXT NOT NULL,
  to_node_id TEXT NOT NULL,
  label TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX edges_workflow ON edges(workflow_id, seq);
CREATE UNIQUE INDEX edges_unique ON edges(workflow_id, from_node_id, to_node_id, coalesce(label, ''));

-- One row per enrolled lead; the engine's state for the lead lives here.
CREATE TABLE leads (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  phone_number TEXT NOT NULL,
  variables TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL,
  current_node_id TEXT,
  stalled BIGINT NOT NULL DEFAULT 0,
  wait_kind TEXT NOT NULL DEFAULT 'none', -- none, delay, call, call_detached, http
  attempt BIGINT NOT NULL DEFAULT 0,     -- attempt at the current VOICE_CALL node
  call_id TEXT,                           -- the call being waited for
  call_count BIGINT NOT NULL DEFAULT 0,  -- calls placed for this lead in this workflow
  context TEXT NOT NULL DEFAULT '{}',     -- latest call and action results, for conditions
  next_action_at BIGINT,                 -- when the engine looks at it next; NULL = not due
  lease_owner TEXT,
  lease_until BIGINT,
  entered_at BIGINT,
  enrolled_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX leads_workflow_created ON leads(workflow_id, created_at, seq);
CREATE INDEX leads_workflow_due ON leads(workflow_id, next_action_at) WHERE next_action_at IS NOT NULL;
-- Calls of leads whose workflow is not active (or that were removed) still finish.
CREATE INDEX leads_call_detached ON leads(next_action_at) WHERE wait_kind = 'call_detached';
CREATE INDEX leads_workflow_phone ON leads(workflow_id, phone_number);
CREATE INDEX leads_workflow_node ON leads(workflow_id, current_node_id, status);

CREATE TABLE lead_history (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  node_type TEXT NOT NULL,
  label TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  edge_label TEXT,
  to_node_id TEXT,
  call_id TEXT,
  attempt BIGINT,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  reason TEXT
);
CREATE INDEX lead_history_lead ON lead_history(lead_id, seq);

CREATE TABLE variable_keys (
  workflow_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (workflow_id, name)
);

-- One row per call attempt; idempotency_key = lead:node:attempt makes a repeat impossible.
CREATE TABLE calls (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_id TEXT NOT NULL,
  workflow_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  attempt BIGINT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  to_phone_number TEXT NOT NULL,
  from_phone_number TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  end_reason TEXT,
  duration_seconds DOUBLE PRECISION,
  postcall_analysis TEXT,
  transcript TEXT,
  provider_call_id TEXT,
  created_at BIGINT NOT NULL,
  ended_at BIGINT
) WITH (fillfactor = 70);  -- room on the page: recording a call's result is a HOT update
CREATE INDEX calls_org_created ON calls(org_id, created_at, seq);
CREATE INDEX calls_lead ON calls(lead_id, seq);
CREATE INDEX calls_workflow ON calls(workflow_id, created_at);
