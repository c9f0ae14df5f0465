// normalize_phone and the look-ups on its result. Input: the default region on the first
// line, then the raw number as a lead file or JSON body carries it.
#include <string>

#include "fuzz_support.h"
#include "util/phone.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leadline;
  const auto [region, raw] = fuzz::split_first_line(fuzz::as_text(data, size));
  const auto result = util::normalize_phone(raw, region);
  if (result.e164.has_value() == !result.error.empty())
    fuzz::fail("normalize_phone must set exactly one of e164 and error");
  if (result.e164) {
    (void)util::phone_region(*result.e164);
    (void)util::phone_geodescription(*result.e164);
  }
  return 0;
}
