import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type NodeHandle,
} from '@xyflow/react';
import {
  api,
  NODE_TYPES,
  TERMINAL,
  type GraphResponse,
  type Issue,
  type NodeType,
  type SplitVariantCount,
  type Validation,
  type WfNode,
} from '../api';
import { ErrorBox } from '../common';
import { cachedLayout, layoutAndRemember, NODE_H, NODE_W, nodeHeight, quickLayout } from './layout';
import { configSummary, NodeCard, TYPE_NAMES, type FlowNode, type NodeData } from './NodeCard';
import { EdgePanel, NewEdgeForm, NodePanel, ValidationSummary } from './Panels';

const nodeTypes = { wf: NodeCard };
// Graphs with more nodes than this get a quick first layout while dagre runs.
const QUICK_FIRST = 60;
// Where NodeCard's handles sit (6px, centred on the top and bottom borders).
function handles(height: number): NodeHandle[] {
  return [
    { type: 'target', position: Position.Top, x: NODE_W / 2 - 3, y: -1, width: 6, height: 6 },
    { type: 'source', position: Position.Bottom, x: NODE_W / 2 - 3, y: height - 5, width: 6, height: 6 },
  ];
}
const HANDLES = handles(NODE_H);

// A config that passes the server's per-type checks, so a new node can be saved at once.
const DEFAULT_CONFIG: Record<NodeType, Record<string, unknown>> = {
  VOICE_CALL: { agent_id: 'agent_default', from_phone_number: '+14155550100' },
  TIME: { delay_hours: 24 },
  CONDITIONAL: { logic: 'AND', conditions: [{ field: 'call_status', operator: 'equals', value: 'COMPLETED' }] },
  APPLICATION: { provider_key: 'leadline', action_key: 'set_variables', action_config: { variables: {} } },
  WEBHOOK: { url: 'https://example.com/hook', method: 'POST' },
  SMS: { from_phone_number: '+14155550100', message: 'Hello {{name}}' },
  WAIT_FOR_EVENT: { event_types: ['replied'], timeout_days: 3 },
  SPLIT: {
    variants: [
      { label: 'A', weight: 50 },
      { label: 'B', weight: 50 },
    ],
  },
  CONVERTED: {},
  DROPPED: {},
};

function sameIssues(a: Issue[], b: Issue[]) {
  return a.length === b.length && a.every((x, i) => x.code === b[i].code && x.message === b[i].message);
}
function sameVariants(a: SplitVariantCount[] | undefined, b: SplitVariantCount[] | undefined) {
  if (!a || !b) return a === b;
  return (
    a.length === b.length &&
    a.every(
      (x, i) => x.label === b[i].label && x.leads === b[i].leads && x.converted === b[i].converted && x.conversion_rate === b[i].conversion_rate,
    )
  );
}
function sameData(a: NodeData, b: NodeData) {
  const n = a.node as WfNode & { updated_at?: string };
  const m = b.node as WfNode & { updated_at?: string };
  return (
    n.id === m.id &&
    n.label === m.label &&
    n.updated_at === m.updated_at &&
    configSummary(n) === configSummary(m) &&
    a.counts?.active === b.counts?.active &&
    a.counts?.waiting === b.counts?.waiting &&
    a.counts?.stalled === b.counts?.stalled &&
    a.counts?.blocked === b.counts?.blocked &&
    a.entry === b.entry &&
    a.terminal === b.terminal &&
    a.counting === b.counting &&
    sameVariants(a.variants, b.variants) &&
    sameIssues(a.errors, b.errors) &&
    sameIssues(a.warnings, b.warnings)
  );
}

export type Selection = { kind: 'node'; id: string } | { kind: 'edge'; id: string } | { kind: 'connect'; from: string; to: string } | null;

export function GraphEditor({ graph, onChanged }: { graph: GraphResponse; onChanged: () => Promise<void> }) {
  return (
    <ReactFlowProvider>
      <Editor graph={graph} onChanged={onChanged} />
    </ReactFlowProvider>
  );
}

function Editor({ graph, onChanged }: { graph: GraphResponse; onChanged: () => Promise<void> }) {
  const editable = ['draft', 'active', 'paused'].includes(graph.workflow.status);
  const [selection, setSelection] = useState<Selection>(null);
  const [validation, setValidation] = useState<Validation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const wfId = graph.workflow.id;

  // Validation depends only on the graph's shape and configs: refetch when they change.
  const signature = useMemo(
    () =>
      graph.nodes.map((n) => `${n.id}:${(n as WfNode & { updated_at?: string }).updated_at ?? ''}`).join(',') +
      '|' +
      graph.edges.map((e) => e.id).join(','),
    [graph.nodes, graph.edges],
  );
  useEffect(() => {
    let live = true;
    api<Validation>(`/workflows/${wfId}/validation`).then(
      (v) => live && setValidation(v),
      () => live && setValidation(null),
    );
    return () => {
      live = false;
    };
  }, [wfId, signature]);

  const structure = useMemo(
    () => graph.nodes.map((n) => n.id).join(',') + '|' + graph.edges.map((e) => `${e.from_node_id}>${e.to_node_id}`).join(','),
    [graph.nodes, graph.edges],
  );
  // Small graphs are laid out by dagre at once. A large one whose layout is not remembered
  // first shows a linear-time layered layout, and dagre's layout replaces it right after the
  // first paint (then it is remembered for the next visit).
  const [positions, setPositions] = useState<Map<string, { x: number; y: number }>>(() => new Map());
  const shapeRef = useRef('');
  if (shapeRef.current !== structure) {
    shapeRef.current = structure;
    const t = performance.now();
    const cached = cachedLayout(wfId, graph.nodes, graph.edges);
    const next =
      cached ?? (graph.nodes.length > QUICK_FIRST ? quickLayout(graph.nodes, graph.edges) : layoutAndRemember(wfId, graph.nodes, graph.edges));
    performance.measure('leadline-layout', { start: t, end: performance.now() });
    setPositions(next);
  }
  useEffect(() => {
    if (graph.nodes.length <= QUICK_FIRST || cachedLayout(wfId, graph.nodes, graph.edges)) return;
    const timer = window.setTimeout(() => {
      const t = performance.now();
      setPositions(layoutAndRemember(wfId, graph.nodes, graph.edges));
      performance.measure('leadline-dagre', { start: t, end: performance.now() });
    }, 50);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [structure, wfId]);

  const entryIds = useMemo(() => {
    const hasIncoming = new Set(graph.edges.map((e) => e.to_node_id));
    const roots = graph.nodes.filter((n) => !hasIncoming.has(n.id));
    return new Set(roots.length === 1 ? [roots[0].id] : []);
  }, [graph.nodes, graph.edges]);

  const issuesByNode = useMemo(() => {
    const errors = new Map<string, Validation['errors']>();
    const warnings = new Map<string, Validation['warnings']>();
    for (const e of validation?.errors ?? []) if (e.node_id) errors.set(e.node_id, [...(errors.get(e.node_id) ?? []), e]);
    for (const w of validation?.warnings ?? []) if (w.node_id) warnings.set(w.node_id, [...(warnings.get(w.node_id) ?? []), w]);
    return { errors, warnings };
  }, [validation]);

  const [nodes, setNodes, onNodesChange] = useNodesState<FlowNode>([]);
  const laidOut = useRef<Map<string, { x: number; y: number }> | null>(null);
  const { fitView } = useReactFlow();
  const pendingFit = useRef(false);
  useEffect(() => {
    const relayout = laidOut.current !== positions;
    if (relayout && laidOut.current) pendingFit.current = true;
    laidOut.current = positions;
    setNodes((prev) => {
      const before = new Map(prev.map((n) => [n.id, n]));
      return graph.nodes.map((n) => {
        const old = before.get(n.id);
        const data: NodeData = {
          node: n,
          counts: graph.lead_counts[n.id],
          errors: issuesByNode.errors.get(n.id) ?? [],
          warnings: issuesByNode.warnings.get(n.id) ?? [],
          entry: entryIds.has(n.id),
          terminal: TERMINAL.includes(n.node_type),
          counting: graph.counting,
          variants: graph.split_variants?.[n.id],
        };
        const position = !relayout && old ? old.position : positions.get(n.id) ?? { x: 0, y: 0 };
        const selected = selection?.kind === 'node' && selection.id === n.id;
        // Unchanged nodes keep their object, so neither React Flow nor NodeCard re-renders
        // them on every poll.
        if (old && old.position === position && !!old.selected === selected && sameData(old.data, data)) return old;
        return {
          ...(old ?? {}),
          id: n.id,
          type: 'wf' as const,
          position,
          // Known size and handles: React Flow can draw edges and fit the view in the first
          // pass instead of waiting for every node to be measured (it re-measures anyway).
          measured: old?.measured ?? { width: NODE_W, height: nodeHeight(n) },
          handles: n.node_type === 'SPLIT' ? handles(nodeHeight(n)) : HANDLES,
          selected,
          data: old && sameData(old.data, data) ? old.data : data,
        };
      });
    });
  }, [graph.nodes, graph.lead_counts, graph.split_variants, graph.counting, positions, issuesByNode, entryIds, selection, setNodes]);

  // Re-fit after the layout changed (a node or edge added or removed) and when the window is
  // resized, so the whole graph stays in view.
  useEffect(() => {
    if (!pendingFit.current || nodes.length === 0) return;
    pendingFit.current = false;
    const t = window.setTimeout(() => fitView({ padding: 0.15, maxZoom: 1.2 }), 60);
    return () => window.clearTimeout(t);
  }, [nodes, fitView]);
  useEffect(() => {
    let t: number | undefined;
    const onResize = () => {
      window.clearTimeout(t);
      t = window.setTimeout(() => fitView({ padding: 0.15, maxZoom: 1.2 }), 150);
    };
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      window.clearTimeout(t);
    };
  }, [fitView]);

  const edges: Edge[] = useMemo(
    () =>
      graph.edges.map((e) => ({
        id: e.id,
        source: e.from_node_id,
        target: e.to_node_id,
        label: e.label ?? undefined,
        selected: selection?.kind === 'edge' && selection.id === e.id,
        markerEnd: { type: MarkerType.ArrowClosed },
        className: issuesByNode.errors.size && validation?.errors.some((x) => x.edge_id === e.id) ? 'edge-error' : undefined,
        ariaLabel: `Edge ${e.label ?? 'unlabelled'}`,
      })),
    [graph.edges, selection, issuesByNode, validation],
  );

  const mutate = useCallback(
    async (fn: () => Promise<unknown>) => {
      setBusy(true);
      setError(null);
      try {
        const r = await fn();
        await onChanged();
        return r;
      } catch (e) {
        setError(e);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [onChanged],
  );

  async function addNode(type: NodeType) {
    const created = (await mutate(() =>
      api<WfNode>(`/workflows/${wfId}/nodes`, {
        method: 'POST',
        body: { node_type: type, label: TYPE_NAMES[type], config: DEFAULT_CONFIG[type] },
      }),
    )) as WfNode | undefined;
    if (created) setSelection({ kind: 'node', id: created.id });
  }

  const onConnect = useCallback((c: Connection) => {
    if (c.source && c.target) setSelection({ kind: 'connect', from: c.source, to: c.target });
  }, []);

  const selectedNode = selection?.kind === 'node' ? graph.nodes.find((n) => n.id === selection.id) : undefined;
  const selectedEdge = selection?.kind === 'edge' ? graph.edges.find((e) => e.id === selection.id) : undefined;

  // Marks the graph ready (data-graph-ready, a performance mark) once React Flow has the nodes
  // in the DOM; set on the element directly so it costs no re-render. Tests and the render
  // benchmark wait for it.
  const flowRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = flowRef.current;
    if (!el || el.dataset.graphReady === 'true' || nodes.length !== graph.nodes.length) return;
    const id = requestAnimationFrame(() => {
      performance.mark('leadline-graph-ready');
      el.dataset.graphReady = 'true';
    });
    return () => cancelAnimationFrame(id);
  }, [nodes.length, graph.nodes.length]);

  return (
    <div className="graph-layout">
      <section className="graph-main" aria-label="Workflow graph">
        {editable ? (
          <div className="palette" role="toolbar" aria-label="Add a node">
            <span className="muted small">Add:</span>
            {NODE_TYPES.map((t) => (
              <button key={t} type="button" disabled={busy} onClick={() => addNode(t)} aria-label={`Add ${TYPE_NAMES[t]} node`}>
                + {TYPE_NAMES[t]}
              </button>
            ))}
          </div>
        ) : (
          <p className="muted small palette">This workflow is {graph.workflow.status}; its graph can no longer be edited.</p>
        )}
        <ErrorBox error={error} title="That change was refused" />
        <div
          className="flow"
          ref={flowRef}
          data-graph-ready="false"
          data-node-count={graph.nodes.length}
          onKeyDown={(e) => {
            // Enter on a focused node (Tab moves between them) opens it in the side panel.
            const id = (e.target as HTMLElement).closest?.('.react-flow__node')?.getAttribute('data-id');
            if (id && (e.key === 'Enter' || e.key === ' ')) {
              e.preventDefault();
              setSelection({ kind: 'node', id });
            }
          }}
        >
          {graph.nodes.length === 0 ? (
            <div className="flow-empty" role="status">
              <p>
                <strong>No nodes yet.</strong>
              </p>
              <p>Add a node from the palette above. The entry node is the one without incoming edges.</p>
            </div>
          ) : (
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onConnect={editable ? onConnect : undefined}
              nodesConnectable={editable}
              onNodeClick={(_, n) => setSelection({ kind: 'node', id: n.id })}
              onEdgeClick={(_, e) => setSelection({ kind: 'edge', id: e.id })}
              onPaneClick={() => setSelection(null)}
              fitView
              fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
              minZoom={0.02}
              onlyRenderVisibleElements={graph.nodes.length > 500}
              proOptions={{ hideAttribution: true }}
              deleteKeyCode={null}
            >
              <Background />
              <Controls />
            </ReactFlow>
          )}
        </div>
        <p className="muted small">
          Drag from a node’s bottom handle to another node to connect them, or use “Connect to” in the side panel. Tab to a node and press Enter to open it. Counts refresh
          every 2 seconds; ⚠ marks leads stalled on a node (no edge matches their outcome).
        </p>
      </section>
      <aside className="side-panel" aria-label="Details">
        {selection?.kind === 'connect' && (
          <NewEdgeForm
            workflowId={wfId}
            nodes={graph.nodes}
            from={selection.from}
            to={selection.to}
            mutate={mutate}
            onDone={() => setSelection(null)}
          />
        )}
        {selectedNode && (
          <NodePanel
            key={selectedNode.id}
            workflowId={wfId}
            node={selectedNode}
            nodes={graph.nodes}
            edges={graph.edges}
            counts={graph.lead_counts[selectedNode.id]}
            variants={graph.split_variants?.[selectedNode.id]}
            errors={issuesByNode.errors.get(selectedNode.id) ?? []}
            warnings={issuesByNode.warnings.get(selectedNode.id) ?? []}
            editable={editable}
            mutate={mutate}
            onSelect={setSelection}
          />
        )}
        {selectedEdge && (
          <EdgePanel key={selectedEdge.id} workflowId={wfId} edge={selectedEdge} nodes={graph.nodes} editable={editable} mutate={mutate} onSelect={setSelection} />
        )}
        {!selection && (
          <ValidationSummary validation={validation} nodes={graph.nodes} counts={graph.lead_counts} onSelect={setSelection} />
        )}
      </aside>
    </div>
  );
}
