import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { eventTypesOf, fmtNum, timeoutOf, variantsOf, type Issue, type NodeCounts, type SplitVariantCount, type WfNode } from '../api';

export type NodeData = {
  node: WfNode;
  counts?: NodeCounts;
  errors: Issue[];
  warnings: Issue[];
  entry: boolean;
  terminal: boolean;
  counting?: boolean;
  variants?: SplitVariantCount[]; // SPLIT: leads and conversions per variant (absent on older servers)
};
export type FlowNode = Node<NodeData, 'wf'>;

export const TYPE_NAMES: Record<string, string> = {
  VOICE_CALL: 'Voice call',
  TIME: 'Wait',
  CONDITIONAL: 'Condition',
  APPLICATION: 'Action',
  WEBHOOK: 'Webhook',
  SMS: 'SMS',
  WAIT_FOR_EVENT: 'Wait for event',
  SPLIT: 'A/B split',
  CONVERTED: 'Converted',
  DROPPED: 'Dropped',
};

// "3 days", "1 hour".
export function fmtTimeout(value: number, unit: string) {
  return `${fmtNum(value)} ${value === 1 ? unit.replace(/s$/, '') : unit}`;
}

// A one-line summary of a node's configuration for its card, or null when it has none.
export function configSummary(node: WfNode): string | null {
  const config = node.config ?? {};
  switch (node.node_type) {
    case 'WAIT_FOR_EVENT': {
      const types = eventTypesOf(config);
      const { value, unit } = timeoutOf(config);
      const parts = [types.length ? types.join(', ') : 'no event type'];
      if (value !== undefined && Number.isFinite(value)) parts.push(fmtTimeout(value, unit));
      return parts.join(' · ');
    }
    case 'SPLIT': {
      const variants = variantsOf(config);
      const total = variants.reduce((sum, v) => sum + (v.weight && v.weight > 0 ? v.weight : 0), 0);
      if (!variants.length) return 'no variant';
      return variants
        .map((v) => `${v.label || '?'} ${total > 0 && v.weight && v.weight > 0 ? `${Math.round((v.weight / total) * 1000) / 10}%` : '?'}`)
        .join(' · ');
    }
    default:
      return null;
  }
}

// "A: 5,012 leads · 23.9% converted"
export function fmtVariant(v: SplitVariantCount) {
  return `${v.label}: ${fmtNum(v.leads)} leads · ${((v.conversion_rate ?? 0) * 100).toFixed(1)}% converted`;
}

function NodeCardImpl({ data, selected }: NodeProps<FlowNode>) {
  const { node, counts, errors, warnings, entry, terminal, variants } = data;
  const configText = configSummary(node);
  const active = counts?.active ?? 0;
  const stalled = counts?.stalled ?? 0;
  const waiting = (counts?.waiting ?? 0) - stalled;
  // Part of `waiting`: leads a calling window or a contact cap holds (absent on older servers).
  const blocked = counts?.blocked ?? 0;
  const cls = ['wf-node', `type-${node.node_type}`, errors.length ? 'has-errors' : warnings.length ? 'has-warnings' : '', selected ? 'selected' : '']
    .filter(Boolean)
    .join(' ');
  const summary = `${TYPE_NAMES[node.node_type] ?? node.node_type} node ${node.label}: ${active} active, ${waiting} waiting${
    blocked ? ` (${blocked} blocked by calling hours or a contact cap)` : ''
  }${stalled ? `, ${stalled} stalled` : ''}${errors.length ? `, ${errors.length} validation errors` : ''}`;
  return (
    <div className={cls} data-node-id={node.id} data-testid="wf-node" aria-label={summary} title={summary}>
      {!entry && <Handle type="target" position={Position.Top} />}
      <div className="wf-node-head">
        <span className="wf-node-type">{TYPE_NAMES[node.node_type] ?? node.node_type}</span>
        {entry && <span className="tag">entry</span>}
      </div>
      <div className="wf-node-label">{node.label}</div>
      {configText && (
        <div className="wf-node-summary" data-testid="node-summary" title={configText}>
          {configText}
        </div>
      )}
      <div className="wf-node-counts" aria-busy={data.counting || undefined}>
        {data.counting ? (
          <span className="muted">counting…</span>
        ) : (
          <>
        <span className="count-active" data-count="active" title="Active leads on this node">
          ● {fmtNum(active)} active
        </span>
        <span className="count-waiting" data-count="waiting" title="Leads waiting on this node">
          {fmtNum(waiting)} waiting
        </span>
        {blocked > 0 && (
          <span className="count-blocked" data-count="blocked" title="Of the waiting leads: held by calling hours or a contact cap">
            {fmtNum(blocked)} blocked
          </span>
        )}
        {stalled > 0 && (
          <span className="count-stalled" data-count="stalled" title="Stalled: no edge applies to these leads' outcome">
            ⚠ {fmtNum(stalled)} stalled
          </span>
        )}
          </>
        )}
      </div>
      {variants && variants.length > 0 && !data.counting && (
        <ul className="wf-node-variants" aria-label="Leads per variant" data-testid="split-variants">
          {variants.map((v) => (
            <li key={v.label} data-variant={v.label} title={`${fmtNum(v.converted)} of ${fmtNum(v.leads)} leads converted`}>
              {fmtVariant(v)}
            </li>
          ))}
        </ul>
      )}
      {errors.length > 0 && (
        <div className="wf-node-issue" data-testid="node-error">
          ✕ {errors[0].message}
          {errors.length > 1 ? ` (+${errors.length - 1})` : ''}
        </div>
      )}
      {errors.length === 0 && warnings.length > 0 && <div className="wf-node-warning">! {warnings[0].message}</div>}
      {!terminal && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
}

export const NodeCard = memo(NodeCardImpl);
