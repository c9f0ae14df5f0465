// Engine throughput with durability on (one transaction per batch), on SQLite (WAL) or on
// PostgreSQL with one or several processes sharing the work.
//
//   build/bench_engine [--leads N] [--batch B] [--db PATH | --db postgresql://...]
//                      [--processes P] [--only steps|wave|windows] [--suppressions S]
//                      [--caps C] [--exit-rules R] [--threads T]
//
// --suppressions S puts S numbers on the organization's do-not-call list before enrolment
// (none of them a lead's: the run measures what checking the list costs, every lead still
// takes every step). --caps C gives the organization a contact cap of C calls per 24 hours
// (each lead has its own number and at most two calls: with C >= 2 the cap is counted before
// every call and never holds one, so the run measures what counting costs). --exit-rules R
// gives the workflow R exit rules (events no lead receives: what configuring them costs).
//
// With a PostgreSQL URL each run gets a fresh schema (dropped at the end). --processes P
// (PostgreSQL only) forks P engine processes after the setup; each claims batches with
// SKIP LOCKED and moves its own manual clock on when nothing is due for it, until no lead is
// open. lead-steps/s is then all processes' steps over the wall time from fork to the last
// exit (see bench/engine_bench.sh). --threads T (PostgreSQL only) gives each process T engine
// lanes (SchedulerOptions::lanes, the server's --engine-threads).
//
// 1. steps: N leads through VOICE_CALL -> TIME -> VOICE_CALL -> CONDITIONAL ->
//    CONVERTED/DROPPED, simulated calls of zero length, the delay already expired when
//    reached (the manual clock is moved past it). Reports lead-steps per second.
// 2. wave: N leads asleep on one delay that expires at one instant; reports the time to
//    drain them and the p50/p99 lateness of their steps (real time from the instant the
//    delay expired to the commit of the batch that stepped the lead).
// 3. windows: N leads across 50 time zones, enrolled on a weekend, whose calling window
//    opens Monday 08:00 local. The clock jumps to each opening in turn; reports, per
//    wave, the leads called, the time to place their calls, p99 lateness, and the real
//    time until the next opening (a wave that drains slower than that falls behind).
// The first two run with calling windows off, so they measure the engine alone.
// Output: one "result name=... key=value ..." line per measurement.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include <libpq-fe.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>

#include "engine/scheduler.h"
#include "store/store.h"
#include "util/ids.h"
#include "util/timezone.h"

namespace {
using namespace leadline;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The number after "<field>:" in a /proc/self file.
long long proc_self(const char* file, const char* field) {
  FILE* f = std::fopen((std::string("/proc/self/") + file).c_str(), "r");
  char line[256];
  long long value = 0;
  while (f && std::fgets(line, sizeof line, f))
    if (std::strncmp(line, field, std::strlen(field)) == 0)
      value = std::atoll(line + std::strlen(field) + 1);
  if (f) std::fclose(f);
  return value;
}
long rss_kb(const char* field) { return static_cast<long>(proc_self("status", field)); }
// Bytes this process has caused to be written to storage (the WAL, the database file at
// checkpoints), counted when the pages are dirtied.
long long written_bytes() { return proc_self("io", "write_bytes"); }

bool is_postgres(const std::string& db) { return store::StoreOptions(db).postgres(); }

// Runs one statement on the PostgreSQL server at `url`; exits on failure.
void pg_run(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  PQclear(PQexec(conn, "SET client_min_messages = warning"));
  PGresult* r = PQexec(conn, sql.c_str());  // alone: VACUUM may not run in a transaction
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    std::fprintf(stderr, "%s: %s\n", sql.c_str(), PQerrorMessage(conn));
    std::exit(1);
  }
  PQclear(r);
  PQfinish(conn);
}

// The store URL of a fresh database: the SQLite file at `db` recreated, or a new schema on
// the PostgreSQL server `db` (dropped by drop_database).
std::string fresh_database(const std::string& db) {
  if (!is_postgres(db)) {
    std::filesystem::remove(db);
    std::filesystem::remove(db + "-wal");
    std::filesystem::remove(db + "-shm");
    return "sqlite:" + db;
  }
  const std::string schema = "bench_" + std::to_string(getpid());
  pg_run(db, "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
  return db + (db.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

void drop_database(const std::string& db) {
  if (is_postgres(db))
    pg_run(db, "DROP SCHEMA IF EXISTS bench_" + std::to_string(getpid()) + " CASCADE");
}

struct Fixture {
  std::unique_ptr<store::Store> store;
  std::string org_id;
  std::string workflow_id;
};

domain::Node node(const std::string& wf, domain::NodeType type, Json config, util::Millis now) {
  domain::Node n;
  n.id = util::new_id("node");
  n.workflow_id = wf;
  n.type = type;
  n.label = domain::default_label(type);
  n.config = std::move(config);
  n.created_at = n.updated_at = now;
  return n;
}

// 50 zones from UTC-10 to UTC+14, half-hour and 45-minute offsets included.
const std::vector<std::string> kZones = {
    "Pacific/Kiritimati", "Pacific/Auckland",   "Pacific/Fiji",
    "Australia/Sydney",   "Australia/Brisbane", "Australia/Adelaide",
    "Australia/Darwin",   "Asia/Tokyo",         "Asia/Seoul",
    "Asia/Shanghai",      "Asia/Singapore",     "Australia/Perth",
    "Asia/Manila",        "Asia/Bangkok",       "Asia/Jakarta",
    "Asia/Yangon",        "Asia/Dhaka",         "Asia/Kathmandu",
    "Asia/Kolkata",       "Asia/Karachi",       "Asia/Tashkent",
    "Asia/Kabul",         "Asia/Dubai",         "Asia/Tehran",
    "Europe/Moscow",      "Europe/Istanbul",    "Africa/Nairobi",
    "Europe/Athens",      "Africa/Cairo",       "Africa/Johannesburg",
    "Europe/Berlin",      "Africa/Lagos",       "Europe/London",
    "Europe/Lisbon",      "Atlantic/Azores",    "Atlantic/Cape_Verde",
    "America/Noronha",    "America/Sao_Paulo",  "America/Argentina/Buenos_Aires",
    "America/St_Johns",   "America/Halifax",    "America/New_York",
    "America/Toronto",    "America/Chicago",    "America/Mexico_City",
    "America/Denver",     "America/Phoenix",    "America/Los_Angeles",
    "America/Anchorage",  "Pacific/Honolulu"};

// steps: the five-node chain; wave: one delay then CONVERTED; windows: one call (Monday to
// Friday 08:00-20:00) then CONVERTED/DROPPED, leads spread over kZones.
enum class Shape { kSteps, kWave, kWindows };

long g_suppressions = 0;  // --suppressions
long g_caps = 0;          // --caps
long g_exit_rules = 0;    // --exit-rules
long g_threads = 1;       // --threads: engine lanes per process (PostgreSQL)

// Lists `count` numbers (none a lead's) on the organization's do-not-call list.
void add_suppressions(store::Store& store, const std::string& org_id, long count,
                      util::Millis now) {
  const auto start = Clock::now();
  for (long done = 0; done < count;) {
    std::vector<domain::Suppression> chunk;
    for (long i = 0; i < 10'000 && done < count; ++i, ++done) {
      domain::Suppression& e = chunk.emplace_back();
      e.id = util::new_id("sup");
      e.org_id = org_id;
      e.phone_number = "+1" + std::to_string(3'000'000'000L + done * 7);
      e.created_at = e.updated_at = now;
    }
    store.add_suppressions(chunk);
  }
  std::printf("setup suppressions=%ld seconds=%.2f\n", count, seconds_since(start));
}

// Builds the workflow and enrolls `leads` leads in chunks of 100,000.
Fixture setup(const std::string& url, Shape shape, long leads, util::Millis now) {
  Fixture f;
  f.store = store::open_store({url});
  f.org_id = f.store->ensure_organization("Bench", now).id;
  if (g_suppressions > 0) add_suppressions(*f.store, f.org_id, g_suppressions, now);
  if (g_caps > 0) {
    store::OrganizationPatch caps;
    caps.settings_changes =
        Json{{"contact_caps", Json::array({{{"calls", g_caps}, {"hours", 24}}})}};
    f.store->update_organization(f.org_id, caps, now);
  }
  domain::Workflow w;
  w.id = util::new_id("wf");
  w.org_id = f.org_id;
  w.title = "bench";
  w.settings = {{"calling_window", nullptr}};
  for (long i = 0; i < g_exit_rules; ++i)
    w.settings["exit_rules"].push_back(
        {{"event", "event_" + std::to_string(i)}, {"status", i % 2 ? "dropped" : "completed"}});
  if (shape == Shape::kWindows)
    w.settings["calling_window"] = {
        {"days", {"mon", "tue", "wed", "thu", "fri"}}, {"start", "08:00"}, {"end", "20:00"}};
  w.created_at = w.updated_at = now;
  f.store->insert_workflow(w);
  f.workflow_id = w.id;
  const Json call = {{"agent_id", "agt"}, {"from_phone_number", "+14155550100"}};
  std::vector<domain::Node> nodes;
  using T = domain::NodeType;
  if (shape == Shape::kSteps) {
    nodes = {node(w.id, T::kVoiceCall, call, now),
             node(w.id, T::kTime, {{"delay_minutes", 60}}, now),
             node(w.id, T::kVoiceCall, call, now),
             node(w.id, T::kConditional,
                  {{"conditions",
                    {{{"field", "call_status"}, {"operator", "equals"}, {"value", "COMPLETED"}}}}},
                  now),
             node(w.id, T::kConverted, Json::object(), now),
             node(w.id, T::kDropped, Json::object(), now)};
  } else if (shape == Shape::kWave) {
    nodes = {node(w.id, T::kTime, {{"delay_minutes", 60}}, now),
             node(w.id, T::kConverted, Json::object(), now)};
  } else {
    nodes = {node(w.id, T::kVoiceCall, call, now), node(w.id, T::kConverted, Json::object(), now),
             node(w.id, T::kDropped, Json::object(), now)};
  }
  for (auto& n : nodes) f.store->insert_node(n, now);
  auto edge = [&](size_t from, size_t to, std::optional<std::string> label) {
    f.store->insert_edge({util::new_id("edge"), w.id, nodes[from].id, nodes[to].id, label, now},
                         now);
  };
  if (shape == Shape::kSteps) {
    edge(0, 1, std::nullopt);
    edge(1, 2, std::nullopt);
    edge(2, 3, std::nullopt);
    edge(3, 4, "true");
    edge(3, 5, "false");
  } else if (shape == Shape::kWave) {
    edge(0, 1, std::nullopt);
  } else {
    edge(0, 1, "COMPLETED");
    edge(0, 2, std::nullopt);
  }
  const auto enroll_start = Clock::now();
  for (long done = 0; done < leads;) {
    std::vector<domain::Lead> chunk;
    const long n = std::min(100'000L, leads - done);
    chunk.reserve(static_cast<size_t>(n));
    for (long i = 0; i < n; ++i, ++done) {
      domain::Lead l;
      l.id = util::new_id("wlead");
      l.org_id = f.org_id;
      l.workflow_id = w.id;
      l.phone_number = "+1" + std::to_string(2'000'000'000L + done);
      l.variables = {{"name", "Lead " + std::to_string(done)},
                     {"sim_outcomes", done % 2 ? "COMPLETED" : "NO_ANSWER"}};
      if (shape == Shape::kWindows) l.variables["timezone"] = kZones[size_t(done) % kZones.size()];
      l.next_action_at = now;
      l.enrolled_at = l.created_at = l.updated_at = now;
      chunk.push_back(std::move(l));
    }
    f.store->enroll_leads(w, chunk, true, now);
  }
  std::printf("setup leads=%ld enroll_seconds=%.2f\n", leads, seconds_since(enroll_start));
  f.store->transition_workflow(f.org_id, w.id, domain::WorkflowStatus::kDraft,
                               domain::LifecycleAction::kActivate, domain::WorkflowStatus::kActive,
                               now);
  if (is_postgres(url)) {
    // The timed run should not pay for the setup: without this, the checkpoint and
    // autovacuum's first pass over millions of fresh rows run beside it.
    const auto settle_start = Clock::now();
    pg_run(url, "CHECKPOINT");
    pg_run(url, "VACUUM ANALYZE");
    std::printf("setup vacuum_seconds=%.2f\n", seconds_since(settle_start));
  }
  return f;
}

engine::SchedulerOptions options(size_t batch) {
  engine::SchedulerOptions o;
  o.batch_size = batch;
  o.simulator.call_millis = 0;
  o.lanes = static_cast<size_t>(g_threads);
  return o;
}

// One of several engine processes: steps whatever is due at its clock, and moves its clock
// on by the delay when nothing is (the others may hold the due leads), until none is open.
std::size_t run_worker(const std::string& url, const std::string& workflow_id, size_t batch,
                       util::Millis t0) {
  auto store = store::open_store({url});
  util::ManualClock clock(t0);
  engine::Scheduler scheduler(*store, clock, options(batch));
  std::size_t steps = 0;
  while (true) {
    const std::size_t n = scheduler.drain(false);
    steps += n;
    std::int64_t open = 0;
    for (const auto& [status, count] : store->lead_counts_by_status(workflow_id))
      if (status == "active" || status == "pending") open += count;
    if (open == 0) return steps;
    clock.advance(std::chrono::minutes(61));
    if (n == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void bench_steps_processes(const std::string& url, long leads, size_t batch, int processes) {
  const util::Millis t0 = 1'780'000'000'000;
  std::string workflow_id;
  {
    auto f = setup(url, Shape::kSteps, leads, t0);
    workflow_id = f.workflow_id;
  }  // the parent's connections are closed before the fork
  int pipes[2];
  if (pipe(pipes) != 0) std::exit(1);
  const auto start = Clock::now();
  for (int i = 0; i < processes; ++i) {
    if (fork() == 0) {
      const std::size_t steps = run_worker(url, workflow_id, batch, t0);
      if (write(pipes[1], &steps, sizeof steps) != sizeof steps) _exit(1);
      _exit(0);
    }
  }
  std::size_t steps = 0;
  for (int i = 0; i < processes; ++i) {
    std::size_t n = 0;
    if (read(pipes[0], &n, sizeof n) == sizeof n) steps += n;
  }
  while (wait(nullptr) > 0) {
  }
  const double secs = seconds_since(start);
  std::printf(
      "result name=engine_steps leads=%ld steps=%zu seconds=%.2f steps_per_second=%.0f batch=%zu "
      "processes=%d threads=%ld\n",
      leads, steps, secs, static_cast<double>(steps) / secs, batch, processes, g_threads);
}

// Steps everything due at `now` in batches; each lead's lateness is the real time from the
// start to the commit of its batch.
struct Wave {
  std::vector<double> lateness;  // seconds, sorted
  double seconds = 0;
  double percentile(double p) const {
    return lateness.empty() ? 0.0 : lateness[size_t(p * double(lateness.size() - 1))];
  }
};
Wave drain_wave(engine::Scheduler& scheduler, util::Millis now) {
  Wave wave;
  const auto start = Clock::now();
  std::size_t n = 0;
  while ((n = scheduler.run_batch(now)) > 0)
    wave.lateness.insert(wave.lateness.end(), n, seconds_since(start));
  wave.seconds = seconds_since(start);
  std::sort(wave.lateness.begin(), wave.lateness.end());
  return wave;
}

void bench_steps(const std::string& path, long leads, size_t batch) {
  const util::Millis t0 = 1'780'000'000'000;
  auto f = setup(path, Shape::kSteps, leads, t0);
  util::ManualClock clock(t0);
  engine::Scheduler scheduler(*f.store, clock, options(batch));
  const auto start = Clock::now();
  const long long written_before = written_bytes();
  std::size_t steps = scheduler.drain(false);  // enter: first call placed
  steps += scheduler.drain(false);             // first call ends -> delay
  clock.advance(std::chrono::minutes(61));     // every delay already expired
  steps += scheduler.drain(false);             // second call placed
  steps += scheduler.drain(false);             // ends -> condition -> terminal
  const double secs = seconds_since(start);
  const double written_per_step =
      static_cast<double>(written_bytes() - written_before) / static_cast<double>(steps);
  std::printf(
      "result name=engine_steps leads=%ld steps=%zu seconds=%.2f steps_per_second=%.0f batch=%zu "
      "processes=1 threads=%ld bytes_written_per_step=%.0f\n",
      leads, steps, secs, static_cast<double>(steps) / secs, batch, g_threads, written_per_step);
}

void bench_wave(const std::string& path, long leads, size_t batch) {
  const util::Millis t0 = 1'780'000'000'000;
  auto f = setup(path, Shape::kWave, leads, t0);
  util::ManualClock clock(t0);
  engine::Scheduler scheduler(*f.store, clock, options(batch));
  scheduler.drain(false);  // everyone falls asleep on the delay
  std::printf("asleep leads=%ld rss_mb=%.0f\n", leads,
              static_cast<double>(rss_kb("VmRSS")) / 1024.0);
  clock.advance(std::chrono::minutes(60));  // the delay of every lead expires now
  const auto wave = drain_wave(scheduler, clock.now());
  std::printf(
      "result name=delay_wave leads=%zu seconds=%.2f p50_lateness_s=%.2f p99_lateness_s=%.2f\n",
      wave.lateness.size(), wave.seconds, wave.percentile(0.5), wave.percentile(0.99));
}

void bench_windows(const std::string& path, long leads, size_t batch) {
  const util::Millis t0 = *util::parse_iso("2026-12-05T12:00:00Z");  // Saturday everywhere
  auto f = setup(path, Shape::kWindows, leads, t0);
  util::ManualClock clock(t0);
  auto o = options(batch);
  o.simulator.call_millis = 60'000;  // call ends come due a minute after each wave
  engine::Scheduler scheduler(*f.store, clock, o);
  const auto asleep_start = Clock::now();
  const std::size_t asleep = scheduler.drain(false);  // every lead waits for Monday
  std::printf("windows asleep=%zu seconds=%.2f\n", asleep, seconds_since(asleep_start));

  std::map<util::Millis, int> zones_opening;  // Monday 08:00 local, per instant
  for (const auto& name : kZones)
    ++zones_opening[util::TimeZone::find(name)->from_local({2026, 12, 7}, 8 * 60)];
  std::vector<double> worst;
  for (auto it = zones_opening.begin(); it != zones_opening.end(); ++it) {
    clock.advance(std::chrono::milliseconds(it->first - clock.now()));
    const auto wave = drain_wave(scheduler, clock.now());
    const double p99 = wave.percentile(0.99);
    const auto next = std::next(it);
    const double gap_s =
        next == zones_opening.end() ? 0.0 : double(next->first - it->first) / 1000.0;
    std::printf(
        "result name=window_wave opens=%s zones=%d leads=%zu seconds=%.2f p99_lateness_s=%.2f "
        "next_wave_in_s=%.0f\n",
        util::format_iso(it->first).c_str(), it->second, wave.lateness.size(), wave.seconds, p99,
        gap_s);
    worst.push_back(p99);
    // The calls end a minute later; record them before the next zone opens.
    clock.advance(std::chrono::seconds(61));
    scheduler.drain(false);
  }
  std::sort(worst.begin(), worst.end());
  std::printf("result name=window_waves waves=%zu worst_p99_lateness_s=%.2f\n", worst.size(),
              worst.empty() ? 0.0 : worst.back());
}
}  // namespace

int main(int argc, char** argv) {
  long leads = 1'000'000;
  size_t batch = 2000;
  std::string path = "/tmp/leadline-bench-engine.db";
  std::string which = "all";
  int processes = 1;
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    static const char* const kFlags[] = {"--leads", "--batch",      "--db",
                                         "--only",  "--processes",  "--suppressions",
                                         "--caps",  "--exit-rules", "--threads"};
    if (i + 1 >= argc ||
        std::find(std::begin(kFlags), std::end(kFlags), flag) == std::end(kFlags)) {
      std::fprintf(stderr,
                   "usage: bench_engine [--leads N] [--batch B] [--db PATH|postgresql://...] "
                   "[--processes P] [--only steps|wave|windows] [--suppressions S] [--caps C] "
                   "[--exit-rules R] [--threads T]\n");
      return 2;
    }
    if (flag == "--suppressions") g_suppressions = std::atol(argv[i + 1]);
    if (flag == "--caps") g_caps = std::atol(argv[i + 1]);
    if (flag == "--exit-rules") g_exit_rules = std::atol(argv[i + 1]);
    if (flag == "--leads") leads = std::atol(argv[i + 1]);
    if (flag == "--batch") batch = static_cast<size_t>(std::atol(argv[i + 1]));
    if (flag == "--db") path = argv[i + 1];
    if (flag == "--only") which = argv[i + 1];
    if (flag == "--processes") processes = std::max(1, std::atoi(argv[i + 1]));
    if (flag == "--threads") g_threads = std::max(1L, std::atol(argv[i + 1]));
  }
  if ((processes > 1 || g_threads > 1) && !is_postgres(path)) {
    std::fprintf(stderr, "--processes and --threads need a postgresql:// --db\n");
    return 2;
  }
  if (which == "all" || which == "steps") {
    const std::string url = fresh_database(path);
    if (processes > 1)
      bench_steps_processes(url, leads, batch, processes);
    else
      bench_steps(url, leads, batch);
  }
  if (which == "all" || which == "wave") bench_wave(fresh_database(path), leads, batch);
  if (which == "all" || which == "windows") bench_windows(fresh_database(path), leads, batch);
  drop_database(path);
  std::printf("peak_rss_mb=%.0f\n", static_cast<double>(rss_kb("VmHWM")) / 1024.0);
  return 0;
}
