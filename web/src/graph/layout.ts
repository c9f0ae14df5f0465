// Automatic layout of the workflow graph with dagre, top to bottom.
import dagre from '@dagrejs/dagre';
import type { WfEdge, WfNode } from '../api';

export const NODE_W = 230;
export const NODE_H = 104;

export function layout(nodes: WfNode[], edges: WfEdge[]): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  for (const e of edges)
    if (g.hasNode(e.from_node_id) && g.hasNode(e.to_node_id))
      g.setEdge(e.from_node_id, e.to_node_id, { width: e.label ? 80 : 0, height: e.label ? 20 : 0 }, e.id);
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id);
    out.set(n.id, { x: (p?.x ?? 0) - NODE_W / 2, y: (p?.y ?? 0) - NODE_H / 2 });
  }
  return out;
}
