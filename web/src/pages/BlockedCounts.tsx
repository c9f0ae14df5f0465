// The workflow's leads that compliance rules hold back or dropped (/graph's blocked_counts).
import { fmtNum, type BlockedCounts as Counts } from '../api';
import { Link } from '../router';

interface Kind {
  key: keyof Counts;
  label: string;
  // The lead table filters by status only: the dropped kinds link to the dropped leads (the
  // table marks which rule dropped each); it has no filter for what an active lead waits for.
  status?: string;
}
const KINDS: Kind[] = [
  { key: 'calling_window', label: 'Waiting for calling hours' },
  { key: 'contact_cap', label: 'Held by contact cap' },
  { key: 'suppressed', label: 'Suppressed (do-not-call)', status: 'dropped' },
  { key: 'consent', label: 'No consent', status: 'dropped' },
];

// Nothing is drawn while the counts are on their way or when the server does not send them.
export function BlockedCounts({ workflowId, counts }: { workflowId: string; counts?: Counts }) {
  if (!counts) return null;
  return (
    <ul className="blocked-counts" aria-label="Leads blocked by compliance rules" data-testid="blocked-counts">
      {KINDS.map((k) => {
        const n = counts[k.key] ?? 0;
        const value = <strong>{fmtNum(n)}</strong>;
        return (
          <li key={k.key} data-blocked={k.key} className={n > 0 ? 'has-blocked' : undefined}>
            <span className="muted">{k.label}</span>{' '}
            {k.status && n > 0 ? (
              <Link to={`/workflows/${workflowId}/leads?status=${k.status}`} title={`Show the ${k.status} leads`}>
                {value}
              </Link>
            ) : (
              value
            )}
          </li>
        );
      })}
    </ul>
  );
}
