// Time-to-rendered of the dashboard's graph view for a 200-node workflow with many leads,
// in headless Chromium (playwright-core). Prints one JSON line per run and the medians.
// Usage: node bench/web_graph_render.mjs [build/leadline] [--leads N] [--runs R]
// Needs web/dist (scripts/build-web.sh) and web/node_modules.
import path from 'node:path';
import { launchBrowser, repoRoot, startServer } from '../web/tests/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const binary = path.resolve(args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? path.join(repoRoot, 'build', 'leadline'));
const LEADS = opt('--leads', 1_000_000);
const RUNS = opt('--runs', 7);
const BATCH = 100_000;
const AREAS = [212, 312, 646, 415, 617, 202, 305, 713, 206, 303];
const EXCHANGES = [555, 556, 557, 558, 559, 562, 563, 564, 565, 566];
const BLOCKS = AREAS.flatMap((a) => EXCHANGES.map((e) => `${a}${e}`));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// --sim-call-seconds 1e6: once active, leads sit on their first call node (spread the counts).
const server = await startServer({ binary, extraArgs: ['--rate-limit', '0', '--sim-call-seconds', '1000000'] });
const { context, close } = await launchBrowser();
try {
  const wf = await server.api('POST', '/workflows', { title: 'Bench: 200 nodes' });
  const voice = { agent_id: 'agent_bench', from_phone_number: '+14155550100' };
  // 66 segments of call -> (COMPLETED) converted, (other) wait 1 day -> next call; then a
  // last call and a dropped node: 200 nodes, 199 edges.
  const ids = [];
  const node = async (node_type, label, config = {}) =>
    (await server.api('POST', `/workflows/${wf.id}/nodes`, { node_type, label, config })).id;
  const edge = (from, to, label = null) =>
    server.api('POST', `/workflows/${wf.id}/edges`, { from_node_id: from, to_node_id: to, label });
  let prevWait = null;
  for (let i = 0; i < 66; i++) {
    const call = await node('VOICE_CALL', `Call ${i + 1}`, voice);
    const won = await node('CONVERTED', `Converted ${i + 1}`);
    const wait = await node('TIME', `Wait ${i + 1}`, { delay_days: 1 });
    ids.push(call, won, wait);
    if (prevWait) await edge(prevWait, call);
    await edge(call, won, 'COMPLETED');
    await edge(call, wait);
    prevWait = wait;
  }
  const last = await node('VOICE_CALL', 'Last call', voice);
  const lost = await node('DROPPED', 'Unresponsive');
  await edge(prevWait, last);
  await edge(last, lost);
  const validation = await server.api('GET', `/workflows/${wf.id}/validation`);
  if (!validation.valid) throw new Error(JSON.stringify(validation.errors.slice(0, 3)));

  const t0 = Date.now();
  for (let done = 0; done < LEADS; done += BATCH) {
    const n = Math.min(BATCH, LEADS - done);
    const leads = Array.from({ length: n }, (_, i) => {
      const k = done + i; // distinct numbers from the blocks bench/enroll_bench.sh checks
      const block = BLOCKS[Math.floor(k / 10000) % BLOCKS.length];
      return { phone_number: `+1${block}${String(k % 10000).padStart(4, '0')}`, dynamic_variables: { name: `Lead ${k}` } };
    });
    const r = await server.api('POST', `/workflows/${wf.id}/leads?skip_invalid=true`, { leads });
    process.stderr.write(`enrolled ${done + r.leads_enrolled} (${r.leads_skipped} skipped)\n`);
  }
  const enrolSeconds = (Date.now() - t0) / 1000;

  const page = await context.newPage();
  await page.addInitScript((key) => sessionStorage.setItem('leadline.apiKey', key), server.key);
  // Checked in the page on every animation frame (no round trip to the test process): the
  // moment all 200 nodes and 199 edges are in the DOM, the view is fitted and the dashboard
  // has flagged the graph ready.
  await page.addInitScript((n) => {
    const check = () => {
      const flow = document.querySelector('[data-graph-ready="true"]');
      const nodes = document.querySelectorAll('.react-flow__node').length;
      const edges = document.querySelectorAll('.react-flow__edge').length;
      const viewport = document.querySelector('.react-flow__viewport');
      const fitted = viewport && !/translate\(0px, 0px\) scale\(1\)/.test(viewport.style.transform);
      if (window.__rendered === undefined && flow && nodes === n && edges === n - 1 && fitted)
        window.__rendered = performance.now();
      // ...and when every node shows its lead counts (they may arrive after the shape).
      if (window.__rendered !== undefined && !document.querySelector('.wf-node-counts[aria-busy]'))
        window.__counted = performance.now();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }, 200);
  const leadRequests = [];
  page.on('request', (r) => {
    if (/\/v1\/workflows\/[^/]+\/leads/.test(r.url())) leadRequests.push(r.url());
  });

  // cold: the dashboard's layout cache (localStorage) is cleared before each run, so dagre
  // lays the graph out every time; warm: the layout of the previous visit is reused.
  async function measure(label, { cold }) {
    const times = [];
    const graphMs = [];
    const countedMs = [];
    for (let run = 0; run <= RUNS; run++) {
      if (cold && page.url().startsWith(server.base)) await page.evaluate(() => localStorage.clear());
      await page.goto(`${server.base}/workflows/${wf.id}`);
      await page.waitForFunction(() => window.__counted !== undefined, null, { timeout: 30000 });
      const ms = await page.evaluateHandle(() => window.__rendered);
      const counted = await page.evaluate(() => Math.round(window.__counted));
      const t = await ms.jsonValue();
      const [graph, breakdown] = await page.evaluate(() => {
        const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/graph'));
        const mark = (n) => Math.round(performance.getEntriesByName(n)[0]?.startTime ?? -1);
        const js = performance.getEntriesByType('resource').find((r) => /\/assets\/.*\.js$/.test(r.name));
        return [
          e ? e.responseEnd - e.requestStart : null,
          {
            js_loaded: js ? Math.round(js.responseEnd) : null,
            graph_request_start: e ? Math.round(e.requestStart) : null,
            shape_fetched: mark('leadline-shape-fetched'),
            graph_fetched: mark('leadline-graph-fetched'),
            layout_ms: Math.round(performance.getEntriesByName('leadline-layout')[0]?.duration ?? -1),
            react_ready: mark('leadline-graph-ready'),
          },
        ];
      });
      if (run > 0) {
        // run 0 warms the browser cache and the server; it is reported but not counted
        times.push(t);
        graphMs.push(graph);
        countedMs.push(counted);
      }
      console.log(JSON.stringify({ case: label, run, rendered_ms: Math.round(t), counts_shown_ms: counted, graph_request_ms: graph && Math.round(graph), ...breakdown }));
    }
    return {
      rendered_ms: Math.round(median(times)),
      counts_shown_ms: median(countedMs),
      graph_request_ms: Math.round(median(graphMs)),
      runs: times.map(Math.round),
      counts_runs: countedMs,
    };
  }

  const draft_cold = await measure('draft, all leads pending, cold layout', { cold: true });
  const draft_warm = await measure('draft, all leads pending, cached layout', { cold: false });
  await server.api('POST', `/workflows/${wf.id}/activate`);
  // Let the engine put leads on the first call node, so per-node counts are non-trivial.
  await new Promise((r) => setTimeout(r, 5000));
  const active_cold = await measure('active, engine running, cold layout', { cold: true });
  const g = await server.api('GET', `/workflows/${wf.id}/graph`);
  console.log(
    JSON.stringify({
      summary: true,
      leads: LEADS,
      nodes: g.nodes.length,
      edges: g.edges.length,
      enrol_seconds: enrolSeconds,
      status_counts: g.status_counts,
      draft_cold,
      draft_warm,
      active_cold,
      lead_list_requests: leadRequests.length,
    }),
  );
  if (leadRequests.length) throw new Error(`the graph view asked for leads: ${leadRequests[0]}`);
} finally {
  await close();
  await server.stop();
}
