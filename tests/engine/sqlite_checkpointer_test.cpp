// The SQLite store's write-ahead log is copied into the database file by a thread of its own,
// not inside the engine's commits; a writer that outruns that thread checkpoints itself, so
// the log stays bounded. Real database files, real threads.
#include "store/sqlite/sqlite_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "store/sqlite/sqlite_driver.h"
#include "support/temp_dir.h"

namespace leadline::test {
namespace {
using store::sqlite::Checkpointer;
namespace fs = std::filesystem;

// Commits `commits` transactions of ten 3,000-byte rows each (about ten pages of log apiece).
void write_rows(store::sqlite::Connection& conn, int commits) {
  conn.exec_script("CREATE TABLE IF NOT EXISTS t (x BLOB)");
  for (int i = 0; i < commits; ++i)
    conn.exec_script(
        "INSERT INTO t SELECT randomblob(3000) FROM (VALUES (1), (2), (3), (4), (5), (6), (7), "
        "(8), (9), (10))");
}

bool wait_for(const std::function<bool()>& done) {
  for (int i = 0; i < 1000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

TEST(SqliteCheckpointer, CopiesTheLogIntoTheDatabaseOnItsOwnThread) {
  TempDir dir;
  const std::string path = (dir.path() / "db.sqlite").string();
  auto checkpointer = std::make_shared<Checkpointer>(path, Checkpointer::Limits{50, 1'000'000});
  store::sqlite::Connection conn(path, checkpointer);
  write_rows(conn, 10);

  ASSERT_TRUE(wait_for([&] { return checkpointer->background_checkpoints() > 0; }));
  EXPECT_EQ(checkpointer->inline_checkpoints(), 0u);
  // The connection is still open (closing would checkpoint): the rows of the first 50 frames
  // or so (ten rows a commit, a row to a page) reached the file through the thread.
  ASSERT_TRUE(wait_for([&] { return fs::file_size(path) >= 40 * 3000; }))
      << fs::file_size(path) << " bytes in the database file";
}

TEST(SqliteCheckpointer, AWriterThatOutrunsItCheckpointsItselfAndTheLogStaysBounded) {
  TempDir dir;
  const std::string path = (dir.path() / "db.sqlite").string();
  // The thread is never woken: only the writer's own checkpoints hold the log.
  auto checkpointer = std::make_shared<Checkpointer>(path, Checkpointer::Limits{1'000'000, 100});
  store::sqlite::Connection conn(path, checkpointer);
  write_rows(conn, 200);

  EXPECT_EQ(checkpointer->background_checkpoints(), 0u);
  EXPECT_GT(checkpointer->inline_checkpoints(), 0u);
  EXPECT_GE(fs::file_size(path), 1900u * 3000u);
  // A checkpointed log is written again from its start: it never holds much more than
  // max_frames pages (4 KB each, with a 24-byte frame header) and one commit's.
  EXPECT_LE(fs::file_size(path + "-wal"), 130u * (4096u + 24u) + 32u);
}

}  // namespace
}  // namespace leadline::test
