#pragma once
// UTF-8 checks for text that comes from outside, and the Windows-1252 fallback for CSV files.
// Stored and rendered text must be valid UTF-8: nlohmann refuses to dump anything else, and
// PostgreSQL refuses to store it. Pure functions, safe from any thread.
#include <string>
#include <string_view>

namespace leadline::util {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD
// (for peers' answers and error texts that are kept, not refused).
std::string to_valid_utf8(std::string_view text);

// Reads `text` as Windows-1252, the code page spreadsheet programs export "CSV" in, and
// returns it as UTF-8. Every byte maps to one character: 0x80-0x9F through the code page's
// table (0x80 is the euro sign, 0x92 a right single quote), the five bytes it leaves
// undefined to the C1 controls of the same value (as browsers do), the rest to Latin-1.
std::string windows1252_to_utf8(std::string_view text);

}  // namespace leadline::util
