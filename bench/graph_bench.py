#!/usr/bin/env python3
"""Latency of GET /v1/workflows/{id}/graph (the graph view's counts) on a big workflow.

    python3 bench/graph_bench.py build/leadline [--leads 1000000] [--samples 15] [--split]
                                 [--database postgresql://...]

Starts `leadline serve` (rate limit off, simulated calls of 1,000,000 s so leads stay in their
first call) on a fresh SQLite file in /tmp, or on a fresh schema of the PostgreSQL database
given, builds call -> (COMPLETED) converted / (other) wait 1 day -> call -> dropped, enrols the
leads in requests of 100,000 (not timed), then times /graph:
  idle    every lead pending, nothing else running;
  busy    after activate, while the engine starts every lead's first call.
Prints one `run` line per sample and `result name=graph_<case> median_ms=...`; checks that the
counts add up to the leads enrolled.

With --split the workflow is SPLIT (A 50 / B 50) -> wait 1 day -> converted on each side, and
the cases are `idle` (every lead pending) and `split` (after activate, once every lead has
taken its variant): what `split_variants` costs when each lead has a SPLIT history row.
"""
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


binary = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "build/leadline"
leads = int(arg("--leads", 1_000_000))
samples = int(arg("--samples", 15))
port = int(os.environ.get("PORT", "18184"))
work = tempfile.mkdtemp(prefix="leadline-graph-bench.")
database = arg("--database", f"sqlite:{work}/graph.db")
if database.startswith("postgresql://"):
    schema = f"graph_bench_{os.getpid()}"
    subprocess.run(["psql", "-q", database, "-c", f"CREATE SCHEMA {schema}"], check=True)
    sep = "&" if "?" in database else "?"
    database += f"{sep}options=-csearch_path%3D{schema}"

key = subprocess.run([binary, "keys", "create", "--database", database, "--org", "GraphBench"],
                     check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
log = open(f"{work}/leadline.log", "w")
server = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--database", database,
                           "--rate-limit", "0", "--sim-call-seconds", "1000000"],
                          stdout=log, stderr=log)
base = f"http://127.0.0.1:{port}/v1"


def api(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as res:
        return json.loads(res.read() or b"null")


try:
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    wf = api("POST", "/workflows", {"title": "graph bench"})["id"]
    voice = {"agent_id": "agent_bench", "from_phone_number": "+14155550100"}
    node = lambda t, c={}: api("POST", f"/workflows/{wf}/nodes", {"node_type": t, "config": c})["id"]
    edge = lambda a, b, label=None: api("POST", f"/workflows/{wf}/edges",
                                        {"from_node_id": a, "to_node_id": b, "label": label})
    split = "--split" in sys.argv
    if split:
        splitter = node("SPLIT", {"variants": [{"label": "A", "weight": 50},
                                               {"label": "B", "weight": 50}]})
        for label in ("A", "B"):
            wait = node("TIME", {"delay_days": 1})
            edge(splitter, wait, label)
            edge(wait, node("CONVERTED"))
    else:
        call, won, wait, again, lost = (node("VOICE_CALL", voice), node("CONVERTED"),
                                        node("TIME", {"delay_days": 1}), node("VOICE_CALL", voice),
                                        node("DROPPED"))
        edge(call, won, "COMPLETED")
        edge(call, wait)
        edge(wait, again)
        edge(again, lost)

    areas = [212, 312, 646, 415, 617, 202, 305, 713, 206, 303]
    exchanges = [555, 556, 557, 558, 559, 562, 563, 564, 565, 566]
    blocks = [f"{a}{e}" for a in areas for e in exchanges]
    started = time.time()
    for done in range(0, leads, 100_000):
        n = min(100_000, leads - done)
        batch = [{"phone_number": f"+1{blocks[(done + i) // 10000 % 100]}{(done + i) % 10000:04d}"}
                 for i in range(n)]
        answer = api("POST", f"/workflows/{wf}/leads", {"leads": batch})
        assert answer["leads_enrolled"] == n, answer
    print(f"enrolled {leads} leads in {time.time() - started:.1f} s", flush=True)

    def measure(case):
        times = []
        for i in range(samples):
            t = time.perf_counter()
            graph = api("GET", f"/workflows/{wf}/graph")
            ms = (time.perf_counter() - t) * 1000
            times.append(ms)
            total = sum(graph["status_counts"].values())
            assert total == leads, graph["status_counts"]
            active = graph["status_counts"]["active"]
            print(f"run name=graph_{case} index={i} ms={ms:.1f} active={active}", flush=True)
            time.sleep(random.uniform(0.1, 0.3))
        print(f"result name=graph_{case} leads={leads} median_ms={statistics.median(times):.1f} "
              f"max_ms={max(times):.1f}", flush=True)

    measure("idle")
    api("POST", f"/workflows/{wf}/activate")
    if split:
        while api("GET", f"/workflows/{wf}/graph")["status_counts"]["pending"] > 0:
            time.sleep(1)
        time.sleep(2)
        variants = api("GET", f"/workflows/{wf}/graph")["split_variants"][splitter]
        assert sum(v["leads"] for v in variants) == leads, variants
        measure("split")
    else:
        time.sleep(1)
        measure("busy")
finally:
    server.terminate()
    server.wait()
    if database.startswith("postgresql://"):
        subprocess.run(["psql", "-q", database.split("?")[0], "-c",
                        f"DROP SCHEMA graph_bench_{os.getpid()} CASCADE"])
    subprocess.run(["rm", "-rf", work])
