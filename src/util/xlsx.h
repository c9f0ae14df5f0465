#pragma once
// Reads the first worksheet of an Office Open XML workbook (.xlsx) into a Table, for
// lead uploads. Cell values come back as the text a user would expect to see: shared
// and inline strings as written, numbers without a spurious ".0" or exponent (a phone
// number stored as 1.4155550100E10 reads "14155550100"), booleans as TRUE/FALSE, and
// formulas as their cached result. Dates come back as Excel serial numbers, since
// number formats are not read. Pure function on caller-owned bytes: thread-safe.
#include <string_view>
#include <variant>

#include "util/csv.h"  // Table, TableLimits, ParseError
#include "util/input_limits.h"

namespace leadline::util {

// Bounds on the zip archive itself (defaults: util/input_limits.h): parts are inflated
// under these caps, so a zip bomb is refused after a few megabytes, never unpacked.
struct XlsxLimits {
  size_t max_entry_bytes = limits::kMaxXlsxEntryBytes;  // one part, inflated
  size_t max_total_bytes = limits::kMaxXlsxTotalBytes;  // all parts read, inflated
  size_t max_compression_ratio = limits::kMaxXlsxCompressionRatio;
  size_t ratio_floor_bytes = limits::kXlsxCompressionRatioFloorBytes;  // no ratio check below
  size_t max_shared_strings = limits::kMaxXlsxSharedStrings;
};

// The first row with any value is the header (names trimmed; trailing empty header
// cells dropped). Rows with no values are skipped, like empty CSV lines. Missing cells
// are "". A value to the right of the header is an error naming the data row (1 = first
// row after the header) and column letter. Anything that is not a readable xlsx (not a
// zip, truncated, missing workbook or sheet, malformed XML) is a ParseError; it never
// throws or crashes on hostile input. Text that is not valid UTF-8 is an error (the format
// is UTF-8), and so is going over any limit, checked as the file is read.
std::variant<Table, ParseError> parse_xlsx(std::string_view bytes, const TableLimits& limits = {},
                                           const XlsxLimits& zip_limits = {});

}  // namespace leadline::util
