import { useState } from 'react';
import { api, fmtTime, qs, type Lead, type Page, type WfNode } from '../api';
import { Empty, ErrorBox, Loading, Pager, StatusBadge, useLoad, usePolling } from '../common';
import { Link, navigate, useLocation } from '../router';

const STATUSES = ['', 'pending', 'active', 'completed', 'dropped', 'removed', 'cancelled', 'failed'];

export function LeadTable({ workflowId, nodes }: { workflowId: string; nodes: WfNode[] }) {
  const loc = useLocation();
  const params = new URLSearchParams(loc.search);
  const status = params.get('status') ?? '';
  const node = params.get('node') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [limit] = useState(25);
  const byId = new Map(nodes.map((n) => [n.id, n]));

  function setParams(next: Record<string, string | number>) {
    const p = new URLSearchParams(loc.search);
    for (const [k, v] of Object.entries(next)) {
      if (v === '' || v === 1) p.delete(k);
      else p.set(k, String(v));
    }
    const s = p.toString();
    navigate(`/workflows/${workflowId}/leads${s ? `?${s}` : ''}`, true);
  }

  const list = useLoad(
    (signal) =>
      api<Page<Lead>>(`/workflows/${workflowId}/leads${qs({ status, current_node_id: node, page, limit })}`, { signal }),
    [workflowId, status, node, page],
  );
  usePolling(async () => list.reload(), 5000);

  return (
    <section aria-labelledby="leads-title">
      <h2 id="leads-title">Leads</h2>
      <div className="filters">
        <div role="group" aria-label="Filter by status" className="chips">
          {STATUSES.map((s) => (
            <button
              key={s || 'all'}
              type="button"
              aria-pressed={status === s}
              className={status === s ? 'chip chip-on' : 'chip'}
              onClick={() => setParams({ status: s, page: 1 })}
            >
              {s || 'all'}
            </button>
          ))}
        </div>
        <label>
          Node
          <select value={node} onChange={(e) => setParams({ node: e.target.value, page: 1 })}>
            <option value="">any node</option>
            {nodes.map((n) => (
              <option key={n.id} value={n.id}>
                {n.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={list.error} title="Could not load leads" />
      {list.loading && !list.data && <Loading what="Loading leads" />}
      {list.data && list.data.data.length === 0 && (
        <Empty>
          {status || node ? 'No lead matches these filters.' : (
            <>
              No leads yet. <Link to={`/workflows/${workflowId}/upload`}>Upload a CSV or XLSX file</Link>.
            </>
          )}
        </Empty>
      )}
      {list.data && list.data.data.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="table" data-testid="lead-table">
              <caption className="sr-only">Leads of this workflow</caption>
              <thead>
                <tr>
                  <th scope="col">Phone number</th>
                  <th scope="col">Variables</th>
                  <th scope="col">Status</th>
                  <th scope="col">Current node</th>
                  <th scope="col">Next action</th>
                  <th scope="col">Enrolled</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((l) => (
                  <tr key={l.id}>
                    <td>
                      <Link to={`/workflows/${workflowId}/leads/${l.id}`}>{l.phone_number}</Link>
                    </td>
                    <td className="small">
                      {Object.entries(l.dynamic_variables ?? {})
                        .slice(0, 3)
                        .map(([k, v]) => `${k}=${v}`)
                        .join(', ')}
                    </td>
                    <td>
                      <StatusBadge status={l.status} />
                      {l.stalled && <span className="badge badge-stalled">stalled</span>}
                      {l.drop_reason && (
                        <span className="badge" title="The compliance rule that dropped this lead">
                          {l.drop_reason}
                        </span>
                      )}
                    </td>
                    <td>{l.current_node_id ? byId.get(l.current_node_id)?.label ?? l.current_node_id : '—'}</td>
                    <td>{fmtTime(l.next_action_at)}</td>
                    <td>{fmtTime(l.enrolled_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} totalPages={list.data.meta.totalPages} total={list.data.meta.total} onPage={(p) => setParams({ page: p })} />
        </>
      )}
    </section>
  );
}
