// Compliance on a lead's timeline (spec §7a): why an active lead is not being called now,
// and which rule dropped a lead that a rule (not a DROPPED node) ended.
import { api, fmtTime, type Block, type Eligibility, type LeadHistory } from '../api';
import { ErrorBox, useLoad } from '../common';

const RULE_NAMES: Record<string, string> = {
  lead_status: 'Lead status',
  suppression: 'Do-not-call list',
  consent: 'Consent',
  calling_window: 'Calling window',
  state_rule: 'State rule',
  contact_cap: 'Contact cap',
};

// "Contact cap (organization)", "Contact cap (state FL)": the source says whose cap it is.
export function ruleName(block: Block) {
  const name = RULE_NAMES[block.rule] ?? block.rule.replace(/_/g, ' ');
  if (!block.source) return name;
  return `${name} (${block.source.replace(/^state:/, 'state ')})`;
}

const DROP_REASONS: Record<string, string> = {
  suppressed: 'Do-not-call list',
  consent: 'No consent',
  exit_rule: 'Exit rule', // (events) in case a server names it: an event's exit rule ended the lead
};

// A step under way: its own call counts against the contact caps, so asking now would blame
// the cap for a lead that is simply in its call.
const IN_A_STEP = ['call', 'call_detached', 'http'];

// Whether the timeline should ask the eligibility route at all: only an active lead can be
// held back (for the others the answer would only repeat their status), and not mid-step.
export function mayBeHeld(history: LeadHistory) {
  return history.lead.status === 'active' && !IN_A_STEP.includes(history.execution.waiting_for ?? '');
}

// `version` changes whenever the lead does (the timeline polls it), so the answer follows the
// lead without a poll of its own.
export function WhyNotNow({ workflowId, leadId, version }: { workflowId: string; leadId: string; version: string }) {
  const answer = useLoad(
    (signal) => api<Eligibility>(`/workflows/${workflowId}/leads/${leadId}/eligibility`, { signal }),
    [workflowId, leadId, version],
  );
  if (!answer.data) return answer.error ? <ErrorBox error={answer.error} title="Could not check whether this lead may be called" /> : null;
  const e = answer.data;
  if (e.eligible)
    return (
      <p className="ok small" data-testid="eligible-now">
        ✓ Eligible to call now
      </p>
    );
  return (
    <section className="warning-box why-not-now" aria-labelledby="why-not-now-title" data-testid="why-not-now">
      <h2 id="why-not-now-title">Why not now?</h2>
      <ul className="blocks">
        {e.blocked_by.map((b, i) => (
          <li key={i} data-rule={b.rule}>
            <strong>{ruleName(b)}</strong>: {b.detail}
            {b.until && <span className="muted small"> · until {fmtTime(b.until)}</span>}
          </li>
        ))}
      </ul>
      <p className="small">
        Next eligible at: <strong>{e.next_eligible_at ? fmtTime(e.next_eligible_at) : 'not by itself (a rule must change)'}</strong>
      </p>
    </section>
  );
}

// A lead a rule dropped: the rule as a badge, with the reason its dropped history row gives.
export function DropReason({ history }: { history: LeadHistory }) {
  const reason = history.lead.status === 'dropped' ? history.lead.drop_reason : null;
  if (!reason) return null;
  const byExit = reason === 'exit_rule';
  const row = [...history.history].reverse().find((h) => h.status === (byExit ? 'exited' : 'dropped') && h.reason);
  return (
    <div className="error-box" role="status" data-testid="drop-reason">
      <strong>
        Dropped by {byExit ? 'an exit rule' : 'a compliance rule'} <span className="badge badge-dropped">{DROP_REASONS[reason] ?? reason}</span>
      </strong>
      {row?.reason && <p>{row.reason}</p>}
    </div>
  );
}
