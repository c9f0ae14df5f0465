import { api, fmtTime, qs, type Call, type HistoryEntry, type LeadEvent, type LeadHistory, type Page } from '../api';
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
  event: 'an event',
};

// What an event did to this lead (GET .../events `effect`); "recorded" says nothing.
const EFFECTS: Record<string, string> = {
  resumed: 'ended the wait',
  exited: 'ended the lead',
};

// The history's event rows, each with its event (same type, in order: both lists are oldest
// first), when the server lists a lead's events.
function eventsByRow(history: HistoryEntry[], events: LeadEvent[] | null) {
  const out = new Map<number, LeadEvent>();
  if (!events) return out;
  const byType = new Map<string, LeadEvent[]>();
  for (const e of events) byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
  history.forEach((h, i) => {
    if (h.status !== 'event' || !h.outcome) return;
    const next = byType.get(h.outcome)?.shift();
    if (next) out.set(i, next);
  });
  return out;
}

// "exit rule: event meeting_booked ends the lead as completed" without its "exit rule:".
function exitText(h: HistoryEntry) {
  const reason = h.reason?.replace(/^\s*exit rule:\s*/i, '').trim();
  return reason || `the lead ended${h.outcome ? ` as ${h.outcome}` : ''}`;
}

// An event the lead received, or an exit rule that ended it: not a visit of a node.
function EventItem({ h, event }: { h: HistoryEntry; event?: LeadEvent }) {
  const where = h.label ? ` at ${TYPE_NAMES[h.node_type] ?? h.node_type} “${h.label}”` : '';
  if (h.status === 'exited')
    return (
      <li className="tl-item tl-exited" data-testid="tl-exited">
        <div className="tl-head">
          <span className="tl-type">Exit rule:</span> <strong>{exitText(h)}</strong>
          {h.outcome && <span className="badge">{h.outcome}</span>}
        </div>
        <div className="small muted">
          {fmtTime(h.started_at)}
          {where}
        </div>
      </li>
    );
  const data = event?.data && Object.keys(event.data).length > 0 ? JSON.stringify(event.data) : null;
  const effect = event ? EFFECTS[event.effect] : undefined;
  return (
    <li className="tl-item tl-event" data-testid="tl-event" data-event={h.outcome ?? undefined}>
      <div className="tl-head">
        <span className="tl-type">Event</span> <strong>{h.outcome ?? 'unknown'}</strong> received
        {effect && <span className="badge">{effect}</span>}
      </div>
      <div className="small muted">
        {fmtTime(h.started_at)}
        {where}
        {h.edge_label ? ` · followed “${h.edge_label}”` : ''}
      </div>
      {h.reason && h.reason !== `event ${h.outcome} received` && <div className="small">{h.reason}</div>}
      {data && (
        <code className="tl-event-data" title="The event's data">
          {data}
        </code>
      )}
    </li>
  );
}

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
      const [history, calls, events] = await Promise.all([
        api<LeadHistory>(`/workflows/${workflowId}/leads/${leadId}/history`, { signal }),
        api<Page<Call>>(`/calls${qs({ workflow_id: workflowId, lead_id: leadId, limit: 100 })}`, { signal }),
        // The event data is extra: a server without the route (404) or an error shows none.
        api<{ data: LeadEvent[] }>(`/workflows/${workflowId}/leads/${leadId}/events${qs({ limit: 100 })}`, { signal }).then(
          (r) => (Array.isArray(r?.data) ? r.data : null),
          () => null,
        ),
      ]);
      return { history, calls: new Map(calls.data.map((c) => [c.id, c])), events };
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
  const { history, calls, events } = data.data;
  const lead = history.lead;
  const rowEvents = eventsByRow(history.history, events);
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
            if (h.status === 'event' || h.status === 'exited') return <EventItem key={i} h={h} event={rowEvents.get(i)} />;
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
                  {d && ` (${h.node_type === 'TIME' || h.node_type === 'WAIT_FOR_EVENT' ? 'waited ' : ''}${d})`}
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
