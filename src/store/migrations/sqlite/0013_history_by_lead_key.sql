-- A lead's history was indexed by (lead_id, seq): every step inserted an entry keyed by the
-- lead's text id, 20 random characters, into the largest index of the step path. The lead's
-- integer key (leads.seq) orders the same rows in entries a third the size, so more of them
-- fit a page and fewer pages are written per batch. lead_id stays in the row (the history's
-- rows are rendered with it); a lead's history is found through its key.
ALTER TABLE lead_history ADD COLUMN lead_seq INTEGER;
UPDATE lead_history SET lead_seq = (SELECT seq FROM leads WHERE leads.id = lead_history.lead_id);
CREATE INDEX lead_history_lead_seq ON lead_history(lead_seq, seq);
DROP INDEX lead_history_lead;
