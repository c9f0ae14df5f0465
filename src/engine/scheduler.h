#pragma once
// The engine loop: repeatedly claims due leads in batches, steps each with the Executor, and
// lets the store apply every write of the batch in the claiming transaction. HTTP requests
// of WEBHOOK / http.request steps run on a small pool after the batch commits. One
// Scheduler per process; start() runs it on background threads (one per lane), drain() steps
// on the caller's thread and, with several lanes, on one more thread per extra lane (tests on
// a manual clock, benchmarks).
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/executor.h"
#include "providers/call_simulator.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/metrics.h"

namespace leadline::engine {

class HttpJobRunner;

struct SchedulerOptions {
  size_t batch_size = 2000;                 // leads per transaction
  std::chrono::milliseconds idle_poll{50};  // longest real sleep when nothing is due
  providers::SimulatorOptions simulator;
  CallPlacement placement;             // simulator (default) or an external provider
  bool allow_private_targets = false;  // HTTP jobs may reach loopback/private hosts
  // Engine threads ("lanes"), each claiming and writing batches of its own. More than one only
  // pays where claims run side by side (PostgreSQL, FOR UPDATE SKIP LOCKED); SQLite has one
  // writer, so there a second lane would only wait for the first.
  std::size_t lanes = 1;
};

struct SchedulerStats {
  std::uint64_t steps = 0;              // leads stepped
  std::uint64_t batches = 0;            // transactions committed
  std::uint64_t failures = 0;           // batches rolled back
  std::uint64_t database_errors = 0;    // of those, failed by the store (StoreError)
  std::uint64_t count_fold_errors = 0;  // ExecutionStore::fold_counts calls that failed
};

class Scheduler {
 public:
  // Steps leads through `execution`; reads workflows and graphs from `definitions`.
  Scheduler(store::ExecutionStore& execution, store::DefinitionStore& definitions,
            const util::Clock& clock, SchedulerOptions options = {});
  Scheduler(store::Store& store, const util::Clock& clock, SchedulerOptions options = {})
      : Scheduler(store, store, clock, std::move(options)) {}
  ~Scheduler();

  void start();
  void stop();
  // Runs batches until nothing is due at the clock's current time; answers leads stepped.
  // Waits for HTTP jobs it started to be recorded (and steps again) when `wait_for_http`.
  std::size_t drain(bool wait_for_http = true);
  // Runs one batch at `now` on the first lane; answers the number of leads claimed.
  std::size_t run_batch(util::Millis now);
  SchedulerStats stats() const;
  // Seconds from a lead's next_action_at to its step; seconds per committed batch.
  const util::Histogram& lateness() const { return lateness_; }
  const util::Histogram& batch_duration() const { return batch_duration_; }

 private:
  // The search for a lead whose writes make its batch fail (one per lane).
  struct Isolation {
    std::size_t remaining = 0;  // batches still to run one lead at a time
    std::string failed_lead;    // the lead of the last one-lead batch that failed
    std::string poisoned_lead;  // failed alone twice: its next claim fails it
    std::string poison_reason;
    std::string last_error;  // of the last failed batch, "" after a success
  };
  // What one engine thread keeps to itself.
  struct Lane {
    Isolation alone;
    std::unordered_map<std::string, CompiledWorkflowPtr> graphs;  // compiled, by workflow id
    std::thread thread;
  };

  void loop(Lane& lane);
  std::size_t run_batch(Lane& lane, util::Millis now);
  // Runs batches on every lane at the clock's time until none claims a lead.
  std::size_t drain_lanes();
  std::size_t drain_lane(Lane& lane);
  const CompiledWorkflow& workflow_for(Lane& lane, const store::DueLead& due);
  void note_failed_batch(Lane& lane, std::size_t limit, const std::string& single_lead,
                         const std::string& error);
  void fold_counts_now_and_then();

  store::ExecutionStore& store_;
  store::DefinitionStore& definitions_;
  const util::Clock& clock_;
  SchedulerOptions options_;
  providers::CallSimulator simulator_;
  Executor executor_;
  std::unique_ptr<HttpJobRunner> http_;
  std::vector<std::unique_ptr<Lane>> lanes_;  // at least one
  std::atomic<bool> running_{false};
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::atomic<std::uint64_t> steps_{0}, batches_{0}, failures_{0}, database_errors_{0},
      count_fold_errors_{0};
  std::atomic<std::uint64_t> batches_since_fold_{0};
  std::mutex fold_mutex_;        // one fold at a time
  std::string last_fold_error_;  // under fold_mutex_: logged once until it changes
  util::Histogram lateness_{util::Histogram::lateness_buckets()};
  util::Histogram batch_duration_{util::Histogram::duration_buckets()};
};

}  // namespace leadline::engine
