// Automatic layout of the workflow graph with dagre, top to bottom.
import dagre from '@dagrejs/dagre';
import { variantsOf, type WfEdge, type WfNode } from '../api';

export const NODE_W = 230;
export const NODE_H = 96; // the card's min-height (styles.css .wf-node)
const VARIANT_LINE_H = 15; // a line of .wf-node-variants

// A SPLIT card grows by a line per variant (its lead counts); every other card has the
// min-height.
export function nodeHeight(n: WfNode) {
  return n.node_type === 'SPLIT' ? NODE_H + VARIANT_LINE_H * variantsOf(n.config ?? {}).length : NODE_H;
}

export function layout(nodes: WfNode[], edges: WfEdge[]): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  // tight-tree ranks a 200-node graph in about half the time of network-simplex here.
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 20, marginy: 20, ranker: 'tight-tree' });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_W, height: nodeHeight(n) });
  for (const e of edges)
    if (g.hasNode(e.from_node_id) && g.hasNode(e.to_node_id))
      g.setEdge(e.from_node_id, e.to_node_id, {}, e.id);
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id);
    out.set(n.id, { x: (p?.x ?? 0) - NODE_W / 2, y: (p?.y ?? 0) - nodeHeight(n) / 2 });
  }
  return out;
}

// Layouts are remembered per workflow and graph shape (localStorage, the 20 most recent), so
// reopening a large graph skips dagre, and positions stay put between visits.
const CACHE_KEY = 'leadline.layouts';
const CACHE_SIZE = 20;
type Cached = { key: string; pos: [string, number, number][] };

function shapeKey(workflowId: string, nodes: WfNode[], edges: WfEdge[]) {
  let h = 0;
  const text = nodes.map((n) => n.id).join(',') + '|' + edges.map((e) => `${e.from_node_id}>${e.to_node_id}`).join(',');
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return `${workflowId}:${nodes.length}:${edges.length}:${h}`;
}

// A layered layout in linear time (breadth-first depth from the entry nodes, in order of
// discovery): what a large graph shows in its first frame while dagre runs.
export function quickLayout(nodes: WfNode[], edges: WfEdge[]): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  const next = new Map<string, string[]>();
  const hasIncoming = new Set<string>();
  for (const e of edges) {
    next.set(e.from_node_id, [...(next.get(e.from_node_id) ?? []), e.to_node_id]);
    hasIncoming.add(e.to_node_id);
  }
  const depth = new Map<string, number>();
  const queue = nodes.filter((n) => !hasIncoming.has(n.id)).map((n) => n.id);
  if (queue.length === 0 && nodes.length) queue.push(nodes[0].id);
  for (const id of queue) depth.set(id, 0);
  for (let i = 0; i < queue.length; i++)
    for (const to of next.get(queue[i]) ?? [])
      if (!depth.has(to)) {
        depth.set(to, depth.get(queue[i])! + 1);
        queue.push(to);
      }
  const ranks: string[][] = [];
  const rankH: number[] = [];
  for (const n of nodes) {
    const d = depth.get(n.id) ?? 0;
    (ranks[d] ??= []).push(n.id);
    rankH[d] = Math.max(rankH[d] ?? NODE_H, nodeHeight(n));
  }
  let y = 0;
  ranks.forEach((ids, r) => {
    ids.forEach((id, i) => out.set(id, { x: (i - (ids.length - 1) / 2) * (NODE_W + 40), y }));
    y += (rankH[r] ?? NODE_H) + 70;
  });
  return out;
}

// The remembered layout of this graph shape, or null.
export function cachedLayout(workflowId: string, nodes: WfNode[], edges: WfEdge[]) {
  const key = shapeKey(workflowId, nodes, edges);
  try {
    const cache: Cached[] = JSON.parse(localStorage.getItem(CACHE_KEY) ?? '[]');
    const hit = cache.find((c) => c.key === key);
    if (hit) return new Map(hit.pos.map(([id, x, y]) => [id, { x, y }]));
  } catch {
    /* unreadable: lay out again */
  }
  return null;
}

// Runs dagre and remembers the result.
export function layoutAndRemember(workflowId: string, nodes: WfNode[], edges: WfEdge[]) {
  const key = shapeKey(workflowId, nodes, edges);
  const positions = layout(nodes, edges);
  let cache: Cached[] = [];
  try {
    cache = JSON.parse(localStorage.getItem(CACHE_KEY) ?? '[]');
  } catch {
    cache = [];
  }
  try {
    const entry: Cached = { key, pos: [...positions].map(([id, p]) => [id, Math.round(p.x), Math.round(p.y)]) };
    const rest = cache.filter((c) => !c.key.startsWith(`${workflowId}:`));
    localStorage.setItem(CACHE_KEY, JSON.stringify([entry, ...rest].slice(0, CACHE_SIZE)));
  } catch {
    /* storage full or disabled: layout again next time */
  }
  return positions;
}
