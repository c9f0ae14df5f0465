-- Outbound webhooks (spec §7): subscriptions, the event outbox and one delivery row per
-- (event, subscribed webhook). Events are written only when some webhook subscribes to them,
-- in the transaction of the state change that caused them.
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,           -- JSON array of event type names
  event_mask INTEGER NOT NULL,    -- the same as bits (domain::event_bit), read per engine batch
  secret TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX webhooks_org ON webhooks(org_id, created_at, id);
CREATE INDEX webhooks_active ON webhooks(is_active);

CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  type TEXT NOT NULL,
  order_key TEXT NOT NULL,        -- lead id (workflow id for workflow.status_changed)
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of creation: per-lead order of delivery
  id TEXT NOT NULL UNIQUE,
  webhook_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  status TEXT NOT NULL,           -- pending, delivered, failed
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  last_error TEXT,
  next_attempt_at INTEGER,
  lease_owner TEXT,
  lease_until INTEGER,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries(webhook_id, order_key, seq)
  WHERE status = 'pending';
CREATE INDEX webhook_deliveries_list ON webhook_deliveries(webhook_id, created_at, seq);
