#!/usr/bin/env python3
"""Events accepted per second through POST /v1/events (bulk form), with many leads enrolled.

    python3 bench/events_bench.py build/leadline [--leads 1000000] [--events 300000]
                                  [--batch 10000] [--rounds 3] [--clients 1]
                                  [--database postgresql://...]

Starts `leadline serve` (rate limit off) on a fresh SQLite file in /tmp, or on a fresh schema
of the PostgreSQL database given; builds call -> (COMPLETED) converted / (other) wait 2 days ->
call -> dropped with the exit rule meeting_booked -> completed; enrols the leads in requests of
100,000 (not timed), activates it and waits until the engine has started every lead's first
call (simulated calls of 1,000,000 s keep them there: the leads are asleep in a call). Then each round posts `--events` events in
requests of `--batch` from `--clients` connections at once (each its own share of the
requests, one after another), each event to a lead not used before: 9
in 10 are `replied` (recorded), 1 in 10 `meeting_booked` (ends the lead by the exit rule),
every event with data and every 4th with an idempotency key. Prints one `run` line per round
and `result name=events_bulk median_per_s=...`; checks every answer names its lead.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


binary = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "build/leadline"
leads = int(arg("--leads", 1_000_000))
events = int(arg("--events", 300_000))
batch = int(arg("--batch", 10_000))
rounds = int(arg("--rounds", 3))
clients = int(arg("--clients", 1))
assert events * rounds <= leads, "each event goes to a lead not used before"
port = int(os.environ.get("PORT", "18185"))
work = tempfile.mkdtemp(prefix="leadline-events-bench.")
database = arg("--database", f"sqlite:{work}/events.db")
if database.startswith("postgresql://"):
    schema = f"events_bench_{os.getpid()}"
    subprocess.run(["psql", "-q", database, "-c", f"CREATE SCHEMA {schema}"], check=True)
    sep = "&" if "?" in database else "?"
    database += f"{sep}options=-csearch_path%3D{schema}"

key = subprocess.run([binary, "keys", "create", "--database", database, "--org", "EventsBench"],
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
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    wf = api("POST", "/workflows", {"title": "events bench", "settings": {
        "calling_window": None,
        "exit_rules": [{"event": "meeting_booked", "status": "completed"}]}})["id"]
    voice = {"agent_id": "agent_bench", "from_phone_number": "+14155550100"}
    node = lambda t, c={}: api("POST", f"/workflows/{wf}/nodes", {"node_type": t, "config": c})["id"]
    edge = lambda a, b, label=None: api("POST", f"/workflows/{wf}/edges",
                                        {"from_node_id": a, "to_node_id": b, "label": label})
    call, won, wait, again, lost = (node("VOICE_CALL", voice), node("CONVERTED"),
                                    node("TIME", {"delay_days": 2}), node("VOICE_CALL", voice),
                                    node("DROPPED"))
    edge(call, won, "COMPLETED")
    edge(call, wait)
    edge(wait, again)
    edge(again, lost)

    areas = [212, 312, 646, 415, 617, 202, 305, 713, 206, 303]
    exchanges = [555, 556, 557, 558, 559, 562, 563, 564, 565, 566]
    blocks = [f"{a}{e}" for a in areas for e in exchanges]
    lead_ids = []
    started = time.time()
    for done in range(0, leads, 100_000):
        n = min(100_000, leads - done)
        rows = [{"phone_number": f"+1{blocks[(done + i) // 10000 % 100]}{(done + i) % 10000:04d}"}
                for i in range(n)]
        answer = api("POST", f"/workflows/{wf}/leads", {"leads": rows})
        assert answer["leads_enrolled"] == n, answer
        lead_ids.extend(answer["lead_ids"])
    print(f"enrolled {leads} leads in {time.time() - started:.1f} s", flush=True)
    api("POST", f"/workflows/{wf}/activate")
    started = time.time()
    while api("GET", f"/workflows/{wf}/graph")["status_counts"]["pending"] > 0:
        time.sleep(1)
    time.sleep(2)  # the last batch commits
    print(f"engine started every lead's first call in {time.time() - started:.1f} s", flush=True)

    rates = []
    for r in range(rounds):
        first = r * events
        def post(done):
            n = min(batch, events - done)
            body = {"events": [
                {"type": "meeting_booked" if (first + done + i) % 10 == 0 else "replied",
                 "lead_id": lead_ids[first + done + i],
                 "data": {"source": "crm", "n": first + done + i},
                 **({"idempotency_key": f"k{first + done + i}"} if i % 4 == 0 else {})}
                for i in range(n)]}
            answer = api("POST", "/events", body)["data"]["events"]
            assert len(answer) == n and answer[-1]["leads"][0]["lead_id"] == lead_ids[first + done + n - 1]

        def client(c):
            for done in range(c * batch, events, clients * batch):
                post(done)

        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        rates.append(events / seconds)
        print(f"run name=events_bulk round={r} events={events} seconds={seconds:.2f} "
              f"per_s={events / seconds:.0f}", flush=True)
    print(f"result name=events_bulk leads={leads} batch={batch} clients={clients} "
          f"median_per_s={statistics.median(rates):.0f} runs={'/'.join(f'{x:.0f}' for x in rates)}",
          flush=True)
finally:
    server.terminate()
    server.wait()
    if database.startswith("postgresql://"):
        subprocess.run(["psql", "-q", database.split("?")[0], "-c",
                        f"DROP SCHEMA events_bench_{os.getpid()} CASCADE"])
    subprocess.run(["rm", "-rf", work])
