// parse_callback_time on what post-call analysis wrote down. Input: "<IANA zone> <ISO
// instant>" on the first line (now; UTC and a fixed instant when unreadable), then the text.
#include <string>

#include "domain/callback_time.h"
#include "fuzz_support.h"

namespace {
using namespace leadline;

// Tuesday 2026-05-26 13:00 UTC, as the unit tests use.
constexpr util::Millis kDefaultNow = 1779800400000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [params, text] = fuzz::split_first_line(fuzz::as_text(data, size));
  const auto space = params.find(' ');
  auto zone = util::TimeZone::find(params.substr(0, space)).value_or(util::TimeZone::utc());
  util::Millis now = kDefaultNow;
  if (space != std::string_view::npos) {
    if (auto parsed = util::parse_iso(params.substr(space + 1))) now = *parsed;
  }
  const auto at = domain::parse_callback_time(text, now, zone);
  if (at) {
    // Documented rule: the result is always after now.
    if (*at <= now) fuzz::fail("callback time not after now");
    (void)zone.format(*at);
  }
  return 0;
}
