-- Each event inserted an entry keyed (workflow, lead, event) at a random position of this
-- index, for deleting a workflow only; the workflow's event rows are found by its leads
-- (the primary key's first column) instead.
DROP INDEX inbound_event_leads_workflow;

-- SPLIT nodes' variant counts (/graph), kept by the engine's writes (store/sql/split_counts.h)
-- instead of read from every history row of the split: per workflow, node and variant, the
-- leads that took it and those of them that reached a CONVERTED node.
CREATE TABLE split_counts (
  workflow_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  variant TEXT NOT NULL,
  leads BIGINT NOT NULL,
  converted BIGINT NOT NULL,
  PRIMARY KEY (workflow_id, node_id, variant)
);

-- What the history says so far (counted as split_counts counts from now on).
INSERT INTO split_counts (workflow_id, node_id, variant, leads, converted)
SELECT h.workflow_id, h.node_id, h.outcome, count(DISTINCT h.lead_id),
       count(DISTINCT CASE WHEN l.status = 'completed' AND n.node_type = 'CONVERTED'
                           THEN h.lead_id END)
FROM lead_history h
JOIN leads l ON l.id = h.lead_id
LEFT JOIN nodes n ON n.workflow_id = l.workflow_id AND n.id = l.current_node_id
WHERE h.node_type = 'SPLIT' AND h.outcome IS NOT NULL
GROUP BY h.workflow_id, h.node_id, h.outcome;
