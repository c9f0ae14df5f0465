// Every call the dashboard makes goes through the public /v1 API with the API key kept in
// sessionStorage (gone when the tab closes).

const KEY_STORAGE = 'leadline.apiKey';

export function getKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}
export function setKey(key: string | null) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

export class ApiError extends Error {
  status: number;
  messages: string[];
  constructor(status: number, messages: string[]) {
    super(messages.join('; '));
    this.status = status;
    this.messages = messages;
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
export function onUnauthorized(fn: Listener) {
  unauthorizedListeners.add(fn);
  return () => {
    unauthorizedListeners.delete(fn);
  };
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; form?: FormData; key?: string; signal?: AbortSignal } = {},
): Promise<T> {
  const key = init.key ?? getKey();
  const headers: Record<string, string> = {};
  if (key) headers.Authorization = `Bearer ${key}`;
  let body: BodyInit | undefined;
  if (init.form) body = init.form;
  else if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  let res: Response;
  try {
    res = await fetch(`/v1${path}`, { method: init.method ?? 'GET', headers, body, signal: init.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, ['The server cannot be reached. Is `leadline serve` running?']);
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const m = (data as { message?: unknown } | null)?.message;
    const messages = Array.isArray(m) ? m.map(String) : [typeof m === 'string' ? m : `HTTP ${res.status}`];
    if (res.status === 401 && !init.key) unauthorizedListeners.forEach((fn) => fn());
    throw new ApiError(res.status, messages);
  }
  return data as T;
}

export function qs(params: Record<string, string | number | undefined | null>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

// ---- shapes of spec/api.md ----
export type WorkflowStatus = 'draft' | 'active' | 'paused' | 'completed' | 'cancelled';
export interface Workflow {
  id: string;
  title: string;
  description: string | null;
  status: WorkflowStatus;
  node_count: number;
  edge_count: number;
  enrolled_leads: number;
  created_at: string;
  updated_at: string;
}
export interface Page<T> {
  data: T[];
  meta: { page: number; limit: number; total: number; totalPages: number };
}
export type NodeType =
  | 'VOICE_CALL'
  | 'TIME'
  | 'CONDITIONAL'
  | 'APPLICATION'
  | 'WEBHOOK'
  | 'SMS'
  | 'WAIT_FOR_EVENT'
  | 'SPLIT'
  | 'CONVERTED'
  | 'DROPPED';
export interface WfNode {
  id: string;
  workflow_id: string;
  node_type: NodeType;
  label: string;
  position_x: number;
  position_y: number;
  config: Record<string, unknown>;
}
export interface WfEdge {
  id: string;
  from_node_id: string;
  to_node_id: string;
  label: string | null;
}
export interface NodeCounts {
  active: number;
  waiting: number;
  stalled?: number;
  blocked?: number; // (compliance) of `waiting`: held by a calling window or a contact cap
}
// (compliance) Leads a rule keeps from being called; absent from servers that predate it.
export interface BlockedCounts {
  calling_window: number; // active, waiting for a calling window or a state's lawful hours
  contact_cap: number; // active, held by a contact cap
  suppressed: number; // dropped: the number is on the do-not-call list
  consent: number; // dropped: not enough consent
}
// (events) Per variant of a SPLIT node: the leads sent down it and how many of them converted.
export interface SplitVariantCount {
  label: string;
  weight: number;
  leads: number;
  converted: number;
  conversion_rate: number; // converted / leads, 0 when no lead
}
export interface GraphResponse {
  workflow: Workflow;
  nodes: WfNode[];
  edges: WfEdge[];
  lead_counts: Record<string, NodeCounts>;
  status_counts: Record<string, number>;
  blocked_counts?: BlockedCounts;
  split_variants?: Record<string, SplitVariantCount[]>; // (events) by SPLIT node id; absent on older servers
  counting?: boolean; // drawn from nodes and edges alone; the counts are still on their way
}
export interface Issue {
  code: string;
  message: string;
  node_id?: string;
  edge_id?: string;
}
export interface Validation {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
}
export interface Lead {
  id: string;
  workflow_id: string;
  phone_number: string;
  dynamic_variables: Record<string, string>;
  status: string;
  current_node_id: string | null;
  next_action_at: string | null;
  enrolled_at: string;
  created_at: string;
  updated_at: string;
  stalled?: boolean;
  // Why a rule (not a DROPPED node) ended a dropped lead, e.g. "suppressed" or "consent".
  drop_reason?: string | null;
}
export interface HistoryEntry {
  node_id: string;
  node_type: NodeType;
  label: string;
  status: string;
  outcome: string | null;
  edge_label: string | null;
  to_node_id: string | null;
  call_id: string | null;
  attempt: number | null;
  started_at: string;
  ended_at: string | null;
  reason: string | null;
}
export type WaitingFor = 'delay' | 'call' | 'call_detached' | 'http' | 'window' | 'contact_cap' | 'event' | 'none';
export interface LeadHistory {
  lead: Lead;
  execution: {
    current_node_id: string | null;
    status: string;
    entered_at: string | null;
    next_action_at: string | null;
    waiting_for?: WaitingFor;
  };
  history: HistoryEntry[];
}
// (events) GET /workflows/{id}/leads/{leadId}/events, oldest first; absent (404) on older servers.
export type EventEffect = 'exited' | 'resumed' | 'recorded';
export interface LeadEvent {
  id: string;
  type: string;
  data: Record<string, unknown> | null;
  effect: EventEffect | string;
  created_at: string;
}
// (events) settings.exit_rules: an event of this type ends the lead with this status.
export interface ExitRule {
  event: string;
  status: 'completed' | 'dropped';
}
// (compliance, spec §7a) GET /workflows/{id}/leads/{leadId}/eligibility
export type BlockRule = 'lead_status' | 'suppression' | 'consent' | 'calling_window' | 'state_rule' | 'contact_cap';
export interface Block {
  rule: BlockRule | string;
  source?: string; // contact caps: "organization", "workflow" or "state:XX"
  detail: string;
  until: string | null;
  suppression_id?: string;
}
export interface Eligibility {
  lead_id: string;
  phone_number: string;
  eligible: boolean;
  now: string;
  blocked_by: Block[];
  next_eligible_at: string | null;
}
export interface Call {
  id: string;
  workflow_id: string;
  lead_id: string;
  node_id: string;
  attempt: number;
  to_phone_number: string;
  from_phone_number: string;
  agent_id: string;
  status: string;
  outcome: string | null;
  end_reason: string | null;
  duration_seconds: number | null;
  postcall_analysis: Record<string, unknown> | null;
  transcript: string | null;
  created_at: string;
  ended_at: string | null;
}
export interface EnrolResult {
  workflow_id: string;
  leads_enrolled: number;
  leads_skipped: number;
  skipped: { row: number; phone_number: string; reason: string }[];
  message: string;
}

export const NODE_TYPES: NodeType[] = [
  'VOICE_CALL',
  'TIME',
  'CONDITIONAL',
  'APPLICATION',
  'WEBHOOK',
  'SMS',
  'WAIT_FOR_EVENT',
  'SPLIT',
  'CONVERTED',
  'DROPPED',
];
export const TERMINAL: NodeType[] = ['CONVERTED', 'DROPPED'];

// Outcomes a node can emit (spec §3.2), offered as edge labels.
export function outcomesOf(node: WfNode | undefined): string[] {
  if (!node) return [];
  switch (node.node_type) {
    case 'VOICE_CALL':
      return ['COMPLETED', 'NO_ANSWER', 'BUSY', 'VOICEMAIL', 'FAILED', 'DNP'];
    case 'CONDITIONAL': {
      const branches = node.config.branches;
      if (Array.isArray(branches)) return [...branches.map(String), 'default'];
      return ['true', 'false'];
    }
    case 'APPLICATION':
    case 'WEBHOOK':
    case 'SMS':
      return ['success', 'failure'];
    case 'WAIT_FOR_EVENT':
      return [...eventTypesOf(node.config), 'timeout'];
    case 'SPLIT':
      return variantsOf(node.config).map((v) => v.label);
    default:
      return [];
  }
}

// The event types of a WAIT_FOR_EVENT config (the names it may not hold are left out).
export function eventTypesOf(config: Record<string, unknown>): string[] {
  const types = config.event_types;
  return Array.isArray(types) ? types.filter((t): t is string => typeof t === 'string' && t !== '') : [];
}
// The variants of a SPLIT config, as far as they are readable.
export function variantsOf(config: Record<string, unknown>): { label: string; weight: number | undefined }[] {
  const variants = config.variants;
  if (!Array.isArray(variants)) return [];
  return variants
    .filter((v): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v))
    .map((v) => ({ label: typeof v.label === 'string' ? v.label : '', weight: typeof v.weight === 'number' ? v.weight : undefined }));
}
export const TIMEOUT_UNITS = ['minutes', 'hours', 'days'] as const;
export type TimeoutUnit = (typeof TIMEOUT_UNITS)[number];
// The timeout of a WAIT_FOR_EVENT config: the first of timeout_minutes, _hours, _days set.
export function timeoutOf(config: Record<string, unknown>): { value: number | undefined; unit: TimeoutUnit } {
  for (const unit of TIMEOUT_UNITS) {
    const v = config[`timeout_${unit}`];
    if (v !== undefined && v !== null) return { value: typeof v === 'number' ? v : Number(v), unit };
  }
  return { value: undefined, unit: 'days' };
}

export function fmtTime(iso: string | null | undefined) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
export function fmtNum(n: number | undefined | null) {
  return (n ?? 0).toLocaleString('en-US');
}
