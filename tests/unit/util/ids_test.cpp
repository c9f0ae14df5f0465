#include "util/ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace leadline::util {
namespace {

TEST(Ids, KeepTheirFormatPrefixAndFourteenBase62Characters) {
  const std::regex format("call_[0-9A-Za-z]{14}");
  EXPECT_TRUE(std::regex_match(new_id("call"), format));
  for (const auto& id : new_ids("call", 50)) EXPECT_TRUE(std::regex_match(id, format)) << id;
}

TEST(Ids, IdsMadeLaterSortAfterEarlierOnesAndRandomPartsDiffer) {
  const std::string first = new_id("wlead");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // more than one 8 ms step
  const std::string second = new_id("wlead");
  EXPECT_LT(first, second);
  EXPECT_NE(first.substr(6 + 6), second.substr(6 + 6));
}

TEST(Ids, ABatchIsSortedDistinctAndSharesItsTimePart) {
  const auto ids = new_ids("wlead", 10'000);
  ASSERT_EQ(ids.size(), 10'000u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  for (const auto& id : ids) EXPECT_EQ(id.substr(0, 12), ids.front().substr(0, 12));
}

// Ids come from a per-thread pool of random bytes: the ids of one thread, and of threads side
// by side, never repeat, including across the pool's refills.
TEST(Ids, IdsOfSeveralThreadsAndManyPoolsAreDistinct) {
  constexpr int kPerThread = 5'000;  // 8 random characters each: several 4 KB pools
  std::vector<std::vector<std::string>> made(3);
  std::vector<std::thread> threads;
  for (auto& ids : made)
    threads.emplace_back([&ids] {
      for (int i = 0; i < kPerThread; ++i) ids.push_back(new_id("call"));
    });
  for (auto& t : threads) t.join();
  std::set<std::string> distinct;
  for (const auto& ids : made) distinct.insert(ids.begin(), ids.end());
  EXPECT_EQ(distinct.size(), made.size() * kPerThread);
}

// A forked child (bench_engine --processes, a server that forks) does not draw the ids its
// parent draws from the copy of the pool it inherits.
TEST(Ids, AForkedChildDoesNotRepeatItsParentsIds) {
  (void)new_id("call");  // the pool is filled before the fork
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string id = new_id("call");
    const bool written = write(pipe_fds[1], id.data(), id.size()) == ssize_t(id.size());
    _exit(written ? 0 : 1);
  }
  const std::string parent_id = new_id("call");
  std::string child_id(parent_id.size(), '\0');
  ASSERT_EQ(read(pipe_fds[0], child_id.data(), child_id.size()), ssize_t(child_id.size()));
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  EXPECT_EQ(status, 0);
  EXPECT_NE(child_id.substr(5 + 6), parent_id.substr(5 + 6));
}

}  // namespace
}  // namespace leadline::util
