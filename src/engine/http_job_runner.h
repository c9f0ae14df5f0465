#pragma once
// Runs the HTTP requests of WEBHOOK nodes and http.request actions on a few threads, off the
// scheduler's transaction, and records each answer through the store.
#include <atomic>
#include <boost/asio/thread_pool.hpp>

#include "engine/executor.h"
#include "store/store.h"
#include "util/clock.h"

namespace leadline::engine {

class HttpJobRunner {
 public:
  HttpJobRunner(store::Store& store, const util::Clock& clock, bool allow_private_targets,
                unsigned threads = 8);
  ~HttpJobRunner();

  void submit(HttpJob job);
  // Jobs submitted and not yet recorded.
  std::size_t in_flight() const { return in_flight_.load(); }
  // Jobs whose answer has been recorded (or given up on) since the start.
  std::uint64_t finished() const { return finished_.load(); }

 private:
  store::Store& store_;
  const util::Clock& clock_;
  bool allow_private_targets_;
  boost::asio::thread_pool pool_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<std::uint64_t> finished_{0};
};

}  // namespace leadline::engine
