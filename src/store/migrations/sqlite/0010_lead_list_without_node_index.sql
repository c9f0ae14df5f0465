-- Every step that moves a lead to another node moved its entry in this index, and only the
-- lead list's filter by current node read it. The list's totals now come from lead_counts
-- (migration 0004), and its pages walk leads_workflow_created as the other filters do.
DROP INDEX IF EXISTS leads_workflow_node;
