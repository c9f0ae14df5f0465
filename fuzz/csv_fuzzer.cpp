// parse_csv on arbitrary bytes: lead uploads are whatever a user's spreadsheet exported.
#include "fuzz_support.h"
#include "util/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = leadline::util::parse_csv(leadline::fuzz::as_text(data, size));
  if (auto* table = std::get_if<leadline::util::Table>(&parsed)) {
    // The header promises a rectangular table.
    for (const auto& row : table->rows)
      if (row.size() != table->header.size()) leadline::fuzz::fail("csv row width != header");
  }
  return 0;
}
