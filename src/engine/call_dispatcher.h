#pragma once
// Sends queued calls to the external call provider (spec §6.1), the outbox side of placing a
// call: the engine inserts a call `queued` in the transaction that moves its lead; this claims
// due queued calls within the provider-wide cap (--provider-max-concurrent) and each
// workflow's max_concurrent_calls, POSTs them from a pool of sender threads, and records the
// answers in batches. 5xx, timeouts and connection errors are retried with exponential
// backoff and the same Idempotency-Key; a 4xx ends the call FAILED with the provider's
// message. A claim is a lease: if this process dies mid-send the call is sent again (same
// key) once the lease runs out. Never blocks the engine: its own threads, short transactions.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "providers/call_provider.h"
#include "store/store.h"
#include "util/clock.h"

namespace leadline::engine {

struct DispatcherOptions {
  providers::CallProviderConfig provider;
  std::int64_t max_concurrent = 100;  // calls in flight at the provider; 0 = no cap
  unsigned senders = 16;              // requests to the provider at once
  int max_attempts = 10;              // then the call ends FAILED (provider_unavailable)
  util::Millis first_retry_millis = 1'000;
  util::Millis max_retry_millis = 5 * 60'000;
  util::Millis lease_millis = 2 * 60'000;
  std::chrono::milliseconds idle_poll{20};
};

struct DispatcherStats {
  std::uint64_t placed = 0;
  std::uint64_t retried = 0;
  std::uint64_t failed = 0;     // refused by the provider or out of attempts
  std::uint64_t cancelled = 0;  // their lead ended before they were sent
};

class CallDispatcher {
 public:
  CallDispatcher(store::CallOutbox& store, const util::Clock& clock, DispatcherOptions options);
  ~CallDispatcher();

  void start();
  void stop();
  // Sends every call due at the clock's current time and records the answers (tests on a
  // manual clock); answers the number of requests sent.
  std::size_t drain();
  DispatcherStats stats() const;

  // When attempt `attempts` (1-based) failed, the next one waits this long.
  static util::Millis backoff(const DispatcherOptions& options, int attempts);

 private:
  struct Shared;
  void loop();
  // Claims up to `limit` calls and hands them to the senders; answers how many.
  std::size_t claim_and_send(std::size_t limit);
  void flush_results();
  store::DispatchChoice choose(const store::DispatchSlate& slate) const;

  store::CallOutbox& store_;
  const util::Clock& clock_;
  DispatcherOptions options_;
  providers::HttpCallProvider provider_;
  std::unique_ptr<Shared> shared_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace leadline::engine
