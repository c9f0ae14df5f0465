#include "app/freed_memory.h"

#if LEADLINE_TCMALLOC
#include <gperftools/malloc_extension_c.h>
#else
#include <malloc.h>
#endif

namespace leadline::app {

void FreedMemoryReleaser::start() {
  std::lock_guard lock(mutex_);
  if (running_) return;
  running_ = true;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return !running_; })) {
      lock.unlock();
#if LEADLINE_TCMALLOC
      MallocExtension_ReleaseFreeMemory();  // tcmalloc's free page spans
#else
      malloc_trim(0);  // walks every arena, each under its own lock, briefly
#endif
      lock.lock();
    }
  });
}

void FreedMemoryReleaser::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    running_ = false;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace leadline::app
