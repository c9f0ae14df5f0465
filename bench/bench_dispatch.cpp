// Call dispatch throughput: how many queued calls per second the CallDispatcher sends to a
// DialNexa-style provider on loopback and records as initiated (issue 4: the engine must
// never be the bottleneck, goal >= 5,000/s on 2 cores).
//
//   bench_dispatch [--calls N] [--runs R] [--senders S] [--db sqlite:PATH|postgresql://...]
//
// Each run: a fresh database (SQLite file in a temp dir by default), one workflow with a
// VOICE_CALL node, N leads stepped by the engine into N queued calls (timed apart), then the
// dispatcher POSTs every one to a loopback provider (tests/support/http_peer, thread per
// connection, answering 201 with an id) until all are recorded initiated. Prints one line per
// run and the medians.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "engine/call_dispatcher.h"
#include "engine/scheduler.h"
#include "store/store.h"
#include "support/http_peer.h"
#include "util/ids.h"

namespace {
using namespace leadline;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

struct Run {
  double place_per_second = 0;     // engine steps that queue a call
  double dispatch_per_second = 0;  // calls sent and recorded initiated
};

Run run_once(const std::string& url, long calls, unsigned senders, test::HttpPeer& provider) {
  const util::Millis now = 1'780'000'000'000;
  auto store = store::open_store({url});
  const auto org = store->ensure_organization("Bench", now).id;
  domain::Workflow w;
  w.id = util::new_id("wf");
  w.org_id = org;
  w.title = "dispatch";
  w.settings = {{"calling_window", nullptr}};
  w.created_at = w.updated_at = now;
  store->insert_workflow(w);
  auto node = [&](domain::NodeType type, Json config) {
    domain::Node n;
    n.id = util::new_id("node");
    n.workflow_id = w.id;
    n.type = type;
    n.label = domain::default_label(type);
    n.config = std::move(config);
    n.created_at = n.updated_at = now;
    store->insert_node(n, now);
    return n.id;
  };
  const auto call = node(domain::NodeType::kVoiceCall,
                         {{"agent_id", "agt"}, {"from_phone_number", "+14155550100"}});
  const auto won = node(domain::NodeType::kConverted, Json::object());
  store->insert_edge({util::new_id("edge"), w.id, call, won, std::nullopt, now}, now);
  std::vector<domain::Lead> leads;
  for (long i = 0; i < calls; ++i) {
    domain::Lead l;
    l.id = util::new_id("wlead");
    l.org_id = org;
    l.workflow_id = w.id;
    l.phone_number = "+1" + std::to_string(2'000'000'000L + i);
    l.variables = {{"name", "Lead " + std::to_string(i)}, {"city", "Springfield"}};
    l.next_action_at = now;
    l.enrolled_at = l.created_at = l.updated_at = now;
    leads.push_back(std::move(l));
  }
  store->enroll_leads(w, leads, true, now);
  store->transition_workflow(org, w.id, domain::WorkflowStatus::kDraft,
                             domain::LifecycleAction::kActivate, domain::WorkflowStatus::kActive,
                             now);
  util::ManualClock clock(now);
  Run run;
  {
    engine::SchedulerOptions o;
    o.placement.external = true;
    engine::Scheduler scheduler(*store, clock, o);
    const auto start = Clock::now();
    const auto stepped = scheduler.drain(false);
    run.place_per_second = static_cast<double>(stepped) / seconds_since(start);
  }
  engine::DispatcherOptions d;
  d.provider.url = provider.url();
  d.provider.key = "bench";
  d.provider.allow_private_targets = true;
  d.max_concurrent = 0;
  d.senders = senders;
  engine::CallDispatcher dispatcher(*store, clock, d);
  const auto start = Clock::now();
  dispatcher.start();
  while (dispatcher.stats().placed < static_cast<std::uint64_t>(calls))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  run.dispatch_per_second = static_cast<double>(calls) / seconds_since(start);
  dispatcher.stop();
  return run;
}
}  // namespace

int main(int argc, char** argv) {
  long calls = 20'000;
  int runs = 5;
  unsigned senders = 16;
  std::string db;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--calls")) calls = std::stol(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::stoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--senders")) senders = static_cast<unsigned>(std::stoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
  }
  spdlog::set_level(spdlog::level::warn);
  test::HttpPeer provider([](const test::PeerRequest&) {
    return test::PeerReply{201, R"({"id":"pc_1"})"};
  });
  const auto dir =
      std::filesystem::temp_directory_path() / ("leadline-dispatch-" + util::new_id("b"));
  std::filesystem::create_directories(dir);
  std::vector<double> place, dispatch;
  for (int r = 0; r < runs; ++r) {
    const std::string url =
        db.empty() ? "sqlite:" + (dir / ("run" + std::to_string(r) + ".db")).string() : db;
    const Run run = run_once(url, calls, senders, provider);
    place.push_back(run.place_per_second);
    dispatch.push_back(run.dispatch_per_second);
    std::printf("run=%d calls=%ld senders=%u place_per_s=%.0f dispatch_per_s=%.0f\n", r, calls,
                senders, run.place_per_second, run.dispatch_per_second);
    std::fflush(stdout);
  }
  std::printf("median calls=%ld senders=%u place_per_s=%.0f dispatch_per_s=%.0f\n", calls, senders,
              median(place), median(dispatch));
  std::filesystem::remove_all(dir);
  return 0;
}
