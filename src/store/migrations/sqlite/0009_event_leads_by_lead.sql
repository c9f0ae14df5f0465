-- Each event inserted an entry keyed (workflow, lead, event) at a random position of this
-- index, for deleting a workflow only; the workflow's event rows are found by its leads
-- (the primary key's first column) instead.
DROP INDEX inbound_event_leads_workflow;
