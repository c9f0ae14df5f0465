import { useState, type FormEvent } from 'react';
import { api, type ExitRule, type Workflow } from '../api';
import { ErrorBox } from '../common';

type Settings = Record<string, unknown>;
type Rule = Partial<ExitRule> & Record<string, unknown>;

const MAX_EXIT_RULES = 50;
const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

// settings.exit_rules (issue 15): an event of a type ends the lead, wherever it stands, as
// completed or dropped. Edits the settings object like the checkbox above it does.
function ExitRules({ settings, onChange }: { settings: Settings | null; onChange: (next: Settings) => void }) {
  if (!settings)
    return (
      <div className="config-editor exit-rules" role="group" aria-label="Exit rules">
        <span className="config-editor-title">Exit rules</span>
        <span className="small muted">Fix the JSON below to edit the exit rules here.</span>
      </div>
    );
  const raw = settings.exit_rules;
  const rules: Rule[] = Array.isArray(raw) ? raw.map((r) => (r && typeof r === 'object' && !Array.isArray(r) ? (r as Rule) : {})) : [];
  // A patch merges into the stored settings: no rule left is an empty list, not a missing key.
  const set = (next: Rule[]) => onChange({ ...settings, exit_rules: next });
  const update = (i: number, patch: Rule) => set(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const bad = rules.some((r) => !EVENT_NAME.test(String(r.event ?? '')));
  return (
    <div className="config-editor exit-rules" role="group" aria-labelledby="exit-rules-title" data-testid="exit-rules">
      <span id="exit-rules-title" className="config-editor-title">
        Exit rules
      </span>
      <span className="small muted">An event of the type named (POST /v1/events) ends the lead wherever it stands, as completed or dropped.</span>
      {rules.length === 0 && <span className="small muted">No exit rule: events never end a lead by themselves.</span>}
      {rules.map((r, i) => (
        <div className="list-row" key={i} data-testid="exit-rule">
          <input
            className="grow"
            aria-label={`Exit rule ${i + 1} event`}
            placeholder="event type, e.g. meeting_booked"
            maxLength={64}
            value={String(r.event ?? '')}
            aria-invalid={r.event && !EVENT_NAME.test(String(r.event)) ? true : undefined}
            onChange={(e) => update(i, { event: e.target.value })}
          />
          <select
            aria-label={`Exit rule ${i + 1} status`}
            value={String(r.status ?? 'completed')}
            onChange={(e) => update(i, { status: e.target.value as ExitRule['status'] })}
          >
            <option value="completed">ends as completed</option>
            <option value="dropped">ends as dropped</option>
          </select>
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove exit rule ${i + 1}`}
            title="Remove"
            onClick={() => set(rules.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <div>
        <button type="button" disabled={rules.length >= MAX_EXIT_RULES} onClick={() => set([...rules, { event: '', status: 'completed' }])}>
          + Add exit rule
        </button>
      </div>
      {bad && (
        <ul className="field-hints">
          <li>Event types are 1–64 characters of letters, digits, _ . : -</li>
        </ul>
      )}
    </div>
  );
}

// Title, description and settings (spec §2.11 and calling windows) through PATCH /workflows/{id}.
export function WorkflowSettings({ workflow, onSaved }: { workflow: Workflow & { settings?: Settings }; onSaved: () => Promise<void> }) {
  const [title, setTitle] = useState(workflow.title);
  const [description, setDescription] = useState(workflow.description ?? '');
  const [text, setText] = useState(JSON.stringify(workflow.settings ?? {}, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const editable = workflow.status !== 'completed' && workflow.status !== 'cancelled';

  let parsed: Settings | null = null;
  try {
    const p = JSON.parse(text);
    parsed = p && typeof p === 'object' && !Array.isArray(p) ? p : null;
  } catch {
    parsed = null;
  }
  const anyHour = parsed !== null && 'calling_window' in parsed && parsed.calling_window === null;

  function edit(next: string) {
    setText(next);
    setSaved(false);
    try {
      const p = JSON.parse(next);
      setJsonError(p && typeof p === 'object' && !Array.isArray(p) ? null : 'Settings must be a JSON object');
    } catch (e) {
      setJsonError(`Settings are not valid JSON: ${(e as Error).message}`);
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (jsonError || !parsed) return;
    setError(null);
    try {
      await api(`/workflows/${workflow.id}`, {
        method: 'PATCH',
        body: { title, description: description.trim() ? description : null, settings: parsed },
      });
      setSaved(true);
      await onSaved();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form onSubmit={save} className="stack settings-form">
        <fieldset disabled={!editable}>
          <label>
            Title
            <input required maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
          </label>
          <label>
            Description
            <input maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={anyHour}
              disabled={!parsed}
              onChange={(e) => {
                const next = { ...(parsed ?? {}) };
                if (e.target.checked) next.calling_window = null;
                else delete next.calling_window;
                edit(JSON.stringify(next, null, 2));
              }}
            />
            Call at any hour (no calling window; by default calls wait for 08:00–21:00 in the lead’s time zone)
          </label>
          <ExitRules settings={parsed} onChange={(next) => edit(JSON.stringify(next, null, 2))} />
          <label>
            Settings (JSON): timezone, default_country, allow_reenrollment, max_concurrent_calls, calling_window, exit_rules
            <textarea rows={8} spellCheck={false} value={text} onChange={(e) => edit(e.target.value)} aria-invalid={jsonError ? true : undefined} />
          </label>
          {jsonError && (
            <p className="field-error" role="alert">
              {jsonError}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary">
              Save settings
            </button>
            {saved && (
              <span className="ok" role="status">
                Saved
              </span>
            )}
          </div>
        </fieldset>
      </form>
      <ErrorBox error={error} title="The settings were refused" />
    </section>
  );
}
