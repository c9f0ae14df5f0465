#pragma once
// Hands memory the process has freed back to the kernel every few seconds. glibc's malloc
// keeps freed blocks in its per-thread arenas for reuse and returns only the free space at
// the very top of each; as SQLite's page caches and the requests' buffers churn through
// many threads' arenas, the free space ends up scattered and the heap only grows (a soak
// went 75 -> 230 MB with SQLite itself holding under 70 MB; malloc_trim took it to 43 MB).
// malloc_trim(0) releases the free pages inside every arena too. With tcmalloc (the build's
// allocator, except under the sanitizers) its free page spans go back instead: tcmalloc returns
// them only gradually by itself.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace leadline::app {

class FreedMemoryReleaser {
 public:
  explicit FreedMemoryReleaser(std::chrono::milliseconds every) : every_(every) {}
  ~FreedMemoryReleaser() { stop(); }
  FreedMemoryReleaser(const FreedMemoryReleaser&) = delete;
  FreedMemoryReleaser& operator=(const FreedMemoryReleaser&) = delete;

  void start();
  void stop();

 private:
  std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool running_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace leadline::app
