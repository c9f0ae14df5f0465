// Structured editors of the configs of WAIT_FOR_EVENT and SPLIT nodes (issue 15). Each edits
// the node panel's config object and hands the whole next config back; the JSON text below
// them follows. The hints repeat the server's checks; the server has the last word.
import { timeoutOf, TIMEOUT_UNITS, type TimeoutUnit } from '../api';

type Config = Record<string, unknown>;

const EVENT_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_EVENT_TYPES = 20;
const MIN_VARIANTS = 2;
const MAX_VARIANTS = 10;
const MINUTES: Record<TimeoutUnit, number> = { minutes: 1, hours: 60, days: 1440 };
// Offered as you type an event type; any name of the allowed characters works.
const SUGGESTED_EVENTS = ['replied', 'meeting_booked', 'unsubscribed', 'email_opened', 'link_clicked', 'form_submitted'];

function Hints({ problems }: { problems: string[] }) {
  if (!problems.length) return null;
  return (
    <ul className="field-hints" data-testid="config-hints">
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}

export function WaitForEventEditor({ config, onChange }: { config: Config; onChange: (next: Config) => void }) {
  const types = Array.isArray(config.event_types) ? config.event_types.map((t) => (typeof t === 'string' ? t : String(t))) : [];
  const { value, unit } = timeoutOf(config);

  function setTypes(next: string[]) {
    onChange({ ...config, event_types: next });
  }
  function setTimeoutTo(v: string, u: TimeoutUnit) {
    const next = { ...config };
    for (const k of TIMEOUT_UNITS) delete next[`timeout_${k}`];
    if (v !== '') next[`timeout_${u}`] = Number(v);
    onChange(next);
  }

  const problems: string[] = [];
  if (types.length === 0) problems.push('Name at least one event type.');
  if (types.some((t) => !EVENT_NAME.test(t))) problems.push('Event types are 1–64 characters of letters, digits, _ . : -');
  if (new Set(types).size !== types.length) problems.push('Each event type may appear once.');
  if (types.includes('timeout')) problems.push('“timeout” is the edge of the deadline, not an event type.');
  if (value === undefined) problems.push('Set a timeout: the lead leaves by the “timeout” edge when no event came in time.');
  else if (!Number.isFinite(value) || value <= 0) problems.push('The timeout must be more than 0.');
  else if (value * MINUTES[unit] > 365 * 1440) problems.push('The timeout is at most 365 days.');

  return (
    <div className="config-editor" role="group" aria-labelledby="wait-events-title">
      <span id="wait-events-title" className="config-editor-title">
        Event types
      </span>
      <span className="small muted">The lead waits for the first of these events; each leaves by the edge of its name.</span>
      {types.map((t, i) => (
        <div className="list-row" key={i}>
          <input
            aria-label={`Event type ${i + 1}`}
            name={`event-type-${i}`}
            list="event-type-suggestions"
            value={t}
            maxLength={64}
            aria-invalid={t !== '' && !EVENT_NAME.test(t) ? true : undefined}
            onChange={(e) => setTypes(types.map((x, j) => (j === i ? e.target.value : x)))}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove event type ${i + 1}`}
            title="Remove"
            disabled={types.length <= 1}
            onClick={() => setTypes(types.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <datalist id="event-type-suggestions">
        {SUGGESTED_EVENTS.filter((s) => !types.includes(s)).map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <div>
        <button type="button" disabled={types.length >= MAX_EVENT_TYPES} onClick={() => setTypes([...types, ''])}>
          + Add event type
        </button>
      </div>
      <div className="list-row">
        <label className="grow">
          Timeout
          <input
            type="number"
            name="timeout-value"
            min={1}
            value={value === undefined || Number.isNaN(value) ? '' : String(value)}
            onChange={(e) => setTimeoutTo(e.target.value, unit)}
          />
        </label>
        <label>
          Unit
          <select
            name="timeout-unit"
            aria-label="Timeout unit"
            value={unit}
            onChange={(e) => setTimeoutTo(value === undefined ? '' : String(value), e.target.value as TimeoutUnit)}
          >
            {TIMEOUT_UNITS.map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Hints problems={problems} />
    </div>
  );
}

type Variant = Record<string, unknown>;

// The first letter A–J no variant uses yet, else "Variant n".
function nextLabel(variants: Variant[]) {
  const used = new Set(variants.map((v) => String(v.label ?? '').toLowerCase()));
  for (const c of 'ABCDEFGHIJ') if (!used.has(c.toLowerCase())) return c;
  return `Variant ${variants.length + 1}`;
}

export function SplitEditor({ config, onChange }: { config: Config; onChange: (next: Config) => void }) {
  const variants: Variant[] = Array.isArray(config.variants)
    ? config.variants.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Variant) : {}))
    : [];
  const weights = variants.map((v) => (typeof v.weight === 'number' ? v.weight : NaN));
  const total = weights.reduce((s, w) => s + (Number.isInteger(w) && w > 0 ? w : 0), 0);

  function setVariants(next: Variant[]) {
    onChange({ ...config, variants: next });
  }
  function setVariant(i: number, key: 'label' | 'weight', raw: string) {
    setVariants(
      variants.map((v, j) => {
        if (j !== i) return v;
        const next = { ...v };
        if (key === 'weight' && raw === '') delete next.weight;
        else next[key] = key === 'weight' ? Number(raw) : raw;
        return next;
      }),
    );
  }

  const labels = variants.map((v) => String(v.label ?? '').trim());
  const problems: string[] = [];
  if (variants.length < MIN_VARIANTS || variants.length > MAX_VARIANTS) problems.push(`A split has ${MIN_VARIANTS}–${MAX_VARIANTS} variants.`);
  if (labels.some((l) => l.length < 1 || l.length > 40)) problems.push('Every variant needs a label of 1–40 characters.');
  if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length) problems.push('Variant labels must differ (ignoring case).');
  if (weights.some((w) => !Number.isInteger(w) || w < 1 || w > 10000)) problems.push('Weights are whole numbers from 1 to 10,000.');

  return (
    <div className="config-editor" role="group" aria-labelledby="split-variants-title">
      <span id="split-variants-title" className="config-editor-title">
        Variants
      </span>
      <span className="small muted">Each lead goes down one variant, at random in proportion to the weights (always the same one for a lead).</span>
      <div className="list-row list-head small muted" aria-hidden="true">
        <span className="grow">Label (edge label)</span>
        <span className="weight-col">Weight</span>
        <span className="share-col">Share</span>
        <span className="icon-col" />
      </div>
      {variants.map((v, i) => (
        <div className="list-row" key={i} data-testid="variant-row">
          <input
            className="grow"
            aria-label={`Variant ${i + 1} label`}
            name={`variant-label-${i}`}
            maxLength={40}
            value={typeof v.label === 'string' ? v.label : String(v.label ?? '')}
            onChange={(e) => setVariant(i, 'label', e.target.value)}
          />
          <input
            className="weight-col"
            type="number"
            min={1}
            max={10000}
            step={1}
            aria-label={`Variant ${i + 1} weight`}
            name={`variant-weight-${i}`}
            value={Number.isNaN(weights[i]) ? '' : String(weights[i])}
            onChange={(e) => setVariant(i, 'weight', e.target.value)}
          />
          <span className="share-col small muted" aria-label={`Variant ${i + 1} share`}>
            {total > 0 && Number.isInteger(weights[i]) && weights[i] > 0 ? `${Math.round((weights[i] / total) * 1000) / 10}%` : '—'}
          </span>
          <button
            type="button"
            className="icon-button icon-col"
            aria-label={`Remove variant ${i + 1}`}
            title="Remove"
            disabled={variants.length <= MIN_VARIANTS}
            onClick={() => setVariants(variants.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          disabled={variants.length >= MAX_VARIANTS}
          onClick={() => setVariants([...variants, { label: nextLabel(variants), weight: 50 }])}
        >
          + Add variant
        </button>
      </div>
      <Hints problems={problems} />
    </div>
  );
}
