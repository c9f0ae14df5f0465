-- Schema 0004: the lead counts the graph view shows, kept by the writes themselves, so /graph
-- reads a few rows instead of scanning a workflow's leads (1,000,000 leads: seconds).
--
-- lead_counts: leads per (workflow, status, current node, class). class splits active leads
-- as the graph shows them: 0 working (ready, in a call, in an action), 1 waiting (a delay or a
-- calling window), 2 stalled; leads of other statuses are all class 0. node_id is '' for a lead
-- at no node. A row may reach n = 0 and stay; readers skip it.
CREATE TABLE lead_counts (
  workflow_id TEXT NOT NULL,
  status TEXT NOT NULL,
  node_id TEXT NOT NULL,
  class INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (workflow_id, status, node_id, class)
) WITHOUT ROWID;

INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
SELECT workflow_id, status, coalesce(current_node_id, ''),
       CASE WHEN status != 'active' THEN 0 WHEN stalled = 1 THEN 2
            WHEN wait_kind IN ('delay', 'window') THEN 1 ELSE 0 END,
       count(*)
FROM leads GROUP BY 1, 2, 3, 4;

-- Leads are never deleted one by one (removal is a status); deleting a workflow deletes its
-- counts with its leads.
CREATE TRIGGER leads_counted_insert AFTER INSERT ON leads BEGIN
  INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
  VALUES (new.workflow_id, new.status, coalesce(new.current_node_id, ''),
          CASE WHEN new.status != 'active' THEN 0 WHEN new.stalled = 1 THEN 2
               WHEN new.wait_kind IN ('delay', 'window') THEN 1 ELSE 0 END, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER leads_counted_update AFTER UPDATE OF status, current_node_id, wait_kind, stalled
ON leads
WHEN old.status IS NOT new.status OR old.current_node_id IS NOT new.current_node_id
  OR (CASE WHEN old.status != 'active' THEN 0 WHEN old.stalled = 1 THEN 2
           WHEN old.wait_kind IN ('delay', 'window') THEN 1 ELSE 0 END)
  != (CASE WHEN new.status != 'active' THEN 0 WHEN new.stalled = 1 THEN 2
           WHEN new.wait_kind IN ('delay', 'window') THEN 1 ELSE 0 END)
BEGIN
  UPDATE lead_counts SET n = n - 1
  WHERE workflow_id = old.workflow_id AND status = old.status
    AND node_id = coalesce(old.current_node_id, '')
    AND class = CASE WHEN old.status != 'active' THEN 0 WHEN old.stalled = 1 THEN 2
                     WHEN old.wait_kind IN ('delay', 'window') THEN 1 ELSE 0 END;
  INSERT INTO lead_counts (workflow_id, status, node_id, class, n)
  VALUES (new.workflow_id, new.status, coalesce(new.current_node_id, ''),
          CASE WHEN new.status != 'active' THEN 0 WHEN new.stalled = 1 THEN 2
               WHEN new.wait_kind IN ('delay', 'window') THEN 1 ELSE 0 END, 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;
