#pragma once
// Runs the HTTP requests of WEBHOOK nodes and http.request actions on a few threads, off the
// scheduler's transaction, and records each answer through the store. One organization's
// jobs use at most half of the threads at a time (the rest of them wait in its own queue),
// so one tenant's slow targets cannot hold up every other tenant's requests.
#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include <boost/asio/thread_pool.hpp>

#include "engine/executor.h"
#include "store/store.h"
#include "util/clock.h"

namespace leadline::engine {

class HttpJobRunner {
 public:
  HttpJobRunner(store::ExecutionStore& store, const util::Clock& clock, bool allow_private_targets,
                unsigned threads = 8);
  ~HttpJobRunner();

  void submit(HttpJob job);
  // Jobs submitted and not yet recorded.
  std::size_t in_flight() const { return in_flight_.load(); }
  // Jobs whose answer has been recorded (or given up on) since the start.
  std::uint64_t finished() const { return finished_.load(); }

 private:
  void start(HttpJob job);  // on the pool; `mutex_` held
  void run(const HttpJob& job);
  void finish(const std::string& org_id);

  // One organization's share of the threads.
  struct OrgQueue {
    std::size_t running = 0;
    std::deque<HttpJob> waiting;
  };

  store::ExecutionStore& store_;
  const util::Clock& clock_;
  bool allow_private_targets_;
  const std::size_t per_org_threads_;
  std::mutex mutex_;  // guards orgs_
  std::unordered_map<std::string, OrgQueue> orgs_;
  boost::asio::thread_pool pool_;  // last: joined first, while the rest still exists
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<std::uint64_t> finished_{0};
};

}  // namespace leadline::engine
