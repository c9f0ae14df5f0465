#include "domain/contact_caps.h"

#include <algorithm>
#include <utility>

namespace leadline::domain {
namespace {

constexpr int kMaxCapCalls = 1000;
constexpr size_t kMaxCaps = 10;
constexpr util::Millis kMillisPerHour = 3'600'000;

// The value under `key` when it is an integer in [1, max].
std::optional<int> bounded(const Json& cap, std::string_view key, int max) {
  const Json* value = config_field(cap, key);
  if (value == nullptr) return std::nullopt;
  auto n = as_integer(*value);
  if (!n || *n < 1 || *n > max) return std::nullopt;
  return int(*n);
}

bool in_range(const ContactCap& cap) {
  return cap.calls >= 1 && cap.calls <= kMaxCapCalls && cap.hours >= 1 && cap.hours <= kMaxCapHours;
}

util::Millis window_of(const ContactCap& cap) { return cap.hours * kMillisPerHour; }

}  // namespace

std::string ContactCap::describe() const {
  return std::to_string(calls) + (calls == 1 ? " call" : " calls") + " per " +
         std::to_string(hours) + (hours == 1 ? " hour" : " hours");
}

void check_contact_caps(const Json& value, std::string_view field, ConfigProblems& problems) {
  if (value.is_null()) return;
  const std::string name(field);
  if (!value.is_array()) {
    problems.add(name, "must be null or an array of caps like {\"calls\": 3, \"hours\": 24}");
    return;
  }
  if (value.size() > kMaxCaps) {
    problems.add(name, "may hold at most " + std::to_string(kMaxCaps) + " caps");
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const Json& cap = value[i];
    const std::string path = name + "[" + std::to_string(i) + "]";
    if (!cap.is_object()) {
      problems.add(path, "must be an object like {\"calls\": 3, \"hours\": 24}");
      continue;
    }
    // Both limits are checked in one pass so each problem is reported once, in key order.
    for (auto [key, max] : {std::pair{"calls", kMaxCapCalls}, std::pair{"hours", kMaxCapHours}}) {
      if (config_field(cap, key) == nullptr) {
        problems.add(path + "." + key, "is required");
      } else if (!bounded(cap, key, max)) {
        problems.add(path + "." + key, "must be an integer from 1 to " + std::to_string(max));
      }
    }
    for (const auto& [key, item] : cap.items()) {
      if (key != "calls" && key != "hours") {
        problems.add(path + "." + key, "is not a cap setting (calls, hours)");
      }
    }
  }
}

std::vector<ContactCap> parse_contact_caps(const Json& value, std::string_view source) {
  std::vector<ContactCap> caps;
  if (!value.is_array()) return caps;
  for (const Json& cap : value) {
    auto calls = bounded(cap, "calls", kMaxCapCalls);
    auto hours = bounded(cap, "hours", kMaxCapHours);
    if (calls && hours) caps.push_back({*calls, *hours, std::string(source)});
  }
  return caps;
}

util::Millis longest_cap_window(const std::vector<ContactCap>& caps) {
  util::Millis longest = 0;
  for (const ContactCap& cap : caps) longest = std::max(longest, window_of(cap));
  return longest;
}

std::optional<CapWait> cap_wait(const std::vector<ContactCap>& caps,
                                const std::vector<util::Millis>& contacts, util::Millis now) {
  // A contact stamped after `now` (clock skew between processes) still happened: it counts
  // as at `now` rather than being dropped.
  std::vector<util::Millis> times;
  times.reserve(contacts.size());
  for (util::Millis t : contacts) times.push_back(std::min(t, now));
  std::sort(times.begin(), times.end());

  std::optional<CapWait> longest;
  for (const ContactCap& cap : caps) {
    if (!in_range(cap)) continue;
    const util::Millis window = window_of(cap);
    // The window is (now - window, now]: the first contact inside it, and how many are.
    const auto first = std::upper_bound(times.begin(), times.end(), now - window);
    const auto in_window = static_cast<size_t>(times.end() - first);
    const auto allowed = static_cast<size_t>(cap.calls);
    if (in_window < allowed) continue;
    // Once the (k-N+1)-th oldest has left, at most N-1 remain inside: one more call fits.
    const util::Millis until = first[in_window - allowed] + window;
    if (!longest || until > longest->until) longest = CapWait{cap, int(in_window), until};
  }
  return longest;
}

}  // namespace leadline::domain
