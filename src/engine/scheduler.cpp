#include "engine/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "domain/call_policy.h"
#include "engine/http_job_runner.h"

namespace leadline::engine {
namespace {

// The leads of a batch whose steps count earlier calls (DueLead::contacts_read), by number and
// organization: a call one step places is added to the contacts of the batch's leads with its
// number (found in one look-up, not by scanning the batch's calls per lead), so the caps of
// those that step after it count it; those that stepped before no longer read them.
class CallsToNumbers {
 public:
  explicit CallsToNumbers(std::vector<store::DueLead>& batch) {
    for (auto& due : batch)
      if (due.contacts_read) leads_[key(due.lead.phone_number, due.lead.org_id)].push_back(&due);
  }

  void placed(const domain::Call& call) {
    if (leads_.empty()) return;
    const auto it = leads_.find(key(call.to_phone_number, call.org_id));
    if (it == leads_.end()) return;
    for (store::DueLead* due : it->second) due->contacts.push_back(call.created_at);
  }

 private:
  static std::string key(std::string_view phone, std::string_view org) {
    std::string k;
    k.reserve(phone.size() + org.size() + 1);
    return k.append(phone).append(1, '\n').append(org);
  }
  std::unordered_map<std::string, std::vector<store::DueLead*>> leads_;
};

}  // namespace

Scheduler::Scheduler(store::ExecutionStore& execution, store::DefinitionStore& definitions,
                     const util::Clock& clock, SchedulerOptions options)
    : store_(execution),
      definitions_(definitions),
      clock_(clock),
      options_(std::move(options)),
      simulator_(options_.simulator),
      executor_(simulator_, options_.placement),
      http_(std::make_unique<HttpJobRunner>(execution, clock, options_.allow_private_targets)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(options_.lanes, 1); ++i)
    lanes_.push_back(std::make_unique<Lane>());
}

Scheduler::~Scheduler() {
  stop();
  http_.reset();  // joins HTTP jobs before the store goes away
}

void Scheduler::start() {
  if (running_.exchange(true)) return;
  for (auto& lane : lanes_) lane->thread = std::thread([this, &lane = *lane] { loop(lane); });
}

void Scheduler::stop() {
  if (!running_.exchange(false)) return;
  wake_.notify_all();
  for (auto& lane : lanes_)
    if (lane->thread.joinable()) lane->thread.join();
}

SchedulerStats Scheduler::stats() const {
  return {steps_.load(), batches_.load(), failures_.load(), database_errors_.load(),
          count_fold_errors_.load()};
}

const CompiledWorkflow& Scheduler::workflow_for(Lane& lane, const store::DueLead& due) {
  auto& cached = lane.graphs[due.lead.workflow_id];
  if (!cached || cached->version != due.workflow_version) {
    auto workflow = definitions_.find_workflow(due.lead.org_id, due.lead.workflow_id);
    cached = std::make_shared<const CompiledWorkflow>(
        due.lead.workflow_id, due.workflow_version, definitions_.load_graph(due.lead.workflow_id),
        workflow ? workflow->settings : Json::object());
  }
  return *cached;
}

std::size_t Scheduler::run_batch(util::Millis now) { return run_batch(*lanes_.front(), now); }

std::size_t Scheduler::run_batch(Lane& lane, util::Millis now) {
  Isolation& alone = lane.alone;
  std::vector<HttpJob> jobs;
  std::size_t claimed = 0;
  // After a batch could not be written, leads go one per transaction until the one whose
  // writes fail is found; it then fails alone and the others carry on.
  const std::size_t limit = alone.remaining > 0 ? 1 : options_.batch_size;
  std::string single_lead;
  std::vector<util::Millis> lateness;  // observed only once the batch commits
  const auto started = std::chrono::steady_clock::now();
  try {
    claimed = store_.run_due_steps(
        now, limit,
        [&](std::vector<store::DueLead>& batch) {
          store::StepWrites writes;
          writes.leads.reserve(batch.size());
          jobs.clear();
          single_lead = batch.size() == 1 ? batch.front().lead.id : std::string();
          lateness.clear();
          for (const auto& due : batch)
            if (due.lead.next_action_at) lateness.push_back(now - *due.lead.next_action_at);
          CallsToNumbers calls_to_numbers(batch);
          for (auto& due : batch) {
            const auto& workflow = workflow_for(lane, due);
            if (due.lead.id == alone.poisoned_lead) {
              Executor::fail_lead(due, workflow, due.lead.current_node_id, now,
                                  "its step could not be saved: " + alone.poison_reason, writes);
            } else {
              const std::size_t placed = writes.new_calls.size();
              executor_.step(due, workflow, now, writes, jobs);
              for (std::size_t i = placed; i < writes.new_calls.size(); ++i)
                calls_to_numbers.placed(writes.new_calls[i]);
            }
          }
          return writes;
        },
        [&](const store::DueLead& due) {
          // The calls its step may count: within the longest contact cap on its number, if
          // the step may place a call at all.
          const CompiledWorkflow& workflow = workflow_for(lane, due);
          if (!workflow.may_place_call(due.lead)) return util::Millis{0};
          return domain::longest_cap_window(domain::applicable_contact_caps(
              workflow.settings, due.organization_settings(), due.lead.phone_number));
        });
  } catch (const std::exception& e) {
    ++failures_;
    if (dynamic_cast<const store::StoreError*>(&e) != nullptr) ++database_errors_;
    note_failed_batch(lane, limit, single_lead, e.what());
    return 0;
  }
  if (claimed > 0) {
    steps_ += claimed;
    ++batches_;
    batch_duration_.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    for (const auto late : lateness) lateness_.observe(static_cast<double>(late) / 1000.0);
    if (alone.remaining > 0) --alone.remaining;
    if (!single_lead.empty() && single_lead == alone.poisoned_lead) {
      alone.poisoned_lead.clear();  // failed and saved: back to whole batches
      alone.remaining = 0;
    }
    alone.failed_lead.clear();
    alone.last_error.clear();
    fold_counts_now_and_then();
  }
  for (auto& job : jobs) http_->submit(std::move(job));
  return claimed;
}

void Scheduler::fold_counts_now_and_then() {
  // Every few hundred committed batches: seconds apart when busy, never when idle (nothing
  // to fold then).
  constexpr std::uint64_t kBatchesPerFold = 256;
  if (++batches_since_fold_ % kBatchesPerFold != 0) return;
  std::lock_guard lock(fold_mutex_);
  try {
    store_.fold_counts();
    last_fold_error_.clear();
  } catch (const std::exception& e) {
    ++count_fold_errors_;
    if (e.what() != last_fold_error_)
      spdlog::warn("graph counts could not be folded (tried again later): {}", e.what());
    last_fold_error_ = e.what();
  }
}

void Scheduler::note_failed_batch(Lane& lane, std::size_t limit, const std::string& single_lead,
                                  const std::string& error) {
  Isolation& alone = lane.alone;
  // Logged once per distinct error, not once per retry.
  if (error != alone.last_error) {
    spdlog::error("engine batch of up to {} leads rolled back: {}", limit, error);
    alone.last_error = error;
  }
  if (limit > 1) {
    alone.remaining = limit;
    return;
  }
  if (single_lead.empty() || single_lead == alone.poisoned_lead) return;
  // The same lead failing alone twice in a row, its step run again in between, is the cause;
  // once is not enough (the database may have been briefly unavailable).
  if (single_lead == alone.failed_lead) {
    alone.poisoned_lead = single_lead;
    alone.poison_reason = error;
    spdlog::error("lead {} fails: its step could not be saved: {}", single_lead, error);
  }
  alone.failed_lead = single_lead;
}

std::size_t Scheduler::drain(bool wait_for_http) {
  std::size_t total = 0;
  while (true) {
    // An answer recorded while a batch was claiming may have been missed by it (PostgreSQL's
    // snapshot): any job that finished since this round began means one more round.
    const auto finished_before = http_->finished();
    total += drain_lanes();
    if (!wait_for_http) return total;
    if (http_->in_flight() == 0 && http_->finished() == finished_before) return total;
    while (http_->in_flight() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

std::size_t Scheduler::drain_lanes() {
  std::vector<std::size_t> stepped(lanes_.size(), 0);
  std::vector<std::thread> helpers;
  for (std::size_t i = 1; i < lanes_.size(); ++i)
    helpers.emplace_back([&, i] { stepped[i] = drain_lane(*lanes_[i]); });
  stepped[0] = drain_lane(*lanes_[0]);
  for (auto& helper : helpers) helper.join();
  std::size_t total = 0;
  for (const auto n : stepped) total += n;
  return total;
}

std::size_t Scheduler::drain_lane(Lane& lane) {
  // A failed batch is followed by one-lead batches that find the lead at fault (a few
  // rounds); more failures than that in a row mean the store itself is failing.
  constexpr int kFailuresInARow = 5;
  std::size_t total = 0;
  int failures_in_a_row = 0;
  while (true) {
    const auto failures_before = failures_.load();
    const std::size_t n = run_batch(lane, clock_.now());
    total += n;
    if (n > 0) {
      failures_in_a_row = 0;
    } else if (failures_.load() == failures_before || ++failures_in_a_row >= kFailuresInARow) {
      return total;
    }
  }
}

void Scheduler::loop(Lane& lane) {
  if (&lane == lanes_.front().get())
    spdlog::info("engine started (batch size {}, {} lane{})", options_.batch_size, lanes_.size(),
                 lanes_.size() == 1 ? "" : "s");
  while (running_) {
    const util::Millis now = clock_.now();
    const std::size_t claimed = run_batch(lane, now);
    if (claimed >= options_.batch_size) continue;  // more may be due right away
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
    if (!lane.alone.last_error.empty()) sleep = std::max(sleep, options_.idle_poll);  // no hot loop
    // Due now, yet nothing claimed: other lanes (or processes) hold those leads. Ask again in
    // a moment rather than at once, over and over, while their batches run.
    if (claimed == 0 && sleep.count() == 0)
      sleep = std::min(options_.idle_poll, std::chrono::milliseconds(10));
    if (sleep.count() == 0) continue;
    std::unique_lock lock(wake_mutex_);
    wake_.wait_for(lock, sleep, [this] { return !running_; });
  }
  if (&lane == lanes_.front().get()) spdlog::info("engine stopped");
}

}  // namespace leadline::engine
