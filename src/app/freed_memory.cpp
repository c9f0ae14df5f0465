#include "app/freed_memory.h"

#include <malloc.h>

namespace leadline::app {

void FreedMemoryReleaser::start() {
  std::lock_guard lock(mutex_);
  if (running_) return;
  running_ = true;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return !running_; })) {
      lock.unlock();
      malloc_trim(0);  // walks every arena, each under its own lock, briefly
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
