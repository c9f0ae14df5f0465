#pragma once
// Copies SQLite's write-ahead log into the database file on a thread of its own. SQLite's
// automatic checkpoint runs inside the commit that crosses its threshold, on the committing
// thread: the engine's batch then waits for a copy of thousands of pages and two fsyncs.
//
// Every connection of the store reports the log's length after each of its commits (the WAL
// hook). Once `start_frames` frames were added since the last checkpoint, the checkpointer's
// thread wakes and runs a PASSIVE checkpoint on a connection of its own, while the writer and
// the readers go on. The log restarts from its beginning only at a commit that finds it all
// copied, which a busy writer rarely does: a log past `max_frames` is checkpointed by the
// committing writer itself, as SQLite would (little is left to copy by then), so the log
// stays bounded. Waking the thread on frames added, not on the log's length, keeps each
// checkpoint as large as SQLite's own: a page that many commits rewrite is copied once per
// start_frames, not once per commit.
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace leadline::store::sqlite {

class Checkpointer {
 public:
  struct Limits {
    int start_frames = 8000;  // 32 MB of 4 KB pages: a checkpoint every few engine batches
    int max_frames = 32000;   // 128 MB
  };
  Checkpointer(std::string path, Limits limits);
  ~Checkpointer();  // stops the thread; a checkpoint under way finishes first
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Reports `db`'s commits to this checkpointer (in place of SQLite's automatic checkpoint).
  // The checkpointer must outlive the connection.
  void attach(sqlite3* db);

  // Checkpoints run by the thread, and by writers that outran it (for tests and benchmarks).
  std::uint64_t background_checkpoints() const { return background_; }
  std::uint64_t inline_checkpoints() const { return inline_; }

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames);
  void run();

  const std::string path_;
  const Limits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stopping_ = false;
  std::atomic<int> copied_frames_{0};  // the log's frames copied by the thread's last checkpoint
  std::atomic<std::uint64_t> background_{0}, inline_{0};
  std::thread thread_;
};

}  // namespace leadline::store::sqlite
