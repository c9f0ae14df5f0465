#include "util/ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>
#include <thread>

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

}  // namespace
}  // namespace leadline::util
