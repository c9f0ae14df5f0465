// Webhook delivery throughput: N events already in the outbox (SQLite, WAL), each for its own
// lead, delivered by one WebhookDeliverer to a receiver that answers 200 at once (run
// bench_minimal_server beside it; see bench/webhook_bench.sh).
//
//   build/bench_webhooks --url http://127.0.0.1:PORT/hook [--deliveries N]
//                        [--db PATH|postgresql://...] [--batch B] [--concurrency C] [--lanes L]
//
// Counts from the first claim to the last recorded attempt: claiming (one transaction per
// batch), signing, sending over loopback and recording (one transaction per batch).
// Output: "result name=webhook_deliveries deliveries=N seconds=S per_second=R ...".
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "domain/event.h"
#include "engine/webhook_deliverer.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/ids.h"

namespace {
using namespace leadline;

struct Args {
  std::string url;
  long deliveries = 20'000;
  std::string db = "/tmp/leadline-bench-webhooks.db";
  size_t batch = 256;
  size_t concurrency = 32;
  size_t lanes = 2;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    auto next = [&] {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return std::string(argv[++i]);
    };
    const std::string arg = argv[i];
    if (arg == "--url")
      a.url = next();
    else if (arg == "--deliveries")
      a.deliveries = std::stol(next());
    else if (arg == "--db")
      a.db = next();
    else if (arg == "--batch")
      a.batch = std::stoul(next());
    else if (arg == "--concurrency")
      a.concurrency = std::stoul(next());
    else {
      std::fprintf(stderr,
                   "usage: bench_webhooks --url URL [--deliveries N] [--db PATH|postgresql://...] "
                   "[--batch B] [--concurrency C] [--lanes L]\n");
      std::exit(arg == "--help" ? 0 : 2);
    }
  }
  if (a.url.empty()) {
    std::fprintf(stderr, "--url is required (a receiver such as bench_minimal_server)\n");
    std::exit(2);
  }
  return a;
}
}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  // A PostgreSQL URL is used as given (give each run a database or schema of its own); a path
  // names a SQLite file, made afresh.
  store::StoreOptions database(args.db);
  if (!database.postgres()) {
    for (const auto& suffix : {"", "-wal", "-shm"}) std::filesystem::remove(args.db + suffix);
    database.url = "sqlite:" + args.db;
  }
  auto store = store::open_store(database);
  util::SystemClock clock;
  const auto now = clock.now();
  auto org = store->ensure_organization("Bench", now);
  store::Webhook hook;
  hook.id = util::new_id("wh");
  hook.org_id = org.id;
  hook.url = args.url;
  hook.events = domain::event_type_names();
  hook.secret = "bench-secret-bench-secret";
  hook.created_at = hook.updated_at = now;
  store->insert_webhook(hook);

  // A payload the size of a real node_entered event (~700 bytes).
  domain::Lead lead;
  lead.org_id = org.id;
  lead.workflow_id = util::new_id("wf");
  lead.phone_number = "+14155550123";
  lead.variables = {{"first_name", "Ada"}, {"company", "Analytical Engines"}, {"plan", "pro"}};
  lead.status = domain::LeadStatus::kActive;
  domain::Node node;
  node.id = util::new_id("node");
  node.type = domain::NodeType::kVoiceCall;
  node.label = "First call";
  std::vector<domain::Event> events;
  for (long i = 0; i < args.deliveries; ++i) {
    lead.id = util::new_id("wlead");
    lead.current_node_id = node.id;
    events.push_back(
        domain::lead_event(domain::EventType::kLeadNodeEntered, lead, Json::object(), &node, now));
    if (events.size() == 5000 || i + 1 == args.deliveries) {
      store->append_events(events);
      events.clear();
    }
  }

  engine::DelivererOptions options;
  options.batch_size = args.batch;
  options.concurrency = args.concurrency;
  options.allow_private_targets = true;
  options.lanes = args.lanes;
  options.idle_poll = std::chrono::milliseconds(1);
  engine::WebhookDeliverer deliverer(*store, clock, options);
  const auto start = std::chrono::steady_clock::now();
  deliverer.start();  // `lanes` background loops, as in `leadline serve`
  while (deliverer.stats().attempts < static_cast<std::uint64_t>(args.deliveries))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  deliverer.stop();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto stats = deliverer.stats();
  std::printf(
      "result name=webhook_deliveries deliveries=%ld delivered=%llu retried=%llu seconds=%.3f "
      "per_second=%.0f batch=%zu concurrency=%zu lanes=%zu\n",
      args.deliveries, static_cast<unsigned long long>(stats.delivered),
      static_cast<unsigned long long>(stats.retried), seconds,
      static_cast<double>(stats.delivered) / seconds, args.batch, args.concurrency, args.lanes);
  for (const auto& suffix : {"", "-wal", "-shm"}) std::filesystem::remove(args.db + suffix);
  return stats.delivered == static_cast<std::uint64_t>(args.deliveries) ? 0 : 1;
}
