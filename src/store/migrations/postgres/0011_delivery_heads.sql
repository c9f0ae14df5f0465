-- Per-lead order of webhook deliveries, kept as a flag instead of checked at every claim.
-- A delivery is `held` while an earlier delivery of the same webhook and order key (the lead)
-- is pending; the delivery that finishes (delivered or failed) releases the next one. The
-- claim used to test each due delivery for an earlier pending one: on PostgreSQL, with
-- statistics made before a burst of events, that test filtered every pending delivery of the
-- webhook for each candidate, seconds per claim. Now a claim reads due, unheld deliveries in
-- due order from one index and stops at its limit.
ALTER TABLE webhook_deliveries ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
UPDATE webhook_deliveries SET held = 1
  WHERE status = 'pending' AND EXISTS (
    SELECT 1 FROM webhook_deliveries p
    WHERE p.webhook_id = webhook_deliveries.webhook_id
      AND p.order_key = webhook_deliveries.order_key
      AND p.status = 'pending' AND p.seq < webhook_deliveries.seq);
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at, seq)
  WHERE status = 'pending' AND held = 0;
DROP INDEX webhook_deliveries_pending;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(webhook_id, next_attempt_at)
  WHERE status = 'pending' AND held = 0;
