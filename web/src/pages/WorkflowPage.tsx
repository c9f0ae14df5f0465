import { useCallback, useEffect, useState } from 'react';
import { api, fmtNum, type GraphResponse, type WfEdge, type WfNode, type Workflow, type WorkflowStatus } from '../api';
import { ErrorBox, Loading, PageTitle, StatusBadge, usePolling } from '../common';
import { Link, navigate } from '../router';
import { GraphEditor } from '../graph/GraphEditor';
import { BlockedCounts } from './BlockedCounts';
import { LeadTable } from './LeadTable';
import { LeadUpload } from './LeadUpload';
import { WorkflowSettings } from './WorkflowSettings';

interface Action {
  label: string;
  path: string;
  body?: unknown;
  method?: string;
  confirm?: string;
  primary?: boolean;
}

// Only the transitions spec §2.8 allows from each status.
function actionsFor(status: WorkflowStatus): Action[] {
  const cancel: Action = { label: 'Cancel', path: 'cancel', confirm: 'Cancel this workflow? This is permanent: no lead will move again.' };
  const complete: Action = { label: 'Complete', path: 'complete', confirm: 'Mark this workflow completed? This is permanent.' };
  const deactivate: Action = { label: 'Back to draft', path: 'status', method: 'PATCH', body: { action: 'deactivate' } };
  switch (status) {
    case 'draft':
      return [{ label: 'Activate', path: 'activate', primary: true }, cancel];
    case 'active':
      return [{ label: 'Pause', path: 'pause', primary: true }, deactivate, complete, cancel];
    case 'paused':
      return [{ label: 'Resume', path: 'resume', primary: true }, deactivate, complete, cancel];
    default:
      return [];
  }
}

export const POLL_MS = 2000;

export function WorkflowPage({ id, tab }: { id: string; tab: string }) {
  const [graph, setGraph] = useState<GraphResponse | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const g = await api<GraphResponse>(`/workflows/${id}/graph`);
      if (!performance.getEntriesByName('leadline-graph-fetched').length) performance.mark('leadline-graph-fetched');
      setGraph(g);
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [id]);

  // The graph's shape (workflow, nodes, edges) comes from three quick reads so it can be drawn
  // at once; /graph, which also counts the leads (slower with a million of them), fills in
  // the counts when it answers and is what the page polls afterwards.
  useEffect(() => {
    let live = true;
    let full = false;
    setGraph(null);
    refresh().then(() => {
      full = true;
    });
    Promise.all([
      api<Workflow>(`/workflows/${id}`),
      api<{ data: WfNode[] }>(`/workflows/${id}/nodes`),
      api<{ data: WfEdge[] }>(`/workflows/${id}/edges`),
    ]).then(
      ([workflow, nodes, edges]) => {
        if (!live || full) return;
        performance.mark('leadline-shape-fetched');
        setGraph((g) => g ?? { workflow, nodes: nodes.data, edges: edges.data, lead_counts: {}, status_counts: {}, counting: true });
      },
      () => {
        /* /graph reports the error */
      },
    );
    return () => {
      live = false;
    };
  }, [id, refresh]);
  usePolling(refresh, POLL_MS);

  if (!graph)
    return (
      <main className="page">
        {loadError ? <ErrorBox error={loadError} title="Could not load this workflow" /> : <Loading what="Loading workflow" />}
        <p>
          <Link to="/">Back to the workflows</Link>
        </p>
      </main>
    );

  const w = graph.workflow;
  const counts = graph.status_counts;

  async function run(a: Action) {
    if (a.confirm && !window.confirm(a.confirm)) return;
    setBusy(true);
    setActionError(null);
    try {
      const updated = await api<Workflow>(`/workflows/${id}/${a.path}`, { method: a.method ?? 'POST', body: a.body });
      setGraph((g) => (g ? { ...g, workflow: updated } : g));
      await refresh();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!window.confirm(`Delete “${w.title}” with its nodes, edges and leads?`)) return;
    try {
      await api(`/workflows/${id}`, { method: 'DELETE' });
      navigate('/');
    } catch (e) {
      setActionError(e);
    }
  }

  const tabs = [
    { key: 'graph', label: 'Graph' },
    { key: 'leads', label: 'Leads' },
    { key: 'upload', label: 'Upload leads' },
    { key: 'settings', label: 'Settings' },
  ];
  return (
    <main className="page page-wide">
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/">Workflows</Link> /
          </div>
          <PageTitle title={w.title}>
            {w.title} <StatusBadge status={w.status} />
          </PageTitle>
          {w.description && <p className="muted">{w.description}</p>}
        </div>
        <div className="actions" role="group" aria-label="Lifecycle">
          {actionsFor(w.status).map((a) => (
            <button key={a.label} type="button" className={a.primary ? 'primary' : ''} disabled={busy} onClick={() => run(a)}>
              {a.label}
            </button>
          ))}
          {w.status !== 'active' && (
            <button type="button" className="danger" onClick={remove}>
              Delete
            </button>
          )}
        </div>
      </div>
      <ErrorBox error={actionError} title="That did not work" />
      {graph.counting && (
        <p className="muted small" role="status">
          Counting leads…
        </p>
      )}
      <ul className="status-counts" aria-label="Leads by status" data-testid="status-counts">
        {Object.entries(counts).map(([s, n]) => (
          <li key={s} data-status={s}>
            <span className="muted">{s}</span> <strong>{fmtNum(n)}</strong>
          </li>
        ))}
      </ul>
      <BlockedCounts workflowId={id} counts={graph.blocked_counts} />
      <nav className="tabs" aria-label="Workflow views">
        {tabs.map((t) => (
          <Link key={t.key} to={`/workflows/${id}${t.key === 'graph' ? '' : `/${t.key}`}`} aria-current={tab === t.key ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab === 'graph' && <GraphEditor graph={graph} onChanged={refresh} />}
      {tab === 'leads' && <LeadTable workflowId={id} nodes={graph.nodes} />}
      {tab === 'upload' && <LeadUpload workflow={w} onDone={refresh} />}
      {tab === 'settings' && <WorkflowSettings key={w.id} workflow={w} onSaved={refresh} />}
    </main>
  );
}
