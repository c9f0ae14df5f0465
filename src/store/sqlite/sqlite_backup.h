#pragma once
// A consistent copy of a live SQLite database with SQLite's online backup API, made while a
// server keeps writing to it.
#include <cstdint>
#include <functional>
#include <string>

namespace leadline::store::sqlite {

struct BackupResult {
  std::int64_t pages = 0;  // pages copied
  int steps = 0;           // backup steps taken
};

// Copies the database at `source_path` into `target_path` (which must not exist: the caller
// decides about overwriting). The copy is written beside the target and renamed into place
// once complete and found intact, so a failed or interrupted backup leaves no half file.
// `progress(remaining, total)` is called after every step. Throws StoreError.
BackupResult backup_database(const std::string& source_path, const std::string& target_path,
                             const std::function<void(int, int)>& progress = {});

}  // namespace leadline::store::sqlite
