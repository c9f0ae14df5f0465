#include "engine/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "engine/http_job_runner.h"

namespace leadline::engine {

Scheduler::Scheduler(store::Store& store, const util::Clock& clock, SchedulerOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      simulator_(options_.simulator),
      executor_(simulator_, options_.placement),
      http_(std::make_unique<HttpJobRunner>(store, clock, options_.allow_private_targets)) {}

Scheduler::~Scheduler() {
  stop();
  http_.reset();  // joins HTTP jobs before the store goes away
}

void Scheduler::start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  if (!running_.exchange(false)) return;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

SchedulerStats Scheduler::stats() const {
  return {steps_.load(), batches_.load(), failures_.load()};
}

const CompiledWorkflow& Scheduler::workflow_for(const store::DueLead& due) {
  auto& cached = graphs_[due.lead.workflow_id];
  if (!cached || cached->version != due.workflow_version) {
    auto workflow = store_.find_workflow(due.lead.org_id, due.lead.workflow_id);
    cached = std::make_shared<const CompiledWorkflow>(
        due.lead.workflow_id, due.workflow_version, store_.load_graph(due.lead.workflow_id),
        workflow ? workflow->settings : Json::object());
  }
  return *cached;
}

std::size_t Scheduler::run_batch(util::Millis now) {
  std::vector<HttpJob> jobs;
  std::size_t claimed = 0;
  try {
    claimed =
        store_.run_due_steps(now, options_.batch_size, [&](std::vector<store::DueLead>& batch) {
          store::StepWrites writes;
          writes.leads.reserve(batch.size());
          jobs.clear();
          for (auto& due : batch) executor_.step(due, workflow_for(due), now, writes, jobs);
          return writes;
        });
  } catch (const std::exception& e) {
    ++failures_;
    spdlog::error("engine batch rolled back: {}", e.what());
    return 0;
  }
  if (claimed > 0) {
    steps_ += claimed;
    ++batches_;
  }
  for (auto& job : jobs) http_->submit(std::move(job));
  return claimed;
}

std::size_t Scheduler::drain(bool wait_for_http) {
  std::size_t total = 0;
  while (true) {
    std::size_t n = 0;
    while ((n = run_batch(clock_.now())) > 0) total += n;
    if (!wait_for_http || http_->in_flight() == 0) return total;
    while (http_->in_flight() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void Scheduler::loop() {
  spdlog::info("engine started (batch size {})", options_.batch_size);
  while (running_) {
    const util::Millis now = clock_.now();
    if (run_batch(now) >= options_.batch_size) continue;  // more may be due right away
    // Sleep until the next lead is due (in real time), but never longer than idle_poll so
    // new enrolments, activations and graph edits are picked up promptly.
    auto sleep = options_.idle_poll;
    try {
      if (auto next = store_.next_due_at(); next && clock_.rate() > 0) {
        const auto real = std::chrono::milliseconds(
            static_cast<std::int64_t>(static_cast<double>(*next - now) / clock_.rate()));
        sleep = std::clamp(real, std::chrono::milliseconds(0), options_.idle_poll);
      }
    } catch (const std::exception& e) {
      spdlog::warn("engine could not read the next due time: {}", e.what());
    }
    if (sleep.count() == 0) continue;
    std::unique_lock lock(wake_mutex_);
    wake_.wait_for(lock, sleep, [this] { return !running_; });
  }
  spdlog::info("engine stopped");
}

}  // namespace leadline::engine
