-- Schema 0004: the lead counts the graph view shows, kept by the writes themselves, so /graph
-- reads a few rows instead of scanning a workflow's leads (1,000,000 leads: seconds).
--
-- lead_counts: leads per (workflow, status, current node, class). class splits active leads
-- as the graph shows them: 0 working (ready, in a call, in an action), 1 waiting (a delay or a
-- calling window), 2 stalled; leads of other statuses are all class 0. node_id is '' for a lead
-- at no node.
--
-- Several processes step leads at once, so the counts are deltas, inserted and never updated:
-- an upsert of one shared row would make every batch wait for the batches before it. Each
-- statement that writes leads adds one row per key it changed (a statement trigger over the
-- rows it wrote); readers sum a workflow's rows, and the store folds them now and then
-- (SqlStore::fold_counts), which deletes what it sums and inserts one row per key.
CREATE TABLE lead_counts (
  workflow_id TEXT NOT NULL,
  status TEXT NOT NULL,
  node_id TEXT NOT NULL,
  class SMALLINT NOT NULL,
  n BIGINT NOT NULL
);
CREATE INDEX lead_counts_workflow ON lead_counts(workflow_id);

CREATE FUNCTION lead_class(status TEXT, wait_kind TEXT, stalled BIGINT) RETURNS SMALLINT
IMMUTABLE LANGUAGE sql AS $$
  SELECT (CASE WHEN status <> 'active' THEN 0 WHEN stalled = 1 THEN 2
               WHEN wait_kind IN ('delay', 'window') THEN 1 ELSE 0 END)::SMALLINT
$$;

INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
SELECT workflow_id, status, coalesce(current_node_id, ''), lead_class(status, wait_kind, stalled),
       count(*)
FROM leads GROUP BY 1, 2, 3, 4;

-- Leads are never deleted one by one (removal is a status); deleting a workflow deletes its
-- counts with its leads.
CREATE FUNCTION count_inserted_leads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
  SELECT workflow_id, status, coalesce(current_node_id, ''),
         lead_class(status, wait_kind, stalled), count(*)
  FROM inserted GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END $$;
CREATE TRIGGER leads_counted_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS inserted
FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_leads();

CREATE FUNCTION count_updated_leads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
  SELECT workflow_id, status, node_id, class, sum(n) FROM (
    SELECT workflow_id, status, coalesce(current_node_id, '') AS node_id,
           lead_class(status, wait_kind, stalled) AS class, -1 AS n FROM old_rows
    UNION ALL
    SELECT workflow_id, status, coalesce(current_node_id, ''),
           lead_class(status, wait_kind, stalled), 1 FROM new_rows
  ) changes GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER leads_counted_update AFTER UPDATE ON leads
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION count_updated_leads();
