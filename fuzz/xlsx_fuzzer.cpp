// parse_xlsx on arbitrary bytes, read as a zip: the reader promises never to throw or crash
// on hostile uploads.
#include "fuzz_support.h"
#include "util/xlsx.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = leadline::util::parse_xlsx(leadline::fuzz::as_text(data, size));
  if (auto* table = std::get_if<leadline::util::Table>(&parsed)) {
    for (const auto& row : table->rows)
      if (row.size() != table->header.size()) leadline::fuzz::fail("xlsx row width != header");
  }
  return 0;
}
