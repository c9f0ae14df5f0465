-- Fair webhook deliveries across organizations (hardening issue): a claim first looks, per
-- active webhook, for its oldest claimable delivery, and takes each waiting organization's
-- share of the batch webhook by webhook. Both read this index in due order per webhook,
-- instead of walking the whole due queue past another organization's backlog.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(webhook_id, next_attempt_at)
  WHERE status = 'pending';
