#include "util/ids.h"

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace leadline::util {
namespace {
constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
}  // namespace

std::string random_base62(size_t length) {
  std::string out;
  out.reserve(length);
  std::vector<unsigned char> bytes(length * 2);
  while (out.size() < length) {
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
      throw std::runtime_error("RAND_bytes failed");
    for (unsigned char b : bytes) {
      if (b >= 248) continue;  // 248 = 62 * 4: reject to keep the draw uniform
      out.push_back(kAlphabet[b % 62]);
      if (out.size() == length) break;
    }
  }
  return out;
}

namespace {
constexpr size_t kTimeChars = 6;
constexpr size_t kRandomChars = 8;

// "prefix_" and 6 characters of time in steps of 8 ms since 2024 (in order until 2038, then
// around again), so ids made close in time sort close together and index inserts land on
// the same pages.
std::string time_prefix(std::string_view prefix) {
  constexpr std::int64_t kEpochMillis = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
  constexpr std::int64_t kSteps = 56'800'235'584;           // 62^6
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::int64_t step = ((millis - kEpochMillis) / 8) % kSteps;
  if (step < 0) step += kSteps;
  std::string id(prefix);
  id.push_back('_');
  char time[kTimeChars];
  for (size_t i = kTimeChars; i-- > 0;) {
    time[i] = kAlphabet[static_cast<size_t>(step % 62)];
    step /= 62;
  }
  id.append(time, kTimeChars);
  return id;
}
}  // namespace

std::string new_id(std::string_view prefix) {
  return time_prefix(prefix) + random_base62(kRandomChars);
}

std::vector<std::string> new_ids(std::string_view prefix, size_t count) {
  const std::string head = time_prefix(prefix);
  const std::string random = random_base62(kRandomChars * count);
  std::vector<std::string> ids(count);
  for (size_t i = 0; i < count; ++i) {
    ids[i].reserve(head.size() + kRandomChars);
    ids[i].append(head).append(random, i * kRandomChars, kRandomChars);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace leadline::util
