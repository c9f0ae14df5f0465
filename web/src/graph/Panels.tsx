import { useState, type FormEvent } from 'react';
import {
  api,
  fmtNum,
  outcomesOf,
  TERMINAL,
  type Issue,
  type NodeCounts,
  type SplitVariantCount,
  type Validation,
  type WfEdge,
  type WfNode,
} from '../api';
import { Link } from '../router';
import { SplitEditor, WaitForEventEditor } from './ConfigEditors';
import { fmtVariant, TYPE_NAMES } from './NodeCard';
import type { Selection } from './GraphEditor';

type Mutate = (fn: () => Promise<unknown>) => Promise<unknown>;

type Field = { key: string; label: string; kind: 'text' | 'number'; hint?: string };
const FIELDS: Record<string, Field[]> = {
  VOICE_CALL: [
    { key: 'agent_id', label: 'Agent id', kind: 'text' },
    { key: 'from_phone_number', label: 'From phone number (E.164)', kind: 'text' },
    { key: 'max_attempts', label: 'Max attempts (1–10)', kind: 'number' },
    { key: 'retry_delay_minutes', label: 'Retry delay (minutes)', kind: 'number' },
  ],
  TIME: [
    { key: 'delay_minutes', label: 'Delay minutes', kind: 'number' },
    { key: 'delay_hours', label: 'Delay hours', kind: 'number' },
    { key: 'delay_days', label: 'Delay days', kind: 'number' },
  ],
  APPLICATION: [
    { key: 'provider_key', label: 'Provider key', kind: 'text' },
    { key: 'action_key', label: 'Action key', kind: 'text' },
  ],
  WEBHOOK: [
    { key: 'url', label: 'URL', kind: 'text' },
    { key: 'method', label: 'Method', kind: 'text' },
    { key: 'timeout_ms', label: 'Timeout (ms)', kind: 'number' },
  ],
  SMS: [
    { key: 'from_phone_number', label: 'From phone number (E.164)', kind: 'text' },
    { key: 'message', label: 'Message ({{variable}} placeholders)', kind: 'text' },
  ],
};

export function NodePanel(props: {
  workflowId: string;
  node: WfNode;
  nodes: WfNode[];
  edges: WfEdge[];
  counts?: NodeCounts;
  variants?: SplitVariantCount[];
  errors: Issue[];
  warnings: Issue[];
  editable: boolean;
  mutate: Mutate;
  onSelect: (s: Selection) => void;
}) {
  const { workflowId, node, nodes, edges, counts, variants, errors, warnings, editable, mutate, onSelect } = props;
  const [label, setLabel] = useState(node.label);
  const [config, setConfig] = useState<Record<string, unknown>>(node.config ?? {});
  const [jsonText, setJsonText] = useState(JSON.stringify(node.config ?? {}, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const byId = new Map(nodes.map((n) => [n.id, n]));

  function updateConfig(next: Record<string, unknown>) {
    setConfig(next);
    setJsonText(JSON.stringify(next, null, 2));
    setJsonError(null);
    setSaved(false);
  }
  function setField(f: Field, raw: string) {
    const next = { ...config };
    if (raw === '') delete next[f.key];
    else next[f.key] = f.kind === 'number' ? Number(raw) : raw;
    updateConfig(next);
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (jsonError) return;
    setSaved(false);
    const r = await mutate(() => api(`/workflows/${workflowId}/nodes/${node.id}`, { method: 'PATCH', body: { label, config } }));
    if (r) setSaved(true);
  }

  async function remove() {
    if (!window.confirm(`Delete node “${node.label}” and its edges?`)) return;
    const r = await mutate(() => api(`/workflows/${workflowId}/nodes/${node.id}`, { method: 'DELETE' }));
    if (r) onSelect(null);
  }

  const outgoing = edges.filter((e) => e.from_node_id === node.id);
  const incoming = edges.filter((e) => e.to_node_id === node.id);
  return (
    <div className="panel" data-testid="node-panel">
      <div className="panel-head">
        <h2>
          {TYPE_NAMES[node.node_type]}: {node.label}
        </h2>
        <button type="button" className="link-button" onClick={() => onSelect(null)} aria-label="Close details">
          ✕
        </button>
      </div>
      <p className="small muted">
        ● {fmtNum(counts?.active)} active · {fmtNum((counts?.waiting ?? 0) - (counts?.stalled ?? 0))} waiting
        {counts?.stalled ? ` · ⚠ ${fmtNum(counts.stalled)} stalled` : ''} ·{' '}
        <Link to={`/workflows/${workflowId}/leads?node=${node.id}`}>leads here</Link>
      </p>
      {variants && variants.length > 0 && (
        <ul className="variant-counts small" aria-label="Leads per variant" data-testid="panel-split-variants">
          {variants.map((v) => (
            <li key={v.label}>
              {fmtVariant(v)} <span className="muted">({fmtNum(v.converted)} converted, weight {fmtNum(v.weight)})</span>
            </li>
          ))}
        </ul>
      )}
      {errors.length > 0 && (
        <div className="error-box" role="alert">
          <strong>Validation errors</strong>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      {warnings.length > 0 && (
        <div className="warning-box">
          <strong>Warnings</strong>
          <ul>
            {warnings.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      <form onSubmit={save} className="stack">
        <fieldset disabled={!editable}>
          <label>
            Label
            <input
              value={label}
              onChange={(e) => {
                setLabel(e.target.value);
                setSaved(false);
              }}
              name="label"
            />
          </label>
          {(FIELDS[node.node_type] ?? []).map((f) => (
            <label key={f.key}>
              {f.label}
              <input
                type={f.kind === 'number' ? 'number' : 'text'}
                name={f.key}
                value={config[f.key] === undefined || config[f.key] === null ? '' : String(config[f.key])}
                onChange={(e) => setField(f, e.target.value)}
              />
            </label>
          ))}
          {node.node_type === 'WAIT_FOR_EVENT' && <WaitForEventEditor config={config} onChange={updateConfig} />}
          {node.node_type === 'SPLIT' && <SplitEditor config={config} onChange={updateConfig} />}
          {!TERMINAL.includes(node.node_type) && (
            <label>
              Configuration (JSON)
              <textarea
                name="config-json"
                rows={6}
                spellCheck={false}
                value={jsonText}
                aria-invalid={jsonError ? true : undefined}
                onChange={(e) => {
                  setJsonText(e.target.value);
                  setSaved(false);
                  try {
                    const parsed = JSON.parse(e.target.value);
                    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('must be a JSON object');
                    setConfig(parsed);
                    setJsonError(null);
                  } catch (err) {
                    setJsonError(`Configuration ${(err as Error).message}`);
                  }
                }}
              />
            </label>
          )}
          {jsonError && (
            <p className="field-error" role="alert">
              {jsonError}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary">
              Save node
            </button>
            <button type="button" className="danger" onClick={remove}>
              Delete node
            </button>
            {saved && (
              <span className="ok" role="status">
                Saved
              </span>
            )}
          </div>
        </fieldset>
      </form>
      <h3>Outgoing edges</h3>
      {outgoing.length === 0 ? (
        <p className="small muted">{TERMINAL.includes(node.node_type) ? 'A terminal node has no outgoing edges.' : 'None yet.'}</p>
      ) : (
        <ul className="edge-list">
          {outgoing.map((e) => (
            <li key={e.id}>
              <button type="button" className="link-button" onClick={() => onSelect({ kind: 'edge', id: e.id })}>
                {e.label ?? '(unlabelled)'} → {byId.get(e.to_node_id)?.label ?? e.to_node_id}
              </button>
            </li>
          ))}
        </ul>
      )}
      {incoming.length > 0 && (
        <p className="small muted">
          From: {incoming.map((e) => `${byId.get(e.from_node_id)?.label ?? '?'}${e.label ? ` (${e.label})` : ''}`).join(', ')}
        </p>
      )}
      {editable && !TERMINAL.includes(node.node_type) && (
        <NewEdgeForm workflowId={workflowId} nodes={nodes} from={node.id} mutate={mutate} embedded />
      )}
    </div>
  );
}

function LabelPicker({ from, value, onChange, id }: { from?: WfNode; value: string; onChange: (v: string) => void; id: string }) {
  const options = outcomesOf(from);
  const custom = value !== '' && !options.includes(value);
  const [other, setOther] = useState(custom);
  return (
    <>
      <label htmlFor={id}>Edge label (outcome)</label>
      <select
        id={id}
        name="edge-label"
        value={other ? '__other' : value}
        onChange={(e) => {
          if (e.target.value === '__other') {
            setOther(true);
            onChange('');
          } else {
            setOther(false);
            onChange(e.target.value);
          }
        }}
      >
        <option value="">(unlabelled: any other outcome)</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
        <option value="__other">other…</option>
      </select>
      {other && (
        <input aria-label="Custom edge label" value={value} onChange={(e) => onChange(e.target.value)} placeholder="label" />
      )}
    </>
  );
}

export function NewEdgeForm({
  workflowId,
  nodes,
  from,
  to,
  mutate,
  onDone,
  embedded,
}: {
  workflowId: string;
  nodes: WfNode[];
  from: string;
  to?: string;
  mutate: Mutate;
  onDone?: () => void;
  embedded?: boolean;
}) {
  const [target, setTarget] = useState(to ?? '');
  const [label, setLabel] = useState('');
  const source = nodes.find((n) => n.id === from);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target) return;
    const r = await mutate(() =>
      api(`/workflows/${workflowId}/edges`, {
        method: 'POST',
        body: { from_node_id: from, to_node_id: target, label: label.trim() ? label.trim() : null },
      }),
    );
    if (r) {
      setLabel('');
      onDone?.();
    }
  }
  const idp = embedded ? 'embedded' : 'connect';
  return (
    <form className={embedded ? 'stack connect-form' : 'panel stack'} onSubmit={submit} aria-label="Connect to another node">
      {embedded ? <h3>Connect to</h3> : <h2>New edge from {source?.label}</h2>}
      <label htmlFor={`${idp}-target`}>Target node</label>
      <select id={`${idp}-target`} name="edge-target" value={target} onChange={(e) => setTarget(e.target.value)} required>
        <option value="">Choose a node…</option>
        {nodes
          .filter((n) => n.id !== from)
          .map((n) => (
            <option key={n.id} value={n.id}>
              {n.label} ({TYPE_NAMES[n.node_type]})
            </option>
          ))}
      </select>
      <LabelPicker id={`${idp}-label`} from={source} value={label} onChange={setLabel} />
      <div className="row">
        <button type="submit" className="primary" disabled={!target}>
          Add edge
        </button>
        {onDone && !embedded && (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

export function EdgePanel({
  workflowId,
  edge,
  nodes,
  editable,
  mutate,
  onSelect,
}: {
  workflowId: string;
  edge: WfEdge;
  nodes: WfNode[];
  editable: boolean;
  mutate: Mutate;
  onSelect: (s: Selection) => void;
}) {
  const from = nodes.find((n) => n.id === edge.from_node_id);
  const to = nodes.find((n) => n.id === edge.to_node_id);
  const [label, setLabel] = useState(edge.label ?? '');
  async function remove() {
    const r = await mutate(() => api(`/workflows/${workflowId}/edges/${edge.id}`, { method: 'DELETE' }));
    if (r) onSelect(null);
  }
  // Edges have no PATCH in the API: relabelling creates the new edge, then deletes the old.
  async function relabel(e: FormEvent) {
    e.preventDefault();
    const created = (await mutate(async () => {
      const n = await api<WfEdge>(`/workflows/${workflowId}/edges`, {
        method: 'POST',
        body: { from_node_id: edge.from_node_id, to_node_id: edge.to_node_id, label: label.trim() ? label.trim() : null },
      });
      await api(`/workflows/${workflowId}/edges/${edge.id}`, { method: 'DELETE' });
      return n;
    })) as WfEdge | undefined;
    if (created) onSelect({ kind: 'edge', id: created.id });
  }
  return (
    <div className="panel" data-testid="edge-panel">
      <div className="panel-head">
        <h2>Edge</h2>
        <button type="button" className="link-button" onClick={() => onSelect(null)} aria-label="Close details">
          ✕
        </button>
      </div>
      <p>
        <button type="button" className="link-button" onClick={() => from && onSelect({ kind: 'node', id: from.id })}>
          {from?.label}
        </button>{' '}
        →{' '}
        <button type="button" className="link-button" onClick={() => to && onSelect({ kind: 'node', id: to.id })}>
          {to?.label}
        </button>
      </p>
      <form onSubmit={relabel} className="stack">
        <fieldset disabled={!editable}>
          <LabelPicker id="edge-edit-label" from={from} value={label} onChange={setLabel} />
          <div className="row">
            <button type="submit" className="primary" disabled={(edge.label ?? '') === label.trim()}>
              Save label
            </button>
            <button type="button" className="danger" onClick={remove}>
              Delete edge
            </button>
          </div>
        </fieldset>
      </form>
    </div>
  );
}

// Every node as a list: the keyboard and screen-reader way into the graph.
function NodeList({ nodes, counts, onSelect }: { nodes: WfNode[]; counts: Record<string, NodeCounts>; onSelect: (s: Selection) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="node-list">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} the {nodes.length} node(s) as a list
      </button>
      {open && (
        <ul>
          {nodes.map((n) => {
            const c = counts[n.id];
            return (
              <li key={n.id}>
                <button type="button" className="link-button" onClick={() => onSelect({ kind: 'node', id: n.id })}>
                  {n.label}
                </button>{' '}
                <span className="small muted">
                  {TYPE_NAMES[n.node_type]} · {fmtNum(c?.active)} active · {fmtNum((c?.waiting ?? 0) - (c?.stalled ?? 0))} waiting
                  {c?.stalled ? ` · ${fmtNum(c.stalled)} stalled` : ''}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

export function ValidationSummary({
  validation,
  nodes,
  counts,
  onSelect,
}: {
  validation: Validation | null;
  nodes: WfNode[];
  counts: Record<string, NodeCounts>;
  onSelect: (s: Selection) => void;
}) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  if (!validation) return <p className="muted">Select a node or an edge to see and edit it.</p>;
  const item = (i: Issue, k: number) => (
    <li key={k}>
      {i.node_id && byId.has(i.node_id) ? (
        <button type="button" className="link-button" onClick={() => onSelect({ kind: 'node', id: i.node_id! })}>
          {byId.get(i.node_id)!.label}
        </button>
      ) : null}
      {i.node_id && byId.has(i.node_id) ? ': ' : ''}
      {i.message}
    </li>
  );
  return (
    <div className="panel" data-testid="validation">
      <h2>Validation</h2>
      {validation.valid ? (
        <p className="ok" role="status">
          The graph is valid and can be activated.
        </p>
      ) : (
        <div className="error-box">
          <strong>{validation.errors.length} error(s) block activation</strong>
          <ul>{validation.errors.map(item)}</ul>
        </div>
      )}
      {validation.warnings.length > 0 && (
        <div className="warning-box">
          <strong>Warnings</strong>
          <ul>{validation.warnings.map(item)}</ul>
        </div>
      )}
      <p className="small muted">Select a node or an edge to see and edit it.</p>
      {nodes.length > 0 && <NodeList nodes={nodes} counts={counts} onSelect={onSelect} />}
    </div>
  );
}
