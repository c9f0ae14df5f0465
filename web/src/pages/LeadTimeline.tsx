import { api, fmtTime, qs, type Call, type LeadHistory, type Page } from '../api';
import { Empty, ErrorBox, Loading, PageTitle, StatusBadge, useLoad, usePolling } from '../common';
import { Link } from '../router';
import { TYPE_NAMES } from '../graph/NodeCard';
import { DropReason, WhyNotNow, mayBeHeld } from './WhyNotNow';

// execution.waiting_for in words; "none" (a lead that waits for nothing) says nothing.
const WAITING_FOR: Record<string, string> = {
  delay: 'a delay',
  call: 'a call',
  call_detached: 'a call',
  http: 'an HTTP answer',
  window: 'calling hours',
  contact_cap: 'a contact cap',
};

function duration(from: string, to: string | null) {
  if (!to) return null;
  const ms = new Date(to).getTime() - new Date(from).getTime();
  if (!Number.isFinite(ms) || ms < 0) return null;
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

export function LeadTimeline({ workflowId, leadId }: { workflowId: string; leadId: string }) {
  const data = useLoad(
    async (signal) => {
      const [history, calls] = await Promise.all([
        api<LeadHistory>(`/workflows/${workflowId}/leads/${leadId}/history`, { signal }),
        api<Page<Call>>(`/calls${qs({ workflow_id: workflowId, lead_id: leadId, limit: 100 })}`, { signal }),
      ]);
      return { history, calls: new Map(calls.data.map((c) => [c.id, c])) };
    },
    [workflowId, leadId],
  );
  usePolling(async () => data.reload(), 4000, data.data?.history.lead.status === 'active' || data.data?.history.lead.status === 'pending');

  if (!data.data)
    return (
      <main className="page">
        {data.error ? <ErrorBox error={data.error} title="Could not load this lead" /> : <Loading what="Loading the lead's history" />}
      </main>
    );
  const { history, calls } = data.data;
  const lead = history.lead;
  return (
    <main className="page">
      <div className="crumbs">
        <Link to="/">Workflows</Link> / <Link to={`/workflows/${workflowId}`}>Workflow</Link> /{' '}
        <Link to={`/workflows/${workflowId}/leads`}>Leads</Link> /
      </div>
      <PageTitle title={`Lead ${lead.phone_number}`}>
        Lead {lead.phone_number} <StatusBadge status={lead.status} />
        {lead.stalled && <span className="badge badge-stalled">stalled</span>}
      </PageTitle>
      <dl className="facts">
        <dt>Variables</dt>
        <dd>
          {Object.entries(lead.dynamic_variables ?? {}).length === 0
            ? '—'
            : Object.entries(lead.dynamic_variables).map(([k, v]) => (
                <span key={k} className="var">
                  {k}=<strong>{v}</strong>
                </span>
              ))}
        </dd>
        <dt>Enrolled</dt>
        <dd>{fmtTime(lead.enrolled_at)}</dd>
        <dt>Now</dt>
        <dd>
          {history.execution.status}
          {history.execution.waiting_for && history.execution.waiting_for !== 'none'
            ? ` · waiting for ${WAITING_FOR[history.execution.waiting_for] ?? history.execution.waiting_for}`
            : ''}
          {history.execution.next_action_at ? ` · next action ${fmtTime(history.execution.next_action_at)}` : ''}
        </dd>
      </dl>
      <DropReason history={history} />
      {mayBeHeld(history) && (
        <WhyNotNow
          workflowId={workflowId}
          leadId={leadId}
          version={`${lead.updated_at}|${history.execution.next_action_at}|${history.execution.waiting_for}`}
        />
      )}
      <h2>Timeline</h2>
      {history.history.length === 0 ? (
        <Empty>
          {lead.status === 'pending' ? 'Not started: the lead starts at the entry node once the workflow is active.' : 'No steps recorded yet.'}
        </Empty>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {history.history.map((h, i) => {
            const call = h.call_id ? calls.get(h.call_id) : undefined;
            const d = duration(h.started_at, h.ended_at);
            return (
              <li key={i} className={`tl-item tl-${h.node_type}`}>
                <div className="tl-head">
                  <span className="tl-type">{TYPE_NAMES[h.node_type] ?? h.node_type}</span> <strong>{h.label}</strong>{' '}
                  <span className="muted small">{h.status}</span>
                  {h.outcome && <span className="badge">{h.outcome}</span>}
                </div>
                <div className="small muted">
                  {fmtTime(h.started_at)} → {h.ended_at ? fmtTime(h.ended_at) : 'still here'}
                  {d && ` (${h.node_type === 'TIME' ? 'waited ' : ''}${d})`}
                  {h.attempt ? ` · attempt ${h.attempt}` : ''}
                  {h.edge_label ? ` · followed “${h.edge_label}”` : h.to_node_id ? ' · followed the unlabelled edge' : ''}
                </div>
                {h.reason && <div className="small">{h.reason}</div>}
                {h.call_id && (
                  <div className="tl-call">
                    <Link to={`/calls/${h.call_id}`}>Call {h.call_id}</Link>
                    {call && (
                      <>
                        {' '}
                        · {call.status}
                        {call.duration_seconds !== null ? ` · ${call.duration_seconds} s` : ''}
                        {call.end_reason ? ` · ${call.end_reason}` : ''}
                        {call.postcall_analysis && Object.keys(call.postcall_analysis).length > 0 && (
                          <div className="small">
                            Analysis:{' '}
                            {Object.entries(call.postcall_analysis)
                              .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
                              .join(', ')}
                          </div>
                        )}
                        {call.transcript && (
                          <details>
                            <summary>Transcript</summary>
                            <pre className="transcript">{call.transcript}</pre>
                          </details>
                        )}
                      </>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </main>
  );
}
