#include "store/sqlite/sqlite_checkpointer.h"

#include <utility>

namespace leadline::store::sqlite {

Checkpointer::Checkpointer(std::string path, Limits limits)
    : path_(std::move(path)), limits_(limits), thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::attach(sqlite3* db) { sqlite3_wal_hook(db, &Checkpointer::on_commit, this); }

int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int frames) {
  auto& checkpointer = *static_cast<Checkpointer*>(self);
  int copied = checkpointer.copied_frames_;
  if (frames < copied) {  // the log restarted from its beginning
    checkpointer.copied_frames_ = 0;
    copied = 0;
  }
  if (frames >= checkpointer.limits_.max_frames) {
    // PASSIVE: if the thread is checkpointing now, this answers busy at once and the commit
    // goes on; the next commit tries again.
    if (sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
        SQLITE_OK)
      ++checkpointer.inline_;
  } else if (frames - copied >= checkpointer.limits_.start_frames) {
    {
      std::lock_guard lock(checkpointer.mutex_);
      checkpointer.pending_ = true;
    }
    checkpointer.wake_.notify_one();
  }
  return SQLITE_OK;  // a failed checkpoint is not the commit's failure: the next one retries
}

void Checkpointer::run() {
  sqlite3* db = nullptr;  // opened at the first checkpoint: the store creates the file
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return pending_ || stopping_; });
      if (stopping_) break;
      pending_ = false;
    }
    if (!db) {
      if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                          nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        db = nullptr;
        continue;  // the writers' own checkpoints past max_frames keep the log bounded
      }
      sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);  // as the writers
    }
    int log = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) ==
        SQLITE_OK) {
      copied_frames_ = copied;
      ++background_;
    }
  }
  sqlite3_close(db);
}

}  // namespace leadline::store::sqlite
