-- Schema 0004: the lead counts the graph view shows, kept by the writes themselves, so /graph
-- reads a few rows instead of scanning a workflow's leads (1,000,000 leads: seconds).
--
-- Leads per (workflow, status, current node, class); class splits active leads as the graph
-- shows them: 0 working (ready, in a call, in an action), 1 waiting (a delay or a calling
-- window), 2 stalled; leads of other statuses are all class 0. node_id is '' for a lead at no
-- node. Several processes step leads at once, so a key has several rows, inserted and never
-- updated: each transaction that moves leads inserts its sums (store/sql/lead_counts.h), an
-- upsert of one shared row would make every batch wait for the one before it. Readers sum a
-- key's rows; the store folds them into one now and then.
CREATE TABLE lead_counts (
  workflow_id TEXT NOT NULL,
  status TEXT NOT NULL,
  node_id TEXT NOT NULL,
  class SMALLINT NOT NULL,
  n BIGINT NOT NULL
);
CREATE INDEX lead_counts_workflow ON lead_counts(workflow_id);

INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
SELECT workflow_id, status, coalesce(current_node_id, ''),
       CASE WHEN status <> 'active' THEN 0 WHEN stalled = 1 THEN 2
            WHEN wait_kind IN ('delay', 'window') THEN 1 ELSE 0 END,
       count(*)
FROM leads GROUP BY 1, 2, 3, 4;
