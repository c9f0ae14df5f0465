// parse_multipart. Input: the Content-Type header on the first line, then the body.
#include <functional>

#include "fuzz_support.h"
#include "util/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [content_type, body] =
      leadline::fuzz::split_first_line(leadline::fuzz::as_text(data, size));
  auto parsed = leadline::util::parse_multipart(body, content_type);
  if (auto* parts = std::get_if<std::vector<leadline::util::FormPart>>(&parsed)) {
    // Parts are views into the body: each must lie inside it.
    const std::less_equal<const char*> le;
    for (const auto& part : *parts) {
      if (!le(body.data(), part.data.data()) ||
          !le(part.data.data() + part.data.size(), body.data() + body.size()))
        leadline::fuzz::fail("multipart part outside the body");
      if (part.name.empty()) leadline::fuzz::fail("multipart part without a name");
    }
  }
  return 0;
}
