#include "util/ids.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace leadline::util {
namespace {
constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Appends `length` base62 characters drawn from `next_byte`, uniformly (a byte of 248 or more,
// 62 * 4, is rejected).
template <typename NextByte>
void append_base62(std::string& out, size_t length, NextByte next_byte) {
  for (size_t added = 0; added < length;) {
    const unsigned char b = next_byte();
    if (b >= 248) continue;
    out.push_back(kAlphabet[b % 62]);
    ++added;
  }
}

// Bumped in a forked child: its thread's pool of random bytes is a copy of its parent's, and
// drawing ids from it would repeat the ids the parent draws.
std::atomic<unsigned> g_fork_generation{0};
[[maybe_unused]] const int g_at_fork =
    pthread_atfork(nullptr, nullptr, [] { g_fork_generation.fetch_add(1); });

// Random bytes for ids, drawn from RAND_bytes 4 KB at a time per thread: a draw per id (its
// locks and a pass through the generator) was 2 % of an engine step that places a call.
unsigned char pooled_random_byte() {
  thread_local std::array<unsigned char, 4096> pool;
  thread_local size_t next = pool.size();
  thread_local unsigned generation = 0;
  const unsigned current = g_fork_generation.load(std::memory_order_relaxed);
  if (next == pool.size() || generation != current) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1)
      throw std::runtime_error("RAND_bytes failed");
    next = 0;
    generation = current;
  }
  return pool[next++];
}
}  // namespace

// Secrets are drawn afresh, never from the pool of bytes ids come from.
std::string random_base62(size_t length) {
  std::string out;
  out.reserve(length);
  std::vector<unsigned char> bytes(length * 2);
  size_t next = bytes.size();
  append_base62(out, length, [&] {
    if (next == bytes.size()) {
      if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("RAND_bytes failed");
      next = 0;
    }
    return bytes[next++];
  });
  OPENSSL_cleanse(bytes.data(), bytes.size());
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
  std::string id;
  id.reserve(prefix.size() + 1 + kTimeChars + kRandomChars);
  id.append(prefix);
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
  std::string id = time_prefix(prefix);
  append_base62(id, kRandomChars, pooled_random_byte);
  return id;
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
