#include "engine/call_dispatcher.h"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <limits>
#include <unordered_map>

#include "engine/isolating_write.h"
#include "util/utf8.h"

namespace leadline::engine {
namespace {
// A workflow's max_concurrent_calls setting (validated by the API: a positive integer).
std::optional<std::int64_t> workflow_call_cap(const Json& settings) {
  auto it = settings.find("max_concurrent_calls");
  if (it == settings.end() || !it->is_number_integer() || it->get<std::int64_t>() < 1)
    return std::nullopt;
  return it->get<std::int64_t>();
}
}  // namespace

struct CallDispatcher::Shared {
  explicit Shared(unsigned threads) : pool(threads) {}
  boost::asio::thread_pool pool;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<store::DispatchResult> results;  // answered, not yet recorded
  std::size_t in_flight = 0;                   // handed to a sender, not yet answered
  std::atomic<std::uint64_t> placed{0}, retried{0}, failed{0}, cancelled{0};
};

CallDispatcher::CallDispatcher(store::CallOutbox& store, const util::Clock& clock,
                               DispatcherOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      provider_(options_.provider),
      shared_(std::make_unique<Shared>(std::max(1u, options_.senders))) {}

CallDispatcher::~CallDispatcher() {
  stop();
  shared_->pool.join();
  flush_results();
}

void CallDispatcher::start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { loop(); });
}

void CallDispatcher::stop() {
  if (!running_.exchange(false)) return;
  shared_->changed.notify_all();
  if (thread_.joinable()) thread_.join();
}

DispatcherStats CallDispatcher::stats() const {
  return {shared_->placed.load(), shared_->retried.load(), shared_->failed.load(),
          shared_->cancelled.load()};
}

util::Millis CallDispatcher::backoff(const DispatcherOptions& options, int attempts) {
  util::Millis wait = options.first_retry_millis;
  for (int i = 1; i < attempts && wait < options.max_retry_millis; ++i) wait *= 2;
  return std::min(wait, options.max_retry_millis);
}

store::DispatchChoice CallDispatcher::choose(const store::DispatchSlate& slate) const {
  store::DispatchChoice choice;
  std::int64_t room = options_.max_concurrent > 0 ? options_.max_concurrent - slate.in_flight()
                                                  : std::numeric_limits<std::int64_t>::max();
  std::unordered_map<std::string, std::int64_t> in_flight;  // of capped workflows, as we go
  for (const auto& queued : slate.due) {
    const auto& call = queued.call;
    if (queued.lead_terminal) {
      choice.cancel.push_back(call.id);
      continue;
    }
    if (room <= 0) continue;
    auto settings = slate.settings_by_workflow.find(call.workflow_id);
    const auto cap = settings == slate.settings_by_workflow.end()
                         ? std::nullopt
                         : workflow_call_cap(settings->second);
    if (cap) {
      auto [running, first] = in_flight.try_emplace(call.workflow_id, 0);
      if (first) running->second = slate.in_flight_of(call.workflow_id);
      if (running->second >= *cap) continue;
      ++running->second;
    }
    choice.send.push_back(call.id);
    --room;
  }
  return choice;
}

std::size_t CallDispatcher::claim_and_send(std::size_t limit) {
  auto claimed = store_.claim_calls(clock_.now(), limit, options_.lease_millis,
                                    [this](const store::DispatchSlate& slate) {
                                      auto choice = choose(slate);
                                      shared_->cancelled += choice.cancel.size();
                                      return choice;
                                    });
  {
    std::lock_guard lock(shared_->mutex);
    shared_->in_flight += claimed.size();
  }
  for (auto& queued : claimed) {
    boost::asio::post(shared_->pool, [this, queued = std::move(queued)] {
      const auto answer = provider_.place(queued.call, queued.variables);
      store::DispatchResult result;
      result.call_id = queued.call.id;
      result.error = answer.error;
      switch (answer.kind) {
        case providers::PlaceCallAnswer::kPlaced:
          result.kind = store::DispatchResult::kPlaced;
          result.provider_call_id = answer.provider_call_id;
          break;
        case providers::PlaceCallAnswer::kRejected:
          result.kind = store::DispatchResult::kFailed;
          result.end_reason = "provider_rejected";
          break;
        case providers::PlaceCallAnswer::kRetry:
          if (queued.call.dispatch_attempts >= options_.max_attempts) {
            result.kind = store::DispatchResult::kFailed;
            result.end_reason = "provider_unavailable";
            result.error = "gave up after " + std::to_string(queued.call.dispatch_attempts) +
                           " attempts; last: " + answer.error;
          } else {
            result.kind = store::DispatchResult::kRetry;
            result.retry_at =
                clock_.now() + backoff(options_, std::max(1, queued.call.dispatch_attempts));
          }
          break;
      }
      {
        std::lock_guard lock(shared_->mutex);
        shared_->results.push_back(std::move(result));
        --shared_->in_flight;
      }
      shared_->changed.notify_all();
    });
  }
  return claimed.size();
}

void CallDispatcher::flush_results() {
  std::vector<store::DispatchResult> batch;
  {
    std::lock_guard lock(shared_->mutex);
    batch.swap(shared_->results);
  }
  if (batch.empty()) return;
  const auto now = clock_.now();
  const bool recorded = write_isolating(
      batch, [&](const auto& some) { store_.record_dispatch_results(some, now); },
      [](store::DispatchResult result, const std::string& error) {
        // A placed call stays placed (only the provider's id is dropped), so its report still
        // finds it and the lead is never called again; the others are told why.
        result.provider_call_id.reset();
        result.error = "the dispatch result could not be recorded: " +
                       util::to_valid_utf8(error.substr(0, 200));
        return result;
      },
      "call dispatch results");
  // Not recorded: the calls stay claimed until their lease runs out, then go again with the
  // same key.
  if (!recorded) return;
  for (const auto& result : batch) {
    switch (result.kind) {
      case store::DispatchResult::kPlaced:
        ++shared_->placed;
        break;
      case store::DispatchResult::kRetry:
        ++shared_->retried;
        spdlog::warn("call {}: provider did not take it ({}); trying again", result.call_id,
                     result.error);
        break;
      case store::DispatchResult::kFailed:
        ++shared_->failed;
        spdlog::warn("call {} failed at the provider: {}", result.call_id, result.error);
        break;
    }
  }
}

std::size_t CallDispatcher::drain() {
  std::size_t total = 0;
  while (true) {
    const std::size_t sent = claim_and_send(std::max(1u, options_.senders) * 4);
    {
      std::unique_lock lock(shared_->mutex);
      shared_->changed.wait(lock, [this] { return shared_->in_flight == 0; });
    }
    flush_results();
    total += sent;
    if (sent == 0) return total;
  }
}

void CallDispatcher::loop() {
  spdlog::info("call dispatcher started ({} senders, provider cap {})", options_.senders,
               options_.max_concurrent);
  // Enough queued work to keep every sender busy while the next claim runs.
  const std::size_t window = std::max(1u, options_.senders) * 32;
  while (running_) {
    flush_results();
    std::size_t room = 0;
    {
      std::lock_guard lock(shared_->mutex);
      room = shared_->in_flight < window ? window - shared_->in_flight : 0;
    }
    std::size_t sent = 0;
    if (room >= window / 2) {
      try {
        sent = claim_and_send(room);
      } catch (const std::exception& e) {
        spdlog::error("call dispatcher could not claim calls: {}", e.what());
      }
    }
    std::unique_lock lock(shared_->mutex);
    if (sent == 0 && shared_->in_flight == 0) {
      // Nothing to send (or the caps are reached): look again shortly.
      shared_->changed.wait_for(lock, options_.idle_poll, [this] { return !running_; });
    } else {
      // Let answers gather so they are recorded in batches, and claim again when half the
      // senders' window is free.
      shared_->changed.wait_for(lock, options_.idle_poll, [this, window] {
        return !running_ || shared_->in_flight < window / 2;
      });
    }
  }
  spdlog::info("call dispatcher stopped");
}

}  // namespace leadline::engine
