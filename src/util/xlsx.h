#pragma once
// Reads the first worksheet of an Office Open XML workbook (.xlsx) into a Table, for
// lead uploads. Cell values come back as the text a user would expect to see: shared
// and inline strings as written, numbers without a spurious ".0" or exponent (a phone
// number stored as 1.4155550100E10 reads "14155550100"), booleans as TRUE/FALSE, and
// formulas as their cached result. Dates come back as Excel serial numbers, since
// number formats are not read. Pure function on caller-owned bytes: thread-safe.
#include <string_view>
#include <variant>

#include "util/csv.h"  // Table, ParseError

namespace leadline::util {

// The first row with any value is the header (names trimmed; trailing empty header
// cells dropped). Rows with no values are skipped, like empty CSV lines. Missing cells
// are "". A value to the right of the header is an error naming the data row (1 = first
// row after the header) and column letter. Anything that is not a readable xlsx (not a
// zip, truncated, missing workbook or sheet, malformed XML) is a ParseError; it never
// throws or crashes on hostile input.
std::variant<Table, ParseError> parse_xlsx(std::string_view bytes);

}  // namespace leadline::util
