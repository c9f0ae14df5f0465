import { api, fmtTime, type Call } from '../api';
import { ErrorBox, Loading, PageTitle, StatusBadge, useLoad } from '../common';
import { Link } from '../router';

export function CallDetail({ id }: { id: string }) {
  const call = useLoad((signal) => api<Call>(`/calls/${id}`, { signal }), [id]);
  if (!call.data)
    return (
      <main className="page">
        {call.error ? <ErrorBox error={call.error} title="Could not load this call" /> : <Loading what="Loading call" />}
      </main>
    );
  const c = call.data;
  const rows: [string, React.ReactNode][] = [
    ['Status', <StatusBadge status={c.status} />],
    ['Outcome', c.outcome ?? '—'],
    ['End reason', c.end_reason ?? '—'],
    ['Attempt', c.attempt],
    ['To', c.to_phone_number],
    ['From', c.from_phone_number],
    ['Agent', c.agent_id],
    ['Duration', c.duration_seconds === null ? '—' : `${c.duration_seconds} s`],
    ['Created', fmtTime(c.created_at)],
    ['Ended', fmtTime(c.ended_at)],
  ];
  return (
    <main className="page">
      <div className="crumbs">
        <Link to={`/workflows/${c.workflow_id}`}>Workflow</Link> / <Link to={`/workflows/${c.workflow_id}/leads/${c.lead_id}`}>Lead</Link> /
      </div>
      <PageTitle title={`Call ${c.id}`}>Call {c.id}</PageTitle>
      <dl className="facts" data-testid="call-detail">
        {rows.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <h2>Post-call analysis</h2>
      {c.postcall_analysis && Object.keys(c.postcall_analysis).length ? (
        <dl className="facts">
          {Object.entries(c.postcall_analysis).map(([k, v]) => (
            <div key={k} className="fact">
              <dt>{k}</dt>
              <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">None.</p>
      )}
      <h2>Transcript</h2>
      {c.transcript ? <pre className="transcript">{c.transcript}</pre> : <p className="muted">No transcript.</p>}
    </main>
  );
}
