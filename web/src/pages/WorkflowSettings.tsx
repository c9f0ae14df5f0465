import { useState, type FormEvent } from 'react';
import { api, type Workflow } from '../api';
import { ErrorBox } from '../common';

type Settings = Record<string, unknown>;

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
          <label>
            Settings (JSON): timezone, default_country, allow_reenrollment, max_concurrent_calls, calling_window
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
